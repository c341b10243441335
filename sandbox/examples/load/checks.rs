//! The checks of a load run against the database file, made after the
//! sandbox has stopped.

use crate::clients::CreatedConnection;
use rusqlite::Connection;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// One check's name, outcome and the figures behind it.
pub struct Check {
    pub name: &'static str,
    pub passed: bool,
    pub detail: String,
}

impl Check {
    fn new(name: &'static str, passed: bool, detail: String) -> Self {
        Check {
            name,
            passed,
            detail,
        }
    }
}

/// Counts stores that no connection uses, such as the seeded one.
const STORES_WITHOUT_CONNECTION: &str = "SELECT COUNT(*) FROM stores s
     WHERE NOT EXISTS (SELECT 1 FROM connections c WHERE c.store_id = s.id)";

/// The database rows before the load started.
pub struct Baseline {
    pub stores: i64,
    pub stores_without_connection: i64,
    pub connections: i64,
}

/// Reads the row counts that the checks compare against.
pub fn read_baseline(db_path: &Path) -> Result<Baseline, String> {
    let connection = open(db_path)?;
    Ok(Baseline {
        stores: count(&connection, "SELECT COUNT(*) FROM stores")?,
        stores_without_connection: count(&connection, STORES_WITHOUT_CONNECTION)?,
        connections: count(&connection, "SELECT COUNT(*) FROM connections")?,
    })
}

/// Checks the database against what the clients saw: `created` has every
/// 201 of a first send, and `failure_count` counts the requests that failed.
pub fn check_database(
    db_path: &Path,
    baseline: &Baseline,
    created: &[CreatedConnection],
    failure_count: usize,
) -> Result<Vec<Check>, String> {
    let connection = open(db_path)?;
    let mut checks = vec![Check::new(
        "no request failed",
        failure_count == 0,
        format!("{failure_count} failed"),
    )];

    let stored = connection_names(&connection)?;
    let mut seen_ids = HashSet::new();
    let mut missing = 0;
    for create in created {
        seen_ids.insert(create.id);
        if stored.get(&create.id) != Some(&create.name) {
            missing += 1;
        }
    }
    let distinct_ids = seen_ids.len();
    checks.push(Check::new(
        "every 201 id is stored once, with its name",
        missing == 0 && distinct_ids == created.len(),
        format!(
            "{} creates got 201 with {distinct_ids} distinct ids, {missing} not stored as sent",
            created.len()
        ),
    ));

    let duplicate_triples = count(
        &connection,
        "SELECT COUNT(*) FROM (SELECT 1 FROM connections
         GROUP BY customer_id, store_id, warehouse_id HAVING COUNT(*) > 1)",
    )?;
    let duplicate_names = count(
        &connection,
        "SELECT COUNT(*) FROM (SELECT 1 FROM connections GROUP BY name HAVING COUNT(*) > 1)",
    )?;
    checks.push(Check::new(
        "no duplicate connections",
        duplicate_triples == 0 && duplicate_names == 0,
        format!(
            "{duplicate_triples} repeated merchant, store and warehouse; {duplicate_names} repeated names"
        ),
    ));

    let connections = count(&connection, "SELECT COUNT(*) FROM connections")?;
    let new_connections = connections - baseline.connections;
    checks.push(Check::new(
        "connections count equals successful distinct creates",
        new_connections == distinct_ids as i64,
        format!("{new_connections} new rows, {distinct_ids} distinct creates"),
    ));

    let stores = count(&connection, "SELECT COUNT(*) FROM stores")?;
    let new_stores = stores - baseline.stores;
    let stores_without_connection = count(&connection, STORES_WITHOUT_CONNECTION)?;
    checks.push(Check::new(
        "every new store has its connection",
        new_stores == distinct_ids as i64
            && stores_without_connection == baseline.stores_without_connection,
        format!(
            "{new_stores} new stores; {stores_without_connection} stores without a connection, \
             {} before the run",
            baseline.stores_without_connection
        ),
    ));

    let keyed = created.iter().filter(|create| create.keyed).count();
    let stored_keys = count(&connection, "SELECT COUNT(*) FROM idempotency_keys")?;
    checks.push(Check::new(
        "one stored key per keyed create",
        stored_keys == keyed as i64,
        format!("{stored_keys} keys stored, {keyed} keyed creates"),
    ));

    let integrity: String = connection
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .map_err(|error| format!("PRAGMA integrity_check failed: {error}"))?;
    checks.push(Check::new(
        "SQLite integrity check",
        integrity == "ok",
        integrity,
    ));
    Ok(checks)
}

fn open(db_path: &Path) -> Result<Connection, String> {
    Connection::open(db_path)
        .map_err(|error| format!("Failed to open the database {}: {error}", db_path.display()))
}

fn count(connection: &Connection, sql: &str) -> Result<i64, String> {
    connection
        .query_row(sql, [], |row| row.get(0))
        .map_err(|error| format!("The query {sql:?} failed: {error}"))
}

fn connection_names(connection: &Connection) -> Result<HashMap<i64, String>, String> {
    let read = || -> rusqlite::Result<HashMap<i64, String>> {
        let mut statement = connection.prepare("SELECT id, name FROM connections")?;
        statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect()
    };
    read().map_err(|error| format!("Failed to read the connections: {error}"))
}

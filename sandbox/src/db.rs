//! The SQLite database: opening it, its schema, and running queries off the
//! async runtime.
//!
//! Tables keep the API's names (`customers` for merchants) so that tests can
//! read them directly. Adapter settings are stored as JSON text, exactly as
//! checked, secrets included, because a real backend would need them to reach
//! the platform.

use crate::error::ErrorResponse;
use crate::seed;
use rusqlite::Connection;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// How long a statement waits for a lock held by another connection, such as
/// a test reading the file, before it fails with `SQLITE_BUSY`.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS users (
    username TEXT PRIMARY KEY,
    password_salt TEXT NOT NULL,
    password_sha256 TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS tokens (
    token TEXT PRIMARY KEY,
    username TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL -- Unix time in seconds
);

CREATE TABLE IF NOT EXISTS customers (
    id INTEGER PRIMARY KEY,
    company_name TEXT NOT NULL,
    street1 TEXT,
    city TEXT,
    state TEXT,
    zipcode TEXT,
    country TEXT
);

CREATE TABLE IF NOT EXISTS warehouses (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    description TEXT NOT NULL,
    platform TEXT NOT NULL,
    adapter TEXT NOT NULL -- JSON object
);

CREATE TABLE IF NOT EXISTS stores (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    name TEXT NOT NULL,
    platform TEXT NOT NULL,
    adapter TEXT NOT NULL -- JSON object, secrets included
);

CREATE TABLE IF NOT EXISTS connections (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    store_id INTEGER NOT NULL REFERENCES stores (id),
    warehouse_id INTEGER NOT NULL REFERENCES warehouses (id),
    enabled_at TEXT, -- NULL while disabled, as every new connection is
    created_at TEXT NOT NULL,
    UNIQUE (customer_id, store_id, warehouse_id)
);

CREATE TABLE IF NOT EXISTS idempotency_keys (
    username TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    key TEXT NOT NULL,
    request_sha256 TEXT NOT NULL,
    status INTEGER NOT NULL,
    response_body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (username, key)
);
";

/// The database connection, shared by every request. One connection behind a
/// mutex serialises all requests, which makes each check-then-insert atomic.
/// A local sandbox needs no more throughput than that.
#[derive(Clone, Debug)]
pub struct Database {
    connection: Arc<Mutex<Connection>>,
}

impl Database {
    /// Opens the database file, creating it, its tables and the demo data
    /// when they are missing.
    pub fn open(path: &Path) -> rusqlite::Result<Self> {
        let mut connection = Connection::open(path)?;
        let journal_mode: String =
            connection.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
        if !journal_mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(%journal_mode, "SQLite did not switch to WAL mode");
        }
        // Why WAL with synchronous=FULL makes a created connection durable and
        // a create atomic across crashes (the text of SQLite's wal.c and of its
        // PRAGMA synchronous documentation):
        // - A transaction commits when SQLite writes a WAL frame that carries
        //   the commit marker. On recovery, frames after the last valid commit
        //   frame are ignored. So a process killed inside the create
        //   transaction leaves neither the store nor the connection.
        // - With FULL, the commit fsyncs the WAL before it returns, and the
        //   handler sends 201 only after that. So a 201 survives kill -9 (the
        //   frames are already written to the file) and also an OS crash or
        //   power loss (they are on disk). NORMAL would still survive kill -9
        //   but could lose the last commits on power loss.
        // FULL is also the bundled SQLite's default. It is set here so that
        // the guarantee does not depend on how SQLite was compiled.
        connection.pragma_update(None, "synchronous", "FULL")?;
        connection.pragma_update(None, "foreign_keys", true)?;
        connection.busy_timeout(BUSY_TIMEOUT)?;
        connection.execute_batch(SCHEMA)?;
        seed::seed_if_empty(&mut connection)?;
        Ok(Database {
            connection: Arc::new(Mutex::new(connection)),
        })
    }

    /// Runs `work` with the connection on a blocking thread, holding the lock
    /// for the whole call, so that `work` may open a transaction and rely on
    /// no other request interleaving with it.
    pub async fn run<T, F>(&self, work: F) -> Result<T, ErrorResponse>
    where
        F: FnOnce(&mut Connection) -> Result<T, ErrorResponse> + Send + 'static,
        T: Send + 'static,
    {
        let connection = Arc::clone(&self.connection);
        tokio::task::spawn_blocking(move || {
            // A panic while the lock was held dropped any open transaction,
            // which rolled it back, so the connection is safe to reuse.
            let mut connection = connection.lock().unwrap_or_else(PoisonError::into_inner);
            work(&mut connection)
        })
        .await
        .map_err(|error| ErrorResponse::Internal(format!("database task failed: {error}")))?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_sets_wal_full_sync_and_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sandbox.sqlite3");
        let database = Database::open(&path).unwrap();
        assert!(path.exists());
        let connection = database.connection.lock().unwrap();
        let journal_mode: String = connection
            .query_row("PRAGMA journal_mode", [], |row| row.get(0))
            .unwrap();
        assert_eq!(journal_mode, "wal");
        let synchronous: i64 = connection
            .query_row("PRAGMA synchronous", [], |row| row.get(0))
            .unwrap();
        assert_eq!(synchronous, 2, "2 is FULL");
        let foreign_keys: bool = connection
            .query_row("PRAGMA foreign_keys", [], |row| row.get(0))
            .unwrap();
        assert!(foreign_keys);
    }

    #[test]
    fn reopening_does_not_seed_twice() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sandbox.sqlite3");
        drop(Database::open(&path).unwrap());
        let database = Database::open(&path).unwrap();
        let connection = database.connection.lock().unwrap();
        let count = |table: &str| -> i64 {
            connection
                .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |row| {
                    row.get(0)
                })
                .unwrap()
        };
        assert_eq!(count("users"), 1);
        assert_eq!(count("customers"), 2);
        assert_eq!(count("warehouses"), 3);
        assert_eq!(count("stores"), 1);
    }
}

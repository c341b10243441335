//! The demo data written into an empty database: one user, two merchants with
//! their warehouses, and one existing Khaos Control store.

use crate::auth::{new_password_salt, password_sha256};
use rusqlite::{Connection, Transaction, params};
use serde_json::json;

/// The demo account's username, printed at start.
pub const DEMO_USERNAME: &str = "demo";
/// The demo account's password, printed at start.
pub const DEMO_PASSWORD: &str = "demo-password";

/// Writes the demo user when there are no users, and the demo merchants,
/// warehouses and store when there are no merchants, in one transaction.
pub fn seed_if_empty(connection: &mut Connection) -> rusqlite::Result<()> {
    let transaction = connection.transaction()?;

    if is_empty(&transaction, "users")? {
        let salt = new_password_salt();
        transaction.execute(
            "INSERT INTO users (username, password_salt, password_sha256) VALUES (?1, ?2, ?3)",
            params![DEMO_USERNAME, salt, password_sha256(&salt, DEMO_PASSWORD)],
        )?;
        tracing::info!(username = DEMO_USERNAME, "seeded the demo user");
    }

    if is_empty(&transaction, "customers")? {
        seed_merchants(&transaction)?;
        tracing::info!("seeded the demo merchants, warehouses and store");
    }

    transaction.commit()
}

fn is_empty(transaction: &Transaction, table: &str) -> rusqlite::Result<bool> {
    let sql = format!("SELECT NOT EXISTS (SELECT 1 FROM {table})");
    transaction.query_row(&sql, [], |row| row.get(0))
}

fn seed_merchants(transaction: &Transaction) -> rusqlite::Result<()> {
    let brand_x = insert_merchant(
        transaction,
        [
            "Brand X Ltd",
            "1 Wellington Street",
            "Leeds",
            "West Yorkshire",
            "LS1 4DL",
            "UK",
        ],
    )?;
    let northwind = insert_merchant(
        transaction,
        [
            "Northwind Goods Inc",
            "200 Frelinghuysen Avenue",
            "Newark",
            "NJ",
            "07114",
            "US",
        ],
    )?;

    let acme_adapter = json!({"url": "https://wms.acme.example/api", "api_key": "acme-demo-key"});
    let harbor_adapter = json!({"ftp_host": "ftp.harbor3pl.example", "username": "northwind"});
    insert_warehouse(
        transaction,
        brand_x,
        "ACME WMS - Leeds",
        "acme_wms",
        &acme_adapter,
    )?;
    insert_warehouse(
        transaction,
        northwind,
        "ACME WMS - Leeds",
        "acme_wms",
        &acme_adapter,
    )?;
    insert_warehouse(
        transaction,
        northwind,
        "Harbor 3PL - Newark",
        "harbor_3pl",
        &harbor_adapter,
    )?;

    let khaos_adapter = json!({
        "url": "https://api.khaoscloud.com/brand-x",
        "password": "brand-x-demo-password",
        "order_import_status": 9
    });
    transaction.execute(
        "INSERT INTO stores (customer_id, name, platform, adapter) VALUES (?1, ?2, ?3, ?4)",
        params![
            brand_x,
            "Brand X Khaos (existing)",
            dropstream_model::platform::KHAOS_CONTROL,
            khaos_adapter.to_string()
        ],
    )?;
    Ok(())
}

/// Inserts a merchant from its company name, street, city, state, zipcode and
/// country, and returns its id.
fn insert_merchant(transaction: &Transaction, fields: [&str; 6]) -> rusqlite::Result<i64> {
    transaction.execute(
        "INSERT INTO customers (company_name, street1, city, state, zipcode, country)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        fields,
    )?;
    Ok(transaction.last_insert_rowid())
}

fn insert_warehouse(
    transaction: &Transaction,
    customer_id: i64,
    description: &str,
    platform: &str,
    adapter: &serde_json::Value,
) -> rusqlite::Result<()> {
    transaction.execute(
        "INSERT INTO warehouses (customer_id, description, platform, adapter) VALUES (?1, ?2, ?3, ?4)",
        params![customer_id, description, platform, adapter.to_string()],
    )?;
    Ok(())
}

//! The list endpoints: `GET /customers`, `/warehouses`, `/stores` and
//! `/connections`, each ordered by id. Adapters are never listed, because
//! they hold credentials.

use crate::AppState;
use crate::auth::Authenticated;
use crate::error::ErrorResponse;
use axum::Json;
use axum::extract::State;
use dropstream_model::api::{Connection, Customer, Store, Warehouse};
use rusqlite::Row;

/// `GET /customers`: every merchant.
pub async fn customers(
    State(state): State<AppState>,
    _user: Authenticated,
) -> Result<Json<Vec<Customer>>, ErrorResponse> {
    list(
        &state,
        "SELECT id, company_name, street1, city, state, zipcode, country FROM customers ORDER BY id",
        |row| {
            Ok(Customer {
                id: row.get(0)?,
                company_name: row.get(1)?,
                street1: row.get(2)?,
                city: row.get(3)?,
                state: row.get(4)?,
                zipcode: row.get(5)?,
                country: row.get(6)?,
            })
        },
    )
    .await
}

/// `GET /warehouses`: every merchant's warehouses, without their adapters.
pub async fn warehouses(
    State(state): State<AppState>,
    _user: Authenticated,
) -> Result<Json<Vec<Warehouse>>, ErrorResponse> {
    list(
        &state,
        "SELECT id, customer_id, description, platform FROM warehouses ORDER BY id",
        |row| {
            Ok(Warehouse {
                id: row.get(0)?,
                customer_id: row.get(1)?,
                description: row.get(2)?,
                platform: row.get(3)?,
            })
        },
    )
    .await
}

/// `GET /stores`: every merchant's stores, without their adapters.
pub async fn stores(
    State(state): State<AppState>,
    _user: Authenticated,
) -> Result<Json<Vec<Store>>, ErrorResponse> {
    list(
        &state,
        "SELECT id, customer_id, name, platform FROM stores ORDER BY id",
        |row| {
            Ok(Store {
                id: row.get(0)?,
                customer_id: row.get(1)?,
                name: row.get(2)?,
                platform: row.get(3)?,
            })
        },
    )
    .await
}

/// `GET /connections`: every connection, with `enabled_at` null while disabled.
pub async fn connections(
    State(state): State<AppState>,
    _user: Authenticated,
) -> Result<Json<Vec<Connection>>, ErrorResponse> {
    list(
        &state,
        "SELECT id, name, customer_id, store_id, warehouse_id, enabled_at FROM connections ORDER BY id",
        |row| {
            Ok(Connection {
                id: row.get(0)?,
                name: row.get(1)?,
                customer_id: row.get(2)?,
                store_id: row.get(3)?,
                warehouse_id: row.get(4)?,
                enabled_at: row.get(5)?,
            })
        },
    )
    .await
}

/// Runs a query without parameters and maps every row.
async fn list<T: Send + 'static>(
    state: &AppState,
    sql: &'static str,
    map_row: fn(&Row) -> rusqlite::Result<T>,
) -> Result<Json<Vec<T>>, ErrorResponse> {
    let rows = state
        .db
        .run(move |connection| {
            let mut statement = connection.prepare_cached(sql)?;
            let rows = statement
                .query_map([], map_row)?
                .collect::<rusqlite::Result<Vec<T>>>()?;
            Ok(rows)
        })
        .await?;
    Ok(Json(rows))
}

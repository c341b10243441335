//! `POST /connections` and `POST /stores/ping`. Bodies are checked with the
//! model crate's `check_connection_request`, the same rules the page applies,
//! and then against the database: the merchant, warehouse and store must
//! exist and belong together, and each combination may be connected once.

use crate::AppState;
use crate::auth::Authenticated;
use crate::error::ErrorResponse;
use crate::faults::{self, ConnectionFault};
use crate::idempotency::{self, StoredResponse};
use crate::json_body::JsonBody;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use dropstream_model::api::{ConnectionRequest, Created};
use dropstream_model::payload::{FieldErrors, check_connection_request};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use serde_json::{Value, json};
use std::time::Duration;

/// `POST /stores/ping`: 204 when the store object passes the adapter checks
/// of its platform, 422 otherwise. Creates nothing.
///
/// Error paths are relative to the ping body (`adapter.url`, not
/// `store.adapter.url`). The store's `name` may be left out, because a test
/// of the credentials does not need it.
// NOTE: the sandbox cannot reach Khaos Control or any other platform, so it
// checks the values only. A real backend would also try the credentials.
pub async fn ping_store(_user: Authenticated, body: JsonBody) -> Result<StatusCode, ErrorResponse> {
    let mut store = body.value;
    if let Some(store) = store.as_object_mut() {
        store
            .entry("name")
            .or_insert_with(|| Value::from("Store being tested"));
    }
    // A minimal valid connection around the store, so that only store errors remain.
    let wrapped = json!({"name": "Store test", "customer_id": 1, "store": store});

    let Err(errors) = check_connection_request(&wrapped) else {
        return Ok(StatusCode::NO_CONTENT);
    };
    let store_errors: FieldErrors = errors
        .into_iter()
        .filter_map(|(path, messages)| {
            let relative = match path.as_str() {
                "store" => String::new(),
                path => path.strip_prefix("store.")?.to_string(),
            };
            Some((relative, messages))
        })
        .collect();
    Err(ErrorResponse::Invalid(store_errors))
}

/// `POST /connections`: creates the connection, and the new store if the body
/// has one, in one transaction, and returns 201 `{"id": N}`. The connection
/// starts disabled (`enabled_at` is null).
pub async fn create_connection(
    State(state): State<AppState>,
    user: Authenticated,
    headers: HeaderMap,
    body: JsonBody,
) -> Response {
    let key = match idempotency::key_from_headers(&headers) {
        Ok(key) => key,
        Err(error) => return error.into_response(),
    };

    let fault = state
        .faults
        .as_ref()
        .and_then(|faults| faults.take_connection_fault());
    let mut delay_before_commit = None;
    match fault {
        Some(ConnectionFault::Fail500) => return faults::injected_failure(),
        Some(ConnectionFault::Delay(delay)) => tokio::time::sleep(delay).await,
        Some(ConnectionFault::DelayBeforeCommit(delay)) => delay_before_commit = Some(delay),
        Some(ConnectionFault::DropAfterCommit) | None => {}
    }

    let request_sha256 = idempotency::request_sha256("POST", "/api/connections", &body.bytes);
    let username = user.username;
    let outcome = state
        .db
        .run(move |connection| {
            create_in_transaction(
                connection,
                &username,
                key.as_deref(),
                &request_sha256,
                &body.value,
                delay_before_commit,
            )
        })
        .await;

    let response = match outcome {
        Ok(CreateOutcome::Created(id)) => {
            tracing::info!(connection_id = id, "created a connection");
            (StatusCode::CREATED, Json(Created { id })).into_response()
        }
        Ok(CreateOutcome::Replayed(stored)) => idempotency::replay(stored),
        Err(error) => error.into_response(),
    };
    if fault == Some(ConnectionFault::DropAfterCommit) {
        tracing::info!(
            status = response.status().as_u16(),
            "replaced the response with an injected 502"
        );
        return faults::lost_response();
    }
    response
}

enum CreateOutcome {
    Created(i64),
    Replayed(StoredResponse),
}

/// Does the whole create under one immediate transaction: the idempotency
/// lookup, the checks, the inserts and the idempotency record. Any error
/// rolls everything back, so a store is never left without its connection.
/// `delay_before_commit` is the `delay_before_commit` test fault: a sleep
/// on this blocking thread just before the commit.
fn create_in_transaction(
    connection: &mut Connection,
    username: &str,
    key: Option<&str>,
    request_sha256: &str,
    body: &Value,
    delay_before_commit: Option<Duration>,
) -> Result<CreateOutcome, ErrorResponse> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;

    if let Some(key) = key
        && let Some(stored) = idempotency::find(&transaction, username, key)?
    {
        if stored.request_sha256 != request_sha256 {
            return Err(idempotency::key_reused());
        }
        return Ok(CreateOutcome::Replayed(stored));
    }

    let request = check_connection_request(body).map_err(ErrorResponse::Invalid)?;
    let ids = resolve_references(&transaction, &request)?;
    let store_id = match (ids.store_id, &request.store) {
        (Some(store_id), _) => store_id,
        (None, Some(store)) => {
            let adapter = Value::Object(store.adapter.clone()).to_string();
            transaction.execute(
                "INSERT INTO stores (customer_id, name, platform, adapter) VALUES (?1, ?2, ?3, ?4)",
                params![ids.customer_id, store.name, store.platform, adapter],
            )?;
            transaction.last_insert_rowid()
        }
        (None, None) => {
            return Err(ErrorResponse::Internal(
                "a checked connection request has neither store nor store_id".to_string(),
            ));
        }
    };

    if let Some(existing) =
        find_connection(&transaction, ids.customer_id, store_id, ids.warehouse_id)?
    {
        return Err(ErrorResponse::Conflict(format!(
            "A connection for this merchant, store and warehouse already exists (connection {existing})."
        )));
    }
    transaction.execute(
        "INSERT INTO connections (name, customer_id, store_id, warehouse_id, enabled_at, created_at)
         VALUES (?1, ?2, ?3, ?4, NULL, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
        params![request.name, ids.customer_id, store_id, ids.warehouse_id],
    )?;
    let id = transaction.last_insert_rowid();

    if let Some(key) = key {
        let stored = StoredResponse {
            request_sha256: request_sha256.to_string(),
            status: StatusCode::CREATED.as_u16(),
            body: json!({"id": id}).to_string(),
        };
        idempotency::record(&transaction, username, key, &stored)?;
    }
    if let Some(delay) = delay_before_commit {
        tracing::info!(
            delay_ms = delay.as_millis(),
            "holding the transaction open before the commit"
        );
        std::thread::sleep(delay);
    }
    transaction.commit()?;
    Ok(CreateOutcome::Created(id))
}

/// The checked ids of a request. `store_id` is `None` when the request
/// brings a new store.
struct ResolvedIds {
    customer_id: i64,
    warehouse_id: i64,
    store_id: Option<i64>,
}

/// Checks that the merchant exists and that the warehouse and existing store
/// belong to it, and picks the merchant's first warehouse when the request
/// names none. Returns 422 on the offending paths.
fn resolve_references(
    transaction: &Transaction,
    request: &ConnectionRequest,
) -> Result<ResolvedIds, ErrorResponse> {
    let Some(customer_id) = request.customer_id else {
        return Err(ErrorResponse::invalid_field(
            "customer_id",
            "Choose a merchant.",
        ));
    };
    let merchant_exists: bool = transaction.query_row(
        "SELECT EXISTS (SELECT 1 FROM customers WHERE id = ?1)",
        [customer_id],
        |row| row.get(0),
    )?;
    if !merchant_exists {
        return Err(ErrorResponse::invalid_field(
            "customer_id",
            format!("No merchant with id {customer_id} exists."),
        ));
    }

    let mut errors = FieldErrors::new();
    let warehouse_id = match request.warehouse_id {
        Some(warehouse_id) => {
            let owner = owner_of(transaction, "warehouses", warehouse_id)?;
            if let Some(message) = ownership_problem("warehouse", warehouse_id, owner, customer_id)
            {
                errors.insert("warehouse_id".to_string(), vec![message]);
            }
            warehouse_id
        }
        None => {
            let first = transaction
                .query_row(
                    "SELECT id FROM warehouses WHERE customer_id = ?1 ORDER BY id LIMIT 1",
                    [customer_id],
                    |row| row.get::<_, i64>(0),
                )
                .optional()?;
            match first {
                Some(warehouse_id) => warehouse_id,
                None => {
                    errors.insert(
                        "warehouse_id".to_string(),
                        vec![format!(
                            "Merchant {customer_id} has no warehouse yet, so a connection cannot be made for it."
                        )],
                    );
                    0
                }
            }
        }
    };

    if let Some(store_id) = request.store_id {
        let owner = owner_of(transaction, "stores", store_id)?;
        if let Some(message) = ownership_problem("store", store_id, owner, customer_id) {
            errors.insert("store_id".to_string(), vec![message]);
        }
    }

    if !errors.is_empty() {
        return Err(ErrorResponse::Invalid(errors));
    }
    Ok(ResolvedIds {
        customer_id,
        warehouse_id,
        store_id: request.store_id,
    })
}

/// Returns the merchant that owns a row of `table` (`warehouses` or
/// `stores`), or `None` when there is no such row.
fn owner_of(transaction: &Transaction, table: &str, id: i64) -> rusqlite::Result<Option<i64>> {
    let sql = format!("SELECT customer_id FROM {table} WHERE id = ?1");
    transaction
        .query_row(&sql, [id], |row| row.get(0))
        .optional()
}

fn ownership_problem(what: &str, id: i64, owner: Option<i64>, customer_id: i64) -> Option<String> {
    match owner {
        None => Some(format!("No {what} with id {id} exists.")),
        Some(owner) if owner != customer_id => Some(format!(
            "The {what} with id {id} belongs to another merchant. Choose one of merchant {customer_id}'s {what}s."
        )),
        Some(_) => None,
    }
}

fn find_connection(
    transaction: &Transaction,
    customer_id: i64,
    store_id: i64,
    warehouse_id: i64,
) -> rusqlite::Result<Option<i64>> {
    transaction
        .query_row(
            "SELECT id FROM connections WHERE customer_id = ?1 AND store_id = ?2 AND warehouse_id = ?3",
            [customer_id, store_id, warehouse_id],
            |row| row.get(0),
        )
        .optional()
}

//! Test-only endpoints, routed only when the sandbox starts with
//! `--test-faults` or `DROPSTREAM_SANDBOX_TEST_FAULTS=1`:
//!
//! - `POST /_test/faults` with `{"connections": {"mode": ..., "delay_ms": N,
//!   "count": N}}` makes the next `count` (default 1) `POST /connections`
//!   requests misbehave. `fail_500` returns 500 without creating anything.
//!   `delay` waits `delay_ms` and then proceeds normally.
//!   `delay_before_commit` does the inserts and then waits `delay_ms` with the
//!   transaction still open, so the database stays locked and every other
//!   request waits too. `drop_after_commit` handles the request as usual, committing any
//!   connection it creates, but returns 502 with an HTML page in place of the
//!   real response, as a proxy that lost that response would.
//!   `{"connections": null}` clears the fault.
//! - `POST /_test/expire-tokens` deletes every token, so the next call with
//!   one gets 401.
//!
//! Neither endpoint needs a token, so that a test can call them at any time.

use crate::AppState;
use crate::error::ErrorResponse;
use crate::json_body::JsonBody;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

/// The maximum delay that `delay` mode accepts, in milliseconds.
pub const MAX_DELAY_MS: u64 = 60_000;

/// The way a faulty `POST /connections` misbehaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectionFault {
    /// Return 500 without creating anything.
    Fail500,
    /// Wait, then proceed normally.
    Delay(Duration),
    /// Insert the store and the connection, wait, then commit. The database
    /// stays locked during the wait, so a process killed then shows whether a
    /// transaction that never committed leaves anything behind.
    DelayBeforeCommit(Duration),
    /// Create and commit, then return 502 with an HTML body.
    DropAfterCommit,
}

/// The fault set by the last `POST /_test/faults`, with how many more
/// requests it applies to.
#[derive(Debug, Default)]
pub struct FaultInjector {
    pending: Mutex<Option<(ConnectionFault, u32)>>,
}

impl FaultInjector {
    /// Returns the fault for the current `POST /connections` request, if any,
    /// and counts it as used.
    pub fn take_connection_fault(&self) -> Option<ConnectionFault> {
        let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        let (fault, remaining) = pending.as_mut()?;
        let fault = *fault;
        *remaining -= 1;
        if *remaining == 0 {
            *pending = None;
        }
        Some(fault)
    }

    fn set(&self, fault: Option<(ConnectionFault, u32)>) {
        *self.pending.lock().unwrap_or_else(PoisonError::into_inner) = fault;
    }
}

/// Returns the routes of the test endpoints, to merge into the API router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/_test/faults", post(set_faults))
        .route("/_test/expire-tokens", post(expire_tokens))
}

/// Builds the 500 response of a `fail_500` fault.
pub fn injected_failure() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Json(json!({"error": "Injected fault"})),
    )
        .into_response()
}

/// Builds the 502 response of a `drop_after_commit` fault: an HTML page such
/// as a proxy sends, in place of the real response.
pub fn lost_response() -> Response {
    (
        StatusCode::BAD_GATEWAY,
        Html("<html><body>Bad gateway</body></html>"),
    )
        .into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultsRequest {
    connections: Option<ConnectionFaultRequest>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConnectionFaultRequest {
    mode: FaultMode,
    #[serde(default)]
    delay_ms: u64,
    #[serde(default = "one")]
    count: u32,
}

#[derive(Clone, Copy, Deserialize)]
enum FaultMode {
    #[serde(rename = "fail_500")]
    Fail500,
    #[serde(rename = "delay")]
    Delay,
    #[serde(rename = "delay_before_commit")]
    DelayBeforeCommit,
    #[serde(rename = "drop_after_commit")]
    DropAfterCommit,
}

fn one() -> u32 {
    1
}

/// `POST /_test/faults`: sets or clears the fault for `POST /connections`.
async fn set_faults(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<StatusCode, ErrorResponse> {
    let Some(injector) = state.faults.as_ref() else {
        return Err(ErrorResponse::NotFound("Test mode is off.".to_string()));
    };
    let request: FaultsRequest = serde_json::from_value(body.value).map_err(|error| {
        ErrorResponse::BadRequest(format!(
            "Send {{\"connections\": {{\"mode\": \"fail_500\" | \"drop_after_commit\" | \"delay\" | \
             \"delay_before_commit\", \"delay_ms\": N, \"count\": N}}}}: {error}."
        ))
    })?;

    let Some(request) = request.connections else {
        injector.set(None);
        tracing::info!("cleared the connection fault");
        return Ok(StatusCode::NO_CONTENT);
    };
    if request.count == 0 {
        return Err(ErrorResponse::invalid_field(
            "connections.count",
            "Send a count of at least 1.",
        ));
    }
    if request.delay_ms > MAX_DELAY_MS {
        return Err(ErrorResponse::invalid_field(
            "connections.delay_ms",
            format!("Send a delay of at most {MAX_DELAY_MS} milliseconds."),
        ));
    }
    let fault = match request.mode {
        FaultMode::Fail500 => ConnectionFault::Fail500,
        FaultMode::Delay => ConnectionFault::Delay(Duration::from_millis(request.delay_ms)),
        FaultMode::DelayBeforeCommit => {
            ConnectionFault::DelayBeforeCommit(Duration::from_millis(request.delay_ms))
        }
        FaultMode::DropAfterCommit => ConnectionFault::DropAfterCommit,
    };
    injector.set(Some((fault, request.count)));
    tracing::info!(?fault, count = request.count, "set a connection fault");
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /_test/expire-tokens`: deletes every token and returns how many.
async fn expire_tokens(
    State(state): State<AppState>,
) -> Result<Json<serde_json::Value>, ErrorResponse> {
    let deleted = state
        .db
        .run(|connection| Ok(connection.execute("DELETE FROM tokens", [])?))
        .await?;
    tracing::info!(deleted, "expired every token");
    Ok(Json(json!({"deleted": deleted})))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_applies_count_times_then_stops() {
        let injector = FaultInjector::default();
        injector.set(Some((ConnectionFault::Fail500, 2)));
        assert_eq!(
            injector.take_connection_fault(),
            Some(ConnectionFault::Fail500)
        );
        assert_eq!(
            injector.take_connection_fault(),
            Some(ConnectionFault::Fail500)
        );
        assert_eq!(injector.take_connection_fault(), None);
    }
}

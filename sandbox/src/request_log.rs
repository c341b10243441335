//! One log line per request: method, path without the query string, status
//! and duration. Bodies and headers are never logged, because they carry
//! passwords and tokens.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use std::time::Instant;

/// Logs each request after its response is ready.
pub async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let started = Instant::now();

    let response = next.run(request).await;

    let elapsed_ms = started.elapsed().as_millis();
    let status = response.status().as_u16();
    tracing::info!(%method, %path, status, elapsed_ms, "request");
    response
}

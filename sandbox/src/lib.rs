//! The local DropStream API sandbox: the API that the page talks to, over a
//! SQLite file, plus the built page itself.
//!
//! - [`config`]: command-line options and environment variables.
//! - [`db`] and [`seed`]: the database, its schema and the demo data.
//! - [`auth`]: tokens and the bearer check.
//! - [`lists`] and [`connections`]: the API's handlers.
//! - [`idempotency`]: replaying the first response for a repeated key.
//! - [`faults`]: test-only fault injection.
//! - [`static_files`]: serving the page with cache headers.
//! - [`security_headers`] and [`inline_scripts`]: the Content-Security-Policy
//!   of the page and the headers sent with every response.
//!
//! The API calls a merchant a *customer*, and so do the tables and handlers.

pub mod auth;
pub mod config;
pub mod connections;
pub mod db;
pub mod error;
pub mod faults;
pub mod hashing;
pub mod idempotency;
pub mod inline_scripts;
pub mod json_body;
pub mod lists;
pub mod request_log;
pub mod security_headers;
pub mod seed;
pub mod static_files;

use crate::db::Database;
use crate::error::ErrorResponse;
use crate::faults::FaultInjector;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::middleware;
use axum::routing::{get, post};
use std::path::PathBuf;
use std::sync::Arc;
use tower_http::set_header::SetResponseHeaderLayer;

/// The maximum request body size, in bytes. Larger bodies get 413.
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;

/// The state shared by every handler.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database.
    pub db: Database,
    /// The directory of the built page, served at `/`.
    pub dist_dir: PathBuf,
    /// The fault injector, `None` unless test mode is on. Without it the
    /// `/api/_test` endpoints do not exist.
    pub faults: Option<Arc<FaultInjector>>,
}

impl AppState {
    /// Creates the state, with the test endpoints when `test_faults` is set.
    pub fn new(db: Database, dist_dir: PathBuf, test_faults: bool) -> Self {
        AppState {
            db,
            dist_dir,
            faults: test_faults.then(|| Arc::new(FaultInjector::default())),
        }
    }
}

/// Builds the whole application: the API under `/api` and the page's files
/// at `/`, with the body limit, the security headers and request logging.
pub fn router(state: AppState) -> Router {
    let mut api = Router::new()
        .route("/auth/token", post(auth::issue_token))
        .route("/customers", get(lists::customers))
        .route("/warehouses", get(lists::warehouses))
        .route("/stores", get(lists::stores))
        .route("/stores/ping", post(connections::ping_store))
        .route(
            "/connections",
            get(lists::connections).post(connections::create_connection),
        )
        .fallback(api_not_found);
    if state.faults.is_some() {
        api = api.merge(faults::routes());
    }
    // Set last, because it applies only to routes that exist when it is called.
    let api = api.method_not_allowed_fallback(method_not_allowed);

    Router::new()
        .nest("/api", api)
        .fallback_service(static_files::service(&state.dist_dir))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static(security_headers::NOSNIFF),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static(security_headers::NO_REFERRER),
        ))
        .layer(middleware::from_fn(request_log::log_request))
        .with_state(state)
}

async fn api_not_found() -> ErrorResponse {
    ErrorResponse::NotFound("No API endpoint has this path.".to_string())
}

async fn method_not_allowed() -> ErrorResponse {
    ErrorResponse::MethodNotAllowed
}

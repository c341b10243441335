//! A sandbox router over a fresh database in a temporary directory, and
//! helpers to send it requests with `tower::ServiceExt::oneshot`.

#![allow(dead_code)] // Each test file uses a different subset of the helpers.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use base64::Engine;
use dropstream_sandbox::db::Database;
use dropstream_sandbox::{AppState, router};
use http_body_util::BodyExt;
use serde_json::Value;
use std::path::PathBuf;
use tempfile::TempDir;
use tower::ServiceExt;

/// The demo account seeded into every new database.
pub const USERNAME: &str = "demo";
pub const PASSWORD: &str = "demo-password";

/// Ids of the seeded rows, in insertion order.
pub const BRAND_X: i64 = 1;
pub const NORTHWIND: i64 = 2;
pub const BRAND_X_ACME: i64 = 1;
pub const NORTHWIND_ACME: i64 = 2;
pub const NORTHWIND_HARBOR: i64 = 3;
pub const BRAND_X_KHAOS_STORE: i64 = 1;

/// A response, read whole.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
}

impl Reply {
    /// Parses the body as JSON, and panics with the body when it is not JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|error| panic!("body is not JSON ({error}): {:?}", self.text))
    }

    /// Returns a header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }
}

/// A router over its own database file, deleted when dropped.
pub struct TestApp {
    pub router: Router,
    pub db_path: PathBuf,
    pub dir: TempDir,
}

impl TestApp {
    /// Creates a sandbox without the test endpoints.
    pub fn new() -> Self {
        Self::build(false)
    }

    /// Creates a sandbox with the `/api/_test` endpoints.
    pub fn with_faults() -> Self {
        Self::build(true)
    }

    fn build(test_faults: bool) -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let db_path = dir.path().join("sandbox.sqlite3");
        let dist_dir = dir.path().join("dist");
        std::fs::create_dir(&dist_dir).expect("dist directory");
        let db = Database::open(&db_path).expect("database opens");
        let router = router(AppState::new(db, dist_dir, test_faults));
        TestApp {
            router,
            db_path,
            dir,
        }
    }

    /// Returns the directory served at `/`.
    pub fn dist_dir(&self) -> PathBuf {
        self.dir.path().join("dist")
    }

    /// Sends a request and reads the whole response.
    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router never fails");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body is readable")
            .to_bytes();
        Reply {
            status,
            headers,
            text: String::from_utf8(bytes.to_vec()).expect("body is UTF-8"),
        }
    }

    /// Signs in as the demo user and returns the access token.
    pub async fn token(&self) -> String {
        let reply = self.send(token_request(USERNAME, PASSWORD)).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "sign-in failed: {}",
            reply.text
        );
        reply.json()["access_token"]
            .as_str()
            .expect("access_token is a string")
            .to_string()
    }

    /// Sends `GET /api{path}` with a token.
    pub async fn get(&self, path: &str, token: &str) -> Reply {
        let request = Request::get(format!("/api{path}"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }

    /// Sends `POST /api{path}` with a token and a JSON body.
    pub async fn post(&self, path: &str, token: &str, body: &Value) -> Reply {
        self.send(post_json(path, Some(token), None, body.to_string()))
            .await
    }

    /// Runs a query on the database file with a separate connection, as an
    /// outside test would.
    pub fn query<T>(
        &self,
        sql: &str,
        map_row: impl FnMut(&rusqlite::Row) -> rusqlite::Result<T>,
    ) -> Vec<T> {
        let connection = rusqlite::Connection::open(&self.db_path).expect("database opens");
        let mut statement = connection.prepare(sql).expect("query is valid");
        statement
            .query_map([], map_row)
            .expect("query runs")
            .collect::<rusqlite::Result<Vec<T>>>()
            .expect("rows are readable")
    }

    /// Counts the rows of a table.
    pub fn count(&self, table: &str) -> i64 {
        self.query(&format!("SELECT COUNT(*) FROM {table}"), |row| row.get(0))[0]
    }
}

/// Builds `POST /api/auth/token` with Basic credentials.
pub fn token_request(username: &str, password: &str) -> Request<Body> {
    let credentials =
        base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"));
    Request::post("/api/auth/token")
        .header(header::AUTHORIZATION, format!("Basic {credentials}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"grant_type":"client_credentials"}"#))
        .unwrap()
}

/// Builds `POST /api{path}` with a JSON content type and the given raw body.
pub fn post_json(
    path: &str,
    token: Option<&str>,
    idempotency_key: Option<&str>,
    body: String,
) -> Request<Body> {
    let mut builder =
        Request::post(format!("/api{path}")).header(header::CONTENT_TYPE, "application/json");
    if let Some(token) = token {
        builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    if let Some(key) = idempotency_key {
        builder = builder.header("Idempotency-Key", key);
    }
    builder.body(Body::from(body)).unwrap()
}

/// Returns a valid connection body for Brand X with a new Khaos Control store.
pub fn new_khaos_connection() -> Value {
    serde_json::json!({
        "name": "Brand X - Khaos -> ACME WMS",
        "customer_id": BRAND_X,
        "warehouse_id": BRAND_X_ACME,
        "store": {
            "name": "Brand X Khaos",
            "platform": "khaos_control",
            "adapter": {
                "url": "https://api.khaoscloud.com/example",
                "password": " secret with spaces ",
                "order_import_status": 12,
                "substage_id": 4,
                "site_name": "Main Site"
            }
        }
    })
}

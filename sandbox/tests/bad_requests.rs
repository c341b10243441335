//! Bad requests to `POST /connections` get the documented status and JSON
//! error shape and change nothing, and names that look like SQL or markup
//! are stored and listed exactly as sent.

mod common;

use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode, header};
use common::*;
use http_body_util::BodyExt;
use serde_json::{Value, json};

/// The rows of every table that a create could write.
#[derive(Debug, PartialEq, Eq)]
struct RowCounts {
    customers: i64,
    warehouses: i64,
    stores: i64,
    connections: i64,
    idempotency_keys: i64,
}

fn row_counts(app: &TestApp) -> RowCounts {
    RowCounts {
        customers: app.count("customers"),
        warehouses: app.count("warehouses"),
        stores: app.count("stores"),
        connections: app.count("connections"),
        idempotency_keys: app.count("idempotency_keys"),
    }
}

/// The error body a case expects.
#[derive(Debug)]
enum Shape {
    /// `{"error": message}` with the message containing this text.
    Error(&'static str),
    /// `{"errors": {...}}` with a message list on this path.
    FieldErrors(&'static str),
}

/// Checks the status, the JSON content type and the body shape of a reply.
fn assert_error(case: &str, reply: &Reply, status: StatusCode, shape: &Shape) {
    assert_eq!(reply.status, status, "{case}: {}", reply.text);
    assert_eq!(
        reply.header("content-type"),
        Some("application/json"),
        "{case}"
    );
    let body = reply.json();
    match shape {
        Shape::Error(text) => {
            let message = body["error"]
                .as_str()
                .unwrap_or_else(|| panic!("{case}: no error message in {body}"));
            assert!(message.contains(text), "{case}: {message:?}");
            assert_eq!(body.as_object().unwrap().len(), 1, "{case}: {body}");
        }
        Shape::FieldErrors(path) => {
            let messages = body["errors"][*path]
                .as_array()
                .unwrap_or_else(|| panic!("{case}: no errors on {path:?} in {body}"));
            assert!(!messages.is_empty(), "{case}");
            assert!(messages.iter().all(Value::is_string), "{case}: {body}");
            assert_eq!(body.as_object().unwrap().len(), 1, "{case}: {body}");
        }
    }
}

/// Sends a raw body to `POST /api/connections` with a valid token, a JSON
/// content type and an idempotency key, so that a stored key would show too.
async fn post_raw(app: &TestApp, token: &str, body: impl Into<Body>) -> Reply {
    let request = Request::post("/api/connections")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header("Idempotency-Key", "bad-request-key")
        .body(body.into())
        .unwrap();
    app.send(request).await
}

/// Returns the valid Khaos body with one JSON pointer replaced, or removed
/// when `value` is `None`.
fn khaos_with(pointer: &str, value: Option<Value>) -> Value {
    let mut body = new_khaos_connection();
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let parent = body.pointer_mut(parent).unwrap().as_object_mut().unwrap();
    match value {
        Some(value) => parent.insert(key.to_string(), value),
        None => parent.remove(key),
    };
    body
}

#[tokio::test]
async fn malformed_json_changes_nothing() {
    let app = TestApp::new();
    let token = app.token().await;
    let before = row_counts(&app);
    let nested_too_deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let cases: [(&str, Vec<u8>); 7] = [
        ("cut off", b"{\"name\": ".to_vec()),
        ("empty", Vec::new()),
        ("trailing text", b"{} and more".to_vec()),
        ("single quotes", b"{'name': 'x'}".to_vec()),
        ("invalid UTF-8", b"{\"name\": \"\xff\xfe\"}".to_vec()),
        ("lone surrogate", b"{\"name\": \"\\ud800\"}".to_vec()),
        ("nested 200 deep", nested_too_deep.into_bytes()),
    ];
    for (case, body) in cases {
        let reply = post_raw(&app, &token, body).await;
        assert_error(
            case,
            &reply,
            StatusCode::BAD_REQUEST,
            &Shape::Error("not valid JSON"),
        );
        assert_eq!(row_counts(&app), before, "{case}");
    }
}

#[tokio::test]
async fn wrong_json_types_change_nothing() {
    let app = TestApp::new();
    let token = app.token().await;
    let before = row_counts(&app);
    let cases = [
        ("array body", json!([]), ""),
        ("string body", json!("connection"), ""),
        ("null body", Value::Null, ""),
        ("numeric name", khaos_with("/name", Some(json!(42))), "name"),
        ("null name", khaos_with("/name", Some(Value::Null)), "name"),
        (
            "customer_id as text",
            khaos_with("/customer_id", Some(json!("1"))),
            "customer_id",
        ),
        (
            "customer_id as fraction",
            khaos_with("/customer_id", Some(json!(1.5))),
            "customer_id",
        ),
        (
            "negative customer_id",
            khaos_with("/customer_id", Some(json!(-1))),
            "customer_id",
        ),
        (
            "warehouse_id as text",
            khaos_with("/warehouse_id", Some(json!("1"))),
            "warehouse_id",
        ),
        (
            "warehouse_id as object",
            khaos_with("/warehouse_id", Some(json!({"id": 1}))),
            "warehouse_id",
        ),
        (
            "store as text",
            khaos_with("/store", Some(json!("Brand X Khaos"))),
            "store",
        ),
        (
            "store name as array",
            khaos_with("/store/name", Some(json!(["Brand X"]))),
            "store.name",
        ),
        (
            "platform as number",
            khaos_with("/store/platform", Some(json!(7))),
            "store.platform",
        ),
        (
            "adapter as array",
            khaos_with("/store/adapter", Some(json!([]))),
            "store.adapter",
        ),
        (
            "password as number",
            khaos_with("/store/adapter/password", Some(json!(1234))),
            "store.adapter.password",
        ),
        (
            "substage_id as boolean",
            khaos_with("/store/adapter/substage_id", Some(json!(true))),
            "store.adapter.substage_id",
        ),
        (
            "order_import_status as text",
            khaos_with("/store/adapter/order_import_status", Some(json!("nine"))),
            "store.adapter.order_import_status",
        ),
        (
            "store_id as text",
            json!({"name": "C", "customer_id": BRAND_X, "store_id": "1"}),
            "store_id",
        ),
    ];
    for (case, body, path) in cases {
        let reply = post_raw(&app, &token, body.to_string()).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{case}");
        assert!(
            reply.json()["errors"][path].is_array(),
            "{case}: {}",
            reply.text
        );
        assert_eq!(row_counts(&app), before, "{case}");
    }
}

#[tokio::test]
async fn unknown_fields_change_nothing() {
    let app = TestApp::new();
    let token = app.token().await;
    let before = row_counts(&app);
    let cases = [
        (
            "top-level field",
            khaos_with("/colour", Some(json!("red"))),
            "colour",
        ),
        (
            "new merchant object",
            khaos_with("/customer", Some(json!({"company_name": "New Ltd"}))),
            "customer",
        ),
        (
            "store field",
            khaos_with("/store/enabled", Some(json!(true))),
            "store.enabled",
        ),
        (
            "another platform's adapter key",
            khaos_with("/store/adapter/shop_name", Some(json!("brand-x"))),
            "store.adapter.shop_name",
        ),
    ];
    for (case, body, path) in cases {
        let reply = post_raw(&app, &token, body.to_string()).await;
        assert_error(
            case,
            &reply,
            StatusCode::UNPROCESSABLE_ENTITY,
            &Shape::FieldErrors(path),
        );
        assert_eq!(row_counts(&app), before, "{case}");
    }
}

#[tokio::test]
async fn oversized_bodies_change_nothing() {
    let app = TestApp::new();
    let token = app.token().await;
    let before = row_counts(&app);
    // Valid JSON just over the limit, so that only its size is wrong.
    let padded = khaos_with(
        "/store/adapter/site_name",
        Some(Value::from(" ".repeat(64 * 1024))),
    )
    .to_string();

    let reply = post_raw(&app, &token, padded.clone()).await;
    assert_error(
        "declared length",
        &reply,
        StatusCode::PAYLOAD_TOO_LARGE,
        &Shape::Error("64 KiB"),
    );
    assert_eq!(row_counts(&app), before);

    // A body of unknown length, as with chunked transfer encoding, is
    // counted while it is read.
    let unsized_body = http_body_util::Full::new(Bytes::from(padded)).map_frame(|frame| frame);
    let reply = post_raw(&app, &token, Body::new(unsized_body)).await;
    assert_error(
        "unknown length",
        &reply,
        StatusCode::PAYLOAD_TOO_LARGE,
        &Shape::Error("64 KiB"),
    );
    assert_eq!(row_counts(&app), before);
}

#[tokio::test]
async fn bad_authorization_changes_nothing() {
    let app = TestApp::new();
    let expired = app.token().await;
    rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .execute("UPDATE tokens SET expires_at = unixepoch() - 1", [])
        .unwrap();
    let before = row_counts(&app);
    let basic = format!("Basic {}", {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(format!("{USERNAME}:{PASSWORD}"))
    });
    let cases = [
        ("missing", None, "Sign in first"),
        (
            "wrong token",
            Some("Bearer 0123abcd".to_string()),
            "invalid",
        ),
        (
            "expired token",
            Some(format!("Bearer {expired}")),
            "expired",
        ),
        ("empty bearer", Some("Bearer ".to_string()), "Sign in first"),
        ("Basic credentials", Some(basic), "Sign in first"),
        ("bare token", Some(expired.clone()), "Sign in first"),
    ];
    for (case, authorization, message) in cases {
        let mut builder = Request::post("/api/connections")
            .header(header::CONTENT_TYPE, "application/json")
            .header("Idempotency-Key", "bad-auth-key");
        if let Some(authorization) = authorization {
            builder = builder.header(header::AUTHORIZATION, authorization);
        }
        let request = builder
            .body(Body::from(new_khaos_connection().to_string()))
            .unwrap();
        let reply = app.send(request).await;
        assert_error(
            case,
            &reply,
            StatusCode::UNAUTHORIZED,
            &Shape::Error(message),
        );
        assert_eq!(reply.header("www-authenticate"), Some("Bearer"), "{case}");
        assert_eq!(row_counts(&app), before, "{case}");
    }
}

#[tokio::test]
async fn wrong_content_types_change_nothing() {
    let app = TestApp::new();
    let token = app.token().await;
    let before = row_counts(&app);
    let cases = [
        ("missing", None),
        ("text/plain", Some("text/plain")),
        ("form", Some("application/x-www-form-urlencoded")),
        ("JSON prefix", Some("application/jsonp")),
    ];
    for (case, content_type) in cases {
        let mut builder = Request::post("/api/connections")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header("Idempotency-Key", "bad-type-key");
        if let Some(content_type) = content_type {
            builder = builder.header(header::CONTENT_TYPE, content_type);
        }
        let request = builder
            .body(Body::from(new_khaos_connection().to_string()))
            .unwrap();
        let reply = app.send(request).await;
        assert_error(
            case,
            &reply,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &Shape::Error("Content-Type: application/json"),
        );
        assert_eq!(row_counts(&app), before, "{case}");
    }
}

#[tokio::test]
async fn hostile_names_are_stored_verbatim() {
    let app = TestApp::new();
    let token = app.token().await;
    let longest = "🛒".repeat(255);
    let names = [
        "Robert'); DROP TABLE connections;--",
        "x' OR '1'='1",
        "<script>alert(1)</script>",
        "<img src=x onerror=\"alert('store')\">&amp;",
        "100% _wild_ \\ \"quoted\" `tick`",
        "🛒 Shop 🇬🇧 👩‍👩‍👧",
        "متجر الإلكترونيات",
        "\u{200F}חנות\u{200F} Brand X",
        "abc\u{202E}txt.exe",
        "Cafe\u{301} Ünïcödé",
        longest.as_str(),
    ];

    let mut created = Vec::new();
    for name in names {
        let mut body = new_khaos_connection();
        body["name"] = Value::from(name);
        body["store"]["name"] = Value::from(name);
        let reply = app.post("/connections", &token, &body).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{name}: {}", reply.text);
        created.push((reply.json()["id"].as_i64().unwrap(), name));
    }

    let connections = app.get("/connections", &token).await;
    let stores = app.get("/stores", &token).await;
    for reply in [&connections, &stores] {
        assert_eq!(reply.header("content-type"), Some("application/json"));
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    }
    let connections = connections.json();
    let stores = stores.json();
    for (id, name) in created {
        let connection = connections
            .as_array()
            .unwrap()
            .iter()
            .find(|connection| connection["id"] == id)
            .unwrap_or_else(|| panic!("connection {id} is not listed"));
        assert_eq!(connection["name"], name, "{name}");
        let store = stores
            .as_array()
            .unwrap()
            .iter()
            .find(|store| store["id"] == connection["store_id"])
            .unwrap_or_else(|| panic!("the store of connection {id} is not listed"));
        assert_eq!(store["name"], name, "{name}");
    }

    let stored: Vec<(String, String)> = app.query(
        "SELECT c.name, s.name FROM connections c JOIN stores s ON s.id = c.store_id ORDER BY c.id",
        |row| Ok((row.get(0)?, row.get(1)?)),
    );
    let expected: Vec<(String, String)> = names
        .iter()
        .map(|name| (name.to_string(), name.to_string()))
        .collect();
    assert_eq!(stored, expected);
    assert_eq!(app.count("connections"), names.len() as i64);
    assert_eq!(app.count("stores"), 1 + names.len() as i64);
}

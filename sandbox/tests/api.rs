//! Signing in, the list endpoints, error shapes and the page's files.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use serde_json::{Value, json};

#[tokio::test]
async fn token_for_demo_credentials() {
    let app = TestApp::new();
    let reply = app.send(token_request(USERNAME, PASSWORD)).await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = reply.json();
    assert_eq!(body["token_type"], "Bearer");
    let token = body["access_token"].as_str().unwrap();
    assert_eq!(token.len(), 64);
    assert!(token.bytes().all(|byte| byte.is_ascii_hexdigit()));
    assert_eq!(app.count("tokens"), 1);
}

#[tokio::test]
async fn token_refused_for_wrong_password() {
    let app = TestApp::new();
    let reply = app.send(token_request(USERNAME, "wrong")).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert!(reply.json()["error"].as_str().unwrap().contains("wrong"));
    assert!(
        reply
            .header("www-authenticate")
            .unwrap()
            .starts_with("Basic")
    );
    assert_eq!(app.count("tokens"), 0);
}

#[tokio::test]
async fn token_refused_for_unknown_user_and_missing_header() {
    let app = TestApp::new();
    let reply = app.send(token_request("nobody", PASSWORD)).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);

    let request = post_json(
        "/auth/token",
        None,
        None,
        r#"{"grant_type":"client_credentials"}"#.into(),
    );
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert!(reply.json()["error"].is_string());
}

#[tokio::test]
async fn token_needs_the_client_credentials_grant() {
    let app = TestApp::new();
    let mut request = token_request(USERNAME, PASSWORD);
    *request.body_mut() = Body::from(r#"{"grant_type":"password"}"#);
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(
        reply.json()["error"]
            .as_str()
            .unwrap()
            .contains("client_credentials")
    );
}

#[tokio::test]
async fn lists_need_a_bearer_token() {
    let app = TestApp::new();
    for path in ["/customers", "/warehouses", "/stores", "/connections"] {
        let request = Request::get(format!("/api{path}"))
            .body(Body::empty())
            .unwrap();
        let reply = app.send(request).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(reply.header("www-authenticate"), Some("Bearer"), "{path}");
        assert!(reply.json()["error"].is_string(), "{path}");
    }
}

#[tokio::test]
async fn wrong_token_is_unauthorized() {
    let app = TestApp::new();
    let reply = app.get("/customers", "not-a-token").await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.header("www-authenticate"), Some("Bearer"));
    assert!(reply.json()["error"].as_str().unwrap().contains("expired"));
}

#[tokio::test]
async fn expired_token_is_unauthorized() {
    let app = TestApp::new();
    let token = app.token().await;
    let connection = rusqlite::Connection::open(&app.db_path).unwrap();
    connection
        .execute("UPDATE tokens SET expires_at = unixepoch() - 1", [])
        .unwrap();
    let reply = app.get("/customers", &token).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn token_expires_in_one_hour() {
    let app = TestApp::new();
    app.token().await;
    let lifetimes = app.query("SELECT expires_at - unixepoch() FROM tokens", |row| {
        row.get::<_, i64>(0)
    });
    assert!((3590..=3600).contains(&lifetimes[0]), "{lifetimes:?}");
}

#[tokio::test]
async fn customers_list_the_seeded_merchants() {
    let app = TestApp::new();
    let token = app.token().await;
    let reply = app.get("/customers", &token).await;
    assert_eq!(reply.status, StatusCode::OK);
    let customers = reply.json();
    assert_eq!(customers[0]["id"], BRAND_X);
    assert_eq!(customers[0]["company_name"], "Brand X Ltd");
    assert_eq!(customers[0]["city"], "Leeds");
    assert_eq!(customers[0]["country"], "UK");
    assert_eq!(customers[1]["id"], NORTHWIND);
    assert_eq!(customers[1]["company_name"], "Northwind Goods Inc");
    assert_eq!(customers[1]["city"], "Newark");
    assert_eq!(customers[1]["country"], "US");
    assert_eq!(customers.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn warehouses_list_each_merchants_warehouses() {
    let app = TestApp::new();
    let token = app.token().await;
    let reply = app.get("/warehouses", &token).await;
    assert_eq!(reply.status, StatusCode::OK);
    let warehouses: Vec<(i64, i64, String)> = reply
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|warehouse| {
            (
                warehouse["id"].as_i64().unwrap(),
                warehouse["customer_id"].as_i64().unwrap(),
                warehouse["description"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        warehouses,
        [
            (BRAND_X_ACME, BRAND_X, "ACME WMS - Leeds".to_string()),
            (NORTHWIND_ACME, NORTHWIND, "ACME WMS - Leeds".to_string()),
            (
                NORTHWIND_HARBOR,
                NORTHWIND,
                "Harbor 3PL - Newark".to_string()
            ),
        ]
    );
    assert!(reply.json()[0].get("adapter").is_none());
}

#[tokio::test]
async fn stores_list_the_existing_khaos_store_without_adapter() {
    let app = TestApp::new();
    let token = app.token().await;
    let reply = app.get("/stores", &token).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.json(),
        json!([{
            "id": BRAND_X_KHAOS_STORE,
            "customer_id": BRAND_X,
            "name": "Brand X Khaos (existing)",
            "platform": "khaos_control"
        }])
    );
    assert!(!reply.text.contains("password"));
}

#[tokio::test]
async fn seeded_store_adapter_passes_the_model_check() {
    let app = TestApp::new();
    let adapters = app.query("SELECT adapter FROM stores", |row| row.get::<_, String>(0));
    let adapter: Value = serde_json::from_str(&adapters[0]).unwrap();
    let body = json!({
        "name": "Check",
        "customer_id": BRAND_X,
        "store": {"name": "Check", "platform": "khaos_control", "adapter": adapter}
    });
    let checked = dropstream_model::payload::check_connection_request(&body).unwrap();
    assert_eq!(Value::Object(checked.store.unwrap().adapter), adapter);
}

#[tokio::test]
async fn connections_list_starts_empty() {
    let app = TestApp::new();
    let token = app.token().await;
    let reply = app.get("/connections", &token).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json(), json!([]));
}

#[tokio::test]
async fn unknown_api_path_is_json_404() {
    let app = TestApp::new();
    let token = app.token().await;
    for path in ["/nothing", "/customers/1/orders", ""] {
        let reply = app.get(path, &token).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "/api{path}");
        assert!(reply.json()["error"].is_string(), "/api{path}");
    }
}

#[tokio::test]
async fn wrong_method_is_json_405() {
    let app = TestApp::new();
    let token = app.token().await;
    let reply = app.post("/customers", &token, &json!({})).await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(reply.json()["error"].is_string());
}

#[tokio::test]
async fn malformed_json_is_json_400() {
    let app = TestApp::new();
    let token = app.token().await;
    let request = post_json("/connections", Some(&token), None, "{\"name\": ".into());
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert!(
        reply.json()["error"]
            .as_str()
            .unwrap()
            .contains("not valid JSON")
    );
}

#[tokio::test]
async fn wrong_content_type_is_json_415() {
    let app = TestApp::new();
    let token = app.token().await;
    let request = Request::post("/api/connections")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from(new_khaos_connection().to_string()))
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(
        reply.json()["error"]
            .as_str()
            .unwrap()
            .contains("application/json")
    );
    assert_eq!(app.count("connections"), 0);
}

#[tokio::test]
async fn body_over_64_kib_is_json_413() {
    let app = TestApp::new();
    let token = app.token().await;
    let mut body = new_khaos_connection();
    body["name"] = Value::from("x".repeat(64 * 1024));
    let reply = app.post("/connections", &token, &body).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(reply.json()["error"].as_str().unwrap().contains("64 KiB"));
    assert_eq!(app.count("connections"), 0);
}

#[tokio::test]
async fn declared_oversized_body_is_413() {
    let app = TestApp::new();
    let token = app.token().await;
    let body = " ".repeat(64 * 1024 + 1);
    let request = Request::post("/api/stores/ping")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, body.len())
        .body(Body::from(body))
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(reply.json()["error"].is_string());
}

#[tokio::test]
async fn page_index_is_served_at_root_without_caching() {
    let app = TestApp::new();
    std::fs::write(app.dist_dir().join("index.html"), "<html>page</html>").unwrap();
    let reply = app
        .send(Request::get("/").body(Body::empty()).unwrap())
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.text, "<html>page</html>");
    assert_eq!(reply.header("cache-control"), Some("no-cache"));
}

#[tokio::test]
async fn hashed_assets_are_cached_for_a_year() {
    let app = TestApp::new();
    let name = "dropstream-connect-9f2c4e1a7b3d5c60.js";
    std::fs::write(app.dist_dir().join(name), "export {};").unwrap();
    let reply = app
        .send(
            Request::get(format!("/{name}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
}

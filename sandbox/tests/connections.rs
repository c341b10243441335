//! `POST /connections`, `POST /stores/ping` and idempotency keys.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};

/// The rows of `connections` as an outside test reads them.
type ConnectionRow = (String, i64, i64, i64, Option<String>);

fn connection_rows(app: &TestApp) -> Vec<ConnectionRow> {
    app.query(
        "SELECT name, customer_id, store_id, warehouse_id, enabled_at FROM connections ORDER BY id",
        |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
            ))
        },
    )
}

fn store_rows(app: &TestApp) -> Vec<(String, String, Value)> {
    app.query(
        "SELECT name, platform, adapter FROM stores ORDER BY id",
        |row| {
            let adapter: String = row.get(2)?;
            Ok((
                row.get(0)?,
                row.get(1)?,
                serde_json::from_str(&adapter).expect("adapter is JSON"),
            ))
        },
    )
}

#[tokio::test]
async fn create_with_new_khaos_store_stores_exact_adapter() {
    let app = TestApp::new();
    let token = app.token().await;
    let reply = app
        .post("/connections", &token, &new_khaos_connection())
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    assert_eq!(reply.json(), json!({"id": 1}));

    let stores = store_rows(&app);
    assert_eq!(stores.len(), 2);
    let (name, platform, adapter) = &stores[1];
    assert_eq!(name, "Brand X Khaos");
    assert_eq!(platform, "khaos_control");
    assert_eq!(
        adapter,
        &json!({
            "url": "https://api.khaoscloud.com/example",
            "password": " secret with spaces ",
            "order_import_status": 12,
            "substage_id": 4,
            "site_name": "Main Site"
        })
    );

    assert_eq!(
        connection_rows(&app),
        [(
            "Brand X - Khaos -> ACME WMS".to_string(),
            BRAND_X,
            2,
            BRAND_X_ACME,
            None
        )]
    );
}

#[tokio::test]
async fn create_normalises_like_the_page() {
    let app = TestApp::new();
    let token = app.token().await;
    let mut body = new_khaos_connection();
    body["name"] = Value::from("  Padded name ");
    body["store"]["adapter"] =
        json!({"url": " https://on-prem:8443/KhaosIDS.exe/x ", "password": "pw", "site_name": ""});
    let reply = app.post("/connections", &token, &body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);

    assert_eq!(connection_rows(&app)[0].0, "Padded name");
    assert_eq!(
        store_rows(&app)[1].2,
        json!({"url": "https://on-prem:8443/KhaosIDS.exe/x", "password": "pw", "order_import_status": 9})
    );
}

#[tokio::test]
async fn created_connection_is_listed_disabled() {
    let app = TestApp::new();
    let token = app.token().await;
    app.post("/connections", &token, &new_khaos_connection())
        .await;
    let reply = app.get("/connections", &token).await;
    assert_eq!(
        reply.json(),
        json!([{
            "id": 1,
            "name": "Brand X - Khaos -> ACME WMS",
            "customer_id": BRAND_X,
            "store_id": 2,
            "warehouse_id": BRAND_X_ACME,
            "enabled_at": null
        }])
    );
}

#[tokio::test]
async fn stores_list_never_shows_the_new_password() {
    let app = TestApp::new();
    let token = app.token().await;
    app.post("/connections", &token, &new_khaos_connection())
        .await;
    let reply = app.get("/stores", &token).await;
    assert_eq!(reply.json().as_array().unwrap().len(), 2);
    assert!(!reply.text.contains("secret with spaces"));
    assert!(!reply.text.contains("adapter"));
    assert!(!reply.text.contains("password"));
}

#[tokio::test]
async fn create_needs_a_token() {
    let app = TestApp::new();
    let request = post_json(
        "/connections",
        None,
        None,
        new_khaos_connection().to_string(),
    );
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.header("www-authenticate"), Some("Bearer"));
    assert_eq!(app.count("connections"), 0);
}

#[tokio::test]
async fn invalid_fields_are_422_by_dotted_path() {
    let app = TestApp::new();
    let token = app.token().await;
    let mut body = new_khaos_connection();
    body["name"] = Value::from(" ");
    body["store"]["adapter"]["url"] = Value::from("ftp://khaos");
    body["store"]["adapter"]["order_import_status"] = Value::from(17);
    body["store"]["adapter"]["substage_id"] = Value::from("four");
    let reply = app.post("/connections", &token, &body).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);

    let errors = reply.json()["errors"].clone();
    let paths: Vec<&str> = errors
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        paths,
        [
            "name",
            "store.adapter.order_import_status",
            "store.adapter.substage_id",
            "store.adapter.url"
        ]
    );
    assert!(errors["name"][0].is_string());
    assert_eq!(app.count("stores"), 1);
    assert_eq!(app.count("connections"), 0);
}

#[tokio::test]
async fn missing_password_is_422() {
    let app = TestApp::new();
    let token = app.token().await;
    let mut body = new_khaos_connection();
    body["store"]["adapter"]
        .as_object_mut()
        .unwrap()
        .remove("password");
    let reply = app.post("/connections", &token, &body).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.json()["errors"]["store.adapter.password"].is_array());
}

#[tokio::test]
async fn duplicate_via_store_id_is_409() {
    let app = TestApp::new();
    let token = app.token().await;
    let body = json!({
        "name": "Existing Khaos",
        "customer_id": BRAND_X,
        "warehouse_id": BRAND_X_ACME,
        "store_id": BRAND_X_KHAOS_STORE
    });
    let first = app.post("/connections", &token, &body).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let id = first.json()["id"].as_i64().unwrap();

    let second = app.post("/connections", &token, &body).await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert_eq!(
        second.json()["error"],
        format!(
            "A connection for this merchant, store and warehouse already exists (connection {id})."
        )
    );
    assert_eq!(app.count("connections"), 1);
}

#[tokio::test]
async fn missing_warehouse_uses_the_merchants_first() {
    let app = TestApp::new();
    let token = app.token().await;
    let mut body = new_khaos_connection();
    body["customer_id"] = Value::from(NORTHWIND);
    body.as_object_mut().unwrap().remove("warehouse_id");
    let reply = app.post("/connections", &token, &body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    assert_eq!(connection_rows(&app)[0].3, NORTHWIND_ACME);
}

#[tokio::test]
async fn warehouse_of_another_merchant_is_422() {
    let app = TestApp::new();
    let token = app.token().await;
    let mut body = new_khaos_connection();
    body["warehouse_id"] = Value::from(NORTHWIND_HARBOR);
    let reply = app.post("/connections", &token, &body).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = reply.json()["errors"].clone();
    assert!(
        errors["warehouse_id"][0]
            .as_str()
            .unwrap()
            .contains("another merchant")
    );
    assert_eq!(errors.as_object().unwrap().len(), 1);
    assert_eq!(
        app.count("stores"),
        1,
        "no store is left without its connection"
    );
}

#[tokio::test]
async fn store_of_another_merchant_is_422() {
    let app = TestApp::new();
    let token = app.token().await;
    let body = json!({
        "name": "Wrong store",
        "customer_id": NORTHWIND,
        "warehouse_id": NORTHWIND_HARBOR,
        "store_id": BRAND_X_KHAOS_STORE
    });
    let reply = app.post("/connections", &token, &body).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.json()["errors"]["store_id"][0]
            .as_str()
            .unwrap()
            .contains("another merchant")
    );
    assert_eq!(app.count("connections"), 0);
}

#[tokio::test]
async fn unknown_ids_are_422_on_their_paths() {
    let app = TestApp::new();
    let token = app.token().await;

    let mut body = new_khaos_connection();
    body["customer_id"] = Value::from(99);
    let reply = app.post("/connections", &token, &body).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.json()["errors"]["customer_id"][0]
            .as_str()
            .unwrap()
            .contains("99")
    );

    let body = json!({"name": "C", "customer_id": BRAND_X, "warehouse_id": 98, "store_id": 97});
    let reply = app.post("/connections", &token, &body).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = reply.json()["errors"].clone();
    assert!(errors["warehouse_id"][0].as_str().unwrap().contains("98"));
    assert!(errors["store_id"][0].as_str().unwrap().contains("97"));
    assert_eq!(app.count("connections"), 0);
}

#[tokio::test]
async fn ping_accepts_a_valid_store() {
    let app = TestApp::new();
    let token = app.token().await;
    let store = new_khaos_connection()["store"].clone();
    let reply = app.post("/stores/ping", &token, &store).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert_eq!(reply.text, "");
    assert_eq!(app.count("stores"), 1);
}

#[tokio::test]
async fn ping_accepts_a_store_without_name() {
    let app = TestApp::new();
    let token = app.token().await;
    let store = json!({"platform": "khaos_control", "adapter": {"url": "https://a.example", "password": "p"}});
    let reply = app.post("/stores/ping", &token, &store).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text);
}

#[tokio::test]
async fn ping_rejects_bad_adapter_by_path() {
    let app = TestApp::new();
    let token = app.token().await;
    let store = json!({"name": "S", "platform": "khaos_control", "adapter": {"url": "nope", "password": ""}});
    let reply = app.post("/stores/ping", &token, &store).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = reply.json()["errors"].clone();
    let paths: Vec<&str> = errors
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(paths, ["adapter.password", "adapter.url"]);

    let reply = app.post("/stores/ping", &token, &json!([1])).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.json()["errors"][""].is_array());
}

#[tokio::test]
async fn ping_needs_a_token() {
    let app = TestApp::new();
    let request = post_json("/stores/ping", None, None, "{}".into());
    assert_eq!(app.send(request).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn idempotent_replay_returns_the_same_id() {
    let app = TestApp::new();
    let token = app.token().await;
    let body = new_khaos_connection().to_string();

    let first = app
        .send(post_json(
            "/connections",
            Some(&token),
            Some("key-1"),
            body.clone(),
        ))
        .await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(first.header("idempotent-replayed"), None);

    let second = app
        .send(post_json("/connections", Some(&token), Some("key-1"), body))
        .await;
    assert_eq!(second.status, StatusCode::CREATED);
    assert_eq!(second.json(), first.json());
    assert_eq!(second.header("idempotent-replayed"), Some("true"));
    assert_eq!(second.header("content-type"), Some("application/json"));

    assert_eq!(app.count("connections"), 1);
    assert_eq!(app.count("stores"), 2);
}

#[tokio::test]
async fn idempotency_key_reuse_with_other_body_is_400() {
    let app = TestApp::new();
    let token = app.token().await;
    let first = app
        .send(post_json(
            "/connections",
            Some(&token),
            Some("key-2"),
            new_khaos_connection().to_string(),
        ))
        .await;
    assert_eq!(first.status, StatusCode::CREATED);

    let mut other = new_khaos_connection();
    other["name"] = Value::from("Another name");
    let second = app
        .send(post_json(
            "/connections",
            Some(&token),
            Some("key-2"),
            other.to_string(),
        ))
        .await;
    assert_eq!(second.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        second.json()["error"],
        "This Idempotency-Key was already used with a different request."
    );
    assert_eq!(app.count("connections"), 1);
    assert_eq!(app.count("stores"), 2, "the refused body created no store");
    assert_eq!(app.count("idempotency_keys"), 1);
}

#[tokio::test]
async fn different_keys_create_separately() {
    let app = TestApp::new();
    let token = app.token().await;
    for key in ["key-a", "key-b"] {
        let reply = app
            .send(post_json(
                "/connections",
                Some(&token),
                Some(key),
                new_khaos_connection().to_string(),
            ))
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{key}");
    }
    assert_eq!(app.count("connections"), 2);
}

#[tokio::test]
async fn rejected_request_does_not_use_up_its_key() {
    let app = TestApp::new();
    let token = app.token().await;
    let mut invalid = new_khaos_connection();
    invalid["name"] = Value::from("");
    let reply = app
        .send(post_json(
            "/connections",
            Some(&token),
            Some("key-3"),
            invalid.to_string(),
        ))
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("idempotency_keys"), 0);

    let reply = app
        .send(post_json(
            "/connections",
            Some(&token),
            Some("key-3"),
            new_khaos_connection().to_string(),
        ))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
}

#[tokio::test]
async fn malformed_idempotency_key_is_400() {
    let app = TestApp::new();
    let token = app.token().await;
    let long_key = "k".repeat(256);
    let reply = app
        .send(post_json(
            "/connections",
            Some(&token),
            Some(&long_key),
            new_khaos_connection().to_string(),
        ))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(
        reply.json()["error"]
            .as_str()
            .unwrap()
            .contains("Idempotency-Key")
    );
    assert_eq!(app.count("connections"), 0);
}

/// Sends every request at once, each from its own task, and returns each
/// reply's status, body and whether it was a replay, in request order.
async fn send_concurrently(
    app: &TestApp,
    requests: Vec<axum::http::Request<axum::body::Body>>,
) -> Vec<(StatusCode, Value, bool)> {
    let mut tasks = Vec::new();
    for request in requests {
        let router = app.router.clone();
        tasks.push(tokio::spawn(async move {
            use tower::ServiceExt;
            let response = router.oneshot(request).await.unwrap();
            let status = response.status();
            let replayed = response.headers().contains_key("idempotent-replayed");
            let bytes = http_body_util::BodyExt::collect(response.into_body())
                .await
                .unwrap()
                .to_bytes();
            (
                status,
                serde_json::from_slice::<Value>(&bytes).unwrap(),
                replayed,
            )
        }));
    }
    let mut replies = Vec::new();
    for task in tasks {
        replies.push(task.await.unwrap());
    }
    replies
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_creates_with_one_key_make_one_connection() {
    let app = TestApp::new();
    let token = app.token().await;
    let body = new_khaos_connection().to_string();
    let requests = (0..20)
        .map(|_| post_json("/connections", Some(&token), Some("same-key"), body.clone()))
        .collect();

    let replies = send_concurrently(&app, requests).await;

    let ids: Vec<i64> = app.query("SELECT id FROM connections", |row| row.get(0));
    assert_eq!(ids.len(), 1, "exactly one connection");
    for (status, body, _) in &replies {
        assert_eq!(*status, StatusCode::CREATED, "{body}");
        assert_eq!(body, &json!({"id": ids[0]}));
    }
    let originals = replies.iter().filter(|(_, _, replayed)| !replayed).count();
    assert_eq!(originals, 1, "one create, 19 replays");
    assert_eq!(app.count("stores"), 2);
    assert_eq!(app.count("idempotency_keys"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_key_reuse_with_other_body_is_400() {
    let app = TestApp::new();
    let token = app.token().await;
    let first = new_khaos_connection();
    let mut second = new_khaos_connection();
    second["name"] = Value::from("Another name");
    second["store"]["name"] = Value::from("Another store");
    let bodies = [first.to_string(), second.to_string()];
    // Alternate the two bodies, so that either may win the key.
    let requests = (0..20)
        .map(|index| {
            post_json(
                "/connections",
                Some(&token),
                Some("contested-key"),
                bodies[index % 2].clone(),
            )
        })
        .collect();

    let replies = send_concurrently(&app, requests).await;

    let rows: Vec<(i64, String)> = app.query("SELECT id, name FROM connections", |row| {
        Ok((row.get(0)?, row.get(1)?))
    });
    assert_eq!(rows.len(), 1, "exactly one connection: {rows:?}");
    let (id, name) = &rows[0];
    let winner = if name == "Another name" { 1 } else { 0 };
    for (index, (status, body, _)) in replies.iter().enumerate() {
        if index % 2 == winner {
            assert_eq!(*status, StatusCode::CREATED, "request {index}: {body}");
            assert_eq!(body, &json!({"id": id}), "request {index}");
        } else {
            assert_eq!(*status, StatusCode::BAD_REQUEST, "request {index}: {body}");
            assert_eq!(
                body["error"],
                "This Idempotency-Key was already used with a different request."
            );
        }
    }
    assert_eq!(app.count("stores"), 2, "the refused body created no store");
    assert_eq!(app.count("idempotency_keys"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_duplicates_without_key_give_one_create() {
    let app = TestApp::new();
    let token = app.token().await;
    let body = json!({
        "name": "Existing Khaos",
        "customer_id": BRAND_X,
        "store_id": BRAND_X_KHAOS_STORE
    })
    .to_string();

    let mut tasks = Vec::new();
    for _ in 0..10 {
        let router = app.router.clone();
        let request = post_json("/connections", Some(&token), None, body.clone());
        tasks.push(tokio::spawn(async move {
            use tower::ServiceExt;
            router.oneshot(request).await.unwrap().status()
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }

    let created = statuses
        .iter()
        .filter(|status| **status == StatusCode::CREATED)
        .count();
    let conflicts = statuses
        .iter()
        .filter(|status| **status == StatusCode::CONFLICT)
        .count();
    assert_eq!(created, 1, "{statuses:?}");
    assert_eq!(conflicts, 9, "{statuses:?}");
    assert_eq!(app.count("connections"), 1);
}

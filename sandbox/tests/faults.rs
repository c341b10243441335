//! The test-only endpoints under `/api/_test`.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

async fn set_fault(app: &TestApp, fault: Value) -> Reply {
    app.send(post_json("/_test/faults", None, None, fault.to_string()))
        .await
}

async fn create(app: &TestApp, token: &str, key: Option<&str>) -> Reply {
    app.send(post_json(
        "/connections",
        Some(token),
        key,
        new_khaos_connection().to_string(),
    ))
    .await
}

#[tokio::test]
async fn test_endpoints_absent_without_test_mode() {
    let app = TestApp::new();
    let token = app.token().await;

    let reply = set_fault(&app, json!({"connections": {"mode": "fail_500"}})).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.json()["error"].is_string());

    let reply = app
        .send(post_json("/_test/expire-tokens", None, None, "{}".into()))
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);

    assert_eq!(create(&app, &token, None).await.status, StatusCode::CREATED);
}

#[tokio::test]
async fn fail_500_fails_count_requests_without_creating() {
    let app = TestApp::with_faults();
    let token = app.token().await;
    let reply = set_fault(
        &app,
        json!({"connections": {"mode": "fail_500", "count": 2}}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);

    for _ in 0..2 {
        let reply = create(&app, &token, Some("key-1")).await;
        assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(reply.json(), json!({"error": "Injected fault"}));
    }
    assert_eq!(app.count("connections"), 0);
    assert_eq!(app.count("stores"), 1);

    let reply = create(&app, &token, Some("key-1")).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(app.count("connections"), 1);
}

#[tokio::test]
async fn drop_after_commit_creates_then_returns_502() {
    let app = TestApp::with_faults();
    let token = app.token().await;
    set_fault(&app, json!({"connections": {"mode": "drop_after_commit"}})).await;

    let lost = create(&app, &token, Some("key-2")).await;
    assert_eq!(lost.status, StatusCode::BAD_GATEWAY);
    assert_eq!(lost.text, "<html><body>Bad gateway</body></html>");
    assert!(
        lost.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert_eq!(app.count("connections"), 1);

    let retry = create(&app, &token, Some("key-2")).await;
    assert_eq!(retry.status, StatusCode::CREATED);
    assert_eq!(retry.json(), json!({"id": 1}));
    assert_eq!(retry.header("idempotent-replayed"), Some("true"));
    assert_eq!(app.count("connections"), 1);
}

#[tokio::test]
async fn delay_waits_then_creates() {
    let app = TestApp::with_faults();
    let token = app.token().await;
    set_fault(
        &app,
        json!({"connections": {"mode": "delay", "delay_ms": 200}}),
    )
    .await;

    let started = Instant::now();
    let reply = create(&app, &token, None).await;
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(reply.status, StatusCode::CREATED);

    let started = Instant::now();
    let mut other = new_khaos_connection();
    other["name"] = Value::from("Second");
    app.post("/connections", &token, &other).await;
    assert!(
        started.elapsed() < Duration::from_millis(200),
        "the fault applied once"
    );
}

#[tokio::test]
async fn delay_before_commit_waits_then_commits() {
    let app = TestApp::with_faults();
    let token = app.token().await;
    let reply = set_fault(
        &app,
        json!({"connections": {"mode": "delay_before_commit", "delay_ms": 200}}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text);

    let started = Instant::now();
    let reply = create(&app, &token, Some("key-4")).await;
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(app.count("connections"), 1);
    assert_eq!(app.count("stores"), 2);
    assert_eq!(app.count("idempotency_keys"), 1);

    let started = Instant::now();
    let mut other = new_khaos_connection();
    other["name"] = Value::from("Second");
    app.post("/connections", &token, &other).await;
    assert!(
        started.elapsed() < Duration::from_millis(200),
        "the fault applied once"
    );
}

#[tokio::test]
async fn null_fault_clears_the_pending_one() {
    let app = TestApp::with_faults();
    let token = app.token().await;
    set_fault(
        &app,
        json!({"connections": {"mode": "fail_500", "count": 5}}),
    )
    .await;
    let reply = set_fault(&app, json!({"connections": null})).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert_eq!(create(&app, &token, None).await.status, StatusCode::CREATED);
}

#[tokio::test]
async fn invalid_fault_requests_are_rejected() {
    let app = TestApp::with_faults();
    let reply = set_fault(&app, json!({"connections": {"mode": "explode"}})).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.json()["error"].is_string());

    let reply = set_fault(
        &app,
        json!({"connections": {"mode": "fail_500", "count": 0}}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.json()["errors"]["connections.count"].is_array());

    let reply = set_fault(
        &app,
        json!({"connections": {"mode": "delay", "delay_ms": 600_000}}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn expire_tokens_makes_the_next_call_401() {
    let app = TestApp::with_faults();
    let token = app.token().await;
    assert_eq!(app.get("/customers", &token).await.status, StatusCode::OK);

    let request = Request::post("/api/_test/expire-tokens")
        .body(Body::empty())
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json(), json!({"deleted": 1}));

    let reply = app.get("/customers", &token).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.header("www-authenticate"), Some("Bearer"));
}

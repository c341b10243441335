//! The page's Content-Security-Policy and the headers sent with every response.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use base64::Engine;
use common::*;
use sha2::{Digest, Sha256};

/// The inline script that Trunk writes into `index.html`, in the same shape.
const TRUNK_SCRIPT: &str = "\nimport init, * as bindings from '/dropstream-connect-1ca336c00045d73a.js';\n\
const wasm = await init({ module_or_path: '/dropstream-connect-1ca336c00045d73a_bg.wasm' });\n\n\n\
window.wasmBindings = bindings;\n\n\n\
dispatchEvent(new CustomEvent(\"TrunkApplicationStarted\", {detail: {wasm}}));\n\n";

fn trunk_index(script: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n  <head>\n    <meta charset=\"utf-8\" />\n    \
         <title>Add Connection · DropStream</title>\n    <link rel=\"icon\" href=\"data:,\" />\n\
         <script type=\"module\">{script}</script>\n  <link rel=\"modulepreload\" \
         href=\"/dropstream-connect-1ca336c00045d73a.js\" crossorigin=\"anonymous\"></head>\n  \
         <body><div id=\"dropstream-connect\" data-api-base=\"/api\"></div></body>\n</html>\n"
    )
}

/// Computes the CSP source for a script from its text, independently of the sandbox.
fn sha256_source(script: &str) -> String {
    let digest = Sha256::digest(script.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

fn page_request(method: &str, path: &str) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(path)
        .body(Body::empty())
        .unwrap()
}

/// Returns the directive of a policy that starts with `name`.
fn directive<'a>(policy: &'a str, name: &str) -> &'a str {
    policy
        .split(';')
        .map(str::trim)
        .find(|directive| directive.split(' ').next() == Some(name))
        .unwrap_or_else(|| panic!("no {name} directive in {policy:?}"))
}

fn policy_of(reply: &Reply) -> &str {
    reply
        .header("content-security-policy")
        .unwrap_or_else(|| panic!("no Content-Security-Policy; headers: {:?}", reply.headers))
}

#[tokio::test]
async fn index_policy_allows_trunk_script_by_hash() {
    let app = TestApp::new();
    std::fs::write(app.dist_dir().join("index.html"), trunk_index(TRUNK_SCRIPT)).unwrap();

    for path in ["/", "/index.html"] {
        let reply = app.send(page_request("GET", path)).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert_eq!(reply.text, trunk_index(TRUNK_SCRIPT), "{path}");
        let policy = policy_of(&reply);
        assert_eq!(
            directive(policy, "script-src"),
            format!(
                "script-src 'self' 'wasm-unsafe-eval' {}",
                sha256_source(TRUNK_SCRIPT)
            ),
            "{path}"
        );
    }
}

#[tokio::test]
async fn index_policy_has_every_strict_directive() {
    let app = TestApp::new();
    std::fs::write(app.dist_dir().join("index.html"), trunk_index(TRUNK_SCRIPT)).unwrap();
    let reply = app.send(page_request("GET", "/")).await;
    let policy = policy_of(&reply);

    assert_eq!(directive(policy, "connect-src"), "connect-src 'self'");
    assert_eq!(directive(policy, "default-src"), "default-src 'none'");
    assert_eq!(directive(policy, "style-src"), "style-src 'self'");
    assert_eq!(directive(policy, "img-src"), "img-src 'self' data:");
    assert_eq!(directive(policy, "base-uri"), "base-uri 'none'");
    assert_eq!(directive(policy, "form-action"), "form-action 'self'");
    assert_eq!(
        directive(policy, "frame-ancestors"),
        "frame-ancestors 'self'"
    );
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    assert_eq!(policy.matches(';').count(), 7, "{policy}");
}

#[tokio::test]
async fn rebuilt_index_gets_the_new_hash() {
    let app = TestApp::new();
    let index = app.dist_dir().join("index.html");
    std::fs::write(&index, trunk_index(TRUNK_SCRIPT)).unwrap();
    let first = app.send(page_request("GET", "/")).await;

    let rebuilt_script = TRUNK_SCRIPT.replace("1ca336c00045d73a", "77e0d1f2a3b4c5d6");
    std::fs::write(&index, trunk_index(&rebuilt_script)).unwrap();
    let second = app.send(page_request("GET", "/")).await;

    assert!(policy_of(&first).contains(&sha256_source(TRUNK_SCRIPT)));
    assert!(policy_of(&second).contains(&sha256_source(&rebuilt_script)));
    assert!(!policy_of(&second).contains(&sha256_source(TRUNK_SCRIPT)));
}

#[tokio::test]
async fn demo_page_policy_hashes_its_own_scripts() {
    let app = TestApp::new();
    let demo = app.dist_dir().join("demo");
    std::fs::create_dir(&demo).unwrap();
    let first = "window.hostReady = true;";
    let second = "console.log('<b>second</b>');";
    let html = format!(
        "<!DOCTYPE html><html><head><script type=\"module\" src=\"host.js\"></script>\
         <script>{first}</script></head><body><script data-x='a>b'>{second}</script></body></html>"
    );
    std::fs::write(demo.join("host.html"), &html).unwrap();
    std::fs::write(demo.join("plain.html"), "<p>no scripts</p>").unwrap();

    let reply = app.send(page_request("GET", "/demo/host.html")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        directive(policy_of(&reply), "script-src"),
        format!(
            "script-src 'self' 'wasm-unsafe-eval' {} {}",
            sha256_source(first),
            sha256_source(second)
        )
    );

    let reply = app.send(page_request("GET", "/demo/plain.html")).await;
    assert_eq!(
        directive(policy_of(&reply), "script-src"),
        "script-src 'self' 'wasm-unsafe-eval'"
    );
}

#[tokio::test]
async fn head_gets_the_same_policy_without_body() {
    let app = TestApp::new();
    let html = trunk_index(TRUNK_SCRIPT);
    std::fs::write(app.dist_dir().join("index.html"), &html).unwrap();
    let get = app.send(page_request("GET", "/")).await;
    let head = app.send(page_request("HEAD", "/")).await;

    assert_eq!(head.status, StatusCode::OK);
    assert_eq!(head.text, "");
    assert_eq!(policy_of(&head), policy_of(&get));
    assert_eq!(
        head.header("content-length"),
        Some(html.len().to_string().as_str())
    );
}

#[tokio::test]
async fn range_request_gets_whole_page() {
    let app = TestApp::new();
    let html = trunk_index(TRUNK_SCRIPT);
    std::fs::write(app.dist_dir().join("index.html"), &html).unwrap();
    let request = Request::get("/index.html")
        .header(header::RANGE, "bytes=0-9")
        .body(Body::empty())
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.text, html);
    assert!(policy_of(&reply).contains(&sha256_source(TRUNK_SCRIPT)));
}

#[tokio::test]
async fn not_modified_page_keeps_the_stored_policy() {
    let app = TestApp::new();
    std::fs::write(app.dist_dir().join("index.html"), trunk_index(TRUNK_SCRIPT)).unwrap();
    let first = app.send(page_request("GET", "/")).await;
    let last_modified = first.header("last-modified").unwrap().to_string();

    let request = Request::get("/")
        .header(header::IF_MODIFIED_SINCE, last_modified)
        .body(Body::empty())
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::NOT_MODIFIED);
    // A 304 updates the headers that the browser stored with the page. A
    // policy here would replace the stored one, so sending none keeps it.
    assert_eq!(reply.header("content-security-policy"), None);
}

#[tokio::test]
async fn assets_get_no_page_policy() {
    let app = TestApp::new();
    let name = "dropstream-connect-9f2c4e1a7b3d5c60.js";
    std::fs::write(app.dist_dir().join(name), "export {};").unwrap();
    let reply = app.send(page_request("GET", &format!("/{name}"))).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-security-policy"), None);
    assert_eq!(reply.text, "export {};");
}

#[tokio::test]
async fn every_response_gets_nosniff_and_no_referrer() {
    let app = TestApp::new();
    let token = app.token().await;
    std::fs::write(app.dist_dir().join("index.html"), trunk_index(TRUNK_SCRIPT)).unwrap();
    std::fs::write(app.dist_dir().join("app-9f2c4e1a7b3d5c60.js"), "").unwrap();

    let replies = [
        ("page", app.send(page_request("GET", "/")).await),
        (
            "asset",
            app.send(page_request("GET", "/app-9f2c4e1a7b3d5c60.js"))
                .await,
        ),
        (
            "missing file",
            app.send(page_request("GET", "/missing.png")).await,
        ),
        ("API list", app.get("/customers", &token).await),
        ("API 401", app.get("/customers", "wrong").await),
        ("API 404", app.get("/nothing", &token).await),
        ("sign-in", app.send(token_request(USERNAME, PASSWORD)).await),
    ];
    for (what, reply) in &replies {
        assert_eq!(
            reply.header("x-content-type-options"),
            Some("nosniff"),
            "{what}"
        );
        assert_eq!(
            reply.header("referrer-policy"),
            Some("no-referrer"),
            "{what}"
        );
    }
}

//! Security headers. Every response gets [`NOSNIFF`] and [`NO_REFERRER`]
//! (set in [`crate::router`]), and every HTML page served from the dist
//! directory gets a strict `Content-Security-Policy` from [`page_policy`],
//! which allows the page's own inline scripts by their SHA-256 hashes.
//!
//! Trunk writes an inline `<script type="module">` into `index.html` that
//! loads the WebAssembly module, and its text changes with every build. So the
//! hashes are computed from the exact bytes of each page response, and a
//! rebuild while the sandbox runs is picked up on the next load.

use crate::inline_scripts::inline_script_bodies;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};

/// `X-Content-Type-Options` for every response: browsers must not guess a
/// type other than the `Content-Type` sent.
pub const NOSNIFF: &str = "nosniff";

/// `Referrer-Policy` for every response: links and requests from the page
/// send no `Referer` header.
pub const NO_REFERRER: &str = "no-referrer";

/// The largest HTML page that gets a policy, in bytes. A larger page gets a
/// 500, because serving it without its policy would drop the protection.
/// Trunk's `index.html` is a few KiB.
pub const MAX_PAGE_BYTES: usize = 1024 * 1024;

/// Builds the `Content-Security-Policy` for an HTML page: scripts, styles,
/// images and requests only from the page's own origin, WebAssembly
/// compilation allowed, and inline scripts allowed only if they are the
/// page's own, by hash. Nothing else loads, and only same-origin pages may
/// frame it.
pub fn page_policy(html: &str) -> String {
    let mut script_sources = vec!["'self'".to_string(), "'wasm-unsafe-eval'".to_string()];
    for body in inline_script_bodies(html) {
        let source = script_hash_source(&body);
        if !script_sources.contains(&source) {
            script_sources.push(source);
        }
    }
    format!(
        "default-src 'none'; script-src {}; style-src 'self'; connect-src 'self'; \
         img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'self'",
        script_sources.join(" ")
    )
}

/// Returns the CSP hash source for a script's text: `'sha256-` and the
/// base64 of the SHA-256 of its UTF-8 bytes, then `'`.
pub fn script_hash_source(script: &str) -> String {
    let digest = Sha256::digest(script.as_bytes());
    let encoded = base64::engine::general_purpose::STANDARD.encode(digest);
    format!("'sha256-{encoded}'")
}

/// Middleware for the dist directory's file service that adds the policy to
/// every `200` HTML response, computed from the body being sent.
///
/// The hashes need the whole body, so a request that may be for a page is
/// sent on as a whole `GET`. `HEAD` becomes `GET`, and the body is dropped
/// afterwards. `Range` is removed, which the HTTP range rules allow.
/// A `304 Not Modified` gets no policy, so that the browser keeps the one it
/// stored with the unchanged page, which is still right.
pub async fn add_page_policy(mut request: Request, next: Next) -> Response {
    let is_head = request.method() == Method::HEAD;
    if may_be_page(request.uri().path()) {
        if is_head {
            *request.method_mut() = Method::GET;
        }
        request.headers_mut().remove(header::RANGE);
    }

    let response = next.run(request).await;
    if response.status() != StatusCode::OK || !is_html(&response) {
        return response;
    }

    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, max_bytes = MAX_PAGE_BYTES, "failed to read an HTML page to compute its Content-Security-Policy");
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "The page could not be served with its Content-Security-Policy; the sandbox log has the cause.",
            )
                .into_response();
        }
    };

    // The policy is ASCII: fixed text, and hashes in base64.
    let policy = page_policy(&String::from_utf8_lossy(&bytes));
    let Ok(policy) = HeaderValue::from_str(&policy) else {
        tracing::error!(%policy, "the Content-Security-Policy is not a valid header value");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    parts
        .headers
        .insert(header::CONTENT_SECURITY_POLICY, policy);
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    let body = if is_head {
        Body::empty()
    } else {
        Body::from(bytes)
    };
    Response::from_parts(parts, body)
}

/// Checks whether a request path can be served with an HTML page: a
/// directory (served as its `index.html`), a name ending in `.html` or
/// `.htm`, or a path with percent escapes, which may hide either.
fn may_be_page(path: &str) -> bool {
    let lowercase = path.to_ascii_lowercase();
    lowercase.ends_with('/')
        || lowercase.ends_with(".html")
        || lowercase.ends_with(".htm")
        || lowercase.contains('%')
}

fn is_html(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("text/html")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_source_matches_a_known_digest() {
        // SHA-256 of "abc" in base64, from the FIPS 180-2 test vector in hex.
        assert_eq!(
            script_hash_source("abc"),
            "'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='"
        );
    }

    #[test]
    fn policy_without_inline_scripts() {
        assert_eq!(
            page_policy("<html><script src=\"/a.js\"></script></html>"),
            "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
             connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; \
             frame-ancestors 'self'"
        );
    }

    #[test]
    fn policy_lists_each_inline_script_once() {
        let policy = page_policy("<script>a()</script><script>b()</script><script>a()</script>");
        let script_src = policy
            .split("; ")
            .find(|directive| directive.starts_with("script-src "))
            .unwrap();
        assert_eq!(
            script_src,
            format!(
                "script-src 'self' 'wasm-unsafe-eval' {} {}",
                script_hash_source("a()"),
                script_hash_source("b()")
            )
        );
    }

    #[test]
    fn page_paths_are_recognised() {
        for path in [
            "/",
            "/index.html",
            "/demo/host.html",
            "/demo/",
            "/A.HTM",
            "/index%2Ehtml",
        ] {
            assert!(may_be_page(path), "{path}");
        }
        for path in [
            "/app-0a1b2c3d.js",
            "/app_bg.wasm",
            "/demo/host.css",
            "/demo",
        ] {
            assert!(!may_be_page(path), "{path}");
        }
    }
}

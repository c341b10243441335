//! The built page's files, served at `/` from the dist directory, with cache
//! headers: `index.html` is revalidated on every load, so that a new build is
//! picked up, and files whose names carry a content hash are cached for a year.
//! HTML pages also get their Content-Security-Policy from
//! [`security_headers::add_page_policy`].

use crate::security_headers;
use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use std::path::Path;
use tower_http::services::ServeDir;

const REVALIDATE: &str = "no-cache";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The minimum number of hex digits after the last `-` of a file name for it
/// to count as content-hashed. Trunk 0.21 names its output `stem-<hash>.ext` with a
/// 64-bit hash in hex, up to 16 digits (fewer when it has leading zeros).
const MIN_HASH_DIGITS: usize = 8;

/// Serves the files under `dist_dir`, with `index.html` for directory paths.
pub fn service(dist_dir: &Path) -> Router {
    Router::new()
        .fallback_service(ServeDir::new(dist_dir))
        .layer(middleware::from_fn(set_cache_control))
        .layer(middleware::from_fn(security_headers::add_page_policy))
}

async fn set_cache_control(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let mut response = next.run(request).await;
    if !response.status().is_success() {
        return response;
    }
    let file_name = path.rsplit('/').next().unwrap_or("");
    let cache_control = if file_name.is_empty() || file_name == "index.html" {
        Some(REVALIDATE)
    } else if is_content_hashed(file_name) {
        Some(IMMUTABLE)
    } else {
        None
    };
    if let Some(value) = cache_control {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    response
}

/// Checks whether a file name looks like `name-<hash>.ext`, as Trunk's output does.
// NOTE: a plain name whose last part is a long hex-looking word, such as
// `logo-deadbeef.png`, is also taken as hashed.
fn is_content_hashed(file_name: &str) -> bool {
    let Some((_, after_dash)) = file_name.rsplit_once('-') else {
        return false;
    };
    let hex_digits = after_dash
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .count();
    hex_digits >= MIN_HASH_DIGITS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_output_names_are_hashed() {
        assert!(is_content_hashed("dropstream-connect-9f2c4e1a7b3d5c60.js"));
        assert!(is_content_hashed(
            "dropstream-connect-9f2c4e1a7b3d5c60_bg.wasm"
        ));
        assert!(is_content_hashed("style-0a1b2c3d4e5f6a7b.css"));
    }

    #[test]
    fn plain_names_are_not_hashed() {
        assert!(!is_content_hashed("index.html"));
        assert!(!is_content_hashed("dropstream-connect.js"));
        assert!(!is_content_hashed("favicon.ico"));
    }
}

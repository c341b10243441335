//! Idempotency keys. A client sends a fresh `Idempotency-Key` per logical
//! submission and the same key on its retries. The first successful response
//! is stored under the key and returned again for each retry, so a retry
//! never creates a second connection. A rejected request stores nothing, so
//! its key can be used again once the values are corrected.
//!
//! Keys belong to the signed-in user and never expire in this sandbox.

use crate::error::ErrorResponse;
use crate::hashing::sha256_hex;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rusqlite::{Connection, OptionalExtension, params};

/// The request header that carries the key.
pub const KEY_HEADER: &str = "idempotency-key";

/// The response header set on a stored response returned again, so that a
/// client or a test can tell a replay from a fresh result.
pub const REPLAYED_HEADER: &str = "idempotent-replayed";

/// The maximum key length, in characters.
pub const KEY_MAX_CHARS: usize = 255;

/// A response stored under a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredResponse {
    /// The SHA-256 of the request that produced it, from [`request_sha256`].
    pub request_sha256: String,
    /// Its HTTP status.
    pub status: u16,
    /// Its JSON body.
    pub body: String,
}

/// Reads the `Idempotency-Key` header: `None` without it, 400 when it is not
/// 1 to [`KEY_MAX_CHARS`] visible ASCII characters.
pub fn key_from_headers(headers: &HeaderMap) -> Result<Option<String>, ErrorResponse> {
    let Some(value) = headers.get(KEY_HEADER) else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or("");
    let is_valid =
        (1..=KEY_MAX_CHARS).contains(&key.len()) && key.bytes().all(|byte| byte.is_ascii_graphic());
    if !is_valid {
        return Err(ErrorResponse::BadRequest(format!(
            "The Idempotency-Key header must be 1 to {KEY_MAX_CHARS} visible ASCII characters, \
             such as a random UUID."
        )));
    }
    Ok(Some(key.to_string()))
}

/// Fingerprints a request by its method, path and exact body bytes, so that
/// a key reused for a different request is recognised.
pub fn request_sha256(method: &str, path: &str, body: &[u8]) -> String {
    sha256_hex(&[method.as_bytes(), b" ", path.as_bytes(), b"\n", body])
}

/// Looks up the response stored under a user's key.
pub fn find(
    connection: &Connection,
    username: &str,
    key: &str,
) -> rusqlite::Result<Option<StoredResponse>> {
    connection
        .query_row(
            "SELECT request_sha256, status, response_body FROM idempotency_keys
             WHERE username = ?1 AND key = ?2",
            [username, key],
            |row| {
                Ok(StoredResponse {
                    request_sha256: row.get(0)?,
                    status: row.get(1)?,
                    body: row.get(2)?,
                })
            },
        )
        .optional()
}

/// Stores a response under a user's key. The caller runs this in the same
/// transaction as [`find`] and the work it records, so that two requests with
/// one key cannot both do the work.
pub fn record(
    connection: &Connection,
    username: &str,
    key: &str,
    response: &StoredResponse,
) -> rusqlite::Result<()> {
    connection.execute(
        "INSERT INTO idempotency_keys (username, key, request_sha256, status, response_body, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
        params![
            username,
            key,
            response.request_sha256,
            response.status,
            response.body
        ],
    )?;
    Ok(())
}

/// Returns the error for a key sent again with a different request.
pub fn key_reused() -> ErrorResponse {
    ErrorResponse::BadRequest(
        "This Idempotency-Key was already used with a different request.".to_string(),
    )
}

/// Builds the response for a stored one sent again.
pub fn replay(stored: StoredResponse) -> Response {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    (
        status,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (
                HeaderName::from_static(REPLAYED_HEADER),
                HeaderValue::from_static("true"),
            ),
        ],
        stored.body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers_with_key(key: &[u8]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(KEY_HEADER, HeaderValue::from_bytes(key).unwrap());
        headers
    }

    #[test]
    fn key_is_optional() {
        assert_eq!(key_from_headers(&HeaderMap::new()), Ok(None));
    }

    #[test]
    fn valid_key_is_returned() {
        let key = "3f1c9a2e-7b4d-4e8a-9c1f-0a2b3c4d5e6f";
        assert_eq!(
            key_from_headers(&headers_with_key(key.as_bytes())),
            Ok(Some(key.to_string()))
        );
    }

    #[test]
    fn malformed_keys_are_rejected() {
        let too_long = "k".repeat(KEY_MAX_CHARS + 1);
        for key in [&b""[..], b"has space", "é".as_bytes(), too_long.as_bytes()] {
            let error = key_from_headers(&headers_with_key(key)).unwrap_err();
            assert_eq!(error.status(), StatusCode::BAD_REQUEST, "{key:?}");
        }
    }

    #[test]
    fn fingerprint_depends_on_every_byte_of_the_body() {
        let first = request_sha256("POST", "/api/connections", b"{\"name\":\"a\"}");
        let second = request_sha256("POST", "/api/connections", b"{\"name\":\"b\"}");
        assert_ne!(first, second);
        assert_eq!(
            first,
            request_sha256("POST", "/api/connections", b"{\"name\":\"a\"}")
        );
    }
}

//! The JSON body extractor. It replaces `axum::Json` so that a wrong content
//! type (415), malformed JSON (400) or an oversized body (413) gets a JSON
//! error, and so that handlers keep the exact bytes for idempotency
//! fingerprints.

use crate::error::ErrorResponse;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, StatusCode, header};
use serde_json::Value;

/// A request body that was sent as `application/json` and parsed.
#[derive(Clone, Debug)]
pub struct JsonBody {
    /// The parsed body.
    pub value: Value,
    /// The body exactly as received.
    pub bytes: Bytes,
}

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ErrorResponse;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !has_json_content_type(request.headers()) {
            return Err(ErrorResponse::UnsupportedMediaType(
                "Send the body as JSON with the header Content-Type: application/json.".to_string(),
            ));
        }

        let bytes =
            Bytes::from_request(request, state)
                .await
                .map_err(|rejection| match rejection.status() {
                    StatusCode::PAYLOAD_TOO_LARGE => ErrorResponse::PayloadTooLarge,
                    _ => {
                        ErrorResponse::BadRequest("The request body could not be read.".to_string())
                    }
                })?;

        // serde_json's syntax errors give a line and column but never quote the input.
        let value = serde_json::from_slice(&bytes).map_err(|error| {
            ErrorResponse::BadRequest(format!("The request body is not valid JSON: {error}."))
        })?;
        Ok(JsonBody { value, bytes })
    }
}

/// Checks whether the `Content-Type` is `application/json`, with or without parameters
/// such as `charset=utf-8`.
fn has_json_content_type(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media_type| media_type.trim().eq_ignore_ascii_case("application/json"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with_content_type(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn json_content_types_are_recognised() {
        assert!(has_json_content_type(&with_content_type(
            "application/json"
        )));
        assert!(has_json_content_type(&with_content_type(
            "Application/JSON; charset=utf-8"
        )));
    }

    #[test]
    fn other_content_types_are_not_json() {
        assert!(!has_json_content_type(&HeaderMap::new()));
        assert!(!has_json_content_type(&with_content_type("text/plain")));
        assert!(!has_json_content_type(&with_content_type(
            "application/x-www-form-urlencoded"
        )));
    }
}

//! Error responses of the API. Every error body is JSON, either
//! `{"error": message}` or, for 422, `{"errors": {dotted.path: [messages]}}`,
//! so that none of the framework's plain-text rejections reaches a client.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use dropstream_model::api::{ErrorBody, ValidationErrorBody};
use dropstream_model::payload::FieldErrors;

/// An error response of the API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorResponse {
    /// 400: the body is not valid JSON, or a header is malformed.
    BadRequest(String),
    /// 401 with a `WWW-Authenticate` challenge for the given scheme.
    Unauthorized {
        /// The `WWW-Authenticate` value, such as `Bearer`.
        challenge: &'static str,
        /// The message telling the client how to authenticate.
        message: String,
    },
    /// 404: no such API path.
    NotFound(String),
    /// 405: the path exists but not with this method.
    MethodNotAllowed,
    /// 409: the connection already exists.
    Conflict(String),
    /// 413: the body is larger than the router's limit.
    PayloadTooLarge,
    /// 415: the body is not sent as `application/json`.
    UnsupportedMediaType(String),
    /// 422: messages per dotted path into the request body.
    Invalid(FieldErrors),
    /// 500: the detail is logged but not sent, because it can quote SQL.
    Internal(String),
}

impl ErrorResponse {
    /// Builds a 422 with one message on one path.
    pub fn invalid_field(path: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::new();
        errors.insert(path.to_string(), vec![message.into()]);
        ErrorResponse::Invalid(errors)
    }

    /// Returns the HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            ErrorResponse::BadRequest(_) => StatusCode::BAD_REQUEST,
            ErrorResponse::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            ErrorResponse::NotFound(_) => StatusCode::NOT_FOUND,
            ErrorResponse::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorResponse::Conflict(_) => StatusCode::CONFLICT,
            ErrorResponse::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorResponse::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorResponse::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorResponse::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<rusqlite::Error> for ErrorResponse {
    fn from(error: rusqlite::Error) -> Self {
        ErrorResponse::Internal(format!("database error: {error}"))
    }
}

impl IntoResponse for ErrorResponse {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = match self {
            ErrorResponse::Invalid(errors) => {
                return (status, Json(ValidationErrorBody { errors })).into_response();
            }
            ErrorResponse::Unauthorized { challenge, message } => {
                let mut response = (status, Json(ErrorBody { error: message })).into_response();
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static(challenge),
                );
                return response;
            }
            ErrorResponse::BadRequest(message)
            | ErrorResponse::NotFound(message)
            | ErrorResponse::Conflict(message)
            | ErrorResponse::UnsupportedMediaType(message) => message,
            ErrorResponse::MethodNotAllowed => {
                "This method is not allowed on this path.".to_string()
            }
            ErrorResponse::PayloadTooLarge => format!(
                "The request body is larger than the limit of {} KiB.",
                crate::BODY_LIMIT_BYTES / 1024
            ),
            ErrorResponse::Internal(detail) => {
                tracing::error!(%detail, "request failed");
                "The sandbox failed to complete the request; its log has the cause.".to_string()
            }
        };
        (status, Json(ErrorBody { error: message })).into_response()
    }
}

//! Request and response types of the DropStream API, and the classification of
//! a response into a value or an [`ApiError`].
//!
//! The API calls a merchant a *customer*; these types keep the API's names
//! (`customer_id`, `company_name`) and the page translates them to "merchant".

use crate::payload::FieldErrors;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Body of `POST /auth/token`; the user and password go in the Basic header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRequest {
    /// Always `client_credentials`.
    pub grant_type: String,
}

/// Response of `POST /auth/token`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenResponse {
    /// The bearer token for every other call.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
}

/// A merchant, called a customer by the API.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    /// The merchant's id, sent as `customer_id`.
    pub id: i64,
    /// The merchant's name as shown in the Merchant picker.
    pub company_name: String,
    /// First address line.
    #[serde(default)]
    pub street1: Option<String>,
    /// Town or city.
    #[serde(default)]
    pub city: Option<String>,
    /// State or county.
    #[serde(default)]
    pub state: Option<String>,
    /// Postal code.
    #[serde(default)]
    pub zipcode: Option<String>,
    /// Country.
    #[serde(default)]
    pub country: Option<String>,
}

/// A warehouse: the fulfilment system a merchant's orders go to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warehouse {
    /// The warehouse's id, sent as `warehouse_id`.
    pub id: i64,
    /// The merchant it belongs to.
    pub customer_id: i64,
    /// The name shown to users.
    pub description: String,
    /// The warehouse platform's wire string.
    pub platform: String,
}

/// A store as listed by `GET /stores`; adapter settings are never listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Store {
    /// The store's id, sent as `store_id`.
    pub id: i64,
    /// The merchant it belongs to.
    pub customer_id: i64,
    /// The store's Name.
    pub name: String,
    /// The store platform's wire string.
    pub platform: String,
}

/// A connection as listed by `GET /connections`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Connection {
    /// The connection's id.
    pub id: i64,
    /// The Connection Name.
    pub name: String,
    /// The merchant.
    pub customer_id: i64,
    /// The store.
    pub store_id: i64,
    /// The warehouse.
    pub warehouse_id: i64,
    /// When it was enabled; `None` while disabled, as every new connection is.
    pub enabled_at: Option<String>,
}

/// Body of `POST /connections`: the merchant, the warehouse and either a new
/// store or an existing one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionRequest {
    /// The Connection Name, trimmed.
    pub name: String,
    /// The existing merchant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<i64>,
    /// The existing warehouse; left out to use the merchant's default one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warehouse_id: Option<i64>,
    /// A new store, when `store_id` is not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store: Option<NewStore>,
    /// An existing store, when `store` is not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_id: Option<i64>,
}

/// A store to create with the connection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewStore {
    /// The store's Name, trimmed.
    pub name: String,
    /// The platform's wire string.
    pub platform: String,
    /// The platform's settings and credentials, by wire key.
    pub adapter: Map<String, Value>,
}

/// Response of `POST /connections`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Created {
    /// The new connection's id.
    pub id: i64,
}

/// Body of a 422 response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationErrorBody {
    /// Messages per dotted path into the request body.
    pub errors: BTreeMap<String, Vec<String>>,
}

/// Body of every other error answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// What went wrong, in words for people.
    pub error: String,
}

/// Why a call to the API did not produce the value the page needed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// No answer arrived: the network failed, the server is down, or the
    /// browser blocked the request.
    Network,
    /// No answer arrived within the request's time limit, so it was abandoned.
    TimedOut {
        /// The time limit in seconds.
        seconds: u32,
    },
    /// The user cancelled the request before an answer arrived.
    Cancelled,
    /// 401: the token is missing, wrong or expired.
    Unauthorized,
    /// 409: the connection already exists.
    Conflict {
        /// The server's explanation, if it sent one.
        message: Option<String>,
    },
    /// 422: the server rejected some fields.
    Invalid {
        /// Messages per dotted path into the request body.
        fields: FieldErrors,
        /// A message for the whole request, if the body had no field errors.
        message: Option<String>,
    },
    /// Any other error status.
    Status {
        /// The HTTP status.
        status: u16,
        /// The server's explanation, if the body held a readable one.
        message: Option<String>,
    },
    /// A success status whose body was not what the call returns: empty,
    /// HTML from a proxy, or JSON of another shape.
    UnreadableSuccess {
        /// The HTTP status.
        status: u16,
    },
}

/// The maximum length of a server message shown to users, in characters.
/// Longer ones are cut so that an error page cannot flood the form.
const MESSAGE_MAX_CHARS: usize = 300;

/// Classifies an answer by its status first, then reads the body once: JSON
/// of the expected type for 2xx, and for errors the documented shapes, with
/// `{"message": ...}` and short plain text accepted from proxies and older
/// backends.
pub fn classify_response<T: DeserializeOwned>(status: u16, body: &str) -> Result<T, ApiError> {
    if (200..300).contains(&status) {
        return serde_json::from_str(body).map_err(|_| ApiError::UnreadableSuccess { status });
    }
    let json: Option<Value> = serde_json::from_str(body).ok();
    let message = json
        .as_ref()
        .and_then(json_message)
        .or_else(|| plain_text_message(body));
    match status {
        401 => Err(ApiError::Unauthorized),
        409 => Err(ApiError::Conflict { message }),
        422 => {
            let fields = json
                .and_then(|json| serde_json::from_value::<ValidationErrorBody>(json).ok())
                .map(|body| body.errors)
                .unwrap_or_default();
            Err(ApiError::Invalid { fields, message })
        }
        _ => Err(ApiError::Status { status, message }),
    }
}

fn json_message(json: &Value) -> Option<String> {
    ["error", "message"]
        .iter()
        .find_map(|key| json.get(key).and_then(Value::as_str))
        .map(limit_message)
        .filter(|message| !message.is_empty())
}

/// Takes a plain-text body as the message, but never an HTML page.
fn plain_text_message(body: &str) -> Option<String> {
    let text = body.trim();
    let looks_like_markup = text.starts_with('<');
    let looks_like_json = text.starts_with('{') || text.starts_with('[');
    (!text.is_empty() && !looks_like_markup && !looks_like_json).then(|| limit_message(text))
}

fn limit_message(text: &str) -> String {
    let single_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if single_line.chars().count() <= MESSAGE_MAX_CHARS {
        single_line
    } else {
        let cut: String = single_line.chars().take(MESSAGE_MAX_CHARS).collect();
        format!("{cut}…")
    }
}

impl ApiError {
    /// Returns the message shown above the form: what happened and what to do.
    /// Field errors of a 422 are shown next to their fields instead.
    pub fn user_message(&self) -> String {
        let kept = "Everything you typed is kept.";
        match self {
            ApiError::Network => format!(
                "DropStream could not be reached. Check your network connection and try again. {kept}"
            ),
            ApiError::TimedOut { seconds } => format!(
                "DropStream did not respond within {seconds} seconds. Try again in a moment. {kept}"
            ),
            ApiError::Cancelled => format!("The request was cancelled. {kept}"),
            ApiError::Unauthorized => {
                format!("Your session has ended. Sign in again to carry on. {kept}")
            }
            ApiError::Conflict { .. } => "A connection for this merchant, store and warehouse already exists. \
                 Choose another store or warehouse, or enable the existing connection in the Connections list."
                .to_string(),
            ApiError::Invalid { message, fields } => match message {
                Some(message) if fields.is_empty() => format!("DropStream rejected the request: {message}"),
                _ => "DropStream rejected some of the values. Correct the fields marked below and try again."
                    .to_string(),
            },
            ApiError::Status { status, message } => {
                let detail = message
                    .as_ref()
                    .map(|message| format!(": {message}"))
                    .unwrap_or_default();
                if *status >= 500 {
                    format!(
                        "DropStream could not complete the request (HTTP {status}{detail}). {kept} Try again in a moment."
                    )
                } else {
                    format!("DropStream refused the request (HTTP {status}{detail}). {kept}")
                }
            }
            ApiError::UnreadableSuccess { status } => format!(
                "DropStream answered (HTTP {status}) but the page could not read the response. {kept} \
                 If you were adding a connection, check the Connections list before trying again."
            ),
        }
    }

    /// Returns whether trying the same request again may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            ApiError::Network
                | ApiError::TimedOut { .. }
                | ApiError::Cancelled
                | ApiError::UnreadableSuccess { .. }
        ) || matches!(self, ApiError::Status { status, .. } if *status >= 500 || *status == 429 || *status == 408)
    }

    /// The message for a failed `POST /connections`. When the request may
    /// have reached the server, the outcome is unknown; the message says so
    /// and that a retry is safe, because it reuses the request's
    /// Idempotency-Key and so cannot create a second connection.
    pub fn create_message(&self) -> String {
        if !self.is_retryable() {
            return self.user_message();
        }
        let what = match self {
            ApiError::Network => {
                "DropStream could not be reached or its response was lost.".to_string()
            }
            ApiError::TimedOut { seconds } => {
                format!("DropStream did not respond within {seconds} seconds.")
            }
            ApiError::Cancelled => "You cancelled the request.".to_string(),
            ApiError::UnreadableSuccess { status } => {
                format!(
                    "DropStream answered (HTTP {status}) but the page could not read the response."
                )
            }
            ApiError::Status {
                status,
                message: Some(message),
            } => {
                format!("DropStream could not complete the request (HTTP {status}: {message}).")
            }
            ApiError::Status { status, .. } => {
                format!("DropStream could not complete the request (HTTP {status}).")
            }
            _ => return self.user_message(),
        };
        format!(
            "{what} The connection may or may not have been created. Everything you typed is kept. \
             Try again: the retry is recognised as the same request, so it cannot create a second connection."
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn create(status: u16, body: &str) -> Result<Created, ApiError> {
        classify_response::<Created>(status, body)
    }

    #[test]
    fn created_with_id() {
        assert_eq!(create(201, r#"{"id": 42}"#), Ok(Created { id: 42 }));
    }

    #[test]
    fn no_content_is_an_unreadable_success() {
        assert_eq!(
            create(204, ""),
            Err(ApiError::UnreadableSuccess { status: 204 })
        );
    }

    #[test]
    fn non_json_200_is_an_unreadable_success() {
        let result = create(200, "<html><body>Welcome</body></html>");
        assert_eq!(result, Err(ApiError::UnreadableSuccess { status: 200 }));
        assert!(
            result
                .unwrap_err()
                .user_message()
                .contains("check the Connections list")
        );
    }

    #[test]
    fn unauthorized_whatever_the_body() {
        assert_eq!(
            create(401, r#"{"error":"expired"}"#),
            Err(ApiError::Unauthorized)
        );
        assert_eq!(create(401, ""), Err(ApiError::Unauthorized));
    }

    #[test]
    fn conflict_keeps_the_server_message() {
        assert_eq!(
            create(409, r#"{"error":"connection already exists"}"#),
            Err(ApiError::Conflict {
                message: Some("connection already exists".into())
            })
        );
    }

    #[test]
    fn unprocessable_entity_maps_fields_by_path() {
        let body = r#"{"errors": {"store.adapter.url": ["must be an absolute http(s) URL"], "name": ["can't be blank"]}}"#;
        let Err(ApiError::Invalid { fields, message }) = create(422, body) else {
            panic!("expected Invalid");
        };
        assert_eq!(
            fields["store.adapter.url"],
            ["must be an absolute http(s) URL"]
        );
        assert_eq!(fields["name"], ["can't be blank"]);
        assert_eq!(message, None);
    }

    #[test]
    fn unprocessable_entity_without_field_errors_keeps_its_message() {
        let error = create(422, r#"{"message":"bad things"}"#).unwrap_err();
        assert_eq!(
            error,
            ApiError::Invalid {
                fields: BTreeMap::new(),
                message: Some("bad things".into())
            }
        );
        assert_eq!(
            error.user_message(),
            "DropStream rejected the request: bad things"
        );
    }

    #[test]
    fn server_error_with_json_message() {
        let error = create(500, r#"{"error":"database is locked"}"#).unwrap_err();
        assert_eq!(
            error,
            ApiError::Status {
                status: 500,
                message: Some("database is locked".into())
            }
        );
        assert!(
            error
                .user_message()
                .contains("HTTP 500: database is locked")
        );
        assert!(error.is_retryable());
    }

    #[test]
    fn bad_gateway_html_page_is_not_shown() {
        let error = create(
            502,
            "<html><head><title>502 Bad Gateway</title></head></html>",
        )
        .unwrap_err();
        assert_eq!(
            error,
            ApiError::Status {
                status: 502,
                message: None
            }
        );
        assert!(!error.user_message().contains('<'));
        assert!(error.is_retryable());
    }

    #[test]
    fn empty_error_body_keeps_the_status() {
        assert_eq!(
            create(503, ""),
            Err(ApiError::Status {
                status: 503,
                message: None
            })
        );
        assert_eq!(
            create(400, "  "),
            Err(ApiError::Status {
                status: 400,
                message: None
            })
        );
    }

    #[test]
    fn plain_text_error_is_cut_to_one_short_line() {
        let body = format!("upstream\n   timed out {}", "x".repeat(1000));
        let Err(ApiError::Status {
            message: Some(message),
            ..
        }) = create(504, &body)
        else {
            panic!("expected a message");
        };
        assert!(message.starts_with("upstream timed out"));
        assert_eq!(message.chars().count(), MESSAGE_MAX_CHARS + 1);
    }

    #[test]
    fn client_errors_are_not_retryable() {
        assert!(!create(400, "{}").unwrap_err().is_retryable());
        assert!(!create(409, "{}").unwrap_err().is_retryable());
        assert!(!create(422, "{}").unwrap_err().is_retryable());
        assert!(ApiError::Network.is_retryable());
    }

    #[test]
    fn create_failures_say_the_outcome_is_unknown_and_retry_is_safe() {
        for error in [
            ApiError::Network,
            ApiError::TimedOut { seconds: 30 },
            ApiError::Cancelled,
            ApiError::UnreadableSuccess { status: 200 },
            ApiError::Status {
                status: 502,
                message: None,
            },
        ] {
            let message = error.create_message();
            assert!(
                message.contains("may or may not have been created"),
                "{message}"
            );
            assert!(
                message.contains("cannot create a second connection"),
                "{message}"
            );
        }
        assert!(
            ApiError::TimedOut { seconds: 30 }
                .create_message()
                .contains("within 30 seconds")
        );
    }

    #[test]
    fn create_rejections_keep_their_own_message() {
        let conflict = ApiError::Conflict { message: None };
        assert_eq!(conflict.create_message(), conflict.user_message());
        assert!(
            !ApiError::Unauthorized
                .create_message()
                .contains("may or may not")
        );
    }

    #[test]
    fn every_message_says_what_to_do() {
        for error in [
            ApiError::Network,
            ApiError::Unauthorized,
            ApiError::Status {
                status: 500,
                message: None,
            },
            ApiError::UnreadableSuccess { status: 200 },
        ] {
            assert!(
                error
                    .user_message()
                    .contains("Everything you typed is kept"),
                "{error:?}"
            );
        }
    }

    #[test]
    fn lists_decode_with_extra_fields() {
        let customers: Vec<Customer> = classify_response(
            200,
            r#"[{"id":1,"company_name":"Brand X","city":"Leeds","phone":"1"}]"#,
        )
        .unwrap();
        assert_eq!(customers[0].company_name, "Brand X");
        assert_eq!(customers[0].city.as_deref(), Some("Leeds"));
    }
}

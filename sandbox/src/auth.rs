//! Signing in: `POST /auth/token` trades a Basic username and password for a
//! random bearer token, and [`Authenticated`] checks that token on every other
//! call.

use crate::AppState;
use crate::error::ErrorResponse;
use crate::hashing::{constant_time_eq, sha256_hex, to_hex};
use crate::json_body::JsonBody;
use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use base64::Engine;
use dropstream_model::api::TokenResponse;
use rusqlite::{OptionalExtension, params};

/// How long a bearer token stays valid, in seconds.
pub const TOKEN_LIFETIME_SECONDS: i64 = 60 * 60;

const BEARER_CHALLENGE: &str = "Bearer";
const BASIC_CHALLENGE: &str = "Basic realm=\"DropStream sandbox\"";

/// Returns a fresh random salt for a password hash, as hex.
pub fn new_password_salt() -> String {
    to_hex(&rand::random::<[u8; 16]>())
}

/// Hashes a password with its salt, as hex SHA-256 of salt then password.
// NOTE: SHA-256 is fast, so a copied database file can be guessed offline far
// faster than with a password hash such as Argon2. That is acceptable for the
// demo account of a local sandbox, not for a real backend.
pub fn password_sha256(salt: &str, password: &str) -> String {
    sha256_hex(&[salt.as_bytes(), password.as_bytes()])
}

/// The user behind a valid, unexpired bearer token. A handler that takes it
/// as an argument returns 401 when the token is missing, wrong or expired.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authenticated {
    /// The signed-in username.
    pub username: String,
}

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = ErrorResponse;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(token) = bearer_token(&parts.headers) else {
            return Err(ErrorResponse::Unauthorized {
                challenge: BEARER_CHALLENGE,
                message:
                    "Sign in first, then send the header Authorization: Bearer <access_token> \
                          with the token from POST /api/auth/token."
                        .to_string(),
            });
        };

        let username = state
            .db
            .run(move |connection| {
                let username = connection
                    .query_row(
                        "SELECT username FROM tokens WHERE token = ?1 AND expires_at > unixepoch()",
                        [token],
                        |row| row.get::<_, String>(0),
                    )
                    .optional()?;
                Ok(username)
            })
            .await?;

        match username {
            Some(username) => Ok(Authenticated { username }),
            None => Err(ErrorResponse::Unauthorized {
                challenge: BEARER_CHALLENGE,
                message: "The access token is invalid or has expired. Sign in again with POST /api/auth/token."
                    .to_string(),
            }),
        }
    }
}

/// `POST /auth/token`: checks the Basic credentials and the
/// `client_credentials` grant, and issues a token valid for
/// [`TOKEN_LIFETIME_SECONDS`].
pub async fn issue_token(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<Json<TokenResponse>, ErrorResponse> {
    let grant_type = body
        .value
        .get("grant_type")
        .and_then(|value| value.as_str());
    if grant_type != Some("client_credentials") {
        return Err(ErrorResponse::BadRequest(
            "Send the body {\"grant_type\": \"client_credentials\"}.".to_string(),
        ));
    }

    let Some((username, password)) = basic_credentials(&headers) else {
        return Err(ErrorResponse::Unauthorized {
            challenge: BASIC_CHALLENGE,
            message: "Send the username and password in an Authorization: Basic header."
                .to_string(),
        });
    };

    let token = to_hex(&rand::random::<[u8; 32]>());
    let issued = token.clone();
    let signed_in = state
        .db
        .run(move |connection| {
            let stored = connection
                .query_row(
                    "SELECT password_salt, password_sha256 FROM users WHERE username = ?1",
                    [&username],
                    |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)),
                )
                .optional()?;
            let matches = stored.is_some_and(|(salt, expected)| {
                constant_time_eq(&password_sha256(&salt, &password), &expected)
            });
            if !matches {
                return Ok(false);
            }
            connection.execute("DELETE FROM tokens WHERE expires_at <= unixepoch()", [])?;
            connection.execute(
                "INSERT INTO tokens (token, username, expires_at) VALUES (?1, ?2, unixepoch() + ?3)",
                params![issued, username, TOKEN_LIFETIME_SECONDS],
            )?;
            Ok(true)
        })
        .await?;

    if !signed_in {
        return Err(ErrorResponse::Unauthorized {
            challenge: BASIC_CHALLENGE,
            message: "The username or password is wrong.".to_string(),
        });
    }
    Ok(Json(TokenResponse {
        access_token: token,
        token_type: "Bearer".to_string(),
    }))
}

/// Reads the token of an `Authorization: Bearer <token>` header. The scheme is
/// matched without regard to case, as HTTP authentication schemes are.
fn bearer_token(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_string())
}

/// Reads the username and password of an `Authorization: Basic` header. The
/// password is everything after the first colon, so it may contain colons.
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let (username, password) = decoded.split_once(':')?;
    Some((username.to_string(), password.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn authorization(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn basic_credentials_keep_colons_in_the_password() {
        let encoded = base64::engine::general_purpose::STANDARD.encode("demo:pa:ss");
        assert_eq!(
            basic_credentials(&authorization(&format!("Basic {encoded}"))),
            Some(("demo".to_string(), "pa:ss".to_string()))
        );
    }

    #[test]
    fn basic_credentials_reject_other_schemes_and_bad_base64() {
        assert_eq!(basic_credentials(&authorization("Bearer abc")), None);
        assert_eq!(basic_credentials(&authorization("Basic !!!")), None);
        assert_eq!(basic_credentials(&HeaderMap::new()), None);
    }

    #[test]
    fn bearer_token_is_read_case_insensitively() {
        assert_eq!(
            bearer_token(&authorization("bearer abc")),
            Some("abc".to_string())
        );
        assert_eq!(bearer_token(&authorization("Bearer ")), None);
        assert_eq!(bearer_token(&authorization("Basic abc")), None);
    }
}

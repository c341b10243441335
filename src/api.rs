//! The browser's client for the DropStream API. Every call returns either the
//! decoded value or an [`ApiError`] classified by the shared model, so the
//! wizard never looks at raw statuses or bodies.
//!
//! The API's *customer* is the wizard's *merchant*; this module keeps the
//! API's names and the wizard translates them.

use base64::Engine;
use dropstream_model::api::{
    ApiError, ConnectionRequest, Created, Customer, Store, TokenRequest, TokenResponse, Warehouse,
    classify_response,
};
use gloo_net::http::{Request, RequestBuilder};
use serde::de::DeserializeOwned;

/// A client bound to one API base. Cheap to clone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiClient {
    base: String,
}

impl ApiClient {
    /// Creates a client for an API base already checked by
    /// [`dropstream_model::config::parse_api_base`].
    pub fn new(base: String) -> Self {
        Self { base }
    }

    /// The API base this client sends to.
    pub fn base(&self) -> &str {
        &self.base
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Exchanges a username and password for a bearer token.
    pub async fn sign_in(&self, username: &str, password: &str) -> Result<String, ApiError> {
        let credentials = base64::engine::general_purpose::STANDARD
            .encode(format!("{username}:{password}").as_bytes());
        let body = TokenRequest {
            grant_type: "client_credentials".to_string(),
        };
        let request = Request::post(&self.url("/auth/token"))
            .header("Authorization", &format!("Basic {credentials}"));
        let token: TokenResponse = send_json(request, &body).await?;
        Ok(token.access_token)
    }

    /// Lists the merchants the account can see.
    pub async fn customers(&self, token: &str) -> Result<Vec<Customer>, ApiError> {
        self.get_list("/customers", token).await
    }

    /// Lists the warehouses of every merchant.
    pub async fn warehouses(&self, token: &str) -> Result<Vec<Warehouse>, ApiError> {
        self.get_list("/warehouses", token).await
    }

    /// Lists the stores of every merchant, without their credentials.
    pub async fn stores(&self, token: &str) -> Result<Vec<Store>, ApiError> {
        self.get_list("/stores", token).await
    }

    /// Creates a connection. The idempotency key identifies this logical
    /// submission, so a retry with the same key cannot create a second one.
    pub async fn create_connection(
        &self,
        token: &str,
        request: &ConnectionRequest,
        idempotency_key: &str,
    ) -> Result<Created, ApiError> {
        let builder = Request::post(&self.url("/connections"))
            .header("Authorization", &bearer(token))
            .header("Idempotency-Key", idempotency_key);
        send_json(builder, request).await
    }

    async fn get_list<T: DeserializeOwned>(&self, path: &str, token: &str) -> Result<T, ApiError> {
        let request = Request::get(&self.url(path))
            .header("Authorization", &bearer(token))
            .header("Accept", "application/json");
        let response = request.send().await.map_err(|_| ApiError::Network)?;
        read_response(response).await
    }
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

async fn send_json<B: serde::Serialize, T: DeserializeOwned>(
    builder: RequestBuilder,
    body: &B,
) -> Result<T, ApiError> {
    // Serialising our own types cannot fail: they hold only strings, numbers and maps.
    let text = serde_json::to_string(body).unwrap_or_default();
    let request = builder
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .body(text)
        .map_err(|_| ApiError::Network)?;
    // The error from fetch is deliberately dropped: it can quote the request,
    // and the user needs only to know that no answer came.
    let response = request.send().await.map_err(|_| ApiError::Network)?;
    read_response(response).await
}

async fn read_response<T: DeserializeOwned>(response: gloo_net::http::Response) -> Result<T, ApiError> {
    let status = response.status();
    // A body that cannot be read is treated like an empty one; the status still decides.
    let body = response.text().await.unwrap_or_default();
    classify_response(status, &body)
}

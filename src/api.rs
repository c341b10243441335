//! The browser's client for the DropStream API. Every call returns either the
//! decoded value or an [`ApiError`] classified by the shared model, so the
//! wizard never looks at raw statuses or bodies.
//!
//! The API's *customer* is the wizard's *merchant*; this module keeps the
//! API's names and the wizard translates them.

use base64::Engine;
use dropstream_model::api::{
    ApiError, Connection, ConnectionRequest, Created, Customer, Store, TokenRequest, TokenResponse,
    Warehouse, classify_response,
};
use gloo_net::http::{Request, RequestBuilder};
use serde::de::DeserializeOwned;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::AbortController;

/// Time limit of sign-in and list requests, in seconds.
pub const READ_TIMEOUT_SECONDS: u32 = 20;

/// Time limit of `POST /connections`, in seconds. Longer than reads because
/// the backend may check the store's credentials before responding.
pub const CREATE_TIMEOUT_SECONDS: u32 = 30;

/// Aborts a request through its controller once its time limit has passed,
/// and remembers that it did, to tell a timeout from a user's cancel.
struct Deadline {
    timed_out: Rc<Cell<bool>>,
    timer: Option<i32>,
    // Kept alive until the timer is cleared or has fired.
    _on_timeout: Closure<dyn FnMut()>,
}

impl Deadline {
    fn start(controller: &AbortController, seconds: u32) -> Self {
        let timed_out = Rc::new(Cell::new(false));
        let flag = timed_out.clone();
        let controller = controller.clone();
        let on_timeout = Closure::<dyn FnMut()>::new(move || {
            flag.set(true);
            controller.abort();
        });
        let timer = web_sys::window().and_then(|window| {
            window
                .set_timeout_with_callback_and_timeout_and_arguments_0(
                    on_timeout.as_ref().unchecked_ref(),
                    (seconds * 1000) as i32,
                )
                .ok()
        });
        Self {
            timed_out,
            timer,
            _on_timeout: on_timeout,
        }
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        if let (Some(window), Some(timer)) = (web_sys::window(), self.timer) {
            window.clear_timeout_with_handle(timer);
        }
    }
}

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

    /// Returns the API base this client sends to.
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
        let token: TokenResponse = send_json(request, &body, None, READ_TIMEOUT_SECONDS).await?;
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

    /// Lists the connections of every merchant.
    pub async fn connections(&self, token: &str) -> Result<Vec<Connection>, ApiError> {
        self.get_list("/connections", token).await
    }

    /// Lists the stores of every merchant, without their credentials.
    pub async fn stores(&self, token: &str) -> Result<Vec<Store>, ApiError> {
        self.get_list("/stores", token).await
    }

    /// Creates a connection. The idempotency key identifies this logical
    /// submission, so a retry with the same key cannot create a second one.
    /// Aborting `controller` cancels the request.
    pub async fn create_connection(
        &self,
        token: &str,
        request: &ConnectionRequest,
        idempotency_key: &str,
        controller: &AbortController,
    ) -> Result<Created, ApiError> {
        let builder = Request::post(&self.url("/connections"))
            .header("Authorization", &bearer(token))
            .header("Idempotency-Key", idempotency_key);
        send_json(builder, request, Some(controller), CREATE_TIMEOUT_SECONDS).await
    }

    async fn get_list<T: DeserializeOwned>(&self, path: &str, token: &str) -> Result<T, ApiError> {
        let builder = Request::get(&self.url(path))
            .header("Authorization", &bearer(token))
            .header("Accept", "application/json");
        send(builder, None, None, READ_TIMEOUT_SECONDS).await
    }
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

async fn send_json<B: serde::Serialize, T: DeserializeOwned>(
    builder: RequestBuilder,
    body: &B,
    controller: Option<&AbortController>,
    timeout_seconds: u32,
) -> Result<T, ApiError> {
    // Serialising our own types cannot fail: they hold only strings, numbers and maps.
    let text = serde_json::to_string(body).unwrap_or_default();
    let builder = builder
        .header("Content-Type", "application/json")
        .header("Accept", "application/json");
    send(builder, Some(text), controller, timeout_seconds).await
}

/// Sends a request, reads the whole response within the time limit, and
/// classifies it. Without a `controller` the request has one of its own.
async fn send<T: DeserializeOwned>(
    builder: RequestBuilder,
    body: Option<String>,
    controller: Option<&AbortController>,
    timeout_seconds: u32,
) -> Result<T, ApiError> {
    let own_controller;
    let controller = match controller {
        Some(controller) => controller,
        None => {
            own_controller = AbortController::new().map_err(|_| ApiError::Network)?;
            &own_controller
        }
    };
    let deadline = Deadline::start(controller, timeout_seconds);
    let signal = controller.signal();
    // Credentials are omitted: the page sends its own Authorization header
    // and needs no cookies, and a 401 carrying a Basic challenge would
    // otherwise make the browser hold the answer back for its own login prompt.
    let builder = builder
        .abort_signal(Some(&signal))
        .credentials(web_sys::RequestCredentials::Omit);
    let request = match body {
        Some(body) => builder.body(body),
        None => builder.build(),
    }
    .map_err(|_| ApiError::Network)?;

    // The error from fetch is deliberately dropped: it can quote the request,
    // and the user needs only to know that no response came and why.
    let failed = || {
        if deadline.timed_out.get() {
            ApiError::TimedOut {
                seconds: timeout_seconds,
            }
        } else if signal.aborted() {
            ApiError::Cancelled
        } else {
            ApiError::Network
        }
    };
    let response = request.send().await.map_err(|_| failed())?;
    let status = response.status();
    let text = response.text().await.map_err(|_| failed())?;
    classify_response(status, &text)
}

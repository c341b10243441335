//! The wizard's calls to the API: loading the lists, signing in, and
//! creating the connection.

use super::WizardContext;
use super::state::Step;
use dropstream_model::api::{ApiError, ConnectionRequest};
use dropstream_model::payload::build_connection_request;
use dropstream_model::platform::{FieldKind, find_platform};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;

/// Loads merchants, warehouses and stores, replacing any earlier lists. A 401
/// sends the user to sign in again and brings them back to where they were.
pub fn load_lists(context: WizardContext) {
    let state = context.state;
    let Some(token) = state.token.get_untracked() else {
        return;
    };
    let client = context.client.get_value();
    let lists = state.lists;
    lists.customers.set(None);
    lists.warehouses.set(None);
    lists.stores.set(None);

    spawn_local(async move {
        let customers = client.customers(&token).await;
        let warehouses = client.warehouses(&token).await;
        let stores = client.stores(&token).await;
        let expired = [
            customers.as_ref().err(),
            warehouses.as_ref().err(),
            stores.as_ref().err(),
        ]
        .contains(&Some(&ApiError::Unauthorized));
        // The wizard may have been removed while the requests were running.
        let _ = lists.customers.try_set(Some(customers));
        let _ = lists.warehouses.try_set(Some(warehouses));
        let _ = lists.stores.try_set(Some(stores));
        if expired {
            require_sign_in(context);
        }
    });
}

/// Requests a new token after a 401, keeping every value. A host page gets
/// an event and responds with `setToken`; the standalone page
/// shows the sign-in step and then returns to the step the user was on.
pub fn require_sign_in(context: WizardContext) {
    let state = context.state;
    let Some(current) = state.step.try_get_untracked() else {
        return;
    };
    state.token.set(None);
    if state.embedded && current != Step::SignIn {
        context.submission.error.set(Some(ApiError::Unauthorized));
        context.emit(
            "authentication-required",
            &serde_json::json!({ "step": current.event_name() }),
        );
        return;
    }
    if current != Step::SignIn {
        state.resume_step.set(Some(current));
    }
    state.step.set(Step::SignIn);
}

/// Takes a token the host obtained after `authentication-required`, or at
/// any other time, and lets the user carry on where they were.
pub fn set_token(context: WizardContext, token: String) {
    let state = context.state;
    if state.step.get_untracked() == Step::SignIn {
        signed_in(context, token);
        return;
    }
    state.token.set(Some(token));
    if context.submission.error.get_untracked() == Some(ApiError::Unauthorized) {
        context.submission.error.set(None);
        let what_next = if state.step.get_untracked() == Step::Store {
            " Nothing was sent yet: select Add connection to send it."
        } else {
            ""
        };
        context
            .submission
            .notice
            .set(Some(format!("Your session was renewed.{what_next}")));
    }
    let lists_failed = [
        state
            .lists
            .customers
            .with_untracked(|loaded| matches!(loaded, Some(Err(_)))),
        state
            .lists
            .warehouses
            .with_untracked(|loaded| matches!(loaded, Some(Err(_)))),
        state
            .lists
            .stores
            .with_untracked(|loaded| matches!(loaded, Some(Err(_)))),
    ];
    if lists_failed.contains(&true) {
        load_lists(context);
    }
}

/// Stores a fresh token and returns to where the user was, reloading any list
/// that did not load.
pub fn signed_in(context: WizardContext, token: String) {
    let state = context.state;
    state.token.set(Some(token));
    let lists = state.lists;
    let lists_missing = lists
        .customers
        .with_untracked(|loaded| !matches!(loaded, Some(Ok(_))))
        || lists
            .warehouses
            .with_untracked(|loaded| !matches!(loaded, Some(Ok(_))))
        || lists
            .stores
            .with_untracked(|loaded| !matches!(loaded, Some(Ok(_))));
    if lists_missing {
        load_lists(context);
    }
    let first_step = if state.store_setup_only {
        Step::Store
    } else {
        Step::Basic
    };
    let resume = state.resume_step.get_untracked().unwrap_or(first_step);
    state.resume_step.set(None);
    state.step.set(resume);
}

/// How long a request runs before the form says it is still waiting and
/// offers to stop waiting.
const SLOW_AFTER: Duration = Duration::from_secs(3);

/// Creates the connection from the Store Setup step. Does nothing while a
/// request is in flight, so a double click sends one request. Invalid fields
/// get their messages and the first one gets focus instead.
pub fn submit_connection(context: WizardContext) {
    let submission = context.submission;
    if submission.in_flight.get_untracked() || !context.check_step(Step::Store) {
        return;
    }
    let state = context.state;
    let request = match build_connection_request(&state.draft()) {
        Ok(request) => request,
        Err(errors) => {
            // A field of an earlier step is invalid: show that step.
            let earlier = [Step::Basic, Step::Merchant, Step::Warehouse]
                .into_iter()
                .find(|step| {
                    state
                        .step_paths(*step)
                        .iter()
                        .any(|path| errors.contains_key(path))
                });
            if let Some(step) = earlier {
                state.step.set(step);
            }
            return;
        }
    };
    let Some(token) = state.token.get_untracked() else {
        require_sign_in(context);
        return;
    };

    let body = serde_json::to_string(&request).unwrap_or_default();
    let (key, same_request) = match submission.last_request.get_value() {
        Some((last_body, key)) if last_body == body => (key, true),
        _ => (new_idempotency_key(), false),
    };
    // A changed form gets a new key, which the server cannot match to an
    // earlier attempt that may have succeeded, so look for that one first.
    let check_for_earlier = state.outcome_unknown.get_untracked() && !same_request;
    submission.last_request.set_value(Some((body, key.clone())));
    let Ok(controller) = web_sys::AbortController::new() else {
        submission.error.set(Some(ApiError::Network));
        return;
    };
    submission.controller.set_value(Some(controller.clone()));
    submission.in_flight.set(true);
    submission.slow.set(false);
    set_timeout(
        move || {
            if submission.in_flight.try_get_untracked() == Some(true) {
                let _ = submission.slow.try_set(true);
            }
        },
        SLOW_AFTER,
    );
    submission.error.set(None);
    submission.notice.set(None);
    state.server_errors.set(Default::default());
    let client = context.client.get_value();
    let name = request.name.clone();

    spawn_local(async move {
        if check_for_earlier {
            match find_earlier_connection(&client, &token, &request).await {
                Ok(None) => {}
                Ok(Some(id)) => {
                    let _ = submission.in_flight.try_set(false);
                    let _ = state.outcome_unknown.try_set(false);
                    let _ = submission.notice.try_set(Some(format!(
                        "Your earlier attempt created connection {id} with this name, merchant and warehouse, so this \
                         one was not sent, to avoid a duplicate. Find it in the Connections list; to add a \
                         different connection, change the Connection Name."
                    )));
                    return;
                }
                Err(error) => {
                    let _ = submission.in_flight.try_set(false);
                    let _ = submission.error.try_set(Some(error));
                    return;
                }
            }
        }
        let result = client
            .create_connection(&token, &request, &key, &controller)
            .await;
        // The wizard may have been removed while the request was running.
        if submission.in_flight.try_set(false).is_some() {
            return;
        }
        submission.controller.set_value(None);
        submission.slow.set(false);
        match result {
            Ok(created) => {
                state.outcome_unknown.set(false);
                submission.last_request.set_value(None);
                context.emit(
                    "connection-created",
                    &created_event_detail(created.id, &request),
                );
                submission.created.set(Some((created.id, name)));
                state.step.set(Step::Done);
            }
            Err(ApiError::Unauthorized) => {
                submission.error.set(Some(ApiError::Unauthorized));
                require_sign_in(context);
            }
            Err(ApiError::Invalid { fields, message }) => {
                let first_on_step = state
                    .step_paths(Step::Store)
                    .into_iter()
                    .find(|path| fields.contains_key(path));
                state.server_errors.set(fields.clone());
                submission
                    .error
                    .set(Some(ApiError::Invalid { fields, message }));
                if let Some(path) = first_on_step {
                    context.focus(&path);
                }
            }
            Err(error) => {
                if error.is_retryable() {
                    state.outcome_unknown.set(true);
                }
                submission.error.set(Some(error));
            }
        }
    });
}

/// Builds the detail of the `connection-created` event: the new id and what was
/// sent, without any secret adapter field.
fn created_event_detail(id: i64, request: &ConnectionRequest) -> serde_json::Value {
    let store = request.store.as_ref().map(|store| {
        let platform = find_platform(&store.platform);
        let adapter: serde_json::Map<String, serde_json::Value> = store
            .adapter
            .iter()
            .filter(|(key, _)| {
                platform
                    .and_then(|platform| platform.field(key))
                    .is_some_and(|spec| spec.kind != FieldKind::Secret)
            })
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        serde_json::json!({ "name": store.name, "platform": store.platform, "adapter": adapter })
    });
    serde_json::json!({
        "id": id,
        "name": request.name,
        "merchantId": request.customer_id,
        "warehouseId": request.warehouse_id,
        "storeId": request.store_id,
        "store": store,
    })
}

/// Returns the id of a connection with the request's name, merchant and
/// warehouse, which an earlier attempt whose response was lost may have created.
async fn find_earlier_connection(
    client: &crate::api::ApiClient,
    token: &str,
    request: &ConnectionRequest,
) -> Result<Option<i64>, ApiError> {
    let connections = client.connections(token).await?;
    Ok(connections
        .iter()
        .rev()
        .find(|connection| {
            connection.name == request.name
                && Some(connection.customer_id) == request.customer_id
                && request
                    .warehouse_id
                    .is_none_or(|id| id == connection.warehouse_id)
        })
        .map(|connection| connection.id))
}

/// Stops waiting for the Add connection request in flight. The request gets
/// the Cancelled error, so the form says the outcome is unknown and offers
/// a retry with the same idempotency key.
pub fn stop_waiting(context: WizardContext) {
    if let Some(Some(controller)) = context.submission.controller.try_get_value() {
        controller.abort();
    }
}

/// Generates a random key of 128 bits in hex. `crypto.getRandomValues` works on plain
/// http hosts too, unlike `crypto.randomUUID`.
fn new_idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|window| window.crypto().ok())
        .and_then(|crypto| crypto.get_random_values_with_u8_array(&mut bytes).ok())
        .is_some();
    if !filled {
        // Without a crypto source the key still differs per submission.
        let now = js_sys::Date::now().to_bits().to_le_bytes();
        let random = js_sys::Math::random().to_bits().to_le_bytes();
        bytes[..8].copy_from_slice(&now);
        bytes[8..].copy_from_slice(&random);
    }
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

//! Keeps the standalone wizard's non-secret values in the tab's
//! `sessionStorage`, so that a reload or a crashed tab brings the user back
//! to the step they were on. Secrets are never written: after a restore the
//! wizard lists the secret fields to type again.

use crate::wizard::WizardContext;
use crate::wizard::state::{Step, StoreMode, WizardState};
use dropstream_model::draft::{DRAFT_STORAGE_KEY, DRAFT_VERSION, Draft, remove_secrets};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

const RESUMABLE_STEPS: [Step; 4] = [Step::Basic, Step::Merchant, Step::Warehouse, Step::Store];

/// Reads the non-secret values of the wizard, tracking every signal read.
fn snapshot(state: &WizardState) -> Draft {
    let platform = state.platform.get();
    let (adapter_values, secrets_to_reenter) = state
        .adapter_values
        .with(|values| remove_secrets(values, &platform));
    let step = match state.step.get() {
        Step::SignIn => state.resume_step.get().unwrap_or(Step::Basic),
        step => step,
    };
    Draft {
        version: DRAFT_VERSION,
        step: step.event_name().to_string(),
        connection_name: state.connection_name.get(),
        customer_id: state.customer_id.get(),
        picked_warehouse_id: state.picked_warehouse_id.get(),
        new_store: state.store_mode.get() == StoreMode::New,
        existing_store_id: state.existing_store_id.get(),
        store_name: state.store_name.get(),
        platform,
        adapter_values,
        secrets_to_reenter,
        outcome_unknown: state.outcome_unknown.get(),
    }
}

/// Fills a fresh standalone state from the tab's draft, if there is one, and
/// sets the step to return to after signing in.
pub fn restore(state: &WizardState) {
    let Some(draft) = session_storage()
        .and_then(|storage| storage.get_item(DRAFT_STORAGE_KEY).ok().flatten())
        .and_then(|json| Draft::from_json(&json))
    else {
        return;
    };
    let step = RESUMABLE_STEPS
        .into_iter()
        .find(|step| step.event_name() == draft.step)
        .unwrap_or(Step::Basic);
    state.resume_step.set(Some(step));
    state.connection_name.set(draft.connection_name);
    state.customer_id.set(draft.customer_id);
    state.picked_warehouse_id.set(draft.picked_warehouse_id);
    state.store_mode.set(if draft.new_store {
        StoreMode::New
    } else {
        StoreMode::Existing
    });
    state.existing_store_id.set(draft.existing_store_id);
    state.store_name.set(draft.store_name);
    state.platform.set(draft.platform);
    state.adapter_values.set(draft.adapter_values);
    state.restored_secrets.set(draft.secrets_to_reenter);
    state.outcome_unknown.set(draft.outcome_unknown);
}

/// Writes the draft on every change and removes it once the connection is
/// created, and asks before the tab is closed or reloaded with unsaved input.
/// For the standalone page only: a host page owns its own storage.
pub fn keep_in_session(context: WizardContext) {
    let state = context.state;
    Effect::new(move |_| {
        let draft = snapshot(&state);
        let Some(storage) = session_storage() else {
            return;
        };
        let finished = state.step.get() == Step::Done;
        if finished || draft.is_empty() {
            let _ = storage.remove_item(DRAFT_STORAGE_KEY);
        } else {
            let _ = storage.set_item(DRAFT_STORAGE_KEY, &draft.to_json());
        }
    });

    let unsaved =
        Memo::new(move |_| state.step.get() != Step::Done && !snapshot(&state).is_empty());
    let on_before_unload = Closure::<dyn FnMut(web_sys::BeforeUnloadEvent)>::new(
        move |event: web_sys::BeforeUnloadEvent| {
            if unsaved.try_get_untracked() == Some(true) {
                // Browsers show their own wording; the text set here is ignored.
                event.prevent_default();
                event.set_return_value("unsaved");
            }
        },
    );
    if let Some(window) = web_sys::window() {
        let _ = window.add_event_listener_with_callback(
            "beforeunload",
            on_before_unload.as_ref().unchecked_ref(),
        );
    }
    // The standalone page lives as long as the tab, so the listener does too.
    on_before_unload.forget();
}

//! The entry point for host pages: `mount(element, options)` puts a wizard,
//! or only its Store Setup step, into an element of the host's choosing and
//! returns a handle to change the token or remove it again.

use crate::api::ApiClient;
use crate::stylesheet;
use crate::wizard::state::{Step, WizardState};
use crate::wizard::{Wizard, WizardContext, actions};
use dropstream_model::config::{EmbedMode, EmbedOptions, parse_embed_options};
use dropstream_model::platform::find_platform;
use dropstream_model::validate::json_to_field_text;
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

/// A mounted wizard. The wizard stays until `unmount()`, even when the host
/// drops the handle and the garbage collector frees it.
#[wasm_bindgen]
pub struct Handle {
    mounted: Option<Mounted>,
}

impl Drop for Handle {
    fn drop(&mut self) {
        // wasm-bindgen frees a collected handle through a FinalizationRegistry.
        // Dropping the mount would remove the wizard from under the user, so
        // a handle freed without `unmount()` leaves it in place for good.
        if let Some(mounted) = self.mounted.take() {
            std::mem::forget(mounted);
        }
    }
}

struct Mounted {
    owner: Owner,
    unmount: Box<dyn FnOnce()>,
    context: WizardContext,
    root: web_sys::Node,
}

#[wasm_bindgen]
impl Handle {
    /// Removes every element the wizard added, its stylesheet when no other
    /// wizard in the same document or shadow root uses it, and its reactive
    /// state. Calling it twice does nothing.
    pub fn unmount(&mut self) {
        if let Some(mounted) = self.mounted.take() {
            (mounted.unmount)();
            mounted.owner.cleanup();
            let _ = stylesheet::detach(&mounted.root);
        }
    }

    /// Hands the wizard a new bearer token, typically after an
    /// `dropstream:authentication-required` event. The user carries on where
    /// they were with every value kept.
    #[wasm_bindgen(js_name = setToken)]
    pub fn set_token(&self, token: String) -> Result<(), JsError> {
        let Some(mounted) = &self.mounted else {
            return Err(JsError::new(
                "DropStream Connect: setToken was called after unmount().",
            ));
        };
        if token.trim().is_empty() {
            return Err(JsError::new(
                "DropStream Connect: setToken needs a non-empty token.",
            ));
        }
        mounted
            .owner
            .with(|| actions::set_token(mounted.context, token));
        Ok(())
    }
}

/// Mounts a wizard into `element`. `options` is a plain object:
/// `{ apiBase, token, mode: "wizard" | "store-setup", context, initialValues }`
/// (see docs/embedding.md). Invalid options throw an `Error` whose message is
/// also logged to the console and shown in the element.
#[wasm_bindgen]
pub fn mount(element: web_sys::HtmlElement, options: JsValue) -> Result<Handle, JsError> {
    let json = if options.is_undefined() || options.is_null() {
        "{}".to_string()
    } else {
        js_sys::JSON::stringify(&options)
            .ok()
            .and_then(|text| text.as_string())
            .unwrap_or_else(|| "null".to_string())
    };
    let already_mounted = element
        .query_selector(":scope > .ds-wizard")
        .ok()
        .flatten()
        .is_some();
    let parsed = if already_mounted {
        Err("DropStream Connect: this element already holds a wizard. Call unmount() on its handle first, or mount into another element.".to_string())
    } else {
        parse_embed_options(&json)
    };
    let options = match parsed {
        Ok(options) => options,
        Err(message) => {
            web_sys::console::error_1(&message.clone().into());
            // The wizard already in the element stays as it is.
            if !already_mounted {
                element.set_text_content(Some(&message));
            }
            return Err(JsError::new(&message));
        }
    };
    stylesheet::attach(&element)
        .map_err(|_| JsError::new("DropStream Connect: the stylesheet could not be added."))?;

    let owner = Owner::new();
    let (context, unmount) = owner.with(|| {
        let context = WizardContext::new(
            ApiClient::new(options.api_base.clone()),
            state_for(&options),
            Some(element.clone()),
        );
        let handle = mount_to(element.clone(), move || view! { <Wizard context /> });
        (context, Box::new(move || drop(handle)) as Box<dyn FnOnce()>)
    });
    Ok(Handle {
        mounted: Some(Mounted {
            owner,
            unmount,
            context,
            root: element.get_root_node(),
        }),
    })
}

/// Builds the wizard state the options describe.
fn state_for(options: &EmbedOptions) -> WizardState {
    let first_step = match (&options.token, options.mode) {
        (None, _) => Step::SignIn,
        (Some(_), EmbedMode::Wizard) => Step::Basic,
        (Some(_), EmbedMode::StoreSetup) => Step::Store,
    };
    let mut state = WizardState::new(first_step, options.token.clone());
    state.embedded = true;
    state.store_setup_only = options.mode == EmbedMode::StoreSetup;

    if let Some(context) = &options.context {
        state.connection_name.set(context.connection_name.clone());
        state.customer_id.set(Some(context.merchant_id));
        state.picked_warehouse_id.set(context.warehouse_id);
    }
    let initial = &options.initial_values;
    if let Some(name) = &initial.connection_name {
        state.connection_name.set(name.clone());
    }
    if let Some(name) = &initial.store_name {
        state.store_name.set(name.clone());
    }
    if let Some(platform) = initial.platform.as_deref().and_then(find_platform) {
        state.platform.set(platform.id.to_string());
        for (key, value) in &initial.adapter {
            // Options were checked already: every key is a non-secret field of the platform.
            if let Some(spec) = platform.field(key)
                && let Ok(text) = json_to_field_text(spec, value)
            {
                state.set_adapter_value(platform.id, key, text);
            }
        }
    }
    state
}

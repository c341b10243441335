//! The standalone page: signs in, then walks the wizard. Its configuration
//! comes only from the mount element's attributes in `index.html`, never from
//! the address bar.

use crate::api::ApiClient;
use crate::drafts;
use crate::stylesheet;
use crate::wizard::state::{Step, WizardState};
use crate::wizard::{Wizard, WizardContext};
use dropstream_model::config::parse_api_base;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::wasm_bindgen;

/// The id of the element the standalone page mounts into.
pub const MOUNT_ELEMENT_ID: &str = "dropstream-connect";

/// Runs when the module loads: mounts the wizard if the page has the
/// standalone mount element, and does nothing otherwise (for example in tests).
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    let Some(element) = document().get_element_by_id(MOUNT_ELEMENT_ID) else {
        return;
    };
    let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() else {
        return;
    };
    match parse_api_base(element.get_attribute("data-api-base").as_deref()) {
        Ok(base) => {
            element.set_inner_html("");
            if stylesheet::attach(&element).is_err() {
                web_sys::console::error_1(&"The wizard's stylesheet could not be added.".into());
            }
            let client = ApiClient::new(base);
            // The page lives as long as the tab, so the mount is never undone.
            leptos::mount::mount_to(element, move || {
                let state = WizardState::new(Step::SignIn, None);
                drafts::restore(&state);
                let context = WizardContext::new(client, state, None);
                drafts::keep_in_session(context);
                view! { <Wizard context /> }
            })
            .forget();
        }
        Err(message) => {
            web_sys::console::error_1(&message.clone().into());
            element.set_text_content(Some(&message));
        }
    }
}

//! Merchant Information: which merchant (a *customer* in the API) the
//! connection is for.

use super::state::Step;
use super::{StepActions, actions, use_wizard};
use crate::components::field::{FieldFrame, shows_error};
use crate::components::inputs::{SelectInput, SelectOption};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

/// The second step: pick an existing merchant.
#[component]
pub fn MerchantStep() -> impl IntoView {
    let context = use_wizard();
    let state = context.state;
    let path = "customer_id";
    let message = context.message(path, None);
    let invalid = shows_error(message);
    let radio_name = state.element_id("merchant-mode");

    let options = Signal::derive(move || {
        state.lists.customers.with(|loaded| match loaded {
            Some(Ok(customers)) => customers
                .iter()
                .map(|customer| SelectOption {
                    value: customer.id.to_string(),
                    label: customer.company_name.clone(),
                })
                .collect(),
            _ => Vec::new(),
        })
    });
    let value = Signal::derive(move || {
        state
            .customer_id
            .get()
            .map(|id| id.to_string())
            .unwrap_or_default()
    });
    let load_status = move || {
        state.lists.customers.with(|loaded| match loaded {
            None => Some(view! { <p class="ds-note" role="status">"Loading merchants…"</p> }.into_any()),
            Some(Err(error)) => {
                let text = error.user_message();
                Some(view! {
                    <div class="ds-alert ds-alert--error" role="alert">
                        <p class="ds-alert__text">"The merchants could not be loaded. " {text}</p>
                        <button type="button" class="ds-button" on:click=move |_| actions::load_lists(context)>
                            "Try again"
                        </button>
                    </div>
                }.into_any())
            }
            Some(Ok(_)) => None,
        })
    };

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        context.continue_from(Step::Merchant);
    };

    view! {
        <form class="ds-form" novalidate on:submit=on_submit>
            <h2 class="ds-step__title" tabindex="-1">"Merchant Information"</h2>
            <fieldset class="ds-choice">
                <legend class="ds-label">"Existing or new merchant"</legend>
                <label class="ds-choice__option">
                    <input type="radio" name=radio_name.clone() value="existing" checked />
                    " Use existing merchant"
                </label>
                <label class="ds-choice__option ds-choice__option--disabled">
                    <input type="radio" name=radio_name value="new" disabled />
                    " Create new merchant (not available yet)"
                </label>
            </fieldset>
            {load_status}
            <FieldFrame
                ids=context.ids(path)
                label="Merchant"
                help="The brand that owns the stock. Only merchants already in DropStream are listed."
                message
            >
                <SelectInput
                    ids=context.ids(path)
                    options
                    placeholder="Choose a merchant"
                    value
                    on_change=Callback::new(move |text: String| {
                        state.customer_id.set(text.parse().ok());
                        state.edited(path);
                    })
                    on_blur=Callback::new(move |_| state.touch(path))
                    invalid
                />
            </FieldFrame>
            <StepActions step=Step::Merchant>
                <button type="submit" class="ds-button ds-button--primary">"Continue"</button>
            </StepActions>
        </form>
    }
}

//! Warehouse Setup: which of the merchant's warehouses fulfils the orders.

use super::state::Step;
use super::{StepActions, use_wizard};
use crate::components::field::{FieldFrame, shows_error};
use crate::components::inputs::{SelectInput, SelectOption};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

/// The third step: confirm the merchant's only warehouse, or pick one of several.
#[component]
pub fn WarehouseStep() -> impl IntoView {
    let context = use_wizard();
    let state = context.state;
    let path = "warehouse_id";
    let message = context.message(path, None);
    let invalid = shows_error(message);

    let merchant_name = move || {
        let customer_id = state.customer_id.get();
        state.lists.customers.with(|loaded| match loaded {
            Some(Ok(customers)) => customers
                .iter()
                .find(|customer| Some(customer.id) == customer_id)
                .map(|customer| customer.company_name.clone())
                .unwrap_or_default(),
            _ => String::new(),
        })
    };
    let options = Signal::derive(move || {
        state
            .merchant_warehouses()
            .into_iter()
            .map(|warehouse| SelectOption {
                value: warehouse.id.to_string(),
                label: warehouse.description,
            })
            .collect::<Vec<_>>()
    });
    let value = Signal::derive(move || {
        state
            .warehouse_id()
            .map(|id| id.to_string())
            .unwrap_or_default()
    });

    let choice = move || {
        let warehouses = state.merchant_warehouses();
        match warehouses.as_slice() {
            [] => view! {
                <p class="ds-alert ds-alert--error" role="alert">
                    {message.get().map(|message| message.text)}
                </p>
            }
            .into_any(),
            [only] => {
                let description = only.description.clone();
                view! {
                    <p class="ds-note">
                        "Orders for " <strong>{merchant_name}</strong> " go to the warehouse "
                        <strong>{description}</strong> "."
                    </p>
                }
                .into_any()
            }
            _ => view! {
                <FieldFrame
                    ids=context.ids(path)
                    label="Warehouse"
                    help="The merchant has several warehouses. Choose the one that ships this store's orders."
                    message
                >
                    <SelectInput
                        ids=context.ids(path)
                        options
                        placeholder="Choose a warehouse"
                        value
                        on_change=Callback::new(move |text: String| {
                            state.picked_warehouse_id.set(text.parse().ok());
                            state.edited(path);
                        })
                        on_blur=Callback::new(move |_| state.touch(path))
                        invalid
                    />
                </FieldFrame>
            }
            .into_any(),
        }
    };

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        context.continue_from(Step::Warehouse);
    };

    view! {
        <form class="ds-form" novalidate on:submit=on_submit>
            <h2 class="ds-step__title" tabindex="-1">"Warehouse Setup"</h2>
            {choice}
            <StepActions step=Step::Warehouse>
                <button type="submit" class="ds-button ds-button--primary">"Continue"</button>
            </StepActions>
        </form>
    }
}

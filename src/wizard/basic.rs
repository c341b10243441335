//! Basic Information: the Connection Name.

use super::state::Step;
use super::{StepActions, WizardContext, use_wizard};
use crate::components::field::{FieldFrame, shows_error};
use crate::components::inputs::TextInput;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

/// A required name field bound to `value`, such as the Connection Name.
pub fn name_field(
    context: WizardContext,
    path: &'static str,
    label: &'static str,
    help: &'static str,
    value: RwSignal<String>,
) -> impl IntoView {
    let state = context.state;
    let message = context.message(path, None);
    let invalid = shows_error(message);

    view! {
        <FieldFrame ids=context.ids(path) label help message>
            <TextInput
                ids=context.ids(path)
                value=value.into()
                on_input=Callback::new(move |text| {
                    value.set(text);
                    state.edited(path);
                })
                on_blur=Callback::new(move |_| state.touch(path))
                invalid
            />
        </FieldFrame>
    }
}

/// The first step: what the connection is called.
#[component]
pub fn BasicStep() -> impl IntoView {
    let context = use_wizard();

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        context.continue_from(Step::Basic);
    };

    view! {
        <form class="ds-form" novalidate on:submit=on_submit>
            <h2 class="ds-step__title" tabindex="-1">"Basic Information"</h2>
            {name_field(
                context,
                "name",
                "Connection Name",
                "A name you will recognise in the Connections list, such as Brand X - Khaos -> ACME WMS.",
                context.state.connection_name,
            )}
            <StepActions step=Step::Basic>
                <button type="submit" class="ds-button ds-button--primary">"Continue"</button>
            </StepActions>
        </form>
    }
}

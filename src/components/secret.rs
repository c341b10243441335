//! A password input with a Show/Hide toggle.

use crate::components::inputs::leave_field;
use leptos::prelude::*;

/// A password input whose value can be shown on request. The toggle is a
/// plain button, never a submit button, so pressing it sends nothing.
#[component]
pub fn SecretInput(
    /// The input's id.
    id: String,
    /// The ids of the help and message, for `aria-describedby`.
    described_by: String,
    /// The value as typed.
    value: Signal<String>,
    /// Called with each new value.
    on_input: Callback<String>,
    /// Called when the input loses focus.
    on_blur: Callback<()>,
    /// Whether the field currently has an error.
    invalid: Signal<bool>,
    /// The `autocomplete` token: `current-password` for a sign-in,
    /// `new-password` for credentials of another system, so the browser does
    /// not offer to save them as the DropStream sign-in.
    autocomplete: &'static str,
) -> impl IntoView {
    let shown = RwSignal::new(false);
    let input_id = id.clone();

    view! {
        <div class="ds-secret">
            <input
                class="ds-input ds-secret__input"
                id=id
                type=move || if shown.get() { "text" } else { "password" }
                autocomplete=autocomplete
                spellcheck="false"
                autocapitalize="off"
                aria-describedby=described_by
                aria-invalid=move || invalid.get().to_string()
                prop:value=move || value.get()
                on:input=move |event| { let _ = on_input.try_run(event_target_value(&event)); }
                on:blur=move |event| leave_field(&event, on_blur)
            />
            <button
                type="button"
                class="ds-button ds-button--quiet ds-secret__toggle"
                aria-controls=input_id
                aria-pressed=move || shown.get().to_string()
                on:click=move |_| shown.update(|shown| *shown = !*shown)
            >
                {move || if shown.get() { "Hide" } else { "Show" }}
            </button>
        </div>
    }
}

//! Plain controls: a text input and a select, both wired to a signal and to
//! the field frame's ids.

use crate::components::field::FieldIds;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Runs a field's blur callback, which shows the field's message, except
/// when focus moves to a button. A message appearing there would move the
/// button from under the pointer and swallow the click; the button's own
/// action checks the fields anyway. The callback may already be gone when
/// the browser blurs an input that a step change is removing.
pub fn leave_field(event: &web_sys::FocusEvent, on_blur: Callback<()>) {
    let to_button = event
        .related_target()
        .is_some_and(|target| target.dyn_ref::<web_sys::HtmlButtonElement>().is_some());
    if !to_button {
        let _ = on_blur.try_run(());
    }
}

/// A single-line text input.
#[component]
pub fn TextInput(
    /// The ids of the field this input belongs to.
    ids: FieldIds,
    /// The value as typed.
    value: Signal<String>,
    /// Called with each new value.
    on_input: Callback<String>,
    /// Called when the input loses focus.
    on_blur: Callback<()>,
    /// Whether the field currently has an error.
    invalid: Signal<bool>,
    /// The `inputmode` hint for on-screen keyboards.
    #[prop(default = "text")]
    inputmode: &'static str,
    /// The `autocomplete` token.
    #[prop(default = "off")]
    autocomplete: &'static str,
) -> impl IntoView {
    view! {
        <input
            class="ds-input"
            type="text"
            id=ids.control.clone()
            inputmode=inputmode
            autocomplete=autocomplete
            spellcheck="false"
            aria-describedby=ids.described_by()
            aria-invalid=move || invalid.get().to_string()
            prop:value=move || value.get()
            on:input=move |event| { let _ = on_input.try_run(event_target_value(&event)); }
            on:blur=move |event| leave_field(&event, on_blur)
        />
    }
}

/// One option of a [`SelectInput`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelectOption {
    /// The value the select reports.
    pub value: String,
    /// The text shown.
    pub label: String,
}

/// A drop-down list. With a placeholder, its first option is empty and means
/// nothing is chosen yet.
#[component]
pub fn SelectInput(
    /// The ids of the field this select belongs to.
    ids: FieldIds,
    /// The options, in order.
    options: Signal<Vec<SelectOption>>,
    /// The text of an empty first option, if any.
    #[prop(into, default = None)]
    placeholder: Option<&'static str>,
    /// The chosen value; empty for the placeholder.
    value: Signal<String>,
    /// Called with the new value.
    on_change: Callback<String>,
    /// Called when the select loses focus.
    on_blur: Callback<()>,
    /// Whether the field currently has an error.
    invalid: Signal<bool>,
) -> impl IntoView {
    // `prop:selected` rather than the select's `value` property: options are
    // rendered after the select, so a value set on the select would find no
    // matching option yet.
    let options_view = move || {
        options
            .get()
            .into_iter()
            .map(|option| {
                let chosen = option.value.clone();
                view! {
                    <option value=option.value prop:selected=move || value.with(|value| *value == chosen)>
                        {option.label}
                    </option>
                }
            })
            .collect_view()
    };

    view! {
        <select
            class="ds-select"
            id=ids.control.clone()
            aria-describedby=ids.described_by()
            aria-invalid=move || invalid.get().to_string()
            on:change=move |event| { let _ = on_change.try_run(event_target_value(&event)); }
            on:blur=move |event| leave_field(&event, on_blur)
        >
            {placeholder.map(|text| {
                view! {
                    <option value="" prop:selected=move || value.with(String::is_empty)>{text}</option>
                }
            })}
            {options_view}
        </select>
    }
}

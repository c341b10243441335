//! Plain controls: a text input and a select, both wired to a signal and to
//! the field frame's ids.

use crate::components::field::FieldIds;
use leptos::prelude::*;

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
            on:input=move |event| on_input.run(event_target_value(&event))
            on:blur=move |_| on_blur.run(())
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
            on:change=move |event| on_change.run(event_target_value(&event))
            on:blur=move |_| on_blur.run(())
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

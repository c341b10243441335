//! A labelled form field: the label, the control, one line of help, and the
//! message for the field. Which message shows is decided here for every
//! field of the wizard.

use crate::wizard::state::WizardState;
use dropstream_model::payload::FieldErrors;
use leptos::prelude::*;

/// The message under a field and whether it blocks the form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldMessage {
    /// The text shown.
    pub text: String,
    /// Whether it is an error (otherwise a warning).
    pub is_error: bool,
}

/// The ids a field's control refers to for its label, help and message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldIds {
    /// The control's id, which the label's `for` names.
    pub control: String,
    /// The help line's id.
    pub help: String,
    /// The message's id.
    pub message: String,
}

impl FieldIds {
    /// The ids for the field at a request path.
    pub fn for_path(state: &WizardState, path: &str) -> Self {
        let control = state.element_id(path);
        Self {
            help: format!("{control}-help"),
            message: format!("{control}-message"),
            control,
        }
    }

    /// The value for the control's `aria-describedby`.
    pub fn described_by(&self) -> String {
        format!("{} {}", self.help, self.message)
    }
}

/// Decides the message for the field at `path`: the server's error first,
/// then, once the user has left the field or tried to continue, the client's
/// error or warning. Errors clear as soon as the value is valid because they
/// are derived from the current value.
pub fn field_message(
    state: WizardState,
    client_errors: Memo<FieldErrors>,
    path: String,
    warning: Option<Signal<Option<String>>>,
) -> Memo<Option<FieldMessage>> {
    Memo::new(move |_| {
        let error = |errors: &FieldErrors| errors.get(&path).and_then(|list| list.first().cloned());
        if let Some(text) = state.server_errors.with(error) {
            return Some(FieldMessage {
                text,
                is_error: true,
            });
        }
        if !state.touched.with(|touched| touched.contains(&path)) {
            return None;
        }
        if let Some(text) = client_errors.with(error) {
            return Some(FieldMessage {
                text,
                is_error: true,
            });
        }
        warning
            .and_then(|warning| warning.get())
            .map(|text| FieldMessage {
                text,
                is_error: false,
            })
    })
}

/// Returns whether the field shows an error, for the control's `aria-invalid`.
pub fn shows_error(message: Memo<Option<FieldMessage>>) -> Signal<bool> {
    Signal::derive(move || message.with(|message| message.as_ref().is_some_and(|m| m.is_error)))
}

/// The frame around one control: label, control, help and message.
#[component]
pub fn FieldFrame(
    /// The ids the control uses.
    ids: FieldIds,
    /// The visible label.
    label: &'static str,
    /// One line saying what the value is and where to find it.
    #[prop(optional)]
    help: Option<&'static str>,
    /// The message under the field.
    message: Memo<Option<FieldMessage>>,
    /// The control, which must use `ids.control` as its id.
    children: Children,
) -> impl IntoView {
    let invalid = shows_error(message);
    let warned = move || message.with(|message| message.as_ref().is_some_and(|m| !m.is_error));

    view! {
        <div class="ds-field" class:ds-field--invalid=invalid class:ds-field--warning=warned>
            <label class="ds-label" for=ids.control>{label}</label>
            {children()}
            <p class="ds-help" id=ids.help>{help.unwrap_or_default()}</p>
            <p class="ds-message" id=ids.message aria-live="polite">
                {move || message.get().map(|message| message.text)}
            </p>
        </div>
    }
}

//! Signing in to DropStream. The password is held only while the request
//! runs and the token only in memory.

use super::{actions, use_wizard};
use crate::components::field::{FieldFrame, FieldIds, FieldMessage};
use crate::components::inputs::TextInput;
use crate::components::secret::SecretInput;
use dropstream_model::api::ApiError;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The sign-in form, shown first on the standalone page and again whenever
/// the token has expired.
#[component]
pub fn SignInStep() -> impl IntoView {
    let context = use_wizard();
    let state = context.state;
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let username_ids = FieldIds::for_path(&state, "sign-in.username");
    let password_ids = FieldIds::for_path(&state, "sign-in.password");
    let no_message = Memo::new(|_| None::<FieldMessage>);
    let not_invalid = Signal::derive(|| false);
    let resuming = move || state.resume_step.get().is_some();

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let user = username.get_untracked();
        let secret = password.get_untracked();
        if user.trim().is_empty() || secret.is_empty() {
            error.set(Some(
                "Enter your DropStream username and password.".to_string(),
            ));
            return;
        }
        busy.set(true);
        error.set(None);
        let client = context.client.get_value();
        spawn_local(async move {
            let result = client.sign_in(user.trim(), &secret).await;
            if busy.try_set(false).is_some() {
                return;
            }
            match result {
                Ok(token) => {
                    password.set(String::new());
                    context.submission.error.set(None);
                    actions::signed_in(context, token);
                }
                Err(ApiError::Unauthorized) => {
                    error.set(Some(
                        "The username or password is incorrect. Check them and try again."
                            .to_string(),
                    ));
                }
                Err(other) => error.set(Some(other.user_message())),
            }
        });
    };

    view! {
        <form class="ds-form ds-sign-in" novalidate on:submit=on_submit>
            <h2 class="ds-step__title" tabindex="-1">"Sign in"</h2>
            <p class="ds-note" hidden=move || !resuming()>
                "Your session has ended. Sign in again to carry on where you were; everything you typed is kept."
            </p>
            <p class="ds-alert ds-alert--error" role="alert" hidden=move || error.with(Option::is_none)>
                {move || error.get()}
            </p>
            <FieldFrame ids=username_ids.clone() label="Username" message=no_message>
                <TextInput
                    ids=username_ids
                    value=username.into()
                    on_input=Callback::new(move |text| username.set(text))
                    on_blur=Callback::new(|_| ())
                    invalid=not_invalid
                    autocomplete="username"
                />
            </FieldFrame>
            <FieldFrame ids=password_ids.clone() label="Password" message=no_message>
                <SecretInput
                    id=password_ids.control.clone()
                    described_by=password_ids.described_by()
                    value=password.into()
                    on_input=Callback::new(move |text| password.set(text))
                    on_blur=Callback::new(|_| ())
                    invalid=not_invalid
                    autocomplete="current-password"
                />
            </FieldFrame>
            <div class="ds-actions">
                <button type="submit" class="ds-button ds-button--primary" disabled=move || busy.get()>
                    {move || if busy.get() { "Signing in…" } else { "Sign in" }}
                </button>
            </div>
        </form>
    }
}

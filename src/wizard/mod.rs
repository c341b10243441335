//! The Add Connection wizard: sign in, Basic Information, Merchant
//! Information, Warehouse Setup, Store Setup, and the confirmation.

pub mod actions;
mod basic;
mod done;
mod merchant;
mod sign_in;
pub mod state;
mod store_setup;
mod warehouse;

use crate::api::ApiClient;
use crate::components::field::{FieldIds, FieldMessage, field_message};
use dropstream_model::api::ApiError;
use dropstream_model::payload::FieldErrors;
use leptos::html::Div;
use leptos::prelude::*;
use state::{Step, WizardState};
use wasm_bindgen::JsCast;

/// The state of the Add connection request.
#[derive(Clone, Copy)]
pub struct Submission {
    /// Whether a request is waiting for its response.
    pub in_flight: RwSignal<bool>,
    /// The error of the last request, shown above the form.
    pub error: RwSignal<Option<ApiError>>,
    /// The created connection's id and name.
    pub created: RwSignal<Option<(i64, String)>>,
    /// The body and idempotency key of the last request, so that sending the
    /// same body again reuses the key and cannot create a second connection.
    pub last_request: StoredValue<Option<(String, String)>>,
    /// Aborts the request in flight when the user stops waiting.
    pub controller: StoredValue<Option<web_sys::AbortController>, LocalStorage>,
    /// Whether the request in flight has taken long enough to say so.
    pub slow: RwSignal<bool>,
    /// A message above the form that is not an error, such as a renewed session.
    pub notice: RwSignal<Option<String>>,
}

/// What every step reads from the wizard it belongs to.
#[derive(Clone, Copy)]
pub struct WizardContext {
    /// The typed values and lists.
    pub state: WizardState,
    /// The API client.
    pub client: StoredValue<ApiClient>,
    /// The client-side problems of the current draft, by request path.
    pub client_errors: Memo<FieldErrors>,
    /// The Add connection request.
    pub submission: Submission,
    /// The wizard's outer element, used to find its own fields by id even
    /// inside a host's shadow root.
    pub root: NodeRef<Div>,
    /// The host's mount element, which receives the wizard's DOM events;
    /// `None` on the standalone page.
    pub events_target: StoredValue<Option<web_sys::HtmlElement>, LocalStorage>,
}

/// The prefix of every DOM event the wizard dispatches.
pub const EVENT_PREFIX: &str = "dropstream:";

impl WizardContext {
    /// Creates the context of a wizard. Call inside the reactive owner that
    /// the wizard is mounted under, so that unmounting disposes it.
    pub fn new(
        client: ApiClient,
        state: WizardState,
        events_target: Option<web_sys::HtmlElement>,
    ) -> Self {
        Self {
            state,
            client: StoredValue::new(client),
            client_errors: Memo::new(move |_| state.client_errors()),
            submission: Submission {
                in_flight: RwSignal::new(false),
                error: RwSignal::new(None),
                created: RwSignal::new(None),
                last_request: StoredValue::new(None),
                controller: StoredValue::new_local(None),
                slow: RwSignal::new(false),
                notice: RwSignal::new(None),
            },
            root: NodeRef::new(),
            events_target: StoredValue::new_local(events_target),
        }
    }

    /// Dispatches `dropstream:{name}` on the host's mount element, bubbling
    /// and composed so that it leaves a shadow root. Never put a secret in
    /// `detail`: the host and anything listening on its page can read it.
    pub fn emit(&self, name: &str, detail: &serde_json::Value) {
        let Some(Some(target)) = self.events_target.try_get_value() else {
            return;
        };
        let init = web_sys::CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        let detail =
            js_sys::JSON::parse(&detail.to_string()).unwrap_or(wasm_bindgen::JsValue::NULL);
        init.set_detail(&detail);
        if let Ok(event) =
            web_sys::CustomEvent::new_with_event_init_dict(&format!("{EVENT_PREFIX}{name}"), &init)
        {
            let _ = target.dispatch_event(&event);
        }
    }

    /// Tells the host that the user wants to leave the wizard.
    pub fn cancel(&self) {
        let step = self.state.step.get_untracked();
        self.emit(
            "cancelled",
            &serde_json::json!({ "step": step.event_name() }),
        );
    }
    /// Returns the message memo for the field at `path`.
    pub fn message(
        &self,
        path: &str,
        warning: Option<Signal<Option<String>>>,
    ) -> Memo<Option<FieldMessage>> {
        field_message(self.state, self.client_errors, path.to_string(), warning)
    }

    /// Returns the ids for the field at `path`.
    pub fn ids(&self, path: &str) -> FieldIds {
        FieldIds::for_path(&self.state, path)
    }

    /// Moves focus to the field at `path`, if it is on screen.
    pub fn focus(&self, path: &str) {
        let id = self.state.element_id(path);
        let Some(root) = self.root.get_untracked() else {
            return;
        };
        if let Ok(Some(element)) = root.query_selector(&format!("#{id}"))
            && let Ok(element) = element.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = element.focus();
        }
    }

    /// Moves focus to the heading of the step on screen, unless focus is
    /// somewhere on the host page outside the wizard: a token arriving from
    /// the host must not pull the user away from what they are doing.
    pub fn focus_heading(&self) {
        let Some(Some(root)) = self.root.try_get_untracked() else {
            return;
        };
        let focus_elsewhere = document().active_element().is_some_and(|active| {
            let on_body = document().body().is_some_and(|body| *body == active);
            !on_body && !root.contains(Some(&active))
        });
        if focus_elsewhere {
            return;
        }
        if let Ok(Some(heading)) = root.query_selector(".ds-step__title")
            && let Ok(heading) = heading.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = heading.focus();
        }
    }

    /// Shows the messages of every field of `step` and focuses the first
    /// invalid one. Returns whether the step is valid.
    pub fn check_step(&self, step: Step) -> bool {
        let paths = self.state.step_paths(step);
        for path in &paths {
            self.state.touch(path);
        }
        let errors = self.state.client_errors();
        match paths.iter().find(|path| errors.contains_key(*path)) {
            Some(path) => {
                self.focus(path);
                false
            }
            None => true,
        }
    }

    /// Goes to the step after `step` if every field of `step` is valid.
    pub fn continue_from(&self, step: Step) {
        if !self.check_step(step) {
            return;
        }
        let next = match step {
            Step::Basic => Step::Merchant,
            Step::Merchant => Step::Warehouse,
            Step::Warehouse => Step::Store,
            other => other,
        };
        self.state.step.set(next);
    }

    /// Goes to the step before `step`, keeping every value.
    pub fn back_from(&self, step: Step) {
        let previous = match step {
            Step::Merchant => Step::Basic,
            Step::Warehouse => Step::Merchant,
            Step::Store => Step::Warehouse,
            other => other,
        };
        self.state.step.set(previous);
    }
}

/// Returns the context of the wizard around the calling component.
pub fn use_wizard() -> WizardContext {
    expect_context::<WizardContext>()
}

/// The whole wizard. The caller creates the context, so that tests and hosts
/// can start it at any step with any values and keep a handle on it.
#[component]
pub fn Wizard(
    /// The wizard's context, from [`WizardContext::new`].
    context: WizardContext,
) -> impl IntoView {
    let state = context.state;
    provide_context(context);

    if state.token.get_untracked().is_some() {
        actions::load_lists(context);
    }
    Effect::new(move |previous: Option<Step>| {
        let step = state.step.get();
        let index = Step::INDICATED
            .iter()
            .position(|(indicated, _)| *indicated == step);
        context.emit(
            "step-changed",
            &serde_json::json!({ "step": step.event_name(), "title": step.title(), "index": index }),
        );
        // Focus follows the user to the new step's heading, so keyboard and
        // screen reader users land on it. The first step takes no focus, so a
        // host page keeps its own.
        if previous.is_some_and(|previous| previous != step) {
            set_timeout(move || context.focus_heading(), std::time::Duration::ZERO);
        }
        step
    });

    let current_step = move || match state.step.get() {
        Step::SignIn => view! { <sign_in::SignInStep /> }.into_any(),
        Step::Basic => view! { <basic::BasicStep /> }.into_any(),
        Step::Merchant => view! { <merchant::MerchantStep /> }.into_any(),
        Step::Warehouse => view! { <warehouse::WarehouseStep /> }.into_any(),
        Step::Store => view! { <store_setup::StoreSetupStep /> }.into_any(),
        Step::Done => view! { <done::DoneStep /> }.into_any(),
    };
    // Embedded as Store Setup only, the host's page has the wizard's title.
    let title =
        (!state.store_setup_only).then(|| view! { <h1 class="ds-title">"Add Connection"</h1> });

    let reenter_notice = move || {
        let labels = state.secrets_to_reenter();
        (!labels.is_empty() && state.step.get() != Step::Done).then(|| {
            let text = format!(
                "What you typed before the page was reloaded has been restored. Passwords and other secrets are never saved, so enter these again: {}.",
                labels.join(", ")
            );
            view! { <p class="ds-alert ds-alert--notice" role="status">{text}</p> }
        })
    };

    view! {
        <div class="ds-wizard" node_ref=context.root>
            {title}
            <StepIndicator />
            {reenter_notice}
            <section class="ds-step">{current_step}</section>
        </div>
    }
}

/// The buttons at the foot of a step: Back (unless the step is the first),
/// Cancel when embedded, and the step's own primary button.
#[component]
fn StepActions(
    /// The step these buttons belong to.
    step: Step,
    /// The primary (submit) button's content.
    children: Children,
) -> impl IntoView {
    let context = use_wizard();
    let state = context.state;
    let has_back = step != Step::Basic && !(step == Step::Store && state.store_setup_only);

    view! {
        <div class="ds-actions">
            {state.embedded.then(|| view! {
                <button type="button" class="ds-button ds-button--quiet" on:click=move |_| context.cancel()>
                    "Cancel"
                </button>
            })}
            {has_back.then(|| view! {
                <button
                    type="button"
                    class="ds-button"
                    disabled=move || context.submission.in_flight.get()
                    on:click=move |_| context.back_from(step)
                >
                    "Back"
                </button>
            })}
            {children()}
        </div>
    }
}

/// The list of the four wizard steps with the current one marked.
#[component]
fn StepIndicator() -> impl IntoView {
    let state = use_wizard().state;
    let current = move || state.step.get();
    let hidden = move || state.store_setup_only || matches!(current(), Step::SignIn | Step::Done);

    let items = Step::INDICATED
        .iter()
        .enumerate()
        .map(|(index, (step, title))| {
            let step = *step;
            let position = move || {
                let current_index = Step::INDICATED
                    .iter()
                    .position(|(indicated, _)| *indicated == current());
                match current_index {
                    Some(current_index) if current_index == index => "current",
                    Some(current_index) if current_index > index => "done",
                    _ => "upcoming",
                }
            };
            view! {
                <li
                    class="ds-steps__item"
                    class:ds-steps__item--current=move || position() == "current"
                    class:ds-steps__item--done=move || position() == "done"
                    aria-current=move || (current() == step).then_some("step")
                >
                    <span class="ds-steps__number">{index + 1}</span>
                    <span class="ds-steps__title">{*title}</span>
                </li>
            }
        })
        .collect_view();

    view! {
        <ol class="ds-steps" aria-label="Progress" hidden=hidden>
            {items}
        </ol>
    }
}

/// The form-level message of the last failed Add connection request, with a
/// retry button when the same request may succeed later.
#[component]
fn RequestError(
    /// What the retry button does.
    on_retry: Callback<()>,
) -> impl IntoView {
    let context = use_wizard();
    let submission = context.submission;
    let notice = move || {
        submission
            .notice
            .get()
            .map(|text| view! { <p class="ds-alert ds-alert--notice" role="status">{text}</p> })
    };

    let error = move || {
        submission.error.get().map(|error| {
            let retryable = error.is_retryable();
            let text = if context.state.embedded && error == ApiError::Unauthorized {
                "Your session has ended. The dashboard is renewing it; nothing was sent and everything you typed is kept."
                    .to_string()
            } else {
                error.create_message()
            };
            view! {
                <div class="ds-alert ds-alert--error" role="alert">
                    <p class="ds-alert__text">{text}</p>
                    {retryable.then(|| view! {
                        <button type="button" class="ds-button" on:click=move |_| on_retry.run(())>
                            "Try again"
                        </button>
                    })}
                </div>
            }
        })
    };

    view! { {notice} {error} }
}

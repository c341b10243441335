//! Store Setup: a new store on a chosen platform, or an existing store. The
//! platform's fields come from the registry; no platform has code of its own.

use super::basic::name_field;
use super::state::{Step, StoreMode};
use super::{RequestError, StepActions, WizardContext, actions, use_wizard};
use crate::components::field::{FieldFrame, shows_error};
use crate::components::inputs::{SelectInput, SelectOption, TextInput};
use crate::components::secret::SecretInput;
use dropstream_model::payload::adapter_path;
use dropstream_model::platform::{FieldKind, FieldSpec, PLATFORMS, Platform, find_platform};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

/// The labels of request paths that are not on the Store Setup step, for
/// server errors that must be shown above the form.
fn label_of_path(path: &str) -> &str {
    match path {
        "name" => "Connection Name",
        "customer_id" => "Merchant",
        "warehouse_id" => "Warehouse",
        other => other,
    }
}

/// The fourth step: the store the orders come from, then Add connection.
#[component]
pub fn StoreSetupStep() -> impl IntoView {
    let context = use_wizard();
    let state = context.state;
    let submission = context.submission;
    let radio_name = state.element_id("store-mode");

    let mode_radio = move |mode: StoreMode, label: &'static str| {
        let id = state.element_id(match mode {
            StoreMode::New => "store-mode-new",
            StoreMode::Existing => "store-mode-existing",
        });
        view! {
            <div class="ds-choice__option">
                <input
                    type="radio"
                    id=id.clone()
                    name=radio_name.clone()
                    prop:checked=move || state.store_mode.get() == mode
                    on:change=move |_| state.store_mode.set(mode)
                />
                <label for=id>{label}</label>
            </div>
        }
    };

    let store_part = move || match state.store_mode.get() {
        StoreMode::New => view! { <NewStoreFields /> }.into_any(),
        StoreMode::Existing => view! { <ExistingStoreField /> }.into_any(),
    };

    let other_step_errors = move || {
        let on_step = state.step_paths(Step::Store);
        state.server_errors.with(|errors| {
            errors
                .iter()
                .filter(|(path, _)| !on_step.contains(path))
                .map(|(path, messages)| {
                    let text = format!("{}: {}", label_of_path(path), messages.join(" "));
                    view! { <li>{text}</li> }
                })
                .collect_view()
        })
    };

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        actions::submit_connection(context);
    };

    view! {
        <form class="ds-form" novalidate on:submit=on_submit aria-busy=move || submission.in_flight.get().to_string()>
            <h2 class="ds-step__title" tabindex="-1">"Store Setup"</h2>
            <RequestError on_retry=Callback::new(move |_| actions::submit_connection(context)) />
            <ul class="ds-alert__list">{other_step_errors}</ul>
            <fieldset class="ds-choice">
                <legend class="ds-label">"Existing or new store"</legend>
                {mode_radio(StoreMode::New, "Create new store")}
                {mode_radio(StoreMode::Existing, "Use existing store")}
            </fieldset>
            {store_part}
            <StepActions step=Step::Store>
                <button
                    type="submit"
                    class="ds-button ds-button--primary"
                    disabled=move || submission.in_flight.get()
                >
                    {move || if submission.in_flight.get() { "Adding connection…" } else { "Add connection" }}
                </button>
            </StepActions>
            <div class="ds-progress" role="status" hidden=move || !submission.slow.get()>
                <p class="ds-note">
                    "Still waiting for DropStream. You can keep waiting, or stop waiting and try "
                    "again later; nothing you typed is lost."
                </p>
                <button type="button" class="ds-button" on:click=move |_| actions::stop_waiting(context)>
                    "Stop waiting"
                </button>
            </div>
        </form>
    }
}

/// Name, Platform, and the chosen platform's fields.
#[component]
fn NewStoreFields() -> impl IntoView {
    let context = use_wizard();
    let state = context.state;
    let path = "store.platform";
    let message = context.message(path, None);
    let invalid = shows_error(message);
    let options = Signal::derive(|| {
        PLATFORMS
            .iter()
            .map(|platform| SelectOption {
                value: platform.id.to_string(),
                label: platform.name.to_string(),
            })
            .collect::<Vec<_>>()
    });

    // Keyed by platform and field, so switching platform creates fresh
    // controls instead of patching the previous platform's ones in place. The
    // values live in the state, so switching back shows what was typed.
    let platform_fields = move || {
        find_platform(&state.platform.get())
            .map(|platform| {
                platform
                    .fields
                    .iter()
                    .map(move |spec| (platform, spec))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };

    view! {
        {name_field(
            context,
            "store.name",
            "Name",
            "The store's name in DropStream, such as Brand X Khaos.",
            state.store_name,
        )}
        <FieldFrame
            ids=context.ids(path)
            label="Platform"
            help="The system the store's orders come from. Its own fields appear below once chosen."
            message
        >
            <SelectInput
                ids=context.ids(path)
                options
                placeholder="Choose a platform"
                value=state.platform.into()
                on_change=Callback::new(move |text| {
                    state.platform.set(text);
                    state.edited(path);
                })
                on_blur=Callback::new(move |_| state.touch(path))
                invalid
            />
        </FieldFrame>
        <div class="ds-platform-fields">
            <For
                each=platform_fields
                key=|(platform, spec)| (platform.id, spec.key)
                children=move |(platform, spec)| adapter_field(context, platform, spec)
            />
        </div>
    }
}

/// One field of a platform's adapter, rendered from its spec.
fn adapter_field(
    context: WizardContext,
    platform: &'static Platform,
    spec: &'static FieldSpec,
) -> impl IntoView {
    let state = context.state;
    let path = adapter_path(spec.key);
    let ids = context.ids(&path);
    let warning = Signal::derive(move || state.adapter_warning(platform.id, spec));
    let message = context.message(&path, Some(warning));
    let invalid = shows_error(message);
    let value = Signal::derive(move || state.adapter_value(platform.id, spec));
    let on_input =
        Callback::new(move |text: String| state.set_adapter_value(platform.id, spec.key, text));
    let touched_path = path.clone();
    let on_blur = Callback::new(move |_| state.touch(&touched_path));

    let control = match spec.kind {
        FieldKind::Secret => view! {
            <SecretInput
                id=ids.control.clone()
                described_by=ids.described_by()
                value
                on_input
                on_blur
                invalid
                autocomplete="new-password"
            />
        }
        .into_any(),
        FieldKind::Choice { options, .. } => {
            let options = Signal::derive(move || {
                options
                    .iter()
                    .map(|option| SelectOption {
                        value: option.value.to_string(),
                        label: option.label.to_string(),
                    })
                    .collect::<Vec<_>>()
            });
            let placeholder = spec.default.is_none().then_some("Choose an option");
            view! { <SelectInput ids=ids.clone() options placeholder value on_change=on_input on_blur invalid /> }
                .into_any()
        }
        FieldKind::YesNo => {
            let options = Signal::derive(|| {
                vec![
                    SelectOption {
                        value: "false".into(),
                        label: "No".into(),
                    },
                    SelectOption {
                        value: "true".into(),
                        label: "Yes".into(),
                    },
                ]
            });
            view! { <SelectInput ids=ids.clone() options value on_change=on_input on_blur invalid /> }.into_any()
        }
        FieldKind::Integer => view! {
            <TextInput ids=ids.clone() value on_input on_blur invalid inputmode="numeric" />
        }
        .into_any(),
        FieldKind::Url => view! {
            <TextInput ids=ids.clone() value on_input on_blur invalid inputmode="url" />
        }
        .into_any(),
        FieldKind::Text => {
            view! { <TextInput ids=ids.clone() value on_input on_blur invalid /> }.into_any()
        }
    };

    view! {
        <FieldFrame ids label=spec.label help=spec.help message>
            {control}
        </FieldFrame>
    }
}

/// The Store picker for "Use existing store".
#[component]
fn ExistingStoreField() -> impl IntoView {
    let context = use_wizard();
    let state = context.state;
    let path = "store_id";
    let message = context.message(path, None);
    let invalid = shows_error(message);
    let options = Signal::derive(move || {
        state
            .merchant_stores()
            .into_iter()
            .map(|store| {
                let platform =
                    find_platform(&store.platform).map_or(store.platform.as_str(), |p| p.name);
                SelectOption {
                    value: store.id.to_string(),
                    label: format!("{} ({platform}, ID {})", store.name, store.id),
                }
            })
            .collect::<Vec<_>>()
    });
    let value = Signal::derive(move || {
        state
            .existing_store_id
            .get()
            .map(|id| id.to_string())
            .unwrap_or_default()
    });
    let empty = move || options.with(Vec::is_empty);

    view! {
        <FieldFrame
            ids=context.ids(path)
            label="Store"
            help="A store this merchant already has in DropStream."
            message
        >
            <SelectInput
                ids=context.ids(path)
                options
                placeholder="Choose a store"
                value
                on_change=Callback::new(move |text: String| {
                    state.existing_store_id.set(text.parse().ok());
                    state.edited(path);
                })
                on_blur=Callback::new(move |_| state.touch(path))
                invalid
            />
        </FieldFrame>
        <p class="ds-note" hidden=move || !empty()>
            "This merchant has no stores yet. Choose Create new store instead."
        </p>
    }
}

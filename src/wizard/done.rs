//! The confirmation after the connection was created.

use super::state::Step;
use super::{actions, use_wizard};
use leptos::prelude::*;

/// Says the connection was created and is disabled until enabled.
#[component]
pub fn DoneStep() -> impl IntoView {
    let context = use_wizard();
    let state = context.state;
    let created = context.submission.created;

    let summary = move || {
        created.get().map(|(id, name)| {
            view! {
                <p>
                    "The connection " <strong><bdi>{name}</bdi></strong> " was created with ID "
                    <strong class="ds-done__id">{id}</strong> "."
                </p>
            }
        })
    };
    let add_another = move |_| {
        state.reset_form();
        created.set(None);
        context.submission.error.set(None);
        context.submission.notice.set(None);
        // The list of stores now contains the one just created, for "Use existing store".
        actions::load_lists(context);
        state.step.set(if state.store_setup_only {
            Step::Store
        } else {
            Step::Basic
        });
    };

    view! {
        <div class="ds-done" role="status">
            <h2 class="ds-step__title" tabindex="-1">"Connection created"</h2>
            {summary}
            <p>
                "It is disabled until you enable it in the Connections list, so no orders "
                "are imported yet."
            </p>
            <div class="ds-actions">
                <button type="button" class="ds-button ds-button--primary" on:click=add_another>
                    "Add another connection"
                </button>
            </div>
        </div>
    }
}

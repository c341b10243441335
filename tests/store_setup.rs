//! Browser tests of the Store Setup step, mounted into a fresh element of a
//! real Chromium page.
#![cfg(target_arch = "wasm32")]

use dropstream_connect::api::ApiClient;
use dropstream_connect::wizard::state::{Step, WizardState};
use dropstream_connect::wizard::{Wizard, WizardContext};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, Event, HtmlElement, HtmlInputElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Waits until the browser has run every pending render: a timer fires
/// only after all queued microtasks, including Leptos's effects, have run.
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback(&resolve)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// A wizard mounted at the Store Setup step into its own element.
struct Mounted {
    root: HtmlElement,
    state: WizardState,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.root.remove();
    }
}

/// Mounts the wizard without a token, so it loads no lists and sends nothing.
fn mount_store_setup() -> Mounted {
    let document = document();
    let root: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    let state = WizardState::new(Step::Store, None);
    let client = ApiClient::new("/api".to_string());
    leptos::mount::mount_to(root.clone(), move || {
        let context = WizardContext::new(client, state, None);
        view! { <Wizard context /> }
    })
    .forget();
    Mounted { root, state }
}

impl Mounted {
    /// The control labelled exactly `text`, found through the label's `for`.
    fn control(&self, text: &str) -> Option<Element> {
        let labels = self.root.query_selector_all("label").unwrap();
        (0..labels.length())
            .filter_map(|index| labels.item(index))
            .map(|node| node.unchecked_into::<Element>())
            .find(|label| label.text_content().unwrap_or_default().trim() == text)
            .and_then(|label| label.get_attribute("for"))
            .and_then(|id| self.root.query_selector(&format!("#{id}")).unwrap())
    }

    fn input(&self, label: &str) -> HtmlInputElement {
        self.control(label)
            .unwrap_or_else(|| panic!("no control labelled {label}"))
            .unchecked_into()
    }

    fn select(&self, label: &str) -> HtmlSelectElement {
        self.control(label)
            .unwrap_or_else(|| panic!("no control labelled {label}"))
            .unchecked_into()
    }

    fn button(&self, text: &str) -> HtmlElement {
        let buttons = self.root.query_selector_all("button").unwrap();
        (0..buttons.length())
            .filter_map(|index| buttons.item(index))
            .map(|node| node.unchecked_into::<HtmlElement>())
            .find(|button| button.text_content().unwrap_or_default().trim() == text)
            .unwrap_or_else(|| panic!("no button {text}"))
    }

    async fn choose(&self, label: &str, value: &str) {
        let select = self.select(label);
        select.set_value(value);
        select
            .dispatch_event(&Event::new("change").unwrap())
            .unwrap();
        settle().await;
    }

    async fn type_into(&self, label: &str, value: &str) {
        let input = self.input(label);
        input.set_value(value);
        input.dispatch_event(&Event::new("input").unwrap()).unwrap();
        settle().await;
    }
}

const KHAOS_LABELS: [&str; 5] = [
    "URL",
    "User Password",
    "Order Import Status",
    "Substage ID",
    "Site Name",
];

#[wasm_bindgen_test]
async fn khaos_fields_appear_once_khaos_control_is_chosen() {
    let page = mount_store_setup();
    settle().await;

    assert!(page.input("Create new store").checked());
    assert_eq!(
        page.select("Platform").value(),
        "",
        "no platform is chosen at first"
    );
    for label in KHAOS_LABELS {
        assert!(
            page.control(label).is_none(),
            "{label} shows before a platform is chosen"
        );
    }

    page.choose("Platform", "khaos_control").await;
    for label in KHAOS_LABELS {
        assert!(
            page.control(label).is_some(),
            "{label} is missing after choosing Khaos Control"
        );
    }
}

#[wasm_bindgen_test]
async fn order_import_status_defaults_to_released() {
    let page = mount_store_setup();
    page.choose("Platform", "khaos_control").await;

    let status = page.select("Order Import Status");
    assert_eq!(status.value(), "9");
    let selected = status.selected_options().item(0).unwrap();
    assert_eq!(selected.text_content().unwrap().trim(), "RELEASED (9)");
    assert_eq!(status.options().length(), 8);
}

#[wasm_bindgen_test]
async fn switching_platform_hides_khaos_fields_and_keeps_values() {
    let page = mount_store_setup();
    page.choose("Platform", "khaos_control").await;
    page.type_into("URL", "https://api.khaoscloud.com/brand-x")
        .await;
    page.type_into("User Password", "s3cret pass").await;
    page.choose("Order Import Status", "12").await;
    page.type_into("Site Name", "Main Site").await;

    page.choose("Platform", "shopify").await;
    for label in KHAOS_LABELS {
        assert!(
            page.control(label).is_none(),
            "{label} still shows for Shopify"
        );
    }
    assert!(page.control("Shop Name").is_some());

    page.choose("Platform", "khaos_control").await;
    assert_eq!(
        page.input("URL").value(),
        "https://api.khaoscloud.com/brand-x"
    );
    assert_eq!(page.input("User Password").value(), "s3cret pass");
    assert_eq!(page.select("Order Import Status").value(), "12");
    assert_eq!(page.input("Site Name").value(), "Main Site");
}

#[wasm_bindgen_test]
async fn password_is_hidden_until_show_is_pressed() {
    let page = mount_store_setup();
    page.choose("Platform", "khaos_control").await;
    let password = page.input("User Password");
    assert_eq!(password.type_(), "password");
    assert_eq!(
        password.get_attribute("autocomplete").as_deref(),
        Some("new-password")
    );

    let toggle = page.button("Show");
    assert_eq!(toggle.get_attribute("type").as_deref(), Some("button"));
    toggle.click();
    settle().await;
    assert_eq!(page.input("User Password").type_(), "text");
    assert_eq!(toggle.text_content().unwrap().trim(), "Hide");

    toggle.click();
    settle().await;
    assert_eq!(page.input("User Password").type_(), "password");
}

#[wasm_bindgen_test]
async fn invalid_fields_show_messages_on_submit_and_focus_the_first() {
    let page = mount_store_setup();
    page.choose("Platform", "khaos_control").await;
    page.type_into("Name", "Brand X Khaos").await;
    page.type_into("Substage ID", "1.5").await;

    page.button("Add connection").click();
    settle().await;

    let text = page.root.text_content().unwrap();
    assert!(text.contains("Enter the URL."), "{text}");
    assert!(text.contains("Enter the User Password."), "{text}");
    assert!(text.contains("Enter a whole number above 0"), "{text}");
    let focused = document().active_element().unwrap();
    assert_eq!(
        focused,
        page.control("URL").unwrap(),
        "focus is on the first invalid field"
    );
    assert_eq!(
        page.input("URL").get_attribute("aria-invalid").as_deref(),
        Some("true")
    );

    page.type_into("URL", "https://api.khaoscloud.com/x").await;
    let text = page.root.text_content().unwrap();
    assert!(
        !text.contains("Enter the URL."),
        "the message clears once the URL is valid"
    );
    assert_eq!(page.state.platform.get_untracked(), "khaos_control");
}

#[wasm_bindgen_test]
async fn two_wizards_never_share_element_ids() {
    let first = mount_store_setup();
    let second = mount_store_setup();
    first.choose("Platform", "khaos_control").await;
    second.choose("Platform", "khaos_control").await;
    first.type_into("URL", "https://first.example").await;

    assert_ne!(first.input("URL").id(), second.input("URL").id());
    assert_eq!(second.input("URL").value(), "");
}

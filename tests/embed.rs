//! Browser tests of the embedding entry point: option checks at mount,
//! events on the mount element, and a clean unmount.
#![cfg(target_arch = "wasm32")]

use dropstream_connect::embed::mount;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn new_element() -> HtmlElement {
    let element: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&element).unwrap();
    element
}

fn options(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap()
}

async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback(&resolve)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn adopted_sheet_count() -> u32 {
    let sheets = js_sys::Reflect::get(&document(), &"adoptedStyleSheets".into()).unwrap();
    js_sys::Array::from(&sheets).length()
}

const STORE_SETUP: &str = r#"{"token": "test-token", "apiBase": "/no-such-api", "mode": "store-setup",
    "context": {"connectionName": "Brand X - Khaos", "merchantId": 1, "warehouseId": 1},
    "initialValues": {"storeName": "Brand X Khaos", "platform": "khaos_control", "adapter": {"site_name": "Main Site"}}}"#;

#[wasm_bindgen_test]
fn unknown_option_fails_with_a_message_in_the_element() {
    let element = new_element();
    let result = mount(element.clone(), options(r#"{"apiBse": "/api"}"#));
    assert!(result.is_err());
    let text = element.text_content().unwrap();
    assert!(text.contains("unknown field `apiBse`"), "{text}");
    element.remove();
}

#[wasm_bindgen_test]
fn secret_initial_value_is_rejected() {
    let element = new_element();
    let result = mount(
        element.clone(),
        options(
            r#"{"initialValues": {"platform": "khaos_control", "adapter": {"password": "p"}}}"#,
        ),
    );
    assert!(result.is_err());
    assert!(element.text_content().unwrap().contains("is a secret"));
    element.remove();
}

#[wasm_bindgen_test]
async fn store_setup_mode_starts_with_the_hosts_values() {
    let element = new_element();
    let mut handle = mount(element.clone(), options(STORE_SETUP)).unwrap();
    settle().await;

    assert!(element.inner_html().contains("Store Setup"));
    let indicator = element.query_selector("ol.ds-steps").unwrap().unwrap();
    assert!(
        indicator.has_attribute("hidden"),
        "the step indicator is hidden"
    );
    let name: web_sys::HtmlInputElement = element
        .query_selector("input.ds-input")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(name.value(), "Brand X Khaos");
    let site = element
        .query_selector("[id$='store-adapter-site-name']")
        .unwrap()
        .unwrap();
    assert_eq!(
        site.unchecked_into::<web_sys::HtmlInputElement>().value(),
        "Main Site"
    );

    handle.unmount();
    element.remove();
}

#[wasm_bindgen_test]
async fn events_bubble_from_the_mount_element() {
    let element = new_element();
    let received: Rc<RefCell<Vec<(String, String)>>> = Rc::default();
    let sink = received.clone();
    let listener =
        Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |event: web_sys::CustomEvent| {
            let detail = js_sys::JSON::stringify(&event.detail())
                .unwrap()
                .as_string()
                .unwrap();
            assert!(event.bubbles(), "events bubble");
            assert!(event.composed(), "events leave shadow roots");
            sink.borrow_mut().push((event.type_(), detail));
        });
    let body = document().body().unwrap();
    body.add_event_listener_with_callback(
        "dropstream:step-changed",
        listener.as_ref().unchecked_ref(),
    )
    .unwrap();

    let mut handle = mount(element.clone(), options(STORE_SETUP)).unwrap();
    settle().await;
    let cancel = element.query_selector_all("button").unwrap();
    let cancel: HtmlElement = (0..cancel.length())
        .filter_map(|index| cancel.item(index))
        .map(|node| node.unchecked_into::<HtmlElement>())
        .find(|button| button.text_content().unwrap().trim() == "Cancel")
        .expect("embedded wizards have a Cancel button");
    let cancelled: Rc<RefCell<Option<String>>> = Rc::default();
    let cancelled_sink = cancelled.clone();
    let on_cancel =
        Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |event: web_sys::CustomEvent| {
            *cancelled_sink.borrow_mut() = js_sys::JSON::stringify(&event.detail())
                .unwrap()
                .as_string();
        });
    element
        .add_event_listener_with_callback(
            "dropstream:cancelled",
            on_cancel.as_ref().unchecked_ref(),
        )
        .unwrap();
    cancel.click();

    assert_eq!(
        received.borrow().as_slice(),
        [(
            "dropstream:step-changed".to_string(),
            r#"{"index":3,"step":"store-setup","title":"Store Setup"}"#.to_string()
        )]
    );
    assert_eq!(
        cancelled.borrow().as_deref(),
        Some(r#"{"step":"store-setup"}"#)
    );

    body.remove_event_listener_with_callback(
        "dropstream:step-changed",
        listener.as_ref().unchecked_ref(),
    )
    .unwrap();
    handle.unmount();
    element.remove();
}

#[wasm_bindgen_test]
async fn unmount_removes_nodes_and_the_shared_stylesheet() {
    let before = adopted_sheet_count();
    let first = new_element();
    let second = new_element();
    let mut first_handle = mount(first.clone(), options(STORE_SETUP)).unwrap();
    let mut second_handle = mount(second.clone(), options(STORE_SETUP)).unwrap();
    settle().await;
    assert_eq!(
        adopted_sheet_count(),
        before + 1,
        "two wizards share one stylesheet"
    );

    first_handle.unmount();
    settle().await;
    assert_eq!(
        first.child_nodes().length(),
        0,
        "unmount leaves the element empty"
    );
    assert_eq!(
        adopted_sheet_count(),
        before + 1,
        "the second wizard still uses the stylesheet"
    );

    second_handle.unmount();
    assert_eq!(adopted_sheet_count(), before);
    assert!(second_handle.set_token("t".to_string()).is_err());

    let mut again = mount(first.clone(), options(STORE_SETUP)).unwrap();
    settle().await;
    assert!(
        first.inner_html().contains("Store Setup"),
        "a second mount into the same element works"
    );
    again.unmount();
    first.remove();
    second.remove();
}

#[wasm_bindgen_test]
async fn dropped_handle_leaves_the_wizard_mounted() {
    let element = new_element();
    let handle = mount(element.clone(), options(STORE_SETUP)).unwrap();
    drop(handle);
    settle().await;
    assert!(
        element.query_selector(".ds-wizard").unwrap().is_some(),
        "the wizard stays until unmount(), even when the garbage collector frees the handle"
    );
    element.remove();
}

#[wasm_bindgen_test]
async fn second_mount_into_one_element_is_rejected() {
    let element = new_element();
    let mut first = mount(element.clone(), options(STORE_SETUP)).unwrap();
    settle().await;
    assert!(mount(element.clone(), options(STORE_SETUP)).is_err());
    assert_eq!(
        element.query_selector_all(".ds-wizard").unwrap().length(),
        1
    );
    first.unmount();
    element.remove();
}

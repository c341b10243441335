//! The wizard's stylesheet, compiled into the module and adopted once per
//! document or shadow root however many wizards it holds. Constructed
//! stylesheets need no `<style>` element, so the host's markup is untouched
//! and a Content-Security-Policy without `'unsafe-inline'` styles allows them.

use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CssStyleSheet, Node};

const CSS: &str = include_str!("../style/wizard.css");

thread_local! {
    static SHEET: RefCell<Option<CssStyleSheet>> = const { RefCell::new(None) };
    /// Each root holding the sheet and how many mounted wizards use it.
    static USERS: RefCell<Vec<(Node, usize)>> = const { RefCell::new(Vec::new()) };
}

fn sheet() -> Result<CssStyleSheet, JsValue> {
    SHEET.with(|cell| {
        if let Some(sheet) = cell.borrow().as_ref() {
            return Ok(sheet.clone());
        }
        let sheet = CssStyleSheet::new()?;
        sheet.replace_sync(CSS)?;
        *cell.borrow_mut() = Some(sheet.clone());
        Ok(sheet)
    })
}

fn adopted(root: &Node) -> Result<js_sys::Array, JsValue> {
    let list = js_sys::Reflect::get(root, &"adoptedStyleSheets".into())?;
    // Copied into a plain array: older browsers expose a frozen array.
    Ok(js_sys::Array::from(&list))
}

fn set_adopted(root: &Node, sheets: &js_sys::Array) -> Result<(), JsValue> {
    js_sys::Reflect::set(root, &"adoptedStyleSheets".into(), sheets).map(|_| ())
}

/// Adds the stylesheet to the document or shadow root that holds `element`,
/// unless a wizard there already did.
pub fn attach(element: &web_sys::Element) -> Result<(), JsValue> {
    let root = element.get_root_node();
    let already = USERS.with(|users| {
        let mut users = users.borrow_mut();
        match users.iter_mut().find(|(node, _)| *node == root) {
            Some((_, count)) => {
                *count += 1;
                true
            }
            None => {
                users.push((root.clone(), 1));
                false
            }
        }
    });
    if already {
        return Ok(());
    }
    let sheets = adopted(&root)?;
    sheets.push(sheet()?.unchecked_ref());
    set_adopted(&root, &sheets)
}

/// Removes the stylesheet from `root` once its last wizard is unmounted.
pub fn detach(root: &Node) -> Result<(), JsValue> {
    let last = USERS.with(|users| {
        let mut users = users.borrow_mut();
        let Some(index) = users.iter().position(|(node, _)| node == root) else {
            return false;
        };
        users[index].1 -= 1;
        if users[index].1 == 0 {
            users.remove(index);
            true
        } else {
            false
        }
    });
    if !last {
        return Ok(());
    }
    let sheet: JsValue = sheet()?.into();
    let remaining: js_sys::Array = adopted(root)?
        .iter()
        .filter(|adopted| *adopted != sheet)
        .collect();
    set_adopted(root, &remaining)
}

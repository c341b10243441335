//! Building the `POST /connections` body from what the user typed, and
//! checking a received body on the server with the same rules.
//!
//! Errors are keyed by dotted paths into the request body (`name`,
//! `store.adapter.url`), the same keys the API uses in its 422 responses, so
//! the page shows its own errors and the server's in the same places.

use crate::api::{ConnectionRequest, NewStore};
use crate::platform::{Platform, find_platform};
use crate::validate::{check_field, check_name, field_to_json, json_to_field_text};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Messages per dotted request path, as in the API's 422 responses.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

/// Returns the path of an adapter field inside the request body.
pub fn adapter_path(key: &str) -> String {
    format!("store.adapter.{key}")
}

/// The store part of the wizard, as the user left it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreDraft {
    /// "Use existing store", with the picked store if any.
    Existing(Option<i64>),
    /// "Create new store".
    New {
        /// The store's Name as typed.
        name: String,
        /// The chosen platform's wire string; empty while nothing is chosen.
        platform: String,
        /// The chosen platform's field values as typed, by wire key.
        values: BTreeMap<String, String>,
    },
}

/// Everything the wizard collected, as typed, before it is checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectionDraft {
    /// The Connection Name as typed.
    pub name: String,
    /// The picked merchant (a `customer` in the API).
    pub customer_id: Option<i64>,
    /// The picked warehouse; `None` lets the API use the merchant's default one.
    pub warehouse_id: Option<i64>,
    /// The store part.
    pub store: StoreDraft,
}

/// Checks the draft and builds the request body, or returns every problem.
/// Blank optional adapter fields are left out; secrets are sent untrimmed.
pub fn build_connection_request(draft: &ConnectionDraft) -> Result<ConnectionRequest, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut push = |path: String, message: String| errors.entry(path).or_default().push(message);

    if let Some(message) = check_name("a connection name", &draft.name).message() {
        push("name".into(), message.into());
    }
    if draft.customer_id.is_none() {
        push("customer_id".into(), "Choose a merchant.".into());
    }

    let (store, store_id) = match &draft.store {
        StoreDraft::Existing(Some(id)) => (None, Some(*id)),
        StoreDraft::Existing(None) => {
            push("store_id".into(), "Choose a store.".into());
            (None, None)
        }
        StoreDraft::New {
            name,
            platform,
            values,
        } => {
            let check = check_name("a name for the store", name);
            if check.is_invalid() {
                push(
                    "store.name".into(),
                    check.message().unwrap_or_default().into(),
                );
            }
            match find_platform(platform) {
                None => {
                    push(
                        "store.platform".into(),
                        "Choose the store's platform.".into(),
                    );
                    (None, None)
                }
                Some(platform) => {
                    let mut adapter = Map::new();
                    for spec in platform.fields {
                        let raw = values.get(spec.key).map(String::as_str).unwrap_or("");
                        let raw = if raw.is_empty() {
                            spec.default.unwrap_or("")
                        } else {
                            raw
                        };
                        let check = check_field(spec, raw);
                        if check.is_invalid() {
                            push(
                                adapter_path(spec.key),
                                check.message().unwrap_or_default().into(),
                            );
                        } else if let Some(value) = field_to_json(spec, raw) {
                            adapter.insert(spec.key.to_string(), value);
                        }
                    }
                    let store = NewStore {
                        name: name.trim().to_string(),
                        platform: platform.id.to_string(),
                        adapter,
                    };
                    (Some(store), None)
                }
            }
        }
    };

    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ConnectionRequest {
        name: draft.name.trim().to_string(),
        customer_id: draft.customer_id,
        warehouse_id: draft.warehouse_id,
        store,
        store_id,
    })
}

const TOP_LEVEL_KEYS: &[&str] = &["name", "customer_id", "warehouse_id", "store", "store_id"];
const STORE_KEYS: &[&str] = &["name", "platform", "adapter"];

/// Checks a received `POST /connections` body with the rules the page uses,
/// including JSON types and unknown keys, and returns it normalised (text
/// trimmed, blank optional fields dropped).
pub fn check_connection_request(body: &Value) -> Result<ConnectionRequest, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut push = |path: &str, message: &str| {
        errors
            .entry(path.to_string())
            .or_default()
            .push(message.to_string())
    };

    let Some(object) = body.as_object() else {
        push("", "The request body must be a JSON object.");
        return Err(errors);
    };
    for key in object.keys() {
        match key.as_str() {
            "customer" | "warehouse" => push(
                key,
                "Only existing merchants and warehouses are supported; send customer_id and warehouse_id.",
            ),
            key if !TOP_LEVEL_KEYS.contains(&key) => {
                push(key, "This field is not part of a connection.")
            }
            _ => {}
        }
    }

    let name = text_member(object, "name").unwrap_or_default();
    if let Some(message) = check_name("a connection name", &name).message() {
        push("name", message);
    }
    let customer_id = id_member(object, "customer_id");
    if customer_id.is_none() {
        push(
            "customer_id",
            "Choose a merchant: send customer_id as a positive whole number.",
        );
    }
    let warehouse_id = id_member(object, "warehouse_id");
    if object
        .get("warehouse_id")
        .is_some_and(|value| !value.is_null())
        && warehouse_id.is_none()
    {
        push(
            "warehouse_id",
            "Send warehouse_id as a positive whole number.",
        );
    }

    let store_id = id_member(object, "store_id");
    let store = match (object.get("store"), object.get("store_id")) {
        (Some(_), Some(_)) => {
            push("store", "Send either store or store_id, not both.");
            None
        }
        (None, Some(_)) => {
            if store_id.is_none() {
                push("store_id", "Send store_id as a positive whole number.");
            }
            None
        }
        (None, None) => {
            push(
                "store",
                "Send a new store or the store_id of an existing one.",
            );
            None
        }
        (Some(store), None) => check_new_store(store, &mut push),
    };

    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ConnectionRequest {
        name: name.trim().to_string(),
        customer_id,
        warehouse_id,
        store,
        store_id,
    })
}

fn check_new_store(store: &Value, push: &mut impl FnMut(&str, &str)) -> Option<NewStore> {
    let Some(store) = store.as_object() else {
        push("store", "The store must be a JSON object.");
        return None;
    };
    for key in store.keys() {
        if !STORE_KEYS.contains(&key.as_str()) {
            push(
                &format!("store.{key}"),
                "This field is not part of a store.",
            );
        }
    }
    let name = text_member(store, "name").unwrap_or_default();
    if let Some(message) = check_name("a name for the store", &name).message() {
        push("store.name", message);
    }
    let platform_id = text_member(store, "platform").unwrap_or_default();
    let Some(platform) = find_platform(&platform_id) else {
        push(
            "store.platform",
            "Choose one of the supported store platforms.",
        );
        return None;
    };
    let adapter = match store.get("adapter") {
        Some(Value::Object(adapter)) => check_adapter(platform, adapter, push),
        _ => {
            push("store.adapter", "The adapter must be a JSON object.");
            return None;
        }
    };
    Some(NewStore {
        name: name.trim().to_string(),
        platform: platform.id.to_string(),
        adapter,
    })
}

fn check_adapter(
    platform: &Platform,
    adapter: &Map<String, Value>,
    push: &mut impl FnMut(&str, &str),
) -> Map<String, Value> {
    let mut normalised = Map::new();
    for key in adapter.keys() {
        if platform.field(key).is_none() {
            push(
                &adapter_path(key),
                &format!("This field is not part of a {} store.", platform.name),
            );
        }
    }
    for spec in platform.fields {
        let raw = match adapter.get(spec.key) {
            None | Some(Value::Null) => spec.default.unwrap_or("").to_string(),
            Some(value) => match json_to_field_text(spec, value) {
                Ok(text) => text,
                Err(message) => {
                    push(
                        &adapter_path(spec.key),
                        &format!("The {} {message}.", spec.label),
                    );
                    continue;
                }
            },
        };
        let check = check_field(spec, &raw);
        if let Some(message) = check.message().filter(|_| check.is_invalid()) {
            push(&adapter_path(spec.key), message);
        } else if let Some(value) = field_to_json(spec, &raw) {
            normalised.insert(spec.key.to_string(), value);
        }
    }
    normalised
}

fn text_member(object: &Map<String, Value>, key: &str) -> Option<String> {
    object.get(key).and_then(Value::as_str).map(str::to_string)
}

fn id_member(object: &Map<String, Value>, key: &str) -> Option<i64> {
    object.get(key).and_then(Value::as_i64).filter(|id| *id > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn khaos_values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(key, value)| (key.to_string(), value.to_string()))
            .collect()
    }

    fn khaos_draft(values: BTreeMap<String, String>) -> ConnectionDraft {
        ConnectionDraft {
            name: "  Brand X - Khaos -> ACME WMS ".into(),
            customer_id: Some(12),
            warehouse_id: Some(34),
            store: StoreDraft::New {
                name: " Brand X Khaos ".into(),
                platform: "khaos_control".into(),
                values,
            },
        }
    }

    #[test]
    fn khaos_request_matches_the_documented_body() {
        let draft = khaos_draft(khaos_values(&[
            ("url", " https://api.khaoscloud.com/example "),
            ("password", "secret"),
            ("order_import_status", "9"),
            ("substage_id", "4"),
            ("site_name", "Main Site"),
        ]));
        let request = build_connection_request(&draft).unwrap();
        assert_eq!(
            serde_json::to_value(&request).unwrap(),
            json!({
                "name": "Brand X - Khaos -> ACME WMS",
                "customer_id": 12,
                "warehouse_id": 34,
                "store": {
                    "name": "Brand X Khaos",
                    "platform": "khaos_control",
                    "adapter": {
                        "url": "https://api.khaoscloud.com/example",
                        "password": "secret",
                        "order_import_status": 9,
                        "substage_id": 4,
                        "site_name": "Main Site"
                    }
                }
            })
        );
    }

    #[test]
    fn blank_optional_fields_are_omitted_and_status_defaults_to_9() {
        let draft = khaos_draft(khaos_values(&[
            ("url", "https://api.khaoscloud.com/example"),
            ("password", "pw"),
            ("substage_id", "  "),
            ("site_name", ""),
        ]));
        let body = serde_json::to_value(build_connection_request(&draft).unwrap()).unwrap();
        assert_eq!(
            body["store"]["adapter"],
            json!({"url": "https://api.khaoscloud.com/example", "password": "pw", "order_import_status": 9})
        );
    }

    #[test]
    fn only_the_chosen_platforms_fields_are_sent() {
        let mut values = khaos_values(&[("url", "https://a.example"), ("password", "pw")]);
        values.insert("shop_name".into(), "leftover".into());
        let body =
            serde_json::to_value(build_connection_request(&khaos_draft(values)).unwrap()).unwrap();
        assert!(body["store"]["adapter"].get("shop_name").is_none());
    }

    #[test]
    fn every_problem_is_reported_by_its_path() {
        let mut draft = khaos_draft(khaos_values(&[("url", "ftp://x"), ("substage_id", "0")]));
        draft.name = " ".into();
        draft.customer_id = None;
        let errors = build_connection_request(&draft).unwrap_err();
        let paths: Vec<_> = errors.keys().map(String::as_str).collect();
        assert_eq!(
            paths,
            [
                "customer_id",
                "name",
                "store.adapter.password",
                "store.adapter.substage_id",
                "store.adapter.url"
            ]
        );
    }

    #[test]
    fn missing_platform_is_reported() {
        let draft = ConnectionDraft {
            store: StoreDraft::New {
                name: "S".into(),
                platform: String::new(),
                values: BTreeMap::new(),
            },
            ..khaos_draft(BTreeMap::new())
        };
        let errors = build_connection_request(&draft).unwrap_err();
        assert_eq!(errors["store.platform"], ["Choose the store's platform."]);
    }

    #[test]
    fn existing_store_is_sent_by_id() {
        let draft = ConnectionDraft {
            store: StoreDraft::Existing(Some(7)),
            ..khaos_draft(BTreeMap::new())
        };
        let body = serde_json::to_value(build_connection_request(&draft).unwrap()).unwrap();
        assert_eq!(
            body,
            json!({"name": "Brand X - Khaos -> ACME WMS", "customer_id": 12, "warehouse_id": 34, "store_id": 7})
        );
        let draft = ConnectionDraft {
            store: StoreDraft::Existing(None),
            ..draft
        };
        assert!(
            build_connection_request(&draft)
                .unwrap_err()
                .contains_key("store_id")
        );
    }

    #[test]
    fn server_check_accepts_what_the_page_builds() {
        let draft = khaos_draft(khaos_values(&[
            ("url", "https://api.khaoscloud.com/example"),
            ("password", " pw "),
            ("order_import_status", "14"),
            ("substage_id", "4"),
            ("site_name", "Main Site"),
        ]));
        let built = build_connection_request(&draft).unwrap();
        let checked = check_connection_request(&serde_json::to_value(&built).unwrap()).unwrap();
        assert_eq!(checked, built);
    }

    #[test]
    fn server_check_rejects_wrong_types_and_unknown_keys() {
        let body = json!({
            "name": "C",
            "customer_id": "12",
            "extra": true,
            "store": {
                "name": "S",
                "platform": "khaos_control",
                "adapter": {"url": "https://a.example", "password": "p", "order_import_status": "9", "substage_id": 1.5, "colour": "red"}
            }
        });
        let errors = check_connection_request(&body).unwrap_err();
        let paths: Vec<_> = errors.keys().map(String::as_str).collect();
        assert_eq!(
            paths,
            [
                "customer_id",
                "extra",
                "store.adapter.colour",
                "store.adapter.order_import_status",
                "store.adapter.substage_id"
            ]
        );
    }

    #[test]
    fn server_check_applies_the_field_rules() {
        let body = json!({
            "name": "  ",
            "customer_id": 1,
            "store": {"name": "S", "platform": "khaos_control", "adapter": {"url": "javascript:alert(1)", "password": "", "site_name": "x".repeat(101)}}
        });
        let errors = check_connection_request(&body).unwrap_err();
        assert_eq!(errors["name"], ["Enter a connection name."]);
        assert!(errors["store.adapter.url"][0].contains("https://"));
        assert_eq!(
            errors["store.adapter.password"],
            ["Enter the User Password."]
        );
        assert!(errors["store.adapter.site_name"][0].contains("at most 100"));
    }

    #[test]
    fn server_check_needs_exactly_one_store() {
        let both = json!({"name": "C", "customer_id": 1, "store_id": 2, "store": {}});
        assert!(
            check_connection_request(&both)
                .unwrap_err()
                .contains_key("store")
        );
        let neither = json!({"name": "C", "customer_id": 1});
        assert!(
            check_connection_request(&neither)
                .unwrap_err()
                .contains_key("store")
        );
        assert!(check_connection_request(&json!([1])).is_err());
    }
}

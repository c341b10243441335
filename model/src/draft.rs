//! The draft of a wizard kept in the tab's `sessionStorage`, so that a reload
//! or a crashed tab loses nothing the user typed. Secret fields are removed
//! before a draft is stored and are listed instead, so that the page can ask
//! the user to type them again.

use crate::platform::{FieldKind, find_platform};
use crate::validate::url_has_credentials;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The `sessionStorage` key of the draft.
pub const DRAFT_STORAGE_KEY: &str = "dropstream-connect:draft";

/// The draft's format version; a stored draft of another version is ignored.
pub const DRAFT_VERSION: u32 = 1;

/// Every non-secret value of the wizard, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// The format version, [`DRAFT_VERSION`] when written.
    pub version: u32,
    /// The step the user was on, by its event name (`store-setup`).
    pub step: String,
    /// Connection Name.
    pub connection_name: String,
    /// The picked merchant.
    pub customer_id: Option<i64>,
    /// The warehouse picked among several.
    pub picked_warehouse_id: Option<i64>,
    /// Whether the store is new (`true`) or existing.
    pub new_store: bool,
    /// The existing store picked.
    pub existing_store_id: Option<i64>,
    /// The new store's Name.
    pub store_name: String,
    /// The platform's wire string.
    pub platform: String,
    /// Non-secret adapter values per platform and wire key.
    pub adapter_values: BTreeMap<String, BTreeMap<String, String>>,
    /// Labels of the secret fields that had a value, such as "User Password".
    pub secrets_to_reenter: Vec<String>,
    /// Whether the last Add connection request may have created the
    /// connection without the page learning of it.
    #[serde(default)]
    pub outcome_unknown: bool,
}

impl Draft {
    /// Returns whether the draft contains anything the user typed or chose.
    pub fn is_empty(&self) -> bool {
        self.connection_name.trim().is_empty()
            && self.customer_id.is_none()
            && self.store_name.trim().is_empty()
            && self.platform.is_empty()
            && self.existing_store_id.is_none()
            && self
                .adapter_values
                .values()
                .all(|fields| fields.values().all(|value| value.is_empty()))
            && self.secrets_to_reenter.is_empty()
    }

    /// Parses a stored draft; `None` for anything unreadable or of another version.
    pub fn from_json(json: &str) -> Option<Draft> {
        serde_json::from_str::<Draft>(json)
            .ok()
            .filter(|draft| draft.version == DRAFT_VERSION)
    }

    /// Serialises the draft for storage.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Splits adapter values into those that may be stored and the labels of the
/// secret fields that had a value. Keys that no registered platform field
/// has are dropped too, because nothing would show them.
pub fn remove_secrets(
    values: &BTreeMap<String, BTreeMap<String, String>>,
    chosen_platform: &str,
) -> (BTreeMap<String, BTreeMap<String, String>>, Vec<String>) {
    let mut kept = BTreeMap::new();
    let mut secrets = Vec::new();
    for (platform_id, fields) in values {
        let Some(platform) = find_platform(platform_id) else {
            continue;
        };
        for (key, value) in fields {
            let Some(spec) = platform.field(key) else {
                continue;
            };
            // An address with a password in it is a secret too, even though
            // the form already marks it as invalid.
            let is_secret = spec.kind == FieldKind::Secret
                || (spec.kind == FieldKind::Url && url_has_credentials(value));
            if is_secret {
                if !value.is_empty() && platform_id == chosen_platform {
                    secrets.push(spec.label.to_string());
                }
            } else {
                kept.entry(platform_id.clone())
                    .or_insert_with(BTreeMap::new)
                    .insert(key.clone(), value.clone());
            }
        }
    }
    (kept, secrets)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&str, &str, &str)]) -> BTreeMap<String, BTreeMap<String, String>> {
        let mut values: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        for (platform, key, value) in pairs {
            values
                .entry(platform.to_string())
                .or_default()
                .insert(key.to_string(), value.to_string());
        }
        values
    }

    #[test]
    fn secrets_are_removed_and_listed() {
        let typed = values(&[
            ("khaos_control", "url", "https://k.example"),
            ("khaos_control", "password", "hunter2"),
            ("shopify", "access_token", "shpat_123"),
            ("shopify", "shop_name", "brand-x"),
        ]);
        let (kept, secrets) = remove_secrets(&typed, "khaos_control");
        assert_eq!(
            kept,
            values(&[
                ("khaos_control", "url", "https://k.example"),
                ("shopify", "shop_name", "brand-x")
            ])
        );
        assert_eq!(secrets, ["User Password"]);
        let json = Draft {
            adapter_values: kept,
            ..Draft::default()
        }
        .to_json();
        assert!(!json.contains("hunter2"));
        assert!(!json.contains("shpat_123"));
    }

    #[test]
    fn address_with_a_password_is_not_stored() {
        let typed = values(&[(
            "khaos_control",
            "url",
            "https://user:Leaky5@api.khaoscloud.com/x",
        )]);
        let (kept, secrets) = remove_secrets(&typed, "khaos_control");
        assert!(kept.is_empty(), "{kept:?}");
        assert_eq!(secrets, ["URL"]);
    }

    #[test]
    fn empty_secrets_need_no_reentry() {
        let (_, secrets) = remove_secrets(
            &values(&[("khaos_control", "password", "")]),
            "khaos_control",
        );
        assert!(secrets.is_empty());
    }

    #[test]
    fn unknown_platforms_and_fields_are_dropped() {
        let (kept, _) = remove_secrets(
            &values(&[("amazon", "token", "x"), ("khaos_control", "colour", "red")]),
            "",
        );
        assert!(kept.is_empty());
    }

    #[test]
    fn draft_round_trips_and_rejects_other_versions() {
        let draft = Draft {
            version: DRAFT_VERSION,
            step: "store-setup".into(),
            connection_name: "Brand X <b>".into(),
            customer_id: Some(2),
            ..Draft::default()
        };
        assert_eq!(Draft::from_json(&draft.to_json()), Some(draft.clone()));
        let old = Draft {
            version: 0,
            ..draft
        };
        assert_eq!(Draft::from_json(&old.to_json()), None);
        assert_eq!(Draft::from_json("not json"), None);
    }

    #[test]
    fn untouched_draft_is_empty() {
        assert!(Draft::default().is_empty());
        let typed = Draft {
            store_name: "S".into(),
            ..Draft::default()
        };
        assert!(!typed.is_empty());
    }
}

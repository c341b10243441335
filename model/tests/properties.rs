//! Property tests: the rules hold for any input, not only the listed cases.
#![cfg(not(target_arch = "wasm32"))]

use dropstream_model::api::{ApiError, Created, classify_response};
use dropstream_model::payload::{
    ConnectionDraft, StoreDraft, build_connection_request, check_connection_request,
};
use dropstream_model::platform::{FieldKind, KHAOS_CONTROL, PLATFORMS, find_platform};
use dropstream_model::validate::{FieldCheck, INTEGER_MAX, check_name, check_url, parse_integer};
use proptest::prelude::*;
use std::collections::BTreeMap;

/// Text as users paste it: letters, digits, spaces, line breaks, markup,
/// quotes, emoji and right-to-left script.
fn pasted_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            "[a-zA-Z0-9 ]{0,8}",
            Just("\n".to_string()),
            Just("\t".to_string()),
            Just("<script>alert(1)</script>".to_string()),
            Just("'; DROP TABLE stores;--".to_string()),
            Just("🚚".to_string()),
            Just("مرحبا".to_string()),
            Just("https://".to_string()),
            Just("@".to_string()),
            Just(":".to_string()),
            Just("/".to_string()),
            any::<char>().prop_map(String::from),
        ],
        0..12,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn url_check_accepts_only_http_addresses_without_spaces(raw in pasted_text()) {
        let value = raw.trim();
        match check_url(value) {
            FieldCheck::Valid | FieldCheck::Warning(_) => {
                let lower = value.to_ascii_lowercase();
                prop_assert!(lower.starts_with("https://") || lower.starts_with("http://"));
                prop_assert!(!value.chars().any(char::is_whitespace));
                let authority = value.split("://").nth(1).unwrap_or("").split(['/', '?', '#']).next().unwrap_or("");
                prop_assert!(!authority.contains('@'));
                prop_assert!(!authority.is_empty());
            }
            FieldCheck::Invalid(message) => prop_assert!(!message.is_empty()),
        }
    }

    #[test]
    fn whole_numbers_parse_back_to_themselves(number in 1..=INTEGER_MAX, left in " {0,3}", right in " {0,3}") {
        prop_assert_eq!(parse_integer(&format!("{left}{number}{right}")), Ok(number));
    }

    #[test]
    fn anything_but_digits_is_not_a_whole_number(raw in pasted_text()) {
        if raw.trim().is_empty() || !raw.trim().bytes().all(|byte| byte.is_ascii_digit()) {
            prop_assert!(parse_integer(&raw).is_err());
        }
    }

    #[test]
    fn names_are_valid_exactly_when_filled_single_line_and_short(raw in pasted_text()) {
        let trimmed = raw.trim();
        let expected_valid = !trimmed.is_empty()
            && !trimmed.chars().any(char::is_control)
            && trimmed.chars().count() <= 255;
        prop_assert_eq!(check_name("a name", &raw) == FieldCheck::Valid, expected_valid);
    }

    #[test]
    fn built_requests_pass_the_server_check_unchanged(
        platform_index in 0..PLATFORMS.len(),
        values in prop::collection::btree_map("[a-z_]{1,12}", pasted_text(), 0..6),
        typed in prop::collection::vec(pasted_text(), 6),
        name in pasted_text(),
    ) {
        let platform = &PLATFORMS[platform_index];
        // Mix random keys with the platform's own, so that both are exercised.
        let mut all_values: BTreeMap<String, String> = values;
        for (spec, text) in platform.fields.iter().zip(typed) {
            all_values.insert(spec.key.to_string(), text);
        }
        let draft = ConnectionDraft {
            name,
            customer_id: Some(1),
            warehouse_id: None,
            store: StoreDraft::New { name: "Store".into(), platform: platform.id.into(), values: all_values.clone() },
        };
        if let Ok(request) = build_connection_request(&draft) {
            let body = serde_json::to_value(&request).unwrap();
            prop_assert_eq!(check_connection_request(&body), Ok(request.clone()));
            let store = request.store.unwrap();
            for (key, value) in &store.adapter {
                let spec = platform.field(key);
                prop_assert!(spec.is_some(), "{} is not a field of {}", key, platform.id);
                if spec.unwrap().kind == FieldKind::Secret {
                    prop_assert_eq!(value.as_str(), Some(all_values[key].as_str()), "secrets are sent as typed");
                }
            }
        }
    }

    #[test]
    fn khaos_password_is_never_altered(password in pasted_text()) {
        let values = BTreeMap::from([
            ("url".to_string(), "https://api.khaoscloud.com/x".to_string()),
            ("password".to_string(), password.clone()),
        ]);
        let draft = ConnectionDraft {
            name: "C".into(),
            customer_id: Some(1),
            warehouse_id: Some(1),
            store: StoreDraft::New { name: "S".into(), platform: KHAOS_CONTROL.into(), values },
        };
        let khaos = find_platform(KHAOS_CONTROL).unwrap();
        let password_is_valid = !password.trim().is_empty() && !password.chars().any(char::is_control);
        match build_connection_request(&draft) {
            Ok(request) => {
                prop_assert!(password_is_valid);
                let store = request.store.unwrap();
                prop_assert_eq!(store.adapter["password"].as_str(), Some(password.as_str()));
            }
            Err(errors) => {
                prop_assert!(!password_is_valid);
                prop_assert!(errors.contains_key("store.adapter.password"));
                prop_assert_eq!(khaos.field("password").unwrap().kind, FieldKind::Secret);
            }
        }
    }

    #[test]
    fn classification_keeps_status_and_never_shows_markup(status in 100u16..600, body in pasted_text()) {
        let result = classify_response::<Created>(status, &body);
        if !(200..300).contains(&status) {
            prop_assert!(result.is_err());
        }
        if status == 401 {
            prop_assert_eq!(result.clone(), Err(ApiError::Unauthorized));
        }
        if let Err(error) = result {
            let message = error.user_message();
            prop_assert!(!message.is_empty());
            if let ApiError::Status { status: kept, message: server_message } = &error {
                prop_assert_eq!(*kept, status);
                if let Some(text) = server_message {
                    prop_assert!(!text.starts_with('<'));
                    prop_assert!(text.chars().count() <= 301);
                }
            }
        }
    }

    #[test]
    fn created_ids_are_read_from_any_success_status(status in 200u16..300, id in any::<i64>()) {
        prop_assert_eq!(classify_response::<Created>(status, &format!("{{\"id\": {id}}}")), Ok(Created { id }));
    }
}

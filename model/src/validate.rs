//! The rule for each kind of field. The page shows these messages next to the
//! field, and the sandbox returns the same messages in its 422 responses.

use crate::platform::{FieldKind, FieldSpec};
use serde_json::Value;

/// The longest Connection Name or store Name accepted, in characters.
pub const NAME_MAX_CHARS: usize = 255;

/// The longest URL accepted, in characters. Browsers and servers commonly
/// refuse longer addresses, and no API address needs more.
pub const URL_MAX_CHARS: usize = 2048;

/// The largest whole number accepted for an integer field. JSON numbers above
/// 2^53 - 1 lose precision in JavaScript and in many other JSON parsers.
pub const INTEGER_MAX: u64 = (1 << 53) - 1;

/// The outcome of checking one field's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldCheck {
    /// The value can be sent as it is.
    Valid,
    /// The value can be sent, but the user should know something about it.
    Warning(String),
    /// The value cannot be sent; the message says why and what to enter.
    Invalid(String),
}

impl FieldCheck {
    /// Returns whether this outcome stops the form from being sent.
    pub fn is_invalid(&self) -> bool {
        matches!(self, FieldCheck::Invalid(_))
    }

    /// Returns the message to show next to the field, if any.
    pub fn message(&self) -> Option<&str> {
        match self {
            FieldCheck::Valid => None,
            FieldCheck::Warning(message) | FieldCheck::Invalid(message) => Some(message),
        }
    }
}

/// Checks a name the user must give, such as the Connection Name or the store
/// Name. `what` names it inside the message, for example "a connection name".
pub fn check_name(what: &str, raw: &str) -> FieldCheck {
    let name = raw.trim();
    if name.is_empty() {
        return FieldCheck::Invalid(format!("Enter {what}."));
    }
    if let Some(message) = check_single_line(name) {
        return FieldCheck::Invalid(message);
    }
    let chars = name.chars().count();
    if chars > NAME_MAX_CHARS {
        return FieldCheck::Invalid(format!(
            "Use at most {NAME_MAX_CHARS} characters (this one has {chars})."
        ));
    }
    FieldCheck::Valid
}

/// Checks the text the user typed into an adapter field against its spec.
pub fn check_field(spec: &FieldSpec, raw: &str) -> FieldCheck {
    // Secrets are sent exactly as typed: a password may begin or end with a space.
    let value = if spec.kind == FieldKind::Secret {
        raw
    } else {
        raw.trim()
    };
    if value.is_empty() {
        return if spec.required {
            FieldCheck::Invalid(format!("Enter the {}.", spec.label))
        } else {
            FieldCheck::Valid
        };
    }
    match spec.kind {
        FieldKind::Text => check_text(spec, value),
        FieldKind::Url => check_url(value),
        FieldKind::Secret => check_secret(value),
        FieldKind::Integer => match parse_integer(value) {
            Ok(_) => FieldCheck::Valid,
            Err(message) => FieldCheck::Invalid(message),
        },
        FieldKind::Choice { options, .. } => {
            if options.iter().any(|option| option.value == value) {
                FieldCheck::Valid
            } else {
                FieldCheck::Invalid("Choose one of the listed options.".to_string())
            }
        }
        FieldKind::YesNo => match value {
            "true" | "false" => FieldCheck::Valid,
            _ => FieldCheck::Invalid("Choose yes or no.".to_string()),
        },
    }
}

/// Converts the text typed into a field to the JSON value sent for it, or
/// `None` when an optional field is blank and so is left out of the request.
/// The caller checks the value with [`check_field`] first.
pub fn field_to_json(spec: &FieldSpec, raw: &str) -> Option<Value> {
    if spec.kind == FieldKind::Secret {
        return (!raw.is_empty()).then(|| Value::String(raw.to_string()));
    }
    let value = raw.trim();
    if value.is_empty() {
        return None;
    }
    match spec.kind {
        FieldKind::Integer => parse_integer(value).ok().map(Value::from),
        FieldKind::Choice { numeric: true, .. } => value.parse::<u64>().ok().map(Value::from),
        FieldKind::YesNo => Some(Value::Bool(value == "true")),
        _ => Some(Value::String(value.to_string())),
    }
}

/// Converts a JSON value received for a field back to the text a user would
/// have typed, so that the server can apply [`check_field`]. Returns an error
/// message when the JSON type is wrong for the field's kind.
pub fn json_to_field_text(spec: &FieldSpec, value: &Value) -> Result<String, String> {
    let numeric = matches!(
        spec.kind,
        FieldKind::Integer | FieldKind::Choice { numeric: true, .. }
    );
    match (spec.kind, value) {
        (FieldKind::YesNo, Value::Bool(flag)) => Ok(flag.to_string()),
        (FieldKind::YesNo, _) => Err("must be true or false".to_string()),
        (_, Value::Number(number)) if numeric => match number.as_u64() {
            Some(whole) => Ok(whole.to_string()),
            None => Err("must be a whole number above 0".to_string()),
        },
        (_, _) if numeric => Err("must be a number".to_string()),
        (_, Value::String(text)) => Ok(text.clone()),
        (_, _) => Err("must be a string".to_string()),
    }
}

/// Parses a whole number above 0 written in ASCII digits, with nothing else
/// around it but spaces.
pub fn parse_integer(raw: &str) -> Result<u64, String> {
    let digits = raw.trim();
    let message =
        || "Enter a whole number above 0, such as 4, using the digits 0 to 9.".to_string();
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(message());
    }
    match digits.parse::<u64>() {
        Ok(0) => Err(message()),
        Ok(number) if number <= INTEGER_MAX => Ok(number),
        _ => Err(format!("Enter a number no larger than {INTEGER_MAX}.")),
    }
}

fn check_text(spec: &FieldSpec, value: &str) -> FieldCheck {
    if let Some(message) = check_single_line(value) {
        return FieldCheck::Invalid(message);
    }
    if let Some(max) = spec.max_chars {
        let chars = value.chars().count();
        if chars > max {
            return FieldCheck::Invalid(format!(
                "Use at most {max} characters (this one has {chars})."
            ));
        }
    }
    FieldCheck::Valid
}

fn check_secret(value: &str) -> FieldCheck {
    if value.chars().any(char::is_control) {
        return FieldCheck::Invalid(
            "Remove the line break or tab that was pasted with the value.".to_string(),
        );
    }
    if value.trim().is_empty() {
        return FieldCheck::Invalid(
            "The value is only spaces. Paste the value you were given.".to_string(),
        );
    }
    if value.trim() != value {
        return FieldCheck::Warning(
            "The value begins or ends with a space. It is sent exactly as typed, so remove the space unless it belongs there."
                .to_string(),
        );
    }
    FieldCheck::Valid
}

/// Returns a message when text meant for a single line contains control
/// characters, which are usually tabs or line breaks pasted by accident.
fn check_single_line(value: &str) -> Option<String> {
    value
        .chars()
        .any(char::is_control)
        .then(|| "Remove the line breaks, tabs or other control characters.".to_string())
}

/// Checks an absolute `http(s)` URL that has already been trimmed. The path is
/// kept as typed; `http:` is allowed with a warning because on-premise
/// servers often offer nothing else.
pub fn check_url(value: &str) -> FieldCheck {
    let invalid = |message: &str| FieldCheck::Invalid(message.to_string());
    let lower = value.to_ascii_lowercase();
    let (rest, is_http) = if let Some(rest) = lower.strip_prefix("https://") {
        (&value[value.len() - rest.len()..], false)
    } else if let Some(rest) = lower.strip_prefix("http://") {
        (&value[value.len() - rest.len()..], true)
    } else {
        return invalid(
            "Enter a full address starting with https:// (or http:// for an on-premise server), such as https://api.khaoscloud.com/….",
        );
    };
    if value.chars().any(char::is_control) {
        return invalid(
            "Remove the line breaks, tabs or other control characters from the address.",
        );
    }
    if value.chars().any(char::is_whitespace) {
        return invalid("Remove the spaces from the address.");
    }
    let chars = value.chars().count();
    if chars > URL_MAX_CHARS {
        return invalid(&format!(
            "Use an address of at most {URL_MAX_CHARS} characters (this one has {chars})."
        ));
    }
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    if url_has_credentials(value) {
        return invalid(
            "Remove the user name and password from the address; enter the password in its own field.",
        );
    }
    let (host, port) = match split_host_port(authority) {
        Some(parts) => parts,
        None => return invalid("Enter a valid server name after https://."),
    };
    // Only a bracketed IPv6 address can contain a colon here; its digits were checked when splitting.
    if host.is_empty() || (!host.contains(':') && !is_valid_host(host)) {
        return invalid("Enter a valid server name after https://.");
    }
    if let Some(port) = port {
        let valid = !port.is_empty()
            && port.bytes().all(|byte| byte.is_ascii_digit())
            && port.parse::<u16>().is_ok_and(|number| number > 0);
        if !valid {
            return invalid("Enter a port number from 1 to 65535 after the colon.");
        }
    }
    if is_http {
        return FieldCheck::Warning(
            "This address is not encrypted (http). Use https unless your server offers only http."
                .to_string(),
        );
    }
    FieldCheck::Valid
}

/// Returns whether an address has a user name or password before its host, as in
/// `https://user:secret@host/`.
pub fn url_has_credentials(value: &str) -> bool {
    let Some((_, rest)) = value.split_once("://") else {
        return false;
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    rest[..authority_end].contains('@')
}

/// Splits `host[:port]` or `[ipv6][:port]`; `None` when brackets do not match.
fn split_host_port(authority: &str) -> Option<(&str, Option<&str>)> {
    if let Some(rest) = authority.strip_prefix('[') {
        let close = rest.find(']')?;
        let host = &rest[..close];
        let after = &rest[close + 1..];
        if !host.contains(':')
            || !host
                .bytes()
                .all(|byte| byte.is_ascii_hexdigit() || b":.".contains(&byte))
        {
            return None;
        }
        return match after.strip_prefix(':') {
            Some(port) => Some((host, Some(port))),
            None if after.is_empty() => Some((host, None)),
            None => None,
        };
    }
    match authority.split_once(':') {
        Some((host, port)) => Some((host, Some(port))),
        None => Some((authority, None)),
    }
}

/// Accepts DNS names (including international ones typed in their own
/// script) and IPv4 addresses; rejects characters no host name can contain.
fn is_valid_host(host: &str) -> bool {
    host.split('.').enumerate().all(|(index, label)| {
        // A single trailing dot ("example.com.") is a valid fully qualified name.
        let last = index == host.split('.').count() - 1;
        (label.is_empty() && last && index > 0)
            || (!label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '-' || c == '_'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::{KHAOS_CONTROL, find_platform};

    fn khaos_field(key: &str) -> &'static FieldSpec {
        find_platform(KHAOS_CONTROL).unwrap().field(key).unwrap()
    }

    fn assert_invalid(check: FieldCheck, containing: &str) {
        match check {
            FieldCheck::Invalid(message) => assert!(
                message.contains(containing),
                "message {message:?} should contain {containing:?}"
            ),
            other => panic!("expected Invalid containing {containing:?}, got {other:?}"),
        }
    }

    #[test]
    fn connection_name_must_not_be_blank() {
        assert_invalid(
            check_name("a connection name", ""),
            "Enter a connection name",
        );
        assert_invalid(
            check_name("a connection name", " \n\t "),
            "Enter a connection name",
        );
        assert_eq!(
            check_name("a connection name", "  Brand X - Khaos  "),
            FieldCheck::Valid
        );
    }

    #[test]
    fn names_reject_control_characters_and_overlong_text() {
        assert_invalid(check_name("a name", "Brand\tX"), "control characters");
        assert_invalid(check_name("a name", &"x".repeat(256)), "at most 255");
        assert_eq!(check_name("a name", &"é".repeat(255)), FieldCheck::Valid);
        assert_eq!(
            check_name("a name", "Marque 🚚 عربى <b>"),
            FieldCheck::Valid
        );
    }

    #[test]
    fn required_fields_must_be_filled() {
        assert_invalid(check_field(khaos_field("url"), ""), "Enter the URL");
        assert_invalid(check_field(khaos_field("url"), "   "), "Enter the URL");
        assert_invalid(
            check_field(khaos_field("password"), ""),
            "Enter the User Password",
        );
        assert_eq!(
            check_field(khaos_field("substage_id"), ""),
            FieldCheck::Valid
        );
        assert_eq!(
            check_field(khaos_field("site_name"), "  "),
            FieldCheck::Valid
        );
    }

    #[test]
    fn url_accepts_absolute_https_addresses() {
        for url in [
            "https://api.khaoscloud.com/example",
            "  https://api.khaoscloud.com/example\n",
            "HTTPS://API.KHAOSCLOUD.COM/",
            "https://server:8443/KhaosIDS.exe/api",
            "https://[2001:db8::1]:8443/KhaosIDS.exe",
            "https://bücher.example/api",
            "https://10.0.0.5/KhaosIDS.exe?x=1",
        ] {
            assert_eq!(check_url(url.trim()), FieldCheck::Valid, "{url}");
        }
    }

    #[test]
    fn url_over_http_is_a_warning_not_an_error() {
        let check = check_field(khaos_field("url"), "http://server:8080/KhaosIDS.exe");
        assert!(
            matches!(check, FieldCheck::Warning(ref message) if message.contains("not encrypted"))
        );
        assert!(!check.is_invalid());
    }

    #[test]
    fn url_rejects_other_schemes_and_relative_addresses() {
        for url in [
            "javascript:alert(1)",
            "data:text/html,hi",
            "ftp://files.example.com",
            "/relative/path",
            "api.khaoscloud.com/example",
            "https:/missing-slash.example",
        ] {
            assert_invalid(check_url(url), "starting with https://");
        }
    }

    #[test]
    fn url_rejects_embedded_credentials_spaces_and_bad_hosts() {
        assert_invalid(
            check_url("https://user:pass@api.khaoscloud.com/"),
            "password in its own field",
        );
        assert_invalid(
            check_url("https://api.khaos cloud.com/"),
            "Remove the spaces",
        );
        assert_invalid(check_url("https:///path"), "valid server name");
        assert_invalid(check_url("https://exa<mple>.com/"), "valid server name");
        assert_invalid(check_url("https://[::1/"), "valid server name");
        assert_invalid(check_url("https://server:0/"), "port number");
        assert_invalid(check_url("https://server:70000/"), "port number");
        assert_invalid(check_url("https://server:/"), "port number");
    }

    #[test]
    fn substage_id_must_be_a_whole_number_above_zero() {
        let spec = khaos_field("substage_id");
        for bad in [
            "-1",
            "0",
            "1.5",
            "1e3",
            "٣",
            "abc",
            "18446744073709551616",
            "9007199254740992",
        ] {
            assert!(
                check_field(spec, bad).is_invalid(),
                "{bad} should be rejected"
            );
        }
        assert_eq!(check_field(spec, " 7 "), FieldCheck::Valid);
        assert_eq!(field_to_json(spec, " 7 "), Some(Value::from(7)));
        assert_eq!(
            field_to_json(spec, "9007199254740991"),
            Some(Value::from(INTEGER_MAX))
        );
    }

    #[test]
    fn site_name_is_limited_to_100_characters() {
        let spec = khaos_field("site_name");
        assert_eq!(check_field(spec, &"s".repeat(100)), FieldCheck::Valid);
        assert_invalid(
            check_field(spec, &"s".repeat(101)),
            "at most 100 characters (this one has 101)",
        );
        assert_eq!(
            field_to_json(spec, "  Main Site \n"),
            Some(Value::from("Main Site"))
        );
    }

    #[test]
    fn password_of_only_spaces_is_rejected() {
        assert_invalid(check_field(khaos_field("password"), "   "), "only spaces");
    }

    #[test]
    fn password_with_outer_spaces_gets_a_warning() {
        let check = check_field(khaos_field("password"), " secret");
        assert!(
            matches!(check, FieldCheck::Warning(ref message) if message.contains("sent exactly as typed"))
        );
    }

    #[test]
    fn url_rejects_control_characters_and_overlong_addresses() {
        assert_invalid(check_url("https://a.example/\u{7}x"), "control characters");
        let long = format!("https://a.example/{}", "p".repeat(URL_MAX_CHARS));
        assert_invalid(check_url(&long), "at most 2048 characters");
        assert!(url_has_credentials("https://u:p@a.example/x@y"));
        assert!(!url_has_credentials("https://a.example/x@y"));
    }

    #[test]
    fn password_is_never_trimmed() {
        let spec = khaos_field("password");
        assert!(!check_field(spec, " secret ").is_invalid());
        assert_eq!(
            field_to_json(spec, " secret "),
            Some(Value::from(" secret "))
        );
        assert_invalid(check_field(spec, "secret\n"), "line break");
    }

    #[test]
    fn order_import_status_is_sent_as_a_number() {
        let spec = khaos_field("order_import_status");
        assert_eq!(check_field(spec, "12"), FieldCheck::Valid);
        assert_eq!(field_to_json(spec, "12"), Some(Value::from(12)));
        assert_invalid(check_field(spec, "8"), "listed options");
        assert_invalid(check_field(spec, "17"), "listed options");
    }

    #[test]
    fn json_values_map_back_to_typed_text() {
        assert_eq!(
            json_to_field_text(khaos_field("order_import_status"), &Value::from(9)),
            Ok("9".into())
        );
        assert!(json_to_field_text(khaos_field("order_import_status"), &Value::from("9")).is_err());
        assert!(json_to_field_text(khaos_field("substage_id"), &Value::from(-3)).is_err());
        assert!(json_to_field_text(khaos_field("substage_id"), &Value::from(1.5)).is_err());
        assert!(json_to_field_text(khaos_field("url"), &Value::from(5)).is_err());
        assert_eq!(
            json_to_field_text(khaos_field("url"), &Value::from("https://a.b")),
            Ok("https://a.b".into())
        );
    }
}

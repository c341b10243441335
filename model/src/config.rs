//! The page's configuration. The API base comes from the page's own markup
//! (a `data-api-base` attribute) or from the embedding host, never from the
//! address bar: a crafted link must not be able to send credentials elsewhere.

/// The API base used when none is configured: `/api` on the page's origin.
pub const DEFAULT_API_BASE: &str = "/api";

/// Parses a configured API base: a path on the page's own origin such as
/// `/api`, or an absolute `http(s)` URL without query or fragment. A blank
/// value gives [`DEFAULT_API_BASE`]. The trailing slash is removed so that
/// paths can be appended as `{base}/connections`.
pub fn parse_api_base(configured: Option<&str>) -> Result<String, String> {
    let raw = configured.map(str::trim).unwrap_or("");
    if raw.is_empty() {
        return Ok(DEFAULT_API_BASE.to_string());
    }
    let invalid = |why: &str| {
        Err(format!(
            "The API base {raw:?} is invalid: {why}. Use a path such as /api or an address such as https://api.example.com/v1."
        ))
    };
    if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return invalid("it contains spaces");
    }
    if raw.contains(['?', '#']) {
        return invalid("it contains a query or fragment");
    }
    let lower = raw.to_ascii_lowercase();
    if raw.starts_with("//") || raw.starts_with("/\\") {
        return invalid("it names another host without a scheme");
    } else if raw.starts_with('/') {
        // A path on the page's own origin.
    } else if let Some(rest) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    {
        let host = rest.split('/').next().unwrap_or("");
        if host.is_empty() || host.contains('@') {
            return invalid("it has no valid host");
        }
    } else {
        return invalid("it is neither a path starting with / nor an http(s) address");
    }
    Ok(raw.trim_end_matches('/').to_string()).map(|base| {
        if base.is_empty() {
            "/".to_string()
        } else {
            base
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_or_blank_base_is_slash_api() {
        assert_eq!(parse_api_base(None).unwrap(), "/api");
        assert_eq!(parse_api_base(Some("  ")).unwrap(), "/api");
    }

    #[test]
    fn paths_and_absolute_addresses_are_accepted() {
        assert_eq!(parse_api_base(Some("/api/")).unwrap(), "/api");
        assert_eq!(
            parse_api_base(Some("/v2/dropstream")).unwrap(),
            "/v2/dropstream"
        );
        assert_eq!(
            parse_api_base(Some(" https://api.dropstream.example/v1/ ")).unwrap(),
            "https://api.dropstream.example/v1"
        );
        assert_eq!(
            parse_api_base(Some("http://127.0.0.1:8080/api")).unwrap(),
            "http://127.0.0.1:8080/api"
        );
    }

    #[test]
    fn other_hosts_without_scheme_and_odd_values_are_rejected() {
        for bad in [
            "//evil.example/api",
            "/\\evil.example",
            "api",
            "javascript:alert(1)",
            "ftp://x/api",
            "/api?x=1",
            "/api#x",
            "https://",
            "https://u:p@host/api",
            "/a pi",
        ] {
            let error = parse_api_base(Some(bad)).unwrap_err();
            assert!(error.contains("is invalid"), "{bad}: {error}");
        }
    }
}

/// What an embedded wizard shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EmbedMode {
    /// Every step, from Basic Information to the confirmation.
    #[default]
    Wizard,
    /// Only the Store Setup step, with the context the host collected.
    StoreSetup,
}

/// What the host's own wizard already collected, for [`EmbedMode::StoreSetup`].
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HostContext {
    /// The Connection Name.
    pub connection_name: String,
    /// The merchant (`customer_id` in the API).
    pub merchant_id: i64,
    /// The warehouse; left out to use the merchant's default one.
    #[serde(default)]
    pub warehouse_id: Option<i64>,
}

/// Values the form starts with. Secrets are never accepted here, so that a
/// host cannot put them into its markup or scripts by mistake.
#[derive(Clone, Debug, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InitialValues {
    /// The Connection Name (whole wizard only).
    #[serde(default)]
    pub connection_name: Option<String>,
    /// The new store's Name.
    #[serde(default)]
    pub store_name: Option<String>,
    /// The platform's wire string, such as `khaos_control`.
    #[serde(default)]
    pub platform: Option<String>,
    /// Adapter values by wire key, as the user would type them.
    #[serde(default)]
    pub adapter: std::collections::BTreeMap<String, serde_json::Value>,
}

/// The options a host passes to `mount`, after checking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmbedOptions {
    /// The API base, checked by [`parse_api_base`].
    pub api_base: String,
    /// The bearer token; without one the wizard asks the user to sign in.
    pub token: Option<String>,
    /// Whole wizard or Store Setup only.
    pub mode: EmbedMode,
    /// The host's context; present exactly when the mode is Store Setup.
    pub context: Option<HostContext>,
    /// Values the form starts with.
    pub initial_values: InitialValues,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawEmbedOptions {
    #[serde(default)]
    api_base: Option<String>,
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    mode: EmbedMode,
    #[serde(default)]
    context: Option<HostContext>,
    #[serde(default)]
    initial_values: InitialValues,
}

fn fail<T>(message: String) -> Result<T, String> {
    Err(format!("DropStream Connect: {message}"))
}

/// Parses and checks the options object a host passes to `mount`, given as
/// JSON. Every error names the option and says what to pass instead.
pub fn parse_embed_options(json: &str) -> Result<EmbedOptions, String> {
    let raw: RawEmbedOptions = serde_json::from_str(json).map_err(|error| {
        format!(
            "DropStream Connect: invalid mount options: {error}. Known options: apiBase, token, mode, context, initialValues."
        )
    })?;
    let api_base = parse_api_base(raw.api_base.as_deref()).or_else(fail)?;
    let token = raw.token.filter(|token| !token.trim().is_empty());
    match (raw.mode, &raw.context) {
        (EmbedMode::StoreSetup, None) => {
            return fail(
                "mode \"store-setup\" needs context: { connectionName, merchantId, warehouseId }."
                    .to_string(),
            );
        }
        (EmbedMode::Wizard, Some(_)) => {
            return fail(
                "context is only used with mode \"store-setup\"; remove it or set the mode."
                    .to_string(),
            );
        }
        _ => {}
    }
    if let Some(context) = &raw.context {
        if let Some(message) =
            crate::validate::check_name("a connection name", &context.connection_name).message()
        {
            return fail(format!("context.connectionName is invalid: {message}"));
        }
        if context.merchant_id <= 0 {
            return fail("context.merchantId must be a positive whole number.".to_string());
        }
        if context.warehouse_id.is_some_and(|id| id <= 0) {
            return fail("context.warehouseId must be a positive whole number.".to_string());
        }
    }

    let initial = &raw.initial_values;
    if raw.mode == EmbedMode::StoreSetup && initial.connection_name.is_some() {
        return fail("initialValues.connectionName is not used with mode \"store-setup\"; pass context.connectionName.".to_string());
    }
    if !initial.adapter.is_empty() {
        let Some(platform) = initial
            .platform
            .as_deref()
            .and_then(crate::platform::find_platform)
        else {
            return fail(
                "initialValues.adapter needs initialValues.platform set to a known platform."
                    .to_string(),
            );
        };
        for (key, value) in &initial.adapter {
            let Some(spec) = platform.field(key) else {
                return fail(format!(
                    "initialValues.adapter.{key} is not a field of {}.",
                    platform.name
                ));
            };
            if spec.kind == crate::platform::FieldKind::Secret {
                return fail(format!(
                    "initialValues.adapter.{key} is a secret and cannot be passed in; the user types it."
                ));
            }
            if let Err(message) = crate::validate::json_to_field_text(spec, value) {
                return fail(format!("initialValues.adapter.{key} {message}."));
            }
        }
    } else if let Some(platform) = &initial.platform
        && crate::platform::find_platform(platform).is_none()
    {
        return fail(format!(
            "initialValues.platform {platform:?} is not a known platform."
        ));
    }

    Ok(EmbedOptions {
        api_base,
        token,
        mode: raw.mode,
        context: raw.context,
        initial_values: raw.initial_values,
    })
}

#[cfg(test)]
mod embed_tests {
    use super::*;

    #[test]
    fn empty_options_mount_the_whole_wizard() {
        let options = parse_embed_options("{}").unwrap();
        assert_eq!(options.api_base, "/api");
        assert_eq!(options.mode, EmbedMode::Wizard);
        assert_eq!(options.token, None);
    }

    #[test]
    fn store_setup_mode_takes_the_hosts_context() {
        let options = parse_embed_options(
            r#"{"apiBase": "https://api.example.com/v1/", "token": "t", "mode": "store-setup",
                "context": {"connectionName": "Brand X - Khaos", "merchantId": 12, "warehouseId": 34},
                "initialValues": {"storeName": "Brand X Khaos", "platform": "khaos_control", "adapter": {"url": "https://k.example", "order_import_status": 12}}}"#,
        )
        .unwrap();
        assert_eq!(options.api_base, "https://api.example.com/v1");
        assert_eq!(options.mode, EmbedMode::StoreSetup);
        let context = options.context.unwrap();
        assert_eq!((context.merchant_id, context.warehouse_id), (12, Some(34)));
        assert_eq!(options.initial_values.adapter["order_import_status"], 12);
    }

    #[test]
    fn bad_options_are_rejected_with_the_option_named() {
        let cases = [
            (r#"{"apiBse": "/api"}"#, "unknown field `apiBse`"),
            (r#"{"mode": "everything"}"#, "unknown variant `everything`"),
            (r#"{"mode": "store-setup"}"#, "needs context"),
            (
                r#"{"context": {"connectionName": "x", "merchantId": 1}}"#,
                "only used with mode",
            ),
            (
                r#"{"mode": "store-setup", "context": {"connectionName": " ", "merchantId": 1}}"#,
                "context.connectionName",
            ),
            (
                r#"{"mode": "store-setup", "context": {"connectionName": "x", "merchantId": -4}}"#,
                "context.merchantId",
            ),
            (
                r#"{"mode": "store-setup", "context": {"connectionName": "x", "merchantId": "12"}}"#,
                "invalid type",
            ),
            (r#"{"apiBase": "//evil.example"}"#, "API base"),
            (
                r#"{"initialValues": {"platform": "khaos_control", "adapter": {"password": "p"}}}"#,
                "is a secret",
            ),
            (
                r#"{"initialValues": {"platform": "khaos_control", "adapter": {"colour": "red"}}}"#,
                "not a field of Khaos Control",
            ),
            (
                r#"{"initialValues": {"adapter": {"url": "x"}}}"#,
                "needs initialValues.platform",
            ),
            (
                r#"{"initialValues": {"platform": "amazon"}}"#,
                "not a known platform",
            ),
            ("[1, 2]", "invalid mount options"),
        ];
        for (json, expected) in cases {
            let error = parse_embed_options(json).unwrap_err();
            assert!(error.contains(expected), "{json}: {error}");
            assert!(error.starts_with("DropStream Connect: "), "{error}");
        }
    }
}

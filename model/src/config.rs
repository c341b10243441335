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

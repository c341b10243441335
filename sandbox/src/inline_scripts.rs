//! Finds the inline `<script>` elements of an HTML page, so that their
//! SHA-256 hashes can be allowed by the page's Content-Security-Policy.
//!
//! The scan follows the HTML tokenizer only as far as our build output needs.
//! It skips comments, doctypes, quoted attribute values and the raw-text
//! elements (`style`, `textarea`, `title` and others), so a `<script` inside
//! them is not taken for a script.
// NOTE: a script whose text contains `<!--` followed by `<script` is parsed by
// browsers in the "script data double escaped" state, where `</script>` does
// not end it. This scan ends it there, so the hash would be wrong. Scripts
// inside `<svg>` have their character references decoded by browsers, which
// this scan does not do either. Trunk's output has neither.

use std::borrow::Cow;

/// Elements whose content browsers read as text up to their end tag, so that
/// a `<script` inside them is text. `noscript` is one of them because
/// scripting is on in every browser that applies the policy.
const RAW_TEXT_ELEMENTS: &[&str] = &[
    "iframe", "noembed", "noframes", "noscript", "style", "textarea", "title", "xmp",
];

/// Returns the text of every inline script in `html`, in document order: the
/// content of each `<script>` element without a `src` attribute, between its
/// start tag and its `</script` end tag.
///
/// The text is the one a browser hashes: line breaks are normalised to `\n`
/// and NUL to U+FFFD, as the HTML parser does before tokenising. A script
/// left open runs to the end of the document, as it does in browsers.
pub fn inline_script_bodies(html: &str) -> Vec<String> {
    let html = preprocess(html);
    let mut bodies = Vec::new();
    let mut position = 0;

    while let Some(offset) = html[position..].find('<') {
        let tag_start = position + offset;
        let rest = &html[tag_start..];

        if rest.starts_with("<!--") {
            position = comment_end(&html, tag_start + "<!--".len());
        } else if rest.starts_with("<!") || rest.starts_with("<?") || rest.starts_with("</") {
            // Doctypes, bogus comments and end tags end at the next `>`.
            position = after_next(&html, tag_start, '>');
        } else if rest[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            let tag = read_start_tag(&html, tag_start);
            position = tag.end;
            if tag.name == "script" {
                let (body, after) = raw_text(&html, position, "script");
                if !tag.has_src {
                    bodies.push(body.to_string());
                }
                position = after;
            } else if tag.name == "plaintext" {
                // Everything after `<plaintext>` is text, with no way out.
                break;
            } else if RAW_TEXT_ELEMENTS.contains(&tag.name.as_str()) {
                let (_, after) = raw_text(&html, position, &tag.name);
                position = after;
            }
        } else {
            // A `<` that starts no tag, such as in `a < b`, is text.
            position = tag_start + 1;
        }
    }
    bodies
}

/// Applies the HTML parser's input preprocessing: CR LF and lone CR become
/// LF, and NUL becomes U+FFFD.
fn preprocess(html: &str) -> Cow<'_, str> {
    if !html.contains(['\r', '\0']) {
        return Cow::Borrowed(html);
    }
    Cow::Owned(
        html.replace("\r\n", "\n")
            .replace('\r', "\n")
            .replace('\0', "\u{FFFD}"),
    )
}

/// Returns the position after the comment whose text starts at `start`. A
/// comment ends at `-->` or `--!>`, and `<!-->` and `<!--->` are complete
/// empty comments, as in browsers.
fn comment_end(html: &str, start: usize) -> usize {
    let text = &html[start..];
    if text.starts_with('>') {
        return start + 1;
    }
    if text.starts_with("->") {
        return start + 2;
    }
    let ends = ["-->", "--!>"]
        .iter()
        .filter_map(|end| text.find(end).map(|offset| offset + end.len()))
        .min();
    ends.map_or(html.len(), |end| start + end)
}

/// Returns the position after the first `delimiter` at or after `start`, or
/// the end of `html` when there is none.
fn after_next(html: &str, start: usize, delimiter: char) -> usize {
    html[start..]
        .find(delimiter)
        .map_or(html.len(), |offset| start + offset + delimiter.len_utf8())
}

/// A start tag's lowercase name, whether it has a `src` attribute, and the
/// position after its closing `>`.
struct StartTag {
    name: String,
    has_src: bool,
    end: usize,
}

/// Reads the start tag at `start`, which points at its `<`. Attribute values
/// may be quoted with `"` or `'` and then contain `>`.
fn read_start_tag(html: &str, start: usize) -> StartTag {
    let bytes = html.as_bytes();
    let is_name_end = |byte: u8| byte.is_ascii_whitespace() || byte == b'/' || byte == b'>';

    let mut index = start + 1;
    while index < bytes.len() && !is_name_end(bytes[index]) {
        index += 1;
    }
    let name = html[start + 1..index].to_ascii_lowercase();

    let mut has_src = false;
    while index < bytes.len() {
        match bytes[index] {
            b'>' => {
                return StartTag {
                    name,
                    has_src,
                    end: index + 1,
                };
            }
            byte if byte.is_ascii_whitespace() || byte == b'/' => index += 1,
            _ => {
                let name_start = index;
                // The first character may be `=`. After it, `=` ends the name.
                index += 1;
                while index < bytes.len() && !is_name_end(bytes[index]) && bytes[index] != b'=' {
                    index += 1;
                }
                if html[name_start..index].eq_ignore_ascii_case("src") {
                    has_src = true;
                }
                index = skip_attribute_value(bytes, index);
            }
        }
    }
    StartTag {
        name,
        has_src,
        end: html.len(),
    }
}

/// Skips the `= value` part of an attribute, if any, starting right after
/// the attribute's name, and returns the position after it.
fn skip_attribute_value(bytes: &[u8], mut index: usize) -> usize {
    while index < bytes.len() && bytes[index].is_ascii_whitespace() {
        index += 1;
    }
    if index >= bytes.len() || bytes[index] != b'=' {
        return index;
    }
    index += 1;
    while index < bytes.len() && bytes[index].is_ascii_whitespace() {
        index += 1;
    }
    match bytes.get(index) {
        Some(&quote @ (b'"' | b'\'')) => {
            index += 1;
            while index < bytes.len() && bytes[index] != quote {
                index += 1;
            }
            (index + 1).min(bytes.len())
        }
        _ => {
            while index < bytes.len() && !bytes[index].is_ascii_whitespace() && bytes[index] != b'>'
            {
                index += 1;
            }
            index
        }
    }
}

/// Returns the raw text of element `name` from `start` up to its end tag,
/// and the position after that end tag. An end tag is `</name` in any case,
/// followed by whitespace, `/` or `>`.
fn raw_text<'a>(html: &'a str, start: usize, name: &str) -> (&'a str, usize) {
    let bytes = html.as_bytes();
    let mut search = start;
    while let Some(offset) = html[search..].find("</") {
        let candidate = search + offset;
        let name_start = candidate + 2;
        let name_end = name_start + name.len();
        let matches_name = html
            .get(name_start..name_end)
            .is_some_and(|found| found.eq_ignore_ascii_case(name));
        let ends_name = bytes
            .get(name_end)
            .is_some_and(|&byte| byte.is_ascii_whitespace() || byte == b'/' || byte == b'>');
        if matches_name && ends_name {
            return (&html[start..candidate], after_next(html, name_end, '>'));
        }
        search = candidate + 2;
    }
    (&html[start..], html.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_module_script_is_found_exactly() {
        let html = "<head>\n<script type=\"module\">\nimport init from '/app.js';\nawait init();\n</script>\n\
                    <link rel=\"modulepreload\" href=\"/app.js\"></head>";
        assert_eq!(
            inline_script_bodies(html),
            ["\nimport init from '/app.js';\nawait init();\n"]
        );
    }

    #[test]
    fn several_scripts_in_document_order() {
        let html =
            "<script>one()</script><p>text</p><SCRIPT>two()</SCRIPT ><script>three()</script\t>";
        assert_eq!(inline_script_bodies(html), ["one()", "two()", "three()"]);
    }

    #[test]
    fn scripts_with_src_are_skipped() {
        let html = "<script src=\"/a.js\"></script><script type=module src='/b.js'></script>\
                    <script SRC=/c.js></script><script>inline()</script>";
        assert_eq!(inline_script_bodies(html), ["inline()"]);
    }

    #[test]
    fn attribute_named_like_src_is_not_src() {
        let html = "<script data-src=\"/a.js\" srcset=x>inline()</script>";
        assert_eq!(inline_script_bodies(html), ["inline()"]);
    }

    #[test]
    fn quoted_attribute_values_may_hold_angle_brackets() {
        let html =
            "<script data-note=\"a > b\" data-other='<script src=x>' nonce=abc>run()</script>";
        assert_eq!(inline_script_bodies(html), ["run()"]);
    }

    #[test]
    fn attribute_without_value_and_self_closing_slash() {
        let html = "<script async defer/>body()</script>";
        assert_eq!(inline_script_bodies(html), ["body()"]);
    }

    #[test]
    fn markup_inside_script_is_script_text() {
        let html = "<script>document.write('<p>' + \"</scripts>\" + '<b>');</script>";
        assert_eq!(
            inline_script_bodies(html),
            ["document.write('<p>' + \"</scripts>\" + '<b>');"]
        );
    }

    #[test]
    fn empty_script_is_hashed_too() {
        assert_eq!(inline_script_bodies("<script></script>"), [""]);
    }

    #[test]
    fn similar_tag_names_are_not_scripts() {
        let html = "<scripts>no()</scripts><script-x>no()</script-x><noscripts>x</noscripts>";
        assert!(inline_script_bodies(html).is_empty());
    }

    #[test]
    fn comments_and_doctype_hide_scripts() {
        let html = "<!DOCTYPE html><!-- <script>hidden()</script> --><!--><script>a()</script>\
                    <!---><script>b()</script><!-- x --!><script>c()</script>\
                    <?php <script>no()</script> ?>";
        // The bogus comment `<?php <script>` ends at its first `>`, so `no()` is text.
        assert_eq!(inline_script_bodies(html), ["a()", "b()", "c()"]);
    }

    #[test]
    fn raw_text_elements_hide_scripts() {
        let html = "<title><script>t()</script></title><style>p{}</style>\
                    <textarea><script>x()</script></textarea><noscript><script>n()</script></noscript>\
                    <script>real()</script>";
        assert_eq!(inline_script_bodies(html), ["real()"]);
    }

    #[test]
    fn plaintext_ends_the_scan() {
        let html = "<script>a()</script><plaintext><script>b()</script>";
        assert_eq!(inline_script_bodies(html), ["a()"]);
    }

    #[test]
    fn unclosed_script_runs_to_the_end() {
        assert_eq!(inline_script_bodies("<script>a();\nb();"), ["a();\nb();"]);
    }

    #[test]
    fn unfinished_start_tag_yields_nothing() {
        assert_eq!(inline_script_bodies("<script type=\"module"), [""]);
        assert!(inline_script_bodies("<").is_empty());
        assert!(inline_script_bodies("a < b").is_empty());
    }

    #[test]
    fn line_breaks_are_normalised_like_the_parser() {
        let html = "<script>\r\na();\rb();\0</script>";
        assert_eq!(inline_script_bodies(html), ["\na();\nb();\u{FFFD}"]);
    }

    #[test]
    fn non_ascii_text_around_and_inside_scripts() {
        let html = "<p>Café ✓ <b>Ünïcode</b></p><script>const s = 'متجر 🛒';</script>";
        assert_eq!(inline_script_bodies(html), ["const s = 'متجر 🛒';"]);
    }
}

//! Escaping text for the XML files of the site (Atom feeds, the sitemap) and
//! the SVG charts, and
//! the absolute URLs they (and the JSON downloads) hold.

use std::borrow::Cow;

/// `text` escaped for XML character data and attribute values (in `"` quotes);
/// characters that XML 1.0 does not allow at all (most control characters) are dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}

/// Appends [`escape`] of `text` to `out`.
pub fn push_escaped(out: &mut String, text: &str) {
    push_escaped_as(out, text, XML);
}

/// Appends `text` escaped for the text and attributes of SVG inline in HTML
/// (the charts): `'` as `&#39;`, and control characters kept, as HTML keeps them.
pub fn push_escaped_in_html(out: &mut String, text: &str) {
    push_escaped_as(out, text, IN_HTML);
}

/// How `'` is written, and whether characters XML 1.0 does not allow are dropped.
#[derive(Clone, Copy)]
struct Escaping {
    apostrophe: &'static str,
    drop_disallowed: bool,
}

/// For the site's XML files.
const XML: Escaping = Escaping {
    apostrophe: "&apos;",
    drop_disallowed: true,
};

/// For markup inside an HTML page.
const IN_HTML: Escaping = Escaping {
    apostrophe: "&#39;",
    drop_disallowed: false,
};

/// Appends `text` escaped as `how` says. The runs between the characters to
/// replace or drop are copied whole, found a byte at a time: all of those
/// characters are ASCII but U+FFFE and U+FFFF, which start with byte `EF`.
#[inline(always)]
fn push_escaped_as(out: &mut String, text: &str, how: Escaping) {
    let bytes = text.as_bytes();
    let mut copied = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b > b'>' && b != 0xEF {
            continue;
        }
        let (replacement, width) = match b {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => (how.apostrophe, 1),
            _ if !how.drop_disallowed => continue,
            b'\t' | b'\n' | b'\r' => continue,
            0..0x20 => ("", 1),
            // U+FFFE and U+FFFF.
            0xEF if matches!(bytes.get(i + 1..i + 3), Some([0xBF, 0xBE | 0xBF])) => ("", 3),
            _ => continue,
        };
        out.push_str(&text[copied..i]);
        out.push_str(replacement);
        copied = i + width;
    }
    out.push_str(&text[copied..]);
}

/// The absolute URL of a site path: `base_url` (ending in `/`) and the path,
/// percent-encoded where a URL needs it (every byte but ASCII letters, digits,
/// `/` and the unreserved marks `-_.~`, as uppercase `%XX`).
///
/// Written in one pass into a string of the right size; most paths need no
/// encoding at all and are copied whole.
pub fn absolute(base_url: &str, path: &str) -> String {
    let first = first_encoded(path);
    // Each byte from the first encoded one on takes at most three.
    let mut url = String::with_capacity(base_url.len() + first + 3 * (path.len() - first));
    url.push_str(base_url);
    push_encoded_from(&mut url, path, first);
    url
}

/// `path` percent-encoded as [`absolute`] encodes it, borrowed when it needs
/// no encoding (a path of ASCII names): for a URL made of parts.
pub fn encoded(path: &str) -> Cow<'_, str> {
    let first = first_encoded(path);
    if first == path.len() {
        return Cow::Borrowed(path);
    }
    let mut out = String::with_capacity(first + 3 * (path.len() - first));
    push_encoded_from(&mut out, path, first);
    Cow::Owned(out)
}

/// The index of the first byte of `path` that a URL needs encoded, or its length.
fn first_encoded(path: &str) -> usize {
    path.bytes()
        .position(|b| !KEPT_IN_PATH[usize::from(b)])
        .unwrap_or(path.len())
}

/// Appends `path` to `url`, percent-encoded, where `first` is [`first_encoded`].
fn push_encoded_from(url: &mut String, path: &str, first: usize) {
    let bytes = path.as_bytes();
    // The start of the bytes kept as they are but not yet copied.
    let mut kept = 0;
    for (i, &b) in bytes.iter().enumerate().skip(first) {
        if KEPT_IN_PATH[usize::from(b)] {
            continue;
        }
        // Kept bytes are ASCII, so a run of them starts and ends at char
        // boundaries (an empty one may not, and is not sliced).
        if kept < i {
            url.push_str(&path[kept..i]);
        }
        url.push('%');
        url.push(char::from(HEX_DIGITS[usize::from(b >> 4)]));
        url.push(char::from(HEX_DIGITS[usize::from(b & 0xF)]));
        kept = i + 1;
    }
    // All kept bytes (or none): `kept` is at a char boundary.
    url.push_str(&path[kept..]);
}

const HEX_DIGITS: &[u8; 16] = b"0123456789ABCDEF";

/// The bytes that stand as they are in a URL path: ASCII letters and digits,
/// `/` and the unreserved marks.
const KEPT_IN_PATH: [bool; 256] = {
    let mut kept = [false; 256];
    let mut b = 0;
    while b < kept.len() {
        let c = b as u8;
        kept[b] = c.is_ascii_alphanumeric() || matches!(c, b'/' | b'-' | b'_' | b'.' | b'~');
        b += 1;
    }
    kept
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped_and_control_characters_dropped() {
        assert_eq!(
            escape("a < b & \"c\" > 'd'"),
            "a &lt; b &amp; &quot;c&quot; &gt; &apos;d&apos;"
        );
        assert_eq!(escape("bell\u{7}\tand tab"), "bell\tand tab");
        assert_eq!(escape("Ærø – “ok”"), "Ærø – “ok”");
        assert_eq!(
            escape("a\u{FFFE}b\u{FFFF}c\u{FFFD}\u{FEFF}"),
            "abc\u{FFFD}\u{FEFF}"
        );
    }

    /// The old definition, a char at a time.
    fn escape_by_char(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&apos;"),
                '\t' | '\n' | '\r' => out.push(c),
                c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
                c => out.push(c),
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn escaping_agrees_with_the_char_by_char_definition(
            text in "(\\PC|[\\x00-\\x7f]|[&<>\"']|\u{FFFE}|\u{FFFF}|\u{FFFD}|\u{EFBF}|[a-z]{1,5}){0,40}"
        ) {
            proptest::prop_assert_eq!(escape(&text), escape_by_char(&text));
        }

        #[test]
        fn escaping_in_html_agrees_with_the_charts_old_definition(
            text in "(\\PC|[\\x00-\\x7f]|[&<>\"']|\u{FFFE}|\u{FFFF}|[a-z]{1,5}){0,40}"
        ) {
            let mut escaped = String::new();
            push_escaped_in_html(&mut escaped, &text);
            proptest::prop_assert_eq!(escaped, escape_in_html_by_find(&text));
        }
    }

    /// The charts' old definition: the five markup characters replaced, `'`
    /// as `&#39;`, everything else kept.
    fn escape_in_html_by_find(text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
            out.push_str(&rest[..at]);
            out.push_str(match rest.as_bytes()[at] {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                _ => "&#39;",
            });
            rest = &rest[at + 1..];
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn absolute_urls_keep_slashes_and_encode_the_rest() {
        let base = "https://x.github.io/repo/";
        assert_eq!(
            absolute(base, "stories/a-b_c/"),
            "https://x.github.io/repo/stories/a-b_c/"
        );
        assert_eq!(
            absolute(base, "über uns/"),
            "https://x.github.io/repo/%C3%BCber%20uns/"
        );
        assert_eq!(absolute(base, ""), base);
        assert_eq!(
            absolute(base, "a b?c#d%"),
            format!("{base}a%20b%3Fc%23d%25")
        );
        assert_eq!(absolute(base, "ü"), format!("{base}%C3%BC"));
        assert_eq!(
            absolute(base, "tags/故事/"),
            format!("{base}tags/%E6%95%85%E4%BA%8B/")
        );
    }

    #[test]
    fn encoded_paths_are_borrowed_when_nothing_needs_encoding() {
        assert!(matches!(encoded("stories/a-b_c/"), Cow::Borrowed(_)));
        assert_eq!(encoded("q-ärger"), "q-%C3%A4rger");
        assert_eq!(encoded(""), "");
    }

    proptest::proptest! {
        /// The same text as the `percent-encoding` crate writes with the same set.
        #[test]
        fn absolute_urls_are_those_percent_encoding_writes(
            path in "([a-zA-Z0-9/._~-]{0,8}|[\\x00-\\x7f]|\\PC){0,12}",
        ) {
            use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
            const PATH_KEEP: &AsciiSet = &NON_ALPHANUMERIC
                .remove(b'/')
                .remove(b'-')
                .remove(b'_')
                .remove(b'.')
                .remove(b'~');
            let base = "https://x.org/r/";
            let expected = format!("{base}{}", utf8_percent_encode(&path, PATH_KEEP));
            proptest::prop_assert_eq!(absolute(base, &path), expected.clone());
            proptest::prop_assert_eq!(format!("{base}{}", encoded(&path)), expected);
        }
    }
}

//! Escaping text for the XML files of the site (Atom feeds, the sitemap).

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Characters left as they are in a URL path: letters, digits, `/` and the unreserved marks.
const PATH_KEEP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// `text` escaped for XML character data and attribute values (in `"` quotes);
/// characters that XML 1.0 does not allow at all (most control characters) are dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}

/// Appends [`escape`] of `text` to `out`. The runs between the characters to
/// replace or drop are copied whole, found a byte at a time: all of those
/// characters are ASCII but U+FFFE and U+FFFF, which start with byte `EF`.
pub fn push_escaped(out: &mut String, text: &str) {
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
            b'\'' => ("&apos;", 1),
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
/// percent-encoded where a URL needs it.
pub fn absolute(base_url: &str, path: &str) -> String {
    format!("{base_url}{}", utf8_percent_encode(path, PATH_KEEP))
}

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
    }
}

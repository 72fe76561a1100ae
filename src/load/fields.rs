//! Text fields that parse but that a site cannot show: blank (white space or
//! invisible characters only) where a value is needed, or so long that it
//! would swell every page that shows it.

use std::ops::Range;

use super::parse;
use crate::config::validate_length;
use crate::diagnostics::Diagnostic;
use crate::source::Source;

/// Whether `text` shows nothing: empty, white space, or only invisible
/// characters (zero-width spaces and joiners, word joiners, byte order marks,
/// soft hyphens and other format characters).
pub fn is_blank(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || is_invisible(c))
}

/// Characters that take no room when shown.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
    )
}

/// Checks the front matter of `source` (its text in `front`): each
/// `(key, value, max)` is at most `max` characters. Errors point at the key's value.
pub fn check_lengths<'a>(
    source: &Source,
    front: Range<usize>,
    fields: impl IntoIterator<Item = (&'static str, &'a str, usize)>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (key, value, max) in fields {
        if let Err((message, hint)) = validate_length(key, value, max) {
            diagnostics.push(error_at(source, front.clone(), key, message, hint));
        }
    }
}

/// An error at the value of `key` in the front matter (or the file's start).
pub fn error_at(
    source: &Source,
    front: Range<usize>,
    key: &str,
    message: String,
    hint: impl Into<String>,
) -> Diagnostic {
    let span = parse::find_key_value(source, front, key).unwrap_or(0..0);
    Diagnostic::error(message).at(source, span).hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_and_invisible_characters_are_blank() {
        for blank in [
            "",
            "   ",
            "\t\n",
            "\u{200B}",
            " \u{200D}\u{FEFF} ",
            "\u{00AD}",
        ] {
            assert!(is_blank(blank), "{blank:?}");
        }
        for shown in ["a", " Okafor ", "\u{200B}x", "故事", "-"] {
            assert!(!is_blank(shown), "{shown:?}");
        }
    }
}

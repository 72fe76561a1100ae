//! Names that become segments of the site's paths and URLs: story slugs, tags,
//! person ids, content page names and quote ids.
//!
//! A slug keeps the letters and digits of any script (lowercased, in Unicode's
//! composed form, NFC), so `故事` stays `故事` and `Ärger` becomes `ärger`; every
//! other run of characters becomes one `-`. An ASCII name gives the slug it
//! always did. A name is one folder of the output, so it is kept well under the
//! 255-byte limit most file systems put on a file name.

use std::ops::Range;
use std::path::Path;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{is_nfc, UnicodeNormalization};

use crate::diagnostics::Diagnostic;
use crate::source::Source;

/// The longest name, in bytes of UTF-8, that may name a page's folder: well
/// under the 255 bytes a file name may have, with room for suffixes.
pub const MAX_NAME_BYTES: usize = 100;

/// Makes a URL-safe slug from a title, file name or tag: the lowercased letters
/// and digits of `text` (of any script, with their combining marks), each other
/// run of characters one `-`, none at either end. Empty when `text` has no
/// letter or digit.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    if text.is_ascii() {
        // The rule as it always was for ASCII; no normalization needed.
        for c in text.chars().map(|c| c.to_ascii_lowercase()) {
            if c.is_ascii_alphanumeric() {
                slug.push(c);
            } else if !slug.ends_with('-') && !slug.is_empty() {
                slug.push('-');
            }
        }
    } else {
        for c in text.chars().flat_map(char::to_lowercase).nfc() {
            if c.is_alphanumeric() {
                slug.push(c);
            } else if is_combining_mark(c) {
                // A mark belongs to the letter before it (as in Devanagari's
                // vowel signs); one with no letter before it is dropped.
                if !slug.is_empty() && !slug.ends_with('-') {
                    slug.push(c);
                }
            } else if !slug.ends_with('-') && !slug.is_empty() {
                slug.push('-');
            }
        }
    }
    let kept = slug.trim_end_matches('-').len();
    slug.truncate(kept);
    slug
}

/// Whether `slug` is safe as a URL segment and a folder name: lowercase letters
/// and digits (of any script, composed as NFC, with combining marks after
/// them), `-` and `_`, at least one letter or digit, not starting with `-`.
/// `/`, `.`, spaces, uppercase and control characters are refused.
pub fn is_valid_slug(slug: &str) -> bool {
    if slug.starts_with('-') {
        return false;
    }
    let mut has_letter = false;
    let mut after_letter = false;
    for c in slug.chars() {
        if c.is_alphanumeric() {
            let mut lower = c.to_lowercase();
            if lower.next() != Some(c) || lower.next().is_some() {
                return false;
            }
            has_letter = true;
            after_letter = true;
        } else if is_combining_mark(c) {
            if !after_letter {
                return false;
            }
        } else if c == '-' || c == '_' {
            after_letter = false;
        } else {
            return false;
        }
    }
    has_letter && (slug.is_ascii() || is_nfc(slug))
}

/// `slug` cut to at most `max` bytes at a char boundary, without a trailing `-`
/// or `_`: still a valid slug when `slug` was one and the cut keeps a letter.
pub fn truncate(slug: &str, max: usize) -> &str {
    if slug.len() <= max {
        return slug;
    }
    let mut end = max;
    while !slug.is_char_boundary(end) {
        end -= 1;
    }
    slug[..end].trim_end_matches(['-', '_'])
}

/// A name as shown in a message: whole when short, else its first 40 chars and `…`.
pub fn shown(name: &str) -> String {
    match name.char_indices().nth(40) {
        Some((end, _)) => format!("{}\u{2026}", &name[..end]),
        None => name.to_string(),
    }
}

/// A name's spelling up to case and word separators: tags whose keys are equal
/// are the same tag written two ways (`Climate change`, `climate-change`);
/// tags with one slug but different keys (`C++`, `C#`) are different tags that
/// would share a page.
pub fn tag_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    let mut push = |c: char| {
        if c.is_whitespace() || c == '-' || c == '_' {
            if !key.is_empty() && !key.ends_with('-') {
                key.push('-');
            }
        } else {
            key.push(c);
        }
    };
    if name.is_ascii() {
        name.chars()
            .map(|c| c.to_ascii_lowercase())
            .for_each(&mut push);
    } else {
        name.chars()
            .flat_map(char::to_lowercase)
            .nfc()
            .for_each(&mut push);
    }
    let kept = key.trim_end_matches('-').len();
    key.truncate(kept);
    key
}

/// What is wrong with `name`, given by the author as a `slug` or quote `id`
/// (`what` names it in the message): a message and a hint, or `None` when it
/// may name a page.
pub fn explicit_name_problem(what: &str, name: &str) -> Option<(String, String)> {
    if !is_valid_slug(name) {
        let suggestion = slugify(name);
        let suggestion = truncate(&suggestion, MAX_NAME_BYTES);
        let hint = if suggestion.is_empty() {
            format!("a {what} needs a letter or digit: it names a page's folder and URL")
        } else if name.nfc().eq(suggestion.chars()) {
            format!("write it with its letters composed (Unicode NFC): `{suggestion}`")
        } else {
            format!("a {what} is lowercase letters, digits and hyphens, e.g. `{suggestion}`")
        };
        return Some((format!("invalid {what} `{}`", shown(name)), hint));
    }
    if name.len() > MAX_NAME_BYTES {
        return Some((
            too_long(what, name),
            format!(
                "a {what} names a page's folder and URL: shorten it to at most {MAX_NAME_BYTES} bytes, e.g. `{}`",
                truncate(name, MAX_NAME_BYTES)
            ),
        ));
    }
    None
}

/// The name a file gives (a person's id, a page's name): its stem, composed
/// (NFC), since some file systems store names decomposed.
pub fn name_of_file(path: &Path) -> String {
    let stem = path.file_stem().map(|s| s.to_string_lossy());
    match stem {
        Some(stem) if stem.is_ascii() => stem.into_owned(),
        Some(stem) => stem.nfc().collect(),
        None => String::new(),
    }
}

/// What is wrong with `name`, given by a file's name (`what` names it in the
/// message): a message and a hint, or `None` when it may name a page.
pub fn file_name_problem(what: &str, name: &str) -> Option<(String, String)> {
    if !is_valid_slug(name) {
        let suggestion = slugify(name);
        let suggestion = truncate(&suggestion, MAX_NAME_BYTES);
        let hint = if suggestion.is_empty() {
            format!("the file name is the {what} and needs a letter or digit: rename the file")
        } else {
            format!("the file name is the {what}: rename it to `{suggestion}.md`")
        };
        return Some((format!("invalid {what} `{}`", shown(name)), hint));
    }
    (name.len() > MAX_NAME_BYTES).then(|| {
        (
            too_long(what, name),
            format!(
                "the file name is the {what}, which names a page's folder and URL: rename the file to at most {MAX_NAME_BYTES} bytes, e.g. `{}.md`",
                truncate(name, MAX_NAME_BYTES)
            ),
        )
    })
}

/// The names under `quotes/` that the site's own lists take (`/quotes/by-speaker/`).
pub const RESERVED_QUOTE_IDS: &[&str] = &["by-speaker"];

/// A message and a hint when `id` is one of [`RESERVED_QUOTE_IDS`].
pub fn reserved_quote_id(id: &str) -> Option<(String, String)> {
    RESERVED_QUOTE_IDS.contains(&id).then(|| {
        (
            format!("quote id `{id}` is taken by the site's list at quotes/{id}/"),
            "choose another `id` for this quote".to_string(),
        )
    })
}

/// "`what` `name…` is too long: N bytes, at most 100".
pub fn too_long(what: &str, name: &str) -> String {
    format!(
        "{what} `{}` is too long: {} bytes, at most {MAX_NAME_BYTES}",
        shown(name),
        name.len()
    )
}

/// Where each of a story's `tags` is written in its front matter (`front`):
/// the text of the tag, found in order after the `tags` key; where a tag is
/// not written as it reads (an escape in a string), the start of the list.
pub fn tag_spans(source: &Source, front: Range<usize>, tags: &[String]) -> Vec<Range<usize>> {
    let list = super::parse::find_key_value(source, front.clone(), "tags")
        .map_or(front.start, |value| value.start);
    let end = front.end.min(source.text.len());
    let mut from = list;
    tags.iter()
        .map(|tag| {
            let found = (!tag.is_empty())
                .then(|| source.text.get(from..end)?.find(tag.as_str()))
                .flatten();
            match found {
                Some(i) => {
                    let start = from + i;
                    from = start + tag.len();
                    start..from
                }
                None => from..from,
            }
        })
        .collect()
}

/// Checks a story's tags, each of which names a page (`tags/SLUG/`): a tag
/// needs a letter or digit and a slug of at most [`MAX_NAME_BYTES`], and two
/// tags of the story must not share a slug unless they are one tag written
/// two ways (see [`tag_key`]).
pub fn check_tags(source: &Source, front: Range<usize>, tags: &[String]) -> Vec<Diagnostic> {
    let slugs: Vec<String> = tags.iter().map(|t| slugify(t)).collect();
    let mut problems: Vec<(usize, Diagnostic)> = Vec::new();
    for (i, (tag, slug)) in tags.iter().zip(&slugs).enumerate() {
        if slug.is_empty() {
            problems.push((
                i,
                Diagnostic::error(format!("tag `{}` has no letter or digit", shown(tag)))
                    .hint("a tag needs a letter or digit: its page is at tags/NAME/, NAME made of the tag's letters and digits"),
            ));
        } else if slug.len() > MAX_NAME_BYTES {
            problems.push((
                i,
                Diagnostic::error(too_long("tag", slug)).hint(format!(
                    "a tag names its page's folder and URL (tags/NAME/): shorten it to at most {MAX_NAME_BYTES} bytes of letters and digits"
                )),
            ));
        } else if let Some(first) = (0..i).find(|&j| slugs[j] == *slug) {
            if tag_key(&tags[first]) != tag_key(tag) {
                let message = format!(
                    "tags `{}` and `{}` would share one page, tags/{}/",
                    shown(&tags[first]),
                    shown(tag),
                    slug
                );
                problems.push((i, Diagnostic::error(message).hint(COLLIDING_TAGS_HINT)));
            }
        }
    }
    if problems.is_empty() {
        return Vec::new();
    }
    let spans = tag_spans(source, front, tags);
    problems
        .into_iter()
        .map(|(i, d)| {
            let d = d.at(source, spans[i].clone());
            match (0..i).find(|&j| slugs[j] == slugs[i] && !slugs[i].is_empty()) {
                Some(first) if d.message.starts_with("tags ") => {
                    d.related(source, spans[first].clone(), "the other tag")
                }
                _ => d,
            }
        })
        .collect()
}

/// How to tell two tags apart that slug alike.
pub const COLLIDING_TAGS_HINT: &str = "tags are told apart by their letters and digits only: spell one differently (e.g. `C sharp` for `C#`), or both alike if they are one topic";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    #[test]
    fn slugify_keeps_ascii_words() {
        assert_eq!(slugify("Council Votes: 7–2!"), "council-votes-7-2");
        assert_eq!(slugify("  a__b--c  "), "a-b-c");
        assert_eq!(slugify("C++"), "c");
        assert!(is_valid_slug("council-votes-7-2"));
        assert!(!is_valid_slug("Council Votes"));
    }

    #[test]
    fn slugify_keeps_letters_and_digits_of_any_script() {
        assert_eq!(slugify("故事"), "故事");
        assert_eq!(slugify("Ärger"), "ärger");
        assert_eq!(slugify("Årets Ærø-tur"), "årets-ærø-tur");
        assert_eq!(slugify("Привет, мир"), "привет-мир");
        assert_eq!(slugify("٣ أيام"), "٣-أيام");
        // Decomposed input (as some file systems store names) is composed.
        assert_eq!(slugify("Cafe\u{301} Noir"), "café-noir");
        // Devanagari's vowel signs and virama are marks, kept with their letter.
        assert_eq!(slugify("हिन्दी समाचार"), "हिन्दी-समाचार");
        for slug in ["故事", "ärger", "हिन्दी-समाचार", "café-noir"] {
            assert!(is_valid_slug(slug), "{slug}");
        }
    }

    #[test]
    fn names_with_no_letter_or_digit_slug_to_nothing() {
        for name in ["_", "@@@", "---", "", "🙂", "\u{301}"] {
            assert_eq!(slugify(name), "", "{name:?}");
            assert!(!is_valid_slug(name), "{name:?}");
        }
    }

    #[test]
    fn unsafe_slugs_are_refused() {
        for slug in [
            "a/b",
            "..",
            "a..b",
            "a b",
            "Ärger",
            "ÄRGER",
            "a\u{0}b",
            "a\u{7}",
            "a\u{202e}b",
            "-a",
            "_",
            "\u{301}a",
            "a-\u{301}",
            // Decomposed: the same letters as `café`, not composed.
            "cafe\u{301}",
            "a%20b",
            "a?b",
            "a#b",
        ] {
            assert!(!is_valid_slug(slug), "{slug:?} was accepted");
        }
        for slug in ["a_b", "a--b", "_a", "ärger", "故事", "x1", "٣"] {
            assert!(is_valid_slug(slug), "{slug:?} was refused");
        }
    }

    #[test]
    fn truncation_stops_at_a_char_boundary() {
        assert_eq!(truncate("abc", 10), "abc");
        assert_eq!(truncate("故事故事", 7), "故事");
        assert_eq!(truncate("ab-cd", 3), "ab");
        let long = "ä".repeat(80);
        assert_eq!(truncate(&long, MAX_NAME_BYTES).len(), MAX_NAME_BYTES);
    }

    #[test]
    fn explicit_names_are_checked_for_form_then_length() {
        let (message, hint) = explicit_name_problem("slug", "Ärger im Amt").unwrap();
        assert_eq!(message, "invalid slug `Ärger im Amt`");
        assert!(hint.contains("`ärger-im-amt`"), "{hint}");
        let (_, hint) = explicit_name_problem("slug", "@@@").unwrap();
        assert!(hint.contains("needs a letter or digit"), "{hint}");
        let (_, hint) = explicit_name_problem("slug", "cafe\u{301}").unwrap();
        assert!(hint.contains("composed"), "{hint}");
        let long = "a".repeat(MAX_NAME_BYTES + 1);
        let (message, hint) = explicit_name_problem("quote id", &long).unwrap();
        assert!(message.contains("is too long: 101 bytes"), "{message}");
        assert!(hint.contains(&"a".repeat(MAX_NAME_BYTES)), "{hint}");
        assert_eq!(
            explicit_name_problem("slug", &"ä".repeat(MAX_NAME_BYTES / 2)),
            None
        );
    }

    #[test]
    fn tag_keys_ignore_case_and_separators_only() {
        assert_eq!(tag_key("Climate  change"), tag_key("climate-change"));
        assert_eq!(tag_key("Ärger"), tag_key("ärger"));
        assert_ne!(tag_key("C++"), tag_key("C#"));
    }

    fn story(front: &str) -> (Source, Range<usize>) {
        let text = format!("+++\n{front}+++\nBody\n");
        let file = SourceFile::new("a.md", text);
        (file, 4..4 + front.len())
    }

    #[test]
    fn tags_are_found_in_order_in_the_front_matter() {
        let (file, front) = story("title = \"C\"\ntags = [\"C++\", \"C\", \"x\\u0041\"]\n");
        let tags = ["C++".to_string(), "C".into(), "xA".into()];
        let spans = tag_spans(&file, front, &tags);
        assert_eq!(file.slice(&spans[0]), "C++");
        assert_eq!(file.slice(&spans[1]), "C");
        assert_eq!(file.text[spans[1].end..].chars().next(), Some('"'));
        // Written with an escape: not found, pointed at where the search stopped.
        assert!(spans[2].is_empty());
    }

    #[test]
    fn tags_with_no_letter_or_sharing_a_page_are_errors() {
        let (file, front) = story("tags = [\"C++\", \"---\", \"C#\", \"c++\"]\n");
        let tags: Vec<String> = ["C++", "---", "C#", "c++"].map(String::from).to_vec();
        let found = check_tags(&file, front, &tags);
        let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "tag `---` has no letter or digit",
                "tags `C++` and `C#` would share one page, tags/c/"
            ]
        );
        let second = &found[1];
        assert_eq!(file.slice(second.span.as_ref().unwrap()), "C#");
        assert_eq!(file.slice(&second.related[0].span), "C++");
    }

    #[test]
    fn an_over_long_tag_is_an_error() {
        let tag = "ä".repeat(60);
        let (file, front) = story(&format!("tags = [\"{tag}\"]\n"));
        let found = check_tags(&file, front, std::slice::from_ref(&tag));
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains("120 bytes"),
            "{}",
            found[0].message
        );
        assert_eq!(file.slice(found[0].span.as_ref().unwrap()), tag);
    }

    proptest::proptest! {
        /// A slug is valid or empty, and slugging it again changes nothing.
        #[test]
        fn slugify_gives_a_valid_slug_or_nothing_and_is_idempotent(
            text in "(\\PC|[ -~]|\u{301}|\u{308}|\u{94d}|\u{130}|\u{1e9e}|\u{1c5}){0,24}"
        ) {
            let slug = slugify(&text);
            proptest::prop_assert!(slug.is_empty() || is_valid_slug(&slug), "{:?} -> {:?}", text, slug);
            proptest::prop_assert_eq!(slugify(&slug), slug.clone());
            let cut = truncate(&slug, 7);
            proptest::prop_assert!(cut.is_empty() || is_valid_slug(cut), "{:?} cut to {:?}", slug, cut);
        }

        /// For ASCII the rule is the one slugs always had.
        #[test]
        fn ascii_slugs_are_as_before(text in "[ -~]{0,30}") {
            let mut old = String::new();
            for c in text.chars().flat_map(char::to_lowercase) {
                if c.is_ascii_alphanumeric() {
                    old.push(c);
                } else if !old.ends_with('-') && !old.is_empty() {
                    old.push('-');
                }
            }
            proptest::prop_assert_eq!(slugify(&text), old.trim_end_matches('-'));
        }
    }
}

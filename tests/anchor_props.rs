//! Property tests: for random Markdown and random spans of its reader-visible
//! text, a selector built from the span anchors exactly that span.

use annalist::anchor::fold::{fold_str, Folded};
use annalist::anchor::select::{select, Searches};
use annalist::anchor::text::visible_text;
use annalist::config::MarkdownConfig;
use annalist::load::Selector;
use proptest::prelude::*;
use toml::Spanned;

const WORDS: &[&str] = &[
    "the", "mayor", "said", "water", "deal", "don't", "Okafor", "council", "---", "vote", "\"no\"",
    "it's", "Reyes", "and", "then", "contract", "--", "plant", "said,", "deal.",
];

fn token() -> impl Strategy<Value = String> {
    (prop::sample::select(WORDS), 0..6u8).prop_map(|(word, style)| match style {
        1 if word.chars().all(char::is_alphanumeric) => format!("*{word}*"),
        2 if word.chars().all(char::is_alphanumeric) => format!("**{word}**"),
        3 if word.chars().all(char::is_alphanumeric) => {
            format!("[{word}](https://example.com/{word})")
        }
        4 if word.chars().all(char::is_alphanumeric) => format!("`{word}`"),
        _ => word.to_string(),
    })
}

fn paragraph() -> impl Strategy<Value = String> {
    (
        prop::sample::select(&["The", "Okafor", "Water", "Then"][..]),
        prop::collection::vec(token(), 1..14),
        any::<bool>(),
    )
        .prop_map(|(first, rest, soft_break)| {
            let separator = if soft_break { "\n" } else { " " };
            let mut text = first.to_string();
            for (i, t) in rest.iter().enumerate() {
                text.push_str(if i == 3 { separator } else { " " });
                text.push_str(t);
            }
            text
        })
}

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(paragraph(), 1..5).prop_map(|ps| ps.join("\n\n") + "\n")
}

fn spanned(text: String) -> Option<Spanned<String>> {
    Some(Spanned::new(0..0, text))
}

fn count_matches(folded: &str, needle: &str) -> usize {
    (0..folded.len())
        .filter(|&i| folded.is_char_boundary(i) && folded[i..].starts_with(needle))
        .count()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn a_selector_made_from_a_span_anchors_that_span(markdown in document(), a in 0.0..1.0f64, b in 0.0..1.0f64) {
        let options = annalist::markdown::options(&MarkdownConfig::default());
        let text = visible_text(&markdown, 0, options);
        let chars: Vec<char> = text.text.chars().collect();
        let (mut start, mut end) = {
            let x = (a * chars.len() as f64) as usize;
            let y = (b * chars.len() as f64) as usize;
            (x.min(y), x.max(y))
        };
        while start < chars.len() && !chars[start].is_alphanumeric() { start += 1; }
        while end > start && !chars[end - 1].is_alphanumeric() { end -= 1; }
        prop_assume!(start < end);

        let folded = Folded::new(&text.text);
        let exact: String = chars[start..end].iter().collect();
        let mut selector = Selector { text: spanned(exact.clone()), ..Selector::default() };
        if count_matches(&folded.text, &fold_str(&exact)) > 1 {
            // Narrow with growing context before, then after, as an author would.
            let mut unique = false;
            for width in [8, 16, 32, usize::MAX] {
                let from = start.saturating_sub(width);
                selector.prefix = spanned(chars[from..start].iter().collect());
                let to = end.saturating_add(width).min(chars.len());
                selector.suffix = spanned(chars[end..to].iter().collect());
                if select(&selector, &folded, &mut Searches::default()).is_ok() { unique = true; break; }
            }
            prop_assert!(unique, "no context made {exact:?} unique in {:?}", text.text);
        }
        let found = select(&selector, &folded, &mut Searches::default());
        prop_assert_eq!(found, Ok(start..end), "selector {:?} in {:?}", selector, text.text);
    }

    #[test]
    fn exact_pieces_map_each_char_back_to_the_same_char_in_the_source(markdown in document()) {
        let options = annalist::markdown::options(&MarkdownConfig::default());
        let text = visible_text(&markdown, 0, options);
        for piece in text.pieces.iter().filter(|p| p.exact && p.event.is_some()) {
            for (i, c) in text.slice(piece.chars.clone()).chars().enumerate() {
                let at = text.source_offset(piece.chars.start + i);
                prop_assert_eq!(markdown[at..].chars().next(), Some(c));
            }
        }
    }
}

//! Property tests for annotated HTML: well-formed, no nested links, and
//! removing the annotation elements gives the story without annotations.

#[path = "common/html.rs"]
mod html;

use annalist::anchor::text::visible_text;
use annalist::anchor::Span;
use annalist::config::MarkdownConfig;
use annalist::render::annotate::{annotate, Mark, MarkKind};
use annalist::render::highlight::Highlighter;
use proptest::prelude::*;

const WORDS: &[&str] = &[
    "the", "mayor", "said", "water", "deal", "don't", "Okafor", "<tag>", "a&b", "vote", "\"no\"",
    "--", "plant",
];

fn inline() -> impl Strategy<Value = String> {
    (
        prop::sample::select(WORDS),
        prop::sample::select(WORDS),
        0..8u8,
    )
        .prop_map(|(a, b, style)| match style {
            1 => format!("*{a} {b}*"),
            2 => format!("**{a}** {b}"),
            3 => format!("[{a} *{b}*](https://example.com/x)"),
            4 => format!("`{a}`"),
            5 => format!("[{a}](story:other-story)"),
            6 => format!("~~{a}~~ {b}[^1]"),
            _ => format!("{a} {b}"),
        })
}

fn block() -> impl Strategy<Value = String> {
    (prop::collection::vec(inline(), 1..6), 0..7u8).prop_map(|(parts, kind)| {
        let line = format!("Word {}", parts.join(" "));
        match kind {
            1 => format!("## {line}"),
            2 => format!("> {line}\n> {line}"),
            3 => format!("- {line}\n- {line}"),
            4 => format!("```rust\nlet x = \"{line}\";\n```"),
            5 => format!("| a | b |\n|---|---|\n| {} | x |", parts[0]),
            _ => format!("{line}\nand {line}"),
        }
    })
}

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(block(), 1..5)
        .prop_map(|blocks| blocks.join("\n\n") + "\n\n[^1]: A footnote.\n")
}

fn kind(choice: u8, n: usize) -> MarkKind {
    match choice % 4 {
        0 => MarkKind::Mention {
            person: "mara-okafor".into(),
            name: "Mara \"M\" Okafor".into(),
        },
        1 => MarkKind::Quote {
            id: format!("q{n}"),
            speaker: "Mara <Okafor>".into(),
            kind: "direct",
            status: "verified",
        },
        2 => MarkKind::Link {
            slug: "other-story".into(),
            title: "Other & story".into(),
        },
        _ => MarkKind::Note {
            number: n + 1,
            body_html: "A <em>note</em>.".into(),
        },
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn annotations_keep_html_well_formed_and_strip_to_the_plain_story(
        markdown in document(),
        spans in prop::collection::vec((0.0..1.0f64, 0.0..1.0f64, any::<u8>()), 0..7),
    ) {
        let options = annalist::markdown::options(&MarkdownConfig::default());
        let text = visible_text(&markdown, 0, options);
        let len = text.len_chars();
        let marks: Vec<Mark> = spans
            .iter()
            .enumerate()
            .map(|(n, &(a, b, k))| {
                let x = (a * len as f64) as usize;
                let y = (b * len as f64) as usize;
                Mark { span: Span { start: x.min(y), end: x.max(y).max(x.min(y) + 1).min(len) }, kind: kind(k, n) }
            })
            .filter(|m| m.span.start < m.span.end)
            .collect();
        let highlighter = Highlighter::new();
        let plain = annotate(&text, &[], "../../", &highlighter);
        let annotated = annotate(&text, &marks, "../../", &highlighter);
        prop_assert!(html::check_nesting(&annotated).is_ok(), "{:?}\n{}", html::check_nesting(&annotated), annotated);
        prop_assert_eq!(html::strip_annotations(&annotated), plain);
        for mark in &marks {
            let covers_text = text.slice(mark.span.range()).chars().any(|c| !c.is_whitespace());
            if let (MarkKind::Quote { id, .. }, true) = (&mark.kind, covers_text) {
                prop_assert_eq!(annotated.matches(&format!("id=\"q-{id}\"")).count(), 1);
            }
        }
    }
}

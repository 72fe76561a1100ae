//! A story's annotations in the W3C Web Annotation model
//! (`/stories/SLUG/annotations.jsonld`): mentions, quotes, anchored links and
//! notes, each targeting its words with a `TextQuoteSelector` over the story's
//! visible text. The format is documented in `docs/data.md`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use serde::{Serialize, Serializer};

use super::json_writer::JsonWriter;
use super::urls::{PageUrl, Urls};
use super::xml::encoded;
use crate::anchor::{PlainText, Span, Speaker};
use crate::index::{Archive, StoryEntry};

/// Chars of visible text around a span in a `TextQuoteSelector`'s `prefix` and
/// `suffix`, at least; more (doubling) when needed to make the selector unique.
pub const CONTEXT_CHARS: usize = 32;

/// An annotation's id, `STORY_URL/annotations.jsonld#KIND-N`: kept as its
/// parts, written out only in the JSON.
struct AnnotationId<'a> {
    /// The story page, shared with the annotation's target.
    story: Arc<str>,
    kind: &'static str,
    n: Ordinal<'a>,
}

/// What tells an annotation from the others of its kind.
#[derive(Clone)]
enum Ordinal<'a> {
    /// Its place among them, from 1.
    Number(usize),
    /// The quote's id, for a quote, percent-encoded (it ends a URL).
    Quote(Cow<'a, str>),
}

impl AnnotationId<'_> {
    /// The id's text up to its ordinal.
    fn head(&self) -> [&str; 4] {
        [&self.story, "annotations.jsonld#", self.kind, "-"]
    }

    fn write(&self, w: &mut JsonWriter) {
        match &self.n {
            Ordinal::Number(n) => w.str_then_number(&self.head(), *n),
            Ordinal::Quote(id) => {
                let [story, page, kind, dash] = self.head();
                w.str_of(&[story, page, kind, dash, id]);
            }
        }
    }
}

impl fmt::Display for AnnotationId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.head().iter().try_for_each(|part| f.write_str(part))?;
        match &self.n {
            Ordinal::Number(n) => write!(f, "{n}"),
            Ordinal::Quote(id) => f.write_str(id),
        }
    }
}

impl Serialize for AnnotationId<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A W3C Web Annotation `AnnotationPage` (fields in the order the model's examples use).
/// It borrows its words from the archive and the story's visible text.
///
/// [`AnnotationPage::write_json`] writes it; the derived `Serialize` is the
/// definition it is tested against.
#[derive(Serialize)]
pub struct AnnotationPage<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    generator: Body<'a>,
    #[serde(rename = "startIndex")]
    start_index: usize,
    items: Vec<Annotation<'a>>,
}

/// One annotation: what it says (`body`) about which words (`target`).
#[derive(Serialize)]
struct Annotation<'a> {
    id: AnnotationId<'a>,
    #[serde(rename = "type")]
    kind: &'static str,
    motivation: &'static str,
    body: Vec<Body<'a>>,
    target: Target<'a>,
}

/// A body: a resource (a person, a story) or a `TextualBody`.
#[derive(Serialize, Default)]
struct Body<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<PageUrl<'a>>,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    purpose: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<Cow<'a, str>>,
}

impl<'a> Body<'a> {
    fn text(
        purpose: &'static str,
        format: Option<&'static str>,
        value: impl Into<Cow<'a, str>>,
    ) -> Body<'a> {
        Body {
            kind: "TextualBody",
            purpose: Some(purpose),
            format,
            value: Some(value.into()),
            ..Body::default()
        }
    }
}

/// The annotated words: a story page and a selector.
#[derive(Serialize)]
struct Target<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    /// The story page, the same for every annotation of the page: shared, not copied.
    source: Arc<str>,
    selector: TextQuoteSelector<'a>,
}

/// A W3C `TextQuoteSelector`: the words, and the text just before and after
/// them, borrowed from the story's visible text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextQuoteSelector<'a> {
    /// Always `TextQuoteSelector`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The selected text.
    pub exact: &'a str,
    /// The text just before it.
    pub prefix: &'a str,
    /// The text just after it.
    pub suffix: &'a str,
}

impl AnnotationPage<'_> {
    /// Appends the page as compact JSON (a third smaller than indented, and
    /// read by programs) and a final line break: the bytes of
    /// `serde_json::to_vec` of the page (and `\n`), written field by field,
    /// with strings copied whole where they need no escaping.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        let w = &mut JsonWriter::new(out);
        w.open(b'{');
        w.key("@context");
        w.str(self.context);
        w.key("id");
        w.str(&self.id);
        w.key("type");
        w.str(self.kind);
        w.key("generator");
        self.generator.write(w);
        w.key("startIndex");
        w.number(self.start_index);
        w.key("items");
        w.open(b'[');
        for item in &self.items {
            w.item();
            item.write(w);
        }
        w.close(b']');
        w.close(b'}');
        w.finish();
    }
}

impl Annotation<'_> {
    fn write(&self, w: &mut JsonWriter) {
        w.open(b'{');
        w.key("id");
        self.id.write(w);
        w.key("type");
        w.str(self.kind);
        w.key("motivation");
        w.str(self.motivation);
        w.key("body");
        w.open(b'[');
        for body in &self.body {
            w.item();
            body.write(w);
        }
        w.close(b']');
        w.key("target");
        let target = &self.target;
        w.open(b'{');
        w.key("type");
        w.str(target.kind);
        w.key("source");
        w.str(&target.source);
        w.key("selector");
        let selector = &target.selector;
        w.open(b'{');
        w.key("type");
        w.str(selector.kind);
        w.key("exact");
        w.str(selector.exact);
        w.key("prefix");
        w.str(selector.prefix);
        w.key("suffix");
        w.str(selector.suffix);
        w.close(b'}');
        w.close(b'}');
        w.close(b'}');
    }
}

impl Body<'_> {
    /// The fields that are there, as the derived `Serialize` skips those that are not.
    fn write(&self, w: &mut JsonWriter) {
        w.open(b'{');
        if let Some(id) = &self.id {
            w.key("id");
            w.str_of(&id.parts());
        }
        w.key("type");
        w.str(self.kind);
        let fields = [
            ("purpose", self.purpose),
            ("name", self.name),
            ("label", self.label),
            ("format", self.format),
            ("value", self.value.as_deref()),
        ];
        for (key, value) in fields {
            if let Some(value) = value {
                w.key(key);
                w.str(value);
            }
        }
        w.close(b'}');
    }
}

/// A story's annotations as a W3C Web Annotation `AnnotationPage`, in text order.
/// `text` is the story's visible text ([`Archive::visible_text`]).
pub fn page<'a>(
    archive: &'a Archive,
    entry: &'a StoryEntry,
    text: &'a PlainText,
    base_url: &'a str,
) -> AnnotationPage<'a> {
    let urls = &Urls { base: base_url };
    let story = &entry.story;
    let source: Arc<str> = urls.story(&story.story.slug).parts().concat().into();
    let page = [&*source, "annotations.jsonld"].concat();
    let anchored_links = entry.links_out.iter().filter(|l| l.span.is_some()).count();
    let spans = story.mentions.len() + entry.quotes.len() + anchored_links + story.notes.len();
    let mut selectors = Selectors::new(text, spans);
    let mut annotation = |kind, n, motivation, body, span| Annotation {
        id: AnnotationId {
            story: Arc::clone(&source),
            kind,
            n,
        },
        kind: "Annotation",
        motivation,
        body,
        target: Target {
            kind: "SpecificResource",
            source: Arc::clone(&source),
            selector: selectors.select(span),
        },
    };
    let tag = |value: &'static str| Body::text("tagging", None, value);
    // (start, kind order, end) keeps text order, mentions before quotes at one place.
    let mut items: Vec<((usize, u8, usize), Annotation)> = Vec::with_capacity(spans);
    for (i, mention) in story.mentions.iter().enumerate() {
        let body = vec![person_body(archive, &mention.person, urls), tag("mention")];
        let item = annotation(
            "mention",
            Ordinal::Number(i + 1),
            "identifying",
            body,
            mention.span,
        );
        items.push(((mention.span.start, 0, mention.span.end), item));
    }
    for q in &entry.quotes {
        let quote = &archive.quotes[q.0].quote;
        let speaker = match &quote.speaker {
            Speaker::Person(id) => person_body(archive, id, urls),
            Speaker::Unnamed(description) => {
                Body::text("identifying", Some("text/plain"), description.as_str())
            }
        };
        let body = vec![
            speaker,
            Body::text("describing", Some("text/plain"), describe(quote)),
            tag("quote"),
        ];
        let item = annotation(
            "quote",
            Ordinal::Quote(encoded(&quote.id)),
            "identifying",
            body,
            quote.span,
        );
        items.push(((quote.span.start, 1, quote.span.end), item));
    }
    let anchored = entry.links_out.iter().filter_map(|l| Some((l, l.span?)));
    for (n, (link, span)) in anchored.enumerate() {
        let other = &archive.stories[link.story.0].story.story;
        let mut body = vec![Body {
            id: Some(urls.story(&other.slug)),
            kind: "Text",
            label: Some(&other.front.title),
            format: Some("text/html"),
            ..Body::default()
        }];
        if let Some(relation) = &link.relation {
            body.push(Body::text(
                "describing",
                Some("text/plain"),
                relation.as_str(),
            ));
        }
        body.push(tag("link"));
        let item = annotation("link", Ordinal::Number(n + 1), "linking", body, span);
        items.push(((span.start, 2, span.end), item));
    }
    // Numbered in text order, as on the story's page (`noted-N`).
    let mut notes: Vec<_> = story.notes.iter().collect();
    notes.sort_by_key(|n| n.span);
    for (n, note) in notes.into_iter().enumerate() {
        let body = vec![
            Body::text("commenting", Some("text/markdown"), note.body.as_str()),
            tag("note"),
        ];
        let item = annotation(
            "note",
            Ordinal::Number(n + 1),
            "commenting",
            body,
            note.span,
        );
        items.push(((note.span.start, 3, note.span.end), item));
    }
    items.sort_by_key(|(order, _)| *order);
    AnnotationPage {
        context: "http://www.w3.org/ns/anno.jsonld",
        id: page,
        kind: "AnnotationPage",
        generator: Body {
            kind: "Software",
            name: Some(concat!("annalist ", env!("CARGO_PKG_VERSION"))),
            ..Body::default()
        },
        start_index: 0,
        items: items.into_iter().map(|(_, item)| item).collect(),
    }
}
/// `Direct quote, verified, said 2025-04-17, first reported by X.`
fn describe(quote: &crate::anchor::Quote) -> String {
    let mut text = format!(
        "{} quote, {}, said {}",
        capitalize(quote.kind.as_str()),
        quote.status.as_str(),
        quote.said.iso_day()
    );
    if let Some(via) = &quote.via {
        text.push_str(", first reported by ");
        text.push_str(via);
    }
    text.push('.');
    text
}

/// A registered person as an annotation body: their page, typed `Person`, with their name.
fn person_body<'a>(archive: &'a Archive, id: &'a str, urls: &Urls<'a>) -> Body<'a> {
    let name = archive
        .person_ids
        .get(id)
        .map_or(id, |p| archive.people[p.0].file.front.name.as_str());
    Body {
        id: Some(urls.person(id)),
        kind: "Person",
        name: Some(name),
        ..Body::default()
    }
}

/// A `TextQuoteSelector` for `span`: its visible text, with at least
/// [`CONTEXT_CHARS`] chars of context each side (fewer at the ends of the text),
/// doubled until prefix + exact + suffix occur once in the story.
pub fn text_quote_selector(text: &PlainText, span: Span) -> TextQuoteSelector<'_> {
    Selectors::new(text, 1).select(span)
}

/// Bytes at the start of a selected text that are looked for in the story;
/// where they stand, the rest of the text is compared. A long quote then costs
/// no more to find than a name: 32 bytes is the longest needle memchr finds
/// with its vector searcher alone, without building a Two-Way searcher too.
const HEAD_BYTES: usize = 32;

/// Makes the selectors of one story's annotations, finding the places of each
/// distinct text start once (a name mentioned 40 times is looked for once, not 40 times).
struct Selectors<'a> {
    text: &'a PlainText,
    /// Where in `places` the places of each [`head`] of a text selected so far are.
    heads: HashMap<&'a str, Range<usize>>,
    /// Byte offsets of the places of every head, one head after another.
    places: Vec<usize>,
}

impl<'a> Selectors<'a> {
    /// Selectors over `text`, with room for the heads of `spans` selections
    /// (so that the map of heads is not rebuilt as it grows).
    fn new(text: &'a PlainText, spans: usize) -> Self {
        Selectors {
            text,
            heads: HashMap::with_capacity(spans),
            places: Vec::with_capacity(spans),
        }
    }

    /// The selector of `span` (see [`text_quote_selector`]).
    fn select(&mut self, span: Span) -> TextQuoteSelector<'a> {
        let text = self.text;
        let len = text.len_chars();
        let hay = text.text.as_str();
        let exact = text.slice(span.range());
        let own = text.byte(span.start);
        // Every place the same words stand (overlapping ones included): the
        // places of their head where the rest follows. The selector is unique
        // once no other place has the same prefix and suffix.
        let head = head(exact);
        let all = &mut self.places;
        let range = self.heads.entry(head).or_insert_with(|| {
            let start = all.len();
            all.extend(occurrences(hay, head));
            start..all.len()
        });
        let places = self.places[range.clone()]
            .iter()
            .copied()
            .filter(|&b| b != own && hay.as_bytes()[b..].starts_with(exact.as_bytes()));
        let mut reach = CONTEXT_CHARS;
        loop {
            let prefix = text.slice(span.start.saturating_sub(reach)..span.start);
            let suffix = text.slice(span.end..(span.end + reach).min(len));
            let clash = places
                .clone()
                .any(|b| hay[..b].ends_with(prefix) && hay[b + exact.len()..].starts_with(suffix));
            if reach >= len || !clash {
                return TextQuoteSelector {
                    kind: "TextQuoteSelector",
                    exact,
                    prefix,
                    suffix,
                };
            }
            reach *= 2;
        }
    }
}

/// The start of `text` that is looked for: its first [`HEAD_BYTES`] bytes,
/// fewer to end at a char boundary, or all of it when shorter.
fn head(text: &str) -> &str {
    let mut end = text.len().min(HEAD_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Byte offsets of every occurrence of `needle` in `haystack`, overlapping ones
/// included (none for an empty needle).
fn occurrences<'a>(haystack: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    let finder = memchr::memmem::Finder::new(needle.as_bytes());
    let mut from = 0;
    std::iter::from_fn(move || {
        if needle.is_empty() || from > haystack.len() {
            return None;
        }
        let at = from + finder.find(&haystack.as_bytes()[from..])?;
        from = at + haystack[at..].chars().next().map_or(1, char::len_utf8);
        Some(at)
    })
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_occurrences_count() {
        assert_eq!(occurrences("abcabc", "cab").collect::<Vec<_>>(), [2]);
        assert_eq!(occurrences("aaa", "aa").collect::<Vec<_>>(), [0, 1]);
        assert_eq!(occurrences("abc", "x").count(), 0);
        assert_eq!(occurrences("é é", "é").collect::<Vec<_>>(), [0, 3]);
        assert_eq!(occurrences("abc", "").count(), 0);
    }

    /// The selector as it was first defined: every place of the whole `exact`
    /// text, looked for afresh for each span.
    fn select_by_whole_text(text: &PlainText, span: Span) -> TextQuoteSelector<'_> {
        let len = text.len_chars();
        let hay = text.text.as_str();
        let exact = text.slice(span.range());
        let own = text.byte(span.start);
        let places: Vec<usize> = occurrences(hay, exact).collect();
        let mut reach = CONTEXT_CHARS;
        loop {
            let prefix = text.slice(span.start.saturating_sub(reach)..span.start);
            let suffix = text.slice(span.end..(span.end + reach).min(len));
            let clash = places.iter().any(|&b| {
                b != own && hay[..b].ends_with(prefix) && hay[b + exact.len()..].starts_with(suffix)
            });
            if reach >= len || !clash {
                return TextQuoteSelector {
                    kind: "TextQuoteSelector",
                    exact,
                    prefix,
                    suffix,
                };
            }
            reach *= 2;
        }
    }

    #[test]
    fn heads_end_at_char_boundaries() {
        assert_eq!(head(""), "");
        assert_eq!(head("short"), "short");
        let long = "x".repeat(31) + "éé";
        assert_eq!(head(&long), "x".repeat(31));
        assert_eq!(head(&"y".repeat(40)), "y".repeat(HEAD_BYTES));
    }

    /// Checks that [`AnnotationPage::write_json`] writes the bytes of
    /// serde_json's compact printer over the derived `Serialize`, and a line break.
    fn assert_written_as_serde_json_writes_it(page: &AnnotationPage) {
        let mut ours = Vec::new();
        page.write_json(&mut ours);
        let mut expected = serde_json::to_vec(page).unwrap();
        expected.push(b'\n');
        assert_eq!(String::from_utf8(ours), String::from_utf8(expected));
    }

    #[test]
    fn example_pages_are_written_as_serde_json_writes_them() {
        let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for root in [
            manifest.to_path_buf(),
            manifest.join("tests/fixtures/site/small"),
        ] {
            let archive = crate::check::model(&root, Default::default())
                .unwrap()
                .archive;
            assert!(!archive.stories.is_empty());
            for entry in &archive.stories {
                let text = archive.visible_text(&entry.story);
                for base in [
                    "https://example.org/",
                    "https://x.org/\"q\\\u{1}</script>é/",
                ] {
                    assert_written_as_serde_json_writes_it(&page(&archive, entry, &text, base));
                }
            }
        }
    }

    proptest::proptest! {
        /// A page of one annotation of each kind, with any words in each string.
        #[test]
        fn any_page_is_written_as_serde_json_writes_it(
            words in proptest::collection::vec("\\PC*|[\\x00-\\x7f]*", 8),
            n in proptest::prelude::any::<usize>(),
        ) {
            let source: Arc<str> = words[0].as_str().into();
            let annotation = |kind, n, body| Annotation {
                id: AnnotationId { story: Arc::clone(&source), kind, n },
                kind: "Annotation",
                motivation: "identifying",
                body,
                target: Target {
                    kind: "SpecificResource",
                    source: Arc::clone(&source),
                    selector: TextQuoteSelector {
                        kind: "TextQuoteSelector",
                        exact: &words[1],
                        prefix: &words[2],
                        suffix: &words[3],
                    },
                },
            };
            let urls = Urls { base: &words[4] };
            let items = vec![
                annotation("mention", Ordinal::Number(n), vec![Body {
                    id: Some(urls.person(&words[5])),
                    kind: "Person",
                    name: Some(&words[6]),
                    ..Body::default()
                }]),
                annotation("quote", Ordinal::Quote(encoded(&words[7])), vec![
                    Body::text("describing", Some("text/plain"), words[6].clone()),
                    Body::text("tagging", None, "quote"),
                ]),
                annotation("link", Ordinal::Number(1), vec![Body {
                    id: Some(urls.story(&words[5])),
                    kind: "Text",
                    label: Some(&words[7]),
                    format: Some("text/html"),
                    ..Body::default()
                }]),
                annotation("note", Ordinal::Number(0), Vec::new()),
            ];
            for items in [Vec::new(), items] {
                assert_written_as_serde_json_writes_it(&AnnotationPage {
                    context: "http://www.w3.org/ns/anno.jsonld",
                    id: words[0].clone(),
                    kind: "AnnotationPage",
                    generator: Body { kind: "Software", ..Body::default() },
                    start_index: n,
                    items,
                });
            }
        }

        /// Texts made of a few repeated blocks, so long selections stand in
        /// several places and need long context.
        #[test]
        fn selections_are_those_of_the_whole_text(
            blocks in proptest::collection::vec("[ab é]{1,40}", 1..4),
            order in proptest::collection::vec(0usize..4, 1..40),
            spans in proptest::collection::vec((0usize..2000, 0usize..120), 1..30),
        ) {
            let body: String = order.iter().map(|&i| blocks[i % blocks.len()].as_str()).collect();
            let text = crate::anchor::text::visible_text(&body, 0, pulldown_cmark::Options::empty());
            let len = text.len_chars();
            let mut selectors = Selectors::new(&text, 0);
            for (start, width) in spans {
                let start = start % (len + 1);
                let span = Span::from(start..(start + width).min(len));
                proptest::prop_assert_eq!(
                    selectors.select(span),
                    select_by_whole_text(&text, span)
                );
            }
        }
    }

    #[test]
    fn selectors_grow_until_unique() {
        let body = format!(
            "{x} Yes. {y}A\n\nAnd then: {x} Yes. {y}B",
            x = "x".repeat(40),
            y = "y".repeat(40),
        );
        let text = crate::anchor::text::visible_text(&body, 0, pulldown_cmark::Options::empty());
        let at = text.text.find("Yes.").unwrap();
        let start = text.text[..at].chars().count();
        let selector = text_quote_selector(&text, Span::from(start..start + 4));
        let (prefix, suffix) = (&selector.prefix, &selector.suffix);
        assert_eq!(selector.exact, "Yes.");
        assert!(suffix.chars().count() > CONTEXT_CHARS, "{suffix}");
        let whole = format!("{prefix}Yes.{suffix}");
        assert_eq!(text.text.matches(&whole).count(), 1);
    }
}

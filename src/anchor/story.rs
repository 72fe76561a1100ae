//! Anchoring one story: its people, mentions, quotes, links and notes.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::ops::Range;

use toml::Spanned;

use super::closest::Nearest;
use super::fold::{fold_str, Folded};
use super::names::{choose, Found, NameFinder, Ranges};
use super::select::{select, Field, Searches, SelectError};
use super::text::{story_text, VisibleText};
use super::{
    derive_quote_id, AnchoredStory, Mention, Note, Origin, Quote, Registry, Span, Speaker,
    StoryLink,
};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::load::sidecar::QuoteEntry;
use crate::load::{Selector, Sidecar, StoryFile};
use crate::source::Source;

/// What every story's anchoring shares.
pub(super) struct Context<'a> {
    pub registry: &'a Registry<'a>,
    pub options: pulldown_cmark::Options,
    pub config: &'a Config,
}

/// The lines of at most this many matches are named in the hint of an
/// ambiguous selector.
const AMBIGUOUS_LINES: usize = 20;

/// Quotations shorter than this many words need no `[[quote]]`.
const UNANNOTATED_QUOTATION_WORDS: usize = 5;

/// The story being anchored, with what selectors are matched against.
struct Work<'a> {
    story: &'a StoryFile,
    text: &'a VisibleText<'a>,
    folded: &'a Folded,
    sidecar: &'a Source,
    diagnostics: Vec<Diagnostic>,
    /// Spans of every quote that anchored, valid or not, so a quote with a bad
    /// speaker is not also reported as unannotated.
    quote_spans: Vec<Range<usize>>,
    /// Where the selectors' passages occur, and the searches for the passages
    /// closest to those that occur nowhere.
    searches: Searches,
}

pub(super) fn anchor_story(
    story: StoryFile,
    context: &Context,
) -> (AnchoredStory, Vec<Diagnostic>) {
    let text = story_text(&story, context.options);
    let folded = Folded::new(&text.text);
    let empty = Sidecar::default();
    let (sidecar, sidecar_source) = match &story.sidecar {
        Some(s) => (&s.sidecar, s.source.clone()),
        None => (&empty, story.source.clone()),
    };
    let mut work = Work {
        story: &story,
        text: &text,
        folded: &folded,
        sidecar: &sidecar_source,
        diagnostics: Vec::new(),
        quote_spans: Vec::new(),
        searches: Searches::new(&folded, passages(sidecar)),
    };

    let mut people = PeopleInStory::default();
    if let Some(listed) = &sidecar.people {
        for id in listed.get_ref() {
            if work.check_person(context.registry, id) {
                people.add(id.get_ref());
            }
        }
    }
    let mut settled: BTreeMap<String, String> = BTreeMap::new();
    for (name, id) in &sidecar.aliases {
        if crate::load::fields::is_blank(name.get_ref()) {
            work.diagnostics.push(
                Diagnostic::error(format!("an [aliases] name is blank: {:?}", name.get_ref()))
                    .at(work.sidecar, name.span())
                    .hint("an [aliases] entry gives a name used in this story and who it means, e.g. \"the mayor\" = \"ilse-varnham\""),
            );
            continue;
        }
        if work.check_person(context.registry, id) {
            people.add(id.get_ref());
            settled.insert(fold_str(name.get_ref()), id.get_ref().clone());
        }
    }
    let mut mentions = work.explicit_mentions(sidecar, context.registry, &mut people);
    // Speakers appear in the story: their names are found like the listed people's.
    for quote in &sidecar.quotes {
        if let Some(id) = &quote.get_ref().speaker {
            if context.registry.get(id.get_ref()).is_some() {
                people.add(id.get_ref());
            }
        }
    }
    let explicit: Vec<Range<usize>> = mentions.iter().map(|m| m.span.range()).collect();
    // One scan for every registered name serves the story's people and the
    // warning about people it names but does not list.
    let candidates = context
        .registry
        .finder
        .as_ref()
        .map(|finder| finder.candidates(&folded, &text))
        .unwrap_or_default();
    mentions.extend(work.name_mentions(
        context.registry,
        &people.ids,
        &settled,
        &explicit,
        sidecar,
        &candidates,
    ));
    mentions.sort_by_key(|m| m.span);
    // One shared id per person of the story, for all their mentions.
    let mut shared: HashSet<std::sync::Arc<str>> = HashSet::new();
    for mention in &mut mentions {
        match shared.get(&mention.person) {
            Some(id) => mention.person = id.clone(),
            None => {
                shared.insert(mention.person.clone());
            }
        }
    }

    let quotes: Vec<Quote> = sidecar
        .quotes
        .iter()
        .filter_map(|q| work.quote(q, context.registry, &mut people))
        .collect();
    let links = work.links(sidecar);
    let notes = work.notes(sidecar);

    let covered: Vec<Range<usize>> = mentions.iter().map(|m| m.span.range()).collect();
    if context.config.people.warn_unlisted {
        work.warn_unlisted(context.registry, &people.ids, &covered, &candidates);
    }
    work.warn_unannotated_quotations();

    let diagnostics = work.diagnostics;
    let text = text.into_facts(story.front.summary.is_none());
    // What the sidecar says is in the anchored story now: keeping it parsed
    // too cost 25 MB at 10,000 stories. Its text stays, for diagnostics.
    let mut story = story;
    if let Some(sidecar) = &mut story.sidecar {
        sidecar.sidecar = Sidecar::default();
    }
    let anchored = AnchoredStory {
        story,
        text,
        people: people.ids,
        mentions,
        quotes,
        links,
        notes,
    };
    (anchored, diagnostics)
}

/// The people of a story in order of first appearance in the sidecar.
#[derive(Default)]
struct PeopleInStory {
    ids: Vec<String>,
    /// The same ids, to tell in one look-up whether one is there.
    seen: HashSet<String>,
}

impl PeopleInStory {
    fn add(&mut self, id: &str) {
        if self.seen.insert(id.to_string()) {
            self.ids.push(id.to_string());
        }
    }
}

impl Work<'_> {
    fn check_person(&mut self, registry: &Registry, id: &Spanned<String>) -> bool {
        match registry.check(id, self.sidecar) {
            Ok(_) => true,
            Err(d) => {
                self.diagnostics.extend(d);
                false
            }
        }
    }

    fn anchor(&mut self, selector: &Selector, entry: Range<usize>, what: &str) -> Option<Span> {
        match select(selector, self.folded, &mut self.searches) {
            Ok(range) => Some(range.into()),
            Err(err) => {
                let d = self.selection_error(err, selector, entry, what);
                self.diagnostics.push(d);
                None
            }
        }
    }

    fn explicit_mentions(
        &mut self,
        sidecar: &Sidecar,
        registry: &Registry,
        people: &mut PeopleInStory,
    ) -> Vec<Mention> {
        let mut mentions = Vec::new();
        for entry in &sidecar.mentions {
            let m = entry.get_ref();
            let known = self.check_person(registry, &m.person);
            let span = self.anchor(&m.selector(), entry.span(), "mention");
            if let (true, Some(span)) = (known, span) {
                people.add(m.person.get_ref());
                mentions.push(Mention {
                    person: m.person.get_ref().as_str().into(),
                    span,
                    explicit: true,
                });
            }
        }
        mentions
    }

    /// Mentions found by the names and aliases of the story's people, given
    /// `candidates`: the registry's names found in the text.
    fn name_mentions(
        &mut self,
        registry: &Registry,
        people: &[String],
        settled: &BTreeMap<String, String>,
        explicit: &[Range<usize>],
        sidecar: &Sidecar,
        candidates: &[Found],
    ) -> Vec<Mention> {
        let found = if settled.is_empty() {
            // The registry's scan, kept to the names of the story's people.
            let listed: HashSet<&str> = people.iter().map(String::as_str).collect();
            let story_owners = |name: usize| -> BTreeSet<String> {
                registry.owners[name]
                    .iter()
                    .filter(|o| listed.contains(**o))
                    .map(|o| o.to_string())
                    .collect()
            };
            let excluded = Ranges::new(explicit.iter().cloned());
            let chosen = choose(
                candidates
                    .iter()
                    .filter(|f| !excluded.overlap(&f.chars))
                    .filter(|f| !story_owners(f.name).is_empty())
                    .cloned(),
            );
            let found: Vec<(String, BTreeSet<String>, Range<usize>)> = chosen
                .into_iter()
                .map(|f| {
                    (
                        registry.names[f.name].clone(),
                        story_owners(f.name),
                        f.chars,
                    )
                })
                .collect();
            debug_assert_eq!(
                found,
                self.names_of_story(registry, people, settled, explicit),
                "the registry's scan finds what a scan for the story's names finds"
            );
            found
        } else {
            // Aliases of this story only: a scan for the story's names.
            self.names_of_story(registry, people, settled, explicit)
        };
        let mut reported = BTreeSet::new();
        let mut mentions = Vec::new();
        for (name, ids, chars) in found {
            if ids.len() == 1 {
                let person = ids.iter().next().map_or("", String::as_str);
                mentions.push(Mention {
                    person: person.into(),
                    span: chars.into(),
                    explicit: false,
                });
            } else if reported.insert(name.clone()) {
                let listed = ids
                    .iter()
                    .map(|i| format!("`{i}`"))
                    .collect::<Vec<_>>()
                    .join(" and ");
                let first = ids.iter().next().cloned().unwrap_or_default();
                let span = sidecar.people.as_ref().map_or(0..0, |p| p.span());
                let at = self.text.source_range(chars);
                self.diagnostics.push(
                    Diagnostic::error(format!("the name `{name}` is shared by {listed}"))
                        .at(self.sidecar, span)
                        .label("both are listed here")
                        .hint(format!(
                            "say who it means in this story:\n[aliases]\n\"{name}\" = \"{first}\""
                        ))
                        .related(&self.story.source, at, "the name appears here"),
                );
            }
        }
        mentions
    }

    /// The names of the story's people and its aliases found in the text, by
    /// a scan for those names alone: each with who it names and where.
    fn names_of_story(
        &self,
        registry: &Registry,
        people: &[String],
        settled: &BTreeMap<String, String>,
        explicit: &[Range<usize>],
    ) -> Vec<(String, BTreeSet<String>, Range<usize>)> {
        let mut owners: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for id in people {
            if let Some(person) = registry.get(id) {
                for name in person.names() {
                    owners.entry(fold_str(name)).or_default().insert(id.clone());
                }
            }
        }
        for (name, id) in settled {
            owners.insert(name.clone(), BTreeSet::from([id.clone()]));
        }
        owners.retain(|name, _| !name.is_empty());
        let names: Vec<(&String, &BTreeSet<String>)> = owners.iter().collect();
        let Some(finder) = NameFinder::new(names.iter().map(|(n, _)| n.as_str())) else {
            return Vec::new();
        };
        finder
            .find(self.folded, self.text, explicit)
            .into_iter()
            .map(|f| {
                let (name, ids) = names[f.name];
                (name.clone(), ids.clone(), f.chars)
            })
            .collect()
    }

    fn quote(
        &mut self,
        entry: &Spanned<QuoteEntry>,
        registry: &Registry,
        people: &mut PeopleInStory,
    ) -> Option<Quote> {
        let q = entry.get_ref();
        let speaker = self.speaker(q, entry.span(), registry);
        let mut about = Vec::new();
        for id in &q.about {
            if self.check_person(registry, id) {
                about.push(id.get_ref().clone());
            }
        }
        let selector = q.selector();
        let span = self.anchor(&selector, entry.span(), "quote");
        if let Some(span) = span {
            self.quote_spans.push(span.range());
        }
        let speaker = speaker?;
        let span = span?;
        if let Speaker::Person(id) = &speaker {
            people.add(id);
        }
        let (id, derived_id, origin_span) = match &q.id {
            Some(id) => {
                let problem = crate::load::slug::explicit_name_problem("quote id", id.get_ref())
                    .or_else(|| crate::load::slug::reserved_quote_id(id.get_ref()));
                if let Some((message, hint)) = problem {
                    self.diagnostics.push(
                        Diagnostic::error(message)
                            .at(self.sidecar, id.span())
                            .hint(hint),
                    );
                    return None;
                }
                (id.get_ref().clone(), false, id.span())
            }
            None => {
                let words = match (&q.text, &q.start, &q.end) {
                    (Some(t), _, _) => t.get_ref().clone(),
                    (None, Some(s), Some(e)) => format!("{} \u{2026} {}", s.get_ref(), e.get_ref()),
                    _ => String::new(),
                };
                let start = entry.span().start;
                (
                    derive_quote_id(&self.story.slug, &speaker, &words),
                    true,
                    start..start,
                )
            }
        };
        Some(Quote {
            id,
            derived_id,
            speaker,
            words: super::text::one_line(self.text.slice(span.range())).into(),
            span,
            kind: q.kind,
            status: q.status,
            about,
            said: q
                .said
                .as_ref()
                .map_or(self.story.front.date, |d| *d.get_ref()),
            via: q.via.clone(),
            note: q.note.clone(),
            origin: Origin {
                file: self.sidecar.clone(),
                span: origin_span,
            },
        })
    }

    fn speaker(
        &mut self,
        q: &QuoteEntry,
        entry: Range<usize>,
        registry: &Registry,
    ) -> Option<Speaker> {
        match (&q.speaker, &q.unnamed) {
            (Some(_), Some(unnamed)) => {
                self.diagnostics.push(
                    Diagnostic::error("a quote has either `speaker` or `unnamed`, not both")
                        .at(self.sidecar, unnamed.span())
                        .hint("keep `speaker` for a named person, or `unnamed` to describe an unnamed source"),
                );
                None
            }
            (None, None) => {
                self.diagnostics.push(
                    Diagnostic::error("quote has no speaker")
                        .at(self.sidecar, entry.start..entry.start)
                        .hint("add `speaker = \"PERSON-ID\"`, or `unnamed = \"…\"` describing the source as the story does"),
                );
                None
            }
            (Some(id), None) => self
                .check_person(registry, id)
                .then(|| Speaker::Person(id.get_ref().clone())),
            (None, Some(unnamed)) if unnamed.get_ref().trim().is_empty() => {
                self.diagnostics.push(
                    Diagnostic::error("`unnamed` is empty")
                        .at(self.sidecar, unnamed.span())
                        .hint("describe the source as the story does, e.g. \"two officials\""),
                );
                None
            }
            (None, Some(unnamed)) => Some(Speaker::Unnamed(unnamed.get_ref().clone())),
        }
    }

    fn links(&mut self, sidecar: &Sidecar) -> Vec<StoryLink> {
        let mut links = Vec::new();
        for entry in &sidecar.links {
            let l = entry.get_ref();
            let selector = l.selector();
            let span = if selector.is_empty() {
                None
            } else {
                match self.anchor(&selector, entry.span(), "link") {
                    Some(span) => Some(span),
                    None => continue,
                }
            };
            links.push(StoryLink {
                target: l.story.get_ref().clone(),
                relation: l.relation.clone(),
                span,
                origin: Origin {
                    file: self.sidecar.clone(),
                    span: l.story.span(),
                },
            });
        }
        links
    }

    fn notes(&mut self, sidecar: &Sidecar) -> Vec<Note> {
        let mut notes = Vec::new();
        for entry in &sidecar.notes {
            let n = entry.get_ref();
            if let Some(span) = self.anchor(&n.selector(), entry.span(), "note") {
                notes.push(Note {
                    span,
                    body: n.body.clone(),
                });
            }
        }
        notes
    }

    /// Warns once per person when a registered name of someone the story does not list appears.
    fn warn_unlisted(
        &mut self,
        registry: &Registry,
        people: &[String],
        covered: &[Range<usize>],
        candidates: &[Found],
    ) {
        let covered = Ranges::new(covered.iter().cloned());
        let listed: HashSet<&str> = people.iter().map(String::as_str).collect();
        let found = choose(
            candidates
                .iter()
                .filter(|f| !covered.overlap(&f.chars))
                .cloned(),
        );
        let mut warned = BTreeSet::new();
        for found in found {
            let owners = &registry.owners[found.name];
            if owners.iter().any(|o| listed.contains(o)) {
                continue;
            }
            let id = owners[0];
            if !warned.insert(id) {
                continue;
            }
            let name = self.text.slice(found.chars.clone()).to_string();
            let sidecar = sidecar_name(self.story);
            self.diagnostics.push(
                Diagnostic::warning(format!("`{name}` names `{id}`, who is not listed in this story's sidecar"))
                    .at(&self.story.source, self.text.source_range(found.chars))
                    .label("a registered name")
                    .hint(format!("add \"{id}\" to `people` in {sidecar}; if it means someone else, say so with a [[mention]] or an [aliases] entry")),
            );
        }
    }

    /// Warns about passages of five or more words in quotation marks that no quote covers.
    fn warn_unannotated_quotations(&mut self) {
        let quotes = Ranges::new(self.quote_spans.iter().cloned());
        for inner in quotations(self.text) {
            let words = self.text.slice(inner.clone()).split_whitespace().count();
            if words < UNANNOTATED_QUOTATION_WORDS || quotes.overlap(&inner) {
                continue;
            }
            let open = inner.start.saturating_sub(1);
            let sidecar = sidecar_name(self.story);
            self.diagnostics.push(
                Diagnostic::warning(format!(
                    "a quotation of {words} words is not annotated as a quote"
                ))
                .at(
                    &self.story.source,
                    self.text.source_range(open..inner.end + 1),
                )
                .label("who said this?")
                .hint(format!(
                    "add a [[quote]] with its `speaker` (or `unnamed`) and `text` to {sidecar}"
                )),
            );
        }
    }

    fn selection_error(
        &self,
        err: SelectError,
        selector: &Selector,
        entry: Range<usize>,
        what: &str,
    ) -> Diagnostic {
        let story = self.story.source.display_path();
        let at = |field: Field| -> Range<usize> {
            let value = match field {
                Field::Text => selector.text.as_ref().map(Spanned::span),
                Field::Start => selector.start.as_ref().map(Spanned::span),
                Field::End => selector.end.as_ref().map(Spanned::span),
                Field::Occurrence => selector.occurrence.as_ref().map(Spanned::span),
            };
            value.unwrap_or(entry.start..entry.start)
        };
        let line_of = |chars: &Range<usize>| {
            self.story
                .source
                .line_col(self.text.source_offset(chars.start))
                .line
        };
        let d = match err {
            SelectError::Missing => Diagnostic::error(format!("{what} selects no text"))
                .at(self.sidecar, entry.start..entry.start)
                .hint(
                    "add `text = \"…\"` with the words as a reader sees them, or `start` and `end`",
                ),
            SelectError::Conflicting => {
                Diagnostic::error("give either `text`, or `start` and `end`, not both")
                    .at(self.sidecar, at(Field::Text))
                    .hint("use `text` for a short passage, `start` and `end` for a long one")
            }
            SelectError::StartWithoutEnd => Diagnostic::error("`start` without `end`")
                .at(self.sidecar, at(Field::Start))
                .hint("add `end = \"…\"` with the last words of the passage, or use `text`"),
            SelectError::EndWithoutStart => Diagnostic::error("`end` without `start`")
                .at(self.sidecar, at(Field::End))
                .hint("add `start = \"…\"` with the first words of the passage, or use `text`"),
            SelectError::Empty(field) => {
                Diagnostic::error(format!("`{}` is empty", field_name(field)))
                    .at(self.sidecar, at(field))
                    .hint("write the words of the passage as a reader sees them")
            }
            SelectError::NotFound(field, closest) => {
                let d = Diagnostic::error(format!("`{}` not found in {story}", field_name(field)))
                    .at(self.sidecar, at(field))
                    .label("no such passage");
                match closest {
                    Nearest::Passage(chars, _) => {
                        let passage = self.text.slice(chars.clone()).replace('\n', " ");
                        d.hint(format!(
                            "the closest passage is on line {}: \u{201C}{}\u{201D} (matching is case-sensitive and ignores Markdown markup)",
                            line_of(&chars),
                            passage
                        ))
                        .related(&self.story.source, self.text.source_range(chars), "closest passage")
                    }
                    Nearest::NoneClose => d.hint("no passage is close; selectors match the story as a reader sees it (without Markdown markup), case-sensitively"),
                    Nearest::NotSought => d.hint(format!("the closest passage was not looked for: too many selectors match nothing in {story}; selectors match the story as a reader sees it (without Markdown markup), case-sensitively")),
                }
            }
            SelectError::Ambiguous(field, matches) => {
                // The lines of the first matches: every line of thousands of
                // matches, for each of thousands of selectors, made a report
                // that grew with the square of the story.
                let mut lines: Vec<String> = matches
                    .iter()
                    .take(AMBIGUOUS_LINES)
                    .map(|m| line_of(m).to_string())
                    .collect();
                if matches.len() > AMBIGUOUS_LINES {
                    lines.push(format!("and {} more", matches.len() - AMBIGUOUS_LINES));
                }
                let mut d = Diagnostic::error(format!("`{}` matches {} passages in {story}", field_name(field), matches.len()))
                    .at(self.sidecar, at(field))
                    .label("ambiguous")
                    .hint(format!(
                        "it matches on lines {}; add `prefix` or `suffix` (the words just before or after), or `occurrence = N`",
                        lines.join(", ")
                    ));
                for (i, m) in matches.iter().enumerate().take(5) {
                    d = d.related(
                        &self.story.source,
                        self.text.source_range(m.clone()),
                        format!("match {}", i + 1),
                    );
                }
                d
            }
            SelectError::EndBeforeStart(start) => {
                Diagnostic::error("`end` only occurs before `start`")
                    .at(self.sidecar, at(Field::Start))
                    .label("the passage starts here")
                    .hint(format!(
                "`start` is on line {}; `end` must come after it: swap them, or pick other words",
                line_of(&start)
            ))
            }
            SelectError::BadOccurrence(n, count) => {
                let message = if n < 1 {
                    "`occurrence` counts from 1".to_string()
                } else {
                    format!(
                        "`occurrence = {n}` but the passage occurs {count} time{}",
                        if count == 1 { "" } else { "s" }
                    )
                };
                Diagnostic::error(message)
                    .at(self.sidecar, at(Field::Occurrence))
                    .hint(format!("use a number from 1 to {count}"))
            }
        };
        d
    }
}

/// The passages the sidecar's selectors name (`text`, `start` and `end`), as written.
fn passages<'a>(sidecar: &'a Sidecar) -> Vec<&'a str> {
    let mut passages = Vec::new();
    let mut add = |values: [&'a Option<Spanned<String>>; 3]| {
        passages.extend(values.into_iter().flatten().map(|v| v.get_ref().as_str()));
    };
    for q in &sidecar.quotes {
        let q = q.get_ref();
        add([&q.text, &q.start, &q.end]);
    }
    for m in &sidecar.mentions {
        let m = m.get_ref();
        add([&m.text, &m.start, &m.end]);
    }
    for l in &sidecar.links {
        let l = l.get_ref();
        add([&l.text, &l.start, &l.end]);
    }
    for n in &sidecar.notes {
        let n = n.get_ref();
        add([&n.text, &n.start, &n.end]);
    }
    passages
}

fn field_name(field: Field) -> &'static str {
    match field {
        Field::Text => "text",
        Field::Start => "start",
        Field::End => "end",
        Field::Occurrence => "occurrence",
    }
}

fn sidecar_name(story: &StoryFile) -> String {
    match &story.sidecar {
        Some(s) => s.source.display_path(),
        None => {
            let path = story.source.display_path();
            format!("{}.ann.toml", path.strip_suffix(".md").unwrap_or(&path))
        }
    }
}

/// The char ranges inside pairs of quotation marks (“…” or "…"), outside code,
/// within one paragraph.
///
/// Only the bytes that can matter are visited (found with `memchr`: line
/// breaks, `"` and the lead byte of `“` and `”`), and a char offset is worked
/// out from the text's char map only where a mark is: decoding every char of
/// every story was most of the cost of anchoring one.
fn quotations(text: &VisibleText) -> Vec<Range<usize>> {
    let bytes = text.text.as_bytes();
    let mut found = Vec::new();
    let mut open: Option<usize> = None;
    for at in memchr::memchr3_iter(b'\n', b'"', 0xE2, bytes) {
        match bytes[at] {
            // A blank line ends a paragraph, and any quotation left open in it.
            b'\n' => {
                if at > 0 && bytes[at - 1] == b'\n' {
                    open = None;
                }
            }
            b'"' => {
                let i = text.char_at_byte(at);
                match open {
                    Some(start) => {
                        found.push(start..i);
                        open = None;
                    }
                    None if !in_code(text, i) => open = Some(i + 1),
                    None => {}
                }
            }
            // `“` is E2 80 9C and `”` is E2 80 9D; other chars starting with E2
            // (dashes, `…`, `‘`, `’`) are skipped.
            _ => match bytes.get(at + 1..at + 3) {
                Some([0x80, 0x9C]) => {
                    let i = text.char_at_byte(at);
                    if !in_code(text, i) {
                        open = Some(i + 1);
                    }
                }
                Some([0x80, 0x9D]) => {
                    if let Some(start) = open.take() {
                        found.push(start..text.char_at_byte(at));
                    }
                }
                _ => {}
            },
        }
    }
    found
}

/// Whether the char at `i` is in code.
fn in_code(text: &VisibleText, i: usize) -> bool {
    text.piece_at(i).is_some_and(|p| p.code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::anchor::text::visible_text;
    use pulldown_cmark::Options;

    /// The char-by-char definition [`quotations`] must agree with.
    fn quotations_by_char(text: &VisibleText) -> Vec<Range<usize>> {
        let mut found = Vec::new();
        let mut open: Option<usize> = None;
        let mut previous = '\0';
        for (i, c) in text.text.chars().enumerate() {
            if c == '\n' && previous == '\n' {
                open = None;
            }
            previous = c;
            match (c, open) {
                ('\u{201C}', _) | ('"', None) if !in_code(text, i) => open = Some(i + 1),
                ('\u{201D}', Some(start)) | ('"', Some(start)) => {
                    found.push(start..i);
                    open = None;
                }
                _ => {}
            }
        }
        found
    }

    proptest::proptest! {
        #[test]
        fn quotations_agree_with_a_char_by_char_scan(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "word", "é", " ", "\"", "'", "“", "”", "‘", "’", "—", "…", "`",
                    "\n", "\n\n", "\\", "*", "[", "](x)", "    ", "```\n",
                ]),
                0..60,
            )
        ) {
            let markdown = pieces.concat();
            for options in [Options::empty(), Options::ENABLE_SMART_PUNCTUATION] {
                let text = visible_text(&markdown, 0, options);
                proptest::prop_assert_eq!(quotations(&text), quotations_by_char(&text));
            }
        }
    }
}

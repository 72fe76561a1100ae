//! `/quotes/`, `/quotes/by-speaker/` and each quote's page.

use std::collections::BTreeMap;

use crate::anchor::{PlainText, Speaker};
use crate::diagnostics::Diagnostic;
use crate::index::QuoteId;
use crate::render::citation::{citation, context_html, push_text_fragment, quote_title};
use crate::render::common::{Renderer, QUOTES_PER_PAGE, SPEAKER_QUOTES_PER_PAGE};
use crate::render::jsonld;
use crate::render::marks::inline_markdown;
use crate::render::pagination::{paginate, paginate_groups, GroupedPage};
use crate::render::views::*;
use crate::write::OutputFile;

impl Renderer<'_> {
    /// Every quote, newest said first (then by story and place in it).
    pub(in crate::render) fn quotes_newest_first(&self) -> Vec<QuoteId> {
        let mut ids: Vec<QuoteId> = (0..self.archive.quotes.len()).map(QuoteId).collect();
        ids.sort_by(|a, b| {
            let (qa, qb) = (&self.archive.quotes[a.0], &self.archive.quotes[b.0]);
            qb.quote
                .said
                .cmp(&qa.quote.said)
                .then(qa.story.cmp(&qb.story))
                .then(qa.quote.span.start.cmp(&qb.quote.span.start))
        });
        ids
    }

    /// The pages of `/quotes/`, or only page `only`.
    pub(in crate::render) fn quote_lists(
        &self,
        only: Option<usize>,
    ) -> Vec<Result<OutputFile, Diagnostic>> {
        let ordered = self.quotes_newest_first();
        paginate(ordered.len(), QUOTES_PER_PAGE, "quotes/")
            .into_iter()
            .filter(|(_, pager, _)| only.is_none_or(|n| n == pager.current))
            .map(|(range, pager, path)| {
                let title = if pager.current == 1 {
                    "Quotes".to_string()
                } else {
                    format!("Quotes, page {}", pager.current)
                };
                let list = QuoteList {
                    quotes: ordered[range]
                        .iter()
                        .map(|q| self.cards.quotes[q.0].clone())
                        .collect(),
                    pager,
                };
                self.page(
                    "quotes.html",
                    self.meta("quotes", &title, "", &path),
                    "list",
                    &list,
                )
            })
            .collect()
    }

    /// The pages of `/quotes/by-speaker/` (only page `only`, if given).
    pub(in crate::render) fn quotes_by_speaker(
        &self,
        only: Option<usize>,
    ) -> Vec<Result<OutputFile, Diagnostic>> {
        let mut groups: BTreeMap<(bool, String, String), Vec<QuoteId>> = BTreeMap::new();
        for id in self.quotes_newest_first() {
            let card = &self.cards.quotes[id.0];
            let key = (
                card.speaker.unnamed,
                card.speaker.name.to_lowercase(),
                card.speaker.path.clone(),
            );
            groups.entry(key).or_default().push(id);
        }
        let groups: Vec<Vec<QuoteId>> = groups.into_values().collect();
        let anchors: Vec<String> = groups
            .iter()
            .enumerate()
            .map(
                |(i, ids)| match &self.archive.quotes[ids[0].0].quote.speaker {
                    Speaker::Person(id) => format!("s-{id}"),
                    Speaker::Unnamed(_) => format!("s-unnamed-{}", i + 1),
                },
            )
            .collect();
        let speaker = |group: usize| self.cards.quotes[groups[group][0].0].speaker.clone();
        let sizes: Vec<usize> = groups.iter().map(Vec::len).collect();
        let (pages, start_paths) =
            paginate_groups(&sizes, SPEAKER_QUOTES_PER_PAGE, "quotes/by-speaker/");
        pages
            .into_iter()
            .filter(|page| only.is_none_or(|n| n == page.pager.current))
            .map(|GroupedPage { pager, path, parts }| {
                let index = if pager.current == 1 {
                    (0..groups.len())
                        .map(|g| SpeakerEntry {
                            speaker: speaker(g),
                            anchor: anchors[g].clone(),
                            count: groups[g].len(),
                            path: start_paths[g].clone(),
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                let speakers: Vec<SpeakerQuotes> = parts
                    .into_iter()
                    .map(|(g, range, continued)| SpeakerQuotes {
                        speaker: speaker(g),
                        anchor: anchors[g].clone(),
                        quotes: groups[g][range]
                            .iter()
                            .map(|q| self.cards.quotes[q.0].clone())
                            .collect(),
                        count: groups[g].len(),
                        continued,
                    })
                    .collect();
                let title = if pager.current == 1 {
                    "Quotes by speaker".to_string()
                } else {
                    format!("Quotes by speaker, page {}", pager.current)
                };
                let list = SpeakerList {
                    index,
                    speakers,
                    pager,
                };
                self.page(
                    "quotes_by_speaker.html",
                    self.meta("speakers", &title, "", &path),
                    "list",
                    &list,
                )
            })
            .collect()
    }

    /// A quote's page; `text` is its story's visible text.
    pub(in crate::render) fn quote(
        &self,
        id: QuoteId,
        text: &PlainText,
    ) -> Result<OutputFile, Diagnostic> {
        let entry = &self.archive.quotes[id.0];
        let card = self.cards.quotes[id.0].clone();
        let story = &self.archive.stories[entry.story.0].story;
        let mut meta = self.meta("quote", &quote_title(&card), &card.words, &card.path);
        meta.json_ld = Some(jsonld::quote(self.archive, self.cards, id, self.base_url));
        let original_url = story.story.front.url.as_ref().map(|url| {
            let page = url.split('#').next().unwrap_or(url);
            let mut original = String::with_capacity(page.len() + 3 * card.words.len() + 10);
            original.push_str(page);
            push_text_fragment(&mut original, &card.words);
            original
        });
        let citation = citation(&card, &story.story.front.date, self.base_url);
        let quote = QuotePage {
            context_html: context_html(text, entry.quote.span.range()),
            note_html: entry
                .quote
                .note
                .as_ref()
                .map(|n| inline_markdown(n, &meta.root)),
            about: entry
                .about
                .iter()
                .map(|p| self.cards.people[p.0].clone())
                .collect(),
            original_url,
            citation,
            card,
        };
        self.page("quote.html", meta, "quote", &quote)
    }
}

//! `/stories/` and its pages, and each story's page.

use crate::anchor::VisibleText;
use crate::diagnostics::Diagnostic;
use crate::index::StoryId;
use crate::render::annotate::annotate;
use crate::render::cards::{display_date, iso_date};
use crate::render::common::{Renderer, STORIES_PER_PAGE};
use crate::render::marks::story_marks;
use crate::render::pagination::paginate;
use crate::render::templates::PAGE_BYTES;
use crate::render::views::*;
use crate::render::{feeds, jsonld};
use crate::write::OutputFile;

impl Renderer<'_> {
    /// The pages of `/stories/`, or only page `only`.
    pub(in crate::render) fn story_lists(
        &self,
        only: Option<usize>,
    ) -> Vec<Result<OutputFile, Diagnostic>> {
        let cards = &self.cards.stories;
        paginate(cards.len(), STORIES_PER_PAGE, "stories/")
            .into_iter()
            .filter(|(_, pager, _)| only.is_none_or(|n| n == pager.current))
            .map(|(range, pager, path)| {
                let title = if pager.current == 1 {
                    "Stories".to_string()
                } else {
                    format!("Stories, page {}", pager.current)
                };
                let list = StoryList {
                    stories: cards[range].to_vec(),
                    pager,
                };
                let mut meta = self.meta("stories", &title, "", &path);
                meta.feed = feeds::archive_feed(&self.archive.config);
                self.page("stories.html", meta, "list", &list)
            })
            .collect()
    }

    /// A story's page; `text` is its visible text ([`Archive::visible_text`]).
    pub(in crate::render) fn story(
        &self,
        id: StoryId,
        text: &VisibleText,
    ) -> Result<OutputFile, Diagnostic> {
        let entry = &self.archive.stories[id.0];
        let card = self.cards.stories[id.0].clone();
        let mut meta = self.meta("story", &card.title, &card.summary, &card.path);
        meta.json_ld = Some(jsonld::story(self.archive, self.cards, id, self.base_url));
        let marks = story_marks(self.archive, entry, &meta.root);
        let html = annotate(text, &marks, &meta.root, self.highlighter);
        let mut people: Vec<PersonInStory> = entry
            .people
            .iter()
            .map(|&(p, mentions)| PersonInStory {
                person: self.cards.people[p.0].clone(),
                mentions,
            })
            .collect();
        people.sort_by(|a, b| {
            b.mentions
                .cmp(&a.mentions)
                .then(a.person.name.cmp(&b.person.name))
        });
        let mut quotes = entry.quotes.clone();
        quotes.sort_by_key(|q| self.archive.quotes[q.0].quote.span.start);
        let link = |l: &crate::index::Link| StoryLinkView {
            story: self.cards.stories[l.story.0].clone(),
            relation: l.relation.clone(),
        };
        let front = &entry.story.story.front;
        let story = StoryPage {
            updated: front.updated.as_ref().map(iso_date),
            updated_display: front.updated.as_ref().map(display_date),
            html,
            people,
            quotes: quotes
                .iter()
                .map(|q| self.cards.quotes[q.0].clone())
                .collect(),
            links_out: entry.links_out.iter().map(link).collect(),
            backlinks: entry.backlinks.iter().map(link).collect(),
            related: entry
                .related
                .iter()
                .map(|(s, _)| self.cards.stories[s.0].clone())
                .collect(),
            note_count: entry.story.notes.len(),
            anchored_link_count: entry.links_out.iter().filter(|l| l.span.is_some()).count(),
            card,
        };
        // The text and its marks, then the lists and the layout around them.
        let room = story.html.len() + PAGE_BYTES;
        self.page_in("story.html", meta, "story", &story, room)
    }
}

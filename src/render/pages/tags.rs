//! `/tags/` and each tag's pages.

use crate::diagnostics::Diagnostic;
use crate::render::common::{Renderer, STORIES_PER_PAGE};
use crate::render::feeds;
use crate::render::pagination::paginate;
use crate::render::views::*;
use crate::write::OutputFile;

impl Renderer<'_> {
    /// `/tags/`: every tag with its number of stories.
    pub(in crate::render) fn tags_index(&self) -> Result<OutputFile, Diagnostic> {
        let mut tags: Vec<TagCard> = self
            .cards
            .tags
            .iter()
            .map(|(slug, (name, stories))| TagCard {
                name: name.clone(),
                path: format!("tags/{slug}/"),
                count: stories.len(),
            })
            .collect();
        tags.sort_by_key(|t| t.name.to_lowercase());
        self.page(
            "tags.html",
            self.meta("tags", "Tags", "", "tags/"),
            "tags",
            &tags,
        )
    }

    /// The pages of a tag, [`STORIES_PER_PAGE`] stories each (only page
    /// `only`, if given).
    pub(in crate::render) fn tag(
        &self,
        slug: &str,
        only: Option<usize>,
    ) -> Vec<Result<OutputFile, Diagnostic>> {
        let (name, stories) = &self.cards.tags[slug];
        let first = format!("tags/{slug}/");
        paginate(stories.len(), STORIES_PER_PAGE, &first)
            .into_iter()
            .filter(|(_, pager, _)| only.is_none_or(|n| n == pager.current))
            .map(|(range, pager, path)| {
                let title = if pager.current == 1 {
                    format!("Tag: {name}")
                } else {
                    format!("Tag: {name}, page {}", pager.current)
                };
                let tag = TagPage {
                    name: name.clone(),
                    stories: stories[range]
                        .iter()
                        .map(|s| self.cards.stories[s.0].clone())
                        .collect(),
                    count: stories.len(),
                    pager,
                };
                let mut meta = self.meta("tag", &title, "", &path);
                meta.feed = feeds::tag_feed(&self.archive.config, slug);
                self.page("tag.html", meta, "tag", &tag)
            })
            .collect()
    }
}

//! Pages rendered one at a time, on request, for `serve`.

use crate::diagnostics::Diagnostic;
use crate::index::{Archive, StoryId};
use crate::load::theme::ThemeFiles;
use crate::render::cards::Cards;
use crate::render::common::{
    normalize_base_url, site_view, RenderError, Renderer, PEOPLE_PER_PAGE, PERSON_PAGE_SIZE,
    QUOTES_PER_PAGE, SPEAKER_QUOTES_PER_PAGE, STORIES_PER_PAGE,
};
use crate::render::data;
use crate::render::extras::Extras;
use crate::render::highlight::{stylesheet, Highlighter};
use crate::render::pages::person_more;
use crate::render::pagination::paginate;
use crate::render::templates::Templates;
use crate::render::views::*;
use crate::write::OutputFile;

/// Renders pages one at a time, on request (for `serve`, which renders only the
/// pages a browser asks for after each change). Holds the cards made once.
pub struct PageRenderer {
    archive: std::sync::Arc<Archive>,
    templates: std::sync::Arc<Templates>,
    cards: Cards,
    site: Shown<SiteView>,
    base_url: String,
    highlighter: Highlighter,
}

impl PageRenderer {
    /// Prepares to render pages of `archive`.
    pub fn new(
        archive: std::sync::Arc<Archive>,
        templates: std::sync::Arc<Templates>,
    ) -> PageRenderer {
        let base_url = normalize_base_url(&archive.config.base_url);
        let cards = Cards::new(&archive);
        let site = site_view(&archive, &cards, &base_url);
        PageRenderer {
            archive,
            templates,
            cards,
            site,
            base_url,
            highlighter: Highlighter::new(),
        }
    }

    /// A renderer of `archive`, made by [`Archive::replace_story`] from this
    /// renderer's archive: only the story's cards are made anew.
    pub fn with_story(&self, archive: std::sync::Arc<Archive>, id: StoryId) -> PageRenderer {
        let cards = self.cards.with_story(&archive, id);
        let site = site_view(&archive, &cards, &self.base_url);
        PageRenderer {
            archive,
            templates: self.templates.clone(),
            cards,
            site,
            base_url: self.base_url.clone(),
            highlighter: Highlighter::new(),
        }
    }

    /// The archive pages are rendered from.
    pub fn archive(&self) -> &std::sync::Arc<Archive> {
        &self.archive
    }

    fn renderer(&self) -> Renderer<'_> {
        Renderer {
            archive: &self.archive,
            cards: &self.cards,
            templates: &self.templates,
            site: &self.site,
            base_url: &self.base_url,
            highlighter: &self.highlighter,
        }
    }

    /// The HTML page at output path `key` (`stories/x/index.html`), if there is one.
    pub fn page(&self, key: &str) -> Option<Result<OutputFile, Diagnostic>> {
        let r = self.renderer();
        let archive = &*self.archive;
        if key == "index.html" {
            return Some(r.home());
        }
        if key == "404.html" {
            return Some(r.not_found());
        }
        if let Some(slug) = key
            .strip_prefix("stories/")
            .and_then(|k| k.strip_suffix("/annotations.jsonld"))
        {
            let &id = archive.story_ids.get(slug)?;
            let entry = &archive.stories[id.0];
            return Some(Ok(data::annotation_file(
                archive,
                entry,
                &archive.visible_text(&entry.story),
                &self.base_url,
            )));
        }
        let dir = key.strip_suffix("index.html")?;
        let parts: Vec<&str> = dir.trim_end_matches('/').split('/').collect();
        let page_number = |n: &str| n.parse::<usize>().ok().filter(|&n| n >= 2);
        match parts.as_slice() {
            ["stories"] => r.story_lists(Some(1)).pop(),
            ["stories", "page", n] => r.story_lists(Some(page_number(n)?)).pop(),
            ["stories", slug] => archive
                .story_ids
                .get(*slug)
                .map(|&id| r.story(id, &archive.visible_text(&archive.stories[id.0].story))),
            ["people"] => r.people_index(Some(1)).pop(),
            // Before a person's lists: a person may have the id `page`.
            ["people", "page", n] if page_number(n).is_some() => {
                r.people_index(Some(page_number(n)?)).pop()
            }
            ["people", id] => archive.person_ids.get(*id).map(|&id| r.person(id)),
            ["people", id, kind] => {
                let &id = archive.person_ids.get(*id)?;
                r.person_lists(id, Some((kind, 1))).pop()
            }
            ["people", id, kind, "page", n] => {
                let &id = archive.person_ids.get(*id)?;
                r.person_lists(id, Some((kind, page_number(n)?))).pop()
            }
            ["quotes"] => r.quote_lists(Some(1)).pop(),
            ["quotes", "page", n] => r.quote_lists(Some(page_number(n)?)).pop(),
            ["quotes", "by-speaker"] => r.quotes_by_speaker(Some(1)).pop(),
            ["quotes", "by-speaker", "page", n] => r.quotes_by_speaker(Some(page_number(n)?)).pop(),
            ["quotes", id] => archive.quote_ids.get(*id).map(|&id| {
                let story = &archive.stories[archive.quotes[id.0].story.0].story;
                r.quote(id, &archive.visible_text(story))
            }),
            ["tags"] => Some(r.tags_index()),
            ["tags", slug] if self.cards.tags.contains_key(*slug) => r.tag(slug, Some(1)).pop(),
            ["tags", slug, "page", n] if self.cards.tags.contains_key(*slug) => {
                r.tag(slug, Some(page_number(n)?)).pop()
            }
            ["timeline"] => r.timeline(Some(crate::render::pages::TIMELINE)).pop(),
            ["timeline", year] => r.timeline(Some(&format!("timeline/{year}/"))).pop(),
            [name] => archive
                .pages
                .iter()
                .find(|p| p.name == *name)
                .map(|p| r.content_page(p)),
            _ => None,
        }
    }

    /// The highlighting stylesheet, when some story has code.
    pub fn highlight_css(&self) -> Option<OutputFile> {
        self.site.has_code.then(|| OutputFile {
            path: "highlight.css".into(),
            bytes: stylesheet(
                &self.archive.config.markdown.highlight_theme,
                "base16-ocean.dark",
            )
            .into_bytes(),
        })
    }

    /// The path of every page [`page`](Self::page) renders, without rendering it.
    pub fn page_paths(&self) -> Vec<String> {
        let archive = &*self.archive;
        let index = |dir: &str| format!("{dir}index.html");
        let mut paths = vec!["index.html".to_string(), "404.html".to_string()];
        let pages = |count: usize, per_page: usize, first: &str| {
            paginate(count, per_page, first)
                .into_iter()
                .map(|(_, _, path)| index(&path))
                .collect::<Vec<_>>()
        };
        paths.extend(pages(archive.stories.len(), STORIES_PER_PAGE, "stories/"));
        paths.extend(self.cards.stories.iter().map(|c| index(&c.path)));
        paths.extend(pages(self.cards.people.len(), PEOPLE_PER_PAGE, "people/"));
        paths.extend(self.cards.people.iter().map(|c| index(&c.path)));
        for (entry, card) in archive.people.iter().zip(self.cards.people.iter()) {
            let more = person_more(entry, &card.path);
            let counts = [more.counts.stories, more.counts.quotes, more.counts.about];
            for (first, count) in [more.stories, more.quotes, more.about]
                .into_iter()
                .zip(counts)
            {
                if let Some(first) = first {
                    paths.extend(pages(count, PERSON_PAGE_SIZE, &first));
                }
            }
        }
        paths.extend(pages(archive.quotes.len(), QUOTES_PER_PAGE, "quotes/"));
        paths.extend(pages(
            archive.quotes.len(),
            SPEAKER_QUOTES_PER_PAGE,
            "quotes/by-speaker/",
        ));
        paths.extend(self.cards.quotes.iter().map(|c| index(&c.path)));
        paths.push("tags/index.html".into());
        paths.push("timeline/index.html".into());
        paths.extend(
            crate::render::pages::timeline_years(archive)
                .into_iter()
                .map(|year| index(&crate::render::pages::year_path(year))),
        );
        for (slug, (_, stories)) in self.cards.tags.iter() {
            paths.extend(pages(
                stories.len(),
                STORIES_PER_PAGE,
                &format!("tags/{slug}/"),
            ));
        }
        paths.extend(
            archive
                .pages
                .iter()
                .map(|p| format!("{}/index.html", p.name)),
        );
        paths
    }

    /// Every file besides the pages: feeds, data downloads, search, the sitemap,
    /// the theme's static files (see [`render_site`]).
    pub fn extras(&self, theme: &ThemeFiles) -> Result<Extras, Vec<Diagnostic>> {
        match self.renderer().extras(theme, self.page_paths()) {
            Ok(extras) => Ok(extras),
            Err(RenderError::Pages(ds)) => Err(ds),
            Err(RenderError::Write(e)) => Err(vec![Diagnostic::error(e.to_string())]),
        }
    }
}

//! What every page family shares: page sizes, relative roots, the base URL,
//! `RenderError`, and the `Renderer` with its `meta` and `page` helpers.

use crate::diagnostics::Diagnostic;
use crate::index::Archive;
use crate::render::cards::{one_line, Cards};
use crate::render::highlight::Highlighter;
use crate::render::templates::{Templates, PAGE_BYTES};
use crate::render::views::*;
use crate::write::{OutputFile, WriteError};

/// Stories on one page of `/stories/`.
pub const STORIES_PER_PAGE: usize = 30;
/// Quotes on one page of `/quotes/`.
pub const QUOTES_PER_PAGE: usize = 50;
/// Quotes on one page of `/quotes/by-speaker/`: more than `/quotes/` shows,
/// since a speaker's quotes are read together (the page was one file of
/// 17 MB for 25,000 quotes).
pub const SPEAKER_QUOTES_PER_PAGE: usize = 100;
/// People on one page of `/people/`.
pub const PEOPLE_PER_PAGE: usize = 200;

/// Why rendering stopped.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// Pages could not be rendered (template errors), each reported once.
    #[error("{} page{} could not be rendered", .0.len(), if .0.len() == 1 { "" } else { "s" })]
    Pages(Vec<Diagnostic>),
    /// The sink could not take a file.
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// Shared by every page: the archive, its cards and the templates.
pub(super) struct Renderer<'a> {
    pub(super) archive: &'a Archive,
    pub(super) cards: &'a Cards,
    pub(super) templates: &'a Templates,
    pub(super) site: &'a Shown<SiteView>,
    pub(super) base_url: &'a str,
    pub(super) highlighter: &'a Highlighter,
}

/// The `site` value of every page, made into a template value once.
pub(super) fn site_view(archive: &Archive, cards: &Cards, base_url: &str) -> Shown<SiteView> {
    let has_code = archive.stories.iter().any(|s| s.story.text.has_code_block);
    Shown::new(SiteView {
        title: archive.config.title.clone(),
        description: archive.config.description.clone(),
        language: archive.config.language.clone(),
        base_url: base_url.to_string(),
        generator: format!("annalist {}", env!("CARGO_PKG_VERSION")),
        counts: Counts {
            stories: archive.stories.len(),
            people: archive.people.len(),
            quotes: archive.quotes.len(),
            tags: cards.tags.len(),
        },
        has_code,
        search: archive.config.search.enabled,
        pages: archive
            .pages
            .iter()
            .map(|p| PageLink {
                title: p.front.title.clone(),
                path: format!("{}/", p.name),
            })
            .collect(),
    })
}

/// The base URL with exactly one trailing `/`.
pub fn normalize_base_url(url: &str) -> String {
    format!("{}/", url.trim().trim_end_matches('/'))
}

/// The relative path from a page at `path` (`stories/x/`) back to the root (`../../`).
pub fn root_for(path: &str) -> String {
    "../".repeat(path.split('/').filter(|s| !s.is_empty()).count())
}

/// The path part of a base URL (`https://x.github.io/repo/` → `/repo/`).
pub fn base_path(base_url: &str) -> String {
    let without_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    match without_scheme.find('/') {
        Some(i) => without_scheme[i..].to_string(),
        None => "/".to_string(),
    }
}

/// Items on one page of a person's full list.
pub const PERSON_PAGE_SIZE: usize = 50;

impl Renderer<'_> {
    /// The `page` value of the page of `kind` at `path`: title, description
    /// (the site's when empty), relative root, canonical URL.
    pub(in crate::render) fn meta(
        &self,
        kind: &'static str,
        title: &str,
        description: &str,
        path: &str,
    ) -> PageMeta {
        PageMeta {
            title: title.to_string(),
            description: if description.is_empty() {
                self.site.description.clone()
            } else {
                one_line(description)
            },
            root: root_for(path),
            path: path.to_string(),
            canonical: crate::render::xml::absolute(self.base_url, path),
            kind,
            feed: None,
            json_ld: None,
            image: None,
        }
    }

    /// The page rendered with `template`, its view under `key`.
    pub(in crate::render) fn page<V: serde::Serialize>(
        &self,
        template: &str,
        meta: PageMeta,
        key: &'static str,
        value: &V,
    ) -> Result<OutputFile, Diagnostic> {
        self.page_in(template, meta, key, value, PAGE_BYTES)
    }

    /// A page expected to take about `room` bytes.
    pub(in crate::render) fn page_in<V: serde::Serialize>(
        &self,
        template: &str,
        meta: PageMeta,
        key: &'static str,
        value: &V,
        room: usize,
    ) -> Result<OutputFile, Diagnostic> {
        let bytes = self
            .templates
            .render(template, &self.site, &meta, key, value, room)?;
        let path = if meta.kind == "404" {
            "404.html".to_string()
        } else {
            format!("{}index.html", meta.path)
        };
        Ok(OutputFile { path, bytes })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_paths_climb_one_level_per_segment() {
        assert_eq!(root_for(""), "");
        assert_eq!(root_for("stories/"), "../");
        assert_eq!(root_for("stories/x/"), "../../");
        assert_eq!(root_for("stories/page/2/"), "../../../");
    }

    #[test]
    fn base_url_path_and_normalisation() {
        assert_eq!(
            normalize_base_url("https://a.github.io/repo"),
            "https://a.github.io/repo/"
        );
        assert_eq!(base_path("https://a.github.io/repo/"), "/repo/");
        assert_eq!(base_path("http://127.0.0.1:1111/"), "/");
    }
}

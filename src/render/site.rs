//! The render stage's entry point: `render_site` sequences the work (the
//! lists, the per-item pages and the generated files side by side, then the
//! closing files) and hands each file to the sink as it is made.

pub use super::common::{
    base_path, normalize_base_url, RenderError, PEOPLE_PER_PAGE, PERSON_PAGE_SIZE, QUOTES_PER_PAGE,
    SPEAKER_QUOTES_PER_PAGE, STORIES_PER_PAGE,
};
pub use super::extras::Extras;
pub use super::page_renderer::PageRenderer;

use std::collections::HashSet;
use std::sync::Mutex;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::index::{Archive, PersonId, StoryId};
use crate::load::theme::ThemeFiles;
use crate::render::cards::Cards;
use crate::render::common::{site_view, Renderer};
use crate::render::extras::closing;
use crate::render::highlight::Highlighter;
use crate::render::sitemap::LastChanges;
use crate::render::templates::Templates;
use crate::write::{OutputFile, Sink, WriteError};

/// What rendering made, besides the files it handed to the sink.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rendered {
    /// HTML pages made.
    pub pages: usize,
    /// Files made in all (pages, feeds, data, search, static files).
    pub files: usize,
}

/// Hands rendered pages to the sink as they come, from any thread, remembering
/// their paths (for the sitemap) and the errors of those that failed.
struct Pages<'a> {
    sink: &'a dyn Sink,
    paths: Mutex<Vec<String>>,
    errors: Mutex<Vec<Diagnostic>>,
}

impl Pages<'_> {
    fn put(&self, page: Result<OutputFile, Diagnostic>) -> Result<(), WriteError> {
        match page {
            Ok(file) => {
                lock(&self.paths).push(file.path.clone());
                self.sink.put(file)
            }
            Err(d) => {
                let mut errors = lock(&self.errors);
                if !errors
                    .iter()
                    .any(|e| e.message == d.message && e.hint == d.hint)
                {
                    errors.push(d);
                }
                Ok(())
            }
        }
    }

    fn put_all(
        &self,
        pages: impl IntoIterator<Item = Result<OutputFile, Diagnostic>>,
    ) -> Result<(), WriteError> {
        pages.into_iter().try_for_each(|p| self.put(p))
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Renders every page and static file of the archive into `sink`, page by page
/// on every core: no more than a page per core is held at a time.
pub fn render_site(
    archive: &Archive,
    theme: &ThemeFiles,
    templates: &Templates,
    sink: &dyn Sink,
) -> Result<Rendered, RenderError> {
    let base_url = normalize_base_url(&archive.config.base_url);
    let cards = Cards::new(archive);
    let site = site_view(archive, &cards, &base_url);
    let highlighter = Highlighter::new();
    let r = Renderer {
        archive,
        cards: &cards,
        templates,
        site: &site,
        base_url: &base_url,
        highlighter: &highlighter,
    };
    let out = Pages {
        sink,
        paths: Mutex::new(Vec::new()),
        errors: Mutex::new(Vec::new()),
    };
    // The archive's own static files win over generated ones.
    let statics: HashSet<&str> = theme.statics.iter().map(|f| f.path.as_str()).collect();
    // The lists, the per-item pages and the downloads are made side by side:
    // a thread that runs out of items takes over part of another's.
    let lists = || -> Result<(), WriteError> {
        out.put(r.home())?;
        out.put_all(r.story_lists(None))?;
        out.put_all(r.people_index(None))?;
        out.put_all(r.quote_lists(None))?;
        out.put_all(r.quotes_by_speaker(None))?;
        out.put(r.tags_index())?;
        out.put_all(r.timeline(None))?;
        out.put_all(r.cards.tags.keys().flat_map(|slug| r.tag(slug, None)))?;
        out.put_all(archive.pages.iter().map(|p| r.content_page(p)))?;
        out.put(r.not_found())
    };
    crate::progress::expect(
        "render: stories and people",
        (archive.stories.len() + archive.people.len()) as u64,
    );
    let items = || -> Result<(), WriteError> {
        (0..archive.stories.len())
            .into_par_iter()
            .try_for_each(|i| {
                // One reading of the story's Markdown serves its page, its
                // quotes' pages and its annotations.
                let entry = &archive.stories[i];
                let text = archive.visible_text(&entry.story);
                out.put(r.story(StoryId(i), &text))?;
                out.put_all(entry.quotes.iter().map(|&q| r.quote(q, &text)))?;
                let annotations = super::data::annotation_file(archive, entry, &text, &base_url);
                crate::progress::advance();
                if statics.contains(annotations.path.as_str()) {
                    return Ok(());
                }
                sink.put(annotations)
            })?;
        (0..archive.people.len())
            .into_par_iter()
            .try_for_each(|i| {
                crate::progress::advance();
                out.put(r.person(PersonId(i)))
            })?;
        (0..archive.people.len())
            .into_par_iter()
            .try_for_each(|i| out.put_all(r.person_lists(PersonId(i), None)))
    };
    // Search indexes on threads of its own: the indexer must not wait inside
    // rayon's pool (two builds in one process would each hold a thread of it).
    let (((listed, itemized), (generated, lastmod)), search) = std::thread::scope(|scope| {
        let search = scope.spawn(|| r.search(&statics, sink));
        let made = rayon::join(
            || rayon::join(lists, items),
            || {
                rayon::join(
                    || r.generated(&statics, sink),
                    || LastChanges::new(archive, &cards),
                )
            },
        );
        let search = search.join().unwrap_or_else(|_| {
            Err(RenderError::Pages(vec![Diagnostic::error(
                "the search indexer stopped unexpectedly".to_string(),
            )]))
        });
        (made, search)
    });
    listed?;
    itemized?;
    let mut generated = generated?;
    let search = search?;
    generated.files += search.files;
    generated.pages = search.pages;

    let errors = out.errors.into_inner().unwrap_or_else(|e| e.into_inner());
    if !errors.is_empty() {
        return Err(RenderError::Pages(errors));
    }
    let mut page_paths = out.paths.into_inner().unwrap_or_else(|e| e.into_inner());
    let rendered = page_paths.len();
    let pages = rendered + generated.pages.len();
    page_paths.extend(generated.pages);
    let has_code = site.has_code;
    // The cards are freed while the closing files are made (freeing them
    // takes as long, at a few hundredths of a second for 10,000 stories).
    let closing = std::thread::scope(|scope| {
        scope.spawn(move || drop((cards, site)));
        closing(
            archive, theme, has_code, &base_url, &lastmod, page_paths, sink,
        )
    })?;
    Ok(Rendered {
        pages,
        files: rendered + generated.files + closing,
    })
}

//! Every page of the site, rendered through the templates into output files.

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use pulldown_cmark_escape::escape_html;
use rayon::prelude::*;

use super::annotate::annotate;
use super::cards::{display_date, iso_date, one_line, Cards};
use super::highlight::{stylesheet, Highlighter};
use super::marks::{inline_markdown, story_marks};
use super::sitemap::{self, LastChanges};
use super::templates::{Templates, PAGE_BYTES};
use super::views::*;
use super::{feeds, jsonld};
use crate::anchor::text::{count_words, push_one_line, visible_text, words};
use crate::anchor::{PlainText, Speaker, VisibleText};
use crate::diagnostics::Diagnostic;
use crate::index::{Archive, PersonId, QuoteId, StoryId};
use crate::load::theme::ThemeFiles;
use crate::load::QuoteStatus;
use crate::write::{OutputFile, Sink, WriteError};

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
/// Items in each list of the home page.
const HOME_ITEMS: usize = 8;

/// Room made for a person's page: 40 KB for most in a large archive, 120 KB
/// at most (each list is cut at `PERSON_LIST_LIMIT`).
const PERSON_PAGE_BYTES: usize = 64 * 1024;

/// What rendering made, besides the files it handed to the sink.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rendered {
    /// HTML pages made.
    pub pages: usize,
    /// Files made in all (pages, feeds, data, search, static files).
    pub files: usize,
}

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
struct Renderer<'a> {
    archive: &'a Archive,
    cards: &'a Cards,
    templates: &'a Templates,
    site: &'a Shown<SiteView>,
    base_url: &'a str,
    highlighter: &'a Highlighter,
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

/// The files made once every page is: the sitemap and hosting files (which
/// list the pages), the theme's static files and the highlighting stylesheet.
fn closing(
    archive: &Archive,
    theme: &ThemeFiles,
    has_code: bool,
    base_url: &str,
    lastmod: &LastChanges,
    mut page_paths: Vec<String>,
    sink: &dyn Sink,
) -> Result<usize, RenderError> {
    // Pages arrive in any order from the threads: sort, so the sitemap's
    // bytes are the same from one build to the next.
    page_paths.par_sort_unstable();
    let mut files: Vec<OutputFile> = sitemap::files(&page_paths, archive, lastmod, base_url)
        .into_iter()
        .filter(|f| theme.statics.iter().all(|s| s.path != f.path))
        .collect();
    files.extend(theme.statics.iter().map(|file| OutputFile {
        path: file.path.clone(),
        bytes: file.bytes.clone(),
    }));
    if has_code {
        let css = stylesheet(
            &archive.config.markdown.highlight_theme,
            "base16-ocean.dark",
        );
        files.push(OutputFile {
            path: "highlight.css".into(),
            bytes: css.into_bytes(),
        });
    }
    let count = files.len();
    for file in files {
        sink.put(file)?;
    }
    Ok(count)
}

/// A sink that passes on the files the archive has no static file for, and counts them.
struct Unless<'a> {
    statics: &'a HashSet<&'a str>,
    sink: &'a dyn Sink,
    files: AtomicUsize,
}

impl Sink for Unless<'_> {
    fn put(&self, file: OutputFile) -> Result<(), WriteError> {
        if !self.takes(&file.path) {
            return Ok(());
        }
        self.sink.put(file)
    }

    fn put_written(
        &self,
        path: &str,
        write: &mut crate::write::WriteFn<'_>,
    ) -> Result<(), WriteError> {
        if !self.takes(path) {
            return Ok(());
        }
        self.sink.put_written(path, write)
    }
}

impl Unless<'_> {
    /// Whether a file at `path` goes on (no static file has it), counting it.
    fn takes(&self, path: &str) -> bool {
        let takes = !self.statics.contains(path);
        if takes {
            self.files.fetch_add(1, Ordering::Relaxed);
        }
        takes
    }
}

/// What [`Renderer::generated`] or [`Renderer::search`] put: how many files,
/// and the paths of those that are pages.
struct Generated {
    files: usize,
    pages: Vec<String>,
}

/// The files that are not the archive's pages: feeds, data downloads, search,
/// the sitemap, the theme's static files.
#[derive(Debug, Default)]
pub struct Extras {
    /// The files.
    pub files: Vec<OutputFile>,
    /// How many of them are HTML pages (the search page).
    pub pages: usize,
}

/// What every template sees as `site`.
/// The `site` value of every page, made into a template value once.
fn site_view(archive: &Archive, cards: &Cards, base_url: &str) -> Shown<SiteView> {
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
            return Some(Ok(super::data::annotation_file(
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
            ["timeline"] => r.timeline(Some(super::charts::TIMELINE)).pop(),
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
            super::charts::timeline_years(archive)
                .into_iter()
                .map(|year| index(&super::charts::year_path(year))),
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

/// The base URL with exactly one trailing `/`.
pub fn normalize_base_url(url: &str) -> String {
    format!("{}/", url.trim().trim_end_matches('/'))
}

/// The relative path from a page at `path` (`stories/x/`) back to the root (`../../`).
pub fn root_for(path: &str) -> String {
    "../".repeat(path.split('/').filter(|s| !s.is_empty()).count())
}

impl Renderer<'_> {
    fn meta(&self, kind: &'static str, title: &str, description: &str, path: &str) -> PageMeta {
        PageMeta {
            title: title.to_string(),
            description: if description.is_empty() {
                self.site.description.clone()
            } else {
                one_line(description)
            },
            root: root_for(path),
            path: path.to_string(),
            canonical: super::xml::absolute(self.base_url, path),
            kind,
            feed: None,
            json_ld: None,
            image: None,
        }
    }

    fn page<V: serde::Serialize>(
        &self,
        template: &str,
        meta: PageMeta,
        key: &'static str,
        value: &V,
    ) -> Result<OutputFile, Diagnostic> {
        self.page_in(template, meta, key, value, PAGE_BYTES)
    }

    /// A page expected to take about `room` bytes.
    fn page_in<V: serde::Serialize>(
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

    /// Every file besides the pages listed in `page_paths` (paths of the pages,
    /// any order), each made by its own module; the archive's own static files
    /// win over generated ones (its own robots.txt, say).
    fn extras(&self, theme: &ThemeFiles, page_paths: Vec<String>) -> Result<Extras, RenderError> {
        let statics: HashSet<&str> = theme.statics.iter().map(|f| f.path.as_str()).collect();
        let collect = crate::write::Collect::default();
        self.generated(&statics, &collect)?;
        let search = self.search(&statics, &collect)?;
        let mut page_paths = page_paths;
        page_paths.extend(search.pages.iter().cloned());
        let lastmod = LastChanges::new(self.archive, self.cards);
        closing(
            self.archive,
            theme,
            self.site.has_code,
            self.base_url,
            &lastmod,
            page_paths,
            &collect,
        )?;
        Ok(Extras {
            files: collect.into_files(),
            pages: search.pages.len(),
        })
    }

    /// The feeds and the data downloads, made side by side and put into
    /// `sink` as they are made, unless the archive has a static file of the
    /// same path.
    fn generated(
        &self,
        statics: &HashSet<&str>,
        sink: &dyn Sink,
    ) -> Result<Generated, RenderError> {
        let (archive, cards, base_url) = (self.archive, self.cards, self.base_url);
        let sink = Unless {
            statics,
            sink,
            files: AtomicUsize::new(0),
        };
        let (feeds, data) = rayon::join(
            || feeds::files(archive, cards, base_url, &sink),
            || super::data::files(archive, cards, base_url, &sink),
        );
        feeds?;
        data?;
        Ok(Generated {
            files: sink.files.into_inner(),
            pages: Vec::new(),
        })
    }

    /// The search page and index, put into `sink` unless the archive has a
    /// static file of the same path.
    fn search(&self, statics: &HashSet<&str>, sink: &dyn Sink) -> Result<Generated, RenderError> {
        let sink = Unless {
            statics,
            sink,
            files: AtomicUsize::new(0),
        };
        let pages =
            super::search::files(self.archive, self.cards, self.templates, self.site, &sink)?;
        Ok(Generated {
            files: sink.files.into_inner(),
            pages,
        })
    }

    fn home(&self) -> Result<OutputFile, Diagnostic> {
        let mut most_quoted: Vec<&Shown<PersonCard>> = self
            .cards
            .people
            .iter()
            .filter(|p| p.quote_count > 0)
            .collect();
        most_quoted.sort_by(|a, b| b.quote_count.cmp(&a.quote_count).then(a.name.cmp(&b.name)));
        let mut home = HomePage {
            latest: self
                .cards
                .stories
                .iter()
                .take(HOME_ITEMS)
                .cloned()
                .collect(),
            most_quoted: most_quoted.into_iter().take(HOME_ITEMS).cloned().collect(),
            recent_quotes: self
                .quotes_newest_first()
                .into_iter()
                .take(HOME_ITEMS)
                .map(|q| self.cards.quotes[q.0].clone())
                .collect(),
            chart_svg: None,
        };
        home.chart_svg = super::charts::most_quoted_svg(&home.most_quoted, "");
        let mut meta = self.meta("home", &self.site.title, &self.site.description, "");
        meta.feed = feeds::archive_feed(&self.archive.config);
        meta.json_ld = Some(jsonld::website(self.archive, self.base_url));
        self.page("index.html", meta, "home", &home)
    }

    /// The pages of `/stories/`, or only page `only`.
    fn story_lists(&self, only: Option<usize>) -> Vec<Result<OutputFile, Diagnostic>> {
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
    fn story(&self, id: StoryId, text: &VisibleText) -> Result<OutputFile, Diagnostic> {
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

    /// The pages of `/people/` (only page `only`, if given).
    fn people_index(&self, only: Option<usize>) -> Vec<Result<OutputFile, Diagnostic>> {
        let mut people: Vec<&Shown<PersonCard>> = self.cards.people.iter().collect();
        people.sort_by_key(|p| (p.name.to_lowercase(), p.id.clone()));
        let mut groups: Vec<(String, Vec<&Shown<PersonCard>>)> = Vec::new();
        for person in people {
            let letter = person
                .name
                .chars()
                .find(|c| c.is_alphabetic())
                .filter(char::is_ascii_alphabetic)
                .map_or("#".to_string(), |c| c.to_ascii_uppercase().to_string());
            match groups.last_mut() {
                Some((last, people)) if *last == letter => people.push(person),
                _ => groups.push((letter, vec![person])),
            }
        }
        let anchor =
            |letter: &str| format!("letter-{}", if letter == "#" { "other" } else { letter });
        let sizes: Vec<usize> = groups.iter().map(|(_, people)| people.len()).collect();
        let (pages, start_paths) = paginate_groups(&sizes, PEOPLE_PER_PAGE, "people/");
        let index: Vec<LetterEntry> = groups
            .iter()
            .zip(start_paths)
            .map(|((letter, people), path)| LetterEntry {
                letter: letter.clone(),
                anchor: anchor(letter),
                count: people.len(),
                path,
            })
            .collect();
        pages
            .into_iter()
            .filter(|page| only.is_none_or(|n| n == page.pager.current))
            .map(|GroupedPage { pager, path, parts }| {
                let title = if pager.current == 1 {
                    "People".to_string()
                } else {
                    format!("People, page {}", pager.current)
                };
                let letters = parts
                    .into_iter()
                    .map(|(g, range, continued)| Letter {
                        letter: groups[g].0.clone(),
                        anchor: anchor(&groups[g].0),
                        people: groups[g].1[range].iter().map(|p| (*p).clone()).collect(),
                        count: groups[g].1.len(),
                        continued,
                    })
                    .collect();
                let list = PeopleList {
                    index: index.clone(),
                    letters,
                    pager,
                };
                self.page(
                    "people.html",
                    self.meta("people", &title, "", &path),
                    "list",
                    &list,
                )
            })
            .collect()
    }

    fn person(&self, id: PersonId) -> Result<OutputFile, Diagnostic> {
        let entry = &self.archive.people[id.0];
        let card = self.cards.people[id.0].clone();
        let mut meta = self.meta(
            "person",
            &card.name,
            card.description.as_deref().unwrap_or(""),
            &card.path,
        );
        meta.feed = feeds::person_feed(&self.archive.config, &card.id);
        meta.json_ld = Some(jsonld::person(self.archive, id, self.base_url));
        meta.image = jsonld::image_url(&entry.file.front, self.base_url);
        let newest = |ids: &[QuoteId], status: Option<QuoteStatus>| -> Vec<Shown<QuoteCard>> {
            ids.iter()
                .rev()
                .filter(|q| status.is_none_or(|s| self.archive.quotes[q.0].quote.status == s))
                .take(PERSON_LIST_LIMIT)
                .map(|q| self.cards.quotes[q.0].clone())
                .collect()
        };
        let more = person_more(entry, &card.path);
        let front = &entry.file.front;
        let bio = visible_text(
            entry.file.biography(),
            0,
            crate::markdown::options(&self.archive.config.markdown),
        );
        let (chart_svg, activity) = super::charts::person_activity(self.archive, id);
        let person = PersonPage {
            aliases: front.aliases.clone(),
            roles: front
                .roles
                .iter()
                .map(|r| RoleView {
                    title: r.title.clone(),
                    from: r.from.as_ref().map(display_date),
                    to: r.to.as_ref().map(display_date),
                })
                .collect(),
            links: front
                .links
                .iter()
                .map(|(kind, url)| ExternalLink {
                    kind: kind.clone(),
                    url: url.clone(),
                })
                .collect(),
            image: front.image.as_ref().map(|i| {
                if i.contains("://") {
                    i.clone()
                } else {
                    i.trim_start_matches('/').to_string()
                }
            }),
            bio_html: annotate(&bio, &[], &meta.root, self.highlighter),
            quotes: newest(&entry.quotes_by, Some(QuoteStatus::Verified)),
            quotes_disputed: newest(&entry.quotes_by, Some(QuoteStatus::Disputed)),
            quotes_misattributed: newest(&entry.quotes_by, Some(QuoteStatus::Misattributed)),
            quotes_about: newest(&entry.quotes_about, None),
            stories: self.appearances(&entry.stories[..entry.stories.len().min(PERSON_LIST_LIMIT)]),
            appears_with: entry
                .appears_with
                .iter()
                .take(PERSON_LIST_LIMIT)
                .map(|&(p, count)| CoAppearance {
                    person: self.cards.people[p.0].clone(),
                    count,
                })
                .collect(),
            appears_with_total: entry.appears_with.len(),
            more,
            chart_svg,
            activity,
            card,
        };
        // A person's page lists up to 30 stories and quotes of each kind.
        self.page_in("person.html", meta, "person", &person, PERSON_PAGE_BYTES)
    }

    fn appearances(&self, stories: &[(StoryId, usize)]) -> Vec<StoryAppearance> {
        stories
            .iter()
            .map(|&(s, mentions)| StoryAppearance {
                story: self.cards.stories[s.0].clone(),
                mentions,
            })
            .collect()
    }

    /// The pages of a person's full lists that their page cuts short, or only
    /// page `only` of the list `kind`.
    fn person_lists(
        &self,
        id: PersonId,
        only: Option<(&str, usize)>,
    ) -> Vec<Result<OutputFile, Diagnostic>> {
        let entry = &self.archive.people[id.0];
        let person = &self.cards.people[id.0];
        let more = person_more(entry, &person.path);
        let newest = |ids: &[QuoteId]| -> Vec<QuoteId> { ids.iter().rev().copied().collect() };
        let lists: [(&'static str, Option<String>, usize, String); 3] = [
            (
                "stories",
                more.stories,
                more.counts.stories,
                format!("Stories with {}", person.name),
            ),
            (
                "quotes",
                more.quotes,
                more.counts.quotes,
                format!("Quotes attributed to {}", person.name),
            ),
            (
                "about",
                more.about,
                more.counts.about,
                format!("Quotes about {}", person.name),
            ),
        ];
        let mut pages = Vec::new();
        for (kind, first, count, title) in lists {
            let Some(first) = first else { continue };
            if only.is_some_and(|(k, _)| k != kind) {
                continue;
            }
            let quotes = match kind {
                "quotes" => newest(&entry.quotes_by),
                "about" => newest(&entry.quotes_about),
                _ => Vec::new(),
            };
            for (range, pager, path) in paginate(count, PERSON_PAGE_SIZE, &first) {
                if only.is_some_and(|(_, n)| n != pager.current) {
                    continue;
                }
                let page_title = if pager.current == 1 {
                    title.clone()
                } else {
                    format!("{title}, page {}", pager.current)
                };
                let list = PersonList {
                    person: person.clone(),
                    kind,
                    title: title.clone(),
                    stories: if kind == "stories" {
                        self.appearances(&entry.stories[range.clone()])
                    } else {
                        Vec::new()
                    },
                    quotes: quotes
                        .get(range)
                        .unwrap_or_default()
                        .iter()
                        .map(|q| self.cards.quotes[q.0].clone())
                        .collect(),
                    pager,
                };
                let mut meta = self.meta("person-list", &page_title, "", &path);
                meta.feed = feeds::person_feed(&self.archive.config, &person.id);
                pages.push(self.page("person_list.html", meta, "list", &list));
            }
        }
        pages
    }

    /// The timeline's pages (only the one at path `only`, if given).
    fn timeline(&self, only: Option<&str>) -> Vec<Result<OutputFile, Diagnostic>> {
        super::charts::timeline_pages(self.archive, self.cards)
            .into_iter()
            .filter(|(path, _)| only.is_none_or(|p| p == path))
            .map(|(path, timeline)| {
                let (title, description) = match &timeline.year {
                    None => (
                        "Timeline".to_string(),
                        "Every month of the archive with its number of stories, and a page for each year."
                            .to_string(),
                    ),
                    Some(year) => (
                        format!("Timeline: {}", year.year),
                        format!("The stories of {} by month.", year.year),
                    ),
                };
                let meta = self.meta("timeline", &title, &description, &path);
                self.page("timeline.html", meta, "timeline", &timeline)
            })
            .collect()
    }

    fn quotes_newest_first(&self) -> Vec<QuoteId> {
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
    fn quote_lists(&self, only: Option<usize>) -> Vec<Result<OutputFile, Diagnostic>> {
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
    fn quotes_by_speaker(&self, only: Option<usize>) -> Vec<Result<OutputFile, Diagnostic>> {
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
    fn quote(&self, id: QuoteId, text: &PlainText) -> Result<OutputFile, Diagnostic> {
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

    fn tags_index(&self) -> Result<OutputFile, Diagnostic> {
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
    fn tag(&self, slug: &str, only: Option<usize>) -> Vec<Result<OutputFile, Diagnostic>> {
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

    fn content_page(&self, page: &crate::load::PageFile) -> Result<OutputFile, Diagnostic> {
        let path = format!("{}/", page.name);
        let meta = self.meta(
            "page",
            &page.front.title,
            page.front.description.as_deref().unwrap_or(""),
            &path,
        );
        let text = visible_text(
            page.markdown(),
            0,
            crate::markdown::options(&self.archive.config.markdown),
        );
        let content = ContentPage {
            title: page.front.title.clone(),
            html: annotate(&text, &[], &meta.root, self.highlighter),
        };
        self.page("page.html", meta, "content", &content)
    }

    fn not_found(&self) -> Result<OutputFile, Diagnostic> {
        // Served at any depth, so its links start from the site's absolute path.
        let mut meta = self.meta("404", "Page not found", "", "404.html");
        meta.root = base_path(self.base_url);
        meta.canonical = format!("{}404.html", self.base_url);
        self.page("404.html", meta, "missing", &())
    }
}

/// Items on one page of a person's full list.
pub const PERSON_PAGE_SIZE: usize = 50;

/// The full lists a person's page cuts short, and how long each is.
fn person_more(entry: &crate::index::PersonEntry, path: &str) -> PersonMore {
    let counts = PersonTotals {
        stories: entry.stories.len(),
        quotes: entry.quotes_by.len(),
        about: entry.quotes_about.len(),
    };
    let long = |n: usize, name: &str| (n > PERSON_LIST_LIMIT).then(|| format!("{path}{name}/"));
    PersonMore {
        stories: long(counts.stories, "stories"),
        quotes: long(counts.quotes, "quotes"),
        about: long(counts.about, "about"),
        counts,
    }
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

/// Splits `count` items into pages: (item range, pager, page path).
fn paginate(
    count: usize,
    per_page: usize,
    first: &str,
) -> Vec<(std::ops::Range<usize>, Pager, String)> {
    let total = count.div_ceil(per_page).max(1);
    let path_of = |n: usize| page_path(first, n);
    (1..=total)
        .map(|n| {
            let range = (n - 1) * per_page..(n * per_page).min(count);
            let pager = Pager {
                current: n,
                total,
                prev_path: (n > 1).then(|| path_of(n - 1)),
                next_path: (n < total).then(|| path_of(n + 1)),
                pages: pager_window(n, total)
                    .into_iter()
                    .map(|(m, gap_before)| PagerLink {
                        number: m,
                        gap_before,
                        path: path_of(m),
                        current: m == n,
                    })
                    .collect(),
            };
            (range, pager, path_of(n))
        })
        .collect()
}

/// The path of page `n` (from 1) of a list whose first page is at `first`.
fn page_path(first: &str, n: usize) -> String {
    if n == 1 {
        first.to_string()
    } else {
        format!("{first}page/{n}/")
    }
}

/// A page of a list made of groups (a letter's people, a speaker's quotes).
struct GroupedPage {
    /// Where the page is among the others.
    pager: Pager,
    /// Its path.
    path: String,
    /// Its parts, in order: a group, the range of the group's items on this
    /// page, and whether the group started on an earlier page.
    parts: Vec<(usize, std::ops::Range<usize>, bool)>,
}

/// The pages of a list of groups of `sizes` items, in order, `per_page` items
/// a page, a group going on over the next page where it must; and for each
/// group, the path of the page it starts on.
fn paginate_groups(
    sizes: &[usize],
    per_page: usize,
    first: &str,
) -> (Vec<GroupedPage>, Vec<String>) {
    let mut starts = Vec::with_capacity(sizes.len());
    let mut total = 0;
    for size in sizes {
        starts.push(total);
        total += size;
    }
    let pages = paginate(total, per_page, first)
        .into_iter()
        .map(|(range, pager, path)| {
            // The first group that ends after the page's start.
            let from = starts
                .partition_point(|&s| s <= range.start)
                .saturating_sub(1);
            let parts = (from..sizes.len())
                .take_while(|&g| starts[g] < range.end)
                .filter(|&g| starts[g] + sizes[g] > range.start)
                .map(|g| {
                    let begin = range.start.max(starts[g]) - starts[g];
                    let end = range.end.min(starts[g] + sizes[g]) - starts[g];
                    (g, begin..end, starts[g] < range.start)
                })
                .collect();
            GroupedPage { pager, path, parts }
        })
        .collect();
    let start_paths = starts
        .iter()
        .map(|&s| page_path(first, s / per_page + 1))
        .collect();
    (pages, start_paths)
}

/// Pages linked from page `current` of `total`: the first, the last and
/// [`PAGER_NEAR`] on each side of the current one, each with whether numbers
/// were skipped before it.
fn pager_window(current: usize, total: usize) -> Vec<(usize, bool)> {
    let near = current.saturating_sub(PAGER_NEAR).max(1)..=(current + PAGER_NEAR).min(total);
    let mut shown: Vec<usize> = vec![1];
    shown.extend(near);
    shown.push(total);
    shown.dedup();
    shown.sort_unstable();
    shown.dedup();
    let mut previous = 0;
    shown
        .into_iter()
        .map(|m| {
            let gap = m > previous + 1;
            previous = m;
            (m, gap)
        })
        .collect()
}

/// How many pages on each side of the current one a pager links to.
const PAGER_NEAR: usize = 2;

/// A ready-to-copy citation: who, the words, when said, where reported, the permalink.
/// A misattributed quote says so first.
fn citation(card: &QuoteCard, story_date: &crate::date::Date, base_url: &str) -> String {
    let (before, after) = match (card.status, card.speaker.unnamed) {
        ("misattributed", _) => ("Misattributed to ", ""),
        (_, true) => ("", " (unnamed source)"),
        _ => ("", ""),
    };
    let said: [&str; 3] = if card.date == iso_date(story_date) {
        ["", "", ""]
    } else {
        [" (said ", &card.date_display, ")"]
    };
    let source: [&str; 2] = card.story.source.as_deref().map_or(["", ""], |s| [", ", s]);
    let status = if card.status == "disputed" {
        " [disputed]"
    } else {
        ""
    };
    [
        before,
        &card.speaker.name,
        after,
        ": \u{201C}",
        &card.words,
        "\u{201D}",
        said[0],
        said[1],
        said[2],
        status,
        ". In \u{201C}",
        &card.story.title,
        "\u{201D}",
        source[0],
        source[1],
        ", ",
        &card.story.date_display,
        ". ",
        base_url,
        &card.path,
    ]
    .concat()
}

/// The paragraph of visible text holding `span`, escaped, with the span in `<mark>`.
fn context_html(text: &PlainText, span: std::ops::Range<usize>) -> String {
    let whole = &text.text;
    let start_byte = text.byte(span.start);
    let end_byte = text.byte(span.end);
    let para_start = whole[..start_byte].rfind("\n\n").map_or(0, |i| i + 2);
    let para_end = whole[end_byte..]
        .find("\n\n")
        .map_or(whole.len(), |i| end_byte + i);
    // The paragraph on one line first, then escaped in its three parts.
    let mut line = String::with_capacity(para_end - para_start + 2);
    push_one_line_keep_edges(&mut line, &whole[para_start..start_byte]);
    let mark_start = line.len();
    push_one_line(&mut line, &whole[start_byte..end_byte]);
    let mark_end = line.len();
    push_one_line_keep_edges(&mut line, &whole[end_byte..para_end]);
    let mut out = String::with_capacity(line.len() + line.len() / 8 + 13);
    // Escaping into a `String` does not fail.
    let _ = escape_html(&mut out, &line[..mark_start]);
    out.push_str("<mark>");
    let _ = escape_html(&mut out, &line[mark_start..mark_end]);
    out.push_str("</mark>");
    let _ = escape_html(&mut out, &line[mark_end..]);
    out
}

/// Appends `text` on one line, keeping a space for white space at either end
/// (the text around a quote meets the quote there); white space alone is one space.
fn push_one_line_keep_edges(out: &mut String, text: &str) {
    let start = out.len();
    if text.starts_with(char::is_whitespace) {
        out.push(' ');
    }
    let inner = out.len();
    push_one_line(out, text);
    if out.len() == inner {
        out.truncate(start);
        if !text.is_empty() {
            out.push(' ');
        }
    } else if text.ends_with(char::is_whitespace) {
        out.push(' ');
    }
}

/// A quote's title: who, and the first words (`Ilse Varnham: “We will not…”`).
pub(crate) fn quote_title(card: &QuoteCard) -> String {
    let name = &card.speaker.name;
    let mut out = String::with_capacity(name.len() + card.words.len() + 12);
    out.push_str(name);
    out.push_str(": \u{201C}");
    push_truncated_words(&mut out, &card.words, 12);
    out.push('\u{201D}');
    out
}

/// Appends `text` when it has at most `limit` words, or else its first `limit`
/// words on one line and `…`.
fn push_truncated_words(out: &mut String, text: &str, limit: usize) {
    if words(text).nth(limit).is_none() {
        out.push_str(text);
        return;
    }
    for (i, word) in words(text).take(limit).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.push('\u{2026}');
}

/// A text fragment (`#:~:text=…`) that highlights `words` on the original page:
/// the words themselves, or their first and last four words when long.
pub fn text_fragment(words: &str) -> String {
    let mut out = String::with_capacity(3 * words.len() + 9);
    push_text_fragment(&mut out, words);
    out
}

/// Appends [`text_fragment`] of `words` to `out`: each word percent-encoded as
/// it is written, with no list of the words.
fn push_text_fragment(out: &mut String, text: &str) {
    out.push_str("#:~:text=");
    let count = count_words(text);
    let long = count > 8;
    for (i, word) in words(text).enumerate() {
        if long && (4..count - 4).contains(&i) {
            continue;
        }
        if long && i == count - 4 {
            out.push(',');
        } else if i > 0 {
            out.push_str("%20");
        }
        out.extend(utf8_percent_encode(word, NON_ALPHANUMERIC));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_go_on_over_the_next_page_and_say_so() {
        let (pages, starts) = paginate_groups(&[3, 1, 4], 3, "people/");
        let parts: Vec<Vec<(usize, std::ops::Range<usize>, bool)>> =
            pages.iter().map(|p| p.parts.clone()).collect();
        assert_eq!(
            parts,
            [
                vec![(0, 0..3, false)],
                vec![(1, 0..1, false), (2, 0..2, false)],
                vec![(2, 2..4, true)],
            ]
        );
        let paths: Vec<&str> = pages.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["people/", "people/page/2/", "people/page/3/"]);
        assert_eq!(starts, ["people/", "people/page/2/", "people/page/2/"]);
        let (empty, none) = paginate_groups(&[], 3, "people/");
        assert_eq!((empty.len(), empty[0].parts.len(), none.len()), (1, 0, 0));
    }

    proptest::proptest! {
        #[test]
        fn every_item_of_every_group_is_on_one_page_in_order(
            sizes in proptest::collection::vec(1usize..12, 0..12),
            per_page in 1usize..10,
        ) {
            let (pages, starts) = paginate_groups(&sizes, per_page, "x/");
            let mut seen: Vec<(usize, usize)> = Vec::new();
            for page in &pages {
                let on_page: usize = page.parts.iter().map(|(_, r, _)| r.len()).sum();
                proptest::prop_assert!(on_page <= per_page);
                for (g, range, continued) in &page.parts {
                    proptest::prop_assert_eq!(*continued, range.start > 0);
                    seen.extend(range.clone().map(|i| (*g, i)));
                }
            }
            let all: Vec<(usize, usize)> = sizes
                .iter()
                .enumerate()
                .flat_map(|(g, &n)| (0..n).map(move |i| (g, i)))
                .collect();
            proptest::prop_assert_eq!(seen, all);
            for (g, path) in starts.iter().enumerate() {
                let page = pages.iter().find(|p| &p.path == path).unwrap();
                let starts_here = page.parts.iter().any(|(h, r, _)| *h == g && r.start == 0);
                proptest::prop_assert!(starts_here, "group {} starts on {}", g, path);
            }
        }
    }

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

    #[test]
    fn text_fragments_encode_and_shorten() {
        assert_eq!(
            text_fragment("we will not sign"),
            "#:~:text=we%20will%20not%20sign"
        );
        assert_eq!(text_fragment("a-b, c"), "#:~:text=a%2Db%2C%20c");
        let long = text_fragment("one two three four five six seven eight nine ten");
        assert_eq!(
            long,
            "#:~:text=one%20two%20three%20four,seven%20eight%20nine%20ten"
        );
    }

    /// The old definitions, through lists of words, that the one-pass
    /// versions must agree with.
    mod by_lists {
        use super::super::one_line;
        use super::*;

        pub fn one_line_keep_edges(text: &str) -> String {
            let lead = if text.starts_with(char::is_whitespace) && !text.trim().is_empty() {
                " "
            } else {
                ""
            };
            let trail = if text.ends_with(char::is_whitespace) && !text.trim().is_empty() {
                " "
            } else {
                ""
            };
            let inner = one_line(text);
            if inner.is_empty() {
                return if text.is_empty() {
                    String::new()
                } else {
                    " ".to_string()
                };
            }
            format!("{lead}{inner}{trail}")
        }

        pub fn truncate_words(text: &str, words: usize) -> String {
            let all: Vec<&str> = text.split_whitespace().collect();
            if all.len() <= words {
                text.to_string()
            } else {
                format!("{}\u{2026}", all[..words].join(" "))
            }
        }

        pub fn text_fragment(words: &str) -> String {
            let encode = |s: &str| utf8_percent_encode(s, NON_ALPHANUMERIC).to_string();
            let list: Vec<&str> = words.split_whitespace().collect();
            if list.len() <= 8 {
                format!("#:~:text={}", encode(&list.join(" ")))
            } else {
                let start = list[..4].join(" ");
                let end = list[list.len() - 4..].join(" ");
                format!("#:~:text={},{}", encode(&start), encode(&end))
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn one_pass_helpers_agree_with_the_lists_of_words(
            text in "([a-zé“”&<]{1,6}|[ \n\t]|  |\u{a0}|\u{2003}){0,40}",
            limit in 0usize..14,
        ) {
            let mut line = String::from("kept");
            push_one_line_keep_edges(&mut line, &text);
            proptest::prop_assert_eq!(&line[4..], by_lists::one_line_keep_edges(&text));
            let mut truncated = String::new();
            push_truncated_words(&mut truncated, &text, limit);
            proptest::prop_assert_eq!(truncated, by_lists::truncate_words(&text, limit));
            proptest::prop_assert_eq!(text_fragment(&text), by_lists::text_fragment(&text));
        }
    }

    #[test]
    fn pagination_paths_and_ranges() {
        let pages = paginate(65, 30, "stories/");
        assert_eq!(pages.len(), 3);
        assert_eq!(pages[0].2, "stories/");
        assert_eq!(pages[2].2, "stories/page/3/");
        assert_eq!(pages[2].0, 60..65);
        assert_eq!(pages[1].1.prev_path.as_deref(), Some("stories/"));
        assert_eq!(paginate(0, 30, "quotes/").len(), 1);
    }

    #[test]
    fn pagers_link_the_ends_and_the_pages_near_the_current_one() {
        assert_eq!(pager_window(1, 1), [(1, false)]);
        assert_eq!(pager_window(1, 3), [(1, false), (2, false), (3, false)]);
        assert_eq!(
            pager_window(10, 100),
            [
                (1, false),
                (8, true),
                (9, false),
                (10, false),
                (11, false),
                (12, false),
                (100, true)
            ]
        );
        assert_eq!(
            pager_window(99, 100),
            [
                (1, false),
                (97, true),
                (98, false),
                (99, false),
                (100, false)
            ]
        );
        let pages = paginate(1000, 10, "quotes/");
        assert!(pages.iter().all(|(_, pager, _)| pager.pages.len() <= 7));
    }
}

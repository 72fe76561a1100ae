//! Every file that is not one of the archive's pages, made after or beside
//! them: feeds, data downloads, search, then the sitemap, the theme's static
//! files and the highlighting stylesheet.

use rayon::prelude::*;
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::index::Archive;
use crate::load::theme::ThemeFiles;
use crate::render::common::{RenderError, Renderer};
use crate::render::data;
use crate::render::feeds;
use crate::render::highlight::stylesheet;
use crate::render::search;
use crate::render::sitemap::{self, LastChanges};
use crate::write::{OutputFile, Sink, WriteError};

/// The files made once every page is: the sitemap and hosting files (which
/// list the pages), the theme's static files and the highlighting stylesheet.
pub(super) fn closing(
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
pub(super) struct Generated {
    pub(super) files: usize,
    pub(super) pages: Vec<String>,
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

impl Renderer<'_> {
    /// Every file besides the pages listed in `page_paths` (paths of the pages,
    /// any order), each made by its own module; the archive's own static files
    /// win over generated ones (its own robots.txt, say).
    pub(in crate::render) fn extras(
        &self,
        theme: &ThemeFiles,
        page_paths: Vec<String>,
    ) -> Result<Extras, RenderError> {
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
    pub(in crate::render) fn generated(
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
            || data::files(archive, cards, base_url, &sink),
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
    pub(in crate::render) fn search(
        &self,
        statics: &HashSet<&str>,
        sink: &dyn Sink,
    ) -> Result<Generated, RenderError> {
        let sink = Unless {
            statics,
            sink,
            files: AtomicUsize::new(0),
        };
        let pages = search::files(self.archive, self.cards, self.templates, self.site, &sink)?;
        Ok(Generated {
            files: sink.files.into_inner(),
            pages,
        })
    }
}

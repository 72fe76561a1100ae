//! The `load` stage: read `archive.toml`, stories, sidecars and people into a [`Corpus`].
//!
//! This is the only stage that reads content files. It knows nothing of HTML.
//! Files are parsed in parallel; every problem becomes a [`Diagnostic`] and the
//! files that parsed are kept, so one run reports everything.

pub mod frontmatter;
pub mod page;
pub mod parse;
pub mod person;
pub mod sidecar;
pub mod story;
pub mod theme;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::source::{display_path, Source, SourceFile};
pub use page::{PageFile, PageFront};
pub use person::{PersonFile, PersonFront, Role};
pub use sidecar::{QuoteKind, QuoteStatus, Selector, Sidecar, SidecarFile};
pub use story::{StoryFile, StoryFront};

/// Everything read from an archive folder, parsed but not yet checked across files.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// The archive folder.
    pub root: PathBuf,
    /// Settings from `archive.toml` (defaults if it did not parse).
    pub config: Config,
    /// `archive.toml` itself.
    pub config_source: Option<Source>,
    /// Stories that parsed, ordered by path.
    pub stories: Vec<StoryFile>,
    /// People that parsed, ordered by id.
    pub people: Vec<PersonFile>,
    /// Content pages that parsed, ordered by name.
    pub pages: Vec<PageFile>,
    /// Ids of people and slugs of stories whose files exist but did not parse:
    /// references to them are not reported again as unknown.
    pub broken: Broken,
}

/// Ids of files that exist but did not parse.
#[derive(Debug, Clone, Default)]
pub struct Broken {
    /// Person ids (file stems).
    pub people: Vec<String>,
    /// Story slugs (file stems).
    pub stories: Vec<String>,
}

/// What loading gives: the corpus and the problems found on the way.
#[derive(Debug)]
pub struct Loaded {
    /// The parsed files.
    pub corpus: Corpus,
    /// Every problem found.
    pub diagnostics: Vec<Diagnostic>,
}

/// Choices that change what is loaded.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Keep stories marked `draft = true`.
    pub drafts: bool,
}

/// A failure of the environment rather than of the content.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The folder holds no `archive.toml`.
    #[error("{0} is not an archive: it has no archive.toml (write one with `title` and `base_url`, or pass --root DIR)")]
    NotAnArchive(PathBuf),
    /// A file or folder could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// What could not be read.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Where the parts of an archive live, relative to its root.
pub const STORIES_DIR: &str = "content/stories";
/// The people registry folder.
pub const PEOPLE_DIR: &str = "content/people";
/// The content pages folder.
pub const PAGES_DIR: &str = "content/pages";
/// The suffix of annotation sidecars.
pub const SIDECAR_SUFFIX: &str = ".ann.toml";

/// Loads the archive in `root`.
pub fn load(root: &Path, options: LoadOptions) -> Result<Loaded, LoadError> {
    let config_path = root.join("archive.toml");
    if !config_path.is_file() {
        return Err(LoadError::NotAnArchive(root.to_path_buf()));
    }
    let mut diagnostics = Vec::new();
    let (config, config_source) = load_config(root, &mut diagnostics)?;

    let files = list_story_files(root)?;
    let stories: Vec<(Option<StoryFile>, Vec<Diagnostic>)> = files
        .pairs
        .par_iter()
        .map(|(story, sidecar)| load_story(root, story, sidecar.as_deref()))
        .collect();
    for orphan in &files.orphan_sidecars {
        let source = read_lossy(root, orphan);
        let story = display_path(&orphan_story_name(orphan));
        diagnostics.push(
            Diagnostic::error("sidecar has no story")
                .at_start(&source)
                .hint(format!("a sidecar annotates the story beside it: create {story}, or rename this file to match an existing story")),
        );
    }
    let mut broken = Broken::default();
    let mut loaded_stories = Vec::with_capacity(stories.len());
    for ((path, _), (story, mut ds)) in files.pairs.iter().zip(stories) {
        diagnostics.append(&mut ds);
        match story {
            Some(story) => loaded_stories.push(story),
            None => broken.stories.push(slugify(&file_stem(path))),
        }
    }
    let mut stories = loaded_stories;
    if !options.drafts {
        stories.retain(|s| !s.front.draft);
    }

    let people_paths = list_people_files(root)?;
    let people: Vec<Result<PersonFile, Diagnostic>> = people_paths
        .par_iter()
        .map(|path| load_person(root, path))
        .collect();
    let mut loaded_people = Vec::new();
    for (path, person) in people_paths.iter().zip(people) {
        match person {
            Ok(p) => {
                diagnostics.extend(p.date_diagnostics());
                loaded_people.push(p);
            }
            Err(d) => {
                diagnostics.push(d);
                broken.people.push(file_stem(path));
            }
        }
    }
    loaded_people.sort_by(|a, b| a.id.cmp(&b.id));

    Ok(Loaded {
        corpus: Corpus {
            root: root.to_path_buf(),
            config,
            config_source,
            stories,
            people: loaded_people,
            pages: load_pages(root, options, &mut diagnostics)?,
            broken,
        },
        diagnostics,
    })
}

fn load_config(
    root: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(Config, Option<Source>), LoadError> {
    let source = match read_source(root, Path::new("archive.toml")) {
        Ok(source) => source,
        Err(ReadFailure::Io(e)) => return Err(e),
        Err(ReadFailure::Content(d)) => {
            diagnostics.push(d);
            return Ok((Config::fallback(), None));
        }
    };
    let config = match parse::toml::<Config>(&source, 0..source.text.len()) {
        Ok(config) => {
            let checks = [
                ("base_url", config.validate()),
                ("cname", config.validate_cname()),
            ];
            for (key, (message, hint)) in checks
                .into_iter()
                .filter_map(|(key, check)| check.err().map(|e| (key, e)))
            {
                let span =
                    parse::find_key_value(&source, 0..source.text.len(), key).unwrap_or(0..0);
                diagnostics.push(Diagnostic::error(message).at(&source, span).hint(hint));
            }
            config
        }
        Err(d) => {
            diagnostics.push(d);
            Config::fallback()
        }
    };
    Ok((config, Some(source)))
}

/// Story files paired with their sidecars, and sidecars with no story.
struct StoryFiles {
    pairs: Vec<(PathBuf, Option<PathBuf>)>,
    orphan_sidecars: Vec<PathBuf>,
}

fn list_story_files(root: &Path) -> Result<StoryFiles, LoadError> {
    let dir = root.join(STORIES_DIR);
    let mut stories: Vec<PathBuf> = Vec::new();
    let mut sidecars = Vec::new();
    if dir.is_dir() {
        for entry in WalkDir::new(&dir).sort_by_file_name() {
            let entry = entry.map_err(|e| LoadError::Io {
                path: e.path().unwrap_or(&dir).to_path_buf(),
                source: e.into(),
            })?;
            if !entry.file_type().is_file() {
                continue;
            }
            let relative = entry
                .path()
                .strip_prefix(root)
                .unwrap_or(entry.path())
                .to_path_buf();
            let name = entry.file_name().to_string_lossy();
            if name.starts_with('.') {
                continue;
            }
            if name.ends_with(SIDECAR_SUFFIX) {
                sidecars.push(relative);
            } else if name.ends_with(".md") {
                stories.push(relative);
            }
        }
    }
    // Stories in path order. A walk with each folder sorted by name gives
    // that order already; checking it costs a comparison per story, where
    // keeping a sorted map of paths cost a dozen (a path compares slowly).
    if !stories.is_sorted() {
        stories.sort();
    }
    stories.dedup();
    let index: HashMap<&Path, usize> = stories
        .iter()
        .enumerate()
        .map(|(i, path)| (path.as_path(), i))
        .collect();
    let mut paired: Vec<Option<PathBuf>> = vec![None; stories.len()];
    let mut orphan_sidecars = Vec::new();
    for sidecar in sidecars {
        match index.get(orphan_story_name(&sidecar).as_path()) {
            Some(&i) => paired[i] = Some(sidecar),
            None => orphan_sidecars.push(sidecar),
        }
    }
    Ok(StoryFiles {
        pairs: stories.into_iter().zip(paired).collect(),
        orphan_sidecars,
    })
}

/// The story a sidecar belongs to: `a/b.ann.toml` → `a/b.md`.
fn orphan_story_name(sidecar: &Path) -> PathBuf {
    let name = sidecar
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name.strip_suffix(SIDECAR_SUFFIX).unwrap_or(&name);
    sidecar.with_file_name(format!("{stem}.md"))
}

fn list_people_files(root: &Path) -> Result<Vec<PathBuf>, LoadError> {
    list_markdown_files(root, PEOPLE_DIR)
}

/// The `.md` files directly inside `folder` (relative to `root`), sorted.
fn list_markdown_files(root: &Path, folder: &str) -> Result<Vec<PathBuf>, LoadError> {
    let dir = root.join(folder);
    let mut paths = Vec::new();
    if !dir.is_dir() {
        return Ok(paths);
    }
    let entries = std::fs::read_dir(&dir).map_err(|source| LoadError::Io {
        path: dir.clone(),
        source,
    })?;
    for entry in entries {
        let entry = entry.map_err(|source| LoadError::Io {
            path: dir.clone(),
            source,
        })?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".md") && !name.starts_with('.') && entry.path().is_file() {
            paths.push(Path::new(folder).join(name));
        }
    }
    paths.sort();
    Ok(paths)
}

/// Loads one story (`content/stories/…/NAME.md`, relative to `root`) with its
/// sidecar if there is one; `None` when it does not parse, or is a draft and
/// drafts are not wanted. For `serve`, which reloads only what changed.
pub fn load_one_story(
    root: &Path,
    path: &Path,
    options: LoadOptions,
) -> (Option<StoryFile>, Vec<Diagnostic>) {
    let sidecar = sidecar_path(path);
    let sidecar = root.join(&sidecar).is_file().then_some(sidecar);
    let (story, diagnostics) = load_story(root, path, sidecar.as_deref());
    (
        story.filter(|s| options.drafts || !s.front.draft),
        diagnostics,
    )
}

/// The sidecar path of a story path: `a/b.md` → `a/b.ann.toml`.
pub fn sidecar_path(story: &Path) -> PathBuf {
    let name = story
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name.strip_suffix(".md").unwrap_or(&name);
    story.with_file_name(format!("{stem}{SIDECAR_SUFFIX}"))
}

fn load_story(
    root: &Path,
    path: &Path,
    sidecar: Option<&Path>,
) -> (Option<StoryFile>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let sidecar = sidecar.and_then(|p| match load_sidecar(root, p) {
        Ok(s) => Some(s),
        Err(d) => {
            diagnostics.push(d);
            None
        }
    });
    let source = match read_source(root, path) {
        Ok(source) => source,
        Err(ReadFailure::Content(d)) => {
            diagnostics.push(d);
            return (None, diagnostics);
        }
        Err(ReadFailure::Io(e)) => {
            diagnostics.push(Diagnostic::error(e.to_string()));
            return (None, diagnostics);
        }
    };
    let parsed = frontmatter::split(&source).and_then(|parts| {
        let front: StoryFront = frontmatter::parse(&source, &parts)?;
        Ok((parts, front))
    });
    let (parts, front) = match parsed {
        Ok(x) => x,
        Err(d) => {
            diagnostics.push(d);
            return (None, diagnostics);
        }
    };
    let (slug, slug_span) = match &front.slug {
        Some(slug) => {
            let span = parse::find_key_value(&source, parts.front.clone(), "slug").unwrap_or(0..0);
            if !is_valid_slug(slug) {
                diagnostics.push(
                    Diagnostic::error(format!("invalid slug `{slug}`"))
                        .at(&source, span.clone())
                        .hint(format!(
                            "a slug is lowercase letters, digits and hyphens, e.g. `{}`",
                            slugify(slug)
                        )),
                );
            }
            (slug.clone(), span)
        }
        None => (slugify(&file_stem(path)), 0..0),
    };
    let story = StoryFile {
        source,
        front,
        slug,
        slug_span,
        body: parts.body,
        sidecar,
    };
    diagnostics.extend(story.date_diagnostics(crate::date::today()));
    (Some(story), diagnostics)
}

fn load_sidecar(root: &Path, path: &Path) -> Result<SidecarFile, Diagnostic> {
    let source = match read_source(root, path) {
        Ok(source) => source,
        Err(ReadFailure::Content(d)) => return Err(d),
        Err(ReadFailure::Io(e)) => return Err(Diagnostic::error(e.to_string())),
    };
    let sidecar = parse::toml::<Sidecar>(&source, 0..source.text.len())?;
    Ok(SidecarFile { source, sidecar })
}

fn load_person(root: &Path, path: &Path) -> Result<PersonFile, Diagnostic> {
    let source = match read_source(root, path) {
        Ok(source) => source,
        Err(ReadFailure::Content(d)) => return Err(d),
        Err(ReadFailure::Io(e)) => return Err(Diagnostic::error(e.to_string())),
    };
    let parts = frontmatter::split(&source)?;
    let front: PersonFront = frontmatter::parse(&source, &parts)?;
    let id = file_stem(path);
    if !is_valid_slug(&id) {
        return Err(Diagnostic::error(format!("invalid person id `{id}`"))
            .at_start(&source)
            .hint(format!(
                "the file name is the id: rename it to `{}.md`",
                slugify(&id)
            )));
    }
    if front.name.trim().is_empty() {
        let span = parse::find_key_value(&source, parts.front.clone(), "name").unwrap_or(0..0);
        return Err(Diagnostic::error("empty `name`")
            .at(&source, span)
            .hint("give the person's full name"));
    }
    Ok(PersonFile {
        source,
        id,
        front,
        body: parts.body,
    })
}

fn load_pages(
    root: &Path,
    options: LoadOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<PageFile>, LoadError> {
    let mut pages = Vec::new();
    for path in list_markdown_files(root, PAGES_DIR)? {
        match load_page(root, &path) {
            Ok(page) if page.front.draft && !options.drafts => {}
            Ok(page) => pages.push(page),
            Err(d) => diagnostics.push(d),
        }
    }
    Ok(pages)
}

fn load_page(root: &Path, path: &Path) -> Result<PageFile, Diagnostic> {
    let source = match read_source(root, path) {
        Ok(source) => source,
        Err(ReadFailure::Content(d)) => return Err(d),
        Err(ReadFailure::Io(e)) => return Err(Diagnostic::error(e.to_string())),
    };
    let parts = frontmatter::split(&source)?;
    let front: PageFront = frontmatter::parse(&source, &parts)?;
    let name = file_stem(path);
    if !is_valid_slug(&name) || page::RESERVED_NAMES.contains(&name.as_str()) {
        return Err(Diagnostic::error(format!("a content page cannot be named `{name}`"))
            .at_start(&source)
            .hint("the file name becomes the page's URL: use lowercase letters, digits and hyphens, and not the name of a section of the site (stories, people, quotes, tags, …)"));
    }
    Ok(PageFile {
        source,
        name,
        front,
        body: parts.body,
    })
}

enum ReadFailure {
    Io(LoadError),
    Content(Diagnostic),
}

/// Reads a file as UTF-8 text; an empty file or bad bytes are content errors.
fn read_source(root: &Path, relative: &Path) -> Result<Source, ReadFailure> {
    let path = root.join(relative);
    let bytes =
        std::fs::read(&path).map_err(|source| ReadFailure::Io(LoadError::Io { path, source }))?;
    match String::from_utf8(bytes) {
        Ok(text) => {
            let source = SourceFile::new(display_path(relative), text);
            if source.text.trim().is_empty() {
                return Err(ReadFailure::Content(
                    Diagnostic::error("empty file")
                        .at_start(&source)
                        .hint("write the file's content, or delete it"),
                ));
            }
            Ok(source)
        }
        Err(err) => {
            let at = err.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
            let source = SourceFile::new(display_path(relative), text);
            let at = at.saturating_sub(if err.as_bytes().starts_with(b"\xef\xbb\xbf") {
                3
            } else {
                0
            });
            Err(ReadFailure::Content(
                Diagnostic::error("file is not valid UTF-8")
                    .at(&source, at..at + '\u{fffd}'.len_utf8())
                    .label("invalid byte here")
                    .hint("save the file as UTF-8 in your editor"),
            ))
        }
    }
}

fn read_lossy(root: &Path, relative: &Path) -> Source {
    let text = std::fs::read(root.join(relative))
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    SourceFile::new(display_path(relative), text)
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Whether `slug` is safe as a URL segment: lowercase letters, digits, `-` and `_`.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && !slug.starts_with('-')
}

/// Makes a URL-safe slug from a title or file name.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_keeps_ascii_words() {
        assert_eq!(slugify("Council Votes: 7–2!"), "council-votes-7-2");
        assert!(is_valid_slug("council-votes-7-2"));
        assert!(!is_valid_slug("Council Votes"));
    }
}

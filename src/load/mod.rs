//! The `load` stage: read `archive.toml`, stories, sidecars and people into a [`Corpus`].
//!
//! This is the only stage that reads content files. It knows nothing of HTML.
//! Files are parsed in parallel; every problem becomes a [`Diagnostic`] and the
//! files that parsed are kept, so one run reports everything.

pub mod fields;
pub mod frontmatter;
pub mod links;
pub mod page;
pub mod parse;
pub mod person;
pub mod sidecar;
pub mod slug;
pub mod story;
pub mod theme;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::source::{display_path, Source, SourceFile};
pub use page::{PageFile, PageFront};
pub use person::{PersonFile, PersonFront, Role};
pub use sidecar::{QuoteKind, QuoteStatus, Selector, Sidecar, SidecarFile};
pub use slug::{is_valid_slug, slugify};
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
    /// `archive.toml` is a folder.
    #[error("{0} is a folder: archive.toml must be a file (the archive's settings, with `title` and `base_url`)")]
    ConfigIsAFolder(PathBuf),
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

/// The path of `root`'s `archive.toml`, or why it is not an archive.
pub fn config_file(root: &Path) -> Result<PathBuf, LoadError> {
    let path = root.join("archive.toml");
    if path.is_dir() {
        return Err(LoadError::ConfigIsAFolder(path));
    }
    if !path.is_file() {
        return Err(LoadError::NotAnArchive(root.to_path_buf()));
    }
    Ok(path)
}

/// Loads the archive in `root`.
pub fn load(root: &Path, options: LoadOptions) -> Result<Loaded, LoadError> {
    config_file(root)?;
    let mut diagnostics = Vec::new();
    let (config, config_source) = load_config(root, &mut diagnostics)?;

    let mut files = list_story_files(root);
    diagnostics.append(&mut files.problems);
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

    let people_paths = list_people_files(root, &mut diagnostics);
    let people: Vec<Result<(PersonFile, Vec<Diagnostic>), Diagnostic>> = people_paths
        .par_iter()
        .map(|path| load_person(root, path))
        .collect();
    let mut loaded_people = Vec::new();
    for (path, person) in people_paths.iter().zip(people) {
        match person {
            Ok((p, mut problems)) => {
                diagnostics.append(&mut problems);
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
            let mut problems = config.problems();
            if let Err(problem) = theme_folder(root, &config.theme) {
                problems.push(("theme", problem.0, problem.1));
            }
            for (key, message, hint) in problems {
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

/// The theme `name` is built in (`default`) or a folder `themes/NAME/` of the
/// archive. Returns a message and hint otherwise.
fn theme_folder(root: &Path, name: &str) -> Result<(), (String, String)> {
    // A name that is not a plain folder name is reported by `Config::problems`.
    let plain = !name.contains(['/', '\\']) && name != ".." && name != ".";
    if name == "default" || !plain || root.join("themes").join(name).is_dir() {
        return Ok(());
    }
    let mut known: Vec<String> = std::fs::read_dir(root.join("themes"))
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    known.push("default".into());
    known.sort();
    known.dedup();
    let hint = match crate::suggest::closest(name, known.iter().map(String::as_str)) {
        Some(near) => format!("did you mean \"{near}\"? A theme is a folder themes/NAME/ holding templates/ and static/; the themes here are {}", known.join(", ")),
        None => format!("a theme is a folder themes/NAME/ holding templates/ and static/; the themes here are {}", known.join(", ")),
    };
    Err((format!("unknown theme `{name}`"), hint))
}

/// Story files paired with their sidecars, and sidecars with no story.
struct StoryFiles {
    pairs: Vec<(PathBuf, Option<PathBuf>)>,
    orphan_sidecars: Vec<PathBuf>,
    /// Links refused and folders that could not be read.
    problems: Vec<Diagnostic>,
}

fn list_story_files(root: &Path) -> StoryFiles {
    let walked = links::walk(root, STORIES_DIR, None);
    let mut stories: Vec<PathBuf> = Vec::new();
    let mut sidecars = Vec::new();
    for relative in walked.files {
        let name = relative.file_name().unwrap_or_default().as_encoded_bytes();
        if name.ends_with(SIDECAR_SUFFIX.as_bytes()) {
            sidecars.push(relative);
        } else if name.ends_with(b".md") {
            stories.push(relative);
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
    StoryFiles {
        pairs: stories.into_iter().zip(paired).collect(),
        orphan_sidecars,
        problems: walked.problems,
    }
}

/// The story a sidecar belongs to: `a/b.ann.toml` → `a/b.md`.
fn orphan_story_name(sidecar: &Path) -> PathBuf {
    replace_suffix(sidecar, SIDECAR_SUFFIX, ".md")
}

/// `path` with the end `from` of its file name replaced by `to`, byte for
/// byte, so that names that are not UTF-8 pair up too; `path` itself when its
/// name does not end so.
fn replace_suffix(path: &Path, from: &str, to: &str) -> PathBuf {
    let Some(name) = path.file_name() else {
        return path.to_path_buf();
    };
    let Some(stem) = name.as_encoded_bytes().strip_suffix(from.as_bytes()) else {
        return path.to_path_buf();
    };
    let mut bytes = stem.to_vec();
    bytes.extend_from_slice(to.as_bytes());
    // SAFETY: `stem` is the name's encoded bytes cut just before an ASCII
    // (UTF-8) suffix, and `to` is UTF-8: joined, they are valid encoded bytes.
    let name = unsafe { std::ffi::OsString::from_encoded_bytes_unchecked(bytes) };
    path.with_file_name(name)
}

fn list_people_files(root: &Path, problems: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    list_markdown_files(root, PEOPLE_DIR, problems)
}

/// The `.md` files directly inside `folder` (relative to `root`), sorted;
/// links that leave the archive are refused into `problems`.
fn list_markdown_files(root: &Path, folder: &str, problems: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let mut walked = links::walk(root, folder, Some(1));
    problems.append(&mut walked.problems);
    walked
        .files
        .into_iter()
        .filter(|p| {
            p.file_name()
                .unwrap_or_default()
                .as_encoded_bytes()
                .ends_with(b".md")
        })
        .collect()
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
    replace_suffix(story, ".md", SIDECAR_SUFFIX)
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
            diagnostics.push(unreadable(path, e));
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
    diagnostics.extend(slug::check_tags(&source, parts.front.clone(), &front.tags));
    let (slug, slug_span) = match &front.slug {
        Some(slug) => {
            let span = parse::find_key_value(&source, parts.front.clone(), "slug").unwrap_or(0..0);
            if let Some((message, hint)) = slug::explicit_name_problem("slug", slug) {
                diagnostics.push(
                    Diagnostic::error(message)
                        .at(&source, span.clone())
                        .hint(hint),
                );
            }
            (slug.clone(), span)
        }
        None => {
            let slug = slugify(&file_stem(path));
            if let Some(problem) = slug_from_file_name_problem(path, &slug) {
                // Not loaded: without a slug the story has no page, and
                // references to it are not reported again (`Broken`).
                diagnostics.push(problem.at_start(&source));
                return (None, diagnostics);
            }
            (slug, 0..0)
        }
    };
    check_story_fields(&source, parts.front.clone(), &front, &mut diagnostics);
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

/// A story's text fields: a title that shows, and no field too long to show.
fn check_story_fields(
    source: &Source,
    front: std::ops::Range<usize>,
    story: &StoryFront,
    diagnostics: &mut Vec<Diagnostic>,
) {
    use crate::config::{MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, MAX_TITLE_CHARS};
    if fields::is_blank(&story.title) {
        diagnostics.push(fields::error_at(
            source,
            front.clone(),
            "title",
            "`title` is blank".into(),
            "give the story its headline",
        ));
    }
    let mut checks = vec![("title", story.title.as_str(), MAX_TITLE_CHARS)];
    checks.extend(
        story
            .summary
            .as_deref()
            .map(|s| ("summary", s, MAX_DESCRIPTION_CHARS)),
    );
    checks.extend(
        story
            .source
            .as_deref()
            .map(|s| ("source", s, MAX_NAME_CHARS)),
    );
    checks.extend(
        story
            .authors
            .iter()
            .map(|a| ("authors", a.as_str(), MAX_NAME_CHARS)),
    );
    fields::check_lengths(source, front, checks, diagnostics);
}

/// Why the slug a story's file name gives cannot name its page, if it cannot.
fn slug_from_file_name_problem(path: &Path, slug: &str) -> Option<Diagnostic> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if slug.is_empty() {
        return Some(
            Diagnostic::error(format!(
                "the file name `{}` gives the story no slug",
                slug::shown(&name)
            ))
            .hint("a slug needs a letter or digit: give the story a `slug` in its front matter, or rename the file"),
        );
    }
    (slug.len() > slug::MAX_NAME_BYTES).then(|| {
        Diagnostic::error(slug::too_long("the slug of the file name", slug)).hint(format!(
            "the slug names the story's folder and URL: give the story a shorter `slug` in its front matter (at most {} bytes), or rename the file",
            slug::MAX_NAME_BYTES
        ))
    })
}

fn load_sidecar(root: &Path, path: &Path) -> Result<SidecarFile, Diagnostic> {
    let source = match read_source(root, path) {
        Ok(source) => source,
        Err(ReadFailure::Content(d)) => return Err(d),
        Err(ReadFailure::Io(e)) => return Err(unreadable(path, e)),
    };
    let sidecar = parse::toml::<Sidecar>(&source, 0..source.text.len())?;
    Ok(SidecarFile { source, sidecar })
}

/// Loads a person; a file that parses may still have problems, returned beside it.
fn load_person(root: &Path, path: &Path) -> Result<(PersonFile, Vec<Diagnostic>), Diagnostic> {
    let source = match read_source(root, path) {
        Ok(source) => source,
        Err(ReadFailure::Content(d)) => return Err(d),
        Err(ReadFailure::Io(e)) => return Err(unreadable(path, e)),
    };
    let parts = frontmatter::split(&source)?;
    let front: PersonFront = frontmatter::parse(&source, &parts)?;
    let id = slug::name_of_file(path);
    if let Some((message, hint)) = slug::file_name_problem("person id", &id) {
        return Err(Diagnostic::error(message).at_start(&source).hint(hint));
    }
    if fields::is_blank(&front.name) {
        let span = parse::find_key_value(&source, parts.front.clone(), "name").unwrap_or(0..0);
        return Err(Diagnostic::error("empty `name`")
            .at(&source, span)
            .hint("give the person's full name"));
    }
    let problems = person_problems(&source, parts.front.clone(), &front);
    let person = PersonFile {
        source,
        id,
        front,
        body: parts.body,
    };
    Ok((person, problems))
}

/// A person's text fields: aliases that show, and no field too long to show.
fn person_problems(
    source: &Source,
    front: std::ops::Range<usize>,
    person: &PersonFront,
) -> Vec<Diagnostic> {
    use crate::config::{MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS};
    let mut problems = Vec::new();
    for alias in person.aliases.iter().filter(|a| fields::is_blank(a)) {
        problems.push(fields::error_at(
            source,
            front.clone(),
            "aliases",
            format!("an alias is blank: {alias:?}"),
            "an alias is another name the text uses for the person, such as a surname: remove the blank one",
        ));
    }
    let mut checks = vec![("name", person.name.as_str(), MAX_NAME_CHARS)];
    checks.extend(
        person
            .aliases
            .iter()
            .map(|a| ("aliases", a.as_str(), MAX_NAME_CHARS)),
    );
    checks.extend(
        person
            .description
            .as_deref()
            .map(|d| ("description", d, MAX_DESCRIPTION_CHARS)),
    );
    checks.extend(
        person
            .roles
            .iter()
            .map(|r| ("roles", r.title.as_str(), MAX_NAME_CHARS)),
    );
    fields::check_lengths(source, front, checks, &mut problems);
    problems
}

fn load_pages(
    root: &Path,
    options: LoadOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<PageFile>, LoadError> {
    let mut pages = Vec::new();
    for path in list_markdown_files(root, PAGES_DIR, diagnostics) {
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
        Err(ReadFailure::Io(e)) => return Err(unreadable(path, e)),
    };
    let parts = frontmatter::split(&source)?;
    let front: PageFront = frontmatter::parse(&source, &parts)?;
    let name = slug::name_of_file(path);
    if !is_valid_slug(&name) || page::RESERVED_NAMES.contains(&name.as_str()) {
        return Err(Diagnostic::error(format!("a content page cannot be named `{}`", slug::shown(&name)))
            .at_start(&source)
            .hint("the file name becomes the page's URL: use lowercase letters (of any script), digits and hyphens, and not the name of a section of the site (stories, people, quotes, tags, …)"));
    }
    if name.len() > slug::MAX_NAME_BYTES {
        return Err(Diagnostic::error(slug::too_long("the page name", &name))
            .at_start(&source)
            .hint(format!("the file name becomes the page's folder and URL: rename the file to at most {} bytes", slug::MAX_NAME_BYTES)));
    }
    if fields::is_blank(&front.title) {
        return Err(fields::error_at(
            &source,
            parts.front.clone(),
            "title",
            "`title` is blank".into(),
            "give the page a title: it names the page in the footer and in the browser's tab",
        ));
    }
    let mut problems = Vec::new();
    let mut checks = vec![(
        "title",
        front.title.as_str(),
        crate::config::MAX_TITLE_CHARS,
    )];
    checks.extend(
        front
            .description
            .as_deref()
            .map(|d| ("description", d, crate::config::MAX_DESCRIPTION_CHARS)),
    );
    fields::check_lengths(&source, parts.front.clone(), checks, &mut problems);
    if let Some(problem) = problems.into_iter().next() {
        return Err(problem);
    }
    Ok(PageFile {
        source,
        name,
        front,
        body: parts.body,
    })
}

/// A content file that exists but cannot be read, as a diagnostic that names it.
fn unreadable(relative: &Path, error: LoadError) -> Diagnostic {
    let why = match &error {
        LoadError::Io { source, .. } => source.to_string(),
        other => other.to_string(),
    };
    let shown = SourceFile::new(display_path(relative), String::new());
    Diagnostic::error(format!("cannot read {}: {why}", display_path(relative)))
        .at_start(&shown)
        .hint("check that the file can be read by the user running annalist")
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

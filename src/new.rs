//! `annalist new story` and `annalist new person`: skeleton files in an archive,
//! written from the files in `src/init/`.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use walkdir::WalkDir;

use crate::cli::NewKind;
use crate::load::{slugify, PEOPLE_DIR, SIDECAR_SUFFIX, STORIES_DIR};
use crate::skeleton::{toml_string, write_new};
use crate::source::display_path;

/// Why `new` wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum NewError {
    /// The folder holds no `archive.toml`.
    #[error("{0} is not an archive: it has no archive.toml (run `annalist init` to make one, or pass --root DIR)")]
    NotAnArchive(PathBuf),
    /// The title or name gives an empty file name.
    #[error("`{0}` has no letters or digits to make a file name from: give one with some")]
    EmptySlug(String),
    /// The file to write is already there.
    #[error("{0} already exists: annalist never overwrites a file (edit it, or choose another title or name)")]
    Exists(PathBuf),
    /// Another story already has the slug.
    #[error("{path} already has the slug `{slug}`, and slugs are unique across the archive: choose another title")]
    DuplicateSlug {
        /// The slug both would have.
        slug: String,
        /// The story that has it.
        path: PathBuf,
    },
    /// A file or folder could not be read or written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// What could not be written.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Writes `content/stories/YEAR/SLUG.md` and its empty sidecar, dated `today`;
/// returns their paths relative to `root`.
pub fn story(root: &Path, title: &str, today: NaiveDate) -> Result<Vec<PathBuf>, NewError> {
    require_archive(root)?;
    let title = title.trim();
    let slug = slug_of(title)?;
    let folder = Path::new(STORIES_DIR).join(today.year().to_string());
    let story = folder.join(format!("{slug}.md"));
    let sidecar = folder.join(format!("{slug}{SIDECAR_SUFFIX}"));
    refuse_existing(root, &[&story, &sidecar])?;
    refuse_duplicate_slug(root, &slug)?;
    let text = include_str!("init/new-story.md")
        .replace("@TITLE@", &toml_string(title))
        .replace("@DATE@", &today.format("%Y-%m-%d").to_string());
    let annotations = include_str!("init/new-story.ann.toml").replace("@SLUG@", &slug);
    write(root, &story, &text)?;
    write(root, &sidecar, &annotations)?;
    Ok(vec![story, sidecar])
}

/// Writes `content/people/ID.md` with the surname as an alias; returns its path
/// relative to `root`.
pub fn person(root: &Path, name: &str) -> Result<Vec<PathBuf>, NewError> {
    require_archive(root)?;
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let id = slug_of(&name)?;
    let path = Path::new(PEOPLE_DIR).join(format!("{id}.md"));
    refuse_existing(root, &[&path])?;
    let aliases: Vec<String> = match name.rsplit_once(' ') {
        Some((_, surname)) => vec![toml_string(surname)],
        None => Vec::new(),
    };
    let text = include_str!("init/new-person.md")
        .replace("@NAME@", &toml_string(&name))
        .replace("@ALIASES@", &format!("[{}]", aliases.join(", ")));
    write(root, &path, &text)?;
    Ok(vec![path])
}

/// Runs `annalist new` for the command line: the text to print on success.
pub fn run(root: &Path, kind: &NewKind) -> Result<String, NewError> {
    let written = match kind {
        NewKind::Story { title } => story(root, title, chrono::Local::now().date_naive())?,
        NewKind::Person { name } => person(root, name)?,
    };
    Ok(written
        .iter()
        .map(|path| format!("created {}\n", display_path(path)))
        .collect())
}

fn require_archive(root: &Path) -> Result<(), NewError> {
    if root.join("archive.toml").is_file() {
        Ok(())
    } else {
        Err(NewError::NotAnArchive(root.to_path_buf()))
    }
}

/// The slug of a title or name, cut to the longest a name may be (a long
/// headline gives a file name `check` accepts).
fn slug_of(text: &str) -> Result<String, NewError> {
    let slug = slugify(text);
    if slug.is_empty() {
        Err(NewError::EmptySlug(text.to_string()))
    } else {
        Ok(crate::load::slug::truncate(&slug, crate::load::slug::MAX_NAME_BYTES).to_string())
    }
}

fn refuse_existing(root: &Path, paths: &[&Path]) -> Result<(), NewError> {
    match paths.iter().find(|path| root.join(path).exists()) {
        Some(path) => Err(NewError::Exists(path.to_path_buf())),
        None => Ok(()),
    }
}

/// Refuses a slug that a story elsewhere under `content/stories/` has by its file name.
fn refuse_duplicate_slug(root: &Path, slug: &str) -> Result<(), NewError> {
    let stories = root.join(STORIES_DIR);
    let clash = WalkDir::new(&stories)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| entry.into_path())
        .find(|path| {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            let stem = name.as_deref().and_then(|n| n.strip_suffix(".md"));
            stem.is_some_and(|stem| !stem.starts_with('.') && slugify(stem) == slug)
        });
    match clash {
        Some(path) => Err(NewError::DuplicateSlug {
            slug: slug.to_string(),
            path: path.strip_prefix(root).unwrap_or(&path).to_path_buf(),
        }),
        None => Ok(()),
    }
}

fn write(root: &Path, relative: &Path, text: &str) -> Result<(), NewError> {
    write_new(&root.join(relative), text).map_err(|source| match source.kind() {
        ErrorKind::AlreadyExists => NewError::Exists(relative.to_path_buf()),
        _ => NewError::Io {
            path: relative.to_path_buf(),
            source,
        },
    })
}

//! The `write` stage: the only code that writes the site to disk.
//!
//! A build is staged in a folder beside the output folder and swapped in with two
//! renames, so the output folder holds either the whole old site or the whole new
//! one. A manifest ([`MANIFEST_NAME`]) records what annalist wrote; anything else in
//! the folder belongs to someone else (a `CNAME` added by hand) and is carried over.

mod manifest;
mod path;
mod previous;
mod stage;
mod swap;

use std::path::{Path, PathBuf};

pub use manifest::{fnv1a64, MANIFEST_NAME};

use previous::Previous;
use swap::Place;

/// One file of the site: a path relative to the output root, with `/` separators
/// (e.g. "stories/water-deal/index.html", "style.css", ".nojekyll"), and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Where the file goes, relative to the output folder, with `/` separators.
    pub path: String,
    /// What the file holds.
    pub bytes: Vec<u8>,
}

impl OutputFile {
    /// Makes an output file from a path and its bytes.
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// What a write did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteSummary {
    /// Files whose bytes were written anew.
    pub written: usize,
    /// Files whose bytes were the same as before and were kept as they were.
    pub unchanged: usize,
    /// Files of the previous build that the new site no longer has.
    pub removed: usize,
}

/// Why the site could not be written. Each refusal leaves the output folder as it was.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The output folder holds files and no manifest: it is someone else's folder.
    #[error("{0} is not empty and was not made by annalist: choose another output folder (-o) or empty it")]
    NotOurs(PathBuf),
    /// The output path exists and is not a folder.
    #[error("{0} is not a folder: choose another output folder (-o)")]
    NotAFolder(PathBuf),
    /// The output path has no parent folder to stage the site in (e.g. `/`).
    #[error("{0} cannot be the output folder: the site is built beside it first, so it needs a parent folder")]
    NoParent(PathBuf),
    /// A path of the site is not a plain relative path.
    #[error("invalid output path {path:?}: {reason}")]
    BadPath {
        /// The path as given.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A file annalist did not make stands where the new site writes.
    #[error("{0} was not made by annalist, but the new site writes to that path: move it out of the output folder")]
    Conflict(PathBuf),
    /// The manifest of the previous build cannot be read as one.
    #[error("{path} is not an annalist manifest this version can read ({reason}): empty the output folder or choose another (-o)")]
    BadManifest {
        /// The manifest file.
        path: PathBuf,
        /// Why it could not be read.
        reason: String,
    },
    /// A file or folder operation failed.
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// What was being done, e.g. "write" or "read".
        action: &'static str,
        /// The file or folder it was done to.
        path: PathBuf,
        /// Why it failed.
        source: std::io::Error,
    },
}

impl WriteError {
    /// Makes a closure that wraps an I/O error with what was being done and to what.
    pub(crate) fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.to_path_buf();
        move |source| WriteError::Io {
            action,
            path,
            source,
        }
    }
}

/// Writes the site into `out_dir`.
///
/// The new site is built in a staging folder beside `out_dir`, together with every
/// file of the old folder that annalist did not write, then swapped in. Files the
/// previous build wrote and this one does not are gone afterwards; files whose
/// bytes did not change are hard-linked, so they keep their modification time.
/// On any error `out_dir` is left exactly as it was.
pub fn write_site(out_dir: &Path, files: Vec<OutputFile>) -> Result<WriteSummary, WriteError> {
    path::check_all(&files)?;
    let place = Place::locate(out_dir)?;
    place.recover_interrupted_swap()?;
    let previous = Previous::read(&place.dir, out_dir)?;
    previous.check_conflicts(&files)?;
    place.remove_stale()?;
    let removed = previous.removed_by(&files);
    let staged = stage::stage(&place, &previous, files).and_then(|counts| {
        place.swap(previous.exists())?;
        Ok(counts)
    });
    match staged {
        Ok(counts) => Ok(WriteSummary {
            written: counts.written,
            unchanged: counts.unchanged,
            removed,
        }),
        Err(error) => {
            place.discard_staging();
            Err(error)
        }
    }
}

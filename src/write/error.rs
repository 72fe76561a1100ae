//! Why the site could not be written: the `write` stage's one error, returned
//! by all its parts and depending on none of them.

use std::path::{Path, PathBuf};

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
    /// A folder annalist did not make has the name of this build's staging folder.
    #[error("{0} has the name of the folder this build stages the site in, but annalist did not make it: move or rename it")]
    InTheWay(PathBuf),
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

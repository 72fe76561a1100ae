//! A commit's journal: what a commit into an existing output folder will move
//! and remove, written into the staging folder before anything moves, so that
//! a commit killed halfway is finished by the next run ([`roll_forward`]),
//! which repeats the same steps: each of them can be done twice without harm.
//!
//! The commit writes it ([`super::commit`]); opening the output folder finds it
//! in a staging folder left behind and rolls it forward ([`super::place`]).

use std::fs;
use std::io::ErrorKind;
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::error::WriteError;
use super::manifest::MANIFEST_NAME;

/// The journal's file name inside the staging folder.
const JOURNAL_NAME: &str = ".annalist-journal.json";

/// What a commit does to the output folder.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct Journal {
    /// Staged files to move into place (paths relative to both folders).
    pub moves: Vec<String>,
    /// Files of the previous build to remove.
    pub removes: Vec<String>,
}

/// Whether `staging` holds the journal of a commit that was started.
pub(super) fn exists(staging: &Path) -> bool {
    staging.join(JOURNAL_NAME).is_file()
}

/// Writes the journal whole or not at all (a temporary name, then a rename).
pub(super) fn write(staging: &Path, journal: &Journal) -> Result<(), WriteError> {
    let partial = staging.join(".annalist-journal.partial");
    let json = serde_json::to_vec(journal).map_err(|e| WriteError::Io {
        action: "serialise",
        path: partial.clone(),
        source: e.into(),
    })?;
    fs::write(&partial, json).map_err(WriteError::io("write", &partial))?;
    let file = staging.join(JOURNAL_NAME);
    fs::rename(&partial, &file).map_err(WriteError::io("write", &file))
}

/// Finishes the commit whose journal is in `staging`.
pub(super) fn roll_forward(dir: &Path, staging: &Path) -> Result<(), WriteError> {
    let file = staging.join(JOURNAL_NAME);
    let text = fs::read_to_string(&file).map_err(WriteError::io("read", &file))?;
    let journal: Journal = serde_json::from_str(&text).map_err(|e| WriteError::Io {
        action: "read the journal",
        path: file.clone(),
        source: e.into(),
    })?;
    apply(dir, staging, &journal)
}

/// Removes, then moves, then puts the manifest in place.
pub(super) fn apply(dir: &Path, staging: &Path, journal: &Journal) -> Result<(), WriteError> {
    for rel in &journal.removes {
        let path = dir.join(rel);
        match fs::remove_file(&path) {
            Ok(()) => remove_empty_folders(dir, rel),
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(WriteError::io("remove", &path)(e)),
        }
    }
    journal.moves.par_iter().try_for_each(|rel| {
        let from = staging.join(rel);
        if fs::symlink_metadata(&from).is_err() {
            return Ok(()); // moved by an earlier, interrupted run
        }
        let to = dir.join(rel);
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent).map_err(WriteError::io("create", parent))?;
        }
        fs::rename(&from, &to).map_err(WriteError::io("move into place", &to))
    })?;
    let manifest = staging.join(MANIFEST_NAME);
    if manifest.is_file() {
        let to = dir.join(MANIFEST_NAME);
        fs::rename(&manifest, &to).map_err(WriteError::io("write", &to))?;
    }
    Ok(())
}

/// Removes the folders that held `rel` inside `dir`, innermost first, while
/// they are empty.
fn remove_empty_folders(dir: &Path, rel: &str) {
    let mut folder = Path::new(rel).parent();
    while let Some(f) = folder.filter(|f| !f.as_os_str().is_empty()) {
        if fs::remove_dir(dir.join(f)).is_err() {
            break;
        }
        folder = f.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::manifest::{self, Entry};

    #[test]
    fn a_journal_applied_twice_gives_the_same_folder() {
        let root = tempfile::tempdir().unwrap();
        let (dir, staging) = (root.path().join("out"), root.path().join("staging"));
        fs::create_dir_all(dir.join("old/deep")).unwrap();
        fs::write(dir.join("old/deep/index.html"), "old").unwrap();
        fs::write(dir.join("keep.html"), "keep").unwrap();
        fs::create_dir_all(staging.join("new")).unwrap();
        fs::write(staging.join("new/index.html"), "new").unwrap();
        manifest::write(&staging, vec![Entry::of("new/index.html", b"new")], None).unwrap();
        let journal = Journal {
            moves: vec!["new/index.html".into()],
            removes: vec!["old/deep/index.html".into()],
        };
        assert!(!exists(&staging));
        write(&staging, &journal).unwrap();
        assert!(exists(&staging));
        roll_forward(&dir, &staging).unwrap();
        roll_forward(&dir, &staging).unwrap();
        assert_eq!(
            fs::read_to_string(dir.join("new/index.html")).unwrap(),
            "new"
        );
        assert!(!dir.join("old").exists(), "empty folders are removed");
        assert_eq!(fs::read_to_string(dir.join("keep.html")).unwrap(), "keep");
        assert!(dir.join(MANIFEST_NAME).is_file());
    }
}

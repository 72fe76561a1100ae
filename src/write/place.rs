//! Where the output folder and its staging folder stand.
//!
//! The staging folder, `.<name>.annalist-staging-<pid>` beside the output folder,
//! holds the new and changed files of a build until it commits (see
//! [`super::commit`]). Staging left by a killed build is removed by the next one,
//! unless it holds a journal: then that build had started to commit, and the
//! next one finishes the commit first.

use std::ffi::OsString;
use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{commit, WriteError};

const STAGING_TAG: &str = ".annalist-staging-";

/// The output folder and its staging folder.
#[derive(Debug)]
pub(super) struct Place {
    /// The output folder, absolute (symbolic links resolved if it exists).
    pub dir: PathBuf,
    /// The folder that holds it.
    parent: PathBuf,
    /// Its file name.
    name: OsString,
    /// Where new and changed files wait: `.<name>.annalist-staging-<pid>`.
    pub staging: PathBuf,
    /// Whether the staging folder has been made.
    made: Mutex<bool>,
}

impl Place {
    /// Works out where `out_dir` and its staging folder stand.
    pub fn locate(out_dir: &Path) -> Result<Self, WriteError> {
        let dir = match fs::canonicalize(out_dir) {
            Ok(dir) => dir,
            Err(e) if e.kind() == ErrorKind::NotFound => {
                std::path::absolute(out_dir).map_err(WriteError::io("find", out_dir))?
            }
            Err(e) => return Err(WriteError::io("find", out_dir)(e)),
        };
        let (Some(parent), Some(name)) = (dir.parent(), dir.file_name()) else {
            return Err(WriteError::NoParent(out_dir.to_path_buf()));
        };
        let pid = std::process::id().to_string();
        Ok(Place {
            staging: parent.join(sibling_name(name, STAGING_TAG, &pid)),
            parent: parent.to_path_buf(),
            name: name.to_os_string(),
            dir,
            made: Mutex::new(false),
        })
    }

    /// Finishes the commit of a build that was killed while committing, and
    /// removes the staging folders of builds killed before they committed.
    pub fn finish_or_remove_stale(&self) -> Result<(), WriteError> {
        for path in self.siblings(STAGING_TAG)? {
            if commit::has_journal(&path) {
                commit::roll_forward(&self.dir, &path)?;
            }
            remove(&path).map_err(WriteError::io("remove stale folder", &path))?;
        }
        Ok(())
    }

    /// Whether a build's staging folder stands beside the output folder: one
    /// was stopped before it finished, or is running.
    pub fn has_staging(&self) -> Result<bool, WriteError> {
        Ok(!self.siblings(STAGING_TAG)?.is_empty())
    }

    /// The staging folder, made (with the output folder's parent) on first use.
    pub fn staging_dir(&self) -> Result<&Path, WriteError> {
        let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
        if !*made {
            fs::create_dir_all(&self.parent).map_err(WriteError::io("create", &self.parent))?;
            fs::create_dir(&self.staging).map_err(WriteError::io("create", &self.staging))?;
            *made = true;
        }
        Ok(&self.staging)
    }

    /// Removes the staging folder; the output folder is untouched.
    pub fn discard_staging(&self) {
        let made = self.made.lock().map(|m| *m).unwrap_or(true);
        if made {
            let _ = remove(&self.staging);
        }
    }

    /// Folders beside the output folder named `.<name><tag><digits>`.
    fn siblings(&self, tag: &str) -> Result<Vec<PathBuf>, WriteError> {
        let Some(name) = self.name.to_str() else {
            return Ok(Vec::new());
        };
        let prefix = format!(".{name}{tag}");
        let entries = match fs::read_dir(&self.parent) {
            Ok(entries) => entries,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(WriteError::io("read", &self.parent)(e)),
        };
        let mut found = Vec::new();
        for entry in entries {
            let entry = entry.map_err(WriteError::io("read", &self.parent))?;
            let file_name = entry.file_name();
            let ours = file_name
                .to_str()
                .and_then(|n| n.strip_prefix(&prefix))
                .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()));
            if ours {
                found.push(entry.path());
            }
        }
        found.sort();
        Ok(found)
    }
}

/// `.<name><tag><pid>`.
fn sibling_name(name: &std::ffi::OsStr, tag: &str, pid: &str) -> OsString {
    let mut sibling = OsString::from(".");
    sibling.push(name);
    sibling.push(tag);
    sibling.push(pid);
    sibling
}

/// Removes a folder and everything in it, or a file; nothing there is fine.
pub(super) fn remove(path: &Path) -> std::io::Result<()> {
    let result = match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(e) => Err(e),
    };
    match result {
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staging_stands_beside_the_output_folder() {
        let root = tempfile::tempdir().unwrap();
        let place = Place::locate(&root.path().join("public")).unwrap();
        let pid = std::process::id();
        let parent = fs::canonicalize(root.path()).unwrap();
        assert_eq!(
            place.staging,
            parent.join(format!(".public.annalist-staging-{pid}"))
        );
    }

    #[test]
    fn only_folders_named_with_the_tag_and_a_pid_are_siblings() {
        let root = tempfile::tempdir().unwrap();
        for name in [
            ".public.annalist-staging-12",
            ".public.annalist-staging-",
            ".public.annalist-staging-1x",
            ".other.annalist-staging-3",
        ] {
            fs::create_dir(root.path().join(name)).unwrap();
        }
        let place = Place::locate(&root.path().join("public")).unwrap();
        let found = place.siblings(STAGING_TAG).unwrap();
        assert_eq!(found.len(), 1);
        assert!(found[0].ends_with(".public.annalist-staging-12"));
    }

    #[test]
    fn the_root_folder_cannot_be_the_output() {
        let err = Place::locate(Path::new("/")).unwrap_err();
        assert!(matches!(err, WriteError::NoParent(_)));
    }
}

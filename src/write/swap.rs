//! Where the output folder, its staging folder and its backup stand, and the
//! renames that swap a staged site in.
//!
//! The swap is two renames: the output folder to a backup name, the staging
//! folder to the output name. A run killed between them leaves only the backup;
//! the next run finds it and puts it back before doing anything else.

use std::ffi::OsString;
use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::WriteError;

const STAGING_TAG: &str = ".annalist-staging-";
const BACKUP_TAG: &str = ".annalist-backup-";

/// The output folder and its siblings used while writing.
#[derive(Debug)]
pub(super) struct Place {
    /// The output folder, absolute (symbolic links resolved if it exists).
    pub dir: PathBuf,
    /// The folder that holds it.
    parent: PathBuf,
    /// Its file name.
    name: OsString,
    /// Where the new site is built: `.<name>.annalist-staging-<pid>`.
    staging: PathBuf,
    /// Where the old site waits during the swap: `.<name>.annalist-backup-<pid>`.
    backup: PathBuf,
}

impl Place {
    /// Works out where `out_dir` and its siblings stand.
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
            backup: parent.join(sibling_name(name, BACKUP_TAG, &pid)),
            parent: parent.to_path_buf(),
            name: name.to_os_string(),
            dir,
        })
    }

    /// Puts back the old site if a run was killed in the middle of its swap:
    /// the output folder is missing and a backup of it stands beside it.
    pub fn recover_interrupted_swap(&self) -> Result<(), WriteError> {
        if fs::symlink_metadata(&self.dir).is_ok() {
            return Ok(());
        }
        let newest = self
            .siblings(BACKUP_TAG)?
            .into_iter()
            .max_by_key(|path| modified(path));
        match newest {
            Some(backup) => {
                fs::rename(&backup, &self.dir).map_err(WriteError::io("restore", &backup))
            }
            None => Ok(()),
        }
    }

    /// Removes staging and backup folders left by runs that were killed.
    pub fn remove_stale(&self) -> Result<(), WriteError> {
        let mut stale = self.siblings(STAGING_TAG)?;
        stale.extend(self.siblings(BACKUP_TAG)?);
        for path in stale {
            remove(&path).map_err(WriteError::io("remove stale folder", &path))?;
        }
        Ok(())
    }

    /// Creates an empty staging folder, and the output folder's parent if needed.
    pub fn create_staging(&self) -> Result<&Path, WriteError> {
        fs::create_dir_all(&self.parent).map_err(WriteError::io("create", &self.parent))?;
        fs::create_dir(&self.staging).map_err(WriteError::io("create", &self.staging))?;
        Ok(&self.staging)
    }

    /// Gives the staging folder the permissions of the output folder it replaces.
    pub fn match_permissions(&self) -> Result<(), WriteError> {
        match fs::metadata(&self.dir) {
            Ok(meta) => fs::set_permissions(&self.staging, meta.permissions())
                .map_err(WriteError::io("set permissions of", &self.staging)),
            Err(_) => Ok(()),
        }
    }

    /// Swaps the staged site in; `existed` says whether there is an old folder to
    /// move aside. If the second rename fails, the old folder is put back.
    pub fn swap(&self, existed: bool) -> Result<(), WriteError> {
        if existed {
            fs::rename(&self.dir, &self.backup).map_err(WriteError::io("move aside", &self.dir))?;
        }
        if let Err(e) = fs::rename(&self.staging, &self.dir) {
            if existed {
                // If this fails too, the next run restores the backup.
                let _ = fs::rename(&self.backup, &self.dir);
            }
            return Err(WriteError::io("move into place", &self.staging)(e));
        }
        if existed {
            // The new site is in place; a backup left over is removed by the next run.
            let _ = fs::remove_dir_all(&self.backup);
        }
        Ok(())
    }

    /// Removes the staging folder after a failure; the output folder is untouched.
    pub fn discard_staging(&self) {
        let _ = remove(&self.staging);
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

/// When `path` was last modified, or the epoch if that cannot be read.
fn modified(path: &Path) -> SystemTime {
    fs::metadata(path)
        .and_then(|m| m.modified())
        .unwrap_or(SystemTime::UNIX_EPOCH)
}

/// Removes a folder and everything in it, or a file; nothing there is fine.
fn remove(path: &Path) -> std::io::Result<()> {
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
    fn staging_and_backup_stand_beside_the_output_folder() {
        let root = tempfile::tempdir().unwrap();
        let place = Place::locate(&root.path().join("public")).unwrap();
        let pid = std::process::id();
        let parent = fs::canonicalize(root.path()).unwrap();
        assert_eq!(
            place.staging,
            parent.join(format!(".public.annalist-staging-{pid}"))
        );
        assert_eq!(
            place.backup,
            parent.join(format!(".public.annalist-backup-{pid}"))
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

//! The previous output folder: which of its files annalist wrote and which are
//! someone else's.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::ErrorKind;
use std::path::{Component, Path, PathBuf};

use walkdir::WalkDir;

use super::error::WriteError;
use super::manifest::{self, Entry, MANIFEST_NAME};
use super::path::folders_of;

/// What the output folder held before this write.
#[derive(Debug)]
pub(super) struct Previous {
    /// The folder, resolved; `None` if it did not exist.
    dir: Option<PathBuf>,
    /// The folder as the user named it, for messages.
    shown: PathBuf,
    /// The previous manifest, by path.
    manifest: HashMap<String, Entry>,
    /// The previous build's record.
    pub build: Option<serde_json::Value>,
    /// Paths in the manifest that are still regular files on disk.
    ours: HashSet<String>,
    /// Entries annalist did not write: left where they are, and in the way of
    /// none of the site's paths.
    foreign: Vec<Foreign>,
}

/// Something in the output folder that annalist did not write.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Foreign {
    /// Path relative to the output folder.
    rel: PathBuf,
    /// What kind of entry it is.
    kind: ForeignKind,
}

/// The kinds of entry annalist did not write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ForeignKind {
    /// A file (anything that is neither a folder nor a symbolic link).
    File,
    /// A symbolic link.
    Symlink,
    /// A folder with nothing in it.
    EmptyDir,
}

impl Previous {
    /// Reads the output folder `dir`, refusing one that annalist did not make.
    pub fn read(dir: &Path, shown: &Path) -> Result<Self, WriteError> {
        let mut previous = Previous {
            dir: None,
            shown: shown.to_path_buf(),
            manifest: HashMap::new(),
            build: None,
            ours: HashSet::new(),
            foreign: Vec::new(),
        };
        match fs::metadata(dir) {
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(previous),
            Err(e) => return Err(WriteError::io("read", shown)(e)),
            Ok(meta) if !meta.is_dir() => return Err(WriteError::NotAFolder(shown.into())),
            Ok(_) => previous.dir = Some(dir.to_path_buf()),
        }
        let manifest_file = dir.join(MANIFEST_NAME);
        if fs::symlink_metadata(&manifest_file).is_ok() {
            let read = manifest::read(&manifest_file, &shown.join(MANIFEST_NAME))?;
            previous.manifest = read
                .files
                .into_iter()
                .map(|e| (e.path.clone(), e))
                .collect();
            previous.build = read.build;
        } else if !is_empty_dir(dir)? {
            return Err(WriteError::NotOurs(shown.into()));
        }
        previous.sort_entries(dir)?;
        Ok(previous)
    }

    /// Whether the output folder existed (empty or not).
    pub fn exists(&self) -> bool {
        self.dir.is_some()
    }

    /// Sorts every entry of `dir` into annalist's files and someone else's.
    fn sort_entries(&mut self, dir: &Path) -> Result<(), WriteError> {
        for entry in WalkDir::new(dir).min_depth(1).follow_links(false) {
            let entry = entry.map_err(|e| {
                let path = e.path().unwrap_or(dir).to_path_buf();
                WriteError::io("read", &path)(e.into())
            })?;
            let Ok(rel) = entry.path().strip_prefix(dir) else {
                continue;
            };
            let kind = entry.file_type();
            if kind.is_dir() {
                if is_empty_dir(entry.path())? {
                    self.foreign.push(Foreign::new(rel, ForeignKind::EmptyDir));
                }
                continue;
            }
            match slash_path(rel) {
                Some(key) if key == MANIFEST_NAME => {}
                Some(key) if self.manifest.contains_key(&key) => {
                    if kind.is_file() {
                        self.ours.insert(key);
                    }
                }
                _ if kind.is_symlink() => {
                    self.foreign.push(Foreign::new(rel, ForeignKind::Symlink))
                }
                _ => self.foreign.push(Foreign::new(rel, ForeignKind::File)),
            }
        }
        Ok(())
    }

    /// Refuses a site that writes where someone else's file or folder stands.
    pub fn check_conflicts(&self, paths: &[&str]) -> Result<(), WriteError> {
        if self.foreign.is_empty() {
            return Ok(());
        }
        let new_files: HashSet<&Path> = paths.iter().map(Path::new).collect();
        let new_folders: HashSet<&Path> = paths
            .iter()
            .flat_map(|p| folders_of(p).map(Path::new))
            .collect();
        for foreign in &self.foreign {
            let rel = foreign.rel.as_path();
            let clashes = new_files.contains(rel)
                || (foreign.kind != ForeignKind::EmptyDir && new_folders.contains(rel))
                || rel.ancestors().skip(1).any(|a| new_files.contains(a));
            if clashes {
                return Err(WriteError::Conflict(self.shown.join(rel)));
            }
        }
        Ok(())
    }

    /// The files of the previous build that the new site (`paths`) no longer has.
    pub fn removed_by(&self, paths: &[&str]) -> Vec<String> {
        if self.ours.is_empty() {
            return Vec::new();
        }
        let new: HashSet<&str> = paths.iter().copied().collect();
        let mut removed: Vec<String> = self
            .ours
            .iter()
            .filter(|p| !new.contains(p.as_str()))
            .cloned()
            .collect();
        removed.sort();
        removed
    }

    /// Whether the output folder already holds the file `entry` describes: the
    /// manifest says so and the file on disk still has that length.
    pub fn unchanged(&self, entry: &Entry) -> bool {
        let Some(dir) = self.dir.as_ref() else {
            return false;
        };
        if self.manifest.get(&entry.path) != Some(entry) || !self.ours.contains(&entry.path) {
            return false;
        }
        fs::symlink_metadata(dir.join(&entry.path))
            .is_ok_and(|meta| meta.is_file() && meta.len() == entry.len)
    }

    /// Whether `entries` is exactly the previous manifest.
    pub fn same(&self, entries: &[Entry]) -> bool {
        self.dir.is_some()
            && entries.len() == self.manifest.len()
            && entries
                .iter()
                .all(|e| self.manifest.get(&e.path) == Some(e))
    }
}

impl Foreign {
    fn new(rel: &Path, kind: ForeignKind) -> Self {
        Foreign {
            rel: rel.to_path_buf(),
            kind,
        }
    }
}

/// `rel` with `/` separators, if it is a plain relative UTF-8 path.
fn slash_path(rel: &Path) -> Option<String> {
    let mut parts = Vec::new();
    for component in rel.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_str()?),
            _ => return None,
        }
    }
    Some(parts.join("/"))
}

/// Whether the folder `dir` has nothing in it.
fn is_empty_dir(dir: &Path) -> Result<bool, WriteError> {
    let mut entries = fs::read_dir(dir).map_err(WriteError::io("read", dir))?;
    Ok(entries.next().is_none())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        dir
    }

    fn with_manifest(dir: &Path, paths: &[&str]) {
        let entries = paths.iter().map(|p| Entry::of(p, b"x")).collect();
        manifest::write(dir, entries, None).unwrap();
    }

    #[test]
    fn files_outside_the_manifest_are_foreign() {
        let dir = folder(&[
            ("index.html", "x"),
            ("CNAME", "example.org"),
            ("a/b.txt", ""),
        ]);
        with_manifest(dir.path(), &["index.html"]);
        let previous = Previous::read(dir.path(), dir.path()).unwrap();
        let mut rels: Vec<_> = previous.foreign.iter().map(|f| f.rel.clone()).collect();
        rels.sort();
        assert_eq!(rels, [PathBuf::from("CNAME"), PathBuf::from("a/b.txt")]);
        assert_eq!(previous.ours, HashSet::from(["index.html".to_string()]));
    }

    #[test]
    fn a_foreign_file_where_the_site_needs_a_folder_conflicts() {
        let dir = folder(&[("notes", "mine")]);
        with_manifest(dir.path(), &[]);
        let previous = Previous::read(dir.path(), dir.path()).unwrap();
        let err = previous.check_conflicts(&["notes/index.html"]).unwrap_err();
        assert!(matches!(err, WriteError::Conflict(p) if p.ends_with("notes")));
    }

    #[test]
    fn a_foreign_file_inside_a_folder_the_site_uses_does_not_conflict() {
        let dir = folder(&[("stories/extra.txt", "mine")]);
        with_manifest(dir.path(), &[]);
        let previous = Previous::read(dir.path(), dir.path()).unwrap();
        assert!(previous.check_conflicts(&["stories/index.html"]).is_ok());
    }

    #[test]
    fn slash_path_joins_components_with_slashes() {
        assert_eq!(slash_path(Path::new("a/b/c")).as_deref(), Some("a/b/c"));
        assert_eq!(slash_path(Path::new("../a")), None);
    }
}

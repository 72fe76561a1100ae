//! Where the output folder, its lock and its staging folder stand.
//!
//! A build holds the output folder's lock ([`OutputLock`]) from before it reads
//! the previous build until its commit is done, so two builds into one folder
//! take turns: the second waits, and says which process it waits for. The lock
//! is the operating system's lock on a file beside the output folder,
//! `.<name>.annalist-lock` (not inside it: it is not published, not taken for
//! someone else's file, and not in the way of the first build's rename of its
//! staging folder into place). The system lets go of it when its process ends,
//! however it ends, so the file a killed build leaves holds no one up; a build
//! removes the file when it is done.
//!
//! The staging folder, `.<name>.annalist-staging-<pid>` beside the output folder,
//! holds the new and changed files of a build until it commits (see
//! [`super::commit`], and [`super::journal`] for the commit's journal). The
//! first thing written into it is a marker ([`MARKER_NAME`]): only a folder with
//! the marker, or with a commit's journal, is annalist's. While a build holds
//! the lock no other build stages, so the staging folders of annalist's that it
//! finds were left by killed builds: it removes them, unless one holds a
//! journal: then that build had started to commit, and this one finishes the
//! commit first. A folder of that name without the marker is someone else's and
//! is left alone.

use std::ffi::OsString;
use std::fmt;
use std::fs::{self, File, TryLockError};
use std::io::{ErrorKind, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::error::WriteError;
use super::journal;

const STAGING_TAG: &str = ".annalist-staging-";
const LOCK_TAG: &str = ".annalist-lock";

/// The file written first into every staging folder annalist makes, so that
/// the next build removes only folders annalist made (a site path may not have
/// this name).
pub(super) const MARKER_NAME: &str = ".annalist-staging";

/// What the marker says to someone who finds it.
const MARKER_TEXT: &str =
    "annalist stages a build in this folder; if that build was stopped, the next one removes it.\n";

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
    /// removes the staging folders of builds killed before they committed. Call
    /// it only while holding the lock ([`OutputLock`]): then no staging folder
    /// of annalist's belongs to a running build. Refuses to go on when a folder
    /// annalist did not make has this build's staging folder's name.
    pub fn finish_or_remove_stale(&self) -> Result<(), WriteError> {
        for path in self.siblings(STAGING_TAG)? {
            if !made_by_annalist(&path) {
                continue;
            }
            if journal::exists(&path) {
                journal::roll_forward(&self.dir, &path)?;
            }
            remove(&path).map_err(WriteError::io("remove stale folder", &path))?;
        }
        if fs::symlink_metadata(&self.staging).is_ok() {
            return Err(WriteError::InTheWay(self.staging.clone()));
        }
        Ok(())
    }

    /// Whether a staging folder of annalist's stands beside the output folder:
    /// a build was stopped before it finished, or is running.
    pub fn has_staging(&self) -> Result<bool, WriteError> {
        Ok(self
            .siblings(STAGING_TAG)?
            .iter()
            .any(|path| made_by_annalist(path)))
    }

    /// The staging folder, made (with the output folder's parent) on first use,
    /// its marker written first.
    pub fn staging_dir(&self) -> Result<&Path, WriteError> {
        let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
        if !*made {
            fs::create_dir_all(&self.parent).map_err(WriteError::io("create", &self.parent))?;
            fs::create_dir(&self.staging).map_err(|e| match e.kind() {
                ErrorKind::AlreadyExists => WriteError::InTheWay(self.staging.clone()),
                _ => WriteError::io("create", &self.staging)(e),
            })?;
            let marker = self.staging.join(MARKER_NAME);
            if let Err(e) = fs::write(&marker, MARKER_TEXT) {
                let _ = remove(&self.staging);
                return Err(WriteError::io("write", &marker)(e));
            }
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

/// Whether the folder at `path` was made by annalist: a folder (not a link to
/// one) holding the marker, or the journal of a commit.
fn made_by_annalist(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|meta| meta.is_dir())
        && (path.join(MARKER_NAME).is_file() || journal::exists(path))
}

/// An output folder locked for one build: while one build holds it, another
/// that asks waits. Dropped, it removes its lock file and lets go.
#[derive(Debug)]
pub struct OutputLock {
    /// The output folder and its staging folder.
    place: Place,
    /// The output folder as the caller named it, for messages.
    shown: PathBuf,
    /// The lock file, `.<name>.annalist-lock` beside the output folder.
    path: PathBuf,
    /// The lock file, open: the system's lock is on it.
    file: same_file::Handle,
}

impl OutputLock {
    /// Locks the output folder `out_dir` for a build. While another build holds
    /// the lock, tells `on_wait` who that is and waits for it. Makes the output
    /// folder's parent, where the lock file goes, if need be.
    pub fn acquire(out_dir: &Path, on_wait: &mut dyn FnMut(&Holder)) -> Result<Self, WriteError> {
        let place = Place::locate(out_dir)?;
        fs::create_dir_all(&place.parent).map_err(WriteError::io("create", &place.parent))?;
        let path = place.parent.join(sibling_name(&place.name, LOCK_TAG, ""));
        let file = loop {
            let file = File::options()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(WriteError::io("open the lock file", &path))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    on_wait(&Holder::read(&file, out_dir));
                    file.lock().map_err(WriteError::io("lock", &path))?;
                }
                // A file system without locks: build as if there were none.
                Err(TryLockError::Error(e)) if e.kind() == ErrorKind::Unsupported => {}
                Err(TryLockError::Error(e)) => return Err(WriteError::io("lock", &path)(e)),
            }
            // The build that held the lock removed the file before it let go:
            // this lock is then on a file that is gone, and a third build may
            // have made and locked a new one. Try again on the file there now.
            let held = same_file::Handle::from_file(file).map_err(WriteError::io("read", &path))?;
            match same_file::Handle::from_path(&path) {
                Ok(named) if named == held => break held,
                Ok(_) => {}
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => return Err(WriteError::io("read", &path)(e)),
            }
        };
        let lock = OutputLock {
            place,
            shown: out_dir.to_path_buf(),
            path,
            file,
        };
        lock.write_holder()?;
        Ok(lock)
    }

    /// The output folder and its staging folder.
    pub(super) fn place(&self) -> &Place {
        &self.place
    }

    /// The output folder, as the caller named it.
    pub fn out_dir(&self) -> &Path {
        &self.shown
    }

    /// Writes this process's id and the time into the lock file, for a build
    /// that waits to say whom it waits for.
    fn write_holder(&self) -> Result<(), WriteError> {
        let text = format!(
            "pid: {}\nsince: {}\n# annalist holds this file's lock while it builds into {}; it removes the file when done.\n",
            std::process::id(),
            chrono::Local::now().format("%Y-%m-%d %H:%M:%S %:z"),
            self.place.dir.display(),
        );
        let mut file = self.file.as_file();
        file.set_len(0)
            .and_then(|()| file.seek(SeekFrom::Start(0)))
            .and_then(|_| file.write_all(text.as_bytes()))
            .map_err(WriteError::io("write", &self.path))
    }
}

impl Drop for OutputLock {
    /// Removes the lock file while still holding its lock (which goes when the
    /// file is closed, just after): a build that was waiting on it then sees
    /// that it is gone and locks the one there now, or makes one.
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// The build that holds an output folder's lock, as its lock file says: what a
/// build that waits for it reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    /// Its process id, if the file says.
    pub pid: Option<u32>,
    /// When it took the lock, as the file says (its local time, with the offset).
    pub since: Option<String>,
    /// The output folder, as the waiting build names it.
    pub out_dir: PathBuf,
}

impl Holder {
    /// Reads the lock file `file` (which a build that has just taken the lock
    /// may not have written yet: then nothing is known).
    fn read(file: &File, out_dir: &Path) -> Self {
        let mut bytes = Vec::new();
        let _ = file.take(4096).read_to_end(&mut bytes);
        Holder::parse(&String::from_utf8_lossy(&bytes), out_dir)
    }

    /// Reads the `pid:` and `since:` lines of a lock file's text.
    fn parse(text: &str, out_dir: &Path) -> Self {
        let field = |key: &str| {
            text.lines()
                .find_map(|line| line.strip_prefix(key))
                .map(|value| {
                    value
                        .trim()
                        .chars()
                        .filter(|c| !c.is_control())
                        .take(64)
                        .collect::<String>()
                })
                .filter(|value| !value.is_empty())
        };
        Holder {
            pid: field("pid:").and_then(|pid| pid.parse().ok()),
            since: field("since:"),
            out_dir: out_dir.to_path_buf(),
        }
    }
}

impl fmt::Display for Holder {
    /// `waiting for pid 1234, which has been building into public since
    /// 2025-06-01 12:03:04 +02:00, to finish`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let out = self.out_dir.display();
        match self.pid {
            Some(pid) => write!(
                f,
                "waiting for pid {pid}, which has been building into {out}"
            )?,
            None => write!(f, "waiting for another annalist build into {out}")?,
        }
        if let Some(since) = &self.since {
            write!(f, " since {since}")?;
        }
        write!(f, ", to finish")
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
    fn the_staging_folder_is_marked_first_and_only_marked_folders_count() {
        let root = tempfile::tempdir().unwrap();
        let theirs = root.path().join(".public.annalist-staging-12");
        fs::create_dir(&theirs).unwrap();
        let place = Place::locate(&root.path().join("public")).unwrap();
        assert!(!place.has_staging().unwrap(), "a folder without the marker");
        let staging = place.staging_dir().unwrap();
        assert!(staging.join(MARKER_NAME).is_file());
        assert!(place.has_staging().unwrap());
        place.discard_staging();
        fs::write(theirs.join(".annalist-journal.json"), "{}").unwrap();
        assert!(place.has_staging().unwrap(), "a journal marks it too");
    }

    #[test]
    fn a_second_lock_waits_for_the_first_then_holds_the_file_that_is_there() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("public");
        let first = OutputLock::acquire(&out, &mut |h| panic!("{h}")).unwrap();
        let lock_file = first.path.clone();
        assert!(lock_file.ends_with(".public.annalist-lock"));
        let (told, heard) = std::sync::mpsc::channel();
        let waiter = std::thread::spawn(move || {
            OutputLock::acquire(&out, &mut |holder| told.send(holder.clone()).unwrap())
        });
        let holder = heard.recv().unwrap();
        assert_eq!(holder.pid, Some(std::process::id()));
        assert!(holder.since.is_some(), "{holder:?}");
        // The first removes its file as it lets go: the second, which waited
        // on that file, must lock the one at the path instead.
        drop(first);
        let second = waiter.join().unwrap().unwrap();
        let other = File::open(&lock_file).unwrap();
        assert!(matches!(other.try_lock(), Err(TryLockError::WouldBlock)));
        drop(other);
        drop(second);
        assert!(!lock_file.exists(), "the lock file is removed when done");
    }

    #[test]
    fn a_lock_file_whose_lock_is_gone_is_taken_over() {
        let root = tempfile::tempdir().unwrap();
        let lock_file = root.path().join(".public.annalist-lock");
        fs::write(
            &lock_file,
            "pid: 999999\nsince: long ago, and more text than before\n",
        )
        .unwrap();
        let lock =
            OutputLock::acquire(&root.path().join("public"), &mut |h| panic!("{h}")).unwrap();
        let holder = Holder::parse(
            &fs::read_to_string(&lock_file).unwrap(),
            Path::new("public"),
        );
        assert_eq!(holder.pid, Some(std::process::id()));
        assert!(!holder.since.unwrap().contains("long ago"));
        drop(lock);
    }

    #[test]
    fn the_holder_is_told_as_the_lock_file_says() {
        let holder = Holder::parse(
            "pid: 1234\nsince: 2025-06-01 12:03:04 +02:00\n# a note\n",
            Path::new("public"),
        );
        assert_eq!(
            holder.to_string(),
            "waiting for pid 1234, which has been building into public since 2025-06-01 12:03:04 +02:00, to finish"
        );
        let unknown = Holder::parse("pid: x\u{1b}[2J\n", Path::new("public"));
        assert_eq!(
            unknown.to_string(),
            "waiting for another annalist build into public, to finish"
        );
        let escaped = Holder::parse("pid: 7\nsince: \u{1b}[2Jnow\n", Path::new("out"));
        assert_eq!(escaped.since.as_deref(), Some("[2Jnow"));
    }

    #[test]
    fn the_root_folder_cannot_be_the_output() {
        let err = Place::locate(Path::new("/")).unwrap_err();
        assert!(matches!(err, WriteError::NoParent(_)));
    }
}

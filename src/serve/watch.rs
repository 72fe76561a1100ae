//! Watching the archive for changes: native events where they work, polling
//! otherwise (or with `--poll`), debounced, ignoring editors' temporary files.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, ModifyKind};
use notify::{Config, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};

/// How long the archive must be quiet before a rebuild starts.
pub const DEBOUNCE: Duration = Duration::from_millis(30);
/// How often the polling watcher looks.
pub const POLL_INTERVAL: Duration = Duration::from_millis(250);

/// What a set of changed files calls for, from the least to the most work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// Stylesheets only: copy them, swap them in the browser.
    Stylesheets,
    /// Static files: copy them.
    Statics,
    /// Templates: render again without reading content.
    Templates,
    /// Content or settings: load, check and render again.
    Content,
}

/// A running watcher; watching stops when it is dropped.
pub enum ArchiveWatcher {
    /// Native file system events.
    Native(RecommendedWatcher),
    /// Polling.
    Poll(PollWatcher),
}

/// The folders and files of an archive that are watched.
pub fn watched_paths(root: &Path) -> Vec<PathBuf> {
    ["content", "templates", "themes", "static", "archive.toml"]
        .iter()
        .map(|p| root.join(p))
        .filter(|p| p.exists())
        .collect()
}

/// Starts watching `root`, sending changed paths to `sender`.
pub fn watch(root: &Path, poll: bool, sender: Sender<PathBuf>) -> notify::Result<ArchiveWatcher> {
    let handler = move |event: notify::Result<notify::Event>| {
        if let Some(event) = event.ok().filter(|e| is_a_change(&e.kind)) {
            for path in event.paths {
                let _ = sender.send(path);
            }
        }
    };
    let mut watcher = if poll {
        ArchiveWatcher::Poll(PollWatcher::new(
            handler,
            Config::default()
                .with_poll_interval(POLL_INTERVAL)
                .with_compare_contents(true),
        )?)
    } else {
        match RecommendedWatcher::new(handler.clone(), Config::default()) {
            Ok(w) => ArchiveWatcher::Native(w),
            Err(_) => ArchiveWatcher::Poll(PollWatcher::new(
                handler,
                Config::default().with_poll_interval(POLL_INTERVAL),
            )?),
        }
    };
    for path in watched_paths(root) {
        let mode = if path.is_dir() {
            RecursiveMode::Recursive
        } else {
            RecursiveMode::NonRecursive
        };
        match &mut watcher {
            ArchiveWatcher::Native(w) => w.watch(&path, mode)?,
            ArchiveWatcher::Poll(w) => w.watch(&path, mode)?,
        }
    }
    Ok(watcher)
}

impl ArchiveWatcher {
    /// Whether this watcher polls.
    pub fn is_polling(&self) -> bool {
        matches!(self, ArchiveWatcher::Poll(_))
    }
}

/// Whether an event changes a file: reading files (as every build does) and
/// access-time updates are not changes, or each build would start another.
fn is_a_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) | EventKind::Any | EventKind::Other => false,
    }
}

/// Waits for a change, then for a quiet moment; returns what the changes call for.
/// `None` when the watcher has stopped.
pub fn next_change(root: &Path, receiver: &Receiver<PathBuf>) -> Option<(Change, Vec<PathBuf>)> {
    loop {
        let first = receiver.recv().ok()?;
        let mut paths = vec![first];
        loop {
            match receiver.recv_timeout(DEBOUNCE) {
                Ok(path) => paths.push(path),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
        paths.retain(|p| !is_editor_scratch(p));
        paths.sort();
        paths.dedup();
        if let Some(change) = paths.iter().filter_map(|p| classify(root, p)).max() {
            return Some((change, paths));
        }
    }
}

/// Swap, backup and lock files that editors write beside the real one.
pub fn is_editor_scratch(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
        return true;
    };
    name.starts_with('.')
        || name.ends_with('~')
        || name.starts_with('#')
        || name == "4913"
        || [".swp", ".swx", ".swo", ".tmp", ".bak", ".crswap"]
            .iter()
            .any(|s| name.ends_with(s))
}

/// What a change to `path` calls for; `None` for files outside what is watched.
pub fn classify(root: &Path, path: &Path) -> Option<Change> {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let mut parts = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let first = parts.next()?;
    let is_css = relative.extension().is_some_and(|e| e == "css");
    let static_change = if is_css {
        Change::Stylesheets
    } else {
        Change::Statics
    };
    match first.as_str() {
        "content" | "archive.toml" => Some(Change::Content),
        "templates" => Some(Change::Templates),
        "static" => Some(static_change),
        "themes" => {
            let _theme = parts.next()?;
            match parts.next()?.as_str() {
                "templates" => Some(Change::Templates),
                "static" => Some(static_change),
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_classified_by_folder() {
        let root = Path::new("/a");
        assert_eq!(
            classify(root, Path::new("/a/content/stories/x.md")),
            Some(Change::Content)
        );
        assert_eq!(
            classify(root, Path::new("/a/archive.toml")),
            Some(Change::Content)
        );
        assert_eq!(
            classify(root, Path::new("/a/templates/story.html")),
            Some(Change::Templates)
        );
        assert_eq!(
            classify(root, Path::new("/a/themes/default/static/style.css")),
            Some(Change::Stylesheets)
        );
        assert_eq!(
            classify(root, Path::new("/a/static/logo.png")),
            Some(Change::Statics)
        );
        assert_eq!(classify(root, Path::new("/a/public/index.html")), None);
    }

    #[test]
    fn editor_scratch_files_are_ignored() {
        for name in [".x.md.swp", "x.md~", "#x.md#", "4913", ".#x.md", "x.md.tmp"] {
            assert!(is_editor_scratch(Path::new(name)), "{name}");
        }
        assert!(!is_editor_scratch(Path::new("x.md")));
    }
}

//! Symbolic links in an archive: one rule for every file that is read
//! (stories, sidecars, people, pages, templates, static files). A link whose
//! target stays inside the archive is followed as if the file were there; a
//! link that leaves the archive, or leads nowhere, is refused with a message,
//! and what it points at is never read.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;
use crate::source::{display_path, SourceFile};

/// What a walk of a folder of the archive found.
#[derive(Debug, Default)]
pub struct Walked {
    /// Files (or links to files inside the archive), relative to the root, in
    /// path order.
    pub files: Vec<PathBuf>,
    /// Links refused, folders that could not be read.
    pub problems: Vec<Diagnostic>,
}

/// Walks `folder` (relative to `root`) for files, following links that stay
/// inside the archive; `depth` 1 lists the folder alone, `None` every level.
pub fn walk(root: &Path, folder: &str, depth: Option<usize>) -> Walked {
    let mut walked = Walked::default();
    let dir = root.join(folder);
    if !dir.is_dir() {
        return walked;
    }
    let inside = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut entries = WalkDir::new(&dir)
        .follow_links(true)
        .min_depth(1)
        .sort_by_file_name();
    if let Some(depth) = depth {
        entries = entries.max_depth(depth);
    }
    let mut entries = entries.into_iter();
    while let Some(entry) = entries.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().unwrap_or(&dir).to_path_buf();
                let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
                if is_hidden(&relative) {
                    continue;
                }
                walked.problems.push(unreadable(&relative, &path, &err));
                continue;
            }
        };
        let relative = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .to_path_buf();
        if is_hidden(&relative) {
            if entry.file_type().is_dir() {
                entries.skip_current_dir();
            }
            continue;
        }
        if entry.path_is_symlink() {
            if let Err(problem) = check_link(&inside, entry.path(), &relative) {
                walked.problems.push(problem);
                if entry.file_type().is_dir() {
                    entries.skip_current_dir();
                }
                continue;
            }
        }
        if entry.file_type().is_file() {
            walked.files.push(relative);
        }
    }
    walked
}

/// Whether a path's own name is hidden (`.git`, `.DS_Store`, an editor's
/// `.#file`): such files are never content.
fn is_hidden(relative: &Path) -> bool {
    relative
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

/// A link at `path` is followed only when its target is inside `root` (canonical).
pub fn check_link(root: &Path, path: &Path, relative: &Path) -> Result<(), Diagnostic> {
    let shown = SourceFile::new(display_path(relative), String::new());
    match std::fs::canonicalize(path) {
        Ok(target) if target.starts_with(root) => Ok(()),
        Ok(target) => Err(Diagnostic::error(format!(
            "{} is a symbolic link to {}, outside the archive",
            display_path(relative),
            target.display()
        ))
        .at_start(&shown)
        .hint("annalist reads only files inside the archive folder: copy the file into the archive, or link to a file inside it")),
        Err(err) => Err(Diagnostic::error(format!(
            "{} is a symbolic link that leads nowhere ({err})",
            display_path(relative)
        ))
        .at_start(&shown)
        .hint("point the link at an existing file inside the archive, or remove it")),
    }
}

fn unreadable(relative: &Path, path: &Path, err: &walkdir::Error) -> Diagnostic {
    let shown = SourceFile::new(display_path(relative), String::new());
    if err.loop_ancestor().is_some() {
        return Diagnostic::error(format!(
            "{} leads back into a folder that holds it (a loop of symbolic links)",
            display_path(relative)
        ))
        .at_start(&shown)
        .hint("a folder link that loops back would be read forever: remove the link");
    }
    let dangling = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if dangling {
        return Diagnostic::error(format!(
            "{} is a symbolic link that leads nowhere",
            display_path(relative)
        ))
        .at_start(&shown)
        .hint("point the link at an existing file inside the archive, or remove it");
    }
    let why = err
        .io_error()
        .map_or_else(|| err.to_string(), ToString::to_string);
    Diagnostic::error(format!("cannot read {}: {why}", display_path(relative)))
        .at_start(&shown)
        .hint("check that the file or folder can be read")
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn archive() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("archive");
        std::fs::create_dir_all(root.join("content/stories/2025")).unwrap();
        std::fs::create_dir_all(root.join("drafts")).unwrap();
        std::fs::write(root.join("content/stories/2025/a.md"), "a").unwrap();
        std::fs::write(root.join("drafts/b.md"), "b").unwrap();
        std::fs::write(dir.path().join("outside.md"), "secret").unwrap();
        (dir, root)
    }

    #[test]
    fn links_inside_the_archive_are_followed() {
        let (_dir, root) = archive();
        symlink(root.join("drafts/b.md"), root.join("content/stories/b.md")).unwrap();
        symlink(root.join("drafts"), root.join("content/stories/more")).unwrap();
        let walked = walk(&root, "content/stories", None);
        assert!(walked.problems.is_empty(), "{:?}", walked.problems);
        let files: Vec<String> = walked.files.iter().map(|p| display_path(p)).collect();
        assert_eq!(
            files,
            [
                "content/stories/2025/a.md",
                "content/stories/b.md",
                "content/stories/more/b.md"
            ]
        );
    }

    #[test]
    fn links_out_of_the_archive_or_to_nothing_are_refused_by_name() {
        let (dir, root) = archive();
        symlink(
            dir.path().join("outside.md"),
            root.join("content/stories/x.md"),
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("elsewhere")).unwrap();
        std::fs::write(dir.path().join("elsewhere/c.md"), "c").unwrap();
        symlink(
            dir.path().join("elsewhere"),
            root.join("content/stories/up"),
        )
        .unwrap();
        symlink(
            root.join("nowhere.md"),
            root.join("content/stories/gone.md"),
        )
        .unwrap();
        symlink(root.join("content"), root.join("content/stories/loop")).unwrap();
        let walked = walk(&root, "content/stories", None);
        let files: Vec<String> = walked.files.iter().map(|p| display_path(p)).collect();
        assert_eq!(files, ["content/stories/2025/a.md"]);
        let messages: Vec<String> = walked.problems.iter().map(|d| d.message.clone()).collect();
        assert_eq!(messages.len(), 4, "{messages:?}");
        assert!(messages.iter().any(|m| m
            .starts_with("content/stories/x.md is a symbolic link to")
            && m.ends_with("outside the archive")));
        assert!(messages
            .iter()
            .any(|m| m.starts_with("content/stories/up is a symbolic link to")));
        assert!(messages.iter().any(
            |m| m.starts_with("content/stories/gone.md is a symbolic link that leads nowhere")
        ));
        assert!(messages.iter().any(|m| m.contains("loop")), "{messages:?}");
        assert!(walked
            .problems
            .iter()
            .all(|d| d.path().is_some_and(|p| p.starts_with("content/stories/"))));
    }

    #[test]
    fn only_the_top_folder_with_depth_one() {
        let (_dir, root) = archive();
        std::fs::write(root.join("content/stories/top.md"), "t").unwrap();
        let walked = walk(&root, "content/stories", Some(1));
        let files: Vec<String> = walked.files.iter().map(|p| display_path(p)).collect();
        assert_eq!(files, ["content/stories/top.md"]);
    }
}

//! Checks that every path of the site is a plain relative path, listed once.

use std::collections::HashSet;
use std::path::{Component, Path};

use super::error::WriteError;
use super::manifest::MANIFEST_NAME;
use super::place::MARKER_NAME;

/// Checks that no path of the site (each already [`check`]ed) is listed twice or
/// used both as a file and as a folder.
pub(super) fn check_set(paths: &[&str]) -> Result<(), WriteError> {
    let mut seen = HashSet::with_capacity(paths.len());
    for path in paths {
        if !seen.insert(*path) {
            return Err(bad(path, "it is listed twice".into()));
        }
    }
    for path in paths {
        if let Some(folder) = folders_of(path).find(|f| seen.contains(f)) {
            let reason = format!("it is a file, but {path:?} needs a folder there");
            return Err(bad(folder, reason));
        }
    }
    Ok(())
}

/// Says what is wrong with `path` as a path inside the output folder, if anything.
pub(super) fn check(path: &str) -> Result<(), String> {
    if path.is_empty() {
        return Err("it is empty".into());
    }
    if path.starts_with('/') {
        return Err("it is absolute: paths of the site are relative to the output folder".into());
    }
    if path.contains('\\') {
        return Err("it contains `\\`: separate folders with `/`".into());
    }
    if path.contains('\0') {
        return Err("it contains a NUL character".into());
    }
    if path == MANIFEST_NAME {
        return Err("it is the name of annalist's own manifest".into());
    }
    if path == MARKER_NAME {
        return Err("it is the name of the file that marks annalist's staging folder".into());
    }
    for segment in path.split('/') {
        match segment {
            "" => return Err("it has an empty segment (`//` or a trailing `/`)".into()),
            "." => return Err("it has a `.` segment".into()),
            ".." => return Err("it has a `..` segment, which would leave the output folder".into()),
            _ => {}
        }
    }
    let plain = Path::new(path)
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    if !plain {
        return Err("it is not a plain relative path on this system".into());
    }
    Ok(())
}

/// The folders that hold `path`, outermost first: "a/b/c" gives "a", "a/b".
pub(super) fn folders_of(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(i, _)| &path[..i])
}

fn bad(path: &str, reason: String) -> WriteError {
    WriteError::BadPath {
        path: path.to_string(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_relative_paths_are_accepted() {
        for path in [
            "index.html",
            ".nojekyll",
            "stories/water-deal/index.html",
            "a/.annalist-manifest.json",
            "people/josé/index.html",
            "..hidden/x",
        ] {
            assert_eq!(check(path), Ok(()), "{path}");
        }
    }

    #[test]
    fn paths_that_leave_or_blur_the_output_folder_are_rejected() {
        for path in [
            "",
            "/etc/passwd",
            "../x",
            "a/../b",
            "a/..",
            "./a",
            "a/./b",
            "a//b",
            "a/",
            "a\\b",
            "a\0b",
            ".annalist-manifest.json",
            ".annalist-staging",
        ] {
            assert!(check(path).is_err(), "{path:?} was accepted");
        }
    }

    #[test]
    fn a_path_listed_twice_is_rejected() {
        let err = check_set(&["a.html", "b.html", "a.html"]).unwrap_err();
        assert!(
            err.to_string().contains("\"a.html\": it is listed twice"),
            "{err}"
        );
    }

    #[test]
    fn a_path_used_as_file_and_folder_is_rejected() {
        let err = check_set(&["people/x/index.html", "people"]).unwrap_err();
        let message = err.to_string();
        assert!(message.contains("\"people\""), "{message}");
        assert!(message.contains("people/x/index.html"), "{message}");
    }

    #[test]
    fn folders_of_a_path_are_listed_outermost_first() {
        assert_eq!(folders_of("a/b/c").collect::<Vec<_>>(), ["a", "a/b"]);
        assert_eq!(folders_of("c").count(), 0);
    }
}

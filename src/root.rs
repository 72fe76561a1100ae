//! The archive folder, resolved once where a command starts.
//!
//! However the root is given (`.`, `../x`, an absolute path, a path through a
//! symbolic link), every stage sees one absolute, canonical path: the file
//! watcher reports canonical paths, and comparing them with a root given as `.`
//! would drop every change. What authors read stays relative to the archive
//! ([`shown`]).

use std::path::{Path, PathBuf};

/// Why the given root cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum RootError {
    /// Nothing is there.
    #[error("{0} does not exist (pass --root DIR, the folder that holds archive.toml)")]
    Missing(PathBuf),
    /// A file, not a folder.
    #[error("{0} is a file, not a folder (pass --root DIR, the folder that holds archive.toml)")]
    NotAFolder(PathBuf),
    /// It could not be resolved.
    #[error("cannot resolve {path}: {source}")]
    Io {
        /// The root as given.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// The canonical, absolute path of the archive folder `given`.
pub fn resolve(given: &Path) -> Result<PathBuf, RootError> {
    let canonical = std::fs::canonicalize(given).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            RootError::Missing(given.to_path_buf())
        } else {
            RootError::Io {
                path: given.to_path_buf(),
                source,
            }
        }
    })?;
    if !canonical.is_dir() {
        return Err(RootError::NotAFolder(given.to_path_buf()));
    }
    Ok(canonical)
}

/// `path` as an author would name it: relative to the archive folder `root`
/// when it is inside it (`public`), as it is otherwise.
pub fn shown(path: &Path, root: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(inside) if inside.as_os_str().is_empty() => ".".into(),
        Ok(inside) => crate::source::display_path(inside),
        Err(_) => path.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relative_root_becomes_absolute_and_canonical() {
        let dir = tempfile::tempdir().unwrap();
        let canonical = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir(dir.path().join("a")).unwrap();
        let resolved = resolve(&dir.path().join("a/../a/.")).unwrap();
        assert_eq!(resolved, canonical.join("a"));
        assert!(resolved.is_absolute());
    }

    #[cfg(unix)]
    #[test]
    fn a_root_through_a_symbolic_link_is_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let canonical = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir(dir.path().join("real")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("real"), dir.path().join("link")).unwrap();
        assert_eq!(
            resolve(&dir.path().join("link")).unwrap(),
            canonical.join("real")
        );
    }

    #[test]
    fn a_missing_root_or_a_file_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope");
        let err = resolve(&missing).unwrap_err();
        assert!(matches!(err, RootError::Missing(_)), "{err}");
        assert!(err.to_string().contains("nope"), "{err}");
        std::fs::write(dir.path().join("file"), "x").unwrap();
        let err = resolve(&dir.path().join("file")).unwrap_err();
        assert!(matches!(err, RootError::NotAFolder(_)), "{err}");
    }

    #[test]
    fn paths_inside_the_archive_are_shown_relative_to_it() {
        let root = Path::new("/a/archive");
        assert_eq!(shown(&root.join("public"), root), "public");
        assert_eq!(shown(&root.join("out/site"), root), "out/site");
        assert_eq!(shown(root, root), ".");
        assert_eq!(shown(Path::new("/elsewhere/site"), root), "/elsewhere/site");
    }
}

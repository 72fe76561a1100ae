//! Builds the new site in the staging folder: new files, unchanged files linked
//! from the previous build, someone else's files carried over, the manifest last.

use std::fs;
use std::io;
use std::path::Path;

use rayon::prelude::*;

use super::manifest::{self, Entry};
use super::previous::{Foreign, ForeignKind, Previous};
use super::swap::Place;
use super::{OutputFile, WriteError};

/// How many files were written and how many kept.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Counts {
    /// Files written from their bytes.
    pub written: usize,
    /// Files linked or copied from the previous build.
    pub unchanged: usize,
}

/// What happened to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Written,
    Unchanged,
}

/// Fills a fresh staging folder with the whole new site and its manifest.
pub(super) fn stage(
    place: &Place,
    previous: &Previous,
    files: Vec<OutputFile>,
) -> Result<Counts, WriteError> {
    let staging = place.create_staging()?;
    let staged: Vec<(Entry, Fate)> = files
        .into_par_iter()
        .map(|file| stage_file(staging, previous, &file))
        .collect::<Result<_, _>>()?;
    for foreign in &previous.foreign {
        carry_over(staging, previous, foreign)?;
    }
    let mut counts = Counts::default();
    for (_, fate) in &staged {
        match fate {
            Fate::Written => counts.written += 1,
            Fate::Unchanged => counts.unchanged += 1,
        }
    }
    manifest::write(staging, staged.into_iter().map(|(e, _)| e).collect())?;
    place.match_permissions()?;
    Ok(counts)
}

/// Puts one file into staging: a link to its previous copy if the bytes are the
/// same, so its modification time is kept; its bytes otherwise.
fn stage_file(
    staging: &Path,
    previous: &Previous,
    file: &OutputFile,
) -> Result<(Entry, Fate), WriteError> {
    let entry = Entry::of(&file.path, &file.bytes);
    let dest = staging.join(&file.path);
    make_parent(&dest)?;
    if let Some(old) = previous.unchanged_copy(&entry) {
        if link_or_copy(&old, &dest).is_ok() {
            return Ok((entry, Fate::Unchanged));
        }
    }
    fs::write(&dest, &file.bytes).map_err(WriteError::io("write", &dest))?;
    Ok((entry, Fate::Written))
}

/// Carries one entry that annalist did not write over into staging, as it is.
fn carry_over(staging: &Path, previous: &Previous, foreign: &Foreign) -> Result<(), WriteError> {
    let dest = staging.join(&foreign.rel);
    if foreign.kind == ForeignKind::EmptyDir {
        return fs::create_dir_all(&dest).map_err(WriteError::io("create", &dest));
    }
    let Some(source) = previous.path_of(foreign) else {
        return Ok(());
    };
    make_parent(&dest)?;
    let carried = match foreign.kind {
        ForeignKind::Symlink => copy_symlink(&source, &dest),
        _ => link_or_copy(&source, &dest),
    };
    carried.map_err(WriteError::io("carry over", &source))
}

/// Hard-links `dest` to `source`, or copies it with its modification time when
/// the file system cannot link.
fn link_or_copy(source: &Path, dest: &Path) -> io::Result<()> {
    if fs::hard_link(source, dest).is_ok() {
        return Ok(());
    }
    copy_keeping_time(source, dest)
}

/// Copies `source` to `dest` and gives the copy the modification time of `source`.
fn copy_keeping_time(source: &Path, dest: &Path) -> io::Result<()> {
    fs::copy(source, dest)?;
    let modified = fs::metadata(source)?.modified()?;
    fs::File::options()
        .write(true)
        .open(dest)?
        .set_modified(modified)
}

/// Makes `dest` a symbolic link with the same target as `source`.
#[cfg(unix)]
fn copy_symlink(source: &Path, dest: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(fs::read_link(source)?, dest)
}

/// Copies what the link `source` points to, where links cannot be remade simply.
#[cfg(not(unix))]
fn copy_symlink(source: &Path, dest: &Path) -> io::Result<()> {
    link_or_copy(source, dest)
}

/// Creates the folder that will hold `dest`.
fn make_parent(dest: &Path) -> Result<(), WriteError> {
    match dest.parent() {
        Some(parent) => fs::create_dir_all(parent).map_err(WriteError::io("create", parent)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_keeps_the_modification_time() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("a");
        fs::write(&source, "a").unwrap();
        let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
        fs::File::options()
            .write(true)
            .open(&source)
            .unwrap()
            .set_modified(old)
            .unwrap();
        let dest = dir.path().join("b");
        copy_keeping_time(&source, &dest).unwrap();
        assert_eq!(fs::metadata(&dest).unwrap().modified().unwrap(), old);
        assert_eq!(fs::read(&dest).unwrap(), b"a");
    }
}

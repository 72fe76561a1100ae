//! The `write` stage: the only code that writes the site to disk.
//!
//! Pages arrive one at a time ([`Sink::put`]) while they are rendered, so the
//! whole site's bytes are never held in memory. A page whose bytes are the ones
//! the previous build wrote (the manifest, [`MANIFEST_NAME`], keeps a hash and a
//! length of each) is not written at all; a new or changed one is written into a
//! staging folder beside the output folder. Only when every page has been
//! rendered does [`SiteWriter::commit`] move the staged files into place, remove
//! the files the site no longer has and write the new manifest. Until then the
//! output folder is untouched, so a build that fails leaves it as it was; a commit
//! that is killed halfway is finished by the next run, from the journal it wrote
//! first. Anything in the folder that the manifest does not list belongs to
//! someone else (a `CNAME` added by hand) and is left where it is. A build holds
//! the output folder's lock ([`OutputLock`]) from opening to commit, so two
//! builds into one folder take turns.

mod commit;
mod error;
mod journal;
mod manifest;
mod path;
mod place;
mod previous;

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::slice::ParallelSliceMut;

pub use error::WriteError;
pub use manifest::{content_hash, MANIFEST_NAME};
pub use place::{Holder, OutputLock};

use manifest::Entry;
use previous::Previous;

/// One file of the site: a path relative to the output root, with `/` separators
/// (e.g. "stories/water-deal/index.html", "style.css", ".nojekyll"), and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Where the file goes, relative to the output folder, with `/` separators.
    pub path: String,
    /// What the file holds.
    pub bytes: Vec<u8>,
}

impl OutputFile {
    /// Makes an output file from a path and its bytes.
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// Where rendered files go, one at a time, from any thread: a [`SiteWriter`] in
/// `build`, a [`Collect`] where the files are wanted in memory.
pub trait Sink: Sync {
    /// Takes one file of the site.
    fn put(&self, file: OutputFile) -> Result<(), WriteError>;

    /// Takes one file of the site as `write` makes it: for the large downloads,
    /// which a sink that writes to disk need not hold in memory at all. By
    /// default the file is made in memory and [`Sink::put`].
    fn put_written(&self, path: &str, write: &mut WriteFn<'_>) -> Result<(), WriteError> {
        let mut bytes = Vec::new();
        write(&mut bytes).map_err(WriteError::io("make", Path::new(path)))?;
        self.put(OutputFile {
            path: path.to_string(),
            bytes,
        })
    }
}

/// Writes one file's bytes into the writer given (see [`Sink::put_written`]).
pub type WriteFn<'a> = dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()> + 'a;

/// A [`Sink`] that keeps every file in memory, in the order they arrived.
#[derive(Debug, Default)]
pub struct Collect(Mutex<Vec<OutputFile>>);

impl Collect {
    /// The files put so far.
    pub fn into_files(self) -> Vec<OutputFile> {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for Collect {
    fn put(&self, file: OutputFile) -> Result<(), WriteError> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        Ok(())
    }
}

/// What a write did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteSummary {
    /// Files whose bytes were written anew.
    pub written: usize,
    /// Files whose bytes were the same as before and were left as they were.
    pub unchanged: usize,
    /// Files of the previous build that the new site no longer has.
    pub removed: usize,
    /// The site's size: the bytes of all its files (written and unchanged),
    /// as a host counts what is published.
    pub bytes: u64,
}

/// Writes a site into an output folder, page by page: open it before rendering,
/// [`put`](Sink::put) each file as it is rendered, then [`commit`](Self::commit).
/// Dropped without a commit, it removes what it staged and the output folder
/// stays as it was. It holds the output folder's lock until it is dropped.
#[derive(Debug)]
pub struct SiteWriter {
    /// The output folder, locked for this build (let go after `drop` has
    /// removed what was staged).
    lock: OutputLock,
    previous: Previous,
    /// Every file put so far, and whether it was staged (new or changed bytes).
    entries: Mutex<Vec<(Entry, bool)>>,
    /// Folders already made in staging, so each is made once.
    folders: Mutex<HashSet<String>>,
    /// What the build records of itself in the manifest.
    record: Mutex<Option<serde_json::Value>>,
    committed: bool,
}

impl SiteWriter {
    /// Opens the output folder `out_dir` for a new build: locks it (while
    /// another build holds the lock, says so on stderr and waits), then goes on
    /// as [`SiteWriter::with_lock`].
    pub fn open(out_dir: &Path) -> Result<SiteWriter, WriteError> {
        let lock = OutputLock::acquire(out_dir, &mut |holder| eprintln!("{holder}"))?;
        SiteWriter::with_lock(lock)
    }

    /// Opens the output folder that `lock` holds for a new build: finishes a
    /// commit that was killed halfway, removes staging left by killed builds,
    /// and reads the previous build's manifest. Refuses a folder that annalist
    /// did not make.
    pub fn with_lock(lock: OutputLock) -> Result<SiteWriter, WriteError> {
        let place = lock.place();
        place.finish_or_remove_stale()?;
        let previous = Previous::read(&place.dir, lock.out_dir())?;
        Ok(SiteWriter {
            lock,
            previous,
            entries: Mutex::new(Vec::new()),
            folders: Mutex::new(HashSet::new()),
            record: Mutex::new(None),
            committed: false,
        })
    }

    /// Has the manifest carry `record`: what the build says of itself (the
    /// fingerprint of its inputs, its counts and warnings), read back by
    /// [`last_build`] before the next build.
    pub fn record(&self, record: serde_json::Value) {
        *self.record.lock().unwrap_or_else(|e| e.into_inner()) = Some(record);
    }

    /// Moves the staged files into place, removes the previous build's files that
    /// the site no longer has, and writes the manifest.
    pub fn commit(mut self) -> Result<WriteSummary, WriteError> {
        let mut entries = std::mem::take(self.entries.get_mut().unwrap_or_else(|e| e.into_inner()));
        // By path, as the manifest lists them (check_set refuses a path listed twice).
        entries.par_sort_unstable_by(|(a, _), (b, _)| a.path.cmp(&b.path));
        let moves: Vec<String> = entries
            .iter()
            .filter(|(_, staged)| *staged)
            .map(|(e, _)| e.path.clone())
            .collect();
        let unchanged = entries.len() - moves.len();
        let manifest: Vec<Entry> = entries.into_iter().map(|(e, _)| e).collect();
        let record = self
            .record
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        // The paths are checked while the manifest's bytes are made: each
        // takes a few hundredths of a second at 50,000 files, on one core.
        let previous = &self.previous;
        let (removed, manifest_bytes) = rayon::join(
            || {
                let paths: Vec<&str> = manifest.iter().map(|e| e.path.as_str()).collect();
                path::check_set(&paths)?;
                previous.check_conflicts(&paths)?;
                Ok::<_, WriteError>(previous.removed_by(&paths))
            },
            || manifest::bytes(&manifest, record.as_ref()),
        );
        let removed = removed?;
        let summary = WriteSummary {
            written: moves.len(),
            unchanged,
            removed: removed.len(),
            bytes: manifest.iter().map(|e| e.len).sum(),
        };
        let same_manifest = moves.is_empty()
            && removed.is_empty()
            && self.previous.same(&manifest)
            && self.previous.build == record;
        if same_manifest {
            self.committed = true;
            self.lock.place().discard_staging();
            return Ok(summary);
        }
        let journal = journal::Journal {
            moves,
            removes: removed,
        };
        commit::commit(
            self.lock.place(),
            self.previous.exists(),
            manifest_bytes,
            &journal,
        )?;
        self.committed = true;
        Ok(summary)
    }

    /// Writes `bytes` at `rel` in the staging folder.
    fn stage(&self, rel: &str, bytes: &[u8]) -> Result<(), WriteError> {
        let dest = self.staged_path(rel)?;
        fs::write(&dest, bytes).map_err(WriteError::io("write", &dest))
    }

    /// Where `rel` is staged, its folder made.
    fn staged_path(&self, rel: &str) -> Result<PathBuf, WriteError> {
        let staging = self.lock.place().staging_dir()?;
        if let Some((folder, _)) = rel.rsplit_once('/') {
            let known = self
                .folders
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .contains(folder);
            if !known {
                let dir = staging.join(folder);
                fs::create_dir_all(&dir).map_err(WriteError::io("create", &dir))?;
                self.folders
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(folder.to_string());
            }
        }
        Ok(staging.join(rel))
    }

    fn record_entry(&self, entry: Entry, written: bool) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((entry, written));
    }
}

/// Passes bytes on to a file, hashing and counting them on the way. Put it
/// under a `BufWriter`, so that it hashes large chunks rather than every small
/// write of a serializer (hashing each piece of a JSON file on its own was most
/// of the cost of writing the downloads).
struct Hashing<W> {
    inner: W,
    hasher: xxhash_rust::xxh3::Xxh3,
    len: u64,
}

impl<W: std::io::Write> std::io::Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl Sink for SiteWriter {
    fn put(&self, file: OutputFile) -> Result<(), WriteError> {
        path::check(&file.path).map_err(|reason| WriteError::BadPath {
            path: file.path.clone(),
            reason,
        })?;
        let entry = Entry::of(&file.path, &file.bytes);
        let unchanged = self.previous.unchanged(&entry);
        if !unchanged {
            self.stage(&file.path, &file.bytes)?;
        }
        self.record_entry(entry, !unchanged);
        Ok(())
    }

    /// Streams the file into the staging folder, hashing it on the way; an
    /// unchanged file is then removed from there again.
    fn put_written(&self, path: &str, write: &mut WriteFn<'_>) -> Result<(), WriteError> {
        path::check(path).map_err(|reason| WriteError::BadPath {
            path: path.to_string(),
            reason,
        })?;
        let dest = self.staged_path(path)?;
        let file = fs::File::create(&dest).map_err(WriteError::io("create", &dest))?;
        let hashing = Hashing {
            inner: file,
            hasher: xxhash_rust::xxh3::Xxh3::new(),
            len: 0,
        };
        let mut out = std::io::BufWriter::with_capacity(1 << 16, hashing);
        write(&mut out)
            .and_then(|()| std::io::Write::flush(&mut out))
            .map_err(WriteError::io("write", &dest))?;
        let hashed = out.get_ref();
        let entry = Entry::hashed(path, hashed.hasher.digest(), hashed.len);
        drop(out);
        let unchanged = self.previous.unchanged(&entry);
        if unchanged {
            fs::remove_file(&dest).map_err(WriteError::io("remove", &dest))?;
        }
        self.record_entry(entry, !unchanged);
        Ok(())
    }
}

impl Drop for SiteWriter {
    fn drop(&mut self) {
        if !self.committed {
            self.lock.place().discard_staging();
        }
    }
}

/// The record the last build left in the locked output folder's manifest
/// ([`SiteWriter::record`]), if that build's files are all still there as it
/// wrote them (by length, as [`SiteWriter`] checks them) and no build was
/// stopped halfway. Read under the lock, so that no build is running there.
/// Lets a build with the same inputs know that it has nothing to do.
pub fn last_build(lock: &OutputLock) -> Option<LastBuild> {
    use rayon::prelude::*;
    let place = lock.place();
    if place.has_staging().unwrap_or(true) {
        return None;
    }
    let file = place.dir.join(MANIFEST_NAME);
    let read = manifest::read(&file, &file).ok()?;
    let build = read.build?;
    let intact = read.files.par_iter().all(|entry| {
        fs::symlink_metadata(place.dir.join(&entry.path))
            .is_ok_and(|meta| meta.is_file() && meta.len() == entry.len)
    });
    intact.then_some(LastBuild {
        record: build,
        files: read.files.len(),
        bytes: read.files.iter().map(|e| e.len).sum(),
    })
}

/// What [`last_build`] found.
#[derive(Debug, Clone)]
pub struct LastBuild {
    /// The record the build left.
    pub record: serde_json::Value,
    /// How many files it wrote.
    pub files: usize,
    /// Their bytes, all together.
    pub bytes: u64,
}

/// Writes the whole site `files` into `out_dir` at once (see [`SiteWriter`]).
/// On any error `out_dir` is left exactly as it was.
pub fn write_site(out_dir: &Path, files: Vec<OutputFile>) -> Result<WriteSummary, WriteError> {
    let writer = SiteWriter::open(out_dir)?;
    for file in files {
        writer.put(file)?;
    }
    writer.commit()
}

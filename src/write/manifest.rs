//! The output manifest: which files annalist wrote, with a hash and length of each.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::error::WriteError;

/// The name of the manifest file at the root of the output folder.
pub const MANIFEST_NAME: &str = ".annalist-manifest.json";

/// The manifest format this code writes (2: XXH3 hashes).
const VERSION: u32 = 2;

/// The format of earlier versions (1: FNV-1a hashes), still read: its paths say
/// which files are annalist's, but its hashes are not compared, so every file
/// is written once more.
const OLD_VERSION: u32 = 1;

/// The 64-bit XXH3 hash of `bytes`: fast (a site of a gigabyte hashes in a
/// fraction of a second), stable across runs and platforms, and not
/// cryptographic (it only tells whether a file changed).
pub fn content_hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// One file annalist wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Entry {
    /// Relative path with `/` separators.
    pub path: String,
    /// [`content_hash`] of the bytes, as 16 lowercase hex digits.
    pub hash: String,
    /// Length of the bytes.
    pub len: u64,
}

impl Entry {
    /// Describes a file with these bytes at `path`.
    pub fn of(path: &str, bytes: &[u8]) -> Self {
        Entry::hashed(path, content_hash(bytes), bytes.len() as u64)
    }

    /// Describes a file of `len` bytes whose [`content_hash`] is `hash`.
    pub fn hashed(path: &str, hash: u64, len: u64) -> Self {
        Entry {
            path: path.to_string(),
            hash: format!("{hash:016x}"),
            len,
        }
    }
}

/// The manifest file as stored.
#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    #[serde(default)]
    generator: String,
    version: u32,
    /// What the build that wrote these files records of itself (see
    /// [`super::SiteWriter::record`]); the writer does not read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    build: Option<serde_json::Value>,
    files: Vec<Entry>,
}

/// A manifest as read: its files and the build's record, if any.
#[derive(Debug, Default)]
pub(super) struct Read {
    /// The files.
    pub files: Vec<Entry>,
    /// The build's record.
    pub build: Option<serde_json::Value>,
}

/// Reads the manifest `file`; `shown` is how the file is named in errors.
pub(super) fn read(file: &Path, shown: &Path) -> Result<Read, WriteError> {
    let text = std::fs::read_to_string(file).map_err(WriteError::io("read", shown))?;
    let bad = |reason: String| WriteError::BadManifest {
        path: shown.to_path_buf(),
        reason,
    };
    let mut manifest: Manifest = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
    match manifest.version {
        VERSION => {}
        OLD_VERSION => manifest.files.iter_mut().for_each(|e| e.hash.clear()),
        other => return Err(bad(format!("format version {other}"))),
    }
    Ok(Read {
        files: manifest.files,
        build: manifest.build,
    })
}

/// The manifest as written: borrowed, so that it can be made beside the
/// commit's checks without a copy of the entries.
#[derive(Serialize)]
struct Written<'a> {
    generator: String,
    version: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    build: Option<&'a serde_json::Value>,
    files: &'a [Entry],
}

/// The bytes of a manifest of `entries` (sorted by path) with the build's record.
pub(super) fn bytes(
    entries: &[Entry],
    build: Option<&serde_json::Value>,
) -> Result<Vec<u8>, serde_json::Error> {
    debug_assert!(entries.windows(2).all(|w| w[0].path <= w[1].path));
    let manifest = Written {
        generator: format!("annalist {}", env!("CARGO_PKG_VERSION")),
        version: VERSION,
        build,
        files: entries,
    };
    let mut json = serde_json::to_vec_pretty(&manifest)?;
    json.push(b'\n');
    Ok(json)
}

/// Puts manifest `bytes` (or the error of making them) into the folder `dir`.
pub(super) fn put(dir: &Path, bytes: Result<Vec<u8>, serde_json::Error>) -> Result<(), WriteError> {
    let file = dir.join(MANIFEST_NAME);
    let json = bytes.map_err(|e| WriteError::Io {
        action: "serialise",
        path: file.clone(),
        source: e.into(),
    })?;
    std::fs::write(&file, json).map_err(WriteError::io("write", &file))
}

/// Writes a manifest of `entries`, sorted by path, with the build's record, into the folder `dir`.
#[cfg(test)]
pub(super) fn write(
    dir: &Path,
    mut entries: Vec<Entry>,
    build: Option<serde_json::Value>,
) -> Result<(), WriteError> {
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    put(dir, bytes(&entries, build.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hash_is_xxh3_64() {
        // XXH3-64 with seed 0 of the empty input, as published by its authors.
        assert_eq!(content_hash(b""), 0x2d06_8005_38d3_94c2);
        assert_ne!(content_hash(b"a"), content_hash(b"b"));
    }

    #[test]
    fn entry_hash_is_sixteen_lowercase_hex_digits() {
        let entry = Entry::of("x", b"");
        assert_eq!(entry.hash, "2d06800538d394c2");
        assert_eq!(entry.len, 0);
    }

    #[test]
    fn a_manifest_of_the_previous_format_is_read_without_its_hashes() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(MANIFEST_NAME);
        let old =
            r#"{"version": 1, "files": [{"path": "a", "hash": "af63dc4c8601ec8c", "len": 1}]}"#;
        std::fs::write(&file, old).unwrap();
        let entries = read(&file, &file).unwrap().files;
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].path, "a");
        assert!(entries[0].hash.is_empty());
    }

    #[test]
    fn written_manifest_reads_back_sorted() {
        let dir = tempfile::tempdir().unwrap();
        let entries = vec![Entry::of("b", b"bb"), Entry::of("a", b"a")];
        let record = serde_json::json!({"inputs": "x"});
        write(dir.path(), entries, Some(record.clone())).unwrap();
        let read_back = read(&dir.path().join(MANIFEST_NAME), dir.path()).unwrap();
        assert_eq!(
            read_back.files,
            vec![Entry::of("a", b"a"), Entry::of("b", b"bb")]
        );
        assert_eq!(read_back.build, Some(record));
    }

    #[test]
    fn manifest_of_another_version_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(MANIFEST_NAME);
        std::fs::write(&file, r#"{"version": 99, "files": []}"#).unwrap();
        let err = read(&file, &file).unwrap_err();
        assert!(err.to_string().contains("format version 99"), "{err}");
    }
}

//! The output manifest: which files annalist wrote, with a hash and length of each.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::WriteError;

/// The name of the manifest file at the root of the output folder.
pub const MANIFEST_NAME: &str = ".annalist-manifest.json";

/// The manifest format this code reads and writes.
const VERSION: u32 = 1;

/// The 64-bit FNV-1a hash of `bytes`: fast, stable across runs and platforms,
/// and not cryptographic (it only tells whether a file changed).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes.iter().fold(OFFSET_BASIS, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(PRIME)
    })
}

/// One file annalist wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Entry {
    /// Relative path with `/` separators.
    pub path: String,
    /// [`fnv1a64`] of the bytes, as 16 lowercase hex digits.
    pub hash: String,
    /// Length of the bytes.
    pub len: u64,
}

impl Entry {
    /// Describes a file with these bytes at `path`.
    pub fn of(path: &str, bytes: &[u8]) -> Self {
        Entry {
            path: path.to_string(),
            hash: format!("{:016x}", fnv1a64(bytes)),
            len: bytes.len() as u64,
        }
    }
}

/// The manifest file as stored.
#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    #[serde(default)]
    generator: String,
    version: u32,
    files: Vec<Entry>,
}

/// Reads the manifest `file`; `shown` is how the file is named in errors.
pub(super) fn read(file: &Path, shown: &Path) -> Result<Vec<Entry>, WriteError> {
    let text = std::fs::read_to_string(file).map_err(WriteError::io("read", shown))?;
    let bad = |reason: String| WriteError::BadManifest {
        path: shown.to_path_buf(),
        reason,
    };
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
    if manifest.version != VERSION {
        return Err(bad(format!("format version {}", manifest.version)));
    }
    Ok(manifest.files)
}

/// Writes a manifest of `entries`, sorted by path, into the folder `dir`.
pub(super) fn write(dir: &Path, mut entries: Vec<Entry>) -> Result<(), WriteError> {
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    let manifest = Manifest {
        generator: format!("annalist {}", env!("CARGO_PKG_VERSION")),
        version: VERSION,
        files: entries,
    };
    let file = dir.join(MANIFEST_NAME);
    let mut json = serde_json::to_vec_pretty(&manifest).map_err(|e| WriteError::Io {
        action: "serialise",
        path: file.clone(),
        source: e.into(),
    })?;
    json.push(b'\n');
    std::fs::write(&file, json).map_err(WriteError::io("write", &file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a64_matches_the_published_test_vectors() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn entry_hash_is_sixteen_lowercase_hex_digits() {
        let entry = Entry::of("x", b"");
        assert_eq!(entry.hash, "cbf29ce484222325");
        assert_eq!(entry.len, 0);
    }

    #[test]
    fn written_manifest_reads_back_sorted() {
        let dir = tempfile::tempdir().unwrap();
        let entries = vec![Entry::of("b", b"bb"), Entry::of("a", b"a")];
        write(dir.path(), entries).unwrap();
        let read_back = read(&dir.path().join(MANIFEST_NAME), dir.path()).unwrap();
        assert_eq!(read_back, vec![Entry::of("a", b"a"), Entry::of("b", b"bb")]);
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

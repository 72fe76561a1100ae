//! What a build's output depends on, as one hash: every file the build reads
//! (`archive.toml`, `content/`, `templates/`, `themes/`, `static/`), the program
//! itself (its built-in theme and all its code) and the options that change
//! the output. `build` records it in the output's manifest; a build whose
//! fingerprint matches the last one's, over an output still as that build
//! wrote it, has nothing to do.

use std::fs;
use std::io;
use std::path::Path;

use rayon::prelude::*;
use walkdir::WalkDir;
use xxhash_rust::xxh3::Xxh3;

/// The folders under the archive root whose files a build reads.
const INPUT_FOLDERS: [&str; 4] = ["content", "templates", "themes", "static"];

/// The fingerprint of a build of `root` with these options, as 32 hex digits
/// (two independent 64-bit hashes: a false match is out of reach).
pub fn fingerprint(root: &Path, base_url: Option<&str>, drafts: bool) -> io::Result<String> {
    let mut files = vec![root.join("archive.toml")];
    for folder in INPUT_FOLDERS {
        let dir = root.join(folder);
        if !dir.exists() {
            continue;
        }
        for entry in WalkDir::new(&dir).sort_by_file_name() {
            let entry = entry.map_err(io::Error::other)?;
            if !entry.file_type().is_dir() {
                files.push(entry.into_path());
            }
        }
    }
    let hashes: Vec<(u64, u64)> = files
        .par_iter()
        .map(|path| {
            let bytes = fs::read(path)?;
            let name = path.strip_prefix(root).unwrap_or(path).to_string_lossy();
            Ok(pair(&[name.as_bytes(), &bytes]))
        })
        .collect::<io::Result<_>>()?;
    let program = fs::read(std::env::current_exe()?)?;
    let options = format!(
        "annalist {}\nbase_url {base_url:?}\ndrafts {drafts}\nfiles {}",
        env!("CARGO_PKG_VERSION"),
        files.len()
    );
    let mut all: Vec<u8> = Vec::with_capacity(16 * hashes.len() + 64);
    for (a, b) in hashes {
        all.extend_from_slice(&a.to_le_bytes());
        all.extend_from_slice(&b.to_le_bytes());
    }
    let (a, b) = pair(&[options.as_bytes(), &program, &all]);
    Ok(format!("{a:016x}{b:016x}"))
}

/// Two hashes of the parts, each part prefixed by its length so that parts
/// cannot run into each other.
fn pair(parts: &[&[u8]]) -> (u64, u64) {
    let mut first = Xxh3::with_seed(0);
    let mut second = Xxh3::with_seed(0x616e_6e61_6c69_7374);
    for part in parts {
        let len = (part.len() as u64).to_le_bytes();
        for hasher in [&mut first, &mut second] {
            hasher.update(&len);
            hasher.update(part);
        }
    }
    (first.digest(), second.digest())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn archive() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("archive.toml"), "title = \"x\"\n").unwrap();
        fs::create_dir_all(dir.path().join("content/stories")).unwrap();
        fs::write(dir.path().join("content/stories/a.md"), "a").unwrap();
        dir
    }

    #[test]
    fn the_same_inputs_give_the_same_fingerprint() {
        let dir = archive();
        let first = fingerprint(dir.path(), None, false).unwrap();
        assert_eq!(first.len(), 32);
        assert_eq!(first, fingerprint(dir.path(), None, false).unwrap());
    }

    #[test]
    fn any_input_file_or_option_changes_it() {
        let dir = archive();
        let root = dir.path();
        let mut seen = vec![fingerprint(root, None, false).unwrap()];
        let mut differs = |print: String| {
            assert!(!seen.contains(&print), "fingerprint repeated");
            seen.push(print);
        };
        differs(fingerprint(root, Some("https://x.test/sub/"), false).unwrap());
        differs(fingerprint(root, None, true).unwrap());
        fs::write(root.join("content/stories/a.md"), "b").unwrap();
        differs(fingerprint(root, None, false).unwrap());
        fs::rename(
            root.join("content/stories/a.md"),
            root.join("content/stories/c.md"),
        )
        .unwrap();
        differs(fingerprint(root, None, false).unwrap());
        fs::create_dir_all(root.join("templates")).unwrap();
        fs::write(root.join("templates/story.html"), "").unwrap();
        differs(fingerprint(root, None, false).unwrap());
        fs::create_dir_all(root.join("static")).unwrap();
        fs::write(root.join("static/x.css"), "").unwrap();
        differs(fingerprint(root, None, false).unwrap());
        fs::write(root.join("archive.toml"), "title = \"y\"\n").unwrap();
        differs(fingerprint(root, None, false).unwrap());
    }

    #[test]
    fn files_outside_the_input_folders_do_not_count() {
        let dir = archive();
        let before = fingerprint(dir.path(), None, false).unwrap();
        fs::create_dir_all(dir.path().join("public")).unwrap();
        fs::write(dir.path().join("public/index.html"), "x").unwrap();
        fs::write(dir.path().join("README.md"), "x").unwrap();
        assert_eq!(before, fingerprint(dir.path(), None, false).unwrap());
    }
}

//! What a build's output depends on, as one hash: every file the build read
//! (`archive.toml`, stories and their sidecars, people, pages, the theme's
//! templates and static files), the program itself and the options that
//! change the output. It is made from the loaded files, so a full build pays
//! only for hashing them. `build` records it in the output's manifest; a build
//! whose fingerprint matches the last one's, over an output still as that
//! build wrote it, has nothing to do.

use std::io;
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use crate::load::theme::ThemeFiles;
use crate::load::Corpus;
use crate::source::Source;

/// The fingerprint of a build of `corpus` with `theme` and these options, as
/// 32 hex digits (two independent 64-bit hashes: a false match is out of
/// reach). Fails only if the program's own file cannot be looked at.
pub fn fingerprint(
    corpus: &Corpus,
    theme: &ThemeFiles,
    base_url: Option<&str>,
    drafts: bool,
) -> io::Result<String> {
    let program = std::fs::metadata(std::env::current_exe()?)?;
    let built = program
        .modified()?
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let options = format!(
        "annalist {}\nprogram {} bytes, modified {built}\nbase_url {base_url:?}\ndrafts {drafts}\nbroken {:?}",
        env!("CARGO_PKG_VERSION"),
        program.len(),
        corpus.broken,
    );
    let source = |s: &Source| pair(&[s.display_path().as_bytes(), s.text.as_bytes()]);
    let mut hashes: Vec<(u64, u64)> = vec![pair(&[options.as_bytes()])];
    hashes.extend(corpus.config_source.iter().map(source));
    hashes.par_extend(corpus.stories.par_iter().map(|story| {
        let sidecar = story.sidecar.as_ref().map_or((0, 0), |s| source(&s.source));
        let (a, b) = source(&story.source);
        pair(&[
            &a.to_le_bytes(),
            &b.to_le_bytes(),
            &sidecar.0.to_le_bytes(),
            &sidecar.1.to_le_bytes(),
        ])
    }));
    hashes.extend(corpus.people.iter().map(|p| source(&p.source)));
    hashes.extend(corpus.pages.iter().map(|p| source(&p.source)));
    hashes.extend(
        theme
            .templates
            .iter()
            .map(|t| pair(&[t.name.as_bytes(), t.source.text.as_bytes()])),
    );
    hashes.extend(
        theme
            .statics
            .iter()
            .map(|f| pair(&[f.path.as_bytes(), &f.bytes])),
    );
    let mut all: Vec<u8> = Vec::with_capacity(16 * hashes.len());
    for (a, b) in hashes {
        all.extend_from_slice(&a.to_le_bytes());
        all.extend_from_slice(&b.to_le_bytes());
    }
    let (a, b) = pair(&[&all]);
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
    use crate::load::{load, LoadOptions};
    use std::fs;
    use std::path::Path;

    fn archive() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("archive.toml"), "title = \"x\"\n").unwrap();
        fs::create_dir_all(dir.path().join("content/stories")).unwrap();
        fs::write(
            dir.path().join("content/stories/a.md"),
            "+++\ntitle = \"A\"\ndate = 2025-01-01\n+++\n\nText.\n",
        )
        .unwrap();
        dir
    }

    fn print(root: &Path, base_url: Option<&str>, drafts: bool) -> String {
        let loaded = load(root, LoadOptions { drafts }).unwrap();
        let theme = crate::load::theme::load_theme(root, &loaded.corpus.config.theme).unwrap();
        fingerprint(&loaded.corpus, &theme, base_url, drafts).unwrap()
    }

    #[test]
    fn the_same_inputs_give_the_same_fingerprint() {
        let dir = archive();
        let first = print(dir.path(), None, false);
        assert_eq!(first.len(), 32);
        assert_eq!(first, print(dir.path(), None, false));
    }

    #[test]
    fn any_input_file_or_option_changes_it() {
        let dir = archive();
        let root = dir.path();
        let mut seen = vec![print(root, None, false)];
        let mut differs = |print: String| {
            assert!(!seen.contains(&print), "fingerprint repeated");
            seen.push(print);
        };
        differs(print(root, Some("https://x.test/sub/"), false));
        differs(print(root, None, true));
        let story = root.join("content/stories/a.md");
        fs::write(
            &story,
            fs::read_to_string(&story).unwrap().replace("Text", "Test"),
        )
        .unwrap();
        differs(print(root, None, false));
        fs::write(root.join("content/stories/a.ann.toml"), "people = []\n").unwrap();
        differs(print(root, None, false));
        fs::rename(&story, root.join("content/stories/c.md")).unwrap();
        fs::rename(
            root.join("content/stories/a.ann.toml"),
            root.join("content/stories/c.ann.toml"),
        )
        .unwrap();
        differs(print(root, None, false));
        fs::create_dir_all(root.join("templates")).unwrap();
        fs::write(root.join("templates/footer.html"), "mine").unwrap();
        differs(print(root, None, false));
        fs::create_dir_all(root.join("static")).unwrap();
        fs::write(root.join("static/x.css"), "").unwrap();
        differs(print(root, None, false));
        fs::write(root.join("archive.toml"), "title = \"y\"\n").unwrap();
        differs(print(root, None, false));
    }

    #[test]
    fn files_the_build_does_not_read_do_not_count() {
        let dir = archive();
        let before = print(dir.path(), None, false);
        fs::create_dir_all(dir.path().join("public")).unwrap();
        fs::write(dir.path().join("public/index.html"), "x").unwrap();
        fs::write(dir.path().join("README.md"), "x").unwrap();
        fs::write(dir.path().join("content/stories/.a.md.swp"), "x").unwrap();
        assert_eq!(before, print(dir.path(), None, false));
    }
}

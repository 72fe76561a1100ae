//! Helpers shared by the integration tests: fixture paths and temp copies.
#![allow(dead_code)]

pub mod webdriver;

use std::path::{Path, PathBuf};

/// The folder of a fixture under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The repository root, which is itself the example archive.
pub fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies a folder into a new temp dir and returns it.
pub fn copy_to_temp(from: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(from, dir.path());
    dir
}

/// Copies `from` into `to` recursively, skipping `target/`, `public/` and `.git/`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let name = entry.file_name();
        if ["target", "public", ".git"].iter().any(|n| name == *n) {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(&name));
        } else {
            std::fs::copy(&path, to.join(&name)).expect("copy file");
        }
    }
}

/// Builds the archive at `root` into `output`; on failure, the error and every
/// diagnostic's message.
pub fn build_into(
    root: &Path,
    output: &Path,
    base_url: Option<&str>,
) -> Result<annalist::build::BuildReport, String> {
    let options = annalist::build::BuildOptions {
        root: root.to_path_buf(),
        output: output.to_path_buf(),
        base_url: base_url.map(str::to_string),
        drafts: false,
    };
    annalist::build::build(&options).map_err(|(e, ds)| {
        let messages: Vec<String> = ds.iter().map(|d| d.message.clone()).collect();
        format!("{e}: {messages:?}")
    })
}

/// Runs `annalist --root ROOT ARGS` and waits for it.
pub fn annalist_with_root(root: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_annalist"))
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .expect("annalist runs")
}

/// Writes a file, creating its folders.
pub fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("create dir");
    std::fs::write(path, text).expect("write");
}

/// Every file under a built site `root`, relative, with `/` separators.
pub fn site_files(root: &Path) -> Vec<String> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect()
}

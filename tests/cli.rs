//! The `annalist` binary's exit codes and output formats.

mod common;

use std::process::Command;

fn annalist(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn check_passes_on_the_example_with_exit_code_zero() {
    let root = common::example();
    let out = annalist(&["--root", root.to_str().unwrap(), "check", "--strict"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("check ok"), "{stderr}");
}

#[test]
fn check_fails_with_exit_code_one_and_prints_file_line_col() {
    let root = common::fixture("invalid/unknown-speaker");
    let out = annalist(&["--root", root.to_str().unwrap(), "check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("content/stories/lindqvist-testimony.ann.toml:4:11"),
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean `vera-lindqvist`?"),
        "{stderr}"
    );
}

#[test]
fn json_format_lists_every_diagnostic() {
    let root = common::fixture("invalid/several-errors");
    let out = annalist(&[
        "--root",
        root.to_str().unwrap(),
        "check",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors: Vec<&serde_json::Value> = value
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 3, "{value:#}");
    assert!(errors
        .iter()
        .all(|d| d["line"].is_u64() && d["column"].is_u64() && d["file"].is_string()));
}

#[test]
fn strict_fails_on_warnings() {
    let root = common::fixture("invalid/warning-unused-person");
    let relaxed = annalist(&["--root", root.to_str().unwrap(), "check"]);
    assert_eq!(relaxed.status.code(), Some(0));
    let strict = annalist(&["--root", root.to_str().unwrap(), "check", "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn a_folder_without_archive_toml_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = annalist(&["--root", dir.path().to_str().unwrap(), "check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("has no archive.toml"));
}

#[test]
fn build_says_how_many_files_it_left_and_how_big_the_site_is() {
    let dir = common::copy_to_temp(&common::example());
    let root = dir.path().to_str().unwrap();
    let out = annalist(&["--root", root, "build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let text = format!("{stdout}{stderr}");
    let files: Vec<std::path::PathBuf> = walkdir::WalkDir::new(dir.path().join("public"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| e.file_name() != annalist::write::MANIFEST_NAME)
        .map(|e| e.into_path())
        .collect();
    let bytes: u64 = files
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().len())
        .sum();
    let line = format!(
        "removed 0): {} files, {}\n",
        files.len(),
        annalist::build::size(bytes)
    );
    assert!(text.contains(&line), "{line:?} not in {text}");
    assert!(!text.contains("GitHub Pages"), "{text}");
}

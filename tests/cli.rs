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

#[test]
fn version_and_every_commands_help_ending_with_an_example() {
    let version = annalist(&["--version"]);
    assert_eq!(version.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("annalist {}", env!("CARGO_PKG_VERSION"))
    );
    for command in [
        &[][..],
        &["build"],
        &["check"],
        &["export"],
        &["init"],
        &["new"],
        &["new", "story"],
        &["new", "person"],
        &["serve"],
    ] {
        let mut args = command.to_vec();
        args.push("--help");
        let out = annalist(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let help = String::from_utf8_lossy(&out.stdout);
        let tail: Vec<&str> = help.trim_end().lines().rev().take(4).collect();
        let example = help
            .rfind("Example")
            .unwrap_or_else(|| panic!("{args:?} --help has no example:\n{help}"));
        assert!(
            help[example..].lines().count() <= 5,
            "{args:?}: the example ends the help: {tail:?}"
        );
        assert!(help[example..].contains("annalist "), "{args:?}: {help}");
    }
}

/// `annalist ARGS` on a terminal (util-linux's `script` gives it one): what
/// the terminal showed.
#[cfg(target_os = "linux")]
fn on_a_terminal(args: &str) -> String {
    let command = format!("{} {args}", env!("CARGO_BIN_EXE_annalist"));
    let out = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("ANNALIST_PROGRESS_AFTER_MS", "0")
        .output()
        .expect("script (util-linux) runs a command on a terminal");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[cfg(target_os = "linux")]
#[test]
fn progress_shows_on_a_terminal_only_and_the_summary_stays() {
    let dir = common::copy_to_temp(&common::example());
    let root = dir.path().to_str().unwrap();
    let shown = on_a_terminal(&format!("--root {root} build -o one"));
    assert!(
        shown.contains("render: stories and people"),
        "the stage and count: {shown}"
    );
    assert!(shown.contains("wrote one ("), "the summary stays: {shown}");
    let quiet = on_a_terminal(&format!("--root {root} build -o two --quiet"));
    assert!(!quiet.contains("render:"), "{quiet}");
    assert!(quiet.contains("wrote two ("), "{quiet}");
    let piped = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(["--root", root, "build", "-o", "three"])
        .env("ANNALIST_PROGRESS_AFTER_MS", "0")
        .output()
        .unwrap();
    let piped = String::from_utf8_lossy(&piped.stderr);
    assert!(!piped.contains("render:"), "{piped}");
    assert!(
        !piped.contains('\u{1b}'),
        "no terminal codes when piped: {piped}"
    );
    let checked = on_a_terminal(&format!("--root {root} check"));
    assert!(checked.contains("check ok"), "{checked}");
}

//! Every command as a newcomer types it: `annalist init DIR`, then `cd DIR` and
//! the next steps it prints, with no `--root`; and the same commands with a
//! relative `--root ../x` and through a symbolically linked folder.
//! (`serve` run the same ways is in tests/serve.rs.)

mod common;

use std::path::Path;
use std::process::{Command, Output};

/// Runs `annalist ARGS` in the folder `cwd`.
fn annalist_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

/// stdout and stderr together, for messages.
fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn ok(out: &Output) -> String {
    let text = text(out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    text
}

/// `annalist init x` in `parent`: the archive `parent/x`.
fn init(parent: &Path) {
    let out = ok(&annalist_in(parent, &["init", "x"]));
    assert!(
        out.contains("cd x"),
        "init's next steps start with cd: {out}"
    );
    assert!(out.contains("annalist check"), "{out}");
    assert!(out.contains("annalist build"), "{out}");
}

/// The next steps of `init` and every other command, run in `cwd` with `root`
/// (the flag's words, or none) on the archive `archive`.
fn every_command(cwd: &Path, root: &[&str], archive: &Path) {
    let with = |args: &[&str]| -> Output {
        let mut all: Vec<&str> = root.to_vec();
        all.extend_from_slice(args);
        annalist_in(cwd, &all)
    };
    let checked = ok(&with(&["check", "--strict"]));
    assert!(checked.contains("check ok"), "{checked}");

    let built = ok(&with(&["build"]));
    assert!(
        built.contains("wrote public ("),
        "the output is shown relative to the archive: {built}"
    );
    assert!(archive.join("public/index.html").is_file(), "{built}");
    assert!(archive.join("public/stories/index.html").is_file());

    let made = ok(&with(&["new", "story", "A harbour at dusk"]));
    assert!(made.contains("a-harbour-at-dusk.md"), "{made}");
    assert!(
        made.lines().all(|l| l.starts_with("created content/")),
        "paths shown relative to the archive: {made}"
    );
    let story = walkdir::WalkDir::new(archive.join("content/stories"))
        .into_iter()
        .filter_map(Result::ok)
        .any(|e| e.file_name() == "a-harbour-at-dusk.md");
    assert!(story, "new story writes into the archive: {made}");
    let made = ok(&with(&["new", "person", "Odile Marsh"]));
    assert!(
        archive.join("content/people/odile-marsh.md").is_file(),
        "{made}"
    );

    let rebuilt = ok(&with(&["build", "-o", "site"]));
    assert!(rebuilt.contains("wrote site ("), "{rebuilt}");
    assert!(archive
        .join("site/stories/a-harbour-at-dusk/index.html")
        .is_file());

    // `export --sqlite FILE` takes FILE from the current folder, as a shell does.
    ok(&with(&["export", "--sqlite", "archive.sqlite"]));
    assert!(cwd.join("archive.sqlite").is_file());
}

#[test]
fn every_command_runs_in_the_archive_folder_without_root() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path());
    let archive = dir.path().join("x");
    every_command(&archive, &[], &archive);
}

#[test]
fn every_command_runs_with_a_relative_root() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path());
    std::fs::create_dir(dir.path().join("elsewhere")).unwrap();
    every_command(
        &dir.path().join("elsewhere"),
        &["--root", "../x"],
        &dir.path().join("x"),
    );
}

#[cfg(unix)]
#[test]
fn every_command_runs_through_a_symlinked_folder() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path());
    std::os::unix::fs::symlink(dir.path().join("x"), dir.path().join("link")).unwrap();
    let link = dir.path().join("link");
    every_command(dir.path(), &["--root", "link"], &link);
    // And with the link as the current folder, a shell's `cd link`.
    std::fs::remove_dir_all(link.join("public")).unwrap();
    let built = ok(&annalist_in(&link, &["build"]));
    assert!(built.contains("wrote public ("), "{built}");
    assert!(dir.path().join("x/public/index.html").is_file());
}

#[test]
fn a_root_that_is_missing_or_a_file_is_named_in_the_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
    for (root, words) in [("nope", "does not exist"), ("notes.txt", "is a file")] {
        for command in [&["check"][..], &["build"], &["serve", "--port", "0"]] {
            let mut args = vec!["--root", root];
            args.extend_from_slice(command);
            let out = annalist_in(dir.path(), &args);
            let text = text(&out);
            assert_eq!(out.status.code(), Some(1), "{args:?}: {text}");
            assert!(
                text.contains(root) && text.contains(words),
                "{args:?}: {text}"
            );
        }
    }
}

//! Archives arranged in ways that used to slip through: symbolic links in and
//! out of the archive, an `archive.toml` that is a folder, file names that are
//! not UTF-8. Each gets a clear message naming the file, or is read as meant.

mod common;

use std::path::Path;
use std::process::Output;

use common::annalist_with_root as annalist;

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `check --format json`: the exit code and the diagnostics.
fn check_json(root: &Path) -> (Option<i32>, Vec<serde_json::Value>) {
    let out = annalist(root, &["check", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            stderr(&out)
        )
    });
    (out.status.code(), value.as_array().unwrap().clone())
}

const STORY: &str = "content/stories/vote.md";
const SIDECAR: &str = "content/stories/vote.ann.toml";

#[cfg(unix)]
#[test]
fn a_sidecar_linked_from_inside_the_archive_is_read() {
    let archive = common::copy_to_temp(&common::fixture("site/small"));
    let root = archive.path();
    std::fs::create_dir(root.join("annotations")).unwrap();
    std::fs::rename(root.join(SIDECAR), root.join("annotations/vote.ann.toml")).unwrap();
    std::os::unix::fs::symlink(root.join("annotations/vote.ann.toml"), root.join(SIDECAR)).unwrap();
    let out = annalist(root, &["check", "--strict"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("1 quotes"), "{}", stderr(&out));
    let out = annalist(root, &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = std::fs::read_to_string(root.join("public/stories/vote/index.html")).unwrap();
    assert!(
        page.contains("class=\"quote kind-direct"),
        "the linked sidecar's quote is marked"
    );
}

#[cfg(unix)]
#[test]
fn a_person_linked_from_outside_the_archive_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("archive");
    common::copy_dir(&common::fixture("site/small"), &root);
    let secret = dir.path().join("passwd");
    std::fs::write(&secret, "root:x:0:0:root:/root:/bin/bash\n").unwrap();
    std::os::unix::fs::symlink(&secret, root.join("content/people/intruder.md")).unwrap();
    let built = root.join("public");
    let out = annalist(&root, &["build"]);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("content/people/intruder.md is a symbolic link to")
            && text.contains("outside the archive"),
        "{text}"
    );
    assert!(
        !text.contains("root:x:0:0"),
        "the target is never read: {text}"
    );
    assert!(!built.exists(), "a failed build writes nothing");
}

#[cfg(unix)]
#[test]
fn a_link_that_leads_nowhere_is_named_with_its_file_in_json() {
    let archive = common::copy_to_temp(&common::fixture("site/small"));
    let root = archive.path();
    std::os::unix::fs::symlink(root.join("gone.md"), root.join("content/stories/gone.md")).unwrap();
    let (code, diagnostics) = check_json(root);
    assert_eq!(code, Some(1));
    let problem = diagnostics
        .iter()
        .find(|d| {
            d["message"]
                .as_str()
                .unwrap_or("")
                .contains("leads nowhere")
        })
        .unwrap_or_else(|| panic!("{diagnostics:?}"));
    assert_eq!(problem["file"], "content/stories/gone.md");
    assert_eq!(problem["line"], 1);
    assert!(
        diagnostics.iter().all(|d| d["file"].is_string()),
        "{diagnostics:?}"
    );
}

#[test]
fn an_archive_toml_that_is_a_folder_is_called_one() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("archive.toml")).unwrap();
    for args in [&["check"][..], &["build"], &["serve", "--port", "0"]] {
        let out = annalist(dir.path(), args);
        let text = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {text}");
        assert!(
            text.contains("archive.toml is a folder"),
            "{args:?}: {text}"
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_story_and_sidecar_whose_names_are_not_utf8_are_paired() {
    use std::os::unix::ffi::OsStrExt;
    let archive = common::copy_to_temp(&common::fixture("site/small"));
    let root = archive.path();
    let stories = root.join("content/stories");
    let name = |suffix: &str| {
        let mut bytes = b"vote-\xff".to_vec();
        bytes.extend_from_slice(suffix.as_bytes());
        stories.join(std::ffi::OsStr::from_bytes(&bytes))
    };
    std::fs::rename(root.join(STORY), name(".md")).unwrap();
    std::fs::rename(root.join(SIDECAR), name(".ann.toml")).unwrap();
    let (_, diagnostics) = check_json(root);
    assert!(
        !diagnostics.iter().any(|d| d["message"]
            .as_str()
            .unwrap_or("")
            .contains("sidecar has no story")),
        "{diagnostics:?}"
    );
    let out = annalist(root, &["check"]);
    assert!(stderr(&out).contains("1 quotes"), "{}", stderr(&out));
}

#[test]
fn front_matter_and_sidecars_nested_thousands_deep_are_errors_at_their_place() {
    let archive = common::copy_to_temp(&common::fixture("site/small"));
    let root = archive.path();
    let deep = 100_000;
    common::write(
        root,
        "content/stories/deep.md",
        &format!(
            "---\ntitle: Deep\ndate: 2025-01-01\ntags: {}{}\n---\nText.\n",
            "[".repeat(deep),
            "]".repeat(deep)
        ),
    );
    let sidecar = std::fs::read_to_string(root.join(SIDECAR)).unwrap();
    common::write(
        root,
        SIDECAR,
        &format!("{sidecar}\nx = {}{}\n", "[".repeat(deep), "]".repeat(deep)),
    );
    let (code, diagnostics) = check_json(root);
    assert_eq!(code, Some(1));
    let at = |file: &str| {
        diagnostics
            .iter()
            .find(|d| d["file"] == file && d["severity"] == "error")
            .unwrap_or_else(|| panic!("no error in {file}: {diagnostics:?}"))
            .clone()
    };
    let story = at("content/stories/deep.md");
    assert!(
        story["message"]
            .as_str()
            .unwrap()
            .contains("nests more than 32 levels"),
        "{story}"
    );
    assert_eq!(story["line"], 4);
    let sidecar = at(SIDECAR);
    assert!(
        sidecar["message"].as_str().unwrap().contains("recursion"),
        "{sidecar}"
    );
}

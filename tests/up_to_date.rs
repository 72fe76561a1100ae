//! A build whose inputs are those of the last build, over an output still as
//! that build wrote it, has nothing to do: it renders nothing, writes nothing,
//! and reports the last build's counts and warnings. Anything else builds.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use annalist::build::{build, BuildOptions, BuildReport};

fn options(root: &Path, output: &Path, base_url: Option<&str>) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output: output.to_path_buf(),
        base_url: base_url.map(str::to_string),
        drafts: false,
    }
}

fn run(root: &Path, output: &Path) -> BuildReport {
    build(&options(root, output, None)).unwrap_or_else(|(e, ds)| panic!("{e}: {ds:?}"))
}

/// Every file under `dir` with its bytes and modification time.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let meta = e.metadata().unwrap();
            (
                e.path().to_path_buf(),
                (fs::read(e.path()).unwrap(), meta.modified().unwrap()),
            )
        })
        .collect()
}

#[test]
fn a_second_build_of_the_same_inputs_does_nothing_and_says_so() {
    let dir = common::copy_to_temp(&common::example());
    let (root, output) = (dir.path(), dir.path().join("public"));
    let first = run(root, &output);
    assert!(!first.up_to_date);
    let before = snapshot(&output);
    let second = run(root, &output);
    assert!(second.up_to_date, "the second build rebuilt");
    assert_eq!(second.counts, first.counts);
    let write = second.write.unwrap_or_default();
    assert_eq!(write.written, 0);
    assert_eq!(
        write.unchanged,
        before.len() - 1,
        "every file but the manifest"
    );
    assert_eq!(snapshot(&output), before, "no file was touched");
    // The site's size is that of its files but the manifest, both times.
    let site_bytes: usize = before
        .iter()
        .filter(|(path, _)| !path.ends_with(annalist::write::MANIFEST_NAME))
        .map(|(_, (bytes, _))| bytes.len())
        .sum();
    assert_eq!(first.write.unwrap_or_default().bytes, site_bytes as u64);
    assert_eq!(write.bytes, site_bytes as u64);
    let (text, code) = annalist::build::run(
        &options(root, &output, None),
        annalist::diagnostics::TextStyle {
            color: false,
            width: 100,
        },
        false,
    );
    assert_eq!(code, 0);
    assert!(text.contains("nothing to do"), "{text}");
    let size = annalist::build::size(site_bytes as u64);
    assert!(text.contains(&format!("files ({size}) are in")), "{text}");
    assert!(
        !text.contains("GitHub Pages"),
        "a small site is not warned of: {text}"
    );
}

#[test]
fn a_changed_input_builds_again_and_the_build_after_it_does_nothing() {
    let dir = common::copy_to_temp(&common::example());
    let (root, output) = (dir.path(), dir.path().join("public"));
    run(root, &output);
    let story = root.join("content/stories/auditor-opens-review.md");
    let text = fs::read_to_string(&story).unwrap();
    fs::write(&story, text.replacen("three weeks", "three short weeks", 1)).unwrap();
    let edited = run(root, &output);
    assert!(!edited.up_to_date, "an edited story was not built");
    assert!(edited.write.unwrap_or_default().written > 0);
    let page = fs::read_to_string(output.join("stories/auditor-opens-review/index.html")).unwrap();
    assert!(page.contains("three short weeks"));
    assert!(run(root, &output).up_to_date);

    // A template of the archive's own, and a static file.
    common::write(root, "static/extra.txt", "extra");
    assert!(!run(root, &output).up_to_date, "a new static file");
    assert_eq!(
        fs::read_to_string(output.join("extra.txt")).unwrap(),
        "extra"
    );
    let settings = root.join("archive.toml");
    let text = fs::read_to_string(&settings).unwrap();
    fs::write(&settings, format!("{text}\n# a comment\n")).unwrap();
    assert!(!run(root, &output).up_to_date, "archive.toml changed");
}

#[test]
fn other_options_build_again() {
    let dir = common::copy_to_temp(&common::example());
    let (root, output) = (dir.path(), dir.path().join("public"));
    run(root, &output);
    let other = build(&options(
        root,
        &output,
        Some("https://example.org/elsewhere/"),
    ))
    .unwrap_or_else(|(e, _)| panic!("{e}"));
    assert!(!other.up_to_date, "another base URL");
    let drafts = BuildOptions {
        drafts: true,
        ..options(root, &output, Some("https://example.org/elsewhere/"))
    };
    assert!(
        !build(&drafts)
            .map_err(|(e, _)| e.to_string())
            .unwrap()
            .up_to_date
    );
}

#[test]
fn an_output_file_removed_or_altered_is_written_again() {
    let dir = common::copy_to_temp(&common::example());
    let (root, output) = (dir.path(), dir.path().join("public"));
    run(root, &output);
    let page = output.join("people/index.html");
    let original = fs::read(&page).unwrap();

    fs::remove_file(&page).unwrap();
    let report = run(root, &output);
    assert!(!report.up_to_date, "a removed file went unnoticed");
    assert_eq!(report.write.unwrap_or_default().written, 1);
    assert_eq!(fs::read(&page).unwrap(), original);

    fs::write(&page, b"<p>someone else's words</p>").unwrap();
    assert!(
        !run(root, &output).up_to_date,
        "an altered file went unnoticed"
    );
    assert_eq!(fs::read(&page).unwrap(), original);
    assert!(run(root, &output).up_to_date);
}

#[test]
fn a_build_left_halfway_beside_the_output_builds_again() {
    let dir = common::copy_to_temp(&common::example());
    let (root, output) = (dir.path(), dir.path().join("public"));
    run(root, &output);
    // What a build killed before its commit leaves: a staging folder beside the
    // output, with the marker annalist writes first into it.
    fs::create_dir(dir.path().join(".public.annalist-staging-999999")).unwrap();
    fs::write(
        dir.path()
            .join(".public.annalist-staging-999999/.annalist-staging"),
        "",
    )
    .unwrap();
    assert!(!run(root, &output).up_to_date);
    assert!(!dir.path().join(".public.annalist-staging-999999").exists());
}

#[test]
fn a_folder_named_like_staging_that_annalist_did_not_make_changes_nothing() {
    let dir = common::copy_to_temp(&common::example());
    let (root, output) = (dir.path(), dir.path().join("public"));
    run(root, &output);
    let theirs = dir.path().join(".public.annalist-staging-999999");
    fs::create_dir(&theirs).unwrap();
    fs::write(theirs.join("notes.txt"), "mine").unwrap();
    assert!(run(root, &output).up_to_date);
    assert_eq!(
        fs::read_to_string(theirs.join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn warnings_are_reported_again_where_they_were() {
    let fixture = common::fixture("invalid/warning-unannotated-quotation");
    let dir = common::copy_to_temp(&fixture);
    let (root, output) = (dir.path(), dir.path().join("public"));
    let first = run(root, &output);
    assert!(!first.diagnostics.is_empty(), "the fixture has a warning");
    let second = run(root, &output);
    assert!(second.up_to_date);
    let shown = |report: &BuildReport| {
        report
            .diagnostics
            .iter()
            .map(|d| {
                (
                    d.message.clone(),
                    d.path(),
                    d.line_col(),
                    d.hint.clone(),
                    d.related.len(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(shown(&second), shown(&first));
    let style = annalist::diagnostics::TextStyle {
        color: false,
        width: 100,
    };
    assert_eq!(
        annalist::diagnostics::render_text(&second.diagnostics, style),
        annalist::diagnostics::render_text(&first.diagnostics, style)
    );
}

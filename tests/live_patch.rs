//! `serve` replaces an edited story in the last archive instead of indexing
//! anew when the edit changes none of the story's connections. These tests hold
//! that to account: after each edit, every page and every other file made from
//! the patched archive is byte for byte what a fresh load of the archive makes,
//! and edits that reach other stories or people are indexed anew.

mod common;

use std::path::Path;
use std::sync::Arc;

use annalist::load::theme::{load_theme, ThemeFiles};
use annalist::load::LoadOptions;
use annalist::render::site::PageRenderer;
use annalist::render::templates::Templates;
use annalist::serve::live::{Indexed, LiveArchive};

const BASE_URL: &str = "http://127.0.0.1:1/sub/";
const STORY: &str = "content/stories/auditor-opens-review.md";
const SIDECAR: &str = "content/stories/auditor-opens-review.ann.toml";

/// Every file a renderer makes, by path.
fn everything(renderer: &PageRenderer, theme: &ThemeFiles) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = renderer
        .page_paths()
        .into_iter()
        .map(|key| match renderer.page(&key) {
            Some(Ok(page)) => (key, page.bytes),
            Some(Err(d)) => panic!("{key}: {}", d.message),
            None => panic!("no page {key}"),
        })
        .collect();
    let extras = renderer.extras(theme).expect("extras");
    files.extend(extras.files.into_iter().map(|f| (f.path, f.bytes)));
    files.sort();
    files
}

/// A renderer over a fresh load of the archive at `root`.
fn fresh(root: &Path, templates: &Arc<Templates>) -> PageRenderer {
    let indexed = LiveArchive::load(root, LoadOptions { drafts: false }, BASE_URL)
        .expect("load")
        .index();
    assert!(
        !indexed.diagnostics.iter().any(|d| d.is_error()),
        "{:?}",
        indexed.diagnostics
    );
    PageRenderer::new(indexed.archive, templates.clone())
}

fn edit(root: &Path, relative: &str, from: &str, to: &str) {
    let path = root.join(relative);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{relative} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn a_patched_archive_makes_the_same_site_as_a_fresh_load() {
    let dir = common::copy_to_temp(&common::example());
    let root = dir.path();
    let mut live = LiveArchive::load(root, LoadOptions { drafts: false }, BASE_URL).expect("load");
    let first = live.index();
    assert!(first.patched.is_none());
    let theme = load_theme(root, &first.archive.config.theme).expect("theme");
    let templates = Arc::new(Templates::compile(&theme).expect("templates"));
    let mut renderer = PageRenderer::new(first.archive, templates.clone());

    // (file, text, replacement, what the edit is)
    let edits = [
        (
            STORY,
            "three weeks\nbefore the company is due to take over.\n",
            "three weeks\nbefore the company is due to take over.\n\nA new paragraph, with *emphasis* and `code`.\n",
            "a paragraph added",
        ),
        (
            STORY,
            "Brennock's auditor general has opened",
            "The auditor general of Brennock has opened",
            "the first paragraph (the summary) reworded",
        ),
        (
            STORY,
            "title = \"Auditor general opens review of Lowmere water contract\"",
            "title = \"Auditor general opens a review of the Lowmere contract\"",
            "the title changed",
        ),
        (
            STORY,
            "She expects to report in September.",
            "She expects to report in late September, she added.",
            "text added after a quote, moving the quotes that follow",
        ),
        (
            STORY,
            "She expects to report in late September, she added.",
            "She expects to report in late September, she added. Brandvold would not say more.",
            "a person mentioned once more",
        ),
        (
            SIDECAR,
            "kind = \"written\"",
            "kind = \"direct\"",
            "a quote's kind changed",
        ),
    ];
    for (file, from, to, what) in edits {
        let indexed = edit_and_index(&mut live, root, (file, from, to), what);
        let (previous, story) = indexed
            .patched
            .unwrap_or_else(|| panic!("{what}: indexed anew, not patched"));
        assert!(Arc::ptr_eq(&previous, renderer.archive()));
        renderer = renderer.with_story(indexed.archive, story);
        let expected = everything(&fresh(root, &templates), &theme);
        let got = everything(&renderer, &theme);
        assert_eq!(
            got.iter().map(|(p, _)| p).collect::<Vec<_>>(),
            expected.iter().map(|(p, _)| p).collect::<Vec<_>>(),
            "{what}: the same files"
        );
        for ((path, got), (_, expected)) in got.iter().zip(&expected) {
            assert!(
                got == expected,
                "{what}: {path} differs from a fresh load's:\n{}",
                first_difference(got, expected)
            );
        }
    }
}

#[test]
fn edits_that_reach_other_pages_are_indexed_anew() {
    let edits = [
        (STORY, "date = 2025-06-10", "date = 2025-06-11", "the date"),
        (
            STORY,
            "tags = [\"water\", \"audit\"]",
            "tags = [\"water\"]",
            "the tags",
        ),
        (
            SIDECAR,
            "status = \"verified\"",
            "status = \"disputed\"",
            "a quote's status",
        ),
        (
            STORY,
            "\"I asked for independent eyes on this,\nand now we have them,\" she said. \"I am confident about what they will find.\"",
            "\"I am confident about what they will find,\" she said. \"I asked for independent eyes on this,\nand now we have them.\"",
            "two quotes of one day swapped in the text",
        ),
        (
            SIDECAR,
            "relation = \"follow-up\"",
            "relation = \"background\"",
            "a link's relation",
        ),
        (
            SIDECAR,
            "id = \"brandvold-not-to-decide\"",
            "id = \"brandvold-to-report\"",
            "a quote's id",
        ),
    ];
    for (file, from, to, what) in edits {
        let dir = common::copy_to_temp(&common::example());
        let root = dir.path();
        let mut live =
            LiveArchive::load(root, LoadOptions { drafts: false }, BASE_URL).expect("load");
        live.index();
        let indexed = edit_and_index(&mut live, root, (file, from, to), what);
        assert!(indexed.patched.is_none(), "{what}: patched");
    }
}

#[test]
fn two_stories_changed_at_once_are_indexed_anew() {
    let dir = common::copy_to_temp(&common::example());
    let root = dir.path();
    let mut live = LiveArchive::load(root, LoadOptions { drafts: false }, BASE_URL).expect("load");
    live.index();
    let other = "content/stories/farrowby-reassigned.md";
    edit(root, STORY, "Brennock's", "The city's");
    let text = std::fs::read_to_string(root.join(other)).expect("read");
    std::fs::write(root.join(other), format!("{text}\nOne more line.\n")).expect("write");
    live.reload_stories(&[root.join(STORY), root.join(other)]);
    assert!(live.index().patched.is_none());
}

/// Replaces `from` by `to` in `file`, reloads it and indexes, checking that the
/// edited archive has no errors.
fn edit_and_index(
    live: &mut LiveArchive,
    root: &Path,
    (file, from, to): (&str, &str, &str),
    what: &str,
) -> Indexed {
    edit(root, file, from, to);
    live.reload_stories(&[root.join(file)]);
    let indexed = live.index();
    assert!(
        !indexed.diagnostics.iter().any(|d| d.is_error()),
        "{what}: {:?}",
        indexed.diagnostics
    );
    indexed
}

fn first_difference(got: &[u8], expected: &[u8]) -> String {
    let at = got
        .iter()
        .zip(expected)
        .position(|(a, b)| a != b)
        .unwrap_or(got.len().min(expected.len()));
    let around = |bytes: &[u8]| {
        String::from_utf8_lossy(&bytes[at.saturating_sub(120)..(at + 120).min(bytes.len())])
            .into_owned()
    };
    format!(
        "got:      …{}…\nexpected: …{}…",
        around(got),
        around(expected)
    )
}

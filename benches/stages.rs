//! Micro-benchmarks of the stages (issue #6), with divan:
//!
//! ```text
//! cargo bench --bench stages
//! ```
//!
//! The archives come from the deterministic generator of the `gen_archive`
//! example: 200 stories for the one-story benchmarks, 10,000 for the whole-
//! archive ones. Each is generated, loaded and anchored once, outside the timed
//! code, and its temporary folder is removed before timing starts (nothing after
//! `load` and the theme reads a file).
//!
//! - `anchor_one_story`: [`annalist::anchor::anchor_one`] on a typical story
//!   (the story of median Markdown length). It builds the people registry on
//!   each call, as `serve` does for a changed story; `anchor_registry` times that
//!   part alone.
//! - `render_one_story`: one story page through
//!   [`annalist::render::site::PageRenderer::page`], the renderer (and so the
//!   cards) made once.
//! - `index_10000_stories`: [`annalist::index::index_shared`] over the anchored
//!   stories, as `serve` indexes after each edit (fresh `Arc` clones each time).
//! - `cards_10000_stories`: [`annalist::render::cards::Cards::new`], which
//!   `PageRenderer::new` runs once per model (so `serve` after each edit).
//!
//! And archives of one story with thousands of problems (issue 19), each at
//! three sizes, so that how the times grow with the size shows (linearly):
//!
//! - `check_quotations` and `render_quotations`: a story of 250 KB, 500 KB or
//!   1 MB whose every paragraph has a quotation that no `[[quote]]` covers
//!   (a warning each): [`annalist::check::model`] (load, anchor, index), then
//!   [`annalist::diagnostics::render_text`] of its warnings.
//! - `check_missing` and `render_missing`: a short story whose sidecar has
//!   2,500, 5,000 or 10,000 `[[quote]]`s whose `text` is not in it (an error
//!   each).
//! - `check_missing_in_long_story`: as many paragraphs as missing quotes, so
//!   that every selector is looked for in a story that grows with them.
//! - `rebuild_quotations`: `build` run again over its own output, nothing
//!   changed (the warnings restored from the manifest and printed), through
//!   [`annalist::build::run`] as the command line runs it.

#[allow(dead_code)]
#[path = "../examples/gen_archive/generate.rs"]
mod generate;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use annalist::anchor::{self, AnchoredStory, Registry};
use annalist::build::{self, BuildOptions, Prepared};
use annalist::check;
use annalist::diagnostics::{render_text, TextStyle};
use annalist::index::{self, Archive, Parts};
use annalist::load::{self, Corpus, LoadOptions, StoryFile};
use annalist::render::cards::Cards;
use annalist::render::site::PageRenderer;

/// Stories of the archive for the one-story benchmarks.
const SMALL: usize = 200;
/// Stories of the archive for the whole-archive benchmarks.
const LARGE: usize = 10_000;
/// The generator's seed.
const SEED: u64 = 1;

fn main() {
    divan::main();
}

/// Generates an archive of `stories` stories into a new temporary folder.
fn generated(stories: usize) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let out = tmp.path().join("archive");
    generate::generate(&generate::Options {
        stories,
        seed: SEED,
        out: out.clone(),
        hugo: None,
    })
    .unwrap_or_else(|e| panic!("gen_archive failed: {e}"));
    (tmp, out)
}

fn load_clean(root: &Path) -> Corpus {
    let loaded = load::load(root, LoadOptions { drafts: false }).expect("the archive loads");
    assert!(
        loaded.diagnostics.is_empty(),
        "the generated archive has diagnostics"
    );
    loaded.corpus
}

/// The 200-story archive: its corpus, its prepared model and theme, and which
/// story is typical.
struct Small {
    corpus: Corpus,
    prepared: Prepared,
    /// Index in `corpus.stories` of the typical story.
    typical: usize,
}

fn small() -> &'static Small {
    static SMALL_ARCHIVE: OnceLock<Small> = OnceLock::new();
    SMALL_ARCHIVE.get_or_init(|| {
        let (_tmp, root) = generated(SMALL);
        let corpus = load_clean(&root);
        let prepared = build::prepare(&root, false, None)
            .unwrap_or_else(|(e, ds)| panic!("prepare failed: {e} ({} diagnostics)", ds.len()));
        let mut by_length: Vec<usize> = (0..corpus.stories.len()).collect();
        by_length.sort_by_key(|&i| {
            let s = &corpus.stories[i];
            (s.markdown().len(), s.slug.clone())
        });
        let typical = by_length[by_length.len() / 2];
        Small {
            corpus,
            prepared,
            typical,
        }
    })
}

/// The 10,000-story archive: its anchored stories and the other parts, and the
/// archive indexed from them.
struct Large {
    parts: Parts,
    stories: Vec<Arc<AnchoredStory>>,
    archive: Archive,
}

fn large() -> &'static Large {
    static LARGE_ARCHIVE: OnceLock<Large> = OnceLock::new();
    LARGE_ARCHIVE.get_or_init(|| {
        let (_tmp, root) = generated(LARGE);
        let corpus = load_clean(&root);
        let (anchored, diagnostics) = anchor::anchor(corpus);
        assert!(diagnostics.is_empty(), "anchoring found problems");
        let (parts, stories) = Parts::split(anchored);
        let stories: Vec<Arc<AnchoredStory>> = stories.into_iter().map(Arc::new).collect();
        let (archive, diagnostics) = index::index_shared(parts.clone(), stories.clone());
        assert!(diagnostics.is_empty(), "indexing found problems");
        assert_eq!(archive.stories.len(), LARGE);
        Large {
            parts,
            stories,
            archive,
        }
    })
}

/// Anchors the typical story of the 200-story archive (registry included).
#[divan::bench]
fn anchor_one_story(bencher: divan::Bencher) {
    let small = small();
    let corpus = &small.corpus;
    let story: &StoryFile = &corpus.stories[small.typical];
    bencher.with_inputs(|| story.clone()).bench_values(|story| {
        anchor::anchor_one(story, &corpus.people, &corpus.broken.people, &corpus.config)
    });
}

/// Builds the people registry of the 200-story archive: the part of
/// `anchor_one_story` that `anchor` does once for all stories.
#[divan::bench]
fn anchor_registry(bencher: divan::Bencher) {
    let corpus = &small().corpus;
    bencher.bench(|| Registry::new(&corpus.people, &corpus.broken.people));
}

/// Renders the typical story's page of the 200-story archive.
#[divan::bench]
fn render_one_story(bencher: divan::Bencher) {
    let small = small();
    let slug = &small.corpus.stories[small.typical].slug;
    let key = format!("stories/{slug}/index.html");
    let renderer = PageRenderer::new(
        Arc::clone(&small.prepared.archive),
        Arc::clone(&small.prepared.templates),
    );
    // Once before timing: loads what is loaded on first use.
    renderer
        .page(&key)
        .expect("the story has a page")
        .expect("the page renders");
    bencher.bench(|| renderer.page(&key).expect("a page").expect("renders"));
}

/// Indexes the 10,000 anchored stories.
#[divan::bench(sample_count = 10)]
fn index_10000_stories(bencher: divan::Bencher) {
    let large = large();
    bencher
        .with_inputs(|| (large.parts.clone(), large.stories.clone()))
        .bench_values(|(parts, stories)| index::index_shared(parts, stories));
}

/// Makes every card of the 10,000-story archive.
#[divan::bench(sample_count = 10)]
fn cards_10000_stories(bencher: divan::Bencher) {
    let archive = &large().archive;
    bencher.bench(|| Cards::new(archive));
}

/// Writes an archive of one story into `root`: `paragraphs` paragraphs each
/// quoting eight words that no `[[quote]]` covers (or one short paragraph),
/// and a sidecar of `missing` quotes whose `text` is not in the story (none
/// when `missing` is 0: an empty sidecar is an error).
fn one_story_archive(root: &Path, paragraphs: usize, missing: usize) {
    let stories = root.join("content/stories");
    std::fs::create_dir_all(&stories).expect("a folder");
    std::fs::write(
        root.join("archive.toml"),
        "title = \"Many\"\nbase_url = \"https://example.org/\"\n",
    )
    .expect("archive.toml");
    let mut story = String::from("+++\ntitle = \"Many\"\ndate = 2025-01-01\n+++\n\n");
    if paragraphs == 0 {
        story.push_str("A short story about nothing much at all.\n");
    }
    for i in 0..paragraphs {
        story.push_str(&format!(
            "She said \"one two three four five six words here\" on day {i}.\n\n"
        ));
    }
    std::fs::write(stories.join("many.md"), story).expect("the story");
    if missing == 0 {
        return;
    }
    let mut sidecar = String::new();
    for i in 0..missing {
        sidecar.push_str(&format!(
            "[[quote]]\nunnamed = \"a clerk\"\ntext = \"words that are nowhere {i}\"\n\n"
        ));
    }
    std::fs::write(stories.join("many.ann.toml"), sidecar).expect("the sidecar");
}

/// One paragraph of [`one_story_archive`], in bytes (about: 61 to 65).
const PARAGRAPH_BYTES: usize = 64;

/// A temporary archive from [`one_story_archive`].
fn one_story(paragraphs: usize, missing: usize) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    one_story_archive(tmp.path(), paragraphs, missing);
    tmp
}

fn checked(root: &Path) -> check::Checked {
    check::model(root, LoadOptions { drafts: true }).expect("the archive loads")
}

const TEXT: TextStyle = TextStyle {
    color: false,
    width: 100,
};

/// Checks a story of `bytes` with an unannotated quotation per paragraph.
#[divan::bench(args = [250_000, 500_000, 1_000_000], sample_count = 5)]
fn check_quotations(bencher: divan::Bencher, bytes: usize) {
    let tmp = one_story(bytes / PARAGRAPH_BYTES, 0);
    bencher.bench(|| checked(tmp.path()));
}

/// Prints the warnings of `check_quotations`.
#[divan::bench(args = [250_000, 500_000, 1_000_000], sample_count = 5)]
fn render_quotations(bencher: divan::Bencher, bytes: usize) {
    let tmp = one_story(bytes / PARAGRAPH_BYTES, 0);
    let checked = checked(tmp.path());
    assert_eq!(checked.diagnostics.len(), bytes / PARAGRAPH_BYTES);
    bencher.bench(|| render_text(&checked.diagnostics, TEXT));
}

/// Checks a short story whose sidecar has `missing` quotes not in it.
#[divan::bench(args = [2_500, 5_000, 10_000], sample_count = 5)]
fn check_missing(bencher: divan::Bencher, missing: usize) {
    let tmp = one_story(0, missing);
    bencher.bench(|| checked(tmp.path()));
}

/// Prints the errors of `check_missing`.
#[divan::bench(args = [2_500, 5_000, 10_000], sample_count = 5)]
fn render_missing(bencher: divan::Bencher, missing: usize) {
    let tmp = one_story(0, missing);
    let checked = checked(tmp.path());
    assert_eq!(checked.diagnostics.len(), missing);
    bencher.bench(|| render_text(&checked.diagnostics, TEXT));
}

/// Checks a story of `missing` paragraphs (a warning each) whose sidecar has
/// `missing` quotes not in it.
#[divan::bench(args = [2_500, 5_000, 10_000], sample_count = 5)]
fn check_missing_in_long_story(bencher: divan::Bencher, missing: usize) {
    let tmp = one_story(missing, missing);
    bencher.bench(|| checked(tmp.path()));
}

/// Builds the story of `check_quotations` again with nothing changed.
#[divan::bench(args = [250_000, 500_000, 1_000_000], sample_count = 5)]
fn rebuild_quotations(bencher: divan::Bencher, bytes: usize) {
    let tmp = one_story(bytes / PARAGRAPH_BYTES, 0);
    let options = BuildOptions {
        root: tmp.path().to_path_buf(),
        output: tmp.path().join("public"),
        base_url: None,
        drafts: false,
    };
    let (_, code) = build::run(&options, TEXT, false);
    assert_eq!(code, 0, "the first build");
    bencher.bench(|| {
        let (out, code) = build::run(&options, TEXT, false);
        assert!(
            code == 0 && out.contains("nothing to do"),
            "an unchanged rebuild"
        );
        out
    });
}

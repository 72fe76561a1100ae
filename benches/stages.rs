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

#[allow(dead_code)]
#[path = "../examples/gen_archive/generate.rs"]
mod generate;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use annalist::anchor::{self, AnchoredStory, Registry};
use annalist::build::{self, Prepared};
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

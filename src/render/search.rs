//! Built-in search: a [Pagefind](https://pagefind.app) index made in memory by the
//! `pagefind` crate used as a library (`api::PagefindIndex`, without its `serve`
//! feature), and the `/search/` page that runs Pagefind's UI over it.
//!
//! Records are not parsed back out of the rendered HTML: each story, person and
//! quote becomes a custom record (`add_custom_record`) with its URL, plain text,
//! result metadata and filters, all taken from the archive. Pagefind's files
//! (its index, its WASM, its UI) are returned as output files under [`BUNDLE`],
//! like any other page.
//!
//! URLs. A record's URL is its page's path from the site root with no leading
//! `/` (`quotes/ID/`). Pagefind's script joins it to the folder its own bundle was
//! loaded from, minus `pagefind/` (`/sub/path/` + `quotes/ID/`), so the results
//! link correctly under any sub-path and after the folder is moved, with nothing
//! in the index that depends on `base_url`.
//!
//! Text. Pagefind shows a result's excerpt and a filter's value as HTML, as it
//! would have read them from a page, so record text and filter values are
//! HTML-escaped here; titles and other metadata are shown as text and are not.
//!
//! Cost. Pagefind's API adds records one at a time and looks each new URL up
//! among all the records before it, so one index of N records costs N² and uses
//! one core. The records are therefore split into shards of at most
//! [`SHARD_RECORDS`], indexed in parallel, that the UI merges (`mergeIndex`);
//! and story text beyond [`STORY_WORD_BUDGET`] words in all is left out (see
//! `docs/search.md` for the numbers).

use std::collections::{BTreeMap, BTreeSet};
use std::panic::AssertUnwindSafe;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use rayon::prelude::*;
use serde::Serialize;

use super::cards::{one_line, Cards};
use super::citation::quote_title;
use super::common::{root_for, RenderError};
use super::templates::{Templates, PAGE_BYTES};
use super::views::{PageMeta, SiteView};
use crate::anchor::text::{first_words, visible_text};
use crate::diagnostics::Diagnostic;
use crate::index::Archive;
use crate::write::{OutputFile, Sink};

/// Words of story text the index holds at most, all stories together. Indexing
/// costs time in proportion to the words indexed (Pagefind's `add_custom_record`
/// is serial); within this budget every story is indexed whole, beyond it each
/// story is indexed from its start up to a common cap (see [`words_per_story`]).
/// Quotes, people, titles and filters are always indexed whole.
pub const STORY_WORD_BUDGET: usize = 1_000_000;

/// Words of each story indexed even when the archive is over the budget.
pub const MIN_STORY_WORDS: usize = 60;

/// The folder of Pagefind's files, from the site root.
pub const BUNDLE: &str = "pagefind/";

/// Files of Pagefind's bundle that the search page does not use (its other UIs,
/// and the script that highlights search terms on a result's page): not written.
const UNUSED: &[&str] = &[
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-highlight.js",
];

/// The search page's path from the site root.
pub const PAGE: &str = "search/";

/// The filters records carry, in the order the search page describes them:
/// (name, what it holds).
pub const FILTERS: &[(&str, &str)] = &[
    ("kind", "what the result is: story, person or quote"),
    (
        "speaker",
        "who said it: a quote's speaker, or everyone quoted in a story",
    ),
    (
        "person",
        "who is in it: the people of a story, a quote's speaker and the people it is about, a person's own page",
    ),
    ("year", "when: a story's year of publication, a quote's year"),
    ("tag", "a story's tags, and the tags of a quote's story"),
];

/// Everything on the search page; given to `search.html` as `search`.
#[derive(Debug, Clone, Serialize)]
pub struct SearchPage {
    /// The folder of Pagefind's files from the site root (`pagefind/`): the UI is
    /// `pagefind-ui.js` and `pagefind-ui.css` in it.
    pub bundle: String,
    /// The folders of the index's other shards, from the site root
    /// (`pagefind/shard-1/`, …; empty for an archive of up to 2,500 records): give
    /// them to the UI's `mergeIndex`.
    pub merged: Vec<String>,
    /// The filters of the index, in order.
    pub filters: Vec<SearchFilter>,
    /// How many records the index holds.
    pub records: usize,
}

/// A filter of the search index.
#[derive(Debug, Clone, Serialize)]
pub struct SearchFilter {
    /// Its name in the index and the UI (`speaker`).
    pub name: String,
    /// What it holds, for readers.
    pub description: String,
}

/// One record of the index, made from the archive.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The page's path from the site root (`quotes/ID/`).
    pub url: String,
    /// The searchable text, HTML-escaped (Pagefind shows excerpts of it as HTML).
    pub content: String,
    /// Shown with the result: `title`, and tags such as `speaker` and `date` (plain text).
    pub meta: BTreeMap<String, String>,
    /// Filter name → values, HTML-escaped (Pagefind shows them as HTML).
    pub filters: BTreeMap<String, Vec<String>>,
}

/// Puts the search page and Pagefind's files into `sink`, or nothing when
/// `[search] enabled = false`; returns the search page's path. Each shard's
/// files are put as soon as it is indexed, and its records are made only then.
pub fn files(
    archive: &Archive,
    cards: &Cards,
    templates: &Templates,
    site: &SiteView,
    sink: &dyn Sink,
) -> Result<Vec<String>, RenderError> {
    if !archive.config.search.enabled {
        return Ok(Vec::new());
    }
    let records = Records::new(archive, cards);
    let total = records.len();
    let language = language(&archive.config.language);
    let merged = index(total, &|i| records.get(i), &language, sink)?;
    let page =
        search_page(templates, site, total, merged).map_err(|d| RenderError::Pages(vec![d]))?;
    let path = page.path.clone();
    sink.put(page)?;
    Ok(vec![path])
}

/// Every record: stories, people and quotes, in archive order.
pub fn records(archive: &Archive, cards: &Cards) -> Vec<Record> {
    let records = Records::new(archive, cards);
    (0..records.len())
        .into_par_iter()
        .map(|i| records.get(i))
        .collect()
}

/// The archive's records by number (stories, people, then quotes), each made
/// when asked for: a shard of the index holds only its own.
struct Records<'a> {
    archive: &'a Archive,
    cards: &'a Cards,
    /// Words of each story indexed at most.
    limit: usize,
}

impl<'a> Records<'a> {
    fn new(archive: &'a Archive, cards: &'a Cards) -> Records<'a> {
        let lengths: Vec<usize> = archive.stories.iter().map(|s| s.story.text.words).collect();
        Records {
            archive,
            cards,
            limit: words_per_story(lengths, STORY_WORD_BUDGET),
        }
    }

    fn len(&self) -> usize {
        self.archive.stories.len() + self.archive.people.len() + self.archive.quotes.len()
    }

    fn get(&self, i: usize) -> Record {
        let (archive, cards) = (self.archive, self.cards);
        let people = archive.stories.len();
        let quotes = people + archive.people.len();
        if i < people {
            story_record(archive, cards, i, self.limit)
        } else if i < quotes {
            person_record(archive, cards, i - people)
        } else {
            quote_record(archive, cards, i - quotes)
        }
    }
}

fn story_record(archive: &Archive, cards: &Cards, i: usize, limit: usize) -> Record {
    let entry = &archive.stories[i];
    let card = &cards.stories[i];
    let speakers: BTreeSet<&str> = entry
        .quotes
        .iter()
        .map(|q| cards.quotes[q.0].speaker.name.as_str())
        .collect();
    let people: BTreeSet<&str> = entry
        .people
        .iter()
        .map(|(p, _)| cards.people[p.0].name.as_str())
        .collect();
    let mut meta = BTreeMap::from([
        ("title".to_string(), card.title.clone()),
        ("date".to_string(), card.date_display.clone()),
    ]);
    if let Some(source) = &card.source {
        meta.insert("source".into(), source.clone());
    }
    let filters = filters(
        "story",
        speakers,
        people,
        &card.date,
        card.tags.iter().map(|t| t.name.as_str()),
    );
    Record {
        url: card.path.clone(),
        content: escape(&story_text(
            first_words(
                entry.story.story.markdown(),
                crate::markdown::options(&archive.config.markdown),
                limit,
            ),
            &card.title,
        )),
        meta,
        filters,
    }
}

/// A story's searchable text: its first words (read from its Markdown, only
/// as far as the index takes them), or its title when it has none.
fn story_text(words: String, title: &str) -> String {
    if words.is_empty() {
        title.to_string()
    } else {
        words
    }
}

/// How many words of each story to index so that all stories together hold at
/// most `budget` words: every story whole when they fit, otherwise the largest
/// cap that fits, so short stories stay whole and long ones lose their ends.
/// Never less than [`MIN_STORY_WORDS`].
fn words_per_story(mut lengths: Vec<usize>, budget: usize) -> usize {
    if lengths.iter().sum::<usize>() <= budget {
        return usize::MAX;
    }
    lengths.sort_unstable();
    let mut left = budget;
    let mut remaining = lengths.len();
    for length in lengths {
        // Every story from here on is at least `length` long.
        if length * remaining > left {
            return (left / remaining).max(MIN_STORY_WORDS);
        }
        left -= length;
        remaining -= 1;
    }
    usize::MAX
}

fn person_record(archive: &Archive, cards: &Cards, i: usize) -> Record {
    let entry = &archive.people[i];
    let card = &cards.people[i];
    let front = &entry.file.front;
    let bio = visible_text(
        entry.file.biography(),
        0,
        crate::markdown::options(&archive.config.markdown),
    );
    let mut text = vec![card.name.as_str()];
    text.extend(front.aliases.iter().map(String::as_str));
    text.extend(card.description.as_deref());
    text.extend(front.roles.iter().map(|r| r.title.as_str()));
    text.push(&bio.text);
    let mut meta = BTreeMap::from([("title".to_string(), card.name.clone())]);
    if let Some(description) = &card.description {
        meta.insert("description".into(), one_line(description));
    }
    let mut filters = BTreeMap::new();
    filters.insert("kind".to_string(), vec!["person".to_string()]);
    filters.insert("person".to_string(), vec![escape(&card.name)]);
    Record {
        url: card.path.clone(),
        content: escape(&one_line(&text.join("\n"))),
        meta,
        filters,
    }
}

fn quote_record(archive: &Archive, cards: &Cards, i: usize) -> Record {
    let entry = &archive.quotes[i];
    let card = &cards.quotes[i];
    let mut people: BTreeSet<&str> = entry
        .about
        .iter()
        .map(|p| cards.people[p.0].name.as_str())
        .collect();
    if let Some(p) = entry.speaker {
        people.insert(cards.people[p.0].name.as_str());
    }
    let meta = BTreeMap::from([
        ("title".to_string(), quote_title(card)),
        ("speaker".to_string(), card.speaker.name.clone()),
        ("date".to_string(), card.date_display.clone()),
    ]);
    let filters = filters(
        "quote",
        BTreeSet::from([card.speaker.name.as_str()]),
        people,
        &card.date,
        cards.stories[entry.story.0]
            .tags
            .iter()
            .map(|t| t.name.as_str()),
    );
    Record {
        url: card.path.clone(),
        content: escape(&card.words),
        meta,
        filters,
    }
}

fn filters<'a>(
    kind: &str,
    speakers: BTreeSet<&str>,
    people: BTreeSet<&str>,
    date: &str,
    tags: impl Iterator<Item = &'a str>,
) -> BTreeMap<String, Vec<String>> {
    let list = |values: BTreeSet<&str>| values.into_iter().map(escape).collect::<Vec<_>>();
    let mut filters = BTreeMap::new();
    filters.insert("kind".to_string(), vec![kind.to_string()]);
    filters.insert("speaker".to_string(), list(speakers));
    filters.insert("person".to_string(), list(people));
    filters.insert(
        "year".to_string(),
        vec![date.split('-').next().unwrap_or(date).to_string()],
    );
    filters.insert("tag".to_string(), list(tags.collect()));
    filters.retain(|_, values| !values.is_empty());
    filters
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html_body_text(&mut out, text);
    out
}

/// Pagefind's language code: the primary subtag of the archive's language (`en-GB` → `en`).
fn language(language: &str) -> String {
    let primary = language.split(['-', '_']).next().unwrap_or("").trim();
    if primary.is_empty() {
        "en".to_string()
    } else {
        primary.to_ascii_lowercase()
    }
}

/// Indexes `total` records with Pagefind, made by `record`, and puts the
/// files into `sink`; returns the folders of the shards after the first, from
/// the site root (`pagefind/shard-1/`), which the UI merges with `mergeIndex`.
/// The records are dealt round-robin into shards of at most
/// [`SHARD_RECORDS`] (the number of shards depends on the archive only, so a
/// build is the same on any machine), and the shards are indexed at the same
/// time, one thread each, up to the machine's cores. A shard's records are made
/// when it starts and its files are put when it ends: all the shards' working
/// memory at once was a fifth of a build's peak. Each shard runs Pagefind's
/// async API on a small tokio runtime of its own, on a plain thread, so that a
/// caller already inside a runtime (`serve`) or inside rayon is not disturbed.
pub fn index(
    total: usize,
    record: &(dyn Fn(usize) -> Record + Sync),
    language: &str,
    sink: &dyn Sink,
) -> Result<Vec<String>, RenderError> {
    let count = total.div_ceil(SHARD_RECORDS).max(1);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(count);
    let next = AtomicUsize::new(0);
    let failed: Mutex<Option<RenderError>> = Mutex::new(None);
    let stop = |e: RenderError| {
        if let Ok(mut failed) = failed.lock() {
            failed.get_or_insert(e);
        }
    };
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= count || failed.lock().map_or(true, |f| f.is_some()) {
                    break;
                }
                let shard: Vec<Record> = (n..total).step_by(count).map(record).collect();
                // Pagefind unwraps in places; a panic is this build's error, not a crash.
                let files =
                    std::panic::catch_unwind(AssertUnwindSafe(|| index_shard(shard, language)))
                        .unwrap_or_else(|_| Err("Pagefind panicked".to_string()));
                let files = match files {
                    Ok(files) => files,
                    Err(e) => {
                        stop(index_failed(&e));
                        break;
                    }
                };
                let folder = shard_folder(n);
                // The other shards share the first one's scripts and WASM.
                let put = files
                    .into_iter()
                    .filter(|(name, _)| n == 0 || is_index_data(name))
                    .try_for_each(|(name, bytes)| {
                        sink.put(OutputFile {
                            path: format!("{folder}{name}"),
                            bytes,
                        })
                    });
                if let Err(e) = put {
                    stop(e.into());
                    break;
                }
            });
        }
    });
    match failed.into_inner() {
        Ok(None) => Ok((1..count).map(shard_folder).collect()),
        Ok(Some(e)) => Err(e),
        Err(_) => Err(index_failed("a search indexer failed")),
    }
}

fn index_failed(e: &str) -> RenderError {
    RenderError::Pages(vec![Diagnostic::error(format!(
        "the search index could not be built: {e}"
    ))
    .hint(
        "set `[search] enabled = false` in archive.toml to build without search",
    )])
}

/// Records per shard of the index, at most.
pub const SHARD_RECORDS: usize = 2_500;

/// Fragment files per shard, at most: more records than this share files.
const MAX_FRAGMENTS: u32 = 500;

/// `pagefind/`, then `pagefind/shard-1/`, … (a name without `pagefind` in it, from
/// which Pagefind's script derives the site's base path as it does for the first).
fn shard_folder(n: usize) -> String {
    if n == 0 {
        BUNDLE.to_string()
    } else {
        format!("{BUNDLE}shard-{n}/")
    }
}

/// Whether a file of a shard's bundle is its index (entry, metadata, words,
/// filters, fragments) rather than Pagefind's scripts, styles and WASM.
fn is_index_data(name: &str) -> bool {
    name == "pagefind-entry.json"
        || name.ends_with(".pf_meta")
        || ["fragment/", "index/", "filter/"]
            .iter()
            .any(|d| name.starts_with(d))
}

/// One shard: Pagefind's files as (path in the bundle, bytes).
fn index_shard(records: Vec<Record>, language: &str) -> Result<Vec<(String, Vec<u8>)>, String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .max_blocking_threads(1)
        .enable_all()
        .build()
        .map_err(|e| format!("no tokio runtime: {e}"))?;
    runtime.block_on(index_async(records, language.to_string()))
}

async fn index_async(
    records: Vec<Record>,
    language: String,
) -> Result<Vec<(String, Vec<u8>)>, String> {
    use pagefind::api::PagefindIndex;
    use pagefind::options::PagefindServiceConfig;

    let config = PagefindServiceConfig::builder()
        .force_language(language.clone())
        .max_fragments(MAX_FRAGMENTS)
        .build();
    let mut index = PagefindIndex::new(Some(config)).map_err(|e| e.to_string())?;
    for record in records {
        index
            .add_custom_record(
                record.url,
                record.content,
                language.clone(),
                Some(record.meta),
                Some(record.filters),
                None,
            )
            .await
            .map_err(|e| e.to_string())?;
    }

    let files = index.get_files().await.map_err(|e| e.to_string())?;
    Ok(files
        .into_iter()
        .map(|f| (f.filename.to_string_lossy().replace('\\', "/"), f.contents))
        .filter(|(name, _)| !UNUSED.contains(&name.as_str()))
        .collect())
}

/// `/search/`, through `search.html`.
fn search_page(
    templates: &Templates,
    site: &SiteView,
    records: usize,
    merged: Vec<String>,
) -> Result<OutputFile, Diagnostic> {
    let meta = PageMeta {
        title: "Search".into(),
        description: format!("Search {}.", site.title),
        root: root_for(PAGE),
        path: PAGE.into(),
        canonical: format!("{}{PAGE}", site.base_url),
        kind: "search",
        feed: None,
        json_ld: None,
        image: None,
    };
    let search = SearchPage {
        bundle: BUNDLE.into(),
        filters: FILTERS
            .iter()
            .map(|(name, description)| SearchFilter {
                name: name.to_string(),
                description: description.to_string(),
            })
            .collect(),
        merged,
        records,
    };
    let bytes = templates.render("search.html", site, &meta, "search", &search, PAGE_BYTES)?;
    Ok(OutputFile {
        path: format!("{PAGE}index.html"),
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn story_words_fill_the_budget_from_the_shortest() {
        assert_eq!(words_per_story(vec![10, 20, 30], 100), usize::MAX);
        // 10 and 20 whole, then 70 words for the last two: 35 each, but at least the minimum.
        assert_eq!(
            words_per_story(vec![10, 20, 500, 900], 100),
            MIN_STORY_WORDS
        );
        assert_eq!(words_per_story(vec![10, 20, 500, 900], 1_000), 485);
        assert_eq!(words_per_story(vec![1_000; 10], 5_000), 500);
        assert_eq!(story_text("a b c".into(), "T"), "a b c");
        assert_eq!(story_text(String::new(), "T"), "T");
    }

    #[test]
    fn languages_are_primary_subtags() {
        assert_eq!(language("en-GB"), "en");
        assert_eq!(language("DE"), "de");
        assert_eq!(language(""), "en");
    }

    #[test]
    fn filters_are_escaped_sorted_and_never_empty() {
        let filters = filters(
            "quote",
            BTreeSet::from(["A & B"]),
            BTreeSet::new(),
            "2025-03-04",
            ["x<y"].into_iter(),
        );
        assert_eq!(filters["kind"], ["quote"]);
        assert_eq!(filters["speaker"], ["A &amp; B"]);
        assert_eq!(filters["year"], ["2025"]);
        assert_eq!(filters["tag"], ["x&lt;y"]);
        assert!(!filters.contains_key("person"));
    }

    fn record(n: usize) -> Record {
        Record {
            url: format!("quotes/q{n}/"),
            content: format!("We will not sign agreement number {n}"),
            meta: BTreeMap::from([("title".to_string(), format!("Someone {n}"))]),
            filters: BTreeMap::from([("kind".to_string(), vec!["quote".to_string()])]),
        }
    }

    /// The merged folders and every file of an index of `records`.
    fn indexed(records: Vec<Record>) -> (Vec<String>, Vec<OutputFile>) {
        let sink = crate::write::Collect::default();
        let merged = index(records.len(), &|i| records[i].clone(), "en", &sink).unwrap();
        (merged, sink.into_files())
    }

    #[test]
    fn a_small_index_has_its_entry_ui_and_fragments() {
        let (merged, files) = indexed(vec![record(1)]);
        assert!(merged.is_empty());
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        for expected in [
            "pagefind/pagefind.js",
            "pagefind/pagefind-worker.js",
            "pagefind/pagefind-ui.js",
            "pagefind/pagefind-ui.css",
            "pagefind/pagefind-entry.json",
            "pagefind/wasm.en.pagefind",
        ] {
            assert!(paths.contains(&expected), "{expected} in {paths:?}");
        }
        assert!(paths.iter().any(|p| p.ends_with(".pf_fragment")));
        assert!(paths.iter().any(|p| p.starts_with("pagefind/filter/")));
        assert!(!paths.iter().any(|p| p.contains("modular")));
    }

    #[test]
    fn a_large_index_is_split_into_shards_that_share_the_scripts() {
        let records: Vec<Record> = (0..SHARD_RECORDS + 1).map(record).collect();
        let (merged, files) = indexed(records);
        assert_eq!(merged, ["pagefind/shard-1/"]);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert!(paths.contains(&"pagefind/pagefind.js"));
        assert!(paths.contains(&"pagefind/shard-1/pagefind-entry.json"));
        assert!(paths
            .iter()
            .any(|p| p.starts_with("pagefind/shard-1/fragment/")));
        assert!(!paths.iter().any(|p| p.starts_with("pagefind/shard-1/")
            && (p.ends_with(".js") || p.ends_with(".pagefind"))));
        // Grouped fragments: far fewer files than records.
        let fragments = paths.iter().filter(|p| p.contains("/fragment/")).count();
        assert!(fragments <= 2 * MAX_FRAGMENTS as usize, "{fragments}");
    }
}

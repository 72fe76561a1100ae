//! Built-in search over a copy of the example archive built for a sub-path: the
//! Pagefind files and the search page on disk, the header's search box on every
//! page, `[search] enabled = false`, and (ignored by default: it needs Chromium
//! and chromedriver, which `.ci/run` installs) a search and a speaker filter run
//! by Pagefind's UI in headless Chromium, served over HTTP under the sub-path.

mod common;
#[path = "common/html.rs"]
mod html;
#[path = "common/serve.rs"]
mod serve;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use annalist::render::cards::Cards;
use annalist::render::search::Record;
use common::webdriver::ChromeDriver;
use fantoccini::{Client, Locator};
use serde_json::Value;

/// The sub-path the example is built for (and served at in the browser test).
const PREFIX: &str = "/sub/path/";

/// A copy of the example archive (its settings, content and templates) in a temp dir.
fn example_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for part in ["content", "templates"] {
        let from = common::example().join(part);
        if from.is_dir() {
            common::copy_dir(&from, &dir.path().join(part));
        }
    }
    std::fs::copy(
        common::example().join("archive.toml"),
        dir.path().join("archive.toml"),
    )
    .unwrap();
    dir
}

/// A site built into a temp dir, with the base URL it was built for.
struct Site {
    _dir: Option<tempfile::TempDir>,
    root: PathBuf,
    base: url::Url,
}

impl Site {
    fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    fn read(&self, relative: &str) -> String {
        let file = self.path(relative);
        std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
    }

    fn json(&self, relative: &str) -> Value {
        serde_json::from_str(&self.read(relative))
            .unwrap_or_else(|e| panic!("{relative} is not JSON: {e}"))
    }

    /// Every file of the site, relative, with `/` separators.
    fn files(&self) -> Vec<String> {
        common::site_files(&self.root)
    }

    fn html_pages(&self) -> Vec<String> {
        let mut pages: Vec<String> = self
            .files()
            .into_iter()
            .filter(|f| f.ends_with(".html"))
            .collect();
        pages.sort();
        pages
    }

    /// The URL a page at `relative` (`stories/x/index.html`) is served at.
    fn page_url(&self, relative: &str) -> url::Url {
        let path = relative.strip_suffix("index.html").unwrap_or(relative);
        self.base.join(path).unwrap()
    }

    /// The file of the site a URL leads to, when it is under the base URL.
    fn file_for(&self, target: &url::Url) -> Option<String> {
        let target = target.as_str().split(['#', '?']).next().unwrap_or("");
        let rest = target.strip_prefix(self.base.as_str())?;
        let rest = percent_encoding::percent_decode_str(rest)
            .decode_utf8()
            .ok()?
            .into_owned();
        Some(if rest.is_empty() || rest.ends_with('/') {
            format!("{rest}index.html")
        } else {
            rest
        })
    }

    /// Whether a URL under the base URL leads to a file of the site.
    fn resolves(&self, target: &url::Url) -> bool {
        self.file_for(target)
            .is_some_and(|file| !file.split('/').any(|s| s == "..") && self.path(&file).is_file())
    }
}

/// Builds `archive` into a temp dir for `base` (a URL ending in [`PREFIX`]).
fn build_site(archive: &Path, base: &str) -> Site {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    build_into(archive, &root, base);
    Site {
        _dir: Some(dir),
        root,
        base: url::Url::parse(base).unwrap(),
    }
}

fn build_into(archive: &Path, output: &Path, base: &str) {
    if let Err(e) = common::build_into(archive, output, Some(base)) {
        panic!("the build failed: {e}");
    }
}

/// The example, built with search for a sub-path on a port nothing listens on.
fn example_site() -> (tempfile::TempDir, Site) {
    let archive = example_copy();
    let site = build_site(archive.path(), "http://127.0.0.1:9/sub/path/");
    (archive, site)
}

/// The value of attribute `name` in the tag `tag` (`<form class="x" …>`).
fn attr(tag: &str, name: &str) -> Option<String> {
    html::attr_values(tag, name).into_iter().next()
}

/// The opening tags named `name` whose `class` attribute holds `class`.
fn tags_with_class<'a>(page: &'a str, name: &str, class: &str) -> Vec<&'a str> {
    html::tags(page)
        .into_iter()
        .filter(|t| !t.closing && t.name == name)
        .filter(|t| attr(t.text, "class").is_some_and(|c| c.split_whitespace().any(|c| c == class)))
        .map(|t| t.text)
        .collect()
}

/// The number of search records the data downloads describe: every story, person and quote.
fn record_count(site: &Site) -> u64 {
    ["stories", "people", "quotes"]
        .iter()
        .map(|kind| {
            site.json(&format!("data/{kind}.json"))
                .as_array()
                .unwrap_or_else(|| panic!("data/{kind}.json is an array"))
                .len() as u64
        })
        .sum()
}

#[test]
fn the_index_the_ui_and_every_merged_shard_are_written() {
    let (_archive, site) = example_site();
    let files = site.files();

    for file in [
        "pagefind/pagefind.js",
        "pagefind/pagefind-worker.js",
        "pagefind/pagefind-ui.js",
        "pagefind/pagefind-ui.css",
        "pagefind/pagefind-entry.json",
        "pagefind/wasm.en.pagefind",
        "search/index.html",
    ] {
        assert!(
            site.path(file).is_file(),
            "{file} is missing; pagefind/ holds {:?}",
            files
                .iter()
                .filter(|f| f.starts_with("pagefind/"))
                .collect::<Vec<_>>()
        );
    }
    // The other UIs and the highlighting script are left out.
    let unused: Vec<&String> = files
        .iter()
        .filter(|f| {
            f.contains("modular-ui") || f.contains("component-ui") || f.contains("highlight.js")
        })
        .collect();
    assert!(
        unused.is_empty(),
        "unused Pagefind files written: {unused:?}"
    );

    // The entry names the language's metadata file and counts every record.
    let entry = site.json("pagefind/pagefind-entry.json");
    let en = &entry["languages"]["en"];
    let hash = en["hash"].as_str().expect("languages.en.hash in the entry");
    assert!(
        site.path(&format!("pagefind/pagefind.{hash}.pf_meta"))
            .is_file(),
        "pagefind/pagefind.{hash}.pf_meta, named by the entry, is missing"
    );
    assert_eq!(
        en["page_count"].as_u64(),
        Some(record_count(&site)),
        "one record per story, person and quote"
    );
    for folder in ["fragment/", "index/", "filter/"] {
        assert!(
            files
                .iter()
                .any(|f| f.starts_with(&format!("pagefind/{folder}"))),
            "nothing in pagefind/{folder}"
        );
    }

    // The search page merges exactly the shards that were written, and each is whole.
    let page = site.read("search/index.html");
    let ui = tags_with_class(&page, "div", "search-ui");
    assert_eq!(ui.len(), 1, "one Pagefind UI element on the search page");
    assert_eq!(attr(ui[0], "data-root").as_deref(), Some("../"));
    let merge = attr(ui[0], "data-merge").expect("data-merge on the UI element");
    let merged: BTreeSet<String> = merge.split_whitespace().map(str::to_string).collect();
    for shard in &merged {
        assert!(
            shard.starts_with("pagefind/") && shard.ends_with('/'),
            "merged shard {shard:?} is not a folder under pagefind/"
        );
        assert!(
            site.path(&format!("{shard}pagefind-entry.json")).is_file(),
            "merged shard {shard} has no pagefind-entry.json"
        );
        assert!(
            files
                .iter()
                .any(|f| f.starts_with(&format!("{shard}fragment/"))),
            "merged shard {shard} has no fragments"
        );
    }
    let written: BTreeSet<String> = files
        .iter()
        .filter(|f| f.starts_with("pagefind/") && f.ends_with("/pagefind-entry.json"))
        .filter(|f| *f != "pagefind/pagefind-entry.json")
        .map(|f| f.trim_end_matches("pagefind-entry.json").to_string())
        .collect();
    assert_eq!(
        written, merged,
        "shards written vs shards merged by the page"
    );

    // The page loads Pagefind's UI from the bundle, and the sitemap lists it.
    let css: Vec<String> = html::attr_values(&page, "href")
        .into_iter()
        .filter(|h| h.ends_with("pagefind-ui.css"))
        .collect();
    assert_eq!(css, ["../pagefind/pagefind-ui.css"]);
    let js: Vec<String> = html::attr_values(&page, "src")
        .into_iter()
        .filter(|h| h.ends_with("pagefind-ui.js"))
        .collect();
    assert_eq!(js, ["../pagefind/pagefind-ui.js"]);
    assert!(page.contains("new PagefindUI("), "the page starts the UI");
    assert!(
        site.read("sitemap.xml")
            .contains(&format!("<loc>{}search/</loc>", site.base)),
        "the sitemap lists the search page"
    );
}

#[test]
fn every_internal_link_of_the_search_page_resolves() {
    let (_archive, site) = example_site();
    let page = site.read("search/index.html");
    let here = site.page_url("search/index.html");
    let ids: BTreeSet<String> = html::attr_values(&page, "id").into_iter().collect();
    let mut checked = 0;
    let mut broken = Vec::new();
    for name in ["href", "src", "action"] {
        for link in html::attr_values(&page, name) {
            if let Some(id) = link.strip_prefix('#') {
                if !ids.contains(id) {
                    broken.push(format!("{name}={link:?}: no such id"));
                }
                checked += 1;
                continue;
            }
            let target = here.join(&link).unwrap();
            if !target.as_str().starts_with(site.base.as_str()) {
                assert!(
                    !target.as_str().starts_with("http://127.0.0.1:9/"),
                    "{name}={link:?} leaves the sub-path"
                );
                continue; // another site
            }
            checked += 1;
            if !site.resolves(&target) {
                broken.push(format!("{name}={link:?} → {target}"));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    // The navigation, the footer, the noscript links, the stylesheets and the script.
    assert!(checked >= 15, "only {checked} links checked");
}

#[test]
fn every_page_but_the_search_page_has_the_header_search_box() {
    let (_archive, site) = example_site();
    let search = site.page_url("search/index.html");
    let pages = site.html_pages();
    assert!(pages.len() > 100, "only {} pages", pages.len());
    let mut missing = Vec::new();
    for page in &pages {
        let html = site.read(page);
        let forms = tags_with_class(&html, "form", "site-search");
        if page == "search/index.html" {
            // The page itself has Pagefind's box instead.
            assert!(forms.is_empty(), "the search page has the header box too");
            continue;
        }
        let [form] = forms.as_slice() else {
            missing.push(format!("{page}: {} header search forms", forms.len()));
            continue;
        };
        let action = attr(form, "action").unwrap_or_default();
        let target = site.page_url(page).join(&action).unwrap();
        if target != search {
            missing.push(format!("{page}: the box sends to {action:?} ({target})"));
        }
        if attr(form, "method").as_deref() != Some("get") {
            missing.push(format!("{page}: the box does not use GET"));
        }
        let start = html.find(*form).unwrap();
        let body = &html[start..start + html[start..].find("</form>").unwrap_or(0)];
        let fields: Vec<String> = html::attr_values(body, "name");
        if fields != ["q"] {
            missing.push(format!("{page}: the box sends {fields:?}, not q"));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn disabled_search_writes_no_index_no_page_and_no_links_to_them() {
    let archive = example_copy();
    let config = std::fs::read_to_string(archive.path().join("archive.toml")).unwrap();
    assert!(
        !config.contains("[search]"),
        "the example sets [search] itself"
    );
    common::write(
        archive.path(),
        "archive.toml",
        &format!("{config}\n[search]\nenabled = false\n"),
    );
    let site = build_site(archive.path(), "http://127.0.0.1:9/sub/path/");
    let search = site.base.join("search/").unwrap();
    let bundle = site.base.join("pagefind/").unwrap();

    assert!(!site.path("pagefind").exists(), "pagefind/ was written");
    assert!(!site.path("search").exists(), "search/ was written");
    let files = site.files();
    assert!(
        !files.iter().any(|f| f.contains("pagefind")),
        "Pagefind files written: {:?}",
        files
            .iter()
            .filter(|f| f.contains("pagefind"))
            .collect::<Vec<_>>()
    );
    let pages = site.html_pages();
    assert!(pages.len() > 100, "only {} pages", pages.len());
    let mut found = Vec::new();
    for page in &pages {
        let html = site.read(page);
        let here = site.page_url(page);
        if !tags_with_class(&html, "form", "site-search").is_empty() {
            found.push(format!("{page}: a header search box"));
        }
        if html.contains("pagefind") || html.contains("PagefindUI") {
            found.push(format!("{page}: mentions Pagefind"));
        }
        for name in ["href", "src", "action"] {
            for link in html::attr_values(&html, name) {
                let Ok(target) = here.join(&link) else {
                    continue;
                };
                if target.as_str().starts_with(search.as_str())
                    || target.as_str().starts_with(bundle.as_str())
                {
                    found.push(format!("{page}: {name}={link:?}"));
                }
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
    assert!(
        !site.read("sitemap.xml").contains("/search/"),
        "the sitemap lists a search page"
    );
}

// ---------------------------------------------------------------------------
// In the browser.

/// The words of a text, lower-cased.
fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether a search for `word` may find `token` of a record: Pagefind matches
/// the words that start with the searched one, and stems words. Generous, to
/// overcount what a search finds.
fn related(token: &str, word: &str) -> bool {
    let common = token
        .chars()
        .zip(word.chars())
        .take_while(|(x, y)| x == y)
        .count();
    let longer = token.chars().count().max(word.chars().count());
    token.starts_with(word) || common >= 4 && common + 3 >= longer
}

/// A quote of the example to search for.
#[derive(Debug)]
struct Target {
    /// The searched word: in this quote's text, in no other quote, in few
    /// records in all, and in at least one record outside `allowed`.
    word: String,
    /// The quote's page (`quotes/ID/`).
    quote: String,
    /// Its speaker, as the filter shows them.
    speaker: String,
    /// Pages a result may lead to once filtered to the speaker: the speaker's
    /// quotes and the stories they are quoted in (from `data/quotes.json`).
    allowed: BTreeSet<String>,
}

/// Picks the quote and the word from the built data and the archive's search records.
fn pick_target(site: &Site, records: &[Record]) -> Target {
    let quotes = site.json("data/quotes.json");
    let quotes = quotes.as_array().expect("data/quotes.json is an array");
    let field = |q: &Value, name: &str| -> String {
        q[name]
            .as_str()
            .unwrap_or_else(|| panic!("a quote has no {name}: {q}"))
            .to_string()
    };
    let mut allowed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for q in quotes {
        let pages = allowed.entry(field(q, "speaker")).or_default();
        pages.insert(format!("quotes/{}/", field(q, "id")));
        pages.insert(format!("stories/{}/", field(q, "story")));
    }
    // Each record's words: of its text alone, and of its text and metadata.
    let texts: Vec<(String, BTreeSet<String>, BTreeSet<String>)> = records
        .iter()
        .map(|r| {
            let text = words(&r.content);
            let mut all = text.clone();
            for value in r.meta.values() {
                all.extend(words(value));
            }
            (r.url.clone(), text, all)
        })
        .collect();
    let mut best: Option<(usize, Target)> = None;
    for q in quotes {
        let (id, speaker) = (field(q, "id"), field(q, "speaker"));
        let quote = format!("quotes/{id}/");
        let allowed = &allowed[&speaker];
        for word in words(&field(q, "words")) {
            if word.chars().count() < 6 || !word.chars().all(|c| c.is_alphabetic()) {
                continue;
            }
            let matching: Vec<&String> = texts
                .iter()
                .filter(|(_, _, all)| all.iter().any(|w| related(w, &word)))
                .map(|(url, _, _)| url)
                .collect();
            let quotes_matching = matching.iter().filter(|u| u.starts_with("quotes/")).count();
            let outside = texts
                .iter()
                .any(|(url, text, _)| !allowed.contains(url) && text.contains(&word));
            if matching.contains(&&quote)
                && quotes_matching == 1
                && outside
                && matching.len() <= 6
                && best.as_ref().is_none_or(|(n, _)| matching.len() < *n)
            {
                let target = Target {
                    word: word.clone(),
                    quote: quote.clone(),
                    speaker: speaker.clone(),
                    allowed: allowed.clone(),
                };
                best = Some((matching.len(), target));
            }
        }
    }
    best.map(|(_, t)| t)
        .expect("a quote with a word of its own that some other record shares")
}

/// What the search page shows.
#[derive(Debug, Default, PartialEq)]
struct Shown {
    /// The result count from Pagefind's message (0 for "No results").
    count: Option<usize>,
    /// Results in the list.
    items: usize,
    /// Each loaded result's link, as the browser resolved it.
    links: Vec<String>,
}

impl Shown {
    /// Whether the results are settled: counted, all listed and all loaded.
    fn settled(&self) -> bool {
        self.count
            .is_some_and(|n| self.items == n.min(10) && self.links.len() == self.items)
    }
}

async fn shown(client: &Client) -> Shown {
    let value = client
        .execute(
            r#"
            var message = document.querySelector(".pagefind-ui__message");
            var links = Array.prototype.map.call(
              document.querySelectorAll(".pagefind-ui__result a.pagefind-ui__result-link"),
              function (a) { return a.href; });
            return {
              message: message ? message.textContent : null,
              items: document.querySelectorAll(".pagefind-ui__result").length,
              links: links
            };
            "#,
            vec![],
        )
        .await
        .unwrap_or(Value::Null);
    let message = value["message"].as_str().unwrap_or("").trim().to_string();
    let count = if message.is_empty() {
        None
    } else {
        let digits: String = message
            .chars()
            .skip_while(|c| !c.is_ascii_digit())
            .take_while(char::is_ascii_digit)
            .collect();
        match digits.parse::<usize>() {
            Ok(n) => Some(n),
            Err(_) if message.to_lowercase().starts_with("no results") => Some(0),
            Err(_) => None,
        }
    };
    Shown {
        count,
        items: value["items"].as_u64().unwrap_or(0) as usize,
        links: value["links"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|l| l.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

const WAIT: Duration = Duration::from_secs(20);

/// Polls the page until its results are settled, stay the same for a moment,
/// and satisfy `test`; panics with what was shown after [`WAIT`].
async fn wait_for_results(client: &Client, what: &str, test: impl Fn(&Shown) -> bool) -> Shown {
    let started = Instant::now();
    let mut last = Shown::default();
    while started.elapsed() < WAIT {
        let now = shown(client).await;
        if now.settled() && test(&now) && now == last {
            return now;
        }
        last = now;
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("{what} did not happen within {WAIT:?}; the page showed {last:?}");
}

/// Escapes a string for a double-quoted CSS string.
fn css_string(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

#[test]
#[ignore = "needs chromium and chromedriver (installed by .ci/run)"]
fn a_search_finds_a_quote_and_the_speaker_filter_narrows_the_results() {
    let archive = example_copy();
    let out = tempfile::tempdir().unwrap();
    let root = out.path().join("site");
    std::fs::create_dir_all(&root).unwrap();
    // The port is only known once the server runs: bind first, then build for it.
    let server = serve::StaticServer::start(&root, PREFIX);
    let base = format!("http://127.0.0.1:{}{PREFIX}", server.port);
    build_into(archive.path(), &root, &base);
    let site = Site {
        _dir: None,
        root: root.clone(),
        base: url::Url::parse(&base).unwrap(),
    };
    let checked = annalist::check::model(archive.path(), Default::default()).unwrap();
    let cards = Cards::new(&checked.archive);
    let records = annalist::render::search::records(&checked.archive, &cards);
    let target = pick_target(&site, &records);
    let page_of = |link: &str| -> String {
        link.strip_prefix(base.as_str()).map_or_else(
            || link.to_string(),
            |rest| rest.split('#').next().unwrap_or("").to_string(),
        )
    };

    let driver = ChromeDriver::start();
    let runtime = driver.runtime();
    runtime.block_on(async {
        let client = driver.client().await;
        client
            .goto(&format!("{base}search/?q={}", target.word))
            .await
            .unwrap();

        // Unfiltered: the quote is found, every result leads to a page of the site
        // under the sub-path, and something else than the speaker's pages is found.
        let before = wait_for_results(&client, "the search for the quote's word", |s| {
            s.links.iter().any(|l| page_of(l) == target.quote)
        })
        .await;
        for link in &before.links {
            let url = url::Url::parse(link).unwrap();
            assert!(site.resolves(&url), "result {link} leads to no page of the site");
        }
        let pages: Vec<String> = before.links.iter().map(|l| page_of(l)).collect();
        assert!(
            pages.iter().any(|p| !target.allowed.contains(p)),
            "searching {:?} found only pages of {}: {pages:?}, so the filter could not narrow it",
            target.word,
            target.speaker
        );
        let count = before.count.unwrap();

        // The speaker filter: open its group, tick the speaker.
        let started = Instant::now();
        let summary = loop {
            let mut found = None;
            if let Ok(names) = client
                .find_all(Locator::Css(".pagefind-ui__filter-panel .pagefind-ui__filter-name"))
                .await
            {
                for name in names {
                    if name.text().await.is_ok_and(|t| t.trim() == "Speaker") {
                        found = Some(name);
                        break;
                    }
                }
            }
            if let Some(found) = found {
                break found;
            }
            assert!(started.elapsed() < WAIT, "no Speaker filter in the filter panel");
            tokio::time::sleep(Duration::from_millis(250)).await;
        };
        summary.click().await.unwrap();
        let checkbox = client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(&format!(
                ".pagefind-ui__filter-panel input.pagefind-ui__filter-checkbox[name=\"speaker\"][id=\"speaker-{}\"]",
                css_string(&target.speaker)
            )))
            .await
            .unwrap_or_else(|e| panic!("no speaker filter value for {}: {e}", target.speaker));
        checkbox.click().await.unwrap();

        let after = wait_for_results(&client, "the speaker filter", |s| {
            s.count.is_some_and(|n| n < count)
                && s.links.iter().all(|l| target.allowed.contains(&page_of(l)))
        })
        .await;
        let pages: Vec<String> = after.links.iter().map(|l| page_of(l)).collect();
        assert!(
            pages.contains(&target.quote),
            "the quote {} is gone once filtered to its speaker: {pages:?}",
            target.quote
        );
        assert_eq!(
            after.count,
            Some(after.links.len()),
            "every filtered result is listed"
        );
        client.close().await.unwrap();
    });
}

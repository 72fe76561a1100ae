//! `annalist build` over the example archive and small fixtures: the pages it
//! writes, their links under a sub-path, and what a failed build leaves behind.

mod common;
#[path = "common/crawl.rs"]
mod crawl;
#[path = "common/html.rs"]
mod html;
#[path = "common/serve.rs"]
mod serve;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use annalist::build::{build, BuildOptions};
use crawl::crawl;

fn example_site(base_url: Option<&str>) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    common::build_into(&common::example(), &site, base_url).unwrap();
    out
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file under `dir`, relative, with its bytes.
fn snapshot_dir(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().display().to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn every_story_person_quote_and_tag_gets_a_page() {
    let out = example_site(None);
    let site = out.path().join("site");
    let checked = annalist::check::model(&common::example(), Default::default()).unwrap();
    let archive = &checked.archive;
    for story in &archive.stories {
        let page = read(site.join(format!("stories/{}/index.html", story.story.story.slug)));
        assert!(
            html::unescape(&page).contains(&story.story.story.front.title),
            "{}",
            story.story.story.slug
        );
    }
    for person in archive.people.iter() {
        let page = read(site.join(format!("people/{}/index.html", person.file.id)));
        assert!(html::unescape(&page).contains(&person.file.front.name));
    }
    for quote in &archive.quotes {
        assert!(
            site.join(format!("quotes/{}/index.html", quote.quote.id))
                .is_file(),
            "{}",
            quote.quote.id
        );
    }
    for story in &archive.stories {
        for tag in &story.story.story.front.tags {
            assert!(site
                .join(format!("tags/{}/index.html", annalist::load::slugify(tag)))
                .is_file());
        }
    }
    for page in [
        "index.html",
        "stories/index.html",
        "people/index.html",
        "quotes/index.html",
        "quotes/by-speaker/index.html",
        "tags/index.html",
        "404.html",
        "about/index.html",
        "style.css",
    ] {
        assert!(site.join(page).is_file(), "{page}");
    }
}

#[test]
fn story_pages_carry_mentions_quotes_and_notes() {
    let out = example_site(None);
    let page = read(
        out.path()
            .join("site/stories/varnham-defends-contract/index.html"),
    );
    assert!(
        page.contains("class=\"mention\" href=\"../../people/"),
        "mention links are relative"
    );
    assert!(page.contains("<q data-ann id=\"q-"), "quotes have ids");
    assert!(
        page.contains("class=\"quote-ref\"><a href=\"../../quotes/"),
        "quotes link to their pages"
    );
    let checked = annalist::check::model(&common::example(), Default::default()).unwrap();
    let story = &checked.archive.stories[checked.archive.story_ids["varnham-defends-contract"].0];
    for quote in &story.quotes {
        let id = &checked.archive.quotes[quote.0].quote.id;
        assert_eq!(page.matches(&format!("id=\"q-{id}\"")).count(), 1, "{id}");
    }
}

#[test]
fn a_failed_build_leaves_the_previous_output_byte_identical() {
    let archive = common::copy_to_temp(&common::fixture("site/small"));
    let output = archive.path().join("public");
    common::build_into(archive.path(), &output, None).unwrap();
    let before = snapshot_dir(&output);
    assert!(before.contains_key("stories/vote/index.html"));
    common::write(
        archive.path(),
        "content/stories/vote.ann.toml",
        "people = [\"nobody-at-all\"]\n",
    );
    let err = common::build_into(archive.path(), &output, None).unwrap_err();
    assert!(err.contains("unknown person"), "{err}");
    assert_eq!(snapshot_dir(&output), before);
}

#[test]
fn a_folder_holding_someone_elses_files_is_refused_and_kept() {
    let archive = common::copy_to_temp(&common::fixture("site/small"));
    let output = archive.path().join("elsewhere");
    common::write(&output, "thesis.docx", "precious");
    let err = common::build_into(archive.path(), &output, None).unwrap_err();
    assert!(err.contains("not made by annalist"), "{err}");
    assert_eq!(
        std::fs::read_to_string(output.join("thesis.docx")).unwrap(),
        "precious"
    );
    assert_eq!(snapshot_dir(&output).len(), 1);
}

#[test]
fn every_internal_link_resolves_under_a_sub_path_and_after_moving() {
    // The port is only known once the server runs, so bind first, then build for it.
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    let server = serve::StaticServer::start(&site, "/sub/path/");
    let base = format!("http://127.0.0.1:{}/sub/path/", server.port);
    common::build_into(&common::example(), &site, Some(&base)).unwrap();
    let (pages, broken) = crawl(&url::Url::parse(&base).unwrap(), "/sub/path/");
    assert!(
        broken.is_empty(),
        "{} broken:\n{}",
        broken.len(),
        broken.join("\n")
    );
    assert!(pages > 100, "crawled only {pages} URLs");
    let (status, body) = serve::get(&url::Url::parse(&format!("{base}no/such/page/")).unwrap());
    assert_eq!(status, 404);
    assert!(
        String::from_utf8_lossy(&body).contains("not found"),
        "the theme's 404 page"
    );

    let moved = tempfile::tempdir().unwrap();
    common::copy_dir(&site, &moved.path().join("x"));
    let elsewhere = serve::StaticServer::start(&moved.path().join("x"), "/another/deeper/place/");
    let start = url::Url::parse(&format!(
        "http://127.0.0.1:{}/another/deeper/place/",
        elsewhere.port
    ))
    .unwrap();
    let (_, broken) = crawl(&start, "/another/deeper/place/");
    assert!(broken.is_empty(), "after moving:\n{}", broken.join("\n"));
}

#[test]
fn annotated_html_of_spans_crossing_emphasis_a_link_and_a_paragraph_break() {
    let checked =
        annalist::check::model(&common::fixture("site/small"), Default::default()).unwrap();
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
    let archive = &checked.archive;
    let story = &archive.stories[0];
    let marks = annalist::render::marks::story_marks(archive, story, "../../");
    let highlighter = annalist::render::highlight::Highlighter::new();
    let options = annalist::markdown::options(&archive.config.markdown);
    let text = annalist::anchor::text::story_text(&story.story.story, options);
    let body = annalist::render::annotate::annotate(&text, &marks, "../../", &highlighter);
    html::check_nesting(&body).unwrap();
    insta::assert_snapshot!(body);
}

#[test]
fn a_template_error_names_the_overriding_file_and_line() {
    let archive = common::copy_to_temp(&common::fixture("site/small"));
    common::write(archive.path(), "templates/story.html", "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ story.title | nosuchfilter }}</p>\n{% endblock content %}\n");
    let options = BuildOptions {
        root: archive.path().to_path_buf(),
        output: archive.path().join("public"),
        base_url: None,
        drafts: false,
    };
    let (_, diagnostics) = build(&options).unwrap_err();
    let d = diagnostics
        .iter()
        .find(|d| d.message.contains("nosuchfilter"))
        .expect("a template diagnostic");
    assert_eq!(d.path().as_deref(), Some("templates/story.html"));
    assert_eq!(d.line_col().map(|p| (p.line, p.column)), Some((3, 21)));
    assert!(!archive.path().join("public").exists(), "nothing written");
}

#[test]
fn an_archive_template_overrides_the_themes() {
    let archive = common::copy_to_temp(&common::fixture("site/small"));
    common::write(
        archive.path(),
        "templates/footer.html",
        "<footer><p>Overridden footer</p></footer>\n",
    );
    let output = archive.path().join("public");
    common::build_into(archive.path(), &output, None).unwrap();
    assert!(read(output.join("stories/vote/index.html")).contains("Overridden footer"));
}

/// A generated archive big enough for a person to be in more stories than their
/// page lists: the full lists exist, are paginated, hold every story once, and
/// every link of the site resolves under a sub-path. A second build of the same
/// archive writes nothing.
#[test]
fn long_person_and_speaker_lists_are_paginated_and_an_unchanged_rebuild_writes_nothing() {
    #[allow(dead_code)]
    #[path = "../examples/gen_archive/generate.rs"]
    mod generate;
    let tmp = tempfile::tempdir().unwrap();
    let archive = tmp.path().join("archive");
    generate::generate(&generate::Options {
        stories: 240,
        seed: 3,
        out: archive.clone(),
        hugo: None,
    })
    .unwrap();
    let site = tmp.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    let server = serve::StaticServer::start(&site, "/sub/");
    let base = format!("http://127.0.0.1:{}/sub/", server.port);
    common::build_into(&archive, &site, Some(&base)).unwrap();

    let model = annalist::check::model(&archive, annalist::load::LoadOptions { drafts: false })
        .unwrap()
        .archive;
    let busiest = model.people.iter().max_by_key(|p| p.stories.len()).unwrap();
    let total = busiest.stories.len();
    assert!(total > 100, "the busiest person is in {total} stories");
    let id = &busiest.file.id;
    let page = read(site.join(format!("people/{id}/index.html")));
    assert!(
        page.contains(&format!("people/{id}/stories/")),
        "no link to the full list"
    );
    let mut listed = Vec::new();
    let pages = total.div_ceil(annalist::render::site::PERSON_PAGE_SIZE);
    for n in 1..=pages {
        let path = if n == 1 {
            format!("people/{id}/stories/index.html")
        } else {
            format!("people/{id}/stories/page/{n}/index.html")
        };
        let html = read(site.join(&path));
        // Links to a story, from any depth: `../../../stories/SLUG/`.
        listed.extend(
            html::attr_values(&html, "href")
                .into_iter()
                .filter_map(|h| {
                    let from_root = h.trim_start_matches("../");
                    let slug = from_root.strip_prefix("stories/")?.strip_suffix('/')?;
                    (!slug.is_empty() && !slug.contains('/')).then(|| slug.to_string())
                }),
        );
    }
    assert!(!site
        .join(format!("people/{id}/stories/page/{}/index.html", pages + 1))
        .exists());
    let unique: std::collections::BTreeSet<&String> = listed.iter().collect();
    assert_eq!(
        unique.len(),
        total,
        "every story listed once across the pages"
    );

    // The quotes grouped by speaker come in pages too, each quote on one of
    // them, and the index on the first page leads to each speaker's group.
    let quotes = model.quotes.len();
    let pages = quotes.div_ceil(annalist::render::site::SPEAKER_QUOTES_PER_PAGE);
    assert!(pages > 1, "{quotes} quotes fit on one page");
    let page_file = |n: usize| {
        if n == 1 {
            site.join("quotes/by-speaker/index.html")
        } else {
            site.join(format!("quotes/by-speaker/page/{n}/index.html"))
        }
    };
    let mut on_pages = 0;
    let mut every = std::collections::BTreeSet::new();
    for n in 1..=pages {
        let html = read(page_file(n));
        let here: std::collections::BTreeSet<String> = html::attr_values(&html, "href")
            .into_iter()
            .filter_map(|h| {
                let id = h.trim_start_matches("../").strip_prefix("quotes/")?;
                let id = id.strip_suffix('/')?;
                (!id.is_empty() && !id.contains('/') && id != "by-speaker").then(|| id.to_string())
            })
            .collect();
        on_pages += here.len();
        every.extend(here);
    }
    assert_eq!((on_pages, every.len()), (quotes, quotes));
    assert!(!site
        .join(format!("quotes/by-speaker/page/{}/index.html", pages + 1))
        .exists());
    let first = read(page_file(1));
    let jumps: Vec<String> = html::attr_values(&first, "href")
        .into_iter()
        .filter(|h| h.contains("#s-"))
        .collect();
    assert!(jumps.len() > 10, "{} speakers in the index", jumps.len());
    for jump in &jumps {
        let (path, anchor) = jump.split_once('#').unwrap();
        let target = if path.is_empty() {
            first.clone()
        } else {
            let from_root = path.trim_start_matches("../");
            read(site.join(from_root).join("index.html"))
        };
        assert!(
            target.contains(&format!("id=\"{anchor}\"")),
            "{jump}: no group there"
        );
    }

    // A tag's stories come in pages of the stories list's length.
    let mut tags: BTreeMap<String, usize> = BTreeMap::new();
    for story in &model.stories {
        for tag in &story.story.story.front.tags {
            *tags.entry(annalist::load::slugify(tag)).or_default() += 1;
        }
    }
    let (slug, &count) = tags.iter().max_by_key(|(_, n)| **n).unwrap();
    let per_page = annalist::render::site::STORIES_PER_PAGE;
    assert!(count > per_page, "the biggest tag has {count} stories");
    let mut tagged = std::collections::BTreeSet::new();
    for n in 1..=count.div_ceil(per_page) {
        let path = if n == 1 {
            format!("tags/{slug}/index.html")
        } else {
            format!("tags/{slug}/page/{n}/index.html")
        };
        let html = read(site.join(path));
        tagged.extend(
            html::attr_values(&html, "href")
                .into_iter()
                .filter_map(|h| {
                    let slug = h.trim_start_matches("../").strip_prefix("stories/")?;
                    let slug = slug.strip_suffix('/')?;
                    (!slug.is_empty() && !slug.contains('/')).then(|| slug.to_string())
                }),
        );
    }
    assert_eq!(tagged.len(), count, "every story of the tag, once");

    let (_, broken) = crawl(&url::Url::parse(&base).unwrap(), "/sub/");
    assert!(
        broken.is_empty(),
        "{} broken:\n{}",
        broken.len(),
        broken.join("\n")
    );

    let again = build(&BuildOptions {
        root: archive.clone(),
        output: site.clone(),
        base_url: Some(base.clone()),
        drafts: false,
    })
    .map_err(|(e, _)| e.to_string())
    .unwrap();
    let write = again.write.unwrap();
    assert_eq!((write.written, write.removed), (0, 0), "{write:?}");
    assert!(write.unchanged > 1000, "{write:?}");
}

/// A small archive whose names are not ASCII: a story `故事.md` tagged `故事`
/// and `Ärger`, a person `zoë-ångström` quoted in it, a story whose file name
/// is stored decomposed (`Cafe` and a combining accent), and a quote whose
/// derived id would be over 100 bytes.
fn archive_of_any_script(root: &Path) {
    common::write(
        root,
        "archive.toml",
        "title = \"Archiv\"\nbase_url = \"https://example.org/\"\n",
    );
    common::write(
        root,
        "content/people/zoë-ångström.md",
        "+++\nname = \"Zoë Ångström\"\n+++\n",
    );
    common::write(
        root,
        "content/stories/故事.md",
        "+++\ntitle = \"故事\"\ndate = 2025-01-15\ntags = [\"故事\", \"Ärger\"]\n+++\n\n\
         Zoë Ångström said \"Ärger über Ärger\" at the meeting. She also said \
         \"Wasserversorgungsunternehmensverbandsvorsitzenderstellvertreterin \
         Wasserversorgungsunternehmensverbandsvorsitzenderstellvertreterin and more\".\n\n\
         See [the café](story:café).\n",
    );
    common::write(
        root,
        "content/stories/故事.ann.toml",
        "people = [\"zoë-ångström\"]\n\n\
         [[quote]]\nspeaker = \"zoë-ångström\"\ntext = \"Ärger über Ärger\"\n\n\
         [[quote]]\nspeaker = \"zoë-ångström\"\n\
         text = \"Wasserversorgungsunternehmensverbandsvorsitzenderstellvertreterin \
         Wasserversorgungsunternehmensverbandsvorsitzenderstellvertreterin and more\"\n",
    );
    common::write(
        root,
        "content/stories/Cafe\u{301}.md",
        "+++\ntitle = \"Café\"\ndate = 2025-01-16\ntags = [\"ärger\"]\n+++\n\nCoffee.\n",
    );
}

/// The site file a relative link on the page at `page` (a folder) points at,
/// without its fragment, or `None` for an absolute or external link.
fn linked_file(site: &Path, page: &str, link: &str) -> Option<PathBuf> {
    if link.contains("://") || link.starts_with('/') || link.starts_with("mailto:") {
        return None;
    }
    let path = link.split(['#', '?']).next().unwrap_or("");
    let path = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .unwrap()
        .into_owned();
    let mut parts: Vec<&str> = page.split('/').filter(|s| !s.is_empty()).collect();
    for segment in path.split('/') {
        match segment {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    let mut file = site.join(parts.join("/"));
    if path.is_empty() || path.ends_with('/') {
        file = file.join("index.html");
    }
    Some(file)
}

#[test]
fn names_of_any_script_get_pages_and_percent_encoded_absolute_urls() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    archive_of_any_script(&archive);
    let site = dir.path().join("site");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_annalist"))
        .arg("build")
        .arg("--root")
        .arg(&archive)
        .arg("--output")
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );

    for page in [
        "stories/故事/index.html",
        "stories/café/index.html",
        "tags/故事/index.html",
        "tags/ärger/index.html",
        "people/zoë-ångström/index.html",
    ] {
        assert!(site.join(page).is_file(), "no {page}");
    }
    // `Ärger` and `ärger` are one tag: both stories are on its page.
    let tag = read(site.join("tags/ärger/index.html"));
    assert!(tag.contains("故事") && tag.contains("Café"), "{tag}");

    let quotes: Vec<String> = std::fs::read_dir(site.join("quotes"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| !["index.html", "page", "by-speaker"].contains(&name.as_str()))
        .collect();
    assert_eq!(quotes.len(), 2, "{quotes:?}");
    assert!(
        quotes
            .iter()
            .any(|q| q.starts_with("zoë-ångström-ärger-über-ärger-")),
        "{quotes:?}"
    );
    for quote in &quotes {
        assert!(quote.len() <= 100, "{} bytes: {quote}", quote.len());
        assert!(annalist::load::is_valid_slug(quote), "{quote}");
    }

    let sitemap = read(site.join("sitemap.xml"));
    for url in [
        "https://example.org/stories/%E6%95%85%E4%BA%8B/",
        "https://example.org/stories/caf%C3%A9/",
        "https://example.org/tags/%C3%A4rger/",
        "https://example.org/people/zo%C3%AB-%C3%A5ngstr%C3%B6m/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>{url}</loc>")),
            "{url} not in\n{sitemap}"
        );
    }
    assert!(sitemap.is_ascii(), "{sitemap}");
    assert!(read(site.join("atom.xml"))
        .contains("href=\"https://example.org/stories/%E6%95%85%E4%BA%8B/\""));
    let stories = read(site.join("data/stories.json"));
    assert!(
        stories.contains("\"https://example.org/stories/%E6%95%85%E4%BA%8B/\""),
        "{stories}"
    );

    let page = read(site.join("stories/故事/index.html"));
    assert!(page.contains(
        "<link rel=\"canonical\" href=\"https://example.org/stories/%E6%95%85%E4%BA%8B/\">"
    ));
    let links: Vec<String> = html::attr_values(&page, "href")
        .into_iter()
        .chain(html::attr_values(&page, "src"))
        .collect();
    let relative: Vec<(String, PathBuf)> = links
        .iter()
        .filter_map(|l| Some((l.clone(), linked_file(&site, "stories/故事/", l)?)))
        .collect();
    for wanted in [
        "tags/故事/",
        "tags/ärger/",
        "people/zoë-ångström/",
        "stories/café/",
    ] {
        assert!(
            relative.iter().any(|(l, _)| l.ends_with(wanted)),
            "no link to {wanted} in {links:?}"
        );
    }
    let broken: Vec<&String> = relative
        .iter()
        .filter(|(_, file)| !file.is_file())
        .map(|(link, _)| link)
        .collect();
    assert!(broken.is_empty(), "links to no file: {broken:?}");
}

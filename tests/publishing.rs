//! Publishing: the hosting files, the sitemap, the Atom feeds, the structured data
//! and head tags of the built example, and the example served by nginx under a
//! sub-path (ignored by default: it needs nginx, which `.ci/install` provides).

mod common;
#[path = "common/crawl.rs"]
mod crawl;
#[path = "common/html.rs"]
mod html;
#[path = "common/nginx.rs"]
mod nginx;
#[path = "common/serve.rs"]
mod serve;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use annalist::index::Archive;
use annalist::render::cards::Cards;
use serde_json::Value;

const BASE: &str = "https://example.github.io/annalist-demo/";

/// A built site in a temp dir.
struct Site {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Site {
    fn read(&self, path: &str) -> String {
        let file = self.root.join(path);
        std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
    }

    /// Every file of the site, relative, with `/` separators.
    fn files(&self) -> Vec<String> {
        common::site_files(&self.root)
    }

    fn feed(&self, path: &str) -> feed_rs::model::Feed {
        feed_rs::parser::parse(self.read(path).as_bytes())
            .unwrap_or_else(|e| panic!("{path} does not parse as a feed: {e}"))
    }
}

fn build_site(archive: &Path, base_url: Option<&str>) -> Result<Site, String> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::build_into(archive, &root, base_url)?;
    Ok(Site { _dir: dir, root })
}

fn example_site() -> Site {
    build_site(&common::example(), Some(BASE)).unwrap()
}

fn example_archive() -> Archive {
    annalist::check::model(&common::example(), Default::default())
        .unwrap()
        .archive
}

/// A copy of the example's content, to change its settings.
fn example_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for part in ["content", "templates"] {
        common::copy_dir(&common::example().join(part), &dir.path().join(part));
    }
    std::fs::copy(
        common::example().join("archive.toml"),
        dir.path().join("archive.toml"),
    )
    .unwrap();
    dir
}

fn append(root: &Path, file: &str, text: &str) {
    let old = std::fs::read_to_string(root.join(file)).unwrap();
    common::write(root, file, &format!("{old}\n{text}"));
}

fn titles(feed: &feed_rs::model::Feed) -> Vec<String> {
    feed.entries
        .iter()
        .map(|e| e.title.as_ref().expect("entry title").content.clone())
        .collect()
}

fn link(links: &[feed_rs::model::Link], rel: &str) -> String {
    links
        .iter()
        .find(|l| l.rel.as_deref().unwrap_or("alternate") == rel)
        .unwrap_or_else(|| panic!("no {rel} link in {links:?}"))
        .href
        .clone()
}

/// Checks what every feed carries: its own links, an author, and entries whose
/// ids and links are absolute page URLs under the base URL, newest first.
fn check_feed(feed: &feed_rs::model::Feed, path: &str, page: &str) {
    assert_eq!(feed.id, format!("{BASE}{path}"));
    assert_eq!(link(&feed.links, "self"), format!("{BASE}{path}"));
    assert_eq!(link(&feed.links, "alternate"), format!("{BASE}{page}"));
    assert!(feed.title.is_some() && feed.updated.is_some(), "{path}");
    assert!(!feed.authors.is_empty(), "{path} names an author");
    let mut previous = None;
    for entry in &feed.entries {
        let href = link(&entry.links, "alternate");
        assert_eq!(entry.id, href, "{path}: the id is the page URL");
        assert!(
            href.starts_with(BASE) && href.ends_with('/'),
            "{path}: {href}"
        );
        assert!(
            entry.updated.is_some() && entry.published.is_some(),
            "{path}: {href}"
        );
        assert!(
            entry.updated <= feed.updated,
            "{path}: {href} is newer than the feed"
        );
        assert!(
            previous.is_none_or(|p| entry.published <= p),
            "{path}: newest first"
        );
        previous = Some(entry.published);
    }
}

#[test]
fn the_archive_feed_lists_the_newest_stories() {
    let site = example_site();
    let archive = example_archive();
    let feed = site.feed("atom.xml");
    check_feed(&feed, "atom.xml", "");
    let expected: Vec<String> = archive
        .stories
        .iter()
        .take(20)
        .map(|s| s.story.story.front.title.clone())
        .collect();
    assert_eq!(titles(&feed), expected);
    assert_eq!(feed.title.unwrap().content, archive.config.title);
    assert_eq!(
        feed.authors[0].name.as_deref(),
        Some(archive.config.title.as_str())
    );
    let first = &feed.entries[0];
    let slug = &archive.stories[0].story.story.slug;
    assert_eq!(first.id, format!("{BASE}stories/{slug}/"));
    assert!(first.summary.is_some());
    for (page, href) in [
        ("index.html", "atom.xml"),
        ("stories/index.html", "../atom.xml"),
    ] {
        let html = site.read(page);
        assert!(html.contains(&format!("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"{}\" href=\"{href}\">", archive.config.title)), "{page}");
    }
}

#[test]
fn each_person_has_a_feed_of_their_stories_and_quotes() {
    let site = example_site();
    let archive = example_archive();
    for person in archive.people.iter() {
        let id = &person.file.id;
        let path = format!("people/{id}/atom.xml");
        let feed = site.feed(&path);
        check_feed(&feed, &path, &format!("people/{id}/"));
        let stories: Vec<&String> = person
            .stories
            .iter()
            .map(|(s, _)| &archive.stories[s.0].story.story.front.title)
            .collect();
        let quotes = person
            .quotes_by
            .iter()
            .filter(|q| {
                archive.quotes[q.0].quote.status != annalist::load::QuoteStatus::Misattributed
            })
            .count();
        assert_eq!(feed.entries.len(), (stories.len() + quotes).min(20), "{id}");
        let got = titles(&feed);
        if stories.len() + quotes <= 20 {
            for title in &stories {
                assert!(got.contains(title), "{id}: {title} missing");
            }
        }
        let quote_entries = feed
            .entries
            .iter()
            .filter(|e| e.id.starts_with(&format!("{BASE}quotes/")))
            .count();
        assert_eq!(
            quote_entries
                + feed
                    .entries
                    .iter()
                    .filter(|e| e.id.starts_with(&format!("{BASE}stories/")))
                    .count(),
            feed.entries.len()
        );
        let page = site.read(&format!("people/{id}/index.html"));
        assert!(
            page.contains(&format!(
                "type=\"application/atom+xml\" title=\"{} · ",
                person.file.front.name
            )),
            "{id}"
        );
        assert!(page.contains(&format!("href=\"../../{path}\">")), "{id}");
    }
}

#[test]
fn each_tag_has_a_feed_of_its_stories() {
    let site = example_site();
    let archive = example_archive();
    let cards = Cards::new(&archive);
    assert!(!cards.tags.is_empty());
    for (slug, (_, stories)) in cards.tags.iter() {
        let path = format!("tags/{slug}/atom.xml");
        let feed = site.feed(&path);
        check_feed(&feed, &path, &format!("tags/{slug}/"));
        let expected: Vec<String> = stories
            .iter()
            .take(20)
            .map(|s| cards.stories[s.0].title.clone())
            .collect();
        assert_eq!(titles(&feed), expected, "{slug}");
        assert!(site
            .read(&format!("tags/{slug}/index.html"))
            .contains(&format!("href=\"../../{path}\">")));
    }
}

#[test]
fn feeds_follow_the_limit_and_can_be_turned_off() {
    let archive = example_copy();
    append(archive.path(), "archive.toml", "[feeds]\nlimit = 3\n");
    let site = build_site(archive.path(), None).unwrap();
    assert_eq!(site.feed("atom.xml").entries.len(), 3);
    assert_eq!(site.feed("people/ilse-varnham/atom.xml").entries.len(), 3);

    common::write(
        archive.path(),
        "archive.toml",
        &std::fs::read_to_string(common::example().join("archive.toml")).unwrap(),
    );
    append(archive.path(), "archive.toml", "[feeds]\nenabled = false\n");
    let site = build_site(archive.path(), None).unwrap();
    let files = site.files();
    assert!(!files.iter().any(|f| f.ends_with("atom.xml")), "no feeds");
    for page in files.iter().filter(|f| f.ends_with(".html")) {
        assert!(
            !site.read(page).contains("application/atom+xml"),
            "{page} links no feed"
        );
    }
}

#[test]
fn the_sitemap_lists_every_html_page_but_404_and_nothing_else() {
    let site = example_site();
    let text = site.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let urlset = doc.root_element();
    assert_eq!(urlset.tag_name().name(), "urlset");
    assert_eq!(
        urlset.tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let mut listed = Vec::new();
    let mut lastmod = std::collections::HashMap::new();
    for url in urlset.children().filter(|n| n.is_element()) {
        assert_eq!(url.tag_name().name(), "url");
        let child = |name: &str| {
            url.children()
                .find(|n| n.has_tag_name(name))
                .and_then(|n| n.text())
                .map(str::to_string)
        };
        let loc = child("loc").expect("loc");
        if let Some(date) = child("lastmod") {
            lastmod.insert(loc.clone(), date);
        }
        listed.push(loc);
    }
    let expected: BTreeSet<String> = site
        .files()
        .into_iter()
        .filter(|f| f.ends_with(".html") && f != "404.html")
        .map(|f| {
            format!(
                "{BASE}{}",
                f.strip_suffix("index.html").expect("pages are index.html")
            )
        })
        .collect();
    let unique: BTreeSet<String> = listed.iter().cloned().collect();
    assert_eq!(unique.len(), listed.len(), "no URL twice");
    assert_eq!(unique, expected);
    assert_eq!(
        lastmod[&format!("{BASE}stories/tap-samples-byproducts/")],
        "2025-08-19",
        "updated wins"
    );
    assert_eq!(
        lastmod[&format!("{BASE}stories/clearbrook-contract-awarded/")],
        "2025-02-11"
    );
    let newest = lastmod.values().max().unwrap();
    assert_eq!(
        &lastmod[BASE], newest,
        "the home page changes with the newest story"
    );
    assert!(lastmod.contains_key(&format!("{BASE}people/ilse-varnham/")));
    assert!(lastmod.contains_key(&format!("{BASE}tags/water/")));
}

#[test]
fn hosting_files_are_written_and_cname_only_when_configured() {
    let site = example_site();
    assert_eq!(
        site.read("robots.txt"),
        format!("User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n")
    );
    assert_eq!(site.read(".nojekyll"), "");
    assert!(site.read("404.html").contains("not found"));
    assert!(!site.root.join("CNAME").exists());

    let archive = common::copy_to_temp(&common::fixture("site/small"));
    append(
        archive.path(),
        "archive.toml",
        "cname = \"archive.example.org\"\n",
    );
    let site = build_site(archive.path(), None).unwrap();
    assert_eq!(site.read("CNAME"), "archive.example.org\n");
}

#[test]
fn the_archives_own_robots_txt_wins_over_the_generated_one() {
    let archive = common::copy_to_temp(&common::fixture("site/small"));
    common::write(
        archive.path(),
        "static/robots.txt",
        "User-agent: *\nDisallow: /\n",
    );
    let site = build_site(archive.path(), None).unwrap();
    assert_eq!(site.read("robots.txt"), "User-agent: *\nDisallow: /\n");
}

#[test]
fn the_archives_own_files_win_over_generated_per_story_files() {
    let archive = common::copy_to_temp(&common::fixture("site/small"));
    common::write(
        archive.path(),
        "static/stories/vote/annotations.jsonld",
        "{\"mine\": true}\n",
    );
    let site = build_site(archive.path(), None).unwrap();
    assert_eq!(
        site.read("stories/vote/annotations.jsonld"),
        "{\"mine\": true}\n"
    );
    assert!(site.read("stories/vote/index.html").contains("<article"));
}

#[test]
fn a_bad_cname_is_an_error_at_its_line_and_column() {
    let archive = common::copy_to_temp(&common::fixture("site/small"));
    common::write(
        archive.path(),
        "archive.toml",
        "title = \"Small\"\nbase_url = \"https://example.org/small/\"\ncname = \"https://archive.example.org/\"\n",
    );
    let checked = annalist::check::model(archive.path(), Default::default()).unwrap();
    let d = checked
        .diagnostics
        .iter()
        .find(|d| d.message.contains("cname"))
        .expect("a cname error");
    assert_eq!(d.severity, annalist::diagnostics::Severity::Error);
    assert_eq!(d.path().as_deref(), Some("archive.toml"));
    assert_eq!(d.line_col().map(|p| (p.line, p.column)), Some((3, 9)));
    assert!(
        d.hint
            .as_deref()
            .unwrap_or("")
            .contains("cname = \"archive.example.org\""),
        "{:?}",
        d.hint
    );
    let err = build_site(archive.path(), None)
        .err()
        .expect("the build fails");
    assert!(err.contains("cname"), "{err}");
}

/// The JSON-LD blocks of a page, parsed.
fn json_ld(page: &str) -> Vec<Value> {
    const OPEN: &str = "<script type=\"application/ld+json\">";
    page.match_indices(OPEN)
        .map(|(at, _)| {
            let body = &page[at + OPEN.len()..];
            let body = &body[..body.find("</script>").expect("script closes")];
            serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
        })
        .collect()
}

fn only_json_ld(site: &Site, path: &str) -> Value {
    let mut blocks = json_ld(&site.read(path));
    assert_eq!(blocks.len(), 1, "{path}");
    let block = blocks.remove(0);
    assert_eq!(block["@context"], "https://schema.org");
    block
}

#[test]
fn a_story_page_describes_itself_as_a_news_article() {
    let site = example_site();
    let archive = example_archive();
    let entry = &archive.stories[archive.story_ids["tap-samples-byproducts"].0];
    let front = &entry.story.story.front;
    let ld = only_json_ld(&site, "stories/tap-samples-byproducts/index.html");
    assert_eq!(ld["@type"], "NewsArticle");
    assert_eq!(ld["headline"], front.title.as_str());
    assert_eq!(ld["datePublished"], "2025-08-12");
    assert_eq!(ld["dateModified"], "2025-08-19");
    assert_eq!(ld["url"], format!("{BASE}stories/tap-samples-byproducts/"));
    assert_eq!(ld["isBasedOn"], front.url.as_deref().unwrap());
    assert_eq!(ld["publisher"]["@type"], "Organization");
    assert_eq!(ld["publisher"]["name"], front.source.as_deref().unwrap());
    let authors: Vec<&str> = ld["author"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        authors,
        front.authors.iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert!(ld["author"][0]["@type"] == "Person");
    let mentions = ld["mentions"].as_array().unwrap();
    assert_eq!(mentions.len(), entry.people.len());
    for (person, _) in &entry.people {
        let file = &archive.people[person.0].file;
        let url = format!("{BASE}people/{}/", file.id);
        assert!(
            mentions.iter().any(|m| m["@type"] == "Person"
                && m["name"] == file.front.name.as_str()
                && m["url"] == url.as_str()),
            "{url} mentioned"
        );
    }
}

#[test]
fn a_person_page_describes_a_person() {
    let site = example_site();
    let archive = example_archive();
    let file = &archive.people[archive.person_ids["ilse-varnham"].0].file;
    let ld = only_json_ld(&site, "people/ilse-varnham/index.html");
    assert_eq!(ld["@type"], "Person");
    assert_eq!(ld["name"], file.front.name.as_str());
    assert_eq!(ld["url"], format!("{BASE}people/ilse-varnham/"));
    assert_eq!(ld["alternateName"], serde_json::json!(file.front.aliases));
    assert_eq!(
        ld["description"],
        file.front.description.as_deref().unwrap()
    );
    let links: Vec<&String> = file.front.links.values().collect();
    assert_eq!(ld["sameAs"], serde_json::json!(links));
    let current = file
        .front
        .roles
        .iter()
        .find(|r| r.to.is_none())
        .expect("a current role");
    assert_eq!(ld["jobTitle"], current.title.as_str());
    assert!(ld.get("image").is_none(), "no picture, no image");
}

#[test]
fn a_quote_page_describes_a_quotation_with_its_creator_and_story() {
    let site = example_site();
    let archive = example_archive();
    let cards = Cards::new(&archive);
    let named = archive
        .quotes
        .iter()
        .position(|q| {
            q.speaker.is_some() && q.quote.status == annalist::load::QuoteStatus::Verified
        })
        .unwrap();
    let unnamed = archive
        .quotes
        .iter()
        .position(|q| q.speaker.is_none())
        .expect("an unnamed source in the example");
    for i in [named, unnamed] {
        let card = &cards.quotes[i];
        let entry = &archive.quotes[i];
        let ld = only_json_ld(&site, &format!("{}index.html", card.path));
        assert_eq!(ld["@type"], "Quotation");
        assert_eq!(ld["text"], &*card.words);
        assert_eq!(ld["url"], format!("{BASE}{}", card.path));
        assert_eq!(ld["dateCreated"], entry.quote.said.to_string());
        assert_eq!(ld["isPartOf"]["@type"], "NewsArticle");
        assert_eq!(ld["isPartOf"]["headline"], card.story.title.as_str());
        assert_eq!(ld["isPartOf"]["url"], format!("{BASE}{}", card.story.path));
        assert_eq!(ld["creator"]["@type"], "Person");
        assert_eq!(ld["creator"]["name"], card.speaker.name.as_str());
        match entry.speaker {
            Some(_) => assert_eq!(ld["creator"]["url"], format!("{BASE}{}", card.speaker.path)),
            None => assert!(ld["creator"].get("url").is_none()),
        }
    }
}

#[test]
fn every_page_has_canonical_open_graph_and_twitter_tags() {
    let site = example_site();
    let pages: Vec<String> = site
        .files()
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect();
    assert!(pages.len() > 100);
    for page in &pages {
        let html = site.read(page);
        let url = match page.as_str() {
            "404.html" => format!("{BASE}404.html"),
            p => format!("{BASE}{}", p.strip_suffix("index.html").unwrap()),
        };
        assert!(
            html.contains(&format!("<link rel=\"canonical\" href=\"{url}\">")),
            "{page}"
        );
        assert!(
            html.contains(&format!("<meta property=\"og:url\" content=\"{url}\">")),
            "{page}"
        );
        for tag in ["og:title", "og:site_name", "og:type"] {
            assert!(
                html.contains(&format!("<meta property=\"{tag}\" content=\"")),
                "{page}: {tag}"
            );
        }
        for tag in ["twitter:title", "twitter:description"] {
            assert!(
                html.contains(&format!("<meta name=\"{tag}\" content=\"")),
                "{page}: {tag}"
            );
        }
        assert!(
            html.contains("<meta name=\"twitter:card\" content=\"summary\">"),
            "{page}"
        );
        let kind = match page.split('/').next() {
            Some("stories") if page.matches('/').count() == 2 => "article",
            Some("people") if page.matches('/').count() == 2 => "profile",
            _ => "website",
        };
        assert!(
            html.contains(&format!("<meta property=\"og:type\" content=\"{kind}\">")),
            "{page}: {kind}"
        );
        let scripts = html.matches("<script").count();
        assert_eq!(
            html.matches("</script>").count(),
            scripts,
            "{page}: no early </script>"
        );
        json_ld(&html);
    }
}

#[test]
fn untrusted_text_is_escaped_in_feeds_json_ld_and_head_tags() {
    let archive = common::copy_to_temp(&common::fixture("site/small"));
    let nasty = "Fish & <chips> </script><!-- \"quoted\"";
    let story = std::fs::read_to_string(archive.path().join("content/stories/vote.md")).unwrap();
    common::write(
        archive.path(),
        "content/stories/vote.md",
        &story.replace("title = \"The vote\"", &format!("title = {nasty:?}")),
    );
    common::write(
        archive.path(),
        "content/people/mara-okafor.md",
        "+++\nname = \"Mara Okafor\"\naliases = [\"Okafor\"]\nimage = \"img/mara.jpg\"\nlinks = { homepage = \"https://example.com/mara\" }\n+++\n",
    );
    let site = build_site(archive.path(), None).unwrap();
    let feed = site.feed("atom.xml");
    assert_eq!(titles(&feed), [nasty]);
    let tag_feed = site.feed("tags/council/atom.xml");
    assert_eq!(titles(&tag_feed), [nasty]);
    let page = site.read("stories/vote/index.html");
    assert_eq!(json_ld(&page)[0]["headline"], nasty);
    assert_eq!(
        page.matches("</script>").count(),
        page.matches("<script").count()
    );
    assert!(page.contains("<meta name=\"twitter:title\" content=\"Fish &amp; &lt;chips&gt; &lt;/script&gt;&lt;!-- &quot;quoted&quot;\">"));
    assert!(
        json_ld(&page)[0].get("author").is_none(),
        "no authors, no author"
    );

    let person = site.read("people/mara-okafor/index.html");
    assert!(person.contains(
        "<meta property=\"og:image\" content=\"https://example.org/small/img/mara.jpg\">"
    ));
    assert!(person.contains("<meta property=\"og:type\" content=\"profile\">"));
    let ld = &json_ld(&person)[0];
    assert_eq!(ld["image"], "https://example.org/small/img/mara.jpg");
    assert_eq!(
        ld["sameAs"],
        serde_json::json!(["https://example.com/mara"])
    );
    assert!(ld.get("jobTitle").is_none());
}

#[test]
#[ignore = "needs nginx; run by .ci/run"]
fn the_example_served_by_nginx_under_a_sub_path_has_no_broken_links() {
    let port = nginx::free_port();
    let base = format!("http://127.0.0.1:{port}/annalist-demo/");
    let dir = tempfile::tempdir().unwrap();
    // nginx's workers may run as another user: let them in.
    let open = <std::fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o755);
    std::fs::set_permissions(dir.path(), open).unwrap();
    let root = dir.path().join("www");
    common::build_into(&common::example(), &root.join("annalist-demo"), Some(&base)).unwrap();
    let prefix = dir.path().join("nginx");
    std::fs::create_dir_all(&prefix).unwrap();
    let _nginx = nginx::Nginx::start(&root, port, "/annalist-demo/404.html", &prefix);

    let start = url::Url::parse(&base).unwrap();
    let (seen, broken) = crawl::crawl(&start, "/annalist-demo/");
    assert!(
        broken.is_empty(),
        "{} broken:\n{}",
        broken.len(),
        broken.join("\n")
    );
    assert!(seen > 100, "crawled only {seen} URLs");
    for file in [
        "sitemap.xml",
        "robots.txt",
        ".nojekyll",
        "atom.xml",
        "people/ilse-varnham/atom.xml",
    ] {
        let (status, _) = serve::get(&start.join(file).unwrap());
        assert_eq!(status, 200, "{file}");
    }
    let (_, sitemap) = serve::get(&start.join("sitemap.xml").unwrap());
    let sitemap = String::from_utf8(sitemap).unwrap();
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    for loc in doc.descendants().filter(|n| n.has_tag_name("loc")) {
        let (status, _) = serve::get(&url::Url::parse(loc.text().unwrap()).unwrap());
        assert_eq!(status, 200, "{:?}", loc.text());
    }

    let missing = start.join("no/such/page/").unwrap();
    let (status, body) = serve::get(&missing);
    assert_eq!(status, 404);
    let body = String::from_utf8_lossy(&body).into_owned();
    assert_eq!(
        body,
        std::fs::read_to_string(root.join("annalist-demo/404.html")).unwrap(),
        "the theme's 404 page"
    );
    let links = html::attr_values(&body, "href")
        .into_iter()
        .chain(html::attr_values(&body, "src"));
    for link in links.filter(|l| !l.starts_with('#')) {
        let target = missing.join(&link).unwrap();
        if target.host_str() == Some("127.0.0.1") {
            let (status, _) = serve::get(&target);
            assert_eq!(status, 200, "the 404 page's {link}");
        }
    }
}

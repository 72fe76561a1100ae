//! The hosting files: `sitemap.xml`, `robots.txt`, `.nojekyll` and `CNAME`.

use std::collections::HashMap;

use super::cards::Cards;
use super::site::STORIES_PER_PAGE;
use super::xml::{absolute, escape};
use crate::date::Date;
use crate::index::{Archive, StoryId};
use crate::write::OutputFile;

/// The most URLs one sitemap file may list (sitemaps.org); more are split up.
const URLS_PER_SITEMAP: usize = 50_000;

/// The hosting files, with a sitemap of the HTML pages among `pages` (all but `404.html`).
pub fn files(
    pages: &[String],
    archive: &Archive,
    cards: &Cards,
    base_url: &str,
) -> Vec<OutputFile> {
    let lastmod = last_changes(archive, cards);
    let urls: Vec<(String, Option<Date>)> = pages
        .iter()
        .filter_map(|path| path.strip_suffix("index.html"))
        .filter(|path| path.is_empty() || path.ends_with('/'))
        .map(|path| (absolute(base_url, path), lastmod.get(path).copied()))
        .collect();
    let mut files = sitemaps(&urls, base_url);
    files.push(text_file("robots.txt", robots(base_url)));
    files.push(text_file(".nojekyll", String::new()));
    if let Some(domain) = &archive.config.cname {
        files.push(text_file("CNAME", format!("{}\n", domain.trim())));
    }
    files
}

fn text_file(path: &str, text: String) -> OutputFile {
    OutputFile {
        path: path.to_string(),
        bytes: text.into_bytes(),
    }
}

/// `robots.txt`: everything may be crawled; the sitemap is named. Crawlers read it
/// only at the root of a host, so on a project site it is a no-op, but harmless.
fn robots(base_url: &str) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {base_url}sitemap.xml\n")
}

/// When each page last changed, by page path, where that is cheap to know: a
/// story's `updated` or `date`; for its quote pages the same; for a person, a tag,
/// the home page and each page of `/stories/`, the newest change among their stories.
fn last_changes(archive: &Archive, cards: &Cards) -> HashMap<String, Date> {
    let story = |id: StoryId| {
        let front = &archive.stories[id.0].story.story.front;
        front.updated.map_or(front.date, |u| u.max(front.date))
    };
    let newest = |ids: &[StoryId]| ids.iter().map(|&s| story(s)).max();
    let mut map = HashMap::new();
    for (i, card) in cards.stories.iter().enumerate() {
        map.insert(card.path.clone(), story(StoryId(i)));
    }
    for (card, entry) in cards.quotes.iter().zip(&archive.quotes) {
        map.insert(card.path.clone(), story(entry.story));
    }
    for (card, entry) in cards.people.iter().zip(archive.people.iter()) {
        let ids: Vec<StoryId> = entry.stories.iter().map(|&(s, _)| s).collect();
        map.extend(newest(&ids).map(|d| (card.path.clone(), d)));
    }
    for (slug, (_, ids)) in cards.tags.iter() {
        map.extend(newest(ids).map(|d| (format!("tags/{slug}/"), d)));
    }
    // Stories are newest first, as on the list pages (the paths follow `site::paginate`).
    let all: Vec<StoryId> = (0..archive.stories.len()).map(StoryId).collect();
    map.extend(newest(&all).map(|d| (String::new(), d)));
    for (n, page) in all.chunks(STORIES_PER_PAGE).enumerate() {
        let path = match n {
            0 => "stories/".to_string(),
            n => format!("stories/page/{}/", n + 1),
        };
        map.extend(newest(page).map(|d| (path, d)));
    }
    map
}

/// `sitemap.xml` listing `urls`; past 50,000 URLs, a sitemap index of `sitemaps/N.xml`.
fn sitemaps(urls: &[(String, Option<Date>)], base_url: &str) -> Vec<OutputFile> {
    if urls.len() <= URLS_PER_SITEMAP {
        return vec![text_file("sitemap.xml", urlset(urls))];
    }
    let parts: Vec<&[(String, Option<Date>)]> = urls.chunks(URLS_PER_SITEMAP).collect();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut files = Vec::new();
    for (n, part) in parts.iter().enumerate() {
        let path = format!("sitemaps/{}.xml", n + 1);
        index += &format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            escape(&absolute(base_url, &path))
        );
        files.push(text_file(&path, urlset(part)));
    }
    files.push(text_file("sitemap.xml", index + "</sitemapindex>\n"));
    files
}

/// A `<urlset>` document.
fn urlset(urls: &[(String, Option<Date>)]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (url, lastmod) in urls {
        out += &format!("  <url><loc>{}</loc>", escape(url));
        if let Some(date) = lastmod {
            out += &format!("<lastmod>{date}</lastmod>");
        }
        out += "</url>\n";
    }
    out + "</urlset>\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Archive {
        let root =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site/small");
        crate::check::model(&root, Default::default())
            .unwrap()
            .archive
    }

    fn page(path: &str) -> String {
        path.to_string()
    }

    #[test]
    fn pages_are_listed_with_their_last_change_and_404_is_not() {
        let archive = small();
        let cards = Cards::new(&archive);
        let pages = [
            page("index.html"),
            page("stories/vote/index.html"),
            page("404.html"),
            page("atom.xml"),
        ];
        let files = files(&pages, &archive, &cards, "https://example.org/small/");
        let map: HashMap<&str, String> = files
            .iter()
            .map(|f| (f.path.as_str(), String::from_utf8(f.bytes.clone()).unwrap()))
            .collect();
        let sitemap = &map["sitemap.xml"];
        assert!(
            sitemap.contains(
                "<url><loc>https://example.org/small/</loc><lastmod>2025-03-01</lastmod></url>"
            ),
            "{sitemap}"
        );
        assert!(sitemap.contains(
            "<loc>https://example.org/small/stories/vote/</loc><lastmod>2025-03-01</lastmod>"
        ));
        assert_eq!(sitemap.matches("<url>").count(), 2, "{sitemap}");
        assert_eq!(
            map["robots.txt"],
            "User-agent: *\nAllow: /\n\nSitemap: https://example.org/small/sitemap.xml\n"
        );
        assert_eq!(map[".nojekyll"], "");
        assert!(!map.contains_key("CNAME"));
    }

    #[test]
    fn a_configured_domain_gets_a_cname_file() {
        let mut archive = small();
        archive.config.cname = Some("archive.example.org".into());
        let files = files(
            &[],
            &archive,
            &Cards::new(&archive),
            "https://archive.example.org/",
        );
        let cname = files.iter().find(|f| f.path == "CNAME").unwrap();
        assert_eq!(cname.bytes, b"archive.example.org\n");
    }

    #[test]
    fn urls_are_escaped_and_huge_sites_get_a_sitemap_index() {
        let one = urlset(&[("https://x.org/?a=1&b=2".into(), None)]);
        assert!(
            one.contains("<loc>https://x.org/?a=1&amp;b=2</loc></url>"),
            "{one}"
        );
        let urls: Vec<(String, Option<Date>)> = (0..URLS_PER_SITEMAP + 1)
            .map(|i| (format!("https://x.org/{i}/"), None))
            .collect();
        let files = sitemaps(&urls, "https://x.org/");
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["sitemaps/1.xml", "sitemaps/2.xml", "sitemap.xml"]);
        let index = String::from_utf8(files[2].bytes.clone()).unwrap();
        assert!(index.contains("<sitemap><loc>https://x.org/sitemaps/2.xml</loc></sitemap>"));
    }
}

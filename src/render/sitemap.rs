//! The hosting files: `sitemap.xml`, `robots.txt`, `.nojekyll` and `CNAME`.

use std::collections::HashMap;
use std::fmt::Write as _;

use rayon::prelude::*;

use super::cards::Cards;
use super::common::STORIES_PER_PAGE;
use super::xml::{absolute, escape, push_escaped};
use crate::date::Date;
use crate::index::{Archive, StoryId};
use crate::write::OutputFile;

/// The most URLs one sitemap file may list (sitemaps.org); more are split up.
const URLS_PER_SITEMAP: usize = 50_000;

/// URLs written by one task of [`urlset`].
const URLS_PER_PART: usize = 4096;

/// When each page last changed, by page path (see [`LastChanges::new`]): made
/// beside the pages, since it needs none of them.
#[derive(Debug, Default)]
pub struct LastChanges(HashMap<String, Date>);

/// The hosting files, with a sitemap of the HTML pages among `pages` (all but
/// `404.html`), sorted by path.
pub fn files(
    pages: &[String],
    archive: &Archive,
    lastmod: &LastChanges,
    base_url: &str,
) -> Vec<OutputFile> {
    let urls: Vec<(&str, Option<Date>)> = pages
        .iter()
        .filter_map(|path| path.strip_suffix("index.html"))
        .filter(|path| path.is_empty() || path.ends_with('/'))
        .map(|path| (path, lastmod.0.get(path).copied()))
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

impl LastChanges {
    /// When each page last changed, where that is cheap to know: a story's
    /// `updated` or `date`; for its quote pages the same; for a person, a tag,
    /// the home page and each page of `/stories/`, the newest change among
    /// their stories.
    pub fn new(archive: &Archive, cards: &Cards) -> LastChanges {
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
        LastChanges(map)
    }
}

/// `sitemap.xml` listing the pages at `urls` (paths from the root); past
/// 50,000 URLs, a sitemap index of `sitemaps/N.xml`.
fn sitemaps(urls: &[(&str, Option<Date>)], base_url: &str) -> Vec<OutputFile> {
    if urls.len() <= URLS_PER_SITEMAP {
        return vec![text_file("sitemap.xml", urlset(urls, base_url))];
    }
    let parts: Vec<&[(&str, Option<Date>)]> = urls.chunks(URLS_PER_SITEMAP).collect();
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
        files.push(text_file(&path, urlset(part, base_url)));
    }
    files.push(text_file("sitemap.xml", index + "</sitemapindex>\n"));
    files
}

/// A `<urlset>` document of the pages at `urls`, made in parts side by side
/// (a part's URLs are written straight into its text).
fn urlset(urls: &[(&str, Option<Date>)], base_url: &str) -> String {
    const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
    let parts: Vec<String> = urls
        .par_chunks(URLS_PER_PART)
        .map(|part| {
            let mut out = String::with_capacity(part.len() * 96);
            for &(path, lastmod) in part {
                out.push_str("  <url><loc>");
                push_escaped(&mut out, &absolute(base_url, path));
                out.push_str("</loc>");
                if let Some(date) = lastmod {
                    out.push_str("<lastmod>");
                    // Writing into a String cannot fail.
                    let _ = write!(out, "{date}");
                    out.push_str("</lastmod>");
                }
                out.push_str("</url>\n");
            }
            out
        })
        .collect();
    let mut out =
        String::with_capacity(HEAD.len() + parts.iter().map(String::len).sum::<usize>() + 12);
    out.push_str(HEAD);
    parts.iter().for_each(|part| out.push_str(part));
    out.push_str("</urlset>\n");
    out
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
        let lastmod = LastChanges::new(&archive, &cards);
        let files = files(&pages, &archive, &lastmod, "https://example.org/small/");
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
            &LastChanges::new(&archive, &Cards::new(&archive)),
            "https://archive.example.org/",
        );
        let cname = files.iter().find(|f| f.path == "CNAME").unwrap();
        assert_eq!(cname.bytes, b"archive.example.org\n");
    }

    #[test]
    fn urls_are_escaped_and_huge_sites_get_a_sitemap_index() {
        let one = urlset(&[("a b/", None)], "https://x.org/?a=1&b=2/");
        assert!(
            one.contains("<loc>https://x.org/?a=1&amp;b=2/a%20b/</loc></url>"),
            "{one}"
        );
        let owned: Vec<String> = (0..URLS_PER_SITEMAP + 1).map(|i| format!("{i}/")).collect();
        let urls: Vec<(&str, Option<Date>)> = owned.iter().map(|p| (p.as_str(), None)).collect();
        let files = sitemaps(&urls, "https://x.org/");
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["sitemaps/1.xml", "sitemaps/2.xml", "sitemap.xml"]);
        let index = String::from_utf8(files[2].bytes.clone()).unwrap();
        assert!(index.contains("<sitemap><loc>https://x.org/sitemaps/2.xml</loc></sitemap>"));
    }

    #[test]
    fn a_urlset_made_in_parts_lists_every_url_once_in_order() {
        let owned: Vec<String> = (0..URLS_PER_PART * 2 + 7)
            .map(|i| format!("p/{i}/"))
            .collect();
        let day = Date::parse("2025-03-01").unwrap();
        let urls: Vec<(&str, Option<Date>)> = owned
            .iter()
            .enumerate()
            .map(|(i, p)| (p.as_str(), (i % 2 == 0).then_some(day)))
            .collect();
        let text = urlset(&urls, "https://x.org/");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), urls.len() + 3, "head, urls, foot");
        for (i, line) in lines[2..lines.len() - 1].iter().enumerate() {
            let lastmod = if i % 2 == 0 {
                "<lastmod>2025-03-01</lastmod>"
            } else {
                ""
            };
            assert_eq!(
                *line,
                format!("  <url><loc>https://x.org/p/{i}/</loc>{lastmod}</url>")
            );
        }
        assert_eq!(lines.last(), Some(&"</urlset>"));
    }
}

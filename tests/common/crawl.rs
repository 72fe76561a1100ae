//! A link checker for built sites: crawls from a start page over HTTP and reports
//! every internal link, asset or fragment that does not resolve. Test crates that
//! use it also declare `html` (common/html.rs) and `serve` (common/serve.rs).
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::{html, serve};

/// Crawls a site from `start`; returns how many URLs were seen and every internal
/// URL, link or fragment that does not resolve. Links must stay under `prefix`.
pub fn crawl(start: &url::Url, prefix: &str) -> (usize, Vec<String>) {
    let mut queue = VecDeque::from([start.clone()]);
    let mut seen = BTreeSet::from([start.to_string()]);
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut fragments: Vec<(String, String, String)> = Vec::new();
    let mut broken = Vec::new();
    while let Some(page) = queue.pop_front() {
        let (status, body) = serve::get(&page);
        if status != 200 {
            broken.push(format!("{page} answered {status}"));
            continue;
        }
        if !page.path().ends_with('/') && !page.path().ends_with(".html") {
            continue;
        }
        let text = String::from_utf8_lossy(&body).into_owned();
        ids.insert(
            page.to_string(),
            html::attr_values(&text, "id").into_iter().collect(),
        );
        for link in html::attr_values(&text, "href")
            .into_iter()
            .chain(html::attr_values(&text, "src"))
        {
            let Ok(target) = page.join(&link) else {
                broken.push(format!("{page}: unparsable {link}"));
                continue;
            };
            if target.host_str() != page.host_str()
                || target.port() != page.port()
                || !matches!(target.scheme(), "http")
            {
                continue;
            }
            if !target.path().starts_with(prefix) {
                broken.push(format!("{page}: {link} leaves {prefix}"));
                continue;
            }
            let mut bare = target.clone();
            bare.set_fragment(None);
            if let Some(fragment) = target.fragment() {
                fragments.push((page.to_string(), bare.to_string(), fragment.to_string()));
            }
            if seen.insert(bare.to_string()) {
                queue.push_back(bare);
            }
        }
    }
    for (from, to, fragment) in fragments {
        let decoded = percent_encoding::percent_decode_str(&fragment)
            .decode_utf8_lossy()
            .into_owned();
        if !ids.get(&to).is_some_and(|set| set.contains(&decoded)) {
            broken.push(format!("{from}: #{fragment} not found in {to}"));
        }
    }
    (seen.len(), broken)
}

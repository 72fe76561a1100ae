//! `archive.toml`: the archive's settings.

use serde::Deserialize;

/// The settings of an archive, from `archive.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The archive's title, shown on every page.
    pub title: String,
    /// Where the site is published; may carry a path (`https://user.github.io/repo/`).
    pub base_url: String,
    /// One or two sentences about the archive.
    #[serde(default)]
    pub description: String,
    /// The language of the stories, as a BCP 47 tag.
    #[serde(default = "default_language")]
    pub language: String,
    /// The theme folder under `themes/` (the default theme is built in).
    #[serde(default = "default_theme")]
    pub theme: String,
    /// A custom domain (`archive.example.org`), written to the site's `CNAME` file.
    #[serde(default)]
    pub cname: Option<String>,
    /// Atom feeds.
    #[serde(default)]
    pub feeds: FeedsConfig,
    /// Full-text search.
    #[serde(default)]
    pub search: SearchConfig,
    /// How Markdown is read.
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// Checks about people.
    #[serde(default)]
    pub people: PeopleConfig,
}

/// `[feeds]`: Atom feeds for the archive, each person and each tag.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedsConfig {
    /// Whether feeds are written.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// How many entries a feed holds.
    #[serde(default = "default_feed_limit")]
    pub limit: usize,
}

/// `[search]`: the built-in search index.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    /// Whether the search index and page are built.
    #[serde(default = "yes")]
    pub enabled: bool,
}

/// `[markdown]`: Markdown options; they change the text that selectors match.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Turn straight quotes, `--` and `...` into typographic ones.
    #[serde(default = "yes")]
    pub smart_punctuation: bool,
    /// The syntect theme used for code highlighting.
    #[serde(default = "default_highlight_theme")]
    pub highlight_theme: String,
}

/// `[people]`: which warnings about people are given.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeopleConfig {
    /// Warn about a registry person who appears in no story.
    #[serde(default = "yes")]
    pub warn_unused: bool,
    /// Warn when a story names a registry person its sidecar does not list.
    #[serde(default = "yes")]
    pub warn_unlisted: bool,
}

fn yes() -> bool {
    true
}
fn default_language() -> String {
    "en".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_feed_limit() -> usize {
    20
}
fn default_highlight_theme() -> String {
    "InspiredGitHub".into()
}

impl Default for FeedsConfig {
    fn default() -> Self {
        FeedsConfig {
            enabled: true,
            limit: default_feed_limit(),
        }
    }
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            smart_punctuation: true,
            highlight_theme: default_highlight_theme(),
        }
    }
}

impl Default for PeopleConfig {
    fn default() -> Self {
        PeopleConfig {
            warn_unused: true,
            warn_unlisted: true,
        }
    }
}

impl Config {
    /// Settings used when `archive.toml` cannot be read, so content can still be checked.
    pub fn fallback() -> Config {
        Config {
            title: "Untitled archive".into(),
            base_url: "http://127.0.0.1:1111/".into(),
            description: String::new(),
            language: default_language(),
            theme: default_theme(),
            cname: None,
            feeds: FeedsConfig::default(),
            search: SearchConfig::default(),
            markdown: MarkdownConfig::default(),
            people: PeopleConfig::default(),
        }
    }

    /// Checks values serde cannot: the base URL's scheme. Returns a message and hint.
    pub fn validate(&self) -> Result<(), (String, String)> {
        let url = self.base_url.trim();
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err((
                format!("`base_url` must be an http or https URL, found `{url}`"),
                "write the address the site will be published at, e.g. https://user.github.io/repo/".into(),
            ));
        }
        Ok(())
    }

    /// Checks that `cname`, when given, is a bare host name. Returns a message and hint.
    pub fn validate_cname(&self) -> Result<(), (String, String)> {
        let Some(cname) = &self.cname else {
            return Ok(());
        };
        if is_host_name(cname) {
            return Ok(());
        }
        let host = cname
            .trim()
            .split_once("://")
            .map_or(cname.trim(), |(_, rest)| rest)
            .split(['/', ':', '?', '#'])
            .next()
            .unwrap_or("");
        let hint = if is_host_name(host) {
            format!("write the domain alone: `cname = \"{host}\"`")
        } else {
            "write the domain alone, without a scheme or path, e.g. `cname = \"archive.example.org\"`".into()
        };
        Err((
            format!("`cname` must be a bare domain name, found `{cname}`"),
            hint,
        ))
    }
}

/// Whether `name` is a domain name of two or more labels (`archive.example.org`):
/// letters, digits and inner `-`, at most 63 bytes a label and 253 in all.
fn is_host_name(name: &str) -> bool {
    let labels: Vec<&str> = name.split('.').collect();
    name.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            (1..=63).contains(&l.len())
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_cname(cname: &str) -> Config {
        Config {
            cname: Some(cname.into()),
            ..Config::fallback()
        }
    }

    #[test]
    fn a_bare_domain_is_a_valid_cname() {
        assert!(with_cname("archive.example.org").validate_cname().is_ok());
        assert!(with_cname("www.my-site.co.uk").validate_cname().is_ok());
        assert!(Config::fallback().validate_cname().is_ok());
    }

    #[test]
    fn a_cname_with_scheme_or_path_is_refused_with_the_domain_as_hint() {
        let (message, hint) = with_cname("https://archive.example.org/x/")
            .validate_cname()
            .unwrap_err();
        assert!(message.contains("bare domain"), "{message}");
        assert!(hint.contains("`cname = \"archive.example.org\"`"), "{hint}");
        for bad in [
            "",
            "localhost",
            "a..b",
            "-a.org",
            "a b.org",
            "a.org:8080",
            "a.org/",
        ] {
            assert!(with_cname(bad).validate_cname().is_err(), "{bad}");
        }
    }
}

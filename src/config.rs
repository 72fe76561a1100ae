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

    /// Checks `base_url` (also given as `--base-url`): an http or https URL
    /// with a host. Returns a message and hint.
    pub fn validate(&self) -> Result<(), (String, String)> {
        validate_base_url(&self.base_url)
    }

    /// Every value serde accepts but the site cannot use: the key it is in,
    /// a message and a hint. (The theme's folder is checked where files are
    /// read, by `load`.)
    pub fn problems(&self) -> Vec<(&'static str, String, String)> {
        let mut problems = Vec::new();
        let mut check = |key: &'static str, result: Result<(), (String, String)>| {
            if let Err((message, hint)) = result {
                problems.push((key, message, hint));
            }
        };
        check("title", validate_title(&self.title));
        check("base_url", self.validate());
        check("cname", self.validate_cname());
        check("language", validate_language(&self.language));
        check(
            "description",
            validate_length("description", &self.description, MAX_DESCRIPTION_CHARS),
        );
        check("theme", validate_theme_name(&self.theme));
        check(
            "highlight_theme",
            validate_highlight_theme(&self.markdown.highlight_theme),
        );
        problems
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

/// The longest title (of the archive, a story or a page) in characters: a
/// title is on every page that lists it, so a runaway one multiplies the site.
pub const MAX_TITLE_CHARS: usize = 300;
/// The longest name of a person in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// The longest description or summary in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 2_000;

/// The highlighting themes built into syntect, the values `highlight_theme` takes.
pub const HIGHLIGHT_THEMES: [&str; 7] = [
    "InspiredGitHub",
    "Solarized (dark)",
    "Solarized (light)",
    "base16-eighties.dark",
    "base16-mocha.dark",
    "base16-ocean.dark",
    "base16-ocean.light",
];

/// A title must say something, and not too much.
fn validate_title(title: &str) -> Result<(), (String, String)> {
    if title.trim().is_empty() {
        return Err((
            "`title` is blank".into(),
            "give the archive a title, e.g. title = \"The Harbour Files\"".into(),
        ));
    }
    validate_length("title", title, MAX_TITLE_CHARS)
}

/// `value` of `key` is at most `max` characters. Returns a message and hint.
pub fn validate_length(key: &str, value: &str, max: usize) -> Result<(), (String, String)> {
    let chars = value.chars().count();
    if chars > max {
        return Err((
            format!("`{key}` is {chars} characters long, more than the {max} allowed"),
            "shorten it: it is shown on many pages; put longer text in the Markdown body".into(),
        ));
    }
    Ok(())
}

/// `base_url` is an absolute http or https URL with a host and a valid port.
pub fn validate_base_url(base_url: &str) -> Result<(), (String, String)> {
    let text = base_url.trim();
    let example =
        "write the address the site will be published at, e.g. https://user.github.io/repo/";
    let parsed = match url::Url::parse(text) {
        Ok(url) => url,
        Err(e) => {
            return Err((
                format!("`base_url` is not a valid URL ({e}): `{text}`"),
                example.into(),
            ))
        }
    };
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err((
            format!("`base_url` must be an http or https URL, found `{text}`"),
            example.into(),
        ));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err((format!("`base_url` has no host: `{text}`"), example.into()));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err((
            format!("`base_url` cannot have a query or a fragment: `{text}`"),
            example.into(),
        ));
    }
    Ok(())
}

/// `language` is a well-formed BCP 47 language tag (`en`, `en-GB`, `pt-BR`,
/// `zh-Hant-TW`): it becomes the pages' `lang`, the feeds' `xml:lang` and the
/// search index's stemming language.
fn validate_language(language: &str) -> Result<(), (String, String)> {
    let hint = "write a BCP 47 language tag: a language, then optionally a script and a region, e.g. \"en\", \"en-GB\", \"pt-BR\", \"zh-Hant-TW\"";
    if language.len() > 35 {
        return Err((
            format!(
                "`language` is {} characters long: a language tag is a few letters",
                language.len()
            ),
            hint.into(),
        ));
    }
    match oxilangtag::LanguageTag::parse(language) {
        Ok(_) => Ok(()),
        Err(e) => Err((
            format!("`language` is not a BCP 47 language tag ({e}): `{language}`"),
            hint.into(),
        )),
    }
}

/// `theme` names one folder under `themes/`: no path, no `..`.
fn validate_theme_name(theme: &str) -> Result<(), (String, String)> {
    let plain = !theme.is_empty()
        && theme != "."
        && theme != ".."
        && !theme.contains(['/', '\\', '\0'])
        && !theme.chars().any(char::is_control);
    if plain {
        return Ok(());
    }
    Err((
        format!("`theme` must be the name of a folder in themes/, found `{theme}`"),
        "write a folder name such as \"default\" (built in) or \"mine\" for themes/mine/".into(),
    ))
}

/// `highlight_theme` is one of syntect's built-in themes.
fn validate_highlight_theme(name: &str) -> Result<(), (String, String)> {
    if HIGHLIGHT_THEMES.contains(&name) {
        return Ok(());
    }
    let known = HIGHLIGHT_THEMES
        .iter()
        .map(|t| format!("\"{t}\""))
        .collect::<Vec<_>>()
        .join(", ");
    // Case aside: `inspiredgithub` means "InspiredGitHub".
    let lower: Vec<String> = HIGHLIGHT_THEMES.iter().map(|t| t.to_lowercase()).collect();
    let near = crate::suggest::closest(&name.to_lowercase(), lower.iter().map(String::as_str))
        .and_then(|l| lower.iter().position(|t| t == l))
        .map(|i| HIGHLIGHT_THEMES[i]);
    let hint = match near {
        Some(near) => format!("did you mean \"{near}\"? The themes are {known}"),
        None => format!("the themes are {known}"),
    };
    Err((format!("unknown `highlight_theme` `{name}`"), hint))
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

    #[test]
    fn a_base_url_needs_a_scheme_a_host_and_a_valid_port() {
        for good in [
            "https://example.github.io/repo/",
            "http://127.0.0.1:1111/",
            "https://example.com",
            "http://[::1]:8080/a/",
        ] {
            assert!(validate_base_url(good).is_ok(), "{good}");
        }
        for bad in [
            "https://",
            "http://[::1",
            "http://exa mple.com/",
            "https://example.com:99999/",
            "ftp://example.com/",
            "example.com/",
            "",
            "https://example.com/?a=b",
        ] {
            let (message, hint) = validate_base_url(bad).unwrap_err();
            assert!(message.contains("`base_url`"), "{bad}: {message}");
            assert!(hint.contains("https://"), "{bad}: {hint}");
        }
    }

    #[test]
    fn a_language_is_a_bcp47_tag() {
        for good in ["en", "en-GB", "pt-BR", "zh-Hant-TW", "de-CH-1996", "es-419"] {
            assert!(validate_language(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "a/b",
            "\"><script>alert(1)</script>",
            "../../../evil",
            "english language",
            "en_GB_",
            &"a".repeat(31),
            &format!("en-{}", ["abcdefgh"; 5].join("-")),
        ] {
            assert!(validate_language(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_title_must_show_and_fit() {
        assert!(validate_title("The Harbour Files").is_ok());
        for bad in ["", "   ", "\t"] {
            assert_eq!(validate_title(bad).unwrap_err().0, "`title` is blank");
        }
        assert!(validate_title(&"x".repeat(MAX_TITLE_CHARS)).is_ok());
        let (message, _) = validate_title(&"x".repeat(1_000_000)).unwrap_err();
        assert!(message.contains("1000000 characters"), "{message}");
    }

    #[test]
    fn a_theme_is_a_folder_name_and_a_highlight_theme_a_known_one() {
        assert!(validate_theme_name("default").is_ok());
        assert!(validate_theme_name("my-theme").is_ok());
        for bad in ["", ".", "..", "../../../../etc", "a/b", "a\\b", "/etc"] {
            assert!(validate_theme_name(bad).is_err(), "{bad}");
        }
        assert!(validate_highlight_theme("InspiredGitHub").is_ok());
        let (message, hint) = validate_highlight_theme("inspiredgithub").unwrap_err();
        assert!(message.contains("unknown `highlight_theme`"), "{message}");
        assert!(hint.contains("did you mean \"InspiredGitHub\"?"), "{hint}");
    }

    #[test]
    fn every_problem_names_its_key() {
        let config = Config {
            title: " ".into(),
            base_url: "https://".into(),
            language: "a/b".into(),
            theme: "../x".into(),
            ..Config::fallback()
        };
        let keys: Vec<&str> = config.problems().iter().map(|p| p.0).collect();
        assert_eq!(keys, ["title", "base_url", "language", "theme"]);
        assert!(Config::fallback().problems().is_empty());
    }
}

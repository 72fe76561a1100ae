//! Code highlighting with syntect into CSS classes (`hl-…`), and the stylesheet
//! for those classes. Syntect's syntax definitions are loaded on first use, so
//! an archive without code blocks never pays for them.

use std::sync::OnceLock;

use pulldown_cmark_escape::escape_html;
use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Highlights fenced code; cheap to create, loads syntaxes lazily.
#[derive(Debug, Default)]
pub struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
}

impl Highlighter {
    /// A highlighter that has loaded nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The HTML of a code block: `<pre><code>` with highlighted spans when the
    /// language is known, plain escaped text otherwise.
    pub fn highlight(&self, lang: Option<&str>, code: &str) -> String {
        let class = lang
            .map(|l| format!(" class=\"language-{}\"", escape(l)))
            .unwrap_or_default();
        let body = lang
            .and_then(|l| self.highlight_known(l, code))
            .unwrap_or_else(|| escape(code));
        format!("<pre class=\"code\"><code{class}>{body}</code></pre>\n")
    }

    fn highlight_known(&self, lang: &str, code: &str) -> Option<String> {
        let syntaxes = self.syntaxes.get_or_init(SyntaxSet::load_defaults_newlines);
        let syntax = syntaxes.find_syntax_by_token(lang)?;
        let mut generator =
            ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .ok()?;
        }
        Some(generator.finalize())
    }

    /// Whether syntaxes have been loaded (for tests of the lazy loading).
    pub fn is_loaded(&self) -> bool {
        self.syntaxes.get().is_some()
    }
}

/// The stylesheet for highlighted code: `light` by default, `dark` under
/// `prefers-color-scheme: dark`. Unknown theme names fall back to built-in ones.
pub fn stylesheet(light: &str, dark: &str) -> String {
    let themes = ThemeSet::load_defaults();
    let css = |name: &str, fallback: &str| {
        themes
            .themes
            .get(name)
            .or_else(|| themes.themes.get(fallback))
            .and_then(|t| css_for_theme_with_class_style(t, CLASS_STYLE).ok())
            .unwrap_or_default()
    };
    format!(
        "/* Code highlighting, generated from syntect themes. */\n{}\n@media (prefers-color-scheme: dark) {{\n{}\n}}\n",
        css(light, "InspiredGitHub"),
        css(dark, "base16-ocean.dark")
    )
}

/// The names of the built-in highlighting themes.
pub fn theme_names() -> Vec<String> {
    ThemeSet::load_defaults().themes.keys().cloned().collect()
}

fn escape(text: &str) -> String {
    let mut out = String::new();
    let _ = escape_html(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_get_classes_and_unknown_ones_plain_text() {
        let h = Highlighter::new();
        assert!(!h.is_loaded());
        let plain = h.highlight(None, "a < b\n");
        assert_eq!(plain, "<pre class=\"code\"><code>a &lt; b\n</code></pre>\n");
        assert!(!h.is_loaded(), "no language, no syntaxes");
        let rust = h.highlight(Some("rust"), "fn main() {}\n");
        assert!(rust.contains("class=\"hl-"), "{rust}");
        assert!(h.is_loaded());
    }

    #[test]
    fn stylesheet_has_light_and_dark_rules() {
        let css = stylesheet("InspiredGitHub", "base16-ocean.dark");
        assert!(css.contains(".hl-"));
        assert!(css.contains("prefers-color-scheme: dark"));
    }

    #[test]
    fn the_configured_theme_names_are_syntects() {
        let mut names = theme_names();
        names.sort();
        assert_eq!(names, crate::config::HIGHLIGHT_THEMES);
    }
}

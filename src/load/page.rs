//! Content pages: `content/pages/NAME.md`, published at `/NAME/` (an "about" page, say).

use std::ops::Range;

use serde::Deserialize;

use crate::source::Source;

/// A content page's front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageFront {
    /// The page title.
    pub title: String,
    /// A one-line description for meta tags.
    #[serde(default)]
    pub description: Option<String>,
    /// A draft is published only with `--drafts`.
    #[serde(default)]
    pub draft: bool,
}

/// A content page, parsed.
#[derive(Debug, Clone)]
pub struct PageFile {
    /// The Markdown file.
    pub source: Source,
    /// The URL segment: the file stem.
    pub name: String,
    /// Front matter.
    pub front: PageFront,
    /// Byte range of the Markdown body in `source`.
    pub body: Range<usize>,
}

impl PageFile {
    /// The Markdown body.
    pub fn markdown(&self) -> &str {
        &self.source.text[self.body.clone()]
    }
}

/// Names that content pages cannot take: the site's own sections.
pub const RESERVED_NAMES: &[&str] = &[
    "stories", "people", "quotes", "tags", "search", "timeline", "data", "page", "404",
];

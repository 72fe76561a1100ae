//! Stories: `content/stories/**/NAME.md` with front matter and a Markdown body.

use std::ops::Range;

use serde::Deserialize;

use super::sidecar::SidecarFile;
use crate::date::Date;
use crate::source::Source;

/// A story's front matter, as the author wrote it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoryFront {
    /// The headline.
    pub title: String,
    /// When it was published.
    pub date: Date,
    /// When it was last changed.
    #[serde(default)]
    pub updated: Option<Date>,
    /// The publication it appeared in.
    #[serde(default)]
    pub source: Option<String>,
    /// The original's address.
    #[serde(default)]
    pub url: Option<String>,
    /// Who wrote it.
    #[serde(default)]
    pub authors: Vec<String>,
    /// Topics.
    #[serde(default)]
    pub tags: Vec<String>,
    /// A summary; the first paragraph when absent.
    #[serde(default)]
    pub summary: Option<String>,
    /// The story's id and URL segment; the file stem when absent.
    #[serde(default)]
    pub slug: Option<String>,
    /// A draft is published only with `--drafts`.
    #[serde(default)]
    pub draft: bool,
}

/// A story file, parsed: front matter, where its body is, and its sidecar.
#[derive(Debug, Clone)]
pub struct StoryFile {
    /// The Markdown file.
    pub source: Source,
    /// Its front matter.
    pub front: StoryFront,
    /// The story's id: its `slug`, or its file stem.
    pub slug: String,
    /// Byte span in `source` of the value that set the slug (or the file start).
    pub slug_span: Range<usize>,
    /// Byte range of the Markdown body in `source`.
    pub body: Range<usize>,
    /// The annotation sidecar, if the story has one that parsed.
    pub sidecar: Option<SidecarFile>,
}

impl StoryFile {
    /// The Markdown body.
    pub fn markdown(&self) -> &str {
        &self.source.text[self.body.clone()]
    }
}

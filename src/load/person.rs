//! People: `content/people/ID.md`, the registry that quotes and mentions refer to.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;

use crate::date::Date;
use crate::source::Source;

/// A person's front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonFront {
    /// Full name, as used in text.
    pub name: String,
    /// Other names used in text, such as a surname.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// One line on who they are.
    #[serde(default)]
    pub description: Option<String>,
    /// Offices held, with dates.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// Other pages about them, by kind (`wikidata`, `homepage`, …).
    #[serde(default)]
    pub links: BTreeMap<String, String>,
    /// A picture, relative to the site root or absolute.
    #[serde(default)]
    pub image: Option<String>,
}

/// An office a person held.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// What the role was.
    pub title: String,
    /// When it began.
    #[serde(default)]
    pub from: Option<Date>,
    /// When it ended; absent while it lasts.
    #[serde(default)]
    pub to: Option<Date>,
}

/// A person file, parsed.
#[derive(Debug, Clone)]
pub struct PersonFile {
    /// The Markdown file.
    pub source: Source,
    /// The id: the file stem.
    pub id: String,
    /// Front matter.
    pub front: PersonFront,
    /// Byte range of the biography (Markdown) in `source`.
    pub body: Range<usize>,
}

impl PersonFile {
    /// Every name the person goes by in text: the name, then the aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.front.name.as_str())
            .chain(self.front.aliases.iter().map(String::as_str))
    }

    /// The biography's Markdown.
    pub fn biography(&self) -> &str {
        &self.source.text[self.body.clone()]
    }
}

//! Annotation sidecars: `NAME.ann.toml` beside `NAME.md`.
//!
//! Values keep their byte spans (`Spanned`) so that later stages can point at
//! the exact text an author wrote.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::date::{self, Date};
use crate::diagnostics::Diagnostic;
use crate::source::Source;

/// A sidecar file, parsed.
#[derive(Debug, Clone)]
pub struct SidecarFile {
    /// The TOML file.
    pub source: Source,
    /// What it holds.
    pub sidecar: Sidecar,
}

impl SidecarFile {
    /// Errors in the quotes' `said`: a year outside [`date::YEARS`], or a day
    /// after `latest`, the story's last version (its `updated`, else its
    /// `date`, the value at `latest_at` of `story`): a story cannot report
    /// words before they are said.
    pub fn said_diagnostics(
        &self,
        latest: &Date,
        story: &Source,
        latest_at: Range<usize>,
    ) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        for quote in &self.sidecar.quotes {
            let Some(said) = &quote.get_ref().said else {
                continue;
            };
            let value = said.get_ref();
            if let Some(message) = date::year_outside("said", value, &date::YEARS) {
                found.push(
                    Diagnostic::error(message)
                        .at(&self.source, said.span())
                        .hint("write the day the words were said as YYYY-MM-DD with a four-digit year; the site shows the years 0001 to 9999 (the year 0000 is no calendar year)"),
                );
            } else if latest.is_before(value) {
                found.push(
                    Diagnostic::error(format!(
                        "quote said on {value}, after the story that reports it ({latest})"
                    ))
                    .at(&self.source, said.span())
                    .label("after the story")
                    .related(story, latest_at.clone(), "the story is dated here")
                    .hint("a story cannot report words before they are said: fix the year of `said`, or, if the quote was added when the story was changed, set the story's `updated` to that day"),
                );
            }
        }
        found
    }
}

/// The annotations of one story.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sidecar {
    /// Who appears: their names and aliases are found in the text.
    #[serde(default)]
    pub people: Option<Spanned<Vec<Spanned<String>>>>,
    /// Per-story names: text → person id.
    #[serde(default)]
    pub aliases: BTreeMap<Spanned<String>, Spanned<String>>,
    /// Text that names someone without a registered alias.
    #[serde(default, rename = "mention")]
    pub mentions: Vec<Spanned<MentionEntry>>,
    /// Words someone said or wrote.
    #[serde(default, rename = "quote")]
    pub quotes: Vec<Spanned<QuoteEntry>>,
    /// Links to other stories.
    #[serde(default, rename = "link")]
    pub links: Vec<Spanned<LinkEntry>>,
    /// Editorial margin notes.
    #[serde(default, rename = "note")]
    pub notes: Vec<Spanned<NoteEntry>>,
}

/// Where an annotation sits in the story's reader-visible text.
#[derive(Debug, Clone, Default)]
pub struct Selector {
    /// The exact passage.
    pub text: Option<Spanned<String>>,
    /// The start of a passage that runs to `end`.
    pub start: Option<Spanned<String>>,
    /// The end of a passage that begins with `start`.
    pub end: Option<Spanned<String>>,
    /// Text just before the passage.
    pub prefix: Option<Spanned<String>>,
    /// Text just after the passage.
    pub suffix: Option<Spanned<String>>,
    /// Which of several matches (1-based).
    pub occurrence: Option<Spanned<i64>>,
}

impl Selector {
    /// Whether any selecting key was given.
    pub fn is_empty(&self) -> bool {
        self.text.is_none() && self.start.is_none() && self.end.is_none()
    }
}

/// Declares a sidecar entry with the selector keys beside its own.
macro_rules! entry_with_selector {
    ($(#[$meta:meta])* pub struct $name:ident { $($(#[$fmeta:meta])* pub $field:ident : $ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($(#[$fmeta])* pub $field: $ty,)*
            /// The exact passage.
            #[serde(default)]
            pub text: Option<Spanned<String>>,
            /// The start of a passage that runs to `end`.
            #[serde(default)]
            pub start: Option<Spanned<String>>,
            /// The end of a passage that begins with `start`.
            #[serde(default)]
            pub end: Option<Spanned<String>>,
            /// Text just before the passage.
            #[serde(default)]
            pub prefix: Option<Spanned<String>>,
            /// Text just after the passage.
            #[serde(default)]
            pub suffix: Option<Spanned<String>>,
            /// Which of several matches (1-based).
            #[serde(default)]
            pub occurrence: Option<Spanned<i64>>,
        }

        impl $name {
            /// The selector keys of this entry.
            pub fn selector(&self) -> Selector {
                Selector {
                    text: self.text.clone(),
                    start: self.start.clone(),
                    end: self.end.clone(),
                    prefix: self.prefix.clone(),
                    suffix: self.suffix.clone(),
                    occurrence: self.occurrence.clone(),
                }
            }
        }
    };
}

entry_with_selector! {
    /// `[[mention]]`: text that names a person.
    pub struct MentionEntry {
        /// The person's id.
        pub person: Spanned<String>,
    }
}

entry_with_selector! {
    /// `[[quote]]`: words attributed to a speaker.
    pub struct QuoteEntry {
        /// A stable id; derived from the quote when absent.
        #[serde(default)]
        pub id: Option<Spanned<String>>,
        /// The person who said it.
        #[serde(default)]
        pub speaker: Option<Spanned<String>>,
        /// An unnamed source, described ("two officials").
        #[serde(default)]
        pub unnamed: Option<Spanned<String>>,
        /// How the words are reported.
        #[serde(default)]
        pub kind: QuoteKind,
        /// Whether the attribution holds.
        #[serde(default)]
        pub status: QuoteStatus,
        /// Who the quote is about.
        #[serde(default)]
        pub about: Vec<Spanned<String>>,
        /// When it was said; the story's date when absent.
        #[serde(default)]
        pub said: Option<Spanned<Date>>,
        /// Who first reported the words, if not this story.
        #[serde(default)]
        pub via: Option<String>,
        /// Markdown context shown with the quote.
        #[serde(default)]
        pub note: Option<String>,
    }
}

entry_with_selector! {
    /// `[[link]]`: a link from this story to another.
    pub struct LinkEntry {
        /// The other story's slug.
        pub story: Spanned<String>,
        /// How the stories relate (`follow-up`, `background`, …).
        #[serde(default)]
        pub relation: Option<String>,
    }
}

entry_with_selector! {
    /// `[[note]]`: an editorial margin note on a passage.
    pub struct NoteEntry {
        /// The note, in Markdown.
        pub body: String,
    }
}

/// How a quote reports the words.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    /// Word for word, in quotation marks.
    #[default]
    Direct,
    /// Some of the words, in quotation marks.
    Partial,
    /// Paraphrased.
    Indirect,
    /// Written rather than spoken.
    Written,
}

/// Whether a quote's attribution holds up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteStatus {
    /// Confirmed.
    #[default]
    Verified,
    /// Contested by the speaker or others.
    Disputed,
    /// Attributed to the wrong person.
    Misattributed,
}

impl QuoteKind {
    /// The lowercase name used in files and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteKind::Direct => "direct",
            QuoteKind::Partial => "partial",
            QuoteKind::Indirect => "indirect",
            QuoteKind::Written => "written",
        }
    }
}

impl QuoteStatus {
    /// The lowercase name used in files and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteStatus::Verified => "verified",
            QuoteStatus::Disputed => "disputed",
            QuoteStatus::Misattributed => "misattributed",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sidecar_keeps_spans_of_values() {
        let text = "people = [\"a\"]\n[[quote]]\nspeaker = \"a\"\ntext = \"hi there\"\nkind = \"written\"\n";
        let sidecar: Sidecar = toml::from_str(text).unwrap();
        let quote = sidecar.quotes[0].get_ref();
        assert_eq!(quote.kind, QuoteKind::Written);
        assert_eq!(quote.status, QuoteStatus::Verified);
        let span = quote.text.as_ref().unwrap().span();
        assert_eq!(&text[span], "\"hi there\"");
    }
}

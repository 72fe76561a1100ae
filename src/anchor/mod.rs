//! The `anchor` stage: each story's selectors become spans of its reader-visible text.
//!
//! For every story (in parallel) this builds the [`VisibleText`], finds the
//! mentions of the people it lists, and resolves every quote, link and note
//! selector of its sidecar to a [`Span`]. References to people are checked
//! here; references to other stories and quotes are checked by `index`, which
//! sees the whole archive.

pub mod closest;
pub mod fold;
pub mod names;
pub mod registry;
pub mod select;
pub mod text;

mod story;

use std::ops::Range;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::config::Config;
use crate::date::Date;
use crate::diagnostics::Diagnostic;
use crate::load::{Broken, Corpus, PageFile, PersonFile, QuoteKind, QuoteStatus, StoryFile};
use crate::source::Source;
pub use registry::Registry;
pub use text::{InternalLink, LinkScheme, PlainText, TextFacts, VisibleText};

/// A range of a story's visible text, in chars (see [`text`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// First char.
    pub start: usize,
    /// One past the last char.
    pub end: usize,
}

impl Span {
    /// The span as a range.
    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }
}

impl From<Range<usize>> for Span {
    fn from(range: Range<usize>) -> Self {
        Span {
            start: range.start,
            end: range.end,
        }
    }
}

/// Where a sidecar entry was written, for diagnostics that come later.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The sidecar.
    pub file: Source,
    /// Byte span of the relevant value.
    pub span: Range<usize>,
}

/// Text that names a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// The person's id, one allocation shared by the story's mentions of them
    /// rather than a string per mention.
    pub person: std::sync::Arc<str>,
    /// Where.
    pub span: Span,
    /// Given by a `[[mention]]` rather than found by name.
    pub explicit: bool,
}

/// Who said a quote.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Speaker {
    /// A registered person's id.
    Person(String),
    /// An unnamed source, as described in the story.
    Unnamed(String),
}

/// A quote, anchored.
#[derive(Debug, Clone)]
pub struct Quote {
    /// Its id: given, or derived (see [`derive_quote_id`]).
    pub id: String,
    /// Whether the id was derived.
    pub derived_id: bool,
    /// Who said it.
    pub speaker: Speaker,
    /// The words in the story.
    pub span: Span,
    /// Those words as plain text on one line, shared with the quote's card.
    pub words: std::sync::Arc<str>,
    /// How the words are reported.
    pub kind: QuoteKind,
    /// Whether the attribution holds.
    pub status: QuoteStatus,
    /// Who it is about (person ids).
    pub about: Vec<String>,
    /// When it was said.
    pub said: Date,
    /// Who first reported it.
    pub via: Option<String>,
    /// Markdown context.
    pub note: Option<String>,
    /// Where its id is written (or its `[[quote]]` table, for derived ids).
    pub origin: Origin,
}

/// A `[[link]]` to another story.
#[derive(Debug, Clone)]
pub struct StoryLink {
    /// The other story's slug.
    pub target: String,
    /// How they relate.
    pub relation: Option<String>,
    /// The anchor text in this story, if any.
    pub span: Option<Span>,
    /// Where the target is written.
    pub origin: Origin,
}

/// An editorial note on a passage.
#[derive(Debug, Clone)]
pub struct Note {
    /// The passage.
    pub span: Span,
    /// The note, in Markdown.
    pub body: String,
}

/// A story with its annotations resolved to spans.
#[derive(Debug, Clone)]
pub struct AnchoredStory {
    /// The story as loaded.
    pub story: StoryFile,
    /// What is kept of its visible text: the text itself is read again
    /// (`text::story_text`) where a page shows it.
    pub text: TextFacts,
    /// Everyone who appears: listed, settled aliases, explicit mentions, speakers.
    pub people: Vec<String>,
    /// Mentions, in text order.
    pub mentions: Vec<Mention>,
    /// Quotes, in sidecar order.
    pub quotes: Vec<Quote>,
    /// Links to other stories, in sidecar order.
    pub links: Vec<StoryLink>,
    /// Notes, in sidecar order.
    pub notes: Vec<Note>,
}

/// The archive after anchoring.
#[derive(Debug, Clone)]
pub struct Anchored {
    /// The archive folder.
    pub root: PathBuf,
    /// Settings.
    pub config: Config,
    /// People, by id.
    pub people: Vec<PersonFile>,
    /// Stories, in path order.
    pub stories: Vec<AnchoredStory>,
    /// Content pages, as loaded.
    pub pages: Vec<PageFile>,
    /// Files that did not parse, so references to them are not reported twice.
    pub broken: Broken,
}

/// Anchors every story of the corpus, in parallel.
pub fn anchor(corpus: Corpus) -> (Anchored, Vec<Diagnostic>) {
    let Corpus {
        root,
        config,
        stories,
        people,
        pages,
        broken,
        ..
    } = corpus;
    let options = crate::markdown::options(&config.markdown);
    let registry = Registry::new(&people, &broken.people);
    let context = story::Context {
        registry: &registry,
        options,
        config: &config,
    };
    let results: Vec<(AnchoredStory, Vec<Diagnostic>)> = stories
        .into_par_iter()
        .map(|s| story::anchor_story(s, &context))
        .collect();
    let mut diagnostics = Vec::new();
    let mut anchored = Vec::with_capacity(results.len());
    for (story, mut ds) in results {
        anchored.push(story);
        diagnostics.append(&mut ds);
    }
    drop(registry);
    (
        Anchored {
            root,
            config,
            people,
            stories: anchored,
            pages,
            broken,
        },
        diagnostics,
    )
}

/// Anchors one story against the people registry (for `serve`, which re-anchors
/// only the story that changed).
pub fn anchor_one(
    story: StoryFile,
    people: &[PersonFile],
    broken_people: &[String],
    config: &Config,
) -> (AnchoredStory, Vec<Diagnostic>) {
    let registry = Registry::new(people, broken_people);
    let context = story::Context {
        registry: &registry,
        options: crate::markdown::options(&config.markdown),
        config,
    };
    story::anchor_story(story, &context)
}

/// The id of a quote that has none: `SPEAKER-W1-W2-W3-HHHHHH`.
///
/// SPEAKER is the speaker's id (or `unnamed`); W1–W3 are the first three words
/// of the quote's selector, slugified; HHHHHH are six hex digits of a 64-bit
/// FNV-1a hash of the story's slug and the folded selector (`text`, or `start`
/// and `end`). The id therefore stays the same across builds and machines while
/// the story's slug, the speaker and the selected words stay the same; edits
/// elsewhere in the story or sidecar do not change it. Set `id` to pin it.
///
/// The id names a folder, so it is at most [`MAX_NAME_BYTES`] long: when
/// SPEAKER-W1-W2-W3 is longer than that less the hash's seven bytes, it is cut
/// at a char boundary. The hash, of the whole selector, keeps cut ids apart.
///
/// [`MAX_NAME_BYTES`]: crate::load::slug::MAX_NAME_BYTES
pub fn derive_quote_id(story_slug: &str, speaker: &Speaker, selector_words: &str) -> String {
    let speaker = match speaker {
        Speaker::Person(id) => id.as_str(),
        Speaker::Unnamed(_) => "unnamed",
    };
    let folded = fold::fold_str(selector_words);
    let words: Vec<String> = folded
        .split(' ')
        .map(crate::load::slugify)
        .filter(|w| !w.is_empty())
        .take(3)
        .collect();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in story_slug.bytes().chain([0]).chain(folded.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let mut id = speaker.to_string();
    for word in words {
        id.push('-');
        id.push_str(&word);
    }
    let head = crate::load::slug::truncate(&id, crate::load::slug::MAX_NAME_BYTES - HASH_BYTES);
    let mut id = if head.len() == id.len() {
        id
    } else {
        head.to_string()
    };
    id.push_str(&format!("-{:06x}", hash >> 40));
    id
}

/// The bytes of a derived quote id's `-HHHHHH`.
const HASH_BYTES: usize = 7;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_depend_on_words_not_spelling() {
        let speaker = Speaker::Person("mara-okafor".into());
        let a = derive_quote_id("water-deal", &speaker, "We will \u{201C}not\u{201D} sign");
        let b = derive_quote_id("water-deal", &speaker, "We will  \"not\" sign");
        assert_eq!(a, b);
        assert!(a.starts_with("mara-okafor-we-will-not-"), "{a}");
        assert_ne!(a, derive_quote_id("water-deal", &speaker, "We will sign"));
        assert_ne!(
            a,
            derive_quote_id("other-story", &speaker, "We will \"not\" sign")
        );
        let unnamed = derive_quote_id("x", &Speaker::Unnamed("two officials".into()), "Soon");
        assert!(unnamed.starts_with("unnamed-soon-"), "{unnamed}");
    }

    #[test]
    fn derived_ids_keep_letters_of_any_script() {
        let speaker = Speaker::Person("josé".into());
        let id = derive_quote_id("故事", &speaker, "Ärger über 故事 heute");
        assert!(id.starts_with("josé-ärger-über-故事-"), "{id}");
        assert!(crate::load::is_valid_slug(&id), "{id}");
    }

    #[test]
    fn derived_ids_are_bounded_and_kept_apart() {
        use crate::load::slug::MAX_NAME_BYTES;
        let speaker = Speaker::Person("a".repeat(MAX_NAME_BYTES));
        let long_word = "ü".repeat(200);
        let a = derive_quote_id("s", &speaker, &format!("{long_word} one"));
        let b = derive_quote_id("s", &speaker, &format!("{long_word} two"));
        for id in [&a, &b] {
            assert!(id.len() <= MAX_NAME_BYTES, "{} bytes: {id}", id.len());
            assert!(crate::load::is_valid_slug(id), "{id}");
        }
        assert_ne!(a, b);
        let words = derive_quote_id("s", &Speaker::Unnamed(String::new()), &long_word);
        assert!(words.len() <= MAX_NAME_BYTES, "{words}");
        assert!(words.starts_with("unnamed-üü"), "{words}");
    }
}

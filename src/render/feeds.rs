//! Atom feeds (RFC 4287): the whole archive, each person and each tag.
//!
//! Feeds are written by hand as XML. Entry ids are the absolute URLs of the
//! pages they point at, so a story keeps its id in every feed it appears in.

use chrono::SecondsFormat;
use rayon::prelude::*;

use super::cards::Cards;
use super::site::quote_title;
use super::xml::{absolute, escape};
use crate::config::Config;
use crate::date::Date;
use crate::index::{Archive, PersonId, QuoteId, StoryId};
use crate::load::QuoteStatus;
use crate::write::{OutputFile, Sink, WriteError};

/// The archive's feed, from the site root.
pub const ARCHIVE_FEED: &str = "atom.xml";

/// The path of the archive's feed, when feeds are on.
pub fn archive_feed(config: &Config) -> Option<String> {
    config.feeds.enabled.then(|| ARCHIVE_FEED.to_string())
}

/// The path of a person's feed (`people/ID/atom.xml`), when feeds are on.
pub fn person_feed(config: &Config, id: &str) -> Option<String> {
    config
        .feeds
        .enabled
        .then(|| format!("people/{id}/{ARCHIVE_FEED}"))
}

/// The path of a tag's feed (`tags/SLUG/atom.xml`), when feeds are on.
pub fn tag_feed(config: &Config, slug: &str) -> Option<String> {
    config
        .feeds
        .enabled
        .then(|| format!("tags/{slug}/{ARCHIVE_FEED}"))
}

/// Puts every feed of the archive into `sink`; none when `[feeds] enabled = false`.
pub fn files(
    archive: &Archive,
    cards: &Cards,
    base_url: &str,
    sink: &dyn Sink,
) -> Result<(), WriteError> {
    let config = &archive.config;
    if !config.feeds.enabled {
        return Ok(());
    }
    let limit = config.feeds.limit;
    let stories = |ids: &mut dyn Iterator<Item = StoryId>| -> Vec<Entry> {
        ids.take(limit)
            .map(|s| story_entry(archive, cards, s))
            .collect()
    };
    // Each feed is put as soon as it is made, on every core: the people's
    // feeds together are the largest part of them.
    let put = |feed: Feed| {
        sink.put(OutputFile {
            bytes: feed.to_xml(config, base_url).into_bytes(),
            path: feed.path,
        })
    };
    put(Feed {
        title: config.title.clone(),
        subtitle: Some(config.description.clone()).filter(|d| !d.is_empty()),
        page: String::new(),
        path: ARCHIVE_FEED.to_string(),
        entries: stories(&mut (0..archive.stories.len()).map(StoryId)),
    })?;
    (0..archive.people.len())
        .into_par_iter()
        .try_for_each(|p| put(person_feed_of(archive, cards, PersonId(p))))?;
    cards.tags.iter().try_for_each(|(slug, (name, ids))| {
        put(Feed {
            title: format!("Tag: {name} · {}", config.title),
            subtitle: None,
            page: format!("tags/{slug}/"),
            path: format!("tags/{slug}/{ARCHIVE_FEED}"),
            entries: stories(&mut ids.iter().copied()),
        })
    })
}

/// One feed, before it is written.
struct Feed {
    title: String,
    subtitle: Option<String>,
    /// The page the feed belongs to (its `alternate` link).
    page: String,
    /// The feed's own path (its `self` link and id).
    path: String,
    /// Newest first.
    entries: Vec<Entry>,
}

/// One entry of a feed: a story or a quote.
struct Entry {
    title: String,
    path: String,
    published: Date,
    updated: Date,
    authors: Vec<String>,
    categories: Vec<String>,
    summary: String,
}

/// A person's feed: the stories they appear in and their own quotes (not those
/// misattributed to them), newest first.
fn person_feed_of(archive: &Archive, cards: &Cards, id: PersonId) -> Feed {
    let entry = &archive.people[id.0];
    let mut entries: Vec<Entry> = entry
        .stories
        .iter()
        .map(|&(s, _)| story_entry(archive, cards, s))
        .collect();
    entries.extend(
        entry
            .quotes_by
            .iter()
            .rev()
            .filter(|q| archive.quotes[q.0].quote.status != QuoteStatus::Misattributed)
            .map(|&q| quote_entry(archive, cards, q)),
    );
    // Stable: a story comes before its quotes, and quotes stay newest said first.
    entries.sort_by_key(|e| std::cmp::Reverse(e.published));
    entries.truncate(archive.config.feeds.limit);
    Feed {
        title: format!("{} · {}", entry.file.front.name, archive.config.title),
        subtitle: entry.file.front.description.clone(),
        page: cards.people[id.0].path.clone(),
        path: format!("people/{}/{ARCHIVE_FEED}", entry.file.id),
        entries,
    }
}

fn story_entry(archive: &Archive, cards: &Cards, id: StoryId) -> Entry {
    let front = &archive.stories[id.0].story.story.front;
    let card = &cards.stories[id.0];
    Entry {
        title: card.title.clone(),
        path: card.path.clone(),
        published: front.date,
        updated: front.updated.map_or(front.date, |u| u.max(front.date)),
        authors: front.authors.clone(),
        categories: front.tags.clone(),
        summary: card.summary.clone(),
    }
}

/// A quote dates from the story that reports it: that is when it is new to the archive.
fn quote_entry(archive: &Archive, cards: &Cards, id: QuoteId) -> Entry {
    let card = &cards.quotes[id.0];
    let story = story_entry(archive, cards, archive.quotes[id.0].story);
    let source = card
        .story
        .source
        .as_ref()
        .map(|s| format!(", {s}"))
        .unwrap_or_default();
    Entry {
        title: quote_title(card),
        path: card.path.clone(),
        summary: format!(
            "\u{201C}{}\u{201D} ({}, {}). In \u{201C}{}\u{201D}{source}.",
            card.words, card.speaker.name, card.date_display, card.story.title
        ),
        categories: Vec::new(),
        ..story
    }
}

/// An Atom date: RFC 3339, to the second.
fn atom_date(date: &Date) -> String {
    date.moment().to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl Feed {
    /// The feed as an Atom document.
    fn to_xml(&self, config: &Config, base_url: &str) -> String {
        let updated = self
            .entries
            .iter()
            .map(|e| e.updated)
            .max()
            .map_or("1970-01-01T00:00:00Z".to_string(), |d| atom_date(&d));
        let own = escape(&absolute(base_url, &self.path));
        let mut out = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
             <feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n\
             \x20 <title>{}</title>\n",
            escape(&config.language),
            escape(&self.title)
        );
        if let Some(subtitle) = &self.subtitle {
            out += &format!("  <subtitle>{}</subtitle>\n", escape(subtitle));
        }
        out += &format!(
            "  <id>{own}</id>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{own}\"/>\n\
             \x20 <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n\
             \x20 <updated>{updated}</updated>\n  <author><name>{}</name></author>\n\
             \x20 <generator version=\"{}\">annalist</generator>\n",
            escape(&absolute(base_url, &self.page)),
            escape(&config.title),
            env!("CARGO_PKG_VERSION")
        );
        for entry in &self.entries {
            out += &entry.to_xml(base_url);
        }
        out + "</feed>\n"
    }
}

impl Entry {
    /// The entry as an Atom `<entry>` element.
    fn to_xml(&self, base_url: &str) -> String {
        let url = escape(&absolute(base_url, &self.path));
        let mut out = format!(
            "  <entry>\n    <title>{}</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n\
             \x20   <id>{url}</id>\n    <published>{}</published>\n    <updated>{}</updated>\n",
            escape(&self.title),
            atom_date(&self.published),
            atom_date(&self.updated)
        );
        for author in &self.authors {
            out += &format!("    <author><name>{}</name></author>\n", escape(author));
        }
        for category in &self.categories {
            out += &format!("    <category term=\"{}\"/>\n", escape(category));
        }
        if !self.summary.is_empty() {
            out += &format!("    <summary>{}</summary>\n", escape(&self.summary));
        }
        out + "  </entry>\n"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(title: &str, day: &str) -> Entry {
        let date = Date::parse(day).unwrap();
        Entry {
            title: title.into(),
            path: "stories/a&b/".into(),
            published: date,
            updated: date,
            authors: vec!["Ann <Editor>".into()],
            categories: vec!["water & power".into()],
            summary: "Tom & \"Jerry\" </summary>".into(),
        }
    }

    #[test]
    fn text_and_attributes_are_escaped() {
        let xml = entry("Fish & <chips>", "2025-03-04").to_xml("https://x.org/");
        assert!(
            xml.contains("<title>Fish &amp; &lt;chips&gt;</title>"),
            "{xml}"
        );
        assert!(xml.contains("<name>Ann &lt;Editor&gt;</name>"), "{xml}");
        assert!(xml.contains("term=\"water &amp; power\""), "{xml}");
        assert!(
            xml.contains("Tom &amp; &quot;Jerry&quot; &lt;/summary&gt;"),
            "{xml}"
        );
        assert!(
            xml.contains("<id>https://x.org/stories/a%26b/</id>"),
            "{xml}"
        );
        assert!(
            xml.contains("<published>2025-03-04T00:00:00Z</published>"),
            "{xml}"
        );
    }

    #[test]
    fn a_feed_is_as_new_as_its_newest_entry_and_names_a_fallback_author() {
        let feed = Feed {
            title: "T".into(),
            subtitle: None,
            page: "people/p/".into(),
            path: "people/p/atom.xml".into(),
            entries: vec![entry("new", "2025-05-01"), entry("old", "2024-01-01")],
        };
        let xml = feed.to_xml(&Config::fallback(), "https://x.org/r/");
        assert!(
            xml.contains(
                "<updated>2025-05-01T00:00:00Z</updated>\n  <author><name>Untitled archive</name>"
            ),
            "{xml}"
        );
        assert!(xml.contains(
            "rel=\"self\" type=\"application/atom+xml\" href=\"https://x.org/r/people/p/atom.xml\""
        ));
        assert!(
            xml.contains("rel=\"alternate\" type=\"text/html\" href=\"https://x.org/r/people/p/\"")
        );
        assert!(xml.find(">new<").unwrap() < xml.find(">old<").unwrap());
    }

    #[test]
    fn feed_paths_follow_the_setting() {
        let mut config = Config::fallback();
        assert_eq!(
            person_feed(&config, "a").as_deref(),
            Some("people/a/atom.xml")
        );
        assert_eq!(tag_feed(&config, "t").as_deref(), Some("tags/t/atom.xml"));
        config.feeds.enabled = false;
        assert_eq!(archive_feed(&config), None);
    }
}

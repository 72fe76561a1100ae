//! Atom feeds (RFC 4287): the whole archive, each person and each tag.
//!
//! Feeds are written by hand as XML. Entry ids are the absolute URLs of the
//! pages they point at, so a story keeps its id in every feed it appears in.

use std::borrow::Cow;
use std::sync::OnceLock;

use chrono::SecondsFormat;
use rayon::prelude::*;

use super::cards::Cards;
use super::citation::quote_title;
use super::xml::{absolute, escape, push_escaped};
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
    let entries = Entries::new(archive, cards, base_url);
    let stories = |ids: &mut dyn Iterator<Item = StoryId>| -> Vec<Made<'_>> {
        ids.take(limit).map(|s| entries.story(s)).collect()
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
        .try_for_each(|p| put(person_feed_of(&entries, PersonId(p))))?;
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
struct Feed<'a> {
    title: String,
    subtitle: Option<String>,
    /// The page the feed belongs to (its `alternate` link).
    page: String,
    /// The feed's own path (its `self` link and id).
    path: String,
    /// Newest first.
    entries: Vec<Made<'a>>,
}

/// One entry of a feed: a story or a quote.
struct Entry<'a> {
    title: Cow<'a, str>,
    path: Cow<'a, str>,
    published: Date,
    updated: Date,
    authors: Cow<'a, [String]>,
    categories: Cow<'a, [String]>,
    summary: Cow<'a, str>,
}

/// An entry made into its `<entry>` element, with when it was last updated
/// (which dates the feed).
struct Made<'a> {
    updated: Date,
    xml: Cow<'a, str>,
}

/// The entries of the feeds. A story's element is the same in every feed
/// that lists it (the archive's, each of its people's and each of its
/// tags'), so it is made the first time one does and copied into the others.
struct Entries<'a> {
    archive: &'a Archive,
    cards: &'a Cards,
    base_url: &'a str,
    /// By [`StoryId`].
    stories: Vec<OnceLock<String>>,
}

impl<'a> Entries<'a> {
    fn new(archive: &'a Archive, cards: &'a Cards, base_url: &'a str) -> Self {
        Entries {
            archive,
            cards,
            base_url,
            stories: (0..archive.stories.len())
                .map(|_| OnceLock::new())
                .collect(),
        }
    }

    /// A story's entry, made once.
    fn story(&self, id: StoryId) -> Made<'_> {
        let xml = self.stories[id.0]
            .get_or_init(|| story_entry(self.archive, self.cards, id).to_xml(self.base_url));
        Made {
            updated: updated(self.archive, id),
            xml: Cow::Borrowed(xml),
        }
    }

    /// A quote's entry: a quote is in its speaker's feed only.
    fn quote(&self, id: QuoteId) -> Made<'static> {
        let entry = quote_entry(self.archive, self.cards, id);
        Made {
            updated: entry.updated,
            xml: Cow::Owned(entry.to_xml(self.base_url)),
        }
    }
}

/// A story or a quote in a person's feed.
#[derive(Clone, Copy)]
enum Item {
    Story(StoryId),
    Quote(QuoteId),
}

/// A person's feed: the stories they appear in and their own quotes (not those
/// misattributed to them), newest first. Only the entries kept are made.
fn person_feed_of<'a>(entries: &'a Entries<'_>, id: PersonId) -> Feed<'a> {
    let archive = entries.archive;
    let person = &archive.people[id.0];
    let published = |s: StoryId| archive.stories[s.0].story.story.front.date;
    let mut items: Vec<(Date, Item)> = person
        .stories
        .iter()
        .map(|&(s, _)| (published(s), Item::Story(s)))
        .collect();
    items.extend(
        person
            .quotes_by
            .iter()
            .rev()
            .filter(|q| archive.quotes[q.0].quote.status != QuoteStatus::Misattributed)
            // A quote dates from the story that reports it.
            .map(|&q| (published(archive.quotes[q.0].story), Item::Quote(q))),
    );
    // Stable: a story comes before its quotes, and quotes stay newest said first.
    items.sort_by_key(|&(date, _)| std::cmp::Reverse(date));
    items.truncate(archive.config.feeds.limit);
    Feed {
        title: format!("{} · {}", person.file.front.name, archive.config.title),
        subtitle: person.file.front.description.clone(),
        page: entries.cards.people[id.0].path.clone(),
        path: format!("people/{}/{ARCHIVE_FEED}", person.file.id),
        entries: items
            .into_iter()
            .map(|(_, item)| match item {
                Item::Story(s) => entries.story(s),
                Item::Quote(q) => entries.quote(q),
            })
            .collect(),
    }
}

/// When a story was last updated: its date, or a later update.
fn updated(archive: &Archive, id: StoryId) -> Date {
    let front = &archive.stories[id.0].story.story.front;
    front.updated.map_or(front.date, |u| u.max(front.date))
}

fn story_entry<'a>(archive: &'a Archive, cards: &'a Cards, id: StoryId) -> Entry<'a> {
    let front = &archive.stories[id.0].story.story.front;
    let card = &cards.stories[id.0];
    Entry {
        title: Cow::Borrowed(&card.title),
        path: Cow::Borrowed(&card.path),
        published: front.date,
        updated: updated(archive, id),
        authors: Cow::Borrowed(&front.authors),
        categories: Cow::Borrowed(&front.tags),
        summary: Cow::Borrowed(&card.summary),
    }
}

/// A quote dates from the story that reports it: that is when it is new to the archive.
fn quote_entry<'a>(archive: &'a Archive, cards: &'a Cards, id: QuoteId) -> Entry<'a> {
    let card = &cards.quotes[id.0];
    let story = story_entry(archive, cards, archive.quotes[id.0].story);
    let source: [&str; 2] = card.story.source.as_deref().map_or(["", ""], |s| [", ", s]);
    Entry {
        title: Cow::Owned(quote_title(card)),
        path: Cow::Borrowed(&card.path),
        summary: Cow::Owned(
            [
                "\u{201C}",
                &card.words,
                "\u{201D} (",
                &card.speaker.name,
                ", ",
                &card.date_display,
                "). In \u{201C}",
                &card.story.title,
                "\u{201D}",
                source[0],
                source[1],
                ".",
            ]
            .concat(),
        ),
        categories: Cow::Borrowed(&[]),
        ..story
    }
}

/// An Atom date: RFC 3339, to the second.
fn atom_date(date: &Date) -> String {
    date.moment().to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl Feed<'_> {
    /// The feed as an Atom document.
    fn to_xml(&self, config: &Config, base_url: &str) -> String {
        let updated = self
            .entries
            .iter()
            .map(|e| e.updated)
            .max()
            .map_or("1970-01-01T00:00:00Z".to_string(), |d| atom_date(&d));
        let own = escape(&absolute(base_url, &self.path));
        let entries: usize = self.entries.iter().map(|e| e.xml.len()).sum();
        let mut out = String::with_capacity(entries + 2 * own.len() + 640);
        out.push_str(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
             <feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"",
        );
        push_escaped(&mut out, &config.language);
        out.push_str("\">\n  <title>");
        push_escaped(&mut out, &self.title);
        out.push_str("</title>\n");
        if let Some(subtitle) = &self.subtitle {
            out.push_str("  <subtitle>");
            push_escaped(&mut out, subtitle);
            out.push_str("</subtitle>\n");
        }
        for part in [
            "  <id>",
            &own,
            "</id>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"",
            &own,
            "\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"",
        ] {
            out.push_str(part);
        }
        push_escaped(&mut out, &absolute(base_url, &self.page));
        out.push_str("\"/>\n  <updated>");
        out.push_str(&updated);
        out.push_str("</updated>\n  <author><name>");
        push_escaped(&mut out, &config.title);
        out.push_str(concat!(
            "</name></author>\n  <generator version=\"",
            env!("CARGO_PKG_VERSION"),
            "\">annalist</generator>\n"
        ));
        for entry in &self.entries {
            out.push_str(&entry.xml);
        }
        out.push_str("</feed>\n");
        out
    }
}

impl Entry<'_> {
    /// The entry as an Atom `<entry>` element.
    fn to_xml(&self, base_url: &str) -> String {
        let url = escape(&absolute(base_url, &self.path));
        let published = atom_date(&self.published);
        let updated = atom_date(&self.updated);
        let listed = |list: &[String]| list.iter().map(|s| s.len() + 40).sum::<usize>();
        let mut out = String::with_capacity(
            self.title.len()
                + 2 * url.len()
                + listed(&self.authors)
                + listed(&self.categories)
                + self.summary.len()
                + 260,
        );
        out.push_str("  <entry>\n    <title>");
        push_escaped(&mut out, &self.title);
        for part in [
            "</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"",
            &url,
            "\"/>\n    <id>",
            &url,
            "</id>\n    <published>",
            &published,
            "</published>\n    <updated>",
            &updated,
            "</updated>\n",
        ] {
            out.push_str(part);
        }
        for author in self.authors.iter() {
            out.push_str("    <author><name>");
            push_escaped(&mut out, author);
            out.push_str("</name></author>\n");
        }
        for category in self.categories.iter() {
            out.push_str("    <category term=\"");
            push_escaped(&mut out, category);
            out.push_str("\"/>\n");
        }
        if !self.summary.is_empty() {
            out.push_str("    <summary>");
            push_escaped(&mut out, &self.summary);
            out.push_str("</summary>\n");
        }
        out.push_str("  </entry>\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(title: &str, day: &str) -> Entry<'static> {
        let date = Date::parse(day).unwrap();
        Entry {
            title: title.to_string().into(),
            path: "stories/a&b/".into(),
            published: date,
            updated: date,
            authors: vec!["Ann <Editor>".into()].into(),
            categories: vec!["water & power".into()].into(),
            summary: "Tom & \"Jerry\" </summary>".into(),
        }
    }

    /// `entry` made into its element, as a feed holds it.
    fn made(title: &str, day: &str, base_url: &str) -> Made<'static> {
        let entry = entry(title, day);
        Made {
            updated: entry.updated,
            xml: entry.to_xml(base_url).into(),
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
            entries: vec![
                made("new", "2025-05-01", "https://x.org/r/"),
                made("old", "2024-01-01", "https://x.org/r/"),
            ],
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

//! The archive as data, added to every build: `/data/stories.json`,
//! `people.json` and `quotes.json` with a JSON Schema beside each,
//! `/data/quotes.csv` with its Frictionless `datapackage.json`, and each story's
//! annotations in the W3C Web Annotation model at
//! `/stories/SLUG/annotations.jsonld` (made by [`annotations`]). Every file and field is documented in
//! `docs/data.md`; the schemas are `src/render/schemas/*.schema.json`.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{json, Value};

use super::annotations;
use super::cards::{iso_date, Cards};
use crate::anchor::Speaker;
use crate::index::{Archive, StoryEntry};
use crate::write::{OutputFile, Sink, WriteError};

/// The JSON Schemas of the downloads, by file name.
const SCHEMAS: [(&str, &str); 3] = [
    (
        "stories.schema.json",
        include_str!("schemas/stories.schema.json"),
    ),
    (
        "people.schema.json",
        include_str!("schemas/people.schema.json"),
    ),
    (
        "quotes.schema.json",
        include_str!("schemas/quotes.schema.json"),
    ),
];

/// The columns of `quotes.csv`, in order: (name, Table Schema type, description).
const CSV_FIELDS: [(&str, &str, &str); 11] = [
    ("id", "string", "The quote's id"),
    (
        "speaker",
        "string",
        "The speaker's name, or the unnamed source's description",
    ),
    (
        "speaker_id",
        "string",
        "The speaker's person id; empty for an unnamed source",
    ),
    ("words", "string", "The words, as plain text on one line"),
    ("kind", "string", "direct, partial, indirect or written"),
    ("status", "string", "verified, disputed or misattributed"),
    ("date", "date", "When the words were said (YYYY-MM-DD)"),
    (
        "via",
        "string",
        "Who first reported the words, if not the story; may be empty",
    ),
    (
        "story",
        "string",
        "The slug of the story that holds the quote",
    ),
    ("story_title", "string", "The story's headline"),
    (
        "permalink",
        "string",
        "The absolute URL of the quote's page",
    ),
];

/// Every data file of the archive: the downloads under `data/` and one
/// `annotations.jsonld` per story. `base_url` ends in `/`.
pub fn files(
    archive: &Archive,
    cards: &Cards,
    base_url: &str,
    sink: &dyn Sink,
) -> Result<(), WriteError> {
    let urls = &Urls { base: base_url };
    // One large download at a time, each written as it is made: they run
    // beside the pages, and at 100,000 stories each is hundreds of megabytes.
    sink.put_written("data/stories.json", &mut |w| {
        write_json(w, &stories(archive, cards, urls))
    })?;
    sink.put_written("data/people.json", &mut |w| {
        write_json(w, &people(archive, urls))
    })?;
    sink.put_written("data/quotes.json", &mut |w| {
        write_json(w, &quotes(archive, cards, urls))
    })?;
    sink.put_written("data/quotes.csv", &mut |w| {
        quotes_csv(w, archive, cards, urls)
    })?;
    sink.put(json_file(
        "data/datapackage.json",
        &datapackage(archive, urls),
    ))?;
    for (name, text) in SCHEMAS {
        sink.put(json_file(
            &format!("data/{name}"),
            &schema(name, text, urls),
        ))?;
    }
    Ok(())
}

/// A story's annotations in the W3C Web Annotation model,
/// `stories/SLUG/annotations.jsonld`: made beside the story's page, one story
/// at a time, rather than with the other downloads all at once.
/// `text` is the story's visible text ([`Archive::visible_text`]).
pub fn annotation_file(
    archive: &Archive,
    entry: &StoryEntry,
    text: &crate::anchor::PlainText,
    base_url: &str,
) -> OutputFile {
    json_file(
        &format!("stories/{}/annotations.jsonld", entry.story.story.slug),
        &annotations::page(archive, entry, text, base_url),
    )
}

/// Absolute URLs of the site's pages.
struct Urls<'a> {
    base: &'a str,
}

impl Urls<'_> {
    fn story(&self, slug: &str) -> String {
        format!("{}stories/{slug}/", self.base)
    }
    fn person(&self, id: &str) -> String {
        format!("{}people/{id}/", self.base)
    }
    fn quote(&self, id: &str) -> String {
        format!("{}quotes/{id}/", self.base)
    }
    fn annotations(&self, slug: &str) -> String {
        format!("{}stories/{slug}/annotations.jsonld", self.base)
    }
    fn data(&self, name: &str) -> String {
        format!("{}data/{name}", self.base)
    }
}

/// Pretty JSON and a final newline, as [`json_file`] makes them.
fn write_json<W: std::io::Write + ?Sized>(
    w: &mut W,
    value: &impl Serialize,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, value)?;
    w.write_all(b"\n")
}

fn json_file(path: &str, value: &impl Serialize) -> OutputFile {
    let mut bytes = Vec::new();
    write_json(&mut bytes, value).expect("data serializes to JSON");
    OutputFile {
        path: path.to_string(),
        bytes,
    }
}

/// A schema from `schemas/`, with its `$id` set to where it is published.
fn schema(name: &str, text: &str, urls: &Urls) -> Value {
    let mut value: Value = serde_json::from_str(text).expect("the built-in schemas are JSON");
    value["$id"] = Value::String(urls.data(name));
    value
}

#[derive(Serialize)]
struct StoryData<'a> {
    id: &'a str,
    title: &'a str,
    date: String,
    updated: Option<String>,
    source: Option<&'a str>,
    url: Option<&'a str>,
    authors: &'a [String],
    tags: &'a [String],
    summary: &'a str,
    people: Vec<PersonCount<'a>>,
    quotes: Vec<&'a str>,
    links: Vec<LinkData<'a>>,
    backlinks: Vec<LinkData<'a>>,
    related: Vec<&'a str>,
    permalink: String,
    annotations: String,
}

#[derive(Serialize)]
struct PersonCount<'a> {
    id: &'a str,
    mentions: usize,
}

#[derive(Serialize)]
struct LinkData<'a> {
    story: &'a str,
    relation: Option<&'a str>,
}

fn stories<'a>(archive: &'a Archive, cards: &'a Cards, urls: &Urls) -> Vec<StoryData<'a>> {
    let slug = |id: crate::index::StoryId| archive.stories[id.0].story.story.slug.as_str();
    let link = |l: &'a crate::index::Link| LinkData {
        story: slug(l.story),
        relation: l.relation.as_deref(),
    };
    archive
        .stories
        .iter()
        .zip(&cards.stories)
        .map(|(entry, card)| {
            let story = &entry.story.story;
            let mut quotes = entry.quotes.clone();
            quotes.sort_by_key(|q| archive.quotes[q.0].quote.span.start);
            StoryData {
                id: &story.slug,
                title: &story.front.title,
                date: iso_date(&story.front.date),
                updated: story.front.updated.as_ref().map(iso_date),
                source: story.front.source.as_deref(),
                url: story.front.url.as_deref(),
                authors: &story.front.authors,
                tags: &story.front.tags,
                summary: &card.summary,
                people: entry
                    .people
                    .iter()
                    .map(|&(p, mentions)| PersonCount {
                        id: &archive.people[p.0].file.id,
                        mentions,
                    })
                    .collect(),
                quotes: quotes
                    .iter()
                    .map(|q| archive.quotes[q.0].quote.id.as_str())
                    .collect(),
                links: entry.links_out.iter().map(link).collect(),
                backlinks: entry.backlinks.iter().map(link).collect(),
                related: entry.related.iter().map(|&(s, _)| slug(s)).collect(),
                permalink: urls.story(&story.slug),
                annotations: urls.annotations(&story.slug),
            }
        })
        .collect()
}

#[derive(Serialize)]
struct PersonData<'a> {
    id: &'a str,
    name: &'a str,
    aliases: &'a [String],
    description: Option<&'a str>,
    roles: Vec<RoleData<'a>>,
    links: &'a BTreeMap<String, String>,
    image: Option<String>,
    quote_count: usize,
    story_count: usize,
    stories: Vec<&'a str>,
    quotes: Vec<&'a str>,
    quotes_about: Vec<&'a str>,
    appears_with: Vec<SharedStories<'a>>,
    permalink: String,
}

#[derive(Serialize)]
struct RoleData<'a> {
    title: &'a str,
    from: Option<String>,
    to: Option<String>,
}

#[derive(Serialize)]
struct SharedStories<'a> {
    id: &'a str,
    stories: usize,
}

fn people<'a>(archive: &'a Archive, urls: &Urls) -> Vec<PersonData<'a>> {
    let quote_id = |q: &crate::index::QuoteId| archive.quotes[q.0].quote.id.as_str();
    archive
        .people
        .iter()
        .map(|entry| {
            let file = &entry.file;
            let front = &file.front;
            PersonData {
                id: &file.id,
                name: &front.name,
                aliases: &front.aliases,
                description: front.description.as_deref(),
                roles: front
                    .roles
                    .iter()
                    .map(|r| RoleData {
                        title: &r.title,
                        from: r.from.as_ref().map(iso_date),
                        to: r.to.as_ref().map(iso_date),
                    })
                    .collect(),
                links: &front.links,
                image: front.image.as_ref().map(|i| {
                    if i.contains("://") {
                        i.clone()
                    } else {
                        format!("{}{}", urls.base, i.trim_start_matches('/'))
                    }
                }),
                quote_count: entry
                    .quotes_by
                    .iter()
                    .filter(|q| {
                        archive.quotes[q.0].quote.status != crate::load::QuoteStatus::Misattributed
                    })
                    .count(),
                story_count: entry.stories.len(),
                stories: entry
                    .stories
                    .iter()
                    .map(|&(s, _)| archive.stories[s.0].story.story.slug.as_str())
                    .collect(),
                quotes: entry.quotes_by.iter().map(quote_id).collect(),
                quotes_about: entry.quotes_about.iter().map(quote_id).collect(),
                appears_with: entry
                    .appears_with
                    .iter()
                    .map(|&(p, stories)| SharedStories {
                        id: &archive.people[p.0].file.id,
                        stories,
                    })
                    .collect(),
                permalink: urls.person(&file.id),
            }
        })
        .collect()
}

#[derive(Serialize)]
struct QuoteData<'a> {
    id: &'a str,
    words: &'a str,
    speaker: &'a str,
    speaker_id: Option<&'a str>,
    unnamed: bool,
    kind: &'static str,
    status: &'static str,
    date: &'a str,
    via: Option<&'a str>,
    about: Vec<&'a str>,
    note: Option<&'a str>,
    story: &'a str,
    story_title: &'a str,
    story_date: String,
    source: Option<&'a str>,
    permalink: String,
    story_permalink: String,
}

fn quotes<'a>(archive: &'a Archive, cards: &'a Cards, urls: &Urls) -> Vec<QuoteData<'a>> {
    archive
        .quotes
        .iter()
        .zip(&cards.quotes)
        .map(|(entry, card)| {
            let quote = &entry.quote;
            let story = &archive.stories[entry.story.0].story.story;
            QuoteData {
                id: &quote.id,
                words: &card.words,
                speaker: &card.speaker.name,
                speaker_id: match &quote.speaker {
                    Speaker::Person(id) => Some(id),
                    Speaker::Unnamed(_) => None,
                },
                unnamed: card.speaker.unnamed,
                kind: card.kind,
                status: card.status,
                date: &card.date,
                via: quote.via.as_deref(),
                about: entry
                    .about
                    .iter()
                    .map(|p| archive.people[p.0].file.id.as_str())
                    .collect(),
                note: quote.note.as_deref(),
                story: &story.slug,
                story_title: &story.front.title,
                story_date: iso_date(&story.front.date),
                source: story.front.source.as_deref(),
                permalink: urls.quote(&quote.id),
                story_permalink: format!("{}#q-{}", urls.story(&story.slug), quote.id),
            }
        })
        .collect()
}

#[derive(Serialize)]
struct QuoteRow<'a> {
    id: &'a str,
    speaker: &'a str,
    speaker_id: &'a str,
    words: &'a str,
    kind: &'a str,
    status: &'a str,
    date: &'a str,
    via: &'a str,
    story: &'a str,
    story_title: &'a str,
    permalink: &'a str,
}

/// `quotes.csv`: RFC 4180 (comma, double quotes where needed, CRLF), UTF-8, a header row.
fn quotes_csv(
    w: &mut dyn std::io::Write,
    archive: &Archive,
    cards: &Cards,
    urls: &Urls,
) -> std::io::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(w);
    for q in quotes(archive, cards, urls) {
        let row = QuoteRow {
            id: q.id,
            speaker: q.speaker,
            speaker_id: q.speaker_id.unwrap_or(""),
            words: q.words,
            kind: q.kind,
            status: q.status,
            date: q.date,
            via: q.via.unwrap_or(""),
            story: q.story,
            story_title: q.story_title,
            permalink: &q.permalink,
        };
        writer.serialize(row)?;
    }
    if archive.quotes.is_empty() {
        let header: Vec<&str> = CSV_FIELDS.iter().map(|f| f.0).collect();
        writer.write_record(header)?;
    }
    writer.flush()
}

/// The Frictionless Data Package describing `quotes.csv`.
fn datapackage(archive: &Archive, urls: &Urls) -> Value {
    let config = &archive.config;
    let name = crate::load::slugify(&config.title);
    let fields: Vec<Value> = CSV_FIELDS
        .iter()
        .map(|&(name, kind, description)| {
            let mut field = json!({ "name": name, "type": kind, "description": description });
            let constraints = match name {
                "id" => json!({ "required": true, "unique": true }),
                "kind" => json!({ "required": true, "enum": ["direct", "partial", "indirect", "written"] }),
                "status" => json!({ "required": true, "enum": ["verified", "disputed", "misattributed"] }),
                "speaker_id" | "via" => Value::Null,
                _ => json!({ "required": true }),
            };
            if !constraints.is_null() {
                field["constraints"] = constraints;
            }
            if name == "permalink" {
                field["format"] = json!("uri");
            }
            field
        })
        .collect();
    json!({
        "profile": "tabular-data-package",
        "name": if name.is_empty() { "annalist-archive".to_string() } else { name },
        "title": config.title,
        "description": config.description,
        "homepage": urls.base,
        "resources": [{
            "profile": "tabular-data-resource",
            "name": "quotes",
            "title": "Quotes",
            "description": "Every quote in the archive, one row each.",
            "path": "quotes.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {
                "delimiter": ",",
                "lineTerminator": "\r\n",
                "quoteChar": "\"",
                "doubleQuote": true,
                "header": true
            },
            "schema": {
                "fields": fields,
                "primaryKey": "id",
                "missingValues": [""]
            }
        }]
    })
}

//! The archive as data, added to every build: `/data/stories.json`,
//! `people.json` and `quotes.json` with a JSON Schema beside each,
//! `/data/quotes.csv` with its Frictionless `datapackage.json`, and each story's
//! annotations in the W3C Web Annotation model at
//! `/stories/SLUG/annotations.jsonld` (made by [`annotations`]). Every file and field is documented in
//! `docs/data.md`; the schemas are `src/render/schemas/*.schema.json`.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;
use serde_json::{json, Value};

use super::annotations;
use super::cards::Cards;
use super::urls::Urls;
use crate::anchor::Speaker;
use crate::date::Date;
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
    let urls = Urls { base: base_url };
    // One large download at a time, each written as it is made, record by
    // record: they run beside the pages, and at 100,000 stories each is
    // hundreds of megabytes.
    sink.put_written("data/stories.json", &mut |w| {
        write_json(w, &Records(|| stories(archive, cards, urls)))
    })?;
    sink.put_written("data/people.json", &mut |w| {
        write_json(w, &Records(|| people(archive, urls)))
    })?;
    sink.put_written("data/quotes.json", &mut |w| {
        write_json(w, &Records(|| quotes(archive, cards, urls)))
    })?;
    sink.put_written("data/quotes.csv", &mut |w| {
        quotes_csv(w, archive, cards, urls)
    })?;
    sink.put(json_file(
        "data/datapackage.json".to_string(),
        &datapackage(archive, urls),
        0,
    ))?;
    for (name, text) in SCHEMAS {
        sink.put(json_file(
            format!("data/{name}"),
            &schema(name, text, urls),
            0,
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
    let story = &entry.story;
    let slug = &story.story.slug;
    // About a kilobyte of JSON per annotation: room for most pages at once.
    let annotations = story.mentions.len()
        + entry.quotes.len()
        + entry.links_out.iter().filter(|l| l.span.is_some()).count()
        + story.notes.len();
    let mut bytes = Vec::with_capacity(512 + 1024 * annotations);
    annotations::page(archive, entry, text, base_url).write_json(&mut bytes);
    OutputFile {
        path: ["stories/", slug, "/annotations.jsonld"].concat(),
        bytes,
    }
}

/// A JSON array of the records `make` returns, made one at a time as they
/// are written: a download is never held in memory whole.
struct Records<F>(F);

impl<F, I> Serialize for Records<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

/// Writes `value` as [`json_file`] does, through a buffer: serde_json writes
/// a few bytes at a time, too little for each to go to the file on its own.
fn write_json(w: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    let mut buffered = io::BufWriter::with_capacity(1 << 16, w);
    to_json(&mut buffered, value)?;
    buffered.flush()
}

/// Pretty JSON (as `serde_json::to_writer_pretty` makes it) and a final newline.
fn to_json<W: Write>(w: W, value: &impl Serialize) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(w, Pretty::default());
    value.serialize(&mut serializer)?;
    serializer.into_inner().write_all(b"\n")
}

/// A data file of pretty JSON, with room for `capacity` bytes made at once.
fn json_file(path: String, value: &impl Serialize, capacity: usize) -> OutputFile {
    let mut bytes = Vec::with_capacity(capacity);
    to_json(&mut bytes, value).expect("data serializes to JSON");
    OutputFile { path, bytes }
}

/// The bytes of serde_json's `PrettyFormatter` (two spaces a level), with
/// each line break and its indentation written at once rather than two
/// spaces at a time: most of what a data file holds is indentation.
#[derive(Default)]
struct Pretty {
    /// How many arrays and objects are open.
    depth: usize,
    /// Whether the innermost open array or object has a value yet.
    has_value: bool,
}

impl Pretty {
    /// Ends a line (after a comma if `comma`) and indents the next one.
    fn line<W: ?Sized + Write>(&self, w: &mut W, comma: bool) -> io::Result<()> {
        super::json_writer::new_line(w, self.depth, comma)
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line(w, false)?;
        }
        w.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.line(w, !first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.line(w, !first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// A schema from `schemas/`, with its `$id` set to where it is published.
fn schema(name: &str, text: &str, urls: Urls) -> Value {
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

fn stories<'a>(
    archive: &'a Archive,
    cards: &'a Cards,
    urls: Urls<'a>,
) -> impl Iterator<Item = StoryData<'a>> + 'a {
    let slug = move |id: crate::index::StoryId| archive.stories[id.0].story.story.slug.as_str();
    let link = move |l: &'a crate::index::Link| LinkData {
        story: slug(l.story),
        relation: l.relation.as_deref(),
    };
    archive
        .stories
        .iter()
        .zip(&cards.stories)
        .map(move |(entry, card)| {
            let story = &entry.story.story;
            let mut quotes = entry.quotes.clone();
            quotes.sort_by_key(|q| archive.quotes[q.0].quote.span.start);
            StoryData {
                id: &story.slug,
                title: &story.front.title,
                date: story.front.date.iso_day(),
                updated: story.front.updated.as_ref().map(Date::iso_day),
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
                permalink: urls.story(&story.slug).into(),
                annotations: urls.annotations(&story.slug),
            }
        })
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

fn people<'a>(archive: &'a Archive, urls: Urls<'a>) -> impl Iterator<Item = PersonData<'a>> + 'a {
    let quote_id = |q: &crate::index::QuoteId| archive.quotes[q.0].quote.id.as_str();
    archive.people.iter().map(move |entry| {
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
                    from: r.from.as_ref().map(Date::iso_day),
                    to: r.to.as_ref().map(Date::iso_day),
                })
                .collect(),
            links: &front.links,
            image: front.image.as_ref().map(|i| {
                if i.contains("://") {
                    i.clone()
                } else {
                    [urls.base, i.trim_start_matches('/')].concat()
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
            permalink: urls.person(&file.id).into(),
        }
    })
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

fn quotes<'a>(
    archive: &'a Archive,
    cards: &'a Cards,
    urls: Urls<'a>,
) -> impl Iterator<Item = QuoteData<'a>> + 'a {
    archive
        .quotes
        .iter()
        .zip(&cards.quotes)
        .map(move |(entry, card)| {
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
                story_date: story.front.date.iso_day(),
                source: story.front.source.as_deref(),
                permalink: urls.quote(&quote.id).into(),
                story_permalink: urls.quote_in_story(&story.slug, &quote.id),
            }
        })
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
fn quotes_csv(w: &mut dyn Write, archive: &Archive, cards: &Cards, urls: Urls) -> io::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .buffer_capacity(1 << 16)
        .from_writer(w);
    for (entry, card) in archive.quotes.iter().zip(&cards.quotes) {
        let quote = &entry.quote;
        let story = &archive.stories[entry.story.0].story.story;
        let row = QuoteRow {
            id: &quote.id,
            speaker: &card.speaker.name,
            speaker_id: match &quote.speaker {
                Speaker::Person(id) => id,
                Speaker::Unnamed(_) => "",
            },
            words: &card.words,
            kind: card.kind,
            status: card.status,
            date: &card.date,
            via: quote.via.as_deref().unwrap_or(""),
            story: &story.slug,
            story_title: &story.front.title,
            permalink: &String::from(urls.quote(&quote.id)),
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
fn datapackage(archive: &Archive, urls: Urls) -> Value {
    let config = &archive.config;
    // A data package's name is ASCII (`^[-a-z0-9._/]+$`): the title's ASCII
    // letters and digits, as slugs had them before they kept other scripts.
    let ascii: String = config
        .title
        .chars()
        .map(|c| if c.is_ascii() { c } else { ' ' })
        .collect();
    let name = crate::load::slugify(&ascii);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_json_has_the_bytes_of_serde_jsons_pretty_printer() {
        // Empty and nested arrays and objects, and more levels than `Pretty::line` has at hand.
        let mut deep = json!("bottom");
        for level in 0..40 {
            deep = if level % 2 == 0 {
                json!([deep, 1, []])
            } else {
                json!({ "a": deep, "b": {}, "c": "x\"\n" })
            };
        }
        for value in [
            json!([]),
            json!({}),
            json!(null),
            json!({ "a": [1, { "b": [] }] }),
            deep,
        ] {
            let mut ours = Vec::new();
            to_json(&mut ours, &value).unwrap();
            let mut expected = serde_json::to_vec_pretty(&value).unwrap();
            expected.push(b'\n');
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(expected).unwrap()
            );
        }
    }

    #[test]
    fn records_are_written_as_an_array() {
        let mut out = Vec::new();
        write_json(&mut out, &Records(|| [1, 2].into_iter())).unwrap();
        assert_eq!(out, b"[\n  1,\n  2\n]\n");
        out.clear();
        write_json(&mut out, &Records(std::iter::empty::<u8>)).unwrap();
        assert_eq!(out, b"[]\n");
    }
}

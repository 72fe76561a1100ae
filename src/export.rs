//! `annalist export --sqlite FILE`: the archive as a SQLite database, for
//! Datasette or any SQL client. The tables and columns are documented in
//! `docs/data.md`; offsets (`char_start`, `char_end`) count chars of `stories.text`,
//! so `substr(text, char_start + 1, char_end - char_start)` is the annotated passage.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, Transaction};

use crate::anchor::Speaker;
use crate::check;
use crate::diagnostics::{self, TextStyle};
use crate::index::Archive;
use crate::load::{LoadError, LoadOptions};
use crate::render::cards::{iso_date, Cards};
use crate::render::site::normalize_base_url;
use crate::render::xml::absolute;

/// What to export and where.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The archive folder.
    pub root: PathBuf,
    /// The database file to write.
    pub sqlite: PathBuf,
    /// Replace the file if it exists.
    pub force: bool,
    /// Export drafts too.
    pub drafts: bool,
}

/// Why an export stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The archive could not be read.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The content has errors (already printed).
    #[error("the archive has errors: {0}")]
    Content(String),
    /// The file exists and `--force` was not given.
    #[error("{} already exists: pass --force to replace it", .0.display())]
    Exists(PathBuf),
    /// SQLite failed.
    #[error("could not write {}: {source}", path.display())]
    Sqlite {
        /// The database being written.
        path: PathBuf,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// The file system failed.
    #[error("could not write {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
}

/// The tables, their keys and indexes.
pub const SCHEMA: &str = "
CREATE TABLE archive (
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  base_url TEXT NOT NULL,
  language TEXT NOT NULL,
  generator TEXT NOT NULL
);
CREATE TABLE stories (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  date TEXT NOT NULL,
  updated TEXT,
  source TEXT,
  url TEXT,
  authors TEXT NOT NULL,
  summary TEXT NOT NULL,
  text TEXT NOT NULL,
  permalink TEXT NOT NULL
);
CREATE TABLE people (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  aliases TEXT NOT NULL,
  description TEXT,
  roles TEXT NOT NULL,
  links TEXT NOT NULL,
  image TEXT,
  biography TEXT NOT NULL,
  quote_count INTEGER NOT NULL,
  story_count INTEGER NOT NULL,
  permalink TEXT NOT NULL
);
CREATE TABLE appearances (
  story_id TEXT NOT NULL REFERENCES stories(id),
  person_id TEXT NOT NULL REFERENCES people(id),
  mentions INTEGER NOT NULL,
  PRIMARY KEY (story_id, person_id)
);
CREATE TABLE quotes (
  id TEXT PRIMARY KEY,
  story_id TEXT NOT NULL REFERENCES stories(id),
  speaker_id TEXT REFERENCES people(id),
  speaker TEXT NOT NULL,
  unnamed INTEGER NOT NULL CHECK (unnamed IN (0, 1)),
  words TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('direct', 'partial', 'indirect', 'written')),
  status TEXT NOT NULL CHECK (status IN ('verified', 'disputed', 'misattributed')),
  date TEXT NOT NULL,
  via TEXT,
  note TEXT,
  char_start INTEGER NOT NULL,
  char_end INTEGER NOT NULL,
  permalink TEXT NOT NULL
);
CREATE TABLE quote_about (
  quote_id TEXT NOT NULL REFERENCES quotes(id),
  person_id TEXT NOT NULL REFERENCES people(id),
  PRIMARY KEY (quote_id, person_id)
);
CREATE TABLE mentions (
  id INTEGER PRIMARY KEY,
  story_id TEXT NOT NULL REFERENCES stories(id),
  person_id TEXT NOT NULL REFERENCES people(id),
  text TEXT NOT NULL,
  char_start INTEGER NOT NULL,
  char_end INTEGER NOT NULL,
  explicit INTEGER NOT NULL CHECK (explicit IN (0, 1))
);
CREATE TABLE links (
  id INTEGER PRIMARY KEY,
  from_story TEXT NOT NULL REFERENCES stories(id),
  to_story TEXT NOT NULL REFERENCES stories(id),
  relation TEXT,
  text TEXT,
  char_start INTEGER,
  char_end INTEGER
);
CREATE TABLE notes (
  story_id TEXT NOT NULL REFERENCES stories(id),
  number INTEGER NOT NULL,
  text TEXT NOT NULL,
  body TEXT NOT NULL,
  char_start INTEGER NOT NULL,
  char_end INTEGER NOT NULL,
  PRIMARY KEY (story_id, number)
);
CREATE TABLE tags (
  story_id TEXT NOT NULL REFERENCES stories(id),
  tag TEXT NOT NULL,
  slug TEXT NOT NULL,
  PRIMARY KEY (story_id, slug)
);
CREATE INDEX stories_date ON stories(date);
CREATE INDEX appearances_person ON appearances(person_id);
CREATE INDEX quotes_story ON quotes(story_id);
CREATE INDEX quotes_speaker ON quotes(speaker_id);
CREATE INDEX quotes_date ON quotes(date);
CREATE INDEX quote_about_person ON quote_about(person_id);
CREATE INDEX mentions_story ON mentions(story_id);
CREATE INDEX mentions_person ON mentions(person_id);
CREATE INDEX links_from ON links(from_story);
CREATE INDEX links_to ON links(to_story);
CREATE INDEX tags_slug ON tags(slug);
";

/// What an export wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportCounts {
    /// Rows in `stories`.
    pub stories: usize,
    /// Rows in `people`.
    pub people: usize,
    /// Rows in `quotes`.
    pub quotes: usize,
    /// Rows in `mentions`.
    pub mentions: usize,
    /// Rows in `links`.
    pub links: usize,
}

/// Loads and checks the archive, then writes it to `options.sqlite`. Warnings are
/// returned as printable text; errors stop the export before anything is written.
pub fn export(
    options: &ExportOptions,
    style: TextStyle,
) -> Result<(ExportCounts, String), (ExportError, String)> {
    let fail = |e: ExportError| (e, String::new());
    if options.sqlite.exists() && !options.force {
        return Err(fail(ExportError::Exists(options.sqlite.clone())));
    }
    let checked = check::model(
        &options.root,
        LoadOptions {
            drafts: options.drafts,
        },
    )
    .map_err(|e| fail(e.into()))?;
    let report = diagnostics::render_text(&checked.diagnostics, style);
    let (errors, _) = diagnostics::counts(&checked.diagnostics);
    if errors > 0 {
        let summary = diagnostics::summary(&checked.diagnostics);
        return Err((ExportError::Content(summary), report));
    }
    let counts =
        write_sqlite(&checked.archive, &options.sqlite).map_err(|e| (e, report.clone()))?;
    Ok((counts, report))
}

/// Writes the archive into a new database at `path`, replacing any file there:
/// the database is made beside it and renamed into place when complete.
pub fn write_sqlite(archive: &Archive, path: &Path) -> Result<ExportCounts, ExportError> {
    let name = path
        .file_name()
        .map_or_else(|| "export".into(), |n| n.to_string_lossy().into_owned());
    let staging = path.with_file_name(format!(".{name}.annalist-{}", std::process::id()));
    let _ = std::fs::remove_file(&staging);
    let sqlite = |source| ExportError::Sqlite {
        path: path.to_path_buf(),
        source,
    };
    let result = (|| {
        let mut connection = Connection::open(&staging).map_err(sqlite)?;
        connection
            .execute_batch("PRAGMA foreign_keys = ON;")
            .map_err(sqlite)?;
        connection.execute_batch(SCHEMA).map_err(sqlite)?;
        let tx = connection.transaction().map_err(sqlite)?;
        let counts = fill(&tx, archive).map_err(sqlite)?;
        tx.commit().map_err(sqlite)?;
        connection.close().map_err(|(_, e)| sqlite(e))?;
        std::fs::rename(&staging, path).map_err(|source| ExportError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(counts)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&staging);
    }
    result
}

fn fill(tx: &Transaction, archive: &Archive) -> rusqlite::Result<ExportCounts> {
    let base = normalize_base_url(&archive.config.base_url);
    let cards = Cards::new(archive);
    let config = &archive.config;
    tx.execute(
        "INSERT INTO archive VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            config.title,
            config.description,
            base,
            config.language,
            format!("annalist {}", env!("CARGO_PKG_VERSION"))
        ],
    )?;
    insert_stories(tx, archive, &cards, &base)?;
    insert_people(tx, archive, &cards, &base)?;
    insert_quotes(tx, archive, &cards, &base)?;
    let (mentions, links) = insert_annotations(tx, archive)?;
    Ok(ExportCounts {
        stories: archive.stories.len(),
        people: archive.people.len(),
        quotes: archive.quotes.len(),
        mentions,
        links,
    })
}

fn json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).expect("plain data serializes to JSON")
}

fn insert_stories(
    tx: &Transaction,
    archive: &Archive,
    cards: &Cards,
    base: &str,
) -> rusqlite::Result<()> {
    let mut story =
        tx.prepare("INSERT INTO stories VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")?;
    let mut tag = tx.prepare("INSERT OR IGNORE INTO tags VALUES (?1, ?2, ?3)")?;
    for (entry, card) in archive.stories.iter().zip(&cards.stories) {
        let file = &entry.story.story;
        let front = &file.front;
        story.execute(params![
            file.slug,
            front.title,
            iso_date(&front.date),
            front.updated.as_ref().map(iso_date),
            front.source,
            front.url,
            json(&front.authors),
            card.summary,
            archive.visible_text(&entry.story).text,
            absolute(base, &card.path),
        ])?;
        for name in &front.tags {
            let slug = crate::load::slugify(name);
            if !slug.is_empty() {
                tag.execute(params![file.slug, name, slug])?;
            }
        }
    }
    Ok(())
}

fn insert_people(
    tx: &Transaction,
    archive: &Archive,
    cards: &Cards,
    base: &str,
) -> rusqlite::Result<()> {
    let mut person =
        tx.prepare("INSERT INTO people VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")?;
    for (entry, card) in archive.people.iter().zip(cards.people.iter()) {
        let front = &entry.file.front;
        let image = front.image.as_ref().map(|i| {
            if i.contains("://") {
                i.clone()
            } else {
                format!("{base}{}", i.trim_start_matches('/'))
            }
        });
        person.execute(params![
            entry.file.id,
            front.name,
            json(&front.aliases),
            front.description,
            json(&front.roles),
            json(&front.links),
            image,
            entry.file.biography().trim(),
            card.quote_count as i64,
            card.story_count as i64,
            absolute(base, &card.path),
        ])?;
    }
    let mut appearance = tx.prepare("INSERT INTO appearances VALUES (?1, ?2, ?3)")?;
    for entry in &archive.stories {
        for &(p, mentions) in &entry.people {
            appearance.execute(params![
                entry.story.story.slug,
                archive.people[p.0].file.id,
                mentions as i64
            ])?;
        }
    }
    Ok(())
}

fn insert_quotes(
    tx: &Transaction,
    archive: &Archive,
    cards: &Cards,
    base: &str,
) -> rusqlite::Result<()> {
    let mut quote = tx.prepare(
        "INSERT INTO quotes VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?;
    let mut about = tx.prepare("INSERT OR IGNORE INTO quote_about VALUES (?1, ?2)")?;
    for (entry, card) in archive.quotes.iter().zip(&cards.quotes) {
        let q = &entry.quote;
        let speaker_id = match &q.speaker {
            Speaker::Person(_) => entry.speaker.map(|p| archive.people[p.0].file.id.as_str()),
            Speaker::Unnamed(_) => None,
        };
        quote.execute(params![
            q.id,
            archive.stories[entry.story.0].story.story.slug,
            speaker_id,
            card.speaker.name,
            card.speaker.unnamed,
            card.words,
            card.kind,
            card.status,
            card.date,
            q.via,
            q.note,
            q.span.start as i64,
            q.span.end as i64,
            absolute(base, &card.path),
        ])?;
        for p in &entry.about {
            about.execute(params![q.id, archive.people[p.0].file.id])?;
        }
    }
    Ok(())
}

/// Mentions, links and notes; returns the number of mentions and links.
fn insert_annotations(tx: &Transaction, archive: &Archive) -> rusqlite::Result<(usize, usize)> {
    let mut mention = tx.prepare(
        "INSERT INTO mentions (story_id, person_id, text, char_start, char_end, explicit) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let mut link = tx.prepare(
        "INSERT INTO links (from_story, to_story, relation, text, char_start, char_end) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let mut note = tx.prepare("INSERT INTO notes VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
    let (mut mentions, mut links) = (0, 0);
    for entry in &archive.stories {
        let slug = &entry.story.story.slug;
        let text = &archive.visible_text(&entry.story);
        for m in &entry.story.mentions {
            // Every mentioned person is registered once the archive has no errors.
            if !archive.person_ids.contains_key(&*m.person) {
                continue;
            }
            mention.execute(params![
                slug,
                &*m.person,
                text.slice(m.span.range()),
                m.span.start as i64,
                m.span.end as i64,
                m.explicit
            ])?;
            mentions += 1;
        }
        for l in &entry.links_out {
            link.execute(params![
                slug,
                archive.stories[l.story.0].story.story.slug,
                l.relation,
                l.span.map(|s| text.slice(s.range()).to_string()),
                l.span.map(|s| s.start as i64),
                l.span.map(|s| s.end as i64),
            ])?;
            links += 1;
        }
        let mut notes: Vec<_> = entry.story.notes.iter().collect();
        notes.sort_by_key(|n| n.span);
        for (i, n) in notes.into_iter().enumerate() {
            note.execute(params![
                slug,
                (i + 1) as i64,
                text.slice(n.span.range()),
                n.body,
                n.span.start as i64,
                n.span.end as i64
            ])?;
        }
    }
    Ok((mentions, links))
}

/// Runs `export` for the command line: the text to print and the exit code.
pub fn run(options: &ExportOptions, style: TextStyle) -> (String, i32) {
    match export(options, style) {
        Ok((counts, mut out)) => {
            out.push_str(&format!(
                "exported {} stories, {} people, {} quotes, {} mentions, {} links to {}\n",
                counts.stories,
                counts.people,
                counts.quotes,
                counts.mentions,
                counts.links,
                options.sqlite.display()
            ));
            (out, 0)
        }
        Err((error, mut out)) => {
            out.push_str(&format!("error: {error}\n"));
            (out, 1)
        }
    }
}

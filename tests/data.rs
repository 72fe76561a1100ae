//! The archive as data: the JSON downloads against their schemas, the CSV
//! against the JSON, the W3C annotations against the stories' text (with a
//! matcher of its own), the SQLite export against the archive, and the SVG
//! charts as XML.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use annalist::check::Checked;
use chrono::Datelike;
use serde_json::Value;

const BASE: &str = "https://example.github.io/annalist-demo/";

/// The example archive built into a temp dir (the site is in `site/`).
fn example_site() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    common::build_into(&common::example(), &out.path().join("site"), Some(BASE)).unwrap();
    out
}

fn model() -> Checked {
    annalist::check::model(&common::example(), Default::default()).unwrap()
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read_json(path: PathBuf) -> Value {
    let text = read(path.clone());
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::meta::validate(schema).expect("a valid draft 2020-12 schema");
    jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .unwrap()
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn every_json_download_validates_against_its_schema() {
    let out = example_site();
    let data = out.path().join("site/data");
    let archive = &model().archive;
    let expected = [
        ("stories", archive.stories.len()),
        ("people", archive.people.len()),
        ("quotes", archive.quotes.len()),
    ];
    for (name, count) in expected {
        let schema = read_json(data.join(format!("{name}.schema.json")));
        assert_eq!(schema["$id"], format!("{BASE}data/{name}.schema.json"));
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        let instance = read_json(data.join(format!("{name}.json")));
        let found = errors(&validator(&schema), &instance);
        assert!(found.is_empty(), "{name}.json:\n{}", found.join("\n"));
        assert_eq!(instance.as_array().unwrap().len(), count, "{name}");
        assert!(count > 0, "the example has {name}");
    }
}

#[test]
fn the_schemas_reject_what_the_documentation_rules_out() {
    let out = example_site();
    let data = out.path().join("site/data");
    let schema = validator(&read_json(data.join("quotes.schema.json")));
    let quotes = read_json(data.join("quotes.json"));
    let named = quotes
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["unnamed"] == false)
        .unwrap()
        .clone();
    let broken = |change: &dyn Fn(&mut Value)| {
        let mut quote = named.clone();
        change(&mut quote);
        errors(&schema, &Value::Array(vec![quote]))
    };
    assert!(!broken(&|q| q["kind"] = "shouted".into()).is_empty());
    assert!(!broken(&|q| q["date"] = "14 March 2025".into()).is_empty());
    assert!(
        !broken(&|q| q["speaker_id"] = Value::Null).is_empty(),
        "a named speaker has an id"
    );
    assert!(
        !broken(&|q| q["extra"] = 1.into()).is_empty(),
        "no undocumented fields"
    );
    assert!(!broken(&|q| {
        q.as_object_mut().unwrap().remove("via");
    })
    .is_empty());
}

const CSV_COLUMNS: [&str; 11] = [
    "id",
    "speaker",
    "speaker_id",
    "words",
    "kind",
    "status",
    "date",
    "via",
    "story",
    "story_title",
    "permalink",
];

#[test]
fn quotes_csv_has_one_row_per_quote_with_the_values_of_quotes_json() {
    let out = example_site();
    let data = out.path().join("site/data");
    let bytes = std::fs::read(data.join("quotes.csv")).unwrap();
    assert!(bytes.ends_with(b"\r\n"), "RFC 4180 line ends");
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, CSV_COLUMNS);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let quotes = read_json(data.join("quotes.json"));
    let quotes = quotes.as_array().unwrap();
    assert_eq!(rows.len(), model().archive.quotes.len());
    assert_eq!(rows.len(), quotes.len());
    assert!(
        rows.iter()
            .any(|r| r[3].contains(',') || r[3].contains('"')),
        "the example has words that need quoting"
    );
    for (row, quote) in rows.iter().zip(quotes) {
        for (i, column) in CSV_COLUMNS.iter().enumerate() {
            let expected = match &quote[*column] {
                Value::Null => String::new(),
                Value::String(s) => s.clone(),
                other => panic!("{column} is {other}"),
            };
            assert_eq!(&row[i], expected, "{column} of {}", &row[0]);
        }
    }

    let package = read_json(data.join("datapackage.json"));
    assert_eq!(package["profile"], "tabular-data-package");
    let resource = &package["resources"][0];
    assert_eq!(resource["path"], "quotes.csv");
    assert_eq!(resource["schema"]["primaryKey"], "id");
    let fields: Vec<&str> = resource["schema"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(fields, CSV_COLUMNS);
}

/// Every start offset (in chars) at which `prefix + exact + suffix` occurs in
/// `text`, overlapping occurrences included: a plain string search, on purpose
/// independent of annalist's selector code.
fn find_selector(text: &str, prefix: &str, exact: &str, suffix: &str) -> Vec<usize> {
    let whole = format!("{prefix}{exact}{suffix}");
    let mut found = Vec::new();
    for (byte, _) in text.char_indices() {
        if text[byte..].starts_with(&whole) {
            found.push(text[..byte + prefix.len()].chars().count());
        }
    }
    found
}

fn selector_of(annotation: &Value) -> (&str, &str, &str) {
    let selector = &annotation["target"]["selector"];
    assert_eq!(selector["type"], "TextQuoteSelector");
    let field = |k: &str| selector[k].as_str().unwrap();
    (field("prefix"), field("exact"), field("suffix"))
}

#[test]
fn every_w3c_annotation_selects_its_span_exactly_once() {
    let out = example_site();
    let checked = model();
    let archive = &checked.archive;
    let mut quotes_seen = 0;
    for entry in &archive.stories {
        let slug = &entry.story.story.slug;
        let page = read_json(
            out.path()
                .join(format!("site/stories/{slug}/annotations.jsonld")),
        );
        assert_eq!(page["@context"], "http://www.w3.org/ns/anno.jsonld");
        assert_eq!(page["type"], "AnnotationPage");
        let page_id = format!("{BASE}stories/{slug}/annotations.jsonld");
        assert_eq!(page["id"], page_id);
        let items = page["items"].as_array().unwrap();
        let by_id = |fragment: &str| {
            items
                .iter()
                .find(|a| a["id"] == format!("{page_id}#{fragment}"))
                .unwrap_or_else(|| panic!("{slug}: no annotation #{fragment}"))
        };
        let text = &archive.visible_text(&entry.story).text;
        let check_span = |annotation: &Value, start: usize, end: usize| {
            assert_eq!(annotation["type"], "Annotation");
            assert_eq!(
                annotation["target"]["source"],
                format!("{BASE}stories/{slug}/")
            );
            let (prefix, exact, suffix) = selector_of(annotation);
            let reach = prefix.chars().count();
            assert!(
                reach >= 32 || reach == start,
                "{slug}: 32 chars of prefix, or all there is"
            );
            let at = find_selector(text, prefix, exact, suffix);
            assert_eq!(at, [start], "{slug}: {:?}", annotation["id"]);
            let chars: String = text.chars().skip(start).take(end - start).collect();
            assert_eq!(exact, chars);
        };
        for q in &entry.quotes {
            let quote = &archive.quotes[q.0].quote;
            let annotation = by_id(&format!("quote-{}", quote.id));
            assert_eq!(annotation["motivation"], "identifying");
            check_span(annotation, quote.span.start, quote.span.end);
            let speaker = &annotation["body"][0];
            match &quote.speaker {
                annalist::anchor::Speaker::Person(id) => {
                    assert_eq!(speaker["id"], format!("{BASE}people/{id}/"));
                    assert_eq!(speaker["type"], "Person");
                }
                annalist::anchor::Speaker::Unnamed(description) => {
                    assert_eq!(speaker["type"], "TextualBody");
                    assert_eq!(speaker["value"], description.as_str());
                }
            }
            quotes_seen += 1;
        }
        for (i, mention) in entry.story.mentions.iter().enumerate() {
            let annotation = by_id(&format!("mention-{}", i + 1));
            check_span(annotation, mention.span.start, mention.span.end);
            assert_eq!(
                annotation["body"][0]["id"],
                format!("{BASE}people/{}/", mention.person)
            );
        }
        let anchored = entry.links_out.iter().filter(|l| l.span.is_some()).count();
        let expected =
            entry.quotes.len() + entry.story.mentions.len() + anchored + entry.story.notes.len();
        assert_eq!(items.len(), expected, "{slug}");
        for annotation in items {
            let (prefix, exact, suffix) = selector_of(annotation);
            assert_eq!(
                find_selector(text, prefix, exact, suffix).len(),
                1,
                "{:?}",
                annotation["id"]
            );
        }
    }
    assert_eq!(quotes_seen, archive.quotes.len());
}

fn annalist(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn count(db: &rusqlite::Connection, sql: &str) -> usize {
    db.query_row(sql, [], |row| row.get::<_, i64>(0)).unwrap() as usize
}

#[test]
fn the_sqlite_export_holds_the_archive_and_keeps_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("archive.db");
    let root = common::example();
    let (root, file_arg) = (root.to_str().unwrap(), file.to_str().unwrap());
    let run = annalist(&["--root", root, "export", "--sqlite", file_arg]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );

    let checked = model();
    let archive = &checked.archive;
    let db = rusqlite::Connection::open(&file).unwrap();
    let mentions: usize = archive.stories.iter().map(|s| s.story.mentions.len()).sum();
    let links: usize = archive.stories.iter().map(|s| s.links_out.len()).sum();
    assert_eq!(
        count(&db, "SELECT count(*) FROM stories"),
        archive.stories.len()
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM people"),
        archive.people.len()
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM quotes"),
        archive.quotes.len()
    );
    assert_eq!(count(&db, "SELECT count(*) FROM mentions"), mentions);
    assert_eq!(count(&db, "SELECT count(*) FROM links"), links);
    assert!(mentions > 0 && links > 0);
    let tags: BTreeSet<(String, String)> = archive
        .stories
        .iter()
        .flat_map(|s| {
            let slug = s.story.story.slug.clone();
            s.story
                .story
                .front
                .tags
                .iter()
                .map(move |t| (slug.clone(), annalist::load::slugify(t)))
        })
        .collect();
    assert_eq!(count(&db, "SELECT count(*) FROM tags"), tags.len());
    let mut check = db.prepare("PRAGMA foreign_key_check").unwrap();
    assert!(
        check.query([]).unwrap().next().unwrap().is_none(),
        "foreign keys hold"
    );
    // Offsets count chars, as SQLite's substr() does.
    assert_eq!(
        count(&db, "SELECT count(*) FROM mentions m JOIN stories s ON s.id = m.story_id WHERE substr(s.text, m.char_start + 1, m.char_end - m.char_start) != m.text"),
        0
    );
    drop(check);
    drop(db);

    let before = std::fs::read(&file).unwrap();
    let again = annalist(&["--root", root, "export", "--sqlite", file_arg]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    assert_eq!(std::fs::read(&file).unwrap(), before, "left as it was");
    let forced = annalist(&["--root", root, "export", "--sqlite", file_arg, "--force"]);
    assert!(
        forced.status.success(),
        "{}",
        String::from_utf8_lossy(&forced.stderr)
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no staging file left: {leftovers:?}");
}

/// Every inline `<svg>…</svg>` of an HTML page.
fn svgs(html: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let end = start + rest[start..].find("</svg>").expect("closed") + "</svg>".len();
        found.push(&rest[start..end]);
        rest = &rest[end..];
    }
    found
}

/// Parses a chart and checks its text alternative; returns the document.
fn parse_chart(svg: &str) -> roxmltree::Document<'_> {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}:\n{svg}"));
    let root = doc.root_element();
    assert_eq!(root.attribute("role"), Some("img"));
    let labels = root.attribute("aria-labelledby").expect("aria-labelledby");
    for id in labels.split_whitespace() {
        let node = root
            .children()
            .find(|n| n.attribute("id") == Some(id))
            .unwrap_or_else(|| panic!("no #{id}"));
        assert!(["title", "desc"].contains(&node.tag_name().name()));
        assert!(!node.text().unwrap_or("").trim().is_empty());
    }
    doc
}

fn bars_of<'a>(doc: &'a roxmltree::Document<'a>, class: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants()
        .filter(|n| n.has_tag_name("rect"))
        .filter(|n| n.ancestors().any(|a| a.attribute("class") == Some("bars")))
        .filter(|n| {
            n.attribute("class")
                .is_some_and(|c| c.split(' ').any(|w| w == class))
        })
        .collect()
}

fn months_between(first: chrono::NaiveDate, last: chrono::NaiveDate) -> usize {
    ((last.year() - first.year()) * 12 + last.month() as i32 - first.month() as i32 + 1) as usize
}

#[test]
fn charts_are_well_formed_and_the_timeline_has_a_bar_for_every_month() {
    let out = example_site();
    let site = out.path().join("site");
    let checked = model();
    let archive = &checked.archive;

    let page = read(site.join("timeline/index.html"));
    let charts = svgs(&page);
    assert_eq!(charts.len(), 1);
    let doc = parse_chart(charts[0]);
    let days: Vec<chrono::NaiveDate> = archive
        .stories
        .iter()
        .map(|s| s.story.story.front.date.day)
        .collect();
    let (first, last) = (*days.iter().min().unwrap(), *days.iter().max().unwrap());
    let bars = bars_of(&doc, "bar");
    assert_eq!(bars.len(), months_between(first, last));
    let mut month = (first.year(), first.month());
    let mut unit = None;
    for bar in &bars {
        let count = days
            .iter()
            .filter(|d| (d.year(), d.month()) == month)
            .count();
        let height: f64 = bar.attribute("height").unwrap().parse().unwrap();
        let link = bar.parent().filter(|p| p.has_tag_name("a"));
        if count == 0 {
            assert_eq!(
                height, 0.0,
                "{month:?}: an empty month has a zero-height bar"
            );
            assert!(link.is_none(), "{month:?}: and no link");
        } else {
            let per_story = height / count as f64;
            assert!(
                (per_story - *unit.get_or_insert(per_story)).abs() < 0.02,
                "{month:?}: heights are proportional"
            );
            // The month's stories are on its year's page, next to the overview.
            let anchor = format!("m-{}-{:02}", month.0, month.1);
            assert_eq!(
                link.unwrap().attribute("href"),
                Some(format!("{}/#{anchor}", month.0).as_str())
            );
            let year = read(site.join(format!("timeline/{}/index.html", month.0)));
            assert!(
                year.contains(&format!("id=\"{anchor}\"")),
                "{anchor} is on its year's page"
            );
        }
        month = if month.1 == 12 {
            (month.0 + 1, 1)
        } else {
            (month.0, month.1 + 1)
        };
    }
    assert!(
        bars.iter().any(|b| b.attribute("height") == Some("0")),
        "the example has a month without stories"
    );

    let home = read(site.join("index.html"));
    let charts = svgs(&home);
    assert_eq!(charts.len(), 1);
    let doc = parse_chart(charts[0]);
    let own = |p: &annalist::index::PersonEntry| {
        p.quotes_by
            .iter()
            .filter(|q| {
                archive.quotes[q.0].quote.status != annalist::load::QuoteStatus::Misattributed
            })
            .count()
    };
    let quoted = archive.people.iter().filter(|p| own(p) > 0).count().min(8);
    assert_eq!(bars_of(&doc, "bar").len(), quoted);

    for person in archive.people.iter() {
        let page = read(site.join(format!("people/{}/index.html", person.file.id)));
        let charts = svgs(&page);
        if person.stories.is_empty() && person.quotes_by.is_empty() {
            assert!(charts.is_empty());
            continue;
        }
        assert_eq!(charts.len(), 1, "{}", person.file.id);
        let doc = parse_chart(charts[0]);
        let story_days: Vec<chrono::NaiveDate> = person
            .stories
            .iter()
            .map(|&(s, _)| archive.stories[s.0].story.story.front.date.day)
            .collect();
        let quote_days: Vec<chrono::NaiveDate> = person
            .quotes_by
            .iter()
            .map(|q| &archive.quotes[q.0].quote)
            .filter(|q| q.status != annalist::load::QuoteStatus::Misattributed)
            .map(|q| q.said.day)
            .collect();
        let months = |days: &[chrono::NaiveDate]| {
            days.iter()
                .map(|d| (d.year(), d.month()))
                .collect::<std::collections::BTreeSet<_>>()
        };
        // A bar for each month with stories, another for each with quotes,
        // and none for a count of zero; the counts in their titles add up.
        let counted = |bars: &[roxmltree::Node]| -> usize {
            bars.iter()
                .map(|bar| {
                    let title = bar.children().find(|n| n.has_tag_name("title")).unwrap();
                    let text = title.text().unwrap();
                    let (_, count) = text.split_once(": ").unwrap();
                    count.split(' ').next().unwrap().parse::<usize>().unwrap()
                })
                .sum()
        };
        let stories = bars_of(&doc, "stories");
        let quotes = bars_of(&doc, "quotes");
        let id = &person.file.id;
        assert_eq!(stories.len(), months(&story_days).len(), "{id}");
        assert_eq!(quotes.len(), months(&quote_days).len(), "{id}");
        assert_eq!(counted(&stories), story_days.len(), "{id}");
        assert_eq!(counted(&quotes), quote_days.len(), "{id}");
        // The chart spans every month from the first to the last; its table
        // lists the months that have either.
        let all: Vec<chrono::NaiveDate> = story_days.iter().chain(&quote_days).copied().collect();
        let (first, last) = (*all.iter().min().unwrap(), *all.iter().max().unwrap());
        let title = doc
            .root_element()
            .children()
            .find(|n| n.has_tag_name("title"))
            .and_then(|n| n.text())
            .unwrap();
        let name = |d: chrono::NaiveDate| d.format("%B %Y").to_string();
        if months_between(first, last) > 1 {
            assert!(
                title.ends_with(&format!("from {} to {}", name(first), name(last))),
                "{title}"
            );
        }
        let section = page.split("class=\"activity\"").nth(1).unwrap();
        let section = section.split("</section>").next().unwrap();
        assert_eq!(
            section.matches("<th scope=\"row\">").count(),
            months(&all).len(),
            "{id}"
        );
    }
}

#[test]
fn data_files_sit_where_docs_say() {
    let out = example_site();
    let site = out.path().join("site");
    for file in [
        "data/stories.json",
        "data/stories.schema.json",
        "data/people.json",
        "data/people.schema.json",
        "data/quotes.json",
        "data/quotes.schema.json",
        "data/quotes.csv",
        "data/datapackage.json",
        "timeline/index.html",
    ] {
        assert!(site.join(file).is_file(), "{file}");
    }
    let docs = read(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/data.md"));
    for name in [
        "stories.json",
        "people.json",
        "quotes.json",
        "quotes.csv",
        "datapackage.json",
        "annotations.jsonld",
        "export --sqlite",
    ] {
        assert!(docs.contains(name), "docs/data.md mentions {name}");
    }
}

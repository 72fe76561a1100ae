//! Anchoring and indexing over small archives written into temp folders.

mod common;

use std::path::Path;

use annalist::anchor::Speaker;
use annalist::check::{model, Checked};
use annalist::load::LoadOptions;
use common::write;

const ARCHIVE: &str = "title = \"Test\"\nbase_url = \"https://example.org/sub/\"\n";
const OKAFOR: &str =
    "+++\nname = \"Mara Okafor\"\naliases = [\"Okafor\"]\n+++\nMayor of Brennock.\n";
const REYES: &str = "+++\nname = \"Tomas Reyes\"\naliases = [\"Reyes\"]\n+++\n";

fn archive(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "archive.toml", ARCHIVE);
    write(dir.path(), "content/people/mara-okafor.md", OKAFOR);
    write(dir.path(), "content/people/tomas-reyes.md", REYES);
    for (path, text) in files {
        write(dir.path(), path, text);
    }
    dir
}

fn checked(root: &Path) -> Checked {
    model(root, LoadOptions { drafts: true }).unwrap()
}

fn errors(checked: &Checked) -> Vec<String> {
    checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {}", d.path().unwrap_or_default(), d.message))
        .collect()
}

fn messages(checked: &Checked) -> Vec<String> {
    checked
        .diagnostics
        .iter()
        .map(|d| format!("{}: {}", d.path().unwrap_or_default(), d.message))
        .collect()
}

fn story(title: &str, date: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\ndate = {date}\n+++\n{body}")
}

#[test]
fn quote_spanning_emphasis_a_link_and_a_paragraph_break_is_one_span() {
    let dir = archive(&[
        (
            "content/stories/vote.md",
            &story("Vote", "2025-03-01", "Okafor said *we will* [not sign](https://example.com) today.\n\nThen she left.\n"),
        ),
        (
            "content/stories/vote.ann.toml",
            "people = [\"mara-okafor\"]\n[[quote]]\nspeaker = \"mara-okafor\"\nstart = \"we will not\"\nend = \"she left\"\n",
        ),
    ]);
    let checked = checked(dir.path());
    assert!(errors(&checked).is_empty(), "{:?}", errors(&checked));
    let quote = &checked.archive.quotes[0].quote;
    let text = checked
        .archive
        .visible_text(&checked.archive.stories[0].story);
    assert_eq!(
        text.slice(quote.span.range()),
        "we will not sign today.\n\nThen she left"
    );
    assert_eq!(&*quote.words, "we will not sign today. Then she left");
    // The span maps back to the Markdown: it starts inside the emphasis.
    let story = &checked.archive.stories[0].story.story;
    assert!(story.source.text[text.source_offset(quote.span.start)..].starts_with("we will*"));
}

#[test]
fn explicit_mention_wins_over_the_alias_inside_it() {
    let dir = archive(&[
        ("content/stories/a.md", &story("A", "2025-03-01", "The office of Councillor Okafor said Okafor would speak.\n")),
        (
            "content/stories/a.ann.toml",
            "people = [\"mara-okafor\"]\n[[mention]]\nperson = \"mara-okafor\"\ntext = \"The office of Councillor Okafor\"\n",
        ),
    ]);
    let checked = checked(dir.path());
    assert!(errors(&checked).is_empty(), "{:?}", errors(&checked));
    let story = &checked.archive.stories[0].story;
    let text = checked.archive.visible_text(story);
    let mentions: Vec<(&str, bool)> = story
        .mentions
        .iter()
        .map(|m| (text.slice(m.span.range()), m.explicit))
        .collect();
    assert_eq!(
        mentions,
        [("The office of Councillor Okafor", true), ("Okafor", false)]
    );
}

#[test]
fn unnamed_speaker_is_kept_without_a_person() {
    let dir = archive(&[
        ("content/stories/a.md", &story("A", "2025-03-01", "Officials said \u{201C}the deal is off\u{201D} on Friday.\n")),
        (
            "content/stories/a.ann.toml",
            "[[quote]]\nunnamed = \"two officials\"\ntext = \"the deal is off\"\nkind = \"partial\"\n",
        ),
    ]);
    let checked = checked(dir.path());
    let quote = &checked.archive.quotes[0];
    assert_eq!(
        quote.quote.speaker,
        Speaker::Unnamed("two officials".into())
    );
    assert_eq!(quote.speaker, None);
    assert!(
        quote.quote.id.starts_with("unnamed-the-deal-is-"),
        "{}",
        quote.quote.id
    );
}

#[test]
fn derived_quote_ids_are_equal_across_loads_and_unrelated_edits() {
    let sidecar = "people = [\"mara-okafor\"]\n[[quote]]\nspeaker = \"mara-okafor\"\ntext = \"we will not sign\"\n";
    let dir = archive(&[
        (
            "content/stories/a.md",
            &story(
                "A",
                "2025-03-01",
                "Okafor said \"we will not sign\" today.\n",
            ),
        ),
        ("content/stories/a.ann.toml", sidecar),
    ]);
    let first = checked(dir.path()).archive.quotes[0].quote.id.clone();
    let again = checked(dir.path()).archive.quotes[0].quote.id.clone();
    assert_eq!(first, again);
    write(
        dir.path(),
        "content/stories/a.md",
        &story(
            "A new title",
            "2025-03-02",
            "Earlier text. Okafor said \"we will not sign\" today.\n",
        ),
    );
    write(
        dir.path(),
        "content/stories/a.ann.toml",
        &format!("# a comment\n{sidecar}via = \"Harbourline\"\n"),
    );
    assert_eq!(checked(dir.path()).archive.quotes[0].quote.id, first);
}

#[test]
fn bom_crlf_and_yaml_front_matter_are_read() {
    let dir = archive(&[
        (
            "content/stories/a.md",
            "\u{feff}+++\r\ntitle = \"A\"\r\ndate = 2025-03-01\r\n+++\r\nOkafor spoke.\r\n",
        ),
        (
            "content/stories/a.ann.toml",
            "\u{feff}people = [\"mara-okafor\"]\r\n",
        ),
        (
            "content/stories/2026/b.md",
            "---\ntitle: B\ndate: 2026-01-02\ntags: [water]\n---\nReyes spoke.\n",
        ),
        (
            "content/stories/2026/b.ann.toml",
            "people = [\"tomas-reyes\"]\n",
        ),
    ]);
    let checked = checked(dir.path());
    assert!(errors(&checked).is_empty(), "{:?}", errors(&checked));
    let slugs: Vec<&str> = checked
        .archive
        .stories
        .iter()
        .map(|s| s.story.story.slug.as_str())
        .collect();
    assert_eq!(slugs, ["b", "a"], "newest first");
    assert_eq!(checked.archive.stories[0].story.story.front.tags, ["water"]);
    assert_eq!(checked.archive.stories[1].people.len(), 1);
}

#[test]
fn index_joins_people_stories_quotes_and_links_both_ways() {
    let dir = archive(&[
        ("content/stories/first.md", &story("First", "2025-01-01", "Okafor met Reyes. Okafor said \"yes\".\n")),
        (
            "content/stories/first.ann.toml",
            "people = [\"mara-okafor\", \"tomas-reyes\"]\n[[quote]]\nid = \"okafor-yes\"\nspeaker = \"mara-okafor\"\nabout = [\"tomas-reyes\"]\ntext = \"yes\"\nprefix = \"said \\\"\"\n",
        ),
        ("content/stories/second.md", &story("Second", "2025-02-01", "Reyes replied to [the first story](story:first) and [Okafor](person:mara-okafor).\n")),
        (
            "content/stories/second.ann.toml",
            "people = [\"tomas-reyes\"]\n[[quote]]\nspeaker = \"tomas-reyes\"\ntext = \"replied\"\nkind = \"indirect\"\n[[link]]\nstory = \"first\"\nrelation = \"follow-up\"\ntext = \"Reyes replied\"\n",
        ),
    ]);
    let checked = checked(dir.path());
    assert!(errors(&checked).is_empty(), "{:?}", errors(&checked));
    let a = &checked.archive;
    let first = a.story_ids["first"];
    let second = a.story_ids["second"];
    let okafor = &a.people[a.person_ids["mara-okafor"].0];
    let reyes = &a.people[a.person_ids["tomas-reyes"].0];
    assert_eq!(okafor.stories, [(first, 2)], "mention count");
    assert_eq!(reyes.stories, [(second, 1), (first, 1)], "newest first");
    assert_eq!(okafor.appears_with, [(a.person_ids["tomas-reyes"], 1)]);
    assert_eq!(reyes.quotes_about.len(), 1);
    assert_eq!(a.quotes[okafor.quotes_by[0].0].quote.id, "okafor-yes");
    let links = &a.stories[second.0].links_out;
    assert_eq!(
        links.len(),
        1,
        "the [[link]] and the story: link are one link"
    );
    assert_eq!(links[0].relation.as_deref(), Some("follow-up"));
    assert_eq!(a.stories[first.0].backlinks[0].story, second);
    assert_eq!(a.stories[first.0].related[0].0, second);
}

#[test]
fn who_appears_with_whom_counts_shared_stories_most_first_then_by_id() {
    // Okafor shares two stories with Lund and with Reyes, one with Abbas: the
    // most shared first, ties in id order.
    let dir = archive(&[
        (
            "content/people/ines-lund.md",
            "+++\nname = \"Ines Lund\"\n+++\n",
        ),
        (
            "content/people/omar-abbas.md",
            "+++\nname = \"Omar Abbas\"\n+++\n",
        ),
        (
            "content/stories/one.md",
            &story(
                "One",
                "2025-01-01",
                "Mara Okafor met Tomas Reyes and Ines Lund.\n",
            ),
        ),
        (
            "content/stories/one.ann.toml",
            "people = [\"mara-okafor\", \"tomas-reyes\", \"ines-lund\"]\n",
        ),
        (
            "content/stories/two.md",
            &story("Two", "2025-01-02", "Tomas Reyes and Mara Okafor again.\n"),
        ),
        (
            "content/stories/two.ann.toml",
            "people = [\"tomas-reyes\", \"mara-okafor\"]\n",
        ),
        (
            "content/stories/three.md",
            &story(
                "Three",
                "2025-01-03",
                "Omar Abbas, Mara Okafor and Ines Lund.\n",
            ),
        ),
        (
            "content/stories/three.ann.toml",
            "people = [\"omar-abbas\", \"mara-okafor\", \"ines-lund\"]\n",
        ),
        (
            "content/stories/four.md",
            &story("Four", "2025-01-04", "Omar Abbas alone.\n"),
        ),
        (
            "content/stories/four.ann.toml",
            "people = [\"omar-abbas\"]\n",
        ),
    ]);
    let checked = checked(dir.path());
    assert!(errors(&checked).is_empty(), "{:?}", errors(&checked));
    let a = &checked.archive;
    let with = |id: &str| -> Vec<(String, usize)> {
        a.people[a.person_ids[id].0]
            .appears_with
            .iter()
            .map(|&(p, n)| (a.people[p.0].file.id.clone(), n))
            .collect()
    };
    let pairs = |list: &[(&str, usize)]| -> Vec<(String, usize)> {
        list.iter().map(|&(id, n)| (id.to_string(), n)).collect()
    };
    assert_eq!(
        with("mara-okafor"),
        pairs(&[("ines-lund", 2), ("tomas-reyes", 2), ("omar-abbas", 1)])
    );
    assert_eq!(
        with("tomas-reyes"),
        pairs(&[("mara-okafor", 2), ("ines-lund", 1)])
    );
    assert_eq!(
        with("ines-lund"),
        pairs(&[("mara-okafor", 2), ("omar-abbas", 1), ("tomas-reyes", 1)])
    );
    assert_eq!(
        with("omar-abbas"),
        pairs(&[("ines-lund", 1), ("mara-okafor", 1)])
    );
}

#[test]
fn every_error_of_a_run_is_reported_together() {
    let dir = archive(&[
        ("content/stories/a.md", &story("A", "2025-03-01", "Okafor said \"no\".\n")),
        (
            "content/stories/a.ann.toml",
            "people = [\"mara-okafor\", \"nobody\"]\n[[quote]]\nspeaker = \"mara-okafr\"\ntext = \"no\"\n[[note]]\ntext = \"missing words\"\nbody = \"x\"\n",
        ),
        ("content/stories/b.md", "+++\ntitle = \"B\"\n+++\nNo date.\n"),
        ("content/stories/c.ann.toml", "people = []\n"),
    ]);
    let found = messages(&checked(dir.path()));
    for expected in [
        "unknown person `nobody`",
        "unknown person `mara-okafr`",
        "`text` not found",
        "missing field `date`",
        "sidecar has no story",
    ] {
        assert!(
            found.iter().any(|m| m.contains(expected)),
            "{expected} not in {found:?}"
        );
    }
}

#[test]
fn the_example_archive_checks_without_errors_or_warnings() {
    let checked = checked(&common::example());
    assert!(checked.diagnostics.is_empty(), "{:#?}", messages(&checked));
    assert!(checked.archive.stories.len() >= 8);
    assert!(checked.archive.people.len() >= 12);
    assert!(checked.archive.quotes.len() >= 25);
}

#[test]
fn a_listed_name_inside_an_unlisted_persons_longer_name_counts_for_the_listed_person() {
    // "Ann Lee" is someone else's name; "Ann" is the listed person's. The
    // story's people are found first, by their names alone, and what they
    // cover is not looked at again for unlisted people. One scan of every
    // registered name serves both.
    let dir = archive(&[
        (
            "content/people/ann-brook.md",
            "+++\nname = \"Ann Brook\"\naliases = [\"Ann\"]\n+++\n",
        ),
        (
            "content/people/ann-lee.md",
            "+++\nname = \"Ann Lee\"\n+++\n",
        ),
        (
            "content/stories/pier.md",
            &story(
                "Pier",
                "2025-03-01",
                "Ann Lee spoke first. Later, Ann's motion passed, and Okafor's did not.\n",
            ),
        ),
        (
            "content/stories/pier.ann.toml",
            "people = [\"ann-brook\", \"mara-okafor\"]\n",
        ),
    ]);
    let checked = checked(dir.path());
    assert!(errors(&checked).is_empty(), "{:?}", errors(&checked));
    let entry = &checked.archive.stories[0];
    let text = checked.archive.visible_text(&entry.story);
    let found: Vec<(String, String)> = entry
        .story
        .mentions
        .iter()
        .map(|m| (m.person.to_string(), text.slice(m.span.range()).to_string()))
        .collect();
    assert_eq!(
        found,
        [
            ("ann-brook".to_string(), "Ann".to_string()),
            ("ann-brook".to_string(), "Ann".to_string()),
            ("mara-okafor".to_string(), "Okafor".to_string()),
        ]
    );
    // A person's mentions in a story share one id.
    let mentions = &entry.story.mentions;
    assert!(std::sync::Arc::ptr_eq(
        &mentions[0].person,
        &mentions[1].person
    ));
    assert_eq!(
        messages(&checked),
        [
            "content/people/ann-lee.md: `ann-lee` appears in no story",
            "content/people/tomas-reyes.md: `tomas-reyes` appears in no story"
        ]
    );
}

//! An archive with thousands of problems in one story gets every one of them
//! reported, each at its own `file:line:col`, by `check` (as text and as
//! JSON) and again by a `build` that finds nothing to do. (How long that takes
//! is measured by `benches/stages.rs`, never asserted here.)

mod common;

use std::process::Output;

/// Paragraphs with an unannotated quotation.
const QUOTATIONS: usize = 1_500;
/// `[[quote]]` entries whose `text` is not in the story.
const MISSING: usize = 1_200;

/// The story's front matter: its paragraphs start on line 6.
const FRONT: &str = "+++\ntitle = \"Many\"\ndate = 2025-01-01\n+++\n\n";

use common::annalist_with_root as annalist;

/// An archive of one story whose paragraph `i` (on line 6 + 2i) quotes eight
/// words that no `[[quote]]` covers; with `missing`, its sidecar has that many
/// quotes whose `text` (on line 3 + 4i, column 8) is nowhere in the story.
fn archive(missing: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/stories")).unwrap();
    std::fs::write(
        root.join("archive.toml"),
        "title = \"Many\"\nbase_url = \"https://example.org/\"\n",
    )
    .unwrap();
    let mut story = FRONT.to_string();
    for i in 0..QUOTATIONS {
        story.push_str(&format!(
            "She said \"one two three four five six words here\" on day {i}.\n\n"
        ));
    }
    std::fs::write(root.join("content/stories/many.md"), story).unwrap();
    if missing > 0 {
        let mut sidecar = String::new();
        for i in 0..missing {
            sidecar.push_str(&format!(
                "[[quote]]\nunnamed = \"a clerk\"\ntext = \"words that are nowhere {i}\"\n\n"
            ));
        }
        std::fs::write(root.join("content/stories/many.ann.toml"), sidecar).unwrap();
    }
    dir
}

#[test]
fn thousands_of_warnings_and_errors_each_get_their_line_and_column() {
    let dir = archive(MISSING);
    let out = annalist(dir.path(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let all: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let of = |severity: &str, file: &str| -> Vec<&serde_json::Value> {
        all.iter()
            .filter(|d| d["severity"] == severity && d["file"] == file)
            .collect()
    };
    let warnings = of("warning", "content/stories/many.md");
    let errors = of("error", "content/stories/many.ann.toml");
    assert_eq!(warnings.len(), QUOTATIONS);
    assert_eq!(errors.len(), MISSING);
    assert_eq!(all.len(), QUOTATIONS + MISSING, "nothing else is reported");

    // The 1,000th quotation is in paragraph 999, on line 6 + 2 * 999; it
    // opens at column 10 (`She said "`).
    let w = warnings[999];
    assert_eq!(
        (w["line"].as_u64(), w["column"].as_u64()),
        (Some(2004), Some(10))
    );
    assert_eq!(
        w["message"],
        "a quotation of 8 words is not annotated as a quote"
    );
    assert_eq!(
        w["snippet"],
        "She said \"one two three four five six words here\" on day 999."
    );
    // The 1,000th missing `text` is entry 999's, on line 3 + 4 * 999.
    let e = errors[999];
    assert_eq!(
        (e["line"].as_u64(), e["column"].as_u64()),
        (Some(3999), Some(8))
    );
    assert_eq!(e["message"], "`text` not found in content/stories/many.md");
    assert_eq!(e["text"], "\"words that are nowhere 999\"");
    // The first missing passages are searched for a close one (there is
    // none); after a story's budget of searches, the rest say so instead.
    assert!(
        errors[0]["hint"]
            .as_str()
            .unwrap()
            .starts_with("no passage is close"),
        "{}",
        errors[0]
    );
    assert!(
        errors[MISSING - 1]["hint"]
            .as_str()
            .unwrap()
            .starts_with("the closest passage was not looked for"),
        "{}",
        errors[MISSING - 1]
    );

    // The same as text, each with its `file:line:col`.
    let out = annalist(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        text.matches("a quotation of 8 words is not annotated as a quote")
            .count(),
        QUOTATIONS
    );
    assert_eq!(
        text.matches("`text` not found in content/stories/many.md")
            .count(),
        MISSING
    );
    for at in [
        "content/stories/many.md:6:10]",
        "content/stories/many.md:2004:10]",
        "content/stories/many.md:3004:10]",
        "content/stories/many.ann.toml:3:8]",
        "content/stories/many.ann.toml:3999:8]",
        "content/stories/many.ann.toml:4799:8]",
    ] {
        assert_eq!(text.matches(at).count(), 1, "{at}");
    }
    // Each snippet shows its own line with the lines around it.
    assert!(
        text.contains(" 2004 │ She said \"one two three four five six words here\" on day 999.\n"),
        "the 1,000th warning's line"
    );
    assert!(text.ends_with(&format!(
        "check failed: 1 stories, 0 people, 0 quotes; {MISSING} errors, {QUOTATIONS} warnings\n"
    )));
}

#[test]
fn a_build_with_nothing_to_do_repeats_thousands_of_warnings_as_they_were() {
    let dir = archive(0);
    let output = dir.path().join("public");
    let args = ["build", "-o", output.to_str().unwrap()];
    let first = annalist(dir.path(), &args);
    assert_eq!(first.status.code(), Some(0));
    let second = annalist(dir.path(), &args);
    assert_eq!(second.status.code(), Some(0));
    // The warnings come first, then what the build did.
    let warnings = |out: &Output| -> String {
        let text = String::from_utf8(out.stderr.clone()).unwrap();
        let end = text.rfind("\n\n").map_or(0, |at| at + 2);
        text[..end].to_string()
    };
    let (first_warnings, second_warnings) = (warnings(&first), warnings(&second));
    assert!(String::from_utf8_lossy(&second.stderr).contains("nothing to do"));
    assert_eq!(
        first_warnings
            .matches("a quotation of 8 words is not annotated as a quote")
            .count(),
        QUOTATIONS
    );
    assert!(first_warnings.contains("content/stories/many.md:2004:10]"));
    assert_eq!(second_warnings, first_warnings);
}

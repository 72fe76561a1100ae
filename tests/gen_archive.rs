//! The `gen_archive` example: its archives pass `check` cleanly, follow a power law,
//! are the same byte for byte for the same seed, and pin quote ids that would collide.

#[allow(dead_code)]
#[path = "../examples/gen_archive/generate.rs"]
mod generate;

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use annalist::load::LoadOptions;
use generate::{claim_quote_id, generate, Options, Summary};

const STORIES: usize = 60;

fn run(dir: &Path, seed: u64, hugo: Option<&Path>) -> Summary {
    generate(&Options {
        stories: STORIES,
        seed,
        out: dir.to_path_buf(),
        hugo: hugo.map(Path::to_path_buf),
    })
    .unwrap_or_else(|e| panic!("gen_archive failed: {e}"))
}

/// Every file under `dir`, by path relative to it.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn generated_archive_checks_clean_with_a_power_law() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("archive");
    let summary = run(&dir, 42, None);
    assert_eq!(summary.stories, STORIES);

    let checked = annalist::check::model(&dir, LoadOptions { drafts: true }).unwrap();
    let shown: Vec<String> = checked.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(
        shown.is_empty(),
        "{} diagnostics:\n{}",
        shown.len(),
        shown.join("\n")
    );

    let archive = &checked.archive;
    assert_eq!(archive.stories.len(), STORIES);
    assert!(
        archive.people.len() >= 10,
        "{} people",
        archive.people.len()
    );
    assert_eq!(archive.people.len(), summary.people);
    assert_eq!(archive.quotes.len(), summary.quotes);
    assert!(archive.quotes.len() >= STORIES, "1–4 quotes per story");
    for story in &archive.stories {
        let n = story.people.len();
        assert!((3..=8).contains(&n), "a story with {n} people");
        assert!(!story.quotes.is_empty());
    }
    for person in archive.people.iter() {
        assert!(!person.stories.is_empty(), "a person in no story");
    }
    let top = archive
        .people
        .iter()
        .map(|p| p.stories.len())
        .max()
        .unwrap();
    assert!(
        top * 3 > STORIES,
        "the most frequent person is in only {top} of {STORIES} stories"
    );
    assert_eq!(top, summary.top_person_stories);
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    let c = tmp.path().join("c");
    let (ha, hb) = (tmp.path().join("ha"), tmp.path().join("hb"));
    run(&a, 7, Some(&ha));
    run(&b, 7, Some(&hb));
    run(&c, 8, None);

    let (fa, fb, fc) = (files(&a), files(&b), files(&c));
    assert_eq!(
        fa.len(),
        1 + summary_people(&fa) + 2 * STORIES,
        "archive.toml, people, stories and sidecars"
    );
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (path, bytes) in &fa {
        assert!(
            fb[path] == *bytes,
            "{path} differs between two runs with seed 7"
        );
    }
    assert!(files(&ha) == files(&hb), "the Hugo sites differ");
    assert!(fa != fc, "seeds 7 and 8 gave the same archive");
    let stories = |f: &BTreeMap<String, Vec<u8>>| -> Vec<Vec<u8>> {
        f.iter()
            .filter(|(p, _)| p.ends_with(".md") && p.contains("stories"))
            .map(|(_, b)| b.clone())
            .collect()
    };
    assert!(
        stories(&fa).iter().zip(stories(&fc)).all(|(x, y)| *x != y),
        "every story should change with the seed"
    );
}

fn summary_people(files: &BTreeMap<String, Vec<u8>>) -> usize {
    files
        .keys()
        .filter(|p| p.starts_with("content/people/"))
        .count()
}

#[test]
fn hugo_twin_has_every_story() {
    let tmp = tempfile::tempdir().unwrap();
    let hugo = tmp.path().join("hugo");
    let summary = run(&tmp.path().join("archive"), 3, Some(&hugo));
    let files = files(&hugo);
    let config = String::from_utf8(files["hugo.toml"].clone()).unwrap();
    assert!(config.contains("[taxonomies]\nperson = \"people\"\ntag = \"tags\""));
    for layout in [
        "layouts/_default/single.html",
        "layouts/_default/list.html",
        "layouts/_default/taxonomy.html",
        "layouts/_default/term.html",
        "layouts/index.html",
    ] {
        assert!(files.contains_key(layout), "{layout} missing");
    }
    let stories: Vec<&String> = files
        .keys()
        .filter(|p| p.starts_with("content/stories/s"))
        .collect();
    assert_eq!(stories.len(), STORIES);
    let one = String::from_utf8(files[stories[0]].clone()).unwrap();
    assert!(one.starts_with("+++\ntitle = "));
    assert!(one.contains("\npeople = [\""));
    assert!(
        !one.contains("story:"),
        "story: links are rewritten for Hugo"
    );
    assert_eq!(summary.hugo.unwrap().1, files.len());
}

#[test]
fn refuses_a_non_empty_folder() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("keep.txt"), "mine").unwrap();
    let err = generate(&Options {
        stories: 10,
        seed: 1,
        out: tmp.path().to_path_buf(),
        hugo: None,
    })
    .unwrap_err();
    assert!(err.contains("is not empty"), "{err}");
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("keep.txt")).unwrap(),
        "mine"
    );
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
}

#[test]
fn a_taken_quote_id_gets_a_free_valid_one() {
    use annalist::anchor::{derive_quote_id, Speaker};
    let speaker = Speaker::Person("konrad-manapanovik".into());
    let derived = derive_quote_id("s000001-harbour-vote", &speaker, "our office will remember");
    let mut taken = HashSet::new();
    assert_eq!(
        claim_quote_id(&mut taken, derived.clone()),
        None,
        "first use"
    );
    assert_eq!(
        claim_quote_id(&mut taken, derived.clone()),
        Some(format!("{derived}-2"))
    );
    // `-2` is taken now: the next collision gets `-3`.
    let third = claim_quote_id(&mut taken, derived.clone()).unwrap();
    assert_eq!(third, format!("{derived}-3"));
    assert!(annalist::load::is_valid_slug(&third), "{third}");
    // An id taken as an explicit one counts too.
    taken.insert(format!("{derived}-4"));
    assert_eq!(
        claim_quote_id(&mut taken, derived.clone()),
        Some(format!("{derived}-5"))
    );
    assert_eq!(taken.len(), 5);
}

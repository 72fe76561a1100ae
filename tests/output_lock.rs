//! Two builds into one output folder: the second waits for the first's lock,
//! says who holds it, and both leave one consistent site. A lock left by a
//! killed build does not stop the next one.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

/// Starts `annalist --root ROOT build -o public [--base-url URL]`.
fn start_build(root: &Path, base_url: Option<&str>, stderr: Stdio) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_annalist"));
    command
        .arg("--root")
        .arg(root)
        .args(["build", "-o", "public"]);
    if let Some(url) = base_url {
        command.args(["--base-url", url]);
    }
    command
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap()
}

fn assert_succeeded(output: &Output) {
    assert!(
        output.status.success(),
        "the build failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Asserts that `out` holds exactly the files its manifest lists, each with the
/// length and hash listed, and returns their paths.
fn assert_one_consistent_site(out: &Path) -> Vec<String> {
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join(".annalist-manifest.json")).unwrap())
            .unwrap();
    let listed: BTreeMap<String, (String, u64)> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let path = f["path"].as_str().unwrap().to_string();
            let hash = f["hash"].as_str().unwrap().to_string();
            (path, (hash, f["len"].as_u64().unwrap()))
        })
        .collect();
    let mut on_disk = common::site_files(out);
    on_disk.retain(|p| p != ".annalist-manifest.json");
    on_disk.sort();
    let paths: Vec<String> = listed.keys().cloned().collect();
    assert_eq!(on_disk, paths, "the files on disk are the manifest's");
    for (path, (hash, len)) in &listed {
        let bytes = fs::read(out.join(path)).unwrap();
        assert_eq!(bytes.len() as u64, *len, "{path}");
        let actual = format!("{:016x}", annalist::write::content_hash(&bytes));
        assert_eq!(&actual, hash, "{path}");
    }
    paths
}

/// Names beside the output folder that start with `.public.`: staging or lock files.
fn beside(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public."))
        .collect();
    names.sort();
    names
}

#[test]
fn two_builds_started_at_once_both_succeed_and_leave_one_consistent_site() {
    let dir = common::copy_to_temp(&common::example());
    let root = dir.path();
    let out = root.join("public");

    // Into a folder that does not exist yet: both of the same inputs.
    let first = start_build(root, None, Stdio::piped());
    let second = start_build(root, None, Stdio::piped());
    assert_succeeded(&first.wait_with_output().unwrap());
    assert_succeeded(&second.wait_with_output().unwrap());
    let paths = assert_one_consistent_site(&out);
    assert!(
        paths.iter().any(|p| p.starts_with("pagefind/")),
        "search's files are listed: {paths:?}"
    );
    assert_eq!(beside(root), Vec::<String>::new());

    // Into that folder, each with another address: both write a whole site.
    let a = start_build(root, Some("https://a.example.org/"), Stdio::piped());
    let b = start_build(root, Some("https://b.example.org/"), Stdio::piped());
    assert_succeeded(&a.wait_with_output().unwrap());
    assert_succeeded(&b.wait_with_output().unwrap());
    let again = assert_one_consistent_site(&out);
    assert_eq!(again, paths, "the same files, of one build or the other");
    let robots = fs::read_to_string(out.join("robots.txt")).unwrap();
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let host = if robots.contains("a.example.org") {
        "a.example.org"
    } else {
        "b.example.org"
    };
    assert!(robots.contains(host) && sitemap.contains(host), "{robots}");
    assert_eq!(beside(root), Vec::<String>::new());
}

#[test]
fn a_build_waits_while_another_process_holds_the_lock_and_says_who() {
    let dir = common::copy_to_temp(&common::example());
    let root = dir.path();
    let out = root.join("public");
    // This test holds the lock, as a running build would: the OS lock on
    // `.public.annalist-lock`, and its pid and start time in the file.
    let lock_path = root.join(".public.annalist-lock");
    let mut lock = fs::File::create(&lock_path).unwrap();
    lock.lock().unwrap();
    let pid = std::process::id();
    write!(lock, "pid: {pid}\nsince: 2001-09-09 01:46:40 +00:00\n").unwrap();

    let mut build = start_build(root, None, Stdio::piped());
    let mut stderr = BufReader::new(build.stderr.take().unwrap());
    let mut said = String::new();
    while stderr.read_line(&mut said).unwrap() > 0 && !said.contains("waiting for") {}
    assert!(
        said.contains(&format!(
            "waiting for pid {pid}, which has been building into public since 2001-09-09 01:46:40 +00:00, to finish\n"
        )),
        "{said}"
    );
    assert!(
        build.try_wait().unwrap().is_none(),
        "the build stopped instead of waiting: {said}"
    );
    assert!(!out.exists(), "the build wrote while the lock was held");

    drop(lock);
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    assert!(build.wait().unwrap().success(), "{said}{rest}");
    assert_one_consistent_site(&out);
    assert_eq!(
        beside(root),
        Vec::<String>::new(),
        "the lock file is removed"
    );
}

#[test]
fn a_lock_file_left_by_a_killed_build_does_not_block() {
    let dir = common::copy_to_temp(&common::example());
    let root = dir.path();
    // What a killed build leaves: its lock file, whose OS lock went with it.
    fs::write(
        root.join(".public.annalist-lock"),
        "pid: 999999\nsince: 2001-09-09 01:46:40 +00:00\n",
    )
    .unwrap();
    let output = start_build(root, None, Stdio::piped())
        .wait_with_output()
        .unwrap();
    assert_succeeded(&output);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("waiting"), "{stderr}");
    assert_one_consistent_site(&root.join("public"));
    assert_eq!(
        beside(root),
        Vec::<String>::new(),
        "the stale lock file is gone"
    );
}

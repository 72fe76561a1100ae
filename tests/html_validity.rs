//! Every page of the example passes the Nu Html Checker. Ignored by default: it
//! needs Java and `vnu-jar` from npm, which `.ci/install` provides.

mod common;

use std::path::PathBuf;
use std::process::Command;

fn vnu_jar() -> PathBuf {
    if let Some(path) = std::env::var_os("VNU_JAR") {
        return PathBuf::from(path);
    }
    let out = Command::new("npm")
        .args(["root", "-g"])
        .output()
        .expect("npm is needed to find vnu-jar");
    let root = String::from_utf8_lossy(&out.stdout).trim().to_string();
    PathBuf::from(root).join("vnu-jar/build/dist/vnu.jar")
}

#[test]
#[ignore = "needs Java and the Nu Html Checker (npm install -g vnu-jar); run by .ci/run"]
fn every_page_of_the_example_passes_the_nu_html_checker() {
    let jar = vnu_jar();
    assert!(
        jar.is_file(),
        "{} not found: run .ci/install or set VNU_JAR",
        jar.display()
    );
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    common::build_into(
        &common::example(),
        &site,
        Some("https://example.github.io/annalist-demo/"),
    )
    .unwrap();
    let pages = walkdir::WalkDir::new(&site)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .count();
    assert!(pages > 100);
    let result = Command::new("java")
        .args(["-jar"])
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html", "--format", "gnu"])
        .arg(&site)
        .output()
        .expect("java runs");
    let report = String::from_utf8_lossy(&result.stderr).to_string()
        + &String::from_utf8_lossy(&result.stdout);
    assert!(
        result.status.success() && report.trim().is_empty(),
        "the Nu Html Checker found errors in {pages} pages:\n{report}"
    );
}

/// Pages that only a large archive has: a person's full lists (their stories,
/// quotes and quotes about them, over several pages) and the windowed pagers of
/// long lists. Built from the project's generator, then checked like the example.
#[test]
#[ignore = "needs Java and the Nu Html Checker (npm install -g vnu-jar); run by .ci/run"]
fn the_pages_of_a_large_archive_pass_the_nu_html_checker() {
    #[allow(dead_code)]
    #[path = "../examples/gen_archive/generate.rs"]
    mod generate;
    let jar = vnu_jar();
    assert!(jar.is_file(), "{} not found", jar.display());
    let tmp = tempfile::tempdir().unwrap();
    let archive = tmp.path().join("archive");
    generate::generate(&generate::Options {
        stories: 400,
        seed: 5,
        out: archive.clone(),
        hugo: None,
    })
    .unwrap();
    let site = tmp.path().join("site");
    common::build_into(&archive, &site, Some("https://example.org/sub/")).unwrap();
    // Every person list page, every page of the longest lists, and a sample of
    // the rest (checking all of them would take minutes).
    let mut pages: Vec<PathBuf> = walkdir::WalkDir::new(&site)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .filter(|p| {
            let rel = p
                .strip_prefix(&site)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let under_person_list = ["/stories/", "/quotes/", "/about/"]
                .iter()
                .any(|l| rel.starts_with("people/") && rel.contains(l));
            let pager_page = rel.contains("page/");
            let timeline = rel.starts_with("timeline/");
            under_person_list || pager_page || timeline || rel.matches('/').count() <= 1
        })
        .collect();
    pages.sort();
    let person_page_2 = |p: &PathBuf| {
        let rel = p
            .strip_prefix(&site)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        rel.starts_with("people/") && rel.contains("/stories/page/2/")
    };
    assert!(
        pages.iter().any(person_page_2),
        "the archive has no person with a second page of stories"
    );
    let result = Command::new("java")
        .args(["-jar"])
        .arg(&jar)
        .args(["--errors-only", "--format", "gnu"])
        .args(&pages)
        .output()
        .expect("java runs");
    let report = String::from_utf8_lossy(&result.stderr).to_string()
        + &String::from_utf8_lossy(&result.stdout);
    assert!(
        result.status.success() && report.trim().is_empty(),
        "the Nu Html Checker found errors in {} pages:\n{report}",
        pages.len()
    );
}

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
    let options = annalist::build::BuildOptions {
        root: common::example(),
        output: site.clone(),
        base_url: Some("https://example.github.io/annalist-demo/".into()),
        drafts: false,
    };
    annalist::build::build(&options)
        .map_err(|(e, _)| e.to_string())
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

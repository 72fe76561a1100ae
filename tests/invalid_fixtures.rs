//! Every folder of `tests/fixtures/invalid/` is an archive with a known problem;
//! its `expect.toml` names each diagnostic (file, line:col, message, hint) that
//! `check` must report, and the printed report is pinned by a snapshot.

mod common;

use std::path::Path;

use annalist::check::model;
use annalist::diagnostics::{render_text, JsonDiagnostic, Severity, TextStyle};
use annalist::load::LoadOptions;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[serde(default)]
    error: Vec<Expected>,
    #[serde(default)]
    warning: Vec<Expected>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    file: String,
    line: usize,
    column: Option<usize>,
    message: String,
    hint: Option<String>,
}

impl Expected {
    fn matches(&self, d: &JsonDiagnostic) -> bool {
        d.file.as_deref() == Some(self.file.as_str())
            && d.line == Some(self.line)
            && self.column.is_none_or(|c| d.column == Some(c))
            && d.message
                .to_lowercase()
                .contains(&self.message.to_lowercase())
            && self.hint.as_ref().is_none_or(|h| {
                d.hint
                    .as_deref()
                    .unwrap_or("")
                    .to_lowercase()
                    .contains(&h.to_lowercase())
            })
    }
}

fn check_case(dir: &Path) -> Result<String, String> {
    let expect: Expect = toml::from_str(
        &std::fs::read_to_string(dir.join("expect.toml")).map_err(|e| e.to_string())?,
    )
    .map_err(|e| format!("bad expect.toml: {e}"))?;
    let checked = model(dir, LoadOptions { drafts: true }).map_err(|e| e.to_string())?;
    let found: Vec<JsonDiagnostic> = checked
        .diagnostics
        .iter()
        .map(JsonDiagnostic::from)
        .collect();
    let mut problems = Vec::new();
    for (severity, list) in [
        (Severity::Error, &expect.error),
        (Severity::Warning, &expect.warning),
    ] {
        for e in list {
            if !found.iter().any(|d| d.severity == severity && e.matches(d)) {
                problems.push(format!("missing {severity:?}: {e:?}"));
            }
        }
    }
    let errors = found
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if errors != expect.error.len() {
        problems.push(format!(
            "expected {} errors, found {errors}",
            expect.error.len()
        ));
    }
    if expect.error.is_empty() && expect.warning.is_empty() {
        problems.push("expect.toml lists nothing".into());
    }
    let text = render_text(
        &checked.diagnostics,
        TextStyle {
            color: false,
            width: 100,
        },
    );
    if problems.is_empty() {
        Ok(text)
    } else {
        let found: Vec<String> = found
            .iter()
            .map(|d| {
                format!(
                    "{:?} {}:{}:{} {} | {}",
                    d.severity,
                    d.file.as_deref().unwrap_or("-"),
                    d.line.unwrap_or(0),
                    d.column.unwrap_or(0),
                    d.message,
                    d.hint.as_deref().unwrap_or("")
                )
            })
            .collect();
        Err(format!(
            "{}\n  found:\n    {}",
            problems.join("\n  "),
            found.join("\n    ")
        ))
    }
}

#[test]
fn every_invalid_fixture_reports_its_diagnostics() {
    let root = common::fixture("invalid");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 30, "only {} invalid fixtures", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        match check_case(case) {
            Ok(text) => insta::assert_snapshot!(format!("invalid__{name}"), text),
            Err(problem) => failures.push(format!("{name}: {problem}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixtures failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

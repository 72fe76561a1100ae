//! `annalist check`: load, anchor and index the archive, and report every problem.

use std::path::Path;

use crate::diagnostics::{self, Diagnostic, TextStyle};
use crate::index::Archive;
use crate::load::{LoadError, LoadOptions};

/// How `check` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-like text with snippets.
    Human,
    /// A JSON array, for editors and CI.
    Json,
}

/// The archive model and every diagnostic found while making it.
#[derive(Debug)]
pub struct Checked {
    /// The joined archive (complete only when there are no errors).
    pub archive: Archive,
    /// Errors and warnings, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// How long each stage took.
    pub stages: Stages,
}

/// Runs load → anchor → index on the archive in `root`.
pub fn model(root: &Path, options: LoadOptions) -> Result<Checked, LoadError> {
    let mut stages = Stages::default();
    let loaded = stages.time("load", || crate::load::load(root, options))?;
    Ok(anchor_and_index(loaded, stages))
}

/// Runs anchor → index on a loaded archive, adding their times to `stages`.
pub fn anchor_and_index(loaded: crate::load::Loaded, mut stages: Stages) -> Checked {
    let mut diagnostics = loaded.diagnostics;
    let (anchored, mut found) = stages.time("anchor", || crate::anchor::anchor(loaded.corpus));
    diagnostics.append(&mut found);
    let (archive, mut found) = stages.time("index", || crate::index::index(anchored));
    diagnostics.append(&mut found);
    diagnostics::sort(&mut diagnostics);
    Checked {
        archive,
        diagnostics,
        stages,
    }
}

/// How long each stage took, in order (for `build --verbose` and benchmarks).
#[derive(Debug, Clone, Default)]
pub struct Stages(pub Vec<(&'static str, std::time::Duration)>);

impl Stages {
    /// Runs `f`, recording its duration under `name`.
    pub fn time<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        crate::progress::stage(name);
        let started = std::time::Instant::now();
        let value = f();
        self.0.push((name, started.elapsed()));
        value
    }

    /// `load 120 ms, anchor 300 ms, …`
    pub fn summary(&self) -> String {
        self.0
            .iter()
            .map(|(name, d)| format!("{name} {} ms", d.as_millis()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// What `check` prints and its exit code.
#[derive(Debug)]
pub struct Report {
    /// Text for standard output (JSON, or the human summary).
    pub stdout: String,
    /// Text for standard error (human diagnostics).
    pub stderr: String,
    /// 0 when the archive passes, 1 otherwise.
    pub exit_code: i32,
}

/// Checks the archive in `root`; with `strict`, warnings fail the check too.
pub fn check(
    root: &Path,
    strict: bool,
    format: Format,
    style: TextStyle,
) -> Result<Report, LoadError> {
    let checked = model(root, LoadOptions { drafts: true })?;
    let (errors, warnings) = diagnostics::counts(&checked.diagnostics);
    let failed = errors > 0 || (strict && warnings > 0);
    let exit_code = i32::from(failed);
    let report = match format {
        Format::Json => Report {
            stdout: diagnostics::render_json(&checked.diagnostics) + "\n",
            stderr: String::new(),
            exit_code,
        },
        Format::Human => {
            let archive = &checked.archive;
            let mut stderr = diagnostics::render_text(&checked.diagnostics, style);
            let verdict = if failed { "failed" } else { "ok" };
            stderr.push_str(&format!(
                "check {verdict}: {} stories, {} people, {} quotes; {}\n",
                archive.stories.len(),
                archive.people.len(),
                archive.quotes.len(),
                diagnostics::summary(&checked.diagnostics)
            ));
            Report {
                stdout: String::new(),
                stderr,
                exit_code,
            }
        }
    };
    Ok(report)
}

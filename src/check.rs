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
}

/// Runs load → anchor → index on the archive in `root`.
pub fn model(root: &Path, options: LoadOptions) -> Result<Checked, LoadError> {
    let loaded = crate::load::load(root, options)?;
    let mut diagnostics = loaded.diagnostics;
    let (anchored, mut found) = crate::anchor::anchor(loaded.corpus);
    diagnostics.append(&mut found);
    let (archive, mut found) = crate::index::index(anchored);
    diagnostics.append(&mut found);
    diagnostics::sort(&mut diagnostics);
    Ok(Checked {
        archive,
        diagnostics,
    })
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

//! `annalist build`: load, anchor, index, render and write the site.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::check::{self, Stages};
use crate::diagnostics::{self, Diagnostic, StoredDiagnostic, TextStyle};
use crate::fingerprint::fingerprint;
use crate::index::Archive;
use crate::load::theme::ThemeFiles;
use crate::load::{theme, LoadError, LoadOptions, Loaded};
use crate::render::site::{render_site, RenderError, Rendered};
use crate::render::templates::Templates;
use crate::source::SourceFile;
use crate::write::{last_build, OutputLock, Sink, SiteWriter, WriteError, WriteSummary};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The archive folder.
    pub root: PathBuf,
    /// The output folder (relative paths are taken from `root`).
    pub output: PathBuf,
    /// Replaces `base_url` from `archive.toml`.
    pub base_url: Option<String>,
    /// Publish drafts too.
    pub drafts: bool,
}

/// Why a build stopped.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The archive could not be read.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The content has errors (already counted in the report).
    #[error("the build failed: {0}")]
    Content(String),
    /// The output could not be written.
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// What a build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Warnings (and, on failure, errors) found.
    pub diagnostics: Vec<Diagnostic>,
    /// The output folder.
    pub output: PathBuf,
    /// Stories, people, quotes and pages.
    pub counts: (usize, usize, usize, usize),
    /// Files written, unchanged, removed.
    pub write: Option<WriteSummary>,
    /// Wall time in milliseconds.
    pub millis: u128,
    /// How long each stage took.
    pub stages: Stages,
    /// Whether the output was already the site of these inputs (the last build
    /// had the same [`fingerprint`] and its files are in place): nothing was
    /// rendered or written, and the counts and warnings are the last build's.
    pub up_to_date: bool,
}

/// A loaded, checked archive with its compiled theme: enough to render again
/// without reading content (what `serve` keeps between rebuilds).
#[derive(Debug)]
pub struct Prepared {
    /// The joined archive.
    pub archive: Arc<Archive>,
    /// The theme's files.
    pub theme: ThemeFiles,
    /// The compiled templates.
    pub templates: Arc<Templates>,
    /// Warnings found on the way.
    pub warnings: Vec<Diagnostic>,
    /// How long each stage took so far.
    pub stages: Stages,
}

/// Loads, checks and indexes the archive and compiles its theme.
pub fn prepare(
    root: &Path,
    drafts: bool,
    base_url: Option<&str>,
) -> Result<Prepared, (BuildError, Vec<Diagnostic>)> {
    let inputs = read_inputs(root, drafts)?;
    finish(inputs, base_url)
}

/// The files a build reads, read and parsed, before anchoring.
struct Inputs {
    loaded: Loaded,
    theme: Result<ThemeFiles, Diagnostic>,
    stages: Stages,
}

fn read_inputs(root: &Path, drafts: bool) -> Result<Inputs, (BuildError, Vec<Diagnostic>)> {
    let mut stages = Stages::default();
    let loaded = stages
        .time("load", || crate::load::load(root, LoadOptions { drafts }))
        .map_err(|e| (e.into(), Vec::new()))?;
    let theme = stages.time("theme", || {
        theme::load_theme(root, &loaded.corpus.config.theme)
    });
    Ok(Inputs {
        loaded,
        theme,
        stages,
    })
}

/// Anchors and indexes what was read and compiles the templates.
fn finish(
    inputs: Inputs,
    base_url: Option<&str>,
) -> Result<Prepared, (BuildError, Vec<Diagnostic>)> {
    let Inputs {
        loaded,
        theme,
        stages,
    } = inputs;
    let checked = check::anchor_and_index(loaded, stages);
    let stages = checked.stages;
    let mut archive = checked.archive;
    let mut diagnostics = checked.diagnostics;
    // What the sidecars say is in the archive now, and the diagnostics that
    // point into their text are made (and keep the text they point into):
    // rendering does not read them (their text was 150 MB at 100,000 stories).
    // (Shared parts, if any, are left as they are.)
    for entry in &mut archive.stories {
        if let Some(story) = Arc::get_mut(entry).and_then(|e| Arc::get_mut(&mut e.story)) {
            story.story.sidecar = None;
        }
    }
    if let Some(url) = base_url {
        archive.config.base_url = url.to_string();
        if let Err((message, hint)) = archive.config.validate() {
            diagnostics.push(Diagnostic::error(format!("--base-url: {message}")).hint(hint));
        }
    }
    let theme = match theme {
        Ok(theme) => Some(theme),
        Err(d) => {
            diagnostics.push(d);
            None
        }
    };
    let (errors, _) = diagnostics::counts(&diagnostics);
    let Some(theme) = theme.filter(|_| errors == 0) else {
        return Err(failure(diagnostics));
    };
    match Templates::compile(&theme) {
        Ok(templates) => Ok(Prepared {
            archive: Arc::new(archive),
            theme,
            templates: Arc::new(templates),
            warnings: diagnostics,
            stages,
        }),
        Err(mut ds) => {
            diagnostics.append(&mut ds);
            Err(failure(diagnostics))
        }
    }
}

/// Reads the theme again and recompiles its templates, keeping the archive.
pub fn reload_theme(prepared: &mut Prepared, root: &Path) -> Result<(), Vec<Diagnostic>> {
    let theme = theme::load_theme(root, &prepared.archive.config.theme).map_err(|d| vec![d])?;
    prepared.templates = Arc::new(Templates::compile(&theme)?);
    prepared.theme = theme;
    Ok(())
}

/// Renders a prepared archive into `sink`.
pub fn render(prepared: &Prepared, sink: &dyn Sink) -> Result<Rendered, RenderError> {
    render_site(
        &prepared.archive,
        &prepared.theme,
        &prepared.templates,
        sink,
    )
}

fn failure(diagnostics: Vec<Diagnostic>) -> (BuildError, Vec<Diagnostic>) {
    (
        BuildError::Content(diagnostics::summary(&diagnostics)),
        diagnostics,
    )
}

/// Builds the site; on content errors returns them and leaves the output as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport, (BuildError, Vec<Diagnostic>)> {
    let started = Instant::now();
    let output = output_path(&options.root, &options.output);
    let mut inputs = read_inputs(&options.root, options.drafts)?;
    // Only inputs that load without errors are worth a fingerprint: a build
    // with errors fails and records nothing.
    let fingerprint = match &inputs.theme {
        Ok(theme) if !inputs.loaded.diagnostics.iter().any(Diagnostic::is_error) => {
            let corpus = &inputs.loaded.corpus;
            let (base_url, drafts) = (options.base_url.as_deref(), options.drafts);
            inputs
                .stages
                .time("fingerprint", || {
                    fingerprint(corpus, theme, base_url, drafts)
                })
                .ok()
        }
        _ => None,
    };
    // The output folder is locked from here to the commit: the last build is
    // read, and the new one written, while no other build writes there. A
    // build with errors in its inputs never writes, and does not wait.
    let lock = match &fingerprint {
        Some(print) => {
            let lock = lock_output(&options.root, &output).map_err(|e| (e.into(), Vec::new()))?;
            if let Some(report) = nothing_to_do(&options.root, &lock, print) {
                return Ok(BuildReport {
                    millis: started.elapsed().as_millis(),
                    stages: inputs.stages,
                    ..report
                });
            }
            Some(lock)
        }
        None => None,
    };
    let mut prepared = finish(inputs, options.base_url.as_deref())?;
    let mut stages = std::mem::take(&mut prepared.stages);
    let lock = match lock {
        Some(lock) => lock,
        None => lock_output(&options.root, &output)
            .map_err(|e| (e.into(), prepared.warnings.clone()))?,
    };
    let writer = SiteWriter::with_lock(lock).map_err(|e| (e.into(), prepared.warnings.clone()))?;
    // Pages are written (to staging) as they are rendered: "render" includes
    // writing them, "write" is the commit that puts them in place.
    let rendered = match stages.time("render", || render(&prepared, &writer)) {
        Ok(r) => r,
        Err(RenderError::Pages(mut ds)) => {
            let mut diagnostics = prepared.warnings;
            diagnostics.append(&mut ds);
            return Err(failure(diagnostics));
        }
        Err(RenderError::Write(e)) => return Err((e.into(), prepared.warnings)),
    };
    let archive = &prepared.archive;
    let counts = (
        archive.stories.len(),
        archive.people.len(),
        archive.quotes.len(),
        rendered.pages,
    );
    if let Some(inputs) = fingerprint {
        let record = BuildRecord {
            inputs,
            counts,
            diagnostics: prepared.warnings.iter().map(Diagnostic::stored).collect(),
        };
        if let Ok(record) = serde_json::to_value(record) {
            writer.record(record);
        }
    }
    let mut warnings = std::mem::take(&mut prepared.warnings);
    // The archive is freed while the commit runs: its millions of small
    // values take a few hundredths of a second to free at 10,000 stories.
    let write = std::thread::scope(|scope| {
        scope.spawn(move || drop(prepared));
        stages.time("write", || writer.commit())
    })
    .map_err(|e| (e.into(), warnings.clone()))?;
    warnings.extend(size_warning(write.bytes, GITHUB_PAGES_LIMIT));
    Ok(BuildReport {
        diagnostics: warnings,
        output,
        counts,
        write: Some(write),
        millis: started.elapsed().as_millis(),
        stages,
        up_to_date: false,
    })
}

/// Locks the output folder for this build; while another build holds it, says
/// on stderr which process that is (naming the folder relative to the archive
/// `root`), and waits.
fn lock_output(root: &Path, output: &Path) -> Result<OutputLock, WriteError> {
    OutputLock::acquire(output, &mut |holder| {
        let shown = crate::root::shown(&holder.out_dir, root);
        let holder = crate::write::Holder {
            out_dir: shown.into(),
            ..holder.clone()
        };
        eprintln!("{holder}");
    })
}

/// What a build records of itself in its output's manifest, so that the next
/// build with the same inputs can report the same without doing it again.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct BuildRecord {
    /// The [`fingerprint`] of the inputs.
    inputs: String,
    /// Stories, people, quotes and pages.
    counts: (usize, usize, usize, usize),
    /// The warnings it reported.
    diagnostics: Vec<StoredDiagnostic>,
}

/// The report of the last build into `output`, when it was made from the same
/// `inputs` and its files are all there as it wrote them: nothing to do, no
/// file to write. Its warnings are reported again.
fn nothing_to_do(root: &Path, lock: &OutputLock, inputs: &str) -> Option<BuildReport> {
    let last = last_build(lock)?;
    let record: BuildRecord = serde_json::from_value(last.record).ok()?;
    if record.inputs != inputs {
        return None;
    }
    let read = |path: &str| {
        let text = std::fs::read_to_string(root.join(path)).ok()?;
        Some(SourceFile::new(path, text))
    };
    let mut diagnostics = diagnostics::restore_all(record.diagnostics, read)?;
    diagnostics.extend(size_warning(last.bytes, GITHUB_PAGES_LIMIT));
    Some(BuildReport {
        diagnostics,
        output: lock.out_dir().to_path_buf(),
        counts: record.counts,
        write: Some(WriteSummary {
            written: 0,
            unchanged: last.files,
            removed: 0,
            bytes: last.bytes,
        }),
        millis: 0,
        stages: Stages::default(),
        up_to_date: true,
    })
}

/// The most GitHub Pages publishes: "Published GitHub Pages sites may be no
/// larger than 1 GB" (GitHub's documentation on Pages' limits).
pub const GITHUB_PAGES_LIMIT: u64 = 1_000_000_000;

/// A warning when a site of `bytes` is larger than `limit`, the most GitHub
/// Pages publishes: a reporter learns it from the build, not from a failed
/// deployment. Other hosts have other limits, so it does not stop the build.
pub fn size_warning(bytes: u64, limit: u64) -> Option<Diagnostic> {
    (bytes > limit).then(|| {
        Diagnostic::warning(format!(
            "the site is {}, more than the {} that GitHub Pages publishes",
            size(bytes),
            size(limit)
        ))
        .hint(
            "publish it to a host that takes a site this big, or make it smaller \
             (\"Size limits\" in docs/deploy.md shows what takes the room)",
        )
    })
}

/// A size for people to read: `741.4 MB`.
pub fn size(bytes: u64) -> String {
    humansize::format_size(bytes, humansize::DECIMAL.decimal_places(1))
}

/// The output folder: relative paths are taken from the archive folder.
pub fn output_path(root: &Path, output: &Path) -> PathBuf {
    if output.is_absolute() {
        output.to_path_buf()
    } else {
        root.join(output)
    }
}

/// Runs `build` for the command line: the text to print and the exit code.
pub fn run(options: &BuildOptions, style: TextStyle, verbose: bool) -> (String, i32) {
    match build(options) {
        Ok(report) => {
            let mut out = diagnostics::render_text(&report.diagnostics, style);
            let (stories, people, quotes, pages) = report.counts;
            let write = report.write.unwrap_or_default();
            if verbose {
                out.push_str(&format!("stages: {}\n", report.stages.summary()));
            }
            if report.up_to_date {
                out.push_str(&format!(
                    "nothing to do in {} ms: the inputs are those of the last build ({stories} stories, {people} people, {quotes} quotes: {pages} pages), whose {} files ({}) are in {} as it wrote them\n",
                    report.millis,
                    write.unchanged,
                    size(write.bytes),
                    crate::root::shown(&report.output, &options.root),
                ));
                return (out, 0);
            }
            out.push_str(&format!(
                "built {stories} stories, {people} people, {quotes} quotes: {pages} pages in {} ms\nwrote {} (written {}, unchanged {}, removed {}): {} files, {}\n",
                report.millis,
                crate::root::shown(&report.output, &options.root),
                write.written,
                write.unchanged,
                write.removed,
                write.written + write.unchanged,
                size(write.bytes)
            ));
            (out, 0)
        }
        Err((error, diagnostics)) => {
            let mut out = diagnostics::render_text(&diagnostics, style);
            out.push_str(&format!(
                "error: {error}\nthe previous output, if any, was left as it was\n"
            ));
            (out, 1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_over_the_limit_is_warned_of_with_both_sizes() {
        let warning = size_warning(1_234_567_890, GITHUB_PAGES_LIMIT).unwrap();
        assert_eq!(warning.severity, crate::diagnostics::Severity::Warning);
        assert_eq!(
            warning.message,
            "the site is 1.2 GB, more than the 1 GB that GitHub Pages publishes"
        );
        assert!(warning.hint.unwrap().contains("docs/deploy.md"));
    }

    #[test]
    fn a_site_at_or_under_the_limit_is_not() {
        assert!(size_warning(GITHUB_PAGES_LIMIT, GITHUB_PAGES_LIMIT).is_none());
        assert!(size_warning(741_000_000, GITHUB_PAGES_LIMIT).is_none());
        assert!(size_warning(0, GITHUB_PAGES_LIMIT).is_none());
        assert!(size_warning(GITHUB_PAGES_LIMIT + 1, GITHUB_PAGES_LIMIT).is_some());
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size(0), "0 B");
        assert_eq!(size(48_213), "48.2 kB");
        assert_eq!(size(741_400_000), "741.4 MB");
        assert_eq!(size(7_396_000_000), "7.4 GB");
    }
}

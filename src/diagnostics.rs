//! Problems found in an archive: collected, never fail-fast, printed like rustc.
//!
//! A [`Diagnostic`] carries the file and byte span it is about; line and column
//! are computed only when it is printed (as text through miette, or as JSON),
//! from the file's [`LineIndex`](crate::source::LineIndex): printing each
//! diagnostic costs the lines it shows, not a pass over its file.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use serde::Serialize;

use crate::source::{LineCol, Source, SourceFile};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The archive cannot be published as it is.
    Error,
    /// Probably a mistake, but the archive can be published.
    Warning,
}

/// A secondary place a diagnostic points at, possibly in another file.
#[derive(Debug, Clone)]
pub struct Related {
    /// The file.
    pub file: Source,
    /// Byte span in that file.
    pub span: Range<usize>,
    /// What this place is.
    pub label: String,
}

/// One problem in the archive, with where it is and how to fix it.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in one line.
    pub message: String,
    /// The file it is in, if any.
    pub file: Option<Source>,
    /// Byte span of the offending text in `file`.
    pub span: Option<Range<usize>>,
    /// A short label shown under the offending text.
    pub label: Option<String>,
    /// How to fix it.
    pub hint: Option<String>,
    /// Other places that explain it (the passage that matched, the first duplicate).
    pub related: Vec<Related>,
}

impl Diagnostic {
    /// A new error with a message.
    pub fn error(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, message.into())
    }

    /// A new warning with a message.
    pub fn warning(message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, message.into())
    }

    fn new(severity: Severity, message: String) -> Self {
        Diagnostic {
            severity,
            message,
            file: None,
            span: None,
            label: None,
            hint: None,
            related: Vec::new(),
        }
    }

    /// Points the diagnostic at a span of a file.
    pub fn at(mut self, file: &Source, span: Range<usize>) -> Self {
        self.file = Some(file.clone());
        self.span = Some(span);
        self
    }

    /// Points the diagnostic at the start of a file.
    pub fn at_start(self, file: &Source) -> Self {
        self.at(file, 0..0)
    }

    /// Adds a label under the offending text.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds a hint on how to fix it.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a related place.
    pub fn related(mut self, file: &Source, span: Range<usize>, label: impl Into<String>) -> Self {
        self.related.push(Related {
            file: file.clone(),
            span,
            label: label.into(),
        });
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Line and column of the start of the span, if the diagnostic has a file.
    pub fn line_col(&self) -> Option<LineCol> {
        let file = self.file.as_ref()?;
        Some(file.line_col(self.span.as_ref().map_or(0, |s| s.start)))
    }

    /// Whether it points into the file at `path` (as shown to authors), itself or by a related place.
    pub fn cites(&self, path: &str) -> bool {
        self.path().is_some_and(|p| p == path)
            || self.related.iter().any(|r| r.file.display_path() == path)
    }

    /// The file's path as shown to authors.
    pub fn path(&self) -> Option<String> {
        self.file.as_ref().map(|f| f.display_path())
    }

    fn sort_key(&self) -> (Option<String>, usize, Severity, String) {
        (
            self.path(),
            self.span.as_ref().map_or(0, |s| s.start),
            self.severity,
            self.message.clone(),
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// A diagnostic as kept between runs (in the output's manifest, for a build
/// that finds nothing to do): files by path, to be read again.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct StoredDiagnostic {
    severity: Severity,
    message: String,
    file: Option<String>,
    span: Option<Range<usize>>,
    label: Option<String>,
    hint: Option<String>,
    related: Vec<(String, Range<usize>, String)>,
}

impl Diagnostic {
    /// The diagnostic as kept between runs.
    pub fn stored(&self) -> StoredDiagnostic {
        StoredDiagnostic {
            severity: self.severity,
            message: self.message.clone(),
            file: self.path(),
            span: self.span.clone(),
            label: self.label.clone(),
            hint: self.hint.clone(),
            related: self
                .related
                .iter()
                .map(|r| (r.file.display_path(), r.span.clone(), r.label.clone()))
                .collect(),
        }
    }
}

impl StoredDiagnostic {
    /// The diagnostic again, with its files from `read` (by path as shown to
    /// authors); `None` if one of them cannot be read.
    pub fn restore(self, read: &dyn Fn(&str) -> Option<Source>) -> Option<Diagnostic> {
        let file = match &self.file {
            Some(path) => Some(read(path)?),
            None => None,
        };
        let related = self
            .related
            .into_iter()
            .map(|(path, span, label)| {
                Some(Related {
                    file: read(&path)?,
                    span,
                    label,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Diagnostic {
            severity: self.severity,
            message: self.message,
            file,
            span: self.span,
            label: self.label,
            hint: self.hint,
            related,
        })
    }
}

/// Stored diagnostics again, with their files from `read` (by path as shown to
/// authors), each file read once however many of them point into it (reading
/// it again for each made repeating ten thousand warnings cost more than the
/// build that found them); `None` if one of the files cannot be read.
pub fn restore_all(
    stored: Vec<StoredDiagnostic>,
    read: impl Fn(&str) -> Option<Source>,
) -> Option<Vec<Diagnostic>> {
    let files: RefCell<HashMap<String, Option<Source>>> = RefCell::new(HashMap::new());
    let read_once = |path: &str| {
        if let Some(file) = files.borrow().get(path) {
            return file.clone();
        }
        let file = read(path);
        files.borrow_mut().insert(path.to_string(), file.clone());
        file
    };
    stored.into_iter().map(|d| d.restore(&read_once)).collect()
}

/// Sorts diagnostics by file and position, so that output is stable across runs.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_cached_key(Diagnostic::sort_key);
}

/// Counts errors and warnings.
pub fn counts(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    (errors, diagnostics.len() - errors)
}

/// How to print diagnostics as text.
#[derive(Debug, Clone, Copy)]
pub struct TextStyle {
    /// Use terminal colours.
    pub color: bool,
    /// Wrap lines at this width.
    pub width: usize,
}

/// Renders diagnostics as rustc-like text: message, `file:line:col`, the line with
/// the span underlined, then the hint.
pub fn render_text(diagnostics: &[Diagnostic], style: TextStyle) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .with_context_lines(1);
    let mut out = String::new();
    for diagnostic in diagnostics {
        let report = Report::new(diagnostic);
        if handler.render_report(&mut out, &report).is_err() {
            out.push_str(&diagnostic.message);
        }
        out.push('\n');
    }
    out
}

/// Renders a one-line summary such as `2 errors, 1 warning`.
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let (errors, warnings) = counts(diagnostics);
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

/// One diagnostic as JSON, for editors and CI.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    /// `error` or `warning`.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// Path relative to the archive root.
    pub file: Option<String>,
    /// One-based line of the span start.
    pub line: Option<usize>,
    /// One-based column (in characters) of the span start.
    pub column: Option<usize>,
    /// One-based line of the span end.
    pub end_line: Option<usize>,
    /// One-based column of the span end.
    pub end_column: Option<usize>,
    /// The offending text.
    pub text: Option<String>,
    /// The whole line holding the span start.
    pub snippet: Option<String>,
    /// The label under the offending text.
    pub label: Option<String>,
    /// How to fix it.
    pub hint: Option<String>,
    /// Related places.
    pub related: Vec<JsonRelated>,
}

/// A related place, as JSON.
#[derive(Debug, Serialize)]
pub struct JsonRelated {
    /// Path relative to the archive root.
    pub file: String,
    /// One-based line.
    pub line: usize,
    /// One-based column.
    pub column: usize,
    /// What this place is.
    pub label: String,
}

impl From<&Diagnostic> for JsonDiagnostic {
    fn from(d: &Diagnostic) -> Self {
        let span = d.span.clone().unwrap_or(0..0);
        let start = d.file.as_ref().map(|f| f.line_col(span.start));
        let end = d.file.as_ref().map(|f| f.line_col(span.end));
        JsonDiagnostic {
            severity: d.severity,
            message: d.message.clone(),
            file: d.path(),
            line: start.map(|p| p.line),
            column: start.map(|p| p.column),
            end_line: end.map(|p| p.line),
            end_column: end.map(|p| p.column),
            text: d.file.as_ref().map(|f| f.slice(&span).to_string()),
            snippet: d.file.as_ref().map(|f| f.line_text(span.start).to_string()),
            label: d.label.clone(),
            hint: d.hint.clone(),
            related: d
                .related
                .iter()
                .map(|r| {
                    let at = r.file.line_col(r.span.start);
                    JsonRelated {
                        file: r.file.display_path(),
                        line: at.line,
                        column: at.column,
                        label: r.label.clone(),
                    }
                })
                .collect(),
        }
    }
}

/// Renders diagnostics as a JSON array.
pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    let items: Vec<JsonDiagnostic> = diagnostics.iter().map(JsonDiagnostic::from).collect();
    serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into())
}

/// Adapts a [`Diagnostic`] to miette's protocol for printing.
struct Report<'a> {
    diagnostic: &'a Diagnostic,
    source: Option<Snippets<'a>>,
    related: Vec<RelatedReport<'a>>,
}

impl<'a> Report<'a> {
    fn new(diagnostic: &'a Diagnostic) -> Self {
        Report {
            diagnostic,
            source: diagnostic.file.as_deref().map(Snippets::new),
            related: diagnostic.related.iter().map(RelatedReport::new).collect(),
        }
    }
}

/// A file as miette reads it to print a snippet, by its path as shown to
/// authors: what miette's `NamedSource` gives, without a copy of the file's
/// text for each diagnostic, and reading only from a few lines before the
/// snippet rather than from the start of the file.
struct Snippets<'a> {
    file: &'a SourceFile,
    name: String,
}

impl<'a> Snippets<'a> {
    fn new(file: &'a SourceFile) -> Self {
        Snippets {
            file,
            name: file.display_path(),
        }
    }
}

impl SourceCode for Snippets<'_> {
    /// What miette's own reading of the whole text gives (it counts lines from
    /// the start of the file up to the span): the same reading, of the text
    /// from the start of the first line of context, found in the file's line
    /// index, with lines and offsets moved by what comes before.
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let lines = self.file.lines();
        // miette's reading stops at the first line break at or after the
        // span's last byte: for an empty span at the start of a line, that is
        // the break before it, so the reading starts a line earlier.
        let last = (span.offset() + span.len()).saturating_sub(1);
        let (line, _) = lines.report_line_of(span.offset().min(last));
        let first = line.saturating_sub(context_lines_before);
        let start = lines.report_line_start(first);
        let window = self.file.text.as_bytes().get(start..).unwrap_or_default();
        let local = SourceSpan::from((span.offset() - start, span.len()));
        let contents = window.read_span(&local, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            contents.data(),
            SourceSpan::from((contents.span().offset() + start, contents.span().len())),
            contents.line() + first,
            contents.column(),
            contents.line_count() + first,
        )))
    }
}

/// Clamps a span to the file and keeps it on char boundaries, as miette expects.
fn safe_span(file: &Source, span: &Range<usize>) -> (usize, usize) {
    let text = &file.text;
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    (start, end - start)
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.diagnostic.fmt(f)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic
            .hint
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let file = self.diagnostic.file.as_ref()?;
        let span = self.diagnostic.span.clone().unwrap_or(0..0);
        let (offset, len) = safe_span(file, &span);
        let label = self.diagnostic.label.clone();
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(label, (offset, len)),
        )))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn miette::Diagnostic),
        ))
    }
}

/// A related place, printed as an advice with its own snippet.
struct RelatedReport<'a> {
    label: &'a str,
    source: Snippets<'a>,
    span: (usize, usize),
}

impl<'a> RelatedReport<'a> {
    fn new(related: &'a Related) -> Self {
        RelatedReport {
            label: &related.label,
            source: Snippets::new(&related.file),
            span: safe_span(&related.file, &related.span),
        }
    }
}

impl fmt::Debug for RelatedReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label)
    }
}

impl fmt::Display for RelatedReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label)
    }
}

impl std::error::Error for RelatedReport<'_> {}

impl miette::Diagnostic for RelatedReport<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(None, self.span),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    #[test]
    fn text_output_names_file_line_and_column_and_hint() {
        let file = SourceFile::new("content/stories/a.ann.toml", "x = 1\nspeaker = \"jame\"\n");
        let d = Diagnostic::error("unknown person `jame`")
            .at(&file, 16..22)
            .label("not in content/people/")
            .hint("did you mean `james`?");
        let text = render_text(
            &[d],
            TextStyle {
                color: false,
                width: 100,
            },
        );
        assert!(text.contains("content/stories/a.ann.toml:2:11"), "{text}");
        assert!(text.contains("unknown person `jame`"), "{text}");
        assert!(text.contains("did you mean `james`?"), "{text}");
    }

    /// What miette reads of a span, as plain values.
    type Read = Option<(Vec<u8>, (usize, usize), usize, usize, usize, Option<String>)>;

    fn read(source: &dyn SourceCode, span: (usize, usize), before: usize, after: usize) -> Read {
        let contents = source.read_span(&span.into(), before, after).ok()?;
        Some((
            contents.data().to_vec(),
            (contents.span().offset(), contents.span().len()),
            contents.line(),
            contents.column(),
            contents.line_count(),
            contents.name().map(str::to_string),
        ))
    }

    proptest::proptest! {
        #[test]
        fn snippets_read_what_miette_reads_from_the_whole_text(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec!["a", "bc", " ", "é", "\n", "\r", "\r\n", "\n\n"]),
                0..40,
            ),
            at in 0usize..100,
            len in 0usize..12,
            before in 0usize..3,
            after in 0usize..3,
        ) {
            let text = pieces.concat();
            let file = SourceFile::new("content/a.md", text.clone());
            // Spans within the text, as `safe_span` makes them (miette panics on
            // an empty one past the end).
            let span = (at.min(text.len()), len.min(text.len() - at.min(text.len())));
            let whole = miette::NamedSource::new("content/a.md", text);
            proptest::prop_assert_eq!(
                read(&Snippets::new(&file), span, before, after),
                read(&whole, span, before, after)
            );
        }
    }

    #[test]
    fn snippets_deep_in_a_file_print_as_from_the_whole_text() {
        let mut text = String::new();
        for i in 0..300 {
            text.push_str(&format!("line {i} said \"some words\"\r\n\n"));
        }
        let file = SourceFile::new("content/a.md", text.clone());
        let whole = miette::NamedSource::new("content/a.md", text.clone());
        let at = text.find("line 250 ").unwrap();
        for (before, after) in [(0, 0), (1, 1), (3, 2)] {
            assert_eq!(
                read(&Snippets::new(&file), (at + 5, 14), before, after),
                read(&whole, (at + 5, 14), before, after)
            );
        }
        let d = Diagnostic::warning("odd").at(&file, at + 5..at + 19);
        let text = render_text(
            &[d],
            TextStyle {
                color: false,
                width: 100,
            },
        );
        assert!(text.contains("content/a.md:501:6"), "{text}");
    }

    #[test]
    fn restoring_reads_each_file_once() {
        let story = SourceFile::new("content/stories/a.md", "one\ntwo \"three\"\n");
        let sidecar = SourceFile::new("content/stories/a.ann.toml", "x = 1\n");
        let stored: Vec<StoredDiagnostic> = (0..1000)
            .map(|i| {
                Diagnostic::warning(format!("warning {i}"))
                    .at(&story, 4..7)
                    .related(&sidecar, 0..1, "here")
                    .stored()
            })
            .collect();
        let reads = std::cell::Cell::new(0);
        let restored = restore_all(stored.clone(), |path| {
            reads.set(reads.get() + 1);
            [&story, &sidecar]
                .into_iter()
                .find(|f| f.display_path() == path)
                .map(|f| SourceFile::new(path, f.text.clone()))
        })
        .unwrap();
        assert_eq!(reads.get(), 2, "one read for each of the two files");
        assert_eq!(restored.len(), 1000);
        assert_eq!(restored[999].message, "warning 999");
        assert_eq!(
            restored[999].line_col(),
            Some(LineCol { line: 2, column: 1 })
        );
        assert_eq!(restored[0].related[0].file.text, "x = 1\n");
        // A file that cannot be read any more restores nothing.
        let none = restore_all(stored, |path| {
            (path == story.display_path()).then(|| story.clone())
        });
        assert!(none.is_none());
    }

    #[test]
    fn json_output_has_line_column_and_snippet() {
        let file = SourceFile::new("a.toml", "a = 1\nb = 2\n");
        let d = Diagnostic::warning("odd").at(&file, 6..7);
        let json = render_json(&[d]);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value[0]["line"], 2);
        assert_eq!(value[0]["column"], 1);
        assert_eq!(value[0]["snippet"], "b = 2");
        assert_eq!(value[0]["severity"], "warning");
    }
}

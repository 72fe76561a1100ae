//! Problems found in an archive: collected, never fail-fast, printed like rustc.
//!
//! A [`Diagnostic`] carries the file and byte span it is about; line and column
//! are computed only when it is printed (as text through miette, or as JSON).

use std::fmt;
use std::ops::Range;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};
use serde::Serialize;

use crate::source::{LineCol, Source};

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
    source: Option<NamedSource<String>>,
    related: Vec<RelatedReport>,
}

impl<'a> Report<'a> {
    fn new(diagnostic: &'a Diagnostic) -> Self {
        Report {
            diagnostic,
            source: diagnostic.file.as_ref().map(named_source),
            related: diagnostic.related.iter().map(RelatedReport::new).collect(),
        }
    }
}

fn named_source(file: &Source) -> NamedSource<String> {
    NamedSource::new(file.display_path(), file.text.clone())
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
#[derive(Debug)]
struct RelatedReport {
    label: String,
    source: NamedSource<String>,
    span: (usize, usize),
}

impl RelatedReport {
    fn new(related: &Related) -> Self {
        RelatedReport {
            label: related.label.clone(),
            source: named_source(&related.file),
            span: safe_span(&related.file, &related.span),
        }
    }
}

impl fmt::Display for RelatedReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

impl std::error::Error for RelatedReport {}

impl miette::Diagnostic for RelatedReport {
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

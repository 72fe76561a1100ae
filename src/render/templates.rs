//! The theme's Tera templates, compiled once per build. Tera 2 was chosen over
//! v1 because its errors name the template, line and column, which authors who
//! override a template need.

use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostics::Diagnostic;
use crate::load::theme::ThemeFiles;
use crate::source::Source;

/// The templates every theme must provide.
pub const REQUIRED: &[&str] = &[
    "index.html",
    "stories.html",
    "story.html",
    "people.html",
    "person.html",
    "person_list.html",
    "quotes.html",
    "quotes_by_speaker.html",
    "quote.html",
    "tags.html",
    "tag.html",
    "page.html",
    "timeline.html",
    "search.html",
    "404.html",
];

/// Room made for a page before it is rendered, unless told otherwise: most
/// pages fit (a quote's page is some 6 KB).
pub const PAGE_BYTES: usize = 16 * 1024;

/// Compiled templates.
#[derive(Debug)]
pub struct Templates {
    tera: Tera,
    sources: Vec<(String, Source)>,
}

impl Templates {
    /// Compiles the theme's templates; every problem becomes a diagnostic naming the file.
    pub fn compile(theme: &ThemeFiles) -> Result<Templates, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        let sources = theme
            .templates
            .iter()
            .map(|t| (t.name.as_str(), t.source.text.as_str()));
        let named: Vec<(String, Source)> = theme
            .templates
            .iter()
            .map(|t| (t.name.clone(), t.source.clone()))
            .collect();
        if let Err(err) = tera.add_raw_templates(sources) {
            return Err(vec![template_error(&named, &err)]);
        }
        let missing: Vec<Diagnostic> = REQUIRED
            .iter()
            .filter(|name| !tera.contains_template(name))
            .map(|name| {
                Diagnostic::error(format!("the theme has no `{name}` template")).hint(format!(
                    "add templates/{name} to the archive, or use a complete theme"
                ))
            })
            .collect();
        if !missing.is_empty() {
            return Err(missing);
        }
        Ok(Templates {
            tera,
            sources: named,
        })
    }

    /// Renders template `name` with `site`, `page` and one more named value,
    /// into the bytes of the page: Tera writes UTF-8, and a page goes to a
    /// file as bytes, so they are not checked again on the way (that check was
    /// a hundredth of a build). `room` is the bytes the page is expected to
    /// take ([`PAGE_BYTES`] if unknown): a page that outgrows its room is
    /// copied into twice the room, and again.
    pub fn render<V: Serialize>(
        &self,
        name: &str,
        site: &impl Serialize,
        page: &impl Serialize,
        key: &'static str,
        value: &V,
        room: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut context = Context::new();
        context.insert("site", site);
        context.insert("page", page);
        context.insert(key, value);
        let mut bytes = Vec::with_capacity(room);
        self.tera
            .render_to(name, &context, &mut bytes)
            .map_err(|err| template_error(&self.sources, &err))?;
        Ok(bytes)
    }
}

/// A Tera error as a diagnostic pointing at the template's file, line and column.
fn template_error(sources: &[(String, Source)], err: &tera::Error) -> Diagnostic {
    let mut report = err.to_string();
    let mut cause = std::error::Error::source(err);
    while let Some(c) = cause {
        report.push_str(&format!("\n{c}"));
        cause = c.source();
    }
    let first = report
        .lines()
        .next()
        .unwrap_or("")
        .trim_start_matches("error: ")
        .to_string();
    // Tera 2 reports ` --> NAME:LINE:COL`.
    let location = report
        .lines()
        .find_map(|l| l.trim().strip_prefix("--> "))
        .and_then(|at| {
            let mut parts = at.rsplitn(3, ':');
            let column: usize = parts.next()?.trim().parse().ok()?;
            let line: usize = parts.next()?.trim().parse().ok()?;
            Some((parts.next()?.to_string(), line, column))
        });
    let found = location.as_ref().and_then(|(name, line, column)| {
        let (_, source) = sources.iter().find(|(n, _)| n == name)?;
        Some((source.clone(), offset_of(&source.text, *line, *column)))
    });
    match found {
        Some((source, at)) => Diagnostic::error(format!("template error: {first}"))
            .at(&source, at..at + 1)
            .hint("template variables are listed in docs/templates.md"),
        None => Diagnostic::error(format!("template error: {first}")).hint(report),
    }
}

/// Byte offset of a one-based line and column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let line_text = &text[start.min(text.len())..];
    start
        + line_text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(0, |(b, _)| b)
}

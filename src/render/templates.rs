//! The theme's Tera templates, compiled once per build. Tera 2 was chosen over
//! v1 because its errors name the template, line and column, which authors who
//! override a template need.

use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostics::Diagnostic;
use crate::load::theme::ThemeFiles;

/// The templates every theme must provide.
pub const REQUIRED: &[&str] = &[
    "index.html",
    "stories.html",
    "story.html",
    "people.html",
    "person.html",
    "quotes.html",
    "quotes_by_speaker.html",
    "quote.html",
    "tags.html",
    "tag.html",
    "page.html",
    "404.html",
];

/// Compiled templates.
#[derive(Debug)]
pub struct Templates {
    tera: Tera,
    paths: Vec<(String, String)>,
}

impl Templates {
    /// Compiles the theme's templates; every problem becomes a diagnostic naming the file.
    pub fn compile(theme: &ThemeFiles) -> Result<Templates, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        let sources = theme
            .templates
            .iter()
            .map(|t| (t.name.as_str(), t.source.text.as_str()));
        let paths: Vec<(String, String)> = theme
            .templates
            .iter()
            .map(|t| (t.name.clone(), t.source.display_path()))
            .collect();
        if let Err(err) = tera.add_raw_templates(sources) {
            return Err(vec![template_error(&paths, &err)]);
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
        Ok(Templates { tera, paths })
    }

    /// Renders template `name` with `site`, `page` and one more named value.
    pub fn render<V: Serialize>(
        &self,
        name: &str,
        site: &impl Serialize,
        page: &impl Serialize,
        key: &'static str,
        value: &V,
    ) -> Result<String, Diagnostic> {
        let mut context = Context::new();
        context.insert("site", site);
        context.insert("page", page);
        context.insert(key, value);
        self.tera
            .render(name, &context)
            .map_err(|err| template_error(&self.paths, &err))
    }
}

fn template_error(paths: &[(String, String)], err: &tera::Error) -> Diagnostic {
    let mut report = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        report.push_str(&format!("\n{cause}"));
        source = cause.source();
    }
    // Show template names as the files authors edit.
    for (name, path) in paths {
        if name != path {
            report = report.replace(&format!("{name}:"), &format!("{path}:"));
        }
    }
    let file = paths
        .iter()
        .find(|(name, _)| report.contains(name.as_str()) || report.contains(name))
        .map(|(_, p)| p.clone());
    let message = match file {
        Some(file) => format!("template error in {file}"),
        None => "template error".to_string(),
    };
    Diagnostic::error(message).hint(report)
}

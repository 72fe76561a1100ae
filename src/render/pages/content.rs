//! Content pages (`content/pages/NAME.md` → `/NAME/`) and the 404 page.

use crate::anchor::text::visible_text;
use crate::diagnostics::Diagnostic;
use crate::render::annotate::annotate;
use crate::render::common::{base_path, Renderer};
use crate::render::views::*;
use crate::write::OutputFile;

impl Renderer<'_> {
    /// A content page, `content/pages/NAME.md` at `NAME/`.
    pub(in crate::render) fn content_page(
        &self,
        page: &crate::load::PageFile,
    ) -> Result<OutputFile, Diagnostic> {
        let path = format!("{}/", page.name);
        let meta = self.meta(
            "page",
            &page.front.title,
            page.front.description.as_deref().unwrap_or(""),
            &path,
        );
        let text = visible_text(
            page.markdown(),
            0,
            crate::markdown::options(&self.archive.config.markdown),
        );
        let content = ContentPage {
            title: page.front.title.clone(),
            html: annotate(&text, &[], &meta.root, self.highlighter),
        };
        self.page("page.html", meta, "content", &content)
    }

    /// The 404 page, `404.html`.
    pub(in crate::render) fn not_found(&self) -> Result<OutputFile, Diagnostic> {
        // Served at any depth, so its links start from the site's absolute path.
        let mut meta = self.meta("404", "Page not found", "", "404.html");
        meta.root = base_path(self.base_url);
        meta.canonical = format!("{}404.html", self.base_url);
        self.page("404.html", meta, "missing", &())
    }
}

//! The timeline's pages: the overview and a page for each year.

use crate::diagnostics::Diagnostic;
use crate::render::charts;
use crate::render::common::*;
use crate::write::OutputFile;

impl Renderer<'_> {
    /// The timeline's pages (only the one at path `only`, if given).
    pub(in crate::render) fn timeline(
        &self,
        only: Option<&str>,
    ) -> Vec<Result<OutputFile, Diagnostic>> {
        charts::timeline_pages(self.archive, self.cards)
            .into_iter()
            .filter(|(path, _)| only.is_none_or(|p| p == path))
            .map(|(path, timeline)| {
                let (title, description) = match &timeline.year {
                    None => (
                        "Timeline".to_string(),
                        "Every month of the archive with its number of stories, and a page for each year."
                            .to_string(),
                    ),
                    Some(year) => (
                        format!("Timeline: {}", year.year),
                        format!("The stories of {} by month.", year.year),
                    ),
                };
                let meta = self.meta("timeline", &title, &description, &path);
                self.page("timeline.html", meta, "timeline", &timeline)
            })
            .collect()
    }
}

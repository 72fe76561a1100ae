//! The home page: the latest stories, the most-quoted people, the newest quotes.

use crate::diagnostics::Diagnostic;
use crate::render::charts;
use crate::render::common::Renderer;
use crate::render::views::*;
use crate::render::{feeds, jsonld};
use crate::write::OutputFile;

/// Items in each list of the home page.
const HOME_ITEMS: usize = 8;

impl Renderer<'_> {
    /// The home page, `index.html`.
    pub(in crate::render) fn home(&self) -> Result<OutputFile, Diagnostic> {
        let mut most_quoted: Vec<&Shown<PersonCard>> = self
            .cards
            .people
            .iter()
            .filter(|p| p.quote_count > 0)
            .collect();
        most_quoted.sort_by(|a, b| b.quote_count.cmp(&a.quote_count).then(a.name.cmp(&b.name)));
        let mut home = HomePage {
            latest: self
                .cards
                .stories
                .iter()
                .take(HOME_ITEMS)
                .cloned()
                .collect(),
            most_quoted: most_quoted.into_iter().take(HOME_ITEMS).cloned().collect(),
            recent_quotes: self
                .quotes_newest_first()
                .into_iter()
                .take(HOME_ITEMS)
                .map(|q| self.cards.quotes[q.0].clone())
                .collect(),
            chart_svg: None,
        };
        home.chart_svg = charts::most_quoted_svg(&home.most_quoted, "");
        let mut meta = self.meta("home", &self.site.title, &self.site.description, "");
        meta.feed = feeds::archive_feed(&self.archive.config);
        meta.json_ld = Some(jsonld::website(self.archive, self.base_url));
        self.page("index.html", meta, "home", &home)
    }
}

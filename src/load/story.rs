//! Stories: `content/stories/**/NAME.md` with front matter and a Markdown body.

use std::ops::Range;

use chrono::NaiveDate;
use serde::Deserialize;

use super::parse::find_key_value;
use super::sidecar::SidecarFile;
use crate::date::{self, Date};
use crate::diagnostics::Diagnostic;
use crate::source::Source;

/// A story's front matter, as the author wrote it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoryFront {
    /// The headline.
    pub title: String,
    /// When it was published.
    pub date: Date,
    /// When it was last changed.
    #[serde(default)]
    pub updated: Option<Date>,
    /// The publication it appeared in.
    #[serde(default)]
    pub source: Option<String>,
    /// The original's address.
    #[serde(default)]
    pub url: Option<String>,
    /// Who wrote it.
    #[serde(default)]
    pub authors: Vec<String>,
    /// Topics.
    #[serde(default)]
    pub tags: Vec<String>,
    /// A summary; the first paragraph when absent.
    #[serde(default)]
    pub summary: Option<String>,
    /// The story's id and URL segment; the file stem when absent.
    #[serde(default)]
    pub slug: Option<String>,
    /// A draft is published only with `--drafts`.
    #[serde(default)]
    pub draft: bool,
}

/// A story file, parsed: front matter, where its body is, and its sidecar.
#[derive(Debug, Clone)]
pub struct StoryFile {
    /// The Markdown file.
    pub source: Source,
    /// Its front matter.
    pub front: StoryFront,
    /// The story's id: its `slug`, or its file stem.
    pub slug: String,
    /// Byte span in `source` of the value that set the slug (or the file start).
    pub slug_span: Range<usize>,
    /// Byte range of the Markdown body in `source`.
    pub body: Range<usize>,
    /// The annotation sidecar, if the story has one that parsed.
    pub sidecar: Option<SidecarFile>,
}

impl StoryFile {
    /// The Markdown body.
    pub fn markdown(&self) -> &str {
        &self.source.text[self.body.clone()]
    }

    /// The problems of the story's dates and of its quotes' `said`: a year
    /// outside [`date::STORY_YEARS`] and `updated` before `date` are errors; a
    /// `date` implausible on `today` (the day of the check) is a warning.
    pub fn date_diagnostics(&self, today: NaiveDate) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        let date = &self.front.date;
        let date_at = self.value_span("date");
        let date_ok = self.check_year("date", date, &mut found);
        let mut implausible = false;
        if date_ok {
            if let Some(why) = date::implausibility(date, today) {
                implausible = true;
                found.push(
                    Diagnostic::warning(format!("`date` {date} {why}"))
                        .at(&self.source, date_at.clone())
                        .label("when the story was published")
                        .hint(plausible_hint()),
                );
            }
        }
        if let Some(updated) = &self.front.updated {
            let at = self.value_span("updated");
            if self.check_year("updated", updated, &mut found) && date_ok {
                if updated.is_before(date) {
                    found.push(
                        Diagnostic::error(format!(
                            "`updated` {updated} is earlier than `date` {date}"
                        ))
                        .at(&self.source, at)
                        .label("earlier than the story was published")
                        .related(&self.source, date_at.clone(), "published here")
                        .hint("`updated` is when the story was last changed, so it cannot come before `date`, when it was published: swap them if they are the wrong way round, or fix the year"),
                    );
                } else if let (false, Some(why)) =
                    (implausible, date::implausibility(updated, today))
                {
                    found.push(
                        Diagnostic::warning(format!("`updated` {updated} {why}"))
                            .at(&self.source, at)
                            .label("when the story was last changed")
                            .hint(plausible_hint()),
                    );
                }
            }
        }
        if let (Some(sidecar), true) = (&self.sidecar, date_ok) {
            let (latest, key) = match &self.front.updated {
                Some(updated) if !updated.is_before(date) => (updated, "updated"),
                _ => (date, "date"),
            };
            found.extend(sidecar.said_diagnostics(latest, &self.source, self.value_span(key)));
        }
        found
    }

    /// Adds an error to `found` when `value`, the story's `key`, has a year
    /// outside [`date::STORY_YEARS`]; whether it is inside.
    fn check_year(&self, key: &str, value: &Date, found: &mut Vec<Diagnostic>) -> bool {
        let Some(message) = date::year_outside(key, value, &date::STORY_YEARS) else {
            return true;
        };
        found.push(
            Diagnostic::error(message)
                .at(&self.source, self.value_span(key))
                .hint(format!("write the day the story was {} as YYYY-MM-DD with a four-digit year, such as 2025-03-14: a story cannot be older than the year {} (and the year 0000 is no calendar year)",
                    if key == "date" { "published" } else { "last changed" },
                    date::STORY_YEARS.start())),
        );
        false
    }

    /// The span of the value of a front matter key, or the file's start.
    fn value_span(&self, key: &str) -> Range<usize> {
        find_key_value(&self.source, 0..self.body.start, key).unwrap_or(0..0)
    }
}

/// The hint of the warnings about an implausible story date.
fn plausible_hint() -> String {
    format!(
        "check the year: a story dated before {}, or more than {} months after the day of the check, is allowed but is most often a typo",
        date::PLAUSIBLE_FROM_YEAR,
        date::PLAUSIBLE_MONTHS_AHEAD
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::frontmatter;
    use crate::load::sidecar::Sidecar;
    use crate::source::SourceFile;

    /// A story of `front` (TOML lines) with a sidecar of `sidecar`, if given.
    fn story(front: &str, sidecar: Option<&str>) -> StoryFile {
        let source = SourceFile::new("a.md", format!("+++\ntitle = \"A\"\n{front}+++\nBody.\n"));
        let parts = frontmatter::split(&source).unwrap();
        let front: StoryFront = frontmatter::parse(&source, &parts).unwrap();
        let sidecar = sidecar.map(|text| {
            let source = SourceFile::new("a.ann.toml", text);
            let sidecar: Sidecar = toml::from_str(text).unwrap();
            SidecarFile { source, sidecar }
        });
        StoryFile {
            source,
            front,
            slug: "a".into(),
            slug_span: 0..0,
            body: parts.body,
            sidecar,
        }
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    /// (severity is error, message, the text pointed at) of each diagnostic.
    fn found(story: &StoryFile, today: &str) -> Vec<(bool, String, String)> {
        story
            .date_diagnostics(day(today))
            .into_iter()
            .map(|d| {
                let at = d
                    .file
                    .as_ref()
                    .unwrap()
                    .slice(d.span.as_ref().unwrap())
                    .to_string();
                (d.is_error(), d.message, at)
            })
            .collect()
    }

    #[test]
    fn a_story_a_year_ahead_of_the_check_is_fine_and_a_day_more_is_not() {
        let s = story("date = 2031-06-30\n", None);
        assert!(found(&s, "2030-06-30").is_empty());
        assert_eq!(
            found(&s, "2030-06-29"),
            [(
                false,
                "`date` 2031-06-30 is more than a year after today".into(),
                "2031-06-30".into()
            )]
        );
        // A date-time is judged by its day.
        let s = story("date = 2031-06-30T23:59:00Z\n", None);
        assert!(found(&s, "2030-06-30").is_empty());
    }

    #[test]
    fn early_story_years_warn_and_impossible_ones_are_errors() {
        let s = story("date = 1799-12-31\n", None);
        assert_eq!(
            found(&s, "2025-01-01")[0].1,
            "`date` 1799-12-31 is before the year 1800"
        );
        assert!(found(&story("date = 1800-01-01\n", None), "2025-01-01").is_empty());
        let s = story("date = 0999-12-31\n", None);
        assert_eq!(
            found(&s, "2025-01-01"),
            [(
                true,
                "`date` has the year 999, outside the years 1000 to 9999".into(),
                "0999-12-31".into()
            )]
        );
        let s = story("date = 2025-01-01\nupdated = \"0000-01-01\"\n", None);
        assert_eq!(found(&s, "2025-01-01")[0].2, "\"0000-01-01\"");
    }

    #[test]
    fn updated_may_not_come_before_date_but_may_share_its_day() {
        let s = story("date = 2025-03-14T09:30:00Z\nupdated = 2025-03-14\n", None);
        assert!(found(&s, "2025-04-01").is_empty());
        let s = story(
            "date = 2025-03-14T09:30:00Z\nupdated = 2025-03-14T09:00:00Z\n",
            None,
        );
        let errors = found(&s, "2025-04-01");
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].0 && errors[0].1.contains("earlier than `date`"),
            "{errors:?}"
        );
        assert_eq!(errors[0].2, "2025-03-14T09:00:00Z");
        // Far ahead, the warning is about `date` alone.
        let s = story("date = 3000-01-01\nupdated = 3000-02-01\n", None);
        assert_eq!(found(&s, "2025-01-01").len(), 1);
    }

    #[test]
    fn a_quote_said_after_the_story_is_an_error_unless_the_story_was_updated_since() {
        let sidecar = "[[quote]]\nspeaker = \"a\"\ntext = \"x\"\nsaid = 2025-03-20\n\n[[quote]]\nspeaker = \"a\"\ntext = \"y\"\nsaid = 2025-03-10\n";
        let s = story("date = 2025-03-14\n", Some(sidecar));
        let errors = found(&s, "2025-04-01");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].2, "2025-03-20");
        assert!(errors[0]
            .1
            .contains("after the story that reports it (2025-03-14)"));
        let s = story("date = 2025-03-14\nupdated = 2025-03-20\n", Some(sidecar));
        assert!(found(&s, "2025-04-01").is_empty());
        let s = story("date = 2025-03-14\nupdated = 2025-03-19\n", Some(sidecar));
        assert!(found(&s, "2025-04-01")[0].1.contains("(2025-03-19)"));
    }
}

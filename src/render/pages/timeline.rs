//! The timeline's pages: the overview and a page for each year.

use crate::diagnostics::Diagnostic;
use std::collections::BTreeMap;

use crate::index::Archive;
use crate::render::cards::Cards;
use crate::render::charts::{is_every_month, timeline_svg, TimelineBar};
use crate::render::common::Renderer;
use crate::render::periods::{layout, Month, Period, Slot};
use crate::render::views::{MonthCount, TimelineMonth, TimelinePage, TimelineYear};
use crate::write::OutputFile;

impl Renderer<'_> {
    /// The timeline's pages (only the one at path `only`, if given).
    pub(in crate::render) fn timeline(
        &self,
        only: Option<&str>,
    ) -> Vec<Result<OutputFile, Diagnostic>> {
        timeline_pages(self.archive, self.cards)
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

/// The timeline's pages by path: the overview (`timeline/`: the chart, its
/// numbers and the years), then a page per year with its stories by month.
pub fn timeline_pages(archive: &Archive, cards: &Cards) -> Vec<(String, TimelinePage)> {
    let mut by_month: BTreeMap<Month, Vec<usize>> = BTreeMap::new();
    // Stories are newest first: walk them backwards for oldest first.
    for (i, entry) in archive.stories.iter().enumerate().rev() {
        let month = Month::of(entry.story.story.front.date.day);
        by_month.entry(month).or_default().push(i);
    }
    if by_month.is_empty() {
        let empty = TimelinePage {
            chart_svg: None,
            months: Vec::new(),
            years: Vec::new(),
            year: None,
        };
        return vec![(TIMELINE.to_string(), empty)];
    }
    let counts: BTreeMap<Month, usize> = by_month.iter().map(|(m, s)| (*m, s.len())).collect();
    let bars = timeline_bars(&counts);
    let mut years: Vec<TimelineYear> = Vec::new();
    for (month, stories) in &by_month {
        let entry = TimelineMonth {
            month: month.iso(),
            name: month.name(),
            anchor: month_anchor(*month),
            stories: stories.iter().map(|&i| cards.stories[i].clone()).collect(),
        };
        match years.last_mut() {
            Some(year) if year.year == month.year.to_string() => {
                year.count += stories.len();
                year.months.push(entry);
            }
            _ => years.push(TimelineYear {
                year: month.year.to_string(),
                anchor: format!("y-{}", month.year),
                path: year_path(month.year),
                count: stories.len(),
                months: vec![entry],
            }),
        }
    }
    let listed: Vec<TimelineYear> = years
        .iter()
        .map(|y| TimelineYear {
            months: Vec::new(),
            ..y.clone()
        })
        .collect();
    // The chart's numbers: every month of a chart of months, else (a chart
    // of a long span) the months with stories.
    let listed_months: Vec<(Month, usize)> = if is_every_month(&bars) {
        bars.iter()
            .filter_map(|slot| match slot {
                Slot::Bar(period, bar) => Some((period.first, bar.count)),
                Slot::Gap(..) => None,
            })
            .collect()
    } else {
        counts.iter().map(|(m, n)| (*m, *n)).collect()
    };
    let overview = TimelinePage {
        chart_svg: timeline_svg(&bars),
        months: listed_months
            .into_iter()
            .map(|(month, count)| MonthCount {
                month: month.iso(),
                name: month.name(),
                count,
                anchor: (count > 0).then(|| month_anchor(month)),
                path: (count > 0).then(|| year_path(month.year)),
            })
            .collect(),
        years: listed.clone(),
        year: None,
    };
    let mut pages = vec![(TIMELINE.to_string(), overview)];
    pages.extend(years.into_iter().map(|year| {
        let page = TimelinePage {
            chart_svg: None,
            months: Vec::new(),
            years: listed.clone(),
            year: Some(year),
        };
        (
            page.year
                .as_ref()
                .map_or_else(String::new, |y| y.path.clone()),
            page,
        )
    }));
    pages
}

/// The timeline's bars for months with the given story counts: the slots of
/// [`layout`], each bar with stories linked to its place on a year's page.
fn timeline_bars(counts: &BTreeMap<Month, usize>) -> Vec<Slot<TimelineBar>> {
    layout(counts)
        .into_iter()
        .map(|slot| match slot {
            Slot::Bar(period, count) => {
                let href = (count > 0).then(|| timeline_href(period, counts));
                Slot::Bar(period, TimelineBar { count, href })
            }
            Slot::Gap(from, to) => Slot::Gap(from, to),
        })
        .collect()
}

/// Where a bar of the timeline with stories links to from the overview,
/// `timeline/`: a month to its section on its year's page (`2025/#m-2025-03`),
/// a longer period to the page of its first year with stories (`1801/`).
fn timeline_href(period: Period, counts: &BTreeMap<Month, usize>) -> String {
    if period.is_month() {
        return format!("{}/#{}", period.first.year, month_anchor(period.first));
    }
    let year = counts
        .range(period.first..)
        .next()
        .map_or(period.first.year, |(month, _)| month.year);
    format!("{year}/")
}

/// The path of the timeline's overview.
pub const TIMELINE: &str = "timeline/";

/// The path of a year's page of the timeline: `timeline/2025/`.
pub fn year_path(year: i32) -> String {
    format!("{TIMELINE}{year}/")
}

/// The years the timeline has a page for (those with stories), oldest first.
pub fn timeline_years(archive: &Archive) -> Vec<i32> {
    let years: std::collections::BTreeSet<i32> = archive
        .stories
        .iter()
        .map(|entry| Month::of(entry.story.story.front.date.day).year)
        .collect();
    years.into_iter().collect()
}

/// The id of a month's section on the timeline page: `m-2025-03`.
pub fn month_anchor(month: Month) -> String {
    format!("m-{}", month.iso())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::periods;

    fn month(year: i32, month: u32) -> Month {
        Month { year, month }
    }

    #[test]
    fn a_timeline_of_1801_and_2026_is_as_small_as_its_data() {
        let counts: BTreeMap<Month, usize> = [(month(1801, 5), 1), (month(2026, 3), 2)]
            .into_iter()
            .collect();
        let svg = timeline_svg(&timeline_bars(&counts)).unwrap();
        // Two bars and a gap, where a bar a month was 2,700 bars.
        assert_eq!(svg.matches("<rect class=\"bar").count(), 2, "{svg}");
        assert_eq!(svg.matches("<g class=\"gap\">").count(), 1);
        assert!(svg.contains("<title>No stories from June 1801 to February 2026</title>"));
        assert!(svg.contains("<a href=\"1801/#m-1801-05\""));
        assert!(svg.len() < 4_000, "{} bytes", svg.len());
        assert!(svg.contains("Stories per month, May 1801 to March 2026"));

        // The widest span with a story in every year between: bars of decades.
        let mut every_year: BTreeMap<Month, usize> =
            (1000..=9999).map(|y| (month(y, 1), 1)).collect();
        every_year.insert(month(9999, 12), 1);
        let slots = timeline_bars(&every_year);
        let svg = timeline_svg(&slots).unwrap();
        let bars = svg.matches("<rect class=\"bar").count();
        assert!(bars <= periods::MAX_SLOTS, "{bars} bars");
        assert!(svg.len() < 120_000, "{} bytes", svg.len());
        assert!(
            svg.contains("<title>1000\u{2013}1099: 100 stories</title>"),
            "{svg}"
        );
        assert!(svg.contains("<a href=\"1000/\""));
    }

    #[test]
    fn long_axes_are_labelled_by_round_years_with_room_between() {
        let yearly: BTreeMap<Month, usize> = (1800..=2026).map(|y| (month(y, 6), 1)).collect();
        let svg = timeline_svg(&timeline_bars(&yearly)).unwrap();
        let (_, axis) = svg.split_once("<g class=\"axis\"").unwrap();
        let years: Vec<&str> = axis
            .split("<text class=\"year\"")
            .skip(1)
            .filter_map(|t| {
                t.split_once('>')
                    .and_then(|(_, r)| r.split_once('<'))
                    .map(|(y, _)| y)
            })
            .collect();
        // 227 bars of 2.96 units: a label every 20 years (59 units apart).
        assert_eq!(years.first(), Some(&"1800"));
        assert!(
            years.contains(&"1820") && years.contains(&"2020"),
            "{years:?}"
        );
        assert!(!years.contains(&"1810"), "{years:?}");
    }
}

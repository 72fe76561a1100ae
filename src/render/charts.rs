//! Charts drawn at build time as SVG: stories per month for `/timeline/`, a
//! person's stories and quotes per month, and the most-quoted people.
//!
//! Each function returns an inline `<svg>` element (well-formed XML, no
//! script) with `role="img"`, a `<title>` and a `<desc>` naming it through
//! `aria-labelledby`, and every bar titled with its number. Colours come from
//! the theme's stylesheet (`.chart …` classes), so light, dark and print
//! palettes apply. Coordinates are in the `viewBox`; the stylesheet scales the
//! chart to the width of its container. Templates pair each chart with its
//! numbers as text (a visually hidden table, or a visible list).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::cards::Cards;
use super::views::{
    MonthActivity, MonthCount, PersonCard, Shown, TimelineMonth, TimelinePage, TimelineYear,
};
use crate::date::MONTH_NAMES;
use crate::index::{Archive, PersonId};
use crate::load::QuoteStatus;

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    /// The year.
    pub year: i32,
    /// The month, 1–12.
    pub month: u32,
}

impl Month {
    /// The month a day falls in.
    pub fn of(day: NaiveDate) -> Month {
        Month {
            year: day.year(),
            month: day.month(),
        }
    }

    /// The month after this one.
    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// `YYYY-MM`, a valid HTML month string (for `<time datetime>`).
    pub fn iso(self) -> String {
        match (u32::try_from(self.year), self.month) {
            // Every chart row and timeline month has one: no formatting machinery.
            (Ok(year @ 0..=9999), month @ 1..=12) => {
                let (year, month) = (u64::from(year), u64::from(month));
                let mut iso = String::with_capacity(7);
                for c in [year / 1000, year / 100, year / 10, year] {
                    iso.push(digit(c));
                }
                iso.push('-');
                iso.push(digit(month / 10));
                iso.push(digit(month));
                iso
            }
            _ => format!("{:04}-{:02}", self.year, self.month),
        }
    }

    /// `March 2025`.
    pub fn name(self) -> String {
        let mut name = String::with_capacity(15);
        self.push_name(&mut name);
        name
    }

    /// Appends [`Month::name`] to `out`.
    fn push_name(self, out: &mut String) {
        out.push_str(self.full_name());
        out.push(' ');
        if self.year < 0 {
            out.push('-');
        }
        out.int(self.year.unsigned_abs().into());
    }

    /// Months since January of year 0: consecutive months have consecutive numbers.
    fn number(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }

    fn full_name(self) -> &'static str {
        MONTH_NAMES[(self.month.clamp(1, 12) - 1) as usize]
    }

    fn short_name(self) -> &'static str {
        &self.full_name()[..3]
    }
}

/// Every month from `first` to `last`, both included (empty when `last` is earlier).
pub fn month_range(first: Month, last: Month) -> Vec<Month> {
    let mut months = Vec::new();
    let mut month = first;
    while month <= last {
        months.push(month);
        month = month.next();
    }
    months
}

/// One bar of the timeline: a month, its story count and, when it has stories,
/// where its bar links to (`#m-2025-03`).
#[derive(Debug, Clone)]
pub struct MonthBar {
    /// The month.
    pub month: Month,
    /// How many stories.
    pub count: usize,
    /// The link target of the bar, if any.
    pub href: Option<String>,
}

const TIMELINE_WIDTH: f64 = 720.0;
const TIMELINE_HEIGHT: f64 = 230.0;
/// Months up to which every bar gets a month label; past that only years do.
const LABEL_EVERY_MONTH: usize = 24;

/// The stories-per-month bar chart of `/timeline/`: one bar per month from the
/// first to the last, in order; a month without stories has a bar of zero height
/// and no link. `None` when there are no months.
pub fn timeline_svg(bars: &[MonthBar]) -> Option<String> {
    let (first, last) = (bars.first()?, bars.last()?);
    let total: usize = bars.iter().map(|b| b.count).sum();
    let busiest = bars
        .iter()
        .max_by_key(|b| (b.count, std::cmp::Reverse(b.month)))?;
    let title = format!(
        "Stories per month, {} to {}",
        first.month.name(),
        last.month.name()
    );
    let desc = format!(
        "A bar chart of {total} {} over {} {}; the most in one month is {} ({}). The numbers are listed in the table after the chart.",
        plural(total, "story", "stories"),
        bars.len(),
        plural(bars.len(), "month", "months"),
        busiest.count,
        busiest.month.name()
    );
    let plot = Plot {
        left: 40.0,
        right: TIMELINE_WIDTH - 8.0,
        top: 14.0,
        bottom: TIMELINE_HEIGHT - 42.0,
    };
    let max = bars.iter().map(|b| b.count).max().unwrap_or(0);
    let axis = Axis::new(max);
    let mut svg = String::new();
    open_svg(
        &mut svg,
        "chart chart-timeline",
        TIMELINE_WIDTH,
        TIMELINE_HEIGHT,
        "timeline-chart",
        &title,
        &desc,
    );
    grid(&mut svg, &plot, &axis);
    let slot = plot.width() / bars.len() as f64;
    let width = (slot * 0.8).max(1.0);
    svg.push_str("<g class=\"bars\">");
    for (i, bar) in bars.iter().enumerate() {
        let x = plot.left + slot * i as f64 + (slot - width) / 2.0;
        let height = plot.height() * bar.count as f64 / axis.top as f64;
        // Not a tab stop: the page's month headings are the keyboard route.
        if let Some(href) = &bar.href {
            svg.put("<a href=\"")
                .escaped(href)
                .put("\" tabindex=\"-1\">");
        }
        svg.put("<rect class=\"bar")
            .put(if bar.count == 0 { " empty" } else { "" })
            .put("\" x=\"")
            .num(x)
            .put("\" y=\"")
            .num(plot.bottom - height)
            .put("\" width=\"")
            .num(width)
            .put("\" height=\"")
            .num(height)
            .put("\"><title>");
        bar.month.push_name(&mut svg);
        svg.put(": ")
            .int(bar.count as u64)
            .put(" ")
            .put(plural(bar.count, "story", "stories"))
            .put("</title></rect>");
        if bar.href.is_some() {
            svg.put("</a>");
        }
    }
    svg.push_str("</g>");
    month_labels(&mut svg, &plot, bars.iter().map(|b| b.month), slot);
    svg.push_str("</svg>");
    Some(svg)
}

/// A person's stories and quotes in one month.
#[derive(Debug, Clone, Copy)]
pub struct Activity {
    /// The month.
    pub month: Month,
    /// Stories they appear in, published that month.
    pub stories: usize,
    /// Their quotes said that month.
    pub quotes: usize,
}

const ACTIVITY_WIDTH: f64 = 560.0;
const ACTIVITY_HEIGHT: f64 = 170.0;

/// A person's stories and quotes per month, as pairs of bars (stories, then
/// quotes) in the slots of `months` (every month from the first to the last,
/// in order). A count of zero draws no bar: most people's months are empty,
/// and their zero-height bars were most of their page. `None` when there are
/// no months.
pub fn activity_svg(name: &str, months: &[Activity]) -> Option<String> {
    let (first, last) = (months.first()?, months.last()?);
    let stories: usize = months.iter().map(|m| m.stories).sum();
    let quotes: usize = months.iter().map(|m| m.quotes).sum();
    let span = if first.month == last.month {
        format!("in {}", first.month.name())
    } else {
        format!("from {} to {}", first.month.name(), last.month.name())
    };
    let title = format!("{name}: stories and quotes per month, {span}");
    let desc = format!(
        "A bar chart with two bars a month: stories {name} appears in ({stories} in all) and quotes by {name} ({quotes} in all), {span}. The numbers are listed in the table after the chart."
    );
    let plot = Plot {
        left: 32.0,
        right: ACTIVITY_WIDTH - 6.0,
        top: 26.0,
        bottom: ACTIVITY_HEIGHT - 38.0,
    };
    let max = months
        .iter()
        .map(|m| m.stories.max(m.quotes))
        .max()
        .unwrap_or(0);
    let axis = Axis::new(max);
    // A person's page has one: a month's pair of bars is about 230 bytes, and
    // its labels (drawn for short ranges only) about 80 more.
    let mut svg = String::with_capacity(1200 + title.len() + desc.len() + 320 * months.len());
    open_svg(
        &mut svg,
        "chart chart-activity",
        ACTIVITY_WIDTH,
        ACTIVITY_HEIGHT,
        "activity-chart",
        &title,
        &desc,
    );
    legend(&mut svg, plot.right);
    grid(&mut svg, &plot, &axis);
    let slot = plot.width() / months.len() as f64;
    let width = (slot * 0.4).clamp(1.0, 18.0);
    // A bar's top and height depend only on its count (of at most `max`):
    // their attributes are written once for each count drawn.
    let mut sizes: Vec<Option<String>> = vec![None; max + 1];
    let size = |count: usize| {
        let height = plot.height() * count as f64 / axis.top as f64;
        let mut size = String::with_capacity(48);
        size.put("\" y=\"")
            .num(plot.bottom - height)
            .put("\" width=\"")
            .num(width)
            .put("\" height=\"")
            .num(height)
            .put("\"><title>");
        size
    };
    let mut month_name = String::new();
    svg.put("<g class=\"bars\">");
    for (i, m) in months.iter().enumerate() {
        let centre = plot.left + slot * (i as f64 + 0.5);
        // A month's name is letters, digits and a space: nothing to escape.
        month_name.clear();
        m.month.push_name(&mut month_name);
        for (class, count, x, (one, many)) in [
            (
                "bar stories",
                m.stories,
                centre - width,
                ("story", "stories"),
            ),
            ("bar quotes", m.quotes, centre, ("quote", "quotes")),
        ] {
            if count == 0 {
                continue;
            }
            svg.put("<rect class=\"").put(class).put("\" x=\"").num(x);
            match sizes.get_mut(count) {
                Some(cached) => svg.put(cached.get_or_insert_with(|| size(count))),
                // Not reached: no count is above `max`.
                None => svg.put(&size(count)),
            };
            svg.put(&month_name)
                .put(": ")
                .int(count as u64)
                .put(" ")
                .put(plural(count, one, many))
                .put("</title></rect>");
        }
    }
    svg.put("</g>");
    month_labels(&mut svg, &plot, months.iter().map(|m| m.month), slot);
    svg.put("</svg>");
    Some(svg)
}

/// One row of the most-quoted chart.
#[derive(Debug, Clone)]
pub struct RankRow {
    /// The person's name.
    pub name: String,
    /// Their quote count.
    pub count: usize,
    /// Their page, relative to the page the chart is on.
    pub href: String,
}

const RANK_WIDTH: f64 = 360.0;
const RANK_ROW: f64 = 26.0;
const RANK_LABEL: f64 = 150.0;
/// Longest name drawn in full; longer ones are cut (the bar's title has it all).
const RANK_NAME_CHARS: usize = 22;

/// The most-quoted people as horizontal bars, longest first, each linking to
/// the person's page. `None` when there are no rows.
pub fn ranking_svg(rows: &[RankRow]) -> Option<String> {
    let top = rows.iter().map(|r| r.count).max()?;
    let height = RANK_ROW * rows.len() as f64 + 8.0;
    let list: Vec<String> = rows
        .iter()
        .map(|r| format!("{} {}", r.name, r.count))
        .collect();
    let desc = format!("A bar chart of quotes per person: {}.", list.join(", "));
    let mut svg = String::new();
    open_svg(
        &mut svg,
        "chart chart-ranking",
        RANK_WIDTH,
        height,
        "ranking-chart",
        "Most-quoted people",
        &desc,
    );
    let bar_space = RANK_WIDTH - RANK_LABEL - 36.0;
    svg.push_str("<g class=\"bars\">");
    for (i, row) in rows.iter().enumerate() {
        let y = 4.0 + RANK_ROW * i as f64;
        let width = (bar_space * row.count as f64 / top as f64).max(1.0);
        let label = shorten(&row.name, RANK_NAME_CHARS);
        svg.put("<a href=\"")
            .escaped(&row.href)
            .put("\" tabindex=\"-1\"><text class=\"label\" x=\"")
            .num(RANK_LABEL - 6.0)
            .put("\" y=\"")
            .num(y + RANK_ROW / 2.0 + 4.0)
            .put("\" text-anchor=\"end\">")
            .escaped(&label)
            .put("</text><rect class=\"bar\" x=\"")
            .num(RANK_LABEL)
            .put("\" y=\"")
            .num(y + 4.0)
            .put("\" width=\"")
            .num(width)
            .put("\" height=\"")
            .num(RANK_ROW - 8.0)
            .put("\"><title>")
            .escaped(&row.name)
            .put(": ")
            .int(row.count as u64)
            .put(" ")
            .put(plural(row.count, "quote", "quotes"))
            .put("</title></rect><text class=\"value\" x=\"")
            .num(RANK_LABEL + width + 5.0)
            .put("\" y=\"")
            .num(y + RANK_ROW / 2.0 + 4.0)
            .put("\">")
            .int(row.count as u64)
            .put("</text></a>");
    }
    svg.push_str("</g></svg>");
    Some(svg)
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
    let (Some(&first), Some(&last)) = (by_month.keys().next(), by_month.keys().next_back()) else {
        let empty = TimelinePage {
            chart_svg: None,
            months: Vec::new(),
            years: Vec::new(),
            year: None,
        };
        return vec![(TIMELINE.to_string(), empty)];
    };
    let bars: Vec<MonthBar> = month_range(first, last)
        .into_iter()
        .map(|month| {
            let count = by_month.get(&month).map_or(0, Vec::len);
            MonthBar {
                month,
                count,
                // From the overview, `timeline/`: the month on its year's page.
                href: (count > 0).then(|| format!("{}/#{}", month.year, month_anchor(month))),
            }
        })
        .collect();
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
    let overview = TimelinePage {
        chart_svg: timeline_svg(&bars),
        months: bars
            .iter()
            .map(|bar| MonthCount {
                month: bar.month.iso(),
                name: bar.month.name(),
                count: bar.count,
                anchor: (bar.count > 0).then(|| month_anchor(bar.month)),
                path: (bar.count > 0).then(|| year_path(bar.month.year)),
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

/// A person's chart and its numbers: stories they appear in (by publication
/// month) and their quotes, verified or disputed (by the month said), drawn
/// over every month from the first to the last and listed for the months that
/// have either. `(None, [])` when they have neither.
pub fn person_activity(archive: &Archive, id: PersonId) -> (Option<String>, Vec<MonthActivity>) {
    let entry = &archive.people[id.0];
    // Each story's month (`false`) and quote's (`true`), walked once.
    let dated: Vec<(Month, bool)> = entry
        .stories
        .iter()
        .map(|&(story, _)| {
            let day = archive.stories[story.0].story.story.front.date.day;
            (Month::of(day), false)
        })
        .chain(entry.quotes_by.iter().filter_map(|q| {
            let quote = &archive.quotes[q.0].quote;
            (quote.status != QuoteStatus::Misattributed).then(|| (Month::of(quote.said.day), true))
        }))
        .collect();
    let (Some(first), Some(last)) = (
        dated.iter().map(|d| d.0).min(),
        dated.iter().map(|d| d.0).max(),
    ) else {
        return (None, Vec::new());
    };
    // Counted in place: the months are consecutive, so a month's place is its
    // distance from the first.
    let mut months: Vec<Activity> = month_range(first, last)
        .into_iter()
        .map(|month| Activity {
            month,
            stories: 0,
            quotes: 0,
        })
        .collect();
    for (month, is_quote) in dated {
        let place = usize::try_from(month.number() - first.number()).ok();
        if let Some(activity) = place.and_then(|place| months.get_mut(place)) {
            if is_quote {
                activity.quotes += 1;
            } else {
                activity.stories += 1;
            }
        }
    }
    let svg = activity_svg(&entry.file.front.name, &months);
    (svg, activity_rows(&months))
}

/// The rows of a person's chart table: the months with a story or a quote.
fn activity_rows(months: &[Activity]) -> Vec<MonthActivity> {
    months
        .iter()
        .filter(|m| m.stories + m.quotes > 0)
        .map(|m| MonthActivity {
            month: m.month.iso(),
            name: m.month.name(),
            stories: m.stories,
            quotes: m.quotes,
        })
        .collect()
}

/// The home page's chart of the most-quoted people (as listed beside it), linking
/// to their pages from a page whose root is `root`.
pub fn most_quoted_svg(people: &[Shown<PersonCard>], root: &str) -> Option<String> {
    let rows: Vec<RankRow> = people
        .iter()
        .filter(|p| p.quote_count > 0)
        .map(|p| RankRow {
            name: p.name.clone(),
            count: p.quote_count,
            href: format!("{root}{}", p.path),
        })
        .collect();
    ranking_svg(&rows)
}

/// The plotting area, in viewBox units.
struct Plot {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

impl Plot {
    fn width(&self) -> f64 {
        self.right - self.left
    }
    fn height(&self) -> f64 {
        self.bottom - self.top
    }
}

/// A value axis from 0 to `top` in whole steps of 1, 2 or 5 × 10ⁿ, at most five ticks.
struct Axis {
    top: usize,
    step: usize,
}

impl Axis {
    fn new(max: usize) -> Axis {
        let mut step = 1;
        'search: for scale in [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000] {
            for unit in [1, 2, 5] {
                step = unit * scale;
                if max.div_ceil(step) <= 4 {
                    break 'search;
                }
            }
        }
        let top = (max.div_ceil(step) * step).max(step);
        Axis { top, step }
    }
}

/// Opens an `<svg>` element in `svg`, with its title and description.
fn open_svg(
    svg: &mut String,
    class: &str,
    width: f64,
    height: f64,
    id: &str,
    title: &str,
    desc: &str,
) {
    svg.put("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"")
        .put(class)
        .put("\" viewBox=\"0 0 ")
        .num(width)
        .put(" ")
        .num(height)
        .put("\" width=\"")
        .num(width)
        .put("\" height=\"")
        .num(height)
        .put("\" role=\"img\" aria-labelledby=\"")
        .put(id)
        .put("-title ")
        .put(id)
        .put("-desc\"><title id=\"")
        .put(id)
        .put("-title\">")
        .escaped(title)
        .put("</title><desc id=\"")
        .put(id)
        .put("-desc\">")
        .escaped(desc)
        .put("</desc>");
}

/// Horizontal grid lines with their values, and the baseline.
fn grid(svg: &mut String, plot: &Plot, axis: &Axis) {
    svg.put("<g class=\"grid\" aria-hidden=\"true\">");
    let mut value = 0;
    while value <= axis.top {
        let y = plot.bottom - plot.height() * value as f64 / axis.top as f64;
        svg.put("<line class=\"")
            .put(if value == 0 { "baseline" } else { "gridline" })
            .put("\" x1=\"")
            .num(plot.left)
            .put("\" y1=\"")
            .num(y)
            .put("\" x2=\"")
            .num(plot.right)
            .put("\" y2=\"")
            .num(y)
            .put("\"/><text class=\"tick\" x=\"")
            .num(plot.left - 6.0)
            .put("\" y=\"")
            .num(y + 4.0)
            .put("\" text-anchor=\"end\">")
            .int(value as u64)
            .put("</text>");
        value += axis.step;
    }
    svg.put("</g>");
}

/// Month labels under the bars (every month for short ranges, else each
/// January), and the year under the first month and every January.
fn month_labels(svg: &mut String, plot: &Plot, months: impl Iterator<Item = Month>, slot: f64) {
    let months: Vec<Month> = months.collect();
    let every = months.len() <= LABEL_EVERY_MONTH;
    svg.put("<g class=\"axis\" aria-hidden=\"true\">");
    for (i, month) in months.iter().enumerate() {
        let x = plot.left + slot * (i as f64 + 0.5);
        if every {
            let label = if slot >= 26.0 {
                month.short_name()
            } else {
                &month.short_name()[..1]
            };
            svg.put("<text class=\"tick\" x=\"")
                .num(x)
                .put("\" y=\"")
                .num(plot.bottom + 15.0)
                .put("\" text-anchor=\"middle\">")
                .put(label)
                .put("</text>");
        }
        if i == 0 || month.month == 1 {
            let edge = plot.left + slot * i as f64;
            svg.put("<line class=\"year-mark\" x1=\"")
                .num(edge)
                .put("\" y1=\"")
                .num(plot.bottom)
                .put("\" x2=\"")
                .num(edge)
                .put("\" y2=\"")
                .num(plot.bottom + if every { 34.0 } else { 18.0 })
                .put("\"/><text class=\"year\" x=\"")
                .num(edge + 3.0)
                .put("\" y=\"")
                .num(plot.bottom + if every { 32.0 } else { 16.0 })
                .put("\">");
            if month.year < 0 {
                svg.put("-");
            }
            svg.int(month.year.unsigned_abs().into()).put("</text>");
        }
    }
    svg.put("</g>");
}

/// The legend of the activity chart, top right.
fn legend(svg: &mut String, right: f64) {
    svg.put("<g class=\"legend-key\" aria-hidden=\"true\"><rect class=\"bar stories\" x=\"")
        .num(right - 130.0)
        .put("\" y=\"6\" width=\"10\" height=\"10\"/><text class=\"tick\" x=\"")
        .num(right - 116.0)
        .put("\" y=\"15\">Stories</text><rect class=\"bar quotes\" x=\"")
        .num(right - 60.0)
        .put("\" y=\"6\" width=\"10\" height=\"10\"/><text class=\"tick\" x=\"")
        .num(right - 46.0)
        .put("\" y=\"15\">Quotes</text></g>");
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// Appends the decimal digits of `n`, first to last.
fn push_uint(out: &mut String, n: u64) {
    if n >= 10 {
        push_uint(out, n / 10);
    }
    out.push(digit(n));
}

/// The last decimal digit of `n`.
fn digit(n: u64) -> char {
    char::from(b'0' + (n % 10) as u8)
}

/// Appending chart markup piece by piece, without the formatting machinery: a
/// chart on every person's page has hundreds of numbers, and `write!` (or a
/// string for each) cost several times as much.
trait Markup {
    /// Appends `text` as it is.
    fn put(&mut self, text: &str) -> &mut Self;
    /// Appends a chart number (a coordinate): to hundredths, without trailing zeros.
    fn num(&mut self, value: f64) -> &mut Self;
    /// Appends a whole number.
    fn int(&mut self, n: u64) -> &mut Self;
    /// Appends `text` escaped for XML element content and attributes.
    fn escaped(&mut self, text: &str) -> &mut Self;
}

impl Markup for String {
    fn put(&mut self, text: &str) -> &mut Self {
        self.push_str(text);
        self
    }

    fn num(&mut self, value: f64) -> &mut Self {
        // Rounded to hundredths with integer arithmetic: formatting floats
        // with a precision is slow.
        let hundredths = (value * 100.0).round();
        if !hundredths.is_finite() || hundredths.abs() >= 1e15 {
            let text = format!("{value:.2}");
            return self.put(text.trim_end_matches('0').trim_end_matches('.'));
        }
        let hundredths = hundredths as i64;
        if hundredths < 0 {
            self.push('-');
        }
        let (whole, part) = (
            hundredths.unsigned_abs() / 100,
            hundredths.unsigned_abs() % 100,
        );
        push_uint(self, whole);
        if part != 0 {
            self.push('.');
            self.push(digit(part / 10));
            if part % 10 != 0 {
                self.push(digit(part));
            }
        }
        self
    }

    fn int(&mut self, n: u64) -> &mut Self {
        push_uint(self, n);
        self
    }

    fn escaped(&mut self, text: &str) -> &mut Self {
        push_escaped(self, text);
        self
    }
}

fn shorten(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        text.to_string()
    } else {
        let cut: String = text.chars().take(chars - 1).collect();
        format!("{}\u{2026}", cut.trim_end())
    }
}

/// Appends `text` to `out`, escaped for XML element content and double-quoted
/// attributes.
fn push_escaped(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
        out.push_str(&rest[..at]);
        out.push_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_to_hundredths_without_trailing_zeros() {
        for (value, text) in [
            (0.0, "0"),
            (1.0, "1"),
            (1.5, "1.5"),
            (2.25, "2.25"),
            (3.004, "3"),
            (3.006, "3.01"),
            (-0.5, "-0.5"),
            (-0.001, "0"),
            (120.1, "120.1"),
        ] {
            let mut written = String::new();
            written.num(value);
            assert_eq!(written, text, "{value}");
        }
    }

    fn month(year: i32, month: u32) -> Month {
        Month { year, month }
    }

    #[test]
    fn a_persons_empty_months_have_no_bars_and_no_rows() {
        let activity = |m: u32, stories, quotes| Activity {
            month: month(2020, m),
            stories,
            quotes,
        };
        let months = [
            activity(1, 2, 0),
            activity(2, 0, 0),
            activity(3, 0, 0),
            activity(4, 1, 3),
        ];
        let svg = activity_svg("Ana Example", &months).unwrap();
        // The bars, after the legend's key.
        let (_, bars) = svg.split_once("<g class=\"bars\">").unwrap();
        assert_eq!(bars.matches("<rect class=\"bar stories\"").count(), 2);
        assert_eq!(bars.matches("<rect class=\"bar quotes\"").count(), 1);
        assert!(svg.contains("<title>January 2020: 2 stories</title>"));
        assert!(svg.contains("<title>April 2020: 3 quotes</title>"));
        assert!(!svg.contains("February 2020"), "{svg}");
        // The empty months still take their slots: April is the fourth of four.
        assert!(svg.contains("from January 2020 to April 2020"));
        let rows = activity_rows(&months);
        let listed: Vec<_> = rows
            .iter()
            .map(|r| (r.month.as_str(), r.stories, r.quotes))
            .collect();
        assert_eq!(listed, [("2020-01", 2, 0), ("2020-04", 1, 3)]);
    }

    #[test]
    fn month_ranges_cross_years() {
        let range = month_range(month(2024, 11), month(2025, 2));
        let names: Vec<String> = range.iter().map(|m| m.iso()).collect();
        assert_eq!(names, ["2024-11", "2024-12", "2025-01", "2025-02"]);
        assert!(month_range(month(2025, 2), month(2025, 1)).is_empty());
        assert_eq!(month(2025, 3).name(), "March 2025");
    }

    #[test]
    fn month_texts_are_written_as_formatting_would() {
        for (year, m) in [(2025, 3), (2024, 12), (5, 1), (0, 10), (12345, 7), (-44, 3)] {
            let month = month(year, m);
            let name = MONTH_NAMES[m as usize - 1];
            assert_eq!(month.iso(), format!("{year:04}-{m:02}"));
            assert_eq!(month.name(), format!("{name} {year}"));
        }
    }

    #[test]
    fn axes_end_on_round_numbers() {
        let axis = |max| {
            let a = Axis::new(max);
            (a.top, a.step)
        };
        assert_eq!(axis(0), (1, 1));
        assert_eq!(axis(1), (1, 1));
        assert_eq!(axis(4), (4, 1));
        assert_eq!(axis(5), (6, 2));
        assert_eq!(axis(17), (20, 5));
        assert_eq!(axis(99), (100, 50));
    }

    #[test]
    fn empty_months_get_zero_height_bars_without_links() {
        let bars = [
            MonthBar {
                month: month(2025, 1),
                count: 2,
                href: Some("#m-2025-01".into()),
            },
            MonthBar {
                month: month(2025, 2),
                count: 0,
                href: None,
            },
        ];
        let svg = timeline_svg(&bars).unwrap();
        assert_eq!(svg.matches("<rect class=\"bar").count(), 2);
        assert!(svg.contains("class=\"bar empty\""));
        assert!(svg.contains("height=\"0\""));
        assert_eq!(svg.matches("<a href=").count(), 1);
        assert!(timeline_svg(&[]).is_none());
    }

    #[test]
    fn text_is_escaped() {
        let svg = ranking_svg(&[RankRow {
            name: "A <b> & \"C\"".into(),
            count: 3,
            href: "people/a/".into(),
        }])
        .unwrap();
        assert!(svg.contains("A &lt;b&gt; &amp; &quot;C&quot;"));
        assert!(!svg.contains("<b>"));
    }
}

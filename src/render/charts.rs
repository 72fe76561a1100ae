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
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};

use super::cards::Cards;
use super::views::{
    MonthActivity, MonthCount, PersonCard, Shown, TimelineMonth, TimelinePage, TimelineYear,
};
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

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

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
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// `March 2025`.
    pub fn name(self) -> String {
        format!("{} {}", self.full_name(), self.year)
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
    let mut svg = open_svg(
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
        let tip = format!(
            "{}: {} {}",
            bar.month.name(),
            bar.count,
            plural(bar.count, "story", "stories")
        );
        let rect = format!(
            "<rect class=\"bar{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{}</title></rect>",
            if bar.count == 0 { " empty" } else { "" },
            num(x),
            num(plot.bottom - height),
            num(width),
            num(height),
            escape(&tip)
        );
        match &bar.href {
            // Not a tab stop: the page's month headings are the keyboard route.
            Some(href) => {
                let _ = write!(
                    svg,
                    "<a href=\"{}\" tabindex=\"-1\">{rect}</a>",
                    escape(href)
                );
            }
            None => svg.push_str(&rect),
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
/// quotes) for every month of `months` (from the first to the last, in order).
/// `None` when there are no months.
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
    let mut svg = open_svg(
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
    svg.push_str("<g class=\"bars\">");
    for (i, m) in months.iter().enumerate() {
        let centre = plot.left + slot * (i as f64 + 0.5);
        // A month's name is letters, digits and a space: nothing to escape.
        let name = m.month.name();
        for (class, count, x, what) in [
            (
                "bar stories",
                m.stories,
                centre - width,
                ("story", "stories"),
            ),
            ("bar quotes", m.quotes, centre, ("quote", "quotes")),
        ] {
            let height = plot.height() * count as f64 / axis.top as f64;
            let _ = write!(
                svg,
                "<rect class=\"{class}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{name}: {count} {}</title></rect>",
                num(x),
                num(plot.bottom - height),
                num(width),
                num(height),
                plural(count, what.0, what.1)
            );
        }
    }
    svg.push_str("</g>");
    month_labels(&mut svg, &plot, months.iter().map(|m| m.month), slot);
    svg.push_str("</svg>");
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
    let mut svg = open_svg(
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
        let tip = format!(
            "{}: {} {}",
            row.name,
            row.count,
            plural(row.count, "quote", "quotes")
        );
        let _ = write!(
            svg,
            "<a href=\"{}\" tabindex=\"-1\"><text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{}</title></rect><text class=\"value\" x=\"{}\" y=\"{}\">{}</text></a>",
            escape(&row.href),
            num(RANK_LABEL - 6.0),
            num(y + RANK_ROW / 2.0 + 4.0),
            escape(&label),
            num(RANK_LABEL),
            num(y + 4.0),
            num(width),
            num(RANK_ROW - 8.0),
            escape(&tip),
            num(RANK_LABEL + width + 5.0),
            num(y + RANK_ROW / 2.0 + 4.0),
            row.count
        );
    }
    svg.push_str("</g></svg>");
    Some(svg)
}

/// The `/timeline/` page: the chart, its numbers, and the stories by year and month.
pub fn timeline_page(archive: &Archive, cards: &Cards) -> TimelinePage {
    let mut by_month: BTreeMap<Month, Vec<usize>> = BTreeMap::new();
    // Stories are newest first: walk them backwards for oldest first.
    for (i, entry) in archive.stories.iter().enumerate().rev() {
        let month = Month::of(entry.story.story.front.date.day);
        by_month.entry(month).or_default().push(i);
    }
    let (Some(&first), Some(&last)) = (by_month.keys().next(), by_month.keys().next_back()) else {
        return TimelinePage {
            chart_svg: None,
            months: Vec::new(),
            years: Vec::new(),
        };
    };
    let bars: Vec<MonthBar> = month_range(first, last)
        .into_iter()
        .map(|month| {
            let count = by_month.get(&month).map_or(0, Vec::len);
            MonthBar {
                month,
                count,
                href: (count > 0).then(|| format!("#{}", month_anchor(month))),
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
                count: stories.len(),
                months: vec![entry],
            }),
        }
    }
    TimelinePage {
        chart_svg: timeline_svg(&bars),
        months: bars
            .iter()
            .map(|bar| MonthCount {
                month: bar.month.iso(),
                name: bar.month.name(),
                count: bar.count,
                anchor: (bar.count > 0).then(|| month_anchor(bar.month)),
            })
            .collect(),
        years,
    }
}

/// The id of a month's section on the timeline page: `m-2025-03`.
pub fn month_anchor(month: Month) -> String {
    format!("m-{}", month.iso())
}

/// A person's chart and its numbers: stories they appear in (by publication
/// month) and their quotes, verified or disputed (by the month said), for every
/// month from the first to the last. `(None, [])` when they have neither.
pub fn person_activity(archive: &Archive, id: PersonId) -> (Option<String>, Vec<MonthActivity>) {
    let entry = &archive.people[id.0];
    let mut counts: BTreeMap<Month, (usize, usize)> = BTreeMap::new();
    for &(story, _) in &entry.stories {
        let day = archive.stories[story.0].story.story.front.date.day;
        counts.entry(Month::of(day)).or_default().0 += 1;
    }
    for q in &entry.quotes_by {
        let quote = &archive.quotes[q.0].quote;
        if quote.status != QuoteStatus::Misattributed {
            counts.entry(Month::of(quote.said.day)).or_default().1 += 1;
        }
    }
    let (Some(&first), Some(&last)) = (counts.keys().next(), counts.keys().next_back()) else {
        return (None, Vec::new());
    };
    let months: Vec<Activity> = month_range(first, last)
        .into_iter()
        .map(|month| {
            let (stories, quotes) = counts.get(&month).copied().unwrap_or_default();
            Activity {
                month,
                stories,
                quotes,
            }
        })
        .collect();
    let svg = activity_svg(&entry.file.front.name, &months);
    let rows = months
        .iter()
        .map(|m| MonthActivity {
            month: m.month.iso(),
            name: m.month.name(),
            stories: m.stories,
            quotes: m.quotes,
        })
        .collect();
    (svg, rows)
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

fn open_svg(class: &str, width: f64, height: f64, id: &str, title: &str, desc: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"{class}\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        num(width),
        num(height),
        num(width),
        num(height),
        escape(title),
        escape(desc)
    )
}

/// Horizontal grid lines with their values, and the baseline.
fn grid(svg: &mut String, plot: &Plot, axis: &Axis) {
    svg.push_str("<g class=\"grid\" aria-hidden=\"true\">");
    let mut value = 0;
    while value <= axis.top {
        let y = plot.bottom - plot.height() * value as f64 / axis.top as f64;
        let _ = write!(
            svg,
            "<line class=\"{}\" x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\"/><text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{value}</text>",
            if value == 0 { "baseline" } else { "gridline" },
            num(plot.left),
            num(plot.right),
            num(plot.left - 6.0),
            num(y + 4.0),
            y = num(y),
        );
        value += axis.step;
    }
    svg.push_str("</g>");
}

/// Month labels under the bars (every month for short ranges, else each
/// January), and the year under the first month and every January.
fn month_labels(svg: &mut String, plot: &Plot, months: impl Iterator<Item = Month>, slot: f64) {
    let months: Vec<Month> = months.collect();
    let every = months.len() <= LABEL_EVERY_MONTH;
    svg.push_str("<g class=\"axis\" aria-hidden=\"true\">");
    for (i, month) in months.iter().enumerate() {
        let x = plot.left + slot * (i as f64 + 0.5);
        if every {
            let label = if slot >= 26.0 {
                month.short_name()
            } else {
                &month.short_name()[..1]
            };
            let _ = write!(
                svg,
                "<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{label}</text>",
                num(x),
                num(plot.bottom + 15.0)
            );
        }
        if i == 0 || month.month == 1 {
            let edge = plot.left + slot * i as f64;
            let _ = write!(
                svg,
                "<line class=\"year-mark\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\"/><text class=\"year\" x=\"{}\" y=\"{}\">{}</text>",
                num(plot.bottom),
                num(plot.bottom + if every { 34.0 } else { 18.0 }),
                num(edge + 3.0),
                num(plot.bottom + if every { 32.0 } else { 16.0 }),
                month.year,
                x = num(edge),
            );
        }
    }
    svg.push_str("</g>");
}

/// The legend of the activity chart, top right.
fn legend(svg: &mut String, right: f64) {
    let _ = write!(
        svg,
        "<g class=\"legend-key\" aria-hidden=\"true\"><rect class=\"bar stories\" x=\"{}\" y=\"6\" width=\"10\" height=\"10\"/><text class=\"tick\" x=\"{}\" y=\"15\">Stories</text><rect class=\"bar quotes\" x=\"{}\" y=\"6\" width=\"10\" height=\"10\"/><text class=\"tick\" x=\"{}\" y=\"15\">Quotes</text></g>",
        num(right - 130.0),
        num(right - 116.0),
        num(right - 60.0),
        num(right - 46.0),
    );
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// A coordinate with at most two decimals and no trailing zeros.
fn num(value: f64) -> Num {
    Num(value)
}

/// A chart number, written to hundredths without trailing zeros, straight into
/// the chart (a chart on every person's page has hundreds of them: a string
/// each was a tenth of the charts' cost).
struct Num(f64);

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let value = self.0;
        // Rounded to hundredths with integer arithmetic: formatting floats
        // with a precision is slow.
        let hundredths = (value * 100.0).round();
        if !hundredths.is_finite() || hundredths.abs() >= 1e15 {
            let text = format!("{value:.2}");
            return f.write_str(text.trim_end_matches('0').trim_end_matches('.'));
        }
        let hundredths = hundredths as i64;
        let sign = if hundredths < 0 { "-" } else { "" };
        let (whole, part) = (hundredths.abs() / 100, hundredths.abs() % 100);
        match part {
            0 => write!(f, "{sign}{whole}"),
            p if p % 10 == 0 => write!(f, "{sign}{whole}.{}", p / 10),
            p => write!(f, "{sign}{whole}.{p:02}"),
        }
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

/// Escapes text for XML element content and double-quoted attributes.
fn escape(text: &str) -> String {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
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
            assert_eq!(num(value).to_string(), text, "{value}");
        }
    }

    fn month(year: i32, month: u32) -> Month {
        Month { year, month }
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

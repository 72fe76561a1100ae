//! Charts drawn at build time as SVG: stories per month for `/timeline/`, a
//! person's stories and quotes per month, and the most-quoted people. Over a
//! span too long for a bar a month, the time axis leaves out long empty
//! stretches and counts by years or longer ([`super::periods`]), so a chart's
//! size follows its data, not the distance between its dates.
//!
//! Each function returns an inline `<svg>` element (well-formed XML, no
//! script) with `role="img"`, a `<title>` and a `<desc>` naming it through
//! `aria-labelledby`, and every bar titled with its number. Colours come from
//! the theme's stylesheet (`.chart …` classes), so light, dark and print
//! palettes apply. Coordinates are in the `viewBox`; the stylesheet scales the
//! chart to the width of its container. Templates pair each chart with its
//! numbers as text (a visually hidden table, or a visible list).

use std::collections::BTreeMap;

use super::periods::{layout, Month, Period, Slot};
use super::svg::{shorten, Markup};
use super::views::{MonthActivity, PersonCard, Shown};
use crate::index::{Archive, PersonId};
use crate::load::QuoteStatus;

/// What a bar of the timeline shows: its story count and, when it has
/// stories, where it links to (`2025/#m-2025-03`, or a year's page `1801/`).
#[derive(Debug, Clone)]
pub struct TimelineBar {
    /// How many stories.
    pub count: usize,
    /// The link target of the bar, if any.
    pub href: Option<String>,
}

const TIMELINE_WIDTH: f64 = 720.0;
const TIMELINE_HEIGHT: f64 = 230.0;
/// Months up to which every bar gets a month label; past that only years do.
const LABEL_EVERY_MONTH: usize = 24;

/// The stories-per-month bar chart of `/timeline/`: a bar per slot of
/// [`layout`] (every month from the first to the last, for most archives),
/// in order; a period without stories has a bar of zero height and no link,
/// and a gap a mark on the axis. `None` when there are no slots.
pub fn timeline_svg(slots: &[Slot<TimelineBar>]) -> Option<String> {
    let (first, last) = (slots.first()?.period()?, slots.last()?.period()?);
    let bars = || {
        slots.iter().filter_map(|slot| match slot {
            Slot::Bar(period, bar) => Some((*period, bar)),
            Slot::Gap(..) => None,
        })
    };
    let total: usize = bars().map(|(_, b)| b.count).sum();
    let (busiest, most) = bars()
        .max_by_key(|(period, b)| (b.count, std::cmp::Reverse(period.first)))
        .map(|(period, b)| (period, b.count))?;
    let unit = first.unit();
    let title = format!("Stories per {unit}, {} to {}", first.name(), last.name());
    let desc = if is_every_month(slots) {
        format!(
            "A bar chart of {total} {} over {} {}; the most in one month is {most} ({}). The numbers are listed in the table after the chart.",
            plural(total, "story", "stories"),
            slots.len(),
            plural(slots.len(), "month", "months"),
            busiest.name()
        )
    } else {
        format!(
            "A bar chart of {total} {}, a bar a {unit}, from {} to {}{}; the most in one {unit} is {most} ({}). The numbers of the months with stories are listed in the table after the chart.",
            plural(total, "story", "stories"),
            first.name(),
            last.name(),
            gaps_note(slots, "stories"),
            busiest.name()
        )
    };
    let plot = Plot {
        left: 40.0,
        right: TIMELINE_WIDTH - 8.0,
        top: 14.0,
        bottom: TIMELINE_HEIGHT - 42.0,
    };
    let axis = Axis::new(most);
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
    let slot = plot.width() / slots.len() as f64;
    let width = (slot * 0.8).max(1.0);
    svg.push_str("<g class=\"bars\">");
    for (i, slot_at) in slots.iter().enumerate() {
        let (period, bar) = match slot_at {
            Slot::Bar(period, bar) => (period, bar),
            Slot::Gap(from, to) => {
                gap_mark(
                    &mut svg,
                    &plot,
                    slot * (i as f64 + 0.5),
                    from,
                    to,
                    "stories",
                );
                continue;
            }
        };
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
        push_period_name(&mut svg, *period);
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
    axis_labels(&mut svg, &plot, slots, slot);
    svg.push_str("</svg>");
    Some(svg)
}

/// Whether `slots` are a bar for every month from the first to the last, the
/// chart of most archives (no gap, no longer periods).
pub(super) fn is_every_month<T>(slots: &[Slot<T>]) -> bool {
    slots
        .iter()
        .all(|slot| slot.period().is_some_and(Period::is_month))
}

/// `; N stretches without stories are left out` when `slots` have gaps.
fn gaps_note<T>(slots: &[Slot<T>], what: &str) -> String {
    let gaps = slots.iter().filter(|s| s.period().is_none()).count();
    match gaps {
        0 => String::new(),
        1 => format!("; one long stretch without {what} is left out"),
        n => format!("; {n} long stretches without {what} are left out"),
    }
}

/// Appends the name of `period` (`March 2025`, `1801`, `1800–1809`).
fn push_period_name(out: &mut String, period: Period) {
    if period.is_month() {
        period.first.push_name(out);
    } else {
        out.push_str(&period.name());
    }
}

/// Marks a gap, at `centre` from the plot's left, as a break in the baseline
/// (two slanted strokes) titled with the periods it leaves out.
fn gap_mark(svg: &mut String, plot: &Plot, centre: f64, from: &Period, to: &Period, what: &str) {
    let x = plot.left + centre;
    let (low, high) = (plot.bottom + 5.0, plot.bottom - 5.0);
    svg.put("<g class=\"gap\"><title>No ")
        .put(what)
        .put(" from ")
        .put(&gap_name(from, to))
        .put("</title>");
    for dx in [-3.0, 1.0] {
        svg.put("<line class=\"year-mark\" x1=\"")
            .num(x + dx - 2.0)
            .put("\" y1=\"")
            .num(low)
            .put("\" x2=\"")
            .num(x + dx + 2.0)
            .put("\" y2=\"")
            .num(high)
            .put("\"/>");
    }
    svg.put("</g>");
}

/// `June 1801 to October 2025` for a gap of months, `1802 to 2014` for longer periods.
fn gap_name(from: &Period, to: &Period) -> String {
    if from.is_month() {
        format!("{} to {}", from.first.name(), to.first.name())
    } else {
        format!("{} to {}", from.first_year(), to.last_year())
    }
}

/// A person's stories and quotes in one period (a month, for most people).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Activity {
    /// Stories they appear in, published in it.
    pub stories: usize,
    /// Their quotes said in it.
    pub quotes: usize,
}

impl std::ops::AddAssign for Activity {
    fn add_assign(&mut self, other: Activity) {
        self.stories += other.stories;
        self.quotes += other.quotes;
    }
}

const ACTIVITY_WIDTH: f64 = 560.0;
const ACTIVITY_HEIGHT: f64 = 170.0;

/// A person's stories and quotes, as pairs of bars (stories, then quotes) in
/// the slots of [`layout`] (every month from the first to the last, for most
/// people), in order. A count of zero draws no bar: most people's months are
/// empty, and their zero-height bars were most of their page. `None` when
/// there are no slots.
pub fn activity_svg(name: &str, slots: &[Slot<Activity>]) -> Option<String> {
    let (first, last) = (slots.first()?.period()?, slots.last()?.period()?);
    let bars = || {
        slots.iter().filter_map(|slot| match slot {
            Slot::Bar(period, counts) => Some((*period, *counts)),
            Slot::Gap(..) => None,
        })
    };
    let stories: usize = bars().map(|(_, c)| c.stories).sum();
    let quotes: usize = bars().map(|(_, c)| c.quotes).sum();
    let unit = first.unit();
    let span = if first == last {
        format!("in {}", first.name())
    } else {
        format!("from {} to {}", first.name(), last.name())
    };
    let title = format!("{name}: stories and quotes per {unit}, {span}");
    let desc = format!(
        "A bar chart with two bars a {unit}: stories {name} appears in ({stories} in all) and quotes by {name} ({quotes} in all), {span}{}. The numbers are listed in the table after the chart.",
        gaps_note(slots, "stories or quotes")
    );
    let plot = Plot {
        left: 32.0,
        right: ACTIVITY_WIDTH - 6.0,
        top: 26.0,
        bottom: ACTIVITY_HEIGHT - 38.0,
    };
    let max = bars()
        .map(|(_, c)| c.stories.max(c.quotes))
        .max()
        .unwrap_or(0);
    let axis = Axis::new(max);
    // A person's page has one: a month's pair of bars is about 230 bytes, and
    // its labels (drawn for short ranges only) about 80 more.
    let mut svg = String::with_capacity(1200 + title.len() + desc.len() + 320 * slots.len());
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
    let slot = plot.width() / slots.len() as f64;
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
    let mut period_name = String::new();
    svg.put("<g class=\"bars\">");
    for (i, slot_at) in slots.iter().enumerate() {
        let centre = slot * (i as f64 + 0.5);
        let (period, counts) = match slot_at {
            Slot::Bar(period, counts) => (*period, *counts),
            Slot::Gap(from, to) => {
                gap_mark(&mut svg, &plot, centre, from, to, "stories or quotes");
                continue;
            }
        };
        let centre = plot.left + centre;
        // A period's name is letters, digits, a space or a dash: nothing to escape.
        period_name.clear();
        push_period_name(&mut period_name, period);
        for (class, count, x, (one, many)) in [
            (
                "bar stories",
                counts.stories,
                centre - width,
                ("story", "stories"),
            ),
            ("bar quotes", counts.quotes, centre, ("quote", "quotes")),
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
            svg.put(&period_name)
                .put(": ")
                .int(count as u64)
                .put(" ")
                .put(plural(count, one, many))
                .put("</title></rect>");
        }
    }
    svg.put("</g>");
    axis_labels(&mut svg, &plot, slots, slot);
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

/// A person's chart and its numbers: stories they appear in (by publication
/// month) and their quotes, verified or disputed (by the month said), drawn
/// over the slots of [`layout`] (every month from the first to the last, for
/// most people) and listed for the months that have either. `(None, [])`
/// when they have neither.
pub fn person_activity(archive: &Archive, id: PersonId) -> (Option<String>, Vec<MonthActivity>) {
    let entry = &archive.people[id.0];
    let mut by_month: BTreeMap<Month, Activity> = BTreeMap::new();
    for &(story, _) in &entry.stories {
        let day = archive.stories[story.0].story.story.front.date.day;
        by_month.entry(Month::of(day)).or_default().stories += 1;
    }
    for q in &entry.quotes_by {
        let quote = &archive.quotes[q.0].quote;
        if quote.status != QuoteStatus::Misattributed {
            by_month
                .entry(Month::of(quote.said.day))
                .or_default()
                .quotes += 1;
        }
    }
    let svg = activity_svg(&entry.file.front.name, &layout(&by_month));
    (svg, activity_rows(&by_month))
}

/// The rows of a person's chart table: the months with a story or a quote.
fn activity_rows(by_month: &BTreeMap<Month, Activity>) -> Vec<MonthActivity> {
    by_month
        .iter()
        .filter(|(_, a)| a.stories + a.quotes > 0)
        .map(|(month, a)| MonthActivity {
            month: month.iso(),
            name: month.name(),
            stories: a.stories,
            quotes: a.quotes,
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

/// The labels under the slots: [`month_labels`] when they are every month
/// from the first to the last, else [`period_labels`].
fn axis_labels<T>(svg: &mut String, plot: &Plot, slots: &[Slot<T>], slot: f64) {
    if is_every_month(slots) {
        let months = slots.iter().filter_map(|s| s.period().map(|p| p.first));
        month_labels(svg, plot, months, slot);
    } else {
        period_labels(svg, plot, slots, slot);
    }
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
            tick(svg, plot, x, *month, slot);
        }
        if i == 0 || month.month == 1 {
            year_mark(svg, plot, plot.left + slot * i as f64, every, month.year);
        }
    }
    svg.put("</g>");
}

/// A month's name (its initial when the slots are narrow) under its bar at `x`.
fn tick(svg: &mut String, plot: &Plot, x: f64, month: Month, slot: f64) {
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

/// A year's mark at `edge` and its number beside it; `below` the month
/// names when there are any.
fn year_mark(svg: &mut String, plot: &Plot, edge: f64, below: bool, year: i32) {
    svg.put("<line class=\"year-mark\" x1=\"")
        .num(edge)
        .put("\" y1=\"")
        .num(plot.bottom)
        .put("\" x2=\"")
        .num(edge)
        .put("\" y2=\"")
        .num(plot.bottom + if below { 34.0 } else { 18.0 })
        .put("\"/><text class=\"year\" x=\"")
        .num(edge + 3.0)
        .put("\" y=\"")
        .num(plot.bottom + if below { 32.0 } else { 16.0 })
        .put("\">");
    if year < 0 {
        svg.put("-");
    }
    svg.int(year.unsigned_abs().into()).put("</text>");
}

/// Least distance, in viewBox units, between two year labels of [`period_labels`].
const YEAR_LABEL_SPACE: f64 = 36.0;

/// The labels of an axis with gaps or longer periods than months: month
/// names under the bars when they are months and few; a year mark at the
/// first bar, at the first after a gap, and at each January (bars of months)
/// or each round year (longer bars: every 1, 2, 5, 10, 20, 50, … years, the
/// fewest that leaves room), each with its year; a mark too close to the one
/// before is left out.
fn period_labels<T>(svg: &mut String, plot: &Plot, slots: &[Slot<T>], slot: f64) {
    let every = slots.len() <= LABEL_EVERY_MONTH;
    let step = label_step(slots, slot);
    let mut last_mark: Option<f64> = None;
    let mut after_gap = true;
    svg.put("<g class=\"axis\" aria-hidden=\"true\">");
    for (i, slot_at) in slots.iter().enumerate() {
        let Some(period) = slot_at.period() else {
            after_gap = true;
            continue;
        };
        let x = plot.left + slot * (i as f64 + 0.5);
        if period.is_month() && every {
            tick(svg, plot, x, period.first, slot);
        }
        let round = if period.is_month() {
            period.first.month == 1
        } else {
            period.first_year().rem_euclid(step) == 0
        };
        let edge = plot.left + slot * i as f64;
        let room = last_mark.is_none_or(|mark| edge - mark >= YEAR_LABEL_SPACE);
        if (after_gap || round) && room {
            let below = period.is_month() && every;
            year_mark(svg, plot, edge, below, period.first_year());
            last_mark = Some(edge);
        }
        after_gap = false;
    }
    svg.put("</g>");
}

/// How many years apart the round years of [`period_labels`] are: the
/// fewest of 1, 2, 5, 10, 20, 50, … (a whole number of the bars' periods)
/// whose marks are [`YEAR_LABEL_SPACE`] apart.
fn label_step<T>(slots: &[Slot<T>], slot: f64) -> i32 {
    let per_bar = slots
        .iter()
        .find_map(Slot::period)
        .map_or(1, |p| i64::from(p.months / 12).max(1));
    let fits =
        |step: i64| step % per_bar == 0 && (step / per_bar) as f64 * slot >= YEAR_LABEL_SPACE;
    (0..12)
        .flat_map(|power| [1, 2, 5].map(|unit| unit * 10_i64.pow(power)))
        .find(|&step| fits(step))
        .and_then(|step| i32::try_from(step).ok())
        .unwrap_or(i32::MAX)
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

#[cfg(test)]
mod tests {
    use super::super::periods;
    use super::*;

    fn month(year: i32, month: u32) -> Month {
        Month { year, month }
    }

    fn activity(stories: usize, quotes: usize) -> Activity {
        Activity { stories, quotes }
    }

    #[test]
    fn a_persons_empty_months_have_no_bars_and_no_rows() {
        let by_month: BTreeMap<Month, Activity> = [
            (month(2020, 1), activity(2, 0)),
            (month(2020, 4), activity(1, 3)),
        ]
        .into_iter()
        .collect();
        let slots = layout(&by_month);
        assert_eq!(slots.len(), 4);
        let svg = activity_svg("Ana Example", &slots).unwrap();
        // The bars, after the legend's key.
        let (_, bars) = svg.split_once("<g class=\"bars\">").unwrap();
        assert_eq!(bars.matches("<rect class=\"bar stories\"").count(), 2);
        assert_eq!(bars.matches("<rect class=\"bar quotes\"").count(), 1);
        assert!(svg.contains("<title>January 2020: 2 stories</title>"));
        assert!(svg.contains("<title>April 2020: 3 quotes</title>"));
        assert!(!svg.contains("February 2020"), "{svg}");
        // The empty months still take their slots: April is the fourth of four.
        assert!(svg.contains("from January 2020 to April 2020"));
        let rows = activity_rows(&by_month);
        let listed: Vec<_> = rows
            .iter()
            .map(|r| (r.month.as_str(), r.stories, r.quotes))
            .collect();
        assert_eq!(listed, [("2020-01", 2, 0), ("2020-04", 1, 3)]);
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

    fn bar(month: Month, count: usize, href: Option<&str>) -> Slot<TimelineBar> {
        let period = Period {
            first: month,
            months: 1,
        };
        let href = href.map(str::to_string);
        Slot::Bar(period, TimelineBar { count, href })
    }

    #[test]
    fn empty_months_get_zero_height_bars_without_links() {
        let bars = [
            bar(month(2025, 1), 2, Some("#m-2025-01")),
            bar(month(2025, 2), 0, None),
        ];
        let svg = timeline_svg(&bars).unwrap();
        assert_eq!(svg.matches("<rect class=\"bar").count(), 2);
        assert!(svg.contains("class=\"bar empty\""));
        assert!(svg.contains("height=\"0\""));
        assert_eq!(svg.matches("<a href=").count(), 1);
        assert!(timeline_svg(&[]).is_none());
    }

    #[test]
    fn a_person_quoted_in_1801_and_2026_has_a_small_chart() {
        let by_month: BTreeMap<Month, Activity> = [
            (month(1801, 5), activity(0, 1)),
            (month(2026, 3), activity(1, 1)),
        ]
        .into_iter()
        .collect();
        let slots = layout(&by_month);
        let svg = activity_svg("Ana Example", &slots).unwrap();
        let (_, bars) = svg.split_once("<g class=\"bars\">").unwrap();
        assert_eq!(bars.matches("<rect class=\"bar").count(), 3);
        assert!(svg.contains("one long stretch without stories or quotes is left out"));
        assert!(svg.len() < 4_000, "{} bytes", svg.len());
        assert_eq!(activity_rows(&by_month).len(), 2);

        // Quoted every month for 800 years: bars of years, under the bound.
        let busy: BTreeMap<Month, Activity> = (1200 * 12..2000 * 12)
            .map(|n| (Month::from_number(n), activity(1, 1)))
            .collect();
        let svg = activity_svg("Ana Example", &layout(&busy)).unwrap();
        let rects = svg.matches("<rect class=\"bar").count() - 2; // less the legend's
        assert!(rects <= 2 * periods::MAX_SLOTS, "{rects} bars");
        assert!(svg.len() < 150_000, "{} bytes", svg.len());
        assert!(
            svg.contains(
                "stories and quotes per decade, from 1200\u{2013}1209 to 1990\u{2013}1999"
            ),
            "{svg}"
        );
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

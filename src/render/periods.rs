//! The time axis of a chart: which bars counts by month are drawn as.
//!
//! A bar a month, every month from the first to the last, while that is at
//! most [`MAX_SLOTS`] months: the charts of most archives. Over a longer span
//! long empty stretches are left out, each drawn as one gap; when the chart
//! is still too long a bar stands for a year, then a decade, a century and so
//! on. So a chart has at most [`MAX_SLOTS`] slots however far apart its
//! dates are (a story of 1801 and one of 2026 are both plausible), and its
//! size follows the data, not the span.

use std::collections::BTreeMap;
use std::ops::AddAssign;

use chrono::{Datelike, NaiveDate};

use super::svg::{digit, Markup};
use crate::date::MONTH_NAMES;

/// The most slots (bars and gaps) a chart's axis has: twenty years of months.
pub const MAX_SLOTS: usize = 240;

/// Empty bars in a row that a chart with gaps still draws; a longer run of
/// empty periods is one gap.
const LONGEST_EMPTY_RUN: i64 = 6;

/// A stretch of time one bar stands for: `months` months from `first` (a
/// month, a year, a decade, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// Its first month.
    pub first: Month,
    /// How many months it spans: 1, 12, 120, 1,200, ….
    pub months: u32,
}

impl Period {
    /// Whether a bar of this period is one month.
    pub fn is_month(self) -> bool {
        self.months == 1
    }

    /// The year it starts in.
    pub fn first_year(self) -> i32 {
        self.first.year
    }

    /// The year it ends in.
    pub fn last_year(self) -> i32 {
        Month::from_number(self.first.number() + i64::from(self.months) - 1).year
    }

    /// `March 2025`, `1801` or `1800–1809`.
    pub fn name(self) -> String {
        if self.is_month() {
            self.first.name()
        } else if self.months == 12 {
            self.first.year.to_string()
        } else {
            format!("{}\u{2013}{}", self.first.year, self.last_year())
        }
    }

    /// What one bar of this length is called: `month`, `year`, `decade`, ….
    pub fn unit(self) -> String {
        match self.months {
            1 => "month".into(),
            12 => "year".into(),
            120 => "decade".into(),
            1200 => "century".into(),
            12_000 => "millennium".into(),
            months => format!("{} years", months / 12),
        }
    }
}

/// One place along a chart's axis.
#[derive(Debug, Clone, PartialEq)]
pub enum Slot<T> {
    /// A bar: a period and what it counts (zero when it has nothing).
    Bar(Period, T),
    /// Empty periods left out, from the first to the last.
    Gap(Period, Period),
}

impl<T> Slot<T> {
    /// The period of a bar; `None` for a gap.
    pub fn period(&self) -> Option<Period> {
        match self {
            Slot::Bar(period, _) => Some(*period),
            Slot::Gap(..) => None,
        }
    }
}

/// The slots of a chart of `counts` (by month, in order): every month from
/// the first to the last when that is at most [`MAX_SLOTS`]; otherwise the
/// shortest periods (months, years, decades, …) whose slots, with runs of more
/// than [`LONGEST_EMPTY_RUN`] empty periods made gaps, are at most that many.
/// Empty when `counts` is.
pub fn layout<T: Copy + Default + AddAssign>(counts: &BTreeMap<Month, T>) -> Vec<Slot<T>> {
    let (Some(first), Some(last)) = (counts.keys().next(), counts.keys().next_back()) else {
        return Vec::new();
    };
    let (first, last) = (first.number(), last.number());
    let mut months: i64 = 1;
    loop {
        let span = last.div_euclid(months) - first.div_euclid(months) + 1;
        if span <= MAX_SLOTS as i64 {
            return every_period(counts, months);
        }
        let buckets = buckets(counts, months);
        if gapped_len(&buckets) <= MAX_SLOTS {
            return with_gaps(&buckets, months);
        }
        // Months, then years, then ten times as long each time: a period
        // longer than the whole span makes at most two bars.
        months = if months == 1 { 12 } else { months * 10 };
    }
}

/// The counts added up by period of `months` months: (the period's number
/// counted from year 0, its counts), in order.
fn buckets<T: Copy + Default + AddAssign>(
    counts: &BTreeMap<Month, T>,
    months: i64,
) -> Vec<(i64, T)> {
    let mut buckets: Vec<(i64, T)> = Vec::new();
    for (month, &count) in counts {
        let bucket = month.number().div_euclid(months);
        match buckets.last_mut() {
            Some((last, total)) if *last == bucket => *total += count,
            _ => buckets.push((bucket, count)),
        }
    }
    buckets
}

/// A bar for every period of `months` months from the first with counts to
/// the last.
fn every_period<T: Copy + Default + AddAssign>(
    counts: &BTreeMap<Month, T>,
    months: i64,
) -> Vec<Slot<T>> {
    let buckets = buckets(counts, months);
    let (Some(&(first, _)), Some(&(last, _))) = (buckets.first(), buckets.last()) else {
        return Vec::new();
    };
    let mut slots: Vec<Slot<T>> = (first..=last)
        .map(|bucket| Slot::Bar(period(bucket, months), T::default()))
        .collect();
    for (bucket, count) in buckets {
        if let Some(Slot::Bar(_, total)) = usize::try_from(bucket - first)
            .ok()
            .and_then(|i| slots.get_mut(i))
        {
            *total = count;
        }
    }
    slots
}

/// How many slots [`with_gaps`] makes of `buckets`.
fn gapped_len<T>(buckets: &[(i64, T)]) -> usize {
    let between: i64 = buckets
        .windows(2)
        .map(|pair| empty_slots(pair[1].0 - pair[0].0 - 1))
        .sum();
    buckets
        .len()
        .saturating_add(usize::try_from(between).unwrap_or(usize::MAX))
}

/// The slots a run of `empty` empty periods takes: one each, or one gap.
fn empty_slots(empty: i64) -> i64 {
    if empty > LONGEST_EMPTY_RUN {
        1
    } else {
        empty
    }
}

/// A bar for each of `buckets` and for the empty periods between two of them,
/// but one gap for each run of more than [`LONGEST_EMPTY_RUN`] empty periods.
fn with_gaps<T: Copy + Default>(buckets: &[(i64, T)], months: i64) -> Vec<Slot<T>> {
    let mut slots = Vec::with_capacity(gapped_len(buckets));
    let mut previous: Option<i64> = None;
    for &(bucket, count) in buckets {
        if let Some(previous) = previous {
            let (from, to) = (previous + 1, bucket - 1);
            if to - from + 1 > LONGEST_EMPTY_RUN {
                slots.push(Slot::Gap(period(from, months), period(to, months)));
            } else {
                slots.extend((from..=to).map(|b| Slot::Bar(period(b, months), T::default())));
            }
        }
        slots.push(Slot::Bar(period(bucket, months), count));
        previous = Some(bucket);
    }
    slots
}

/// The period numbered `bucket` among those of `months` months from year 0.
fn period(bucket: i64, months: i64) -> Period {
    Period {
        first: Month::from_number(bucket * months),
        months: u32::try_from(months).unwrap_or(u32::MAX),
    }
}

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
    pub(super) fn push_name(self, out: &mut String) {
        out.push_str(self.full_name());
        out.push(' ');
        if self.year < 0 {
            out.push('-');
        }
        out.int(self.year.unsigned_abs().into());
    }

    /// Months since January of year 0: consecutive months have consecutive numbers.
    pub fn number(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }

    /// The month numbered `number` by [`Month::number`].
    pub fn from_number(number: i64) -> Month {
        let year = number.div_euclid(12);
        Month {
            year: i32::try_from(year).unwrap_or(if year < 0 { i32::MIN } else { i32::MAX }),
            // 1 to 12.
            month: number.rem_euclid(12) as u32 + 1,
        }
    }

    pub(super) fn full_name(self) -> &'static str {
        MONTH_NAMES[(self.month.clamp(1, 12) - 1) as usize]
    }

    pub(super) fn short_name(self) -> &'static str {
        &self.full_name()[..3]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(year: i32, month: u32) -> Month {
        Month { year, month }
    }

    fn counts(months: &[(i32, u32, usize)]) -> BTreeMap<Month, usize> {
        months.iter().map(|&(y, m, n)| (month(y, m), n)).collect()
    }

    fn described(slots: &[Slot<usize>]) -> Vec<String> {
        slots
            .iter()
            .map(|slot| match slot {
                Slot::Bar(period, n) => format!("{} {n}", period.name()),
                Slot::Gap(from, to) => format!("gap {} to {}", from.name(), to.name()),
            })
            .collect()
    }

    #[test]
    fn a_short_span_has_a_bar_for_every_month() {
        let slots = layout(&counts(&[(2024, 11, 2), (2025, 2, 1)]));
        assert_eq!(
            described(&slots),
            [
                "November 2024 2",
                "December 2024 0",
                "January 2025 0",
                "February 2025 1"
            ]
        );
        // Twenty years of months is still every month, gaps and all.
        let slots = layout(&counts(&[(2005, 1, 1), (2024, 12, 1)]));
        assert_eq!(slots.len(), MAX_SLOTS);
        assert!(slots
            .iter()
            .all(|s| s.period().is_some_and(Period::is_month)));
        assert!(layout(&BTreeMap::<Month, usize>::new()).is_empty());
    }

    #[test]
    fn far_apart_months_keep_their_bars_with_a_gap_between() {
        let slots = layout(&counts(&[(1801, 5, 1), (2025, 11, 2), (2026, 1, 3)]));
        assert_eq!(
            described(&slots),
            [
                "May 1801 1",
                "gap June 1801 to October 2025",
                "November 2025 2",
                "December 2025 0",
                "January 2026 3"
            ]
        );
    }

    #[test]
    fn many_far_apart_months_are_counted_by_year_or_longer() {
        // A story every seventh month for 200 years: too many months even
        // with gaps, but 200 years fit.
        let mut many = BTreeMap::new();
        for i in 0..343 {
            many.insert(Month::from_number(1800 * 12 + i * 7), 1usize);
        }
        let slots = layout(&many);
        assert!(slots.len() <= MAX_SLOTS);
        assert!(slots
            .iter()
            .all(|s| s.period().is_some_and(|p| p.unit() == "year")));
        let total: usize = slots
            .iter()
            .map(|s| match s {
                Slot::Bar(_, n) => *n,
                Slot::Gap(..) => 0,
            })
            .sum();
        assert_eq!(total, 343);
        assert_eq!(slots[0].period().map(Period::name).as_deref(), Some("1800"));

        // One story a year for 1,000 years: decades.
        let yearly: BTreeMap<Month, usize> = (1000..2000).map(|y| (month(y, 6), 1)).collect();
        let slots = layout(&yearly);
        assert_eq!(slots.len(), 100);
        assert_eq!(
            described(&slots[..2]),
            ["1000\u{2013}1009 10", "1010\u{2013}1019 10"]
        );
    }

    #[test]
    fn the_widest_dates_make_a_short_axis() {
        let slots = layout(&counts(&[(0, 1, 1), (9999, 12, 1), (-262_000, 3, 1)]));
        assert_eq!(slots.len(), 5, "{:?}", described(&slots));
        let slots = layout(&counts(&[(1, 1, 1), (9999, 12, 1)]));
        assert_eq!(
            described(&slots),
            [
                "January 1 1",
                "gap February 1 to November 9999",
                "December 9999 1"
            ]
        );
    }

    #[test]
    fn periods_are_named_and_counted_in_whole_years() {
        let period = |first, months| Period { first, months };
        assert_eq!(period(month(2025, 3), 1).name(), "March 2025");
        assert_eq!(period(month(1801, 1), 12).name(), "1801");
        assert_eq!(period(month(1800, 1), 120).name(), "1800\u{2013}1809");
        assert_eq!(period(month(1800, 1), 1200).unit(), "century");
        assert_eq!(period(month(-100, 1), 120).last_year(), -91);
    }

    #[test]
    fn months_are_numbered_across_years() {
        for m in [month(2024, 12), month(2025, 1), month(0, 1), month(-44, 3)] {
            assert_eq!(Month::from_number(m.number()), m);
            assert_eq!(Month::from_number(m.number() + 1), m.next());
        }
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
}

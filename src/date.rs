//! Dates as authors write them: `2017-06-06`, or a full RFC 3339 date-time.
//!
//! Front matter may be TOML (where a date is a native value) or YAML (where it
//! is a string); [`Date`] accepts both and rejects impossible dates. The years
//! a date may have and the window a story's date is plausible in are here too,
//! with the checks of load that apply them.

use std::fmt;
use std::ops::RangeInclusive;

use chrono::{DateTime, Datelike, FixedOffset, Months, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

/// A calendar date with an optional time of day and offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    /// The day.
    pub day: NaiveDate,
    /// The exact moment, when the author gave a time.
    pub moment: Option<DateTime<FixedOffset>>,
}

impl Date {
    /// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM:SS[Z|±HH:MM]` or the same with a space.
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            if text.len() == 10 {
                return Some(Date { day, moment: None });
            }
        }
        if let Ok(moment) = DateTime::parse_from_rfc3339(text) {
            return Some(Date {
                day: moment.date_naive(),
                moment: Some(moment),
            });
        }
        for format in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M"] {
            if let Ok(local) = NaiveDateTime::parse_from_str(text, format) {
                let moment = local.and_utc().fixed_offset();
                return Some(Date {
                    day: local.date(),
                    moment: Some(moment),
                });
            }
        }
        None
    }

    /// The day as `YYYY-MM-DD`, as chrono's `%Y-%m-%d` writes it (pages, feeds
    /// and data files show a great many days: this skips chrono's formatting
    /// machinery for all of them but those outside the years 0 to 9999).
    pub fn iso_day(&self) -> String {
        let mut out = String::with_capacity(10);
        // Writing to a `String` does not fail.
        let _ = write_iso_day(&mut out, self.day);
        out
    }

    /// The moment, or midnight UTC of the day when no time was given.
    pub fn moment(&self) -> DateTime<FixedOffset> {
        self.moment
            .unwrap_or_else(|| self.day.and_time(NaiveTime::MIN).and_utc().fixed_offset())
    }

    /// Whether this date is earlier than `other`: by the moment when both
    /// give a time of day, else by the day (`2025-03-14` is not earlier than
    /// `2025-03-14T09:30:00Z`: a bare day covers the whole day).
    pub fn is_before(&self, other: &Date) -> bool {
        match (self.moment, other.moment) {
            (Some(a), Some(b)) => a < b,
            _ => self.day < other.day,
        }
    }

    /// The year of the day.
    pub fn year(&self) -> i32 {
        self.day.year()
    }
}

/// The years any date may have: those ISO 8601 and HTML write as four digits
/// without a sign, less year 0 (ISO's name for 1 BC, a year no calendar has).
/// A quote may be old and an office held long ago: these are only the years
/// the site can show.
pub const YEARS: RangeInclusive<i32> = 1..=9999;

/// The years a story's `date` and `updated` may have: no news story predates
/// the year 1000, so an earlier year is a mistake (`0000-01-01`, `0225-03-14`).
pub const STORY_YEARS: RangeInclusive<i32> = 1000..=9999;

/// A story dated before January 1 of this year is implausible: a warning.
pub const PLAUSIBLE_FROM_YEAR: i32 = 1800;

/// A story dated more than this many months after the day of the check is
/// implausible: a warning.
pub const PLAUSIBLE_MONTHS_AHEAD: u32 = 12;

/// Today's date (UTC), from the clock: what the plausibility of a story's date
/// is judged against. Checks take it as a value, so tests can pass their own.
pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// What is wrong when `date`, the value of `key`, has a year outside `years`.
pub fn year_outside(key: &str, date: &Date, years: &RangeInclusive<i32>) -> Option<String> {
    let year = date.year();
    (!years.contains(&year)).then(|| {
        format!(
            "`{key}` has the year {year}, outside the years {} to {}",
            years.start(),
            years.end()
        )
    })
}

/// Why a story's `date` is implausible, if it is: before
/// [`PLAUSIBLE_FROM_YEAR`], or more than [`PLAUSIBLE_MONTHS_AHEAD`] months
/// after `today`. The message does not name `today`, so that it reads the
/// same on any day.
pub fn implausibility(date: &Date, today: NaiveDate) -> Option<String> {
    if date.year() < PLAUSIBLE_FROM_YEAR {
        return Some(format!("is before the year {PLAUSIBLE_FROM_YEAR}"));
    }
    let latest = today
        .checked_add_months(Months::new(PLAUSIBLE_MONTHS_AHEAD))
        .unwrap_or(NaiveDate::MAX);
    (date.day > latest).then(|| "is more than a year after today".to_string())
}

impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Date {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.moment().cmp(&other.moment())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.moment {
            Some(moment) => f.write_str(&moment.to_rfc3339()),
            None => write_iso_day(f, self.day),
        }
    }
}

/// Writes `day` as `YYYY-MM-DD`, the bytes chrono's `%Y-%m-%d` gives, digit
/// by digit: chrono parses its format string on every call, and dates are
/// written for every card, data record and annotation. Years chrono writes
/// with a sign (before 0 or after 9999) are left to it.
fn write_iso_day(w: &mut impl fmt::Write, day: NaiveDate) -> fmt::Result {
    match DayText::new(day) {
        Some(text) => w.write_str(text.as_str()),
        None => write!(w, "{}", day.format("%Y-%m-%d")),
    }
}

/// The year of `day` when chrono's `%Y` writes it as four digits without a
/// sign (years 0 to 9999).
pub fn four_digit_year(day: NaiveDate) -> Option<u32> {
    u32::try_from(day.year()).ok().filter(|&y| y <= 9999)
}

/// Fills `slot` with the last `slot.len()` decimal digits of `value`, zero-padded.
pub fn put_digits(slot: &mut [u8], mut value: u32) {
    for byte in slot.iter_mut().rev() {
        *byte = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match (self.moment, DayText::new(self.day)) {
            (None, Some(text)) => serializer.serialize_str(text.as_str()),
            _ => serializer.collect_str(self),
        }
    }
}

/// A day's `YYYY-MM-DD`, written digit by digit without allocating: only for
/// years 0 to 9999, which chrono's `%Y` writes as four digits (others get a
/// sign or more digits).
struct DayText([u8; 10]);

impl DayText {
    fn new(day: NaiveDate) -> Option<DayText> {
        let year = four_digit_year(day)?;
        let mut text = [b'-'; 10];
        put_digits(&mut text[..4], year);
        put_digits(&mut text[5..7], day.month());
        put_digits(&mut text[8..], day.day());
        Some(DayText(text))
    }

    fn as_str(&self) -> &str {
        // Only ASCII digits and dashes: always UTF-8.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// The names of the months, as chrono's `%B` writes them.
pub const MONTH_NAMES: [&str; 12] = [
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

const EXPECTED: &str = "a date such as 2025-03-14 or 2025-03-14T09:30:00Z";

struct DateVisitor;

impl<'de> Visitor<'de> for DateVisitor {
    type Value = Date;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(EXPECTED)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
        Date::parse(v).ok_or_else(|| E::custom(format!("invalid date `{v}`: expected {EXPECTED}")))
    }

    // TOML hands its native dates over as a one-entry map holding the date's text.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Date, A::Error> {
        let Some((_, text)) = map.next_entry::<String, String>()? else {
            return Err(de::Error::custom(format!("expected {EXPECTED}")));
        };
        self.visit_str(&text)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        deserializer.deserialize_any(DateVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Holder {
        date: Date,
    }

    #[test]
    fn toml_native_date_and_yaml_string_agree() {
        let from_toml: Holder = toml::from_str("date = 2025-03-14").unwrap();
        let from_yaml: Holder = serde_yaml_ng::from_str("date: 2025-03-14").unwrap();
        assert_eq!(from_toml.date, from_yaml.date);
        assert_eq!(from_toml.date.to_string(), "2025-03-14");
    }

    #[test]
    fn date_time_keeps_its_offset() {
        let from_toml: Holder = toml::from_str("date = 2025-03-14T09:30:00+02:00").unwrap();
        assert_eq!(from_toml.date.day.to_string(), "2025-03-14");
        assert_eq!(from_toml.date.to_string(), "2025-03-14T09:30:00+02:00");
    }

    /// The text chrono writes for a date, as [`Date`] wrote it before its fast path.
    fn chrono_text(date: &Date) -> String {
        match date.moment {
            Some(moment) => moment.to_rfc3339(),
            None => date.day.format("%Y-%m-%d").to_string(),
        }
    }

    #[test]
    fn days_are_written_as_chrono_writes_them() {
        let mut dates: Vec<Date> = [
            "2025-03-14",
            "0999-01-05",
            "2024-12-31",
            "0000-01-01",
            "9999-12-31",
            "2025-03-14T09:30:00+02:00",
            "2025-03-14 09:30:00",
            "0000-01-01T00:00:00Z",
        ]
        .iter()
        .map(|text| Date::parse(text).unwrap())
        .collect();
        for (y, m, d) in [
            (-1, 1, 1),
            (-44, 3, 15),
            (-10000, 12, 31),
            (10000, 1, 1),
            (262_142, 6, 30),
        ] {
            let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            dates.push(Date { day, moment: None });
            let moment = day.and_hms_opt(12, 0, 0).unwrap().and_utc().fixed_offset();
            dates.push(Date {
                day,
                moment: Some(moment),
            });
        }
        for date in dates {
            let expected = chrono_text(&date);
            assert_eq!(date.to_string(), expected);
            assert_eq!(date.iso_day(), date.day.format("%Y-%m-%d").to_string());
            assert_eq!(
                serde_json::to_string(&date).unwrap(),
                format!("\"{expected}\"")
            );
        }
    }

    #[test]
    fn a_bare_day_is_not_before_a_time_on_that_day() {
        let d = |text| Date::parse(text).unwrap();
        assert!(!d("2025-03-14").is_before(&d("2025-03-14T09:30:00Z")));
        assert!(!d("2025-03-14T09:30:00Z").is_before(&d("2025-03-14")));
        assert!(d("2025-03-14T09:29:00Z").is_before(&d("2025-03-14T09:30:00Z")));
        assert!(d("2025-03-13T23:00:00Z").is_before(&d("2025-03-14")));
    }

    #[test]
    fn plausibility_is_judged_against_the_day_given() {
        let today = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        let why = |text| implausibility(&Date::parse(text).unwrap(), today);
        assert_eq!(why("2025-02-28"), None);
        assert_eq!(
            why("2025-03-01").as_deref(),
            Some("is more than a year after today")
        );
        assert_eq!(why("1800-01-01"), None);
        assert_eq!(
            why("1799-12-31").as_deref(),
            Some("is before the year 1800")
        );
        assert_eq!(
            year_outside("date", &Date::parse("0000-01-01").unwrap(), &STORY_YEARS).as_deref(),
            Some("`date` has the year 0, outside the years 1000 to 9999")
        );
    }

    #[test]
    fn impossible_dates_are_rejected() {
        assert!(Date::parse("2025-13-45").is_none());
        assert!(Date::parse("2025-02-30").is_none());
        assert!(Date::parse("yesterday").is_none());
        let err = toml::from_str::<Holder>("date = \"2025-13-45\"")
            .err()
            .unwrap();
        assert!(err.message().contains("invalid date"), "{err}");
        assert_eq!(err.span(), Some(7..19));
    }
}

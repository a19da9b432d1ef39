//! Dates: reading the many ways feeds and articles write them, and resolving the relative
//! ones ("on Saturday", "last week") against an article's publication date.
//!
//! Parsing is tolerant by design: a date that cannot be read leaves `published` empty and
//! keeps the article (see the ingest stage).

use std::fmt;

pub use time::Date;
use time::{Duration, Month, Weekday};

/// How precisely a date is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    /// A calendar day.
    Day,
    /// A month ("in June 2024"); the date is the first of the month.
    Month,
    /// A year; the date is January 1.
    Year,
}

/// A date with the precision the text gave it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeRef {
    /// The date (first day of the period for month and year precision).
    pub date: Date,
    /// How much of the date the text gave.
    pub precision: Precision,
}

impl TimeRef {
    /// A day-precise reference.
    pub fn day(date: Date) -> TimeRef {
        TimeRef {
            date,
            precision: Precision::Day,
        }
    }

    /// True when the two references cannot denote the same day.
    pub fn excludes(&self, other: &TimeRef) -> bool {
        let (a, b) = (self.date, other.date);
        match (self.precision, other.precision) {
            (Precision::Day, Precision::Day) => a != b,
            (Precision::Year, _) | (_, Precision::Year) => a.year() != b.year(),
            _ => a.year() != b.year() || a.month() != b.month(),
        }
    }
}

impl fmt::Display for TimeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.date;
        match self.precision {
            Precision::Day => write!(f, "{}", format_date(d)),
            Precision::Month => write!(f, "{:04}-{:02}", d.year(), d.month() as u8),
            Precision::Year => write!(f, "{:04}", d.year()),
        }
    }
}

/// Formats a date as `YYYY-MM-DD`.
pub fn format_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

/// Days since 1970-01-01 (negative before), for compact storage and arithmetic.
pub fn to_days(d: Date) -> i32 {
    d.to_julian_day() - 2_440_588
}

/// Inverse of [`to_days`]; `None` when out of range.
pub fn from_days(days: i32) -> Option<Date> {
    Date::from_julian_day(days.checked_add(2_440_588)?).ok()
}

/// Month number (1..=12) from an English month name or abbreviation ("Apr", "April",
/// "Sept"); case-insensitive.
pub fn month_from_name(word: &str) -> Option<u8> {
    let mut buf = [0u8; 9];
    let lower = short_lower(word.trim_end_matches('.'), &mut buf)?;
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    for (i, name) in NAMES.iter().enumerate() {
        if *name == lower || (lower.len() == 3 && name.starts_with(lower)) {
            return Some(i as u8 + 1);
        }
    }
    if lower == "sept" {
        return Some(9);
    }
    None
}

/// `word` lowercased into `buf` when it is ASCII and 3 to 9 bytes long, the lengths of
/// month and weekday names. Claim extraction asks about most words of an article, so the
/// answer must not allocate.
fn short_lower<'b>(word: &str, buf: &'b mut [u8; 9]) -> Option<&'b str> {
    if !(3..=9).contains(&word.len()) || !word.is_ascii() {
        return None;
    }
    let lower = &mut buf[..word.len()];
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    std::str::from_utf8(lower).ok()
}

/// Weekday from an English name or abbreviation ("Mon", "Monday").
pub fn weekday_from_name(word: &str) -> Option<Weekday> {
    let mut buf = [0u8; 9];
    Some(match short_lower(word.trim_end_matches('.'), &mut buf)? {
        "monday" | "mon" => Weekday::Monday,
        "tuesday" | "tue" | "tues" => Weekday::Tuesday,
        "wednesday" | "wed" => Weekday::Wednesday,
        "thursday" | "thu" | "thur" | "thurs" => Weekday::Thursday,
        "friday" | "fri" => Weekday::Friday,
        "saturday" | "sat" => Weekday::Saturday,
        "sunday" | "sun" => Weekday::Sunday,
        _ => return None,
    })
}

fn make(year: i64, month: u8, day: i64) -> Option<Date> {
    if !(1000..=2999).contains(&year) || !(1..=31).contains(&day) {
        return None;
    }
    let month = Month::try_from(month).ok()?;
    Date::from_calendar_date(year as i32, month, day as u8).ok()
}

/// Reads a publication date written in any of the usual feed and article forms:
/// ISO 8601 with or without time (`2025-04-28`, `2025-04-28T10:00:00Z`), RFC 2822
/// (`Mon, 28 Apr 2025 10:00:00 +0000`), `Apr 28, 2025`, `April 28, 2025`, `28 April 2025`,
/// `Monday, April 28, 2025`, `2025/04/28`, and tokenised forms such as `May 03 , 2013`.
/// Returns `None` when no full date is found.
pub fn parse_date(text: &str) -> Option<Date> {
    let t = text.trim();
    if t.is_empty() || t.len() > 80 {
        return None;
    }
    // ISO and slashed year-first forms.
    let b = t.as_bytes();
    if b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && (b[4] == b'-' || b[4] == b'/' || b[4] == b'.')
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b[4]
        && b[8..10].iter().all(u8::is_ascii_digit)
        && (b.len() == 10 || !b[10].is_ascii_digit())
    {
        let y = t[..4].parse().ok()?;
        let m = t[5..7].parse().ok()?;
        let d = t[8..10].parse().ok()?;
        return make(y, m, d);
    }
    if b.len() == 8 && b.iter().all(u8::is_ascii_digit) {
        return make(t[..4].parse().ok()?, t[4..6].parse().ok()?, t[6..8].parse().ok()?);
    }
    // Word forms: find a month name, a day number and a four-digit year.
    let mut year = None;
    let mut month = None;
    let mut day = None;
    for word in t.split(|c: char| c.is_whitespace() || c == ',' || c == '-' || c == '/') {
        let word = word.trim_matches(|c: char| c == '.' || c == '(' || c == ')');
        if word.is_empty() {
            continue;
        }
        if let Some(m) = month_from_name(word) {
            if month.is_none() {
                month = Some(m);
            }
            continue;
        }
        let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        if !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit()) {
            let n: i64 = match digits.parse() {
                Ok(n) => n,
                Err(_) => continue,
            };
            if digits.len() == 4 && year.is_none() {
                year = Some(n);
            } else if digits.len() <= 2 && day.is_none() && (1..=31).contains(&n) {
                day = Some(n);
            }
            // Times such as 10:00:00 are skipped by the digit test above.
        }
    }
    make(year?, month?, day?)
}

/// The most recent given weekday strictly before `anchor`, or `anchor` itself when it is
/// that weekday (news writes "on Monday" for the day of publication too).
pub fn weekday_on_or_before(anchor: Date, weekday: Weekday) -> Date {
    let mut d = anchor;
    for _ in 0..7 {
        if d.weekday() == weekday {
            return d;
        }
        d = d.previous_day().unwrap_or(d);
    }
    d
}

/// Shifts a date by whole days, saturating at the calendar's ends.
pub fn add_days(d: Date, days: i64) -> Date {
    d.checked_add(Duration::days(days)).unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_and_weekday_names_in_any_case() {
        let months = [
            ("April", Some(4)),
            ("APR.", Some(4)),
            ("sept", Some(9)),
            ("Sept.", Some(9)),
            ("SEPTEMBER", Some(9)),
            ("may", Some(5)),
            ("Ma", None),
            ("Septembers", None),
            ("Aprll", None),
            ("Mär", None),
            ("", None),
        ];
        for (word, want) in months {
            assert_eq!(month_from_name(word), want, "{word:?}");
        }
        let days = [
            ("Monday", Some(Weekday::Monday)),
            ("TUES.", Some(Weekday::Tuesday)),
            ("wednesday", Some(Weekday::Wednesday)),
            ("Thurs", Some(Weekday::Thursday)),
            ("sun", Some(Weekday::Sunday)),
            ("Su", None),
            ("Sundays", None),
            ("Wednesdays", None),
            ("Mön", None),
            ("...", None),
        ];
        for (word, want) in days {
            assert_eq!(weekday_from_name(word), want, "{word:?}");
        }
    }

    macro_rules! t {
        ($input:expr, $want:expr) => {
            assert_eq!(
                parse_date($input).map(format_date).as_deref(),
                $want,
                "input {:?}",
                $input
            );
        };
    }

    #[test]
    fn publication_dates_in_feed_forms() {
        t!("2025-04-28", Some("2025-04-28"));
        t!("2025-04-28T10:11:12Z", Some("2025-04-28"));
        t!("2025-04-28 10:11:12", Some("2025-04-28"));
        t!("1987-02-26T15:01:01", Some("1987-02-26"));
        t!("Apr 28, 2025", Some("2025-04-28"));
        t!("April 28, 2025", Some("2025-04-28"));
        t!("28 April 2025", Some("2025-04-28"));
        t!("Monday, April 28, 2025", Some("2025-04-28"));
        t!("Mon, 28 Apr 2025 10:00:00 +0000", Some("2025-04-28"));
        t!("May 03 , 2013", Some("2013-05-03"));
        t!("Sept. 3, 2019", Some("2019-09-03"));
        t!("20250428", Some("2025-04-28"));
    }

    #[test]
    fn unreadable_dates_are_none() {
        t!("", None);
        t!("yesterday", None);
        t!("2025-02-30", None);
        t!("April 2025", None);
        t!("Seoul [South Korea], April 28", None);
        t!("13/13/2025", None);
    }

    #[test]
    fn weekday_resolution_looks_back() {
        let monday = parse_date("2025-04-28").unwrap();
        let sat = weekday_on_or_before(monday, Weekday::Saturday);
        assert_eq!(format_date(sat), "2025-04-26");
        assert_eq!(weekday_on_or_before(monday, Weekday::Monday), monday);
    }

    #[test]
    fn time_refs_exclude_by_precision() {
        let a = TimeRef::day(parse_date("2024-06-19").unwrap());
        let b = TimeRef::day(parse_date("2024-06-12").unwrap());
        let m = TimeRef {
            date: parse_date("2024-06-01").unwrap(),
            precision: Precision::Month,
        };
        assert!(a.excludes(&b));
        assert!(!a.excludes(&m));
        assert_eq!(m.to_string(), "2024-06");
    }

    #[test]
    fn days_round_trip() {
        let d = parse_date("2025-04-28").unwrap();
        assert_eq!(from_days(to_days(d)), Some(d));
        assert_eq!(to_days(parse_date("1970-01-01").unwrap()), 0);
    }
}

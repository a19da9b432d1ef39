//! The date a claim puts on its event: absolute ("on June 19, 2024", "April 26", "in June
//! 2024") or relative to the article's publication date ("on Saturday", "yesterday",
//! "last year").

use crate::date::{add_days, month_from_name, weekday_from_name, weekday_on_or_before, Date, Precision, TimeRef};
use crate::segment::Doc;
use crate::text::TokenKind;

fn day_number(doc: &Doc, i: usize) -> Option<u8> {
    if doc.tokens.get(i)?.kind != TokenKind::Number && doc.tokens.get(i)?.kind != TokenKind::Word {
        return None;
    }
    let w = doc.lower(i);
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &w[digits.len()..];
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") || digits.is_empty() || digits.len() > 2 {
        return None;
    }
    let d: u8 = digits.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

fn year_number(doc: &Doc, i: usize) -> Option<i32> {
    if doc.tokens.get(i)?.kind != TokenKind::Number {
        return None;
    }
    let w = doc.word(i);
    if w.len() != 4 {
        return None;
    }
    let y: i32 = w.parse().ok()?;
    (1900..=2100).contains(&y).then_some(y)
}

fn month_word(doc: &Doc, i: usize) -> Option<u8> {
    let w = doc.word(i);
    // Months are capitalised; "may" in lowercase is a modal verb.
    if !w.starts_with(char::is_uppercase) {
        return None;
    }
    month_from_name(w)
}

fn make(year: i32, month: u8, day: u8) -> Option<Date> {
    Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()
}

/// A year for a month and day written without one: the publication year, or the year
/// before when that would put the date more than a month after publication.
fn infer_year(published: Option<Date>, month: u8, day: u8) -> Option<i32> {
    let p = published?;
    let y = p.year();
    let d = make(y, month, day)?;
    if (d - p).whole_days() > 31 {
        Some(y - 1)
    } else {
        Some(y)
    }
}

/// The first time expression in `doc.tokens[start..end]`.
pub fn find(doc: &Doc, start: usize, end: usize, published: Option<Date>) -> Option<TimeRef> {
    (start..end).find_map(|i| starting_at(doc, i, start, end, published))
}

/// Most words between a date and the word it dates, names and small words aside.
const MAX_WORDS_APART: usize = 4;

/// The time expression that dates the happening named by the words at `triggers`: the nearest
/// one in `doc.tokens[start..end]`, a few words at most from it and not in another clause
/// (one opened by "that": "said on Sunday that the accord would be reviewed"). "Shares rose on
/// Wednesday after the two signed the deal on Monday" dates the signing to Monday, and
/// "unions protested on Friday after a fire killed two" gives the killing no date.
pub fn find_for(doc: &Doc, start: usize, end: usize, published: Option<Date>, triggers: &[usize]) -> Option<TimeRef> {
    let mut best: Option<(usize, TimeRef)> = None;
    for i in start..end {
        let Some(t) = starting_at(doc, i, start, end, published) else {
            continue;
        };
        // The nearest trigger with no clause boundary between it and the date.
        let Some(distance) = triggers
            .iter()
            .filter_map(|&at| {
                let between = if i < at { i + 1..at } else { at + 1..i };
                let other_clause = between.clone().any(|k| {
                    matches!(
                        doc.lower(k),
                        "after"
                            | "before"
                            | "when"
                            | "while"
                            | "because"
                            | "until"
                            | "as"
                            | "which"
                            | "who"
                            | "where"
                            | "that"
                    )
                });
                // Names, and the small words of a phrase of place ("near the village of
                // Arlow in central Narvia"), do not take a date away from its verb; other
                // words do.
                let lex = crate::lexicon::Lexicon::get();
                let words = between
                    .clone()
                    .filter(|&k| {
                        let w = doc.word(k);
                        doc.tokens[k].kind == crate::text::TokenKind::Word
                            && !w.starts_with(char::is_uppercase)
                            && !lex.is_stop(doc.lower(k))
                    })
                    .count();
                (!other_clause).then_some(words)
            })
            .min()
        else {
            continue;
        };
        // "since May 3", "between Jan 6 and March 2", "as of Friday": a span, not the day
        // it happened ("the early hours of Tuesday" is the day).
        let span = i > start
            && (matches!(
                doc.lower(i - 1),
                "since" | "between" | "until" | "through" | "from" | "by"
            ) || (doc.lower(i - 1) == "of" && i > start + 1 && doc.lower(i - 2) == "as"));
        // Farther than a short phrase away, a date usually belongs to something else.
        if !span && distance <= MAX_WORDS_APART && best.as_ref().is_none_or(|(d, _)| distance < *d) {
            best = Some((distance, t));
        }
    }
    best.map(|(_, t)| t)
}

/// The time expression starting at token `i`, if one does.
fn starting_at(doc: &Doc, i: usize, start: usize, end: usize, published: Option<Date>) -> Option<TimeRef> {
    {
        let w = doc.lower(i);
        if let Some(m) = month_word(doc, i) {
            // "April 26", "April 26, 2025", "April 2025".
            if let Some(d) = (i + 1 < end).then(|| day_number(doc, i + 1)).flatten() {
                let mut k = i + 2;
                if k < end && doc.word(k) == "," {
                    k += 1;
                }
                let year = if k < end { year_number(doc, k) } else { None };
                let year = year.or_else(|| infer_year(published, m, d));
                if let Some(date) = year.and_then(|y| make(y, m, d)) {
                    return Some(TimeRef::day(date));
                }
            }
            if let Some(y) = (i + 1 < end).then(|| year_number(doc, i + 1)).flatten() {
                if let Some(date) = make(y, m, 1) {
                    return Some(TimeRef {
                        date,
                        precision: Precision::Month,
                    });
                }
            }
            // "in June": month of the publication year.
            if i > start && matches!(doc.lower(i - 1), "in" | "since" | "last" | "early" | "late" | "mid") {
                if let Some(p) = published {
                    let y = if m > p.month() as u8 { p.year() - 1 } else { p.year() };
                    if let Some(date) = make(y, m, 1) {
                        return Some(TimeRef {
                            date,
                            precision: Precision::Month,
                        });
                    }
                }
            }
        }
        // "26 April 2025".
        if let Some(d) = day_number(doc, i) {
            if i + 1 < end {
                if let Some(m) = month_word(doc, i + 1) {
                    let year = if i + 2 < end { year_number(doc, i + 2) } else { None };
                    if let Some(date) = year.or_else(|| infer_year(published, m, d)).and_then(|y| make(y, m, d)) {
                        return Some(TimeRef::day(date));
                    }
                }
            }
        }
        if let Some(p) = published {
            if let Some(wd) = weekday_from_name(w) {
                // "Monday, April 21": the written date decides.
                let k = if i + 1 < end && doc.word(i + 1) == "," {
                    i + 2
                } else {
                    i + 1
                };
                if k < end && month_word(doc, k).is_some() {
                    if let Some(t) = starting_at(doc, k, start, end, published) {
                        return Some(t);
                    }
                }
                if w.len() > 3 && doc.word(i).starts_with(char::is_uppercase) {
                    return Some(TimeRef::day(weekday_on_or_before(p, wd)));
                }
            }
            match w {
                "yesterday" => return Some(TimeRef::day(add_days(p, -1))),
                "today" | "tonight" => return Some(TimeRef::day(p)),
                "year" if i > start && doc.lower(i - 1) == "last" => {
                    if let Some(date) = make(p.year() - 1, 1, 1) {
                        return Some(TimeRef {
                            date,
                            precision: Precision::Year,
                        });
                    }
                }
                _ => {}
            }
        }
        // "in 2024".
        if let Some(y) = year_number(doc, i) {
            if i > start && matches!(doc.lower(i - 1), "in" | "since" | "during") {
                if let Some(date) = make(y, 1, 1) {
                    return Some(TimeRef {
                        date,
                        precision: Precision::Year,
                    });
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::parse_date;
    use crate::model::Field;

    fn when(text: &str, published: &str) -> Option<String> {
        let doc = Doc::new(Field::Title, text, 0);
        find(&doc, 0, doc.tokens.len(), parse_date(published)).map(|t| t.to_string())
    }

    #[test]
    fn absolute_and_relative_dates() {
        assert_eq!(
            when("signed on June 19, 2024 in Pyongyang", "2025-04-28").as_deref(),
            Some("2024-06-19")
        );
        assert_eq!(
            when("in a video conference on April 26", "2025-04-28").as_deref(),
            Some("2025-04-26")
        );
        assert_eq!(
            when("the treaty signed in June 2024", "2025-04-28").as_deref(),
            Some("2024-06")
        );
        assert_eq!(
            when("said on Saturday that", "2025-04-28").as_deref(),
            Some("2025-04-26")
        );
        assert_eq!(
            when("the blast happened yesterday", "2025-04-28").as_deref(),
            Some("2025-04-27")
        );
        assert_eq!(
            when("a surprise offensive last year", "2025-04-28").as_deref(),
            Some("2024")
        );
        assert_eq!(
            when("on 3 March the talks", "2025-04-28").as_deref(),
            Some("2025-03-03")
        );
        assert_eq!(when("December 30 talks", "2025-01-05").as_deref(), Some("2024-12-30"));
    }

    /// The date for the happening named by `trigger`.
    fn when_for(text: &str, trigger: &str) -> Option<String> {
        let doc = Doc::new(Field::Title, text, 0);
        let at = (0..doc.tokens.len()).find(|&i| doc.word(i) == trigger).unwrap();
        find_for(&doc, 0, doc.tokens.len(), parse_date("2025-03-05"), &[at]).map(|t| t.to_string())
    }

    #[test]
    fn the_date_of_the_clause_of_the_happening() {
        assert_eq!(
            when_for(
                "Shares rose on Wednesday after Morocco and Ghana signed a deal on Monday",
                "signed"
            )
            .as_deref(),
            Some("2025-03-03")
        );
        assert_eq!(
            when_for("Unions marched on Tuesday after a fire killed two", "killed"),
            None
        );
        assert_eq!(
            when_for("the group said it sold shares since February 26", "sold"),
            None
        );
        assert_eq!(
            when_for("the accord, which ends on March 30, was signed", "accord"),
            None
        );
    }

    #[test]
    fn no_date_no_time() {
        assert_eq!(when("Troops may return", "2025-04-28"), None);
        assert_eq!(when("on Saturday", ""), None);
        assert_eq!(when("11,000 troops", "2025-04-28"), None);
    }
}

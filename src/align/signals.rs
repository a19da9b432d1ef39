//! What story grouping reads from one article, computed while its text is still in memory:
//! content-word stems of the headline, the body and the lead, the words of the link's
//! path, character 4-grams of the lead, the numbers written in it, and the days it can be
//! about. Everything is hashed and sorted, so an article's signals take a few hundred
//! bytes and the text can be dropped.

use once_cell::sync::Lazy;
use regex::Regex;
use time::{Date, Month};

use crate::date::{month_from_name, to_days};
use crate::lexicon::Lexicon;
use crate::model::Field;
use crate::segment::Doc;
use crate::text::{stem, term_hash, TokenKind};

use super::stories::StoryFeatures;

/// Bytes of the body that stand in for a missing headline.
const LEAD_BYTES: usize = 400;
/// Characters of the lead that give character 4-grams.
const GRAM_CHARS: usize = 300;
/// Characters at the start of the body searched for a written date.
const DATE_CHARS: usize = 300;

/// Path words of links that say nothing about the story.
const URL_STOP: [&str; 10] = [
    "www", "com", "news", "article", "articles", "story", "html", "index", "http", "https",
];

/// Computes an article's story signals from its segmented headline and body, its link and
/// its publication day (days since 1970). Entities are added later, once names have their
/// corpus-wide ids.
pub fn story_signals(title: &Doc, body: &Doc, url: &str, published: Option<i32>) -> StoryFeatures {
    debug_assert!(title.field == Field::Title && body.field == Field::Body);
    let title_terms = set(content_terms(title, usize::MAX));
    let body_terms = counted(content_terms(body, usize::MAX));
    let url_words = url_words(url);
    let has_title = !title.text.trim().is_empty();
    let (lead_terms, lead_text) = if has_title {
        (title_terms.clone(), title.text)
    } else {
        (
            set(content_terms(body, LEAD_BYTES)),
            &body.text[..floor_boundary(body.text, LEAD_BYTES)],
        )
    };
    let grams = char_grams(prefix_chars(lead_text, GRAM_CHARS), &url_words);
    let mut lead_numbers = Vec::new();
    numbers(lead_text, &mut lead_numbers);
    let mut all_numbers = Vec::new();
    numbers(title.text, &mut all_numbers);
    numbers(body.text, &mut all_numbers);
    let dates = published
        .map(|d| (d, d))
        .or_else(|| text_date(prefix_chars(body.text, DATE_CHARS)).map(|d| (d, d)))
        .or_else(|| url_dates(url));
    StoryFeatures {
        title: title_terms,
        url: set(url_words.iter().map(|w| term_hash(w)).collect()),
        body: body_terms,
        lead: lead_terms,
        grams,
        lead_numbers: set(lead_numbers),
        numbers: set(all_numbers),
        entities: Vec::new(),
        dates,
        published,
        has_body: !body.tokens.is_empty(),
    }
}

/// Hashed content-word stems of the tokens that end within the first `limit` bytes.
fn content_terms(doc: &Doc, limit: usize) -> Vec<u64> {
    let lex = Lexicon::get();
    let mut out = Vec::new();
    for (i, tok) in doc.tokens.iter().enumerate() {
        if tok.end as usize > limit {
            break;
        }
        let w = doc.lower(i);
        if tok.kind == TokenKind::Punct || w.len() < 3 || lex.is_stop(w) {
            continue;
        }
        let key = if tok.kind == TokenKind::Number { w } else { stem(w) };
        out.push(term_hash(key));
    }
    out
}

fn set(mut v: Vec<u64>) -> Vec<u64> {
    v.sort_unstable();
    v.dedup();
    v
}

fn counted(mut v: Vec<u64>) -> Vec<(u64, u32)> {
    v.sort_unstable();
    let mut out: Vec<(u64, u32)> = Vec::new();
    for h in v {
        match out.last_mut() {
            Some((last, n)) if *last == h => *n += 1,
            _ => out.push((h, 1)),
        }
    }
    out
}

/// The largest char boundary at or below `n`.
fn floor_boundary(s: &str, mut n: usize) -> usize {
    if n >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(n) {
        n -= 1;
    }
    n
}

fn prefix_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Stemmed words of a link's path (scheme, host and file extension left out).
pub fn url_words(url: &str) -> Vec<String> {
    let lex = Lexicon::get();
    let mut path = url;
    for scheme in ["http://", "https://"] {
        if let Some(rest) = url.strip_prefix(scheme) {
            path = rest.find('/').map_or("", |i| &rest[i..]);
        }
    }
    for ext in [".html", ".htm", ".php", ".aspx", ".asp", ".cms", ".shtml"] {
        if path.len() > ext.len() && path.is_char_boundary(path.len() - ext.len()) {
            let (head, tail) = path.split_at(path.len() - ext.len());
            if tail.eq_ignore_ascii_case(ext) {
                path = head;
                break;
            }
        }
    }
    let lower = path.to_ascii_lowercase();
    lower
        .split(|c: char| !c.is_ascii_lowercase())
        .filter(|w| w.len() >= 3 && !lex.is_stop(w) && !URL_STOP.contains(w))
        .map(|w| stem(w).to_string())
        .collect()
}

/// Character 4-grams of the lead followed by the link's words: lowercase ASCII letters and
/// digits, every other run of characters one space, padded with a space at both ends.
/// A 4-gram is its four bytes read as a number, so no two grams share an id.
fn char_grams(lead: &str, url_words: &[String]) -> Vec<(u32, u32)> {
    let mut norm: Vec<u8> = Vec::with_capacity(lead.len() + 16);
    norm.push(b' ');
    let push_text = |s: &str, norm: &mut Vec<u8>| {
        for b in s.bytes() {
            let b = b.to_ascii_lowercase();
            if b.is_ascii_lowercase() || b.is_ascii_digit() {
                norm.push(b);
            } else if norm.last() != Some(&b' ') {
                norm.push(b' ');
            }
        }
    };
    push_text(lead, &mut norm);
    for w in url_words {
        if norm.last() != Some(&b' ') {
            norm.push(b' ');
        }
        push_text(w, &mut norm);
    }
    if norm.last() != Some(&b' ') {
        norm.push(b' ');
    }
    let mut grams: Vec<u32> = norm
        .windows(4)
        .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
        .collect();
    grams.sort_unstable();
    let mut out: Vec<(u32, u32)> = Vec::new();
    for g in grams {
        match out.last_mut() {
            Some((last, n)) if *last == g => *n += 1,
            _ => out.push((g, 1)),
        }
    }
    out
}

/// Hashes of the numbers written in `text` (digit runs with inner commas and dots; commas
/// dropped, so "11,000" and "11000" agree).
fn numbers(text: &str, out: &mut Vec<u64>) {
    let b = text.as_bytes();
    let mut i = 0;
    let mut buf = String::new();
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        let mut last_digit = i;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b',' || b[i] == b'.') {
            if b[i].is_ascii_digit() {
                last_digit = i;
            }
            i += 1;
        }
        buf.clear();
        buf.extend(b[start..=last_digit].iter().filter(|&&c| c != b',').map(|&c| c as char));
        out.push(term_hash(&buf));
        i = last_digit + 1;
    }
}

fn day_of(year: i32, month: u8, day: u8) -> Option<i32> {
    let m = Month::try_from(month).ok()?;
    Date::from_calendar_date(year, m, day).ok().map(to_days)
}

fn month_span(year: i32, month: u8) -> Option<(i32, i32)> {
    let first = day_of(year, month, 1)?;
    let next = if month == 12 {
        day_of(year + 1, 1, 1)?
    } else {
        day_of(year, month + 1, 1)?
    };
    Some((first, next - 1))
}

/// The first full date written as "April 28, 2025" or "28 April 2025" in `text`.
fn text_date(text: &str) -> Option<i32> {
    static MDY: Lazy<Regex> = Lazy::new(|| {
        Regex::new(r"(?i)\b([a-z]{3,9})\.?\s+([0-9]{1,2})\s*,?\s*((?:19|20)[0-9]{2})\b").expect("date pattern")
    });
    static DMY: Lazy<Regex> = Lazy::new(|| {
        Regex::new(r"(?i)\b([0-9]{1,2})\s+([a-z]{3,9})\.?\s*,?\s*((?:19|20)[0-9]{2})\b").expect("date pattern")
    });
    let mut best: Option<(usize, i32)> = None;
    for c in MDY.captures_iter(text) {
        let (Some(m), Some(d), Some(y)) = (month_from_name(&c[1]), c[2].parse().ok(), c[3].parse().ok()) else {
            continue;
        };
        if let Some(day) = day_of(y, m, d) {
            best = Some((c.get(0).map_or(0, |x| x.start()), day));
            break;
        }
    }
    for c in DMY.captures_iter(text) {
        let start = c.get(0).map_or(0, |x| x.start());
        if best.is_some_and(|(s, _)| s <= start) {
            break;
        }
        let (Some(d), Some(m), Some(y)) = (c[1].parse().ok(), month_from_name(&c[2]), c[3].parse().ok()) else {
            continue;
        };
        if let Some(day) = day_of(y, m, d) {
            best = Some((start, day));
            break;
        }
    }
    best.map(|(_, d)| d)
}

/// The days a link's path dates the article to: one day ("/2015/03/06/", "20150306",
/// "/15/03/06/"), else a month ("/2015/03/"), else nothing.
pub fn url_dates(url: &str) -> Option<(i32, i32)> {
    // Years 1990-2039; the lookarounds of a fuller regex language are emulated with
    // `(?:^|[^0-9])` and `(?:[^0-9]|$)`, which do not change the first match found.
    const Y: &str = "(199[0-9]|20[0-3][0-9])";
    static DAY: Lazy<Vec<(Regex, bool)>> = Lazy::new(|| {
        let p = |s: String, yy: bool| (Regex::new(&s).expect("url date pattern"), yy);
        vec![
            p(format!(r"/{Y}/([0-9]{{1,2}})/([0-9]{{1,2}})(?:[/\-_.]|$)"), false),
            p(format!(r"(?:^|[^0-9]){Y}-([0-9]{{2}})-([0-9]{{2}})(?:[^0-9]|$)"), false),
            p(r"/([12][0-9])/([0-9]{2})/([0-9]{2})/".to_string(), true),
            p(format!(r"(?:^|[^0-9]){Y}([0-9]{{2}})([0-9]{{2}})(?:[^0-9]|$)"), false),
            p(format!(r"/{Y}/([a-z]{{3}})[a-z]*/([0-9]{{1,2}})/"), false),
            p(format!(r"/{Y}/([0-9]{{1,2}})([0-9]{{2}})/"), false),
            p(format!(r"(?:^|[^0-9]){Y}([0-9]{{2}})([0-9]{{2}})[0-9]"), false),
        ]
    });
    static MONTH: Lazy<Vec<Regex>> = Lazy::new(|| {
        [
            format!(r"/{Y}/([0-9]{{2}})/"),
            format!(r"-{Y}-([0-9]{{1,2}})(?:$|[/?#])"),
            format!(r"/{Y}/([a-z]{{3}})[a-z]*/"),
        ]
        .iter()
        .map(|s| Regex::new(s).expect("url month pattern"))
        .collect()
    });
    if url.is_empty() {
        return None;
    }
    let u = url.to_ascii_lowercase();
    let month_of = |s: &str| -> Option<u8> {
        if s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse().ok()
        } else {
            month_from_name(s)
        }
    };
    for (re, two_digit_year) in DAY.iter() {
        let Some(c) = re.captures(&u) else { continue };
        let year: i32 = match c[1].parse::<i32>() {
            Ok(y) if *two_digit_year => 2000 + y,
            Ok(y) => y,
            Err(_) => continue,
        };
        let (Some(m), Ok(d)) = (month_of(&c[2]), c[3].parse::<u8>()) else {
            continue;
        };
        if let Some(day) = day_of(year, m, d) {
            return Some((day, day));
        }
    }
    for re in MONTH.iter() {
        let Some(c) = re.captures(&u) else { continue };
        let (Ok(year), Some(m)) = (c[1].parse::<i32>(), month_of(&c[2])) else {
            continue;
        };
        if let Some(span) = month_span(year, m) {
            return Some(span);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u8, d: u8) -> i32 {
        day_of(y, m, d).unwrap()
    }

    #[test]
    fn url_dates_read_days_then_months() {
        let t = |u: &str| url_dates(u);
        let d = day(2015, 3, 6);
        assert_eq!(
            t("http://example.org/articles/15/03/06/dam-inquiry-opens"),
            Some((d, d))
        );
        assert_eq!(t("http://x.com/2015/03/06/story.html"), Some((d, d)));
        assert_eq!(t("http://x.com/news/20150306-story"), Some((d, d)));
        assert_eq!(t("http://x.com/2015/mar/06/story"), Some((d, d)));
        assert_eq!(
            t("http://x.com/2015/03/story"),
            Some((day(2015, 3, 1), day(2015, 3, 31)))
        );
        assert_eq!(t("http://x.com/story-123456789"), None);
        assert_eq!(t(""), None);
    }

    #[test]
    fn text_dates_take_the_first_full_date() {
        assert_eq!(
            text_date("WASHINGTON , May 3 , 2013 -- and on 4 June 2013"),
            Some(day(2013, 5, 3))
        );
        assert_eq!(text_date("On 4 June 2013, then May 3, 2013"), Some(day(2013, 6, 4)));
        assert_eq!(text_date("Mayor 12, 2009"), None);
        assert_eq!(text_date("no date here"), None);
    }

    #[test]
    fn url_words_skip_host_and_extension() {
        assert_eq!(
            url_words("https://www.example.com/news/2015/03/kiriwa-arrested-in-nakuru.html"),
            ["kiriwa", "arrest", "nakuru"]
        );
    }

    #[test]
    fn numbers_drop_commas() {
        let mut a = Vec::new();
        numbers("about 11,000 troops on 3.5 km.", &mut a);
        let mut b = Vec::new();
        numbers("11000 and 3.5", &mut b);
        assert_eq!(a, b);
    }

    #[test]
    fn grams_pad_and_fold() {
        let g = char_grams("Ab-c", &[]);
        let ids: Vec<[u8; 4]> = g.iter().map(|(x, _)| x.to_le_bytes()).collect();
        assert_eq!(ids.len(), 3);
        assert!(ids.contains(b" ab "));
        assert!(ids.contains(b"ab c"));
        assert!(ids.contains(b"b c "));
    }
}

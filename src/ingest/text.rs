//! Plain-text articles, one per file:
//!
//! ```text
//! Source: Eastern Wire          (optional header lines: Source, Date, Title, Id, Url)
//! Headline on the first line
//! April 28, 2025                (a date line; kept in the body when it is not a date)
//! Body ...
//! ```
//!
//! The source is the parent folder's name unless a `Source:` header says otherwise; the id
//! is the file stem unless an `Id:` header gives one.

use std::io::Read;

use super::{decode_lossy, strip_bom, InputFile, Limits, RawRecord};
use crate::date::parse_date;
use crate::error::Reject;
use crate::model::{Article, Origin};

pub(super) fn read(mut reader: impl Read, file: &InputFile, stem: String, limits: Limits) -> RawRecord {
    let reject = |reason: String| {
        RawRecord::Rejected(Reject {
            file: file.display.clone(),
            line: 0,
            reason,
        })
    };
    let mut bytes = Vec::new();
    let max = limits.max_article_bytes;
    if let Err(err) = reader.by_ref().take(max as u64 + 1).read_to_end(&mut bytes) {
        return reject(format!("cannot read: {err}"));
    }
    if bytes.len() > max {
        return reject(format!(
            "file is over the limit of {max} bytes (raise --max-article-bytes to read it)"
        ));
    }
    if looks_binary(&bytes) {
        return reject("binary data, not a text article".to_string());
    }
    let (text, _) = decode_lossy(bytes);
    let source = file
        .path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_string();
    let source = if source.is_empty() { stem.clone() } else { source };
    match parse(strip_bom(&text), &stem, &source) {
        Some((line, article)) => RawRecord::Parsed {
            origin: Origin { file: file.id, line },
            article: Box::new(article),
        },
        None => reject("empty article: no title or body".to_string()),
    }
}

/// More than 1 in 100 bytes being control characters (NUL included) means binary.
fn looks_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(1 << 16)];
    let control = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    control * 100 > sample.len().max(1)
}

/// Splits a text article into header, title, date and body. Returns the 1-based line of the
/// title, and the article.
fn parse(text: &str, stem: &str, folder_source: &str) -> Option<(u64, Article)> {
    let mut article = Article {
        id: stem.to_string(),
        source: folder_source.to_string(),
        ..Article::default()
    };
    let mut lines = text
        .split('\n')
        .map(|l| l.trim_end_matches('\r'))
        .enumerate()
        .peekable();
    let mut date_text = None;
    // Leading blank lines and header lines.
    while let Some(&(_, line)) = lines.peek() {
        let t = line.trim();
        if t.is_empty() {
            lines.next();
            continue;
        }
        let Some((key, value)) = t.split_once(':') else { break };
        let value = value.trim();
        match key.trim().to_ascii_lowercase().as_str() {
            "source" | "outlet" => article.source = value.to_string(),
            "date" | "published" => date_text = Some(value.to_string()),
            "title" | "headline" => article.title = value.to_string(),
            "id" => article.id = value.to_string(),
            "url" | "link" => article.url = value.to_string(),
            _ => break,
        }
        lines.next();
    }
    let mut title_line = 0u64;
    if article.title.is_empty() {
        for (i, line) in lines.by_ref() {
            if !line.trim().is_empty() {
                article.title = line.trim().to_string();
                title_line = i as u64 + 1;
                break;
            }
        }
    }
    // The date line, when the next non-empty line is one.
    let mut body_lines: Vec<&str> = Vec::new();
    let mut seen_date_slot = date_text.is_some();
    for (_, line) in lines {
        if !seen_date_slot {
            if line.trim().is_empty() {
                continue;
            }
            seen_date_slot = true;
            let t = line.trim();
            if t.len() <= 60 && parse_date(t).is_some() {
                date_text = Some(t.to_string());
                continue;
            }
        }
        body_lines.push(line);
    }
    (article.published, article.unread_date) = super::read_published(date_text.as_deref());
    article.body = body_lines.join("\n").trim().to_string();
    if article.title.is_empty() && article.body.is_empty() {
        return None;
    }
    Some((title_line.max(1), article))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::format_date;

    #[test]
    fn seed_layout() {
        let text = "\nNorth Korea confirms troops\nApr 28, 2025\nSeoul [South Korea], April 28 North Korea on Monday said.\nSecond line.";
        let (line, a) = parse(text, "kursk", "seed").unwrap();
        assert_eq!(line, 2);
        assert_eq!(a.title, "North Korea confirms troops");
        assert_eq!(a.published.map(format_date).as_deref(), Some("2025-04-28"));
        assert!(a.body.starts_with("Seoul [South Korea]"));
        assert_eq!(a.source, "seed");
        assert_eq!(a.id, "kursk");
    }

    #[test]
    fn headers_override_folder_and_stem() {
        let text = "Source: Eastern Wire\nId: ew-1\nDate: 2025-05-01\nTitle here\nBody text.";
        let (_, a) = parse(text, "stem", "folder").unwrap();
        assert_eq!(a.source, "Eastern Wire");
        assert_eq!(a.id, "ew-1");
        assert_eq!(a.title, "Title here");
        assert_eq!(a.body, "Body text.");
        assert_eq!(a.published.map(format_date).as_deref(), Some("2025-05-01"));
    }

    #[test]
    fn missing_date_line_stays_in_body() {
        let (_, a) = parse("Title\nThe body starts here.\nMore.", "s", "f").unwrap();
        assert_eq!(a.published, None);
        assert_eq!(a.body, "The body starts here.\nMore.");
    }

    #[test]
    fn binary_is_detected() {
        assert!(looks_binary(&[0u8, 1, 2, 3, 4, 5, 6, 7]));
        assert!(!looks_binary(b"plain text\nwith lines\n"));
        assert!(parse("\n\n  \n", "s", "f").is_none());
    }
}

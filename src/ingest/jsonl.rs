//! JSON Lines: one article object per line.
//!
//! Field names: `id, source, date, title, body, url`, and the names the news-please
//! crawler writes (`maintext`, `source_domain`, `date_publish`), plus a few common others
//! (`text`, `content`, `published`, `published_at`, `headline`, `link`). When several name
//! the same field, the first in that order that has a value wins.

use std::fmt;
use std::io::BufRead;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use super::{decode_lossy, default_source, read_line_bounded, strip_bom, Limits, LineRead, RawRecord};
use crate::error::Reject;
use crate::model::{Article, FileId, Origin};

/// Splits a JSON Lines stream into raw lines; parsing happens later, in parallel.
pub(super) struct Reader {
    inner: Box<dyn BufRead + Send>,
    file: FileId,
    display: String,
    stem: String,
    limits: Limits,
    line: u64,
    done: bool,
}

impl Reader {
    pub(super) fn new(
        inner: impl BufRead + Send + 'static,
        file: FileId,
        display: String,
        stem: String,
        limits: Limits,
    ) -> Reader {
        Reader {
            inner: Box::new(inner),
            file,
            display,
            stem,
            limits,
            line: 0,
            done: false,
        }
    }

    fn reject(&self, reason: String) -> RawRecord {
        RawRecord::Rejected(Reject {
            file: self.display.clone(),
            line: self.line,
            reason,
        })
    }
}

impl Iterator for Reader {
    type Item = RawRecord;

    fn next(&mut self) -> Option<RawRecord> {
        while !self.done {
            self.line += 1;
            let mut buf = Vec::new();
            match read_line_bounded(&mut self.inner, &mut buf, self.limits.max_article_bytes) {
                Ok(LineRead::Eof) => {
                    self.done = true;
                    return None;
                }
                Ok(LineRead::TooLong(n)) => {
                    return Some(self.reject(format!(
                        "record is {n} bytes, over the limit of {} (raise --max-article-bytes to read it)",
                        self.limits.max_article_bytes
                    )))
                }
                Ok(LineRead::Line) => {
                    // NUL padding (left by a writer that crashed) counts as blank.
                    if buf.iter().all(|&b| b.is_ascii_whitespace() || b == 0) {
                        continue;
                    }
                    let origin = Origin {
                        file: self.file,
                        line: self.line,
                    };
                    return Some(RawRecord::Json {
                        origin,
                        stem: self.stem.clone(),
                        bytes: buf,
                    });
                }
                Err(err) => {
                    // A read error (for example a corrupt gzip stream) ends this file.
                    self.done = true;
                    return Some(self.reject(format!("read error, rest of file skipped: {err}")));
                }
            }
        }
        None
    }
}

/// A text value that may arrive as a JSON string, number or bool; null counts as absent.
#[derive(Default)]
struct Text(Option<String>);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, number or null")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text(Some(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_none<E: de::Error>(self) -> Result<Text, E> {
                Ok(Text(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Text, E> {
                Ok(Text(None))
            }
        }
        d.deserialize_any(V)
    }
}

impl Text {
    fn get(self) -> Option<String> {
        self.0.filter(|s| !s.trim().is_empty())
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Record {
    id: Text,
    #[serde(rename = "_id")]
    underscore_id: Text,
    source: Text,
    source_domain: Text,
    outlet: Text,
    publisher: Text,
    date: Text,
    date_publish: Text,
    published: Text,
    published_at: Text,
    title: Text,
    headline: Text,
    body: Text,
    maintext: Text,
    text: Text,
    content: Text,
    url: Text,
    link: Text,
}

fn first(options: [Text; 4]) -> Option<String> {
    options.into_iter().find_map(Text::get)
}

/// Parses one line into an article. Errors are reasons for `rejects.csv`.
pub(super) fn parse_line(bytes: &[u8], stem: &str, line: u64) -> Result<Article, String> {
    // Raw NUL bytes are never JSON (inside a string they are an error): scrapers leave them
    // as padding, so they are dropped rather than costing the record.
    let bytes = if bytes.contains(&0) {
        bytes.iter().copied().filter(|&b| b != 0).collect()
    } else {
        bytes.to_vec()
    };
    let (text, _repaired) = decode_lossy(bytes);
    let text = strip_bom(&text);
    if !text.trim_start().starts_with('{') {
        return Err("not an article object: a line must hold one JSON object".to_string());
    }
    let record: Record = serde_json::from_str(text).map_err(|e| describe_json_error(&e))?;
    let title = first([record.title, record.headline, Text(None), Text(None)]).unwrap_or_default();
    let body = first([record.body, record.maintext, record.text, record.content]).unwrap_or_default();
    if title.trim().is_empty() && body.trim().is_empty() {
        return Err("missing field \"title\" and \"body\" (or \"maintext\"): nothing to read".to_string());
    }
    let url = first([record.url, record.link, Text(None), Text(None)]).unwrap_or_default();
    let id =
        first([record.id, record.underscore_id, Text(None), Text(None)]).unwrap_or_else(|| format!("{stem}:{line}"));
    let source = first([record.source, record.source_domain, record.outlet, record.publisher])
        .unwrap_or_else(|| default_source(&url, stem));
    let (published, unread_date) = super::read_published(
        first([record.date, record.date_publish, record.published, record.published_at]).as_deref(),
    );
    Ok(Article {
        id: id.trim().to_string(),
        source: source.trim().to_string(),
        published,
        unread_date,
        title,
        body,
        url,
        dateline_len: 0,
    })
}

fn describe_json_error(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Data => format!("not an article object: {e}"),
        Category::Eof => format!("truncated JSON: {e}"),
        Category::Syntax | Category::Io => format!("broken JSON: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_contract_fields() {
        let a = parse_line(
            br#"{"id": "a1", "source": "Wire", "date": "2025-04-28", "title": "T", "body": "B", "url": null}"#,
            "f",
            1,
        )
        .unwrap();
        assert_eq!(
            (a.id.as_str(), a.source.as_str(), a.title.as_str(), a.body.as_str()),
            ("a1", "Wire", "T", "B")
        );
        assert_eq!(a.published.map(crate::date::format_date).as_deref(), Some("2025-04-28"));
    }

    #[test]
    fn reads_news_please_fields() {
        let a = parse_line(
            br#"{"maintext": "Body", "source_domain": "example.org", "date_publish": "2025-04-28 10:00:00", "title": "T", "url": "https://example.org/x"}"#,
            "feed",
            7,
        )
        .unwrap();
        assert_eq!(a.id, "feed:7");
        assert_eq!(a.source, "example.org");
        assert_eq!(a.body, "Body");
        assert!(a.published.is_some());
    }

    #[test]
    fn numeric_ids_and_bad_dates_are_kept() {
        let a = parse_line(br#"{"id": 42, "title": "T", "date": "someday"}"#, "f", 1).unwrap();
        assert_eq!(a.id, "42");
        assert_eq!(a.published, None);
        assert_eq!(a.source, "f");
    }

    #[test]
    fn bad_lines_have_reasons() {
        assert!(parse_line(b"{not json", "f", 1).unwrap_err().contains("JSON"));
        assert!(parse_line(b"[1,2]", "f", 1).unwrap_err().contains("not an article"));
        assert!(parse_line(br#"{"id": "x"}"#, "f", 1)
            .unwrap_err()
            .contains("missing field"));
        assert!(parse_line(br#"{"title": {"a": 1}}"#, "f", 1).is_err());
    }

    #[test]
    fn nul_bytes_are_dropped() {
        let a = parse_line(b"{\"title\": \"a\0b\"}\0\0", "f", 1).unwrap();
        assert_eq!(a.title, "ab");
    }

    #[test]
    fn invalid_utf8_is_repaired() {
        let a = parse_line(b"{\"title\": \"caf\xe9 news\"}", "f", 1).unwrap();
        assert_eq!(a.title, "caf\u{fffd} news");
    }
}

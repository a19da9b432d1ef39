//! CSV with a header row naming the article fields (same names as JSON Lines, matched
//! case-insensitively). A file whose header names neither a title nor a body column is
//! rejected as a whole, with the columns it does have in the reason.

use std::io::BufRead;

use super::{decode_lossy, default_source, strip_bom, Limits, RawRecord};
use crate::date::parse_date;
use crate::error::Reject;
use crate::model::{Article, FileId, Origin};

#[derive(Default)]
struct Columns {
    id: Option<usize>,
    source: Option<usize>,
    date: Option<usize>,
    title: Option<usize>,
    body: Option<usize>,
    url: Option<usize>,
}

impl Columns {
    fn from_header(header: &[String]) -> Columns {
        let find = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| header.iter().position(|h| strip_bom(h).trim().eq_ignore_ascii_case(n)))
        };
        Columns {
            id: find(&["id", "_id", "article_id"]),
            source: find(&["source", "source_domain", "outlet", "publisher"]),
            date: find(&["date", "date_publish", "published", "published_at"]),
            title: find(&["title", "headline"]),
            body: find(&["body", "maintext", "text", "content"]),
            url: find(&["url", "link"]),
        }
    }
}

/// Reads CSV rows into articles (serially: CSV parsing is cheap next to analysis).
pub(super) struct Reader {
    inner: ::csv::Reader<Box<dyn BufRead + Send>>,
    file: FileId,
    display: String,
    stem: String,
    limits: Limits,
    columns: Option<Columns>,
    record: ::csv::ByteRecord,
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
        let inner: Box<dyn BufRead + Send> = Box::new(inner);
        let reader = ::csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(false)
            .from_reader(inner);
        Reader {
            inner: reader,
            file,
            display,
            stem,
            limits,
            columns: None,
            record: ::csv::ByteRecord::new(),
            done: false,
        }
    }

    fn reject(&self, line: u64, reason: String) -> RawRecord {
        RawRecord::Rejected(Reject {
            file: self.display.clone(),
            line,
            reason,
        })
    }

    fn field(&self, col: Option<usize>) -> String {
        col.and_then(|i| self.record.get(i))
            .map(|b| decode_lossy(b.to_vec()).0)
            .unwrap_or_default()
    }
}

impl Iterator for Reader {
    type Item = RawRecord;

    fn next(&mut self) -> Option<RawRecord> {
        while !self.done {
            let read = self.inner.read_byte_record(&mut self.record);
            let line = self.record.position().map(|p| p.line()).unwrap_or(0);
            match read {
                Ok(false) => {
                    self.done = true;
                    return None;
                }
                Err(err) => {
                    let line = err.position().map(|p| p.line()).unwrap_or(line);
                    if matches!(err.kind(), ::csv::ErrorKind::Io(_)) {
                        self.done = true;
                        return Some(self.reject(line, format!("read error, rest of file skipped: {err}")));
                    }
                    return Some(self.reject(line, format!("broken CSV row: {err}")));
                }
                Ok(true) => {}
            }
            let Some(columns) = &self.columns else {
                let header: Vec<String> = self.record.iter().map(|b| decode_lossy(b.to_vec()).0).collect();
                let columns = Columns::from_header(&header);
                if columns.title.is_none() && columns.body.is_none() {
                    self.done = true;
                    return Some(self.reject(
                        0,
                        format!(
                            "CSV header has no title or body column (found: {}); expected id,source,date,title,body,url",
                            header.join(", ")
                        ),
                    ));
                }
                self.columns = Some(columns);
                continue;
            };
            if self.record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                continue;
            }
            let size = self.record.as_slice().len();
            if size > self.limits.max_article_bytes {
                return Some(self.reject(
                    line,
                    format!(
                        "record is {size} bytes, over the limit of {} (raise --max-article-bytes to read it)",
                        self.limits.max_article_bytes
                    ),
                ));
            }
            let title = self.field(columns.title);
            let body = self.field(columns.body);
            if title.trim().is_empty() && body.trim().is_empty() {
                return Some(self.reject(line, "empty title and body: nothing to read".to_string()));
            }
            let url = self.field(columns.url);
            let mut id = self.field(columns.id).trim().to_string();
            if id.is_empty() {
                id = format!("{}:{line}", self.stem);
            }
            let mut source = self.field(columns.source).trim().to_string();
            if source.is_empty() {
                source = default_source(&url, &self.stem);
            }
            let published = parse_date(&self.field(columns.date));
            let article = Article {
                id,
                source,
                published,
                title,
                body,
                url,
                dateline_len: 0,
            };
            return Some(RawRecord::Parsed {
                origin: Origin { file: self.file, line },
                article: Box::new(article),
            });
        }
        None
    }
}

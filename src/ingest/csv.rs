//! CSV with a header row naming the article fields (same names as JSON Lines, matched
//! case-insensitively). A file whose header names neither a title nor a body column is
//! rejected as a whole, with the columns it does have in the reason.
//!
//! Memory is bounded by `--max-article-bytes`: [`Splitter`] cuts the stream into records
//! (following the CSV quoting rules) holding at most that many bytes, and a longer record
//! is read through, never held, and rejected. Each record is then parsed on its own, so
//! line numbers are counted here, blank lines and quoted line breaks included.

use std::io::{self, BufRead};

use super::{decode_lossy, default_source, strip_bom, Limits, RawRecord};
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

/// Where the CSV parser stands, as far as record boundaries go (its own rules: a quote
/// opens a quoted field only at the start of a field, `""` inside one is a quote, and a
/// line break inside one is text).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Quoting {
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

impl Quoting {
    /// The state after byte `b`, and whether `b` ends the record.
    #[inline]
    fn step(self, b: u8) -> (Quoting, bool) {
        match (self, b) {
            (Quoting::Quoted, b'"') => (Quoting::QuoteInQuoted, false),
            (Quoting::Quoted, _) => (Quoting::Quoted, false),
            (Quoting::FieldStart, b'"') | (Quoting::QuoteInQuoted, b'"') => (Quoting::Quoted, false),
            (_, b'\n' | b'\r') => (Quoting::FieldStart, true),
            (_, b',') => (Quoting::FieldStart, false),
            _ => (Quoting::Unquoted, false),
        }
    }
}

/// One record cut from the stream.
#[derive(Debug, PartialEq, Eq)]
enum Split {
    /// A record (in the splitter's buffer), starting on this 1-based line.
    Record(u64),
    /// A record longer than the limit, read through and dropped: its line and length.
    TooLong(u64, usize),
}

/// Cuts a CSV stream into records, holding at most `max` bytes of one.
struct Splitter {
    inner: Box<dyn BufRead + Send>,
    max: usize,
    /// The last record read (terminator included).
    record: Vec<u8>,
    /// Line breaks (`\n`) read so far.
    newlines: u64,
}

impl Splitter {
    /// Reads the next record that is not a blank line; `None` at the end of the stream.
    fn next_record(&mut self) -> io::Result<Option<Split>> {
        loop {
            self.record.clear();
            let line = self.newlines + 1;
            let mut state = Quoting::FieldStart;
            let mut total = 0usize;
            let mut too_long = false;
            loop {
                let available = match self.inner.fill_buf() {
                    Ok(b) => b,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                };
                if available.is_empty() {
                    break;
                }
                let mut used = available.len();
                let mut ended = false;
                for (i, &b) in available.iter().enumerate() {
                    let (next, ends) = state.step(b);
                    state = next;
                    self.newlines += u64::from(b == b'\n');
                    if ends {
                        used = i + 1;
                        ended = true;
                        break;
                    }
                }
                total += used;
                if !too_long && total > self.max {
                    too_long = true;
                    self.record = Vec::new();
                }
                if !too_long {
                    self.record.extend_from_slice(&available[..used]);
                }
                self.inner.consume(used);
                if ended {
                    break;
                }
            }
            if too_long {
                return Ok(Some(Split::TooLong(line, total)));
            }
            if total == 0 {
                return Ok(None);
            }
            // A lone terminator is a blank line (or the second half of a CRLF).
            if !matches!(self.record.as_slice(), [b'\n'] | [b'\r']) {
                return Ok(Some(Split::Record(line)));
            }
        }
    }
}

/// Reads CSV rows into articles (serially: CSV parsing is cheap next to analysis).
pub(super) struct Reader {
    splitter: Splitter,
    parser: ::csv::ReaderBuilder,
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
        let mut parser = ::csv::ReaderBuilder::new();
        parser.flexible(true).has_headers(false);
        Reader {
            splitter: Splitter {
                inner: Box::new(inner),
                max: limits.max_article_bytes,
                record: Vec::new(),
                newlines: 0,
            },
            parser,
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

    /// Parses the splitter's record into `self.record`.
    fn parse(&mut self) -> Result<(), ::csv::Error> {
        let bytes = self.splitter.record.as_slice();
        let mut parser = self.parser.from_reader(bytes);
        if !parser.read_byte_record(&mut self.record)? {
            self.record.clear();
        }
        Ok(())
    }

    fn too_long(&self, what: &str, size: usize) -> String {
        format!(
            "{what} is {size} bytes, over the limit of {} (raise --max-article-bytes to read it)",
            self.limits.max_article_bytes
        )
    }
}

impl Iterator for Reader {
    type Item = RawRecord;

    fn next(&mut self) -> Option<RawRecord> {
        while !self.done {
            let line = match self.splitter.next_record() {
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Ok(Some(Split::Record(line))) => line,
                Ok(Some(Split::TooLong(line, size))) => {
                    if self.columns.is_none() {
                        self.done = true;
                        return Some(self.reject(line, format!("{}; file skipped", self.too_long("CSV header", size))));
                    }
                    return Some(self.reject(line, self.too_long("record", size)));
                }
                Err(err) => {
                    // A read error (for example a corrupt gzip stream) ends this file.
                    self.done = true;
                    let line = self.splitter.newlines + 1;
                    return Some(self.reject(line, format!("read error, rest of file skipped: {err}")));
                }
            };
            if let Err(err) = self.parse() {
                return Some(self.reject(line, format!("broken CSV row: {err}")));
            }
            let Some(columns) = &self.columns else {
                let header: Vec<String> = self.record.iter().map(|b| decode_lossy(b.to_vec()).0).collect();
                let columns = Columns::from_header(&header);
                if columns.title.is_none() && columns.body.is_none() {
                    self.done = true;
                    return Some(self.reject(
                        line,
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
            let (published, unread_date) = super::read_published(Some(&self.field(columns.date)));
            let article = Article {
                id,
                source,
                published,
                unread_date,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// (line, id or reject reason) of every record, reading with `max` bytes per record
    /// through a small buffer, so records straddle buffer ends.
    fn read(data: &str, max: usize) -> Vec<(u64, String)> {
        let limits = Limits {
            max_article_bytes: max,
            ..Limits::default()
        };
        let inner = io::BufReader::with_capacity(7, io::Cursor::new(data.as_bytes().to_vec()));
        Reader::new(inner, FileId(0), "f.csv".into(), "f".into(), limits)
            .map(|r| match r {
                RawRecord::Parsed { origin, article } => (origin.line, article.id),
                RawRecord::Rejected(r) => (r.line, r.reason),
                RawRecord::Json { .. } => unreachable!(),
            })
            .collect()
    }

    #[test]
    fn quoted_line_breaks_keep_line_numbers() {
        let data = "id,title\na,\"one\ntwo\"\nb,\"say \"\"hi\"\"\"\n\nc,x\n";
        assert_eq!(
            read(data, 1000),
            [(2, "a".to_string()), (4, "b".to_string()), (6, "c".to_string())]
        );
    }

    #[test]
    fn oversized_records_are_skipped_in_place() {
        let long = "w".repeat(100);
        let data = format!("id,title\na,x\nbig,\"{long}\n{long}\"\nb,y\r\nhuge,{long}\r\nc,z");
        let got = read(&data, 60);
        let lines: Vec<u64> = got.iter().map(|g| g.0).collect();
        assert_eq!(lines, [2, 3, 5, 6, 7], "{got:?}");
        assert_eq!(got[0].1, "a");
        assert!(
            got[1].1.starts_with("record is 208 bytes, over the limit of 60"),
            "{got:?}"
        );
        assert_eq!(got[2].1, "b");
        assert!(got[3].1.starts_with("record is 106 bytes"), "{got:?}");
        assert_eq!(got[4].1, "c");
        // The last record runs to the end of the file.
        let got = read(&format!("id,title\na,x\nbig,{long}"), 60);
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].0, 3);
    }

    #[test]
    fn oversized_header_rejects_the_file() {
        let data = format!("id,title,{}\na,x\n", "c".repeat(100));
        let got = read(&data, 60);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].1.starts_with("CSV header is"), "{got:?}");
    }

    #[test]
    fn quoting_follows_the_parser() {
        // A quote inside an unquoted field is text; it does not open a quoted field.
        assert_eq!(
            read("id,title\na,5\" screen\nb,y\n", 1000),
            [(2, "a".to_string()), (3, "b".to_string())]
        );
    }
}

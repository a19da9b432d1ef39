//! Ingest: files, folders and stdin in, a stream of [`Article`]s and [`Reject`]s out.
//!
//! Inputs are expanded into a sorted list of files ([`walk`]); [`Records`] then reads them
//! one after the other, record by record, so the corpus is never held in memory. Reading
//! is serial and cheap (line splitting); the costly part, turning a raw JSON line into an
//! article, is [`RawRecord::into_article`] and runs on the worker threads.
//!
//! Formats are chosen by extension (`.jsonl`/`.ndjson`/`.json`, `.csv`, `.txt`, each
//! optionally `.gz`), or by `--format`. Every bad record becomes a [`Reject`] naming file
//! and line; the records around it are kept.

mod csv;
mod dateline;
mod encoding;
mod jsonl;
mod markup;
mod repair;
mod text;

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

pub use self::dateline::dateline_len;
use crate::date::{parse_date, Date};
use crate::error::Reject;
use crate::model::{Article, FileId, Origin};

/// An input format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line.
    Jsonl,
    /// CSV with a header row.
    Csv,
    /// One article per file: title line, date line, body.
    Text,
}

impl Format {
    /// Parses a `--format` value.
    pub fn parse(s: &str) -> Option<Format> {
        match s.to_ascii_lowercase().as_str() {
            "jsonl" | "ndjson" | "json" => Some(Format::Jsonl),
            "csv" => Some(Format::Csv),
            "txt" | "text" => Some(Format::Text),
            _ => None,
        }
    }

    /// The format a file name implies, looking through a `.gz` suffix.
    pub fn from_path(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        let ext = name.rsplit_once('.')?.1;
        Format::parse(ext)
    }
}

/// One file to read, in the order the run reads it.
#[derive(Clone, Debug)]
pub struct InputFile {
    /// Dense index in reading order.
    pub id: FileId,
    /// Path on disk; `-` is stdin.
    pub path: PathBuf,
    /// The path as shown in messages and `rejects.csv`.
    pub display: String,
    /// The format to read it with; `None` when it could not be told.
    pub format: Option<Format>,
}

impl InputFile {
    fn is_stdin(&self) -> bool {
        self.path.as_os_str() == "-"
    }

    fn is_gzip(&self) -> bool {
        self.path.extension().is_some_and(|e| e.eq_ignore_ascii_case("gz"))
    }
}

/// Limits that protect a run from oversized records.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Largest record (JSON line, CSV row or text file) read, in bytes.
    pub max_article_bytes: usize,
    /// Longest sentence analysed, in bytes; longer ones are cut (at a space) into pieces.
    pub max_sentence_bytes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_article_bytes: 16 << 20,
            max_sentence_bytes: crate::segment::MAX_SENTENCE_BYTES,
        }
    }
}

/// Expands the inputs into files: folders are searched recursively in byte-wise sorted
/// order, skipping hidden entries (names starting with `.`), so the reading order does not
/// depend on the file system. Missing paths become rejects.
pub fn walk(inputs: &[PathBuf], format: Option<Format>) -> (Vec<InputFile>, Vec<Reject>) {
    let mut files = Vec::new();
    let mut rejects = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            push_file(&mut files, input.clone(), Some(format.unwrap_or(Format::Jsonl)));
            continue;
        }
        match std::fs::metadata(input) {
            Ok(meta) if meta.is_dir() => walk_dir(input, format, &mut files, &mut rejects),
            Ok(_) => {
                let f = format.or_else(|| Format::from_path(input));
                push_file(&mut files, input.clone(), f);
            }
            Err(err) => rejects.push(Reject {
                file: input.display().to_string(),
                line: 0,
                reason: format!("cannot read input: {err}"),
            }),
        }
    }
    (files, rejects)
}

fn push_file(files: &mut Vec<InputFile>, path: PathBuf, format: Option<Format>) {
    let id = FileId(files.len() as u32);
    let display = path.display().to_string();
    files.push(InputFile {
        id,
        path,
        display,
        format,
    });
}

fn walk_dir(dir: &Path, format: Option<Format>, files: &mut Vec<InputFile>, rejects: &mut Vec<Reject>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(err) => {
            rejects.push(Reject {
                file: dir.display().to_string(),
                line: 0,
                reason: format!("cannot read folder: {err}"),
            });
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            !p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
        })
        .collect();
    paths.sort();
    for path in paths {
        // Follows symlinks to files; symlinked folders are read too, so a loop in the file
        // system would be followed: bounded by the OS's own limits on path length.
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => walk_dir(&path, format, files, rejects),
            Ok(_) => {
                let f = format.or_else(|| Format::from_path(&path));
                push_file(files, path, f);
            }
            Err(err) => rejects.push(Reject {
                file: path.display().to_string(),
                line: 0,
                reason: format!("cannot read input: {err}"),
            }),
        }
    }
}

/// A record read from a file but not yet parsed.
#[derive(Debug)]
pub enum RawRecord {
    /// One JSON Lines line, parsed on a worker thread.
    Json {
        /// File and line.
        origin: Origin,
        /// Stem of the file name, for ids of records without one.
        stem: String,
        /// The line's bytes.
        bytes: Vec<u8>,
    },
    /// A record the reader already parsed (CSV rows, text files).
    Parsed {
        /// File and line.
        origin: Origin,
        /// The article.
        article: Box<Article>,
    },
    /// A record that could not be read.
    Rejected(Reject),
}

impl RawRecord {
    /// Size in bytes, to bound batches.
    pub fn weight(&self) -> usize {
        match self {
            RawRecord::Json { bytes, .. } => bytes.len(),
            RawRecord::Parsed { article, .. } => article.title.len() + article.body.len(),
            RawRecord::Rejected(_) => 0,
        }
    }

    /// Parses the record (JSON decoding happens here, on the calling thread) and finishes
    /// the article: dateline detected, text normalised.
    pub fn into_article(self, files: &[InputFile]) -> Result<(Origin, Article), Reject> {
        let (origin, mut article) = match self {
            RawRecord::Json { origin, stem, bytes } => {
                let display = &files[origin.file.0 as usize].display;
                let article = jsonl::parse_line(&bytes, &stem, origin.line).map_err(|reason| Reject {
                    file: display.clone(),
                    line: origin.line,
                    reason,
                })?;
                (origin, article)
            }
            RawRecord::Parsed { origin, article } => (origin, *article),
            RawRecord::Rejected(r) => return Err(r),
        };
        finish(&mut article);
        Ok((origin, article))
    }
}

/// Cleans the text fields of an article the same way whatever the format: NUL bytes
/// removed, CRLF turned into LF, HTML tags replaced by a space, character references and
/// UTF-8 read as Windows-1252 undone, and the dateline measured.
fn finish(article: &mut Article) {
    for s in [&mut article.title, &mut article.body] {
        if s.contains('\0') || s.contains('\r') {
            *s = s.replace('\0', "").replace("\r\n", "\n").replace('\r', "\n");
        }
        if let Some(clean) = markup::strip(s) {
            *s = clean;
        }
        if let Some(clean) = repair::references(s) {
            *s = clean;
        }
        if let Some(clean) = repair::mojibake(s) {
            *s = clean;
        }
    }
    let title = article.title.trim();
    if title.len() != article.title.len() {
        article.title = title.to_string();
    }
    article.dateline_len = dateline_len(&article.body);
}

/// Reads the files in order and yields their records one at a time.
pub struct Records<'a> {
    files: &'a [InputFile],
    limits: Limits,
    next_file: usize,
    current: Option<FileReader>,
    /// Records the current file has given so far.
    given: u64,
}

enum FileReader {
    Jsonl(jsonl::Reader),
    Csv(Box<csv::Reader>),
    Text(Option<RawRecord>),
}

impl<'a> Records<'a> {
    /// Starts reading `files`.
    pub fn new(files: &'a [InputFile], limits: Limits) -> Records<'a> {
        Records {
            files,
            limits,
            next_file: 0,
            current: None,
            given: 0,
        }
    }

    fn open(&self, file: &InputFile) -> Result<FileReader, Reject> {
        if file.format.is_none() {
            return Err(unknown_format(file));
        }
        let raw: Box<dyn Read + Send> = if file.is_stdin() {
            Box::new(io::stdin())
        } else {
            let f = File::open(&file.path).map_err(|e| Reject {
                file: file.display.clone(),
                line: 0,
                reason: format!("cannot open: {e}"),
            })?;
            Box::new(f)
        };
        open_stream(file, raw, self.limits)
    }
}

fn unknown_format(file: &InputFile) -> Reject {
    Reject {
        file: file.display.clone(),
        line: 0,
        reason: "unknown format: name the file .jsonl, .csv or .txt (optionally .gz), or pass --format".into(),
    }
}

/// Wraps a stream in the decoders and the reader its file calls for: gzip when the name
/// ends in `.gz`, byte order marks, then the format's reader.
fn open_stream(file: &InputFile, raw: Box<dyn Read + Send>, limits: Limits) -> Result<FileReader, Reject> {
    let format = file.format.ok_or_else(|| unknown_format(file))?;
    let raw: Box<dyn Read + Send> = if file.is_gzip() {
        Box::new(flate2::read::MultiGzDecoder::new(raw))
    } else {
        raw
    };
    let raw = encoding::decode(raw).map_err(|e| Reject {
        file: file.display.clone(),
        line: 0,
        reason: format!("cannot read: {e}"),
    })?;
    let reader = BufReader::with_capacity(1 << 16, raw);
    let stem = file_stem(file);
    Ok(match format {
        Format::Jsonl => FileReader::Jsonl(jsonl::Reader::new(reader, file.id, file.display.clone(), stem, limits)),
        Format::Csv => FileReader::Csv(Box::new(csv::Reader::new(
            reader,
            file.id,
            file.display.clone(),
            stem,
            limits,
        ))),
        Format::Text => FileReader::Text(Some(text::read(reader, file, stem, limits))),
    })
}

impl FileReader {
    fn next_record(&mut self) -> Option<RawRecord> {
        match self {
            FileReader::Jsonl(r) => r.next(),
            FileReader::Csv(r) => r.next(),
            FileReader::Text(r) => r.take(),
        }
    }
}

/// Records of one stream, read the way [`Records`] reads the file it stands for.
pub struct StreamRecords {
    reader: Option<FileReader>,
    error: Option<Reject>,
}

impl Iterator for StreamRecords {
    type Item = RawRecord;

    fn next(&mut self) -> Option<RawRecord> {
        if let Some(r) = self.error.take() {
            return Some(RawRecord::Rejected(r));
        }
        self.reader.as_mut()?.next_record()
    }
}

/// Reads `raw` as the content of `file`: its format, gzip when its name ends in `.gz`,
/// byte order marks, the size limits. This is [`Records`] for one stream that is not on
/// disk (a socket, bytes in memory); unlike [`Records`] it reports no "empty file".
pub fn read_stream(file: &InputFile, raw: Box<dyn Read + Send>, limits: Limits) -> StreamRecords {
    match open_stream(file, raw, limits) {
        Ok(reader) => StreamRecords {
            reader: Some(reader),
            error: None,
        },
        Err(r) => StreamRecords {
            reader: None,
            error: Some(r),
        },
    }
}

impl Iterator for Records<'_> {
    type Item = RawRecord;

    fn next(&mut self) -> Option<RawRecord> {
        loop {
            if let Some(reader) = self.current.as_mut() {
                match reader.next_record() {
                    Some(rec) => {
                        self.given += 1;
                        return Some(rec);
                    }
                    None => {
                        self.current = None;
                        if self.given == 0 {
                            // An empty file is worth a line in rejects.csv: a feed that
                            // came empty is usually a failed download.
                            let file = &self.files[self.next_file - 1];
                            return Some(RawRecord::Rejected(Reject {
                                file: file.display.clone(),
                                line: 0,
                                reason: "empty file: no articles".to_string(),
                            }));
                        }
                    }
                }
            }
            let file = self.files.get(self.next_file)?;
            self.next_file += 1;
            self.given = 0;
            match self.open(file) {
                Ok(reader) => self.current = Some(reader),
                Err(reject) => return Some(RawRecord::Rejected(reject)),
            }
        }
    }
}

pub(crate) fn file_stem(file: &InputFile) -> String {
    if file.is_stdin() {
        return "stdin".to_string();
    }
    let name = file.path.file_name().and_then(|n| n.to_str()).unwrap_or("input");
    let name = name.strip_suffix(".gz").unwrap_or(name);
    match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem.to_string(),
        _ => name.to_string(),
    }
}

/// Outcome of reading one line with a size bound.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum LineRead {
    /// End of input, nothing read.
    Eof,
    /// A line (without its terminator) is in the buffer.
    Line,
    /// The line was longer than the bound; it was skipped. Holds its length.
    TooLong(usize),
}

/// Reads one `\n`-terminated line into `buf` (cleared first), never holding more than `max`
/// bytes: a longer line is consumed and reported as [`LineRead::TooLong`].
pub(crate) fn read_line_bounded(reader: &mut impl BufRead, buf: &mut Vec<u8>, max: usize) -> io::Result<LineRead> {
    buf.clear();
    let mut total = 0usize;
    let mut too_long = false;
    let mut any = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            break;
        }
        any = true;
        let (chunk, done) = match memchr_newline(available) {
            Some(i) => (&available[..i], Some(i + 1)),
            None => (available, None),
        };
        total += chunk.len();
        if !too_long {
            if total > max {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(chunk);
            }
        }
        let used = done.unwrap_or(available.len());
        reader.consume(used);
        if done.is_some() {
            break;
        }
    }
    if !any {
        return Ok(LineRead::Eof);
    }
    if too_long {
        return Ok(LineRead::TooLong(total));
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(LineRead::Line)
}

fn memchr_newline(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'\n')
}

/// Decodes bytes as UTF-8; invalid sequences become U+FFFD so the valid text of a record
/// survives a scraper's encoding slip. Returns whether anything had to be replaced.
pub(crate) fn decode_lossy(bytes: Vec<u8>) -> (String, bool) {
    match String::from_utf8(bytes) {
        Ok(s) => (s, false),
        Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), true),
    }
}

/// Removes a leading UTF-8 byte order mark.
pub(crate) fn strip_bom(s: &str) -> &str {
    s.strip_prefix('\u{feff}').unwrap_or(s)
}

/// The source of an article without one: the host of its URL, else the file stem.
pub(crate) fn default_source(url: &str, stem: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or("");
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if !host.is_empty() {
        host.to_ascii_lowercase()
    } else {
        stem.to_string()
    }
}

/// A record's publication date: the date, else (when some text was given but cannot be
/// read as a date) that text, to be reported.
fn read_published(text: Option<&str>) -> (Option<Date>, Option<String>) {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return (None, None);
    };
    match parse_date(text) {
        Some(d) => (Some(d), None),
        None => (None, Some(text.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_lines_skip_what_is_too_long() {
        let data = b"short\nthis line is far too long\nok\r\nlast";
        let mut r = BufReader::with_capacity(4, &data[..]);
        let mut buf = Vec::new();
        assert_eq!(read_line_bounded(&mut r, &mut buf, 10).unwrap(), LineRead::Line);
        assert_eq!(buf, b"short");
        assert_eq!(read_line_bounded(&mut r, &mut buf, 10).unwrap(), LineRead::TooLong(25));
        assert_eq!(read_line_bounded(&mut r, &mut buf, 10).unwrap(), LineRead::Line);
        assert_eq!(buf, b"ok");
        assert_eq!(read_line_bounded(&mut r, &mut buf, 10).unwrap(), LineRead::Line);
        assert_eq!(buf, b"last");
        assert_eq!(read_line_bounded(&mut r, &mut buf, 10).unwrap(), LineRead::Eof);
    }

    #[test]
    fn formats_by_extension() {
        assert_eq!(Format::from_path(Path::new("a/b.jsonl")), Some(Format::Jsonl));
        assert_eq!(Format::from_path(Path::new("a/b.JSONL.gz")), Some(Format::Jsonl));
        assert_eq!(Format::from_path(Path::new("b.csv")), Some(Format::Csv));
        assert_eq!(Format::from_path(Path::new("b.txt")), Some(Format::Text));
        assert_eq!(Format::from_path(Path::new("b.pdf")), None);
        assert_eq!(Format::from_path(Path::new("README")), None);
    }

    #[test]
    fn source_falls_back_to_url_host() {
        assert_eq!(default_source("https://www.Example.com/a/b", "feed"), "www.example.com");
        assert_eq!(default_source("", "feed"), "feed");
    }

    #[test]
    fn a_date_given_but_unreadable_is_kept_to_be_reported() {
        let (date, unread) = read_published(Some(" 2025-04-28 "));
        assert_eq!(date.map(crate::date::format_date).as_deref(), Some("2025-04-28"));
        assert_eq!(unread, None);
        assert_eq!(
            read_published(Some("2025-13-45")),
            (None, Some("2025-13-45".to_string()))
        );
        assert_eq!(read_published(Some("  ")), (None, None));
        assert_eq!(read_published(None), (None, None));
    }
}

//! Streaming map and reduce: the pipeline split for a distributed engine (Apache Spark's
//! `RDD.pipe`, Hadoop streaming) that drives the binary line by line.
//!
//! ```text
//! map     articles JSONL     -> KEY \t article summary | reject      (per article, anywhere)
//! shuffle by KEY
//! reduce  KEY \t summaries   -> KEY \t output file lines              (corpus-wide, one group)
//! ```
//!
//! [`map`] runs the per-article phase of [`crate::pipeline`] (ingest, segment, entities,
//! claims: by far the costly part) and writes one compact summary per article, the article
//! body left behind. [`reduce`] reads every summary of a key group back, puts them in input
//! order and runs the same corpus-wide phase as `crosscheck run` (name clustering, wire
//! copies, stories, events, detection), then writes the same report files, either into a
//! folder or as records for the driver to write. Both call the functions `run` calls, so
//! the outputs are the same bytes.
//!
//! The corpus-wide steps need the whole corpus (clustering names and stories across every
//! article), so version 1 sends every summary to one key, [`CORPUS_KEY`]: the reduce is one
//! task holding the summaries, which is what `crosscheck run` holds after its first stage.
//!
//! Record formats (version [`RECORD_VERSION`], one JSON object per line after the key and
//! a tab) are described in `docs/spark.md`. Every record carries `v` and the gazetteer's
//! fingerprint, so a reduce refuses summaries made by another version or alias table.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rustc_hash::FxHasher;
use serde::{Deserialize, Serialize};

use crate::claims::packed::PackedClaims;
use crate::date::{from_days, to_days, Precision, TimeRef};
use crate::entities::{ArticleNames, Gazetteer, HeldNames, WeakRun};
use crate::error::{Error, Reject, Result};
use crate::ingest::{file_stem, read_line_bounded, InputFile, LineRead, RawRecord};
use crate::lexicon::intern;
use crate::model::{
    ArticleRow, Bound, Claim, Cue, EntityKind, EntityRef, Field, FileId, Mention, Modality, Origin, Polarity, Quantity,
    Span,
};
use crate::pipeline::{self, Analyzed, NoProgress, Output, PipelineConfig, Timings};
use crate::report::{self, ReportOptions};

/// Version of the record formats written by [`map`] and [`reduce`].
pub const RECORD_VERSION: u32 = 1;

/// The key every map record carries in version 1: the corpus-wide phase is one group.
pub const CORPUS_KEY: &str = "corpus";

/// Records analysed per batch by [`map`].
const MAP_BATCH: usize = 1024;

/// The input file the lines given to [`map`] come from.
#[derive(Clone, Debug)]
pub struct MapInput {
    /// Index of the file among the job's inputs (their reading order, as `run` walks them).
    pub file_id: u32,
    /// The file as `run` would name it (`articles.csv`'s `file` column, `rejects.csv`).
    pub display: String,
    /// Lines come as `LINE<TAB>JSON` (1-based line numbers in the file) instead of plain
    /// JSON Lines numbered from 1.
    pub numbered: bool,
    /// The lines are the whole file: a file without a record is reported as empty, as
    /// `run` reports it.
    pub whole_file: bool,
}

/// What a map wrote.
#[derive(Clone, Copy, Debug, Default)]
pub struct MapStats {
    /// Article summaries.
    pub articles: u64,
    /// Reject records.
    pub rejects: u64,
}

/// A short fingerprint of the gazetteer (compiled-in tables plus user aliases): the
/// `EntityRef::Known` numbers in a summary mean the same entity only under the same one.
pub fn fingerprint(gaz: &Gazetteer) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = FxHasher::default();
    crate::VERSION.hash(&mut h);
    gaz.entries.len().hash(&mut h);
    gaz.patterns.len().hash(&mut h);
    for e in &gaz.entries {
        (&e.key, &e.canonical, &e.code, &e.country, e.kind.as_str()).hash(&mut h);
    }
    format!("{:016x}", h.finish())
}

/// The map: JSON Lines on `input` (one file's lines, or a slice of them) to
/// `KEY<TAB>record` lines on `out`, one per article or rejected record, in input order.
pub fn map(config: &PipelineConfig, file: &MapInput, mut input: impl BufRead, mut out: impl Write) -> Result<MapStats> {
    let pool = thread_pool(config)?;
    let gaz_fp = fingerprint(&config.gazetteer);
    // The analysis sees one file with id 0; records carry the real id.
    let files = vec![InputFile {
        id: FileId(0),
        path: PathBuf::from(&file.display),
        display: file.display.clone(),
        format: Some(crate::ingest::Format::Jsonl),
    }];
    let stem = file_stem(&files[0]);
    let max = config.limits.max_article_bytes;
    let mut stats = MapStats::default();
    let mut line_no = 0u64;
    let mut buf = Vec::new();
    let mut done = false;
    let io = |e: std::io::Error| Error::io(Path::new("-"), e);
    while !done {
        let mut batch: Vec<RawRecord> = Vec::new();
        while batch.len() < MAP_BATCH {
            // A numbered line comes from an engine that holds it already, and its line number
            // is needed for the reject: the bound applies to the record after the number.
            let bound = if file.numbered { usize::MAX } else { max };
            let read = read_line_bounded(&mut input, &mut buf, bound).map_err(io)?;
            line_no += 1;
            let (line, bytes) = match read {
                LineRead::Eof => {
                    done = true;
                    break;
                }
                LineRead::TooLong(n) => (line_no, TooLong(n)),
                LineRead::Line if file.numbered => {
                    let tab = buf.iter().position(|&b| b == b'\t');
                    let parsed = tab.and_then(|t| std::str::from_utf8(&buf[..t]).ok()?.parse::<u64>().ok());
                    match (tab, parsed) {
                        (Some(t), Some(n)) => {
                            let rest = buf.split_off(t + 1);
                            (n, Line(rest))
                        }
                        _ => {
                            return Err(Error::Config(format!(
                                "map --numbered: input line {line_no} does not start with a line number and a tab"
                            )))
                        }
                    }
                }
                LineRead::Line => (line_no, Line(std::mem::take(&mut buf))),
            };
            let origin = Origin { file: FileId(0), line };
            match bytes {
                TooLong(n) => batch.push(RawRecord::Rejected(too_long(&file.display, line, n, max))),
                Line(b) if b.len() > max => {
                    batch.push(RawRecord::Rejected(too_long(&file.display, line, b.len(), max)))
                }
                Line(b) if b.iter().all(u8::is_ascii_whitespace) => {}
                Line(b) => batch.push(RawRecord::Json {
                    origin,
                    stem: stem.clone(),
                    bytes: b,
                }),
            }
        }
        if done && file.whole_file && stats.articles + stats.rejects + batch.len() as u64 == 0 {
            batch.push(RawRecord::Rejected(Reject {
                file: file.display.clone(),
                line: 0,
                reason: "empty file: no articles".to_string(),
            }));
        }
        let results = pool.install(|| pipeline::analyze_batch(batch, &files, config, false));
        for r in results {
            let rec = match r {
                Ok(a) => {
                    stats.articles += 1;
                    Record::Article(Box::new(ArticleRecord::from_analyzed(a, file, &gaz_fp)))
                }
                Err(rej) => {
                    stats.rejects += 1;
                    Record::Reject(RejectRecord {
                        v: RECORD_VERSION,
                        gazetteer: gaz_fp.clone(),
                        file: file.file_id,
                        line: rej.line,
                        file_name: rej.file,
                        reason: rej.reason,
                    })
                }
            };
            write_record(&mut out, CORPUS_KEY, &rec).map_err(io)?;
        }
    }
    out.flush().map_err(io)?;
    Ok(stats)
}

use MapLine::{Line, TooLong};
enum MapLine {
    Line(Vec<u8>),
    TooLong(usize),
}

fn too_long(display: &str, line: u64, n: usize, max: usize) -> Reject {
    // The same words as the JSON Lines reader of `run`.
    Reject {
        file: display.to_string(),
        line,
        reason: format!("record is {n} bytes, over the limit of {max} (raise --max-article-bytes to read it)"),
    }
}

fn thread_pool(config: &PipelineConfig) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .build()
        .map_err(|e| Error::Config(format!("thread pool: {e}")))
}

fn write_record<W: Write + ?Sized>(out: &mut W, key: &str, rec: &impl Serialize) -> std::io::Result<()> {
    out.write_all(key.as_bytes())?;
    out.write_all(b"\t")?;
    serde_json::to_writer(&mut *out, rec)?;
    out.write_all(b"\n")
}

/// Where [`reduce`] puts the report.
pub enum ReduceOutput<'a> {
    /// Writes the report files into this folder, as `run --out` does.
    Dir(&'a Path),
    /// Writes each report file as `FILE<TAB>{"v":1,"type":"file_line",...}` records on
    /// this stream, for a driver to write (the reduce task's disk is not the user's).
    Records(&'a mut dyn Write),
}

/// The reduce: `KEY<TAB>record` lines from [`map`], grouped by key (as a shuffle or `sort`
/// leaves them), to the report of the whole corpus. Groups are read one after another;
/// version 1 maps write one key, so there is one group and one report.
pub fn reduce(config: &PipelineConfig, input: impl BufRead, out: ReduceOutput, opts: &ReportOptions) -> Result<Output> {
    let pool = thread_pool(config)?;
    let t = Instant::now();
    let gaz_fp = fingerprint(&config.gazetteer);
    let io = |e: std::io::Error| Error::io(Path::new("-"), e);
    let mut keys: Vec<String> = Vec::new();
    let mut articles: Vec<(u32, Analyzed)> = Vec::new();
    let mut rejects: Vec<(u32, Reject)> = Vec::new();
    let mut names: Vec<Option<String>> = Vec::new();
    for (i, line) in input.lines().enumerate() {
        let line = line.map_err(io)?;
        if line.is_empty() {
            continue;
        }
        let bad = |why: String| Error::Config(format!("reduce: input line {}: {why}", i + 1));
        let (key, json) = line
            .split_once('\t')
            .ok_or_else(|| bad("no tab after the key".into()))?;
        if keys.last().map(String::as_str) != Some(key) {
            if keys.iter().any(|k| k == key) {
                return Err(bad(format!("key {key:?} seen before: the input is not grouped by key")));
            }
            keys.push(key.to_string());
        }
        let rec: Record = serde_json::from_str(json).map_err(|e| bad(format!("not a map record: {e}")))?;
        let (v, fp) = rec.stamp();
        if v != RECORD_VERSION {
            return Err(bad(format!(
                "record version {v}; this binary reads version {RECORD_VERSION}"
            )));
        }
        if fp != gaz_fp {
            return Err(bad(format!(
                "made with another gazetteer ({fp}, here {gaz_fp}): run map and reduce with the same binary and --aliases"
            )));
        }
        let (file, name) = match rec {
            Record::Article(a) => {
                let name = a.file_name.clone();
                let file = a.file;
                articles.push((file, a.into_analyzed().map_err(bad)?));
                (file, name)
            }
            Record::Reject(r) => {
                rejects.push((
                    r.file,
                    Reject {
                        file: r.file_name.clone(),
                        line: r.line,
                        reason: r.reason,
                    },
                ));
                (r.file, r.file_name)
            }
        };
        let slot = file as usize;
        if names.len() <= slot {
            names.resize(slot + 1, None);
        }
        names[slot].get_or_insert(name);
    }
    if keys.len() > 1 {
        return Err(Error::Config(format!(
            "reduce: {} keys in one task; record version {RECORD_VERSION} has the one key {CORPUS_KEY:?}",
            keys.len()
        )));
    }
    // Input order, as `run` reads: by file, then line.
    articles.sort_by_key(|(_, a)| (a.origin.file, a.origin.line));
    rejects.sort_by_key(|(file, r)| (*file, r.line));
    let files: Vec<InputFile> = names
        .into_iter()
        .enumerate()
        .map(|(i, n)| {
            let display = n.unwrap_or_default();
            InputFile {
                id: FileId(i as u32),
                path: PathBuf::from(&display),
                display,
                format: Some(crate::ingest::Format::Jsonl),
            }
        })
        .collect();
    let mut timings = Timings::default();
    timings.0.push(("read summaries", t.elapsed()));
    let analyzed = articles.into_iter().map(|(_, a)| a).collect();
    let rejects = rejects.into_iter().map(|(_, r)| r).collect();
    let output =
        pool.install(|| pipeline::corpus_wide(config, files, analyzed, rejects, timings, &NoProgress, None))?;
    match out {
        ReduceOutput::Dir(dir) => {
            report::write_all(&output, dir, opts)?;
        }
        ReduceOutput::Records(w) => {
            let dir = scratch_dir()?;
            let result = report::write_all(&output, &dir, opts).and_then(|paths| {
                let mut paths = paths;
                paths.sort();
                for p in paths {
                    emit_file(&p, w)?;
                }
                w.flush().map_err(io)
            });
            let _ = std::fs::remove_dir_all(&dir);
            result?;
        }
    }
    Ok(output)
}

/// A fresh private folder for the report a [`ReduceOutput::Records`] reduce sends on.
fn scratch_dir() -> Result<PathBuf> {
    let base = std::env::temp_dir();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let dir = base.join(format!("crosscheck-reduce-{}-{nanos}", std::process::id()));
    std::fs::create_dir(&dir).map_err(|e| Error::io(&dir, e))?;
    Ok(dir)
}

/// One line of an output file, as the reduce sends it to the driver.
#[derive(Serialize, Deserialize)]
struct FileLine<'a> {
    v: u32,
    #[serde(rename = "type")]
    kind: &'a str,
    /// File name inside the output folder.
    name: &'a str,
    /// 0-based line number in the file.
    seq: u64,
    /// The line, with its `\n` when it has one.
    text: &'a str,
}

fn emit_file(path: &Path, w: &mut dyn Write) -> Result<()> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let io = |e: std::io::Error| Error::io(path, e);
    // An empty file still arrives, as one empty line record.
    let lines: Vec<&str> = if text.is_empty() {
        vec![""]
    } else {
        text.split_inclusive('\n').collect()
    };
    for (seq, line) in lines.into_iter().enumerate() {
        let rec = FileLine {
            v: RECORD_VERSION,
            kind: "file_line",
            name,
            seq: seq as u64,
            text: line,
        };
        write_record(&mut *w, name, &rec).map_err(io)?;
    }
    Ok(())
}

/// A map record.
#[derive(Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Record {
    Article(Box<ArticleRecord>),
    Reject(RejectRecord),
}

impl Record {
    fn stamp(&self) -> (u32, &str) {
        match self {
            Record::Article(a) => (a.v, &a.gazetteer),
            Record::Reject(r) => (r.v, &r.gazetteer),
        }
    }
}

/// A record the map could not read, as `rejects.csv` will show it.
#[derive(Serialize, Deserialize)]
struct RejectRecord {
    v: u32,
    gazetteer: String,
    file: u32,
    file_name: String,
    line: u64,
    reason: String,
}

/// What the corpus-wide phase needs of one article (its text is not kept).
#[derive(Serialize, Deserialize)]
struct ArticleRecord {
    v: u32,
    gazetteer: String,
    file: u32,
    file_name: String,
    line: u64,
    id: String,
    source: String,
    /// Publication day, days since 1970-01-01.
    published: Option<i32>,
    title: String,
    url: String,
    bytes: usize,
    /// Hash of title and body, hex.
    content_hash: String,
    /// SimHash of the body, hex.
    simhash: Option<String>,
    /// Story signals (integers only, so they round-trip exactly).
    story: crate::align::StoryFeatures,
    /// Sentences cut at the length limit.
    sentences_cut: usize,
    /// Whether claims were left out at the per-article limit.
    claims_cut: bool,
    /// A publication date given but not understood, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    unread_date: Option<String>,
    mentions: Vec<MentionRecord>,
    /// Capitalised runs resolved against the corpus: (field, [(folded, as written, start, end)]).
    weak: Vec<(FieldName, Vec<WeakWord>)>,
    acronyms: Vec<(Box<str>, Box<str>)>,
    claims: Vec<ClaimRecord>,
}

/// `title` or `body`.
#[derive(Serialize, Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum FieldName {
    Title,
    Body,
}

impl From<Field> for FieldName {
    fn from(f: Field) -> FieldName {
        match f {
            Field::Title => FieldName::Title,
            Field::Body => FieldName::Body,
        }
    }
}

impl From<FieldName> for Field {
    fn from(f: FieldName) -> Field {
        match f {
            FieldName::Title => Field::Title,
            FieldName::Body => Field::Body,
        }
    }
}

/// A word of a weak run: (folded, as written, start, end).
type WeakWord = (Box<str>, Box<str>, u32, u32);

/// A byte span: (field, start, end).
type SpanRecord = (FieldName, u32, u32);

fn span_rec(s: Span) -> SpanRecord {
    (s.field.into(), s.start, s.end)
}

fn span_of(s: SpanRecord) -> Span {
    Span {
        field: s.0.into(),
        start: s.1,
        end: s.2,
    }
}

/// A provisional entity: `{"known": row}` or `{"name": "folded name"}`.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum RefRecord {
    Known(u32),
    Name(Box<str>),
}

fn ref_rec(r: &EntityRef) -> RefRecord {
    match r {
        EntityRef::Known(k) => RefRecord::Known(*k),
        EntityRef::Name(n) => RefRecord::Name(n.clone()),
    }
}

fn ref_of(r: RefRecord) -> EntityRef {
    match r {
        RefRecord::Known(k) => EntityRef::Known(k),
        RefRecord::Name(n) => EntityRef::Name(n),
    }
}

#[derive(Serialize, Deserialize)]
struct MentionRecord {
    entity: RefRecord,
    surface: Box<str>,
    span: SpanRecord,
    kind: String,
    role: Option<Box<str>>,
    affiliation: Option<u32>,
    government: bool,
}

#[derive(Serialize, Deserialize)]
struct QuantityRecord {
    text: String,
    /// Floats as Rust writes them (`inf` for an open bound), read back exactly.
    low: String,
    high: String,
    value: String,
    unit: String,
    bound: String,
    holder: Option<RefRecord>,
}

#[derive(Serialize, Deserialize)]
struct CueRecord {
    role: String,
    text: String,
    start: u32,
    end: u32,
}

#[derive(Serialize, Deserialize)]
struct ClaimRecord {
    seq: u32,
    span: SpanRecord,
    text: String,
    claimer: String,
    claimer_entity: Option<RefRecord>,
    speaks_for: Option<u32>,
    chain: Vec<String>,
    event_type: String,
    predicate: String,
    agent: Option<RefRecord>,
    target: Option<RefRecord>,
    location: Option<RefRecord>,
    entities: Vec<RefRecord>,
    terms: Vec<u64>,
    polarity: String,
    modality: String,
    quantity: Option<QuantityRecord>,
    /// (day, precision: day, month or year).
    time: Option<(i32, String)>,
    state: Option<(String, String)>,
    refers_to: Option<u32>,
    cues: Vec<CueRecord>,
}

impl ArticleRecord {
    fn from_analyzed(a: Analyzed, file: &MapInput, gaz_fp: &str) -> ArticleRecord {
        let Analyzed {
            origin,
            row,
            names,
            claims,
            story,
            simhash,
            content_hash,
            text: _,
            sentences_cut,
            claims_cut,
            unread_date,
        } = a;
        let ArticleNames {
            mentions,
            weak,
            acronyms,
        } = names.unpack();
        ArticleRecord {
            v: RECORD_VERSION,
            gazetteer: gaz_fp.to_string(),
            file: file.file_id,
            file_name: file.display.clone(),
            line: origin.line,
            id: row.id,
            source: row.source,
            published: row.published.map(to_days),
            title: row.title,
            url: row.url,
            bytes: row.bytes,
            content_hash: format!("{content_hash:016x}"),
            simhash: simhash.map(|h| format!("{h:016x}")),
            story,
            sentences_cut,
            claims_cut,
            unread_date,
            mentions: mentions.iter().map(mention_rec).collect(),
            weak: weak.into_iter().map(|w| (w.field.into(), w.words)).collect(),
            acronyms,
            claims: claims.unpack().into_iter().map(claim_rec).collect(),
        }
    }

    fn into_analyzed(self) -> std::result::Result<Analyzed, String> {
        let hex = |s: &str| u64::from_str_radix(s, 16).map_err(|e| format!("bad hash {s:?}: {e}"));
        let day = |d: i32| from_days(d).ok_or_else(|| format!("bad day {d}"));
        let origin = Origin {
            file: FileId(self.file),
            line: self.line,
        };
        let row = ArticleRow {
            id: self.id,
            source: self.source,
            published: self.published.map(day).transpose()?,
            title: self.title,
            url: self.url,
            origin,
            story: 0,
            wire: 0,
            bytes: self.bytes,
        };
        let mentions = self
            .mentions
            .into_iter()
            .map(mention_of)
            .collect::<std::result::Result<_, _>>()?;
        let weak = self
            .weak
            .into_iter()
            .map(|(field, words)| WeakRun {
                field: field.into(),
                words,
            })
            .collect();
        let claims: Vec<Claim> = self
            .claims
            .into_iter()
            .map(claim_of)
            .collect::<std::result::Result<_, _>>()?;
        let claims = PackedClaims::pack(&claims);
        Ok(Analyzed {
            origin,
            row,
            names: HeldNames::pack(ArticleNames {
                mentions,
                weak,
                acronyms: self.acronyms,
            }),
            claims,
            story: self.story,
            simhash: self.simhash.as_deref().map(hex).transpose()?,
            content_hash: hex(&self.content_hash)?,
            text: None,
            sentences_cut: self.sentences_cut,
            claims_cut: self.claims_cut,
            unread_date: self.unread_date,
        })
    }
}

fn mention_rec(m: &Mention) -> MentionRecord {
    let Mention {
        entity,
        surface,
        span,
        kind,
        role,
        affiliation,
        government,
    } = m;
    MentionRecord {
        entity: ref_rec(entity),
        surface: surface.clone(),
        span: span_rec(*span),
        kind: kind.as_str().to_string(),
        role: role.clone(),
        affiliation: *affiliation,
        government: *government,
    }
}

fn mention_of(m: MentionRecord) -> std::result::Result<Mention, String> {
    Ok(Mention {
        entity: ref_of(m.entity),
        surface: m.surface,
        span: span_of(m.span),
        kind: EntityKind::parse(&m.kind).ok_or_else(|| format!("bad entity kind {:?}", m.kind))?,
        role: m.role,
        affiliation: m.affiliation,
        government: m.government,
    })
}

fn bound_str(b: Bound) -> &'static str {
    match b {
        Bound::Exact => "exact",
        Bound::Approx => "approx",
        Bound::AtLeast => "at_least",
        Bound::AtMost => "at_most",
        Bound::Range => "range",
    }
}

fn precision_str(p: Precision) -> &'static str {
    match p {
        Precision::Day => "day",
        Precision::Month => "month",
        Precision::Year => "year",
    }
}

fn claim_rec(c: Claim) -> ClaimRecord {
    let Claim {
        seq,
        span,
        text,
        claimer,
        claimer_entity,
        speaks_for,
        chain,
        event_type,
        predicate,
        agent,
        target,
        location,
        entities,
        terms,
        polarity,
        modality,
        quantity,
        time,
        state,
        refers_to,
        cues,
    } = c;
    let cues = cues
        .into_iter()
        .map(|q| CueRecord {
            role: q.role.to_string(),
            text: q.text_in(&text).to_string(),
            start: q.start,
            end: q.end,
        })
        .collect();
    ClaimRecord {
        seq,
        span: span_rec(span),
        text,
        claimer,
        claimer_entity: claimer_entity.as_ref().map(ref_rec),
        speaks_for,
        chain,
        event_type: event_type.to_string(),
        predicate,
        agent: agent.as_ref().map(ref_rec),
        target: target.as_ref().map(ref_rec),
        location: location.as_ref().map(ref_rec),
        entities: entities.iter().map(ref_rec).collect(),
        terms,
        polarity: polarity.as_str().to_string(),
        modality: modality.as_str().to_string(),
        quantity: quantity.map(|q| {
            let Quantity {
                text,
                low,
                high,
                value,
                unit,
                bound,
                holder,
            } = *q;
            QuantityRecord {
                text,
                low: low.to_string(),
                high: high.to_string(),
                value: value.to_string(),
                unit,
                bound: bound_str(bound).to_string(),
                holder: holder.as_ref().map(ref_rec),
            }
        }),
        time: time.map(|t| (to_days(t.date), precision_str(t.precision).to_string())),
        state: state.map(|(g, s)| (g.to_string(), s.to_string())),
        refers_to,
        cues,
    }
}

fn claim_of(c: ClaimRecord) -> std::result::Result<Claim, String> {
    let float = |s: &str| s.parse::<f64>().map_err(|e| format!("bad number {s:?}: {e}"));
    let polarity = [Polarity::Assert, Polarity::Deny]
        .into_iter()
        .find(|p| p.as_str() == c.polarity)
        .ok_or_else(|| format!("bad polarity {:?}", c.polarity))?;
    let modality = [Modality::Certain, Modality::Hedged, Modality::Question]
        .into_iter()
        .find(|m| m.as_str() == c.modality)
        .ok_or_else(|| format!("bad modality {:?}", c.modality))?;
    let quantity = match c.quantity {
        None => None,
        Some(q) => Some(Box::new(Quantity {
            text: q.text,
            low: float(&q.low)?,
            high: float(&q.high)?,
            value: float(&q.value)?,
            unit: q.unit,
            bound: [Bound::Exact, Bound::Approx, Bound::AtLeast, Bound::AtMost, Bound::Range]
                .into_iter()
                .find(|b| bound_str(*b) == q.bound)
                .ok_or_else(|| format!("bad bound {:?}", q.bound))?,
            holder: q.holder.map(ref_of),
        })),
    };
    let time = match c.time {
        None => None,
        Some((d, p)) => Some(TimeRef {
            date: from_days(d).ok_or_else(|| format!("bad day {d}"))?,
            precision: [Precision::Day, Precision::Month, Precision::Year]
                .into_iter()
                .find(|x| precision_str(*x) == p)
                .ok_or_else(|| format!("bad precision {p:?}"))?,
        }),
    };
    Ok(Claim {
        seq: c.seq,
        span: span_of(c.span),
        text: c.text,
        claimer: c.claimer,
        claimer_entity: c.claimer_entity.map(ref_of),
        speaks_for: c.speaks_for,
        chain: c.chain,
        event_type: intern(&c.event_type),
        predicate: c.predicate,
        agent: c.agent.map(ref_of),
        target: c.target.map(ref_of),
        location: c.location.map(ref_of),
        entities: c.entities.into_iter().map(ref_of).collect(),
        terms: c.terms,
        polarity,
        modality,
        quantity,
        time,
        state: c.state.map(|(g, s)| (intern(&g), intern(&s))),
        refers_to: c.refers_to,
        cues: c
            .cues
            .into_iter()
            .map(|x| Cue {
                role: intern(&x.role),
                start: x.start,
                end: x.end,
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::PipelineBuilder;

    const LINES: &str = concat!(
        r#"{"id":"a1","source":"North Wire","date":"2024-04-28","title":"Russia says it regained control of Kursk","body":"MOSCOW, April 28 - Russian President Vladimir Putin said on Monday that Russian forces had fully regained control of the Kursk region. Ukraine denied the claim, saying its troops still held positions there. About 11,000 troops were involved, the Kremlin said."}"#,
        "\n\n",
        "not json\n",
        r#"{"id":"a2","source":"South Post","date":"2024-04-29","title":"Ukraine denies losing Kursk","body":"KYIV - Ukraine's general staff said its units still hold positions in the Kursk region, denying Moscow's claim. Some 15,000 troops took part, it said."}"#,
        "\n"
    );

    #[test]
    fn map_then_reduce_equals_run() {
        let config = PipelineBuilder::new().threads(1).build().unwrap();
        let dir = std::env::temp_dir().join(format!("crosscheck-stream-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let input = dir.join("in.jsonl");
        std::fs::write(&input, LINES).unwrap();
        let file = MapInput {
            file_id: 0,
            display: input.display().to_string(),
            numbered: false,
            whole_file: true,
        };
        let mut mapped = Vec::new();
        let stats = map(&config, &file, LINES.as_bytes(), &mut mapped).unwrap();
        assert_eq!((stats.articles, stats.rejects), (2, 1));
        let text = String::from_utf8(mapped.clone()).unwrap();
        assert!(text.lines().all(|l| l.starts_with("corpus\t{\"type\":")), "{text}");

        let ran = pipeline::run(&config, &[input], &NoProgress).unwrap();
        let reduced = reduce(
            &config,
            &mapped[..],
            ReduceOutput::Dir(&dir.join("out")),
            &ReportOptions::default(),
        )
        .unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(ran.claims.len(), reduced.claims.len());
        assert_eq!(ran.mentions.len(), reduced.mentions.len());
        assert_eq!(ran.conflicts.len(), reduced.conflicts.len());
        assert_eq!(ran.rejects, reduced.rejects);
        for (a, b) in ran.claims.iter().zip(&reduced.claims) {
            assert_eq!(
                (a.id(&ran.articles), a.event, &a.voice),
                (b.id(&reduced.articles), b.event, &b.voice)
            );
            assert_eq!(format!("{:?}", a.claim), format!("{:?}", b.claim));
        }
    }

    #[test]
    fn reduce_records_include_empty_files() {
        let config = PipelineBuilder::new().threads(1).build().unwrap();
        let mut sink = Vec::new();
        let opts = ReportOptions {
            jsonl: true,
            ..ReportOptions::default()
        };
        reduce(&config, &b""[..], ReduceOutput::Records(&mut sink), &opts).unwrap();
        let text = String::from_utf8(sink).unwrap();
        assert!(
            text.contains("conflicts.jsonl\t{\"v\":1,\"type\":\"file_line\",\"name\":\"conflicts.jsonl\",\"seq\":0,\"text\":\"\"}"),
            "{text}"
        );
    }

    #[test]
    fn reduce_refuses_another_version() {
        let config = PipelineBuilder::new().threads(1).build().unwrap();
        let line = format!(
            "corpus\t{{\"type\":\"reject\",\"v\":99,\"gazetteer\":\"{}\",\"file\":0,\"file_name\":\"x\",\"line\":1,\"reason\":\"r\"}}\n",
            fingerprint(&config.gazetteer)
        );
        let mut sink = Vec::new();
        let err = reduce(
            &config,
            line.as_bytes(),
            ReduceOutput::Records(&mut sink),
            &ReportOptions::default(),
        )
        .err()
        .expect("refused");
        assert!(err.to_string().contains("version 99"), "{err}");
    }
}

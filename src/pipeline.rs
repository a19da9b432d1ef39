//! The pipeline, stage by stage:
//!
//! ```text
//! ingest -> segment -> entities -> claims -> align -> detect -> report
//!                        \__ corpus-wide name clustering __/
//! ```
//!
//! Per-article stages (segment, entities, claims) run on the worker pool over bounded
//! batches of records; article bodies are dropped as soon as a batch is analysed, so memory
//! grows with the number of claims, not with the corpus. The corpus-wide steps (name
//! clustering, stories, events, detection) work on compact records and finish with a sort
//! on a total key, so the output does not depend on the thread count.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::align::{self, EventInput, StoryFeatures, StoryParams};
use crate::claims::packed::PackedClaims;
use crate::claims::{self, ClaimLimits};
use crate::date::to_days;
use crate::detect::{self, Conflict};
use crate::entities::cluster::{Census, EntityTable, Resolution};
use crate::entities::{self, Gazetteer, GazetteerBuilder, HeldNames, NameRef};
use crate::error::{Error, Reject, Result};
use crate::ingest::{self, Format, InputFile, Limits, RawRecord, Records};
use crate::lexicon::Lexicon;
use crate::model::{
    AnchorCountry, Article, ArticleRow, Claim, ClaimId, ClaimRow, EntityKind, EntityRef, Field, FileId, Origin, Span,
};
use crate::packing::{put_span, put_str, put_uint, Reader};
use crate::segment::Doc;
use crate::state::StoredArticle;
use crate::text::{term_hash, TokenKind};

/// Conflicts below this confidence are not reported unless asked for: they are the lone
/// dissents read from weak evidence (see `detect`).
pub const DEFAULT_MIN_CONFIDENCE: f32 = 0.25;

/// Records read per batch before they are analysed in parallel (also bounded by bytes).
const BATCH_RECORDS: usize = 4096;
const BATCH_BYTES: usize = 32 << 20;

/// Everything a run needs to know, validated. Cheap to clone (the gazetteer is shared).
#[derive(Clone)]
pub struct PipelineConfig {
    /// Worker threads (1 takes a purely sequential path).
    pub threads: usize,
    /// Input format override.
    pub format: Option<Format>,
    /// Record size limits.
    pub limits: Limits,
    /// Claim limits.
    pub claim_limits: ClaimLimits,
    /// Story clustering knobs.
    pub story: StoryParams,
    /// Conflicts below this confidence are left out of the report.
    pub min_confidence: f32,
    /// The gazetteer (compiled-in tables plus user aliases).
    pub gazetteer: Arc<Gazetteer>,
}

/// Builds a [`PipelineConfig`].
#[derive(Default)]
pub struct PipelineBuilder {
    threads: Option<usize>,
    format: Option<Format>,
    limits: Limits,
    claim_limits: ClaimLimits,
    aliases: Vec<PathBuf>,
    min_confidence: Option<f32>,
}

impl PipelineBuilder {
    /// Starts with defaults: all cores, formats by extension, default limits.
    pub fn new() -> PipelineBuilder {
        PipelineBuilder::default()
    }

    /// Number of worker threads (0 = all cores).
    pub fn threads(mut self, n: usize) -> Self {
        self.threads = (n > 0).then_some(n);
        self
    }

    /// Reads every input in this format.
    pub fn format(mut self, f: Option<Format>) -> Self {
        self.format = f;
        self
    }

    /// Largest record read, in bytes.
    pub fn max_article_bytes(mut self, n: usize) -> Self {
        self.limits.max_article_bytes = n;
        self
    }

    /// Longest sentence analysed, in bytes; longer ones are cut.
    pub fn max_sentence_bytes(mut self, n: usize) -> Self {
        self.limits.max_sentence_bytes = n;
        self
    }

    /// Most claims kept per article.
    pub fn max_claims_per_article(mut self, n: usize) -> Self {
        self.claim_limits.max_claims_per_article = n;
        self
    }

    /// Leaves conflicts below this confidence out of the report (default 0.25).
    pub fn min_confidence(mut self, c: f32) -> Self {
        self.min_confidence = Some(c);
        self
    }

    /// Adds a user alias table.
    pub fn alias_file(mut self, path: PathBuf) -> Self {
        self.aliases.push(path);
        self
    }

    /// Validates and builds.
    pub fn build(self) -> Result<PipelineConfig> {
        if self.limits.max_article_bytes < 64 {
            return Err(Error::Config("--max-article-bytes must be at least 64".into()));
        }
        if self.limits.max_sentence_bytes < 16 {
            return Err(Error::Config("--max-sentence-bytes must be at least 16".into()));
        }
        let min_confidence = self.min_confidence.unwrap_or(DEFAULT_MIN_CONFIDENCE);
        if !(0.0..=1.0).contains(&min_confidence) {
            return Err(Error::Config("--min-confidence must be between 0 and 1".into()));
        }
        if self.claim_limits.max_claims_per_article == 0 {
            return Err(Error::Config("--max-claims-per-article must be at least 1".into()));
        }
        let threads = self
            .threads
            .unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1));
        // Built on the run's threads (its automata are built in parallel).
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| Error::Config(format!("thread pool: {e}")))?;
        let gazetteer = pool.install(|| -> Result<Arc<Gazetteer>> {
            if self.aliases.is_empty() {
                return default_gazetteer();
            }
            let mut b = GazetteerBuilder::new();
            for p in &self.aliases {
                b.add_alias_file(p)?;
            }
            Ok(Arc::new(b.build()?))
        })?;
        Ok(PipelineConfig {
            threads,
            format: self.format,
            limits: self.limits,
            claim_limits: self.claim_limits,
            story: StoryParams::default(),
            min_confidence,
            gazetteer,
        })
    }
}

/// The compiled-in gazetteer, built once per process.
pub fn default_gazetteer() -> Result<Arc<Gazetteer>> {
    static GAZ: once_cell::sync::OnceCell<Arc<Gazetteer>> = once_cell::sync::OnceCell::new();
    GAZ.get_or_try_init(|| GazetteerBuilder::new().build().map(Arc::new))
        .cloned()
}

/// Progress reports from a run (the CLI draws a bar; tests ignore them).
pub trait Progress: Sync {
    /// A stage started.
    fn stage(&self, _name: &str) {}
    /// Articles and bytes read so far.
    fn read(&self, _articles: u64, _bytes: u64) {}
    /// A record was rejected.
    fn reject(&self, _reject: &Reject) {}
    /// A record was read, but a field of it could not be (named like a reject).
    fn warn(&self, _note: &Reject) {}
}

/// Ignores progress.
pub struct NoProgress;
impl Progress for NoProgress {}

/// Wall time of each stage, in pipeline order.
#[derive(Clone, Debug, Default)]
pub struct Timings(pub Vec<(&'static str, Duration)>);

/// An article's mention rows, packed (see [`crate::packing`]) while story grouping runs:
/// as structs a row costs 32 bytes and a block for its surface, packed about 18.
struct PackedMentions {
    bytes: Box<[u8]>,
    count: u32,
}

impl PackedMentions {
    /// Appends a row: entity id, where, and the surface as written.
    fn put(out: &mut Vec<u8>, entity: u32, span: Span, surface: &str) {
        put_uint(out, u64::from(entity));
        put_span(out, span);
        put_str(out, surface);
    }

    /// Calls `f` with each row's entity id, span and surface, in order.
    fn read<'a>(&'a self, mut f: impl FnMut(u32, Span, &'a str)) {
        let mut r = Reader::new(&self.bytes);
        for _ in 0..self.count {
            let entity = r.u32();
            let span = r.span();
            f(entity, span, r.string());
        }
    }
}

/// A claim row as built per article, before its voice and side are shared and its
/// back-reference is numbered across the corpus (see [`ClaimRow`]).
struct DraftRow {
    claimer_id: Option<u32>,
    anchor: Option<u32>,
    anchor_is_party: bool,
    anchor_country: Option<AnchorCountry>,
    entities: Vec<u32>,
    voice: String,
    agent_side: Option<String>,
    state_anchor: Option<u32>,
    retells: bool,
    claim: Box<Claim>,
}

/// One row of `mentions.csv`.
#[derive(Clone, Debug)]
pub struct MentionRow {
    /// Article index.
    pub article: u32,
    /// Final entity id.
    pub entity: u32,
    /// Text as written.
    pub surface: Box<str>,
    /// Field.
    pub field: Field,
    /// Start byte.
    pub start: u32,
    /// End byte.
    pub end: u32,
}

/// One row of `events.csv`.
#[derive(Clone, Debug)]
pub struct EventRow {
    /// Output id.
    pub id: String,
    /// Event type.
    pub event_type: &'static str,
    /// Short description.
    pub label: String,
    /// Claims in it.
    pub n_claims: u32,
    /// Distinct articles.
    pub n_articles: u32,
    /// Distinct sources.
    pub n_sources: u32,
    /// Conflicts found in it.
    pub n_conflicts: u32,
    /// Story index.
    pub story: u32,
}

/// What a run produces, in output order.
pub struct Output {
    /// Articles in input order (duplicates removed).
    pub articles: Vec<ArticleRow>,
    /// Entities sorted by key.
    pub entities: EntityTable,
    /// Mentions in article and text order.
    pub mentions: Vec<MentionRow>,
    /// Claims in article and text order.
    pub claims: Vec<ClaimRow>,
    /// Events by id.
    pub events: Vec<EventRow>,
    /// Conflicts by confidence (descending), then ids.
    pub conflicts: Vec<Conflict>,
    /// Rejected records in input order.
    pub rejects: Vec<Reject>,
    /// Number of story groups.
    pub n_stories: u32,
    /// Each article's story signals, when the configuration asks to keep them.
    pub story_features: Vec<StoryFeatures>,
    /// Input files read.
    pub files: Vec<InputFile>,
    /// Stage timings.
    pub timings: Timings,
    /// Bytes of article text read.
    pub bytes: u64,
    /// Conflicts found below the minimum confidence and left out.
    pub suppressed: usize,
    /// With a nightly state: tonight's articles, to store.
    pub tonight: Vec<Tonight>,
    /// Articles read tonight (the first `n_tonight` of `articles`; the rest were read back
    /// from the state).
    pub n_tonight: usize,
    /// Articles skipped because an earlier run processed them.
    pub skipped_seen: usize,
    /// Sentences cut at `--max-sentence-bytes`.
    pub sentences_cut: usize,
    /// Articles whose claims were cut at `--max-claims-per-article`.
    pub articles_claims_cut: usize,
    /// Articles whose publication date was given but not understood.
    pub dates_unread: usize,
}

/// The per-article result of the first three stages: what the corpus-wide phase needs of
/// an article once its text is gone (see `crate::stream` for its record form).
pub(crate) struct Analyzed {
    pub(crate) origin: Origin,
    pub(crate) row: ArticleRow,
    /// Packed: the names are held until the corpus-wide names step.
    pub(crate) names: HeldNames,
    /// Packed: claims are held from here until the claim rows are built, after story
    /// grouping, and packed they take less than half the room.
    pub(crate) claims: PackedClaims,
    /// Story signals (entities are added once names have their final ids).
    pub(crate) story: StoryFeatures,
    /// SimHash of the body, for wire copies.
    pub(crate) simhash: Option<u64>,
    /// Hash of title and body, for recognising an article seen under another id.
    pub(crate) content_hash: u64,
    /// Title and body, kept only when a nightly state will store them.
    pub(crate) text: Option<(String, String)>,
    /// Sentences cut at the length limit.
    pub(crate) sentences_cut: usize,
    /// Whether claims were left out at the per-article limit.
    pub(crate) claims_cut: bool,
    /// A publication date given but not understood, as written.
    pub(crate) unread_date: Option<String>,
}

/// What earlier runs saw (the nightly state): articles already processed, and stored
/// articles related to tonight's, so tonight's claims are aligned against them.
pub trait Archive: Sync {
    /// True when an article with this id or content hash was processed before.
    fn seen(&self, id: &str, content_hash: &str) -> Result<bool>;
    /// Stored articles sharing one of these blocking keys (not those in `exclude`),
    /// each key with the window of publication days it asks for (`None`: any day);
    /// undated stored articles are always in the window.
    fn related(&self, keys: &[KeyWindow], exclude: &std::collections::HashSet<String>) -> Result<Vec<StoredArticle>>;
}

/// A blocking key of tonight's articles and the publication days (first, last; days
/// since 1970) of stored articles it can tie to them; `None` when one of tonight's
/// articles naming it is undated.
pub type KeyWindow = (String, Option<(i32, i32)>);

impl Archive for crate::state::State {
    fn seen(&self, id: &str, content_hash: &str) -> Result<bool> {
        crate::state::State::seen(self, id, content_hash)
    }
    fn related(&self, keys: &[KeyWindow], exclude: &std::collections::HashSet<String>) -> Result<Vec<StoredArticle>> {
        crate::state::State::related(self, keys, exclude)
    }
}

/// A tonight's article as the nightly state keeps it.
#[derive(Clone, Debug)]
pub struct Tonight {
    /// The article (with its text).
    pub article: StoredArticle,
    /// Content hash, hex.
    pub content_hash: String,
    /// Publication day (days since 1970).
    pub day: Option<i32>,
    /// Blocking keys: the specific entities it names.
    pub keys: Vec<String>,
}

/// Most blocking keys kept per article (the most mentioned first).
const MAX_KEYS_PER_ARTICLE: usize = 12;

/// Runs the whole pipeline over the inputs.
pub fn run(config: &PipelineConfig, inputs: &[PathBuf], progress: &dyn Progress) -> Result<Output> {
    run_with_archive(config, inputs, progress, None)
}

/// Runs the whole pipeline, against what a nightly state remembers: articles it has seen
/// are skipped, and stored articles that share names with tonight's are read again, so a
/// denial published tonight meets the claim stored last week.
pub fn run_with_archive(
    config: &PipelineConfig,
    inputs: &[PathBuf],
    progress: &dyn Progress,
    archive: Option<&dyn Archive>,
) -> Result<Output> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .build()
        .map_err(|e| Error::Config(format!("thread pool: {e}")))?;
    pool.install(|| run_in_pool(config, inputs, progress, archive))
}

fn run_in_pool(
    config: &PipelineConfig,
    inputs: &[PathBuf],
    progress: &dyn Progress,
    archive: Option<&dyn Archive>,
) -> Result<Output> {
    let keep_text = archive.is_some();
    let mut timings = Timings::default();

    // Ingest, segment, entities, claims: per article, in bounded batches.
    progress.stage("read");
    let t = Instant::now();
    let (files, mut rejects) = ingest::walk(inputs, config.format);
    for r in &rejects {
        progress.reject(r);
    }
    let mut analyzed: Vec<Analyzed> = Vec::new();
    let mut records = Records::new(&files, config.limits);
    let mut bytes_read = 0u64;
    let read_batch = |records: &mut Records| {
        let mut batch: Vec<RawRecord> = Vec::new();
        let mut weight = 0usize;
        for rec in records.by_ref() {
            weight += rec.weight();
            batch.push(rec);
            if batch.len() >= BATCH_RECORDS || weight >= BATCH_BYTES {
                break;
            }
        }
        batch
    };
    let mut batch = read_batch(&mut records);
    while !batch.is_empty() {
        // The next batch is read while this one is analysed, so that reading does not
        // leave the other threads idle.
        let (results, next) = rayon::join(
            || analyze_batch(batch, &files, config, keep_text),
            || read_batch(&mut records),
        );
        batch = next;
        for r in results {
            match r {
                Ok(a) => {
                    bytes_read += a.row.bytes as u64;
                    analyzed.push(a);
                }
                Err(rej) => {
                    progress.reject(&rej);
                    rejects.push(rej);
                }
            }
        }
        progress.read(analyzed.len() as u64, bytes_read);
    }
    timings.0.push(("ingest+segment+entities+claims", t.elapsed()));
    corpus_wide(config, files, analyzed, rejects, timings, progress, archive)
}

/// The per-article phase over one batch of records: segment, entities and claims, each
/// record on its own (in parallel unless the config asks for one thread). Results keep the
/// batch's order.
pub(crate) fn analyze_batch(
    batch: Vec<RawRecord>,
    files: &[InputFile],
    config: &PipelineConfig,
    keep_text: bool,
) -> Vec<std::result::Result<Analyzed, Reject>> {
    let gaz = &*config.gazetteer;
    if config.threads <= 1 {
        batch
            .into_iter()
            .map(|r| analyze_record(r, files, gaz, config, keep_text))
            .collect()
    } else {
        batch
            .into_par_iter()
            .map(|r| analyze_record(r, files, gaz, config, keep_text))
            .collect()
    }
}

/// The corpus-wide phase: duplicate ids, the nightly archive, name clustering, wire copies,
/// stories, events, detection. Takes the per-article results in input order (`analyzed`)
/// and the rejects met so far; must run inside the run's thread pool.
pub(crate) fn corpus_wide(
    config: &PipelineConfig,
    files: Vec<InputFile>,
    analyzed: Vec<Analyzed>,
    mut rejects: Vec<Reject>,
    mut timings: Timings,
    progress: &dyn Progress,
    archive: Option<&dyn Archive>,
) -> Result<Output> {
    let gaz = &*config.gazetteer;
    let bytes_read: u64 = analyzed.iter().map(|a| a.row.bytes as u64).sum();

    // Duplicate ids: the first record wins; later ones are rejected.
    let mut seen: FxHashMap<String, Origin> = FxHashMap::default();
    let mut kept: Vec<Analyzed> = Vec::with_capacity(analyzed.len());
    for a in analyzed {
        match seen.get(&a.row.id) {
            Some(first) => {
                let r = Reject {
                    file: files[a.origin.file.0 as usize].display.clone(),
                    line: a.origin.line,
                    reason: format!(
                        "duplicate id {:?}, first read at {}:{}; this record is skipped",
                        a.row.id, files[first.file.0 as usize].display, first.line
                    ),
                };
                progress.reject(&r);
                rejects.push(r);
            }
            None => {
                seen.insert(a.row.id.clone(), a.origin);
                kept.push(a);
            }
        }
    }
    drop(seen);
    let mut analyzed = kept;
    // A date given but not understood costs the article its date checks (reversals,
    // dates of a happening): the article is kept and named, so the feed can be fixed.
    let mut dates_unread = 0;
    for a in &mut analyzed {
        if let Some(text) = a.unread_date.take() {
            dates_unread += 1;
            progress.warn(&Reject {
                file: files[a.origin.file.0 as usize].display.clone(),
                line: a.origin.line,
                reason: format!("date {text:?} not understood; the article is read without a publication date"),
            });
        }
    }
    let sentences_cut = analyzed.iter().map(|a| a.sentences_cut).sum();
    let articles_claims_cut = analyzed.iter().filter(|a| a.claims_cut).count();

    // Nightly: skip what earlier runs processed, read back the stored articles that share
    // names with tonight's, and remember tonight's for the state.
    let mut tonight: Vec<Tonight> = Vec::new();
    let mut skipped_seen = 0usize;
    let mut n_tonight = analyzed.len();
    let mut files = files;
    if let Some(archive) = archive {
        let mut fresh = Vec::with_capacity(analyzed.len());
        for a in analyzed {
            if archive.seen(&a.row.id, &format!("{:016x}", a.content_hash))? {
                skipped_seen += 1;
            } else {
                fresh.push(a);
            }
        }
        analyzed = fresh;
        n_tonight = analyzed.len();
        // Each key asks for the stored articles published within the story window of
        // tonight's articles naming it: articles further apart are never put in one
        // story, so older ones cannot meet tonight's claims, and the nightly cost stays
        // bounded by the stored articles of recent days, however long the archive.
        let window = config.story.max_days_apart;
        let mut key_days: std::collections::BTreeMap<String, Option<(i32, i32)>> = std::collections::BTreeMap::new();
        for a in &mut analyzed {
            let keys = blocking_keys(gaz, &a.names);
            let day = a.row.published.map(to_days);
            for k in &keys {
                let range = day.map(|d| (d - window, d + window));
                key_days
                    .entry(k.clone())
                    .and_modify(|r| {
                        *r = match (*r, range) {
                            (Some((lo, hi)), Some((l, h))) => Some((lo.min(l), hi.max(h))),
                            _ => None,
                        }
                    })
                    .or_insert(range);
            }
            let (title, body) = a.text.take().unwrap_or_default();
            tonight.push(Tonight {
                article: StoredArticle {
                    id: a.row.id.clone(),
                    source: a.row.source.clone(),
                    published: a.row.published.map(crate::date::format_date).unwrap_or_default(),
                    title,
                    body,
                    url: a.row.url.clone(),
                },
                content_hash: format!("{:016x}", a.content_hash),
                day: a.row.published.map(to_days),
                keys,
            });
        }
        let all_keys: Vec<KeyWindow> = key_days.into_iter().collect();
        let exclude: std::collections::HashSet<String> = analyzed.iter().map(|a| a.row.id.clone()).collect();
        let stored = archive.related(&all_keys, &exclude)?;
        if !stored.is_empty() {
            let state_file = FileId(files.len() as u32);
            files.push(InputFile {
                id: state_file,
                path: PathBuf::from("(state)"),
                display: "(state)".to_string(),
                format: None,
            });
            let again: Vec<Analyzed> = stored
                .into_par_iter()
                .enumerate()
                .map(|(i, s)| {
                    let origin = Origin {
                        file: state_file,
                        line: i as u64 + 1,
                    };
                    let mut article = Article {
                        id: s.id,
                        source: s.source,
                        published: crate::date::parse_date(&s.published),
                        unread_date: None,
                        title: s.title,
                        body: s.body,
                        url: s.url,
                        dateline_len: 0,
                    };
                    article.dateline_len = ingest::dateline_len(&article.body);
                    analyze(origin, article, gaz, config, false)
                })
                .collect();
            analyzed.extend(again);
        }
    }

    // Names: corpus-wide clustering, then final entity ids.
    progress.stage("names");
    let t = Instant::now();
    let census = per_thread(&analyzed)
        .map(|part| {
            let mut c = Census::default();
            for a in part {
                c.add(&a.names);
            }
            c
        })
        .reduce(Census::default, |a, b| {
            let (mut big, small) = if a.names.len() >= b.names.len() { (a, b) } else { (b, a) };
            big.merge(small);
            big
        });
    let resolution = entities::cluster::resolve(&census);
    drop(census);
    analyzed.par_iter_mut().for_each(|a| {
        if !a.names.has_weak() {
            return;
        }
        let weak = a.names.weak();
        a.names.clear_weak();
        let mut extra = Vec::new();
        resolution.resolve_weak(&weak, &mut extra);
        // Surfaces as written (the runs keep words, not the spaces between them).
        for m in extra.iter_mut().filter(|m| m.span.field == Field::Title) {
            if let Some(s) = a.row.title.get(m.span.start as usize..m.span.end as usize) {
                m.surface = s.into();
            }
        }
        if !extra.is_empty() {
            let mut mentions = a.names.mentions();
            mentions.extend(extra);
            mentions.sort_by_key(|m| (m.span.field, m.span.start, m.span.end));
            a.names.set_mentions(&mentions);
        }
    });
    // Entities some mention or voice refers to: flags set from every article at once
    // (each flag only ever goes from false to true, so the order does not matter).
    let flags = |n: usize| -> Vec<AtomicBool> { (0..n).map(|_| AtomicBool::new(false)).collect() };
    let (used_known, used_names) = (flags(gaz.entries.len()), flags(resolution.entities.len()));
    analyzed.par_iter().with_min_len(64).for_each(|a| {
        a.names
            .for_each(|m| mark_used(m.entity, &resolution, &used_known, &used_names));
        for (claimer, government) in a.claims.voices() {
            if let Some(e) = &claimer {
                mark_used(e.into(), &resolution, &used_known, &used_names);
            }
            if let Some(g) = government.and_then(|g| used_known.get(g as usize)) {
                g.store(true, Ordering::Relaxed);
            }
        }
    });
    let read = |v: Vec<AtomicBool>| -> Vec<bool> { v.into_iter().map(AtomicBool::into_inner).collect() };
    let (used_known, used_names) = (read(used_known), read(used_names));
    let mut table = EntityTable::build(gaz, &resolution, &used_known, &used_names);
    // The articles' names move into output rows (nothing reads them afterwards), kept per
    // article and packed until story grouping is done: as one list of structs, they were
    // held with the grouping's memory.
    let mention_rows: Vec<PackedMentions> = analyzed
        .par_iter_mut()
        .map(|a| {
            let mut bytes = Vec::new();
            let mut count = 0;
            std::mem::take(&mut a.names).for_each(|m| {
                if let Some(id) = table.id_of(m.entity, &resolution) {
                    PackedMentions::put(&mut bytes, id, m.span, m.surface);
                    count += 1;
                }
            });
            PackedMentions {
                bytes: bytes.into_boxed_slice(),
                count,
            }
        })
        .collect();
    // Each entity's mentions, articles and surfaces as written, from every article at
    // once: sums, and sets of (entity, surface) merged and then sorted. The surfaces
    // repeat (2.4 million mentions, 81,214 distinct pairs in 80,000 generated articles),
    // so the sort is of the distinct pairs only.
    let counts: Vec<(AtomicU64, AtomicU64)> = (0..table.rows.len())
        .map(|_| (AtomicU64::new(0), AtomicU64::new(0)))
        .collect();
    let aliases: FxHashSet<(u32, &str)> = per_thread(&mention_rows)
        .map(|part| {
            let mut set = FxHashSet::default();
            let mut ids: Vec<u32> = Vec::new();
            for m in part {
                ids.clear();
                m.read(|id, _, surface| {
                    ids.push(id);
                    set.insert((id, surface));
                });
                ids.sort_unstable();
                for run in ids.chunk_by(|x, y| x == y) {
                    let (mentions, articles) = &counts[run[0] as usize];
                    mentions.fetch_add(run.len() as u64, Ordering::Relaxed);
                    articles.fetch_add(1, Ordering::Relaxed);
                }
            }
            set
        })
        .reduce(FxHashSet::default, |a, b| {
            let (mut big, small) = if a.len() >= b.len() { (a, b) } else { (b, a) };
            big.extend(small);
            big
        });
    for (row, (mentions, articles)) in table.rows.iter_mut().zip(counts) {
        row.mentions += mentions.into_inner();
        row.articles += articles.into_inner();
    }
    let mut aliases: Vec<(u32, &str)> = aliases.into_iter().collect();
    aliases.par_sort_unstable();
    for (id, surface) in aliases {
        // Sorted and unique already.
        table.rows[id as usize].aliases.push(surface.into());
    }
    timings.0.push(("names", t.elapsed()));

    // Wire copies: near-identical bodies under different outlets are one voice.
    let t = Instant::now();
    let wire = wire_groups(&analyzed);
    for (a, w) in analyzed.iter_mut().zip(&wire) {
        a.row.wire = *w;
    }

    // Stories.
    progress.stage("align");
    // Story signals name entities by the rank of their key, which does not depend on the
    // order articles come in.
    let mut by_key: Vec<u32> = (0..table.rows.len() as u32).collect();
    by_key.sort_unstable_by(|&x, &y| {
        table.rows[x as usize]
            .key
            .cmp(&table.rows[y as usize].key)
            .then(x.cmp(&y))
    });
    let mut entity_rank = vec![0u32; table.rows.len()];
    for (r, &e) in by_key.iter().enumerate() {
        entity_rank[e as usize] = r as u32;
    }
    drop(by_key);
    let features: Vec<StoryFeatures> = analyzed
        .par_iter_mut()
        .with_min_len(64)
        .enumerate()
        .map(|(ai, a)| {
            let mut ids: Vec<u32> = Vec::with_capacity(mention_rows[ai].count as usize);
            mention_rows[ai].read(|entity, _, _| ids.push(entity_rank[entity as usize]));
            ids.sort_unstable();
            let mut f = std::mem::take(&mut a.story);
            for id in ids {
                match f.entities.last_mut() {
                    Some((last, n)) if *last == id => *n += 1,
                    _ => f.entities.push((id, 1)),
                }
            }
            f
        })
        .collect();
    // Only the article rows and claims are read from here on.
    let (mut articles, claims_of): (Vec<ArticleRow>, Vec<PackedClaims>) =
        analyzed.into_iter().map(|a| (a.row, a.claims)).unzip();
    let ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
    let (stories, story_features) = align::cluster_stories_keyed(features, &ids, &config.story);
    drop(ids);
    let mut mentions: Vec<MentionRow> = Vec::with_capacity(mention_rows.iter().map(|m| m.count as usize).sum());
    for (ai, m) in mention_rows.into_iter().enumerate() {
        m.read(|entity, span, surface| {
            mentions.push(MentionRow {
                article: ai as u32,
                entity,
                surface: surface.into(),
                field: span.field,
                start: span.start,
                end: span.end,
            })
        });
    }
    let n_stories = stories.labels.iter().copied().max().map_or(0, |m| m + 1);
    for (a, s) in articles.iter_mut().zip(&stories.labels) {
        a.story = *s;
    }

    // Claims with final entity ids and voices, built once story grouping has freed its
    // memory, so the two are not held at once.
    let outlets: FxHashSet<String> = articles.iter().map(|a| outlet_key(&a.source)).collect();
    let n_claims = claims_of.iter().map(PackedClaims::len).sum();
    // Articles in parallel; then, in article order, back-references are numbered
    // corpus-wide and voices shared.
    let drafts: Vec<Vec<DraftRow>> = articles
        .par_iter()
        .zip(claims_of)
        .map(|(a, claims)| {
            claims
                .unpack()
                .into_iter()
                .map(|c| {
                    let id_of = |r: &Option<EntityRef>| r.as_ref().and_then(|e| table.id_of(e, &resolution));
                    let claimer_id = id_of(&c.claimer_entity);
                    let location = id_of(&c.location);
                    let target = id_of(&c.target);
                    let agent = id_of(&c.agent);
                    let entities: Vec<u32> = c.entities.iter().filter_map(|e| table.id_of(e, &resolution)).collect();
                    let lex = Lexicon::get();
                    let party = lex.party_events.contains(&c.event_type);
                    let anchor = pick_anchor(&table, location, target, agent, &entities, party);
                    // A place read as who it happened to is mostly a misread "where"
                    // ("found dead in Arlow"), so it is not counted as a party.
                    let anchor_is_party = party
                        && anchor.is_some_and(|a| {
                            (Some(a) == target || Some(a) == agent)
                                && !matches!(table.rows[a as usize].kind, EntityKind::Place | EntityKind::Country)
                        });
                    let anchor_country = anchor.and_then(|a| {
                        let row = &table.rows[a as usize];
                        let whole = row.kind == EntityKind::Country;
                        let code = match row.kind {
                            EntityKind::Country => &row.code,
                            EntityKind::Place => &row.country,
                            _ => return None,
                        };
                        let code = <[u8; 2]>::try_from(code.as_bytes()).ok()?;
                        Some(AnchorCountry { code, whole })
                    });
                    let state_anchor = c.state.and_then(|(group, _)| {
                        if lex.party_states.contains(&group) {
                            let is_party = |e: &u32| {
                                !matches!(table.rows[*e as usize].kind, EntityKind::Place | EntityKind::Country)
                            };
                            // Without an event the agent can only be the subject pronoun's
                            // referent ("he is staying at the helm"): the one the state is of.
                            let order = if c.event_type == "other" {
                                [agent, target]
                            } else {
                                [target, agent]
                            };
                            order
                                .into_iter()
                                .flatten()
                                .find(is_party)
                                .or_else(|| entities.iter().copied().find(is_party))
                        } else {
                            pick_anchor(&table, location, target, agent, &entities, false)
                        }
                    });
                    let voice = if let Some(g) = c.speaks_for {
                        format!("gov:{}", gaz.entries[g as usize].code)
                    } else if let Some(id) = claimer_id {
                        let row = &table.rows[id as usize];
                        if row.kind == EntityKind::Country {
                            format!("gov:{}", row.code)
                        } else {
                            format!("entity:{}", row.key)
                        }
                    } else if !c.claimer.is_empty() {
                        format!("name:{}", name_voice(&c.claimer))
                    } else {
                        // An outlet speaking in its own voice is one voice across its articles.
                        format!("outlet:{}", crate::text::fold_name(&a.source))
                    };
                    let agent_side = c
                        .agent
                        .as_ref()
                        .and_then(|e| side_of(e, gaz, &resolution))
                        .or_else(|| agent.map(|id| table.rows[id as usize].key.clone()));
                    let retells = !c.claimer.is_empty() && {
                        let k = outlet_key(&c.claimer);
                        k != outlet_key(&a.source) && outlets.contains(&k)
                    };
                    DraftRow {
                        claimer_id,
                        anchor,
                        anchor_is_party,
                        anchor_country,
                        entities,
                        voice,
                        agent_side,
                        state_anchor,
                        retells,
                        claim: Box::new(c),
                    }
                })
                .collect()
        })
        .collect();
    let mut claim_rows: Vec<ClaimRow> = Vec::with_capacity(n_claims);
    let mut shared: FxHashSet<Arc<str>> = FxHashSet::default();
    for (ai, rows) in drafts.into_iter().enumerate() {
        let base = claim_rows.len() as u32;
        for d in rows {
            claim_rows.push(ClaimRow {
                article: ai as u32,
                claimer_id: d.claimer_id,
                anchor: d.anchor,
                anchor_is_party: d.anchor_is_party,
                anchor_country: d.anchor_country,
                entities: d.entities,
                voice: share(&mut shared, d.voice),
                event: 0,
                refers_to: d.claim.refers_to.map(|s| base + s),
                agent_side: d.agent_side.map(|s| share(&mut shared, s)),
                state_anchor: d.state_anchor,
                retells: d.retells,
                claim: d.claim,
            });
        }
    }

    drop(resolution);
    drop(shared);

    // Events.
    let inputs: Vec<EventInput> = claim_rows
        .iter()
        .map(|c| EventInput {
            story: stories.labels[c.article as usize],
            event_type: c.claim.event_type,
            anchor: c.anchor,
            entities: &c.entities,
            terms: &c.claim.terms,
            // The headline's first claim speaks for the story; a second one ("confirms A, says
            // B") is aligned like a body claim.
            headline: c.claim.span.field == Field::Title && c.claim.seq == 0,
            specific: c
                .anchor
                .is_some_and(|a| table.rows[a as usize].kind != EntityKind::Country),
            day: articles[c.article as usize].published.map(to_days),
        })
        .collect();
    let event_of = align::group_events(&inputs);
    drop(inputs);
    for (c, e) in claim_rows.iter_mut().zip(&event_of) {
        c.event = *e;
    }
    timings.0.push(("align", t.elapsed()));

    // Detect.
    progress.stage("detect");
    let t = Instant::now();
    let mut conflicts = detect::detect(&claim_rows, &articles);
    // Articles of different stories are compared only when they are textual neighbours.
    conflicts.retain(|c| stories.compared(claim_rows[c.a as usize].article, claim_rows[c.b as usize].article));
    drop(stories);
    let before = conflicts.len();
    conflicts.retain(|c| c.confidence >= config.min_confidence);
    let suppressed = before - conflicts.len();
    conflicts.sort_by(|a, b| {
        b.confidence
            .total_cmp(&a.confidence)
            .then_with(|| {
                claim_rows[a.a as usize]
                    .id(&articles)
                    .cmp(&claim_rows[b.a as usize].id(&articles))
            })
            .then_with(|| {
                claim_rows[a.b as usize]
                    .id(&articles)
                    .cmp(&claim_rows[b.b as usize].id(&articles))
            })
            .then_with(|| a.kind.cmp(&b.kind))
    });
    let events = event_rows(&claim_rows, &articles, &conflicts, &table);
    timings.0.push(("detect", t.elapsed()));

    Ok(Output {
        articles,
        entities: table,
        mentions,
        claims: claim_rows,
        events,
        conflicts,
        rejects,
        n_stories,
        story_features,
        files,
        timings,
        bytes: bytes_read,
        suppressed,
        tonight,
        n_tonight,
        skipped_seen,
        sentences_cut,
        articles_claims_cut,
        dates_unread,
    })
}

/// `items` in one run per worker thread, for gathering into maps and sets: rayon's own
/// splits made about ten partial maps on 2 threads, and merging them cost more than
/// filling them (news31k's name census took 0.095 s with 2 threads this way, 0.056 s with
/// a run per thread).
fn per_thread<T: Sync>(items: &[T]) -> rayon::slice::Chunks<'_, T> {
    items.par_chunks(items.len().div_ceil(rayon::current_num_threads()).max(1))
}

/// The voice of a claimer known only by name: its folded words without the small words,
/// sorted, so that one body named in two word orders ("the office of Colombia's high
/// commissioner for peace", "Colombia's office of the high commissioner for peace") is
/// one voice.
fn name_voice(claimer: &str) -> String {
    let folded = crate::text::fold_name(claimer);
    let lex = crate::lexicon::Lexicon::get();
    let mut words: Vec<&str> = folded
        .split(|c: char| c.is_whitespace() || c == '\'')
        .filter(|w| !w.is_empty() && *w != "s" && !(lex.is_stop(w) && folded.contains(' ')))
        .collect();
    words.sort_unstable();
    words.dedup();
    if words.is_empty() {
        return folded;
    }
    words.join(" ")
}

/// The one copy of `s` in `pool`: voices and sides repeat across many claims.
fn share(pool: &mut FxHashSet<Arc<str>>, s: String) -> Arc<str> {
    match pool.get(s.as_str()) {
        Some(a) => a.clone(),
        None => {
            let a: Arc<str> = s.into();
            pool.insert(a.clone());
            a
        }
    }
}

/// The country a doer stands for: itself for a country, its country for a capital or
/// government seat, the affiliation the corpus gives a person or body.
fn side_of(e: &EntityRef, gaz: &Gazetteer, res: &Resolution) -> Option<String> {
    match e {
        EntityRef::Known(k) => {
            let entry = gaz.entries.get(*k as usize)?;
            let country = gaz.country_of(*k)?;
            (entry.kind == EntityKind::Country || entry.metonym || entry.capital)
                .then(|| gaz.entries[country as usize].code.to_string())
        }
        EntityRef::Name(n) => {
            let ent = res.entities.get(*res.map.get(n)? as usize)?;
            let c = ent.affiliation?;
            Some(gaz.entries.get(c as usize)?.code.to_string())
        }
    }
}

fn mark_used(e: NameRef, res: &Resolution, known: &[AtomicBool], names: &[AtomicBool]) {
    let flag = match e {
        NameRef::Known(i) => known.get(i as usize),
        NameRef::Name(k) => res.map.get(k).and_then(|&i| names.get(i as usize)),
    };
    if let Some(f) = flag {
        f.store(true, Ordering::Relaxed);
    }
}

/// An outlet's name reduced to its letters and digits, without a leading "the": "the
/// Kattegat Review" and "kattegat-review" are one outlet.
fn outlet_key(name: &str) -> String {
    let key: String = name
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    let lower = name.trim_start().to_lowercase();
    if lower.starts_with("the ") || lower.starts_with("the-") {
        key[3..].to_string()
    } else {
        key
    }
}

/// The entity an event is anchored on. For events identified by where they happened:
/// the place, else to whom, else who did it (a place beats a country: the country is
/// usually a side, the place the event). For events identified by who took part (an
/// arrest, a signing): to whom, else who, else where.
fn pick_anchor(
    table: &EntityTable,
    location: Option<u32>,
    target: Option<u32>,
    agent: Option<u32>,
    entities: &[u32],
    party: bool,
) -> Option<u32> {
    if party {
        return target.or(agent).or(location).or(entities.first().copied());
    }
    let is_place = |e: &u32| table.rows[*e as usize].kind == EntityKind::Place;
    if let Some(l) = location {
        return Some(l);
    }
    if let Some(p) = [target, agent].into_iter().flatten().find(is_place) {
        return Some(p);
    }
    if let Some(p) = entities.iter().find(|e| is_place(e)) {
        return Some(*p);
    }
    target.or(agent).or(entities.first().copied())
}

pub(crate) fn analyze_record(
    rec: RawRecord,
    files: &[InputFile],
    gaz: &Gazetteer,
    config: &PipelineConfig,
    keep_text: bool,
) -> std::result::Result<Analyzed, Reject> {
    let (origin, article) = rec.into_article(files)?;
    Ok(analyze(origin, article, gaz, config, keep_text))
}

/// Segment, entities and claims for one article; the body is dropped on return.
fn analyze(origin: Origin, article: Article, gaz: &Gazetteer, config: &PipelineConfig, keep_text: bool) -> Analyzed {
    let max_sentence = config.limits.max_sentence_bytes;
    let docs = [
        Doc::with_max_sentence(Field::Title, &article.title, 0, max_sentence),
        Doc::with_max_sentence(Field::Body, &article.body, article.dateline_len, max_sentence),
    ];
    let names = entities::find_mentions(gaz, &docs);
    // One claim more than the limit is asked for, so an article cut at the limit can be
    // told from one that has exactly that many claims.
    let max_claims = config.claim_limits.max_claims_per_article;
    let limits = ClaimLimits {
        max_claims_per_article: max_claims.saturating_add(1),
    };
    let mut claims = claims::extract(&docs, gaz, &names.mentions, article.published, limits);
    let claims_cut = claims.len() > max_claims;
    claims.truncate(max_claims);
    let claims = PackedClaims::pack(&claims);
    let sentences_cut = docs.iter().map(|d| d.sentences_cut).sum();
    let story = align::story_signals(&docs[0], &docs[1], &article.url, article.published.map(to_days));
    let simhash = simhash(&docs[1]);
    let row = ArticleRow {
        id: article.id.clone(),
        source: article.source.clone(),
        published: article.published,
        title: article.title.clone(),
        url: article.url.clone(),
        origin,
        story: 0,
        wire: 0,
        bytes: article.title.len() + article.body.len(),
    };
    let content_hash = {
        let mut h = rustc_hash::FxHasher::default();
        std::hash::Hash::hash(&article.title, &mut h);
        std::hash::Hash::hash(&article.body, &mut h);
        std::hash::Hasher::finish(&h)
    };
    let text = keep_text.then_some((article.title, article.body));
    Analyzed {
        unread_date: article.unread_date,
        origin,
        row,
        names: HeldNames::pack(names),
        claims,
        story,
        simhash,
        content_hash,
        text,
        sentences_cut,
        claims_cut,
    }
}

/// The specific things an article names (regions, cities, people, organizations; not
/// whole countries), as stable keys, most mentioned first, and the pair of countries it
/// names most ("countries:GH+MA": a deal signed in Accra and one signed in Rabat share no
/// city): what ties it to stored articles in a nightly run.
fn blocking_keys<'g>(gaz: &'g Gazetteer, names: &HeldNames) -> Vec<String> {
    let mut counts: FxHashMap<String, u32> = FxHashMap::default();
    let mut countries: FxHashMap<&'g str, u32> = FxHashMap::default();
    names.for_each(|m| {
        let key = match m.entity {
            NameRef::Known(k) => {
                let e = &gaz.entries[k as usize];
                if e.kind == EntityKind::Country {
                    *countries.entry(&e.code).or_default() += 1;
                    return;
                }
                e.key.to_string()
            }
            NameRef::Name(n) => format!("name:{n}"),
        };
        *counts.entry(key).or_default() += 1;
    });
    let mut keys: Vec<(String, u32)> = counts.into_iter().collect();
    keys.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    keys.truncate(MAX_KEYS_PER_ARTICLE);
    let mut keys: Vec<String> = keys.into_iter().map(|(k, _)| k).collect();
    let mut countries: Vec<(&str, u32)> = countries.into_iter().collect();
    countries.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    if let [(a, _), (b, _), ..] = countries.as_slice() {
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        keys.push(format!("countries:{a}+{b}"));
    }
    keys
}

/// 64-bit SimHash over word 3-shingles of the body; `None` for bodies too short to tell
/// copies apart.
fn simhash(doc: &Doc) -> Option<u64> {
    let words: Vec<usize> = (0..doc.tokens.len())
        .filter(|&i| doc.tokens[i].kind != TokenKind::Punct)
        .collect();
    if words.len() < 40 {
        return None;
    }
    // How many shingle hashes have each of the 64 bits set, as 64 counters side by side:
    // `planes[k]` holds bit k of every counter, so adding a hash is a binary addition
    // across the planes that stops with its carry (two steps on average), not 64 steps.
    let mut planes = [0u64; usize::BITS as usize];
    // One buffer for every shingle ("a b c"), refilled in place.
    let mut shingle = String::with_capacity(64);
    for w in words.windows(3) {
        shingle.clear();
        shingle.push_str(doc.lower(w[0]));
        shingle.push(' ');
        shingle.push_str(doc.lower(w[1]));
        shingle.push(' ');
        shingle.push_str(doc.lower(w[2]));
        let mut carry = term_hash(&shingle);
        for plane in &mut planes {
            if carry == 0 {
                break;
            }
            let next = *plane & carry;
            *plane ^= carry;
            carry = next;
        }
    }
    // A bit is set when more shingles have it than not.
    let shingles = words.len() - 2;
    let used = (usize::BITS - shingles.leading_zeros()) as usize;
    Some((0..64).fold(0u64, |h, bit| {
        let ones = planes[..used]
            .iter()
            .enumerate()
            .fold(0usize, |n, (k, plane)| n | ((plane >> bit & 1) as usize) << k);
        if 2 * ones > shingles {
            h | 1 << bit
        } else {
            h
        }
    }))
}

/// Groups near-identical articles (SimHash within 3 bits). Candidates come from four
/// 16-bit bands (two hashes within 3 bits share at least one band), so the cost is linear
/// plus the band collisions. Returns, per article, the index of its group's first article.
fn wire_groups(analyzed: &[Analyzed]) -> Vec<u32> {
    let n = analyzed.len();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    fn find(p: &mut [u32], mut x: u32) -> u32 {
        while p[x as usize] != x {
            p[x as usize] = p[p[x as usize] as usize];
            x = p[x as usize];
        }
        x
    }
    for band in 0..4 {
        let mut buckets: FxHashMap<u16, Vec<u32>> = FxHashMap::default();
        for (i, a) in analyzed.iter().enumerate() {
            if let Some(h) = a.simhash {
                buckets.entry((h >> (16 * band)) as u16).or_default().push(i as u32);
            }
        }
        let mut keys: Vec<u16> = buckets.keys().copied().collect();
        keys.sort_unstable();
        for k in keys {
            let members = &buckets[&k];
            for (x, &i) in members.iter().enumerate() {
                for &j in members.iter().skip(x + 1).take(64) {
                    let (hi, hj) = (
                        analyzed[i as usize].simhash.unwrap_or(0),
                        analyzed[j as usize].simhash.unwrap_or(0),
                    );
                    if (hi ^ hj).count_ones() <= 3 {
                        let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
                        if ri != rj {
                            parent[ri.max(rj) as usize] = ri.min(rj);
                        }
                    }
                }
            }
        }
    }
    (0..n as u32).map(|i| find(&mut parent, i)).collect()
}

fn event_rows(
    claims: &[ClaimRow],
    articles: &[ArticleRow],
    conflicts: &[Conflict],
    table: &EntityTable,
) -> Vec<EventRow> {
    let n_events = claims.iter().map(|c| c.event + 1).max().unwrap_or(0) as usize;
    // The claims of each event, in claim order (a counting sort), so that each event's
    // row is worked out on its own, in parallel.
    let mut offsets = vec![0u32; n_events + 1];
    for c in claims {
        offsets[c.event as usize + 1] += 1;
    }
    for e in 1..=n_events {
        offsets[e] += offsets[e - 1];
    }
    let mut fill = offsets.clone();
    let mut members = vec![0u32; claims.len()];
    for (i, c) in claims.iter().enumerate() {
        members[fill[c.event as usize] as usize] = i as u32;
        fill[c.event as usize] += 1;
    }
    drop(fill);
    let mut n_conflicts = vec![0u32; n_events];
    for c in conflicts {
        n_conflicts[c.event as usize] += 1;
    }
    (0..n_events)
        .into_par_iter()
        .with_min_len(1024)
        .map(|e| {
            let of_event = &members[offsets[e] as usize..offsets[e + 1] as usize];
            let mut arts: Vec<u32> = Vec::new();
            let mut sources: Vec<&str> = Vec::new();
            let mut anchors: Vec<u32> = Vec::new();
            let mut types: Vec<(&'static str, u32)> = Vec::new();
            // An event spanning stories is filed under the story of its earliest claim
            // (by date, then claim id), whatever order the articles were read in.
            let mut earliest: Option<(Option<crate::date::Date>, ClaimId, u32)> = None;
            for &i in of_event {
                let c = &claims[i as usize];
                let a = &articles[c.article as usize];
                let key = (a.published, c.id(articles), c.article);
                if earliest.is_none_or(|k| key < k) {
                    earliest = Some(key);
                }
                if !arts.contains(&c.article) {
                    arts.push(c.article);
                }
                if !sources.contains(&a.source.as_str()) {
                    sources.push(&a.source);
                }
                anchors.extend(c.anchor);
                match types.iter_mut().find(|t| t.0 == c.claim.event_type) {
                    Some(t) => t.1 += 1,
                    None => types.push((c.claim.event_type, 1)),
                }
            }
            let event_type = types
                .iter()
                .max_by_key(|(t, n)| (*n, *t != "other", std::cmp::Reverse(*t)))
                .map_or("other", |(t, _)| *t);
            // The commonest anchor, the smallest id among equals.
            anchors.sort_unstable();
            let anchor = anchors
                .chunk_by(|x, y| x == y)
                .max_by_key(|run| (run.len(), std::cmp::Reverse(run[0])))
                .map(|run| run[0]);
            let label = match anchor {
                Some(a) => format!("{} {}", event_type.replace('_', " "), table.rows[a as usize].canonical),
                // Untyped events are labelled by their earliest headline.
                None => earliest
                    .map(|(_, _, a)| shorten(&articles[a as usize].title, 60))
                    .unwrap_or_default(),
            };
            EventRow {
                id: format!("ev{:05}", e + 1),
                event_type,
                label,
                n_claims: of_event.len() as u32,
                n_articles: arts.len() as u32,
                n_sources: sources.len() as u32,
                n_conflicts: n_conflicts[e],
                story: earliest.map_or(0, |(_, _, a)| articles[a as usize].story),
            }
        })
        .collect()
}

fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let mut out: String = s.chars().take(n).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {

    #[test]
    fn one_body_named_in_two_word_orders_is_one_voice() {
        assert_eq!(
            name_voice("the office of the national commissioner for peace"),
            name_voice("National Commissioner's office for peace")
        );
        assert_ne!(
            name_voice("commissioner for peace"),
            name_voice("commissioner for energy")
        );
        assert_eq!(name_voice("they"), "they");
    }

    use super::*;
    use crate::text::term_hash;
    use crate::text::TokenKind;

    /// The SimHash as usually written: each shingle votes +1 or -1 on each of the 64 bits.
    fn simhash_by_votes(doc: &Doc) -> Option<u64> {
        let words: Vec<usize> = (0..doc.tokens.len())
            .filter(|&i| doc.tokens[i].kind != TokenKind::Punct)
            .collect();
        if words.len() < 40 {
            return None;
        }
        let mut votes = [0i64; 64];
        for w in words.windows(3) {
            let h = term_hash(&format!("{} {} {}", doc.lower(w[0]), doc.lower(w[1]), doc.lower(w[2])));
            for (bit, v) in votes.iter_mut().enumerate() {
                *v += if h >> bit & 1 == 1 { 1 } else { -1 };
            }
        }
        Some((0..64).filter(|&bit| votes[bit] > 0).fold(0, |h, bit| h | 1 << bit))
    }

    #[test]
    fn simhash_counts_votes_as_the_plain_sum_does() {
        let words: Vec<&str> = "the minister said the northern province was quiet on Monday while troops moved north \
                                of the river and officials denied it"
            .split_whitespace()
            .collect();
        let mut seen = FxHashSet::default();
        // Lengths around the 40-word floor and powers of two of the shingle count.
        for len in [39, 40, 41, 42, 63, 66, 67, 130, 131, 258, 514, 1500] {
            for shift in 0..3 {
                let text: Vec<&str> = (0..len)
                    .map(|k| words[(k * (shift + 2) + k / 7) % words.len()])
                    .collect();
                let text = text.join(" ") + ".";
                let doc = Doc::new(Field::Body, &text, 0);
                let expected = simhash_by_votes(&doc);
                assert_eq!(simhash(&doc), expected, "{len} words, shift {shift}");
                assert_eq!(expected.is_none(), len < 40);
                seen.insert(expected);
            }
        }
        // The texts differ, and so do their hashes: the test compares real values.
        assert!(seen.len() > 20, "{seen:?}");
    }
}

//! `crosscheck run`: the main job.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use crosscheck::ingest::Format;
use crosscheck::pipeline::{self, PipelineBuilder, Progress};
use crosscheck::report::{self, ReportOptions};
use crosscheck::state::{ConflictSeen, State};
use crosscheck::Reject;
use indicatif::{ProgressBar, ProgressStyle};
use std::time::Duration;

/// Flags of `crosscheck run`.
#[derive(Args, Debug)]
#[command(after_help = "\
Examples:
  crosscheck run corpus/articles --out report
  crosscheck run day1.jsonl day2.csv notes/ --out out --threads 8
  crosscheck run - --format jsonl --out out < articles.jsonl
  crosscheck run corpus/articles --out out --aliases my_aliases.csv --excel --jsonl

Inputs: files and folders (searched recursively, hidden entries skipped) and - for stdin.
Formats by extension: .jsonl/.ndjson/.json, .csv, .txt, each optionally .gz.

Memory: article bodies are dropped once their claims are extracted; memory grows with the
number of claims and mentions, not with the size of the corpus.")]
pub struct RunArgs {
    /// Input files or folders; - reads stdin.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Output folder (created if missing).
    #[arg(long, short)]
    out: PathBuf,
    /// Worker threads (0 = all cores). Output is identical for any value.
    #[arg(long, short = 'j', default_value_t = 0)]
    threads: usize,
    /// Read every input as this format: jsonl, csv or txt.
    #[arg(long, value_parser = parse_format)]
    format: Option<Format>,
    /// Extra alias table (CSV: alias,canonical,kind[,code]); may be repeated.
    #[arg(long)]
    aliases: Vec<PathBuf>,
    /// Start CSV files with a UTF-8 byte order mark so Excel reads accents correctly.
    #[arg(long)]
    excel: bool,
    /// Also write conflicts.jsonl (one JSON record per conflict).
    #[arg(long)]
    jsonl: bool,
    /// No progress bar and no summary on stderr (rejects are still reported).
    #[arg(long, short)]
    quiet: bool,
    /// Exit with status 1 when any record was rejected.
    #[arg(long)]
    strict: bool,
    /// Largest record read, in bytes (a JSON line, a CSV row, a text file); larger records
    /// are rejected without being held in memory.
    #[arg(long, default_value_t = 16 << 20)]
    max_article_bytes: usize,
    /// Leave out conflicts below this confidence (0..1).
    #[arg(long, default_value_t = crosscheck::pipeline::DEFAULT_MIN_CONFIDENCE)]
    min_confidence: f32,
    /// Nightly state (SQLite file, created if missing): skip articles seen before, align
    /// tonight's claims with the stored ones, and mark each conflict new or seen.
    #[arg(long)]
    state: Option<PathBuf>,
    /// Seconds to wait for another run holding the state before giving up.
    #[arg(long, default_value_t = 30)]
    state_wait: u64,
    /// The run's date for the state (YYYY-MM-DD; default: today, UTC).
    #[arg(long)]
    today: Option<String>,
    /// Most claims kept per article (the first ones); articles cut are counted in
    /// summary.json (counts.articles_claims_cut).
    #[arg(long, default_value_t = 200)]
    max_claims_per_article: usize,
    /// Longest sentence analysed, in bytes: longer ones (a table, a scraped menu) are cut
    /// at a space into pieces, counted in summary.json (counts.sentences_cut). Claim
    /// extraction costs more than linear time in a sentence's length.
    #[arg(long, default_value_t = crosscheck::segment::MAX_SENTENCE_BYTES)]
    max_sentence_bytes: usize,
}

fn parse_format(s: &str) -> Result<Format, String> {
    Format::parse(s).ok_or_else(|| format!("unknown format {s:?}: use jsonl, csv or txt"))
}

/// Progress on stderr: a bar on a terminal, reject lines always.
struct Terminal {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: AtomicU64,
    warned: AtomicU64,
    lock: Mutex<()>,
}

const MAX_REJECT_LINES: u64 = 20;

impl Progress for Terminal {
    fn stage(&self, name: &str) {
        if let Some(b) = &self.bar {
            b.set_prefix(name.to_string());
        }
    }

    fn read(&self, articles: u64, bytes: u64) {
        if let Some(b) = &self.bar {
            let secs = self.started.elapsed().as_secs_f64().max(1e-3);
            b.set_position(articles);
            b.set_message(format!(
                "{:.1} MB, {:.1} MB/s",
                bytes as f64 / 1e6,
                bytes as f64 / 1e6 / secs
            ));
        }
    }

    fn warn(&self, note: &Reject) {
        self.print_counted(&self.warned, format!("crosscheck: warning: {note}"));
    }

    fn reject(&self, r: &Reject) {
        self.print_counted(&self.shown, format!("crosscheck: {r}"));
    }
}

impl Terminal {
    /// Prints a line above the progress bar, the first `MAX_REJECT_LINES` counted by
    /// `count` only; the rest are summed up at the end of the run.
    fn print_counted(&self, count: &AtomicU64, line: String) {
        if count.fetch_add(1, Ordering::Relaxed) < MAX_REJECT_LINES {
            let _guard = self.lock.lock();
            match &self.bar {
                Some(b) => b.println(line),
                None => eprintln!("{line}"),
            }
        }
    }
}

/// Each conflict's identity for the state: its two claim ids (sorted) and its kind, which
/// stay the same from run to run for the same articles.
fn conflict_identities(out: &crosscheck::Output) -> Vec<ConflictSeen> {
    out.conflicts
        .iter()
        .map(|c| {
            let (a, b) = (&out.claims[c.a as usize], &out.claims[c.b as usize]);
            let (a_id, b_id) = (a.id(&out.articles), b.id(&out.articles));
            let (x, y) = if a_id <= b_id { (a_id, b_id) } else { (b_id, a_id) };
            ConflictSeen {
                key: format!("{x}|{y}|{}", c.kind.as_str()),
                conflict_id: c.id.clone(),
                kind: c.kind.as_str().to_string(),
                a_claim: a_id.to_string(),
                b_claim: b_id.to_string(),
                a_article: out.articles[a.article as usize].id.clone(),
                b_article: out.articles[b.article as usize].id.clone(),
            }
        })
        .collect()
}

/// Stores tonight's articles, their claims (compact JSON) and the entities seen.
fn store_tonight(state: &State, out: &crosscheck::Output) -> anyhow::Result<()> {
    let mut claims_of: std::collections::HashMap<&str, Vec<(String, String)>> = std::collections::HashMap::new();
    for c in &out.claims {
        let article = &out.articles[c.article as usize].id;
        let data = serde_json::json!({
            "claimer": c.claim.claimer,
            "event_type": c.claim.event_type,
            "polarity": c.claim.polarity.as_str(),
            "modality": c.claim.modality.as_str(),
            "quantity": c.claim.quantity.as_ref().map(|q| q.text.clone()),
            "time": c.claim.time.map(|t| t.to_string()),
            "text": c.claim.text,
        });
        claims_of
            .entry(article.as_str())
            .or_default()
            .push((c.id(&out.articles).to_string(), data.to_string()));
    }
    for t in &out.tonight {
        let claims = claims_of.get(t.article.id.as_str()).cloned().unwrap_or_default();
        state.store_article(&t.article, &t.content_hash, t.day, &t.keys, &claims)?;
    }
    for e in &out.entities.rows {
        let aliases: Vec<&str> = e.aliases.iter().map(|a| &**a).collect();
        state.store_entity(&e.key, &e.canonical, e.kind.as_str(), &aliases.join(";"))?;
    }
    Ok(())
}

pub fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    let mut builder = PipelineBuilder::new()
        .threads(args.threads)
        .format(args.format)
        .max_article_bytes(args.max_article_bytes)
        .max_claims_per_article(args.max_claims_per_article)
        .max_sentence_bytes(args.max_sentence_bytes)
        .min_confidence(args.min_confidence);
    for a in &args.aliases {
        builder = builder.alias_file(a.clone());
    }
    let config = builder.build().context("configuration")?;
    let show_bar = !args.quiet && std::io::stderr().is_terminal();
    let bar = show_bar.then(|| {
        let b = ProgressBar::new_spinner();
        b.set_style(
            ProgressStyle::with_template("{spinner} {prefix:>6} {pos} articles  {msg}  [{elapsed}]")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        b.enable_steady_tick(std::time::Duration::from_millis(120));
        b
    });
    let progress = Terminal {
        bar,
        started: Instant::now(),
        shown: AtomicU64::new(0),
        warned: AtomicU64::new(0),
        lock: Mutex::new(()),
    };
    let started = Instant::now();
    let today = match &args.today {
        Some(d) => crosscheck::date::parse_date(d)
            .map(crosscheck::date::format_date)
            .with_context(|| format!("--today {d:?}: expected YYYY-MM-DD"))?,
        None => crosscheck::date::format_date(time::OffsetDateTime::now_utc().date()),
    };
    let state = match &args.state {
        Some(path) => Some(
            State::open(path, Duration::from_secs(args.state_wait), &today, crosscheck::VERSION)
                .with_context(|| format!("opening the state {}", path.display()))?,
        ),
        None => None,
    };
    let archive = state.as_ref().map(|s| s as &dyn pipeline::Archive);
    let out = pipeline::run_with_archive(&config, &args.inputs, &progress, archive).context("run")?;
    let status = match &state {
        Some(s) => Some(
            s.record_conflicts(&conflict_identities(&out))
                .context("recording conflicts")?,
        ),
        None => None,
    };
    if let Some(b) = &progress.bar {
        b.set_prefix("write");
    }
    let new_conflicts = status.as_ref().map_or(0, |s| s.iter().filter(|x| x.0 == "new").count());
    let opts = ReportOptions {
        excel: args.excel,
        jsonl: args.jsonl,
        status,
        version: crosscheck::VERSION.to_string(),
        threads: config.threads,
    };
    report::write_all(&out, &args.out, &opts).with_context(|| format!("writing {}", args.out.display()))?;
    // The state is committed only after the reports are in place: a run killed before
    // this point leaves the state as the last completed run left it.
    if let Some(s) = state {
        store_tonight(&s, &out).context("storing tonight's articles")?;
        s.commit(out.n_tonight, out.conflicts.len(), new_conflicts)
            .context("committing the state")?;
    }
    if let Some(b) = &progress.bar {
        b.finish_and_clear();
    }
    let shown = progress.shown.load(Ordering::Relaxed);
    if shown > MAX_REJECT_LINES {
        eprintln!(
            "crosscheck: ... and {} more rejected records (see rejects.csv)",
            shown - MAX_REJECT_LINES
        );
    }
    let warned = progress.warned.load(Ordering::Relaxed);
    if warned > MAX_REJECT_LINES {
        eprintln!(
            "crosscheck: ... and {} more dates not understood (counts.dates_unread in summary.json)",
            warned - MAX_REJECT_LINES
        );
    }
    if !args.quiet {
        let secs = started.elapsed().as_secs_f64();
        let mb = out.bytes as f64 / 1e6;
        eprintln!(
            "crosscheck: {} articles, {} claims, {} events, {} conflicts, {} rejected in {:.2}s ({:.1} MB/s, {} threads)",
            out.articles.len(),
            out.claims.len(),
            out.events.len(),
            out.conflicts.len(),
            out.rejects.len(),
            secs,
            mb / secs.max(1e-9),
            config.threads
        );
        if args.state.is_some() {
            eprintln!(
                "crosscheck: nightly: {} new articles, {} seen before and skipped, {} stored articles read back, {} new conflicts",
                out.n_tonight,
                out.skipped_seen,
                out.articles.len() - out.n_tonight,
                new_conflicts
            );
        }
        eprintln!("crosscheck: report: {}", args.out.join("report.html").display());
    }
    let code = if args.strict && !out.rejects.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    // The process ends here: freeing millions of rows one by one took longer (0.08 s on
    // news31k) than the system takes to reclaim the memory at exit.
    std::mem::forget(out);
    Ok(code)
}

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
use crosscheck::Reject;
use indicatif::{ProgressBar, ProgressStyle};

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
    /// Largest record read, in bytes; larger records are rejected.
    #[arg(long, default_value_t = 16 << 20)]
    max_article_bytes: usize,
    /// Leave out conflicts below this confidence (0..1).
    #[arg(long, default_value_t = crosscheck::pipeline::DEFAULT_MIN_CONFIDENCE)]
    min_confidence: f32,
    /// Most claims kept per article.
    #[arg(long, default_value_t = 200)]
    max_claims_per_article: usize,
}

fn parse_format(s: &str) -> Result<Format, String> {
    Format::parse(s).ok_or_else(|| format!("unknown format {s:?}: use jsonl, csv or txt"))
}

/// Progress on stderr: a bar on a terminal, reject lines always.
struct Terminal {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: AtomicU64,
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

    fn reject(&self, r: &Reject) {
        let n = self.shown.fetch_add(1, Ordering::Relaxed);
        if n < MAX_REJECT_LINES {
            let _guard = self.lock.lock();
            let line = format!("crosscheck: {r}");
            match &self.bar {
                Some(b) => b.println(line),
                None => eprintln!("{line}"),
            }
        }
    }
}

pub fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    let mut builder = PipelineBuilder::new()
        .threads(args.threads)
        .format(args.format)
        .max_article_bytes(args.max_article_bytes)
        .max_claims_per_article(args.max_claims_per_article)
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
        lock: Mutex::new(()),
    };
    let started = Instant::now();
    let out = pipeline::run(&config, &args.inputs, &progress).context("run")?;
    if let Some(b) = &progress.bar {
        b.set_prefix("write");
    }
    let opts = ReportOptions {
        excel: args.excel,
        jsonl: args.jsonl,
        status: None,
        version: crosscheck::VERSION.to_string(),
        threads: config.threads,
    };
    report::write_all(&out, &args.out, &opts).with_context(|| format!("writing {}", args.out.display()))?;
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
        eprintln!("crosscheck: report: {}", args.out.join("report.html").display());
    }
    if args.strict && !out.rejects.is_empty() {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

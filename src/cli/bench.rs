//! `crosscheck bench`: times the whole pipeline, stage by stage, with one thread and with
//! all of them, and records the figures in a dated CSV file.
//!
//! Each run happens in a child process (this executable again, with the hidden
//! `bench-worker` command), because peak memory (VmHWM) is a per-process high-water mark:
//! a second run in the same process would report the first run's peak.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{bail, Context};
use clap::Args;
use crosscheck::pipeline::{self, NoProgress, PipelineBuilder};
use crosscheck::report::{self, ReportOptions};
use serde::{Deserialize, Serialize};

/// Flags of `crosscheck bench`.
#[derive(Args, Debug)]
#[command(after_help = "\
Examples:
  crosscheck bench
  crosscheck bench ../shared/data/news31k/articles.jsonl --runs 5
  crosscheck gen --articles 20000 --out /tmp/g20k && crosscheck bench /tmp/g20k/articles.jsonl

Runs the whole pipeline (reading, analysis, the corpus-wide steps and writing every report
into a temporary folder) RUNS times with 1 thread and RUNS times with all threads, each run
in its own process, and prints the median time of each stage with its throughput (MB/s of
title and body text, articles/s) and the peak memory of the process (VmHWM). The rows of
every run and the medians are appended to the CSV file (default
benchsuite/runs/YYYY-MM-DD/raw.csv, created with its folder when missing).

Memory: what a run keeps is, per article, its claims, mentions and story features (article
bodies are dropped once their claims are extracted), plus one batch of raw records being
analysed (at most 4,096 records or 32 MB), the gazetteer automaton (built once, about the
same for every corpus) and the output tables while the reports are written. Peak memory
therefore grows with the number of claims and mentions, not with the bytes read. With more
threads, more records of a batch are analysed at once, so the peak is somewhat higher.")]
pub struct BenchArgs {
    /// Input file or folder (default: ../shared/data/news31k/articles.jsonl when present,
    /// else corpus/articles).
    input: Option<PathBuf>,
    /// Runs per thread count; the median is reported.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// CSV file the rows are appended to (default: benchsuite/runs/YYYY-MM-DD/raw.csv).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Thread counts to compare (default: 1 and all cores).
    #[arg(long, value_delimiter = ',')]
    threads: Vec<usize>,
}

/// Flags of the hidden `bench-worker` command: one timed run, reported as JSON on stdout.
#[derive(Args, Debug)]
pub struct WorkerArgs {
    input: PathBuf,
    #[arg(long)]
    threads: usize,
}

/// What one run measured.
#[derive(Serialize, Deserialize, Debug, Clone)]
struct Measured {
    threads: usize,
    articles: u64,
    bytes: u64,
    /// (stage, seconds), in pipeline order; "setup", the pipeline's stages, "report".
    stages: Vec<(String, f64)>,
    total: f64,
    peak_rss_kb: u64,
}

/// Peak resident memory of this process, in KB (Linux; 0 elsewhere).
fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

pub fn worker(args: WorkerArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let config = PipelineBuilder::new()
        .threads(args.threads)
        .build()
        .context("configuration")?;
    let setup = started.elapsed();
    let out = pipeline::run(&config, std::slice::from_ref(&args.input), &NoProgress).context("run")?;
    let dir = std::env::temp_dir().join(format!(
        "crosscheck-bench-{}-{}",
        std::process::id(),
        started.elapsed().as_nanos()
    ));
    let t = Instant::now();
    let opts = ReportOptions {
        excel: false,
        jsonl: false,
        status: None,
        version: crosscheck::VERSION.to_string(),
        threads: config.threads,
    };
    let written = report::write_all(&out, &dir, &opts);
    let report_time = t.elapsed();
    let _ = std::fs::remove_dir_all(&dir);
    written.with_context(|| format!("writing {}", dir.display()))?;
    let total = started.elapsed();
    let mut stages = vec![("setup".to_string(), setup.as_secs_f64())];
    stages.extend(out.timings.0.iter().map(|(n, d)| (n.to_string(), d.as_secs_f64())));
    stages.push(("report".to_string(), report_time.as_secs_f64()));
    let m = Measured {
        threads: config.threads,
        articles: out.articles.len() as u64,
        bytes: out.bytes,
        stages,
        total: total.as_secs_f64(),
        peak_rss_kb: peak_rss_kb(),
    };
    println!("{}", serde_json::to_string(&m)?);
    Ok(ExitCode::SUCCESS)
}

fn run_child(input: &Path, threads: usize) -> anyhow::Result<Measured> {
    let exe = std::env::current_exe().context("finding the crosscheck executable")?;
    let o = Command::new(&exe)
        .arg("bench-worker")
        .arg(input)
        .arg("--threads")
        .arg(threads.to_string())
        .output()
        .with_context(|| format!("running {}", exe.display()))?;
    if !o.status.success() {
        bail!("benchmark run failed: {}", String::from_utf8_lossy(&o.stderr).trim());
    }
    serde_json::from_slice(&o.stdout).context("reading the benchmark run's result")
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        0.0
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// One row of the table and of the CSV file.
struct Row {
    threads: usize,
    run: String,
    stage: String,
    seconds: f64,
    articles: u64,
    bytes: u64,
    peak_rss_kb: Option<u64>,
}

impl Row {
    fn mb_per_s(&self) -> f64 {
        self.bytes as f64 / 1e6 / self.seconds.max(1e-9)
    }
    fn articles_per_s(&self) -> f64 {
        self.articles as f64 / self.seconds.max(1e-9)
    }
}

fn rows_of(m: &Measured, run: &str) -> Vec<Row> {
    let mut rows: Vec<Row> = m
        .stages
        .iter()
        .map(|(s, secs)| Row {
            threads: m.threads,
            run: run.to_string(),
            stage: s.clone(),
            seconds: *secs,
            articles: m.articles,
            bytes: m.bytes,
            peak_rss_kb: None,
        })
        .collect();
    rows.push(Row {
        threads: m.threads,
        run: run.to_string(),
        stage: "total".into(),
        seconds: m.total,
        articles: m.articles,
        bytes: m.bytes,
        peak_rss_kb: Some(m.peak_rss_kb),
    });
    rows
}

/// Medians of every stage over the runs of one thread count (peak memory: the highest).
fn medians(runs: &[Measured]) -> Vec<Row> {
    let first = &runs[0];
    let mut rows = Vec::new();
    for (i, (stage, _)) in first.stages.iter().enumerate() {
        rows.push(Row {
            threads: first.threads,
            run: "median".into(),
            stage: stage.clone(),
            seconds: median(runs.iter().filter_map(|m| m.stages.get(i).map(|s| s.1)).collect()),
            articles: first.articles,
            bytes: first.bytes,
            peak_rss_kb: None,
        });
    }
    rows.push(Row {
        threads: first.threads,
        run: "median".into(),
        stage: "total".into(),
        seconds: median(runs.iter().map(|m| m.total).collect()),
        articles: first.articles,
        bytes: first.bytes,
        peak_rss_kb: runs.iter().map(|m| m.peak_rss_kb).max(),
    });
    rows
}

const HEADER: &str = "date,input,threads,run,stage,seconds,mb_per_s,articles_per_s,articles,bytes,peak_rss_mb";

fn append_csv(path: &Path, date: &str, input: &str, rows: &[Row]) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let fresh = std::fs::metadata(path).map(|m| m.len() == 0).unwrap_or(true);
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("opening {}", path.display()))?;
    let mut w = csv::Writer::from_writer(file);
    if fresh {
        w.write_record(HEADER.split(','))?;
    }
    for r in rows {
        w.write_record([
            date.to_string(),
            input.to_string(),
            r.threads.to_string(),
            r.run.clone(),
            r.stage.clone(),
            format!("{:.4}", r.seconds),
            format!("{:.3}", r.mb_per_s()),
            format!("{:.1}", r.articles_per_s()),
            r.articles.to_string(),
            r.bytes.to_string(),
            r.peak_rss_kb
                .map(|k| format!("{:.1}", k as f64 / 1024.0))
                .unwrap_or_default(),
        ])?;
    }
    w.flush().with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

fn print_table(rows: &[Row]) {
    println!(
        "{:>7}  {:<32} {:>9} {:>9} {:>11} {:>12}",
        "threads", "stage", "seconds", "MB/s", "articles/s", "peak RSS MB"
    );
    for r in rows {
        println!(
            "{:>7}  {:<32} {:>9.3} {:>9.2} {:>11.0} {:>12}",
            r.threads,
            r.stage,
            r.seconds,
            r.mb_per_s(),
            r.articles_per_s(),
            r.peak_rss_kb
                .map(|k| format!("{:.0}", k as f64 / 1024.0))
                .unwrap_or_default()
        );
    }
}

pub fn run(args: BenchArgs) -> anyhow::Result<ExitCode> {
    if args.runs == 0 {
        bail!("--runs must be at least 1");
    }
    let input = args.input.clone().unwrap_or_else(|| {
        let shared = PathBuf::from("../shared/data/news31k/articles.jsonl");
        if shared.is_file() {
            shared
        } else {
            PathBuf::from("corpus/articles")
        }
    });
    if !input.exists() {
        bail!("{}: no such file or folder", input.display());
    }
    let all = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut threads = if args.threads.is_empty() {
        vec![1, all]
    } else {
        args.threads.iter().map(|&t| if t == 0 { all } else { t }).collect()
    };
    threads.dedup();
    let date = crosscheck::date::format_date(time::OffsetDateTime::now_utc().date());
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("benchsuite/runs/{date}/raw.csv")));
    let mut all_rows: Vec<Row> = Vec::new();
    let mut table: Vec<Row> = Vec::new();
    let mut totals: Vec<(usize, f64)> = Vec::new();
    for &t in &threads {
        let mut runs = Vec::new();
        for r in 0..args.runs {
            let started = Instant::now();
            let m = run_child(&input, t)?;
            eprintln!(
                "crosscheck: {} threads, run {}/{}: {:.2}s ({:.2}s wall with process start)",
                t,
                r + 1,
                args.runs,
                m.total,
                started.elapsed().as_secs_f64()
            );
            all_rows.extend(rows_of(&m, &(r + 1).to_string()));
            runs.push(m);
        }
        let med = medians(&runs);
        totals.push((t, med.last().map_or(0.0, |r| r.seconds)));
        table.extend(medians(&runs));
        all_rows.extend(med);
    }
    let first = &table[0];
    println!(
        "input: {} ({} articles, {:.1} MB of title and body text); median of {} runs per thread count",
        input.display(),
        first.articles,
        first.bytes as f64 / 1e6,
        args.runs
    );
    print_table(&table);
    if let (Some(one), Some(many)) = (totals.first(), totals.last()) {
        if many.0 > one.0 {
            println!(
                "speed-up with {} threads over {}: {:.2}x",
                many.0,
                one.0,
                one.1 / many.1.max(1e-9)
            );
        }
    }
    append_csv(&out, &date, &input.display().to_string(), &all_rows)?;
    eprintln!("crosscheck: results appended to {}", out.display());
    Ok(ExitCode::SUCCESS)
}

//! `crosscheck map` and `crosscheck reduce`: the pipeline as streaming steps for Apache
//! Spark (`spark/crosscheck_job.py`) or Hadoop streaming.

use std::io::{BufReader, BufWriter};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use crosscheck::pipeline::{PipelineBuilder, PipelineConfig};
use crosscheck::report::ReportOptions;
use crosscheck::stream::{self, MapInput, ReduceOutput};

/// Flags of `crosscheck map`.
#[derive(Args, Debug)]
#[command(after_help = "\
Reads JSON Lines articles on stdin and writes one KEY<TAB>RECORD line per article (its
names, claims and story terms; the text left behind) or rejected record, in input order.
The record formats are versioned and described in docs/spark.md.

Examples:
  crosscheck map --file day1.jsonl < day1.jsonl > day1.map
  crosscheck map --file day1.jsonl < day1.jsonl | sort -s -t$'\\t' -k1,1 | crosscheck reduce --out out

Cost: per article, like the first stage of `run`; memory holds one batch of records.")]
pub struct MapArgs {
    /// The file the lines come from, as `run` would be given it: written to rejects.csv and
    /// articles.csv, and the stem names articles without an id.
    #[arg(long, default_value = "-")]
    file: String,
    /// Index of that file among all inputs of the job (their order in `run`).
    #[arg(long, default_value_t = 0)]
    file_id: u32,
    /// Each line is `LINE<TAB>JSON`, LINE its 1-based number in the file (a Spark
    /// partition does not know where it starts).
    #[arg(long)]
    numbered: bool,
    /// Stdin is the whole file: a file without a record is reported as empty, as `run`
    /// reports it.
    #[arg(long)]
    whole_file: bool,
    /// Worker threads (0 = all cores; default 1, one per engine task).
    #[arg(long, short = 'j', default_value_t = 1)]
    threads: usize,
    /// Extra alias table; give reduce the same ones.
    #[arg(long)]
    aliases: Vec<PathBuf>,
    /// Largest record read, in bytes; larger records are rejected.
    #[arg(long, default_value_t = 16 << 20)]
    max_article_bytes: usize,
    /// Most claims kept per article.
    #[arg(long, default_value_t = 200)]
    max_claims_per_article: usize,
}

/// Flags of `crosscheck reduce`.
#[derive(Args, Debug)]
#[command(after_help = "\
Reads the map's KEY<TAB>RECORD lines, grouped by key, and runs the corpus-wide steps (name
clustering, wire copies, stories, events, detection) over them. With --out it writes the
same files as `run --out`; without, it writes each file's lines as FILE<TAB>RECORD lines for
a driver to write (see spark/crosscheck_job.py).

Examples:
  cat *.map | sort -s -t$'\\t' -k1,1 | crosscheck reduce --out out

Memory: every article summary of the group at once (what `run` holds after its first
stage), plus the report.")]
pub struct ReduceArgs {
    /// Output folder; without it the files are written to stdout as records.
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// Worker threads (0 = all cores). Output is identical for any value.
    #[arg(long, short = 'j', default_value_t = 0)]
    threads: usize,
    /// Extra alias table; the same ones the map was given.
    #[arg(long)]
    aliases: Vec<PathBuf>,
    /// Leave out conflicts below this confidence (0..1).
    #[arg(long, default_value_t = crosscheck::pipeline::DEFAULT_MIN_CONFIDENCE)]
    min_confidence: f32,
    /// Start CSV files with a UTF-8 byte order mark.
    #[arg(long)]
    excel: bool,
    /// Also write conflicts.jsonl.
    #[arg(long)]
    jsonl: bool,
}

fn config(
    threads: usize,
    aliases: &[PathBuf],
    edit: impl FnOnce(PipelineBuilder) -> PipelineBuilder,
) -> anyhow::Result<PipelineConfig> {
    let mut builder = PipelineBuilder::new().threads(threads);
    for a in aliases {
        builder = builder.alias_file(a.clone());
    }
    edit(builder).build().context("configuration")
}

pub fn map(args: MapArgs) -> anyhow::Result<ExitCode> {
    let config = config(args.threads, &args.aliases, |b| {
        b.max_article_bytes(args.max_article_bytes)
            .max_claims_per_article(args.max_claims_per_article)
    })?;
    let input = MapInput {
        file_id: args.file_id,
        display: args.file,
        numbered: args.numbered,
        whole_file: args.whole_file,
    };
    let stdin = std::io::stdin().lock();
    let stdout = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    stream::map(&config, &input, BufReader::with_capacity(1 << 16, stdin), stdout).context("map")?;
    Ok(ExitCode::SUCCESS)
}

pub fn reduce(args: ReduceArgs) -> anyhow::Result<ExitCode> {
    let config = config(args.threads, &args.aliases, |b| b.min_confidence(args.min_confidence))?;
    let opts = ReportOptions {
        excel: args.excel,
        jsonl: args.jsonl,
        status: None,
        version: crosscheck::VERSION.to_string(),
        threads: config.threads,
    };
    let stdin = BufReader::with_capacity(1 << 16, std::io::stdin().lock());
    match &args.out {
        Some(dir) => {
            stream::reduce(&config, stdin, ReduceOutput::Dir(dir), &opts)
                .with_context(|| format!("reduce into {}", dir.display()))?;
        }
        None => {
            let mut stdout = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            stream::reduce(&config, stdin, ReduceOutput::Records(&mut stdout), &opts).context("reduce")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

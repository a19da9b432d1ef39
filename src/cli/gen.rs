//! `crosscheck gen`: writes a synthetic corpus for benchmarks.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use crosscheck::gen::{self, GenConfig};

/// Flags of `crosscheck gen`.
#[derive(Args, Debug)]
#[command(after_help = "\
Examples:
  crosscheck gen --articles 20000 --seed 1 --out bench/20k
  crosscheck run bench/20k/articles.jsonl --out out
  python3 ../shared/tools/score.py pairs out bench/20k

Writes OUT/articles.jsonl (id, source, date, title, body, url), OUT/gold.csv (kind,
a_article_id, b_article_id: the planted conflicts) and OUT/stories.csv (article_id, story).
The same --articles, --seed, --days and --outlets give the same bytes.

Memory: articles are written as they are made, a few hundred at a time; memory does not
grow with --articles (about 1 KB per article is written, so 10 million articles make
about 10 GB).")]
pub struct GenArgs {
    /// Number of articles.
    #[arg(long)]
    articles: u64,
    /// Seed of the random generator.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output folder (created if missing).
    #[arg(long, short)]
    out: PathBuf,
    /// Days the stories are spread over, from 2025-01-01.
    #[arg(long, default_value_t = 365)]
    days: u32,
    /// Number of news outlets.
    #[arg(long, default_value_t = 300)]
    outlets: usize,
}

pub fn run(args: GenArgs) -> anyhow::Result<ExitCode> {
    let config = GenConfig {
        articles: args.articles,
        seed: args.seed,
        days: args.days,
        outlets: args.outlets,
    };
    let started = Instant::now();
    let s = gen::generate(&config, &args.out).with_context(|| format!("writing {}", args.out.display()))?;
    let pairs: Vec<String> = s.pairs.iter().map(|(k, n)| format!("{k} {n}")).collect();
    eprintln!(
        "crosscheck: {} articles ({:.1} MB) in {} stories and background, {} planted conflict pairs ({}) in {:.2}s: {}",
        s.articles,
        s.bytes as f64 / 1e6,
        s.stories,
        s.pairs.values().sum::<u64>(),
        pairs.join(", "),
        started.elapsed().as_secs_f64(),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

//! Command-line flags (clap), translated into library configuration.

mod bench;
mod eval;
mod gen;
mod run;
mod state;
mod stream;
mod train;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Finds contradictions between news sources: who claimed what about which event, and
/// who says otherwise.
#[derive(Parser, Debug)]
#[command(name = "crosscheck", version, about, long_about = None, after_help = "\
Examples:
  crosscheck run corpus/articles --out report
  crosscheck run feeds/*.jsonl.gz --out out --threads 2 --jsonl
  cat articles.jsonl | crosscheck run - --out out

Exit status: 0 success; 1 the run completed but records were rejected and --strict was
given; 2 usage or I/O error.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Reads articles and writes the contradictions between sources.
    Run(run::RunArgs),
    /// Scores the pipeline on the dev sets (Emergent, ECB+, FNC-1, Reuters, demo, seed).
    Eval(eval::EvalArgs),
    /// Inspects and trims a nightly state file.
    State(state::StateArgs),
    /// Writes a synthetic corpus with planted conflicts, for benchmarks.
    Gen(gen::GenArgs),
    /// Times the whole pipeline stage by stage, with 1 thread and with all threads.
    Bench(bench::BenchArgs),
    /// One timed run of `bench`, in its own process (internal).
    #[command(hide = true)]
    BenchWorker(bench::WorkerArgs),
    /// Refits the story grouping model on the dev sets and prints its cross-validated scores.
    Train(train::TrainArgs),
    /// Streaming map for Spark or Hadoop: articles JSONL in, keyed article summaries out.
    Map(stream::MapArgs),
    /// Streaming reduce: keyed summaries in, the report of the whole corpus out.
    Reduce(stream::ReduceArgs),
}

/// Parses the command line and runs the command.
pub fn run() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Command::Run(args) => run::run(args),
        Command::Eval(args) => eval::run(args),
        Command::State(args) => state::run(args),
        Command::Gen(args) => gen::run(args),
        Command::Bench(args) => bench::run(args),
        Command::BenchWorker(args) => bench::worker(args),
        Command::Train(args) => train::run(args),
        Command::Map(args) => stream::map(args),
        Command::Reduce(args) => stream::reduce(args),
    }
}

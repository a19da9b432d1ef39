//! `crosscheck state`: inspect and trim a nightly state file.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Subcommand};
use crosscheck::state;

/// Flags of `crosscheck state`.
#[derive(Args, Debug)]
#[command(after_help = "\
Examples:
  crosscheck state stats --state nightly.db
  crosscheck state export --state nightly.db > conflicts-history.jsonl
  crosscheck state prune --state nightly.db --before 2025-01-01")]
pub struct StateArgs {
    #[command(subcommand)]
    command: StateCommand,
    /// The state file.
    #[arg(long, global = true)]
    state: Option<PathBuf>,
    /// Seconds to wait for a run holding the state.
    #[arg(long, global = true, default_value_t = 30)]
    state_wait: u64,
}

#[derive(Subcommand, Debug)]
enum StateCommand {
    /// Counts: runs, articles, claims, conflicts, entities, dates.
    Stats,
    /// Every recorded conflict as JSON Lines on stdout (with --articles, the articles too).
    Export {
        /// Also list the stored articles (without their text).
        #[arg(long)]
        articles: bool,
    },
    /// Removes articles published before DATE, and conflicts that only involved them.
    Prune {
        /// YYYY-MM-DD.
        #[arg(long)]
        before: String,
    },
}

pub fn run(args: StateArgs) -> anyhow::Result<ExitCode> {
    let path = args.state.context("--state FILE is required")?;
    let wait = Duration::from_secs(args.state_wait);
    match args.command {
        StateCommand::Stats => {
            let s = state::stats(&path, wait)?;
            println!("{}", serde_json::to_string_pretty(&s)?);
        }
        StateCommand::Export { articles } => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            state::export(&path, wait, articles, &mut lock)?;
            lock.flush()?;
        }
        StateCommand::Prune { before } => {
            let date = crosscheck::date::parse_date(&before)
                .with_context(|| format!("--before {before:?}: expected YYYY-MM-DD"))?;
            let (articles, conflicts) = state::prune(&path, wait, &crosscheck::date::format_date(date))?;
            eprintln!("crosscheck: pruned {articles} articles and {conflicts} conflicts published before {before}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

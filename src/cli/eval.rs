//! `crosscheck eval`: runs the pipeline on the dev sets and scores the output folders.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context};
use clap::Args;
use crosscheck::eval;
use crosscheck::pipeline::{self, NoProgress, PipelineBuilder};
use crosscheck::report::{self, ReportOptions};
use serde_json::json;

/// Flags of `crosscheck eval`.
#[derive(Args, Debug)]
#[command(after_help = "\
Sets: seed, demo, emergent, ecb, fnc, reuters (default: every set whose data is present).

Examples:
  crosscheck eval
  crosscheck eval emergent ecb --data ../shared/data --json
  crosscheck eval demo --keep out/eval

Each set is run through the whole pipeline into WORK/SET/ and scored from the CSV files
there, with the definitions of ../shared/tools/score.py.")]
pub struct EvalArgs {
    /// Sets to score.
    sets: Vec<String>,
    /// Folder holding the dev sets.
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// The demo corpus folder (articles/ and gold/).
    #[arg(long, default_value = "corpus")]
    corpus: PathBuf,
    /// Where to keep the output folders (default: a temporary folder).
    #[arg(long)]
    keep: Option<PathBuf>,
    /// Worker threads (0 = all cores).
    #[arg(long, short = 'j', default_value_t = 0)]
    threads: usize,
    /// Print the scores as one JSON object.
    #[arg(long)]
    json: bool,
}

const ALL: [&str; 6] = ["seed", "demo", "emergent", "ecb", "fnc", "reuters"];

fn input_of(set: &str, data: &Path, corpus: &Path) -> PathBuf {
    match set {
        "seed" => data.join("seed/kursk-2025-04-28.txt"),
        "demo" => corpus.join("articles"),
        "emergent" => data.join("emergent-dev/articles.jsonl"),
        "ecb" => data.join("ecbplus-dev/articles.jsonl"),
        "fnc" => data.join("fnc1-dev/articles.jsonl"),
        _ => data.join("reuters-places-dev/articles.jsonl"),
    }
}

pub fn run(args: EvalArgs) -> anyhow::Result<ExitCode> {
    let sets: Vec<String> = if args.sets.is_empty() || args.sets.iter().any(|s| s == "all") {
        ALL.iter()
            .filter(|s| input_of(s, &args.data, &args.corpus).exists())
            .map(|s| s.to_string())
            .collect()
    } else {
        args.sets.clone()
    };
    for s in &sets {
        if !ALL.contains(&s.as_str()) {
            bail!("unknown set {s:?}: use one of {}", ALL.join(", "));
        }
        let input = input_of(s, &args.data, &args.corpus);
        if !input.exists() {
            bail!(
                "{}: not found (pass --data with the folder holding the dev sets)",
                input.display()
            );
        }
    }
    let tmp;
    let work = match &args.keep {
        Some(k) => k.clone(),
        None => {
            tmp = tempdir()?;
            tmp.clone()
        }
    };
    let config = PipelineBuilder::new()
        .threads(args.threads)
        .build()
        .context("configuration")?;
    let mut all = serde_json::Map::new();
    for set in &sets {
        let input = input_of(set, &args.data, &args.corpus);
        let out_dir = work.join(set);
        let started = Instant::now();
        let out = pipeline::run(&config, &[input], &NoProgress).with_context(|| format!("running {set}"))?;
        let secs = started.elapsed().as_secs_f64();
        let opts = ReportOptions {
            version: crosscheck::VERSION.to_string(),
            threads: config.threads,
            ..ReportOptions::default()
        };
        report::write_all(&out, &out_dir, &opts)?;
        let gold = |name: &str| args.data.join(name);
        let scores = match set.as_str() {
            "seed" => json!({ "seed": eval::seed(&out_dir)? }),
            "demo" => json!({
                "pairs": eval::gold_pairs(&out_dir, &args.corpus.join("gold"))?,
                "stories": eval::stories(&out_dir, &args.corpus.join("gold/stories.csv"), "story")?,
            }),
            "emergent" => json!({
                "conflicts": eval::emergent_conflicts(&out_dir, &gold("emergent-dev"))?,
                "stories": eval::stories(&out_dir, &gold("emergent-dev/gold.csv"), "claim_id")?,
            }),
            "ecb" => json!({ "stories": eval::stories(&out_dir, &gold("ecbplus-dev/gold.csv"), "event_cluster")? }),
            "fnc" => json!({ "disagree": eval::fnc_disagree(&out_dir, &gold("fnc1-dev"))? }),
            _ => {
                let iso = args.data.join("gazetteer/pycountry-26.2.16/iso3166-1.json");
                json!({ "places": eval::places(&out_dir, &gold("reuters-places-dev"), iso.exists().then_some(iso.as_path()))? })
            }
        };
        let mut scores = scores;
        scores["counts"] = json!({
            "articles": out.articles.len(),
            "claims": out.claims.len(),
            "conflicts": out.conflicts.len(),
            "seconds": (secs * 100.0).round() / 100.0,
        });
        if !args.json {
            print_set(set, &scores);
        }
        all.insert(set.clone(), scores);
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&serde_json::Value::Object(all))?);
    }
    if args.keep.is_none() {
        let _ = std::fs::remove_dir_all(&work);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_set(set: &str, v: &serde_json::Value) {
    let f = |x: &serde_json::Value| x.as_f64().map(|n| format!("{n:.3}")).unwrap_or_else(|| x.to_string());
    let c = &v["counts"];
    println!(
        "{set}: {} articles, {} claims, {} conflicts, {}s",
        c["articles"], c["claims"], c["conflicts"], c["seconds"]
    );
    match set {
        "seed" => println!(
            "  russia-vs-ukraine kursk conflicts {} of {} flagged",
            v["seed"]["russia_ukraine"], v["seed"]["flagged"]
        ),
        "demo" => {
            let p = &v["pairs"];
            println!(
                "  gold pairs found {}/{} (right kind {}), false flags {}",
                p["found"],
                p["total"],
                p["right_kind"],
                p["false_flags"].as_array().map_or(0, |a| a.len())
            );
            for m in p["missed"].as_array().into_iter().flatten() {
                println!("    missed {}", m.as_str().unwrap_or(""));
            }
            for m in p["false_flags"].as_array().into_iter().flatten() {
                println!("    false  {}", m.as_str().unwrap_or(""));
            }
            let s = &v["stories"];
            println!(
                "  stories B3 P={} R={} F1={}",
                f(&s["precision"]),
                f(&s["recall"]),
                f(&s["f1"])
            );
        }
        "emergent" => {
            let p = &v["conflicts"];
            println!(
                "  conflicts P={} R={} F1={} tp={} fp={} agree_flagged={}",
                f(&p["precision"]),
                f(&p["recall"]),
                f(&p["f1"]),
                p["tp"],
                p["fp"],
                f(&p["agree_flagged"])
            );
            let s = &v["stories"];
            println!(
                "  stories B3 P={} R={} F1={}",
                f(&s["precision"]),
                f(&s["recall"]),
                f(&s["f1"])
            );
        }
        "ecb" => {
            let s = &v["stories"];
            println!(
                "  stories B3 P={} R={} F1={}",
                f(&s["precision"]),
                f(&s["recall"]),
                f(&s["f1"])
            );
        }
        "fnc" => {
            let p = &v["disagree"];
            println!(
                "  disagree P={} R={} tp={} fp={} of {}",
                f(&p["precision"]),
                f(&p["recall"]),
                p["tp"],
                p["fp"],
                p["positives"]
            );
        }
        _ => {
            let p = &v["places"];
            println!(
                "  places recall={} precision(lower bound)={} over {}",
                f(&p["recall"]),
                f(&p["precision"]),
                p["total"]
            );
        }
    }
}

fn tempdir() -> anyhow::Result<PathBuf> {
    let base = std::env::temp_dir().join(format!("crosscheck-eval-{}", std::process::id()));
    std::fs::create_dir_all(&base).with_context(|| format!("creating {}", base.display()))?;
    Ok(base)
}

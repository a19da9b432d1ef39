//! `crosscheck train`: refits the story pair model on the dev sets and reports its
//! grouped cross-validation scores.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::Args;
use crosscheck::align::train::{self, fold_of, TrainOptions, TrainSet};
use crosscheck::eval;
use crosscheck::pipeline::{self, NoProgress, PipelineBuilder};

/// Flags of `crosscheck train`.
#[derive(Args, Debug)]
#[command(after_help = "\
Runs the pipeline on DATA/emergent-dev and DATA/ecbplus-dev, fits the two logistic
regressions of story grouping on their candidate pairs (gold: claim_id for Emergent,
event_cluster for ECB+), and prints B-cubed scores from grouped 5-fold cross-validation
(folds by claim for Emergent, by topic for ECB+): the figures to quote.

Examples:
  crosscheck train --data ../shared/data
  crosscheck train --data ../shared/data --write src/lexicon/story_model.tsv

Cost: a few seconds per set; memory grows with the number of candidate pairs (about
50 per article, 60 numbers each).")]
pub struct TrainArgs {
    /// Folder holding the dev sets.
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// Write the fitted model to this file (the compiled-in one is
    /// src/lexicon/story_model.tsv; rebuild to use it).
    #[arg(long)]
    write: Option<PathBuf>,
    /// Inverse strength of the L2 penalty.
    #[arg(long, default_value_t = 10.0)]
    c: f64,
    /// Worker threads (0 = all cores); the result is the same for any value.
    #[arg(long, short = 'j', default_value_t = 0)]
    threads: usize,
}

/// (name, folder, gold column, fold column)
const SETS: [(&str, &str, &str, &str); 2] = [
    ("emergent", "emergent-dev", "claim_id", "claim_id"),
    ("ecb", "ecbplus-dev", "event_cluster", "topic"),
];

pub fn run(args: TrainArgs) -> anyhow::Result<ExitCode> {
    if !(args.c > 0.0 && args.c.is_finite()) {
        bail!("--c must be a positive number");
    }
    let mut config = PipelineBuilder::new()
        .threads(args.threads)
        .build()
        .context("configuration")?;
    config.story.keep_features = true;
    let opts = TrainOptions {
        c: args.c,
        params: config.story,
        ..TrainOptions::default()
    };
    let mut sets = Vec::new();
    for (name, folder, gold_col, fold_col) in SETS {
        let dir = args.data.join(folder);
        let input = dir.join("articles.jsonl");
        if !input.exists() {
            bail!(
                "{}: not found (pass --data with the folder holding the dev sets)",
                input.display()
            );
        }
        let out = pipeline::run(&config, &[input], &NoProgress).with_context(|| format!("running {name}"))?;
        let gold_rows = eval::read_rows(&dir.join("gold.csv"))?;
        let col = |r: &std::collections::HashMap<String, String>, c: &str| r.get(c).cloned().unwrap_or_default();
        let by_id: std::collections::HashMap<String, (String, String)> = gold_rows
            .iter()
            .map(|r| (col(r, "article_id"), (col(r, gold_col), col(r, fold_col))))
            .collect();
        let mut labels: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
        let mut gold = Vec::with_capacity(out.articles.len());
        let mut fold = Vec::with_capacity(out.articles.len());
        for a in &out.articles {
            // An article without gold is a story of its own.
            let (g, f) = by_id
                .get(&a.id)
                .cloned()
                .unwrap_or_else(|| (format!("article:{}", a.id), a.id.clone()));
            let next = labels.len() as u32;
            gold.push(*labels.entry(g).or_insert(next));
            fold.push(fold_of(&format!("{name}:{f}"), opts.folds));
        }
        println!("{name}: {} articles, {} gold stories", out.articles.len(), labels.len());
        sets.push(TrainSet {
            name: name.to_string(),
            features: out.story_features,
            gold,
            fold,
        });
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .build()
        .context("thread pool")?;
    let trained = pool.install(|| train::train(&sets, &opts));
    for (name, n, pos) in &trained.pairs {
        println!("{name}: {n} candidate pairs, {pos} in one gold story");
    }
    println!(
        "grouped {}-fold cross-validation, B-cubed (model threshold {:.2}):",
        opts.folds, opts.threshold
    );
    let mut summary = Vec::new();
    for s in &trained.cv {
        let mark = if (s.threshold - opts.threshold).abs() < 1e-9 {
            "  <-"
        } else {
            ""
        };
        println!(
            "  stage {} threshold {:.2} {:9} P={:.3} R={:.3} F1={:.3}{mark}",
            s.stage, s.threshold, s.set, s.b3.precision, s.b3.recall, s.b3.f1
        );
        if s.stage == 2 && !mark.is_empty() {
            summary.push(format!("{} {:.3}", s.set, s.b3.f1));
        }
    }
    if let Some(path) = &args.write {
        let comments = vec![
            "Story pair model: logistic regression weights on raw features (standardisation folded in).".to_string(),
            "Written by `crosscheck train --data ../shared/data --write src/lexicon/story_model.tsv`; do not edit."
                .to_string(),
            "Fitted on the candidate pairs of the emergent-dev and ecbplus-dev sets, labelled by their gold story"
                .to_string(),
            "columns (claim_id, event_cluster): a small model tuned on dev data, so quote the cross-validated figures,"
                .to_string(),
            "whose folds are grouped by claim (emergent) and topic (ecb) so no story is split across folds."
                .to_string(),
            format!(
                "C={}, grouped {}-fold cross-validated B-cubed F1 at the threshold: {}.",
                opts.c,
                opts.folds,
                summary.join(", ")
            ),
            "Columns: stage (1 or 2), feature (see src/align/model.rs), weight.".to_string(),
        ];
        std::fs::write(path, trained.model.to_tsv(&comments)).with_context(|| format!("writing {}", path.display()))?;
        println!("model written to {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

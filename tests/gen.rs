//! `crosscheck gen` and `crosscheck bench`: a deterministic synthetic corpus in the input
//! format, gold pairs that point at its articles, planted conflicts the pipeline finds,
//! and a benchmark table with a row per stage.

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::path::Path;

use crate::util::{crosscheck, rows, run_ok, tmp};

fn gen(dir: &Path, articles: u64, seed: u64) {
    let o = crosscheck(&[
        "gen",
        "--articles",
        &articles.to_string(),
        "--seed",
        &seed.to_string(),
        "--out",
        &dir.display().to_string(),
    ]);
    assert!(
        o.status.success(),
        "gen failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn gen_same_seed_same_bytes() {
    let (a, b, c) = (tmp(), tmp(), tmp());
    gen(a.path(), 400, 3);
    gen(b.path(), 400, 3);
    gen(c.path(), 400, 4);
    for f in ["articles.jsonl", "gold.csv", "stories.csv"] {
        let (x, y) = (fs::read(a.path().join(f)).unwrap(), fs::read(b.path().join(f)).unwrap());
        assert!(x == y, "{f} differs between two runs with the same seed");
    }
    assert_ne!(
        fs::read(a.path().join("articles.jsonl")).unwrap(),
        fs::read(c.path().join("articles.jsonl")).unwrap()
    );
}

#[test]
fn gen_writes_the_input_format_and_consistent_gold() {
    let dir = tmp();
    gen(dir.path(), 600, 1);
    let text = fs::read_to_string(dir.path().join("articles.jsonl")).unwrap();
    let mut ids = HashSet::new();
    let mut sources = HashSet::new();
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("one JSON object a line");
        for k in ["id", "source", "date", "title", "body"] {
            assert!(v[k].is_string(), "{k} missing in {line}");
        }
        assert!(v["url"].is_string() || v["url"].is_null());
        let words = v["body"].as_str().unwrap().split_whitespace().count();
        assert!((60..=700).contains(&words), "{words} words in {}", v["id"]);
        assert!(ids.insert(v["id"].as_str().unwrap().to_string()), "duplicate id");
        sources.insert(v["source"].as_str().unwrap().to_string());
    }
    assert_eq!(ids.len(), 600);
    assert!(sources.len() > 50, "only {} outlets", sources.len());
    let gold = rows(&dir.path().join("gold.csv"));
    let kinds: BTreeSet<&str> = gold.iter().map(|r| r["kind"].as_str()).collect();
    assert_eq!(
        kinds,
        BTreeSet::from(["denial", "exclusive_state", "numeric", "reversal", "temporal"])
    );
    for r in &gold {
        assert!(ids.contains(&r["a_article_id"]) && ids.contains(&r["b_article_id"]));
        assert_ne!(r["a_article_id"], r["b_article_id"]);
    }
    let stories = rows(&dir.path().join("stories.csv"));
    assert_eq!(stories.len(), 600);
    assert!(stories.iter().all(|r| ids.contains(&r["article_id"])));
}

#[test]
fn gen_planted_conflicts_are_found() {
    let (corpus, out) = (tmp(), tmp());
    gen(corpus.path(), 300, 7);
    run_ok(&[&corpus.path().join("articles.jsonl")], out.path(), &[]);
    let flagged: HashSet<(String, String)> = rows(&out.path().join("conflicts.csv"))
        .into_iter()
        .flat_map(|r| {
            let (a, b) = (r["a_article_id"].clone(), r["b_article_id"].clone());
            [(a.clone(), b.clone()), (b, a)]
        })
        .collect();
    let gold = rows(&corpus.path().join("gold.csv"));
    let found = gold
        .iter()
        .filter(|r| flagged.contains(&(r["a_article_id"].clone(), r["b_article_id"].clone())))
        .count();
    assert!(
        found * 10 >= gold.len() * 8,
        "found {found} of {} planted conflicts",
        gold.len()
    );
}

#[test]
fn gen_rejects_bad_options() {
    let dir = tmp();
    let o = crosscheck(&[
        "gen",
        "--articles",
        "10",
        "--days",
        "0",
        "--out",
        &dir.path().display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn bench_prints_stages_and_appends_csv() {
    let dir = tmp();
    let csv = dir.path().join("runs/raw.csv");
    let o = crosscheck(&[
        "bench",
        "corpus/articles",
        "--runs",
        "1",
        "--out",
        &csv.display().to_string(),
    ]);
    assert!(
        o.status.success(),
        "bench failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let table = String::from_utf8_lossy(&o.stdout);
    for stage in ["setup", "names", "align", "detect", "report", "total"] {
        assert!(table.contains(stage), "no {stage} row in\n{table}");
    }
    let rows = rows(&csv);
    let totals: Vec<_> = rows
        .iter()
        .filter(|r| r["stage"] == "total" && r["run"] == "median")
        .collect();
    assert!(!totals.is_empty());
    for t in totals {
        assert!(t["peak_rss_mb"].parse::<f64>().unwrap() > 1.0);
        assert!(t["articles"].parse::<u64>().unwrap() >= 49);
    }
}

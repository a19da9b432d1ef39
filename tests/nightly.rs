//! Nightly runs against a state file: new conflicts only, no article twice, crash safety,
//! one run at a time, and older state files.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::util::{crosscheck, root, rows, run_ok, tmp};

/// Splits the demo corpus by publication date: articles up to `cut` (YYYY-MM-DD) go to
/// day 1, the rest to day 2, keeping the outlet folders (the source of a text article).
fn split_demo(dir: &Path, cut: &str) -> (PathBuf, PathBuf) {
    let (d1, d2) = (dir.join("day1"), dir.join("day2"));
    let articles = root().join("corpus/articles");
    let full = tmp();
    run_ok(&[&articles], full.path(), &[]);
    let published: std::collections::HashMap<String, String> = rows(&full.path().join("articles.csv"))
        .into_iter()
        .map(|r| (r["article_id"].clone(), r["published"].clone()))
        .collect();
    for outlet in fs::read_dir(&articles).unwrap() {
        let outlet = outlet.unwrap().path();
        for f in fs::read_dir(&outlet).unwrap() {
            let f = f.unwrap().path();
            let Some(stem) = f.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            // Feeds (JSON Lines, CSV) hold several articles: they go to day 2 whole.
            let day = match published.get(stem) {
                Some(p) if p.as_str() <= cut => &d1,
                _ => &d2,
            };
            let target = day.join(outlet.file_name().unwrap());
            fs::create_dir_all(&target).unwrap();
            fs::copy(&f, target.join(f.file_name().unwrap())).unwrap();
        }
    }
    (d1, d2)
}

fn conflict_keys(dir: &Path, only_new: bool) -> BTreeSet<String> {
    rows(&dir.join("conflicts.csv"))
        .into_iter()
        .filter(|r| !only_new || r["status"] == "new")
        .map(|r| {
            let (a, b) = (r["a_claim_id"].clone(), r["b_claim_id"].clone());
            let (a, b) = if a <= b { (a, b) } else { (b, a) };
            format!("{a}|{b}|{}", r["kind"])
        })
        .collect()
}

#[test]
fn day_two_reports_as_new_the_conflicts_of_day_two_articles() {
    let dir = tmp();
    let (d1, d2) = split_demo(dir.path(), "2025-04-27");
    let state = dir.path().join("state.db");
    let s = state.to_str().unwrap();
    run_ok(
        &[&d1],
        &dir.path().join("out1"),
        &["--state", s, "--today", "2025-04-27"],
    );
    let out2 = dir.path().join("out2");
    run_ok(&[&d2], &out2, &["--state", s, "--today", "2025-05-10"]);
    let new = conflict_keys(&out2, true);
    assert!(!new.is_empty());
    // Every new conflict involves a day-2 article.
    let day2: BTreeSet<String> = rows(&out2.join("articles.csv"))
        .into_iter()
        .take_while(|_| true)
        .map(|r| r["article_id"].clone())
        .collect();
    let day1_ids: BTreeSet<String> = rows(&dir.path().join("out1/articles.csv"))
        .into_iter()
        .map(|r| r["article_id"].clone())
        .collect();
    for r in rows(&out2.join("conflicts.csv"))
        .into_iter()
        .filter(|r| r["status"] == "new")
    {
        assert!(
            !day1_ids.contains(&r["a_article_id"]) || !day1_ids.contains(&r["b_article_id"]),
            "a new conflict between two day-1 articles: {r:?}"
        );
        assert!(day2.contains(&r["a_article_id"]) && day2.contains(&r["b_article_id"]));
    }
    // Day 2 denies claims stored on day 1: some new conflict pairs a day-1 article.
    let crosses_days = rows(&out2.join("conflicts.csv")).into_iter().any(|r| {
        r["status"] == "new" && (day1_ids.contains(&r["a_article_id"]) || day1_ids.contains(&r["b_article_id"]))
    });
    assert!(crosses_days, "no day-2 conflict with a stored day-1 claim");
    // A full run finds the same conflicts involving day-2 articles.
    let full = tmp();
    run_ok(&[&root().join("corpus/articles")], full.path(), &[]);
    let full_day2: BTreeSet<String> = rows(&full.path().join("conflicts.csv"))
        .into_iter()
        .filter(|r| !day1_ids.contains(&r["a_article_id"]) || !day1_ids.contains(&r["b_article_id"]))
        .map(|r| {
            let (a, b) = (r["a_claim_id"].clone(), r["b_claim_id"].clone());
            let (a, b) = if a <= b { (a, b) } else { (b, a) };
            format!("{a}|{b}|{}", r["kind"])
        })
        .collect();
    let missing: Vec<&String> = full_day2.difference(&new).collect();
    let extra: Vec<&String> = new.difference(&full_day2).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "nightly vs full run:\n missing {missing:#?}\n extra {extra:#?}"
    );

    // Rerunning day 2 reports nothing new and processes no article twice.
    let out3 = dir.path().join("out3");
    let o = run_ok(&[&d2], &out3, &["--state", s, "--today", "2025-05-11"]);
    assert!(conflict_keys(&out3, true).is_empty());
    assert!(rows(&out3.join("articles.csv")).is_empty());
    let _ = o;
}

#[test]
fn a_run_killed_midway_leaves_the_state_as_before() {
    let dir = tmp();
    let state = dir.path().join("state.db");
    let s = state.to_str().unwrap();
    run_ok(
        &[&root().join("corpus/articles")],
        &dir.path().join("out1"),
        &["--state", s, "--today", "2025-05-01"],
    );
    let before = crosscheck(&["state", "stats", "--state", s]);
    let before = String::from_utf8_lossy(&before.stdout).into_owned();
    // A bigger night: many copies of a feed line with new ids, so the run takes a while.
    let feed = dir.path().join("night.jsonl");
    let mut lines = String::new();
    for i in 0..6000 {
        lines.push_str(&format!(
            "{{\"id\": \"n{i}\", \"source\": \"wire{}\", \"date\": \"2025-05-02\", \"title\": \"Police arrested the mayor of Springfield {i}\", \"body\": \"Police arrested the mayor of Springfield on Monday, officials said. The mayor's lawyer denied that he had been arrested. About 300 people protested.\"}}\n",
            i % 7
        ));
    }
    fs::write(&feed, lines).unwrap();
    for delay_ms in [50u64, 300, 900] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_crosscheck"))
            .args([
                "run",
                feed.to_str().unwrap(),
                "--out",
                dir.path().join("out2").to_str().unwrap(),
                "--quiet",
            ])
            .args(["--state", s, "--today", "2025-05-02"])
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let after = crosscheck(&["state", "stats", "--state", s]);
        assert!(after.status.success(), "{}", String::from_utf8_lossy(&after.stderr));
        let after = String::from_utf8_lossy(&after.stdout).into_owned();
        // The killed run may or may not have committed (if it finished in time); if it did
        // not, nothing of it is in the state.
        if after != before {
            assert!(after.contains("\"articles\": 6049"), "a partial run was kept:\n{after}");
            return;
        }
    }
    // The next run succeeds.
    run_ok(
        &[&feed],
        &dir.path().join("out3"),
        &["--state", s, "--today", "2025-05-02"],
    );
    let after = crosscheck(&["state", "stats", "--state", s]);
    assert!(String::from_utf8_lossy(&after.stdout).contains("\"articles\": 6049"));
}

#[test]
fn a_second_run_waits_then_stops_with_a_clear_message() {
    let dir = tmp();
    let state = dir.path().join("state.db");
    let holder = crosscheck::state::State::open(&state, Duration::from_secs(1), "2025-05-01", "test").unwrap();
    let o = crosscheck(&[
        "run",
        root().join("corpus/articles").to_str().unwrap(),
        "--out",
        dir.path().join("out").to_str().unwrap(),
        "--state",
        state.to_str().unwrap(),
        "--state-wait",
        "1",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("another crosscheck run"), "{err}");
    drop(holder);
    let o = crosscheck(&["state", "stats", "--state", state.to_str().unwrap()]);
    assert!(o.status.success());
}

#[test]
fn a_state_file_of_schema_version_one_is_read() {
    let dir = tmp();
    let state = dir.path().join("old.db");
    fs::copy(root().join("tests/fixtures/state-v1.sqlite"), &state).unwrap();
    let s = state.to_str().unwrap();
    let o = crosscheck(&["state", "stats", "--state", s]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stats: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(stats["schema_version"], 2);
    assert_eq!(stats["articles"], 1);
    assert_eq!(stats["conflicts"], 1);
    // Tonight's denial meets the claim stored by the old state.
    let night = dir.path().join("kyiv-desk");
    fs::create_dir(&night).unwrap();
    fs::write(
        night.join("denial.txt"),
        "Ukraine denies Russia retook Kursk region\n2025-04-28\nUkraine's General Staff denied on Monday that Russian forces had regained control of the Kursk region.\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    run_ok(&[&night], &out, &["--state", s, "--today", "2025-04-28"]);
    let conflicts = rows(&out.join("conflicts.csv"));
    assert!(
        conflicts
            .iter()
            .any(|r| r["status"] == "new" && (r["a_article_id"] == "v1-kursk" || r["b_article_id"] == "v1-kursk")),
        "{conflicts:#?}"
    );
}

#[test]
fn state_export_and_prune() {
    let dir = tmp();
    let state = dir.path().join("state.db");
    let s = state.to_str().unwrap();
    run_ok(
        &[&root().join("corpus/articles")],
        &dir.path().join("out"),
        &["--state", s, "--today", "2025-06-30"],
    );
    let o = crosscheck(&["state", "export", "--state", s]);
    assert!(o.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!lines.is_empty() && lines.iter().all(|l| l["type"] == "conflict"));
    let o = crosscheck(&["state", "prune", "--state", s, "--before", "2025-05-01"]);
    assert!(o.status.success());
    let o = crosscheck(&["state", "stats", "--state", s]);
    let stats: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(stats["published_range"][0], "2025-05-01", "{stats}");
}

//! Reference point on the throughput corpus: a bare aho-corasick scan for the 10k most
//! frequent entity strings of news31k (`../shared/data/news31k`), with one thread and with
//! two, next to the whole pipeline on the same file, so the ratio is measured in one run.
//! Skipped, with a message, when `../shared/data` is absent.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use aho_corasick::AhoCorasick;
use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use rayon::prelude::*;

fn data() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/news31k");
    if p.join("articles.jsonl").is_file() && p.join("entity-strings-top10k.txt").is_file() {
        Some(p)
    } else {
        eprintln!("skipped: ../shared/data/news31k is absent");
        None
    }
}

fn reference(c: &mut Criterion) {
    let Some(dir) = data() else { return };
    let names: Vec<String> = std::fs::read_to_string(dir.join("entity-strings-top10k.txt"))
        .expect("reading the entity strings")
        .lines()
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    let texts: Vec<String> = std::fs::read_to_string(dir.join("articles.jsonl"))
        .expect("reading news31k")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("news31k is JSON Lines");
            format!(
                "{}\n{}",
                v["title"].as_str().unwrap_or_default(),
                v["body"].as_str().unwrap_or_default()
            )
        })
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let ac = AhoCorasick::new(&names).expect("the automaton builds");
    let scan = |t: &String| ac.find_iter(black_box(t.as_str())).count();
    let expected: usize = texts.iter().map(scan).sum();
    assert!(expected > 100_000, "news31k names many things, got {expected}");

    let mut g = c.benchmark_group("reference_news31k");
    g.sampling_mode(SamplingMode::Flat);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("aho_corasick_10k_names_1_thread", |b| {
        b.iter(|| assert_eq!(texts.iter().map(scan).sum::<usize>(), expected))
    });
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().expect("a pool");
    g.bench_function("aho_corasick_10k_names_2_threads", |b| {
        b.iter(|| pool.install(|| assert_eq!(texts.par_iter().map(scan).sum::<usize>(), expected)))
    });
    // The whole pipeline (no report writing) on the same file, two threads.
    let config = crosscheck::PipelineBuilder::new()
        .threads(2)
        .build()
        .expect("configuration");
    let input = [dir.join("articles.jsonl")];
    let articles = texts.len();
    g.bench_function("crosscheck_pipeline_2_threads", |b| {
        b.iter(|| {
            let out = crosscheck::pipeline::run(&config, &input, &crosscheck::pipeline::NoProgress).expect("run");
            assert_eq!(out.articles.len() + out.rejects.len(), articles);
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));
    targets = reference
}
criterion_main!(benches);

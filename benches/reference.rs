//! Reference point on the throughput corpus: a bare aho-corasick scan for the 10k most
//! frequent entity strings of news31k (`../shared/data/news31k`), with one thread and with
//! two, next to the whole pipeline on the same file, so the ratio is measured in one run.
//! Skipped, with a message, when `../shared/data` is absent.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use aho_corasick::{AhoCorasick, MatchKind};
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
    stages(c, &ac, &texts[..texts.len().min(5000)]);
}

/// The entities and claims stages alone on the first articles of news31k, one thread,
/// beside the bare scan of the same texts.
fn stages(c: &mut Criterion, ac: &AhoCorasick, texts: &[String]) {
    use crosscheck::model::Field;
    use crosscheck::segment::Doc;
    let gaz = crosscheck::pipeline::default_gazetteer().expect("the gazetteer builds");
    let bytes: usize = texts.iter().map(String::len).sum();
    let docs: Vec<[Doc; 2]> = texts
        .iter()
        .map(|t| {
            let (title, body) = t.split_once('\n').unwrap_or((t, ""));
            [Doc::new(Field::Title, title, 0), Doc::new(Field::Body, body, 0)]
        })
        .collect();
    let mentions = |d: &[Doc]| crosscheck::entities::find_mentions(&gaz, d).mentions;
    let found: Vec<_> = docs.iter().map(|d| mentions(d)).collect();
    let n_mentions: usize = found.iter().map(Vec::len).sum();
    assert!(n_mentions > 10_000, "news31k names many things, got {n_mentions}");
    let claims = |d: &[Doc], m: &[crosscheck::model::Mention]| {
        crosscheck::claims::extract(d, &gaz, m, None, crosscheck::claims::ClaimLimits::default()).len()
    };
    let n_claims: usize = docs.iter().zip(&found).map(|(d, m)| claims(d, m)).sum();
    assert!(n_claims > 5_000, "news31k makes many claims, got {n_claims}");
    let scanned: usize = texts.iter().map(|t| ac.find_iter(t.as_str()).count()).sum();

    let mut g = c.benchmark_group("stages_news31k_5k");
    g.sampling_mode(SamplingMode::Flat);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("aho_corasick_10k_names_1_thread", |b| {
        b.iter(|| {
            assert_eq!(
                texts
                    .iter()
                    .map(|t| ac.find_iter(black_box(t.as_str())).count())
                    .sum::<usize>(),
                scanned
            )
        })
    });
    // The same patterns as the entities stage in one automaton, run bare (leftmost-longest
    // over the whole text, no context rules): the yardstick of the entities stage.
    let gaz_ac = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(gaz.forms())
        .expect("the gazetteer's forms build an automaton");
    let gaz_scanned: usize = texts.iter().map(|t| gaz_ac.find_iter(t.as_str()).count()).sum();
    assert!(
        gaz_scanned > 10_000,
        "the gazetteer finds many names, got {gaz_scanned}"
    );
    g.bench_function("gazetteer_automaton_bare_1_thread", |b| {
        b.iter(|| {
            assert_eq!(
                texts
                    .iter()
                    .map(|t| gaz_ac.find_iter(black_box(t.as_str())).count())
                    .sum::<usize>(),
                gaz_scanned
            )
        })
    });
    let places = |d: &[Doc]| crosscheck::entities::gazetteer_mentions(&gaz, d).len();
    let n_places: usize = docs.iter().map(|d| places(d)).sum();
    assert!(n_places > 10_000, "news31k names many places, got {n_places}");
    g.bench_function("entities_gazetteer_scan_1_thread", |b| {
        b.iter(|| assert_eq!(docs.iter().map(|d| places(black_box(d))).sum::<usize>(), n_places))
    });
    g.bench_function("entities_find_mentions_1_thread", |b| {
        b.iter(|| {
            assert_eq!(
                docs.iter().map(|d| mentions(black_box(d)).len()).sum::<usize>(),
                n_mentions
            )
        })
    });
    g.bench_function("claims_extract_1_thread", |b| {
        b.iter(|| {
            assert_eq!(
                docs.iter()
                    .zip(&found)
                    .map(|(d, m)| claims(black_box(d), m))
                    .sum::<usize>(),
                n_claims
            )
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

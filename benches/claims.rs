//! Claim extraction (`claims::extract`) over the demo corpus, given its segmented fields and
//! mentions.

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use crosscheck::claims::{self, ClaimLimits};
use crosscheck::entities;

fn extract(c: &mut Criterion) {
    let gaz = crosscheck::pipeline::default_gazetteer().expect("the gazetteer builds");
    let articles = common::articles();
    let bytes: usize = articles.iter().map(|a| a.title.len() + a.body.len()).sum();
    let prepared: Vec<_> = articles
        .iter()
        .map(|a| {
            let docs = common::docs(a);
            let names = entities::find_mentions(&gaz, &docs);
            (docs, names.mentions, crosscheck::date::parse_date(&a.date))
        })
        .collect();
    let count = || -> usize {
        prepared
            .iter()
            .map(|(docs, mentions, date)| {
                claims::extract(black_box(docs), &gaz, mentions, *date, ClaimLimits::default()).len()
            })
            .sum()
    };
    let expected = count();
    assert!(
        expected > 100,
        "the demo corpus makes over a hundred claims, got {expected}"
    );
    let mut g = c.benchmark_group("claims");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("extract", |b| b.iter(|| assert_eq!(count(), expected)));
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = extract
}
criterion_main!(benches);

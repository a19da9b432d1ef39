//! Sentence splitting (`segment::sentences`) over the bodies of the demo corpus.

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use crosscheck::segment;

fn sentences(c: &mut Criterion) {
    let articles = common::articles();
    let bytes: usize = articles.iter().map(|a| a.body.len()).sum();
    let count = |articles: &[common::Text]| -> usize {
        articles
            .iter()
            .map(|a| segment::sentences(black_box(&a.body), 0).len())
            .sum()
    };
    let expected = count(&articles);
    assert!(
        expected > 300,
        "the demo corpus has hundreds of sentences, got {expected}"
    );
    let mut g = c.benchmark_group("segment");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("sentences", |b| b.iter(|| assert_eq!(count(&articles), expected)));
    // Sentences plus tokens and their lowercase forms, as every later stage gets them.
    let doc_count = |articles: &[common::Text]| -> usize {
        articles
            .iter()
            .map(|a| common::docs(black_box(a))[1].sentences.len())
            .sum()
    };
    let expected_docs = doc_count(&articles);
    assert!(
        expected_docs > 300,
        "the demo corpus has hundreds of sentences, got {expected_docs}"
    );
    g.bench_function("doc", |b| b.iter(|| assert_eq!(doc_count(&articles), expected_docs)));
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = sentences
}
criterion_main!(benches);

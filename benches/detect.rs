//! Conflict detection (`detect::detect`) on the aligned claims of the demo corpus.

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use crosscheck::detect;

fn detect_conflicts(c: &mut Criterion) {
    let out = common::pipeline_output();
    let expected = detect::detect(&out.claims, &out.articles).len();
    assert!(
        expected >= 20,
        "the demo corpus holds dozens of conflicts, got {expected}"
    );
    let mut g = c.benchmark_group("detect");
    g.throughput(Throughput::Elements(out.claims.len() as u64));
    g.bench_function("detect", |b| {
        b.iter(|| assert_eq!(detect::detect(black_box(&out.claims), &out.articles).len(), expected))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = detect_conflicts
}
criterion_main!(benches);

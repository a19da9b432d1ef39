//! Entities: the per-article gazetteer scan (`entities::find_mentions`) on the demo corpus,
//! and the corpus-wide name clustering (`entities::cluster::resolve`) on censuses of
//! 10k, 100k and 1M synthetic name mentions, to show that its cost grows near-linearly.

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput};
use crosscheck::entities::{self, cluster};
use crosscheck::model::{EntityKind, EntityRef, Field, Mention, Span};

fn gazetteer(c: &mut Criterion) {
    let gaz = crosscheck::pipeline::default_gazetteer().expect("the gazetteer builds");
    let articles = common::articles();
    let bytes: usize = articles.iter().map(|a| a.title.len() + a.body.len()).sum();
    let docs: Vec<_> = articles.iter().map(common::docs).collect();
    let count = || -> usize {
        docs.iter()
            .map(|d| entities::find_mentions(&gaz, black_box(d)).mentions.len())
            .sum()
    };
    let expected = count();
    assert!(
        expected > 300,
        "the demo corpus names hundreds of things, got {expected}"
    );
    let mut g = c.benchmark_group("entities");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("find_mentions", |b| b.iter(|| assert_eq!(count(), expected)));
    g.finish();
}

/// A census of `n` person-name mentions written as a large corpus writes them.
fn census(n: usize) -> cluster::Census {
    let mut census = cluster::Census::default();
    let mentions: Vec<Mention> = crosscheck::gen::names::census_names(42, n)
        .into_iter()
        .map(|name| Mention {
            entity: EntityRef::Name(crosscheck::text::fold_name(&name).into()),
            span: Span {
                field: Field::Body,
                start: 0,
                end: name.len() as u32,
            },
            surface: name.into(),
            kind: EntityKind::Person,
            role: None,
            affiliation: None,
            government: false,
        })
        .collect();
    census.add_mentions(&mentions, &[]);
    census
}

fn cluster_scaling(c: &mut Criterion) {
    let mut g = c.benchmark_group("entities_cluster_scaling");
    g.sampling_mode(SamplingMode::Flat);
    for n in [10_000usize, 100_000, 1_000_000] {
        let census = census(n);
        let expected = cluster::resolve(&census).entities.len();
        assert!(
            expected > 0 && expected <= census.names.len(),
            "{n} mentions: {expected} entities"
        );
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("resolve", n), &census, |b, census| {
            b.iter(|| assert_eq!(cluster::resolve(black_box(census)).entities.len(), expected))
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = gazetteer, cluster_scaling
}
criterion_main!(benches);

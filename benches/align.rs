//! Alignment on the demo corpus: story clustering (`align::stories::cluster`) over article
//! term vectors, and event grouping (`align::events::group`) over the pipeline's claims.

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use crosscheck::align::events::{self, EventInput};
use crosscheck::align::stories::{self, StoryFeatures, StoryParams};
use crosscheck::model::{EntityKind, Field};

/// The story signals the pipeline computes for an article (without entities, which the
/// names stage adds).
fn features(a: &common::Text) -> StoryFeatures {
    let [title, body] = common::docs(a);
    let day = crosscheck::date::parse_date(&a.date).map(crosscheck::date::to_days);
    crosscheck::align::story_signals(&title, &body, "", day)
}

fn align(c: &mut Criterion) {
    let articles = common::articles();
    let feats: Vec<StoryFeatures> = articles.iter().map(features).collect();
    let params = StoryParams::default();
    let n_stories = |s: &[u32]| s.iter().max().map_or(0, |m| m + 1);
    let expected_stories = n_stories(&stories::cluster(&feats, &params).labels);
    assert!(
        (5..articles.len() as u32).contains(&expected_stories),
        "the demo corpus has about ten stories, got {expected_stories}"
    );

    let out = common::pipeline_output();
    let inputs: Vec<EventInput> = out
        .claims
        .iter()
        .map(|c| EventInput {
            story: out.articles[c.article as usize].story,
            event_type: c.claim.event_type,
            anchor: c.anchor,
            entities: &c.entities,
            terms: &c.claim.terms,
            headline: c.claim.span.field == Field::Title,
            specific: c
                .anchor
                .is_some_and(|a| out.entities.rows[a as usize].kind != EntityKind::Country),
            day: out.articles[c.article as usize]
                .published
                .map(crosscheck::date::to_days),
        })
        .collect();
    let expected_events = n_stories(&events::group(&inputs));
    assert!(
        expected_events > 20,
        "the demo corpus has dozens of events, got {expected_events}"
    );

    let mut g = c.benchmark_group("align");
    g.throughput(Throughput::Elements(feats.len() as u64));
    g.bench_function("stories", |b| {
        b.iter(|| {
            assert_eq!(
                n_stories(&stories::cluster(black_box(&feats), &params).labels),
                expected_stories
            )
        })
    });
    g.throughput(Throughput::Elements(inputs.len() as u64));
    g.bench_function("events", |b| {
        b.iter(|| assert_eq!(n_stories(&events::group(black_box(&inputs))), expected_events))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = align
}
criterion_main!(benches);

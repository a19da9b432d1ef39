//! The fixed input every micro benchmark runs on: the demo corpus (`corpus/articles`),
//! compiled into the benchmark so the figures do not depend on files on disk.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use crosscheck::model::Field;
use crosscheck::segment::Doc;

/// The plain-text articles of the demo corpus: (path under corpus/articles, text).
pub const TXT: &[(&str, &str)] = &[
    (
        "brightwater-journal/bj-ceo-0603.txt",
        include_str!("../../corpus/articles/brightwater-journal/bj-ceo-0603.txt"),
    ),
    (
        "brightwater-journal/bj-fire-0116.txt",
        include_str!("../../corpus/articles/brightwater-journal/bj-fire-0116.txt"),
    ),
    (
        "brightwater-journal/bj-trade-0304.txt",
        include_str!("../../corpus/articles/brightwater-journal/bj-trade-0304.txt"),
    ),
    (
        "capitol-ridge-report/crr-kursk-0429.txt",
        include_str!("../../corpus/articles/capitol-ridge-report/crr-kursk-0429.txt"),
    ),
    (
        "continental-dispatch/cd-kursk-0430.txt",
        include_str!("../../corpus/articles/continental-dispatch/cd-kursk-0430.txt"),
    ),
    (
        "continental-dispatch/cd-mayor-0204.txt",
        include_str!("../../corpus/articles/continental-dispatch/cd-mayor-0204.txt"),
    ),
    (
        "continental-dispatch/cd-quake-0609.txt",
        include_str!("../../corpus/articles/continental-dispatch/cd-quake-0609.txt"),
    ),
    (
        "copperline-herald/ch-cease-0412.txt",
        include_str!("../../corpus/articles/copperline-herald/ch-cease-0412.txt"),
    ),
    (
        "copperline-herald/ch-port-0318.txt",
        include_str!("../../corpus/articles/copperline-herald/ch-port-0318.txt"),
    ),
    (
        "copperline-herald/ch-quake-0609.txt",
        include_str!("../../corpus/articles/copperline-herald/ch-quake-0609.txt"),
    ),
    (
        "dnipro-morning-monitor/dmm-kursk-0427.txt",
        include_str!("../../corpus/articles/dnipro-morning-monitor/dmm-kursk-0427.txt"),
    ),
    (
        "dnipro-morning-monitor/dmm-kursk-0501.txt",
        include_str!("../../corpus/articles/dnipro-morning-monitor/dmm-kursk-0501.txt"),
    ),
    (
        "eastern-wire-service/ews-cease-0413.txt",
        include_str!("../../corpus/articles/eastern-wire-service/ews-cease-0413.txt"),
    ),
    (
        "eastern-wire-service/ews-elec-0514.txt",
        include_str!("../../corpus/articles/eastern-wire-service/ews-elec-0514.txt"),
    ),
    (
        "eastern-wire-service/ews-fire-0117.txt",
        include_str!("../../corpus/articles/eastern-wire-service/ews-fire-0117.txt"),
    ),
    (
        "eastern-wire-service/ews-kursk-0426.txt",
        include_str!("../../corpus/articles/eastern-wire-service/ews-kursk-0426.txt"),
    ),
    (
        "eastern-wire-service/ews-port-0317.txt",
        include_str!("../../corpus/articles/eastern-wire-service/ews-port-0317.txt"),
    ),
    (
        "gulf-of-guinea-tribune/ggt-trade-0311.txt",
        include_str!("../../corpus/articles/gulf-of-guinea-tribune/ggt-trade-0311.txt"),
    ),
    (
        "hanbit-daily-observer/hdo-elec-0514.txt",
        include_str!("../../corpus/articles/hanbit-daily-observer/hdo-elec-0514.txt"),
    ),
    (
        "hanbit-daily-observer/hdo-kursk-0428.txt",
        include_str!("../../corpus/articles/hanbit-daily-observer/hdo-kursk-0428.txt"),
    ),
    (
        "hanbit-daily-observer/hdo-kursk-0430.txt",
        include_str!("../../corpus/articles/hanbit-daily-observer/hdo-kursk-0430.txt"),
    ),
    (
        "ironvale-courier/ic-cease-0415.txt",
        include_str!("../../corpus/articles/ironvale-courier/ic-cease-0415.txt"),
    ),
    (
        "ironvale-courier/ic-fire-0118.txt",
        include_str!("../../corpus/articles/ironvale-courier/ic-fire-0118.txt"),
    ),
    (
        "ironvale-courier/ic-mayor-0207.txt",
        include_str!("../../corpus/articles/ironvale-courier/ic-mayor-0207.txt"),
    ),
    (
        "ironvale-courier/ic-port-0319.txt",
        include_str!("../../corpus/articles/ironvale-courier/ic-port-0319.txt"),
    ),
    (
        "kattegat-review/kr-ceo-0602.txt",
        include_str!("../../corpus/articles/kattegat-review/kr-ceo-0602.txt"),
    ),
    (
        "kattegat-review/kr-dam-0508.txt",
        include_str!("../../corpus/articles/kattegat-review/kr-dam-0508.txt"),
    ),
    (
        "kattegat-review/kr-kursk-0423.txt",
        include_str!("../../corpus/articles/kattegat-review/kr-kursk-0423.txt"),
    ),
    (
        "neva-telegraph/nt-kursk-0427.txt",
        include_str!("../../corpus/articles/neva-telegraph/nt-kursk-0427.txt"),
    ),
    (
        "northbridge-ledger/nbl-ceo-0605.txt",
        include_str!("../../corpus/articles/northbridge-ledger/nbl-ceo-0605.txt"),
    ),
    (
        "northbridge-ledger/nbl-dam-0507.txt",
        include_str!("../../corpus/articles/northbridge-ledger/nbl-dam-0507.txt"),
    ),
    (
        "northbridge-ledger/nbl-kursk-0428.txt",
        include_str!("../../corpus/articles/northbridge-ledger/nbl-kursk-0428.txt"),
    ),
    (
        "northbridge-ledger/nbl-mayor-0205.txt",
        include_str!("../../corpus/articles/northbridge-ledger/nbl-mayor-0205.txt"),
    ),
    (
        "rift-highlands-tribune/rht-dam-0506.txt",
        include_str!("../../corpus/articles/rift-highlands-tribune/rht-dam-0506.txt"),
    ),
    (
        "rift-highlands-tribune/rht-dam-0507.txt",
        include_str!("../../corpus/articles/rift-highlands-tribune/rht-dam-0507.txt"),
    ),
    (
        "saltmarsh-gazette/sg-port-0317.txt",
        include_str!("../../corpus/articles/saltmarsh-gazette/sg-port-0317.txt"),
    ),
    (
        "stonebridge-evening-post/sep-ceo-0603.txt",
        include_str!("../../corpus/articles/stonebridge-evening-post/sep-ceo-0603.txt"),
    ),
    (
        "stonebridge-evening-post/sep-mayor-0208.txt",
        include_str!("../../corpus/articles/stonebridge-evening-post/sep-mayor-0208.txt"),
    ),
    (
        "stonebridge-evening-post/sep-quake-0610.txt",
        include_str!("../../corpus/articles/stonebridge-evening-post/sep-quake-0610.txt"),
    ),
    (
        "sundarban-courier/sc-fire-0115.txt",
        include_str!("../../corpus/articles/sundarban-courier/sc-fire-0115.txt"),
    ),
    (
        "visayas-sentinel/vs-elec-0513.txt",
        include_str!("../../corpus/articles/visayas-sentinel/vs-elec-0513.txt"),
    ),
];

/// The JSON Lines feed of the demo corpus.
pub const JSONL: (&str, &str) = (
    "feeds/wire-feed.jsonl",
    include_str!("../../corpus/articles/feeds/wire-feed.jsonl"),
);

/// The CSV feed of the demo corpus.
pub const CSV: (&str, &str) = (
    "feeds/regional.csv",
    include_str!("../../corpus/articles/feeds/regional.csv"),
);

/// One article of the embedded corpus.
pub struct Text {
    /// Headline.
    pub title: String,
    /// Publication date as written.
    pub date: String,
    /// Body.
    pub body: String,
}

/// The embedded articles (plain-text and JSON Lines ones), in a fixed order.
pub fn articles() -> Vec<Text> {
    let mut out: Vec<Text> = TXT
        .iter()
        .map(|(_, text)| {
            let mut lines = text.splitn(3, '\n');
            let title = lines.next().unwrap_or_default().trim().to_string();
            let date = lines.next().unwrap_or_default().trim().to_string();
            let body = lines.next().unwrap_or_default().to_string();
            Text { title, date, body }
        })
        .collect();
    for line in JSONL.1.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).expect("the embedded feed is JSON");
        let field = |k: &str| v[k].as_str().unwrap_or_default().to_string();
        out.push(Text {
            title: field("title"),
            date: field("date"),
            body: field("body"),
        });
    }
    out
}

/// Title and body of an article, segmented (the dateline is skipped as the pipeline does).
pub fn docs(t: &Text) -> [Doc<'_>; 2] {
    [
        Doc::new(Field::Title, &t.title, 0),
        Doc::new(Field::Body, &t.body, crosscheck::ingest::dateline_len(&t.body)),
    ]
}

/// Writes the embedded corpus into `dir`, laid out as corpus/articles is.
pub fn write_corpus(dir: &Path) -> PathBuf {
    for (rel, text) in TXT.iter().chain([&JSONL, &CSV]) {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().expect("a parent folder")).expect("creating the corpus folder");
        std::fs::write(&p, text).expect("writing the corpus");
    }
    dir.to_path_buf()
}

/// The whole pipeline's output on the embedded corpus (one thread).
pub fn pipeline_output() -> crosscheck::Output {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = write_corpus(dir.path());
    let config = crosscheck::PipelineBuilder::new()
        .threads(1)
        .build()
        .expect("configuration");
    crosscheck::pipeline::run(&config, &[root], &crosscheck::pipeline::NoProgress).expect("the pipeline runs")
}

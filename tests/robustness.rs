//! Robustness: the inputs the fuzz targets found interesting, replayed; property tests over
//! ingest and the whole run; outputs that stay inside `--out`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use crosscheck::ingest::{self, Format, InputFile, Limits};
use crosscheck::model::FileId;
use proptest::prelude::*;

use crate::util::{root, rows, run_ok, tmp};

/// The functions the fuzz targets call (fuzz/src/lib.rs), so every input kept in
/// tests/corpora/fuzz/<target>/ goes through the same path here as under the fuzzer.
#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod fuzz_paths;

fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = root().join("tests/corpora/fuzz").join(target);
    let mut inputs: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "{} holds no inputs", dir.display());
    inputs
        .into_iter()
        .map(|p| {
            let bytes = fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

#[test]
fn fuzz_inputs_replay_without_panic() {
    for (target, name) in [("jsonl", "feed.jsonl"), ("csv", "feed.csv"), ("text", "feed.txt")] {
        for (path, bytes) in corpus(target) {
            eprintln!("{}", path.display());
            fuzz_paths::read_as(name, &bytes);
        }
    }
    for (path, bytes) in corpus("claims") {
        eprintln!("{}", path.display());
        fuzz_paths::claims(&bytes);
    }
    let dir = tmp();
    for (path, bytes) in corpus("records") {
        eprintln!("{}", path.display());
        fuzz_paths::records(dir.path(), &bytes);
    }
    for (path, bytes) in corpus("pipeline") {
        eprintln!("{}", path.display());
        fuzz_paths::pipeline(dir.path(), &bytes);
    }
}

fn input_file(name: &str) -> InputFile {
    InputFile {
        id: FileId(0),
        path: PathBuf::from(name),
        display: name.to_string(),
        format: Format::from_path(Path::new(name)),
    }
}

/// Reads `bytes` as the file `name`: (ids of the articles read, lines of the rejects).
fn read(name: &str, bytes: Vec<u8>, limits: Limits) -> (Vec<String>, Vec<u64>) {
    let files = [input_file(name)];
    let mut ids = Vec::new();
    let mut rejected = Vec::new();
    for rec in ingest::read_stream(&files[0], Box::new(std::io::Cursor::new(bytes)), limits) {
        match rec.into_article(&files) {
            Ok((_, a)) => ids.push(a.id),
            Err(r) => rejected.push(r.line),
        }
    }
    (ids, rejected)
}

fn good_json(id: &str) -> String {
    format!(
        r#"{{"id": "{id}", "source": "Wire", "title": "Police arrested the mayor", "body": "Police arrested the mayor on Monday, officials said."}}"#
    )
}

/// A line a JSON Lines reader must reject (never one that holds a line break).
fn bad_json_line() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"{\"id\": \"broken\", \"title\": ".to_vec()),
        Just(b"[1, 2, 3]".to_vec()),
        Just(b"{\"id\": \"no-text\"}".to_vec()),
        Just(b"{\"title\": {\"nested\": true}}".to_vec()),
        Just(b"\"just a string\"".to_vec()),
        Just(format!("{{\"title\": \"{}\"}}", "x".repeat(5000)).into_bytes()),
        prop::collection::vec(any::<u8>().prop_filter("no line break", |b| *b != b'\n'), 1..200)
            .prop_filter("not an object", |v| !v.contains(&b'{')),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn folding_a_name_twice_equals_once(name in "\\PC{0,40}", ascii in "[ -~]{0,40}") {
        for n in [name, ascii] {
            let once = crosscheck::text::fold_name(&n);
            prop_assert_eq!(crosscheck::text::fold_name(&once), once);
        }
    }

    #[test]
    fn ingest_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2000), which in 0usize..6) {
        let name = ["f.jsonl", "f.csv", "f.txt", "f.jsonl.gz", "f.csv.gz", "f.txt.gz"][which];
        let limits = Limits { max_article_bytes: 256, max_sentence_bytes: 32 };
        read(name, bytes.clone(), limits);
        // The same bytes as a valid gzip stream.
        if name.ends_with(".gz") {
            use std::io::Write;
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(&bytes).unwrap();
            read(name, gz.finish().unwrap(), limits);
        }
    }

    #[test]
    fn every_good_json_line_is_kept(lines in prop::collection::vec(prop::option::weighted(0.6, bad_json_line()), 1..30), crlf in any::<bool>()) {
        let mut bytes = Vec::new();
        let mut want = Vec::new();
        let mut bad = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            match line {
                None => {
                    let id = format!("good-{i}");
                    bytes.extend(good_json(&id).as_bytes());
                    want.push(id);
                }
                Some(b) => {
                    bytes.extend(b);
                    if !b.iter().all(|c| c.is_ascii_whitespace() || *c == 0) {
                        bad.push(i as u64 + 1);
                    }
                }
            }
            bytes.extend(if crlf { &b"\r\n"[..] } else { &b"\n"[..] });
        }
        let limits = Limits { max_article_bytes: 4096, ..Limits::default() };
        let (ids, rejected) = read("f.jsonl", bytes, limits);
        prop_assert_eq!(ids, want);
        prop_assert_eq!(rejected, bad);
    }

    #[test]
    fn every_good_csv_row_is_kept(rows in prop::collection::vec(0u8..4, 1..30)) {
        // Bad rows: no title or body, a record over the limit, a line of commas.
        let mut text = String::from("id,title,body\n");
        let mut want = Vec::new();
        for (i, kind) in rows.iter().enumerate() {
            match kind {
                0 | 1 => {
                    text.push_str(&format!("row-{i},\"Title, quoted\",\"Body\nover two lines.\"\n"));
                    want.push(format!("row-{i}"));
                }
                2 => text.push_str(&format!("row-{i},,\n")),
                _ => text.push_str(&format!("row-{i},{},\n", "w".repeat(300))),
            }
        }
        let limits = Limits { max_article_bytes: 256, ..Limits::default() };
        let (ids, _) = read("f.csv", text.into_bytes(), limits);
        prop_assert_eq!(ids, want);
    }
}

const PEOPLE: [&str; 4] = ["Marek Olsen", "Anna Berg", "Tomas Varga", "Lena Kowal"];
const PLACES: [&str; 3] = ["Springfield", "Lowmoor", "Kharkiv"];

/// An article from a few templates that make claims and conflicts.
fn article(id: &str, seed: usize) -> String {
    let person = PEOPLE[seed % PEOPLE.len()];
    let place = PLACES[(seed / 4) % PLACES.len()];
    let n = 3 + seed % 7;
    let (title, body) = match seed % 4 {
        0 => (
            format!("{person} arrested in {place}"),
            format!("Police arrested {person} in {place} on Monday, officials said."),
        ),
        1 => (
            format!("{person} denies arrest"),
            format!("{person}'s lawyer denied on Tuesday that {person} had been arrested in {place}."),
        ),
        2 => (
            format!("Strike on {place}"),
            format!("At least {n} people were killed in a strike on {place}, the governor said on Tuesday."),
        ),
        _ => (
            format!("Toll in {place} disputed"),
            format!(
                "The ministry said {} people were killed in {place}, and denied targeting civilians.",
                n + 2
            ),
        ),
    };
    format!(
        r#"{{"id": "{id}", "source": "Outlet {}", "date": "2025-04-2{}", "title": "{title}", "body": "{body}"}}"#,
        seed % 3,
        seed % 3
    )
}

/// Every report of a run in a form that does not depend on reading order: the rows of
/// each file sorted, stories named by their first article id and events by their first
/// claim id (the numbers follow reading order), and the two sides of a conflict sorted.
fn projection(out: &Path) -> Vec<String> {
    let first = |rows: &[HashMap<String, String>], group: &str, member: &str| -> HashMap<String, String> {
        let mut first: HashMap<String, String> = HashMap::new();
        for r in rows {
            let m = &r[member];
            first
                .entry(r[group].clone())
                .and_modify(|f| {
                    if m < f {
                        f.clone_from(m)
                    }
                })
                .or_insert_with(|| m.clone());
        }
        first
    };
    let articles = rows(&out.join("articles.csv"));
    let claims = rows(&out.join("claims.csv"));
    let story = first(&articles, "story_id", "article_id");
    let event = first(&claims, "event_id", "claim_id");
    let named = |k: &str, v: &str| -> String {
        match k {
            "story_id" => format!("story of {}", story.get(v).map_or(v, String::as_str)),
            "event_id" => format!("event of {}", event.get(v).map_or(v, String::as_str)),
            _ => v.to_string(),
        }
    };
    let mut all = Vec::new();
    for name in REPORTS {
        let mut lines: Vec<String> = if name.ends_with(".jsonl") {
            fs::read_to_string(out.join(name))
                .unwrap()
                .lines()
                .map(|l| {
                    let v: serde_json::Value = serde_json::from_str(l).unwrap();
                    let d = &v["data"];
                    let mut sides = [d["a"].to_string(), d["b"].to_string()];
                    sides.sort();
                    format!(
                        "{} {} {} {} {} {sides:?}",
                        d["conflict_id"],
                        named("event_id", d["event_id"].as_str().unwrap_or_default()),
                        named("story_id", d["story_id"].as_str().unwrap_or_default()),
                        d["kind"],
                        d["confidence"]
                    )
                })
                .collect()
        } else {
            rows(&out.join(name))
                .into_iter()
                .map(|r| {
                    let mut cols: BTreeMap<&str, String> = r.iter().map(|(k, v)| (k.as_str(), named(k, v))).collect();
                    // A conflict's sides, in either order.
                    let side = |p: &str| -> Vec<String> {
                        cols.iter()
                            .filter(|(k, _)| k.starts_with(p))
                            .map(|(k, v)| format!("{}={v}", &k[2..]))
                            .collect()
                    };
                    let mut sides = [side("a_"), side("b_")];
                    sides.sort();
                    cols.retain(|k, _| !k.starts_with("a_") && !k.starts_with("b_"));
                    format!("{cols:?} {sides:?}")
                })
                .collect()
        };
        lines.sort();
        all.extend(lines.into_iter().map(|l| format!("{name}: {l}")));
    }
    all
}

fn run_library(inputs: &[PathBuf], threads: usize, out: &Path) {
    let config = crosscheck::PipelineBuilder::new().threads(threads).build().unwrap();
    let output = crosscheck::pipeline::run(&config, inputs, &crosscheck::pipeline::NoProgress).unwrap();
    let opts = crosscheck::report::ReportOptions {
        excel: false,
        jsonl: true,
        status: None,
        version: "test".to_string(),
        threads,
    };
    crosscheck::report::write_all(&output, out, &opts).unwrap();
}

/// The reports that must be byte-identical whatever the thread count.
const REPORTS: [&str; 8] = [
    "articles.csv",
    "entities.csv",
    "mentions.csv",
    "claims.csv",
    "events.csv",
    "conflicts.csv",
    "rejects.csv",
    "conflicts.jsonl",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]

    #[test]
    fn output_is_independent_of_threads_and_file_order(seeds in prop::collection::vec(0usize..48, 4..24), split in 1usize..4) {
        let dir = tmp();
        let mut inputs = Vec::new();
        for f in 0..split {
            let lines: String = seeds
                .iter()
                .enumerate()
                .filter(|(i, _)| i % split == f)
                .map(|(i, s)| format!("{}\n", article(&format!("a{i}"), *s)))
                .collect();
            let path = dir.path().join(format!("feed-{f}.jsonl"));
            fs::write(&path, lines).unwrap();
            inputs.push(path);
        }
        let one = dir.path().join("one");
        let many = dir.path().join("many");
        run_library(&inputs, 1, &one);
        run_library(&inputs, 4, &many);
        for name in REPORTS {
            let (a, b) = (fs::read(one.join(name)).unwrap(), fs::read(many.join(name)).unwrap());
            prop_assert!(a == b, "{} differs between 1 and 4 threads", name);
        }
        inputs.reverse();
        let reversed = dir.path().join("reversed");
        run_library(&inputs, 3, &reversed);
        // Every report holds the same rows, but for numbering and the order of rows.
        let (before, after) = (projection(&one), projection(&reversed));
        let differ: Vec<String> = before.iter().zip(&after).filter(|(x, y)| x != y).take(2).map(|(x, y)| format!("{x}\n{y}")).collect();
        prop_assert!(before == after, "reading order changed the reports: {differ:?}");
    }
}

/// Ids and sources that look like paths name no file: every file the run writes is in
/// `--out` (or is the state file), and the state file is readable by its owner only.
#[test]
fn outputs_stay_inside_out() {
    let dir = tmp();
    let input = dir.path().join("input");
    fs::create_dir(&input).unwrap();
    let records: String = ["../../escape", "/tmp/crosscheck-escape", "..", "a/../../b", "C:\\escape"]
        .iter()
        .map(|id| {
            let id = id.replace('\\', "\\\\");
            format!(
                "{{\"id\": \"{id}\", \"source\": \"../{id}\", \"title\": \"Police arrested the mayor\", \"body\": \"Police arrested the mayor, officials said.\", \"url\": \"file:///{id}\"}}\n"
            )
        })
        .collect();
    fs::write(input.join("feed.jsonl"), records).unwrap();
    let out = dir.path().join("out");
    let state = dir.path().join("state/nightly.db");
    run_ok(&[&input], &out, &["--state", state.to_str().unwrap(), "--jsonl"]);
    assert_eq!(rows(&out.join("articles.csv")).len(), 5);

    let mut found = Vec::new();
    let mut stack = vec![dir.path().to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                found.push(p);
            }
        }
    }
    for p in &found {
        assert!(
            p.starts_with(&input) || p.starts_with(&out) || p.starts_with(state.parent().unwrap()),
            "{} is outside --out",
            p.display()
        );
    }
    let in_out: BTreeSet<String> = found
        .iter()
        .filter_map(|p| p.strip_prefix(&out).ok())
        .map(|p| p.display().to_string())
        .collect();
    for name in in_out.iter() {
        assert!(
            !name.contains('/') && !name.contains("escape"),
            "unexpected file in --out: {name}"
        );
    }
    assert!(!Path::new("/tmp/crosscheck-escape").exists());
    assert!(!dir.path().parent().unwrap().join("escape").exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&state).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "state file mode {mode:o}");
    }
}

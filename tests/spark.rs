//! The pipeline split for Spark writes what `crosscheck run` writes: `map`, a shuffle and
//! `reduce` by hand, and `spark/crosscheck_job.py` in Spark local mode (skipped, with a
//! message, when pyspark or Java is missing; `.ci/run` installs both).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::util::{root, tmp};

/// The demo corpus (text, CSV and JSON Lines files) as one JSON Lines file, the format the
/// Spark job reads.
fn write_demo_jsonl(path: &Path) {
    use crosscheck::ingest::{walk, Limits, Records};
    let (files, _) = walk(&[root().join("corpus/articles")], None);
    let mut out = String::new();
    for rec in Records::new(&files, Limits::default()) {
        let Ok((_, a)) = rec.into_article(&files) else {
            continue;
        };
        let date = a.published.map(crosscheck::date::format_date).unwrap_or_default();
        let json = serde_json::json!({
            "id": a.id, "source": a.source, "date": date, "title": a.title, "body": a.body, "url": a.url,
        });
        out.push_str(&json.to_string());
        out.push('\n');
    }
    fs::write(path, out).unwrap();
}

/// A deterministic corpus of `n` short wire-style articles about a few dozen events: claims,
/// denials, differing figures and dates, wire copies under other outlets, plus a blank
/// line, a broken record, a duplicate id and records without an id.
fn generated_jsonl(n: usize, seed: u64) -> String {
    let mut state = seed;
    let mut next = move |k: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) % k as u64) as usize
    };
    const SOURCES: &[&str] = &[
        "Northern Courier",
        "Harbor Times",
        "Eastern Wire",
        "Valley Post",
        "Capital Ledger",
        "Coastal Herald",
        "Daily Meridian",
        "River Gazette",
        "Summit Observer",
        "Plains Journal",
        "Island Chronicle",
        "Metro Sentinel",
    ];
    const PLACES: &[&str] = &[
        "Kursk", "Kharkiv", "Donetsk", "Gaza", "Khartoum", "Aleppo", "Mosul", "Goma", "Tripoli", "Sumy", "Bakhmut",
        "Rafah", "Darfur", "Idlib", "Odesa", "Mariupol",
    ];
    const SIDES: &[(&str, &str)] = &[
        ("Russia", "Ukraine"),
        ("Israel", "Hamas"),
        ("Sudan", "the Rapid Support Forces"),
        ("Syria", "Turkey"),
        ("Iraq", "Iran"),
        ("Congo", "Rwanda"),
        ("Libya", "Egypt"),
    ];
    const PEOPLE: &[&str] = &[
        "Viktor Orlov",
        "Amina Yusuf",
        "Daniel Mercer",
        "Lina Haddad",
        "Pavel Sokolov",
        "Grace Mwangi",
        "Omar Farouk",
    ];
    const MONTHS: &[&str] = &["March", "April", "May"];
    let mut out = String::new();
    let mut bodies: Vec<(String, String)> = Vec::new();
    for i in 0..n {
        let source = SOURCES[next(SOURCES.len())];
        let place = PLACES[next(PLACES.len())];
        let (a, b) = SIDES[next(SIDES.len())];
        let person = PEOPLE[next(PEOPLE.len())];
        let month = MONTHS[next(MONTHS.len())];
        let day = 1 + next(28);
        let figure = 100 * (1 + next(150));
        let date = format!(
            "2024-{:02}-{:02}",
            3 + MONTHS.iter().position(|m| *m == month).unwrap(),
            day
        );
        let (title, body) = if !bodies.is_empty() && next(10) == 0 {
            // A wire copy under another outlet.
            bodies[next(bodies.len())].clone()
        } else {
            let title = match next(4) {
                0 => format!("{a} says it captured {place}"),
                1 => format!("{b} denies losing {place}"),
                2 => format!("{person} arrested in {place}, police say"),
                _ => format!("About {figure} people displaced near {place}"),
            };
            let mut s = vec![
                format!(
                    "{a} said on {month} {day} that its forces had taken full control of {place}, the defence ministry said."
                ),
                format!("{b} denied the claim, saying its troops still held positions in {place}."),
                format!("About {figure} people were displaced by the fighting, officials in {place} said."),
                format!("Police arrested {person} in {place} on {month} {day}, a spokesman said."),
                format!("{person} was not arrested, a lawyer for {person} told reporters."),
                format!("Some {} troops took part in the operation, according to {b}.", figure * 10),
                format!("The agreement was signed on {month} {}, {a} said.", 1 + next(28)),
                format!("Residents of {place} reportedly fled to nearby villages."),
            ];
            let keep = 3 + next(5);
            let mut body = Vec::new();
            for _ in 0..keep {
                body.push(s.swap_remove(next(s.len())));
            }
            let body = format!("{}, {month} {day} - {}", place.to_uppercase(), body.join(" "));
            bodies.push((title.clone(), body.clone()));
            (title, body)
        };
        let id = match i {
            7 => "g5".to_string(), // a duplicate id: the first record wins
            _ => format!("g{i}"),
        };
        let mut rec = serde_json::json!({
            "source": source, "date": date, "title": title, "body": body,
            "url": format!("https://example.org/{i}"),
        });
        if i % 97 != 3 {
            rec["id"] = id.into();
        }
        out.push_str(&rec.to_string());
        out.push('\n');
        match i {
            11 => out.push('\n'),
            13 => out.push_str("{\"id\": \"broken\", \"title\": \n"),
            _ => {}
        }
    }
    out
}

/// Runs the binary in `dir`, feeding `stdin`, and returns its stdout (asserting success).
fn pipe(dir: &Path, args: &[&str], stdin: &[u8]) -> Vec<u8> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_crosscheck"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the crosscheck binary runs");
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let feeder = std::thread::spawn(move || input.write_all(&data));
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap().unwrap();
    assert!(
        out.status.success(),
        "crosscheck {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// `crosscheck run INPUTS --out OUT --jsonl --quiet` in `dir`.
fn run_in(dir: &Path, inputs: &[&str], out: &str) {
    let mut args = vec!["run"];
    args.extend(inputs);
    args.extend(["--out", out, "--jsonl", "--quiet"]);
    pipe(dir, &args, b"");
}

/// Every file of `expected` but summary.json (timings) is in `got` with the same lines,
/// compared in order or, with `sorted`, after sorting.
fn assert_same_files(expected: &Path, got: &Path, sorted: bool) {
    let mut names: Vec<String> = fs::read_dir(expected)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != "summary.json")
        .collect();
    names.sort();
    assert!(names.len() >= 9, "too few output files: {names:?}");
    for name in &names {
        let a = fs::read_to_string(expected.join(name)).unwrap();
        let b = fs::read_to_string(got.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let lines = |s: &str| {
            let mut v: Vec<String> = s.split_inclusive('\n').map(String::from).collect();
            if sorted {
                v.sort();
            }
            v
        };
        let (la, lb) = (lines(&a), lines(&b));
        if la != lb {
            let first = la
                .iter()
                .zip(&lb)
                .position(|(x, y)| x != y)
                .unwrap_or(la.len().min(lb.len()));
            panic!(
                "{name} differs ({} lines against {}); first difference at line {first}:\n--- run ---\n{}\n--- split ---\n{}",
                la.len(),
                lb.len(),
                la.get(first).map_or("(none)", String::as_str),
                lb.get(first).map_or("(none)", String::as_str),
            );
        }
    }
    assert!(got.join("summary.json").is_file());
}

/// Maps `file` in three slices given as numbered lines (as Spark partitions give them),
/// shuffles the records (reversed: the reduce restores input order) and reduces.
fn map_reduce(dir: &Path, file: &str, file_id: u32, out: &str) -> Vec<u8> {
    let text = fs::read_to_string(dir.join(file)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let chunk = lines.len().div_ceil(3).max(1);
    let mut mapped: Vec<String> = Vec::new();
    for (c, slice) in lines.chunks(chunk).enumerate() {
        let numbered: String = slice
            .iter()
            .enumerate()
            .map(|(i, l)| format!("{}\t{l}\n", c * chunk + i + 1))
            .collect();
        let id = file_id.to_string();
        let args = ["map", "--numbered", "--file", file, "--file-id", &id];
        let got = pipe(dir, &args, numbered.as_bytes());
        mapped.extend(String::from_utf8(got).unwrap().lines().map(String::from));
    }
    mapped.reverse();
    let joined: String = mapped.iter().map(|l| format!("{l}\n")).collect();
    pipe(dir, &["reduce", "--out", out, "--jsonl"], joined.as_bytes());
    joined.into_bytes()
}

#[test]
fn map_shuffle_reduce_writes_what_run_writes() {
    let dir = tmp();
    let d = dir.path();
    write_demo_jsonl(&d.join("demo.jsonl"));
    fs::write(d.join("gen.jsonl"), generated_jsonl(3000, 7)).unwrap();
    for file in ["demo.jsonl", "gen.jsonl"] {
        run_in(d, &[file], "run");
        let mapped = map_reduce(d, file, 0, "split");
        assert!(mapped.starts_with(b"corpus\t{\"type\":"));
        assert_same_files(&d.join("run"), &d.join("split"), false);
        let conflicts = fs::read_to_string(d.join("run/conflicts.csv")).unwrap();
        assert!(conflicts.lines().count() > 2, "{file}: too few conflicts to compare");
        fs::remove_dir_all(d.join("run")).unwrap();
        fs::remove_dir_all(d.join("split")).unwrap();
    }
}

#[test]
fn reduce_records_hold_the_report_files() {
    let dir = tmp();
    let d = dir.path();
    write_demo_jsonl(&d.join("demo.jsonl"));
    run_in(d, &["demo.jsonl"], "run");
    let text = fs::read(d.join("demo.jsonl")).unwrap();
    let mapped = pipe(d, &["map", "--file", "demo.jsonl", "--whole-file"], &text);
    let records = pipe(d, &["reduce", "--jsonl"], &mapped);
    let out = d.join("records");
    fs::create_dir(&out).unwrap();
    let mut files: std::collections::BTreeMap<String, String> = Default::default();
    for line in String::from_utf8(records).unwrap().lines() {
        let (name, json) = line.split_once('\t').unwrap();
        let rec: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!((rec["v"].as_u64(), rec["type"].as_str()), (Some(1), Some("file_line")));
        assert_eq!(rec["name"].as_str(), Some(name));
        files
            .entry(name.to_string())
            .or_default()
            .push_str(rec["text"].as_str().unwrap());
    }
    for (name, text) in &files {
        fs::write(out.join(name), text).unwrap();
    }
    assert_same_files(&d.join("run"), &out, false);
}

#[test]
fn map_reports_an_empty_file_as_run_does() {
    let dir = tmp();
    let d = dir.path();
    fs::write(d.join("empty.jsonl"), "").unwrap();
    fs::write(d.join("one.jsonl"), generated_jsonl(5, 1)).unwrap();
    run_in(d, &["empty.jsonl", "one.jsonl"], "run");
    let mut mapped = pipe(d, &["map", "--file", "empty.jsonl", "--whole-file"], b"");
    let one = fs::read(d.join("one.jsonl")).unwrap();
    mapped.extend(pipe(
        d,
        &["map", "--file", "one.jsonl", "--file-id", "1", "--whole-file"],
        &one,
    ));
    pipe(d, &["reduce", "--out", "split", "--jsonl"], &mapped);
    assert_same_files(&d.join("run"), &d.join("split"), false);
    let rejects = fs::read_to_string(d.join("split/rejects.csv")).unwrap();
    assert!(rejects.contains("empty.jsonl,0,empty file: no articles"), "{rejects}");
}

#[test]
fn reduce_refuses_ungrouped_or_foreign_records() {
    let dir = tmp();
    let d = dir.path();
    let text = generated_jsonl(3, 2);
    let mapped = String::from_utf8(pipe(d, &["map"], text.as_bytes())).unwrap();
    let other = mapped.replace("\"gazetteer\":\"", "\"gazetteer\":\"0");
    let o = Command::new(env!("CARGO_BIN_EXE_crosscheck"))
        .args(["reduce", "--out", "x"])
        .current_dir(d)
        .stdin(
            fs::File::open({
                let p = d.join("other.map");
                fs::write(&p, other).unwrap();
                p
            })
            .unwrap(),
        )
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("another gazetteer"));
}

const ALIASES: &str = "alias,canonical,kind\nPavel Sokolov,Pavel Sokolov,person\nSokolov,Pavel Sokolov,person\n";

#[test]
fn map_and_reduce_take_the_alias_tables_run_takes() {
    let dir = tmp();
    let d = dir.path();
    fs::write(d.join("aliases.csv"), ALIASES).unwrap();
    fs::write(d.join("gen.jsonl"), generated_jsonl(300, 5)).unwrap();
    let text = fs::read(d.join("gen.jsonl")).unwrap();
    pipe(
        d,
        &[
            "run",
            "gen.jsonl",
            "--out",
            "run",
            "--jsonl",
            "--quiet",
            "--aliases",
            "aliases.csv",
        ],
        b"",
    );
    let mapped = pipe(d, &["map", "--file", "gen.jsonl", "--aliases", "aliases.csv"], &text);
    pipe(
        d,
        &["reduce", "--out", "split", "--jsonl", "--aliases", "aliases.csv"],
        &mapped,
    );
    assert_same_files(&d.join("run"), &d.join("split"), false);
    let entities = fs::read_to_string(d.join("split/entities.csv")).unwrap();
    assert!(entities.contains("Pavel Sokolov"), "{entities}");
    // A reduce without the table refuses the summaries made with it.
    fs::write(d.join("aliased.map"), &mapped).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_crosscheck"))
        .args(["reduce", "--out", "x"])
        .current_dir(d)
        .stdin(fs::File::open(d.join("aliased.map")).unwrap())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("another gazetteer"));
}

/// A Python that imports pyspark, with Java present; `None` (and a message) otherwise.
fn spark_python() -> Option<PathBuf> {
    if Command::new("java")
        .arg("-version")
        .output()
        .map_or(true, |o| !o.status.success())
    {
        eprintln!("skipped: java is missing (.ci/run installs it)");
        return None;
    }
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(p) = std::env::var_os("CROSSCHECK_SPARK_PYTHON") {
        candidates.push(p.into());
    }
    if let Some(home) = std::env::var_os("HOME") {
        candidates.push(PathBuf::from(home).join(".cache/crosscheck/spark-venv-4.3.0/bin/python"));
    }
    candidates.push("python3".into());
    for py in candidates {
        let ok = Command::new(&py)
            .args(["-c", "import pyspark"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            return Some(py);
        }
    }
    eprintln!("skipped: pyspark is not importable (set CROSSCHECK_SPARK_PYTHON; .ci/run installs it)");
    None
}

/// Runs spark/crosscheck_job.py in local mode with two threads, on loopback only; returns
/// its standard error.
fn spark_job(py: &Path, dir: &Path, inputs: &[&str], out: &str, extra: &[&str]) -> String {
    let mut o = Command::new(py)
        .arg(root().join("spark/crosscheck_job.py"))
        .args(inputs)
        .args(extra)
        .args(["--out", out, "--jsonl", "--binary", env!("CARGO_BIN_EXE_crosscheck")])
        .args(["--master", "local[2]"])
        .args(["--conf", "spark.driver.host=127.0.0.1"])
        .args(["--conf", "spark.driver.bindAddress=127.0.0.1"])
        .args(["--conf", "spark.ui.enabled=false"])
        .args(["--conf", "spark.ui.showConsoleProgress=false"])
        .env("SPARK_LOCAL_IP", "127.0.0.1")
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python runs");
    // A job that hangs fails the test instead of holding up the suite.
    let mut stderr = o.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut text).ok();
        text
    });
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = o.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > std::time::Duration::from_secs(900) {
            o.kill().ok();
            o.wait().ok();
            panic!("spark job still running after 900 s:\n{}", reader.join().unwrap());
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    let stderr = reader.join().unwrap();
    assert!(status.success(), "spark job failed:\n{stderr}");
    stderr
}

#[test]
fn spark_local_job_writes_what_run_writes() {
    let Some(py) = spark_python() else { return };
    let dir = tmp();
    let d = dir.path();
    // The demo corpus.
    write_demo_jsonl(&d.join("demo.jsonl"));
    run_in(d, &["demo.jsonl"], "run-demo");
    spark_job(&py, d, &["demo.jsonl"], "spark-demo", &[]);
    assert_same_files(&d.join("run-demo"), &d.join("spark-demo"), false);
    // A few thousand generated articles in a folder: two files (one gzipped) and an empty
    // one, read in `run`'s order, and an alias table.
    let gen = d.join("gen");
    fs::create_dir(&gen).unwrap();
    let text = generated_jsonl(4000, 11);
    let lines: Vec<&str> = text.lines().collect();
    let (a, b) = lines.split_at(lines.len() / 2);
    fs::write(gen.join("a.jsonl"), a.join("\n") + "\n").unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all((b.join("\n") + "\n").as_bytes()).unwrap();
    fs::write(gen.join("b.jsonl.gz"), gz.finish().unwrap()).unwrap();
    fs::write(gen.join("c.jsonl"), "").unwrap();
    run_in(d, &["gen"], "run-gen");
    // Pieces of 1 MB: the driver fetches this report (several MB) in several ranges.
    let log = spark_job(&py, d, &["gen"], "spark-gen", &["--output-part-mb", "1"]);
    let pieces: usize = log
        .split(" pieces)")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no piece count in:\n{log}"));
    assert!(pieces > 1, "{log}");
    assert_same_files(&d.join("run-gen"), &d.join("spark-gen"), false);
    let rejects = fs::read_to_string(d.join("spark-gen/rejects.csv")).unwrap();
    assert!(rejects.contains("gen/c.jsonl,0,empty file"), "{rejects}");
    assert!(rejects.contains("duplicate id"), "{rejects}");
}

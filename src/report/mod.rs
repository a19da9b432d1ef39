//! Report: the output contract. Every file of a run is written into the output folder
//! through a temporary file renamed into place, so a reader never sees half a file; the
//! files, and the rows of the largest, are formatted on the run's threads.
//!
//! Files: `articles.csv`, `entities.csv`, `mentions.csv`, `claims.csv`, `events.csv`,
//! `conflicts.csv`, `rejects.csv`, `summary.json`, `report.html`, and with `--jsonl`
//! `conflicts.jsonl`. CSV cells that a spreadsheet would run as a formula are defused
//! ([`safe`]).

pub mod html;
pub mod json;

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::date::format_date;
use crate::error::{Error, Result};
use crate::pipeline::Output;

/// How to write a report.
#[derive(Clone, Debug, Default)]
pub struct ReportOptions {
    /// Start CSV files with a UTF-8 byte order mark (for Excel).
    pub excel: bool,
    /// Also write `conflicts.jsonl`.
    pub jsonl: bool,
    /// Extra columns for conflicts.csv from the nightly state: (status, first_seen) per
    /// conflict, in output order.
    pub status: Option<Vec<(String, String)>>,
    /// Version string for summary.json.
    pub version: String,
    /// Threads used.
    pub threads: usize,
}

/// Defuses a text cell a spreadsheet would run as a formula (OWASP: prefix a quote when
/// the cell starts with `=`, `+`, `-`, `@`, tab or carriage return).
pub fn safe(s: &str) -> Cow<'_, str> {
    match s.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{s}")),
        _ => Cow::Borrowed(s),
    }
}

/// Story id as written: `s0001`.
pub fn story_id(i: u32) -> String {
    format!("s{:04}", i + 1)
}

/// Writes a file atomically: into a temporary file in the same folder, flushed and synced,
/// then renamed over the target.
pub fn write_atomic(path: &Path, f: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let tmp = dir.join(format!(".{name}.tmp"));
    let file = File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
    let mut w = BufWriter::with_capacity(1 << 16, file);
    f(&mut w).map_err(|e| Error::io(&tmp, e))?;
    let file = w.into_inner().map_err(|e| Error::io(&tmp, e.into_error()))?;
    file.sync_all().map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
}

fn csv_file(
    dir: &Path,
    name: &str,
    opts: &ReportOptions,
    header: &[&str],
    rows: impl FnOnce(&mut csv::Writer<&mut BufWriter<File>>) -> csv::Result<()>,
) -> Result<()> {
    let path = dir.join(name);
    write_atomic(&path, |w| {
        if opts.excel {
            w.write_all("\u{feff}".as_bytes())?;
        }
        let mut cw = csv::WriterBuilder::new().from_writer(w);
        let io = |e: csv::Error| std::io::Error::other(e.to_string());
        cw.write_record(header).map_err(io)?;
        rows(&mut cw).map_err(io)?;
        cw.flush()?;
        Ok(())
    })
}

/// As [`csv_file`] for a file of `n` rows written by `row`, with [`rows_in_parallel`].
fn csv_file_rows(
    dir: &Path,
    name: &str,
    opts: &ReportOptions,
    header: &[&str],
    n: usize,
    row: impl Fn(usize, &mut csv::Writer<Vec<u8>>) -> csv::Result<()> + Sync,
) -> Result<()> {
    let path = dir.join(name);
    write_atomic(&path, |w| {
        if opts.excel {
            w.write_all("\u{feff}".as_bytes())?;
        }
        let io = |e: csv::Error| std::io::Error::other(e.to_string());
        let mut cw = csv::WriterBuilder::new().from_writer(&mut *w);
        cw.write_record(header).map_err(io)?;
        cw.flush()?;
        drop(cw);
        rows_in_parallel(w, n, row).map_err(io)?;
        Ok(())
    })
}

/// Rows formatted per block in parallel, and blocks written in order, bounding the
/// memory held at once.
const ROWS_PER_BLOCK: usize = 4096;
const BLOCKS_AT_ONCE: usize = 16;

/// Writes rows `0..n` of a large file, each written by `row`: blocks of rows are
/// formatted in parallel into buffers, then written in order, so the file's bytes are
/// those of writing the rows one by one and the file costs each thread a share of its
/// time instead of one thread all of it.
fn rows_in_parallel(
    w: &mut impl Write,
    n: usize,
    row: impl Fn(usize, &mut csv::Writer<Vec<u8>>) -> csv::Result<()> + Sync,
) -> csv::Result<()> {
    let blocks: Vec<usize> = (0..n).step_by(ROWS_PER_BLOCK).collect();
    // Reused from window to window: fresh buffers would cost a page fault every 4 KB.
    let mut buffers: Vec<Vec<u8>> = vec![Vec::new(); BLOCKS_AT_ONCE.min(blocks.len())];
    for window in blocks.chunks(BLOCKS_AT_ONCE) {
        buffers[..window.len()]
            .par_iter_mut()
            .zip(window)
            .try_for_each(|(buffer, &from)| -> csv::Result<()> {
                buffer.clear();
                let mut b = csv::WriterBuilder::new()
                    .has_headers(false)
                    .from_writer(std::mem::take(buffer));
                for k in from..(from + ROWS_PER_BLOCK).min(n) {
                    row(k, &mut b)?;
                }
                *buffer = b.into_inner().map_err(|e| e.into_error())?;
                Ok(())
            })?;
        for bytes in &buffers[..window.len()] {
            w.write_all(bytes)?;
        }
    }
    Ok(())
}

/// Writes every output file of a run into `dir` (created if missing).
pub fn write_all(out: &Output, dir: &Path, opts: &ReportOptions) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let arts = &out.articles;
    let ents = &out.entities.rows;
    let mut n_claims = vec![0u32; arts.len()];
    for c in &out.claims {
        n_claims[c.article as usize] += 1;
    }
    // Each file is written on its own, in parallel when the run has more than one thread;
    // the rows of the largest are formatted in parallel too.
    let mut jobs: Vec<Box<dyn FnOnce() -> Result<()> + Send + '_>> = Vec::new();
    jobs.push(Box::new(move || {
        csv_file(
            dir,
            "articles.csv",
            opts,
            &[
                "article_id",
                "source",
                "published",
                "title",
                "story_id",
                "n_claims",
                "url",
                "file",
                "line",
            ],
            |w| {
                for (i, a) in arts.iter().enumerate() {
                    let published = a.published.map(format_date).unwrap_or_default();
                    let file = &out.files[a.origin.file.0 as usize].display;
                    w.write_record([
                        safe(&a.id).as_ref(),
                        &safe(&a.source),
                        &published,
                        &safe(&a.title),
                        &story_id(a.story),
                        &n_claims[i].to_string(),
                        &safe(&a.url),
                        &safe(file),
                        &a.origin.line.to_string(),
                    ])?;
                }
                Ok(())
            },
        )
    }));
    jobs.push(Box::new(move || {
        csv_file(
            dir,
            "entities.csv",
            opts,
            &[
                "entity_id",
                "canonical",
                "kind",
                "code",
                "mentions",
                "articles",
                "aliases",
                "country",
            ],
            |w| {
                for e in ents {
                    let aliases: Vec<&str> = e.aliases.iter().map(|a| &**a).collect();
                    w.write_record([
                        safe(&e.key).as_ref(),
                        &safe(&e.canonical),
                        e.kind.as_str(),
                        &e.code,
                        &e.mentions.to_string(),
                        &e.articles.to_string(),
                        &safe(&aliases.join(";")),
                        &e.country,
                    ])?;
                }
                Ok(())
            },
        )
    }));
    jobs.push(Box::new(move || {
        csv_file_rows(
            dir,
            "mentions.csv",
            opts,
            &["article_id", "entity_id", "surface", "field", "start", "end"],
            out.mentions.len(),
            |k, w| {
                let m = &out.mentions[k];
                w.write_record([
                    safe(&arts[m.article as usize].id).as_ref(),
                    &safe(&ents[m.entity as usize].key),
                    &safe(&m.surface),
                    m.field.as_str(),
                    &m.start.to_string(),
                    &m.end.to_string(),
                ])
            },
        )
    }));
    let event_id = |e: u32| out.events[e as usize].id.clone();
    jobs.push(Box::new(move || {
        csv_file_rows(
            dir,
            "claims.csv",
            opts,
            &[
                "claim_id",
                "article_id",
                "source",
                "published",
                "claimer",
                "claimer_entity_id",
                "event_id",
                "event_type",
                "polarity",
                "modality",
                "quantity",
                "time",
                "text",
                "story_id",
                "chain",
                "predicate",
                "refers_to",
                "voice",
                "agent_side",
                "anchor_entity_id",
                "state",
            ],
            out.claims.len(),
            |k, w| {
                let c = &out.claims[k];
                let a = &arts[c.article as usize];
                let quantity = c.claim.quantity.as_ref().map(|q| q.text.clone()).unwrap_or_default();
                let time = c.claim.time.map(|t| t.to_string()).unwrap_or_default();
                let claimer_entity = c.claimer_id.map(|i| ents[i as usize].key.clone()).unwrap_or_default();
                let refers = c
                    .refers_to
                    .map(|r| out.claims[r as usize].id(arts).to_string())
                    .unwrap_or_default();
                let id = c.id(arts).to_string();
                w.write_record([
                    safe(&id).as_ref(),
                    &safe(&a.id),
                    &safe(&a.source),
                    &a.published.map(format_date).unwrap_or_default(),
                    &safe(&c.claim.claimer),
                    &safe(&claimer_entity),
                    &event_id(c.event),
                    c.claim.event_type,
                    c.claim.polarity.as_str(),
                    c.claim.modality.as_str(),
                    &safe(&quantity),
                    &time,
                    &safe(&c.claim.text),
                    &story_id(a.story),
                    &safe(&c.claim.chain.join(" > ")),
                    &safe(&c.claim.predicate),
                    &safe(&refers),
                    &safe(&c.voice),
                    &safe(c.agent_side.as_deref().unwrap_or("")),
                    &c.anchor.map(|i| ents[i as usize].key.clone()).unwrap_or_default(),
                    &c.claim.state.map(|(g, s)| format!("{g}:{s}")).unwrap_or_default(),
                ])
            },
        )
    }));
    jobs.push(Box::new(move || {
        csv_file(
            dir,
            "events.csv",
            opts,
            &[
                "event_id",
                "event_type",
                "label",
                "n_claims",
                "n_articles",
                "n_sources",
                "n_conflicts",
                "story_id",
            ],
            |w| {
                for e in &out.events {
                    w.write_record([
                        e.id.as_str(),
                        e.event_type,
                        &safe(&e.label),
                        &e.n_claims.to_string(),
                        &e.n_articles.to_string(),
                        &e.n_sources.to_string(),
                        &e.n_conflicts.to_string(),
                        &story_id(e.story),
                    ])?;
                }
                Ok(())
            },
        )
    }));
    let mut header = vec![
        "conflict_id",
        "event_id",
        "kind",
        "confidence",
        "a_claim_id",
        "a_article_id",
        "a_source",
        "a_claimer",
        "a_text",
        "b_claim_id",
        "b_article_id",
        "b_source",
        "b_claimer",
        "b_text",
        "explanation",
        "story_id",
        "a_published",
        "b_published",
        "a_url",
        "b_url",
    ];
    if opts.status.is_some() {
        header.push("status");
        header.push("first_seen");
    }
    jobs.push(Box::new(move || {
        csv_file(dir, "conflicts.csv", opts, &header, |w| {
            for (k, c) in out.conflicts.iter().enumerate() {
                let (a, b) = (&out.claims[c.a as usize], &out.claims[c.b as usize]);
                let (aa, ab) = (&arts[a.article as usize], &arts[b.article as usize]);
                let who = |x: &crate::model::ClaimRow, art: &crate::model::ArticleRow| {
                    if x.claim.claimer.is_empty() {
                        art.source.clone()
                    } else {
                        x.claim.claimer.clone()
                    }
                };
                let mut row: Vec<String> = vec![
                    c.id.clone(),
                    event_id(c.event),
                    c.kind.as_str().to_string(),
                    format!("{:.3}", c.confidence),
                    safe(&a.id(arts).to_string()).into_owned(),
                    safe(&aa.id).into_owned(),
                    safe(&aa.source).into_owned(),
                    safe(&who(a, aa)).into_owned(),
                    safe(&a.claim.text).into_owned(),
                    safe(&b.id(arts).to_string()).into_owned(),
                    safe(&ab.id).into_owned(),
                    safe(&ab.source).into_owned(),
                    safe(&who(b, ab)).into_owned(),
                    safe(&b.claim.text).into_owned(),
                    safe(&c.explanation).into_owned(),
                    story_id(aa.story),
                    aa.published.map(format_date).unwrap_or_default(),
                    ab.published.map(format_date).unwrap_or_default(),
                    safe(&aa.url).into_owned(),
                    safe(&ab.url).into_owned(),
                ];
                if let Some(st) = &opts.status {
                    if let Some((s, f)) = st.get(k) {
                        row.push(s.clone());
                        row.push(f.clone());
                    }
                }
                w.write_record(&row)?;
            }
            Ok(())
        })
    }));
    jobs.push(Box::new(move || {
        csv_file(dir, "rejects.csv", opts, &["file", "line", "reason"], |w| {
            for r in &out.rejects {
                w.write_record([safe(&r.file).as_ref(), &r.line.to_string(), &safe(&r.reason)])?;
            }
            Ok(())
        })
    }));
    if opts.jsonl {
        jobs.push(Box::new(move || {
            write_atomic(&dir.join("conflicts.jsonl"), |w| json::write_conflicts_jsonl(out, w))
        }));
    }
    jobs.push(Box::new(move || {
        write_atomic(&dir.join("summary.json"), |w| json::write_summary(out, opts, w))
    }));
    jobs.push(Box::new(move || {
        let page = html::render(out, opts).map_err(|e| Error::Config(format!("report.html: {e}")))?;
        write_atomic(&dir.join("report.html"), |w| w.write_all(page.as_bytes()))
    }));
    // A pool of the run's size, also for one thread: the large files format their rows
    // on it too.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.max(1))
        .build()
        .map_err(|e| Error::Config(format!("thread pool: {e}")))?;
    let results: Vec<Result<()>> = pool.install(|| jobs.into_par_iter().map(|job| job()).collect());
    results.into_iter().collect::<Result<()>>()?;
    let mut written: Vec<PathBuf> = [
        "articles.csv",
        "entities.csv",
        "mentions.csv",
        "claims.csv",
        "events.csv",
        "conflicts.csv",
        "rejects.csv",
    ]
    .into_iter()
    .map(|n| dir.join(n))
    .collect();
    if opts.jsonl {
        written.push(dir.join("conflicts.jsonl"));
    }
    written.push(dir.join("summary.json"));
    written.push(dir.join("report.html"));
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_text_kept() {
        assert_eq!(safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe("+1"), "'+1");
        assert_eq!(safe("-cmd"), "'-cmd");
        assert_eq!(safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe("\tx"), "'\tx");
        assert_eq!(safe("Plain title"), "Plain title");
        assert_eq!(safe(""), "");
    }

    #[test]
    fn rows_formatted_in_blocks_are_the_rows_written_one_by_one() {
        // More rows than the blocks formatted at once, ending in a partial block; cells
        // that need quoting.
        let n = ROWS_PER_BLOCK * (BLOCKS_AT_ONCE + 1) + 7;
        let cells = |k: usize| [k.to_string(), format!("say \"{k}\", then\nmore"), format!("{}", k % 3)];
        let mut one_by_one = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
        for k in 0..n {
            one_by_one.write_record(cells(k)).unwrap();
        }
        let want = one_by_one.into_inner().unwrap();
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let mut got = Vec::new();
        pool.install(|| rows_in_parallel(&mut got, n, |k, w| w.write_record(cells(k))))
            .unwrap();
        assert!(want.len() > 1 << 20);
        assert_eq!(got, want);
        let mut none = Vec::new();
        rows_in_parallel(&mut none, 0, |k, w| w.write_record(cells(k))).unwrap();
        assert!(none.is_empty());
    }
}

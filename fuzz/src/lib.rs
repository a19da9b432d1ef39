//! The paths the fuzz targets drive. The integration tests include this file too
//! (tests/robustness.rs) and feed every input kept in tests/corpora/fuzz/<target>/ through
//! the same functions, so a crash found here stays fixed.
//!
//! Every function takes arbitrary bytes and must not panic; what it returns is only there
//! to keep the work from being optimised away.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use crosscheck::claims::{self, ClaimLimits};
use crosscheck::ingest::{self, Format, InputFile, Limits, Records};
use crosscheck::model::{Field, FileId};
use crosscheck::segment::Doc;

/// Small limits, so that short inputs reach the size checks.
pub fn limits() -> Limits {
    Limits {
        max_article_bytes: 4096,
        max_sentence_bytes: 64,
    }
}

fn input_file(path: PathBuf) -> InputFile {
    InputFile {
        id: FileId(0),
        format: Format::from_path(&path),
        display: path.display().to_string(),
        path,
    }
}

/// Reads `data` as the content of a file called `name` (its extension picks the format,
/// `.gz` gunzips), and finishes every record as a run does. Returns the articles read.
pub fn read_as(name: &str, data: &[u8]) -> usize {
    let files = [input_file(PathBuf::from(name))];
    ingest::read_stream(&files[0], Box::new(Cursor::new(data.to_vec())), limits())
        .filter_map(|rec| rec.into_article(&files).ok())
        .count()
}

/// File names the first byte of an input chooses between (`records`, `pipeline`).
const NAMES: [&str; 8] = [
    "feed.jsonl",
    "feed.csv",
    "outlet/story.txt",
    "feed.jsonl.gz",
    "feed.csv.gz",
    "outlet/story.txt.gz",
    "feed.ndjson",
    "notes.bin",
];

/// Writes the rest of `data` into `dir` under the name its first byte chooses; for an odd
/// first byte and a `.gz` name the bytes are gzipped first (a valid stream), otherwise
/// they are written as they are (for `.gz`, most likely a corrupt stream).
fn write_input(dir: &Path, data: &[u8]) -> Option<PathBuf> {
    let (&choice, rest) = data.split_first()?;
    let name = NAMES[(choice >> 1) as usize % NAMES.len()];
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent()?).ok()?;
    let bytes = if name.ends_with(".gz") && choice & 1 == 1 {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(rest).ok()?;
        gz.finish().ok()?
    } else {
        rest.to_vec()
    };
    std::fs::write(&path, bytes).ok()?;
    Some(path)
}

/// Writes the input into `dir` (see [`write_input`]) and reads it back through
/// [`ingest::walk`] and [`Records`], finishing every record. Returns the articles read.
pub fn records(dir: &Path, data: &[u8]) -> usize {
    let Some(path) = write_input(dir, data) else {
        return 0;
    };
    let (files, _) = ingest::walk(std::slice::from_ref(&path), None);
    let n = Records::new(&files, limits())
        .filter_map(|rec| rec.into_article(&files).ok())
        .count();
    let _ = std::fs::remove_file(path);
    n
}

/// Segments arbitrary text, finds its names and extracts its claims: the first byte sets
/// the sentence limit, the first line of the rest is the title, the others the body.
pub fn claims(data: &[u8]) -> usize {
    let Some((&limit, rest)) = data.split_first() else {
        return 0;
    };
    let text = String::from_utf8_lossy(rest);
    let (title, body) = text.split_once('\n').unwrap_or((&text, ""));
    let max_sentence = 16 + limit as usize * 4;
    let docs = [
        Doc::with_max_sentence(Field::Title, title, 0, max_sentence),
        Doc::with_max_sentence(Field::Body, body, ingest::dateline_len(body), max_sentence),
    ];
    let gaz = crosscheck::pipeline::default_gazetteer().expect("the compiled-in gazetteer builds");
    let names = crosscheck::entities::find_mentions(&gaz, &docs);
    let published = crosscheck::date::parse_date("2025-04-28");
    let limits = ClaimLimits {
        max_claims_per_article: 1 + limit as usize % 8,
    };
    let claims = claims::extract(&docs, &gaz, &names.mentions, published, limits);
    let folded = crosscheck::text::fold_name(title);
    claims.len() + names.mentions.len() + folded.len()
}

/// Runs the whole pipeline (one thread, small limits) on the input written into `dir`
/// (see [`write_input`]), then writes every report into `dir/out`.
pub fn pipeline(dir: &Path, data: &[u8]) -> usize {
    let Some(path) = write_input(dir, data) else {
        return 0;
    };
    let l = limits();
    let config = crosscheck::PipelineBuilder::new()
        .threads(1)
        .max_article_bytes(l.max_article_bytes)
        .max_sentence_bytes(l.max_sentence_bytes)
        .max_claims_per_article(8)
        .build()
        .expect("a valid configuration");
    let out = crosscheck::pipeline::run(&config, std::slice::from_ref(&path), &crosscheck::pipeline::NoProgress)
        .expect("a run over readable files completes");
    let opts = crosscheck::report::ReportOptions {
        excel: true,
        jsonl: true,
        status: None,
        version: "fuzz".to_string(),
        threads: 1,
    };
    crosscheck::report::write_all(&out, &dir.join("out"), &opts).expect("the reports are written");
    let _ = std::fs::remove_file(path);
    out.claims.len()
}

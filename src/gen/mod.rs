//! A synthetic corpus for benchmarks: as many articles as asked, in the JSON Lines input
//! format, with planted conflicts of every kind and their gold pairs.
//!
//! The corpus depends only on its size, seed and options: the same flags give the same
//! bytes on every machine. It is written as it is made, a block of a few hundred articles
//! at a time, so a corpus of tens of gigabytes needs no more memory than a small one.
//!
//! What it looks like:
//! - outlets, people, towns, companies and countries are invented ([`names`]); the
//!   recurring ones follow a Zipf-like popularity, and every story has its own names;
//! - a story's articles come from different outlets over a few days; stories are spread
//!   evenly over `days` days from 2025-01-01;
//! - about a third of the articles carry a planted conflict (denial, exclusive_state,
//!   numeric, temporal, reversal in equal shares), a fifth are stories every outlet
//!   agrees on, and the rest are background articles with no story;
//! - bodies run from about 80 to 600 words, short ones more common, the conflicting
//!   sentence in the first paragraph and background sentences after it.
//!
//! Files written by [`generate`]: `articles.jsonl` (`id, source, date, title, body, url`),
//! `gold.csv` (`kind,a_article_id,b_article_id`: every pair of articles on opposite sides
//! of a planted conflict, the format of `corpus/gold/gold.csv`) and `stories.csv`
//! (`article_id,story`; background articles are stories of their own).

pub mod names;
pub mod rng;
pub mod stories;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use serde::Serialize;

use self::names::Pools;
use self::rng::Rng;
use self::stories::{Draft, Story, KINDS};
use crate::error::{Error, Result};

/// Articles written out together; a block is shuffled so a story's articles are not
/// adjacent in the file.
const BLOCK: usize = 512;

/// Bodies have between this many words and [`MAX_WORDS`].
pub const MIN_WORDS: usize = 80;
/// See [`MIN_WORDS`].
pub const MAX_WORDS: usize = 600;

/// What to generate.
#[derive(Clone, Debug)]
pub struct GenConfig {
    /// Number of articles.
    pub articles: u64,
    /// Seed: the same seed and size give the same corpus.
    pub seed: u64,
    /// Days the stories are spread over, from 2025-01-01.
    pub days: u32,
    /// Number of news outlets.
    pub outlets: usize,
}

impl GenConfig {
    /// `articles` articles from `seed`, over a year, from 300 outlets.
    pub fn new(articles: u64, seed: u64) -> GenConfig {
        GenConfig {
            articles,
            seed,
            days: 365,
            outlets: 300,
        }
    }

    fn validate(&self) -> Result<()> {
        if self.days == 0 {
            return Err(Error::Config("--days must be at least 1".into()));
        }
        if self.outlets < 4 {
            return Err(Error::Config("--outlets must be at least 4".into()));
        }
        Ok(())
    }
}

/// What was written.
#[derive(Clone, Debug, Default)]
pub struct GenSummary {
    /// Articles written.
    pub articles: u64,
    /// Bytes of `articles.jsonl`.
    pub bytes: u64,
    /// Bytes of titles and bodies (what `crosscheck run` counts as read).
    pub text_bytes: u64,
    /// Stories with more than one article.
    pub stories: u64,
    /// Gold pairs per conflict kind.
    pub pairs: BTreeMap<&'static str, u64>,
}

/// One line of `articles.jsonl`.
#[derive(Serialize)]
struct Line<'a> {
    id: &'a str,
    source: &'a str,
    date: &'a str,
    title: &'a str,
    body: &'a str,
    url: Option<&'a str>,
}

/// A finished article, waiting in the current block.
struct Finished {
    id: String,
    source: usize,
    date: String,
    title: String,
    body: String,
    url: bool,
}

/// Writes the corpus into `dir` (created if missing): `articles.jsonl`, `gold.csv` and
/// `stories.csv`.
pub fn generate(config: &GenConfig, dir: &Path) -> Result<GenSummary> {
    config.validate()?;
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let open = |name: &str| -> Result<BufWriter<File>> {
        let p = dir.join(name);
        File::create(&p)
            .map(|f| BufWriter::with_capacity(1 << 20, f))
            .map_err(|e| Error::io(p, e))
    };
    let (mut articles, mut gold, mut stories) = (open("articles.jsonl")?, open("gold.csv")?, open("stories.csv")?);
    let summary = write(config, &mut articles, &mut gold, &mut stories).map_err(|e| Error::io(dir, e))?;
    for (name, w) in [
        ("articles.jsonl", articles),
        ("gold.csv", gold),
        ("stories.csv", stories),
    ] {
        w.into_inner()
            .map_err(|e| Error::io(dir.join(name), e.into_error()))?
            .sync_all()
            .map_err(|e| Error::io(dir.join(name), e))?;
    }
    Ok(summary)
}

/// Writes the three files to the given writers (see [`generate`]).
pub fn write(
    config: &GenConfig,
    articles: &mut dyn Write,
    gold: &mut dyn Write,
    stories: &mut dyn Write,
) -> std::io::Result<GenSummary> {
    config
        .validate()
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e.to_string()))?;
    let master = Rng::new(config.seed);
    let pools = Pools::new(&mut master.fork(u64::MAX), config.articles as usize, config.outlets);
    writeln!(gold, "kind,a_article_id,b_article_id")?;
    writeln!(stories, "article_id,story")?;
    let mut summary = GenSummary::default();
    let mut block: Vec<Finished> = Vec::with_capacity(BLOCK + 8);
    let mut next_id = 0u64;
    let mut unit = 0u64;
    let width = config.articles.max(1).to_string().len().max(6);
    let n = config.articles;
    while next_id < n {
        let mut rng = master.fork(unit);
        unit += 1;
        // Stories march through the days as the corpus is written, so every day gets its
        // share however large the corpus.
        let day = (next_id * config.days as u64 / n.max(1)) as i64 + rng.below(3) as i64;
        let r = rng.unit();
        let kind = KINDS[rng.below(KINDS.len())];
        let mut story = if r < 0.3 {
            stories::conflict(&mut rng, &pools, kind, day)
        } else if r < 0.45 {
            stories::agreement(&mut rng, &pools, day)
        } else {
            stories::background(&mut rng, &pools, day)
        };
        if story.drafts.len() as u64 > n - next_id {
            story = stories::background(&mut rng, &pools, day);
        }
        let label = if story.drafts.len() > 1 {
            summary.stories += 1;
            format!("s{unit:0width$}")
        } else {
            format!("b{unit:0width$}")
        };
        let ids: Vec<String> = (0..story.drafts.len() as u64)
            .map(|i| format!("g{:0width$}", next_id + i))
            .collect();
        next_id += ids.len() as u64;
        for id in &ids {
            writeln!(stories, "{id},{label}")?;
        }
        if let Some(kind) = story.conflict {
            write_gold(gold, &story, &ids, kind, &mut summary)?;
        }
        for (d, id) in story.drafts.into_iter().zip(ids) {
            block.push(finish(&mut rng, &pools, d, id));
        }
        if block.len() >= BLOCK {
            flush(
                &mut master.fork(u64::MAX - unit),
                &pools,
                &mut block,
                articles,
                &mut summary,
            )?;
        }
    }
    flush(
        &mut master.fork(u64::MAX - unit),
        &pools,
        &mut block,
        articles,
        &mut summary,
    )?;
    articles.flush()?;
    gold.flush()?;
    stories.flush()?;
    Ok(summary)
}

/// Every pair of articles on opposite sides of the story's conflict.
fn write_gold(
    gold: &mut dyn Write,
    story: &Story,
    ids: &[String],
    kind: &'static str,
    summary: &mut GenSummary,
) -> std::io::Result<()> {
    let side = |s: u8| story.drafts.iter().zip(ids).filter(move |(d, _)| d.side == s);
    for (a, ida) in side(1) {
        for (b, idb) in side(2) {
            if a.outlet != b.outlet {
                writeln!(gold, "{kind},{ida},{idb}")?;
                *summary.pairs.entry(kind).or_default() += 1;
            }
        }
    }
    Ok(())
}

/// Adds the background paragraphs up to the article's drawn length.
fn finish(rng: &mut Rng, pools: &Pools, d: Draft, id: String) -> Finished {
    // Lengths are skewed toward short articles, as in news.
    let target = MIN_WORDS + ((MAX_WORDS - MIN_WORDS) as f64 * rng.unit().powi(2)) as usize;
    let mut body = String::with_capacity(target * 7);
    if let Some(town) = &d.dateline {
        body.push_str(town);
        body.push_str(" - ");
    }
    let mut words = 0;
    for (i, p) in d.lead.iter().enumerate() {
        if i > 0 {
            body.push_str("\n\n");
        }
        body.push_str(p);
        words += p.split_whitespace().count();
    }
    while words < target {
        body.push_str("\n\n");
        for s in 0..rng.range(2, 4) {
            if s > 0 {
                body.push(' ');
            }
            let sentence = stories::filler(rng, pools, &d.cast);
            words += sentence.split_whitespace().count();
            body.push_str(&sentence);
        }
    }
    Finished {
        id,
        source: d.outlet,
        date: stories::date_of(d.day).to_string(),
        title: d.title,
        body,
        url: rng.chance(0.8),
    }
}

fn flush(
    rng: &mut Rng,
    pools: &Pools,
    block: &mut Vec<Finished>,
    out: &mut dyn Write,
    summary: &mut GenSummary,
) -> std::io::Result<()> {
    rng.shuffle(block);
    let mut line = Vec::with_capacity(8192);
    for a in block.drain(..) {
        let source = &pools.outlets[a.source];
        let url = a.url.then(|| {
            format!(
                "https://example.com/{}/{}/{}",
                crate::entities::gazetteer::slug(source),
                a.date,
                a.id
            )
        });
        line.clear();
        serde_json::to_writer(
            &mut line,
            &Line {
                id: &a.id,
                source,
                date: &a.date,
                title: &a.title,
                body: &a.body,
                url: url.as_deref(),
            },
        )
        .map_err(std::io::Error::other)?;
        line.push(b'\n');
        out.write_all(&line)?;
        summary.articles += 1;
        summary.bytes += line.len() as u64;
        summary.text_bytes += (a.title.len() + a.body.len()) as u64;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus(n: u64, seed: u64) -> (Vec<u8>, Vec<u8>, Vec<u8>, GenSummary) {
        let (mut a, mut g, mut s) = (Vec::new(), Vec::new(), Vec::new());
        let sum = write(&GenConfig::new(n, seed), &mut a, &mut g, &mut s).unwrap();
        (a, g, s, sum)
    }

    #[test]
    fn exact_count_and_deterministic() {
        let (a, g, s, sum) = corpus(700, 5);
        assert_eq!(sum.articles, 700);
        assert_eq!(a.iter().filter(|&&b| b == b'\n').count(), 700);
        assert_eq!(s.iter().filter(|&&b| b == b'\n').count(), 701);
        let again = corpus(700, 5);
        assert!(a == again.0 && g == again.1 && s == again.2);
        assert_ne!(a, corpus(700, 6).0);
    }

    #[test]
    fn every_kind_is_planted() {
        let (_, _, _, sum) = corpus(2000, 1);
        for k in KINDS {
            assert!(sum.pairs.get(k).copied().unwrap_or(0) > 5, "{k}: {:?}", sum.pairs);
        }
    }
}

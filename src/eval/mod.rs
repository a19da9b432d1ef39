//! Eval: scores a run's output folder against gold files, with the same definitions as
//! the reference scorer (`../shared/tools/score.py`): conflict pairs, B-cubed story
//! grouping, places found per article.
//!
//! Every score reads the run's CSV files, not in-memory structures, so it measures
//! exactly what a user receives.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};

type Row = HashMap<String, String>;

/// Reads a CSV file into rows keyed by header (a UTF-8 BOM is tolerated).
pub fn read_rows(path: &Path) -> Result<Vec<Row>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> = r
        .headers()
        .map_err(|e| Error::Config(format!("{}: {e}", path.display())))?
        .iter()
        .map(String::from)
        .collect();
    let mut rows = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| Error::Config(format!("{}: {e}", path.display())))?;
        rows.push(headers.iter().cloned().zip(rec.iter().map(String::from)).collect());
    }
    Ok(rows)
}

fn col<'a>(r: &'a Row, name: &str) -> &'a str {
    r.get(name).map(String::as_str).unwrap_or("")
}

type Pair = (String, String);

fn pair(a: &str, b: &str) -> Pair {
    if a <= b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

/// Article pairs flagged in `conflicts.csv` (pairs within one article are left out).
pub fn flagged_pairs(out: &Path) -> Result<HashSet<Pair>> {
    Ok(read_rows(&out.join("conflicts.csv"))?
        .iter()
        .filter(|r| col(r, "a_article_id") != col(r, "b_article_id"))
        .map(|r| pair(col(r, "a_article_id"), col(r, "b_article_id")))
        .collect())
}

/// Precision and recall of flagged pairs.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct PairScore {
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
    /// True positives.
    pub tp: usize,
    /// False positives.
    pub fp: usize,
    /// Gold positives.
    pub positives: usize,
    /// Share of agreement pairs flagged (Emergent only).
    pub agree_flagged: f64,
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    }
}

fn read_jsonl_sources(path: &Path) -> Result<HashMap<String, String>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let mut out = HashMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| Error::Config(format!("{}: {e}", path.display())))?;
        let id = match &v["id"] {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        out.insert(id, v["source"].as_str().unwrap_or("").to_string());
    }
    Ok(out)
}

/// Emergent: cross-outlet for × against pairs within a claim are conflicts; for × for and
/// against × against are agreements; flagged pairs across claims are false flags.
pub fn emergent_conflicts(out: &Path, gold: &Path) -> Result<PairScore> {
    let g = read_rows(&gold.join("gold.csv"))?;
    let src = read_jsonl_sources(&gold.join("articles.jsonl"))?;
    let mut by: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for r in &g {
        by.entry(col(r, "claim_id")).or_default().push(r);
    }
    let claim_of: HashMap<&str, &str> = g.iter().map(|r| (col(r, "article_id"), col(r, "claim_id"))).collect();
    let mut pos = HashSet::new();
    let mut neg = HashSet::new();
    for rs in by.values() {
        for (i, a) in rs.iter().enumerate() {
            for b in &rs[i + 1..] {
                let (ia, ib) = (col(a, "article_id"), col(b, "article_id"));
                if src.get(ia) == src.get(ib) {
                    continue;
                }
                let (sa, sb) = (col(a, "stance"), col(b, "stance"));
                let p = pair(ia, ib);
                if (sa == "for" && sb == "against") || (sa == "against" && sb == "for") {
                    pos.insert(p);
                } else if sa != "observing" && sb != "observing" {
                    neg.insert(p);
                }
            }
        }
    }
    let fl = flagged_pairs(out)?;
    let tp = fl.intersection(&pos).count();
    let fp_agree = fl.intersection(&neg).count();
    let fp_cross = fl
        .iter()
        .filter(|(a, b)| {
            let ca = claim_of.get(a.as_str());
            let cb = claim_of.get(b.as_str());
            ca != cb
        })
        .count();
    let fp = fp_agree + fp_cross;
    let p = if tp + fp > 0 { tp as f64 / (tp + fp) as f64 } else { 0.0 };
    let r = if pos.is_empty() {
        0.0
    } else {
        tp as f64 / pos.len() as f64
    };
    Ok(PairScore {
        precision: p,
        recall: r,
        f1: f1(p, r),
        tp,
        fp,
        positives: pos.len(),
        agree_flagged: if neg.is_empty() {
            0.0
        } else {
            fp_agree as f64 / neg.len() as f64
        },
    })
}

/// B-cubed precision, recall and F1.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct BCubed {
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
    /// Gold items with no predicted cluster (counted as singletons).
    pub unassigned: usize,
}

/// B-cubed over the gold items; an item with no prediction is its own singleton.
pub fn bcubed(pred: &HashMap<String, String>, gold: &HashMap<String, String>) -> BCubed {
    let mut gc: HashMap<&str, HashSet<&str>> = HashMap::new();
    let mut pc: HashMap<&str, HashSet<&str>> = HashMap::new();
    for (i, g) in gold {
        gc.entry(g.as_str()).or_default().insert(i.as_str());
        if let Some(p) = pred.get(i) {
            pc.entry(p.as_str()).or_default().insert(i.as_str());
        }
    }
    let (mut p, mut r) = (0.0, 0.0);
    let mut missing = 0;
    for (i, g) in gold {
        let gs = &gc[g.as_str()];
        match pred.get(i) {
            None => {
                missing += 1;
                p += 1.0;
                r += 1.0 / gs.len() as f64;
            }
            Some(pl) => {
                let ps = &pc[pl.as_str()];
                let inter = ps.intersection(gs).count() as f64;
                p += inter / ps.len() as f64;
                r += inter / gs.len() as f64;
            }
        }
    }
    let n = gold.len().max(1) as f64;
    let (p, r) = (p / n, r / n);
    BCubed {
        precision: p,
        recall: r,
        f1: f1(p, r),
        unassigned: missing,
    }
}

/// Story grouping against a gold column (`claim_id` for Emergent, `event_cluster` for
/// ECB+, `story` for the demo corpus).
pub fn stories(out: &Path, gold_file: &Path, key: &str) -> Result<BCubed> {
    let g = read_rows(gold_file)?;
    let a = read_rows(&out.join("articles.csv"))?;
    let pred: HashMap<String, String> = a
        .iter()
        .filter(|r| !col(r, "story_id").is_empty())
        .map(|r| (col(r, "article_id").to_string(), col(r, "story_id").to_string()))
        .collect();
    let gold: HashMap<String, String> = g
        .iter()
        .map(|r| (col(r, "article_id").to_string(), col(r, key).to_string()))
        .collect();
    Ok(bcubed(&pred, &gold))
}

/// Listed gold pairs found, and flagged pairs not listed (demo corpus and hidden cases:
/// `gold.csv` with kind,a_article_id,b_article_id; optional `allowed.csv`).
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct GoldPairs {
    /// Gold pairs found.
    pub found: usize,
    /// Gold pairs.
    pub total: usize,
    /// Gold pairs found with the gold kind.
    pub right_kind: usize,
    /// Missed gold pairs as `kind:a-b`.
    pub missed: Vec<String>,
    /// Flagged pairs neither in gold nor allowed.
    pub false_flags: Vec<String>,
}

/// Scores `conflicts.csv` against a folder with `gold.csv` (and optional `allowed.csv`).
pub fn gold_pairs(out: &Path, gold: &Path) -> Result<GoldPairs> {
    let g = read_rows(&gold.join("gold.csv"))?;
    let allowed: HashSet<Pair> = match read_rows(&gold.join("allowed.csv")) {
        Ok(rows) => rows
            .iter()
            .map(|r| pair(col(r, "a_article_id"), col(r, "b_article_id")))
            .collect(),
        Err(_) => HashSet::new(),
    };
    let pos: BTreeMap<Pair, String> = g
        .iter()
        .map(|r| {
            (
                pair(col(r, "a_article_id"), col(r, "b_article_id")),
                col(r, "kind").to_string(),
            )
        })
        .collect();
    let rows = read_rows(&out.join("conflicts.csv"))?;
    let mut kinds: HashMap<Pair, BTreeSet<String>> = HashMap::new();
    for r in &rows {
        if col(r, "a_article_id") != col(r, "b_article_id") {
            kinds
                .entry(pair(col(r, "a_article_id"), col(r, "b_article_id")))
                .or_default()
                .insert(col(r, "kind").to_string());
        }
    }
    let mut s = GoldPairs {
        total: pos.len(),
        ..GoldPairs::default()
    };
    for (p, k) in &pos {
        match kinds.get(p) {
            Some(ks) => {
                s.found += 1;
                if ks.contains(k) {
                    s.right_kind += 1;
                }
            }
            None => s.missed.push(format!("{k}:{}-{}", p.0, p.1)),
        }
    }
    let mut false_flags: Vec<String> = kinds
        .keys()
        .filter(|p| !pos.contains_key(*p) && !allowed.contains(*p))
        .map(|p| format!("{}-{}", p.0, p.1))
        .collect();
    false_flags.sort();
    s.false_flags = false_flags;
    Ok(s)
}

/// FNC-1: among labelled (headline, body) pairs, flagged ones should be `disagree`.
pub fn fnc_disagree(out: &Path, gold: &Path) -> Result<PairScore> {
    let g = read_rows(&gold.join("gold.csv"))?;
    let fl = flagged_pairs(out)?;
    let mut tp = 0;
    let mut fp = 0;
    let mut pos = 0;
    for r in &g {
        let p = pair(col(r, "headline_id"), col(r, "body_id"));
        let disagree = col(r, "stance") == "disagree";
        pos += disagree as usize;
        if fl.contains(&p) {
            if disagree {
                tp += 1;
            } else {
                fp += 1;
            }
        }
    }
    let p = if tp + fp > 0 { tp as f64 / (tp + fp) as f64 } else { 0.0 };
    let r = if pos > 0 { tp as f64 / pos as f64 } else { 0.0 };
    Ok(PairScore {
        precision: p,
        recall: r,
        f1: f1(p, r),
        tp,
        fp,
        positives: pos,
        agree_flagged: 0.0,
    })
}

/// Countries found per article against the Reuters gold places.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Places {
    /// Share of gold places found.
    pub recall: f64,
    /// Share of found countries that are gold places (a lower bound).
    pub precision: f64,
    /// Gold places that could be mapped to a code.
    pub total: usize,
    /// Gold place names that could not be mapped.
    pub unmapped: usize,
}

/// Reuters place names → ISO alpha-2, as the reference scorer maps them.
fn reuters_codes(iso_json: Option<&Path>) -> HashMap<String, BTreeSet<String>> {
    let fixed: &[(&str, &[&str])] = &[
        ("usa", &["US"]),
        ("uk", &["GB"]),
        ("west-germany", &["DE"]),
        ("east-germany", &["DD", "DE"]),
        ("ussr", &["SU", "RU"]),
        ("south-korea", &["KR"]),
        ("north-korea", &["KP"]),
        ("taiwan", &["TW"]),
        ("hong-kong", &["HK"]),
        ("ivory-coast", &["CI"]),
        ("burma", &["MM"]),
        ("zaire", &["CD", "ZR"]),
        ("yugoslavia", &["YU", "RS"]),
        ("czechoslovakia", &["CS", "CZ"]),
        ("kampuchea", &["KH"]),
        ("upper-volta", &["BF"]),
        ("bahamas", &["BS"]),
        ("turkey", &["TR"]),
        ("uae", &["AE"]),
        ("yemen-arab-republic", &["YE"]),
        ("yemen-demo-republic", &["YE"]),
        ("brunei", &["BN"]),
        ("trinidad-tobago", &["TT"]),
        ("us-virgin-islands", &["VI"]),
        ("antigua", &["AG"]),
        ("swaziland", &["SZ"]),
    ];
    let mut names: HashMap<String, BTreeSet<String>> = HashMap::new();
    if let Some(p) = iso_json {
        if let Ok(text) = std::fs::read_to_string(p) {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
                for c in v["3166-1"].as_array().into_iter().flatten() {
                    let code = c["alpha_2"].as_str().unwrap_or("").to_string();
                    for k in ["name", "common_name", "official_name"] {
                        if let Some(n) = c[k].as_str() {
                            names.insert(n.to_lowercase().replace(' ', "-"), BTreeSet::from([code.clone()]));
                        }
                    }
                }
            }
        }
    }
    for (k, v) in fixed {
        names.insert(k.to_string(), v.iter().map(|s| s.to_string()).collect());
    }
    names
}

/// Reuters-21578 places: recall of gold places among the countries found per article (a
/// place entity counts for its country).
pub fn places(out: &Path, gold: &Path, iso_json: Option<&Path>) -> Result<Places> {
    let g = read_rows(&gold.join("gold.csv"))?;
    let ents = read_rows(&out.join("entities.csv"))?;
    let men = read_rows(&out.join("mentions.csv"))?;
    let mut code: HashMap<&str, String> = HashMap::new();
    for e in &ents {
        let kind = col(e, "kind");
        if kind != "country" && kind != "place" {
            continue;
        }
        let c = if !col(e, "country").is_empty() {
            col(e, "country")
        } else if kind == "country" {
            col(e, "code")
        } else {
            ""
        };
        let c: String = c.to_uppercase().chars().take(2).collect();
        if !c.is_empty() {
            code.insert(col(e, "entity_id"), c);
        }
    }
    let mut found: HashMap<&str, HashSet<&str>> = HashMap::new();
    for m in &men {
        if let Some(c) = code.get(col(m, "entity_id")) {
            found.entry(col(m, "article_id")).or_default().insert(c.as_str());
        }
    }
    let names = reuters_codes(iso_json);
    let (mut tot, mut hit, mut det, mut det_ok) = (0usize, 0usize, 0usize, 0usize);
    let mut unknown: HashSet<String> = HashSet::new();
    let empty = HashSet::new();
    for r in &g {
        let places: Vec<&str> = col(r, "places").split(';').filter(|p| !p.is_empty()).collect();
        let f = found.get(col(r, "article_id")).unwrap_or(&empty);
        let mut all: HashSet<&str> = HashSet::new();
        for p in &places {
            match names.get(*p) {
                Some(codes) => {
                    tot += 1;
                    if codes.iter().any(|c| f.contains(c.as_str())) {
                        hit += 1;
                    }
                    all.extend(codes.iter().map(String::as_str));
                }
                None => {
                    unknown.insert(p.to_string());
                }
            }
        }
        det += f.len();
        det_ok += f.iter().filter(|c| all.contains(*c)).count();
    }
    Ok(Places {
        recall: if tot > 0 { hit as f64 / tot as f64 } else { 0.0 },
        precision: if det > 0 { det_ok as f64 / det as f64 } else { 0.0 },
        total: tot,
        unmapped: unknown.len(),
    })
}

/// The seed article: Russia-vs-Ukraine conflicts about Kursk, and every conflict's kind.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Seed {
    /// Conflicts between a Russian and a Ukrainian claimer that mention Kursk.
    pub russia_ukraine: usize,
    /// All conflicts.
    pub flagged: usize,
}

/// Scores the seed run.
pub fn seed(out: &Path) -> Result<Seed> {
    let rows = read_rows(&out.join("conflicts.csv"))?;
    let ru = |s: &str| {
        let s = s.to_lowercase();
        ["putin", "russia", "kremlin", "moscow", "gerasimov"]
            .iter()
            .any(|k| s.contains(k))
    };
    let ua = |s: &str| {
        let s = s.to_lowercase();
        ["ukrain", "kyiv", "kiev", "zelensk"].iter().any(|k| s.contains(k))
    };
    let hits = rows
        .iter()
        .filter(|r| {
            let (a, b) = (col(r, "a_claimer"), col(r, "b_claimer"));
            ((ru(a) && ua(b)) || (ua(a) && ru(b)))
                && format!("{}{}", col(r, "a_text"), col(r, "b_text"))
                    .to_lowercase()
                    .contains("kursk")
        })
        .count();
    Ok(Seed {
        russia_ukraine: hits,
        flagged: rows.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn bcubed_matches_hand_computation() {
        let gold = m(&[("a", "1"), ("b", "1"), ("c", "2"), ("d", "2")]);
        let perfect = bcubed(&m(&[("a", "x"), ("b", "x"), ("c", "y"), ("d", "y")]), &gold);
        assert_eq!((perfect.precision, perfect.recall), (1.0, 1.0));
        let lumped = bcubed(&m(&[("a", "x"), ("b", "x"), ("c", "x"), ("d", "x")]), &gold);
        assert_eq!((lumped.precision, lumped.recall), (0.5, 1.0));
        let missing = bcubed(&m(&[("a", "x"), ("b", "x")]), &gold);
        assert_eq!(missing.unassigned, 2);
        assert_eq!(missing.precision, 1.0);
        assert_eq!(missing.recall, 0.75);
    }
}

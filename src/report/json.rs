//! Machine-readable output: `summary.json` (counts, stage timings, threads, version) and
//! `conflicts.jsonl` (one typed record per line: `{"type":"conflict","data":{...}}`).

use std::io::Write;

use serde::{Deserialize, Serialize};

use super::{story_id, ReportOptions};
use crate::date::format_date;
use crate::detect::Kind;
use crate::pipeline::Output;

/// One side of a conflict.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Side {
    /// Claim id.
    pub claim_id: String,
    /// Article id.
    pub article_id: String,
    /// Outlet.
    pub source: String,
    /// Publication date (YYYY-MM-DD) or null.
    pub published: Option<String>,
    /// Who made the claim (the outlet when it speaks in its own voice).
    pub claimer: String,
    /// Claimer's entity id.
    pub claimer_entity_id: Option<String>,
    /// assert or deny.
    pub polarity: String,
    /// certain, hedged or question.
    pub modality: String,
    /// The sentence.
    pub text: String,
    /// Link.
    pub url: String,
    /// Words that shaped the claim: (role, text, start, end) with byte offsets in `text`.
    pub cues: Vec<(String, String, u32, u32)>,
}

/// A conflict as written to `conflicts.jsonl`.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct ConflictRecord {
    /// Conflict id.
    pub conflict_id: String,
    /// Event id.
    pub event_id: String,
    /// Story id.
    pub story_id: String,
    /// Kind.
    pub kind: String,
    /// 0..1.
    pub confidence: f32,
    /// Side A.
    pub a: Side,
    /// Side B.
    pub b: Side,
    /// Why.
    pub explanation: String,
}

/// A line of `conflicts.jsonl`.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(tag = "type", content = "data", rename_all = "lowercase")]
pub enum Message {
    /// A conflict.
    Conflict(ConflictRecord),
}

fn side(out: &Output, claim: u32) -> Side {
    let c = &out.claims[claim as usize];
    let a = &out.articles[c.article as usize];
    Side {
        claim_id: c.id(&out.articles).to_string(),
        article_id: a.id.clone(),
        source: a.source.clone(),
        published: a.published.map(format_date),
        claimer: if c.claim.claimer.is_empty() {
            a.source.clone()
        } else {
            c.claim.claimer.clone()
        },
        claimer_entity_id: c.claimer_id.map(|i| out.entities.rows[i as usize].key.clone()),
        polarity: c.claim.polarity.as_str().to_string(),
        modality: c.claim.modality.as_str().to_string(),
        text: c.claim.text.clone(),
        url: a.url.clone(),
        cues: c
            .claim
            .cues
            .iter()
            .map(|q| (q.role.to_string(), q.text_in(&c.claim.text).to_string(), q.start, q.end))
            .collect(),
    }
}

/// The typed records of all conflicts, in output order.
pub fn conflict_records(out: &Output) -> Vec<ConflictRecord> {
    out.conflicts
        .iter()
        .map(|c| ConflictRecord {
            conflict_id: c.id.clone(),
            event_id: out.events[c.event as usize].id.clone(),
            story_id: story_id(out.articles[out.claims[c.a as usize].article as usize].story),
            kind: c.kind.as_str().to_string(),
            confidence: c.confidence,
            a: side(out, c.a),
            b: side(out, c.b),
            explanation: c.explanation.clone(),
        })
        .collect()
}

/// Writes `conflicts.jsonl`.
pub fn write_conflicts_jsonl(out: &Output, w: &mut impl Write) -> std::io::Result<()> {
    for rec in conflict_records(out) {
        serde_json::to_writer(&mut *w, &Message::Conflict(rec))?;
        w.write_all(b"\n")?;
    }
    Ok(())
}

/// Writes `summary.json`. This is the one output file that records how the run went
/// (stage timings, threads) and so differs between runs.
pub fn write_summary(out: &Output, opts: &ReportOptions, w: &mut impl Write) -> std::io::Result<()> {
    let mut by_kind = serde_json::Map::new();
    for k in Kind::ALL {
        let n = out.conflicts.iter().filter(|c| c.kind == k).count();
        by_kind.insert(k.as_str().to_string(), n.into());
    }
    let total: f64 = out.timings.0.iter().map(|(_, d)| d.as_secs_f64()).sum();
    let stages: Vec<serde_json::Value> = out
        .timings
        .0
        .iter()
        .map(|(name, d)| serde_json::json!({"stage": name, "seconds": (d.as_secs_f64() * 1e4).round() / 1e4}))
        .collect();
    let mb = out.bytes as f64 / 1e6;
    let sources: std::collections::BTreeSet<&str> = out.articles.iter().map(|a| a.source.as_str()).collect();
    let v = serde_json::json!({
        "version": opts.version,
        "threads": opts.threads,
        "counts": {
            "files": out.files.len(),
            "articles": out.articles.len(),
            "sources": sources.len(),
            "stories": out.n_stories,
            "entities": out.entities.rows.len(),
            "mentions": out.mentions.len(),
            "claims": out.claims.len(),
            "events": out.events.len(),
            "conflicts": out.conflicts.len(),
            "conflicts_by_kind": by_kind,
            "conflicts_below_min_confidence": out.suppressed,
            "rejects": out.rejects.len(),
            "sentences_cut": out.sentences_cut,
            "articles_claims_cut": out.articles_claims_cut,
            "dates_unread": out.dates_unread,
        },
        "bytes": out.bytes,
        "seconds": (total * 1e4).round() / 1e4,
        "mb_per_second": if total > 0.0 { ((mb / total) * 100.0).round() / 100.0 } else { 0.0 },
        "stages": stages,
    });
    serde_json::to_writer_pretty(&mut *w, &v)?;
    w.write_all(b"\n")
}

//! `report.html`: one self-contained page for editors (no network fetches), rendered with
//! an Askama template (`templates/report.html`), which HTML-escapes every value.

use std::collections::BTreeMap;

use askama::Template;

use super::{story_id, ReportOptions};
use crate::date::format_date;
use crate::detect::Kind;
use crate::pipeline::Output;

/// A piece of claim text, marked when it is a cue word.
pub struct Segment {
    /// The text.
    pub text: String,
    /// Cue role ("deny", "negation", "event", ...) or empty.
    pub role: &'static str,
}

/// One side of a conflict on the page.
pub struct SideView {
    /// Outlet.
    pub source: String,
    /// Claimer.
    pub claimer: String,
    /// Date or empty.
    pub date: String,
    /// Link or empty.
    pub url: String,
    /// Article id.
    pub article_id: String,
    /// Claim text in segments.
    pub segments: Vec<Segment>,
    /// assert / deny.
    pub polarity: &'static str,
    /// certain / hedged / question.
    pub modality: &'static str,
}

/// One conflict on the page.
pub struct ConflictView {
    /// Id.
    pub id: String,
    /// Kind name.
    pub kind: &'static str,
    /// Confidence as text.
    pub confidence: String,
    /// Confidence as a percentage for the bar.
    pub percent: u32,
    /// Story id.
    pub story: String,
    /// Event label.
    pub event: String,
    /// Side A.
    pub a: SideView,
    /// Side B.
    pub b: SideView,
    /// Explanation.
    pub explanation: String,
}

/// A story in the ranking.
pub struct StoryView {
    /// Id.
    pub id: String,
    /// A headline of the story.
    pub title: String,
    /// Articles.
    pub articles: usize,
    /// Distinct outlets.
    pub sources: usize,
    /// Conflicts.
    pub conflicts: usize,
}

/// The page.
#[derive(Template)]
#[template(path = "report.html")]
pub struct ReportPage {
    /// Version.
    pub version: String,
    /// Counts.
    pub articles: usize,
    /// Distinct outlets.
    pub sources: usize,
    /// Stories.
    pub stories: u32,
    /// Claims.
    pub claims: usize,
    /// Conflicts.
    pub conflicts_total: usize,
    /// Rejected records.
    pub rejects: usize,
    /// Conflicts by kind.
    pub kinds: Vec<(&'static str, usize)>,
    /// Conflicts in output order.
    pub conflicts: Vec<ConflictView>,
    /// Stories by how contested they are.
    pub ranked: Vec<StoryView>,
}

/// Splits `text` at the cue offsets.
pub fn segments(text: &str, cues: &[crate::model::Cue]) -> Vec<Segment> {
    let mut marks: Vec<(usize, usize, &'static str)> = cues
        .iter()
        .filter(|c| c.role != "report")
        .map(|c| (c.start as usize, c.end as usize, c.role))
        .filter(|(s, e, _)| s < e && *e <= text.len() && text.is_char_boundary(*s) && text.is_char_boundary(*e))
        .collect();
    marks.sort();
    let mut out = Vec::new();
    let mut pos = 0;
    for (s, e, role) in marks {
        if s < pos {
            continue;
        }
        if s > pos {
            out.push(Segment {
                text: text[pos..s].to_string(),
                role: "",
            });
        }
        out.push(Segment {
            text: text[s..e].to_string(),
            role,
        });
        pos = e;
    }
    if pos < text.len() {
        out.push(Segment {
            text: text[pos..].to_string(),
            role: "",
        });
    }
    out
}

fn side(out: &Output, claim: u32) -> SideView {
    let c = &out.claims[claim as usize];
    let a = &out.articles[c.article as usize];
    SideView {
        source: a.source.clone(),
        claimer: if c.claim.claimer.is_empty() {
            a.source.clone()
        } else {
            c.claim.claimer.clone()
        },
        date: a.published.map(format_date).unwrap_or_default(),
        url: if a.url.starts_with("http://") || a.url.starts_with("https://") {
            a.url.clone()
        } else {
            String::new()
        },
        article_id: a.id.clone(),
        segments: segments(&c.claim.text, &c.claim.cues),
        polarity: c.claim.polarity.as_str(),
        modality: c.claim.modality.as_str(),
    }
}

/// Renders the page.
pub fn render(out: &Output, opts: &ReportOptions) -> askama::Result<String> {
    let kinds = Kind::ALL
        .iter()
        .map(|k| (k.as_str(), out.conflicts.iter().filter(|c| c.kind == *k).count()))
        .collect();
    let conflicts = out
        .conflicts
        .iter()
        .map(|c| ConflictView {
            id: c.id.clone(),
            kind: c.kind.as_str(),
            confidence: format!("{:.2}", c.confidence),
            percent: (c.confidence * 100.0).round() as u32,
            story: story_id(out.articles[out.claims[c.a as usize].article as usize].story),
            event: out.events[c.event as usize].label.clone(),
            a: side(out, c.a),
            b: side(out, c.b),
            explanation: c.explanation.clone(),
        })
        .collect();
    let mut stories: BTreeMap<u32, StoryView> = BTreeMap::new();
    for a in &out.articles {
        let s = stories.entry(a.story).or_insert_with(|| StoryView {
            id: story_id(a.story),
            title: a.title.clone(),
            articles: 0,
            sources: 0,
            conflicts: 0,
        });
        s.articles += 1;
    }
    let mut srcs: BTreeMap<u32, std::collections::BTreeSet<&str>> = BTreeMap::new();
    for a in &out.articles {
        srcs.entry(a.story).or_default().insert(&a.source);
    }
    for (k, v) in &srcs {
        if let Some(s) = stories.get_mut(k) {
            s.sources = v.len();
        }
    }
    for c in &out.conflicts {
        let st = out.articles[out.claims[c.a as usize].article as usize].story;
        if let Some(s) = stories.get_mut(&st) {
            s.conflicts += 1;
        }
    }
    let mut ranked: Vec<StoryView> = stories
        .into_values()
        .filter(|s| s.articles > 1 || s.conflicts > 0)
        .collect();
    ranked.sort_by(|a, b| {
        b.conflicts
            .cmp(&a.conflicts)
            .then(b.articles.cmp(&a.articles))
            .then(a.id.cmp(&b.id))
    });
    ranked.truncate(50);
    let sources: std::collections::BTreeSet<&str> = out.articles.iter().map(|a| a.source.as_str()).collect();
    ReportPage {
        version: opts.version.clone(),
        articles: out.articles.len(),
        sources: sources.len(),
        stories: out.n_stories,
        claims: out.claims.len(),
        conflicts_total: out.conflicts.len(),
        rejects: out.rejects.len(),
        kinds,
        conflicts,
        ranked,
    }
    .render()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Cue;

    #[test]
    fn segments_cover_the_text_once() {
        let cues = vec![
            Cue {
                role: "deny",
                text: "denied".into(),
                start: 12,
                end: 18,
            },
            Cue {
                role: "report",
                text: "x".into(),
                start: 0,
                end: 1,
            },
        ];
        let s = segments("Ukraine has denied the claim.", &cues);
        let joined: String = s.iter().map(|x| x.text.as_str()).collect();
        assert_eq!(joined, "Ukraine has denied the claim.");
        assert_eq!(s[1].role, "deny");
        assert_eq!(s[1].text, "denied");
    }
}

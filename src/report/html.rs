//! `report.html`: one self-contained page for editors, rendered with an Askama template
//! (`templates/report.html`) that HTML-escapes every value, in text and in attributes.
//!
//! The page has no external resources (styles, script and charts are inline; the charts are
//! SVG drawn from numbers computed here) and a Content-Security-Policy that forbids every
//! fetch and lets only its own script run (allowed by hash), so it works offline, from an
//! email attachment, and stays inert even if some input slipped past the escaping.
//!
//! Sections: a headline summary, the stories ranked by how contested they are (each with a
//! timeline of who claimed what when), a source-by-source disagreement matrix, and the
//! conflict cards with both claims side by side. The cards are capped at [`MAX_CARDS`]
//! (the surest ones, since conflicts come sorted by confidence); `conflicts.csv` has all.
//! Filtering and sorting are a small inline script; without it the page is complete,
//! listed by confidence.

use std::collections::{BTreeMap, BTreeSet};

use askama::Template;

use super::{story_id, ReportOptions};
use crate::date::{format_date, to_days, Date};
use crate::detect::Kind;
use crate::model::Cue;
use crate::pipeline::Output;

/// Most conflict cards on the page. Conflicts arrive sorted by confidence, so the page shows
/// the surest ones; the count of the rest is stated on the page.
pub const MAX_CARDS: usize = 2_000;
/// Stories shown as cards with a timeline.
const STORY_CARDS: usize = 12;
/// Stories listed in all (those after the cards in a compact table).
const STORY_ROWS: usize = 60;
/// Outlets drawn in the disagreement matrix (those in most conflicts).
const MATRIX_OUTLETS: usize = 20;
/// Pairs of outlets listed under the matrix.
const MATRIX_PAIRS: usize = 10;
/// Claimer rows in one timeline; the rest share an "others" row.
const TIMELINE_ROWS: usize = 8;

/// The inline script: filters and sorts the conflict cards. Only reads `data-*` attributes
/// and writes `textContent`, never markup.
const SCRIPT: &str = r#"
(function () {
  "use strict";
  var list = document.getElementById("conflict-list");
  var bar = document.getElementById("toolbar");
  if (!list || !bar) { return; }
  var cards = Array.prototype.slice.call(list.querySelectorAll("article.conflict"));
  if (cards.length === 0) { return; }
  var kind = document.getElementById("f-kind");
  var outlet = document.getElementById("f-outlet");
  var claimer = document.getElementById("f-claimer");
  var sort = document.getElementById("f-sort");
  var chip = document.getElementById("f-story");
  var chipName = document.getElementById("f-story-name");
  var count = document.getElementById("f-count");
  var none = document.getElementById("f-none");
  var story = "";
  function num(el, name) { return parseInt(el.getAttribute(name), 10) || 0; }
  function apply() {
    var k = kind.value, o = outlet.value, c = claimer.value.trim().toLowerCase(), n = 0;
    cards.forEach(function (el) {
      var d = el.dataset;
      var ok = (!k || d.kind === k) &&
        (!o || d.sourceA === o || d.sourceB === o) &&
        (!c || d.claimerA.toLowerCase().indexOf(c) >= 0 || d.claimerB.toLowerCase().indexOf(c) >= 0) &&
        (!story || d.story === story);
      el.hidden = !ok;
      if (ok) { n += 1; }
    });
    count.textContent = n === cards.length ? "All " + n + " shown" : n + " of " + cards.length + " shown";
    none.hidden = n > 0;
    chip.hidden = !story;
  }
  function order() {
    var by = sort.value;
    var sorted = cards.slice().sort(function (a, b) {
      if (by === "date") {
        var da = a.getAttribute("data-date"), db = b.getAttribute("data-date");
        if (da !== db) {
          if (!da) { return 1; }
          if (!db) { return -1; }
          return da < db ? 1 : -1;
        }
      } else if (by === "story") {
        var sa = num(a, "data-story-rank"), sb = num(b, "data-story-rank");
        if (sa !== sb) { return sa - sb; }
      }
      return num(a, "data-rank") - num(b, "data-rank");
    });
    sorted.forEach(function (el) { list.appendChild(el); });
  }
  kind.addEventListener("change", apply);
  outlet.addEventListener("change", apply);
  claimer.addEventListener("input", apply);
  sort.addEventListener("change", order);
  document.getElementById("f-reset").addEventListener("click", function () {
    kind.value = ""; outlet.value = ""; claimer.value = ""; story = ""; sort.value = "confidence";
    order(); apply();
  });
  document.getElementById("f-story-clear").addEventListener("click", function () { story = ""; apply(); });
  document.addEventListener("click", function (e) {
    var t = e.target.closest ? e.target.closest("[data-filter-kind],[data-filter-story]") : null;
    if (!t) { return; }
    e.preventDefault();
    if (t.hasAttribute("data-filter-kind")) {
      kind.value = t.getAttribute("data-filter-kind");
      story = "";
    } else {
      story = t.getAttribute("data-filter-story");
      chipName.textContent = t.getAttribute("data-story-title");
      kind.value = "";
      outlet.value = "";
      claimer.value = "";
    }
    apply();
    document.getElementById("conflicts").scrollIntoView();
  });
  bar.hidden = false;
  apply();
})();
"#;

/// Cue roles highlighted in a sentence, with what the mark means.
const MARKED: [(&str, &str); 7] = [
    ("deny", "denial word"),
    ("retract", "retraction word"),
    ("negation", "negation"),
    ("refute", "refuting word"),
    ("hedge", "hedge"),
    ("event", "what happened"),
    ("state", "state word"),
];

/// A piece of claim text, marked when it is a cue word.
pub struct Segment {
    /// The text.
    pub text: String,
    /// Cue role ("deny", "negation", "event", ...) or empty.
    pub role: &'static str,
    /// What the mark means ("denial word"), or empty.
    pub label: &'static str,
}

/// One side of a conflict on the page.
pub struct SideView {
    /// Outlet.
    pub source: String,
    /// Claimer (the outlet when it speaks in its own voice).
    pub claimer: String,
    /// Date or empty.
    pub date: String,
    /// Link (http or https only) or empty.
    pub url: String,
    /// Article id.
    pub article_id: String,
    /// Headline of the article.
    pub title: String,
    /// Claim text in segments.
    pub segments: Vec<Segment>,
    /// assert / deny.
    pub polarity: &'static str,
    /// "asserts" / "denies".
    pub stance: &'static str,
    /// certain / hedged / question.
    pub modality: &'static str,
}

/// One conflict card.
pub struct ConflictView {
    /// Id.
    pub id: String,
    /// Position in confidence order (the default sort).
    pub rank: usize,
    /// Kind name.
    pub kind: &'static str,
    /// Kind as an editor reads it.
    pub kind_label: &'static str,
    /// Confidence as text.
    pub confidence: String,
    /// Confidence as a percentage for the bar.
    pub percent: u32,
    /// Story id.
    pub story: String,
    /// Story headline.
    pub story_title: String,
    /// Position of the story in the contested ranking (1-based).
    pub story_rank: usize,
    /// True when the story is listed in the ranking on the page (a link target).
    pub story_listed: bool,
    /// Event label.
    pub event: String,
    /// The later of the two dates, or empty (for sorting by date).
    pub date: String,
    /// Side A.
    pub a: SideView,
    /// Side B.
    pub b: SideView,
    /// Explanation.
    pub explanation: String,
    /// The other conflicts between the same two sentences, as "conflict ID (article and
    /// article)".
    pub also: Vec<String>,
    /// With a nightly state: "new" or "seen" (else empty).
    pub status: String,
    /// With a nightly state: when the conflict was first reported.
    pub first_seen: String,
}

/// A count of conflicts of one kind.
pub struct KindCount {
    /// Kind name.
    pub kind: &'static str,
    /// Kind as an editor reads it.
    pub label: &'static str,
    /// What the kind means.
    pub description: &'static str,
    /// Conflicts of this kind.
    pub count: String,
    /// Share of all conflicts, in percent (for the bar).
    pub percent: f32,
}

/// A row of a story timeline: one claimer.
pub struct TimelineRow {
    /// Label as drawn (shortened).
    pub label: String,
    /// Full claimer name.
    pub full: String,
    /// Baseline.
    pub y: u32,
    /// Label position.
    pub label_x: u32,
    /// Label position.
    pub label_y: u32,
    /// Label alignment: "start" or "end".
    pub anchor: &'static str,
}

/// How a timeline is laid out: labels left of the rows (wide screens) or above them
/// (phones, where a label column would leave the plot too small to read).
pub struct Frame {
    width: u32,
    x0: u32,
    x1: u32,
    pitch: u32,
    top: u32,
    label_above: bool,
    label_chars: usize,
}

const WIDE: Frame = Frame {
    width: 600,
    x0: 170,
    x1: 580,
    pitch: 26,
    top: 16,
    label_above: false,
    label_chars: 24,
};

const NARROW: Frame = Frame {
    width: 360,
    x0: 14,
    x1: 346,
    pitch: 38,
    top: 32,
    label_above: true,
    label_chars: 48,
};

/// A dot on a story timeline: one or more claims of one claimer on one day.
pub struct TimelineDot {
    /// Centre.
    pub x: u32,
    /// Centre.
    pub y: u32,
    /// Radius (grows with the number of claims).
    pub r: u32,
    /// "assert" or "deny".
    pub polarity: &'static str,
    /// Tooltip: who, when, what.
    pub tip: String,
    /// Id of the conflict card to jump to, or empty when that card is not on the page.
    pub card: String,
}

/// A date label on a timeline axis.
pub struct TimelineTick {
    /// Position.
    pub x: u32,
    /// Text.
    pub label: String,
    /// "start", "middle" or "end".
    pub anchor: &'static str,
}

/// Who claimed what when in one story, drawn as SVG.
pub struct Timeline {
    /// View box width.
    pub width: u32,
    /// View box height.
    pub height: u32,
    /// Left end of the plot.
    pub x0: u32,
    /// Right end of the plot.
    pub x1: u32,
    /// Axis baseline.
    pub axis_y: u32,
    /// One row per claimer.
    pub rows: Vec<TimelineRow>,
    /// Dots.
    pub dots: Vec<TimelineDot>,
    /// Axis labels.
    pub ticks: Vec<TimelineTick>,
    /// Claims in the story's conflicts without a date (not drawn).
    pub undated: usize,
}

/// A story in the ranking.
pub struct StoryView {
    /// Position in the ranking (1-based).
    pub rank: usize,
    /// Id.
    pub id: String,
    /// Headline of the story's first article.
    pub title: String,
    /// Articles.
    pub articles: usize,
    /// Distinct outlets.
    pub sources: usize,
    /// Conflicts (all, not only those on the page).
    pub conflicts: usize,
    /// The same, written for reading.
    pub conflicts_text: String,
    /// Distinct outlets taking part in its conflicts.
    pub outlets_in_conflict: usize,
    /// First and last publication date, or empty.
    pub dates: String,
    /// Conflicts by kind (only kinds present).
    pub kinds: Vec<(&'static str, &'static str, usize)>,
    /// Cards of this story on the page.
    pub shown: usize,
    /// Id of its surest card on the page, or empty.
    pub first_card: String,
    /// Timeline (for the stories shown as cards), laid out for wide screens.
    pub timeline: Option<Timeline>,
    /// The same timeline laid out for phones.
    pub timeline_narrow: Option<Timeline>,
}

/// An outlet label of the matrix.
pub struct MatrixLabel {
    /// Shortened name.
    pub text: String,
    /// Full name.
    pub full: String,
    /// Centre of its row and column.
    pub at: u32,
}

/// A cell of the matrix.
pub struct MatrixCell {
    /// Left.
    pub x: u32,
    /// Top.
    pub y: u32,
    /// Count as drawn ("1.2k"), or empty for none.
    pub text: String,
    /// Shade 0 (none) to 5 (most).
    pub level: u32,
    /// Tooltip.
    pub tip: String,
}

/// Two outlets and the conflicts between them.
pub struct PairView {
    /// One outlet.
    pub a: String,
    /// The other (the same for conflicts inside one outlet).
    pub b: String,
    /// Conflicts, written for reading.
    pub count: String,
}

/// Outlets × outlets, count of conflicts between them, drawn as SVG.
pub struct Matrix {
    /// View box width.
    pub width: u32,
    /// View box height.
    pub height: u32,
    /// Cell side.
    pub cell: u32,
    /// Left edge of the grid.
    pub left: u32,
    /// Top edge of the grid.
    pub top: u32,
    /// Outlets, in row (and column) order.
    pub labels: Vec<MatrixLabel>,
    /// Cells.
    pub cells: Vec<MatrixCell>,
    /// Outlets with conflicts left out of the grid.
    pub omitted: usize,
    /// The pairs with most conflicts.
    pub pairs: Vec<PairView>,
}

/// The page.
#[derive(Template)]
#[template(path = "report.html")]
pub struct ReportPage {
    /// Version.
    pub version: String,
    /// Content-Security-Policy hash of [`SCRIPT`].
    pub script_hash: String,
    /// The inline script (a constant of this module, never input).
    pub script: &'static str,
    /// Articles.
    pub articles: String,
    /// Distinct outlets.
    pub sources: String,
    /// Stories.
    pub stories: String,
    /// Claims.
    pub claims: String,
    /// Conflicts.
    pub conflicts_total: String,
    /// Conflicts, as a number.
    pub n_conflicts: usize,
    /// Where the conflicts are: between outlets, inside one outlet, inside one article.
    pub scope: String,
    /// Rejected records.
    pub rejects: usize,
    /// First and last publication date, or empty.
    pub dates: String,
    /// Conflicts by kind.
    pub kinds: Vec<KindCount>,
    /// The cards, in confidence order.
    pub conflicts: Vec<ConflictView>,
    /// True when some conflicts are not on the page.
    pub capped: bool,
    /// Conflicts on the page (each card's, and those sharing a card), written for reading.
    pub listed: String,
    /// Outlets in the cards (filter choices).
    pub outlets: Vec<String>,
    /// Claimers in the cards (filter suggestions).
    pub claimers: Vec<String>,
    /// Contested stories, most contested first.
    pub ranked: Vec<StoryView>,
    /// Stories with at least one conflict.
    pub contested: usize,
    /// The same, written for reading.
    pub contested_text: String,
    /// The disagreement matrix.
    pub matrix: Matrix,
    /// Ranked stories listed in the table after the cards.
    pub more_stories: usize,
}

/// Splits `text` at the highlighted cue offsets (overlapping cues: the first wins; cues
/// with offsets outside the text or off a character boundary are ignored).
pub fn segments(text: &str, cues: &[Cue]) -> Vec<Segment> {
    let mut marks: Vec<(usize, usize, &'static str, &'static str)> = cues
        .iter()
        .filter_map(|c| {
            let (role, label) = MARKED.iter().find(|(r, _)| *r == c.role)?;
            Some((c.start as usize, c.end as usize, *role, *label))
        })
        .filter(|(s, e, _, _)| s < e && *e <= text.len() && text.is_char_boundary(*s) && text.is_char_boundary(*e))
        .collect();
    marks.sort();
    let mut out = Vec::new();
    let mut pos = 0;
    for (s, e, role, label) in marks {
        if s < pos {
            continue;
        }
        if s > pos {
            out.push(Segment {
                text: text[pos..s].to_string(),
                role: "",
                label: "",
            });
        }
        out.push(Segment {
            text: text[s..e].to_string(),
            role,
            label,
        });
        pos = e;
    }
    if pos < text.len() {
        out.push(Segment {
            text: text[pos..].to_string(),
            role: "",
            label: "",
        });
    }
    out
}

fn kind_text(k: Kind) -> (&'static str, &'static str) {
    match k {
        Kind::Denial => ("Denial", "One side says it happened, the other denies it."),
        Kind::ExclusiveState => (
            "Exclusive states",
            "Two descriptions of a situation that cannot both be true.",
        ),
        Kind::Numeric => ("Numbers", "Figures for the same thing that cannot both be right."),
        Kind::Temporal => ("Dates", "Different dates given for the same event."),
        Kind::Reversal => ("Reversal", "The same voice says the opposite later."),
    }
}

/// `12345` as `12,345`.
fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A count short enough for a matrix cell: `950`, `1.2k`, `65k`.
fn compact(n: usize) -> String {
    match n {
        0..=999 => n.to_string(),
        1000..=9999 => format!("{:.1}k", n as f64 / 1000.0),
        _ => format!("{}k", n / 1000),
    }
}

/// At most `max` characters of `s`, with an ellipsis when cut.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

fn date_range(dates: impl Iterator<Item = Date>) -> String {
    let mut first: Option<Date> = None;
    let mut last: Option<Date> = None;
    for d in dates {
        first = Some(first.map_or(d, |f| f.min(d)));
        last = Some(last.map_or(d, |l| l.max(d)));
    }
    match (first, last) {
        (Some(f), Some(l)) if f == l => format_date(f),
        (Some(f), Some(l)) => format!("{} – {}", format_date(f), format_date(l)),
        _ => String::new(),
    }
}

fn claimer_of(out: &Output, claim: u32) -> &str {
    let c = &out.claims[claim as usize];
    if c.claim.claimer.is_empty() {
        &out.articles[c.article as usize].source
    } else {
        &c.claim.claimer
    }
}

fn side(out: &Output, claim: u32) -> SideView {
    let c = &out.claims[claim as usize];
    let a = &out.articles[c.article as usize];
    let deny = c.claim.polarity == crate::model::Polarity::Deny;
    SideView {
        source: a.source.clone(),
        claimer: claimer_of(out, claim).to_string(),
        date: a.published.map(format_date).unwrap_or_default(),
        url: if a.url.starts_with("http://") || a.url.starts_with("https://") {
            a.url.clone()
        } else {
            String::new()
        },
        article_id: a.id.clone(),
        title: a.title.clone(),
        segments: segments(&c.claim.text, &c.claim.cues),
        polarity: c.claim.polarity.as_str(),
        stance: if deny { "denies" } else { "asserts" },
        modality: c.claim.modality.as_str(),
    }
}

/// Story of a conflict: that of side A's article.
fn story_of(out: &Output, c: &crate::detect::Conflict) -> u32 {
    out.articles[out.claims[c.a as usize].article as usize].story
}

/// What the page says about a story, gathered from its articles.
struct StoryFacts<'a> {
    /// Earliest publication date.
    first: Option<Date>,
    /// Headline of the earliest article.
    title: &'a str,
    articles: usize,
    outlets: BTreeSet<&'a str>,
    dates: Vec<Date>,
}

/// Conflicts per story and their weight (sum of confidences), for the ranking.
struct StoryTally {
    weight: f64,
    conflicts: Vec<usize>,
}

fn timeline(out: &Output, conflicts: &[usize], cards: &BTreeMap<usize, &str>, frame: &Frame) -> Timeline {
    // Each claim of the story's conflicts once, with the surest card it appears on.
    let mut claims: BTreeMap<u32, &str> = BTreeMap::new();
    for &i in conflicts {
        let c = &out.conflicts[i];
        let card = cards.get(&i).copied().unwrap_or("");
        for claim in [c.a, c.b] {
            let e = claims.entry(claim).or_insert(card);
            if e.is_empty() {
                *e = card;
            }
        }
    }
    // Rows: claimers with most claims first; the rest share one row.
    let mut per: BTreeMap<&str, usize> = BTreeMap::new();
    for &claim in claims.keys() {
        *per.entry(claimer_of(out, claim)).or_default() += 1;
    }
    let mut names: Vec<(&str, usize)> = per.into_iter().collect();
    names.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let others = names.len() > TIMELINE_ROWS;
    let kept: Vec<&str> = names
        .iter()
        .take(if others { TIMELINE_ROWS - 1 } else { TIMELINE_ROWS })
        .map(|n| n.0)
        .collect();
    let row_of = |name: &str| kept.iter().position(|k| *k == name).unwrap_or(kept.len());
    let n_rows = kept.len() + usize::from(others);

    let &Frame {
        width,
        x0,
        x1,
        pitch,
        top,
        ..
    } = frame;
    let row = |i: usize, label: String, full: String| {
        let y = top + i as u32 * pitch;
        let (label_x, label_y, anchor) = if frame.label_above {
            (x0 - 10, y - 11, "start")
        } else {
            (x0 - 12, y + 4, "end")
        };
        TimelineRow {
            label,
            full,
            y,
            label_x,
            label_y,
            anchor,
        }
    };
    let mut rows: Vec<TimelineRow> = kept
        .iter()
        .enumerate()
        .map(|(i, k)| row(i, shorten(k, frame.label_chars), k.to_string()))
        .collect();
    if others {
        let n = names.len() - kept.len();
        // The tooltip names the first few; a large story can have hundreds.
        let mut full = names[kept.len()..]
            .iter()
            .take(30)
            .map(|n| n.0)
            .collect::<Vec<_>>()
            .join(", ");
        if n > 30 {
            full.push_str(&format!(" and {} more", n - 30));
        }
        rows.push(row(kept.len(), format!("{n} other claimers"), full));
    }
    let axis_y = top + n_rows as u32 * pitch - pitch / 2 + 4;

    let days: Vec<i32> = claims
        .keys()
        .filter_map(|&c| out.articles[out.claims[c as usize].article as usize].published)
        .map(to_days)
        .collect();
    let lo = days.iter().copied().min().unwrap_or(0);
    let hi = days.iter().copied().max().unwrap_or(0);
    let span = (hi - lo).max(0) as f64;
    let x_of = |day: i32| -> u32 {
        if span == 0.0 {
            (x0 + x1) / 2
        } else {
            x0 + (((day - lo) as f64 / span) * (x1 - x0) as f64).round() as u32
        }
    };

    // Dots: claims of one row, day and polarity drawn as one dot.
    let mut groups: BTreeMap<(usize, i32, &'static str), Vec<u32>> = BTreeMap::new();
    let mut undated = 0;
    for &claim in claims.keys() {
        let c = &out.claims[claim as usize];
        match out.articles[c.article as usize].published {
            Some(d) => groups
                .entry((row_of(claimer_of(out, claim)), to_days(d), c.claim.polarity.as_str()))
                .or_default()
                .push(claim),
            None => undated += 1,
        }
    }
    let dots = groups
        .into_iter()
        .map(|((row, day, polarity), members)| {
            let first = members[0];
            let c = &out.claims[first as usize];
            let a = &out.articles[c.article as usize];
            let verb = if polarity == "deny" { "denies" } else { "asserts" };
            let mut tip = format!(
                "{} ({}), {}: {} “{}”",
                claimer_of(out, first),
                a.source,
                a.published.map(format_date).unwrap_or_default(),
                verb,
                shorten(&c.claim.text, 160)
            );
            if members.len() > 1 {
                tip.push_str(&format!(" and {} more", members.len() - 1));
            }
            let card = members.iter().map(|m| claims[m]).find(|s| !s.is_empty()).unwrap_or("");
            let shift: i32 = if polarity == "deny" { 4 } else { -4 };
            TimelineDot {
                x: x_of(day),
                y: (rows[row].y as i32 + shift) as u32,
                r: 5 + (members.len() as u32 - 1).min(5),
                polarity,
                tip,
                card: card.to_string(),
            }
        })
        .collect();

    let mut ticks = Vec::new();
    if !days.is_empty() {
        let fmt = |d: i32| -> String {
            crate::date::from_days(d)
                .map(|date| {
                    if span > 300.0 {
                        format!("{} {}", month_abbr(date), date.year())
                    } else {
                        format!("{} {}", month_abbr(date), date.day())
                    }
                })
                .unwrap_or_default()
        };
        if span == 0.0 {
            ticks.push(TimelineTick {
                x: x_of(lo),
                label: crate::date::from_days(lo).map(format_date).unwrap_or_default(),
                anchor: "middle",
            });
        } else {
            let n = if span >= 3.0 { 3 } else { span as i32 };
            for k in 0..=n {
                let day = lo + ((hi - lo) as f64 * k as f64 / n as f64).round() as i32;
                let anchor = match k {
                    0 => "start",
                    _ if k == n => "end",
                    _ => "middle",
                };
                ticks.push(TimelineTick {
                    x: x_of(day),
                    label: fmt(day),
                    anchor,
                });
            }
        }
    }
    Timeline {
        width,
        height: axis_y + 18,
        x0,
        x1,
        axis_y,
        rows,
        dots,
        ticks,
        undated,
    }
}

fn month_abbr(d: Date) -> &'static str {
    const NAMES: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    NAMES[(d.month() as usize).saturating_sub(1) % 12]
}

fn matrix(out: &Output) -> Matrix {
    let source_of = |claim: u32| -> &str { &out.articles[out.claims[claim as usize].article as usize].source };
    let mut involved: BTreeMap<&str, usize> = BTreeMap::new();
    let mut pairs: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for c in &out.conflicts {
        let (a, b) = (source_of(c.a), source_of(c.b));
        *involved.entry(a).or_default() += 1;
        if b != a {
            *involved.entry(b).or_default() += 1;
        }
        *pairs.entry((a.min(b), a.max(b))).or_default() += 1;
    }
    let mut outlets: Vec<(&str, usize)> = involved.into_iter().collect();
    outlets.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let omitted = outlets.len().saturating_sub(MATRIX_OUTLETS);
    outlets.truncate(MATRIX_OUTLETS);
    let names: Vec<&str> = outlets.iter().map(|o| o.0).collect();

    let (cell, left, top) = (30u32, 176u32, 128u32);
    let n = names.len() as u32;
    let labels = names
        .iter()
        .enumerate()
        .map(|(i, s)| MatrixLabel {
            text: shorten(s, 22),
            full: s.to_string(),
            at: i as u32 * cell + cell / 2,
        })
        .collect();
    let max = pairs.values().copied().max().unwrap_or(0);
    let mut cells = Vec::new();
    for (i, a) in names.iter().enumerate() {
        for (j, b) in names.iter().enumerate() {
            let count = pairs.get(&((*a).min(*b), (*a).max(*b))).copied().unwrap_or(0);
            let level = match count {
                0 => 0,
                _ if max <= 1 => 3,
                _ => 1 + ((count as f64).ln() / (max as f64).ln() * 4.0).round() as u32,
            };
            let tip = match (count, i == j) {
                (_, true) => format!("{a}: {} conflicts inside this outlet", thousands(count)),
                (1, false) => format!("{a} × {b}: 1 conflict"),
                _ => format!("{a} × {b}: {} conflicts", thousands(count)),
            };
            cells.push(MatrixCell {
                x: left + j as u32 * cell,
                y: top + i as u32 * cell,
                text: if count == 0 { String::new() } else { compact(count) },
                level: level.min(5),
                tip,
            });
        }
    }
    let mut by_count: Vec<(&(&str, &str), &usize)> = pairs.iter().collect();
    by_count.sort_by(|x, y| y.1.cmp(x.1).then(x.0.cmp(y.0)));
    let top_pairs = by_count
        .into_iter()
        .take(MATRIX_PAIRS)
        .map(|((a, b), n)| PairView {
            a: a.to_string(),
            b: b.to_string(),
            count: thousands(*n),
        })
        .collect();
    Matrix {
        // Room on the right for the slanted column labels.
        width: left + n * cell + 110,
        height: top + n * cell + 8,
        cell,
        left,
        top,
        labels,
        cells,
        omitted,
        pairs: top_pairs,
    }
}

/// SHA-256 of `data` (FIPS 180-4), for the script's Content-Security-Policy hash.
fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
        0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
        0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
        0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
        0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
        0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
        0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    ];
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&(data.len() as u64 * 8).to_be_bytes());
    for block in msg.chunks_exact(64) {
        let mut w = [0u32; 64];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        }
        let mut v = h;
        for i in 0..64 {
            let [a, b, c, d, e, f, g, hh] = v;
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            v = [t1.wrapping_add(t2), a, b, c, d.wrapping_add(t1), e, f, g];
        }
        for (x, y) in h.iter_mut().zip(v) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 32];
    for (chunk, x) in out.chunks_exact_mut(4).zip(h) {
        chunk.copy_from_slice(&x.to_be_bytes());
    }
    out
}

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (*b as u32) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Builds the page's data.
pub fn page(out: &Output, opts: &ReportOptions) -> ReportPage {
    let total = out.conflicts.len();
    let kinds = Kind::ALL
        .iter()
        .map(|k| {
            let n = out.conflicts.iter().filter(|c| c.kind == *k).count();
            let (label, description) = kind_text(*k);
            KindCount {
                kind: k.as_str(),
                label,
                description,
                count: thousands(n),
                percent: if total == 0 {
                    0.0
                } else {
                    (n as f32 * 1000.0 / total as f32).round() / 10.0
                },
            }
        })
        .collect();

    // Stories, most contested first: by the summed confidence of their conflicts.
    let mut tally: BTreeMap<u32, StoryTally> = BTreeMap::new();
    for (i, c) in out.conflicts.iter().enumerate() {
        let t = tally.entry(story_of(out, c)).or_insert(StoryTally {
            weight: 0.0,
            conflicts: Vec::new(),
        });
        t.weight += c.confidence as f64;
        t.conflicts.push(i);
    }
    let mut order: Vec<(u32, &StoryTally)> = tally.iter().map(|(s, t)| (*s, t)).collect();
    order.sort_by(|a, b| {
        b.1.weight
            .total_cmp(&a.1.weight)
            .then(b.1.conflicts.len().cmp(&a.1.conflicts.len()))
            .then(a.0.cmp(&b.0))
    });
    let story_rank: BTreeMap<u32, usize> = order.iter().enumerate().map(|(i, (s, _))| (*s, i + 1)).collect();

    // Per story: its headline (the earliest article's), articles, outlets and dates.
    let mut facts: BTreeMap<u32, StoryFacts> = BTreeMap::new();
    for a in &out.articles {
        let e = facts.entry(a.story).or_insert_with(|| StoryFacts {
            first: a.published,
            title: &a.title,
            articles: 0,
            outlets: BTreeSet::new(),
            dates: Vec::new(),
        });
        if a.published.is_some() && (e.first.is_none() || a.published < e.first) {
            e.first = a.published;
            e.title = &a.title;
        }
        e.articles += 1;
        e.outlets.insert(&a.source);
        e.dates.extend(a.published);
    }
    let title_of = |s: u32| -> String { facts.get(&s).map(|f| f.title.to_string()).unwrap_or_default() };

    // With a nightly state the page leads with tonight's new conflicts (each group in
    // confidence order).
    let status_of = |i: usize| opts.status.as_ref().and_then(|s| s.get(i)).cloned().unwrap_or_default();
    let mut order_cards: Vec<usize> = (0..out.conflicts.len()).collect();
    if opts.status.is_some() {
        order_cards.sort_by_key(|&i| (status_of(i).0 != "new", i));
    }
    // Conflicts between the same two sentences (a wire story carried by several outlets, a
    // story filed twice) share one card, which names the other pairs of articles.
    let text_of = |claim: u32| out.claims[claim as usize].claim.text.as_str();
    let mut group_of: BTreeMap<(Kind, &str, &str), usize> = BTreeMap::new();
    let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
    for &i in &order_cards {
        let c = &out.conflicts[i];
        let (x, y) = (text_of(c.a), text_of(c.b));
        match group_of.get(&(c.kind, x.min(y), x.max(y))) {
            Some(&g) => groups[g].1.push(i),
            None => {
                group_of.insert((c.kind, x.min(y), x.max(y)), groups.len());
                groups.push((i, Vec::new()));
            }
        }
    }
    let article_of = |claim: u32| out.articles[out.claims[claim as usize].article as usize].id.as_str();
    let cards: Vec<ConflictView> = groups
        .iter()
        .take(MAX_CARDS)
        .enumerate()
        .map(|(rank, (index, same))| {
            let c = &out.conflicts[*index];
            let (status, first_seen) = status_of(*index);
            let (a, b) = (side(out, c.a), side(out, c.b));
            let date = a.date.clone().max(b.date.clone());
            let st = story_of(out, c);
            let (kind_label, _) = kind_text(c.kind);
            ConflictView {
                id: c.id.clone(),
                rank,
                kind: c.kind.as_str(),
                kind_label,
                confidence: format!("{:.2}", c.confidence),
                percent: (c.confidence.clamp(0.0, 1.0) * 100.0).round() as u32,
                story: story_id(st),
                story_title: title_of(st),
                story_listed: story_rank.get(&st).is_some_and(|r| *r <= STORY_ROWS),
                story_rank: story_rank.get(&st).copied().unwrap_or(0),
                event: out.events[c.event as usize].label.clone(),
                date,
                a,
                b,
                explanation: c.explanation.clone(),
                also: same
                    .iter()
                    .map(|&k| {
                        let d = &out.conflicts[k];
                        format!("conflict {} ({} and {})", d.id, article_of(d.a), article_of(d.b))
                    })
                    .collect(),
                status,
                first_seen,
            }
        })
        .collect();
    // Each conflict listed on the page, with the card that shows it.
    let card_ids: BTreeMap<usize, &str> = groups
        .iter()
        .zip(&cards)
        .flat_map(|((index, same), card)| {
            std::iter::once(*index)
                .chain(same.iter().copied())
                .map(move |k| (k, card.id.as_str()))
        })
        .collect();

    let ranked: Vec<StoryView> = order
        .iter()
        .take(STORY_ROWS)
        .enumerate()
        .map(|(i, (s, t))| {
            // Every story of a conflict has articles: the story is that of one of them.
            let f = &facts[s];
            let mut in_conflict: BTreeSet<&str> = BTreeSet::new();
            let mut by_kind: BTreeMap<Kind, usize> = BTreeMap::new();
            for &k in &t.conflicts {
                let c = &out.conflicts[k];
                for claim in [c.a, c.b] {
                    in_conflict.insert(&out.articles[out.claims[claim as usize].article as usize].source);
                }
                *by_kind.entry(c.kind).or_default() += 1;
            }
            let shown: Vec<usize> = t
                .conflicts
                .iter()
                .copied()
                .filter(|k| card_ids.contains_key(k))
                .collect();
            StoryView {
                rank: i + 1,
                id: story_id(*s),
                title: f.title.to_string(),
                articles: f.articles,
                sources: f.outlets.len(),
                conflicts: t.conflicts.len(),
                conflicts_text: thousands(t.conflicts.len()),
                outlets_in_conflict: in_conflict.len(),
                dates: date_range(f.dates.iter().copied()),
                kinds: Kind::ALL
                    .iter()
                    .filter_map(|k| by_kind.get(k).map(|n| (k.as_str(), kind_text(*k).0, *n)))
                    .collect(),
                shown: shown.len(),
                first_card: shown.first().map(|k| card_ids[k].to_string()).unwrap_or_default(),
                timeline: (i < STORY_CARDS).then(|| timeline(out, &t.conflicts, &card_ids, &WIDE)),
                timeline_narrow: (i < STORY_CARDS).then(|| timeline(out, &t.conflicts, &card_ids, &NARROW)),
            }
        })
        .collect();

    let outlets: Vec<String> = cards
        .iter()
        .flat_map(|c| [c.a.source.as_str(), c.b.source.as_str()])
        .collect::<BTreeSet<&str>>()
        .into_iter()
        .map(str::to_string)
        .collect();
    let claimers: Vec<String> = cards
        .iter()
        .flat_map(|c| [c.a.claimer.as_str(), c.b.claimer.as_str()])
        .collect::<BTreeSet<&str>>()
        .into_iter()
        .map(str::to_string)
        .collect();
    let sources: BTreeSet<&str> = out.articles.iter().map(|a| a.source.as_str()).collect();
    ReportPage {
        version: opts.version.clone(),
        script_hash: base64(&sha256(SCRIPT.as_bytes())),
        script: SCRIPT,
        articles: thousands(out.articles.len()),
        sources: thousands(sources.len()),
        stories: thousands(out.n_stories as usize),
        claims: thousands(out.claims.len()),
        conflicts_total: thousands(total),
        n_conflicts: total,
        scope: scope(out),
        rejects: out.rejects.len(),
        dates: date_range(out.articles.iter().filter_map(|a| a.published)),
        kinds,
        capped: total > card_ids.len(),
        listed: thousands(card_ids.len()),
        conflicts: cards,
        outlets,
        claimers,
        contested: order.len(),
        contested_text: thousands(order.len()),
        more_stories: ranked.len().saturating_sub(STORY_CARDS),
        ranked,
        matrix: matrix(out),
    }
}

/// Where the conflicts lie, for the page's headline: between outlets, or inside one outlet
/// (a claim and a denial it reports, in one article or across its articles). Outlets are
/// compared by name whatever their case.
fn scope(out: &Output) -> String {
    let (mut between, mut outlet, mut article) = (0, 0, 0);
    for c in &out.conflicts {
        let [a, b] = [c.a, c.b].map(|k| out.claims[k as usize].article as usize);
        if a == b {
            article += 1;
        } else if out.articles[a].source.to_lowercase() == out.articles[b].source.to_lowercase() {
            outlet += 1;
        } else {
            between += 1;
        }
    }
    format!(
        "{} between outlets · {} inside one outlet, {} of them inside one article",
        thousands(between),
        thousands(outlet + article),
        thousands(article)
    )
}

/// Renders the page.
pub fn render(out: &Output, opts: &ReportOptions) -> askama::Result<String> {
    page(out, opts).render()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cue(role: &'static str, start: u32, end: u32) -> Cue {
        Cue { role, start, end }
    }

    #[test]
    fn segments_cover_the_text_once() {
        let cues = vec![cue("deny", 12, 18), cue("report", 0, 1)];
        let s = segments("Ukraine has denied the claim.", &cues);
        let joined: String = s.iter().map(|x| x.text.as_str()).collect();
        assert_eq!(joined, "Ukraine has denied the claim.");
        assert_eq!(s[1].role, "deny");
        assert_eq!(s[1].text, "denied");
        assert_eq!(s[1].label, "denial word");
    }

    #[test]
    fn segments_skip_unmarked_roles_and_bad_offsets() {
        let text = "Kyiv disputes the Russian account — “no”.";
        let cues = vec![
            cue("antecedent", 18, 33),
            cue("deny", 5, 13),
            cue("event", 6, 40),     // overlaps the denial
            cue("negation", 36, 37), // inside a multi-byte character
            cue("hedge", 30, 400),   // past the end
        ];
        let s = segments(text, &cues);
        let joined: String = s.iter().map(|x| x.text.as_str()).collect();
        assert_eq!(joined, text);
        let marked: Vec<&str> = s
            .iter()
            .filter(|x| !x.role.is_empty())
            .map(|x| x.text.as_str())
            .collect();
        assert_eq!(marked, ["disputes"]);
    }

    #[test]
    fn sha256_and_base64_match_known_values() {
        // FIPS 180-2 example "abc" and the empty string.
        assert_eq!(base64(&sha256(b"abc")), "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
        assert_eq!(base64(&sha256(b"")), "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
        let long = vec![b'a'; 1000];
        assert_eq!(base64(&sha256(&long)), "Qe3s5C1j6Nm/UVqbppMuHCDLyfWl0TRkWttdsblzfqM=");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"a"), "YQ==");
    }

    #[test]
    fn numbers_are_written_for_reading() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(77037), "77,037");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(compact(950), "950");
        assert_eq!(compact(1234), "1.2k");
        assert_eq!(compact(65818), "65k");
        assert_eq!(shorten("Northbridge Ledger", 30), "Northbridge Ledger");
        assert_eq!(shorten("Northbridge Ledger", 8), "Northbr…");
    }
}

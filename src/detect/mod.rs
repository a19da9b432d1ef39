//! Detect: the contradictions inside each event.
//!
//! Two claims of one event contradict when they come from independent voices (different
//! claimers; an outlet in its own voice counts as itself; near-identical wire copies are
//! one voice) and one of these holds:
//!
//! | kind | rule |
//! |---|---|
//! | denial | one asserts, the other denies |
//! | exclusive_state | both assert states of one group that exclude each other |
//! | numeric | same unit, the figures' ranges (with their bounds) do not overlap |
//! | temporal | both date the event to the day, on different days |
//! | reversal | the same voice asserts, then later denies or retracts |
//!
//! Hedged and questioning claims lower the confidence. Only claims inside one event are
//! compared, so the cost is the sum of squared event sizes, bounded per event by
//! [`MAX_PAIRS_PER_EVENT`].

use std::fmt::Write as _;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::{AnchorCountry, ArticleRow, ClaimId, ClaimRow, Cue, Field, Modality, Polarity, Quantity};

/// Largest number of claim pairs examined in one event (the first claims in input order).
pub const MAX_PAIRS_PER_EVENT: usize = 200_000;

/// The kinds of contradiction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Assert against deny.
    Denial,
    /// Incompatible states.
    ExclusiveState,
    /// Figures that cannot both be right.
    Numeric,
    /// Different dates for one event.
    Temporal,
    /// The same voice says the opposite later.
    Reversal,
}

impl Kind {
    /// Name used in output files.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Denial => "denial",
            Kind::ExclusiveState => "exclusive_state",
            Kind::Numeric => "numeric",
            Kind::Temporal => "temporal",
            Kind::Reversal => "reversal",
        }
    }

    /// All kinds, in report order.
    pub const ALL: [Kind; 5] = [
        Kind::Denial,
        Kind::ExclusiveState,
        Kind::Numeric,
        Kind::Temporal,
        Kind::Reversal,
    ];
}

/// A contradiction between two claims.
#[derive(Clone, Debug)]
pub struct Conflict {
    /// Stable id derived from the two claim ids and the kind.
    pub id: String,
    /// Event index.
    pub event: u32,
    /// Kind.
    pub kind: Kind,
    /// 0..1, higher is surer.
    pub confidence: f32,
    /// Claim index of side A (the assertion, or the earlier claim).
    pub a: u32,
    /// Claim index of side B (the denial, or the later claim).
    pub b: u32,
    /// One sentence naming the rule and the words that triggered it.
    pub explanation: String,
}

fn modality_factor(c: &ClaimRow) -> f32 {
    match c.claim.modality {
        Modality::Certain => 1.0,
        Modality::Hedged => 0.55,
        // "Was the mayor's arrest all a hoax?": asking whether a story is false casts doubt
        // on it, as a hedged denial does; other questions take no side.
        Modality::Question if c.claim.polarity == Polarity::Deny && c.claim.cues.iter().any(|q| q.role == "refute") => {
            0.55
        }
        Modality::Question => 0.35,
    }
}

/// Strength of a claim's denial: an explicit denial verb or a linked reference is
/// strongest, a refuting word next, a bare negation weakest.
fn denial_strength(c: &ClaimRow) -> f32 {
    let roles: Vec<&str> = c.claim.cues.iter().map(|q| q.role).collect();
    if roles.contains(&"deny") || roles.contains(&"retract") || c.refers_to.is_some() {
        1.0
    } else if roles.contains(&"refute") {
        0.9
    } else {
        0.85
    }
}

fn cue_words(c: &ClaimRow, roles: &[&str]) -> String {
    let words: Vec<String> = c
        .claim
        .cues
        .iter()
        .filter(|q| roles.contains(&q.role))
        .map(|q| format!("'{}'", q.text_in(&c.claim.text)))
        .collect();
    words.join(" + ")
}

fn speaker(c: &ClaimRow, articles: &[ArticleRow]) -> String {
    if c.claim.claimer.is_empty() {
        articles[c.article as usize].source.clone()
    } else {
        c.claim.claimer.clone()
    }
}

/// True when two figures cannot both be right. Exact figures get a tolerance of 10% for
/// rounding; "about" allows 10% either way (set by the claims stage); bounds and ranges
/// are honoured as written.
pub fn quantities_conflict(a: &Quantity, b: &Quantity) -> bool {
    if a.unit != b.unit {
        return false;
    }
    let widen = |q: &Quantity| -> (f64, f64) {
        let tol = match q.bound {
            crate::model::Bound::Exact => 0.10,
            _ => 0.0,
        };
        (q.low * (1.0 - tol), q.high * (1.0 + tol))
    };
    let (alo, ahi) = widen(a);
    let (blo, bhi) = widen(b);
    ahi < blo || bhi < alo
}

fn fmt_num(x: f64) -> String {
    if x.is_infinite() {
        return "∞".to_string();
    }
    let r = x.round() as i64;
    let s = r.abs().to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if r < 0 {
        out.insert(0, '-');
    }
    out
}

/// Finds the contradictions. `claims` must be indexed so that `refers_to` and the returned
/// `a`/`b` are positions in it. Output order: by event, then claim indices.
pub fn detect(claims: &[ClaimRow], articles: &[ArticleRow]) -> Vec<Conflict> {
    // Share of denials in each event, and how many voices deny in a headline (where a
    // denial is the article's point, not a passing negation), for the consensus check in
    // `judge`.
    let mut counts: FxHashMap<u32, (u32, u32, Vec<&str>)> = FxHashMap::default();
    // A question ("did X happen?", "won't say whether X happened") takes no side.
    for c in claims.iter().filter(|c| c.claim.modality != Modality::Question) {
        let e = counts.entry(c.event).or_default();
        e.0 += 1;
        if c.claim.polarity == Polarity::Deny {
            e.1 += 1;
            if c.claim.span.field == Field::Title {
                e.2.push(&*c.voice);
            }
        }
    }
    let deny_share: FxHashMap<u32, (f32, usize)> = counts
        .into_iter()
        .map(|(e, (n, denials, mut voices))| {
            voices.sort_unstable();
            voices.dedup();
            (e, (denials as f32 / n as f32, voices.len()))
        })
        .collect();
    // Events each article denies: an article that denies a happening and also tells it
    // ("was reported dead last week") retells the rumour it is about to deny.
    let denied_by_article: FxHashSet<(u32, u32)> = claims
        .iter()
        .filter(|c| c.claim.polarity == Polarity::Deny)
        .map(|c| (c.article, c.event))
        .collect();
    // Whether each claim calls its story false, read once (it scans the claim's text).
    let refutes: Vec<bool> = claims.par_iter().with_min_len(1024).map(refutes_story).collect();
    // The claims of each article that call their story false.
    let mut refuting_claims: FxHashMap<u32, Vec<&[u64]>> = FxHashMap::default();
    for (c, _) in claims.iter().zip(&refutes).filter(|(_, r)| **r) {
        refuting_claims.entry(c.article).or_default().push(&c.claim.terms);
    }
    let ctx = Context {
        articles,
        deny_share,
        denied_by_article,
        refutes,
        refuting_claims,
    };
    // Comparison groups: every event; every (state group, anchor), since an exclusive
    // state ("still fighting inside Kursk") contradicts a claim of another event type
    // ("Kursk has been retaken") about the same thing; and every (story, unit) and (unit,
    // event type, side), since figures of one happening are often given in sentences
    // of different shapes. Each (group key, claim) is listed once, then sorted: the
    // groups in key order, each one's claims in claim order.
    let lex = crate::lexicon::Lexicon::get();
    // Stories with a denial of an act named with what it acts on ("denied that officers
    // had fired tear gas"): its claims are also compared with every assertion of the
    // story that tells of that act, whatever event their wording put them in.
    let act_stories: FxHashSet<u32> = claims
        .iter()
        .filter(|c| c.claim.polarity == Polarity::Deny && denied_act_words(c).is_some())
        .map(|c| articles[c.article as usize].story)
        .collect();
    let mut keyed: Vec<(GroupKey, u32)> = Vec::with_capacity(claims.len() * 2);
    for (i, c) in claims.iter().enumerate() {
        let i = i as u32;
        let story = articles[c.article as usize].story;
        keyed.push(((0, c.event, "", String::new()), i));
        if let (Some((group, _)), Some(anchor)) = (c.claim.state, c.state_anchor) {
            keyed.push(((1, anchor, group, String::new()), i));
        }
        // Headlines of one story: a headline states the article's point, and one that
        // denies contradicts one that asserts even when their wording put them in
        // different events ("Mayor arrested in Lisbridge" / "No, the mayor hasn't been
        // arrested"): when both make the same point, or when one calls the story false
        // ("bridge collapse photo outed as fake" against "Watch the old bridge fall").
        // A body sentence calling a report false ("the report that the bridge collapsed
        // was a hoax") joins them, to be compared with the headlines that make its point.
        if c.claim.span.field == Field::Title || ctx.refutes[i as usize] {
            keyed.push(((4, story, "", String::new()), i));
        }
        // Dated reports of a happening that occurs once, in one story, anchored on a
        // country and on a place in it ("sank off eastern Indonesia on Saturday", "sank
        // south of Ambon on Friday"): one happening, whose dates are compared.
        if let (Some(ac), Some(t)) = (c.anchor_country, c.claim.time) {
            if t.precision == crate::date::Precision::Day && lex.once_events.contains(&c.claim.event_type) {
                let code = String::from_utf8_lossy(&ac.code).into_owned();
                keyed.push(((5, story, c.claim.event_type, code), i));
            }
        }
        if act_stories.contains(&story) && c.claim.modality == Modality::Certain {
            keyed.push(((6, story, "", String::new()), i));
        }
        if let Some(q) = c.claim.quantity.as_ref().filter(|q| is_headcount(&q.unit)) {
            keyed.push(((2, story, "", q.unit.clone()), i));
            if let (Some(side), true) = (&c.agent_side, c.claim.event_type != "other") {
                keyed.push(((3, 0, c.claim.event_type, format!("{}|{side}", q.unit)), i));
            }
        }
    }
    keyed.par_sort_unstable();
    let groups: Vec<&[(GroupKey, u32)]> = keyed.chunk_by(|x, y| x.0 == y.0).collect();
    // Groups are judged in parallel; the candidates are then reduced in group order.
    let found: Vec<Vec<Conflict>> = groups
        .par_iter()
        .map(|group| {
            let members: Vec<u32> = group.iter().map(|x| x.1).collect();
            judge_group(&ctx, claims, group[0].0 .0, &members)
        })
        .collect();
    // One conflict per article pair and kind: the most confident.
    let mut best: FxHashMap<(u32, u32, Kind), Conflict> = FxHashMap::default();
    let ids_of = |c: &Conflict| {
        (
            claims[c.a as usize].id(articles),
            claims[c.b as usize].id(articles),
            c.a,
            c.b,
        )
    };
    for c in found.into_iter().flatten() {
        let (aa, ab) = (claims[c.a as usize].article, claims[c.b as usize].article);
        let k = (aa.min(ab), aa.max(ab), c.kind);
        match best.get(&k) {
            // Ties go to the smaller claim ids (reading order does not count).
            Some(prev)
                if (prev.confidence, std::cmp::Reverse(ids_of(prev)))
                    >= (c.confidence, std::cmp::Reverse(ids_of(&c))) => {}
            _ => {
                best.insert(k, c);
            }
        }
    }
    let mut out: Vec<Conflict> = best.into_values().collect();
    out.sort_by_key(|c| (c.event, c.a, c.b, c.kind));
    out
}

/// A comparison group of [`detect`]: its kind (0 event, 1 exclusive state, 2 figures in
/// a story, 3 figures of an event type and side, 4 headlines of a story, 5 dated
/// happenings of a story and country, 6 the denied acts of a story), then the event,
/// anchor or story, the state group or event type, and the figure's unit or the country.
type GroupKey<'a> = (u8, u32, &'a str, String);

/// The conflicts among the claims of one comparison group (`kind` is the group's kind,
/// see [`detect`]), in pair order.
fn judge_group(ctx: &Context, claims: &[ClaimRow], kind: u8, members: &[u32]) -> Vec<Conflict> {
    let articles = ctx.articles;
    let mut found = Vec::new();
    if members.len() < 2 {
        return found;
    }
    let only = match kind {
        1 => Some(Kind::ExclusiveState),
        2 | 3 => Some(Kind::Numeric),
        4 => Some(Kind::Denial),
        5 => Some(Kind::Temporal),
        6 => Some(Kind::Denial),
        _ => None,
    };
    if kind == 6 {
        return judge_acts(ctx, claims, members);
    }
    let mut pairs = 0usize;
    'outer: for (x, &i) in members.iter().enumerate() {
        for &j in &members[x + 1..] {
            pairs += 1;
            if pairs > MAX_PAIRS_PER_EVENT {
                break 'outer;
            }
            let (ci, cj) = (&claims[i as usize], &claims[j as usize]);
            let (ti, tj) = (ci.claim.event_type, cj.claim.event_type);
            // Claims of one event were compared in the event's own group.
            if kind == 5 && (ci.event == cj.event || !AnchorCountry::contains(ci.anchor_country, cj.anchor_country)) {
                continue;
            }
            let in_body = |c: &ClaimRow| c.claim.span.field != Field::Title;
            if kind == 4 && (in_body(ci) || in_body(cj)) && (in_body(ci) == in_body(cj) || !retells_headline(ci, cj)) {
                continue;
            }
            // Headlines of one story about what happened to different parties ("A's
            // founder arrested", "B says its founder was not arrested") are two happenings.
            if kind == 4 && parties_differ(ci, cj) {
                continue;
            }
            if kind == 4
                && (ci.event == cj.event
                    || (ti != tj && ti != "other" && tj != "other")
                    || !(same_point(&ci.claim.terms, &cj.claim.terms)
                        || ctx.refutes[i as usize]
                        || ctx.refutes[j as usize]
                        || denies_its_point(ci, cj)
                        || denies_its_point(cj, ci)))
            {
                continue;
            }
            // The conflict belongs to the event of the side `order` puts first, which
            // does not depend on reading order.
            let (pi, pj) = (
                articles[ci.article as usize].published,
                articles[cj.article as usize].published,
            );
            let event = if (pi, ci.id(articles)) <= (pj, cj.id(articles)) {
                ci.event
            } else {
                cj.event
            };
            let Some(mut c) = judge(ctx, event, ci, i, cj, j, only == Some(Kind::Numeric)) else {
                continue;
            };
            if kind == 4 && !same_point(&ci.claim.terms, &cj.claim.terms) {
                c.explanation.push_str(" (a headline calling the story false)");
            }
            if only.is_some_and(|k| k != c.kind) {
                continue;
            }
            found.push(c);
        }
    }
    found
}

/// The words that put a claim's party or place in its state: the state phrase ("is
/// staying"), else the event word that implies it ("confirms the CEO's departure").
fn state_words(c: &ClaimRow) -> &str {
    let cue = |role: &str| c.claim.cues.iter().find(|q| q.role == role);
    cue("state")
        .or_else(|| cue("event"))
        .map_or(c.claim.predicate.as_str(), |q| q.text_in(&c.claim.text))
}

/// The two claims are about different things: each has an anchor (where, else to whom,
/// else who), they differ, and neither claim names the other's. A story can hold two
/// happenings of one kind ("5 killed as dam bursts near A", "60 killed as dam bursts near
/// B"), whose figures are not one happening's; "the ministry says 900 troops are in
/// Arlow" (anchored at Arlow, naming the country) and a claim anchored at that country
/// may be about one thing.
fn anchors_differ(x: &ClaimRow, y: &ClaimRow) -> bool {
    match (x.anchor, y.anchor) {
        (Some(a), Some(b)) => a != b && !x.entities.contains(&b) && !y.entities.contains(&a),
        _ => false,
    }
}

/// The two claims tell of what happened to different parties: each is anchored at who
/// its happening is of (the one arrested, resigning, freed), and [`anchors_differ`]. An
/// anchor that is only where it happened, or a name in the claim, does not count: the
/// denial "X wasn't stolen, police say" is of the theft reported from a city.
fn parties_differ(x: &ClaimRow, y: &ClaimRow) -> bool {
    x.anchor_is_party && y.anchor_is_party && anchors_differ(x, y)
}

/// The claimer is a group named by a plural common noun ("dealers", "Western diplomats",
/// "economists"): on two days these are other people, so what they say cannot be one
/// voice reversing itself.
fn many_people(c: &ClaimRow) -> bool {
    c.claimer_id.is_none() && c.claim.speaks_for.is_none() && plural_common_noun(&c.claim.claimer)
}

/// Words that end in a plural common noun, with no capital but a first letter before it.
fn plural_common_noun(words: &str) -> bool {
    let words: Vec<&str> = words.split_whitespace().collect();
    let Some(last) = words.last() else {
        return false;
    };
    let common = |w: &str| w.chars().all(char::is_alphabetic) && w.chars().skip(1).all(|ch| !ch.is_uppercase());
    words.iter().all(|w| common(w))
        && last.chars().next().is_some_and(char::is_lowercase)
        && last.len() > 3
        && last.ends_with('s')
        && !last.ends_with("ss")
}

/// Two claims share two content words (`terms`), or name one entity (`named`: in what they
/// say or as the one saying it).
fn about_one_thing(terms: [&[u64]; 2], named: [&[u32]; 2]) -> bool {
    let shared = terms[0].iter().filter(|t| terms[1].contains(t)).count();
    shared >= 2 || named[0].iter().any(|e| named[1].contains(e))
}

/// A headline that calls its story false ("... is a hoax", "X denies the reports",
/// "doubts cast over reports of ...") speaks against every headline of the story that
/// asserts it, whatever their wording. A denial or doubt of something else ("X denies a
/// licence breach", "Y doubts the timetable") names what it disputes: it is compared
/// only with claims that make that point ([`denies_its_point`]).
fn refutes_story(c: &ClaimRow) -> bool {
    c.claim.polarity == Polarity::Deny
        && (c.claim.cues.iter().any(|q| {
            let word = q.text_in(&c.claim.text);
            q.role == "refute" && !is_doubt(word) && !accuses_a_liar(word)
        }) || (disputes(c) && names_a_report(&c.claim.text)))
}

/// A headline rejecting reports of one thing ("rejects reports passengers were confined
/// to cabins", "rejects takeover rumours") calls false only the headlines that tell of
/// that thing: those sharing a content word of the clause after the report noun (one of
/// the first four words after the denial verb) or of the words before it. Without such
/// words (or with a clause of a word or less), what it rejects is the story's point, and
/// every headline tells of it.
fn tells_of_reported(assertion: &ClaimRow, denial: &ClaimRow) -> bool {
    let lex = crate::lexicon::Lexicon::get();
    let text = &denial.claim.text;
    let Some(cue) = denial.claim.cues.iter().find(|q| q.role == "deny") else {
        return true;
    };
    let words: Vec<&str> = text
        .get(cue.end as usize..)
        .unwrap_or("")
        .split(|ch: char| !ch.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let Some(at) = words
        .iter()
        .take(4)
        .position(|w| lex.word_has(&w.to_lowercase(), |c| c == crate::lexicon::Class::Referent))
    else {
        return true;
    };
    let content = |ws: &[&str]| -> Vec<String> {
        ws.iter()
            .map(|w| w.to_lowercase())
            .filter(|w| w.len() >= 3 && !lex.is_stop(w) && !lex.word_has(w, |c| c == crate::lexicon::Class::Referent))
            .map(|w| crate::text::stem(&w).to_string())
            .collect()
    };
    // Words before the report noun say what it is about as well ("rejects takeover
    // rumours", "dismisses resignation report").
    let (about, mut clause) = (content(&words[..at]), content(&words[at + 1..]));
    if about.is_empty() && clause.len() < 2 {
        return true;
    }
    clause.extend(about);
    clause.sort_unstable();
    clause.dedup();
    // A long clause names the story's parties as well as what is denied of them ("denied
    // reports that it raised its offer for the port operator to five billion"): two of
    // its words, not one, make the assertion tell of it.
    let needed = if clause.len() > 3 { 2 } else { 1 };
    stems_told(assertion, &clause) >= needed
}

/// Two stems of one word, or one the start of the other ("meteor", "meteorit").
fn stems_match(s: &str, v: &str) -> bool {
    s == v || (s.len().min(v.len()) >= 4 && (s.starts_with(v) || v.starts_with(s)))
}

/// How many of `stems` the claim's words tell of, in any inflection ([`stems_match`]).
fn stems_told(c: &ClaimRow, stems: &[String]) -> usize {
    let mut told = vec![false; stems.len()];
    for w in c.claim.text.split(|ch: char| !ch.is_alphanumeric()) {
        let w = w.to_lowercase();
        let s = crate::text::stem(&w);
        if let Some(k) = stems.iter().position(|v| stems_match(s, v)) {
            told[k] = true;
        }
    }
    told.iter().filter(|&&t| t).count()
}

/// "lied" accuses someone of lying ("auditors say X lied about the accounts"): it calls
/// what that person said false, not the story's reports ("the story is a lie").
fn accuses_a_liar(word: &str) -> bool {
    word.eq_ignore_ascii_case("lied")
}

/// A headline denying or doubting something the story names ("coach denies rift",
/// "engineers doubt the dam caused the flood") against one that asserts it: they share
/// two content words, or one when what is disputed is a word or two ("rift"). A speaker
/// named in both is not enough ("Minister Ortal denies tax rise" against "Ortal sees
/// smaller deficit"): the speaker is not part of what is disputed.
fn denies_its_point(denial: &ClaimRow, other: &ClaimRow) -> bool {
    let (a, b) = (&denial.claim.terms, &other.claim.terms);
    let shared = a.iter().filter(|t| b.contains(t)).count();
    denial.claim.polarity == Polarity::Deny && disputes(denial) && (shared >= 2 || (shared == 1 && a.len() <= 2))
}

/// A denial verb, a retraction or a word of doubt.
fn disputes(c: &ClaimRow) -> bool {
    c.claim
        .cues
        .iter()
        .any(|q| matches!(q.role, "deny" | "retract") || (q.role == "refute" && is_doubt(q.text_in(&c.claim.text))))
}

/// The claim's own article calls false what the claim says, in another sentence that
/// shares two of its content words ("the story that the mayor was arrested ... the
/// arrest story is a hoax"): the claim retells the rumour the article refutes.
fn refutes_in_its_article(ctx: &Context, c: &ClaimRow) -> bool {
    ctx.refuting_claims.get(&c.article).is_some_and(|rs| {
        rs.iter()
            .any(|terms| c.claim.terms.iter().filter(|t| terms.contains(t)).count() >= 2)
    })
}

/// What a denial verb denies, when its clause says it with a verb: the word after the
/// clause's auxiliary ("denied that officers had beaten him" → "beaten", "denies vaccines
/// were spoiled" → "spoiled") or a gerund right after the denial ("denies paying
/// hackers"), with the word it acts on when one follows ("hackers"). Reading stops at a
/// comma and at a word opening another clause ("when they detained him", "as soon as the
/// deal takes effect"), which tells of another happening; `None` when no verb is found.
fn denied_act(c: &ClaimRow) -> Option<(&str, Option<&str>)> {
    let deny = c.claim.cues.iter().find(|q| q.role == "deny")?;
    act_after(c, deny, false)
}

/// The act a negation governs: the verb after it and any auxiliaries ("had never served
/// a notice" → "served", "was not arrested" → "arrested"). "no" negates a noun ("no oil
/// entered"), which names no act.
fn negated_act(c: &ClaimRow) -> Option<(&str, Option<&str>)> {
    let not = c.claim.cues.iter().find(|q| q.role == "negation")?;
    if not.text_in(&c.claim.text).eq_ignore_ascii_case("no") {
        return None;
    }
    act_after(c, not, true)
}

/// What a bare "no" denies, when it negates a noun and no other word denies: the noun
/// ending the words after it ("no new loans to Chile" → "loans", "no quick fix" →
/// "fix"), for a noun of intent what is intended ("no plans to sell the
/// unit" → "plans", "sell", "unit"), and where the thing is said not to be, by its last
/// word ("no rebels near the Chile border" → "rebels", "border"). `None` for the
/// debunking "No, X did not ..." (with or without its comma), and for a noun of proof
/// ("no evidence", "no sign of"), which calls what follows unfounded.
fn negated_thing(c: &ClaimRow) -> Option<Vec<&str>> {
    let text = &c.claim.text;
    let mut no = None;
    for q in &c.claim.cues {
        match q.role {
            "deny" | "refute" | "retract" => return None,
            "negation" if q.text_in(text).eq_ignore_ascii_case("no") && no.is_none() => no = Some(q),
            "negation" => return None,
            _ => {}
        }
    }
    let rest = text.get(no?.end as usize..)?;
    if rest.starts_with([',', ':', '!', '.']) {
        return None;
    }
    // "No he wasn't", "No it didn't": the debunking form without its comma.
    let first = rest
        .split_whitespace()
        .next()
        .map(clean)
        .unwrap_or("")
        .to_ascii_lowercase();
    if matches!(
        first.as_str(),
        "he" | "she" | "it" | "they" | "we" | "i" | "you" | "this" | "that"
    ) {
        return None;
    }
    const PROOF: &[&str] = &[
        "evidence",
        "proof",
        "sign",
        "signs",
        "indication",
        "basis",
        "truth",
        "confirmation",
        "link",
        "connection",
        "record",
        "trace",
    ];
    const INTENT: &[&str] = &[
        "plan",
        "plans",
        "intention",
        "intentions",
        "interest",
        "desire",
        "decision",
        "talks",
        "offer",
        "bid",
    ];
    let lex = crate::lexicon::Lexicon::get();
    let mut words: Vec<&str> = Vec::new();
    // What follows the noun: what is intended (every word), or where (its last word).
    let (mut intent, mut place) = (false, None);
    for raw in rest.split_whitespace().take(6) {
        let word = clean(raw);
        let lower = word.to_ascii_lowercase();
        if lex.is_stop(&lower) || word.is_empty() {
            // "plans to sell", "interest in buying": read on to what is intended; "no
            // rebels near the border": to where they are said not to be.
            if !words.is_empty() && intent && matches!(lower.as_str(), "to" | "in" | "of" | "for") {
                continue;
            }
            if !words.is_empty()
                && !intent
                && matches!(lower.as_str(), "on" | "at" | "near" | "across" | "inside" | "along")
            {
                place = Some(None);
                continue;
            }
            if place.is_some() && matches!(lower.as_str(), "the" | "a" | "an" | "its" | "their") {
                continue;
            }
            // "no new loans", "no more troops": the noun comes later.
            if words.is_empty() && !word.is_empty() && !raw.ends_with(|ch: char| !ch.is_alphanumeric()) {
                continue;
            }
            break;
        }
        if PROOF.contains(&lower.as_str()) {
            return None;
        }
        if word.len() >= 3 {
            if let Some(last) = place.as_mut() {
                *last = Some(word);
            } else if intent {
                words.push(word);
            } else {
                // Adjectives before the noun say less than the noun: keep the last word.
                words.clear();
                words.push(word);
                intent = INTENT.contains(&lower.as_str());
            }
        }
        // A mark ends the phrase; the stop of an abbreviation ("U.S.") does not.
        let abbreviation = raw.ends_with('.') && word.contains('.');
        if raw.ends_with(|ch: char| !ch.is_alphanumeric()) && !abbreviation {
            break;
        }
    }
    words.extend(place.flatten());
    (!words.is_empty()).then_some(words)
}

/// The claim tells of one of `words` (see [`negated_thing`]), in any inflection.
fn tells_of_thing(c: &ClaimRow, words: &[&str]) -> bool {
    let stems: Vec<String> = words
        .iter()
        .map(|w| crate::text::stem(&w.to_lowercase()).to_string())
        .collect();
    stems_told(c, &stems) > 0
}

/// The act read after `cue` (see [`denied_act`]); `after_aux` when the verb comes next.
fn act_after<'c>(c: &'c ClaimRow, cue: &Cue, after_aux: bool) -> Option<(&'c str, Option<&'c str>)> {
    const AUXILIARIES: &[&str] = &[
        "was", "were", "is", "are", "had", "has", "have", "been", "would", "will", "could", "did", "does",
    ];
    // Between an auxiliary and its verb.
    const ADVERBS: &[&str] = &[
        "been", "being", "be", "ever", "already", "also", "still", "actually", "really",
    ];
    const CLAUSE_OPENERS: &[&str] = &[
        "when", "as", "after", "before", "while", "because", "since", "until", "if", "but", "although",
    ];
    const DETERMINERS: &[&str] = &[
        "a", "an", "the", "his", "her", "its", "their", "any", "this", "these", "those",
    ];
    let rest = c.claim.text.get(cue.end as usize..)?;
    let lex = crate::lexicon::Lexicon::get();
    let mut words = rest.split_whitespace();
    let mut after_aux = after_aux;
    let mut k = 0;
    let verb = loop {
        let raw = words.next()?;
        let word = clean(raw);
        let lower = word.to_ascii_lowercase();
        let first = k == 0;
        k += 1;
        if after_aux {
            if ADVERBS.contains(&lower.as_str()) {
                continue;
            }
            let plain = word.len() >= 3 && word.bytes().all(|b| b.is_ascii_lowercase());
            if !plain || lex.is_stop(word) {
                return None;
            }
            break (word, raw);
        }
        if CLAUSE_OPENERS.contains(&lower.as_str()) || raw.ends_with([',', ';', ':']) {
            return None;
        }
        // "denies paying hackers", "denied having paid": the gerund is the verb.
        if first && matches!(lower.as_str(), "having" | "being") {
            after_aux = true;
            continue;
        }
        if first && is_gerund(word) {
            break (word, raw);
        }
        after_aux = AUXILIARIES.contains(&lower.as_str());
    };
    let (verb, raw) = verb;
    if raw.ends_with(|ch: char| !ch.is_alphanumeric()) {
        return Some((verb, None));
    }
    // A light verb says little on its own ("taking the keys", "caused the outage"): what
    // it acts on, the noun after any determiner or participle, says what is denied.
    const LIGHT: &[&str] = &[
        "taking", "took", "taken", "making", "made", "causing", "caused", "giving", "gave", "given", "getting", "got",
        "doing", "done", "holding", "held", "putting", "put", "sending", "sent", "carrying", "carried",
    ];
    if !LIGHT.contains(&verb) {
        return Some((verb, None));
    }
    let object = words
        .map(clean)
        .take(3)
        .find(|w| {
            let l = w.to_ascii_lowercase();
            !DETERMINERS.contains(&l.as_str()) && !l.ends_with("ed") && !l.ends_with("ing")
        })
        .filter(|w| w.len() >= 3 && w.chars().all(char::is_alphabetic) && !lex.is_stop(&w.to_lowercase()));
    Some((verb, object))
}

/// A denial's act and what it acts on, read after the denial verb: "denied that officers
/// had fired tear gas at fans" → ("fired", ["tear", "gas"]). `None` when the act has no
/// such words: a bare act ("denied that he had resigned") says too little to be looked
/// for outside its event.
fn denied_act_words(c: &ClaimRow) -> Option<(&str, Vec<&str>)> {
    let (verb, _) = denied_act(c)?;
    let deny = c.claim.cues.iter().find(|q| q.role == "deny")?;
    let rest = c.claim.text.get(deny.end as usize..)?;
    let at = rest.find(verb)? + verb.len();
    let lex = crate::lexicon::Lexicon::get();
    let mut objects = Vec::new();
    for raw in rest.get(at..)?.split_whitespace() {
        let word = clean(raw);
        let lower = word.to_ascii_lowercase();
        let content =
            word.len() >= 3 && word.bytes().all(|b| b.is_ascii_lowercase()) && !lex.is_stop(&lower) && !lex.has(&lower);
        if content {
            objects.push(word);
        } else if !objects.is_empty() || !lex.is_stop(&lower) {
            break;
        }
        if objects.len() == 2 || raw.ends_with(|ch: char| !ch.is_alphanumeric()) {
            break;
        }
    }
    (!objects.is_empty()).then_some((verb, objects))
}

/// The words before an act retell a claim rather than assert it: a noun for a claim
/// followed by "that" ("witness accounts that tear gas was fired", "reports that").
fn retold(before: &[&str]) -> bool {
    let lex = crate::lexicon::Lexicon::get();
    before.windows(2).any(|w| {
        w[1].eq_ignore_ascii_case("that")
            && lex.word_has(&w[0].to_lowercase(), |c| c == crate::lexicon::Class::Referent)
    })
}

/// Denials of an act named with what it acts on, against assertions of their story in
/// other events that tell of that act: its verb and one of the words it acts on
/// ("police fired tear gas into the stand"). Claims of one event were compared there.
fn judge_acts(ctx: &Context, claims: &[ClaimRow], members: &[u32]) -> Vec<Conflict> {
    let lex = crate::lexicon::Lexicon::get();
    let stem = |w: &str| crate::text::stem(&w.to_lowercase()).to_string();
    // Each denial's act as stems: the verb, and the words it acts on.
    let denials: Vec<(u32, String, Vec<String>)> = members
        .iter()
        .filter(|&&d| claims[d as usize].claim.polarity == Polarity::Deny)
        .filter_map(|&d| {
            let (verb, objects) = denied_act_words(&claims[d as usize])?;
            Some((d, stem(verb), objects.iter().map(|w| stem(w)).collect()))
        })
        .collect();
    let mut found = Vec::new();
    if denials.is_empty() {
        return found;
    }
    for &o in members {
        let other = &claims[o as usize];
        if other.claim.polarity != Polarity::Assert {
            continue;
        }
        let raw: Vec<&str> = other
            .claim
            .text
            .split(|ch: char| !ch.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        // An assertion that also holds a denial ("resigned, but denied he was ...") is no
        // telling of the act.
        if raw
            .iter()
            .any(|w| lex.word_has(&w.to_lowercase(), |c| c == crate::lexicon::Class::Deny))
        {
            continue;
        }
        let words: Vec<String> = raw.iter().map(|w| stem(w)).collect();
        for (d, verb, objects) in &denials {
            let denial = &claims[*d as usize];
            if other.article == denial.article || other.event == denial.event {
                continue;
            }
            let Some(at) = words.iter().position(|w| w == verb) else {
                continue;
            };
            if !objects.iter().any(|w| words.contains(w)) || retold(&raw[..at]) {
                continue;
            }
            let (pd, po) = (
                ctx.articles[denial.article as usize].published,
                ctx.articles[other.article as usize].published,
            );
            let event = if (pd, denial.id(ctx.articles)) <= (po, other.id(ctx.articles)) {
                denial.event
            } else {
                other.event
            };
            if let Some(c) = judge(ctx, event, other, o, denial, *d, false).filter(|c| c.kind == Kind::Denial) {
                found.push(c);
            }
        }
    }
    found
}

/// The two words that named the claims' happenings are of different event types in
/// the lexicon ("seized" and "released", brought into one type by what they act on): two
/// dates for them are dates of two happenings.
fn told_apart(x: &str, y: &str) -> bool {
    let lex = crate::lexicon::Lexicon::get();
    let types = |p: &str| -> Vec<&'static str> {
        let lower = p.to_lowercase();
        let words: Vec<&str> = lower.split_whitespace().collect();
        let mut found = Vec::new();
        if !words.is_empty() {
            lex.push_matches(&words, 0, &mut found);
        }
        found
            .iter()
            .filter_map(|m| match m.class {
                crate::lexicon::Class::Event(e) => Some(lex.event_types[e as usize]),
                _ => None,
            })
            .collect()
    };
    let (tx, ty) = (types(x), types(y));
    !tx.is_empty() && !ty.is_empty() && !tx.iter().any(|t| ty.contains(t))
}

/// The claim's state word tells of a change into the state ("reopened", "retook",
/// "released"), which implies the other state before it.
fn tells_a_change(c: &ClaimRow) -> bool {
    c.claim
        .cues
        .iter()
        .filter(|q| matches!(q.role, "state" | "event"))
        .any(|q| {
            let w = q.text_in(&c.claim.text).to_ascii_lowercase();
            [
                "reopen",
                "retook",
                "retake",
                "recapture",
                "regain",
                "resume",
                "restore",
                "reinstate",
                "release",
                "freed",
                "lifted",
            ]
            .iter()
            .any(|p| w.starts_with(p))
        })
}

/// A word without the punctuation around it (an apostrophe inside stays).
fn clean(raw: &str) -> &str {
    raw.trim_matches(|ch: char| !ch.is_alphanumeric() && ch != '\'')
}

/// A verb's -ing form, not a noun ending so ("wrongdoing", "anything").
fn is_gerund(word: &str) -> bool {
    word.len() >= 5
        && word.ends_with("ing")
        && word.bytes().all(|b| b.is_ascii_lowercase())
        && !word.ends_with("thing")
        && !matches!(
            word,
            "wrongdoing" | "wedding" | "building" | "meeting" | "funding" | "ruling" | "morning" | "evening"
        )
}

/// The claim tells of the denied act: its verb (any inflection, or a word of the
/// claim's event type) or what it acts on ("denies taking the keys" against "took the
/// keys"). Any claim does when the denial names no act.
fn tells_of(c: &ClaimRow, act: Option<(&str, Option<&str>)>) -> bool {
    let Some((verb, object)) = act else { return true };
    let lex = crate::lexicon::Lexicon::get();
    let mut found = Vec::new();
    lex.push_matches(&[verb], 0, &mut found);
    let same_type = found.iter().any(
        |m| matches!(m.class, crate::lexicon::Class::Event(e) if lex.event_types[e as usize] == c.claim.event_type),
    );
    if same_type {
        return true;
    }
    let stems: Vec<String> = [Some(verb), object]
        .into_iter()
        .flatten()
        .map(|w| crate::text::stem(&w.to_lowercase()).to_string())
        .collect();
    stems_told(c, &stems) > 0
}

/// The claim's only denying words are words of doubt ([`is_doubt`]).
fn only_doubts(c: &ClaimRow) -> bool {
    let mut any = false;
    for q in &c.claim.cues {
        if matches!(q.role, "deny" | "retract" | "negation")
            || (q.role == "refute" && !is_doubt(q.text_in(&c.claim.text)))
        {
            return false;
        }
        if q.role == "refute" {
            any = true;
        }
    }
    any
}

/// Words that doubt or play down a report rather than call it false.
fn is_doubt(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    ["doubt", "cast", "raise", "question", "skeptic", "sceptic", "exaggerat"]
        .iter()
        .any(|d| w.starts_with(d))
}

/// True when the text names a report, claim or rumour ("denies rumours", "rejects the
/// report").
fn names_a_report(text: &str) -> bool {
    let lex = crate::lexicon::Lexicon::get();
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 4)
        .any(|w| lex.word_has(&w.to_lowercase(), |c| c == crate::lexicon::Class::Referent))
}

/// A body sentence refutes a headline when it calls something false ("proved a hoax",
/// "not real") in words that retell most of the headline (at least three of them).
fn retells_headline(x: &ClaimRow, y: &ClaimRow) -> bool {
    let (body, head) = if x.claim.span.field == Field::Title {
        (y, x)
    } else {
        (x, y)
    };
    // Doubt ("doubted", "skeptical about") is an opinion in a body sentence, not a
    // finding that the story is false.
    let refutes = body
        .claim
        .cues
        .iter()
        .any(|q| q.role == "refute" && !is_doubt(q.text_in(&body.claim.text)));
    let shared = head.claim.terms.iter().filter(|t| body.claim.terms.contains(t)).count();
    refutes && shared >= 3 && same_point(&head.claim.terms, &body.claim.terms)
}

/// Two headlines make the same point when most content words of the shorter one are in
/// the other (at least two).
fn same_point(a: &[u64], b: &[u64]) -> bool {
    let shared = a.iter().filter(|t| b.contains(t)).count();
    shared >= 2 && 2 * shared >= a.len().min(b.len())
}

/// Counts of people (the dead, troops, strikers): figures news reports of one happening
/// disagree about. Other figures (money, percentages) vary for many reasons within one
/// story and are compared only inside one event, for the same holder.
fn is_headcount(unit: &str) -> bool {
    matches!(
        unit,
        "troops"
            | "dead"
            | "injured"
            | "missing"
            | "displaced"
            | "arrested"
            | "strikers"
            | "workers"
            | "aboard"
            | "sick"
            | "isolated"
    ) || unit.starts_with("people")
}

/// Counts that only grow while a happening unfolds: people killed, hurt, driven from
/// their homes or arrested are not un-killed or un-arrested by the next day's count. The
/// missing (found or counted dead) and those on strike or aboard go down as well as up.
fn only_grows(unit: &str) -> bool {
    matches!(unit, "dead" | "injured" | "displaced" | "arrested")
}

/// What `judge` needs beyond the two claims.
struct Context<'a> {
    articles: &'a [ArticleRow],
    /// Share of denying claims in each event, and the number of voices that deny in a
    /// headline.
    deny_share: FxHashMap<u32, (f32, usize)>,
    /// (article, event) pairs where the article denies the event.
    denied_by_article: FxHashSet<(u32, u32)>,
    /// Per claim: it calls its story false ([`refutes_story`]).
    refutes: Vec<bool>,
    /// Per article, the content words of its claims that call their story false.
    refuting_claims: FxHashMap<u32, Vec<&'a [u64]>>,
}

/// Events where nearly everyone agrees: a lone dissent read from weak evidence (a bare
/// negation against a crowd of assertions, a hedged report against a crowd of denials) is
/// more likely a misreading than a contradiction, and is kept only at low confidence.
const CONSENSUS: f32 = 0.8;
const LONE_DISSENT: f32 = 0.3;
/// Headline denials from more voices than this are a dissent of their own, however few
/// they are against the crowd.
const LONE_VOICES: usize = 2;

/// Judges one pair of claims of the same event.
fn judge(
    ctx: &Context,
    event: u32,
    x: &ClaimRow,
    xi: u32,
    y: &ClaimRow,
    yi: u32,
    figures_only: bool,
) -> Option<Conflict> {
    let articles = ctx.articles;
    let (ax, ay) = (&articles[x.article as usize], &articles[y.article as usize]);
    // Copies of one wire story are one voice, and never contradict each other.
    if x.article != y.article && ax.wire == ay.wire {
        return None;
    }
    // An outlet's report retold in another article is that outlet's claim, judged where
    // the outlet speaks itself; in the retelling article it is only checked against what
    // that article adds.
    if x.article != y.article && (x.retells || y.retells) {
        return None;
    }
    let same_voice = x.voice == y.voice;
    // Assert and deny must be about the same doer: "Russia took Kursk" is not denied by
    // "Ukraine did not lose it" unless both name the same agent (or one names none).
    let agents_differ = matches!((&x.agent_side, &y.agent_side), (Some(a), Some(b)) if a != b);
    let (cx, cy) = (&x.claim, &y.claim);
    let modality = modality_factor(x).min(modality_factor(y));
    let aligned = if cx.event_type == "other" {
        0.8
    } else if x.anchor.is_some() && x.anchor == y.anchor {
        1.0
    } else {
        0.85
    };
    let mut explanation = String::new();
    if same_voice {
        // Reversal: the same voice, opposite polarity, later in time.
        // Only a named claimer reverses itself; an outlet's own voice across its articles
        // (a rumour reported, then a denial reported) is reporting, not a reversal.
        if cx.polarity == cy.polarity
            || x.article == y.article
            || agents_differ
            || x.voice.starts_with("outlet:")
            || many_people(x)
            || many_people(y)
        {
            return None;
        }
        let (dx, dy) = (ax.published?, ay.published?);
        if dx == dy {
            return None;
        }
        // One voice on two days says many things about one event; a reversal says the same
        // thing the other way, so the two share at least two content words, unless one
        // points back at the other ("... days after denial").
        let shared = cx.terms.iter().filter(|t| cy.terms.contains(t)).count();
        if shared < 2 && x.refers_to.is_none() && y.refers_to.is_none() {
            return None;
        }
        // "a suit by the lenders would hurt both sides" and, a week on, "denied rumours
        // that the lenders had filed suit": the denial names an act the assertion does not
        // tell of, so neither takes the other back.
        let (assertion, denial) = if cx.polarity == Polarity::Deny { (y, x) } else { (x, y) };
        if x.refers_to.is_none() && y.refers_to.is_none() && !tells_of(assertion, denied_act(denial)) {
            return None;
        }
        let (first, fi, later, li) = if dx < dy { (x, xi, y, yi) } else { (y, yi, x, xi) };
        if modality < 0.5 {
            return None;
        }
        let d1 = crate::date::format_date(articles[first.article as usize].published?);
        let d2 = crate::date::format_date(articles[later.article as usize].published?);
        let cues = cue_words(
            if later.claim.polarity == Polarity::Deny {
                later
            } else {
                first
            },
            &["deny", "retract", "negation", "refute"],
        );
        let _ = write!(
            explanation,
            "reversal: {} {} on {} and {} on {} ({})",
            speaker(first, articles),
            if first.claim.polarity == Polarity::Assert {
                "asserted it"
            } else {
                "denied it"
            },
            d1,
            if later.claim.polarity == Polarity::Assert {
                "asserted it"
            } else {
                "denied it"
            },
            d2,
            cues
        );
        return Some(make(
            event,
            Kind::Reversal,
            0.8 * modality * aligned,
            fi,
            li,
            first.id(articles),
            later.id(articles),
            explanation,
        ));
    }
    if figures_only {
        return judge_figures(event, x, xi, y, yi, articles, agents_differ, modality);
    }
    let (ex, ey) = (effective_state(x), effective_state(y));
    // "X has not resigned" and "X stays in office" agree: denying one state of a pair
    // asserts the other.
    let states_agree = matches!((ex, ey), (Some(a), Some(b)) if a == b);
    let states_oppose = matches!((ex, ey), (Some(a), Some(b)) if a.0 == b.0 && a.1 != b.1);
    if cx.polarity != cy.polarity && (!agents_differ || states_oppose) && !states_agree {
        let (a, ai, b, bi) = if cx.polarity == Polarity::Assert {
            (x, xi, y, yi)
        } else {
            (y, yi, x, xi)
        };
        // The asserting side's own article denies the event, or calls false what the
        // assertion says: its assertion retells what the article goes on to deny, and
        // the article stands with the other side.
        if a.article != b.article
            && (ctx.denied_by_article.contains(&(a.article, a.event)) || refutes_in_its_article(ctx, a))
        {
            return None;
        }
        let mut strength = denial_strength(b);
        let linked = b.refers_to == Some(ai);
        // A denial and an assertion that share no content word are about different
        // things, however their event was formed ("the port saw no delays" against a
        // headline on the port's new crane), unless the denial points back at the claim,
        // the two put one party in opposite states, or a headline calls the whole story
        // false.
        let headlines = a.claim.span.field == Field::Title && b.claim.span.field == Field::Title;
        let shares_a_word = a.claim.terms.iter().any(|t| b.claim.terms.contains(t));
        // A headline calling reports false answers the reports already out: a headline
        // of a later day tells what happened since ("rejects reports of a takeover" on
        // Monday, "shares jump on takeover talk" on Friday), and is held to the checks
        // below.
        let answered = match (
            articles[a.article as usize].published,
            articles[b.article as usize].published,
        ) {
            (Some(da), Some(db)) => da <= db,
            _ => true,
        };
        let story_false = headlines && answered && ctx.refutes[bi as usize] && tells_of_reported(a, b);
        if !(shares_a_word || linked || states_oppose || story_false) {
            return None;
        }
        // "denied that officers had beaten him": the denial is of the beating, and an
        // assertion that tells of something else in its words (the detention) is not
        // denied by it, however many names the two share.
        if !linked && !states_oppose && !story_false && !tells_of(a, denied_act(b)) {
            return None;
        }
        // "rejects takeover rumours", "denied reports that it raised its offer": a denial of
        // reports of one thing is set only against claims that tell of it.
        if !linked && !states_oppose && ctx.refutes[bi as usize] && !tells_of_reported(a, b) {
            return None;
        }
        // "no new loans to Chile" denies loans, not every report on Chile.
        if !linked && !states_oppose && !story_false && negated_thing(b).is_some_and(|w| !tells_of_thing(a, &w)) {
            return None;
        }
        // Two body sentences: a negation of another verb than the happening's ("did not
        // give the casualties", "will not attend the talks") says nothing against an
        // assertion that does not tell of that act. A negation of the happening's own word
        // ("has never taken a single euro") denies the happening itself.
        let in_body = a.claim.span.field != Field::Title && b.claim.span.field != Field::Title;
        if in_body && !linked && !states_oppose && denied_act(b).is_none() {
            let act = negated_act(b).filter(|(verb, _)| !verb.eq_ignore_ascii_case(&b.claim.predicate));
            if !tells_of(a, act) {
                return None;
            }
        }
        // Two body sentences are held to more than one shared word: unlike headlines, which
        // state a story's point, they tell of many things ("doubted he would win another
        // title" against "her win was her third this year"). Two content words, or a name
        // in both, make it one thing.
        let named = |c: &ClaimRow| c.entities.iter().copied().chain(c.claimer_id).collect::<Vec<u32>>();
        let one_thing = || about_one_thing([&a.claim.terms, &b.claim.terms], [&named(a), &named(b)]);
        if in_body && !linked && !states_oppose && !one_thing() {
            return None;
        }
        // Doubt in a body sentence ("engineers doubted the dam would be finished by June",
        // "doubts remain about the plan") is an opinion about what the other claim says,
        // not a report that it did not happen; in a headline it is the story's point and
        // stays.
        if in_body && !linked && only_doubts(b) {
            return None;
        }
        if linked {
            strength = 1.0;
        }
        let link_bonus = if linked { 1.1 } else { 1.0 };
        // The word of the happening, when the assertion says it; a headline that took its
        // event from its lead, or a claim that took another's proposition, is quoted.
        let mut what = a.claim.predicate.clone();
        if what.is_empty() || !a.claim.text.to_lowercase().contains(&what.to_lowercase()) {
            what = shorten(&a.claim.text, 80);
        }
        let _ = write!(
            explanation,
            "denial: {} denies what {} asserts",
            speaker(b, articles),
            speaker(a, articles)
        );
        let cues = cue_words(b, &["deny", "negation", "refute", "retract", "antecedent"]);
        if !cues.is_empty() {
            let _ = write!(explanation, " ({cues}");
            if linked {
                let _ = write!(explanation, " refers to {}'s claim", speaker(a, articles));
            }
            explanation.push(')');
        }
        let _ = write!(explanation, ": '{what}'");
        let mut conf = 0.85 * strength * modality * aligned * link_bonus;
        if x.event == y.event {
            let (share, voices) = ctx.deny_share.get(&x.event).copied().unwrap_or((0.0, 0));
            let bare_negation = strength < 0.86 && !linked;
            if (share <= 1.0 - CONSENSUS && voices <= LONE_VOICES && bare_negation)
                || (share >= CONSENSUS && a.claim.modality != Modality::Certain)
            {
                conf *= LONE_DISSENT;
                explanation.push_str(" (low: a lone dissent against the event's consensus)");
            }
        }
        // "refuses to free the mayor" against "the mayor was freed": a refusal does not
        // deny a report, it keeps the other state of the pair, so the two put the mayor
        // in states that exclude each other.
        let refusal = b.claim.cues.iter().find(|q| {
            q.role == "negation"
                && q.text_in(&b.claim.text)
                    .get(..5)
                    .is_some_and(|w| w.eq_ignore_ascii_case("refus"))
        });
        if let (Some(q), Some(sa)) = (refusal, effective_state(a)) {
            if let Some(sb) = crate::lexicon::Lexicon::get().other_state(sa) {
                explanation.clear();
                let _ = write!(
                    explanation,
                    "exclusive_state: {} says '{}' ({}: {}) but {} says '{}' ({}: {})",
                    speaker(a, articles),
                    state_words(a),
                    sa.0,
                    sa.1,
                    speaker(b, articles),
                    format!("{} {}", q.text_in(&b.claim.text), b.claim.predicate).trim_end(),
                    sb.0,
                    sb.1
                );
                return Some(make(
                    event,
                    Kind::ExclusiveState,
                    conf,
                    ai,
                    bi,
                    a.id(articles),
                    b.id(articles),
                    explanation,
                ));
            }
        }
        return Some(make(
            event,
            Kind::Denial,
            conf,
            ai,
            bi,
            a.id(articles),
            b.id(articles),
            explanation,
        ));
    }
    if cx.polarity == Polarity::Deny || cy.polarity == Polarity::Deny {
        return None;
    }
    // Both assert.
    if let (Some(sx), Some(sy)) = (ex, ey) {
        if sx.0 == sy.0 && sx.1 != sy.1 {
            // The states must hold at one time: a date the claim gives its event ("was
            // kidnapped in March 2023") comes before the article's own.
            let when = |c: &ClaimRow, a: &ArticleRow| c.claim.time.map(|t| t.date).or(a.published);
            let close = match (when(x, ax), when(y, ay)) {
                (Some(p), Some(q)) => (p - q).whole_days().abs() <= 7,
                _ => true,
            };
            // "closed on Tuesday" and "reopened on Thursday": when both give the day,
            // and the later one tells of a change back, the two are a sequence.
            let changed_back = match (cx.time, cy.time) {
                (Some(tx), Some(ty))
                    if tx.precision == crate::date::Precision::Day
                        && ty.precision == crate::date::Precision::Day
                        && tx.date != ty.date =>
                {
                    tells_a_change(if tx.date > ty.date { x } else { y })
                }
                _ => false,
            };
            let close = close && !changed_back;
            if close {
                let (a, ai, b, bi) = order(x, xi, y, yi, articles);
                let (wa, wb) = (state_words(a), state_words(b));
                let (sa, sb) = (effective_state(a).unwrap_or(sx), effective_state(b).unwrap_or(sy));
                let _ = write!(
                    explanation,
                    "exclusive_state: {} says '{}' ({}: {}) but {} says '{}' ({}: {})",
                    speaker(a, articles),
                    wa,
                    sa.0,
                    sa.1,
                    speaker(b, articles),
                    wb,
                    sb.0,
                    sb.1
                );
                return Some(make(
                    event,
                    Kind::ExclusiveState,
                    0.75 * modality * aligned,
                    ai,
                    bi,
                    a.id(articles),
                    b.id(articles),
                    explanation,
                ));
            }
        }
    }
    if let Some(c) = judge_figures(event, x, xi, y, yi, articles, agents_differ, modality) {
        if cx.event_type != "other" {
            return Some(c);
        }
    }
    if let (Some(tx), Some(ty)) = (cx.time, cy.time) {
        // Two dates contradict only for a happening that occurs once for its anchor, told
        // in one story, with both dates stated plainly.
        let once = crate::lexicon::Lexicon::get().once_events.contains(&cx.event_type);
        let one_story = ax.story == ay.story
            && x.anchor.is_some()
            && (x.anchor == y.anchor || AnchorCountry::contains(x.anchor_country, y.anchor_country));
        let typed = once
            && one_story
            && modality >= 1.0
            && cx.event_type == cy.event_type
            && !told_apart(&cx.predicate, &cy.predicate);
        if typed
            && tx.precision == crate::date::Precision::Day
            && ty.precision == crate::date::Precision::Day
            && tx.excludes(&ty)
        {
            let (a, ai, b, bi) = order(x, xi, y, yi, articles);
            let _ = write!(
                explanation,
                "temporal: {} dates '{}' to {} but {} to {}",
                speaker(a, articles),
                if a.claim.predicate.is_empty() {
                    a.claim.event_type
                } else {
                    a.claim.predicate.as_str()
                },
                a.claim.time?,
                speaker(b, articles),
                b.claim.time?
            );
            return Some(make(
                event,
                Kind::Temporal,
                0.7 * modality * aligned,
                ai,
                bi,
                a.id(articles),
                b.id(articles),
                explanation,
            ));
        }
    }
    None
}

/// Figures of one happening that cannot both be right: same unit, event types that agree
/// (or one untyped), the same doer when both name one, and not about two different
/// places or parties ([`anchors_differ`]).
#[allow(clippy::too_many_arguments)]
fn judge_figures(
    event: u32,
    x: &ClaimRow,
    xi: u32,
    y: &ClaimRow,
    yi: u32,
    articles: &[ArticleRow],
    agents_differ: bool,
    modality: f32,
) -> Option<Conflict> {
    let (cx, cy) = (&x.claim, &y.claim);
    let (qx, qy) = (cx.quantity.as_ref()?, cy.quantity.as_ref()?);
    let types_agree = cx.event_type == cy.event_type || cx.event_type == "other" || cy.event_type == "other";
    let holders_differ = matches!((&qx.holder, &qy.holder), (Some(a), Some(b)) if a != b);
    let holders_known = qx.holder.is_some() && qx.holder == qy.holder;
    if !is_headcount(&qx.unit) && (!holders_known || x.event != y.event || !same_measure(cx, qx, cy, qy)) {
        return None;
    }
    if x.voice == y.voice
        || agents_differ
        || holders_differ
        || figure_shape(&cx.text, &qx.text) != figure_shape(&cy.text, &qy.text)
        || !types_agree
        || anchors_differ(x, y)
        || !quantities_conflict(qx, qy)
    {
        return None;
    }
    if x.article != y.article && articles[x.article as usize].wire == articles[y.article as usize].wire {
        return None;
    }
    // A count that only grows as a happening unfolds (the dead, the displaced), given
    // higher on a later day, is an update: "six dead" on Monday, "14 dead" on Wednesday.
    // Two counts both taken before something ("evacuated before the storm struck") are
    // of one moment, whenever they were reported.
    let before = |t: &str| t.contains(" before ") || t.contains(" ahead of ");
    if only_grows(&qx.unit) && !(before(&cx.text) && before(&cy.text)) {
        let (dx, dy) = (
            articles[x.article as usize].published,
            articles[y.article as usize].published,
        );
        if let (Some(dx), Some(dy)) = (dx, dy) {
            let (early, late) = if dx < dy { (qx, qy) } else { (qy, qx) };
            if dx != dy && late.low > early.high {
                return None;
            }
        }
    }
    let aligned = if cx.event_type == cy.event_type && cx.event_type != "other" {
        1.0
    } else {
        0.85
    };
    let (a, ai, b, bi) = order(x, xi, y, yi, articles);
    let (qa, qb) = (a.claim.quantity.as_ref()?, b.claim.quantity.as_ref()?);
    let ratio = (qa.value.max(qb.value) / qa.value.min(qb.value).max(1e-9)).min(10.0) as f32;
    let mut explanation = String::new();
    let _ = write!(
        explanation,
        "numeric: {} gives '{}' and {} gives '{}' ({} {}–{} vs {}–{}: no overlap)",
        speaker(a, articles),
        qa.text,
        speaker(b, articles),
        qb.text,
        qa.unit,
        fmt_num(qa.low),
        fmt_num(qa.high),
        fmt_num(qb.low),
        fmt_num(qb.high)
    );
    let conf = (0.55 + 0.1 * ratio.ln()).min(0.85) * modality * aligned;
    Some(make(
        event,
        Kind::Numeric,
        conf,
        ai,
        bi,
        a.id(articles),
        b.id(articles),
        explanation,
    ))
}

/// Two figures of a unit that is not a headcount (tonnes, dollars, percent) measure one
/// thing when a content word near one is near the other too: "exports of 152,600 tonnes"
/// and "a harvest of 2.6 million tonnes" are two measures, "sugar exports fell to 80,500
/// tonnes" and "exports of 270,400 tonnes" may be one.
fn same_measure(cx: &crate::model::Claim, qx: &Quantity, cy: &crate::model::Claim, qy: &Quantity) -> bool {
    let lex = crate::lexicon::Lexicon::get();
    let near = |text: &str, figure: &str| -> Vec<String> {
        let Some(at) = text.find(figure).filter(|_| !figure.is_empty()) else {
            return Vec::new();
        };
        let before = text[..at]
            .split(|ch: char| !ch.is_alphanumeric())
            .rev()
            .filter(|w| !w.is_empty())
            .take(5);
        let after = text[at + figure.len()..]
            .split(|ch: char| !ch.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(5);
        before
            .chain(after)
            .map(str::to_lowercase)
            .filter(|w| w.len() >= 3 && w.chars().all(char::is_alphabetic) && !lex.is_stop(w))
            .map(|w| crate::text::stem(&w).to_string())
            .collect()
    };
    let (a, b) = (near(&cx.text, &qx.text), near(&cy.text, &qy.text));
    a.iter().any(|w| b.iter().any(|v| stems_match(w, v)))
}

/// What a figure counts, read from the words around it in `text`: (an increment, a rate,
/// a sum over sides). "another 300 staff" adds to a total, "18 dollars a share" is per
/// unit, "five soldiers from both sides" sums what each side counts ("two soldiers"):
/// none is comparable with a plain figure ("900 staff", "45 million dollars"), only with
/// a figure of the same shape.
fn figure_shape(text: &str, figure: &str) -> (bool, bool, bool) {
    let Some(at) = text.find(figure).filter(|_| !figure.is_empty()) else {
        return (false, false, false);
    };
    let near: Vec<String> = text[at + figure.len()..]
        .split_whitespace()
        .take(6)
        .map(|w| w.trim_end_matches(|ch: char| !ch.is_alphabetic()).to_ascii_lowercase())
        .collect();
    let sides = near
        .windows(2)
        .any(|w| matches!(w[0].as_str(), "both" | "two" | "all") && w[1] == "sides");
    let before = text[..at].split_whitespace().last().unwrap_or("").to_ascii_lowercase();
    let mut after = text[at + figure.len()..]
        .split_whitespace()
        .map(|w| w.to_ascii_lowercase());
    let increment = matches!(before.as_str(), "another" | "further" | "additional" | "extra");
    let word = |w: Option<String>| {
        w.unwrap_or_default()
            .trim_end_matches(|ch: char| !ch.is_alphabetic())
            .to_string()
    };
    let (a1, a2) = (word(after.next()), word(after.next()));
    let per_unit = matches!(
        a2.as_str(),
        "share"
            | "barrel"
            | "tonne"
            | "ton"
            | "ounce"
            | "pound"
            | "bushel"
            | "kilo"
            | "litre"
            | "liter"
            | "gallon"
            | "unit"
            | "head"
            | "person"
            | "day"
            | "week"
            | "month"
            | "year"
            | "hour"
    );
    let rate = (matches!(a1.as_str(), "a" | "an" | "per") && per_unit) || a1 == "each";
    (increment, rate, sides)
}

/// The state a claim puts its subject in: the stated one when it asserts, the other state
/// of a two-state group when it denies ("has not resigned" → in office).
fn effective_state(c: &ClaimRow) -> Option<(&'static str, &'static str)> {
    let (group, state) = c.claim.state?;
    if c.claim.polarity == Polarity::Assert {
        return Some((group, state));
    }
    crate::lexicon::Lexicon::get().other_state((group, state))
}

/// Earlier article first, then the smaller claim id (then input order), so which side
/// is which does not depend on the order articles are read in.
fn order<'a>(
    x: &'a ClaimRow,
    xi: u32,
    y: &'a ClaimRow,
    yi: u32,
    articles: &[ArticleRow],
) -> (&'a ClaimRow, u32, &'a ClaimRow, u32) {
    let kx = (articles[x.article as usize].published, x.id(articles), xi);
    let ky = (articles[y.article as usize].published, y.id(articles), yi);
    if kx <= ky {
        (x, xi, y, yi)
    } else {
        (y, yi, x, xi)
    }
}

#[allow(clippy::too_many_arguments)]
fn make(
    event: u32,
    kind: Kind,
    confidence: f32,
    ai: u32,
    bi: u32,
    a: ClaimId,
    b: ClaimId,
    explanation: String,
) -> Conflict {
    let key = format!("{a}|{b}|{}", kind.as_str());
    let id = format!("x{:012x}", crate::text::term_hash(&key) & 0xffff_ffff_ffff);
    Conflict {
        id,
        event,
        kind,
        confidence: (confidence.clamp(0.05, 0.99) * 1000.0).round() / 1000.0,
        a: ai,
        b: bi,
        explanation,
    }
}

fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let mut out: String = s.chars().take(n).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Bound, Claim, Cue, EntityRef, FileId, Origin};
    use crate::text::term_hash;

    /// An article of story 0 published on `day` (a date in March 2025).
    fn article(id: &str, day: u32) -> ArticleRow {
        ArticleRow {
            id: id.into(),
            source: format!("{id} Times"),
            published: crate::date::parse_date(&format!("2025-03-{day:02}")),
            title: String::new(),
            url: String::new(),
            origin: Origin {
                file: FileId(0),
                line: 0,
            },
            story: 0,
            wire: 0,
            bytes: 0,
        }
    }

    /// A claim of article `article` in `event`, a headline or a body sentence: its
    /// sentence, claimer and voice, content words, and cues as (role, word in the
    /// sentence).
    #[allow(clippy::too_many_arguments)]
    fn claim(
        article: u32,
        headline: bool,
        event: u32,
        text: &str,
        claimer: &str,
        voice: &str,
        polarity: Polarity,
        terms: &[&str],
        cues: &[(&'static str, &str)],
    ) -> ClaimRow {
        let cues = cues
            .iter()
            .map(|&(role, word)| {
                let start = text.find(word).expect("cue word in the sentence") as u32;
                Cue {
                    role,
                    start,
                    end: start + word.len() as u32,
                }
            })
            .collect();
        let mut c = Claim::plain(if headline { Field::Title } else { Field::Body }, text);
        c.seq = u32::from(!headline);
        c.claimer = claimer.into();
        c.terms = terms.iter().map(|t| term_hash(t)).collect();
        c.polarity = polarity;
        c.cues = cues;
        ClaimRow {
            article,
            claim: Box::new(c),
            claimer_id: None,
            anchor: None,
            anchor_is_party: false,
            anchor_country: None,
            entities: Vec::new(),
            voice: voice.into(),
            event,
            refers_to: None,
            state_anchor: None,
            agent_side: None,
            retells: false,
        }
    }

    /// Articles whose wire groups are their own indices.
    fn articles(days: &[u32]) -> Vec<ArticleRow> {
        days.iter()
            .enumerate()
            .map(|(i, &d)| ArticleRow {
                wire: i as u32,
                ..article(&format!("a{i}"), d)
            })
            .collect()
    }

    fn kinds(found: &[Conflict]) -> Vec<(u32, u32, &'static str)> {
        found.iter().map(|c| (c.a, c.b, c.kind.as_str())).collect()
    }

    #[test]
    fn a_sum_over_both_sides_is_not_one_sides_count() {
        let sum = figure_shape(
            "At least nine soldiers from both sides died in the clashes.",
            "nine soldiers",
        );
        let one = figure_shape("The ministry says four soldiers died in the clashes.", "four soldiers");
        assert_ne!(sum, one);
        let other_sum = figure_shape("Twelve soldiers on the two sides were killed.", "Twelve soldiers");
        assert_eq!(sum, other_sum);
        // "sides" of something else, not after the figure, changes nothing.
        let plain = figure_shape("Both sides say four soldiers died.", "four soldiers");
        assert_eq!(plain, one);
    }

    #[test]
    fn questions_take_no_side_in_an_events_consensus() {
        let arts = articles(&[3, 3, 3, 3, 3, 3]);
        let terms = &["mayor", "arrested"];
        let mut claims = vec![
            claim(
                0,
                false,
                0,
                "The mayor was arrested.",
                "",
                "outlet:a0",
                Polarity::Assert,
                terms,
                &[],
            ),
            claim(
                1,
                false,
                0,
                "The mayor was not arrested.",
                "",
                "outlet:a1",
                Polarity::Deny,
                terms,
                &[("negation", "not")],
            ),
        ];
        for a in 2..6 {
            let mut q = claim(
                a,
                false,
                0,
                "Police would not say whether the mayor was arrested.",
                "",
                &format!("outlet:a{a}"),
                Polarity::Assert,
                terms,
                &[],
            );
            q.claim.modality = Modality::Question;
            claims.push(q);
        }
        let found = detect(&claims, &arts);
        let denial = found
            .iter()
            .find(|c| (c.a, c.b) == (0, 1))
            .expect("the denial is flagged");
        // One denial against one assertion: no consensus for it to dissent from.
        assert!(!denial.explanation.contains("lone dissent"), "{}", denial.explanation);
    }

    #[test]
    fn a_voice_denying_another_act_does_not_reverse_itself() {
        let arts = articles(&[3, 10]);
        let said = |a: u32, p: Polarity, text: &str, cues: &[(&'static str, &str)]| {
            claim(
                a,
                false,
                0,
                text,
                "Ana Ferro",
                "entity:person:ferro",
                p,
                &["port", "lenders", "debt"],
                cues,
            )
        };
        let warned = said(
            0,
            Polarity::Assert,
            "Ana Ferro said a suit by the port's lenders over its debt would hurt both sides.",
            &[],
        );
        // The denial is of filing a suit; a week earlier she said what a suit would do.
        let filed = said(
            1,
            Polarity::Deny,
            "Ana Ferro denied rumours that the lenders had filed suit against the port over its debt.",
            &[("deny", "denied")],
        );
        assert_eq!(kinds(&detect(&[warned, filed.clone()], &arts)), vec![]);
        // Where she had said the suit was filed, the denial takes it back.
        let told = said(
            0,
            Polarity::Assert,
            "Ana Ferro said the lenders had filed suit against the port over its debt.",
            &[],
        );
        assert_eq!(kinds(&detect(&[told, filed], &arts)), vec![(0, 1, "reversal")]);
    }

    #[test]
    fn a_group_named_by_a_plural_noun_does_not_reverse_itself() {
        let arts = articles(&[3, 10]);
        let said = |a: u32, voice: &str, claimer: &str, p: Polarity, text: &str| {
            let cues: &[(&str, &str)] = if p == Polarity::Deny {
                &[("negation", "not")]
            } else {
                &[]
            };
            claim(a, false, 0, text, claimer, voice, p, &["bank", "cut", "rates"], cues)
        };
        let named = [
            said(
                0,
                "entity:person:arvid",
                "Jon Arvid",
                Polarity::Assert,
                "The bank will cut rates.",
            ),
            said(
                1,
                "entity:person:arvid",
                "Jon Arvid",
                Polarity::Deny,
                "The bank will not cut rates.",
            ),
        ];
        assert_eq!(kinds(&detect(&named, &arts)), vec![(0, 1, "reversal")]);
        let group = [
            said(
                0,
                "name:dealers",
                "dealers",
                Polarity::Assert,
                "The bank will cut rates.",
            ),
            said(
                1,
                "name:dealers",
                "dealers",
                Polarity::Deny,
                "The bank will not cut rates.",
            ),
        ];
        assert_eq!(kinds(&detect(&group, &arts)), vec![]);
    }

    #[test]
    fn a_state_implied_by_an_event_word_is_quoted_in_the_explanation() {
        let arts = articles(&[16, 18]);
        let mut staying = claim(
            0,
            true,
            0,
            "Chief tells investors he is staying at the helm",
            "Chief",
            "person:chief",
            Polarity::Assert,
            &["chief", "helm"],
            &[("state", "is staying")],
        );
        staying.claim.state = Some(("office", "in"));
        // "departure" is an event word whose state is implied: no state cue of its own.
        let mut leaving = claim(
            1,
            true,
            0,
            "Board confirms chief's departure",
            "Board",
            "org:board",
            Polarity::Assert,
            &["chief", "departure"],
            &[("event", "departure")],
        );
        leaving.claim.state = Some(("office", "left"));
        let found = detect(&[staying, leaving], &arts);
        assert_eq!(found.len(), 1, "{found:?}");
        let why = &found[0].explanation;
        assert!(why.contains("'is staying'") && why.contains("'departure'"), "{why}");
        // A refusal keeps the other state: the freed side is quoted by its state words.
        let mut freed = claim(
            0,
            true,
            0,
            "Mayor freed on bail",
            "",
            "outlet:0",
            Polarity::Assert,
            &["mayor", "freed"],
            &[("state", "freed")],
        );
        freed.claim.state = Some(("custody", "free"));
        let refused = claim(
            1,
            true,
            0,
            "Court refuses to free mayor",
            "Court",
            "org:court",
            Polarity::Deny,
            &["mayor", "court"],
            &[("negation", "refuses")],
        );
        let found = detect(&[freed, refused], &arts);
        assert_eq!(found.len(), 1, "{found:?}");
        let why = &found[0].explanation;
        assert!(
            why.starts_with("exclusive_state") && why.contains("says 'freed'"),
            "{why}"
        );
    }

    #[test]
    fn a_state_and_the_change_back_on_a_later_day_are_a_sequence() {
        let arts = articles(&[16, 18]);
        let day = |d: &str| crate::date::parse_date(d).map(crate::date::TimeRef::day);
        let road = |a: u32, text: &str, word: &'static str, state: &'static str, on: &str| {
            let mut c = claim(
                a,
                false,
                0,
                text,
                "",
                &format!("outlet:{a}"),
                Polarity::Assert,
                &["road"],
                &[("state", word)],
            );
            c.claim.state = Some(("status", state));
            c.claim.time = day(on);
            c
        };
        let closed = road(0, "The road was closed on Tuesday.", "closed", "closed", "2025-03-16");
        let reopened = road(1, "The road reopened on Thursday.", "reopened", "open", "2025-03-18");
        assert_eq!(kinds(&detect(&[closed.clone(), reopened], &arts)), vec![]);
        // Open on another day without a change back: the two cannot both be right.
        let open = road(
            1,
            "The road was open to traffic on Tuesday.",
            "open",
            "open",
            "2025-03-18",
        );
        assert_eq!(kinds(&detect(&[closed, open], &arts)), vec![(0, 1, "exclusive_state")]);
    }

    #[test]
    fn dates_of_a_happening_anchored_on_a_country_and_on_a_place_in_it_are_compared() {
        let arts = articles(&[4, 7]);
        let place = |code: &[u8; 2], whole: bool| Some(AnchorCountry { code: *code, whole });
        let sank = |a: u32, event: u32, text: &str, on: &str, anchor: u32, country: Option<AnchorCountry>| {
            let mut c = claim(
                a,
                false,
                event,
                text,
                "",
                &format!("outlet:{a}"),
                Polarity::Assert,
                &["ferry", "sank"],
                &[("event", "sank")],
            );
            c.claim.event_type = "crash";
            c.claim.predicate = "sank".into();
            c.claim.time = crate::date::parse_date(on).map(crate::date::TimeRef::day);
            c.anchor = Some(anchor);
            c.anchor_country = country;
            c
        };
        let off_the_country = sank(
            0,
            0,
            "The ferry sank off the coast on Saturday.",
            "2024-02-03",
            1,
            place(b"ID", true),
        );
        let near_the_port = sank(
            1,
            1,
            "The ferry sank near the port on Friday.",
            "2024-02-02",
            2,
            place(b"ID", false),
        );
        assert_eq!(
            kinds(&detect(&[off_the_country.clone(), near_the_port.clone()], &arts)),
            vec![(0, 1, "temporal")]
        );
        // Two places of one country may be two sinkings.
        let near_another_port = sank(
            0,
            0,
            "A ferry sank near the island on Saturday.",
            "2024-02-03",
            3,
            place(b"ID", false),
        );
        assert_eq!(
            kinds(&detect(&[near_another_port, near_the_port.clone()], &arts)),
            vec![]
        );
        // A place in another country.
        let abroad = sank(
            0,
            0,
            "The ferry sank off the coast on Saturday.",
            "2024-02-03",
            4,
            place(b"PH", true),
        );
        assert_eq!(kinds(&detect(&[abroad, near_the_port], &arts)), vec![]);
    }

    #[test]
    fn a_denied_act_is_looked_for_in_every_report_of_its_story() {
        let arts = articles(&[3, 4]);
        let denial = claim(
            1,
            false,
            1,
            "The port authority denied that guards had opened the floodgates before the storm.",
            "port authority",
            "name:port authority",
            Polarity::Deny,
            &["port", "authority", "guards", "opened", "floodgates", "storm"],
            &[("deny", "denied")],
        );
        let told = |text: &str, terms: &[&str]| {
            let c = claim(
                0,
                false,
                0,
                text,
                "residents",
                "name:residents",
                Polarity::Assert,
                terms,
                &[],
            );
            kinds(&detect(&[c, denial.clone()], &arts))
        };
        // Another event (its wording named no event type), the same act.
        assert_eq!(
            told(
                "Residents said guards opened the floodgates on the eve of the storm.",
                &["residents", "guards", "opened", "floodgates", "eve", "storm"]
            ),
            vec![(0, 1, "denial")]
        );
        // The verb without what it acted on.
        assert_eq!(
            told(
                "Residents said guards opened a new road on the eve of the storm.",
                &["residents", "guards", "opened", "road", "eve", "storm"]
            ),
            vec![]
        );
        // An inquiry into claims that it happened does not say it happened.
        assert_eq!(
            told(
                "The inquiry will examine reports that guards opened the floodgates.",
                &["inquiry", "examine", "reports", "guards", "opened", "floodgates"]
            ),
            vec![]
        );
    }

    #[test]
    fn dates_of_words_of_two_event_types_are_two_happenings() {
        assert!(told_apart("seized", "released"));
        assert!(!told_apart("capsized", "sank"));
        assert!(!told_apart("took control", "captured"));
        // A word the lexicon does not know tells nothing apart.
        assert!(!told_apart("seized", "freedom"));
        assert!(!told_apart("", "released"));
    }

    #[test]
    fn a_denial_is_of_the_verb_its_clause_says() {
        let arts = articles(&[3, 4]);
        let denial = claim(
            1,
            true,
            0,
            "Ministry denies that the seed stocks were spoiled when the storage hall flooded",
            "ministry",
            "name:ministry",
            Polarity::Deny,
            &["seed", "stocks", "spoiled", "storage", "hall", "flooded"],
            &[("deny", "denies")],
        );
        let told = |text: &str, terms: &[&str]| {
            let c = claim(0, true, 0, text, "", "outlet:a", Polarity::Assert, terms, &[]);
            kinds(&detect(&[c, denial.clone()], &arts))
        };
        assert_eq!(
            told(
                "Seed stocks spoil in flooded storage hall",
                &["seed", "stocks", "spoil", "flooded", "storage", "hall"]
            ),
            vec![(0, 1, "denial")]
        );
        // The flood is told in a clause of time: the denial is not of it.
        assert_eq!(
            told(
                "Storage hall flooded, seed stocks moved",
                &["storage", "hall", "flooded", "seed", "stocks", "moved"]
            ),
            vec![]
        );
        // A gerund after the denial is what is denied; a light verb's object too.
        let against = |denial: &str, told: &str| {
            let d = claim(
                1,
                true,
                0,
                denial,
                "clinic",
                "name:clinic",
                Polarity::Deny,
                &["guard", "keys", "memo"],
                &[("deny", "denies")],
            );
            let t = claim(
                0,
                true,
                0,
                told,
                "",
                "outlet:a",
                Polarity::Assert,
                &["guard", "keys", "memo"],
                &[],
            );
            kinds(&detect(&[t, d], &arts)).len()
        };
        assert_eq!(
            against("Guard denies leaking the memo", "Guard leaked memo to press"),
            1
        );
        assert_eq!(
            against("Guard denies leaking the memo", "Guard faces inquiry over memo"),
            0
        );
        assert_eq!(
            against("Guard denies taking the keys", "Guard took the keys from the ward"),
            1
        );
        assert_eq!(
            against("Guard denies taking the keys", "Guard suspended as keys go missing"),
            1
        );
        assert_eq!(
            against("Guard denies taking the keys", "Guard suspended after complaint"),
            0
        );
        // A verb of the same event type as the assertion's is the same happening.
        let mut seized = claim(
            0,
            true,
            0,
            "Rebels capture the river port",
            "",
            "outlet:a",
            Polarity::Assert,
            &["rebels", "port"],
            &[],
        );
        seized.claim.event_type = "take_control";
        let mut denied = claim(
            1,
            true,
            0,
            "Army denies the river port was seized by rebels",
            "army",
            "name:army",
            Polarity::Deny,
            &["rebels", "port"],
            &[("deny", "denies")],
        );
        denied.claim.event_type = "take_control";
        assert_eq!(kinds(&detect(&[seized, denied], &arts)), vec![(0, 1, "denial")]);
    }

    #[test]
    fn body_sentences_sharing_one_word_are_not_compared() {
        let arts = articles(&[3, 4]);
        let win = claim(
            0,
            false,
            0,
            "Her win was her third this year.",
            "",
            "outlet:a",
            Polarity::Assert,
            &["win", "third", "year"],
            &[],
        );
        let other = |terms: &[&str]| {
            claim(
                1,
                false,
                0,
                "He would not win again.",
                "Falk",
                "name:falk",
                Polarity::Deny,
                terms,
                &[("negation", "not")],
            )
        };
        assert_eq!(kinds(&detect(&[win.clone(), other(&["win", "again"])], &arts)), vec![]);
        assert_eq!(
            kinds(&detect(&[win, other(&["win", "third"])], &arts)),
            vec![(0, 1, "denial")]
        );
    }

    #[test]
    fn a_headline_saying_someone_lied_calls_no_story_false() {
        // Two headlines of one story in different events, sharing no word: only one that
        // calls the story false is set against the other.
        let arts = articles(&[3, 4]);
        let report = claim(
            0,
            true,
            0,
            "Orlen Bank posts record profit",
            "",
            "outlet:a",
            Polarity::Assert,
            &["orlen", "bank", "record", "profit"],
            &[],
        );
        let lied = claim(
            1,
            true,
            1,
            "Auditors say Kell lied about the accounts",
            "Prosecutors",
            "name:prosecutors",
            Polarity::Deny,
            &["kell", "accounts"],
            &[("refute", "lied")],
        );
        let hoax = claim(
            1,
            true,
            1,
            "Prosecutors say the story is a hoax",
            "Prosecutors",
            "name:prosecutors",
            Polarity::Deny,
            &["story"],
            &[("refute", "hoax")],
        );
        assert_eq!(kinds(&detect(&[report.clone(), lied], &arts)), vec![]);
        assert_eq!(kinds(&detect(&[report, hoax], &arts)), vec![(0, 1, "denial")]);
    }

    #[test]
    fn a_headline_rejecting_reports_of_one_thing_calls_only_those_reports_false() {
        let arts = articles(&[3, 4, 4]);
        let snow = claim(
            0,
            true,
            0,
            "Heavy snow strands ferry in harbour",
            "",
            "outlet:a",
            Polarity::Assert,
            &["heavy", "snow", "strands", "ferry", "harbour"],
            &[],
        );
        let rejects = claim(
            1,
            true,
            0,
            "Ferry line rejects reports crew were drunk on duty",
            "Ferry line",
            "name:ferry line",
            Polarity::Deny,
            &["ferry", "line", "crew", "drunk", "duty"],
            &[("deny", "rejects")],
        );
        let drunk = claim(
            2,
            true,
            0,
            "Crew drunk on duty, passengers say",
            "passengers",
            "name:passengers",
            Polarity::Assert,
            &["crew", "drunk", "duty", "passengers"],
            &[],
        );
        assert_eq!(kinds(&detect(&[snow, rejects, drunk], &arts)), vec![(2, 1, "denial")]);
    }

    #[test]
    fn words_before_the_report_noun_say_what_is_rejected() {
        let arts = articles(&[3, 3, 4]);
        let fleet = claim(
            0,
            true,
            0,
            "Ferry line orders two new ships",
            "",
            "outlet:a",
            Polarity::Assert,
            &["ferry", "line", "orders", "new", "ships"],
            &[],
        );
        let bid = claim(
            1,
            true,
            0,
            "Rival weighs takeover of ferry line",
            "",
            "outlet:b",
            Polarity::Assert,
            &["rival", "weighs", "takeover", "ferry", "line"],
            &[],
        );
        let rejects = claim(
            2,
            true,
            0,
            "Ferry line rejects takeover rumours",
            "Ferry line",
            "name:ferry line",
            Polarity::Deny,
            &["ferry", "line", "takeover"],
            &[("deny", "rejects")],
        );
        assert_eq!(kinds(&detect(&[fleet, bid, rejects], &arts)), vec![(1, 2, "denial")]);
    }

    #[test]
    fn a_long_report_clause_is_told_in_two_of_its_words() {
        let arts = articles(&[3, 3, 4]);
        let shares = claim(
            0,
            true,
            0,
            "Seaway shares rise on Monday",
            "",
            "outlet:a",
            Polarity::Assert,
            &["seaway", "shares", "rise", "monday"],
            &[],
        );
        let raised = claim(
            1,
            true,
            0,
            "Rival raises its bid for Seaway",
            "",
            "outlet:b",
            Polarity::Assert,
            &["rival", "raises", "bid", "seaway"],
            &[],
        );
        let denied = claim(
            2,
            true,
            0,
            "Rival denies reports it raised its bid for Seaway to two billion",
            "Rival",
            "name:rival",
            Polarity::Deny,
            &["rival", "reports", "raised", "bid", "seaway", "billion"],
            &[("deny", "denies")],
        );
        assert_eq!(kinds(&detect(&[shares, raised, denied], &arts)), vec![(1, 2, "denial")]);
    }

    #[test]
    fn a_bare_no_denies_only_what_it_names() {
        let arts = articles(&[3, 3, 3, 3]);
        let aid = claim(
            0,
            true,
            0,
            "Lenders ready to help Chile, minister says",
            "minister",
            "name:minister",
            Polarity::Assert,
            &["lenders", "ready", "help", "chile", "minister"],
            &[],
        );
        let loans = claim(
            1,
            true,
            0,
            "Export bank says no new loans to Chile",
            "Export bank",
            "name:export bank",
            Polarity::Deny,
            &["export", "bank", "new", "loans", "chile"],
            &[("negation", "no")],
        );
        let lent = claim(
            2,
            true,
            0,
            "Export bank grants Chile new loans",
            "",
            "outlet:c",
            Polarity::Assert,
            &["export", "bank", "grants", "chile", "loans"],
            &[],
        );
        let rebels = claim(
            3,
            true,
            0,
            "Army says no rebels near the Chile border",
            "Army",
            "name:army",
            Polarity::Deny,
            &["army", "rebels", "chile", "border"],
            &[("negation", "no")],
        );
        let crossed = claim(
            0,
            false,
            0,
            "Rebels crossed the border into Chile, villagers said.",
            "villagers",
            "name:villagers",
            Polarity::Assert,
            &["rebels", "crossed", "border", "chile", "villagers"],
            &[],
        );
        let found = kinds(&detect(&[aid, loans, lent, rebels, crossed], &arts));
        // No loans against loans granted, not against help in general; no rebels near
        // the border against rebels crossing it, not against help for the country.
        assert!(found.contains(&(2, 1, "denial")), "{found:?}");
        assert!(!found.contains(&(0, 1, "denial")), "{found:?}");
        assert!(found.contains(&(4, 3, "denial")), "{found:?}");
        assert!(!found.contains(&(0, 3, "denial")), "{found:?}");
    }

    #[test]
    fn an_increment_is_not_compared_with_a_total() {
        let arts = articles(&[3, 3]);
        let workers = |a: u32, text: &str, figure: &str, n: f64, voice: &str| {
            let mut c = claim(
                a,
                false,
                0,
                text,
                "",
                voice,
                Polarity::Assert,
                &["workers", "laid"],
                &[],
            );
            c.claim.quantity = Some(exact(figure, n, "workers", None));
            c
        };
        let total = workers(
            0,
            "Harlow will lay off 900 workers.",
            "900 workers",
            900.0,
            "entity:org:harlow",
        );
        let more = workers(
            1,
            "Another 300 workers will be laid off.",
            "300 workers",
            300.0,
            "name:union",
        );
        let fewer = workers(
            1,
            "Only 300 workers will be laid off.",
            "300 workers",
            300.0,
            "name:union",
        );
        assert_eq!(kinds(&detect(&[total.clone(), more], &arts)), vec![]);
        assert_eq!(kinds(&detect(&[total, fewer], &arts)), vec![(0, 1, "numeric")]);
    }

    #[test]
    fn a_headline_calling_reports_false_answers_only_earlier_reports() {
        // Day 3, day 4, day 6.
        let arts = articles(&[3, 4, 6]);
        let headline =
            |a: u32, text: &str, voice: &str, polarity: Polarity, terms: &[&str], cues: &[(&'static str, &str)]| {
                claim(a, true, a, text, "", voice, polarity, terms, cues)
            };
        let closes = headline(
            0,
            "Storm closes the harbour",
            "outlet:a",
            Polarity::Assert,
            &["storm", "closes", "harbour"],
            &[],
        );
        let rejects = headline(
            1,
            "Port rejects the reports",
            "name:port",
            Polarity::Deny,
            &["port"],
            &[("deny", "rejects")],
        );
        let reopens = headline(
            2,
            "Harbour reopens after storm",
            "outlet:c",
            Polarity::Assert,
            &["harbour", "reopens", "storm"],
            &[],
        );
        assert_eq!(
            kinds(&detect(&[closes, rejects, reopens], &arts)),
            vec![(0, 1, "denial")]
        );
    }

    #[test]
    fn a_negation_of_another_act_does_not_deny_the_happening() {
        let arts = articles(&[3, 4]);
        let body = |a: u32,
                    text: &str,
                    voice: &str,
                    polarity: Polarity,
                    terms: &[&str],
                    cues: &[(&'static str, &str)],
                    predicate: &str| {
            let mut c = claim(a, false, 0, text, "", voice, polarity, terms, cues);
            c.claim.predicate = predicate.into();
            c
        };
        let attacked = body(
            0,
            "Rebels attacked the convoy near the bridge, officials said.",
            "name:officials",
            Polarity::Assert,
            &["rebels", "attack", "convoy", "bridge"],
            &[],
            "attacked",
        );
        let unconfirmed = body(
            1,
            "The army did not confirm the attack on the convoy.",
            "name:army",
            Polarity::Deny,
            &["army", "confirm", "attack", "convoy"],
            &[("negation", "not")],
            "attack",
        );
        let never = body(
            1,
            "Rebels never attacked the convoy, their commander said.",
            "name:commander",
            Polarity::Deny,
            &["rebels", "attack", "convoy", "commander"],
            &[("negation", "never")],
            "attacked",
        );
        assert_eq!(kinds(&detect(&[attacked.clone(), unconfirmed], &arts)), vec![]);
        assert_eq!(kinds(&detect(&[attacked, never], &arts)), vec![(0, 1, "denial")]);
        // The negated verb is the happening's own word, told otherwise in the assertion.
        let accepted = body(
            0,
            "The mayor accepted bribes from a builder, prosecutors say.",
            "name:prosecutors",
            Polarity::Assert,
            &["mayor", "bribes", "builder"],
            &[],
            "bribes",
        );
        let taken = body(
            1,
            "The mayor has never taken a single euro from the builder.",
            "name:lawyer",
            Polarity::Deny,
            &["mayor", "taken", "euro", "builder"],
            &[("negation", "never")],
            "taken",
        );
        assert_eq!(kinds(&detect(&[accepted, taken], &arts)), vec![(0, 1, "denial")]);
    }

    #[test]
    fn figures_of_two_measures_are_not_compared() {
        let arts = articles(&[3, 3]);
        let tonnes = |a: u32, text: &str, figure: &str, n: f64, voice: &str| {
            let mut c = claim(a, false, 0, text, "", voice, Polarity::Assert, &["tonnes"], &[]);
            c.claim.event_type = "sell";
            c.claim.quantity = Some(exact(figure, n, "mass", Some(EntityRef::Known(7))));
            c
        };
        let exports = tonnes(
            0,
            "Exports reached 150,000 tonnes last year.",
            "150,000 tonnes",
            150e3,
            "name:a",
        );
        let harvest = tonnes(
            1,
            "The harvest was 2.6 million tonnes.",
            "2.6 million tonnes",
            2.6e6,
            "name:b",
        );
        let exported = tonnes(
            1,
            "The group said its exports were 270,000 tonnes.",
            "270,000 tonnes",
            270e3,
            "name:b",
        );
        assert_eq!(kinds(&detect(&[exports.clone(), harvest], &arts)), vec![]);
        assert_eq!(kinds(&detect(&[exports, exported], &arts)), vec![(0, 1, "numeric")]);
    }

    #[test]
    fn a_toll_higher_a_day_later_is_an_update() {
        // Article 0 on day 3, article 1 on day 4.
        let arts = articles(&[3, 4]);
        let count = |a: u32, text: &str, n: f64, unit: &str, voice: &str| {
            let mut c = claim(
                a,
                false,
                0,
                text,
                "",
                voice,
                Polarity::Assert,
                &["people", "quake"],
                &[],
            );
            c.claim.quantity = Some(exact(&format!("{n} people"), n, unit, None));
            c
        };
        let six = count(0, "Six people were killed in the quake.", 6.0, "dead", "name:police");
        let fourteen = count(
            1,
            "Fourteen people were killed in the quake.",
            14.0,
            "dead",
            "name:officials",
        );
        let four = count(
            1,
            "Four people were killed in the quake.",
            4.0,
            "dead",
            "name:officials",
        );
        assert_eq!(kinds(&detect(&[six.clone(), fourteen], &arts)), vec![]);
        assert_eq!(kinds(&detect(&[six, four], &arts)), vec![(0, 1, "numeric")]);
        // Counts taken before the happening are of one moment, whatever day they are told.
        let early = count(
            0,
            "Six people were evacuated before the quake.",
            6.0,
            "displaced",
            "name:police",
        );
        let later = count(
            1,
            "Fourteen people were evacuated before the quake.",
            14.0,
            "displaced",
            "name:officials",
        );
        assert_eq!(kinds(&detect(&[early, later], &arts)), vec![(0, 1, "numeric")]);
    }

    /// An exact figure `n` of `unit`, written `text`.
    fn exact(text: &str, n: f64, unit: &str, holder: Option<EntityRef>) -> Box<Quantity> {
        Box::new(Quantity {
            text: text.into(),
            low: n,
            high: n,
            value: n,
            unit: unit.into(),
            bound: Bound::Exact,
            holder,
        })
    }

    fn q(low: f64, high: f64, value: f64, bound: Bound) -> Quantity {
        Quantity {
            text: String::new(),
            low,
            high,
            value,
            unit: "troops".into(),
            bound,
            holder: None,
        }
    }

    #[test]
    fn increments_and_rates_are_told_from_totals() {
        // (an increment, a rate); the sum over sides is tested on its own.
        let shape = |text: &str, figure: &str| {
            let (increment, rate, _) = figure_shape(text, figure);
            (increment, rate)
        };
        assert_eq!(
            shape("Another 300 workers will be laid off.", "300 workers"),
            (true, false)
        );
        assert_eq!(
            shape("It agreed to pay 18 dollars a share.", "18 dollars"),
            (false, true)
        );
        assert_eq!(
            shape("The city will pay 40 million euros a year.", "40 million euros"),
            (false, true)
        );
        assert_eq!(shape("Tickets cost 10 dlrs each.", "10 dlrs"), (false, true));
        assert_eq!(
            shape("Harlow is laying off 900 workers at two plants.", "900 workers"),
            (false, false)
        );
        // "a" before a word that is no unit is not a rate.
        assert_eq!(
            shape("About 3,000 workers a union leader named stayed out.", "3,000 workers"),
            (false, false)
        );
        assert_eq!(shape("No figure here.", ""), (false, false));
    }

    #[test]
    fn lied_accuses_a_person_and_calls_no_story_false() {
        assert!(accuses_a_liar("Lied"));
        assert!(!accuses_a_liar("lie"));
        assert!(!accuses_a_liar("hoax"));
    }

    #[test]
    fn one_thing_takes_two_words_or_a_name() {
        assert!(!about_one_thing([&[1, 2], &[1, 3]], [&[], &[]]));
        assert!(about_one_thing([&[1, 2, 4], &[1, 2, 3]], [&[], &[]]));
        assert!(about_one_thing([&[1], &[5]], [&[7, 8], &[9, 8]]));
        assert!(!about_one_thing([&[1], &[1]], [&[7], &[9]]));
    }

    #[test]
    fn groups_named_by_plural_nouns_are_many_people() {
        assert!(plural_common_noun("dealers"));
        assert!(plural_common_noun("Western diplomats"));
        assert!(plural_common_noun("most economists"));
        assert!(!plural_common_noun("Jones"));
        assert!(!plural_common_noun("BAKER"));
        assert!(!plural_common_noun("the minister"));
        assert!(!plural_common_noun("the press"));
        assert!(!plural_common_noun(""));
    }

    #[test]
    fn figures_honour_bounds_and_rounding() {
        let about = |v: f64| q(v * 0.9, v * 1.1, v, Bound::Approx);
        let exact = |v: f64| q(v, v, v, Bound::Exact);
        assert!(quantities_conflict(&about(11000.0), &about(15000.0)));
        assert!(!quantities_conflict(&about(200.0), &exact(211.0)));
        assert!(!quantities_conflict(
            &q(30.0, f64::INFINITY, 30.0, Bound::AtLeast),
            &exact(34.0)
        ));
        assert!(quantities_conflict(&exact(12.0), &exact(40.0)));
        assert!(!quantities_conflict(&exact(5300.0), &exact(5522.0)));
        assert!(quantities_conflict(&q(0.0, 100.0, 100.0, Bound::AtMost), &exact(150.0)));
        let mut other = exact(12.0);
        other.unit = "people".into();
        assert!(!quantities_conflict(&exact(40.0), &other));
    }

    #[test]
    fn headlines_make_the_same_point_when_most_words_are_shared() {
        assert!(same_point(&[1, 2], &[1, 2, 3, 4, 5, 6]));
        assert!(same_point(&[1, 2, 3, 4], &[1, 2, 9]));
        assert!(!same_point(&[1, 2, 3, 4, 5, 6], &[1, 2, 7, 8, 9, 10, 11]));
        assert!(!same_point(&[1], &[1]));
    }

    #[test]
    fn numbers_format_with_separators() {
        assert_eq!(fmt_num(12750.0), "12,750");
        assert_eq!(fmt_num(f64::INFINITY), "∞");
        assert_eq!(fmt_num(600.0), "600");
    }
}

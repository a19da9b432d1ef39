//! Claims: who claimed what about which happening, read from every headline and from
//! every body sentence that reports, denies, counts or names an event.
//!
//! For each sentence: the attribution ([`attribution`]) splits claimer from content; the
//! content's first event phrase gives the event type and predicate; negation counts only
//! when it governs that predicate (NegEx-style: a trigger within a short window before it,
//! no scope-ending word in between); denial verbs and refuting words ("hoax", "false")
//! make the claim a denial; hedges and questions set the modality; figures
//! ([`quantity`]) and dates ([`when`]) are attached. A denial that only points back ("Ukraine
//! has denied the claim") is linked to the claim it denies and takes its proposition.

pub mod attribution;
pub mod packed;
pub mod quantity;
pub mod stance;
pub mod when;

use std::ops::Range;

use rustc_hash::FxHashMap;

use self::attribution::{attribute, Attribution, Sent, Speaker};
use crate::date::{Date, TimeRef};
use crate::entities::Gazetteer;
use crate::lexicon::{Class, Lexicon};
use crate::model::{Claim, Cue, EntityKind, EntityRef, Field, Mention, Modality, Polarity, Span};
use crate::segment::Doc;
use crate::text::{stem, term_hash, TokenKind};

/// Limits on claim extraction.
#[derive(Clone, Copy, Debug)]
pub struct ClaimLimits {
    /// Most claims kept per article (the first ones, in text order).
    pub max_claims_per_article: usize,
}

impl Default for ClaimLimits {
    fn default() -> ClaimLimits {
        ClaimLimits {
            max_claims_per_article: 200,
        }
    }
}

/// Extracts the claims of one article from its segmented fields (title first) and its
/// mentions (in field and text order).
pub fn extract(
    docs: &[Doc],
    gaz: &Gazetteer,
    mentions: &[Mention],
    published: Option<Date>,
    limits: ClaimLimits,
) -> Vec<Claim> {
    // What the article says about each entity anywhere: its country and whether it holds
    // a role ("Russian President Vladimir Putin" makes a later "Putin" an official).
    let mut profile: FxHashMap<&EntityRef, (Option<u32>, bool)> = FxHashMap::default();
    for m in mentions {
        let p = profile.entry(&m.entity).or_default();
        if p.0.is_none() {
            p.0 = m.affiliation;
        }
        p.1 |= m.role.is_some();
    }
    let mut claims: Vec<Claim> = Vec::new();
    let mut last_person_claimer: Option<(String, Option<EntityRef>, Option<u32>)> = None;
    let mut last_claimer: Option<(String, Option<EntityRef>, Option<u32>)> = None;
    'fields: for doc in docs {
        // Token ranges of this field's mentions.
        let mention_tokens: Vec<Option<Range<usize>>> = mentions
            .iter()
            .map(|m| {
                (m.span.field == doc.field).then(|| {
                    let a = doc.token_at(m.span.start as usize);
                    let mut b = a;
                    while b < doc.tokens.len() && (doc.tokens[b].start) < m.span.end {
                        b += 1;
                    }
                    a..b.max(a + 1)
                })
            })
            .collect();
        for s in &doc.sentences {
            if claims.len() >= limits.max_claims_per_article {
                // The links between the claims kept are still made.
                break 'fields;
            }
            if doc.field == Field::Body && s.start < doc.skip {
                continue;
            }
            let (start, end) = (s.tok_start, s.tok_end);
            if start == end {
                continue;
            }
            // A body sentence with no reporting, denial, event or state word makes no claim:
            // skip it before any further work.
            let any_cue = (start..end).any(|i| {
                doc.has(i, |c| {
                    matches!(
                        c,
                        Class::Report
                            | Class::Deny
                            | Class::Refute
                            | Class::Event(_)
                            | Class::State(_)
                            | Class::Retract
                    )
                })
            });
            if doc.field == Field::Body && !any_cue {
                continue;
            }
            let mut mention_at: Vec<Option<usize>> = vec![None; end - start];
            for (mi, r) in mention_tokens.iter().enumerate() {
                if let Some(r) = r {
                    for t in r.clone() {
                        if t >= start && t < end {
                            mention_at[t - start] = Some(mi);
                        }
                    }
                }
            }
            let sent = Sent {
                doc,
                start,
                end,
                mention_at,
                mention_tokens: &mention_tokens,
            };
            let first = attribute(&sent);
            let mut atts = vec![first.clone()];
            let also = first
                .also
                .clone()
                .or_else(|| dated_clause(&sent, first.content.clone(), published));
            if let Some(also) = also {
                atts.push(Attribution {
                    content: also,
                    also: None,
                    ..first
                });
            }
            for att in atts {
                let Some(mut claim) = build_claim(&sent, &att, mentions, published) else {
                    continue;
                };
                claim.speaks_for = match att.claimer.as_ref().and_then(|sp| sp.mention) {
                    Some(mi) => {
                        let m = &mentions[mi];
                        match &m.entity {
                            EntityRef::Known(k) if m.kind == EntityKind::Country || m.government => gaz.country_of(*k),
                            EntityRef::Known(k) if gaz.entries[*k as usize].metonym => gaz.country_of(*k),
                            e => {
                                let (aff, role) = profile.get(e).copied().unwrap_or_default();
                                let aff = m.affiliation.or(aff);
                                (role || m.role.is_some()).then_some(aff).flatten()
                            }
                        }
                    }
                    // A claimer found through its role ("the president") speaks for the
                    // country the article ties that person to.
                    None => claim.claimer_entity.as_ref().and_then(|e| {
                        let (aff, role) = profile.get(e).copied().unwrap_or_default();
                        role.then_some(aff).flatten()
                    }),
                };
                claim.seq = claims.len() as u32;
                // Pronoun claimers take the last speaker ("He also said ...").
                if let Some(sp) = &att.claimer {
                    if sp.pronoun {
                        let w = sent.lower(sp.tokens.start);
                        let prior = if matches!(w, "he" | "she") {
                            &last_person_claimer
                        } else {
                            &last_claimer
                        };
                        if let Some((name, entity, gov)) = prior {
                            claim.claimer = name.clone();
                            claim.claimer_entity = entity.clone();
                            claim.speaks_for = *gov;
                        }
                    }
                }
                if !claim.claimer.is_empty() {
                    let pair = (claim.claimer.clone(), claim.claimer_entity.clone(), claim.speaks_for);
                    let is_person = claim
                        .claimer_entity
                        .as_ref()
                        .is_some_and(|e| mentions.iter().any(|m| &m.entity == e && m.kind == EntityKind::Person));
                    if is_person {
                        last_person_claimer = Some(pair.clone());
                    }
                    last_claimer = Some(pair);
                }
                // Pronoun agents ("his country", "it had sent troops") are the claimer's
                // side, and so is the doer of a gerund the claimer speaks of ("denies
                // causing the outage").
                if claim.agent.is_none()
                    && (starts_with_pronoun(&sent, att.content.clone()) || starts_with_gerund(&sent, &att))
                    && !helped(&sent, att.content.clone())
                {
                    // A person's "his men" or "our fighters" are a group the article may
                    // not name ("he" is the person); a body's "it" or "its forces" are
                    // the body's.
                    let person = claim
                        .claimer_entity
                        .as_ref()
                        .is_some_and(|e| mentions.iter().any(|m| &m.entity == e && m.kind == EntityKind::Person));
                    let group = att.content.start < att.content.end
                        && matches!(
                            sent.lower(att.content.start),
                            "his" | "her" | "their" | "we" | "our" | "they"
                        );
                    claim.agent = claim
                        .speaks_for
                        .map(EntityRef::Known)
                        .or_else(|| claim.claimer_entity.clone().filter(|_| !(person && group)));
                }
                claims.push(claim);
            }
        }
    }
    quoted_speakers(&mut claims);
    link_references(&mut claims);
    headline_from_lead(&mut claims, published);
    claims
}

/// "took money from X", "from a local firm, X": X is where something came from, not what
/// was acted on. Looks back over the noun phrase (up to six words) for its preposition.
fn from_source(sent: &Sent, i: usize) -> bool {
    (i.saturating_sub(6).max(sent.start)..i)
        .rev()
        .map(|k| sent.lower(k))
        .find(|w| {
            Lexicon::get().word_has(w, |c| c == Class::Locative) || matches!(*w, "from" | "of" | "by" | "for" | "with")
        })
        == Some("from")
}

/// Taking money is the other side of a payment: "received $5,000 from the firm", "never
/// took a cent". A verb of receiving with a sum or a money word right after it names a
/// `pay` event, for contents that name no other event.
fn money_taken(sent: &Sent, content: Range<usize>) -> Option<(usize, usize, u16)> {
    const RECEIVE: [&str; 15] = [
        "took",
        "taken",
        "take",
        "takes",
        "taking",
        "received",
        "receive",
        "receives",
        "receiving",
        "accepted",
        "accept",
        "accepts",
        "accepting",
        "pocketed",
        "pocketing",
    ];
    const MONEY: [&str; 14] = [
        "money", "cash", "cent", "cents", "penny", "pennies", "euro", "euros", "dollar", "dollars", "pound", "pounds",
        "payment", "payments",
    ];
    let pay = Lexicon::get().event_types.iter().position(|t| *t == "pay")? as u16;
    let at = content.clone().find(|&i| {
        RECEIVE.contains(&sent.lower(i))
            && (i + 1..(i + 5).min(content.end))
                .take_while(|&k| sent.doc.word(k) != ",")
                .any(|k| MONEY.contains(&sent.lower(k)) || sent.doc.word(k).starts_with(['$', '\u{20ac}', '\u{a3}']))
    })?;
    Some((at, 1, pay))
}

/// A dated happening told in a clause of its own: "two workers were killed when a fire
/// broke out on Tuesday night" also claims that the fire broke out on Tuesday. The clause
/// is a claim of the same claimer when it has a date and an event of its own, and the main
/// clause has another event.
fn dated_clause(sent: &Sent, content: Range<usize>, published: Option<Date>) -> Option<Range<usize>> {
    let is_event = |i: usize| sent.has(i, |c| matches!(c, Class::Event(_)));
    let k = content
        .clone()
        .find(|&k| matches!(sent.lower(k), "when" | "after" | "before"))?;
    let sub = k + 1..content.end;
    if sub.len() < 3 || !(content.start..k).any(is_event) || !sub.clone().any(is_event) {
        return None;
    }
    let t = when::find(sent.doc, sub.start, sub.end, published)?;
    (t.precision == crate::date::Precision::Day).then_some(sub)
}

/// A headline that names no event ("Ukraine rejects Russian claim on Kursk") summarises
/// the article's lead: it takes the proposition of the first typed claim among the first
/// body claims that has its polarity and shares a name with it.
fn headline_from_lead(claims: &mut [Claim], published: Option<Date>) {
    let Some(h) = claims.iter().position(|c| c.span.field == Field::Title) else {
        return;
    };
    // A headline with an event or a state of its own makes its own point.
    if claims[h].event_type != "other" || claims[h].state.is_some() {
        return;
    }
    let lead = claims
        .iter()
        .filter(|c| c.span.field == Field::Body)
        .take(3)
        .find(|c| {
            c.event_type != "other"
                && c.polarity == claims[h].polarity
                && (claims[h].entities.is_empty() || c.entities.iter().any(|e| claims[h].entities.contains(e)))
        })
        .cloned();
    if let Some(src) = lead {
        let c = &mut claims[h];
        c.event_type = src.event_type;
        c.predicate = src.predicate;
        c.agent = src.agent;
        c.target = src.target;
        c.location = src.location;
        for e in src.entities {
            if !c.entities.contains(&e) {
                c.entities.push(e);
            }
        }
        // A state the lead dates well before the article ("was kidnapped in 2024") is
        // background, not the headline's news.
        if c.state.is_none() && !src.time.is_some_and(|t| ended_before(t, published)) {
            c.state = src.state;
        }
    }
}

/// True when the time ends more than a week before the day.
fn ended_before(t: TimeRef, day: Option<Date>) -> bool {
    let Some(day) = day else {
        return false;
    };
    let week_before = crate::date::add_days(day, -7);
    match t.precision {
        crate::date::Precision::Day => t.date < week_before,
        _ => t.date < day && t.excludes(&TimeRef::day(day)) && t.excludes(&TimeRef::day(week_before)),
    }
}

/// True when the words say the action was helped ("its troops helped free the region").
fn helped(sent: &Sent, range: Range<usize>) -> bool {
    range
        .into_iter()
        .any(|k| matches!(sent.lower(k), "helped" | "help" | "helps" | "helping" | "assisted"))
}

/// True when the content opens with a verb in -ing right after the claimer's verb
/// ("denied killing", "admits taking").
fn starts_with_gerund(sent: &Sent, att: &Attribution) -> bool {
    let content = &att.content;
    let right_after_verb = att.verb.is_some_and(|(v, _, len)| v + len == content.start);
    right_after_verb && content.start < content.end && {
        let w = sent.lower(content.start);
        w.len() > 5 && w.ends_with("ing")
    }
}

fn starts_with_pronoun(sent: &Sent, content: Range<usize>) -> bool {
    content.start < content.end
        && matches!(
            sent.lower(content.start),
            "it" | "its" | "he" | "his" | "she" | "her" | "their" | "they" | "we" | "our"
        )
}

/// What a verb of custody or release acts on when it holds or frees no one: records and
/// documents, products, money, substances ("released a video", "audio captured the
/// shot", "released its quarterly figures", "freed funds", "the plant released ammonia").
const THING_NOUNS: [&str; 70] = [
    "video",
    "videos",
    "audio",
    "recording",
    "recordings",
    "footage",
    "tape",
    "report",
    "reports",
    "statement",
    "photo",
    "photos",
    "photograph",
    "picture",
    "pictures",
    "image",
    "images",
    "data",
    "figures",
    "figure",
    "results",
    "document",
    "documents",
    "transcript",
    "album",
    "details",
    "study",
    "survey",
    "output",
    "statistics",
    "numbers",
    "estimates",
    "forecast",
    "index",
    "minutes",
    "findings",
    "list",
    "version",
    "update",
    "patch",
    "software",
    "product",
    "products",
    "game",
    "film",
    "movie",
    "single",
    "record",
    "book",
    "trailer",
    "funds",
    "money",
    "cash",
    "capital",
    "reserves",
    "information",
    "memo",
    "letter",
    "communique",
    "earnings",
    "gas",
    "water",
    "ammonia",
    "oil",
    "smoke",
    "chemicals",
    "emissions",
    "waste",
    "sewage",
    "radiation",
];

/// Words that end the noun phrase around a verb: a preposition or a new clause.
fn ends_phrase(word: &str) -> bool {
    matches!(
        word,
        "on" | "in"
            | "at"
            | "by"
            | "from"
            | "to"
            | "after"
            | "before"
            | "for"
            | "with"
            | "without"
            | "along"
            | "into"
            | "since"
            | "until"
            | "during"
            | "as"
            | "because"
            | "when"
            | "while"
            | "who"
            | "which"
            | "that"
            | "said"
            | "says"
            | "but"
    )
}

/// Verbs and adverbs between a passive's subject and its verb ("has not yet been
/// officially released").
fn passive_aux(word: &str) -> bool {
    matches!(
        word,
        "was"
            | "were"
            | "is"
            | "are"
            | "be"
            | "been"
            | "being"
            | "has"
            | "have"
            | "had"
            | "will"
            | "would"
            | "may"
            | "might"
            | "could"
            | "can"
            | "should"
            | "not"
            | "never"
            | "yet"
            | "officially"
            | "already"
            | "expected"
            | "due"
            | "to"
            | "just"
            | "now"
    )
}

/// True when a verb of custody or release at `i` acts on a thing, not a person: "free
/// up", a thing in the words after it ("released last month's import figures"), right
/// before it ("the report released on Monday"), or as the subject of its passive ("the
/// study has not been released").
fn acts_on_a_thing(sent: &Sent, i: usize, len: usize) -> bool {
    let thing = |k: usize| THING_NOUNS.contains(&sent.lower(k));
    let word = |k: usize| sent.doc.word(k);
    let punct = |k: usize| word(k).chars().all(|c| !c.is_alphanumeric()) && word(k) != "'s";
    let after = i + len;
    if after < sent.end && sent.lower(after) == "up" {
        return true;
    }
    let object = (after..sent.end.min(after + 7))
        .take_while(|&k| !punct(k) && !ends_phrase(sent.lower(k)))
        .any(thing);
    if object || (i > sent.start && thing(i - 1)) {
        return true;
    }
    // The subject of a passive: back over its auxiliaries, then the noun phrase before.
    let mut k = i;
    let mut passive = false;
    while k > sent.start && passive_aux(sent.lower(k - 1)) {
        k -= 1;
        passive |= matches!(sent.lower(k), "was" | "were" | "is" | "are" | "be" | "been" | "being");
    }
    passive
        && (sent.start..k)
            .rev()
            .take(7)
            .take_while(|&j| !punct(j) && !matches!(sent.lower(j), "that" | "said" | "says" | "who" | "which"))
            .any(thing)
}

/// True when a custody or life word is not about a person: a custody verb acting on a
/// thing ([`acts_on_a_thing`]: "released a statement", "the report released on Monday"),
/// or "alive" after a verb of killing ("burned alive", "buried alive").
fn not_a_party_state(sent: &Sent, i: usize, len: usize, state: (&str, &str)) -> bool {
    match state.0 {
        "custody" => acts_on_a_thing(sent, i, len),
        "life" => {
            len == 1
                && sent.lower(i) == "alive"
                && i > sent.start
                && matches!(
                    sent.lower(i - 1),
                    "burned" | "burnt" | "buried" | "boiled" | "skinned" | "eaten" | "cooked" | "roasted"
                )
        }
        _ => false,
    }
}

/// Words after "free" that make it an adjective of a thing ("free trade", "free kick").
const FREE_THING: [&str; 20] = [
    "trade",
    "market",
    "markets",
    "speech",
    "agent",
    "agents",
    "kick",
    "zone",
    "zones",
    "enterprise",
    "press",
    "elections",
    "election",
    "of",
    "cash",
    "world",
    "flow",
    "float",
    "floating",
    "transfer",
];

/// Words before "free" that make it "without" ("debt free", "tax free", "for free").
const WITHOUT: [&str; 15] = [
    "tax", "duty", "debt", "interest", "toll", "visa", "smoke", "fee", "rent", "risk", "crime", "nuclear", "for",
    "hands", "scot",
];

/// True when an event word is used in another sense, read from the word before or after
/// it: "close to 500" (near), "closed at 12 dollars" (a price), "signs of recovery" (a
/// noun), "free trade" and "debt free" (not a release), "cardiac arrest", "heart
/// attack", "charged a fee", "lost 3 pct" (not a defeat), "beat forecasts".
fn other_sense(sent: &Sent, i: usize, len: usize, event_type: &str) -> bool {
    if len != 1 {
        return false;
    }
    let word = sent.lower(i);
    let at = |k: usize| {
        if k >= sent.start && k < sent.end {
            sent.lower(k)
        } else {
            ""
        }
    };
    let number_at = |k: usize| k < sent.end && sent.doc.tokens[k].kind == TokenKind::Number;
    let (before, after) = (at(i.wrapping_sub(1)), at(i + 1));
    match event_type {
        "close" => {
            // "closed at 12.50" is a price; "closed at 5 pm" is still a closing time.
            let price = after == "at"
                && number_at(i + 2)
                && !matches!(at(i + 3), "am" | "pm" | "a.m." | "p.m." | "gmt" | "local" | "o'clock");
            price
                || matches!(after, "up" | "higher" | "lower" | "unchanged")
                || (word == "close"
                    && (matches!(after, "to" | "of") || matches!(before, "a" | "very" | "too" | "so" | "as")))
        }
        "agree" => matches!(word, "sign" | "signs") && matches!(after, "of" | "that"),
        "release" => {
            (word == "free" && (FREE_THING.contains(&after) || WITHOUT.contains(&before)))
                || acts_on_a_thing(sent, i, 1)
        }
        "arrest" => {
            (word.starts_with("arrest") && matches!(before, "cardiac" | "heart" | "respiratory" | "cardiopulmonary"))
                || (word == "charged"
                    && (number_at(i + 1)
                        || matches!(
                            after,
                            "a" | "an" | "for" | "about" | "around" | "up" | "fees" | "interest"
                        )))
        }
        "attack" => word.starts_with("attack") && matches!(before, "heart" | "panic" | "asthma" | "anxiety"),
        "win" => {
            (matches!(word, "lost" | "loses") && number_at(i + 1))
                || (word == "beat" && matches!(after, "expectations" | "forecasts" | "estimates"))
        }
        _ => false,
    }
}

/// The word at `k` goes on with a clause after a word pointing back ("the claims that
/// ...", "it was because ..."): a "that" or a verb of being, having or saying so.
fn opens_clause(sent: &Sent, k: usize) -> bool {
    k < sent.end
        && matches!(
            sent.lower(k),
            "that"
                | "was"
                | "were"
                | "is"
                | "are"
                | "has"
                | "had"
                | "have"
                | "will"
                | "would"
                | "could"
                | "did"
                | "does"
                | "can"
                | "may"
                | "might"
                | "should"
        )
}

/// Builds the claim of one sentence, or `None` when it makes none.
fn build_claim(sent: &Sent, att: &Attribution, mentions: &[Mention], published: Option<Date>) -> Option<Claim> {
    let lex = Lexicon::get();
    let doc = sent.doc;
    let sentence_start = doc.tokens[sent.start].start as usize;
    let sentence_end = doc.tokens[sent.end - 1].end as usize;
    let text = &doc.text[sentence_start..sentence_end];
    let content = att.content.clone();
    let mut cues: Vec<Cue> = Vec::new();
    let cue = |role: &'static str, a: usize, len: usize| -> Cue {
        let s = doc.tokens[a].start as usize;
        let e = doc.tokens[(a + len).min(sent.end) - 1].end as usize;
        Cue {
            role,
            start: (s - sentence_start) as u32,
            end: (e - sentence_start) as u32,
        }
    };
    if let Some((v, class, len)) = att.verb {
        if class == Class::Report {
            cues.push(cue("report", v, len));
        }
    }
    // Event, state and hedges inside the content.
    let mut event: Option<(usize, usize, u16)> = None;
    let mut state: Option<(usize, usize, u16)> = None;
    let mut hedge: Option<(usize, usize)> = None;
    let mut antecedent: Option<(usize, usize)> = None;
    // "the arrested mayor": a participle describing a noun names the event only when
    // nothing else in the content does.
    let attributive = |i: usize, len: usize| {
        i > content.start
            && len == 1
            && sent.lower(i).ends_with("ed")
            && matches!(sent.lower(i - 1), "the" | "a" | "an" | "its" | "his" | "her" | "their")
            && i + 1 < sent.end
            && doc.tokens[i + 1].kind == TokenKind::Word
            && !Lexicon::get().is_stop(sent.lower(i + 1))
    };
    let mut described: Option<(usize, usize, u16)> = None;
    for i in content.clone() {
        for m in sent.cues(i) {
            match m.class {
                Class::Event(e) if other_sense(sent, i, m.len, lex.event_types[e as usize]) => {}
                Class::Event(e) if described.is_none() && event.is_none() && attributive(i, m.len) => {
                    described = Some((i, m.len, e))
                }
                Class::Event(e) if event.is_none() && !attributive(i, m.len) => event = Some((i, m.len, e)),
                // A state inside a relative clause ("the village, which was still held")
                // describes something else, and one in a condition ("if he were freed")
                // is not the case.
                Class::State(s)
                    if state.is_none()
                        && !not_a_party_state(sent, i, m.len, lex.states[s as usize])
                        && !(content.start..i).any(|k| {
                            matches!(
                                sent.lower(k),
                                "which" | "who" | "whose" | "where" | "if" | "unless" | "whether"
                            )
                        }) =>
                {
                    state = Some((i, m.len, s))
                }
                Class::Hedge if hedge.is_none() => {
                    let w = doc.word(i);
                    // "May 3" is a date, not a hedge.
                    let month = w == "May" && i + 1 < sent.end && doc.tokens[i + 1].kind == TokenKind::Number;
                    // "signed a deal that is expected to lift sales": a hedge in a relative
                    // clause after the event is about what follows from it.
                    let relative = event.is_some_and(|(at, _, _)| {
                        (at + 1..i).any(|k| matches!(sent.lower(k), "that" | "which" | "who"))
                    });
                    if !month && !relative {
                        hedge = Some((i, m.len));
                    }
                }
                // "denied the claims that ...", "denied it was because of ...": the word opens
                // a clause of its own, which says what is denied.
                Class::Antecedent if antecedent.is_none() && i == content.start && !opens_clause(sent, i + m.len) => {
                    antecedent = Some((i, m.len))
                }
                _ => {}
            }
        }
    }
    let event = event.or(described).or_else(|| money_taken(sent, content.clone()));
    // Hedges in the attribution ("X reportedly said") count too.
    if hedge.is_none() {
        for i in sent.start..content.start.min(sent.end) {
            if sent.has(i, |c| c == Class::Hedge) && doc.word(i) != "May" {
                hedge = Some((i, 1));
                break;
            }
        }
    }
    // A headline of the explainer's form, telling of no happening or state ("What we know
    // about the dam", "What you need to know", "Everything we know so far"), asserts
    // nothing another report could contradict. One that tells of something ("What we know
    // about the arrest of X") still asserts it.
    if doc.field == Field::Title
        && event.is_none()
        && state.is_none()
        && content.start == sent.start
        && sent.start + 1 < sent.end
        && matches!(sent.lower(sent.start), "what" | "everything")
        && matches!(sent.lower(sent.start + 1), "we" | "you" | "to")
    {
        return None;
    }
    let predicate_at = event.map(|e| e.0).or(state.map(|s| s.0));
    let mut st = stance::read(sent, att, content.clone(), predicate_at, doc.field == Field::Title);
    let mut quantity = quantity::find(doc, content.start, content.end);
    // "says 40 bodies were recovered, disputes the government toll": disputing an earlier
    // figure while giving one's own is a claim about the figure (the numeric rule compares
    // the two), not a denial of the event.
    if st.polarity == Polarity::Deny && quantity.is_some() {
        let figure = |i: usize| FIGURE_NOUNS.contains(&sent.lower(i));
        let disputes_figure = st.cues.iter().any(|&(role, v, len)| {
            role == "deny"
                && (v + len..(v + len + 3).min(sent.end)).any(|i| sent.has(i, |c| c == Class::Referent) && figure(i))
        });
        if disputes_figure {
            st.polarity = Polarity::Assert;
            st.cues.retain(|c| c.0 != "deny");
        }
    }
    // "did not say whether a ransom was paid", "declined to say if it was", "if a ransom
    // was paid, ...": a question left open, or a condition, before the happening asserts
    // nothing and denies nothing (the negation is of the saying).
    let open_question = predicate_at.and_then(|at| {
        (content.start.max(sent.start)..at.min(sent.end))
            .find(|&k| match sent.lower(k) {
                "whether" => true,
                // "If the ransom was paid, ...", "fear that, if the deal is not ratified, ...":
                // a condition.
                "if" | "unless" if k == sent.start || matches!(sent.lower(k - 1), "," | "that" | "even") => true,
                "if" => k > sent.start && LEAVE_OPEN.contains(&sent.lower(k - 1)),
                _ => false,
            })
            // "measures, if necessary, under the agreement": the clause ends before the
            // happening.
            .filter(|&k| !(k..at).any(|t| sent.doc.word(t) == ","))
    });
    // "questioned whether", "doubts whether": the doubt is the claim's stance.
    let open_question = open_question.filter(|&k| !st.cues.iter().any(|c| c.0 != "negation" && c.1 < k));
    if let Some(k) = open_question {
        st.polarity = Polarity::Assert;
        st.cues.retain(|c| !(c.0 == "negation" && c.1 < k));
    }
    let polarity = st.polarity;
    for &(role, i, len) in &st.cues {
        cues.push(cue(role, i, len));
    }
    let negation = st.cues.iter().any(|c| c.0 == "negation");
    // Modality.
    // "The mayor didn't resign; so who did?": a wh-question opening a clause after
    // the claim asks about something else, and leaves the claim as stated.
    let opens_question = content.start < sent.end
        && matches!(
            sent.lower(content.start),
            "is" | "was"
                | "are"
                | "were"
                | "did"
                | "does"
                | "do"
                | "has"
                | "have"
                | "will"
                | "can"
                | "could"
                | "should"
        );
    let asks_after = !opens_question
        && (content.start + 3..sent.end).any(|k| {
            matches!(
                sent.lower(k),
                "what" | "why" | "how" | "who" | "where" | "when" | "which"
            ) && matches!(
                sent.lower(k - 1),
                ";" | ":" | "," | "-" | "\u{2013}" | "so" | "but" | "and"
            )
        });
    let question = text.trim_end_matches(['"', '\u{201d}', '\'', ')', ' ']).ends_with('?') && !asks_after;
    let modality = if question || open_question.is_some() {
        Modality::Question
    } else if hedge.is_some() {
        Modality::Hedged
    } else {
        Modality::Certain
    };
    if let Some((i, len)) = hedge {
        cues.push(cue("hedge", i, len));
    }
    if let Some(q) = quantity.as_mut() {
        let at = content.start.max(sent.start);
        let q_tok = (at..content.end)
            .find(|&t| doc.text[doc.tokens[t].start as usize..].starts_with(q.text.as_str()))
            .unwrap_or(at);
        q.holder = (content.start..q_tok)
            .rev()
            .find_map(|t| sent.mention_at[t - sent.start])
            .map(|m| mentions[m].entity.clone());
    }
    // The date of the event, read in the content only: "said on Monday" dates the
    // statement, not what it is about.
    // A happening still to come ("will sign on Friday", "is to release March 31") has a
    // plan, not a date.
    let planned = |at: usize| {
        (at.saturating_sub(2).max(content.start)..at)
            .any(|k| matches!(sent.lower(k), "will" | "would" | "to" | "shall"))
    };
    let time = match event {
        Some((at, _, _)) if planned(at) => None,
        Some((at, _, e)) => {
            // Every word of the event's type names the happening: "signed a five-year
            // trade and investment agreement in Accra on Monday" dates the agreement.
            let triggers: Vec<usize> = content
                .clone()
                .filter(|&i| i == at || sent.cues(i).any(|m| m.class == Class::Event(e)))
                .collect();
            when::find_for(doc, content.start, content.end, published, &triggers)
        }
        None => when::find(doc, content.start, content.end, published),
    };
    let has_cue = att.verb.is_some()
        || event.is_some()
        || state.is_some()
        || !st.cues.is_empty()
        || quantity.is_some()
        || negation;
    if doc.field == Field::Body && !has_cue {
        return None;
    }
    if content.start >= content.end && antecedent.is_none() && att.verb.is_none() {
        return None;
    }
    let event_type = event.map(|(_, _, e)| lex.event_types[e as usize]).unwrap_or("other");
    let predicate = event.map(|(i, len, _)| cue("event", i, len));
    if let Some(p) = &predicate {
        cues.push(p.clone());
    }
    if let Some((i, len, _)) = state {
        cues.push(cue("state", i, len));
    }
    // Arguments.
    let pred_tok = event.map(|e| e.0).unwrap_or(content.start);
    let pred_end = event.map(|e| e.0 + e.1).unwrap_or(content.start);
    let mut agent = None;
    let mut target = None;
    let mut location = None;
    let mut entities: Vec<EntityRef> = Vec::new();
    let mut last_mention = None;
    // Passive voice ("Kursk has been retaken", "he was arrested"): the name before the
    // predicate is what it was done to; the doer, if any, follows "by".
    let passive = event.is_some()
        && pred_tok > content.start
        && matches!(
            sent.lower(pred_tok - 1),
            "been"
                | "was"
                | "were"
                | "is"
                | "are"
                | "be"
                | "being"
                | "got"
                | "get"
                | "fully"
                | "completely"
                | "entirely"
        )
        && (pred_tok < 2
            || pred_tok - 2 < content.start
            || !matches!(sent.lower(pred_tok - 1), "fully" | "completely" | "entirely")
            || matches!(sent.lower(pred_tok - 2), "been" | "was" | "were" | "is" | "are" | "be"));
    // Headlines drop the auxiliary: "Orvane arrested", "mayor freed" are passives (an
    // active headline is in the present: "Police arrest mayor").
    let headline_participle = doc.field == Field::Title
        && event.is_some_and(|(_, len, _)| len == 1)
        && pred_tok > content.start
        && (sent.lower(pred_tok).ends_with("ed") || sent.lower(pred_tok).ends_with("en"));
    let passive = passive || headline_participle;
    let mut after_by = false;
    for i in content.clone() {
        if sent.lower(i) == "by" && i >= pred_end {
            after_by = true;
        }
        let Some(mi) = sent.mention_at[i - sent.start] else {
            continue;
        };
        if last_mention == Some(mi) {
            continue;
        }
        last_mention = Some(mi);
        let m = &mentions[mi];
        if !entities.contains(&m.entity) {
            entities.push(m.entity.clone());
        }
        // "Dana Kell, head of the port authority, resigned": a name in an aside between
        // the subject and its verb describes the subject and does not replace it.
        let aside = i < pred_tok
            && (target.is_some() || agent.is_some())
            && (content.start..i).any(|k| sent.doc.word(k) == ",")
            && (i..pred_tok).any(|k| sent.doc.word(k) == ",");
        if aside {
            // Keep the subject.
        } else if i < pred_tok && passive {
            let placeish = matches!(m.kind, EntityKind::Place);
            if placeish {
                location = Some(m.entity.clone());
            } else {
                target = Some(m.entity.clone());
            }
        } else if i < pred_tok
            && m.kind == EntityKind::Place
            && (i..pred_tok).all(|k| sent.mention_at[k - sent.start] == Some(mi))
        {
            // A place right before the event word names where it happened ("the Arica
            // floods", "a Lisbridge strike"), not who did it.
            location = Some(m.entity.clone());
        } else if i < pred_tok || (passive && after_by && agent.is_none()) {
            // "Mali rebels seized the town": the rebels did it, not Mali.
            let after = (i..sent.end).find(|&k| sent.mention_at[k - sent.start] != Some(mi));
            if !after.is_some_and(|k| attribution::non_state_group(sent.lower(k))) {
                agent = Some(m.entity.clone());
            }
        } else if i >= pred_end {
            let prev = if i > sent.start { sent.lower(i - 1) } else { "" };
            let placeish = matches!(m.kind, EntityKind::Place) || (m.kind == EntityKind::Country && !m.government);
            let locative = lex.word_has(prev, |c| c == Class::Locative) || matches!(prev, "of" | "the");
            if location.is_none() && placeish && (locative || event_type == "take_control" || event_type == "withdraw")
            {
                location = Some(m.entity.clone());
            } else if target.is_none() && !from_source(sent, i) {
                target = Some(m.entity.clone());
            }
        }
    }
    // "its troops helped free the region": the doer of a helped action is shared, so no
    // single agent is named.
    if helped(sent, content.start..pred_tok) {
        agent = None;
    }
    // "freed the region" is taking control of a place, "captured the mayor" is an arrest:
    // what the verb acts on decides between the senses.
    let kind_of = |r: &Option<EntityRef>| {
        r.as_ref()
            .and_then(|e| mentions.iter().find(|m| &m.entity == e))
            .map(|m| m.kind)
    };
    let object_is_place = location.is_some() || matches!(kind_of(&target), Some(EntityKind::Place));
    let mut event_type = event_type;
    if event_type == "release" && object_is_place {
        event_type = "take_control";
        if let (Some((i, len, s)), Some(full)) = (state, lex.states.iter().position(|s| *s == ("control", "full"))) {
            if lex.states[s as usize].0 == "custody" {
                state = Some((i, len, full as u16));
            }
        }
    } else if event_type == "take_control" && matches!(kind_of(&target), Some(EntityKind::Person)) {
        event_type = "arrest";
    }
    // Content terms, for matching claims that have no event type.
    let mut terms: Vec<u64> = Vec::new();
    for i in content.clone() {
        if doc.tokens[i].kind != TokenKind::Word {
            continue;
        }
        let w = sent.lower(i);
        if lex.is_stop(w) || w.len() < 3 {
            continue;
        }
        if sent.has(i, |c| {
            matches!(
                c,
                Class::Report | Class::Hedge | Class::Negation | Class::Refute | Class::Deny
            )
        }) {
            continue;
        }
        let h = term_hash(stem(w));
        if !terms.contains(&h) {
            terms.push(h);
        }
    }
    let (claimer, claimer_entity) = match &att.claimer {
        Some(sp) => speaker_name(sent, sp, mentions),
        None => (String::new(), None),
    };
    let chain = att.chain.iter().map(|sp| speaker_name(sent, sp, mentions).0).collect();
    // A state phrase may hold its own negation ("not dead", "won't resign"). When that
    // negation is what makes the claim a denial, the claim denies the other state:
    // "X is NOT dead" denies "dead" rather than denying "alive".
    let state = state.map(|(i, len, s)| {
        let s = lex.states[s as usize];
        let negated_inside = polarity == Polarity::Deny
            && st
                .cues
                .iter()
                .any(|&(role, n, _)| role == "negation" && i <= n && n < i + len);
        match lex.other_state(s).filter(|_| negated_inside) {
            Some(other) => other,
            None => s,
        }
    });
    // A denial that only points back at an earlier claim.
    // "denied the claim", "disputes the Russian account": a short content that names an
    // earlier claim rather than making one.
    let short = content.end.saturating_sub(content.start) <= 5;
    let referent = (content.start..content.end)
        .find(|&i| sent.has(i, |c| c == Class::Referent))
        .filter(|&i| !opens_clause(sent, i + 1))
        .map(|i| (i, 1));
    let antecedent = antecedent
        .filter(|a| content.end.saturating_sub(content.start) <= a.1 + 2)
        .or(if short { referent } else { None });
    let reference = polarity == Polarity::Deny && antecedent.is_some() && event.is_none();
    if let (true, Some((i, len))) = (reference, antecedent) {
        cues.push(cue("antecedent", i, len));
    }
    Some(Claim {
        seq: 0,
        span: Span {
            field: doc.field,
            start: sentence_start as u32,
            end: sentence_end as u32,
        },
        text: text.to_string(),
        claimer,
        claimer_entity,
        speaks_for: None,
        chain,
        event_type,
        predicate: predicate.map_or_else(String::new, |p| p.text_in(text).to_string()),
        agent,
        target,
        location,
        entities,
        terms,
        polarity,
        modality,
        quantity: quantity.map(Box::new),
        time,
        state,
        refers_to: if reference { Some(u32::MAX) } else { None },
        cues,
    })
}

/// Words after which "if" leaves open what follows, as "whether" always does: saying,
/// knowing, asking ("did not say if", "unclear if", "asked if").
const LEAVE_OPEN: &[&str] = &[
    "say",
    "said",
    "says",
    "saying",
    "tell",
    "told",
    "know",
    "known",
    "knew",
    "clear",
    "unclear",
    "confirm",
    "confirmed",
    "asked",
    "ask",
    "asking",
    "comment",
    "commented",
    "disclose",
    "disclosed",
    "reveal",
    "revealed",
    "sure",
    "certain",
    "determine",
    "determined",
    "establish",
    "established",
    "decide",
    "decided",
    "investigating",
    "examining",
    "checking",
    "wondered",
    "wonder",
];

/// Referent nouns that name an earlier figure rather than an earlier claim.
const FIGURE_NOUNS: [&str; 5] = ["figure", "figures", "estimate", "count", "toll"];

/// The claimer's display name and entity: the entity's name for a plain name, the phrase
/// as written when it says more ("Pyongyang's military").
fn speaker_name(sent: &Sent, sp: &Speaker, mentions: &[Mention]) -> (String, Option<EntityRef>) {
    let doc = sent.doc;
    let s = doc.tokens[sp.tokens.start].start as usize;
    let e = doc.tokens[sp.tokens.end - 1].end as usize;
    let mut written = doc.text[s..e].trim().to_string();
    if let Some(x) = written.strip_suffix("'s").or_else(|| written.strip_suffix("\u{2019}s")) {
        written = x.to_string();
    }
    let written = written
        .strip_prefix("The ")
        .or_else(|| written.strip_prefix("the "))
        .unwrap_or(&written)
        .to_string();
    let here = (doc.field, doc.tokens[sp.tokens.start].start);
    let head = sent.lower(sp.tokens.end - 1);
    // "Meridale spokesman Sipho Radebe": a spokesperson speaks for the body named with
    // the office, not as a person of their own.
    let spokes = sp.tokens.clone().position(|k| sent.lower(k).starts_with("spokes"));
    if let Some(at) = spokes.map(|p| sp.tokens.start + p) {
        let body = (sp.tokens.start..at)
            .filter_map(|k| sent.mention(k))
            .map(|mi| &mentions[mi])
            .rfind(|m| !matches!(m.kind, EntityKind::Person | EntityKind::Country | EntityKind::Place));
        if let Some(b) = body {
            return (written, Some(b.entity.clone()));
        }
    }
    if let Some(m) = sp.mention {
        return (written, Some(mentions[m].entity.clone()));
    }
    // "the company said": the body of that kind the article named last.
    if matches!(
        head,
        "company"
            | "firm"
            | "group"
            | "club"
            | "bank"
            | "carrier"
            | "airline"
            | "utility"
            | "operator"
            | "insurer"
            | "lender"
            | "retailer"
            | "manufacturer"
            | "maker"
    ) && sp.tokens.len() <= 2
        && !sp.pronoun
    {
        let named = mentions
            .iter()
            .rfind(|m| (m.span.field, m.span.start) < here && m.kind == EntityKind::Organization);
        if let Some(b) = named {
            return (written, Some(b.entity.clone()));
        }
    }
    // "the president said": the last person the article gave that role.
    if Lexicon::get().word_has(head, |c| c == Class::Role) && !sp.pronoun {
        let holder = mentions
            .iter()
            .filter(|m| (m.span.field, m.span.start) < here && m.kind == EntityKind::Person)
            .rfind(|m| {
                m.role.as_deref().is_some_and(|r| {
                    r.to_lowercase()
                        .split_whitespace()
                        .any(|w| w.trim_end_matches('.') == head)
                })
            });
        if let Some(h) = holder {
            return (h.surface.to_string(), Some(h.entity.clone()));
        }
    }
    (written, None)
}

/// A quotation running over several sentences has one speaker, named once: before it
/// (`X said: "A. B."`) or after it (`"A. B," X said.`). The sentences inside it take that
/// speaker. A quotation opens in a sentence whose last quotation mark opens one and
/// closes in the next sentence whose last mark closes one; the sentences between, with
/// no mark, are inside it (sentences that made no claim are simply not seen).
fn quoted_speakers(claims: &mut [Claim]) {
    let mut open: Option<usize> = None;
    let mut i = 0;
    while i < claims.len() {
        // Claims of one sentence are read together.
        let mut next = i + 1;
        while next < claims.len() && claims[next].span == claims[i].span {
            next += 1;
        }
        let c = &claims[i];
        if c.span.field != Field::Body {
            open = None;
            i = next;
            continue;
        }
        match (quote_left_open(&c.text), open) {
            // Opens a quotation (and ends any left unclosed).
            (Some(true), _) => open = Some(i),
            (Some(false), Some(start)) => {
                // The speaker named after a quotation that opens its sentence, else the
                // one named before it.
                let opens = claims[start].text.starts_with(['"', '\u{201c}']);
                let from = if opens || claims[start].claimer.is_empty() {
                    i
                } else {
                    start
                };
                let speaker = (
                    claims[from].claimer.clone(),
                    claims[from].claimer_entity.clone(),
                    claims[from].speaks_for,
                );
                if !speaker.0.is_empty() {
                    for c in &mut claims[start..next] {
                        if c.claimer.is_empty() {
                            (c.claimer, c.claimer_entity, c.speaks_for) = speaker.clone();
                        }
                    }
                }
                open = None;
            }
            _ => {}
        }
        i = next;
    }
}

/// Whether a sentence leaves a quotation open (`Some(true)`: its last quotation mark opens
/// one, the marks before it pair up) or closes one opened before it (`Some(false)`);
/// `None` when its marks pair up. A straight mark opens after a space or at the start.
fn quote_left_open(text: &str) -> Option<bool> {
    let marks: Vec<(usize, char)> = text
        .char_indices()
        .filter(|(_, ch)| matches!(ch, '"' | '\u{201c}' | '\u{201d}'))
        .collect();
    if marks.len().is_multiple_of(2) {
        return None;
    }
    let &(at, ch) = marks.last()?;
    Some(match ch {
        '\u{201c}' => true,
        '\u{201d}' => false,
        _ => text[..at]
            .chars()
            .next_back()
            .is_none_or(|p| p.is_whitespace() || p == ':'),
    })
}

/// Points each referring denial at the claim it denies: the nearest earlier claim in the
/// article that asserts something, made by someone else; then copies that claim's
/// proposition. An account, a claim or a report is something someone said, so a claim
/// with a named claimer is preferred to the article's own narration in between ("Putin
/// said Russia had retaken the region. The general staff praised the troops. Kyiv
/// disputes the Russian account.").
fn link_references(claims: &mut [Claim]) {
    for i in 0..claims.len() {
        if claims[i].refers_to != Some(u32::MAX) {
            continue;
        }
        let me = claims[i].claimer_entity.clone();
        let candidate = |c: &Claim| {
            c.polarity == Polarity::Assert && c.refers_to.is_none() && (me.is_none() || c.claimer_entity != me)
        };
        let target = (0..i)
            .rev()
            .find(|&j| candidate(&claims[j]) && !claims[j].claimer.is_empty())
            .or_else(|| {
                (0..i)
                    .rev()
                    .find(|&j| candidate(&claims[j]) && claims[j].event_type != "other")
            });
        match target {
            Some(j) => {
                let src = claims[j].clone();
                let c = &mut claims[i];
                c.refers_to = Some(src.seq);
                c.event_type = src.event_type;
                c.predicate = src.predicate;
                c.agent = src.agent;
                c.target = src.target;
                c.location = src.location;
                c.entities = src.entities;
                c.terms = src.terms;
                c.state = src.state;
                c.time = src.time;
                c.quantity = src.quantity;
            }
            None => claims[i].refers_to = None,
        }
    }
}

#[cfg(test)]
mod tests;

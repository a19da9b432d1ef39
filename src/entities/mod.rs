//! Entities: the names in an article, each tied to an entity, and (corpus-wide) one entity
//! per real-world thing whatever the spelling.
//!
//! Per article ([`find_mentions`]):
//! 1. the gazetteer automaton finds countries, demonyms, regions, cities and government
//!    seats; each hit is checked for case and context (a city inside a longer name, a
//!    common word, a capital that acts for its government, a region named by its base and
//!    a descriptor such as "Kursk border region");
//! 2. capitalised spans the gazetteer lacks become name candidates, with leading roles and
//!    titles stripped off ("President Vladimir Putin" → "Vladimir Putin", role
//!    "President") and short forms tied to the full name earlier in the article ("Putin");
//!
//! Corpus-wide ([`cluster::resolve`]): candidates from all articles are clustered by
//! blocking keys and string similarity, and every entity gets its final id.

pub mod cluster;
pub mod gazetteer;
pub mod held;

use rustc_hash::FxHashMap;

use self::gazetteer::Role;
pub use self::gazetteer::{Gazetteer, GazetteerBuilder};
pub use self::held::{HeldNames, MentionView, NameRef};
use crate::lexicon::{Class, Lexicon};
use crate::model::{EntityKind, EntityRef, Field, Mention, Span};
use crate::segment::Doc;
use crate::text::{fold_name, is_all_caps, is_capitalized, TokenKind};

/// Names found in one field that still need the corpus: capitalised runs in title-case or
/// all-caps text, where capitals do not mark names. They are matched against the names
/// found elsewhere in the corpus ([`cluster::resolve`]).
#[derive(Clone, Debug)]
pub struct WeakRun {
    /// Field.
    pub field: Field,
    /// Folded words, as written, with their byte spans.
    pub words: Vec<(Box<str>, Box<str>, u32, u32)>,
}

/// Everything the entities stage finds in one article.
#[derive(Clone, Default, Debug)]
pub struct ArticleNames {
    /// Mentions in text order (title first).
    pub mentions: Vec<Mention>,
    /// Runs to resolve against the corpus.
    pub weak: Vec<WeakRun>,
    /// Acronyms the article spells out: (acronym key, expansion key).
    pub acronyms: Vec<(Box<str>, Box<str>)>,
}

/// True when a field reads as a headline in Title Case or ALL CAPS, where capitals do not
/// mark names.
pub fn is_headline_case(doc: &Doc, range: std::ops::Range<usize>) -> bool {
    let lex = Lexicon::get();
    let mut words = 0;
    let mut caps = 0;
    for i in range {
        if doc.tokens[i].kind != TokenKind::Word {
            continue;
        }
        let w = doc.word(i);
        if lex.is_stop(doc.lower(i)) && !is_all_caps(w) {
            continue;
        }
        words += 1;
        if is_capitalized(w) {
            caps += 1;
        }
    }
    words >= 3 && caps * 10 >= words * 8
}

/// Finds the mentions of one article, given its segmented fields (title first).
pub fn find_mentions(gaz: &Gazetteer, docs: &[Doc]) -> ArticleNames {
    let mut out = ArticleNames::default();
    let mut hits = gazetteer_hits(gaz, docs);
    let mut covered: Vec<Vec<(u32, u32)>> = vec![Vec::new(); docs.len()];
    for h in &hits {
        covered[h.doc].push((h.start, h.end));
    }
    let mut names: Vec<Candidate> = Vec::new();
    for (d, doc) in docs.iter().enumerate() {
        find_candidates(gaz, doc, d, &covered[d], &hits, &mut names, &mut out);
    }
    link_short_names(&mut names, &mut out.acronyms);
    // Sentence-initial single words that no full name claimed are ordinary words.
    names.retain(|c| !c.initial_single);
    relink_hits(gaz, &mut hits, &names);
    let mut all: Vec<(usize, Mention)> = hits.into_iter().map(|h| (h.doc, h.mention)).collect();
    all.extend(names.into_iter().map(|c| (c.doc, c.mention)));
    all.sort_by_key(|(d, m)| (*d, m.span.start, m.span.end));
    appositive_roles(docs, &mut all);
    resolve_definite(gaz, docs, &mut all);
    resolve_roles(docs, &mut all);
    out.mentions = all.into_iter().map(|(_, m)| m).collect();
    out
}

/// Step 1 of [`find_mentions`] alone: the gazetteer's places, countries and demonyms in
/// one article, with their senses chosen, before the names it lacks are looked for.
/// Public so that benchmarks can set the gazetteer scan beside a bare scan of the same
/// automaton.
pub fn gazetteer_mentions(gaz: &Gazetteer, docs: &[Doc]) -> Vec<Mention> {
    gazetteer_hits(gaz, docs).into_iter().map(|h| h.mention).collect()
}

fn gazetteer_hits(gaz: &Gazetteer, docs: &[Doc]) -> Vec<Hit> {
    let mut hits: Vec<Hit> = Vec::new();
    for (d, doc) in docs.iter().enumerate() {
        scan_gazetteer(gaz, doc, d, &mut hits);
    }
    hits.sort_by_key(|h| (h.doc, h.start, h.end));
    choose_senses(gaz, docs, &mut hits);
    hits.retain(|h| !h.senses.is_empty());
    hits
}

/// A role given after a name ("Renato Ferrazzi, the mayor of X," or "Aalberg, chief
/// executive of Y,") is the person's role as much as one written before it.
fn appositive_roles(docs: &[Doc], all: &mut [(usize, Mention)]) {
    let lex = Lexicon::get();
    for (d, m) in all.iter_mut() {
        if m.kind != EntityKind::Person || m.role.is_some() {
            continue;
        }
        let doc = &docs[*d];
        let mut i = doc.token_at(m.span.end as usize);
        if i >= doc.tokens.len() || doc.word(i) != "," {
            continue;
        }
        i += 1;
        if i < doc.tokens.len() && matches!(doc.lower(i), "the" | "a" | "its" | "his" | "her") {
            i += 1;
        }
        // "Kremlin spokesman", "deputy mayor": up to two words before the role.
        for _ in 0..3 {
            if i >= doc.tokens.len() {
                break;
            }
            if let Some(r) = doc.cues(i).iter().find(|c| c.class == Class::Role) {
                let end = doc.tokens[(i + r.len).min(doc.tokens.len()) - 1].end as usize;
                m.role = Some(doc.text[doc.tokens[i].start as usize..end].into());
                break;
            }
            if doc.tokens[i].kind != TokenKind::Word || lex.is_stop(doc.lower(i)) {
                break;
            }
            i += 1;
        }
    }
}

/// A bare role ("the mayor", "mayor freed") names the one person the article gives that
/// role; when two people share it, nothing is guessed.
fn resolve_roles(docs: &[Doc], all: &mut Vec<(usize, Mention)>) {
    let mut holders: FxHashMap<String, Vec<(EntityRef, Option<u32>)>> = FxHashMap::default();
    for (_, m) in all.iter() {
        let (EntityKind::Person, Some(role), EntityRef::Name(_)) = (m.kind, &m.role, &m.entity) else {
            continue;
        };
        for w in role.split_whitespace() {
            let w = crate::text::lower(w.trim_end_matches('.'));
            let list = holders.entry(w).or_default();
            if !list.iter().any(|(e, _)| *e == m.entity) {
                list.push((m.entity.clone(), m.affiliation));
            }
        }
    }
    if holders.is_empty() {
        return;
    }
    let mut extra: Vec<(usize, Mention)> = Vec::new();
    for (d, doc) in docs.iter().enumerate() {
        for i in 0..doc.tokens.len() {
            if !word_has(doc, i, |c| c == Class::Role) {
                continue;
            }
            // Cheap tests first: a role nobody holds needs no scan of the mentions.
            let Some(list) = holders.get(doc.lower(i)) else {
                continue;
            };
            if i + 1 < doc.tokens.len() && is_capitalized(doc.word(i + 1)) && doc.field == Field::Body {
                continue;
            }
            // Part of a name ("Mayor Renato Ferrazzi") or already covered: skip.
            let (s, e) = (doc.tokens[i].start, doc.tokens[i].end);
            if all
                .iter()
                .any(|(md, m)| *md == d && m.span.start <= e && s <= m.span.end)
            {
                continue;
            }
            if let [(entity, affiliation)] = list.as_slice() {
                extra.push((
                    d,
                    Mention {
                        entity: entity.clone(),
                        surface: doc.word(i).into(),
                        span: Span {
                            field: doc.field,
                            start: s,
                            end: e,
                        },
                        kind: EntityKind::Person,
                        role: Some(doc.word(i).into()),
                        affiliation: *affiliation,
                        government: false,
                    },
                ));
            }
        }
    }
    if !extra.is_empty() {
        all.extend(extra);
        all.sort_by_key(|(d, m)| (*d, m.span.start, m.span.end));
    }
}

/// Definite descriptions that point back at a place the article named: "the region",
/// "the province", "the oblast" → the last region; "the city", "the town", "the
/// capital" → the last city; "the country" → the last country. They become mentions of
/// that entity (so claims about "the region" are anchored where the article means).
fn resolve_definite(gaz: &Gazetteer, docs: &[Doc], all: &mut Vec<(usize, Mention)>) {
    let mut extra: Vec<(usize, Mention)> = Vec::new();
    for (d, doc) in docs.iter().enumerate() {
        for i in 1..doc.tokens.len() {
            if doc.lower(i - 1) != "the" {
                continue;
            }
            let want: fn(&gazetteer::Known) -> bool = match doc.lower(i) {
                "region" | "province" | "oblast" | "territory" | "state" => |k| k.code.contains('-'),
                "city" | "town" | "capital" | "village" => |k| k.kind == EntityKind::Place && !k.code.contains('-'),
                "country" => |k| k.kind == EntityKind::Country,
                _ => continue,
            };
            // "the region of X", "the city council": not a reference.
            if i + 1 < doc.tokens.len()
                && (matches!(doc.lower(i + 1), "of" | "council" | "government" | "hall")
                    || is_capitalized(doc.word(i + 1)))
            {
                continue;
            }
            let pos = doc.tokens[i].start;
            let antecedent = all
                .iter()
                .filter(|(md, m)| (*md, m.span.start) < (d, pos))
                .filter_map(|(_, m)| match m.entity {
                    EntityRef::Known(e) if want(&gaz.entries[e as usize]) && !m.government => Some(m),
                    _ => None,
                })
                .next_back();
            if let Some(a) = antecedent {
                extra.push((
                    d,
                    Mention {
                        entity: a.entity.clone(),
                        surface: doc.text[doc.tokens[i - 1].start as usize..doc.tokens[i].end as usize].into(),
                        span: Span {
                            field: doc.field,
                            start: doc.tokens[i - 1].start,
                            end: doc.tokens[i].end,
                        },
                        kind: a.kind,
                        role: None,
                        affiliation: None,
                        government: false,
                    },
                ));
            }
        }
    }
    if !extra.is_empty() {
        all.extend(extra);
        all.sort_by_key(|(d, m)| (*d, m.span.start, m.span.end));
    }
}

/// A name candidate of the article.
struct Candidate {
    doc: usize,
    mention: Mention,
    /// A lone capitalised word at the start of a sentence: kept only when a full name of
    /// the article claims it.
    initial_single: bool,
}

/// A gazetteer hit before its sense is chosen.
struct Hit {
    doc: usize,
    start: u32,
    end: u32,
    /// The automaton pattern, when the hit came from one.
    pattern: Option<usize>,
    /// In the place part of a dateline.
    dateline: bool,
    /// Candidate senses (entry, role), already filtered by context.
    senses: Vec<(u32, Role)>,
    mention: Mention,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// [`Lexicon::word_has`] for token `i`, read from the lookups the segmenter already made
/// (a one-word phrase is a match of length 1), so no hash lookup.
#[inline]
fn word_has(doc: &Doc, i: usize, pred: impl Fn(Class) -> bool) -> bool {
    doc.cues(i).iter().any(|m| m.len == 1 && pred(m.class))
}

fn scan_gazetteer(gaz: &Gazetteer, doc: &Doc, d: usize, hits: &mut Vec<Hit>) {
    let lex = Lexicon::get();
    let text = doc.text;
    let headline = doc.field == Field::Title && is_headline_case(doc, 0..doc.tokens.len());
    // The automaton is case-sensitive: names are found as they are written. Text in
    // capitals (wire headlines, datelines) is scanned again in title case, so
    // "BELGRADE" is found as "Belgrade".
    // Matches inside a longer word ("US" in "BRUSSELS", "HOUSTON") are dropped before
    // the rescan, so they cannot hide the word's own match.
    let bounded = |s: usize, e: usize| {
        !text[..s].chars().next_back().is_some_and(is_word_char) && !text[e..].chars().next().is_some_and(is_word_char)
    };
    let mut found: Vec<(usize, usize, usize)> = Vec::new();
    gaz.scan(text, |s, e, p| {
        if bounded(s, e) {
            found.push((s, e, p));
        }
    });
    // The dateline names a place and then a date: only its place part ("LOUISVILLE,
    // Ky.") is read, so "March" in "NEW YORK, March 3 -" is never a town.
    let place = dateline_place(doc);
    // The dateline's town: up to a comma or a bracket ("NORTH CHICAGO, Ill.", "Seoul
    // [South Korea]"). A name inside it that is not all of it is part of an unknown
    // town's name ("North" of "NORTH CHICAGO").
    let town = {
        let head = &text[place.0..place.1];
        let cut = head.find([',', '[', '(']).unwrap_or(head.len());
        (place.0, place.0 + head[..cut].trim_end().len())
    };
    for (a, b) in shouting_spans(doc, place) {
        let titled = title_case(&text[a..b], a == place.0 && b == place.1);
        gaz.scan(&titled, |s, e, p| {
            let (s, e) = (a + s, a + e);
            if !found.iter().any(|&(fs, fe, _)| fs < e && s < fe) && b - a >= 2 && e - s >= 4 {
                found.push((s, e, p));
            }
        });
    }
    found.sort_unstable();
    // Senses are filtered in this buffer; only a hit that keeps some gets its own copy.
    let mut senses: Vec<(u32, Role)> = Vec::new();
    for (start, end, pattern) in found {
        let mut end = end;
        if !bounded(start, end) {
            continue;
        }
        let pat = &gaz.patterns[pattern];
        let surface = &text[start..end];
        let tok = doc.token_at(start);
        let sentence = doc.sentence_of(start);
        let in_dateline = place.0 <= start && start < place.1;
        if !in_dateline && doc.field == Field::Body && start < doc.skip {
            continue;
        }
        if in_dateline && start < town.1 && (start, end) != town {
            continue;
        }
        // "in March", "on Sunday": a month or a day is never a town.
        if pat.common_word && !in_dateline && is_calendar_word(&text[start..end]) {
            continue;
        }
        senses.clear();
        senses.extend_from_slice(&pat.senses);
        // Context: the words around the hit.
        let tok_end = doc.token_at(end);
        let prev = if tok > 0 { Some(tok - 1) } else { None };
        let sent_start = sentence.map(|s| doc.sentences[s].tok_start).unwrap_or(0);
        let prev_word = prev.filter(|&p| p >= sent_start && doc.tokens[p].kind == TokenKind::Word);
        let next_word = (tok_end < doc.tokens.len() && doc.tokens[tok_end].kind == TokenKind::Word).then_some(tok_end);
        let prev_is_name = prev_word.is_some_and(|p| {
            let w = doc.word(p);
            is_capitalized(w) && p > sent_start && !lex.is_stop(doc.lower(p)) && !lex.has(doc.lower(p))
        });
        // A possessive closes a name: "Russia's Kursk region" is Russia, then Kursk.
        let possessive = text[end..].starts_with("'s") || text[end..].starts_with("\u{2019}s");
        let next_is_name = !possessive
            && next_word.is_some_and(|n| {
                let w = doc.word(n);
                is_capitalized(w)
                    && !lex.is_stop(doc.lower(n))
                    && !classes_at(doc, n)
                        .any(|c| matches!(c, Class::Role | Class::Title | Class::Gov | Class::Descriptor))
            });
        let part_of_longer_name = !headline && !in_dateline && (prev_is_name || next_is_name);
        // A region named by its base plus a descriptor: "Kursk border region".
        let mut descriptor_end = None;
        if let Some(n) = next_word {
            let mut probe = n;
            if doc.lower(n) == "border" || doc.lower(n) == "frontier" {
                probe = n;
            }
            // Phrases of up to three words.
            if let Some(m) = doc
                .cues(probe)
                .iter()
                .find(|m| m.len <= 3 && m.class == Class::Descriptor)
            {
                descriptor_end = Some(doc.tokens[probe + m.len - 1].end);
            }
        }
        let region_sense = senses.iter().find_map(|&(e, role)| {
            let entry = &gaz.entries[e as usize];
            match role {
                Role::Base => Some(e),
                Role::Name if entry.code.contains('-') => Some(e),
                Role::Name => entry.region,
                Role::Demonym => None,
            }
        });
        if let (Some(dend), Some(r)) = (descriptor_end, region_sense) {
            senses.clear();
            senses.push((r, Role::Name));
            end = dend as usize;
        } else {
            // A base name alone names the region only when nothing else is meant.
            let has_other = senses.iter().any(|&(_, r)| r != Role::Base);
            if has_other {
                senses.retain(|&(_, r)| r != Role::Base);
            }
        }
        senses.retain(|&(e, role)| {
            let entry = &gaz.entries[e as usize];
            let is_city = entry.is_town() && role == Role::Name;
            // A country keeps its name even when the name is also a word ("Japan",
            // "Turkey", "Chad"): written with a capital it is nearly always the country.
            if pat.common_word
                && !in_dateline
                && descriptor_end.is_none()
                && entry.kind != EntityKind::Country
                && role != Role::Demonym
            {
                // A region named by a word ("Central", "Western", "Plateau") only with
                // its descriptor ("Central Province").
                if entry.code.contains('-') {
                    return false;
                }
                // "Split", "Mobile", "Reading": only as a place after a preposition, with
                // a capital letter, outside headline case.
                let after_locative = prev.is_some_and(|p| word_has(doc, p, |c| c == Class::Locative));
                if !(after_locative && !headline && !part_of_longer_name) {
                    return false;
                }
            }
            // A country's demonym stays one inside a longer name ("North Korean leader",
            // "British Airways"); an area's does not ("European Community").
            let demonym_of_country = role == Role::Demonym && entry.kind == EntityKind::Country;
            // So does a country's short form at the head of a name ("U.S. Agriculture
            // Department", "USSR Academy of Sciences"); a spelled-out one may be a
            // given name ("Chad Smith").
            let short_country =
                entry.kind == EntityKind::Country && !prev_is_name && (surface.contains('.') || is_all_caps(surface));
            if part_of_longer_name && !demonym_of_country && !short_country && descriptor_end.is_none() {
                return false;
            }
            if headline && is_city && entry.population < 500_000 && !entry.capital {
                return false;
            }
            true
        });
        if senses.is_empty() {
            continue;
        }
        let span = Span {
            field: doc.field,
            start: start as u32,
            end: end as u32,
        };
        let surface = &text[start..end];
        hits.push(Hit {
            doc: d,
            start: start as u32,
            end: end as u32,
            pattern: Some(pattern),
            dateline: in_dateline,
            senses: senses.clone(),
            mention: Mention {
                entity: EntityRef::Known(0),
                surface: surface.into(),
                span,
                kind: EntityKind::Place,
                role: None,
                affiliation: None,
                government: false,
            },
        });
        let _ = tok;
    }
    find_abbrevs(gaz, doc, d, place, hits);
    // A capital that acts stands for its government ("Moscow said", "Pyongyang's
    // military"); after a locative it stays a place ("signed in Pyongyang").
    // Only a capital or a metonym can act ([`choose_senses`] clears the flag otherwise).
    for h in hits.iter_mut().filter(|h| h.doc == d) {
        let can_act = h.senses.iter().any(|&(e, _)| {
            let entry = &gaz.entries[e as usize];
            entry.capital || entry.metonym
        });
        h.mention.government = can_act && acts_as_government(doc, h.start as usize, h.end as usize);
    }
}

/// Month and weekday names, full and short.
const CALENDAR_WORDS: [&str; 33] = [
    "january",
    "jan",
    "february",
    "feb",
    "march",
    "mar",
    "april",
    "apr",
    "may",
    "june",
    "jun",
    "july",
    "jul",
    "august",
    "aug",
    "september",
    "sept",
    "sep",
    "october",
    "oct",
    "november",
    "nov",
    "december",
    "dec",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "sat",
    "sun",
];

fn is_calendar_word(word: &str) -> bool {
    CALENDAR_WORDS.iter().any(|m| m.eq_ignore_ascii_case(word))
}

/// Byte range of the place part of a body's dateline: up to the comma before the date
/// ("LOUISVILLE, Ky., March 5 -" → "LOUISVILLE, Ky."), or up to an agency in brackets
/// ("WASHINGTON (AP) -"). Empty when there is none.
///
/// Ingest marks the datelines it recognises (`Doc::skip`); a wire dateline it leaves in
/// the text ("WILMINGTON, Del, March 24 -", "HOUSTON, APril 3 -", "****LONDON, March 5
/// -") is recognised here from its shape: words in capitals, a comma, a month and a day.
fn dateline_place(doc: &Doc) -> (usize, usize) {
    if doc.field != Field::Body {
        return (0, 0);
    }
    if doc.skip > 0 {
        let dateline = &doc.text[..doc.skip.min(doc.text.len())];
        let start = dateline.len() - dateline.trim_start().len();
        let Some(cut) = dateline.find(|c: char| c.is_ascii_digit() || c == '(') else {
            let end = dateline
                .trim_end_matches(|c: char| !c.is_alphanumeric() && c != '.')
                .len();
            return (start, end.max(start));
        };
        let head = &dateline[..cut];
        if dateline[cut..].starts_with('(') {
            return (start, head.trim_end().len().max(start));
        }
        return (start, head.rfind(',').unwrap_or(head.trim_end().len()).max(start));
    }
    let toks = &doc.tokens;
    let mut i = 0;
    // Leading debris: punctuation, a stray lowercase letter.
    while i < toks.len().min(6)
        && (toks[i].kind == TokenKind::Punct
            || (toks[i].kind == TokenKind::Word && doc.word(i).len() == 1 && !is_all_caps(doc.word(i))))
    {
        i += 1;
    }
    if i >= toks.len() || toks[i].kind != TokenKind::Word || doc.word(i).len() < 2 || !is_all_caps(doc.word(i)) {
        return (0, 0);
    }
    let start = toks[i].start as usize;
    let mut last_comma: Option<usize> = None;
    for j in i..toks.len().min(i + 12) {
        let w = doc.word(j);
        match toks[j].kind {
            TokenKind::Punct if w == "," => last_comma = Some(toks[j].start as usize),
            TokenKind::Punct if matches!(w, "." | "'" | "-" | "&") => {}
            TokenKind::Word
                if is_calendar_word(w)
                    && j + 1 < toks.len()
                    && toks[j + 1].kind == TokenKind::Number
                    && last_comma.is_some() =>
            {
                return (start, last_comma.unwrap_or(start));
            }
            TokenKind::Word if w.starts_with(char::is_uppercase) => {}
            _ => return (0, 0),
        }
    }
    (0, 0)
}

/// Region abbreviations after a place and a comma: "LOUISVILLE, Ky., March 5 -",
/// "based in Troy, Mich., the company": they give the place's state or province. In
/// running text only dotted forms count ("Mich.", "N.J."); in a dateline also bare
/// ones ("Calif", "PA").
fn find_abbrevs(gaz: &Gazetteer, doc: &Doc, d: usize, place: (usize, usize), hits: &mut Vec<Hit>) {
    let text = doc.text;
    // In that position the abbreviation wins over a town of the same spelling ("Pa"
    // of "PITTSBURGH, Pa.").
    let push = |hits: &mut Vec<Hit>, start: usize, end: usize, entry: u32| {
        hits.retain(|h| !(h.doc == d && (h.start as usize) < end && start < h.end as usize));
        hits.push(Hit {
            doc: d,
            start: start as u32,
            end: end as u32,
            pattern: None,
            dateline: false,
            senses: vec![(entry, Role::Name)],
            mention: Mention {
                entity: EntityRef::Known(entry),
                surface: text[start..end].into(),
                span: Span {
                    field: doc.field,
                    start: start as u32,
                    end: end as u32,
                },
                kind: EntityKind::Place,
                role: None,
                affiliation: None,
                government: false,
            },
        });
    };
    if place.1 > place.0 {
        let head = &text[place.0..place.1];
        if let Some(comma) = head.find(',') {
            let q = &head[comma + 1..];
            let start = place.0 + comma + 1 + (q.len() - q.trim_start().len());
            let q = q.trim();
            if q.len() >= 2 && q.starts_with(|c: char| c.is_ascii_uppercase()) {
                if let Some(a) = gaz.abbrev(q) {
                    push(hits, start, start + q.len(), a.entry);
                }
            }
        }
    }
    let toks = &doc.tokens;
    for i in 1..toks.len().saturating_sub(1) {
        if toks[i].kind != TokenKind::Punct || doc.word(i) != "," || (toks[i].start as usize) < doc.skip.max(place.1) {
            continue;
        }
        let (p, n) = (i - 1, i + 1);
        if toks[p].kind != TokenKind::Word
            || !is_capitalized(doc.word(p))
            || toks[n].kind != TokenKind::Word
            || !doc.word(n).starts_with(|c: char| c.is_ascii_uppercase())
        {
            continue;
        }
        let mut end = toks[n].end as usize;
        if n + 1 < toks.len() && doc.word(n + 1) == "." && toks[n + 1].start as usize == end {
            end = toks[n + 1].end as usize;
        }
        let written = &text[toks[n].start as usize..end];
        if !written.ends_with('.') {
            continue;
        }
        if let Some(a) = gaz.abbrev(written).filter(|a| !a.postal) {
            push(hits, toks[n].start as usize, end, a.entry);
        }
    }
}

/// Byte spans of the text written in capitals: the dateline's place part and shouting
/// sentences.
fn shouting_spans(doc: &Doc, place: (usize, usize)) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    if place.1 > place.0 {
        spans.push(place);
    }
    for (i, s) in doc.sentences.iter().enumerate() {
        let dateline = doc.field == Field::Body && s.start < doc.skip;
        if !dateline && shouting(doc, Some(i)) {
            spans.push((s.start, s.end));
        }
    }
    spans
}

/// Title-cases ASCII words of three letters or more ("NEW YORK" → "New York"), keeping
/// byte offsets; shorter words ("US", "UK") and all other bytes are left alone, except
/// in a dateline, where every word is a place's ("ST. LOUIS" → "St. Louis"). Particles
/// inside a name stay lowercase ("RIO DE JANEIRO" → "Rio de Janeiro", "PORT OF SPAIN").
fn title_case(s: &str, dateline: bool) -> String {
    const PARTICLES: [&[u8]; 14] = [
        b"de", b"da", b"do", b"dos", b"das", b"del", b"di", b"du", b"es", b"of", b"and", b"the", b"on", b"upon",
    ];
    let mut out = s.as_bytes().to_vec();
    let mut i = 0;
    while i < out.len() {
        if out[i].is_ascii_alphabetic() {
            let len = out[i..].iter().take_while(|c| c.is_ascii_alphabetic()).count();
            let word = &out[i..i + len];
            let particle = i > 0 && PARTICLES.iter().any(|p| p.eq_ignore_ascii_case(word));
            if particle {
                out[i..i + len].make_ascii_lowercase();
            } else if len >= 3 || (dateline && len == 2) {
                for b in &mut out[i + 1..i + len] {
                    *b = b.to_ascii_lowercase();
                }
            }
            i += len;
        } else {
            i += 1;
        }
    }
    // Only ASCII letters changed, so the bytes are still UTF-8.
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// Classes of the phrases starting at token `i`.
fn classes_at<'d>(doc: &'d Doc, i: usize) -> impl Iterator<Item = Class> + 'd {
    // Phrases of up to four words, from the field's lookups.
    doc.cues(i).iter().filter(|m| m.len <= 4).map(|m| m.class)
}

/// True when most words of the sentence are in capitals (wire headlines, shouting).
fn shouting(doc: &Doc, sentence: Option<usize>) -> bool {
    let Some(s) = sentence else { return false };
    let s = doc.sentences[s];
    mostly_caps(doc, s.tok_start, s.tok_end, 1)
}

/// Context test for a capital or government seat standing for its government.
fn acts_as_government(doc: &Doc, start: usize, end: usize) -> bool {
    let tok = doc.token_at(start);
    let after = doc.token_at(end);
    if tok > 0 {
        let prev = doc.lower(tok - 1);
        if word_has(doc, tok - 1, |c| c == Class::Locative) && prev != "to" {
            return false;
        }
        if matches!(prev, "with" | "between" | "against" | "by" | "and" | "ally" | "allies") {
            return true;
        }
    }
    let possessive = doc.text[start..end].ends_with("'s")
        || doc.text[end..].starts_with("'s")
        || doc.text[end..].starts_with("\u{2019}s");
    if possessive {
        return true;
    }
    let mut i = after;
    // Skip an auxiliary: "Moscow has said", "Kyiv will respond".
    for _ in 0..2 {
        if i < doc.tokens.len()
            && matches!(
                doc.lower(i),
                "has"
                    | "have"
                    | "had"
                    | "will"
                    | "would"
                    | "is"
                    | "was"
                    | "did"
                    | "does"
                    | "also"
                    | "again"
                    | "then"
                    | "now"
                    | "quickly"
                    | "has also"
            )
        {
            i += 1;
        }
    }
    if i < doc.tokens.len() {
        // "Moscow said", "Moscow recaptured the region": a capital that speaks or acts.
        if classes_at(doc, i).any(|c| matches!(c, Class::Report | Class::Deny | Class::Retract | Class::Event(_))) {
            return true;
        }
        let w = doc.lower(i);
        if matches!(
            w,
            "wants"
                | "wanted"
                | "demanded"
                | "demands"
                | "accused"
                | "responded"
                | "rejected"
                | "agreed"
                | "signed"
                | "sent"
                | "sends"
                | "vowed"
                | "threatened"
                | "urged"
                | "called"
                | "condemned"
                | "ordered"
                | "plans"
                | "hopes"
        ) {
            return true;
        }
    }
    false
}

/// Picks one sense per hit (hits sorted by field and position):
/// 1. a place qualified by the next name after a comma is in that name's country
///    ("LONDON, Ontario", "Paris, Texas", "Troy, Mich.");
/// 2. else the sense whose country the rest of the article mentions, unless another town
///    of that name is ten times larger ("BOSTON" stays in the US beside "Bank of New
///    England"), or the name is a dateline's (wires qualify a dateline town unless it is
///    the best-known one: "GENEVA" alone is in Switzerland);
/// 3. else the most prominent kind (country, state of a large country, capital), then
///    the largest place.
fn choose_senses(gaz: &Gazetteer, docs: &[Doc], hits: &mut [Hit]) {
    let mut evidence: FxHashMap<&str, u32> = FxHashMap::default();
    for h in hits.iter().filter(|h| h.senses.len() == 1) {
        let e = &gaz.entries[h.senses[0].0 as usize];
        *evidence.entry(&e.country).or_default() += 1;
    }
    // Last to first, so that a qualifier is settled before the name it qualifies.
    let is_city = |e: u32| gaz.entries[e as usize].is_town();
    for k in (0..hits.len()).rev() {
        let towns = hits[k].senses.iter().all(|&(e, r)| r == Role::Name && is_city(e));
        let next = hits.get(k + 1).filter(|q| q.doc == hits[k].doc);
        if let (true, Some(q), Some(&(qe, _))) = (towns, next, next.and_then(|q| q.senses.first())) {
            let h = &hits[k];
            let between = docs[h.doc].text.get(h.end as usize..q.start as usize).unwrap_or("");
            let q_entry = &gaz.entries[qe as usize];
            let region = q_entry.code.contains('-');
            if between.trim() == "," && (region || q_entry.kind == EntityKind::Country) {
                let country = &q_entry.country;
                let inside = |&(e, _): &(u32, Role)| gaz.entries[e as usize].country == *country;
                // A town the qualifying state lacks is one the gazetteer does not know
                // ("GREENWICH, Conn."): the state alone tells the country. A country
                // after a comma may also be the next item of a list.
                if region || hits[k].senses.iter().any(inside) {
                    hits[k].senses.retain(inside);
                }
            }
        }
        let h = &mut hits[k];
        if h.senses.is_empty() {
            continue;
        }
        let largest_town = h
            .senses
            .iter()
            .filter(|&&(e, _)| is_city(e))
            .map(|&(e, _)| gaz.entries[e as usize].population)
            .max()
            .unwrap_or(0);
        let best = h
            .senses
            .iter()
            .copied()
            .max_by_key(|&(e, role)| {
                let entry = &gaz.entries[e as usize];
                let dwarfed = is_city(e) && entry.population.saturating_mul(10) < largest_town;
                let support = if h.senses.len() > 1 && !dwarfed && !h.dateline {
                    evidence.get(entry.country.as_ref()).copied().unwrap_or(0)
                } else {
                    0
                };
                // A main name beats an old alternate name of another place
                // ("Philadelphia" is the US city, not Amman).
                let main = h.pattern.is_none_or(|p| gaz.patterns[p].main.contains(&e));
                // A state of a large country is well known ("Georgia", "Victoria"); a
                // parish of a small one is not ("Portland", "Hanover" in Jamaica), nor is
                // a province whose name another country gives to both a large town and
                // its region (that town and region are the ones in the news).
                let region_in = |country: &str| {
                    h.senses.iter().any(|&(r, _)| {
                        let r = &gaz.entries[r as usize];
                        r.code.contains('-') && *r.country == *country
                    })
                };
                let namesake_abroad = h.senses.iter().any(|&(o, _)| {
                    let other = &gaz.entries[o as usize];
                    is_city(o)
                        && other.country != entry.country
                        && other.population >= 100_000
                        && region_in(&other.country)
                });
                let big_region = entry.code.contains('-')
                    && !namesake_abroad
                    && gaz
                        .by_code(&entry.country)
                        .is_some_and(|c| gaz.entries[c as usize].population >= 20_000_000);
                let rank = match entry.kind {
                    EntityKind::Country => 4,
                    EntityKind::Organization => 3,
                    _ if big_region || entry.is_area() => 2,
                    _ if entry.capital && main => 2,
                    _ => 1,
                };
                // A dateline names a town ("RIO DE JANEIRO" the city, not the state).
                let dateline_town = h.dateline && entry.is_town();
                (
                    support.min(3),
                    dateline_town,
                    rank,
                    role == Role::Name,
                    entry.population,
                    main,
                    std::cmp::Reverse(e),
                )
            })
            .unwrap_or((0, Role::Name));
        let entry = &gaz.entries[best.0 as usize];
        let (mut id, mut kind) = (best.0, entry.kind);
        if h.mention.government && (entry.capital || entry.metonym) && entry.kind != EntityKind::Country {
            if entry.capital {
                if let Some(c) = gaz.country_of(best.0) {
                    id = c;
                    kind = EntityKind::Country;
                }
            }
        } else if !entry.metonym {
            h.mention.government = false;
        }
        if best.1 == Role::Demonym && entry.kind == EntityKind::Country {
            kind = EntityKind::Country;
        }
        h.mention.entity = EntityRef::Known(id);
        h.mention.kind = kind;
        h.senses.clear();
        h.senses.push(best);
    }
}

/// The end of a list of portfolios that continues an institution's name across a comma:
/// "Ministry of Trade, Agribusiness and Industry", "Department of Health, Education and
/// Welfare". `comma` is the comma's token; the run must start with an institution word and
/// hold an "of", and the list must end with "and" and a capitalised word.
fn portfolio_list_end(
    doc: &Doc,
    run_start: usize,
    comma: usize,
    end: usize,
    is_covered: &impl Fn(usize) -> bool,
) -> Option<usize> {
    let first = if doc.lower(run_start) == "the" {
        run_start + 1
    } else {
        run_start
    };
    let institution = first < comma && word_has(doc, first, |c| c == Class::Org);
    if !institution || !(run_start..comma).any(|k| doc.lower(k) == "of") {
        return None;
    }
    let name_word =
        |k: usize| k < end && doc.tokens[k].kind == TokenKind::Word && !is_covered(k) && starts_name(doc.word(k));
    let mut k = comma + 1;
    loop {
        if !name_word(k) {
            return None;
        }
        while name_word(k) {
            k += 1;
        }
        if k < end && doc.word(k) == "," {
            k += 1;
        } else if k < end && doc.lower(k) == "and" && name_word(k + 1) {
            k += 1;
            while name_word(k) {
                k += 1;
            }
            return Some(k);
        } else {
            return None;
        }
    }
}

/// Capitalised runs the gazetteer did not claim become name candidates.
#[allow(clippy::too_many_arguments)]
fn find_candidates(
    gaz: &Gazetteer,
    doc: &Doc,
    d: usize,
    covered: &[(u32, u32)],
    hits: &[Hit],
    names: &mut Vec<Candidate>,
    out: &mut ArticleNames,
) {
    // Tokens overlapping a gazetteer hit, marked once (tokens are sorted and disjoint).
    let mut covered_tok = vec![false; doc.tokens.len()];
    for &(s, e) in covered {
        let first = doc.tokens.partition_point(|t| t.end <= s);
        for (k, t) in doc.tokens[first..].iter().enumerate() {
            if t.start >= e {
                break;
            }
            covered_tok[first + k] = true;
        }
    }
    let is_covered = |i: usize| covered_tok[i];
    for s in &doc.sentences {
        let weak_sentence = (doc.field == Field::Title && is_headline_case(doc, s.tok_start..s.tok_end))
            || shouting_range(doc, s.tok_start, s.tok_end);
        let mut i = s.tok_start;
        while i < s.tok_end {
            if doc.tokens[i].kind != TokenKind::Word || !starts_name(doc.word(i)) || is_covered(i) {
                i += 1;
                continue;
            }
            // Extend the run.
            let run_start = i;
            let mut j = i + 1;
            let mut possessive_end = has_possessive(doc.word(i));
            while j < s.tok_end && !possessive_end {
                let t = doc.tokens[j];
                if t.kind == TokenKind::Word && !is_covered(j) && starts_name(doc.word(j)) {
                    possessive_end = has_possessive(doc.word(j));
                    j += 1;
                } else if t.kind == TokenKind::Word
                    && word_has(doc, j, |c| c == Class::Connector)
                    && j + 1 < s.tok_end
                    && doc.tokens[j + 1].kind == TokenKind::Word
                    && starts_name(doc.word(j + 1))
                    && !is_covered(j + 1)
                    && !doc.word(j).chars().next().is_some_and(char::is_uppercase)
                {
                    j += 1;
                } else if t.kind == TokenKind::Word
                    && doc.lower(j) == "of"
                    && j + 2 < s.tok_end
                    && doc.word(j + 1) == "the"
                    && doc.tokens[j + 2].kind == TokenKind::Word
                    && starts_name(doc.word(j + 2))
                    && !is_covered(j + 2)
                {
                    // "Chancellor of the Exchequer", "Chief of the General Staff".
                    j += 2;
                } else if let Some(end) = (t.kind == TokenKind::Punct && doc.word(j) == ",")
                    .then(|| portfolio_list_end(doc, run_start, j, s.tok_end, &is_covered))
                    .flatten()
                {
                    j = end;
                } else if t.kind == TokenKind::Punct
                    && doc.word(j) == "."
                    && (doc.word(j - 1).chars().count() == 1
                        || word_has(doc, j - 1, |c| matches!(c, Class::Role | Class::Title)))
                    && j + 1 < s.tok_end
                    && starts_name(doc.word(j + 1))
                {
                    // An initial ("John F. Kennedy") or an abbreviated title ("Gen.
                    // Valery Gerasimov").
                    j += 1;
                } else {
                    break;
                }
            }
            let run = run_start..j;
            i = j;
            if weak_sentence {
                let words = run
                    .clone()
                    .filter(|&k| doc.tokens[k].kind == TokenKind::Word)
                    .map(|k| {
                        (
                            fold_name(doc.word(k)).into_boxed_str(),
                            doc.word(k).into(),
                            doc.tokens[k].start,
                            doc.tokens[k].end,
                        )
                    })
                    .collect::<Vec<_>>();
                if !words.is_empty() {
                    out.weak.push(WeakRun {
                        field: doc.field,
                        words,
                    });
                }
                continue;
            }
            if let Some((m, initial_single)) = candidate(gaz, doc, run, s.tok_start, hits, d) {
                // "Korean Central News Agency (KCNA)": the acronym names the same thing.
                let after = doc.token_at(m.span.end as usize);
                if after + 2 < s.tok_end && doc.word(after) == "(" && doc.word(after + 2) == ")" {
                    let acro = doc.word(after + 1);
                    if is_all_caps(acro) && acronym_of(acro, &m.surface) {
                        if let EntityRef::Name(key) = &m.entity {
                            out.acronyms.push((fold_name(acro).into(), key.clone()));
                        }
                    }
                }
                names.push(Candidate {
                    doc: d,
                    mention: m,
                    initial_single,
                });
            }
        }
    }
}

fn shouting_range(doc: &Doc, a: usize, b: usize) -> bool {
    mostly_caps(doc, a, b, 3)
}

/// True when at least `min_words` words lie in tokens `a..b` and 60% of them are in
/// capitals. Stops at the first word that makes 60% out of reach, which in ordinary
/// text comes early.
fn mostly_caps(doc: &Doc, a: usize, b: usize, min_words: usize) -> bool {
    let words = doc.tokens[a..b].iter().filter(|t| t.kind == TokenKind::Word).count();
    if words < min_words.max(1) {
        return false;
    }
    // caps * 10 >= words * 6, counted by the words not in capitals.
    let mut lower = 0;
    for i in a..b {
        if doc.tokens[i].kind == TokenKind::Word && !all_caps(doc.word(i)) {
            lower += 1;
            if lower * 10 > words * 4 {
                return false;
            }
        }
    }
    true
}

/// [`is_all_caps`] with a byte loop for ASCII words, the common case.
fn all_caps(word: &str) -> bool {
    let mut letters = 0;
    for &b in word.as_bytes() {
        if !b.is_ascii() {
            return is_all_caps(word);
        }
        if b.is_ascii_lowercase() {
            return false;
        }
        letters += b.is_ascii_alphabetic() as usize;
    }
    letters >= 2
}

fn starts_name(word: &str) -> bool {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) if c.is_uppercase() => true,
        // "al-Baghdadi", "bin Salman" start lowercase but are names.
        Some('a') | Some('e') => {
            (word.starts_with("al-") || word.starts_with("el-")) && word[3..].starts_with(char::is_uppercase)
        }
        _ => false,
    }
}

fn has_possessive(word: &str) -> bool {
    word.ends_with("'s") || word.ends_with("\u{2019}s") || word.ends_with("s'")
}

fn strip_possessive(word: &str) -> &str {
    word.strip_suffix("'s")
        .or_else(|| word.strip_suffix("\u{2019}s"))
        .or_else(|| word.strip_suffix('\''))
        .unwrap_or(word)
}

/// True when the acronym's letters are the initials of the name's capitalised words.
fn acronym_of(acro: &str, name: &str) -> bool {
    let initials: String = name
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect();
    let letters: String = acro.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && initials == letters
}

/// Turns a capitalised run into a mention: leading openers and roles stripped, kind
/// guessed from the words in and around it.
fn candidate(
    gaz: &Gazetteer,
    doc: &Doc,
    run: std::ops::Range<usize>,
    sent_start: usize,
    hits: &[Hit],
    d: usize,
) -> Option<(Mention, bool)> {
    let lex = Lexicon::get();
    let mut a = run.start;
    let b = run.end;
    let mut role: Option<String> = None;
    // Strip leading function words and cue words ("The", "But", "According").
    while a < b && doc.tokens[a].kind == TokenKind::Word {
        let w = doc.lower(a);
        // "Mr" is a stop word too, but a title to keep as the role.
        let titled = word_has(doc, a, |c| matches!(c, Class::Role | Class::Title | Class::Org));
        if (lex.is_stop(w) && !titled) || (a == sent_start && lex.has(w) && !titled) {
            a += 1;
        } else {
            break;
        }
    }
    // Strip roles and titles: "President", "Gen.", "Chief of the General Staff".
    loop {
        if a >= b {
            break;
        }
        // Phrases of up to six words, from the field's lookups.
        let found = doc
            .cues(a)
            .iter()
            .find(|m| m.len <= 6 && matches!(m.class, Class::Role | Class::Title));
        let Some(m) = found else {
            break;
        };
        let mut len = m.len;
        // "Gen." is tokenized as "Gen" "."
        if a + len < doc.tokens.len() && doc.word(a + len) == "." && len == 1 {
            len += 1;
        }
        if a + len >= b {
            break;
        }
        let end = doc.tokens[a + len - 1].end as usize;
        let text = &doc.text[doc.tokens[a].start as usize..end];
        role = Some(match role {
            Some(r) => format!("{r} {text}"),
            None => text.to_string(),
        });
        a += len;
    }
    // Trailing punctuation tokens are not part of a name.
    let mut b = b;
    while b > a && doc.tokens[b - 1].kind != TokenKind::Word {
        b -= 1;
    }
    if a >= b {
        return None;
    }
    let start = doc.tokens[a].start as usize;
    let end = doc.tokens[b - 1].end as usize;
    let written = &doc.text[start..end];
    let surface = strip_possessive(written);
    // The run's words, lowercase; tokens a..b end with a word.
    let words = || {
        (a..b)
            .filter(|&k| doc.tokens[k].kind == TokenKind::Word)
            .map(|k| doc.lower(k))
    };
    let n_words = words().count();
    if n_words == 0 {
        return None;
    }
    let last = doc.lower(b - 1);
    // A lone word that is a cue is not a name; a lone sentence-initial word is one only
    // when it names someone the article names in full ("Putin has claimed ...").
    // An opening quotation mark does not move the start of a sentence ("\"Sadly, ...").
    let first = if sent_start < doc.tokens.len() && matches!(doc.word(sent_start), "\"" | "\u{201c}") {
        sent_start + 1
    } else {
        sent_start
    };
    let initial_single = n_words == 1 && (a == sent_start || a == first) && !is_all_caps(written);
    if n_words == 1 {
        let w = strip_possessive(last);
        if lex.is_stop(w) || lex.has(w) || w.chars().count() < 2 {
            return None;
        }
    }
    // Short organization words ("UN", "EU", "TV") count only in capitals.
    let has_org = (a..b).any(|k| {
        let w = strip_possessive(doc.lower(k));
        lex.word_has(w, |c| c == Class::Org) && (w.len() > 3 || is_all_caps(doc.word(k)))
    });
    let has = |pred: &dyn Fn(Class) -> bool| words().any(|w| lex.word_has(strip_possessive(w), pred));
    // Role written lowercase just before: "the North Korean leader Kim Jong Un".
    // "SyndiTram president Marc Roy", "Apple chief Tim Cook": an office of a body other
    // than a state (a capitalised name before the role that names no country) makes no
    // official of the country the article is about.
    if role.is_none() && a > 0 {
        let p = a - 1;
        let of_a_body = p > 0 && is_capitalized(doc.word(p - 1)) && {
            let at = doc.tokens[p - 1].start;
            !hits.iter().any(|h| {
                h.doc == d
                    && h.start <= at
                    && at < h.end
                    && matches!(h.mention.entity, EntityRef::Known(e) if gaz.country_of(e).is_some())
            })
        };
        if doc.tokens[p].kind == TokenKind::Word && word_has(doc, p, |c| c == Class::Role) && !of_a_body {
            role = Some(doc.word(p).to_string());
        }
    }
    // "the Kremlin", "the Al Jazeera": a definite article is not said of a person.
    let after_the = a > sent_start && doc.lower(a - 1) == "the";
    // "mayor of X", "the town of X", "in X": a place.
    let prev = |k: usize| if a >= sent_start + k { doc.lower(a - k) } else { "" };
    let of_place = prev(1) == "of"
        && (lex.word_has(prev(2), |c| matches!(c, Class::Role | Class::PlaceWord))
            || matches!(
                prev(2),
                "town" | "village" | "city" | "outskirts" | "residents" | "port" | "centre" | "center"
            ));
    let after_locative = matches!(prev(1), "in" | "near" | "at" | "outside" | "from") && role.is_none();
    let kind = if has_org || (is_all_caps(written) && n_words == 1) {
        EntityKind::Organization
    } else if has(&|c| c == Class::Thing) {
        EntityKind::Other
    } else if lex.word_has(strip_possessive(last), |c| c == Class::PlaceWord) {
        EntityKind::Place
    } else if has(&|c| c == Class::GroupWord) {
        EntityKind::Group
    } else if of_place || (after_locative && n_words <= 3) {
        EntityKind::Place
    } else if role.is_some() || ((2..=4).contains(&n_words) && !after_the) {
        EntityKind::Person
    } else if after_the {
        EntityKind::Organization
    } else {
        EntityKind::Other
    };
    // Affiliation: a country or demonym right before the name or its role.
    let first_role_tok = doc
        .token_at(start)
        .saturating_sub(role.as_ref().map_or(0, |r| r.split_whitespace().count()));
    // The last hit of this field ending within a few tokens of the role. Hits are sorted
    // by field and start, so only those starting before the name are read; the gap test
    // on `doc.token_at(h.end)` is made on byte offsets.
    let (lo, hi) = (first_role_tok.saturating_sub(3), first_role_tok + 1);
    let from = hits.partition_point(|h| h.doc < d);
    let to = hits.partition_point(|h| (h.doc, h.start as usize) < (d, start));
    let affiliation = hits[from..to.max(from)]
        .iter()
        .rev()
        .filter(|h| h.end as usize <= start)
        .filter(|h| {
            let toks = &doc.tokens;
            (lo == 0 || toks[lo - 1].start < h.end) && (hi >= toks.len() || toks[hi].start >= h.end)
        })
        .find_map(|h| match h.mention.entity {
            EntityRef::Known(e) => gaz.country_of(e),
            _ => None,
        });
    let key = fold_name(surface);
    if key.is_empty() {
        return None;
    }
    Some(Mention {
        entity: EntityRef::Name(key.into()),
        surface: surface.into(),
        span: Span {
            field: doc.field,
            start: start as u32,
            end: (start + surface.len()) as u32,
        },
        kind,
        role: role.map(Into::into),
        affiliation,
        government: false,
    })
    .map(|m| (m, initial_single))
}

/// Second thoughts on gazetteer hits, with the whole article in view: a bare city name
/// that is part of a person's name found in the article is that person ("Kim" after "Kim
/// Jong Un"), and a bare city name whose region the article names with a descriptor is
/// that region ("Kursk" beside "the Kursk border region").
fn relink_hits(gaz: &Gazetteer, hits: &mut [Hit], names: &[Candidate]) {
    let regions: Vec<u32> = hits
        .iter()
        .filter_map(|h| match h.mention.entity {
            EntityRef::Known(e) if gaz.entries[e as usize].code.contains('-') => Some(e),
            _ => None,
        })
        .collect();
    // People named in full, with their first and last words, in article order.
    let people: Vec<(&str, &str, &Mention)> = names
        .iter()
        .filter_map(|c| match &c.mention.entity {
            EntityRef::Name(k) if c.mention.kind == EntityKind::Person && k.contains(' ') => {
                let first = k.split(' ').next().unwrap_or("");
                let last = k.rsplit(' ').next().unwrap_or("");
                Some((first, last, &c.mention))
            }
            _ => None,
        })
        .collect();
    for h in hits.iter_mut() {
        let EntityRef::Known(e) = h.mention.entity else {
            continue;
        };
        let entry = &gaz.entries[e as usize];
        if entry.kind != EntityKind::Place || entry.code.contains('-') {
            continue;
        }
        // A dateline names a place, whoever else shares its name.
        let person = if people.is_empty() || h.dateline {
            None
        } else {
            let folded = fold_name(&h.mention.surface);
            people
                .iter()
                .find(|(first, last, _)| *first == folded || *last == folded)
                .map(|p| p.2)
        };
        if let Some(p) = person {
            h.mention.entity = p.entity.clone();
            h.mention.kind = EntityKind::Person;
            h.mention.affiliation = p.affiliation;
            h.mention.government = false;
            continue;
        }
        if let Some(r) = entry.region.filter(|r| regions.contains(r)) {
            h.mention.entity = EntityRef::Known(r);
        }
    }
}

/// Ties short names to the full name the article gave earlier or later ("Putin" →
/// "Vladimir Putin", "Kim" → "Kim Jong Un"), and acronyms to their expansions.
fn link_short_names(names: &mut [Candidate], acronyms: &mut [(Box<str>, Box<str>)]) {
    // Full names by index; short names are never full names, so linking one does not
    // change the list.
    let full: Vec<usize> = (0..names.len())
        .filter(|&i| matches!(&names[i].mention.entity, EntityRef::Name(k) if k.contains(' ')))
        .collect();
    fn key_of(c: &Candidate) -> &str {
        match &c.mention.entity {
            EntityRef::Name(k) => k,
            EntityRef::Known(_) => "",
        }
    }
    for i in 0..names.len() {
        let (key, kind) = match &names[i].mention.entity {
            EntityRef::Name(k) => (k, names[i].mention.kind),
            EntityRef::Known(_) => continue,
        };
        // The last spelling-out wins, as in a map built in order.
        if let Some((_, exp)) = acronyms.iter().rev().find(|(a, _)| a == key) {
            let m = &mut names[i].mention;
            m.entity = EntityRef::Name(exp.clone());
            m.kind = EntityKind::Organization;
            continue;
        }
        if key.contains(' ') {
            continue;
        }
        let mut found: Option<usize> = None;
        let mut ambiguous = false;
        for &f in &full {
            let fm = &names[f].mention;
            let EntityRef::Name(fk) = &fm.entity else { continue };
            if fm.kind != EntityKind::Person && kind == EntityKind::Person {
                continue;
            }
            let first = fk.split(' ').next().unwrap_or("");
            let last = fk.rsplit(' ').next().unwrap_or("");
            if first == key.as_ref() || last == key.as_ref() {
                match found {
                    Some(prev) if key_of(&names[prev]) != fk.as_ref() => ambiguous = true,
                    _ => found = Some(f),
                }
            }
        }
        if let (Some(f), false) = (found, ambiguous) {
            let (entity, kind, affiliation) = {
                let fm = &names[f].mention;
                (fm.entity.clone(), fm.kind, fm.affiliation)
            };
            let c = &mut names[i];
            c.mention.entity = entity;
            c.mention.kind = kind;
            if c.mention.affiliation.is_none() {
                c.mention.affiliation = affiliation;
            }
            c.initial_single = false;
        }
    }
}

#[cfg(test)]
mod tests;

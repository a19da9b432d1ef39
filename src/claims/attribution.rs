//! Attribution: who is said to have said the content of a sentence.
//!
//! Patterns, read off the reporting cues of the sentence:
//! - "X said (that) CONTENT", "X has claimed CONTENT", "X denied CONTENT";
//! - "CONTENT, X said." and "CONTENT," said X;
//! - "According to X, CONTENT" and "CONTENT, according to X" (also "as per");
//! - chains: "KCNA said, as per a report in Yonhap, that Pyongyang's military claimed
//!   CONTENT" → chain Yonhap → KCNA → Pyongyang's military; "X reported, citing Y".
//!
//! The claimer is the innermost speaker; the chain lists the outer ones first.

use std::ops::Range;

use crate::lexicon::{Class, Lexicon, Match};
use crate::segment::Doc;
use crate::text::TokenKind;

/// A noun phrase naming a speaker: its tokens and the mention it contains, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Speaker {
    /// Token range of the phrase.
    pub tokens: Range<usize>,
    /// Index (into the article's mentions) of the name inside, if any.
    pub mention: Option<usize>,
    /// The phrase is a pronoun ("he", "they").
    pub pronoun: bool,
}

/// Armed or political groups that are not their country's state: "Mali rebels", "Syrian
/// opposition", "separatists in the east" speak and act for themselves, not for the
/// country named beside them.
pub fn non_state_group(word: &str) -> bool {
    matches!(
        word,
        "rebel"
            | "rebels"
            | "separatist"
            | "separatists"
            | "insurgent"
            | "insurgents"
            | "militant"
            | "militants"
            | "guerrilla"
            | "guerrillas"
            | "guerillas"
            | "jihadist"
            | "jihadists"
            | "militia"
            | "militias"
            | "mutineers"
            | "opposition"
            | "protesters"
            | "protestors"
            | "dissidents"
            | "secessionists"
    )
}

/// The attribution found in one sentence.
#[derive(Clone, Debug, Default)]
pub struct Attribution {
    /// Innermost speaker.
    pub claimer: Option<Speaker>,
    /// Outer speakers, outermost first (the claimer is not repeated).
    pub chain: Vec<Speaker>,
    /// Tokens of the proposition.
    pub content: Range<usize>,
    /// The reporting cue that introduced the content: (token, class, length).
    pub verb: Option<(usize, Class, usize)>,
    /// A second proposition of the same claimer: "X confirms A, says B".
    pub also: Option<Range<usize>>,
}

/// Per-sentence view used by the claim rules.
pub struct Sent<'a, 'd> {
    /// The field.
    pub doc: &'a Doc<'d>,
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    /// Mention covering each token (index into the article's mentions).
    pub mention_at: Vec<Option<usize>>,
    /// Token range of each mention of this field (None for other fields).
    pub mention_tokens: &'a [Option<Range<usize>>],
}

impl Sent<'_, '_> {
    /// Lexicon phrases starting at token `i` that end inside the sentence, longest first.
    pub fn cues(&self, i: usize) -> impl Iterator<Item = Match> + '_ {
        let end = self.end;
        let phrases = if i >= self.start && i < self.end {
            self.doc.cues(i)
        } else {
            &[]
        };
        phrases.iter().copied().filter(move |m| i + m.len <= end)
    }

    /// Lowercase token.
    pub fn lower(&self, i: usize) -> &str {
        self.doc.lower(i)
    }

    /// True when a phrase of this class starts at `i`.
    pub fn has(&self, i: usize, pred: impl Fn(Class) -> bool) -> bool {
        self.cues(i).any(|m| pred(m.class))
    }

    /// The longest phrase of this class starting at `i`.
    pub fn find(&self, i: usize, pred: impl Fn(Class) -> bool) -> Option<Match> {
        if i < self.start || i >= self.end {
            return None;
        }
        self.cues(i).find(|m| pred(m.class))
    }

    /// The mention (index into the article's mentions) covering token `i`.
    pub fn mention(&self, i: usize) -> Option<usize> {
        if i < self.start || i >= self.end {
            return None;
        }
        self.mention_at[i - self.start]
    }

    fn is_punct(&self, i: usize, p: &str) -> bool {
        self.doc.tokens[i].kind == TokenKind::Punct && self.doc.word(i) == p
    }

    fn is_quote(&self, i: usize) -> bool {
        matches!(
            self.doc.word(i),
            "\"" | "\u{201c}" | "\u{201d}" | "'" | "\u{2018}" | "\u{2019}"
        )
    }
}

const DETERMINERS: &[&str] = &[
    "a",
    "an",
    "the",
    "this",
    "that",
    "these",
    "those",
    "such",
    "his",
    "her",
    "its",
    "their",
    "our",
    "my",
    "per",
    "in",
    "of",
    "no",
    "new",
    "earlier",
    "latest",
    "unconfirmed",
    "media",
    "press",
    "news",
    "initial",
    "false",
    "fake",
    "first",
    "recent",
    "to",
    "by",
];

const AUX: &[&str] = &[
    "has",
    "have",
    "had",
    "will",
    "would",
    "also",
    "later",
    "earlier",
    "again",
    "publicly",
    "repeatedly",
    "previously",
    "officially",
    "firmly",
    "strongly",
    "quickly",
    "flatly",
    "categorically",
    "swiftly",
    "then",
    "now",
    "once",
    "since",
    "had",
    "is",
    "was",
    "were",
    "are",
    "be",
    "been",
    "did",
    "does",
    "do",
    "further",
    "separately",
    "vehemently",
    "immediately",
    "formally",
    "angrily",
    "first",
    "initially",
    "subsequently",
    "not",
];

const PRONOUNS: &[&str] = &["he", "she", "they", "it", "we", "i"];

/// True when the reporting word at `i` is used as a verb, not a noun ("a report in
/// Yonhap", "the claims", "Putin's claims").
fn used_as_verb(sent: &Sent, i: usize, m: &Match) -> bool {
    if m.len > 1 {
        return true;
    }
    let w = sent.lower(i);
    let nounish = matches!(
        w,
        "report"
            | "reports"
            | "claim"
            | "claims"
            | "denial"
            | "denials"
            | "statement"
            | "dispute"
            | "estimates"
            | "notes"
    );
    if i > sent.start {
        let prev = sent.lower(i - 1);
        if DETERMINERS.contains(&prev) && (nounish || prev == "the") {
            return false;
        }
        if prev.ends_with("'s") && nounish {
            return false;
        }
        // "Sugarhill Gang rapper ... dies": a capitalised noun before "report" in a
        // headline is still a subject, so only determiners decide.
    }
    if matches!(w, "denial" | "denials") {
        return false;
    }
    // "shares slip on leadership report": a verb needs something after it.
    if nounish && (i + 1..sent.end).all(|k| sent.doc.tokens[k].kind != TokenKind::Word) {
        return false;
    }
    // A passive report ("was accused of", "is said to have") has no speaker for a
    // subject; "was quoted as saying" still does.
    if m.class == Class::Report
        && i > sent.start
        && w != "quoted"
        && matches!(
            sent.lower(i - 1),
            "was" | "were" | "is" | "are" | "been" | "being" | "be"
        )
    {
        return false;
    }
    // A word that is as often a noun is a verb only after its subject: a name, a pronoun,
    // an auxiliary or a noun of office ("trade dispute" is a noun; "Kyiv disputes", "it
    // disputes", "the ministry disputes" are verbs).
    if nounish || matches!(w, "disputes" | "disputed" | "rejects" | "dismisses") {
        if i == sent.start {
            return !nounish;
        }
        let prev = sent.lower(i - 1);
        let lex = Lexicon::get();
        let subject_before = sent.mention(i - 1).is_some()
            || PRONOUNS.contains(&prev)
            || AUX.contains(&prev)
            || matches!(prev, "who" | "which" | "that")
            || lex.word_has(prev, |c| matches!(c, Class::Gov | Class::Role | Class::Org))
            || crate::text::is_capitalized(sent.doc.word(i - 1));
        if !subject_before {
            return false;
        }
        // "rebels call army claim propaganda": after a singular noun of office a verb
        // takes -s ("the army claims"), so a bare "claim" or "report" there is a noun.
        let singular_noun = !prev.ends_with('s')
            && !matches!(prev, "police" | "people" | "staff" | "military" | "media")
            && sent.mention(i - 1).is_none()
            && !PRONOUNS.contains(&prev)
            && !AUX.contains(&prev)
            && lex.word_has(prev, |c| matches!(c, Class::Gov | Class::Role | Class::Org));
        if matches!(w, "claim" | "report") && singular_noun {
            return false;
        }
    }
    if nounish
        && i + 1 < sent.end
        && matches!(
            sent.lower(i + 1),
            "of" | "that" | "about" | "is" | "are" | "was" | "were" | "on" | "over" | "regarding" | "by" | "in"
        )
    {
        // "reports of Orvane arrest": a noun; "claims that" is ambiguous and stays a verb
        // only after a name.
        let prev_is_name = i > sent.start && sent.mention(i - 1).is_some();
        if !prev_is_name || !matches!(sent.lower(i + 1), "that" | "is" | "are" | "was" | "were") {
            return false;
        }
    }
    true
}

/// Skips backwards over auxiliaries, adverbs, time phrases and comma-delimited asides,
/// returning the exclusive end of the subject phrase.
fn skip_back(sent: &Sent, mut k: usize) -> usize {
    loop {
        let before = k;
        while k > sent.start && AUX.contains(&sent.lower(k - 1)) {
            k -= 1;
        }
        // "on Monday", "on April 26", "late on Sunday".
        if k >= sent.start + 2 {
            let w = sent.doc.word(k - 1);
            let prev = sent.lower(k - 2);
            let is_time =
                crate::date::weekday_from_name(w).is_some() || sent.doc.tokens[k - 1].kind == TokenKind::Number;
            if is_time && (prev == "on" || crate::date::month_from_name(sent.doc.word(k - 2)).is_some()) {
                k -= 2;
                if k > sent.start && sent.lower(k - 1) == "on" {
                    k -= 1;
                }
            }
        }
        // A comma-delimited aside: "X, in a video conference with Y on April 26, praised".
        if k > sent.start && sent.is_punct(k - 1, ",") {
            let mut j = k - 1;
            let mut found = None;
            while j > sent.start && k - j < 25 {
                j -= 1;
                if sent.is_punct(j, ",") {
                    found = Some(j);
                    break;
                }
            }
            if let Some(c) = found {
                let first = sent.lower(c + 1);
                let aside = matches!(
                    first,
                    "in" | "on"
                        | "at"
                        | "during"
                        | "for"
                        | "speaking"
                        | "writing"
                        | "after"
                        | "who"
                        | "which"
                        | "however"
                        | "meanwhile"
                        | "though"
                        | "too"
                        | "also"
                        | "according"
                        | "as"
                        | "while"
                        | "without"
                        | "with"
                ) || sent
                    .doc
                    .word(c + 1)
                    .chars()
                    .next()
                    .is_some_and(|ch| ch.is_ascii_digit());
                // "Marc Roy, president of the union, said": an office after a name.
                let office = |t: usize| t < k - 1 && sent.has(t, |c| c == Class::Role);
                let after_name = c > sent.start && sent.mention(c - 1).is_some();
                // "Zainab Idris, a 24-year-old student, said": a description after a name.
                let titled = after_name
                    && (office(c + 1)
                        || matches!(first, "a" | "an")
                        || (matches!(first, "the" | "its" | "their" | "his" | "her")
                            && (c + 2..(c + 5).min(k - 1)).any(office)));
                if aside || titled {
                    k = c;
                } else if c > sent.start && sent.mention(c + 1).is_some() && sent.mention(c + 1) == sent.mention(k - 2)
                {
                    // "the ship's operator, Lestari Lines, said": the name is the subject.
                    return k - 1;
                }
            }
        }
        if k == before {
            return k;
        }
    }
}

/// The speaker phrase ending right before token `end`, with the office it is named
/// through ([`office_start`]).
fn speaker_ending_at(sent: &Sent, end: usize) -> Option<Speaker> {
    let mut sp = speaker_phrase_ending_at(sent, end)?;
    if sp.pronoun {
        return Some(sp);
    }
    // "Ranger reportedly mauled by a bear says he is fine": the phrase before the
    // verb is the agent of a participle; the one who speaks is named before it.
    if let Some(subject) = participle_subject_end(sent, sp.tokens.start) {
        if let Some(before) = speaker_phrase_ending_at(sent, subject).filter(|b| !b.pronoun) {
            sp = before;
        }
    }
    sp.tokens.start = office_start(sent, sp.tokens.start);
    Some(sp)
}

/// When the phrase starting at `start` is the agent of a past participle ("kidnapped by
/// militants", "economists polled by the agency", "feared held by rebels"), the end of
/// what comes before the participle and its adverbs ("reportedly"): the subject that the
/// participle describes.
fn participle_subject_end(sent: &Sent, start: usize) -> Option<usize> {
    if start < sent.start + 3 || sent.lower(start - 1) != "by" {
        return None;
    }
    let participle = |w: &str| {
        (w.len() > 4 && w.ends_with("ed"))
            || matches!(
                w,
                "held" | "taken" | "seized" | "shot" | "hit" | "caught" | "bitten" | "struck" | "beaten"
            )
    };
    let mut k = start - 1;
    if !participle(sent.lower(k - 1)) {
        return None;
    }
    while k > sent.start + 1 && (participle(sent.lower(k - 1)) || sent.lower(k - 1).ends_with("ly")) {
        k -= 1;
    }
    Some(k)
}

/// Where a speaker named through its office starts: "the high commissioner for peace",
/// "the secretary of state for health", "the prefecture of Avellino" speak as the whole
/// phrase, not as what follows "of" or "for". `start` is where the phrase after the
/// preposition starts; the office noun before it, and the titles, adjectives and names
/// before that ("Colombia's high commissioner"), are taken in.
fn office_start(sent: &Sent, start: usize) -> usize {
    let lex = Lexicon::get();
    let office = |t: usize| {
        lex.word_has(sent.lower(t), |c| {
            matches!(c, Class::Role | Class::Gov | Class::Org | Class::Descriptor)
        })
    };
    let capitalised = |t: usize| {
        let w = sent.doc.word(t);
        crate::text::is_capitalized(w) && t > sent.start && !lex.is_stop(&w.to_lowercase())
    };
    // The phrase may hold the preposition itself ("for Health").
    let mut s = if start > sent.start && matches!(sent.lower(start), "of" | "for") {
        start + 1
    } else {
        start
    };
    let mut taken = s;
    while s >= sent.start + 2 && matches!(sent.lower(s - 1), "of" | "for") && start.abs_diff(s) < 8 {
        // The words before the preposition: office nouns, titles, names, "'s".
        let mut t = s - 1;
        let mut has_office = false;
        while t > sent.start && s - t < 8 {
            let k = t - 1;
            let w = sent.doc.word(k);
            let part = office(k)
                || sent.mention(k).is_some()
                || matches!(w, "'s" | "'")
                || matches!(
                    sent.lower(k),
                    "high"
                        | "deputy"
                        | "chief"
                        | "senior"
                        | "acting"
                        | "vice"
                        | "general"
                        | "national"
                        | "federal"
                        | "regional"
                        | "provincial"
                        | "state"
                        | "foreign"
                        | "interior"
                        | "finance"
                        | "defence"
                        | "defense"
                        | "justice"
                )
                || capitalised(k);
            if !part {
                break;
            }
            has_office |= office(k);
            t = k;
        }
        if !has_office {
            break;
        }
        s = t;
        taken = t;
        // "the office of the high commissioner": an article between.
        if s >= sent.start + 3
            && matches!(sent.lower(s - 1), "the" | "a" | "an")
            && matches!(sent.lower(s - 2), "of" | "for")
        {
            s -= 1;
        }
    }
    taken.min(start)
}

/// The speaker phrase ending right before token `end`: a pronoun, a name with the roles
/// before it, or a lowercase noun phrase.
fn speaker_phrase_ending_at(sent: &Sent, end: usize) -> Option<Speaker> {
    let lex = Lexicon::get();
    if end <= sent.start {
        return None;
    }
    let last = end - 1;
    if sent.doc.tokens[last].kind != TokenKind::Word {
        return None;
    }
    let w = sent.lower(last);
    if PRONOUNS.contains(&w) {
        return Some(Speaker {
            tokens: last..end,
            mention: None,
            pronoun: true,
        });
    }
    // A name, possibly with a government noun after it: "Pyongyang's military", "the
    // Russian defence ministry".
    let mut k = last;
    let mut gov_tail = false;
    if sent.mention(k).is_none() {
        // Walk back over a lowercase noun phrase of up to four words.
        let mut j = end;
        while j > sent.start && end - j < 4 {
            let t = j - 1;
            if sent.doc.tokens[t].kind != TokenKind::Word || sent.mention(t).is_some() {
                break;
            }
            let lw = sent.lower(t);
            let determiner = matches!(lw, "the" | "a" | "an" | "his" | "her" | "their" | "its" | "our");
            if lex.is_stop(lw) && !determiner {
                break;
            }
            // A capitalised word may be part of a name the gazetteer lacks ("Met police").
            let capitalised = crate::text::is_capitalized(sent.doc.word(t));
            let nounish =
                lex.word_has(lw, |c| matches!(c, Class::Gov | Class::Role | Class::Org)) || non_state_group(lw);
            if lex.has(lw) && !capitalised && !nounish && !determiner {
                break;
            }
            j = t;
            if determiner {
                break;
            }
        }
        if j == end {
            return None;
        }
        // A name right before the noun phrase ("Pyongyang's military", "Russian forces"),
        // unless the phrase names a group that is not the state ("Mali rebels").
        let group = (j..end).any(|t| non_state_group(sent.lower(t)));
        if j > sent.start && sent.mention(j - 1).is_some() && !group {
            gov_tail = true;
            k = j - 1;
        } else if j > sent.start && sent.mention(j - 1).is_some() {
            let m = sent.mention(j - 1)?;
            let range = sent.mention_tokens.get(m).cloned().flatten().unwrap_or(j - 1..j);
            return Some(Speaker {
                tokens: range.start.max(sent.start)..end,
                mention: None,
                pronoun: false,
            });
        } else {
            let words: Vec<&str> = (j..end).map(|t| sent.lower(t)).collect();
            if words
                .iter()
                .all(|w| matches!(*w, "the" | "a" | "an" | "his" | "her" | "their" | "its" | "our"))
            {
                return None;
            }
            return Some(Speaker {
                tokens: unnamed_source_start(sent, j).unwrap_or(j)..end,
                mention: None,
                pronoun: false,
            });
        }
    }
    let m = sent.mention(k)?;
    let range = sent.mention_tokens.get(m).cloned().flatten().unwrap_or(k..k + 1);
    let mut start = range.start.max(sent.start);
    // Roles and demonyms before the name belong to the phrase ("Russian President
    // Vladimir Putin").
    while start > sent.start {
        let t = start - 1;
        let is_role = lex.word_has(sent.lower(t), |c| matches!(c, Class::Role | Class::Title));
        let is_name = sent.mention(t).is_some();
        let is_det = matches!(sent.lower(t), "the") && start != range.start;
        if is_role
            || is_name
            || is_det
            || (sent.doc.word(t) == "." && t > sent.start && sent.doc.word(t - 1).len() <= 4)
        {
            start = t;
        } else {
            break;
        }
    }
    let _ = gov_tail;
    // "rebels in northern Mali", "militants from Gaza": the group speaks, not the place.
    let mut g = start;
    while g > sent.start
        && matches!(
            sent.lower(g - 1),
            "northern" | "southern" | "eastern" | "western" | "central"
        )
    {
        g -= 1;
    }
    if g >= sent.start + 2 && matches!(sent.lower(g - 1), "in" | "from") && non_state_group(sent.lower(g - 2)) {
        let mut head = g - 2;
        while head > sent.start
            && sent.doc.tokens[head - 1].kind == TokenKind::Word
            && !Lexicon::get().is_stop(sent.lower(head - 1))
            && end - head < 6
        {
            head -= 1;
        }
        return Some(Speaker {
            tokens: head..end,
            mention: None,
            pronoun: false,
        });
    }
    // "sources close to Putin": the speakers are the sources, not Putin.
    if let Some(head) = unnamed_source_start(sent, start) {
        return Some(Speaker {
            tokens: head..end,
            mention: None,
            pronoun: false,
        });
    }
    Some(Speaker {
        tokens: start..end,
        mention: Some(m),
        pronoun: false,
    })
}

/// "people familiar with the matter", "sources close to the minister": when a phrase that
/// ties unnamed sources to something ends right before token `at`, the start of the whole
/// speaker phrase (the sources' own noun, up to three words before the tie).
fn unnamed_source_start(sent: &Sent, at: usize) -> Option<usize> {
    const TIES: [&[&str]; 6] = [
        &["familiar", "with"],
        &["close", "to"],
        &["with", "knowledge", "of"],
        &["with", "direct", "knowledge", "of"],
        &["briefed", "on"],
        &["aware", "of"],
    ];
    let tie = TIES
        .iter()
        .find(|t| at > sent.start + t.len() && t.iter().enumerate().all(|(n, w)| sent.lower(at - t.len() + n) == *w))?;
    let head_end = at - tie.len();
    let mut start = head_end;
    while start > sent.start
        && head_end - start < 3
        && sent.doc.tokens[start - 1].kind == TokenKind::Word
        && sent.mention(start - 1).is_none()
        && !matches!(sent.lower(start - 1), "said" | "told" | "and" | "but" | "as")
    {
        start -= 1;
    }
    (start < head_end).then_some(start)
}

/// Nouns for who or what a report can cite: people who speak and records that say.
const SOURCE_NOUNS: [&str; 32] = [
    "source",
    "sources",
    "official",
    "officials",
    "police",
    "witness",
    "witnesses",
    "resident",
    "residents",
    "people",
    "person",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "aides",
    "diplomats",
    "lawyers",
    "investigators",
    "analysts",
    "experts",
    "authorities",
    "media",
    "newspaper",
    "agency",
    "data",
    "documents",
    "document",
    "records",
    "survey",
    "poll",
    "footage",
    "filing",
];

/// "citing police" and "citing a ministry statement" name a source; "citing a slowdown in
/// inflation" and "citing security concerns" give a reason, and the sentence keeps its
/// own speaker.
fn names_a_source(sent: &Sent, sp: &Speaker) -> bool {
    sp.mention.is_some()
        || sp.tokens.clone().any(|k| {
            let w = sent.lower(k);
            SOURCE_NOUNS.contains(&w)
                || sent.has(k, |c| {
                    matches!(c, Class::Gov | Class::Role | Class::Org | Class::Referent)
                })
        })
}

/// The speaker phrase starting at token `start` ("said Putin", "according to the KCNA").
fn speaker_starting_at(sent: &Sent, start: usize) -> Option<(Speaker, usize)> {
    let lex = Lexicon::get();
    let mut i = start;
    while i < sent.end && matches!(sent.lower(i), "the" | "a" | "an" | "state" | "media") && sent.mention(i).is_none() {
        i += 1;
    }
    // Extend over roles, names and lowercase nouns up to a comma, a verb cue or the end.
    let mut j = i;
    let mut mention = None;
    while j < sent.end && j - start < 8 {
        if let Some(m) = sent.mention(j) {
            mention.get_or_insert(m);
            j = sent
                .mention_tokens
                .get(m)
                .cloned()
                .flatten()
                .map(|r| r.end)
                .unwrap_or(j + 1)
                .max(j + 1);
            continue;
        }
        let w = sent.lower(j);
        if sent.doc.tokens[j].kind != TokenKind::Word
            || (lex.has(w) && !lex.word_has(w, |c| matches!(c, Class::Gov | Class::Role | Class::Org)))
        {
            break;
        }
        if lex.is_stop(w) && !matches!(w, "of") {
            break;
        }
        j += 1;
    }
    if j == start || (mention.is_none() && j == i) {
        return None;
    }
    Some((
        Speaker {
            tokens: start..j,
            mention,
            pronoun: j == start + 1 && PRONOUNS.contains(&sent.lower(start)),
        },
        j,
    ))
}

/// Skips what may stand between a reporting verb and its content: "that", commas,
/// "in a statement", "on Monday", "told reporters".
fn skip_to_content(sent: &Sent, mut i: usize) -> usize {
    loop {
        let before = i;
        while i < sent.end
            && (sent.is_punct(i, ",")
                || sent.is_punct(i, ":")
                || matches!(sent.lower(i), "that" | "on" | "late" | "early" | "again"))
        {
            i += 1;
        }
        if i < sent.end {
            if let Some(m) = sent.find(i, |c| c == Class::Report) {
                if m.len > 1 && sent.lower(i) == "in" {
                    i += m.len;
                }
            }
            let w = sent.doc.word(i);
            if crate::date::weekday_from_name(w).is_some() && w.starts_with(char::is_uppercase) {
                i += 1;
                while i < sent.end && matches!(sent.lower(i), "evening" | "morning" | "night" | "afternoon") {
                    i += 1;
                }
            } else if crate::date::month_from_name(w).is_some()
                && w.starts_with(char::is_uppercase)
                && i + 1 < sent.end
                && sent.doc.tokens[i + 1].kind == TokenKind::Number
            {
                i += 2;
            } else if matches!(sent.lower(i), "reporters" | "journalists" | "lawmakers" | "parliament") {
                i += 1;
            } else if i > sent.start && matches!(sent.lower(i - 1), "told" | "tells" | "tell" | "telling") {
                // "told investors (that) he ...": skip whom it was told to.
                // "told the Harbor Times." ends the sentence with whom it was told to.
                let mut k = i;
                while k < sent.end
                    && k < i + 4
                    && !matches!(sent.lower(k), "that" | "he" | "she" | "it" | "they" | "we" | "i")
                    && !sent.is_punct(k, ",")
                    && !sent.is_punct(k, ".")
                {
                    k += 1;
                }
                if k > i && k < i + 4 {
                    i = k;
                }
            }
        }
        if i == before {
            return i;
        }
    }
}

/// A dismissal verb acting on a rumour or report at `i` ("Mayor kills arrest rumor",
/// "laughs off reports of a split"), read as a denial: the length of the verb. The
/// object must follow within a few words, none of them punctuation or a preposition, so
/// "killed in a strike, reports say" is not one.
fn dismissal(sent: &Sent, i: usize) -> Option<usize> {
    let len = sent
        .cues(i)
        .filter(|m| m.class == Class::Dismiss)
        .map(|m| m.len)
        .max()?;
    for k in i + len..(i + len + 5).min(sent.end) {
        if sent.has(k, |c| matches!(c, Class::Referent | Class::Refute)) {
            return Some(len);
        }
        let w = sent.lower(k);
        let prep = matches!(
            w,
            "of" | "for" | "to" | "with" | "by" | "after" | "as" | "in" | "on" | "at" | "from" | "over" | "and"
        );
        if sent.doc.tokens[k].kind != TokenKind::Word || prep {
            return None;
        }
    }
    None
}

/// Finds the attribution of the sentence.
pub fn attribute(sent: &Sent) -> Attribution {
    let mut att = Attribution {
        content: sent.start..sent.end,
        ..Attribution::default()
    };
    // Reporting cues in order, as verbs.
    let mut verbs: Vec<(usize, Class, usize)> = Vec::new();
    let mut i = sent.start;
    while i < sent.end {
        let cue = sent.cues(i).find(|m| {
            // "in a statement", "in a video" only qualify a verb next to them.
            matches!(m.class, Class::Report | Class::Deny | Class::Retract)
                && sent.lower(i) != "in"
                && used_as_verb(sent, i, m)
        });
        // "withdrew its announcement that ...": a retraction when the object is a claim.
        let take_back = || {
            sent.has(i, |c| c == Class::TakeBack)
                && (i + 1..(i + 4).min(sent.end)).any(|k| sent.has(k, |c| c == Class::Referent))
        };
        if let Some(m) = cue {
            verbs.push((i, m.class, m.len));
            i += m.len;
        } else if let Some(len) = dismissal(sent, i) {
            verbs.push((i, Class::Deny, len));
            i += len;
        } else if take_back() {
            verbs.push((i, Class::Retract, 1));
            i += 1;
        } else {
            i += 1;
        }
    }
    let mut lo = sent.start;
    let mut hi = sent.end;
    for (v, class, len) in verbs {
        if v < lo || v >= hi {
            continue;
        }
        let first = sent.lower(v);
        // "according to X" / "as per X" / "citing X": a source, content around it.
        let is_according = len >= 2 && first == "according";
        let is_citing = first == "citing" || first == "cited" || first == "quoted";
        if is_according || is_citing {
            let found = speaker_starting_at(sent, v + len)
                .filter(|(sp, _)| first == "quoted" || !is_citing || names_a_source(sent, sp));
            if let Some((sp, after)) = found {
                if is_citing {
                    if let Some(c) = att.claimer.take() {
                        att.chain.push(c);
                    }
                    att.claimer = Some(sp);
                    // "X reported citing Y": the content stays where it was.
                    if hi > v && lo < v && att.content.end > v {
                        hi = v;
                        att.content = lo..hi;
                    }
                } else if v == lo || (v > lo && sent.is_punct(v - 1, ",")) && after >= hi.saturating_sub(1) {
                    // "According to X, CONTENT" or "CONTENT, according to X."
                    if v == lo {
                        lo = skip_to_content(sent, after);
                    } else {
                        hi = v - 1;
                    }
                    if let Some(c) = att.claimer.take() {
                        att.chain.push(c);
                    }
                    att.claimer = Some(sp);
                    att.content = lo..hi;
                    att.verb.get_or_insert((v, class, len));
                }
            }
            continue;
        }
        // Subject before the verb.
        let subj_end = skip_back(sent, v);
        let subject = if subj_end > lo {
            speaker_ending_at(sent, subj_end).filter(|s| s.tokens.start >= lo)
        } else {
            None
        };
        // Inverted: `CONTENT," said X` or `CONTENT, X said.`
        let after = skip_to_content(sent, v + len);
        let tail = sent.end - after;
        // "CONTENT, X said." and the parenthetical "CONTENT, X said, MORE".
        let next = v + len;
        // "CONTENT, officials said on Sunday, as boats searched": a clause of time or
        // manner after the verb's when and where is no content of its own.
        // "..., officials said on Sunday, a day after the board blocked the sale": a
        // span of time before "after" or "before" opens the same kind of clause.
        let opens_clause = |k: usize| {
            matches!(
                sent.lower(k),
                "as" | "while"
                    | "when"
                    | "after"
                    | "before"
                    | "because"
                    | "though"
                    | "although"
                    | "amid"
                    | "adding"
                    | "citing"
            )
        };
        let span_then_clause = |k: usize| {
            (k + 1..(k + 4).min(sent.end))
                .find(|&j| matches!(sent.lower(j), "after" | "before"))
                .is_some_and(|j| {
                    (k..j).any(|t| {
                        matches!(
                            sent.lower(t),
                            "hours"
                                | "hour"
                                | "day"
                                | "days"
                                | "week"
                                | "weeks"
                                | "month"
                                | "months"
                                | "year"
                                | "years"
                        )
                    })
                })
        };
        let clause_follows = after < sent.end
            && (next..after).any(|k| sent.is_punct(k, ","))
            && (opens_clause(after) || span_then_clause(after));
        let trailing = tail <= 1
            || (after < sent.end && sent.is_punct(after, "."))
            || (next < sent.end && (sent.is_punct(next, ",") || sent.is_punct(next, ";")))
            || clause_follows;
        if let Some(sub) = &subject {
            let before_subject = sub.tokens.start;
            let quote_or_comma =
                before_subject > lo && (sent.is_punct(before_subject - 1, ",") || sent.is_quote(before_subject - 1));
            let comma_before = (before_subject.saturating_sub(6).max(lo)..before_subject)
                .rev()
                .find(|&t| sent.is_punct(t, ","));
            // `"CONTENT," X told reporters in Rome on Monday.`: after a closing quote, what
            // follows the verb says to whom, where and when, not what.
            let ends_clause = |k: usize| [",", ".", "?", "!"].iter().any(|p| sent.is_punct(k, p));
            let quote_closed = before_subject > lo + 1
                && ((sent.is_quote(before_subject - 1) && ends_clause(before_subject - 2))
                    || (sent.is_punct(before_subject - 1, ",") && sent.is_quote(before_subject - 2)));
            let says_what = (v + len..(after + 1).min(sent.end)).any(|k| sent.lower(k) == "that");
            // A speaker quoted inside the quotation keeps the old reading.
            let trailing = trailing || (quote_closed && !says_what && att.claimer.is_none());
            if trailing && (quote_or_comma || comma_before.is_some()) {
                let before_subject = if quote_or_comma {
                    before_subject
                } else {
                    comma_before.unwrap_or(before_subject)
                };
                // "CONTENT, a report in X said.": X speaks for the whole sentence. When
                // the content already has its own speaker, X is the outer source.
                let had_inner = att.claimer.is_some();
                match att.claimer.take() {
                    Some(inner) => {
                        att.chain.insert(0, sub.clone());
                        att.claimer = Some(inner);
                    }
                    None => att.claimer = subject.clone(),
                }
                let mut e = before_subject;
                while e > lo && (sent.is_punct(e - 1, ",") || sent.is_quote(e - 1)) {
                    e -= 1;
                }
                hi = e;
                att.content = lo..hi;
                if !had_inner {
                    att.verb = Some((v, class, len));
                }
                continue;
            }
            // A speaker inside an adverbial clause of the content ("X said A, two days
            // after it denied B") is not X's source: the content ends where the clause
            // starts.
            if att.claimer.is_some() {
                if let Some(k) = (lo..before_subject).find(|&k| {
                    matches!(
                        sent.lower(k),
                        "after" | "before" | "when" | "while" | "because" | "since" | "until"
                    )
                }) {
                    let mut e = k;
                    while e > lo && (sent.is_punct(e - 1, ",") || sent.is_quote(e - 1)) {
                        e -= 1;
                    }
                    hi = e.max(lo);
                    att.content = lo..hi;
                    break;
                }
            }
            // Ordinary order: subject, verb, content.
            if let Some(c) = att.claimer.take() {
                att.chain.push(c);
            }
            att.claimer = subject.clone();
            lo = after.min(hi);
            att.content = lo..hi;
            att.verb = Some((v, class, len));
            continue;
        }
        // "X confirms A, says B" / "X denied A and said B": a second claim of the same
        // claimer, when the verb has no subject of its own and something follows it.
        if att.claimer.is_some()
            && class == Class::Report
            && v > lo
            && (sent.is_punct(v - 1, ",") || sent.lower(v - 1) == "and")
            && after + 2 < hi
            && att.also.is_none()
        {
            let mut e = v - 1;
            while e > lo && sent.is_punct(e - 1, ",") {
                e -= 1;
            }
            att.also = Some(after..hi);
            hi = e;
            att.content = lo..hi;
            continue;
        }
        if v > lo && (sent.is_punct(v - 1, ",") || sent.is_quote(v - 1)) {
            if let Some((sp, _)) = speaker_starting_at(sent, v + len) {
                // `CONTENT," said X.`
                if let Some(c) = att.claimer.take() {
                    att.chain.push(c);
                }
                att.claimer = Some(sp);
                let mut e = v;
                while e > lo && (sent.is_punct(e - 1, ",") || sent.is_quote(e - 1)) {
                    e -= 1;
                }
                hi = e;
                att.content = lo..hi;
                att.verb = Some((v, class, len));
                continue;
            }
        }
        // A headline verb without a subject ("Denies Report That ..."): content follows.
        if v == lo && class != Class::Report {
            att.verb = Some((v, class, len));
            lo = after.min(hi);
            att.content = lo..hi;
        }
    }
    if att.content.start > att.content.end {
        att.content = att.content.end..att.content.end;
    }
    att
}

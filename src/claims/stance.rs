//! Stance: whether a claim asserts or denies its proposition, and which words say so.
//!
//! Signals, following the features of Ferreira & Vlachos (2016) for Emergent and the
//! NegEx scope rules of Chapman et al. (2001):
//! - a denial verb that introduces the content ("X denied that ...");
//! - a refuting word ("hoax", "fake", "false", "debunked", "casts doubt");
//! - a negation that governs the predicate: within a short window before it with no
//!   scope-ending word between (in a body sentence), or anywhere in the main clause of a
//!   headline, which is short enough for that;
//! - "No," opening the sentence.
//!
//! Not denials: a negated refuting word ("no hoax", "not fake") or a denied hoax ("denies
//! hoax claims"), which assert; a contrast ("in Ohio, not Utah"); a negation inside a
//! short quoted slogan in a headline; non-answers ("refuses to confirm or deny", "won't
//! say").

use std::ops::Range;

use super::attribution::{Attribution, Sent};
use crate::lexicon::Class;
use crate::model::Polarity;
use crate::text::TokenKind;

/// Auxiliaries that carry a clause's negation ("did not", "has never").
const AUX: [&str; 12] = [
    "did", "does", "do", "has", "have", "had", "is", "was", "were", "are", "will", "would",
];

/// The stance of one claim.
#[derive(Debug, Default)]
pub struct Stance {
    /// Assert or deny.
    pub polarity: Polarity,
    /// Cue words: (role, first token, token count).
    pub cues: Vec<(&'static str, usize, usize)>,
    /// The claimer takes back what it said before.
    pub retract: bool,
}

/// True for tokens inside a short quotation (up to `max` tokens) that is not the whole
/// range: slogans and titles quoted inside a headline.
fn quoted_spans(sent: &Sent, range: Range<usize>, max: usize) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut open: Option<usize> = None;
    for i in range.clone() {
        let w = sent.doc.word(i);
        let is_open = matches!(w, "\u{201c}" | "\u{2018}") || (w == "\"" && open.is_none());
        let is_close = matches!(w, "\u{201d}" | "\u{2019}") || (w == "\"" && open.is_some());
        if let (Some(o), true) = (open, is_close) {
            if i - o <= max + 1 && !(o == range.start && i + 1 >= range.end) {
                spans.push(o..i + 1);
            }
            open = None;
        } else if is_open && w != "\u{2019}" {
            open = Some(i);
        }
    }
    spans
}

/// True when the words from token `j` name a thing that a refuting adjective before them
/// describes ("fake fur", "bogus invoices", "false promises", "fake Rolex watches")
/// rather than a report or a happening it calls false ("a fake photo", "fake news", "false
/// claims", "a bogus report", "a false airport closure"): none of the next three words, up
/// to a stop word or a mark, may tell of one. A name alone is not read as a thing ("a
/// fake Picasso" may call a report of one false). In a body sentence the first word after
/// any names must be lower-case, as a capitalised word could begin a name; a headline's
/// case says nothing, so there its words decide.
fn names_a_thing(sent: &Sent, j: usize, headline: bool) -> bool {
    let lex = crate::lexicon::Lexicon::get();
    let tells_of_a_claim = |k: usize| {
        let word = sent.lower(k);
        sent.has(k, |c| {
            matches!(
                c,
                Class::Referent | Class::Antecedent | Class::Refute | Class::Event(_) | Class::Deny | Class::Report
            )
        }) || is_medium(word)
            || matches!(
                word,
                "alarm" | "alarms" | "information" | "statements" | "propaganda" | "data" | "evidence"
            )
    };
    let mut phrase = Vec::new();
    for k in j..(j + 3).min(sent.end) {
        if sent.doc.tokens[k].kind != TokenKind::Word {
            break;
        }
        if tells_of_a_claim(k) {
            return false;
        }
        if lex.is_stop(sent.lower(k)) {
            break;
        }
        phrase.push(k);
    }
    let thing = phrase.iter().find(|&&k| sent.mention(k).is_none());
    thing.is_some_and(|&k| headline || sent.doc.word(k).starts_with(|c: char| c.is_ascii_lowercase()))
}

/// Nouns of what is published or shown, which a refuting adjective calls false ("a fake
/// photo", "doctored video").
fn is_medium(word: &str) -> bool {
    let singular = word.strip_suffix('s').unwrap_or(word);
    matches!(word, "news" | "footage" | "audio")
        || matches!(
            singular,
            "photo"
                | "picture"
                | "image"
                | "video"
                | "clip"
                | "recording"
                | "tweet"
                | "post"
                | "quote"
                | "headline"
                | "article"
                | "page"
                | "site"
                | "website"
                | "profile"
                | "letter"
                | "document"
                | "email"
                | "message"
                | "screenshot"
                | "interview"
                | "map"
                | "graphic"
                | "poll"
                | "survey"
                | "study"
                | "leak"
        )
}

/// Non-answers: "confirm or deny", "won't say", "declined to comment"; and a denial verb
/// that is itself negated ("I do not deny the deficit exists" concedes it).
fn non_answer(sent: &Sent, i: usize) -> bool {
    if i > sent.start
        && sent.has(i, |c| c == Class::Deny)
        && sent.has(i - 1, |c| c == Class::Negation)
        && sent.lower(i - 1) != "no"
    {
        return true;
    }
    let w = |k: usize| {
        if k < sent.end && k >= sent.start {
            sent.lower(k)
        } else {
            ""
        }
    };
    (w(i) == "deny" && w(i.wrapping_sub(1)) == "or" && w(i.wrapping_sub(2)) == "confirm")
        || (w(i) == "confirm" && w(i + 1) == "or" && w(i + 2) == "deny")
        || (matches!(
            w(i),
            "won't" | "wouldn't" | "declined" | "declines" | "refused" | "refuses" | "refuse"
        ) && (matches!(w(i + 1), "say" | "comment" | "confirm")
            || (w(i + 1) == "to" && matches!(w(i + 2), "say" | "comment" | "confirm" | "discuss" | "elaborate"))))
}

/// "denied" at token `v` (`len` tokens) refuses something asked for rather than calls a
/// claim false: "the court denied his appeal", "judge denies bail".
fn refusal(sent: &Sent, v: usize, len: usize) -> bool {
    const ASKED_FOR: &[&str] = &[
        "appeal",
        "appeals",
        "request",
        "requests",
        "application",
        "applications",
        "petition",
        "motion",
        "bail",
        "parole",
        "asylum",
        "visa",
        "visas",
        "entry",
        "access",
        "permission",
        "licence",
        "license",
        "hearing",
    ];
    if !matches!(sent.lower(v), "deny" | "denies" | "denied" | "denying") {
        return false;
    }
    // What is refused is the verb's object, within three words: "denied at a hearing
    // that he took bribes" is a denial made at a hearing.
    for k in v + len..(v + len + 3).min(sent.end) {
        let w = sent.lower(k);
        if ASKED_FOR.contains(&w) {
            return true;
        }
        if matches!(
            w,
            "at" | "in" | "on" | "during" | "before" | "after" | "to" | "by" | "from" | "that"
        ) {
            return false;
        }
    }
    false
}

/// A verb of asking or warning shortly before token `n` ("urging the board not to").
fn urged_before(sent: &Sent, n: usize) -> bool {
    (n.saturating_sub(5).max(sent.start)..n).any(|k| {
        let w = sent.lower(k);
        [
            "urg", "ask", "warn", "advis", "beg", "implor", "appeal", "call", "told", "tell", "plead",
        ]
        .iter()
        .any(|p| w.starts_with(p))
    })
}

/// Reads the stance of a sentence whose content is `content`, with the predicate at
/// `predicate` (an event or state phrase), `headline` when it is a title.
pub fn read(sent: &Sent, att: &Attribution, content: Range<usize>, predicate: Option<usize>, headline: bool) -> Stance {
    let mut st = Stance::default();
    // Where to look: a headline is read whole; a body sentence in its content plus the
    // words that qualify its attribution ("a fake report claimed ...").
    let scope = if headline {
        sent.start..sent.end
    } else {
        content.clone()
    };
    let quotes = if headline {
        quoted_spans(sent, scope.clone(), 6)
    } else {
        Vec::new()
    };
    let in_quote = |i: usize| quotes.iter().any(|q| q.contains(&i));
    let mut deny_verb: Option<(usize, usize)> = None;
    if let Some((v, class, len)) = att.verb {
        match class {
            Class::Deny if !non_answer(sent, v) => deny_verb = Some((v, len)),
            Class::Retract => {
                st.retract = true;
                deny_verb = Some((v, len));
            }
            _ => {}
        }
    }
    // A weak denial verb denies a claim only when it acts on one ("rejected the report",
    // "dismissed the claim as false", "disputed that ..."), and a passive "was denied"
    // means refused.
    let acts_on_claim = |v: usize, len: usize| {
        (v + len..(v + len + 6).min(sent.end)).any(|k| {
            sent.has(k, |c| matches!(c, Class::Referent | Class::Refute)) || (k == v + len && sent.lower(k) == "that")
        })
    };
    // A headline drops the auxiliary of its passive: "Stars denied top awards", "Land sale
    // plan denied" are refusals, unless what is denied is a claim ("denied reports").
    let headline_passive = |v: usize, len: usize| headline && sent.lower(v) == "denied" && !acts_on_claim(v, len);
    if let Some((v, len)) = deny_verb {
        let passive = v > sent.start
            && matches!(
                sent.lower(v - 1),
                "was" | "were" | "been" | "be" | "being" | "is" | "are"
            );
        let weak = sent.has(v, |c| c == Class::WeakDeny);
        if passive || headline_passive(v, len) || (weak && !acts_on_claim(v, len)) || refusal(sent, v, len) {
            deny_verb = None;
            st.retract = false;
        }
    }
    let mut refutes: Vec<(usize, usize, bool)> = Vec::new();
    let mut negations: Vec<(usize, usize)> = Vec::new();
    let qualifier = if headline {
        sent.start..sent.start
    } else {
        sent.start..content.start
    };
    // A wire's ticker symbol in angle brackets ("<NOT>", "<LIE>") is a name, not a word.
    let ticker =
        |i: usize| i > sent.start && i + 1 < sent.end && sent.doc.word(i - 1) == "<" && sent.doc.word(i + 1) == ">";
    for i in qualifier.chain(scope.clone()) {
        if in_quote(i) || ticker(i) {
            continue;
        }
        for m in sent.cues(i) {
            match m.class {
                Class::Refute => refutes.push((i, m.len, false)),
                Class::Deny
                    if headline
                        && deny_verb.is_none()
                        // "confirms departure days after denial": an earlier denial.
                        && !(sent.start..i).any(|k| matches!(sent.lower(k), "after" | "before" | "since"))
                        && !non_answer(sent, i)
                        && att.verb.is_none_or(|v| v.0 != i)
                        && !refusal(sent, i, m.len)
                        && !headline_passive(i, m.len)
                        && (!sent.has(i, |c| c == Class::WeakDeny)
                            || (i + m.len..(i + m.len + 6).min(sent.end))
                                .any(|k| sent.has(k, |c| matches!(c, Class::Referent | Class::Refute)))) =>
                {
                    deny_verb = Some((i, m.len));
                }
                Class::Retract if deny_verb.is_none() => {
                    st.retract = true;
                    deny_verb = Some((i, m.len));
                }
                // "nor" negates after "neither" or another negation, or opening a sentence;
                // "neither confirmed nor denied" is a non-answer.
                Class::Negation
                    if sent.lower(i) == "nor"
                        && i > sent.start
                        && !(sent.start..i).any(|k| sent.has(k, |c| c == Class::Negation)) => {}
                Class::Negation
                    if matches!(sent.lower(i), "neither" | "nor")
                        && i + 1 < sent.end
                        && ["confirm", "deny", "deni"]
                            .iter()
                            .any(|p| sent.lower(i + 1).starts_with(p)) => {}
                Class::Negation if content.contains(&i) || headline => negations.push((i, m.len)),
                _ => {}
            }
        }
    }
    // Set phrases that refute nothing: "in doubt", "beyond doubt", "a doubt for
    // Saturday's match" (uncertain, certain, injured); "made up of", "made up a third".
    refutes.retain(|&(i, len, _)| {
        let w = sent.lower(i);
        let before = if i > sent.start { sent.lower(i - 1) } else { "" };
        let after = if i + len < sent.end { sent.lower(i + len) } else { "" };
        let doubt_noun = w == "doubt"
            && len == 1
            && matches!(
                before,
                "a" | "in" | "beyond" | "without" | "no" | "little" | "some" | "any"
            );
        let made_up_of = w == "made"
            && len == 2
            && (matches!(
                after,
                // "made up for missing the final": made amends, not invented.
                "of" | "for"
                    | "just"
                    | "about"
                    | "nearly"
                    | "almost"
                    | "around"
                    | "over"
                    | "more"
                    | "less"
                    | "half"
                    | "a"
                    | "an"
                    | "the"
            ) || (i + len < sent.end && sent.doc.tokens[i + len].kind == crate::text::TokenKind::Number));
        // "turns out to be a spider" reveals what something is; "turns out not to have
        // said it", "turned out to be a hoax" refute.
        let plain_reveal = matches!(w, "turns" | "turned")
            && len == 2
            && !(i + len..(i + len + 4).min(sent.end))
                .any(|k| sent.has(k, |c| matches!(c, Class::Negation | Class::Refute)));
        // "the fault lies in ...", "the answer may lie elsewhere", "behind the fall lies a
        // fear": the verb of where something is, not a falsehood ("a lie in every line",
        // "lies about the war").
        let place_first = matches!(
            sent.lower(sent.start),
            "behind" | "beneath" | "beyond" | "underneath" | "under" | "within" | "among"
        );
        let lie_of_place = matches!(w, "lie" | "lies")
            && len == 1
            && (place_first
                || matches!(
                    after,
                    "in" | "within"
                        | "behind"
                        | "between"
                        | "beyond"
                        | "outside"
                        | "inside"
                        | "at"
                        | "on"
                        | "ahead"
                        | "somewhere"
                        | "elsewhere"
                        | "far"
                        | "with"
                        | "near"
                        | "under"
                        | "beneath"
                        | "among"
                        | "across"
                        | "along"
                        | "idle"
                        | "dormant"
                        | "fallow"
                        | "solely"
                        | "largely"
                        | "mainly"
                        | "mostly"
                        | "partly"
                        | "entirely"
                        | "squarely"
                ))
            && !matches!(
                before,
                "a" | "the" | "big" | "outright" | "downright" | "blatant" | "complete" | "total" | "of"
            );
        // An adjective describing a thing ([`names_a_thing`]); "misleading its customers" is
        // a verb and its object, an accusation like "lied".
        let describes_a_thing = matches!(
            w,
            "fake" | "phony" | "phoney" | "bogus" | "made-up" | "false" | "misleading"
        ) && len == 1
            && (names_a_thing(sent, i + len, headline)
                || (w == "misleading"
                    && matches!(
                        after,
                        "the" | "a" | "an" | "his" | "her" | "its" | "their" | "our" | "your"
                    )));
        // "fears exaggerated", "concerns about the dam are unfounded": playing down a risk,
        // not calling a report false.
        let fear_played_down = matches!(
            w,
            "exaggerated" | "unfounded" | "overblown" | "overdone" | "groundless" | "baseless"
        ) && (i.saturating_sub(8).max(sent.start)..i).any(|k| {
            matches!(
                sent.lower(k),
                "fear" | "fears" | "concern" | "concerns" | "worry" | "worries" | "anxiety" | "anxieties" | "panic"
            )
        });
        // "contrary to the spirit of the treaty" opposes a thing; "contrary to reports",
        // "contrary to what he said" and "contrary to his denials" call a claim false.
        let contrary_to_a_thing = w == "contrary"
            && len == 2
            && !(i + len..(i + len + 4).min(sent.end)).any(|k| {
                sent.has(k, |c| matches!(c, Class::Referent | Class::Deny | Class::WeakDeny))
                    || matches!(
                        sent.lower(k),
                        "what" | "speculation" | "belief" | "beliefs" | "perception" | "suggestions" | "impression"
                    )
            });
        !(doubt_noun
            || made_up_of
            || plain_reveal
            || lie_of_place
            || describes_a_thing
            || contrary_to_a_thing
            || fear_played_down)
    });
    // A refuting word that is itself negated or denied flips back: "no hoax", "not a
    // fake", "denies hoax claims" (but "dismissed as a hoax" and "debunks the hoax" deny).
    for r in refutes.iter_mut() {
        let mut k = r.0;
        while k > sent.start && matches!(sent.lower(k - 1), "a" | "an" | "the" | "really" | "actually" | "just") {
            k -= 1;
        }
        let negated = k > sent.start && sent.has(k - 1, |c| c == Class::Negation);
        let claim_noun = r.0 + r.1 < sent.end
            && matches!(
                sent.lower(r.0 + r.1),
                "claims"
                    | "claim"
                    | "allegations"
                    | "allegation"
                    | "reports"
                    | "rumors"
                    | "rumours"
                    | "accusations"
                    | "charges"
                    | "suggestions"
            );
        let denied = deny_verb
            .is_some_and(|(v, _)| v < r.0 && r.0 - v <= 4 && !(v..r.0).any(|t| sent.lower(t) == "as"))
            && claim_noun;
        r.2 = negated || denied;
    }
    let live_refute = refutes.iter().find(|r| !r.2).copied();
    let flipped_refute = refutes.iter().find(|r| r.2).copied();
    // Negations that govern the claim.
    let governing = negations.iter().copied().find(|&(n, len)| {
        let w = sent.lower(n);
        let next = if n + len < sent.end { sent.lower(n + len) } else { "" };
        // "not only", "no one", "no doubt", "never before", "nothing but".
        if matches!(
            (w, next),
            ("not", "only")
                | ("no", "one")
                | ("no", "doubt")
                | ("never", "before")
                | ("nothing", "but")
                | ("no", "longer")
        ) {
            return false;
        }
        // A negated refuting word is handled above.
        if refutes.iter().any(|r| r.2 && r.0 > n && r.0 - n <= 3) {
            return false;
        }
        // "Don't ..." opening a clause is an instruction, and "never guess" or "no idea"
        // are figures of speech, not denials of the story.
        let clause_start = n == sent.start || matches!(sent.doc.word(n - 1), "," | ":" | "-" | "\u{2013}" | ";");
        if clause_start && matches!(w, "don't" | "do" | "dont") {
            return false;
        }
        if matches!(
            next,
            "guess"
                | "believe"
                | "imagine"
                | "idea"
                | "limit"
                | "way"
                | "mistake"
                | "wonder"
                | "doubt"
                | "matter"
                | "surprise"
                | "secret"
        ) {
            return false;
        }
        // "no comment", "no details were given", "no knowledge of the plan", "no decision
        // has been taken":
        // a non-answer says nothing of whether it happened.
        let after_next = if n + len + 1 < sent.end {
            sent.lower(n + len + 1)
        } else {
            ""
        };
        let answered = if matches!(next, "immediate" | "further" | "final") {
            after_next
        } else {
            next
        };
        if w == "no"
            && matches!(
                answered,
                "comment" | "comments" | "knowledge" | "details" | "detail" | "information" | "decision"
            )
        {
            return false;
        }
        // A negated attitude ("isn't happy with", "not sure how", "never intended to",
        // "don't approve", "is never funny") is about someone's mind, not a denial that
        // the thing happened.
        if matches!(
            next,
            "happy"
                | "pleased"
                | "impressed"
                | "amused"
                | "thrilled"
                | "keen"
                | "sure"
                | "certain"
                | "convinced"
                | "aware"
                | "intend"
                | "intended"
                | "expect"
                | "expected"
                | "know"
                | "knew"
                | "understand"
                | "ready"
                | "funny"
                | "approve"
                | "care"
        ) {
            return false;
        }
        // "copy Don't Panic sign": a capitalised negation after a lowercase word is part
        // of a slogan or a title (one in capitals, "have NOT beheaded", is emphasis).
        if n > sent.start
            && sent.doc.word(n).starts_with(char::is_uppercase)
            && !sent.doc.word(n).chars().all(|c| !c.is_lowercase())
            && sent.doc.word(n - 1).starts_with(char::is_lowercase)
        {
            return false;
        }
        // "whether or not", "better not": no stance taken; "won't be a US-only launch",
        // "not the only one": a limit denied, not the thing.
        let prev = if n > sent.start { sent.lower(n - 1) } else { "" };
        if matches!(prev, "or" | "better" | "rather")
            || (n + len..sent.end.min(n + len + 6)).any(|k| sent.lower(k) == "only" || sent.lower(k).ends_with("-only"))
        {
            return false;
        }
        // "was adopted and never told her": a negation in a later coordinated clause
        // is about that clause, not the predicate before it.
        if predicate.is_some_and(|p| p < n && (p + 1..n).any(|k| matches!(sent.lower(k), "and" | "but"))) {
            return false;
        }
        // The same without a known predicate: "and never told", "but did not tell" (a
        // bare "but not" corrects the main clause and stays).
        let conj = |k: usize| k > sent.start + 2 && matches!(sent.lower(k), "and" | "but");
        let after_and = n > sent.start && sent.lower(n - 1) == "and" && conj(n - 1);
        let after_aux = n > sent.start + 1 && AUX.contains(&sent.lower(n - 1)) && conj(n - 2);
        if after_and || after_aux {
            return false;
        }
        // "not missing, just on holiday": a correction asserts what follows it.
        let corrected = (n + len..sent.end.min(n + len + 6)).any(|k| {
            sent.doc.word(k) == ","
                && k + 1 < sent.end
                && matches!(sent.lower(k + 1), "just" | "only" | "merely" | "simply" | "rather")
        });
        if corrected {
            return false;
        }
        if non_answer(sent, n) {
            return false;
        }
        // "urged the board not to sell", "warned them not to travel": a plea or a warning
        // about what should not happen denies nothing that did.
        if w == "not" && next == "to" && urged_before(sent, n) {
            return false;
        }
        // "jailed for not paying taxes", "fined after not appearing": a negated
        // gerund after a preposition gives a reason, it denies nothing.
        if matches!(prev, "for" | "after" | "despite" | "by" | "of" | "without") && next.ends_with("ing") {
            return false;
        }
        // Contrast: ", not Utah" at the end of a clause; and an aside after a comma
        // ("quake hits town, no deaths reported") is not the headline's main claim.
        if n > sent.start && sent.doc.word(n - 1) == "," && matches!(w, "not" | "no") {
            return false;
        }
        if headline {
            // The main clause of a headline: not inside a relative or adverbial clause
            // ("buys a farm so he won't have to move").
            // "was adopted but did not tell her" starts a clause of its own after "but";
            // "sells the firm but not to a rival" corrects the main one.
            !(sent.start..n).any(|k| {
                matches!(sent.lower(k), "who" | "whose" | "which" | "so" | "because" | "unless")
                    || (sent.lower(k) == "but" && k + 1 < n)
            })
        } else {
            match predicate {
                Some(p) if n < p => {
                    let blocked = (n + 1..p).any(|k| sent.has(k, |c| c == Class::ScopeEnd) || sent.doc.word(k) == ",");
                    p - (n + len - 1) <= 4 && !blocked
                }
                // "the ransom was not paid": the happening named by a noun, then negated
                // in a verb of the same kind (a verb of another kind, "the strike has not
                // ended", tells of something else; "has no acquisition premium" negates a
                // noun).
                Some(p) if n > p && n - p <= 3 && w != "no" => {
                    let verb = (n + len..(n + len + 3).min(sent.end))
                        .find(|&k| !matches!(sent.lower(k), "be" | "been" | "being" | "yet" | "actually" | "really"));
                    let same_kind = |k: usize| {
                        sent.cues(k)
                            .any(|m| matches!(m.class, Class::Event(_)) && sent.cues(p).any(|q| q.class == m.class))
                    };
                    let between = (p + 1..n).all(|k| AUX.contains(&sent.lower(k)) || sent.doc.word(k) == "'s");
                    between && verb.is_some_and(same_kind)
                }
                _ => false,
            }
        }
    });
    // "No. 21 Purdue" is a number, not a negation.
    let governing = governing.filter(|&(n, _)| {
        !(sent.lower(n) == "no"
            && n + 2 < sent.end
            && sent.doc.word(n + 1) == "."
            && sent.doc.tokens[n + 2].kind == crate::text::TokenKind::Number)
    });
    let opens_with_no = content.start + 1 < sent.end
        && sent.lower(content.start) == "no"
        && matches!(sent.doc.word(content.start + 1), "," | "-" | "\u{2013}" | ":");
    // Combine: any live denial signal denies, unless the denial targets a refutation.
    let mut deny = false;
    if let Some((v, len)) = deny_verb {
        if flipped_refute.is_some_and(|r| r.0 > v) {
            // "denies hoax claims": asserts.
        } else {
            deny = true;
            st.cues.push((if st.retract { "retract" } else { "deny" }, v, len));
        }
    }
    if let Some((n, len)) = governing {
        // "did not deny" is not a denial; otherwise a negation denies.
        if deny && deny_verb.is_some_and(|(v, _)| n < v) {
            deny = false;
            st.cues.clear();
            st.cues.push(("negation", n, len));
        } else {
            deny = true;
            // "did not actually happen" insists: the form of a debunking.
            let next = if n + len < sent.end { sent.lower(n + len) } else { "" };
            let insists = matches!(next, "actually" | "really" | "in fact");
            st.cues.push((if insists { "refute" } else { "negation" }, n, len));
        }
    }
    if opens_with_no && deny_verb.is_none() {
        // "No, X did not ...": the form of a debunking, not a passing negation.
        deny = true;
        st.cues.push(("refute", content.start, 1));
    }
    if let Some((i, len, _)) = live_refute {
        deny = true;
        st.cues.push(("refute", i, len));
    }
    if let Some((i, len, _)) = flipped_refute {
        st.cues.push(("negation", i, len));
    }
    st.polarity = if deny { Polarity::Deny } else { Polarity::Assert };
    st
}

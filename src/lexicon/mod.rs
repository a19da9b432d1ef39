//! Knowledge as data: the word lists the stages use, compiled in from the `.tsv` files in
//! this folder with `include_str!`.
//!
//! Every list is one phrase table: a phrase is found by its first lowercase word and then
//! checked word by word, so a sentence is scanned with one hash lookup per token. The
//! table is built once, on first use.

use std::sync::Mutex;

use once_cell::sync::Lazy;
use rustc_hash::{FxHashMap, FxHashSet};

/// What a cue phrase means. The payload indexes the lexicon's name lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Class {
    /// Attributes speech ("said", "according to").
    Report,
    /// Denies ("denied", "dismissed").
    Deny,
    /// Calls a claim false ("hoax", "fake").
    Refute,
    /// Negates ("not", "didn't").
    Negation,
    /// Hedges ("reportedly", "may").
    Hedge,
    /// Takes back ("retracted").
    Retract,
    /// Takes back when it acts on a statement ("withdrew its announcement"), not
    /// otherwise ("withdrew its troops").
    TakeBack,
    /// Points back at a claim ("the claim").
    Antecedent,
    /// A noun naming an earlier claim ("account", "report").
    Referent,
    /// A denial verb with other senses ("rejected the offer").
    WeakDeny,
    /// A verb that denies only when its object is a rumour or report ("kills the
    /// rumor", "laughs off reports"); otherwise it means something else ("kills two").
    Dismiss,
    /// Ends a negation's scope ("but", "which").
    ScopeEnd,
    /// Government noun ("military", "foreign ministry").
    Gov,
    /// Locative preposition ("in", "near").
    Locative,
    /// Event phrase; payload indexes [`Lexicon::event_types`].
    Event(u16),
    /// State phrase; payload indexes [`Lexicon::states`].
    State(u16),
    /// Unit noun; payload indexes [`Lexicon::units`].
    Unit(u16),
    /// Honorific before a name ("Mr.").
    Title,
    /// Office before a name ("President").
    Role,
    /// Word that makes a name an organization.
    Org,
    /// Word that makes a name a place.
    PlaceWord,
    /// Word that makes a name a group.
    GroupWord,
    /// Word after a place's base name that still names it ("region").
    Descriptor,
    /// Lowercase word allowed inside a name ("of").
    Connector,
    /// Word that makes a name a thing: a treaty, law, event or product.
    Thing,
    /// "about", "some": approximate figure.
    Approx,
    /// "at least", "more than".
    AtLeast,
    /// "up to", "fewer than".
    AtMost,
    /// A figure written in words; payload indexes [`Lexicon::values`].
    Number(u16),
    /// A multiplier ("million"); payload indexes [`Lexicon::values`].
    Scale(u16),
    /// A word saying what a count of people counts ("killed"); payload indexes
    /// [`Lexicon::units`].
    Qualifier(u16),
}

/// One phrase of the table.
#[derive(Debug)]
struct Entry {
    rest: Box<[&'static str]>,
    class: Class,
}

/// A phrase found at a token position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match {
    /// What it means.
    pub class: Class,
    /// How many tokens it spans.
    pub len: usize,
}

/// The compiled word lists.
pub struct Lexicon {
    table: FxHashMap<&'static str, Vec<Entry>>,
    stop: FxHashSet<&'static str>,
    /// Event type names, indexed by [`Class::Event`].
    pub event_types: Vec<&'static str>,
    /// Event types identified by who took part rather than where.
    pub party_events: Vec<&'static str>,
    /// Event types that happen once for their anchor (two dates contradict).
    pub once_events: Vec<&'static str>,
    /// (group, state) names, indexed by [`Class::State`].
    pub states: Vec<(&'static str, &'static str)>,
    /// State groups that describe a person or body rather than a place.
    pub party_states: Vec<&'static str>,
    /// Unit names, indexed by [`Class::Unit`].
    pub units: Vec<&'static str>,
    /// Numeric values, indexed by [`Class::Number`] and [`Class::Scale`].
    pub values: Vec<f64>,
    /// Metonyms for governments: (name, country, canonical).
    pub metonyms: Vec<(&'static str, &'static str, &'static str)>,
}

fn data_lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

impl Lexicon {
    /// The other state of a two-state group ("held" for "free"); `None` when the group
    /// has more than two states or the state is unknown.
    pub fn other_state(&self, (group, state): (&str, &str)) -> Option<(&'static str, &'static str)> {
        let mut others = self.states.iter().filter(|s| s.0 == group && s.1 != state);
        match (others.next(), others.next()) {
            (Some(&only), None) => Some(only),
            _ => None,
        }
    }

    /// The compiled-in lexicon.
    pub fn get() -> &'static Lexicon {
        static LEXICON: Lazy<Lexicon> = Lazy::new(Lexicon::build);
        &LEXICON
    }

    fn build() -> Lexicon {
        let mut lex = Lexicon {
            table: FxHashMap::default(),
            stop: FxHashSet::default(),
            event_types: Vec::new(),
            party_events: Vec::new(),
            once_events: Vec::new(),
            states: Vec::new(),
            party_states: Vec::new(),
            units: Vec::new(),
            values: Vec::new(),
            metonyms: Vec::new(),
        };
        for line in data_lines(include_str!("cues.tsv")) {
            let Some((class, phrase)) = line.split_once('\t') else {
                continue;
            };
            let class = match class {
                "report" => Class::Report,
                "deny" => Class::Deny,
                "refute" => Class::Refute,
                "negation" => Class::Negation,
                "hedge" => Class::Hedge,
                "retract" => Class::Retract,
                "take_back" => Class::TakeBack,
                "antecedent" => Class::Antecedent,
                "referent" => Class::Referent,
                "weak_deny" => Class::WeakDeny,
                "dismiss" => Class::Dismiss,
                "scope_end" => Class::ScopeEnd,
                "gov" => Class::Gov,
                "locative" => Class::Locative,
                _ => continue,
            };
            lex.add(phrase, class);
        }
        for line in data_lines(include_str!("events.tsv")) {
            let mut cols = line.split('\t');
            let (Some(name), Some(anchor), Some(recurrence), Some(phrases)) =
                (cols.next(), cols.next(), cols.next(), cols.next())
            else {
                continue;
            };
            let id = lex.event_types.len() as u16;
            lex.event_types.push(name);
            if anchor == "party" {
                lex.party_events.push(name);
            }
            if recurrence == "once" {
                lex.once_events.push(name);
            }
            for p in phrases.split(',') {
                lex.add(p.trim(), Class::Event(id));
            }
        }
        for line in data_lines(include_str!("states.tsv")) {
            let mut cols = line.split('\t');
            let (Some(group), Some(state), Some(anchor), Some(phrases)) =
                (cols.next(), cols.next(), cols.next(), cols.next())
            else {
                continue;
            };
            let id = lex.states.len() as u16;
            lex.states.push((group, state));
            if anchor == "party" && !lex.party_states.contains(&group) {
                lex.party_states.push(group);
            }
            for p in phrases.split(',') {
                lex.add(p.trim(), Class::State(id));
            }
        }
        for line in data_lines(include_str!("units.tsv")) {
            let cols: Vec<&'static str> = line.split('\t').collect();
            let (name, words, qualifier) = match cols.as_slice() {
                ["qualifier", name, words] => (*name, *words, true),
                [name, words] => (*name, *words, false),
                _ => continue,
            };
            let id = match lex.units.iter().position(|u| *u == name) {
                Some(i) => i as u16,
                None => {
                    lex.units.push(name);
                    lex.units.len() as u16 - 1
                }
            };
            for p in words.split(',') {
                lex.add(
                    p.trim(),
                    if qualifier {
                        Class::Qualifier(id)
                    } else {
                        Class::Unit(id)
                    },
                );
            }
        }
        for line in data_lines(include_str!("roles.tsv")) {
            let Some((kind, phrase)) = line.split_once('\t') else {
                continue;
            };
            lex.add(phrase, if kind == "title" { Class::Title } else { Class::Role });
        }
        for line in data_lines(include_str!("names.tsv")) {
            let Some((class, word)) = line.split_once('\t') else {
                continue;
            };
            let class = match class {
                "org" => Class::Org,
                "place" => Class::PlaceWord,
                "group" => Class::GroupWord,
                "descriptor" => Class::Descriptor,
                "connector" => Class::Connector,
                "thing" => Class::Thing,
                _ => continue,
            };
            lex.add(word, class);
        }
        for line in data_lines(include_str!("quantities.tsv")) {
            let mut cols = line.split('\t');
            let (Some(class), Some(phrase)) = (cols.next(), cols.next()) else {
                continue;
            };
            let value = cols.next().and_then(|v| v.parse::<f64>().ok());
            let class = match (class, value) {
                ("approx", _) => Class::Approx,
                ("at_least", _) => Class::AtLeast,
                ("at_most", _) => Class::AtMost,
                ("number", Some(v)) => {
                    lex.values.push(v);
                    Class::Number(lex.values.len() as u16 - 1)
                }
                ("scale", Some(v)) => {
                    lex.values.push(v);
                    Class::Scale(lex.values.len() as u16 - 1)
                }
                _ => continue,
            };
            lex.add(phrase, class);
        }
        for line in data_lines(include_str!("metonyms.tsv")) {
            let mut cols = line.split('\t');
            if let (Some(name), Some(country), Some(canonical)) = (cols.next(), cols.next(), cols.next()) {
                lex.metonyms.push((name, country, canonical));
            }
        }
        lex.stop = data_lines(include_str!("stopwords.txt")).map(str::trim).collect();
        for entries in lex.table.values_mut() {
            // Longest phrases first, so callers can take the first full match.
            entries.sort_by_key(|e| std::cmp::Reverse(e.rest.len()));
        }
        lex
    }

    fn add(&mut self, phrase: &'static str, class: Class) {
        let mut words = phrase.split_whitespace();
        let Some(first) = words.next() else { return };
        let rest: Box<[&'static str]> = words.collect();
        let entries = self.table.entry(first).or_default();
        if !entries.iter().any(|e| e.class == class && e.rest == rest) {
            entries.push(Entry { rest, class });
        }
    }

    /// Every phrase that starts at token `i` of `words` (lowercased tokens), longest first.
    pub fn matches_at(&self, words: &[&str], i: usize, out: &mut Vec<Match>) {
        out.clear();
        self.push_matches(words, i, out);
    }

    /// As [`Lexicon::matches_at`], appending to `out`.
    pub fn push_matches(&self, words: &[&str], i: usize, out: &mut Vec<Match>) {
        let Some(entries) = self.table.get(words[i]) else {
            return;
        };
        for e in entries {
            let n = e.rest.len();
            if i + n < words.len() && words[i + 1..=i + n] == e.rest[..] || n == 0 {
                out.push(Match {
                    class: e.class,
                    len: n + 1,
                });
            }
        }
    }

    /// True when some phrase of the table starts with this word.
    #[inline]
    pub fn has(&self, word: &str) -> bool {
        self.table.contains_key(word)
    }

    /// True for function words and other words that are never names or content terms.
    #[inline]
    pub fn is_stop(&self, lower: &str) -> bool {
        self.stop.contains(lower)
    }

    /// The first class of a given kind for a one-word phrase (for quick tests).
    pub fn word_has(&self, word: &str, pred: impl Fn(Class) -> bool) -> bool {
        self.table
            .get(word)
            .is_some_and(|es| es.iter().any(|e| e.rest.is_empty() && pred(e.class)))
    }
}

/// The `&'static str` a claim holds for a lexicon word (event type, state, cue role). The
/// words come from a small closed set, so each distinct one is leaked once and shared.
pub fn intern(s: &str) -> &'static str {
    static WORDS: Mutex<Option<FxHashSet<&'static str>>> = Mutex::new(None);
    let mut guard = WORDS.lock().unwrap_or_else(|e| e.into_inner());
    let set = guard.get_or_insert_with(FxHashSet::default);
    if let Some(w) = set.get(s) {
        return w;
    }
    let w: &'static str = Box::leak(s.to_string().into_boxed_str());
    set.insert(w);
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_match_longest_first() {
        let lex = Lexicon::get();
        let words = ["has", "regained", "control", "of", "kursk"];
        let mut out = Vec::new();
        lex.matches_at(&words, 1, &mut out);
        let ev = out.iter().find(|m| matches!(m.class, Class::Event(_))).unwrap();
        assert_eq!(ev.len, 2);
        let Class::Event(id) = ev.class else { unreachable!() };
        assert_eq!(lex.event_types[id as usize], "take_control");
    }

    #[test]
    fn every_list_loaded() {
        let lex = Lexicon::get();
        assert!(lex.word_has("denied", |c| c == Class::Deny));
        assert!(lex.word_has("hoax", |c| c == Class::Refute));
        assert!(lex.word_has("reportedly", |c| c == Class::Hedge));
        assert!(lex.word_has("didn't", |c| c == Class::Negation));
        assert!(lex.word_has("troops", |c| matches!(c, Class::Unit(_))));
        assert!(lex.word_has("president", |c| c == Class::Role));
        assert!(lex.is_stop("the"));
        assert!(lex.event_types.len() >= 20);
        assert!(lex.states.contains(&("custody", "free")));
        assert!(lex.metonyms.iter().any(|m| m.0 == "Kremlin" && m.1 == "RU"));
    }
}

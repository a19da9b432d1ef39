//! The records that flow between stages.
//!
//! Every stage hands owned, plain structs to the next one. Nothing here borrows from an
//! earlier stage, so each stage can run on its own thread pool and be tested alone.

use std::sync::Arc;

use serde::Serialize;

use crate::date::{Date, TimeRef};

/// Index of an input file in the order the inputs were given (directories expanded in
/// sorted order). Dense, assigned by the walker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct FileId(pub u32);

/// Where a record came from: file and 1-based line (the first line of a multi-line record).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    /// The input file.
    pub file: FileId,
    /// 1-based line of the record's start; 0 for a whole-file problem.
    pub line: u64,
}

/// One news article as read from the input. Bodies are dropped once claims are extracted.
#[derive(Clone, Debug, Default)]
pub struct Article {
    /// The input's `id`, or one derived from file and line when the input has none.
    pub id: String,
    /// Outlet or domain.
    pub source: String,
    /// Publication date, when one was given and could be read.
    pub published: Option<Date>,
    /// A publication date that was given but could not be read, as written: the article
    /// is read without one (so no reversal or date check can use it), and the run says so.
    pub unread_date: Option<String>,
    /// Headline (may be empty).
    pub title: String,
    /// Article text (may be empty: headline-only corpora).
    pub body: String,
    /// Link, when given.
    pub url: String,
    /// Byte length of the dateline at the start of the body ("SEOUL, April 28 -"), kept
    /// out of the claims.
    pub dateline_len: usize,
}

/// Which text field of an article a span points into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    /// The headline.
    Title,
    /// The body.
    Body,
}

impl Field {
    /// Name used in output files.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Body => "body",
        }
    }
}

/// Byte range inside one field of an article.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// Field the offsets refer to.
    pub field: Field,
    /// Start byte (inclusive).
    pub start: u32,
    /// End byte (exclusive).
    pub end: u32,
}

/// What sort of thing an entity is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A sovereign (or historic) country.
    Country,
    /// A named person.
    Person,
    /// A company, agency, ministry, party, outlet...
    Organization,
    /// A region or city.
    Place,
    /// An armed or political group, or a people.
    Group,
    /// Anything else with a proper name.
    Other,
}

impl EntityKind {
    /// Name used in output files.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Country => "country",
            EntityKind::Person => "person",
            EntityKind::Organization => "organization",
            EntityKind::Place => "place",
            EntityKind::Group => "group",
            EntityKind::Other => "other",
        }
    }

    /// Parses the names used in output files and in user alias tables.
    pub fn parse(s: &str) -> Option<EntityKind> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "country" => EntityKind::Country,
            "person" => EntityKind::Person,
            "organization" | "organisation" | "org" => EntityKind::Organization,
            "place" | "city" | "region" => EntityKind::Place,
            "group" => EntityKind::Group,
            "other" => EntityKind::Other,
            _ => return None,
        })
    }
}

/// A provisional reference to an entity, made inside one article before the corpus-wide
/// clustering step gives every entity its final id.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntityRef {
    /// A row of the compiled gazetteer (or of a user alias table).
    Known(u32),
    /// A name the gazetteer lacks, by its normalised form ("vladimir putin").
    Name(Box<str>),
}

/// A name found in an article.
#[derive(Clone, Debug)]
pub struct Mention {
    /// The entity, provisional until clustering.
    pub entity: EntityRef,
    /// The text as written.
    pub surface: Box<str>,
    /// Where it was written.
    pub span: Span,
    /// Kind guessed from the context of this mention (for names the gazetteer lacks).
    pub kind: EntityKind,
    /// Role or title written before a person's name ("President", "Gen.").
    pub role: Option<Box<str>>,
    /// The country a person or body is tied to by the text ("Russian President ...",
    /// "Pyongyang's military").
    pub affiliation: Option<u32>,
    /// True when the mention stands for a government (a capital or metonym that acts, a
    /// country's government noun).
    pub government: bool,
}

/// Whether a claim asserts or denies its proposition.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Polarity {
    /// The claimer says it happened / is so.
    #[default]
    Assert,
    /// The claimer says it did not happen / is not so.
    Deny,
}

impl Polarity {
    /// Name used in output files.
    pub fn as_str(self) -> &'static str {
        match self {
            Polarity::Assert => "assert",
            Polarity::Deny => "deny",
        }
    }
}

/// How firmly a claim is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Modality {
    /// Stated as fact.
    Certain,
    /// "reportedly", "may", "allegedly", "is said to".
    Hedged,
    /// A question ("Did X ...?").
    Question,
}

impl Modality {
    /// Name used in output files.
    pub fn as_str(self) -> &'static str {
        match self {
            Modality::Certain => "certain",
            Modality::Hedged => "hedged",
            Modality::Question => "question",
        }
    }
}

/// How a number was qualified.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bound {
    /// A plain figure ("211").
    Exact,
    /// "about", "some", "roughly", "nearly".
    Approx,
    /// "at least", "more than", "over".
    AtLeast,
    /// "up to", "as many as", "fewer than".
    AtMost,
    /// "between 10 and 20", "10-20".
    Range,
}

/// A quantity with its unit and bound, reduced to an interval `[low, high]`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Quantity {
    /// The figure as written ("about 11,000 troops").
    pub text: String,
    /// Lower end of what the text allows.
    pub low: f64,
    /// Upper end of what the text allows (infinite for "at least").
    pub high: f64,
    /// The nominal value ("11000").
    pub value: f64,
    /// Unit class ("troops", "people", "usd").
    pub unit: String,
    /// How the figure was qualified.
    pub bound: Bound,
    /// The name the figure belongs to, when the content gives one before it ("Reyes
    /// won 18,432 votes"): figures of different holders are not one figure.
    #[serde(skip)]
    pub holder: Option<EntityRef>,
}

/// A cue word that shaped a claim, kept for explanations and highlighting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Cue {
    /// What the cue did ("deny", "negation", "hedge", "report", "event", "state").
    pub role: &'static str,
    /// Byte offsets inside the claim's sentence.
    pub start: u32,
    /// End offset inside the claim's sentence.
    pub end: u32,
}

impl Cue {
    /// The words as written, read from the claim's sentence ([`Claim::text`]): every claim
    /// is held until the end of a run, so its cues do not keep copies of them.
    pub fn text_in<'a>(&self, sentence: &'a str) -> &'a str {
        sentence.get(self.start as usize..self.end as usize).unwrap_or("")
    }
}

/// Who said what about which happening, extracted from one sentence or headline.
#[derive(Clone, Debug)]
pub struct Claim {
    /// Position of this claim in its article (0-based, in text order: title first).
    pub seq: u32,
    /// The sentence the claim was read from.
    pub span: Span,
    /// The sentence text (trimmed), as written.
    pub text: String,
    /// The claimer as written ("Ukraine", "Russian President Vladimir Putin"); empty when
    /// the outlet speaks in its own voice.
    pub claimer: String,
    /// The claimer's entity, when it is one.
    pub claimer_entity: Option<EntityRef>,
    /// The government (a gazetteer country) the claimer speaks for, when it does: a
    /// country or capital that acts, a government seat, "Pyongyang's military", an
    /// official with a role and a country ("Russian President Vladimir Putin").
    pub speaks_for: Option<u32>,
    /// Outlet → agency → official chain, outermost first, as written.
    pub chain: Vec<String>,
    /// Event type from the verb-class lexicon, or "other".
    pub event_type: &'static str,
    /// The predicate's words as written ("regained control").
    pub predicate: String,
    /// Who did it.
    pub agent: Option<EntityRef>,
    /// To whom / what it was done.
    pub target: Option<EntityRef>,
    /// Where.
    pub location: Option<EntityRef>,
    /// Every entity named inside the claim's content.
    pub entities: Vec<EntityRef>,
    /// Content words of the proposition (lowercased stems), for matching claims.
    pub terms: Vec<u64>,
    /// Assert or deny.
    pub polarity: Polarity,
    /// Certain, hedged or question.
    pub modality: Modality,
    /// The figure the claim gives, if any (boxed: few claims give one, and every claim
    /// is held until the end of a run).
    pub quantity: Option<Box<Quantity>>,
    /// The date the claim puts on its event, if any (absolute or resolved against the
    /// article's date).
    pub time: Option<TimeRef>,
    /// State words from the exclusive-state lexicon: (group, state).
    pub state: Option<(&'static str, &'static str)>,
    /// For a claim that only refers to another ("Ukraine has denied the claim"): the seq of
    /// the claim it refers to in the same article.
    pub refers_to: Option<u32>,
    /// The words that made the claim what it is.
    pub cues: Vec<Cue>,
}

/// An article after analysis: what the reports need once its text is gone.
#[derive(Clone, Debug)]
pub struct ArticleRow {
    /// Output id.
    pub id: String,
    /// Outlet.
    pub source: String,
    /// Publication date.
    pub published: Option<Date>,
    /// Headline.
    pub title: String,
    /// Link.
    pub url: String,
    /// Where it was read.
    pub origin: Origin,
    /// Story index (filled by align).
    pub story: u32,
    /// Group of near-identical copies (wire stories under several outlets); the index of
    /// the group's first article.
    pub wire: u32,
    /// Bytes of title and body.
    pub bytes: usize,
}

/// The country of a claim's anchor, when the anchor is a country or a place in one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AnchorCountry {
    /// ISO alpha-2 code.
    pub code: [u8; 2],
    /// The anchor is the country itself, not a place in it.
    pub whole: bool,
}

impl AnchorCountry {
    /// One anchor is a country and the other a place in it: "off eastern Indonesia" and
    /// "south of Ambon" may tell of one happening, the report from afar naming the country
    /// only.
    pub fn contains(a: Option<AnchorCountry>, b: Option<AnchorCountry>) -> bool {
        matches!((a, b), (Some(a), Some(b)) if a.code == b.code && a.whole != b.whole)
    }
}

/// A claim after alignment, with final entity ids.
#[derive(Clone, Debug)]
pub struct ClaimRow {
    /// Index of its article.
    pub article: u32,
    /// The claim. Boxed: the rows are built while the per-article claims are freed, and
    /// a box per claim reuses that memory where one block of every claim would come on
    /// top of it.
    pub claim: Box<Claim>,
    /// Final entity id of the claimer.
    pub claimer_id: Option<u32>,
    /// Final entity id of the anchor (where, else to whom, else who).
    pub anchor: Option<u32>,
    /// The anchor is who the happening is of (the one arrested, resigning, signing: its
    /// target or agent, a person or body), not where it happened or a name merely in the
    /// claim.
    pub anchor_is_party: bool,
    /// The country of an anchor that is a country or a place in one.
    pub anchor_country: Option<AnchorCountry>,
    /// Final entity ids of the content.
    pub entities: Vec<u32>,
    /// Who speaks, for telling independent voices apart: "gov:RU", "entity:12",
    /// "outlet:3", "name:...". Claims of one voice share the string.
    pub voice: Arc<str>,
    /// Event index (filled by align).
    pub event: u32,
    /// Index of the claim this one refers to, when it only points back.
    pub refers_to: Option<u32>,
    /// What the claim's state (custody, office, life, control) is of: a person or body for
    /// party states, a place for place states.
    pub state_anchor: Option<u32>,
    /// The side that did it: the agent's country when it has one ("RU" for Russia,
    /// Moscow, Russian forces or a Russian official), else the agent's entity key. Claims
    /// of one side share the string.
    pub agent_side: Option<Arc<str>>,
    /// The claimer is another outlet of the corpus ("... after the Daily X reported
    /// that ..."): the claim retells that outlet's own report.
    pub retells: bool,
}

#[cfg(test)]
impl Claim {
    /// A claim of `text`, the whole of a sentence in `field`, that says nothing more:
    /// untyped, asserted, certain, with no claimer, names, words or cues. Tests set what
    /// they need.
    pub(crate) fn plain(field: Field, text: &str) -> Claim {
        Claim {
            seq: 0,
            span: Span {
                field,
                start: 0,
                end: text.len() as u32,
            },
            text: text.to_string(),
            claimer: String::new(),
            claimer_entity: None,
            speaks_for: None,
            chain: Vec::new(),
            event_type: "other",
            predicate: String::new(),
            agent: None,
            target: None,
            location: None,
            entities: Vec::new(),
            terms: Vec::new(),
            polarity: Polarity::Assert,
            modality: Modality::Certain,
            quantity: None,
            time: None,
            state: None,
            refers_to: None,
            cues: Vec::new(),
        }
    }
}

impl ClaimRow {
    /// Output id: `<article_id>:<seq>`, spelled from the article's id when asked for
    /// rather than kept as a string per claim.
    pub fn id<'a>(&self, articles: &'a [ArticleRow]) -> ClaimId<'a> {
        ClaimId {
            article: &articles[self.article as usize].id,
            seq: self.claim.seq,
        }
    }
}

/// A claim's output id, `<article_id>:<seq>`: compares and prints as that string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClaimId<'a> {
    /// The article's output id.
    pub article: &'a str,
    /// The claim's position in its article.
    pub seq: u32,
}

impl ClaimId<'_> {
    /// The bytes of the id string, with `digits` the buffer for the seq.
    fn bytes<'s>(&'s self, digits: &'s mut [u8; 10]) -> impl Iterator<Item = u8> + 's {
        let mut n = self.seq;
        let mut start = digits.len();
        loop {
            start -= 1;
            digits[start] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.article
            .bytes()
            .chain([b':'])
            .chain(digits[start..].iter().copied())
    }
}

// Equality of the fields is equality of the strings: the seq has no ':', so the last
// ':' of an id splits it into the two.
impl Ord for ClaimId<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let (mut x, mut y) = ([0u8; 10], [0u8; 10]);
        self.bytes(&mut x).cmp(other.bytes(&mut y))
    }
}

impl PartialOrd for ClaimId<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl std::fmt::Display for ClaimId<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.article, self.seq)
    }
}

#[cfg(test)]
mod tests {
    use super::ClaimId;

    #[test]
    fn claim_ids_order_as_their_strings() {
        let ids = [
            ("a", 9),
            ("a", 10),
            ("a", 0),
            ("a", 4294967295),
            ("a:1", 2),
            ("a:", 1),
            ("ab", 1),
            ("a-b", 1),
            ("", 3),
            ("é", 1),
            ("a", 1),
        ];
        for &(a, s) in &ids {
            let x = ClaimId { article: a, seq: s };
            assert_eq!(x.to_string(), format!("{a}:{s}"));
            for &(b, t) in &ids {
                let y = ClaimId { article: b, seq: t };
                assert_eq!(x.cmp(&y), x.to_string().cmp(&y.to_string()), "{x} {y}");
                assert_eq!(x == y, x.to_string() == y.to_string());
            }
        }
    }
}

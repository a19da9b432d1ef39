//! The gazetteer: countries, first-level regions, cities, demonyms and government
//! metonyms, compiled in from `src/lexicon/gazetteer.tsv` (generated from GeoNames,
//! pycountry and countryinfo by `scripts/gen_gazetteer.py`), extended by user alias
//! tables.
//!
//! All surface forms go into case-sensitive Aho-Corasick automata (leftmost-longest),
//! built once per configuration: "US" the country is found and "us" the pronoun is not.
//! The forms are split by first byte between two automata, built in parallel: a match
//! anchored at a position can only be a form starting with the byte there, so each
//! position is tried in one automaton, with the result of trying all forms at once.
//! Text in capitals is scanned again in title case by the entities stage.

use std::path::Path;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};
use rustc_hash::FxHashMap;

use crate::error::{Error, Result};
use crate::lexicon::Lexicon;
use crate::model::EntityKind;
use crate::text::fold_name;

/// One known entity.
#[derive(Clone, Debug)]
pub struct Known {
    /// Stable id written to `entities.csv` ("country:RU", "region:RU-KRS", "city:703448").
    pub key: Box<str>,
    /// Output kind.
    pub kind: EntityKind,
    /// Name editors expect.
    pub canonical: Box<str>,
    /// ISO 3166-1 alpha-2 (countries) or ISO 3166-2 (regions).
    pub code: Box<str>,
    /// ISO alpha-2 of the country it belongs to.
    pub country: Box<str>,
    /// Population, 0 when unknown.
    pub population: u64,
    /// A national capital (may stand for its government).
    pub capital: bool,
    /// Its name is also an ordinary English word ("Split", "Mobile").
    pub common_word: bool,
    /// A government seat or building ("Kremlin"): when it speaks, its country speaks.
    pub metonym: bool,
    /// For a city that shares its name with a region: that region's entry.
    pub region: Option<u32>,
    /// Base name of a region without its descriptor ("Kursk" for "Kursk Oblast").
    pub base: Box<str>,
}

impl Known {
    /// A town or city (from the cities table), not a region, area or country.
    pub fn is_town(&self) -> bool {
        self.key.starts_with("city:")
    }

    /// A continent or world area ("Asia", "West Africa"): a place of no country.
    pub fn is_area(&self) -> bool {
        self.key.starts_with("area:")
    }
}

/// How a surface form names its entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The entity's name.
    Name,
    /// A demonym or adjective of a country ("North Korean").
    Demonym,
    /// A region's base name ("Kursk"), which names the region when a descriptor follows.
    Base,
}

/// A surface form and every entity it may name.
#[derive(Clone, Debug)]
pub struct Pattern {
    /// The forms as written in the tables (differing only in ASCII case).
    pub forms: Vec<Box<str>>,
    /// Candidate entities with the role of this surface for each.
    pub senses: Vec<(u32, Role)>,
    /// Entities whose main name this form is (not an alternate name): "Philadelphia"
    /// is the main name of the US city and only an old alternate name of Amman.
    pub main: Vec<u32>,
    /// The form is also an ordinary English word ("Split", "Bank", "Japan"), so its
    /// capital letter alone does not make it a name.
    pub common_word: bool,
}

/// The compiled gazetteer.
pub struct Gazetteer {
    /// Entities, indexed by [`crate::model::EntityRef::Known`].
    pub entries: Vec<Known>,
    /// Surface forms; an index here is a pattern id of [`Gazetteer::scan`].
    pub patterns: Vec<Pattern>,
    /// The two automata, each over the forms of some first bytes, and the pattern ids
    /// of their forms.
    automata: [(AhoCorasick, Vec<u32>); 2],
    /// For each byte, the automaton of the forms starting with it.
    automaton_of: [u8; 256],
    /// The first two bytes of every pattern, as a bit set indexed by the byte pair: the
    /// scan tries an automaton only where a pattern can start.
    prefixes: Box<[u64]>,
    by_code: FxHashMap<Box<str>, u32>,
    abbrevs: FxHashMap<Box<str>, Abbrev>,
}

/// A short form of a region that follows a place name after a comma ("Troy, Mich.",
/// "LOUISVILLE, Ky."), never a name on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Abbrev {
    /// The region's entry.
    pub entry: u32,
    /// A bare postal code ("NY", "CA"): trusted only in a dateline.
    pub postal: bool,
}

/// Builds gazetteers: the compiled-in tables plus any user alias files.
#[derive(Default)]
pub struct GazetteerBuilder {
    entries: Vec<Known>,
    /// (form, entry, role, main name of the entry).
    forms: Vec<(Box<str>, u32, Role, bool)>,
    overrides: Vec<(Box<str>, u32, Role)>,
    /// Lowercase forms that are also English words.
    common: rustc_hash::FxHashSet<String>,
    abbrevs: Vec<(Box<str>, u32)>,
}

impl GazetteerBuilder {
    /// Starts from the compiled-in tables.
    pub fn new() -> GazetteerBuilder {
        let mut b = GazetteerBuilder::default();
        b.load_tsv(include_str!("../lexicon/gazetteer.tsv"));
        b.load_metonyms();
        b
    }

    /// An empty builder (for tests of the mechanism).
    pub fn empty() -> GazetteerBuilder {
        GazetteerBuilder::default()
    }

    fn load_tsv(&mut self, text: &str) {
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
        let col = |name: &str| header.iter().position(|h| *h == name);
        let (Some(k), Some(kind), Some(can), Some(code), Some(country), Some(pop), Some(flags), Some(names)) = (
            col("key"),
            col("kind"),
            col("canonical"),
            col("code"),
            col("country"),
            col("population"),
            col("flags"),
            col("names"),
        ) else {
            return;
        };
        let dem = col("demonyms");
        let base = col("base");
        let abbrevs = col("abbrevs");
        let mut region_links: Vec<(u32, Box<str>)> = Vec::new();
        for line in lines {
            let cols: Vec<&str> = line.split('\t').collect();
            let get = |i: usize| cols.get(i).copied().unwrap_or("");
            let kind_s = get(kind);
            let out_kind = match kind_s {
                "country" => EntityKind::Country,
                "region" | "city" | "area" => EntityKind::Place,
                other => EntityKind::parse(other).unwrap_or(EntityKind::Other),
            };
            let idx = self.entries.len() as u32;
            let flags = get(flags);
            for f in flags.split(',') {
                if let Some(code) = f.strip_prefix("region=") {
                    region_links.push((idx, code.into()));
                }
            }
            let has_flag = |name: &str| flags.split(',').any(|f| f == name);
            if has_flag("common_word") {
                self.common.insert(get(can).to_lowercase());
            }
            for f in flags.split(',') {
                if let Some(word) = f.strip_prefix("common_word=") {
                    self.common.insert(word.to_lowercase());
                }
            }
            self.entries.push(Known {
                key: get(k).into(),
                kind: out_kind,
                canonical: get(can).into(),
                code: get(code).into(),
                country: get(country).into(),
                population: get(pop).parse().unwrap_or(0),
                capital: has_flag("capital"),
                common_word: has_flag("common_word"),
                metonym: false,
                region: None,
                base: base.map(get).unwrap_or("").into(),
            });
            let canonical = get(can);
            let folded_canonical = fold_name(canonical);
            for name in get(names).split('|').filter(|n| !n.is_empty()) {
                let main = name == canonical || fold_name(name) == folded_canonical;
                self.forms.push((name.into(), idx, Role::Name, main));
            }
            if let Some(d) = dem {
                for name in get(d).split('|').filter(|n| !n.is_empty()) {
                    self.forms.push((name.into(), idx, Role::Demonym, false));
                }
            }
            if let Some(b) = base {
                let b = get(b);
                if !b.is_empty() {
                    self.forms.push((b.into(), idx, Role::Base, false));
                }
            }
            if let Some(a) = abbrevs {
                for form in get(a).split('|').filter(|n| !n.is_empty()) {
                    self.abbrevs.push((form.into(), idx));
                }
            }
        }
        let by_code: FxHashMap<Box<str>, u32> = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| !e.code.is_empty())
            .map(|(i, e)| (e.code.clone(), i as u32))
            .collect();
        for (city, code) in region_links {
            if let Some(&r) = by_code.get(&code) {
                self.entries[city as usize].region = Some(r);
            }
        }
    }

    fn load_metonyms(&mut self) {
        let mut by_canonical: FxHashMap<&str, u32> = FxHashMap::default();
        for &(name, country, canonical) in &Lexicon::get().metonyms {
            let idx = *by_canonical.entry(canonical).or_insert_with(|| {
                let idx = self.entries.len() as u32;
                self.entries.push(Known {
                    key: format!("org:{}", slug(canonical)).into(),
                    kind: EntityKind::Organization,
                    canonical: canonical.into(),
                    code: "".into(),
                    country: country.into(),
                    population: 0,
                    capital: false,
                    common_word: false,
                    metonym: true,
                    region: None,
                    base: "".into(),
                });
                idx
            });
            self.forms.push((name.into(), idx, Role::Name, true));
        }
    }

    /// Adds a user alias table: CSV with columns `alias, canonical, kind[, code]` (header
    /// optional). An alias whose canonical names an existing entity (by canonical name or
    /// code) joins it; otherwise a new entity is made. A user alias overrides what the
    /// compiled tables say about the same surface form.
    pub fn add_alias_file(&mut self, path: &Path) -> Result<()> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        self.add_alias_csv(&text)
            .map_err(|msg| Error::Config(format!("{}: {msg}", path.display())))
    }

    /// As [`GazetteerBuilder::add_alias_file`], from text.
    pub fn add_alias_csv(&mut self, text: &str) -> std::result::Result<(), String> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let mut by_name: FxHashMap<String, u32> = FxHashMap::default();
        for (i, e) in self.entries.iter().enumerate() {
            by_name.entry(fold_name(&e.canonical)).or_insert(i as u32);
            if !e.code.is_empty() {
                by_name.entry(fold_name(&e.code)).or_insert(i as u32);
            }
        }
        for (n, row) in reader.records().enumerate() {
            let row = row.map_err(|e| format!("line {}: {e}", n + 1))?;
            let alias = row.get(0).unwrap_or("");
            let canonical = row.get(1).unwrap_or("");
            if n == 0 && alias.eq_ignore_ascii_case("alias") {
                continue;
            }
            if alias.is_empty() || canonical.is_empty() {
                return Err(format!("line {}: expected alias,canonical,kind[,code]", n + 1));
            }
            let kind_s = row.get(2).unwrap_or("other");
            let kind = EntityKind::parse(kind_s).ok_or_else(|| {
                format!(
                    "line {}: unknown kind {kind_s:?} (country, person, organization, place, group, other)",
                    n + 1
                )
            })?;
            let code = row.get(3).unwrap_or("").to_string();
            let idx = match by_name.get(&fold_name(canonical)).copied() {
                Some(i) => i,
                None => {
                    let idx = self.entries.len() as u32;
                    let country = if kind == EntityKind::Country {
                        code.clone()
                    } else {
                        code.split('-')
                            .next()
                            .filter(|c| c.len() == 2 && !code.is_empty())
                            .unwrap_or("")
                            .to_string()
                    };
                    self.entries.push(Known {
                        key: format!("user:{}", slug(canonical)).into(),
                        kind,
                        canonical: canonical.into(),
                        code: code.as_str().into(),
                        country: country.into(),
                        population: 0,
                        capital: false,
                        common_word: false,
                        metonym: false,
                        region: None,
                        base: "".into(),
                    });
                    by_name.insert(fold_name(canonical), idx);
                    idx
                }
            };
            self.overrides.push((alias.into(), idx, Role::Name));
            self.overrides.push((canonical.into(), idx, Role::Name));
        }
        Ok(())
    }

    /// Builds the automaton.
    pub fn build(self) -> Result<Gazetteer> {
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut by_lower: FxHashMap<String, usize> = FxHashMap::default();
        let overridden: rustc_hash::FxHashSet<String> =
            self.overrides.iter().map(|(f, _, _)| f.to_lowercase()).collect();
        let compiled = self
            .forms
            .into_iter()
            .filter(|(f, _, _, _)| !overridden.contains(&f.to_lowercase()));
        let user = self.overrides.into_iter().map(|(f, i, r)| (f, i, r, true));
        for (form, idx, role, main) in compiled.chain(user) {
            if form.chars().count() < 2 {
                continue;
            }
            let lower = form.to_lowercase();
            let common_word = self.common.contains(&lower);
            let p = *by_lower.entry(lower).or_insert_with(|| {
                patterns.push(Pattern {
                    forms: Vec::new(),
                    senses: Vec::new(),
                    main: Vec::new(),
                    common_word,
                });
                patterns.len() - 1
            });
            let pat = &mut patterns[p];
            if !pat.forms.contains(&form) {
                pat.forms.push(form);
            }
            if !pat.senses.contains(&(idx, role)) {
                pat.senses.push((idx, role));
            }
            if main && !pat.main.contains(&idx) {
                pat.main.push(idx);
            }
        }
        // "Pa." and "PA" share a key: the traditional form wins, so the key is trusted
        // outside datelines too.
        let mut abbrevs: FxHashMap<Box<str>, Abbrev> = FxHashMap::default();
        for (form, idx) in &self.abbrevs {
            let postal = !form.contains('.') && form.len() == 2;
            abbrevs
                .entry(abbrev_key(form).into())
                .and_modify(|a| a.postal &= postal)
                .or_insert(Abbrev { entry: *idx, postal });
        }
        let mut prefixes = vec![0u64; 1 << 10].into_boxed_slice();
        for p in &patterns {
            // Every form has two characters, so two bytes or more.
            let pair = pair_at(p.forms[0].as_bytes(), 0);
            prefixes[pair >> 6] |= 1 << (pair & 63);
        }
        // First bytes go to the first automaton, in byte order, until it holds about
        // half of the forms' bytes.
        let mut bytes_of = [0usize; 256];
        for p in &patterns {
            bytes_of[p.forms[0].as_bytes()[0] as usize] += p.forms[0].len();
        }
        let total: usize = bytes_of.iter().sum();
        let mut automaton_of = [0u8; 256];
        let mut first_part = 0;
        for (b, &n) in bytes_of.iter().enumerate() {
            if first_part >= total / 2 {
                automaton_of[b] = 1;
            } else {
                first_part += n;
            }
        }
        let ids_of = |part: u8| -> Vec<u32> {
            (0..patterns.len() as u32)
                .filter(|&i| automaton_of[patterns[i as usize].forms[0].as_bytes()[0] as usize] == part)
                .collect()
        };
        // Only anchored searches are asked of them: the scan skips the positions no
        // pattern can start at (most of running text is lowercase).
        let build = |ids: Vec<u32>| -> Result<(AhoCorasick, Vec<u32>)> {
            let automaton = AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .start_kind(StartKind::Anchored)
                .build(ids.iter().map(|&i| patterns[i as usize].forms[0].as_bytes()))
                .map_err(|e| Error::Config(format!("gazetteer automaton: {e}")))?;
            Ok((automaton, ids))
        };
        let (first, second) = rayon::join(|| build(ids_of(0)), || build(ids_of(1)));
        let automata = [first?, second?];
        let by_code = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| !e.code.is_empty())
            .map(|(i, e)| (e.code.clone(), i as u32))
            .collect();
        Ok(Gazetteer {
            entries: self.entries,
            patterns,
            automata,
            automaton_of,
            prefixes,
            by_code,
            abbrevs,
        })
    }
}

impl Gazetteer {
    /// The surface forms, in pattern id order: an automaton built over them with
    /// leftmost-longest matching finds what [`Gazetteer::scan`] finds.
    pub fn forms(&self) -> impl Iterator<Item = &str> {
        self.patterns.iter().map(|p| &*p.forms[0])
    }

    /// The leftmost-longest, non-overlapping matches of the forms in `text` as (start,
    /// end, pattern), the same as an unanchored search of one automaton over all of them:
    /// each position where a form can start is tried with an anchored search, in order,
    /// resuming after a match.
    pub fn scan(&self, text: &str, mut push: impl FnMut(usize, usize, usize)) {
        let bytes = text.as_bytes();
        let mut at = 0;
        while at + 1 < bytes.len() {
            let pair = pair_at(bytes, at);
            if self.prefixes[pair >> 6] & (1 << (pair & 63)) == 0 {
                at += 1;
                continue;
            }
            let input = Input::new(bytes).span(at..bytes.len()).anchored(Anchored::Yes);
            let (automaton, ids) = &self.automata[self.automaton_of[bytes[at] as usize] as usize];
            match automaton.find(input) {
                Some(m) => {
                    push(m.start(), m.end(), ids[m.pattern().as_usize()] as usize);
                    at = m.end();
                }
                None => at += 1,
            }
        }
    }

    /// The entry with an ISO code ("RU", "RU-KRS").
    pub fn by_code(&self, code: &str) -> Option<u32> {
        self.by_code.get(code).copied()
    }

    /// The region a short form after a comma names ("Calif.", "N.J.", "Ont."); the
    /// form may be written with or without dots and in any case.
    pub fn abbrev(&self, written: &str) -> Option<Abbrev> {
        if written.len() > 12 {
            return None;
        }
        self.abbrevs.get(abbrev_key(written).as_str()).copied()
    }

    /// The country entry of an entry (itself for a country).
    pub fn country_of(&self, idx: u32) -> Option<u32> {
        let e = self.entries.get(idx as usize)?;
        if e.kind == EntityKind::Country {
            return Some(idx);
        }
        self.by_code(&e.country)
    }
}

/// Lookup key of a region abbreviation: lowercase, without dots and spaces.
/// The two bytes at `at` as one index (the caller checks there are two).
#[inline]
fn pair_at(bytes: &[u8], at: usize) -> usize {
    (bytes[at] as usize) << 8 | bytes[at + 1] as usize
}

fn abbrev_key(form: &str) -> String {
    form.chars()
        .filter(|c| *c != '.' && !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Lowercase ASCII slug for ids: "Vladimir Putin" → "vladimir-putin".
pub fn slug(name: &str) -> String {
    let folded = fold_name(name);
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("Vladimir Putin"), "vladimir-putin");
        assert_eq!(slug("Élysée Palace"), "elysee-palace");
        assert_eq!(slug("Курская область"), "курская-область");
    }

    #[test]
    fn user_aliases_join_or_create() {
        let mut b = GazetteerBuilder::empty();
        b.add_alias_csv("alias,canonical,kind,code\nFreedonia,Freedonia,country,FD\nFD Republic,Freedonia,country\nBig Co,Bigco Inc,organization\n")
            .unwrap();
        let g = b.build().unwrap();
        assert_eq!(g.entries.len(), 2);
        assert_eq!(g.by_code("FD"), Some(0));
        let fd = g
            .patterns
            .iter()
            .find(|p| p.forms[0].as_ref() == "FD Republic")
            .unwrap();
        assert_eq!(fd.senses, vec![(0, Role::Name)]);
        assert!(GazetteerBuilder::empty().add_alias_csv("x,y,planet\n").is_err());
    }

    /// The scan from likely starts finds what the unanchored search finds, also where
    /// matches overlap, sit inside words, or begin with lowercase letters.
    #[test]
    fn scan_matches_unanchored_search() {
        let g = GazetteerBuilder::new().build().unwrap();
        let mut text = String::from(
            "BRUSSELS and HOUSTON, New York City, el Raval, thi xa Quang Tri, l'Alfas del Pi, \
             Rio de Janeiro, São Paulo, Zürich, Kyiv's, xParis, ParisLondon, US-UK, Kursk, K",
        );
        // Forms glued together in a fixed pseudo-random order, with and without spaces.
        let mut x: u64 = 7;
        for _ in 0..3000 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let p = &g.patterns[(x >> 33) as usize % g.patterns.len()];
            text.push_str(&p.forms[0]);
            text.push_str(["", " ", "s ", ", the ", "-"][(x >> 20) as usize % 5]);
        }
        let whole = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(g.forms())
            .unwrap();
        let want: Vec<(usize, usize, usize)> = whole
            .find_iter(&text)
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        let mut got = Vec::new();
        g.scan(&text, |s, e, p| got.push((s, e, p)));
        assert!(want.len() > 1000);
        assert_eq!(got, want);
    }
}

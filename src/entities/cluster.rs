//! The corpus-wide step of the entities stage: names the gazetteer lacks, clustered across
//! articles so that one real-world thing gets one entity ("Zelensky", "Zelenskyy" and
//! "Volodymyr Zelenskiy" together; "John Smith" and "Adam Smith" apart), and final ids for
//! every entity.
//!
//! Cost: names are compared only inside blocks that share a key (first initial plus the
//! first four letters of the surname; token fingerprint for organizations), and blocks
//! larger than [`MAX_BLOCK`] are compared only within a sliding window of their sorted
//! members, so at most a constant number of comparisons per name: O(n log n) for n
//! distinct names, the log from sorting the keys (see [`resolve`] and
//! `benches/entities.rs`).

use std::collections::BTreeMap;

use once_cell::sync::Lazy;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::gazetteer::{slug, Gazetteer};
use super::held::{HeldNames, NameRef};
use super::WeakRun;
use crate::model::{EntityKind, EntityRef, Mention, Span};

/// Blocks above this size are compared within a window only.
pub const MAX_BLOCK: usize = 256;
const WINDOW: usize = 32;
/// A lone word is compared with at most this many full names sharing its prefix.
const MAX_SURNAMES: usize = 256;

/// What the corpus says about one name key.
#[derive(Clone, Debug, Default)]
pub struct NameStats {
    /// Mentions.
    pub count: u32,
    /// Votes for each kind, indexed like [`kind_index`].
    pub kinds: [u32; 6],
    /// Surface forms and how often each was written.
    pub surfaces: BTreeMap<Box<str>, u32>,
    /// Votes for an affiliation (country entry).
    pub affiliations: BTreeMap<u32, u32>,
}

impl NameStats {
    /// Adds another partial count (associative and commutative, so partial counts from
    /// parallel workers merge in any order).
    pub fn merge(&mut self, other: NameStats) {
        self.count += other.count;
        for (a, b) in self.kinds.iter_mut().zip(other.kinds) {
            *a += b;
        }
        for (s, n) in other.surfaces {
            *self.surfaces.entry(s).or_default() += n;
        }
        for (s, n) in other.affiliations {
            *self.affiliations.entry(s).or_default() += n;
        }
    }

    /// [`NameStats::merge`] from a borrowed count.
    fn add(&mut self, other: &NameStats) {
        self.count += other.count;
        for (a, b) in self.kinds.iter_mut().zip(other.kinds) {
            *a += b;
        }
        for (s, n) in &other.surfaces {
            *self.surfaces.entry(s.clone()).or_default() += n;
        }
        for (s, n) in &other.affiliations {
            *self.affiliations.entry(*s).or_default() += n;
        }
    }
}

/// Index of a kind in [`NameStats::kinds`].
pub fn kind_index(k: EntityKind) -> usize {
    match k {
        EntityKind::Country => 0,
        EntityKind::Person => 1,
        EntityKind::Organization => 2,
        EntityKind::Place => 3,
        EntityKind::Group => 4,
        EntityKind::Other => 5,
    }
}

/// The kinds in the order of [`kind_index`].
pub const KINDS: [EntityKind; 6] = [
    EntityKind::Country,
    EntityKind::Person,
    EntityKind::Organization,
    EntityKind::Place,
    EntityKind::Group,
    EntityKind::Other,
];

/// Name statistics gathered from articles, merged in any order.
#[derive(Default, Debug)]
pub struct Census {
    /// Per name key.
    pub names: FxHashMap<Box<str>, NameStats>,
    /// Acronym → expansion votes.
    pub acronyms: BTreeMap<(Box<str>, Box<str>), u32>,
}

impl Census {
    /// Counts the names of one article, as held packed.
    pub fn add(&mut self, names: &HeldNames) {
        names.for_each(|m| {
            if let NameRef::Name(k) = m.entity {
                self.add_name(k, m.kind, m.surface, m.affiliation);
            }
        });
        self.add_acronyms(&names.acronyms);
    }

    /// Counts mentions and acronym links.
    pub fn add_mentions(&mut self, mentions: &[Mention], acronyms: &[(Box<str>, Box<str>)]) {
        for m in mentions {
            if let EntityRef::Name(k) = &m.entity {
                self.add_name(k, m.kind, &m.surface, m.affiliation);
            }
        }
        self.add_acronyms(acronyms);
    }

    fn add_name(&mut self, key: &str, kind: EntityKind, surface: &str, affiliation: Option<u32>) {
        let s = match self.names.get_mut(key) {
            Some(s) => s,
            None => self.names.entry(key.into()).or_default(),
        };
        s.count += 1;
        s.kinds[kind_index(kind)] += 1;
        match s.surfaces.get_mut(surface) {
            Some(n) => *n += 1,
            None => {
                s.surfaces.insert(surface.into(), 1);
            }
        }
        if let Some(a) = affiliation {
            *s.affiliations.entry(a).or_default() += 1;
        }
    }

    fn add_acronyms(&mut self, acronyms: &[(Box<str>, Box<str>)]) {
        for (a, e) in acronyms {
            *self.acronyms.entry((a.clone(), e.clone())).or_default() += 1;
        }
    }

    /// Merges another census.
    pub fn merge(&mut self, other: Census) {
        for (k, s) in other.names {
            self.names.entry(k).or_default().merge(s);
        }
        for (k, n) in other.acronyms {
            *self.acronyms.entry(k).or_default() += n;
        }
    }
}

/// One entity made of names the gazetteer lacks.
#[derive(Clone, Debug)]
pub struct NameEntity {
    /// Stable id ("person:vladimir-putin").
    pub key: String,
    /// The most written full form.
    pub canonical: String,
    /// Majority kind.
    pub kind: EntityKind,
    /// Majority affiliation (country entry), when any.
    pub affiliation: Option<u32>,
}

/// The outcome of clustering: every name key mapped to its entity.
#[derive(Default)]
pub struct Resolution {
    /// Name key → index in `entities`.
    pub map: FxHashMap<Box<str>, u32>,
    /// The name entities.
    pub entities: Vec<NameEntity>,
}

struct UnionFind(Vec<u32>);

impl UnionFind {
    fn find(&mut self, mut x: u32) -> u32 {
        while self.0[x as usize] != x {
            let p = self.0[x as usize];
            self.0[x as usize] = self.0[p as usize];
            x = p;
        }
        x
    }
    fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            // The smaller index stays the root, so the result does not depend on order.
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.0[hi as usize] = lo;
        }
    }
}

fn majority_kind(s: &NameStats) -> EntityKind {
    let mut best = 5;
    for i in 0..6 {
        if s.kinds[i] > s.kinds[best] || (s.kinds[i] == s.kinds[best] && i < best && s.kinds[i] > 0) {
            best = i;
        }
    }
    KINDS[best]
}

/// True when two first names can be the same person's: equal, one is the other's
/// initial, close in spelling, or two transliterations of one name ("Volodymyr" /
/// "Vladimir", listed in `names.tsv`).
/// `ga` and `gb` are the names' given-name groups without trailing dots.
fn first_names_agree(a: &str, b: &str, ga: Option<usize>, gb: Option<usize>) -> bool {
    let a = a.trim_end_matches('.');
    let b = b.trim_end_matches('.');
    a == b
        || (a.chars().count() == 1 && b.starts_with(a))
        || (b.chars().count() == 1 && a.starts_with(b))
        || same_group(ga, gb)
        || (jaro_winkler(a, b) >= 0.93 && !gendered_pair(a, b))
}

/// True for the feminine and masculine forms of one name, which name two people
/// ("Alexandra" / "Alexander", "Roberta" / "Robert", "Daniela" / "Daniel").
fn gendered_pair(a: &str, b: &str) -> bool {
    let (fem, masc) = match (a.ends_with('a'), b.ends_with('a')) {
        (true, false) => (a, b),
        (false, true) => (b, a),
        _ => return false,
    };
    let stem = fem.trim_end_matches('a');
    let stem = stem.strip_suffix('r').unwrap_or(stem);
    stem.chars().count() >= 3 && masc.starts_with(stem)
}

/// The line of `names.tsv` that lists this given name among its transliterations.
fn given_name_group(name: &str) -> Option<usize> {
    static GROUPS: Lazy<FxHashMap<&'static str, usize>> = Lazy::new(|| {
        let mut map = FxHashMap::default();
        let lines = include_str!("../lexicon/names.tsv")
            .lines()
            .filter_map(|l| l.strip_prefix("given\t"));
        for (i, line) in lines.enumerate() {
            for name in line.split_whitespace() {
                map.insert(name, i);
            }
        }
        map
    });
    GROUPS.get(name).copied()
}

/// A block of names compared with each other. Keys borrow the census keys, so building
/// the blocks allocates only for organization fingerprints.
#[derive(Clone, PartialEq, Eq, Hash)]
enum BlockKey<'a> {
    /// First initial and the first four letters of the surname.
    Initial(&'a str, &'a str),
    /// The given-name group of the first name and the surname's first four letters.
    Given(usize, &'a str),
    /// An organization's token fingerprint, joined with spaces.
    Fingerprint(String),
}

/// What a pair comparison reads of one name key, worked out once per key.
/// Word lists are ranges of one shared vector, so that a million names do not make two
/// million small allocations.
struct KeyInfo {
    words: (u32, u32),
    /// Sorted distinct words without "the", "of", "and".
    fp: (u32, u32),
    /// A hash of `fp`: unequal hashes mean unequal fingerprints, without reading them.
    fp_hash: u64,
    /// Given-name group of the first word, as written and without trailing dots.
    given: Option<usize>,
    given_trimmed: Option<usize>,
}

/// Clusters the census into entities.
///
/// Cost, for n distinct names: sorting the keys O(n log n); blocking O(n); comparisons
/// O(n) with a constant bound per name, never all pairs of the corpus. A name is in at
/// most three blocks; a block of up to [`MAX_BLOCK`] names is compared all-pairs (on
/// average fewer than MAX_BLOCK / 2 comparisons per member), a larger one only with the
/// [`WINDOW`] names that follow each member in key order. A lone word is compared with at
/// most [`MAX_SURNAMES`] full names. Blocks that grow with the corpus but stay under
/// MAX_BLOCK make the comparisons per name grow up to that bound, and a larger census
/// misses the cache more often, so time per name still rises somewhat with n.
pub fn resolve(census: &Census) -> Resolution {
    // Keys as plain slices, so that sorting and comparing them reads the bytes directly.
    let mut entries: Vec<(&str, &NameStats)> = census.names.iter().map(|(k, s)| (k.as_ref(), s)).collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let (keys, stats): (Vec<&str>, Vec<&NameStats>) = entries.into_iter().unzip();
    let kinds: Vec<EntityKind> = stats.iter().map(|s| majority_kind(s)).collect();
    let mut uf = UnionFind((0..keys.len() as u32).collect());
    // Keys are sorted and distinct, so a binary search finds a key's index.
    let index_of = |k: &str| keys.binary_search(&k).ok().map(|i| i as u32);

    // Acronyms: tie a spelled-out acronym to its expansion when the corpus agrees on it.
    let mut acro_votes: BTreeMap<&str, Vec<(&str, u32)>> = BTreeMap::new();
    for ((a, e), n) in &census.acronyms {
        acro_votes.entry(a.as_ref()).or_default().push((e.as_ref(), *n));
    }
    for (a, votes) in &acro_votes {
        let total: u32 = votes.iter().map(|v| v.1).sum();
        let best = votes.iter().max_by_key(|v| (v.1, std::cmp::Reverse(v.0))).copied();
        if let (Some((e, n)), Some(ai)) = (best, index_of(a)) {
            if n * 3 >= total * 2 {
                if let Some(ei) = index_of(e) {
                    uf.union(ai, ei);
                }
            }
        }
    }

    // Every key's words, token fingerprint and given-name group, worked out once rather
    // than for every pair it is compared in.
    let mut flat: Vec<&str> = Vec::with_capacity(keys.len() * 4);
    let mut info: Vec<KeyInfo> = Vec::with_capacity(keys.len());
    for k in &keys {
        let start = flat.len();
        flat.extend(k.split(' '));
        let words_end = flat.len();
        for w in start..words_end {
            if !matches!(flat[w], "the" | "of" | "and") {
                flat.push(flat[w]);
            }
        }
        // The fingerprint: those words sorted, repeats dropped.
        flat[words_end..].sort_unstable();
        let mut end = words_end;
        for w in words_end..flat.len() {
            if end == words_end || flat[w] != flat[end - 1] {
                flat[end] = flat[w];
                end += 1;
            }
        }
        flat.truncate(end);
        let first = flat[start];
        let given = given_name_group(first);
        let trimmed = first.trim_end_matches('.');
        let given_trimmed = if trimmed.len() == first.len() {
            given
        } else {
            given_name_group(trimmed)
        };
        let fp_hash = {
            use std::hash::{Hash, Hasher};
            let mut h = rustc_hash::FxHasher::default();
            flat[words_end..end].hash(&mut h);
            h.finish()
        };
        info.push(KeyInfo {
            words: (start as u32, words_end as u32),
            fp: (words_end as u32, end as u32),
            fp_hash,
            given,
            given_trimmed,
        });
    }
    let range = |r: (u32, u32)| &flat[r.0 as usize..r.1 as usize];
    // Multi-word names: block on first initial + surname prefix. The union-find's result
    // does not depend on the order in which pairs are joined, so blocks are hashed, not
    // sorted; members stay in key order, which the window of a large block follows.
    let mut blocks: FxHashMap<BlockKey, Vec<u32>> = FxHashMap::default();
    let mut singles: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    let mut persons: Vec<u32> = Vec::new();
    for (i, ki) in info.iter().enumerate() {
        let i = i as u32;
        let words = range(ki.words);
        if words.len() == 1 {
            singles.entry(prefix(words[0], 4)).or_default().push(i);
            continue;
        }
        let first = words[0];
        let last = words[words.len() - 1];
        let p4 = prefix(last, 4);
        blocks
            .entry(BlockKey::Initial(prefix(first, 1), p4))
            .or_default()
            .push(i);
        // "Oleksandr" / "Alexander": transliterations may not share an initial.
        if let Some(g) = ki.given {
            blocks.entry(BlockKey::Given(g, p4)).or_default().push(i);
        }
        if kinds[i as usize] == EntityKind::Person {
            persons.push(i);
        }
        if kinds[i as usize] == EntityKind::Organization {
            blocks
                .entry(BlockKey::Fingerprint(range(ki.fp).join(" ")))
                .or_default()
                .push(i);
        }
    }
    for members in blocks.values() {
        for_pairs(members, |a, b| {
            // Keys are distinct, so equal keys are the same member.
            if a == b {
                return;
            }
            let (ka, kb) = (keys[a as usize], keys[b as usize]);
            let (pa, pb) = (kinds[a as usize], kinds[b as usize]);
            let persons = pa == EntityKind::Person && pb == EntityKind::Person;
            let (ia, ib) = (&info[a as usize], &info[b as usize]);
            let (wa, wb) = (range(ia.words), range(ib.words));
            if ia.fp_hash == ib.fp_hash && range(ia.fp) == range(ib.fp) {
                uf.union(a, b);
                return;
            }
            if persons && wa.len() == wb.len() {
                let (la, lb) = (wa[wa.len() - 1], wb[wb.len() - 1]);
                // Cheapest test first; all three must hold.
                if jaro_winkler(la, lb) >= 0.9
                    && first_names_agree(wa[0], wb[0], ia.given_trimmed, ib.given_trimmed)
                    && (same_group(ia.given, ib.given) || jaro_winkler(ka, kb) >= 0.92)
                {
                    uf.union(a, b);
                }
            } else if persons && (wa.len() == 2 || wb.len() == 2) {
                // "John F. Kennedy" / "John Kennedy".
                let (la, lb) = (wa[wa.len() - 1], wb[wb.len() - 1]);
                if wa[0] == wb[0] && la == lb {
                    uf.union(a, b);
                }
            }
        });
    }

    // Single words: join the one person whose surname (or family name) they are. Only the
    // surname prefixes some single word has are indexed.
    let mut surname_blocks: FxHashMap<&str, Vec<u32>> = singles.keys().map(|p| (*p, Vec::new())).collect();
    for &i in &persons {
        let words = range(info[i as usize].words);
        let last = prefix(words[words.len() - 1], 4);
        // Korean and Chinese names put the family name first ("Kim Jong Un").
        let first = prefix(words[0], 4);
        for p in [last, first] {
            if let Some(v) = surname_blocks.get_mut(p) {
                if v.len() < MAX_SURNAMES {
                    v.push(i);
                }
            }
        }
    }
    for (p, members) in &singles {
        let Some(cands) = surname_blocks.get(p) else { continue };
        for &s in members {
            let word = keys[s as usize];
            if kinds[s as usize] == EntityKind::Organization {
                continue;
            }
            let mut roots: Vec<u32> = Vec::new();
            for &c in cands {
                let words = range(info[c as usize].words);
                let first = words[0];
                let last = words[words.len() - 1];
                if word == first || jaro_winkler(word, last) >= 0.93 {
                    let r = uf.find(c);
                    if !roots.contains(&r) {
                        roots.push(r);
                    }
                }
            }
            if roots.len() == 1 {
                uf.union(s, roots[0]);
            }
        }
    }

    // Collect clusters. A root is the smallest index of its cluster, so clusters come out
    // in the order of their first key.
    // Members are laid out group after group in one vector (a counting sort by group).
    let mut group_of: Vec<u32> = vec![u32::MAX; keys.len()];
    let mut sizes: Vec<u32> = Vec::new();
    let roots: Vec<u32> = (0..keys.len() as u32).map(|i| uf.find(i)).collect();
    for &r in &roots {
        let g = &mut group_of[r as usize];
        if *g == u32::MAX {
            *g = sizes.len() as u32;
            sizes.push(0);
        }
        sizes[*g as usize] += 1;
    }
    let mut starts: Vec<u32> = Vec::with_capacity(sizes.len() + 1);
    let mut total = 0u32;
    for &n in &sizes {
        starts.push(total);
        total += n;
    }
    starts.push(total);
    let mut fill = starts.clone();
    let mut order = vec![0u32; keys.len()];
    for (i, &r) in roots.iter().enumerate() {
        let g = group_of[r as usize] as usize;
        order[fill[g] as usize] = i as u32;
        fill[g] += 1;
    }
    let groups: Vec<&[u32]> = starts
        .windows(2)
        .map(|w| &order[w[0] as usize..w[1] as usize])
        .collect();
    // Each cluster's entity is worked out on its own, in parallel; only the keys, made
    // unique in cluster order, and the map are filled in one pass.
    let drafts: Vec<NameEntity> = groups
        .par_iter()
        .with_min_len(256)
        .map(|members| {
            // Most clusters are one name: read its counts without copying them.
            let scratch: NameStats;
            let merged: &NameStats = if let [m] = members[..] {
                stats[m as usize]
            } else {
                let mut sum = NameStats::default();
                for &m in *members {
                    sum.add(stats[m as usize]);
                }
                scratch = sum;
                &scratch
            };
            let kind = majority_kind(merged);
            // Canonical: the most written form, preferring fuller names on ties.
            let canonical = merged
                .surfaces
                .iter()
                .max_by(|a, b| {
                    let wa = a.0.split_whitespace().count().min(3);
                    let wb = b.0.split_whitespace().count().min(3);
                    (wa.min(2) * 1000 + *a.1 as usize)
                        .cmp(&(wb.min(2) * 1000 + *b.1 as usize))
                        .then_with(|| b.0.cmp(a.0))
                })
                .map(|(s, _)| s.to_string())
                .unwrap_or_default();
            let affiliation = merged
                .affiliations
                .iter()
                .max_by_key(|(c, n)| (**n, std::cmp::Reverse(**c)))
                .map(|(c, _)| *c);
            let prefix = match kind {
                EntityKind::Person => "person",
                EntityKind::Organization => "org",
                EntityKind::Place => "place",
                EntityKind::Group => "group",
                EntityKind::Country => "country-name",
                EntityKind::Other => "name",
            };
            NameEntity {
                key: format!("{prefix}:{}", slug(&canonical)),
                canonical,
                kind,
                affiliation,
            }
        })
        .collect();
    let mut res = Resolution::default();
    res.map.reserve(keys.len());
    res.entities.reserve(sizes.len());
    let mut used_keys: FxHashMap<String, u32> = FxHashMap::default();
    for (members, mut entity) in groups.into_iter().zip(drafts) {
        // Only a key not seen before is copied into the table.
        if let Some(n) = used_keys.get_mut(entity.key.as_str()) {
            *n += 1;
            entity.key = format!("{}~{n}", entity.key);
        } else {
            used_keys.insert(entity.key.clone(), 1);
        }
        let id = res.entities.len() as u32;
        res.entities.push(entity);
        for &m in members {
            res.map.insert(keys[m as usize].into(), id);
        }
    }
    res
}

/// The first `n` characters of a word.
fn prefix(word: &str, n: usize) -> &str {
    match word.char_indices().nth(n) {
        Some((i, _)) => &word[..i],
        None => word,
    }
}

/// True when two first names are transliterations of one given name (their groups in
/// `names.tsv`).
fn same_group(a: Option<usize>, b: Option<usize>) -> bool {
    matches!((a, b), (Some(x), Some(y)) if x == y)
}

/// [`strsim::jaro_winkler`], the same value computed without allocating for names of up
/// to 32 characters (the comparisons' hot spot); longer strings go to strsim.
fn jaro_winkler(a: &str, b: &str) -> f64 {
    const N: usize = 32;
    let mut ca = ['\0'; N];
    let mut cb = ['\0'; N];
    let (mut la, mut lb) = (0, 0);
    for c in a.chars() {
        if la == N {
            return strsim::jaro_winkler(a, b);
        }
        ca[la] = c;
        la += 1;
    }
    for c in b.chars() {
        if lb == N {
            return strsim::jaro_winkler(a, b);
        }
        cb[lb] = c;
        lb += 1;
    }
    let (ca, cb) = (&ca[..la], &cb[..lb]);
    let sim = if la == 0 && lb == 0 {
        1.0
    } else if la == 0 || lb == 0 {
        0.0
    } else {
        let range = (la.max(lb) / 2).saturating_sub(1);
        let mut fa = [false; N];
        let mut fb = [false; N];
        let mut matches = 0usize;
        for (i, &x) in ca.iter().enumerate() {
            let lo = i.saturating_sub(range);
            let hi = lb.min(i + range + 1);
            for j in lo..hi {
                if !fb[j] && cb[j] == x {
                    fa[i] = true;
                    fb[j] = true;
                    matches += 1;
                    break;
                }
            }
        }
        if matches == 0 {
            0.0
        } else {
            let mut t = 0usize;
            let mut j = 0;
            for i in 0..la {
                if fa[i] {
                    while !fb[j] {
                        j += 1;
                    }
                    if ca[i] != cb[j] {
                        t += 1;
                    }
                    j += 1;
                }
            }
            t /= 2;
            ((matches as f64 / la as f64) + (matches as f64 / lb as f64) + ((matches - t) as f64 / matches as f64))
                / 3.0
        }
    };
    if sim > 0.7 {
        let p = ca.iter().take(4).zip(cb).take_while(|(x, y)| x == y).count();
        sim + 0.1 * p as f64 * (1.0 - sim)
    } else {
        sim
    }
}

/// Calls `f` on the pairs of a block: all pairs for small blocks, a sliding window over
/// the sorted members for large ones.
fn for_pairs(members: &[u32], mut f: impl FnMut(u32, u32)) {
    let window = if members.len() > MAX_BLOCK {
        WINDOW
    } else {
        members.len()
    };
    for (i, &a) in members.iter().enumerate() {
        for &b in members.iter().skip(i + 1).take(window) {
            f(a, b);
        }
    }
}

impl Resolution {
    /// Mentions for the weak runs of an article: the longest word sequences (up to four
    /// words) that name an entity found elsewhere in the corpus in ordinary case.
    pub fn resolve_weak(&self, runs: &[WeakRun], out: &mut Vec<Mention>) {
        for run in runs {
            let n = run.words.len();
            let mut i = 0;
            while i < n {
                let mut matched = false;
                for len in (1..=4.min(n - i)).rev() {
                    let key: String = run.words[i..i + len]
                        .iter()
                        .map(|w| w.0.as_ref())
                        .collect::<Vec<_>>()
                        .join(" ");
                    if let Some(&e) = self.map.get(key.as_str()) {
                        let ent = &self.entities[e as usize];
                        // A lone title-case word must be a name the corpus knows as one
                        // entity, not a common word that was once capitalised.
                        if len == 1 && ent.kind == EntityKind::Other {
                            continue;
                        }
                        let span = Span {
                            field: run.field,
                            start: run.words[i].2,
                            end: run.words[i + len - 1].3,
                        };
                        let surface: Vec<&str> = run.words[i..i + len].iter().map(|w| w.1.as_ref()).collect();
                        out.push(Mention {
                            entity: EntityRef::Name(key.into()),
                            surface: surface.join(" ").into(),
                            span,
                            kind: ent.kind,
                            role: None,
                            affiliation: None,
                            government: false,
                        });
                        i += len;
                        matched = true;
                        break;
                    }
                }
                if !matched {
                    i += 1;
                }
            }
        }
    }
}

/// The final entity table: every entity referenced by a mention, sorted by key, so that an
/// entity's id and row are the same on every run whatever the thread schedule.
pub struct EntityTable {
    /// Rows in id order.
    pub rows: Vec<EntityRow>,
    known_to_id: Vec<u32>,
    name_to_id: Vec<u32>,
}

/// One row of `entities.csv`.
#[derive(Clone, Debug)]
pub struct EntityRow {
    /// Stable key.
    pub key: String,
    /// Display name.
    pub canonical: String,
    /// Kind.
    pub kind: EntityKind,
    /// ISO code.
    pub code: String,
    /// ISO alpha-2 of its country.
    pub country: String,
    /// Number of mentions.
    pub mentions: u64,
    /// Number of articles mentioning it.
    pub articles: u64,
    /// Surface forms seen, sorted and unique. A sorted list rather than a map: most
    /// entities have one or two, and a map node per entity cost more than the names.
    pub aliases: Vec<Box<str>>,
}

/// Sentinel for "not referenced".
const NONE: u32 = u32::MAX;

impl EntityTable {
    /// Builds the table from the gazetteer, the name resolution and the entity references
    /// actually used (`used_known`, `used_names`: flags per gazetteer entry / name entity).
    pub fn build(gaz: &Gazetteer, res: &Resolution, used_known: &[bool], used_names: &[bool]) -> EntityTable {
        let mut rows: Vec<(EntityRow, bool, u32)> = Vec::new();
        for (i, e) in gaz.entries.iter().enumerate() {
            if !used_known.get(i).copied().unwrap_or(false) {
                continue;
            }
            rows.push((
                EntityRow {
                    key: e.key.to_string(),
                    canonical: e.canonical.to_string(),
                    kind: e.kind,
                    code: e.code.to_string(),
                    country: e.country.to_string(),
                    mentions: 0,
                    articles: 0,
                    aliases: Vec::new(),
                },
                true,
                i as u32,
            ));
        }
        for (i, e) in res.entities.iter().enumerate() {
            if !used_names.get(i).copied().unwrap_or(false) {
                continue;
            }
            let country = match (e.kind, e.affiliation) {
                (EntityKind::Place, Some(c)) => gaz.entries[c as usize].country.to_string(),
                _ => String::new(),
            };
            rows.push((
                EntityRow {
                    key: e.key.clone(),
                    canonical: e.canonical.clone(),
                    kind: e.kind,
                    code: String::new(),
                    country,
                    mentions: 0,
                    articles: 0,
                    aliases: Vec::new(),
                },
                false,
                i as u32,
            ));
        }
        rows.sort_by(|a, b| a.0.key.cmp(&b.0.key));
        let mut known_to_id = vec![NONE; gaz.entries.len()];
        let mut name_to_id = vec![NONE; res.entities.len()];
        for (id, (_, known, src)) in rows.iter().enumerate() {
            if *known {
                known_to_id[*src as usize] = id as u32;
            } else {
                name_to_id[*src as usize] = id as u32;
            }
        }
        EntityTable {
            rows: rows.into_iter().map(|r| r.0).collect(),
            known_to_id,
            name_to_id,
        }
    }

    /// The final id of a provisional reference.
    pub fn id_of<'a>(&self, r: impl Into<NameRef<'a>>, res: &Resolution) -> Option<u32> {
        let id = match r.into() {
            NameRef::Known(i) => *self.known_to_id.get(i as usize)?,
            NameRef::Name(k) => *self.name_to_id.get(*res.map.get(k)? as usize)?,
        };
        (id != NONE).then_some(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn census(names: &[(&str, EntityKind, u32)]) -> Census {
        let mut c = Census::default();
        for &(n, k, count) in names {
            let s = c.names.entry(crate::text::fold_name(n).into()).or_default();
            s.count += count;
            s.kinds[kind_index(k)] += count;
            *s.surfaces.entry(n.into()).or_default() += count;
        }
        c
    }

    fn same(res: &Resolution, a: &str, b: &str) -> bool {
        let fa = crate::text::fold_name(a);
        let fb = crate::text::fold_name(b);
        res.map[fa.as_str()] == res.map[fb.as_str()]
    }

    struct MergeTest {
        a: &'static str,
        b: &'static str,
        merge: bool,
    }

    macro_rules! t {
        ($a:expr, $b:expr, $merge:expr) => {
            MergeTest {
                a: $a,
                b: $b,
                merge: $merge,
            }
        };
    }

    #[test]
    fn variants_merge_and_near_names_do_not() {
        use EntityKind::*;
        let c = census(&[
            ("Volodymyr Zelensky", Person, 5),
            ("Volodymyr Zelenskyy", Person, 3),
            ("Zelenskiy", Person, 1),
            ("Vladimir Putin", Person, 4),
            ("Putin", Person, 6),
            ("John Smith", Person, 2),
            ("Adam Smith", Person, 2),
            ("Smith", Person, 1),
            ("Kim Jong Un", Person, 3),
            ("Kim", Person, 1),
            ("Korean Central News Agency", Organization, 2),
            ("KCNA", Organization, 4),
        ]);
        let mut c = c;
        c.acronyms
            .insert(("kcna".into(), "korean central news agency".into()), 2);
        let res = resolve(&c);
        let table = [
            t!("Volodymyr Zelensky", "Volodymyr Zelenskyy", true),
            t!("Zelenskiy", "Volodymyr Zelensky", true),
            t!("Putin", "Vladimir Putin", true),
            t!("Kim", "Kim Jong Un", true),
            t!("KCNA", "Korean Central News Agency", true),
            t!("John Smith", "Adam Smith", false),
            t!("Smith", "John Smith", false),
            t!("Smith", "Adam Smith", false),
            t!("Putin", "Volodymyr Zelensky", false),
        ];
        for case in table {
            assert_eq!(same(&res, case.a, case.b), case.merge, "{} / {}", case.a, case.b);
        }
        let e = &res.entities[res.map["volodymyr zelensky"] as usize];
        assert_eq!(e.canonical, "Volodymyr Zelensky");
        assert_eq!(e.key, "person:volodymyr-zelensky");
    }

    #[test]
    fn jaro_winkler_is_strsims() {
        let words = [
            "",
            "a",
            "ab",
            "zelensky",
            "zelenskyy",
            "zelenskiy",
            "volodymyr",
            "vladimir",
            "kim jong un",
            "smith",
            "smyth",
            "martha",
            "marhta",
            "dwayne",
            "duane",
            "dixon",
            "dicksonx",
            "oleksandr",
            "alexander",
            "müller",
            "muller",
            "şahin",
            "sahin",
            "jean-paul",
            "j.",
            "john",
            "jo",
            "abcdefghijklmnopqrstuvwxyzabcdef",
            "abcdefghijklmnopqrstuvwxyzabcdeg",
            "abcdefghijklmnopqrstuvwxyzabcdefg",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmno",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnp",
        ];
        for a in words {
            for b in words {
                assert_eq!(
                    jaro_winkler(a, b).to_bits(),
                    strsim::jaro_winkler(a, b).to_bits(),
                    "{a:?} / {b:?}"
                );
            }
        }
        // Every pair of names the synthetic census draws.
        let names = crate::gen::names::census_names(7, 600);
        for a in &names {
            for b in names.iter().take(100) {
                assert_eq!(jaro_winkler(a, b).to_bits(), strsim::jaro_winkler(a, b).to_bits());
            }
        }
    }

    #[test]
    fn census_merge_is_order_free() {
        let a = census(&[("Vladimir Putin", EntityKind::Person, 2)]);
        let b = census(&[
            ("Vladimir Putin", EntityKind::Person, 3),
            ("Kyiv Post", EntityKind::Organization, 1),
        ]);
        let mut ab = Census::default();
        ab.merge(a);
        ab.merge(b);
        let k: &str = "vladimir putin";
        assert_eq!(ab.names[k].count, 5);
        assert_eq!(ab.names.len(), 2);
    }
}

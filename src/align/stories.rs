//! Stories: articles about the same thing, as an editor would group them.
//!
//! 1. Each article becomes seven TF-IDF vectors (L2-normalised; idf `ln((N+1)/(df+0.5))`,
//!    at least 0.05): *all* (headline and link words, body words, entities), *title*
//!    (headline and link words), *body*, *ent* (entities), *lead* (headline, else the
//!    body's first 400 bytes), *char* (character 4-grams of the lead and link words) and
//!    *url*. See [`super::signals`] for what is read from the text.
//! 2. Candidate pairs (blocking): each article's `top_k` most similar articles by the
//!    *all* cosine, found through an inverted index. Only features in at most `max_df`
//!    articles propose candidates; when an article has more common features, its best
//!    `rescore` proposals are re-scored with the full cosine. A pair is a candidate when
//!    its cosine exceeds `min_similarity`, one article is in the other's list and they
//!    were not published more than `max_days_apart` days apart, so there are at most
//!    `N·top_k` pairs and the cost grows near-linearly with the corpus.
//! 3. Stage 1 scores each pair with a logistic regression ([`super::model`]) over cosines
//!    in the seven spaces, numbers one side has and the other lacks, neighbour ranks,
//!    shared nearest neighbours and date gaps (own dates, else dates estimated from dated
//!    neighbours). Stage 2 adds features of the stage-1 probability graph.
//! 4. Average linkage over the stage-2 probabilities (missing pairs count as 0), with one
//!    threshold for every corpus, run separately (in parallel) on the components of the
//!    pairs at the threshold. A story of headlines alone (articles without body text)
//!    then joins the story with body text holding its most probable pair, when that pair
//!    reaches the threshold.
//!
//! Every step is a per-article, per-pair or per-component computation collected in
//! order, and every sort has a total key, so the result does not depend on the thread
//! count.
//!
//! Cost, for N articles of at most F features each: the neighbour search reads at most
//! `max_df` postings per rare feature and re-scores at most `rescore` proposals, so
//! O(N·F·max_df) time with small constants in practice; the pair features and both
//! stages are O(N·top_k·F) time; average linkage is O(E log E) over the E ≤ N·top_k
//! pairs while groups stay news-sized. Memory is the vectors (O(N·F)) plus O(N·top_k)
//! for the pairs: no step compares all pairs. On news31k (31,402 articles, 828,273
//! pairs) the align stage, almost all of it grouping, takes about 4 s with one thread
//! (neighbour search ~1.5 s, stage 1 ~0.8 s, linkage ~0.45 s); the passes are bound by
//! cache misses on the other article's data, hence [`Packed`], [`Brief`] and
//! [`CommonFeatures`]. The re-scoring on common features grows with the corpus until an
//! article's common list holds all its words (BENCHMARKS.md, scaling).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::model::{sigmoid, StoryModel, N1, N2, STAGE1, STAGE2_EXTRA};

/// One article's story signals (see [`super::signals::story_signals`]). Sets are sorted
/// and unique; counted lists are sorted by key. Serialised in the streaming records.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StoryFeatures {
    /// Hashed content-word stems of the headline.
    pub title: Vec<u64>,
    /// Hashed stemmed words of the link's path.
    pub url: Vec<u64>,
    /// Hashed content-word stems of the body, with counts.
    pub body: Vec<(u64, u32)>,
    /// Hashed content-word stems of the lead (the headline, else the body's start).
    pub lead: Vec<u64>,
    /// Character 4-grams of the lead and link words, with counts.
    pub grams: Vec<(u32, u32)>,
    /// Hashed numbers written in the lead.
    pub lead_numbers: Vec<u64>,
    /// Hashed numbers written anywhere in the article.
    pub numbers: Vec<u64>,
    /// Entities (final ids) with mention counts, sorted by id.
    pub entities: Vec<(u32, u32)>,
    /// First and last day (days since 1970) the article can date from: its publication
    /// day, else a date written at the start of its body, else one in its link.
    pub dates: Option<(i32, i32)>,
    /// Publication day (days since 1970), when known.
    pub published: Option<i32>,
    /// True when the article has body text.
    pub has_body: bool,
}

impl StoryFeatures {
    /// Empties what only the story vectors are made of (headline, link, body and lead
    /// words, 4-grams); the numbers, dates and flags the pair features read stay.
    pub fn shed_text(&mut self) {
        self.title = Vec::new();
        self.url = Vec::new();
        self.body = Vec::new();
        self.lead = Vec::new();
        self.grams = Vec::new();
    }
}

/// Knobs of story grouping.
#[derive(Clone, Copy, Debug)]
pub struct StoryParams {
    /// Average stage-2 probability needed to merge two groups.
    pub threshold: f64,
    /// Nearest neighbours per article that make candidate pairs (and the rank cap).
    pub top_k: usize,
    /// Candidate pairs need an *all* cosine above this.
    pub min_similarity: f32,
    /// Features in more articles than this do not propose candidates.
    pub max_df: usize,
    /// Proposals re-scored with the full cosine for an article with such common features.
    pub rescore: usize,
    /// Articles published further apart than this many days are never in one story.
    pub max_days_apart: i32,
    /// Keep the articles' story signals in the run's output (for training).
    pub keep_features: bool,
}

impl Default for StoryParams {
    fn default() -> StoryParams {
        StoryParams {
            threshold: StoryModel::builtin().threshold,
            top_k: 50,
            min_similarity: 0.02,
            max_df: 1000,
            rescore: 200,
            max_days_apart: 21,
            keep_features: false,
        }
    }
}

/// The stories of a corpus.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stories {
    /// A story index per article; stories are numbered in order of their first article.
    pub labels: Vec<u32>,
    /// Candidate pairs `(i, j)`, `i < j`, whose articles ended in different stories;
    /// sorted.
    pub neighbours: Vec<(u32, u32)>,
}

impl Stories {
    /// The stories of articles ranked by `order` (`order[r]` is the input position of the
    /// article ranked `r`), for the articles in input order: stories numbered by their
    /// first article in input order, neighbours sorted.
    fn in_input_order(self, order: &[u32]) -> Stories {
        let n = order.len();
        let mut by_rank = vec![0u32; n];
        for (r, &i) in order.iter().enumerate() {
            by_rank[i as usize] = self.labels[r];
        }
        let mut number = vec![u32::MAX; n];
        let mut next = 0u32;
        let labels = by_rank
            .iter()
            .map(|&l| {
                if number[l as usize] == u32::MAX {
                    number[l as usize] = next;
                    next += 1;
                }
                number[l as usize]
            })
            .collect();
        let mut neighbours: Vec<(u32, u32)> = self
            .neighbours
            .iter()
            .map(|&(a, b)| {
                let (x, y) = (order[a as usize], order[b as usize]);
                (x.min(y), x.max(y))
            })
            .collect();
        neighbours.sort_unstable();
        Stories { labels, neighbours }
    }

    /// Whether claims of articles `i` and `j` may be compared: always within one story;
    /// across stories (where claims meet only through a typed event anchored on one
    /// specific thing) only when the two articles were a candidate pair, that is, share
    /// enough rare words to be among each other's nearest neighbours. On Emergent-dev
    /// most conflicts flagged between articles that are neither cross the editors' story
    /// boundaries.
    pub fn compared(&self, i: u32, j: u32) -> bool {
        i == j
            || self.labels[i as usize] == self.labels[j as usize]
            || self.neighbours.binary_search(&(i.min(j), i.max(j))).is_ok()
    }
}

/// Groups articles into stories with the compiled-in model. Articles are ranked by their
/// signals first, so the grouping does not depend on the order they come in (articles
/// with equal signals are told apart by position only; see [`cluster_keyed`]).
pub fn cluster(articles: &[StoryFeatures], params: &StoryParams) -> Stories {
    cluster_with(articles, params, StoryModel::builtin())
}

/// As [`cluster`], with a given model.
pub fn cluster_with(articles: &[StoryFeatures], params: &StoryParams, model: &StoryModel) -> Stories {
    let ids = vec![""; articles.len()];
    let params = StoryParams {
        keep_features: false,
        ..*params
    };
    cluster_keyed_with(articles.to_vec(), &ids, &params, model).0
}

/// Groups articles into stories whatever order they come in: every step runs on the
/// articles ranked by publication day and their signals, then by their `ids` (articles
/// with the same signals), then by position (the same signals and id), and ties anywhere
/// are broken by that rank. Ranking by day first puts the articles of a story, and so the
/// articles the neighbour search and the pair features read together, near each other in
/// memory. Returns the stories, and the articles' signals in their order when
/// `params.keep_features` is set (else they are emptied on the way, which lowers the
/// peak memory, and none are returned).
pub fn cluster_keyed(
    articles: Vec<StoryFeatures>,
    ids: &[&str],
    params: &StoryParams,
) -> (Stories, Vec<StoryFeatures>) {
    cluster_keyed_with(articles, ids, params, StoryModel::builtin())
}

fn cluster_keyed_with(
    articles: Vec<StoryFeatures>,
    ids: &[&str],
    params: &StoryParams,
    model: &StoryModel,
) -> (Stories, Vec<StoryFeatures>) {
    let n = articles.len();
    let hashes: Vec<u64> = articles.par_iter().with_min_len(256).map(content_hash).collect();
    // order[r]: the input position of the article ranked r.
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.par_sort_unstable_by(|&x, &y| {
        let (x, y) = (x as usize, y as usize);
        articles[x]
            .published
            .cmp(&articles[y].published)
            .then(hashes[x].cmp(&hashes[y]))
            .then_with(|| ids.get(x).cmp(&ids.get(y)))
            .then(x.cmp(&y))
    });
    drop(hashes);
    let mut slots = articles;
    let mut ranked: Vec<StoryFeatures> = order.iter().map(|&i| std::mem::take(&mut slots[i as usize])).collect();
    drop(slots);
    let stories = if params.keep_features {
        stories_of(PairGraph::build(&ranked, params), params, model)
    } else {
        stories_of(PairGraph::build_shedding(&mut ranked, params), params, model)
    };
    let kept = if params.keep_features {
        let mut back = vec![StoryFeatures::default(); n];
        for (f, &i) in ranked.into_iter().zip(&order) {
            back[i as usize] = f;
        }
        back
    } else {
        Vec::new()
    };
    (stories.in_input_order(&order), kept)
}

/// A hash of everything story grouping reads of an article.
fn content_hash(a: &StoryFeatures) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    a.title.hash(&mut h);
    a.url.hash(&mut h);
    a.body.hash(&mut h);
    a.lead.hash(&mut h);
    a.grams.hash(&mut h);
    a.lead_numbers.hash(&mut h);
    a.numbers.hash(&mut h);
    a.entities.hash(&mut h);
    a.dates.hash(&mut h);
    a.published.hash(&mut h);
    a.has_body.hash(&mut h);
    h.finish()
}

fn stories_of(mut graph: PairGraph, params: &StoryParams, model: &StoryModel) -> Stories {
    let n = graph.len();
    let has_body: Vec<bool> = graph.brief.iter().map(|b| b.has_body).collect();
    // Stage 1, and the part of the stage-2 log-odds that reads stage-1 inputs, so the
    // inputs themselves are not kept.
    let scored: Vec<(f64, f64)> = graph.map_stage1(|_, x| {
        let p1 = model.stage1.prob(x);
        let part2 = model.stage2.bias + dot(&model.stage2.weights[..N1], x);
        (p1, part2)
    });
    graph.drop_stage1_inputs();
    let p1: Vec<f64> = scored.iter().map(|s| s.0).collect();
    let pg = graph.prob_graph(&p1);
    let extra_w = &model.stage2.weights[N1..];
    let p2: Vec<f64> = graph.map_stage2(&pg, &p1, |k, e| sigmoid(scored[k].1 + dot(extra_w, e)));
    drop(scored);
    drop(pg);
    // Only the pairs are read from here on: the vectors and neighbour lists go first.
    let PairGraph { pairs, .. } = graph;
    let edges: Vec<(u32, u32, f64)> = pairs.iter().zip(&p2).map(|(&(i, j), &p)| (i, j, p)).collect();
    drop(p2);
    let across: Vec<(u32, u32, f64)> = edges
        .iter()
        .copied()
        .filter(|&(i, j, p)| p >= params.threshold && has_body[i as usize] != has_body[j as usize])
        .collect();
    let mut labels = average_linkage(n, edges, params.threshold);
    attach_headline_stories(&mut labels, &across, &has_body, params.threshold);
    // Pairs are sorted with i < j, so these stay sorted.
    let neighbours = pairs
        .iter()
        .copied()
        .filter(|&(i, j)| labels[i as usize] != labels[j as usize])
        .collect();
    Stories { labels, neighbours }
}

/// Headline-only stories join a story with body text when one of their pairs with it
/// reaches the linkage threshold on its own. A headline shares few words with a body, so
/// its mean probability against a story of full articles stays low even when one of
/// them reports the same thing, and a story of headlines alone has no body to check
/// them against. The story holding the most probable such pair is taken (ties: the
/// smaller label); stories are numbered again by first member.
fn attach_headline_stories(labels: &mut [u32], across: &[(u32, u32, f64)], has_body: &[bool], threshold: f64) {
    let groups = labels.iter().map(|&l| l as usize + 1).max().unwrap_or(0);
    let mut bodied = vec![false; groups];
    for (&l, &b) in labels.iter().zip(has_body) {
        bodied[l as usize] |= b;
    }
    // Per headline-only story: its most probable pair into a story with body text.
    let mut best: Vec<Option<(f64, u32)>> = vec![None; groups];
    for &(i, j, p) in across {
        let (headline, full) = if has_body[i as usize] { (j, i) } else { (i, j) };
        let (from, to) = (labels[headline as usize], labels[full as usize]);
        if bodied[from as usize] || p < threshold {
            continue;
        }
        let slot = &mut best[from as usize];
        let better = match *slot {
            None => true,
            Some((q, s)) => p > q || (p == q && to < s),
        };
        if better {
            *slot = Some((p, to));
        }
    }
    if best.iter().all(Option::is_none) {
        return;
    }
    let mut renumber = vec![u32::MAX; groups];
    let mut next = 0u32;
    for l in labels.iter_mut() {
        let target = best[*l as usize].map_or(*l, |(_, s)| s) as usize;
        if renumber[target] == u32::MAX {
            renumber[target] = next;
            next += 1;
        }
        *l = renumber[target];
    }
}

#[inline]
fn dot(w: &[f64], x: &[f64]) -> f64 {
    w.iter().zip(x).map(|(a, b)| a * b).sum()
}

/// L2-normalised sparse vector over dense feature ids, sorted by id.
type Sparse = Vec<(u32, f32)>;

/// One vector space: a vector per article, and the number of feature ids.
struct Space {
    vecs: Vec<Sparse>,
    dim: usize,
}

impl Space {
    /// TF-IDF weights and L2 normalisation of raw vectors (sorted by id, unique).
    fn tfidf(raw: Vec<Sparse>, dim: usize) -> (Space, Vec<u32>) {
        let mut df = vec![0u32; dim];
        for v in &raw {
            for &(k, _) in v {
                df[k as usize] += 1;
            }
        }
        let n = raw.len() as f64;
        let vecs = raw
            .into_par_iter()
            .with_min_len(256)
            .map(|mut v| {
                weigh(&mut v, &df, n);
                v
            })
            .collect();
        (Space { vecs, dim }, df)
    }
}

/// TF-IDF weights of a raw vector, given its space's document frequencies over `n`
/// articles, then L2 normalisation.
fn weigh(v: &mut [(u32, f32)], df: &[u32], n: f64) {
    let mut norm = 0.0f64;
    for x in v.iter_mut() {
        let w = f64::from(x.1) * ((n + 1.0) / (f64::from(df[x.0 as usize]) + 0.5)).ln().max(0.05);
        norm += w * w;
        x.1 = w as f32;
    }
    let norm = if norm > 0.0 { norm.sqrt() } else { 1.0 };
    for x in v.iter_mut() {
        x.1 = (f64::from(x.1) / norm) as f32;
    }
}

/// Maps keys to dense ids in the order of the keys, so ids, and the order in which sums
/// over features add up, depend neither on threads nor on the order articles come in.
struct Vocabulary<K> {
    ids: FxHashMap<K, u32>,
}

impl<K: std::hash::Hash + Eq + Copy + Ord + Send> Vocabulary<K> {
    /// The keys of all the sets, numbered in their order.
    fn of_sets(sets: Vec<FxHashSet<K>>) -> Self {
        let mut keys: Vec<K> = Vec::with_capacity(sets.iter().map(|s| s.len()).sum());
        for s in sets {
            keys.extend(s);
        }
        keys.par_sort_unstable();
        keys.dedup();
        let mut ids = FxHashMap::with_capacity_and_hasher(keys.len(), Default::default());
        ids.extend(keys.into_iter().enumerate().map(|(rank, k)| (k, rank as u32)));
        Vocabulary { ids }
    }
    fn id(&self, k: &K) -> u32 {
        self.ids[k]
    }
    fn len(&self) -> usize {
        self.ids.len()
    }
}

fn sublinear(c: u32) -> f32 {
    1.0 + (c as f32).ln()
}

fn sorted(mut v: Sparse) -> Sparse {
    v.sort_unstable_by_key(|x| x.0);
    v
}

/// Sums the weights of repeated ids and sorts by id.
fn summed(v: Sparse) -> Sparse {
    let mut out: Sparse = Vec::with_capacity(v.len());
    for (k, x) in sorted(v) {
        match out.last_mut() {
            Some(last) if last.0 == k => last.1 += x,
            _ => out.push((k, x)),
        }
    }
    out
}

/// `K` sparse vectors per article in one buffer, article after article. The pair passes
/// read the vectors of articles in random order, where cache misses cost more than the
/// arithmetic: an article's vectors side by side cost fewer misses than one heap block
/// per vector.
struct Packed<const K: usize> {
    /// Vector `t` of article `i` is `data[starts[i * K + t]..starts[i * K + t + 1]]`.
    starts: Vec<usize>,
    data: Vec<(u32, f32)>,
}

impl<const K: usize> Packed<K> {
    fn empty() -> Packed<K> {
        Packed {
            starts: vec![0; K + 1],
            data: Vec::new(),
        }
    }

    /// Packs the vectors, freeing each article's as it is copied. The buffer is sized
    /// first: grown by doubling, its old and new blocks were held at once.
    fn new(vecs: Vec<[Sparse; K]>) -> Packed<K> {
        let total = vecs.iter().flatten().map(Vec::len).sum();
        let mut starts = Vec::with_capacity(vecs.len() * K + 1);
        starts.push(0);
        let mut data = Vec::with_capacity(total);
        for article in vecs {
            for v in article {
                data.extend_from_slice(&v);
                starts.push(data.len());
            }
        }
        Packed { starts, data }
    }

    /// Room for vectors of the given lengths, zeroed, to be filled through
    /// [`Packed::slots_mut`].
    fn sized(lengths: &[[usize; K]]) -> Packed<K> {
        let mut starts = Vec::with_capacity(lengths.len() * K + 1);
        let mut total = 0;
        starts.push(0);
        for l in lengths.iter().flatten() {
            total += l;
            starts.push(total);
        }
        Packed {
            starts,
            data: vec![(0, 0.0); total],
        }
    }

    /// Each article's `K` vectors, to be written in place (in parallel: they do not
    /// overlap).
    fn slots_mut(&mut self) -> Vec<[&mut [(u32, f32)]; K]> {
        let n = (self.starts.len() - 1) / K;
        let mut rest: &mut [(u32, f32)] = &mut self.data;
        let mut slots = Vec::with_capacity(n);
        for i in 0..n {
            slots.push(std::array::from_fn(|t| {
                let len = self.starts[i * K + t + 1] - self.starts[i * K + t];
                let (slot, tail) = std::mem::take(&mut rest).split_at_mut(len);
                rest = tail;
                slot
            }));
        }
        slots
    }

    /// [`Space::tfidf`] in place, vector `t` of every article making the space of
    /// `dims[t]` ids.
    fn tfidf(&mut self, dims: [usize; K]) {
        let n = (self.starts.len() - 1) / K;
        let mut df: [Vec<u32>; K] = dims.map(|d| vec![0u32; d]);
        for i in 0..n {
            for (t, df) in df.iter_mut().enumerate() {
                for &(k, _) in self.get(i, t) {
                    df[k as usize] += 1;
                }
            }
        }
        self.slots_mut().into_par_iter().with_min_len(256).for_each(|article| {
            for (v, df) in article.into_iter().zip(&df) {
                weigh(v, df, n as f64);
            }
        });
    }

    /// Vector `t` of article `i`.
    #[inline]
    fn get(&self, i: usize, t: usize) -> &[(u32, f32)] {
        &self.data[self.starts[i * K + t]..self.starts[i * K + t + 1]]
    }
}

/// The six spaces besides *all*, in the order of [`Packed`] vectors of [`PairGraph::vecs`].
const TITLE: usize = 0;
const BODY: usize = 1;
const ENT: usize = 2;
const LEAD: usize = 3;
const CHARS: usize = 4;
const URL: usize = 5;

/// What the pair features read of an article besides its vectors, kept compact for the
/// same reason as [`Packed`]: one record, so one cache miss per article.
#[derive(Clone, Copy)]
struct Brief {
    dates: Option<(i32, i32)>,
    has_body: bool,
    has_url: bool,
    /// Best cosine (1 when it has none).
    best: f32,
    /// Mean of its ten best cosines (missing ones count as 0).
    top10: f32,
    /// Its date, else one estimated from its dated neighbours: (middle day, width in days).
    estimate: Option<(f64, f64)>,
}

/// The candidate pairs of a corpus and everything their features are read from.
pub struct PairGraph<'a> {
    articles: &'a [StoryFeatures],
    top_k: usize,
    /// Candidate pairs `(i, j)` with `i < j`, sorted.
    pub pairs: Vec<(u32, u32)>,
    /// The *all* cosine of each pair.
    sims: Vec<f32>,
    /// Per article: its vectors in the spaces *title*, *body*, *ent*, *lead*, *char*, *url*.
    vecs: Packed<6>,
    /// The number of feature ids of each of those spaces.
    dims: [usize; 6],
    brief: Vec<Brief>,
    /// Per article: nearest neighbours by the *all* cosine, best first (ties by index).
    rows: Packed<1>,
    /// Per article: its shared-nearest-neighbour vectors over its 5, 10 and 20 nearest.
    snn: Packed<3>,
}

/// One article's vectors spread over dense arrays (one per space of [`PairGraph::vecs`]),
/// so the cosine with another article costs one lookup per feature of the other. Its
/// shared-nearest-neighbour vectors and neighbour list are spread the same way, over
/// articles: the pair passes are bound by cache misses on the other article's data, and
/// a lookup per entry of the other's lists misses less than a merge with this one's.
struct Scatter {
    arrays: [Vec<f32>; 6],
    snn: [Vec<f32>; 3],
    /// Per article: its position in this article's neighbour list plus one, else 0.
    place: Vec<u32>,
}

impl Scatter {
    fn new(g: &PairGraph) -> Scatter {
        let n = g.len();
        Scatter {
            arrays: g.dims.map(|d| vec![0.0; d]),
            snn: std::array::from_fn(|_| vec![0.0; n]),
            place: vec![0; n],
        }
    }

    fn set(&mut self, g: &PairGraph, i: usize, on: bool) {
        for (t, arr) in self.arrays.iter_mut().enumerate() {
            for &(k, w) in g.vecs.get(i, t) {
                arr[k as usize] = if on { w } else { 0.0 };
            }
        }
        for (t, arr) in self.snn.iter_mut().enumerate() {
            for &(k, w) in g.snn.get(i, t) {
                arr[k as usize] = if on { w } else { 0.0 };
            }
        }
        for (p, &(j, _)) in g.rows.get(i, 0).iter().enumerate() {
            self.place[j as usize] = if on { p as u32 + 1 } else { 0 };
        }
    }

    /// [`PairGraph::rank`] of article `j` in the loaded article's list.
    fn rank(&self, j: u32, top_k: usize) -> usize {
        match self.place[j as usize] {
            0 => top_k,
            p => (p as usize - 1).min(top_k),
        }
    }

    /// Size of the intersection of the `k` nearest neighbours of the loaded article `i`
    /// and of article `j` (`row_j`, best first), each list counting the article itself.
    fn shared_top(&self, i: u32, j: u32, row_j: &[(u32, f32)], k: usize) -> usize {
        let in_i = |x: u32| x == i || (1..=k as u32).contains(&self.place[x as usize]);
        row_j
            .iter()
            .take(k)
            .map(|x| x.0)
            .chain([j])
            .filter(|&x| in_i(x))
            .count()
    }
}

/// Dot product of a scattered vector and a sparse one sorted by id: the products of the
/// shared ids add up in id order, as in a merge of two sorted vectors, plus zeros (the
/// weights are non-negative), so the sum is the merge's to the bit.
#[inline]
fn scattered_dot(arr: &[f32], v: &[(u32, f32)]) -> f32 {
    v.iter().map(|&(k, w)| arr[k as usize] * w).sum()
}

/// Proposals re-scored side by side (see [`CommonFeatures::dots`]).
const LANES: usize = 4;

/// Articles per parallel task of the neighbour search.
const ROWS_PER_TASK: usize = 512;

/// Pairs per parallel task of the pair passes, at least (each task owns one scratch
/// space, such as a [`Scatter`]).
const PAIRS_PER_TASK: usize = 8192;

/// The unweighted vectors of a corpus (the seven spaces of each article, see
/// [`PairGraph::build`]): *all* one per article, for the neighbour search, which takes
/// them apart; the six others packed as the pair features read them, written in place so
/// that they are never held twice. And what else the graph reads of the articles' words.
struct RawVectors {
    all: Vec<Sparse>,
    six: Packed<6>,
    n_words: usize,
    n_entities: usize,
    n_grams: usize,
    brief: Vec<Brief>,
}

impl RawVectors {
    fn new(articles: &[StoryFeatures]) -> RawVectors {
        let (words, grams, n_entities) = vocabularies(articles);
        let lengths: Vec<[usize; 6]> = articles.par_iter().with_min_len(256).map(six_lengths).collect();
        let mut six = Packed::sized(&lengths);
        let all = six
            .slots_mut()
            .into_par_iter()
            .zip(articles)
            .with_min_len(256)
            .map(|(slots, a)| raw_vectors(a, &words, &grams, slots))
            .collect();
        RawVectors::with(all, six, &lengths, (words.len(), n_entities, grams.len()), articles)
    }

    /// As [`RawVectors::new`], emptying each article's words and 4-grams (see
    /// [`StoryFeatures::shed_text`]) as soon as its vectors are made: emptied only once
    /// every vector was made, the two were held together, at the run's peak memory.
    fn new_shedding(articles: &mut [StoryFeatures]) -> RawVectors {
        let (words, grams, n_entities) = vocabularies(articles);
        let lengths: Vec<[usize; 6]> = articles.par_iter().with_min_len(256).map(six_lengths).collect();
        let mut six = Packed::sized(&lengths);
        let all = six
            .slots_mut()
            .into_par_iter()
            .zip(articles.par_iter_mut())
            .with_min_len(256)
            .map(|(slots, a)| {
                let all = raw_vectors(a, &words, &grams, slots);
                a.shed_text();
                all
            })
            .collect();
        RawVectors::with(all, six, &lengths, (words.len(), n_entities, grams.len()), articles)
    }

    fn with(
        all: Vec<Sparse>,
        six: Packed<6>,
        lengths: &[[usize; 6]],
        (n_words, n_entities, n_grams): (usize, usize, usize),
        articles: &[StoryFeatures],
    ) -> RawVectors {
        let brief = lengths
            .iter()
            .zip(articles)
            .map(|(l, a)| Brief {
                dates: a.dates,
                has_body: a.has_body,
                // The link's words, read from its vector: the article's may be shed.
                has_url: l[URL] > 0,
                // Filled in once the neighbour lists are known.
                best: 1.0,
                top10: 0.0,
                estimate: None,
            })
            .collect();
        RawVectors {
            all,
            six,
            n_words,
            n_entities,
            n_grams,
            brief,
        }
    }
}

/// Dense ids: words (headline, link and body share them) and 4-grams, each sorted; and
/// the number of entities.
fn vocabularies(articles: &[StoryFeatures]) -> (Vocabulary<u64>, Vocabulary<u32>, usize) {
    // Each worker gathers the distinct keys of its run of articles, then the runs' keys
    // are merged: one serial pass over every word of the corpus held the other threads
    // idle (on news31k, 0.06 s; 0.03 s this way with 2 threads).
    let runs = articles.len().div_ceil(rayon::current_num_threads()).max(1);
    let parts: Vec<(FxHashSet<u64>, FxHashSet<u32>, usize)> = articles
        .par_chunks(runs)
        .map(|run| {
            let (mut words, mut grams, mut n_entities) = (FxHashSet::default(), FxHashSet::default(), 0usize);
            for a in run {
                words.extend(a.title.iter().chain(&a.url).chain(&a.lead).copied());
                words.extend(a.body.iter().map(|&(k, _)| k));
                grams.extend(a.grams.iter().map(|&(g, _)| g));
                if let Some(&(e, _)) = a.entities.last() {
                    n_entities = n_entities.max(e as usize + 1);
                }
            }
            (words, grams, n_entities)
        })
        .collect();
    let n_entities = parts.iter().map(|p| p.2).max().unwrap_or(0);
    let (words, grams): (Vec<_>, Vec<_>) = parts.into_iter().map(|(w, g, _)| (w, g)).unzip();
    let (words, grams) = rayon::join(|| Vocabulary::of_sets(words), || Vocabulary::of_sets(grams));
    (words, grams, n_entities)
}

/// An article's unweighted vectors in the seven spaces: *all* is returned, and the six
/// others are written into `slots` in the order of [`PairGraph::vecs`] (title with the
/// link's words, body, ent, lead, chars, url), whose lengths [`six_lengths`] gave.
fn raw_vectors(
    a: &StoryFeatures,
    words: &Vocabulary<u64>,
    grams: &Vocabulary<u32>,
    slots: [&mut [(u32, f32)]; 6],
) -> Sparse {
    let n_words = words.len();
    let ids = |v: &[u64], w: f32| -> Sparse { sorted(v.iter().map(|k| (words.id(k), w)).collect()) };
    let title = ids(&a.title, 1.0);
    let url = ids(&a.url, 1.0);
    let body: Sparse = sorted(a.body.iter().map(|(k, c)| (words.id(k), sublinear(*c))).collect());
    let ent: Sparse = a.entities.iter().map(|&(e, c)| (e, sublinear(c))).collect();
    let mut all: Sparse = Vec::with_capacity(title.len() + url.len() + body.len() + ent.len());
    all.extend(title.iter().map(|&(k, _)| (k, 2.0)));
    all.extend(url.iter().map(|&(k, _)| (k, 1.0)));
    all.extend(body.iter().copied());
    all.extend(ent.iter().map(|&(e, w)| (n_words as u32 + e, 1.5 * w)));
    let title_url: Sparse = summed(title.iter().chain(&url).map(|&(k, _)| (k, 0.0)).collect())
        .into_iter()
        .map(|(k, _)| (k, 1.0))
        .collect();
    let lead = ids(&a.lead, 1.0);
    let chars = sorted(a.grams.iter().map(|(g, c)| (grams.id(g), *c as f32)).collect());
    let [s_title, s_body, s_ent, s_lead, s_chars, s_url] = slots;
    s_title.copy_from_slice(&title_url);
    s_body.copy_from_slice(&body);
    s_ent.copy_from_slice(&ent);
    s_lead.copy_from_slice(&lead);
    s_chars.copy_from_slice(&chars);
    s_url.copy_from_slice(&url);
    summed(all)
}

/// The lengths of the six vectors [`raw_vectors`] writes, worked out without making
/// them: words and 4-grams map one to one to ids, and only the title-and-link vector
/// merges repeated ids.
fn six_lengths(a: &StoryFeatures) -> [usize; 6] {
    let mut title_url: Vec<u64> = a.title.iter().chain(&a.url).copied().collect();
    title_url.sort_unstable();
    title_url.dedup();
    [
        title_url.len(),
        a.body.len(),
        a.entities.len(),
        a.lead.len(),
        a.grams.len(),
        a.url.len(),
    ]
}

impl<'a> PairGraph<'a> {
    /// Vectors, neighbour lists and candidate pairs of a corpus.
    pub fn build(articles: &'a [StoryFeatures], params: &StoryParams) -> PairGraph<'a> {
        let raw = RawVectors::new(articles);
        PairGraph::from_raw(articles, raw, params)
    }

    /// As [`PairGraph::build`], emptying the articles' words and 4-grams once they are
    /// read into vectors (see [`StoryFeatures::shed_text`]), so they are not held with the
    /// vectors.
    pub fn build_shedding(articles: &'a mut [StoryFeatures], params: &StoryParams) -> PairGraph<'a> {
        let raw = RawVectors::new_shedding(articles);
        PairGraph::from_raw(articles, raw, params)
    }

    fn from_raw(articles: &'a [StoryFeatures], raw: RawVectors, params: &StoryParams) -> PairGraph<'a> {
        let RawVectors {
            all,
            six: mut vecs,
            n_words,
            n_entities,
            n_grams,
            brief,
        } = raw;
        let (all, df) = Space::tfidf(all, n_words + n_entities);
        let dims = [n_words, n_words, n_entities, n_words, n_grams, n_words];
        vecs.tfidf(dims);
        let rows = neighbour_rows(all, &df, params);
        drop(df);
        let snn = Packed::new(
            rows.par_iter()
                .with_min_len(256)
                .enumerate()
                .map(|(i, r)| [5, 10, 20].map(|k| shared_neighbour_vector(i as u32, r.iter().take(k).copied())))
                .collect(),
        );
        let mut brief = brief;
        for ((b, r), e) in brief.iter_mut().zip(&rows).zip(date_estimates(articles, &rows)) {
            b.best = r.first().map_or(1.0, |x| if x.1 > 0.0 { x.1 } else { 1.0 });
            b.top10 = r.iter().take(10).map(|x| x.1).sum::<f32>() / 10.0;
            b.estimate = e;
        }

        // Candidates: one article in the other's list, cosine above the floor, not
        // published too far apart.
        let too_far = |i: usize, j: usize| match (articles[i].published, articles[j].published) {
            (Some(x), Some(y)) => (x - y).abs() > params.max_days_apart,
            _ => false,
        };
        let candidate = |i: usize, &(j, s): &(u32, f32)| s > params.min_similarity && !too_far(i, j as usize);
        // Counted first, so the list is allocated once rather than grown by doubling.
        let count = rows
            .iter()
            .enumerate()
            .map(|(i, r)| r.iter().filter(|x| candidate(i, x)).count())
            .sum();
        let mut pairs: Vec<(u32, u32, f32)> = Vec::with_capacity(count);
        for (i, r) in rows.iter().enumerate() {
            for &(j, s) in r {
                if candidate(i, &(j, s)) {
                    let (a, b) = if (i as u32) < j { (i as u32, j) } else { (j, i as u32) };
                    pairs.push((a, b, s));
                }
            }
        }
        pairs.par_sort_unstable_by(|x, y| (x.0, x.1).cmp(&(y.0, y.1)));
        pairs.dedup_by(|x, y| x.0 == y.0 && x.1 == y.1);
        let sims = pairs.iter().map(|p| p.2).collect();
        let pairs = pairs.into_iter().map(|p| (p.0, p.1)).collect();
        PairGraph {
            articles,
            top_k: params.top_k,
            pairs,
            sims,
            vecs,
            dims,
            brief,
            rows: Packed::new(rows.into_iter().map(|r| [r]).collect()),
            snn,
        }
    }

    /// Frees what only stage 1 reads (the vectors, neighbour lists and date estimates,
    /// most of the graph's memory), so stage 2 and the linkage run without it; stage 1
    /// cannot run afterwards.
    pub fn drop_stage1_inputs(&mut self) {
        self.vecs = Packed::empty();
        self.rows = Packed::empty();
        self.snn = Packed::empty();
        self.sims = Vec::new();
        self.brief = Vec::new();
    }

    /// Number of articles.
    pub fn len(&self) -> usize {
        self.articles.len()
    }

    /// True for an empty corpus.
    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    /// Runs `per_pair(scratch, k)` for every pair `k`, in parallel, with the pair's first
    /// article loaded into the scratch space; results in pair order. Pairs are sorted by
    /// their first article, so a task loads each article once; results go straight into
    /// the output (collected per task and then joined, they were held twice).
    fn map_rows<T: Send, S>(
        &self,
        scratch: impl Fn() -> S + Sync,
        load: impl Fn(&mut S, usize, bool) + Sync,
        per_pair: impl Fn(&mut S, usize) -> T + Sync,
    ) -> Vec<T> {
        self.pairs
            .par_iter()
            .enumerate()
            .with_min_len(PAIRS_PER_TASK)
            .map_init(
                || (scratch(), None),
                |(s, loaded), (k, &(i, _))| {
                    let i = i as usize;
                    if *loaded != Some(i) {
                        if let Some(old) = loaded.take() {
                            load(s, old, false);
                        }
                        load(s, i, true);
                        *loaded = Some(i);
                    }
                    per_pair(s, k)
                },
            )
            .collect()
    }

    /// `f(k, inputs)` for every pair `k`, with its stage-1 inputs (see
    /// [`super::model::stage1_names`]); results in pair order.
    pub fn map_stage1<T: Send>(&self, f: impl Fn(usize, &[f64; N1]) -> T + Sync) -> Vec<T> {
        self.map_rows(
            || Scatter::new(self),
            |s, i, on| s.set(self, i, on),
            |s, k| {
                let mut x = [0.0; N1];
                self.stage1_row(s, k, &mut x);
                f(k, &x)
            },
        )
    }

    fn rank(&self, i: u32, j: u32) -> usize {
        self.rows
            .get(i as usize, 0)
            .iter()
            .position(|x| x.0 == j)
            .unwrap_or(self.top_k)
            .min(self.top_k)
    }

    fn stage1_row(&self, sc: &Scatter, k: usize, out: &mut [f64; N1]) {
        let (i, j) = self.pairs[k];
        let (iu, ju) = (i as usize, j as usize);
        let (a, b) = (&self.articles[iu], &self.articles[ju]);
        let (ba, bb) = (self.brief[iu], self.brief[ju]);
        let s = f64::from(self.sims[k]);
        let hb = if ba.has_body && bb.has_body { 1.0 } else { 0.0 };
        let cos = |t: usize| f64::from(scattered_dot(&sc.arrays[t], self.vecs.get(ju, t)));
        let mut f = [0.0f64; STAGE1.len()];
        f[0] = s;
        f[1] = cos(TITLE);
        f[2] = if hb > 0.0 { cos(BODY) } else { 0.0 };
        f[3] = cos(ENT);
        f[4] = cos(LEAD);
        f[5] = cos(CHARS);
        f[6] = if ba.has_url && bb.has_url { cos(URL) } else { 0.0 };
        // Both number features are 0 when the loaded article's lead has no numbers, as
        // often: the other article's numbers (two cache misses) are then not read.
        if !a.lead_numbers.is_empty() {
            let unmatched = |lead: &[u64], other: &[u64]| lead.iter().any(|x| other.binary_search(x).is_err());
            f[7] = f64::from(u8::from(
                unmatched(&a.lead_numbers, &b.numbers) && unmatched(&b.lead_numbers, &a.numbers),
            ));
            f[8] = (intersection(&a.lead_numbers, &b.lead_numbers).min(3)) as f64;
        }
        // A rank is at most top_k, so the other list is read only when j is in i's.
        let rank_ij = sc.rank(j, self.top_k);
        let rank = if rank_ij < self.top_k {
            rank_ij.max(self.rank(j, i))
        } else {
            self.top_k
        };
        f[9] = (rank as f64).ln_1p();
        f[10] = s / f64::from(ba.best.max(bb.best));
        f[11] = s - f64::from(ba.top10 * bb.top10).sqrt();
        for t in 0..3 {
            f[12 + t] = f64::from(scattered_dot(&sc.snn[t], self.snn.get(ju, t)));
        }
        f[15] = sc.shared_top(i, j, self.rows.get(ju, 0), 10) as f64 / 11.0;
        if let (Some(x), Some(y)) = (ba.dates, bb.dates) {
            let gap = f64::from((y.0 - x.1).max(x.0 - y.1).max(0));
            let points = x.0 == x.1 && y.0 == y.1;
            f[16] = gap.ln_1p();
            f[17] = f64::from(u8::from(gap >= 3.0));
            f[18] = f64::from(u8::from(gap >= 7.0));
            f[19] = f64::from(u8::from(gap <= 1.0 && points));
        } else if let (Some(x), Some(y)) = (ba.estimate, bb.estimate) {
            let gap = ((x.0 - y.0).abs() - (x.1 + y.1) / 2.0).max(0.0);
            f[20] = gap.ln_1p();
            f[21] = f64::from(u8::from(gap >= 7.0));
            f[22] = f64::from(u8::from(gap <= 2.0));
        }
        let m = f.len();
        out[..m].copy_from_slice(&f);
        for t in 0..m {
            out[m + t] = f[t] * hb;
        }
        out[2 * m] = hb;
    }

    /// The graph of stage-1 probabilities (`p1`, one per pair).
    pub fn prob_graph(&self, p1: &[f64]) -> ProbGraph {
        let n = self.articles.len();
        let mut offsets = vec![0u32; n + 1];
        for &(i, j) in &self.pairs {
            offsets[i as usize + 1] += 1;
            offsets[j as usize + 1] += 1;
        }
        for t in 1..=n {
            offsets[t] += offsets[t - 1];
        }
        let mut fill: Vec<u32> = offsets[..n].to_vec();
        let mut adj = vec![(0u32, 0f32); self.pairs.len() * 2];
        // Pairs are sorted by (i, j), so each article's list fills in neighbour order:
        // first the smaller neighbours (as j), then the larger (as i).
        for (k, &(i, j)) in self.pairs.iter().enumerate() {
            adj[fill[j as usize] as usize] = (i, p1[k] as f32);
            fill[j as usize] += 1;
        }
        for (k, &(i, j)) in self.pairs.iter().enumerate() {
            adj[fill[i as usize] as usize] = (j, p1[k] as f32);
            fill[i as usize] += 1;
        }
        let near: Vec<[Vec<(u32, f32)>; 3]> = (0..n)
            .into_par_iter()
            .with_min_len(256)
            .map(|i| {
                let mut r: Vec<(u32, f32)> = adj[offsets[i] as usize..offsets[i + 1] as usize].to_vec();
                let by_p = |x: &(u32, f32), y: &(u32, f32)| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0));
                if r.len() > 10 {
                    r.select_nth_unstable_by(10, by_p);
                    r.truncate(10);
                    r.shrink_to_fit();
                }
                r.sort_unstable_by(by_p);
                let [s5, s10] = [5, 10].map(|k| shared_neighbour_vector(i as u32, r.iter().take(k).copied()));
                [s5, s10, r]
            })
            .collect();
        ProbGraph {
            near: Packed::new(near),
            has_body: self.articles.iter().map(|a| a.has_body).collect(),
            offsets,
            adj,
        }
    }

    /// `f(k, extra)` for every pair `k`, with the inputs stage 2 adds (the features of
    /// [`STAGE2_EXTRA`] and their twins) given stage-1 probabilities `p1`; results in pair
    /// order.
    pub fn map_stage2<T: Send>(
        &self,
        pg: &ProbGraph,
        p1: &[f64],
        f: impl Fn(usize, &[f64; N2 - N1]) -> T + Sync,
    ) -> Vec<T> {
        let n = self.articles.len();
        self.map_rows(
            || ProbScatter {
                p: vec![0.0; n],
                snn: [vec![0.0; n], vec![0.0; n]],
            },
            |s, i, on| {
                for &(j, p) in pg.row(i) {
                    s.p[j as usize] = if on { p } else { 0.0 };
                }
                s.p[i] = if on { 1.0 } else { 0.0 };
                for (t, arr) in s.snn.iter_mut().enumerate() {
                    for &(k, w) in pg.near.get(i, t) {
                        arr[k as usize] = if on { w } else { 0.0 };
                    }
                }
            },
            |s, k| {
                let mut e = [0.0; N2 - N1];
                self.stage2_extra(pg, s, k, p1, &mut e);
                f(k, &e)
            },
        )
    }

    fn stage2_extra(&self, pg: &ProbGraph, sc: &ProbScatter, k: usize, p1: &[f64], out: &mut [f64; N2 - N1]) {
        let (i, j) = self.pairs[k];
        let (iu, ju) = (i as usize, j as usize);
        let hb = if pg.has_body[iu] && pg.has_body[ju] { 1.0 } else { 0.0 };
        let p = p1[k].clamp(1e-4, 1.0 - 1e-4);
        let u = pg
            .near
            .get(ju, TOP)
            .iter()
            .take(5)
            .map(|&(m, _)| f64::from(sc.p[m as usize]))
            .sum::<f64>()
            / 5.0;
        let v = pg
            .near
            .get(iu, TOP)
            .iter()
            .take(5)
            .map(|&(m, _)| pg.prob(j, m))
            .sum::<f64>()
            / 5.0;
        let f = [
            (p / (1.0 - p)).ln(),
            f64::from(scattered_dot(&sc.snn[0], pg.near.get(ju, 0))),
            f64::from(scattered_dot(&sc.snn[1], pg.near.get(ju, 1))),
            u.min(v),
            u.max(v),
        ];
        let m = STAGE2_EXTRA.len();
        out[..m].copy_from_slice(&f);
        for t in 0..m {
            out[m + t] = f[t] * hb;
        }
    }
}

/// The stage-2 pass's view of one article `i`, spread over dense arrays (see [`Scatter`]).
struct ProbScatter {
    /// Per article `m`: the stage-1 probability of the pair (i, m); 1 for i itself.
    p: Vec<f32>,
    /// Its shared-nearest-neighbour vectors of [`ProbGraph::snn`].
    snn: [Vec<f32>; 2],
}

/// The stage-1 probability graph: each article's scored pairs, by neighbour.
pub struct ProbGraph {
    offsets: Vec<u32>,
    /// (neighbour, probability), sorted by neighbour within each article.
    adj: Vec<(u32, f32)>,
    /// Per article: shared-nearest-neighbour vectors over its 5 and 10 most probable
    /// neighbours, then its ten most probable, best first (ties by index), side by side
    /// as stage 2 reads them all for the other article of a pair (see [`Packed`]).
    near: Packed<3>,
    /// Per article: whether it has body text (the article records are larger, so costlier
    /// to read for the other article of a pair).
    has_body: Vec<bool>,
}

/// The ten most probable neighbours in [`ProbGraph::near`], after the two
/// shared-neighbour vectors.
const TOP: usize = 2;

impl ProbGraph {
    fn row(&self, i: usize) -> &[(u32, f32)] {
        &self.adj[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }

    fn prob(&self, i: u32, j: u32) -> f64 {
        if i == j {
            return 1.0;
        }
        let r = self.row(i as usize);
        r.binary_search_by_key(&j, |x| x.0).map_or(0.0, |t| f64::from(r[t].1))
    }
}

/// Each article's `top_k` nearest neighbours by cosine (best first, ties by index).
/// Candidates come from an inverted index over the features in at most `max_df` articles;
/// the commoner features are added to the best `rescore` candidates' scores, so the
/// similarities are exact and only the candidate set is approximate.
fn neighbour_rows(all: Space, df: &[u32], params: &StoryParams) -> Vec<Vec<(u32, f32)>> {
    let n = all.vecs.len();
    let cap = params.max_df.max(2) as u32;
    let rare = |k: u32| (2..=cap).contains(&df[k as usize]);
    // Common features: dense ids, per-article lists, moved out of the vectors. What
    // stays are the rare features, whose postings an article walks.
    let Space { vecs: mut mine, dim } = all;
    let common = CommonFeatures::split_off(&mut mine, df, cap);
    let mut offsets = vec![0u32; dim + 1];
    for (k, &d) in df.iter().enumerate() {
        offsets[k + 1] = offsets[k] + if rare(k as u32) { d } else { 0 };
    }
    let mut fill = offsets.clone();
    let mut postings = vec![(0u32, 0f32); offsets[dim] as usize];
    for (i, v) in mine.iter().enumerate() {
        for &(k, w) in v {
            postings[fill[k as usize] as usize] = (i as u32, w);
            fill[k as usize] += 1;
        }
    }
    drop(fill);
    let tasks: Vec<(usize, usize)> = (0..n)
        .step_by(ROWS_PER_TASK)
        .map(|s| (s, (s + ROWS_PER_TASK).min(n)))
        .collect();
    let parts: Vec<Vec<Vec<(u32, f32)>>> = tasks
        .into_par_iter()
        // Scratch space per worker, not per task: zeroing two corpus-sized arrays for
        // every 512 articles cost time that grew with the square of the corpus.
        .map_init(
            || Scratch {
                acc: vec![0f32; n],
                touched: vec![0u32; n + 1],
                row: Vec::new(),
                mine_common: vec![0f32; common.dim],
                buckets: vec![0u32; HISTOGRAMS * SCORE_BUCKETS],
            },
            |scratch, (from, to)| {
                let Scratch {
                    acc,
                    touched,
                    row,
                    mine_common,
                    buckets,
                } = scratch;
                let by_sim = |x: &(u32, f32), y: &(u32, f32)| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0));
                (from..to)
                    .map(|i| {
                        let mut nt = 0;
                        for &(k, w) in &mine[i] {
                            let list = &postings[offsets[k as usize] as usize..offsets[k as usize + 1] as usize];
                            nt = accumulate(acc, touched, nt, list, w, i as u32);
                        }
                        // Only the best `rescore` proposals are re-scored, and without
                        // common features only the best `top_k` are kept.
                        let keep = if common.has(i) { params.rescore } else { params.top_k };
                        gather_best(acc, &touched[..nt], keep, buckets, row);
                        if common.has(i) {
                            select_best(row, params.rescore, by_sim);
                            common.scatter(i, mine_common, true);
                            let mut rest = row.chunks_exact_mut(LANES);
                            for some in &mut rest {
                                let sums =
                                    common.dots::<LANES>(mine_common, std::array::from_fn(|t| some[t].0 as usize));
                                for (x, d) in some.iter_mut().zip(sums) {
                                    x.1 += d;
                                }
                            }
                            for x in rest.into_remainder() {
                                x.1 += common.dot(mine_common, x.0 as usize);
                            }
                            common.scatter(i, mine_common, false);
                        }
                        row.retain(|x| x.1 > 0.0);
                        select_best(row, params.top_k, by_sim);
                        let mut best = row.to_vec();
                        best.sort_unstable_by(by_sim);
                        best
                    })
                    .collect()
            },
        )
        .collect();
    parts.into_iter().flatten().collect()
}

/// A worker's scratch space in the neighbour search; every article's search leaves it as
/// it found it (scores back to zero), so its history changes no result.
struct Scratch {
    /// Scores of the articles touched so far.
    acc: Vec<f32>,
    /// Articles with a score (in the first `nt` slots); one spare slot.
    touched: Vec<u32>,
    /// Every touched article's score, reused across articles (often thousands).
    row: Vec<(u32, f32)>,
    /// The searching article's common features, dense.
    mine_common: Vec<f32>,
    /// Counts per score bucket, [`HISTOGRAMS`] times over, for [`gather_best`]; all zero
    /// between uses.
    buckets: Vec<u32>,
}

/// Buckets of [`gather_best`]'s histogram: the top 10 bits of a score's order key, so a
/// bucket of positive scores spans half an octave.
const SCORE_BUCKETS: usize = 1 << 10;

/// Histograms side by side in [`gather_best`]: scores often fall in one bucket in a row,
/// and an addition to a counter waits for the previous one.
const HISTOGRAMS: usize = 4;

/// Up to this many touched articles, [`gather_best`] takes them all.
const FEW_SCORES: usize = 1024;

/// Moves the scores of the `touched` articles from `acc` into `row` (leaving `acc` zero),
/// all of them or, when there are many, a subset that holds the `k` best by score (ties
/// and order aside: [`select_best`] picks exactly). An article touches thousands and
/// keeps a few hundred, and selecting among all of them moved every one around several
/// times; a histogram of the scores finds a bucket with at least `k` scores at or above
/// it, so only those are copied. The `k`-th best score is in that bucket or above, so
/// every one of the `k` best is. `buckets` must be all zero, and is left so.
fn gather_best(acc: &mut [f32], touched: &[u32], k: usize, buckets: &mut [u32], row: &mut Vec<(u32, f32)>) {
    row.clear();
    if touched.len() <= FEW_SCORES.max(k) {
        row.extend(touched.iter().map(|&j| (j, std::mem::take(&mut acc[j as usize]))));
        return;
    }
    let bucket = |x: f32| (score_key(x) >> (32 - SCORE_BUCKETS.trailing_zeros())) as usize;
    let mut runs = touched.chunks_exact(HISTOGRAMS);
    for run in &mut runs {
        for (h, &j) in run.iter().enumerate() {
            buckets[h * SCORE_BUCKETS + bucket(acc[j as usize])] += 1;
        }
    }
    for &j in runs.remainder() {
        buckets[bucket(acc[j as usize])] += 1;
    }
    let mut seen = 0;
    let mut cut = 0;
    for b in (0..SCORE_BUCKETS).rev() {
        seen += (0..HISTOGRAMS)
            .map(|h| buckets[h * SCORE_BUCKETS + b] as usize)
            .sum::<usize>();
        if seen >= k {
            cut = b;
            break;
        }
    }
    buckets.fill(0);
    for &j in touched {
        let s = std::mem::take(&mut acc[j as usize]);
        if bucket(s) >= cut {
            row.push((j, s));
        }
    }
}

/// Leaves the `k` first of `row` by `by_sim` (a total order), in no particular order.
fn select_best(row: &mut Vec<(u32, f32)>, k: usize, by_sim: impl Fn(&(u32, f32), &(u32, f32)) -> Ordering) {
    if row.len() > k {
        row.select_nth_unstable_by(k, by_sim);
        row.truncate(k);
    }
}

/// A key whose unsigned order is `f32::total_cmp`'s order of the floats.
#[inline]
fn score_key(x: f32) -> u32 {
    let b = x.to_bits();
    if b >> 31 == 1 {
        !b
    } else {
        b | 1 << 31
    }
}

/// Every article's common features (those in more than `max_df` articles), numbered
/// densely in feature order, for the neighbour search's re-scoring. That reads the
/// features of proposed articles from all over the corpus, a cache miss each time, so
/// they are stored small: ids take two bytes while there are at most 65,536 common
/// features (six bytes a feature, not eight).
struct CommonFeatures {
    /// Article `i`'s features are at `starts[i]..starts[i + 1]` of `ids` and `weights`.
    starts: Vec<usize>,
    ids: CommonIds,
    weights: Vec<f32>,
    /// How many common features there are.
    dim: usize,
}

enum CommonIds {
    Narrow(Vec<u16>),
    Wide(Vec<u32>),
}

impl CommonFeatures {
    /// Moves the features of the *all* vectors in more than `cap` articles out of them,
    /// and drops those in one article (no other article shares them): what stays are the
    /// features the postings list. Article by article, so the run never holds a vector's
    /// features twice.
    fn split_off(vecs: &mut [Sparse], df: &[u32], cap: u32) -> CommonFeatures {
        let mut common_id = vec![u32::MAX; df.len()];
        let mut dim = 0;
        let mut total = 0;
        for (k, &d) in df.iter().enumerate() {
            if d > cap {
                common_id[k] = dim as u32;
                dim += 1;
                total += d as usize;
            }
        }
        let mut starts = Vec::with_capacity(vecs.len() + 1);
        starts.push(0);
        let mut ids = if dim <= usize::from(u16::MAX) + 1 {
            CommonIds::Narrow(Vec::with_capacity(total))
        } else {
            CommonIds::Wide(Vec::with_capacity(total))
        };
        let mut weights = Vec::with_capacity(total);
        for v in vecs.iter_mut() {
            for &(k, w) in v.iter() {
                let c = common_id[k as usize];
                if c != u32::MAX {
                    match &mut ids {
                        CommonIds::Narrow(ids) => ids.push(c as u16),
                        CommonIds::Wide(ids) => ids.push(c),
                    }
                    weights.push(w);
                }
            }
            starts.push(weights.len());
            v.retain(|&(k, _)| (2..=cap).contains(&df[k as usize]));
            v.shrink_to_fit();
        }
        CommonFeatures {
            starts,
            ids,
            weights,
            dim,
        }
    }

    fn has(&self, i: usize) -> bool {
        self.starts[i] < self.starts[i + 1]
    }

    /// Writes article `i`'s weights into the dense vector `mine`, or zeros them back.
    fn scatter(&self, i: usize, mine: &mut [f32], on: bool) {
        for t in self.starts[i]..self.starts[i + 1] {
            let c = match &self.ids {
                CommonIds::Narrow(ids) => usize::from(ids[t]),
                CommonIds::Wide(ids) => ids[t] as usize,
            };
            mine[c] = if on { self.weights[t] } else { 0.0 };
        }
    }

    /// Dot product of the dense vector `mine` and article `j`'s features, the same sum
    /// as [`scattered_dot`] of `j`'s (id, weight) list.
    #[inline]
    fn dot(&self, mine: &[f32], j: usize) -> f32 {
        let range = self.starts[j]..self.starts[j + 1];
        let weights = &self.weights[range.clone()];
        match &self.ids {
            CommonIds::Narrow(ids) => sparse_dot(mine, &ids[range], weights),
            CommonIds::Wide(ids) => sparse_dot(mine, &ids[range], weights),
        }
    }

    /// [`CommonFeatures::dot`] for several articles at once: each sum is a chain of
    /// additions that must run in order, so chains side by side keep the processor busy
    /// while one waits, and their reads from memory overlap.
    #[inline]
    fn dots<const N: usize>(&self, mine: &[f32], js: [usize; N]) -> [f32; N] {
        let ranges = js.map(|j| self.starts[j]..self.starts[j + 1]);
        let weights = ranges.clone().map(|r| &self.weights[r]);
        match &self.ids {
            CommonIds::Narrow(ids) => sparse_dots(mine, ranges.map(|r| &ids[r]), weights),
            CommonIds::Wide(ids) => sparse_dots(mine, ranges.map(|r| &ids[r]), weights),
        }
    }
}

/// `N` [`sparse_dot`]s, their terms interleaved; each adds up in its own order.
#[inline]
fn sparse_dots<T: Copy + Into<u32>, const N: usize>(mine: &[f32], ids: [&[T]; N], weights: [&[f32]; N]) -> [f32; N] {
    let term = |v: usize, t: usize| mine[ids[v][t].into() as usize] * weights[v][t];
    let both = ids.iter().map(|x| x.len()).min().unwrap_or(0);
    // Where `Iterator::sum` starts, so an empty list gives its -0.0.
    let mut sums = [-0.0f32; N];
    for t in 0..both {
        for (v, sum) in sums.iter_mut().enumerate() {
            *sum += term(v, t);
        }
    }
    for (v, sum) in sums.iter_mut().enumerate() {
        for t in both..ids[v].len() {
            *sum += term(v, t);
        }
    }
    sums
}

/// [`scattered_dot`] with the sparse vector's ids and weights apart.
#[inline]
fn sparse_dot<T: Copy + Into<u32>>(mine: &[f32], ids: &[T], weights: &[f32]) -> f32 {
    ids.iter()
        .zip(weights)
        .map(|(&c, &w)| mine[c.into() as usize] * w)
        .sum()
}

/// Adds `w` times each weight of a postings list to the articles' scores (all but `skip`),
/// appending the articles touched for the first time to `touched[..nt]`; returns the new
/// `nt`. The hottest loop of the neighbour search, so without a branch on the first
/// touch (unpredictable): the slot is always written and kept only then. Weights are
/// positive, so a score is 0 only before its first touch; `nt` stays below
/// `touched.len()` (one more than the articles) whatever the weights.
#[inline(never)]
fn accumulate(acc: &mut [f32], touched: &mut [u32], mut nt: usize, list: &[(u32, f32)], w: f32, skip: u32) -> usize {
    let last = touched.len() - 1;
    for &(j, wj) in list {
        if j != skip {
            let a = &mut acc[j as usize];
            touched[nt] = j;
            nt = (nt + usize::from(*a == 0.0)).min(last);
            *a += w * wj;
        }
    }
    nt
}

/// An article's shared-nearest-neighbour vector: itself with weight 1 and its neighbours
/// with their similarities, L2-normalised, sorted by index.
fn shared_neighbour_vector(i: u32, neighbours: impl Iterator<Item = (u32, f32)>) -> Vec<(u32, f32)> {
    let mut v: Vec<(u32, f32)> = neighbours.collect();
    v.push((i, 1.0));
    v.sort_unstable_by_key(|x| x.0);
    let norm = v.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
    for x in &mut v {
        x.1 /= norm;
    }
    v
}

fn intersection(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Dates of articles, and for an undated article an estimate from its ten nearest
/// neighbours with a cosine of at least 0.3 that are dated: the median of their middle
/// days, with the median width plus half their spread as the width.
fn date_estimates(articles: &[StoryFeatures], rows: &[Vec<(u32, f32)>]) -> Vec<Option<(f64, f64)>> {
    let own: Vec<Option<(f64, f64)>> = articles
        .iter()
        .map(|a| {
            a.dates
                .map(|(x, y)| ((f64::from(x) + f64::from(y)) / 2.0, f64::from(y - x)))
        })
        .collect();
    own.iter()
        .zip(rows)
        .map(|(o, r)| {
            if o.is_some() {
                return *o;
            }
            let near: Vec<(f64, f64)> = r
                .iter()
                .take(10)
                .filter(|x| x.1 >= 0.3)
                .filter_map(|x| own[x.0 as usize])
                .collect();
            if near.is_empty() {
                return None;
            }
            let mut mids: Vec<f64> = near.iter().map(|x| x.0).collect();
            let mut widths: Vec<f64> = near.iter().map(|x| x.1).collect();
            mids.sort_by(f64::total_cmp);
            widths.sort_by(f64::total_cmp);
            let spread = mids[mids.len() - 1] - mids[0];
            Some((median(&mids), median(&widths) + spread / 2.0))
        })
        .collect()
}

fn median(sorted: &[f64]) -> f64 {
    let m = sorted.len();
    if m % 2 == 1 {
        sorted[m / 2]
    } else {
        (sorted[m / 2 - 1] + sorted[m / 2]) / 2.0
    }
}

/// A merge candidate of [`link_component`]: groups `a < b` and their mean similarity,
/// packed into one integer whose order is the merge order (the highest score first, then
/// the smallest `a`, then the smallest `b`), so that the heap, the linkage's hot spot,
/// compares integers. The score's bits are mapped to an unsigned integer in the order of
/// `f64::total_cmp`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Candidate(u128);

impl Candidate {
    fn new(score: f64, a: u32, b: u32) -> Candidate {
        let bits = score.to_bits();
        let ordered = if bits >> 63 == 1 { !bits } else { bits | 1 << 63 };
        Candidate(u128::from(ordered) << 64 | u128::from(!a) << 32 | u128::from(!b))
    }

    fn score(self) -> f64 {
        let ordered = (self.0 >> 64) as u64;
        f64::from_bits(if ordered >> 63 == 1 {
            ordered & !(1 << 63)
        } else {
            !ordered
        })
    }

    fn pair(self) -> (u32, u32) {
        (!((self.0 >> 32) as u32), !(self.0 as u32))
    }
}

/// Average-linkage agglomerative clustering over a sparse similarity graph: repeatedly
/// merges the two groups with the highest mean pairwise similarity (missing pairs count
/// as 0) while it is at least `threshold`; ties go to the smallest indices. Edges are
/// sorted first (a pair given more than once keeps its lowest similarity), so the result
/// does not depend on their order. O(E log E) for news-sized groups. Returns a group
/// index per item, numbered by first member.
///
/// Two groups merge only when an edge between them reaches the threshold (a mean is never
/// above its largest term), so groups never leave the connected components of those
/// edges: each component is clustered on its own, in parallel, with the same merges.
pub fn average_linkage(n: usize, mut edges: Vec<(u32, u32, f64)>, threshold: f64) -> Vec<u32> {
    // Story grouping passes its pairs sorted and unique: they are read as they are.
    let ready = edges.iter().all(|e| e.0 < e.1) && edges.windows(2).all(|w| (w[0].0, w[0].1) < (w[1].0, w[1].1));
    if !ready {
        edges.retain(|e| e.0 != e.1);
        for e in &mut edges {
            if e.0 > e.1 {
                *e = (e.1, e.0, e.2);
            }
        }
        edges.sort_unstable_by(|x, y| (x.0, x.1).cmp(&(y.0, y.1)).then(x.2.total_cmp(&y.2)));
        edges.dedup_by(|x, y| x.0 == y.0 && x.1 == y.1);
    }
    // Components of the edges at the threshold; the smallest member is the root.
    let mut comp: Vec<u32> = (0..n as u32).collect();
    fn find(comp: &mut [u32], mut x: u32) -> u32 {
        while comp[x as usize] != x {
            let p = comp[x as usize];
            comp[x as usize] = comp[p as usize];
            x = p;
        }
        x
    }
    for &(a, b, s) in &edges {
        if s >= threshold {
            let (ra, rb) = (find(&mut comp, a), find(&mut comp, b));
            comp[ra.max(rb) as usize] = ra.min(rb);
        }
    }
    // Members (increasing, so local ids keep the order of global ones) and edges of
    // every component of two or more items.
    let mut slot = vec![u32::MAX; n];
    let mut local = vec![0u32; n];
    let mut parts: Vec<Component> = Vec::new();
    for i in 0..n as u32 {
        let r = find(&mut comp, i) as usize;
        if r == i as usize {
            continue;
        }
        if slot[r] == u32::MAX {
            slot[r] = parts.len() as u32;
            local[r] = 0;
            parts.push(Component {
                members: vec![r as u32],
                edges: Vec::new(),
            });
        }
        let members = &mut parts[slot[r] as usize].members;
        local[i as usize] = members.len() as u32;
        members.push(i);
    }
    // Each component's edges are counted first, so its list is allocated once at its
    // size: on news31k one component holds most of the corpus's edges, and a list grown
    // by doubling, beside the list it is copied from, was the peak of a run.
    let mut counts = vec![0usize; parts.len()];
    for &(a, b, _) in &edges {
        let r = comp[a as usize] as usize;
        if r == comp[b as usize] as usize {
            counts[slot[r] as usize] += 1;
        }
    }
    for (c, &k) in parts.iter_mut().zip(&counts) {
        c.edges.reserve_exact(k);
    }
    for &(a, b, s) in &edges {
        let r = comp[a as usize] as usize;
        if r == comp[b as usize] as usize {
            parts[slot[r] as usize]
                .edges
                .push((local[a as usize], local[b as usize], s));
        }
    }
    drop(edges);
    let parts: Vec<(Vec<u32>, Vec<u32>)> = parts
        .into_par_iter()
        .map(|c| {
            let roots = link_component(c.members.len(), c.edges, threshold);
            (c.members, roots)
        })
        .collect();
    let mut root: Vec<u32> = (0..n as u32).collect();
    for (members, roots) in &parts {
        for (&m, &x) in members.iter().zip(roots) {
            root[m as usize] = members[x as usize];
        }
    }
    // Number groups by their first member.
    let mut label = vec![u32::MAX; n];
    let mut next = 0u32;
    root.iter()
        .map(|&r| {
            if label[r as usize] == u32::MAX {
                label[r as usize] = next;
                next += 1;
            }
            label[r as usize]
        })
        .collect()
}

/// A component of [`average_linkage`]: its items, and its edges between local ids (an
/// item's index in `members`).
struct Component {
    members: Vec<u32>,
    edges: Vec<(u32, u32, f64)>,
}

/// Average linkage of one component given its edges, sorted and unique: the root (the
/// smallest member) of each item's group.
fn link_component(n: usize, sorted: Vec<(u32, u32, f64)>, threshold: f64) -> Vec<u32> {
    let mut size = vec![1u32; n];
    let mut parent: Vec<u32> = (0..n as u32).collect();
    // For each live group, the summed similarity to each neighbouring group.
    // Sized up front: most of a corpus can be one component, with news31k's 765,000
    // edges, where growing the maps rehashed each several times. The candidates are
    // heapified at once rather than pushed one by one; either way they pop in the same
    // order (a total one).
    //
    // The maps are filled in parallel, each from its item's edges: those where the item
    // comes first are a run of `sorted`, and those where it comes second are listed by
    // index in `second`. The order a map is filled in changes no sum and no merge (see
    // below).
    let (mut first, mut second_at) = (vec![0usize; n + 1], vec![0usize; n + 1]);
    for &(a, b, _) in &sorted {
        first[a as usize + 1] += 1;
        second_at[b as usize + 1] += 1;
    }
    for i in 1..=n {
        first[i] += first[i - 1];
        second_at[i] += second_at[i - 1];
    }
    let mut fill = second_at[..n].to_vec();
    let mut second = vec![0u32; sorted.len()];
    for (k, &(_, b, _)) in sorted.iter().enumerate() {
        second[fill[b as usize]] = k as u32;
        fill[b as usize] += 1;
    }
    drop(fill);
    let mut links: Vec<FxHashMap<u32, f64>> = (0..n)
        .into_par_iter()
        .with_min_len(256)
        .map(|i| {
            let (mine, theirs) = (first[i]..first[i + 1], second_at[i]..second_at[i + 1]);
            let mut m = FxHashMap::with_capacity_and_hasher(mine.len() + theirs.len(), Default::default());
            m.extend(sorted[mine].iter().map(|&(_, b, s)| (b, s)));
            m.extend(
                second[theirs]
                    .iter()
                    .map(|&k| (sorted[k as usize].0, sorted[k as usize].2)),
            );
            m
        })
        .collect();
    drop(second);
    let initial: Vec<Candidate> = sorted
        .par_iter()
        .filter(|e| e.2 >= threshold)
        .map(|&(a, b, s)| Candidate::new(s, a, b))
        .collect();
    // The edges now live in `links`.
    drop(sorted);
    let mut heap = BinaryHeap::from(initial);
    while let Some(candidate) = heap.pop() {
        let ((a, b), score) = (candidate.pair(), candidate.score());
        if parent[a as usize] != a || parent[b as usize] != b {
            continue;
        }
        let current = links[a as usize].get(&b).copied().unwrap_or(0.0)
            / (f64::from(size[a as usize]) * f64::from(size[b as usize]));
        if (current - score).abs() > 1e-12 || current < threshold {
            continue;
        }
        // The smaller id stays the root, so the result does not depend on sizes.
        let (keep, gone) = if a < b { (a, b) } else { (b, a) };
        parent[gone as usize] = keep;
        size[keep as usize] += size[gone as usize];
        // Each sum gets at most one addition here, of two terms, so neither the order of
        // the neighbours nor which map absorbs the other changes any sum.
        let mut gone_links = std::mem::take(&mut links[gone as usize]);
        let mut keep_links = std::mem::take(&mut links[keep as usize]);
        gone_links.remove(&keep);
        keep_links.remove(&gone);
        for (&c, &s) in &gone_links {
            let lc = &mut links[c as usize];
            lc.remove(&gone);
            *lc.entry(keep).or_default() += s;
        }
        // The smaller map is added into the larger: a large group joining a small one
        // (the smaller id stays the root, whatever the sizes) no longer copies its
        // neighbours one by one.
        if keep_links.len() < gone_links.len() {
            std::mem::swap(&mut keep_links, &mut gone_links);
        }
        for (c, s) in gone_links {
            *keep_links.entry(c).or_default() += s;
        }
        links[keep as usize] = keep_links;
        for (&c, &s) in &links[keep as usize] {
            let avg = s / (f64::from(size[keep as usize]) * f64::from(size[c as usize]));
            if avg >= threshold {
                let (x, y) = if keep < c { (keep, c) } else { (c, keep) };
                heap.push(Candidate::new(avg, x, y));
            }
        }
    }
    (0..n)
        .map(|i| {
            let mut r = i;
            while parent[r] as usize != r {
                r = parent[r] as usize;
            }
            r as u32
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::term_hash;

    fn article(title: &str, body: &str, day: Option<i32>) -> StoryFeatures {
        let hash_all = |s: &str| -> Vec<u64> {
            let mut v: Vec<u64> = s.split_whitespace().map(term_hash).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let title_terms = hash_all(title);
        let mut body_terms: Vec<(u64, u32)> = hash_all(body).into_iter().map(|h| (h, 1)).collect();
        body_terms.sort_unstable();
        let mut grams: Vec<(u32, u32)> = title
            .as_bytes()
            .windows(4)
            .map(|w| (u32::from_le_bytes([w[0], w[1], w[2], w[3]]), 1))
            .collect();
        grams.sort_unstable();
        grams.dedup_by_key(|g| g.0);
        StoryFeatures {
            lead: title_terms.clone(),
            title: title_terms,
            body: body_terms,
            grams,
            has_body: !body.is_empty(),
            dates: day.map(|d| (d, d)),
            published: day,
            ..StoryFeatures::default()
        }
    }

    fn corpus() -> Vec<StoryFeatures> {
        vec![
            article("kiriwa arrested nakuru police", "", Some(100)),
            article("kiriwa arrest hoax police nakuru", "", Some(100)),
            article("dalisay ferry timetable speed", "", Some(101)),
            article("kiriwa arrested hoax nakuru police", "", Some(101)),
            article("ferry speeds dalisay episodes timetable", "", Some(100)),
            article("weather rain tomorrow coast", "", Some(100)),
            article("dalisay ferry speed episodes", "", Some(102)),
        ]
    }

    /// The six spaces written in place and weighted in place are the vectors made one by
    /// one and weighted by [`Space::tfidf`], bit for bit, including links that repeat
    /// headline words, repeated words and empty fields.
    #[test]
    fn packed_vectors_match_vectors_made_one_by_one() {
        let mut arts = corpus();
        arts[0].url = arts[0]
            .title
            .iter()
            .take(2)
            .copied()
            .chain([term_hash("extra")])
            .collect();
        arts[1].url = vec![term_hash("nakuru"), term_hash("nakuru")];
        arts[2].entities = vec![(0, 2), (3, 1)];
        arts[5].entities = vec![(1, 1)];
        arts[6].title.clear();
        let raw = RawVectors::new(&arts);
        let (words, grams, _) = vocabularies(&arts);
        let mut one_by_one: [Vec<Sparse>; 6] = Default::default();
        for a in &arts {
            let lengths = six_lengths(a);
            let mut store: [Sparse; 6] = lengths.map(|l| vec![(0, 0.0); l]);
            let [t, b, e, l, c, u] = &mut store;
            raw_vectors(a, &words, &grams, [t, b, e, l, c, u]);
            for (space, v) in one_by_one.iter_mut().zip(store) {
                space.push(v);
            }
        }
        let dims = [
            raw.n_words,
            raw.n_words,
            raw.n_entities,
            raw.n_words,
            raw.n_grams,
            raw.n_words,
        ];
        let mut packed = raw.six;
        packed.tfidf(dims);
        for (t, (space, dim)) in one_by_one.into_iter().zip(dims).enumerate() {
            let (weighted, _) = Space::tfidf(space, dim);
            for (i, v) in weighted.vecs.iter().enumerate() {
                let bits = |v: &[(u32, f32)]| v.iter().map(|x| (x.0, x.1.to_bits())).collect::<Vec<_>>();
                assert_eq!(bits(packed.get(i, t)), bits(v), "article {i}, space {t}");
            }
        }
        assert!(packed.get(0, URL).len() == 3 && packed.get(1, URL).len() == 2);
        assert!(packed.get(6, TITLE).is_empty() && !packed.get(2, ENT).is_empty());
    }

    #[test]
    fn groups_by_shared_rare_words() {
        let labels = cluster(&corpus(), &StoryParams::default()).labels;
        assert_eq!(labels[0], labels[1]);
        assert_eq!(labels[0], labels[3]);
        assert_eq!(labels[2], labels[4]);
        assert_eq!(labels[2], labels[6]);
        assert_ne!(labels[0], labels[2]);
        assert_ne!(labels[5], labels[0]);
        assert_ne!(labels[5], labels[2]);
        assert_eq!(labels[0], 0);
    }

    #[test]
    fn other_stories_are_compared_only_as_neighbours() {
        let s = Stories {
            labels: vec![0, 0, 1, 2],
            neighbours: vec![(1, 2)],
        };
        assert!(s.compared(0, 1));
        assert!(s.compared(3, 3));
        assert!(s.compared(2, 1));
        assert!(!s.compared(0, 2));
        assert!(!s.compared(1, 3));
    }

    #[test]
    fn same_words_months_apart_are_split() {
        let mut arts = corpus();
        // The same headline words a year later: another story.
        arts.push(article("kiriwa arrested nakuru police", "", Some(465)));
        arts.push(article("kiriwa arrest hoax police nakuru", "", Some(466)));
        let labels = cluster(&arts, &StoryParams::default()).labels;
        assert_eq!(labels[0], labels[1]);
        assert_eq!(labels[7], labels[8]);
        assert_ne!(labels[0], labels[7]);
    }

    #[test]
    fn result_follows_input_order_only() {
        let arts = corpus();
        let labels = cluster(&arts, &StoryParams::default()).labels;
        // Reversing the input gives the same partition.
        let mut rev = arts.clone();
        rev.reverse();
        let rev_labels = cluster(&rev, &StoryParams::default()).labels;
        let n = arts.len();
        for i in 0..n {
            for j in 0..n {
                assert_eq!(
                    labels[i] == labels[j],
                    rev_labels[n - 1 - i] == rev_labels[n - 1 - j],
                    "{i} {j}"
                );
            }
        }
        // Features are computed the same way in a one-thread pool.
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        assert_eq!(pool.install(|| cluster(&arts, &StoryParams::default())).labels, labels);
    }

    #[test]
    fn candidates_order_by_score_then_smallest_pair() {
        let scores = [0.75, 0.5, 0.5000000000000001, 1.0, 0.0, -0.0, -0.25, 1e-300, f64::MAX];
        let mut all = Vec::new();
        for (k, &s) in scores.iter().enumerate() {
            for (a, b) in [(0, 1), (0, 7), (3, 4), (u32::MAX - 1, u32::MAX)] {
                all.push((s, a + k as u32 % 2, b));
            }
        }
        // The order the linkage merges in: the highest score, then the smallest pair.
        let reference =
            |x: &(f64, u32, u32), y: &(f64, u32, u32)| x.0.total_cmp(&y.0).then(y.1.cmp(&x.1)).then(y.2.cmp(&x.2));
        for x in &all {
            let c = Candidate::new(x.0, x.1, x.2);
            assert_eq!(c.score().to_bits(), x.0.to_bits());
            assert_eq!(c.pair(), (x.1, x.2));
            for y in &all {
                assert_eq!(c.cmp(&Candidate::new(y.0, y.1, y.2)), reference(x, y), "{x:?} {y:?}");
            }
        }
    }

    #[test]
    fn average_linkage_ignores_edge_order() {
        let edges = vec![
            (0, 1, 0.9),
            (1, 2, 0.5),
            (2, 3, 0.9),
            (0, 2, 0.1),
            (4, 5, 0.45),
            (3, 4, 0.41),
            (5, 3, 0.41),
        ];
        let expected = average_linkage(6, edges.clone(), 0.4);
        assert_eq!(expected, vec![0, 0, 1, 1, 2, 2]);
        // Every rotation and the reversal, with endpoints swapped.
        for r in 0..edges.len() {
            let mut e = edges.clone();
            e.rotate_left(r);
            assert_eq!(average_linkage(6, e.clone(), 0.4), expected, "rotation {r}");
            let swapped: Vec<(u32, u32, f64)> = e.iter().rev().map(|&(a, b, s)| (b, a, s)).collect();
            assert_eq!(average_linkage(6, swapped, 0.4), expected, "reversed {r}");
        }
    }

    #[test]
    fn average_linkage_counts_missing_pairs_as_zero() {
        // 0-1 strong, 2 close to 1 only: the mean over {0,1}×{2} is 0.25, below 0.4.
        let edges = vec![(0, 1, 0.95), (1, 2, 0.5)];
        assert_eq!(average_linkage(3, edges.clone(), 0.4), vec![0, 0, 1]);
        assert_eq!(average_linkage(3, edges, 0.2), vec![0, 0, 0]);
    }

    #[test]
    fn headline_stories_join_the_story_of_their_best_pair() {
        // Items 0 and 1 are headlines alone in story 0; stories 1 ({2, 3}) and 2 ({4})
        // have body text. The best pair of story 0 goes into story 1.
        let has_body = [false, false, true, true, true];
        let mut labels = vec![0, 0, 1, 1, 2];
        let across = [(0, 2, 0.5), (1, 4, 0.45), (0, 4, 0.3)];
        attach_headline_stories(&mut labels, &across, &has_body, 0.4);
        assert_eq!(labels, vec![0, 0, 0, 0, 1]);
        // No pair at the threshold: nothing moves.
        let mut labels = vec![0, 0, 1, 1, 2];
        attach_headline_stories(&mut labels, &across, &has_body, 0.6);
        assert_eq!(labels, vec![0, 0, 1, 1, 2]);
        // Equal pairs: the smaller label wins, whatever the order of the pairs.
        let mut labels = vec![0, 0, 1, 1, 2];
        attach_headline_stories(&mut labels, &[(1, 4, 0.5), (0, 3, 0.5)], &has_body, 0.4);
        assert_eq!(labels, vec![0, 0, 0, 0, 1]);
    }

    #[test]
    fn stories_with_a_body_keep_their_headlines() {
        // Story 0 holds a headline (item 0) and a full article (item 1): it stays whole,
        // however strong the headline's pair with story 1.
        let has_body = [false, true, true];
        let mut labels = vec![0, 0, 1];
        attach_headline_stories(&mut labels, &[(0, 2, 0.9)], &has_body, 0.4);
        assert_eq!(labels, vec![0, 0, 1]);
        // A lone headline joins story 0 and story 1 is numbered again.
        let has_body = [true, false, true];
        let mut labels = vec![0, 1, 2];
        attach_headline_stories(&mut labels, &[(0, 1, 0.7), (1, 2, 0.6)], &has_body, 0.4);
        assert_eq!(labels, vec![0, 0, 1]);
    }

    #[test]
    fn common_features_sum_as_scattered_lists() {
        // Four articles; feature c is in all but article (c % 4), so in three of them, over
        // the cap of 2; each article also has a feature of its own, and a fifth has only
        // that; the first two share a rare feature. Once with few common features
        // (two-byte ids) and once with more than 65,536.
        for k in [40u32, 70_000] {
            let weight = |c: u32, i: u32| ((c * 31 + i * 17) % 97 + 1) as f32 / 97.0;
            let vecs: Vec<Sparse> = (0..4u32)
                .map(|i| {
                    let mut v: Sparse = (0..k).filter(|c| c % 4 != i).map(|c| (c, weight(c, i))).collect();
                    v.push((k + i, 0.5));
                    if i < 2 {
                        v.push((k + 5, 0.25));
                    }
                    v
                })
                .chain([vec![(k + 4, 1.0)]])
                .collect();
            let mut df = vec![0u32; k as usize + 6];
            for &(c, _) in vecs.iter().flatten() {
                df[c as usize] += 1;
            }
            let mut rare = vecs.clone();
            let common = CommonFeatures::split_off(&mut rare, &df, 2);
            assert_eq!(common.dim, k as usize);
            assert_eq!(matches!(common.ids, CommonIds::Wide(_)), k > 65_536);
            // Only the rare feature stays in the vectors.
            let shared = vec![(k + 5, 0.25)];
            assert_eq!(rare, [shared.clone(), shared, vec![], vec![], vec![]]);
            // The common features are 0..k, so their dense ids are the features' own.
            let list = |i: usize| -> Sparse { vecs[i].iter().copied().filter(|x| x.0 < k).collect() };
            for i in 0..4 {
                let mut mine = vec![0f32; common.dim];
                common.scatter(i, &mut mine, true);
                let mut expected = vec![0f32; common.dim];
                for (c, w) in list(i) {
                    expected[c as usize] = w;
                }
                assert_eq!(mine, expected);
                for j in 0..5 {
                    assert_eq!(common.dot(&mine, j).to_bits(), scattered_dot(&mine, &list(j)).to_bits());
                }
                // Side by side, lists of unequal lengths (the last article has none).
                for js in [[0, 1, 2, 3], [3, 4, 1, 1], [4, 4, 4, 0]] {
                    let expected = js.map(|j| common.dot(&mine, j).to_bits());
                    assert_eq!(common.dots(&mine, js).map(f32::to_bits), expected);
                }
                common.scatter(i, &mut mine, false);
                assert!(mine.iter().all(|&w| w == 0.0));
            }
        }
    }

    #[test]
    fn gathered_best_are_the_best_of_a_full_sort() {
        let by_sim = |x: &(u32, f32), y: &(u32, f32)| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0));
        let mut buckets = vec![0u32; HISTOGRAMS * SCORE_BUCKETS];
        let mut row = Vec::new();
        // Touched lists around the size where the histogram starts, scores spread over
        // several octaves or all in one bucket (ties, as wire copies give), and any k.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for n in [0usize, 5, FEW_SCORES, FEW_SCORES + 1, 3000] {
            for spread in [0u32, 3, 40] {
                for k in [0usize, 1, 50, 200, n, n + 1] {
                    let mut acc = vec![0f32; n + 10];
                    // Distinct articles out of index order (7,919 is a prime, so this
                    // multiplication permutes the slots).
                    let touched: Vec<u32> = (0..n).map(|t| (t * 7919 % acc.len()) as u32).collect();
                    for &j in &touched {
                        acc[j as usize] = 1.0 + (next() % (spread as u64 + 1)) as f32 * 0.37;
                    }
                    let mut expected: Vec<(u32, f32)> = touched.iter().map(|&j| (j, acc[j as usize])).collect();
                    expected.sort_unstable_by(by_sim);
                    expected.truncate(k);
                    gather_best(&mut acc, &touched, k, &mut buckets, &mut row);
                    assert!(acc.iter().all(|&a| a == 0.0), "scores left behind");
                    assert!(buckets.iter().all(|&b| b == 0), "histogram left behind");
                    select_best(&mut row, k, by_sim);
                    row.sort_unstable_by(by_sim);
                    assert_eq!(row, expected, "n {n}, spread {spread}, k {k}");
                }
            }
        }
    }

    #[test]
    fn empty_and_single_corpora() {
        assert!(cluster(&[], &StoryParams::default()).labels.is_empty());
        assert_eq!(
            cluster(&[article("a b c", "", None)], &StoryParams::default()).labels,
            vec![0]
        );
    }
}

//! Stories: articles about the same thing, as an editor would group them.
//!
//! Each article is a sparse vector of features (content-word stems of its headline and
//! lead, weighted up for the headline; its entities, weighted up again), weighted by
//! TF-IDF over the corpus. Candidate pairs come from an inverted index over the rarer
//! features only (blocking: a feature in more than [`StoryParams::max_df`] articles does
//! not propose pairs), and the candidates are clustered by average linkage with one
//! threshold for every corpus. The cost is bounded by the sum of squared posting lengths of
//! the rare features, near-linear for news.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// One article's story features.
#[derive(Clone, Debug, Default)]
pub struct StoryFeatures {
    /// (feature hash, raw weight) pairs, sorted by hash, unique.
    pub features: Vec<(u64, f32)>,
    /// Publication day (days since 1970), when known.
    pub day: Option<i32>,
}

/// Knobs of story clustering.
#[derive(Clone, Copy, Debug)]
pub struct StoryParams {
    /// Average-linkage similarity needed to merge two groups.
    pub threshold: f32,
    /// Features in more articles than this (or than `max_df_share` of the corpus,
    /// whichever is larger) do not propose candidate pairs.
    pub max_df: usize,
    /// See `max_df`.
    pub max_df_share: f32,
    /// Most candidate neighbours kept per article.
    pub max_neighbors: usize,
    /// Articles further apart in time than this many days are not in one story.
    pub max_days_apart: i32,
}

impl Default for StoryParams {
    fn default() -> StoryParams {
        StoryParams {
            threshold: 0.22,
            max_df: 200,
            max_df_share: 0.02,
            max_neighbors: 40,
            max_days_apart: 21,
        }
    }
}

/// Groups articles into stories. Returns a story index per article; stories are numbered
/// in order of their first article, so the result depends only on the input order.
pub fn cluster(articles: &[StoryFeatures], params: &StoryParams) -> Vec<u32> {
    let n = articles.len();
    if n == 0 {
        return Vec::new();
    }
    // Document frequencies and TF-IDF vectors, L2-normalised.
    let mut df: FxHashMap<u64, u32> = FxHashMap::default();
    for a in articles {
        for &(f, _) in &a.features {
            *df.entry(f).or_default() += 1;
        }
    }
    let nf = n as f32;
    let vectors: Vec<Vec<(u64, f32)>> = articles
        .iter()
        .map(|a| {
            let mut v: Vec<(u64, f32)> = a
                .features
                .iter()
                .map(|&(f, w)| {
                    let d = df[&f] as f32;
                    (f, w * ((nf + 1.0) / (d + 0.5)).ln().max(0.05))
                })
                .collect();
            let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
            if norm > 0.0 {
                for x in &mut v {
                    x.1 /= norm;
                }
            }
            v
        })
        .collect();
    // Inverted index over the rare features.
    let cap = params.max_df.max((params.max_df_share * nf) as usize).max(2);
    let mut postings: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    for (i, v) in vectors.iter().enumerate() {
        for &(f, _) in v {
            if (df[&f] as usize) <= cap && df[&f] >= 2 {
                postings.entry(f).or_default().push(i as u32);
            }
        }
    }
    // Candidate pairs: similarity accumulated over the rare features only, then the full
    // cosine for the best few. Each article's neighbours are found independently, in
    // parallel, each worker with a dense accumulator (one slot per article, reset after
    // use), a mark of the slots this article touched and their list; the edges come out in article order.
    let neighbours: Vec<Vec<(u32, f32)>> = (0..n)
        .into_par_iter()
        .map_init(
            || (vec![0.0f32; n], vec![u32::MAX; n], Vec::<u32>::new()),
            |(acc, mark, touched), i| {
                let v = &vectors[i];
                for &(f, w) in v {
                    let Some(list) = postings.get(&f) else { continue };
                    let start = list.partition_point(|&j| j as usize <= i);
                    for &j in &list[start..] {
                        if mark[j as usize] != i as u32 {
                            mark[j as usize] = i as u32;
                            touched.push(j);
                        }
                        acc[j as usize] += w;
                    }
                }
                let mut cands: Vec<(u32, f32)> = Vec::with_capacity(touched.len());
                for j in touched.drain(..) {
                    cands.push((j, std::mem::take(&mut acc[j as usize])));
                }
                cands.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                cands.truncate(params.max_neighbors * 2);
                let mut scored: Vec<(u32, f32)> = cands
                    .into_iter()
                    .filter(|&(j, _)| !too_far(&articles[i], &articles[j as usize], params.max_days_apart))
                    .map(|(j, _)| (j, cosine(v, &vectors[j as usize])))
                    .filter(|&(_, s)| s > params.threshold * 0.5)
                    .collect();
                scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                scored.truncate(params.max_neighbors);
                // `scored` reuses the buffer of every candidate; keep only its length
                // while the neighbours of all articles are held.
                scored.shrink_to_fit();
                scored
            },
        )
        .collect();
    let edges: Vec<(u32, u32, f32)> = neighbours
        .into_iter()
        .enumerate()
        .flat_map(|(i, scored)| scored.into_iter().map(move |(j, s)| (i as u32, j, s)))
        .collect();
    average_linkage(n, &edges, params.threshold)
}

fn too_far(a: &StoryFeatures, b: &StoryFeatures, max_days: i32) -> bool {
    match (a.day, b.day) {
        (Some(x), Some(y)) => (x - y).abs() > max_days,
        _ => false,
    }
}

/// Cosine of two sorted, normalised sparse vectors.
pub fn cosine(a: &[(u64, f32)], b: &[(u64, f32)]) -> f32 {
    let (mut i, mut j, mut s) = (0, 0, 0.0f32);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

#[derive(PartialEq)]
struct Candidate {
    score: f32,
    a: u32,
    b: u32,
}

impl Eq for Candidate {}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then_with(|| other.a.cmp(&self.a))
            .then_with(|| other.b.cmp(&self.b))
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Average-linkage agglomerative clustering over a sparse similarity graph: repeatedly
/// merges the two groups with the highest mean pairwise similarity (missing pairs count
/// as 0) while it is at least `threshold`. O(E log E) with small-into-large merging.
pub fn average_linkage(n: usize, edges: &[(u32, u32, f32)], threshold: f32) -> Vec<u32> {
    let mut size = vec![1u32; n];
    let mut parent: Vec<u32> = (0..n as u32).collect();
    // For each live group, the summed similarity to each neighbouring group.
    let mut links: Vec<FxHashMap<u32, f32>> = vec![FxHashMap::default(); n];
    for &(a, b, s) in edges {
        *links[a as usize].entry(b).or_default() += s;
        *links[b as usize].entry(a).or_default() += s;
    }
    let mut heap = BinaryHeap::new();
    for (a, l) in links.iter().enumerate() {
        for (&b, &s) in l {
            if (a as u32) < b && s >= threshold {
                heap.push(Candidate {
                    score: s,
                    a: a as u32,
                    b,
                });
            }
        }
    }
    while let Some(Candidate { score, a, b }) = heap.pop() {
        if parent[a as usize] != a || parent[b as usize] != b {
            continue;
        }
        let current = links[a as usize].get(&b).copied().unwrap_or(0.0) / (size[a as usize] * size[b as usize]) as f32;
        if (current - score).abs() > 1e-6 {
            continue;
        }
        if current < threshold {
            continue;
        }
        // Merge the smaller group into the larger; keep the smaller id as the root so the
        // result does not depend on sizes.
        let (keep, gone) = if a < b { (a, b) } else { (b, a) };
        parent[gone as usize] = keep;
        size[keep as usize] += size[gone as usize];
        let gone_links = std::mem::take(&mut links[gone as usize]);
        links[keep as usize].remove(&gone);
        for (c, s) in gone_links {
            if c == keep {
                continue;
            }
            *links[keep as usize].entry(c).or_default() += s;
            let lc = &mut links[c as usize];
            lc.remove(&gone);
            *lc.entry(keep).or_default() += s;
        }
        let mut neighbors: Vec<(u32, f32)> = links[keep as usize].iter().map(|(&c, &s)| (c, s)).collect();
        neighbors.sort_by_key(|x| x.0);
        for (c, s) in neighbors {
            let avg = s / (size[keep as usize] * size[c as usize]) as f32;
            if avg >= threshold {
                let (x, y) = if keep < c { (keep, c) } else { (c, keep) };
                heap.push(Candidate { score: avg, a: x, b: y });
            }
        }
    }
    // Number groups by their first member.
    let root_of: Vec<u32> = (0..n as u32)
        .map(|i| {
            let mut r = i;
            while parent[r as usize] != r {
                r = parent[r as usize];
            }
            r
        })
        .collect();
    let mut label: FxHashMap<u32, u32> = FxHashMap::default();
    root_of
        .iter()
        .map(|r| {
            let next = label.len() as u32;
            *label.entry(*r).or_insert(next)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feats(words: &[&str]) -> StoryFeatures {
        let mut f: Vec<(u64, f32)> = words.iter().map(|w| (crate::text::term_hash(w), 1.0)).collect();
        f.sort_by_key(|x| x.0);
        f.dedup_by_key(|x| x.0);
        StoryFeatures { features: f, day: None }
    }

    #[test]
    fn groups_by_shared_rare_words() {
        let arts = vec![
            feats(&["banksy", "arrested", "london"]),
            feats(&["banksy", "arrest", "hoax"]),
            feats(&["seinfeld", "tbs", "speeds"]),
            feats(&["banksy", "arrested", "hoax", "police"]),
            feats(&["tbs", "seinfeld", "commercials"]),
            feats(&["weather", "rain"]),
        ];
        let labels = cluster(&arts, &StoryParams::default());
        assert_eq!(labels[0], labels[1]);
        assert_eq!(labels[0], labels[3]);
        assert_eq!(labels[2], labels[4]);
        assert_ne!(labels[0], labels[2]);
        assert_ne!(labels[5], labels[0]);
        assert_eq!(labels[0], 0);
    }

    #[test]
    fn average_linkage_is_symmetric_in_edge_order() {
        let edges = vec![(0, 1, 0.9), (1, 2, 0.5), (2, 3, 0.9), (0, 2, 0.1)];
        let mut rev = edges.clone();
        rev.reverse();
        assert_eq!(average_linkage(4, &edges, 0.4), average_linkage(4, &rev, 0.4));
        assert_eq!(average_linkage(4, &edges, 0.4), vec![0, 0, 1, 1]);
    }
}

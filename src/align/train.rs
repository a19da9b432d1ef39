//! Fitting the story pair model ([`super::model`]) to corpora with gold story labels, and
//! measuring it honestly: grouped k-fold cross-validation, where a pair is scored only by
//! a model trained without either of its articles' groups (folds are whole claims or
//! topics, so near-copies of one story never sit on both sides).
//!
//! Stage 2 is trained on features built from out-of-fold stage-1 probabilities, as it
//! will see stage-1 probabilities of unseen articles when it runs. The final weights are
//! fitted on every pair. Everything is deterministic: folds come from a fixed hash of the
//! group key, and the fits do not depend on the thread count.

use rustc_hash::FxHashMap;

use super::model::{fit, Logistic, StoryModel, N1, N2};
use super::stories::{average_linkage, PairGraph, StoryFeatures, StoryParams};
use crate::eval::BCubed;

/// One labelled corpus.
#[derive(Clone, Debug)]
pub struct TrainSet {
    /// Name used in reports.
    pub name: String,
    /// Each article's story signals, in corpus order.
    pub features: Vec<StoryFeatures>,
    /// Each article's gold story (equal numbers = same story).
    pub gold: Vec<u32>,
    /// Each article's cross-validation fold, below [`TrainOptions::folds`].
    pub fold: Vec<u8>,
}

/// Training settings.
#[derive(Clone, Debug)]
pub struct TrainOptions {
    /// Weight of the data term against the L2 penalty (scikit-learn's `C`).
    pub c: f64,
    /// Number of cross-validation folds.
    pub folds: u8,
    /// The linkage threshold written into the model.
    pub threshold: f64,
    /// Thresholds at which cross-validated scores are reported.
    pub report_thresholds: Vec<f64>,
    /// Blocking settings (the same as at run time).
    pub params: StoryParams,
}

impl Default for TrainOptions {
    fn default() -> TrainOptions {
        TrainOptions {
            c: 10.0,
            folds: 5,
            threshold: 0.40,
            report_thresholds: vec![0.30, 0.35, 0.40, 0.45, 0.50],
            params: StoryParams::default(),
        }
    }
}

/// A cross-validated score.
#[derive(Clone, Debug)]
pub struct CvScore {
    /// Corpus name.
    pub set: String,
    /// Model stage (1 or 2).
    pub stage: u8,
    /// Linkage threshold.
    pub threshold: f64,
    /// B-cubed against the gold stories.
    pub b3: BCubed,
}

/// The fitted model and how it scored.
#[derive(Clone, Debug)]
pub struct Trained {
    /// The model, fitted on every pair.
    pub model: StoryModel,
    /// Grouped cross-validation scores, by set, stage and threshold.
    pub cv: Vec<CvScore>,
    /// Per set: candidate pairs and how many are gold same-story pairs.
    pub pairs: Vec<(String, usize, usize)>,
}

/// The fold of a group key: FNV-1a of the key, modulo `folds`.
pub fn fold_of(key: &str, folds: u8) -> u8 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h % u64::from(folds.max(1))) as u8
}

/// Pair inputs of one corpus.
struct Prepared<'a> {
    graph: PairGraph<'a>,
    x1: Vec<f64>,
    y: Vec<bool>,
    /// Folds of each pair's two articles.
    folds: Vec<(u8, u8)>,
}

/// Fits both stages and cross-validates them.
pub fn train(sets: &[TrainSet], opts: &TrainOptions) -> Trained {
    let prepared: Vec<Prepared> = sets
        .iter()
        .map(|s| {
            let graph = PairGraph::build(&s.features, &opts.params);
            let x1: Vec<f64> = graph.map_stage1(|_, x| *x).into_iter().flatten().collect();
            let y = graph
                .pairs
                .iter()
                .map(|&(i, j)| s.gold[i as usize] == s.gold[j as usize])
                .collect();
            let folds = graph
                .pairs
                .iter()
                .map(|&(i, j)| (s.fold[i as usize], s.fold[j as usize]))
                .collect();
            Prepared { graph, x1, y, folds }
        })
        .collect();
    let x1: Vec<&[f64]> = prepared.iter().map(|p| p.x1.as_slice()).collect();
    let oof1 = cross_validate(&prepared, &x1, N1, opts);
    let x2: Vec<Vec<f64>> = prepared
        .iter()
        .zip(&oof1)
        .map(|(p, p1)| {
            let pg = p.graph.prob_graph(p1);
            let extra = p.graph.map_stage2(&pg, p1, |_, e| *e);
            let mut x = Vec::with_capacity(extra.len() * N2);
            for (row, e) in p.x1.chunks_exact(N1).zip(extra) {
                x.extend_from_slice(row);
                x.extend_from_slice(&e);
            }
            x
        })
        .collect();
    let x2_refs: Vec<&[f64]> = x2.iter().map(Vec::as_slice).collect();
    let oof2 = cross_validate(&prepared, &x2_refs, N2, opts);

    let mut cv = Vec::new();
    for (stage, oof) in [(1u8, &oof1), (2, &oof2)] {
        for (s, (p, probs)) in sets.iter().zip(prepared.iter().zip(oof)) {
            for &t in &opts.report_thresholds {
                let edges: Vec<(u32, u32, f64)> =
                    p.graph.pairs.iter().zip(probs).map(|(&(i, j), &q)| (i, j, q)).collect();
                let labels = average_linkage(s.features.len(), edges, t);
                cv.push(CvScore {
                    set: s.name.clone(),
                    stage,
                    threshold: t,
                    b3: bcubed(&labels, &s.gold),
                });
            }
        }
    }
    let all_rows = |x: &[&[f64]]| -> Vec<f64> { x.iter().flat_map(|v| v.iter().copied()).collect() };
    let all_y: Vec<bool> = prepared.iter().flat_map(|p| p.y.iter().copied()).collect();
    let stage1 = fit(&all_rows(&x1), N1, &all_y, opts.c);
    let stage2 = fit(&all_rows(&x2_refs), N2, &all_y, opts.c);
    let pairs = sets
        .iter()
        .zip(&prepared)
        .map(|(s, p)| (s.name.clone(), p.y.len(), p.y.iter().filter(|&&y| y).count()))
        .collect();
    Trained {
        model: StoryModel {
            stage1,
            stage2,
            threshold: opts.threshold,
        },
        cv,
        pairs,
    }
}

/// Out-of-fold probabilities: for each fold, a model fitted on the pairs with neither
/// article in the fold (over all sets) scores the pairs with an article in it. A pair
/// across two folds keeps the score of the later fold.
fn cross_validate(prepared: &[Prepared], x: &[&[f64]], d: usize, opts: &TrainOptions) -> Vec<Vec<f64>> {
    let mut out: Vec<Vec<f64>> = prepared.iter().map(|p| vec![0.0; p.y.len()]).collect();
    for f in 0..opts.folds {
        let mut xs: Vec<f64> = Vec::new();
        let mut ys: Vec<bool> = Vec::new();
        for (p, xp) in prepared.iter().zip(x) {
            for (k, &(a, b)) in p.folds.iter().enumerate() {
                if a != f && b != f {
                    xs.extend_from_slice(&xp[k * d..(k + 1) * d]);
                    ys.push(p.y[k]);
                }
            }
        }
        let model: Logistic = fit(&xs, d, &ys, opts.c);
        for ((p, xp), o) in prepared.iter().zip(x).zip(&mut out) {
            for (k, &(a, b)) in p.folds.iter().enumerate() {
                if a == f || b == f {
                    o[k] = model.prob(&xp[k * d..(k + 1) * d]);
                }
            }
        }
    }
    out
}

/// B-cubed precision, recall and F1 of predicted labels against gold labels.
pub fn bcubed(pred: &[u32], gold: &[u32]) -> BCubed {
    let mut both: FxHashMap<(u32, u32), u32> = FxHashMap::default();
    let mut p_size: FxHashMap<u32, u32> = FxHashMap::default();
    let mut g_size: FxHashMap<u32, u32> = FxHashMap::default();
    for (&p, &g) in pred.iter().zip(gold) {
        *both.entry((p, g)).or_default() += 1;
        *p_size.entry(p).or_default() += 1;
        *g_size.entry(g).or_default() += 1;
    }
    let (mut precision, mut recall) = (0.0, 0.0);
    for (&p, &g) in pred.iter().zip(gold) {
        let inter = f64::from(both[&(p, g)]);
        precision += inter / f64::from(p_size[&p]);
        recall += inter / f64::from(g_size[&g]);
    }
    let n = pred.len().max(1) as f64;
    let (precision, recall) = (precision / n, recall / n);
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    BCubed {
        precision,
        recall,
        f1,
        unassigned: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bcubed_matches_hand_computation() {
        let gold = [0, 0, 1, 1];
        assert_eq!(bcubed(&[5, 5, 7, 7], &gold).f1, 1.0);
        let lumped = bcubed(&[0, 0, 0, 0], &gold);
        assert_eq!((lumped.precision, lumped.recall), (0.5, 1.0));
    }

    #[test]
    fn folds_are_stable_and_in_range() {
        assert_eq!(fold_of("claim-17", 5), fold_of("claim-17", 5));
        assert!((0..200).all(|i| fold_of(&format!("k{i}"), 5) < 5));
        let used: std::collections::BTreeSet<u8> = (0..200).map(|i| fold_of(&format!("k{i}"), 5)).collect();
        assert_eq!(used.len(), 5);
    }
}

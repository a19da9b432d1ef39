//! The story pair model: two logistic regressions that score whether two articles report
//! the same story, and the trainer that fits them.
//!
//! Stage 1 reads the pair features of [`STAGE1`]; stage 2 reads those again plus features
//! of the graph of stage-1 probabilities ([`STAGE2_EXTRA`]). Every feature also appears
//! multiplied by a flag "both articles have a body" (`name*hb`), so headline-only and
//! full-text pairs get their own weights. The weights are data
//! (`src/lexicon/story_model.tsv`, compiled in), written by `crosscheck train`.
//!
//! The trainer is L2-regularised logistic regression solved by Newton's method (about 60
//! features, so a dense Hessian), on standardised features with the standardisation
//! folded back into the weights. Sums run over fixed chunks of rows combined in order, so
//! the fitted weights do not depend on the thread count.

use once_cell::sync::Lazy;
use rayon::prelude::*;

use crate::error::{Error, Result};

/// Pair features of stage 1, before their `*hb` twins.
pub const STAGE1: [&str; 23] = [
    "s_all", "s_title", "s_body", "s_ent", "s_lead", "s_char", "s_url", "mm_num", "sh_num", "rank", "rel", "z", "snn5",
    "snn10", "snn20", "snnb10", "i_log", "i_ge3", "i_ge7", "i_le1", "e_log", "e_ge7", "e_le2",
];

/// Features of the stage-1 probability graph that stage 2 adds, before their `*hb` twins.
pub const STAGE2_EXTRA: [&str; 5] = ["p_logit", "psnn5", "psnn10", "p_nbmin", "p_nbmax"];

/// Number of stage-1 inputs: the features, their twins, and the flag itself.
pub const N1: usize = 2 * STAGE1.len() + 1;
/// Number of stage-2 inputs: the stage-1 inputs, then the extra features and their twins.
pub const N2: usize = N1 + 2 * STAGE2_EXTRA.len();

/// Names of the stage-1 inputs, in order.
pub fn stage1_names() -> Vec<String> {
    let mut v: Vec<String> = STAGE1.iter().map(|s| s.to_string()).collect();
    v.extend(STAGE1.iter().map(|s| format!("{s}*hb")));
    v.push("hasbody".to_string());
    v
}

/// Names of the stage-2 inputs, in order.
pub fn stage2_names() -> Vec<String> {
    let mut v = stage1_names();
    v.extend(STAGE2_EXTRA.iter().map(|s| s.to_string()));
    v.extend(STAGE2_EXTRA.iter().map(|s| format!("{s}*hb")));
    v
}

/// A fitted logistic regression on raw (unstandardised) inputs.
#[derive(Clone, Debug, PartialEq)]
pub struct Logistic {
    /// Intercept.
    pub bias: f64,
    /// One weight per input.
    pub weights: Vec<f64>,
}

impl Logistic {
    /// The log-odds for inputs `x`.
    #[inline]
    pub fn logit(&self, x: &[f64]) -> f64 {
        self.bias + self.weights.iter().zip(x).map(|(w, v)| w * v).sum::<f64>()
    }

    /// The probability for inputs `x`.
    #[inline]
    pub fn prob(&self, x: &[f64]) -> f64 {
        sigmoid(self.logit(x))
    }
}

/// The logistic function, with the log-odds clamped to ±30.
#[inline]
pub fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z.clamp(-30.0, 30.0)).exp())
}

/// Both stages and the linkage threshold.
#[derive(Clone, Debug, PartialEq)]
pub struct StoryModel {
    /// Stage 1, over [`stage1_names`].
    pub stage1: Logistic,
    /// Stage 2, over [`stage2_names`].
    pub stage2: Logistic,
    /// Average stage-2 probability needed to merge two groups.
    pub threshold: f64,
}

impl StoryModel {
    /// The compiled-in model.
    pub fn builtin() -> &'static StoryModel {
        static MODEL: Lazy<StoryModel> = Lazy::new(|| {
            StoryModel::parse(include_str!("../lexicon/story_model.tsv"))
                .expect("src/lexicon/story_model.tsv is checked by the tests")
        });
        &MODEL
    }

    /// Reads the weight file: `#` comments, a `threshold<TAB>value` line, and
    /// `stage<TAB>feature<TAB>weight` lines (stage `1` or `2`, feature `bias` or an input
    /// name), every input of both stages present once.
    pub fn parse(text: &str) -> Result<StoryModel> {
        let bad = |line: usize, what: &str| Error::Config(format!("story model line {line}: {what}"));
        let names1 = stage1_names();
        let names2 = stage2_names();
        let mut w1: Vec<Option<f64>> = vec![None; N1 + 1];
        let mut w2: Vec<Option<f64>> = vec![None; N2 + 1];
        let mut threshold = None;
        for (k, line) in text.lines().enumerate() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            match cols.as_slice() {
                ["threshold", v] => threshold = Some(v.parse::<f64>().map_err(|_| bad(k + 1, "bad number"))?),
                [stage, name, v] => {
                    let v: f64 = v.parse().map_err(|_| bad(k + 1, "bad number"))?;
                    let (names, slots) = match *stage {
                        "1" => (&names1, &mut w1),
                        "2" => (&names2, &mut w2),
                        _ => return Err(bad(k + 1, "stage must be 1 or 2")),
                    };
                    let at = if *name == "bias" {
                        names.len()
                    } else {
                        names
                            .iter()
                            .position(|n| n == name)
                            .ok_or_else(|| bad(k + 1, &format!("unknown feature {name:?}")))?
                    };
                    if slots[at].replace(v).is_some() {
                        return Err(bad(k + 1, &format!("{name:?} given twice")));
                    }
                }
                _ => return Err(bad(k + 1, "expected stage, feature and weight")),
            }
        }
        let take = |slots: Vec<Option<f64>>, names: &[String], stage: u8| -> Result<Logistic> {
            let mut v = Vec::with_capacity(slots.len());
            for (i, s) in slots.into_iter().enumerate() {
                let name = names.get(i).map_or("bias", String::as_str);
                v.push(s.ok_or_else(|| Error::Config(format!("story model: stage {stage} lacks {name:?}")))?);
            }
            let bias = v.pop().unwrap_or(0.0);
            Ok(Logistic { bias, weights: v })
        };
        Ok(StoryModel {
            stage1: take(w1, &names1, 1)?,
            stage2: take(w2, &names2, 2)?,
            threshold: threshold.ok_or_else(|| Error::Config("story model: no threshold line".into()))?,
        })
    }

    /// Writes the weight file, with `comments` as `#` lines at the top.
    pub fn to_tsv(&self, comments: &[String]) -> String {
        let mut s = String::new();
        for c in comments {
            s.push_str("# ");
            s.push_str(c);
            s.push('\n');
        }
        s.push_str(&format!("threshold\t{}\n", self.threshold));
        for (stage, model, names) in [(1, &self.stage1, stage1_names()), (2, &self.stage2, stage2_names())] {
            s.push_str(&format!("{stage}\tbias\t{}\n", model.bias));
            for (n, w) in names.iter().zip(&model.weights) {
                s.push_str(&format!("{stage}\t{n}\t{w}\n"));
            }
        }
        s
    }
}

/// Rows per chunk of the parallel sums (fixed, so results do not depend on threads).
const CHUNK: usize = 1024;

/// Fits an L2-regularised logistic regression (the penalty is `|w|²/2`, the data term `c`
/// times the log-loss, the intercept unpenalised) on standardised inputs, and returns the
/// weights on raw inputs. `x` holds `y.len()` rows of `d` values, row after row.
pub fn fit(x: &[f64], d: usize, y: &[bool], c: f64) -> Logistic {
    let n = y.len();
    assert_eq!(x.len(), n * d, "x must hold n rows of d values");
    if n == 0 {
        return Logistic {
            bias: 0.0,
            weights: vec![0.0; d],
        };
    }
    // Standardisation.
    let mut mu = vec![0.0; d];
    for row in x.chunks_exact(d) {
        for (m, v) in mu.iter_mut().zip(row) {
            *m += v;
        }
    }
    mu.iter_mut().for_each(|m| *m /= n as f64);
    let mut sd = vec![0.0; d];
    for row in x.chunks_exact(d) {
        for k in 0..d {
            sd[k] += (row[k] - mu[k]).powi(2);
        }
    }
    for s in &mut sd {
        *s = (*s / n as f64).sqrt();
        if *s < 1e-12 {
            *s = 1.0;
        }
    }
    let p = d + 1;
    let mut theta = vec![0.0; p];
    let std_row = |row: &[f64], out: &mut [f64]| {
        for k in 0..d {
            out[k] = (row[k] - mu[k]) / sd[k];
        }
        out[d] = 1.0;
    };
    let objective = |theta: &[f64]| -> f64 {
        let parts: Vec<f64> = x
            .par_chunks(CHUNK * d)
            .zip(y.par_chunks(CHUNK))
            .map(|(xs, ys)| {
                let mut z = vec![0.0; p];
                let mut loss = 0.0;
                for (row, &yi) in xs.chunks_exact(d).zip(ys) {
                    std_row(row, &mut z);
                    let s: f64 = z.iter().zip(theta).map(|(a, b)| a * b).sum();
                    loss += softplus(s) - if yi { s } else { 0.0 };
                }
                loss
            })
            .collect();
        c * parts.iter().sum::<f64>() + 0.5 * theta[..d].iter().map(|w| w * w).sum::<f64>()
    };
    let mut f = objective(&theta);
    for _ in 0..100 {
        // Gradient and Hessian, chunk by chunk.
        let parts: Vec<(Vec<f64>, Vec<f64>)> = x
            .par_chunks(CHUNK * d)
            .zip(y.par_chunks(CHUNK))
            .map(|(xs, ys)| {
                let mut z = vec![0.0; p];
                let mut g = vec![0.0; p];
                let mut h = vec![0.0; p * p];
                for (row, &yi) in xs.chunks_exact(d).zip(ys) {
                    std_row(row, &mut z);
                    let s: f64 = z.iter().zip(&theta).map(|(a, b)| a * b).sum();
                    let pr = sigmoid_exact(s);
                    let r = pr - if yi { 1.0 } else { 0.0 };
                    let wgt = pr * (1.0 - pr);
                    for a in 0..p {
                        g[a] += r * z[a];
                        let za = wgt * z[a];
                        for b in 0..=a {
                            h[a * p + b] += za * z[b];
                        }
                    }
                }
                (g, h)
            })
            .collect();
        let mut g = vec![0.0; p];
        let mut h = vec![0.0; p * p];
        for (pg, ph) in parts {
            for a in 0..p {
                g[a] += c * pg[a];
            }
            for (t, v) in h.iter_mut().zip(ph) {
                *t += c * v;
            }
        }
        for a in 0..p {
            for b in 0..a {
                h[b * p + a] = h[a * p + b];
            }
        }
        for k in 0..d {
            g[k] += theta[k];
            h[k * p + k] += 1.0;
        }
        h[d * p + d] += 1e-9;
        let Some(step) = cholesky_solve(&h, &g, p) else {
            break;
        };
        // Damped step: halve until the objective does not rise.
        let mut t = 1.0;
        let mut next = theta.clone();
        let mut f_next = f;
        for _ in 0..40 {
            for k in 0..p {
                next[k] = theta[k] - t * step[k];
            }
            f_next = objective(&next);
            if f_next <= f {
                break;
            }
            t *= 0.5;
        }
        if f_next > f {
            break;
        }
        let moved = step.iter().map(|s| (t * s).abs()).fold(0.0, f64::max);
        let gained = f - f_next;
        theta = next;
        f = f_next;
        if moved < 1e-9 || gained <= 1e-12 * f.abs().max(1.0) {
            break;
        }
    }
    let weights: Vec<f64> = (0..d).map(|k| theta[k] / sd[k]).collect();
    let bias = theta[d] - (0..d).map(|k| theta[k] * mu[k] / sd[k]).sum::<f64>();
    Logistic { bias, weights }
}

#[inline]
fn sigmoid_exact(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

#[inline]
fn softplus(z: f64) -> f64 {
    if z > 0.0 {
        z + (-z).exp().ln_1p()
    } else {
        z.exp().ln_1p()
    }
}

/// Solves `h x = g` for a symmetric positive definite `h` (`p`×`p`, row-major).
fn cholesky_solve(h: &[f64], g: &[f64], p: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; p * p];
    for i in 0..p {
        for j in 0..=i {
            let mut s = h[i * p + j];
            for k in 0..j {
                s -= l[i * p + k] * l[j * p + k];
            }
            if i == j {
                if s <= 0.0 {
                    return None;
                }
                l[i * p + i] = s.sqrt();
            } else {
                l[i * p + j] = s / l[j * p + j];
            }
        }
    }
    let mut z = vec![0.0; p];
    for i in 0..p {
        let mut s = g[i];
        for k in 0..i {
            s -= l[i * p + k] * z[k];
        }
        z[i] = s / l[i * p + i];
    }
    let mut out = vec![0.0; p];
    for i in (0..p).rev() {
        let mut s = z[i];
        for k in i + 1..p {
            s -= l[k * p + i] * out[k];
        }
        out[i] = s / l[i * p + i];
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_model_parses_and_round_trips() {
        let m = StoryModel::builtin();
        assert_eq!(m.stage1.weights.len(), N1);
        assert_eq!(m.stage2.weights.len(), N2);
        let again = StoryModel::parse(&m.to_tsv(&["test".into()])).unwrap();
        assert_eq!(&again, m);
    }

    #[test]
    fn parse_rejects_unknown_and_missing_features() {
        assert!(StoryModel::parse("threshold\t0.4\n1\tnope\t1.0\n").is_err());
        assert!(StoryModel::parse("threshold\t0.4\n1\tbias\t1.0\n").is_err());
    }

    #[test]
    fn fit_separates_a_tiny_separable_problem() {
        // One informative feature (sign decides), one constant, one noise column.
        let rows: Vec<([f64; 3], bool)> = (0..40)
            .map(|i| {
                let v = (i as f64 - 19.5) / 4.0;
                ([v, 2.0, ((i * 7) % 5) as f64], v > 0.0)
            })
            .collect();
        let x: Vec<f64> = rows.iter().flat_map(|(r, _)| r.iter().copied()).collect();
        let y: Vec<bool> = rows.iter().map(|(_, l)| *l).collect();
        let m = fit(&x, 3, &y, 10.0);
        for (r, l) in &rows {
            assert_eq!(m.prob(r) > 0.5, *l, "{r:?}");
        }
        assert!(m.weights[0] > 1.0);
        assert!(m.weights.iter().all(|w| w.is_finite()) && m.bias.is_finite());
        // The constant column gets no weight; the fit is reproducible.
        assert_eq!(m.weights[1], 0.0);
        assert_eq!(fit(&x, 3, &y, 10.0), m);
    }

    #[test]
    fn stronger_penalty_shrinks_weights() {
        let x: Vec<f64> = (0..20).map(|i| i as f64).collect();
        let y: Vec<bool> = (0..20).map(|i| i >= 10).collect();
        let loose = fit(&x, 1, &y, 10.0);
        let tight = fit(&x, 1, &y, 0.01);
        assert!(tight.weights[0].abs() < loose.weights[0].abs());
    }
}

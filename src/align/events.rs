//! Events: claims about the same happening.
//!
//! Blocking: claims are compared only inside their (story, event type) block, and there
//! joined when they share their anchor entity (where it happened, else to whom, else who
//! did it; for claims that name no event type, a place, person or body rather than a
//! whole country) or, lacking one, enough content words. A story's headlines that name
//! no event type join the story's central event: the event most of its headlines make.
//! Claims of different stories meet on a specific anchor only within [`MAX_DAYS_APART`]
//! days, or, undated, when they also share some words. The cost is the sum of squared
//! block sizes, bounded by [`MAX_BLOCK`] per block.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

/// Blocks larger than this are compared within a sliding window of their sorted members.
pub const MAX_BLOCK: usize = 512;

/// What alignment needs to know about a claim.
#[derive(Clone, Debug)]
pub struct EventInput<'a> {
    /// Story of the claim's article.
    pub story: u32,
    /// Event type ("other" when none).
    pub event_type: &'a str,
    /// The entity the event is anchored on.
    pub anchor: Option<u32>,
    /// Every entity in the claim's content.
    pub entities: &'a [u32],
    /// Content-word hashes.
    pub terms: &'a [u64],
    /// True for a headline claim.
    pub headline: bool,
    /// The anchor names one specific thing (a region, city, person or organization), not
    /// a whole country: then the event is looked for across stories.
    pub specific: bool,
    /// Publication day of the claim's article (days since 1970), when known.
    pub day: Option<i32>,
}

/// Claims about one specific thing are the same event only within this many days.
pub const MAX_DAYS_APART: i32 = 10;

/// Share of content words two undated claims of different stories need to be one event.
const CROSS_STORY_OVERLAP: f32 = 0.2;

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
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.0[hi as usize] = lo;
        }
    }
}

fn overlap(a: &[u64], b: &[u64]) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let shared = a.iter().filter(|x| b.contains(x)).count();
    shared as f32 / a.len().min(b.len()) as f32
}

fn compatible(a: &EventInput, b: &EventInput) -> bool {
    if a.story != b.story {
        match (a.day, b.day) {
            (Some(x), Some(y)) if (x - y).abs() > MAX_DAYS_APART => return false,
            (Some(_), Some(_)) => {}
            // Undated claims of two stories may be months apart: sharing an anchor
            // ("arrest" of someone tied to one group) is not enough without words.
            _ if overlap(a.terms, b.terms) < CROSS_STORY_OVERLAP => return false,
            _ => {}
        }
    }
    match (a.anchor, b.anchor) {
        // Untyped claims anchored on a whole country ("Iran has been told", "officials
        // said the fleet was routine") tell of anything that happens there.
        (Some(x), Some(y)) if x == y && (a.event_type != "other" || (a.specific && b.specific)) => return true,
        _ => {}
    }
    // Claims that name no event type meet only on a specific anchor (above): sharing a
    // name or a few words is too weak, and chains unrelated sentences of a long story
    // together.
    if a.event_type == "other" {
        return false;
    }
    if a.entities.iter().any(|e| b.entities.contains(e))
        && (a.anchor.is_none() || b.anchor.is_none() || a.headline || b.headline)
    {
        return true;
    }
    a.anchor.is_none() && b.anchor.is_none() && overlap(a.terms, b.terms) >= 0.5
}

/// Terms that at least 40% of a story's headlines use, or `None` for a story too small
/// to tell (fewer than three headlines: all are taken as on topic).
fn core_terms(claims: &[EventInput], heads: &[u32]) -> Option<Vec<u64>> {
    if heads.len() < 3 {
        return None;
    }
    let mut df: FxHashMap<u64, u32> = FxHashMap::default();
    for &h in heads {
        for &t in claims[h as usize].terms {
            *df.entry(t).or_default() += 1;
        }
    }
    let need = (heads.len() as u32 * 2).div_ceil(5);
    let mut core: Vec<u64> = df.into_iter().filter(|&(_, n)| n >= need).map(|(t, _)| t).collect();
    core.sort_unstable();
    Some(core)
}

/// Assigns an event to every claim; returns the event index per claim. Events are
/// numbered in order of their first claim.
pub fn group(claims: &[EventInput]) -> Vec<u32> {
    let n = claims.len();
    let mut uf = UnionFind((0..n as u32).collect());
    // Blocks: (story, type) → claims; a typed claim anchored on one specific thing is
    // also blocked on (type, anchor) across stories, so reports of one happening meet
    // even when story grouping kept them apart. Headline claims without a type are
    // handled below.
    let mut blocks: BTreeMap<(u32, &str, u32), Vec<u32>> = BTreeMap::new();
    for (i, c) in claims.iter().enumerate() {
        if c.event_type == "other" && c.headline {
            continue;
        }
        if let (Some(a), true) = (c.anchor, c.specific && c.event_type != "other") {
            blocks.entry((u32::MAX, c.event_type, a)).or_default().push(i as u32);
            // Headlines keep their story block too, so the story's central event can
            // gather them.
            if !c.headline {
                continue;
            }
        }
        blocks
            .entry((c.story, c.event_type, u32::MAX))
            .or_default()
            .push(i as u32);
    }
    for members in blocks.values() {
        let window = if members.len() > MAX_BLOCK { 64 } else { members.len() };
        for (k, &a) in members.iter().enumerate() {
            for &b in members.iter().skip(k + 1).take(window) {
                if compatible(&claims[a as usize], &claims[b as usize]) {
                    uf.union(a, b);
                }
            }
        }
    }
    // Central event of each story: the event with the most headline claims; untyped
    // headlines join it, and typed headlines join it when it is itself untyped.
    let mut headlines_by_story: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for (i, c) in claims.iter().enumerate() {
        if c.headline {
            headlines_by_story.entry(c.story).or_default().push(i as u32);
        }
    }
    for heads in headlines_by_story.values() {
        // The story's core words: those most of its headlines share. A headline takes part
        // in the central event only when it uses one of them, so a broad topical story
        // (many different happenings under one theme) has no single central claim.
        let core = core_terms(claims, heads);
        let on_topic = |h: u32| {
            core.is_none()
                || claims[h as usize]
                    .terms
                    .iter()
                    .any(|t| core.as_ref().is_some_and(|c| c.contains(t)))
        };
        let untyped: Vec<u32> = heads
            .iter()
            .copied()
            .filter(|&h| claims[h as usize].event_type == "other" && on_topic(h))
            .collect();
        let mut typed_count: FxHashMap<u32, u32> = FxHashMap::default();
        for &h in heads {
            if claims[h as usize].event_type != "other" {
                *typed_count.entry(uf.find(h)).or_default() += 1;
            }
        }
        let best_typed = typed_count
            .iter()
            .max_by_key(|(root, count)| (**count, std::cmp::Reverse(**root)))
            .map(|(r, c)| (*r, *c));
        match best_typed {
            Some((root, count)) if count as usize >= untyped.len() => {
                for &h in &untyped {
                    uf.union(root, h);
                }
            }
            _ => {
                // The central event is untyped: the on-topic headlines of the story make it.
                if let Some(&first) = untyped.first() {
                    for &h in heads {
                        if on_topic(h) {
                            uf.union(first, h);
                        }
                    }
                }
            }
        }
    }
    let mut label: FxHashMap<u32, u32> = FxHashMap::default();
    (0..n as u32)
        .map(|i| {
            let r = uf.find(i);
            let next = label.len() as u32;
            *label.entry(r).or_insert(next)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c<'a>(story: u32, t: &'a str, anchor: Option<u32>, ents: &'a [u32], headline: bool) -> EventInput<'a> {
        EventInput {
            story,
            event_type: t,
            anchor,
            entities: ents,
            terms: &[7],
            headline,
            specific: false,
            day: None,
        }
    }

    #[test]
    fn typed_claims_join_on_anchor_within_story() {
        let claims = vec![
            c(0, "take_control", Some(1), &[1, 2], false),
            c(0, "take_control", Some(1), &[1], false),
            c(0, "deploy", Some(3), &[3], false),
            c(1, "take_control", Some(1), &[1], false),
            c(0, "take_control", Some(9), &[9], false),
        ];
        let ev = group(&claims);
        assert_eq!(ev[0], ev[1]);
        assert_ne!(ev[0], ev[2]);
        assert_ne!(ev[0], ev[3]);
        assert_ne!(ev[0], ev[4]);
    }

    #[test]
    fn undated_reports_of_two_stories_need_words_as_well_as_an_anchor() {
        let specific = |story: u32, terms: &'static [u64], day: Option<i32>| EventInput {
            specific: true,
            terms,
            day,
            ..c(story, "arrest", Some(4), &[4], false)
        };
        // Undated, sharing only the anchor: two arrests tied to one group, months apart
        // for all anyone can tell.
        let ev = group(&[specific(0, &[1, 2, 3, 4], None), specific(1, &[5, 6, 7, 8], None)]);
        assert_ne!(ev[0], ev[1]);
        // Undated but retelling the same words: one arrest.
        let ev = group(&[specific(0, &[1, 2, 3, 4], None), specific(1, &[1, 2, 7, 8], None)]);
        assert_eq!(ev[0], ev[1]);
        // Dated days apart: the anchor is enough.
        let ev = group(&[
            specific(0, &[1, 2, 3, 4], Some(100)),
            specific(1, &[5, 6, 7, 8], Some(103)),
        ]);
        assert_eq!(ev[0], ev[1]);
        // Dated weeks apart: two arrests, whatever the words.
        let ev = group(&[
            specific(0, &[1, 2, 3, 4], Some(100)),
            specific(1, &[1, 2, 3, 4], Some(130)),
        ]);
        assert_ne!(ev[0], ev[1]);
    }

    #[test]
    fn untyped_claims_meet_on_a_specific_anchor_not_a_whole_country() {
        // Anchored on a country: "Iran has been told", "Iran said the reports were baseless".
        let country = c(0, "other", Some(3), &[3], false);
        let ev = group(&[country.clone(), country]);
        assert_ne!(ev[0], ev[1]);
        // Anchored on one town, or typed: one happening.
        let town = EventInput {
            specific: true,
            ..c(0, "other", Some(4), &[4], false)
        };
        let ev = group(&[town.clone(), town]);
        assert_eq!(ev[0], ev[1]);
        let typed = c(0, "attack", Some(3), &[], false);
        let ev = group(&[typed.clone(), typed]);
        assert_eq!(ev[0], ev[1]);
    }

    #[test]
    fn off_topic_headlines_stay_out_of_the_central_event() {
        let mut claims = vec![
            c(0, "other", None, &[], true),
            c(0, "other", None, &[], true),
            c(0, "other", None, &[], true),
            c(0, "other", None, &[], true),
        ];
        claims[3].terms = &[99];
        let ev = group(&claims);
        assert_eq!(ev[0], ev[1]);
        assert_eq!(ev[0], ev[2]);
        assert_ne!(ev[0], ev[3]);
    }

    #[test]
    fn untyped_headlines_join_the_central_event() {
        let claims = vec![
            c(0, "arrest", Some(5), &[5], true),
            c(0, "other", None, &[5], true),
            c(0, "arrest", Some(5), &[5], true),
            c(0, "release", Some(5), &[5], true),
        ];
        let ev = group(&claims);
        assert_eq!(ev[0], ev[1]);
        assert_eq!(ev[0], ev[2]);
        assert_ne!(ev[0], ev[3]);
        let all_other = vec![
            c(0, "other", None, &[], true),
            c(0, "other", None, &[], true),
            c(0, "kill", Some(2), &[2], true),
        ];
        let ev = group(&all_other);
        assert!(ev.iter().all(|&e| e == ev[0]));
    }
}

use aho_corasick::{AhoCorasickBuilder, MatchKind, AhoCorasickKind};
use std::time::Instant;
fn main() {
    let text = include_str!("../src/lexicon/gazetteer.tsv");
    let mut names: Vec<String> = Vec::new();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let ni = header.iter().position(|h| *h == "names").unwrap();
    let di = header.iter().position(|h| *h == "demonyms").unwrap();
    for l in lines { let c: Vec<&str> = l.split('\t').collect(); for n in c[ni].split('|').chain(c[di].split('|')) { if n.len() > 1 { names.push(n.to_string()); } } }
    names.sort(); names.dedup();
    println!("{} patterns", names.len());
    for (ci, kind) in [(true, None), (false, None), (true, Some(AhoCorasickKind::NoncontiguousNFA)), (true, Some(AhoCorasickKind::ContiguousNFA)), (true, Some(AhoCorasickKind::DFA))] {
        let t = Instant::now();
        let ac = AhoCorasickBuilder::new().match_kind(MatchKind::LeftmostLongest).ascii_case_insensitive(ci).kind(kind).build(&names).unwrap();
        let b = t.elapsed();
        let corpus = std::fs::read_to_string("../shared/data/news31k/articles.jsonl").unwrap();
        let t = Instant::now();
        let n = ac.find_iter(&corpus).count();
        let s = t.elapsed();
        println!("ci={ci} kind={:?} build {:?} scan {:?} ({:.0} MB/s) matches {n} mem {}", ac.kind(), b, s, corpus.len() as f64/1e6/s.as_secs_f64(), ac.memory_usage());
    }
}

//! The whole pipeline on the seed article and the demo corpus: expected conflicts,
//! agreement kept quiet, and identical output whatever the thread count.

use std::collections::BTreeSet;
use std::fs;

use crate::util::{root, rows, run_ok, shared_data, tmp};

#[test]
fn seed_reports_russia_against_ukraine_on_kursk() {
    let Some(data) = shared_data() else { return };
    let dir = tmp();
    run_ok(&[&data.join("seed/kursk-2025-04-28.txt")], dir.path(), &[]);
    let conflicts = rows(&dir.path().join("conflicts.csv"));
    let russian = |s: &str| {
        ["putin", "russia", "kremlin", "moscow", "gerasimov"]
            .iter()
            .any(|k| s.to_lowercase().contains(k))
    };
    let ukrainian = |s: &str| {
        ["ukrain", "kyiv", "kiev", "zelensk"]
            .iter()
            .any(|k| s.to_lowercase().contains(k))
    };
    let hit = conflicts.iter().find(|r| {
        r["kind"] == "denial"
            && ((russian(&r["a_claimer"]) && ukrainian(&r["b_claimer"]))
                || (ukrainian(&r["a_claimer"]) && russian(&r["b_claimer"])))
            && format!("{} {}", r["a_text"], r["b_text"]).contains("Kursk")
    });
    assert!(
        hit.is_some(),
        "no Russia-vs-Ukraine denial about Kursk in {conflicts:#?}"
    );
    // North Korea, Russia and the US agree with each other: no conflict between them.
    for r in &conflicts {
        let sides = [&r["a_claimer"], &r["b_claimer"]];
        assert!(sides.iter().any(|s| ukrainian(s)), "conflict without Ukraine: {r:#?}");
    }
    // The denial is linked to the claim it denies.
    let claims = rows(&dir.path().join("claims.csv"));
    let denial = claims
        .iter()
        .find(|c| c["text"] == "Ukraine has denied the claim.")
        .expect("the denial is a claim");
    assert_eq!(denial["polarity"], "deny");
    let target = claims
        .iter()
        .find(|c| c["claim_id"] == denial["refers_to"])
        .expect("linked claim");
    assert!(target["text"].starts_with("Putin has claimed"), "{target:#?}");
}

/// Unordered article pairs of conflicts.csv, with their kinds.
fn flagged(dir: &std::path::Path) -> BTreeSet<(String, String, String)> {
    rows(&dir.join("conflicts.csv"))
        .into_iter()
        .filter(|r| r["a_article_id"] != r["b_article_id"])
        .map(|r| {
            let (a, b) = (r["a_article_id"].clone(), r["b_article_id"].clone());
            let (a, b) = if a <= b { (a, b) } else { (b, a) };
            (a, b, r["kind"].clone())
        })
        .collect()
}

/// Runs the pipeline on one JSON Lines file of `articles`, and returns the output folder.
fn run_articles(articles: &[String]) -> tempfile::TempDir {
    let (dir, out) = (tmp(), tmp());
    let input = dir.path().join("articles.jsonl");
    fs::write(&input, articles.join("\n") + "\n").unwrap();
    run_ok(&[&input], out.path(), &[]);
    out
}

/// The article pairs flagged, whatever the kind.
fn flagged_pairs(dir: &std::path::Path) -> BTreeSet<(String, String)> {
    flagged(dir).into_iter().map(|(a, b, _)| (a, b)).collect()
}

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_string(), b.to_string())
}

#[test]
fn figures_about_two_places_in_one_story_do_not_conflict() {
    // One story (the same wording) about two dams: the figures of the two reports on
    // Orlevo disagree; those on Tersk are about another happening.
    let article = |id: &str, source: &str, day: &str, place: &str, dead: u32, who: &str| {
        format!(
            r#"{{"id":"{id}","source":"{source}","published":"{day}","title":"Dam collapse near {place} kills {dead}","body":"{dead} people were killed when the {place} dam collapsed on Monday, {who} said. Rescue teams searched the river banks through the night and roads to the valley stayed closed."}}"#
        )
    };
    let corpus = [
        article("d1", "Valley Courier", "2025-03-03", "Orlevo", 5, "police"),
        article("d2", "River Gazette", "2025-03-03", "Orlevo", 60, "a local official"),
        article("d3", "Plains Herald", "2025-03-04", "Tersk", 40, "officials"),
    ];
    let out = run_articles(&corpus);
    let stories: BTreeSet<String> = rows(&out.path().join("articles.csv"))
        .into_iter()
        .map(|r| r["story_id"].clone())
        .collect();
    assert_eq!(stories.len(), 1, "the three reports should make one story");
    let numeric = |a: &str, b: &str| (a.to_string(), b.to_string(), "numeric".to_string());
    let found = flagged(out.path());
    assert!(found.contains(&numeric("d1", "d2")), "{found:?}");
    assert!(!found.contains(&numeric("d1", "d3")), "{found:?}");
    assert!(!found.contains(&numeric("d2", "d3")), "{found:?}");
}

#[test]
fn headlines_about_different_people_do_not_conflict() {
    // One story (the same wording) about two founders: the denial from Harlow Mining
    // answers the report of its own founder's arrest, not the one from Quell Mining.
    let article = |id: &str, source: &str, title: &str| {
        format!(
            r#"{{"id":"{id}","source":"{source}","published":"2025-05-12","title":"{title}","body":"The mining group's founder was questioned for several hours on Monday about contracts signed last year, according to people familiar with the case. The company's shares fell sharply in early trading."}}"#
        )
    };
    let corpus = [
        article(
            "f1",
            "Valley Courier",
            "Police arrest Harlow Mining founder Edda Varnholt",
        ),
        article(
            "f2",
            "Harlow Mining",
            "Harlow Mining says founder Edda Varnholt was not arrested",
        ),
        article(
            "f3",
            "Quell Mining",
            "Quell Mining says founder Tomas Bricknell was not arrested",
        ),
    ];
    let out = run_articles(&corpus);
    let stories: BTreeSet<String> = rows(&out.path().join("articles.csv"))
        .into_iter()
        .map(|r| r["story_id"].clone())
        .collect();
    assert_eq!(stories.len(), 1, "the three reports should make one story");
    let pairs = flagged_pairs(out.path());
    assert!(pairs.contains(&pair("f1", "f2")), "{pairs:?}");
    assert!(!pairs.contains(&pair("f1", "f3")), "{pairs:?}");
}

#[test]
fn doubt_in_a_body_sentence_is_no_denial() {
    // One story about a dam: engineers doubting the date is an opinion, union leaders
    // denying it is a denial.
    let article = |id: &str, source: &str, day: &str, title: &str, sentence: &str| {
        format!(
            r#"{{"id":"{id}","source":"{source}","published":"{day}","title":"{title}","body":"Works on the Orlevo dam entered their final phase this week. {sentence} The reservoir will supply three towns."}}"#
        )
    };
    let corpus = [
        article(
            "w1",
            "Valley Courier",
            "2025-03-03",
            "Orlevo dam works enter final phase",
            "The ministry said the Orlevo dam would be finished by June.",
        ),
        article(
            "w2",
            "River Gazette",
            "2025-03-04",
            "Orlevo dam works enter last phase",
            "Engineers doubted that the Orlevo dam would be finished by June.",
        ),
        article(
            "w3",
            "Plains Herald",
            "2025-03-05",
            "Orlevo dam works in final phase",
            "Union leaders denied that the Orlevo dam would be finished by June.",
        ),
    ];
    let out = run_articles(&corpus);
    let pairs = flagged_pairs(out.path());
    assert!(pairs.contains(&pair("w1", "w3")), "{pairs:?}");
    assert!(!pairs.contains(&pair("w1", "w2")), "{pairs:?}");
}

#[test]
fn a_reversal_says_the_same_thing_the_other_way() {
    // One minister on three days: "not planning a boycott", then "planning a boycott"
    // reverses it; "proud of its team" is another matter.
    let body = "The Harbour Games open in Vienna next month with teams from twelve nations. Sports Minister Jon Arvid spoke to reporters in Orland after a cabinet meeting.";
    let article = |id: &str, source: &str, day: &str, title: &str| {
        format!(r#"{{"id":"{id}","source":"{source}","published":"{day}","title":"{title}","body":"{body}"}}"#)
    };
    let corpus = [
        article(
            "r1",
            "Valley Courier",
            "2025-03-03",
            "Arvid says Orland is not planning a boycott of the Harbour Games",
        ),
        article(
            "r2",
            "River Gazette",
            "2025-03-09",
            "Arvid says Orland is proud of its team",
        ),
        article(
            "r3",
            "Plains Herald",
            "2025-03-12",
            "Arvid says Orland is planning a boycott of the Harbour Games",
        ),
    ];
    let out = run_articles(&corpus);
    let found = flagged(out.path());
    let reversal = |a: &str, b: &str| (a.to_string(), b.to_string(), "reversal".to_string());
    assert!(found.contains(&reversal("r1", "r3")), "{found:?}");
    assert!(!found.contains(&reversal("r1", "r2")), "{found:?}");
}

#[test]
fn demo_corpus_finds_the_planted_conflicts() {
    let dir = tmp();
    run_ok(&[&root().join("corpus/articles")], dir.path(), &[]);
    let found = flagged(dir.path());
    let pair_found = |a: &str, b: &str| found.iter().any(|(x, y, _)| (x == a && y == b) || (x == b && y == a));
    let gold = rows(&root().join("corpus/gold/gold.csv"));
    let allowed = rows(&root().join("corpus/gold/allowed.csv"));
    let agree = rows(&root().join("corpus/gold/agree.csv"));
    let missed: Vec<String> = gold
        .iter()
        .filter(|g| !pair_found(&g["a_article_id"], &g["b_article_id"]))
        .map(|g| format!("{} {}-{}", g["kind"], g["a_article_id"], g["b_article_id"]))
        .collect();
    let listed = |a: &str, b: &str, rows: &[std::collections::HashMap<String, String>]| {
        rows.iter().any(|g| {
            (g["a_article_id"] == a && g["b_article_id"] == b) || (g["a_article_id"] == b && g["b_article_id"] == a)
        })
    };
    let false_flags: Vec<String> = found
        .iter()
        .filter(|(a, b, _)| !listed(a, b, &gold) && !listed(a, b, &allowed))
        .map(|(a, b, k)| format!("{k} {a}-{b}"))
        .collect();
    let agreeing_flagged: Vec<String> = found
        .iter()
        .filter(|(a, b, _)| listed(a, b, &agree))
        .map(|(a, b, k)| format!("{k} {a}-{b}"))
        .collect();
    assert!(missed.is_empty(), "missed: {missed:#?}");
    let wrong_kind: Vec<String> = gold
        .iter()
        .filter(|g| {
            !found.iter().any(|(x, y, k)| {
                k == &g["kind"]
                    && ((x == &g["a_article_id"] && y == &g["b_article_id"])
                        || (x == &g["b_article_id"] && y == &g["a_article_id"]))
            })
        })
        .map(|g| format!("{} {}-{}", g["kind"], g["a_article_id"], g["b_article_id"]))
        .collect();
    assert!(wrong_kind.is_empty(), "found with another kind: {wrong_kind:#?}");
    assert!(false_flags.is_empty(), "false flags: {false_flags:#?}");
    assert!(
        agreeing_flagged.is_empty(),
        "pairs that agree were flagged: {agreeing_flagged:#?}"
    );
}

#[test]
fn demo_story_groups_match_gold() {
    let dir = tmp();
    run_ok(&[&root().join("corpus/articles")], dir.path(), &[]);
    let articles = rows(&dir.path().join("articles.csv"));
    let gold = rows(&root().join("corpus/gold/stories.csv"));
    let story_of = |id: &str| {
        articles
            .iter()
            .find(|a| a["article_id"] == id)
            .map(|a| a["story_id"].clone())
    };
    // Articles of different gold stories never share a story.
    for a in &gold {
        for b in &gold {
            if a["story"] != b["story"] {
                assert_ne!(
                    story_of(&a["article_id"]),
                    story_of(&b["article_id"]),
                    "{} and {} merged",
                    a["article_id"],
                    b["article_id"]
                );
            }
        }
    }
    assert_eq!(articles.len(), gold.len());
}

#[test]
fn output_is_identical_for_any_thread_count() {
    let one = tmp();
    let eight = tmp();
    let input = root().join("corpus/articles");
    run_ok(&[&input], one.path(), &["--threads", "1", "--jsonl"]);
    run_ok(&[&input], eight.path(), &["--threads", "8", "--jsonl"]);
    let mut names: Vec<String> = fs::read_dir(one.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 9, "{names:?}");
    for name in names {
        // summary.json records timings and the thread count: it differs by design.
        if name == "summary.json" {
            continue;
        }
        let a = fs::read(one.path().join(&name)).unwrap();
        let b = fs::read(eight.path().join(&name)).unwrap();
        assert!(a == b, "{name} differs between --threads 1 and --threads 8");
    }
}

#[test]
fn output_contract_columns_are_present() {
    let dir = tmp();
    run_ok(&[&root().join("corpus/articles")], dir.path(), &[]);
    let expect = [
        ("articles.csv", "article_id,source,published,title,story_id,n_claims"),
        ("entities.csv", "entity_id,canonical,kind,code,mentions,articles,aliases,country"),
        ("mentions.csv", "article_id,entity_id,surface,field,start,end"),
        ("claims.csv", "claim_id,article_id,source,published,claimer,claimer_entity_id,event_id,event_type,polarity,modality,quantity,time,text"),
        ("events.csv", "event_id,event_type,label,n_claims,n_articles,n_sources,n_conflicts"),
        (
            "conflicts.csv",
            "conflict_id,event_id,kind,confidence,a_claim_id,a_article_id,a_source,a_claimer,a_text,b_claim_id,b_article_id,b_source,b_claimer,b_text,explanation",
        ),
        ("rejects.csv", "file,line,reason"),
    ];
    for (file, cols) in expect {
        let text = fs::read_to_string(dir.path().join(file)).unwrap();
        let header = text.lines().next().unwrap_or("");
        assert!(
            header.starts_with(cols),
            "{file}: header {header:?} does not start with {cols:?}"
        );
    }
    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["counts"]["articles"], 49);
    assert!(summary["stages"].as_array().is_some_and(|s| !s.is_empty()));
    assert!(fs::read_to_string(dir.path().join("report.html"))
        .unwrap()
        .contains("<html"));
}

#[test]
fn mention_spans_point_at_their_surface() {
    let dir = tmp();
    let input = root().join("corpus/articles");
    run_ok(&[&input], dir.path(), &[]);
    let mentions = rows(&dir.path().join("mentions.csv"));
    let articles = rows(&dir.path().join("articles.csv"));
    // Titles are kept in articles.csv: check every title mention's byte span.
    let mut checked = 0;
    for m in mentions.iter().filter(|m| m["field"] == "title") {
        let title = &articles.iter().find(|a| a["article_id"] == m["article_id"]).unwrap()["title"];
        let (s, e): (usize, usize) = (m["start"].parse().unwrap(), m["end"].parse().unwrap());
        assert_eq!(&title[s..e], m["surface"], "{m:?}");
        checked += 1;
    }
    assert!(checked > 20, "only {checked} title mentions");
}

/// One outlet reports a resignation, a second retells that report, a third quotes the
/// man saying he stays: the conflict is between the first and the third only, since the
/// retelling is the first outlet's claim.
#[test]
fn a_retold_report_counts_once() {
    let dir = tmp();
    run_ok(&[&root().join("tests/corpora/retold")], dir.path(), &[]);
    let found = flagged(dir.path());
    let want: BTreeSet<(String, String, String)> = [("a".to_string(), "c".to_string(), "exclusive_state".to_string())]
        .into_iter()
        .collect();
    assert_eq!(found, want);
}

/// Writes one article per outlet: `(outlet, headline)`, all on one day.
fn write_headlines(dir: &std::path::Path, heads: &[(&str, &str)]) {
    for (outlet, head) in heads {
        let body = format!("{head}.\n\nThe mayor's office gave no further details on Tuesday.\n");
        write_article(dir, outlet, head, &body);
    }
}

/// Writes `outlet`'s one article, dated 2025-03-04.
fn write_article(dir: &std::path::Path, outlet: &str, title: &str, body: &str) {
    let d = dir.join(outlet);
    fs::create_dir_all(&d).unwrap();
    fs::write(
        d.join(format!("{outlet}.txt")),
        format!("{title}\n2025-03-04\n\n{body}"),
    )
    .unwrap();
}

/// Denials flagged between `outlet` and any other, after a run over `input`.
fn denials_of(input: &std::path::Path, outlet: &str) -> usize {
    let out = tmp();
    run_ok(&[input], out.path(), &[]);
    rows(&out.path().join("conflicts.csv"))
        .iter()
        .filter(|r| r["kind"] == "denial" && (r["a_source"] == outlet || r["b_source"] == outlet))
        .count()
}

/// A bare negation against a crowd of assertions is kept low as a likely misreading
/// when one or two voices make it, and flagged when three independent outlets do.
#[test]
fn a_dissent_of_several_voices_is_not_lone() {
    let asserting = [
        ("north-star", "Mayor Tomas Vrel arrested in Lisbridge"),
        ("river-gazette", "Lisbridge mayor Tomas Vrel arrested by police"),
        ("daily-lamp", "Police arrest Lisbridge mayor Tomas Vrel"),
        ("coast-herald", "Tomas Vrel, mayor of Lisbridge, arrested"),
        ("metro-wire", "Lisbridge mayor Tomas Vrel is arrested"),
        ("valley-times", "Mayor Tomas Vrel of Lisbridge arrested"),
        ("the-beacon", "Tomas Vrel arrested, Lisbridge police say"),
        ("evening-post", "Lisbridge police arrest mayor Tomas Vrel"),
        ("hill-courier", "Mayor Tomas Vrel arrested at Lisbridge city hall"),
        ("bay-journal", "Lisbridge's mayor Tomas Vrel arrested"),
        ("plain-dealer", "Mayor Tomas Vrel arrested in Lisbridge on Tuesday"),
        ("town-crier", "Lisbridge mayor Tomas Vrel arrested on Tuesday"),
        ("ridge-news", "Police in Lisbridge arrest mayor Tomas Vrel"),
        ("port-mail", "Lisbridge: mayor Tomas Vrel arrested"),
        ("lake-record", "Mayor Tomas Vrel arrested by Lisbridge police"),
    ];
    let denying = [
        ("east-bulletin", "Lisbridge mayor Tomas Vrel was not arrested"),
        ("west-observer", "Mayor Tomas Vrel was not arrested in Lisbridge"),
        ("south-ledger", "Tomas Vrel, Lisbridge mayor, was not arrested"),
    ];
    let denials_flagged = |deniers: usize| {
        let input = tmp();
        let mut heads = asserting.to_vec();
        heads.extend_from_slice(&denying[..deniers]);
        write_headlines(input.path(), &heads);
        denying[..deniers]
            .iter()
            .map(|(outlet, _)| denials_of(input.path(), outlet))
            .sum::<usize>()
    };
    assert_eq!(denials_flagged(1), 0, "a lone bare negation stays below the threshold");
    assert!(denials_flagged(3) >= 3 * 10, "three independent denials are a dissent");
}

/// Asking whether a story is a hoax casts doubt on it; a plain question takes no side.
#[test]
fn a_question_calling_the_story_a_hoax_is_a_doubt() {
    let flagged_against = |question: &str| {
        let input = tmp();
        write_headlines(
            input.path(),
            &[
                ("north-star", "Mayor Tomas Vrel arrested in Lisbridge"),
                ("river-gazette", "Lisbridge mayor Tomas Vrel arrested by police"),
                ("daily-lamp", "Police arrest Lisbridge mayor Tomas Vrel"),
                ("east-bulletin", question),
            ],
        );
        denials_of(input.path(), "east-bulletin")
    };
    assert!(flagged_against("Was the arrest of Lisbridge mayor Tomas Vrel all a hoax?") >= 3);
    assert_eq!(flagged_against("Was Lisbridge mayor Tomas Vrel arrested?"), 0);
}

/// A negation about something else is no denial: it shares no word with the claim it
/// would deny, even when both land in one event (same type, same country). The article's
/// own headline, which shares a word with it, is still compared.
#[test]
fn a_negation_sharing_no_word_denies_nothing() {
    let input = tmp();
    write_article(
        input.path(),
        "north-star",
        "Indonesian police arrest rubber traders",
        "Indonesian police arrested three rubber traders on Tuesday.\n",
    );
    write_article(
        input.path(),
        "river-gazette",
        "Indonesia rubber growers hail trade minister",
        "The trade minister praised rubber growers in Indonesia on Tuesday.\n\n\
         Customs officers never detained any rice smugglers in Indonesia last year, he added.\n",
    );
    let out = tmp();
    run_ok(&[input.path()], out.path(), &[]);
    let claims = rows(&out.path().join("claims.csv"));
    let event_of = |text: &str| {
        claims
            .iter()
            .find(|r| r["text"].starts_with(text))
            .map(|r| r["event_id"].clone())
            .unwrap_or_else(|| panic!("no claim {text:?}"))
    };
    // The premise: the arrest and the negation are one event.
    assert_eq!(event_of("Indonesian police arrest"), event_of("Customs officers never"));
    let conflicts = rows(&out.path().join("conflicts.csv"));
    let across = conflicts.iter().filter(|r| r["a_source"] != r["b_source"]).count();
    assert_eq!(across, 0, "{conflicts:?}");
    assert!(
        !conflicts.is_empty(),
        "the headline sharing 'Indonesia' is still compared"
    );
}

/// A headline that denies the story's reports speaks against every headline asserting
/// it; one that denies something else the story's people are asked about ("denies
/// budget shortfall") names what it denies and contradicts none of them.
#[test]
fn a_denial_of_something_else_does_not_call_the_story_false() {
    let input = tmp();
    let retold = "Mayor Tomas Vrel arrested in Lisbridge.\n\nThe mayor's office gave no further details on Tuesday.\n";
    write_headlines(
        input.path(),
        &[
            ("north-star", "Mayor Tomas Vrel arrested in Lisbridge"),
            ("river-gazette", "Lisbridge mayor Tomas Vrel arrested by police"),
            ("daily-lamp", "Police arrest Lisbridge mayor Tomas Vrel"),
            ("coast-herald", "Tomas Vrel, mayor of Lisbridge, arrested"),
        ],
    );
    write_article(
        input.path(),
        "east-bulletin",
        "Lisbridge police deny the reports about mayor Tomas Vrel",
        retold,
    );
    write_article(
        input.path(),
        "valley-times",
        "Lisbridge mayor Tomas Vrel denies budget shortfall",
        retold,
    );
    let out = tmp();
    run_ok(&[input.path()], out.path(), &[]);
    let claims = rows(&out.path().join("claims.csv"));
    let stories: BTreeSet<&str> = claims.iter().map(|r| r["story_id"].as_str()).collect();
    assert_eq!(stories.len(), 1, "the premise: one story");
    let conflicts = rows(&out.path().join("conflicts.csv"));
    // Denials between the outlet's headline (its claim 0) and another outlet.
    let against = |outlet: &str| {
        let headline = format!("{outlet}:0");
        conflicts
            .iter()
            .filter(|r| r["kind"] == "denial" && r["a_source"] != r["b_source"])
            .filter(|r| r["a_claim_id"] == headline || r["b_claim_id"] == headline)
            .count()
    };
    assert!(against("east-bulletin") >= 4, "{conflicts:?}");
    assert_eq!(against("valley-times"), 0, "{conflicts:?}");
}

/// An article that denies a report and retells it first ("X was arrested, websites
/// reported ... police said he was not") stands with the other deniers: its retelling is
/// not set against them. It still contradicts the outlets that assert the report.
#[test]
fn a_debunking_article_does_not_contradict_other_debunkers() {
    let input = tmp();
    write_article(
        input.path(),
        "north-star",
        "Mayor Tomas Vrel arrested in Lisbridge",
        "Mayor Tomas Vrel arrested in Lisbridge.\n\nThe mayor's office gave no further details on Tuesday.\n",
    );
    write_article(
        input.path(),
        "river-gazette",
        "No, the Lisbridge mayor was not arrested",
        "Mayor Tomas Vrel was arrested in Lisbridge on Monday, several websites reported.\n\n\
         Lisbridge police said on Tuesday that the mayor was not arrested.\n",
    );
    write_article(
        input.path(),
        "metro-wire",
        "Lisbridge police deny mayor Tomas Vrel was arrested",
        "Lisbridge police denied that mayor Tomas Vrel was arrested.\n",
    );
    let out = tmp();
    run_ok(&[input.path()], out.path(), &[]);
    let conflicts = rows(&out.path().join("conflicts.csv"));
    let between = |x: &str, y: &str| {
        conflicts
            .iter()
            .filter(|r| (r["a_source"] == x && r["b_source"] == y) || (r["a_source"] == y && r["b_source"] == x))
            .count()
    };
    assert_eq!(between("river-gazette", "metro-wire"), 0, "{conflicts:?}");
    assert_eq!(between("north-star", "river-gazette"), 1, "{conflicts:?}");
    assert_eq!(between("north-star", "metro-wire"), 1, "{conflicts:?}");
}

/// A body sentence calling the story a hoax in the headline's own words contradicts the
/// headline; one that shares only a word or two with it, or only doubts it, does not.
#[test]
fn a_body_calling_the_story_a_hoax_meets_its_headlines() {
    let flagged = |debunk: &str| {
        let input = tmp();
        write_headlines(
            input.path(),
            &[
                ("north-star", "Old Kestrel harbour bridge collapses into river"),
                ("river-gazette", "Kestrel harbour bridge collapses, river closed"),
            ],
        );
        let body = format!("{debunk}\n\nOther stories were true.\n");
        write_article(input.path(), "east-bulletin", "What we checked this week", &body);
        denials_of(input.path(), "east-bulletin")
    };
    assert!(flagged("The pictures of the old Kestrel harbour bridge in the river are fake.") >= 2);
    assert_eq!(flagged("A Kestrel hoax about a parade fooled readers."), 0);
    assert_eq!(
        flagged("Readers doubted the pictures of the old Kestrel harbour bridge in the river."),
        0
    );
}

/// Custody states exclude each other only at one time: a kidnapping the text dates months
/// back does not contradict a release reported this week, while a report that the same
/// person is still held does.
#[test]
fn states_months_apart_do_not_exclude_each_other() {
    let flagged = |held: &str| {
        let input = tmp();
        write_article(
            input.path(),
            "north-star",
            "Reporter Anika Doral freed",
            "Reporter Anika Doral was freed on Monday, Lisbridge officials said.\n",
        );
        write_article(input.path(), "river-gazette", "Anika Doral's family speaks", held);
        let out = tmp();
        run_ok(&[input.path()], out.path(), &[]);
        rows(&out.path().join("conflicts.csv"))
            .iter()
            .filter(|r| r["kind"] == "exclusive_state")
            .count()
    };
    assert_eq!(
        flagged("Reporter Anika Doral was kidnapped in October 2024, her family said.\n"),
        0
    );
    assert_eq!(
        flagged("Reporter Anika Doral is still being held, her family said.\n"),
        1
    );
}

/// "Peru denies causing Arica floods" denies that Peru caused them: the doer of what a
/// claimer denies doing is the claimer, and a town named right before the event word is
/// where it happened, not who did it.
#[test]
fn a_denial_of_doing_something_names_the_denier_as_the_doer() {
    let input = tmp();
    write_article(
        input.path(),
        "north-star",
        "Peru denies causing Arica floods by releasing dam water",
        "",
    );
    write_article(input.path(), "river-gazette", "Peru opens dams, floods Arica", "");
    let out = tmp();
    run_ok(&[input.path()], out.path(), &[]);
    let claims = rows(&out.path().join("claims.csv"));
    let side = |source: &str| {
        claims
            .iter()
            .find(|c| c["source"] == source)
            .map(|c| c["agent_side"].clone())
    };
    assert_eq!(side("north-star"), side("river-gazette"), "{claims:?}");
    let conflicts = rows(&out.path().join("conflicts.csv"));
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0]["kind"], "denial");
}

#[test]
fn an_article_that_calls_a_rumour_false_does_not_assert_it() {
    // The first article retells the rumour, then calls it a hoax: it stands with the
    // mayor's denial, not against it.
    let input = tmp();
    write_article(
        input.path(),
        "valley-post",
        "Orvane mayor arrest story spreads online",
        "A blog claimed that the mayor of Orvane was arrested for bribery on Monday. \
         The story of the mayor's arrest for bribery is a hoax, city officials said.",
    );
    write_article(
        input.path(),
        "hill-courier",
        "Orvane mayor denies bribery arrest",
        "The mayor of Orvane denied on Tuesday that he had been arrested for bribery.",
    );
    let out = tmp();
    run_ok(&[input.path()], out.path(), &[]);
    let claims = rows(&out.path().join("claims.csv"));
    assert!(
        claims
            .iter()
            .any(|c| c["source"] == "valley-post" && c["polarity"] == "assert" && c["text"].contains("was arrested")),
        "{claims:?}"
    );
    let conflicts = rows(&out.path().join("conflicts.csv"));
    assert!(
        !conflicts.iter().any(|c| {
            let pair = [c["a_source"].as_str(), c["b_source"].as_str()];
            pair.contains(&"valley-post") && pair.contains(&"hill-courier")
        }),
        "{conflicts:?}"
    );
}

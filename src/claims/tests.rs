//! Table-driven tests of claim reading: claimer, polarity, modality, event type.

use super::*;
use crate::entities::find_mentions;
use crate::pipeline::default_gazetteer;

struct ClaimTest {
    text: &'static str,
    title: bool,
    claimer: &'static str,
    polarity: Polarity,
    modality: Modality,
    event_type: &'static str,
}

macro_rules! t {
    ($text:expr, $title:expr, $claimer:expr, $pol:ident, $mod:ident, $ev:expr) => {
        ClaimTest {
            text: $text,
            title: $title,
            claimer: $claimer,
            polarity: Polarity::$pol,
            modality: Modality::$mod,
            event_type: $ev,
        }
    };
}

/// Reads the claims of one headline or one body sentence.
fn read(text: &str, title: bool) -> Vec<Claim> {
    let gaz = default_gazetteer().expect("gazetteer");
    let (t, b) = if title { (text, "") } else { ("", text) };
    let docs = [Doc::new(Field::Title, t, 0), Doc::new(Field::Body, b, 0)];
    let names = find_mentions(&gaz, &docs);
    let published = crate::date::parse_date("2025-04-28");
    extract(&docs, &gaz, &names.mentions, published, ClaimLimits::default())
}

/// Whether each claim of a body sentence has a date.
fn dated(text: &str) -> Vec<bool> {
    read(text, false).iter().map(|c| c.time.is_some()).collect()
}

fn check(cases: &[ClaimTest]) {
    for case in cases {
        let claims = read(case.text, case.title);
        let c = claims.first().unwrap_or_else(|| panic!("no claim in {:?}", case.text));
        let got = (c.claimer.as_str(), c.polarity, c.modality, c.event_type);
        let want = (case.claimer, case.polarity, case.modality, case.event_type);
        assert_eq!(got, want, "\n  text: {:?}\n  cues: {:?}", case.text, c.cues);
    }
}

#[test]
fn attribution_finds_the_claimer() {
    check(&[
        t!(
            "Ukraine has denied the claim.",
            false,
            "Ukraine",
            Deny,
            Certain,
            "other"
        ),
        t!(
            "According to Yonhap, North Korea sent about 11,000 troops to Russia.",
            false,
            "Yonhap",
            Assert,
            Certain,
            "deploy"
        ),
        t!(
            "The mayor was released on bail on Friday, his lawyer said.",
            false,
            "his lawyer",
            Assert,
            Certain,
            "release"
        ),
        t!(
            "\"We have not retreated,\" the general said.",
            false,
            "general",
            Deny,
            Certain,
            "withdraw"
        ),
        t!(
            "The company denied that its chief executive had resigned.",
            false,
            "company",
            Deny,
            Certain,
            "resign"
        ),
        t!(
            "Kyiv disputes the Russian account.",
            false,
            "Kyiv",
            Deny,
            Certain,
            "other"
        ),
    ]);
}

#[test]
fn a_speaker_named_through_an_office_is_the_whole_phrase() {
    for (text, claimer) in [
        (
            "The office of the national commissioner for peace said on Saturday that a truce was agreed.",
            "office of the national commissioner for peace",
        ),
        (
            "The Secretary of State for Health said the hospital had closed.",
            "Secretary of State for Health",
        ),
        (
            "A spokesman for the company said the plant was closed.",
            "spokesman for the company",
        ),
        (
            "The prefecture of Avellino said the mayor was arrested.",
            "prefecture of Avellino",
        ),
    ] {
        let claims = read(text, false);
        assert_eq!(claims[0].claimer, claimer, "{text}");
    }
    // Not an office: the phrase ends at the name.
    let claims = read("Friends of the singer said he had died.", false);
    assert_eq!(claims[0].claimer, "singer");
}

#[test]
fn the_agent_of_a_participle_does_not_speak() {
    for (text, claimer) in [
        ("Economists polled by the agency said growth would slow.", "Economists"),
        (
            "Ranger reportedly mauled by a bear says he will return to work",
            "Ranger",
        ),
    ] {
        let claims = read(text, false);
        assert_eq!(claims[0].claimer, claimer, "{text}");
    }
    let claims = read("Sailor feared lost at sea says she's safe", true);
    assert_eq!(claims[0].state, Some(("custody", "free")), "{:?}", claims[0].cues);
}

#[test]
fn headlines_are_claims_with_stance() {
    check(&[
        t!("Orvane arrested in London", true, "", Assert, Certain, "arrest"),
        t!("No, Orvane was not arrested", true, "", Deny, Certain, "arrest"),
        t!("Orvane arrest is a giant hoax", true, "", Deny, Certain, "arrest"),
        t!("Did the president adopt a boy?", true, "", Assert, Question, "adopt"),
        t!(
            "Police didn't arrest the mayor; so who did they arrest?",
            true,
            "",
            Deny,
            Certain,
            "arrest"
        ),
        t!(
            "Police arrested the mayor: why now?",
            true,
            "",
            Assert,
            Certain,
            "arrest"
        ),
        t!("Was the mayor arrested, and why?", true, "", Assert, Question, "arrest"),
        t!(
            "Guards executed for not obeying orders",
            true,
            "",
            Assert,
            Certain,
            "kill"
        ),
        t!("Mayor fined after not paying taxes", true, "", Assert, Certain, "pay"),
        t!(
            "Police reportedly arrested the mayor",
            true,
            "",
            Assert,
            Hedged,
            "arrest"
        ),
        t!(
            "Harbour police denies reports of Orvane arrest",
            true,
            "Harbour police",
            Deny,
            Certain,
            "arrest"
        ),
    ]);
}

#[test]
fn negation_counts_only_when_it_governs_the_claim() {
    check(&[
        // A negated refutation asserts.
        t!(
            "Farmer vows photos will prove giant pumpkin is no hoax",
            true,
            "",
            Assert,
            Certain,
            "other"
        ),
        // Contrast, instruction, figure of speech.
        t!(
            "Valcor will build its plant in Ohio, not Utah",
            true,
            "",
            Assert,
            Certain,
            "other"
        ),
        t!(
            "Stay home, don't vote comes to Lisbon rallies",
            true,
            "",
            Assert,
            Certain,
            "other"
        ),
        t!(
            "You'll never guess how the homeless man spent the money",
            true,
            "",
            Assert,
            Certain,
            "other"
        ),
        // Negation far from the predicate of a body sentence.
        t!(
            "Police did not comment on reports that the mayor was arrested.",
            false,
            "",
            Assert,
            Certain,
            "arrest"
        ),
        t!(
            "Police said the mayor was not arrested.",
            false,
            "Police",
            Deny,
            Certain,
            "arrest"
        ),
        // A non-answer is not a denial.
        t!(
            "The ministry refused to confirm or deny that troops had been deployed.",
            false,
            "",
            Assert,
            Certain,
            "deploy"
        ),
    ]);
}

#[test]
fn referring_denial_takes_the_denied_proposition() {
    let claims = read(
        "Putin has claimed that his country has regained control of Kursk. Ukraine has denied the claim.",
        false,
    );
    assert_eq!(claims.len(), 2);
    assert_eq!(claims[1].refers_to, Some(0));
    assert_eq!(claims[1].event_type, "take_control");
    assert_eq!(claims[1].polarity, Polarity::Deny);
    // An account is something someone said: the narration between the two is skipped.
    let claims = read(
        "Putin said his forces had regained control of Kursk. The general used the same \
         meeting to praise the brigade. Kyiv disputes the Russian account.",
        false,
    );
    assert_eq!(claims.len(), 3, "{claims:?}");
    assert_eq!(claims[2].refers_to, Some(claims[0].seq), "{:?}", claims[1]);
    assert_eq!(claims[2].event_type, "take_control");
    // A word pointing back that opens a clause of its own says what is denied: the
    // denial does not take the claim before.
    for denial in [
        "The chairman denied it was because of the new tariffs on steel.",
        "The ministry dismissed claims that",
    ] {
        let text = format!("Putin has claimed that his country has regained control of Kursk. {denial}");
        let claims = read(&text, false);
        assert_eq!(claims.len(), 2, "{claims:?}");
        assert_eq!(claims[1].refers_to, None, "{denial}: {:?}", claims[1].cues);
        assert!(claims[1].cues.iter().all(|q| q.role != "antecedent"), "{denial}");
    }
}

#[test]
fn figures_and_dates_are_attached() {
    let claims = read(
        "Officials said on Monday that at least 30 people were killed in the blast on Saturday.",
        false,
    );
    let q = claims[0].quantity.as_ref().expect("quantity");
    assert_eq!(
        (q.value, q.bound, q.unit.as_str()),
        (30.0, crate::model::Bound::AtLeast, "dead")
    );
    assert_eq!(claims[0].time.map(|t| t.to_string()).as_deref(), Some("2025-04-26"));
}

#[test]
fn retractions_clauses_and_described_events() {
    check(&[
        // Taking back a statement is a retraction; taking back troops is not.
        t!(
            "The city council on Friday withdrew its announcement that the director had been suspended.",
            false,
            "council",
            Deny,
            Certain,
            "ban"
        ),
        t!(
            "The army withdrew its troops from the town on Friday.",
            false,
            "",
            Assert,
            Certain,
            "withdraw"
        ),
        // A speaker inside an adverbial clause is not the source of the content.
        t!(
            "The company said on Thursday that its chief executive had resigned, two days after it denied a report that he was leaving.",
            false,
            "company",
            Assert,
            Certain,
            "resign"
        ),
        // "the arrested mayor" describes; the suspension is the event.
        t!(
            "Officials said the arrested mayor had been suspended.",
            false,
            "Officials",
            Assert,
            Certain,
            "ban"
        ),
    ]);
    // A negation in a purpose or reason clause of a headline does not deny its claim.
    check(&[t!(
        "Governor adopts stray dog so it won't be put down",
        true,
        "",
        Assert,
        Certain,
        "adopt"
    )]);
    // A dated clause of its own is a second claim with its own date.
    let claims = read(
        "Two workers were killed when a fire broke out at a factory on Tuesday night, officials said.",
        false,
    );
    assert_eq!(claims.len(), 2, "{claims:#?}");
    assert_eq!(claims[0].event_type, "kill");
    assert_eq!(claims[0].time, None);
    assert_eq!(claims[1].event_type, "fire");
    assert_eq!(claims[1].time.map(|t| t.to_string()).as_deref(), Some("2025-04-22"));
}

#[test]
fn disputing_a_figure_while_giving_one_asserts_the_figure() {
    let claims = read("MP says 40 bodies recovered at Kiriwa, disputes government toll", true);
    let c = claims.first().expect("claim");
    assert_eq!(c.polarity, Polarity::Assert);
    assert!(c.quantity.is_some());
}

#[test]
fn money_taken_quotes_and_hypotheticals() {
    check(&[
        // Taking money names a payment, so a negation of it denies one.
        t!(
            "\"She has never taken a penny from the contractor,\" her spokesman told reporters in Lyon on Monday.",
            false,
            "her spokesman",
            Deny,
            Certain,
            "pay"
        ),
        t!(
            "The senator was accused of accepting $20,000 in kickbacks, prosecutors said.",
            false,
            "prosecutors",
            Assert,
            Certain,
            "pay"
        ),
        // Set phrases with a refuting word refute nothing.
        t!(
            "The striker is a doubt for Saturday's match, the coach said.",
            false,
            "coach",
            Assert,
            Certain,
            "other"
        ),
        t!(
            "The board is made up of nine directors, the company said.",
            false,
            "company",
            Assert,
            Certain,
            "other"
        ),
        t!(
            "The team made up for last year's defeat by winning the cup, the coach said.",
            false,
            "coach",
            Assert,
            Certain,
            "win"
        ),
        t!(
            "The story was made up, the minister said.",
            false,
            "minister",
            Deny,
            Certain,
            "other"
        ),
        // A non-answer denies nothing.
        t!(
            "The ministry gave no details of the meeting, its spokesman said.",
            false,
            "its spokesman",
            Assert,
            Certain,
            "meet"
        ),
        // A negated denial verb concedes.
        t!(
            "The minister did not deny that the deficit had grown.",
            false,
            "minister",
            Assert,
            Certain,
            "other"
        ),
        // A refuting adjective describing a thing refutes nothing; of a photo it does.
        t!(
            "The designer now sells fake fur coats, the company said.",
            false,
            "company",
            Assert,
            Certain,
            "sell"
        ),
        t!(
            "The photo of the flooded stadium is a fake photo, the league said.",
            false,
            "league",
            Deny,
            Certain,
            "flood"
        ),
        t!(
            "The fault lies in the bank's lending rules, the minister said.",
            false,
            "minister",
            Assert,
            Certain,
            "other"
        ),
        t!(
            "The report is a lie in every line, the minister said.",
            false,
            "minister",
            Deny,
            Certain,
            "other"
        ),
        // A death in the present tense is a death.
        t!(
            "Veteran folk singer passes away at 84",
            true,
            "",
            Assert,
            Certain,
            "die"
        ),
        // A hedge in a relative clause after the event is about what follows from it.
        t!(
            "Canada and Chile signed a trade pact on Tuesday that is expected to cut tariffs.",
            false,
            "",
            Assert,
            Certain,
            "agree"
        ),
    ]);
    // A state in a condition is not the case.
    let claims = read(
        "The judge said there was a risk the suspect could flee if he were freed.",
        false,
    );
    assert_eq!(claims[0].state, None, "{:?}", claims[0].cues);
    // Ways of saying someone was killed put them in the same state as "killed".
    for text in [
        "The aid worker was beheaded by the militants, the group said.",
        "The journalist was murdered in his home, police said.",
        "The mayor was shot dead outside the town hall, police said.",
        "The militant group beheads a kidnapped aid worker, monitors say.",
    ] {
        let claims = read(text, false);
        assert_eq!(claims[0].state, Some(("life", "dead")), "{text}: {:?}", claims[0].cues);
    }
    // A state phrase holding its own negation: the claim denies the other state, so
    // the negation is not counted twice ("not dead" denies "dead", it does not deny
    // "alive").
    for (text, state) in [
        ("The singer is not dead, her publicist said.", ("life", "dead")),
        ("The minister said he will not resign.", ("office", "left")),
    ] {
        let claims = read(text, false);
        assert_eq!(claims[0].polarity, Polarity::Deny, "{text}: {:?}", claims[0].cues);
        assert_eq!(claims[0].state, Some(state), "{text}: {:?}", claims[0].cues);
    }
    // Custody and life words about no one held or alive: a record released or captured,
    // a way of being killed. The same words about a person keep their state.
    for text in [
        "The family released a video on Thursday asking for his return.",
        "Dashboard audio captured the moment of the crash, the company said.",
        "Witnesses said the villagers were burned alive by the raiders.",
    ] {
        let claims = read(text, false);
        assert!(claims.iter().all(|c| c.state.is_none()), "{text}: {:?}", claims);
    }
    for (text, state) in [
        (
            "The family said the reporter was released on Thursday.",
            ("custody", "free"),
        ),
        (
            "The rebels captured a reporter near the border, officials said.",
            ("custody", "held"),
        ),
        (
            "The climber was found alive by rescuers, police said.",
            ("life", "alive"),
        ),
    ] {
        let claims = read(text, false);
        assert_eq!(claims[0].state, Some(state), "{text}: {:?}", claims[0].cues);
    }
    // A thing released or freed frees no one, whether it follows the verb, precedes it or
    // is the subject of its passive: no release event and no custody state.
    for text in [
        "The agency released last month's import and export figures on Tuesday.",
        "The ministry said the survey will not be officially released until May.",
        "The plant released ammonia into the river overnight, inspectors said.",
        "The move will free up beds for new patients, the hospital said.",
    ] {
        let claims = read(text, false);
        assert!(
            claims.iter().all(|c| c.state.is_none() && c.event_type != "release"),
            "{text}: {:?}",
            claims
        );
    }
    for text in [
        "The rebels released two aid workers near the border, officials said.",
        "The ministry said the journalist will be released on Friday.",
    ] {
        let claims = read(text, false);
        assert_eq!(claims[0].event_type, "release", "{text}: {:?}", claims[0].cues);
        assert_eq!(
            claims[0].state,
            Some(("custody", "free")),
            "{text}: {:?}",
            claims[0].cues
        );
    }
    let claims = read("The singer is still alive, her publicist said.", false);
    assert_eq!(claims[0].polarity, Polarity::Assert, "{:?}", claims[0].cues);
    assert_eq!(claims[0].state, Some(("life", "alive")), "{:?}", claims[0].cues);
    // "from X" names a source, not the party acted on.
    let claims = read(
        "Prosecutors said the official took bribes from a builder, Acme Corp.",
        false,
    );
    assert_eq!(claims[0].target, None, "{:?}", claims[0].entities);
}

#[test]
fn a_date_belongs_to_the_nearest_word_of_its_event() {
    // "signed" is far from the date, "agreement" is next to it.
    let claims = read(
        "Canada and Chile signed a ten-year trade and investment agreement in Ottawa on Monday, April 21, the trade ministry said.",
        false,
    );
    assert_eq!(claims[0].event_type, "agree");
    assert_eq!(claims[0].time.map(|t| t.to_string()).as_deref(), Some("2025-04-21"));
}

#[test]
fn a_refuting_adjective_on_a_thing_calls_nothing_false() {
    let polarity = |text: &str, title: bool| read(text, title).first().map(|c| c.polarity);
    // Describing a thing: counterfeit goods, an act of deceiving, a practice.
    for (text, title) in [
        (
            "Customs officers seized fake designer handbags at the port, the agency said.",
            false,
        ),
        (
            "The party accused its rivals of making false promises to farmers.",
            false,
        ),
        (
            "The watchdog said the lender had been misleading its customers for years.",
            false,
        ),
        (
            "The levy is contrary to the spirit of the treaty, the minister said.",
            false,
        ),
        ("REGULATOR FINES DAIRY OVER FALSE LABELLING", true),
        ("Police Seize Fake Designer Handbags at Port", true),
        // Playing down a fear, not calling a report false.
        ("Fears of a run on the bank are unfounded, the governor said.", false),
        ("Insurers say storm damage fears overblown", true),
    ] {
        assert_eq!(polarity(text, title), Some(Polarity::Assert), "{text}");
    }
    // Calling a report, a medium or a happening false.
    for (text, title) in [
        ("The ministry said the reports were false.", false),
        ("Contrary to earlier reports, the bridge did not collapse.", false),
        ("Officials said the figures were misleading.", false),
        ("The governor said reports of a run on the bank were unfounded.", false),
        ("Fake Airport Closure Goes Viral", true),
        ("Fake Photo of Flooded Stadium Spreads Online", true),
    ] {
        assert_eq!(polarity(text, title), Some(Polarity::Deny), "{text}");
    }
}

#[test]
fn a_headline_passive_denied_refuses_unless_it_acts_on_a_claim() {
    let polarity = |text: &str| read(text, true).first().map(|c| c.polarity);
    assert_ne!(polarity("Home side denied late penalty"), Some(Polarity::Deny));
    assert_ne!(polarity("Harbour expansion plan denied"), Some(Polarity::Deny));
    assert_eq!(
        polarity("Kremlin denied reports of troop buildup"),
        Some(Polarity::Deny)
    );
    assert_eq!(polarity("Mayor denies taking bribes"), Some(Polarity::Deny));
}

#[test]
fn tickers_non_answers_and_places_deny_nothing() {
    let polarity = |text: &str, title: bool| read(text, title).first().map(|c| c.polarity);
    for (text, title) in [
        // A ticker symbol is a name: "<NOT>" is no "not", "<LIE>" no "lie".
        ("NOTTAWA MILLS <NOT> TO BUY EASTBANK <EBK>", true),
        ("Lietzen Steel <LIE> raises steel prices by 3 pct", true),
        // Neither confirming nor denying answers nothing.
        ("Carmaker neither confirms nor denies merger talks", true),
        ("The bank would neither confirm nor deny that it had made a bid.", false),
        // The verb of where something is, with the place first.
        (
            "Behind the fall in the peso lies a fear that the budget will slip, traders said.",
            false,
        ),
    ] {
        assert_ne!(polarity(text, title), Some(Polarity::Deny), "{text}");
    }
    for (text, title) in [
        (
            "Neither the army nor the police were deployed to the town, the mayor said.",
            false,
        ),
        ("The minister said the report was a lie.", false),
    ] {
        assert_eq!(polarity(text, title), Some(Polarity::Deny), "{text}");
    }
}

#[test]
fn a_report_noun_ending_a_headline_is_not_a_verb() {
    let claims = read("Port shares slip on leadership report", true);
    assert_eq!(claims[0].claimer, "");
}

#[test]
fn negations_that_leave_the_headline_standing() {
    check(&[
        // An attitude, a slogan, a correction, a later clause, a limit.
        t!(
            "Carmaker isn't happy with sales of its new truck",
            true,
            "",
            Assert,
            Certain,
            "other"
        ),
        t!(
            "Prankster fools mayor, and voters don't approve",
            true,
            "",
            Assert,
            Certain,
            "other"
        ),
        t!(
            "Pranks are never funny unless they fool a mayor",
            true,
            "",
            Assert,
            Certain,
            "other"
        ),
        t!(
            "Fans copy Don't panic banner used by rival club",
            true,
            "",
            Assert,
            Certain,
            "other"
        ),
        t!(
            "Senator not missing, just on holiday in Spain",
            true,
            "",
            Assert,
            Certain,
            "other"
        ),
        t!(
            "Singer was born in Ohio and never told her fans",
            true,
            "",
            Assert,
            Certain,
            "other"
        ),
        t!(
            "New phone won't be a US-only launch",
            true,
            "",
            Assert,
            Certain,
            "announce"
        ),
    ]);
    // Emphasis and a plain negation still deny.
    check(&[
        t!(
            "Actor is not dead, his agent says",
            true,
            "his agent",
            Deny,
            Certain,
            "die"
        ),
        t!(
            "Rebels have NOT captured the airport",
            true,
            "",
            Deny,
            Certain,
            "take_control"
        ),
    ]);
}

#[test]
fn a_verb_that_dismisses_a_rumour_denies_it() {
    check(&[
        t!(
            "Director kills stolen prop car rumor with a photo",
            true,
            "Director",
            Deny,
            Hedged,
            "steal"
        ),
        t!(
            "Valcor chief laughs off merger reports",
            true,
            "Valcor chief",
            Deny,
            Certain,
            "buy"
        ),
        // The same verbs in their other senses.
        t!("Gunman kills two, reports say", true, "", Assert, Certain, "kill"),
        t!(
            "Guard killed in raid, officials claim",
            true,
            "",
            Assert,
            Certain,
            "kill"
        ),
    ]);
}

#[test]
fn turning_out_refutes_only_with_a_negation_or_a_refuting_word() {
    check(&[
        t!(
            "Odd rash turns out to be beetle bite",
            true,
            "",
            Assert,
            Certain,
            "other"
        ),
        t!(
            "Mayor turns out not to have resigned",
            true,
            "",
            Deny,
            Certain,
            "resign"
        ),
        t!("Flood photo turned out to be a hoax", true, "", Deny, Certain, "flood"),
    ]);
}

#[test]
fn an_explainer_headline_asserts_nothing() {
    for text in [
        "What we know about the Harlow dam",
        "What you need to know about the port strike",
        "Everything we know so far about the new coach",
    ] {
        assert!(read(text, true).is_empty(), "{text}");
    }
    // It still asserts what it tells of, and body sentences of that form are read as ever.
    for (text, title) in [
        ("What we know about the arrest of the Harlow mayor", true),
        (
            "What we know is that the dam collapsed on Monday, officials said.",
            false,
        ),
    ] {
        assert!(!read(text, title).is_empty(), "{text}");
    }
}

#[test]
fn event_words_in_another_sense_name_no_event() {
    check(&[
        t!(
            "The index closed at 1,204 points, traders said.",
            false,
            "traders",
            Assert,
            Certain,
            "other"
        ),
        t!(
            "Officials said the port was closed to ships.",
            false,
            "Officials",
            Assert,
            Certain,
            "close"
        ),
        t!(
            "The hospital said its wards were close to capacity.",
            false,
            "hospital",
            Assert,
            Certain,
            "other"
        ),
        t!(
            "The bakery said it saw signs of a recovery.",
            false,
            "bakery",
            Assert,
            Certain,
            "other"
        ),
        t!(
            "Officials said the two leaders signed the accord.",
            false,
            "Officials",
            Assert,
            Certain,
            "agree"
        ),
        t!(
            "Analysts said free trade had lifted exports.",
            false,
            "Analysts",
            Assert,
            Certain,
            "other"
        ),
        t!(
            "The singer suffered a cardiac arrest, her agent said.",
            false,
            "her agent",
            Assert,
            Certain,
            "other"
        ),
        t!(
            "Police said the driver was arrested near the bridge.",
            false,
            "Police",
            Assert,
            Certain,
            "arrest"
        ),
        t!(
            "His doctor said a heart attack ended his career.",
            false,
            "His doctor",
            Assert,
            Certain,
            "other"
        ),
        t!(
            "Customers said the bank charged a fee on every transfer.",
            false,
            "Customers",
            Assert,
            Certain,
            "other"
        ),
        t!(
            "Police said the clerk was charged with fraud.",
            false,
            "Police",
            Assert,
            Certain,
            "arrest"
        ),
        t!(
            "The rand lost 3 pct against the dollar, dealers said.",
            false,
            "dealers",
            Assert,
            Certain,
            "other"
        ),
    ]);
}

#[test]
fn rebels_speak_and_act_for_themselves_not_their_country() {
    check(&[
        t!(
            "Mali rebels said they had seized the town.",
            false,
            "Mali rebels",
            Assert,
            Certain,
            "take_control"
        ),
        t!(
            "Separatist rebels in northern Mali said they remain in control of the town.",
            false,
            "Separatist rebels in northern Mali",
            Assert,
            Certain,
            "other"
        ),
    ]);
    // "army claim" is a noun: the rebels still speak.
    check(&[t!(
        "Separatists say they still hold Kovar, call army claim \"propaganda\"",
        true,
        "Separatists",
        Assert,
        Certain,
        "other"
    )]);
    let held = read(
        "Separatist rebels in northern Mali said they remain in control of the town.",
        false,
    );
    assert_eq!(held[0].state, Some(("control", "contested")));
    let rebels = read("Mali rebels seized the town on Friday, residents said.", false);
    assert_eq!(rebels[0].agent, None, "{:?}", rebels[0]);
    let said = read("Mali rebels said they had seized the town.", false);
    assert_eq!((said[0].speaks_for, &said[0].claimer_entity), (None, &None));
    // The state speaks for its country.
    let army = read("Mali's army seized the town on Friday, residents said.", false);
    assert!(army[0].agent.is_some());
    let said = read("The Malian army said it had seized the town.", false);
    assert!(said[0].speaks_for.is_some());
}

#[test]
fn a_clause_after_the_speaker_is_not_the_content() {
    check(&[
        // The clause after "said on Sunday," tells when, not what.
        t!(
            "The ferry capsized on Saturday evening, officials said on Sunday, as boats searched the area.",
            false,
            "officials",
            Assert,
            Certain,
            "crash"
        ),
        // "in an update" qualifies the verb, and a source cited after it is the speaker's.
        t!(
            "The ferry was carrying 96 people, the rescue agency said in an update, citing the manifest.",
            false,
            "rescue agency",
            Assert,
            Certain,
            "other"
        ),
    ]);
    let said = read(
        "The ferry was carrying 96 people, the rescue agency said in an update, citing the manifest.",
        false,
    );
    assert_eq!(said[0].quantity.as_ref().map(|q| q.text.as_str()), Some("96 people"));
}

#[test]
fn a_quotation_over_several_sentences_has_its_speaker_named_once() {
    let after = read(
        "\"There is no deal with the city, and there never was one. Our members will walk out,\" union leader Marta Silva said.",
        false,
    );
    assert_eq!(after.len(), 2);
    assert!(after.iter().all(|c| c.claimer == "leader Marta Silva"), "{after:?}");
    let before = read(
        "The mayor said: \"The bridge is closed. It will not reopen this year.\"",
        false,
    );
    assert!(before.iter().all(|c| c.claimer == "mayor"), "{before:?}");
    // A quotation closed in its own sentence lends its speaker to no other.
    let apart = read(
        "\"The bridge is closed,\" the mayor said. The ferry was cancelled.",
        false,
    );
    assert_eq!(apart.last().map(|c| c.claimer.as_str()), Some(""));
}

#[test]
fn a_name_with_its_office_set_off_by_commas_is_the_speaker() {
    check(&[
        t!(
            "Lena Fischer, a 24-year-old student, said the hostages were freed.",
            false,
            "Lena Fischer",
            Assert,
            Certain,
            "release"
        ),
        t!(
            "Marta Silva, president of the drivers' union, said the strike was off.",
            false,
            "Marta Silva",
            Assert,
            Certain,
            "other"
        ),
        t!(
            "The ferry sank on Saturday, Jan Boer, a spokesman for the port authority, said on Sunday.",
            false,
            "Jan Boer",
            Assert,
            Certain,
            "crash"
        ),
        t!(
            "The ferry was carrying 212 passengers, the vessel's operator, Lestari Lines, said in a statement.",
            false,
            "Lestari Lines",
            Assert,
            Certain,
            "other"
        ),
    ]);
    // "his men" are the speaker's group, not the speaker: no agent is read.
    let claims = read(
        "Omar Idris, a spokesman for the rebels, said his men had killed 60 soldiers.",
        false,
    );
    assert_eq!(claims[0].claimer, "Omar Idris");
    assert_eq!(claims[0].agent, None);
    // "he" is the person himself.
    let himself = read(
        "Omar Idris, a spokesman for the rebels, said he had signed the deal.",
        false,
    );
    assert!(himself[0].agent.is_some(), "{himself:?}");
}

#[test]
fn a_quotation_closed_is_not_opened_again_by_its_last_sentence() {
    // The first quotation opens in a sentence that makes no claim: its closing sentence
    // must not be read as opening another that runs on to the next quotation.
    let claims = read(
        "\"They moved us at night. We slept under the rain,\" said Lena Fischer. Her brother was in hospital, his son told reporters. \"My father is weak, but he is alive. We thank God,\" Omar Idris said.",
        false,
    );
    let alive = claims
        .iter()
        .find(|c| c.text.contains("alive"))
        .expect("a claim of the quotation");
    assert_eq!(alive.claimer, "Omar Idris");
    let hospital = claims.iter().find(|c| c.text.contains("hospital")).expect("a claim");
    assert_eq!(hospital.claimer, "his son");
}

#[test]
fn a_plea_not_to_do_something_denies_nothing() {
    check(&[
        t!(
            "Fans gathered outside the ground, urging the board not to sell the striker.",
            false,
            "",
            Assert,
            Certain,
            "sell"
        ),
        t!(
            "The club decided not to sell the striker.",
            false,
            "",
            Deny,
            Certain,
            "sell"
        ),
    ]);
}

#[test]
fn a_spokesperson_and_the_company_speak_for_the_body() {
    let claims = read(
        "Harlow Freight Group was hit by a cyberattack, police said. \"No data was taken,\" Harlow Freight Group spokesman Ivo Brandt said. The company said later that files were copied.",
        false,
    );
    let body: Vec<String> = claims
        .iter()
        .filter_map(|c| c.claimer_entity.as_ref())
        .map(|e| format!("{e:?}"))
        .collect();
    assert_eq!(body.len(), 2, "{claims:?}");
    assert_eq!(body[0], body[1], "the spokesman and the company are one voice");
    assert!(!body[0].contains("brandt"), "{body:?}");
}

#[test]
fn citing_a_reason_names_no_source() {
    check(&[
        t!(
            "The airline cancelled its evening flights, citing a shortage of pilots.",
            false,
            "",
            Assert,
            Certain,
            "cancel"
        ),
        t!(
            "The airline cancelled its evening flights, citing police.",
            false,
            "police",
            Assert,
            Certain,
            "cancel"
        ),
        t!(
            "The airline cancelled its evening flights, citing the aviation ministry.",
            false,
            "aviation ministry",
            Assert,
            Certain,
            "cancel"
        ),
    ]);
}

#[test]
fn a_date_after_a_phrase_of_place_dates_the_verb_before_it() {
    assert_eq!(
        dated("The train derailed near the village of Arlow in central Narvia late on Tuesday."),
        vec![true]
    );
    // A date before "that" dates the learning, not what was learned.
    assert_eq!(
        dated("Investors learned on Sunday that the two countries had signed the accord."),
        vec![false]
    );
    // Many other words between: the date is of something else.
    assert_eq!(
        dated("The train derailed, leaving hundreds of stranded passengers waiting for buses in freezing rain late on Tuesday."),
        vec![false]
    );
}

#[test]
fn a_span_of_time_before_after_opens_a_clause_after_the_speaker() {
    check(&[
        t!(
            "The bakery was sold to a rival, its chairman said on Wednesday, a day after the regulator blocked a bid.",
            false,
            "its chairman",
            Assert,
            Certain,
            "sell"
        ),
        t!(
            "The bakery was sold to a rival, its chairman said on Wednesday, two weeks before the regulator blocked a bid.",
            false,
            "its chairman",
            Assert,
            Certain,
            "sell"
        ),
    ]);
}

#[test]
fn landfalls_and_break_ins_are_events() {
    check(&[
        t!(
            "The storm made landfall near the port late on Tuesday.",
            false,
            "",
            Assert,
            Certain,
            "landfall"
        ),
        t!(
            "Thieves broke into the gallery and took four paintings.",
            false,
            "",
            Assert,
            Certain,
            "steal"
        ),
    ]);
    // "the early hours of Tuesday" is a day; "as of Friday" is a span.
    assert_eq!(
        dated("Thieves broke into the gallery in the early hours of Tuesday."),
        vec![true]
    );
    assert_eq!(dated("As of Friday, the gallery was closed."), vec![false]);
}

#[test]
fn a_question_left_open_or_a_condition_asserts_and_denies_nothing() {
    check(&[
        t!(
            "Police did not say whether a ransom had been paid.",
            false,
            "Police",
            Assert,
            Question,
            "pay"
        ),
        t!(
            "It was not clear if the ransom was paid.",
            false,
            "",
            Assert,
            Question,
            "pay"
        ),
        t!(
            "If the ransom was paid, the gang will strike again, police said.",
            false,
            "police",
            Assert,
            Question,
            "pay"
        ),
        // The doubt is the stance: "questioned whether" still disputes.
        t!(
            "Engineers questioned whether the dam had collapsed.",
            false,
            "",
            Deny,
            Certain,
            "collapse"
        ),
        // A condition set off by commas before the happening does not govern it.
        t!(
            "The bank will act, if necessary, under the trade agreement, he said.",
            false,
            "he",
            Assert,
            Certain,
            "agree"
        ),
        // A question about something else, after the happening, leaves it asserted.
        t!(
            "Police said a ransom was paid, but would not say whether the state paid it.",
            false,
            "Police",
            Assert,
            Certain,
            "pay"
        ),
    ]);
}

#[test]
fn a_happening_named_by_a_noun_is_denied_by_a_negated_verb_of_its_kind() {
    check(&[
        t!(
            "The ransom was not paid, officials said.",
            false,
            "officials",
            Deny,
            Certain,
            "pay"
        ),
        t!(
            "The election has not been postponed, officials said.",
            false,
            "officials",
            Deny,
            Certain,
            "cancel"
        ),
        // Another verb, or a noun after "no", tells of something else.
        t!(
            "The attack was not deadly, police said.",
            false,
            "police",
            Assert,
            Certain,
            "attack"
        ),
        t!(
            "The merger has no acquisition premium, he said.",
            false,
            "he",
            Assert,
            Certain,
            "buy"
        ),
        t!(
            "Workers fear that, if the agreement is not ratified, the plant will close.",
            false,
            "",
            Assert,
            Question,
            "agree"
        ),
    ]);
}

#[test]
fn denying_what_was_asked_for_is_a_refusal_not_a_denial() {
    for (text, title) in [
        ("The court denied the company's appeal against the ruling.", false),
        ("Judge denies bail for former banker", true),
    ] {
        let claims = read(text, title);
        assert!(!claims.is_empty(), "{text}");
        assert_eq!(claims[0].polarity, Polarity::Assert, "{text}: {:?}", claims[0].cues);
    }
    // Denying an account of what happened is a denial, wherever it is made.
    for text in [
        "The company denied the report that it had closed the plant.",
        "The mayor denied at a hearing on Monday that he had taken bribes.",
    ] {
        let claims = read(text, false);
        assert_eq!(claims[0].polarity, Polarity::Deny, "{text}: {:?}", claims[0].cues);
    }
}

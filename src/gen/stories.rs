//! What the synthetic articles say: stories with a planted conflict (two sides that
//! contradict each other, each reported by other outlets), stories every outlet agrees on,
//! and background articles. The wording is ordinary news English of the kind the claim
//! rules read ("X denied that Y had resigned", "about 11,000 troops" against "some 15,000
//! troops", "signed on March 3" against "signed on March 10", "remains in custody" against
//! "was freed", a statement later retracted by the one who made it).

use time::{Date, Duration};

use super::names::{self, Pools};
use super::rng::Rng;

/// The kinds of conflict planted, as named in `gold.csv`.
pub const KINDS: [&str; 5] = ["denial", "exclusive_state", "numeric", "temporal", "reversal"];

/// One article before it gets its id and filler.
#[derive(Clone, Debug)]
pub struct Draft {
    /// Index of the outlet in [`Pools::outlets`].
    pub outlet: usize,
    /// Publication day (days after the corpus's first day).
    pub day: i64,
    /// Headline.
    pub title: String,
    /// Opening paragraphs (the filler comes after them).
    pub lead: Vec<String>,
    /// A dateline town, when the body opens with one.
    pub dateline: Option<String>,
    /// Side of a planted conflict: articles on side 1 contradict those on side 2.
    pub side: u8,
    /// Names the story is about, for its background sentences.
    pub cast: Vec<String>,
}

/// A story: its drafts and, when it carries a planted conflict, the kind.
pub struct Story {
    /// Articles about it.
    pub drafts: Vec<Draft>,
    /// The kind of the planted conflict, if any.
    pub conflict: Option<&'static str>,
}

/// The first day of every corpus.
pub fn first_day() -> Date {
    time::macros::date!(2025 - 01 - 01)
}

/// Day `d` as a date.
pub fn date_of(d: i64) -> Date {
    first_day() + Duration::days(d)
}

fn weekday(d: i64) -> String {
    date_of(d).weekday().to_string()
}

fn month_day(d: i64) -> String {
    let date = date_of(d);
    format!("{} {}", date.month(), date.day())
}

/// "11,000".
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The names one story is about: invented for it, so stories do not run into each other.
struct Cast {
    person: String,
    surname: String,
    town: String,
    company: String,
    other_company: String,
    country: String,
    other_country: String,
}

impl Cast {
    /// The town, company and country, for background sentences.
    fn names(&self) -> Vec<String> {
        vec![self.town.clone(), self.company.clone(), self.country.clone()]
    }

    fn new(rng: &mut Rng, pools: &Pools) -> Cast {
        let person = names::person(rng);
        let surname = person.split(' ').next_back().unwrap_or_default().to_string();
        let country = pools.country(rng).to_string();
        let mut other_country = pools.country(rng).to_string();
        if other_country == country {
            other_country = names::country(rng);
        }
        Cast {
            person,
            surname,
            town: names::town(rng),
            company: names::company(rng),
            other_company: names::company(rng),
            country,
            other_country,
        }
    }
}

/// Two distinct outlets, then more distinct from both when asked.
fn outlets(rng: &mut Rng, pools: &Pools, n: usize) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::with_capacity(n);
    let mut tries = 0;
    while out.len() < n {
        let o = if tries < 50 {
            pools.outlet(rng)
        } else {
            rng.below(pools.outlets.len())
        };
        tries += 1;
        if !out.contains(&o) {
            out.push(o);
        }
    }
    out
}

fn draft(outlet: usize, day: i64, side: u8, title: String, lead: Vec<String>) -> Draft {
    Draft {
        outlet,
        day,
        title,
        lead,
        dateline: None,
        side,
        cast: Vec::new(),
    }
}

/// A story with a planted conflict of `kind`, around `day`. Side 1 holds one or two
/// articles (from different outlets), side 2 one; a follow-up article with background
/// only may come after.
pub fn conflict(rng: &mut Rng, pools: &Pools, kind: &'static str, day: i64) -> Story {
    let c = Cast::new(rng, pools);
    let n_first = if rng.chance(0.35) { 2 } else { 1 };
    let follow_up = rng.chance(0.3);
    let os = outlets(rng, pools, n_first + 1 + follow_up as usize);
    let variant = rng.below(3);
    let (p, s, t, co, co2) = (&c.person, &c.surname, &c.town, &c.company, &c.other_company);
    let (cn, cn2) = (&c.country, &c.other_country);
    // Side 1 is written by `first(outlet, day)`, side 2 by `second(outlet, day)`.
    let mut drafts = Vec::new();
    let d2 = day + rng.range(1, 3) as i64;
    match (kind, variant) {
        ("denial", 0) => {
            for (i, &o) in os[..n_first].iter().enumerate() {
                let d = day + i as i64;
                drafts.push(draft(
                    o,
                    d,
                    1,
                    format!("{co} chief {p} resigns after board clash"),
                    vec![format!(
                        "{p}, chief executive of {co}, resigned on {} after a heated board meeting over losses at the \
                         company, two people with direct knowledge of the matter said.",
                        weekday(day)
                    )],
                ));
            }
            drafts.push(draft(
                os[n_first],
                d2,
                2,
                format!("{co} denies chief executive has quit"),
                vec![
                    format!(
                        "{co} on {} denied that its chief executive, {p}, had resigned, calling a media report to that \
                         effect incorrect and speculative.",
                        weekday(d2)
                    ),
                    format!("\"{p} has not resigned,\" the company said in a statement."),
                ],
            ));
        }
        ("denial", 1) => {
            for (i, &o) in os[..n_first].iter().enumerate() {
                drafts.push(draft(
                    o,
                    day + i as i64,
                    1,
                    format!("{cn} army says it captured {t}"),
                    vec![format!(
                        "The {cn} army said on {} that its forces had captured the town of {t} after several days of \
                         heavy fighting.",
                        weekday(day)
                    )],
                ));
            }
            drafts.push(draft(
                os[n_first],
                d2,
                2,
                format!("{t} not captured, {cn2} defence ministry says"),
                vec![format!(
                    "The {cn2} defence ministry denied that {t} had been captured, calling the claim false."
                )],
            ));
        }
        ("denial", _) => {
            for (i, &o) in os[..n_first].iter().enumerate() {
                drafts.push(draft(
                    o,
                    day + i as i64,
                    1,
                    format!("Police arrest {co} founder {p}"),
                    vec![format!(
                        "Police in {t} arrested {p}, the founder of {co}, on {} in an inquiry into public contracts, \
                         prosecutors said.",
                        weekday(day)
                    )],
                ));
            }
            drafts.push(draft(
                os[n_first],
                d2,
                2,
                format!("{co} says founder {p} was not arrested"),
                vec![format!(
                    "{co} denied that {p} had been arrested, saying its founder was at work in {t} on {}.",
                    weekday(d2)
                )],
            ));
        }
        ("exclusive_state", 0) => {
            for (i, &o) in os[..n_first].iter().enumerate() {
                drafts.push(draft(
                    o,
                    day + 1 + i as i64,
                    1,
                    format!("Court refuses to free {t} mayor {p}"),
                    vec![
                        format!(
                            "{p} remains in custody after a court on {} refused a request for release, prosecutors \
                             said.",
                            weekday(day)
                        ),
                        format!("{s}, the mayor of {t}, was arrested last week in a bribery inquiry."),
                    ],
                ));
            }
            drafts.push(draft(
                os[n_first],
                day + 1,
                2,
                format!("{t} mayor {p} freed"),
                vec![format!(
                    "{p} was freed on {} after a court annulled the detention order, a lawyer for the mayor said.",
                    weekday(day)
                )],
            ));
        }
        ("exclusive_state", 1) => {
            for (i, &o) in os[..n_first].iter().enumerate() {
                drafts.push(draft(
                    o,
                    day + i as i64,
                    1,
                    format!("Port of {t} closed to cargo"),
                    vec![format!(
                        "The port of {t} remains closed to all cargo, the port authority said on {}.",
                        weekday(day + i as i64)
                    )],
                ));
            }
            drafts.push(draft(
                os[n_first],
                day + 1,
                2,
                format!("{t} port operating normally, ministry says"),
                vec![format!(
                    "The port of {t} is open and operating normally, the transport ministry said on {}.",
                    weekday(day + 1)
                )],
            ));
        }
        ("exclusive_state", _) => {
            for (i, &o) in os[..n_first].iter().enumerate() {
                drafts.push(draft(
                    o,
                    day + i as i64,
                    1,
                    format!("{cn} says {t} fully liberated"),
                    vec![format!(
                        "The {cn} army said on {} that its forces had fully liberated {t}.",
                        weekday(day)
                    )],
                ));
            }
            drafts.push(draft(
                os[n_first],
                day + 1,
                2,
                format!("Fighting continues in {t}"),
                vec![format!(
                    "{cn2} troops still hold positions in {t}, the {cn2} general staff said on {}.",
                    weekday(day + 1)
                )],
            ));
        }
        ("numeric", v) => {
            let (low, high) = match v {
                0 => (rng.range(20, 60) as u64 * 100, rng.range(80, 150) as u64 * 100),
                1 => (rng.range(5, 20) as u64, rng.range(35, 90) as u64),
                _ => (rng.range(8, 12) as u64 * 1000, rng.range(15, 25) as u64 * 1000),
            };
            // "More than" goes with the higher figure, or the two would agree. A toll
            // only grows, so the later report gives the lower one: a higher toll a day
            // on is an update, not a contradiction.
            let (a, b) = if v <= 1 || rng.chance(0.5) {
                (high, low)
            } else {
                (low, high)
            };
            let (ha, hb) = (thousands(a), thousands(b));
            let (first_title, first_lead, second_title, second_lead) = match v {
                0 => (
                    format!("Strike halts work at {co} plant in {t}"),
                    format!("More than {ha} workers are on strike at the {co} plant in {t}, the union said."),
                    format!("{t} strike smaller than claimed, ministry says"),
                    format!("About {hb} workers are on strike at the {co} plant in {t}, the labour ministry said."),
                ),
                1 => (
                    format!("Dam collapse near {t} kills {a}"),
                    format!("{a} people were killed when the {t} dam collapsed, police said."),
                    format!("{t} dam toll put at {b}"),
                    format!("{b} people were killed when the {t} dam collapsed, a local official said."),
                ),
                _ => (
                    format!("{cn} masses troops near {t}"),
                    format!("{cn} has deployed about {ha} troops to the border near {t}, {cn2} officials said."),
                    format!("{cn} troop build-up near {t} larger than thought"),
                    format!("{cn} has deployed some {hb} troops to the border near {t}, a defence analyst said."),
                ),
            };
            for (i, &o) in os[..n_first].iter().enumerate() {
                drafts.push(draft(
                    o,
                    day + i as i64,
                    1,
                    first_title.clone(),
                    vec![first_lead.clone()],
                ));
            }
            drafts.push(draft(os[n_first], d2, 2, second_title, vec![second_lead]));
        }
        ("temporal", v) => {
            let e1 = day;
            let e2 = day + rng.range(2, 7) as i64;
            let (a, b) = if rng.chance(0.5) { (e1, e2) } else { (e2, e1) };
            let published = e2 + 1;
            let (first_title, first_lead, second_title, second_lead) = if v.is_multiple_of(2) {
                (
                    format!("{co} signs supply deal with {co2}"),
                    format!(
                        "{co} signed a supply agreement with {co2} on {}, the companies said.",
                        month_day(a)
                    ),
                    format!("{co} seals {co2} deal"),
                    format!(
                        "{co} signed the supply agreement with {co2} on {}, a spokesman for the company said.",
                        month_day(b)
                    ),
                )
            } else {
                (
                    format!("{t} dam collapses"),
                    format!("The {t} dam collapsed on {}, the interior ministry said.", month_day(a)),
                    format!("{t} dam burst"),
                    format!("The {t} dam collapsed on {}, local officials said.", month_day(b)),
                )
            };
            for (i, &o) in os[..n_first].iter().enumerate() {
                drafts.push(draft(
                    o,
                    published + i as i64,
                    1,
                    first_title.clone(),
                    vec![first_lead.clone()],
                ));
            }
            drafts.push(draft(os[n_first], published + 1, 2, second_title, vec![second_lead]));
        }
        ("reversal", v) => {
            let later = day + rng.range(2, 4) as i64;
            let (first_title, first_lead, second_title, second_lead) = if v.is_multiple_of(2) {
                (
                    format!("{co} says CEO {p} has resigned"),
                    format!(
                        "{co} said on {} that its chief executive, {p}, had resigned.",
                        weekday(day)
                    ),
                    format!("{co} says CEO {s} has not resigned"),
                    format!(
                        "{co} said on {} that {p} had not resigned and remains chief executive.",
                        weekday(later)
                    ),
                )
            } else {
                (
                    format!("{t} prefecture suspends council head {p}"),
                    format!(
                        "The {t} prefecture said on {} that it had suspended {p}, head of the town council, pending \
                         an inquiry.",
                        weekday(day)
                    ),
                    format!("{t} prefecture retracts suspension of {s}"),
                    format!(
                        "The {t} prefecture said on {} that it had not suspended {p}, and retracted its earlier \
                         statement.",
                        weekday(later)
                    ),
                )
            };
            // One claimer, reported once on each day: the first side has one article.
            drafts.push(draft(os[0], day, 1, first_title, vec![first_lead]));
            drafts.push(draft(os[1], later, 2, second_title, vec![second_lead]));
        }
        _ => unreachable!("unknown conflict kind {kind}"),
    }
    if follow_up {
        let o = *os.last().unwrap_or(&0);
        let d = drafts.iter().map(|d| d.day).max().unwrap_or(day) + 1;
        drafts.push(draft(
            o,
            d,
            0,
            format!("What we know about {t}"),
            vec![format!(
                "{t} has drawn attention this week. Here is the background to the story, which involves {co} and \
                 officials in {cn}."
            )],
        ));
    }
    for d in &mut drafts {
        if rng.chance(0.3) {
            d.dateline = Some(c.town.to_uppercase());
        }
        d.cast = c.names();
    }
    Story {
        drafts,
        conflict: Some(kind),
    }
}

/// A story every outlet reports the same way (two to four articles).
pub fn agreement(rng: &mut Rng, pools: &Pools, day: i64) -> Story {
    let c = Cast::new(rng, pools);
    let n = rng.range(2, 4);
    let os = outlets(rng, pools, n);
    let (p, t, co, cn) = (&c.person, &c.town, &c.company, &c.country);
    let toll = rng.range(3, 40);
    let signed = day - rng.range(0, 1) as i64;
    let variant = rng.below(3);
    let drafts = os
        .iter()
        .enumerate()
        .map(|(i, &o)| {
            let d = day + i as i64;
            let (title, lead) = match variant {
                0 => (
                    format!("{co} appoints {p} as chief executive"),
                    format!("{co} said it had appointed {p} as its new chief executive, effective next month."),
                ),
                1 => (
                    format!("{toll} killed as storm hits {t}"),
                    format!("{toll} people were killed when a storm hit {t} in {cn}, the interior ministry said."),
                ),
                _ => (
                    format!("{co} signs transport accord with {t} council"),
                    format!(
                        "{co} signed a transport agreement with the {t} town council on {}, officials said.",
                        month_day(signed)
                    ),
                ),
            };
            let mut d = draft(o, d, 0, title, vec![lead]);
            d.cast = c.names();
            d
        })
        .collect();
    Story { drafts, conflict: None }
}

/// One article with no story around it: markets, weather, culture, local politics.
pub fn background(rng: &mut Rng, pools: &Pools, day: i64) -> Story {
    let outlet = pools.outlet(rng);
    let t = pools.town(rng).to_string();
    let co = pools.company(rng).to_string();
    let cn = pools.country(rng).to_string();
    let p = pools.person(rng).to_string();
    let pct = format!("{}.{}", rng.range(0, 6), rng.range(0, 9));
    let (title, lead) = match rng.below(5) {
        0 => (
            format!("{co} shares edge {} as {cn} markets wait on data", updown(rng)),
            format!(
                "Shares in {co} ended {pct} percent {} on {}, in line with the wider market in {cn}.",
                updown(rng),
                weekday(day)
            ),
        ),
        1 => (
            format!("Heavy rain expected across {cn} this week"),
            format!("Forecasters expect heavy rain across much of {cn} in the coming days, with the wettest weather near {t}."),
        ),
        2 => (
            format!("{t} prepares for its summer music festival"),
            format!("The town of {t} is preparing for its annual music festival, which {p} has directed for several years."),
        ),
        3 => (
            format!("{t} council debates new bus routes"),
            format!("Members of the {t} town council discussed plans for three new bus routes at a meeting chaired by {p}."),
        ),
        _ => (
            format!("{co} opens research centre in {t}"),
            format!("{co} has opened a research centre in {t}, where {p} will lead a team working on new materials."),
        ),
    };
    let mut d = draft(outlet, day, 0, title, vec![lead]);
    if rng.chance(0.2) {
        d.dateline = Some(t.to_uppercase());
    }
    Story {
        drafts: vec![d],
        conflict: None,
    }
}

fn updown(rng: &mut Rng) -> &'static str {
    if rng.chance(0.5) {
        "higher"
    } else {
        "lower"
    }
}

/// One sentence of background that makes no claim a reader would contest, with names from
/// the popular pools and, half the time, the story's own town, company and country (`cast`:
/// town, company, country), so a story's articles read alike.
pub fn filler(rng: &mut Rng, pools: &Pools, cast: &[String]) -> String {
    let own = cast.len() == 3 && rng.chance(0.5);
    let t = if own { cast[0].as_str() } else { pools.town(rng) };
    let t2 = pools.town(rng);
    let co = if own { cast[1].as_str() } else { pools.company(rng) };
    let cn = if own { cast[2].as_str() } else { pools.country(rng) };
    let p = pools.person(rng);
    let year = rng.range(1978, 2022);
    match rng.below(16) {
        0 => format!("The region around {t} is known for its orchards and its long, cold winters."),
        1 => format!("{co} has had offices in {t} since {year}."),
        2 => format!("{p} has been a member of the {t} town council since {year}."),
        3 => format!("{t} sits on the main road to the coast, an hour's drive from {t2}."),
        4 => format!("Economists at {co} see inflation in {cn} easing by the end of the year."),
        5 => format!("Local newspapers in {t} gave the story wide coverage."),
        6 => format!("Rail services to {t} ran on a reduced timetable for part of the week."),
        7 => format!("Tourism accounts for a large share of income in {t} and the surrounding villages."),
        8 => format!("The next session of the {cn} parliament is scheduled for the autumn."),
        9 => format!("{p}, a historian at the university in {t2}, has written widely about the region."),
        10 => format!("The annual report of {co} is due later in the year."),
        11 => format!("The hills east of {t} are popular with hikers in the summer months."),
        12 => format!("Fishing and light industry have long been the main employers in {t}."),
        13 => format!("The main square of {t} was busy with market stalls on the weekend."),
        14 => format!("A new library opened in {t2} last spring, funded in part by {co}."),
        _ => format!("Relations between {cn} and its neighbours have been calm in recent months."),
    }
}

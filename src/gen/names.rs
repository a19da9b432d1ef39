//! Invented names built from syllable tables: people, towns, countries, companies and
//! outlets. Nothing here is taken from a list of real names; the tables only give the
//! names a plausible shape (two or three syllables, a few common endings), so the
//! pipeline meets capitalised strings it has never seen, as it does in real news.

use super::rng::{Rng, Zipf};

const ONSETS: &[&str] = &[
    "b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "gr", "kr", "tr", "st",
    "sv", "vl", "th", "sh", "ch", "j", "ol", "el", "an",
];
const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "a", "e", "o", "a", "i", "ai", "ei"];
const CODAS: &[&str] = &["", "", "", "n", "r", "l", "s", "k", "m", "t", "nd", "rt"];
const SURNAME_ENDINGS: &[&str] = &[
    "", "", "", "ik", "ov", "sen", "ara", "esk", "ano", "ski", "elli", "ac", "ova", "ez", "ind", "ur", "oni", "dal",
];
const TOWN_ENDINGS: &[&str] = &[
    "", "", "vik", "ora", "heim", "grad", "ano", "ville", "burg", "stad", "esti", "ach", "pur", "ia", "ona",
];
const COUNTRY_ENDINGS: &[&str] = &["ia", "ania", "ova", "istan", "land", "ea", "ar", "esh", "onia"];
const SECTORS: &[&str] = &[
    "Mining",
    "Steel",
    "Energy",
    "Shipping",
    "Textiles",
    "Foods",
    "Bank",
    "Motors",
    "Telecom",
    "Cement",
    "Airways",
    "Pharma",
    "Logistics",
    "Insurance",
    "Holdings",
    "Chemicals",
    "Power",
    "Rail",
];
const PAPERS: &[&str] = &[
    "Herald",
    "Tribune",
    "Courier",
    "Ledger",
    "Times",
    "Gazette",
    "Post",
    "Daily",
    "Observer",
    "Review",
    "Chronicle",
    "Sentinel",
    "Monitor",
    "Dispatch",
    "Journal",
    "Record",
    "Express",
    "Bulletin",
];

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn syllables(rng: &mut Rng, n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        s.push_str(rng.pick::<&str>(ONSETS));
        s.push_str(rng.pick::<&str>(VOWELS));
        if i + 1 == n || rng.chance(0.15) {
            s.push_str(rng.pick::<&str>(CODAS));
        }
    }
    s
}

/// A given name ("Belan").
pub fn given_name(rng: &mut Rng) -> String {
    capitalize(&syllables(rng, 2))
}

/// A family name ("Moravik").
pub fn surname(rng: &mut Rng) -> String {
    let n = if rng.chance(0.3) { 3 } else { 2 };
    let mut s = syllables(rng, n);
    if n == 2 {
        s.push_str(rng.pick::<&str>(SURNAME_ENDINGS));
    }
    capitalize(&s)
}

/// A person's full name ("Belan Moravik").
pub fn person(rng: &mut Rng) -> String {
    format!("{} {}", given_name(rng), surname(rng))
}

/// A town ("Halvenna").
pub fn town(rng: &mut Rng) -> String {
    let mut s = syllables(rng, 2);
    if rng.chance(0.6) {
        s.push_str(rng.pick::<&str>(TOWN_ENDINGS));
    }
    capitalize(&s)
}

/// A country ("Dolkaria").
pub fn country(rng: &mut Rng) -> String {
    let mut s = syllables(rng, 1);
    s.push_str(rng.pick::<&str>(COUNTRY_ENDINGS));
    capitalize(&s)
}

/// A company ("Tarvessa Mining").
pub fn company(rng: &mut Rng) -> String {
    format!("{} {}", capitalize(&syllables(rng, 2)), *rng.pick::<&str>(SECTORS))
}

/// A news outlet ("Ostrava Ledger").
pub fn outlet(rng: &mut Rng) -> String {
    format!("{} {}", capitalize(&syllables(rng, 2)), *rng.pick::<&str>(PAPERS))
}

/// Pools of recurring names with Zipf-like popularity: the people, towns, companies and
/// countries that appear in many articles, as the well-known names do in real news.
#[derive(Clone, Debug)]
pub struct Pools {
    /// People, most popular first.
    pub people: Vec<String>,
    /// Towns.
    pub towns: Vec<String>,
    /// Companies.
    pub companies: Vec<String>,
    /// Countries.
    pub countries: Vec<String>,
    /// Outlets.
    pub outlets: Vec<String>,
    people_pop: Zipf,
    towns_pop: Zipf,
    companies_pop: Zipf,
    countries_pop: Zipf,
    outlets_pop: Zipf,
}

/// Draws `n` distinct names.
fn distinct(rng: &mut Rng, n: usize, make: fn(&mut Rng) -> String) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(n);
    let mut tries = 0;
    while out.len() < n && tries < n * 20 {
        tries += 1;
        let s = make(rng);
        if seen.insert(s.clone()) {
            out.push(s);
        }
    }
    out
}

impl Pools {
    /// Pools for a corpus: `outlets` news outlets and name pools sized for `articles`.
    pub fn new(rng: &mut Rng, articles: usize, outlets: usize) -> Pools {
        let scale = (articles / 10).clamp(200, 20_000);
        let people = distinct(rng, scale, person);
        let towns = distinct(rng, scale / 2, town);
        let companies = distinct(rng, scale / 4, company);
        let countries = distinct(rng, 40, country);
        let outlets = distinct(rng, outlets.max(2), outlet);
        Pools {
            people_pop: Zipf::new(people.len(), 1.0),
            towns_pop: Zipf::new(towns.len(), 1.0),
            companies_pop: Zipf::new(companies.len(), 1.0),
            countries_pop: Zipf::new(countries.len(), 0.8),
            outlets_pop: Zipf::new(outlets.len(), 0.7),
            people,
            towns,
            companies,
            countries,
            outlets,
        }
    }

    /// A recurring person, popular ones more often.
    pub fn person(&self, rng: &mut Rng) -> &str {
        &self.people[self.people_pop.sample(rng)]
    }

    /// A recurring town.
    pub fn town(&self, rng: &mut Rng) -> &str {
        &self.towns[self.towns_pop.sample(rng)]
    }

    /// A recurring company.
    pub fn company(&self, rng: &mut Rng) -> &str {
        &self.companies[self.companies_pop.sample(rng)]
    }

    /// A recurring country.
    pub fn country(&self, rng: &mut Rng) -> &str {
        &self.countries[self.countries_pop.sample(rng)]
    }

    /// An outlet.
    pub fn outlet(&self, rng: &mut Rng) -> usize {
        self.outlets_pop.sample(rng)
    }
}

/// `n` person names as they are written across a large corpus, for exercising the
/// corpus-wide name clustering: mostly full names drawn with Zipf-like popularity from a
/// pool of about `n / 2` people, some written with an initial ("B. Moravik") or with a
/// one-letter spelling change, as different outlets write them.
pub fn census_names(seed: u64, n: usize) -> Vec<String> {
    let mut rng = Rng::new(seed);
    let pool = distinct(&mut rng, (n / 2).max(1), person);
    let pop = Zipf::new(pool.len(), 1.0);
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let name = &pool[pop.sample(&mut rng)];
        let r = rng.unit();
        if r < 0.1 {
            let (first, last) = name.split_once(' ').unwrap_or(("", name));
            let initial: String = first.chars().take(1).collect();
            out.push(format!("{initial}. {last}"));
        } else if r < 0.15 {
            let mut chars: Vec<char> = name.chars().collect();
            let i = chars.len() - 1 - rng.below(3.min(chars.len()));
            if chars[i].is_ascii_lowercase() {
                chars[i] = *rng.pick(&['a', 'e', 'i', 'o', 'u', 'y']);
            }
            out.push(chars.into_iter().collect());
        } else {
            out.push(name.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_capitalised_words() {
        let mut r = Rng::new(11);
        for _ in 0..200 {
            for name in [
                person(&mut r),
                town(&mut r),
                company(&mut r),
                outlet(&mut r),
                country(&mut r),
            ] {
                assert!(name
                    .split(' ')
                    .all(|w| w.chars().next().is_some_and(|c| c.is_uppercase())));
                assert!(name.chars().all(|c| c.is_ascii_alphabetic() || c == ' '), "{name}");
            }
        }
    }

    #[test]
    fn census_names_repeat_popular_people() {
        let names = census_names(1, 5000);
        assert_eq!(names.len(), 5000);
        let distinct: std::collections::HashSet<&String> = names.iter().collect();
        assert!(distinct.len() < 4000 && distinct.len() > 1000, "{}", distinct.len());
    }
}

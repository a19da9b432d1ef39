//! Table-driven tests of the entities stage: which entity a surface names, which names
//! must merge across spellings and articles, and which near-names must stay apart.

use super::cluster::{resolve, Census, Resolution};
use super::*;
use crate::pipeline::default_gazetteer;

/// Finds the mentions of one article given as a title and a body.
fn mentions(title: &str, body: &str) -> Vec<Mention> {
    let gaz = default_gazetteer().expect("gazetteer");
    let skip = crate::ingest::dateline_len(body);
    let docs = [Doc::new(Field::Title, title, 0), Doc::new(Field::Body, body, skip)];
    find_mentions(&gaz, &docs).mentions
}

/// The key of a mention's entity: the gazetteer key ("country:KP") or the name key.
fn key_of(m: &Mention) -> String {
    let gaz = default_gazetteer().expect("gazetteer");
    match &m.entity {
        EntityRef::Known(e) => gaz.entries[*e as usize].key.to_string(),
        EntityRef::Name(k) => format!("name:{k}"),
    }
}

/// The mention written exactly as `surface` (first one in text order).
fn find<'a>(ms: &'a [Mention], surface: &str, text: &str) -> &'a Mention {
    ms.iter().find(|m| m.surface.as_ref() == surface).unwrap_or_else(|| {
        let seen: Vec<(&str, String)> = ms.iter().map(|m| (m.surface.as_ref(), key_of(m))).collect();
        panic!("no mention {surface:?} in {text:?}; found {seen:?}")
    })
}

/// A surface in a body text and the entity key it must resolve to.
struct PlaceTest {
    text: &'static str,
    surface: &'static str,
    key: &'static str,
}

macro_rules! p {
    ($text:expr, $surface:expr, $key:expr) => {
        PlaceTest {
            text: $text,
            surface: $surface,
            key: $key,
        }
    };
}

fn check_places(cases: &[PlaceTest]) {
    for case in cases {
        let ms = mentions("", case.text);
        let m = find(&ms, case.surface, case.text);
        assert_eq!(key_of(m), case.key, "{:?} in {:?}", case.surface, case.text);
    }
}

/// A body text in which `surface` must not be a place.
struct NotPlaceTest {
    title: &'static str,
    text: &'static str,
    surface: &'static str,
}

macro_rules! np {
    ($title:expr, $text:expr, $surface:expr) => {
        NotPlaceTest {
            title: $title,
            text: $text,
            surface: $surface,
        }
    };
}

fn check_not_places(cases: &[NotPlaceTest]) {
    let gaz = default_gazetteer().expect("gazetteer");
    for case in cases {
        let ms = mentions(case.title, case.text);
        let place = ms.iter().find(|m| {
            m.surface.as_ref() == case.surface
                && match m.entity {
                    EntityRef::Known(e) => {
                        let k = &gaz.entries[e as usize];
                        matches!(k.kind, EntityKind::Country | EntityKind::Place)
                    }
                    _ => false,
                }
        });
        assert!(
            place.is_none(),
            "{:?} read as {} in {:?}",
            case.surface,
            place.map(key_of).unwrap_or_default(),
            case.text
        );
    }
}

#[test]
fn near_names_stay_apart() {
    check_places(&[
        p!("North Korea sent troops to Russia.", "North Korea", "country:KP"),
        p!("South Korea said it was watching.", "South Korea", "country:KR"),
        p!("North Korean troops fought there.", "North Korean", "country:KP"),
        p!("Niger closed its border.", "Niger", "country:NE"),
        p!("Nigeria closed its border.", "Nigeria", "country:NG"),
        p!("Nigerian officials said so.", "Nigerian", "country:NG"),
        p!("Austria and Australia signed a deal.", "Austria", "country:AT"),
        p!("Austria and Australia signed a deal.", "Australia", "country:AU"),
        p!("The Dominican Republic and Dominica agreed.", "Dominica", "country:DM"),
        p!("Guinea and Guinea-Bissau agreed.", "Guinea-Bissau", "country:GW"),
    ]);
}

#[test]
fn ambiguous_names_follow_the_article() {
    check_places(&[
        p!("Georgia's government in Tbilisi said so.", "Georgia", "country:GE"),
        p!(
            "The governor of Georgia spoke in Atlanta, and Texas agreed.",
            "Georgia",
            "region:US-GA"
        ),
        p!("The company is based in Paris, Texas.", "Texas", "region:US-TX"),
        p!("The plant in London, Ontario will close.", "Ontario", "region:CA-ON"),
        // Another country names both a large town and its region "Gaza": the town is
        // meant, not Mozambique's province.
        p!("Aid trucks reached Gaza on Sunday.", "Gaza", "city:281133"),
        p!("Talks opened in Philadelphia.", "Philadelphia", "city:4560349"),
    ]);
    // A town qualified by its state or province is in that country.
    let gaz = default_gazetteer().expect("gazetteer");
    let ms = mentions("", "The plant in London, Ontario will close.");
    let EntityRef::Known(e) = find(&ms, "London", "").entity else {
        panic!("London is a place");
    };
    assert_eq!(gaz.entries[e as usize].country.as_ref(), "CA");
}

#[test]
fn datelines_give_their_place() {
    check_places(&[
        p!("BELGRADE, April 8 - Yugoslavia said.", "BELGRADE", "city:792680"),
        p!("NEW YORK, March 3 - Shares rose.", "NEW YORK", "city:5128581"),
        p!("WASHINGTON, March 3 - The Treasury said.", "WASHINGTON", "city:4140963"),
        p!("GENEVA, March 4 - Talks resumed here.", "GENEVA", "city:2660646"),
        p!(
            "RIO DE JANEIRO, March 2 - Coffee rose.",
            "RIO DE JANEIRO",
            "city:3451190"
        ),
        p!("ST. LOUIS, March 3 - The company said.", "ST. LOUIS", "city:4407066"),
        p!("LOUISVILLE, Ky., March 5 - The company said.", "Ky.", "region:US-KY"),
        p!("WILMINGTON, Del, March 24 - Hercules said.", "Del", "region:US-DE"),
        p!("PITTSBURGH, PA., March 5 - The company said.", "PA.", "region:US-PA"),
        p!(
            "CALGARY, Alberta, March 4 - The company said.",
            "Alberta",
            "region:CA-AB"
        ),
        p!("****LONDON, March 5 - India bought sugar.", "LONDON", "city:2643743"),
        p!("The plant in Troy, Mich., will close.", "Mich.", "region:US-MI"),
    ]);
}

#[test]
fn historic_and_adjective_forms_name_the_country() {
    check_places(&[
        p!("West German officials said so.", "West German", "country:DE"),
        p!("West Germany said so.", "West Germany", "country:DE"),
        p!("Soviet officials said so.", "Soviet", "country:SU"),
        p!("The USSR said so.", "USSR", "country:SU"),
        p!("Zaire said so.", "Zaire", "country:ZR"),
        p!("Burma said so.", "Burma", "country:MM"),
        p!("Brazilian coffee prices rose.", "Brazilian", "country:BR"),
        p!("Japanese insurers bought stakes.", "Japanese", "country:JP"),
        p!("Exports to Japan and China rose.", "Japan", "country:JP"),
        p!("Turkey said it would apply.", "Turkey", "country:TR"),
        p!("Morocco will supply fertiliser.", "Morocco", "country:MA"),
        p!("It is a U.S. Agriculture Department loan.", "U.S.", "country:US"),
    ]);
}

#[test]
fn a_possessive_country_stays_the_country() {
    // The capital after "'s" does not make the country part of a longer name.
    check_places(&[
        p!(
            "Soldiers fought in Russia's Kursk region for months.",
            "Russia",
            "country:RU"
        ),
        p!("Officials in Kenya's Rift Valley said so.", "Kenya", "country:KE"),
        p!("Peru\u{2019}s Congress voted on Monday.", "Peru", "country:PE"),
    ]);
}

#[test]
fn region_descriptors_fold_into_one_region() {
    check_places(&[
        p!("Fighting in the Kursk region went on.", "Kursk region", "region:RU-KRS"),
        p!("Fighting in Kursk Oblast went on.", "Kursk Oblast", "region:RU-KRS"),
        p!(
            "Fighting in the Kursk border region went on.",
            "Kursk border region",
            "region:RU-KRS"
        ),
        p!("Fighting in the Kursk area went on.", "Kursk area", "region:RU-KRS"),
        p!(
            "Fighting in the Kursk province went on.",
            "Kursk province",
            "region:RU-KRS"
        ),
        p!(
            "Бои в Курская область продолжались.",
            "Курская область",
            "region:RU-KRS"
        ),
        p!("Troops in Donetsk Oblast held.", "Donetsk Oblast", "region:UA-14"),
    ]);
    // A bare base beside the region is the region too.
    let ms = mentions("", "Fighting in the Kursk border region went on. Kursk was quiet.");
    assert_eq!(key_of(find(&ms, "Kursk", "")), "region:RU-KRS");
}

#[test]
fn common_words_are_not_places() {
    check_not_places(&[
        np!("", "WASHINGTON, March 3 - The Treasury said.", "March"),
        np!("", "Prices rose in March and May.", "March"),
        np!("", "Prices rose in March and May.", "May"),
        np!("", "The Bank said rates would rise.", "Bank"),
        np!("", "Split the difference, he said.", "Split"),
        np!("MERGER TALKS END", "The company said the sale was off.", "Sale"),
        np!("GOLD PRICES RISE", "Gold rose.", "GOLD"),
        np!("", "NORTH CHICAGO, Ill., March 3 - Abbott said.", "NORTH"),
        np!("", "The Central Bank said rates would rise.", "Central"),
        np!("", "The Asian Development Bank lent more.", "Asian"),
    ]);
}

#[test]
fn capitals_act_or_stay_places() {
    let gaz = default_gazetteer().expect("gazetteer");
    // (text, surface, stands for its government, entity key)
    let table = [
        ("Moscow said the region was retaken.", "Moscow", true, "country:RU"),
        ("Pyongyang's military confirmed it.", "Pyongyang", true, "country:KP"),
        ("Kyiv denied the claim.", "Kyiv", true, "country:UA"),
        ("The deal was signed in Pyongyang.", "Pyongyang", false, "city:1871859"),
        ("Talks were held in Moscow on Monday.", "Moscow", false, "city:524901"),
        (
            "The Kremlin said the region was retaken.",
            "Kremlin",
            true,
            "org:kremlin",
        ),
    ];
    for (text, surface, gov, key) in table {
        let ms = mentions("", text);
        let m = find(&ms, surface, text);
        assert_eq!(
            (m.government, key_of(m).as_str()),
            (gov, key),
            "{surface:?} in {text:?}"
        );
        if let EntityRef::Known(e) = m.entity {
            if gov {
                assert!(gaz.country_of(e).is_some(), "{surface:?} acts for a country");
            }
        }
    }
}

/// A person's name with its role or title stripped off.
struct RoleTest {
    text: &'static str,
    name: &'static str,
    role: Option<&'static str>,
}

macro_rules! r {
    ($text:expr, $name:expr, $role:expr) => {
        RoleTest {
            text: $text,
            name: $name,
            role: $role,
        }
    };
}

#[test]
fn roles_are_stripped_from_names() {
    let table = [
        r!("President Vladimir Putin said so.", "Vladimir Putin", Some("President")),
        r!("Gen. Valery Gerasimov said so.", "Valery Gerasimov", Some("Gen.")),
        r!("Mr. John Smith said so.", "John Smith", Some("Mr.")),
        r!(
            "He met Chancellor of the Exchequer Nigel Lawson on Monday.",
            "Nigel Lawson",
            Some("Chancellor of the Exchequer")
        ),
        r!(
            "He met Foreign Minister Sergei Lavrov on Monday.",
            "Sergei Lavrov",
            Some("Foreign Minister")
        ),
        r!("He met Volodymyr Zelensky on Monday.", "Volodymyr Zelensky", None),
        // A lowercase office after a country is the country's; after another name, that
        // body's, which makes no official of a state.
        r!(
            "Russian president Vladimir Putin said so.",
            "Vladimir Putin",
            Some("president")
        ),
        r!("Transvia president Marta Kessler said so.", "Marta Kessler", None),
    ];
    for case in table {
        let ms = mentions("", case.text);
        let m = find(&ms, case.name, case.text);
        assert_eq!(m.kind, EntityKind::Person, "{:?}", case.text);
        assert_eq!(m.role.as_deref(), case.role, "{:?}", case.text);
    }
}

/// Clusters the names of several articles (one body each).
fn cluster(bodies: &[&str]) -> (Vec<Vec<Mention>>, Resolution) {
    let mut census = Census::default();
    let mut all = Vec::new();
    for body in bodies {
        let gaz = default_gazetteer().expect("gazetteer");
        let docs = [Doc::new(Field::Title, "", 0), Doc::new(Field::Body, body, 0)];
        let names = find_mentions(&gaz, &docs);
        census.add(&HeldNames::pack(names.clone()));
        all.push(names.mentions);
    }
    (all, resolve(&census))
}

/// The entity of a name mention after clustering.
fn entity_of(res: &Resolution, m: &Mention) -> u32 {
    match &m.entity {
        EntityRef::Name(k) => res.map[k],
        EntityRef::Known(_) => panic!("{:?} is a gazetteer entry", m.surface),
    }
}

/// Two mentions (article index, surface) and whether they name one entity.
struct MergeTest {
    a: (usize, &'static str),
    b: (usize, &'static str),
    merge: bool,
}

macro_rules! m {
    ($a:expr, $b:expr, $merge:expr) => {
        MergeTest {
            a: $a,
            b: $b,
            merge: $merge,
        }
    };
}

#[test]
fn spelling_variants_merge_across_articles() {
    let (ms, res) = cluster(&[
        "President Volodymyr Zelensky said Ukraine would fight on.",
        "Volodymyr Zelenskyy told reporters the front held.",
        "Ukrainian President Volodymyr Zelenskiy spoke on Monday. Zelenskiy added more.",
        "Russian media quoted Vladimir Zelensky as saying so.",
        "Defence Secretary John Smith said troops would stay. Smith added that no date was set.",
        "The economist Adam Smith said growth would slow. Smith added that rates would rise.",
        "Jane Smith, a lawyer, said the case was closed.",
        "Oleksandr Syrskyi visited the front.",
        "Alexander Syrsky said the line held.",
        "Alexandra Syrsky, his niece, said so.",
        "Kim Jong Un watched the test. North Korea said it worked.",
        "Kim Jong Il died in 2011.",
    ]);
    let table = [
        m!((0, "Volodymyr Zelensky"), (1, "Volodymyr Zelenskyy"), true),
        m!((0, "Volodymyr Zelensky"), (2, "Volodymyr Zelenskiy"), true),
        m!((2, "Zelenskiy"), (1, "Volodymyr Zelenskyy"), true),
        m!((3, "Vladimir Zelensky"), (0, "Volodymyr Zelensky"), true),
        m!((4, "John Smith"), (5, "Adam Smith"), false),
        m!((4, "Smith"), (4, "John Smith"), true),
        m!((5, "Smith"), (5, "Adam Smith"), true),
        m!((4, "Smith"), (5, "Smith"), false),
        m!((6, "Jane Smith"), (4, "John Smith"), false),
        m!((7, "Oleksandr Syrskyi"), (8, "Alexander Syrsky"), true),
        m!((9, "Alexandra Syrsky"), (8, "Alexander Syrsky"), false),
        m!((10, "Kim Jong Un"), (11, "Kim Jong Il"), false),
    ];
    for case in table {
        let a = find(&ms[case.a.0], case.a.1, "");
        let b = find(&ms[case.b.0], case.b.1, "");
        assert_eq!(
            entity_of(&res, a) == entity_of(&res, b),
            case.merge,
            "{:?} / {:?}",
            case.a,
            case.b
        );
    }
}

#[test]
fn an_institution_keeps_its_list_of_portfolios() {
    let text = "The Ministry of Energy, Mines and Water said output rose. Friends of Anna Holt, Ben Cole and Tom Reyes agreed.";
    let ms = mentions("", text);
    find(&ms, "Ministry of Energy, Mines and Water", text);
    // A list after a name that is not an institution's stays a list.
    let surfaces: Vec<&str> = ms.iter().map(|m| m.surface.as_ref()).collect();
    assert!(surfaces.iter().filter(|s| s.contains(',')).count() == 1, "{surfaces:?}");
}

#[test]
fn a_word_opening_a_quotation_is_not_a_name() {
    let text = "\"Sadly, one of the passengers died in the forest,\" the police said.";
    let ms = mentions("", text);
    assert!(ms.iter().all(|m| m.surface.as_ref() != "Sadly"), "{ms:?}");
}

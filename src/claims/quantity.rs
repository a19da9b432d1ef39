//! Figures with their unit and bound: "about 11,000 troops", "more than 600 killed",
//! "up to 15,000", "between 10 and 20 people", "$1.5 billion".

use crate::lexicon::{Class, Lexicon};
use crate::model::{Bound, Quantity};
use crate::segment::Doc;
use crate::text::TokenKind;

/// Classes of the phrases at token `i` that end before `end` (longest first), with their
/// lengths.
fn phrases<'d>(doc: &'d Doc, i: usize, end: usize) -> impl Iterator<Item = (Class, usize)> + 'd {
    doc.cues(i)
        .iter()
        .filter(move |m| i + m.len <= end)
        .map(|m| (m.class, m.len))
}

/// Reads a figure at token `i`: digits ("11,000", "1.5") or number words ("three", "a
/// dozen"), with a scale word after it ("million", "bn"). Returns (value, tokens used).
fn figure(doc: &Doc, i: usize, end: usize) -> Option<(f64, usize)> {
    let lex = Lexicon::get();
    let tok = doc.tokens[i];
    let (mut value, mut used, glued_scale) = match tok.kind {
        TokenKind::Number => (parse_number(doc.word(i))?, 1, None),
        TokenKind::Word => {
            let w = doc.lower(i);
            if w.as_bytes()[0].is_ascii_digit() {
                // "1.5bn", "20m", "9mm": digits glued to a scale or unit.
                let split = w
                    .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
                    .unwrap_or(w.len());
                let v = parse_number(&w[..split])?;
                (v, 1, Some(&w[split..]))
            } else {
                let (c, len) = phrases(doc, i, end).find(|(c, _)| matches!(c, Class::Number(_)))?;
                let Class::Number(v) = c else { return None };
                (lex.values[v as usize], len, None)
            }
        }
        TokenKind::Punct => return None,
    };
    if let Some(suffix) = glued_scale {
        match suffix {
            "" => {}
            "k" => value *= 1e3,
            "m" | "mn" | "mln" => value *= 1e6,
            "bn" | "b" | "bln" => value *= 1e9,
            _ => return None,
        }
    }
    if i + used < end {
        if let Some((Class::Scale(s), len)) = phrases(doc, i + used, end)
            .into_iter()
            .find(|(c, _)| matches!(c, Class::Scale(_)))
        {
            // A lone letter scale ("m", "k") only right after digits.
            let w = doc.lower(i + used);
            if w.len() > 1 || tok.kind == TokenKind::Number {
                value *= lex.values[s as usize];
                used += len;
            }
        }
    }
    Some((value, used))
}

fn parse_number(s: &str) -> Option<f64> {
    let cleaned: String = s.chars().filter(|&c| c != ',').collect();
    let v: f64 = cleaned.parse().ok()?;
    v.is_finite().then_some(v)
}

/// The first figure with a unit in `doc.tokens[start..end]`.
pub fn find(doc: &Doc, start: usize, end: usize) -> Option<Quantity> {
    let lex = Lexicon::get();
    let mut i = start;
    while i < end {
        let Some((value, used)) = figure(doc, i, end) else {
            i += 1;
            continue;
        };
        let word = doc.word(i);
        // Years and days of the month are dates, not quantities.
        let prev = (i > start).then(|| doc.lower(i - 1));
        let is_year = doc.tokens[i].kind == TokenKind::Number && word.len() == 4 && (1900.0..=2100.0).contains(&value);
        let after_month = prev.is_some_and(|p| crate::date::month_from_name(p).is_some());
        if is_year || after_month {
            i += used;
            continue;
        }
        let mut j = i + used;
        // Range: "10 to 20", "10-20", "between 10 and 20".
        let mut high_value = None;
        if j + 1 < end && matches!(doc.lower(j), "to" | "-" | "–" | "and") {
            if let Some((v2, used2)) = figure(doc, j + 1, end) {
                if v2 > value {
                    high_value = Some(v2);
                    j += 1 + used2;
                }
            }
        }
        // Unit: currency before, or a unit noun within a few words after ("11,000 North
        // Korean troops").
        let mut unit: Option<&'static str> = None;
        if i > start {
            unit = match doc.word(i - 1) {
                "$" => Some("usd"),
                "€" => Some("eur"),
                "£" => Some("gbp"),
                _ => None,
            };
        }
        // At most two words between the figure and its unit ("11,000 North Korean
        // troops"); a lowercase word there must not be a cue word.
        let mut k = j;
        let mut unit_noun = "";
        while unit.is_none() && k < end && k < j + 3 {
            if let Some((Class::Unit(u), _)) = phrases(doc, k, end)
                .into_iter()
                .find(|(c, _)| matches!(c, Class::Unit(_)))
            {
                unit = Some(lex.units[u as usize]);
                unit_noun = doc.lower(k);
                break;
            }
            let lw = doc.lower(k);
            if doc.tokens[k].kind != TokenKind::Word
                || (lex.is_stop(lw) && lw != "of")
                || (lex.has(lw) && !crate::text::is_capitalized(doc.word(k)))
            {
                break;
            }
            k += 1;
        }
        let Some(mut unit) = unit else {
            i = j;
            continue;
        };
        // A count of people says what it counts nearby: "12 people were killed" counts the
        // dead, "200 families displaced" the displaced; a count of workers or troops that
        // died, was hurt or is missing counts the casualties ("12 miners died", "nine
        // soldiers killed"). Otherwise the noun itself is the unit for people ("34 people"
        // and "two children" are not one figure), and workers and troops stay what they
        // are ("represents 14,000 workers", "3,000 workers joined the strike").
        if matches!(unit, "people" | "workers" | "troops") {
            // Being aboard says where the people are, not what befell them: "312
            // passengers aboard the ship have fallen ill" counts the sick.
            let mut qualifiers = (i.saturating_sub(3).max(start)..(k + 7).min(end)).filter_map(|t| {
                phrases(doc, t, end).find_map(|(c, _)| match c {
                    Class::Qualifier(q) => Some(lex.units[q as usize]),
                    _ => None,
                })
            });
            let first = qualifiers.next();
            let qualifier = match first {
                Some("aboard") => qualifiers.find(|&q| q != "aboard").or(first),
                _ => first,
            };
            unit = match qualifier {
                Some(q) if unit == "people" || matches!(q, "dead" | "injured" | "missing") => q,
                _ if unit == "people" => crate::text::stem(unit_noun),
                _ => unit,
            };
        }
        // Bound written before the figure: "about", "at least", "up to", "between".
        let mut bound = if high_value.is_some() {
            Bound::Range
        } else {
            Bound::Exact
        };
        let mut text_start = doc.tokens[i].start as usize;
        if high_value.is_none() {
            for back in 1..=3usize {
                if i < start + back {
                    break;
                }
                let b = i - back;
                let found = phrases(doc, b, i)
                    .into_iter()
                    .find(|(c, len)| b + len == i && matches!(c, Class::Approx | Class::AtLeast | Class::AtMost));
                if let Some((c, _)) = found {
                    bound = match c {
                        Class::Approx => Bound::Approx,
                        Class::AtLeast => Bound::AtLeast,
                        _ => Bound::AtMost,
                    };
                    text_start = doc.tokens[b].start as usize;
                    break;
                }
            }
        } else if i > start && doc.lower(i - 1) == "between" {
            text_start = doc.tokens[i - 1].start as usize;
        }
        let (low, high) = match bound {
            Bound::Exact => (value, value),
            Bound::Approx => (value * 0.9, value * 1.1),
            Bound::AtLeast => (value, f64::INFINITY),
            Bound::AtMost => (0.0, value),
            Bound::Range => (value, high_value.unwrap_or(value)),
        };
        let text_end = doc.tokens[k.min(end - 1)].end as usize;
        // "won by 5,500 votes", "rose by 12%": a margin or a change, not a count.
        let first_tok = doc.token_at(text_start);
        let unit = if first_tok > start && doc.lower(first_tok - 1) == "by" {
            format!("{unit} margin")
        } else {
            unit.to_string()
        };
        return Some(Quantity {
            text: doc.text[text_start..text_end.max(text_start)].to_string(),
            low,
            high,
            value,
            unit,
            bound,
            holder: None,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Field;

    fn q(text: &str) -> Option<Quantity> {
        let doc = Doc::new(Field::Title, text, 0);
        find(&doc, 0, doc.tokens.len())
    }

    #[test]
    fn figures_with_bounds_and_units() {
        let a = q("North Korea sent about 11,000 troops to Russia").unwrap();
        assert_eq!((a.value, a.bound, a.unit.as_str()), (11000.0, Bound::Approx, "troops"));
        assert_eq!(a.text, "about 11,000 troops");
        let b = q("more than 600 people were killed").unwrap();
        assert_eq!((b.value, b.bound, b.high), (600.0, Bound::AtLeast, f64::INFINITY));
        let c = q("up to 15,000 North Korean soldiers").unwrap();
        assert_eq!((c.value, c.bound, c.unit.as_str()), (15000.0, Bound::AtMost, "troops"));
        let d = q("between 10 and 20 civilians died").unwrap();
        assert_eq!((d.low, d.high, d.bound), (10.0, 20.0, Bound::Range));
        let e = q("a $1.5 billion deal").unwrap();
        assert_eq!((e.value, e.unit.as_str()), (1.5e9, "usd"));
        let f = q("twelve people died").unwrap();
        assert_eq!(f.value, 12.0);
    }

    #[test]
    fn casualties_among_workers_and_troops_count_the_casualties() {
        let unit = |t: &str| q(t).map(|q| q.unit);
        assert_eq!(unit("12 miners had died in the gallery").as_deref(), Some("dead"));
        assert_eq!(unit("nine soldiers were killed at the base").as_deref(), Some("dead"));
        assert_eq!(unit("40 nurses were injured").as_deref(), Some("injured"));
        assert_eq!(
            unit("the union represents some 14,000 workers").as_deref(),
            Some("workers")
        );
        assert_eq!(unit("3,000 workers joined the strike").as_deref(), Some("workers"));
        assert_eq!(unit("about 5,000 troops were deployed").as_deref(), Some("troops"));
    }

    #[test]
    fn people_on_board_are_one_count_whatever_the_noun() {
        let unit = |t: &str| q(t).map(|q| q.unit);
        assert_eq!(unit("the ferry was carrying 96 people").as_deref(), Some("aboard"));
        assert_eq!(unit("a jet carrying 186 passengers").as_deref(), Some("aboard"));
        assert_eq!(unit("212 passengers were on board").as_deref(), Some("aboard"));
        // With no word of being aboard, the noun stays the unit.
        assert_eq!(unit("186 passengers complained").as_deref(), Some("passenger"));
    }

    #[test]
    fn what_befell_people_aboard_is_what_is_counted() {
        let unit = |t: &str| q(t).map(|q| q.unit);
        assert_eq!(
            unit("90 guests aboard the liner have fallen ill").as_deref(),
            Some("sick")
        );
        assert_eq!(
            unit("about 30 people stayed in isolation on board").as_deref(),
            Some("isolated")
        );
        assert_eq!(unit("a liner carrying 90 guests").as_deref(), Some("aboard"));
    }

    #[test]
    fn dates_and_bare_numbers_are_not_quantities() {
        assert!(q("signed on June 19, 2024 in Pyongyang").is_none());
        assert!(q("in 2024 the war went on").is_none());
        assert!(q("he was 57").is_none());
    }
}

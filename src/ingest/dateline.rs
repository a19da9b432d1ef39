//! Datelines: the place-and-date lead of a wire story ("SEOUL, April 28 -",
//! "Seoul [South Korea], April 28", "KYIV, April 29 (Eastern Wire) -", "WASHINGTON (AP) —").
//! The dateline's place is still read as a name (it often tells the story's country), but
//! the dateline is kept out of the claims.

use once_cell::sync::Lazy;
use regex::Regex;

/// Byte length of the dateline at the start of `body`, 0 when there is none.
pub fn dateline_len(body: &str) -> usize {
    static PLACE_DATE: Lazy<Regex> = Lazy::new(|| {
        Regex::new(concat!(
            // The place, with its country or state in brackets or after a comma.
            r"^\s*[\p{Lu}][\p{L}.'\- ]{1,40}?(?: \[[^\]\n]{1,40}\])?(?:, [\p{Lu}][\p{L}.' ]{1,30}?)?, ",
            r"(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]{0,6}\.? \d{1,2}(?:,? \d{4})?",
            r"|\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]{0,6}\.?(?: \d{4})?)",
            r"(?: ?\([^)\n]{1,40}\))?(?:\s*[-–—:]+\s*|\s+)"
        ))
        .expect("dateline pattern")
    });
    static PLACE_AGENCY: Lazy<Regex> = Lazy::new(|| {
        Regex::new(r"^\s*[\p{Lu}][\p{Lu}.'\- ]{1,40}(?:, [\p{L}.' ]{2,30})?(?: \([^)\n]{1,30}\))? ?[-–—]+\s*")
            .expect("dateline pattern")
    });
    let head = match body.char_indices().nth(120) {
        Some((i, _)) => &body[..i],
        None => body,
    };
    if let Some(m) = PLACE_DATE.find(head) {
        return m.end();
    }
    if let Some(m) = PLACE_AGENCY.find(head) {
        return m.end();
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! t {
        ($body:expr, $rest:expr) => {
            let n = dateline_len($body);
            assert_eq!(&$body[n..], $rest, "body {:?}", $body);
        };
    }

    #[test]
    fn wire_datelines() {
        t!("SALVADOR, Feb 26 - Showers continued", "Showers continued");
        t!(
            "Seoul [South Korea], April 28 North Korea on Monday",
            "North Korea on Monday"
        );
        t!("KYIV, April 29 (Eastern Wire) - Ukraine said", "Ukraine said");
        t!("WASHINGTON (AP) — The State Department", "The State Department");
        t!("NEW YORK, March 3 - Shares", "Shares");
        t!("LONDON, 3 March 2025 — Talks", "Talks");
        t!(
            "PORTO ALEGRE, Brazil, May 14 (Harbor Wire) - Police said",
            "Police said"
        );
        t!("SPRINGFIELD, Ill., Oct. 2 - The governor", "The governor");
    }

    #[test]
    fn ordinary_openings_are_not_datelines() {
        t!(
            "North Korea on Monday confirmed it had sent troops.",
            "North Korea on Monday confirmed it had sent troops."
        );
        t!("The Kremlin said on May 2 that", "The Kremlin said on May 2 that");
        t!(
            "Residents of Lagos, Nigeria, said on May 2 that",
            "Residents of Lagos, Nigeria, said on May 2 that"
        );
        t!("", "");
    }
}

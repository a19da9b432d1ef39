//! Text that feeds garble on the way: HTML character references left in ("R&amp;D",
//! "&#8217;") and UTF-8 that was read as Windows-1252 and written again ("Â£5m",
//! "itâ€™s"). Both are undone, so the words match the lexicons and gazetteer and the
//! report quotes what the outlet wrote.

/// Named references that appear in news feeds.
const NAMED: [(&str, char); 20] = [
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", '\u{a0}'),
    ("ndash", '\u{2013}'),
    ("mdash", '\u{2014}'),
    ("lsquo", '\u{2018}'),
    ("rsquo", '\u{2019}'),
    ("ldquo", '\u{201c}'),
    ("rdquo", '\u{201d}'),
    ("hellip", '\u{2026}'),
    ("pound", '£'),
    ("euro", '€'),
    ("yen", '¥'),
    ("copy", '©'),
    ("reg", '®'),
    ("deg", '°'),
    ("eacute", 'é'),
];

/// The character of the reference at the start of `s` (just after its "&") and the
/// length of what follows the "&", up to and including the ";".
fn reference(s: &str) -> Option<(char, usize)> {
    let end = s.bytes().take(12).position(|b| b == b';').filter(|&e| e > 0)?;
    let name = s.get(..end)?;
    let ch = if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        // A control character or a surrogate is not text.
        char::from_u32(code).filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))?
    } else {
        NAMED.iter().find(|(n, _)| *n == name)?.1
    };
    Some((ch, end + 1))
}

/// `text` with its character references decoded, or `None` when it has none.
pub(super) fn references(text: &str) -> Option<String> {
    if !text.contains('&') {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut changed = false;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        match reference(&rest[at + 1..]) {
            Some((ch, len)) => {
                out.push(ch);
                rest = &rest[at + 1 + len..];
                changed = true;
            }
            None => {
                out.push('&');
                rest = &rest[at + 1..];
            }
        }
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// The byte Windows-1252 (or Latin-1, for the bytes 1252 leaves undefined) writes as `c`.
fn cp1252_byte(c: char) -> Option<u8> {
    let b = match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8a,
        '‹' => 0x8b,
        'Œ' => 0x8c,
        'Ž' => 0x8e,
        '\u{2018}' => 0x91,
        '\u{2019}' => 0x92,
        '\u{201c}' => 0x93,
        '\u{201d}' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9a,
        '›' => 0x9b,
        'œ' => 0x9c,
        'ž' => 0x9e,
        'Ÿ' => 0x9f,
        c if (c as u32) >= 0x80 && (c as u32) <= 0xff => c as u32 as u8,
        _ => return None,
    };
    Some(b)
}

/// `text` with UTF-8 read as Windows-1252 undone ("Â£" → "£", "â€™" → "’"), or `None`
/// when there is none. Only a run of characters whose bytes form one valid UTF-8
/// character of two to four bytes is replaced: a lead byte, then continuation bytes. Such
/// runs ("Ã©", "â€") do not occur in text written in any language.
pub(super) fn mojibake(text: &str) -> Option<String> {
    if text.is_ascii() {
        return None;
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut i = 0;
    while i < chars.len() {
        let lead = cp1252_byte(chars[i]).filter(|b| (0xc2..=0xf4).contains(b));
        let need = match lead {
            Some(b) if b < 0xe0 => 1,
            Some(b) if b < 0xf0 => 2,
            Some(_) => 3,
            None => 0,
        };
        if need > 0 && i + need < chars.len() {
            let mut bytes = vec![lead.unwrap_or_default()];
            bytes.extend(chars[i + 1..=i + need].iter().filter_map(|&c| cp1252_byte(c)));
            let continuation = bytes.len() == need + 1 && bytes[1..].iter().all(|b| (0x80..=0xbf).contains(b));
            if let (true, Ok(s)) = (continuation, std::str::from_utf8(&bytes)) {
                out.push_str(s);
                changed = true;
                i += need + 1;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn character_references_are_decoded() {
        assert_eq!(references("R&amp;D spending").as_deref(), Some("R&D spending"));
        assert_eq!(
            references("it&#8217;s &quot;final&quot; &#x2014; &pound;5m").as_deref(),
            Some("it\u{2019}s \"final\" \u{2014} £5m")
        );
        // Not references: a bare ampersand, an unknown name, no semicolon, a control.
        assert_eq!(references("AT&T and P&G"), None);
        assert_eq!(references("Q&A; &bogus; &amp &#1;"), None);
        assert_eq!(references("plain text"), None);
    }

    #[test]
    fn utf8_read_as_windows_1252_is_undone() {
        assert_eq!(mojibake("a Â£1bn budget").as_deref(), Some("a £1bn budget"));
        assert_eq!(mojibake("itâ€™s done").as_deref(), Some("it\u{2019}s done"));
        assert_eq!(mojibake("CafÃ© in ZÃ¼rich").as_deref(), Some("Café in Zürich"));
        // Text in other languages is left alone.
        for text in [
            "São Paulo",
            "Ångström, Ölstad, Ærø",
            "Ã la carte",
            "naïve café",
            "Курская область",
        ] {
            assert_eq!(mojibake(text), None, "{text}");
        }
    }
}

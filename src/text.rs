//! Word-level helpers shared by the stages: a tokenizer that keeps byte offsets, case
//! tests, lowercasing into a reusable buffer, a light stemmer and term hashing.
//!
//! The tokenizer is a single pass over the bytes with no allocation beyond the output
//! vector, which callers reuse.

use std::hash::{Hash, Hasher};

use rustc_hash::FxHasher;

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters, possibly with inner apostrophes, hyphens or dots ("didn't", "al-Rashidi",
    /// "U.S.").
    Word,
    /// Digits, possibly with inner separators ("11,000", "7.5").
    Number,
    /// Any other single non-space character.
    Punct,
}

/// A token: byte range in the text it was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// Start byte.
    pub start: u32,
    /// End byte (exclusive).
    pub end: u32,
    /// Kind.
    pub kind: TokenKind,
}

impl Token {
    /// The token's text.
    #[inline]
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start as usize..self.end as usize]
    }
}

/// Splits `text` into tokens, appending to `out` (which is cleared first). Offsets are
/// relative to `text` plus `base`.
pub fn tokenize(text: &str, base: u32, out: &mut Vec<Token>) {
    out.clear();
    let bytes = text.as_bytes();
    let mut i = 0usize;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let c = if b < 0x80 {
            b as char
        } else {
            match text[i..].chars().next() {
                Some(c) => c,
                None => break,
            }
        };
        let start = i;
        if c.is_alphabetic() {
            i = scan_word(text, i);
            out.push(Token {
                start: start as u32 + base,
                end: i as u32 + base,
                kind: TokenKind::Word,
            });
        } else if c.is_ascii_digit() {
            i = scan_number(bytes, i);
            // "20-year-old", "9mm": a number glued to letters is a word.
            if i < bytes.len() && (bytes[i] == b'-' || bytes[i].is_ascii_alphabetic()) {
                let j = scan_word(text, i);
                if j > i + 1 || bytes[i].is_ascii_alphabetic() {
                    i = j;
                    out.push(Token {
                        start: start as u32 + base,
                        end: i as u32 + base,
                        kind: TokenKind::Word,
                    });
                    continue;
                }
            }
            out.push(Token {
                start: start as u32 + base,
                end: i as u32 + base,
                kind: TokenKind::Number,
            });
        } else if c.is_whitespace() {
            i += c.len_utf8();
        } else {
            i += c.len_utf8();
            out.push(Token {
                start: start as u32 + base,
                end: i as u32 + base,
                kind: TokenKind::Punct,
            });
        }
    }
}

/// Scans a word starting at `i`: alphanumerics, with single inner apostrophes, hyphens and
/// (for initialisms like "U.S.") dots between single letters.
fn scan_word(text: &str, mut i: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        // Run of letters/digits.
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_alphanumeric() {
                i += 1;
            } else if b >= 0x80 {
                match text[i..].chars().next() {
                    Some(c) if c.is_alphanumeric() || is_mark(c) => i += c.len_utf8(),
                    _ => break,
                }
            } else {
                break;
            }
        }
        if i >= bytes.len() {
            return i;
        }
        // Inner joiner followed by a letter or digit continues the word.
        let (joiner_len, is_dot) = if bytes[i] == b'\'' || bytes[i] == b'-' {
            (1, false)
        } else if bytes[i] == b'.' {
            (1, true)
        } else if text[i..].starts_with('\u{2019}') {
            (3, false)
        } else {
            return i;
        };
        let next = i + joiner_len;
        let next_is_alnum = text[next..].chars().next().is_some_and(char::is_alphanumeric);
        if is_dot {
            // "U.S.", "e.g.": a dot between single letters; keep the final dot too.
            let prev_single =
                i >= 1 && (i == 1 || !bytes[i - 2].is_ascii_alphanumeric()) || (i >= 2 && bytes[i - 2] == b'.');
            if prev_single && bytes[i - 1].is_ascii_alphabetic() {
                let after = text[next..].chars().next();
                let next_single_letter = after.is_some_and(|c| c.is_ascii_alphabetic())
                    && (next + 1 >= bytes.len() || bytes[next + 1] == b'.');
                if next_single_letter {
                    i = next;
                    continue;
                }
                if i >= 2 && bytes[i - 2] == b'.' {
                    // Final dot of an initialism.
                    return next;
                }
            }
            return i;
        }
        if next_is_alnum {
            i = next;
        } else {
            return i;
        }
    }
}

fn is_mark(c: char) -> bool {
    // Combining marks keep decomposed accents inside the word.
    matches!(c as u32, 0x0300..=0x036F)
}

fn scan_number(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_digit() || ((b == b',' || b == b'.') && i + 1 < bytes.len() && bytes[i + 1].is_ascii_digit()) {
            i += 1;
        } else {
            break;
        }
    }
    i
}

/// True when the word starts with an uppercase letter.
#[inline]
pub fn is_capitalized(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// True when every letter of the word is uppercase and there are at least two letters.
pub fn is_all_caps(word: &str) -> bool {
    let mut letters = 0;
    for c in word.chars() {
        if c.is_lowercase() {
            return false;
        }
        if c.is_alphabetic() {
            letters += 1;
        }
    }
    letters >= 2
}

/// Lowercases `word` into `buf` (cleared first), folding the typographic apostrophe to
/// `'`. ASCII takes a fast path.
#[inline]
pub fn lower_into(word: &str, buf: &mut String) {
    buf.clear();
    if word.is_ascii() {
        buf.push_str(word);
        buf.make_ascii_lowercase();
        return;
    }
    for c in word.chars() {
        if c == '\u{2019}' || c == '\u{2018}' {
            buf.push('\'');
        } else {
            buf.extend(c.to_lowercase());
        }
    }
}

/// Lowercased copy.
pub fn lower(word: &str) -> String {
    let mut s = String::with_capacity(word.len());
    lower_into(word, &mut s);
    s
}

/// A light suffix-stripping stemmer for matching reports of the same story ("ripped",
/// "rips" → "rip"; "speeding", "speeds" → "speed"). It only has to map inflections of one
/// word together; it does not try to produce dictionary forms.
pub fn stem(lower: &str) -> &str {
    let w = lower.strip_suffix("'s").unwrap_or(lower);
    let w = w.strip_suffix('\'').unwrap_or(w);
    let n = w.len();
    if n <= 3 || !w.is_ascii() {
        return w;
    }
    let cut = |suffix: &str| -> Option<&str> {
        let s = w.strip_suffix(suffix)?;
        (s.len() >= 3).then_some(s)
    };
    let base = if let Some(s) = cut("ing") {
        s
    } else if let Some(s) = cut("ied") {
        s
    } else if let Some(s) = cut("ies") {
        s
    } else if let Some(s) = cut("ed") {
        s
    } else if let Some(s) = cut("es").filter(|s| s.ends_with(['s', 'x', 'z']) || s.ends_with("ch") || s.ends_with("sh"))
    {
        s
    } else if w.ends_with("ss") || w.ends_with("us") || w.ends_with("is") {
        w
    } else if let Some(s) = cut("s") {
        s
    } else if let Some(s) = cut("ly") {
        s
    } else {
        w
    };
    // "ripp" -> "rip", "stopp" -> "stop"; "e" endings dropped ("arrive"/"arrived").
    let b = base.as_bytes();
    let k = b.len();
    if k >= 4 && b[k - 1] == b[k - 2] && !matches!(b[k - 1], b'l' | b's' | b'z' | b'e' | b'o') {
        return &base[..k - 1];
    }
    if k >= 4 && b[k - 1] == b'e' {
        return &base[..k - 1];
    }
    base
}

/// Fixed-seed 64-bit hash of a term, so term ids agree across threads and runs.
#[inline]
pub fn term_hash(term: &str) -> u64 {
    let mut h = FxHasher::default();
    term.hash(&mut h);
    h.finish()
}

/// Folds a name for comparison: NFKC, lowercase, diacritics removed, typographic quotes
/// and dashes to ASCII, possessive removed, whitespace collapsed. Idempotent.
pub fn fold_name(name: &str) -> String {
    if name.is_ascii() {
        return fold_ascii(name);
    }
    fold_unicode(name)
}

fn fold_unicode(name: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(name.len());
    let mut last_space = true;
    for c in name.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            '\u{2018}' | '\u{2019}' | '`' | '\u{00b4}' => '\'',
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            _ => c,
        };
        if c.is_whitespace() || c == '_' {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
            continue;
        }
        for l in c.to_lowercase() {
            out.push(l);
        }
        last_space = false;
    }
    trim_possessive(&mut out);
    out.nfc().collect()
}

/// Drops trailing spaces and a possessive ending ("russia's" → "russia", "the smiths'" → "the smiths").
/// Repeated until nothing changes, so that folding a folded name leaves it as it is: an
/// ending cut off can leave a space ("a 's") or another ending ("x's's") behind.
fn trim_possessive(out: &mut String) {
    loop {
        while out.ends_with(' ') {
            out.pop();
        }
        if let Some(s) = out.strip_suffix("'s") {
            out.truncate(s.len());
        } else if out.ends_with("s'") {
            out.pop();
        } else {
            return;
        }
    }
}

/// [`fold_name`] for ASCII text: no normalisation needed, one pass.
fn fold_ascii(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut last_space = true;
    for b in name.bytes() {
        let c = match b {
            b'`' => b'\'',
            b if b.is_ascii_whitespace() || b == b'_' => {
                if !last_space {
                    out.push(' ');
                    last_space = true;
                }
                continue;
            }
            b => b.to_ascii_lowercase(),
        };
        out.push(c as char);
        last_space = false;
    }
    trim_possessive(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        let mut toks = Vec::new();
        tokenize(text, 0, &mut toks);
        toks.iter().map(|t| t.text(text)).collect()
    }

    #[test]
    fn tokens_keep_inner_joiners() {
        assert_eq!(
            words("The U.S. said al-Rashidi's wife didn't go."),
            ["The", "U.S.", "said", "al-Rashidi's", "wife", "didn't", "go", "."]
        );
        assert_eq!(
            words("about 11,000 troops, 7.5%"),
            ["about", "11,000", "troops", ",", "7.5", "%"]
        );
        assert_eq!(
            words("a 20-year-old \u{201c}liberate\u{201d}"),
            ["a", "20-year-old", "\u{201c}", "liberate", "\u{201d}"]
        );
        assert_eq!(words("Курская область"), ["Курская", "область"]);
        assert_eq!(words("Zelensky\u{2019}s office"), ["Zelensky\u{2019}s", "office"]);
        assert_eq!(words("end. Next"), ["end", ".", "Next"]);
    }

    #[test]
    fn offsets_are_bytes_plus_base() {
        let mut toks = Vec::new();
        tokenize("é ab", 10, &mut toks);
        assert_eq!((toks[1].start, toks[1].end), (13, 15));
    }

    #[test]
    fn stems_join_inflections() {
        for (a, b) in [
            ("ripped", "rips"),
            ("speeding", "speeds"),
            ("arrested", "arrest"),
            ("denies", "denied"),
        ] {
            assert_eq!(stem(a), stem(b), "{a} / {b}");
        }
    }

    #[test]
    fn folding_is_idempotent_and_strips_marks() {
        for s in [
            "Zelenskyy\u{2019}s",
            "Kyiv",
            "  São   Paulo ",
            "Курская область",
            "KIM Jong-un",
            // A possessive after a space, or after another one.
            "A 's",
            "Kim's 's",
            "Kim\u{2019}s\u{2019}s",
        ] {
            let once = fold_name(s);
            assert_eq!(fold_name(&once), once);
        }
        assert_eq!(fold_name("São  Paulo"), "sao paulo");
        assert_eq!(fold_name("Russia\u{2019}s"), "russia");
        assert_eq!(fold_name("A 's"), "a");
        assert_eq!(fold_name("Ｋｙｉｖ"), "kyiv");
        // The ASCII path agrees with the general one.
        for s in [
            "Vladimir  Putin's",
            " The_Kremlin ",
            "U.S. `Army'",
            "Ukraines'",
            "\tKyiv\n",
        ] {
            assert_eq!(fold_ascii(s), fold_unicode(s), "{s:?}");
        }
    }
}

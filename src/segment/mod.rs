//! Segment: article text into sentences with byte spans.
//!
//! Abbreviation-aware: a period after "Gen.", "Apr.", "U.S." or an initial ("John F.
//! Kennedy") does not end a sentence unless the next word is one that usually starts a
//! sentence. Line breaks end sentences, except in hard-wrapped wire copy (lines cut at a
//! fixed width, as in the Reuters archive), where only blank or indented lines do.
//!
//! Cost: one pass over the bytes, no allocation besides the output.

/// Sentence spans longer than this are cut at a space, so one runaway "sentence" (a table,
/// a scraped menu) cannot dominate the claims stage. The default of
/// `--max-sentence-bytes`; [`Doc::with_max_sentence`] takes another.
pub const MAX_SENTENCE_BYTES: usize = 2000;

/// Words that end with a period without ending the sentence (lowercase, no dot).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cpt", "sgt", "cmdr", "adm", "gov", "sen",
    "rep", "pres", "st", "mt", "ft", "jr", "sr", "rev", "hon", "amb", "supt", "insp", "det", "cpl", "pvt", "messrs",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed",
    "thu", "thur", "thurs", "fri", "sat", "sun", "inc", "corp", "ltd", "co", "bros", "no", "nos", "vs", "etc",
    "approx", "est", "dept", "univ", "assn", "ave", "blvd", "rd", "fig", "vol", "ch", "pp", "op", "ed", "eds", "al",
    "ca", "cf", "mln", "bln", "pct", "cts", "dlrs", "qtr", "yr", "yrs", "wk", "min", "max",
];

/// Words that usually open a sentence; after an ambiguous abbreviation ("U.S.", "Inc.")
/// they mean the period did end the sentence.
const SENTENCE_STARTERS: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "But",
    "And",
    "In",
    "On",
    "At",
    "This",
    "That",
    "These",
    "Those",
    "His",
    "Her",
    "Its",
    "Their",
    "Our",
    "There",
    "However",
    "Meanwhile",
    "Earlier",
    "Later",
    "After",
    "Before",
    "When",
    "While",
    "If",
    "As",
    "Some",
    "Many",
    "No",
    "Officials",
    "Police",
];

fn is_abbreviation(word: &str) -> bool {
    if word.len() > 6 || !word.is_ascii() {
        return false;
    }
    let lower = word.to_ascii_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
}

/// Splits `text[skip..]` into sentence spans (byte offsets into `text`), trimmed, none
/// empty, none longer than [`MAX_SENTENCE_BYTES`].
pub fn sentences(text: &str, skip: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    split_into(text, skip.min(text.len()), &mut out);
    out
}

/// As [`sentences`], appending to `out`.
pub fn split_into(text: &str, skip: usize, out: &mut Vec<(usize, usize)>) {
    split_bounded(text, skip, MAX_SENTENCE_BYTES, out);
}

/// As [`split_into`], cutting sentences at `max` bytes; returns how many cuts were made.
fn split_bounded(text: &str, skip: usize, max: usize, out: &mut Vec<(usize, usize)>) -> usize {
    let mut cuts = 0;
    let bytes = text.as_bytes();
    let wrapped = is_hard_wrapped(text);
    let mut start = skip;
    let mut i = skip;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'.' | b'!' | b'?' => {
                // Swallow runs ("?!", "...") and closing quotes/brackets.
                let mut j = i + 1;
                while j < bytes.len() && matches!(bytes[j], b'.' | b'!' | b'?') {
                    j += 1;
                }
                j = skip_closers(text, j);
                if j >= bytes.len() {
                    i = j;
                    continue;
                }
                if !text[j..].starts_with(char::is_whitespace) {
                    i = j;
                    continue;
                }
                let next_start = skip_spaces(text, j);
                if next_start >= bytes.len() {
                    i = next_start;
                    continue;
                }
                let next_word = word_at(text, next_start);
                let next_char = text[next_start..].chars().next().unwrap_or(' ');
                let opens = next_char.is_uppercase() || next_char.is_ascii_digit() || is_opener(next_char);
                if !opens {
                    i = j;
                    continue;
                }
                if b == b'.' && j == i + 1 {
                    let prev = word_before(text, i);
                    let single_initial = prev.chars().count() == 1 && prev.chars().all(char::is_uppercase);
                    let initialism = prev.contains('.');
                    if single_initial
                        || (is_abbreviation(prev) && !SENTENCE_STARTERS.contains(&next_word))
                        || (initialism && !SENTENCE_STARTERS.contains(&next_word))
                    {
                        i = j;
                        continue;
                    }
                }
                cuts += push(text, start, j, max, out);
                start = next_start;
                i = next_start;
            }
            b'\n' => {
                let next_start = skip_spaces(text, i + 1);
                let blank = text[i + 1..next_start].contains('\n');
                let indented = text[i + 1..].starts_with([' ', '\t']);
                if !wrapped || blank || indented || next_start >= bytes.len() {
                    cuts += push(text, start, i, max, out);
                    start = next_start;
                    i = next_start;
                } else {
                    i += 1;
                }
            }
            _ if b >= 0x80 && !text.is_char_boundary(i) => i += 1,
            _ => {
                if b >= 0x80 && text[i..].starts_with('\u{2026}') {
                    // A typographic ellipsis ends a sentence like "...".
                    let j = skip_closers(text, i + 3);
                    let next_start = skip_spaces(text, j);
                    if next_start > j && text[next_start..].starts_with(char::is_uppercase) {
                        cuts += push(text, start, j, max, out);
                        start = next_start;
                        i = next_start;
                        continue;
                    }
                    i += 3;
                } else {
                    i += 1;
                }
            }
        }
    }
    cuts + push(text, start, bytes.len(), max, out)
}

fn is_opener(c: char) -> bool {
    matches!(c, '"' | '\'' | '\u{201c}' | '\u{2018}' | '(' | '[' | '\u{00ab}')
}

fn skip_closers(text: &str, mut j: usize) -> usize {
    while let Some(c) = text[j..].chars().next() {
        if matches!(c, '"' | '\'' | '\u{201d}' | '\u{2019}' | ')' | ']' | '\u{00bb}') {
            j += c.len_utf8();
        } else {
            break;
        }
    }
    j
}

fn skip_spaces(text: &str, mut j: usize) -> usize {
    while let Some(c) = text[j..].chars().next() {
        if c.is_whitespace() {
            j += c.len_utf8();
        } else {
            break;
        }
    }
    j
}

fn word_at(text: &str, i: usize) -> &str {
    let rest = &text[i..];
    let end = rest.find(|c: char| !c.is_alphanumeric()).unwrap_or(rest.len());
    &rest[..end]
}

/// The word (with inner dots) ending right before byte `i`.
fn word_before(text: &str, i: usize) -> &str {
    let head = &text[..i];
    let start = head
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '.'))
        .map(|(k, c)| k + c.len_utf8())
        .unwrap_or(0);
    &head[start..]
}

/// Pushes the trimmed span, cut into pieces of at most `max` bytes; returns the cuts made.
fn push(text: &str, start: usize, end: usize, max: usize, out: &mut Vec<(usize, usize)>) -> usize {
    let max = max.max(1);
    let mut cuts = 0;
    let mut s = start;
    let mut e = end.min(text.len());
    while s < e && text.as_bytes()[s].is_ascii_whitespace() {
        s += 1;
    }
    while e > s && text.as_bytes()[e - 1].is_ascii_whitespace() {
        e -= 1;
    }
    while e - s > max {
        // Cut at the last space before the limit (or at a char boundary; a character
        // wider than the limit is kept whole).
        let mut cut = s + max;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        if cut == s {
            cut = s + text[s..].chars().next().map_or(1, char::len_utf8);
            if cut >= e {
                break;
            }
        }
        if let Some(sp) = text[s..cut].rfind(' ') {
            if sp > 0 {
                cut = s + sp;
            }
        }
        out.push((s, cut));
        cuts += 1;
        s = skip_spaces(text, cut).min(e);
    }
    if e > s {
        out.push((s, e));
    }
    cuts
}

/// Hard-wrapped text has many line breaks inside sentences: lines that end without
/// punctuation and continue in lowercase on the next line.
fn is_hard_wrapped(text: &str) -> bool {
    let mut breaks = 0usize;
    let mut inner = 0usize;
    let mut lines = text.split('\n').peekable();
    while let Some(line) = lines.next() {
        let Some(next) = lines.peek() else { break };
        let l = line.trim_end();
        if l.is_empty() {
            continue;
        }
        breaks += 1;
        let ends_open = !l.ends_with(['.', '!', '?', ':', '"', '\u{201d}']);
        let next_lower = next.trim_start().starts_with(|c: char| c.is_lowercase());
        if ends_open && next_lower {
            inner += 1;
        }
    }
    breaks >= 3 && inner * 4 >= breaks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text, 0).into_iter().map(|(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        assert_eq!(
            split("Gen. Valery Gerasimov spoke on Apr. 26 to Mr. Putin. Ukraine denied it."),
            [
                "Gen. Valery Gerasimov spoke on Apr. 26 to Mr. Putin.",
                "Ukraine denied it."
            ]
        );
        assert_eq!(
            split("John F. Kennedy was shot. The U.S. Senate met."),
            ["John F. Kennedy was shot.", "The U.S. Senate met."]
        );
        assert_eq!(
            split("He moved to the U.S. The next day he left."),
            ["He moved to the U.S.", "The next day he left."]
        );
    }

    #[test]
    fn quotes_and_questions() {
        assert_eq!(
            split("\"It is over,\" he said. Did it end? \"Yes.\" Then silence."),
            ["\"It is over,\" he said.", "Did it end?", "\"Yes.\"", "Then silence."]
        );
    }

    #[test]
    fn lines_end_sentences_unless_hard_wrapped() {
        assert_eq!(
            split("Headline without stop\nMay 03 , 2013\nBody here."),
            ["Headline without stop", "May 03 , 2013", "Body here."]
        );
        let wire = "Showers continued throughout the week in\nthe Bahia cocoa zone, alleviating the drought since early\nJanuary and improving prospects.\n    The dry period means the crop\nwill be late this year.";
        assert_eq!(
            split(wire),
            [
                "Showers continued throughout the week in\nthe Bahia cocoa zone, alleviating the drought since early\nJanuary and improving prospects.",
                "The dry period means the crop\nwill be late this year."
            ]
        );
    }

    #[test]
    fn skip_and_limits() {
        let t = "SEOUL, April 28 - North Korea said. More.";
        let s = sentences(t, 18);
        assert_eq!(&t[s[0].0..s[0].1], "North Korea said.");
        let long = "word ".repeat(1000);
        let s = sentences(&long, 0);
        assert!(s.len() >= 3 && s.iter().all(|(a, b)| b - a <= MAX_SENTENCE_BYTES));
        assert!(sentences("", 0).is_empty());
        assert!(sentences("   \n  ", 0).is_empty());
    }

    #[test]
    fn sentence_limit_cuts_at_char_boundaries_and_counts_cuts() {
        use crate::model::Field;
        let text = "é".repeat(50);
        for max in [1, 2, 3, 7, 16] {
            for field in [Field::Title, Field::Body] {
                let doc = Doc::with_max_sentence(field, &text, 0, max);
                let pieces: String = doc.sentences.iter().map(|s| &text[s.start..s.end]).collect();
                assert_eq!(pieces, text, "max {max}");
                assert!(doc.sentences.iter().all(|s| s.end - s.start <= max.max(2)));
                assert_eq!(doc.sentences_cut, doc.sentences.len() - 1);
            }
        }
        let doc = Doc::with_max_sentence(Field::Body, "Short one. Another.", 0, 16);
        assert_eq!((doc.sentences.len(), doc.sentences_cut), (2, 0));
    }
}

/// A sentence: byte span and token range inside its [`Doc`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sentence {
    /// Start byte in the field.
    pub start: usize,
    /// End byte (exclusive).
    pub end: usize,
    /// First token index.
    pub tok_start: usize,
    /// One past the last token index.
    pub tok_end: usize,
}

/// One text field split into sentences and tokens, with every token's lowercase form, so
/// the later stages never lowercase a word twice.
pub struct Doc<'a> {
    /// Which field this is.
    pub field: crate::model::Field,
    /// The field's text.
    pub text: &'a str,
    /// Bytes at the start that are a dateline (no claims there).
    pub skip: usize,
    /// Tokens in text order.
    pub tokens: Vec<crate::text::Token>,
    /// Sentences in text order.
    pub sentences: Vec<Sentence>,
    /// Sentences cut because they were longer than the limit.
    pub sentences_cut: usize,
    lower_buf: String,
    lower_spans: Vec<(u32, u32)>,
    /// Lexicon phrases starting at each token: token `i` owns `cues[cue_at[i]..cue_at[i+1]]`.
    cue_at: Vec<u32>,
    cues: Vec<crate::lexicon::Match>,
}

impl<'a> Doc<'a> {
    /// Segments and tokenizes a field. For a title the whole text is one sentence.
    /// Sentences are cut at [`MAX_SENTENCE_BYTES`].
    pub fn new(field: crate::model::Field, text: &'a str, skip: usize) -> Doc<'a> {
        Doc::with_max_sentence(field, text, skip, MAX_SENTENCE_BYTES)
    }

    /// As [`Doc::new`], cutting sentences (a title too) at `max_sentence` bytes.
    pub fn with_max_sentence(field: crate::model::Field, text: &'a str, skip: usize, max_sentence: usize) -> Doc<'a> {
        let skip = skip.min(text.len());
        let mut spans = Vec::new();
        let sentences_cut = match field {
            crate::model::Field::Title => {
                let start = text.len() - text.trim_start().len();
                let end = text.trim_end().len().max(start);
                push(text, start, end, max_sentence, &mut spans)
            }
            crate::model::Field::Body => {
                // The dateline is its own sentence: its place names are mentions, but it
                // makes no claim.
                let mut cuts = 0;
                if skip > 0 {
                    cuts += push(text, 0, skip, max_sentence, &mut spans);
                }
                cuts + split_bounded(text, skip, max_sentence, &mut spans)
            }
        };
        let mut tokens = Vec::new();
        crate::text::tokenize(text, 0, &mut tokens);
        let mut sentences = Vec::with_capacity(spans.len());
        let mut t = 0usize;
        for (start, end) in spans {
            while t < tokens.len() && (tokens[t].start as usize) < start {
                t += 1;
            }
            let tok_start = t;
            while t < tokens.len() && (tokens[t].end as usize) <= end {
                t += 1;
            }
            sentences.push(Sentence {
                start,
                end,
                tok_start,
                tok_end: t,
            });
        }
        let mut lower_buf = String::with_capacity(text.len());
        let mut lower_spans = Vec::with_capacity(tokens.len());
        for tok in &tokens {
            let s = lower_buf.len() as u32;
            let w = tok.text(text);
            if w.is_ascii() {
                let from = lower_buf.len();
                lower_buf.push_str(w);
                lower_buf[from..].make_ascii_lowercase();
            } else {
                let mut scratch = String::new();
                crate::text::lower_into(w, &mut scratch);
                lower_buf.push_str(&scratch);
            }
            lower_spans.push((s, lower_buf.len() as u32));
        }
        // Every lexicon phrase of the field, looked up once: one hash lookup per token.
        let lex = crate::lexicon::Lexicon::get();
        let words: Vec<&str> = lower_spans
            .iter()
            .map(|&(s, e)| &lower_buf[s as usize..e as usize])
            .collect();
        let mut cue_at = Vec::with_capacity(tokens.len() + 1);
        let mut cues = Vec::new();
        for i in 0..words.len() {
            cue_at.push(cues.len() as u32);
            lex.push_matches(&words, i, &mut cues);
        }
        cue_at.push(cues.len() as u32);
        drop(words);
        Doc {
            field,
            text,
            skip,
            tokens,
            sentences,
            sentences_cut,
            lower_buf,
            lower_spans,
            cue_at,
            cues,
        }
    }

    /// Lexicon phrases starting at token `i`, longest first.
    #[inline]
    pub fn cues(&self, i: usize) -> &[crate::lexicon::Match] {
        match (self.cue_at.get(i), self.cue_at.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.cues[a as usize..b as usize],
            _ => &[],
        }
    }

    /// True when a phrase of this class starts at token `i`.
    #[inline]
    pub fn has(&self, i: usize, pred: impl Fn(crate::lexicon::Class) -> bool) -> bool {
        self.cues(i).iter().any(|m| pred(m.class))
    }

    /// Lowercase form of token `i`.
    #[inline]
    pub fn lower(&self, i: usize) -> &str {
        let (s, e) = self.lower_spans[i];
        &self.lower_buf[s as usize..e as usize]
    }

    /// Lowercase forms of a token range.
    pub fn lowers(&self, range: std::ops::Range<usize>) -> Vec<&str> {
        range.map(|i| self.lower(i)).collect()
    }

    /// Text of token `i` as written.
    #[inline]
    pub fn word(&self, i: usize) -> &'a str {
        self.tokens[i].text(self.text)
    }

    /// Index of the first token starting at or after byte `pos`.
    pub fn token_at(&self, pos: usize) -> usize {
        self.tokens.partition_point(|t| (t.start as usize) < pos)
    }

    /// The sentence holding byte `pos`.
    pub fn sentence_of(&self, pos: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.end <= pos);
        (i < self.sentences.len() && self.sentences[i].start <= pos).then_some(i)
    }
}

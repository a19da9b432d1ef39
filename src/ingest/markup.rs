//! HTML markup left in feed text ("<b>", "<FONT face=...>", "<a href=...>", "</p>"):
//! tags carry no words of the article, but shared boilerplate markup made unrelated
//! articles of one feed look alike. stock tickers in angle brackets ("<HLM>", "<Q>") and
//! bracketed company names ("<Harlow Motors Corp>") are not markup and stay.

/// Element names of HTML that appear in news feeds.
const ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "cite",
    "code",
    "div",
    "em",
    "font",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "li",
    "link",
    "meta",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "script",
    "small",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "sup",
    "table",
    "td",
    "th",
    "title",
    "tr",
    "tt",
    "u",
    "ul",
];

/// The text with its HTML tags replaced by a space, or None when it has none. A tag is
/// markup when it closes an element (`</b>`), carries attributes (`<font face=...>`), is
/// written in lower case (`<p>`), or is closed later in the text (`<B>...</B>`).
pub(super) fn strip(text: &str) -> Option<String> {
    if !text.contains('<') {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut found = false;
    let mut at = 0;
    while let Some(off) = text[at..].find('<') {
        let start = at + off;
        at = start + 1;
        let Some(len) = tag_len(text, start) else {
            continue;
        };
        // Feeds that mangled "&lt;" and "&gt;" leave "&<b&>": the '&' goes with the tag.
        let kept = &text[last..start];
        out.push_str(kept.strip_suffix('&').unwrap_or(kept));
        out.push(' ');
        last = start + len;
        at = last;
        found = true;
    }
    if !found {
        return None;
    }
    out.push_str(&text[last..]);
    Some(out)
}

/// Length in bytes of the markup tag starting at `start` (a '<'), if it is one.
fn tag_len(text: &str, start: usize) -> Option<usize> {
    // Tags are short; a '>' far away or after another '<' closes something else.
    let rest = &text[start + 1..];
    let end = rest.bytes().take(400).position(|b| b == b'>' || b == b'<')?;
    if rest.as_bytes()[end] != b'>' {
        return None;
    }
    let inner = &rest[..end];
    let inner = inner.strip_suffix('&').unwrap_or(inner);
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(i) => (true, i),
        None => (false, inner),
    };
    let name_len = inner.bytes().take_while(u8::is_ascii_alphanumeric).count();
    let name = &inner[..name_len];
    if name.is_empty() || !name.as_bytes()[0].is_ascii_alphabetic() {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    if !ELEMENTS.contains(&lower.as_str()) {
        return None;
    }
    let after = &inner[name_len..];
    let attributes = after.starts_with(char::is_whitespace) && after.contains('=');
    let bare = after.trim_end_matches('/').trim().is_empty();
    let markup = closing && bare
        || attributes
        || (bare && (name == lower || text[start + end + 2..].contains(&format!("</{name}"))));
    markup.then_some(end + 2)
}

#[cfg(test)]
mod tests {
    use super::strip;

    #[test]
    fn markup_goes_and_tickers_stay() {
        assert_eq!(strip("No tags here."), None);
        assert_eq!(
            strip("Shares rose.<p>Sales fell.</p>").as_deref(),
            Some("Shares rose. Sales fell. ")
        );
        assert_eq!(
            strip(r#"It rained. &<FONT face="verdana" size="-2"><B>-example.com</B></FONT>"#).as_deref(),
            Some("It rained.   -example.com  ")
        );
        assert_eq!(
            strip(r#"It rained. &<FONT face="verdana"&>&<B&>-example.com&</B&>&</FONT&>"#).as_deref(),
            Some("It rained.   -example.com  ")
        );
        assert_eq!(
            strip("<a href=\"http://x.example\">Link</a> text").as_deref(),
            Some(" Link  text")
        );
        // Tickers and bracketed company names are not markup.
        assert_eq!(strip("Harlow Motors Corp <HLM> said on Monday."), None);
        assert_eq!(strip("Quell <Q> and <Orland Bank Corp> rose."), None);
        assert_eq!(strip("A <B> ticker with no closing tag."), None);
        // An unclosed '<' or a comparison is left as written.
        assert_eq!(strip("growth < 2% and x<y"), None);
    }
}

//! Text from a document as an error message shows it: a document may be
//! binary data or text in the wrong encoding, and what an error quotes of
//! it (an element's name, its opening text, a parser's message) must not
//! carry control characters, replacement characters or invisible
//! formatting into a terminal, a log or the stored last error of a source.

use std::borrow::Cow;

/// `text` with every character that shows nothing readable escaped as
/// Rust writes it (`\t`, `\u{1}`, `\u{fffd}`): control characters, the
/// replacement character that stands for bytes that could not be decoded,
/// bidirectional and zero-width formatting, line and paragraph separators,
/// byte-order marks and noncharacters. Escaping is idempotent: what it
/// writes is ASCII.
pub(crate) fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(unreadable) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unreadable(c) {
            shown.extend(c.escape_default());
        } else {
            shown.push(c);
        }
    }
    Cow::Owned(shown)
}

/// At most the first `max` characters of `text`, [`printable`], with `…`
/// when it was cut.
pub(crate) fn excerpt(text: &str, max: usize) -> String {
    let mut cut: String = text.chars().take(max).collect();
    let cut_short = cut.len() < text.len();
    cut = printable(&cut).into_owned();
    if cut_short {
        cut.push('…');
    }
    cut
}

fn unreadable(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{fffd}'
                | '\u{ad}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2069}'
                | '\u{feff}'
                | '\u{fdd0}'..='\u{fdef}'
                | '\u{fff9}'..='\u{fffb}'
        )
        || (c as u32) & 0xfffe == 0xfffe
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_characters_are_escaped_and_the_rest_kept() {
        assert!(matches!(printable("Zürich “q” 港湾"), Cow::Borrowed(_)));
        assert_eq!(
            printable("a\u{1}b\u{fffd}c\u{202e}d\ne\u{9c}"),
            "a\\u{1}b\\u{fffd}c\\u{202e}d\\ne\\u{9c}"
        );
        let once = printable("\u{0}\u{ffff}").into_owned();
        assert_eq!(once, "\\u{0}\\u{ffff}");
        assert_eq!(printable(&once), once);
    }

    #[test]
    fn an_excerpt_is_cut_and_says_so() {
        assert_eq!(excerpt("urlset", 40), "urlset");
        assert_eq!(excerpt("\u{fffd}M\u{fffd}%0", 3), "\\u{fffd}M\\u{fffd}…");
        assert_eq!(excerpt("", 3), "");
    }
}

//! Bounds the attributes of each HTML tag before html5ever reads it. Its
//! tokenizer checks every attribute of a tag against all those before it,
//! so one tag of a hundred thousand attributes (a hostile page, feed entry
//! or push) costs minutes of CPU. No real tag has more than a few dozen:
//! past [`MAX_ATTRIBUTES`], a tag's further attributes are left out.
//!
//! The scan follows the tokenizer's own rules where they decide what is a
//! tag: comments are skipped, quoted values may hold `>`, and the text of
//! raw-text elements (`script`, `style`, `textarea`, …) is no markup, so a
//! `<` in a script or in JSON-LD starts no tag here either.

use std::borrow::Cow;

use memchr::{memchr, memmem};

/// The most attributes one tag keeps.
pub const MAX_ATTRIBUTES: usize = 256;

/// Elements whose text the tokenizer reads as text, markup and all, until
/// their end tag.
const RAW_TEXT: [&[u8]; 9] = [
    b"script",
    b"style",
    b"textarea",
    b"title",
    b"xmp",
    b"iframe",
    b"noembed",
    b"noframes",
    b"noscript",
];

/// `html` with every tag's attributes past [`MAX_ATTRIBUTES`] left out;
/// borrowed when no tag has that many.
pub fn bounded(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    // An attribute takes two bytes at least (` a`).
    if bytes.len() <= 2 * MAX_ATTRIBUTES {
        return Cow::Borrowed(html);
    }
    let mut out: Option<String> = None;
    // Where the text not yet copied to `out` starts.
    let mut copied = 0;
    let mut at = 0;
    while let Some(open) = memchr(b'<', &bytes[at..]).map(|i| at + i) {
        let rest = &bytes[open + 1..];
        if rest.starts_with(b"!--") {
            at = memmem::find(&rest[3..], b"-->").map_or(bytes.len(), |i| open + 4 + i + 3);
            continue;
        }
        if !rest.first().is_some_and(u8::is_ascii_alphabetic) {
            at = open + 1;
            continue;
        }
        let tag = scan_tag(bytes, open + 1);
        if let Some(cut) = tag.cut {
            let out = out.get_or_insert_with(|| String::with_capacity(html.len()));
            out.push_str(&html[copied..cut]);
            copied = tag.close;
        }
        at = match raw_text_name(&bytes[open + 1..tag.name_end]) {
            Some(name) => end_tag(bytes, tag.end, name),
            None => tag.end,
        };
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut out) => {
            out.push_str(&html[copied..]);
            Cow::Owned(out)
        }
    }
}

/// One start tag as scanned.
struct Tag {
    /// Where its name ends.
    name_end: usize,
    /// Where its `>` is (the input's end when it has none).
    close: usize,
    /// Just past its `>`.
    end: usize,
    /// Where its first attribute past [`MAX_ATTRIBUTES`] starts.
    cut: Option<usize>,
}

/// Whether `b` is white space to the tokenizer.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// Scans the start tag whose name starts at `from`.
fn scan_tag(bytes: &[u8], from: usize) -> Tag {
    let len = bytes.len();
    let mut i = from;
    while i < len && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>') {
        i += 1;
    }
    let name_end = i;
    let mut count = 0;
    let mut cut = None;
    loop {
        while i < len && (is_space(bytes[i]) || bytes[i] == b'/') {
            i += 1;
        }
        if i >= len {
            return Tag {
                name_end,
                close: len,
                end: len,
                cut,
            };
        }
        if bytes[i] == b'>' {
            return Tag {
                name_end,
                close: i,
                end: i + 1,
                cut,
            };
        }
        count += 1;
        if count > MAX_ATTRIBUTES && cut.is_none() {
            cut = Some(i);
        }
        // The name (which may start with `=`), then its value, if any.
        i += 1;
        while i < len && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let mut j = i;
        while j < len && is_space(bytes[j]) {
            j += 1;
        }
        if j < len && bytes[j] == b'=' {
            j += 1;
            while j < len && is_space(bytes[j]) {
                j += 1;
            }
            i = match bytes.get(j) {
                Some(&quote @ (b'"' | b'\'')) => {
                    memchr(quote, &bytes[j + 1..]).map_or(len, |k| j + 1 + k + 1)
                }
                _ => {
                    while j < len && !is_space(bytes[j]) && bytes[j] != b'>' {
                        j += 1;
                    }
                    j
                }
            };
        }
    }
}

/// The raw-text element `name` names, in any case.
fn raw_text_name(name: &[u8]) -> Option<&'static [u8]> {
    RAW_TEXT
        .iter()
        .find(|raw| raw.eq_ignore_ascii_case(name))
        .copied()
}

/// Where the end tag of raw-text element `name` starts, from `from` on (the
/// input's end when it has none).
fn end_tag(bytes: &[u8], from: usize, name: &[u8]) -> usize {
    let mut at = from;
    while let Some(open) = memmem::find(&bytes[at..], b"</").map(|i| at + i) {
        let after = &bytes[open + 2..];
        if after.len() >= name.len() && after[..name.len()].eq_ignore_ascii_case(name) {
            return open;
        }
        at = open + 2;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attributes(n: usize) -> String {
        (0..n).map(|i| format!(" a{i}=\"x\"")).collect()
    }

    #[test]
    fn a_tag_of_too_many_attributes_keeps_the_first_and_its_text() {
        let html = format!("<p{}>Harbour vote passes.</p>", attributes(1000));
        let bounded = bounded(&html);
        assert_eq!(
            bounded,
            format!("<p{} >Harbour vote passes.</p>", attributes(MAX_ATTRIBUTES))
        );
    }

    #[test]
    fn ordinary_markup_is_borrowed_unchanged() {
        let html = format!(
            "<!doctype html><html><body>{}</body></html>",
            "<p class=\"lead\" id=x data-a='1>2'>Text &amp; more.</p>\n".repeat(200)
        );
        assert!(matches!(bounded(&html), Cow::Borrowed(_)));
        let exactly = format!("<p{}>x</p>{}", attributes(MAX_ATTRIBUTES), " ".repeat(600));
        assert!(matches!(bounded(&exactly), Cow::Borrowed(_)));
    }

    #[test]
    fn comments_and_raw_text_start_no_tag() {
        let words: String = (0..1000).map(|i| format!(" w{i}")).collect();
        for html in [
            format!("<!-- <p{words} -->"),
            format!("<script>if (a <b{words}) {{}}</script>"),
            format!("<SCRIPT type=\"application/ld+json\">{{\"x\": \"<b{words}\"}}</SCRIPT>"),
            format!("<textarea><b{words}</textarea>"),
        ] {
            assert!(matches!(bounded(&html), Cow::Borrowed(_)), "{html:.40}");
        }
        // After the raw text, tags count again.
        let html = format!("<style>a<b{{}}</style><p{}>x</p>", attributes(300));
        assert_eq!(
            bounded(&html),
            format!(
                "<style>a<b{{}}</style><p{} >x</p>",
                attributes(MAX_ATTRIBUTES)
            )
        );
    }

    #[test]
    fn quoted_values_may_hold_a_closing_bracket() {
        let many: String = (0..300).map(|i| format!(" a{i}='>'")).collect();
        let kept: String = (0..MAX_ATTRIBUTES).map(|i| format!(" a{i}='>'")).collect();
        let html = format!("<p{many}>Text</p>");
        assert_eq!(bounded(&html), format!("<p{kept} >Text</p>"));
    }

    #[test]
    fn a_tag_of_two_hundred_thousand_attributes_keeps_the_bound() {
        let html = format!("<p{}>x</p>", attributes(200_000));
        let bounded = bounded(&html);
        assert!(bounded.len() < 4_000, "{}", bounded.len());
        assert!(bounded.ends_with(" >x</p>"));
    }
}

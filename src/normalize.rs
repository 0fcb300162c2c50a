//! Pure text normalization: cleaning a line for display, and the folded form
//! that repeats are recognised by (white space, letter case and typographic
//! quotes do not count).

use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

/// A 32-byte sha256 digest of a normalized text.
pub type Key = [u8; 32];

/// Cleans a line for display: invisible and control characters are dropped,
/// every run of white space (tabs, non-breaking and other odd spaces) becomes
/// one ASCII space, and the ends are trimmed. The text is otherwise kept as
/// written, typographic quotes included.
pub fn clean_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut pending_space = false;
    for c in raw.chars() {
        if is_space(c) {
            pending_space = !out.is_empty();
        } else if is_invisible(c) {
            continue;
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// White space as a scraper leaves it: ASCII spaces and tabs, stray carriage
/// returns, non-breaking spaces and the Unicode space separators.
fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{00A0}' || c == '\u{202F}' || c == '\u{2007}'
}

/// Characters that render as nothing or are not allowed in XML 1.0: C0/C1
/// controls, zero-width characters, the byte-order mark, lone surrogates'
/// replacement and non-characters.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{7F}'..='\u{9F}'
        | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}')
}

/// Writes the folded form of `text` into `out` (cleared first): lower case,
/// typographic quotes and dashes mapped to their ASCII forms, compatibility
/// characters decomposed (NFKC), white space collapsed and trimmed. Two
/// lines are repeats of each other when their folded forms are equal.
pub fn fold_into(text: &str, out: &mut String) {
    out.clear();
    if text.is_ascii() {
        fold_ascii(text.as_bytes(), out);
    } else {
        fold_unicode(text, out);
    }
}

fn fold_ascii(bytes: &[u8], out: &mut String) {
    let mut pending_space = false;
    for &b in bytes {
        if b.is_ascii_whitespace() {
            pending_space = !out.is_empty();
        } else if b.is_ascii_control() {
            continue;
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(b.to_ascii_lowercase() as char);
        }
    }
}

fn fold_unicode(text: &str, out: &mut String) {
    let mut pending_space = false;
    for c in text.nfkc() {
        if is_space(c) {
            pending_space = !out.is_empty();
            continue;
        }
        if is_invisible(c) {
            continue;
        }
        let c = fold_punctuation(c);
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        for lower in c.to_lowercase() {
            out.push(lower);
        }
    }
}

/// Maps typographic quotes, primes and dashes to ASCII.
pub fn fold_punctuation(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{00B4}'
        | '\u{0060}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
        _ => c,
    }
}

/// The folded form of `text` as a new string.
pub fn fold(text: &str) -> String {
    let mut out = String::new();
    fold_into(text, &mut out);
    out
}

/// sha256 of the folded form of `text`, reusing `scratch` as buffer.
pub fn folded_key(text: &str, scratch: &mut String) -> Key {
    fold_into(text, scratch);
    Sha256::digest(scratch.as_bytes()).into()
}

/// Lower-case hexadecimal of a byte string.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 0xf) as usize] as char);
    }
    out
}

/// Shortens `text` to at most `max_chars` characters, cutting at a word
/// boundary and adding an ellipsis when anything was cut.
pub fn truncate_words(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let cut: String = text.chars().take(max_chars).collect();
    let at_word = match cut.rfind(' ') {
        Some(pos) if pos > max_chars / 2 => &cut[..pos],
        _ => cut.as_str(),
    };
    format!("{}…", at_word.trim_end_matches([',', ';', ':', ' ']))
}

/// Query parameters that only track where a click came from.
const TRACKING_PARAMS: &[&str] = &[
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "twclid",
    "igshid",
    "mc_cid",
    "mc_eid",
    "_hsenc",
    "_hsmi",
    "mkt_tok",
    "ocid",
    "cmpid",
    "ncid",
    "sr_share",
    "ref_src",
    "ref_url",
    "spm",
    "at_medium",
    "at_campaign",
];

/// The canonical form of a link, for matching the same story across
/// sources: scheme and host lower-cased, default port, fragment, `utm_*` and
/// other tracking parameters and a trailing slash dropped, remaining query
/// parameters sorted. `None` for anything but an absolute http(s) URL.
pub fn canonical_url(link: &str) -> Option<String> {
    let mut url = url::Url::parse(link.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return None;
    }
    url.set_fragment(None);
    let mut params: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(name, _)| {
            let name = name.to_ascii_lowercase();
            !name.starts_with("utm_") && !TRACKING_PARAMS.contains(&name.as_str())
        })
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    params.sort();
    if params.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(params);
    }
    let path = url.path().to_string();
    if path.len() > 1 && path.ends_with('/') {
        url.set_path(path.trim_end_matches('/'));
    }
    let mut text = url.to_string();
    if url.path() == "/" && url.query().is_none() {
        text.pop();
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_collapses_odd_spaces_and_trims() {
        assert_eq!(
            clean_text("  a\u{00A0}\u{00A0}b\tc \u{2009} d  "),
            "a b c d"
        );
        assert_eq!(clean_text("\u{FEFF}Title\u{200B}"), "Title");
        assert_eq!(clean_text("x\u{0}y\u{1B}z"), "xyz");
    }

    #[test]
    fn clean_keeps_typographic_quotes() {
        assert_eq!(clean_text("It’s “here”"), "It’s “here”");
    }

    #[test]
    fn fold_ignores_case_space_and_quote_style() {
        let a = fold("Khamenei’s  “Warning” ");
        let b = fold("KHAMENEI'S \"warning\"");
        assert_eq!(a, b);
        assert_eq!(a, "khamenei's \"warning\"");
    }

    #[test]
    fn fold_decomposes_compatibility_characters() {
        assert_eq!(fold("ﬁnal\u{00A0}Ｔｅｓｔ"), "final test");
    }

    #[test]
    fn fold_keeps_distinct_words_distinct() {
        assert_ne!(fold("Morning briefing"), fold("Evening briefing"));
    }

    #[test]
    fn keys_match_for_repeats() {
        let mut s = String::new();
        assert_eq!(
            folded_key("Say ‘no’", &mut s),
            folded_key(" say 'NO'", &mut s)
        );
    }

    #[test]
    fn truncate_cuts_at_word_boundary() {
        assert_eq!(truncate_words("short", 10), "short");
        assert_eq!(truncate_words("one two three four five", 12), "one two…");
    }

    #[test]
    fn canonical_url_drops_tracking_and_noise() {
        let canonical = |s| canonical_url(s).unwrap();
        assert_eq!(
            canonical(
                "HTTPS://News.Example.COM:443/world/story-1/?utm_source=rss&b=2&a=1&fbclid=x#comments"
            ),
            "https://news.example.com/world/story-1?a=1&b=2"
        );
        assert_eq!(canonical("http://news.example/"), "http://news.example");
        assert_eq!(canonical("http://news.example"), "http://news.example");
        assert_eq!(
            canonical("https://news.example/a?utm_medium=x"),
            canonical("https://news.example/a/")
        );
        assert_ne!(
            canonical("https://news.example/a?id=1"),
            canonical("https://news.example/a?id=2")
        );
        assert_eq!(canonical_url("mailto:desk@news.example"), None);
        assert_eq!(canonical_url("/relative/path"), None);
    }

    #[test]
    fn hex_is_lower_case() {
        assert_eq!(hex(&[0x0f, 0xa0]), "0fa0");
    }
}

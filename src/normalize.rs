//! Pure text normalization: cleaning a line for display, and the folded form
//! that repeats are recognised by (white space, letter case and typographic
//! quotes do not count).

use sha2::{Digest, Sha256};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// A 32-byte sha256 digest of a normalized text.
pub type Key = [u8; 32];

/// Cleans a line for display: invisible and control characters are dropped,
/// every run of white space (tabs, non-breaking and other odd spaces) becomes
/// one ASCII space, and the ends are trimmed. The text is otherwise kept as
/// written, typographic quotes included.
pub fn clean_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut pending_space = false;
    let bytes = raw.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        // Printable ASCII and spaces: a run at a time.
        let run = ascii_run(&bytes[at..], |b| matches!(b, 0x20..=0x7E));
        if run > 0 {
            push_ascii(&raw[at..at + run], &mut out, &mut pending_space, false);
            at += run;
            continue;
        }
        let Some(c) = raw[at..].chars().next() else {
            break;
        };
        at += c.len_utf8();
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

/// How many bytes from the start of `bytes` satisfy `keep`.
fn ascii_run(bytes: &[u8], keep: impl Fn(u8) -> bool) -> usize {
    bytes.iter().position(|&b| !keep(b)).unwrap_or(bytes.len())
}

/// Appends `run` (printable ASCII and spaces only) as the per-character
/// rules would: each run of spaces is one space, and only between words;
/// lower-cased when `lower`.
fn push_ascii(run: &str, out: &mut String, pending_space: &mut bool, lower: bool) {
    let words = run.trim_matches(' ');
    if run.starts_with(' ') {
        *pending_space = !out.is_empty();
    }
    if !words.is_empty() {
        if *pending_space {
            out.push(' ');
            *pending_space = false;
        }
        let start = out.len();
        if words.contains("  ") {
            for (i, word) in words.split(' ').filter(|w| !w.is_empty()).enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(word);
            }
        } else {
            out.push_str(words);
        }
        if lower {
            out[start..].make_ascii_lowercase();
        }
        if run.ends_with(' ') {
            *pending_space = true;
        }
    }
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
        fold_ascii(text, out);
    } else {
        fold_unicode(text, out);
    }
}

fn fold_ascii(text: &str, out: &mut String) {
    let bytes = text.as_bytes();
    let mut pending_space = false;
    let mut at = 0;
    while at < bytes.len() {
        let run = ascii_run(&bytes[at..], |b| matches!(b, 0x20..=0x7E));
        if run > 0 {
            push_ascii(&text[at..at + run], out, &mut pending_space, true);
            at += run;
            continue;
        }
        // White space other than spaces, or a control character.
        if bytes[at].is_ascii_whitespace() {
            pending_space = !out.is_empty();
        }
        at += 1;
    }
}

fn fold_unicode(text: &str, out: &mut String) {
    let mut pending_space = false;
    // Most text is already in NFKC; the quick check is far cheaper than
    // normalizing, and the result is the same.
    if is_nfkc_quick(text.chars()) != IsNormalized::Yes {
        for c in text.nfkc() {
            fold_char(c, out, &mut pending_space);
        }
        return;
    }
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        // Printable ASCII and spaces, but the backtick, which
        // `fold_punctuation` maps.
        let run = ascii_run(&bytes[at..], |b| matches!(b, 0x20..=0x5F | 0x61..=0x7E));
        if run > 0 {
            push_ascii(&text[at..at + run], out, &mut pending_space, true);
            at += run;
            continue;
        }
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        at += c.len_utf8();
        fold_char(c, out, &mut pending_space);
    }
}

fn fold_char(c: char, out: &mut String, pending_space: &mut bool) {
    if is_space(c) {
        *pending_space = !out.is_empty();
        return;
    }
    if is_invisible(c) {
        return;
    }
    let c = fold_punctuation(c);
    if *pending_space {
        out.push(' ');
        *pending_space = false;
    }
    for lower in c.to_lowercase() {
        out.push(lower);
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
    fn clean_handles_runs_of_ascii_between_other_characters() {
        assert_eq!(clean_text("café\u{7F}\t au\u{200B} lait "), "café au lait");
        assert_eq!(clean_text("  "), "");
        assert_eq!(clean_text("a\r\nb"), "a b");
    }

    /// `fold` by its per-character rules alone (NFKC, then each character).
    fn fold_by_characters(text: &str) -> String {
        if text.is_ascii() {
            let mut out = String::new();
            let mut pending_space = false;
            for b in text.bytes() {
                if b.is_ascii_whitespace() {
                    pending_space = !out.is_empty();
                } else if !b.is_ascii_control() {
                    if pending_space {
                        out.push(' ');
                        pending_space = false;
                    }
                    out.push(char::from(b.to_ascii_lowercase()));
                }
            }
            return out;
        }
        let mut out = String::new();
        let mut pending_space = false;
        for c in text.nfkc() {
            fold_char(c, &mut out, &mut pending_space);
        }
        out
    }

    /// `clean_text` by its per-character rules alone.
    fn clean_by_characters(text: &str) -> String {
        let mut out = String::new();
        let mut pending_space = false;
        for c in text.chars() {
            if is_space(c) {
                pending_space = !out.is_empty();
            } else if !is_invisible(c) {
                if pending_space {
                    out.push(' ');
                    pending_space = false;
                }
                out.push(c);
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn fold_and_clean_follow_their_per_character_rules(
            text in "[ a-zA-Z0-9`'.,\t\n\r\u{B}\u{C}\u{1}\u{7F}\u{A0}\u{2009}\u{2019}\u{201C}\u{301}\u{FB01}\u{FF34}\u{200B}ÉéİΣ]{0,40}"
        ) {
            proptest::prop_assert_eq!(fold(&text), fold_by_characters(&text));
            proptest::prop_assert_eq!(clean_text(&text), clean_by_characters(&text));
        }
    }

    #[test]
    fn fold_normalizes_only_when_needed_with_the_same_result() {
        assert_eq!(fold("Café “Déjà”"), "café \"déjà\"");
        // Not NFKC: a combining accent and a ligature.
        assert_eq!(fold("Cafe\u{301} ﬁle"), "café file");
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
    fn hex_is_lower_case() {
        assert_eq!(hex(&[0x0f, 0xa0]), "0fa0");
    }
}

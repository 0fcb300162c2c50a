//! Pure text normalization: cleaning a line for display, and the folded form
//! that repeats are recognised by (white space, letter case and typographic
//! quotes do not count), the month names the date and headline rules share,
//! and the scripts written without spaces between words.

use std::borrow::Cow;
use std::collections::HashSet;

use sha2::{Digest, Sha256};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick, is_nfkc_quick};
use unicode_segmentation::UnicodeSegmentation;

/// Letters of scripts written without spaces between words: Chinese,
/// Japanese kana, Thai, Lao, Khmer, Myanmar.
pub fn unspaced_script(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}' // Hiragana, Katakana
        | '\u{3400}'..='\u{4DBF}' // CJK Extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK Unified Ideographs
        | '\u{F900}'..='\u{FAFF}' // CJK Compatibility Ideographs
        | '\u{0E00}'..='\u{0EFF}' // Thai, Lao
        | '\u{1000}'..='\u{109F}' // Myanmar
        | '\u{1780}'..='\u{17FF}' // Khmer
    )
}

/// A 32-byte sha256 digest of a normalized text.
pub type Key = [u8; 32];

/// Cleans a line for display: invisible and control characters are dropped
/// (a C1 control is first read as the Windows-1252 character it stands
/// for, [`windows_1252_c1`]: `Won’t`, not `Wont`), every run of white space (tabs, non-breaking and other odd spaces) becomes
/// one ASCII space, and the ends are trimmed. Text written decomposed (NFD,
/// as macOS tools copy it: accents as combining marks, Korean as jamo) is
/// composed (NFC), so its words and labels read as the same text composed.
/// The text is otherwise kept as written, typographic quotes included.
pub fn clean_text(raw: &str) -> String {
    if is_clean(raw) {
        raw.to_owned()
    } else {
        rebuild_clean(raw)
    }
}

/// [`clean_text`] for a line the caller owns: a line that is clean already
/// is handed back as it is, without a copy.
pub fn clean_line(raw: String) -> String {
    if is_clean(&raw) {
        raw
    } else {
        rebuild_clean(&raw)
    }
}

/// How many names (authors, categories) one article keeps: the first given.
/// A story has a handful of each; the cap keeps an entry that lists
/// thousands from filling every copy stored and published.
pub const MAX_NAMES: usize = 100;

/// An article's names (its authors, its categories), as cleaned: each kept
/// once, in the order first given, whatever source it came from; an empty
/// name is left out, and so is every name past the first [`MAX_NAMES`].
/// Whether a name is listed already is a hash look-up, so a list is built
/// in time linear in the names given, however many an entry repeats.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Names {
    list: Vec<String>,
    seen: HashSet<String>,
}

impl Names {
    /// Adds `name` unless it is empty, listed already, or the list is full.
    pub fn push(&mut self, name: String) {
        if !name.is_empty() && self.list.len() < MAX_NAMES && !self.seen.contains(&name) {
            self.seen.insert(name.clone());
            self.list.push(name);
        }
    }

    /// Whether no name was kept.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The names, in the order first given.
    pub fn as_slice(&self) -> &[String] {
        &self.list
    }

    /// The names, in the order first given.
    pub fn into_vec(self) -> Vec<String> {
        self.list
    }
}

impl FromIterator<String> for Names {
    fn from_iter<I: IntoIterator<Item = String>>(names: I) -> Self {
        let mut out = Names::default();
        for name in names {
            out.push(name);
        }
        out
    }
}

fn rebuild_clean(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut pending_space = false;
    let mut decomposed = false;
    for c in raw.chars().map(windows_1252_char) {
        decomposed |= may_compose(c);
        if is_space(c) {
            pending_space = !out.is_empty();
        } else if is_invisible(c) {
            continue;
        } else if is_joiner(c) && (out.is_empty() || pending_space) {
            // A joiner belongs to the character before it (a Malayalam
            // chillu is written consonant, virama, joiner at the end of a
            // word); with none before it, at the start or after a space, it
            // joins nothing.
            continue;
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    if decomposed && is_nfc_quick(out.chars()) != IsNormalized::Yes {
        return out.nfc().collect();
    }
    out
}

/// Whether `c` is written only after a letter it may compose with, as
/// decomposed (NFD) text writes it: a combining accent (U+0300–U+036F:
/// `é` as `e` and U+0301), a Korean vowel or final consonant jamo
/// (U+1160–U+11FF), or the kana voicing marks (U+3099, U+309A).
fn may_compose(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36F}' | '\u{1160}'..='\u{11FF}' | '\u{3099}' | '\u{309A}')
}

/// Whether [`clean_text`] would return `raw` unchanged: white space only as
/// single ASCII spaces between words, nothing invisible and nothing
/// decomposed ([`may_compose`]). Most lines of a
/// dump are, and copying them whole is much faster than rebuilding them.
///
/// Each byte is checked together with the one after it, 32 at a time in a
/// pass that compiles to vector code; only a stretch holding something
/// other than printable ASCII is looked at byte by byte (see
/// [`clean_bytes`]).
fn is_clean(raw: &str) -> bool {
    const STRETCH: usize = 32;
    let bytes = raw.as_bytes();
    let Some((&last, init)) = bytes.split_last() else {
        return true;
    };
    if bytes[0] == b' ' || last == b' ' || last.is_ascii_control() {
        return false;
    }
    let mut start = 0;
    for (stretch, next) in init.chunks(STRETCH).zip(bytes[1..].chunks(STRETCH)) {
        // No early exit inside the stretch, so this compiles to vector code.
        let plain = stretch.iter().zip(next).fold(true, |ok, (&b, &n)| {
            ok & (b' '..=b'~').contains(&b) & !(b == b' ' && n == b' ')
        });
        if !plain && !clean_bytes(raw, start, stretch, next) {
            return false;
        }
        start += stretch.len();
    }
    true
}

/// [`is_clean`] for the bytes of `raw` from `start` on (`stretch`), each
/// with the byte after it (`next`). Every character that [`is_space`] or
/// [`is_invisible`] accepts is either ASCII or starts with one of the lead
/// bytes `C2 E1 E2 E3 EF`, and every one [`may_compose`] accepts with `CC`,
/// `CD`, `E1` or `E3`, so only characters starting with those are decoded
/// and tested.
fn clean_bytes(raw: &str, start: usize, stretch: &[u8], next: &[u8]) -> bool {
    for (k, (&b, &n)) in stretch.iter().zip(next).enumerate() {
        match b {
            b' ' if n == b' ' => return false,
            b' '..=b'~' | 0x80..=0xBF => {}
            0xC2 | 0xCC | 0xCD | 0xE1 | 0xE2 | 0xE3 | 0xEF => {
                let c = raw[start + k..]
                    .chars()
                    .next()
                    .expect("a lead byte starts a character");
                if is_space(c) || is_invisible(c) || may_compose(c) {
                    return false;
                }
                if is_joiner(c) {
                    // Clean only after a character other than a space.
                    let at = start + k;
                    if at == 0 || raw.as_bytes()[at - 1] == b' ' {
                        return false;
                    }
                }
            }
            0xC0..=0xFF => {}
            _ => return false,
        }
    }
    true
}

/// A code point in 128–159 (a C1 control, which no one writes on
/// purpose) as the Windows-1252 character at that byte, which its author
/// meant: a page in Windows-1252 read as Latin-1 leaves `don\u{92}t` for
/// `don’t`. The five bytes Windows-1252 leaves unassigned stay controls;
/// any other code point is unchanged.
pub fn windows_1252_c1(code: u32) -> u32 {
    const C1: [u32; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
        0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ];
    match code {
        0x80..=0x9F => C1[(code - 0x80) as usize],
        _ => code,
    }
}

/// [`windows_1252_c1`] for a character.
fn windows_1252_char(c: char) -> char {
    char::from_u32(windows_1252_c1(c as u32)).unwrap_or(c)
}

/// `text` with each C1 control character read as the Windows-1252
/// character its author meant ([`windows_1252_c1`]); borrowed when it
/// has none, as nearly all text has.
pub fn windows_1252_controls(text: Cow<'_, str>) -> Cow<'_, str> {
    // In UTF-8 these are 0xC2 followed by 0x80..=0x9F.
    let bytes = text.as_bytes();
    let has_c1 = memchr::memchr_iter(0xC2, bytes)
        .any(|at| bytes.get(at + 1).is_some_and(|b| (0x80..=0x9F).contains(b)));
    if has_c1 {
        Cow::Owned(text.chars().map(windows_1252_char).collect())
    } else {
        text
    }
}

/// White space as a scraper leaves it: ASCII spaces and tabs, stray carriage
/// returns, non-breaking spaces and the Unicode space separators.
fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{00A0}' || c == '\u{202F}' || c == '\u{2007}'
}

/// Characters that render as nothing or are not allowed in XML 1.0: C0/C1
/// controls, the zero-width space and word joiner, the byte-order mark, lone
/// surrogates' replacement and non-characters; and the bidi embeddings,
/// overrides and isolates (U+202A–U+202E, U+2066–U+2069), which turn the
/// direction of all the text after them until they are closed, past the
/// end of a headline when they are not (`\u{202E}fdp.exe` reads `exe.pdf`).
/// The marks (U+200E, U+200F, U+061C) only place the characters beside
/// them and stay ([`is_direction_mark`]). The zero-width joiner and
/// non-joiner are not among them: they spell words (Persian, the Indic
/// scripts) and join emoji, so clean text keeps them ([`is_joiner`]).
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{7F}'..='\u{9F}'
        | '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}'
        | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The zero-width non-joiner and joiner: kept in clean text after a
/// character (inside a word or at its end), left out of the folded form, so a line matches its copy whether or not a scraper
/// dropped them (and keys stay what they were when clean text dropped
/// them too).
fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
}

/// The direction marks LRM, RLM and ALM (U+200E, U+200F, U+061C), which
/// Arabic and Hebrew sites set around Latin names and numbers: kept in
/// clean text, since they place the characters beside them, and left out
/// of the folded form, as the joiners are, so a copy with them is a
/// repeat of one without.
const DIRECTION_MARKS: [char; 3] = ['\u{200E}', '\u{200F}', '\u{061C}'];

fn is_direction_mark(c: char) -> bool {
    DIRECTION_MARKS.contains(&c)
}

/// Whether `text` holds a direction mark, found by their UTF-8 bytes
/// (`E2 80 8E`, `E2 80 8F`, `D8 9C`) rather than character by character:
/// every paragraph folded asks.
fn has_direction_mark(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(0xE2, 0xD8, bytes).any(|at| {
        matches!(
            bytes.get(at..),
            Some([0xE2, 0x80, 0x8E | 0x8F, ..] | [0xD8, 0x9C, ..])
        )
    })
}

/// Whether the folded form leaves `c` out: a character clean text drops
/// ([`is_invisible`]), a joiner or a direction mark.
fn unkeyed(c: char) -> bool {
    is_invisible(c) || is_joiner(c) || is_direction_mark(c)
}

/// Whether `text` has a character that shows: one that is not white space,
/// a control, or a character that renders as nothing (Unicode's default
/// ignorable code points: the soft hyphen, the direction marks, the
/// joiners, the combining grapheme joiner, the Hangul fillers, variation
/// selectors, tags…) nor the blank Braille pattern. A title without one
/// reads as blank, and is treated as none, as one [`clean_text`] empties.
pub fn has_visible(text: &str) -> bool {
    text.chars().any(|c| {
        !(is_space(c)
            || c.is_control()
            || is_invisible(c)
            || is_joiner(c)
            || is_default_ignorable(c)
            || c == '\u{2800}')
    })
}

/// Unicode's `Default_Ignorable_Code_Point` (DerivedCoreProperties.txt):
/// characters a renderer shows as nothing when it does not support them.
fn is_default_ignorable(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}' | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
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
        fold_unicode(&windows_1252_controls(Cow::Borrowed(text)), out);
    }
}

fn fold_ascii(text: &str, out: &mut String) {
    if is_clean(text) {
        // Already collapsed and trimmed: only letter case changes.
        out.push_str(text);
        out.make_ascii_lowercase();
    } else {
        let mut pending_space = false;
        for &b in text.as_bytes() {
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
    // The backtick is a quote too (`fold_punctuation`), in ASCII lines as
    // in any other.
    if memchr::memchr(b'`', out.as_bytes()).is_some() {
        *out = out.replace('`', "'");
    }
}

fn fold_unicode(text: &str, out: &mut String) {
    // Text that is already NFKC (typographic quotes and accented letters
    // usually are) skips the costly normalizing iterator: it would change
    // nothing.
    if is_nfkc_quick(text.chars()) != IsNormalized::Yes {
        fold_chars(text.nfkc(), out);
    } else if is_clean(text) && !has_direction_mark(text) {
        // A direction mark left out beside a space would leave two spaces,
        // or one at an end: such text is folded character by character.
        fold_clean(text, out);
    } else {
        fold_chars(text.chars(), out);
    }
}

/// Folds text that is clean (see [`is_clean`]) and NFKC already, so only
/// punctuation and letter case change: runs of ASCII are copied whole and
/// lower-cased in place, and only the other characters go one by one.
fn fold_clean(text: &str, out: &mut String) {
    let mut rest = text;
    while !rest.is_empty() {
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let (run, tail) = rest.split_at(ascii);
        let start = out.len();
        out.push_str(run);
        out[start..].make_ascii_lowercase();
        if run.contains('`') {
            let folded = out[start..].replace('`', "'");
            out.truncate(start);
            out.push_str(&folded);
        }
        let mut chars = tail.chars();
        if let Some(c) = chars.next().filter(|&c| !is_joiner(c)) {
            out.extend(fold_punctuation(c).to_lowercase());
        }
        rest = chars.as_str();
    }
}

fn fold_chars(chars: impl Iterator<Item = char>, out: &mut String) {
    let mut pending_space = false;
    for c in chars {
        if is_space(c) {
            pending_space = !out.is_empty();
            continue;
        }
        if unkeyed(c) {
            continue;
        }
        let c = fold_punctuation(c);
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
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

/// Shortens `text` to at most `max_chars` characters, adding an ellipsis
/// after them when anything was cut. The cut falls at a word boundary (a space in the
/// second half), else between two characters as a reader sees them
/// (grapheme clusters): a letter keeps its vowel and tone marks (Thai,
/// written without spaces, `เพื่อ` is never `เพ`), an emoji sequence stays
/// whole.
pub fn truncate_words(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let mut end = 0;
    let mut chars = 0;
    for grapheme in text.graphemes(true) {
        chars += grapheme.chars().count();
        if chars > max_chars {
            break;
        }
        end += grapheme.len();
    }
    if end == 0 {
        // One cluster longer than the whole summary (a letter under
        // hundreds of marks): cut inside it.
        end = text
            .char_indices()
            .nth(max_chars)
            .map_or(text.len(), |(at, _)| at);
    }
    let cut = &text[..end];
    let at_word = match cut.rfind(' ') {
        Some(pos) if cut[..pos].chars().count() > max_chars / 2 => &cut[..pos],
        _ => cut,
    };
    format!("{}…", at_word.trim_end_matches([',', ';', ':', ' ']))
}

/// Shortens `text` as [`truncate_words`] does, to at most `max_chars`
/// characters with its ellipsis included: a text of `max_chars` characters
/// or fewer is kept whole, a longer one is cut to `max_chars - 1` and the
/// ellipsis.
pub fn truncate_words_within(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    truncate_words(text, max_chars.saturating_sub(1))
}

/// `url`, an absolute URL with an authority (`https://host/…`, as
/// written or as the `url` crate writes it), as an RFC 3986 URI: every
/// character RFC 3986 allows nowhere in its place percent-encoded, byte by
/// byte. The `url` crate follows the WHATWG URL standard, which leaves
/// `[`, `]`, `|`, `^` and (in a query or fragment) `{`, `}` and `` ` ``
/// unencoded; RFC 3986 allows `[` and `]` only around an IPv6 host, and a
/// `%` only to start an escape. Borrowed when nothing needed encoding.
pub fn uri_text(url: &str) -> Cow<'_, str> {
    // The authority ends at the first `/`, `?` or `#` after `//`.
    let path_start = url.find("//").map_or(0, |at| {
        url[at + 2..]
            .find(['/', '?', '#'])
            .map_or(url.len(), |end| at + 2 + end)
    });
    let bytes = url.as_bytes();
    let mut fragment = url[..path_start].contains('#');
    let mut out: Option<String> = None;
    for (at, &b) in bytes.iter().enumerate() {
        let allowed = if b == b'%' {
            bytes
                .get(at + 1..at + 3)
                .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
        } else if at < path_start {
            uri_byte(b) || matches!(b, b'[' | b']')
        } else if b == b'#' && !fragment {
            fragment = true;
            true
        } else {
            uri_byte(b)
        };
        match (&mut out, allowed) {
            (Some(out), true) => out.push(b as char),
            (Some(out), false) => push_escape(out, b),
            (None, true) => {}
            (None, false) => {
                let mut escaped = String::with_capacity(url.len() + 8);
                escaped.push_str(&url[..at]);
                push_escape(&mut escaped, b);
                out = Some(escaped);
            }
        }
    }
    out.map_or(Cow::Borrowed(url), Cow::Owned)
}

/// [`uri_text`] of a parsed URL.
pub fn uri_string(url: &url::Url) -> String {
    uri_text(url.as_str()).into_owned()
}

/// An absolute URL as feedfold keeps and publishes it, from `written`, the
/// text it was read from (an element's text, an attribute's value), and
/// `url`, that text parsed: `written` itself, without the ASCII white space
/// around it, when that is a URI as RFC 3986 writes one (ASCII, nothing
/// [`uri_text`] would encode), so that a link reads as its source wrote
/// it; else as the `url` crate writes it, as a URI ([`uri_string`]): a host
/// in punycode, tabs and line breaks inside gone (as browsers read them),
/// `tags[]=` as `tags%5B%5D=`. Every link, picture and media file is
/// written so, in an entry's fields and in its HTML alike.
pub fn written_uri<'a>(written: &'a str, url: &url::Url) -> Cow<'a, str> {
    let written = written.trim_ascii();
    if written.bytes().all(|b| b.is_ascii_graphic())
        && matches!(uri_text(written), Cow::Borrowed(_))
    {
        Cow::Borrowed(written)
    } else {
        Cow::Owned(uri_string(url))
    }
}

/// Whether RFC 3986 allows byte `b` as it is in a path, query or fragment:
/// the unreserved characters, the sub-delimiters, `:`, `@`, `/` and `?`.
fn uri_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'-' | b'.'
                | b'_'
                | b'~'
                | b'!'
                | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'@'
                | b'/'
                | b'?'
        )
}

fn push_escape(out: &mut String, b: u8) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    out.push(DIGITS[(b >> 4) as usize] as char);
    out.push(DIGITS[(b & 0xf) as usize] as char);
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
    let mut text = uri_string(&url);
    if url.path() == "/" && url.query().is_none() {
        text.pop();
    }
    Some(text)
}

/// The English month names, lower-case, January first.
pub(crate) const MONTH_NAMES: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_are_kept_once_in_order_up_to_the_cap() {
        let names: Names = ["Ann", "", "Bo", "Ann", "Cy", "Bo"]
            .into_iter()
            .map(String::from)
            .chain((0..500).map(|i| format!("n{i}")))
            .collect();
        let names = names.into_vec();
        assert_eq!(names[..3], ["Ann", "Bo", "Cy"]);
        assert_eq!(names.len(), MAX_NAMES);
        assert_eq!(names[MAX_NAMES - 1], format!("n{}", MAX_NAMES - 4));
    }

    #[test]
    fn c1_controls_are_read_as_the_windows_1252_characters_meant() {
        // A Windows-1252 page read as Latin-1 by a scraper.
        let scraped = "Council Won\u{92}t Back \u{93}Harbour Plan\u{94}\u{85}";
        assert_eq!(clean_text(scraped), "Council Won’t Back “Harbour Plan”…");
        assert_eq!(fold(scraped), "council won't back \"harbour plan\"...");
        assert_eq!(fold(scraped), fold(&clean_text(scraped)));
        // The bytes Windows-1252 leaves unassigned are still dropped.
        assert_eq!(clean_text("a\u{81}b\u{9D}c"), "abc");
        assert!(matches!(
            windows_1252_controls(Cow::Borrowed("plain café")),
            Cow::Borrowed("plain café")
        ));
    }

    #[test]
    fn clean_collapses_odd_spaces_and_trims() {
        assert_eq!(
            clean_text("  a\u{00A0}\u{00A0}b\tc \u{2009} d  "),
            "a b c d"
        );
        assert_eq!(clean_text("\u{FEFF}Title\u{200B}"), "Title");
        // Joiners spell words and join emoji: kept, but not in the keys.
        for spelled in ["می\u{200C}خواهم", "ශ්\u{200D}රී", "👨\u{200D}👩\u{200D}👧"]
        {
            assert_eq!(clean_text(spelled), spelled);
            assert_eq!(clean_line(spelled.to_string()), spelled);
            assert_eq!(
                fold(spelled),
                fold(&spelled.replace(['\u{200C}', '\u{200D}'], ""))
            );
        }
        // At the end of a word a joiner spells it too (Malayalam chillu
        // letters, a Persian word ending in a non-joiner before a space).
        for spelled in [
            "അവന്\u{200D} വന്നു",
            "കേരളത്തില്\u{200D}",
            "അവന്\u{200D}.",
            "a\u{200D}b",
        ] {
            assert_eq!(clean_text(spelled), spelled);
            assert_eq!(clean_line(spelled.to_string()), spelled);
        }
        assert_eq!(clean_text("അവന്\u{200D}  \t"), "അവന്\u{200D}");
        assert_eq!(clean_text("a\u{200D}\u{200B}b"), "a\u{200D}b");
        // With no character before it (at the start, after a space, or
        // alone), a joiner joins nothing.
        for (raw, clean) in [
            ("a \u{200D} b", "a b"),
            ("abc \u{200C}", "abc"),
            ("\u{200D}abc", "abc"),
            (" \u{200D} ", ""),
        ] {
            assert_eq!(clean_text(raw), clean, "{raw:?}");
            assert_eq!(fold(raw), fold(clean), "{raw:?}");
        }
        assert_eq!(clean_text("x\u{0}y\u{1B}z"), "xyz");
    }

    #[test]
    fn text_of_characters_that_render_as_nothing_has_nothing_visible() {
        for blank in [
            "",
            " ",
            "\u{AD}",
            "\u{200E}",
            "\u{200F}",
            "\u{34F}",
            "\u{3164}",
            "\u{115F}",
            "\u{180E}",
            "\u{2800}",
            "\u{61C}",
            "\u{200B}\u{AD}",
            "\u{FE0F}",
            "\u{E0041}",
            "\u{A0}\u{200D}\u{200C}",
        ] {
            assert!(!has_visible(blank), "{blank:?}");
        }
        for shown in [
            "a",
            "\u{AD}a",
            "\u{200E}1",
            "😀",
            "\u{0301}",
            "ന്\u{200D}",
            "…",
        ] {
            assert!(has_visible(shown), "{shown:?}");
        }
    }

    #[test]
    fn clean_drops_bidi_embeddings_overrides_and_isolates() {
        for raw in [
            "Invoice attached \u{202E}fdp.exe",
            "Council approves budget \u{202E}eht rof gnitov retfa\u{202C}",
            "a \u{202A}b\u{202B}c\u{202D} \u{2066}d\u{2067}e\u{2068}f\u{2069}",
        ] {
            let clean = clean_text(raw);
            assert!(
                !clean.contains(|c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')),
                "{clean:?}"
            );
            assert_eq!(fold(raw), fold(&clean));
        }
        assert_eq!(clean_text("x \u{202E}fdp.exe"), "x fdp.exe");
        // The marks place neutral characters in right-to-left text: kept.
        assert_eq!(clean_text("שלום\u{200F}!"), "שלום\u{200F}!");
    }

    #[test]
    fn direction_marks_stay_in_clean_text_and_are_left_out_of_the_key() {
        for (marked, plain) in [
            (
                "أطلقت \u{200E}MBZ-SAT\u{200E} عام \u{200E}2018\u{200E}.",
                "أطلقت MBZ-SAT عام 2018.",
            ),
            ("שלום\u{200F}!", "שלום!"),
            ("\u{061C}١٢ \u{061C} ٣", "١٢ ٣"),
            ("\u{200E} a \u{200F}", "a"),
            ("ＭＢＺ \u{200E} sat", "MBZ sat"),
        ] {
            assert_eq!(
                clean_text(marked).chars().count(),
                marked.trim().chars().count()
            );
            assert_eq!(fold(marked), fold(plain), "{marked:?}");
            assert!(has_direction_mark(marked), "{marked:?}");
            assert!(!has_direction_mark(plain), "{plain:?}");
            let mut scratch = String::new();
            assert_eq!(
                folded_key(marked, &mut scratch),
                folded_key(plain, &mut scratch)
            );
        }
    }

    #[test]
    fn clean_composes_text_written_decomposed() {
        for composed in [
            "Le ministre à l'Assemblée, jeudi. Crédit : AFP",
            "Thủ tướng phát biểu tại Hà Nội (Ảnh: TTXVN)",
            "기자회견하는 총리 (사진=연합뉴스)",
            "デジタル版の記事",
        ] {
            let decomposed: String = composed.nfd().collect();
            assert_ne!(decomposed, composed);
            assert_eq!(clean_text(&decomposed), composed);
            assert_eq!(clean_line(decomposed), composed);
            assert!(is_clean(composed), "{composed}");
        }
        // A combining mark that composes with nothing stays as written.
        assert_eq!(clean_text("x\u{304} and q\u{304}"), "x\u{304} and q\u{304}");
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
    fn backticks_fold_alike_in_ascii_and_unicode_lines() {
        assert_eq!(fold("the `final` word"), "the 'final' word");
        assert_eq!(fold("the `final` word — é"), "the 'final' word - é");
        assert_eq!(fold("the  `final`\tword"), "the 'final' word");
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
        // The second half of a cut in a script of three-byte letters.
        assert_eq!(truncate_words("กกกก กกกกกกกกกกกกกกกก", 12), "กกกก กกกกกกก…");
    }

    #[test]
    fn truncate_within_counts_the_ellipsis_and_keeps_a_text_that_fits() {
        assert_eq!(truncate_words_within("one two three", 13), "one two three");
        assert_eq!(truncate_words_within("one two three", 12), "one two…");
        assert_eq!(truncate_words_within("abcdefghij", 10), "abcdefghij");
        assert_eq!(truncate_words_within("abcdefghijk", 10), "abcdefghi…");
    }

    #[test]
    fn truncate_cuts_between_graphemes() {
        // Thai has no spaces between words: `เพื่อ` keeps its marks.
        let thai = "สามพันล้านบาทเพื่อช่วยเหลือ";
        assert_eq!(truncate_words(thai, 15), "สามพันล้านบาทเ…");
        assert_eq!(truncate_words(thai, 16), "สามพันล้านบาทเ…");
        assert_eq!(truncate_words(thai, 17), "สามพันล้านบาทเพื่…");
        let family = "ab 👨\u{200D}👩\u{200D}👧 cd";
        assert_eq!(truncate_words(family, 6), "ab…");
        assert_eq!(truncate_words("e\u{301}\u{301}\u{301}x", 2), "e\u{301}…");
    }

    /// The plain loop that the fast paths of [`fold_into`] must agree
    /// with, character for character ([`clean_text`]'s is
    /// [`rebuild_clean`]).
    fn fold_reference(text: &str) -> String {
        let mut out = String::new();
        let mut pending_space = false;
        if text.is_ascii() {
            for &b in text.as_bytes() {
                if b.is_ascii_whitespace() {
                    pending_space = !out.is_empty();
                } else if !b.is_ascii_control() {
                    if pending_space {
                        out.push(' ');
                        pending_space = false;
                    }
                    out.push(fold_punctuation(b.to_ascii_lowercase() as char));
                }
            }
            return out;
        }
        let meant: String = text.chars().map(windows_1252_char).collect();
        for c in meant.nfkc() {
            if is_space(c) {
                pending_space = !out.is_empty();
            } else if !unkeyed(c) {
                if pending_space {
                    out.push(' ');
                    pending_space = false;
                }
                out.extend(fold_punctuation(c).to_lowercase());
            }
        }
        out
    }

    /// Characters that exercise every branch: odd spaces, controls,
    /// invisibles, typographic punctuation, compatibility forms, combining
    /// marks and letters whose lower case is longer.
    const TRICKY: &[char] = &[
        'a', 'Z', ' ', ' ', '\t', '\r', '\n', '\u{B}', '\u{0}', '\u{1B}', '\u{7F}', '\u{85}',
        '\u{92}', '\u{81}', '\u{A0}', '\u{1680}', '\u{2009}', '\u{202F}', '\u{205F}', '\u{3000}',
        '\u{200B}', '\u{2060}', '\u{FEFF}', '\u{FFFF}', '\u{202E}', '\u{2067}', '\u{200F}',
        '\u{200C}', '\u{200D}', '.', '\'', '"', '`', '’', '“', '”', '–', '…', 'é', '\u{301}', 'ﬁ',
        'Ｔ', '½', 'İ', 'Σ', 'ß', '😀',
    ];

    fn tricky_text() -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(TRICKY), 0..40)
            .prop_map(|chars| chars.into_iter().collect())
    }

    /// Characters a clean line may hold: mostly ASCII, as most lines are.
    const CLEAN_ASCII: &[char] = &['a', 'Z', ' ', ' ', '.', '\'', '`'];
    const CLEAN_OTHER: &[char] = &['’', '“', 'é', 'ß', 'İ', 'Σ', '😀'];

    /// Text that is clean or nearly: long enough to span several of the
    /// stretches `is_clean` checks at once, with spaces that sometimes
    /// double, and now and then one character from [`TRICKY`].
    fn near_clean_text() -> impl Strategy<Value = String> {
        let char = prop_oneof![
            20 => proptest::sample::select(CLEAN_ASCII),
            1 => proptest::sample::select(CLEAN_OTHER),
        ];
        let chars = proptest::collection::vec(char, 0..120);
        let odd = proptest::option::of((
            any::<proptest::sample::Index>(),
            proptest::sample::select(TRICKY),
        ));
        (chars, odd).prop_map(|(mut chars, odd)| {
            if let Some((at, c)) = odd {
                chars.insert(at.index(chars.len() + 1), c);
            }
            chars.into_iter().collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn clean_and_fold_match_the_plain_loops(
            text in prop_oneof![tricky_text(), near_clean_text(), ".*"]
        ) {
            prop_assert_eq!(clean_text(&text), rebuild_clean(&text));
            prop_assert_eq!(clean_line(text.clone()), rebuild_clean(&text));
            prop_assert_eq!(fold(&text), fold_reference(&text));
        }
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
    fn uri_text_encodes_what_rfc_3986_allows_nowhere() {
        for (url, uri) in [
            (
                "https://up.example/search?tags[]=a&x={1}|^`",
                "https://up.example/search?tags%5B%5D=a&x=%7B1%7D%7C%5E%60",
            ),
            (
                "https://up.example/a|b/[c]",
                "https://up.example/a%7Cb/%5Bc%5D",
            ),
            (
                "https://up.example/100%/x%2",
                "https://up.example/100%25/x%252",
            ),
            ("https://up.example/p#top#2", "https://up.example/p#top%232"),
            (
                "https://up.example/é \"<>",
                "https://up.example/%C3%A9%20%22%3C%3E",
            ),
        ] {
            assert_eq!(uri_text(url), uri, "{url}");
            assert_eq!(uri_text(uri), Cow::Borrowed(uri), "{uri}");
        }
        for fine in [
            "http://[2001:db8::1]:8080/a?b=c&d=e;f#g/h?i",
            "https://u%40x:p@up.example/~a/b-c_d.e!$&'()*+,;=:@/?q#f",
        ] {
            assert!(matches!(uri_text(fine), Cow::Borrowed(_)), "{fine}");
        }
        let parsed = url::Url::parse("https://up.example/a|b?c[]={d}").unwrap();
        assert_eq!(
            uri_string(&parsed),
            "https://up.example/a%7Cb?c%5B%5D=%7Bd%7D"
        );
    }

    #[test]
    fn a_link_has_one_canonical_form_written_or_escaped() {
        for (written, escaped) in [
            (
                "https://up.example/a|b/story",
                "https://up.example/a%7Cb/story",
            ),
            (
                "https://up.example/search?tags[]=harbour&y=a^b",
                "https://up.example/search?tags%5B%5D=harbour&y=a%5Eb",
            ),
        ] {
            let canonical = canonical_url(written).unwrap();
            assert_eq!(canonical_url(escaped).as_ref(), Some(&canonical));
            assert_eq!(uri_text(&canonical), Cow::Borrowed(canonical.as_str()));
        }
    }

    #[test]
    fn hex_is_lower_case() {
        assert_eq!(hex(&[0x0f, 0xa0]), "0fa0");
    }
}

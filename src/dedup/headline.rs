//! Headline folding and similarity. A republished story keeps its headline
//! but gains a site name (` - Reuters`, ` | The Calder Herald`), a wire tag
//! (`UPDATE 2-`, `REFILE-`), a dateline (`LONDON (Reuters) -`), other quotes
//! or other capitals. [`fold_headline`] takes all of that away; what is left
//! are the headline's own words. [`similarity`] compares headlines that
//! differ beyond those rules.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::normalize::{MONTH_NAMES, clean_text, fold, unspaced_script};

use super::simhash::words;

/// The folded form of a headline: wire tags, dateline and site suffix
/// stripped (in that order, so that the words after a dateline are never
/// taken for a site name), then the Unicode words of the rest, folded (NFKC, lower case,
/// quotes as ASCII) and joined by single spaces, so case and punctuation no
/// longer count. A headline that would fold to nothing keeps all its words.
pub fn fold_headline(title: &str) -> String {
    let cleaned = clean_text(title);
    let stripped = strip_site_suffix(strip_dateline(strip_wire_tags(&cleaned)));
    let folded = words(stripped);
    if folded.is_empty() {
        words(&cleaned).join(" ")
    } else {
        folded.join(" ")
    }
}

/// The headline a copy that replaces a stored story's text gives it, when
/// that is not the copy's own: a copy whose headline is the stored one
/// (`stored`, folded by [`fold`]) with a wire tag, a dateline or a site
/// name added (`UPDATE 1-… - Calder Wire`) brings the text and leaves them
/// off, so the story keeps its own headline. `None`: the copy's headline
/// stands.
pub fn replacing_headline(copy: &str, stored: &str) -> Option<String> {
    let cleaned = clean_text(copy);
    let bare = strip_site_suffix(strip_dateline(strip_wire_tags(&cleaned))).trim();
    (bare.len() < cleaned.len() && fold(bare) == stored).then(|| bare.to_string())
}

/// Wire-service tags that mark a new version of the same story, as they
/// open a headline: `UPDATE 2-`, `REFILE-`, `CORRECTED-`, `BREAKING:`.
const WIRE_TAGS: &[&str] = &[
    "breaking news",
    "breaking",
    "corrected",
    "correction",
    "exclusive",
    "refile",
    "rpt",
    "updated",
    "update",
    "wrapup",
];

/// Strips the wire tags that open `text` (`REFILE-UPDATE 1-Rail talks…`
/// loses both): a tag word, an optional number, then `-` or `:`.
pub fn strip_wire_tags(text: &str) -> &str {
    let mut rest = text.trim_start();
    'tags: loop {
        for tag in WIRE_TAGS {
            let Some(head) = rest.get(..tag.len()) else {
                continue;
            };
            if !head.eq_ignore_ascii_case(tag) {
                continue;
            }
            let after = &rest[tag.len()..];
            let after = after
                .trim_start_matches(' ')
                .trim_start_matches(|c: char| c.is_ascii_digit());
            if let Some(stripped) = after.strip_prefix(['-', ':']) {
                rest = stripped.trim_start();
                continue 'tags;
            }
        }
        return rest;
    }
}

/// Separators that put a site name after a headline. Pipes, bullets and
/// double colons almost only ever do that; dashes also join the parts of a
/// headline, so a dash suffix must look like a name (see [`looks_like_name`]).
const PIPE_SEPARATORS: &[&str] = &[" | ", " :: ", " • ", " · "];
const DASH_SEPARATORS: &[&str] = &[" - ", " -- ", " – ", " — "];

/// The full-width bar of Chinese and Japanese sites. Spaced, it is a pipe
/// as NFKC folds it (` ｜ ` is ` | `); unspaced (`港湾計画を市議会が承認｜Harbour
/// Times`), it also stands after a column's name that opens a headline
/// (`专访｜…`), so what follows must look like a name.
const FULL_WIDTH_BAR: char = '｜';

/// Whether two lines are one headline written in other capitals, where
/// lower-casing alone does not tell: set in capitals, a language's letters
/// lose what its small letters keep (Turkish `HATTI` is `hattı`, German
/// `STRASSE` is `Straße`, Greek and French capitals drop their accents:
/// `ΑΘΗΝΑ` is `Αθήνα`, `ETAT` is `État`). Both are folded ([`fold`]), then
/// their marks dropped and `ı` read as `i`, `ß` as `ss`, `ς` as `σ`. For
/// telling a headline from its repeat only: stored keys keep [`fold`].
pub fn same_headline_in_capitals(a: &str, b: &str) -> bool {
    let (a, b) = (fold(a), fold(b));
    a == b || (!(a.is_ascii() && b.is_ascii()) && caseless_letters(&a) == caseless_letters(&b))
}

/// `folded` without marks, with the letters capitals merge made one.
fn caseless_letters(folded: &str) -> String {
    let mut out = String::with_capacity(folded.len());
    for c in folded.nfd().filter(|c| !is_combining_mark(*c)) {
        match c {
            '\u{131}' => out.push('i'),
            '\u{df}' => out.push_str("ss"),
            '\u{3c2}' => out.push('\u{3c3}'),
            _ => out.push(c),
        }
    }
    out
}

/// Longest site suffix stripped, in words and in characters.
const MAX_SUFFIX_WORDS: usize = 5;
const MAX_SUFFIX_CHARS: usize = 40;

/// Strips up to two site suffixes (`Headline - Politics - Daily Courier`):
/// at most five words and 40 characters after the last ` | `, ` :: `, ` • `,
/// ` · ` or spaced full-width bar (` ｜ `), or after the last spaced dash or
/// unspaced full-width bar when they look like a name. At least two words
/// of headline always remain (see `headline_words`).
pub fn strip_site_suffix(text: &str) -> &str {
    let mut rest = text.trim();
    for _ in 0..2 {
        match split_site_suffix(rest) {
            Some(head) => rest = head,
            None => break,
        }
    }
    rest
}

fn split_site_suffix(text: &str) -> Option<&str> {
    site_suffix_split(text, true)
}

/// The headline `copy` gives before a site name after it, as
/// [`strip_site_suffix`] tells one but for the name's length beside the
/// headline: where a headline is known and `copy` repeats it with a name
/// added (a doubled header's second copy, `港湾計画を市議会が承認｜日本経済新聞`
/// over `港湾計画を市議会が承認`), a name without capitals may be as long as
/// a short headline. `None` when no name closes `copy`.
pub fn headline_before_site_name(copy: &str) -> Option<&str> {
    site_suffix_split(copy.trim(), false)
}

/// The headline before the last site suffix of `text` ([`strip_site_suffix`]);
/// `against_head`: a name without capitals must be at most half as long as
/// the headline before it ([`looks_like_name`]).
fn site_suffix_split(text: &str, against_head: bool) -> Option<&str> {
    // Cheap test first: every separator holds a `|`, a `:`, a `-` or a
    // character beyond ASCII, which most headlines lack.
    if !text
        .bytes()
        .any(|b| matches!(b, b'|' | b':' | b'-') || !b.is_ascii())
    {
        return None;
    }
    let full_width_bar = text.rfind(FULL_WIDTH_BAR).map(|pos| {
        let after = pos + FULL_WIDTH_BAR.len_utf8();
        let spaced = text[..pos].ends_with(' ') && text[after..].starts_with(' ');
        (pos, FULL_WIDTH_BAR.len_utf8(), spaced)
    });
    let (pos, sep_len, pipe) = PIPE_SEPARATORS
        .iter()
        .map(|sep| (sep, true))
        .chain(DASH_SEPARATORS.iter().map(|sep| (sep, false)))
        .filter_map(|(sep, pipe)| text.rfind(sep).map(|pos| (pos, sep.len(), pipe)))
        .chain(full_width_bar)
        .max_by_key(|(pos, _, _)| *pos)?;
    let head = text[..pos].trim_end();
    let tail = text[pos + sep_len..].trim();
    let tail_words = tail.split_whitespace().count();
    let fits = (1..=MAX_SUFFIX_WORDS).contains(&tail_words)
        && tail.chars().count() <= MAX_SUFFIX_CHARS
        && headline_words(head) >= 2;
    let head_chars = against_head.then(|| head.chars().count());
    (fits && (pipe || looks_like_name(tail, head_chars))).then_some(head)
}

/// The words of a headline as the site suffix rule counts them: those
/// between spaces, or the letters of a script written without spaces
/// (`上海港扩建计划获市政府批准` has thirteen), whichever are more.
fn headline_words(head: &str) -> usize {
    let spaced = head.split_whitespace().count();
    let unspaced = head.chars().filter(|c| unspaced_script(*c)).count();
    spaced.max(unspaced)
}

/// Lower-case words a name may hold (`Bank of England`, `Le Monde`).
const NAME_CONNECTORS: &[&str] = &[
    "&", "and", "at", "de", "del", "der", "du", "el", "for", "la", "le", "of", "on", "the",
];

/// The longest site name in a script without capitals after a dash, in
/// characters (`新华网`, `연합뉴스`, `الجزيرة نت`, `दैनिक भास्कर`).
const MAX_CASELESS_NAME_CHARS: usize = 16;

/// A site or outlet name after the dash that ends `head`: every word
/// capitalised, a number, a connector, a domain (`calder-news.com`) or a
/// word of a script without capitals (`新华网`, `연합뉴스`), at least one of
/// them not a number or connector, and no closing `?` or `!` (which a
/// headline's second half would have). The capitals are what tell a name
/// from a headline's second half (`Brexit - the deal explained`); where a
/// word has none to tell, the name is also short, and no more than half as
/// long as the headline before it, of `head_chars` characters, when given.
fn looks_like_name(text: &str, head_chars: Option<usize>) -> bool {
    if text.ends_with(['?', '!', '？', '！']) {
        return false;
    }
    let mut named = false;
    let mut caseless = false;
    for word in text.split_whitespace() {
        let first = word.chars().next().unwrap_or(' ');
        let domain = word.contains('.') && word.chars().any(char::is_alphabetic);
        if first.is_uppercase() || domain {
            named = true;
        } else if first.is_alphabetic() && !first.is_lowercase() {
            named = true;
            caseless = true;
        } else if !(first.is_ascii_digit() || NAME_CONNECTORS.contains(&word)) {
            return false;
        }
    }
    let chars = text.chars().count();
    let beside_head = head_chars.is_none_or(|head| 2 * chars <= head);
    named && (!caseless || (chars <= MAX_CASELESS_NAME_CHARS && beside_head))
}

/// Dashes that end a dateline.
const DATELINE_SEPARATORS: &[&str] = &[" - ", " -- ", " – ", " — "];

/// The longest dateline, in characters, before its dash.
const MAX_DATELINE_CHARS: usize = 60;

/// Strips a wire dateline from the start of a headline or a first
/// paragraph: a place in capitals (`LONDON`, `RIO DE JANEIRO`), optionally
/// a state or a date after commas (`, D.C.`, `, July 29`, `, 29 July`,
/// `, 2024`), optionally the agency in parentheses (`(Reuters)`), then a
/// spaced dash. `LONDON (Reuters) - Ministers met…` becomes `Ministers met…`.
pub fn strip_dateline(text: &str) -> &str {
    let text = text.trim_start();
    // Only a dash that opens within the dateline's reach counts: looked for
    // there, not through the whole paragraph (every paragraph is asked).
    let longest = DATELINE_SEPARATORS.iter().map(|sep| sep.len()).max();
    let mut reach = (MAX_DATELINE_CHARS + longest.unwrap_or(0)).min(text.len());
    while !text.is_char_boundary(reach) {
        reach += 1;
    }
    // Every separator opens with a space: the first space that opens one
    // is the first separator.
    if let Some(rest) = strip_ideographic_dateline(text) {
        return rest;
    }
    let Some((pos, sep)) = text[..reach].match_indices(' ').find_map(|(pos, _)| {
        DATELINE_SEPARATORS
            .iter()
            .find(|sep| text[pos..].starts_with(**sep))
            .map(|sep| (pos, *sep))
    }) else {
        return text;
    };
    if pos > MAX_DATELINE_CHARS || !is_dateline(&text[..pos]) {
        return text;
    }
    text[pos + sep.len()..].trim_start()
}

/// The most ideographs of a Chinese wire dateline's agency and place
/// (`新华社北京`, `中国新闻网乌鲁木齐`).
const MAX_IDEOGRAPHIC_AGENCY_CHARS: usize = 16;

/// How far into a Chinese dateline its agency names itself: a news agency
/// (`新华社`), a site (`中新网`) or a paper (`本报`) ends in one of
/// [`AGENCY_ENDINGS`] within its first characters.
const AGENCY_REACH_CHARS: usize = 6;

/// The characters a Chinese news agency's, site's or paper's name ends in
/// (`社`, `网`, `报`, `台`): what tells a dateline from a sentence that
/// opens with a date and a word starting with `电` (`他在12月3日电话中说`).
const AGENCY_ENDINGS: &[char] = &['社', '网', '網', '报', '報', '台'];

/// The second characters of the common words that open with `电`
/// (power, telephone, television, film, computer, battery, station,
/// price, lift, cable, car, appliance): after a day, such a word is a
/// sentence's, not a dateline's `电`.
const ELECTRIC_COMPOUND_SECONDS: &[char] = &[
    '力', '话', '話', '视', '視', '影', '脑', '腦', '池', '站', '价', '價', '梯', '缆', '纜', '动',
    '動', '车', '車', '器', '量', '费', '費', '网', '網', '子', '压', '壓', '流',
];

/// The rest of `text` after a Chinese wire dateline that opens it, `None`
/// when none does: an agency and a place in ideographs, the day (with its
/// month or without), `电`, and the reporters in brackets when named
/// (`新华社北京12月3日电（记者王明）`, `本报上海3日电`), white space after
/// it left out too.
fn strip_ideographic_dateline(text: &str) -> Option<&str> {
    let agency_chars = text
        .chars()
        .take_while(|&c| is_ideograph(c))
        .take(MAX_IDEOGRAPHIC_AGENCY_CHARS + 1)
        .count();
    if !(2..=MAX_IDEOGRAPHIC_AGENCY_CHARS).contains(&agency_chars)
        || !text
            .chars()
            .take(agency_chars.min(AGENCY_REACH_CHARS))
            .any(|c| AGENCY_ENDINGS.contains(&c))
    {
        return None;
    }
    let agency_len: usize = text.chars().take(agency_chars).map(char::len_utf8).sum();
    let mut rest = &text[agency_len..];
    // One or two digits, ASCII or full-width: their length in bytes.
    let numeral = |rest: &str| -> Option<usize> {
        let digits: Vec<char> = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || ('\u{FF10}'..='\u{FF19}').contains(c))
            .take(3)
            .collect();
        (1..=2)
            .contains(&digits.len())
            .then(|| digits.iter().map(|c| c.len_utf8()).sum())
    };
    let month = numeral(rest)?;
    if rest[month..].starts_with('月') {
        rest = &rest[month + '月'.len_utf8()..];
    }
    let day = numeral(rest)?;
    rest = rest[day..]
        .strip_prefix("日电")
        .or_else(|| rest[day..].strip_prefix("日電"))?;
    // `电` opening a word of its own is no dateline's: `电力`, `电话`,
    // `电视` (`国家电网12月3日电力负荷创新高`).
    if rest.starts_with(ELECTRIC_COMPOUND_SECONDS) {
        return None;
    }
    if let Some(inside) = rest.strip_prefix(['（', '(']) {
        let close = inside.find(['）', ')'])?;
        if inside[..close].chars().count() > MAX_IDEOGRAPHIC_AGENCY_CHARS * 2 {
            return None;
        }
        rest = &inside[close + inside[close..].chars().next()?.len_utf8()..];
    }
    let rest = rest.trim_start();
    (!rest.is_empty()).then_some(rest)
}

/// Whether `c` is a CJK unified ideograph (the common block and its
/// first extension).
pub(crate) fn is_ideograph(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

fn is_dateline(head: &str) -> bool {
    let head = head.trim();
    let place_and_date = match head.strip_suffix(')') {
        Some(open) => match open.rfind('(') {
            Some(at) if (1..=30).contains(&(open.len() - at - 1)) => open[..at].trim_end(),
            _ => return false,
        },
        None => head,
    };
    let credited = place_and_date.len() < head.len();
    let mut parts = place_and_date.split(", ");
    let place = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    // A state or country in words after the place (`CALDER, England (AP)`,
    // `DES MOINES, Iowa, Nov. 3 (Reuters)`), told from a sentence by the
    // agency or the date that follows it.
    let region = |i: usize, part: &str| i == 0 && (credited || rest.len() == 2) && is_region(part);
    is_capitals(place, 4, 3)
        && rest.len() <= 2
        && rest.iter().enumerate().all(|(i, part)| {
            is_capitals(part, 2, 1) || is_day_and_month(part) || is_year(part) || region(i, part)
        })
}

/// A state or country as a dateline names it: one to three capitalised
/// words of letters and `.` (`England`, `Iowa`, `N.Y.`, `New South Wales`).
fn is_region(text: &str) -> bool {
    let words: Vec<&str> = text.split(' ').collect();
    (1..=3).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().all(|c| c.is_alphabetic() || c == '.')
        })
}

/// One to `max_words` words of capital letters (and `.`, `'`, `-`), with at
/// least `min_letters` letters in all.
fn is_capitals(text: &str, max_words: usize, min_letters: usize) -> bool {
    let words = text.split(' ').count();
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    (1..=max_words).contains(&words)
        && letters >= min_letters
        && text
            .chars()
            .all(|c| c.is_uppercase() || matches!(c, ' ' | '.' | '\'' | '-'))
}

/// `July 29`, `Jul. 29`, `Sept 3` or `29 July`.
fn is_day_and_month(text: &str) -> bool {
    let mut words = text.split(' ');
    let (Some(a), Some(b), None) = (words.next(), words.next(), words.next()) else {
        return false;
    };
    (is_month(a) && is_day(b)) || (is_day(a) && is_month(b))
}

fn is_month(word: &str) -> bool {
    let word = word.trim_end_matches('.').to_lowercase();
    word.len() >= 3 && MONTH_NAMES.iter().any(|month| month.starts_with(&word))
}

fn is_day(word: &str) -> bool {
    matches!(word.parse::<u8>(), Ok(1..=31))
}

fn is_year(word: &str) -> bool {
    word.len() == 4 && word.chars().all(|c| c.is_ascii_digit())
}

/// Words too common to tell two headlines apart.
const STOPWORDS: &[&str] = &[
    "a", "after", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in",
    "into", "is", "it", "its", "of", "on", "or", "over", "the", "to", "was", "were", "with",
];

/// Whether `word` (lower case) is too common to tell two headlines, or a
/// headline and a text, apart (`after`, `from`, `with`).
pub fn is_stop_word(word: &str) -> bool {
    STOPWORDS.contains(&word)
}

/// A crude stem, enough to match a headline's words with a body's: a
/// possessive `'s` and a plural `s` dropped, then the first five
/// characters (`harbours` and `harbour` give `harbo`, `approves` and
/// `approval` give `appro`). Always a prefix of `word`.
pub fn stem(word: &str) -> &str {
    let word = word.strip_suffix("'s").unwrap_or(word);
    let word = match word.strip_suffix('s') {
        Some(singular) if singular.chars().count() >= 3 && !singular.ends_with('s') => singular,
        _ => word,
    };
    match word.char_indices().nth(5) {
        Some((end, _)) => &word[..end],
        None => word,
    }
}

/// The distinct stems of a folded headline's words, sorted: stop words left
/// out unless nothing else is left.
pub fn terms(folded: &str) -> Vec<&str> {
    let mut set: Vec<&str> = folded
        .split(' ')
        .filter(|w| !w.is_empty() && !STOPWORDS.contains(w))
        .map(stem)
        .collect();
    if set.is_empty() {
        set = folded
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(stem)
            .collect();
    }
    set.sort_unstable();
    set.dedup();
    set
}

/// How alike two folded headlines ([`fold_headline`]) are, from 0 to 1: the
/// Dice coefficient of their [`terms`], `2 |A ∩ B| / (|A| + |B|)`.
/// Rewritten headlines of one story keep some of its names, places and key
/// nouns; headlines of different stories share few.
pub fn similarity(a: &str, b: &str) -> f64 {
    let (x, y) = (terms(a), terms(b));
    if x.is_empty() || y.is_empty() {
        return if x == y { 1.0 } else { 0.0 };
    }
    let shared = x.iter().filter(|w| y.binary_search(w).is_ok()).count();
    2.0 * shared as f64 / (x.len() + y.len()) as f64
}

/// Whether one folded headline ([`fold_headline`]) is the other with words
/// added or a word's spelling corrected, and nothing else changed: `Tram
/// extnsion opens` and `Tram extension opens`, or `New tram extension opens
/// in east`. Each word of the headline with fewer words (stop words aside)
/// is in the other, or is one letter added, dropped, changed or two
/// swapped from a word there of at least five letters; a word with a digit
/// must be there as it is (`junction 4` is not `junction 5`), and none may
/// be added.
pub fn retitled_by_additions_or_corrections(a: &str, b: &str) -> bool {
    let words = |folded: &'_ str| -> Vec<String> {
        folded
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty() && !STOPWORDS.contains(w))
            .map(str::to_string)
            .collect()
    };
    let (x, y) = (words(a), words(b));
    let (fewer, more) = if x.len() <= y.len() { (x, y) } else { (y, x) };
    if fewer.is_empty() {
        return false;
    }
    let has_digit = |w: &str| w.chars().any(|c| c.is_ascii_digit());
    let mut unmatched = more;
    for word in &fewer {
        if let Some(at) = unmatched.iter().position(|other| other == word) {
            unmatched.swap_remove(at);
            continue;
        }
        let corrected = |other: &String| {
            !has_digit(word)
                && !has_digit(other)
                && word.chars().count().min(other.chars().count()) >= 5
                && one_edit_apart(word, other)
        };
        match unmatched.iter().position(corrected) {
            Some(at) => {
                unmatched.swap_remove(at);
            }
            None => return false,
        }
    }
    // A number added is news too (`Tram extension 2 opens`).
    !unmatched.iter().any(|word| has_digit(word))
}

/// Whether `a` becomes `b` by one letter added, dropped or changed, or two
/// neighbouring letters swapped.
fn one_edit_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    let prefix = short
        .iter()
        .zip(long.iter())
        .take_while(|(x, y)| x == y)
        .count();
    match long.len() - short.len() {
        0 => {
            let (x, y) = (&short[prefix..], &long[prefix..]);
            !x.is_empty()
                && (x[1..] == y[1..]
                    || (x.len() >= 2 && x[0] == y[1] && x[1] == y[0] && x[2..] == y[2..]))
        }
        1 => short[prefix..] == long[prefix + 1..],
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADLINE: &str = "Port of Calder approves harbour expansion";

    #[test]
    fn a_headline_set_in_capitals_that_lose_letters_or_accents_is_the_same() {
        for (written, capitals) in [
            (
                "Yeni metro hattı törenle açıldı",
                "YENİ METRO HATTI TÖRENLE AÇILDI",
            ),
            ("İstanbul'da tören", "İSTANBUL'DA TÖREN"),
            (
                "Straßenbahn fährt bis zum Flughafen",
                "STRASSENBAHN FÄHRT BIS ZUM FLUGHAFEN",
            ),
            ("Νέα γραμμή μετρό στην Αθήνα", "ΝΕΑ ΓΡΑΜΜΗ ΜΕΤΡΟ ΣΤΗΝ ΑΘΗΝΑ"),
            ("L'État présente son budget", "L'ETAT PRESENTE SON BUDGET"),
            ("Port approves expansion", "PORT APPROVES EXPANSION"),
        ] {
            assert!(same_headline_in_capitals(written, capitals), "{capitals}");
        }
        assert!(!same_headline_in_capitals(
            "Yeni metro hattı açıldı",
            "Yeni metro hattı kapandı"
        ));
        assert!(!same_headline_in_capitals("Port approves", "Port approved"));
    }

    #[test]
    fn a_headline_with_words_added_or_a_spelling_corrected_is_retitled() {
        let retitled = |a: &str, b: &str| retitled_by_additions_or_corrections(&fold(a), &fold(b));
        assert!(retitled("Tram extnsion opens", "Tram extension opens"));
        assert!(retitled(
            "Tram extension opens",
            "New tram extension opens in east"
        ));
        assert!(retitled(
            "Harbour expansion aproved",
            "Harbour expansion approved"
        ));
        assert!(retitled(
            "Harbuor expansion approved",
            "Harbour expansion approved"
        ));
        assert!(!retitled(
            "Crash closes M5 at junction 4",
            "Crash closes M5 at junction 5"
        ));
        assert!(!retitled(
            "Council approves tram line",
            "Council approves bus line"
        ));
        assert!(!retitled("Fire at Hull docks", "Fire at Hall docks"));
        assert!(!retitled("Tram extension opens", "Tram extension closes"));
        assert!(!retitled("Tram extension opens", "Tram extension 2 opens"));
        assert!(!retitled(
            "Harbour expansion approved",
            "Harbour expansion disapproved"
        ));
    }

    #[test]
    fn a_replacing_copy_leaves_off_what_it_added_to_the_stored_headline() {
        let stored = fold(HEADLINE);
        for copy in [
            "Port of Calder approves harbour expansion - Calder Wire",
            "UPDATE 1-Port of Calder approves harbour expansion",
            "CALDER (Reuters) - Port of Calder approves harbour expansion",
            "UPDATE 2-Port of Calder Approves Harbour Expansion | The Calder Herald",
        ] {
            let kept = replacing_headline(copy, &stored).expect(copy);
            assert_eq!(fold(&kept), stored, "{copy}");
            assert!(!kept.contains('|') && !kept.contains(" - "), "{kept}");
        }
        // Its own headline, the same one, or one another site's name was
        // already part of: the copy's headline stands.
        for copy in [
            "Calder harbour deal signed, appeal expected",
            "Port of Calder approves harbour expansion",
            "PORT OF CALDER APPROVES HARBOUR EXPANSION",
        ] {
            assert_eq!(replacing_headline(copy, &stored), None, "{copy}");
        }
        let stored_with_name = fold("Port of Calder approves harbour expansion - Reuters");
        assert_eq!(
            replacing_headline(
                "Port of Calder approves harbour expansion - Calder Wire",
                &stored_with_name
            ),
            None
        );
    }

    #[test]
    fn site_suffixes_are_stripped() {
        for title in [
            "Port of Calder approves harbour expansion - Reuters",
            "Port of Calder approves harbour expansion | The Calder Herald",
            "Port of Calder approves harbour expansion — The Daily Courier",
            "Port of Calder approves harbour expansion – BBC News",
            "Port of Calder approves harbour expansion - calder-news.com",
            "Port of Calder approves harbour expansion | Business | Northern Post",
            "Port of Calder approves harbour expansion - Business - Northern Post",
        ] {
            assert_eq!(fold_headline(title), fold_headline(HEADLINE), "{title}");
        }
    }

    #[test]
    fn a_site_name_after_a_headline_in_a_script_without_spaces_comes_off() {
        let headline = "广州地铁十三号线二期今日开通";
        for copy in [
            "广州地铁十三号线二期今日开通 | 南方晚报",
            "广州地铁十三号线二期今日开通 - Canton Daily",
            "大阪の新しい自転車道が完成 | 関西新聞",
        ] {
            let bare = strip_site_suffix(copy);
            assert!(!bare.contains(['|', '-']), "{copy}: {bare}");
        }
        assert_eq!(
            replacing_headline("广州地铁十三号线二期今日开通 | 南方晚报", &fold(headline))
                .as_deref(),
            Some(headline)
        );
        // One character of headline is too little to be one.
        assert_eq!(strip_site_suffix("雨 | 南方晚报"), "雨 | 南方晚报");
    }

    #[test]
    fn a_site_name_without_capitals_after_a_dash_comes_off() {
        for (copy, headline) in [
            (
                "上海港集装箱吞吐量创历史新高 - 新华网",
                "上海港集装箱吞吐量创历史新高",
            ),
            (
                "上海港集装箱吞吐量创历史新高 – 新华网",
                "上海港集装箱吞吐量创历史新高",
            ),
            (
                "上海港集装箱吞吐量创历史新高 — 新华网",
                "上海港集装箱吞吐量创历史新高",
            ),
            (
                "横浜港の新ターミナル、2027年春に開業へ - 日本経済新聞",
                "横浜港の新ターミナル、2027年春に開業へ",
            ),
            (
                "서울시, 내년부터 심야 자율주행버스 노선 3개로 확대 - 연합뉴스",
                "서울시, 내년부터 심야 자율주행버스 노선 3개로 확대",
            ),
            (
                "الإمارات تطلق القمر الصناعي MBZ-SAT لرصد الأرض - الجزيرة نت",
                "الإمارات تطلق القمر الصناعي MBZ-SAT لرصد الأرض",
            ),
            (
                "גשם כבד צפוי בצפון הארץ בסוף השבוע - הארץ",
                "גשם כבד צפוי בצפון הארץ בסוף השבוע",
            ),
            (
                "กรุงเทพฯ เปิดรถไฟฟ้าสายสีชมพูครบทุกสถานี - ไทยรัฐ",
                "กรุงเทพฯ เปิดรถไฟฟ้าสายสีชมพูครบทุกสถานี",
            ),
            (
                "दिल्ली में मेट्रो की नई लाइन शुरू हुई - दैनिक भास्कर",
                "दिल्ली में मेट्रो की नई लाइन शुरू हुई",
            ),
            (
                "Port of Calder approves expansion - 新华网",
                "Port of Calder approves expansion",
            ),
        ] {
            assert_eq!(strip_site_suffix(copy), headline, "{copy}");
        }
    }

    #[test]
    fn a_site_name_after_a_full_width_bar_comes_off() {
        for (copy, headline) in [
            // Spaced, as NFKC folds it: ` | `.
            (
                "城市更新行动在上海全面启动 ｜ 新华网",
                "城市更新行动在上海全面启动",
            ),
            (
                "城市更新行动在上海全面启动 ｜ 专题 ｜ 新华网",
                "城市更新行动在上海全面启动",
            ),
            // Unspaced, as Japanese and Chinese sites write it: a name.
            (
                "港湾計画を市議会が承認｜Harbour Times",
                "港湾計画を市議会が承認",
            ),
            (
                "横浜港の新ターミナル、2027年春に開業へ｜日本経済新聞",
                "横浜港の新ターミナル、2027年春に開業へ",
            ),
            (
                "城市更新行动在上海全面启动｜新华网",
                "城市更新行动在上海全面启动",
            ),
            (
                "城市更新行动在上海全面启动 ｜新华网",
                "城市更新行动在上海全面启动",
            ),
        ] {
            assert_eq!(strip_site_suffix(copy), headline, "{copy}");
            assert_eq!(fold_headline(copy), fold_headline(headline), "{copy}");
        }
        // Twice as long as the headline at most, a name comes off only
        // where the headline is known.
        for copy in [
            "港湾計画を市議会が承認｜日本経済新聞",
            "港湾計画を市議会が承認｜朝日新聞デジタル",
            "港湾計画を市議会が承認 - 日本経済新聞",
        ] {
            assert_eq!(strip_site_suffix(copy), copy);
            assert_eq!(
                headline_before_site_name(copy),
                Some("港湾計画を市議会が承認"),
                "{copy}"
            );
        }
        assert_eq!(
            headline_before_site_name(
                "港湾計画を市議会が承認｜市議会は3日に港湾の拡張計画を賛成多数で承認した"
            ),
            None
        );
        // A column's name before an unspaced bar opens the headline.
        for title in [
            "专访｜城市更新行动在上海全面启动",
            "央视快评｜城市更新行动在上海全面启动",
            "雨｜新华网",
        ] {
            assert_eq!(strip_site_suffix(title), title);
        }
    }

    #[test]
    fn a_dash_followed_by_headline_words_without_capitals_is_kept() {
        for title in [
            // The second half as long as the first, or longer: no name.
            "上海港 - 集装箱吞吐量创历史新高",
            "서울시 - 심야 자율주행버스 노선 확대",
            // A question, and a second half too long for a name.
            "上海港集装箱吞吐量创历史新高 - 为什么？",
            "上海港集装箱吞吐量创历史新高，全年预计突破五千万标准箱 - 东南亚和中东航线货量快速增长",
        ] {
            assert_eq!(strip_site_suffix(title), title);
        }
    }

    #[test]
    fn a_dash_followed_by_headline_words_is_kept() {
        let title = "Rail strike called off - what it means for commuters";
        assert_eq!(strip_site_suffix(title), title);
        assert_eq!(
            strip_site_suffix("Is the rail strike over - Ask Us Anything?"),
            "Is the rail strike over - Ask Us Anything?"
        );
        assert_eq!(strip_site_suffix("Storm - Reuters"), "Storm - Reuters");
    }

    #[test]
    fn datelines_are_stripped() {
        for (text, rest) in [
            ("LONDON (Reuters) - Ministers met", "Ministers met"),
            ("WASHINGTON, July 29 (AP) — Ministers met", "Ministers met"),
            ("CALDER, 5 Oct (AFP) -- Ministers met", "Ministers met"),
            ("RIO DE JANEIRO – Ministers met", "Ministers met"),
            (
                "WASHINGTON, D.C., Oct. 5 (AP) - Ministers met",
                "Ministers met",
            ),
            (
                "ST. PETERSBURG, July 29, 2024 (Reuters) - Ministers met",
                "Ministers met",
            ),
            // A state or country after the place, as AP writes them.
            ("CALDER, England (AP) — Ministers met", "Ministers met"),
            ("DES MOINES, Iowa (AP) — Ministers met", "Ministers met"),
            ("NEW YORK, N.Y. (AP) — Ministers met", "Ministers met"),
            (
                "CALDER, England, Nov. 3 (Reuters) - Ministers met",
                "Ministers met",
            ),
        ] {
            assert_eq!(strip_dateline(text), rest, "{text}");
        }
    }

    #[test]
    fn chinese_wire_datelines_are_stripped() {
        for (text, rest) in [
            (
                "新华社北京12月3日电（记者王明）住建部3日宣布",
                "住建部3日宣布",
            ),
            ("新华社北京12月3日电 住建部3日宣布", "住建部3日宣布"),
            ("新华社北京12月3日电住建部3日宣布", "住建部3日宣布"),
            (
                "本报上海3日电（记者 李华 张伟）住建部3日宣布",
                "住建部3日宣布",
            ),
            ("中新网１２月３日电 住建部3日宣布", "住建部3日宣布"),
        ] {
            assert_eq!(strip_dateline(text), rest, "{text}");
        }
        for text in [
            "他在12月3日电话中表示将继续推进",
            "北京市12月3日电力供应正常",
            "国家电网12月3日电力负荷创新高",
            "中国电视台12月3日电视直播",
            "新华社北京12月3日电",
        ] {
            assert_eq!(strip_dateline(text), text, "{text}");
        }
    }

    #[test]
    fn headline_openings_that_are_not_datelines_stay() {
        for text in [
            "Rail strike - what it means",
            "London - the view from the river",
            "UK (Reuters) - short",
            "Ministers met (Reuters) - today",
            "NASA, Boeing - the two agree",
        ] {
            assert_eq!(strip_dateline(text), text, "{text}");
        }
    }

    #[test]
    fn only_a_dash_within_a_datelines_reach_opens_one() {
        // A dateline as long as one may be, its dash the last it may use.
        let place = "A".repeat(MAX_DATELINE_CHARS);
        assert_eq!(
            strip_dateline(&format!("{place} \u{2014} Ministers met")),
            "Ministers met"
        );
        let too_far = format!("{place}A - Ministers met");
        assert_eq!(strip_dateline(&too_far), too_far);
        // The reach ending inside a character written in several bytes.
        for cut in 0..4 {
            let text = format!(
                "{}\u{00e9}\u{2014}\u{00e9} - more",
                "x".repeat(MAX_DATELINE_CHARS + cut)
            );
            assert_eq!(strip_dateline(&text), text);
        }
    }

    #[test]
    fn wire_tags_are_stripped() {
        assert_eq!(
            strip_wire_tags("REFILE-UPDATE 2-Rail talks end"),
            "Rail talks end"
        );
        assert_eq!(
            strip_wire_tags("Breaking: Rail talks end"),
            "Rail talks end"
        );
        assert_eq!(
            strip_wire_tags("Updates to rail timetable"),
            "Updates to rail timetable"
        );
    }

    #[test]
    fn case_quotes_and_punctuation_fold_away() {
        assert_eq!(
            fold_headline("Mayor says ‘No’ to Tower: “Not here”"),
            fold_headline("MAYOR SAYS 'NO' TO TOWER - \"NOT HERE\"")
        );
        assert_eq!(
            fold_headline("Mayor says 'no' to tower"),
            "mayor says no to tower"
        );
    }

    #[test]
    fn everything_at_once() {
        assert_eq!(
            fold_headline(
                "UPDATE 1-CALDER (Reuters) - Port of Calder Approves Harbour Expansion | Reuters"
            ),
            "port of calder approves harbour expansion"
        );
    }

    #[test]
    fn a_headline_is_never_folded_to_nothing() {
        assert_eq!(fold_headline("BREAKING:"), "breaking");
        assert_eq!(fold_headline("Morning Briefing"), "morning briefing");
    }

    #[test]
    fn similarity_ranks_rewrites_above_other_stories() {
        let a = fold_headline("Port of Calder Approves Harbour Expansion After Year-Long Dispute");
        let rewrite = fold_headline("Calder harbour expansion gets go-ahead from port board");
        let other =
            fold_headline("Volunteers count record number of wading birds on Ashby marshes");
        assert!(similarity(&a, &rewrite) > 0.4);
        assert_eq!(similarity(&a, &other), 0.0);
        assert_eq!(similarity(&a, &a), 1.0);
        assert_eq!(similarity("of the", "the of"), 1.0);
        assert!((similarity("the", "of the") - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(similarity("harbours approved", "harbour approval"), 1.0);
    }

    #[test]
    fn stems_are_prefixes_that_match_plurals_and_possessives() {
        assert_eq!(stem("harbours"), "harbo");
        assert_eq!(stem("harbour's"), "harbo");
        assert_eq!(stem("birds"), "bird");
        assert_eq!(stem("glass"), "glass");
        assert_eq!(stem("bus"), "bus");
        assert_eq!(stem("zürich"), "züric");
        assert_eq!(
            terms("the port of calder's harbours"),
            ["calde", "harbo", "port"]
        );
        assert_eq!(similarity("", ""), 1.0);
    }
}

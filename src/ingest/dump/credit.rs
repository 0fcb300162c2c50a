//! Photo captions and their credits in a dump or a page: where a caption
//! ends and its credit (`(AP)`, `Photo: Jane Doe/Reuters`, `| Calder
//! Herald`) begins, and which trailing words are a credit at all.

use super::*;

/// `A photo of a march (AFP)` -> (`A photo of a march`, `AFP`): a caption
/// and its credit ([`bracketed_credit`], [`labelled_credit`]), the name
/// after a label and its colon inside the brackets (`(Photo: AFP)` ->
/// `AFP`; `(Credit Suisse)` is a name). The caption has two words or more,
/// or is written in a script without spaces between words.
pub(crate) fn split_credit(text: &str) -> Option<(String, String)> {
    bracketed_credit(text)
        .map(|(caption, credit)| (caption, strip_label(&credit, false)))
        .or_else(|| labelled_credit(text))
        .or_else(|| agency_after_sentence(text))
}

/// A photo agency's credit without brackets or label after the caption's
/// closing sentence: `… on Sunday. Getty Images`, `… on Sunday.
/// REUTERS/Manuel Silvestri`, `… on Sunday. Alkis Konstantinidis |
/// Reuters` ([`names_agency`]).
fn agency_after_sentence(text: &str) -> Option<(String, String)> {
    let tail_start = last_chars_start(text, MAX_CREDIT_CHARS + 3);
    let (at, _) = text[tail_start..]
        .rmatch_indices([' '])
        .map(|(at, sep)| (tail_start + at, sep))
        .find(|&(at, _)| {
            let caption = text[..at].trim_end_matches(CLOSERS);
            let credit = text[at..].trim();
            caption.ends_with(['.', '!', '?']) && credit_ok(credit) && names_agency(credit)
        })?;
    let caption = text[..at].trim();
    caption_ok(caption).then(|| (caption.to_string(), text[at..].trim().to_string()))
}

/// Whether a credit names a photo agency in one of its parts (`Getty
/// Images`, `REUTERS/Manuel Silvestri`, `Bartek Sadowski/Bloomberg`, `Alkis
/// Konstantinidis | Reuters`, `AP Photo/Name`), an agency that distributes
/// another's photo after ` via ` included (`Ana Ruiz/AFP via Getty Images`,
/// `AFP via Getty Images`).
fn names_agency(credit: &str) -> bool {
    credit
        .split(['/', '|'])
        .flat_map(|part| part.split(" via "))
        .any(|part| {
            let part = part.trim().to_lowercase();
            let agency = part.strip_suffix(" photo").unwrap_or(&part);
            AGENCIES.contains(&agency)
        })
}

/// `Photo: Reuters`, `Credit Reuters`, `Image: Reuters` -> `Reuters`: the
/// text of an element marked as a caption's credit, whose `Credit` needs
/// no colon to be a label; brackets around the whole of it come off first
/// (`(Photo: Mei Lin)` -> `Mei Lin`), for a feed writes its own.
pub(crate) fn strip_credit_label(text: &str) -> String {
    let text = text.trim();
    let inside = CREDIT_BRACKETS.iter().find_map(|&(open, close)| {
        let inside = text.strip_prefix(open)?.strip_suffix(close)?;
        (!inside.contains([open, close])).then_some(inside)
    });
    strip_label(inside.unwrap_or(text), true)
}

/// `text` without its credit label: a label before a colon, or with
/// `bare_credit` a `Credit` before a space.
fn strip_label(text: &str, bare_credit: bool) -> String {
    // Cheap test first: without a colon, only a bare `Credit` matches.
    let may_match = bare_credit || text.contains([':', '：']);
    may_match
        .then(|| credit_label().captures(text))
        .flatten()
        .filter(|c| bare_credit || c.name("bare").is_none())
        .and_then(|c| c.name("name"))
        .map(|m| m.as_str())
        .or_else(|| credit_label_at(text).filter(|name| !name.trim().is_empty()))
        .unwrap_or(text)
        .trim()
        .to_string()
}

fn credit_label() -> &'static Regex {
    static CELL: OnceLock<Regex> = OnceLock::new();
    CELL.get_or_init(|| {
        Regex::new(
            r"(?i)^(?:(?:photo(?:graph(?:er)?)?s?|image|picture|pic|credit|foto|bild|illustration|video)(?:\s+credits?)?\s*[:：]|(?P<bare>credit\s))\s*(?P<name>.+)$",
        )
        .expect("the pattern is valid")
    })
}

/// The longest credit, in characters.
pub(super) const MAX_CREDIT_CHARS: usize = 60;

/// What templates set between a caption and the credit after it.
pub(super) const CREDIT_SEPARATORS: [char; 6] = ['|', '/', '–', '—', '·', '•'];

/// The brackets a credit closing a caption is written in.
pub(super) const CREDIT_BRACKETS: [(char, char); 3] = [('(', ')'), ('[', ']'), ('（', '）')];

/// A short name in brackets that closes the line (`(AP)`, `[AFP]`,
/// `（新华社）`, `(© Reuters)`), as [`credit_ok`] reads credits. A full stop
/// after it (`… (AP).`) is taken only for a photo agency's credit
/// ([`agency_credit`]): a sentence may end in any abbreviation in brackets.
fn bracketed_credit(text: &str) -> Option<(String, String)> {
    let (closed, stopped) = match text.strip_suffix('.') {
        Some(closed) => (closed, true),
        None => (text, false),
    };
    let (inside_end, open) = CREDIT_BRACKETS
        .iter()
        .find_map(|&(open, close)| Some((closed.strip_suffix(close)?, open)))?;
    let at = inside_end.rfind(open)?;
    let credit = inside_end[at + open.len_utf8()..].trim();
    let caption = inside_end[..at].trim();
    let ok = credit_ok(credit) && caption_ok(caption) && (!stopped || agency_credit(credit));
    ok.then(|| (caption.to_string(), credit.to_string()))
}

/// A credit after a label that closes the line, without brackets:
/// `… Photo: Reuters`, `… Photograph: Ana Ruiz/AFP`, `… © Reuters`. The
/// credit is the name after the label.
fn labelled_credit(text: &str) -> Option<(String, String)> {
    // A credit is 60 characters at most, so only the line's end is
    // searched (a body paragraph is read here too, at every line).
    let tail_start = last_chars_start(text, MAX_CREDIT_CHARS + 17);
    let tail = &text[tail_start..];
    // Cheap tests first: `:` is ASCII, and the other marks are not.
    let marked =
        tail.bytes().any(|b| b == b':' || !b.is_ascii()) && tail.contains([':', '：', '©', '…']);
    if !marked
        && !tail.as_bytes().windows(3).any(|three| three == b"...")
        && !tail.split_whitespace().any(opens_label_without_colon)
    {
        return None;
    }
    let (at, credit_at, copyright) = tail.char_indices().rev().find_map(|(i, c)| {
        let at = tail_start + i;
        if c == '©' {
            return Some((at, at + c.len_utf8(), true));
        }
        // A label opens with a capital, or in a script without case (the
        // `credit` of `Photo credit:` is passed over for its label).
        if c.is_lowercase() || !c.is_alphabetic() {
            return None;
        }
        let after = credit_label_at(&text[at..])?;
        Some((at, text.len() - after.len(), false))
    })?;
    let caption = &text[..at];
    let credit = text[credit_at..].trim();
    // The label follows the caption's words after a space, or right after
    // its closing sentence when the two were elements of their own (`… on
    // Tuesday.Credit...Jonas Weber`).
    let parted = caption.ends_with(char::is_whitespace)
        || (!copyright && caption.trim_end_matches(CLOSERS).ends_with(['.', '!', '?']));
    let ok = parted && caption_ok(caption.trim()) && credit_ok(credit);
    let caption = if copyright {
        without_photo_word(caption.trim())
    } else {
        caption.trim()
    };
    // A separator the template sets before the credit (`… Monday. | Photo:
    // Getty Images`, `… at dawn - Photo: AFP`) is neither's; a hyphen only
    // spaced, as a dash.
    let caption = caption.trim_end_matches(CREDIT_SEPARATORS).trim_end();
    let caption = caption.strip_suffix(" -").map_or(caption, str::trim_end);
    ok.then(|| (caption.to_string(), credit.to_string()))
}

/// Where the last `n` characters of `text` start (0 when it has no more):
/// told from the bytes alone when those are ASCII.
fn last_chars_start(text: &str, n: usize) -> usize {
    let from = text.len().saturating_sub(n);
    if text.as_bytes()[from..].is_ascii() {
        return from;
    }
    text.char_indices().rev().nth(n - 1).map_or(0, |(at, _)| at)
}

/// Words for a photo or its credit, lower-case, that label a caption's
/// credit (`Photo: AFP`, `… Photo © Ana Ruiz`, `Photographer: Ana Ruiz`).
const CREDIT_LABEL_WORDS: [&str; 10] = [
    "photographer",
    "photograph",
    "photos",
    "photo",
    "picture",
    "pic",
    "image",
    "credit",
    "foto",
    "bild",
];

/// Words for a photo, its credit, its source or its photographer that
/// label a caption's credit in the languages other than English whose news
/// is read, lower-case: Spanish, Portuguese, Italian, French, German (a
/// source, `Quelle: dpa`), Dutch, Polish, Russian, Greek, Turkish, Arabic,
/// Hebrew, Hindi (with `फ़` written either way), Chinese (simplified and
/// traditional), Japanese, Korean, Vietnamese and Thai. An abbreviation
/// with its full stop (`fot.`) needs no colon after it (`Fot. PAP`).
const OTHER_CREDIT_LABELS: [&str; 45] = [
    "créditos",
    "crédito",
    "crédits photo",
    "crédit photo",
    "crédits",
    "crédit",
    "bildquelle",
    "quelle",
    "fotografía",
    "fotografia",
    "imagen",
    "imagem",
    "beeld",
    "fot.",
    "фотография",
    "фото",
    "φωτογραφία",
    "φωτογραφια",
    "φωτό",
    "φωτο",
    "φωτ.",
    "fotoğraf",
    "تصوير",
    "الصورة",
    "صورة",
    "צילום",
    "फोटो",
    "\u{92b}\u{93c}ोटो",
    "\u{95e}ोटो",
    "तस्वीर",
    "写真",
    "撮影",
    "图片",
    "圖片",
    "图",
    "圖",
    "摄影",
    "攝影",
    "摄",
    "攝",
    "사진제공",
    "사진",
    "ảnh",
    "ภาพถ่าย",
    "ภาพ",
];

/// Words that say who took a picture, lower-case, before the name they
/// label without a colon (`Photo by Ana Ruiz`, Italian `Foto di Marco
/// Rossi`, Spanish and Portuguese `Foto de Ana Ruiz`, German `Foto von Jan
/// Berg`).
const CREDIT_BY_LABELS: [&str; 8] = [
    "photograph by",
    "photo by",
    "picture by",
    "image by",
    "fotografia di",
    "foto di",
    "foto de",
    "foto von",
];

/// The spaces that may stand between a credit label and its name.
const LABEL_SPACES: [char; 3] = [' ', '\u{a0}', '\u{202f}'];

/// `text` after `label` opens it, compared without case (`label` is
/// lower-case).
fn after_label<'a>(text: &'a str, label: &str) -> Option<&'a str> {
    let mut rest = text.char_indices();
    for expected in label.chars() {
        let (_, c) = rest.next()?;
        // An ASCII letter is lowered as one ASCII letter, without the
        // tables.
        let same = if c.is_ascii() {
            c.to_ascii_lowercase() == expected
        } else {
            c.to_lowercase().eq(std::iter::once(expected))
        };
        if !same {
            return None;
        }
    }
    Some(rest.as_str())
}

/// The name after a label that needs no colon: a word for a photo and the
/// word for `by` ([`CREDIT_BY_LABELS`]: `Foto di Marco Rossi`) or an
/// abbreviated label and its full stop (`Fot. PAP`), then a space and a
/// capital.
fn name_after_label_without_colon(text: &str) -> Option<&str> {
    let abbreviations = OTHER_CREDIT_LABELS.iter().filter(|l| l.ends_with('.'));
    CREDIT_BY_LABELS
        .iter()
        .chain(abbreviations)
        .find_map(|label| {
            let rest = after_label(text, label)?;
            let name = rest.trim_start_matches(LABEL_SPACES);
            (name.len() < rest.len() && name.starts_with(char::is_uppercase)).then_some(name)
        })
}

/// Whether a word may open a label that needs no colon
/// ([`name_after_label_without_colon`]): `Fot.`, or the `Foto` of `Foto
/// di`. It opens with a capital, as a label after a caption does.
fn opens_label_without_colon(word: &str) -> bool {
    static HEADS: OnceLock<Vec<&'static str>> = OnceLock::new();
    let heads = HEADS.get_or_init(|| {
        let mut heads: Vec<&str> = CREDIT_BY_LABELS
            .iter()
            .filter_map(|label| label.split(' ').next())
            .chain(
                OTHER_CREDIT_LABELS
                    .iter()
                    .copied()
                    .filter(|l| l.ends_with('.')),
            )
            .collect();
        heads.dedup();
        heads
    });
    word.starts_with(char::is_uppercase)
        && heads.iter().any(|head| after_label(word, head) == Some(""))
}

/// The text after a credit label that opens `text` and its colon (`Photo:
/// AFP`, `Photo : AFP` as French sets it, `Photo credit: AP`, `Image
/// credits: AFP`, `Crédito: EFE`, `Crédit : AFP`, `Quelle: dpa`, `Фото:
/// ТАСС`, `写真：共同`, `图：新华社`, `Φωτ.: AP`), the equals sign of the
/// Korean press (`사진=연합뉴스`), the ellipsis the New York Times sets
/// (`Credit...Jonas Weber`, `Credit…Jonas Weber`) or no colon after a label
/// that needs none ([`name_after_label_without_colon`]: `Fot. PAP`, `Foto
/// di Marco Rossi`), compared without case.
fn credit_label_at(text: &str) -> Option<&str> {
    CREDIT_LABEL_WORDS
        .iter()
        .chain(&OTHER_CREDIT_LABELS)
        .find_map(|label| {
            let rest = after_label(text, label)?;
            let end = text.len() - rest.len();
            let after = text[end..].trim_start_matches(LABEL_SPACES);
            let after = [" credits", " credit"]
                .iter()
                .find_map(|word| {
                    let head = text[end..].get(..word.len())?;
                    head.eq_ignore_ascii_case(word)
                        .then(|| text[end + word.len()..].trim_start_matches(LABEL_SPACES))
                })
                .unwrap_or(after);
            after
                .strip_prefix([':', '：', '=', '…'])
                .or_else(|| after.strip_prefix("..."))
        })
        .or_else(|| name_after_label_without_colon(text))
}

/// `… Photo` -> `…`: a caption without the word for a photo that labels
/// the `©` credit after it (`… Photo © Ana Ruiz`), when words remain.
fn without_photo_word(caption: &str) -> &str {
    let Some((before, last)) = caption.rsplit_once(char::is_whitespace) else {
        return caption;
    };
    let label = last.trim_end_matches(':').to_lowercase();
    if CREDIT_LABEL_WORDS.contains(&label.as_str()) && caption_ok(before.trim_end()) {
        before.trim_end()
    } else {
        caption
    }
}

/// Whether `credit` reads as one: 1-60 characters, at most eight words, no
/// closing punctuation; it starts with a capital (after a `©`), a letter of
/// a script without capitals (`新华社`, three words at most), or is one of
/// the credits photo desks write in lower case ([`lower_case_credit`]).
/// A wire story's trailer ([`wire_trailer`]) names its reporters, not a
/// photo's source, and a tag, a day or a time ([`tag_or_time`]) names no
/// one.
fn credit_ok(credit: &str) -> bool {
    let name = credit.trim_start_matches('©').trim_start();
    let words = name.split_whitespace().count();
    let Some(first) = name.chars().next() else {
        return false;
    };
    let caseless = first.is_alphabetic() && !first.is_lowercase() && !first.is_uppercase();
    (1..=MAX_CREDIT_CHARS).contains(&credit.chars().count())
        && words <= 8
        && !credit.ends_with(['.', ',', ';', '!', '?'])
        && (first.is_uppercase()
            || (caseless && words <= 3)
            || credit.starts_with('©')
            || lower_case_credit(name))
        && !wire_trailer(credit)
        && !tag_or_time(name)
}

/// Whether the words in brackets closing a line are rather a tag a site
/// sets after a headline or a list's item (`VIDEO`, `Photos`, `Updated`,
/// `Live`, `Opinion`, `Part 2`), a day, a date or a time (`Saturday,
/// 7.30pm`, `December 12`, `Sunday at noon`), than anyone's name: each of
/// its words is a tag word ([`TAG_WORDS`]), the name of a weekday or a
/// month, a number, a time of day ([`time_of_day`]) or a word joining
/// them ([`TAG_JOINERS`]), and one at least is none of the last two.
fn tag_or_time(credit: &str) -> bool {
    let mut named = false;
    for word in
        credit.split(|c: char| c.is_whitespace() || matches!(c, ',' | '/' | '+' | '&' | '|'))
    {
        let word = word
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        if word.is_empty() || TAG_JOINERS.contains(&word.as_str()) || number_word(&word) {
            continue;
        }
        if !(TAG_WORDS.contains(&word.as_str()) || time_of_day(&word) || day_or_month_name(&word)) {
            return false;
        }
        named = true;
    }
    named
}

/// Words a site tags a headline or an item with, lower-case: what the
/// story holds (`VIDEO`, `Photos`, `Podcast`), how fresh it is (`Live`,
/// `Updated`, `Breaking`), what kind of piece it is (`Opinion`,
/// `Analysis`, `Review`), and where it stands in a series (`Part 2`, `Day
/// 3`), in English and the other languages whose news is read.
const TAG_WORDS: [&str; 82] = [
    "video",
    "videos",
    "watch",
    "photo",
    "photos",
    "pictures",
    "picture",
    "pics",
    "pic",
    "images",
    "image",
    "gallery",
    "slideshow",
    "audio",
    "podcast",
    "listen",
    "graphic",
    "graphics",
    "infographic",
    "interactive",
    "map",
    "maps",
    "chart",
    "charts",
    "live",
    "blog",
    "updated",
    "update",
    "updates",
    "developing",
    "breaking",
    "exclusive",
    "corrected",
    "correction",
    "new",
    "latest",
    "opinion",
    "analysis",
    "comment",
    "editorial",
    "review",
    "explainer",
    "interview",
    "obituary",
    "satire",
    "sponsored",
    "advertisement",
    "advertorial",
    "poll",
    "quiz",
    "recap",
    "preview",
    "factbox",
    "timeline",
    "transcript",
    "part",
    "day",
    "episode",
    "chapter",
    "round",
    "vol",
    "no",
    "today",
    "tonight",
    "tomorrow",
    "yesterday",
    "vidéo",
    "vídeo",
    "foto",
    "fotos",
    "galerie",
    "galería",
    "galleria",
    "direct",
    "directo",
    "vivo",
    "diretta",
    "видео",
    "фото",
    "онлайн",
    "βίντεο",
    "φωτογραφίες",
];

/// Words that join the words of a tag, a day or a time (`Video and
/// Photos`, `Saturday at 5pm`, `Part 1 of 3`, `En direct`), lower-case.
const TAG_JOINERS: [&str; 15] = [
    "and", "of", "at", "from", "to", "until", "with", "on", "en", "in", "ao", "y", "et", "und",
    "am",
];

/// Whether `word` (lower-case, no punctuation around it) is a number: its
/// digits, perhaps an ordinal's ending after them (`12th`), or a Roman
/// numeral of two letters or more (`II`, `IV`).
fn number_word(word: &str) -> bool {
    let digits = word.trim_end_matches(|c: char| c.is_alphabetic());
    let ordinal = &word[digits.len()..];
    let arabic = !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
        && ["", "st", "nd", "rd", "th"].contains(&ordinal);
    let roman =
        word.len() >= 2 && word.len() <= 4 && word.chars().all(|c| matches!(c, 'i' | 'v' | 'x'));
    arabic || roman
}

/// Whether `word` (lower-case, no punctuation around it) is a time of
/// day: an hour with or without its minutes and a twelve-hour clock's
/// mark or an hour mark (`5pm`, `7.30pm`, `5:30a.m`, `17h`), such a mark
/// alone (`pm`), a clock's time (`14:00`, `7.30`, `19h30`), or `noon` or
/// `midnight`.
fn time_of_day(word: &str) -> bool {
    let two_digits =
        |part: &str| (1..=2).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit());
    let clock = |time: &str| time.split([':', '.', 'h']).all(two_digits);
    let marked_hour = ["am", "pm", "a.m", "p.m", "h"]
        .iter()
        .find_map(|mark| word.strip_suffix(mark));
    matches!(word, "am" | "pm" | "a.m" | "p.m" | "noon" | "midnight")
        || marked_hour.is_some_and(clock)
        || (word.contains([':', '.', 'h']) && clock(word))
}

/// Whether `caption` is long enough to be one: two words or more, or four
/// characters of a script written without spaces; and it describes a
/// picture, which a list of names and numbers ([`names_and_numbers`]) does
/// not.
fn caption_ok(caption: &str) -> bool {
    (caption.split_whitespace().count() >= 2
        || (caption.chars().count() >= 4 && caption.chars().any(unspaced_script)))
        && !names_and_numbers(caption)
}

/// Whether `text` is names and numbers alone, as a results or scorers
/// line is (`Hale 12, Price 40, Shah 77`, `Old Town FC 3 Riverside
/// Rangers 2`): no word opens in lower case, and two words at least are
/// numbers. The brackets after it name a team, not a photo's source.
pub(super) fn names_and_numbers(text: &str) -> bool {
    let mut numbers = 0;
    for word in text.split_whitespace() {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric());
        if word.starts_with(char::is_lowercase) {
            return false;
        }
        if !word.is_empty() && word.chars().all(|c| c.is_ascii_digit()) {
            numbers += 1;
        }
    }
    numbers >= 2 && text.chars().any(char::is_uppercase)
}

/// A credit that names a photo agency (`AP`, `Ana Ruiz/AFP`, `Ana
/// Ruiz/AFP via Getty Images`), or opens with a word for a photo or a `©`.
pub(super) fn agency_credit(credit: &str) -> bool {
    let last = credit.rsplit('/').next().unwrap_or(credit);
    let agency = last.rsplit(" via ").next().unwrap_or(last).trim();
    AGENCIES.contains(&agency.to_lowercase().as_str())
        || credit.starts_with('©')
        || photo_word(credit)
}

/// Photo agencies, in lower case.
const AGENCIES: [&str; 30] = [
    "ap",
    "afp",
    "reuters",
    "getty",
    "getty images",
    "epa",
    "epa-efe",
    "efe",
    "dpa",
    "pa",
    "pa wire",
    "pa media",
    "xinhua",
    "kyodo",
    "bloomberg",
    "anadolu",
    "ansa",
    "shutterstock",
    "alamy",
    "istock",
    "yonhap",
    "tass",
    "upi",
    "ani",
    "pti",
    "ians",
    "aap",
    "bernama",
    "nurphoto",
    "picture alliance",
];

/// Whether `credit` opens with a word for a photo (`photo: Reuters`,
/// `foto dpa`, `file photo`).
fn photo_word(credit: &str) -> bool {
    const PHOTO_WORDS: [&str; 16] = [
        "photo",
        "photos",
        "photograph",
        "foto",
        "fotos",
        "picture",
        "pictures",
        "pic",
        "image",
        "bild",
        "file",
        "archive",
        "handout",
        "courtesy",
        "credit",
        "credits",
    ];
    let first = credit
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or_default();
    PHOTO_WORDS.contains(&first.to_lowercase().as_str())
}

/// A credit in lower case as photo desks write them: opening with a word
/// for a photo ([`photo_word`]: `photo: Reuters`, `foto dpa`, `file
/// photo`), an agency that writes its name so (`dpa`, `epa`), a brand with
/// a capital inside (`iStock`), or an agency and photographer pair
/// (`picture alliance/dpa`).
fn lower_case_credit(credit: &str) -> bool {
    const LOWER_CASE_AGENCIES: [&str; 4] = ["dpa", "epa", "ddp", "apa"];
    let first = credit
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or_default();
    photo_word(credit)
        || LOWER_CASE_AGENCIES.contains(&first.to_lowercase().as_str())
        || first.chars().any(char::is_uppercase)
        || (credit.contains('/') && credit.split_whitespace().count() <= 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_polish_italian_and_german_labels_come_off_a_captions_credit() {
        for (line, caption, credit) in [
            (
                "Le maire lors de la conférence de presse, jeudi. Crédit : AFP",
                "Le maire lors de la conférence de presse, jeudi.",
                "AFP",
            ),
            (
                "Le maire lors de la conférence de presse, jeudi. Crédit: AFP",
                "Le maire lors de la conférence de presse, jeudi.",
                "AFP",
            ),
            (
                "Le maire lors de la conférence de presse, jeudi. (Crédit : AFP)",
                "Le maire lors de la conférence de presse, jeudi.",
                "AFP",
            ),
            (
                "Burmistrz podczas konferencji prasowej (Fot. PAP)",
                "Burmistrz podczas konferencji prasowej",
                "PAP",
            ),
            (
                "Burmistrz podczas konferencji prasowej. Fot. PAP/Leszek Szymański",
                "Burmistrz podczas konferencji prasowej.",
                "PAP/Leszek Szymański",
            ),
            (
                "Il sindaco durante la conferenza stampa. Foto di Marco Rossi",
                "Il sindaco durante la conferenza stampa.",
                "Marco Rossi",
            ),
            (
                "Il sindaco durante la conferenza stampa (Foto di Marco Rossi)",
                "Il sindaco durante la conferenza stampa",
                "Marco Rossi",
            ),
            (
                "Der Bürgermeister auf der Pressekonferenz. Quelle: dpa",
                "Der Bürgermeister auf der Pressekonferenz.",
                "dpa",
            ),
            (
                "The mayor at the press conference. Photo by Jonas Weber",
                "The mayor at the press conference.",
                "Jonas Weber",
            ),
        ] {
            assert_eq!(
                split_credit(line),
                Some((caption.to_string(), credit.to_string())),
                "{line}"
            );
        }
    }

    #[test]
    fn tags_days_times_and_scorers_lines_in_brackets_name_no_credit() {
        for line in [
            "Storm Batters Calder Coast (VIDEO)",
            "Storm Batters Calder Coast (Photos)",
            "Storm Batters Calder Coast [PHOTOS]",
            "Storm Batters Calder Coast (Updated)",
            "Storm Batters Calder Coast (Live Updates)",
            "Why the Harbour Plan Is Wrong (Opinion)",
            "Inside the Calder Ferry Yard (Part 2)",
            "Inside the Calder Ferry Yard (Part II of III)",
            "Inside the Calder Ferry Yard (Video and Photos)",
            "Tempête sur la côte de Calder (VIDÉO)",
            "Шторм обрушился на побережье (ВИДЕО)",
            "Brass band on the harbour wall (Saturday, 7.30pm)",
            "Brass band on the harbour wall (Sunday at noon)",
            "Brass band on the harbour wall (Sunday, 14:00)",
            "Brass band on the harbour wall (December 12)",
            "Brass band on the harbour wall (12th December)",
            "Brass band on the harbour wall (Saturday)",
            "Brass band on the harbour wall (Tonight, 8pm)",
            "Brass band on the harbour wall (Fri 19h30)",
            "Ward 3, Lowe 81 (Harbour United)",
            "Ward 3, Lowe 81 (Harbour United); Price 50 (Northgate)",
        ] {
            assert_eq!(split_credit(line), None, "{line}");
        }
        // Names holding such words or numbers stay credits.
        for (line, credit) in [
            ("A crowd outside the studio (Sky News)", "Sky News"),
            ("A crowd outside the studio (Channel 4)", "Channel 4"),
            ("A crowd outside the studio (Live Nation)", "Live Nation"),
            (
                "A crowd outside the studio (© 2026 Reuters)",
                "© 2026 Reuters",
            ),
            (
                "A crowd outside the studio (Mar Vidal/Reuters)",
                "Mar Vidal/Reuters",
            ),
            (
                "A crowd outside the studio (Photo: Saturday Sport)",
                "Saturday Sport",
            ),
            ("A crowd outside the studio (file photo)", "file photo"),
            ("Ana Ruiz, 34, at her home in Calder (AP)", "AP"),
            ("Fans in Calder on December 5, 2026 (AP)", "AP"),
        ] {
            assert_eq!(
                split_credit(line).map(|(_, c)| c).as_deref(),
                Some(credit),
                "{line}"
            );
        }
    }

    #[test]
    fn words_that_only_look_like_a_label_are_no_credit_label() {
        // A bank's name, a group photo and a sentence's own words.
        assert_eq!(
            split_credit("Le siège de la banque à Paris (Crédit Agricole)")
                .map(|(_, c)| c)
                .as_deref(),
            Some("Crédit Agricole")
        );
        assert_eq!(
            split_credit("La squadra dopo la partita (Foto di gruppo)")
                .map(|(_, c)| c)
                .as_deref(),
            Some("Foto di gruppo")
        );
        for line in [
            "Wir haben die Foto di Marco gesehen und sind dann nach Hause gefahren.",
            "Il sindaco ha mostrato una foto di famiglia ai giornalisti",
            "Trzeba było wziąć fot. i pojechać dalej do miasta",
        ] {
            assert_eq!(split_credit(line), None, "{line}");
        }
    }

    #[test]
    fn a_getty_credit_for_another_agency_after_the_closing_sentence_is_a_credit() {
        for (line, credit) in [
            (
                "Boats moored in the harbour at dawn. Ana Ruiz/AFP via Getty Images",
                "Ana Ruiz/AFP via Getty Images",
            ),
            (
                "Boats moored in the harbour at dawn. AFP via Getty Images",
                "AFP via Getty Images",
            ),
            (
                "Boats moored in the harbour at dawn. Ana Ruiz/Getty Images",
                "Ana Ruiz/Getty Images",
            ),
        ] {
            assert_eq!(
                split_credit(line),
                Some((
                    "Boats moored in the harbour at dawn.".to_string(),
                    credit.to_string()
                )),
                "{line}"
            );
        }
        assert!(agency_credit("Ana Ruiz/AFP via Getty Images"));
        // A sentence that goes on after `via` names no agency.
        assert_eq!(
            split_credit("Boats moored in the harbour at dawn. Arrived via Calder Bay"),
            None
        );
    }
}

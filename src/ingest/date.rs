//! Recognises a date line printed under a headline (`Monday, 29 July, 2024 -
//! 05:30`, `2024-07-29`, `July 29, 2024`, `29.07.2024`, `29. Juli 2024`,
//! `Updated: July 29, 2024 at 5:30 p.m. EDT`, `July 29, 2024 5:30 AM ET`,
//! `Mon 29 Jul 2024 05.30 BST`, `2024-07-29 05:30 UTC`) and turns it into a
//! UTC timestamp. A line is dated only when every word of it is part of the
//! date, so a sentence that merely starts with a date is never taken for
//! one. `05/06/2024` (May or June) and a line with a day and a year whose
//! few other words cannot all be read (`July 29, 2024 5:30 AM AEST`) are
//! date lines whose date cannot be told: [`DateLine::Undated`]. A time of
//! day or an age without a day (`Updated 21:07 GMT`, `2 hours ago`) is a
//! date line that dates nothing: [`dayless_date_line`].

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use regex::Regex;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use crate::furniture::reading_time;
use crate::model::Article;
use crate::normalize::MONTH_NAMES;

/// Years outside this range are not taken as publication dates, from any
/// source: year 0 or 9999 is a mistake or a trick (a far-future date would
/// keep an entry at the top of every feed), and years beyond 0..=9999 have
/// no RFC 3339 or RFC 822 form at all.
pub const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// `date` if its year (in UTC) is in [`PLAUSIBLE_YEARS`].
pub fn plausible(date: DateTime<Utc>) -> Option<DateTime<Utc>> {
    use chrono::Datelike;
    PLAUSIBLE_YEARS.contains(&date.year()).then_some(date)
}

/// How far ahead of the moment it is read an article's date may be: a
/// zone mistaken or left out puts a date up to 14 hours ahead.
pub const FUTURE_DATES_ALLOWED: Duration = Duration::days(1);

/// `article` with its dates that lie more than [`FUTURE_DATES_ALLOWED`]
/// after `now` left out, so it is dated when first seen, and the first
/// such date: a date days or years ahead (a wrong clock, an event's date
/// given as the entry's) would keep the entry above every newer one and
/// date the whole feed ahead, and an update date ahead would keep every
/// correction from replacing its text.
pub fn dated_no_later_than(
    article: &Article,
    now: DateTime<Utc>,
) -> (Cow<'_, Article>, Option<DateTime<Utc>>) {
    let latest = now + FUTURE_DATES_ALLOWED;
    let ahead = |date: Option<DateTime<Utc>>| date.filter(|d| *d > latest);
    let Some(date) = ahead(article.published).or(ahead(article.updated)) else {
        return (Cow::Borrowed(article), None);
    };
    let mut dated = article.clone();
    dated.published = dated.published.filter(|d| *d <= latest);
    dated.updated = dated.updated.filter(|d| *d <= latest);
    (Cow::Owned(dated), Some(date))
}

/// The date of a page, `page`, over the one a document that lists the page
/// gives it (`given`: a feed entry's, a sitemap's), or the one given when
/// the page has none. A page's date at midnight UTC is read as naming its
/// day only (a date line such as `November 15, 2026`, or a date without a
/// time): when the date given has a time within that day in some zone
/// (from 14 hours before that midnight to 36 hours after), the date given
/// is the same day told more exactly, and stands.
pub fn page_date_over(
    page: Option<DateTime<Utc>>,
    given: Option<DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    match (page, given) {
        (Some(day), Some(exact))
            if is_midnight(day) && !is_midnight(exact) && within_the_day(exact, day) =>
        {
            Some(exact)
        }
        (page, given) => page.or(given),
    }
}

/// Whether `date` is at midnight UTC, as a date naming its day only is read.
fn is_midnight(date: DateTime<Utc>) -> bool {
    date.time() == NaiveTime::MIN
}

/// Whether `moment` lies within the day that starts at midnight UTC `day`
/// in some zone: zones run from 12 hours behind UTC to 14 ahead, so that day
/// runs from 14 hours before `day` to 36 hours after it.
fn within_the_day(moment: DateTime<Utc>, day: DateTime<Utc>) -> bool {
    moment >= day - Duration::hours(14) && moment < day + Duration::hours(36)
}

/// What a date line says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateLine {
    /// Its moment, whatever its year (see [`plausible`]); times without a
    /// zone are read as UTC.
    At(DateTime<Utc>),
    /// Nothing that can be told: its day and month could be either
    /// (`05/06/2024`: the 5th of June in Europe, May 6th in America). Such
    /// a line is still no headline and no paragraph.
    Undated,
}

/// Reads `line` as a date line; `None` when it is none. A line with the
/// published and the updated date (`Publié le …, modifié le …`, see
/// [`read_dates`]) reads as its published date.
pub fn read_date_line(line: &str) -> Option<DateLine> {
    read_dates(line).map(|(published, _)| published)
}

/// Reads `line` as a date line, as [`read_date_line`] does, with the
/// update date a line gives after the published one (`Publié le 3
/// décembre 2026 à 10h15, modifié le 3 décembre 2026 à 12h40`, `Published
/// 3 December 2026 10:15, updated 3 December 2026 12:40`); the update is
/// `None` for any other line, or when its date cannot be told.
pub fn read_dates(line: &str) -> Option<(DateLine, Option<DateTime<Utc>>)> {
    if too_long_for_dates(line) {
        return None;
    }
    let line = composed(line);
    let line = western_digits(&line);
    if let Some((published, updated)) = split_updated(&line) {
        let updated = match updated {
            DateLine::At(at) => Some(at),
            DateLine::Undated => None,
        };
        return Some((published, updated));
    }
    Some((read_one_date(&line)?, None))
}

/// Whether `line` is too long to be a date line: longer than the two
/// dates of [`split_updated`] can be, in characters of up to three bytes
/// each (Thai, Devanagari, other scripts' digits). Most of a dump's lines,
/// its paragraphs, are told at once, before any scan of their characters.
fn too_long_for_dates(line: &str) -> bool {
    line.trim().len() > 3 * 2 * MAX_DATE_LINE
}

/// `line` in its composed form (NFC), which the month names, labels and
/// date marks below are written in: a line written decomposed (NFD, as
/// macOS tools and some CMS exports write it: Korean jamo, Vietnamese and
/// French letters with their accents as combining marks) reads as the
/// same line composed.
fn composed(line: &str) -> Cow<'_, str> {
    if line.is_ascii() || is_nfc_quick(line.chars()) == IsNormalized::Yes {
        return Cow::Borrowed(line);
    }
    Cow::Owned(line.nfc().collect())
}

/// The zeros of the scripts whose digits a date line may be written in,
/// each followed by the other nine: Arabic-Indic `٣`, Persian `۳`, NKo,
/// the scripts of India (Devanagari `३`, Bengali `৩`, Gurmukhi, Gujarati,
/// Oriya, Tamil, Telugu, Kannada, Malayalam), Sinhala, Thai `๓`, Lao,
/// Tibetan, Myanmar, Khmer, Mongolian and full-width `３`.
const OTHER_ZEROS: [char; 20] = [
    '\u{660}', '\u{6f0}', '\u{7c0}', '\u{966}', '\u{9e6}', '\u{a66}', '\u{ae6}', '\u{b66}',
    '\u{be6}', '\u{c66}', '\u{ce6}', '\u{d66}', '\u{de6}', '\u{e50}', '\u{ed0}', '\u{f20}',
    '\u{1040}', '\u{17e0}', '\u{1810}', '\u{ff10}',
];

/// `line` with the digits of other scripts ([`OTHER_ZEROS`]) written as
/// ASCII digits, the only ones the readers below know.
fn western_digits(line: &str) -> Cow<'_, str> {
    let western = |c: char| {
        if c.is_ascii() {
            return None;
        }
        OTHER_ZEROS.into_iter().find_map(|zero| {
            let offset = u32::from(c).checked_sub(u32::from(zero))?;
            (offset < 10).then(|| char::from(b'0' + offset as u8))
        })
    };
    if line.is_ascii() || !line.chars().any(|c| western(c).is_some()) {
        return Cow::Borrowed(line);
    }
    Cow::Owned(line.chars().map(|c| western(c).unwrap_or(c)).collect())
}

/// Separators that may stand between a line's published date and its
/// update label, besides a space.
const BETWEEN_DATES: [char; 8] = [',', ';', '|', '·', '•', '/', '-', '–'];

/// The two dates of a line that gives the published date and then, after
/// an update label ([`LABELS`]), the updated one: each part a date line of
/// its own, the first without an update label.
fn split_updated(line: &str) -> Option<(DateLine, DateLine)> {
    let line = line.trim();
    if more_chars_than(line, 2 * MAX_DATE_LINE)
        || !line.bytes().any(|b| b.is_ascii_digit())
        || update_label(line)
    {
        return None;
    }
    line.match_indices(' ').find_map(|(at, _)| {
        let updated = &line[at + 1..];
        if !update_label(updated) {
            return None;
        }
        let published = line[..at].trim_end().trim_end_matches(BETWEEN_DATES);
        Some((read_one_date(published)?, read_one_date(updated)?))
    })
}

/// Reads `line` as a date line giving one date.
fn read_one_date(line: &str) -> Option<DateLine> {
    let line = date_part(line)?;
    if let Some(at) = parse_iso(line)
        .or_else(|| iso_end_of_day(line))
        .or_else(|| parse_year_month_day_marks(line))
    {
        return Some(DateLine::At(at));
    }
    if iso_shaped(line) {
        return Some(DateLine::Undated);
    }
    match parse_words(line) {
        Ok(at) => Some(DateLine::At(at)),
        Err(WordsError::Undated) => Some(DateLine::Undated),
        Err(WordsError::NotADate) => None,
    }
}

/// Whether `line` is a date line that names no day, perhaps after a label
/// (`Updated`, `Published at`, `Aktualisiert`, `Mis à jour`): a time of day
/// (`Updated 21:07 GMT`, `Published at 9:41 am`, `5 p.m. ET`), an age (`2
/// hours ago`, `an hour ago`, `3h ago`, `Just now`, `vor 2 Stunden`, `il y
/// a 2 heures`, `hace 2 horas`), or a day named only as yesterday, today or
/// its weekday, with a time or not (`Yesterday`, `Today, 14:02 GMT`,
/// `gestern um 14:02 Uhr`; a weekday with a time or after a label:
/// `Thursday 14:02`, `Updated Thursday`). It dates nothing. The line is
/// nothing more: `Yesterday the council voted` is text. A line written
/// decomposed (NFD) reads as the same line composed.
pub fn dayless_date_line(line: &str) -> bool {
    if too_long_for_dates(line) {
        return false;
    }
    // Read composed, as every date line is.
    let line = composed(line.trim());
    let line = line.as_ref();
    if more_chars_than(line, MAX_DATE_LINE) || !may_open_dayless(line) {
        return false;
    }
    // The longer of the labels that may open it.
    let english = &line[dayless_label().find(line).map_or(0, |label| label.end())..];
    let unlabelled = match without_label(line) {
        rest if rest.len() < english.len() => rest,
        _ => english,
    };
    let labelled = unlabelled.len() < line.len();
    dayless_age().is_match(unlabelled)
        || (dayless_time().is_match(unlabelled)
            && (labelled || unlabelled.bytes().any(|b| b.is_ascii_digit())))
        || relative_day(unlabelled, labelled)
}

/// Whether `line` opens as a date line without a day can: with a digit,
/// a word such a line starts with (`an`, `just`, `vor`, `hace`, `noon`,
/// `yesterday`, a weekday) or a label. Most short lines of a dump
/// (captions, crossheads) are told by their first word, before any
/// pattern is tried.
fn may_open_dayless(line: &str) -> bool {
    let first = line
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | '：'))
        .next()
        .unwrap_or("");
    if first.starts_with(|c: char| c.is_ascii_digit()) {
        return true;
    }
    let lower = first.to_lowercase().replace('’', "'");
    dayless_openers().contains(lower.as_str())
        || named_weekday(first)
        || (!line.is_ascii() && split_label(line).is_some())
}

/// The first words of [`dayless_date_line`]'s lines: those its ages and
/// times open with, [`RELATIVE_DAYS`], and the first words of every label
/// ([`LABELS`], and `edited`, which only [`dayless_label`] knows).
fn dayless_openers() -> &'static HashSet<&'static str> {
    static CELL: OnceLock<HashSet<&'static str>> = OnceLock::new();
    CELL.get_or_init(|| {
        const OPENERS: [&str; 13] = [
            "a", "an", "one", "just", "moments", "vor", "gerade", "il", "à", "hace", "noon",
            "midnight", "edited",
        ];
        OPENERS
            .into_iter()
            .chain(RELATIVE_DAYS)
            .chain(
                LABELS
                    .iter()
                    .filter_map(|(label, _)| label.split(' ').next()),
            )
            .collect()
    })
}

/// A label before a time or an age that names no day, in English
/// (`Last updated:`, `Posted on`, `Edited at`); the others are [`LABELS`].
fn dayless_label() -> &'static Regex {
    static CELL: OnceLock<Regex> = OnceLock::new();
    CELL.get_or_init(|| {
        Regex::new(
            r"(?i)^(?:last\s+)?(?:updated|published|posted|modified|edited)(?:\s+(?:on|at))?\s*:?\s*",
        )
        .expect("the pattern is valid")
    })
}

/// A time of day, whole: `21:07 GMT`, `9:41 am`, `10.15`, `14h02`, `5
/// p.m. ET`, `5pm`, `17h`, `17 Uhr`, `12 noon`, `midnight`.
fn dayless_time() -> &'static Regex {
    static CELL: OnceLock<Regex> = OnceLock::new();
    CELL.get_or_init(|| {
        Regex::new(
            r"(?i)^(?:\d{1,2}(?:[:.]\d{2}(?:[:.]\d{2})?|h\d{2})\s*(?:[ap]\.?m\.?)?|\d{1,2}(?:\s*[ap]\.?m\.?|\s*h|\s+uhr)|(?:12\s+)?(?:noon|midnight))(?:\s+[a-z]{2,5})?$",
        )
        .expect("the pattern is valid")
    })
}

/// An age, whole, in English, German, French or Spanish: `2 hours ago`,
/// `an hour ago`, `3h ago`, `Just now`, `vor 2 Stunden`, `il y a une
/// heure`, `hace 2 horas`.
fn dayless_age() -> &'static Regex {
    static CELL: OnceLock<Regex> = OnceLock::new();
    CELL.get_or_init(|| {
        Regex::new(concat!(
            r"(?i)^(?:",
            r"(?:(?:\d+|an?|one|a\s+few)\s+(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)",
            r"|\d+\s*(?:[smhdwy]|secs?|mins?|hrs?|mos?|yrs?))\s+ago",
            r"|just\s+now|moments\s+ago",
            r"|vor\s+(?:\d+|einer|einem|wenigen)\s+(?:sekunden?|minuten?|min\.?|stunden?|std\.?|tag(?:en)?|wochen?|monat(?:en)?|jahr(?:en)?)",
            r"|gerade\s+eben",
            r"|il\s+y\s+a\s+(?:\d+|une?|quelques)\s+(?:secondes?|minutes?|min|heures?|h|jours?|semaines?|mois|ans?)",
            r"|à\s+l['’]instant",
            r"|hace\s+(?:\d+|una?|unos|unas|pocos|pocas)\s+(?:segundos?|minutos?|min|horas?|h|días?|dias?|semanas?|mes(?:es)?|años?)",
            r")$",
        ))
        .expect("the pattern is valid")
    })
}

/// Yesterday and today in English, German, French and Spanish, in lower
/// case, with a straight apostrophe.
const RELATIVE_DAYS: [&str; 8] = [
    "yesterday",
    "today",
    "gestern",
    "heute",
    "hier",
    "aujourd'hui",
    "ayer",
    "hoy",
];

/// Whether `line` names its day only as yesterday, today (in English,
/// German, French or Spanish) or a weekday ([`weekday_name`]), alone (a
/// weekday only after a label, when `labelled`) or with a time of day
/// after it ([`dayless_time`]): `Yesterday`, `Today, 14:02 GMT`, `hier à
/// 14h02`, `ayer a las 14:02`, `Thursday 14:02`.
fn relative_day(line: &str, labelled: bool) -> bool {
    let (day, time) = line.split_once([' ', ',']).unwrap_or((line, ""));
    let relative = RELATIVE_DAYS.contains(&day.to_lowercase().replace('’', "'").as_str());
    if !relative && !named_weekday(day) {
        return false;
    }
    let time = time.trim_start_matches([' ', ',']);
    if time.is_empty() {
        return relative || labelled;
    }
    // The word before the time: `at`, `um`, `à`, `a las`.
    let time = ["at ", "um ", "à ", "a las ", "a la "]
        .into_iter()
        .find_map(|word| {
            let head = time.get(..word.len())?;
            head.to_lowercase().eq(word).then(|| &time[word.len()..])
        })
        .unwrap_or(time);
    dayless_time().is_match(time.trim())
}

/// The moment of `line` when it is a date line that tells one
/// ([`read_date_line`]).
pub fn parse_date_line(line: &str) -> Option<DateTime<Utc>> {
    match read_date_line(line)? {
        DateLine::At(at) => Some(at),
        DateLine::Undated => None,
    }
}

/// The longest line read as a date line, its label included, in
/// characters (a Thai or Devanagari one takes three bytes each).
const MAX_DATE_LINE: usize = 96;

/// The longest date of a date line, without its label, in characters.
const MAX_DATE: usize = 64;

/// Whether `text` has more than `max` characters; told by its length
/// alone when it has no more bytes than that.
fn more_chars_than(text: &str, max: usize) -> bool {
    text.len() > max && text.chars().count() > max
}

/// The date of a line that may be a date line, without its label: `None`
/// at once for the lines that cannot be (most of a dump: paragraphs too
/// long, headlines without a digit).
fn date_part(line: &str) -> Option<&str> {
    let line = line.trim();
    if line.len() < 8
        || more_chars_than(line, MAX_DATE_LINE)
        || !line.bytes().any(|b| b.is_ascii_digit())
    {
        return None;
    }
    let date = without_source_credit(without_reading_time(without_label(line)));
    let date = date_line_byline(date).map_or(date, |names| {
        let before = date[..date.len() - names.len()].trim_end();
        BY_WORDS
            .iter()
            .find_map(|by| before.strip_suffix(by)?.strip_suffix(' '))
            .unwrap_or(before)
    });
    (date.len() >= 8 && !more_chars_than(date, MAX_DATE)).then_some(date)
}

/// Labels of the source credit that news sites print after the date under
/// a headline (`2026-12-03 14:05　来源：新华网`, `2026/12/03 14:05 出典：共同通信`,
/// `2026-12-03 14:05 Источник: ТАСС`, `… Quelle: dpa`), compared without
/// case, a colon required after them: Chinese, Japanese, Korean, Russian,
/// German, English, Spanish, Portuguese, Italian, Dutch, Polish, Turkish and
/// Vietnamese.
const SOURCE_LABELS: [&str; 15] = [
    "来源",
    "來源",
    "出典",
    "出处",
    "출처",
    "источник",
    "quelle",
    "source",
    "fuente",
    "fonte",
    "fonti",
    "bron",
    "źródło",
    "kaynak",
    "nguồn",
];

/// The most characters of the source a date line's credit names.
const MAX_SOURCE: usize = 24;

/// `line` without the source credit after its date ([`SOURCE_LABELS`]):
/// from the first space before such a label and its colon to the end, when
/// the label names a source; a separator (`|`, `·`, `•`, a dash) before the
/// label goes with it.
fn without_source_credit(line: &str) -> &str {
    if line.is_ascii() && !line.contains(':') {
        return line;
    }
    let credit = line
        .char_indices()
        .filter(|&(_, c)| c.is_whitespace())
        .map(|(at, c)| (at, &line[at + c.len_utf8()..]))
        .find(|(_, rest)| source_credit(rest));
    match credit {
        Some((at, _)) => line[..at]
            .trim_end()
            .trim_end_matches(['|', '·', '•', '-', '–', '—'])
            .trim_end(),
        None => line,
    }
}

/// Whether `text` is a source credit: a label of [`SOURCE_LABELS`], its
/// colon, and a source of a few characters (`来源：新华网`, `Quelle: dpa`).
fn source_credit(text: &str) -> bool {
    SOURCE_LABELS.iter().any(|label| {
        let Some(head) = text.get(..label.len()) else {
            return false;
        };
        let same = if label.is_ascii() {
            head.eq_ignore_ascii_case(label)
        } else {
            head.to_lowercase() == *label
        };
        let source = text[label.len()..]
            .trim_start_matches(' ')
            .strip_prefix([':', '：'])
            .map(str::trim);
        same && source.is_some_and(|s| !s.is_empty() && !more_chars_than(s, MAX_SOURCE))
    })
}

/// `line` without a reading or listening time that a separator (`·`, `|`,
/// `•`) parts from its date, before or after it (`22 November 2026 · 4 min
/// read`, `4 min read | Nov 3, 2026`), as the toolbar under a headline
/// prints them together.
fn without_reading_time(line: &str) -> &str {
    const SEPARATORS: [char; 3] = ['·', '|', '•'];
    if let Some((date, time)) = line.rsplit_once(SEPARATORS)
        && reading_time(time.trim())
    {
        return date.trim_end();
    }
    match line.split_once(SEPARATORS) {
        Some((time, date)) if reading_time(time.trim()) => date.trim_start(),
        _ => line,
    }
}

/// The names of a byline that ends a date line (`Posted on November 4,
/// 2026 by Ana Ruiz`): what follows its last ` by `, one to six words, each
/// capitalised or `and`. The line is dated without them.
pub fn date_line_byline(line: &str) -> Option<&str> {
    // The last ` by ` (in any of the languages) of the line.
    let (at, by) = line.rmatch_indices(' ').find_map(|(at, _)| {
        let rest = &line[at + 1..];
        BY_WORDS
            .iter()
            .find(|by| rest.strip_prefix(**by).is_some_and(|r| r.starts_with(' ')))
            .map(|by| (at, by))
    })?;
    let names = line[at + by.len() + 2..].trim();
    let words: Vec<&str> = names.split_whitespace().collect();
    let capitalised = |w: &&str| w.chars().next().is_some_and(char::is_uppercase) || *w == "and";
    ((1..=6).contains(&words.len())
        && words.iter().all(capitalised)
        && line[..at].bytes().any(|b| b.is_ascii_digit()))
    .then_some(names)
}

/// The words that open a date line's byline (`Posted on … by Ana Ruiz`,
/// `Publié le … par Claire Dubois`), in English, French, German, Spanish,
/// Italian and Dutch.
pub(crate) const BY_WORDS: [&str; 12] = [
    "by", "By", "par", "Par", "von", "Von", "por", "Por", "di", "Di", "door", "Door",
];

/// Labels that may open a date line, compared without case, and whether
/// each says the date is the article's last update: in English, German,
/// French, Spanish, Italian, Portuguese, Dutch, Polish and Turkish, and the
/// common ones of Russian, Chinese, Japanese (`最終更新`), Korean
/// (`기사입력`, as Naver prints it), Vietnamese, Hebrew and Thai news sites. A label that opens a longer one comes after it.
const LABELS: [(&str, bool); 67] = [
    ("last updated", true),
    ("last modified", true),
    ("modified", true),
    ("modifié le", true),
    ("modifié", true),
    ("first published", false),
    ("updated", true),
    ("published", false),
    ("posted", false),
    ("aktualisiert am", true),
    ("aktualisiert", true),
    ("veröffentlicht am", false),
    ("veröffentlicht", false),
    ("stand", true),
    ("mis à jour le", true),
    ("mis à jour", true),
    ("publié le", false),
    ("publié", false),
    ("actualizado el", true),
    ("actualizado", true),
    ("publicado el", false),
    ("publicado em", false),
    ("publicado", false),
    ("atualizado em", true),
    ("atualizado", true),
    ("aggiornato il", true),
    ("aggiornato", true),
    ("pubblicato il", false),
    ("pubblicato", false),
    ("bijgewerkt op", true),
    ("bijgewerkt", true),
    ("gepubliceerd op", false),
    ("gepubliceerd", false),
    ("aktualizacja", true),
    ("zaktualizowano", true),
    ("opublikowano", false),
    ("data publikacji", false),
    ("güncelleme", true),
    ("güncellendi", true),
    ("yayınlanma", false),
    ("revised", true),
    ("обновлено", true),
    ("изменено", true),
    ("опубликовано", false),
    ("最終更新日", true),
    ("最終更新", true),
    ("更新时间", true),
    ("更新時間", true),
    ("更新日時", true),
    ("更新日", true),
    ("更新", true),
    ("发布时间", false),
    ("發布時間", false),
    ("发布", false),
    ("發布", false),
    ("公開日", false),
    ("公開", false),
    ("配信", false),
    ("업데이트", true),
    ("최종수정", true),
    ("기사입력", false),
    ("수정", true),
    ("입력", false),
    ("cập nhật", true),
    ("עודכן", true),
    ("פורסם", false),
    ("อัปเดต", true),
];

/// The label opening `line` (see [`LABELS`]) and the rest of the line after
/// it and its colon.
fn split_label(line: &str) -> Option<(&'static str, bool, &str)> {
    // Every label is lower case: one whose first letter is not the line's
    // is passed over before any comparison.
    let first = line.chars().next()?.to_lowercase().next()?;
    labels_opening_with(first)
        .iter()
        .find_map(|&(label, update)| {
            let head = line.get(..label.len())?;
            let same = head.eq_ignore_ascii_case(label)
                || (!label.is_ascii()
                    && head.chars().flat_map(char::to_lowercase).eq(label.chars()));
            let rest = &line[label.len()..];
            // French sets a space before its colon: `Mis à jour : …`.
            (same && rest.starts_with([':', '：', ' '])).then(|| {
                let after = rest.trim_start().trim_start_matches([':', '：']);
                (label, update, after.trim_start())
            })
        })
}

/// The labels of [`LABELS`] whose first letter is `first`, in their order
/// there.
fn labels_opening_with(first: char) -> &'static [(&'static str, bool)] {
    type ByFirstLetter = Vec<(char, Vec<(&'static str, bool)>)>;
    static CELL: OnceLock<ByFirstLetter> = OnceLock::new();
    let by_first = CELL.get_or_init(|| {
        let mut by_first: ByFirstLetter = Vec::new();
        for (label, update) in LABELS {
            let letter = label.chars().next().expect("no label is empty");
            match by_first.iter_mut().find(|(l, _)| *l == letter) {
                Some((_, labels)) => labels.push((label, update)),
                None => by_first.push((letter, vec![(label, update)])),
            }
        }
        by_first.sort_by_key(|(letter, _)| *letter);
        by_first
    });
    by_first
        .binary_search_by_key(&first, |(letter, _)| *letter)
        .map_or(&[], |at| &by_first[at].1)
}

/// `line` without a label before its date (`Updated:`, `Published`,
/// `Aktualisiert am`).
fn without_label(line: &str) -> &str {
    split_label(line).map_or(line, |(_, _, rest)| rest)
}

/// Whether `line` opens with a label before its date, of publication or
/// of update (`Published`, `Updated:`, `Aktualisiert am`).
pub fn opens_with_label(line: &str) -> bool {
    split_label(composed(line).trim()).is_some()
}

/// Whether `line` opens with a label saying its date is the article's last
/// update (`Updated:`, `Last updated`, `Aktualisiert am`, `Stand`), not its
/// publication.
pub fn update_label(line: &str) -> bool {
    split_label(composed(line).trim()).is_some_and(|(_, update, _)| update)
}

/// RFC 3339 and ISO 8601 as one word (`2026-12-03T10:00:00+01:00`), or
/// with a space for the `T`: with or without seconds, with a zone (`Z` or
/// an offset, with or without its colon: [`iso_zone`]) or none (UTC).
fn parse_iso(line: &str) -> Option<DateTime<Utc>> {
    if let Ok(dt) = DateTime::parse_from_rfc3339(line) {
        return Some(dt.with_timezone(&Utc));
    }
    let (local, offset) = iso_zone(line).unwrap_or((line, 0));
    for format in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(local, format) {
            return Some(dt.and_utc() - Duration::minutes(offset.into()));
        }
    }
    NaiveDate::parse_from_str(line, "%Y-%m-%d")
        .ok()
        .map(|d| d.and_time(NaiveTime::MIN).and_utc())
}

/// An ISO 8601 date at `24:00`, the end of its day (`2026-12-31T24:00Z`):
/// 00:00 of the next.
fn iso_end_of_day(line: &str) -> Option<DateTime<Utc>> {
    let at = line.find("T24:00").or_else(|| line.find(" 24:00"))?;
    let rest = &line[at + 6..];
    let rest = rest.strip_prefix(":00").unwrap_or(rest);
    if !rest.is_empty() && !rest.starts_with(['Z', 'z', '+', '-', ' ']) {
        return None;
    }
    let midnight = format!("{}00:00{}", &line[..at + 1], &line[at + 6..]);
    parse_iso(&midnight).map(|start| start + Duration::days(1))
}

/// Whether `line` is written as an ISO 8601 date (`2026-04-31`, with a
/// time or not: `2026-12-31T25:10Z`), whether the calendar and the clock
/// have it or not.
fn iso_shaped(line: &str) -> bool {
    let bytes = line.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    let date = digits(0..4)
        && bytes.get(4) == Some(&b'-')
        && digits(5..7)
        && bytes.get(7) == Some(&b'-')
        && digits(8..10);
    // The first ten bytes are ASCII digits and dashes when `date` holds.
    date && {
        let time = &line[10..];
        time.is_empty()
            || (time.starts_with(['T', 't', ' '])
                && time[1..].starts_with(|c: char| c.is_ascii_digit())
                && time[1..].chars().all(|c| {
                    c.is_ascii_digit() || matches!(c, ':' | '.' | '+' | '-' | 'Z' | 'z' | ' ')
                }))
    }
}

/// The zone closing an ISO 8601 date and time (`…T10:00Z`, `…T10:00+01:00`,
/// `… 10:00-0500`): the date and time before it, and its offset from UTC
/// in minutes. `None` when no zone follows a time.
fn iso_zone(line: &str) -> Option<(&str, i32)> {
    let time = line.find(['T', 't', ' '])?;
    if let Some(local) = line.strip_suffix(['Z', 'z']) {
        return Some((local.trim_end(), 0));
    }
    let sign = line.rfind(['+', '-']).filter(|&at| at > time)?;
    Some((line[..sign].trim_end(), numeric_offset(&line[sign..])?))
}

/// An offset from UTC written as numbers, in minutes: `+0100`, `-05:00`,
/// `+05` (a minus sign, `−`, for the hyphen too); `None` for any other
/// word, or an offset no zone has (beyond 14 hours).
fn numeric_offset(token: &str) -> Option<i32> {
    let (negative, digits) = match token.strip_prefix(['-', '−']) {
        Some(digits) => (true, digits),
        None => (false, token.strip_prefix('+')?),
    };
    let (hours, minutes) = match digits.split_once(':') {
        Some((hours, minutes)) => (hours, minutes),
        None if digits.len() == 4 => digits.split_at_checked(2)?,
        None => (digits, "00"),
    };
    let two_digits = |t: &str| t.len() == 2 && t.bytes().all(|b| b.is_ascii_digit());
    if !two_digits(hours) || !two_digits(minutes) {
        return None;
    }
    let (hours, minutes): (i32, i32) = (hours.parse().ok()?, minutes.parse().ok()?);
    if hours > 14 || minutes >= 60 {
        return None;
    }
    let offset = hours * 60 + minutes;
    Some(if negative { -offset } else { offset })
}

#[derive(Default)]
struct Parts {
    weekday: bool,
    month: Option<u32>,
    day: Option<u32>,
    year: Option<i32>,
    time: Option<NaiveTime>,
    pm: Option<bool>,
    /// The zone, once named.
    zone: Option<Zone>,
    /// A numeric date whose day and month could be either.
    day_or_month: bool,
    /// The month was named in a language that counts years in the
    /// Buddhist era ([`BUDDHIST_ERA_MONTH_NAMES`]).
    buddhist_era: bool,
    /// The time was `24:00`, the end of the day: 00:00 of the next.
    end_of_day: bool,
    /// A time written as one that no clock shows (`25:10`): the line is a
    /// date line that dates nothing.
    impossible: bool,
}

/// A time zone named in a date line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Zone {
    /// A fixed offset from UTC, in minutes (`GMT`, `CEST`, `EDT`).
    Fixed(i32),
    /// A US zone named without saying whether summer time is on (`ET`,
    /// `PT`): its standard offset, in minutes; daylight saving time is
    /// told from the date.
    UsLocal(i32),
}

impl Zone {
    /// The zone named by `name`, an abbreviation in lower case.
    fn named(name: &str) -> Option<Zone> {
        zone_offset_minutes(name)
            .map(Zone::Fixed)
            .or_else(|| us_standard_offset_minutes(name).map(Zone::UsLocal))
    }

    /// Its offset from UTC, in minutes, at `local` time.
    fn offset_minutes_at(self, local: NaiveDateTime) -> i32 {
        match self {
            Zone::Fixed(offset) => offset,
            Zone::UsLocal(standard) if us_summer_time(local) => standard + 60,
            Zone::UsLocal(standard) => standard,
        }
    }
}

/// The offset from UTC, in minutes, at `local` time of the zone named by
/// the abbreviation `name` (in lower case), as date lines and feed dates
/// name zones: a fixed zone's ([`zone_offset_minutes`]), or the summer or
/// standard time of a US zone named without saying which (`ET`, `PT`) by
/// the date.
pub(crate) fn zone_offset_minutes_at(name: &str, local: NaiveDateTime) -> Option<i32> {
    Zone::named(name).map(|zone| zone.offset_minutes_at(local))
}

/// Why [`parse_words`] found no date.
enum WordsError {
    /// A word with no place in a date, or an impossible date.
    NotADate,
    /// A date line that tells no date: `05/06/2024`, or one with words that
    /// cannot be read ([`date_shaped`]).
    Undated,
}

/// A date written with the year, month and day marks of Chinese, Japanese
/// (`2026年12月3日`) and Korean (`2026년 12월 3일`), or as Korean sites
/// print it with full stops (`2026.12.03.`, before a time only), a weekday
/// after it, in brackets or not (`（水）`, `星期四`, `목요일`), and a time
/// (`14時05分`, `14时05分32秒`, `下午2时05分`, `오후 2시 5분`, `14:05`,
/// `14:05:32`) allowed, and a zone after the time (`14時05分 JST`); read as
/// UTC without one, as other times without a zone are.
fn parse_year_month_day_marks(line: &str) -> Option<DateTime<Utc>> {
    let number = |text: &str| -> Option<(u32, usize)> {
        let digits = text.bytes().take_while(u8::is_ascii_digit).count();
        Some((text[..digits].parse().ok()?, digits))
    };
    let rest = line.trim();
    let (year, used) = number(rest)?;
    let dotted = used == 4 && rest[used..].starts_with('.');
    let (year_mark, month_mark, day_mark): (&[char], &[char], &[char]) = if dotted {
        (&['.'], &['.'], &['.'])
    } else {
        (&['年', '년'], &['月', '월'], &['日', '일'])
    };
    let rest = rest[used..].strip_prefix(year_mark)?.trim_start();
    let (month, used) = number(rest)?;
    let rest = rest[used..].strip_prefix(month_mark)?.trim_start();
    let (day, used) = number(rest)?;
    let mut rest = rest[used..].strip_prefix(day_mark)?.trim_start();
    // Full stops alone are a date only with the time a Korean site prints
    // after them (`2026.12.03. 오후 2:05`); other dotted dates are read
    // with the numeric ones.
    if dotted && rest.is_empty() {
        return None;
    }
    // A weekday in brackets: `（水）`, `(水)`.
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(inside) = rest.strip_prefix(open)
            && let Some((weekday, after)) = inside.split_once(close)
            && weekday.chars().count() <= 3
        {
            rest = after.trim_start();
        }
    }
    // A weekday without brackets: `星期四`, `木曜日`, `목요일`.
    let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    if marked_weekday(&rest[..word_end]) {
        rest = rest[word_end..].trim_start();
    }
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    let mut offset = 0;
    let time = if rest.is_empty() {
        NaiveTime::MIN
    } else {
        // Morning or afternoon before the hour: `下午2时`, `午後2時`, `오후 2시`.
        let meridiem = [
            ("上午", false),
            ("下午", true),
            ("午前", false),
            ("午後", true),
        ]
        .into_iter()
        .chain([("오전", false), ("오후", true)])
        .find_map(|(word, pm)| Some((pm, rest.strip_prefix(word)?.trim_start())));
        let (pm, rest) = meridiem.map_or((None, rest), |(pm, rest)| (Some(pm), rest));
        let (hour, used) = number(rest)?;
        let after_hour = rest[used..]
            .strip_prefix(['時', '时', '시', ':', '：'])?
            .trim_start();
        let (minute, used) = number(after_hour)?;
        let after_minute = after_hour[used..].trim_start();
        // Seconds after a colon (`14:05:32`) or the minute's mark
        // (`14时05分32秒`, `14시 5분 32초`).
        let (second, tail) = match after_minute.strip_prefix([':', '：']) {
            Some(seconds) => {
                let (second, used) = number(seconds)?;
                (second, &seconds[used..])
            }
            None => {
                let after_mark = after_minute.trim_start_matches(['分', '분']).trim_start();
                match number(after_mark) {
                    Some((second, used)) => {
                        (second, after_mark[used..].strip_prefix(['秒', '초'])?)
                    }
                    None => (0, after_mark),
                }
            }
        };
        // A zone may close the time: `14時05分 JST`, `14:05 KST`.
        let tail = tail.trim();
        if !tail.is_empty() {
            offset = zone_offset_minutes(&tail.to_ascii_lowercase())?;
        }
        let time = NaiveTime::from_hms_opt(hour, minute, second)?;
        match pm {
            Some(pm) => apply_meridiem(time, pm)?,
            None => time,
        }
    };
    Some(date.and_time(time).and_utc() - Duration::minutes(offset.into()))
}

/// Whether `word` is a weekday as Chinese (`星期四`, `周四`, `礼拜四`),
/// Japanese (`木曜日`) or Korean (`목요일`) write it.
fn marked_weekday(word: &str) -> bool {
    let one_of = |rest: Option<&str>, days: &str| {
        rest.is_some_and(|r| r.chars().count() == 1 && days.contains(r))
    };
    let chinese = ["星期", "礼拜", "禮拜", "周", "週"]
        .into_iter()
        .any(|prefix| one_of(word.strip_prefix(prefix), "一二三四五六日天"));
    chinese
        || one_of(word.strip_suffix("曜日"), "月火水木金土日")
        || one_of(word.strip_suffix("요일"), "월화수목금토일")
}

fn parse_words(line: &str) -> Result<DateTime<Utc>, WordsError> {
    // The Arabic comma, and the marks that set the direction of a
    // right-to-left line, part tokens as a comma and a space do.
    let tokens: Vec<&str> = line
        .split(|c: char| {
            c.is_whitespace() || matches!(c, ',' | '،' | '\u{200e}' | '\u{200f}' | '\u{61c}')
        })
        .filter(|t| !t.is_empty())
        .flat_map(slashed_names)
        .collect();
    // A weekday cut short in another language (`sam.`, `sáb`, `mar`) opens
    // a date only before a whole one: `mar` is also March, as in `Mar 5,
    // 2026`, and `5 mar 2026` names no weekday at all.
    if let [first, date @ ..] = &tokens[..]
        && (abbreviated_weekday(first) || two_letter_weekday(first))
        && let Ok(at) = parse_tokens(date)
    {
        return Ok(at);
    }
    parse_tokens(&tokens)
}

/// The date `tokens` (a line's words, see [`parse_words`]) give.
fn parse_tokens(tokens: &[&str]) -> Result<DateTime<Utc>, WordsError> {
    let mut parts = Parts::default();
    let mut unread = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if parts.month.is_none()
            && let Some(month) = numbered_month(&tokens[i..])
        {
            parts.month = Some(month);
            i += 2;
            continue;
        }
        // A month's name of two words (`كانون الأول`), once or as the
        // other name of the month already read (`ديسمبر/كانون الأول`).
        if let Some(month) = two_word_month(&tokens[i..])
            && parts.month.is_none_or(|read| read == month)
        {
            parts.month = Some(month);
            i += 2;
            continue;
        }
        if parts.time.is_none()
            && let Some((time, pm, taken)) = spaced_hour(&tokens[i..])
        {
            (parts.time, parts.pm) = (Some(time), pm);
            i += taken;
            continue;
        }
        if let Some(taken) = time_joiner(&tokens[i..]) {
            i += taken;
            continue;
        }
        if !take_token(&mut parts, tokens[i]) {
            unread.push(i);
            // More than `date_shaped` allows: a sentence, read no further.
            if unread.len() > MAX_UNREAD_WORDS {
                return Err(WordsError::NotADate);
            }
        }
        i += 1;
    }
    if !unread.is_empty() {
        return Err(if date_shaped(&parts, tokens, &unread) {
            WordsError::Undated
        } else {
            WordsError::NotADate
        });
    }
    if parts.day_or_month {
        return Err(WordsError::Undated);
    }
    let year = parts.year.map(|year| match parts.buddhist_era {
        true if year >= BUDDHIST_ERA_YEARS_FROM => year - BUDDHIST_ERA_OFFSET,
        _ => year,
    });
    let (Some(year), Some(month), Some(day)) = (year, parts.month, parts.day) else {
        return Err(WordsError::NotADate);
    };
    // A day the month has not (`31 April`), or a time no clock shows: a
    // date line, written wrong, that dates nothing.
    let date = NaiveDate::from_ymd_opt(year, month, day)
        .filter(|_| !parts.impossible)
        .ok_or(WordsError::Undated)?;
    let date = match parts.end_of_day {
        true => date.succ_opt().ok_or(WordsError::Undated)?,
        false => date,
    };
    let mut time = parts.time.unwrap_or(NaiveTime::MIN);
    if let Some(pm) = parts.pm {
        time = apply_meridiem(time, pm).ok_or(WordsError::NotADate)?;
    }
    let local = date.and_time(time);
    let offset = parts.zone.map_or(0, |zone| zone.offset_minutes_at(local));
    Ok(local.and_utc() - chrono::Duration::minutes(offset.into()))
}

/// `token` as the words a slash joins in it when it has no digit: the two
/// names of one month the Arabic press gives side by side
/// (`ديسمبر/كانون` of `ديسمبر/كانون الأول`, December in the calendar of
/// Egypt and of the Levant). A numeric date (`29/07/2024`) stays one word.
fn slashed_names(token: &str) -> Vec<&str> {
    if token.len() > 1 && token.contains('/') && !token.bytes().any(|b| b.is_ascii_digit()) {
        token.split('/').filter(|word| !word.is_empty()).collect()
    } else {
        vec![token]
    }
}

/// The month whose name of two words (`كانون الأول`, `تشرين الثاني`, see
/// [`OTHER_MONTH_NAMES`]) opens `tokens`.
fn two_word_month(tokens: &[&str]) -> Option<u32> {
    let [first, second, ..] = tokens else {
        return None;
    };
    if first.is_ascii() {
        return None;
    }
    let name = format!("{} {}", first.to_lowercase(), second.to_lowercase());
    OTHER_MONTH_NAMES
        .iter()
        .find_map(|names| names.iter().position(|month| *month == name))
        .map(|i| i as u32 + 1)
}

/// The month Vietnamese names by its number (`tháng 12` in `ngày 3 tháng
/// 12 năm 2026`) at the start of `tokens`.
fn numbered_month(tokens: &[&str]) -> Option<u32> {
    let [word, number, ..] = tokens else {
        return None;
    };
    let numeric = number.len() <= 2 && number.bytes().all(|b| b.is_ascii_digit());
    (word.to_lowercase() == "tháng" && numeric)
        .then(|| number.parse().ok())
        .flatten()
        .filter(|month| (1..=12).contains(month))
}

/// An hour written apart from the word that makes it one at the start of
/// `tokens`: without its minutes (`5 p.m.`, `5 PM`, `12 noon`, `12
/// midnight`, `17 Uhr`, `17 h`) or with them after an `h`, as French
/// writes it spaced (`14 h 05`). The time, whether a twelve-hour clock's
/// is after noon, and how many tokens it took.
fn spaced_hour(tokens: &[&str]) -> Option<(NaiveTime, Option<bool>, usize)> {
    let [number, word, rest @ ..] = tokens else {
        return None;
    };
    let twelve = *number == "12";
    let lower = word.replace('.', "").to_lowercase();
    let pm = match lower.as_str() {
        "am" => Some(false),
        "pm" => Some(true),
        "noon" if twelve => Some(true),
        "midnight" if twelve => Some(false),
        "uhr" | "h" => None,
        _ => return None,
    };
    let (hour, pm) = whole_hour(number, pm)?;
    let minutes = rest.first().filter(|minutes| {
        lower == "h" && minutes.len() == 2 && minutes.bytes().all(|b| b.is_ascii_digit())
    });
    match minutes {
        Some(minutes) => {
            use chrono::Timelike;
            let time = hour.with_minute(minutes.parse().ok()?)?;
            Some((time, pm, 3))
        }
        None => Some((hour, pm, 2)),
    }
}

/// The words of more than one that join a date to its time at the start
/// of `tokens`, followed by the time (`a las 14:05`, `a la 1:05`, `a les
/// 14.05`): how many they are. The joiners of one word (`at`, `à`, `um`,
/// `alle`, `às`, `om`) are read by [`take_token`].
fn time_joiner(tokens: &[&str]) -> Option<usize> {
    let [a, article, time, ..] = tokens else {
        return None;
    };
    let joins = a.eq_ignore_ascii_case("a")
        && ["la", "las", "les"]
            .iter()
            .any(|word| article.eq_ignore_ascii_case(word))
        && time.starts_with(|c: char| c.is_ascii_digit());
    joins.then_some(2)
}

/// An hour written as one word without its minutes: `5pm`, `5p.m.`, `17h`,
/// or `noon` and `midnight` alone. The hour, and whether a twelve-hour
/// clock's is after noon.
fn bare_hour(word: &str) -> Option<(NaiveTime, Option<bool>)> {
    let (hour, pm) = match word {
        "noon" => ("12", Some(true)),
        "midnight" => ("12", Some(false)),
        _ => {
            let word = word.trim_end_matches('.');
            match word.replace('.', "") {
                w if w.ends_with("am") || w.ends_with("pm") => {
                    let hour = &word[..word.find(['a', 'p'])?];
                    (hour, Some(w.ends_with("pm")))
                }
                _ => (word.strip_suffix('h')?, None),
            }
        }
    };
    whole_hour(hour, pm)
}

/// The hour `digits` (one or two of them) names, on the hour, with `pm`.
fn whole_hour(digits: &str, pm: Option<bool>) -> Option<(NaiveTime, Option<bool>)> {
    if !(1..=2).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((NaiveTime::from_hms_opt(digits.parse().ok()?, 0, 0)?, pm))
}

/// The most words of a date line that have no place in a date
/// ([`date_shaped`]).
const MAX_UNREAD_WORDS: usize = 2;

/// Whether a line whose `unread` tokens had no place in a date is still a
/// date line, only one that cannot be fully read: it has a day and a year,
/// at most two words were not read, and each is a zone's abbreviation or
/// offset (`AEST`, `GMT+8`), a word opening the line (a weekday in another
/// language), or, when no month was read, the month in another language.
fn date_shaped(parts: &Parts, tokens: &[&str], unread: &[usize]) -> bool {
    if parts.year.is_none() || parts.day.is_none() || unread.len() > MAX_UNREAD_WORDS {
        return false;
    }
    // Letters, and the marks written on them (Thai tone marks: `วันที่`).
    let word = |t: &str| {
        let t = t.trim_end_matches('.');
        (2..=16).contains(&t.chars().count())
            && t.starts_with(char::is_alphabetic)
            && t.chars().all(|c| c.is_alphabetic() || is_combining_mark(c))
    };
    let mut month_words = 0;
    unread.iter().all(|&i| {
        let token = tokens[i];
        if zone_like(token) || (i == 0 && word(token)) {
            return true;
        }
        month_words += 1;
        parts.month.is_none() && month_words == 1 && word(token)
    })
}

/// A zone's abbreviation, in any script (`AEST`, `HKT`, `МСК`) or an offset (`GMT+8`,
/// `UTC-05:00`, `+0300`).
fn zone_like(token: &str) -> bool {
    if (2..=5).contains(&token.chars().count()) && token.chars().all(char::is_uppercase) {
        return true;
    }
    let upper = token.to_ascii_uppercase();
    let offset = upper
        .strip_prefix("GMT")
        .or_else(|| upper.strip_prefix("UTC"))
        .unwrap_or(&upper);
    offset.strip_prefix(['+', '-', '−']).is_some_and(|o| {
        !o.is_empty() && o.len() <= 5 && o.bytes().all(|b| b.is_ascii_digit() || b == b':')
    })
}

/// Whether US daylight saving time is on at `local` time: from 2 a.m. on
/// the second Sunday in March to 2 a.m. on the first Sunday in November
/// (since 2007; before, from the first Sunday in April to the last in
/// October).
fn us_summer_time(local: NaiveDateTime) -> bool {
    use chrono::{Datelike, Weekday};
    let year = local.year();
    let sunday = |month, n| NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Sun, n);
    let (start, end) = if year >= 2007 {
        (sunday(3, 2), sunday(11, 1))
    } else {
        (sunday(4, 1), sunday(10, 5).or_else(|| sunday(10, 4)))
    };
    let two_am = NaiveTime::from_hms_opt(2, 0, 0).expect("a valid time");
    match (start, end) {
        (Some(start), Some(end)) => (start.and_time(two_am)..end.and_time(two_am)).contains(&local),
        _ => false,
    }
}

/// `29.07.2024`, `29/07/2024`, `07/29/2024`, `29-07-2024`: day, month and
/// year, the day first unless only the month-first reading is a date;
/// `05/06/2024` sets `day_or_month` (with dots, Europe's day first is the
/// only way written). A year first is followed by the month and the day
/// (`2026/12/03`, `2026.12.03`), as everywhere that writes it so.
fn take_numeric_date(parts: &mut Parts, token: &str) -> bool {
    let separator = ['.', '/', '-']
        .into_iter()
        .find(|&c| token.contains(c))
        .unwrap_or('/');
    let numbers: Vec<&str> = token.trim_end_matches('.').split(separator).collect();
    let number = |text: &str, digits: std::ops::RangeInclusive<usize>| {
        (digits.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| text.parse::<u32>().ok())
            .flatten()
    };
    let (day, month, y) = match numbers[..] {
        [year, month, day] if year.len() == 4 => {
            let (Some(y), Some(month), Some(day)) = (
                number(year, 4..=4),
                number(month, 1..=2),
                number(day, 1..=2),
            ) else {
                return false;
            };
            (day, month, y)
        }
        [first, second, year] => {
            let (Some(a), Some(b), Some(y)) = (
                number(first, 1..=2),
                number(second, 1..=2),
                number(year, 4..=4),
            ) else {
                return false;
            };
            match (a, b) {
                (a, b) if b > 12 && a <= 12 => (b, a, y),
                (a, b) if a > 12 || separator == '.' => (a, b, y),
                (a, b) => {
                    parts.day_or_month = a != b;
                    (a, b, y)
                }
            }
        }
        _ => return false,
    };
    if parts.year.is_some() || parts.month.is_some() || parts.day.is_some() {
        return false;
    }
    parts.day = Some(day);
    parts.month = Some(month);
    parts.year = Some(y as i32);
    true
}

/// `3-Dec-2026`, `Dec-03-2026`: a day, a month's name and a year joined by
/// hyphens, as content systems print them.
fn take_hyphenated_date(parts: &mut Parts, token: &str) -> bool {
    let pieces: Vec<&str> = token.split('-').collect();
    let month_of = |piece: &&str| named_month(piece.trim_end_matches('.'));
    if pieces.len() != 3
        || parts.year.is_some()
        || parts.month.is_some()
        || parts.day.is_some()
        || pieces.iter().filter(|p| month_of(p).is_some()).count() != 1
        || !pieces
            .iter()
            .all(|p| month_of(p).is_some() || p.bytes().all(|b| b.is_ascii_digit()))
    {
        return false;
    }
    let mut date = Parts::default();
    if !pieces.iter().all(|piece| take_token(&mut date, piece))
        || date.year.is_none()
        || date.day.is_none()
    {
        return false;
    }
    (parts.day, parts.month, parts.year) = (date.day, date.month, date.year);
    true
}

/// Files one token into `parts`; false when the token has no place in a date.
fn take_token(parts: &mut Parts, token: &str) -> bool {
    if parts.year.is_none()
        && let Ok(date) = NaiveDate::parse_from_str(token, "%Y-%m-%d")
    {
        use chrono::Datelike;
        (parts.year, parts.month, parts.day) =
            (Some(date.year()), Some(date.month()), Some(date.day()));
        return true;
    }
    // Before the numeric dates: `9a.m.` has two dots too.
    if parts.time.is_none()
        && let Some((time, pm)) = bare_hour(&token.to_lowercase())
    {
        (parts.time, parts.pm) = (Some(time), pm);
        return true;
    }
    if token.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && [b'.', b'/', b'-']
            .iter()
            .any(|&c| token.bytes().filter(|&b| b == c).count() >= 2)
    {
        return take_numeric_date(parts, token) || take_hyphenated_date(parts, token);
    }
    if token.contains('-') && take_hyphenated_date(parts, token) {
        return true;
    }
    let lower = token.trim_end_matches('.').to_lowercase();
    // A label's connecting word may carry its colon (`Published on: …`).
    let word = lower.strip_suffix(':').unwrap_or(&lower);
    if matches!(
        word,
        "-" | "–"
            | "—"
            | "|"
            | "·"
            | "•"
            | "/"
            | "at"
            | "on"
            | "de"
            | "del"
            | "um"
            | "uhr"
            | "à"
            | "le"
            | "alle"
            | "ore"
            | "às"
            | "om"
            | "uur"
            | "saat"
            | "r"
            | "в"
            | "г"
            | "года"
            | "ngày"
            | "năm"
            | "lúc"
            | "วันที่"
            | "ที่"
            | "เวลา"
            | "น"
            | "พ.ศ"
    ) {
        return true;
    }
    let name = token.trim_end_matches('.');
    if !parts.weekday && named_weekday(name) {
        parts.weekday = true;
        return true;
    }
    if let Some((month, buddhist_era)) = named_month(name) {
        if parts.month.is_none() {
            (parts.month, parts.buddhist_era) = (Some(month), buddhist_era);
            return true;
        }
        // The month named again, by its name in another calendar
        // (`أغسطس/آب`): read once.
        if parts.month == Some(month) {
            return true;
        }
    }
    if parts.zone.is_none()
        && let Some(zone) = Zone::named(&lower)
    {
        parts.zone = Some(zone);
        return true;
    }
    // An offset after the time: `10:00:00 -0500`, `10:00 +01:00`.
    if parts.zone.is_none()
        && parts.time.is_some()
        && let Some(offset) = numeric_offset(token)
    {
        parts.zone = Some(Zone::Fixed(offset));
        return true;
    }
    // `12:00 noon`, `12:00 midnight`: the hour a twelve-hour clock names.
    if parts.pm.is_none()
        && parts
            .time
            .is_some_and(|t| t == NaiveTime::from_hms_opt(12, 0, 0).expect("a valid time"))
        && matches!(lower.as_str(), "noon" | "midnight")
    {
        parts.pm = Some(lower == "noon");
        return true;
    }
    let meridiem = lower.replace('.', "");
    if parts.pm.is_none() && parts.time.is_some() && matches!(meridiem.as_str(), "am" | "pm") {
        parts.pm = Some(meridiem == "pm");
        return true;
    }
    // The mark of hours after a time, apart from it: `14:05 h`, `14:05 hs`.
    if parts.time.is_some() && HOUR_MARKS.contains(&word) {
        return true;
    }
    let lower = without_hour_mark(&lower);
    let clock = lower
        .strip_suffix("pm")
        .or_else(|| lower.strip_suffix("am"))
        .unwrap_or(lower);
    if parts.time.is_none() && (lower.contains(':') || dotted_clock(clock).is_some()) {
        parts.time = parse_clock(lower);
        if parts.time.is_none() && matches!(lower, "24:00" | "24:00:00") {
            (parts.time, parts.end_of_day) = (Some(NaiveTime::MIN), true);
        } else if parts.time.is_none() && clock_shaped(clock) {
            parts.impossible = true;
            return true;
        }
        return parts.time.is_some();
    }
    let (digits, ordinal_suffix) =
        lower.split_at(lower.bytes().take_while(u8::is_ascii_digit).count());
    if digits.is_empty() {
        return false;
    }
    if digits.len() == 4 && ordinal_suffix.is_empty() && parts.year.is_none() {
        parts.year = digits.parse().ok();
        return true;
    }
    if digits.len() <= 2
        && (ordinal_suffix.is_empty() || ORDINAL_DAY_SUFFIXES.contains(&ordinal_suffix))
        && parts.day.is_none()
    {
        parts.day = digits.parse().ok().filter(|d| (1..=31).contains(d));
        return parts.day.is_some();
    }
    false
}

/// The marks written after a time to say it counts hours (`14:05 h`,
/// `14:05h`, `14:05 hs`, `14:05 hrs`), in lower case.
const HOUR_MARKS: [&str; 4] = ["h", "hs", "hr", "hrs"];

/// `token` (in lower case) without an hour mark ([`HOUR_MARKS`]) that
/// ends a time written with its minutes (`14:05h`, `14.05hs`).
fn without_hour_mark(token: &str) -> &str {
    HOUR_MARKS
        .iter()
        .filter_map(|mark| token.strip_suffix(mark))
        .find(|time| time.contains([':', '.']) && time.ends_with(|c: char| c.is_ascii_digit()))
        .unwrap_or(token)
}

/// What follows the number of a day written as an ordinal, in lower case:
/// English `29th`, French `1er`, Spanish and Portuguese `1º`, `1.º` or
/// `1ro`, Italian `1°` (a degree sign, as often typed for `º`).
const ORDINAL_DAY_SUFFIXES: [&str; 9] = ["st", "nd", "rd", "th", "er", "º", ".º", "°", "ro"];

/// Whether `clock` is written as a time, one or two digits, a colon or a
/// dot, two digits (and seconds), whether a clock shows it or not.
fn clock_shaped(clock: &str) -> bool {
    let mut parts = clock.split([':', '.']);
    let hour = parts.next().unwrap_or_default();
    let digits = |t: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
    };
    digits(hour, 1..=2) && {
        let rest: Vec<&str> = parts.collect();
        (1..=2).contains(&rest.len()) && rest.iter().all(|t| digits(t, 2..=2))
    }
}

fn parse_clock(token: &str) -> Option<NaiveTime> {
    let (clock, meridiem) = match token
        .strip_suffix("pm")
        .or_else(|| token.strip_suffix("am"))
    {
        Some(clock) => (clock, Some(token.ends_with("pm"))),
        None => (token, None),
    };
    let time = NaiveTime::parse_from_str(clock, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(clock, "%H:%M"))
        .ok()
        .or_else(|| dotted_clock(clock))?;
    match meridiem {
        Some(pm) => apply_meridiem(time, pm),
        None => Some(time),
    }
}

/// A time written `05.30` (British papers) or `14h30` (French ones).
fn dotted_clock(token: &str) -> Option<NaiveTime> {
    let (hour, minute) = token.split_once(['.', 'h'])?;
    let two_digits = |t: &str| (1..=2).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit());
    if !two_digits(hour) || minute.len() != 2 || !two_digits(minute) {
        return None;
    }
    NaiveTime::from_hms_opt(hour.parse().ok()?, minute.parse().ok()?, 0)
}

fn apply_meridiem(time: NaiveTime, pm: bool) -> Option<NaiveTime> {
    use chrono::Timelike;
    let hour = time.hour();
    if !(1..=12).contains(&hour) {
        return None;
    }
    let hour24 = match (pm, hour) {
        (false, 12) => 0,
        (false, h) => h,
        (true, 12) => 12,
        (true, h) => h + 12,
    };
    time.with_hour(hour24)
}

/// Whether the lower-case `token` names a weekday or a month, in English
/// (or abbreviated to three letters) or another language whose date lines
/// are read ([`OTHER_MONTH_NAMES`]).
pub(crate) fn day_or_month_name(token: &str) -> bool {
    weekday_name(token) || month_number(token).is_some()
}

/// A weekday's name in English (or its three-letter abbreviation), or in
/// one of the languages of [`OTHER_MONTH_NAMES`], in lower case.
fn weekday_name(token: &str) -> bool {
    ENGLISH_WEEKDAY_NAMES
        .iter()
        .any(|name| *name == token || (token.len() == 3 && name.starts_with(token)))
        || OTHER_WEEKDAY_NAMES
            .iter()
            .any(|names| names.contains(&token))
        || thai_weekday(token)
}

const ENGLISH_WEEKDAY_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// The weekdays' names in the languages of [`OTHER_MONTH_NAMES`] but
/// Thai, one language a row: German, French, Spanish, Italian, Portuguese
/// (its Saturday and Sunday are Spanish's), Dutch, Russian, Polish,
/// Turkish, Arabic and Hindi (each with its other common spellings).
const OTHER_WEEKDAY_NAMES: [&[&str]; 11] = [
    &[
        "montag",
        "dienstag",
        "mittwoch",
        "donnerstag",
        "freitag",
        "samstag",
        "sonnabend",
        "sonntag",
    ],
    &[
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    ],
    &[
        "lunes",
        "martes",
        "miércoles",
        "jueves",
        "viernes",
        "sábado",
        "domingo",
    ],
    &[
        "lunedì",
        "martedì",
        "mercoledì",
        "giovedì",
        "venerdì",
        "sabato",
        "domenica",
    ],
    &[
        "segunda-feira",
        "terça-feira",
        "quarta-feira",
        "quinta-feira",
        "sexta-feira",
    ],
    &[
        "maandag",
        "dinsdag",
        "woensdag",
        "donderdag",
        "vrijdag",
        "zaterdag",
        "zondag",
    ],
    &[
        "понедельник",
        "вторник",
        "среда",
        "четверг",
        "пятница",
        "суббота",
        "воскресенье",
    ],
    &[
        "poniedziałek",
        "wtorek",
        "środa",
        "czwartek",
        "piątek",
        "sobota",
        "niedziela",
    ],
    &[
        "pazartesi",
        "salı",
        "çarşamba",
        "perşembe",
        "cuma",
        "cumartesi",
        "pazar",
    ],
    &[
        "الاثنين",
        "الإثنين",
        "الثلاثاء",
        "الأربعاء",
        "الاربعاء",
        "الخميس",
        "الجمعة",
        "السبت",
        "الأحد",
        "الاحد",
    ],
    &[
        "सोमवार",
        "मंगलवार",
        "बुधवार",
        "गुरुवार",
        "शुक्रवार",
        "शनिवार",
        "रविवार",
    ],
];

/// Whether `word`, as written, is a weekday's name in one of the languages
/// of [`weekday_name`] cut to three letters or more (`sam.`, `sáb`, `mer`,
/// `Thurs`), as only [`parse_words`] reads it: before a whole date.
fn abbreviated_weekday(word: &str) -> bool {
    static ABBREVIATIONS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    let abbreviations = ABBREVIATIONS.get_or_init(|| {
        let languages = std::iter::once(&ENGLISH_WEEKDAY_NAMES[..]).chain(OTHER_WEEKDAY_NAMES);
        let mut abbreviations = HashSet::new();
        for names in languages {
            for name in names {
                // The first three letters or more of one name, and of no
                // other of its language.
                for (end, _) in name.char_indices().skip(3) {
                    let prefix = &name[..end];
                    if names.iter().filter(|n| n.starts_with(prefix)).count() == 1 {
                        abbreviations.insert(prefix);
                    }
                }
            }
        }
        abbreviations
    });
    let word = word.trim_end_matches('.');
    word.chars().count() >= 3
        && lower_case_forms(word).any(|lower| abbreviations.contains(lower.as_str()))
}

/// Whether `word` is a weekday as German or Russian cuts it to two
/// letters, with its full stop or before a comma (`Sa.`, `Do.`, `So`,
/// `Чт`, `пт.`, as a `ru_RU` locale writes them): as only [`parse_words`]
/// reads it, before a whole date.
fn two_letter_weekday(word: &str) -> bool {
    const GERMAN: [&str; 7] = ["mo", "di", "mi", "do", "fr", "sa", "so"];
    const RUSSIAN: [&str; 7] = ["пн", "вт", "ср", "чт", "пт", "сб", "вс"];
    let word = word.strip_suffix('.').unwrap_or(word);
    if word.is_ascii() {
        return GERMAN.iter().any(|short| word.eq_ignore_ascii_case(short));
    }
    word.chars().count() == 2 && RUSSIAN.contains(&word.to_lowercase().as_str())
}

/// Whether `token` is a Thai weekday: its name (`พฤหัสบดี`, or the short
/// `พฤหัส`), after `วัน` (day) or not, and before `ที่` (the, of the date
/// after it) or not, all written as one word: `วันพฤหัสบดีที่ 3 ธันวาคม`.
fn thai_weekday(token: &str) -> bool {
    const DAYS: [&str; 8] = [
        "จันทร์",
        "อังคาร",
        "พุธ",
        "พฤหัสบดี",
        "พฤหัส",
        "ศุกร์",
        "เสาร์",
        "อาทิตย์",
    ];
    let day = token.strip_prefix("วัน").unwrap_or(token);
    let day = day.strip_suffix("ที่").unwrap_or(day);
    DAYS.contains(&day)
}

/// `word` in lower case, and also lowered as Turkish does when it holds a
/// capital `I` or `İ` (`ARALIK` is `aralık`, `NİSAN` is `nisan`, where
/// lowering for other languages gives `aralik` and `ni̇san`): the forms in
/// which a month's or weekday's name is looked up. For reading dates only.
fn lower_case_forms(word: &str) -> impl Iterator<Item = String> {
    let turkish = word.contains(['I', 'İ']).then(|| {
        word.chars()
            .map(|c| match c {
                'I' => 'ı',
                'İ' => 'i',
                c => c,
            })
            .collect::<String>()
            .to_lowercase()
    });
    std::iter::once(word.to_lowercase()).chain(turkish)
}

/// Whether `word`, as written, is a weekday's name ([`weekday_name`]), in
/// any case ([`lower_case_forms`]).
fn named_weekday(word: &str) -> bool {
    lower_case_forms(word).any(|lower| weekday_name(&lower))
}

/// The month `word`, as written, names ([`month_number`]), in any case
/// ([`lower_case_forms`]), and whether that name is one of a language that
/// counts years in the Buddhist era ([`BUDDHIST_ERA_MONTH_NAMES`]).
fn named_month(word: &str) -> Option<(u32, bool)> {
    lower_case_forms(word).find_map(|lower| {
        let month = month_number(&lower)?;
        let buddhist_era = BUDDHIST_ERA_MONTH_NAMES.iter().any(|names| {
            names.contains(&lower.as_str()) || abbreviated_month(names, &lower).is_some()
        });
        Some((month, buddhist_era))
    })
}

/// The standard offset from UTC, in minutes, of a US zone named without
/// saying whether it is summer time (`ET`, `CT`, `MT`, `PT`, lower case).
fn us_standard_offset_minutes(name: &str) -> Option<i32> {
    Some(match name {
        "et" => -5 * 60,
        "ct" => -6 * 60,
        "mt" => -7 * 60,
        "pt" => -8 * 60,
        _ => return None,
    })
}

/// The offset from UTC, in minutes, of a zone named by its abbreviation
/// (in lower case) that says whether summer time is on. `IST` is India
/// Standard Time, as news sites use it.
fn zone_offset_minutes(name: &str) -> Option<i32> {
    Some(match name {
        "gmt" | "utc" | "ut" | "z" => 0,
        "bst" | "cet" => 60,
        "cest" => 120,
        "msk" | "мск" => 180,
        "ist" => 330,
        "jst" | "kst" => 540,
        "edt" => -4 * 60,
        "est" | "cdt" => -5 * 60,
        "cst" | "mdt" => -6 * 60,
        "mst" | "pdt" => -7 * 60,
        "pst" | "akdt" => -8 * 60,
        "akst" => -9 * 60,
        "hst" => -10 * 60,
        _ => return None,
    })
}

/// The months of the languages other than English whose date lines are
/// read (`29. Juli 2024`, `29 juillet 2024`, `29 de julio de 2024`, `29
/// luglio 2024`, `3 декабря 2026 г.`, `3 grudnia 2026`, `٣ ديسمبر ٢٠٢٦`,
/// `3 दिसंबर 2026`), in lower case, January first: German, French,
/// Spanish, Italian, Portuguese, Dutch, Russian and Polish (the genitive a
/// date uses, then the name alone), Turkish, Arabic and Hindi (each with
/// its other common spellings). Arabic names its months as Egypt and the
/// Gulf do (`ديسمبر`), as the Levant and Iraq do, some in two words
/// (`كانون الأول`), as Morocco does (`دجنبر`) and as Algeria and Tunisia
/// do (`جانفي`).
const OTHER_MONTH_NAMES: [[&str; 12]; 19] = [
    [
        "januar",
        "februar",
        "märz",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "dezember",
    ],
    [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ],
    [
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ],
    [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ],
    [
        "январь",
        "февраль",
        "март",
        "апрель",
        "май",
        "июнь",
        "июль",
        "август",
        "сентябрь",
        "октябрь",
        "ноябрь",
        "декабрь",
    ],
    [
        "stycznia",
        "lutego",
        "marca",
        "kwietnia",
        "maja",
        "czerwca",
        "lipca",
        "sierpnia",
        "września",
        "października",
        "listopada",
        "grudnia",
    ],
    [
        "styczeń",
        "luty",
        "marzec",
        "kwiecień",
        "maj",
        "czerwiec",
        "lipiec",
        "sierpień",
        "wrzesień",
        "październik",
        "listopad",
        "grudzień",
    ],
    [
        "ocak", "şubat", "mart", "nisan", "mayıs", "haziran", "temmuz", "ağustos", "eylül", "ekim",
        "kasım", "aralık",
    ],
    [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ],
    [
        "يناير",
        "فبراير",
        "مارس",
        "ابريل",
        "مايو",
        "يونيو",
        "يوليو",
        "اغسطس",
        "سبتمبر",
        "اكتوبر",
        "نوفمبر",
        "ديسمبر",
    ],
    [
        "كانون الثاني",
        "شباط",
        "آذار",
        "نيسان",
        "أيار",
        "حزيران",
        "تموز",
        "آب",
        "أيلول",
        "تشرين الأول",
        "تشرين الثاني",
        "كانون الأول",
    ],
    [
        "كانون الثاني",
        "شباط",
        "اذار",
        "نيسان",
        "ايار",
        "حزيران",
        "تموز",
        "اب",
        "ايلول",
        "تشرين الاول",
        "تشرين الثاني",
        "كانون الاول",
    ],
    [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "ماي",
        "يونيو",
        "يوليوز",
        "غشت",
        "شتنبر",
        "أكتوبر",
        "نونبر",
        "دجنبر",
    ],
    [
        "جانفي",
        "فيفري",
        "مارس",
        "أفريل",
        "ماي",
        "جوان",
        "جويلية",
        "أوت",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ],
    [
        "जनवरी",
        "फ़रवरी",
        "मार्च",
        "अप्रैल",
        "मई",
        "जून",
        "जुलाई",
        "अगस्त",
        "सितंबर",
        "अक्टूबर",
        "नवंबर",
        "दिसंबर",
    ],
    [
        "जनवरी",
        "फरवरी",
        "मार्च",
        "अप्रैल",
        "मई",
        "जून",
        "जुलाई",
        "अगस्त",
        "सितम्बर",
        "अक्तूबर",
        "नवम्बर",
        "दिसम्बर",
    ],
];

/// The months of the languages whose date lines count years in the
/// Buddhist era (`3 ธันวาคม 2569` is the 3rd of December 2026), in lower
/// case, January first: Thai, by name and by the abbreviation news sites
/// print (`ธ.ค.`, its last dot left out as every token's is).
const BUDDHIST_ERA_MONTH_NAMES: [[&str; 12]; 2] = [
    [
        "มกราคม",
        "กุมภาพันธ์",
        "มีนาคม",
        "เมษายน",
        "พฤษภาคม",
        "มิถุนายน",
        "กรกฎาคม",
        "สิงหาคม",
        "กันยายน",
        "ตุลาคม",
        "พฤศจิกายน",
        "ธันวาคม",
    ],
    [
        "ม.ค",
        "ก.พ",
        "มี.ค",
        "เม.ย",
        "พ.ค",
        "มิ.ย",
        "ก.ค",
        "ส.ค",
        "ก.ย",
        "ต.ค",
        "พ.ย",
        "ธ.ค",
    ],
];

/// How many years the Buddhist era counts ahead of the common era.
const BUDDHIST_ERA_OFFSET: i32 = 543;

/// The first year a date line with a month of [`BUDDHIST_ERA_MONTH_NAMES`]
/// is taken to count in the Buddhist era (1900 in the common era): an
/// earlier one is a year of the common era written with a Thai month.
const BUDDHIST_ERA_YEARS_FROM: i32 = 1900 + BUDDHIST_ERA_OFFSET;

fn month_number(token: &str) -> Option<u32> {
    if token == "sept" {
        return Some(9);
    }
    let english = MONTH_NAMES
        .iter()
        .position(|name| *name == token || (token.len() == 3 && name.starts_with(token)));
    let other = || {
        let months = other_months();
        months
            .named
            .get(token)
            .or_else(|| months.abbreviated.get(token))
    };
    english.or_else(|| other().copied()).map(|i| i as u32 + 1)
}

/// The months of the other languages ([`OTHER_MONTH_NAMES`], then
/// [`BUDDHIST_ERA_MONTH_NAMES`]) by their names and by their abbreviations
/// ([`abbreviated_month`]), each to the first language's month that has it:
/// read once, so that a line is looked up, not compared with every name.
struct OtherMonths {
    named: HashMap<&'static str, usize>,
    abbreviated: HashMap<&'static str, usize>,
}

fn other_months() -> &'static OtherMonths {
    static MONTHS: OnceLock<OtherMonths> = OnceLock::new();
    MONTHS.get_or_init(|| {
        let mut months = OtherMonths {
            named: HashMap::new(),
            abbreviated: HashMap::new(),
        };
        for names in OTHER_MONTH_NAMES.iter().chain(&BUDDHIST_ERA_MONTH_NAMES) {
            for (month, name) in names.iter().enumerate() {
                months.named.entry(name).or_insert(month);
                for (end, _) in name.char_indices().skip(3).chain([(name.len(), ' ')]) {
                    let prefix = &name[..end];
                    if let Some(month) = abbreviated_month(names, prefix) {
                        months.abbreviated.entry(prefix).or_insert(month);
                    }
                }
            }
        }
        months
    })
}

/// The month of `names` (one language's, January first) that `token`
/// abbreviates: the first three letters or more of one name and of no
/// other (`dez`, `déc`, `juil`, `févr`; not `jui`, June or July).
fn abbreviated_month(names: &[&str; 12], token: &str) -> Option<usize> {
    if token.chars().count() < 3 {
        return None;
    }
    let mut matching = names
        .iter()
        .enumerate()
        .filter(|(_, name)| name.starts_with(token));
    let (month, _) = matching.next()?;
    matching.next().is_none().then_some(month)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_written_in_lower_case_for_split_label_to_find_them() {
        for (label, _) in LABELS {
            assert_eq!(label.to_lowercase(), label, "{label}");
        }
        assert_eq!(
            split_label("ОБНОВЛЕНО: 3 декабря 2026").map(|(label, update, _)| (label, update)),
            Some(("обновлено", true))
        );
    }

    #[test]
    fn an_offset_of_four_bytes_that_are_no_four_digits_is_none() {
        assert_eq!(numeric_offset("+0100"), Some(60));
        assert_eq!(numeric_offset("-\u{fb01}"), None);
        assert_eq!(numeric_offset("+\u{10ffff}"), None);
        assert_eq!(read_date_line("2026-12-03T10:00-\u{fb01}"), None);
    }
    use chrono::TimeZone;

    #[test]
    fn a_pages_date_naming_only_the_day_leaves_the_time_a_feed_gives_that_day() {
        let at = |day: u32, hour: u32, minute: u32| {
            Some(
                Utc.with_ymd_and_hms(2026, 11, day, hour, minute, 0)
                    .unwrap(),
            )
        };
        let day = at(15, 0, 0);
        assert_eq!(page_date_over(day, at(15, 17, 45)), at(15, 17, 45));
        // The same day in a zone behind UTC (20:00 EST) or ahead (08:00 AEDT).
        assert_eq!(page_date_over(day, at(16, 1, 0)), at(16, 1, 0));
        assert_eq!(page_date_over(day, at(14, 21, 0)), at(14, 21, 0));
        // Another day, or a page's date with a time of its own: the page's.
        assert_eq!(page_date_over(day, at(17, 9, 0)), day);
        assert_eq!(page_date_over(day, at(13, 9, 0)), day);
        assert_eq!(page_date_over(at(15, 9, 30), at(15, 17, 45)), at(15, 9, 30));
        assert_eq!(page_date_over(day, at(15, 0, 0)), day);
        assert_eq!(page_date_over(None, at(15, 17, 45)), at(15, 17, 45));
        assert_eq!(page_date_over(day, None), day);
    }

    #[test]
    fn dates_more_than_a_day_ahead_are_left_out_and_the_rest_kept() {
        let at = |day: u32, hour: u32| Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap();
        let now = at(10, 12);
        let mut article = Article {
            title: "Festival programme announced".into(),
            published: Some(at(11, 2)),
            updated: Some(at(11, 11)),
            ..Default::default()
        };
        // Within a day: a zone mistaken, kept as given.
        let (dated, ahead) = dated_no_later_than(&article, now);
        assert!(matches!(dated, Cow::Borrowed(_)) && ahead.is_none());
        article.updated = Some(at(20, 9));
        let (dated, ahead) = dated_no_later_than(&article, now);
        assert_eq!((dated.published, dated.updated), (Some(at(11, 2)), None));
        assert_eq!(ahead, Some(at(20, 9)));
        let year_ahead = Utc.with_ymd_and_hms(2031, 1, 1, 0, 0, 0).unwrap();
        article.published = Some(year_ahead);
        article.updated = None;
        let (dated, ahead) = dated_no_later_than(&article, now);
        assert_eq!(
            (dated.published, dated.updated, ahead),
            (None, None, Some(year_ahead))
        );
        assert_eq!(crate::dedup::Dates::of(&dated, now).published, now);
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn reads_the_three_documented_shapes() {
        assert_eq!(
            parse_date_line("Monday, 29 July, 2024 - 05:30"),
            Some(utc("2024-07-29T05:30:00Z"))
        );
        assert_eq!(
            parse_date_line("2024-07-29"),
            Some(utc("2024-07-29T00:00:00Z"))
        );
        assert_eq!(
            parse_date_line("July 29, 2024"),
            Some(utc("2024-07-29T00:00:00Z"))
        );
    }

    #[test]
    fn reads_common_variants() {
        assert_eq!(
            parse_date_line("2024-07-29T05:30:00+02:00"),
            Some(utc("2024-07-29T03:30:00Z"))
        );
        assert_eq!(
            parse_date_line("Mon, Jul 29, 2024 5:30 pm GMT"),
            Some(utc("2024-07-29T17:30:00Z"))
        );
        assert_eq!(
            parse_date_line("29th July 2024"),
            Some(utc("2024-07-29T00:00:00Z"))
        );
        assert_eq!(
            parse_date_line("Sept. 3, 2024"),
            Some(utc("2024-09-03T00:00:00Z"))
        );
    }

    #[test]
    fn reads_numeric_labelled_zoned_and_other_languages_dates() {
        for (line, expected) in [
            ("29.07.2024", "2024-07-29T00:00:00Z"),
            ("29.07.2024 14:30", "2024-07-29T14:30:00Z"),
            ("29/07/2024", "2024-07-29T00:00:00Z"),
            ("07/29/2024", "2024-07-29T00:00:00Z"),
            ("05.06.2024", "2024-06-05T00:00:00Z"),
            ("Updated: July 29, 2024", "2024-07-29T00:00:00Z"),
            ("Published 29 July 2024", "2024-07-29T00:00:00Z"),
            ("July 29, 2024 at 5:30 p.m. EDT", "2024-07-29T21:30:00Z"),
            ("July 29, 2024 10:00 IST", "2024-07-29T04:30:00Z"),
            ("29. Juli 2024", "2024-07-29T00:00:00Z"),
            (
                "Aktualisiert am 3. März 2024, 14:30 Uhr",
                "2024-03-03T14:30:00Z",
            ),
            ("29 juillet 2024", "2024-07-29T00:00:00Z"),
            ("29 de julio de 2024", "2024-07-29T00:00:00Z"),
            ("3. Dez. 2026, 14:05 Uhr", "2026-12-03T14:05:00Z"),
            ("3 déc. 2026", "2026-12-03T00:00:00Z"),
            ("3 juil. 2026", "2026-07-03T00:00:00Z"),
            ("03 dic 2026 - 14:05 CET", "2026-12-03T13:05:00Z"),
            ("2026年12月3日 14時05分", "2026-12-03T14:05:00Z"),
            ("2026年12月03日 14:05", "2026-12-03T14:05:00Z"),
            ("2026年12月3日（水）", "2026-12-03T00:00:00Z"),
            ("2026年12月3日 10:15:32", "2026-12-03T10:15:32Z"),
            ("2026年12月3日 10时15分32秒", "2026-12-03T10:15:32Z"),
            ("2026년 12월 3일 10:15:32", "2026-12-03T10:15:32Z"),
            ("2026년 12월 3일 오후 2시 5분 7초", "2026-12-03T14:05:07Z"),
            ("입력 2026.12.03. 오후 2:05", "2026-12-03T14:05:00Z"),
            ("수정 2026.12.03. 14:05", "2026-12-03T14:05:00Z"),
        ] {
            assert_eq!(parse_date_line(line), Some(utc(expected)), "{line}");
            assert_ne!(read_date_line(line), Some(DateLine::Undated), "{line}");
        }
        for (line, expected) in [
            (
                "Mis à jour : 3 décembre 2026 à 10:15",
                "2026-12-03T10:15:00Z",
            ),
            (
                "Publicado el 3 de diciembre de 2026",
                "2026-12-03T00:00:00Z",
            ),
            (
                "Actualizado el 3 de diciembre de 2026 10:15",
                "2026-12-03T10:15:00Z",
            ),
            (
                "Publié le 3 déc. 2026 à 10:15 par Claire Dubois",
                "2026-12-03T10:15:00Z",
            ),
            (
                "Veröffentlicht am 3. Dezember 2026 von Jonas Weber",
                "2026-12-03T00:00:00Z",
            ),
            (
                "Posted on December 3, 2026 by Ana Ruiz and Tom Reyes",
                "2026-12-03T00:00:00Z",
            ),
            (
                "Aggiornato il 3 dicembre 2026 alle 14:05",
                "2026-12-03T14:05:00Z",
            ),
            ("Pubblicato il 3 dicembre 2026", "2026-12-03T00:00:00Z"),
            (
                "Publicado em 3 de dezembro de 2026 às 14h05",
                "2026-12-03T14:05:00Z",
            ),
            (
                "Atualizado em 3 de dezembro de 2026 às 14h05",
                "2026-12-03T14:05:00Z",
            ),
            ("Gepubliceerd op 3 december 2026", "2026-12-03T00:00:00Z"),
            (
                "Bijgewerkt op 3 december 2026 om 14:05",
                "2026-12-03T14:05:00Z",
            ),
            (
                "Aktualizacja: 3 grudnia 2026, 14:05",
                "2026-12-03T14:05:00Z",
            ),
            ("Güncelleme: 3 Aralık 2026 14:05", "2026-12-03T14:05:00Z"),
        ] {
            assert_eq!(parse_date_line(line), Some(utc(expected)), "{line}");
        }
        for line in [
            "Aggiornato il 3 dicembre 2026 alle 14:05",
            "Atualizado em 3 de dezembro de 2026",
            "Bijgewerkt op 3 december 2026",
            "Aktualizacja: 3 grudnia 2026",
            "Güncelleme: 3 Aralık 2026 14:05",
        ] {
            assert!(update_label(line), "{line}");
        }
        assert!(!update_label("Pubblicato il 3 dicembre 2026"));
        assert_eq!(
            date_line_byline("Publié le 3 déc. 2026 à 10:15 par Claire Dubois"),
            Some("Claire Dubois")
        );
        assert_eq!(
            date_line_byline("Publicado el 3 de diciembre de 2026 por Lucía Gómez"),
            Some("Lucía Gómez")
        );
        // `jui` is June or July in French: no month.
        assert_eq!(parse_date_line("3 jui 2026"), None);
        assert_eq!(parse_date_line("2026年12月3日に市議会が開かれた"), None);
        assert_eq!(parse_date_line("05/06/2024"), None);
        assert_eq!(read_date_line("05/06/2024"), Some(DateLine::Undated));
        assert_eq!(
            read_date_line("Updated: 05/06/2024 10:00"),
            Some(DateLine::Undated)
        );
        assert_eq!(read_date_line("He paid 05/06/2024 dollars"), None);
        assert_eq!(parse_date_line("31.02.2024"), None);
        assert_eq!(parse_date_line("1.2.3.4"), None);
        assert_eq!(parse_date_line("Updated the rules in 2024"), None);
    }

    #[test]
    fn reads_time_joiners_of_two_words_hour_marks_and_spaced_french_times() {
        for (line, expected) in [
            (
                "Publicado el 3 de diciembre de 2026 a las 14:05",
                "2026-12-03T14:05:00Z",
            ),
            (
                "3 de diciembre de 2026 a las 14:05 CET",
                "2026-12-03T13:05:00Z",
            ),
            (
                "jueves, 3 de diciembre de 2026 a las 14:05 h",
                "2026-12-03T14:05:00Z",
            ),
            ("3 de diciembre de 2026 a la 1:05", "2026-12-03T01:05:00Z"),
            ("3 de Diciembre del 2026", "2026-12-03T00:00:00Z"),
            ("3 de diciembre de 2026 - 14:05 h", "2026-12-03T14:05:00Z"),
            ("3 de diciembre de 2026, 14:05h", "2026-12-03T14:05:00Z"),
            ("3 de diciembre de 2026 14.05 hs", "2026-12-03T14:05:00Z"),
            (
                "Publié le 3 décembre 2026 à 14 h 05",
                "2026-12-03T14:05:00Z",
            ),
            ("3 décembre 2026 à 9 h", "2026-12-03T09:00:00Z"),
        ] {
            assert_eq!(parse_date_line(line), Some(utc(expected)), "{line}");
        }
        // A day and month either way round stays undated, hour mark or not.
        assert_eq!(
            read_date_line("Actualizado: 03/12/2026 14:05h"),
            Some(DateLine::Undated)
        );
        for sentence in [
            "3 de diciembre de 2026 a las cinco",
            "El 3 de diciembre de 2026 a las 14:05 votó",
            "3 h 05 de diciembre",
        ] {
            assert_eq!(parse_date_line(sentence), None, "{sentence}");
        }
    }

    #[test]
    fn reads_the_first_of_the_month_as_each_language_writes_it() {
        for line in [
            "Publié le 1er décembre 2026 à 10h15",
            "mardi 1er décembre 2026 à 10h15",
            "1º de diciembre de 2026 a las 10:15",
            "1.º de diciembre de 2026, 10:15",
            "1ro de diciembre de 2026 10:15",
            "giovedì 1° dicembre 2026 alle 10:15",
            "1st December 2026 10:15",
        ] {
            assert_eq!(
                parse_date_line(line),
                Some(utc("2026-12-01T10:15:00Z")),
                "{line}"
            );
        }
        for line in ["2026er Dezember 1", "1x décembre 2026", "2026º décembre 1"] {
            assert_eq!(parse_date_line(line), None, "{line}");
        }
    }

    #[test]
    fn reads_more_languages_and_the_digits_of_other_scripts() {
        for (line, expected) in [
            ("giovedì 3 dicembre 2026 alle 14:05", "2026-12-03T14:05:00Z"),
            ("3 de dezembro de 2026 às 14h05", "2026-12-03T14:05:00Z"),
            (
                "donderdag 3 december 2026 om 14.05 uur",
                "2026-12-03T14:05:00Z",
            ),
            ("3 декабря 2026 г., 10:15", "2026-12-03T10:15:00Z"),
            ("Четверг, 3 декабря 2026 года", "2026-12-03T00:00:00Z"),
            ("3 дек. 2026", "2026-12-03T00:00:00Z"),
            ("czwartek, 3 grudnia 2026 r.", "2026-12-03T00:00:00Z"),
            ("3 Aralık 2026 Perşembe", "2026-12-03T00:00:00Z"),
            ("الخميس، ٣ ديسمبر ٢٠٢٦", "2026-12-03T00:00:00Z"),
            ("\u{200f}٣ ديسمبر ٢٠٢٦ ١٠:١٥", "2026-12-03T10:15:00Z"),
            ("۳ اكتوبر ۲۰۲۶", "2026-10-03T00:00:00Z"),
            ("3 दिसंबर 2026", "2026-12-03T00:00:00Z"),
            ("गुरुवार, ३ दिसम्बर २०२६", "2026-12-03T00:00:00Z"),
            ("２０２６年１２月３日", "2026-12-03T00:00:00Z"),
        ] {
            assert_eq!(parse_date_line(line), Some(utc(expected)), "{line}");
        }
        // Day and month could be either way round: a date line, undated.
        for line in ["٠٣/١٢/٢٠٢٦", "१२/०३/२०२६"] {
            assert_eq!(read_date_line(line), Some(DateLine::Undated), "{line}");
        }
        assert_eq!(
            read_dates("Publié le ٣ décembre ٢٠٢٦, modifié le ٤ décembre ٢٠٢٦"),
            Some((
                DateLine::At(utc("2026-12-03T00:00:00Z")),
                Some(utc("2026-12-04T00:00:00Z"))
            ))
        );
        for sentence in [
            "Il 3 dicembre 2026 il consiglio ha votato",
            "В 2026 году совет принял план",
            "قال المجلس في ٣ ديسمبر ٢٠٢٦ إن الخطة",
        ] {
            assert_eq!(read_date_line(sentence), None, "{sentence}");
        }
    }

    #[test]
    fn reads_chinese_japanese_and_korean_date_marks_in_their_other_forms() {
        for (line, expected) in [
            // Simplified Chinese spells the hour `时`.
            ("2026年12月3日 14时05分", "2026-12-03T14:05:00Z"),
            ("2026年12月3日 下午2时05分", "2026-12-03T14:05:00Z"),
            ("2026年12月3日 午前9時30分", "2026-12-03T09:30:00Z"),
            // A weekday without a time after it, in brackets or not.
            ("2026年12月3日（木）", "2026-12-03T00:00:00Z"),
            ("2026年12月3日(木)", "2026-12-03T00:00:00Z"),
            ("2026年12月3日（星期四）", "2026-12-03T00:00:00Z"),
            ("2026年12月3日 星期四", "2026-12-03T00:00:00Z"),
            ("2026年12月3日 木曜日 14:05", "2026-12-03T14:05:00Z"),
            ("2026년 12월 3일 14:05", "2026-12-03T14:05:00Z"),
            (
                "2026년 12월 3일 목요일 오후 2시 5분",
                "2026-12-03T14:05:00Z",
            ),
            ("更新：2026年12月3日 14時05分", "2026-12-03T14:05:00Z"),
            ("입력 2026년 12월 3일 14:05", "2026-12-03T14:05:00Z"),
        ] {
            assert_eq!(parse_date_line(line), Some(utc(expected)), "{line}");
        }
        assert!(update_label("更新：2026年12月3日 14時05分"));
        for sentence in [
            "2026年12月3日に市議会が開かれた",
            "2026年12月3日 国务院召开常务会议",
        ] {
            assert_eq!(read_date_line(sentence), None, "{sentence}");
        }
    }

    #[test]
    fn a_source_credit_update_label_or_zone_after_a_date_keeps_it_a_date_line() {
        for (line, expected) in [
            ("2026-12-03 14:05:00　来源：新华网", "2026-12-03T14:05:00Z"),
            ("2026年12月03日 14:05　来源：人民网", "2026-12-03T14:05:00Z"),
            ("2026/12/03 14:05 出典：共同通信", "2026-12-03T14:05:00Z"),
            ("2026-12-03 14:05 Источник: ТАСС", "2026-12-03T14:05:00Z"),
            ("2026-12-03 14:05 Quelle: dpa", "2026-12-03T14:05:00Z"),
            ("3 December 2026 | Source: Reuters", "2026-12-03T00:00:00Z"),
            ("2026年12月3日 14時05分 JST", "2026-12-03T05:05:00Z"),
            ("2026년 12월 3일 14:05 KST", "2026-12-03T05:05:00Z"),
            ("最終更新：2026年12月3日 14:05", "2026-12-03T14:05:00Z"),
            ("기사입력 2026.12.03. 오후 2:05", "2026-12-03T14:05:00Z"),
        ] {
            assert_eq!(parse_date_line(line), Some(utc(expected)), "{line}");
        }
        assert!(update_label("最終更新：2026年12月3日 14:05"));
        assert!(!update_label("기사입력 2026.12.03. 오후 2:05"));
        // A credit that is a sentence, or a zone no one names, is no date's.
        for line in [
            "2026-12-03 14:05 来源：新华社记者在北京人民大会堂现场采访了多位代表委员和有关部门负责人",
            "2026年12月3日 14時05分 に発表",
        ] {
            assert_eq!(parse_date_line(line), None, "{line}");
        }
    }

    #[test]
    fn labels_zones_and_date_forms_of_other_languages_keep_a_line_a_date_line() {
        for (line, expected) in [
            ("Обновлено: 3 декабря 2026, 12:40", "2026-12-03T12:40:00Z"),
            ("Опубликовано 3 декабря 2026", "2026-12-03T00:00:00Z"),
            ("Revised: July 29, 2024", "2024-07-29T00:00:00Z"),
            ("Ngày 3 tháng 12 năm 2026", "2026-12-03T00:00:00Z"),
            ("3 tháng 12, 2026 14:05", "2026-12-03T14:05:00Z"),
            // Moscow time, in either script.
            ("3 декабря 2026, 12:40 МСК", "2026-12-03T09:40:00Z"),
            ("3 декабря 2026 г. в 12:40 MSK", "2026-12-03T09:40:00Z"),
            ("Dec 3, 2026 12:40 msk", "2026-12-03T09:40:00Z"),
            // Thai: years of the Buddhist era, months by name or abbreviated.
            ("วันที่ 3 ธันวาคม 2569", "2026-12-03T00:00:00Z"),
            ("3 ธันวาคม 2569 14:05 น.", "2026-12-03T14:05:00Z"),
            ("3 ธ.ค. 2569 เวลา 14:05 น.", "2026-12-03T14:05:00Z"),
            ("วันพุธ 3 ธันวาคม พ.ศ. 2569", "2026-12-03T00:00:00Z"),
            ("อัปเดต: 3 ธ.ค. 2569 14:05", "2026-12-03T14:05:00Z"),
            // A year of the common era with a Thai month stays as written.
            ("3 ธันวาคม 2026", "2026-12-03T00:00:00Z"),
        ] {
            assert_eq!(parse_date_line(line), Some(utc(expected)), "{line}");
        }
        assert!(update_label("Обновлено: 3 декабря 2026, 12:40"));
        assert!(update_label("Revised: July 29, 2024"));
        // Read as far as they go: dated by nothing, still date lines.
        for line in ["Cập nhật: 03-12-2026 14:05", "עודכן: 3 בדצמבר 2026"] {
            assert_eq!(read_date_line(line), Some(DateLine::Undated), "{line}");
        }
        assert!(update_label("Cập nhật: 03-12-2026 14:05"));
        assert_eq!(read_date_line("Live: July 29, 2024"), None);
        assert_eq!(read_date_line("Giá vàng tháng 12 năm 2026"), None);
    }

    #[test]
    fn rejects_sentences_and_impossible_dates() {
        assert_eq!(parse_date_line("July 29, 2024 was a hot day."), None);
        assert_eq!(
            parse_date_line("Police arrested 4,500 people since July"),
            None
        );
        assert_eq!(parse_date_line("February 30, 2024"), None);
        assert_eq!(parse_date_line("2024-13-01"), None);
        assert_eq!(parse_date_line("29 July"), None);
    }

    #[test]
    fn midnight_at_24_00_is_the_next_day_and_impossible_dates_date_nothing() {
        for (line, at) in [
            (
                "Thursday, 31 December, 2026 - 24:00",
                "2027-01-01T00:00:00Z",
            ),
            ("2026-12-31T24:00:00Z", "2027-01-01T00:00:00Z"),
            ("2026-12-31T24:00Z", "2027-01-01T00:00:00Z"),
            ("2026-12-31 24:00", "2027-01-01T00:00:00Z"),
        ] {
            assert_eq!(read_date_line(line), Some(DateLine::At(utc(at))), "{line}");
        }
        // Written as date lines, so they stay in the header; but no
        // calendar or clock has them, so they date nothing.
        for line in [
            "Friday, 2 January, 2027 - 25:10",
            "Saturday, 31 April, 2027 - 10:00",
            "February 30, 2024",
            "2026-04-31",
            "2026-12-31T25:10:00Z",
            "2024-13-01",
        ] {
            assert_eq!(read_date_line(line), Some(DateLine::Undated), "{line}");
        }
        // A sentence holding a time is still no date line.
        assert_eq!(read_date_line("The train left at 25:10 sharp."), None);
    }

    #[test]
    fn years_0_and_9999_are_date_lines_but_no_publication_dates() {
        for line in [
            "0000-01-01",
            "0000-01-01T00:00:00+01:00",
            "January 1, 0000",
            "July 29, 0001",
            "9999-12-31",
            "9999-12-31T23:00:00-05:00",
            "Friday, 31 December, 9999 - 23:59",
        ] {
            let date = parse_date_line(line).unwrap_or_else(|| panic!("{line}"));
            assert_eq!(plausible(date), None, "{line}");
        }
        assert_eq!(
            plausible(utc("2200-12-31T23:59:59Z")),
            Some(utc("2200-12-31T23:59:59Z"))
        );
        assert_eq!(plausible(utc("2201-01-01T00:00:00Z")), None);
        assert_eq!(
            plausible(utc("1900-01-01T00:00:00Z")),
            Some(utc("1900-01-01T00:00:00Z"))
        );
        assert_eq!(plausible(utc("1899-12-31T23:59:59Z")), None);
    }

    #[test]
    fn reads_us_zones_by_their_daylight_saving_time() {
        for (line, expected) in [
            ("July 29, 2024 5:30 AM ET", "2024-07-29T09:30:00Z"),
            ("Jul 29, 2024, 5:30 AM PT", "2024-07-29T12:30:00Z"),
            ("Jan 15, 2024, 5:30 AM PT", "2024-01-15T13:30:00Z"),
            ("December 2, 2024 10:00 a.m. CT", "2024-12-02T16:00:00Z"),
            ("June 3, 2024 10:00 MT", "2024-06-03T16:00:00Z"),
            // Alaska and Hawaii name which time they are in.
            ("Jan 15, 2024 10:00 AKST", "2024-01-15T19:00:00Z"),
            ("Jul 15, 2024 10:00 AKDT", "2024-07-15T18:00:00Z"),
            ("Jul 15, 2024 10:00 HST", "2024-07-15T20:00:00Z"),
            // The switch is at 2 a.m. local time: the second Sunday in March
            // and the first in November (since 2007).
            ("March 10, 2024 1:30 AM ET", "2024-03-10T06:30:00Z"),
            ("March 10, 2024 3:30 AM ET", "2024-03-10T07:30:00Z"),
            ("November 3, 2024 3:00 AM ET", "2024-11-03T08:00:00Z"),
            // Before 2007: the first Sunday in April to the last in October.
            ("March 20, 2005 12:00 ET", "2005-03-20T17:00:00Z"),
            ("October 29, 2005 12:00 ET", "2005-10-29T16:00:00Z"),
        ] {
            assert_eq!(parse_date_line(line), Some(utc(expected)), "{line}");
        }
    }

    #[test]
    fn reads_dotted_times_other_weekdays_and_iso_dates_with_words() {
        for (line, expected) in [
            ("Mon 29 Jul 2024 05.30 BST", "2024-07-29T04:30:00Z"),
            ("Montag, 29. Juli 2024, 05:30 Uhr", "2024-07-29T05:30:00Z"),
            (
                "Publié le lundi 29 juillet 2024 à 14h30",
                "2024-07-29T14:30:00Z",
            ),
            ("lunes, 29 de julio de 2024", "2024-07-29T00:00:00Z"),
            ("2024-07-29 05:30 UTC", "2024-07-29T05:30:00Z"),
            ("2024-07-29 05:30 CEST", "2024-07-29T03:30:00Z"),
            ("Updated 2024-07-29 at 05:30", "2024-07-29T05:30:00Z"),
        ] {
            assert_eq!(parse_date_line(line), Some(utc(expected)), "{line}");
        }
    }

    #[test]
    fn weekdays_cut_short_in_other_languages_open_a_date_month_names_stay_months() {
        for (line, expected) in [
            ("sam., 05 déc. 2026 10:00:00 +0100", "2026-12-05T09:00:00Z"),
            ("sáb, 05 dic 2026 09:00:00 +0100", "2026-12-05T08:00:00Z"),
            ("sab, 05 dic 2026 08:00:00 +0100", "2026-12-05T07:00:00Z"),
            ("sam. 5 déc. 2026 10:00", "2026-12-05T10:00:00Z"),
            ("Mer. 2 déc. 2026", "2026-12-02T00:00:00Z"),
            ("qui, 03 dez 2026 14:05", "2026-12-03T14:05:00Z"),
            ("Thurs 3 Dec 2026", "2026-12-03T00:00:00Z"),
            // `mar` is Tuesday (French, Spanish, Italian) and March.
            ("mar., 01 déc. 2026", "2026-12-01T00:00:00Z"),
            ("mar, 01 dic 2026 10:00", "2026-12-01T10:00:00Z"),
            ("mar. 1 dic. 2026", "2026-12-01T00:00:00Z"),
            ("5 mar 2026", "2026-03-05T00:00:00Z"),
            ("Mar 5, 2026", "2026-03-05T00:00:00Z"),
            ("Mar. 5, 2026 10:00", "2026-03-05T10:00:00Z"),
            ("mar 2026, 5", "2026-03-05T00:00:00Z"),
            ("5 mars 2026", "2026-03-05T00:00:00Z"),
            // German cuts its weekdays to two letters and a full stop.
            ("Sa., 5. Dez. 2026, 10:00 Uhr", "2026-12-05T10:00:00Z"),
            ("Do. 3. Dezember 2026", "2026-12-03T00:00:00Z"),
            ("So, 06.12.2026", "2026-12-06T00:00:00Z"),
            // So does Russian, as a `ru_RU` locale prints them.
            ("Чт, 3 декабря 2026, 10:15", "2026-12-03T10:15:00Z"),
            ("пт. 4 декабря 2026", "2026-12-04T00:00:00Z"),
            ("Чт, 03 дек 2026 10:00:00 +0300", "2026-12-03T07:00:00Z"),
            // After a label.
            ("Publié le sam. 5 déc. 2026 à 10h00", "2026-12-05T10:00:00Z"),
            (
                "Veröffentlicht am Fr., 4. Dez. 2026",
                "2026-12-04T00:00:00Z",
            ),
        ] {
            assert_eq!(parse_date_line(line), Some(utc(expected)), "{line}");
        }
        // Cut short, a weekday makes no line a dayless date line, nor a
        // headline's first word one.
        for line in [
            "Mar",
            "Sex",
            "Dom",
            "Ven",
            "Sam",
            "Sam Smith wins",
            "Dom 14:05",
            "Updated sam.",
        ] {
            assert!(!dayless_date_line(line), "{line}");
        }
        assert!(dayless_date_line("Samedi 14:05"));
    }

    #[test]
    fn a_date_line_that_cannot_be_fully_read_is_still_a_date_line() {
        for line in [
            "July 29, 2024 5:30 AM AEST",
            "Mon 29 Jul 2024 05.30 HKT",
            "2024-07-29 05:30 GMT+8",
            "29 Ιουλίου 2024",
            "Måndag, 29 July 2024",
        ] {
            assert_eq!(read_date_line(line), Some(DateLine::Undated), "{line}");
        }
        // Forms a site's toolbar prints: a clock with `pm` run on, a
        // label's word with its colon, a reading time, `noon`.
        for (line, expected) in [
            ("3 Dec 2026 2.05pm", "2026-12-03T14:05:00Z"),
            ("3 Dec 2026 11.40am", "2026-12-03T11:40:00Z"),
            (
                "Published on: 03 Dec 2026, 14:05 IST",
                "2026-12-03T08:35:00Z",
            ),
            ("Updated at: 03 Dec 2026 14:05", "2026-12-03T14:05:00Z"),
            ("3 December 2026 · 4 min read", "2026-12-03T00:00:00Z"),
            ("5 min read | Dec 3, 2026", "2026-12-03T00:00:00Z"),
            ("3 December 2026 12:00 noon", "2026-12-03T12:00:00Z"),
            ("3 December 2026 12:00 midnight", "2026-12-03T00:00:00Z"),
        ] {
            assert_eq!(parse_date_line(line), Some(utc(expected)), "{line}");
        }
        for line in ["3 December 2026 5:00 noon", "Four min read | 3 things"] {
            assert_eq!(parse_date_line(line), None, "{line}");
        }
        for line in [
            "Storm Recap March 3, 2025",
            "Live: July 29, 2024",
            "Fire Crews Called Out 29 Times in 2024",
            "Police arrested 4,500 people in July 2024",
        ] {
            assert_eq!(read_date_line(line), None, "{line}");
        }
    }

    #[test]
    fn a_byline_after_the_date_and_separators_before_the_time_are_read_past() {
        let at = |s: &str| Some(DateLine::At(s.parse().unwrap()));
        assert_eq!(
            read_date_line("Posted on November 4, 2026 by Ana Ruiz"),
            at("2026-11-04T00:00:00Z")
        );
        assert_eq!(
            date_line_byline("Posted on November 4, 2026 by Ana Ruiz and Tom Reyes"),
            Some("Ana Ruiz and Tom Reyes")
        );
        assert_eq!(date_line_byline("November 4, 2026"), None);
        assert_eq!(
            read_date_line("Updated: Nov 4, 2026 / 10:15 AM"),
            at("2026-11-04T10:15:00Z")
        );
        assert_eq!(
            read_date_line("4 November 2026 • 10:15"),
            at("2026-11-04T10:15:00Z")
        );
        assert_eq!(
            read_date_line("Last Modified: November 4, 2026"),
            at("2026-11-04T00:00:00Z")
        );
        assert!(update_label("Last Modified: November 4, 2026"));
        // A sentence is still no date line.
        assert_eq!(read_date_line("Sold on November 4, 2026 by auction"), None);
        assert_eq!(
            read_date_line("Posted on November 4, 2026 by the council"),
            None
        );
    }

    #[test]
    fn a_line_with_the_published_and_the_updated_date_gives_both() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().ok();
        for (line, published, updated) in [
            (
                "Publié le 4 novembre 2026 à 08h30, modifié le 4 novembre 2026 à 17h05",
                "2026-11-04T08:30:00Z",
                "2026-11-04T17:05:00Z",
            ),
            (
                "Publié le 4 novembre 2026 à 08h30, mis à jour le 5 novembre 2026 à 09h00",
                "2026-11-04T08:30:00Z",
                "2026-11-05T09:00:00Z",
            ),
            (
                "Published 4 November 2026 08:30, updated 4 November 2026 17:05",
                "2026-11-04T08:30:00Z",
                "2026-11-04T17:05:00Z",
            ),
            (
                "Published: Nov 4, 2026 8:30 AM | Updated: Nov 4, 2026 5:05 PM",
                "2026-11-04T08:30:00Z",
                "2026-11-04T17:05:00Z",
            ),
            (
                "Veröffentlicht am 04.11.2026, 08:30 Uhr Aktualisiert am 04.11.2026, 17:05 Uhr",
                "2026-11-04T08:30:00Z",
                "2026-11-04T17:05:00Z",
            ),
        ] {
            assert_eq!(parse_date_line(line), at(published), "{line}");
            let published = at(published).map(DateLine::At);
            assert_eq!(
                read_dates(line),
                published.map(|p| (p, at(updated))),
                "{line}"
            );
        }
        // One date, or an update label in a sentence, is no such line.
        for line in ["Updated: November 4, 2026 17:05", "November 4, 2026"] {
            assert_eq!(
                read_dates(line).map(|(_, updated)| updated),
                Some(None),
                "{line}"
            );
        }
        assert_eq!(
            read_date_line("November 4, 2026, updated the rules for 2027"),
            None
        );
    }

    #[test]
    fn iso_times_without_seconds_read_their_zone() {
        for (line, expected) in [
            ("2026-12-03T10:00Z", "2026-12-03T10:00:00Z"),
            ("2026-12-03T10:00z", "2026-12-03T10:00:00Z"),
            ("2026-12-03T10:00+01:00", "2026-12-03T09:00:00Z"),
            ("2026-12-03T10:00-0500", "2026-12-03T15:00:00Z"),
            ("2026-12-03T10:00:00-0500", "2026-12-03T15:00:00Z"),
            ("2026-12-03 10:00+05:30", "2026-12-03T04:30:00Z"),
            ("Updated: 2026-12-03T10:00Z", "2026-12-03T10:00:00Z"),
        ] {
            assert_eq!(parse_date_line(line), Some(utc(expected)), "{line}");
        }
        // An offset no zone has, or a date without its time, is no date;
        // the first still written as a date line.
        assert_eq!(
            read_date_line("2026-12-03T10:00+25:00"),
            Some(DateLine::Undated)
        );
        assert_eq!(read_date_line("2026-12-03+01:00"), None);
    }

    #[test]
    fn numeric_utc_offsets_after_the_time_are_read() {
        for (line, expected) in [
            ("Thu, 03 Dec 2026 10:00:00 -0500", "2026-12-03T15:00:00Z"),
            ("December 3, 2026 10:00 -0500", "2026-12-03T15:00:00Z"),
            ("2026-12-03 10:00 -05:00", "2026-12-03T15:00:00Z"),
            ("3 December 2026, 14:30 +0530", "2026-12-03T09:00:00Z"),
            ("Dec. 3, 2026 at 9:00 a.m. +01:00", "2026-12-03T08:00:00Z"),
        ] {
            assert_eq!(parse_date_line(line), Some(utc(expected)), "{line}");
        }
        // An offset with no time before it, or one no zone has, dates nothing.
        assert_eq!(
            read_date_line("December 3, 2026 -0500"),
            Some(DateLine::Undated)
        );
        assert_eq!(
            read_date_line("December 3, 2026 10:00 +2500"),
            Some(DateLine::Undated)
        );
    }

    #[test]
    fn year_first_and_hyphenated_dates_are_read() {
        for (line, expected) in [
            ("2026/12/03", "2026-12-03T00:00:00Z"),
            ("2026/12/03 10:15", "2026-12-03T10:15:00Z"),
            ("2026.12.03", "2026-12-03T00:00:00Z"),
            ("3-Dec-2026", "2026-12-03T00:00:00Z"),
            ("03-Dec-2026 10:15 GMT", "2026-12-03T10:15:00Z"),
            ("Dec-03-2026", "2026-12-03T00:00:00Z"),
            ("Updated: 3-dic-2026", "2026-12-03T00:00:00Z"),
            ("25-12-2026", "2026-12-25T00:00:00Z"),
        ] {
            assert_eq!(parse_date_line(line), Some(utc(expected)), "{line}");
        }
        // Day and month either way round, as with slashes.
        assert_eq!(read_date_line("03-12-2026"), Some(DateLine::Undated));
        for line in [
            "2026/13/03",
            "3-Dec-Jan-2026",
            "Covid-19 cases rose in 2026",
            "Match 3-1 Dec 2026",
        ] {
            assert_eq!(parse_date_line(line), None, "{line}");
        }
    }

    #[test]
    fn a_time_of_day_or_an_age_is_a_date_line_without_a_day() {
        for line in [
            "2 hours ago",
            "1 day ago",
            "Updated 21:07 GMT",
            "Last updated: 9:41 am",
            "Published at 10.15",
            "Updated 3 hours ago",
        ] {
            assert!(dayless_date_line(line), "{line}");
            assert_eq!(read_date_line(line), None, "{line}");
        }
        for line in [
            "Updated the rules 2 hours ago",
            "The vote took 2 hours",
            "July 29, 2024",
            "21:07 GMT kick-off at the stadium",
        ] {
            assert!(!dayless_date_line(line), "{line}");
        }
    }

    #[test]
    fn a_bare_hour_is_a_time_wherever_a_time_may_stand() {
        for (line, expected) in [
            ("Published 3 December 2026, 5pm", "2026-12-03T17:00:00Z"),
            ("December 3, 2026 5 p.m. ET", "2026-12-03T22:00:00Z"),
            ("December 3, 2026, 5 PM", "2026-12-03T17:00:00Z"),
            ("3 December 2026 5 PM EST", "2026-12-03T22:00:00Z"),
            ("3 Dec 2026 9a.m.", "2026-12-03T09:00:00Z"),
            ("3 Dec 2026 12 a.m.", "2026-12-03T00:00:00Z"),
            ("3 December 2026 12 noon", "2026-12-03T12:00:00Z"),
            ("3 December 2026, noon", "2026-12-03T12:00:00Z"),
            ("3 December 2026 12 midnight", "2026-12-03T00:00:00Z"),
            ("3 December 2026, midnight", "2026-12-03T00:00:00Z"),
            ("5pm, 3 December 2026", "2026-12-03T17:00:00Z"),
            ("5 p.m. ET, December 3, 2026", "2026-12-03T22:00:00Z"),
            ("3 December 2026 17h", "2026-12-03T17:00:00Z"),
            ("Le 3 décembre 2026 à 17h", "2026-12-03T17:00:00Z"),
            ("3. Dezember 2026, 17 Uhr", "2026-12-03T17:00:00Z"),
            (
                "Posted on November 4, 2026 at 5pm by Ana Ruiz",
                "2026-11-04T17:00:00Z",
            ),
        ] {
            assert_eq!(parse_date_line(line), Some(utc(expected)), "{line}");
        }
        // An hour the clock cannot show, or noon at any hour but 12.
        for line in [
            "3 December 2026 13pm",
            "3 December 2026 5 noon",
            "3 December 2026 25h",
            "3 December 2026 5pm 6pm",
        ] {
            assert_eq!(parse_date_line(line), None, "{line}");
        }
        for line in [
            "Updated 5pm",
            "Published at 5 p.m. ET",
            "12 noon",
            "Mis à jour 17h",
        ] {
            assert!(dayless_date_line(line), "{line}");
        }
    }

    #[test]
    fn ages_and_relative_days_are_date_lines_without_a_day() {
        for line in [
            "an hour ago",
            "a day ago",
            "Updated an hour ago",
            "3h ago",
            "5m ago",
            "Published 3h ago",
            "2 months ago",
            "Just now",
            "Yesterday",
            "today",
            "Yesterday at 14:02",
            "Today, 14:02 GMT",
            "Today at 5pm",
            "Published: Today, 14:02",
            "Updated yesterday at 14:02",
            "Updated: yesterday",
            "Updated Thursday",
            "Thursday 14:02",
            "Thursday at 2.05pm",
            "vor 2 Stunden",
            "Aktualisiert vor einer Stunde",
            "gestern, 14:02 Uhr",
            "il y a 2 heures",
            "Mis à jour il y a une heure",
            "hier à 14h02",
            "hace 2 horas",
            "Actualizado hace una hora",
            "ayer a las 14:02",
        ] {
            assert!(dayless_date_line(line), "{line}");
            assert_eq!(read_date_line(line), None, "{line}");
        }
        for line in [
            "Yesterday the council voted to extend the tram line",
            "Today, the council said no",
            "Thursday",
            "A day ago the council voted",
            "an hour",
            "Hace 2 horas que llueve",
            "Updated the rules an hour ago",
            "Noon",
        ] {
            assert!(!dayless_date_line(line), "{line}");
        }
    }

    #[test]
    fn update_labels_are_told_from_publication_labels() {
        assert!(update_label("Updated: July 30, 2024 10:00 GMT"));
        assert!(update_label("Last updated 30 July 2024"));
        assert!(update_label("Aktualisiert am 3. März 2024, 14:30 Uhr"));
        assert!(!update_label("Published: July 29, 2024 05:30 GMT"));
        assert!(!update_label("July 29, 2024"));
    }

    #[test]
    fn thai_dates_in_thai_digits_and_weekdays_with_thi_are_read() {
        for (line, expected) in [
            ("วันที่ ๓ ธันวาคม ๒๕๖๙ ๑๔:๐๕ น.", "2026-12-03T14:05:00Z"),
            ("๓ ธันวาคม ๒๕๖๙", "2026-12-03T00:00:00Z"),
            ("3 ธันวาคม ๒๕๖๙", "2026-12-03T00:00:00Z"),
            ("วันพฤหัสบดีที่ 3 ธันวาคม 2569 14:05 น.", "2026-12-03T14:05:00Z"),
            ("พฤหัสบดีที่ 3 ธันวาคม 2569", "2026-12-03T00:00:00Z"),
            ("วันพฤหัสบดี ที่ 3 ธันวาคม 2569", "2026-12-03T00:00:00Z"),
            ("วันศุกร์ที่ ๔ ธ.ค. ๒๕๖๙", "2026-12-04T00:00:00Z"),
        ] {
            assert_eq!(parse_date_line(line), Some(utc(expected)), "{line}");
        }
        assert!(dayless_date_line("วันพฤหัสบดีที่ 14:05"));
    }

    #[test]
    fn digits_of_the_other_scripts_of_south_and_southeast_asia_are_read() {
        for line in [
            "৩ ডিসেম্বর ২০২৬ 14:05",
            "3 December ২০২৬",
            "៣ December ២០២៦",
            "၃ December ၂၀၂၆",
            "໓ December ໒໐໒໖",
            "௩ December ௨௦௨௬",
        ] {
            let western = western_digits(line);
            assert!(western.contains("2026"), "{line}: {western}");
        }
        assert_eq!(
            parse_date_line("3 December ২০২৬"),
            Some(utc("2026-12-03T00:00:00Z"))
        );
    }

    #[test]
    fn turkish_names_in_capitals_with_dotless_and_dotted_i_are_read() {
        for (line, expected) in [
            ("3 ARALIK 2026 14:05", "2026-12-03T14:05:00Z"),
            ("3 KASIM 2026", "2026-11-03T00:00:00Z"),
            ("3 NİSAN 2026", "2026-04-03T00:00:00Z"),
            ("3 EKİM 2026", "2026-10-03T00:00:00Z"),
            ("3 HAZİRAN 2026", "2026-06-03T00:00:00Z"),
            ("3 MAYIS 2026", "2026-05-03T00:00:00Z"),
            ("3 Aralık 2026 SALI", "2026-12-03T00:00:00Z"),
            ("PERŞEMBE, 3 ARALIK 2026", "2026-12-03T00:00:00Z"),
            ("CUMARTESİ 5 ARALIK 2026", "2026-12-05T00:00:00Z"),
            ("3 ARA 2026", "2026-12-03T00:00:00Z"),
        ] {
            assert_eq!(parse_date_line(line), Some(utc(expected)), "{line}");
        }
        // The same capitals read the English way where they are English.
        assert_eq!(
            parse_date_line("FRIDAY, 3 APRIL 2026"),
            Some(utc("2026-04-03T00:00:00Z"))
        );
        assert!(dayless_date_line("SALI 14:05"));
    }

    #[test]
    fn arabic_levantine_and_maghreb_month_names_are_read() {
        for (line, expected) in [
            ("3 كانون الأول 2026", "2026-12-03T00:00:00Z"),
            ("3 كانون الاول 2026", "2026-12-03T00:00:00Z"),
            ("الخميس 3 كانون الأول 2026", "2026-12-03T00:00:00Z"),
            (
                "الخميس، ٣ تشرين الثاني ٢٠٢٦ - ١٤:٠٥",
                "2026-11-03T14:05:00Z",
            ),
            ("3 كانون الثاني 2026", "2026-01-03T00:00:00Z"),
            ("3 تشرين الأول 2026", "2026-10-03T00:00:00Z"),
            ("3 شباط 2026", "2026-02-03T00:00:00Z"),
            ("3 آذار 2026", "2026-03-03T00:00:00Z"),
            ("3 نيسان 2026", "2026-04-03T00:00:00Z"),
            ("3 أيار 2026", "2026-05-03T00:00:00Z"),
            ("3 حزيران 2026", "2026-06-03T00:00:00Z"),
            ("3 تموز 2026", "2026-07-03T00:00:00Z"),
            ("3 آب 2026", "2026-08-03T00:00:00Z"),
            ("3 أيلول 2026", "2026-09-03T00:00:00Z"),
            // The pan-Arab form: both names of the month, either first.
            ("3 ديسمبر/كانون الأول 2026", "2026-12-03T00:00:00Z"),
            ("3 كانون الأول/ديسمبر 2026", "2026-12-03T00:00:00Z"),
            ("3 ديسمبر / كانون الأول 2026", "2026-12-03T00:00:00Z"),
            ("3 أغسطس/آب 2026", "2026-08-03T00:00:00Z"),
            // The Maghreb: Morocco's and Algeria's and Tunisia's.
            ("3 دجنبر 2026", "2026-12-03T00:00:00Z"),
            ("3 غشت 2026", "2026-08-03T00:00:00Z"),
            ("3 شتنبر 2026", "2026-09-03T00:00:00Z"),
            ("3 نونبر 2026", "2026-11-03T00:00:00Z"),
            ("3 يوليوز 2026", "2026-07-03T00:00:00Z"),
            ("3 جانفي 2026", "2026-01-03T00:00:00Z"),
            ("3 جوان 2026", "2026-06-03T00:00:00Z"),
            ("3 جويلية 2026", "2026-07-03T00:00:00Z"),
            ("3 أوت 2026", "2026-08-03T00:00:00Z"),
        ] {
            assert_eq!(parse_date_line(line), Some(utc(expected)), "{line}");
        }
        // Two months that differ are no date.
        assert_eq!(parse_date_line("3 نوفمبر/كانون الأول 2026"), None);
        assert_eq!(read_date_line("3 December/November 2026"), None);
        for sentence in [
            "قال المجلس في 3 كانون الأول 2026 إن الخطة",
            "كانون الأول 2026 شهد أمطارا",
        ] {
            assert_eq!(parse_date_line(sentence), None, "{sentence}");
        }
    }

    #[test]
    fn a_date_line_written_decomposed_reads_as_the_composed_one() {
        use unicode_normalization::UnicodeNormalization;
        for line in [
            "2026년 12월 3일 14:05",
            "입력 2026년 12월 3일 14:05",
            "2026년 12월 3일 목요일 오후 2시 5분",
            "Ngày 3 tháng 12 năm 2026",
            "Cập nhật: 03-12-2026 14:05",
            "3 décembre 2026 à 14h05",
            "Mis à jour le 3 décembre 2026 à 14h05",
            "Donnerstag, 3. März 2026",
            "giovedì 3 dicembre 2026",
            "3 Aralık 2026 Perşembe 14:05",
        ] {
            let nfd: String = line.nfd().collect();
            assert_ne!(nfd, line, "{line} has letters that decompose");
            assert!(read_dates(line).is_some(), "{line}");
            assert_eq!(read_dates(&nfd), read_dates(line), "{line}");
            assert_eq!(update_label(&nfd), update_label(line), "{line}");
        }
        // A date line without a day, too.
        for line in [
            "Mis à jour il y a une heure",
            "hier à 14h02",
            "à l'instant",
            "Aktualisiert vor einer Stunde",
        ] {
            let nfd: String = line.nfd().collect();
            assert!(dayless_date_line(line), "{line}");
            assert!(dayless_date_line(&nfd), "{line} decomposed");
        }
    }
}

//! Recognises a date line printed under a headline (`Monday, 29 July, 2024 -
//! 05:30`, `2024-07-29`, `July 29, 2024`, `29.07.2024`, `29. Juli 2024`,
//! `Updated: July 29, 2024 at 5:30 p.m. EDT`) and turns it into a UTC
//! timestamp. A line counts as a date only when every word of it is part of
//! the date, so a sentence that merely starts with a date is never taken for
//! one. `05/06/2024` is a date line whose date cannot be told (May or June):
//! [`DateLine::Undated`].

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

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

/// Reads `line` as a date line; `None` when it is none.
pub fn read_date_line(line: &str) -> Option<DateLine> {
    let line = date_part(line)?;
    if let Some(at) = parse_iso(line) {
        return Some(DateLine::At(at));
    }
    match parse_words(line) {
        Ok(at) => Some(DateLine::At(at)),
        Err(WordsError::DayOrMonth) => Some(DateLine::Undated),
        Err(WordsError::NotADate) => None,
    }
}

/// The moment of `line` when it is a date line that tells one
/// ([`read_date_line`]).
pub fn parse_date_line(line: &str) -> Option<DateTime<Utc>> {
    match read_date_line(line)? {
        DateLine::At(at) => Some(at),
        DateLine::Undated => None,
    }
}

/// The longest line read as a date line, its label included.
const MAX_DATE_LINE: usize = 96;

/// The date of a line that may be a date line, without its label: `None`
/// at once for the lines that cannot be (most of a dump: paragraphs too
/// long, headlines without a digit).
fn date_part(line: &str) -> Option<&str> {
    let line = line.trim();
    if line.len() < 8 || line.len() > MAX_DATE_LINE || !line.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let date = without_label(line);
    (8..=64).contains(&date.len()).then_some(date)
}

/// `line` without a label before its date (`Updated:`, `Published`,
/// `Aktualisiert am`), compared without case.
fn without_label(line: &str) -> &str {
    const LABELS: [&str; 10] = [
        "last updated",
        "first published",
        "updated",
        "published",
        "posted",
        "aktualisiert am",
        "aktualisiert",
        "veröffentlicht am",
        "veröffentlicht",
        "stand",
    ];
    for label in LABELS {
        let Some(head) = line.get(..label.len()) else {
            continue;
        };
        if head.eq_ignore_ascii_case(label) || (!label.is_ascii() && head.to_lowercase() == label) {
            let rest = &line[label.len()..];
            if rest.starts_with([':', ' ']) {
                return rest.trim_start_matches(':').trim_start();
            }
        }
    }
    line
}

fn parse_iso(line: &str) -> Option<DateTime<Utc>> {
    if let Ok(dt) = DateTime::parse_from_rfc3339(line) {
        return Some(dt.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(line, format) {
            return Some(dt.and_utc());
        }
    }
    NaiveDate::parse_from_str(line, "%Y-%m-%d")
        .ok()
        .map(|d| d.and_time(NaiveTime::MIN).and_utc())
}

#[derive(Default)]
struct Parts {
    weekday: bool,
    month: Option<u32>,
    day: Option<u32>,
    year: Option<i32>,
    time: Option<NaiveTime>,
    pm: Option<bool>,
    /// The zone's offset from UTC in minutes, once named.
    zone: Option<i32>,
    /// A numeric date whose day and month could be either.
    day_or_month: bool,
}

/// Why [`parse_words`] found no date.
enum WordsError {
    /// A word with no place in a date, or an impossible date.
    NotADate,
    /// A date line, but `05/06/2024`.
    DayOrMonth,
}

fn parse_words(line: &str) -> Result<DateTime<Utc>, WordsError> {
    let mut parts = Parts::default();
    let tokens = line
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty());
    for token in tokens {
        if !take_token(&mut parts, token) {
            return Err(WordsError::NotADate);
        }
    }
    if parts.day_or_month {
        return Err(WordsError::DayOrMonth);
    }
    let date = (|| NaiveDate::from_ymd_opt(parts.year?, parts.month?, parts.day?))()
        .ok_or(WordsError::NotADate)?;
    let mut time = parts.time.unwrap_or(NaiveTime::MIN);
    if let Some(pm) = parts.pm {
        time = apply_meridiem(time, pm).ok_or(WordsError::NotADate)?;
    }
    let at = date.and_time(time).and_utc();
    Ok(at - chrono::Duration::minutes(parts.zone.unwrap_or(0).into()))
}

/// `29.07.2024`, `29/07/2024`, `07/29/2024`: day, month and year, the day
/// first unless only the month-first reading is a date; `05/06/2024` sets
/// `day_or_month` (with dots, Europe's day first is the only way written).
fn take_numeric_date(parts: &mut Parts, token: &str) -> bool {
    let separator = if token.contains('.') { '.' } else { '/' };
    let numbers: Vec<&str> = token.trim_end_matches('.').split(separator).collect();
    let [first, second, year] = numbers[..] else {
        return false;
    };
    let number = |text: &str, digits: std::ops::RangeInclusive<usize>| {
        (digits.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| text.parse::<u32>().ok())
            .flatten()
    };
    let (Some(a), Some(b), Some(y)) = (
        number(first, 1..=2),
        number(second, 1..=2),
        number(year, 4..=4),
    ) else {
        return false;
    };
    let (day, month) = match (a, b) {
        (a, b) if b > 12 && a <= 12 => (b, a),
        (a, b) if a > 12 || separator == '.' => (a, b),
        (a, b) => {
            parts.day_or_month = a != b;
            (a, b)
        }
    };
    if parts.year.is_some() || parts.month.is_some() || parts.day.is_some() {
        return false;
    }
    parts.day = Some(day);
    parts.month = Some(month);
    parts.year = Some(y as i32);
    true
}

/// Files one token into `parts`; false when the token has no place in a date.
fn take_token(parts: &mut Parts, token: &str) -> bool {
    if token.bytes().filter(|&b| b == b'.' || b == b'/').count() >= 2
        && token.bytes().next().is_some_and(|b| b.is_ascii_digit())
    {
        return take_numeric_date(parts, token);
    }
    let lower = token.trim_end_matches('.').to_lowercase();
    if matches!(
        lower.as_str(),
        "-" | "–" | "—" | "|" | "·" | "at" | "on" | "de" | "um" | "uhr" | "à" | "le"
    ) {
        return true;
    }
    if !parts.weekday && weekday_name(&lower) {
        parts.weekday = true;
        return true;
    }
    if parts.month.is_none()
        && let Some(m) = month_number(&lower)
    {
        parts.month = Some(m);
        return true;
    }
    if parts.zone.is_none()
        && let Some(offset) = zone_offset_minutes(&lower)
    {
        parts.zone = Some(offset);
        return true;
    }
    let meridiem = lower.replace('.', "");
    if parts.pm.is_none() && parts.time.is_some() && matches!(meridiem.as_str(), "am" | "pm") {
        parts.pm = Some(meridiem == "pm");
        return true;
    }
    if parts.time.is_none() && lower.contains(':') {
        parts.time = parse_clock(&lower);
        return parts.time.is_some();
    }
    let digits = lower.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let ordinal_suffix = &lower[digits.len()..];
    if digits.len() == 4 && ordinal_suffix.is_empty() && parts.year.is_none() {
        parts.year = digits.parse().ok();
        return true;
    }
    if digits.len() <= 2
        && matches!(ordinal_suffix, "" | "st" | "nd" | "rd" | "th")
        && parts.day.is_none()
    {
        parts.day = digits.parse().ok().filter(|d| (1..=31).contains(d));
        return parts.day.is_some();
    }
    false
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
        .ok()?;
    match meridiem {
        Some(pm) => apply_meridiem(time, pm),
        None => Some(time),
    }
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

fn weekday_name(token: &str) -> bool {
    const NAMES: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    NAMES
        .iter()
        .any(|name| *name == token || (token.len() == 3 && name.starts_with(token)))
}

/// The offset from UTC, in minutes, of a zone named by its abbreviation
/// (in lower case), as date lines and feed dates name them. `IST` is India
/// Standard Time, as news sites use it.
pub(crate) fn zone_offset_minutes(name: &str) -> Option<i32> {
    Some(match name {
        "gmt" | "utc" | "ut" | "z" => 0,
        "bst" | "cet" => 60,
        "cest" => 120,
        "ist" => 330,
        "edt" => -4 * 60,
        "est" | "cdt" => -5 * 60,
        "cst" | "mdt" => -6 * 60,
        "mst" | "pdt" => -7 * 60,
        "pst" => -8 * 60,
        _ => return None,
    })
}

/// The months in German, French and Spanish, for date lines of those
/// papers (`29. Juli 2024`, `29 juillet 2024`, `29 de julio de 2024`).
const OTHER_MONTH_NAMES: [[&str; 12]; 3] = [
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
];

fn month_number(token: &str) -> Option<u32> {
    if token == "sept" {
        return Some(9);
    }
    let english = MONTH_NAMES
        .iter()
        .position(|name| *name == token || (token.len() == 3 && name.starts_with(token)));
    english
        .or_else(|| {
            OTHER_MONTH_NAMES
                .iter()
                .find_map(|names| names.iter().position(|name| *name == token))
        })
        .map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        ] {
            assert_eq!(parse_date_line(line), Some(utc(expected)), "{line}");
            assert_ne!(read_date_line(line), Some(DateLine::Undated), "{line}");
        }
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
}

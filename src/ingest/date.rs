//! Recognises a date line printed under a headline (`Monday, 29 July, 2024 -
//! 05:30`, `2024-07-29`, `July 29, 2024`) and turns it into a UTC timestamp.
//! A line counts as a date only when every word of it is part of the date,
//! so a sentence that merely starts with a date is never taken for one.

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

/// Parses `line` as a date line, whatever its year (see [`plausible`]);
/// times without a zone are read as UTC.
pub fn parse_date_line(line: &str) -> Option<DateTime<Utc>> {
    let line = line.trim();
    if line.len() < 8 || line.len() > 64 || !line.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    parse_iso(line).or_else(|| parse_words(line))
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
    zone: bool,
}

fn parse_words(line: &str) -> Option<DateTime<Utc>> {
    let mut parts = Parts::default();
    let tokens = line
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty());
    for token in tokens {
        if !take_token(&mut parts, token) {
            return None;
        }
    }
    let date = NaiveDate::from_ymd_opt(parts.year?, parts.month?, parts.day?)?;
    let mut time = parts.time.unwrap_or(NaiveTime::MIN);
    if let Some(pm) = parts.pm {
        time = apply_meridiem(time, pm)?;
    }
    Some(date.and_time(time).and_utc())
}

/// Files one token into `parts`; false when the token has no place in a date.
fn take_token(parts: &mut Parts, token: &str) -> bool {
    let lower = token.trim_end_matches('.').to_ascii_lowercase();
    if matches!(lower.as_str(), "-" | "–" | "—" | "|" | "·" | "at" | "on") {
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
    if !parts.zone && matches!(lower.as_str(), "gmt" | "utc" | "z") {
        parts.zone = true;
        return true;
    }
    if parts.pm.is_none() && parts.time.is_some() && matches!(lower.as_str(), "am" | "pm") {
        parts.pm = Some(lower == "pm");
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

fn month_number(token: &str) -> Option<u32> {
    if token == "sept" {
        return Some(9);
    }
    MONTH_NAMES
        .iter()
        .position(|name| *name == token || (token.len() == 3 && name.starts_with(token)))
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

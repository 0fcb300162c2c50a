//! Feed timestamps. Most are strict RFC 3339 or RFC 2822 and parse as such
//! at once; only the rest get lenient repairs: ISO 8601 and W3C-DTF without
//! seconds, without a zone (read as UTC, as dumps are) or with a space for
//! the `T`, offsets without a colon, bare dates; RFC 822 with a zone named
//! by its abbreviation (`CET`, `BST`, `IST`, and `ET`, `PT` in summer or
//! standard time by the date: [`zone_offset_minutes_at`]), as an offset
//! from GMT or UTC (`GMT+02:00`), under `Etc/` (`Etc/GMT`) or none (UTC),
//! weekday and month names spelt out, month before day,
//! single-digit hours, RFC 1123 with ` Z`, and `date`'s own
//! `Tue Dec 01 10:00:00 UTC 2026`. Hour 24 is the end of its day: `24:00`
//! is 00:00 of the next one, and `24:30` is no time at all. An entry's
//! date that is none of these is read as a dump's date line
//! ([`parse_entry_date`]), which reads a day without a time.

use std::borrow::Cow;
use std::sync::OnceLock;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use regex::Regex;

use crate::ingest::date::{parse_date_line, zone_offset_minutes_at};

/// An entry's date: a timestamp in any form [`parse`] reads, else a date
/// line as a dump gives it ([`parse_date_line`]), such as a day without a
/// time (`Tue, 01 Dec 2026`, `30 Nov 2026`, `1 December 2026`,
/// `December 1, 2026`), which is that day's midnight UTC, as a bare
/// `2026-12-01` is here and a day-only date is in dumps, sitemaps and pages.
pub(crate) fn parse_entry_date(text: &str) -> Option<DateTime<Utc>> {
    parse(text).or_else(|| parse_date_line(text.trim()))
}

/// A timestamp, strictly or leniently; `None` when no form fits (the entry
/// then has no date).
pub(crate) fn parse(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    match end_of_day(text) {
        EndOfDay::None => parse_form(text),
        EndOfDay::NextMidnight(at_midnight) => {
            parse_form(&at_midnight).map(|t| t + Duration::days(1))
        }
        EndOfDay::NotATime => None,
    }
}

/// Whether a timestamp's hour is 24.
enum EndOfDay {
    None,
    /// `24:00` (or `24:00:00`): the text with 00:00 in its place, to be
    /// read as the next day's.
    NextMidnight(String),
    /// `24:30`: past the end of the day.
    NotATime,
}

fn end_of_day(text: &str) -> EndOfDay {
    static HOUR_24: OnceLock<Regex> = OnceLock::new();
    let hour_24 = HOUR_24
        .get_or_init(|| Regex::new(r"(^|[Tt\s])24:(\d{2})(?::(\d{2}))?").expect("a valid pattern"));
    let Some(found) = hour_24.captures(text) else {
        return EndOfDay::None;
    };
    let zero = |i: usize| found.get(i).is_none_or(|m| m.as_str() == "00");
    if !(zero(2) && zero(3)) {
        return EndOfDay::NotATime;
    }
    let hour = found.get(0).expect("the whole match");
    let replaced = found[0].replacen("24:", "00:", 1);
    EndOfDay::NextMidnight(format!(
        "{}{replaced}{}",
        &text[..hour.start()],
        &text[hour.end()..]
    ))
}

/// `text` (whose hour is not 24) in any form this module reads.
fn parse_form(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .or_else(|_| DateTime::parse_from_rfc2822(text))
        .ok()
        .map(|t| t.with_timezone(&Utc))
        .or_else(|| lenient_iso(text))
        .or_else(|| lenient_rfc2822(text))
        .or_else(|| lenient_rfc1123(text))
}

/// A pattern and what replaces its first match.
struct Fix(Regex, &'static str);

fn fixes(cell: &'static OnceLock<Vec<Fix>>, rules: &[(&str, &'static str)]) -> &'static [Fix] {
    cell.get_or_init(|| {
        rules
            .iter()
            .filter_map(|(pattern, with)| Regex::new(pattern).ok().map(|re| Fix(re, with)))
            .collect()
    })
}

fn apply(text: &str, fixes: &[Fix]) -> String {
    let mut out = text.to_string();
    for Fix(pattern, with) in fixes {
        out = pattern.replace(&out, *with).into_owned();
    }
    out
}

/// A zone abbreviation (`UTC`, `CET`, `ET`) or a numeric offset (`+0900`,
/// `-05`, `+05:30`) as an RFC 3339 offset at `local` time; `None` for a
/// name not known.
fn offset_of(zone: &str, local: NaiveDateTime) -> Option<String> {
    let minutes = match zone.strip_prefix(['+', '-']) {
        Some(digits) => {
            let digits = digits.replace(':', "");
            let (hours, minutes) = digits.split_at_checked(2.min(digits.len()))?;
            let minutes = if minutes.is_empty() { "0" } else { minutes };
            let total = hours.parse::<i32>().ok()? * 60 + minutes.parse::<i32>().ok()?;
            if zone.starts_with('-') { -total } else { total }
        }
        None => zone_offset_minutes_at(&zone.to_ascii_lowercase(), local)?,
    };
    let sign = if minutes < 0 { '-' } else { '+' };
    let minutes = minutes.abs();
    Some(format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60))
}

/// ISO 8601 and W3C-DTF as feeds write them: a date, then optionally a time
/// after `T` or a space, with or without seconds and a fraction, and a zone
/// (an offset with or without its colon, `Z`, or an abbreviation) or none,
/// which is UTC.
fn lenient_iso(text: &str) -> Option<DateTime<Utc>> {
    static ISO: OnceLock<Regex> = OnceLock::new();
    let iso = ISO.get_or_init(|| {
        Regex::new(concat!(
            r"^(\d{4}-\d{2}-\d{2})",
            r"(?:[Tt ](\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?",
            r" ?([Zz]|[+-]\d{2}(?::?\d{2})?|[A-Za-z]{2,5})?)?$"
        ))
        .expect("a valid pattern")
    });
    let found = iso.captures(text)?;
    let clock = found.get(2).map_or("00:00", |m| m.as_str());
    let seconds = found.get(3).map_or(":00", |m| m.as_str());
    let local = format!("{}T{clock}{seconds}", &found[1]);
    let offset = match found.get(4).map(|m| m.as_str()) {
        None | Some("Z" | "z") => "+00:00".to_string(),
        Some(zone) => {
            let at = NaiveDateTime::parse_from_str(&local, "%Y-%m-%dT%H:%M:%S%.f").ok()?;
            offset_of(zone, at)?
        }
    };
    let normalized = format!("{local}{offset}");
    DateTime::parse_from_rfc3339(&normalized)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn lenient_rfc2822(text: &str) -> Option<DateTime<Utc>> {
    static FIXES: OnceLock<Vec<Fix>> = OnceLock::new();
    let fixes = fixes(
        &FIXES,
        &[
            // `date`'s form: weekday, month, day, time, zone, year.
            (
                r"^(?:[A-Za-z]+,? +)?([A-Za-z]{3,9}) +(\d{1,2}) +(\d{1,2}:\d{2}(?::\d{2})?) +(?:([A-Za-z]{1,5}|[+-]\d{4}) +)?(\d{4})$",
                "$2 $1 $5 $3 $4",
            ),
            (r"-0000$", "+0000"),
            // A weekday, right or wrong, adds nothing.
            (r"^(Sun|Mon|Tue|Wed|Thu|Fri|Sat)[a-z]*,? ", ""),
            (
                r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*",
                "$1",
            ),
            // Month before day.
            (
                r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{1,2}) (\d{4})",
                "$2 $1 $3",
            ),
            (r" ([0-9]):", " 0${1}:"),
        ],
    );
    let fixed = apply(text, fixes);
    let fixed = fixed.trim();
    DateTime::parse_from_rfc2822(&with_numeric_zone(fixed)?)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// An RFC 822 date (its time last but for a zone) with the zone as a
/// numeric offset: a zone abbreviation replaced, none at all taken for
/// UTC; `None` for a zone abbreviation not known.
fn with_numeric_zone(text: &str) -> Option<String> {
    let (rest, zone) = text.rsplit_once(' ')?;
    let zone = plain_zone(zone);
    let text = format!("{rest} {zone}");
    if zone.contains(':') {
        return Some(format!("{text} +0000"));
    }
    if zone.starts_with(['+', '-']) {
        return Some(text);
    }
    let local = DateTime::parse_from_rfc2822(&format!("{rest} +0000"))
        .ok()?
        .naive_utc();
    let offset = offset_of(&zone, local)?.replace(':', "");
    Some(format!("{rest} {offset}"))
}

/// An RFC 822 zone as feedparser reads it: an offset from GMT or UTC
/// (`GMT+02:00`, `GMT-0500`, `UTC+02:00`, as Java writes a zone without
/// an abbreviation) as the offset itself (`+0200`), and a tz database name
/// under `Etc/` (`Etc/GMT`, `Etc/UTC`) as the zone it names. An offset of
/// hours alone (`GMT+2`) stays as written: it is no date feedparser reads,
/// and under `Etc/` its sign is the other way round.
fn plain_zone(zone: &str) -> Cow<'_, str> {
    static OFFSET: OnceLock<Regex> = OnceLock::new();
    let offset = OFFSET.get_or_init(|| {
        Regex::new(r"(?i)^(?:GMT|UTC)([+-]\d{2}):?(\d{2})$").expect("a valid pattern")
    });
    if let Some(found) = offset.captures(zone) {
        return Cow::Owned(format!("{}{}", &found[1], &found[2]));
    }
    match zone.get(..4) {
        Some(prefix)
            if prefix.eq_ignore_ascii_case("etc/")
                && zone[4..].bytes().all(|b| b.is_ascii_alphabetic()) =>
        {
            Cow::Borrowed(&zone[4..])
        }
        _ => Cow::Borrowed(zone),
    }
}

fn lenient_rfc1123(text: &str) -> Option<DateTime<Utc>> {
    static FIXES: OnceLock<Vec<Fix>> = OnceLock::new();
    let fixes = fixes(&FIXES, &[(" Z$", " +0000"), ("^[[:alpha:]]{3}, ", "")]);
    DateTime::parse_from_str(&apply(text, fixes), "%d %b %Y %H:%M:%S %z")
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Option<DateTime<Utc>> {
        Some(text.parse().expect("test date"))
    }

    #[test]
    fn strict_forms() {
        assert_eq!(
            parse("2024-07-09T17:42:00+01:00"),
            at("2024-07-09T16:42:00Z")
        );
        assert_eq!(
            parse(" Tue, 09 Jul 2024 17:42:00 +0100 "),
            at("2024-07-09T16:42:00Z")
        );
        assert_eq!(
            parse("Tue, 09 Jul 2024 09:15:00 GMT"),
            at("2024-07-09T09:15:00Z")
        );
    }

    #[test]
    fn lenient_forms() {
        assert_eq!(
            parse("2024-07-09T17:42:00+0100"),
            at("2024-07-09T16:42:00Z")
        );
        assert_eq!(parse("2024-07-09"), at("2024-07-09T00:00:00Z"));
        assert_eq!(
            parse("Tue, 09 Jul 2024 17:42:00 UTC"),
            at("2024-07-09T17:42:00Z")
        );
        assert_eq!(
            parse("Thurs, 11 Jul 2024 07:38:00 -0000"),
            at("2024-07-11T07:38:00Z")
        );
        assert_eq!(
            parse("Tuesday, 09 July 2024 17:42:00 +0000"),
            at("2024-07-09T17:42:00Z")
        );
        assert_eq!(
            parse("Wed, Jul 10 2024 08:00:00 +0000"),
            at("2024-07-10T08:00:00Z")
        );
        assert_eq!(
            parse("10 Jul 2024 9:05:00 +0000"),
            at("2024-07-10T09:05:00Z")
        );
        assert_eq!(
            parse("Wed, 10 Jul 2024 08:00:00 Z"),
            at("2024-07-10T08:00:00Z")
        );
    }

    #[test]
    fn w3c_dtf_and_iso_without_seconds_or_zone() {
        for (text, expected) in [
            ("2026-11-20T10:00+09:00", "2026-11-20T01:00:00Z"),
            ("2026-12-01T12:00Z", "2026-12-01T12:00:00Z"),
            ("2026-11-20T10:00:00", "2026-11-20T10:00:00Z"),
            ("2026-11-20T10:00", "2026-11-20T10:00:00Z"),
            ("2026-11-20 10:00:00", "2026-11-20T10:00:00Z"),
            ("2026-11-20 10:00:00+02", "2026-11-20T08:00:00Z"),
            ("2026-11-20 10:00:00 CET", "2026-11-20T09:00:00Z"),
            ("2026-12-01T12:00:00.123+01:00", "2026-12-01T11:00:00.123Z"),
        ] {
            assert_eq!(parse(text), at(expected), "{text}");
        }
    }

    #[test]
    fn rfc822_with_zone_names_or_none() {
        for (text, expected) in [
            ("Tue, 01 Dec 2026 10:00:00 CET", "2026-12-01T09:00:00Z"),
            ("Tue, 01 Dec 2026 10:00:00 CEST", "2026-12-01T08:00:00Z"),
            ("Tue, 01 Dec 2026 10:00:00 BST", "2026-12-01T09:00:00Z"),
            ("Tue, 01 Dec 2026 10:00:00 IST", "2026-12-01T04:30:00Z"),
            ("Tue, 01 Dec 2026 10:00:00 EDT", "2026-12-01T14:00:00Z"),
            ("Tue, 01 Dec 2026 10:00:00 UT", "2026-12-01T10:00:00Z"),
            ("Tue, 01 Dec 2026 10:00:00", "2026-12-01T10:00:00Z"),
            ("Tue, 01 Dec 2026 10:00", "2026-12-01T10:00:00Z"),
            ("Tue Dec 01 10:00:00 UTC 2026", "2026-12-01T10:00:00Z"),
            ("Tue Dec  1 10:00:00 CET 2026", "2026-12-01T09:00:00Z"),
            ("Tue Dec 01 10:00:00 2026", "2026-12-01T10:00:00Z"),
        ] {
            assert_eq!(parse(text), at(expected), "{text}");
        }
    }

    #[test]
    fn rfc822_with_an_offset_from_gmt_or_utc_or_an_etc_zone() {
        for (text, expected) in [
            (
                "Sat, 21 Nov 2026 12:00:00 GMT+02:00",
                "2026-11-21T10:00:00Z",
            ),
            (
                "Sat, 21 Nov 2026 05:00:00 GMT-05:00",
                "2026-11-21T10:00:00Z",
            ),
            ("Sat, 21 Nov 2026 12:00:00 GMT+0200", "2026-11-21T10:00:00Z"),
            (
                "Sat, 21 Nov 2026 15:30:00 gmt+05:30",
                "2026-11-21T10:00:00Z",
            ),
            (
                "Sat, 21 Nov 2026 12:00:00 UTC+02:00",
                "2026-11-21T10:00:00Z",
            ),
            ("Sat, 21 Nov 2026 07:00 UTC-0300", "2026-11-21T10:00:00Z"),
            (
                "Sat, 21 Nov 2026 10:00:00 GMT+00:00",
                "2026-11-21T10:00:00Z",
            ),
            ("21 Nov 2026 12:00:00 GMT+02:00", "2026-11-21T10:00:00Z"),
            ("Sat, 21 Nov 2026 10:00:00 Etc/GMT", "2026-11-21T10:00:00Z"),
            ("Sat, 21 Nov 2026 10:00:00 etc/utc", "2026-11-21T10:00:00Z"),
        ] {
            assert_eq!(parse(text), at(expected), "{text}");
        }
        // Hours alone, and an `Etc/` offset (whose sign is reversed), are
        // no zone feedparser reads.
        for text in [
            "Sat, 21 Nov 2026 12:00:00 GMT+2",
            "Sat, 21 Nov 2026 12:00:00 Etc/GMT+2",
            "Sat, 21 Nov 2026 12:00:00 GMT+02:0",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
    }

    #[test]
    fn us_zones_without_summer_or_standard_are_read_by_the_date() {
        for (text, expected) in [
            ("Fri, 20 Nov 2026 10:00:00 ET", "2026-11-20T15:00:00Z"),
            ("Sat, 20 Jun 2026 10:00:00 PT", "2026-06-20T17:00:00Z"),
            ("Mon, 20 Jul 2026 10:00 CT", "2026-07-20T15:00:00Z"),
            ("Fri, 04 Dec 2026 10:00:00 MT", "2026-12-04T17:00:00Z"),
            ("Sun, 08 Mar 2026 01:30:00 ET", "2026-03-08T06:30:00Z"),
            ("Sun, 08 Mar 2026 03:30:00 ET", "2026-03-08T07:30:00Z"),
            ("2026-06-20T10:00 PT", "2026-06-20T17:00:00Z"),
            ("2026-01-20 10:00:00 ET", "2026-01-20T15:00:00Z"),
            ("Sat Jun 20 10:00:00 ET 2026", "2026-06-20T14:00:00Z"),
            ("Fri, 20 Nov 2026 10:00:00 AKST", "2026-11-20T19:00:00Z"),
            ("Sat, 20 Jun 2026 10:00:00 AKDT", "2026-06-20T18:00:00Z"),
            ("Sat, 20 Jun 2026 10:00:00 HST", "2026-06-20T20:00:00Z"),
        ] {
            assert_eq!(parse(text), at(expected), "{text}");
        }
    }

    #[test]
    fn hour_24_is_the_next_days_midnight() {
        assert_eq!(
            parse("Tue, 01 Dec 2026 24:00:00 GMT"),
            at("2026-12-02T00:00:00Z")
        );
        assert_eq!(
            parse("Tue, 01 Dec 2026 24:00:00 +0100"),
            at("2026-12-01T23:00:00Z")
        );
        assert_eq!(parse("2026-12-31T24:00Z"), at("2027-01-01T00:00:00Z"));
        // Past the end of the day: no time at all.
        assert_eq!(parse("10 Jul 2024 24:05:00 +0000"), None);
        assert_eq!(parse("Tue, 01 Dec 2026 24:00:30 GMT"), None);
    }

    #[test]
    fn an_entry_date_without_a_time_is_its_days_midnight() {
        for text in [
            "Tue, 01 Dec 2026",
            "01 Dec 2026",
            "1 December 2026",
            "December 1, 2026",
            "Tuesday, 1 December 2026",
            "2026-12-01",
        ] {
            assert_eq!(parse_entry_date(text), at("2026-12-01T00:00:00Z"), "{text}");
        }
        assert_eq!(
            parse_entry_date(" 30 Nov 2026 "),
            at("2026-11-30T00:00:00Z")
        );
        assert_eq!(
            parse_entry_date("Tue, 01 Dec 2026 10:00:00 GMT"),
            at("2026-12-01T10:00:00Z")
        );
        for nonsense in [
            "yesterday",
            "",
            "Tue, 01 Dec 2026 10:00:00 XYZ",
            "Tue, 01 Dec 2026 24:30:00 GMT",
            "31 Nov 2026",
        ] {
            assert_eq!(parse_entry_date(nonsense), None, "{nonsense}");
        }
    }

    #[test]
    fn nonsense_is_no_date() {
        assert_eq!(parse("yesterday"), None);
        assert_eq!(parse(""), None);
        assert_eq!(parse("Tue, 01 Dec 2026 10:00:00 XYZ"), None);
        assert_eq!(parse("2026-11-20T10"), None);
    }
}

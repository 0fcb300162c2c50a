//! Feed timestamps. Most are strict RFC 3339 or RFC 2822 and parse as such
//! at once; only the rest get lenient repairs (offsets without a colon,
//! bare dates, `UTC`, weekday and month names spelt out, month before day,
//! single-digit hours, hour 24, RFC 1123 with ` Z`), made with a dozen
//! regular expressions.

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use regex::Regex;

/// A timestamp, strictly or leniently; `None` when no form fits (the entry
/// then has no date).
pub(crate) fn parse(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    DateTime::parse_from_rfc3339(text)
        .or_else(|_| DateTime::parse_from_rfc2822(text))
        .ok()
        .map(|t| t.with_timezone(&Utc))
        .or_else(|| lenient_rfc3339(text))
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

fn lenient_rfc3339(text: &str) -> Option<DateTime<Utc>> {
    static FIXES: OnceLock<Vec<Fix>> = OnceLock::new();
    let fixes = fixes(
        &FIXES,
        &[
            // An offset without its colon.
            (r"(\+|-)(\d{2})(\d{2})", "${1}${2}:${3}"),
            // A bare date: midnight UTC.
            (r"-\d{2}$", "${0}T00:00:00+00:00"),
        ],
    );
    DateTime::parse_from_rfc3339(apply(text, fixes).trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn lenient_rfc2822(text: &str) -> Option<DateTime<Utc>> {
    static FIXES: OnceLock<Vec<Fix>> = OnceLock::new();
    let fixes = fixes(
        &FIXES,
        &[
            (r"(UTC|-0000$)", "+0000"),
            // A weekday, right or wrong, adds nothing.
            (r"(Sun|Mon|Tue|Wed|Thu|Fri|Sat)[a-z]*, ", ""),
            (
                r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*",
                "$1",
            ),
            // Month before day.
            (
                r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{1,2}) (\d{4})",
                "$2 $1 $3",
            ),
            (r" 24:", " 00:"),
            (r" ([0-9]):", " 0${1}:"),
        ],
    );
    DateTime::parse_from_rfc2822(&apply(text, fixes))
        .ok()
        .map(|t| t.with_timezone(&Utc))
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
            parse("10 Jul 2024 24:05:00 +0000"),
            at("2024-07-10T00:05:00Z")
        );
        assert_eq!(
            parse("Wed, 10 Jul 2024 08:00:00 Z"),
            at("2024-07-10T08:00:00Z")
        );
    }

    #[test]
    fn nonsense_is_no_date() {
        assert_eq!(parse("yesterday"), None);
        assert_eq!(parse(""), None);
    }
}

//! What `feedfold dups` shows for each copy folded into a stored article:
//! the rule, the distance, both articles by id and title, and where each
//! came from, and whether the copy was a stored article merged into the
//! other; as text for people or one JSON object per line for scripts.
//! The articles page gives the same reasons ([`why`]).

use std::borrow::Cow;
use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::headline;
use crate::dedup::{EARLIER_COPY, EARLIER_TEXT};
use crate::model::rfc3339;
use crate::plural;
use crate::redact;
use crate::store::{FoldedCopy, Sighting};

#[derive(Serialize)]
struct Copy<'a> {
    id: &'a str,
    title: &'a str,
    source: Option<&'a str>,
    location: Option<Cow<'a, str>>,
    line: Option<i64>,
}

impl<'a> Copy<'a> {
    fn new(id: &'a str, title: &'a str, seen: Option<&'a Sighting>) -> Self {
        Copy {
            id,
            title,
            source: seen.map(|s| s.source.as_str()),
            location: seen.map(|s| redact::urls_in(&s.location)),
            line: seen.map(|s| s.line),
        }
    }
}

#[derive(Serialize)]
struct FoldJson<'a> {
    folded_at: String,
    rule: &'a str,
    distance: Option<u32>,
    replaced: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<&'a str>,
    merged: bool,
    copy: Copy<'a>,
    into: Copy<'a>,
}

/// One JSON object (no trailing newline) describing `fold`: `folded_at`,
/// `rule`, `distance` (or `null`), `replaced` (`longer`, `newer` or `null`),
/// `evidence` for the containment rules only (`contained: 9 of 10
/// paragraphs, shared lead`), `merged` (whether the copy was a stored
/// article, published under its id until it was merged into the other),
/// and `copy` and `into`, each with `id`, `title`, `source`, `location` and
/// `line` (`into`'s from where the article was first seen, as `copy`'s is
/// for a merged article); a `location` that is a URL is redacted.
pub fn json_line(fold: &FoldedCopy) -> String {
    let record = FoldJson {
        folded_at: rfc3339(fold.seen.first_seen),
        rule: &fold.rule,
        distance: fold.distance,
        replaced: fold.replaced.as_deref(),
        evidence: fold.evidence.as_deref(),
        merged: fold.merged,
        copy: Copy::new(&fold.copy_id, &fold.copy_title, Some(&fold.seen)),
        into: Copy::new(
            &fold.article_id,
            &fold.article_title,
            fold.article_seen.as_ref(),
        ),
    };
    serde_json::to_string(&record).expect("fold JSON serializes")
}

/// Where a copy was seen (`desk: dumps/a.txt line 1`), its URL redacted
/// as everywhere else it is shown.
fn place(seen: &Sighting) -> String {
    format!(
        "{}: {} line {}",
        seen.source,
        redact::urls_in(&seen.location),
        seen.line
    )
}

/// What follows the rule's name: the evidence of a containment rule (or
/// what `earlier-text` or `earlier-copy` means), the distance, whether the copy replaced
/// the stored text (` (contained: 9 of 10 paragraphs, shared lead), 14
/// bits apart`), and, for a merge, that the copy was a stored article that
/// left the feeds; empty when nothing is known beyond the rule.
pub fn why(fold: &FoldedCopy) -> String {
    let mut why = String::new();
    if fold.rule == EARLIER_TEXT {
        why.push_str(" (a text the article had before another copy replaced it)");
    }
    if fold.rule == EARLIER_COPY {
        why.push_str(" (the text of a copy folded into the article before, which kept its own)");
    }
    if let Some(evidence) = &fold.evidence {
        why.push_str(&format!(" ({evidence})"));
    }
    if let Some(distance) = fold.distance {
        why.push_str(&format!(
            ", {} apart",
            plural::count(distance, "bit", "bits")
        ));
    }
    if let Some(replaced) = &fold.replaced {
        why.push_str(&format!(", replaced the stored text ({replaced})"));
    }
    if fold.merged {
        why.push_str(MERGED);
    }
    why
}

/// What [`why`] adds for a merge.
const MERGED: &str = "; a merge: the copy was a stored article, published under its id until then, and left the feeds";

/// Three lines for one fold:
///
/// ```text
/// 2026-11-05T10:00:00Z  shared-paragraphs, 8 bits apart, replaced the stored text (longer)
///   copy  "Headline" tag:… from desk: dumps/b.txt line 12
///   into  "Headline" tag:… first seen in desk: dumps/a.txt line 1
/// ```
///
/// The containment rules add their evidence after the rule:
/// `contained (contained: 9 of 10 paragraphs, shared lead), 14 bits apart`.
/// A merge says so after the reason, and names the article merged, where
/// it was first seen:
///
/// ```text
/// 2026-11-05T10:00:00Z  shared-lead, 9 bits apart; a merge: the copy was a stored article, …
///   merged  "Headline" tag:… first seen in wire: dumps/b.txt line 12
///   into  "Headline" tag:… first seen in desk: dumps/a.txt line 1
/// ```
pub fn human_lines(fold: &FoldedCopy) -> String {
    let head = format!(
        "{}  {}{}",
        rfc3339(fold.seen.first_seen),
        fold.rule,
        why(fold)
    );
    let first_seen = fold
        .article_seen
        .as_ref()
        .map(|s| format!(" first seen in {}", place(s)))
        .unwrap_or_default();
    let (copy, from) = if fold.merged {
        ("merged", "first seen in")
    } else {
        ("copy", "from")
    };
    format!(
        "{head}\n  {copy}  \"{}\" {} {from} {}\n  into  \"{}\" {}{first_seen}",
        headline::shown(&fold.copy_title),
        fold.copy_id,
        place(&fold.seen),
        headline::shown(&fold.article_title),
        fold.article_id,
    )
}

/// The closing line: how many copies were folded into how many articles
/// (and how many of them were stored articles merged),
/// `since` the moment `--since` gave when it gave one.
pub fn summary(folds: &[FoldedCopy], since: Option<DateTime<Utc>>) -> String {
    let since = since
        .map(|since| format!(" since {}", rfc3339(since)))
        .unwrap_or_default();
    if folds.is_empty() {
        return format!("no copy was folded into another article{since}");
    }
    let articles: HashSet<&str> = folds.iter().map(|f| f.article_id.as_str()).collect();
    let merged = match folds.iter().filter(|f| f.merged).count() {
        0 => String::new(),
        1 => ", 1 of them a stored article merged".to_string(),
        n => format!(", {n} of them stored articles merged"),
    };
    format!(
        "{} cop{} folded into {} article{}{merged}{since}",
        folds.len(),
        if folds.len() == 1 { "y" } else { "ies" },
        articles.len(),
        if articles.len() == 1 { "" } else { "s" },
    )
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn fold(replaced: Option<&str>, first_seen: bool) -> FoldedCopy {
        let when = |h| Utc.with_ymd_and_hms(2026, 11, 5, h, 0, 0).unwrap();
        FoldedCopy {
            article_id: "tag:a".into(),
            article_title: "Tram Line Opens".into(),
            article_seen: first_seen.then(|| Sighting {
                source: "desk".into(),
                location: "dumps/a.txt".into(),
                line: 1,
                first_seen: when(9),
            }),
            copy_id: "tag:b".into(),
            copy_title: "Tram line opens - Metro".into(),
            rule: "shared-paragraphs".into(),
            distance: Some(8),
            replaced: replaced.map(str::to_string),
            evidence: None,
            seen: Sighting {
                source: "wire".into(),
                location: "dumps/b.txt".into(),
                line: 12,
                first_seen: when(10),
            },
            merged: false,
        }
    }

    #[test]
    fn human_lines_name_both_articles_the_rule_and_the_places() {
        assert_eq!(
            human_lines(&fold(Some("longer"), true)),
            "2026-11-05T10:00:00Z  shared-paragraphs, 8 bits apart, replaced the stored text (longer)\n  \
             copy  \"Tram line opens - Metro\" tag:b from wire: dumps/b.txt line 12\n  \
             into  \"Tram Line Opens\" tag:a first seen in desk: dumps/a.txt line 1"
        );
        let mut exact = fold(None, false);
        exact.rule = "same-link".into();
        exact.distance = None;
        assert!(
            human_lines(&exact).starts_with("2026-11-05T10:00:00Z  same-link\n"),
            "{}",
            human_lines(&exact)
        );
    }

    #[test]
    fn headlines_in_any_script_are_shown_as_stored_and_kept_on_their_line() {
        let mut other = fold(None, true);
        other.copy_title = "भारत में चुनाव: मतदान शुरू".into();
        other.article_title = "می\u{200c}خواهد شهر\nرا تغییر دهد".into();
        let shown = human_lines(&other);
        assert!(
            shown.contains("copy  \"भारत में चुनाव: मतदान शुरू\" tag:b"),
            "{shown}"
        );
        assert!(
            shown.contains("into  \"می\u{200c}خواهد شهر\\nرا تغییر دهد\" tag:a"),
            "{shown}"
        );
        assert_eq!(shown.lines().count(), 3, "{shown}");
    }

    #[test]
    fn json_lines_hold_every_field() {
        let value: serde_json::Value = serde_json::from_str(&json_line(&fold(None, true))).unwrap();
        assert_eq!(value["folded_at"], "2026-11-05T10:00:00Z");
        assert_eq!(value["rule"], "shared-paragraphs");
        assert_eq!(value["distance"], 8);
        assert_eq!(value["replaced"], serde_json::Value::Null);
        assert_eq!(value["copy"]["location"], "dumps/b.txt");
        assert_eq!(value["into"]["title"], "Tram Line Opens");
        assert_eq!(value["into"]["line"], 1);
        assert!(
            value.get("evidence").is_none(),
            "only the containment rules have it"
        );
        let unseen: serde_json::Value =
            serde_json::from_str(&json_line(&fold(None, false))).unwrap();
        assert_eq!(unseen["into"]["source"], serde_json::Value::Null);
    }

    #[test]
    fn a_distance_of_one_bit_is_singular() {
        let mut near = fold(None, false);
        near.distance = Some(1);
        assert_eq!(why(&near), ", 1 bit apart");
        near.distance = Some(0);
        assert_eq!(why(&near), ", 0 bits apart");
    }

    #[test]
    fn containment_folds_show_their_evidence() {
        let mut contained = fold(None, true);
        contained.rule = "shared-lead".into();
        contained.distance = Some(19);
        contained.evidence = Some("contained: 5 of 6 paragraphs, one new paragraph on top".into());
        assert!(
            human_lines(&contained).starts_with(
                "2026-11-05T10:00:00Z  shared-lead (contained: 5 of 6 paragraphs, one new paragraph on top), 19 bits apart\n"
            ),
            "{}",
            human_lines(&contained)
        );
        let value: serde_json::Value = serde_json::from_str(&json_line(&contained)).unwrap();
        assert_eq!(
            value["evidence"],
            "contained: 5 of 6 paragraphs, one new paragraph on top"
        );
    }

    #[test]
    fn a_repeat_of_an_earlier_text_says_so() {
        let mut earlier = fold(None, true);
        earlier.rule = EARLIER_TEXT.into();
        earlier.distance = Some(11);
        assert!(
            human_lines(&earlier).starts_with(
                "2026-11-05T10:00:00Z  earlier-text (a text the article had before another copy replaced it), 11 bits apart\n"
            ),
            "{}",
            human_lines(&earlier)
        );
        earlier.rule = EARLIER_COPY.into();
        assert!(
            human_lines(&earlier).starts_with(
                "2026-11-05T10:00:00Z  earlier-copy (the text of a copy folded into the article before, which kept its own), 11 bits apart\n"
            ),
            "{}",
            human_lines(&earlier)
        );
    }

    #[test]
    fn a_merge_says_the_copy_was_a_stored_article_that_left_the_feeds() {
        let mut merged = fold(None, true);
        merged.merged = true;
        assert_eq!(
            human_lines(&merged),
            "2026-11-05T10:00:00Z  shared-paragraphs, 8 bits apart; a merge: the copy was a stored \
             article, published under its id until then, and left the feeds\n  \
             merged  \"Tram line opens - Metro\" tag:b first seen in wire: dumps/b.txt line 12\n  \
             into  \"Tram Line Opens\" tag:a first seen in desk: dumps/a.txt line 1"
        );
        let value: serde_json::Value = serde_json::from_str(&json_line(&merged)).unwrap();
        assert_eq!(value["merged"], true);
        assert_eq!(value["copy"]["id"], "tag:b");
        assert_eq!(value["copy"]["title"], "Tram line opens - Metro");
        let folded: serde_json::Value =
            serde_json::from_str(&json_line(&fold(None, true))).unwrap();
        assert_eq!(folded["merged"], false, "a copy folded as it came");
        assert!(!human_lines(&fold(None, true)).contains("merge"));
        assert_eq!(
            summary(&[fold(None, true), merged.clone()], None),
            "2 copies folded into 1 article, 1 of them a stored article merged"
        );
        assert_eq!(
            summary(&[merged.clone(), merged], None),
            "2 copies folded into 1 article, 2 of them stored articles merged"
        );
    }

    #[test]
    fn places_that_are_urls_are_redacted() {
        let mut feed = fold(None, true);
        feed.seen.location = "https://bob:hunter2@news.example/wire.rss?key=s3cret".into();
        let shown = human_lines(&feed);
        assert!(
            shown.contains("from wire: https://news.example/wire.rss?key=*** line 12"),
            "{shown}"
        );
        let value: serde_json::Value = serde_json::from_str(&json_line(&feed)).unwrap();
        assert_eq!(
            value["copy"]["location"],
            "https://news.example/wire.rss?key=***"
        );
        assert_eq!(value["into"]["location"], "dumps/a.txt");
    }

    #[test]
    fn the_summary_counts_copies_and_articles() {
        assert_eq!(
            summary(&[], None),
            "no copy was folded into another article"
        );
        assert_eq!(
            summary(&[fold(None, true)], None),
            "1 copy folded into 1 article"
        );
        assert_eq!(
            summary(&[fold(None, true), fold(None, true)], None),
            "2 copies folded into 1 article"
        );
        let mut other = fold(None, true);
        other.article_id = "tag:c".into();
        assert_eq!(
            summary(&[fold(None, true), fold(None, true), other], None),
            "3 copies folded into 2 articles"
        );
    }

    #[test]
    fn the_summary_since_a_moment_counts_from_it() {
        let since = Utc.with_ymd_and_hms(2199, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(
            summary(&[], Some(since)),
            "no copy was folded into another article since 2199-01-01T00:00:00Z"
        );
        assert_eq!(
            summary(&[fold(None, true)], Some(since)),
            "1 copy folded into 1 article since 2199-01-01T00:00:00Z"
        );
    }
}

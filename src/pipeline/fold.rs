//! Folding one article: dedup fingerprints it, the store answers what it
//! holds under its keys (and, when nothing matched exactly, the
//! near-duplicate candidates), dedup decides, the store records the
//! decision. Every article of every source, pushed ones included, is folded
//! here, and each decision is logged: at debug what it was (new, or folded
//! into which article by which rule, distance and evidence), at trace
//! every near-duplicate candidate weighed.

use std::borrow::Cow;

use chrono::{DateTime, Duration, Utc};

use crate::dedup::near_rules::{self, NearConfig};
use crate::dedup::{self, CANDIDATES_PER_KEY, Candidate, Dates, Decision, Exact, Fingerprints};
use crate::ingest::source::KeptText;
use crate::model::Article;
use crate::normalize::fold;
use crate::store::{Decided, SourceWriter, StoreError};

/// What folding one article did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folded {
    pub decision: Decision,
    /// Whether the article was a copy seen at a new place and folded into
    /// another stored article (a fold `feedfold dups` lists).
    pub copy: bool,
}

/// Folds `article`, read from `source`, into the open transaction `writer`;
/// near-duplicates are judged with `near` (`None`: exact repeats only).
pub fn fold_article(
    writer: &mut dyn SourceWriter,
    source: &str,
    article: &Article,
    near: Option<&NearConfig>,
    now: DateTime<Utc>,
) -> Result<Folded, StoreError> {
    fold_article_keeping(writer, source, article, near, now, None)
}

/// As [`fold_article`], but a copy that would replace the text of a
/// stored article `kept` names is folded as a sighting of it instead (a
/// push never replaces an upstream feed entry's text): its decision keeps
/// the stored text, and is recorded so.
pub fn fold_article_keeping(
    writer: &mut dyn SourceWriter,
    source: &str,
    article: &Article,
    near: Option<&NearConfig>,
    now: DateTime<Utc>,
    kept: Option<&KeptText>,
) -> Result<Folded, StoreError> {
    let (article, ahead) = dated_no_later_than(article, now);
    let article = &*article;
    let fingerprints = Fingerprints::of(article, source);
    let known = writer.known(&fingerprints)?;
    if dedup::link_names_another_story(&fingerprints, &known, near) {
        tracing::warn!(
            source = %source,
            title = %article.title,
            "{}: its canonical link {} is another story's too (a section page): not folded by it",
            place(article),
            crate::redact::urls_in(fingerprints.canonical_link.as_deref().unwrap_or_default())
        );
    }
    let candidates = if dedup::wants_candidates(&fingerprints, &known, near) {
        writer.near_candidates(&fingerprints.near, CANDIDATES_PER_KEY)?
    } else {
        Vec::new()
    };
    if let Some(config) = near
        && tracing::enabled!(tracing::Level::TRACE)
    {
        trace_candidates(source, article, &fingerprints, &candidates, config);
    }
    let mut decision = dedup::decide(&fingerprints, &known, &candidates, near);
    if let Some(kept) = kept
        && decision.updates()
        && kept(decision.id())?
    {
        tracing::debug!(
            source = %source,
            title = %article.title,
            "{}: would replace the text of {}, which is kept: a sighting only",
            place(article),
            decision.id()
        );
        decision = decision.keeping_text();
    }
    log_decision(source, article, &decision);
    if let Some(date) = ahead {
        log_date_ahead(source, article, date, &decision);
    }
    let kept = dedup::replacing_headline(&article.title, &decision, &known, &candidates);
    // The stored prints describe the stored text: under the kept headline
    // their folded title is the stored story's, which the headline folds to.
    let kept_prints = kept.as_ref().map(|headline| {
        let mut prints = fingerprints.clone();
        prints.near.title = fold(headline);
        prints
    });
    let copy = writer.record(&Decided {
        article,
        headline: kept.as_deref().unwrap_or(&article.title),
        fingerprints: kept_prints.as_ref().unwrap_or(&fingerprints),
        decision: &decision,
        found_under: known.entry.as_ref().map(|entry| entry.key.as_str()),
        dates: Dates::of(article, now),
        now,
    })?;
    Ok(Folded { decision, copy })
}

/// How far ahead of the moment it is read an article's date may be: a
/// zone mistaken or left out puts a date up to 14 hours ahead.
const FUTURE_DATES_ALLOWED: Duration = Duration::days(1);

/// `article` with its dates that lie more than [`FUTURE_DATES_ALLOWED`]
/// after `now` left out, so it is dated when first seen, and the first
/// such date: a date days or years ahead (a wrong clock, an event's date
/// given as the entry's) would keep the entry above every newer one and
/// date the whole feed ahead, and an update date ahead would keep every
/// correction from replacing its text.
fn dated_no_later_than(
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

/// Logs that `article`'s `date` lay ahead and was left out: at warn when
/// it is stored or changes what is stored, at debug when it is seen again
/// (a source that keeps such an entry warns once, not every run).
fn log_date_ahead(source: &str, article: &Article, date: DateTime<Utc>, decision: &Decision) {
    let date = date.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let at = place(article);
    let message = "more than a day ahead of now: dated when first seen instead";
    // A warning about what a source holds, as the readers' are: `--quiet`
    // leaves it out with theirs.
    if matches!(decision, Decision::New { .. }) || decision.updates() {
        tracing::warn!(target: "feedfold::ingest::dates", source = %source, title = %article.title, "{at}: dated {date}, {message}");
    } else {
        tracing::debug!(target: "feedfold::ingest::dates", source = %source, title = %article.title, "{at}: dated {date}, {message}");
    }
}

/// Logs, at trace, how each near-duplicate candidate compared.
fn trace_candidates(
    source: &str,
    article: &Article,
    fingerprints: &Fingerprints,
    candidates: &[Candidate],
    config: &NearConfig,
) {
    let at = place(article);
    tracing::trace!(
        source = %source,
        title = %article.title,
        candidates = candidates.len(),
        "{at}: near-duplicate candidates"
    );
    for candidate in candidates {
        let verdict = near_rules::compare(&fingerprints.near, &candidate.prints, config);
        tracing::trace!(
            source = %source,
            candidate = %candidate.id,
            rule = verdict.rule.as_str(),
            same = verdict.is_same(),
            distance = verdict.distance,
            headline_similarity = verdict.similarity,
            shared = verdict.shared,
            "{at}: candidate weighed"
        );
    }
}

/// Logs, at debug, what was decided for one article.
fn log_decision(source: &str, article: &Article, decision: &Decision) {
    if !tracing::enabled!(tracing::Level::DEBUG) {
        return;
    }
    let at = place(article);
    let title = &article.title;
    match decision {
        Decision::New { id } => {
            tracing::debug!(source = %source, %title, "{at}: new article {id}")
        }
        Decision::Repeat {
            id,
            by: Exact::Entry,
        } => tracing::debug!(source = %source, %title, "{at}: upstream entry seen again: {id}"),
        Decision::Update { id } => {
            tracing::debug!(source = %source, %title, "{at}: upstream entry changed: {id} updated")
        }
        folded => {
            let Some(reason) = folded.fold_reason() else {
                return;
            };
            let distance = reason
                .distance
                .map_or_else(String::new, |d| format!(", distance {d}"));
            let evidence = reason
                .evidence
                .map_or_else(String::new, |e| format!(", {e}"));
            let replaced = reason
                .update
                .map_or_else(String::new, |u| format!(", replaces it ({})", u.as_str()));
            tracing::debug!(
                source = %source,
                %title,
                "{at}: folded into {} by {}{distance}{evidence}{replaced}",
                folded.id(),
                reason.rule
            );
        }
    }
}

/// Where an article was read, as logs show it (URLs redacted).
fn place(article: &Article) -> String {
    let at = format!("{}:{}", article.origin.location, article.origin.line);
    crate::redact::urls_in(&at).into_owned()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
    }

    #[test]
    fn dates_more_than_a_day_ahead_are_left_out_and_the_rest_kept() {
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
        assert_eq!(Dates::of(&dated, now).published, now);
    }
}

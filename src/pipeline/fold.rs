//! Folding one article: dedup fingerprints it, the store answers what it
//! holds under its keys (and, when nothing matched exactly, the
//! near-duplicate candidates), dedup decides, the store records the
//! decision. Every article of every source, pushed ones included, is folded
//! here, and each decision is logged: at debug what it was (new, or folded
//! into which article by which rule, distance and evidence), at trace
//! every near-duplicate candidate weighed.

use chrono::{DateTime, Utc};

use crate::dedup::near_rules::{self, NearConfig};
use crate::dedup::refold::{self, Unmerge};
use crate::dedup::regroup;
use crate::dedup::{
    self, CANDIDATES_PER_KEY, Candidate, Dates, Decision, Exact, Fingerprints, Known,
};
use crate::ingest::date::dated_no_later_than;
use crate::ingest::source::KeptText;
use crate::model::Article;
use crate::normalize::{canonical_url, fold};
use crate::store::{Decided, Recorded, SourceWriter, StoreError};

/// What folding one article did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folded {
    pub decision: Decision,
    /// Whether the article was a copy seen at a new place and folded into
    /// another stored article (a fold `feedfold dups` lists).
    pub copy: bool,
    /// Whether the copy filled in what the stored article lacked (a link,
    /// authors, media files, captions, a date) without replacing its text.
    pub filled: bool,
    /// Whether the copy, an edited upstream entry whose text does not
    /// replace its own article's (its page now gives less, or failed),
    /// gave the article its edited headline, summary or categories, or
    /// whether a copy of the article's text dated later corrected its
    /// captions: an update of the article, which keeps its text.
    pub edited: bool,
    /// Whether the copy, folded without replacing the stored text, showed
    /// that text to open with a local intro over the story
    /// ([`near_rules::shows_local_intro`]), which the article's prints now
    /// say: it is then weighed again, as against the story under its intro.
    pub marked_intro: bool,
    /// Whether the article, an upstream entry merged into another story,
    /// gave its own story again, and the merge was undone first
    /// (`restore_own_story`): the article is stored again under its id.
    pub restored: bool,
}

impl Folded {
    /// Whether the stored article was updated: its text replaced, or its
    /// own entry's edits landed over the text it keeps.
    pub fn updates(&self) -> bool {
        self.decision.updates() || self.edited
    }
}

/// Folds `article`, read from `source`, into the open transaction `writer`;
/// near-duplicates are judged with `near` (`None`: exact repeats only).
/// `now` is when it arrived (the fetch it came from began): what it is
/// dated when it gives no date.
pub fn fold_article(
    writer: &mut dyn SourceWriter,
    source: &str,
    article: &Article,
    near: Option<&NearConfig>,
    now: DateTime<Utc>,
) -> Result<Folded, StoreError> {
    fold_article_keeping(writer, source, article, near, now, None, None)
}

/// As [`fold_article`], but a copy that would replace the text of a
/// stored article `kept` names is folded as a sighting of it instead (a
/// push never replaces an upstream feed entry's text): its decision keeps
/// the stored text, and is recorded so. An article read from the page at
/// the http(s) URL `page` whose canonical link names another stored story
/// (a section page) takes that URL as its link, and a full-text entry
/// matched on the link its page gives ([`Article::page_link`]) is matched
/// on its own then.
pub fn fold_article_keeping(
    writer: &mut dyn SourceWriter,
    source: &str,
    article: &Article,
    near: Option<&NearConfig>,
    now: DateTime<Utc>,
    kept: Option<&KeptText>,
    page: Option<&str>,
) -> Result<Folded, StoreError> {
    let given = article;
    let (mut article, ahead) = dated_no_later_than(article, now);
    let mut fingerprints = Fingerprints::of(&article, source).named(writer.former_names());
    let mut known = writer.known(&fingerprints)?;
    let restored = restore_own_story(writer, source, &article, &fingerprints, &known, near)?;
    if restored {
        known = writer.known(&fingerprints)?;
    }
    let reused = known
        .entry
        .as_ref()
        .filter(|_| dedup::entry_tells_another_story(&fingerprints, &known, near))
        .map(|entry| (entry.key.clone(), entry.id.clone()));
    if reused.is_some()
        || dedup::link_key_names_another_story(&article, &fingerprints, &known, near)
    {
        // Known by its content then, as entries sharing a link and no id
        // within one document are: its key (and its link, for an entry
        // keyed by it) still names no story.
        article.to_mut().upstream_key = None;
        fingerprints = Fingerprints::of(&article, source).named(writer.former_names());
        known = writer.known(&fingerprints)?;
    }
    if dedup::link_names_another_story(&fingerprints, &known, near) {
        // A full-text entry whose page gives another link is matched on
        // its own link then; a page read at its URL takes that URL.
        let entry_link = given.link.as_deref().filter(|_| given.page_link.is_some());
        let own = entry_link.or(page).filter(|url| {
            let own = canonical_url(url);
            own.is_some() && own != fingerprints.canonical_link
        });
        if reused.is_none() {
            log_link_not_folded_by(source, &article, &fingerprints, &known, own);
        }
        if let Some(url) = own {
            let copy = article.to_mut();
            copy.page_link = None;
            copy.link = Some(url.to_string());
            fingerprints = Fingerprints::of(&article, source).named(writer.former_names());
            known = writer.known(&fingerprints)?;
        }
    }
    let article = &*article;
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
    if let Some(config) = near {
        decision = regroup::named_when_regrouped(
            article,
            &fingerprints.near,
            decision,
            &candidates,
            config,
        );
    }
    if let (Decision::New { .. }, Some(config)) = (&decision, near)
        && let Some(regrouped) =
            regrouped_copy(writer, article, &fingerprints, &candidates, config)?
    {
        decision = regrouped;
    }
    if let Some(config) = near {
        decision =
            without_republication_note(writer, &fingerprints, decision, &candidates, config)?;
    }
    if let Some((key, folded_into)) = &reused {
        tracing::debug!(
            source = %source,
            title = %article.title,
            "{}: upstream entry {} now gives a text that shares no paragraph with {folded_into}, the story it was folded into (its feed reusing the entry for another story): known by its content, as {}",
            place(article),
            crate::redact::urls_in(key),
            decision.id(),
        );
    }
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
    if let Some(date) = ahead {
        log_date_ahead(source, given, article, date, &decision);
    }
    let kept = dedup::replacing_headline(&article.title, &decision, &known, &candidates);
    // The stored prints describe the stored text: under the kept headline
    // their folded title is the stored story's, which the headline folds to.
    let kept_prints = kept.as_ref().map(|headline| {
        let mut prints = fingerprints.clone();
        prints.near.title = fold(headline);
        prints
    });
    let marked_intro = shows_local_intro(&fingerprints, &decision, &candidates, near);
    let another_copy = decision.folds_at_a_known_place(&fingerprints, &known);
    let recorded = writer.record(&Decided {
        article,
        headline: kept.as_deref().unwrap_or(&article.title),
        fingerprints: kept_prints.as_ref().unwrap_or(&fingerprints),
        decision: &decision,
        found_under: known.entry.as_ref().map(|entry| entry.key.as_str()),
        dates: Dates::of(article, now),
        now,
        shows_local_intro: marked_intro,
        page_read: page.is_some(),
        another_copy,
    })?;
    // Logged once recorded, by the rule the fold was recorded with, the
    // one `dups` names.
    log_decision(source, article, &decision, recorded);
    Ok(Folded {
        decision,
        copy: recorded.fold.is_some(),
        filled: recorded.filled,
        edited: recorded.edited,
        marked_intro,
        restored,
    })
}

/// Undoes the merge that took the stored article of the upstream entry
/// `fingerprints` describe into the story its key leads to now (`known`),
/// when the entry gives its own story again
/// ([`refold::gives_own_story_again`]: a feed showed another entry's text
/// under the entry for a while, and the two were merged) under a link that
/// is not the story's own: the store restores the article, its key leading
/// to it again. Whether it did.
fn restore_own_story(
    writer: &mut dyn SourceWriter,
    source: &str,
    article: &Article,
    fingerprints: &Fingerprints,
    known: &Known,
    near: Option<&NearConfig>,
) -> Result<bool, StoreError> {
    let Some(entry) = known
        .entry
        .as_ref()
        .filter(|entry| !fingerprints.entry_ids.contains(&entry.id))
    else {
        return Ok(false);
    };
    for own in &fingerprints.entry_ids {
        let Some(own_text) = writer.merged_away(own)? else {
            continue;
        };
        // Should an article be stored under its id again meanwhile, it stays.
        if writer.settled(own)?.is_some() {
            return Ok(false);
        }
        let Some(story) = writer.settled(&entry.id)? else {
            return Ok(false);
        };
        // An entry that gives the story's own link is that story by its
        // link (a teaser merged with the story it links to), whatever its
        // text.
        let gives_the_storys_link = fingerprints.canonical_link.is_some()
            && story.link.as_deref().and_then(canonical_url) == fingerprints.canonical_link;
        if gives_the_storys_link
            || !refold::gives_own_story_again(&fingerprints.near, &story.prints, &own_text, near)
        {
            return Ok(false);
        }
        let unmerge = Unmerge {
            absorbed: own.clone(),
            survivor: entry.id.clone(),
            entry_key: entry.key.clone(),
        };
        if !writer.unmerge(&unmerge)? {
            return Ok(false);
        }
        tracing::debug!(
            source = %source,
            title = %article.title,
            "{}: upstream entry {} gives its own story again, no copy of {}, the story it was merged into: the merge is undone, {own} restored",
            place(article),
            crate::redact::urls_in(&entry.key),
            entry.id,
        );
        return Ok(true);
    }
    Ok(false)
}

/// `decision`, a copy folded into a candidate without replacing its text,
/// made to replace it when the stored text is the copy's with a
/// republisher's note ([`near_rules::original_of_republished`]): the
/// stored article is read again for its paragraphs' text only when it is
/// longer than the copy by no more than a note's words.
fn without_republication_note(
    writer: &mut dyn SourceWriter,
    fingerprints: &Fingerprints,
    decision: Decision,
    candidates: &[Candidate],
    config: &NearConfig,
) -> Result<Decision, StoreError> {
    let Decision::Near {
        id,
        rule,
        distance,
        update: None,
        evidence,
    } = decision
    else {
        return Ok(decision);
    };
    let new = &fingerprints.near;
    let maybe_noted = !new.republished()
        && candidates.iter().any(|c| {
            c.id == id
                && c.prints.words > new.words
                && (c.prints.words - new.words) as usize <= near_rules::MAX_NOTE_WORDS
        });
    let original = maybe_noted
        && writer
            .settled(&id)?
            .is_some_and(|stored| near_rules::original_of_republished(new, &stored.prints, config));
    Ok(Decision::Near {
        id,
        rule,
        distance,
        update: original.then_some(near_rules::Update::Original),
        evidence,
    })
}

/// Whether the copy `fingerprints` describes, folded by `decision` into a
/// candidate without replacing its text, is that candidate's text without
/// its first paragraph: a local intro ([`near_rules::shows_local_intro`]).
fn shows_local_intro(
    fingerprints: &Fingerprints,
    decision: &Decision,
    candidates: &[Candidate],
    near: Option<&NearConfig>,
) -> bool {
    let (
        Decision::Near {
            id, update: None, ..
        },
        Some(config),
    ) = (decision, near)
    else {
        return false;
    };
    candidates
        .iter()
        .find(|c| &c.id == id)
        .is_some_and(|c| near_rules::shows_local_intro(&fingerprints.near, &c.prints, config))
}

/// What `article`, found new, is when weighed again with its paragraphs
/// regrouped as a candidate's ([`regroup::decide_regrouped`]): the
/// candidates its own keys found, then, when none is a copy so, those its
/// opening finds however the story is paragraphed
/// ([`regroup::opening_probes`]) that were not weighed already.
fn regrouped_copy(
    writer: &mut dyn SourceWriter,
    article: &Article,
    fingerprints: &Fingerprints,
    candidates: &[Candidate],
    config: &NearConfig,
) -> Result<Option<Decision>, StoreError> {
    let own = &fingerprints.near;
    let mut opening = regroup::Opening::of(article);
    if let Some(decision) =
        regroup::decide_regrouped(article, &mut opening, own, candidates, &[], config)
    {
        return Ok(Some(decision));
    }
    let keys = regroup::opening_probes(article, &mut opening);
    if keys.is_empty() {
        return Ok(None);
    }
    let mut probed = writer.candidates_under(&keys, regroup::PROBED_PER_KEY)?;
    probed.retain(|found| {
        !candidates
            .iter()
            .any(|c| c.id == found.id && regroup::weighed_when_found(own, c))
    });
    Ok(regroup::decide_regrouped(
        article,
        &mut opening,
        own,
        &[],
        &probed,
        config,
    ))
}

/// Logs that `article`'s canonical link is another stored article's that
/// tells another story, so the copy is not folded by it: at debug when
/// the two give other media files (a podcast's or a bulletin's episodes,
/// each linking to the show's page, as such feeds do), else at warn (a
/// template giving a section page as every story's canonical link), saying
/// when a fetched page takes `own`, its URL, as its link instead.
fn log_link_not_folded_by(
    source: &str,
    article: &Article,
    fingerprints: &Fingerprints,
    known: &dedup::Known,
    own: Option<&str>,
) {
    let link = crate::redact::urls_in(fingerprints.canonical_link.as_deref().unwrap_or_default());
    let episodes = known
        .stored_prints
        .as_ref()
        .is_some_and(|stored| near_rules::other_media(&fingerprints.near, stored));
    if episodes {
        tracing::debug!(
            source = %source,
            title = %article.title,
            "{}: its canonical link {link} is another item's too, over other media files: not folded by it",
            place(article),
        );
    } else {
        tracing::warn!(
            source = %source,
            title = %article.title,
            "{}: its canonical link {link} is another story's too (a section page): not folded by it{}",
            place(article),
            own.map(|url| format!("; its own URL {} is its link", crate::redact::urls_in(url)))
                .unwrap_or_default()
        );
    }
}

/// Logs that a date of `given` lay ahead (the first such, `date`) and was
/// left out, as `article` is dated now: at warn when it is stored or
/// changes what is stored, at debug when it is seen again (a source that
/// keeps such an entry warns once, not every run).
fn log_date_ahead(
    source: &str,
    given: &Article,
    article: &Article,
    date: DateTime<Utc>,
    decision: &Decision,
) {
    let at = place(article);
    let message = date_ahead(given, article, date);
    // A warning about what a source holds, as the readers' are: `--quiet`
    // leaves it out with theirs.
    if matches!(decision, Decision::New { .. }) || decision.updates() {
        tracing::warn!(target: "feedfold::ingest::dates", source = %source, title = %article.title, "{at}: {message}");
    } else {
        tracing::debug!(target: "feedfold::ingest::dates", source = %source, title = %article.title, "{at}: {message}");
    }
}

/// What leaving out `date`, ahead, did to `given`, dated as `kept`: an
/// update date ahead of a publication date that stands is only left out
/// (`updated 2031-06-01T10:00:00Z, …: update date left out, its
/// publication date stands`); a publication date ahead gives way to the
/// update date when that stands, else to when the article was first seen.
fn date_ahead(given: &Article, kept: &Article, date: DateTime<Utc>) -> String {
    let date = date.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let ahead = "more than a day ahead of now";
    if given.published.is_some() && kept.published.is_some() {
        format!("updated {date}, {ahead}: update date left out, its publication date stands")
    } else if kept.updated.is_some() {
        format!("dated {date}, {ahead}: dated by its update date instead")
    } else {
        format!("dated {date}, {ahead}: dated when first seen instead")
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

/// Logs, at debug, what was decided for one article: a fold by the reason
/// it was `recorded` with (the rule `dups` names), else by the decision's;
/// an edited entry whose text replaces nothing with whether its edits
/// landed.
fn log_decision(source: &str, article: &Article, decision: &Decision, recorded: Recorded) {
    if !tracing::enabled!(tracing::Level::DEBUG) {
        return;
    }
    let edited = recorded.edited;
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
        Decision::Repeat {
            id,
            by: Exact::EditedEntry,
        } => tracing::debug!(
            source = %source,
            %title,
            "{at}: upstream entry changed, its text does not replace {id}'s (neither extends it nor is about as long): a sighting{}",
            if edited { ", its headline, summary or categories edited" } else { "" }
        ),
        Decision::Update { id } => {
            tracing::debug!(source = %source, %title, "{at}: upstream entry changed: {id} updated")
        }
        Decision::EditedCopy { id, update } => tracing::debug!(
            source = %source,
            %title,
            "{at}: upstream entry changed, a copy folded into {id}: replaces its text ({})",
            update.as_str()
        ),
        folded => {
            let Some(reason) = recorded.fold.or_else(|| folded.fold_reason()) else {
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

    fn at(year: i32) -> Option<DateTime<Utc>> {
        Some(Utc.with_ymd_and_hms(year, 6, 1, 10, 0, 0).unwrap())
    }

    /// The warning for a date ahead, for an article published and updated
    /// as given, read in 2026.
    fn warning(published: Option<DateTime<Utc>>, updated: Option<DateTime<Utc>>) -> String {
        let given = Article {
            title: "Pier repairs to finish before summer season".into(),
            published,
            updated,
            ..Default::default()
        };
        let now = Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 0).unwrap();
        let (kept, ahead) = dated_no_later_than(&given, now);
        date_ahead(&given, &kept, ahead.expect("a date ahead"))
    }

    #[test]
    fn a_date_ahead_is_told_by_what_dates_the_article_instead() {
        assert_eq!(
            warning(at(2026), at(2031)),
            "updated 2031-06-01T10:00:00Z, more than a day ahead of now: \
             update date left out, its publication date stands"
        );
        assert_eq!(
            warning(at(2031), at(2026)),
            "dated 2031-06-01T10:00:00Z, more than a day ahead of now: \
             dated by its update date instead"
        );
        for (published, updated) in [(at(2031), None), (None, at(2031)), (at(2031), at(2032))] {
            assert_eq!(
                warning(published, updated),
                "dated 2031-06-01T10:00:00Z, more than a day ahead of now: \
                 dated when first seen instead"
            );
        }
    }
}

//! Weighing again, before a source's transaction commits, each stored
//! article whose text it replaced, or that a copy showed to open with a
//! local intro: the text is looked up as an incoming copy is (the
//! near-duplicate index, then the same rules, the intro no paragraph of its
//! own), and a stored article it is now another copy of is merged with it
//! ([`crate::dedup::refold`] decides, the store merges). Each changed
//! article is weighed once, and the survivor of each merge once more: it
//! may hold another stored copy too (a second cut copy, or one under the
//! local intro the merge showed); each merge takes an article out of the
//! store, so this ends. Each stored article a fold
//! gave a link (or filled in what else it lacked, or replaced the text
//! of), and each survivor of a merge, is then weighed once against the
//! other stored article its canonical link leads to ([`merge_by_link`]).

use chrono::{DateTime, Utc};

use crate::dedup::CANDIDATES_PER_KEY;
use crate::dedup::near_rules::NearConfig;
use crate::dedup::refold::{self, Merge};
use crate::ingest::source::KeptText;
use crate::normalize::canonical_url;
use crate::store::{SourceWriter, StoreError};

/// Weighs the stored article `id`, whose text changed (or that was shown
/// to open with a local intro), against the other
/// stored articles, and merges it with the one it is now a copy of, if
/// any, at `now`; the merge made. An article no longer stored (merged
/// into another since) is left alone. A survivor whose text `kept` names
/// keeps it, as a fold into it would ([`super::fold::fold_article_keeping`]):
/// a push never replaces an upstream entry's text, by a merge either.
pub fn refold_article(
    writer: &mut dyn SourceWriter,
    source: &str,
    id: &str,
    near: &NearConfig,
    now: DateTime<Utc>,
    kept: Option<&KeptText>,
) -> Result<Option<Merge>, StoreError> {
    let Some(changed) = writer.settled(id)? else {
        return Ok(None);
    };
    let candidates = writer.near_candidates(&changed.prints, CANDIDATES_PER_KEY)?;
    let Some((i, verdict)) = refold::same_story(&changed, &candidates, near) else {
        return Ok(None);
    };
    let Some(other) = writer.settled(&candidates[i].id)? else {
        return Ok(None);
    };
    let merge = refold::merge(&changed, &other, &verdict, near);
    carry_out(
        writer,
        source,
        merge,
        now,
        kept,
        "its text changed, or a copy showed its opening to be a local intro",
    )
    .map(Some)
}

/// Weighs the stored article `id`, which a fold gave a link, authors or
/// media files it lacked or a new text, against the other stored article
/// its canonical link leads to, and merges the two when the link says they
/// are one article ([`refold::link_merge`]: a teaser of the story filed
/// under the link before the story gained it), at `now`; the merge made.
/// An article no longer stored, or with no link of its own, is left alone;
/// `kept` is as for [`refold_article`].
pub fn merge_by_link(
    writer: &mut dyn SourceWriter,
    source: &str,
    id: &str,
    near: &NearConfig,
    now: DateTime<Utc>,
    kept: Option<&KeptText>,
) -> Result<Option<Merge>, StoreError> {
    let Some(changed) = writer.settled(id)? else {
        return Ok(None);
    };
    let Some(link) = changed.link.as_deref().and_then(canonical_url) else {
        return Ok(None);
    };
    let Some(other) = writer
        .filed_under_link(&link)?
        .filter(|other| *other != changed.id)
    else {
        return Ok(None);
    };
    let Some(other) = writer.settled(&other)? else {
        return Ok(None);
    };
    let Some(merge) = refold::link_merge(&changed, &other, near) else {
        return Ok(None);
    };
    carry_out(writer, source, merge, now, kept, "it gained a link").map(Some)
}

/// Merges the two articles of `merge` at `now`, `why` they were weighed
/// again; a survivor whose text `kept` names keeps it
/// ([`Merge::keeping_text`]).
fn carry_out(
    writer: &mut dyn SourceWriter,
    source: &str,
    mut merge: Merge,
    now: DateTime<Utc>,
    kept: Option<&KeptText>,
    why: &str,
) -> Result<Merge, StoreError> {
    if let Some(kept) = kept
        && merge.takes_text()
        && kept(&merge.survivor)?
    {
        tracing::debug!(
            source = %source,
            "article {}'s text would replace that of {}, which is kept: the merge keeps it",
            merge.absorbed,
            merge.survivor
        );
        merge = merge.keeping_text();
    }
    writer.merge(&merge, now)?;
    tracing::debug!(
        source = %source,
        "article {} merged into {}: {why}, and the two are one story by {}{}{}",
        merge.absorbed,
        merge.survivor,
        merge.reason.rule,
        merge
            .reason
            .evidence
            .map_or_else(String::new, |e| format!(" ({e})")),
        merge
            .reason
            .update
            .map_or_else(String::new, |u| format!(", its text replaces the survivor's ({})", u.as_str())),
    );
    Ok(merge)
}

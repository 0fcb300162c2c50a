//! Weighing again, before a source's transaction commits, each stored
//! article whose text it replaced, or that a copy showed to open with a
//! local intro: the text is looked up as an incoming copy is (the
//! near-duplicate index, then the same rules, the intro no paragraph of its
//! own), and a stored article it is now another copy of is merged with it
//! ([`crate::dedup::refold`] decides, the store merges), unless the two are
//! entries of the source each stored as an article of its own
//! (`own_entry_article`), which its feed tells apart. Each changed
//! article is weighed once, merged at most once: a merge brings no text
//! that was not weighed already (the survivor keeps its own, or takes the
//! one just looked up), so nothing cascades; a survivor the merge showed
//! to open with a local intro is weighed once more. Each stored article a fold
//! gave a link (or filled in what else it lacked, or replaced the text
//! of), and each survivor of a merge, is then weighed once against the
//! other stored article its canonical link leads to ([`merge_by_link`]).

use chrono::{DateTime, Utc};

use crate::dedup::CANDIDATES_PER_KEY;
use crate::dedup::fingerprint::entry_id;
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
    if own_entry_article(writer, source, &changed.id)?
        && own_entry_article(writer, source, &other.id)?
    {
        tracing::debug!(
            source = %source,
            "article {} now gives the text of {}, but each is an entry of its own of the source: \
             the two stay apart",
            changed.id,
            other.id
        );
        return Ok(None);
    }
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

/// Whether the stored article `id` is an entry of `source` stored as an
/// article of its own: an entry of the source leads to it, and `id` is the
/// one that entry was stored under ([`entry_id`], by the source's name or
/// a former one). Two such articles are two entries of one feed, each
/// under its own id and link, which the feed tells apart: one that shows
/// the other's text for a while (a content system's glitch, a wrong paste
/// fixed minutes later) is not merged into it, so when it gives its own
/// story again both stories are still published.
fn own_entry_article(
    writer: &mut dyn SourceWriter,
    source: &str,
    id: &str,
) -> Result<bool, StoreError> {
    let names: Vec<String> = std::iter::once(source.to_string())
        .chain(writer.former_names().iter().cloned())
        .collect();
    Ok(writer
        .entry_keys_of(id)?
        .iter()
        .any(|key| names.iter().any(|name| entry_id(name, key) == id)))
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

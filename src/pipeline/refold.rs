//! Weighing again, before a source's transaction commits, each stored
//! article whose text it replaced: the new text is looked up as an
//! incoming copy is (the near-duplicate index, then the same rules), and a
//! stored article it is now another copy of is merged with it
//! ([`crate::dedup::refold`] decides, the store merges). Each changed
//! article is weighed once, merged at most once: a merge brings no text
//! that was not weighed already (the survivor keeps its own, or takes the
//! one just looked up), so nothing cascades.

use chrono::{DateTime, Utc};

use crate::dedup::CANDIDATES_PER_KEY;
use crate::dedup::near_rules::NearConfig;
use crate::dedup::refold::{self, Merge};
use crate::ingest::source::KeptText;
use crate::store::{SourceWriter, StoreError};

/// Weighs the stored article `id`, whose text changed, against the other
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
    let mut merge = refold::merge(&changed, &other, &verdict, near);
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
        "article {} merged into {}: its text changed, and the two are one story by {}{}{}",
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
    Ok(Some(merge))
}

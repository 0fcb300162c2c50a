//! Folding one article: dedup fingerprints it, the store answers what it
//! holds under its keys (and, when nothing matched exactly, the
//! near-duplicate candidates), dedup decides, the store records the
//! decision. Every article of every source, pushed ones included, is folded
//! here.

use chrono::{DateTime, Utc};

use crate::dedup::near_rules::NearConfig;
use crate::dedup::{self, CANDIDATES_PER_KEY, Dates, Decision, Fingerprints};
use crate::model::Article;
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
    let fingerprints = Fingerprints::of(article, source);
    let known = writer.known(&fingerprints)?;
    let candidates = if dedup::wants_candidates(&known, near) {
        writer.near_candidates(&fingerprints.near, CANDIDATES_PER_KEY)?
    } else {
        Vec::new()
    };
    let decision = dedup::decide(&fingerprints, &known, &candidates, near);
    let copy = writer.record(&Decided {
        article,
        fingerprints: &fingerprints,
        decision: &decision,
        dates: Dates::of(article, now),
        now,
    })?;
    Ok(Folded { decision, copy })
}

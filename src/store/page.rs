//! Paging through the stored articles, newest first, for the articles
//! page: the walk both backends share. A backend answers the few queries of
//! [`PageQueries`], each along an index on `(published, seq)`, so a page
//! costs the same however many articles the store holds.

use std::collections::HashMap;

use super::{ArticlePage, FoldedArticle, FoldedCopy, PageStart, Sighting, StoreError};
use crate::model::StoredArticle;

/// Where an article sits in the walk: its `published` (Unix seconds) and
/// its number in the order stored. Newer is greater.
pub(crate) type Position = (i64, i64);

/// Articles as a walk finds them, each with its position.
pub(crate) type Walked = Vec<(Position, StoredArticle)>;

/// What a backend answers for [`article_page`].
pub(crate) trait PageQueries {
    /// The position of the article `id`, when it is stored.
    fn position(&mut self, id: &str) -> Result<Option<Position>, StoreError>;

    /// At most `n` articles at or before `from`, newest first.
    fn at_or_older(&mut self, from: Position, n: usize) -> Result<Walked, StoreError>;

    /// At most `n` articles after `after`, oldest first.
    fn newer(&mut self, after: Position, n: usize) -> Result<Walked, StoreError>;

    /// Every place each of the articles numbered `seqs` was seen, first
    /// seen first.
    fn sightings(&mut self, seqs: &[i64]) -> Result<HashMap<i64, Vec<Sighting>>, StoreError>;

    /// Every copy folded into the articles numbered `seqs`, oldest first,
    /// each with the number of its article (`article_seen` left empty).
    fn folds(&mut self, seqs: &[i64]) -> Result<Vec<(i64, FoldedCopy)>, StoreError>;
}

/// A page of at most `limit` articles from `start`: see
/// [`super::Store::article_page`].
pub(crate) fn article_page(
    queries: &mut dyn PageQueries,
    start: PageStart,
    limit: usize,
) -> Result<Option<ArticlePage>, StoreError> {
    let limit = limit.max(1);
    let (rows, newer, older) = match start {
        PageStart::Newest => {
            let (rows, older) = older_page(queries, (i64::MAX, i64::MAX), limit)?;
            (rows, false, older)
        }
        PageStart::From(id) => {
            let Some(from) = queries.position(id)? else {
                return Ok(None);
            };
            let (rows, older) = older_page(queries, from, limit)?;
            let newer = !queries.newer(from, 1)?.is_empty();
            (rows, newer, older)
        }
        PageStart::NewerThan(id) => {
            let Some(after) = queries.position(id)? else {
                return Ok(None);
            };
            let mut rows = queries.newer(after, limit + 1)?;
            let newer = rows.len() > limit;
            rows.truncate(limit);
            rows.reverse();
            (rows, newer, Some(id.to_string()))
        }
    };
    let seqs: Vec<i64> = rows.iter().map(|((_, seq), _)| *seq).collect();
    let (mut sightings, mut folds) = if seqs.is_empty() {
        (HashMap::new(), HashMap::new())
    } else {
        let sightings = queries.sightings(&seqs)?;
        let mut folds: HashMap<i64, Vec<FoldedCopy>> = HashMap::new();
        for (seq, mut fold) in queries.folds(&seqs)? {
            fold.article_seen = sightings.get(&seq).and_then(|s| s.first().cloned());
            folds.entry(seq).or_default().push(fold);
        }
        (sightings, folds)
    };
    let articles = rows
        .into_iter()
        .map(|((_, seq), article)| FoldedArticle {
            article,
            sightings: sightings.remove(&seq).unwrap_or_default(),
            folds: folds.remove(&seq).unwrap_or_default(),
        })
        .collect();
    Ok(Some(ArticlePage {
        articles,
        newer,
        older,
    }))
}

/// The page at or before `from`, and the id the page after it starts at.
fn older_page(
    queries: &mut dyn PageQueries,
    from: Position,
    limit: usize,
) -> Result<(Walked, Option<String>), StoreError> {
    let mut rows = queries.at_or_older(from, limit + 1)?;
    let older = (rows.len() > limit).then(|| rows[limit].1.id.clone());
    rows.truncate(limit);
    Ok((rows, older))
}

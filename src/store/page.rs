//! Paging through the stored articles, newest first, for the articles
//! page: the walk both backends share. It follows the order of the feeds
//! ([`super::Store::feed_entries`]): newest `published` first, of equal
//! dates the one first seen last first, and those first seen in the same
//! second in the order stored. A backend answers the [`Run`]s of
//! [`PageQueries`], each along an index on `(published, first_seen, seq)`,
//! so a page costs the same however many articles the store holds.

use std::collections::HashMap;

use super::{
    ArticlePage, FeedPosition, FoldedArticle, FoldedCopy, PageStart, Sighting, StoreError,
};
use crate::model::StoredArticle;

/// Articles as a run finds them, each with its number in the order stored.
pub(crate) type Walked = Vec<(i64, StoredArticle)>;

/// Which way a walk goes from a position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Way {
    /// Down the order of the feeds, from the position itself on.
    Older,
    /// Up the order of the feeds, from the article before the position,
    /// so the nearest first.
    Newer,
}

/// One stretch of a walk from a position, which one index seek answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Run {
    /// The articles of the position's date first seen in its second: down
    /// from its number (`seq >=`, order stored) or up from the one before
    /// it (`seq <`, the last stored first).
    SameSecond(Way),
    /// The articles of the position's date first seen before its second
    /// (older), or after it (newer).
    SameDate(Way),
    /// The articles of older dates, or of newer ones.
    OtherDates(Way),
}

impl Run {
    /// The runs a walk `way` takes, in turn.
    fn all(way: Way) -> [Run; 3] {
        [
            Run::SameSecond(way),
            Run::SameDate(way),
            Run::OtherDates(way),
        ]
    }
}

/// What a backend answers for [`article_page`].
pub(crate) trait PageQueries {
    /// The position of the article `id`, when it is stored.
    fn position(&mut self, id: &str) -> Result<Option<FeedPosition>, StoreError>;

    /// At most `n` articles of `run` from `at`, in the order the walk
    /// meets them.
    fn run(&mut self, run: Run, at: FeedPosition, n: usize) -> Result<Walked, StoreError>;

    /// Every place each of the articles numbered `seqs` was seen, first
    /// seen first.
    fn sightings(&mut self, seqs: &[i64]) -> Result<HashMap<i64, Vec<Sighting>>, StoreError>;

    /// Every copy folded into the articles numbered `seqs`, oldest first,
    /// each with the number of its article (`article_seen` left empty).
    fn folds(&mut self, seqs: &[i64]) -> Result<Vec<(i64, FoldedCopy)>, StoreError>;
}

/// At most `n` articles walking `way` from `at`: its runs in turn, each
/// asked only for what the ones before left to find.
fn walk(
    queries: &mut dyn PageQueries,
    way: Way,
    at: FeedPosition,
    n: usize,
) -> Result<Walked, StoreError> {
    let mut found = Walked::new();
    for run in Run::all(way) {
        if found.len() >= n {
            break;
        }
        found.extend(queries.run(run, at, n - found.len())?);
    }
    Ok(found)
}

/// Before every article: the newest date, first seen last, and the first
/// number, so a walk older from it meets every article.
const TOP: FeedPosition = FeedPosition {
    published: i64::MAX,
    first_seen: i64::MAX,
    seq: i64::MIN,
};

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
            let (rows, older) = older_page(queries, TOP, limit)?;
            (rows, false, older)
        }
        PageStart::From(id) => {
            let Some(from) = queries.position(id)? else {
                return Ok(None);
            };
            let (rows, older) = older_page(queries, from, limit)?;
            let newer = !walk(queries, Way::Newer, from, 1)?.is_empty();
            (rows, newer, older)
        }
        PageStart::NewerThan(id) => {
            let Some(after) = queries.position(id)? else {
                return Ok(None);
            };
            let mut rows = walk(queries, Way::Newer, after, limit + 1)?;
            let newer = rows.len() > limit;
            rows.truncate(limit);
            rows.reverse();
            (rows, newer, Some(id.to_string()))
        }
    };
    let seqs: Vec<i64> = rows.iter().map(|(seq, _)| *seq).collect();
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
        .map(|(seq, article)| FoldedArticle {
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
    from: FeedPosition,
    limit: usize,
) -> Result<(Walked, Option<String>), StoreError> {
    let mut rows = walk(queries, Way::Older, from, limit + 1)?;
    let older = (rows.len() > limit).then(|| rows[limit].1.id.clone());
    rows.truncate(limit);
    Ok((rows, older))
}

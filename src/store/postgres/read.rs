//! Queries: the entries a feed publishes, one article, where an article was
//! seen, which copies were folded into which article and why, the pages of
//! articles with their sightings and folds that the articles page shows,
//! counts, and a source's fetch state.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use postgres::Row;

use super::connect::{Conn, Target};
use super::{At, corrupt};
use crate::ingest::fetch::Validators;
use crate::ingest::fetch_state::FetchState;
use crate::model::StoredArticle;
use crate::store::codec;
use crate::store::{ArticlePage, FoldedArticle, FoldedCopy, PageStart, Sighting, StoreError};

/// Decodes the first four columns: packed id, published, updated, content.
fn decode(target: &Target, row: &Row) -> Result<StoredArticle, StoreError> {
    let id = codec::unpack_id(&row.get::<_, Vec<u8>>(0)).map_err(|m| corrupt(target, "?", m))?;
    codec::unpack_article(
        id.clone(),
        row.get(1),
        row.get(2),
        &row.get::<_, Vec<u8>>(3),
    )
    .map_err(|m| corrupt(target, &id, m))
}

pub(super) fn feed_entries(
    conn: &mut Conn,
    target: &Target,
    sources: Option<&[String]>,
    since: Option<DateTime<Utc>>,
    limit: usize,
) -> Result<Vec<StoredArticle>, StoreError> {
    let rows = conn
        .query(
            "SELECT id, published, updated, content FROM article a \
             WHERE ($1::text[] IS NULL OR EXISTS (SELECT 1 FROM sighting s JOIN place p ON p.id = s.place \
                 WHERE s.article = a.seq AND p.source = ANY($1))) \
             AND ($2::bigint IS NULL OR updated >= $2) \
             ORDER BY published DESC, id LIMIT $3",
            &[
                &sources.map(<[String]>::to_vec),
                &since.map(codec::seconds),
                &(limit as i64),
            ],
        )
        .at(target)?;
    rows.iter().map(|row| decode(target, row)).collect()
}

pub(super) fn article(
    conn: &mut Conn,
    target: &Target,
    id: &str,
) -> Result<Option<StoredArticle>, StoreError> {
    let row = conn
        .query_opt(
            "SELECT id, published, updated, content FROM article WHERE id = $1",
            &[&codec::pack_id(id)],
        )
        .at(target)?;
    row.map(|row| decode(target, &row)).transpose()
}

pub(super) fn article_count(conn: &mut Conn, target: &Target) -> Result<u64, StoreError> {
    let row = conn
        .query_one("SELECT count(*) FROM article", &[])
        .at(target)?;
    Ok(row.get::<_, i64>(0).max(0) as u64)
}

/// Every place each of the articles numbered `seqs` was seen, first seen
/// first, in one query.
fn sightings_of(
    conn: &mut Conn,
    target: &Target,
    seqs: &[i64],
) -> Result<HashMap<i64, Vec<Sighting>>, StoreError> {
    let rows = conn
        .query(
            "SELECT s.article, p.source, p.location, s.line, s.first_seen \
             FROM sighting s JOIN place p ON p.id = s.place \
             WHERE s.article = ANY($1) ORDER BY s.article, s.first_seen, p.source, p.location",
            &[&seqs],
        )
        .at(target)?;
    let mut sightings: HashMap<i64, Vec<Sighting>> = HashMap::new();
    for row in &rows {
        let seq: i64 = row.get(0);
        let first_seen =
            codec::moment(row.get(4)).map_err(|m| corrupt(target, &format!("#{seq}"), m))?;
        sightings.entry(seq).or_default().push(Sighting {
            source: row.get(1),
            location: row.get(2),
            line: row.get(3),
            first_seen,
        });
    }
    Ok(sightings)
}

pub(super) fn sightings(
    conn: &mut Conn,
    target: &Target,
    id: &str,
) -> Result<Vec<Sighting>, StoreError> {
    let seq = conn
        .query_opt(
            "SELECT seq FROM article WHERE id = $1",
            &[&codec::pack_id(id)],
        )
        .at(target)?;
    match seq {
        Some(row) => {
            let seq: i64 = row.get(0);
            Ok(sightings_of(conn, target, &[seq])?
                .remove(&seq)
                .unwrap_or_default())
        }
        None => Ok(Vec::new()),
    }
}

/// Which folds [`fold_rows`] reads.
enum FoldsOf<'a> {
    /// Those folded at or after this moment (Unix seconds).
    Since(i64),
    /// Those folded into these articles.
    Articles(&'a [i64]),
}

/// The folds `of` names, oldest first, each with the number of the article
/// it was folded into; `article_seen` is left for the caller.
fn fold_rows(
    conn: &mut Conn,
    target: &Target,
    of: FoldsOf,
) -> Result<Vec<(i64, FoldedCopy)>, StoreError> {
    macro_rules! folds_where {
        ($condition:literal) => {
            concat!(
                "SELECT a.id, a.published, a.updated, a.content, a.seq, f.copy_id, f.copy_title, \
                 f.rule, f.distance, f.replaced, p.source, p.location, f.line, f.folded_at, \
                 f.evidence FROM fold f JOIN article a ON a.seq = f.article \
                 JOIN place p ON p.id = f.place WHERE ",
                $condition,
                " ORDER BY f.folded_at, f.id"
            )
        };
    }
    let rows = match of {
        FoldsOf::Since(since) => conn.query(folds_where!("f.folded_at >= $1"), &[&since]),
        FoldsOf::Articles(seqs) => conn.query(folds_where!("f.article = ANY($1)"), &[&seqs]),
    }
    .at(target)?;
    let mut folds = Vec::with_capacity(rows.len());
    for row in &rows {
        let article = decode(target, row)?;
        let bad = |m: String| corrupt(target, &article.id, m);
        let copy_id = codec::unpack_id(&row.get::<_, Vec<u8>>(5)).map_err(bad)?;
        let folded_at = codec::moment(row.get(13)).map_err(bad)?;
        folds.push((
            row.get(4),
            FoldedCopy {
                article_seen: None,
                article_id: article.id,
                article_title: article.title,
                copy_id,
                copy_title: row.get(6),
                rule: row.get(7),
                distance: row.get::<_, Option<i32>>(8).map(|d| d.max(0) as u32),
                replaced: row.get(9),
                evidence: row.get(14),
                seen: Sighting {
                    source: row.get(10),
                    location: row.get(11),
                    line: row.get(12),
                    first_seen: folded_at,
                },
            },
        ));
    }
    Ok(folds)
}

pub(super) fn folds(
    conn: &mut Conn,
    target: &Target,
    since: Option<DateTime<Utc>>,
) -> Result<Vec<FoldedCopy>, StoreError> {
    let since = since.map(codec::seconds).unwrap_or(i64::MIN);
    let mut folds = Vec::new();
    for (seq, mut fold) in fold_rows(conn, target, FoldsOf::Since(since))? {
        fold.article_seen = sightings_of(conn, target, &[seq])?
            .remove(&seq)
            .and_then(|seen| seen.into_iter().next());
        folds.push(fold);
    }
    Ok(folds)
}

/// A page of articles, newest first, from `start`: see
/// [`crate::store::Store::article_page`]. Walks `article_by_published_seq`
/// from the cursor, so a page costs the same however many articles the
/// store holds.
pub(super) fn article_page(
    conn: &mut Conn,
    target: &Target,
    start: PageStart,
    limit: usize,
) -> Result<Option<ArticlePage>, StoreError> {
    let cursor: Option<(i64, i64)> = match start {
        PageStart::Newest => None,
        PageStart::OlderThan(id) | PageStart::NewerThan(id) => {
            let found = conn
                .query_opt(
                    "SELECT published, seq FROM article WHERE id = $1",
                    &[&codec::pack_id(id)],
                )
                .at(target)?;
            match found {
                Some(row) => Some((row.get(0), row.get(1))),
                None => return Ok(None),
            }
        }
    };
    const OLDER: &str = "SELECT id, published, updated, content, seq FROM article \
         WHERE (published, seq) < ($1, $2) ORDER BY published DESC, seq DESC LIMIT $3";
    const NEWER: &str = "SELECT id, published, updated, content, seq FROM article \
         WHERE (published, seq) > ($1, $2) ORDER BY published, seq LIMIT $3";
    let mut walk = |sql: &'static str, (published, seq): (i64, i64), limit: usize| {
        let rows = conn
            .query(sql, &[&published, &seq, &(limit as i64)])
            .at(target)?;
        rows.iter()
            .map(|row| Ok((row.get::<_, i64>(4), decode(target, row)?)))
            .collect::<Result<Vec<_>, StoreError>>()
    };
    let (rows, newer, older) = match (start, cursor) {
        (PageStart::NewerThan(_), Some(cursor)) => {
            let mut rows = walk(NEWER, cursor, limit + 1)?;
            let newer = rows.len() > limit;
            rows.truncate(limit);
            rows.reverse();
            (rows, newer, true)
        }
        (_, cursor) => {
            let mut rows = walk(OLDER, cursor.unwrap_or((i64::MAX, i64::MAX)), limit + 1)?;
            let older = rows.len() > limit;
            rows.truncate(limit);
            (rows, cursor.is_some(), older)
        }
    };
    let seqs: Vec<i64> = rows.iter().map(|(seq, _)| *seq).collect();
    let mut sightings = sightings_of(conn, target, &seqs)?;
    let mut folds: HashMap<i64, Vec<FoldedCopy>> = HashMap::new();
    for (seq, mut fold) in fold_rows(conn, target, FoldsOf::Articles(&seqs))? {
        fold.article_seen = sightings.get(&seq).and_then(|s| s.first().cloned());
        folds.entry(seq).or_default().push(fold);
    }
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

/// Decodes the fetch state columns starting at `at`.
pub(super) fn fetch_state_at(
    target: &Target,
    source: &str,
    row: &Row,
    at: usize,
) -> Result<FetchState, StoreError> {
    let next_attempt = row
        .get::<_, Option<i64>>(at + 3)
        .map(codec::moment)
        .transpose()
        .map_err(|m| corrupt(target, &format!("fetch state of {source}"), m))?;
    Ok(FetchState {
        validators: Validators {
            etag: row.get(at),
            last_modified: row.get(at + 1),
        },
        failures: row.get::<_, i64>(at + 2).clamp(0, u32::MAX as i64) as u32,
        next_attempt,
        last_error: row.get(at + 4),
    })
}

pub(super) fn fetch_state(
    conn: &mut Conn,
    target: &Target,
    source: &str,
) -> Result<FetchState, StoreError> {
    let row = conn
        .query_opt(
            "SELECT etag, last_modified, failures, next_attempt, last_error FROM fetch_state WHERE source = $1",
            &[&source],
        )
        .at(target)?;
    match row {
        Some(row) => fetch_state_at(target, source, &row, 0),
        None => Ok(FetchState::default()),
    }
}

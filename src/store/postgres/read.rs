//! Queries: the entries a feed publishes, one article, where an article was
//! seen, which copies were folded into which article and why, counts, and
//! a source's fetch state.

use chrono::{DateTime, Utc};
use postgres::Row;

use super::connect::{Conn, Target};
use super::{At, corrupt};
use crate::ingest::fetch::Validators;
use crate::ingest::fetch_state::{FetchState, Outcome};
use crate::model::StoredArticle;
use crate::store::codec;
use crate::store::{FoldedCopy, Sighting, StoreError};

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

fn sightings_of(conn: &mut Conn, target: &Target, seq: i64) -> Result<Vec<Sighting>, StoreError> {
    let rows = conn
        .query(
            "SELECT p.source, p.location, s.line, s.first_seen FROM sighting s JOIN place p ON p.id = s.place \
             WHERE s.article = $1 ORDER BY s.arrival, s.first_seen, p.source, p.location",
            &[&seq],
        )
        .at(target)?;
    rows.iter()
        .map(|row| {
            Ok(Sighting {
                source: row.get(0),
                location: row.get(1),
                line: row.get(2),
                first_seen: codec::moment(row.get(3))
                    .map_err(|m| corrupt(target, &format!("#{seq}"), m))?,
            })
        })
        .collect()
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
        Some(row) => sightings_of(conn, target, row.get(0)),
        None => Ok(Vec::new()),
    }
}

pub(super) fn folds(
    conn: &mut Conn,
    target: &Target,
    since: Option<DateTime<Utc>>,
) -> Result<Vec<FoldedCopy>, StoreError> {
    let since = since.map(codec::seconds).unwrap_or(i64::MIN);
    let rows = conn
        .query(
            "SELECT a.id, a.published, a.updated, a.content, a.seq, f.copy_id, f.copy_title, f.rule, \
             f.distance, f.replaced, p.source, p.location, f.line, f.folded_at, f.evidence \
             FROM fold f JOIN article a ON a.seq = f.article JOIN place p ON p.id = f.place \
             WHERE f.folded_at >= $1 ORDER BY f.folded_at, f.id",
            &[&since],
        )
        .at(target)?;
    let mut folds = Vec::with_capacity(rows.len());
    for row in &rows {
        let article = decode(target, row)?;
        let bad = |m: String| corrupt(target, &article.id, m);
        let copy_id = codec::unpack_id(&row.get::<_, Vec<u8>>(5)).map_err(bad)?;
        let folded_at = codec::moment(row.get(13)).map_err(bad)?;
        folds.push(FoldedCopy {
            article_seen: sightings_of(conn, target, row.get(4))?.into_iter().next(),
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
        });
    }
    Ok(folds)
}

/// Decodes the fetch state columns starting at `at`: `location, etag,
/// last_modified, failures, next_attempt, last_error, last_attempt,
/// last_outcome`.
pub(super) fn fetch_state_at(
    target: &Target,
    source: &str,
    row: &Row,
    at: usize,
) -> Result<FetchState, StoreError> {
    let bad = |m: String| corrupt(target, &format!("fetch state of {source}"), m);
    let moment = |i: usize| row.get::<_, Option<i64>>(i).map(codec::moment).transpose();
    let last_outcome = row
        .get::<_, Option<String>>(at + 7)
        .map(|text| Outcome::parse(&text).ok_or_else(|| format!("unknown outcome {text:?}")))
        .transpose()
        .map_err(bad)?;
    Ok(FetchState {
        location: row.get(at),
        validators: Validators {
            etag: row.get(at + 1),
            last_modified: row.get(at + 2),
        },
        failures: row.get::<_, i64>(at + 3).clamp(0, u32::MAX as i64) as u32,
        next_attempt: moment(at + 4).map_err(bad)?,
        last_error: row.get(at + 5),
        last_attempt: moment(at + 6).map_err(bad)?,
        last_outcome,
    })
}

pub(super) fn fetch_state(
    conn: &mut Conn,
    target: &Target,
    source: &str,
) -> Result<FetchState, StoreError> {
    let row = conn
        .query_opt(
            "SELECT location, etag, last_modified, failures, next_attempt, last_error, \
             last_attempt, last_outcome FROM fetch_state WHERE source = $1",
            &[&source],
        )
        .at(target)?;
    match row {
        Some(row) => fetch_state_at(target, source, &row, 0),
        None => Ok(FetchState::default()),
    }
}

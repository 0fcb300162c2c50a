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
use crate::ingest::fetch_state::{DocumentValidators, FetchState, Outcome};
use crate::model::StoredArticle;
use crate::store::page::{PageQueries, Run, Walked, Way};
use crate::store::{self, codec};
use crate::store::{FeedCursor, FeedPosition, FoldedCopy, Sighting, StoreError};

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

/// The newest articles seen in any of `sources` (all sources when
/// `None`) and, with `since`, stored or changed at or after it (the commit
/// that wrote them; for one written before that was kept, when its text
/// was replaced or it was first seen), whatever the date its source gave
/// them, or seen in one of `sources` by a sighting stored then; newest
/// first, ties first seen last first, and those of one fetch in the order
/// they were stored.
pub(super) fn feed_page(
    conn: &mut Conn,
    target: &Target,
    sources: Option<&[String]>,
    since: Option<DateTime<Utc>>,
    after: Option<FeedPosition>,
    limit: usize,
) -> Result<Vec<(StoredArticle, FeedPosition)>, StoreError> {
    let rows = conn
        .query(
            "SELECT id, published, updated, content, first_seen, seq FROM article a \
             WHERE ($1::text[] IS NULL OR EXISTS (SELECT 1 FROM sighting s JOIN place p ON p.id = s.place \
                 WHERE s.article = a.seq AND p.source = ANY($1))) \
             AND ($2::bigint IS NULL OR coalesce(stored, changed, first_seen) >= $2 \
                 OR ($1::text[] IS NOT NULL AND EXISTS (SELECT 1 FROM sighting s JOIN place p ON p.id = s.place \
                     WHERE s.article = a.seq AND s.stored >= $2 AND p.source = ANY($1)))) \
             AND ($4::bigint IS NULL \
                 OR (published, first_seen) < ($4, $5::bigint) \
                 OR ((published, first_seen) = ($4, $5::bigint) AND seq > $6::bigint)) \
             ORDER BY published DESC, first_seen DESC, seq LIMIT $3",
            &[
                &sources.map(<[String]>::to_vec),
                &since.map(codec::seconds),
                &(limit as i64),
                &after.map(|at| at.published),
                &after.map(|at| at.first_seen),
                &after.map(|at| at.seq),
            ],
        )
        .at(target)?;
    rows.iter()
        .map(|row| {
            let position = FeedPosition {
                published: row.get(1),
                first_seen: row.get(4),
                seq: row.get(5),
            };
            Ok((decode(target, row)?, position))
        })
        .collect()
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

/// Where the article `id` stands in the order of [`feed_page`].
pub(super) fn position_of(
    conn: &mut Conn,
    target: &Target,
    id: &str,
) -> Result<Option<FeedPosition>, StoreError> {
    let row = conn
        .query_opt(
            "SELECT published, first_seen, seq FROM article WHERE id = $1",
            &[&codec::pack_id(id)],
        )
        .at(target)?;
    Ok(row.map(|row| FeedPosition {
        published: row.get(0),
        first_seen: row.get(1),
        seq: row.get(2),
    }))
}

/// Where the walk `cursor` names goes on here
/// ([`crate::store::Store::place_of_cursor`]): after the number its article
/// is kept under, else, merged away, after the number it had here when
/// that is the cursor's.
pub(super) fn place_of_cursor(
    conn: &mut Conn,
    target: &Target,
    cursor: &FeedCursor,
) -> Result<Option<FeedPosition>, StoreError> {
    let row = conn
        .query_opt(
            "SELECT seq FROM article WHERE id = $1 \
             UNION ALL SELECT seq FROM merged_article WHERE id = $1 AND seq = $2 LIMIT 1",
            &[&codec::pack_id(&cursor.id), &cursor.at.seq],
        )
        .at(target)?;
    Ok(row.map(|row| FeedPosition {
        seq: row.get(0),
        ..cursor.at
    }))
}

/// The id of the article the article once stored under `id` was merged
/// into, by the newest merge that took it away.
pub(super) fn merged_into(
    conn: &mut Conn,
    target: &Target,
    id: &str,
) -> Result<Option<String>, StoreError> {
    let row = conn
        .query_opt(
            "SELECT a.id FROM fold f JOIN article a ON a.seq = f.article \
             WHERE f.copy_id = $1 AND f.merged ORDER BY f.folded_at DESC, f.id DESC LIMIT 1",
            &[&codec::pack_id(id)],
        )
        .at(target)?;
    row.map(|row| codec::unpack_id(&row.get::<_, Vec<u8>>(0)).map_err(|m| corrupt(target, id, m)))
        .transpose()
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
             WHERE s.article = ANY($1) ORDER BY s.article, s.arrival, s.first_seen, p.source, p.location",
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
                 f.evidence, f.merged FROM fold f JOIN article a ON a.seq = f.article \
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
                merged: row.get(15),
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
    let folds = fold_rows(conn, target, FoldsOf::Since(since))?;
    store::with_first_sightings(folds, |seqs| sightings_of(conn, target, seqs))
}

/// The queries of the articles page, on one connection.
pub(super) struct Pages<'a> {
    pub conn: &'a mut Conn,
    pub target: &'a Target,
}

/// The query of `run` and how many of a position's fields it takes
/// (`published`, `first_seen`, `seq`, in that order, `$1` on), before the
/// limit. Each seeks `article_in_feed_order`, on `(published, first_seen,
/// seq DESC)`, read backwards to walk older and forwards to walk newer,
/// so each run comes in the feeds' order or its reverse with no sort.
fn run_sql(run: Run) -> (&'static str, usize) {
    macro_rules! select {
        ($rest:literal) => {
            concat!(
                "SELECT id, published, updated, content, seq FROM article ",
                $rest
            )
        };
    }
    match run {
        Run::SameSecond(Way::Older) => (
            select!("WHERE published = $1 AND first_seen = $2 AND seq >= $3 ORDER BY seq LIMIT $4"),
            3,
        ),
        Run::SameDate(Way::Older) => (
            select!(
                "WHERE published = $1 AND first_seen < $2 \
                 ORDER BY first_seen DESC, seq LIMIT $3"
            ),
            2,
        ),
        Run::OtherDates(Way::Older) => (
            select!(
                "WHERE published < $1 \
                 ORDER BY published DESC, first_seen DESC, seq LIMIT $2"
            ),
            1,
        ),
        Run::SameSecond(Way::Newer) => (
            select!(
                "WHERE published = $1 AND first_seen = $2 AND seq < $3 \
                 ORDER BY seq DESC LIMIT $4"
            ),
            3,
        ),
        Run::SameDate(Way::Newer) => (
            select!(
                "WHERE published = $1 AND first_seen > $2 \
                 ORDER BY first_seen, seq DESC LIMIT $3"
            ),
            2,
        ),
        Run::OtherDates(Way::Newer) => (
            select!("WHERE published > $1 ORDER BY published, first_seen, seq DESC LIMIT $2"),
            1,
        ),
    }
}

impl PageQueries for Pages<'_> {
    fn position(&mut self, id: &str) -> Result<Option<FeedPosition>, StoreError> {
        position_of(self.conn, self.target, id)
    }

    fn run(&mut self, run: Run, at: FeedPosition, n: usize) -> Result<Walked, StoreError> {
        let (sql, fields_taken) = run_sql(run);
        let n = n as i64;
        let fields = [at.published, at.first_seen, at.seq];
        let args: Vec<&(dyn postgres::types::ToSql + Sync)> = fields[..fields_taken]
            .iter()
            .map(|f| f as &(dyn postgres::types::ToSql + Sync))
            .chain([&n as &(dyn postgres::types::ToSql + Sync)])
            .collect();
        let rows = self.conn.query(sql, &args).at(self.target)?;
        rows.iter()
            .map(|row| Ok((row.get(4), decode(self.target, row)?)))
            .collect()
    }

    fn sightings(&mut self, seqs: &[i64]) -> Result<HashMap<i64, Vec<Sighting>>, StoreError> {
        sightings_of(self.conn, self.target, seqs)
    }

    fn folds(&mut self, seqs: &[i64]) -> Result<Vec<(i64, FoldedCopy)>, StoreError> {
        fold_rows(self.conn, self.target, FoldsOf::Articles(seqs))
    }
}

/// The fetch state columns, as [`fetch_state_at`] decodes them: the last
/// one is [`FetchState::read_began`] as microseconds from the database
/// server's clock as it reads the row, which the worker's own clock then
/// places on its own.
macro_rules! fetch_state_columns {
    () => {
        "location, etag, last_modified, failures, next_attempt, last_error, last_attempt, \
         last_outcome, (extract(epoch FROM read_began - clock_timestamp()) * 1000000)::bigint"
    };
}
pub(super) use fetch_state_columns;

/// Decodes the fetch state columns starting at `at`
/// ([`fetch_state_columns`]).
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
        read_began: row
            .get::<_, Option<i64>>(at + 8)
            .map(|micros| Utc::now() + chrono::Duration::microseconds(micros)),
    })
}

/// The validators kept for the documents `source`'s document leads to.
pub(super) fn document_validators(
    conn: &mut Conn,
    target: &Target,
    source: &str,
) -> Result<DocumentValidators, StoreError> {
    let rows = conn
        .query(
            "SELECT document, etag, last_modified FROM document_validators WHERE source = $1",
            &[&source],
        )
        .at(target)?;
    Ok(rows
        .iter()
        .map(|row| {
            let validators = Validators {
                etag: row.get(1),
                last_modified: row.get(2),
            };
            (row.get(0), validators)
        })
        .collect())
}

pub(super) fn fetch_state(
    conn: &mut Conn,
    target: &Target,
    source: &str,
) -> Result<FetchState, StoreError> {
    let row = conn
        .query_opt(
            concat!(
                "SELECT ",
                fetch_state_columns!(),
                " FROM fetch_state WHERE source = $1"
            ),
            &[&source],
        )
        .at(target)?;
    match row {
        Some(row) => fetch_state_at(target, source, &row, 0),
        None => Ok(FetchState::default()),
    }
}

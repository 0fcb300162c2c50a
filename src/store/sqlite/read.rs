//! Queries: the entries a feed publishes, where an article was seen, which
//! copies were folded into which article and why, counts.

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};

use super::{At, corrupt};
use crate::model::StoredArticle;
use crate::store::codec;
use crate::store::{FoldedCopy, Sighting, StoreError};

/// An article row as [`decode`] reads it: packed id, dates, content.
type ArticleRow = (Vec<u8>, i64, i64, Vec<u8>);

fn decode(
    path: &Path,
    (id, published, updated, content): ArticleRow,
) -> Result<StoredArticle, StoreError> {
    let id = codec::unpack_id(&id).map_err(|m| corrupt(path, "?", m))?;
    codec::unpack_article(id.clone(), published, updated, &content)
        .map_err(|m| corrupt(path, &id, m))
}

fn article_row(row: &rusqlite::Row) -> rusqlite::Result<ArticleRow> {
    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
}

/// The newest articles seen in any of `sources` (all sources when
/// `None`) and, with `since`, updated at or after it; newest first, ties
/// broken by id so the order is stable.
pub(super) fn feed_entries(
    conn: &Connection,
    path: &Path,
    sources: Option<&[String]>,
    since: Option<DateTime<Utc>>,
    limit: usize,
) -> Result<Vec<StoredArticle>, StoreError> {
    let mut sql = "SELECT id, published, updated, content FROM article a WHERE 1".to_string();
    let mut args: Vec<&dyn rusqlite::ToSql> = Vec::new();
    if let Some(sources) = sources {
        let marks = vec!["?"; sources.len()].join(", ");
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM sighting s WHERE s.article = a.seq \
             AND s.place IN (SELECT id FROM place WHERE source IN ({marks})))"
        ));
        args.extend(sources.iter().map(|s| s as &dyn rusqlite::ToSql));
    }
    let since = since.map(codec::seconds);
    if let Some(since) = &since {
        sql.push_str(" AND updated >= ?");
        args.push(since);
    }
    sql.push_str(" ORDER BY published DESC, id LIMIT ?");
    let limit = limit as i64;
    args.push(&limit);
    let mut stmt = conn.prepare_cached(&sql).at(path)?;
    let rows = stmt.query_map(args.as_slice(), article_row).at(path)?;
    let mut entries = Vec::new();
    for row in rows {
        entries.push(decode(path, row.at(path)?)?);
    }
    Ok(entries)
}

/// One article by id.
pub(super) fn article(
    conn: &Connection,
    path: &Path,
    id: &str,
) -> Result<Option<StoredArticle>, StoreError> {
    let row = conn
        .prepare_cached("SELECT id, published, updated, content FROM article WHERE id = ?")
        .and_then(|mut stmt| stmt.query_row([codec::pack_id(id)], article_row).optional())
        .at(path)?;
    row.map(|row| decode(path, row)).transpose()
}

/// How many articles the store holds.
pub(super) fn article_count(conn: &Connection, path: &Path) -> Result<u64, StoreError> {
    conn.query_row("SELECT count(*) FROM article", [], |row| {
        row.get::<_, i64>(0)
    })
    .at(path)
    .map(|n| n.max(0) as u64)
}

/// Every place article number `seq` was seen, in the order the sightings
/// arrived.
fn sightings_of(conn: &Connection, path: &Path, seq: i64) -> Result<Vec<Sighting>, StoreError> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT p.source, p.location, s.line, s.first_seen FROM sighting s JOIN place p ON p.id = s.place \
             WHERE s.article = ? ORDER BY s.arrival, s.first_seen, p.source, p.location",
        )
        .at(path)?;
    let rows = stmt
        .query_map([seq], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get::<_, i64>(3)?))
        })
        .at(path)?;
    let mut sightings = Vec::new();
    for row in rows {
        let (source, location, line, first_seen) = row.at(path)?;
        let first_seen =
            codec::moment(first_seen).map_err(|m| corrupt(path, &format!("#{seq}"), m))?;
        sightings.push(Sighting {
            source,
            location,
            line,
            first_seen,
        });
    }
    Ok(sightings)
}

/// Every place an article was seen, in the order the sightings arrived.
pub(super) fn sightings(
    conn: &Connection,
    path: &Path,
    id: &str,
) -> Result<Vec<Sighting>, StoreError> {
    let seq: Option<i64> = conn
        .prepare_cached("SELECT seq FROM article WHERE id = ?")
        .and_then(|mut stmt| {
            stmt.query_row([codec::pack_id(id)], |row| row.get(0))
                .optional()
        })
        .at(path)?;
    match seq {
        Some(seq) => sightings_of(conn, path, seq),
        None => Ok(Vec::new()),
    }
}

/// Every copy folded into another article at or after `since` (all when
/// `None`), oldest first.
pub(super) fn folds(
    conn: &Connection,
    path: &Path,
    since: Option<DateTime<Utc>>,
) -> Result<Vec<FoldedCopy>, StoreError> {
    let since = since.map(codec::seconds).unwrap_or(i64::MIN);
    let mut stmt = conn
        .prepare_cached(
            "SELECT a.seq, a.id, a.published, a.updated, a.content, f.copy_id, f.copy_title, f.rule, \
             f.distance, f.replaced, f.evidence, p.source, p.location, f.line, f.folded_at \
             FROM fold f JOIN article a ON a.seq = f.article JOIN place p ON p.id = f.place \
             WHERE f.folded_at >= ? ORDER BY f.folded_at, f.id",
        )
        .at(path)?;
    type Row = (
        i64,
        ArticleRow,
        (Vec<u8>, String, String, Option<u32>, Option<String>),
        (Option<String>, String, String, i64, i64),
    );
    let rows = stmt
        .query_map([since], |row| -> rusqlite::Result<Row> {
            Ok((
                row.get(0)?,
                (row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?),
                (
                    row.get(5)?,
                    row.get(6)?,
                    row.get(7)?,
                    row.get(8)?,
                    row.get(9)?,
                ),
                (
                    row.get(10)?,
                    row.get(11)?,
                    row.get(12)?,
                    row.get(13)?,
                    row.get(14)?,
                ),
            ))
        })
        .at(path)?;
    let mut folds = Vec::new();
    for row in rows {
        let (seq, article, (copy_id, copy_title, rule, distance, replaced), seen) = row.at(path)?;
        let article = decode(path, article)?;
        let (evidence, source, location, line, folded_at) = seen;
        let bad = |m: String| corrupt(path, &article.id, m);
        folds.push(FoldedCopy {
            article_seen: sightings_of(conn, path, seq)?.into_iter().next(),
            article_id: article.id.clone(),
            article_title: article.title.clone(),
            copy_id: codec::unpack_id(&copy_id).map_err(bad)?,
            copy_title,
            rule,
            distance,
            replaced,
            evidence,
            seen: Sighting {
                source,
                location,
                line,
                first_seen: codec::moment(folded_at).map_err(bad)?,
            },
        });
    }
    Ok(folds)
}

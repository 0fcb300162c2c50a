//! Queries: the entries a feed publishes, where an article was seen, which
//! copies were folded into which article and why, counts.

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Row};

use super::{At, corrupt, from_json, parse_timestamp, timestamp};
use crate::model::StoredArticle;
use crate::store::{FoldedCopy, Sighting, StoreError};

const ARTICLE_COLUMNS: &str = "id, title, published, updated, captions, body, link, authors, categories, summary, content_html";

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
    let mut sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles a WHERE 1");
    let mut args: Vec<&dyn rusqlite::ToSql> = Vec::new();
    if let Some(sources) = sources {
        let marks = vec!["?"; sources.len()].join(", ");
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM sightings s WHERE s.article_id = a.id AND s.source IN ({marks}))"
        ));
        args.extend(sources.iter().map(|s| s as &dyn rusqlite::ToSql));
    }
    let since = since.map(timestamp);
    if let Some(since) = &since {
        sql.push_str(" AND updated >= ?");
        args.push(since);
    }
    sql.push_str(" ORDER BY published DESC, id LIMIT ?");
    let limit = limit as i64;
    args.push(&limit);
    let mut stmt = conn.prepare_cached(&sql).at(path)?;
    let rows = stmt
        .query_map(args.as_slice(), |row| decode(path, row))
        .at(path)?;
    let mut entries = Vec::new();
    for row in rows {
        entries.push(row.at(path)??);
    }
    Ok(entries)
}

/// One article by id.
pub(super) fn article(
    conn: &Connection,
    path: &Path,
    id: &str,
) -> Result<Option<StoredArticle>, StoreError> {
    let sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?");
    let mut stmt = conn.prepare_cached(&sql).at(path)?;
    let mut rows = stmt.query([id]).at(path)?;
    match rows.next().at(path)? {
        Some(row) => Ok(Some(decode(path, row).at(path)??)),
        None => Ok(None),
    }
}

/// How many articles the store holds.
pub(super) fn article_count(conn: &Connection, path: &Path) -> Result<u64, StoreError> {
    conn.query_row("SELECT count(*) FROM articles", [], |row| {
        row.get::<_, i64>(0)
    })
    .at(path)
    .map(|n| n.max(0) as u64)
}

/// Every place an article was seen, first seen first.
pub(super) fn sightings(
    conn: &Connection,
    path: &Path,
    id: &str,
) -> Result<Vec<Sighting>, StoreError> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT source, location, line, first_seen FROM sightings WHERE article_id = ? ORDER BY first_seen, source, location",
        )
        .at(path)?;
    let rows = stmt
        .query_map([id], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get::<_, String>(3)?,
            ))
        })
        .at(path)?;
    let mut sightings = Vec::new();
    for row in rows {
        let (source, location, line, first_seen) = row.at(path)?;
        let first_seen = parse_timestamp(&first_seen).map_err(|m| corrupt(path, id, m))?;
        sightings.push(Sighting {
            source,
            location,
            line,
            first_seen,
        });
    }
    Ok(sightings)
}

/// Every copy folded into another article at or after `since` (all when
/// `None`), oldest first.
pub(super) fn folds(
    conn: &Connection,
    path: &Path,
    since: Option<DateTime<Utc>>,
) -> Result<Vec<FoldedCopy>, StoreError> {
    let since = since.map(timestamp).unwrap_or_default();
    let mut stmt = conn
        .prepare_cached(
            "SELECT f.article_id, a.title, f.copy_id, f.copy_title, f.rule, f.distance, f.replaced, \
             f.source, f.location, f.line, f.folded_at \
             FROM folds f JOIN articles a ON a.id = f.article_id \
             WHERE f.folded_at >= ? ORDER BY f.folded_at, f.id",
        )
        .at(path)?;
    type Row = (
        (String, String, String, String),
        (String, Option<u32>, Option<String>),
        (String, String, i64, String),
    );
    let rows = stmt
        .query_map([since], |row| -> rusqlite::Result<Row> {
            Ok((
                (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?),
                (row.get(4)?, row.get(5)?, row.get(6)?),
                (row.get(7)?, row.get(8)?, row.get(9)?, row.get(10)?),
            ))
        })
        .at(path)?;
    let mut folds = Vec::new();
    for row in rows {
        let (
            (article_id, article_title, copy_id, copy_title),
            (rule, distance, replaced),
            (source, location, line, folded_at),
        ) = row.at(path)?;
        let first_seen = parse_timestamp(&folded_at).map_err(|m| corrupt(path, &article_id, m))?;
        let article_seen = sightings(conn, path, &article_id)?.into_iter().next();
        folds.push(FoldedCopy {
            article_id,
            article_title,
            article_seen,
            copy_id,
            copy_title,
            rule,
            distance,
            replaced,
            seen: Sighting {
                source,
                location,
                line,
                first_seen,
            },
        });
    }
    Ok(folds)
}

/// Decodes one row of [`ARTICLE_COLUMNS`]; the outer result is SQLite's,
/// the inner one reports a row that does not decode.
fn decode(path: &Path, row: &Row) -> rusqlite::Result<Result<StoredArticle, StoreError>> {
    let id: String = row.get(0)?;
    let text = |i: usize| row.get::<_, String>(i);
    let (published, updated) = (text(2)?, text(3)?);
    let (captions, body, authors, categories) = (text(4)?, text(5)?, text(7)?, text(8)?);
    let decoded = (|| -> Result<StoredArticle, String> {
        Ok(StoredArticle {
            id: id.clone(),
            title: row.get(1).map_err(|e| e.to_string())?,
            published: parse_timestamp(&published)?,
            updated: parse_timestamp(&updated)?,
            captions: from_json("captions", &captions)?,
            body: from_json("body", &body)?,
            link: row.get(6).map_err(|e| e.to_string())?,
            authors: from_json("authors", &authors)?,
            categories: from_json("categories", &categories)?,
            summary: row.get(9).map_err(|e| e.to_string())?,
            content_html: row.get(10).map_err(|e| e.to_string())?,
        })
    })();
    Ok(decoded.map_err(|message| corrupt(path, &id, message)))
}

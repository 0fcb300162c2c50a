//! Queries: the entries a feed publishes, where an article was seen, counts.

use chrono::{DateTime, Utc};
use rusqlite::Row;

use super::{At, Store, StoreError, from_json, parse_timestamp, timestamp};
use crate::model::StoredArticle;

const ARTICLE_COLUMNS: &str = "id, title, published, updated, captions, body, link, authors, categories, summary, content_html";

/// One place an article was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sighting {
    pub source: String,
    /// The file or URL.
    pub location: String,
    /// The line (dumps) or entry position (feeds).
    pub line: i64,
    pub first_seen: DateTime<Utc>,
}

impl Store {
    /// The newest articles seen in any of `sources` (all sources when
    /// `None`) and, with `since`, updated at or after it; newest first, ties
    /// broken by id so the order is stable.
    pub fn feed_entries(
        &self,
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
        let mut stmt = self.conn.prepare_cached(&sql).at(&self.path)?;
        let rows = stmt
            .query_map(args.as_slice(), |row| self.decode(row))
            .at(&self.path)?;
        let mut entries = Vec::new();
        for row in rows {
            entries.push(row.at(&self.path)??);
        }
        Ok(entries)
    }

    /// One article by id.
    pub fn article(&self, id: &str) -> Result<Option<StoredArticle>, StoreError> {
        let sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?");
        let mut stmt = self.conn.prepare_cached(&sql).at(&self.path)?;
        let mut rows = stmt.query([id]).at(&self.path)?;
        match rows.next().at(&self.path)? {
            Some(row) => Ok(Some(self.decode(row).at(&self.path)??)),
            None => Ok(None),
        }
    }

    /// How many articles the store holds.
    pub fn article_count(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row("SELECT count(*) FROM articles", [], |row| row.get(0))
            .at(&self.path)
    }

    /// Every place an article was seen, first seen first.
    pub fn sightings(&self, id: &str) -> Result<Vec<Sighting>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT source, location, line, first_seen FROM sightings WHERE article_id = ? ORDER BY first_seen, source, location",
            )
            .at(&self.path)?;
        let rows = stmt
            .query_map([id], |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get::<_, String>(3)?,
                ))
            })
            .at(&self.path)?;
        let mut sightings = Vec::new();
        for row in rows {
            let (source, location, line, first_seen) = row.at(&self.path)?;
            let first_seen =
                parse_timestamp(&first_seen).map_err(|message| StoreError::Corrupt {
                    path: self.path.clone(),
                    id: id.to_string(),
                    message,
                })?;
            sightings.push(Sighting {
                source,
                location,
                line,
                first_seen,
            });
        }
        Ok(sightings)
    }

    /// Decodes one row of [`ARTICLE_COLUMNS`]; the outer result is SQLite's,
    /// the inner one reports a row that does not decode.
    fn decode(&self, row: &Row) -> rusqlite::Result<Result<StoredArticle, StoreError>> {
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
        Ok(decoded.map_err(|message| StoreError::Corrupt {
            path: self.path.clone(),
            id,
            message,
        }))
    }
}

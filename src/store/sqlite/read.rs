//! Queries: the entries a feed publishes, where an article was seen, which
//! copies were folded into which article and why, counts, and the pages of
//! articles with their sightings and folds that the articles page shows.

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};

use super::{At, corrupt};
use crate::model::StoredArticle;
use crate::store::page::{PageQueries, Run, Walked, Way};
use crate::store::{self, codec};
use crate::store::{FeedCursor, FeedPosition, FoldedCopy, Sighting, StoreError};

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

/// When an article was last stored or changed: the commit that wrote it;
/// for one written before that was kept, when its text was replaced or it
/// was first seen. Never its `updated`, a date its source gave: one dated
/// ahead would be listed by every poll until then.
const STORED: &str = "coalesce(stored, changed, first_seen)";

fn article_row(row: &rusqlite::Row) -> rusqlite::Result<ArticleRow> {
    article_row_at(row, 0)
}

/// The article row in the four columns from `at`.
fn article_row_at(row: &rusqlite::Row, at: usize) -> rusqlite::Result<ArticleRow> {
    Ok((
        row.get(at)?,
        row.get(at + 1)?,
        row.get(at + 2)?,
        row.get(at + 3)?,
    ))
}

/// The newest articles seen in any of `sources` (all sources when
/// `None`) and, with `since`, stored or changed at or after it
/// ([`STORED`]), or seen in one of `sources` by a sighting stored then;
/// newest first; ties first seen last first, and those of one fetch in
/// the order they were stored (a document's entries in its order, the
/// first newest: [`crate::store::Store::feed_entries`]); each with its
/// position in that order.
pub(super) fn feed_page(
    conn: &Connection,
    path: &Path,
    sources: Option<&[String]>,
    since: Option<DateTime<Utc>>,
    after: Option<FeedPosition>,
    limit: usize,
) -> Result<Vec<(StoredArticle, FeedPosition)>, StoreError> {
    let mut sql = "SELECT id, published, updated, content, first_seen, seq FROM article a WHERE 1"
        .to_string();
    let mut args: Vec<&dyn rusqlite::ToSql> = Vec::new();
    let since = since.map(codec::seconds);
    match (sources, &since) {
        (Some(sources), since) => {
            let marks = vec!["?"; sources.len()].join(", ");
            let places = format!("s.place IN (SELECT id FROM place WHERE source IN ({marks}))");
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM sighting s WHERE s.article = a.seq AND {places})"
            ));
            args.extend(sources.iter().map(|s| s as &dyn rusqlite::ToSql));
            if let Some(since) = since {
                sql.push_str(&format!(
                    " AND ({STORED} >= ? OR EXISTS (SELECT 1 FROM sighting s \
                     WHERE s.article = a.seq AND s.stored >= ? AND {places}))"
                ));
                args.extend([since as &dyn rusqlite::ToSql, since]);
                args.extend(sources.iter().map(|s| s as &dyn rusqlite::ToSql));
            }
        }
        (None, Some(since)) => {
            sql.push_str(&format!(" AND {STORED} >= ?"));
            args.push(since);
        }
        (None, None) => {}
    }
    if let Some(at) = &after {
        sql.push_str(
            " AND ((published, first_seen) < (?, ?) \
             OR ((published, first_seen) = (?, ?) AND seq > ?))",
        );
        args.extend([
            &at.published as &dyn rusqlite::ToSql,
            &at.first_seen,
            &at.published,
            &at.first_seen,
            &at.seq,
        ]);
    }
    sql.push_str(" ORDER BY published DESC, first_seen DESC, seq LIMIT ?");
    let limit = limit as i64;
    args.push(&limit);
    let mut stmt = conn.prepare_cached(&sql).at(path)?;
    let rows = stmt
        .query_map(args.as_slice(), |row| {
            Ok((
                article_row(row)?,
                FeedPosition {
                    published: row.get(1)?,
                    first_seen: row.get(4)?,
                    seq: row.get(5)?,
                },
            ))
        })
        .at(path)?;
    let mut entries = Vec::new();
    for row in rows {
        let (article, position) = row.at(path)?;
        entries.push((decode(path, article)?, position));
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

/// Where the article `id` stands in the order of [`feed_page`].
pub(super) fn position_of(
    conn: &Connection,
    path: &Path,
    id: &str,
) -> Result<Option<FeedPosition>, StoreError> {
    conn.prepare_cached("SELECT published, first_seen, seq FROM article WHERE id = ?")
        .and_then(|mut stmt| {
            stmt.query_row([codec::pack_id(id)], |row| {
                Ok(FeedPosition {
                    published: row.get(0)?,
                    first_seen: row.get(1)?,
                    seq: row.get(2)?,
                })
            })
            .optional()
        })
        .at(path)
}

/// Where the walk `cursor` names goes on here
/// ([`crate::store::Store::place_of_cursor`]): after the number its article
/// is kept under, else, merged away, after the number it had here when
/// that is the cursor's.
pub(super) fn place_of_cursor(
    conn: &Connection,
    path: &Path,
    cursor: &FeedCursor,
) -> Result<Option<FeedPosition>, StoreError> {
    conn.prepare_cached(
        "SELECT seq FROM article WHERE id = ?1 \
         UNION ALL SELECT seq FROM merged_article WHERE id = ?1 AND seq = ?2 LIMIT 1",
    )
    .and_then(|mut stmt| {
        stmt.query_row(
            rusqlite::params![codec::pack_id(&cursor.id), cursor.at.seq],
            |row| row.get(0),
        )
        .optional()
    })
    .at(path)
    .map(|seq| seq.map(|seq| FeedPosition { seq, ..cursor.at }))
}

/// The merged folds of the article once stored under an id, the newest
/// first: the article each was merged into.
const MERGED_INTO: &str = "SELECT a.id FROM fold f JOIN article a ON a.seq = f.article \
     WHERE f.copy_id = ? AND f.merged ORDER BY f.folded_at DESC, f.id DESC LIMIT 1";

/// The id of the article the article once stored under `id` was merged
/// into, by the newest merge that took it away.
pub(super) fn merged_into(
    conn: &Connection,
    path: &Path,
    id: &str,
) -> Result<Option<String>, StoreError> {
    let survivor: Option<Vec<u8>> = conn
        .prepare_cached(MERGED_INTO)
        .and_then(|mut stmt| {
            stmt.query_row([codec::pack_id(id)], |row| row.get(0))
                .optional()
        })
        .at(path)?;
    survivor
        .map(|packed| codec::unpack_id(&packed).map_err(|m| corrupt(path, id, m)))
        .transpose()
}

/// How many articles the store holds.
pub(super) fn article_count(conn: &Connection, path: &Path) -> Result<u64, StoreError> {
    conn.query_row("SELECT count(*) FROM article", [], |row| {
        row.get::<_, i64>(0)
    })
    .at(path)
    .map(|n| n.max(0) as u64)
}

/// The sightings of the articles numbered `{marks}`.
const SIGHTINGS_OF: &str = "SELECT s.article, p.source, p.location, s.line, s.first_seen \
     FROM sighting s JOIN place p ON p.id = s.place \
     WHERE s.article IN ({marks}) ORDER BY s.article, s.arrival, s.first_seen, p.source, p.location";

/// Every place each of the articles numbered `seqs` was seen, in the order
/// the sightings arrived, in one query.
fn sightings_of(
    conn: &Connection,
    path: &Path,
    seqs: &[i64],
) -> Result<HashMap<i64, Vec<Sighting>>, StoreError> {
    let sql = SIGHTINGS_OF.replace("{marks}", &marks(seqs.len()));
    let mut stmt = conn.prepare_cached(&sql).at(path)?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(seqs), |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get::<_, i64>(4)?,
            ))
        })
        .at(path)?;
    let mut sightings: HashMap<i64, Vec<Sighting>> = HashMap::new();
    for row in rows {
        let (seq, source, location, line, first_seen) = row.at(path)?;
        let first_seen =
            codec::moment(first_seen).map_err(|m| corrupt(path, &format!("#{seq}"), m))?;
        sightings.entry(seq).or_default().push(Sighting {
            source,
            location,
            line,
            first_seen,
        });
    }
    Ok(sightings)
}

/// `n` comma-separated `?`.
fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
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
        Some(seq) => Ok(sightings_of(conn, path, &[seq])?
            .remove(&seq)
            .unwrap_or_default()),
        None => Ok(Vec::new()),
    }
}

/// The folds that meet `condition`, oldest first.
fn fold_sql(condition: &str) -> String {
    format!(
        "SELECT a.seq, a.id, a.published, a.updated, a.content, f.copy_id, f.copy_title, f.rule, \
         f.distance, f.replaced, f.evidence, p.source, p.location, f.line, f.folded_at, f.merged \
         FROM fold f JOIN article a ON a.seq = f.article JOIN place p ON p.id = f.place \
         WHERE {condition} ORDER BY f.folded_at, f.id"
    )
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
    conn: &Connection,
    path: &Path,
    of: FoldsOf,
) -> Result<Vec<(i64, FoldedCopy)>, StoreError> {
    let (condition, args): (String, Vec<i64>) = match of {
        FoldsOf::Since(since) => ("f.folded_at >= ?".into(), vec![since]),
        FoldsOf::Articles(seqs) => (
            format!("f.article IN ({})", marks(seqs.len())),
            seqs.to_vec(),
        ),
    };
    let sql = fold_sql(&condition);
    let mut stmt = conn.prepare_cached(&sql).at(path)?;
    type Row = (
        i64,
        ArticleRow,
        (Vec<u8>, String, String, Option<u32>, Option<String>),
        (Option<String>, String, String, i64, i64),
        bool,
    );
    let rows = stmt
        .query_map(
            rusqlite::params_from_iter(args),
            |row| -> rusqlite::Result<Row> {
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
                    row.get(15)?,
                ))
            },
        )
        .at(path)?;
    let mut folds = Vec::new();
    for row in rows {
        let (seq, article, (copy_id, copy_title, rule, distance, replaced), seen, merged) =
            row.at(path)?;
        let article = decode(path, article)?;
        let (evidence, source, location, line, folded_at) = seen;
        let bad = |m: String| corrupt(path, &article.id, m);
        let copy_id = codec::unpack_id(&copy_id).map_err(bad)?;
        let folded_at = codec::moment(folded_at).map_err(bad)?;
        folds.push((
            seq,
            FoldedCopy {
                article_seen: None,
                article_id: article.id,
                article_title: article.title,
                copy_id,
                copy_title,
                rule,
                distance,
                replaced,
                evidence,
                seen: Sighting {
                    source,
                    location,
                    line,
                    first_seen: folded_at,
                },
                merged,
            },
        ));
    }
    Ok(folds)
}

/// Every copy folded into another article at or after `since` (all when
/// `None`), oldest first.
pub(super) fn folds(
    conn: &Connection,
    path: &Path,
    since: Option<DateTime<Utc>>,
) -> Result<Vec<FoldedCopy>, StoreError> {
    let since = since.map(codec::seconds).unwrap_or(i64::MIN);
    let folds = fold_rows(conn, path, FoldsOf::Since(since))?;
    store::with_first_sightings(folds, |seqs| sightings_of(conn, path, seqs))
}

/// The queries of the articles page, on one connection.
pub(super) struct Pages<'a> {
    pub conn: &'a Connection,
    pub path: &'a Path,
}

/// The articles the page walks read.
macro_rules! page_columns {
    () => {
        "SELECT seq, id, published, updated, content FROM article "
    };
}

/// The runs of the articles page's walks ([`run_sql`]), each a seek of
/// `article_in_feed_order`, on `(published, first_seen, seq DESC)`, read
/// backwards to walk older and forwards to walk newer, so each run comes
/// in the feeds' order (`ORDER BY published DESC, first_seen DESC, seq`)
/// or its reverse with no sort. SQLite seeks a row value by its first
/// column alone, so the walk goes by runs: the position's second, its
/// date, the dates beyond; three seeks, however many articles tie.
const OLDER_SAME_SECOND: &str = concat!(
    page_columns!(),
    "WHERE published = ? AND first_seen = ? AND seq >= ? ORDER BY seq LIMIT ?"
);
const OLDER_SAME_DATE: &str = concat!(
    page_columns!(),
    "WHERE published = ? AND first_seen < ? ORDER BY first_seen DESC, seq LIMIT ?"
);
const OLDER_DATES: &str = concat!(
    page_columns!(),
    "WHERE published < ? ORDER BY published DESC, first_seen DESC, seq LIMIT ?"
);
const NEWER_SAME_SECOND: &str = concat!(
    page_columns!(),
    "WHERE published = ? AND first_seen = ? AND seq < ? ORDER BY seq DESC LIMIT ?"
);
const NEWER_SAME_DATE: &str = concat!(
    page_columns!(),
    "WHERE published = ? AND first_seen > ? ORDER BY first_seen, seq DESC LIMIT ?"
);
const NEWER_DATES: &str = concat!(
    page_columns!(),
    "WHERE published > ? ORDER BY published, first_seen, seq DESC LIMIT ?"
);

/// The query of `run` and how many of a position's fields it takes
/// (`published`, `first_seen`, `seq`, in that order), before the limit.
fn run_sql(run: Run) -> (&'static str, usize) {
    match run {
        Run::SameSecond(Way::Older) => (OLDER_SAME_SECOND, 3),
        Run::SameDate(Way::Older) => (OLDER_SAME_DATE, 2),
        Run::OtherDates(Way::Older) => (OLDER_DATES, 1),
        Run::SameSecond(Way::Newer) => (NEWER_SAME_SECOND, 3),
        Run::SameDate(Way::Newer) => (NEWER_SAME_DATE, 2),
        Run::OtherDates(Way::Newer) => (NEWER_DATES, 1),
    }
}

impl PageQueries for Pages<'_> {
    fn position(&mut self, id: &str) -> Result<Option<FeedPosition>, StoreError> {
        position_of(self.conn, self.path, id)
    }

    fn run(&mut self, run: Run, at: FeedPosition, n: usize) -> Result<Walked, StoreError> {
        let (sql, fields) = run_sql(run);
        let mut args = [at.published, at.first_seen, at.seq][..fields].to_vec();
        args.push(n as i64);
        let mut stmt = self.conn.prepare_cached(sql).at(self.path)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(args), |row| {
                Ok((row.get::<_, i64>(0)?, article_row_at(row, 1)?))
            })
            .at(self.path)?;
        let mut found = Vec::new();
        for row in rows {
            let (seq, row) = row.at(self.path)?;
            found.push((seq, decode(self.path, row)?));
        }
        Ok(found)
    }

    fn sightings(&mut self, seqs: &[i64]) -> Result<HashMap<i64, Vec<Sighting>>, StoreError> {
        sightings_of(self.conn, self.path, seqs)
    }

    fn folds(&mut self, seqs: &[i64]) -> Result<Vec<(i64, FoldedCopy)>, StoreError> {
        fold_rows(self.conn, self.path, FoldsOf::Articles(seqs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What SQLite plans for `sql`, one step a line.
    fn plan(conn: &Connection, sql: &str) -> String {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let count = stmt.parameter_count();
        let params: Vec<i64> = vec![1; count];
        stmt.query_map(rusqlite::params_from_iter(params), |row| {
            row.get::<_, String>(3)
        })
        .unwrap()
        .map(Result::unwrap)
        .collect::<Vec<_>>()
        .join("\n")
    }

    #[test]
    fn the_page_walks_seek_the_published_index_and_scan_nothing() {
        let store = crate::store::sqlite::SqliteStore::open_in_memory().unwrap();
        let conn = &store.conn;
        for (sql, seek) in [
            (
                OLDER_SAME_SECOND,
                "(published=? AND first_seen=? AND seq>?)",
            ),
            (OLDER_SAME_DATE, "(published=? AND first_seen<?)"),
            (OLDER_DATES, "(published<?)"),
            (
                NEWER_SAME_SECOND,
                "(published=? AND first_seen=? AND seq<?)",
            ),
            (NEWER_SAME_DATE, "(published=? AND first_seen>?)"),
            (NEWER_DATES, "(published>?)"),
        ] {
            // One seek, its rows in the order asked: no sort.
            let plan = plan(conn, sql);
            assert_eq!(
                plan,
                format!("SEARCH article USING INDEX article_in_feed_order {seek}"),
                "{sql}"
            );
        }
        // The sightings and folds of a page's articles: by their keys, in
        // both halves of the sightings (write_behind).
        let sightings = plan(conn, &SIGHTINGS_OF.replace("{marks}", &marks(3)));
        for half in ["sighting_settled", "sighting_pending"] {
            assert!(
                sightings.contains(&format!("SEARCH {half} USING PRIMARY KEY (article=?)")),
                "{sightings}"
            );
        }
        let folds = plan(conn, &fold_sql("f.article IN (?, ?, ?)"));
        assert!(
            folds.contains("SEARCH f USING INDEX sqlite_autoindex_fold_1 (article=?)"),
            "{folds}"
        );
        for plan in [sightings, folds] {
            // The one scan allowed is of the sightings the halves gave.
            let scans: Vec<&str> = plan
                .lines()
                .filter(|line| line.contains("SCAN") && *line != "SCAN s")
                .collect();
            assert!(scans.is_empty(), "{plan}");
        }
    }

    #[test]
    fn where_a_merged_away_id_went_is_sought_among_the_merges_only() {
        let store = crate::store::sqlite::SqliteStore::open_in_memory().unwrap();
        let plan = plan(&store.conn, MERGED_INTO);
        assert!(
            plan.contains("SEARCH f USING INDEX fold_merged_copy (copy_id=?)"),
            "{plan}"
        );
        assert!(!plan.contains("SCAN"), "{plan}");
    }
}

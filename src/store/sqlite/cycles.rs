//! The `source_cycle` table: what each of the last cycles of each source
//! did (new articles, folded copies, whether it failed), at most
//! [`CYCLES_KEPT`] per source, for the articles page's charts; and the
//! `feed_publication` table: whether each feed's latest publication by
//! `feedfold run` failed, for a server beside it.

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

use super::{At, corrupt};
use crate::store::{CYCLES_AHEAD_ALLOWED, CYCLES_KEPT, FeedPublication, SourceCycle, StoreError};

/// Keeps `cycle` (at the first millisecond from its own that no cycle of
/// the source was kept at: cycles that end at the same moment are all
/// kept) and forgets the source's cycles beyond the newest [`CYCLES_KEPT`].
pub(super) fn record(
    conn: &Connection,
    path: &Path,
    cycle: &SourceCycle,
) -> Result<(), StoreError> {
    let mut cycle = cycle.clone();
    while !insert(conn, path, &cycle)? {
        cycle.at += chrono::TimeDelta::milliseconds(1);
    }
    forget_old(conn, path, &cycle.source, cycle.at)
}

/// Forgets `source`'s cycles beyond the newest [`CYCLES_KEPT`] as of a
/// cycle kept at `now`: those dated more than [`CYCLES_AHEAD_ALLOWED`]
/// after it count as older than the rest.
pub(super) fn forget_old(
    conn: &Connection,
    path: &Path,
    source: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "DELETE FROM source_cycle WHERE source = ?1 AND at IN \
         (SELECT at FROM source_cycle WHERE source = ?1 \
          ORDER BY at > ?3, at DESC LIMIT -1 OFFSET ?2)",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            source,
            CYCLES_KEPT as i64,
            (now + CYCLES_AHEAD_ALLOWED).timestamp_millis()
        ])
    })
    .at(path)?;
    Ok(())
}

/// Adds `cycle`; false (and nothing added) when a cycle of the source was
/// kept at the same moment.
pub(super) fn insert(
    conn: &Connection,
    path: &Path,
    cycle: &SourceCycle,
) -> Result<bool, StoreError> {
    let added = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO source_cycle (source, at, new, folded, failed) \
             VALUES (?, ?, ?, ?, ?)",
        )
        .and_then(|mut stmt| {
            stmt.execute(params![
                cycle.source,
                cycle.at.timestamp_millis(),
                cycle.new,
                cycle.folded,
                cycle.failed
            ])
        })
        .at(path)?;
    Ok(added == 1)
}

/// Every cycle kept, by source, each source's oldest first.
pub(super) fn all(conn: &Connection, path: &Path) -> Result<Vec<SourceCycle>, StoreError> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT source, at, new, folded, failed FROM source_cycle ORDER BY source, at",
        )
        .at(path)?;
    let rows = stmt
        .query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, i64>(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
            ))
        })
        .at(path)?;
    let mut cycles = Vec::new();
    for row in rows {
        let (source, at, new, folded, failed) = row.at(path)?;
        let at = DateTime::from_timestamp_millis(at).ok_or_else(|| {
            corrupt(
                path,
                &format!("cycle of {source}"),
                format!("{at} ms is no moment"),
            )
        })?;
        cycles.push(SourceCycle {
            source,
            at,
            new,
            folded,
            failed,
        });
    }
    Ok(cycles)
}

/// Keeps `publication` as its feed's latest ([`crate::store::Store::record_publications`]).
pub(super) fn record_publication(
    conn: &Connection,
    path: &Path,
    publication: &FeedPublication,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO feed_publication (feed, at, failed) VALUES (?1, ?2, ?3) \
         ON CONFLICT (feed) DO UPDATE SET at = max(excluded.at, feed_publication.at + 1), \
         failed = excluded.failed",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            publication.feed,
            publication.at.timestamp_millis(),
            publication.failed
        ])
    })
    .at(path)?;
    Ok(())
}

/// Each feed's latest publication kept, by feed.
pub(super) fn publications(
    conn: &Connection,
    path: &Path,
) -> Result<Vec<FeedPublication>, StoreError> {
    let mut stmt = conn
        .prepare_cached("SELECT feed, at, failed FROM feed_publication ORDER BY feed")
        .at(path)?;
    let rows = stmt
        .query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?, row.get(2)?))
        })
        .at(path)?;
    let mut publications = Vec::new();
    for row in rows {
        let (feed, at, failed) = row.at(path)?;
        let at = DateTime::from_timestamp_millis(at).ok_or_else(|| {
            corrupt(
                path,
                &format!("publication of {feed}"),
                format!("{at} ms is no moment"),
            )
        })?;
        publications.push(FeedPublication { feed, at, failed });
    }
    Ok(publications)
}

//! The `source_cycle` table in PostgreSQL: what each of the last cycles of
//! each source did, at most [`CYCLES_KEPT`] per source; and the
//! `feed_publication` table: whether each feed's latest publication by
//! `feedfold run` failed; as in SQLite.

use chrono::{DateTime, Utc};

use super::At;
use super::connect::{Conn, Target};
use super::corrupt;
use crate::store::{CYCLES_AHEAD_ALLOWED, CYCLES_KEPT, FeedPublication, SourceCycle, StoreError};

/// Keeps `cycle` (at the first millisecond from its own that no cycle of
/// the source was kept at: cycles that end at the same moment, on any
/// worker, are all kept) and forgets the source's cycles beyond the newest
/// [`CYCLES_KEPT`].
pub(super) fn record(
    conn: &mut Conn,
    target: &Target,
    cycle: &SourceCycle,
) -> Result<(), StoreError> {
    let mut cycle = cycle.clone();
    while !insert(conn, target, &cycle)? {
        cycle.at += chrono::TimeDelta::milliseconds(1);
    }
    forget_old(conn, target, &cycle.source, cycle.at)
}

/// Forgets `source`'s cycles beyond the newest [`CYCLES_KEPT`] as of a
/// cycle kept at `now`: those dated more than [`CYCLES_AHEAD_ALLOWED`]
/// after it count as older than the rest.
pub(super) fn forget_old(
    conn: &mut Conn,
    target: &Target,
    source: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    conn.execute(
        "DELETE FROM source_cycle WHERE source = $1 AND at IN \
         (SELECT at FROM source_cycle WHERE source = $1 \
          ORDER BY at > $3, at DESC OFFSET $2)",
        &[
            &source,
            &(CYCLES_KEPT as i64),
            &(now + CYCLES_AHEAD_ALLOWED).timestamp_millis(),
        ],
    )
    .at(target)?;
    Ok(())
}

/// Adds `cycle`; false (and nothing added) when a cycle of the source was
/// kept at the same moment.
pub(super) fn insert(
    conn: &mut Conn,
    target: &Target,
    cycle: &SourceCycle,
) -> Result<bool, StoreError> {
    let added = conn
        .execute(
            "INSERT INTO source_cycle (source, at, new, folded, failed) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (source, at) DO NOTHING",
            &[
                &cycle.source,
                &cycle.at.timestamp_millis(),
                &(cycle.new.min(i32::MAX as u32) as i32),
                &(cycle.folded.min(i32::MAX as u32) as i32),
                &cycle.failed,
            ],
        )
        .at(target)?;
    Ok(added == 1)
}

/// Every cycle kept, by source, each source's oldest first.
pub(super) fn all(conn: &mut Conn, target: &Target) -> Result<Vec<SourceCycle>, StoreError> {
    let rows = conn
        .query(
            "SELECT source, at, new, folded, failed FROM source_cycle ORDER BY source, at",
            &[],
        )
        .at(target)?;
    rows.iter()
        .map(|row| {
            let source: String = row.get(0);
            let at: i64 = row.get(1);
            let at = DateTime::from_timestamp_millis(at).ok_or_else(|| {
                corrupt(
                    target,
                    &format!("cycle of {source}"),
                    format!("{at} ms is no moment"),
                )
            })?;
            Ok(SourceCycle {
                source,
                at,
                new: row.get::<_, i32>(2).max(0) as u32,
                folded: row.get::<_, i32>(3).max(0) as u32,
                failed: row.get(4),
            })
        })
        .collect()
}

/// Keeps `publication` as its feed's latest ([`crate::store::Store::record_publications`]).
pub(super) fn record_publication(
    conn: &mut Conn,
    target: &Target,
    publication: &FeedPublication,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO feed_publication (feed, at, failed) VALUES ($1, $2, $3) \
         ON CONFLICT (feed) DO UPDATE SET at = GREATEST(EXCLUDED.at, feed_publication.at + 1), \
         failed = EXCLUDED.failed",
        &[
            &publication.feed,
            &publication.at.timestamp_millis(),
            &publication.failed,
        ],
    )
    .at(target)?;
    Ok(())
}

/// Each feed's latest publication kept, by feed.
pub(super) fn publications(
    conn: &mut Conn,
    target: &Target,
) -> Result<Vec<FeedPublication>, StoreError> {
    let rows = conn
        .query(
            "SELECT feed, at, failed FROM feed_publication ORDER BY feed",
            &[],
        )
        .at(target)?;
    rows.iter()
        .map(|row| {
            let feed: String = row.get(0);
            let at: i64 = row.get(1);
            let at = DateTime::from_timestamp_millis(at).ok_or_else(|| {
                corrupt(
                    target,
                    &format!("publication of {feed}"),
                    format!("{at} ms is no moment"),
                )
            })?;
            Ok(FeedPublication {
                feed,
                at,
                failed: row.get(2),
            })
        })
        .collect()
}

//! Content keys and sightings written behind. Both are keyed by values that
//! scatter (a hash; the number of the old article a copy folds into), so
//! filing each new row in its large table would dirty one leaf of it per
//! copy, and SQLite writes every dirtied page to the WAL and once more at
//! the checkpoint: at a million articles most of a run's writes.
//!
//! New rows wait in `content_key_pending` and `sighting_pending` instead, a
//! few hot pages, and enter `content_key_settled` and `sighting_settled`
//! in key order when a merge is due ([`merge_due`]), so each leaf there is
//! written once for all the rows that land in it. The views `content_key`
//! and `sighting` show both halves to every reader; a row is in one half
//! only, as the inserts here look in the settled half first.

use std::path::Path;

use rusqlite::{Connection, params};

use super::At;
use crate::store::StoreError;

/// Waiting rows that make a merge due in a store of up to 65,536 articles.
const MIN_PENDING_ROWS: i64 = 4096;

/// Whether `pending` waiting rows should be merged into a store of
/// `stored` articles: one waiting row for every sixteen stored. A merge
/// writes about every leaf of the settled tables, which grow with the
/// store, so merging at a fixed share of it keeps the pages written per
/// row the same at any size (a few percent of a page, against one page a
/// row filed in place), and the waiting tables small enough to stay hot.
pub(super) fn merge_due(pending: i64, stored: i64) -> bool {
    pending >= MIN_PENDING_ROWS.max(stored / 16)
}

/// Records that content key `key` (its first 16 bytes) leads to `article`,
/// unless a stored key already leads elsewhere; whether a row now waits.
pub(super) fn remember_content_key(
    conn: &Connection,
    path: &Path,
    key: &[u8],
    article: i64,
) -> Result<bool, StoreError> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO content_key_pending (key, article) SELECT ?1, ?2 \
         WHERE NOT EXISTS (SELECT 1 FROM content_key_settled WHERE key = ?1)",
    )
    .and_then(|mut stmt| stmt.execute(params![key, article]))
    .at(path)
    .map(|added| added > 0)
}

/// Records that `article` was seen at `place` (line `line`, at
/// `first_seen`, stored at `stored`, Unix seconds) unless it was seen
/// there already, numbering the sighting after those of the article that
/// arrived before it; whether it is a new sighting (and a row now waits).
pub(super) fn add_sighting(
    conn: &Connection,
    path: &Path,
    article: i64,
    place: i64,
    line: i64,
    first_seen: i64,
    stored: Option<i64>,
) -> Result<bool, StoreError> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO sighting_pending (article, place, line, first_seen, arrival, stored) \
         SELECT ?1, ?2, ?3, ?4, (SELECT count(*) FROM sighting_settled WHERE article = ?1) \
             + (SELECT count(*) FROM sighting_pending WHERE article = ?1), ?5 \
         WHERE NOT EXISTS (SELECT 1 FROM sighting_settled WHERE article = ?1 AND place = ?2)",
    )
    .and_then(|mut stmt| stmt.execute(params![article, place, line, first_seen, stored]))
    .at(path)
    .map(|added| added > 0)
}

/// Counts `added` more waiting rows (those a transaction's inserts said
/// they added, counted once at its end), then merges all waiting rows when
/// [`merge_due`] says; whether it merged. A count that includes rows a
/// discarded unit took back only brings the next merge forward.
pub(super) fn merge_if_due(conn: &Connection, path: &Path, added: u64) -> Result<bool, StoreError> {
    if added == 0 {
        // Nothing new waits, and a merge due before was made then.
        return Ok(false);
    }
    let (pending, stored): (i64, i64) = conn
        .prepare_cached(
            "UPDATE write_behind SET pending = pending + ? \
             RETURNING pending, (SELECT coalesce(max(seq), 0) FROM article)",
        )
        .and_then(|mut stmt| stmt.query_row([added as i64], |row| Ok((row.get(0)?, row.get(1)?))))
        .at(path)?;
    if !merge_due(pending, stored) {
        return Ok(false);
    }
    merge(conn, path)?;
    Ok(true)
}

/// Moves every waiting row into its settled table, in key order.
pub(super) fn merge(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let started = std::time::Instant::now();
    conn.execute_batch(
        "INSERT OR IGNORE INTO content_key_settled (key, article) \
             SELECT key, article FROM content_key_pending ORDER BY key;
         DELETE FROM content_key_pending;
         INSERT OR IGNORE INTO sighting_settled (article, place, line, first_seen, arrival, stored) \
             SELECT article, place, line, first_seen, arrival, stored FROM sighting_pending ORDER BY article, place;
         DELETE FROM sighting_pending;
         UPDATE write_behind SET pending = 0;",
    )
    .at(path)?;
    tracing::debug!(
        store = %path.display(),
        ms = started.elapsed().as_millis() as u64,
        "merged the content keys and sightings written behind"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::SqliteStore;

    fn store() -> SqliteStore {
        let store = SqliteStore::open_in_memory().unwrap();
        for seq in 1..=3 {
            store
                .conn
                .execute(
                    "INSERT INTO article (seq, id, published, updated, first_seen, content, prints, keys) \
                     VALUES (?, ?, 0, 0, 0, x'', x'', x'')",
                    params![seq, vec![seq as u8]],
                )
                .unwrap();
        }
        store
    }

    fn count(store: &SqliteStore, table: &str) -> i64 {
        store
            .conn
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
                row.get(0)
            })
            .unwrap()
    }

    fn pending(store: &SqliteStore) -> i64 {
        count(store, "content_key_pending") + count(store, "sighting_pending")
    }

    fn led_to(store: &SqliteStore, key: &[u8]) -> Vec<i64> {
        let mut stmt = store
            .conn
            .prepare("SELECT article FROM content_key WHERE key = ?")
            .unwrap();
        stmt.query_map([key], |row| row.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    fn arrivals(store: &SqliteStore, article: i64) -> Vec<(i64, i64)> {
        let mut stmt = store
            .conn
            .prepare("SELECT place, arrival FROM sighting WHERE article = ? ORDER BY arrival")
            .unwrap();
        stmt.query_map([article], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    #[test]
    fn a_content_key_waits_then_settles_and_the_first_article_keeps_it() {
        let store = store();
        let (conn, path) = (&store.conn, store.path.as_path());
        assert!(remember_content_key(conn, path, b"key-one", 1).unwrap());
        assert!(!remember_content_key(conn, path, b"key-one", 2).unwrap());
        assert_eq!(led_to(&store, b"key-one"), [1]);
        assert_eq!(count(&store, "content_key_pending"), 1);
        merge(conn, path).unwrap();
        assert_eq!(count(&store, "content_key_settled"), 1);
        assert_eq!(pending(&store), 0);
        // Settled, the key still leads to its first article only.
        assert!(!remember_content_key(conn, path, b"key-one", 3).unwrap());
        assert_eq!(led_to(&store, b"key-one"), [1]);
        assert_eq!(pending(&store), 0);
    }

    #[test]
    fn sightings_are_new_once_per_place_and_numbered_across_both_halves() {
        let store = store();
        let (conn, path) = (&store.conn, store.path.as_path());
        assert!(add_sighting(conn, path, 1, 10, 1, 100, None).unwrap());
        merge(conn, path).unwrap();
        assert!(
            !add_sighting(conn, path, 1, 10, 2, 200, None).unwrap(),
            "seen there, settled"
        );
        assert!(add_sighting(conn, path, 1, 11, 1, 300, None).unwrap());
        assert!(
            !add_sighting(conn, path, 1, 11, 3, 400, None).unwrap(),
            "seen there, waiting"
        );
        assert!(add_sighting(conn, path, 1, 12, 1, 500, None).unwrap());
        assert_eq!(arrivals(&store, 1), [(10, 0), (11, 1), (12, 2)]);
        merge(conn, path).unwrap();
        assert_eq!(arrivals(&store, 1), [(10, 0), (11, 1), (12, 2)]);
        assert_eq!(count(&store, "sighting_settled"), 3);
    }

    #[test]
    fn rows_a_discarded_unit_wrote_are_taken_back_with_it() {
        let store = store();
        let (conn, path) = (&store.conn, store.path.as_path());
        conn.execute_batch("BEGIN IMMEDIATE; SAVEPOINT unit")
            .unwrap();
        assert!(remember_content_key(conn, path, b"discarded", 1).unwrap());
        assert!(add_sighting(conn, path, 1, 10, 1, 100, None).unwrap());
        conn.execute_batch("ROLLBACK TO unit; RELEASE unit")
            .unwrap();
        assert!(remember_content_key(conn, path, b"kept", 2).unwrap());
        assert!(add_sighting(conn, path, 2, 10, 1, 100, None).unwrap());
        conn.execute_batch("COMMIT").unwrap();
        assert!(led_to(&store, b"discarded").is_empty());
        assert!(arrivals(&store, 1).is_empty());
        assert_eq!(led_to(&store, b"kept"), [2]);
        assert_eq!(arrivals(&store, 2), [(10, 0)]);
        assert!(
            add_sighting(conn, path, 1, 10, 1, 100, None).unwrap(),
            "new again"
        );
    }

    #[test]
    fn a_merge_is_due_at_a_share_of_the_store_and_empties_the_waiting_tables() {
        assert!(!merge_due(MIN_PENDING_ROWS - 1, 0));
        assert!(merge_due(MIN_PENDING_ROWS, 0));
        assert!(!merge_due(MIN_PENDING_ROWS, 1_000_000));
        assert!(merge_due(62_500, 1_000_000));
        let store = store();
        let (conn, path) = (&store.conn, store.path.as_path());
        let mut added = 0;
        for n in 0..MIN_PENDING_ROWS - 1 {
            added += u64::from(remember_content_key(conn, path, &n.to_be_bytes(), 1).unwrap());
        }
        assert!(!merge_if_due(conn, path, added).unwrap());
        assert!(!merge_if_due(conn, path, 0).unwrap(), "nothing new");
        assert!(add_sighting(conn, path, 2, 10, 1, 100, None).unwrap());
        assert!(merge_if_due(conn, path, 1).unwrap());
        assert_eq!(pending(&store), 0);
        assert_eq!(count(&store, "content_key"), MIN_PENDING_ROWS - 1);
        assert_eq!(count(&store, "sighting"), 1);
        let counter: i64 = conn
            .query_row("SELECT pending FROM write_behind", [], |row| row.get(0))
            .unwrap();
        assert_eq!(counter, 0);
    }
}

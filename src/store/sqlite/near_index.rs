//! The near-duplicate index in SQLite: each article's [`NearPrints`] packed
//! in its row, with the numbers of the index keys it is filed under
//! ([`codec::near_keys`] of [`NearPrints::index_keys`], for the distance
//! recorded in `near_index`), and a row per number. An article's old keys
//! are removed by the list its row keeps, never recomputed, so changing how
//! keys are made cannot leave stale rows behind.
//!
//! The rows live in `near_key`, keyed by hash, so an article's keys land in
//! as many scattered leaves: filed there one article at a time, a batch of
//! a few thousand articles would dirty most of a large index and write it
//! all out at commit. New rows go to `near_key_pending` instead and rows to
//! delete are listed in `near_key_gone`; both stay a few megabytes, and are
//! merged into `near_key` in key order when [`store::near_merge_due`] says
//! (as PostgreSQL's GIN indexes do with their pending list).
//!
//! A lookup reads one short index range per key of the copy (four body
//! bands at distance 3, one key for each of the first long paragraphs, one
//! for the headline), keeps the newest articles of each up to a cap (a body
//! band's rows only within the distance: [`codec::NearProbe`]), and
//! unpacks the prints of the distinct candidates: its cost depends on the
//! copy and on how many stored articles really resemble it, not on how
//! many the store holds.

use std::path::Path;

use rusqlite::functions::FunctionFlags;
use rusqlite::{Connection, params};

use super::{At, StoreError, corrupt};
use crate::dedup::{Candidate, IndexKey, NearPrints};
use crate::store::{self, codec};

/// The SQL function `near_distance(number, center)`: how many of the
/// [`KEY_BITS`](crate::dedup::KEY_BITS) bits under their tags two index numbers differ in
/// ([`codec::key_distance`]), by which a band's range lookup keeps the
/// rows within its reach.
const NEAR_DISTANCE: &str = "near_distance";

/// Makes the functions the index's statements use known to `conn`.
pub(super) fn register_functions(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        NEAR_DISTANCE,
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| Ok(codec::key_distance(ctx.get(0)?, ctx.get(1)?)),
    )
}

/// The distance the body bands in `near_key` were cut for.
pub(super) fn index_distance(conn: &Connection, path: &Path) -> Result<u32, StoreError> {
    conn.query_row("SELECT max_distance FROM near_index", [], |row| row.get(0))
        .at(path)
}

/// Files `article` under `keys`: rows of `near_key_pending`, whose few
/// pages take every new filing, so a batch of articles dirties those pages
/// and not one leaf of `near_key` per key.
pub(super) fn insert_keys(
    conn: &Connection,
    path: &Path,
    article: i64,
    keys: &[i64],
) -> Result<(), StoreError> {
    let mut stmt = conn
        .prepare_cached("INSERT OR IGNORE INTO near_key_pending (key, article) VALUES (?, ?)")
        .at(path)?;
    let mut filed = 0;
    for key in keys {
        filed += stmt.execute(params![key, article]).at(path)?;
    }
    count_pending(conn, path, filed)
}

/// Takes `article` off `keys`: its rows leave `near_key_pending` at once;
/// rows of `near_key` are listed in `near_key_gone` and deleted at the next
/// merge (a lookup meanwhile skips an article whose row no longer lists
/// the key it was found by).
pub(super) fn delete_keys(
    conn: &Connection,
    path: &Path,
    article: i64,
    keys: &[i64],
) -> Result<(), StoreError> {
    let mut unfile = conn
        .prepare_cached("DELETE FROM near_key_pending WHERE key = ? AND article = ?")
        .at(path)?;
    let mut gone = conn
        .prepare_cached("INSERT OR IGNORE INTO near_key_gone (key, article) VALUES (?, ?)")
        .at(path)?;
    let mut listed = 0;
    for key in keys {
        unfile.execute(params![key, article]).at(path)?;
        listed += gone.execute(params![key, article]).at(path)?;
    }
    count_pending(conn, path, listed)
}

fn count_pending(conn: &Connection, path: &Path, rows: usize) -> Result<(), StoreError> {
    if rows > 0 {
        conn.prepare_cached("UPDATE near_index SET pending = pending + ?")
            .and_then(|mut stmt| stmt.execute([rows as i64]))
            .at(path)?;
    }
    Ok(())
}

/// Files `article` under `keys` in `near_key` itself: for filing a whole
/// store at once (a migration, a re-keying), where the rows arrive in bulk.
pub(super) fn insert_settled_keys(
    conn: &Connection,
    path: &Path,
    article: i64,
    keys: &[i64],
) -> Result<(), StoreError> {
    let mut stmt = conn
        .prepare_cached("INSERT OR IGNORE INTO near_key (key, article) VALUES (?, ?)")
        .at(path)?;
    for key in keys {
        stmt.execute(params![key, article]).at(path)?;
    }
    Ok(())
}

/// How many rows the index holds once its pending rows are merged.
pub(super) fn key_count(conn: &Connection, path: &Path) -> Result<u64, StoreError> {
    conn.query_row(
        "SELECT (SELECT count(*) FROM near_key) + (SELECT count(*) FROM near_key_pending) \
         - (SELECT count(*) FROM near_key_gone g JOIN near_key m ON m.key = g.key AND m.article = g.article)",
        [],
        |row| row.get::<_, i64>(0),
    )
    .at(path)
    .map(|n| n.max(0) as u64)
}

/// Merges the pending rows into `near_key` when they are due
/// ([`store::near_merge_due`]); whether it merged.
pub(super) fn merge_if_due(conn: &Connection, path: &Path) -> Result<bool, StoreError> {
    let (pending, stored): (i64, i64) = conn
        .prepare_cached(
            "SELECT pending, (SELECT coalesce(max(seq), 0) FROM article) FROM near_index",
        )
        .and_then(|mut stmt| stmt.query_row([], |row| Ok((row.get(0)?, row.get(1)?))))
        .at(path)?;
    if !store::near_merge_due(pending, stored) {
        return Ok(false);
    }
    merge(conn, path)?;
    Ok(true)
}

/// Applies the pending deletions to `near_key`, then the pending rows, both
/// in key order, so each leaf of `near_key` is written once however many
/// rows land in it.
pub(super) fn merge(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let started = std::time::Instant::now();
    conn.execute_batch(
        "DELETE FROM near_key WHERE (key, article) IN (SELECT key, article FROM near_key_gone);
         INSERT OR IGNORE INTO near_key (key, article) SELECT key, article FROM near_key_pending;
         DELETE FROM near_key_gone;
         DELETE FROM near_key_pending;
         UPDATE near_index SET pending = 0;",
    )
    .at(path)?;
    tracing::debug!(
        store = %path.display(),
        ms = started.elapsed().as_millis() as u64,
        "merged the pending near-duplicate index rows"
    );
    Ok(())
}

/// Files the article numbered `seq` under the keys of `prints` for
/// distance `k`, in place of the keys it was filed under (`old`, as its row
/// lists them); returns the packed prints and keys for its row.
pub(super) fn refile(
    conn: &Connection,
    path: &Path,
    seq: i64,
    old: &[i64],
    prints: &NearPrints,
    k: u32,
) -> Result<(Vec<u8>, Vec<u8>), StoreError> {
    let keys = codec::near_keys(&prints.index_keys(k));
    swap_keys(conn, path, seq, old, &keys)?;
    Ok((codec::pack_prints(prints), codec::pack_keys(&keys)))
}

/// Files the article numbered `seq` under the key numbers `new` in place
/// of `old` (as its row lists them): only the keys that differ are taken
/// off or filed.
pub(super) fn swap_keys(
    conn: &Connection,
    path: &Path,
    seq: i64,
    old: &[i64],
    new: &[i64],
) -> Result<(), StoreError> {
    let gone: Vec<i64> = old.iter().copied().filter(|n| !new.contains(n)).collect();
    let added: Vec<i64> = new.iter().copied().filter(|n| !old.contains(n)).collect();
    delete_keys(conn, path, seq, &gone)?;
    insert_keys(conn, path, seq, &added)
}

/// Which of the index's tables hold rows: a lookup reads only those.
#[derive(Debug, Clone, Copy)]
pub(super) struct Filled {
    pub pending: bool,
    pub settled: bool,
}

impl Filled {
    pub(super) fn of(conn: &Connection, path: &Path) -> Result<Filled, StoreError> {
        let any = |table: &str| -> Result<bool, StoreError> {
            conn.query_row(
                &format!("SELECT EXISTS (SELECT 1 FROM {table})"),
                [],
                |row| row.get(0),
            )
            .at(path)
        };
        Ok(Filled {
            pending: any("near_key_pending")?,
            settled: any("near_key")?,
        })
    }

    /// The statement that reads the newest `?2` articles filed under the
    /// number `?1`, from the tables that hold rows (both in one statement:
    /// SQLite merges the two ordered ranges and stops at the limit).
    fn exact_lookup(self) -> Option<&'static str> {
        Some(match (self.pending, self.settled) {
            (true, true) => {
                "SELECT ?1, article FROM near_key_pending WHERE key = ?1 \
                 UNION ALL SELECT ?1, article FROM near_key WHERE key = ?1 \
                 ORDER BY 2 DESC LIMIT ?2"
            }
            (true, false) => {
                "SELECT ?1, article FROM near_key_pending WHERE key = ?1 ORDER BY article DESC LIMIT ?2"
            }
            (false, true) => {
                "SELECT ?1, article FROM near_key WHERE key = ?1 ORDER BY article DESC LIMIT ?2"
            }
            (false, false) => return None,
        })
    }

    /// The statement that reads at most `?3` rows filed under a number from
    /// `?1` to `?2`, from the tables that hold rows, and gives those of them
    /// within `?5` bits of the number `?4` ([`NEAR_DISTANCE`]): at a
    /// million articles a band's range holds some fifteen rows, nearly all
    /// chance matches of its leading bits, dropped in SQLite rather than
    /// each handed to the lookup (as PostgreSQL drops them).
    fn range_lookup(self) -> Option<&'static str> {
        Some(match (self.pending, self.settled) {
            (true, true) => {
                "SELECT key, article FROM (SELECT key, article FROM near_key_pending \
                 WHERE key BETWEEN ?1 AND ?2 UNION ALL SELECT key, article FROM near_key \
                 WHERE key BETWEEN ?1 AND ?2 LIMIT ?3) WHERE near_distance(key, ?4) <= ?5"
            }
            (true, false) => {
                "SELECT key, article FROM (SELECT key, article FROM near_key_pending \
                 WHERE key BETWEEN ?1 AND ?2 LIMIT ?3) WHERE near_distance(key, ?4) <= ?5"
            }
            (false, true) => {
                "SELECT key, article FROM (SELECT key, article FROM near_key \
                 WHERE key BETWEEN ?1 AND ?2 LIMIT ?3) WHERE near_distance(key, ?4) <= ?5"
            }
            (false, false) => return None,
        })
    }
}

/// The stored articles that share one of `keys` (index keyed for
/// distance `k`; [`crate::dedup::IndexKey::reaches`]), at most `per_key`
/// newest per key, each once, in the order of the keys; with the number of
/// each.
pub(super) fn candidates(
    conn: &Connection,
    path: &Path,
    keys: &[IndexKey],
    k: u32,
    per_key: usize,
    filled: Filled,
) -> Result<Vec<(i64, Candidate)>, StoreError> {
    let (Some(exact), Some(range)) = (filled.exact_lookup(), filled.range_lookup()) else {
        return Ok(Vec::new());
    };
    let mut exact = conn.prepare_cached(exact).at(path)?;
    let mut range = conn.prepare_cached(range).at(path)?;
    // Each candidate with the key numbers that found it.
    let mut found: Vec<(i64, Vec<i64>)> = Vec::new();
    let mut rows: Vec<(i64, i64)> = Vec::new();
    for probe in codec::near_probes(keys, k) {
        rows.clear();
        if probe.is_exact() {
            let read = exact
                .query_map(params![probe.low, per_key as i64], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })
                .at(path)?;
            for row in read {
                rows.push(row.at(path)?);
            }
        } else {
            let read = range
                .query_map(
                    params![
                        probe.low,
                        probe.high,
                        store::MAX_BAND_ROWS as i64,
                        probe.center,
                        probe.reach()
                    ],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .at(path)?;
            for row in read {
                let (number, seq) = row.at(path)?;
                if probe.admits(number) {
                    rows.push((number, seq));
                }
            }
            rows.sort_unstable_by_key(|&(_, seq)| std::cmp::Reverse(seq));
        }
        let mut taken = 0;
        let mut last = None;
        for &(number, seq) in &rows {
            if last == Some(seq) {
                // Filed in both tables until the next merge.
                continue;
            }
            last = Some(seq);
            taken += 1;
            if taken > per_key {
                break;
            }
            match found.iter_mut().find(|(s, _)| *s == seq) {
                Some((_, keys)) => keys.push(number),
                None => found.push((seq, vec![number])),
            }
        }
    }
    let mut load = conn
        .prepare_cached(
            "SELECT id, published, updated, prints, keys, first_seen, changed FROM article \
             WHERE seq = ?",
        )
        .at(path)?;
    let mut candidates = Vec::with_capacity(found.len());
    for (seq, by) in found {
        type Row = (Vec<u8>, i64, i64, Vec<u8>, Vec<u8>, i64, Option<i64>);
        let (id, published, updated, packed, keys, first_seen, changed): Row = load
            .query_row([seq], |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                    row.get(5)?,
                    row.get(6)?,
                ))
            })
            .at(path)?;
        let id = codec::unpack_id(&id).map_err(|m| corrupt(path, &format!("#{seq}"), m))?;
        let filed = codec::unpack_keys(&keys).map_err(|m| corrupt(path, &id, m))?;
        if !by.iter().any(|key| filed.contains(key)) {
            // Found only by rows the article has left, awaiting the merge.
            continue;
        }
        let prints = codec::unpack_candidate_prints(
            &packed,
            &store::Dated {
                published,
                updated,
                first_seen,
                changed,
            },
        )
        .map_err(|m| corrupt(path, &id, m))?;
        candidates.push((seq, Candidate { id, prints }));
    }
    Ok(candidates)
}

/// Files every stored article afresh under its prints' keys for distance
/// `k` and records `k` as the index's distance. The rows are gathered in a
/// temporary table and filed in key order, so each leaf of `near_key` is
/// written once.
pub(super) fn rekey(conn: &Connection, path: &Path, k: u32) -> Result<(), StoreError> {
    conn.execute_batch(
        "DELETE FROM near_key; DELETE FROM near_key_pending; DELETE FROM near_key_gone;
         UPDATE near_index SET pending = 0;
         CREATE TEMP TABLE refiled (key INTEGER NOT NULL, article INTEGER NOT NULL);",
    )
    .at(path)?;
    let mut stmt = conn
        .prepare("SELECT seq, id, published, updated, prints FROM article")
        .at(path)?;
    let mut update = conn
        .prepare("UPDATE article SET keys = ? WHERE seq = ?")
        .at(path)?;
    let mut file = conn
        .prepare("INSERT INTO temp.refiled (key, article) VALUES (?, ?)")
        .at(path)?;
    let mut rows = stmt.query([]).at(path)?;
    while let Some(row) = rows.next().at(path)? {
        let seq: i64 = row.get(0).at(path)?;
        let id = codec::unpack_id(&row.get::<_, Vec<u8>>(1).at(path)?)
            .map_err(|m| corrupt(path, &format!("#{seq}"), m))?;
        let prints = codec::unpack_prints(
            &row.get::<_, Vec<u8>>(4).at(path)?,
            row.get(2).at(path)?,
            row.get(3).at(path)?,
        )
        .map_err(|m| corrupt(path, &id, m))?;
        let keys = codec::near_keys(&prints.index_keys(k));
        for key in &keys {
            file.execute(params![key, seq]).at(path)?;
        }
        update
            .execute(params![codec::pack_keys(&keys), seq])
            .at(path)?;
    }
    conn.execute_batch(
        "INSERT OR IGNORE INTO near_key (key, article) \
             SELECT key, article FROM temp.refiled ORDER BY key, article;
         DROP TABLE temp.refiled;",
    )
    .at(path)?;
    conn.execute("UPDATE near_index SET max_distance = ?", [k])
        .at(path)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::dedup::{Dates, Decision, Fingerprints};
    use crate::model::{Article, Block};
    use crate::store::sqlite::SqliteStore;
    use crate::store::{Decided, Store};

    fn story(title: &str, paragraphs: &[&str]) -> Article {
        Article {
            title: title.into(),
            body: paragraphs.iter().map(|p| Block::paragraph(*p)).collect(),
            ..Default::default()
        }
    }

    fn harbour() -> Article {
        story(
            "Port of Calder Approves Harbour Expansion",
            &[
                "The board of the Port of Calder voted on Monday to approve a long-delayed \
                 expansion of the northern harbour, ending a two-year dispute with the fishing \
                 cooperatives that use the old quay.",
                "Work on the new breakwater is due to start in the spring and the harbour master \
                 said berths for visiting boats would stay open throughout the building work.",
            ],
        )
    }

    fn library() -> Article {
        story(
            "Library Reopens After Flood Repairs",
            &[
                "The central library in Ashby reopened its doors on Saturday, eight months after \
                 a burst water main flooded the ground floor and ruined much of the local \
                 history collection.",
                "Volunteers spent the winter drying and cataloguing the surviving maps and \
                 parish records, and the reading room now has a raised floor.",
            ],
        )
    }

    /// Stores `article` as new; its number.
    fn store_new(store: &mut SqliteStore, article: &Article) -> i64 {
        let fingerprints = Fingerprints::of(article, "s");
        let now = Utc::now();
        let mut writer = store.begin("s").unwrap();
        writer
            .record(&Decided {
                article,
                headline: &article.title,
                fingerprints: &fingerprints,
                decision: &Decision::New {
                    id: fingerprints.new_id.clone(),
                },
                found_under: None,
                dates: Dates::of(article, now),
                now,
                shows_local_intro: false,
                page_read: false,
                another_copy: false,
            })
            .unwrap();
        writer.commit(&|| now).unwrap();
        store
            .conn
            .query_row("SELECT max(seq) FROM article", [], |r| r.get(0))
            .unwrap()
    }

    fn rows(store: &SqliteStore, table: &str) -> i64 {
        store
            .conn
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }

    fn found(store: &SqliteStore, article: &Article) -> Vec<i64> {
        let prints = NearPrints::of(article);
        let filled = Filled::of(&store.conn, &store.path).unwrap();
        candidates(
            &store.conn,
            &store.path,
            &prints.index_keys(3),
            3,
            16,
            filled,
        )
        .unwrap()
        .into_iter()
        .map(|(seq, _)| seq)
        .collect()
    }

    #[test]
    fn new_rows_wait_in_pending_and_are_found_before_and_after_the_merge() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let seq = store_new(&mut store, &harbour());
        let filed = codec::near_keys(&NearPrints::of(&harbour()).index_keys(3)).len() as i64;
        assert_eq!(
            rows(&store, "near_key"),
            0,
            "nothing lands in the big index"
        );
        assert_eq!(rows(&store, "near_key_pending"), filed);
        assert_eq!(key_count(&store.conn, &store.path).unwrap(), filed as u64);
        assert_eq!(found(&store, &harbour()), vec![seq]);
        assert!(found(&store, &library()).is_empty());

        merge(&store.conn, &store.path).unwrap();
        assert_eq!(rows(&store, "near_key"), filed);
        assert_eq!(rows(&store, "near_key_pending"), 0);
        let pending: i64 = store
            .conn
            .query_row("SELECT pending FROM near_index", [], |r| r.get(0))
            .unwrap();
        assert_eq!(pending, 0);
        assert_eq!(key_count(&store.conn, &store.path).unwrap(), filed as u64);
        assert_eq!(found(&store, &harbour()), vec![seq]);
    }

    #[test]
    fn an_article_refiled_is_not_found_by_the_keys_it_left_before_or_after_the_merge() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let seq = store_new(&mut store, &harbour());
        merge(&store.conn, &store.path).unwrap();
        let old = codec::near_keys(&NearPrints::of(&harbour()).index_keys(3));
        let now = NearPrints::of(&library());
        let (prints, keys) = refile(&store.conn, &store.path, seq, &old, &now, 3).unwrap();
        store
            .conn
            .execute(
                "UPDATE article SET prints = ?, keys = ? WHERE seq = ?",
                params![prints, keys, seq],
            )
            .unwrap();
        assert_eq!(
            rows(&store, "near_key"),
            old.len() as i64,
            "left until the merge"
        );
        assert!(rows(&store, "near_key_gone") > 0);
        assert!(
            found(&store, &harbour()).is_empty(),
            "the rows it left are skipped"
        );
        assert_eq!(found(&store, &library()), vec![seq]);
        let filed = codec::unpack_keys(&keys).unwrap().len() as u64;
        assert_eq!(key_count(&store.conn, &store.path).unwrap(), filed);

        merge(&store.conn, &store.path).unwrap();
        assert_eq!(rows(&store, "near_key_gone"), 0);
        assert_eq!(rows(&store, "near_key") as u64, filed);
        assert!(found(&store, &harbour()).is_empty());
        assert_eq!(found(&store, &library()), vec![seq]);
    }

    #[test]
    fn a_merge_is_due_once_the_pending_rows_reach_the_threshold_for_the_store_size() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        store_new(&mut store, &harbour());
        let set_pending = |store: &SqliteStore, n: i64| {
            store
                .conn
                .execute("UPDATE near_index SET pending = ?", [n])
                .unwrap();
        };
        set_pending(&store, store::NEAR_MERGE_MIN_ROWS - 1);
        assert!(!merge_if_due(&store.conn, &store.path).unwrap());
        set_pending(&store, store::NEAR_MERGE_MIN_ROWS);
        assert!(merge_if_due(&store.conn, &store.path).unwrap());
        assert_eq!(rows(&store, "near_key_pending"), 0);

        // A store of a million articles waits for 512 × 1,000 rows.
        store
            .conn
            .execute("UPDATE article SET seq = 1000000", [])
            .unwrap();
        set_pending(&store, 511_999);
        assert!(!merge_if_due(&store.conn, &store.path).unwrap());
        set_pending(&store, 512_000);
        assert!(merge_if_due(&store.conn, &store.path).unwrap());
    }

    #[test]
    fn a_commit_merges_when_due() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        store
            .conn
            .execute(
                "UPDATE near_index SET pending = ?",
                [store::NEAR_MERGE_MIN_ROWS],
            )
            .unwrap();
        store_new(&mut store, &harbour());
        assert_eq!(rows(&store, "near_key_pending"), 0);
        assert!(rows(&store, "near_key") > 0);
        assert_eq!(found(&store, &harbour()).len(), 1);
    }
}

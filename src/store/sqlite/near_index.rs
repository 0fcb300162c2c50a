//! The near-duplicate index in SQLite: each article's [`NearPrints`] as
//! JSON in `near_prints`, their [`NearPrints::index_keys`] (for the distance
//! recorded in `near_index`) in `near_keys`, and the lookup that returns the
//! candidates for an incoming copy. The keys an article's prints were
//! indexed under are found again by keying its stored prints for the same
//! distance.
//!
//! A lookup reads one short index range per key of the copy (ten body bands
//! at distance 3, one key per long paragraph, one for the headline), each
//! capped at a number of newest articles, and decodes the prints of the
//! distinct candidates: its cost depends on the copy and on how many stored
//! articles really resemble it, not on how many the store holds.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};

use super::{At, StoreError, corrupt, from_json, parse_timestamp, to_json};
use crate::dedup::{Candidate, IndexKey, NearPrints};
use crate::model::{Block, StoredArticle};

/// The distance the body bands in `near_keys` were cut for.
pub(super) fn index_distance(conn: &Connection, path: &Path) -> Result<u32, StoreError> {
    conn.query_row("SELECT max_distance FROM near_index", [], |row| row.get(0))
        .at(path)
}

fn insert_keys(
    conn: &Connection,
    path: &Path,
    print_id: i64,
    keys: &[IndexKey],
) -> Result<(), StoreError> {
    for_each_key(
        conn,
        path,
        "INSERT OR IGNORE INTO near_keys (family, band, value, print_id) VALUES (?, ?, ?, ?)",
        print_id,
        keys,
    )
}

fn delete_keys(
    conn: &Connection,
    path: &Path,
    print_id: i64,
    keys: &[IndexKey],
) -> Result<(), StoreError> {
    for_each_key(
        conn,
        path,
        "DELETE FROM near_keys WHERE family = ? AND band = ? AND value = ? AND print_id = ?",
        print_id,
        keys,
    )
}

/// Runs `sql` once per key, bound to (family, band, value, print id).
fn for_each_key(
    conn: &Connection,
    path: &Path,
    sql: &str,
    print_id: i64,
    keys: &[IndexKey],
) -> Result<(), StoreError> {
    let mut stmt = conn.prepare_cached(sql).at(path)?;
    for key in keys {
        stmt.execute(params![
            key.family.code(),
            key.band,
            key.value as i64,
            print_id
        ])
        .at(path)?;
    }
    Ok(())
}

/// Keeps `prints` as the prints of article `id` and indexes them for
/// distance `k`, replacing the prints and keys it had.
pub(super) fn index(
    conn: &Connection,
    path: &Path,
    id: &str,
    prints: &NearPrints,
    k: u32,
) -> Result<(), StoreError> {
    let old: Option<(i64, String)> = conn
        .prepare_cached("SELECT id, prints FROM near_prints WHERE article_id = ?")
        .and_then(|mut stmt| {
            stmt.query_row([id], |row| Ok((row.get(0)?, row.get(1)?)))
                .optional()
        })
        .at(path)?;
    let json = to_json(prints);
    let print_id = match old {
        Some((print_id, old)) => {
            let old: NearPrints = from_json("prints", &old).map_err(|m| corrupt(path, id, m))?;
            delete_keys(conn, path, print_id, &old.index_keys(k))?;
            conn.prepare_cached("UPDATE near_prints SET prints = ? WHERE id = ?")
                .and_then(|mut stmt| stmt.execute(params![json, print_id]))
                .at(path)?;
            print_id
        }
        None => {
            conn.prepare_cached("INSERT INTO near_prints (article_id, prints) VALUES (?, ?)")
                .and_then(|mut stmt| stmt.execute(params![id, json]))
                .at(path)?;
            conn.last_insert_rowid()
        }
    };
    insert_keys(conn, path, print_id, &prints.index_keys(k))
}

/// The stored articles that share a key with `prints` (index keyed for
/// distance `k`), at most `per_key` newest per key, each once, in the order
/// of the keys.
pub(super) fn candidates(
    conn: &Connection,
    path: &Path,
    prints: &NearPrints,
    k: u32,
    per_key: usize,
) -> Result<Vec<Candidate>, StoreError> {
    let mut print_ids: Vec<i64> = Vec::new();
    let mut lookup = conn
        .prepare_cached(
            "SELECT print_id FROM near_keys WHERE family = ? AND band = ? AND value = ? \
             ORDER BY print_id DESC LIMIT ?",
        )
        .at(path)?;
    for key in prints.index_keys(k) {
        let rows = lookup
            .query_map(
                params![
                    key.family.code(),
                    key.band,
                    key.value as i64,
                    per_key as i64
                ],
                |row| row.get::<_, i64>(0),
            )
            .at(path)?;
        for print_id in rows {
            let print_id = print_id.at(path)?;
            if !print_ids.contains(&print_id) {
                print_ids.push(print_id);
            }
        }
    }
    let mut load = conn
        .prepare_cached("SELECT article_id, prints FROM near_prints WHERE id = ?")
        .at(path)?;
    let mut candidates = Vec::with_capacity(print_ids.len());
    for print_id in print_ids {
        let (id, json): (String, String) = load
            .query_row([print_id], |row| Ok((row.get(0)?, row.get(1)?)))
            .at(path)?;
        let prints: NearPrints = from_json("prints", &json).map_err(|m| corrupt(path, &id, m))?;
        candidates.push(Candidate { id, prints });
    }
    Ok(candidates)
}

/// Keys every stored article's prints afresh for distance `k` and records
/// `k` as the index's distance.
pub(super) fn rekey(conn: &Connection, path: &Path, k: u32) -> Result<(), StoreError> {
    conn.execute("DELETE FROM near_keys", []).at(path)?;
    let mut stmt = conn
        .prepare("SELECT id, article_id, prints FROM near_prints")
        .at(path)?;
    let mut rows = stmt.query([]).at(path)?;
    while let Some(row) = rows.next().at(path)? {
        let print_id: i64 = row.get(0).at(path)?;
        let id: String = row.get(1).at(path)?;
        let prints: NearPrints = from_json("prints", &row.get::<_, String>(2).at(path)?)
            .map_err(|m| corrupt(path, &id, m))?;
        insert_keys(conn, path, print_id, &prints.index_keys(k))?;
    }
    conn.execute("UPDATE near_index SET max_distance = ?", [k])
        .at(path)?;
    Ok(())
}

/// Prints and indexes every article that has no prints yet (a store from
/// before near-duplicate folding); how many.
pub(super) fn index_all(conn: &Connection, path: &Path) -> Result<usize, StoreError> {
    let k = index_distance(conn, path)?;
    let ids: Vec<String> = conn
        .prepare("SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM near_prints)")
        .and_then(|mut stmt| stmt.query_map([], |row| row.get(0))?.collect())
        .at(path)?;
    let mut load = conn
        .prepare("SELECT title, published, updated, body FROM articles WHERE id = ?")
        .at(path)?;
    for id in &ids {
        let (title, published, updated, body): (String, String, String, String) = load
            .query_row([id], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })
            .at(path)?;
        let decoded = (|| -> Result<StoredArticle, String> {
            Ok(StoredArticle {
                id: id.clone(),
                title,
                published: parse_timestamp(&published)?,
                updated: parse_timestamp(&updated)?,
                body: from_json::<Vec<Block>>("body", &body)?,
                ..Default::default()
            })
        })()
        .map_err(|m| corrupt(path, id, m))?;
        index(conn, path, id, &NearPrints::of_stored(&decoded), k)?;
    }
    Ok(ids.len())
}

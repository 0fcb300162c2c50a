//! The near-duplicate index in SQLite: each article's [`NearPrints`] packed
//! in its row, with the numbers of the index keys it is filed under
//! ([`codec::near_keys`] of [`NearPrints::index_keys`], for the distance
//! recorded in `near_index`), and a `near_key` row per number. An article's
//! old keys are removed by the list its row keeps, never recomputed, so
//! changing how keys are made cannot leave stale rows behind.
//!
//! A lookup reads one short index range per key of the copy (ten body bands
//! at distance 3, one key per long paragraph, one for the headline), each
//! capped at a number of newest articles, and unpacks the prints of the
//! distinct candidates: its cost depends on the copy and on how many stored
//! articles really resemble it, not on how many the store holds.

use std::path::Path;

use rusqlite::{Connection, params};

use super::{At, StoreError, corrupt};
use crate::dedup::{Candidate, NearPrints};
use crate::store::codec;

/// The distance the body bands in `near_key` were cut for.
pub(super) fn index_distance(conn: &Connection, path: &Path) -> Result<u32, StoreError> {
    conn.query_row("SELECT max_distance FROM near_index", [], |row| row.get(0))
        .at(path)
}

pub(super) fn insert_keys(
    conn: &Connection,
    path: &Path,
    article: i64,
    keys: &[i32],
) -> Result<(), StoreError> {
    let mut stmt = conn
        .prepare_cached("INSERT OR IGNORE INTO near_key (key, article) VALUES (?, ?)")
        .at(path)?;
    for key in keys {
        stmt.execute(params![key, article]).at(path)?;
    }
    Ok(())
}

pub(super) fn delete_keys(
    conn: &Connection,
    path: &Path,
    article: i64,
    keys: &[i32],
) -> Result<(), StoreError> {
    let mut stmt = conn
        .prepare_cached("DELETE FROM near_key WHERE key = ? AND article = ?")
        .at(path)?;
    for key in keys {
        stmt.execute(params![key, article]).at(path)?;
    }
    Ok(())
}

/// Files the article numbered `seq` under the keys of `prints` for
/// distance `k`, in place of the keys it was filed under (`old`, as its row
/// lists them); returns the packed prints and keys for its row.
pub(super) fn refile(
    conn: &Connection,
    path: &Path,
    seq: i64,
    old: &[i32],
    prints: &NearPrints,
    k: u32,
) -> Result<(Vec<u8>, Vec<u8>), StoreError> {
    let keys = codec::near_keys(&prints.index_keys(k));
    let gone: Vec<i32> = old.iter().copied().filter(|n| !keys.contains(n)).collect();
    let added: Vec<i32> = keys.iter().copied().filter(|n| !old.contains(n)).collect();
    delete_keys(conn, path, seq, &gone)?;
    insert_keys(conn, path, seq, &added)?;
    Ok((codec::pack_prints(prints), codec::pack_keys(&keys)))
}

/// The stored articles that share a key with `prints` (index keyed for
/// distance `k`), at most `per_key` newest per key, each once, in the order
/// of the keys; with the number of each.
pub(super) fn candidates(
    conn: &Connection,
    path: &Path,
    prints: &NearPrints,
    k: u32,
    per_key: usize,
) -> Result<Vec<(i64, Candidate)>, StoreError> {
    let mut seqs: Vec<i64> = Vec::new();
    let mut lookup = conn
        .prepare_cached("SELECT article FROM near_key WHERE key = ? ORDER BY article DESC LIMIT ?")
        .at(path)?;
    for key in codec::near_keys(&prints.index_keys(k)) {
        let rows = lookup
            .query_map(params![key, per_key as i64], |row| row.get::<_, i64>(0))
            .at(path)?;
        for seq in rows {
            let seq = seq.at(path)?;
            if !seqs.contains(&seq) {
                seqs.push(seq);
            }
        }
    }
    let mut load = conn
        .prepare_cached("SELECT id, published, updated, prints FROM article WHERE seq = ?")
        .at(path)?;
    let mut candidates = Vec::with_capacity(seqs.len());
    for seq in seqs {
        let (id, published, updated, packed): (Vec<u8>, i64, i64, Vec<u8>) = load
            .query_row([seq], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })
            .at(path)?;
        let id = codec::unpack_id(&id).map_err(|m| corrupt(path, &format!("#{seq}"), m))?;
        let prints =
            codec::unpack_prints(&packed, published, updated).map_err(|m| corrupt(path, &id, m))?;
        candidates.push((seq, Candidate { id, prints }));
    }
    Ok(candidates)
}

/// Files every stored article afresh under its prints' keys for distance
/// `k` and records `k` as the index's distance.
pub(super) fn rekey(conn: &Connection, path: &Path, k: u32) -> Result<(), StoreError> {
    conn.execute("DELETE FROM near_key", []).at(path)?;
    let mut stmt = conn
        .prepare("SELECT seq, id, published, updated, prints FROM article")
        .at(path)?;
    let mut update = conn
        .prepare("UPDATE article SET keys = ? WHERE seq = ?")
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
        insert_keys(conn, path, seq, &keys)?;
        update
            .execute(params![codec::pack_keys(&keys), seq])
            .at(path)?;
    }
    conn.execute("UPDATE near_index SET max_distance = ?", [k])
        .at(path)?;
    Ok(())
}

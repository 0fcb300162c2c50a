//! The `source_former_name` table: the names sources had before they were
//! renamed, and the rename itself, which carries every row kept under a
//! source's name over to its new one ([`crate::store::Store::rename_source`]).

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};

use super::At;
use crate::store::rename::{self, TABLES};
use crate::store::{RenameError, SourceHoldings, StoreError};

/// The name the source once named `name` has now; `None` when `name` is
/// no former name.
fn renamed_to(conn: &Connection, path: &Path, name: &str) -> Result<Option<String>, StoreError> {
    conn.prepare_cached("SELECT source FROM source_former_name WHERE former = ?")
        .and_then(|mut stmt| stmt.query_row([name], |row| row.get(0)).optional())
        .at(path)
}

/// Whether `name` is a name a source was renamed from.
pub(super) fn is_former(conn: &Connection, path: &Path, name: &str) -> Result<bool, StoreError> {
    Ok(renamed_to(conn, path, name)?.is_some())
}

/// Refuses `name` when it is a name a source was renamed from.
pub(super) fn refuse_former(conn: &Connection, path: &Path, name: &str) -> Result<(), StoreError> {
    match renamed_to(conn, path, name)? {
        Some(current) => Err(StoreError::Renamed {
            store: path.display().to_string(),
            former: name.to_string(),
            current,
        }),
        None => Ok(()),
    }
}

/// The names `source` had, in the order of their text.
pub(super) fn former_names(
    conn: &Connection,
    path: &Path,
    source: &str,
) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn
        .prepare_cached("SELECT former FROM source_former_name WHERE source = ? ORDER BY former")
        .at(path)?;
    let names = stmt
        .query_map([source], |row| row.get(0))
        .at(path)?
        .collect::<rusqlite::Result<Vec<String>>>()
        .at(path)?;
    Ok(names)
}

/// What is kept under `name` in each of [`TABLES`].
fn holdings(conn: &Connection, path: &Path, name: &str) -> Result<SourceHoldings, StoreError> {
    let mut counts = [0u64; 6];
    for (count, table) in counts.iter_mut().zip(TABLES) {
        let n: i64 = conn
            .prepare_cached(&format!("SELECT count(*) FROM {table} WHERE source = ?"))
            .and_then(|mut stmt| stmt.query_row([name], |row| row.get(0)))
            .at(path)?;
        *count = n.max(0) as u64;
    }
    Ok(SourceHoldings::of_counts(counts))
}

/// Renames source `old` to `new` in the open write transaction `conn`
/// ([`crate::store::Store::rename_source`]); a refusal (the inner error)
/// writes nothing, a store error fails the transaction.
pub(super) fn rename(
    conn: &Connection,
    path: &Path,
    old: &str,
    new: &str,
) -> Result<Result<SourceHoldings, RenameError>, StoreError> {
    let moved = holdings(conn, path, old)?;
    if let Some(refused) = rename::refusal(
        old,
        new,
        moved,
        holdings(conn, path, new)?,
        renamed_to(conn, path, old)?,
        renamed_to(conn, path, new)?,
    ) {
        return Ok(Err(refused));
    }
    for table in TABLES {
        conn.execute(
            &format!("UPDATE {table} SET source = ?2 WHERE source = ?1"),
            params![old, new],
        )
        .at(path)?;
    }
    conn.execute(
        "DELETE FROM source_former_name WHERE former = ?",
        params![new],
    )
    .at(path)?;
    conn.execute(
        "UPDATE source_former_name SET source = ?2 WHERE source = ?1",
        params![old, new],
    )
    .at(path)?;
    conn.execute(
        "INSERT INTO source_former_name (former, source) VALUES (?, ?)",
        params![old, new],
    )
    .at(path)?;
    Ok(Ok(moved))
}

/// Every former name with the name its source has now, by former name.
pub(super) fn all(conn: &Connection, path: &Path) -> Result<Vec<(String, String)>, StoreError> {
    let mut stmt = conn
        .prepare("SELECT former, source FROM source_former_name ORDER BY former")
        .at(path)?;
    let names = stmt
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .at(path)?
        .collect::<rusqlite::Result<Vec<(String, String)>>>()
        .at(path)?;
    Ok(names)
}

/// Every name rows are kept under, or kept as a former name, by name
/// ([`crate::store::Store::held_source_names`]).
pub(super) fn held_names(conn: &Connection, path: &Path) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare(rename::HELD_NAMES).at(path)?;
    let names = stmt
        .query_map([], |row| row.get(0))
        .at(path)?
        .collect::<rusqlite::Result<Vec<String>>>()
        .at(path)?;
    Ok(names)
}

/// Keeps `former` as a former name of `source` (`store copy`), in place
/// of the source it was kept for.
pub(super) fn keep(
    conn: &Connection,
    path: &Path,
    former: &str,
    source: &str,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO source_former_name (former, source) VALUES (?, ?) \
         ON CONFLICT (former) DO UPDATE SET source = excluded.source",
    )
    .and_then(|mut stmt| stmt.execute(params![former, source]))
    .at(path)?;
    Ok(())
}

//! The `source_former_name` table: the names sources had before they were
//! renamed, and the rename itself, which carries every row kept under a
//! source's name (its lease too) over to its new one, in one transaction
//! that holds both names' claims ([`crate::store::Store::rename_source`]).

use super::connect::{Conn, Target};
use super::{At, CHANNEL, in_transaction};
use crate::store::rename;
use crate::store::{RenameError, SourceHoldings, StoreError};

/// The name the source once named `name` has now; `None` when `name` is
/// no former name.
fn renamed_to(conn: &mut Conn, target: &Target, name: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_opt(
            "SELECT source FROM source_former_name WHERE former = $1",
            &[&name],
        )
        .at(target)?
        .map(|row| row.get(0)))
}

/// Whether `name` is a name a source was renamed from.
pub(super) fn is_former(conn: &mut Conn, target: &Target, name: &str) -> Result<bool, StoreError> {
    Ok(renamed_to(conn, target, name)?.is_some())
}

/// Refuses `name` when it is a name a source was renamed from.
pub(super) fn refuse_former(
    conn: &mut Conn,
    target: &Target,
    name: &str,
) -> Result<(), StoreError> {
    match renamed_to(conn, target, name)? {
        Some(current) => Err(StoreError::Renamed {
            store: target.label.clone(),
            former: name.to_string(),
            current,
        }),
        None => Ok(()),
    }
}

/// The names `source` had, in the order of their text.
pub(super) fn former_names(
    conn: &mut Conn,
    target: &Target,
    source: &str,
) -> Result<Vec<String>, StoreError> {
    Ok(conn
        .query(
            "SELECT former FROM source_former_name WHERE source = $1 ORDER BY former",
            &[&source],
        )
        .at(target)?
        .iter()
        .map(|row| row.get(0))
        .collect())
}

/// How many rows each of [`rename::TABLES`] keeps under the name `$1`.
const HOLDINGS: &str = "SELECT (SELECT count(*) FROM upstream_key WHERE source = $1), \
     (SELECT count(*) FROM place WHERE source = $1), \
     (SELECT count(*) FROM fetch_state WHERE source = $1), \
     (SELECT count(*) FROM document_validators WHERE source = $1), \
     (SELECT count(*) FROM seen_pages WHERE source = $1), \
     (SELECT count(*) FROM source_cycle WHERE source = $1)";

/// Moves the rows of each of [`rename::TABLES`] from the name `$1` to `$2`.
const MOVES: [&str; 6] = [
    "UPDATE upstream_key SET source = $2 WHERE source = $1",
    "UPDATE place SET source = $2 WHERE source = $1",
    "UPDATE fetch_state SET source = $2 WHERE source = $1",
    "UPDATE document_validators SET source = $2 WHERE source = $1",
    "UPDATE seen_pages SET source = $2 WHERE source = $1",
    "UPDATE source_cycle SET source = $2 WHERE source = $1",
];

/// What is kept under `name` in each of [`rename::TABLES`].
fn holdings(conn: &mut Conn, target: &Target, name: &str) -> Result<SourceHoldings, StoreError> {
    let row = conn.query_one(HOLDINGS, &[&name]).at(target)?;
    let n = |i: usize| row.get::<_, i64>(i).max(0) as u64;
    Ok(SourceHoldings::of_counts([
        n(0),
        n(1),
        n(2),
        n(3),
        n(4),
        n(5),
    ]))
}

/// Renames source `old` to `new` in one transaction on `conn`, holding
/// both names' claims, so no worker ingests either meanwhile; the commit
/// counts a revision and announces `new`, whose feeds now carry what
/// `old`'s did. A refused rename writes nothing.
pub(super) fn rename(
    conn: &mut Conn,
    target: &Target,
    old: &str,
    new: &str,
) -> Result<SourceHoldings, RenameError> {
    in_transaction(conn, target, |conn| {
        for name in [old, new] {
            let free: bool = conn
                .query_one(
                    concat!(
                        "SELECT pg_try_advisory_xact_lock(",
                        source_lease_key!(),
                        ")"
                    ),
                    &[&name],
                )
                .at(target)?
                .get(0);
            if !free {
                return Ok(Err(RenameError::Busy {
                    name: name.to_string(),
                }));
            }
        }
        let moved = holdings(conn, target, old)?;
        let new_holds = holdings(conn, target, new)?;
        let (old_to, new_to) = (
            renamed_to(conn, target, old)?,
            renamed_to(conn, target, new)?,
        );
        if let Some(refusal) = rename::refusal(old, new, moved, new_holds, old_to, new_to) {
            return Ok(Err(refusal));
        }
        carry_over(conn, target, old, new)?;
        Ok(Ok(moved))
    })?
}

/// Moves every row of `old` to `new`, records `old` as a former name of
/// `new`, and announces the change.
fn carry_over(conn: &mut Conn, target: &Target, old: &str, new: &str) -> Result<(), StoreError> {
    for sql in MOVES {
        conn.execute(sql, &[&old, &new]).at(target)?;
    }
    conn.execute(
        "INSERT INTO source_lease (source, attempt_began) \
         SELECT $2, attempt_began FROM source_lease WHERE source = $1 \
         ON CONFLICT (source) DO UPDATE SET \
         attempt_began = greatest(source_lease.attempt_began, excluded.attempt_began)",
        &[&old, &new],
    )
    .at(target)?;
    conn.execute("DELETE FROM source_lease WHERE source = $1", &[&old])
        .at(target)?;
    conn.execute("DELETE FROM source_former_name WHERE former = $1", &[&new])
        .at(target)?;
    conn.execute(
        "UPDATE source_former_name SET source = $2 WHERE source = $1",
        &[&old, &new],
    )
    .at(target)?;
    conn.execute(
        "INSERT INTO source_former_name (former, source) VALUES ($1, $2)",
        &[&old, &new],
    )
    .at(target)?;
    let revision: i64 = conn
        .query_one("UPDATE revision SET value = value + 1 RETURNING value", &[])
        .at(target)?
        .get(0);
    conn.execute(
        "SELECT pg_notify($1, $2::bigint || ' ' || $3::text)",
        &[&CHANNEL, &revision, &new],
    )
    .at(target)?;
    Ok(())
}

/// Every former name with the name its source has now, by former name.
pub(super) fn all(conn: &mut Conn, target: &Target) -> Result<Vec<(String, String)>, StoreError> {
    Ok(conn
        .query(
            "SELECT former, source FROM source_former_name ORDER BY former",
            &[],
        )
        .at(target)?
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect())
}

/// Every name rows are kept under, or kept as a former name, by name
/// ([`crate::store::Store::held_source_names`]).
pub(super) fn held_names(conn: &mut Conn, target: &Target) -> Result<Vec<String>, StoreError> {
    Ok(conn
        .query(rename::HELD_NAMES, &[])
        .at(target)?
        .iter()
        .map(|row| row.get(0))
        .collect())
}

/// Keeps `former` as a former name of `source` (`store copy`), in place
/// of the source it was kept for.
pub(super) fn keep(
    conn: &mut Conn,
    target: &Target,
    former: &str,
    source: &str,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO source_former_name (former, source) VALUES ($1, $2) \
         ON CONFLICT (former) DO UPDATE SET source = excluded.source",
        &[&former, &source],
    )
    .at(target)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_a_source_is_kept_in_is_counted_and_moved_in_order() {
        for (i, table) in rename::TABLES.iter().enumerate() {
            assert!(MOVES[i].starts_with(&format!("UPDATE {table} ")), "{table}");
            let counted = HOLDINGS.split("(SELECT count(*) FROM ").nth(i + 1).unwrap();
            assert!(counted.starts_with(&format!("{table} ")), "{table}");
        }
    }
}

//! The near-duplicate index in PostgreSQL, as in SQLite: each article row
//! lists the key numbers it is filed under (`keys`), new rows wait in
//! `near_key_pending`, rows an article left are listed in `near_key_gone`,
//! and both are merged into `near_key` in key order when
//! [`store::near_merge_due`] says, so a batch
//! writes a few hot pages (and their WAL images) instead of one leaf of a
//! large index per key. A lookup reads both tables and skips an article
//! whose row no longer lists the key it was found by. All of it runs under
//! the fold lock the writer takes before its first lookup.

use super::At;
use super::connect::{Conn, Target};
use crate::store::{self, StoreError};

/// The lookup of the candidates of probes (`codec::NearProbe`: ranges
/// `$1` to `$2`, rows within `$4` bits of `$3`), at most `$5` newest a probe
/// from each table, a body band's range read up to `$6` rows, in the order
/// of the probes. An article found in both tables (refiled, awaiting the
/// merge) comes once for each key it was found by; a key its row no longer
/// lists finds nothing. The mask 144115188075855871 is 2^57 - 1, the bits
/// of a number below its tag ([`crate::dedup::KEY_BITS`]).
///
/// Each candidate's row is read by its key, one at a time (a `LATERAL`
/// with `LIMIT 1`, which the planner cannot turn into a join): a plain
/// join let a plan made while `article` looked empty, before the first
/// `ANALYZE`, hash the whole table on every lookup for the rest of a run.
pub(super) const CANDIDATES: &str = "SELECT a.seq, a.id, a.published, a.updated, a.prints, \
     a.first_seen, a.changed \
     FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::integer[]) \
        WITH ORDINALITY AS q (low, high, center, reach, position) \
     CROSS JOIN LATERAL ( \
        SELECT DISTINCT f.article, f.key FROM ( \
            (SELECT article, key FROM near_key_pending p \
                WHERE q.low = q.high AND p.key = q.low ORDER BY article DESC LIMIT $5) \
            UNION ALL \
            (SELECT article, key FROM near_key n \
                WHERE q.low = q.high AND n.key = q.low ORDER BY article DESC LIMIT $5) \
            UNION ALL \
            (SELECT article, key FROM near_key_pending p \
                WHERE q.low < q.high AND p.key BETWEEN q.low AND q.high LIMIT $6) \
            UNION ALL \
            (SELECT article, key FROM near_key n \
                WHERE q.low < q.high AND n.key BETWEEN q.low AND q.high LIMIT $6) \
        ) AS f \
        WHERE bit_count(((f.key # q.center) & 144115188075855871)::bit(64)) <= q.reach \
        ORDER BY f.article DESC LIMIT $5) AS k \
     CROSS JOIN LATERAL ( \
        SELECT seq, id, published, updated, prints, first_seen, changed FROM article \
            WHERE seq = k.article AND k.key = ANY(keys) LIMIT 1) AS a \
     ORDER BY q.position, a.seq DESC";

/// Runs `sql`, which files or refiles article `$1` under key numbers `$2`.
fn file(
    conn: &mut Conn,
    target: &Target,
    sql: &'static str,
    seq: i64,
    keys: &[i64],
) -> Result<(), StoreError> {
    conn.execute(sql, &[&seq, &keys]).at(target)?;
    Ok(())
}

/// Files article `seq` under `keys` in place of the keys its row lists
/// (before the row is updated): the keys it leaves are taken out of
/// `near_key_pending` and listed in `near_key_gone`, the keys it gains
/// are filed in `near_key_pending`.
pub(super) fn refile(
    conn: &mut Conn,
    target: &Target,
    seq: i64,
    keys: &[i64],
) -> Result<(), StoreError> {
    let sql = "WITH old AS (SELECT unnest(keys) AS key FROM article WHERE seq = $1), \
         leaving AS (SELECT key FROM old WHERE key <> ALL($2::bigint[])), \
         unfiled AS (DELETE FROM near_key_pending p USING leaving l \
             WHERE p.article = $1 AND p.key = l.key), \
         listed AS (INSERT INTO near_key_gone (key, article) SELECT key, $1 FROM leaving \
             ON CONFLICT DO NOTHING RETURNING 1), \
         filed AS (INSERT INTO near_key_pending (key, article) \
             SELECT n, $1 FROM unnest($2::bigint[]) AS n WHERE n NOT IN (SELECT key FROM old) \
             ON CONFLICT DO NOTHING RETURNING 1) \
         UPDATE near_index SET pending = pending \
             + (SELECT count(*) FROM listed) + (SELECT count(*) FROM filed)";
    file(conn, target, sql, seq, keys)
}

/// Files article `seq` under `keys` in `near_key` itself: for filing a
/// whole store at once (a re-keying, between [`clear_for_refiling`] and
/// [`refiled`]).
pub(super) fn insert_settled_keys(
    conn: &mut Conn,
    target: &Target,
    seq: i64,
    keys: &[i64],
) -> Result<(), StoreError> {
    let sql =
        "INSERT INTO near_key (key, article) SELECT DISTINCT unnest($2::bigint[]), $1::bigint";
    file(conn, target, sql, seq, keys)
}

/// Empties the whole index and drops the key order of `near_key`, so a
/// store filed afresh appends its rows and sorts them once ([`refiled`]).
pub(super) fn clear_for_refiling(conn: &mut Conn, target: &Target) -> Result<(), StoreError> {
    conn.batch_execute(
        "TRUNCATE near_key, near_key_pending, near_key_gone; \
         UPDATE near_index SET pending = 0; \
         ALTER TABLE near_key DROP CONSTRAINT near_key_pkey;",
    )
    .at(target)
}

/// Builds the key order of `near_key` again after [`clear_for_refiling`].
pub(super) fn refiled(conn: &mut Conn, target: &Target) -> Result<(), StoreError> {
    conn.batch_execute("ALTER TABLE near_key ADD PRIMARY KEY (key, article);")
        .at(target)
}

/// Merges the pending rows into `near_key` when they are due; whether it
/// merged. Called inside the transaction that holds the fold lock.
pub(super) fn merge_if_due(conn: &mut Conn, target: &Target) -> Result<bool, StoreError> {
    let row = conn
        .query_one(
            "SELECT pending, (SELECT coalesce(max(seq), 0) FROM article) FROM near_index",
            &[],
        )
        .at(target)?;
    if !store::near_merge_due(row.get(0), row.get(1)) {
        return Ok(false);
    }
    let started = std::time::Instant::now();
    conn.batch_execute(
        "DELETE FROM near_key n USING near_key_gone g WHERE n.key = g.key AND n.article = g.article; \
         INSERT INTO near_key (key, article) SELECT key, article FROM near_key_pending \
             ORDER BY key, article ON CONFLICT DO NOTHING; \
         DELETE FROM near_key_gone; \
         DELETE FROM near_key_pending; \
         UPDATE near_index SET pending = 0;",
    )
    .at(target)?;
    tracing::debug!(
        store = %target.label,
        ms = started.elapsed().as_millis() as u64,
        "merged the pending near-duplicate index rows"
    );
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::CANDIDATES;
    use crate::dedup::KEY_BITS;

    #[test]
    fn the_lookup_masks_the_bits_below_the_tag() {
        let mask = ((1u64 << KEY_BITS) - 1).to_string();
        assert!(CANDIDATES.contains(&format!("& {mask})")), "{CANDIDATES}");
    }
}

//! Migration 22's step: the entries an earlier feedfold merged into one
//! article without a record are forgotten (`store::unmerged`), as in
//! SQLite.

use std::collections::{HashMap, HashSet};

use super::connect::{Conn, Target};
use super::{At, corrupt, key_text};
use crate::store::StoreError;
use crate::store::codec;
use crate::store::unmerged::{self, Entries, HeldEntries};

/// Forgets, in every article that holds upstream keys, the entries and
/// content keys [`unmerged::forgotten`] names; how many upstream keys
/// were forgotten.
pub(super) fn forget_unrecorded_merges(
    conn: &mut Conn,
    target: &Target,
) -> Result<usize, StoreError> {
    let mut former: HashMap<String, Vec<String>> = HashMap::new();
    for row in conn
        .query("SELECT source, former FROM source_former_name", &[])
        .at(target)?
    {
        former.entry(row.get(0)).or_default().push(row.get(1));
    }
    let mut forgotten_entries = 0;
    for (seq, entries) in articles_to_examine(conn, target)? {
        let article = held_entries(conn, target, seq, entries)?;
        let forgotten = unmerged::forgotten(&article, |source| {
            former.get(source).cloned().unwrap_or_default()
        });
        for (source, key) in &forgotten.entries {
            conn.execute(
                "DELETE FROM upstream_key WHERE source = $1 AND feedfold_key_hash(key) = feedfold_key_hash($2::text) \
                 AND article = $3",
                &[source, &key_text::column_text(key), &seq],
            )
            .at(target)?;
        }
        for key in &forgotten.content_keys {
            conn.execute(
                "DELETE FROM content_key WHERE key = $1 AND article = $2",
                &[key, &seq],
            )
            .at(target)?;
        }
        forgotten_entries += forgotten.entries.len();
    }
    Ok(forgotten_entries)
}

/// The articles that hold upstream keys and either two of one source or
/// more than one content key, each with its upstream keys.
fn articles_to_examine(
    conn: &mut Conn,
    target: &Target,
) -> Result<Vec<(i64, Entries)>, StoreError> {
    let several_contents: HashSet<i64> = conn
        .query(
            "SELECT article FROM content_key GROUP BY article HAVING count(*) > 1",
            &[],
        )
        .at(target)?
        .iter()
        .map(|row| row.get(0))
        .collect();
    let mut by_article: HashMap<i64, Entries> = HashMap::new();
    for row in conn
        .query(
            "SELECT article, source, key, content_key FROM upstream_key",
            &[],
        )
        .at(target)?
    {
        let key = key_text::key_of(row.get(2));
        by_article
            .entry(row.get(0))
            .or_default()
            .push((row.get(1), key, row.get(3)));
    }
    Ok(unmerged::to_examine(by_article, &several_contents))
}

/// Article `seq` with its upstream keys `entries`, as
/// [`unmerged::forgotten`] weighs it.
fn held_entries(
    conn: &mut Conn,
    target: &Target,
    seq: i64,
    entries: Entries,
) -> Result<HeldEntries, StoreError> {
    let row = conn
        .query_one("SELECT id, prints FROM article WHERE seq = $1", &[&seq])
        .at(target)?;
    let number = format!("number {seq}");
    let id = codec::unpack_id(row.get(0)).map_err(|m| corrupt(target, &number, m))?;
    let content_key = codec::unpack_prints(row.get(1), 0, 0)
        .map_err(|m| corrupt(target, &id, m))?
        .content_key;
    let fold_copies = conn
        .query("SELECT copy_id FROM fold WHERE article = $1", &[&seq])
        .at(target)?
        .iter()
        .map(|row| codec::unpack_id(row.get(0)).map_err(|m| corrupt(target, &id, m)))
        .collect::<Result<_, _>>()?;
    let content_keys = conn
        .query("SELECT key FROM content_key WHERE article = $1", &[&seq])
        .at(target)?
        .iter()
        .map(|row| row.get(0))
        .collect();
    let sighting_sources = conn
        .query(
            "SELECT DISTINCT p.source FROM sighting s JOIN place p ON p.id = s.place \
             WHERE s.article = $1",
            &[&seq],
        )
        .at(target)?
        .iter()
        .map(|row| row.get(0))
        .collect();
    Ok(HeldEntries {
        id,
        content_key,
        entries,
        fold_copies,
        content_keys,
        sighting_sources,
    })
}

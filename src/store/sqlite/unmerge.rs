//! Migration 25's step: the entries an earlier feedfold merged into one
//! article without a record are forgotten (`store::unmerged`).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rusqlite::{Connection, params};

use super::At;
use crate::store::StoreError;
use crate::store::codec;
use crate::store::unmerged::{self, Entries, HeldEntries};

/// Forgets, in every article that holds upstream keys, the entries and
/// content keys [`unmerged::forgotten`] names; how many upstream keys
/// were forgotten.
pub(super) fn forget_unrecorded_merges(
    conn: &Connection,
    path: &Path,
) -> Result<usize, StoreError> {
    let former = former_names(conn, path)?;
    let mut forgotten_entries = 0;
    for (seq, entries) in articles_to_examine(conn, path)? {
        let article = held_entries(conn, path, seq, entries)?;
        let forgotten = unmerged::forgotten(&article, |source| {
            former.get(source).cloned().unwrap_or_default()
        });
        for (source, key) in &forgotten.entries {
            conn.execute(
                "DELETE FROM upstream_key WHERE source = ?1 AND key = ?2 AND article = ?3",
                params![source, key, seq],
            )
            .at(path)?;
        }
        for key in &forgotten.content_keys {
            for table in ["content_key_settled", "content_key_pending"] {
                conn.execute(
                    &format!("DELETE FROM {table} WHERE key = ?1 AND article = ?2"),
                    params![key, seq],
                )
                .at(path)?;
            }
        }
        forgotten_entries += forgotten.entries.len();
    }
    conn.execute_batch(
        "UPDATE write_behind SET pending = \
         (SELECT count(*) FROM content_key_pending) + (SELECT count(*) FROM sighting_pending)",
    )
    .at(path)?;
    Ok(forgotten_entries)
}

/// The names each source had before a rename.
fn former_names(
    conn: &Connection,
    path: &Path,
) -> Result<HashMap<String, Vec<String>>, StoreError> {
    let mut names: HashMap<String, Vec<String>> = HashMap::new();
    let mut stmt = conn
        .prepare("SELECT source, former FROM source_former_name")
        .at(path)?;
    let rows = stmt
        .query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })
        .at(path)?;
    for row in rows {
        let (source, former) = row.at(path)?;
        names.entry(source).or_default().push(former);
    }
    Ok(names)
}

/// The articles that hold upstream keys and either two of one source or
/// more than one content key, each with its upstream keys.
fn articles_to_examine(conn: &Connection, path: &Path) -> Result<Vec<(i64, Entries)>, StoreError> {
    let mut several_contents = HashSet::new();
    let mut stmt = conn
        .prepare("SELECT article FROM content_key GROUP BY article HAVING count(*) > 1")
        .at(path)?;
    for seq in stmt.query_map([], |row| row.get::<_, i64>(0)).at(path)? {
        several_contents.insert(seq.at(path)?);
    }
    let mut by_article: HashMap<i64, Entries> = HashMap::new();
    let mut stmt = conn
        .prepare("SELECT article, source, key, content_key FROM upstream_key")
        .at(path)?;
    let rows = stmt
        .query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                (row.get(1)?, row.get(2)?, row.get(3)?),
            ))
        })
        .at(path)?;
    for row in rows {
        let (seq, entry) = row.at(path)?;
        by_article.entry(seq).or_default().push(entry);
    }
    Ok(unmerged::to_examine(by_article, &several_contents))
}

/// Article `seq` with its upstream keys `entries`, as
/// [`unmerged::forgotten`] weighs it.
fn held_entries(
    conn: &Connection,
    path: &Path,
    seq: i64,
    entries: Entries,
) -> Result<HeldEntries, StoreError> {
    let (id, prints): (Vec<u8>, Vec<u8>) = conn
        .query_row(
            "SELECT id, prints FROM article WHERE seq = ?",
            [seq],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .at(path)?;
    let id = codec::unpack_id(&id).map_err(|message| corrupt(path, seq, message))?;
    let content_key = codec::unpack_prints(&prints, 0, 0)
        .map_err(|message| corrupt(path, seq, message))?
        .content_key;
    let column = |sql: &str| -> Result<Vec<Vec<u8>>, StoreError> {
        let mut stmt = conn.prepare(sql).at(path)?;
        let rows = stmt.query_map([seq], |row| row.get(0)).at(path)?;
        rows.collect::<rusqlite::Result<_>>().at(path)
    };
    let fold_copies = column("SELECT copy_id FROM fold WHERE article = ?")?
        .iter()
        .map(|packed| codec::unpack_id(packed).map_err(|message| corrupt(path, seq, message)))
        .collect::<Result<_, _>>()?;
    let mut stmt = conn
        .prepare(
            "SELECT DISTINCT p.source FROM sighting s JOIN place p ON p.id = s.place \
             WHERE s.article = ?",
        )
        .at(path)?;
    let sighting_sources = stmt
        .query_map([seq], |row| row.get(0))
        .at(path)?
        .collect::<rusqlite::Result<_>>()
        .at(path)?;
    Ok(HeldEntries {
        id,
        content_key,
        entries,
        fold_copies,
        content_keys: column("SELECT key FROM content_key WHERE article = ?")?,
        sighting_sources,
    })
}

/// A row of article `seq` that cannot be read.
fn corrupt(path: &Path, seq: i64, message: String) -> StoreError {
    StoreError::Corrupt {
        store: path.display().to_string(),
        id: format!("number {seq}"),
        message,
    }
}

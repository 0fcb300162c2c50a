//! The `seen_pages`, `site_pages` and `site_paragraphs` tables in
//! PostgreSQL: which pages each source fetched, at which version (with the
//! validators of its last full fetch), and which
//! paragraphs each site printed on its newest pages counted
//! ([`store::SITE_PAGES_KEPT`]). Each question
//! is one round trip; the primary and unique keys keep every row once, even
//! when two workers count the same page at the same moment.

use std::collections::HashMap;

use super::At;
use super::connect::{Conn, Target};
use crate::ingest::fetch::Validators;
use crate::ingest::source::{PageVersion, SeenPage};
use crate::normalize::Key;
use crate::store::{self, StoreError};

/// The version each of `urls` that `source` has seen was read at, with
/// the validators its last full fetch gave.
pub(super) fn seen(
    conn: &mut Conn,
    target: &Target,
    source: &str,
    urls: &[String],
) -> Result<HashMap<String, PageVersion>, StoreError> {
    let rows = conn
        .query(
            "SELECT url, version, etag, last_modified FROM seen_pages WHERE source = $1 \
             AND feedfold_key_hash(url) IN (SELECT feedfold_key_hash(u) FROM unnest($2::text[]) AS u)",
            &[&source, &urls],
        )
        .at(target)?;
    Ok(rows
        .iter()
        .map(|row| {
            let version = PageVersion {
                version: row.get(1),
                validators: Validators {
                    etag: row.get(2),
                    last_modified: row.get(3),
                },
            };
            (row.get(0), version)
        })
        .collect())
}

/// Remembers that `source` read `page` at its version, with its
/// validators.
pub(super) fn remember(
    conn: &mut Conn,
    target: &Target,
    source: &str,
    page: &SeenPage,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO seen_pages (source, url, version, etag, last_modified) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (source, feedfold_key_hash(url)) DO UPDATE SET version = excluded.version, \
         etag = excluded.etag, last_modified = excluded.last_modified",
        &[
            &source,
            &page.url,
            &page.version,
            &page.validators.etag,
            &page.validators.last_modified,
        ],
    )
    .at(target)?;
    Ok(())
}

/// Whether `page` is counted among the pages of `site`.
pub(super) fn counted(
    conn: &mut Conn,
    target: &Target,
    site: &str,
    page: &str,
) -> Result<bool, StoreError> {
    let row = conn
        .query_opt(
            "SELECT 1 FROM site_pages WHERE site = $1 AND feedfold_key_hash(page) = feedfold_key_hash($2::text)",
            &[&site, &page],
        )
        .at(target)?;
    Ok(row.is_some())
}

/// For each of `keys`, on how many of `site`'s pages counted before `page`
/// (all of them when `page` was never counted) it appeared. Each key is
/// counted by its own index range (`LATERAL`): with `key = ANY(...)`, a
/// plan made while the table was empty read every entry of the site for
/// every page, and a writer keeps its plans for the run.
pub(super) fn paragraph_counts(
    conn: &mut Conn,
    target: &Target,
    site: &str,
    page: &str,
    keys: &[Key],
) -> Result<HashMap<Key, u32>, StoreError> {
    let wanted: Vec<&[u8]> = keys.iter().map(|key| &key[..]).collect();
    let rows = conn
        .query(
            "SELECT w.key, c.n FROM (SELECT DISTINCT unnest($2::bytea[]) AS key) AS w \
             CROSS JOIN LATERAL (SELECT count(*) AS n FROM site_paragraphs p \
                 WHERE p.site = $1 AND p.key = w.key AND p.page_id < coalesce( \
                     (SELECT id FROM site_pages WHERE site = $1 \
                     AND feedfold_key_hash(page) = feedfold_key_hash($3::text)), \
                     9223372036854775807)) AS c \
             WHERE c.n > 0",
            &[&site, &wanted, &page],
        )
        .at(target)?;
    let mut counts = HashMap::new();
    for row in rows {
        let key: Vec<u8> = row.get(0);
        let n: i64 = row.get(1);
        if let Ok(key) = Key::try_from(key.as_slice()) {
            counts.insert(key, n.clamp(0, i64::from(u32::MAX)) as u32);
        }
    }
    Ok(counts)
}

/// Counts `page` as one of `site`'s pages, printing the paragraphs `keys`,
/// unless it was counted already.
pub(super) fn count_page(
    conn: &mut Conn,
    target: &Target,
    site: &str,
    page: &str,
    keys: &[Key],
) -> Result<(), StoreError> {
    let Some(row) = conn
        .query_opt(
            "INSERT INTO site_pages (site, page) VALUES ($1, $2) ON CONFLICT DO NOTHING \
             RETURNING id",
            &[&site, &page],
        )
        .at(target)?
    else {
        return Ok(());
    };
    let id: i64 = row.get(0);
    let printed: Vec<&[u8]> = keys.iter().map(|key| &key[..]).collect();
    conn.execute(
        "INSERT INTO site_paragraphs (site, key, page_id) \
         SELECT $1, key, $3 FROM unnest($2::bytea[]) AS key ON CONFLICT DO NOTHING",
        &[&site, &printed, &id],
    )
    .at(target)?;
    // The pages past the newest kept, and the paragraphs they printed.
    conn.execute(
        "WITH gone AS (SELECT id FROM site_pages WHERE site = $1 ORDER BY id DESC OFFSET $2), \
         unprinted AS (DELETE FROM site_paragraphs WHERE page_id IN (SELECT id FROM gone)) \
         DELETE FROM site_pages WHERE id IN (SELECT id FROM gone)",
        &[&site, &(store::SITE_PAGES_KEPT as i64)],
    )
    .at(target)?;
    Ok(())
}

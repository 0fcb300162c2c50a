//! The `seen_pages`, `site_pages` and `site_paragraphs` tables: which pages
//! each source fetched, at which version (with the validators of its last
//! full fetch), and which paragraphs each site
//! printed on its newest pages counted ([`store::SITE_PAGES_KEPT`]). What
//! they mean is the page sources' and `ingest::page::boilerplate`'s
//! business.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};

use super::At;
use crate::ingest::fetch::Validators;
use crate::ingest::source::{PageVersion, SeenPage};
use crate::normalize::Key;
use crate::store::{self, StoreError};

/// The version each of `urls` that `source` has seen was read at, with
/// the validators its last full fetch gave.
pub(super) fn seen(
    conn: &Connection,
    path: &Path,
    source: &str,
    urls: &[String],
) -> Result<HashMap<String, PageVersion>, StoreError> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT version, etag, last_modified FROM seen_pages WHERE source = ? AND url = ?",
        )
        .at(path)?;
    let mut seen = HashMap::new();
    for url in urls {
        let version = stmt
            .query_row(params![source, url], |row| {
                Ok(PageVersion {
                    version: row.get(0)?,
                    validators: Validators {
                        etag: row.get(1)?,
                        last_modified: row.get(2)?,
                    },
                })
            })
            .optional()
            .at(path)?;
        if let Some(version) = version {
            seen.insert(url.clone(), version);
        }
    }
    Ok(seen)
}

/// Remembers that `source` read `page` at its version, with its
/// validators.
pub(super) fn remember(
    conn: &Connection,
    path: &Path,
    source: &str,
    page: &SeenPage,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO seen_pages (source, url, version, etag, last_modified) \
         VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (source, url) DO UPDATE SET version = ?3, etag = ?4, last_modified = ?5",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            source,
            page.url,
            page.version,
            page.validators.etag,
            page.validators.last_modified
        ])
    })
    .at(path)?;
    Ok(())
}

/// The id `page` was counted under for `site`, if it was.
pub(super) fn page_id(
    conn: &Connection,
    path: &Path,
    site: &str,
    page: &str,
) -> Result<Option<i64>, StoreError> {
    conn.prepare_cached("SELECT id FROM site_pages WHERE site = ? AND page = ?")
        .and_then(|mut stmt| stmt.query_row([site, page], |row| row.get(0)).optional())
        .at(path)
}

/// For each of `keys`, on how many of `site`'s pages counted before `page`
/// (all of them when `page` was never counted) it appeared.
pub(super) fn paragraph_counts(
    conn: &Connection,
    path: &Path,
    site: &str,
    page: &str,
    keys: &[Key],
) -> Result<HashMap<Key, u32>, StoreError> {
    let before = page_id(conn, path, site, page)?.unwrap_or(i64::MAX);
    let mut stmt = conn
        .prepare_cached(
            "SELECT count(*) FROM site_paragraphs WHERE site = ? AND key = ? AND page_id < ?",
        )
        .at(path)?;
    let mut counts = HashMap::new();
    for key in keys {
        let n: i64 = stmt
            .query_row(params![site, &key[..], before], |row| row.get(0))
            .at(path)?;
        if n > 0 {
            counts.insert(*key, n.clamp(0, u32::MAX as i64) as u32);
        }
    }
    Ok(counts)
}

/// Counts `page` as one of `site`'s pages, printing the paragraphs `keys`,
/// unless it was counted already.
pub(super) fn count_page(
    conn: &Connection,
    path: &Path,
    site: &str,
    page: &str,
    keys: &[Key],
) -> Result<(), StoreError> {
    if page_id(conn, path, site, page)?.is_some() {
        return Ok(());
    }
    conn.prepare_cached("INSERT INTO site_pages (site, page) VALUES (?, ?)")
        .and_then(|mut stmt| stmt.execute([site, page]))
        .at(path)?;
    let id = conn.last_insert_rowid();
    let mut stmt = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO site_paragraphs (site, key, page_id) VALUES (?, ?, ?)",
        )
        .at(path)?;
    for key in keys {
        stmt.execute(params![site, &key[..], id]).at(path)?;
    }
    forget_old_pages(conn, path, site)
}

/// Forgets the pages of `site` older than its newest
/// [`store::SITE_PAGES_KEPT`], with the paragraphs they printed.
fn forget_old_pages(conn: &Connection, path: &Path, site: &str) -> Result<(), StoreError> {
    let newest_gone: Option<i64> = conn
        .prepare_cached(
            "SELECT id FROM site_pages WHERE site = ? ORDER BY id DESC LIMIT 1 OFFSET ?",
        )
        .and_then(|mut stmt| {
            stmt.query_row(params![site, store::SITE_PAGES_KEPT as i64], |row| {
                row.get(0)
            })
            .optional()
        })
        .at(path)?;
    let Some(newest_gone) = newest_gone else {
        return Ok(());
    };
    conn.prepare_cached(
        "DELETE FROM site_paragraphs WHERE page_id IN \
         (SELECT id FROM site_pages WHERE site = ?1 AND id <= ?2)",
    )
    .and_then(|mut stmt| stmt.execute(params![site, newest_gone]))
    .at(path)?;
    conn.prepare_cached("DELETE FROM site_pages WHERE site = ? AND id <= ?")
        .and_then(|mut stmt| stmt.execute(params![site, newest_gone]))
        .at(path)?;
    Ok(())
}

//! The `fetch_state` table: one row of plain values per source (the
//! location it was recorded for, validators, failures in a row, next
//! attempt, last error, last attempt and its outcome). What they mean and
//! how they change is `ingest::fetch_state`'s business. Beside it,
//! `document_validators`: those of the documents a source's document leads
//! to (the sitemaps an index lists). Clearing a source's state forgets
//! those and the pages the source fetched (`seen_pages`) too.

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::{At, corrupt, parse_timestamp, timestamp};
use crate::ingest::fetch::Validators;
use crate::ingest::fetch_state::{DocumentValidators, FetchState, Outcome};
use crate::store::StoreError;

/// The columns of one row, as stored.
struct Row {
    location: Option<String>,
    etag: Option<String>,
    last_modified: Option<String>,
    failures: i64,
    next_attempt: Option<String>,
    last_error: Option<String>,
    last_attempt: Option<String>,
    last_outcome: Option<String>,
    read_began: Option<i64>,
}

const COLUMNS: &str = "location, etag, last_modified, failures, next_attempt, last_error, last_attempt, last_outcome, \
     read_began";

/// The columns of [`COLUMNS`] starting at `at`.
fn row_at(row: &rusqlite::Row, at: usize) -> rusqlite::Result<Row> {
    Ok(Row {
        location: row.get(at)?,
        etag: row.get(at + 1)?,
        last_modified: row.get(at + 2)?,
        failures: row.get(at + 3)?,
        next_attempt: row.get(at + 4)?,
        last_error: row.get(at + 5)?,
        last_attempt: row.get(at + 6)?,
        last_outcome: row.get(at + 7)?,
        read_began: row.get(at + 8)?,
    })
}

/// The fetch state of `source` (defaults when it has none).
pub(super) fn get(conn: &Connection, path: &Path, source: &str) -> Result<FetchState, StoreError> {
    let found = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM fetch_state WHERE source = ?"
        ))
        .and_then(|mut stmt| stmt.query_row([source], |r| row_at(r, 0)).optional())
        .at(path)?;
    match found {
        Some(found) => decode(path, source, found),
        None => Ok(FetchState::default()),
    }
}

/// Every source's fetch state, by source name.
pub(super) fn all(conn: &Connection, path: &Path) -> Result<Vec<(String, FetchState)>, StoreError> {
    let mut stmt = conn
        .prepare(&format!(
            "SELECT source, {COLUMNS} FROM fetch_state ORDER BY source"
        ))
        .at(path)?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, row_at(r, 1)?)))
        .at(path)?;
    let mut states = Vec::new();
    for found in rows {
        let (source, found) = found.at(path)?;
        let state = decode(path, &source, found)?;
        states.push((source, state));
    }
    Ok(states)
}

fn decode(path: &Path, source: &str, found: Row) -> Result<FetchState, StoreError> {
    let bad = |message: String| corrupt(path, &format!("fetch state of {source}"), message);
    let moment = |text: Option<String>| text.map(|t| parse_timestamp(&t)).transpose();
    let last_outcome = found
        .last_outcome
        .map(|text| Outcome::parse(&text).ok_or_else(|| format!("unknown outcome {text:?}")))
        .transpose()
        .map_err(bad)?;
    Ok(FetchState {
        location: found.location,
        validators: Validators {
            etag: found.etag,
            last_modified: found.last_modified,
        },
        failures: found.failures.clamp(0, u32::MAX as i64) as u32,
        next_attempt: moment(found.next_attempt).map_err(bad)?,
        last_error: found.last_error,
        last_attempt: moment(found.last_attempt).map_err(bad)?,
        last_outcome,
        read_began: found.read_began.and_then(DateTime::from_timestamp_micros),
    })
}

/// Keeps `state` as the fetch state of `source`, unless the state kept
/// is for the same location and was read by a fetch that began after
/// `state`'s ([`FetchState::read_began`]): a slower process's older read
/// leaves the later one. A state kept for another location (the source's
/// URL or file changed) is always replaced. A kept moment ahead of this machine's clock (kept while the
/// clock ran ahead) tells nothing, and is replaced.
pub(super) fn put(
    conn: &Connection,
    path: &Path,
    source: &str,
    state: &FetchState,
) -> Result<(), StoreError> {
    conn.prepare_cached(&format!(
        "INSERT INTO fetch_state (source, {COLUMNS}) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) \
         ON CONFLICT (source) DO UPDATE SET location = ?2, etag = ?3, last_modified = ?4, \
         failures = ?5, next_attempt = ?6, last_error = ?7, last_attempt = ?8, last_outcome = ?9, \
         read_began = ?10 \
         WHERE fetch_state.location IS NOT ?2 OR fetch_state.read_began IS NULL \
         OR fetch_state.read_began > ?11 OR ?10 >= fetch_state.read_began"
    ))
    .and_then(|mut stmt| {
        stmt.execute(params![
            source,
            state.location,
            state.validators.etag,
            state.validators.last_modified,
            state.failures,
            state.next_attempt.map(timestamp),
            state.last_error,
            state.last_attempt.map(timestamp),
            state.last_outcome.map(Outcome::as_str),
            state.read_began.map(|at| at.timestamp_micros()),
            Utc::now().timestamp_micros(),
        ])
    })
    .at(path)?;
    Ok(())
}

/// Whether the text kept of `source` was read by a fetch that began after
/// `began` (another process fetched it later and folded first), by
/// [`FetchState::read_began`]; a kept moment ahead of this machine's clock
/// tells nothing.
pub(super) fn read_later_than(
    conn: &Connection,
    path: &Path,
    source: &str,
    began: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let kept: Option<Option<i64>> = conn
        .prepare_cached("SELECT read_began FROM fetch_state WHERE source = ?")
        .and_then(|mut stmt| stmt.query_row([source], |r| r.get(0)).optional())
        .at(path)?;
    let now = Utc::now().timestamp_micros();
    Ok(kept
        .flatten()
        .is_some_and(|kept| kept > began.timestamp_micros() && kept <= now))
}

/// The validators kept for the documents `source`'s document leads to.
pub(super) fn documents(
    conn: &Connection,
    path: &Path,
    source: &str,
) -> Result<DocumentValidators, StoreError> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT document, etag, last_modified FROM document_validators WHERE source = ?",
        )
        .at(path)?;
    let rows = stmt
        .query_map([source], |r| {
            Ok((
                r.get::<_, String>(0)?,
                Validators {
                    etag: r.get(1)?,
                    last_modified: r.get(2)?,
                },
            ))
        })
        .at(path)?;
    rows.map(|found| found.at(path)).collect()
}

/// Every source's documents' validators: source, document, validators.
pub(super) fn all_documents(
    conn: &Connection,
    path: &Path,
) -> Result<Vec<(String, String, Validators)>, StoreError> {
    let mut stmt = conn
        .prepare(
            "SELECT source, document, etag, last_modified FROM document_validators \
             ORDER BY source, document",
        )
        .at(path)?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                Validators {
                    etag: r.get(2)?,
                    last_modified: r.get(3)?,
                },
            ))
        })
        .at(path)?;
    rows.map(|found| found.at(path)).collect()
}

/// Keeps `validators` for `document` of `source`.
pub(super) fn put_document(
    conn: &Connection,
    path: &Path,
    source: &str,
    document: &str,
    validators: &Validators,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO document_validators (source, document, etag, last_modified) \
         VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (source, document) DO UPDATE SET etag = ?3, last_modified = ?4",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            source,
            document,
            validators.etag,
            validators.last_modified
        ])
    })
    .at(path)?;
    Ok(())
}

/// Keeps `documents` as the validators of the documents of `source`, in
/// place of all kept before.
pub(super) fn put_documents(
    conn: &Connection,
    path: &Path,
    source: &str,
    documents: &DocumentValidators,
) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM document_validators WHERE source = ?")
        .and_then(|mut stmt| stmt.execute([source]))
        .at(path)?;
    for (document, validators) in documents {
        put_document(conn, path, source, document, validators)?;
    }
    Ok(())
}

/// Forgets the fetch state of `source`, its documents' validators and the
/// pages it fetched, at once; whether it had any.
pub(super) fn clear(conn: &Connection, path: &Path, source: &str) -> Result<bool, StoreError> {
    let transaction = conn.unchecked_transaction().at(path)?;
    let mut deleted = 0;
    for sql in [
        "DELETE FROM fetch_state WHERE source = ?",
        "DELETE FROM document_validators WHERE source = ?",
        "DELETE FROM seen_pages WHERE source = ?",
    ] {
        deleted += transaction.execute(sql, [source]).at(path)?;
    }
    transaction.commit().at(path)?;
    Ok(deleted > 0)
}

/// The sources with a fetch state, documents' validators or pages
/// fetched, by name.
pub(super) fn sources(conn: &Connection, path: &Path) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn
        .prepare(
            "SELECT source FROM fetch_state UNION SELECT source FROM document_validators \
             UNION SELECT source FROM seen_pages ORDER BY 1",
        )
        .at(path)?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0)).at(path)?;
    rows.map(|found| found.at(path)).collect()
}

//! The `fetch_state` table: one row of plain values per source (validators,
//! failures in a row, next attempt, last error). What they mean and how they
//! change is `ingest::fetch_state`'s business.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};

use super::{At, corrupt, parse_timestamp, timestamp};
use crate::ingest::fetch::Validators;
use crate::ingest::fetch_state::FetchState;
use crate::store::StoreError;

type Row = (
    Option<String>,
    Option<String>,
    i64,
    Option<String>,
    Option<String>,
);

const COLUMNS: &str = "etag, last_modified, failures, next_attempt, last_error";

fn row(row: &rusqlite::Row) -> rusqlite::Result<Row> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
    ))
}

/// The fetch state of `source` (defaults when it has none).
pub(super) fn get(conn: &Connection, path: &Path, source: &str) -> Result<FetchState, StoreError> {
    let found = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM fetch_state WHERE source = ?"
        ))
        .and_then(|mut stmt| stmt.query_row([source], row).optional())
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
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?),
            ))
        })
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
    let (etag, last_modified, failures, next_attempt, last_error) = found;
    let next_attempt = next_attempt
        .map(|t| parse_timestamp(&t))
        .transpose()
        .map_err(|message| corrupt(path, &format!("fetch state of {source}"), message))?;
    Ok(FetchState {
        validators: Validators {
            etag,
            last_modified,
        },
        failures: failures.clamp(0, u32::MAX as i64) as u32,
        next_attempt,
        last_error,
    })
}

/// Keeps `state` as the fetch state of `source`.
pub(super) fn put(
    conn: &Connection,
    path: &Path,
    source: &str,
    state: &FetchState,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO fetch_state (source, etag, last_modified, failures, next_attempt, last_error) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
         ON CONFLICT (source) DO UPDATE SET etag = ?2, last_modified = ?3, failures = ?4, \
         next_attempt = ?5, last_error = ?6",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            source,
            state.validators.etag,
            state.validators.last_modified,
            state.failures,
            state.next_attempt.map(timestamp),
            state.last_error,
        ])
    })
    .at(path)?;
    Ok(())
}

//! The `fetch_state` table: one row of plain values per source (validators,
//! failures in a row, next attempt, last error). What they mean and how they
//! change is `ingest::fetch_state`'s business.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};

use super::{At, corrupt, parse_timestamp, timestamp};
use crate::ingest::fetch::Validators;
use crate::ingest::fetch_state::FetchState;
use crate::store::StoreError;

/// The fetch state of `source` (defaults when it has none).
pub(super) fn get(conn: &Connection, path: &Path, source: &str) -> Result<FetchState, StoreError> {
    let row = conn
        .prepare_cached(
            "SELECT etag, last_modified, failures, next_attempt, last_error FROM fetch_state WHERE source = ?",
        )
        .and_then(|mut stmt| {
            stmt.query_row([source], |row| {
                Ok((
                    row.get::<_, Option<String>>(0)?,
                    row.get::<_, Option<String>>(1)?,
                    row.get::<_, i64>(2)?,
                    row.get::<_, Option<String>>(3)?,
                    row.get::<_, Option<String>>(4)?,
                ))
            })
            .optional()
        })
        .at(path)?;
    let Some((etag, last_modified, failures, next_attempt, last_error)) = row else {
        return Ok(FetchState::default());
    };
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

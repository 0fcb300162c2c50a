//! Per-source fetch state: the validators for the next conditional GET, and
//! the backoff that pushes a failing source's next attempt back.

use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::{At, SourceBatch, Store, StoreError, parse_timestamp, timestamp};
use crate::ingest::fetch::Validators;

/// The first retry after repeated failures waits this long, then doubles.
const BACKOFF_BASE: Duration = Duration::from_secs(5 * 60);
/// Backoff never waits longer than this.
const BACKOFF_MAX: Duration = Duration::from_secs(24 * 3600);

/// What the store remembers about fetching one source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FetchState {
    pub validators: Validators,
    /// Failures in a row.
    pub failures: u32,
    /// No fetch before this moment; `None` when due now.
    pub next_attempt: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

impl FetchState {
    /// Whether the source may be fetched at `now`.
    pub fn due(&self, now: DateTime<Utc>) -> bool {
        self.next_attempt.is_none_or(|at| at <= now)
    }
}

/// How long to wait after `failures` failures in a row: the server's
/// `Retry-After` when it gave one; otherwise nothing after a single failure
/// (try again next cycle), then 5 minutes doubling up to a day.
pub fn backoff_delay(failures: u32, retry_after: Option<Duration>) -> Duration {
    if let Some(delay) = retry_after {
        return delay.min(BACKOFF_MAX);
    }
    if failures <= 1 {
        return Duration::ZERO;
    }
    let doublings = (failures - 2).min(20);
    BACKOFF_BASE.saturating_mul(1 << doublings).min(BACKOFF_MAX)
}

impl Store {
    /// The fetch state of `source` (defaults when never fetched).
    pub fn fetch_state(&self, source: &str) -> Result<FetchState, StoreError> {
        let row = self
            .conn
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
            .at(&self.path)?;
        let Some((etag, last_modified, failures, next_attempt, last_error)) = row else {
            return Ok(FetchState::default());
        };
        let next_attempt = next_attempt
            .map(|t| parse_timestamp(&t))
            .transpose()
            .map_err(|message| {
                StoreError::corrupt(&self.path, &format!("fetch state of {source}"), message)
            })?;
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

    /// Records a failed fetch and schedules the next attempt; returns the
    /// new state.
    pub fn record_fetch_failure(
        &mut self,
        source: &str,
        error: &str,
        retry_after: Option<Duration>,
        now: DateTime<Utc>,
    ) -> Result<FetchState, StoreError> {
        let failures = self.fetch_state(source)?.failures.saturating_add(1);
        let delay = backoff_delay(failures, retry_after);
        let next_attempt = (!delay.is_zero())
            .then(|| now + chrono::Duration::from_std(delay).unwrap_or(chrono::Duration::MAX));
        self.conn
            .prepare_cached(
                "INSERT INTO fetch_state (source, failures, next_attempt, last_error) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (source) DO UPDATE SET failures = ?2, next_attempt = ?3, last_error = ?4",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![source, failures, next_attempt.map(timestamp), error])
            })
            .at(&self.path)?;
        self.fetch_state(source)
    }

    /// Records that the server answered 304. Nothing is written unless the
    /// source was failing before.
    pub fn record_not_modified(&mut self, source: &str) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "UPDATE fetch_state SET failures = 0, next_attempt = NULL, last_error = NULL \
                 WHERE source = ? AND (failures > 0 OR next_attempt IS NOT NULL)",
            )
            .and_then(|mut stmt| stmt.execute([source]))
            .at(&self.path)?;
        Ok(())
    }
}

impl SourceBatch<'_> {
    /// Records a good fetch with its validators, in the same transaction as
    /// the articles it brought.
    pub fn record_fetch_success(&mut self, validators: &Validators) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO fetch_state (source, etag, last_modified, failures, next_attempt, last_error) \
                 VALUES (?1, ?2, ?3, 0, NULL, NULL) \
                 ON CONFLICT (source) DO UPDATE SET etag = ?2, last_modified = ?3, failures = 0, \
                 next_attempt = NULL, last_error = NULL",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    self.source,
                    validators.etag,
                    validators.last_modified
                ])
            })
            .at(&self.path)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-28T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn backoff_doubles_from_the_second_failure_and_is_capped() {
        assert_eq!(backoff_delay(1, None), Duration::ZERO);
        assert_eq!(backoff_delay(2, None), Duration::from_secs(300));
        assert_eq!(backoff_delay(3, None), Duration::from_secs(600));
        assert_eq!(backoff_delay(4, None), Duration::from_secs(1200));
        assert_eq!(backoff_delay(40, None), BACKOFF_MAX);
        assert_eq!(
            backoff_delay(1, Some(Duration::from_secs(90))),
            Duration::from_secs(90)
        );
    }

    #[test]
    fn failures_schedule_the_next_attempt_and_success_clears_them() {
        let mut store = Store::open_in_memory().unwrap();
        assert!(store.fetch_state("wire").unwrap().due(now()));
        let first = store
            .record_fetch_failure("wire", "HTTP 500", None, now())
            .unwrap();
        assert_eq!(first.failures, 1);
        assert!(first.due(now()));
        let second = store
            .record_fetch_failure("wire", "HTTP 500", None, now())
            .unwrap();
        assert_eq!(
            second.next_attempt,
            Some(now() + chrono::Duration::minutes(5))
        );
        assert!(!second.due(now()));
        assert_eq!(second.last_error.as_deref(), Some("HTTP 500"));

        let validators = Validators {
            etag: Some("\"v1\"".into()),
            last_modified: Some("Sat, 28 Nov 2026 09:00:00 GMT".into()),
        };
        let mut batch = store.source_batch("wire").unwrap();
        batch.record_fetch_success(&validators).unwrap();
        batch.commit().unwrap();
        let state = store.fetch_state("wire").unwrap();
        assert_eq!(state.validators, validators);
        assert_eq!(state.failures, 0);
        assert!(state.due(now()));
    }

    #[test]
    fn retry_after_sets_the_next_attempt() {
        let mut store = Store::open_in_memory().unwrap();
        let state = store
            .record_fetch_failure("wire", "HTTP 429", Some(Duration::from_secs(120)), now())
            .unwrap();
        assert_eq!(
            state.next_attempt,
            Some(now() + chrono::Duration::minutes(2))
        );
        store.record_not_modified("wire").unwrap();
        assert!(store.fetch_state("wire").unwrap().due(now()));
    }
}

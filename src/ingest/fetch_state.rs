//! What fetching remembers about a source between cycles, and the policy
//! over it: the validators of the last good response for the next
//! conditional GET, and the backoff that pushes a failing source's next
//! attempt back. The store keeps a [`FetchState`] per source as plain
//! values; every rule about them lives here.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::fetch::Validators;

/// The first retry after repeated failures waits this long, then doubles.
const BACKOFF_BASE: Duration = Duration::from_secs(5 * 60);
/// Backoff never waits longer than this.
const BACKOFF_MAX: Duration = Duration::from_secs(24 * 3600);

/// What is remembered about fetching one source.
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

    /// Why a source that is not [`due`](Self::due) is skipped.
    pub fn backing_off(&self, now: DateTime<Utc>) -> String {
        format!(
            "backing off until {} after {} failure(s) in a row; last: {}",
            crate::model::rfc3339(self.next_attempt.unwrap_or(now)),
            self.failures,
            self.last_error.as_deref().unwrap_or("unknown")
        )
    }

    /// The state after a good fetch that gave `validators`.
    pub fn succeeded(validators: Validators) -> FetchState {
        FetchState {
            validators,
            ..FetchState::default()
        }
    }

    /// The state after one more failure (`error` names the URL or file and
    /// the cause), with the next attempt pushed back by [`backoff_delay`].
    pub fn failed(
        &self,
        error: &str,
        retry_after: Option<Duration>,
        now: DateTime<Utc>,
    ) -> FetchState {
        let failures = self.failures.saturating_add(1);
        let delay = backoff_delay(failures, retry_after);
        FetchState {
            validators: self.validators.clone(),
            failures,
            next_attempt: (!delay.is_zero())
                .then(|| now + chrono::Duration::from_std(delay).unwrap_or(chrono::Duration::MAX)),
            last_error: Some(error.to_string()),
        }
    }

    /// The state after a 304, when it differs: a failing source is due
    /// again with its validators kept; otherwise nothing changes.
    pub fn not_modified(&self) -> Option<FetchState> {
        (self.failures > 0 || self.next_attempt.is_some()).then(|| FetchState {
            validators: self.validators.clone(),
            ..FetchState::default()
        })
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
        let fresh = FetchState::default();
        assert!(fresh.due(now()));
        let first = fresh.failed("HTTP 500", None, now());
        assert_eq!(first.failures, 1);
        assert!(first.due(now()));
        let second = first.failed("HTTP 500", None, now());
        assert_eq!(
            second.next_attempt,
            Some(now() + chrono::Duration::minutes(5))
        );
        assert!(!second.due(now()));
        assert_eq!(second.last_error.as_deref(), Some("HTTP 500"));
        assert_eq!(
            second.backing_off(now()),
            "backing off until 2026-11-28T10:05:00Z after 2 failure(s) in a row; last: HTTP 500"
        );
        let validators = Validators {
            etag: Some("\"v1\"".into()),
            last_modified: Some("Sat, 28 Nov 2026 09:00:00 GMT".into()),
        };
        let good = FetchState::succeeded(validators.clone());
        assert_eq!(good.validators, validators);
        assert_eq!(good.failures, 0);
        assert!(good.due(now()));
    }

    #[test]
    fn retry_after_sets_the_next_attempt_and_a_304_clears_it() {
        let state = FetchState::default().failed("HTTP 429", Some(Duration::from_secs(120)), now());
        assert_eq!(
            state.next_attempt,
            Some(now() + chrono::Duration::minutes(2))
        );
        let cleared = state.not_modified().expect("a failing source changes");
        assert!(cleared.due(now()));
        assert_eq!(cleared.failures, 0);
        assert_eq!(cleared.not_modified(), None, "a healthy one does not");
    }
}

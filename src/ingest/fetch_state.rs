//! What fetching remembers about a source between cycles, and the policy
//! over it: the validators of the last good response for the next
//! conditional GET, the backoff that pushes a failing source's next
//! attempt back, and when it was last fetched with what result. The state
//! belongs to the location (URL or file) it was recorded for: a source
//! whose location changed starts afresh. The store keeps a [`FetchState`]
//! per source as plain values, and [`DocumentValidators`] for the
//! documents its own document leads to (the sitemaps an index lists);
//! every rule about them lives here.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::fetch::Validators;

/// The first retry after repeated failures waits this long, then doubles.
const BACKOFF_BASE: Duration = Duration::from_secs(5 * 60);
/// Backoff never waits longer than this.
const BACKOFF_MAX: Duration = Duration::from_secs(24 * 3600);
/// A server's `Retry-After` is honoured up to this long (planned
/// maintenance of a few days), so that a wrong one (`999999999`) does not
/// park a source for good.
pub const RETRY_AFTER_MAX: Duration = Duration::from_secs(7 * 24 * 3600);

/// What came of the last fetch of a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A document was fetched and read.
    Fetched,
    /// The server answered 304 Not Modified.
    NotModified,
    /// It failed; the cause is [`FetchState::last_error`].
    Failed,
}

impl Outcome {
    /// How the store keeps it, and `feedfold sources --json` shows it.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Fetched => "ok",
            Outcome::NotModified => "not-modified",
            Outcome::Failed => "failed",
        }
    }

    /// The outcome [`as_str`](Self::as_str) wrote.
    pub fn parse(text: &str) -> Option<Outcome> {
        [Outcome::Fetched, Outcome::NotModified, Outcome::Failed]
            .into_iter()
            .find(|o| o.as_str() == text)
    }
}

/// What is remembered about fetching one source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FetchState {
    /// The [`location_key`] of the URL or file this state was recorded
    /// for; `None` when that is not known (a store from before locations
    /// were kept): such a state applies to no location.
    pub location: Option<String>,
    pub validators: Validators,
    /// Failures in a row.
    pub failures: u32,
    /// No fetch before this moment; `None` when due now.
    pub next_attempt: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    /// When it was last fetched (the cycle's moment), and what came of it.
    pub last_attempt: Option<DateTime<Utc>>,
    pub last_outcome: Option<Outcome>,
    /// When the fetch the source's stored text reflects began (a document
    /// read, or a 304 saying it was unchanged), at the clock's full
    /// precision; a failure keeps the one before. A state read by a fetch
    /// that began before it is older than the state kept, and does not
    /// replace it: the store keeps the later one ([`FetchState::read_at`]).
    pub read_began: Option<DateTime<Utc>>,
}

/// The validators kept for the documents a source's own document leads to
/// (the sitemaps an index lists), each under the [`location_key`] of its
/// URL: those of a document read whole whose every page was read, so that
/// its `304` means nothing new. The index itself keeps its state in the
/// source's [`FetchState`].
pub type DocumentValidators = BTreeMap<String, Validators>;

/// What the state of a source fetched from `location` is recorded under:
/// a digest, so that no credential in a URL lands in the store, yet any
/// change to the URL (a new API key included) is a new location.
pub fn location_key(location: &str) -> String {
    crate::normalize::hex(&Sha256::digest(location.as_bytes())[..16])
}

impl FetchState {
    /// A state with nothing recorded yet for `location`.
    pub fn fresh(location: &str) -> FetchState {
        FetchState {
            location: Some(location_key(location)),
            ..FetchState::default()
        }
    }

    /// Whether this state was recorded for `location`.
    pub fn is_for(&self, location: &str) -> bool {
        self.location.as_deref() == Some(location_key(location).as_str())
    }

    /// This state when it was recorded for `location`, else a
    /// [`fresh`](Self::fresh) one: a source whose URL or file changed
    /// keeps neither the old validators nor the old backoff.
    pub fn applying_to(self, location: &str) -> FetchState {
        if self.is_for(location) {
            self
        } else {
            FetchState::fresh(location)
        }
    }

    /// Whether the source may be fetched at `now`: no next attempt is
    /// kept, it has come, or it is [`beyond_the_policy`](Self::beyond_the_policy).
    pub fn due(&self, now: DateTime<Utc>) -> bool {
        self.next_attempt
            .is_none_or(|at| at <= now || self.beyond_the_policy(now))
    }

    /// Whether the next attempt kept lies further from `now` than any wait
    /// the policy allows after this many failures (a `Retry-After` at
    /// [`RETRY_AFTER_MAX`], or the backoff at its cap): no cycle at or
    /// before `now` could have set it, so it was kept under a clock that
    /// ran ahead (a VM resumed with a wrong clock, an NTP step back). Such
    /// a source is due: holding it to that time would park it for as long
    /// as the clock was out, and a cap at `now` plus the wait would move
    /// with `now` and never come; fetched now, a failure schedules the next
    /// attempt from the right clock.
    pub fn beyond_the_policy(&self, now: DateTime<Utc>) -> bool {
        let longest = backoff_delay(self.failures, Some(RETRY_AFTER_MAX));
        self.next_attempt.is_some_and(|at| {
            at > now + chrono::Duration::from_std(longest).unwrap_or(chrono::Duration::MAX)
        })
    }

    /// Why a source that is not [`due`](Self::due) is skipped.
    pub fn backing_off(&self, now: DateTime<Utc>) -> String {
        format!(
            "backing off until {} after {} in a row; last: {}",
            crate::model::rfc3339(self.next_attempt.unwrap_or(now)),
            crate::plural::count(self.failures, "failure", "failures"),
            self.last_error.as_deref().unwrap_or("unknown")
        )
    }

    /// The state after a good fetch of `location`, at `now`, that gave
    /// `validators`.
    pub fn succeeded(location: &str, validators: Validators, now: DateTime<Utc>) -> FetchState {
        FetchState {
            validators,
            last_attempt: Some(now),
            last_outcome: Some(Outcome::Fetched),
            ..FetchState::fresh(location)
        }
    }

    /// The state after a good fetch of `location`, at `now`, that gave
    /// `validators`, of a document whose every document it leads to (the
    /// sitemaps an index lists) answered 304: nothing was new, as after a
    /// 304 of its own.
    pub fn read_unchanged(
        location: &str,
        validators: Validators,
        now: DateTime<Utc>,
    ) -> FetchState {
        FetchState {
            last_outcome: Some(Outcome::NotModified),
            ..FetchState::succeeded(location, validators, now)
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
            location: self.location.clone(),
            validators: self.validators.clone(),
            failures,
            next_attempt: (!delay.is_zero())
                .then(|| now + chrono::Duration::from_std(delay).unwrap_or(chrono::Duration::MAX)),
            last_error: Some(error.to_string()),
            last_attempt: Some(now),
            last_outcome: Some(Outcome::Failed),
            read_began: self.read_began,
        }
    }

    /// This state as read by a fetch that began at `began` (full
    /// precision): a good fetch's or a 304's. Two processes that fetch one
    /// source at once (two overlapping runs, a run beside `serve`) fold
    /// one after the other; the store keeps the state of the fetch that
    /// began last, whichever folds last.
    pub fn read_at(self, began: DateTime<Utc>) -> FetchState {
        FetchState {
            read_began: Some(began),
            ..self
        }
    }

    /// The state after a 304 at `now` that sent `validators`: due again,
    /// the validators kept but for those the 304 replaced
    /// ([`Validators::updated_by`]), any failures forgotten.
    pub fn not_modified(&self, validators: Validators, now: DateTime<Utc>) -> FetchState {
        FetchState {
            location: self.location.clone(),
            validators: self.validators.clone().updated_by(validators),
            last_attempt: Some(now),
            last_outcome: Some(Outcome::NotModified),
            ..FetchState::default()
        }
    }
}

/// How long to wait after `failures` failures in a row: nothing after a
/// single failure (try again next cycle), then 5 minutes doubling up to a
/// day; or the server's `Retry-After` (at most [`RETRY_AFTER_MAX`]) when
/// that is longer.
/// A short `Retry-After` never shortens the backoff.
pub fn backoff_delay(failures: u32, retry_after: Option<Duration>) -> Duration {
    let backoff = match failures {
        0 | 1 => Duration::ZERO,
        _ => BACKOFF_BASE
            .saturating_mul(1 << (failures - 2).min(20))
            .min(BACKOFF_MAX),
    };
    retry_after.map_or(backoff, |asked| asked.min(RETRY_AFTER_MAX).max(backoff))
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
        assert_eq!(
            backoff_delay(3, Some(Duration::from_secs(3600))),
            Duration::from_secs(3600)
        );
        // A Retry-After longer than the backoff's cap is honoured (two days
        // of planned maintenance), up to a week.
        assert_eq!(
            backoff_delay(1, Some(Duration::from_secs(2 * 86_400))),
            Duration::from_secs(2 * 86_400)
        );
        assert_eq!(
            backoff_delay(40, Some(Duration::from_secs(172_800))),
            Duration::from_secs(172_800)
        );
        assert_eq!(
            backoff_delay(1, Some(Duration::from_secs(30 * 86_400))),
            RETRY_AFTER_MAX
        );
    }

    #[test]
    fn a_short_retry_after_does_not_shorten_the_backoff() {
        for asked in [0, 1, 299] {
            let asked = Some(Duration::from_secs(asked));
            assert_eq!(backoff_delay(2, asked), Duration::from_secs(300));
            assert_eq!(backoff_delay(4, asked), Duration::from_secs(1200));
        }
        let mut state = FetchState::fresh(URL);
        for _ in 0..4 {
            state = state.failed(
                "HTTP 503 (retry after 1s)",
                Some(Duration::from_secs(1)),
                now(),
            );
        }
        assert_eq!(
            state.next_attempt,
            Some(now() + chrono::Duration::minutes(20))
        );
    }

    const URL: &str = "https://up.example/feed.xml";

    #[test]
    fn failures_schedule_the_next_attempt_and_success_clears_them() {
        let fresh = FetchState::fresh(URL);
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
            "backing off until 2026-11-28T10:05:00Z after 2 failures in a row; last: HTTP 500"
        );
        let validators = Validators {
            etag: Some("\"v1\"".into()),
            last_modified: Some("Sat, 28 Nov 2026 09:00:00 GMT".into()),
        };
        assert_eq!(second.last_outcome, Some(Outcome::Failed));
        assert_eq!(second.last_attempt, Some(now()));
        let good = FetchState::succeeded(URL, validators.clone(), now());
        assert_eq!(good.validators, validators);
        assert_eq!(good.failures, 0);
        assert_eq!(good.last_error, None);
        assert_eq!(good.last_outcome, Some(Outcome::Fetched));
        assert!(good.due(now()));
        assert!(good.is_for(URL));
        // An index read whose every sitemap answered 304: nothing new.
        let unchanged = FetchState::read_unchanged(URL, Validators::default(), now());
        assert_eq!(unchanged.last_outcome, Some(Outcome::NotModified));
        assert_eq!(
            FetchState {
                last_outcome: Some(Outcome::Fetched),
                ..unchanged
            },
            FetchState::succeeded(URL, Validators::default(), now())
        );
    }

    #[test]
    fn state_follows_the_location_it_was_recorded_for() {
        let failing = FetchState::fresh(URL)
            .failed("HTTP 404", None, now())
            .failed("HTTP 404", None, now());
        assert!(!failing.due(now()));
        assert_eq!(failing.clone().applying_to(URL), failing);
        let moved = failing.applying_to("https://up.example/news.xml");
        assert!(moved.due(now()), "a new URL is fetched at once");
        assert_eq!(moved.failures, 0);
        assert_eq!(moved.last_error, None);
        assert!(moved.is_for("https://up.example/news.xml"));
        let with_key = FetchState::fresh("https://up.example/f?key=old");
        assert!(!with_key.is_for("https://up.example/f?key=new"));
        assert!(
            !with_key.location.as_deref().unwrap().contains("key"),
            "no part of the URL is stored"
        );
        let unknown = FetchState {
            failures: 3,
            ..FetchState::default()
        };
        assert_eq!(unknown.applying_to(URL), FetchState::fresh(URL));
        for outcome in [Outcome::Fetched, Outcome::NotModified, Outcome::Failed] {
            assert_eq!(Outcome::parse(outcome.as_str()), Some(outcome));
        }
    }

    #[test]
    fn a_next_attempt_no_policy_could_have_set_is_due() {
        // Two failures under a clock 30 days ahead; the clock is right again.
        let ahead = now() + chrono::Duration::days(30);
        let parked = FetchState::fresh(URL)
            .failed("HTTP 500", None, ahead)
            .failed("HTTP 500", None, ahead);
        assert!(parked.beyond_the_policy(now()));
        assert!(parked.due(now()));
        // Then it fails again: backed off from the right clock.
        let again = parked.failed("HTTP 500", None, now());
        assert_eq!(
            again.next_attempt,
            Some(now() + chrono::Duration::minutes(10))
        );
        assert!(!again.beyond_the_policy(now()) && !again.due(now()));
        // The longest wait the policy allows is a Retry-After at its cap:
        // up to it the source waits, a second past it is due.
        let week = chrono::Duration::from_std(RETRY_AFTER_MAX).unwrap();
        let asked = FetchState::fresh(URL).failed(
            "HTTP 503 (retry after 604800s)",
            Some(RETRY_AFTER_MAX),
            now(),
        );
        assert_eq!(asked.next_attempt, Some(now() + week));
        assert!(!asked.beyond_the_policy(now()) && !asked.due(now()));
        let past = FetchState {
            next_attempt: Some(now() + week + chrono::Duration::seconds(1)),
            ..asked.clone()
        };
        assert!(past.beyond_the_policy(now()) && past.due(now()));
        // A day of backoff, kept by a clock a minute ahead, is held to.
        let capped = FetchState {
            failures: 40,
            next_attempt: Some(now() + chrono::Duration::days(1) + chrono::Duration::minutes(1)),
            ..asked
        };
        assert!(!capped.due(now()));
    }

    #[test]
    fn retry_after_sets_the_next_attempt_and_a_304_clears_it() {
        let state =
            FetchState::fresh(URL).failed("HTTP 429", Some(Duration::from_secs(120)), now());
        assert_eq!(
            state.next_attempt,
            Some(now() + chrono::Duration::minutes(2))
        );
        let cleared = state.not_modified(Validators::default(), now());
        assert!(cleared.due(now()));
        assert_eq!(cleared.failures, 0);
        assert_eq!(cleared.last_outcome, Some(Outcome::NotModified));
        assert!(cleared.is_for(URL));
    }

    #[test]
    fn a_304_keeps_the_validators_it_sends() {
        let v1 = Validators {
            etag: Some("\"v1\"".into()),
            last_modified: Some("Tue, 01 Dec 2026 10:00:00 GMT".into()),
        };
        let fetched = FetchState::succeeded(URL, v1.clone(), now());
        // Sent again as they were, or not at all: kept.
        assert_eq!(fetched.not_modified(v1.clone(), now()).validators, v1);
        let silent = fetched.not_modified(Validators::default(), now());
        assert_eq!(silent.validators, v1);
        // A new ETag replaces the old one; the Last-Modified it left out stays.
        let v2 = Validators {
            etag: Some("\"v2\"".into()),
            last_modified: None,
        };
        let renewed = fetched.not_modified(v2, now());
        assert_eq!(renewed.validators.etag.as_deref(), Some("\"v2\""));
        assert_eq!(renewed.validators.last_modified, v1.last_modified);
    }
}

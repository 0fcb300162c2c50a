//! WebSub pings from `serve`: the feed files each publication changed wait
//! in a set (a file changed twice before its ping goes out is announced
//! once) that one task sends to the hub one at a time, so a slow hub holds
//! up no push and no cycle, and pings never pile up. A ping the hub did not take (it
//! could not be reached, or answered 5xx or 429) is sent again after
//! [`RETRIES`], until it is taken or the last has failed; a change of the
//! file meanwhile is announced at once. On shutdown what still waits,
//! retries included, is sent once the last cycles have published, and
//! sent again as `run` does, for at most [`AT_SHUTDOWN`].

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{Notify, watch};
use tokio::time::Instant;

use super::AppState;
use crate::pipeline::websub;

/// Longest the pings still waiting at shutdown may hold the server up.
pub const AT_SHUTDOWN: Duration = Duration::from_secs(10);

/// How long after each failure in a row a ping is sent again: a hub
/// restarting or down for some ten minutes still hears of the change.
pub const RETRIES: [Duration; 5] = [
    Duration::from_secs(5),
    Duration::from_secs(15),
    Duration::from_secs(45),
    Duration::from_secs(135),
    Duration::from_secs(405),
];

/// The feed file URLs waiting to be announced.
#[derive(Default)]
pub struct Pings {
    waiting: Mutex<Waiting>,
    wake: Notify,
}

#[derive(Default)]
struct Waiting {
    /// Topics to announce now.
    now: BTreeSet<String>,
    /// Topics whose ping failed: how many times in a row, and when to send
    /// it again.
    retry: BTreeMap<String, (usize, Instant)>,
}

/// A topic taken to be sent, with how many times in a row its ping failed.
type Taken = (String, usize);

impl Pings {
    fn waiting(&self) -> std::sync::MutexGuard<'_, Waiting> {
        self.waiting.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds `topics` to what waits, and wakes the sender. A topic waiting
    /// to be sent again goes now.
    pub fn add(&self, topics: Vec<String>) {
        if topics.is_empty() {
            return;
        }
        let mut waiting = self.waiting();
        for topic in topics {
            waiting.retry.remove(&topic);
            waiting.now.insert(topic);
        }
        drop(waiting);
        self.wake.notify_one();
    }

    /// Everything to send at `at`: what waits, and the retries due by then.
    fn take(&self, at: Instant) -> Vec<Taken> {
        let mut waiting = self.waiting();
        let due: Vec<String> = waiting
            .retry
            .iter()
            .filter(|(_, (_, when))| *when <= at)
            .map(|(topic, _)| topic.clone())
            .collect();
        let mut taken: Vec<Taken> = std::mem::take(&mut waiting.now)
            .into_iter()
            .map(|topic| (topic, 0))
            .collect();
        for topic in due {
            if let Some((failures, _)) = waiting.retry.remove(&topic) {
                taken.push((topic, failures));
            }
        }
        taken
    }

    /// Everything waiting, retries not due yet included, leaving nothing.
    fn take_all(&self) -> Vec<String> {
        let mut waiting = self.waiting();
        let mut topics: BTreeSet<String> = std::mem::take(&mut waiting.now);
        topics.extend(std::mem::take(&mut waiting.retry).into_keys());
        topics.into_iter().collect()
    }

    /// When the next retry is due, if one waits.
    fn next_retry(&self) -> Option<Instant> {
        self.waiting().retry.values().map(|(_, when)| *when).min()
    }

    /// Notes that the pings of `failed`, of the batch `sent` at `at`,
    /// were not taken: each is sent again after its next delay of
    /// [`RETRIES`] (unless the file changed again meanwhile, which is
    /// announced anyway), or given up after the last.
    fn failed(&self, sent: &[Taken], failed: &[String], at: Instant) {
        let mut waiting = self.waiting();
        for (topic, failures) in sent.iter().filter(|(t, _)| failed.contains(t)) {
            if waiting.now.contains(topic) {
                continue;
            }
            match RETRIES.get(*failures) {
                Some(delay) => {
                    waiting
                        .retry
                        .insert(topic.clone(), (failures + 1, at + *delay));
                }
                None => tracing::warn!(
                    topic,
                    "the WebSub hub did not take the ping in {} tries; the change is not announced",
                    failures + 1
                ),
            }
        }
    }
}

/// Sends what waits whenever something is added or a retry is due, until
/// `shutdown` turns true; a batch cut short by it waits again, for
/// [`at_shutdown`].
pub async fn send(state: Arc<AppState>, mut shutdown: watch::Receiver<bool>) {
    let Some(hub) = state.config.publish.websub_hub.clone() else {
        return;
    };
    loop {
        let retry = state.pings.next_retry();
        tokio::select! {
            () = state.pings.wake.notified() => {}
            () = async {
                match retry {
                    Some(when) => tokio::time::sleep_until(when).await,
                    None => std::future::pending().await,
                }
            } => {}
            _ = shutdown.wait_for(|stopping| *stopping) => return,
        }
        let batch = state.pings.take(Instant::now());
        if batch.is_empty() {
            continue;
        }
        let topics: Vec<String> = batch.iter().map(|(topic, _)| topic.clone()).collect();
        // A ping that fails is sent again while a delay of `RETRIES` is
        // left for it (see `Pings::failed`).
        let sent_again = |topic: &str| {
            batch
                .iter()
                .any(|(t, failures)| t == topic && *failures < RETRIES.len())
        };
        tokio::select! {
            failed = websub::ping_topics(&state.http, &hub, &topics, 1, sent_again, None) => {
                state.pings.failed(&batch, &failed, Instant::now());
            }
            _ = shutdown.wait_for(|stopping| *stopping) => {
                state.pings.add(topics);
                return;
            }
        }
    }
}

/// Sends what still waits once the server has stopped serving, and again
/// after each of [`websub::RUN_RETRIES`] what the hub did not take, as
/// `run` does, all within [`AT_SHUTDOWN`]: a hub restarting beside the
/// server still hears of the change. What could not be sent by then is
/// logged.
pub async fn at_shutdown(state: &AppState) {
    let topics = state.pings.take_all();
    let Some(hub) = &state.config.publish.websub_hub else {
        return;
    };
    if topics.is_empty() {
        return;
    }
    let waiting =
        websub::ping_within(&state.http, hub, &topics, AT_SHUTDOWN, &websub::RUN_RETRIES).await;
    if !waiting.is_empty() {
        tracing::warn!(
            hub = %crate::redact::url(hub),
            files = waiting.len(),
            "the WebSub hub did not take the last pings within {} s; some changed feeds were not announced",
            AT_SHUTDOWN.as_secs()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topics(taken: Vec<Taken>) -> Vec<String> {
        taken.into_iter().map(|(topic, _)| topic).collect()
    }

    #[test]
    fn a_file_changed_twice_waits_once() {
        let pings = Pings::default();
        pings.add(vec!["b".into(), "a".into()]);
        pings.add(vec!["a".into()]);
        let now = Instant::now();
        assert_eq!(topics(pings.take(now)), ["a", "b"]);
        assert!(pings.take(now).is_empty());
    }

    #[test]
    fn a_ping_not_taken_is_sent_again_after_each_delay_then_given_up() {
        let pings = Pings::default();
        pings.add(vec!["a".into(), "b".into()]);
        let mut at = Instant::now();
        let mut batch = pings.take(at);
        pings.failed(&batch, &["a".into()], at);
        for delay in RETRIES {
            assert_eq!(pings.next_retry(), Some(at + delay));
            assert!(pings.take(at + delay - Duration::from_millis(1)).is_empty());
            at += delay;
            batch = pings.take(at);
            assert_eq!(topics(batch.clone()), ["a"]);
            pings.failed(&batch, &["a".into()], at);
        }
        assert_eq!(pings.next_retry(), None, "given up after the last retry");
        assert!(pings.take_all().is_empty());
    }

    #[test]
    fn a_change_while_a_ping_waits_to_be_sent_again_goes_at_once() {
        let pings = Pings::default();
        pings.add(vec!["a".into()]);
        let at = Instant::now();
        let batch = pings.take(at);
        pings.failed(&batch, &["a".into()], at);
        pings.add(vec!["a".into()]);
        assert_eq!(pings.next_retry(), None);
        assert_eq!(pings.take(at), [("a".to_string(), 0)]);
        // What waits at shutdown is sent, retries not due yet too.
        pings.add(vec!["b".into()]);
        pings.failed(&[("a".into(), 0)], &["a".into()], at);
        assert_eq!(pings.take_all(), ["a", "b"]);
    }
}

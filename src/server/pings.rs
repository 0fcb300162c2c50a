//! WebSub pings from `serve`: the feed files each publication changed wait
//! in a set (a file changed twice before its ping goes out is announced
//! once) that one task sends to the hub, so a slow hub holds up no push and
//! no cycle, and pings never pile up. On shutdown what still waits is sent
//! once the last cycles have published, for at most [`AT_SHUTDOWN`].

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{Notify, watch};

use super::AppState;
use crate::pipeline::websub;

/// Longest the pings still waiting at shutdown may hold the server up.
pub const AT_SHUTDOWN: Duration = Duration::from_secs(10);

/// The feed file URLs waiting to be announced.
#[derive(Default)]
pub struct Pings {
    waiting: Mutex<BTreeSet<String>>,
    wake: Notify,
}

impl Pings {
    /// Adds `topics` to what waits, and wakes the sender.
    pub fn add(&self, topics: Vec<String>) {
        if topics.is_empty() {
            return;
        }
        self.waiting
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend(topics);
        self.wake.notify_one();
    }

    /// Everything waiting, leaving nothing.
    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.waiting.lock().unwrap_or_else(|p| p.into_inner()))
            .into_iter()
            .collect()
    }
}

/// Sends what waits whenever something is added, until `shutdown` turns
/// true; a batch cut short by it waits again, for [`at_shutdown`].
pub async fn send(state: Arc<AppState>, mut shutdown: watch::Receiver<bool>) {
    let Some(hub) = state.config.publish.websub_hub.clone() else {
        return;
    };
    loop {
        tokio::select! {
            () = state.pings.wake.notified() => {}
            _ = shutdown.wait_for(|stopping| *stopping) => return,
        }
        let topics = state.pings.take();
        tokio::select! {
            () = websub::ping_topics(&state.http, &hub, &topics) => {}
            _ = shutdown.wait_for(|stopping| *stopping) => {
                state.pings.add(topics);
                return;
            }
        }
    }
}

/// Sends what still waits once the server has stopped serving, for at
/// most [`AT_SHUTDOWN`]; what could not be sent by then is logged.
pub async fn at_shutdown(state: &AppState) {
    let topics = state.pings.take();
    let Some(hub) = &state.config.publish.websub_hub else {
        return;
    };
    if topics.is_empty() {
        return;
    }
    let sent =
        tokio::time::timeout(AT_SHUTDOWN, websub::ping_topics(&state.http, hub, &topics)).await;
    if sent.is_err() {
        tracing::warn!(
            hub = %crate::redact::url(hub),
            "the WebSub hub did not take the last pings within {} s; some changed feeds were not announced",
            AT_SHUTDOWN.as_secs()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_changed_twice_waits_once() {
        let pings = Pings::default();
        pings.add(vec!["b".into(), "a".into()]);
        pings.add(vec!["a".into()]);
        assert_eq!(pings.take(), ["a", "b"]);
        assert!(pings.take().is_empty());
    }
}

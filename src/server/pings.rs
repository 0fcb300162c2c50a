//! WebSub pings from `serve`: the feed files each publication changed wait
//! in a set (a file changed twice before its ping goes out is announced
//! once) that one task sends to the hub, so a slow hub holds up no push and
//! no cycle, and pings never pile up. On shutdown what still waits is sent
//! once the last cycles have published.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use tokio::sync::{Notify, watch};

use super::AppState;
use crate::pipeline::websub;

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
/// true (then once more).
pub async fn send(state: Arc<AppState>, mut shutdown: watch::Receiver<bool>) {
    loop {
        let stopping = tokio::select! {
            () = state.pings.wake.notified() => false,
            _ = shutdown.wait_for(|stopping| *stopping) => true,
        };
        send_waiting(&state).await;
        if stopping {
            return;
        }
    }
}

/// Sends every ping waiting now.
pub async fn send_waiting(state: &AppState) {
    let topics = state.pings.take();
    if let Some(hub) = &state.config.publish.websub_hub
        && !topics.is_empty()
    {
        websub::ping_topics(&state.http, hub, &topics).await;
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

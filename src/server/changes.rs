//! Following what other processes commit to a shared store (PostgreSQL):
//! a blocking thread waits on the store's change feed and hands every
//! change to a task that republishes the feeds carrying the sources named
//! (all feeds when they are unknown), so an article pushed to or ingested
//! by any instance is served by every instance within about a second. The
//! thread also watches the database: while it cannot be reached, the
//! status says so (`/healthz` reports `degraded`), the cache keeps serving
//! what was last rendered, and once it is back everything is republished.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, watch};

use super::AppState;
use super::schedule::republish;
use crate::store::{self, Changed};

/// Longest a wait on the change feed lasts, so shutdown is noticed.
const WAIT: Duration = Duration::from_secs(1);
/// Pause between attempts to reach a database that is down.
const RETRY: Duration = Duration::from_secs(1);

/// Republishes on every change another process commits, until `shutdown`
/// turns true. Returns at once for a store without a change feed (SQLite,
/// whose files `schedule::watch_files` follows instead).
pub async fn follow(state: Arc<AppState>, shutdown: watch::Receiver<bool>) {
    let (tx, mut rx) = mpsc::unbounded_channel::<Changed>();
    let watcher = state.clone();
    let thread = tokio::task::spawn_blocking(move || watch_store(&watcher, &shutdown, &tx));
    while let Some(first) = rx.recv().await {
        // Changes that came meanwhile are republished together.
        let mut changes = vec![first];
        while let Ok(more) = rx.try_recv() {
            changes.push(more);
        }
        let sources = sources_of(&changes);
        let names: Vec<&str> = sources.iter().map(String::as_str).collect();
        tracing::debug!(?names, "the store changed; republishing");
        republish(&state, &names).await;
    }
    let _ = thread.await;
}

/// The sources named by `changes`; empty (every feed) when one is unknown.
fn sources_of(changes: &[Changed]) -> Vec<String> {
    let mut sources = BTreeSet::new();
    for change in changes {
        match change {
            Changed::Unknown => return Vec::new(),
            Changed::Sources(names) => sources.extend(names.iter().cloned()),
        }
    }
    sources.into_iter().collect()
}

/// The blocking side: waits on the change feed, keeps the status's view of
/// the store current, and sends each change.
fn watch_store(
    state: &AppState,
    shutdown: &watch::Receiver<bool>,
    changes: &mpsc::UnboundedSender<Changed>,
) {
    let mut feed = None;
    while !*shutdown.borrow() {
        if feed.is_none() {
            match store::watch(&state.config.store) {
                Ok(None) => return,
                Ok(Some(opened)) => {
                    feed = Some(opened);
                    state.store_reachable(None);
                    // Anything may have changed while it was down.
                    let _ = changes.send(Changed::Unknown);
                }
                Err(e) => {
                    state.store_reachable(Some(e.to_string()));
                    std::thread::sleep(RETRY);
                    continue;
                }
            }
        }
        let Some(open) = feed.as_mut() else { continue };
        match open.wait(WAIT) {
            Ok(Some(change)) => {
                state.store_reachable(None);
                if changes.send(change).is_err() {
                    return;
                }
            }
            Ok(None) => state.store_reachable(None),
            Err(e) => {
                // Said once, as the store's state changes; the feed is
                // opened afresh once the store answers again.
                tracing::debug!("the store's change feed failed: {e}");
                state.store_reachable(Some(e.to_string()));
                feed = None;
                std::thread::sleep(RETRY);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_name_their_sources_or_every_feed() {
        let named =
            |names: &[&str]| Changed::Sources(names.iter().map(|n| n.to_string()).collect());
        assert_eq!(
            sources_of(&[named(&["b", "a"]), named(&["a", "c"])]),
            ["a", "b", "c"]
        );
        assert!(sources_of(&[named(&["a"]), Changed::Unknown]).is_empty());
    }
}

//! What every cycle of one process fetches with: one [`Fetcher`] (one pair
//! of HTTP clients, and with them one load of the system's certificate
//! store), the [`PageFetcher`] whose limits hold across every source, and
//! the turns of the `[fetch] concurrency` sources gathered at once.
//! `feedfold run` sets one up for its cycle; `serve` sets one up as it
//! starts and shares it between the cycles of all its sources, so that it
//! keeps to the same limits as a run however many sources are due at once.

use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::config::Config;
use crate::ingest::fetch::{self, FetchError, Fetcher, Validators};
use crate::ingest::fetch_state::DocumentValidators;
use crate::ingest::page_fetch::PageFetcher;
use crate::ingest::source::{GatherContext, SeenPages};

/// The fetching a process shares between its cycles; clones share it too.
#[derive(Clone)]
pub struct Fetching {
    fetcher: Fetcher,
    pages: PageFetcher,
    turns: Arc<Semaphore>,
    concurrency: usize,
}

/// A source's turn to be gathered, held until it is folded: while it is
/// held, it is one of the `[fetch] concurrency` sources fetched at once.
pub struct Turn {
    _permit: OwnedSemaphorePermit,
}

impl Fetching {
    /// The fetching `config` asks for: its `[fetch]` limits, and the
    /// `User-Agent` naming its base URL.
    pub fn new(config: &Config) -> Result<Fetching, FetchError> {
        let concurrency = config.fetch.concurrency.max(1);
        let fetcher = Fetcher::new(&config.fetch, &fetch::user_agent(&config.publish.base_url))?;
        Ok(Fetching {
            pages: PageFetcher::new(fetcher.clone(), concurrency),
            fetcher,
            turns: Arc::new(Semaphore::new(concurrency)),
            concurrency,
        })
    }

    /// How many sources are gathered at once, at most.
    pub fn concurrency(&self) -> usize {
        self.concurrency
    }

    /// Waits until fewer than `concurrency` sources hold a turn, and takes
    /// one; `None` once the process is stopping ([`Fetching::stop`]).
    pub async fn turn(&self) -> Option<Turn> {
        let permit = self.turns.clone().acquire_owned().await.ok()?;
        Some(Turn { _permit: permit })
    }

    /// Gives no more turns: the sources waiting for one, and those asking
    /// later, are not fetched (a stopping server's); those holding one
    /// finish.
    pub fn stop(&self) {
        self.turns.close();
    }

    /// What a source is gathered with, asking `seen` which pages were
    /// fetched before; no validators yet.
    pub fn context(&self, seen: Arc<dyn SeenPages>) -> GatherContext {
        GatherContext {
            fetcher: self.fetcher.clone(),
            validators: Validators::default(),
            documents: DocumentValidators::default(),
            pages: self.pages.clone(),
            seen,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;
    use std::time::Duration;

    fn fetching(concurrency: usize) -> Fetching {
        let text = format!(
            "[store]\npath = \"feedfold.db\"\n[publish]\ndir = \"feeds\"\n[fetch]\nconcurrency = {concurrency}\n[[feed]]\nname = \"news\"\ntitle = \"News\"\n"
        );
        let config = Config::parse(&text, Path::new("/srv/feedfold/config.toml")).unwrap();
        Fetching::new(&config).unwrap()
    }

    #[tokio::test]
    async fn no_more_turns_than_the_concurrency_are_held_at_once_by_all_clones() {
        let fetching = fetching(2);
        assert_eq!(fetching.concurrency(), 2);
        let other = fetching.clone();
        let first = fetching.turn().await;
        let _second = other.turn().await;
        let third = tokio::time::timeout(Duration::from_millis(50), fetching.turn()).await;
        assert!(third.is_err(), "a third source waits for a turn");
        drop(first);
        let third = tokio::time::timeout(Duration::from_secs(5), other.turn()).await;
        assert!(
            third.is_ok_and(|turn| turn.is_some()),
            "and gets one once a source is folded"
        );
    }

    #[tokio::test]
    async fn once_stopped_a_source_waiting_for_a_turn_gets_none() {
        let fetching = fetching(1);
        let held = fetching.turn().await;
        let waiting = tokio::spawn({
            let fetching = fetching.clone();
            async move { fetching.turn().await.is_some() }
        });
        fetching.stop();
        assert!(!waiting.await.unwrap(), "the waiting source is let go");
        assert!(fetching.turn().await.is_none());
        drop(held);
    }
}

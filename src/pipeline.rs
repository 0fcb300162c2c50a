//! One cycle, sources -> ingest -> dedup -> store -> publish, and the report
//! of what it did. `feedfold run` calls [`run_cycle`] once.
//!
//! Feed sources are fetched concurrently (at most `[fetch] concurrency` at a
//! time); each source is then folded into the store in its own transaction,
//! one writer at a time. A failing source is reported and the others go on;
//! feeds are published from whatever the store holds afterwards.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Utc};

use crate::config::{Config, FeedLocation, SourceConfig, SourceKind};
use crate::dedup::Decision;
use crate::ingest::{self, fetch};
use crate::model::{Article, FeedSpec};
use crate::progress::Progress;
use crate::publish::{self, WriteOutcome};
use crate::store::{SourceBatch, Store, StoreError};

/// The store, shared by the tasks of a cycle; locked only on blocking threads.
pub type SharedStore = Arc<Mutex<Store>>;

/// What one source contributed to a cycle.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceReport {
    pub name: String,
    /// Whether the source is a feed (documents and entries) rather than
    /// dumps (files and articles).
    pub feed: bool,
    /// Files (dumps) or documents (feeds) read.
    pub files: usize,
    pub bytes: u64,
    pub articles: usize,
    pub repeats_folded: usize,
    pub new: usize,
    pub known: usize,
    pub updated: usize,
    /// The server answered 304: nothing was parsed or written.
    pub not_modified: bool,
    /// Why the source was not fetched this cycle (backoff after failures).
    pub skipped: Option<String>,
    /// Each failure, naming the file or URL and the cause.
    pub errors: Vec<String>,
}

/// What publishing one feed did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedReport {
    pub name: String,
    pub entries: usize,
    /// The newest entry's `updated`.
    pub updated: Option<DateTime<Utc>>,
    pub files: Vec<(PathBuf, WriteOutcome)>,
    pub error: Option<String>,
}

/// Everything one cycle did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CycleReport {
    pub sources: Vec<SourceReport>,
    pub feeds: Vec<FeedReport>,
}

impl CycleReport {
    /// True when no source and no feed failed.
    pub fn succeeded(&self) -> bool {
        self.sources.iter().all(|s| s.errors.is_empty())
            && self.feeds.iter().all(|f| f.error.is_none())
    }
}

/// Locks the store, recovering it if a panicking thread poisoned the lock
/// (every write is a transaction, so the store itself stays consistent).
pub fn lock(store: &SharedStore) -> MutexGuard<'_, Store> {
    store
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Runs one cycle: every source is ingested in its own transaction, then
/// every feed is rendered from the store and written.
pub async fn run_cycle(
    config: &Config,
    store: &SharedStore,
    now: DateTime<Utc>,
    progress: Arc<dyn Progress>,
) -> CycleReport {
    let sources = ingest_sources(config, &config.sources, store, now, progress).await;
    let feeds = {
        let config = config.clone();
        let store = store.clone();
        tokio::task::spawn_blocking(move || publish_feeds(&config, &lock(&store)))
            .await
            .unwrap_or_else(|e| vec![panicked_feed("all feeds", &e)])
    };
    CycleReport { sources, feeds }
}

/// Ingests `sources`. Every source is folded into the store in the order
/// of `sources`, so the same inputs always give the same store (which
/// source saw a story first decides its id); feed documents are fetched
/// ahead of the fold, in the same order, at most `[fetch] concurrency` at a
/// time, which also bounds how many wait in memory. Reports come back in
/// the order of `sources`.
pub async fn ingest_sources(
    config: &Config,
    sources: &[SourceConfig],
    store: &SharedStore,
    now: DateTime<Utc>,
    progress: Arc<dyn Progress>,
) -> Vec<SourceReport> {
    let fetcher =
        match fetch::Fetcher::new(&config.fetch, &fetch::user_agent(&config.publish.base_url)) {
            Ok(fetcher) => fetcher,
            Err(e) => {
                return sources
                    .iter()
                    .map(|s| SourceReport {
                        name: s.name.clone(),
                        errors: vec![e.to_string()],
                        ..Default::default()
                    })
                    .collect();
            }
        };
    let window = config.fetch.concurrency.max(1);
    let feed_sources: Vec<usize> = (0..sources.len())
        .filter(|&i| matches!(sources[i].kind, SourceKind::Feed(_)))
        .collect();
    let mut next_fetch = 0;
    let mut in_flight: HashMap<usize, tokio::task::JoinHandle<FeedFetch>> = HashMap::new();
    let mut reports = Vec::with_capacity(sources.len());
    for (index, source) in sources.iter().enumerate() {
        // Fetch ahead, in order, at most `window` documents past the fold.
        while in_flight.len() < window && next_fetch < feed_sources.len() {
            let ahead = &sources[feed_sources[next_fetch]];
            if let SourceKind::Feed(location) = &ahead.kind {
                let fetch = tokio::spawn(fetch_feed_source(
                    store.clone(),
                    ahead.name.clone(),
                    location.clone(),
                    fetcher.clone(),
                    now,
                ));
                in_flight.insert(feed_sources[next_fetch], fetch);
            }
            next_fetch += 1;
        }
        let store = store.clone();
        let name = source.name.clone();
        let report = match &source.kind {
            SourceKind::Feed(location) => {
                let fetch = in_flight
                    .remove(&index)
                    .expect("the next feed source to fold is always being fetched");
                match fetch.await {
                    Ok(FeedFetch::Done(report)) => Ok(report),
                    Ok(FeedFetch::Fetched { fetched, report }) => {
                        let location = location.to_string();
                        tokio::task::spawn_blocking(move || {
                            fold_feed_source(
                                &mut lock(&store),
                                &name,
                                &location,
                                fetched,
                                now,
                                report,
                            )
                        })
                        .await
                    }
                    Err(e) => Err(e),
                }
            }
            SourceKind::Text(pattern) => {
                let pattern = pattern.clone();
                let progress = progress.clone();
                tokio::task::spawn_blocking(move || {
                    ingest_text_source(&mut lock(&store), &name, &pattern, now, &*progress)
                })
                .await
            }
        };
        reports.push(report.unwrap_or_else(|e| panicked_source(&source.name, &e)));
    }
    reports
}

/// A feed source after its fetch phase.
enum FeedFetch {
    /// Nothing to fold: skipped (backing off) or its state unreadable.
    Done(SourceReport),
    /// The fetch's outcome.
    Fetched {
        fetched: Result<fetch::Fetched, fetch::FetchError>,
        report: SourceReport,
    },
}

fn panicked_source(name: &str, error: &tokio::task::JoinError) -> SourceReport {
    SourceReport {
        name: name.to_string(),
        errors: vec![format!("internal error: {error}")],
        ..Default::default()
    }
}

fn panicked_feed(name: &str, error: &tokio::task::JoinError) -> FeedReport {
    FeedReport {
        name: name.to_string(),
        entries: 0,
        updated: None,
        files: Vec::new(),
        error: Some(format!("internal error: {error}")),
    }
}

/// Fetches one feed source, unless it is backing off.
async fn fetch_feed_source(
    store: SharedStore,
    name: String,
    location: FeedLocation,
    fetcher: fetch::Fetcher,
    now: DateTime<Utc>,
) -> FeedFetch {
    let mut report = SourceReport {
        name: name.clone(),
        feed: true,
        ..Default::default()
    };
    let state = {
        let store = store.clone();
        let name = name.clone();
        tokio::task::spawn_blocking(move || lock(&store).fetch_state(&name)).await
    };
    let state = match state {
        Ok(Ok(state)) => state,
        Ok(Err(e)) => {
            report.errors.push(e.to_string());
            return FeedFetch::Done(report);
        }
        Err(e) => return FeedFetch::Done(panicked_source(&name, &e)),
    };
    if !state.due(now) {
        report.skipped = Some(format!(
            "backing off until {} after {} failure(s) in a row; last: {}",
            publish::rfc3339(state.next_attempt.unwrap_or(now)),
            state.failures,
            state.last_error.as_deref().unwrap_or("unknown")
        ));
        return FeedFetch::Done(report);
    }
    let fetched = match &location {
        FeedLocation::Url(url) => fetcher.fetch(url, &state.validators).await,
        FeedLocation::File(path) => fetcher.read_file(path).map(fetch::Fetched::Document),
    };
    FeedFetch::Fetched { fetched, report }
}

/// Parses a fetched document and folds its entries in one transaction; a
/// 304 parses and writes nothing; a failure is recorded for the backoff.
fn fold_feed_source(
    store: &mut Store,
    name: &str,
    location: &str,
    fetched: Result<fetch::Fetched, fetch::FetchError>,
    now: DateTime<Utc>,
    mut report: SourceReport,
) -> SourceReport {
    match fetched {
        Ok(fetch::Fetched::NotModified) => {
            report.not_modified = true;
            if let Err(e) = store.record_not_modified(name) {
                report.errors.push(e.to_string());
            }
        }
        Ok(fetch::Fetched::Document(document)) => {
            let parsed = ingest::feed::parse_feed(
                &document.body,
                document.charset.as_deref(),
                &document.url,
            )
            .map(|feed| {
                for warning in &feed.warnings {
                    tracing::warn!(source = %name, "{}: {warning}", document.url);
                }
                feed.articles
            })
            .map_err(|e| e.to_string());
            let outcome = parsed.and_then(|articles| {
                report.files = 1;
                report.bytes = document.body.len() as u64;
                fold_feed(
                    store,
                    name,
                    &articles,
                    &document.validators,
                    now,
                    &mut report,
                )
                .map_err(|e| e.to_string())
            });
            if let Err(e) = outcome {
                fail_fetch(store, name, &e, None, now, &mut report);
            }
        }
        Err(e) => {
            let retry_after = e.retry_after();
            let error = format!("{location}: {e}");
            fail_fetch(store, name, &error, retry_after, now, &mut report);
        }
    }
    report
}

/// Reports a failed source (`error` names the URL or file) and records the
/// failure for its backoff.
fn fail_fetch(
    store: &mut Store,
    name: &str,
    error: &str,
    retry_after: Option<std::time::Duration>,
    now: DateTime<Utc>,
    report: &mut SourceReport,
) {
    report.errors.push(error.to_string());
    if let Err(e) = store.record_fetch_failure(name, error, retry_after, now) {
        report.errors.push(e.to_string());
    }
}

fn fold_feed(
    store: &mut Store,
    name: &str,
    articles: &[Article],
    validators: &fetch::Validators,
    now: DateTime<Utc>,
    report: &mut SourceReport,
) -> Result<(), StoreError> {
    let mut batch = store.source_batch(name)?;
    let mut counts = (0, 0, 0);
    for article in articles {
        count(&batch.fold(article, now)?.decision, &mut counts);
    }
    batch.record_fetch_success(validators)?;
    batch.commit()?;
    report.articles = articles.len();
    (report.new, report.known, report.updated) = counts;
    Ok(())
}

fn count(decision: &Decision, (new, known, updated): &mut (usize, usize, usize)) {
    match decision {
        Decision::New { .. } => *new += 1,
        folded if folded.updates() => *updated += 1,
        Decision::Repeat { .. } | Decision::Update { .. } | Decision::Near { .. } => *known += 1,
    }
}

/// Ingests every file of a text source in one transaction.
fn ingest_text_source(
    store: &mut Store,
    name: &str,
    pattern: &Path,
    now: DateTime<Utc>,
    progress: &dyn Progress,
) -> SourceReport {
    let mut report = SourceReport {
        name: name.to_string(),
        ..Default::default()
    };
    let files = match ingest::source_files(pattern) {
        Ok(files) => files,
        Err(e) => {
            report.errors.push(e.to_string());
            return report;
        }
    };
    if files.is_empty() {
        tracing::warn!(source = %name, pattern = %pattern.display(), "no files match");
    }
    let mut batch = match store.source_batch(name) {
        Ok(batch) => batch,
        Err(e) => {
            report.errors.push(e.to_string());
            return report;
        }
    };
    for file in &files {
        if let Err(e) = ingest_file(&mut batch, name, file, now, progress, &mut report) {
            report.errors.push(e);
        }
        if !batch.is_open() {
            // SQLite rolled the whole transaction back (a full disk does).
            report.errors.push(format!(
                "the source's transaction was rolled back: nothing of source {name} was stored this cycle"
            ));
            (report.new, report.known, report.updated) = (0, 0, 0);
            return report;
        }
    }
    if let Err(e) = batch.commit() {
        report.errors.push(e.to_string());
        (report.new, report.known, report.updated) = (0, 0, 0);
    }
    report
}

/// Folds one dump inside its own savepoint: an error discards the whole file
/// and leaves the rest of the source in place.
fn ingest_file(
    batch: &mut SourceBatch,
    source: &str,
    path: &Path,
    now: DateTime<Utc>,
    progress: &dyn Progress,
    report: &mut SourceReport,
) -> Result<(), String> {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let mut reader = ingest::open_dump(path).map_err(|e| format!("{}: {e}", path.display()))?;
    progress.file_started(source, path, size);
    batch.begin_file().map_err(|e| e.to_string())?;
    let mut counts = (0, 0, 0);
    let folded: Result<(), String> = (|| {
        while let Some(article) = reader.next() {
            let article = article.map_err(|e| e.to_string())?;
            count(
                &batch
                    .fold(&article, now)
                    .map_err(|e| e.to_string())?
                    .decision,
                &mut counts,
            );
            progress.advanced(reader.bytes_read());
        }
        Ok(())
    })();
    progress.file_finished();
    // The cause comes first: after a failure that made SQLite roll back the
    // whole transaction, ending the savepoint fails too, and says less.
    let ended = batch.end_file(folded.is_ok());
    folded?;
    ended.map_err(|e| e.to_string())?;
    let stats = reader.stats();
    report.files += 1;
    report.bytes += reader.bytes_read();
    report.articles += stats.articles;
    report.repeats_folded += stats.repeats_folded;
    report.new += counts.0;
    report.known += counts.1;
    report.updated += counts.2;
    Ok(())
}

/// A feed as just published: the report, and the bytes now in its files.
#[derive(Debug, Clone)]
pub struct Published {
    pub report: FeedReport,
    pub rendered: Option<publish::Rendered>,
}

/// Renders every feed from the store and writes the files that changed.
pub fn publish_feeds(config: &Config, store: &Store) -> Vec<FeedReport> {
    publish_selected(config, store, &config.feeds)
        .into_iter()
        .map(|p| p.report)
        .collect()
}

/// The feeds that carry articles from any of `sources`.
pub fn feeds_with_sources(config: &Config, sources: &[&str]) -> Vec<FeedSpec> {
    config
        .feeds
        .iter()
        .filter(|spec| match &spec.sources {
            None => true,
            Some(list) => list.iter().any(|s| sources.contains(&s.as_str())),
        })
        .cloned()
        .collect()
}

/// Renders and writes `feeds`. Publishing holds an exclusive lock on
/// `<dir>/.feedfold.lock`, so two processes sharing a store and a feeds
/// folder publish one after the other and the later one always writes the
/// newer state.
pub fn publish_selected(config: &Config, store: &Store, feeds: &[FeedSpec]) -> Vec<Published> {
    let _lock = match publish::lock_dir(&config.publish.dir) {
        Ok(lock) => lock,
        Err(e) => {
            return feeds
                .iter()
                .map(|spec| Published {
                    report: FeedReport {
                        name: spec.name.clone(),
                        entries: 0,
                        updated: None,
                        files: Vec::new(),
                        error: Some(e.to_string()),
                    },
                    rendered: None,
                })
                .collect();
        }
    };
    feeds
        .iter()
        .map(|spec| publish_feed(config, store, spec))
        .collect()
}

fn publish_feed(config: &Config, store: &Store, spec: &FeedSpec) -> Published {
    let mut report = FeedReport {
        name: spec.name.clone(),
        entries: 0,
        updated: None,
        files: Vec::new(),
        error: None,
    };
    let result = (|| -> Result<publish::Rendered, String> {
        let articles = store
            .feed_entries(spec.sources.as_deref(), None, spec.limit)
            .map_err(|e| e.to_string())?;
        report.entries = articles.len();
        report.updated = articles.iter().map(|a| a.updated).max();
        let rendered =
            publish::render(spec, &config.publish, &articles).map_err(|e| e.to_string())?;
        report.files = publish::write_feed(&config.publish.dir, &spec.name, &rendered)
            .map_err(|e| e.to_string())?;
        Ok(rendered)
    })();
    match result {
        Ok(rendered) => Published {
            report,
            rendered: Some(rendered),
        },
        Err(error) => {
            report.error = Some(error);
            Published {
                report,
                rendered: None,
            }
        }
    }
}

impl fmt::Display for SourceReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "source {}: ", self.name)?;
        if let Some(reason) = &self.skipped {
            write!(f, "skipped, {reason}")?;
        } else if self.not_modified {
            write!(f, "not modified since the last fetch")?;
        } else if self.files == 0 && !self.errors.is_empty() {
            write!(f, "failed")?;
        } else if self.feed {
            write!(
                f,
                "{} entries read, {} new, {} already known",
                self.articles, self.new, self.known
            )?;
            if self.updated > 0 {
                write!(f, ", {} updated", self.updated)?;
            }
        } else {
            write!(
                f,
                "{} file(s), {} article(s) read, {} repeated line(s) folded, {} new, {} already known",
                self.files, self.articles, self.repeats_folded, self.new, self.known
            )?;
            if self.updated > 0 {
                write!(f, ", {} updated", self.updated)?;
            }
        }
        for error in &self.errors {
            write!(f, "\n  error: {error}")?;
        }
        Ok(())
    }
}

impl fmt::Display for FeedReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let written = self
            .files
            .iter()
            .filter(|(_, o)| *o == WriteOutcome::Written)
            .count();
        write!(
            f,
            "feed {}: {} entries, {} file(s) written, {} unchanged",
            self.name,
            self.entries,
            written,
            self.files.len() - written
        )?;
        if let Some(error) = &self.error {
            write!(f, "\n  error: {error}")?;
        }
        Ok(())
    }
}

impl fmt::Display for CycleReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for source in &self.sources {
            writeln!(f, "{source}")?;
        }
        for feed in &self.feeds {
            writeln!(f, "{feed}")?;
        }
        Ok(())
    }
}

//! One cycle, sources -> ingest -> dedup -> store -> publish (-> the
//! WebSub hub, `websub`), and the one
//! fold-and-commit loop every way in goes through: `feedfold run` calls
//! [`run_cycle`], `serve` calls [`ingest`] for each source on its schedule
//! and for each push of the API, then [`publish_selected`].
//!
//! Each source is folded into the store in its own transaction, in the
//! order given, one at a time, each unit (file, document, request) in a
//! savepoint of its own; sources that fetch are gathered ahead, at most
//! `[fetch] concurrency` at a time in the whole process (`fetching`: `serve`
//! shares one between the cycles of all its sources, as `run` does between
//! the sources of its one cycle). Configured sources are claimed first
//! ([`Claims`]), so processes sharing a store never ingest one source at
//! once. A failing source is reported and the others go on; feeds are
//! published from whatever the store holds afterwards; once the store is
//! unreachable, the sources left are not attempted. `fold` folds one
//! article; `template` drops a site's template paragraphs from its pages
//! first; `progress` reports on files as they are read; `report` is what a
//! cycle says it did.

pub mod fetching;
pub mod fold;
pub mod progress;
pub mod refold;
mod report;
pub mod template;
pub mod websub;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use chrono::{DateTime, SubsecRound, Utc};

use crate::config::Config;
use crate::dedup::{self, near_rules::NearConfig};
use crate::ingest::Source;
use crate::ingest::fetch::Validators;
use crate::ingest::fetch_state::FetchState;
use crate::ingest::source::{self, Batch, GatherContext, Gathered, SeenPages, Unit};
use crate::model::FeedSpec;
use crate::publish;
use crate::store::{self, Claim, FeedPublication, SourceCycle, SourceWriter, Store, StoreError};
use fetching::{Fetching, Turn};
use progress::Progress;

pub use fold::{Folded, fold_article};
pub use report::{ArticleOutcome, CycleReport, FeedReport, SourceReport, StoreFailure};

/// The store, shared by the tasks of a cycle; locked only on blocking threads.
pub type SharedStore = Arc<Mutex<Box<dyn Store>>>;

/// Locks the store, recovering it if a panicking thread poisoned the lock
/// (every write is a transaction, so the store itself stays consistent).
pub fn lock(store: &SharedStore) -> MutexGuard<'_, Box<dyn Store>> {
    store
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Opens the store the config names, its near-duplicate index keyed for
/// `[dedup] max_distance` when near-duplicate folding is on.
pub fn open_store(config: &Config) -> Result<Box<dyn Store>, StoreError> {
    let mut store = store::open(config)?;
    if let Some(near) = dedup::near_config(&config.dedup) {
        store.rekey_near_index(near.max_distance)?;
    }
    Ok(store)
}

/// Whether sources are claimed ([`Store::claim`]) before they are
/// ingested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claims {
    /// Not claimed: articles pushed over the API land whoever else is
    /// ingesting their source.
    None,
    /// Claimed; a source another process ingested from an attempt begun
    /// at or after this moment is skipped.
    FreshSince(DateTime<Utc>),
}

/// Runs one cycle begun at `began`: every configured source is ingested in
/// its own transaction, then every feed is rendered from the store and
/// written. Sources another process ingested since the cycle began are
/// skipped; that is judged at the clock's full precision, so a cycle that
/// begins within the same second as another ended still ingests. What the
/// cycle stores is dated to the whole second.
pub async fn run_cycle(
    config: &Config,
    store: &SharedStore,
    began: DateTime<Utc>,
    progress: Arc<dyn Progress>,
) -> CycleReport {
    let sources: Vec<Box<dyn Source>> = config
        .sources
        .iter()
        .map(|s| source::from_config(s, config.folder()))
        .collect();
    let sources = match Fetching::new(config) {
        Ok(fetching) => {
            ingest(
                config,
                sources,
                store,
                &fetching,
                began,
                Claims::FreshSince(began),
                progress,
            )
            .await
        }
        Err(e) => sources
            .iter()
            .map(|source| {
                let mut report = SourceInfo::of(&**source).report();
                report.fail(INTERNAL, &e);
                report
            })
            .collect(),
    };
    keep_cycles(store, cycles_of(&sources)).await;
    if sources.iter().any(|s| s.unreachable) {
        let feeds = config
            .feeds
            .iter()
            .map(|spec| FeedReport::failed(&spec.name, NOT_ATTEMPTED.to_string()))
            .collect();
        return CycleReport { sources, feeds };
    }
    let feeds = {
        let config = config.clone();
        let store = store.clone();
        tokio::task::spawn_blocking(move || publish_feeds(&config, &mut **lock(&store)))
            .await
            .unwrap_or_else(|e| vec![FeedReport::failed("all feeds", internal(&e))])
    };
    keep_publications(config, store, &feeds).await;
    if config.publish.websub_hub.is_some() && !websub::topics(&config.publish, &feeds).is_empty() {
        match websub::client(config) {
            Ok(client) => websub::ping_hub(&client, &config.publish, &feeds).await,
            Err(e) => tracing::warn!("cannot ping the WebSub hub: {e}"),
        }
    }
    CycleReport { sources, feeds }
}

/// What each source ingested in a cycle `reports` tells of did, dated
/// now, for the articles page; a source not ingested (skipped, or left
/// alone once the store was unreachable) had no cycle.
pub fn cycles_of(reports: &[SourceReport]) -> Vec<SourceCycle> {
    reports
        .iter()
        .filter(|r| r.skipped.is_none() && !r.unreachable)
        .map(|r| SourceCycle {
            source: r.name.clone(),
            at: Utc::now(),
            new: u32::try_from(r.new).unwrap_or(u32::MAX),
            folded: u32::try_from(r.folded).unwrap_or(u32::MAX),
            failed: !r.errors.is_empty(),
        })
        .collect()
}

/// Keeps `cycles` ([`Store::record_cycles`], [`cycles_of`]). A count the
/// store cannot keep is logged: the cycle itself went through. The cycles
/// kept (none when they could not be).
pub async fn keep_cycles(store: &SharedStore, cycles: Vec<SourceCycle>) -> Vec<SourceCycle> {
    if cycles.is_empty() {
        return cycles;
    }
    let store = store.clone();
    let kept =
        tokio::task::spawn_blocking(move || lock(&store).record_cycles(&cycles).map(|()| cycles))
            .await;
    match kept {
        Ok(Ok(cycles)) => return cycles,
        Ok(Err(e)) => tracing::warn!("cannot keep the cycle's counts: {e}"),
        Err(e) => tracing::warn!("cannot keep the cycle's counts: {}", internal(&e)),
    }
    Vec::new()
}

/// Keeps whether each feed `reports` tells of was published
/// ([`Store::record_publications`]), in one transaction, so a server beside this run (on the
/// same store) knows of a feed this run could not publish. One the store
/// cannot keep is logged: the feeds were published or not all the same.
async fn keep_publications(config: &Config, store: &SharedStore, reports: &[FeedReport]) {
    let at = Utc::now();
    let publications: Vec<FeedPublication> = reports
        .iter()
        .filter(|report| config.feeds.iter().any(|spec| spec.name == report.name))
        .map(|report| FeedPublication {
            feed: report.name.clone(),
            at,
            failed: report.error.is_some(),
        })
        .collect();
    let store = store.clone();
    let kept =
        tokio::task::spawn_blocking(move || lock(&store).record_publications(&publications)).await;
    match kept {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::warn!("cannot keep which feeds were published: {e}"),
        Err(e) => tracing::warn!("cannot keep which feeds were published: {}", internal(&e)),
    }
}

/// The store, as gathering asks it which pages were fetched before.
struct StoreSeenPages(SharedStore);

impl SeenPages for StoreSeenPages {
    fn pages_seen(
        &self,
        source: &str,
        urls: &[String],
    ) -> Result<HashMap<String, source::PageVersion>, String> {
        lock(&self.0)
            .pages_seen(source, urls)
            .map_err(|e| e.to_string())
    }
}

/// What the fold of a source needs to know about it once it is gathered.
#[derive(Clone)]
struct SourceInfo {
    name: String,
    counting: source::Counting,
    /// Where it fetches from, for a source that keeps a fetch state.
    fetched_from: Option<String>,
    itemized: bool,
    kept_text: Option<source::KeptText>,
}

impl SourceInfo {
    fn of(source: &dyn Source) -> SourceInfo {
        SourceInfo {
            name: source.name().to_string(),
            counting: source.counting(),
            fetched_from: source.fetches_from(),
            itemized: source.itemized(),
            kept_text: source.kept_text(),
        }
    }

    fn report(&self) -> SourceReport {
        SourceReport {
            name: self.name.clone(),
            counting: self.counting,
            ..Default::default()
        }
    }
}

/// A source gathered ahead of the fold: what came of it, when its gather
/// began, and the turn it holds until it is folded (none when its task
/// failed, or the process is stopping).
struct Prefetch {
    outcome: Prefetched,
    began: Instant,
    turn: Option<Turn>,
}

/// A source after its gather.
enum Prefetched {
    /// Not ingested this cycle, for this reason: claimed by another
    /// process.
    Skipped(String),
    /// Neither claimed nor fetched: the process began to stop while it
    /// waited for its turn.
    Stopping,
    /// Claimed, but not fetched: it is backing off after failures, for
    /// this reason.
    BackingOff(String),
    /// It could not be claimed, or its fetch state could not be read.
    Failed(StoreError),
    Gathered(Gathered),
}

/// Ingests `sources` and reports on each, in the order given. Every source
/// is folded into the store in that order, so the same inputs always give
/// the same store (which source saw a story first decides its id); sources
/// that fetch are gathered ahead of the fold, in the same order, each once
/// it has a turn of `fetching` ([`Fetching::turn`]), which it holds until
/// it is folded: at most `[fetch] concurrency` are fetched at once, or wait
/// in memory, across every cycle that shares `fetching`. The push API
/// calls this as `run` and the schedule do. What a source read arrived
/// when its gather began (`arrival`): `now`, the cycle's start (full
/// precision), for the sources gathered at once.
pub async fn ingest(
    config: &Config,
    sources: Vec<Box<dyn Source>>,
    store: &SharedStore,
    fetching: &Fetching,
    now: DateTime<Utc>,
    claims: Claims,
    progress: Arc<dyn Progress>,
) -> Vec<SourceReport> {
    let clock = Instant::now();
    let infos: Vec<SourceInfo> = sources.iter().map(|s| SourceInfo::of(&**s)).collect();
    let near = dedup::near_config(&config.dedup);
    let window = fetching.concurrency();
    let context = fetching.context(Arc::new(StoreSeenPages(store.clone())));
    let mut sources: Vec<Option<Box<dyn Source>>> = sources.into_iter().map(Some).collect();
    let fetching_sources: Vec<usize> = (0..infos.len())
        .filter(|&i| infos[i].fetched_from.is_some())
        .collect();
    let mut next_fetch = 0;
    let mut in_flight: HashMap<usize, tokio::task::JoinHandle<Prefetch>> = HashMap::new();
    let mut reports = Vec::with_capacity(infos.len());
    for (index, info) in infos.into_iter().enumerate() {
        // Gather ahead, in order, at most `window` sources past the fold.
        while in_flight.len() < window && next_fetch < fetching_sources.len() {
            let ahead = fetching_sources[next_fetch];
            if let Some(source) = sources[ahead].take() {
                let task = prefetch(
                    store.clone(),
                    source,
                    context.clone(),
                    fetching.clone(),
                    now,
                    claims,
                );
                in_flight.insert(ahead, tokio::spawn(task));
            }
            next_fetch += 1;
        }
        if reports.iter().any(|r: &SourceReport| r.unreachable) {
            // Every source left would fail the same way.
            if let Some(task) = in_flight.remove(&index) {
                task.abort();
            }
            reports.push(SourceReport {
                skipped: Some(NOT_ATTEMPTED.to_string()),
                unreachable: true,
                ..info.report()
            });
            continue;
        }
        let Prefetch {
            outcome,
            began,
            turn,
        } = match (in_flight.remove(&index), sources[index].take()) {
            (Some(task), _) => task.await.unwrap_or_else(|e| Prefetch {
                outcome: Prefetched::Failed(joined(&e)),
                began: Instant::now(),
                turn: None,
            }),
            (None, Some(source)) => {
                log_start(&info.name, None);
                let began = Instant::now();
                let outcome = match claim(store, source.name(), claims).await {
                    Some(skipped) => skipped,
                    None => Prefetched::Gathered(source.gather(context.clone()).await),
                };
                Prefetch {
                    outcome,
                    began,
                    turn: None,
                }
            }
            (None, None) => unreachable!("every source is gathered once"),
        };
        let gathered_at = arrival(now, clock, began);
        let store = store.clone();
        let progress = progress.clone();
        let name = info.name.clone();
        let report = tokio::task::spawn_blocking(move || {
            let mut store = lock(&store);
            let claimed = claims != Claims::None
                && !matches!(outcome, Prefetched::Skipped(_) | Prefetched::Stopping);
            let mut report = fold_source(
                &mut **store,
                &info,
                outcome,
                near.as_ref(),
                gathered_at,
                &*progress,
            );
            if claimed && let Err(e) = store.release(&info.name) {
                report.store_failed(&e);
            }
            // Folded: another source may be fetched.
            drop(turn);
            report
        })
        .await
        .unwrap_or_else(|e| {
            let mut report = SourceReport {
                name,
                ..Default::default()
            };
            report.fail(INTERNAL, internal(&e));
            report
        });
        log_result(&report, began);
        reports.push(report);
    }
    reports
}

/// When what a source read arrived, at full precision: when its gather
/// began (at `gathered_from`), on the clock of `now`, the moment of
/// `clock`, the cycle's start. A copy fetched after another is so never
/// older than it, even when the earlier fetch was slower (an overlapping
/// run's), and a source gathered late in a long cycle is not taken for
/// fetched at its start. What it stores is dated to the whole second of
/// it.
fn arrival(now: DateTime<Utc>, clock: Instant, gathered_from: Instant) -> DateTime<Utc> {
    let elapsed = gathered_from.saturating_duration_since(clock);
    now + chrono::Duration::from_std(elapsed).unwrap_or_default()
}

/// Logs, at debug, that a source's gather starts.
fn log_start(name: &str, fetched_from: Option<&str>) {
    match fetched_from {
        Some(location) => tracing::debug!(
            source = %name,
            "started: fetching {}",
            crate::redact::urls_in(location)
        ),
        None => tracing::debug!(source = %name, "started"),
    }
}

/// Logs, at debug, what became of a source and how long it took since its
/// gather began (`began`).
fn log_result(report: &SourceReport, began: Instant) {
    let ms = began.elapsed().as_millis() as u64;
    let result = if let Some(reason) = &report.skipped {
        format!("skipped, {reason}")
    } else if !report.errors.is_empty() {
        format!("failed: {}", report.errors.join("; "))
    } else if report.not_modified {
        "not modified".to_string()
    } else {
        "ok".to_string()
    };
    tracing::debug!(
        source = %report.name,
        files = report.files,
        articles = report.articles,
        new = report.new,
        known = report.known,
        updated = report.updated,
        ms,
        "done: {result}"
    );
}

/// The failure classes of the store and of feedfold itself; a fetch or
/// read failure has its own ([`crate::ingest::fetch::FetchError::class`],
/// [`source::read_failure_class`]).
const STORE: &str = "store error";
const INTERNAL: &str = "internal error";

fn internal(error: &tokio::task::JoinError) -> String {
    format!("internal error: {error}")
}

/// A store call whose thread panicked.
fn joined(error: &tokio::task::JoinError) -> StoreError {
    StoreError::Backend {
        store: "store".into(),
        message: internal(error),
    }
}

/// Why sources and feeds after a source that found the store unreachable
/// are left alone (the cause is printed once, with that source).
const NOT_ATTEMPTED: &str = "not attempted: the store is unreachable";

/// Why a source that fetches is left alone once the process is stopping
/// ([`Fetching::stop`]).
const STOPPING: &str = "not attempted: stopping";

/// Claims `name` as `claims` asks; `None` when this process may ingest it,
/// else why it is skipped (or failed).
async fn claim(store: &SharedStore, name: &str, claims: Claims) -> Option<Prefetched> {
    let Claims::FreshSince(since) = claims else {
        return None;
    };
    let (store, name) = (store.clone(), name.to_string());
    let claimed = tokio::task::spawn_blocking(move || lock(&store).claim(&name, Some(since))).await;
    match claimed {
        Ok(Ok(Claim::Granted)) => None,
        Ok(Ok(Claim::Busy)) => Some(Prefetched::Skipped(
            "another process is ingesting it".to_string(),
        )),
        Ok(Ok(Claim::Done(at))) => Some(Prefetched::Skipped(format!(
            "another process ingested it at {}",
            crate::model::rfc3339(at)
        ))),
        Ok(Err(e)) => Some(Prefetched::Failed(e)),
        Err(e) => Some(Prefetched::Failed(joined(&e))),
    }
}

/// Gathers a source that fetches once it has a turn of `fetching` and is
/// claimed, unless it is backing off.
async fn prefetch(
    store: SharedStore,
    source: Box<dyn Source>,
    context: GatherContext,
    fetching: Fetching,
    now: DateTime<Utc>,
    claims: Claims,
) -> Prefetch {
    let turn = fetching.turn().await;
    let began = Instant::now();
    if turn.is_none() {
        return Prefetch {
            outcome: Prefetched::Stopping,
            began,
            turn,
        };
    }
    log_start(source.name(), source.fetches_from().as_deref());
    let outcome = gather_claimed(store, source, context, now, claims).await;
    Prefetch {
        outcome,
        began,
        turn,
    }
}

/// Gathers a source that fetches, once claimed, unless it is backing off.
async fn gather_claimed(
    store: SharedStore,
    source: Box<dyn Source>,
    context: GatherContext,
    now: DateTime<Utc>,
    claims: Claims,
) -> Prefetched {
    if let Some(skipped) = claim(&store, source.name(), claims).await {
        return skipped;
    }
    let name = source.name().to_string();
    let location = source.fetches_from().unwrap_or_default();
    let state = tokio::task::spawn_blocking(move || {
        let mut store = lock(&store);
        let state = store.fetch_state(&name)?.applying_to(&location);
        Ok::<_, StoreError>((state, store.document_validators(&name)?))
    })
    .await;
    let (state, documents) = match state {
        Ok(Ok(state)) => state,
        Ok(Err(e)) => return Prefetched::Failed(e),
        Err(e) => return Prefetched::Failed(joined(&e)),
    };
    if !state.due(now) {
        return Prefetched::BackingOff(state.backing_off(now));
    }
    let context = GatherContext {
        validators: state.validators,
        documents,
        ..context
    };
    Prefetched::Gathered(source.gather(context).await)
}

/// Folds what one source gathered into the store, in one transaction, and
/// keeps its fetch state: a good batch records its validators, and those
/// of the documents its document leads to, in the same transaction; a
/// failure (fetch, document or store) pushes the next attempt back; a 304
/// records when it came. `gathered_at` is when its gather began (full
/// precision): when what it read arrived.
fn fold_source(
    store: &mut dyn Store,
    info: &SourceInfo,
    prefetched: Prefetched,
    near: Option<&NearConfig>,
    gathered_at: DateTime<Utc>,
    progress: &dyn Progress,
) -> SourceReport {
    let now = gathered_at.trunc_subsecs(0);
    let mut report = info.report();
    match prefetched {
        Prefetched::Skipped(reason) => {
            report.skipped = Some(crate::redact::urls_in(&reason).into_owned())
        }
        Prefetched::Stopping => {
            report.skipped = Some(STOPPING.to_string());
            report.stopping = true;
        }
        Prefetched::BackingOff(reason) => {
            report.skipped = Some(crate::redact::urls_in(&reason).into_owned());
            report.backing_off = true;
        }
        Prefetched::Failed(error) => report.store_failed(&error),
        Prefetched::Gathered(Gathered::NotModified(sent)) => {
            report.not_modified = true;
            let cleared = fetch_state_of(store, info).and_then(|state| {
                let state = state.not_modified(sent, now).read_at(gathered_at);
                store.put_fetch_state(&info.name, &state)
            });
            if let Err(e) = cleared {
                report.store_failed(&e);
            }
        }
        Prefetched::Gathered(Gathered::Failed(failure)) => {
            report.fail(failure.class(), &failure);
            let error = report.errors[0].clone();
            record_failure(store, info, &error, failure.retry_after(), now, &mut report);
        }
        Prefetched::Gathered(Gathered::Batch(batch)) => {
            fold_batch(store, info, batch, near, gathered_at, progress, &mut report);
            if info.fetched_from.is_some()
                && let Some(error) = report.errors.first().cloned()
            {
                record_failure(store, info, &error, None, now, &mut report);
            }
        }
    }
    report
}

/// The fetch state of a source that fetches, as it applies to where it
/// fetches from now.
fn fetch_state_of(store: &mut dyn Store, info: &SourceInfo) -> Result<FetchState, StoreError> {
    let location = info.fetched_from.as_deref().unwrap_or_default();
    Ok(store.fetch_state(&info.name)?.applying_to(location))
}

/// Records one more failure of a source that fetches, for its backoff.
fn record_failure(
    store: &mut dyn Store,
    info: &SourceInfo,
    error: &str,
    retry_after: Option<std::time::Duration>,
    now: DateTime<Utc>,
    report: &mut SourceReport,
) {
    if info.fetched_from.is_none() {
        return;
    }
    let recorded = fetch_state_of(store, info).and_then(|state| {
        store.put_fetch_state(&info.name, &state.failed(error, retry_after, now))
    });
    if let Err(e) = recorded {
        report.store_failed(&e);
    }
}

/// Folds every unit of `batch`, gathered at `gathered_at` (full
/// precision), in one transaction of the source, each in a savepoint: a
/// unit that fails is discarded whole and reported, the others land. A
/// batch fetched before the read the store keeps of the source (another
/// process fetched it later and folded first: two overlapping runs, a run
/// beside `serve`) is older than what is stored: its copies replace no
/// text (an edit in it is a sighting, the later text stays) and it keeps
/// no fetch state.
fn fold_batch(
    store: &mut dyn Store,
    info: &SourceInfo,
    batch: Batch,
    near: Option<&NearConfig>,
    gathered_at: DateTime<Utc>,
    progress: &dyn Progress,
    report: &mut SourceReport,
) {
    let now = gathered_at.trunc_subsecs(0);
    let mut writer = match store.begin(&info.name) {
        Ok(writer) => writer,
        Err(e) => {
            report.store_failed(&e);
            return;
        }
    };
    let superseded = match read_later(&mut *writer, info, gathered_at) {
        Ok(superseded) => superseded,
        Err(e) => {
            report.store_failed(&e);
            return;
        }
    };
    let keeping_all;
    let info = match superseded.clone() {
        Some(kept) => {
            keeping_all = SourceInfo {
                kept_text: Some(kept),
                ..info.clone()
            };
            &keeping_all
        }
        None => info,
    };
    let (mut validators, mut documents) = (batch.validators, batch.documents);
    report.waiting = batch.waiting;
    report.unchanged = batch.unchanged;
    report.not_modified = batch.not_modified;
    for unit in batch.units {
        let folded = unit
            .map_err(|e| UnitFailure::Read(source::read_failure_class(&e), e.to_string()))
            .and_then(|mut unit| {
                fold_unit(&mut *writer, info, &mut *unit, near, now, progress, report)?;
                if !unit.complete() {
                    validators = Validators::default();
                    documents.clear();
                }
                Ok(())
            });
        match folded {
            Ok(()) => {}
            Err(UnitFailure::Read(class, e)) => report.fail(class, e),
            Err(UnitFailure::Store(e)) => report.store_failed(&e),
        }
        if !writer.is_open() {
            // The backend rolled the whole transaction back (a full disk does).
            transaction_rolled_back(info, report);
            return;
        }
    }
    refold_replaced(&mut *writer, info, near, now, report);
    if !writer.is_open() {
        // The connection was lost while the changed articles were weighed.
        transaction_rolled_back(info, report);
        return;
    }
    let fetched = if report.not_modified {
        FetchState::read_unchanged
    } else {
        FetchState::succeeded
    };
    if let Some(location) = &info.fetched_from
        && report.errors.is_empty()
        && superseded.is_none()
        && let Err(e) = writer
            .put_fetch_state(&fetched(location, validators, now).read_at(gathered_at))
            .and_then(|()| writer.put_document_validators(&documents))
    {
        report.store_failed(&e);
        transaction_rolled_back(info, report);
        return;
    }
    if let Err(e) = writer.commit(&|| commit_moment(Utc::now(), now)) {
        report.store_failed(&e);
        transaction_rolled_back(info, report);
    }
}

/// Tells that nothing of the source was stored this cycle, its transaction
/// having been rolled back, and forgets what its report counted.
fn transaction_rolled_back(info: &SourceInfo, report: &mut SourceReport) {
    report.fail(
        STORE,
        format!(
            "the source's transaction was rolled back: nothing of source {} was stored this cycle",
            info.name
        ),
    );
    report.rolled_back();
}

/// When the store keeps a read of the source that a fetch begun after
/// `gathered_at` gave ([`SourceWriter::read_later_than`]), what keeps
/// every stored text as it is from the copies of this older batch; `None`
/// when the batch is the latest read (or the source fetches nothing).
fn read_later(
    writer: &mut dyn SourceWriter,
    info: &SourceInfo,
    gathered_at: DateTime<Utc>,
) -> Result<Option<source::KeptText>, StoreError> {
    if info.fetched_from.is_none() || !writer.read_later_than(gathered_at)? {
        return Ok(None);
    }
    tracing::debug!(
        source = %info.name,
        "another process folded a later fetch of it: this older read replaces no text"
    );
    Ok(Some(Arc::new(|_: &str| Ok(true))))
}

/// Weighs each stored article whose text the batch replaced, or that a
/// copy showed to open with a local intro, against the other stored
/// articles again ([`refold::refold_article`], when near-duplicate folding
/// is on), then each article the batch changed (its text replaced, or what
/// it lacked filled in: a link among them) and each survivor of those
/// merges against the stored article its canonical link leads to
/// ([`refold::merge_by_link`]), once each, in a unit of its own: a store
/// failure there discards the merges and is reported, and what the source
/// folded stays. A survivor of a merge is changed: the feeds of every
/// source that sighted either article carry it.
fn refold_replaced(
    writer: &mut dyn SourceWriter,
    info: &SourceInfo,
    near: Option<&NearConfig>,
    now: DateTime<Utc>,
    report: &mut SourceReport,
) {
    if report.changed.is_empty() && report.reweigh.is_empty() {
        return;
    }
    if let Err(e) = writer.begin_unit() {
        report.store_failed(&e);
        return;
    }
    let merged = merge_changed(writer, info, near, now, report);
    let ended = writer.end_unit(merged.is_ok());
    match merged.and_then(|merges| ended.map(|()| merges)) {
        Ok(merges) => {
            report.merged += merges.len();
            for merge in merges {
                // What the source's articles became is told by the
                // article that stays.
                for outcome in &mut report.outcomes {
                    outcome.merged(&merge);
                }
                report.changed.push(merge.survivor);
            }
        }
        Err(e) => report.store_failed(&e),
    }
}

/// The merges [`refold_replaced`] makes: of each article the batch left
/// to weigh again ([`SourceReport::reweigh`]), by its text (near-duplicate
/// folding on), each once, and of each survivor of a merge once more
/// after that; then of each article changed and each survivor, by
/// its link; the link's rules are those of an incoming copy's link, which
/// hold whether or not near-duplicate folding is on.
fn merge_changed(
    writer: &mut dyn SourceWriter,
    info: &SourceInfo,
    near: Option<&NearConfig>,
    now: DateTime<Utc>,
    report: &SourceReport,
) -> Result<Vec<dedup::refold::Merge>, StoreError> {
    let kept = info.kept_text.as_ref();
    let mut merges = Vec::new();
    if let Some(near) = near {
        let mut to_weigh: Vec<String> = distinct(&report.reweigh)
            .into_iter()
            .map(str::to_string)
            .collect();
        let mut next = 0;
        while let Some(id) = to_weigh.get(next) {
            next += 1;
            let Some(merge) = refold::refold_article(writer, &info.name, id, near, now, kept)?
            else {
                continue;
            };
            // The survivor is weighed once more: it may be a copy of
            // another stored article too (a second partial copy of the
            // story, or one it now contains with the text it took or the
            // intro the merge showed). Each merge takes an article out
            // of the store, so this ends.
            if !to_weigh[next..].contains(&merge.survivor) {
                to_weigh.push(merge.survivor.clone());
            }
            merges.push(merge);
        }
    }
    let survivors: Vec<String> = merges.iter().map(|m| m.survivor.clone()).collect();
    let config = near.copied().unwrap_or_default();
    let linked = distinct(report.changed.iter().chain(&survivors));
    for id in linked {
        merges.extend(refold::merge_by_link(
            writer, &info.name, id, &config, now, kept,
        )?);
    }
    Ok(merges)
}

/// `ids` in order, each once.
fn distinct<'a>(ids: impl IntoIterator<Item = &'a String>) -> Vec<&'a str> {
    let mut seen: Vec<&str> = Vec::new();
    for id in ids {
        if !seen.contains(&id.as_str()) {
            seen.push(id);
        }
    }
    seen
}

/// The moment a source's articles are marked as stored, committed at
/// `clock` in a cycle begun at `began`: when committed, not when the cycle
/// began, so a client that asked `since` while the source was still being
/// fetched or folded is given them on its next ask; and rounded up to the
/// next whole second (stores keep seconds), so a poll while the commit
/// itself is under way still finds them after it.
fn commit_moment(clock: DateTime<Utc>, began: DateTime<Utc>) -> DateTime<Utc> {
    crate::store::codec::whole_second_up(clock).max(began)
}

/// Why a unit of a source was not folded: reading it (of a failure class,
/// with the cause), or the store.
enum UnitFailure {
    Read(&'static str, String),
    Store(StoreError),
}

impl From<StoreError> for UnitFailure {
    fn from(error: StoreError) -> Self {
        UnitFailure::Store(error)
    }
}

/// Folds one unit inside its own savepoint: an error discards the whole
/// unit and leaves the rest of the source in place. What it read is
/// counted only when it is kept.
fn fold_unit(
    writer: &mut dyn SourceWriter,
    info: &SourceInfo,
    unit: &mut dyn Unit,
    near: Option<&NearConfig>,
    now: DateTime<Utc>,
    progress: &dyn Progress,
    report: &mut SourceReport,
) -> Result<(), UnitFailure> {
    let streamed = match unit.file() {
        Some((path, size)) => {
            progress.file_started(&info.name, path, size);
            true
        }
        None => false,
    };
    writer.begin_unit()?;
    let mut kept = SourceReport::default();
    let folded: Result<(), UnitFailure> = (|| {
        while let Some(article) = unit.next() {
            let mut article = article
                .map_err(|e| UnitFailure::Read(source::read_failure_class(&e), e.to_string()))?;
            if let Some(site_page) = unit.site_page() {
                template::drop_site_template(writer, site_page, &mut article)?;
            }
            let page = unit.site_page().map(|site_page| site_page.page.as_str());
            let folded = fold::fold_article_keeping(
                writer,
                &info.name,
                &article,
                near,
                now,
                info.kept_text.as_ref(),
                page,
            )?;
            kept.count(&folded);
            kept.articles += 1;
            if info.itemized {
                kept.outcomes.push(ArticleOutcome::of(&folded));
            }
            if streamed {
                progress.advanced(unit.bytes_read());
            }
        }
        for page in unit.remembered() {
            writer.remember_page(page)?;
        }
        Ok(())
    })();
    if streamed {
        progress.file_finished();
    }
    // The cause comes first: after a failure that made the backend roll the
    // whole transaction back, ending the savepoint fails too, and says less.
    let ended = writer.end_unit(folded.is_ok());
    folded?;
    ended?;
    report.files += 1;
    report.bytes += unit.bytes_read();
    report.articles += kept.articles + unit.left_known();
    report.repeats_folded += unit.repeats_folded();
    report.new += kept.new;
    report.known += kept.known + unit.left_known();
    report.updated += kept.updated;
    report.folded += kept.folded;
    report.restored += kept.restored;
    report.outcomes.append(&mut kept.outcomes);
    report.changed.append(&mut kept.changed);
    report.reweigh.append(&mut kept.reweigh);
    Ok(())
}

/// A feed as just published: the report, and the bytes rendered for its
/// files (rendered even when the files could not be written, so a server
/// still serves them; the report then says why).
#[derive(Debug, Clone)]
pub struct Published {
    pub report: FeedReport,
    pub rendered: Option<publish::Rendered>,
    /// Its files' times right after publishing, under the folder's lock.
    pub file_times: publish::FileTimes,
}

/// Renders every feed from the store and writes the files that changed.
pub fn publish_feeds(config: &Config, store: &mut dyn Store) -> Vec<FeedReport> {
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
/// newer state. A folder that cannot be locked or written fails each
/// feed's report, but the feeds are rendered all the same.
pub fn publish_selected(
    config: &Config,
    store: &mut dyn Store,
    feeds: &[FeedSpec],
) -> Vec<Published> {
    let lock = publish::lock_dir(&config.publish.dir).map_err(|e| e.to_string());
    feeds
        .iter()
        .map(|spec| {
            let mut published = publish_feed(config, store, spec, lock.as_ref().err());
            published.file_times = publish::file_times(&config.publish.dir, &spec.name);
            published
        })
        .collect()
}

/// Renders the feed `spec` and, unless the folder could not be locked
/// (`unlocked` says why), writes its files.
fn publish_feed(
    config: &Config,
    store: &mut dyn Store,
    spec: &FeedSpec,
    unlocked: Option<&String>,
) -> Published {
    let mut report = FeedReport {
        name: spec.name.clone(),
        entries: 0,
        updated: None,
        files: Vec::new(),
        error: None,
    };
    // A store file deleted or replaced under this process is no store to
    // publish from: the feed files keep what they hold.
    let rendered = store
        .check_in_place()
        .and_then(|()| store.feed_entries(spec.sources.as_deref(), None, spec.limit))
        .map_err(|e| e.to_string())
        .and_then(|articles| {
            report.entries = articles.len();
            report.updated = articles.iter().map(|a| a.updated).max();
            // A feed is dated by its newest entry; an empty one keeps the
            // date it was first written with.
            let updated = report.updated.unwrap_or_else(|| {
                publish::empty_feed_written(&config.publish.dir, &spec.name)
                    .unwrap_or_else(|| Utc::now().trunc_subsecs(0))
            });
            publish::render(spec, &config.publish, &articles, updated).map_err(|e| e.to_string())
        });
    let rendered = match rendered {
        Ok(rendered) => rendered,
        Err(error) => {
            report.error = Some(error);
            return Published {
                report,
                rendered: None,
                file_times: Default::default(),
            };
        }
    };
    match unlocked {
        Some(error) => report.error = Some(error.clone()),
        None => {
            let write = publish::write_feed(&config.publish.dir, &spec.name, &rendered);
            report.files = write.files;
            report.error = write.error.map(|e| e.to_string());
        }
    }
    Published {
        report,
        rendered: Some(rendered),
        file_times: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn articles_are_marked_stored_at_the_commit_rounded_up_to_a_whole_second() {
        let began = at("2026-12-01T08:00:00Z");
        assert_eq!(
            commit_moment(at("2026-12-01T08:00:30.250Z"), began),
            at("2026-12-01T08:00:31Z"),
            "a poll at 08:00:30.5, before the commit ends, still finds them"
        );
        assert_eq!(
            commit_moment(at("2026-12-01T08:00:30Z"), began),
            at("2026-12-01T08:00:30Z")
        );
        assert_eq!(
            commit_moment(at("2026-12-01T07:59:00Z"), began),
            began,
            "never before the cycle's own moment"
        );
    }
}

//! Ingest inside the server: each source runs the same pipeline cycle as
//! `feedfold run` on its own interval (so one source is never in two cycles
//! at once), the feeds it feeds are republished into the files and the
//! cache, the WebSub hub is pinged for every feed file that changed (of a
//! feed with entries; files another process rewrote too, once reloaded),
//! and the status the index page and `/healthz` show is kept, with the
//! cycles another process (a `feedfold run` from cron) keeps in the store
//! taken in as each source's latest, and a feed that process could not
//! publish as failing (and published from the store here).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, SubsecRound, Utc};
use tokio::sync::watch;

use super::{AppState, FeedCache};
use crate::config::{SourceConfig, StoreLocation};
use crate::ingest::Source;
use crate::ingest::source::from_config;
use crate::model::{FeedSpec, rfc3339};
use crate::pipeline::progress::Silent;
use crate::pipeline::{self, FeedReport, SourceReport, StoreFailure, lock};
use crate::publish;
use crate::store::{CYCLES_AHEAD_ALLOWED, FeedPublication, SourceCycle, StoreFailureKind};

/// How often the cache checks whether another process rewrote feed files,
/// and the status whether another process kept a later cycle or
/// publication.
const FILE_POLL: Duration = Duration::from_secs(2);

/// How long after a cycle the store broke the source's cycle is run again
/// at first (the store reachable).
const STORE_RETRY: Duration = Duration::from_secs(2);

/// What the server has done lately.
#[derive(Debug, Clone, Default)]
pub struct Status {
    /// The latest report of each source, with when its cycle ended.
    pub sources: BTreeMap<String, (DateTime<Utc>, SourceReport)>,
    /// The latest publishing report of each feed.
    pub feeds: BTreeMap<String, FeedReport>,
    /// Why the store cannot be reached, while it cannot.
    pub store_error: Option<String>,
    /// Why the last write to the store failed (a full disk), until a later
    /// write succeeds.
    pub write_error: Option<StoreFailure>,
    /// Sources whose latest cycle another process ran: the store keeps
    /// only its new articles and folded copies and whether it failed, so
    /// its other numbers are not known.
    pub elsewhere: BTreeSet<String>,
    /// Per source, when the newest cycle the store keeps that `sources`
    /// accounts for was kept: one kept later is another process's.
    cycles_seen: BTreeMap<String, DateTime<Utc>>,
    /// Feeds whose latest publication another process (a `feedfold run`
    /// beside this server) ran and could not finish: failing until a
    /// later publication of theirs, by either, succeeds.
    feeds_elsewhere: BTreeSet<String>,
    /// Per feed, when the newest publication the store keeps that `feeds`
    /// accounts for was kept.
    publications_seen: BTreeMap<String, DateTime<Utc>>,
}

impl Status {
    /// When the most recent cycle ended.
    pub fn last_cycle(&self) -> Option<DateTime<Utc>> {
        self.sources.values().map(|(at, _)| *at).max()
    }

    /// Sources that are failing: their latest cycle failed, or skipped
    /// them because they are backing off after failures. A cycle the store
    /// broke counts until the source's cycle is run again and succeeds,
    /// which [`source_loop`] does soon after the store can be reached.
    pub fn failed_sources(&self) -> Vec<&str> {
        self.sources
            .iter()
            .filter(|(_, (_, report))| report.is_failing())
            .map(|(name, _)| name.as_str())
            .collect()
    }

    /// Whether the latest cycle of `source` is one this server skipped,
    /// leaving the source to another process whose cycle the status does
    /// not hold (it is still ingesting, or has not kept its cycle yet):
    /// none of that cycle's numbers is known here.
    pub fn skipped_here(&self, source: &str) -> bool {
        !self.elsewhere.contains(source)
            && self
                .sources
                .get(source)
                .is_some_and(|(_, report)| left_to_another(report))
    }

    /// What is wrong with the store, as the public `/healthz` says it:
    /// `unreachable`, else that the last write failed and of what kind
    /// (`cannot write: full`); `None` when nothing is. The causes, which
    /// name the store's path or host, go to the log only.
    pub fn store_trouble(&self) -> Option<String> {
        if self.store_error.is_some() {
            return Some(StoreFailureKind::Unreachable.word().to_string());
        }
        self.write_error.as_ref().map(|failure| match failure.kind {
            StoreFailureKind::Busy | StoreFailureKind::Full => {
                format!("cannot write: {}", failure.kind.word())
            }
            StoreFailureKind::Unreachable => StoreFailureKind::Unreachable.word().to_string(),
            StoreFailureKind::Other => "cannot write".to_string(),
        })
    }

    /// Notes whether the fold `report` tells of wrote to the store: a
    /// store failure (other than an unreachable store or a lost
    /// connection, which `store_error` follows: the next operation
    /// connects again) is kept as the last write error, logged once; a
    /// source folded without one clears it.
    pub fn note_write(&mut self, report: &SourceReport) {
        let lost = report
            .store_failure
            .as_ref()
            .is_some_and(|failure| failure.kind == StoreFailureKind::Unreachable);
        if report.skipped.is_some() || report.unreachable || lost {
            return;
        }
        match &report.store_failure {
            Some(failure) if self.write_error.as_ref() != Some(failure) => {
                tracing::error!("the store cannot be written: {}", failure.message);
                self.write_error = Some(failure.clone());
            }
            Some(_) => {}
            None => {
                if self.write_error.take().is_some() {
                    tracing::info!("the store can be written again");
                }
            }
        }
    }

    /// Keeps `report` of this server's own cycle as the source's latest,
    /// the store having kept that cycle as `kept` (`None` when it kept
    /// none), and notes whether it wrote to the store.
    fn record_own(
        &mut self,
        finished: DateTime<Utc>,
        report: &SourceReport,
        kept: Option<&SourceCycle>,
    ) {
        self.note_write(report);
        if let Some(cycle) = kept {
            self.saw_cycle(cycle);
        }
        // A source left to another process shows that process's cycle
        // when the status holds it already, and why this server skipped it.
        let left = report.skipped.is_some() && !report.backing_off;
        match self.sources.get_mut(&report.name) {
            Some((_, theirs)) if left && self.elsewhere.contains(&report.name) => {
                theirs.skipped.clone_from(&report.skipped);
            }
            _ => {
                self.elsewhere.remove(&report.name);
                self.record(finished, report);
            }
        }
    }

    /// Takes in, for each source `reports` left to another process (it
    /// ingested the source or is ingesting it), the newest of `cycles`
    /// (those the store keeps) as the source's latest, however long before
    /// this server started it was kept: the source then shows what that
    /// process's cycle did, not an empty cycle of this server's. `now` is
    /// the time of day, as for [`Status::take_cycle`].
    fn take_cycles_left(
        &mut self,
        reports: &[SourceReport],
        cycles: Vec<SourceCycle>,
        now: DateTime<Utc>,
    ) {
        let left: BTreeSet<&str> = reports
            .iter()
            .filter(|report| left_to_another(report))
            .map(|report| report.name.as_str())
            .collect();
        let cycles = cycles
            .into_iter()
            .filter(|cycle| left.contains(cycle.source.as_str()))
            .collect();
        for cycle in latest_cycles(cycles, now) {
            self.take_cycle(&cycle, now);
        }
    }

    /// Takes in `cycle`, which the store keeps, as its source's latest
    /// when it is later than any this status accounts for (another
    /// process ran it: a `run` from cron beside this server). Whether it
    /// was taken. A cycle dated more than [`CYCLES_AHEAD_ALLOWED`] after
    /// `now` was kept under a clock that ran ahead: it is never taken, and
    /// once seen (this server's own, under its clock) it keeps no later
    /// real cycle out.
    pub fn take_cycle(&mut self, cycle: &SourceCycle, now: DateTime<Utc>) -> bool {
        let ahead = now + CYCLES_AHEAD_ALLOWED;
        if cycle.at > ahead
            || self
                .cycles_seen
                .get(&cycle.source)
                .is_some_and(|seen| cycle.at <= *seen && *seen <= ahead)
        {
            return false;
        }
        // What was seen under a clock that ran ahead orders nothing now.
        if self
            .cycles_seen
            .get(&cycle.source)
            .is_some_and(|seen| *seen > ahead)
        {
            self.cycles_seen.remove(&cycle.source);
        }
        self.saw_cycle(cycle);
        let mut report = SourceReport {
            name: cycle.source.clone(),
            new: usize::try_from(cycle.new).unwrap_or(usize::MAX),
            folded: usize::try_from(cycle.folded).unwrap_or(usize::MAX),
            ..SourceReport::default()
        };
        if cycle.failed {
            report.errors.push(format!(
                "failed in a cycle another process ran (kept at {}); its output says why",
                rfc3339(cycle.at)
            ));
        } else {
            // It wrote to the store, as the cycle it kept shows.
            self.note_write(&report);
        }
        self.elsewhere.insert(cycle.source.clone());
        self.record(cycle.at.trunc_subsecs(0), &report);
        true
    }

    /// Takes in `publication`, which another process ran and the store
    /// keeps, when it is later than any this status accounts for: a failed
    /// one fails its feed (logged only when the feed was not failing
    /// already: once until a publication succeeds, as this server's own
    /// failures are, the cause it has kept standing), a good one clears
    /// such a failure (a failure of this server's own publication is its
    /// own to clear). Whether a failed one was taken: the feed is then to
    /// be published again from the store, which holds what that process
    /// could not write.
    pub fn take_publication(&mut self, publication: &FeedPublication) -> bool {
        let seen = self
            .publications_seen
            .entry(publication.feed.clone())
            .or_insert(DateTime::<Utc>::MIN_UTC);
        if publication.at <= *seen {
            return false;
        }
        *seen = publication.at;
        let name = &publication.feed;
        if publication.failed {
            let failing = self.feeds.get(name).is_some_and(|r| r.error.is_some());
            if !failing {
                let error = format!(
                    "could not be published by another process (kept at {}); its output says why",
                    rfc3339(publication.at)
                );
                tracing::warn!(feed = %name, "feed {error}");
                self.feeds
                    .entry(name.clone())
                    .or_insert_with(|| FeedReport::failed(name, String::new()))
                    .error = Some(error);
            }
            self.feeds_elsewhere.insert(name.clone());
        } else if self.feeds_elsewhere.remove(name) {
            tracing::info!(feed = %name, "the feed is published again by another process");
            if let Some(report) = self.feeds.get_mut(name) {
                report.error = None;
            }
        }
        publication.failed
    }

    /// Keeps `report` of this server's own publication as the feed's latest.
    fn record_published(&mut self, report: &FeedReport) {
        self.feeds_elsewhere.remove(&report.name);
        self.feeds.insert(report.name.clone(), report.clone());
    }

    /// Notes that `cycles` are this server's own, before the store keeps
    /// them: read back from the store, none is taken for another process's.
    fn ran_cycles(&mut self, cycles: &[SourceCycle]) {
        for cycle in cycles {
            self.saw_cycle(cycle);
        }
    }

    /// Notes that the status accounts for `cycle`.
    fn saw_cycle(&mut self, cycle: &SourceCycle) {
        let seen = self.cycles_seen.entry(cycle.source.clone()).or_default();
        *seen = (*seen).max(cycle.at);
    }

    /// Keeps `report` as the source's latest, and tells the operator when
    /// the source fails (each error, at warn level) or recovers. A source
    /// skipped while backing off keeps the kind of failure it last had; one
    /// left to another process has none.
    fn record(&mut self, finished: DateTime<Utc>, report: &SourceReport) {
        let previous = self.sources.get(&report.name).map(|(_, r)| r);
        let mut report = report.clone();
        for error in &report.errors {
            tracing::warn!(source = %report.name, "source failed: {error}");
        }
        if let Some(reason) = &report.skipped {
            tracing::debug!(source = %report.name, "source skipped: {reason}");
            if report.backing_off && report.failure.is_none() {
                report.failure = previous.and_then(|p| p.failure.clone());
            }
        } else if report.errors.is_empty() && previous.is_some_and(SourceReport::is_failing) {
            tracing::info!(source = %report.name, "source recovered");
        }
        self.sources.insert(report.name.clone(), (finished, report));
    }
}

/// Whether `report` tells of a source left to another process: skipped
/// because it ingested the source lately or is ingesting it.
pub(super) fn left_to_another(report: &SourceReport) -> bool {
    report.skipped.is_some() && !report.backing_off && !report.unreachable
}

/// The cycles the store keeps, when a source of `reports` was left to
/// another process (none otherwise, or when they cannot be read: the
/// source then shows this server's cycle, which skipped it).
async fn cycles_if_left(state: &Arc<AppState>, reports: &[SourceReport]) -> Vec<SourceCycle> {
    if !reports.iter().any(left_to_another) {
        return Vec::new();
    }
    stored_cycles(state).await.unwrap_or_default()
}

/// The cycles the store keeps, read off the async threads; `None` (and a
/// debug line) when they cannot be read: an unreachable store is the change
/// feed's to report.
async fn stored_cycles(state: &Arc<AppState>) -> Option<Vec<SourceCycle>> {
    let worker = state.clone();
    let read = tokio::task::spawn_blocking(move || lock(&worker.reader).cycles())
        .await
        .map_err(|e| e.to_string())
        .and_then(|cycles| cycles.map_err(|e| e.to_string()));
    read.inspect_err(|e| tracing::debug!("cannot read the cycles the store keeps: {e}"))
        .ok()
}

/// Runs one cycle of `sources` and republishes the feeds they feed. A
/// source that another server on the same store ingested within the last
/// half of its interval is left to it, and shows that process's latest
/// cycle.
pub async fn cycle(state: &Arc<AppState>, sources: &[SourceConfig]) -> Vec<SourceReport> {
    let began = Utc::now();
    let folder = state.config.folder();
    let ingested: Vec<Box<dyn Source>> = sources.iter().map(|s| from_config(s, folder)).collect();
    let shortest = sources
        .iter()
        .map(|s| state.config.interval(s))
        .min()
        .unwrap_or_default();
    let fresh_since = began - chrono::Duration::from_std(shortest / 2).unwrap_or_default();
    let reports = pipeline::ingest(
        &state.config,
        ingested,
        &state.store,
        &state.fetching,
        began,
        pipeline::Claims::FreshSince(fresh_since),
        Arc::new(Silent),
    )
    .await;
    // Sources let go as the server stops did nothing to report.
    let reports: Vec<SourceReport> = reports.into_iter().filter(|r| !r.stopping).collect();
    // Noted as this server's own before the store keeps them, so that the
    // follower of other processes' cycles never takes them for one of theirs.
    let cycles = pipeline::cycles_of(&reports);
    state.status_mut().ran_cycles(&cycles);
    let kept = pipeline::keep_cycles(&state.store, cycles).await;
    // A database found down says so at once; the change feed's watcher
    // says when it is back (SQLite has none, and no such outage).
    if let (StoreLocation::Postgres(_), Some(down)) = (
        &state.config.store,
        reports
            .iter()
            .find_map(|r| r.errors.first().filter(|_| r.unreachable)),
    ) {
        state.store_reachable(Some(down.clone()));
    }
    republish_after(state, &reports).await;
    let theirs = cycles_if_left(state, &reports).await;
    let finished = Utc::now().trunc_subsecs(0);
    let mut status = state.status_mut();
    status.take_cycles_left(&reports, theirs, Utc::now());
    for report in &reports {
        let own = kept.iter().find(|cycle| cycle.source == report.name);
        status.record_own(finished, report, own);
    }
    reports
}

/// Takes in, until `shutdown` turns true, the cycles and publications
/// another process (a `feedfold run` from cron on the same store) keeps in
/// the store after this server started, as their sources' and feeds'
/// latest: the index page and `/healthz` then show what the newest cycle
/// of each source did, whoever ran it, and a feed that process could not
/// publish is failing, and published at once from the store, so the
/// server serves the articles that process stored. What is kept after
/// the start is what the store did not keep then, whatever its date: a
/// server started under a clock that ran ahead still follows the runs
/// kept once the clock is set right.
pub async fn follow_cycles(state: Arc<AppState>, mut shutdown: watch::Receiver<bool>) {
    let before = KeptBefore::read(&state).await;
    while polled(&mut shutdown).await {
        if let Some(cycles) = stored_cycles(&state).await {
            let mut status = state.status_mut();
            let now = Utc::now();
            let cycles = cycles.into_iter().filter(|c| before.not_cycle(c)).collect();
            for cycle in latest_cycles(cycles, now) {
                if state.config.sources.iter().any(|s| s.name == cycle.source) {
                    status.take_cycle(&cycle, now);
                }
            }
        }
        let Some(publications) = stored_publications(&state).await else {
            continue;
        };
        let mut failed = Vec::new();
        {
            let mut status = state.status_mut();
            for publication in publications.iter().filter(|p| before.not_publication(p)) {
                let spec = state
                    .config
                    .feeds
                    .iter()
                    .find(|s| s.name == publication.feed);
                if let Some(spec) = spec.filter(|_| status.take_publication(publication)) {
                    failed.push(spec.clone());
                }
            }
        }
        if !failed.is_empty() {
            publish_specs(&state, failed).await;
        }
    }
}

/// The cycles and publications the store keeps as a server starts, which
/// another process kept before it: moments, told apart by source or feed.
/// When the store cannot be read then, those kept before the server's
/// clock said it started.
struct KeptBefore {
    started: DateTime<Utc>,
    cycles: Option<Moments>,
    publications: Option<Moments>,
}

/// Moments kept, by the source or feed they are of: looked up by name
/// without a copy of it.
type Moments = HashMap<String, HashSet<DateTime<Utc>>>;

/// The moments of `kept` by name.
fn moments(kept: impl IntoIterator<Item = (String, DateTime<Utc>)>) -> Moments {
    let mut moments = Moments::new();
    for (name, at) in kept {
        moments.entry(name).or_default().insert(at);
    }
    moments
}

/// Whether `kept` holds the moment `at` of `name`.
fn holds(kept: &Moments, name: &str, at: DateTime<Utc>) -> bool {
    kept.get(name).is_some_and(|moments| moments.contains(&at))
}

impl KeptBefore {
    async fn read(state: &Arc<AppState>) -> KeptBefore {
        let started = Utc::now();
        let cycles = stored_cycles(state)
            .await
            .map(|cycles| moments(cycles.into_iter().map(|c| (c.source, c.at))));
        let publications = stored_publications(state)
            .await
            .map(|kept| moments(kept.into_iter().map(|p| (p.feed, p.at))));
        KeptBefore {
            started,
            cycles,
            publications,
        }
    }

    fn not_cycle(&self, cycle: &SourceCycle) -> bool {
        match &self.cycles {
            Some(kept) => !holds(kept, &cycle.source, cycle.at),
            None => cycle.at > self.started,
        }
    }

    fn not_publication(&self, publication: &FeedPublication) -> bool {
        match &self.publications {
            Some(kept) => !holds(kept, &publication.feed, publication.at),
            None => publication.at > self.started,
        }
    }
}

/// The feeds' latest publications the store keeps, read off the async
/// threads; `None` (and a debug line) when they cannot be read.
async fn stored_publications(state: &Arc<AppState>) -> Option<Vec<FeedPublication>> {
    let worker = state.clone();
    let read = tokio::task::spawn_blocking(move || lock(&worker.reader).publications())
        .await
        .map_err(|e| e.to_string())
        .and_then(|publications| publications.map_err(|e| e.to_string()));
    read.inspect_err(|e| tracing::debug!("cannot read the publications the store keeps: {e}"))
        .ok()
}

/// The newest of `cycles` of each source, of those not kept under a clock
/// that ran ahead (more than [`CYCLES_AHEAD_ALLOWED`] after `now`).
fn latest_cycles(cycles: Vec<SourceCycle>, now: DateTime<Utc>) -> Vec<SourceCycle> {
    let ahead = now + CYCLES_AHEAD_ALLOWED;
    let mut latest: BTreeMap<String, SourceCycle> = BTreeMap::new();
    for cycle in cycles.into_iter().filter(|c| c.at <= ahead) {
        match latest.get(&cycle.source) {
            Some(kept) if kept.at >= cycle.at => {}
            _ => {
                latest.insert(cycle.source.clone(), cycle);
            }
        }
    }
    latest.into_values().collect()
}

/// Republishes the feeds that carry any of `sources` (every feed when
/// `sources` is empty) into files and cache, and pings the hub for the
/// files that changed, in the background ([`super::pings`]): a slow hub
/// holds up no push answer and no cycle.
pub async fn republish(state: &Arc<AppState>, sources: &[&str]) -> Vec<FeedReport> {
    let specs = if sources.is_empty() {
        state.config.feeds.clone()
    } else {
        pipeline::feeds_with_sources(&state.config, sources)
    };
    publish_specs(state, specs).await
}

/// Republishes after a fold whose sources `reports` tell of: the feeds
/// that carry those sources, and those that carry an article they changed
/// (replaced the text of, or filled in the link, authors or media it
/// lacked: the feeds of every source that sighted it), as [`republish`]
/// does.
pub async fn republish_after(state: &Arc<AppState>, reports: &[SourceReport]) -> Vec<FeedReport> {
    let mut sources: Vec<String> = reports.iter().map(|r| r.name.clone()).collect();
    let changed: Vec<String> = reports
        .iter()
        .flat_map(|r| r.changed.iter().cloned())
        .collect();
    if !changed.is_empty() {
        let worker = state.clone();
        let sighted = tokio::task::spawn_blocking(move || {
            let mut store = lock(&worker.reader);
            let mut sighted = Vec::new();
            for id in &changed {
                sighted.extend(store.sightings(id)?.into_iter().map(|s| s.source));
            }
            Ok::<_, crate::store::StoreError>(sighted)
        })
        .await;
        match sighted {
            Ok(Ok(sighted)) => sources.extend(sighted),
            Ok(Err(e)) => tracing::warn!(
                "cannot tell which sources carry the articles just updated; only the feeds of the sources folded are republished: {e}"
            ),
            Err(e) => {
                tracing::warn!("cannot tell which sources carry the articles just updated: {e}")
            }
        }
    }
    sources.sort_unstable();
    sources.dedup();
    let names: Vec<&str> = sources.iter().map(String::as_str).collect();
    if names.is_empty() {
        return Vec::new();
    }
    republish(state, &names).await
}

/// Publishes the feeds `specs` into files and cache, and queues the pings
/// for the files that changed, and for those whose served bytes did.
async fn publish_specs(state: &Arc<AppState>, specs: Vec<FeedSpec>) -> Vec<FeedReport> {
    let worker = state.clone();
    let published = tokio::task::spawn_blocking(move || {
        let mut store = lock(&worker.store);
        let _publishing = worker.cache.publishing();
        let published = pipeline::publish_selected(&worker.config, &mut **store, &specs);
        // The URLs of the files whose bytes the server now serves changed,
        // of feeds with entries, though another process may have written
        // the files already (a `run` beside a server on PostgreSQL).
        let mut served = Vec::new();
        for (spec, feed) in specs.iter().zip(&published) {
            if let Some(rendered) = &feed.rendered {
                let keep = if feed.report.error.is_none() {
                    FeedCache::put
                } else {
                    FeedCache::put_unwritten
                };
                let replaced = keep(
                    &worker.cache,
                    spec,
                    &feed.file_times,
                    rendered,
                    feed.report.entries,
                    feed.report.updated,
                );
                if feed.report.entries > 0 {
                    served.extend(replaced.into_iter().map(|format| {
                        publish::feed_url(&worker.config.publish.base_url, &spec.name, format)
                    }));
                }
            }
        }
        (published, served)
    })
    .await;
    let (reports, served): (Vec<FeedReport>, _) = match published {
        Ok((published, served)) => (published.into_iter().map(|p| p.report).collect(), served),
        Err(e) => {
            tracing::error!("publishing failed: {e}");
            return Vec::new();
        }
    };
    {
        let mut status = state.status_mut();
        for report in &reports {
            let before = status.feeds.get(&report.name).and_then(|r| r.error.clone());
            match (&report.error, before) {
                (Some(error), before) if before.as_ref() != Some(error) => {
                    tracing::error!(feed = %report.name, "cannot publish the feed (readers get the newest version the server holds): {error}");
                }
                (None, Some(_)) => {
                    tracing::info!(feed = %report.name, "the feed is published again");
                }
                _ => {}
            }
            status.record_published(report);
        }
    }
    if state.config.publish.websub_hub.is_some() {
        let mut topics = pipeline::websub::topics(&state.config.publish, &reports);
        topics.extend(served);
        state.pings.add(topics);
    }
    reports
}

/// Ingests `source` every interval until `shutdown` turns true; a cycle in
/// flight always finishes. A cycle the store broke (it could not be
/// reached, or not written) is run again sooner: once the store can be
/// reached, 2 s after it, the pause doubling while such cycles keep
/// failing, never later than the interval.
pub async fn source_loop(
    state: Arc<AppState>,
    source: SourceConfig,
    mut shutdown: watch::Receiver<bool>,
) {
    let interval = state.config.interval(&source);
    let mut retry: Option<Duration> = None;
    loop {
        if *shutdown.borrow() {
            break;
        }
        let reports = cycle(&state, std::slice::from_ref(&source)).await;
        retry = reports
            .iter()
            .any(SourceReport::failed_for_the_store)
            .then(|| retry.map_or(STORE_RETRY, |last| last * 2).min(interval));
        let next = tokio::time::Instant::now() + interval;
        if let Some(retry) = retry {
            let mut at = tokio::time::Instant::now() + retry;
            // Past the pause, while the store cannot be reached, a cycle
            // would fail the same way: wait until it can.
            while at < next {
                tokio::select! {
                    _ = tokio::time::sleep_until(at) => {}
                    _ = shutdown.changed() => {}
                }
                if *shutdown.borrow() || state.store_can_be_reached() {
                    break;
                }
                at += FILE_POLL;
            }
            if at < next {
                continue;
            }
        }
        tokio::select! {
            _ = tokio::time::sleep_until(next) => {}
            _ = shutdown.changed() => {}
        }
    }
}

/// Once `shutdown` turns true, lets go of the sources waiting for their
/// turn to be fetched ([`Fetching::stop`](crate::pipeline::fetching::Fetching::stop)):
/// the cycles in flight then finish without fetching any more.
pub async fn stop_fetching(state: Arc<AppState>, mut shutdown: watch::Receiver<bool>) {
    loop {
        if *shutdown.borrow_and_update() {
            state.fetching.stop();
            return;
        }
        if shutdown.changed().await.is_err() {
            return;
        }
    }
}

/// Waits [`FILE_POLL`], or less when `shutdown` turns true; whether to
/// poll again (it did not).
pub(super) async fn polled(shutdown: &mut watch::Receiver<bool>) -> bool {
    tokio::select! {
        _ = tokio::time::sleep(FILE_POLL) => {}
        _ = shutdown.changed() => {}
    }
    !*shutdown.borrow()
}

/// Reloads the cache whenever another process rewrites the feed files,
/// and announces the files reloaded to the WebSub hub: the other process
/// (a `feedfold run` from cron) may have pinged it before this server
/// served the new bytes, so the hub fetched the old ones.
pub async fn watch_files(state: Arc<AppState>, mut shutdown: watch::Receiver<bool>) {
    while polled(&mut shutdown).await {
        let worker = state.clone();
        let reloaded = tokio::task::spawn_blocking(move || {
            worker
                .cache
                .reload_changed_files(&worker.config.feeds, &worker.config.publish.dir)
        })
        .await
        .unwrap_or_default();
        for feed in &reloaded {
            tracing::info!(feed = %feed.name, "feed files changed on disk; cache reloaded");
        }
        if state.config.publish.websub_hub.is_some() {
            let base_url = &state.config.publish.base_url;
            state.pings.add(
                reloaded
                    .iter()
                    .filter(|feed| feed.entries > 0)
                    .flat_map(|feed| {
                        feed.formats
                            .iter()
                            .map(|&format| publish::feed_url(base_url, &feed.name, format))
                    })
                    .collect(),
            );
        }
        // Feeds whose files could not be written are tried again, so the
        // files catch up once the folder can be written.
        let failed: Vec<FeedSpec> = {
            let status = state.status();
            state
                .config
                .feeds
                .iter()
                .filter(|spec| {
                    status
                        .feeds
                        .get(&spec.name)
                        .is_some_and(|r| r.error.is_some())
                })
                .cloned()
                .collect()
        };
        if !failed.is_empty() {
            publish_specs(&state, failed).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_reports_the_latest_cycle_and_failures() {
        let mut status = Status::default();
        assert_eq!(status.last_cycle(), None);
        let at = |h| {
            DateTime::parse_from_rfc3339(&format!("2026-11-28T{h:02}:00:00Z"))
                .unwrap()
                .with_timezone(&Utc)
        };
        status.sources.insert(
            "a".into(),
            (
                at(9),
                SourceReport {
                    name: "a".into(),
                    ..Default::default()
                },
            ),
        );
        status.sources.insert(
            "b".into(),
            (
                at(10),
                SourceReport {
                    name: "b".into(),
                    errors: vec!["HTTP 500".into()],
                    ..Default::default()
                },
            ),
        );
        assert_eq!(status.last_cycle(), Some(at(10)));
        assert_eq!(status.failed_sources(), ["b"]);
        // A cycle the database's outage failed counts while the outage lasts.
        let outage = SourceReport {
            name: "c".into(),
            errors: vec!["cannot connect to db.example:5432".into()],
            failure: Some("store error".into()),
            unreachable: true,
            ..Default::default()
        };
        status.sources.insert("c".into(), (at(11), outage));
        // A fetch that failed before the store did still counts after.
        let both = SourceReport {
            name: "d".into(),
            errors: vec![
                "HTTP 500".into(),
                "cannot connect to db.example:5432".into(),
            ],
            failure: Some("HTTP 500".into()),
            unreachable: true,
            ..Default::default()
        };
        status.sources.insert("d".into(), (at(11), both));
        status.store_error = Some("cannot connect to db.example:5432".into());
        assert_eq!(status.failed_sources(), ["b", "c", "d"]);
        // And once the store is back, until the source's cycle is run
        // again and succeeds: its articles are not stored yet.
        status.store_error = None;
        assert_eq!(status.failed_sources(), ["b", "c", "d"]);
        assert!(status.sources["c"].1.failed_for_the_store());
        assert!(!status.sources["b"].1.failed_for_the_store());
    }

    #[test]
    fn a_source_left_to_another_server_is_not_failing() {
        let mut status = Status::default();
        let at = Utc::now();
        let left = |reason: &str| SourceReport {
            name: "desk".into(),
            skipped: Some(reason.into()),
            ..Default::default()
        };
        status.record(
            at,
            &left("another process ingested it at 2026-12-03T10:00:00Z"),
        );
        assert!(status.failed_sources().is_empty());
        let (_, kept) = &status.sources["desk"];
        assert_eq!(kept.public_failure(), None);
        // Nor after a failure of its own, once another server ingested it.
        let mut failed = SourceReport {
            name: "desk".into(),
            ..Default::default()
        };
        failed.errors.push("http://up.example/: HTTP 500".into());
        failed.failure = Some("HTTP 500".into());
        status.record(at, &failed);
        assert_eq!(status.failed_sources(), ["desk"]);
        status.record(at, &left("another process is ingesting it"));
        assert!(status.failed_sources().is_empty());
        assert_eq!(status.sources["desk"].1.public_failure(), None);
    }

    #[test]
    fn a_source_backing_off_is_failing_and_keeps_its_kind_of_failure() {
        let mut status = Status::default();
        let at = Utc::now();
        let mut failed = SourceReport {
            name: "up".into(),
            ..Default::default()
        };
        failed.errors.push("http://up.example/: HTTP 404".into());
        failed.failure = Some("HTTP 404".into());
        status.record(at, &failed);
        let skipped = SourceReport {
            name: "up".into(),
            skipped: Some("backing off until …".into()),
            backing_off: true,
            ..Default::default()
        };
        status.record(at, &skipped);
        assert_eq!(status.failed_sources(), ["up"]);
        let (_, kept) = &status.sources["up"];
        assert_eq!(kept.public_failure().as_deref(), Some("HTTP 404"));
        status.record(
            at,
            &SourceReport {
                name: "up".into(),
                ..Default::default()
            },
        );
        assert!(status.failed_sources().is_empty());
    }

    fn kept(source: &str, at: DateTime<Utc>, new: u32, failed: bool) -> SourceCycle {
        SourceCycle {
            source: source.into(),
            at,
            new,
            folded: 0,
            failed,
        }
    }

    #[test]
    fn a_later_cycle_another_process_kept_is_the_sources_latest() {
        let at = |m: i64| {
            DateTime::parse_from_rfc3339("2026-12-04T09:00:00.250Z")
                .unwrap()
                .with_timezone(&Utc)
                + chrono::Duration::minutes(m)
        };
        let mut status = Status::default();
        // This server's own cycle: 3 new, kept in the store.
        let own = SourceReport {
            name: "desk".into(),
            new: 3,
            known: 1,
            ..Default::default()
        };
        let own_cycle = kept("desk", at(0), 3, false);
        status.record_own(at(0), &own, Some(&own_cycle));
        assert!(
            !status.take_cycle(&own_cycle, at(15)),
            "its own cycle, seen"
        );
        assert_eq!(status.sources["desk"].1.known, 1);
        // A cron run's cycle fails the source.
        assert!(status.take_cycle(&kept("desk", at(5), 0, true), at(15)));
        assert_eq!(status.failed_sources(), ["desk"]);
        assert!(status.elsewhere.contains("desk"));
        assert_eq!(
            status.last_cycle(),
            Some(at(5).trunc_subsecs(0)),
            "the cron run's cycle is the last"
        );
        assert_eq!(
            status.sources["desk"].1.public_failure().as_deref(),
            Some("failed")
        );
        // Taken once; an older one is not taken.
        assert!(!status.take_cycle(&kept("desk", at(5), 0, true), at(15)));
        assert!(!status.take_cycle(&kept("desk", at(2), 0, false), at(15)));
        assert_eq!(status.failed_sources(), ["desk"]);
        // A good cron cycle later: the source recovers, with its numbers.
        assert!(status.take_cycle(&kept("desk", at(10), 2, false), at(15)));
        assert!(status.failed_sources().is_empty());
        assert_eq!(status.sources["desk"].1.new, 2);
        // This server's next cycle is its own again.
        status.record_own(at(15), &own, Some(&kept("desk", at(15), 3, false)));
        assert!(!status.elsewhere.contains("desk"));
        assert!(!status.take_cycle(&kept("desk", at(12), 0, true), at(15)));
    }

    #[test]
    fn a_cycle_this_server_ran_read_back_from_the_store_is_not_another_processs() {
        let now = Utc::now();
        let mut status = Status::default();
        let own = kept("desk", now, 0, true);
        // Noted before the store keeps it; the report comes later.
        status.ran_cycles(std::slice::from_ref(&own));
        let read_back = SourceCycle {
            at: DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap(),
            ..own.clone()
        };
        assert!(!status.take_cycle(&read_back, now));
        assert!(!status.elsewhere.contains("desk"));
        assert!(
            status.sources.is_empty(),
            "nothing blamed on another process"
        );
        // A later cycle another process kept is still taken.
        let theirs = kept("desk", now + chrono::Duration::seconds(1), 0, true);
        assert!(status.take_cycle(&theirs, now));
    }

    #[test]
    fn a_source_left_to_another_process_keeps_that_processs_failed_cycle() {
        let at = Utc::now();
        let mut status = Status::default();
        status.take_cycle(&kept("desk", at, 0, true), at);
        status.record_own(
            at,
            &SourceReport {
                name: "desk".into(),
                skipped: Some(format!("another process ingested it at {}", rfc3339(at))),
                ..Default::default()
            },
            None,
        );
        assert_eq!(status.failed_sources(), ["desk"]);
    }

    #[test]
    fn a_source_left_to_a_run_before_the_server_started_shows_the_runs_cycle() {
        let at = |s: i64| DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap();
        let mut status = Status::default();
        let left = SourceReport {
            name: "desk".into(),
            skipped: Some(format!("another process ingested it at {}", rfc3339(at(0)))),
            ..Default::default()
        };
        let cycles = vec![
            kept("desk", at(-900), 1, false),
            kept("desk", at(0), 4, false),
            kept("wire", at(0), 7, false),
        ];
        status.take_cycles_left(std::slice::from_ref(&left), cycles, at(60));
        status.record_own(at(60), &left, None);
        let (when, report) = &status.sources["desk"];
        assert_eq!(*when, at(0), "the run's cycle is the last");
        assert_eq!(report.new, 4);
        assert_eq!(
            report.skipped, left.skipped,
            "and why this server skipped it"
        );
        assert!(status.elsewhere.contains("desk"));
        assert!(!status.sources.contains_key("wire"), "not left: not taken");
        // A source backing off is not left to anyone: nothing is taken.
        let mut status = Status::default();
        let backing_off = SourceReport {
            backing_off: true,
            skipped: Some("backing off until …".into()),
            ..left
        };
        status.take_cycles_left(&[backing_off], vec![kept("desk", at(0), 4, false)], at(60));
        assert!(status.sources.is_empty());
    }

    #[test]
    fn a_failed_cycle_of_another_process_does_not_clear_a_write_error() {
        let mut status = Status {
            write_error: Some(StoreFailure {
                kind: StoreFailureKind::Full,
                message: "feedfold.db: database or disk is full".into(),
            }),
            ..Status::default()
        };
        let at = Utc::now();
        status.take_cycle(&kept("desk", at, 0, true), at);
        assert!(status.store_trouble().is_some());
        status.take_cycle(
            &kept("desk", at + chrono::Duration::seconds(1), 1, false),
            at,
        );
        assert_eq!(status.store_trouble(), None);
    }

    #[test]
    fn a_feed_another_process_could_not_publish_fails_until_a_later_publication_succeeds() {
        let at = |s: i64| DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap();
        let published = |s: i64, failed: bool| FeedPublication {
            feed: "news".into(),
            at: at(s),
            failed,
        };
        let good = |name: &str| FeedReport {
            error: None,
            ..FeedReport::failed(name, String::new())
        };
        let failing = |status: &Status| status.feeds["news"].error.is_some();
        let mut status = Status::default();
        status.record_published(&good("news"));
        // A run's failure: failing, and to be published here.
        assert!(status.take_publication(&published(1, true)));
        assert!(failing(&status));
        assert!(!status.take_publication(&published(1, true)), "taken once");
        // This server publishes it: its own report is the latest.
        status.record_published(&good("news"));
        assert!(!failing(&status));
        // Another failure, then a later good run: cleared.
        assert!(status.take_publication(&published(2, true)));
        assert!(!status.take_publication(&published(3, false)));
        assert!(!failing(&status));
        // An older one taken after a later one is not taken.
        assert!(!status.take_publication(&published(2, true)));
        assert!(!failing(&status));
        // A good run does not clear a failure of this server's own files.
        let mut own = good("news");
        own.error = Some("feeds/news.rss: cannot write the feed file".into());
        status.record_published(&own);
        assert!(!status.take_publication(&published(4, false)));
        assert!(failing(&status));
        // A feed this server has not published yet fails too.
        let mut status = Status::default();
        assert!(status.take_publication(&published(1, true)));
        assert!(failing(&status));
    }

    #[test]
    fn a_feed_failing_already_keeps_its_cause_when_another_process_fails_it_too() {
        let at = |s: i64| DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap();
        let failed = |s: i64| FeedPublication {
            feed: "news".into(),
            at: at(s),
            failed: true,
        };
        let cause = "feeds: cannot use the feeds folder: File exists (os error 17)";
        let error = |status: &Status| status.feeds["news"].error.clone();
        let mut status = Status::default();
        status.record_published(&FeedReport::failed("news", cause.into()));
        // Each run beside the server fails it again: it is published again
        // here, and the cause this server logged stands, so that its
        // publication failing the same way is not logged again.
        for s in 1..4 {
            assert!(status.take_publication(&failed(s)));
            assert_eq!(error(&status).as_deref(), Some(cause));
            status.record_published(&FeedReport::failed("news", cause.into()));
        }
        // The run's failure first: the feed fails with the run's word, once.
        let mut status = Status::default();
        assert!(status.take_publication(&failed(1)));
        let theirs = error(&status).unwrap();
        assert!(theirs.contains("another process"), "{theirs}");
        assert!(status.take_publication(&failed(2)));
        assert_eq!(error(&status), Some(theirs), "kept from the first");
    }

    #[test]
    fn what_the_store_kept_before_the_start_is_told_by_moment_not_by_the_clock() {
        let at = |s: i64| DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap();
        let two_days = 2 * 24 * 3600;
        // Started under a clock two days ahead; the store then kept a
        // cycle and a publication of the server's own clock.
        let before = KeptBefore {
            started: at(two_days),
            cycles: Some(moments([("wire".to_string(), at(two_days - 5))])),
            publications: Some(moments([("news".to_string(), at(two_days - 5))])),
        };
        // A cron run after the clock was set right keeps earlier moments.
        assert!(before.not_cycle(&kept("wire", at(60), 0, true)));
        assert!(!before.not_cycle(&kept("wire", at(two_days - 5), 0, true)));
        let publication = |feed: &str, when| FeedPublication {
            feed: feed.into(),
            at: when,
            failed: true,
        };
        assert!(before.not_publication(&publication("news", at(60))));
        assert!(!before.not_publication(&publication("news", at(two_days - 5))));
        // A store that could not be read at the start: the clock decides.
        let unread = KeptBefore {
            started: at(100),
            cycles: None,
            publications: None,
        };
        assert!(!unread.not_cycle(&kept("wire", at(60), 0, true)));
        assert!(unread.not_cycle(&kept("wire", at(160), 0, true)));
        assert!(unread.not_publication(&publication("news", at(160))));
    }

    #[test]
    fn the_latest_cycle_of_each_source() {
        let at = |s: i64| DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap();
        let cycles = vec![
            kept("a", at(1), 1, false),
            kept("a", at(3), 2, false),
            kept("b", at(0), 3, true),
            kept("c", at(5), 4, false),
            kept("c", at(4), 5, false),
            kept("d", at(2 * 24 * 3600), 6, false),
        ];
        let latest = latest_cycles(cycles, at(60));
        let got: Vec<(&str, u32)> = latest.iter().map(|c| (c.source.as_str(), c.new)).collect();
        assert_eq!(got, [("a", 2), ("b", 3), ("c", 4)], "d ran ahead");
    }

    #[test]
    fn a_cycle_kept_under_a_clock_that_ran_ahead_keeps_no_later_real_cycle_out() {
        let at = |s: i64| DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap();
        let month = 30 * 24 * 3600;
        let mut status = Status::default();
        // A cron run under a clock a month ahead kept a cycle.
        let ahead = kept("desk", at(month), 9, false);
        assert!(!status.take_cycle(&ahead, at(0)), "never the latest");
        let latest = latest_cycles(vec![ahead.clone(), kept("desk", at(10), 1, false)], at(20));
        assert_eq!(latest.len(), 1);
        assert_eq!(latest[0].new, 1, "the real cycle is the newest");
        // This server's own cycle under that clock, then the clock set right:
        // the cron runs' real cycles are taken again.
        status.record_own(
            at(month),
            &SourceReport {
                name: "desk".into(),
                ..Default::default()
            },
            Some(&ahead),
        );
        assert!(status.take_cycle(&kept("desk", at(30), 2, false), at(40)));
        assert_eq!(status.sources["desk"].1.new, 2);
        assert!(
            !status.take_cycle(&kept("desk", at(30), 2, false), at(40)),
            "taken once"
        );
        assert!(status.take_cycle(&kept("desk", at(90), 3, false), at(100)));
        assert_eq!(status.last_cycle(), Some(at(90)));
        // Within a day ahead is the same clock, a little fast: still ordered.
        let mut status = Status::default();
        assert!(status.take_cycle(&kept("desk", at(3600), 1, false), at(0)));
        assert!(!status.take_cycle(&kept("desk", at(60), 1, false), at(120)));
    }

    #[test]
    fn a_failed_write_is_kept_until_a_write_succeeds() {
        let mut status = Status::default();
        let full = SourceReport {
            name: "api".into(),
            errors: vec!["/srv/feedfold.db: database or disk is full".into()],
            store_failure: Some(StoreFailure {
                kind: StoreFailureKind::Full,
                message: "/srv/feedfold.db: database or disk is full".into(),
            }),
            ..Default::default()
        };
        status.note_write(&full);
        // Public: the kind, never the path.
        assert_eq!(
            status.store_trouble().as_deref(),
            Some("cannot write: full")
        );
        // A source skipped wrote nothing: the failure stands.
        status.note_write(&SourceReport {
            skipped: Some("another process is ingesting it".into()),
            ..Default::default()
        });
        assert!(status.store_trouble().is_some());
        status.note_write(&SourceReport::default());
        assert_eq!(status.store_trouble(), None);
    }

    #[test]
    fn a_connection_lost_under_a_write_is_no_failed_write() {
        // The database ended the session (a restart, an administrator):
        // the next operation connects again, and whether the database can
        // be reached is for the reachability checks to tell.
        let lost = "postgres://db.example:5432/feeds: lost the connection to db.example:5432: \
                    terminating connection due to administrator command";
        let mut status = Status::default();
        status.note_write(&SourceReport {
            name: "api".into(),
            errors: vec![lost.into()],
            store_failure: Some(StoreFailure {
                kind: StoreFailureKind::Unreachable,
                message: lost.into(),
            }),
            ..Default::default()
        });
        assert_eq!(status.store_trouble(), None);
        assert!(status.write_error.is_none());
    }
}

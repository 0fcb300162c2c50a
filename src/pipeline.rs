//! One cycle, sources -> ingest -> dedup -> store -> publish, and the report
//! of what it did. `feedfold run` calls [`run_cycle`] once.

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::config::{Config, SourceConfig, SourceKind};
use crate::dedup::Decision;
use crate::ingest;
use crate::model::FeedSpec;
use crate::progress::Progress;
use crate::publish::{self, WriteOutcome};
use crate::store::{SourceBatch, Store, StoreError};

/// What one source contributed to a cycle.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceReport {
    pub name: String,
    pub files: usize,
    pub bytes: u64,
    pub articles: usize,
    pub repeats_folded: usize,
    pub new: usize,
    pub known: usize,
    /// Each failure, naming the file and the cause.
    pub errors: Vec<String>,
}

/// What publishing one feed did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedReport {
    pub name: String,
    pub entries: usize,
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

/// Runs one cycle: every source is ingested in its own transaction, then
/// every feed is rendered from the store and written. A failing source or
/// feed is reported and the others go on.
pub fn run_cycle(
    config: &Config,
    store: &mut Store,
    now: DateTime<Utc>,
    progress: &mut dyn Progress,
) -> CycleReport {
    let sources = config
        .sources
        .iter()
        .map(|source| ingest_source(store, source, now, progress))
        .collect();
    let feeds = config
        .feeds
        .iter()
        .map(|spec| publish_feed(config, store, spec))
        .collect();
    CycleReport { sources, feeds }
}

fn ingest_source(
    store: &mut Store,
    source: &SourceConfig,
    now: DateTime<Utc>,
    progress: &mut dyn Progress,
) -> SourceReport {
    let mut report = SourceReport {
        name: source.name.clone(),
        ..Default::default()
    };
    let SourceKind::Text(pattern) = &source.kind;
    let files = match ingest::source_files(pattern) {
        Ok(files) => files,
        Err(e) => {
            report.errors.push(e.to_string());
            return report;
        }
    };
    if files.is_empty() {
        tracing::warn!(source = %source.name, pattern = %pattern.display(), "no files match");
    }
    let mut batch = match store.source_batch(&source.name) {
        Ok(batch) => batch,
        Err(e) => {
            report.errors.push(e.to_string());
            return report;
        }
    };
    for file in &files {
        if let Err(e) = ingest_file(&mut batch, &source.name, file, now, progress, &mut report) {
            report.errors.push(e);
        }
    }
    if let Err(e) = batch.commit() {
        report.errors.push(e.to_string());
        report.new = 0;
        report.known = 0;
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
    progress: &mut dyn Progress,
    report: &mut SourceReport,
) -> Result<(), String> {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let mut reader = ingest::open_dump(path).map_err(|e| format!("{}: {e}", path.display()))?;
    progress.file_started(source, path, size);
    batch.begin_file().map_err(|e| e.to_string())?;
    let (mut new, mut known) = (0, 0);
    let folded: Result<(), String> = (|| {
        while let Some(article) = reader.next() {
            let article = article.map_err(|e| e.to_string())?;
            match batch
                .fold(&article, now)
                .map_err(|e: StoreError| e.to_string())?
                .decision
            {
                Decision::New { .. } => new += 1,
                Decision::Repeat { .. } => known += 1,
            }
            progress.advanced(reader.bytes_read());
        }
        Ok(())
    })();
    progress.file_finished();
    batch.end_file(folded.is_ok()).map_err(|e| e.to_string())?;
    folded?;
    let stats = reader.stats();
    report.files += 1;
    report.bytes += reader.bytes_read();
    report.articles += stats.articles;
    report.repeats_folded += stats.repeats_folded;
    report.new += new;
    report.known += known;
    Ok(())
}

fn publish_feed(config: &Config, store: &Store, spec: &FeedSpec) -> FeedReport {
    let mut report = FeedReport {
        name: spec.name.clone(),
        entries: 0,
        files: Vec::new(),
        error: None,
    };
    let result = (|| -> Result<(), String> {
        let articles = store
            .feed_entries(spec.sources.as_deref(), spec.limit)
            .map_err(|e| e.to_string())?;
        report.entries = articles.len();
        let rendered = publish::render(
            spec,
            &config.publish.base_url,
            &config.publish.author,
            &articles,
        )
        .map_err(|e| e.to_string())?;
        report.files = publish::write_feed(&config.publish.dir, &spec.name, &rendered)
            .map_err(|e| e.to_string())?;
        Ok(())
    })();
    report.error = result.err();
    report
}

impl fmt::Display for SourceReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "source {}: {} file(s), {} article(s) read, {} repeated line(s) folded, {} new, {} already known",
            self.name, self.files, self.articles, self.repeats_folded, self.new, self.known
        )?;
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

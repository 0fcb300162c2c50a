//! The store: the truth every feed is rendered from, behind one interface.
//! [`Store`] is what the pipeline, the publisher, the server and `feedfold
//! dups` use; [`SourceWriter`] is the write transaction of one source. Both
//! speak the model's and dedup's types only: a backend answers lookups
//! (exact keys, near-duplicate candidates), writes what dedup decided, and
//! holds no policy of its own. `sqlite` is the embedded backend; [`open`]
//! picks the backend the config names. Every backend passes the contract
//! suite in `tests/store_contract.rs`.

pub mod sqlite;

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use thiserror::Error;

use crate::config::Config;
use crate::dedup::{Candidate, Dates, Decision, Fingerprints, Known, NearPrints};
use crate::ingest::fetch_state::FetchState;
use crate::model::{Article, StoredArticle};

/// A store operation failed; the message names the store.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("{path}: cannot create the store's folder: {cause}")]
    CreateDir {
        path: PathBuf,
        cause: std::io::Error,
    },
    /// The backend refused an operation. Its message is kept as text, so a
    /// database error's own cause (which repeats its message) is not
    /// printed again.
    #[error("{store}: {message}")]
    Backend { store: String, message: String },
    #[error(
        "{store}: the store has schema version {found}, newer than this feedfold knows ({known}); upgrade feedfold"
    )]
    TooNew {
        store: String,
        found: i64,
        known: usize,
    },
    #[error("{store}: corrupt row for article {id}: {message}")]
    Corrupt {
        store: String,
        id: String,
        message: String,
    },
}

/// One place an article was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sighting {
    pub source: String,
    /// The file or URL.
    pub location: String,
    /// The line (dumps) or entry position (feeds).
    pub line: i64,
    pub first_seen: DateTime<Utc>,
}

/// One copy folded into a stored article, as `feedfold dups` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoldedCopy {
    /// The article the copy was folded into, and its title now.
    pub article_id: String,
    pub article_title: String,
    /// Where the article was first seen.
    pub article_seen: Option<Sighting>,
    /// The id the copy would have had on its own, and its title.
    pub copy_id: String,
    pub copy_title: String,
    /// Why ([`crate::dedup::FoldReason`]): a near-duplicate rule, `exact`
    /// for the same content or `same-link` for the same canonical link.
    pub rule: String,
    /// Body SimHash bits apart, when known.
    pub distance: Option<u32>,
    /// `longer` or `newer` when the copy replaced the stored content.
    pub replaced: Option<String>,
    /// Where the copy came from; `first_seen` is when it was folded.
    pub seen: Sighting,
}

/// One incoming copy and what dedup decided for it: everything
/// [`SourceWriter::record`] persists.
#[derive(Debug, Clone, Copy)]
pub struct Decided<'a> {
    /// The copy as read; its origin is where it was seen.
    pub article: &'a Article,
    pub fingerprints: &'a Fingerprints,
    pub decision: &'a Decision,
    pub dates: Dates,
    /// When it was folded: sightings and fold records carry this moment.
    pub now: DateTime<Utc>,
}

/// A store backend. Synchronous (the pipeline calls it from blocking
/// threads) and object-safe, so the backend is chosen at run time.
pub trait Store: Send {
    /// Starts the write transaction of `source`: everything written through
    /// it lands at once on [`SourceWriter::commit`], or not at all.
    fn begin<'a>(&'a mut self, source: &str) -> Result<Box<dyn SourceWriter + 'a>, StoreError>;

    /// Makes sure the near-duplicate index is keyed for distance `k`
    /// ([`NearPrints::index_keys`]), re-keying every stored article's prints
    /// in one transaction when it was keyed for another; whether it did.
    fn rekey_near_index(&mut self, k: u32) -> Result<bool, StoreError>;

    /// The fetch state kept for `source` (defaults when it has none).
    fn fetch_state(&mut self, source: &str) -> Result<FetchState, StoreError>;

    /// Keeps `state` as the fetch state of `source`, on its own.
    fn put_fetch_state(&mut self, source: &str, state: &FetchState) -> Result<(), StoreError>;

    /// The newest articles seen in any of `sources` (all sources when
    /// `None`) and, with `since`, updated at or after it; newest
    /// `published` first, ties broken by id, at most `limit`.
    fn feed_entries(
        &mut self,
        sources: Option<&[String]>,
        since: Option<DateTime<Utc>>,
        limit: usize,
    ) -> Result<Vec<StoredArticle>, StoreError>;

    /// One article by id.
    fn article(&mut self, id: &str) -> Result<Option<StoredArticle>, StoreError>;

    /// How many articles the store holds.
    fn article_count(&mut self) -> Result<u64, StoreError>;

    /// Every place an article was seen, first seen first (then by source
    /// and location).
    fn sightings(&mut self, id: &str) -> Result<Vec<Sighting>, StoreError>;

    /// Every copy folded into another article at or after `since` (all
    /// when `None`), oldest first.
    fn folds(&mut self, since: Option<DateTime<Utc>>) -> Result<Vec<FoldedCopy>, StoreError>;
}

/// The open write transaction of one source. Dropping it without
/// [`commit`](SourceWriter::commit) rolls everything back. Units (a file, a
/// document) are nested inside it: [`end_unit`](SourceWriter::end_unit)
/// keeps or discards what was written since
/// [`begin_unit`](SourceWriter::begin_unit).
pub trait SourceWriter {
    /// What the store holds under `fingerprints`' exact keys: the upstream
    /// entry of this writer's source, the content key, the canonical link.
    fn known(&mut self, fingerprints: &Fingerprints) -> Result<Known, StoreError>;

    /// The stored articles that share one of `prints`' index keys (as the
    /// index is keyed, see [`Store::rekey_near_index`]): at most `per_key`
    /// newest per key, each once, in the order of the keys.
    fn near_candidates(
        &mut self,
        prints: &NearPrints,
        per_key: usize,
    ) -> Result<Vec<Candidate>, StoreError>;

    /// Persists what was decided for one copy. A new article is inserted
    /// with `dates.published` and `dates.updated`; an update replaces the
    /// stored content, keeps id and `published`, and moves `updated` to
    /// `dates.replaced` unless it is later already. Either way the article's
    /// prints become the copy's, dated as stored, indexed under their keys.
    /// The copy's exact keys then lead to the decided article, and a
    /// sighting at a new place is recorded, with the fold reason when the
    /// decision has one.
    fn record(&mut self, decided: &Decided) -> Result<(), StoreError>;

    /// Starts a unit.
    fn begin_unit(&mut self) -> Result<(), StoreError>;

    /// Keeps (`keep = true`) or discards what was written since
    /// [`begin_unit`](SourceWriter::begin_unit).
    fn end_unit(&mut self, keep: bool) -> Result<(), StoreError>;

    /// False once the backend rolled the whole transaction back on its own
    /// (SQLite does on a full disk): nothing more can be written.
    fn is_open(&self) -> bool;

    /// Keeps `state` as the source's fetch state, in this transaction.
    fn put_fetch_state(&mut self, state: &FetchState) -> Result<(), StoreError>;

    /// Makes everything written in this transaction durable at once.
    fn commit(self: Box<Self>) -> Result<(), StoreError>;
}

/// Opens the store the config names, creating it if needed and bringing its
/// schema up to date.
pub fn open(config: &Config) -> Result<Box<dyn Store>, StoreError> {
    Ok(Box::new(sqlite::SqliteStore::open(&config.store_path)?))
}

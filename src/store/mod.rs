//! The store: the truth every feed is rendered from, behind one interface.
//! [`Store`] is what the pipeline, the publisher, the server and `feedfold
//! dups` use; [`SourceWriter`] is the write transaction of one source. Both
//! speak the model's and dedup's types only: a backend answers lookups
//! (exact keys, near-duplicate candidates), writes what dedup decided, and
//! holds no policy of its own. `sqlite` is the embedded backend and
//! `postgres` the shared one; [`open`] picks the backend the config names.
//! `codec` is how both pack an article, `copy` moves a store into another,
//! `page` is how both page through their articles, `rename` what a
//! rename of a source carries over and why one is refused.
//! Every backend passes the contract suite in `tests/store_contract.rs`.

pub mod codec;
pub mod copy;
mod former_content;
mod packed_prints;
mod page;
pub mod postgres;
mod rename;
pub mod sqlite;
mod unmerged;

pub use rename::{RenameError, SourceHoldings};
pub use sqlite::StoreFile;

use std::collections::HashMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use thiserror::Error;

use crate::config::{Config, StoreLocation};
use crate::dedup::near_rules;
use crate::dedup::refold::{Merge, Settled, Unmerge};
use crate::dedup::{Candidate, Dates, Decision, Exact, Fingerprints, IndexKey, Known, NearPrints};
use crate::ingest::fetch::Validators;
use crate::ingest::fetch_state::{DocumentValidators, FetchState};
use crate::ingest::source::{PageVersion, SeenPage};
use crate::model::{Article, StoredArticle};
use crate::normalize::Key;

/// A store operation failed; the message names the store.
#[derive(Debug, Error)]
pub enum StoreError {
    /// A command that only reads was pointed at a SQLite store that is not
    /// there.
    #[error(
        "{path}: there is no store here (`feedfold run` creates it; check `[store] path` and `--config`)"
    )]
    Missing { path: PathBuf },
    /// A command that only reads was pointed at an empty (0-byte) file
    /// where a SQLite store should be: a store not made yet (a placeholder,
    /// or a creation cut off) or one truncated. It is told as no store and
    /// left empty; `feedfold run` makes the store in it.
    #[error(
        "{path}: the file is empty: there is no store here (`feedfold run` makes the store in it; check `[store] path` and `--config`)"
    )]
    Empty { path: PathBuf },
    /// A command that only reads was pointed at a SQLite database that
    /// holds nothing yet (no table, `user_version` 0: made by another tool
    /// and never written). It is told as no store and left as it is;
    /// `feedfold run` makes the store in it.
    #[error(
        "{path}: the SQLite database holds no feedfold store yet: there is no store here (`feedfold run` makes the store in it; check `[store] path` and `--config`)"
    )]
    Blank { path: PathBuf },
    /// A command that only reads was pointed at a PostgreSQL database that
    /// holds no feedfold schema: left as it is.
    #[error(
        "{store}: there is no store here (`feedfold run` creates it; check the database `[store] url` or FEEDFOLD_STORE_URL names)"
    )]
    Absent { store: String },
    /// A SQLite file that holds tables but no feedfold schema: another
    /// application's database, left as it is.
    #[error(
        "{path}: this is not a feedfold store (a SQLite database of another application; check `[store] path` and `--config`)"
    )]
    Foreign { path: PathBuf },
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
    /// Another writer held the store past the wait, or the database gave
    /// up on a conflict: nothing was written, and trying again may work.
    #[error("{store}: {message}")]
    Busy { store: String, message: String },
    /// The disk or the database's space is full: nothing was written.
    #[error("{store}: {message}")]
    Full { store: String, message: String },
    #[error(
        "{store}: the store has schema version {found}, newer than this feedfold knows ({known}); upgrade feedfold"
    )]
    TooNew {
        store: String,
        found: i64,
        known: usize,
    },
    /// A newer feedfold converted the store past the schema this one
    /// knows while this one had it open (a `serve`, a `run` between two
    /// sources): it writes nothing more.
    #[error(
        "{store}: a newer feedfold converted the store to schema version {found} while this one had it open (this feedfold knows {known}); nothing more is written: stop this feedfold and start the newer one"
    )]
    ConvertedWhileOpen {
        store: String,
        found: i64,
        known: usize,
    },
    /// The store needs converting to this feedfold's schema, but another
    /// process has it open (an older `feedfold serve`, or a `run` still
    /// going): nothing was converted.
    #[error(
        "{store}: the store has schema version {found} and this feedfold converts it to {known}, but another process has it open (an older `feedfold serve` or `feedfold run`?); nothing was converted: stop the other feedfold first, then start this one again"
    )]
    OpenElsewhere {
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
    /// Something was to be written under the name a source had before it
    /// was renamed ([`Store::rename_source`]): the process read a config
    /// that names a source so, the renamed one under its old name or
    /// another given that name since. Running again reads the config
    /// again, so only a config that names no source so helps.
    #[error(
        "{store}: source {former:?} was renamed to {current:?} (`feedfold sources rename`): nothing is written under its old name, and this process read a config that names a source so: in the config, name the renamed source {current:?}, or give another source another name (a `serve` started before the config was changed reads it again once restarted)"
    )]
    Renamed {
        store: String,
        former: String,
        current: String,
    },
    /// The SQLite store file this process has open was deleted: nothing
    /// more is written to it, or published from it, since what it took
    /// would be lost with the process. A store put back at the path (a
    /// backup, or one `feedfold run` makes) is the store again.
    #[error(
        "{path}: the store file was deleted while this process had it open; nothing more is written to the deleted file or published from it (it would be lost): put the store back at this path (restore a backup), or let `feedfold run` make a new one"
    )]
    Deleted { path: PathBuf },
    /// Another file was put at the path of the SQLite store file this
    /// process has open (a backup moved into place, a store another
    /// process made there): nothing more is written to the file it has
    /// open, or published from it; the file at the path is the store.
    #[error(
        "{path}: another file was put in place of the store file while this process had it open; nothing more is written to the file it had open or published from it (the store is the file now at this path: `feedfold serve` opens it by itself, other commands on their next start)"
    )]
    Replaced { path: PathBuf },
    /// The database server could not be reached.
    #[error("{store}: cannot connect to {host_port}: {cause}")]
    Unreachable {
        store: String,
        host_port: String,
        cause: String,
    },
    /// The connection to the database server was lost; what was in flight
    /// was rolled back.
    #[error("{store}: lost the connection to {host_port}: {cause}")]
    Lost {
        store: String,
        host_port: String,
        cause: String,
    },
}

impl StoreError {
    /// Whether a command that only reads found no store where it looked
    /// ([`StoreError::Missing`], [`StoreError::Empty`], [`StoreError::Blank`],
    /// [`StoreError::Absent`]): nothing was created or written.
    pub fn is_missing(&self) -> bool {
        matches!(
            self,
            StoreError::Missing { .. }
                | StoreError::Empty { .. }
                | StoreError::Blank { .. }
                | StoreError::Absent { .. }
        )
    }

    /// Whether the database could not be reached, or the store file went
    /// away: other operations fail the same way until it is back. A lost
    /// connection is not: the next operation connects again, and only a
    /// server that cannot be reached then is unreachable.
    pub fn is_unreachable(&self) -> bool {
        matches!(
            self,
            StoreError::Unreachable { .. }
                | StoreError::Deleted { .. }
                | StoreError::Replaced { .. }
        )
    }

    /// What kind of failure this is, for a caller that answers by kind.
    pub fn kind(&self) -> StoreFailureKind {
        match self {
            StoreError::Unreachable { .. }
            | StoreError::Lost { .. }
            | StoreError::Deleted { .. }
            | StoreError::Replaced { .. } => StoreFailureKind::Unreachable,
            StoreError::Busy { .. } => StoreFailureKind::Busy,
            StoreError::Full { .. } => StoreFailureKind::Full,
            _ => StoreFailureKind::Other,
        }
    }
}

/// What a caller can do about a store failure: wait for the database
/// (`Unreachable`), try again (`Busy`), free space (`Full`), or read the
/// cause (`Other`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreFailureKind {
    Unreachable,
    Busy,
    Full,
    Other,
}

impl StoreFailureKind {
    /// The kind in a word, as public pages may show it (no path, host or
    /// cause).
    pub fn word(self) -> &'static str {
        match self {
            StoreFailureKind::Unreachable => "unreachable",
            StoreFailureKind::Busy => "busy",
            StoreFailureKind::Full => "full",
            StoreFailureKind::Other => "failed",
        }
    }
}

/// One place an article was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sighting {
    pub source: String,
    /// The file or URL.
    pub location: String,
    /// The line the article starts on (a dump's headline, a feed entry's
    /// `<item>` or `<entry>` tag: where the entry was last read).
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
    /// What a containment rule rested on ([`crate::dedup::near_rules::Evidence`]
    /// as text: `contained: 9 of 10 paragraphs, shared lead`).
    pub evidence: Option<String>,
    /// Where the copy came from; `first_seen` is when it was folded.
    pub seen: Sighting,
    /// Whether the copy was a stored article of its own, published under
    /// `copy_id` until it was merged into this one (a text that changed
    /// made the two one story: [`crate::dedup::refold`]) and left every
    /// feed; else a copy folded as it arrived.
    pub merged: bool,
}

/// What [`SourceWriter::record`] wrote besides the decision.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recorded {
    /// The reason a fold of the copy was recorded with, when one was: the
    /// decision's ([`Decision::fold_reason`](crate::dedup::Decision::fold_reason)),
    /// or `earlier-text`/`earlier-copy` for a repeat of a text its article
    /// does not have
    /// ([`FoldReason::against_stored`](crate::dedup::FoldReason::against_stored)).
    pub fold: Option<crate::dedup::FoldReason>,
    /// A copy folded into a stored article without replacing its text (or
    /// an upstream entry seen again) filled in a link, authors, media
    /// files or captions the article lacked, or the date it lacked
    /// ([`date_from_copy`]).
    pub filled: bool,
    /// An edited upstream entry whose text stands for its page and does not
    /// replace its own article's ([`crate::dedup::Exact::EditedEntry`])
    /// gave the article the entry's edited headline, summary or
    /// categories, or a copy of the article's text dated later gave it
    /// corrected captions: the article
    /// is updated by them, its `updated` moved as when a copy replaces its
    /// text ([`updated_on_replace`]).
    pub edited: bool,
}

/// What one cycle of a source did (`feedfold run`, or a cycle of `serve`),
/// as the articles page charts it. A store keeps the newest
/// [`CYCLES_KEPT`] of each source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceCycle {
    pub source: String,
    /// When the cycle's counts were kept, to the millisecond: cycles of a
    /// source are told apart and ordered by it (a store keeps a cycle that
    /// comes at a moment already taken a millisecond or so later).
    pub at: DateTime<Utc>,
    /// Articles stored for the first time.
    pub new: u32,
    /// Copies seen at a new place and folded into a stored article.
    pub folded: u32,
    /// Whether the source failed, in whole or in part.
    pub failed: bool,
}

/// How a publication of a feed by `feedfold run` went: a server beside
/// the run (on the same store) takes a failed one in as the feed's failure
/// and a later good one as its recovery. A store keeps each feed's latest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedPublication {
    pub feed: String,
    /// When it was kept, to the millisecond: a store keeps a publication
    /// that comes at or before the moment of the one it keeps a
    /// millisecond after that one, so the latest kept is always the newest.
    pub at: DateTime<Utc>,
    /// Whether the feed could not be published: its files could not be
    /// written (a full disk, a folder gone) or it could not be rendered.
    pub failed: bool,
}

/// How many articles' sightings one query asks for when folds are listed.
const SIGHTINGS_PER_QUERY: usize = 500;

/// Gives each fold (with the number of the article it was folded into)
/// the first sighting of that article, asking `sightings_of` for the
/// sightings of a few hundred articles at a time instead of once a fold.
fn with_first_sightings(
    folds: Vec<(i64, FoldedCopy)>,
    mut sightings_of: impl FnMut(&[i64]) -> Result<HashMap<i64, Vec<Sighting>>, StoreError>,
) -> Result<Vec<FoldedCopy>, StoreError> {
    let mut seqs: Vec<i64> = folds.iter().map(|(seq, _)| *seq).collect();
    seqs.sort_unstable();
    seqs.dedup();
    let mut first = HashMap::new();
    for chunk in seqs.chunks(SIGHTINGS_PER_QUERY) {
        for (seq, seen) in sightings_of(chunk)? {
            if let Some(sighting) = seen.into_iter().next() {
                first.insert(seq, sighting);
            }
        }
    }
    Ok(folds
        .into_iter()
        .map(|(seq, mut fold)| {
            fold.article_seen = first.get(&seq).cloned();
            fold
        })
        .collect())
}

/// How many cycles of each source a store keeps.
pub const CYCLES_KEPT: usize = 30;

/// How far after the cycle a store is keeping another cycle of its source
/// may be dated and still count among the newest: one dated later was kept
/// under a clock that ran ahead (a VM resumed with a wrong clock, an NTP
/// step back) and is the first to go, so that it never crowds out the
/// cycles kept once the clock is right. Within it, workers whose clocks
/// disagree a little, and cycles kept out of order, keep their order.
pub const CYCLES_AHEAD_ALLOWED: chrono::TimeDelta = chrono::TimeDelta::days(1);

/// How many article ids [`Store::article_ids`] hands out at a time.
pub const IDS_AT_ONCE: usize = 4096;

/// How many of a site's counted pages a store keeps, with the paragraphs
/// each printed: a template paragraph is on most of any window of them,
/// and a site that changes its template is judged by its recent pages,
/// while a page source read for months keeps a bounded table.
pub const SITE_PAGES_KEPT: usize = 1000;

/// The most index rows a lookup reads for one body band of a copy
/// ([`codec::NearProbe`]): the articles that share the band's leading bits,
/// most of them by chance (about 15 for a 16-bit band in a million
/// articles, 2,000 rows at 130 million). Only a body shared by thousands of
/// stored articles (boilerplate scraped in place of a story) reaches it;
/// such copies are still found by their other keys.
pub const MAX_BAND_ROWS: usize = 2048;

/// Rows waiting to enter a near-duplicate index (new rows, and rows to
/// delete) that make a merge due in a store of up to 262,144 articles.
pub const NEAR_MERGE_MIN_ROWS: i64 = 1 << 18;

/// Whether a store of `stored` articles with `pending` rows waiting to
/// enter its near-duplicate index should merge them now. Both backends
/// keep new rows in a small table, so a batch writes a few hot pages
/// rather than one leaf of a large hash-keyed index per key, and merge
/// them in key order, one pass over the index. A run pays for the waiting
/// rows (the more there are, the more pages a batch dirties) and for its
/// share of the passes (the larger the index, the longer a pass): waiting
/// for 512 × √stored rows keeps the two in balance as the store grows
/// (measured in BENCHMARKS.md, "near-duplicate index").
pub fn near_merge_due(pending: i64, stored: i64) -> bool {
    let balanced = 512.0 * (stored.max(0) as f64).sqrt();
    pending >= NEAR_MERGE_MIN_ROWS.max(balanced as i64)
}

/// An article with every place it was seen, first seen first, and every
/// copy folded into it, oldest first: one entry of the articles page.
#[derive(Debug, Clone, PartialEq)]
pub struct FoldedArticle {
    pub article: StoredArticle,
    pub sightings: Vec<Sighting>,
    pub folds: Vec<FoldedCopy>,
}

/// Whether a stored article's `updated` (Unix seconds) is a date a source
/// gave: not the moment it was first seen (an undated article is dated
/// so) nor the moment an undated copy replaced its text (`changed`, which
/// `updated` then moved to). Filling what an article lacked moves neither.
pub fn update_given_by_source(updated: i64, first_seen: i64, changed: Option<i64>) -> bool {
    updated != changed.unwrap_or(first_seen)
}

/// The `updated` (Unix seconds) of a stored article whose text or
/// headline a copy replaces, read at `now`: it moves forward, so that a
/// reader who goes by `updated` learns the entry changed. It moves to the
/// update date the copy's source gave (`replaced`,
/// [`crate::dedup::Dates::replaced`], when `replaced_by_source`) when that
/// is later than the stored `updated`, else to the moment the copy was
/// read, as an undated copy's replacement is dated: a copy dated before
/// what the article shows (the newsroom's own version of a story a
/// partner's later copy brought first) changes it now. The stored date
/// stays when it is later than that moment (workers' clocks differ by
/// moments), unless it is further ahead of it than any date is taken
/// ([`crate::ingest::date::FUTURE_DATES_ALLOWED`]): stamped by a clock
/// that ran ahead, it is not kept, so that it dates neither the article
/// nor its feeds ahead once the clock is right. Never before `published`.
pub fn updated_on_replace(
    updated: i64,
    published: i64,
    replaced: i64,
    replaced_by_source: bool,
    now: i64,
) -> i64 {
    if replaced_by_source && replaced > updated {
        replaced.max(published)
    } else if updated > now + FUTURE_SECONDS_ALLOWED {
        now.max(published)
    } else {
        updated.max(now)
    }
}

/// The publication date (Unix seconds) a copy of its story gives a stored
/// article that came `undated` ([`crate::dedup::NearPrints::undated`]: dated when
/// first seen, which is no publication date), whether the copy is folded into it
/// or replaces its text: the date the copy's source gave (`given`, its
/// [`TextDates::published`](crate::dedup::TextDates)), when it gave one.
/// `None` for an article with a date of its own, which keeps it whatever
/// date a copy gives (the first sighting's), and for an undated copy.
pub fn date_from_copy(undated: bool, given: Option<i64>) -> Option<i64> {
    given.filter(|_| undated)
}

/// The `published` (Unix seconds) of a stored article whose text or
/// headline a copy that gives the publication date `given` replaces, read
/// at `now`: the copy's date when the article came `undated`
/// ([`date_from_copy`]); else it stays, unless the article is dated only
/// by the moment it was first seen (`dated_when_seen`: undated, or a row
/// older than the prints' mark of it) and that lies further ahead of
/// `now` than any date is taken
/// ([`crate::ingest::date::FUTURE_DATES_ALLOWED`]): first seen under a
/// clock that ran ahead, the article is dated the moment the copy was read
/// instead, so that neither it nor its feeds stay dated ahead once the
/// clock is right. [`updated_on_replace`] takes the `published` it gives.
pub fn published_on_replace(
    published: i64,
    undated: bool,
    dated_when_seen: bool,
    given: Option<i64>,
    now: i64,
) -> i64 {
    match date_from_copy(undated, given) {
        Some(date) => date,
        None if dated_when_seen && published > now + FUTURE_SECONDS_ALLOWED => now,
        None => published,
    }
}

/// The `published` (Unix seconds) the survivor of a merge is dated afresh,
/// from both articles' `published` and whether each is undated, when the
/// survivor, or the text it takes (`takes_text`), was undated and the
/// merge leaves it dated ([`published_on_merge`]): the other article's date
/// for an undated survivor, its own when it takes the other's undated text;
/// its prints then say it is dated. `None` when it stays as it was.
pub fn redated_on_merge(
    survivor: (i64, bool),
    absorbed: (i64, bool),
    takes_text: bool,
) -> Option<i64> {
    let (published, undated) = published_on_merge(survivor, absorbed);
    let text_undated = if takes_text { absorbed.1 } else { survivor.1 };
    ((survivor.1 || text_undated) && !undated).then_some(published)
}

/// The `updated` (Unix seconds) of a stored article last updated at
/// `updated` that a copy of its story folded into it without replacing its
/// text, or the other article of a merge, dates `published`
/// ([`date_from_copy`], [`published_on_merge`]): it stays, as the text does
/// (a reader that goes by `updated` is not told an old story changed), but
/// never before `published`.
pub fn updated_when_dated(updated: i64, published: i64) -> i64 {
    updated.max(published)
}

/// Whether the text a copy leaves a stored article with is undated: only
/// when the article was (`stored_undated`) and the copy is too. An article
/// with a date (its own, or one a copy gave it) stays dated when an undated
/// copy replaces its text.
pub fn undated_on_replace(stored_undated: bool, copy_undated: bool) -> bool {
    stored_undated && copy_undated
}

/// The `published` (Unix seconds) of the survivor of a merge and whether
/// it is undated, from both articles' `published` and whether each is
/// undated ([`crate::dedup::NearPrints::undated`]): the survivor keeps its own date, but
/// an undated survivor takes the other article's real date, as it would a
/// copy's ([`date_from_copy`]).
pub fn published_on_merge(survivor: (i64, bool), absorbed: (i64, bool)) -> (i64, bool) {
    let ((published, undated), (theirs, theirs_undated)) = (survivor, absorbed);
    let given = (!theirs_undated).then_some(theirs);
    match date_from_copy(undated, given) {
        Some(date) => (date, false),
        None => (published, undated),
    }
}

/// [`crate::ingest::date::FUTURE_DATES_ALLOWED`] in seconds, as the store
/// keeps dates.
pub const FUTURE_SECONDS_ALLOWED: i64 = crate::ingest::date::FUTURE_DATES_ALLOWED.num_seconds();

/// The `updated` (Unix seconds) of a survivor of a merge that takes the
/// absorbed article's text ([`SourceWriter::merge`]), from both articles'
/// `updated`, `first_seen` and `changed` (and the survivor's `published`):
/// the absorbed text replaces the survivor's as a copy's would, dated by
/// the absorbed article's `updated` when a source gave it, read at `now`.
pub fn updated_on_merge(survivor: Dated, absorbed: Dated, now: i64) -> i64 {
    let given = update_given_by_source(absorbed.updated, absorbed.first_seen, absorbed.changed);
    updated_on_replace(
        survivor.updated,
        survivor.published,
        absorbed.updated,
        given,
        now,
    )
}

/// An article's dates as its row keeps them, Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dated {
    pub published: i64,
    pub updated: i64,
    pub first_seen: i64,
    pub changed: Option<i64>,
}

/// The `published` and `updated` (Unix seconds) a rewritten row takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowDates {
    pub published: i64,
    pub updated: i64,
}

/// Where a page of [`Store::article_page`] starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStart<'a> {
    /// The newest articles.
    Newest,
    /// The article with this id, then older ones.
    From(&'a str),
    /// The articles just newer than the one with this id, up to it.
    NewerThan(&'a str),
}

/// Where an article stands in the order of [`Store::feed_entries`]: its
/// `published` date and when it was first seen (Unix seconds), and the
/// number this store keeps it under, which tells apart those equal in both.
/// A walk that goes on from it goes on where it was, even once that
/// article is gone (merged into another) or has moved.
///
/// The number is this store's own: a copy ([`copy::copy`]) numbers its
/// articles afresh, in the same order. A client is handed a
/// [`FeedCursor`], which names the article too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedPosition {
    pub published: i64,
    pub first_seen: i64,
    pub seq: i64,
}

/// The place in the order of [`Store::feed_entries`] of a walk whose last
/// article was `id`, as it stood there: the place a copy of the store
/// holds too, as it keeps the ids, dates and order
/// ([`Store::place_of_cursor`] finds it in a store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedCursor {
    pub id: String,
    /// Its place in the store that handed the cursor out.
    pub at: FeedPosition,
}

impl FeedCursor {
    /// The cursor as one token: URL-safe, meant to be handed back as
    /// given. Its numbers and the id (base64url) are followed by a check
    /// of them, so that a token this API did not write (made up, or
    /// changed) is refused rather than taken for a place in the walk.
    pub fn token(&self) -> String {
        use base64::Engine;
        let id = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(self.id.as_bytes());
        let at = &self.at;
        let fields = format!("{}.{}.{}.{id}", at.published, at.first_seen, at.seq);
        let check = position_check(&fields);
        format!("{fields}.{check}")
    }

    /// The cursor a [`FeedCursor::token`] wrote; `None` for any other
    /// text, one whose check does not match its fields included (the
    /// tokens of an earlier feedfold, which named no article, too).
    pub fn of_token(token: &str) -> Option<FeedCursor> {
        use base64::Engine;
        let (fields, check) = token.rsplit_once('.')?;
        if position_check(fields) != check {
            return None;
        }
        let mut parts = fields.split('.');
        let mut number = || parts.next()?.parse::<i64>().ok();
        let at = FeedPosition {
            published: number()?,
            first_seen: number()?,
            seq: number()?,
        };
        let id = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(parts.next()?)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())?;
        parts.next().is_none().then_some(FeedCursor { id, at })
    }
}

/// The check a [`FeedCursor::token`] carries after its `fields`: the
/// first 8 hexadecimal digits of a SHA-256 of them.
fn position_check(fields: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(format!("feedfold cursor {fields}").as_bytes());
    crate::normalize::hex(&digest[..4])
}

/// One page of the stored articles, newest first, and what lies on
/// either side.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticlePage {
    pub articles: Vec<FoldedArticle>,
    /// Whether newer articles come before this page.
    pub newer: bool,
    /// The id of the article the next, older page starts [`PageStart::From`].
    pub older: Option<String>,
}

/// One incoming copy and what dedup decided for it: everything
/// [`SourceWriter::record`] persists.
#[derive(Debug, Clone, Copy)]
pub struct Decided<'a> {
    /// The copy as read; its origin is where it was seen.
    pub article: &'a Article,
    /// The headline its content is stored under: the copy's own, or the
    /// stored story's when the copy replaces its text under that headline
    /// with a site name or wire tag added ([`crate::dedup::replacing_headline`]).
    pub headline: &'a str,
    pub fingerprints: &'a Fingerprints,
    pub decision: &'a Decision,
    /// The key the store found the upstream entry under
    /// ([`crate::dedup::KnownEntry::key`]), remembered again with its
    /// content key and version beside the entry's own key.
    pub found_under: Option<&'a str>,
    pub dates: Dates,
    /// When it was folded: sightings and fold records carry this moment.
    pub now: DateTime<Utc>,
    /// Whether the copy, folded into a stored article without replacing
    /// its text, is that text without its first paragraph, which is so a
    /// local intro ([`crate::dedup::near_rules::shows_local_intro`]): the
    /// article's prints then say so ([`NearPrints::intro_over_story`]).
    pub shows_local_intro: bool,
    /// Whether the copy's text was read now from the page at its link (a
    /// full-text entry's page, a sitemap's page): the captions it gives are
    /// that page's as it is now, which correct those of the article of its
    /// own upstream entry (`Decided::corrects_captions_as_its_page`).
    pub page_read: bool,
    /// Whether the copy is another copy of the article even when it comes
    /// from a place the article was seen at already, so its fold is
    /// recorded there too ([`Decision::folds_at_a_known_place`]).
    pub another_copy: bool,
}

impl<'a> Decided<'a> {
    /// The content record the copy stores.
    fn content(&self) -> codec::ContentRef<'a> {
        codec::ContentRef {
            title: self.headline,
            ..codec::ContentRef::of_article(self.article)
        }
    }

    /// The content record that replaces the stored article's, whose record
    /// is `stored`: a copy folded into another story ([`Decision::Near`],
    /// [`Decision::EditedCopy`]) replaces its headline and text, and leaves
    /// it the link, authors and media files it had where the copy gives
    /// none ([`codec::replacing`]); an upstream entry's own article takes
    /// what the entry gives now.
    fn replacing(&self, stored: &[u8]) -> Result<Vec<u8>, String> {
        match self.decision {
            Decision::Update { .. } => Ok(codec::pack_content(&self.content())),
            _ => codec::replacing(&self.content(), stored),
        }
    }

    /// The publication date the copy's source gave (Unix seconds), else its
    /// update date ([`crate::dedup::TextDates`]): what a stored article that
    /// came undated takes from it ([`date_from_copy`]). `None` for an
    /// undated copy.
    fn date_given(&self) -> Option<i64> {
        self.fingerprints
            .near
            .text_dates
            .map(|dates| codec::seconds(dates.published))
    }

    /// The `published` and `updated` dates of a stored article dated
    /// `dated`, which came `undated` or not, whose text or entry edits the
    /// copy replaces ([`published_on_replace`], [`updated_on_replace`]).
    fn dates_replacing(&self, dated: &Dated, undated: bool) -> RowDates {
        let now = codec::seconds(self.now);
        // A row written before prints said whether it came undated tells
        // it by a `published` that is the moment it was first seen.
        let dated_when_seen = undated || dated.published == dated.first_seen;
        let published = published_on_replace(
            dated.published,
            undated,
            dated_when_seen,
            self.date_given(),
            now,
        );
        RowDates {
            published,
            updated: updated_on_replace(
                dated.updated,
                published,
                codec::seconds(self.dates.replaced),
                self.dates.replaced_by_source,
                now,
            ),
        }
    }

    /// The prints the copy's text brings to a stored article, undated or
    /// not (`stored_undated`), whose text it replaces: the copy's own, which
    /// say the text is undated only when both were
    /// ([`undated_on_replace`]).
    fn replacing_prints(&self, stored_undated: bool) -> std::borrow::Cow<'a, NearPrints> {
        let copy = &self.fingerprints.near;
        let undated = undated_on_replace(stored_undated, copy.undated);
        if undated == copy.undated {
            std::borrow::Cow::Borrowed(copy)
        } else {
            std::borrow::Cow::Owned(NearPrints {
                undated,
                ..copy.clone()
            })
        }
    }

    /// Whether the copy fills in what the stored article lacks (a link,
    /// authors, media files, captions) without replacing its text: a copy folded
    /// into it, an upstream entry seen again with media files, which
    /// an article stored before media files were kept lacks, and an edit
    /// of an upstream entry whose text stands for its page and keeps the
    /// article's ([`Decided::takes_entry_edits`]: the page read again
    /// gives its text again, or less, with a photo or byline it gained).
    fn fills_missing(&self) -> bool {
        let entry_seen_again = matches!(
            self.decision,
            Decision::Repeat {
                by: Exact::Entry | Exact::EditedEntry,
                ..
            }
        );
        self.decision.fold_reason().is_some()
            || (entry_seen_again && !self.article.enclosures.is_empty())
            || self.takes_entry_edits()
    }

    /// Whether the copy is an edit of the upstream entry whose own article
    /// it is, its text standing for the entry's page
    /// ([`crate::model::Article::page_text`]), that does not replace the
    /// stored text ([`Exact::EditedEntry`]: the page fetched again gives
    /// less, or could not be read): the article keeps its text and takes
    /// the entry's edited headline, summary and categories
    /// ([`codec::with_entry_edits`]), and, when they change it, a new
    /// `updated` ([`Recorded::edited`]).
    fn takes_entry_edits(&self) -> bool {
        self.edits_a_page_stand_in() && self.is_the_entrys_own_article()
    }

    /// Whether the copy is an edit of an upstream entry whose text stands
    /// for its page ([`crate::model::Article::page_text`]) and does not
    /// replace the stored text ([`Exact::EditedEntry`]): its edited
    /// headline, summary and categories land on its own article
    /// ([`Decided::takes_entry_edits`]), and on a story it was folded into
    /// when the edit is that story's next version, which the story's
    /// prints tell ([`Decided::entry_edits_land_on`]).
    fn edits_a_page_stand_in(&self) -> bool {
        matches!(
            self.decision,
            Decision::Repeat {
                by: Exact::EditedEntry,
                ..
            }
        ) && self.fingerprints.page_text
    }

    /// Whether the edits of an entry standing for its page
    /// ([`Decided::edits_a_page_stand_in`]) land on the stored article
    /// whose prints are `stored` ([`crate::dedup::entry_edits_land`]).
    fn entry_edits_land_on(&self, stored: &NearPrints) -> bool {
        crate::dedup::entry_edits_land(self.fingerprints, self.decision.id(), stored)
    }

    /// Whether the copy, the stored article's headline and text again
    /// ([`Exact::Content`]), or an edit of the upstream entry whose text
    /// is its page read again under the same text
    /// ([`Decided::corrects_captions_as_its_page`]), gives captions of its
    /// own, which may correct the stored ones
    /// ([`Decided::caption_correction`]).
    fn may_correct_captions(&self) -> bool {
        let repeats_the_text = matches!(
            self.decision,
            Decision::Repeat {
                by: Exact::Content,
                ..
            }
        );
        (repeats_the_text || self.corrects_captions_as_its_page())
            && !self.article.captions.is_empty()
    }

    /// Whether the copy is an edit of the upstream entry whose own article
    /// it is that keeps the article's text ([`Decided::takes_entry_edits`])
    /// and gives the captions of its page read now ([`Decided::page_read`]):
    /// they are the story's as it is now, whatever date the page keeps. An
    /// entry standing for a page it could not read gives its own, which
    /// correct none of the page's.
    fn corrects_captions_as_its_page(&self) -> bool {
        self.page_read && self.takes_entry_edits()
    }

    /// The stored article's content record `content` with the copy's
    /// captions, and its prints `prints` dated as the copy is, when the
    /// copy is its text again with other captions (a credit corrected),
    /// dated later than the stored text by the dates of the article's row
    /// `dated` ([`near_rules::dated_later`]), or is its own upstream
    /// entry's edit, its page read again and giving the stored text
    /// ([`Decided::corrects_captions_as_its_page`]): the story's next
    /// version, which updates it as an edit does. `None` when the captions
    /// are the stored ones, the copy is not dated later (a copy read
    /// before the correction, an undated one), or the page read again
    /// gives less than the stored text (a paywall's lead and first
    /// paragraph, whose photos are the story's first few, not the story as
    /// it is now): a sighting, which leaves them.
    fn caption_correction(
        &self,
        content: &[u8],
        prints: &[u8],
        dated: &Dated,
    ) -> Result<Option<CaptionsCorrected>, String> {
        let stored = codec::unpack_candidate_prints(prints, dated)?;
        let copy = &self.fingerprints.near;
        let corrects = if self.corrects_captions_as_its_page() {
            copy.content_key == stored.content_key
        } else {
            near_rules::dated_later(copy, &stored)
        };
        if !corrects {
            return Ok(None);
        }
        let Some(corrected) = codec::with_captions(content, &self.article.captions)? else {
            return Ok(None);
        };
        let dated_as_copy = NearPrints {
            text_dates: self.fingerprints.near.text_dates,
            ..codec::unpack_prints(prints, dated.published, dated.updated)?
        };
        Ok(Some(CaptionsCorrected {
            content: corrected,
            prints: codec::pack_prints(&dated_as_copy),
        }))
    }

    /// Whether the copy is an upstream entry the store knew by its key,
    /// read again from its document, whose place there (the line its
    /// `<item>` or `<entry>` starts on) is where it is now: its sighting
    /// and its fold follow it when the entry moved within the document
    /// (or was placed by its position before lines were read), its place
    /// kept as the latest read shows it. An entry is one copy of its
    /// document, so its line tells no other copy's; a dump's text, known
    /// by its content, may be there twice, and its first place stands.
    fn places_an_entry_again(&self) -> bool {
        self.found_under.is_some()
    }

    /// Whether the stored article is the upstream entry's own, not a story
    /// it was folded into: the sighting at its place is the entry's own,
    /// whatever line it was recorded at.
    fn is_the_entrys_own_article(&self) -> bool {
        self.fingerprints
            .entry_ids
            .iter()
            .any(|id| id == self.decision.id())
    }

    /// Whether the copy is an upstream entry judged a repeat of the stored
    /// text (unchanged, or a late retry of an earlier version): a sighting
    /// only, which leaves the version remembered for the entry as it was.
    /// An edit whose text does not replace the story's
    /// ([`Exact::EditedEntry`]) is no repeat: the entry is remembered as
    /// it is now, so that, seen again unchanged, it is known.
    fn repeats_an_entry(&self) -> bool {
        matches!(
            self.decision,
            Decision::Repeat {
                by: Exact::Entry,
                ..
            }
        )
    }
}

/// A stored article's content record and prints, packed, with its
/// captions corrected by a copy of its text dated later.
struct CaptionsCorrected {
    content: Vec<u8>,
    prints: Vec<u8>,
}

/// What [`Store::claim`] answers for a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// This process holds the source until [`Store::release`]: no other
    /// process ingests it meanwhile.
    Granted,
    /// Another process is ingesting it right now.
    Busy,
    /// Another process ingested it from an attempt begun at this moment,
    /// not before the freshness asked for: nothing to do.
    Done(DateTime<Utc>),
}

/// One piece of a store, as [`Store::export`] hands it out and
/// [`Store::import`] takes it in (`feedfold store copy`). Articles come
/// before anything that names them.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// The distance the near-duplicate index is keyed for.
    NearIndex {
        max_distance: u32,
    },
    Article(Box<ArticleRecord>),
    /// The first 16 bytes of an exact content key, and its article.
    ContentKey {
        key: [u8; 16],
        article: String,
    },
    LinkKey {
        link: String,
        article: String,
    },
    UpstreamKey {
        source: String,
        key: String,
        article: String,
        content_key: Key,
        /// [`crate::dedup::fingerprint::entry_versions`] when last seen;
        /// `None` when last seen before versions were kept.
        version: Option<Key>,
    },
    /// A place an article was seen; the sightings of one article come in
    /// the order they arrived, and are numbered so where they are written.
    Sighting {
        article: String,
        sighting: Sighting,
        /// When the transaction that wrote it committed; `None` for one
        /// written before that was kept.
        stored: Option<DateTime<Utc>>,
    },
    Fold {
        article: String,
        copy_id: String,
        copy_title: String,
        rule: String,
        distance: Option<u32>,
        replaced: Option<String>,
        evidence: Option<String>,
        seen: Sighting,
        merged: bool,
    },
    FetchState {
        source: String,
        state: FetchState,
    },
    /// The validators kept for one document `source`'s document leads to
    /// (a sitemap an index lists), under the key of its URL.
    DocumentValidators {
        source: String,
        document: String,
        validators: Validators,
    },
    Cycle(SourceCycle),
    /// A page `source` fetched, the version it was read at, and the
    /// validators its last full fetch gave.
    SeenPage {
        source: String,
        url: String,
        version: String,
        validators: Validators,
    },
    /// A page counted for `site`, with the paragraphs it printed; pages of
    /// a site come in the order they were counted.
    SitePage {
        site: String,
        page: String,
        keys: Vec<Key>,
    },
    /// A name `source` had before it was renamed
    /// ([`Store::rename_source`]).
    FormerName {
        former: String,
        source: String,
    },
    /// The text, prints and dates article `id` had when a merge absorbed
    /// it, kept to undo the merge ([`SourceWriter::unmerge`]): its content
    /// and prints as [`codec`] packs them, its dates in Unix seconds.
    MergedArticle {
        id: String,
        published: i64,
        updated: i64,
        first_seen: i64,
        content: Vec<u8>,
        prints: Vec<u8>,
    },
}

/// An article as [`Record::Article`] carries it: with when it was first
/// seen and the prints of its content.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleRecord {
    pub article: StoredArticle,
    pub first_seen: DateTime<Utc>,
    /// When its text was last replaced after it was stored; `None` when it
    /// never was.
    pub changed: Option<DateTime<Utc>>,
    /// When it was last stored or changed (its text replaced, what it
    /// lacked filled): the moment that transaction committed; `None` for
    /// an article written before stores kept it.
    pub stored: Option<DateTime<Utc>>,
    pub prints: NearPrints,
}

/// How many of each thing a store holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub articles: u64,
    pub content_keys: u64,
    pub link_keys: u64,
    pub upstream_keys: u64,
    pub sightings: u64,
    pub folds: u64,
    pub near_keys: u64,
    pub fetch_states: u64,
    pub document_validators: u64,
    pub seen_pages: u64,
    pub site_pages: u64,
    pub site_paragraphs: u64,
    pub cycles: u64,
    /// The texts merges kept aside ([`Record::MergedArticle`]).
    pub merged_articles: u64,
}

/// A store backend. Synchronous (the pipeline calls it from blocking
/// threads) and object-safe, so the backend is chosen at run time.
pub trait Store: Send {
    /// Starts the write transaction of `source`: everything written through
    /// it lands at once on [`SourceWriter::commit`], or not at all. A name a
    /// source was renamed from is refused ([`StoreError::Renamed`]).
    fn begin<'a>(&'a mut self, source: &str) -> Result<Box<dyn SourceWriter + 'a>, StoreError>;

    /// Makes sure the near-duplicate index is keyed for distance `k`
    /// ([`NearPrints::index_keys`]), re-keying every stored article's prints
    /// in one transaction when it was keyed for another; whether it did.
    fn rekey_near_index(&mut self, k: u32) -> Result<bool, StoreError>;

    /// The fetch state kept for `source` (defaults when it has none).
    fn fetch_state(&mut self, source: &str) -> Result<FetchState, StoreError>;

    /// Keeps `state` as the fetch state of `source`, on its own; refused
    /// for a name a source was renamed from ([`StoreError::Renamed`]).
    /// A state read by a fetch that began before the one of the state kept
    /// ([`FetchState::read_began`], a slower process's) leaves that one.
    fn put_fetch_state(&mut self, source: &str, state: &FetchState) -> Result<(), StoreError>;

    /// The validators kept for the documents `source`'s document leads to
    /// ([`SourceWriter::put_document_validators`]); none when it has none.
    fn document_validators(&mut self, source: &str) -> Result<DocumentValidators, StoreError>;

    /// Forgets the fetch state of `source`, the validators of the
    /// documents its document leads to, and the pages it fetched
    /// ([`SourceWriter::remember_page`]), so that it is fetched at once and
    /// unconditionally, and its pages are tried afresh; whether it had
    /// any.
    fn clear_fetch_state(&mut self, source: &str) -> Result<bool, StoreError>;

    /// Carries everything the store keeps under source `old` over to `new`,
    /// in one transaction: its upstream entries (which keep their ids, and
    /// are known to a writer of `new` as its own: `old` is kept as a former
    /// name of `new`, [`SourceWriter::former_names`]), the places its
    /// articles were seen at with their sightings and folds, its fetch
    /// state, documents' validators, pages fetched and cycles (on
    /// PostgreSQL its lease too). The former names of `old` become those
    /// of `new`; `new` stops being a former name when it was `old`'s.
    /// What was carried over; refused, changing nothing, when `old` holds
    /// nothing or was renamed already, `new` holds anything or is another
    /// source's former name, or a process is ingesting either right now
    /// ([`RenameError`]). From then on nothing is written under `old`
    /// ([`StoreError::Renamed`]).
    fn rename_source(&mut self, old: &str, new: &str) -> Result<SourceHoldings, RenameError>;

    /// Every name a source was renamed from ([`Store::rename_source`]),
    /// with the name that source has now, by former name: the names
    /// nothing is written under.
    fn renamed_sources(&mut self) -> Result<Vec<(String, String)>, StoreError>;

    /// Every name the store keeps anything under (an entry, a place, a
    /// fetch state, validators, a page fetched, a cycle), whether or not
    /// the config still names a source so, and every former name of a
    /// renamed source, each once, in the order of their text: the names a
    /// new source must not take, or it would find another source's entries
    /// as its own (an entry's id is made from its source's name).
    fn held_source_names(&mut self) -> Result<Vec<String>, StoreError>;

    /// What tells this store from every other a URL may reach, read from
    /// the store itself (PostgreSQL: the cluster's system identifier, the
    /// database's oid and the schema its tables are in), so that one store named two ways is known as
    /// one; `None` where the location already tells (a SQLite file, known
    /// by its inode).
    fn identity(&mut self) -> Result<Option<String>, StoreError>;

    /// The sources the store keeps a fetch state, documents' validators or
    /// pages fetched for, by name, each once.
    fn fetched_sources(&mut self) -> Result<Vec<String>, StoreError>;

    /// Of `urls`, the pages `source` has fetched and remembered
    /// ([`SourceWriter::remember_page`]), each with the version it was
    /// read at and the validators its last full fetch gave.
    fn pages_seen(
        &mut self,
        source: &str,
        urls: &[String],
    ) -> Result<HashMap<String, PageVersion>, StoreError>;

    /// The newest articles seen in any of `sources` (all sources when
    /// `None`) and, with `since`, stored or changed (text replaced, what
    /// it lacked filled) by a transaction committed at or after it
    /// ([`SourceWriter::commit`]), whatever their own dates, or (with
    /// `sources`) sighted by one of `sources` in such a transaction; newest
    /// `published` first, at most `limit`; of equal dates, the one first
    /// seen last first (a story a later fetch brings under a date the
    /// feed gives every story of its day), and of those first seen in one
    /// fetch, the one stored first first, so a document's entries that tie
    /// (undated ones, dated when first seen) keep its order, the first
    /// newest.
    fn feed_entries(
        &mut self,
        sources: Option<&[String]>,
        since: Option<DateTime<Utc>>,
        limit: usize,
    ) -> Result<Vec<StoredArticle>, StoreError> {
        let page = self.feed_page(sources, since, None, limit)?;
        Ok(page.into_iter().map(|(article, _)| article).collect())
    }

    /// [`Store::feed_entries`], each article with its [`FeedPosition`],
    /// and with `after`, only those that come after that position in this
    /// order, whether the article that stood there is still stored or not
    /// (the next page of a listing whose last article stood there:
    /// [`Store::position_of`] gives an article's).
    fn feed_page(
        &mut self,
        sources: Option<&[String]>,
        since: Option<DateTime<Utc>>,
        after: Option<FeedPosition>,
        limit: usize,
    ) -> Result<Vec<(StoredArticle, FeedPosition)>, StoreError>;

    /// Where the article stored under `id` stands in the order of
    /// [`Store::feed_page`]; `None` when the store holds no article with
    /// that id (one merged into another included: [`Store::merged_into`]
    /// tells where it went).
    fn position_of(&mut self, id: &str) -> Result<Option<FeedPosition>, StoreError>;

    /// Where the walk `cursor` names goes on in this store, in the order
    /// of [`Store::feed_page`]: at the cursor's dates, after the number
    /// the article it names is kept under here (wherever that article
    /// stands now), which places it right in a copy of the store that
    /// handed it out too; after an article since merged into another, the
    /// cursor's own number, when this store is the one that numbered that
    /// article so (it keeps the number a merged article had). `None` when
    /// this store cannot place the cursor: its article was merged away in
    /// another store, or before this store kept such numbers.
    fn place_of_cursor(&mut self, cursor: &FeedCursor) -> Result<Option<FeedPosition>, StoreError>;

    /// The id of the stored article that the article once stored under
    /// `id` was merged into ([`SourceWriter::merge`]), by the fold the
    /// merge recorded; after a chain of merges, the last one's survivor
    /// (the folds move with each merge). `None` when no merge took an
    /// article of that id away; a merge recorded before the store marked
    /// merges among its folds (SQLite schema 21, PostgreSQL 18) is not told
    /// from other folds, so it answers `None` too.
    fn merged_into(&mut self, id: &str) -> Result<Option<String>, StoreError>;

    /// One article by id.
    fn article(&mut self, id: &str) -> Result<Option<StoredArticle>, StoreError>;

    /// How many articles the store holds.
    fn article_count(&mut self) -> Result<u64, StoreError>;

    /// Every place an article was seen, in the order the sightings arrived:
    /// the first is where it was first stored, even when another source
    /// stored a copy within the same second.
    fn sightings(&mut self, id: &str) -> Result<Vec<Sighting>, StoreError>;

    /// Every copy folded into another article at or after `since` (all
    /// when `None`), oldest first.
    fn folds(&mut self, since: Option<DateTime<Utc>>) -> Result<Vec<FoldedCopy>, StoreError>;

    /// A page of at most `limit` stored articles, newest `published`
    /// first, ties as in the feeds ([`Store::feed_entries`]), from `start`,
    /// each with its sightings and folded copies; `None` when `start`
    /// names an article the store does not hold.
    fn article_page(
        &mut self,
        start: PageStart,
        limit: usize,
    ) -> Result<Option<ArticlePage>, StoreError>;

    /// Keeps what each of a run's cycles did, in one transaction,
    /// forgetting each source's cycles beyond the newest [`CYCLES_KEPT`]
    /// (those dated more than [`CYCLES_AHEAD_ALLOWED`] after the cycle
    /// kept count as the oldest).
    /// Every cycle is kept: one that comes at a moment a cycle of the source
    /// was kept at is kept at the first free millisecond after it.
    /// A cycle of a name a source was renamed from
    /// ([`Store::rename_source`]) is not kept.
    fn record_cycles(&mut self, cycles: &[SourceCycle]) -> Result<(), StoreError>;

    /// The cycles kept, by source, each source's oldest first.
    fn cycles(&mut self) -> Result<Vec<SourceCycle>, StoreError>;

    /// Keeps how each of a run's publications went as its feed's latest, in
    /// one transaction, in place of the one kept before (at the millisecond
    /// after it when that was kept at the same moment or later).
    fn record_publications(&mut self, publications: &[FeedPublication]) -> Result<(), StoreError>;

    /// Each feed's latest publication kept, by feed.
    fn publications(&mut self) -> Result<Vec<FeedPublication>, StoreError>;

    /// Forgets, in one transaction, what the store keeps only the newest of:
    /// every source's cycles and every site's pages with the paragraphs
    /// they printed. `store copy` does before it writes, so that the
    /// destination then keeps what the source keeps, whatever cycles it
    /// ran of its own.
    fn forget_kept_newest(&mut self) -> Result<(), StoreError>;

    /// Asks to ingest `source` now. With `fresh_since`, a source another
    /// process ingested from an attempt begun at or after it is
    /// [`Claim::Done`] (`fresh_since` is read from this machine's clock; a
    /// backend that times attempts by another clock compares the two on
    /// one). A granted claim holds until [`Store::release`], or
    /// until this process or its connection dies. A backend only one
    /// machine writes (SQLite, whose writers queue) grants every claim.
    fn claim(
        &mut self,
        _source: &str,
        _fresh_since: Option<DateTime<Utc>>,
    ) -> Result<Claim, StoreError> {
        Ok(Claim::Granted)
    }

    /// Ends a granted claim, recording when the attempt began.
    fn release(&mut self, _source: &str) -> Result<(), StoreError> {
        Ok(())
    }

    /// Hands everything the store holds to `batch`, a batch at a time, as
    /// one consistent snapshot; articles in the order they were stored.
    /// The counts of that snapshot: what a copy of it must hold, however
    /// much a writer beside it has stored since.
    fn export(
        &mut self,
        batch: &mut dyn FnMut(Vec<Record>) -> Result<(), StoreError>,
    ) -> Result<Counts, StoreError>;

    /// Hands the id of every stored article to `batch`, a few thousand at
    /// a time, in the order they were stored.
    fn article_ids(
        &mut self,
        batch: &mut dyn FnMut(Vec<String>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;

    /// Writes `records` in one transaction: what is missing is added, an
    /// article, upstream key, fetch state, document's validators, seen
    /// page or former name already there takes the record's values, anything else already
    /// there stays (a site page counted already stays as it was counted). Importing the same records
    /// again changes nothing.
    fn import(&mut self, records: &[Record]) -> Result<(), StoreError>;

    /// How many of each thing the store holds.
    fn counts(&mut self) -> Result<Counts, StoreError>;

    /// What messages call the store (its path, or its URL without
    /// password).
    fn label(&self) -> String;

    /// The file the store has open, for a store kept in one (SQLite):
    /// [`StoreFile::check`] tells whether its path still names it. `None`
    /// for a store kept elsewhere.
    fn store_file(&self) -> Option<StoreFile> {
        None
    }

    /// Whether the store's path still names the file it has open
    /// ([`StoreFile::check`]); always for a store kept elsewhere. Nothing
    /// is published from a store file that was deleted or replaced.
    fn check_in_place(&self) -> Result<(), StoreError> {
        self.store_file().map_or(Ok(()), |file| file.check())
    }
}

/// The open write transaction of one source. Dropping it without
/// [`commit`](SourceWriter::commit) rolls everything back. Units (a file, a
/// document) are nested inside it: [`end_unit`](SourceWriter::end_unit)
/// keeps or discards what was written since
/// [`begin_unit`](SourceWriter::begin_unit).
pub trait SourceWriter {
    /// The names this writer's source had before it was renamed
    /// ([`Store::rename_source`]): the entries stored under them are its
    /// own ([`crate::dedup::Fingerprints::named`]).
    fn former_names(&self) -> &[String];

    /// What the store holds under `fingerprints`' exact keys: the upstream
    /// entry of this writer's source, the content key, the canonical link.
    fn known(&mut self, fingerprints: &Fingerprints) -> Result<Known, StoreError>;

    /// The distance the index's body bands are keyed for
    /// ([`Store::rekey_near_index`]).
    fn index_distance(&self) -> u32;

    /// The stored articles filed under one of `keys` (a body band reaches
    /// as far as the index is keyed, [`SourceWriter::index_distance`]):
    /// at most `per_key` newest per key, each once, in the order of the
    /// keys.
    fn candidates_under(
        &mut self,
        keys: &[IndexKey],
        per_key: usize,
    ) -> Result<Vec<Candidate>, StoreError>;

    /// The stored articles that share one of `prints`' lookup keys
    /// ([`NearPrints::lookup_keys`], as the index is keyed): at most
    /// `per_key` newest per key, each once, in the order of the keys.
    fn near_candidates(
        &mut self,
        prints: &NearPrints,
        per_key: usize,
    ) -> Result<Vec<Candidate>, StoreError> {
        let keys = prints.lookup_keys(self.index_distance());
        self.candidates_under(&keys, per_key)
    }

    /// Persists what was decided for one copy. A new article is inserted
    /// with `dates.published` and `dates.updated`; an update replaces the
    /// stored content, keeps id and `published`, and moves `updated`
    /// forward: to `dates.replaced` when the source gave it and it is
    /// later, else to the moment the copy was read
    /// ([`updated_on_replace`]). Either way the article's prints become
    /// the copy's, with the dates its source gave its text
    /// ([`NearPrints::text_dates`]), indexed under their keys.
    /// The copy's exact keys then lead to the decided article, and a
    /// sighting at a new place is recorded, with the fold reason when the
    /// decision has one. Whether a fold was recorded: the copy was folded
    /// into another article, seen at a new place, or a copy not recorded from
    /// its place yet that folds from any place
    /// ([`Decision::folds_at_a_known_place`]: a second copy in its article's
    /// own dump file, another push, a feed's second entry), and whether the
    /// copy filled what the article lacked ([`Recorded`]).
    fn record(&mut self, decided: &Decided) -> Result<Recorded, StoreError>;

    /// The stored article `id` as a re-check of its text weighs it
    /// ([`Settled`]: the prints of its text now, made whole with its body's
    /// paragraph texts, and when it was first seen); `None` when the store
    /// holds no such article (another was merged into it meanwhile).
    fn settled(&mut self, id: &str) -> Result<Option<Settled>, StoreError>;

    /// The stored article the canonical link `link` leads to (the one
    /// first filed under it, or the survivor of a merge of that one), as
    /// an incoming copy with that link finds it ([`SourceWriter::known`]);
    /// `None` when no article is filed under it.
    fn filed_under_link(&mut self, link: &str) -> Result<Option<String>, StoreError>;

    /// Merges two stored articles dedup found to be copies of one story
    /// ([`Merge`]), in this transaction. The survivor keeps its id and
    /// `published`; when [`Merge::takes_text`], it takes the absorbed
    /// article's content and prints (filed under their index keys) as a
    /// copy's replacement does, `updated` moving to the absorbed article's
    /// when a source gave it and it is later, else to `now`
    /// ([`updated_on_replace`]).
    /// Either way, the link, authors or media files the text it ends with
    /// has none of are the other article's, as a fold of the absorbed
    /// article would leave them ([`codec::merged`]).
    /// The absorbed article's sightings join the survivor's (ordered by when
    /// they were first seen, the survivor's first among sightings of one
    /// moment; a place both were seen at keeps the survivor's), its content
    /// keys, canonical links and upstream entries lead to the survivor, and
    /// its folds become the survivor's (one that replaced its text says so
    /// only when the survivor takes that text), followed by the merge itself,
    /// recorded as a fold of the absorbed article (its id and headline,
    /// from where it was first seen, at `now`) by the merge's reason. The
    /// absorbed article then leaves the near-duplicate index and the store;
    /// the survivor is marked as stored at the commit.
    fn merge(&mut self, merge: &Merge, now: DateTime<Utc>) -> Result<(), StoreError>;

    /// The prints of the text the article `id` had when a merge absorbed
    /// it (its own, from before the change in that transaction that
    /// brought the merge about), which the store keeps to undo the merge
    /// ([`SourceWriter::unmerge`]); `None` when no merge absorbed it, it
    /// was absorbed before the store kept such texts, or the merge was
    /// undone.
    fn merged_away(&mut self, id: &str) -> Result<Option<NearPrints>, StoreError>;

    /// Undoes the merge of `unmerge.absorbed` into `unmerge.survivor`, in
    /// this transaction: the article is stored again under its id with the
    /// text, prints and dates it had when it was merged
    /// ([`SourceWriter::merged_away`]), filed under its index keys, marked
    /// as stored at the commit; the writer source's upstream key
    /// `unmerge.entry_key`, its text's content key and its canonical link
    /// (unless the survivor's own) lead to it again, and the survivor's
    /// fold that recorded the merge is gone. The survivor keeps its text,
    /// the sightings and folds it took in. Whether the store kept the text
    /// to restore (when not, nothing is written).
    fn unmerge(&mut self, unmerge: &Unmerge) -> Result<bool, StoreError>;

    /// Starts a unit.
    fn begin_unit(&mut self) -> Result<(), StoreError>;

    /// Keeps (`keep = true`) or discards what was written since
    /// [`begin_unit`](SourceWriter::begin_unit).
    fn end_unit(&mut self, keep: bool) -> Result<(), StoreError>;

    /// False once the backend rolled the whole transaction back on its own
    /// (SQLite does on a full disk): nothing more can be written.
    fn is_open(&self) -> bool;

    /// Keeps `state` as the source's fetch state, in this transaction,
    /// unless the state kept was read by a fetch that began later
    /// ([`Store::put_fetch_state`]).
    fn put_fetch_state(&mut self, state: &FetchState) -> Result<(), StoreError>;

    /// Whether the source's text the store keeps was read by a fetch that
    /// began after `began` ([`FetchState::read_began`]): another process
    /// fetched the source later and folded first, so what this writer folds
    /// from a fetch begun at `began` is older than what is stored. Judged
    /// on one clock (the database server's for a backend many machines
    /// write); a kept moment ahead of that clock tells nothing.
    fn read_later_than(&mut self, began: DateTime<Utc>) -> Result<bool, StoreError>;

    /// Keeps `documents` as the validators of the documents this writer's
    /// source's document leads to, in this transaction, in place of all
    /// kept before: a document left out keeps none (no longer listed, or
    /// to be fetched whole next time).
    fn put_document_validators(&mut self, documents: &DocumentValidators)
    -> Result<(), StoreError>;

    /// Remembers that this writer's source read `page` at its version,
    /// with its validators (replacing what it had), so it is not fetched
    /// again while the version stays the same, and is fetched
    /// conditionally when it moves on.
    fn remember_page(&mut self, page: &SeenPage) -> Result<(), StoreError>;

    /// For each of `keys` (paragraph keys), on how many pages of `site`
    /// counted before `page` it appeared: every counted page when `page`
    /// itself was never counted, so reading a page again gives the same
    /// answer. Keys on no such page are left out.
    fn site_paragraph_counts(
        &mut self,
        site: &str,
        page: &str,
        keys: &[Key],
    ) -> Result<HashMap<Key, u32>, StoreError>;

    /// Whether `page` is counted among the pages of `site`.
    fn site_page_counted(&mut self, site: &str, page: &str) -> Result<bool, StoreError>;

    /// Counts `page` as the next page of `site`, printing the paragraphs
    /// `keys`; a page counted already stays as it was counted. Only the
    /// newest [`SITE_PAGES_KEPT`] pages of a site stay counted: the older
    /// ones and their paragraphs are forgotten.
    fn count_site_page(&mut self, site: &str, page: &str, keys: &[Key]) -> Result<(), StoreError>;

    /// Makes everything written in this transaction durable at once, every
    /// article it stored or changed (inserted, text replaced, what it
    /// lacked filled) marked as stored at the moment `clock` tells once
    /// all else is written, just before the commit (on PostgreSQL, moved
    /// onto the database server's clock and rounded up to a whole second,
    /// so workers whose clocks differ stamp on one clock): from then on
    /// [`Store::feed_entries`] lists them `since`, however long before it
    /// the copies were folded and whatever the commit had to do first.
    fn commit(self: Box<Self>, clock: &dyn Fn() -> DateTime<Utc>) -> Result<(), StoreError>;
}

/// What other processes committed, as a backend announces it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changed {
    /// New or changed articles that these sources carry (an article
    /// updated through one source is carried by every source that sighted
    /// it).
    Sources(Vec<String>),
    /// Something changed, from sources not known: a poll noticed it, or
    /// the feed reconnected and may have missed announcements.
    Unknown,
}

/// The changes other processes commit to one store, as they happen
/// (`feedfold serve` republishes on each).
pub trait Changes: Send {
    /// Waits up to `timeout` for changes; `None` when none came.
    fn wait(&mut self, timeout: Duration) -> Result<Option<Changed>, StoreError>;
}

/// The change feed of the store at `location`, when its backend has one
/// (PostgreSQL). SQLite's writers share one machine and one feeds folder,
/// whose files `serve` watches instead.
pub fn watch(location: &StoreLocation) -> Result<Option<Box<dyn Changes>>, StoreError> {
    Ok(match location {
        StoreLocation::Sqlite(_) => None,
        StoreLocation::Postgres(url) => Some(Box::new(postgres::PgChanges::open(url)?)),
    })
}

/// Opens the store the config names, creating it if needed and bringing its
/// schema up to date. A new SQLite store is made no more readable than the
/// config file ([`mode_for_what`]), whose secrets (a feed URL's password)
/// it holds.
pub fn open(config: &Config) -> Result<Box<dyn Store>, StoreError> {
    open_new_as(&config.store, mode_for_what(&config.file))
}

/// The mode for a new SQLite store that holds what `file` does: read and
/// write for each class of users (owner, group, others) who may read
/// `file`, nothing for the others; the umask applies as to any new file.
/// When `file`'s mode cannot be read, that of any new file (`0666`).
pub fn mode_for_what(file: &Path) -> u32 {
    let Ok(metadata) = std::fs::metadata(file) else {
        return 0o666;
    };
    let readable = metadata.permissions().mode();
    [6, 3, 0]
        .into_iter()
        .filter(|shift| readable & (0o4 << shift) != 0)
        .fold(0, |mode, shift| mode | 0o6 << shift)
}

/// Opens the store at `location` for a command that reads what a store
/// holds (`sources`, the source of `store copy`): as [`open_at`], but a SQLite
/// file that does not exist is [`StoreError::Missing`], an empty one
/// [`StoreError::Empty`], a SQLite database with no table yet
/// [`StoreError::Blank`], and a PostgreSQL database without feedfold's
/// schema [`StoreError::Absent`], and nothing is created or written; a
/// SQLite file this process may not write is opened to read only.
pub fn open_existing(location: &StoreLocation) -> Result<Box<dyn Store>, StoreError> {
    match location {
        StoreLocation::Sqlite(path) => match no_sqlite_store(path) {
            Some(none) => Err(none),
            None if !sqlite::SqliteStore::writable(path) => {
                Ok(Box::new(sqlite::SqliteStore::open_read_only(path)?))
            }
            None => open_at(location),
        },
        StoreLocation::Postgres(url) => Ok(Box::new(postgres::PgStore::open_existing(url)?)),
    }
}

/// Opens the store at `location` to read it only (`dups`): as
/// [`open_existing`], but a SQLite file is always opened to read only, so
/// nothing is created beside it and a store of an older schema is refused
/// rather than converted.
pub fn open_to_read(location: &StoreLocation) -> Result<Box<dyn Store>, StoreError> {
    match location {
        StoreLocation::Sqlite(path) => match no_sqlite_store(path) {
            Some(none) => Err(none),
            None => Ok(Box::new(sqlite::SqliteStore::open_read_only(path)?)),
        },
        StoreLocation::Postgres(_) => open_existing(location),
    }
}

/// Why there is no SQLite store at `path` for a command that only reads:
/// no file there ([`StoreError::Missing`]), or an empty one
/// ([`StoreError::Empty`]) or a database that holds nothing yet
/// ([`StoreError::Blank`]), which `run` would make the store in as it
/// would in a missing one.
fn no_sqlite_store(path: &Path) -> Option<StoreError> {
    let path = path.to_path_buf();
    match std::fs::metadata(&path) {
        Ok(file) if file.is_file() && file.len() == 0 => Some(StoreError::Empty { path }),
        Ok(file) if file.is_file() && sqlite::SqliteStore::holds_nothing(&path) => {
            Some(StoreError::Blank { path })
        }
        Ok(file) if file.is_file() => None,
        _ => Some(StoreError::Missing { path }),
    }
}

/// Opens the store at `location`, creating it if needed and bringing its
/// schema up to date.
pub fn open_at(location: &StoreLocation) -> Result<Box<dyn Store>, StoreError> {
    open_new_as(location, 0o666)
}

/// [`open_at`], a new SQLite store file being made with `mode` (less the
/// umask).
pub fn open_new_as(location: &StoreLocation, mode: u32) -> Result<Box<dyn Store>, StoreError> {
    Ok(match location {
        StoreLocation::Sqlite(path) => Box::new(sqlite::SqliteStore::open_new_as(path, mode)?),
        StoreLocation::Postgres(url) => Box::new(postgres::PgStore::open(url)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_read_once_the_clock_is_right_does_not_keep_a_date_stamped_ahead() {
        let (published, now) = (1_000_000, 2_000_000);
        let three_days_ahead = now + 3 * 86_400;
        // First seen, then edited under a clock three days ahead: both
        // stamps are that clock's.
        let edit = |updated| updated_on_replace(updated, published, now, false, now);
        assert_eq!(edit(three_days_ahead), now);
        // Workers' clocks that differ by moments never date an edit back.
        assert_eq!(edit(now + 90), now + 90);
        assert_eq!(edit(now - 90), now);
        // Never before the publication date.
        assert_eq!(
            updated_on_replace(three_days_ahead, now + 600, now, false, now),
            now + 600
        );
        // A source's own update date, before the stamp, dates the edit
        // when it is read.
        assert_eq!(
            updated_on_replace(three_days_ahead, published, now - 600, true, now),
            now
        );
    }

    #[test]
    fn an_article_first_seen_under_a_clock_ahead_is_dated_when_edited_once_it_is_right() {
        let now = 2_000_000;
        let first_seen_ahead = now + 200 * 86_400;
        // Undated, dated only when first seen, ahead: an undated edit
        // dates it now.
        let published = published_on_replace(first_seen_ahead, true, true, None, now);
        assert_eq!(published, now);
        assert_eq!(
            updated_on_replace(first_seen_ahead, published, now, false, now),
            now
        );
        // A date a source gave stays, as does a first sighting within a day.
        assert_eq!(
            published_on_replace(first_seen_ahead, false, false, None, now),
            first_seen_ahead
        );
        // A row from before the prints marked undated articles, dated
        // when first seen, ahead: dated now too.
        assert_eq!(
            published_on_replace(first_seen_ahead, false, true, None, now),
            now
        );
        assert_eq!(
            published_on_replace(now + 600, true, true, None, now),
            now + 600
        );
        assert_eq!(
            published_on_replace(now - 600, true, true, None, now),
            now - 600
        );
    }

    #[test]
    fn an_undated_article_takes_the_date_a_copy_of_its_story_gives() {
        let (first_seen, given) = (2_000_000, 2_000_000 - 60 * 86_400);
        // Folded without replacing the text: the copy's date is its
        // `published`; `updated` stays, the text being the same.
        assert_eq!(date_from_copy(true, Some(given)), Some(given));
        assert_eq!(updated_when_dated(first_seen, given), first_seen);
        // Never before the new `published` (a story read before its date).
        assert_eq!(
            updated_when_dated(first_seen, first_seen + 600),
            first_seen + 600
        );
        // An undated copy gives none; a dated article keeps its own.
        assert_eq!(date_from_copy(true, None), None);
        assert_eq!(date_from_copy(false, Some(given)), None);
        // Replacing the text: the copy's date too, over the clock-ahead rule.
        let ahead = first_seen + 200 * 86_400;
        assert_eq!(
            published_on_replace(ahead, true, true, Some(given), first_seen),
            given
        );
        assert_eq!(
            published_on_replace(first_seen, false, false, Some(given), first_seen),
            first_seen
        );
        // The text left is undated only when both were.
        assert!(undated_on_replace(true, true));
        assert!(!undated_on_replace(true, false));
        assert!(!undated_on_replace(false, true));
    }

    #[test]
    fn an_undated_survivor_of_a_merge_takes_the_other_article_s_date() {
        let (survivor, absorbed) = (2_000_000, 1_000_000);
        assert_eq!(
            published_on_merge((survivor, true), (absorbed, false)),
            (absorbed, false)
        );
        // A dated survivor keeps its own; an undated other gives none.
        assert_eq!(
            published_on_merge((survivor, false), (absorbed, false)),
            (survivor, false)
        );
        assert_eq!(
            published_on_merge((survivor, false), (absorbed, true)),
            (survivor, false)
        );
        assert_eq!(
            published_on_merge((survivor, true), (absorbed, true)),
            (survivor, true)
        );
        // Dated afresh: an undated survivor, with its text or the other's,
        // and a dated one that takes an undated text (its prints say so).
        for takes_text in [false, true] {
            assert_eq!(
                redated_on_merge((survivor, true), (absorbed, false), takes_text),
                Some(absorbed)
            );
            assert_eq!(
                redated_on_merge((survivor, true), (absorbed, true), takes_text),
                None
            );
            assert_eq!(
                redated_on_merge((survivor, false), (absorbed, false), takes_text),
                None
            );
        }
        assert_eq!(
            redated_on_merge((survivor, false), (absorbed, true), true),
            Some(survivor)
        );
        assert_eq!(
            redated_on_merge((survivor, false), (absorbed, true), false),
            None
        );
    }

    #[test]
    fn a_replacement_moves_updated_forward_to_the_source_date_or_the_moment_it_was_read() {
        let (published, stored, now) = (1_000_000, 1_050_000, 2_000_000);
        // A source's update date later than the stored one is the edit's.
        assert_eq!(
            updated_on_replace(stored, published, stored + 60, true, now),
            stored + 60
        );
        // One before it (a copy dated earlier than the one seen first, or
        // dated as the stored text is) dates the edit when it was read:
        // `updated` never stays, nor goes back.
        for earlier in [published + 60, stored] {
            assert_eq!(
                updated_on_replace(stored, published, earlier, true, now),
                now
            );
        }
        // An undated copy's replacement is dated when it was read.
        assert_eq!(updated_on_replace(stored, published, now, false, now), now);
        // So is a merge taking a text whose date is before the survivor's.
        let dated = |published, updated| Dated {
            published,
            updated,
            first_seen: published,
            changed: None,
        };
        assert_eq!(
            updated_on_merge(dated(stored, stored), dated(published, published + 60), now),
            now
        );
        assert_eq!(
            updated_on_merge(dated(published, published), dated(published, stored), now),
            stored
        );
    }

    #[test]
    fn a_new_store_is_no_more_readable_than_the_file_it_holds_the_secrets_of() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config.toml");
        std::fs::write(&config, "").unwrap();
        for (config_mode, store_mode) in [
            (0o600, 0o600),
            (0o400, 0o600),
            (0o640, 0o660),
            (0o644, 0o666),
            (0o604, 0o606),
        ] {
            std::fs::set_permissions(&config, std::fs::Permissions::from_mode(config_mode))
                .unwrap();
            assert_eq!(mode_for_what(&config), store_mode, "{config_mode:o}");
        }
        assert_eq!(mode_for_what(&dir.path().join("none.toml")), 0o666);
    }

    #[test]
    fn an_empty_file_is_no_store_to_a_command_that_reads_and_is_left_empty() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("empty.db");
        std::fs::write(&path, b"").unwrap();
        let location = StoreLocation::Sqlite(path.clone());
        for opened in [open_existing(&location), open_to_read(&location)] {
            let err = opened.err().expect("no store");
            assert!(matches!(err, StoreError::Empty { .. }), "{err}");
            assert!(err.is_missing(), "{err}");
        }
        let listed: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(listed.len(), 1, "nothing is made beside it");
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
        let gone = StoreLocation::Sqlite(dir.path().join("gone.db"));
        let err = open_to_read(&gone).err().expect("no store");
        assert!(matches!(err, StoreError::Missing { .. }), "{err}");
        // A command that writes makes the store in it.
        open_at(&location).expect("made in the empty file");
        assert!(open_to_read(&location).is_ok());
    }

    #[test]
    fn a_database_without_tables_is_no_store_yet_to_a_command_that_reads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("blank.db");
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE t(x); DROP TABLE t; VACUUM;")
            .unwrap();
        drop(conn);
        let blank = std::fs::read(&path).unwrap();
        let location = StoreLocation::Sqlite(path.clone());
        for opened in [open_existing(&location), open_to_read(&location)] {
            let err = opened.err().expect("no store");
            assert!(err.is_missing(), "{err}");
            assert!(
                err.to_string().contains("holds no feedfold store yet"),
                "{err}"
            );
        }
        assert_eq!(std::fs::read(&path).unwrap(), blank, "left as it is");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        // Another application's tables stay foreign.
        let other = dir.path().join("other.db");
        rusqlite::Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE notes(x);")
            .unwrap();
        let err = open_to_read(&StoreLocation::Sqlite(other))
            .err()
            .expect("foreign");
        assert!(matches!(err, StoreError::Foreign { .. }), "{err}");
        // A command that writes makes the store in it.
        open_at(&location).expect("made in the blank database");
        assert!(open_to_read(&location).is_ok());
    }

    fn seen(location: &str) -> Sighting {
        Sighting {
            source: "s".into(),
            location: location.into(),
            line: 1,
            first_seen: Utc::now(),
        }
    }

    fn fold(article: i64) -> (i64, FoldedCopy) {
        let copy = FoldedCopy {
            article_id: format!("article {article}"),
            article_title: String::new(),
            article_seen: None,
            copy_id: format!("copy of {article}"),
            copy_title: String::new(),
            rule: "exact".into(),
            distance: None,
            replaced: None,
            evidence: None,
            seen: seen("copy.txt"),
            merged: false,
        };
        (article, copy)
    }

    #[test]
    fn folds_get_their_articles_first_sightings_a_few_hundred_articles_a_query() {
        // Two folds into each of 1,201 articles, the last without sightings.
        let folds: Vec<_> = (0..1201).chain(0..1201).map(fold).collect();
        let mut queries = Vec::new();
        let listed = with_first_sightings(folds, |seqs| {
            queries.push(seqs.len());
            Ok(seqs
                .iter()
                .filter(|&&seq| seq != 1200)
                .map(|&seq| (seq, vec![seen(&format!("first {seq}")), seen("later")]))
                .collect())
        })
        .unwrap();
        assert_eq!(queries, [500, 500, 201]);
        assert_eq!(listed.len(), 2402);
        for (i, fold) in listed.iter().enumerate() {
            let article = (i % 1201) as i64;
            assert_eq!(
                fold.copy_id,
                format!("copy of {article}"),
                "the order is kept"
            );
            let expected = (article != 1200).then(|| format!("first {article}"));
            assert_eq!(
                fold.article_seen.as_ref().map(|s| s.location.clone()),
                expected
            );
        }
    }
}

//! The store: embedded SQLite in WAL mode, the truth every feed is rendered
//! from. `schema` holds the migrations, `write` the per-source transaction
//! that folds articles in, `near` the near-duplicate prints, their index and
//! the candidate lookup, `read` the queries publishing and `feedfold dups`
//! need, and `fetch_state` the validators and backoff of upstream sources.
//!
//! Writes happen in one transaction per source (`BEGIN IMMEDIATE`, so two
//! writers queue instead of deadlocking, with a busy timeout), with a
//! savepoint per file so a bad file leaves nothing behind while the rest of
//! its source still lands.

mod fetch_state;
mod near_index;
mod read;
mod schema;
mod write;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, TransactionBehavior};
use thiserror::Error;

pub use fetch_state::{FetchState, backoff_delay};
pub use read::{Fold, Sighting};
pub use write::{Folded, SourceBatch};

use crate::dedup::NearPrints;
use crate::dedup::near_rules::{NearConfig, Verdict};
use schema::MIGRATIONS;

/// The first migration that keeps near-duplicate prints.
const NEAR_MIGRATION: usize = 3;

/// How long a writer waits for another process's transaction to finish
/// before the store reports itself busy.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// A store operation failed; the message names the database file.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("{path}: cannot create the store's folder: {source}")]
    CreateDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error(
        "{path}: the store has schema version {found}, newer than this feedfold knows ({known}); upgrade feedfold"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: usize,
    },
    #[error("{path}: corrupt row for article {id}: {message}")]
    Corrupt {
        path: PathBuf,
        id: String,
        message: String,
    },
}

impl StoreError {
    /// A row of the store at `path`, belonging to `id`, that cannot be
    /// decoded.
    fn corrupt(path: &Path, id: &str, message: String) -> StoreError {
        StoreError::Corrupt {
            path: path.to_path_buf(),
            id: id.to_string(),
            message,
        }
    }
}

/// Attaches the store's path to a SQLite error.
trait At<T> {
    fn at(self, path: &Path) -> Result<T, StoreError>;
}

impl<T> At<T> for rusqlite::Result<T> {
    fn at(self, path: &Path) -> Result<T, StoreError> {
        self.map_err(|source| StoreError::Sqlite {
            path: path.to_path_buf(),
            source,
        })
    }
}

/// The store, with one connection.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// The near-duplicate thresholds every batch folds with; `None` folds
    /// exact repeats only.
    near: Option<NearConfig>,
}

/// JSON text of a value that cannot fail to serialize (strings, plain structs).
fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("plain data serializes")
}

fn from_json<T: serde::de::DeserializeOwned>(field: &str, text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| format!("bad {field}: {e}"))
}

/// Timestamps are stored as RFC 3339 in UTC with whole seconds, which sort
/// as text in time order.
fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn parse_timestamp(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|e| format!("bad date {text:?}: {e}"))
}

impl Store {
    /// Opens (creating if needed) the store at `path` and brings its schema
    /// up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let conn = Connection::open(path).at(path)?;
        Store::init(conn, path.to_path_buf())
    }

    /// A private store in memory, for tests.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        let path = PathBuf::from(":memory:");
        let conn = Connection::open_in_memory().at(&path)?;
        Store::init(conn, path)
    }

    fn init(conn: Connection, path: PathBuf) -> Result<Store, StoreError> {
        let mut store = Store {
            conn,
            path,
            near: Some(NearConfig::default()),
        };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    fn configure(&self) -> Result<(), StoreError> {
        self.conn.busy_timeout(BUSY_TIMEOUT).at(&self.path)?;
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .at(&self.path)?;
        if mode != "wal" && mode != "memory" {
            tracing::warn!(store = %self.path.display(), mode, "store could not switch to WAL mode");
        }
        self.conn
            .pragma_update(None, "synchronous", "NORMAL")
            .at(&self.path)?;
        self.conn
            .pragma_update(None, "foreign_keys", true)
            .at(&self.path)
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .at(&path)?;
        let version: i64 = tx
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .at(&path)?;
        if version as usize > MIGRATIONS.len() {
            return Err(StoreError::TooNew {
                path,
                found: version,
                known: MIGRATIONS.len(),
            });
        }
        for (done, migration) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.execute_batch(migration).at(&path)?;
            tx.pragma_update(None, "user_version", (done + 1) as i64)
                .at(&path)?;
        }
        if (version as usize) < NEAR_MIGRATION {
            let indexed = near_index::index_all(&tx, &path)?;
            if indexed > 0 {
                tracing::info!(store = %path.display(), indexed, "near-duplicate prints taken for the stored articles");
            }
        }
        tx.commit().at(&path)
    }

    /// Sets how later batches fold near-duplicates (`None`: exact repeats
    /// only; the default is [`NearConfig::default`]). When the distance
    /// differs from the one the store's index was cut for, the body bands
    /// of every stored article are cut afresh first.
    pub fn set_near(&mut self, near: Option<NearConfig>) -> Result<(), StoreError> {
        if let Some(config) = &near {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .at(&self.path)?;
            let current = near_index::index_distance(&tx, &self.path)?;
            if current != config.max_distance {
                tracing::info!(
                    store = %self.path.display(),
                    from = current,
                    to = config.max_distance,
                    "re-indexing near-duplicate bands for the new max_distance"
                );
                near_index::rebuild_bands(&tx, &self.path, config.max_distance)?;
            }
            tx.commit().at(&self.path)?;
        }
        self.near = near;
        Ok(())
    }

    /// The stored article that `prints` would fold into as a near-duplicate,
    /// and the verdict; `None` when near-duplicate folding is off or no
    /// candidate is the same story. Reads only: the lookup a fold makes.
    pub fn near_match(&self, prints: &NearPrints) -> Result<Option<(String, Verdict)>, StoreError> {
        match &self.near {
            Some(config) => {
                let k = near_index::index_distance(&self.conn, &self.path)?;
                near_index::best_match(&self.conn, &self.path, prints, k, config)
            }
            None => Ok(None),
        }
    }

    /// The path the store lives at.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Starts the write transaction for one source.
    pub fn source_batch(&mut self, source: &str) -> Result<SourceBatch<'_>, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .at(&self.path)?;
        SourceBatch::new(tx, source, &self.path, self.near)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_store_uses_wal_and_schema_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/feedfold.db");
        let store = Store::open(&path).unwrap();
        let mode: String = store
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let version: i64 = store
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version as usize, MIGRATIONS.len());
        drop(store);
        Store::open(&path).expect("reopening an up-to-date store works");
    }

    #[test]
    fn migrations_run_from_any_earlier_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(MIGRATIONS[0]).unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
        }
        let store = Store::open(&path).unwrap();
        let tables: i64 = store
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'fetch_state'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(tables, 1);
    }

    #[test]
    fn articles_stored_before_near_folding_get_their_prints() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v2.db");
        let body = r#"[{"kind":"paragraph","text":"Volunteers counted more than four hundred wading birds on the Ashby marshes at the weekend, the highest winter total since records began in 1987, and organisers said mild weather had drawn flocks back."}]"#;
        {
            let conn = Connection::open(&path).unwrap();
            for migration in &MIGRATIONS[..2] {
                conn.execute_batch(migration).unwrap();
            }
            conn.pragma_update(None, "user_version", 2).unwrap();
            conn.execute(
                "INSERT INTO articles (id, title, published, updated, first_seen, captions, body, authors, categories) \
                 VALUES ('old', 'Record Count of Wading Birds', '2026-01-05T09:00:00Z', '2026-01-05T09:00:00Z', \
                 '2026-01-05T09:00:00Z', '[]', ?, '[]', '[]')",
                [body],
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let stored = store.article("old").unwrap().unwrap();
        let prints = NearPrints::of_stored(&stored);
        let (id, verdict) = store.near_match(&prints).unwrap().unwrap();
        assert_eq!((id.as_str(), verdict.rule.as_str()), ("old", "exact"));
        let kept: String = store
            .conn
            .query_row(
                "SELECT prints FROM near_prints WHERE article_id = 'old'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(serde_json::from_str::<NearPrints>(&kept).unwrap(), prints);
    }

    #[test]
    fn newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "user_version", 99).unwrap();
        }
        let err = Store::open(&path).err().unwrap().to_string();
        assert!(err.contains("schema version 99"), "{err}");
    }
}

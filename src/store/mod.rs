//! The store: embedded SQLite in WAL mode, the truth every feed is rendered
//! from. `schema` holds the migrations, `write` the per-source transaction
//! that folds articles in, `read` the queries publishing needs, and
//! `fetch_state` the validators and backoff of upstream sources.
//!
//! Writes happen in one transaction per source (`BEGIN IMMEDIATE`, so two
//! writers queue instead of deadlocking, with a busy timeout), with a
//! savepoint per file so a bad file leaves nothing behind while the rest of
//! its source still lands.

mod fetch_state;
mod read;
mod schema;
mod write;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, TransactionBehavior};
use thiserror::Error;

pub use fetch_state::{FetchState, backoff_delay};
pub use read::Sighting;
pub use write::{Folded, SourceBatch};

use schema::MIGRATIONS;

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
        let mut store = Store { conn, path };
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
        tx.commit().at(&path)
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
        Ok(SourceBatch::new(tx, source, &self.path))
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

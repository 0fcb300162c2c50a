//! The store: embedded SQLite in WAL mode, the truth every feed is rendered
//! from. Schema changes are numbered migrations tracked in `user_version`.
//! Writes happen in one transaction per source (`BEGIN IMMEDIATE`, so two
//! writers queue instead of deadlocking), with a savepoint per file so a bad
//! file leaves nothing behind while the rest of its source still lands.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use thiserror::Error;

use crate::dedup::{self, Decision, Fingerprints};
use crate::model::{Article, StoredArticle};

/// How long a writer waits for another process's transaction to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Schema migrations, applied in order; `user_version` is how many ran.
const MIGRATIONS: &[&str] = &[r#"
CREATE TABLE articles (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    published   TEXT NOT NULL,  -- RFC 3339, UTC, whole seconds
    updated     TEXT NOT NULL,
    first_seen  TEXT NOT NULL,
    captions    TEXT NOT NULL,  -- JSON array of {text, credit, image}
    body        TEXT NOT NULL,  -- JSON array of {kind, text}
    link        TEXT,
    authors     TEXT NOT NULL,  -- JSON array of names
    categories  TEXT NOT NULL,  -- JSON array of terms
    summary     TEXT,
    content_html TEXT           -- sanitized upstream HTML; NULL renders from body
) WITHOUT ROWID;
CREATE INDEX articles_by_published ON articles (published DESC, id);

-- Every exact content key ever seen, and the article it belongs to.
CREATE TABLE content_keys (
    key         BLOB PRIMARY KEY,
    article_id  TEXT NOT NULL REFERENCES articles (id)
) WITHOUT ROWID;

-- Every place an article was seen.
CREATE TABLE sightings (
    article_id  TEXT NOT NULL REFERENCES articles (id),
    source      TEXT NOT NULL,
    location    TEXT NOT NULL,
    line        INTEGER NOT NULL,
    first_seen  TEXT NOT NULL,
    PRIMARY KEY (article_id, source, location)
) WITHOUT ROWID;
CREATE INDEX sightings_by_source ON sightings (source, article_id);
"#];

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

/// What folding one article into the store did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folded {
    pub decision: Decision,
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

fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
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
        let conn = Connection::open(path).map_err(|source| StoreError::Sqlite {
            path: path.to_path_buf(),
            source,
        })?;
        Store::init(conn, path.to_path_buf())
    }

    /// A private store in memory, for tests and `parse`-like dry runs.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        let conn = Connection::open_in_memory().map_err(|source| StoreError::Sqlite {
            path: PathBuf::from(":memory:"),
            source,
        })?;
        Store::init(conn, PathBuf::from(":memory:"))
    }

    fn init(conn: Connection, path: PathBuf) -> Result<Store, StoreError> {
        let mut store = Store { conn, path };
        store.configure().map_err(|e| store.err(e))?;
        store.migrate()?;
        Ok(store)
    }

    fn err(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    fn configure(&self) -> rusqlite::Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        if mode != "wal" && mode != "memory" {
            tracing::warn!(store = %self.path.display(), mode, "store could not switch to WAL mode");
        }
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        self.conn.pragma_update(None, "foreign_keys", true)?;
        Ok(())
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let path = self.path.clone();
        let wrap = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(wrap)?;
        let version: i64 = tx
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(wrap)?;
        if version as usize > MIGRATIONS.len() {
            return Err(StoreError::TooNew {
                path,
                found: version,
                known: MIGRATIONS.len(),
            });
        }
        for (done, migration) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.execute_batch(migration).map_err(wrap)?;
            tx.pragma_update(None, "user_version", (done + 1) as i64)
                .map_err(wrap)?;
        }
        tx.commit().map_err(wrap)
    }

    /// The path the store lives at.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Starts the write transaction for one source.
    pub fn source_batch(&mut self, source: &str) -> Result<SourceBatch<'_>, StoreError> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|source| StoreError::Sqlite {
                path: path.clone(),
                source,
            })?;
        Ok(SourceBatch {
            tx,
            source: source.to_string(),
            path,
        })
    }

    /// The newest articles seen in any of `sources` (all sources when
    /// `None`), newest first, ties broken by id so the order is stable.
    pub fn feed_entries(
        &self,
        sources: Option<&[String]>,
        limit: usize,
    ) -> Result<Vec<StoredArticle>, StoreError> {
        let mut sql = String::from(
            "SELECT id, title, published, updated, captions, body, link, authors, categories, summary, content_html FROM articles a",
        );
        let mut args: Vec<&dyn rusqlite::ToSql> = Vec::new();
        if let Some(sources) = sources {
            let marks = vec!["?"; sources.len()].join(", ");
            sql.push_str(&format!(
                " WHERE EXISTS (SELECT 1 FROM sightings s WHERE s.article_id = a.id AND s.source IN ({marks}))"
            ));
            args.extend(sources.iter().map(|s| s as &dyn rusqlite::ToSql));
        }
        sql.push_str(" ORDER BY published DESC, id LIMIT ?");
        let limit = limit as i64;
        args.push(&limit);
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(args.as_slice(), |row| {
                Ok(RawRow {
                    id: row.get(0)?,
                    title: row.get(1)?,
                    published: row.get(2)?,
                    updated: row.get(3)?,
                    captions: row.get(4)?,
                    body: row.get(5)?,
                    link: row.get(6)?,
                    authors: row.get(7)?,
                    categories: row.get(8)?,
                    summary: row.get(9)?,
                    content_html: row.get(10)?,
                })
            })
            .map_err(|e| self.err(e))?;
        let mut entries = Vec::new();
        for row in rows {
            let row = row.map_err(|e| self.err(e))?;
            entries.push(row.decode(&self.path)?);
        }
        Ok(entries)
    }

    /// How many articles the store holds.
    pub fn article_count(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row("SELECT count(*) FROM articles", [], |row| row.get(0))
            .map_err(|e| self.err(e))
    }

    /// Every place an article was seen, as (source, location, line).
    pub fn sightings(&self, id: &str) -> Result<Vec<(String, String, i64)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT source, location, line FROM sightings WHERE article_id = ? ORDER BY first_seen, source, location",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }
}

struct RawRow {
    id: String,
    title: String,
    published: String,
    updated: String,
    captions: String,
    body: String,
    link: Option<String>,
    authors: String,
    categories: String,
    summary: Option<String>,
    content_html: Option<String>,
}

impl RawRow {
    fn decode(self, path: &Path) -> Result<StoredArticle, StoreError> {
        let corrupt = |message: String| StoreError::Corrupt {
            path: path.to_path_buf(),
            id: self.id.clone(),
            message,
        };
        let date = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .map(|d| d.with_timezone(&Utc))
                .map_err(|e| corrupt(format!("bad date {s:?}: {e}")))
        };
        Ok(StoredArticle {
            published: date(&self.published)?,
            updated: date(&self.updated)?,
            captions: from_json("captions", &self.captions).map_err(corrupt)?,
            body: from_json("body", &self.body).map_err(corrupt)?,
            authors: from_json("authors", &self.authors).map_err(corrupt)?,
            categories: from_json("categories", &self.categories).map_err(corrupt)?,
            title: self.title,
            link: self.link,
            summary: self.summary,
            content_html: self.content_html,
            id: self.id,
        })
    }
}

fn from_json<T: serde::de::DeserializeOwned>(field: &str, text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| format!("bad {field}: {e}"))
}

/// The open write transaction of one source. Dropping it without
/// [`SourceBatch::commit`] rolls everything back.
pub struct SourceBatch<'a> {
    tx: rusqlite::Transaction<'a>,
    source: String,
    path: PathBuf,
}

impl SourceBatch<'_> {
    fn err(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// Marks the start of one file: [`SourceBatch::end_file`] keeps or
    /// discards everything folded after it.
    pub fn begin_file(&mut self) -> Result<(), StoreError> {
        self.tx
            .execute_batch("SAVEPOINT file")
            .map_err(|e| self.err(e))
    }

    /// Keeps (`keep = true`) or discards what was folded since
    /// [`SourceBatch::begin_file`].
    pub fn end_file(&mut self, keep: bool) -> Result<(), StoreError> {
        let sql = if keep {
            "RELEASE file"
        } else {
            "ROLLBACK TO file; RELEASE file"
        };
        self.tx.execute_batch(sql).map_err(|e| self.err(e))
    }

    /// Folds one article into the store: a new article is inserted with its
    /// id and dates; a known one only gains a sighting.
    pub fn fold(&mut self, article: &Article, now: DateTime<Utc>) -> Result<Folded, StoreError> {
        let fingerprints = Fingerprints::of(article);
        let known: Option<String> = self
            .tx
            .prepare_cached("SELECT article_id FROM content_keys WHERE key = ?")
            .and_then(|mut stmt| {
                stmt.query_row([&fingerprints.content_key[..]], |row| row.get(0))
                    .optional()
            })
            .map_err(|e| self.err(e))?;
        let decision = dedup::decide(&fingerprints, known);
        let now_text = timestamp(now);
        if let Decision::New { id } = &decision {
            self.insert_article(id, article, &fingerprints, &now_text)?;
        }
        self.tx
            .prepare_cached(
                "INSERT OR IGNORE INTO sightings (article_id, source, location, line, first_seen) VALUES (?, ?, ?, ?, ?)",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    decision.id(),
                    self.source,
                    article.origin.location,
                    article.origin.line as i64,
                    now_text
                ])
            })
            .map_err(|e| self.err(e))?;
        Ok(Folded { decision })
    }

    fn insert_article(
        &self,
        id: &str,
        article: &Article,
        fingerprints: &Fingerprints,
        now: &str,
    ) -> Result<(), StoreError> {
        let published = article.published.map(timestamp);
        let published = published.as_deref().unwrap_or(now);
        let updated = article.updated.map(timestamp);
        let updated = updated.as_deref().unwrap_or(published).max(published);
        self.tx
            .prepare_cached(
                "INSERT INTO articles (id, title, published, updated, first_seen, captions, body, link, authors, categories, summary, content_html) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    id,
                    article.title,
                    published,
                    updated,
                    now,
                    to_json(&article.captions),
                    to_json(&article.body),
                    article.link,
                    to_json(&article.authors),
                    to_json(&article.categories),
                    article.summary,
                    article.content_html,
                ])
            })
            .map_err(|e| self.err(e))?;
        self.tx
            .prepare_cached("INSERT INTO content_keys (key, article_id) VALUES (?, ?)")
            .and_then(|mut stmt| stmt.execute(params![&fingerprints.content_key[..], id]))
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Makes everything folded in this batch durable at once.
    pub fn commit(self) -> Result<(), StoreError> {
        let path = self.path;
        self.tx
            .commit()
            .map_err(|source| StoreError::Sqlite { path, source })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, Caption, Origin};

    fn article(title: &str, para: &str, location: &str) -> Article {
        Article {
            title: title.into(),
            published: None,
            captions: vec![Caption::credited("A photo", "AP")],
            body: vec![Block::paragraph(para)],
            origin: Origin {
                location: location.into(),
                line: 3,
            },
            ..Default::default()
        }
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-28T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn repeat_is_stored_once_with_every_sighting() {
        let mut store = Store::open_in_memory().unwrap();
        let mut batch = store.source_batch("s1").unwrap();
        let first = batch.fold(&article("T", "Body.", "a.txt"), now()).unwrap();
        let again = batch.fold(&article("t", "BODY.", "b.txt"), now()).unwrap();
        batch.commit().unwrap();
        assert!(matches!(first.decision, Decision::New { .. }));
        assert_eq!(
            again.decision,
            Decision::Repeat {
                id: first.decision.id().into()
            }
        );
        assert_eq!(store.article_count().unwrap(), 1);
        let places = store.sightings(first.decision.id()).unwrap();
        assert_eq!(places.len(), 2);
    }

    #[test]
    fn published_defaults_to_first_seen_and_is_kept() {
        let mut store = Store::open_in_memory().unwrap();
        let mut batch = store.source_batch("s").unwrap();
        batch.fold(&article("T", "Body.", "a.txt"), now()).unwrap();
        batch.commit().unwrap();
        let later = now() + chrono::Duration::days(1);
        let mut batch = store.source_batch("s").unwrap();
        batch.fold(&article("T", "Body.", "a.txt"), later).unwrap();
        batch.commit().unwrap();
        let entries = store.feed_entries(None, 10).unwrap();
        assert_eq!(entries[0].published, now());
        assert_eq!(entries[0].captions[0].credit.as_deref(), Some("AP"));
    }

    #[test]
    fn rolled_back_file_leaves_nothing() {
        let mut store = Store::open_in_memory().unwrap();
        let mut batch = store.source_batch("s").unwrap();
        batch.begin_file().unwrap();
        batch
            .fold(&article("Kept", "Body.", "a.txt"), now())
            .unwrap();
        batch.end_file(true).unwrap();
        batch.begin_file().unwrap();
        batch
            .fold(&article("Dropped", "Body.", "b.txt"), now())
            .unwrap();
        batch.end_file(false).unwrap();
        batch.commit().unwrap();
        let titles: Vec<_> = store
            .feed_entries(None, 10)
            .unwrap()
            .into_iter()
            .map(|a| a.title)
            .collect();
        assert_eq!(titles, ["Kept"]);
    }

    #[test]
    fn uncommitted_batch_is_rolled_back() {
        let mut store = Store::open_in_memory().unwrap();
        {
            let mut batch = store.source_batch("s").unwrap();
            batch
                .fold(&article("Lost", "Body.", "a.txt"), now())
                .unwrap();
        }
        assert_eq!(store.article_count().unwrap(), 0);
    }

    #[test]
    fn entries_filter_by_source_and_sort_newest_first() {
        let mut store = Store::open_in_memory().unwrap();
        let mut old = article("Old", "Body one.", "a.txt");
        old.published = Some(now() - chrono::Duration::days(2));
        let mut batch = store.source_batch("a").unwrap();
        batch.fold(&old, now()).unwrap();
        batch
            .fold(&article("New", "Body two.", "a.txt"), now())
            .unwrap();
        batch.commit().unwrap();
        let mut batch = store.source_batch("b").unwrap();
        batch
            .fold(&article("Other", "Body three.", "b.txt"), now())
            .unwrap();
        batch.commit().unwrap();
        let titles = |sources: Option<&[String]>, limit| -> Vec<String> {
            store
                .feed_entries(sources, limit)
                .unwrap()
                .into_iter()
                .map(|a| a.title)
                .collect()
        };
        assert_eq!(titles(Some(&["a".to_string()]), 10), ["New", "Old"]);
        assert_eq!(titles(Some(&["b".to_string()]), 10), ["Other"]);
        assert_eq!(titles(None, 2).len(), 2);
    }

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
}

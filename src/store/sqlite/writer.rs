//! The write transaction of one source in SQLite: answers the exact-key and
//! near-duplicate lookups, and writes what dedup decided for each copy (the
//! article inserted or replaced, its prints indexed, its keys remembered,
//! where it was seen and why it was folded). A savepoint per unit lets one
//! bad file be discarded on its own.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

use super::{At, corrupt, fetch_state, near_index, parse_timestamp, timestamp, to_json};
use crate::dedup::{Candidate, Decision, Fingerprints, FoldReason, Known, NearPrints, near_rules};
use crate::ingest::fetch_state::FetchState;
use crate::model::Article;
use crate::normalize::Key;
use crate::store::{Decided, SourceWriter, StoreError};

/// The open write transaction of one source.
pub(super) struct SqliteWriter<'a> {
    tx: Transaction<'a>,
    source: String,
    path: PathBuf,
    /// The distance the store's body bands are keyed for.
    index_distance: u32,
}

impl<'a> SqliteWriter<'a> {
    pub(super) fn new(tx: Transaction<'a>, source: &str, path: &Path) -> Result<Self, StoreError> {
        let index_distance = near_index::index_distance(&tx, path)?;
        Ok(SqliteWriter {
            tx,
            source: source.to_string(),
            path: path.to_path_buf(),
            index_distance,
        })
    }

    fn lookup(&self, sql: &str, key: impl rusqlite::ToSql) -> Result<Option<String>, StoreError> {
        self.tx
            .prepare_cached(sql)
            .and_then(|mut stmt| stmt.query_row([key], |row| row.get(0)).optional())
            .at(&self.path)
    }

    /// Keeps `prints`, dated as the stored article is, as the prints of `id`.
    fn index(
        &self,
        id: &str,
        prints: &NearPrints,
        published: DateTime<Utc>,
        updated: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let prints = NearPrints {
            published: Some(published),
            updated: Some(updated),
            ..prints.clone()
        };
        near_index::index(&self.tx, &self.path, id, &prints, self.index_distance)
    }

    /// Records that `article`, seen at a new place, was folded into `id`.
    fn record_fold(
        &self,
        id: &str,
        article: &Article,
        fingerprints: &Fingerprints,
        reason: &FoldReason,
        now: &str,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO folds (article_id, copy_id, copy_title, rule, distance, replaced, source, location, line, folded_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    id,
                    fingerprints.new_id,
                    article.title,
                    reason.rule,
                    reason.distance,
                    reason.update.map(near_rules::Update::as_str),
                    self.source,
                    article.origin.location,
                    article.origin.line as i64,
                    now,
                ])
            })
            .at(&self.path)?;
        Ok(())
    }

    /// Records the content key, canonical link and upstream key as leading
    /// to `id`, so the next sighting of any of them finds it.
    fn remember_keys(&self, id: &str, fingerprints: &Fingerprints) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("INSERT OR IGNORE INTO content_keys (key, article_id) VALUES (?, ?)")
            .and_then(|mut stmt| stmt.execute(params![&fingerprints.content_key()[..], id]))
            .at(&self.path)?;
        if let Some(link) = &fingerprints.canonical_link {
            self.tx
                .prepare_cached("INSERT OR IGNORE INTO link_keys (link, article_id) VALUES (?, ?)")
                .and_then(|mut stmt| stmt.execute(params![link, id]))
                .at(&self.path)?;
        }
        if let Some(key) = &fingerprints.upstream_key {
            self.tx
                .prepare_cached(
                    "INSERT INTO upstream_keys (source, key, article_id, content_key) VALUES (?, ?, ?, ?) \
                     ON CONFLICT (source, key) DO UPDATE SET content_key = excluded.content_key",
                )
                .and_then(|mut stmt| {
                    stmt.execute(params![self.source, key, id, &fingerprints.content_key()[..]])
                })
                .at(&self.path)?;
        }
        Ok(())
    }

    /// Inserts a new article with the dates it was given.
    fn insert_article(
        &self,
        id: &str,
        article: &Article,
        published: DateTime<Utc>,
        updated: DateTime<Utc>,
        now: &str,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO articles (id, title, published, updated, first_seen, captions, body, link, authors, categories, summary, content_html) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    id,
                    article.title,
                    timestamp(published),
                    timestamp(updated),
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
            .at(&self.path)?;
        Ok(())
    }

    /// Replaces the content of article `id`, keeping its id and `published`;
    /// `updated` moves to `replaced` and never backwards. Its `published`
    /// and `updated` as stored.
    fn replace_article(
        &self,
        id: &str,
        article: &Article,
        replaced: DateTime<Utc>,
    ) -> Result<(DateTime<Utc>, DateTime<Utc>), StoreError> {
        self.tx
            .prepare_cached(
                "UPDATE articles SET title = ?, captions = ?, body = ?, link = ?, authors = ?, categories = ?, \
                 summary = ?, content_html = ?, updated = max(updated, ?) WHERE id = ?",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    article.title,
                    to_json(&article.captions),
                    to_json(&article.body),
                    article.link,
                    to_json(&article.authors),
                    to_json(&article.categories),
                    article.summary,
                    article.content_html,
                    timestamp(replaced),
                    id,
                ])
            })
            .at(&self.path)?;
        let (published, updated): (String, String) = self
            .tx
            .prepare_cached("SELECT published, updated FROM articles WHERE id = ?")
            .and_then(|mut stmt| stmt.query_row([id], |row| Ok((row.get(0)?, row.get(1)?))))
            .at(&self.path)?;
        let parse = |text: &str| parse_timestamp(text).map_err(|m| corrupt(&self.path, id, m));
        Ok((parse(&published)?, parse(&updated)?))
    }
}

impl SourceWriter for SqliteWriter<'_> {
    fn known(&mut self, fingerprints: &Fingerprints) -> Result<Known, StoreError> {
        let entry = match &fingerprints.upstream_key {
            Some(key) => self
                .tx
                .prepare_cached(
                    "SELECT article_id, content_key FROM upstream_keys WHERE source = ? AND key = ?",
                )
                .and_then(|mut stmt| {
                    stmt.query_row(params![self.source, key], |row| {
                        let id: String = row.get(0)?;
                        let content: Vec<u8> = row.get(1)?;
                        Ok((id, content))
                    })
                    .optional()
                })
                .at(&self.path)?
                .and_then(|(id, content)| Some((id, Key::try_from(content.as_slice()).ok()?))),
            None => None,
        };
        let by_content = self.lookup(
            "SELECT article_id FROM content_keys WHERE key = ?",
            &fingerprints.content_key()[..],
        )?;
        let by_link = match &fingerprints.canonical_link {
            Some(link) => self.lookup("SELECT article_id FROM link_keys WHERE link = ?", link)?,
            None => None,
        };
        Ok(Known {
            entry,
            by_content,
            by_link,
        })
    }

    fn near_candidates(
        &mut self,
        prints: &NearPrints,
        per_key: usize,
    ) -> Result<Vec<Candidate>, StoreError> {
        near_index::candidates(&self.tx, &self.path, prints, self.index_distance, per_key)
    }

    fn record(&mut self, decided: &Decided) -> Result<(), StoreError> {
        let Decided {
            article,
            fingerprints,
            decision,
            dates,
            now,
        } = *decided;
        let stamp = timestamp(now);
        match decision {
            Decision::New { id } => {
                self.insert_article(id, article, dates.published, dates.updated, &stamp)?;
                self.index(id, &fingerprints.near, dates.published, dates.updated)?;
            }
            Decision::Update { id }
            | Decision::Near {
                id,
                update: Some(_),
                ..
            } => {
                let (published, updated) = self.replace_article(id, article, dates.replaced)?;
                self.index(id, &fingerprints.near, published, updated)?;
            }
            Decision::Repeat { .. } | Decision::Near { update: None, .. } => {}
        }
        self.remember_keys(decision.id(), fingerprints)?;
        let new_sighting = self
            .tx
            .prepare_cached(
                "INSERT OR IGNORE INTO sightings (article_id, source, location, line, first_seen) VALUES (?, ?, ?, ?, ?)",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    decision.id(),
                    self.source,
                    article.origin.location,
                    article.origin.line as i64,
                    stamp
                ])
            })
            .at(&self.path)?
            > 0;
        if new_sighting && let Some(reason) = decision.fold_reason() {
            self.record_fold(decision.id(), article, fingerprints, &reason, &stamp)?;
        }
        Ok(())
    }

    fn begin_unit(&mut self) -> Result<(), StoreError> {
        self.tx.execute_batch("SAVEPOINT unit").at(&self.path)
    }

    fn end_unit(&mut self, keep: bool) -> Result<(), StoreError> {
        let sql = if keep {
            "RELEASE unit"
        } else {
            "ROLLBACK TO unit; RELEASE unit"
        };
        self.tx.execute_batch(sql).at(&self.path)
    }

    fn is_open(&self) -> bool {
        !self.tx.is_autocommit()
    }

    fn put_fetch_state(&mut self, state: &FetchState) -> Result<(), StoreError> {
        fetch_state::put(&self.tx, &self.path, &self.source, state)
    }

    fn commit(self: Box<Self>) -> Result<(), StoreError> {
        self.tx.commit().at(&self.path)
    }
}

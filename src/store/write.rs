//! The write transaction of one source: folds each incoming article into the
//! store (new, repeat or update, as `dedup` decides) and records where it was
//! seen. A savepoint per file lets one bad file be discarded on its own.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

use super::{At, StoreError, timestamp, to_json};
use crate::dedup::{self, Decision, Fingerprints, Known};
use crate::model::Article;
use crate::normalize::Key;

/// What folding one article into the store did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folded {
    pub decision: Decision,
}

/// The open write transaction of one source. Dropping it without
/// [`SourceBatch::commit`] rolls everything back.
pub struct SourceBatch<'a> {
    pub(super) tx: Transaction<'a>,
    pub(super) source: String,
    pub(super) path: PathBuf,
}

impl<'a> SourceBatch<'a> {
    pub(super) fn new(tx: Transaction<'a>, source: &str, path: &Path) -> Self {
        SourceBatch {
            tx,
            source: source.to_string(),
            path: path.to_path_buf(),
        }
    }

    /// Marks the start of one file: [`SourceBatch::end_file`] keeps or
    /// discards everything folded after it.
    pub fn begin_file(&mut self) -> Result<(), StoreError> {
        self.tx.execute_batch("SAVEPOINT file").at(&self.path)
    }

    /// Keeps (`keep = true`) or discards what was folded since
    /// [`SourceBatch::begin_file`].
    pub fn end_file(&mut self, keep: bool) -> Result<(), StoreError> {
        let sql = if keep {
            "RELEASE file"
        } else {
            "ROLLBACK TO file; RELEASE file"
        };
        self.tx.execute_batch(sql).at(&self.path)
    }

    /// Folds one article into the store: a new article is inserted with its
    /// id and dates; a changed upstream entry is updated in place; a repeat
    /// only gains a sighting.
    pub fn fold(&mut self, article: &Article, now: DateTime<Utc>) -> Result<Folded, StoreError> {
        let fingerprints = Fingerprints::of(article, &self.source);
        let known = self.known(article, &fingerprints)?;
        let decision = dedup::decide(&fingerprints, known);
        let now = timestamp(now);
        match &decision {
            Decision::New { id } => self.insert_article(id, article, &now)?,
            Decision::Update { id } => self.update_article(id, article, &now)?,
            Decision::Repeat { .. } => {}
        }
        self.remember_keys(decision.id(), article, &fingerprints)?;
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
                    now
                ])
            })
            .at(&self.path)?;
        Ok(Folded { decision })
    }

    fn known(&self, article: &Article, fingerprints: &Fingerprints) -> Result<Known, StoreError> {
        let entry = match &article.upstream_key {
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

    fn lookup(&self, sql: &str, key: impl rusqlite::ToSql) -> Result<Option<String>, StoreError> {
        self.tx
            .prepare_cached(sql)
            .and_then(|mut stmt| stmt.query_row([key], |row| row.get(0)).optional())
            .at(&self.path)
    }

    /// Records the content key, canonical link and upstream key as leading
    /// to `id`, so the next sighting of any of them finds it.
    fn remember_keys(
        &self,
        id: &str,
        article: &Article,
        fingerprints: &Fingerprints,
    ) -> Result<(), StoreError> {
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
        if let Some(key) = &article.upstream_key {
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

    fn insert_article(&self, id: &str, article: &Article, now: &str) -> Result<(), StoreError> {
        let published = article.published.or(article.updated).map(timestamp);
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
            .at(&self.path)?;
        Ok(())
    }

    /// Replaces the content of article `id`, keeping its id and `published`;
    /// `updated` moves to the source's date for the change, or now, and
    /// never backwards.
    fn update_article(&self, id: &str, article: &Article, now: &str) -> Result<(), StoreError> {
        let updated = article.updated.map(timestamp);
        let updated = updated.as_deref().unwrap_or(now);
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
                    updated,
                    id,
                ])
            })
            .at(&self.path)?;
        Ok(())
    }

    /// Makes everything folded in this batch durable at once.
    pub fn commit(self) -> Result<(), StoreError> {
        self.tx.commit().at(&self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::super::Store;
    use super::*;
    use crate::model::{Block, Caption, Origin};

    fn article(title: &str, para: &str, location: &str) -> Article {
        Article {
            title: title.into(),
            captions: vec![Caption::credited("A photo", "AP")],
            body: vec![Block::paragraph(para)],
            origin: Origin {
                location: location.into(),
                line: 3,
            },
            ..Default::default()
        }
    }

    fn entry(key: &str, link: &str, para: &str) -> Article {
        Article {
            upstream_id: Some(key.into()),
            upstream_key: Some(key.into()),
            link: Some(link.into()),
            ..article("Entry", para, "https://up.example/feed.xml")
        }
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-28T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn fold_all(
        store: &mut Store,
        source: &str,
        articles: &[Article],
        at: DateTime<Utc>,
    ) -> Vec<Decision> {
        let mut batch = store.source_batch(source).unwrap();
        let decisions = articles
            .iter()
            .map(|a| batch.fold(a, at).unwrap().decision)
            .collect();
        batch.commit().unwrap();
        decisions
    }

    #[test]
    fn repeat_is_stored_once_with_every_sighting() {
        let mut store = Store::open_in_memory().unwrap();
        let decisions = fold_all(
            &mut store,
            "s1",
            &[
                article("T", "Body.", "a.txt"),
                article("t", "BODY.", "b.txt"),
            ],
            now(),
        );
        assert!(matches!(decisions[0], Decision::New { .. }));
        assert_eq!(
            decisions[1],
            Decision::Repeat {
                id: decisions[0].id().into()
            }
        );
        assert_eq!(store.article_count().unwrap(), 1);
        let places = store.sightings(decisions[0].id()).unwrap();
        assert_eq!(places.len(), 2);
        assert_eq!(places[1].location, "b.txt");
    }

    #[test]
    fn published_defaults_to_first_seen_and_is_kept() {
        let mut store = Store::open_in_memory().unwrap();
        fold_all(&mut store, "s", &[article("T", "Body.", "a.txt")], now());
        let later = now() + chrono::Duration::days(1);
        fold_all(&mut store, "s", &[article("T", "Body.", "a.txt")], later);
        let entries = store.feed_entries(None, None, 10).unwrap();
        assert_eq!(entries[0].published, now());
        assert_eq!(entries[0].captions[0].credit.as_deref(), Some("AP"));
    }

    #[test]
    fn changed_upstream_entry_updates_in_place() {
        let mut store = Store::open_in_memory().unwrap();
        let first = fold_all(
            &mut store,
            "wire",
            &[entry("guid-1", "https://up.example/1", "Draft.")],
            now(),
        );
        let later = now() + chrono::Duration::hours(2);
        let second = fold_all(
            &mut store,
            "wire",
            &[entry("guid-1", "https://up.example/1", "Final text.")],
            later,
        );
        assert_eq!(
            second[0],
            Decision::Update {
                id: first[0].id().into()
            }
        );
        let stored = store.article(first[0].id()).unwrap().unwrap();
        assert_eq!(stored.body[0].text, "Final text.");
        assert_eq!(stored.published, now());
        assert_eq!(stored.updated, later);
        assert!(stored.id.contains(":entry:"));
        // The same content again is a repeat, not another update.
        let third = fold_all(
            &mut store,
            "wire",
            &[entry("guid-1", "https://up.example/1", "Final text.")],
            later,
        );
        assert_eq!(
            third[0],
            Decision::Repeat {
                id: first[0].id().into()
            }
        );
        assert_eq!(store.article_count().unwrap(), 1);
    }

    #[test]
    fn same_link_from_another_source_is_one_article_seen_twice() {
        let mut store = Store::open_in_memory().unwrap();
        let a = fold_all(
            &mut store,
            "a",
            &[entry(
                "1",
                "https://News.example/story?utm_source=a",
                "Long text.",
            )],
            now(),
        );
        let b = fold_all(
            &mut store,
            "b",
            &[entry("x9", "https://news.example/story/#top", "Short.")],
            now(),
        );
        assert_eq!(
            b[0],
            Decision::Repeat {
                id: a[0].id().into()
            }
        );
        let sources: Vec<String> = store
            .sightings(a[0].id())
            .unwrap()
            .into_iter()
            .map(|s| s.source)
            .collect();
        assert_eq!(sources, ["a", "b"]);
        // b's own entry now leads to the same article on its next fetch.
        let again = fold_all(
            &mut store,
            "b",
            &[entry("x9", "https://news.example/story", "Short.")],
            now(),
        );
        assert_eq!(
            again[0],
            Decision::Repeat {
                id: a[0].id().into()
            }
        );
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
            .feed_entries(None, None, 10)
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
        fold_all(
            &mut store,
            "a",
            &[old, article("New", "Body two.", "a.txt")],
            now(),
        );
        fold_all(
            &mut store,
            "b",
            &[article("Other", "Body three.", "b.txt")],
            now(),
        );
        let titles = |sources: Option<&[String]>, limit| -> Vec<String> {
            store
                .feed_entries(sources, None, limit)
                .unwrap()
                .into_iter()
                .map(|a| a.title)
                .collect()
        };
        assert_eq!(titles(Some(&["a".to_string()]), 10), ["New", "Old"]);
        assert_eq!(titles(Some(&["b".to_string()]), 10), ["Other"]);
        assert_eq!(titles(None, 2).len(), 2);
        let since = store.feed_entries(None, Some(now()), 10).unwrap();
        assert_eq!(since.len(), 2, "the two-day-old article is left out");
    }
}

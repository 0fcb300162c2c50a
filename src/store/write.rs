//! The write transaction of one source: folds each incoming article into the
//! store (new, repeat, update or near-duplicate, as `dedup` decides), keeps
//! the near-duplicate prints of what it stores, and records where each copy
//! was seen and why a copy was folded. A savepoint per file lets one bad
//! file be discarded on its own.

use std::path::{Path, PathBuf};

use chrono::{DateTime, SubsecRound, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

use super::{At, StoreError, near_index, parse_timestamp, timestamp, to_json};
use crate::dedup::near_rules::{NearConfig, Update};
use crate::dedup::{self, Decision, Fingerprints, Known, NearPrints};
use crate::model::Article;
use crate::normalize::Key;

/// What folding one article into the store did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folded {
    pub decision: Decision,
}

/// Why a copy was folded into a stored article, as `folds` records it.
struct Reason {
    /// A near-duplicate rule's name, `exact` or `same-link`.
    rule: &'static str,
    /// Body SimHash bits apart, when known.
    distance: Option<u32>,
    /// Whether and why the copy replaced the stored content.
    update: Option<Update>,
}

/// The open write transaction of one source. Dropping it without
/// [`SourceBatch::commit`] rolls everything back.
pub struct SourceBatch<'a> {
    pub(super) tx: Transaction<'a>,
    pub(super) source: String,
    pub(super) path: PathBuf,
    /// The near-duplicate thresholds; `None` folds exact repeats only.
    near: Option<NearConfig>,
    /// The distance the store's body bands are cut for.
    index_distance: u32,
}

impl<'a> SourceBatch<'a> {
    pub(super) fn new(
        tx: Transaction<'a>,
        source: &str,
        path: &Path,
        near: Option<NearConfig>,
    ) -> Result<Self, StoreError> {
        let index_distance = near_index::index_distance(&tx, path)?;
        Ok(SourceBatch {
            tx,
            source: source.to_string(),
            path: path.to_path_buf(),
            near,
            index_distance,
        })
    }

    /// Marks the start of one file: [`SourceBatch::end_file`] keeps or
    /// discards everything folded after it.
    pub fn begin_file(&mut self) -> Result<(), StoreError> {
        self.tx.execute_batch("SAVEPOINT file").at(&self.path)
    }

    /// False once SQLite has rolled the transaction back on its own (as it
    /// does on a full disk): nothing more can be written or committed.
    pub fn is_open(&self) -> bool {
        !self.tx.is_autocommit()
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
    /// id and dates; a changed upstream entry, or a near-duplicate copy that
    /// is longer or newer, replaces the stored content in place; any other
    /// repeat only gains a sighting. A copy seen at a new place and folded
    /// into another article (by content, link or a near-duplicate rule) is
    /// recorded in `folds` with the reason.
    pub fn fold(&mut self, article: &Article, now: DateTime<Utc>) -> Result<Folded, StoreError> {
        let fingerprints = Fingerprints::of(article, &self.source);
        let mut known = self.known(article, &fingerprints)?;
        let exact_rule = match (&known.entry, &known.by_content, &known.by_link) {
            (Some(_), _, _) => None,
            (None, Some(_), _) => Some("exact"),
            (None, None, Some(_)) => Some("same-link"),
            (None, None, None) => None,
        };
        if !known.exact_match()
            && let Some(config) = &self.near
        {
            known.near = near_index::best_match(
                &self.tx,
                &self.path,
                &fingerprints.near,
                self.index_distance,
                config,
            )?;
        }
        let decision = dedup::decide(&fingerprints, known);
        let stamp = timestamp(now);
        match &decision {
            Decision::New { id } => {
                let (published, updated) = self.insert_article(id, article, now)?;
                self.index(id, &fingerprints.near, published, updated)?;
            }
            Decision::Update { id }
            | Decision::Near {
                id,
                update: Some(_),
                ..
            } => {
                let (published, updated) = self.update_article(id, article, &stamp)?;
                self.index(id, &fingerprints.near, published, updated)?;
            }
            Decision::Repeat { .. } | Decision::Near { update: None, .. } => {}
        }
        self.remember_keys(decision.id(), article, &fingerprints)?;
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
        if new_sighting {
            let reason = match &decision {
                Decision::Repeat { .. } => exact_rule.map(|rule| Reason {
                    rule,
                    distance: (rule == "exact").then_some(0),
                    update: None,
                }),
                Decision::Near {
                    rule,
                    distance,
                    update,
                    ..
                } => Some(Reason {
                    rule: rule.as_str(),
                    distance: Some(*distance),
                    update: *update,
                }),
                Decision::New { .. } | Decision::Update { .. } => None,
            };
            if let Some(reason) = reason {
                self.record_fold(decision.id(), article, &fingerprints, &reason, &stamp)?;
            }
        }
        Ok(Folded { decision })
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
        reason: &Reason,
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
                    reason.update.map(Update::as_str),
                    self.source,
                    article.origin.location,
                    article.origin.line as i64,
                    now,
                ])
            })
            .at(&self.path)?;
        Ok(())
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
            near: None,
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

    /// Inserts a new article; its `published` and `updated` as stored.
    fn insert_article(
        &self,
        id: &str,
        article: &Article,
        now: DateTime<Utc>,
    ) -> Result<(DateTime<Utc>, DateTime<Utc>), StoreError> {
        let published = article
            .published
            .or(article.updated)
            .unwrap_or(now)
            .trunc_subsecs(0);
        let updated = article
            .updated
            .map_or(published, |u| u.trunc_subsecs(0))
            .max(published);
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
                    timestamp(now),
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
        Ok((published, updated))
    }

    /// Replaces the content of article `id`, keeping its id and `published`;
    /// `updated` moves to the source's date for the change, or now, and
    /// never backwards. Its `published` and `updated` as stored.
    fn update_article(
        &self,
        id: &str,
        article: &Article,
        now: &str,
    ) -> Result<(DateTime<Utc>, DateTime<Utc>), StoreError> {
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
        let (published, updated): (String, String) = self
            .tx
            .prepare_cached("SELECT published, updated FROM articles WHERE id = ?")
            .and_then(|mut stmt| stmt.query_row([id], |row| Ok((row.get(0)?, row.get(1)?))))
            .at(&self.path)?;
        let parse = |text: &str| {
            parse_timestamp(text).map_err(|message| StoreError::corrupt(&self.path, id, message))
        };
        Ok((parse(&published)?, parse(&updated)?))
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

    const STORY: [&str; 4] = [
        "The board of the Port of Calder voted on Monday to approve a long-delayed expansion \
         of the northern harbour, ending a dispute with fishing cooperatives that had stalled \
         the project for more than a year.",
        "The plan adds two deep-water berths and a rail spur, and sets aside a protected quay \
         for the town's fishing fleet, which had objected to earlier drafts.",
        "\"Nobody got everything they wanted, and that is usually the sign of a fair deal,\" \
         board chair Imogen Ashworth told reporters after the vote.",
        "Construction is expected to begin in the spring and to take three years, with the \
         first berth open to ships before the end of the second summer.",
    ];
    const LATER: &str = "Late on Monday the cooperatives said they would not oppose the plan \
        in court, clearing the way for work to begin as soon as contracts are signed.";
    const HEADLINE: &str = "Port of Calder Approves Harbour Expansion";

    fn story(title: &str, paragraphs: &[&str], location: &str) -> Article {
        Article {
            title: title.into(),
            body: paragraphs.iter().map(|p| Block::paragraph(*p)).collect(),
            origin: Origin {
                location: location.into(),
                line: 7,
            },
            ..Default::default()
        }
    }

    fn folds(store: &Store) -> Vec<(String, Option<u32>, Option<String>, String)> {
        store
            .folds(None)
            .unwrap()
            .into_iter()
            .map(|f| (f.rule, f.distance, f.replaced, f.seen.location))
            .collect()
    }

    #[test]
    fn an_appended_paragraph_updates_the_story_in_place() {
        let mut store = Store::open_in_memory().unwrap();
        let mut first = story(HEADLINE, &STORY, "a.txt");
        first.published = Some(now() - chrono::Duration::days(1));
        let id = fold_all(&mut store, "desk", &[first], now())[0]
            .id()
            .to_string();
        let mut paragraphs = STORY.to_vec();
        paragraphs.push(LATER);
        let later = now() + chrono::Duration::hours(3);
        let decision = fold_all(
            &mut store,
            "wire",
            &[story(
                &format!("{HEADLINE} - Reuters"),
                &paragraphs,
                "b.txt",
            )],
            later,
        )
        .remove(0);
        let Decision::Near {
            id: folded_into,
            rule,
            distance,
            update,
        } = decision
        else {
            panic!("not folded as a near-duplicate: {decision:?}");
        };
        assert_eq!(folded_into, id);
        assert_eq!(rule, crate::dedup::near_rules::Rule::SharedParagraphs);
        assert!(distance > 3, "found through the paragraph keys: {distance}");
        assert_eq!(update, Some(Update::Longer));
        let stored = store.article(&id).unwrap().unwrap();
        assert_eq!(stored.body.len(), 5);
        assert_eq!(stored.body[4].text, LATER);
        assert_eq!(stored.published, now() - chrono::Duration::days(1));
        assert_eq!(stored.updated, later);
        assert_eq!(store.article_count().unwrap(), 1);
        assert_eq!(
            folds(&store),
            [(
                "shared-paragraphs".to_string(),
                Some(distance),
                Some("longer".to_string()),
                "b.txt".to_string()
            )]
        );
        // The stored prints are the new content's: the shorter copy arriving
        // again folds without replacing anything.
        let again = fold_all(
            &mut store,
            "late",
            &[story(HEADLINE, &STORY[..3], "c.txt")],
            later,
        );
        assert!(
            matches!(&again[0], Decision::Near { id: i, update: None, .. } if *i == id),
            "{again:?}"
        );
        assert_eq!(store.article(&id).unwrap().unwrap().body.len(), 5);
    }

    #[test]
    fn the_band_lookup_finds_an_edited_copy_and_records_why() {
        let mut store = Store::open_in_memory().unwrap();
        let original = story(HEADLINE, &STORY, "a.txt");
        let id = fold_all(&mut store, "s", &[original], now())[0]
            .id()
            .to_string();
        // A wire dateline and one fixed typo: the body moves a few bits and
        // every paragraph but one keeps its print.
        let typo = STORY[1].replace("berths", "bertsh");
        let dated = format!("CALDER (Reuters) - {}", STORY[0]);
        let edited = story(HEADLINE, &[&dated, &typo, STORY[2], STORY[3]], "b.txt");
        let prints = Fingerprints::of(&edited, "s").near;
        let (found, verdict) = store.near_match(&prints).unwrap().expect("a candidate");
        assert_eq!(found, id);
        assert!(verdict.is_same(), "{verdict:?}");
        let decision = fold_all(&mut store, "s", std::slice::from_ref(&edited), now()).remove(0);
        assert_eq!(decision.id(), id);
        assert!(!decision.updates(), "same length, not newer: {decision:?}");
        // Seen again at the same place: an exact repeat, no second record.
        fold_all(&mut store, "s", &[edited], now());
        // The original seen at another place: recorded as exact.
        fold_all(&mut store, "s", &[story(HEADLINE, &STORY, "c.txt")], now());
        let recorded = store.folds(None).unwrap();
        assert_eq!(recorded.len(), 2);
        assert_eq!(recorded[0].rule, verdict.rule.as_str());
        assert_eq!(recorded[0].distance, Some(verdict.distance));
        assert_eq!(recorded[0].seen.location, "b.txt");
        assert_eq!(recorded[0].copy_title, HEADLINE);
        assert_eq!(recorded[0].article_title, HEADLINE);
        assert_ne!(recorded[0].copy_id, id);
        assert_eq!(
            recorded[0]
                .article_seen
                .as_ref()
                .map(|s| s.location.as_str()),
            Some("a.txt")
        );
        assert_eq!(
            (recorded[1].rule.as_str(), recorded[1].distance),
            ("exact", Some(0))
        );
        assert_eq!(recorded[1].copy_id, id);
        let later = now() + chrono::Duration::seconds(1);
        assert!(store.folds(Some(later)).unwrap().is_empty());
    }

    #[test]
    fn same_titled_briefings_with_other_bodies_stay_apart() {
        let mut store = Store::open_in_memory().unwrap();
        let decisions = fold_all(
            &mut store,
            "s",
            &[
                story("Morning Briefing", &STORY[..2], "a.txt"),
                story("Morning Briefing", &STORY[2..], "a.txt"),
            ],
            now(),
        );
        assert!(
            matches!(decisions[1], Decision::New { .. }),
            "{decisions:?}"
        );
        assert_eq!(store.article_count().unwrap(), 2);
        assert!(store.folds(None).unwrap().is_empty());
    }

    #[test]
    fn near_folding_off_keeps_edited_copies_apart() {
        let mut store = Store::open_in_memory().unwrap();
        store.set_near(None).unwrap();
        let mut paragraphs = STORY.to_vec();
        paragraphs.push(LATER);
        let decisions = fold_all(
            &mut store,
            "s",
            &[
                story(HEADLINE, &STORY, "a.txt"),
                story(HEADLINE, &paragraphs, "b.txt"),
            ],
            now(),
        );
        assert!(matches!(decisions[1], Decision::New { .. }));
        // Prints were kept all the same: turning it on finds the pair.
        store.set_near(Some(NearConfig::default())).unwrap();
        let prints = Fingerprints::of(&story(HEADLINE, &STORY[..3], "c.txt"), "s").near;
        assert!(store.near_match(&prints).unwrap().is_some());
    }

    #[test]
    fn another_distance_recuts_the_bands() {
        let mut store = Store::open_in_memory().unwrap();
        // A copy with another headline and a typo in its one paragraph:
        // found only through the body bands (no headline or paragraph key
        // in common), which at distance 3 miss it.
        let first = story(HEADLINE, &[&STORY.join(" ")], "a.txt");
        let id = fold_all(&mut store, "s", &[first], now())[0]
            .id()
            .to_string();
        let edited = STORY.join(" ").replace("berths", "bertsh");
        let copy = story(
            "Calder harbour expansion approved by port board",
            &[&edited],
            "b.txt",
        );
        let prints = Fingerprints::of(&copy, "s").near;
        let distance = crate::dedup::simhash::hamming(
            prints.simhash,
            Fingerprints::of(&story(HEADLINE, &[&STORY.join(" ")], "a.txt"), "s")
                .near
                .simhash,
        );
        assert_eq!(distance, 5);
        assert_eq!(store.near_match(&prints).unwrap(), None, "beyond 3 bits");
        let wide = NearConfig {
            max_distance: 6,
            ..NearConfig::default()
        };
        store.set_near(Some(wide)).unwrap();
        let keys: i64 = store
            .conn
            .query_row("SELECT count(*) FROM near_keys WHERE family = 0", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(keys, 28, "(6 + 2)(6 + 1) / 2 bands");
        let found = store.near_match(&prints).unwrap().map(|(id, _)| id);
        assert_eq!(found.as_deref(), Some(id.as_str()));
        let narrow = NearConfig {
            max_distance: 0,
            ..NearConfig::default()
        };
        store.set_near(Some(narrow)).unwrap();
        assert_eq!(store.near_match(&prints).unwrap(), None);
    }
}

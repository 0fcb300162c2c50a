//! The write transaction of one source in SQLite: answers the exact-key and
//! near-duplicate lookups, and writes what dedup decided for each copy (the
//! article inserted or replaced, its prints filed under their keys, its
//! exact keys remembered, where it was seen and why it was folded; content
//! keys and sightings by way of `write_behind`). One
//! bad file is discarded on its own: a unit is kept apart by a savepoint,
//! or, when nothing was written before it, by the transaction itself.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{At, WriterTurn, corrupt, fetch_state, near_index, pages, rename, write_behind};
use crate::dedup::refold::{Merge, Settled, Unmerge};
use crate::dedup::{
    Candidate, Decision, EntryProbe, Fingerprints, FoldReason, IndexKey, Known, KnownEntry,
    NearPrints, TextHistory, near_rules,
};
use crate::ingest::fetch_state::{DocumentValidators, FetchState};
use crate::ingest::source::SeenPage;
use crate::model::Article;
use crate::normalize::{Key, canonical_url};
use crate::store::codec::{self, ContentRef};
use crate::store::former_content::{FormerContent, FormerText};
use crate::store::{self, Decided, Recorded, SourceWriter, StoreError};

/// The open write transaction of one source.
pub(super) struct SqliteWriter<'a> {
    tx: Transaction<'a>,
    source: String,
    /// The names the source had before it was renamed.
    former_names: Vec<String>,
    path: PathBuf,
    /// The distance the store's body bands are keyed for.
    index_distance: u32,
    /// The numbers of the articles the last lookups named, so recording a
    /// decision about one of them needs no second search by id.
    seqs: HashMap<String, i64>,
    /// The place number of each location of this source seen so far.
    places: HashMap<String, i64>,
    /// Which tables of the near-duplicate index hold rows, once looked up.
    filled: Option<near_index::Filled>,
    /// Content keys and sightings this transaction left waiting
    /// (`write_behind`).
    written_behind: u64,
    /// The connection's count of changed rows when the transaction began.
    changes_at_begin: u64,
    /// How the open unit is discarded ([`SourceWriter::begin_unit`]).
    unit: UnitScope,
    /// The highest article number when the transaction began: the articles
    /// it inserts come after it.
    last_before: i64,
    /// The stored articles this transaction changed, marked as stored at
    /// the commit with the ones it inserted.
    touched: Vec<i64>,
    /// How many of `touched` came before the open unit.
    touched_before_unit: usize,
    /// The sightings (article and place numbers) this transaction added to
    /// articles stored before it, marked as stored at the commit with those
    /// of the articles it inserted. One a discarded unit took back is gone,
    /// or added again in this transaction: marking it is right either way.
    sighted: Vec<(i64, i64)>,
    /// The content records of the articles whose text this transaction
    /// replaced, from before it did: a merge that absorbs one names it by
    /// the headline it had then.
    former_content: FormerContent,
    /// The store's writer lock, released after the transaction ends.
    turn: WriterTurn<'a>,
}

/// What a unit is discarded with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UnitScope {
    /// Its own savepoint.
    Savepoint,
    /// The whole transaction, which held nothing before it: rolled back and
    /// begun again.
    Transaction,
}

impl<'a> SqliteWriter<'a> {
    pub(super) fn new(
        tx: Transaction<'a>,
        turn: WriterTurn<'a>,
        source: &str,
        path: &Path,
    ) -> Result<Self, StoreError> {
        rename::refuse_former(&tx, path, source)?;
        let former_names = rename::former_names(&tx, path, source)?;
        let index_distance = near_index::index_distance(&tx, path)?;
        let changes_at_begin = tx.total_changes();
        let last_before = last_article(&tx, path)?;
        Ok(SqliteWriter {
            tx,
            source: source.to_string(),
            former_names,
            path: path.to_path_buf(),
            index_distance,
            seqs: HashMap::new(),
            places: HashMap::new(),
            filled: None,
            written_behind: 0,
            changes_at_begin,
            unit: UnitScope::Savepoint,
            last_before,
            touched: Vec::new(),
            touched_before_unit: 0,
            sighted: Vec::new(),
            former_content: FormerContent::default(),
            turn,
        })
    }

    /// The article (packed id and number) a key table row leads to.
    fn lookup(
        &mut self,
        sql: &str,
        key: &dyn rusqlite::ToSql,
    ) -> Result<Option<String>, StoreError> {
        let found: Option<(i64, Vec<u8>)> = self
            .tx
            .prepare_cached(sql)
            .and_then(|mut stmt| {
                stmt.query_row([key], |row| Ok((row.get(0)?, row.get(1)?)))
                    .optional()
            })
            .at(&self.path)?;
        found.map(|(seq, id)| self.remember(seq, &id)).transpose()
    }

    fn remember(&mut self, seq: i64, packed: &[u8]) -> Result<String, StoreError> {
        let id =
            codec::unpack_id(packed).map_err(|m| corrupt(&self.path, &format!("#{seq}"), m))?;
        self.seqs.insert(id.clone(), seq);
        Ok(id)
    }

    /// The prints of the stored article `id` (one [`known`] found), dated
    /// as stored.
    ///
    /// [`known`]: SourceWriter::known
    fn prints_of(&self, id: &str) -> Result<(NearPrints, bool), StoreError> {
        let seq = self.seq(id)?;
        type Row = (i64, i64, Vec<u8>, i64, Option<i64>);
        let (published, updated, packed, first_seen, changed): Row = self
            .tx
            .prepare_cached(
                "SELECT published, updated, prints, first_seen, changed FROM article WHERE seq = ?",
            )
            .and_then(|mut stmt| {
                stmt.query_row([seq], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })
            })
            .at(&self.path)?;
        let dated = store::Dated {
            published,
            updated,
            first_seen,
            changed,
        };
        codec::unpack_text_prints(&packed, &dated).map_err(|m| corrupt(&self.path, id, m))
    }

    /// What the store recorded of the texts article `seq` (`id`) had and
    /// of the copies folded into it: the copies' ids, whether each gave it
    /// its text, and the content its upstream entries, from the sources it
    /// was seen in, have now.
    fn text_history(&self, seq: i64, id: &str) -> Result<TextHistory, StoreError> {
        let replaced: bool = self
            .tx
            .prepare_cached("SELECT changed IS NOT NULL FROM article WHERE seq = ?")
            .and_then(|mut stmt| stmt.query_row([seq], |r| r.get(0)))
            .at(&self.path)?;
        let folds: Vec<(Vec<u8>, bool)> = self
            .tx
            .prepare_cached("SELECT copy_id, replaced IS NOT NULL FROM fold WHERE article = ?")
            .and_then(|mut stmt| {
                stmt.query_map([seq], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect()
            })
            .at(&self.path)?;
        let entries: Vec<(String, String, Vec<u8>)> = self
            .tx
            .prepare_cached(
                "SELECT source, key, content_key FROM upstream_key WHERE article = ?1 \
                 AND source IN (SELECT p.source FROM sighting s JOIN place p ON p.id = s.place \
                     WHERE s.article = ?1)",
            )
            .and_then(|mut stmt| {
                stmt.query_map([seq], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                    .collect()
            })
            .at(&self.path)?;
        let bad = |m: String| corrupt(&self.path, id, m);
        let folds = folds
            .into_iter()
            .map(|(copy, replaced)| Ok((codec::unpack_id(&copy).map_err(bad)?, replaced)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        let entries = entries.into_iter().filter_map(|(source, key, content)| {
            Some((source, key, Key::try_from(content.as_slice()).ok()?))
        });
        Ok(TextHistory::of(id, replaced, folds, entries))
    }

    /// The link of the stored article `id` (one [`known`] found).
    ///
    /// [`known`]: SourceWriter::known
    fn link_of(&self, id: &str) -> Result<Option<String>, StoreError> {
        let seq = self.seq(id)?;
        let packed: Vec<u8> = self
            .tx
            .prepare_cached("SELECT content FROM article WHERE seq = ?")
            .and_then(|mut stmt| stmt.query_row([seq], |r| r.get(0)))
            .at(&self.path)?;
        codec::link_of(&packed).map_err(|m| corrupt(&self.path, id, m))
    }

    /// The number of the stored article `id`.
    fn seq(&self, id: &str) -> Result<i64, StoreError> {
        if let Some(seq) = self.seqs.get(id) {
            return Ok(*seq);
        }
        self.tx
            .prepare_cached("SELECT seq FROM article WHERE id = ?")
            .and_then(|mut stmt| stmt.query_row([codec::pack_id(id)], |row| row.get(0)))
            .at(&self.path)
    }

    /// Notes that rows are about to be filed in `near_key_pending`.
    fn now_pending(&mut self) {
        if let Some(filled) = &mut self.filled {
            filled.pending = true;
        }
    }

    /// The number of `location` of this source.
    fn place(&mut self, location: &str) -> Result<i64, StoreError> {
        if let Some(place) = self.places.get(location) {
            return Ok(*place);
        }
        let place = place(&self.tx, &self.path, &self.source, location)?;
        self.places.insert(location.to_string(), place);
        Ok(place)
    }

    /// Records that `copy`, seen at `(place, line)`, was folded into
    /// `seq`, unless that copy was recorded from that place already.
    /// Whether it was.
    fn record_fold(
        &self,
        seq: i64,
        (place, line): (i64, i64),
        copy: FoldedFrom,
        reason: &FoldReason,
        now: i64,
    ) -> Result<bool, StoreError> {
        let inserted = self
            .tx
            .prepare_cached(
                "INSERT OR IGNORE INTO fold (article, place, line, copy_id, copy_title, rule, distance, replaced, evidence, folded_at, merged) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    seq,
                    place,
                    line,
                    codec::pack_id(copy.id),
                    copy.title,
                    reason.rule,
                    reason.distance,
                    reason.update.map(near_rules::Update::as_str),
                    reason.evidence.map(|e| e.to_string()),
                    now,
                    copy.merged,
                ])
            })
            .at(&self.path)?;
        Ok(inserted > 0)
    }

    /// Places the sighting of stored article `seq` at `place` that the
    /// upstream entry `decided` made, and its fold there, on the line the
    /// entry starts on now ([`Decided::places_an_entry_again`]). The
    /// sighting is the entry's when the article is its own, or when it was
    /// recorded at the line of the entry's fold (the copy that first
    /// brought the article to the place); rows already there are left
    /// unwritten.
    fn move_to_entrys_line(
        &self,
        seq: i64,
        place: i64,
        decided: &Decided,
    ) -> Result<(), StoreError> {
        let line = decided.article.origin.line as i64;
        let own = decided.is_the_entrys_own_article();
        let copy = codec::pack_id(&decided.fingerprints.new_id);
        for half in ["sighting_settled", "sighting_pending"] {
            self.tx
                .prepare_cached(&format!(
                    "UPDATE {half} SET line = ?3 \
                     WHERE article = ?1 AND place = ?2 AND line <> ?3 AND (?4 OR line = \
                         (SELECT line FROM fold WHERE article = ?1 AND place = ?2 AND copy_id = ?5))"
                ))
                .and_then(|mut stmt| stmt.execute(params![seq, place, line, own, copy]))
                .at(&self.path)?;
        }
        self.tx
            .prepare_cached(
                "UPDATE fold SET line = ?3 \
                 WHERE article = ?1 AND place = ?2 AND copy_id = ?4 AND line <> ?3",
            )
            .and_then(|mut stmt| stmt.execute(params![seq, place, line, copy]))
            .at(&self.path)?;
        Ok(())
    }

    /// Records that the copy `decided`, folded into `seq` from `place` when
    /// first seen, now replaced its text, as `update` says, under the
    /// headline it has now.
    fn fold_replaced(
        &self,
        seq: i64,
        place: i64,
        decided: &Decided,
        update: near_rules::Update,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "UPDATE fold SET replaced = ?, copy_title = ? \
                 WHERE article = ? AND place = ? AND copy_id = ?",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    update.as_str(),
                    decided.article.title,
                    seq,
                    place,
                    codec::pack_id(&decided.fingerprints.new_id),
                ])
            })
            .at(&self.path)?;
        Ok(())
    }

    /// Records the content key, canonical link and upstream key as leading
    /// to `seq`, so the next sighting of any of them finds it; the
    /// upstream key, and the key the entry was `found_under`, with the
    /// entry's content key and version now, unless the entry was judged a
    /// repeat ([`remember_entry`]).
    fn remember_keys(
        &mut self,
        seq: i64,
        fingerprints: &Fingerprints,
        found_under: Option<&str>,
        sighting_only: bool,
    ) -> Result<(), StoreError> {
        let waits = write_behind::remember_content_key(
            &self.tx,
            &self.path,
            &fingerprints.content_key()[..16],
            seq,
        )?;
        self.written_behind += u64::from(waits);
        if let Some(link) = &fingerprints.canonical_link {
            self.tx
                .prepare_cached("INSERT OR IGNORE INTO link_key (link, article) VALUES (?, ?)")
                .and_then(|mut stmt| stmt.execute(params![link, seq]))
                .at(&self.path)?;
        }
        remember_entry(
            &self.tx,
            &self.path,
            &self.source,
            EntrySeen {
                seq,
                fingerprints,
                found_under,
                sighting_only,
            },
        )
    }

    /// Inserts a new article with the dates it was given; its number.
    fn insert_article(&mut self, id: &str, decided: &Decided) -> Result<i64, StoreError> {
        let Decided {
            fingerprints,
            dates,
            now,
            ..
        } = *decided;
        let seq = insert_article(
            &self.tx,
            &self.path,
            NewArticle {
                id,
                published: dates.published,
                updated: dates.updated,
                first_seen: now,
                content: &decided.content(),
                prints: &fingerprints.near,
            },
            self.index_distance,
        )?;
        self.seqs.insert(id.to_string(), seq);
        Ok(seq)
    }

    /// Gives article `seq` (`id`), which keeps its text, the edited
    /// headline, summary and categories of an upstream entry standing for
    /// its page seen now as `decided` ([`codec::with_entry_edits`]), when
    /// they land on it ([`Decided::entry_edits_land_on`]: its own entry's,
    /// or the next version of a story the entry was folded into), its prints and index keys
    /// taken again under that headline ([`NearPrints::retitled`]); whether
    /// they changed it. An edit that changed it is an update of the
    /// article: its `updated` moves as when a copy replaces its text
    /// ([`store::updated_on_replace`]).
    fn take_entry_edits(
        &mut self,
        seq: i64,
        id: &str,
        decided: &Decided,
    ) -> Result<bool, StoreError> {
        let StoredRow {
            dated,
            content,
            prints,
            keys,
        } = self.stored_row(seq)?;
        let corrupt = |m| corrupt(&self.path, id, m);
        let stored =
            codec::unpack_prints(&prints, dated.published, dated.updated).map_err(corrupt)?;
        if !decided.entry_edits_land_on(&stored) {
            return Ok(false);
        }
        let edits = codec::EntryEdits::of(decided.article);
        let Some(edited) = codec::with_entry_edits(&content, &edits).map_err(corrupt)? else {
            return Ok(false);
        };
        let article = codec::unpack_article(String::new(), 0, 0, &edited).map_err(corrupt)?;
        let stored = stored.retitled(&article.title, &article.body);
        let undated = stored.undated;
        let prints = NearPrints {
            undated: store::undated_on_replace(undated, decided.fingerprints.near.undated),
            ..stored
        };
        let old = codec::unpack_keys(&keys).map_err(corrupt)?;
        let (prints, keys) = near_index::refile(
            &self.tx,
            &self.path,
            seq,
            &old,
            &prints,
            self.index_distance,
        )?;
        let dates = decided.dates_replacing(&dated, undated);
        self.rewrite_row(seq, &edited, (&prints, &keys), dates, decided.now)?;
        self.touched.push(seq);
        Ok(true)
    }

    /// Gives stored article `seq` (`id`) the captions of `decided`'s copy
    /// of its text when they correct its own ([`Decided::caption_correction`]),
    /// moving its `updated` as an edit does. Whether they did.
    fn take_caption_correction(
        &mut self,
        seq: i64,
        id: &str,
        decided: &Decided,
    ) -> Result<bool, StoreError> {
        let StoredRow {
            dated,
            content,
            prints,
            keys,
        } = self.stored_row(seq)?;
        let undated = codec::prints_undated(&prints).map_err(|m| corrupt(&self.path, id, m))?;
        let Some(store::CaptionsCorrected { content, prints }) = decided
            .caption_correction(&content, &prints, &dated)
            .map_err(|m| corrupt(&self.path, id, m))?
        else {
            return Ok(false);
        };
        let dates = decided.dates_replacing(&dated, undated);
        self.rewrite_row(seq, &content, (&prints, &keys), dates, decided.now)?;
        self.touched.push(seq);
        Ok(true)
    }

    /// Records in the prints of stored article `seq` (`id`) that its first
    /// paragraph is a local intro over the story
    /// ([`NearPrints::intro_over_story`]); its index keys stay.
    fn mark_local_intro(&mut self, seq: i64, id: &str) -> Result<(), StoreError> {
        let packed: Vec<u8> = self
            .tx
            .prepare_cached("SELECT prints FROM article WHERE seq = ?")
            .and_then(|mut stmt| stmt.query_row([seq], |row| row.get(0)))
            .at(&self.path)?;
        let prints = codec::unpack_prints(&packed, 0, 0).map_err(|m| corrupt(&self.path, id, m))?;
        let marked = NearPrints {
            intro_over_story: true,
            ..prints
        };
        self.tx
            .prepare_cached("UPDATE article SET prints = ? WHERE seq = ?")
            .and_then(|mut stmt| stmt.execute(params![codec::pack_prints(&marked), seq]))
            .at(&self.path)?;
        Ok(())
    }

    /// Gives stored article `seq` (`id`), when it came undated, the
    /// publication date `given` of a copy folded into it without replacing
    /// its text ([`store::date_from_copy`]). Whether it took it.
    fn take_copy_date(&mut self, seq: i64, id: &str, given: i64) -> Result<bool, StoreError> {
        let prints: Vec<u8> = self
            .tx
            .prepare_cached("SELECT prints FROM article WHERE seq = ?")
            .and_then(|mut stmt| stmt.query_row([seq], |row| row.get(0)))
            .at(&self.path)?;
        let undated = codec::prints_undated(&prints).map_err(|m| corrupt(&self.path, id, m))?;
        let Some(published) = store::date_from_copy(undated, Some(given)) else {
            return Ok(false);
        };
        self.put_date(seq, id, published)?;
        self.touched.push(seq);
        Ok(true)
    }

    /// Dates stored article `seq` (`id`), undated until now, `published`,
    /// a date a copy of its story gave (its `updated` stays, never before
    /// it: [`store::updated_when_dated`]); its prints say it is dated.
    fn put_date(&mut self, seq: i64, id: &str, published: i64) -> Result<(), StoreError> {
        let (updated, prints): (i64, Vec<u8>) = self
            .tx
            .prepare_cached("SELECT updated, prints FROM article WHERE seq = ?")
            .and_then(|mut stmt| stmt.query_row([seq], |row| Ok((row.get(0)?, row.get(1)?))))
            .at(&self.path)?;
        let corrupt = |m| corrupt(&self.path, id, m);
        let updated = store::updated_when_dated(updated, published);
        let prints = codec::prints_dated(&prints).map_err(corrupt)?;
        self.tx
            .prepare_cached(
                "UPDATE article SET published = ?, updated = ?, prints = ? WHERE seq = ?",
            )
            .and_then(|mut stmt| stmt.execute(params![published, updated, prints, seq]))
            .at(&self.path)?;
        Ok(())
    }

    /// Fills what stored article `seq` (`id`) lacks from `copy`, folded
    /// into it without replacing its text ([`codec::with_missing_filled`]).
    /// Its `updated` stays, and so does when its text was replaced.
    /// Whether it lacked anything the copy gives.
    fn fill_missing(&mut self, seq: i64, id: &str, copy: &Article) -> Result<bool, StoreError> {
        let Some(fillers) = codec::Fillers::of(copy) else {
            return Ok(false);
        };
        let (content, prints): (Vec<u8>, Vec<u8>) = self
            .tx
            .prepare_cached("SELECT content, prints FROM article WHERE seq = ?")
            .and_then(|mut stmt| stmt.query_row([seq], |row| Ok((row.get(0)?, row.get(1)?))))
            .at(&self.path)?;
        let filled = codec::with_missing_filled(&content, &fillers)
            .map_err(|m| corrupt(&self.path, id, m))?;
        let Some(filled) = filled else {
            return Ok(false);
        };
        self.put_filled(seq, id, (&content, &prints), &filled)?;
        self.touched.push(seq);
        Ok(true)
    }

    /// Stores `filled`, the content record of article `seq` (`id`) with
    /// what it lacked filled in, over its record `stored` (content and
    /// prints), and its prints under the headline the fill gave it, if any
    /// ([`codec::prints_retitled`]).
    fn put_filled(
        &mut self,
        seq: i64,
        id: &str,
        (content, prints): (&[u8], &[u8]),
        filled: &[u8],
    ) -> Result<(), StoreError> {
        let retitled = codec::prints_retitled(prints, content, filled)
            .map_err(|m| corrupt(&self.path, id, m))?;
        self.tx
            .prepare_cached(
                "UPDATE article SET content = ?, prints = coalesce(?, prints) WHERE seq = ?",
            )
            .and_then(|mut stmt| stmt.execute(params![filled, retitled, seq]))
            .at(&self.path)?;
        Ok(())
    }

    /// Marks every article this transaction inserted or changed, and every
    /// sighting it added, as stored `at`; the sightings wait in
    /// `sighting_pending` unless the transaction `merged` them.
    fn mark_stored(&mut self, at: DateTime<Utc>, merged: bool) -> Result<(), StoreError> {
        let at = codec::seconds(at);
        self.tx
            .prepare_cached("UPDATE article SET stored = ? WHERE seq > ?")
            .and_then(|mut stmt| stmt.execute(params![at, self.last_before]))
            .at(&self.path)?;
        self.touched.sort_unstable();
        self.touched.dedup();
        let mut stmt = self
            .tx
            .prepare_cached("UPDATE article SET stored = ? WHERE seq = ?")
            .at(&self.path)?;
        for seq in &self.touched {
            stmt.execute(params![at, seq]).at(&self.path)?;
        }
        let table = if merged {
            "sighting_settled"
        } else {
            "sighting_pending"
        };
        self.tx
            .prepare_cached(&format!("UPDATE {table} SET stored = ? WHERE article > ?"))
            .and_then(|mut stmt| stmt.execute(params![at, self.last_before]))
            .at(&self.path)?;
        let mut stmt = self
            .tx
            .prepare_cached(&format!(
                "UPDATE {table} SET stored = ? WHERE article = ? AND place = ?"
            ))
            .at(&self.path)?;
        for (article, place) in &self.sighted {
            stmt.execute(params![at, article, place]).at(&self.path)?;
        }
        Ok(())
    }

    /// Replaces the content and prints of article `id` (a copy leaves it
    /// the link, authors and media files it gives none of:
    /// [`Decided::replacing`]), keeping its id and `published` (but for
    /// one dated ahead only by its first sighting:
    /// [`store::published_on_replace`]); `updated` moves forward, to the
    /// copy's update date when later, else to the moment it was read
    /// ([`store::updated_on_replace`]).
    /// Its number.
    fn replace_article(&mut self, id: &str, decided: &Decided) -> Result<i64, StoreError> {
        let seq = self.seq(id)?;
        let StoredRow {
            dated,
            content,
            prints,
            keys,
        } = self.stored_row(seq)?;
        let old = codec::unpack_keys(&keys).map_err(|m| corrupt(&self.path, id, m))?;
        let undated = codec::prints_undated(&prints).map_err(|m| corrupt(&self.path, id, m))?;
        let replaced = decided
            .replacing(&content)
            .map_err(|m| corrupt(&self.path, id, m))?;
        self.former_content.record(
            seq,
            FormerText {
                content,
                prints: prints.clone(),
                published: dated.published,
                updated: dated.updated,
            },
        );
        let content = replaced;
        let dates = decided.dates_replacing(&dated, undated);
        let (prints, keys) = near_index::refile(
            &self.tx,
            &self.path,
            seq,
            &old,
            &decided.replacing_prints(undated),
            self.index_distance,
        )?;
        self.rewrite_row(seq, &content, (&prints, &keys), dates, decided.now)?;
        Ok(seq)
    }
}

impl SqliteWriter<'_> {
    /// Writes article `seq`'s new `content`, its prints and index keys as
    /// [`near_index::refile`] packed them, and its `published` and
    /// `updated` dates, changed at `now`.
    fn rewrite_row(
        &self,
        seq: i64,
        content: &[u8],
        (prints, keys): (&[u8], &[u8]),
        dates: store::RowDates,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "UPDATE article SET content = ?, prints = ?, keys = ?, published = ?, updated = ?, \
                 changed = ? WHERE seq = ?",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    content,
                    prints,
                    keys,
                    dates.published,
                    dates.updated,
                    codec::seconds(now),
                    seq
                ])
            })
            .at(&self.path)?;
        Ok(())
    }

    /// Article `seq`'s row as stored: its dates, content record, prints
    /// and index keys, packed.
    fn stored_row(&self, seq: i64) -> Result<StoredRow, StoreError> {
        self.tx
            .prepare_cached(
                "SELECT published, updated, first_seen, changed, content, prints, keys \
                 FROM article WHERE seq = ?",
            )
            .and_then(|mut stmt| {
                stmt.query_row([seq], |r| {
                    Ok(StoredRow {
                        dated: store::Dated {
                            published: r.get(0)?,
                            updated: r.get(1)?,
                            first_seen: r.get(2)?,
                            changed: r.get(3)?,
                        },
                        content: r.get(4)?,
                        prints: r.get(5)?,
                        keys: r.get(6)?,
                    })
                })
            })
            .at(&self.path)
    }

    /// The dates, content record and index keys of article `seq` (`id`).
    fn merged_row(&self, seq: i64, id: &str) -> Result<MergedRow, StoreError> {
        let StoredRow {
            dated,
            content,
            prints,
            keys,
        } = self.stored_row(seq)?;
        let title = codec::unpack_article(id.to_string(), dated.published, dated.updated, &content)
            .map_err(|m| corrupt(&self.path, id, m))?
            .title;
        Ok(MergedRow {
            dated,
            title,
            keys: codec::unpack_keys(&keys).map_err(|m| corrupt(&self.path, id, m))?,
            packed_keys: keys,
            content,
            prints,
        })
    }

    /// The `published` the survivor of `merge` (its row as read `own`,
    /// the other's `theirs`) is dated afresh, if any
    /// ([`store::redated_on_merge`]).
    fn merged_date(
        &self,
        merge: &Merge,
        own: &MergedRow,
        theirs: &MergedRow,
    ) -> Result<Option<i64>, StoreError> {
        let undated = |row: &MergedRow, id: &str| {
            codec::prints_undated(&row.prints).map_err(|m| corrupt(&self.path, id, m))
        };
        Ok(store::redated_on_merge(
            (own.dated.published, undated(own, &merge.survivor)?),
            (theirs.dated.published, undated(theirs, &merge.absorbed)?),
            merge.takes_text(),
        ))
    }

    /// Gives article `survivor` the text of `absorbed` (their rows as
    /// read), filed under its index keys, as [`SourceWriter::merge`] says:
    /// its content record `content` ([`codec::merged`]).
    fn take_text(
        &mut self,
        survivor: (i64, &MergedRow),
        absorbed: &MergedRow,
        content: &[u8],
        now: i64,
    ) -> Result<(), StoreError> {
        let (seq, own) = survivor;
        near_index::swap_keys(&self.tx, &self.path, seq, &own.keys, &absorbed.keys)?;
        let updated = store::updated_on_merge(own.dated, absorbed.dated, now);
        self.tx
            .prepare_cached(
                "UPDATE article SET content = ?, prints = ?, keys = ?, updated = ?, changed = ? \
                 WHERE seq = ?",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    content,
                    absorbed.prints,
                    absorbed.packed_keys,
                    updated,
                    now,
                    seq
                ])
            })
            .at(&self.path)?;
        Ok(())
    }

    /// Keeps the text article `seq` (`id`, its row as read `row`) had
    /// before this transaction replaced it, else its text now, with its
    /// prints and dates, as the text a merge that absorbs it restores when
    /// undone ([`SourceWriter::unmerge`]), and the number it was kept
    /// under, where a walk whose cursor named it goes on
    /// ([`crate::store::Store::place_of_cursor`]).
    fn keep_merged(&self, seq: i64, id: &str, row: &MergedRow) -> Result<(), StoreError> {
        let (content, prints, published, updated) = match self.former_content.of(seq) {
            Some(former) => (
                &former.content,
                &former.prints,
                former.published,
                former.updated,
            ),
            None => (
                &row.content,
                &row.prints,
                row.dated.published,
                row.dated.updated,
            ),
        };
        self.tx
            .prepare_cached(
                "INSERT OR REPLACE INTO merged_article \
                 (id, published, updated, first_seen, content, prints, seq) \
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    codec::pack_id(id),
                    published,
                    updated,
                    row.dated.first_seen,
                    content,
                    prints,
                    seq
                ])
            })
            .at(&self.path)?;
        Ok(())
    }

    /// Moves the sightings of article `absorbed` to `survivor`, every
    /// sighting of both numbered afresh in the order they were first seen
    /// (the survivor's first among those of one moment); a place both were
    /// seen at keeps the survivor's. Where `absorbed` was first seen.
    fn move_sightings(
        &mut self,
        survivor: i64,
        absorbed: i64,
    ) -> Result<Option<(i64, i64)>, StoreError> {
        type Seen = (i64, i64, i64, i64, Option<i64>);
        let sightings = |article: i64| -> Result<Vec<Seen>, StoreError> {
            let mut stmt = self
                .tx
                .prepare_cached(
                    "SELECT place, line, first_seen, arrival, stored FROM sighting \
                     WHERE article = ? ORDER BY arrival",
                )
                .at(&self.path)?;
            let rows = stmt
                .query_map([article], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })
                .at(&self.path)?;
            rows.collect::<Result<Vec<_>, _>>().at(&self.path)
        };
        let own = sightings(survivor)?;
        let theirs = sightings(absorbed)?;
        let first = theirs.first().map(|&(place, line, ..)| (place, line));
        let mut all: Vec<(bool, Seen)> = own.iter().map(|s| (false, *s)).collect();
        all.extend(
            theirs
                .iter()
                .filter(|t| own.iter().all(|o| o.0 != t.0))
                .map(|t| (true, *t)),
        );
        all.sort_by_key(|&(moved, (_, _, first_seen, arrival, _))| (first_seen, moved, arrival));
        for table in ["sighting_settled", "sighting_pending"] {
            self.tx
                .prepare_cached(&format!("DELETE FROM {table} WHERE article IN (?, ?)"))
                .and_then(|mut stmt| stmt.execute(params![survivor, absorbed]))
                .at(&self.path)?;
        }
        let mut insert = self
            .tx
            .prepare_cached(
                "INSERT INTO sighting_pending (article, place, line, first_seen, arrival, stored) \
                 VALUES (?, ?, ?, ?, ?, ?)",
            )
            .at(&self.path)?;
        for (arrival, (moved, (place, line, first_seen, _, stored))) in all.iter().enumerate() {
            insert
                .execute(params![
                    survivor,
                    place,
                    line,
                    first_seen,
                    arrival as i64,
                    stored
                ])
                .at(&self.path)?;
            if *moved {
                self.sighted.push((survivor, *place));
            }
        }
        self.written_behind += all.len() as u64;
        Ok(first)
    }
}

/// The copy a fold names: the id it would have had on its own (a merged
/// article's own), its headline, and whether it was a stored article
/// merged into the other.
struct FoldedFrom<'a> {
    id: &'a str,
    title: &'a str,
    merged: bool,
}

/// An article's row as [`SqliteWriter::stored_row`] reads it.
struct StoredRow {
    dated: store::Dated,
    content: Vec<u8>,
    prints: Vec<u8>,
    /// Its index keys, packed ([`codec::pack_keys`]).
    keys: Vec<u8>,
}

/// An article's row as a merge reads it.
struct MergedRow {
    dated: store::Dated,
    title: String,
    keys: Vec<i64>,
    packed_keys: Vec<u8>,
    content: Vec<u8>,
    prints: Vec<u8>,
}

/// The highest article number in the store (0 when it holds none).
fn last_article(conn: &Connection, path: &Path) -> Result<i64, StoreError> {
    conn.prepare_cached("SELECT coalesce(max(seq), 0) FROM article")
        .and_then(|mut stmt| stmt.query_row([], |row| row.get(0)))
        .at(path)
}

/// An upstream entry as [`remember_entry`] records it.
struct EntrySeen<'a> {
    /// The article it was folded into.
    seq: i64,
    fingerprints: &'a Fingerprints,
    /// The key the store found it under.
    found_under: Option<&'a str>,
    /// Whether it was judged a repeat of the stored text
    /// ([`crate::dedup::Exact::Entry`]: unchanged, or a late retry of an
    /// earlier version).
    sighting_only: bool,
}

/// Records the upstream entry `seen`, read from `source`, under its own
/// key, and updates the key it was `found_under`: each with the content
/// key and version the entry has now. A key leading to another article
/// keeps it, and what it had (an entry's own key that another entry
/// sharing its id took meanwhile). An entry judged a repeat is a sighting
/// only: a key already stored keeps the version of the text stored (a
/// late retry's would make the current version count as an edit when it
/// comes again), and only takes a version where it had none and the
/// content is the same.
fn remember_entry(
    conn: &Connection,
    path: &Path,
    source: &str,
    seen: EntrySeen,
) -> Result<(), StoreError> {
    let EntrySeen {
        seq,
        fingerprints,
        found_under,
        sighting_only,
    } = seen;
    let content = &fingerprints.content_key()[..];
    let version = fingerprints.version.as_ref().map(|v| &v[..]);
    if let Some(key) = &fingerprints.upstream_key {
        conn.prepare_cached(
            "INSERT INTO upstream_key (source, key, article, content_key, version) VALUES (?1, ?2, ?3, ?4, ?5) \
             ON CONFLICT (source, key) DO UPDATE SET content_key = excluded.content_key, \
             version = excluded.version WHERE article = excluded.article \
             AND (NOT ?6 OR (version IS NULL AND content_key = excluded.content_key))",
        )
        .and_then(|mut stmt| {
            stmt.execute(params![source, key, seq, content, version, sighting_only])
        })
        .at(path)?;
    }
    if let Some(found) = found_under.filter(|k| Some(*k) != fingerprints.upstream_key.as_deref()) {
        conn.prepare_cached(
            "UPDATE upstream_key SET content_key = ?1, version = ?2 \
             WHERE source = ?3 AND key = ?4 AND article = ?5 \
             AND (NOT ?6 OR (version IS NULL AND content_key = ?1))",
        )
        .and_then(|mut stmt| {
            stmt.execute(params![content, version, source, found, seq, sighting_only])
        })
        .at(path)?;
    }
    Ok(())
}

/// The upstream entry `probes` find in `source`: the article (number and
/// packed id) stored under the first probe that holds one, with that key,
/// the content key and the version the entry had. A probe that
/// [`EntryProbe::needs_link`] finds only an article holding `link`.
fn find_entry(
    conn: &Connection,
    path: &Path,
    source: &str,
    probes: &[EntryProbe],
    link: Option<&str>,
) -> Result<Option<FoundEntry>, StoreError> {
    for probe in probes {
        let link = match (probe.needs_link, link) {
            (false, _) => None,
            (true, Some(link)) => Some(link),
            (true, None) => continue,
        };
        let found = conn
            .prepare_cached(
                "SELECT a.seq, a.id, u.content_key, u.version FROM upstream_key u \
                 JOIN article a ON a.seq = u.article WHERE u.source = ?1 AND u.key = ?2 \
                 AND (?3 IS NULL OR EXISTS \
                     (SELECT 1 FROM link_key l WHERE l.link = ?3 AND l.article = u.article))",
            )
            .and_then(|mut stmt| {
                stmt.query_row(params![source, probe.key, link], |row| {
                    Ok(FoundEntry {
                        seq: row.get(0)?,
                        id: row.get(1)?,
                        key: probe.key.clone(),
                        content_key: row.get(2)?,
                        version: row.get(3)?,
                    })
                })
                .optional()
            })
            .at(path)?;
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

/// An upstream entry's row as [`find_entry`] read it.
struct FoundEntry {
    seq: i64,
    id: Vec<u8>,
    key: String,
    content_key: Vec<u8>,
    version: Option<Vec<u8>>,
}

/// The number of place (`source`, `location`), named once.
pub(super) fn place(
    conn: &Connection,
    path: &Path,
    source: &str,
    location: &str,
) -> Result<i64, StoreError> {
    conn.prepare_cached("INSERT OR IGNORE INTO place (source, location) VALUES (?, ?)")
        .and_then(|mut stmt| stmt.execute(params![source, location]))
        .at(path)?;
    conn.prepare_cached("SELECT id FROM place WHERE source = ? AND location = ?")
        .and_then(|mut stmt| stmt.query_row(params![source, location], |r| r.get(0)))
        .at(path)
}

/// An article as it is first stored.
pub(super) struct NewArticle<'a> {
    pub id: &'a str,
    pub published: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub first_seen: DateTime<Utc>,
    pub content: &'a ContentRef<'a>,
    pub prints: &'a NearPrints,
}

/// Inserts `new`, filed under its prints' keys for distance `k`; its number.
pub(super) fn insert_article(
    conn: &Connection,
    path: &Path,
    new: NewArticle,
    k: u32,
) -> Result<i64, StoreError> {
    let keys = codec::near_keys(&new.prints.index_keys(k));
    // Numbered after every number an article holds and every one a merge
    // keeps aside (SQLite would give the number of the last article again
    // once a merge took it away, and undoing that merge could not put the
    // article back under it).
    conn.prepare_cached(
        "INSERT INTO article (seq, id, published, updated, first_seen, content, prints, keys) \
         VALUES (max(coalesce((SELECT max(seq) FROM article), 0), \
                     coalesce((SELECT max(seq) FROM merged_article), 0)) + 1, \
                 ?, ?, ?, ?, ?, ?, ?)",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            codec::pack_id(new.id),
            codec::seconds(new.published),
            codec::seconds(new.updated),
            codec::seconds(new.first_seen),
            codec::pack_content(new.content),
            codec::pack_prints(new.prints),
            codec::pack_keys(&keys),
        ])
    })
    .at(path)?;
    let seq = conn.last_insert_rowid();
    near_index::insert_keys(conn, path, seq, &keys)?;
    Ok(seq)
}

impl SourceWriter for SqliteWriter<'_> {
    fn former_names(&self) -> &[String] {
        &self.former_names
    }

    fn known(&mut self, fingerprints: &Fingerprints) -> Result<Known, StoreError> {
        self.seqs.clear();
        let found = find_entry(
            &self.tx,
            &self.path,
            &self.source,
            &fingerprints.entry_probes,
            fingerprints.canonical_link.as_deref(),
        )?;
        let entry = match found {
            Some(found) => {
                let id = self.remember(found.seq, &found.id)?;
                let key = |bytes: &[u8]| Key::try_from(bytes).ok();
                key(&found.content_key).map(|content_key| KnownEntry {
                    id,
                    key: found.key,
                    content_key,
                    version: found.version.as_deref().and_then(key),
                })
            }
            None => None,
        };
        let by_content = self.lookup(
            "SELECT a.seq, a.id FROM content_key k JOIN article a ON a.seq = k.article WHERE k.key = ?",
            &&fingerprints.content_key()[..16],
        )?;
        let by_link = match &fingerprints.canonical_link {
            Some(link) => self.filed_under_link(link)?,
            None => None,
        };
        let (stored, stored_link) = match (&entry, &by_link) {
            (Some(entry), by_link) if !entry.unchanged(fingerprints) => {
                // A changed entry whose link leads to its article asks
                // whether that is the article's own link
                // (`dedup::Known::stored_link`).
                let link = match by_link {
                    Some(id) if *id == entry.id => self.link_of(id)?,
                    _ => None,
                };
                (Some(self.prints_of(&entry.id)?), link)
            }
            (None, Some(id)) if by_content.is_none() => {
                // Only a copy whose link names a post asks which the
                // stored link names (`dedup::link_names_another_post`).
                let link = match fingerprints.link_anchor {
                    Some(_) => self.link_of(id)?,
                    None => None,
                };
                (Some(self.prints_of(id)?), link)
            }
            _ => (None, None),
        };
        let stored_update_given = stored.as_ref().is_some_and(|(_, given)| *given);
        Ok(Known {
            entry,
            by_content,
            by_link,
            stored_prints: stored.map(|(prints, _)| prints),
            stored_update_given,
            stored_link,
        })
    }

    fn index_distance(&self) -> u32 {
        self.index_distance
    }

    fn candidates_under(
        &mut self,
        keys: &[IndexKey],
        per_key: usize,
    ) -> Result<Vec<Candidate>, StoreError> {
        let filled = match self.filled {
            Some(filled) => filled,
            None => *self
                .filled
                .insert(near_index::Filled::of(&self.tx, &self.path)?),
        };
        let found = near_index::candidates(
            &self.tx,
            &self.path,
            keys,
            self.index_distance,
            per_key,
            filled,
        )?;
        Ok(found
            .into_iter()
            .map(|(seq, candidate)| {
                self.seqs.insert(candidate.id.clone(), seq);
                candidate
            })
            .collect())
    }

    fn record(&mut self, decided: &Decided) -> Result<Recorded, StoreError> {
        let Decided {
            article,
            fingerprints,
            decision,
            now,
            ..
        } = *decided;
        let (mut filled, mut edited) = (false, false);
        let seq = match decision {
            Decision::New { id } => {
                self.now_pending();
                self.insert_article(id, decided)?
            }
            Decision::Update { id }
            | Decision::EditedCopy { id, .. }
            | Decision::Near {
                id,
                update: Some(_),
                ..
            } => {
                self.now_pending();
                let seq = self.replace_article(id, decided)?;
                self.touched.push(seq);
                seq
            }
            Decision::Repeat { id, .. }
            | Decision::Near {
                id, update: None, ..
            } => {
                let seq = self.seq(id)?;
                if let Some(given) = decided.date_given() {
                    filled = self.take_copy_date(seq, id, given)?;
                }
                if decided.fills_missing() {
                    filled |= self.fill_missing(seq, id, article)?;
                }
                if decided.edits_a_page_stand_in() {
                    edited = self.take_entry_edits(seq, id, decided)?;
                }
                if decided.may_correct_captions() {
                    edited |= self.take_caption_correction(seq, id, decided)?;
                }
                if decided.shows_local_intro {
                    self.mark_local_intro(seq, id)?;
                }
                seq
            }
        };
        self.remember_keys(
            seq,
            fingerprints,
            decided.found_under,
            decided.repeats_an_entry(),
        )?;
        let place = self.place(&article.origin.location)?;
        let now = codec::seconds(now);
        let new_sighting = write_behind::add_sighting(
            &self.tx,
            &self.path,
            seq,
            place,
            article.origin.line as i64,
            now,
            None,
        )?;
        if new_sighting && seq <= self.last_before {
            self.sighted.push((seq, place));
        }
        self.written_behind += u64::from(new_sighting);
        if !new_sighting && decided.places_an_entry_again() {
            self.move_to_entrys_line(seq, place, decided)?;
        }
        // A copy from a place the article was seen at already (a second
        // copy in its own dump file, another push, a feed's second entry)
        // is a fold too; the fold table keeps each copy once per place, so
        // reading the file again adds none.
        if let Decision::EditedCopy { update, .. } = decision {
            self.fold_replaced(seq, place, decided, *update)?;
        }
        let another_copy = decided.another_copy;
        let fold = match decision.fold_reason() {
            Some(reason) if new_sighting || another_copy => {
                // A repeat of a text the article had before another copy
                // replaced it, or of a copy folded into it, is no repeat of
                // its text now.
                let reason = if decision.repeats_content() {
                    let (stored, _) = self.prints_of(decision.id())?;
                    reason.against_stored(&fingerprints.near, &stored, || {
                        self.text_history(seq, decision.id())
                    })?
                } else {
                    reason
                };
                self.record_fold(
                    seq,
                    (place, article.origin.line as i64),
                    FoldedFrom {
                        id: &fingerprints.new_id,
                        title: &article.title,
                        merged: false,
                    },
                    &reason,
                    now,
                )?
                .then_some(reason)
            }
            _ => None,
        };
        Ok(Recorded {
            fold,
            filled,
            edited,
        })
    }

    fn settled(&mut self, id: &str) -> Result<Option<Settled>, StoreError> {
        type Row = (i64, i64, i64, i64, Option<i64>, Vec<u8>, Vec<u8>);
        let row: Option<Row> = self
            .tx
            .prepare_cached(
                "SELECT seq, published, updated, first_seen, changed, content, prints \
                 FROM article WHERE id = ?",
            )
            .and_then(|mut stmt| {
                stmt.query_row([codec::pack_id(id)], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                    ))
                })
                .optional()
            })
            .at(&self.path)?;
        let Some((seq, published, updated, first_seen, changed, content, prints)) = row else {
            return Ok(None);
        };
        self.seqs.insert(id.to_string(), seq);
        codec::unpack_settled(codec::SettledRow {
            seq,
            id: id.to_string(),
            published,
            updated,
            first_seen,
            changed,
            content: &content,
            prints: &prints,
        })
        .map(Some)
        .map_err(|m| corrupt(&self.path, id, m))
    }

    fn filed_under_link(&mut self, link: &str) -> Result<Option<String>, StoreError> {
        self.lookup(
            "SELECT a.seq, a.id FROM link_key k JOIN article a ON a.seq = k.article WHERE k.link = ?",
            &link,
        )
    }

    fn merge(&mut self, merge: &Merge, now: DateTime<Utc>) -> Result<(), StoreError> {
        let now = codec::seconds(now);
        let survivor = self.seq(&merge.survivor)?;
        let absorbed = self.seq(&merge.absorbed)?;
        let own = self.merged_row(survivor, &merge.survivor)?;
        let theirs = self.merged_row(absorbed, &merge.absorbed)?;
        self.now_pending();
        let content = codec::merged(&own.content, &theirs.content, merge.takes_text())
            .map_err(|m| corrupt(&self.path, &merge.survivor, m))?;
        match content {
            Some(content) if merge.takes_text() => {
                self.take_text((survivor, &own), &theirs, &content, now)?;
            }
            Some(filled) => {
                self.put_filled(
                    survivor,
                    &merge.survivor,
                    (&own.content, &own.prints),
                    &filled,
                )?;
            }
            None => {}
        }
        if let Some(published) = self.merged_date(merge, &own, &theirs)? {
            self.put_date(survivor, &merge.survivor, published)?;
        }
        if merge.marks_survivor_intro() {
            self.mark_local_intro(survivor, &merge.survivor)?;
        }
        near_index::delete_keys(&self.tx, &self.path, absorbed, &theirs.keys)?;
        // Content keys, links and upstream entries lead to the survivor
        // (none of them is keyed by article: each is looked for whole).
        for table in [
            "content_key_settled",
            "content_key_pending",
            "link_key",
            "upstream_key",
        ] {
            self.tx
                .prepare_cached(&format!("UPDATE {table} SET article = ? WHERE article = ?"))
                .and_then(|mut stmt| stmt.execute(params![survivor, absorbed]))
                .at(&self.path)?;
        }
        let first = self.move_sightings(survivor, absorbed)?;
        self.keep_merged(absorbed, &merge.absorbed, &theirs)?;
        // A fold that replaced the absorbed article's text replaced the
        // survivor's only when the survivor takes that text.
        let replaced = if merge.takes_text() {
            ""
        } else {
            ", replaced = NULL"
        };
        self.tx
            .execute_batch(&format!(
                "UPDATE OR IGNORE fold SET article = {survivor}{replaced} WHERE article = {absorbed}; \
                 DELETE FROM fold WHERE article = {absorbed}; \
                 DELETE FROM article WHERE seq = {absorbed};"
            ))
            .at(&self.path)?;
        if let Some((place, line)) = first {
            let published_headline = self
                .former_content
                .published_headline(absorbed)
                .unwrap_or_else(|| theirs.title.clone());
            self.record_fold(
                survivor,
                (place, line),
                FoldedFrom {
                    id: &merge.absorbed,
                    title: &published_headline,
                    merged: true,
                },
                &merge.reason,
                now,
            )?;
        }
        self.seqs.remove(&merge.absorbed);
        self.touched.push(survivor);
        Ok(())
    }

    fn merged_away(&mut self, id: &str) -> Result<Option<NearPrints>, StoreError> {
        let row: Option<(i64, i64, Vec<u8>)> = self
            .tx
            .prepare_cached("SELECT published, updated, prints FROM merged_article WHERE id = ?")
            .and_then(|mut stmt| {
                stmt.query_row([codec::pack_id(id)], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .optional()
            })
            .at(&self.path)?;
        row.map(|(published, updated, prints)| {
            codec::unpack_prints(&prints, published, updated)
                .map_err(|m| corrupt(&self.path, id, m))
        })
        .transpose()
    }

    fn unmerge(&mut self, unmerge: &Unmerge) -> Result<bool, StoreError> {
        let id = codec::pack_id(&unmerge.absorbed);
        type Row = (i64, i64, i64, Vec<u8>, Vec<u8>, Option<i64>);
        // The number it was kept under, while no article holds it, puts it
        // back where a walk whose cursor named it goes on.
        let row: Option<Row> = self
            .tx
            .prepare_cached(
                "SELECT published, updated, first_seen, content, prints, \
                 CASE WHEN NOT EXISTS (SELECT 1 FROM article a WHERE a.seq = m.seq) \
                 THEN m.seq END FROM merged_article m WHERE id = ?",
            )
            .and_then(|mut stmt| {
                stmt.query_row([&id], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ))
                })
                .optional()
            })
            .at(&self.path)?;
        let Some((published, updated, first_seen, content, packed_prints, kept_seq)) = row else {
            return Ok(false);
        };
        let (prints, link) = codec::unpack_kept(&content, &packed_prints, published, updated)
            .map_err(|m| corrupt(&self.path, &unmerge.absorbed, m))?;
        let survivor = self.seq(&unmerge.survivor)?;
        let survivor_link = self
            .link_of(&unmerge.survivor)?
            .as_deref()
            .and_then(canonical_url);
        let keys = codec::near_keys(&prints.index_keys(self.index_distance));
        self.now_pending();
        self.tx
            .prepare_cached(
                "INSERT INTO article \
                 (seq, id, published, updated, first_seen, content, prints, keys) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    kept_seq,
                    id,
                    published,
                    updated,
                    first_seen,
                    content,
                    packed_prints,
                    codec::pack_keys(&keys),
                ])
            })
            .at(&self.path)?;
        let seq = self.tx.last_insert_rowid();
        near_index::insert_keys(&self.tx, &self.path, seq, &keys)?;
        self.tx
            .prepare_cached(
                "UPDATE upstream_key SET article = ?1 WHERE source = ?2 AND key = ?3 AND article = ?4",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![seq, self.source, unmerge.entry_key, survivor])
            })
            .at(&self.path)?;
        for table in ["content_key_settled", "content_key_pending"] {
            self.tx
                .prepare_cached(&format!(
                    "UPDATE {table} SET article = ? WHERE key = ? AND article = ?"
                ))
                .and_then(|mut stmt| {
                    stmt.execute(params![seq, &prints.content_key[..16], survivor])
                })
                .at(&self.path)?;
        }
        if let Some(link) = link.filter(|link| Some(link) != survivor_link.as_ref()) {
            self.tx
                .prepare_cached("UPDATE link_key SET article = ? WHERE link = ? AND article = ?")
                .and_then(|mut stmt| stmt.execute(params![seq, link, survivor]))
                .at(&self.path)?;
        }
        self.tx
            .prepare_cached("DELETE FROM fold WHERE article = ? AND copy_id = ? AND merged")
            .and_then(|mut stmt| stmt.execute(params![survivor, id]))
            .at(&self.path)?;
        self.tx
            .prepare_cached("DELETE FROM merged_article WHERE id = ?")
            .and_then(|mut stmt| stmt.execute(params![id]))
            .at(&self.path)?;
        self.seqs.insert(unmerge.absorbed.clone(), seq);
        self.touched.push(seq);
        Ok(true)
    }

    fn begin_unit(&mut self) -> Result<(), StoreError> {
        self.former_content.begin_unit();
        if self.tx.total_changes() == self.changes_at_begin {
            // Nothing written yet: the transaction itself keeps the unit
            // apart. A savepoint would copy every page the unit changes to a
            // journal of its own (some 5,000 pages for 2,000 articles
            // folded into a million).
            self.unit = UnitScope::Transaction;
            self.touched_before_unit = 0;
            return Ok(());
        }
        self.unit = UnitScope::Savepoint;
        self.touched_before_unit = self.touched.len();
        self.tx.execute_batch("SAVEPOINT unit").at(&self.path)
    }

    fn end_unit(&mut self, keep: bool) -> Result<(), StoreError> {
        // Places and articles made inside a discarded unit are gone with it.
        self.places.clear();
        self.seqs.clear();
        if !keep {
            self.touched.truncate(self.touched_before_unit);
            self.former_content.discard_unit();
        }
        let sql = match (self.unit, keep) {
            (UnitScope::Transaction, true) => return Ok(()),
            (UnitScope::Transaction, false) => {
                self.tx
                    .execute_batch("ROLLBACK; BEGIN IMMEDIATE")
                    .at(&self.path)?;
                self.filled = None;
                self.changes_at_begin = self.tx.total_changes();
                self.last_before = last_article(&self.tx, &self.path)?;
                return Ok(());
            }
            (UnitScope::Savepoint, true) => "RELEASE unit",
            (UnitScope::Savepoint, false) => "ROLLBACK TO unit; RELEASE unit",
        };
        self.tx.execute_batch(sql).at(&self.path)
    }

    fn is_open(&self) -> bool {
        !self.tx.is_autocommit()
    }

    fn put_fetch_state(&mut self, state: &FetchState) -> Result<(), StoreError> {
        fetch_state::put(&self.tx, &self.path, &self.source, state)
    }

    fn read_later_than(&mut self, began: DateTime<Utc>) -> Result<bool, StoreError> {
        fetch_state::read_later_than(&self.tx, &self.path, &self.source, began)
    }

    fn put_document_validators(
        &mut self,
        documents: &DocumentValidators,
    ) -> Result<(), StoreError> {
        fetch_state::put_documents(&self.tx, &self.path, &self.source, documents)
    }

    fn remember_page(&mut self, page: &SeenPage) -> Result<(), StoreError> {
        pages::remember(&self.tx, &self.path, &self.source, page)
    }

    fn site_paragraph_counts(
        &mut self,
        site: &str,
        page: &str,
        keys: &[Key],
    ) -> Result<std::collections::HashMap<Key, u32>, StoreError> {
        pages::paragraph_counts(&self.tx, &self.path, site, page, keys)
    }

    fn site_page_counted(&mut self, site: &str, page: &str) -> Result<bool, StoreError> {
        Ok(pages::page_id(&self.tx, &self.path, site, page)?.is_some())
    }

    fn count_site_page(&mut self, site: &str, page: &str, keys: &[Key]) -> Result<(), StoreError> {
        pages::count_page(&self.tx, &self.path, site, page, keys)
    }

    fn commit(mut self: Box<Self>, clock: &dyn Fn() -> DateTime<Utc>) -> Result<(), StoreError> {
        near_index::merge_if_due(&self.tx, &self.path)?;
        let merged = write_behind::merge_if_due(&self.tx, &self.path, self.written_behind)?;
        self.mark_stored(clock(), merged)?;
        self.turn.still_in_place()?;
        self.tx.commit().at(&self.path)
    }
}

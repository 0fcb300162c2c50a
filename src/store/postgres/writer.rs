//! The write transaction of one source in PostgreSQL: the lookups (each in
//! one round trip), what dedup decided written (a new article with its
//! index keys, keys and first sighting in one statement; for a stored one,
//! what the sighting adds, the sighting and the fold in one), a savepoint
//! per unit. The first lookup takes the fold lock (see the module above), so a
//! decision is always made on everything other workers committed. A
//! commit that changed what feeds show bumps `revision` and announces, on
//! the change channel, the sources whose feeds carry what it changed, both
//! delivered with the commit.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::connect::{Conn, Target};
use super::{
    At, CHANNEL, FOLD_LOCK, corrupt, in_database_clock, key_text, near_index, pages, rename,
};
use crate::dedup::refold::{Merge, Settled, Unmerge};
use crate::dedup::{
    Candidate, Decision, Fingerprints, FoldReason, IndexKey, Known, KnownEntry, NearPrints,
    TextHistory, near_rules,
};
use crate::ingest::fetch::Validators;
use crate::ingest::fetch_state::{DocumentValidators, FetchState};
use crate::ingest::source::SeenPage;
use crate::model::Article;
use crate::normalize::{Key, canonical_url};
use crate::store::codec::{self, ContentRef};
use crate::store::former_content::{FormerContent, FormerText};
use crate::store::{self, Decided, Recorded, SourceWriter, StoreError};

/// Opens a source's transaction. Its lookups read by key, so the planner
/// takes no sequential scan where an index can serve. The planner's
/// choice rests on the tables' statistics, which autovacuum refreshes only
/// now and then, and a connection keeps a statement's plan: statistics
/// taken while a table held a few dozen rows, or none yet, made each lookup
/// of a run scan the tables the run was growing, every lookup slower than
/// the last (see BENCHMARKS.md, "A plan made before the first ANALYZE").
/// The sequential scans that remain (of one-row tables such as
/// `near_index`, and of the tables a merge empties) are costed as if
/// forbidden, which had every statement that makes one compiled to machine
/// code at each call (111 ms a new article): no JIT. Each statement keeps
/// one plan for its connection: left to choose, the server planned the
/// candidate lookup afresh at every call in a store of a million (0.18 ms
/// a call, a fifth of a run's time there).
const WRITE_BEGIN: &str = "BEGIN; SET LOCAL enable_seqscan = off; SET LOCAL jit = off; \
     SET LOCAL plan_cache_mode = force_generic_plan";

/// Announces a commit on the change channel, once for each source whose
/// feeds it changed: the writer's own, and every source that sighted an
/// article it stored or changed (an update through one source changes the
/// feeds of all the others carrying the article). Each payload is the
/// [`Announcement`](super::changes::Announcement) of the revision the
/// commit counted and one source.
const ANNOUNCE: &str = "SELECT pg_notify($1, $2::bigint || ' ' || announced.source) \
     FROM (SELECT $3::text AS source \
           UNION SELECT p.source FROM sighting s JOIN place p ON p.id = s.place \
                 WHERE s.article = ANY($4)) AS announced";

/// The open write transaction of one source.
pub(super) struct PgWriter<'a> {
    conn: &'a mut Conn,
    target: &'a Target,
    source: String,
    /// The names the source had before it was renamed.
    former_names: Vec<String>,
    /// The distance the store's body bands are keyed for.
    index_distance: u32,
    /// Whether this transaction holds the fold lock.
    locked: bool,
    /// Whether anything feeds show was written.
    changed: bool,
    /// Whether the transaction ended (committed).
    done: bool,
    /// The numbers of the articles the last lookups named.
    seqs: HashMap<String, i64>,
    /// The place number of each location of this source seen so far.
    places: HashMap<String, i64>,
    /// The articles this transaction stored or changed, marked as stored
    /// at the commit.
    touched: Vec<i64>,
    /// How many of `touched` came before the open unit.
    touched_before_unit: usize,
    /// The sightings (article and place numbers) this transaction added,
    /// marked as stored at the commit. One a discarded unit took back is
    /// gone for good (numbers are not given twice): marking it does nothing.
    sighted: Vec<(i64, i64)>,
    /// The content records of the articles whose text this transaction
    /// replaced, from before it did: a merge that absorbs one names it by
    /// the headline it had then.
    former_content: FormerContent,
}

impl<'a> PgWriter<'a> {
    pub(super) fn new(
        conn: &'a mut Conn,
        target: &'a Target,
        source: &str,
    ) -> Result<PgWriter<'a>, StoreError> {
        // The writer exists before the transaction opens, so a failure
        // from here on is rolled back when it drops.
        let mut writer = PgWriter {
            conn,
            target,
            source: source.to_string(),
            former_names: Vec::new(),
            index_distance: 0,
            locked: false,
            changed: false,
            done: false,
            seqs: HashMap::new(),
            places: HashMap::new(),
            touched: Vec::new(),
            touched_before_unit: 0,
            sighted: Vec::new(),
            former_content: FormerContent::default(),
        };
        writer.conn.batch_execute(WRITE_BEGIN).at(target)?;
        super::refuse_converted(writer.conn, target)?;
        rename::refuse_former(writer.conn, target, source)?;
        writer.former_names = rename::former_names(writer.conn, target, source)?;
        writer.index_distance = index_distance(writer.conn, target)?;
        Ok(writer)
    }

    /// Takes the fold lock, once per transaction.
    fn lock(&mut self) -> Result<(), StoreError> {
        if !self.locked {
            self.conn
                .query_one("SELECT pg_advisory_xact_lock($1)", &[&FOLD_LOCK])
                .at(self.target)?;
            self.locked = true;
        }
        Ok(())
    }

    fn remember(&mut self, seq: i64, packed: &[u8]) -> Result<String, StoreError> {
        let id =
            codec::unpack_id(packed).map_err(|m| corrupt(self.target, &format!("#{seq}"), m))?;
        self.seqs.insert(id.clone(), seq);
        Ok(id)
    }

    /// The number of the stored article `id`.
    fn seq(&mut self, id: &str) -> Result<i64, StoreError> {
        if let Some(seq) = self.seqs.get(id) {
            return Ok(*seq);
        }
        let row = self
            .conn
            .query_one(
                "SELECT seq FROM article WHERE id = $1",
                &[&codec::pack_id(id)],
            )
            .at(self.target)?;
        Ok(row.get(0))
    }

    /// The number of `location` of this source.
    fn place(&mut self, location: &str) -> Result<i64, StoreError> {
        if let Some(place) = self.places.get(location) {
            return Ok(*place);
        }
        let place = place(self.conn, self.target, &self.source, location)?;
        self.places.insert(location.to_string(), place);
        Ok(place)
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
        let row = self
            .conn
            .query_one(
                "SELECT content, prints, published, updated, first_seen, changed \
                 FROM article WHERE seq = $1",
                &[&seq],
            )
            .at(self.target)?;
        let corrupt = |m| corrupt(self.target, id, m);
        let content: Vec<u8> = row.get(0);
        let dated = store::Dated {
            published: row.get(2),
            updated: row.get(3),
            first_seen: row.get(4),
            changed: row.get(5),
        };
        let stored =
            codec::unpack_prints(&row.get::<_, Vec<u8>>(1), dated.published, dated.updated)
                .map_err(corrupt)?;
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
        let keys = codec::near_keys(&prints.index_keys(self.index_distance));
        near_index::refile(self.conn, self.target, seq, &keys)?;
        let dates = decided.dates_replacing(&dated, undated);
        self.conn
            .execute(
                "UPDATE article SET content = $2, prints = $3, keys = $4, published = $5, \
                 updated = $6, changed = $7 WHERE seq = $1",
                &[
                    &seq,
                    &edited,
                    &codec::pack_prints(&prints),
                    &keys,
                    &dates.published,
                    &dates.updated,
                    &codec::seconds(decided.now),
                ],
            )
            .at(self.target)?;
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
        let row = self
            .conn
            .query_one(
                "SELECT content, prints, published, updated, first_seen, changed \
                 FROM article WHERE seq = $1",
                &[&seq],
            )
            .at(self.target)?;
        let dated = store::Dated {
            published: row.get(2),
            updated: row.get(3),
            first_seen: row.get(4),
            changed: row.get(5),
        };
        let stored_prints: Vec<u8> = row.get(1);
        let undated =
            codec::prints_undated(&stored_prints).map_err(|m| corrupt(self.target, id, m))?;
        let Some(store::CaptionsCorrected { content, prints }) = decided
            .caption_correction(&row.get::<_, Vec<u8>>(0), &stored_prints, &dated)
            .map_err(|m| corrupt(self.target, id, m))?
        else {
            return Ok(false);
        };
        let now = codec::seconds(decided.now);
        let dates = decided.dates_replacing(&dated, undated);
        self.conn
            .execute(
                "UPDATE article SET content = $2, prints = $3, published = $4, updated = $5, \
                 changed = $6 WHERE seq = $1",
                &[
                    &seq,
                    &content,
                    &prints,
                    &dates.published,
                    &dates.updated,
                    &now,
                ],
            )
            .at(self.target)?;
        self.touched.push(seq);
        Ok(true)
    }

    /// Records in the prints of stored article `seq` (`id`) that its first
    /// paragraph is a local intro over the story
    /// ([`NearPrints::intro_over_story`]); its index keys stay.
    fn mark_local_intro(&mut self, seq: i64, id: &str) -> Result<(), StoreError> {
        let row = self
            .conn
            .query_one("SELECT prints FROM article WHERE seq = $1", &[&seq])
            .at(self.target)?;
        let prints = codec::unpack_prints(&row.get::<_, Vec<u8>>(0), 0, 0)
            .map_err(|m| corrupt(self.target, id, m))?;
        let marked = NearPrints {
            intro_over_story: true,
            ..prints
        };
        self.conn
            .execute(
                "UPDATE article SET prints = $2 WHERE seq = $1",
                &[&seq, &codec::pack_prints(&marked)],
            )
            .at(self.target)?;
        Ok(())
    }

    /// Gives stored article `seq` (`id`), when it came undated, the
    /// publication date `given` of a copy folded into it without replacing
    /// its text ([`store::date_from_copy`]). Whether it took it.
    fn take_copy_date(&mut self, seq: i64, id: &str, given: i64) -> Result<bool, StoreError> {
        let prints: Vec<u8> = self
            .conn
            .query_one("SELECT prints FROM article WHERE seq = $1", &[&seq])
            .at(self.target)?
            .get(0);
        let undated = codec::prints_undated(&prints).map_err(|m| corrupt(self.target, id, m))?;
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
        let row = self
            .conn
            .query_one(
                "SELECT updated, prints FROM article WHERE seq = $1",
                &[&seq],
            )
            .at(self.target)?;
        let updated = store::updated_when_dated(row.get(0), published);
        let prints = codec::prints_dated(&row.get::<_, Vec<u8>>(1))
            .map_err(|m| corrupt(self.target, id, m))?;
        self.conn
            .execute(
                "UPDATE article SET published = $2, updated = $3, prints = $4 WHERE seq = $1",
                &[&seq, &published, &updated, &prints],
            )
            .at(self.target)?;
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
        let row = self
            .conn
            .query_one("SELECT content FROM article WHERE seq = $1", &[&seq])
            .at(self.target)?;
        let content: Vec<u8> = row.get(0);
        let filled = codec::with_missing_filled(&content, &fillers)
            .map_err(|m| corrupt(self.target, id, m))?;
        let Some(filled) = filled else {
            return Ok(false);
        };
        self.put_filled(seq, id, &content, &filled)?;
        self.touched.push(seq);
        Ok(true)
    }

    /// Stores `filled`, the content record of article `seq` (`id`) with
    /// what it lacked filled in over its record `content`, and its prints
    /// under the headline the fill gave it, if any
    /// ([`codec::prints_retitled`]).
    fn put_filled(
        &mut self,
        seq: i64,
        id: &str,
        content: &[u8],
        filled: &[u8],
    ) -> Result<(), StoreError> {
        let prints: Vec<u8> = self
            .conn
            .query_one("SELECT prints FROM article WHERE seq = $1", &[&seq])
            .at(self.target)?
            .get(0);
        let retitled = codec::prints_retitled(&prints, content, filled)
            .map_err(|m| corrupt(self.target, id, m))?;
        self.conn
            .execute(
                "UPDATE article SET content = $2, prints = coalesce($3, prints) WHERE seq = $1",
                &[&seq, &filled, &retitled],
            )
            .at(self.target)?;
        Ok(())
    }

    /// Marks every article this transaction stored or changed, and every
    /// sighting it added, as stored at the moment `clock` tells, moved onto the database's clock
    /// ([`in_database_clock`]) and rounded up to a whole second: workers
    /// whose clocks differ stamp their commits on one clock, the one
    /// clients polling `since` are told to keep to, so a worker whose clock
    /// is behind never stamps a commit before a poll it came after.
    fn mark_stored(&mut self, clock: &dyn Fn() -> DateTime<Utc>) -> Result<(), StoreError> {
        self.touched.sort_unstable();
        self.touched.dedup();
        if self.touched.is_empty() && self.sighted.is_empty() {
            return Ok(());
        }
        // This machine's clock read before the database's: the time the
        // query takes can only move the stamp later.
        let asked = Utc::now();
        let database_now: DateTime<Utc> = self
            .conn
            .query_one("SELECT clock_timestamp()", &[])
            .at(self.target)?
            .get(0);
        let at = in_database_clock(clock(), asked, database_now);
        let at = codec::seconds(codec::whole_second_up(at));
        self.conn
            .execute(
                "UPDATE article SET stored = $1 WHERE seq = ANY($2)",
                &[&at, &self.touched],
            )
            .at(self.target)?;
        let (articles, places): (Vec<i64>, Vec<i64>) = self.sighted.iter().copied().unzip();
        self.conn
            .execute(
                "UPDATE sighting s SET stored = $1 \
                 FROM unnest($2::bigint[], $3::bigint[]) AS u(article, place) \
                 WHERE s.article = u.article AND s.place = u.place",
                &[&at, &articles, &places],
            )
            .at(self.target)?;
        Ok(())
    }

    /// Replaces the content and prints of article `id` (a copy leaves it
    /// the link, authors and media files it gives none of:
    /// [`Decided::replacing`]), keeping its id and `published` (but for
    /// one dated ahead only by its first sighting:
    /// [`store::published_on_replace`]); `updated` moves forward, to the
    /// copy's update date when later, else to the moment it was read, as
    /// [`store::updated_on_replace`] says. Its number.
    fn replace_article(&mut self, id: &str, decided: &Decided) -> Result<i64, StoreError> {
        let seq = self.seq(id)?;
        let row = self
            .conn
            .query_one(
                "SELECT content, prints, published, updated, first_seen, changed \
                 FROM article WHERE seq = $1",
                &[&seq],
            )
            .at(self.target)?;
        let stored: Vec<u8> = row.get(0);
        let stored_prints: Vec<u8> = row.get(1);
        let undated =
            codec::prints_undated(&stored_prints).map_err(|m| corrupt(self.target, id, m))?;
        let dated = store::Dated {
            published: row.get(2),
            updated: row.get(3),
            first_seen: row.get(4),
            changed: row.get(5),
        };
        let content = decided
            .replacing(&stored)
            .map_err(|m| corrupt(self.target, id, m))?;
        self.former_content.record(
            seq,
            FormerText {
                content: stored,
                prints: stored_prints,
                published: dated.published,
                updated: dated.updated,
            },
        );
        let prints = decided.replacing_prints(undated);
        let keys = codec::near_keys(&prints.index_keys(self.index_distance));
        near_index::refile(self.conn, self.target, seq, &keys)?;
        let dates = decided.dates_replacing(&dated, undated);
        self.conn
            .execute(
                "UPDATE article SET content = $2, prints = $3, keys = $4, published = $5, \
                 updated = $6, changed = $7 WHERE seq = $1",
                &[
                    &seq,
                    &content,
                    &codec::pack_prints(&prints),
                    &keys,
                    &dates.published,
                    &dates.updated,
                    &codec::seconds(decided.now),
                ],
            )
            .at(self.target)?;
        Ok(seq)
    }

    /// Writes what seeing the copy `decided` at `place` adds to the stored
    /// article `seq`, in one statement ([`RECORD_SIGHTING`]): its content
    /// key, canonical link and upstream key (and the key the entry was
    /// `found_under`, with its content key and version now, unless it was
    /// judged a repeat), the sighting, and the fold when the decision has a
    /// reason and the sighting is new or the copy folds from any place
    /// ([`Decided::another_copy`]). Whether a fold was recorded;
    /// a new sighting is kept to be marked as stored at the commit.
    fn record_sighting(
        &mut self,
        seq: i64,
        place: i64,
        decided: &Decided,
    ) -> Result<bool, StoreError> {
        let Decided {
            article,
            fingerprints,
            decision,
            found_under,
            now,
            ..
        } = *decided;
        let reason = decision.fold_reason();
        let reason = reason.as_ref();
        let near = decided.another_copy;
        let now = codec::seconds(now);
        let sighting_only = decided.repeats_an_entry();
        let content = &fingerprints.content_key()[..];
        let row = self
            .conn
            .query_one(
                RECORD_SIGHTING,
                &[
                    &seq,
                    &&content[..16],
                    &fingerprints.canonical_link,
                    &self.source,
                    &fingerprints
                        .upstream_key
                        .as_deref()
                        .map(key_text::column_text),
                    &content,
                    &place,
                    &(article.origin.line as i64),
                    &now,
                    &reason.map(|_| codec::pack_id(&fingerprints.new_id)),
                    &article.title,
                    &reason.map(|r| r.rule),
                    &reason.and_then(|r| r.distance).map(|d| d as i32),
                    &reason
                        .and_then(|r| r.update)
                        .map(near_rules::Update::as_str),
                    &reason
                        .and_then(|r| r.evidence.as_ref())
                        .map(|e| e.to_string()),
                    &near,
                    &fingerprints.version.as_ref().map(|v| &v[..]),
                    &found_under.map(key_text::column_text),
                    &sighting_only,
                    &decided.places_an_entry_again(),
                    &decided.is_the_entrys_own_article(),
                    &codec::pack_id(&fingerprints.new_id),
                ],
            )
            .at(self.target)?;
        if row.get::<_, i64>(1) > 0 {
            self.sighted.push((seq, place));
        }
        Ok(row.get::<_, i64>(0) > 0)
    }
}

impl PgWriter<'_> {
    /// Gives the fold just recorded of the content repeat `decided` into
    /// article `seq` from `place` the reason it has against the article's
    /// text now ([`FoldReason::against_stored`](crate::dedup::FoldReason::against_stored)):
    /// a repeat of a text the article had before another copy replaced it,
    /// or of a copy's folded into it, is no `exact` repeat of its text now.
    /// The reason as recorded.
    fn fold_of_earlier_text(
        &mut self,
        seq: i64,
        place: i64,
        decided: &Decided,
        reason: FoldReason,
    ) -> Result<FoldReason, StoreError> {
        let row = self
            .conn
            .query_one(
                "SELECT published, updated, prints FROM article WHERE seq = $1",
                &[&seq],
            )
            .at(self.target)?;
        let id = decided.decision.id();
        let stored = codec::unpack_prints(&row.get::<_, Vec<u8>>(2), row.get(0), row.get(1))
            .map_err(|m| corrupt(self.target, id, m))?;
        let copy = (place, decided.fingerprints.new_id.as_str());
        let now = reason.against_stored(&decided.fingerprints.near, &stored, || {
            self.text_history(seq, id, copy)
        })?;
        if now != reason {
            self.conn
                .execute(
                    "UPDATE fold SET rule = $1, distance = $2 \
                     WHERE article = $3 AND place = $4 AND copy_id = $5",
                    &[
                        &now.rule,
                        &now.distance.map(|d| d as i32),
                        &seq,
                        &place,
                        &codec::pack_id(&decided.fingerprints.new_id),
                    ],
                )
                .at(self.target)?;
        }
        Ok(now)
    }

    /// What the store recorded of the texts article `seq` (`id`) had and
    /// of the copies folded into it before the `copy` (place and id) just
    /// folded: the copies' ids, whether each gave it its text, and the
    /// content its upstream entries, from the sources it was seen in, have
    /// now.
    fn text_history(
        &mut self,
        seq: i64,
        id: &str,
        (place, copy): (i64, &str),
    ) -> Result<TextHistory, StoreError> {
        let replaced: bool = self
            .conn
            .query_one(
                "SELECT changed IS NOT NULL FROM article WHERE seq = $1",
                &[&seq],
            )
            .at(self.target)?
            .get(0);
        let folds = self
            .conn
            .query(
                "SELECT copy_id, replaced IS NOT NULL FROM fold \
                 WHERE article = $1 AND NOT (place = $2 AND copy_id = $3)",
                &[&seq, &place, &codec::pack_id(copy)],
            )
            .at(self.target)?;
        let entries = self
            .conn
            .query(
                "SELECT source, key, content_key FROM upstream_key WHERE article = $1 \
                 AND source IN (SELECT p.source FROM sighting s JOIN place p ON p.id = s.place \
                     WHERE s.article = $1)",
                &[&seq],
            )
            .at(self.target)?;
        let folds = folds
            .iter()
            .map(|row| {
                let copy = codec::unpack_id(&row.get::<_, Vec<u8>>(0))
                    .map_err(|m| corrupt(self.target, id, m))?;
                Ok((copy, row.get(1)))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let entries = entries.iter().filter_map(|row| {
            let content = Key::try_from(row.get::<_, Vec<u8>>(2).as_slice()).ok()?;
            Some((row.get(0), key_text::key_of(row.get(1)), content))
        });
        Ok(TextHistory::of(id, replaced, folds, entries))
    }

    /// Records that the copy `decided`, folded into `seq` from `place` when
    /// first seen, now replaced its text, as `update` says, under the
    /// headline it has now.
    fn fold_replaced(
        &mut self,
        seq: i64,
        place: i64,
        decided: &Decided,
        update: near_rules::Update,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE fold SET replaced = $1, copy_title = $2 \
                 WHERE article = $3 AND place = $4 AND copy_id = $5",
                &[
                    &update.as_str(),
                    &decided.article.title,
                    &seq,
                    &place,
                    &codec::pack_id(&decided.fingerprints.new_id),
                ],
            )
            .at(self.target)?;
        Ok(())
    }
}

impl PgWriter<'_> {
    /// The dates, headline and content record of article `seq` (`id`), as
    /// a merge reads it, and whether it came undated
    /// ([`NearPrints::undated`]).
    fn merged_row(
        &mut self,
        seq: i64,
        id: &str,
    ) -> Result<(store::Dated, String, Vec<u8>, bool), StoreError> {
        let row = self
            .conn
            .query_one(
                "SELECT published, updated, first_seen, changed, content, prints \
                 FROM article WHERE seq = $1",
                &[&seq],
            )
            .at(self.target)?;
        let undated = codec::prints_undated(&row.get::<_, Vec<u8>>(5))
            .map_err(|m| corrupt(self.target, id, m))?;
        let dated = store::Dated {
            published: row.get(0),
            updated: row.get(1),
            first_seen: row.get(2),
            changed: row.get(3),
        };
        let content: Vec<u8> = row.get(4);
        let title = codec::unpack_article(id.to_string(), dated.published, dated.updated, &content)
            .map_err(|m| corrupt(self.target, id, m))?
            .title;
        Ok((dated, title, content, undated))
    }
}

/// Moves the sightings of article `$2` to article `$1`, numbered after
/// the survivor's (a place both were seen at keeps the survivor's), then
/// numbers every sighting of `$1` afresh in the order first seen, the
/// order numbered in among those of one moment; the places moved.
const MOVE_SIGHTINGS: &str = "WITH \
     next AS (SELECT coalesce(max(arrival), -1) + 1 AS arrival FROM sighting WHERE article = $1), \
     moved AS (DELETE FROM sighting WHERE article = $2 \
         RETURNING place, line, first_seen, arrival, stored) \
     INSERT INTO sighting (article, place, line, first_seen, arrival, stored) \
     SELECT $1, place, line, first_seen, moved.arrival + next.arrival, stored FROM moved, next \
     ON CONFLICT DO NOTHING RETURNING place";

/// Numbers the sightings of article `$1` afresh in the order they were
/// first seen, the order they were numbered in among those of one moment.
const RENUMBER_SIGHTINGS: &str = "UPDATE sighting s SET arrival = r.arrival \
     FROM (SELECT place, row_number() OVER (ORDER BY first_seen, arrival) - 1 AS arrival \
           FROM sighting WHERE article = $1) AS r \
     WHERE s.article = $1 AND s.place = r.place AND s.arrival <> r.arrival";

/// The distance the store's body bands are keyed for.
pub(super) fn index_distance(conn: &mut Conn, target: &Target) -> Result<u32, StoreError> {
    let row = conn
        .query_one("SELECT max_distance FROM near_index", &[])
        .at(target)?;
    Ok(row.get::<_, i32>(0).max(0) as u32)
}

/// Records what seeing a copy adds to stored article `$1`, in one round
/// trip: its content key `$2`, canonical link `$3` and upstream key `$5` of
/// source `$4` (whose content key is `$6` and version `$17`) as leading to
/// it, unless they lead somewhere already (an upstream key already stored
/// for this article takes the new content key and version, one of another
/// article's keeps what it had); the key `$18` the entry was found under,
/// when another, with its content key and version too (for an entry
/// judged a repeat, `$19`, a key already stored keeps its version, as in
/// SQLite's `remember_entry`, and only takes one where it had none and the
/// content key is the same); the sighting at
/// place `$7` (line `$8`, at `$9`) unless it was seen there already,
/// numbered after the article's sightings that arrived before it (source
/// transactions take turns at the fold lock, so no two number the same
/// article's at once); and, when a
/// rule `$12` is given and the sighting is new or the copy folds from any
/// place (`$16`: a second copy in its article's own file, a feed's second
/// entry), the fold of the copy
/// (`$10`, `$11`, `$13` to `$15`) unless that copy (its id `$10`) was
/// recorded from that place already. An upstream entry seen again there
/// (`$20`: [`Decided::places_an_entry_again`]) moves to line `$8`: its
/// fold (copy id `$22`), and the sighting when the article is its own
/// (`$21`) or the sighting is at the line its fold was recorded at.
/// Counts the folds recorded and the sightings (0 or 1 each).
const RECORD_SIGHTING: &str = "WITH \
     content AS (INSERT INTO content_key (key, article) VALUES ($2, $1) ON CONFLICT DO NOTHING), \
     link AS (INSERT INTO link_key (link, article) SELECT $3::text, $1 WHERE $3::text IS NOT NULL \
         ON CONFLICT DO NOTHING), \
     upstream AS (INSERT INTO upstream_key (source, key, article, content_key, version) \
         SELECT $4::text, $5::text, $1, $6::bytea, $17::bytea WHERE $5::text IS NOT NULL \
         ON CONFLICT (source, feedfold_key_hash(key)) DO UPDATE SET content_key = excluded.content_key, \
         version = excluded.version WHERE upstream_key.article = excluded.article \
         AND (NOT $19::boolean OR (upstream_key.version IS NULL \
             AND upstream_key.content_key = excluded.content_key))), \
     found AS (UPDATE upstream_key SET content_key = $6, version = $17::bytea \
         WHERE source = $4 AND key = $18::text AND article = $1 \
         AND $18::text IS DISTINCT FROM $5::text \
         AND (NOT $19::boolean OR (version IS NULL AND content_key = $6))), \
     seen AS (INSERT INTO sighting (article, place, line, first_seen, arrival) \
         VALUES ($1, $7, $8, $9, (SELECT count(*) FROM sighting WHERE article = $1)) \
         ON CONFLICT DO NOTHING RETURNING 1), \
     sighting_moved AS (UPDATE sighting SET line = $8 \
         WHERE $20::boolean AND article = $1 AND place = $7 AND line <> $8 AND ($21::boolean \
             OR line = (SELECT f.line FROM fold f WHERE f.article = $1 AND f.place = $7 \
                 AND f.copy_id = $22::bytea))), \
     fold_moved AS (UPDATE fold SET line = $8 \
         WHERE $20::boolean AND article = $1 AND place = $7 AND copy_id = $22::bytea AND line <> $8), \
     folded AS (INSERT INTO fold (article, place, line, copy_id, copy_title, rule, distance, \
         replaced, evidence, folded_at) \
         SELECT $1, $7, $8, $10::bytea, $11::text, $12::text, $13::integer, $14::text, $15::text, $9 \
         WHERE $12::text IS NOT NULL AND (EXISTS (SELECT 1 FROM seen) OR $16::boolean) \
         ON CONFLICT DO NOTHING RETURNING 1) \
     SELECT (SELECT count(*) FROM folded), (SELECT count(*) FROM seen)";

/// What the store holds under a copy's exact keys, in one round trip: the
/// article of its content key `$1`, of its canonical link `$2` (with its
/// dates and prints), and of the first of the upstream keys `$4` of source
/// `$3` that leads to one (a key whose `$6` is true only to the article
/// holding the link `$2`), with the key, the content key and version `$7`
/// the entry had, and its dates, and its prints when the entry changed
/// since (another version, or for an entry last seen before versions were
/// kept, another content key than `$5`); and, when `$8` (the copy's link
/// names a post of its page), the content record of the article of the
/// link when neither the content key nor an upstream key led to one (its
/// link tells another post of a live page), or when the entry changed and
/// its link leads to the entry's article (whose own link it may be).
const KNOWN: &str = "SELECT ca.seq, ca.id, la.seq, la.id, ua.seq, ua.id, u.content_key, \
     la.published, la.updated, la.prints, ua.published, ua.updated, \
     CASE WHEN CASE WHEN u.version IS NULL OR $7::bytea IS NULL THEN u.content_key <> $5 \
         ELSE u.version <> $7::bytea END THEN ua.prints END, \
     u.key, u.version, la.first_seen, la.changed, ua.first_seen, ua.changed, \
     CASE WHEN ($8::bool AND ca.seq IS NULL AND ua.seq IS NULL) OR (la.seq = ua.seq AND \
         CASE WHEN u.version IS NULL OR $7::bytea IS NULL THEN u.content_key <> $5 \
         ELSE u.version <> $7::bytea END) THEN la.content END \
     FROM (SELECT 1) AS one \
     LEFT JOIN content_key c ON c.key = $1 LEFT JOIN article ca ON ca.seq = c.article \
     LEFT JOIN link_key l ON feedfold_key_hash(l.link) = feedfold_key_hash($2::text) LEFT JOIN article la ON la.seq = l.article \
     LEFT JOIN LATERAL (SELECT k.key, k.article, k.content_key, k.version FROM upstream_key k \
         WHERE k.source = $3 AND k.key = ANY($4::text[]) \
         AND feedfold_key_hash(k.key) IN (SELECT feedfold_key_hash(x) FROM unnest($4::text[]) AS x) \
         AND (NOT ($6::boolean[])[array_position($4::text[], k.key)] \
             OR EXISTS (SELECT 1 FROM link_key kl \
             WHERE feedfold_key_hash(kl.link) = feedfold_key_hash($2::text) AND kl.article = k.article)) \
         ORDER BY array_position($4::text[], k.key) LIMIT 1) AS u ON true \
     LEFT JOIN article ua ON ua.seq = u.article";

/// The number of place (`source`, `location`), named once.
fn place(
    conn: &mut Conn,
    target: &Target,
    source: &str,
    location: &str,
) -> Result<i64, StoreError> {
    conn.execute(
        "INSERT INTO place (source, location) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        &[&source, &location],
    )
    .at(target)?;
    let row = conn
        .query_one(
            "SELECT id FROM place WHERE source = $1 \
             AND feedfold_key_hash(location) = feedfold_key_hash($2::text)",
            &[&source, &location],
        )
        .at(target)?;
    Ok(row.get(0))
}

/// Stores a new article and what its first sighting adds, in one round
/// trip: the article (id `$1`, published `$2`, updated `$3`, first seen
/// `$4`, content `$5`, prints `$6`) filed under its index keys `$7` in
/// `near_key_pending`; its content key `$8`, canonical link `$9` and
/// upstream key `$11` of source `$10` (whose content key is `$12` and
/// version `$15`) as leading to it, unless they lead somewhere already (as
/// in [`RECORD_SIGHTING`]); and its sighting at place `$13` (line `$14`, at
/// its first sighting `$4`), the first to arrive. Its number.
const INSERT_ARTICLE: &str = "WITH \
     new AS (INSERT INTO article (id, published, updated, first_seen, content, prints, keys) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING seq), \
     filed AS (INSERT INTO near_key_pending (key, article) \
         SELECT unnest($7::bigint[]), seq FROM new ON CONFLICT DO NOTHING RETURNING 1), \
     counted AS (UPDATE near_index SET pending = pending + (SELECT count(*) FROM filed)), \
     content AS (INSERT INTO content_key (key, article) SELECT $8, seq FROM new \
         ON CONFLICT DO NOTHING), \
     link AS (INSERT INTO link_key (link, article) SELECT $9::text, seq FROM new \
         WHERE $9::text IS NOT NULL ON CONFLICT DO NOTHING), \
     upstream AS (INSERT INTO upstream_key (source, key, article, content_key, version) \
         SELECT $10::text, $11::text, seq, $12::bytea, $15::bytea FROM new \
         WHERE $11::text IS NOT NULL \
         ON CONFLICT (source, feedfold_key_hash(key)) DO UPDATE SET content_key = excluded.content_key, \
         version = excluded.version WHERE upstream_key.article = excluded.article), \
     seen AS (INSERT INTO sighting (article, place, line, first_seen, arrival) \
         SELECT seq, $13, $14, $4, 0 FROM new) \
     SELECT seq FROM new";

/// An article as it is first stored, and where it was first seen.
struct NewArticle<'a> {
    pub id: &'a str,
    pub published: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub first_seen: DateTime<Utc>,
    pub content: &'a ContentRef<'a>,
    pub fingerprints: &'a Fingerprints,
    pub source: &'a str,
    pub place: i64,
    pub line: usize,
}

/// Inserts `new` with its first sighting ([`INSERT_ARTICLE`]), filed under
/// its prints' keys for distance `k`; its number.
fn insert_article(
    conn: &mut Conn,
    target: &Target,
    new: NewArticle,
    k: u32,
) -> Result<i64, StoreError> {
    let prints = &new.fingerprints.near;
    let keys = codec::near_keys(&prints.index_keys(k));
    let content = &new.fingerprints.content_key()[..];
    let row = conn
        .query_one(
            INSERT_ARTICLE,
            &[
                &codec::pack_id(new.id),
                &codec::seconds(new.published),
                &codec::seconds(new.updated),
                &codec::seconds(new.first_seen),
                &codec::pack_content(new.content),
                &codec::pack_prints(prints),
                &keys,
                &&content[..16],
                &new.fingerprints.canonical_link,
                &new.source,
                &new.fingerprints
                    .upstream_key
                    .as_deref()
                    .map(key_text::column_text),
                &content,
                &new.place,
                &(new.line as i64),
                &new.fingerprints.version.as_ref().map(|v| &v[..]),
            ],
        )
        .at(target)?;
    Ok(row.get(0))
}

/// Keeps `state` as the fetch state of `source`, unless the state kept
/// is for the same location and was read by a fetch that began after
/// `state`'s ([`FetchState::read_began`], placed on the database server's
/// clock: workers' clocks need not agree). A state kept for another
/// location (the source's URL or file changed) is always replaced. A kept moment ahead of that clock
/// tells nothing, and is replaced.
pub(super) fn put_fetch_state(
    conn: &mut Conn,
    target: &Target,
    source: &str,
    state: &FetchState,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO fetch_state (source, location, etag, last_modified, failures, next_attempt, \
         last_error, last_attempt, last_outcome, read_began) VALUES ($1, $2, $3, $4, $5, $6, \
         $7, $8, $9, $10::timestamptz + (clock_timestamp() - $11::timestamptz)) \
         ON CONFLICT (source) DO UPDATE SET location = $2, etag = $3, last_modified = $4, \
         failures = $5, next_attempt = $6, last_error = $7, last_attempt = $8, \
         last_outcome = $9, read_began = excluded.read_began \
         WHERE fetch_state.location IS DISTINCT FROM excluded.location \
         OR fetch_state.read_began IS NULL OR fetch_state.read_began > clock_timestamp() \
         OR excluded.read_began >= fetch_state.read_began",
        &[
            &source,
            &state.location,
            &state.validators.etag,
            &state.validators.last_modified,
            &i64::from(state.failures),
            &state.next_attempt.map(codec::seconds),
            &state.last_error,
            &state.last_attempt.map(codec::seconds),
            &state.last_outcome.map(|o| o.as_str()),
            &state.read_began,
            &Utc::now(),
        ],
    )
    .at(target)?;
    Ok(())
}

/// Whether the text kept of `source` was read by a fetch that began after
/// `began` (this machine's clock), both placed on the database server's
/// clock; a kept moment ahead of that clock tells nothing.
pub(super) fn read_later_than(
    conn: &mut Conn,
    target: &Target,
    source: &str,
    began: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let row = conn
        .query_opt(
            "SELECT read_began > $2::timestamptz + (clock_timestamp() - $3::timestamptz) \
             AND read_began <= clock_timestamp() FROM fetch_state WHERE source = $1",
            &[&source, &began, &Utc::now()],
        )
        .at(target)?;
    Ok(row.and_then(|row| row.get::<_, Option<bool>>(0)) == Some(true))
}

/// Keeps `validators` for `document` of `source`.
pub(super) fn put_document_validators(
    conn: &mut Conn,
    target: &Target,
    source: &str,
    document: &str,
    validators: &Validators,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO document_validators (source, document, etag, last_modified) \
         VALUES ($1, $2, $3, $4) \
         ON CONFLICT (source, feedfold_key_hash(document)) DO UPDATE SET etag = $3, last_modified = $4",
        &[
            &source,
            &document,
            &validators.etag,
            &validators.last_modified,
        ],
    )
    .at(target)?;
    Ok(())
}

impl SourceWriter for PgWriter<'_> {
    fn former_names(&self) -> &[String] {
        &self.former_names
    }

    fn known(&mut self, fingerprints: &Fingerprints) -> Result<Known, StoreError> {
        self.lock()?;
        self.seqs.clear();
        let content = &fingerprints.content_key()[..16];
        let probes = &fingerprints.entry_probes;
        let row = self
            .conn
            .query_one(
                KNOWN,
                &[
                    &content,
                    &fingerprints.canonical_link,
                    &self.source,
                    &probes
                        .iter()
                        .map(|p| key_text::column_text(&p.key))
                        .collect::<Vec<_>>(),
                    &&fingerprints.content_key()[..],
                    &probes.iter().map(|p| p.needs_link).collect::<Vec<_>>(),
                    &fingerprints.version.as_ref().map(|v| &v[..]),
                    &fingerprints.link_anchor.is_some(),
                ],
            )
            .at(self.target)?;
        let mut found = |i: usize| -> Result<Option<String>, StoreError> {
            match (
                row.get::<_, Option<i64>>(i),
                row.get::<_, Option<Vec<u8>>>(i + 1),
            ) {
                (Some(seq), Some(id)) => self.remember(seq, &id).map(Some),
                _ => Ok(None),
            }
        };
        let by_content = found(0)?;
        let by_link = found(2)?;
        let entry_id = found(4)?;
        let key = |bytes: Vec<u8>| Key::try_from(bytes.as_slice()).ok();
        let entry = match (
            entry_id,
            row.get::<_, Option<String>>(13).map(key_text::key_of),
            row.get::<_, Option<Vec<u8>>>(6).and_then(key),
        ) {
            (Some(id), Some(found_under), Some(content_key)) => Some(KnownEntry {
                id,
                key: found_under,
                content_key,
                version: row.get::<_, Option<Vec<u8>>>(14).and_then(key),
            }),
            _ => None,
        };
        // The prints of the text the copy may replace (the entry's article
        // when the entry changed, else the article holding its link), dated
        // as [`codec::unpack_text_prints`] says, and whether their `updated`
        // is a source's date: that article's dates are columns `at` and
        // `at + 1`, its prints `at + 2`, its first sighting and last change
        // `seen` and `seen + 1`.
        let unpack = |id: &str, at: usize, seen: usize| -> Result<_, StoreError> {
            let (Some(packed), Some(first_seen)) = (
                row.get::<_, Option<Vec<u8>>>(at + 2),
                row.get::<_, Option<i64>>(seen),
            ) else {
                return Ok((None, false));
            };
            let dated = store::Dated {
                published: row.get(at),
                updated: row.get(at + 1),
                first_seen,
                changed: row.get(seen + 1),
            };
            let (prints, given) = codec::unpack_text_prints(&packed, &dated)
                .map_err(|m| corrupt(self.target, id, m))?;
            Ok((Some(prints), given))
        };
        // The link of the article holding the copy's link, as stored
        // (column 19, read only when it is asked for).
        let link_of = |id: &str| -> Result<Option<String>, StoreError> {
            Ok(row
                .get::<_, Option<Vec<u8>>>(19)
                .map(|packed| codec::link_of(&packed))
                .transpose()
                .map_err(|m| corrupt(self.target, id, m))?
                .flatten())
        };
        let (stored_prints, stored_update_given, stored_link) = match (&entry, &by_link) {
            (Some(entry), by_link) => {
                let (prints, given) = unpack(&entry.id, 10, 17)?;
                // A changed entry whose link leads to its article asks
                // whether that is the article's own link
                // (`dedup::Known::stored_link`).
                let link = match by_link {
                    Some(id) if *id == entry.id && !entry.unchanged(fingerprints) => link_of(id)?,
                    _ => None,
                };
                (prints, given, link)
            }
            (None, Some(id)) if by_content.is_none() => {
                let link = link_of(id)?;
                let (prints, given) = unpack(id, 7, 15)?;
                (prints, given, link)
            }
            _ => (None, false, None),
        };
        Ok(Known {
            entry,
            by_content,
            by_link,
            stored_prints,
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
        self.lock()?;
        let k = self.index_distance;
        let probes = codec::near_probes(keys, k);
        let column =
            |part: fn(&codec::NearProbe) -> i64| probes.iter().map(part).collect::<Vec<i64>>();
        let reach: Vec<i32> = probes.iter().map(|p| p.reach() as i32).collect();
        let rows = self
            .conn
            .query(
                near_index::CANDIDATES,
                &[
                    &column(|p| p.low),
                    &column(|p| p.high),
                    &column(|p| p.center),
                    &reach,
                    &(per_key as i64),
                    &(crate::store::MAX_BAND_ROWS as i64),
                ],
            )
            .at(self.target)?;
        let mut candidates: Vec<Candidate> = Vec::new();
        let mut seen: Vec<i64> = Vec::new();
        for row in rows {
            let seq: i64 = row.get(0);
            if seen.contains(&seq) {
                continue;
            }
            seen.push(seq);
            let id = self.remember(seq, &row.get::<_, Vec<u8>>(1))?;
            let prints = codec::unpack_candidate_prints(
                &row.get::<_, Vec<u8>>(4),
                &store::Dated {
                    published: row.get(2),
                    updated: row.get(3),
                    first_seen: row.get(5),
                    changed: row.get(6),
                },
            )
            .map_err(|m| corrupt(self.target, &id, m))?;
            candidates.push(Candidate { id, prints });
        }
        Ok(candidates)
    }

    fn record(&mut self, decided: &Decided) -> Result<Recorded, StoreError> {
        self.lock()?;
        self.changed = true;
        let Decided {
            article,
            fingerprints,
            decision,
            dates,
            now,
            ..
        } = *decided;
        let place = self.place(&article.origin.location)?;
        let (mut filled, mut edited) = (false, false);
        let seq = match decision {
            Decision::New { id } => {
                let seq = insert_article(
                    self.conn,
                    self.target,
                    NewArticle {
                        id,
                        published: dates.published,
                        updated: dates.updated,
                        first_seen: now,
                        content: &decided.content(),
                        fingerprints,
                        source: &self.source,
                        place,
                        line: article.origin.line,
                    },
                    self.index_distance,
                )?;
                self.seqs.insert(id.clone(), seq);
                self.touched.push(seq);
                self.sighted.push((seq, place));
                // A new article is no fold: its sighting is written with it.
                return Ok(Recorded::default());
            }
            Decision::Update { id }
            | Decision::EditedCopy { id, .. }
            | Decision::Near {
                id,
                update: Some(_),
                ..
            } => {
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
        let folded = self.record_sighting(seq, place, decided)?;
        let fold = match decision.fold_reason() {
            Some(reason) if folded && decision.repeats_content() => {
                Some(self.fold_of_earlier_text(seq, place, decided, reason)?)
            }
            Some(reason) if folded => Some(reason),
            _ => None,
        };
        if let Decision::EditedCopy { update, .. } = decision {
            self.fold_replaced(seq, place, decided, *update)?;
        }
        Ok(Recorded {
            fold,
            filled,
            edited,
        })
    }

    fn settled(&mut self, id: &str) -> Result<Option<Settled>, StoreError> {
        self.lock()?;
        let Some(row) = self
            .conn
            .query_opt(
                "SELECT seq, published, updated, first_seen, changed, content, prints \
                 FROM article WHERE id = $1",
                &[&codec::pack_id(id)],
            )
            .at(self.target)?
        else {
            return Ok(None);
        };
        let seq: i64 = row.get(0);
        self.seqs.insert(id.to_string(), seq);
        codec::unpack_settled(codec::SettledRow {
            seq,
            id: id.to_string(),
            published: row.get(1),
            updated: row.get(2),
            first_seen: row.get(3),
            changed: row.get(4),
            content: &row.get::<_, Vec<u8>>(5),
            prints: &row.get::<_, Vec<u8>>(6),
        })
        .map(Some)
        .map_err(|m| corrupt(self.target, id, m))
    }

    fn filed_under_link(&mut self, link: &str) -> Result<Option<String>, StoreError> {
        self.lock()?;
        let row = self
            .conn
            .query_opt(
                "SELECT a.seq, a.id FROM link_key k JOIN article a ON a.seq = k.article \
                 WHERE feedfold_key_hash(k.link) = feedfold_key_hash($1::text)",
                &[&link],
            )
            .at(self.target)?;
        row.map(|row| self.remember(row.get(0), &row.get::<_, Vec<u8>>(1)))
            .transpose()
    }

    fn merge(&mut self, merge: &Merge, now: DateTime<Utc>) -> Result<(), StoreError> {
        self.lock()?;
        self.changed = true;
        let now = codec::seconds(now);
        let survivor = self.seq(&merge.survivor)?;
        let absorbed = self.seq(&merge.absorbed)?;
        let (own, _, own_content, own_undated) = self.merged_row(survivor, &merge.survivor)?;
        let (theirs, title, their_content, theirs_undated) =
            self.merged_row(absorbed, &merge.absorbed)?;
        let title = self
            .former_content
            .published_headline(absorbed)
            .unwrap_or(title);
        let content = codec::merged(&own_content, &their_content, merge.takes_text())
            .map_err(|m| corrupt(self.target, &merge.survivor, m))?;
        match content {
            Some(content) if merge.takes_text() => {
                let keys: Vec<i64> = self
                    .conn
                    .query_one("SELECT keys FROM article WHERE seq = $1", &[&absorbed])
                    .at(self.target)?
                    .get(0);
                near_index::refile(self.conn, self.target, survivor, &keys)?;
                self.conn
                    .execute(
                        "UPDATE article s SET content = $5, prints = a.prints, keys = a.keys, \
                         updated = $3, changed = $4 FROM article a WHERE s.seq = $1 AND a.seq = $2",
                        &[
                            &survivor,
                            &absorbed,
                            &store::updated_on_merge(own, theirs, now),
                            &now,
                            &content,
                        ],
                    )
                    .at(self.target)?;
            }
            Some(filled) => {
                self.put_filled(survivor, &merge.survivor, &own_content, &filled)?;
            }
            None => {}
        }
        if let Some(published) = store::redated_on_merge(
            (own.published, own_undated),
            (theirs.published, theirs_undated),
            merge.takes_text(),
        ) {
            self.put_date(survivor, &merge.survivor, published)?;
        }
        if merge.marks_survivor_intro() {
            self.mark_local_intro(survivor, &merge.survivor)?;
        }
        let first = self
            .conn
            .query_opt(
                "SELECT place, line FROM sighting WHERE article = $1 ORDER BY arrival LIMIT 1",
                &[&absorbed],
            )
            .at(self.target)?
            .map(|row| (row.get::<_, i64>(0), row.get::<_, i64>(1)));
        let moved = self
            .conn
            .query(MOVE_SIGHTINGS, &[&survivor, &absorbed])
            .at(self.target)?;
        self.sighted
            .extend(moved.iter().map(|row| (survivor, row.get::<_, i64>(0))));
        self.conn
            .execute(RENUMBER_SIGHTINGS, &[&survivor])
            .at(self.target)?;
        // What else names the absorbed article leads to the survivor, or
        // goes with it (the rows of its index keys, listed or not).
        for sql in [
            "UPDATE content_key SET article = $1 WHERE article = $2",
            "UPDATE link_key SET article = $1 WHERE article = $2",
            "UPDATE upstream_key SET article = $1 WHERE article = $2",
        ] {
            self.conn
                .execute(sql, &[&survivor, &absorbed])
                .at(self.target)?;
        }
        // A fold that replaced the absorbed article's text replaced the
        // survivor's only when the survivor takes that text.
        self.conn
            .execute(
                "UPDATE fold f SET article = $1, replaced = CASE WHEN $3 THEN replaced END \
                 WHERE article = $2 AND NOT EXISTS \
                 (SELECT 1 FROM fold o WHERE o.article = $1 AND o.place = f.place \
                  AND o.copy_id = f.copy_id)",
                &[&survivor, &absorbed, &merge.takes_text()],
            )
            .at(self.target)?;
        // The text it had before this transaction replaced it, else its
        // text now, is what undoing the merge restores; the number it was
        // kept under is where a walk whose cursor named it goes on.
        let former = self.former_content.of(absorbed);
        self.conn
            .execute(
                "INSERT INTO merged_article \
                 (id, published, updated, first_seen, content, prints, seq) \
                 SELECT $1, coalesce($3, published), coalesce($4, updated), first_seen, \
                 coalesce($5, content), coalesce($6, prints), seq FROM article WHERE seq = $2 \
                 ON CONFLICT (id) DO UPDATE SET published = excluded.published, \
                 updated = excluded.updated, first_seen = excluded.first_seen, \
                 content = excluded.content, prints = excluded.prints, seq = excluded.seq",
                &[
                    &codec::pack_id(&merge.absorbed),
                    &absorbed,
                    &former.map(|f| f.published),
                    &former.map(|f| f.updated),
                    &former.map(|f| &f.content),
                    &former.map(|f| &f.prints),
                ],
            )
            .at(self.target)?;
        for sql in [
            "DELETE FROM fold WHERE article = $1",
            "DELETE FROM near_key_pending WHERE article = $1",
            "DELETE FROM near_key WHERE article = $1",
            "DELETE FROM near_key_gone WHERE article = $1",
            "DELETE FROM article WHERE seq = $1",
        ] {
            self.conn.execute(sql, &[&absorbed]).at(self.target)?;
        }
        if let Some((place, line)) = first {
            let reason = &merge.reason;
            self.conn
                .execute(
                    "INSERT INTO fold (article, place, line, copy_id, copy_title, rule, distance, \
                     replaced, evidence, folded_at, merged) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, true) ON CONFLICT DO NOTHING",
                    &[
                        &survivor,
                        &place,
                        &line,
                        &codec::pack_id(&merge.absorbed),
                        &title,
                        &reason.rule,
                        &reason.distance.map(|d| d as i32),
                        &reason.update.map(near_rules::Update::as_str),
                        &reason.evidence.map(|e| e.to_string()),
                        &now,
                    ],
                )
                .at(self.target)?;
        }
        self.seqs.remove(&merge.absorbed);
        self.touched.push(survivor);
        Ok(())
    }

    fn merged_away(&mut self, id: &str) -> Result<Option<NearPrints>, StoreError> {
        let row = self
            .conn
            .query_opt(
                "SELECT published, updated, prints FROM merged_article WHERE id = $1",
                &[&codec::pack_id(id)],
            )
            .at(self.target)?;
        row.map(|row| {
            codec::unpack_prints(&row.get::<_, Vec<u8>>(2), row.get(0), row.get(1))
                .map_err(|m| corrupt(self.target, id, m))
        })
        .transpose()
    }

    fn unmerge(&mut self, unmerge: &Unmerge) -> Result<bool, StoreError> {
        self.lock()?;
        let id = codec::pack_id(&unmerge.absorbed);
        let Some(row) = self
            .conn
            .query_opt(
                "SELECT published, updated, first_seen, content, prints, \
                 CASE WHEN NOT EXISTS (SELECT 1 FROM article a WHERE a.seq = m.seq) \
                 THEN m.seq END FROM merged_article m WHERE id = $1",
                &[&id],
            )
            .at(self.target)?
        else {
            return Ok(false);
        };
        self.changed = true;
        let (published, updated, first_seen): (i64, i64, i64) =
            (row.get(0), row.get(1), row.get(2));
        let (content, packed_prints): (Vec<u8>, Vec<u8>) = (row.get(3), row.get(4));
        // The number it was kept under, while no article holds it, puts it
        // back where a walk whose cursor named it goes on.
        let kept_seq: Option<i64> = row.get(5);
        let (prints, link) = codec::unpack_kept(&content, &packed_prints, published, updated)
            .map_err(|m| corrupt(self.target, &unmerge.absorbed, m))?;
        let survivor = self.seq(&unmerge.survivor)?;
        let survivor_content: Vec<u8> = self
            .conn
            .query_one("SELECT content FROM article WHERE seq = $1", &[&survivor])
            .at(self.target)?
            .get(0);
        let survivor_link = codec::link_of(&survivor_content)
            .map_err(|m| corrupt(self.target, &unmerge.survivor, m))?
            .as_deref()
            .and_then(canonical_url);
        let keys = codec::near_keys(&prints.index_keys(self.index_distance));
        let seq: i64 = self
            .conn
            .query_one(
                "WITH new AS (INSERT INTO article \
                     (seq, id, published, updated, first_seen, content, prints, keys) \
                     OVERRIDING SYSTEM VALUE \
                     VALUES (coalesce($8, nextval(pg_get_serial_sequence('article', 'seq'))), \
                     $1, $2, $3, $4, $5, $6, $7) RETURNING seq), \
                 filed AS (INSERT INTO near_key_pending (key, article) \
                     SELECT unnest($7::bigint[]), seq FROM new ON CONFLICT DO NOTHING RETURNING 1), \
                 counted AS (UPDATE near_index SET pending = pending + (SELECT count(*) FROM filed)) \
                 SELECT seq FROM new",
                &[
                    &id,
                    &published,
                    &updated,
                    &first_seen,
                    &content,
                    &packed_prints,
                    &keys,
                    &kept_seq,
                ],
            )
            .at(self.target)?
            .get(0);
        self.conn
            .execute(
                "UPDATE upstream_key SET article = $1 WHERE source = $2 \
                 AND feedfold_key_hash(key) = feedfold_key_hash($3::text) AND article = $4",
                &[
                    &seq,
                    &self.source,
                    &key_text::column_text(&unmerge.entry_key),
                    &survivor,
                ],
            )
            .at(self.target)?;
        self.conn
            .execute(
                "UPDATE content_key SET article = $1 WHERE key = $2 AND article = $3",
                &[&seq, &&prints.content_key[..16], &survivor],
            )
            .at(self.target)?;
        if let Some(link) = link.filter(|link| Some(link) != survivor_link.as_ref()) {
            self.conn
                .execute(
                    "UPDATE link_key SET article = $1 \
                     WHERE feedfold_key_hash(link) = feedfold_key_hash($2::text) AND article = $3",
                    &[&seq, &link, &survivor],
                )
                .at(self.target)?;
        }
        self.conn
            .execute(
                "DELETE FROM fold WHERE article = $1 AND copy_id = $2 AND merged",
                &[&survivor, &id],
            )
            .at(self.target)?;
        self.conn
            .execute("DELETE FROM merged_article WHERE id = $1", &[&id])
            .at(self.target)?;
        self.seqs.insert(unmerge.absorbed.clone(), seq);
        self.touched.push(seq);
        Ok(true)
    }

    fn begin_unit(&mut self) -> Result<(), StoreError> {
        self.touched_before_unit = self.touched.len();
        self.former_content.begin_unit();
        self.conn
            .client
            .batch_execute("SAVEPOINT unit")
            .at(self.target)
    }

    fn end_unit(&mut self, keep: bool) -> Result<(), StoreError> {
        self.places.clear();
        self.seqs.clear();
        let sql = if keep {
            "RELEASE SAVEPOINT unit"
        } else {
            // Locks taken inside the savepoint are released with it.
            self.locked = false;
            self.touched.truncate(self.touched_before_unit);
            self.former_content.discard_unit();
            "ROLLBACK TO SAVEPOINT unit; RELEASE SAVEPOINT unit"
        };
        self.conn.batch_execute(sql).at(self.target)
    }

    fn is_open(&self) -> bool {
        !self.conn.is_closed()
    }

    fn put_fetch_state(&mut self, state: &FetchState) -> Result<(), StoreError> {
        put_fetch_state(self.conn, self.target, &self.source, state)
    }

    fn read_later_than(&mut self, began: DateTime<Utc>) -> Result<bool, StoreError> {
        read_later_than(self.conn, self.target, &self.source, began)
    }

    fn put_document_validators(
        &mut self,
        documents: &DocumentValidators,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "DELETE FROM document_validators WHERE source = $1",
                &[&self.source],
            )
            .at(self.target)?;
        for (document, validators) in documents {
            put_document_validators(self.conn, self.target, &self.source, document, validators)?;
        }
        Ok(())
    }

    fn remember_page(&mut self, page: &SeenPage) -> Result<(), StoreError> {
        pages::remember(self.conn, self.target, &self.source, page)
    }

    fn site_paragraph_counts(
        &mut self,
        site: &str,
        page: &str,
        keys: &[Key],
    ) -> Result<HashMap<Key, u32>, StoreError> {
        pages::paragraph_counts(self.conn, self.target, site, page, keys)
    }

    fn site_page_counted(&mut self, site: &str, page: &str) -> Result<bool, StoreError> {
        pages::counted(self.conn, self.target, site, page)
    }

    fn count_site_page(&mut self, site: &str, page: &str, keys: &[Key]) -> Result<(), StoreError> {
        // Under the fold lock the page's article is folded under anyway:
        // two workers counting pages of one site cannot then trim its
        // oldest pages in orders that deadlock.
        self.lock()?;
        pages::count_page(self.conn, self.target, site, page, keys)
    }

    fn commit(mut self: Box<Self>, clock: &dyn Fn() -> DateTime<Utc>) -> Result<(), StoreError> {
        if self.changed {
            near_index::merge_if_due(self.conn, self.target)?;
            self.mark_stored(clock)?;
            let revision: i64 = self
                .conn
                .query_one("UPDATE revision SET value = value + 1 RETURNING value", &[])
                .at(self.target)?
                .get(0);
            self.conn
                .execute(
                    ANNOUNCE,
                    &[&CHANNEL, &revision, &self.source, &self.touched],
                )
                .at(self.target)?;
        }
        self.done = true;
        self.conn.batch_execute("COMMIT").at(self.target)
    }
}

impl Drop for PgWriter<'_> {
    fn drop(&mut self) {
        if !self.done && !self.conn.is_closed() {
            let _ = self.conn.batch_execute("ROLLBACK");
        }
    }
}

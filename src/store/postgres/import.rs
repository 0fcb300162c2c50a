//! `store copy` into PostgreSQL: a batch of [`Record`]s written in one
//! transaction under the fold lock. Records come in runs of one kind (an
//! export hands out articles, then content keys, then sightings, ...), and
//! each run of the many-rowed kinds is written with a few set-wise
//! statements over arrays instead of one round trip per record: the
//! articles a batch names are found with one query, new articles and their
//! near-duplicate keys are filed with one statement, and each run of keys,
//! sightings or folds takes two to four (their articles, their places, the
//! insert). Writing the same records again changes nothing; articles a
//! store holds already are written over one at a time. Each batch bumps the
//! revision counter and announces its sightings' sources, as a commit
//! does, so that running servers republish what the copy brought.

use std::collections::{BTreeSet, HashMap, HashSet};

use postgres::types::ToSql;

use super::connect::{Conn, Target};
use super::writer::{index_distance, put_document_validators, put_fetch_state};
use super::{
    At, CHANNEL, FOLD_LOCK, corrupt, cycles, in_transaction, key_text, near_index, pages, transfer,
};
use crate::ingest::source::SeenPage;
use crate::store::codec::{self, ContentRef};
use crate::store::{ArticleRecord, Record, Sighting, StoreError};

/// Writes `records` in one transaction, under the fold lock.
pub(super) fn import(
    conn: &mut Conn,
    target: &Target,
    records: &[Record],
) -> Result<(), StoreError> {
    in_transaction(conn, target, |conn| {
        conn.query_one("SELECT pg_advisory_xact_lock($1)", &[&FOLD_LOCK])
            .at(target)?;
        import_all(conn, target, records)?;
        near_index::merge_if_due(conn, target)?;
        announce(conn, target, records)
    })
}

/// Tells running `serve` instances of the batch, delivered with it as a
/// commit's announcement is: counts a revision of the counter they poll,
/// and announces it with each source the batch's sightings name (every article's
/// sightings come in every copy, so each source with articles is
/// announced by some batch).
fn announce(conn: &mut Conn, target: &Target, records: &[Record]) -> Result<(), StoreError> {
    if records.is_empty() {
        return Ok(());
    }
    let revision: i64 = conn
        .query_one("UPDATE revision SET value = value + 1 RETURNING value", &[])
        .at(target)?
        .get(0);
    let sources: BTreeSet<&str> = records
        .iter()
        .filter_map(|record| match record {
            Record::Sighting { sighting, .. } => Some(sighting.source.as_str()),
            _ => None,
        })
        .collect();
    for source in sources {
        // In the form of a commit's announcement (`REVISION SOURCE`).
        let payload = format!("{revision} {source}");
        conn.query_one("SELECT pg_notify($1, $2)", &[&CHANNEL, &payload])
            .at(target)?;
    }
    Ok(())
}

fn import_all(conn: &mut Conn, target: &Target, records: &[Record]) -> Result<(), StoreError> {
    let mut k = index_distance(conn, target)?;
    let mut rest = records;
    while let Some(first) = rest.first() {
        let kind = std::mem::discriminant(first);
        let length = rest
            .iter()
            .take_while(|r| std::mem::discriminant(*r) == kind)
            .count();
        let (run, after) = rest.split_at(length);
        rest = after;
        match first {
            Record::NearIndex { .. } => {
                for record in run {
                    if let Record::NearIndex { max_distance } = record
                        && *max_distance != k
                    {
                        transfer::rekey_all(conn, target, *max_distance)?;
                        k = *max_distance;
                    }
                }
            }
            Record::Article(_) => articles(conn, target, run, k)?,
            Record::ContentKey { .. } => content_keys(conn, target, run)?,
            Record::LinkKey { .. } => link_keys(conn, target, run)?,
            Record::UpstreamKey { .. } => upstream_keys(conn, target, run)?,
            Record::Sighting { .. } => sightings(conn, target, run)?,
            Record::Fold { .. } => folds(conn, target, run)?,
            _ => run
                .iter()
                .try_for_each(|record| one_by_one(conn, target, record))?,
        }
    }
    Ok(())
}

/// The few-rowed kinds, written a record at a time.
fn one_by_one(conn: &mut Conn, target: &Target, record: &Record) -> Result<(), StoreError> {
    match record {
        Record::FetchState { source, state } => put_fetch_state(conn, target, source, state),
        Record::DocumentValidators {
            source,
            document,
            validators,
        } => put_document_validators(conn, target, source, document, validators),
        Record::SeenPage {
            source,
            url,
            version,
            validators,
        } => pages::remember(
            conn,
            target,
            source,
            &SeenPage {
                url: url.clone(),
                version: version.clone(),
                validators: validators.clone(),
            },
        ),
        Record::SitePage { site, page, keys } => pages::count_page(conn, target, site, page, keys),
        Record::Cycle(cycle) => {
            // An earlier copy forgets what the source has forgotten since.
            cycles::insert(conn, target, cycle)?;
            cycles::forget_old(conn, target, &cycle.source, cycle.at)
        }
        Record::FormerName { former, source } => super::rename::keep(conn, target, former, source),
        Record::MergedArticle {
            id,
            published,
            updated,
            first_seen,
            content,
            prints,
        } => conn
            .execute(
                "INSERT INTO merged_article (id, published, updated, first_seen, content, prints) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO UPDATE SET \
                 published = excluded.published, updated = excluded.updated, \
                 first_seen = excluded.first_seen, content = excluded.content, \
                 prints = excluded.prints",
                &[
                    &codec::pack_id(id),
                    published,
                    updated,
                    first_seen,
                    content,
                    prints,
                ],
            )
            .at(target)
            .map(|_| ()),
        _ => unreachable!("many-rowed kinds are written in runs"),
    }
}

/// The seq of each of the `packed` ids the store holds, from one query.
fn stored_seqs(
    conn: &mut Conn,
    target: &Target,
    packed: &[Vec<u8>],
) -> Result<HashMap<Vec<u8>, i64>, StoreError> {
    Ok(conn
        .query("SELECT id, seq FROM article WHERE id = ANY($1)", &[&packed])
        .at(target)?
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect())
}

/// The seq of each of `ids`, in order, from one query; an id the store
/// lacks is an error naming it.
fn seqs_of(conn: &mut Conn, target: &Target, ids: &[&str]) -> Result<Vec<i64>, StoreError> {
    let packed: Vec<Vec<u8>> = ids.iter().map(|id| codec::pack_id(id)).collect();
    let found = stored_seqs(conn, target, &packed)?;
    packed
        .iter()
        .zip(ids)
        .map(|(packed, id)| {
            found.get(packed).copied().ok_or_else(|| {
                corrupt(
                    target,
                    id,
                    "a record names an article the store lacks".into(),
                )
            })
        })
        .collect()
}

/// The id of each place, in order, made where the store lacks it.
fn places_of(conn: &mut Conn, target: &Target, seen: &[&Sighting]) -> Result<Vec<i64>, StoreError> {
    let sources: Vec<&str> = seen.iter().map(|s| s.source.as_str()).collect();
    let locations: Vec<&str> = seen.iter().map(|s| s.location.as_str()).collect();
    conn.execute(
        "INSERT INTO place (source, location) SELECT DISTINCT s, l FROM unnest($1::text[], $2::text[]) \
         AS u(s, l) ON CONFLICT DO NOTHING",
        &[&sources, &locations],
    )
    .at(target)?;
    let found: HashMap<(String, String), i64> = conn
        .query(
            "SELECT p.source, p.location, p.id FROM place p \
             JOIN (SELECT DISTINCT s, l FROM unnest($1::text[], $2::text[]) AS u(s, l)) u \
             ON p.source = u.s AND feedfold_key_hash(p.location) = feedfold_key_hash(u.l)",
            &[&sources, &locations],
        )
        .at(target)?
        .iter()
        .map(|row| ((row.get(0), row.get(1)), row.get(2)))
        .collect();
    seen.iter()
        .map(|s| {
            found
                .get(&(s.source.clone(), s.location.clone()))
                .copied()
                .ok_or_else(|| {
                    corrupt(
                        target,
                        &s.location,
                        "a place written was not found again".into(),
                    )
                })
        })
        .collect()
}

/// New articles filed with their near-duplicate keys in one statement;
/// those the store holds already (or that come twice, once the first is
/// filed) written over one at a time, as a copy run again over a changed
/// store does.
fn articles(conn: &mut Conn, target: &Target, run: &[Record], k: u32) -> Result<(), StoreError> {
    let run: Vec<&ArticleRecord> = run
        .iter()
        .filter_map(|r| match r {
            Record::Article(a) => Some(&**a),
            _ => None,
        })
        .collect();
    let packed: Vec<Vec<u8>> = run.iter().map(|r| codec::pack_id(&r.article.id)).collect();
    let mut seqs = stored_seqs(conn, target, &packed)?;
    let mut taken = HashSet::new();
    let (mut fresh, mut again) = (Vec::new(), Vec::new());
    for (record, packed) in run.into_iter().zip(packed) {
        if seqs.contains_key(&packed) || !taken.insert(packed.clone()) {
            again.push((record, packed));
        } else {
            fresh.push((record, packed));
        }
    }
    if !fresh.is_empty() {
        let mut columns = ArticleColumns::default();
        for (record, packed) in fresh {
            columns.push(record, packed, k);
        }
        let inserted = conn.query(
            "WITH new AS (INSERT INTO article (id, published, updated, first_seen, content, prints, keys, changed, stored) \
                 SELECT id, published, updated, first_seen, content, prints, keys::bigint[], changed, stored \
                 FROM unnest($1::bytea[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bytea[], \
                     $6::bytea[], $7::text[], $8::bigint[], $9::bigint[]) \
                     WITH ORDINALITY AS u(id, published, updated, first_seen, content, prints, keys, changed, stored, n) \
                 ORDER BY n RETURNING id, seq, keys), \
             filed AS (INSERT INTO near_key_pending (key, article) \
                 SELECT unnest(keys), seq FROM new ON CONFLICT DO NOTHING RETURNING 1), \
             counted AS (UPDATE near_index SET pending = pending + (SELECT count(*) FROM filed)) \
             SELECT id, seq FROM new",
            &[
                &columns.ids,
                &columns.published,
                &columns.updated,
                &columns.first_seen,
                &columns.content,
                &columns.prints,
                &columns.keys,
                &columns.changed,
                &columns.stored,
            ],
        )
        .at(target)?;
        seqs.extend(inserted.iter().map(|row| (row.get(0), row.get(1))));
    }
    for (record, packed) in again {
        write_over(conn, target, seqs[&packed], record, k)?;
    }
    Ok(())
}

/// New articles as the arrays one insert takes; the near-duplicate keys of
/// each as an array literal, since arrays of arrays cannot be unnested.
#[derive(Default)]
struct ArticleColumns {
    ids: Vec<Vec<u8>>,
    published: Vec<i64>,
    updated: Vec<i64>,
    first_seen: Vec<i64>,
    content: Vec<Vec<u8>>,
    prints: Vec<Vec<u8>>,
    keys: Vec<String>,
    changed: Vec<Option<i64>>,
    stored: Vec<Option<i64>>,
}

impl ArticleColumns {
    fn push(&mut self, record: &ArticleRecord, packed_id: Vec<u8>, k: u32) {
        let ArticleRecord {
            article,
            first_seen,
            changed,
            stored,
            prints,
        } = record;
        let keys = codec::near_keys(&prints.index_keys(k));
        self.changed.push(changed.map(codec::seconds));
        self.stored.push(stored.map(codec::seconds));
        self.ids.push(packed_id);
        self.published.push(codec::seconds(article.published));
        self.updated.push(codec::seconds(article.updated));
        self.first_seen.push(codec::seconds(*first_seen));
        self.content
            .push(codec::pack_content(&ContentRef::of_stored(article)));
        self.prints.push(codec::pack_prints(prints));
        let listed: Vec<String> = keys.iter().map(i64::to_string).collect();
        self.keys.push(format!("{{{}}}", listed.join(",")));
    }
}

/// Writes `record` over stored article `seq`.
fn write_over(
    conn: &mut Conn,
    target: &Target,
    seq: i64,
    record: &ArticleRecord,
    k: u32,
) -> Result<(), StoreError> {
    let ArticleRecord {
        article,
        first_seen,
        changed,
        stored,
        prints,
    } = record;
    let content = ContentRef::of_stored(article);
    let keys = codec::near_keys(&prints.index_keys(k));
    near_index::refile(conn, target, seq, &keys)?;
    conn.execute(
        "UPDATE article SET published = $2, updated = $3, first_seen = $4, \
         content = $5, prints = $6, keys = $7, changed = $8, stored = $9 WHERE seq = $1",
        &[
            &seq,
            &codec::seconds(article.published),
            &codec::seconds(article.updated),
            &codec::seconds(*first_seen),
            &codec::pack_content(&content),
            &codec::pack_prints(prints),
            &keys,
            &changed.map(codec::seconds),
            &stored.map(codec::seconds),
        ],
    )
    .at(target)?;
    Ok(())
}

fn content_keys(conn: &mut Conn, target: &Target, run: &[Record]) -> Result<(), StoreError> {
    keys_leading_to_articles(
        conn,
        target,
        run,
        |r| match r {
            Record::ContentKey { key, article } => Some((key.to_vec(), article.as_str())),
            _ => None,
        },
        "INSERT INTO content_key (key, article) SELECT * FROM unnest($1::bytea[], $2::bigint[]) \
         ON CONFLICT DO NOTHING",
    )
}

fn link_keys(conn: &mut Conn, target: &Target, run: &[Record]) -> Result<(), StoreError> {
    keys_leading_to_articles(
        conn,
        target,
        run,
        |r| match r {
            Record::LinkKey { link, article } => Some((link.clone(), article.as_str())),
            _ => None,
        },
        "INSERT INTO link_key (link, article) SELECT * FROM unnest($1::text[], $2::bigint[]) \
         ON CONFLICT DO NOTHING",
    )
}

/// Keys that lead to an article, `pick`ed from the run, written by `sql`
/// (`$1` the keys, `$2` their articles' seqs); a key stored already stays.
fn keys_leading_to_articles<'a, K: ToSql + Sync>(
    conn: &mut Conn,
    target: &Target,
    run: &'a [Record],
    pick: impl Fn(&'a Record) -> Option<(K, &'a str)>,
    sql: &'static str,
) -> Result<(), StoreError> {
    let (keys, ids): (Vec<K>, Vec<&str>) = run.iter().filter_map(pick).unzip();
    let seqs = seqs_of(conn, target, &ids)?;
    conn.execute(sql, &[&keys, &seqs]).at(target)?;
    Ok(())
}

/// Upstream keys; where one comes twice, the later one stands, as it
/// would written one at a time.
fn upstream_keys(conn: &mut Conn, target: &Target, run: &[Record]) -> Result<(), StoreError> {
    let named: Vec<&str> = run
        .iter()
        .filter_map(|r| match r {
            Record::UpstreamKey { article, .. } => Some(article.as_str()),
            _ => None,
        })
        .collect();
    // Every record's article is checked, the replaced ones' too.
    let seq_of: HashMap<&str, i64> = named
        .iter()
        .copied()
        .zip(seqs_of(conn, target, &named)?)
        .collect();
    let mut latest: HashMap<(&str, &str), usize> = HashMap::new();
    let mut keys = Vec::new();
    for record in run {
        if let Record::UpstreamKey {
            source,
            key,
            article,
            content_key,
            version,
        } = record
        {
            let at = *latest
                .entry((source.as_str(), key.as_str()))
                .or_insert(keys.len());
            let entry = (
                source.as_str(),
                key.as_str(),
                article.as_str(),
                &content_key[..],
                version.as_ref().map(|v| &v[..]),
            );
            if at == keys.len() {
                keys.push(entry);
            } else {
                keys[at] = entry;
            }
        }
    }
    let seqs: Vec<i64> = keys.iter().map(|k| seq_of[k.2]).collect();
    let sources: Vec<&str> = keys.iter().map(|k| k.0).collect();
    let names: Vec<_> = keys.iter().map(|k| key_text::column_text(k.1)).collect();
    let content_keys: Vec<&[u8]> = keys.iter().map(|k| k.3).collect();
    let versions: Vec<Option<&[u8]>> = keys.iter().map(|k| k.4).collect();
    conn.execute(
        "INSERT INTO upstream_key (source, key, article, content_key, version) \
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bytea[], $5::bytea[]) \
         ON CONFLICT (source, feedfold_key_hash(key)) DO UPDATE SET article = excluded.article, \
         content_key = excluded.content_key, version = excluded.version",
        &[&sources, &names, &seqs, &content_keys, &versions],
    )
    .at(target)?;
    Ok(())
}

/// Sightings not stored yet, numbered after those of their article that
/// are, in the order they come; a place named again for an article is
/// passed over, as a second insert of it would be.
fn sightings(conn: &mut Conn, target: &Target, run: &[Record]) -> Result<(), StoreError> {
    let (ids, seen): (Vec<&str>, Vec<(&Sighting, Option<i64>)>) = run
        .iter()
        .filter_map(|r| match r {
            Record::Sighting {
                article,
                sighting,
                stored,
            } => Some((article.as_str(), (sighting, stored.map(codec::seconds)))),
            _ => None,
        })
        .unzip();
    let seqs = seqs_of(conn, target, &ids)?;
    let places = places_of(
        conn,
        target,
        &seen.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
    )?;
    // Only the first sighting of an article at a place counts, so one
    // that comes again takes no number.
    let mut taken = HashSet::new();
    let (mut article, mut place, mut line, mut first_seen, mut stored) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for ((&seq, &at), (sighting, when)) in seqs.iter().zip(&places).zip(&seen) {
        if taken.insert((seq, at)) {
            article.push(seq);
            place.push(at);
            line.push(sighting.line);
            first_seen.push(codec::seconds(sighting.first_seen));
            stored.push(*when);
        }
    }
    conn.execute(
        "INSERT INTO sighting (article, place, line, first_seen, arrival, stored) \
         SELECT u.article, u.place, u.line, u.first_seen, \
             (SELECT count(*) FROM sighting s WHERE s.article = u.article) \
             + row_number() OVER (PARTITION BY u.article ORDER BY u.n) - 1, u.stored \
         FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[]) \
             WITH ORDINALITY AS u(article, place, line, first_seen, stored, n) \
         WHERE NOT EXISTS (SELECT 1 FROM sighting s WHERE s.article = u.article AND s.place = u.place) \
         ORDER BY u.n ON CONFLICT DO NOTHING",
        &[&article, &place, &line, &first_seen, &stored],
    )
    .at(target)?;
    Ok(())
}

/// Folds, numbered in the order they come.
fn folds(conn: &mut Conn, target: &Target, run: &[Record]) -> Result<(), StoreError> {
    let mut ids = Vec::new();
    let mut seen = Vec::new();
    let (mut copy_ids, mut titles, mut rules) = (Vec::new(), Vec::new(), Vec::new());
    let (mut distances, mut replaced, mut evidence) = (Vec::new(), Vec::new(), Vec::new());
    let mut merges = Vec::new();
    for record in run {
        if let Record::Fold {
            article,
            copy_id,
            copy_title,
            rule,
            distance,
            replaced: replaced_by,
            evidence: resting_on,
            seen: at,
            merged,
        } = record
        {
            ids.push(article.as_str());
            seen.push(at);
            copy_ids.push(codec::pack_id(copy_id));
            titles.push(copy_title.as_str());
            rules.push(rule.as_str());
            distances.push(distance.map(|d| d as i32));
            replaced.push(replaced_by.as_deref());
            evidence.push(resting_on.as_deref());
            merges.push(*merged);
        }
    }
    let seqs = seqs_of(conn, target, &ids)?;
    let places = places_of(conn, target, &seen)?;
    let lines: Vec<i64> = seen.iter().map(|s| s.line).collect();
    let folded_at: Vec<i64> = seen.iter().map(|s| codec::seconds(s.first_seen)).collect();
    conn.execute(
        "INSERT INTO fold (article, place, line, copy_id, copy_title, rule, distance, replaced, \
             evidence, folded_at, merged) \
         SELECT article, place, line, copy_id, copy_title, rule, distance, replaced, evidence, \
             folded_at, merged \
         FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bytea[], $5::text[], $6::text[], \
             $7::integer[], $8::text[], $9::text[], $10::bigint[], $11::boolean[]) \
             WITH ORDINALITY AS u(article, place, line, copy_id, copy_title, rule, distance, replaced, \
                 evidence, folded_at, merged, n) \
         ORDER BY n ON CONFLICT (article, place, copy_id) DO UPDATE SET \
             copy_title = excluded.copy_title, rule = excluded.rule, distance = excluded.distance, \
             replaced = excluded.replaced, evidence = excluded.evidence, merged = excluded.merged \
         WHERE (fold.copy_title, fold.rule, fold.distance, fold.replaced, fold.evidence, fold.merged) \
             IS DISTINCT FROM (excluded.copy_title, excluded.rule, excluded.distance, \
             excluded.replaced, excluded.evidence, excluded.merged)",
        &[
            &seqs, &places, &lines, &copy_ids, &titles, &rules, &distances, &replaced, &evidence,
            &folded_at, &merges,
        ],
    )
    .at(target)?;
    Ok(())
}

//! A whole PostgreSQL store as [`Record`]s out (`export`, one repeatable
//! read snapshot, rows streamed; `import` writes them in), what it holds
//! counted, and the near-duplicate index filed afresh for another distance.

use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;

use super::connect::{Conn, Target};
use super::read::{fetch_state_at, fetch_state_columns};
use super::writer::index_distance;
use super::{At, FOLD_LOCK, corrupt, cycles, key_text, near_index};
use crate::ingest::fetch::Validators;
use crate::normalize::Key;
use crate::store::codec;
use crate::store::{ArticleRecord, Counts, IDS_AT_ONCE, Record, Sighting, StoreError};

/// Records handed out at once.
const BATCH: usize = 1000;

/// Runs `each` on every row of `sql`, streamed.
fn stream(
    conn: &mut Conn,
    target: &Target,
    sql: &str,
    mut each: impl FnMut(&postgres::Row) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let params: [&(dyn ToSql + Sync); 0] = [];
    let mut rows = conn
        .client
        .query_raw(sql, params.iter().copied())
        .at(target)?;
    while let Some(row) = rows.next().at(target)? {
        each(&row)?;
    }
    Ok(())
}

fn id_of(target: &Target, packed: &[u8]) -> Result<String, StoreError> {
    codec::unpack_id(packed).map_err(|m| corrupt(target, "?", m))
}

fn moment_of(
    target: &Target,
    id: &str,
    seconds: i64,
) -> Result<chrono::DateTime<chrono::Utc>, StoreError> {
    codec::moment(seconds).map_err(|m| corrupt(target, id, m))
}

/// Hands the ids of the stored articles to `sink`, [`IDS_AT_ONCE`] at a
/// time, in the order they were stored.
pub(super) fn article_ids(
    conn: &mut Conn,
    target: &Target,
    sink: &mut dyn FnMut(Vec<String>) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut ids = Vec::new();
    stream(conn, target, "SELECT id FROM article ORDER BY seq", |row| {
        ids.push(id_of(target, &row.get::<_, Vec<u8>>(0))?);
        if ids.len() >= IDS_AT_ONCE {
            sink(std::mem::take(&mut ids))?;
        }
        Ok(())
    })?;
    if ids.is_empty() { Ok(()) } else { sink(ids) }
}

/// Hands everything in the store to `sink` from one snapshot, and counts
/// what that snapshot holds.
pub(super) fn export(
    conn: &mut Conn,
    target: &Target,
    sink: &mut dyn FnMut(Vec<Record>) -> Result<(), StoreError>,
) -> Result<Counts, StoreError> {
    conn.client
        .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .at(target)?;
    let exported = export_all(conn, target, sink).and_then(|()| counts(conn, target));
    let _ = conn.batch_execute("COMMIT");
    exported
}

fn export_all(
    conn: &mut Conn,
    target: &Target,
    sink: &mut dyn FnMut(Vec<Record>) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut records = vec![Record::NearIndex {
        max_distance: index_distance(conn, target)?,
    }];
    let mut push = |record: Record| -> Result<(), StoreError> {
        records.push(record);
        if records.len() >= BATCH {
            sink(std::mem::take(&mut records))?;
        }
        Ok(())
    };
    stream(
        conn,
        target,
        "SELECT id, published, updated, first_seen, content, prints, changed, stored FROM article ORDER BY seq",
        |row| {
            let id = id_of(target, &row.get::<_, Vec<u8>>(0))?;
            let (published, updated): (i64, i64) = (row.get(1), row.get(2));
            let article =
                codec::unpack_article(id.clone(), published, updated, &row.get::<_, Vec<u8>>(4))
                    .map_err(|m| corrupt(target, &id, m))?;
            let prints = codec::unpack_prints(&row.get::<_, Vec<u8>>(5), published, updated)
                .map_err(|m| corrupt(target, &id, m))?;
            let changed: Option<i64> = row.get(6);
            let stored: Option<i64> = row.get(7);
            push(Record::Article(Box::new(ArticleRecord {
                first_seen: moment_of(target, &id, row.get(3))?,
                changed: changed.map(|c| moment_of(target, &id, c)).transpose()?,
                stored: stored.map(|c| moment_of(target, &id, c)).transpose()?,
                article,
                prints,
            })))
        },
    )?;
    stream(
        conn,
        target,
        "SELECT k.key, a.id FROM content_key k JOIN article a ON a.seq = k.article",
        |row| {
            let article = id_of(target, &row.get::<_, Vec<u8>>(1))?;
            let key = <[u8; 16]>::try_from(row.get::<_, Vec<u8>>(0).as_slice())
                .map_err(|_| corrupt(target, &article, "bad content key".into()))?;
            push(Record::ContentKey { key, article })
        },
    )?;
    stream(
        conn,
        target,
        "SELECT k.link, a.id FROM link_key k JOIN article a ON a.seq = k.article",
        |row| {
            push(Record::LinkKey {
                link: row.get(0),
                article: id_of(target, &row.get::<_, Vec<u8>>(1))?,
            })
        },
    )?;
    stream(
        conn,
        target,
        "SELECT k.source, k.key, a.id, k.content_key, k.version FROM upstream_key k JOIN article a ON a.seq = k.article",
        |row| {
            let article = id_of(target, &row.get::<_, Vec<u8>>(2))?;
            let key = |bytes: Vec<u8>, what: &str| {
                Key::try_from(bytes.as_slice())
                    .map_err(|_| corrupt(target, &article, format!("bad {what}")))
            };
            let content_key = key(row.get(3), "content key")?;
            let version = row
                .get::<_, Option<Vec<u8>>>(4)
                .map(|v| key(v, "entry version"))
                .transpose()?;
            push(Record::UpstreamKey {
                source: row.get(0),
                key: key_text::key_of(row.get(1)),
                article,
                content_key,
                version,
            })
        },
    )?;
    stream(
        conn,
        target,
        "SELECT a.id, p.source, p.location, s.line, s.first_seen, s.stored FROM sighting s \
         JOIN article a ON a.seq = s.article JOIN place p ON p.id = s.place ORDER BY s.article, s.arrival",
        |row| {
            let article = id_of(target, &row.get::<_, Vec<u8>>(0))?;
            let first_seen = moment_of(target, &article, row.get(4))?;
            let stored: Option<i64> = row.get(5);
            let stored = stored.map(|s| moment_of(target, &article, s)).transpose()?;
            push(Record::Sighting {
                stored,
                sighting: Sighting {
                    source: row.get(1),
                    location: row.get(2),
                    line: row.get(3),
                    first_seen,
                },
                article,
            })
        },
    )?;
    stream(
        conn,
        target,
        "SELECT a.id, f.copy_id, f.copy_title, f.rule, f.distance, f.replaced, p.source, p.location, \
         f.line, f.folded_at, f.evidence, f.merged FROM fold f JOIN article a ON a.seq = f.article JOIN place p ON p.id = f.place \
         ORDER BY f.id",
        |row| {
            let article = id_of(target, &row.get::<_, Vec<u8>>(0))?;
            let folded_at = moment_of(target, &article, row.get(9))?;
            push(Record::Fold {
                copy_id: id_of(target, &row.get::<_, Vec<u8>>(1))?,
                copy_title: row.get(2),
                rule: row.get(3),
                distance: row.get::<_, Option<i32>>(4).map(|d| d.max(0) as u32),
                replaced: row.get(5),
                evidence: row.get(10),
                seen: Sighting {
                    source: row.get(6),
                    location: row.get(7),
                    line: row.get(8),
                    first_seen: folded_at,
                },
                merged: row.get(11),
                article,
            })
        },
    )?;
    stream(
        conn,
        target,
        concat!(
            "SELECT source, ",
            fetch_state_columns!(),
            " FROM fetch_state ORDER BY source"
        ),
        |row| {
            let source: String = row.get(0);
            let state = fetch_state_at(target, &source, row, 1)?;
            push(Record::FetchState { source, state })
        },
    )?;
    stream(
        conn,
        target,
        "SELECT source, document, etag, last_modified FROM document_validators \
         ORDER BY source, document",
        |row| {
            push(Record::DocumentValidators {
                source: row.get(0),
                document: row.get(1),
                validators: Validators {
                    etag: row.get(2),
                    last_modified: row.get(3),
                },
            })
        },
    )?;
    stream(
        conn,
        target,
        "SELECT source, url, version, etag, last_modified FROM seen_pages \
         ORDER BY source, url",
        |row| {
            push(Record::SeenPage {
                source: row.get(0),
                url: row.get(1),
                version: row.get(2),
                validators: Validators {
                    etag: row.get(3),
                    last_modified: row.get(4),
                },
            })
        },
    )?;
    stream(
        conn,
        target,
        "SELECT p.site, p.page, array_remove(array_agg(k.key ORDER BY k.key), NULL) \
         FROM site_pages p LEFT JOIN site_paragraphs k ON k.site = p.site AND k.page_id = p.id \
         GROUP BY p.id ORDER BY p.id",
        |row| {
            let page: String = row.get(1);
            let keys = row
                .get::<_, Vec<Vec<u8>>>(2)
                .iter()
                .map(|key| Key::try_from(key.as_slice()))
                .collect::<Result<Vec<Key>, _>>()
                .map_err(|_| corrupt(target, &page, "bad paragraph key".into()))?;
            push(Record::SitePage {
                site: row.get(0),
                page,
                keys,
            })
        },
    )?;
    for cycle in cycles::all(conn, target)? {
        push(Record::Cycle(cycle))?;
    }
    for (former, source) in super::rename::all(conn, target)? {
        push(Record::FormerName { former, source })?;
    }
    stream(
        conn,
        target,
        "SELECT id, published, updated, first_seen, content, prints FROM merged_article ORDER BY id",
        |row| {
            push(Record::MergedArticle {
                id: id_of(target, row.get(0))?,
                published: row.get(1),
                updated: row.get(2),
                first_seen: row.get(3),
                content: row.get(4),
                prints: row.get(5),
            })
        },
    )?;
    if !records.is_empty() {
        sink(records)?;
    }
    Ok(())
}

pub(super) fn counts(conn: &mut Conn, target: &Target) -> Result<Counts, StoreError> {
    // The index's rows count as they stand once its pending rows are merged.
    let row = conn
        .query_one(
            "SELECT (SELECT count(*) FROM article), (SELECT count(*) FROM content_key), \
             (SELECT count(*) FROM link_key), (SELECT count(*) FROM upstream_key), \
             (SELECT count(*) FROM sighting), (SELECT count(*) FROM fold), \
             (SELECT count(*) FROM near_key) + (SELECT count(*) FROM near_key_pending) \
             - (SELECT count(*) FROM near_key_gone g JOIN near_key n \
                ON n.key = g.key AND n.article = g.article), \
             (SELECT count(*) FROM fetch_state), \
             (SELECT count(*) FROM seen_pages), (SELECT count(*) FROM site_pages), \
             (SELECT count(*) FROM site_paragraphs), (SELECT count(*) FROM source_cycle), \
             (SELECT count(*) FROM document_validators), (SELECT count(*) FROM merged_article)",
            &[],
        )
        .at(target)?;
    let n = |i: usize| row.get::<_, i64>(i).max(0) as u64;
    Ok(Counts {
        articles: n(0),
        content_keys: n(1),
        link_keys: n(2),
        upstream_keys: n(3),
        sightings: n(4),
        folds: n(5),
        near_keys: n(6),
        fetch_states: n(7),
        document_validators: n(12),
        seen_pages: n(8),
        site_pages: n(9),
        site_paragraphs: n(10),
        cycles: n(11),
        merged_articles: n(13),
    })
}

/// Files every article afresh for distance `k`, in one transaction under
/// the fold lock, unless the index is keyed for `k` already; whether it did.
pub(super) fn rekey(conn: &mut Conn, target: &Target, k: u32) -> Result<bool, StoreError> {
    super::in_transaction(conn, target, |conn| {
        conn.query_one("SELECT pg_advisory_xact_lock($1)", &[&FOLD_LOCK])
            .at(target)?;
        let current = index_distance(conn, target)?;
        if current == k {
            return Ok(false);
        }
        tracing::info!(store = %target.label, from = current, to = k,
            "re-keying the near-duplicate index for the new max_distance");
        rekey_all(conn, target, k)?;
        Ok(true)
    })
}

pub(super) fn rekey_all(conn: &mut Conn, target: &Target, k: u32) -> Result<(), StoreError> {
    near_index::clear_for_refiling(conn, target)?;
    let mut after = 0i64;
    loop {
        let rows = conn
            .query(
                "SELECT seq, id, published, updated, prints FROM article WHERE seq > $1 \
                 ORDER BY seq LIMIT 1000",
                &[&after],
            )
            .at(target)?;
        let Some(last) = rows.last() else { break };
        after = last.get(0);
        for row in rows {
            let seq: i64 = row.get(0);
            let id = id_of(target, &row.get::<_, Vec<u8>>(1))?;
            let prints = codec::unpack_prints(&row.get::<_, Vec<u8>>(4), row.get(2), row.get(3))
                .map_err(|m| corrupt(target, &id, m))?;
            let keys = codec::near_keys(&prints.index_keys(k));
            conn.execute(
                "UPDATE article SET keys = $2 WHERE seq = $1",
                &[&seq, &keys],
            )
            .at(target)?;
            near_index::insert_settled_keys(conn, target, seq, &keys)?;
        }
    }
    near_index::refiled(conn, target)?;
    conn.execute("UPDATE near_index SET max_distance = $1", &[&(k as i32)])
        .at(target)?;
    Ok(())
}

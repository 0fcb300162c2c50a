//! A whole SQLite store as [`Record`]s, out (`export`, one read
//! transaction) and in (`import`, one write transaction per batch), and
//! what it holds counted: what `feedfold store copy` moves.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};

use super::writer::{NewArticle, insert_article, place};
use super::{At, corrupt, cycles, fetch_state, near_index, pages, rename, write_behind};
use crate::ingest::fetch::Validators;
use crate::ingest::source::SeenPage;
use crate::normalize::Key;
use crate::store::codec::{self, ContentRef};
use crate::store::{ArticleRecord, Counts, IDS_AT_ONCE, Record, Sighting, StoreError};

/// Records handed out at once.
const BATCH: usize = 1000;

/// Collects records and hands them out a batch at a time.
struct Batcher<'a> {
    records: Vec<Record>,
    sink: &'a mut dyn FnMut(Vec<Record>) -> Result<(), StoreError>,
}

impl Batcher<'_> {
    fn push(&mut self, record: Record) -> Result<(), StoreError> {
        self.records.push(record);
        if self.records.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), StoreError> {
        if self.records.is_empty() {
            return Ok(());
        }
        (self.sink)(std::mem::take(&mut self.records))
    }
}

/// Runs `each` on every row `sql` selects.
fn rows(
    conn: &Connection,
    path: &Path,
    sql: &str,
    mut each: impl FnMut(&rusqlite::Row) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut stmt = conn.prepare(sql).at(path)?;
    let mut rows = stmt.query([]).at(path)?;
    while let Some(row) = rows.next().at(path)? {
        each(row)?;
    }
    Ok(())
}

fn id_of(path: &Path, packed: &[u8]) -> Result<String, StoreError> {
    codec::unpack_id(packed).map_err(|m| corrupt(path, "?", m))
}

fn moment_of(
    path: &Path,
    id: &str,
    seconds: i64,
) -> Result<chrono::DateTime<chrono::Utc>, StoreError> {
    codec::moment(seconds).map_err(|m| corrupt(path, id, m))
}

/// Hands the ids of the stored articles to `sink`, [`IDS_AT_ONCE`] at a
/// time, in the order they were stored.
pub(super) fn article_ids(
    conn: &Connection,
    path: &Path,
    sink: &mut dyn FnMut(Vec<String>) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut ids = Vec::new();
    rows(conn, path, "SELECT id FROM article ORDER BY seq", |row| {
        ids.push(id_of(path, &row.get::<_, Vec<u8>>(0).at(path)?)?);
        if ids.len() >= IDS_AT_ONCE {
            sink(std::mem::take(&mut ids))?;
        }
        Ok(())
    })?;
    if ids.is_empty() { Ok(()) } else { sink(ids) }
}

/// Hands everything in the store to `sink`, inside one read transaction,
/// and counts what that transaction saw.
pub(super) fn export(
    conn: &Connection,
    path: &Path,
    sink: &mut dyn FnMut(Vec<Record>) -> Result<(), StoreError>,
) -> Result<Counts, StoreError> {
    conn.execute_batch("BEGIN").at(path)?;
    let exported = export_all(
        conn,
        path,
        &mut Batcher {
            records: Vec::new(),
            sink,
        },
    )
    .and_then(|()| counts(conn, path));
    let _ = conn.execute_batch("COMMIT");
    exported
}

fn export_all(conn: &Connection, path: &Path, out: &mut Batcher) -> Result<(), StoreError> {
    let max_distance = near_index::index_distance(conn, path)?;
    out.push(Record::NearIndex { max_distance })?;
    rows(
        conn,
        path,
        "SELECT id, published, updated, first_seen, content, prints, changed, stored FROM article ORDER BY seq",
        |row| {
            let id = id_of(path, &row.get::<_, Vec<u8>>(0).at(path)?)?;
            let (published, updated): (i64, i64) = (row.get(1).at(path)?, row.get(2).at(path)?);
            let content: Vec<u8> = row.get(4).at(path)?;
            let prints: Vec<u8> = row.get(5).at(path)?;
            let article = codec::unpack_article(id.clone(), published, updated, &content)
                .map_err(|m| corrupt(path, &id, m))?;
            let prints = codec::unpack_prints(&prints, published, updated)
                .map_err(|m| corrupt(path, &id, m))?;
            let changed: Option<i64> = row.get(6).at(path)?;
            let stored: Option<i64> = row.get(7).at(path)?;
            out.push(Record::Article(Box::new(ArticleRecord {
                first_seen: moment_of(path, &id, row.get(3).at(path)?)?,
                changed: changed.map(|c| moment_of(path, &id, c)).transpose()?,
                stored: stored.map(|c| moment_of(path, &id, c)).transpose()?,
                article,
                prints,
            })))
        },
    )?;
    rows(
        conn,
        path,
        "SELECT k.key, a.id FROM content_key k JOIN article a ON a.seq = k.article",
        |row| {
            let key: Vec<u8> = row.get(0).at(path)?;
            let article = id_of(path, &row.get::<_, Vec<u8>>(1).at(path)?)?;
            let key = <[u8; 16]>::try_from(key.as_slice())
                .map_err(|_| corrupt(path, &article, "bad content key".into()))?;
            out.push(Record::ContentKey { key, article })
        },
    )?;
    rows(
        conn,
        path,
        "SELECT k.link, a.id FROM link_key k JOIN article a ON a.seq = k.article",
        |row| {
            out.push(Record::LinkKey {
                link: row.get(0).at(path)?,
                article: id_of(path, &row.get::<_, Vec<u8>>(1).at(path)?)?,
            })
        },
    )?;
    rows(
        conn,
        path,
        "SELECT k.source, k.key, a.id, k.content_key, k.version FROM upstream_key k JOIN article a ON a.seq = k.article",
        |row| {
            let article = id_of(path, &row.get::<_, Vec<u8>>(2).at(path)?)?;
            let key = |bytes: Vec<u8>, what: &str| {
                Key::try_from(bytes.as_slice())
                    .map_err(|_| corrupt(path, &article, format!("bad {what}")))
            };
            let content_key = key(row.get(3).at(path)?, "content key")?;
            let version = row
                .get::<_, Option<Vec<u8>>>(4)
                .at(path)?
                .map(|v| key(v, "entry version"))
                .transpose()?;
            out.push(Record::UpstreamKey {
                source: row.get(0).at(path)?,
                key: row.get(1).at(path)?,
                article,
                content_key,
                version,
            })
        },
    )?;
    rows(
        conn,
        path,
        // Each half read in its key order and the two merged, rather than
        // every sighting sorted.
        "SELECT a.id, p.source, p.location, s.line, s.first_seen, s.article, s.arrival, s.stored \
         FROM sighting_settled s JOIN article a ON a.seq = s.article JOIN place p ON p.id = s.place \
         UNION ALL \
         SELECT a.id, p.source, p.location, s.line, s.first_seen, s.article, s.arrival, s.stored \
         FROM sighting_pending s JOIN article a ON a.seq = s.article JOIN place p ON p.id = s.place \
         ORDER BY 6, 7",
        |row| {
            let article = id_of(path, &row.get::<_, Vec<u8>>(0).at(path)?)?;
            let first_seen = moment_of(path, &article, row.get(4).at(path)?)?;
            let stored: Option<i64> = row.get(7).at(path)?;
            let stored = stored.map(|s| moment_of(path, &article, s)).transpose()?;
            out.push(Record::Sighting {
                stored,
                sighting: Sighting {
                    source: row.get(1).at(path)?,
                    location: row.get(2).at(path)?,
                    line: row.get(3).at(path)?,
                    first_seen,
                },
                article,
            })
        },
    )?;
    rows(
        conn,
        path,
        "SELECT a.id, f.copy_id, f.copy_title, f.rule, f.distance, f.replaced, p.source, p.location, \
         f.line, f.folded_at, f.evidence, f.merged FROM fold f JOIN article a ON a.seq = f.article JOIN place p ON p.id = f.place \
         ORDER BY f.id",
        |row| {
            let article = id_of(path, &row.get::<_, Vec<u8>>(0).at(path)?)?;
            let folded_at = moment_of(path, &article, row.get(9).at(path)?)?;
            out.push(Record::Fold {
                copy_id: id_of(path, &row.get::<_, Vec<u8>>(1).at(path)?)?,
                copy_title: row.get(2).at(path)?,
                rule: row.get(3).at(path)?,
                distance: row.get(4).at(path)?,
                replaced: row.get(5).at(path)?,
                evidence: row.get(10).at(path)?,
                seen: Sighting {
                    source: row.get(6).at(path)?,
                    location: row.get(7).at(path)?,
                    line: row.get(8).at(path)?,
                    first_seen: folded_at,
                },
                merged: row.get(11).at(path)?,
                article,
            })
        },
    )?;
    for (source, state) in fetch_state::all(conn, path)? {
        out.push(Record::FetchState { source, state })?;
    }
    for (source, document, validators) in fetch_state::all_documents(conn, path)? {
        out.push(Record::DocumentValidators {
            source,
            document,
            validators,
        })?;
    }
    rows(
        conn,
        path,
        "SELECT source, url, version, etag, last_modified FROM seen_pages \
         ORDER BY source, url",
        |row| {
            out.push(Record::SeenPage {
                source: row.get(0).at(path)?,
                url: row.get(1).at(path)?,
                version: row.get(2).at(path)?,
                validators: Validators {
                    etag: row.get(3).at(path)?,
                    last_modified: row.get(4).at(path)?,
                },
            })
        },
    )?;
    export_site_pages(conn, path, out)?;
    for cycle in cycles::all(conn, path)? {
        out.push(Record::Cycle(cycle))?;
    }
    for (former, source) in rename::all(conn, path)? {
        out.push(Record::FormerName { former, source })?;
    }
    rows(
        conn,
        path,
        "SELECT id, published, updated, first_seen, content, prints FROM merged_article ORDER BY id",
        |row| {
            out.push(Record::MergedArticle {
                id: id_of(path, &row.get::<_, Vec<u8>>(0).at(path)?)?,
                published: row.get(1).at(path)?,
                updated: row.get(2).at(path)?,
                first_seen: row.get(3).at(path)?,
                content: row.get(4).at(path)?,
                prints: row.get(5).at(path)?,
            })
        },
    )?;
    out.flush()
}

/// Every counted site page with its paragraphs, in the order counted.
fn export_site_pages(conn: &Connection, path: &Path, out: &mut Batcher) -> Result<(), StoreError> {
    let mut current: Option<(i64, Record)> = None;
    rows(
        conn,
        path,
        "SELECT p.id, p.site, p.page, k.key FROM site_pages p \
         LEFT JOIN site_paragraphs k ON k.site = p.site AND k.page_id = p.id ORDER BY p.id, k.key",
        |row| {
            let id: i64 = row.get(0).at(path)?;
            if current.as_ref().is_none_or(|(at, _)| *at != id) {
                if let Some((_, done)) = current.take() {
                    out.push(done)?;
                }
                let page = Record::SitePage {
                    site: row.get(1).at(path)?,
                    page: row.get(2).at(path)?,
                    keys: Vec::new(),
                };
                current = Some((id, page));
            }
            let key: Option<Vec<u8>> = row.get(3).at(path)?;
            if let (Some(key), Some((_, Record::SitePage { page, keys, .. }))) =
                (key, current.as_mut())
            {
                let key = Key::try_from(key.as_slice())
                    .map_err(|_| corrupt(path, page, "bad paragraph key".into()))?;
                keys.push(key);
            }
            Ok(())
        },
    )?;
    match current {
        Some((_, page)) => out.push(page),
        None => Ok(()),
    }
}

/// Writes `records` in one transaction.
pub(super) fn import(conn: &Connection, path: &Path, records: &[Record]) -> Result<(), StoreError> {
    conn.execute_batch("BEGIN IMMEDIATE").at(path)?;
    match import_all(conn, path, records) {
        Ok(()) => conn.execute_batch("COMMIT").at(path),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

fn seq_of(conn: &Connection, path: &Path, id: &str) -> Result<i64, StoreError> {
    conn.prepare_cached("SELECT seq FROM article WHERE id = ?")
        .and_then(|mut stmt| {
            stmt.query_row([codec::pack_id(id)], |row| row.get(0))
                .optional()
        })
        .at(path)?
        .ok_or_else(|| corrupt(path, id, "a record names an article the store lacks".into()))
}

fn import_all(conn: &Connection, path: &Path, records: &[Record]) -> Result<(), StoreError> {
    let mut k = near_index::index_distance(conn, path)?;
    let mut written_behind = 0;
    for record in records {
        match record {
            Record::NearIndex { max_distance } => {
                if *max_distance != k {
                    near_index::rekey(conn, path, *max_distance)?;
                    k = *max_distance;
                }
            }
            Record::Article(record) => {
                let ArticleRecord {
                    article,
                    first_seen,
                    changed,
                    stored,
                    prints,
                } = &**record;
                let found: Option<(i64, Vec<u8>)> = conn
                    .prepare_cached("SELECT seq, keys FROM article WHERE id = ?")
                    .and_then(|mut stmt| {
                        stmt.query_row([codec::pack_id(&article.id)], |row| {
                            Ok((row.get(0)?, row.get(1)?))
                        })
                        .optional()
                    })
                    .at(path)?;
                let content = ContentRef::of_stored(article);
                match found {
                    None => {
                        let seq = insert_article(
                            conn,
                            path,
                            NewArticle {
                                id: &article.id,
                                published: article.published,
                                updated: article.updated,
                                first_seen: *first_seen,
                                content: &content,
                                prints,
                            },
                            k,
                        )?;
                        if changed.is_some() || stored.is_some() {
                            conn.prepare_cached(
                                "UPDATE article SET changed = ?, stored = ? WHERE seq = ?",
                            )
                            .and_then(|mut stmt| {
                                stmt.execute(params![
                                    changed.map(codec::seconds),
                                    stored.map(codec::seconds),
                                    seq
                                ])
                            })
                            .at(path)?;
                        }
                    }
                    Some((seq, keys)) => {
                        let old =
                            codec::unpack_keys(&keys).map_err(|m| corrupt(path, &article.id, m))?;
                        let (prints, keys) = near_index::refile(conn, path, seq, &old, prints, k)?;
                        conn.prepare_cached(
                            "UPDATE article SET published = ?, updated = ?, first_seen = ?, content = ?, \
                             prints = ?, keys = ?, changed = ?, stored = ? WHERE seq = ?",
                        )
                        .and_then(|mut stmt| {
                            stmt.execute(params![
                                codec::seconds(article.published),
                                codec::seconds(article.updated),
                                codec::seconds(*first_seen),
                                codec::pack_content(&content),
                                prints,
                                keys,
                                changed.map(codec::seconds),
                                stored.map(codec::seconds),
                                seq
                            ])
                        })
                        .at(path)?;
                    }
                }
            }
            Record::ContentKey { key, article } => {
                let seq = seq_of(conn, path, article)?;
                written_behind += u64::from(write_behind::remember_content_key(
                    conn,
                    path,
                    &key[..],
                    seq,
                )?);
            }
            Record::LinkKey { link, article } => {
                let seq = seq_of(conn, path, article)?;
                conn.prepare_cached("INSERT OR IGNORE INTO link_key (link, article) VALUES (?, ?)")
                    .and_then(|mut stmt| stmt.execute(params![link, seq]))
                    .at(path)?;
            }
            Record::UpstreamKey {
                source,
                key,
                article,
                content_key,
                version,
            } => {
                let seq = seq_of(conn, path, article)?;
                conn.prepare_cached(
                    "INSERT INTO upstream_key (source, key, article, content_key, version) VALUES (?, ?, ?, ?, ?) \
                     ON CONFLICT (source, key) DO UPDATE SET article = excluded.article, \
                     content_key = excluded.content_key, version = excluded.version",
                )
                .and_then(|mut stmt| {
                    stmt.execute(params![
                        source,
                        key,
                        seq,
                        &content_key[..],
                        version.as_ref().map(|v| &v[..])
                    ])
                })
                .at(path)?;
            }
            Record::Sighting {
                article,
                sighting,
                stored,
            } => {
                let seq = seq_of(conn, path, article)?;
                let place = place(conn, path, &sighting.source, &sighting.location)?;
                written_behind += u64::from(write_behind::add_sighting(
                    conn,
                    path,
                    seq,
                    place,
                    sighting.line,
                    codec::seconds(sighting.first_seen),
                    stored.map(codec::seconds),
                )?);
            }
            Record::Fold {
                article,
                copy_id,
                copy_title,
                rule,
                distance,
                replaced,
                evidence,
                seen,
                merged,
            } => {
                let seq = seq_of(conn, path, article)?;
                let place = place(conn, path, &seen.source, &seen.location)?;
                conn.prepare_cached(
                    "INSERT INTO fold (article, place, line, copy_id, copy_title, rule, distance, \
                     replaced, evidence, folded_at, merged) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
                     ON CONFLICT (article, place, copy_id) DO UPDATE SET copy_title = excluded.copy_title, \
                     rule = excluded.rule, distance = excluded.distance, replaced = excluded.replaced, \
                     evidence = excluded.evidence, merged = excluded.merged \
                     WHERE (copy_title, rule, distance, replaced, evidence, merged) \
                     IS NOT (excluded.copy_title, excluded.rule, excluded.distance, excluded.replaced, \
                     excluded.evidence, excluded.merged)",
                )
                .and_then(|mut stmt| {
                    stmt.execute(params![
                        seq,
                        place,
                        seen.line,
                        codec::pack_id(copy_id),
                        copy_title,
                        rule,
                        distance,
                        replaced,
                        evidence,
                        codec::seconds(seen.first_seen),
                        merged
                    ])
                })
                .at(path)?;
            }
            Record::FetchState { source, state } => fetch_state::put(conn, path, source, state)?,
            Record::DocumentValidators {
                source,
                document,
                validators,
            } => fetch_state::put_document(conn, path, source, document, validators)?,
            Record::SeenPage {
                source,
                url,
                version,
                validators,
            } => pages::remember(
                conn,
                path,
                source,
                &SeenPage {
                    url: url.clone(),
                    version: version.clone(),
                    validators: validators.clone(),
                },
            )?,
            Record::SitePage { site, page, keys } => {
                pages::count_page(conn, path, site, page, keys)?
            }
            Record::Cycle(cycle) => {
                // An earlier copy forgets what the source has forgotten since.
                cycles::insert(conn, path, cycle)?;
                cycles::forget_old(conn, path, &cycle.source, cycle.at)?;
            }
            Record::FormerName { former, source } => rename::keep(conn, path, former, source)?,
            Record::MergedArticle {
                id,
                published,
                updated,
                first_seen,
                content,
                prints,
            } => {
                conn.prepare_cached(
                    "INSERT INTO merged_article (id, published, updated, first_seen, content, prints) \
                     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET \
                     published = excluded.published, updated = excluded.updated, \
                     first_seen = excluded.first_seen, content = excluded.content, \
                     prints = excluded.prints",
                )
                .and_then(|mut stmt| {
                    stmt.execute(params![
                        codec::pack_id(id),
                        published,
                        updated,
                        first_seen,
                        content,
                        prints
                    ])
                })
                .at(path)?;
            }
        }
    }
    near_index::merge_if_due(conn, path)?;
    write_behind::merge_if_due(conn, path, written_behind)?;
    Ok(())
}

/// How many of each thing the store holds.
pub(super) fn counts(conn: &Connection, path: &Path) -> Result<Counts, StoreError> {
    let count = |table: &str| -> Result<u64, StoreError> {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
            row.get::<_, i64>(0)
        })
        .at(path)
        .map(|n| n.max(0) as u64)
    };
    Ok(Counts {
        articles: count("article")?,
        content_keys: count("content_key")?,
        link_keys: count("link_key")?,
        upstream_keys: count("upstream_key")?,
        sightings: count("sighting")?,
        folds: count("fold")?,
        near_keys: near_index::key_count(conn, path)?,
        fetch_states: count("fetch_state")?,
        document_validators: count("document_validators")?,
        seen_pages: count("seen_pages")?,
        site_pages: count("site_pages")?,
        site_paragraphs: count("site_paragraphs")?,
        cycles: count("source_cycle")?,
        merged_articles: count("merged_article")?,
    })
}

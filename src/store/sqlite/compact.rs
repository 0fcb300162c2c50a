//! Moves a store written before migration 5 into the compact tables:
//! every article with its content and prints packed (`codec`), numbered in
//! the order its prints were taken (so "newest per key" stays the same),
//! its index keys filed, and every key, sighting and fold pointed at the
//! new numbers. Articles stored before migration 3 have no prints yet: they
//! are taken from the article. The earlier tables are dropped at the end.
//! Runs inside the migration's transaction.

use std::path::Path;

use rusqlite::functions::FunctionFlags;
use rusqlite::{Connection, params};

use super::{At, corrupt, from_json, near_index, parse_timestamp};
use crate::dedup::NearPrints;
use crate::model::{Block, Caption, StoredArticle};
use crate::store::StoreError;
use crate::store::codec::{self, ContentRef};

/// Converts every row of the earlier tables; how many articles.
pub(super) fn convert(conn: &Connection, path: &Path) -> Result<usize, StoreError> {
    conn.create_scalar_function(
        "pack_id",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| Ok(codec::pack_id(&ctx.get::<String>(0)?)),
    )
    .at(path)?;
    conn.create_scalar_function(
        "unix_seconds",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let text = ctx.get::<String>(0)?;
            parse_timestamp(&text)
                .map(codec::seconds)
                .map_err(|e| rusqlite::Error::UserFunctionError(e.into()))
        },
    )
    .at(path)?;
    let articles = convert_articles(conn, path)?;
    conn.execute_batch(
        "INSERT OR IGNORE INTO place (source, location) \
             SELECT source, location FROM sightings UNION SELECT source, location FROM folds;
         INSERT OR IGNORE INTO content_key (key, article) \
             SELECT substr(k.key, 1, 16), a.seq FROM content_keys k JOIN article a ON a.id = pack_id(k.article_id);
         INSERT OR IGNORE INTO link_key (link, article) \
             SELECT k.link, a.seq FROM link_keys k JOIN article a ON a.id = pack_id(k.article_id);
         INSERT OR IGNORE INTO upstream_key (source, key, article, content_key) \
             SELECT k.source, k.key, a.seq, k.content_key FROM upstream_keys k \
             JOIN article a ON a.id = pack_id(k.article_id);
         INSERT OR IGNORE INTO sighting (article, place, line, first_seen) \
             SELECT a.seq, p.id, s.line, unix_seconds(s.first_seen) FROM sightings s \
             JOIN article a ON a.id = pack_id(s.article_id) \
             JOIN place p ON p.source = s.source AND p.location = s.location;
         INSERT OR IGNORE INTO fold (article, place, line, copy_id, copy_title, rule, distance, replaced, evidence, folded_at) \
             SELECT a.seq, p.id, f.line, pack_id(f.copy_id), f.copy_title, f.rule, f.distance, f.replaced, f.evidence, \
             unix_seconds(f.folded_at) FROM folds f \
             JOIN article a ON a.id = pack_id(f.article_id) \
             JOIN place p ON p.source = f.source AND p.location = f.location ORDER BY f.id;
         DROP TABLE folds; DROP TABLE near_keys; DROP TABLE near_prints; DROP TABLE sightings;
         DROP TABLE upstream_keys; DROP TABLE link_keys; DROP TABLE content_keys; DROP TABLE articles;",
    )
    .at(path)?;
    Ok(articles)
}

/// Packs every article into `article` and files its index keys.
fn convert_articles(conn: &Connection, path: &Path) -> Result<usize, StoreError> {
    let k = near_index::index_distance(conn, path)?;
    let mut stmt = conn
        .prepare(
            "SELECT a.id, a.title, a.published, a.updated, a.first_seen, a.captions, a.body, a.link, \
             a.authors, a.categories, a.summary, a.content_html, p.prints \
             FROM articles a LEFT JOIN near_prints p ON p.article_id = a.id \
             ORDER BY p.id IS NULL, p.id, a.first_seen, a.id",
        )
        .at(path)?;
    let mut rows = stmt.query([]).at(path)?;
    let mut insert = conn
        .prepare(
            "INSERT INTO article (id, published, updated, first_seen, content, prints, keys) \
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .at(path)?;
    let mut count = 0;
    while let Some(row) = rows.next().at(path)? {
        let id: String = row.get(0).at(path)?;
        let text = |i: usize| row.get::<_, String>(i).at(path);
        let optional = |i: usize| row.get::<_, Option<String>>(i).at(path);
        let (published, updated, first_seen) = (text(2)?, text(3)?, text(4)?);
        let (captions, body, authors, categories) = (text(5)?, text(6)?, text(8)?, text(9)?);
        let (link, summary, html, prints) =
            (optional(7)?, optional(10)?, optional(11)?, optional(12)?);
        let decoded = (|| -> Result<(StoredArticle, i64, NearPrints), String> {
            let article = StoredArticle {
                id: id.clone(),
                title: text(1).map_err(|e| e.to_string())?,
                published: parse_timestamp(&published)?,
                updated: parse_timestamp(&updated)?,
                captions: from_json::<Vec<Caption>>("captions", &captions)?,
                body: from_json::<Vec<Block>>("body", &body)?,
                link,
                authors: from_json("authors", &authors)?,
                categories: from_json("categories", &categories)?,
                enclosures: Vec::new(),
                summary,
                content_html: html,
            };
            let prints = match &prints {
                Some(json) => from_json::<NearPrints>("prints", json)?,
                None => NearPrints::of_stored(&article),
            };
            Ok((
                article,
                codec::seconds(parse_timestamp(&first_seen)?),
                prints,
            ))
        })()
        .map_err(|m| corrupt(path, &id, m))?;
        let (article, first_seen, prints) = decoded;
        let keys = codec::near_keys(&prints.index_keys(k));
        insert
            .execute(params![
                codec::pack_id(&article.id),
                codec::seconds(article.published),
                codec::seconds(article.updated),
                first_seen,
                codec::pack_content(&ContentRef::of_stored(&article)),
                codec::pack_prints(&prints),
                codec::pack_keys(&keys),
            ])
            .at(path)?;
        near_index::insert_settled_keys(conn, path, conn.last_insert_rowid(), &keys)?;
        count += 1;
    }
    Ok(count)
}

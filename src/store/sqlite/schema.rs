//! The store's schema as numbered migrations. `PRAGMA user_version` records
//! how many have run; each runs once, in order, inside one transaction.
//! Never edit a migration that has shipped: add the next one. Migration 5
//! creates the compact tables; `compact::convert` then moves every row of
//! the earlier ones into them (taking prints for articles stored before
//! migration 3 had any) and drops the earlier tables. [`tables_kept`]
//! tells a store from another application's database that sets
//! `user_version` too.

pub const MIGRATIONS: &[&str] = &[
    // 1: articles, their exact content keys and where each was seen.
    r#"
CREATE TABLE articles (
    id           TEXT PRIMARY KEY,
    title        TEXT NOT NULL,
    published    TEXT NOT NULL,  -- RFC 3339, UTC, whole seconds
    updated      TEXT NOT NULL,
    first_seen   TEXT NOT NULL,
    captions     TEXT NOT NULL,  -- JSON array of {text, credit, image}
    body         TEXT NOT NULL,  -- JSON array of {kind, text}
    link         TEXT,
    authors      TEXT NOT NULL,  -- JSON array of names
    categories   TEXT NOT NULL,  -- JSON array of terms
    summary      TEXT,
    content_html TEXT            -- sanitized upstream HTML; NULL renders from body
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
"#,
    // 2: upstream feeds: entry identities, canonical links, fetch state.
    r#"
-- An upstream entry (source + upstream key) and the content it last had.
CREATE TABLE upstream_keys (
    source       TEXT NOT NULL,
    key          TEXT NOT NULL,
    article_id   TEXT NOT NULL REFERENCES articles (id),
    content_key  BLOB NOT NULL,
    PRIMARY KEY (source, key)
) WITHOUT ROWID;

-- Canonical links, for the same story from several sources.
CREATE TABLE link_keys (
    link        TEXT PRIMARY KEY,
    article_id  TEXT NOT NULL REFERENCES articles (id)
) WITHOUT ROWID;

-- Conditional-GET validators and backoff, per source.
CREATE TABLE fetch_state (
    source        TEXT PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT,
    failures      INTEGER NOT NULL DEFAULT 0,
    next_attempt  TEXT,  -- RFC 3339; NULL: due now
    last_error    TEXT
) WITHOUT ROWID;
"#,
    // 3: near-duplicate folding: each article's prints, the keys that find
    // them, and why each copy was folded into the article it was.
    r#"
-- The near-duplicate prints (JSON of dedup::NearPrints) of each article's
-- current content, dated as the article is.
CREATE TABLE near_prints (
    id          INTEGER PRIMARY KEY,
    article_id  TEXT NOT NULL UNIQUE REFERENCES articles (id),
    prints      TEXT NOT NULL
);

-- The keys of NearPrints::index_keys: family 0 a band of the body SimHash,
-- 1 a paragraph SimHash, 2 the hash of the folded headline. Values are
-- 64-bit patterns kept as signed integers.
CREATE TABLE near_keys (
    family    INTEGER NOT NULL,
    band      INTEGER NOT NULL,
    value     INTEGER NOT NULL,
    print_id  INTEGER NOT NULL REFERENCES near_prints (id),
    PRIMARY KEY (family, band, value, print_id)
) WITHOUT ROWID;

-- The distance the body bands were cut for ([dedup] max_distance).
CREATE TABLE near_index (
    max_distance  INTEGER NOT NULL
);
INSERT INTO near_index (max_distance) VALUES (3);

-- Each copy folded into an article it was not the first sighting of: the
-- rule (a near-duplicate rule, `exact` for the same content, `same-link`
-- for the same canonical link), and where the copy came from.
CREATE TABLE folds (
    id          INTEGER PRIMARY KEY,
    article_id  TEXT NOT NULL REFERENCES articles (id),
    copy_id     TEXT NOT NULL,  -- the id the copy would have had
    copy_title  TEXT NOT NULL,
    rule        TEXT NOT NULL,
    distance    INTEGER,        -- body SimHash bits apart; NULL when unknown
    replaced    TEXT,           -- `longer` or `newer` when the copy replaced the content
    source      TEXT NOT NULL,
    location    TEXT NOT NULL,
    line        INTEGER NOT NULL,
    folded_at   TEXT NOT NULL   -- RFC 3339, UTC, whole seconds
);
CREATE INDEX folds_by_time ON folds (folded_at, id);
"#,
    // 4: what a containment rule rested on, for `feedfold dups`.
    r#"
-- `contained: 9 of 10 paragraphs, shared lead`; NULL for the other rules.
ALTER TABLE folds ADD COLUMN evidence TEXT;
"#,
    // 5: the compact store. Articles are numbered in the order they were
    // stored (`seq`, what every other table refers to, so rows append);
    // ids are packed (`codec::pack_id`), content and prints are compressed
    // (`codec`), moments are Unix seconds, places are named once.
    r#"
CREATE TABLE article (
    seq         INTEGER PRIMARY KEY,
    id          BLOB NOT NULL UNIQUE,   -- codec::pack_id
    published   INTEGER NOT NULL,       -- Unix seconds
    updated     INTEGER NOT NULL,
    first_seen  INTEGER NOT NULL,
    content     BLOB NOT NULL,          -- codec::pack_content
    prints      BLOB NOT NULL,          -- codec::pack_prints
    keys        BLOB NOT NULL           -- codec::pack_keys: the near_key rows of this article
);
CREATE INDEX article_by_published ON article (published);

-- Exact content keys: the first 16 bytes of the sha256.
CREATE TABLE content_key (
    key      BLOB PRIMARY KEY,
    article  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE link_key (
    link     TEXT PRIMARY KEY,
    article  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE upstream_key (
    source       TEXT NOT NULL,
    key          TEXT NOT NULL,
    article      INTEGER NOT NULL,
    content_key  BLOB NOT NULL,         -- the whole sha256 the entry last had
    PRIMARY KEY (source, key)
) WITHOUT ROWID;

-- A source and a file or URL, named once.
CREATE TABLE place (
    id        INTEGER PRIMARY KEY,
    source    TEXT NOT NULL,
    location  TEXT NOT NULL,
    UNIQUE (source, location)
);

CREATE TABLE sighting (
    article     INTEGER NOT NULL,
    place       INTEGER NOT NULL,
    line        INTEGER NOT NULL,
    first_seen  INTEGER NOT NULL,
    PRIMARY KEY (article, place)
) WITHOUT ROWID;

-- codec::near_key of each index key of an article's prints.
CREATE TABLE near_key (
    key      INTEGER NOT NULL,
    article  INTEGER NOT NULL,
    PRIMARY KEY (key, article)
) WITHOUT ROWID;

CREATE TABLE fold (
    id          INTEGER PRIMARY KEY,
    article     INTEGER NOT NULL,
    place       INTEGER NOT NULL,       -- where the copy came from
    line        INTEGER NOT NULL,
    copy_id     BLOB NOT NULL,          -- the id the copy would have had, packed
    copy_title  TEXT NOT NULL,
    rule        TEXT NOT NULL,
    distance    INTEGER,
    replaced    TEXT,
    evidence    TEXT,                   -- what a containment rule rested on
    folded_at   INTEGER NOT NULL,
    UNIQUE (article, place)
);
CREATE INDEX fold_by_time ON fold (folded_at, id);
"#,
    // 6: pages: the pages each source fetched, and the paragraphs each
    // site printed on its pages (cross-page boilerplate).
    r#"
-- Each page a source fetched (a sitemap entry, a full-text feed entry's
-- link) and the version it was read at: not fetched again unless the
-- version changes.
CREATE TABLE seen_pages (
    source   TEXT NOT NULL,
    url      TEXT NOT NULL,
    version  TEXT NOT NULL,
    PRIMARY KEY (source, url)
) WITHOUT ROWID;

-- The pages of each site (a host) counted so far, in the order counted.
CREATE TABLE site_pages (
    id    INTEGER PRIMARY KEY,
    site  TEXT NOT NULL,
    page  TEXT NOT NULL,  -- its URL or file
    UNIQUE (site, page)
);

-- The paragraphs (folded keys) each counted page printed.
CREATE TABLE site_paragraphs (
    site     TEXT NOT NULL,
    key      BLOB NOT NULL,
    page_id  INTEGER NOT NULL REFERENCES site_pages (id),
    PRIMARY KEY (site, key, page_id)
) WITHOUT ROWID;
"#,
    // 7: the order in which each article's sightings arrived, so the first
    // sighting is the one stored first even when several share a second.
    // Sightings stored before it are numbered by when they were seen, a
    // sighting a copy was folded from after the others, then by place
    // (places are numbered as they were first used).
    r#"
ALTER TABLE sighting ADD COLUMN arrival INTEGER NOT NULL DEFAULT 0;
UPDATE sighting SET arrival = ranked.arrival
FROM (
    SELECT s.article, s.place, row_number() OVER (
        PARTITION BY s.article
        ORDER BY s.first_seen,
                 EXISTS (SELECT 1 FROM fold f WHERE f.article = s.article AND f.place = s.place),
                 s.place
    ) - 1 AS arrival
    FROM sighting s
) AS ranked
WHERE sighting.article = ranked.article AND sighting.place = ranked.place;
"#,
    // 8: fetch state belongs to the location it was recorded for, and
    // says when the source was last fetched and what came of it.
    r#"
ALTER TABLE fetch_state ADD COLUMN location TEXT;      -- ingest::fetch_state::location_key
ALTER TABLE fetch_state ADD COLUMN last_attempt TEXT;  -- RFC 3339
ALTER TABLE fetch_state ADD COLUMN last_outcome TEXT;  -- `ok`, `not-modified` or `failed`
"#,
    // 9: what each of the last cycles of each source did, for the
    // articles page (at most store::CYCLES_KEPT a source).
    r#"
CREATE TABLE source_cycle (
    source  TEXT NOT NULL,
    at      INTEGER NOT NULL,  -- when the cycle's counts were kept, Unix milliseconds
    new     INTEGER NOT NULL,  -- articles stored for the first time
    folded  INTEGER NOT NULL,  -- copies seen at a new place and folded into a stored article
    failed  INTEGER NOT NULL,  -- 1 when the source failed, in whole or in part
    PRIMARY KEY (source, at)
) WITHOUT ROWID;
"#,
    // 10: new near-duplicate index rows wait in small tables and are
    // merged into `near_key` in bulk (near_index::merge_if_due): filing
    // an article under its keys then writes a few hot pages, not one leaf
    // of a large index per key.
    r#"
CREATE TABLE near_key_pending (
    key      INTEGER NOT NULL,
    article  INTEGER NOT NULL,
    PRIMARY KEY (key, article)
) WITHOUT ROWID;

-- Rows of near_key an article has left, deleted at the next merge.
CREATE TABLE near_key_gone (
    key      INTEGER NOT NULL,
    article  INTEGER NOT NULL,
    PRIMARY KEY (key, article)
) WITHOUT ROWID;

-- Rows waiting in near_key_pending and near_key_gone.
ALTER TABLE near_index ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;
"#,
    // 11: index keys are 64-bit numbers (codec::near_key): a body band's
    // rows keep the whole print, so a lookup reads a range of them and
    // drops chance matches there. The rows of the earlier numbers go; the
    // index is filed afresh after this (REKEY_MIGRATIONS).
    r#"
DELETE FROM near_key;
DELETE FROM near_key_pending;
DELETE FROM near_key_gone;
UPDATE near_index SET pending = 0;
"#,
    // 12: content keys and sightings are written behind (write_behind):
    // new rows wait in small tables and enter the large ones in key order
    // at a merge, so folding a copy into an old article dirties a few hot
    // pages, not a leaf of each large table. `content_key` and `sighting`
    // become views of both halves, so every reader still sees one table.
    r#"
ALTER TABLE content_key RENAME TO content_key_settled;
CREATE TABLE content_key_pending (
    key      BLOB PRIMARY KEY,
    article  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE VIEW content_key AS
    SELECT key, article FROM content_key_settled
    UNION ALL SELECT key, article FROM content_key_pending;

ALTER TABLE sighting RENAME TO sighting_settled;
CREATE TABLE sighting_pending (
    article     INTEGER NOT NULL,
    place       INTEGER NOT NULL,
    line        INTEGER NOT NULL,
    first_seen  INTEGER NOT NULL,
    arrival     INTEGER NOT NULL,
    PRIMARY KEY (article, place)
) WITHOUT ROWID;
CREATE VIEW sighting AS
    SELECT article, place, line, first_seen, arrival FROM sighting_settled
    UNION ALL SELECT article, place, line, first_seen, arrival FROM sighting_pending;

-- Rows waiting in content_key_pending and sighting_pending.
CREATE TABLE write_behind (pending INTEGER NOT NULL);
INSERT INTO write_behind (pending) VALUES (0);
"#,
    // 13: only a site's newest pages stay counted (store::SITE_PAGES_KEPT):
    // its pages found newest first, and the paragraphs of a page by it;
    // the pages past the newest 1,000 of each site (SITE_PAGES_KEPT when
    // this was written) go now, so a store is bounded before its sites'
    // next pages are counted.
    r#"
CREATE INDEX site_pages_by_site ON site_pages (site, id);
CREATE INDEX site_paragraphs_by_page ON site_paragraphs (page_id);
CREATE TEMP TABLE pages_gone AS
    SELECT id FROM (
        SELECT id, row_number() OVER (PARTITION BY site ORDER BY id DESC) AS newer
        FROM site_pages
    ) AS ranked
    WHERE newer > 1000;
DELETE FROM site_paragraphs WHERE page_id IN (SELECT id FROM pages_gone);
DELETE FROM site_pages WHERE id IN (SELECT id FROM pages_gone);
DROP TABLE pages_gone;
"#,
    // 14: a fold is one copy from one place: each different copy folded in
    // from a place is recorded (two pushes to the API, a feed's second copy
    // of a story, two copies further down a dump file), the same copy seen
    // there again is not. A copy is told by the id it would have had
    // (`copy_id`): another text or upstream entry, another id. The table
    // is made again with that key, its rows and their numbers kept.
    r#"
CREATE TABLE fold_new (
    id          INTEGER PRIMARY KEY,
    article     INTEGER NOT NULL,
    place       INTEGER NOT NULL,       -- where the copy came from
    line        INTEGER NOT NULL,
    copy_id     BLOB NOT NULL,          -- the id the copy would have had, packed
    copy_title  TEXT NOT NULL,
    rule        TEXT NOT NULL,
    distance    INTEGER,
    replaced    TEXT,
    evidence    TEXT,                   -- what a containment rule rested on
    folded_at   INTEGER NOT NULL,
    UNIQUE (article, place, copy_id)
);
INSERT INTO fold_new (id, article, place, line, copy_id, copy_title, rule, distance, replaced, evidence, folded_at)
    SELECT id, article, place, line, copy_id, copy_title, rule, distance, replaced, evidence, folded_at
    FROM fold;
DROP TABLE fold;
ALTER TABLE fold_new RENAME TO fold;
CREATE INDEX fold_by_time ON fold (folded_at, id);
"#,
    // 15: the version each upstream entry had when last seen
    // (dedup::fingerprint::entry_versions: everything it gives as its
    // content), so an edit of its link, authors, media or HTML is told
    // too. NULL for entries last seen before this: their headline and body
    // (content_key) tell, until they are seen again.
    r#"
ALTER TABLE upstream_key ADD COLUMN version BLOB;
"#,
    // 16: when an article's text was last replaced (`updated` then moved
    // to it when the copy was undated: `store::update_given_by_source`);
    // NULL until then. Filling what it lacked set it too until 17, which
    // took over `GET /api/articles?since=`.
    r#"
ALTER TABLE article ADD COLUMN changed INTEGER;
"#,
    // 17: when an article was last stored or changed (inserted, text
    // replaced, what it lacked filled): the moment the transaction that
    // wrote it committed, for `GET /api/articles?since=` (`first_seen` and
    // `changed` are when its cycle began, which a slow source leaves well
    // before the commit). NULL for articles written before this:
    // `changed` or `first_seen` tell.
    r#"
ALTER TABLE article ADD COLUMN stored INTEGER;
"#,
    // 18: when each sighting was stored: the moment the transaction that
    // wrote it committed, as `article.stored` is, so
    // `GET /api/articles?feed=NAME&since=` lists an article that joined
    // the feed's sources through a new sighting after the poll. NULL for
    // sightings written before this.
    r#"
ALTER TABLE sighting_settled ADD COLUMN stored INTEGER;
ALTER TABLE sighting_pending ADD COLUMN stored INTEGER;
DROP VIEW sighting;
CREATE VIEW sighting AS
    SELECT article, place, line, first_seen, arrival, stored FROM sighting_settled
    UNION ALL SELECT article, place, line, first_seen, arrival, stored FROM sighting_pending;
"#,
    // 19: whether each feed's latest publication by `feedfold run` failed,
    // so a server beside the run reports the feed failing (and renders it
    // from the store) until a later publication succeeds.
    r#"
CREATE TABLE feed_publication (
    feed    TEXT PRIMARY KEY,
    at      INTEGER NOT NULL,  -- when it was kept, Unix milliseconds
    failed  INTEGER NOT NULL   -- 1 when the feed could not be published
) WITHOUT ROWID;
"#,
    // 20: the validators of the documents a source's document leads to
    // (the sitemaps an index lists), for their conditional GETs: a row for
    // each one read whole, every page it lists read, at the source's last
    // good fetch (ingest::fetch_state::DocumentValidators).
    r#"
CREATE TABLE document_validators (
    source         TEXT NOT NULL,
    document       TEXT NOT NULL,  -- ingest::fetch_state::location_key of its URL
    etag           TEXT,
    last_modified  TEXT,
    PRIMARY KEY (source, document)
) WITHOUT ROWID;
"#,
    // 21: whether a fold is a merge: its copy was a stored article of its
    // own (published under `copy_id` until then), merged into this one
    // when a changed text made the two one story (dedup::refold). 0 for
    // the folds recorded before this, the merges among them too.
    r#"
ALTER TABLE fold ADD COLUMN merged INTEGER NOT NULL DEFAULT 0;
"#,
    // 22: the names sources had before `feedfold sources rename`
    // (store::Store::rename_source): the ids of the entries stored under a
    // former name were made from it, and stay its source's own; nothing is
    // written under a former name again.
    r#"
CREATE TABLE source_former_name (
    former  TEXT PRIMARY KEY,
    source  TEXT NOT NULL  -- the name the source has now
) WITHOUT ROWID;
CREATE INDEX source_former_name_by_source ON source_former_name (source);
"#,
    // 23: the merges by the id of the article each took away, so a link
    // to that article finds the one it went into (Store::merged_into)
    // without reading every fold. Only merges: few rows.
    r#"
CREATE INDEX fold_merged_copy ON fold (copy_id) WHERE merged;
"#,
    // 24: an article stored undated before its prints' record said so
    // (packed_prints::FORMAT_UNDATED) is marked undated, so rule
    // "dated-apart" takes it for undated as it takes one stored since.
    // Its record is in packed_prints::FORMAT, the only format that did not
    // tell; the store dated it when it first saw it, so its `published` is
    // its `first_seen` to the second. A dated article's own date is that
    // moment only when a source gave "now" (a push dated as it was sent):
    // such an article is taken for undated too, which keeps it near every
    // date rather than apart from a copy of another date.
    r#"
UPDATE article SET prints = CAST(X'02' || substr(prints, 2) AS BLOB)
WHERE substr(prints, 1, 1) = X'01' AND published = first_seen;
"#,
    // 25: the entries of a feed document an earlier feedfold merged into
    // one article without a record (live-blog posts told apart by their
    // `#fragment` alone, entries sharing a link and no id) are forgotten,
    // so the next run sees each as the entry it is (store::unmerged). The
    // rows go in unmerge::forget_unrecorded_merges (UNMERGE_MIGRATION); no
    // table changes.
    "",
    // 26: every story is filed under its opening's first words too
    // (dedup::KeyFamily::Opening), which a copy paragraphed anew is looked
    // up by: the index is filed afresh (REKEY_MIGRATIONS); no table
    // changes.
    "",
    // 27: an article's prints may keep the dates its text's source gave it
    // (packed_prints::FORMAT_TEXT_DATES) and mark its first paragraph as a
    // local intro over the story (packed_prints::INTRO_BIT), which an
    // earlier feedfold cannot read: the version moves so that one is
    // refused the store rather than failing on such a record. No table
    // changes.
    "",
    // 28: when the fetch a source's stored text reflects began, Unix
    // microseconds (ingest::fetch_state::FetchState::read_began), so a
    // slower process that fetched the source before another folds its
    // older read as older; NULL until the source is read again.
    r#"
ALTER TABLE fetch_state ADD COLUMN read_began INTEGER;
"#,
    // 29: the validators (ETag, Last-Modified) each page's last full
    // fetch gave, sent when it is fetched again because its sitemap
    // `lastmod` or feed entry moved on; NULL for pages read before.
    r#"
ALTER TABLE seen_pages ADD COLUMN etag TEXT;
ALTER TABLE seen_pages ADD COLUMN last_modified TEXT;
"#,
    // 30: an article's prints may keep the key of a long first paragraph's
    // opening words (packed_prints::LONG_LEAD_OPENING_BIT), which an
    // earlier feedfold cannot read: the version moves so that one is
    // refused the store rather than failing on such a record. No table
    // changes; stories stored before are filed under such an opening once
    // their text is replaced.
    "",
    // 31: the text, prints and dates each stored article had when a merge
    // absorbed it (the text its own source gave it, from before the change
    // that brought the merge about), so the merge can be undone when its
    // upstream entry gives that story again; a merge undone forgets its row.
    // It may run again on a store that has the table (a test puts the
    // version back).
    r#"
CREATE TABLE IF NOT EXISTS merged_article (
    id          BLOB PRIMARY KEY,       -- codec::pack_id
    published   INTEGER NOT NULL,       -- Unix seconds
    updated     INTEGER NOT NULL,
    first_seen  INTEGER NOT NULL,
    content     BLOB NOT NULL,          -- codec::pack_content
    prints      BLOB NOT NULL           -- codec::pack_prints
) WITHOUT ROWID;
"#,
    // 32: the number (`seq`) a merged article was kept under, where a walk
    // of the push API whose cursor named it goes on; NULL for an article
    // merged before, or in a store this one was copied from (a copy
    // numbers articles afresh).
    r#"
ALTER TABLE merged_article ADD COLUMN seq INTEGER;
"#,
    // 33: the articles in the order of the feeds (newest `published` first,
    // of equal dates the one first seen last first, then in the order
    // stored), which the articles page walks (read::Pages) and the feeds
    // read, in place of the index on `published` alone.
    r#"
CREATE INDEX IF NOT EXISTS article_in_feed_order ON article (published, first_seen, seq DESC);
DROP INDEX IF EXISTS article_by_published;
"#,
    // 34: the numbers merges keep aside, looked up for the highest when an
    // article is stored, so that none is given to another article while
    // its merge may be undone.
    r#"
CREATE INDEX IF NOT EXISTS merged_article_by_seq ON merged_article (seq);
"#,
];

/// Tables every feedfold store at schema `version` (1 or more) holds:
/// made by a migration up to it and renamed or dropped by none after it.
/// Before the compact tables (migration 5) those of migration 1, which 5
/// dropped; from 5 on those of 5 that stayed as they were named, and the
/// fetch state (migration 2). A store of a newer feedfold is taken to
/// keep these too.
pub fn tables_kept(version: usize) -> &'static [&'static str] {
    if version < super::COMPACT_MIGRATION {
        &["articles", "content_keys", "sightings"]
    } else {
        &[
            "article",
            "place",
            "link_key",
            "upstream_key",
            "fetch_state",
        ]
    }
}

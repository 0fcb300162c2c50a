//! The PostgreSQL schema as numbered migrations, recorded in
//! `schema_version`. They run at start inside one transaction that first
//! takes an advisory lock, so two processes starting at once apply them
//! once: the second waits, then finds nothing left to do. Never edit a
//! migration that has shipped: add the next one.
//!
//! The tables are SQLite's compact ones (`codec` packs ids, content and
//! prints the same way), with foreign keys, and three of their own:
//! `source_lease` (when each source's last ingest began, for the claims
//! of many workers), `revision` (counts committed changes, for servers
//! that poll) and `near_index`. The page tables (`seen_pages`,
//! `site_pages`, `site_paragraphs`), `source_cycle`, `feed_publication`,
//! `document_validators` and `source_former_name` are SQLite's too.

pub const MIGRATIONS: &[&str] = &[
    // 1: the store.
    r#"
CREATE TABLE article (
    seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id          bytea NOT NULL UNIQUE,     -- codec::pack_id
    published   bigint NOT NULL,           -- Unix seconds
    updated     bigint NOT NULL,
    first_seen  bigint NOT NULL,
    content     bytea NOT NULL,            -- codec::pack_content (compressed already)
    prints      bytea NOT NULL,            -- codec::pack_prints
    keys        integer[] NOT NULL         -- the near_key rows of this article
);
ALTER TABLE article ALTER COLUMN content SET STORAGE EXTERNAL;
ALTER TABLE article ALTER COLUMN prints SET STORAGE EXTERNAL;
CREATE INDEX article_by_published ON article (published);

CREATE TABLE content_key (
    key      bytea PRIMARY KEY,            -- the first 16 bytes of the sha256
    article  bigint NOT NULL REFERENCES article (seq)
);

CREATE TABLE link_key (
    link     text PRIMARY KEY,
    article  bigint NOT NULL REFERENCES article (seq)
);

CREATE TABLE upstream_key (
    source       text NOT NULL,
    key          text NOT NULL,
    article      bigint NOT NULL REFERENCES article (seq),
    content_key  bytea NOT NULL,
    PRIMARY KEY (source, key)
);

CREATE TABLE place (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source    text NOT NULL,
    location  text NOT NULL,
    UNIQUE (source, location)
);

CREATE TABLE sighting (
    article     bigint NOT NULL REFERENCES article (seq),
    place       bigint NOT NULL REFERENCES place (id),
    line        bigint NOT NULL,
    first_seen  bigint NOT NULL,
    PRIMARY KEY (article, place)
);

CREATE TABLE near_key (
    key      integer NOT NULL,             -- codec::near_key
    article  bigint NOT NULL REFERENCES article (seq),
    PRIMARY KEY (key, article)
);

CREATE TABLE fold (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article     bigint NOT NULL REFERENCES article (seq),
    place       bigint NOT NULL REFERENCES place (id),
    line        bigint NOT NULL,
    copy_id     bytea NOT NULL,
    copy_title  text NOT NULL,
    rule        text NOT NULL,
    distance    integer,
    replaced    text,
    folded_at   bigint NOT NULL,
    UNIQUE (article, place)
);
CREATE INDEX fold_by_time ON fold (folded_at, id);

CREATE TABLE fetch_state (
    source        text PRIMARY KEY,
    etag          text,
    last_modified text,
    failures      bigint NOT NULL DEFAULT 0,
    next_attempt  bigint,                  -- Unix seconds; NULL: due now
    last_error    text
);

CREATE TABLE near_index (
    max_distance  integer NOT NULL
);
INSERT INTO near_index (max_distance) VALUES (3);

-- When the last ingest of each source began (the database's clock).
CREATE TABLE source_lease (
    source         text PRIMARY KEY,
    attempt_began  timestamptz NOT NULL
);

-- One more for every commit that changed what feeds show.
CREATE TABLE revision (
    only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    value     bigint NOT NULL
);
INSERT INTO revision (value) VALUES (0);
"#,
    // 2: what a containment rule rested on, for `feedfold dups`
    // (`contained: 9 of 10 paragraphs, shared lead`); NULL for the others.
    r#"
ALTER TABLE fold ADD COLUMN evidence text;
"#,
    // 3: pages: the pages each source fetched, and the paragraphs each
    // site printed on its pages (cross-page boilerplate), as in SQLite.
    r#"
-- Each page a source fetched and the version it was read at.
CREATE TABLE seen_pages (
    source   text NOT NULL,
    url      text NOT NULL,
    version  text NOT NULL,
    PRIMARY KEY (source, url)
);

-- The pages of each site (a host) counted so far, in the order counted.
CREATE TABLE site_pages (
    id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site  text NOT NULL,
    page  text NOT NULL,                   -- its URL or file
    UNIQUE (site, page)
);

-- The paragraphs (folded keys) each counted page printed.
CREATE TABLE site_paragraphs (
    site     text NOT NULL,
    key      bytea NOT NULL,
    page_id  bigint NOT NULL REFERENCES site_pages (id),
    PRIMARY KEY (site, key, page_id)
);
"#,
    // 4: the order in which each article's sightings arrived (0 for the
    // first), numbered for the sightings already stored as in SQLite.
    r#"
ALTER TABLE sighting ADD COLUMN arrival integer NOT NULL DEFAULT 0;
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
    // 5: fetch state belongs to the location it was recorded for, and
    // says when the source was last fetched and what came of it, as in
    // SQLite.
    r#"
ALTER TABLE fetch_state ADD COLUMN location text;        -- ingest::fetch_state::location_key
ALTER TABLE fetch_state ADD COLUMN last_attempt bigint;  -- Unix seconds
ALTER TABLE fetch_state ADD COLUMN last_outcome text;    -- `ok`, `not-modified` or `failed`
"#,
    // 6: what each of the last cycles of each source did, for the
    // articles page (at most store::CYCLES_KEPT a source), as in SQLite;
    // and the articles in the order that page walks them.
    r#"
CREATE TABLE source_cycle (
    source  text NOT NULL,
    at      bigint NOT NULL,               -- when the cycle's counts were kept, Unix milliseconds
    new     integer NOT NULL,              -- articles stored for the first time
    folded  integer NOT NULL,              -- copies seen at a new place and folded into a stored article
    failed  boolean NOT NULL,              -- the source failed, in whole or in part
    PRIMARY KEY (source, at)
);

CREATE INDEX article_by_published_seq ON article (published, seq);
DROP INDEX article_by_published;
"#,
    // 7: new near-duplicate index rows wait in small tables and are
    // merged into `near_key` in bulk, as in SQLite (near_index).
    r#"
CREATE TABLE near_key_pending (
    key      integer NOT NULL,
    article  bigint NOT NULL REFERENCES article (seq),
    PRIMARY KEY (key, article)
);

-- Rows of near_key an article has left, deleted at the next merge.
CREATE TABLE near_key_gone (
    key      integer NOT NULL,
    article  bigint NOT NULL,
    PRIMARY KEY (key, article)
);

-- Rows waiting in near_key_pending and near_key_gone.
ALTER TABLE near_index ADD COLUMN pending bigint NOT NULL DEFAULT 0;
"#,
    // 8: index keys are 64-bit numbers (codec::near_key): a body band's
    // rows keep the whole print, so a lookup reads a range of them and
    // drops chance matches there. The index is filed afresh after this
    // (REKEY_MIGRATIONS).
    r#"
TRUNCATE near_key, near_key_pending, near_key_gone;
ALTER TABLE near_key ALTER COLUMN key TYPE bigint;
ALTER TABLE near_key_pending ALTER COLUMN key TYPE bigint;
ALTER TABLE near_key_gone ALTER COLUMN key TYPE bigint;
ALTER TABLE article ALTER COLUMN keys TYPE bigint[] USING '{}';
UPDATE near_index SET pending = 0;
"#,
    // 9: only a site's newest pages stay counted (store::SITE_PAGES_KEPT):
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
    // 10: a lookup reads `near_key` and `near_key_pending` by their primary
    // keys alone (index-only scans), which skip the table only for pages
    // vacuum has marked all-visible. By default autovacuum waits for a
    // fifth of a table's rows to be new, four merges into a million-article
    // index, and until then every row a merge filed costs the lookups that
    // meet it a visit to the table. Vacuum `near_key` once 100,000 rows were
    // filed into it (a merge is due when store::NEAR_MERGE_MIN_ROWS rows
    // wait, most of them new), and `near_key_pending` once 10,000 were. The
    // settings exist from PostgreSQL 13 on; older servers keep their
    // defaults.
    r#"
DO $$
BEGIN
    IF current_setting('server_version_num')::integer >= 130000 THEN
        ALTER TABLE near_key SET (autovacuum_vacuum_insert_threshold = 100000,
                                  autovacuum_vacuum_insert_scale_factor = 0);
        ALTER TABLE near_key_pending SET (autovacuum_vacuum_insert_threshold = 10000,
                                          autovacuum_vacuum_insert_scale_factor = 0);
    END IF;
END
$$;
"#,
    // 11: a fold is one copy from one place, as in SQLite: each different
    // copy folded in from a place is recorded, the same copy seen there
    // again is not. A copy is told by the id it would have had (`copy_id`).
    r#"
ALTER TABLE fold DROP CONSTRAINT IF EXISTS fold_article_place_key;
ALTER TABLE fold DROP CONSTRAINT IF EXISTS fold_article_place_copy_id_key;
ALTER TABLE fold ADD CONSTRAINT fold_article_place_copy_id_key UNIQUE (article, place, copy_id);
"#,
    // 12: the version each upstream entry had when last seen, as in
    // SQLite (dedup::fingerprint::entry_versions); NULL for entries last
    // seen before this.
    r#"
ALTER TABLE upstream_key ADD COLUMN version bytea;
"#,
    // 13: when an article's text was last replaced, as in SQLite; NULL
    // until then.
    r#"
ALTER TABLE article ADD COLUMN changed bigint;
"#,
    // 14: when an article was last stored or changed, the moment its
    // transaction committed, as in SQLite; NULL for articles written
    // before this.
    r#"
ALTER TABLE article ADD COLUMN stored bigint;
"#,
    // 15: when each sighting was stored, the moment its transaction
    // committed, as in SQLite; NULL for sightings written before this.
    r#"
ALTER TABLE sighting ADD COLUMN stored bigint;
"#,
    // 16: whether each feed's latest publication by `feedfold run` failed,
    // as in SQLite.
    r#"
CREATE TABLE feed_publication (
    feed    text PRIMARY KEY,
    at      bigint NOT NULL,               -- when it was kept, Unix milliseconds
    failed  boolean NOT NULL               -- the feed could not be published
);
"#,
    // 17: the validators of the documents a source's document leads to
    // (the sitemaps an index lists), as in SQLite.
    r#"
CREATE TABLE document_validators (
    source         text NOT NULL,
    document       text NOT NULL,          -- ingest::fetch_state::location_key of its URL
    etag           text,
    last_modified  text,
    PRIMARY KEY (source, document)
);
"#,
    // 18: whether a fold is a merge (its copy was a stored article of its
    // own, merged into this one), as in SQLite; false for the folds
    // recorded before this.
    r#"
ALTER TABLE fold ADD COLUMN merged boolean NOT NULL DEFAULT false;
"#,
    // 19: the names sources had before `feedfold sources rename`, as in
    // SQLite.
    r#"
CREATE TABLE source_former_name (
    former  text PRIMARY KEY,
    source  text NOT NULL                  -- the name the source has now
);
CREATE INDEX source_former_name_by_source ON source_former_name (source);
"#,
    // 20: the merges by the id of the article each took away, as in
    // SQLite (Store::merged_into).
    r#"
CREATE INDEX fold_merged_copy ON fold (copy_id) WHERE merged;
"#,
    // 21: an article stored undated before its prints' record said so is
    // marked undated, as in SQLite (its migration 24 tells why).
    r#"
UPDATE article SET prints = '\x02'::bytea || substring(prints FROM 2)
WHERE substring(prints FROM 1 FOR 1) = '\x01'::bytea AND published = first_seen;
"#,
    // 22: the entries of a feed document an earlier feedfold merged into
    // one article without a record are forgotten, as in SQLite (its
    // migration 25); the rows go in unmerge::forget_unrecorded_merges
    // (UNMERGE_MIGRATION).
    "",
    // 23: every story is filed under its opening's first words too, as in
    // SQLite (its migration 26); the index is filed afresh
    // (REKEY_MIGRATIONS).
    "",
    // 24: prints that keep their text's dates and a local intro's mark,
    // which an earlier feedfold cannot read, as in SQLite (its migration
    // 27); no table changes.
    "",
    // 25: when the fetch a source's stored text reflects began, as in
    // SQLite (its migration 28), on the database server's clock, which
    // every worker's reads are weighed by.
    r#"
ALTER TABLE fetch_state ADD COLUMN IF NOT EXISTS read_began timestamptz;
"#,
    // 26: the keys that hold what a feed or a site sends (links, entry
    // ids, locations, page URLs, document URLs) are unique by their
    // sha256, as a btree index holds no value past about 2.7 KB and SQLite
    // stores any: lookups and `ON CONFLICT` name the same expression,
    // `feedfold_key_hash`, the sha256 of the text's own UTF-8 bytes (a
    // cast from text to bytea reads backslashes as escapes, so they are
    // doubled first: `\x41` and `A` stay two keys, `C:\foo` is one). It
    // may run again on tables it converted (a test puts the version back).
    r#"
CREATE OR REPLACE FUNCTION feedfold_key_hash(key text) RETURNS bytea
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT sha256(replace(key, E'\\', E'\\\\')::bytea) $$;
ALTER TABLE link_key DROP CONSTRAINT IF EXISTS link_key_pkey;
CREATE UNIQUE INDEX IF NOT EXISTS link_key_by_hash ON link_key (feedfold_key_hash(link));
ALTER TABLE upstream_key DROP CONSTRAINT IF EXISTS upstream_key_pkey;
CREATE UNIQUE INDEX IF NOT EXISTS upstream_key_by_hash ON upstream_key (source, feedfold_key_hash(key));
ALTER TABLE place DROP CONSTRAINT IF EXISTS place_source_location_key;
CREATE UNIQUE INDEX IF NOT EXISTS place_by_hash ON place (source, feedfold_key_hash(location));
ALTER TABLE seen_pages DROP CONSTRAINT IF EXISTS seen_pages_pkey;
CREATE UNIQUE INDEX IF NOT EXISTS seen_pages_by_hash ON seen_pages (source, feedfold_key_hash(url));
ALTER TABLE site_pages DROP CONSTRAINT IF EXISTS site_pages_site_page_key;
CREATE UNIQUE INDEX IF NOT EXISTS site_pages_by_hash ON site_pages (site, feedfold_key_hash(page));
ALTER TABLE document_validators DROP CONSTRAINT IF EXISTS document_validators_pkey;
CREATE UNIQUE INDEX IF NOT EXISTS document_validators_by_hash ON document_validators (source, feedfold_key_hash(document));
"#,
    // 27: the validators each page's last full fetch gave, as in SQLite
    // (its migration 29).
    r#"
ALTER TABLE seen_pages ADD COLUMN IF NOT EXISTS etag text;
ALTER TABLE seen_pages ADD COLUMN IF NOT EXISTS last_modified text;
"#,
    // 28: prints that keep a long first paragraph's opening key, which an
    // earlier feedfold cannot read, as in SQLite (its migration 30); no
    // table changes.
    "",
    // 29: the text, prints and dates each stored article had when a merge
    // absorbed it, to undo the merge, as in SQLite (its migration 31).
    r#"
CREATE TABLE IF NOT EXISTS merged_article (
    id          bytea PRIMARY KEY,         -- codec::pack_id
    published   bigint NOT NULL,           -- Unix seconds
    updated     bigint NOT NULL,
    first_seen  bigint NOT NULL,
    content     bytea NOT NULL,            -- codec::pack_content
    prints      bytea NOT NULL             -- codec::pack_prints
);
"#,
    // 30: an upstream key may hold U+0000, which no text column holds: it
    // is written as U+FFFF `0`, and U+FFFF doubled (key_text), so the
    // keys stored before that hold U+FFFF are doubled too.
    r#"
UPDATE upstream_key SET key = replace(key, chr(65535), repeat(chr(65535), 2))
WHERE strpos(key, chr(65535)) > 0;
"#,
    // 31: the number a merged article was kept under, as in SQLite (its
    // migration 32).
    r#"
ALTER TABLE merged_article ADD COLUMN IF NOT EXISTS seq bigint;
"#,
    // 32: the articles in the order of the feeds, which the articles page
    // walks (read::Pages), in place of the index on `(published, seq)`, as
    // in SQLite (its migration 33).
    r#"
CREATE INDEX IF NOT EXISTS article_in_feed_order ON article (published, first_seen, seq DESC);
DROP INDEX IF EXISTS article_by_published_seq;
"#,
];

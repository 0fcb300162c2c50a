//! The near-duplicate index across its merges, end to end through the
//! binary on SQLite and on PostgreSQL: new index rows wait in a pending
//! table and are merged into the main index when enough of them wait (at
//! least 262,144 rows). A real store reaches that after some fifteen
//! thousand articles; here the waiting count is raised by hand
//! before a run, so its commit merges. Copies fold whether their original's
//! rows still wait or were merged, an updated story is found by its new
//! keys and not by the ones it left, and after a merge nothing waits. On
//! PostgreSQL the index tables are set to be vacuumed after each merge.
//!
//! The PostgreSQL case needs `FEEDFOLD_TEST_POSTGRES_URL` (see the README):
//! without it, it says it skipped, except under `CI=true`, where it fails.

mod common;

use common::postgres::{count, database, execute};
use common::{Project, dump_stories, json_feed_ids, retitled, text};

/// What a merge waits for, as `feedfold::store::NEAR_MERGE_MIN_ROWS`.
const DUE: i64 = feedfold::store::NEAR_MERGE_MIN_ROWS;

/// The store under test: runs SQL on it.
enum Backend {
    Sqlite(std::path::PathBuf),
    Postgres(String),
}

impl Backend {
    fn number(&self, sql: &str) -> i64 {
        match self {
            Backend::Sqlite(path) => rusqlite::Connection::open(path)
                .and_then(|c| c.query_row(sql, [], |r| r.get(0)))
                .unwrap_or_else(|e| panic!("{sql}: {e}")),
            Backend::Postgres(url) => count(url, sql),
        }
    }

    fn execute(&self, sql: &str) {
        match self {
            Backend::Sqlite(path) => {
                rusqlite::Connection::open(path)
                    .and_then(|c| c.execute_batch(sql))
                    .unwrap_or_else(|e| panic!("{sql}: {e}"));
            }
            Backend::Postgres(url) => execute(url, sql),
        }
    }

    /// Makes the next commit that stores anything merge.
    fn make_merge_due(&self) {
        self.execute(&format!("UPDATE near_index SET pending = {DUE}"));
    }

    /// How many index rows the articles' rows list.
    fn listed(&self) -> i64 {
        match self {
            Backend::Sqlite(_) => self.number("SELECT sum(length(keys)) / 8 FROM article"),
            Backend::Postgres(_) => {
                self.number("SELECT sum(cardinality(keys))::bigint FROM article")
            }
        }
    }

    /// Puts the store back as the version before 64-bit key numbers left
    /// it: the index filed under other numbers, the schema that version's
    /// (on PostgreSQL the key columns keep their new type; on SQLite the
    /// content keys and sightings written behind are settled and their
    /// tables named as they were; on both the later site page indexes, the
    /// entries' versions and the feeds' publications go).
    fn as_the_earlier_version(&self) {
        match self {
            Backend::Sqlite(_) => self.execute(
                "DELETE FROM near_key_pending; DELETE FROM near_key; \
                 INSERT INTO near_key (key, article) SELECT 12345, seq FROM article; \
                 UPDATE article SET keys = x'39300000'; \
                 INSERT INTO content_key_settled SELECT * FROM content_key_pending; \
                 DROP VIEW content_key; DROP TABLE content_key_pending; \
                 ALTER TABLE content_key_settled RENAME TO content_key; \
                 INSERT INTO sighting_settled SELECT * FROM sighting_pending; \
                 DROP VIEW sighting; DROP TABLE sighting_pending; \
                 ALTER TABLE sighting_settled DROP COLUMN stored; \
                 ALTER TABLE sighting_settled RENAME TO sighting; \
                 DROP TABLE write_behind; \
                 DROP INDEX site_pages_by_site; DROP INDEX site_paragraphs_by_page; \
                 ALTER TABLE upstream_key DROP COLUMN version; ALTER TABLE article DROP COLUMN changed; ALTER TABLE article DROP COLUMN stored; \
                 DROP TABLE feed_publication; DROP TABLE document_validators; \
                 DROP INDEX fold_merged_copy; ALTER TABLE fold DROP COLUMN merged; \
                 DROP TABLE source_former_name; \
                 ALTER TABLE fetch_state DROP COLUMN read_began; \
                 ALTER TABLE seen_pages DROP COLUMN etag; \
                 ALTER TABLE seen_pages DROP COLUMN last_modified; \
                 DROP TABLE merged_article; \
                 PRAGMA user_version = 10;",
            ),
            Backend::Postgres(_) => self.execute(
                "TRUNCATE near_key_pending; DELETE FROM near_key; \
                 INSERT INTO near_key (key, article) SELECT 12345, seq FROM article; \
                 UPDATE article SET keys = '{12345}'; \
                 DROP INDEX site_pages_by_site; DROP INDEX site_paragraphs_by_page; \
                 ALTER TABLE upstream_key DROP COLUMN version; ALTER TABLE article DROP COLUMN changed; ALTER TABLE article DROP COLUMN stored; \
                 ALTER TABLE sighting DROP COLUMN stored; \
                 DROP TABLE feed_publication; DROP TABLE document_validators; \
                 DROP INDEX fold_merged_copy; ALTER TABLE fold DROP COLUMN merged; \
                 DROP TABLE source_former_name; \
                 UPDATE schema_version SET version = 7;",
            ),
        }
    }

    fn waiting(&self) -> i64 {
        self.number("SELECT count(*) FROM near_key_pending")
            + self.number("SELECT count(*) FROM near_key_gone")
    }
}

/// The same story with a paragraph added at its end: an update.
fn extended(story: &str) -> String {
    format!(
        "{}\n\nThe council said on Friday that a full report on the work would be \
         published before the end of the month, with the costs set out line by line.\n",
        story.trim_end()
    )
}

fn run(project: &Project) {
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "run failed: {stdout}\n{stderr}");
}

fn entries(project: &Project) -> Vec<String> {
    json_feed_ids(&project.read("feeds/all.json"))
}

fn folds_across_merges(project: &Project, store: &Backend) {
    let first = dump_stories(41, 6);
    let second = dump_stories(42, 4);

    project.write("dumps/1.txt", &first.concat());
    run(project);
    assert_eq!(entries(project).len(), 6);
    assert_eq!(store.number("SELECT count(*) FROM near_key"), 0);
    assert!(store.waiting() > 0, "new rows wait in the pending table");

    // The first stories' rows are merged by this run's commit; its own copy
    // is found while they still wait.
    store.make_merge_due();
    project.write(
        "dumps/2.txt",
        &format!("{}{}", second.concat(), retitled(&first[0])),
    );
    run(project);
    assert_eq!(entries(project).len(), 10, "the retitled copy folded");
    assert_eq!(store.waiting(), 0, "the commit merged every waiting row");
    assert_eq!(store.number("SELECT pending FROM near_index"), 0);
    let merged = store.number("SELECT count(*) FROM near_key");
    assert!(merged > 0);

    // Copies of stories whose rows were merged, and an update that refiles
    // a merged story under new keys: its old rows wait to be deleted.
    project.write(
        "dumps/3.txt",
        &format!("{}{}", retitled(&second[1]), extended(&first[2])),
    );
    run(project);
    assert_eq!(entries(project).len(), 10, "both copies folded");
    assert!(
        store.number("SELECT count(*) FROM near_key_gone") > 0,
        "the updated story's old rows are listed for the next merge"
    );

    // A copy of the story as it was before the update is still found (by
    // its unchanged paragraphs), and the merge deletes the rows it left.
    store.make_merge_due();
    project.write("dumps/4.txt", &retitled(&first[2]));
    run(project);
    assert_eq!(entries(project).len(), 10);
    assert_eq!(store.waiting(), 0);
    assert_eq!(
        store.number("SELECT count(*) FROM near_key"),
        store.listed(),
        "after the merge the index holds exactly the rows the articles list"
    );

    let dups = project.feedfold(&["dups", "--json"]);
    let (stdout, stderr) = text(&dups);
    assert!(dups.status.success(), "{stderr}");
    let rules: Vec<String> = stdout
        .lines()
        .map(|line| {
            let fold: serde_json::Value = serde_json::from_str(line).expect("a JSON line a fold");
            fold["rule"].as_str().unwrap_or_default().to_string()
        })
        .collect();
    assert_eq!(rules.len(), 4, "four copies folded: {stdout}");
    assert!(
        rules.iter().all(|rule| rule != "exact"),
        "each found by the near-duplicate index: {stdout}"
    );
}

/// A store whose index the earlier version filed: the first start files
/// every article afresh, and copies of its stories fold.
fn refiles_an_earlier_index(project: &Project, store: &Backend) {
    let stories = dump_stories(43, 5);
    project.write("dumps/1.txt", &stories.concat());
    run(project);
    assert_eq!(entries(project).len(), 5);
    store.as_the_earlier_version();

    project.write(
        "dumps/2.txt",
        &format!("{}{}", retitled(&stories[1]), retitled(&stories[3])),
    );
    run(project);
    assert_eq!(entries(project).len(), 5, "both copies folded");
    assert_eq!(
        store.number("SELECT count(*) FROM near_key WHERE key = 12345"),
        0
    );
    let filed = store.number("SELECT count(*) FROM near_key")
        + store.number("SELECT count(*) FROM near_key_pending");
    assert_eq!(
        filed,
        store.listed(),
        "every article filed under its new keys"
    );
    assert!(
        filed >= 5 * 6,
        "four body bands, a paragraph, a headline an article at least"
    );
}

/// A project whose one source is `dumps/*.txt`, stored in `store`.
fn project(store: &str) -> Project {
    Project::new(&format!(
        "[store]\n{store}\n\n[publish]\ndir = \"feeds\"\n\
         base_url = \"http://feeds.example\"\n\n[[source]]\nname = \"dumps\"\n\
         text = \"dumps/*.txt\"\n\n[[feed]]\nname = \"all\"\ntitle = \"All\"\n"
    ))
}

fn on_sqlite() -> (Project, Backend) {
    let project = project("path = \"store.db\"");
    let store = Backend::Sqlite(project.path("store.db"));
    (project, store)
}

/// A project on a fresh database `name` of the test cluster, if there is
/// one.
fn on_postgres(name: &str) -> Option<(Project, Backend)> {
    let url = database(name)?;
    Some((project(&format!("url = \"{url}\"")), Backend::Postgres(url)))
}

#[test]
fn copies_fold_across_merges_on_sqlite() {
    let (project, store) = on_sqlite();
    folds_across_merges(&project, &store);
}

#[test]
fn copies_fold_across_merges_on_postgres() {
    if let Some((project, store)) = on_postgres("near_index_merges") {
        folds_across_merges(&project, &store);
    }
}

#[test]
fn an_earlier_index_is_filed_afresh_on_sqlite() {
    let (project, store) = on_sqlite();
    refiles_an_earlier_index(&project, &store);
}

#[test]
fn an_earlier_index_is_filed_afresh_on_postgres() {
    if let Some((project, store)) = on_postgres("near_index_refiled") {
        refiles_an_earlier_index(&project, &store);
    }
}

/// Rows filed into `near_key` after which PostgreSQL vacuums it (schema
/// migration 10): fewer than a merge waits for.
const VACUUM_AFTER: i64 = 100_000;

/// Lookups read the index tables by their primary keys alone, which skips
/// the tables only where vacuum has been since the rows came: PostgreSQL
/// is told to vacuum `near_key` once `VACUUM_AFTER` rows were filed into
/// it (a merge is due when `DUE` rows wait, most of them new) and
/// `near_key_pending` once 10,000 were, instead of once a fifth of each
/// table is new.
#[test]
fn index_tables_set_to_vacuum_on_postgres() {
    let Some((project, store)) = on_postgres("near_index_vacuum") else {
        return;
    };
    project.write("dumps/a.txt", &dump_stories(3, 2).concat());
    run(&project);
    let Backend::Postgres(url) = &store else {
        unreachable!()
    };
    if count(url, "SELECT current_setting('server_version_num')::bigint") < 130_000 {
        eprintln!("skipped: PostgreSQL before 13 has no insert-driven autovacuum");
        return;
    }
    let set = |table: &str, threshold: i64| {
        count(
            url,
            &format!(
                "SELECT count(*) FROM pg_class WHERE relname = '{table}' AND reloptions @> \
                 ARRAY['autovacuum_vacuum_insert_threshold={threshold}', \
                       'autovacuum_vacuum_insert_scale_factor=0']"
            ),
        )
    };
    const { assert!(VACUUM_AFTER < DUE, "a merge must pass the threshold") };
    assert_eq!(set("near_key", VACUUM_AFTER), 1);
    assert_eq!(set("near_key_pending", 10_000), 1);
}

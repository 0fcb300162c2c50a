//! The shared backend: one PostgreSQL database that many `run` workers and
//! many `serve` instances use at once. `connect` turns the URL into
//! connections (TLS with rustls), `schema` holds the migrations, `writer`
//! the per-source transaction, `near_index` the near-duplicate index, `read` the queries, `pages` the pages
//! fetched and the paragraphs each site printed, `cycles` what the last
//! cycles of each source did, `transfer` and `import` the records
//! `store copy` moves, `changes` the feed of other processes' commits. The
//! `postgres` crate is used nowhere else.
//!
//! The database keeps the invariants when many processes write at once:
//! - every exact key and every article id is unique (primary keys), and
//!   every fold takes one transaction-level advisory lock before its first
//!   lookup, held until its source commits: two workers that meet the same
//!   story at the same moment decide one after the other, the second
//!   seeing what the first stored (near-duplicates have no key a unique
//!   index could hold);
//! - a source is ingested by one process at a time: a claim is a
//!   session-level advisory lock (keyed by the source's name and the
//!   schema, so stores in two schemas of one database claim apart), gone
//!   with the connection of a worker that dies;
//! - migrations run under an advisory lock of their own, taken only when
//!   the schema version, read first, is behind: a current schema is only
//!   read, so a read replica or a role that may only read can open it.
//!
//! A lost connection is opened again on the next operation; what was in
//! flight fails, and its transaction is rolled back by the server. One the
//! server closed while it sat idle (`idle_session_timeout`, a pooler, a
//! restart) is noticed before it is used, and a read that meets it is run
//! once more on a new connection; the claims the lost session held are
//! taken again on the new one, unless another process took them meanwhile.

/// The advisory lock key of the claim on the source named by `$1`, for
/// the statements that take or give back that claim: 64 bits of a hash of
/// the name and the schema the store's tables are in, as advisory locks
/// are the database's, and two stores may share a database in two
/// schemas (`options=-c search_path=…`). Written into each statement, so a
/// claim costs no round trip of its own for its key.
macro_rules! source_lease_key {
    () => {
        "hashtextextended('feedfold lease ' || coalesce(current_schema(), '') || ' ' || $1::text, 0)"
    };
}

mod changes;
mod connect;
mod cycles;
mod import;
mod key_text;
mod near_index;
mod pages;
mod read;
mod rename;
mod schema;
mod transfer;
mod unmerge;
mod writer;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use super::{Claim, SourceWriter, Store, StoreError, StoreFailureKind};
use crate::config::StoreUrl;
use crate::ingest::fetch_state::{DocumentValidators, FetchState};
use connect::{Conn, Target};
use schema::MIGRATIONS;
use writer::PgWriter;

pub use changes::PgChanges;

/// The advisory lock migrations run under.
const MIGRATION_LOCK: i64 = 0x6665_6564_666f_6c01;
/// The advisory lock every fold takes (see the module's documentation).
const FOLD_LOCK: i64 = 0x6665_6564_666f_6c02;
/// The channel commits that change what feeds show are announced on.
const CHANNEL: &str = "feedfold_changes";

/// Attaches the store to a client error.
trait At<T> {
    fn at(self, target: &Target) -> Result<T, StoreError>;
}

impl<T> At<T> for Result<T, postgres::Error> {
    fn at(self, target: &Target) -> Result<T, StoreError> {
        self.map_err(|e| target.error(&e))
    }
}

fn corrupt(target: &Target, id: &str, message: String) -> StoreError {
    StoreError::Corrupt {
        store: target.label.clone(),
        id: id.to_string(),
        message,
    }
}

/// Gives back this session's claim on `source`.
fn unlock_source(conn: &mut Conn, target: &Target, source: &str) -> Result<(), StoreError> {
    conn.query_one(
        concat!("SELECT pg_advisory_unlock(", source_lease_key!(), ")"),
        &[&source],
    )
    .at(target)?;
    Ok(())
}

/// `time`, read from this machine's clock when it read `local_now`, as the
/// database's clock tells it, which read `database_now` at that moment: a
/// claim's freshness compares it with attempts the database timed, and
/// clients compare a commit's stamp with their polls, while the worker's
/// clock may be ahead of or behind the database server's.
fn in_database_clock(
    time: DateTime<Utc>,
    local_now: DateTime<Utc>,
    database_now: DateTime<Utc>,
) -> DateTime<Utc> {
    time + (database_now - local_now)
}

/// The PostgreSQL store, with one connection (opened again when lost).
pub struct PgStore {
    target: Target,
    conn: Option<Conn>,
    /// The sources this process has claimed, with when each attempt began.
    claims: HashMap<String, DateTime<Utc>>,
    /// The sources whose claim went with a lost connection and could not
    /// be taken again on the new one (another process claimed them
    /// meanwhile): nothing more of their attempt is written.
    forfeited: HashSet<String>,
}

impl PgStore {
    /// Connects to the database at `url` and brings its schema up to date.
    /// A database whose schema is current is only read, so a read replica
    /// or a role that may only read will do.
    pub fn open(url: &StoreUrl) -> Result<PgStore, StoreError> {
        PgStore::connect(url, true)
    }

    /// Opens the store at `url` for a command that reads what it holds: as
    /// [`PgStore::open`], but a database without feedfold's schema is
    /// [`StoreError::Absent`], and nothing is created in it.
    pub fn open_existing(url: &StoreUrl) -> Result<PgStore, StoreError> {
        PgStore::connect(url, false)
    }

    /// Connects to `url` and brings the schema up to date, creating it in
    /// a database without one only when `create`.
    fn connect(url: &StoreUrl, create: bool) -> Result<PgStore, StoreError> {
        let target = Target::new(url)?;
        let mut conn = target.connect()?;
        let found = schema_version(&mut conn, &target)?;
        if found == 0 {
            refuse_missing_schema(&mut conn, &target)?;
        }
        if found == 0 && !create {
            return Err(StoreError::Absent {
                store: target.label.clone(),
            });
        }
        if found != MIGRATIONS.len() {
            migrate(&mut conn, &target, found)?;
        }
        Ok(PgStore {
            target,
            conn: Some(conn),
            claims: HashMap::new(),
            forfeited: HashSet::new(),
        })
    }

    /// The target and a live connection, opened again if it was lost.
    fn parts(&mut self) -> Result<(&Target, &mut Conn), StoreError> {
        if !self.conn.as_mut().is_some_and(Conn::is_live) {
            self.reconnect()?;
        }
        Ok((&self.target, self.conn.as_mut().expect("just connected")))
    }

    /// Opens a connection in place of a lost one and takes again, on it,
    /// the claims the lost session held (they went with it). A claim
    /// another process took meanwhile, or whose source it ingested since,
    /// is forfeited. When connecting or taking them fails, the claims are
    /// kept for the next try.
    fn reconnect(&mut self) -> Result<(), StoreError> {
        self.conn = None;
        let mut conn = self.target.connect()?;
        let mut lost = Vec::new();
        for (source, began) in &self.claims {
            if !retake(&mut conn, &self.target, source, *began)? {
                lost.push(source.clone());
            }
        }
        for source in lost {
            tracing::warn!(store = %self.target.label, source = %source, "the claim on the source went with a lost connection and another process has claimed it since");
            self.claims.remove(&source);
            self.forfeited.insert(source);
        }
        self.conn = Some(conn);
        Ok(())
    }

    /// Refuses to write for `source` when its claim was forfeited.
    fn refuse_forfeited(&self, source: &str) -> Result<(), StoreError> {
        if !self.forfeited.contains(source) {
            return Ok(());
        }
        Err(StoreError::Busy {
            store: self.target.label.clone(),
            message: format!(
                "source {source:?}: the claim on it went with a lost connection and another \
                 process has claimed it since; nothing more of this attempt is written"
            ),
        })
    }

    /// Runs `op`, which only reads (or writes what a repeat leaves as it
    /// is), on a live connection; when the connection turns out lost (the
    /// server closed it while idle, or restarted), once more on a new one,
    /// on which the claims held are taken again.
    fn retried<T>(
        &mut self,
        op: impl FnMut(&Target, &mut Conn) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.retried_for(None, op)
    }

    /// As [`PgStore::retried`], for an operation that writes for the
    /// claimed `source`: refused when its claim was forfeited, before and
    /// after a new connection.
    fn retried_for<T>(
        &mut self,
        source: Option<&str>,
        mut op: impl FnMut(&Target, &mut Conn) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut attempt = |store: &mut PgStore| {
            store.parts()?;
            if let Some(source) = source {
                store.refuse_forfeited(source)?;
            }
            let conn = store.conn.as_mut().expect("just connected");
            op(&store.target, conn)
        };
        match attempt(self) {
            Err(StoreError::Lost { cause, .. }) => {
                tracing::debug!(store = %self.target.label, "the connection was lost ({cause}); trying once more on a new one");
                attempt(self)
            }
            other => other,
        }
    }

    /// The target and a connection known to answer: a transaction begun on
    /// a connection the server closed while idle would fail at once.
    fn answering_parts(&mut self) -> Result<(&Target, &mut Conn), StoreError> {
        if !self.conn.as_mut().is_some_and(Conn::answers) {
            self.reconnect()?;
        }
        Ok((&self.target, self.conn.as_mut().expect("just connected")))
    }
}

/// Takes again, on a new connection, the claim on `source` whose attempt
/// began at `began` (on the database's clock): false when another process
/// holds it, or has begun an attempt of its own since.
fn retake(
    conn: &mut Conn,
    target: &Target,
    source: &str,
    began: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let row = conn
        .query_one(
            concat!(
                "SELECT pg_try_advisory_lock(",
                source_lease_key!(),
                "), (SELECT attempt_began FROM source_lease WHERE source = $1)"
            ),
            &[&source],
        )
        .at(target)?;
    if !row.get::<_, bool>(0) {
        return Ok(false);
    }
    let last: Option<DateTime<Utc>> = row.get(1);
    if last.is_some_and(|last| last > began) {
        unlock_source(conn, target, source)?;
        return Ok(false);
    }
    Ok(true)
}

/// The migrations after which the near-duplicate index is filed afresh:
/// 8 (its keys became 64-bit numbers), 23 (each story filed under its
/// opening's words too).
const REKEY_MIGRATIONS: [usize; 2] = [8, 23];

/// The migration after which the entries an earlier feedfold merged
/// without a record are forgotten (`unmerge`).
const UNMERGE_MIGRATION: usize = 22;

/// How long a migration waits for the other sessions of feedfold on the
/// database to end ([`refuse_while_open_elsewhere`]).
const ALONE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// The schema version the database holds (0 before the first migration),
/// read without writing or locking anything.
fn schema_version(conn: &mut Conn, target: &Target) -> Result<usize, StoreError> {
    let exists: bool = conn
        .query_one("SELECT to_regclass('schema_version') IS NOT NULL", &[])
        .at(target)?
        .get(0);
    if !exists {
        return Ok(0);
    }
    let version: Option<i32> = conn
        .query_opt("SELECT version FROM schema_version", &[])
        .at(target)?
        .map(|row| row.get(0));
    Ok(version.map_or(0, |v| v.max(0) as usize))
}

/// Refuses a database whose search path names no schema that exists (a
/// URL's `options=-c search_path=staging` before `CREATE SCHEMA staging`),
/// where feedfold's tables could be neither found nor created, naming the
/// search path.
fn refuse_missing_schema(conn: &mut Conn, target: &Target) -> Result<(), StoreError> {
    let row = conn
        .query_one(
            "SELECT current_schema() IS NULL, current_setting('search_path')",
            &[],
        )
        .at(target)?;
    if !row.get::<_, bool>(0) {
        return Ok(());
    }
    let search_path: String = row.get(1);
    Err(StoreError::Backend {
        store: target.label.clone(),
        message: format!(
            "no schema named by the search path ({search_path}) exists in the database at {}: \
             create it (CREATE SCHEMA), or name one that exists in the URL's \
             `options=-c search_path=…`",
            target.host_port
        ),
    })
}

/// Brings a schema found at version `found` up to date: runs the
/// migrations the database lacks, in one transaction under the migration
/// lock (another process may be doing the same). A read-only database (a
/// read replica) that is behind is an error that says where to migrate.
fn migrate(conn: &mut Conn, target: &Target, found: usize) -> Result<(), StoreError> {
    if found > MIGRATIONS.len() {
        return Err(StoreError::TooNew {
            store: target.label.clone(),
            found: found as i64,
            known: MIGRATIONS.len(),
        });
    }
    let behind = |why: String| StoreError::Backend {
        store: target.label.clone(),
        message: format!(
            "the database at {} holds schema {found}, this feedfold needs {}; {why}",
            target.host_port,
            MIGRATIONS.len()
        ),
    };
    let read_only: bool = conn
        .query_one(
            "SELECT current_setting('transaction_read_only') = 'on'",
            &[],
        )
        .at(target)?
        .get(0);
    if read_only {
        return Err(behind(
            "it is read-only (a read replica?): run feedfold against the primary once to migrate"
                .into(),
        ));
    }
    in_transaction(conn, target, |conn| {
        run_migrations(conn, target).map_err(|e| match e {
            // Most likely a role that may not create tables.
            StoreError::Backend { message, .. } => behind(format!(
                "migrating it failed ({message}): run feedfold once as a role that may \
                 change the schema"
            )),
            other => other,
        })
    })
}

/// Runs `work` in one transaction on `conn`: committed when it succeeds,
/// rolled back when it fails.
fn in_transaction<T>(
    conn: &mut Conn,
    target: &Target,
    work: impl FnOnce(&mut Conn) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    conn.batch_execute("BEGIN").at(target)?;
    match work(conn) {
        Ok(done) => conn.batch_execute("COMMIT").at(target).map(|()| done),
        Err(e) => {
            let _ = conn.batch_execute("ROLLBACK");
            Err(e)
        }
    }
}

fn run_migrations(conn: &mut Conn, target: &Target) -> Result<(), StoreError> {
    conn.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .at(target)?;
    conn.batch_execute("CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)")
        .at(target)?;
    let version: i32 = match conn
        .query_opt("SELECT version FROM schema_version", &[])
        .at(target)?
    {
        Some(row) => row.get(0),
        None => {
            conn.execute("INSERT INTO schema_version (version) VALUES (0)", &[])
                .at(target)?;
            0
        }
    };
    if version as usize > MIGRATIONS.len() {
        return Err(StoreError::TooNew {
            store: target.label.clone(),
            found: i64::from(version),
            known: MIGRATIONS.len(),
        });
    }
    if version > 0 && (version as usize) < MIGRATIONS.len() {
        refuse_while_open_elsewhere(conn, target, version as usize)?;
    }
    for (done, migration) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        conn.batch_execute(migration).at(target)?;
        if REKEY_MIGRATIONS.contains(&(done + 1)) {
            let k = writer::index_distance(conn, target)?;
            if version > 0 {
                tracing::info!(store = %target.label, "filing the near-duplicate index afresh");
            }
            transfer::rekey_all(conn, target, k)?;
        }
        if done + 1 == UNMERGE_MIGRATION {
            let forgotten = unmerge::forget_unrecorded_merges(conn, target)?;
            if forgotten > 0 {
                tracing::info!(store = %target.label, forgotten, "upstream entries an earlier feedfold merged without a record are to be seen again");
            }
        }
        conn.execute(
            "UPDATE schema_version SET version = $1",
            &[&((done + 1) as i32)],
        )
        .at(target)?;
    }
    if version > 0 && (version as usize) < MIGRATIONS.len() {
        tracing::info!(store = %target.label, from = version, to = MIGRATIONS.len(), "the store converted to this feedfold's schema");
    }
    Ok(())
}

/// Waits, up to `ALONE_TIMEOUT`, for every other session of feedfold on
/// the database (by the application name this one has) to end, and
/// refuses the migration ([`StoreError::OpenElsewhere`]) while one stays:
/// an older feedfold (a `serve` between cycles) would go on writing rows
/// of its schema into the migrated one, and sessions of an older feedfold
/// take no lock a migration could wait for. A session waiting for an
/// advisory lock (a feedfold starting at the same moment, waiting for this
/// migration) is not counted. Sessions of feedfold from this one on also
/// take the migration lock, shared, for each write ([`refuse_converted`]).
fn refuse_while_open_elsewhere(
    conn: &mut Conn,
    target: &Target,
    found: usize,
) -> Result<(), StoreError> {
    let deadline = std::time::Instant::now() + ALONE_TIMEOUT;
    loop {
        // Statistics are read once a transaction unless cleared.
        conn.batch_execute("SELECT pg_stat_clear_snapshot()")
            .at(target)?;
        let others: i64 = conn
            .query_one(
                "SELECT count(*) FROM pg_stat_activity \
                 WHERE datname = current_database() AND pid <> pg_backend_pid() \
                 AND application_name = current_setting('application_name') \
                 AND backend_type = 'client backend' \
                 AND (wait_event_type, wait_event) IS DISTINCT FROM ('Lock', 'advisory')",
                &[],
            )
            .at(target)?
            .get(0);
        if others == 0 {
            return Ok(());
        }
        if std::time::Instant::now() >= deadline {
            return Err(StoreError::OpenElsewhere {
                store: target.label.clone(),
                found: found as i64,
                known: MIGRATIONS.len(),
            });
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

/// Refuses a write (in its transaction, begun) to a database a newer
/// feedfold migrated past the schema this one knows while this one was
/// connected ([`StoreError::ConvertedWhileOpen`]). The migration lock is
/// taken shared until the transaction ends, so a migration waits for the
/// writes under way and a write begun during one waits for it.
fn refuse_converted(conn: &mut Conn, target: &Target) -> Result<(), StoreError> {
    conn.execute(
        "SELECT pg_advisory_xact_lock_shared($1)",
        &[&MIGRATION_LOCK],
    )
    .at(target)?;
    let found = schema_version(conn, target)?;
    if found > MIGRATIONS.len() {
        return Err(StoreError::ConvertedWhileOpen {
            store: target.label.clone(),
            found: found as i64,
            known: MIGRATIONS.len(),
        });
    }
    Ok(())
}

impl Store for PgStore {
    fn begin<'a>(&'a mut self, source: &str) -> Result<Box<dyn SourceWriter + 'a>, StoreError> {
        self.refuse_forfeited(source)?;
        let (target, conn) = self.answering_parts()?;
        Ok(Box::new(PgWriter::new(conn, target, source)?))
    }

    fn rename_source(
        &mut self,
        old: &str,
        new: &str,
    ) -> Result<super::SourceHoldings, super::RenameError> {
        let (target, conn) = self.answering_parts()?;
        rename::rename(conn, target, old, new)
    }

    fn rekey_near_index(&mut self, k: u32) -> Result<bool, StoreError> {
        let (target, conn) = self.parts()?;
        transfer::rekey(conn, target, k)
    }

    fn fetch_state(&mut self, source: &str) -> Result<FetchState, StoreError> {
        self.retried(|target, conn| read::fetch_state(conn, target, source))
    }

    fn put_fetch_state(&mut self, source: &str, state: &FetchState) -> Result<(), StoreError> {
        self.retried_for(Some(source), |target, conn| {
            rename::refuse_former(conn, target, source)?;
            writer::put_fetch_state(conn, target, source, state)
        })
    }

    fn document_validators(&mut self, source: &str) -> Result<DocumentValidators, StoreError> {
        self.retried(|target, conn| read::document_validators(conn, target, source))
    }

    fn clear_fetch_state(&mut self, source: &str) -> Result<bool, StoreError> {
        let (target, conn) = self.parts()?;
        // One statement: all go, or none.
        let deleted: i64 = conn
            .query_one(
                "WITH states AS (DELETE FROM fetch_state WHERE source = $1 RETURNING 1), \
                 documents AS (DELETE FROM document_validators WHERE source = $1 RETURNING 1), \
                 pages AS (DELETE FROM seen_pages WHERE source = $1 RETURNING 1) \
                 SELECT (SELECT count(*) FROM states) + (SELECT count(*) FROM documents) \
                 + (SELECT count(*) FROM pages)",
                &[&source],
            )
            .at(target)?
            .get(0);
        Ok(deleted > 0)
    }

    fn identity(&mut self) -> Result<Option<String>, StoreError> {
        self.retried(|target, conn| {
            let row = match conn.query_one(
                "SELECT system_identifier::text, \
                 (SELECT oid::bigint FROM pg_database WHERE datname = current_database()), \
                 coalesce(current_schema(), '') FROM pg_control_system()",
                &[],
            ) {
                Ok(row) => row,
                // A hardened server may keep the cluster's identity from
                // this role: then it is not known, and the copy goes on.
                Err(e) if e.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) => {
                    return Ok(None);
                }
                Err(e) => return Err(e).at(target),
            };
            let (cluster, database, schema): (String, i64, String) =
                (row.get(0), row.get(1), row.get(2));
            // Two schemas of one database are two stores.
            Ok(Some(format!(
                "postgres cluster {cluster} database {database} schema {schema}"
            )))
        })
    }

    fn fetched_sources(&mut self) -> Result<Vec<String>, StoreError> {
        self.retried(|target, conn| {
            let rows = conn
                .query(
                    "SELECT source FROM fetch_state UNION SELECT source FROM document_validators \
                     UNION SELECT source FROM seen_pages ORDER BY 1",
                    &[],
                )
                .at(target)?;
            Ok(rows.iter().map(|row| row.get(0)).collect())
        })
    }

    fn renamed_sources(&mut self) -> Result<Vec<(String, String)>, StoreError> {
        self.retried(|target, conn| rename::all(conn, target))
    }

    fn held_source_names(&mut self) -> Result<Vec<String>, StoreError> {
        self.retried(|target, conn| rename::held_names(conn, target))
    }

    fn pages_seen(
        &mut self,
        source: &str,
        urls: &[String],
    ) -> Result<HashMap<String, crate::ingest::source::PageVersion>, StoreError> {
        self.retried(|target, conn| pages::seen(conn, target, source, urls))
    }

    fn feed_page(
        &mut self,
        sources: Option<&[String]>,
        since: Option<DateTime<Utc>>,
        after: Option<crate::store::FeedPosition>,
        limit: usize,
    ) -> Result<Vec<(crate::model::StoredArticle, crate::store::FeedPosition)>, StoreError> {
        self.retried(|target, conn| read::feed_page(conn, target, sources, since, after, limit))
    }

    fn position_of(&mut self, id: &str) -> Result<Option<crate::store::FeedPosition>, StoreError> {
        self.retried(|target, conn| read::position_of(conn, target, id))
    }

    fn place_of_cursor(
        &mut self,
        cursor: &crate::store::FeedCursor,
    ) -> Result<Option<crate::store::FeedPosition>, StoreError> {
        self.retried(|target, conn| read::place_of_cursor(conn, target, cursor))
    }

    fn merged_into(&mut self, id: &str) -> Result<Option<String>, StoreError> {
        self.retried(|target, conn| read::merged_into(conn, target, id))
    }

    fn article(&mut self, id: &str) -> Result<Option<crate::model::StoredArticle>, StoreError> {
        self.retried(|target, conn| read::article(conn, target, id))
    }

    fn article_count(&mut self) -> Result<u64, StoreError> {
        self.retried(|target, conn| read::article_count(conn, target))
    }

    fn sightings(&mut self, id: &str) -> Result<Vec<super::Sighting>, StoreError> {
        self.retried(|target, conn| read::sightings(conn, target, id))
    }

    fn folds(
        &mut self,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<super::FoldedCopy>, StoreError> {
        self.retried(|target, conn| read::folds(conn, target, since))
    }

    fn claim(
        &mut self,
        source: &str,
        fresh_since: Option<DateTime<Utc>>,
    ) -> Result<Claim, StoreError> {
        if self.claims.contains_key(source) {
            return Ok(Claim::Granted);
        }
        let (target, conn) = self.parts()?;
        let asked = Utc::now();
        let row = conn
            .query_one(
                concat!(
                    "SELECT pg_try_advisory_lock(",
                    source_lease_key!(),
                    "), now(), (SELECT attempt_began FROM source_lease WHERE source = $1)"
                ),
                &[&source],
            )
            .at(target)?;
        if !row.get::<_, bool>(0) {
            return Ok(Claim::Busy);
        }
        let began: DateTime<Utc> = row.get(1);
        let last: Option<DateTime<Utc>> = row.get(2);
        if let (Some(last), Some(since)) = (last, fresh_since)
            && last >= in_database_clock(since, asked, began)
        {
            unlock_source(conn, target, source)?;
            return Ok(Claim::Done(last));
        }
        self.claims.insert(source.to_string(), began);
        Ok(Claim::Granted)
    }

    fn release(&mut self, source: &str) -> Result<(), StoreError> {
        if self.forfeited.remove(source) {
            return Ok(());
        }
        let Some(&began) = self.claims.get(source) else {
            return Ok(());
        };
        let released = self.retried_for(Some(source), |target, conn| {
            conn.execute(
                "INSERT INTO source_lease (source, attempt_began) VALUES ($1, $2) \
                 ON CONFLICT (source) DO UPDATE SET \
                 attempt_began = greatest(source_lease.attempt_began, excluded.attempt_began)",
                &[&source, &began],
            )
            .at(target)?;
            unlock_source(conn, target, source)
        });
        self.claims.remove(source);
        let forfeited = self.forfeited.remove(source);
        match released {
            // The claim went with the session, or to another process.
            Err(e) if forfeited || e.kind() == StoreFailureKind::Unreachable => Ok(()),
            other => other.map(|_| ()),
        }
    }

    fn article_page(
        &mut self,
        start: super::PageStart,
        limit: usize,
    ) -> Result<Option<super::ArticlePage>, StoreError> {
        self.retried(|target, conn| {
            super::page::article_page(&mut read::Pages { conn, target }, start, limit)
        })
    }

    fn record_cycles(&mut self, cycles: &[super::SourceCycle]) -> Result<(), StoreError> {
        let (target, conn) = self.parts()?;
        in_transaction(conn, target, |conn| {
            cycles.iter().try_for_each(|cycle| {
                // A process that read a config from before a rename keeps
                // nothing under the old name.
                if rename::is_former(conn, target, &cycle.source)? {
                    return Ok(());
                }
                cycles::record(conn, target, cycle)
            })
        })
    }

    fn cycles(&mut self) -> Result<Vec<super::SourceCycle>, StoreError> {
        self.retried(|target, conn| cycles::all(conn, target))
    }

    fn record_publications(
        &mut self,
        publications: &[super::FeedPublication],
    ) -> Result<(), StoreError> {
        let (target, conn) = self.parts()?;
        in_transaction(conn, target, |conn| {
            publications
                .iter()
                .try_for_each(|publication| cycles::record_publication(conn, target, publication))
        })
    }

    fn publications(&mut self) -> Result<Vec<super::FeedPublication>, StoreError> {
        self.retried(|target, conn| cycles::publications(conn, target))
    }

    fn forget_kept_newest(&mut self) -> Result<(), StoreError> {
        let (target, conn) = self.parts()?;
        // One statement: all go, or none.
        conn.batch_execute(
            "WITH paragraphs AS (DELETE FROM site_paragraphs), \
             cycles AS (DELETE FROM source_cycle) \
             DELETE FROM site_pages",
        )
        .at(target)
    }

    fn article_ids(
        &mut self,
        batch: &mut dyn FnMut(Vec<String>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let (target, conn) = self.parts()?;
        transfer::article_ids(conn, target, batch)
    }

    fn export(
        &mut self,
        batch: &mut dyn FnMut(Vec<super::Record>) -> Result<(), StoreError>,
    ) -> Result<super::Counts, StoreError> {
        let (target, conn) = self.parts()?;
        transfer::export(conn, target, batch)
    }

    fn import(&mut self, records: &[super::Record]) -> Result<(), StoreError> {
        let (target, conn) = self.parts()?;
        import::import(conn, target, records)
    }

    fn counts(&mut self) -> Result<super::Counts, StoreError> {
        self.retried(|target, conn| transfer::counts(conn, target))
    }

    fn label(&self) -> String {
        self.target.label.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_of_this_machine_is_moved_onto_the_database_clock() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().to_utc();
        let began = at("2026-11-05T09:00:00Z");
        // This machine's clock is a minute behind the database server's.
        assert_eq!(
            in_database_clock(
                began,
                at("2026-11-05T09:00:05Z"),
                at("2026-11-05T09:01:05Z")
            ),
            at("2026-11-05T09:01:00Z")
        );
        // And ahead of it.
        assert_eq!(
            in_database_clock(
                began,
                at("2026-11-05T09:00:05Z"),
                at("2026-11-05T08:59:35Z")
            ),
            at("2026-11-05T08:59:30Z")
        );
    }
}

//! The embedded backend: one SQLite file in WAL mode. `schema` holds the
//! migrations and `compact` the conversion of stores written before the
//! compact tables, `writer` the per-source transaction, `near_index` the
//! near-duplicate prints and the keys that find them, `write_behind` the
//! content keys and sightings that wait to be merged, `read` the queries,
//! `fetch_state` the stored fetch state (and documents' validators), `pages` the pages sources fetched
//! and the paragraphs sites printed, `rename` the names sources had and a
//! source's rename. `rusqlite` is used nowhere else.
//!
//! Writes happen in one transaction per source (`BEGIN IMMEDIATE`, so two
//! writers queue instead of deadlocking), with a
//! savepoint per unit so a bad file leaves nothing behind while the rest of
//! its source still lands. Opening waits, up to the same timeout, for
//! another process that is creating the schema or switching the file to
//! WAL at the same moment.
//!
//! Processes sharing the file take turns at every write (migrations, source
//! transactions, fetch state, imports) through an
//! exclusive lock on `<store>-lock` beside it, waited for in the kernel's
//! queue: SQLite's own busy handler polls, and a writer polling while
//! others commit back to back could wait past any timeout.

mod compact;
mod cycles;
mod fetch_state;
mod in_place;
mod near_index;
mod pages;
mod read;
mod rename;
mod schema;
mod transfer;
mod unmerge;
mod write_behind;
mod writer;

use std::fs::File;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, ErrorCode, OpenFlags, Transaction, TransactionBehavior};

use super::{SourceWriter, Store, StoreError};
use crate::lock_wait::{Lock, lock_telling_of_the_wait};
use schema::MIGRATIONS;
use writer::SqliteWriter;

pub use in_place::StoreFile;

/// The migration that creates the compact tables (`compact::convert`).
const COMPACT_MIGRATION: usize = 5;

/// The migrations after which the near-duplicate index is filed afresh:
/// 11 (its keys became 64-bit numbers), 26 (each story filed under its
/// opening's words too).
const REKEY_MIGRATIONS: [usize; 2] = [11, 26];

/// The migration after which the entries an earlier feedfold merged
/// without a record are forgotten (`unmerge`).
const UNMERGE_MIGRATION: usize = 25;

/// The page cache of a connection, in KiB (SQLite's default is 2,000):
/// enough to keep the inner pages of the large indexes and the tables
/// written behind while a batch folds, which cut a run's CPU by about 7 %
/// at 10,000 and at 1,000,000 articles; 64 MiB was slower at a million
/// (BENCHMARKS.md, "Content keys and sightings written behind"). SQLite
/// takes the memory as pages are read, so a small store uses less.
const PAGE_CACHE_KIB: i64 = 16 * 1024;

/// How long a writer waits for another process's transaction to finish
/// before the store reports itself busy; opening waits as long.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// How long a conversion waits for every other process to close the store
/// (`SqliteStore::take_alone`) before it is refused: one that is still
/// reading or writing finishes in this time, one that keeps the store open
/// (an older `feedfold serve`) does not.
const ALONE_TIMEOUT: Duration = Duration::from_secs(5);

/// The SQLite store, with one connection.
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
    /// What every write of this process takes its turn at.
    writers: WriterGate,
}

/// The writer lock and the store file every write of a process takes its
/// turn at: both `None` for a store in memory.
struct WriterGate {
    /// `<store>-lock`, whose exclusive lock a source transaction holds.
    lock: Option<File>,
    /// The file the store's connection opened, as its path named it then.
    file: Option<StoreFile>,
}

impl WriterGate {
    /// This process's turn to write the store on `conn`, at `path`: every
    /// write takes its turn so ([`WriterTurn::checked`]).
    fn turn(&self, conn: &Connection, path: &Path) -> Result<WriterTurn<'_>, StoreError> {
        WriterTurn::checked(self.lock.as_ref(), self.file.as_ref(), conn, path)
    }
}

/// Holds the store's writer lock until dropped.
pub(super) struct WriterTurn<'a> {
    lock: Option<&'a File>,
    /// The store file written in this turn, checked to be in place.
    file: Option<&'a StoreFile>,
}

impl WriterTurn<'_> {
    /// [`WriterTurn::take`], once the store on `conn` is found to keep the
    /// schema this feedfold knows ([`refuse_converted`]) and its path to
    /// still name `file`, the file `conn` has open
    /// ([`WriterTurn::still_in_place`]): every write takes its turn so.
    fn checked<'a>(
        lock: Option<&'a File>,
        file: Option<&'a StoreFile>,
        conn: &Connection,
        path: &Path,
    ) -> Result<WriterTurn<'a>, StoreError> {
        let mut turn = WriterTurn::take(lock, path)?;
        turn.file = file;
        turn.still_in_place()?;
        refuse_converted(conn, path)?;
        Ok(turn)
    }

    /// Whether the store's path still names the file written in this turn:
    /// refused ([`StoreError::Deleted`], [`StoreError::Replaced`]) when it
    /// does not, so that nothing is written, or committed, into a file
    /// that would be lost with this process.
    fn still_in_place(&self) -> Result<(), StoreError> {
        self.file.map_or(Ok(()), StoreFile::check)
    }

    /// Waits for the writer lock of `file`, if any, as long as the other
    /// writer needs, saying so once the wait is long.
    fn take<'a>(file: Option<&'a File>, path: &Path) -> Result<WriterTurn<'a>, StoreError> {
        let Some(file) = file else {
            return Ok(WriterTurn {
                lock: None,
                file: None,
            });
        };
        let lock = lock_path(path);
        let held = Lock {
            file: &lock,
            guards: "the store",
            holder_is: "writing",
        };
        lock_telling_of_the_wait(file, held)
            .map_err(|e| file_error(path, format!("cannot lock {}", lock.display()), &e))?;
        Ok(WriterTurn {
            lock: Some(file),
            file: None,
        })
    }
}

impl Drop for WriterTurn<'_> {
    fn drop(&mut self) {
        if let Some(file) = self.lock {
            let _ = file.unlock();
        }
    }
}

/// The schema version of the store at `path` (how many migrations it has
/// had); one newer than this feedfold knows is refused.
fn schema_version(conn: &Connection, path: &Path) -> Result<usize, StoreError> {
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .at(path)?;
    if version as usize > MIGRATIONS.len() {
        return Err(StoreError::TooNew {
            store: path.display().to_string(),
            found: version,
            known: MIGRATIONS.len(),
        });
    }
    Ok(version as usize)
}

/// Refuses to write a store a newer feedfold converted past the schema
/// this one knows while this one had it open
/// ([`StoreError::ConvertedWhileOpen`]): code of an older schema must not
/// write rows into a newer one.
fn refuse_converted(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    match schema_version(conn, path) {
        Err(StoreError::TooNew {
            store,
            found,
            known,
        }) => Err(StoreError::ConvertedWhileOpen {
            store,
            found,
            known,
        }),
        other => other.map(drop),
    }
}

/// A connection that only reads the database at `path`, for a user who
/// may not write it: without a write-ahead log beside it (its last writer
/// closed it) the file holds everything, and it is read as it is (a
/// reader that may not make the log's index could not open it otherwise).
fn read_only_connection(path: &Path) -> Result<Connection, StoreError> {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    reading_connection(path, !Path::new(&wal).exists())
}

/// A connection that only reads the database at `path`; with `file_alone`,
/// one that reads the file as it is, leaving out any `-wal` and `-shm`
/// beside it and taking no lock, so nothing at the path is written or
/// removed.
fn reading_connection(path: &Path, file_alone: bool) -> Result<Connection, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let at = match url::Url::from_file_path(&absolute) {
        Ok(mut uri) if file_alone => {
            uri.set_query(Some("mode=ro&immutable=1"));
            uri.to_string()
        }
        _ => path.display().to_string(),
    };
    Connection::open_with_flags(&at, flags).at(path)
}

/// Whether the database on `conn` holds nothing yet: no table or view and
/// `user_version` 0.
fn blank(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT v.user_version = 0 AND NOT EXISTS \
         (SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view')) \
         FROM pragma_user_version AS v",
        [],
        |row| row.get::<_, bool>(0),
    )
}

/// Refuses the database at `path` when it holds no feedfold schema:
/// tables at schema version 0, or a version (which other applications set
/// too) without the tables a store of it holds (`schema::tables_kept`).
/// Such a file is another application's, and is left as it is: nothing
/// is written to it before this. The version and the tables are read in
/// one statement, so a feedfold process creating the store at the same
/// moment is seen either before or after.
fn refuse_foreign(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let (version, tables) = wait_while_busy(|| {
        let mut statement = conn.prepare(
            "SELECT v.user_version, m.name FROM pragma_user_version AS v \
             LEFT JOIN sqlite_master AS m ON m.type IN ('table', 'view')",
        )?;
        let mut version = 0;
        let mut tables = Vec::new();
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            version = row.get::<_, i64>(0)?;
            tables.extend(row.get::<_, Option<String>>(1)?);
        }
        Ok((version, tables))
    })
    .at(path)?;
    let feedfolds = match usize::try_from(version) {
        Ok(0) => tables.is_empty(),
        Ok(version) => schema::tables_kept(version)
            .iter()
            .all(|kept| tables.iter().any(|t| t == kept)),
        Err(_) => false,
    };
    if !feedfolds {
        return Err(StoreError::Foreign {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// Opens (making it when missing) the lock file beside the store at
/// `path`; a symlink planted in its place is refused, not followed.
fn open_lock_file(path: &Path) -> Result<File, StoreError> {
    let lock = lock_path(path);
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(&lock)
        .map_err(|e| file_error(path, format!("cannot open {}", lock.display()), &e))
}

/// Whether something (a file, a symlink) is at `path`; an error other
/// than its absence counts as something there, met again by SQLite.
fn exists(path: &Path) -> bool {
    !matches!(std::fs::symlink_metadata(path), Err(e) if e.kind() == std::io::ErrorKind::NotFound)
}

/// Makes an empty file at `path` with `mode` (less the umask), failing
/// when one is there: SQLite makes the store in it as in a missing one.
fn create_empty(path: &Path, mode: u32) -> std::io::Result<File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)
}

/// Makes the empty file of a new store at `path` when none is there yet,
/// in this process's turn at `lock`: the `-wal` and `-shm` still beside
/// the path are removed first, with a warning. They are left of a store
/// file deleted (or moved away) while a process had it open, and SQLite
/// would take them for the new file's, failing with a disk I/O error;
/// no feedfold process makes a store's without its turn at the lock, once
/// the file is there.
fn make_store_file(path: &Path, lock: &File, mode: u32) -> Result<(), StoreError> {
    let _turn = WriterTurn::take(Some(lock), path)?;
    if exists(path) {
        return Ok(());
    }
    let mut removed = Vec::new();
    for (side, what) in side_files(path) {
        match std::fs::remove_file(&side) {
            Ok(()) => removed.push(format!("{} ({what})", side.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(file_error(
                    path,
                    format!(
                        "the store file is missing and {} ({what}) left of the deleted one cannot be removed",
                        side.display()
                    ),
                    &e,
                ));
            }
        }
    }
    if !removed.is_empty() {
        tracing::warn!(
            store = %path.display(),
            "the store file is missing but {} of a deleted one were still beside it: removed them, and a new store is made at the path",
            removed.join(" and ")
        );
    }
    // Whatever stops this is met again, and told, by SQLite.
    let _ = create_empty(path, mode);
    Ok(())
}

/// The lock file beside the store at `path`.
fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-lock");
    PathBuf::from(name)
}

/// Attaches the store's path to a SQLite error.
trait At<T> {
    fn at(self, path: &Path) -> Result<T, StoreError>;
}

impl<T> At<T> for rusqlite::Result<T> {
    fn at(self, path: &Path) -> Result<T, StoreError> {
        self.map_err(|e| {
            let store = path.display().to_string();
            // An error in SQL names its statement; the message alone keeps
            // the error to one line.
            let message = match &e {
                rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
                e => e.to_string(),
            };
            match e.sqlite_error_code() {
                Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                    StoreError::Busy { store, message }
                }
                // A folder that cannot be written gives "unable to open" on
                // a read-only mount or for a store not made yet.
                Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen) => StoreError::Backend {
                    store,
                    message: match read_only_cause(path) {
                        // SQLite's message ends with the path or the URI
                        // the file was opened by; the cause names the path.
                        Some(cause) => format!(
                            "{}: {cause}",
                            message.split(": ").next().unwrap_or(&message)
                        ),
                        None => message,
                    },
                },
                Some(ErrorCode::DiskFull) => StoreError::Full { store, message },
                // With no room for the -shm file, SQLite says "disk I/O error".
                Some(ErrorCode::SystemIoFailure) => match full_disk_cause(path) {
                    Some(cause) => StoreError::Full {
                        store,
                        message: format!("{message}: {cause}"),
                    },
                    None => StoreError::Backend {
                        message: format!("{message}: {}", io_failure_cause(path, &e)),
                        store,
                    },
                },
                _ => StoreError::Backend { store, message },
            }
        })
    }
}

/// What an I/O error SQLite gave at the store at `path` may come of, with
/// SQLite's extended code, which tells the read, write or lock that failed.
fn io_failure_cause(path: &Path, e: &rusqlite::Error) -> String {
    let code = e.sqlite_error().map_or(String::new(), |e| {
        format!(" (SQLite code {})", e.extended_code)
    });
    let [(wal, _), (shm, _)] = side_files(path);
    format!(
        "reading or writing the store file or {} and {} beside it failed{code}: check the disk, and that those files are this store's (ones left of a store file deleted or moved away while a process had it open are not)",
        wal.display(),
        shm.display()
    )
}

/// The folder of the store at `path`.
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    }
}

/// Why SQLite finds the store at `path` read-only or cannot open it, when
/// the file system tells: the store file cannot be read, or written, or
/// its folder cannot (by its permissions, or a read-only mount), where
/// SQLite keeps the store's `-wal` and `-shm` files.
fn read_only_cause(path: &Path) -> Option<String> {
    let folder = folder_of(path);
    let on_read_only_mount = |e: &std::io::Error| e.raw_os_error() == Some(libc::EROFS);
    match access_refused(path, libc::R_OK) {
        Some(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            return Some(format!(
                "{} is not readable by this user: {e}",
                path.display()
            ));
        }
        _ => {}
    }
    match access_refused(path, libc::W_OK) {
        Some(e) if e.kind() != std::io::ErrorKind::NotFound && !on_read_only_mount(&e) => {
            return Some(format!("{} is not writable", path.display()));
        }
        _ => {}
    }
    for (side, what) in side_files(path) {
        match access_refused(&side, libc::W_OK) {
            Some(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                return Some(format!("{} ({what}) is not writable", side.display()));
            }
            _ => {}
        }
    }
    let refused = access_refused(folder, libc::W_OK)?;
    Some(if on_read_only_mount(&refused) {
        format!(
            "its folder {} is not writable: a read-only file system (SQLite keeps the store's -wal and -shm files there; mount it read-write, or under systemd list it in ReadWritePaths=)",
            folder.display()
        )
    } else {
        format!(
            "its folder {} is not writable (SQLite keeps the store's -wal and -shm files there)",
            folder.display()
        )
    })
}

/// The store's `-wal` and `-shm` files beside `path`, with what each is.
fn side_files(path: &Path) -> [(PathBuf, &'static str); 2] {
    let beside = |suffix: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    [
        (beside("-wal"), "its write-ahead log"),
        (beside("-shm"), "its write-ahead log's index"),
    ]
}

/// Refuses to open the store at `path` to write when this process may not
/// write the file, before SQLite opens it: SQLite would open it to read
/// only, and make the `-wal` and `-shm` files beside it with the store's
/// mode, which would keep them read-only once the store is writable again.
/// A `-wal` or `-shm` file left read-only so beside a writable store is
/// given the store's mode, when this process owns it, and refused, named,
/// when not: SQLite would open the store to read only.
fn refuse_unwritable(path: &Path) -> Result<(), StoreError> {
    use std::os::unix::fs::PermissionsExt;
    let refused = |cause: String| StoreError::Backend {
        store: path.display().to_string(),
        message: format!("attempt to write a readonly database: {cause}"),
    };
    let denied = |file: &Path| {
        access_refused(file, libc::W_OK)
            .is_some_and(|e| e.kind() == std::io::ErrorKind::PermissionDenied)
    };
    if denied(path) {
        let cause =
            read_only_cause(path).unwrap_or_else(|| format!("{} is not writable", path.display()));
        return Err(refused(cause));
    }
    let Ok(store) = std::fs::metadata(path) else {
        return Ok(());
    };
    for (side, what) in side_files(path) {
        if side.exists() && denied(&side) {
            let mode = std::fs::Permissions::from_mode(store.permissions().mode() & 0o777);
            if std::fs::set_permissions(&side, mode).is_err() || denied(&side) {
                return Err(refused(format!(
                    "{} ({what}) is not writable: give it the store's owner and mode",
                    side.display()
                )));
            }
        }
    }
    Ok(())
}

/// Why this process may not read (`mode` `R_OK`) or write (`W_OK`)
/// `path`, as permissions and the mount tell (`access(2)`); `None` when it
/// may.
fn access_refused(path: &Path, mode: libc::c_int) -> Option<std::io::Error> {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c_path) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return Some(std::io::ErrorKind::InvalidInput.into());
    };
    // SAFETY: `c_path` is a NUL-terminated string that outlives the call.
    let refused = unsafe { libc::access(c_path.as_ptr(), mode) } != 0;
    refused.then(std::io::Error::last_os_error)
}

/// Room the store's folder needs for SQLite to open the store: its `-shm`
/// file (32 KiB) and a page or two of its `-wal`.
const ROOM_TO_OPEN: u64 = 64 * 1024;

/// Whether the disk of the store at `path` is full, when SQLite reports an
/// I/O error: it does when it cannot grow the store's `-shm` file.
fn full_disk_cause(path: &Path) -> Option<String> {
    use std::os::unix::ffi::OsStrExt;
    let folder = folder_of(path);
    let c_folder = std::ffi::CString::new(folder.as_os_str().as_bytes()).ok()?;
    let mut stats = std::mem::MaybeUninit::<libc::statvfs>::uninit();
    // SAFETY: `c_folder` is a NUL-terminated string that outlives the
    // call, and `stats` is written whole when it returns 0.
    if unsafe { libc::statvfs(c_folder.as_ptr(), stats.as_mut_ptr()) } != 0 {
        return None;
    }
    // SAFETY: statvfs returned 0, so it filled `stats` in.
    let stats = unsafe { stats.assume_init() };
    let free = stats.f_bavail.saturating_mul(stats.f_frsize);
    (free < ROOM_TO_OPEN).then(|| {
        format!(
            "the disk of its folder {} is full ({} KiB free; SQLite needs room there for the store's -wal and -shm files)",
            folder.display(),
            free / 1024
        )
    })
}

/// An error of a file beside the store at `path` (its lock): `doing`, then
/// the cause; a full disk is told as such.
fn file_error(path: &Path, doing: String, e: &std::io::Error) -> StoreError {
    let store = path.display().to_string();
    let message = format!("{doing}: {e}");
    if e.kind() == std::io::ErrorKind::StorageFull {
        StoreError::Full { store, message }
    } else {
        StoreError::Backend { store, message }
    }
}

/// A row of the store at `path`, belonging to `id`, that cannot be decoded.
fn corrupt(path: &Path, id: &str, message: String) -> StoreError {
    StoreError::Corrupt {
        store: path.display().to_string(),
        id: id.to_string(),
        message,
    }
}

fn from_json<T: serde::de::DeserializeOwned>(field: &str, text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| format!("bad {field}: {e}"))
}

/// Timestamps are stored as RFC 3339 in UTC with whole seconds, which sort
/// as text in time order.
fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn parse_timestamp(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|e| format!("bad date {text:?}: {e}"))
}

/// Whether SQLite gave up on a lock another connection holds.
fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// Runs `step` until it does not fail for a lock another process holds, or
/// `BUSY_TIMEOUT` has passed. SQLite's busy timeout covers ordinary writes,
/// but not every step of creating a database: switching a fresh file to WAL
/// while another process does the same, or reading a schema it is still
/// writing, fails at once instead of waiting.
fn wait_while_busy<T>(mut step: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let deadline = Instant::now() + BUSY_TIMEOUT;
    let mut pause = Duration::from_millis(5);
    loop {
        match step() {
            Err(e) if is_busy(&e) && Instant::now() < deadline => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(200));
            }
            result => return result,
        }
    }
}

impl SqliteStore {
    /// Runs `work` in one write transaction, in this process's turn to
    /// write: committed when it succeeds, rolled back when it fails.
    fn write<T>(
        &mut self,
        work: impl FnOnce(&Transaction, &Path) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let turn = self.writers.turn(&self.conn, &self.path)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .at(&self.path)?;
        let done = work(&tx, &self.path)?;
        turn.still_in_place()?;
        tx.commit().at(&self.path)?;
        Ok(done)
    }

    /// Opens (creating if needed) the store at `path` and brings its schema
    /// up to date; a new store file gets the permissions of any new file.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        SqliteStore::open_new_as(path, 0o666)
    }

    /// [`SqliteStore::open`], a new store file being made with `mode`
    /// (less the umask); SQLite makes its `-wal` and `-shm` files with the
    /// store's mode. A store that exists keeps its own.
    pub fn open_new_as(path: &Path, mode: u32) -> Result<SqliteStore, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|cause| StoreError::CreateDir {
                path: dir.to_path_buf(),
                cause,
            })?;
        }
        // Made in this process's turn to write, so that no other feedfold
        // process makes the store's -wal and -shm meanwhile. Whatever stops
        // this (a folder that may not be written) is met again, and told,
        // below; no lock file is made beside a file already there, which
        // may be another application's.
        if !exists(path) {
            match open_lock_file(path) {
                Ok(lock) => make_store_file(path, &lock, mode)?,
                Err(_) => drop(create_empty(path, mode)),
            }
        }
        refuse_unwritable(path)?;
        // Told apart by a connection of its own, closed before this
        // process waits for its turn below: one that waits holds nothing
        // open that would keep another from converting the store.
        refuse_foreign(&Connection::open(path).at(path)?, path)?;
        let writer_lock = open_lock_file(path)?;
        let conn = Connection::open(path).at(path)?;
        let file = StoreFile::at(path);
        SqliteStore::init(conn, path.to_path_buf(), Some(writer_lock), file)
    }

    /// Opens the store at `path` to read it only, for a user who may not
    /// write it (another user's store, a read-only mount): no lock file is
    /// made and nothing is converted, so a store of an older schema is
    /// refused, naming what to do.
    pub fn open_read_only(path: &Path) -> Result<SqliteStore, StoreError> {
        let store = SqliteStore {
            conn: read_only_connection(path)?,
            path: path.to_path_buf(),
            writers: WriterGate {
                lock: None,
                file: StoreFile::at(path),
            },
        };
        store.conn.busy_timeout(BUSY_TIMEOUT).at(path)?;
        store
            .conn
            .pragma_update(None, "cache_size", -PAGE_CACHE_KIB)
            .at(path)?;
        refuse_foreign(&store.conn, path)?;
        let version = schema_version(&store.conn, path)?;
        if version < MIGRATIONS.len() {
            return Err(StoreError::Backend {
                store: path.display().to_string(),
                message: format!(
                    "the store has schema version {version} and needs converting to {}, which only a user who may write it can do (`feedfold run` once)",
                    MIGRATIONS.len()
                ),
            });
        }
        Ok(store)
    }

    /// Whether the SQLite database at `path` holds nothing yet: no table
    /// or view and `user_version` 0, as another tool (`sqlite3`) leaves a
    /// database it made and never wrote; `feedfold run` makes the store in
    /// it. Read to read only. A file that cannot be read so is not told
    /// empty: opening it says why.
    pub fn holds_nothing(path: &Path) -> bool {
        read_only_connection(path)
            .ok()
            .and_then(|conn| wait_while_busy(|| blank(&conn)).ok())
            .unwrap_or(false)
    }

    /// Whether the file at `path` holds a feedfold store, told from the
    /// file alone: nothing is written to it or beside it, and a `-wal`
    /// and `-shm` beside it are left out of what is read (those of a store
    /// file moved away or deleted while a process had it open stay at the
    /// path, and SQLite would read them as this file's, and write them
    /// into it). `Ok(false)` while there is no store to tell by yet: no
    /// file, an empty one (a copy still to come) or a database that holds
    /// nothing yet (a store whose process has not yet folded its log into
    /// its file). A file that is no SQLite database is refused as opening
    /// it would be ("file is not a database"), one of another application
    /// is [`StoreError::Foreign`].
    pub fn holds_store(path: &Path) -> Result<bool, StoreError> {
        match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
            Ok(file) if file.len() == 0 => return Ok(false),
            _ => {}
        }
        let conn = reading_connection(path, true)?;
        refuse_foreign(&conn, path)?;
        Ok(!blank(&conn).at(path)?)
    }

    /// Whether this process may write the store at `path` and its lock
    /// file (made beside it when missing), as permissions and the mount
    /// tell (`access(2)`).
    pub fn writable(path: &Path) -> bool {
        use std::os::unix::ffi::OsStrExt;
        let may_write = |file: &Path| {
            std::ffi::CString::new(file.as_os_str().as_bytes()).is_ok_and(|name| {
                // SAFETY: access only reads the NUL-terminated name passed.
                unsafe { libc::access(name.as_ptr(), libc::W_OK) == 0 }
            })
        };
        let lock = lock_path(path);
        let beside = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        may_write(path)
            && if lock.exists() {
                may_write(&lock)
            } else {
                may_write(beside)
            }
    }

    /// A private store in memory, for tests.
    pub fn open_in_memory() -> Result<SqliteStore, StoreError> {
        let path = PathBuf::from(":memory:");
        let conn = Connection::open_in_memory().at(&path)?;
        SqliteStore::init(conn, path, None, None)
    }

    /// The store on `conn`, set up and converted to the schema this
    /// feedfold knows in this process's turn to write, taken before the
    /// store is first read: a process waiting for it holds the store in
    /// no way that would keep the one converting from being alone with it
    /// ([`SqliteStore::take_alone`]).
    fn init(
        conn: Connection,
        path: PathBuf,
        writer_lock: Option<File>,
        file: Option<StoreFile>,
    ) -> Result<SqliteStore, StoreError> {
        let store = SqliteStore {
            conn,
            path,
            writers: WriterGate {
                lock: writer_lock,
                file,
            },
        };
        let converted = {
            let _turn = WriterTurn::take(store.writers.lock.as_ref(), &store.path)?;
            store.configure()?;
            store.migrate()?
        };
        if converted > 0 {
            store.reclaim();
        }
        Ok(store)
    }

    fn configure(&self) -> Result<(), StoreError> {
        self.conn.busy_timeout(BUSY_TIMEOUT).at(&self.path)?;
        // Plans that never depend on the values bound: without it the
        // bundled SQLite marks lookups by a bound key to be prepared again
        // whenever the key changes, which parsed SQL three times an article.
        self.conn
            .set_db_config(
                rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
                true,
            )
            .at(&self.path)?;
        let mode: String = wait_while_busy(|| {
            self.conn
                .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
        })
        .at(&self.path)?;
        if mode != "wal" && mode != "memory" {
            tracing::warn!(store = %self.path.display(), mode, "store could not switch to WAL mode");
        }
        self.conn
            .pragma_update(None, "synchronous", "NORMAL")
            .at(&self.path)?;
        self.conn
            .pragma_update(None, "cache_size", -PAGE_CACHE_KIB)
            .at(&self.path)?;
        self.conn
            .pragma_update(None, "foreign_keys", true)
            .at(&self.path)?;
        near_index::register_functions(&self.conn).at(&self.path)
    }

    /// Runs the migrations the store lacks, in one `BEGIN IMMEDIATE`
    /// transaction taken while no other process has the store open
    /// ([`SqliteStore::take_alone`]); how many articles were moved into
    /// the compact tables. The caller holds the writer lock.
    fn migrate(&self) -> Result<usize, StoreError> {
        let found = schema_version(&self.conn, &self.path)?;
        if found == MIGRATIONS.len() {
            return Ok(0);
        }
        self.take_alone(found)?;
        let converted = match self.run_migrations() {
            Ok(converted) => self
                .conn
                .execute_batch("COMMIT")
                .at(&self.path)
                .map(|()| converted),
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        };
        self.share_again()?;
        converted
    }

    /// Begins the conversion's transaction with the store to this
    /// connection alone: in WAL mode a connection in `EXCLUSIVE` locking
    /// mode gets its lock only once no other process has the database
    /// open, even one doing nothing (an older `feedfold serve` between
    /// cycles), and keeps it until [`SqliteStore::share_again`], so no
    /// other process opens the store meanwhile. Refused
    /// ([`StoreError::OpenElsewhere`]) when another keeps it open past
    /// `ALONE_TIMEOUT`: code of the older schema would go on writing
    /// into the converted store.
    fn take_alone(&self, found: usize) -> Result<(), StoreError> {
        let path = &self.path;
        self.conn.busy_timeout(ALONE_TIMEOUT).at(path)?;
        self.conn
            .pragma_update(None, "locking_mode", "EXCLUSIVE")
            .at(path)?;
        let Err(e) = self.conn.execute_batch("BEGIN IMMEDIATE") else {
            return Ok(());
        };
        self.share_again()?;
        if is_busy(&e) {
            return Err(StoreError::OpenElsewhere {
                store: path.display().to_string(),
                found: found as i64,
                known: MIGRATIONS.len(),
            });
        }
        Err(e).at(path)
    }

    /// Lets other processes open the store again after
    /// [`SqliteStore::take_alone`]: the `EXCLUSIVE` locking mode ends at
    /// the next read.
    fn share_again(&self) -> Result<(), StoreError> {
        let path = &self.path;
        self.conn
            .pragma_update(None, "locking_mode", "NORMAL")
            .at(path)?;
        self.conn.busy_timeout(BUSY_TIMEOUT).at(path)?;
        wait_while_busy(|| {
            self.conn
                .query_row("PRAGMA user_version", [], |row| row.get::<_, i64>(0))
        })
        .at(path)
        .map(drop)
    }

    /// Gives the pages a conversion freed back to the file system. A store
    /// another process is reading stays as large until the next chance.
    fn reclaim(&self) {
        if let Err(e) = self.conn.execute_batch("VACUUM") {
            tracing::warn!(store = %self.path.display(), "the converted store keeps its free pages: {e}");
        }
    }

    fn run_migrations(&self) -> Result<usize, StoreError> {
        let path = &self.path;
        let version = schema_version(&self.conn, path)?;
        let mut converted = 0;
        for (done, migration) in MIGRATIONS.iter().enumerate().skip(version) {
            self.conn.execute_batch(migration).at(path)?;
            if done + 1 == COMPACT_MIGRATION {
                converted = compact::convert(&self.conn, path)?;
                if converted > 0 {
                    tracing::info!(store = %path.display(), converted, "articles moved into the compact tables");
                }
            }
            if REKEY_MIGRATIONS.contains(&(done + 1)) {
                let k = near_index::index_distance(&self.conn, path)?;
                if version > 0 {
                    tracing::info!(store = %path.display(), "filing the near-duplicate index afresh");
                }
                near_index::rekey(&self.conn, path, k)?;
            }
            if done + 1 == UNMERGE_MIGRATION {
                let forgotten = unmerge::forget_unrecorded_merges(&self.conn, path)?;
                if forgotten > 0 {
                    tracing::info!(store = %path.display(), forgotten, "upstream entries an earlier feedfold merged without a record are to be seen again");
                }
            }
            self.conn
                .pragma_update(None, "user_version", (done + 1) as i64)
                .at(path)?;
        }
        if version > 0 && version < MIGRATIONS.len() {
            tracing::info!(store = %path.display(), from = version, to = MIGRATIONS.len(), "the store converted to this feedfold's schema");
        }
        Ok(converted)
    }

    /// The path the store lives at.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Store for SqliteStore {
    fn begin<'a>(&'a mut self, source: &str) -> Result<Box<dyn SourceWriter + 'a>, StoreError> {
        let turn = self.writers.turn(&self.conn, &self.path)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .at(&self.path)?;
        Ok(Box::new(SqliteWriter::new(tx, turn, source, &self.path)?))
    }

    fn rename_source(
        &mut self,
        old: &str,
        new: &str,
    ) -> Result<super::SourceHoldings, super::RenameError> {
        // A refused rename writes nothing before it is refused: its
        // transaction commits nothing.
        self.write(|tx, path| rename::rename(tx, path, old, new))?
    }

    fn rekey_near_index(&mut self, k: u32) -> Result<bool, StoreError> {
        self.write(|tx, path| {
            let current = near_index::index_distance(tx, path)?;
            if current == k {
                return Ok(false);
            }
            tracing::info!(
                store = %path.display(),
                from = current,
                to = k,
                "re-keying the near-duplicate index for the new max_distance"
            );
            near_index::rekey(tx, path, k)?;
            Ok(true)
        })
    }

    fn fetch_state(
        &mut self,
        source: &str,
    ) -> Result<crate::ingest::fetch_state::FetchState, StoreError> {
        fetch_state::get(&self.conn, &self.path, source)
    }

    fn put_fetch_state(
        &mut self,
        source: &str,
        state: &crate::ingest::fetch_state::FetchState,
    ) -> Result<(), StoreError> {
        let _turn = self.writers.turn(&self.conn, &self.path)?;
        rename::refuse_former(&self.conn, &self.path, source)?;
        fetch_state::put(&self.conn, &self.path, source, state)
    }

    fn document_validators(
        &mut self,
        source: &str,
    ) -> Result<crate::ingest::fetch_state::DocumentValidators, StoreError> {
        fetch_state::documents(&self.conn, &self.path, source)
    }

    fn clear_fetch_state(&mut self, source: &str) -> Result<bool, StoreError> {
        let _turn = self.writers.turn(&self.conn, &self.path)?;
        fetch_state::clear(&self.conn, &self.path, source)
    }

    fn identity(&mut self) -> Result<Option<String>, StoreError> {
        Ok(None)
    }

    fn fetched_sources(&mut self) -> Result<Vec<String>, StoreError> {
        fetch_state::sources(&self.conn, &self.path)
    }

    fn renamed_sources(&mut self) -> Result<Vec<(String, String)>, StoreError> {
        rename::all(&self.conn, &self.path)
    }

    fn held_source_names(&mut self) -> Result<Vec<String>, StoreError> {
        rename::held_names(&self.conn, &self.path)
    }

    fn pages_seen(
        &mut self,
        source: &str,
        urls: &[String],
    ) -> Result<std::collections::HashMap<String, crate::ingest::source::PageVersion>, StoreError>
    {
        pages::seen(&self.conn, &self.path, source, urls)
    }

    fn feed_page(
        &mut self,
        sources: Option<&[String]>,
        since: Option<DateTime<Utc>>,
        after: Option<crate::store::FeedPosition>,
        limit: usize,
    ) -> Result<Vec<(crate::model::StoredArticle, crate::store::FeedPosition)>, StoreError> {
        read::feed_page(&self.conn, &self.path, sources, since, after, limit)
    }

    fn position_of(&mut self, id: &str) -> Result<Option<crate::store::FeedPosition>, StoreError> {
        read::position_of(&self.conn, &self.path, id)
    }

    fn place_of_cursor(
        &mut self,
        cursor: &crate::store::FeedCursor,
    ) -> Result<Option<crate::store::FeedPosition>, StoreError> {
        read::place_of_cursor(&self.conn, &self.path, cursor)
    }

    fn merged_into(&mut self, id: &str) -> Result<Option<String>, StoreError> {
        read::merged_into(&self.conn, &self.path, id)
    }

    fn article(&mut self, id: &str) -> Result<Option<crate::model::StoredArticle>, StoreError> {
        read::article(&self.conn, &self.path, id)
    }

    fn article_count(&mut self) -> Result<u64, StoreError> {
        read::article_count(&self.conn, &self.path)
    }

    fn sightings(&mut self, id: &str) -> Result<Vec<super::Sighting>, StoreError> {
        read::sightings(&self.conn, &self.path, id)
    }

    fn folds(
        &mut self,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<super::FoldedCopy>, StoreError> {
        read::folds(&self.conn, &self.path, since)
    }

    fn article_page(
        &mut self,
        start: super::PageStart,
        limit: usize,
    ) -> Result<Option<super::ArticlePage>, StoreError> {
        let mut pages = read::Pages {
            conn: &self.conn,
            path: &self.path,
        };
        super::page::article_page(&mut pages, start, limit)
    }

    fn record_cycles(&mut self, cycles: &[super::SourceCycle]) -> Result<(), StoreError> {
        self.write(|tx, path| {
            cycles.iter().try_for_each(|cycle| {
                // A process that read a config from before a rename keeps
                // nothing under the old name.
                if rename::is_former(tx, path, &cycle.source)? {
                    return Ok(());
                }
                cycles::record(tx, path, cycle)
            })
        })
    }

    fn cycles(&mut self) -> Result<Vec<super::SourceCycle>, StoreError> {
        cycles::all(&self.conn, &self.path)
    }

    fn record_publications(
        &mut self,
        publications: &[super::FeedPublication],
    ) -> Result<(), StoreError> {
        self.write(|tx, path| {
            publications
                .iter()
                .try_for_each(|publication| cycles::record_publication(tx, path, publication))
        })
    }

    fn publications(&mut self) -> Result<Vec<super::FeedPublication>, StoreError> {
        cycles::publications(&self.conn, &self.path)
    }

    fn forget_kept_newest(&mut self) -> Result<(), StoreError> {
        self.write(|tx, path| {
            tx.execute_batch(
                "DELETE FROM source_cycle; DELETE FROM site_paragraphs; DELETE FROM site_pages;",
            )
            .at(path)
        })
    }

    fn article_ids(
        &mut self,
        batch: &mut dyn FnMut(Vec<String>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        transfer::article_ids(&self.conn, &self.path, batch)
    }

    fn export(
        &mut self,
        batch: &mut dyn FnMut(Vec<super::Record>) -> Result<(), StoreError>,
    ) -> Result<super::Counts, StoreError> {
        transfer::export(&self.conn, &self.path, batch)
    }

    fn import(&mut self, records: &[super::Record]) -> Result<(), StoreError> {
        let _turn = self.writers.turn(&self.conn, &self.path)?;
        transfer::import(&self.conn, &self.path, records)
    }

    fn counts(&mut self) -> Result<super::Counts, StoreError> {
        transfer::counts(&self.conn, &self.path)
    }

    fn label(&self) -> String {
        self.path.display().to_string()
    }

    fn store_file(&self) -> Option<StoreFile> {
        self.writers.file.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::{CANDIDATES_PER_KEY, NearPrints};
    use crate::store::FetchState;

    #[test]
    fn file_store_uses_wal_and_schema_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/feedfold.db");
        let store = SqliteStore::open(&path).unwrap();
        let mode: String = store
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let version: i64 = store
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version as usize, MIGRATIONS.len());
        let cache: i64 = store
            .conn
            .query_row("PRAGMA cache_size", [], |r| r.get(0))
            .unwrap();
        assert_eq!(cache, -PAGE_CACHE_KIB);
        drop(store);
        SqliteStore::open(&path).expect("reopening an up-to-date store works");
    }

    #[test]
    fn what_is_at_a_store_path_is_told_by_the_file_alone_and_left_as_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feedfold.db");
        let moved = dir.path().join("moved.db");
        // Held open, as a server holds it: its -wal and -shm stay at the
        // path once it is moved away.
        let store = SqliteStore::open(&path).unwrap();
        std::fs::rename(&path, &moved).unwrap();
        assert!(!SqliteStore::holds_store(&path).unwrap(), "no file yet");
        std::fs::File::create(&path).unwrap();
        assert!(!SqliteStore::holds_store(&path).unwrap(), "empty: not yet");
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);

        let notes = b"Notes saved at the wrong path.\n";
        std::fs::write(&path, notes).unwrap();
        let refused = SqliteStore::holds_store(&path).unwrap_err().to_string();
        assert!(refused.contains("file is not a database"), "{refused}");
        assert_eq!(std::fs::read(&path).unwrap(), notes);

        let other = dir.path().join("other.db");
        let made = |statement: &str| {
            let _ = std::fs::remove_file(&other);
            let conn = Connection::open(&other).unwrap();
            conn.execute_batch(statement).unwrap();
            drop(conn);
            std::fs::rename(&other, &path).unwrap();
            std::fs::read(&path).unwrap()
        };
        let foreign = made("CREATE TABLE notes (line TEXT)");
        let refused = SqliteStore::holds_store(&path).unwrap_err();
        assert!(matches!(refused, StoreError::Foreign { .. }), "{refused}");
        assert_eq!(std::fs::read(&path).unwrap(), foreign);
        let blank = made("PRAGMA user_version = 0");
        assert!(!SqliteStore::holds_store(&path).unwrap(), "blank: not yet");
        assert_eq!(std::fs::read(&path).unwrap(), blank);

        // The store folded its log into its file, as one closed has.
        store
            .conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .unwrap();
        std::fs::rename(&moved, &path).unwrap();
        assert!(SqliteStore::holds_store(&path).unwrap());
        drop(store);
    }

    /// Deletes the store file at `path` with its `-wal` and `-shm`.
    fn delete_store_files(path: &Path) {
        for suffix in ["", "-wal", "-shm"] {
            let mut file = path.as_os_str().to_owned();
            file.push(suffix);
            let _ = std::fs::remove_file(file);
        }
    }

    #[test]
    fn nothing_is_written_to_a_store_file_deleted_or_replaced_under_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feedfold.db");
        let mut store = SqliteStore::open(&path).unwrap();
        store.begin("north").unwrap().commit(&Utc::now).unwrap();
        assert!(store.check_in_place().is_ok());
        delete_store_files(&path);
        let deleted = store
            .begin("north")
            .err()
            .expect("a deleted store is refused");
        assert!(matches!(deleted, StoreError::Deleted { .. }), "{deleted}");
        assert!(matches!(
            store.record_cycles(&[]),
            Err(StoreError::Deleted { .. })
        ));
        assert!(matches!(
            store.check_in_place(),
            Err(StoreError::Deleted { .. })
        ));
        assert!(!path.exists(), "nothing made a store at the path again");
        // Another process makes a new store at the path.
        let mut made = SqliteStore::open(&path).unwrap();
        made.begin("south").unwrap().commit(&Utc::now).unwrap();
        let replaced = store
            .begin("north")
            .err()
            .expect("a replaced store is refused");
        assert!(
            matches!(replaced, StoreError::Replaced { .. }),
            "{replaced}"
        );
        assert!(made.check_in_place().is_ok());
    }

    #[test]
    fn a_transaction_whose_store_file_is_deleted_before_it_commits_commits_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feedfold.db");
        let mut store = SqliteStore::open(&path).unwrap();
        let writer = store.begin("north").unwrap();
        delete_store_files(&path);
        let refused = writer.commit(&Utc::now).unwrap_err();
        assert!(matches!(refused, StoreError::Deleted { .. }), "{refused}");
    }

    #[test]
    fn a_store_file_deleted_while_held_open_is_made_anew_without_its_stale_wal_and_shm() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feedfold.db");
        // Held open, as a server holds it, with writes still in its log.
        let mut held = SqliteStore::open(&path).unwrap();
        held.begin("north").unwrap().commit(&Utc::now).unwrap();
        let [(wal, _), (shm, _)] = side_files(&path);
        let stale = |file: &Path| std::fs::metadata(file).unwrap().ino();
        let (stale_wal, stale_shm) = (stale(&wal), stale(&shm));
        assert!(
            std::fs::metadata(&wal).unwrap().len() > 0,
            "frames in its log"
        );
        // Only the store file is deleted: its -wal and -shm stay.
        std::fs::remove_file(&path).unwrap();

        let mut made = SqliteStore::open(&path).expect("a new store is made");
        made.begin("south").unwrap().commit(&Utc::now).unwrap();
        let ok: String = made
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
        assert_ne!(stale(&wal), stale_wal, "the stale -wal was removed");
        assert_ne!(stale(&shm), stale_shm, "the stale -shm was removed");
        assert!(made.check_in_place().is_ok());
        assert!(matches!(
            held.begin("north").err(),
            Some(StoreError::Replaced { .. })
        ));
        drop(held);
        drop(made);
        // What the held store's process left at closing belongs to no
        // store: the new one opens as it was left.
        let reopened = SqliteStore::open(&path).unwrap();
        let ok: String = reopened
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
    }

    #[test]
    fn stale_wal_and_shm_are_removed_only_while_no_store_file_is_at_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feedfold.db");
        let [(wal, _), (shm, _)] = side_files(&path);
        std::fs::write(&wal, b"stale log").unwrap();
        std::fs::write(&shm, b"stale index").unwrap();
        std::fs::write(&path, b"").unwrap();
        let lock = open_lock_file(&path).unwrap();
        make_store_file(&path, &lock, 0o644).unwrap();
        assert!(
            wal.exists() && shm.exists(),
            "a file at the path keeps them"
        );
        std::fs::remove_file(&path).unwrap();
        make_store_file(&path, &lock, 0o644).unwrap();
        assert!(!wal.exists() && !shm.exists(), "removed");
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 0, "made empty");
        make_store_file(&path, &lock, 0o644).expect("nothing to remove");
    }
    #[test]
    fn a_second_writer_waits_its_turn_at_the_lock_file_and_then_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feedfold.db");
        let mut first = SqliteStore::open(&path).unwrap();
        assert!(lock_path(&path).is_file());
        let writer = first.begin("north").unwrap();
        let (began, told) = std::sync::mpsc::channel();
        let second = std::thread::spawn({
            let path = path.clone();
            move || {
                let mut store = SqliteStore::open(&path).unwrap();
                let writer = store.begin("south").unwrap();
                began.send(()).unwrap();
                writer.commit(&Utc::now).unwrap();
            }
        });
        assert!(
            told.recv_timeout(Duration::from_millis(300)).is_err(),
            "the second writer began while the first held the store"
        );
        writer.commit(&Utc::now).unwrap();
        told.recv_timeout(Duration::from_secs(20))
            .expect("the second writer began once the first committed");
        second.join().unwrap();
    }

    #[test]
    fn a_new_store_is_made_with_the_mode_asked_for_and_an_old_one_keeps_its_own() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        let path = dir.path().join("private.db");
        let store = SqliteStore::open_new_as(&path, 0o600).unwrap();
        assert_eq!(mode(&path), 0o600);
        let wal = dir.path().join("private.db-wal");
        assert_eq!(mode(&wal), 0o600, "SQLite makes the -wal as the store");
        drop(store);
        let old = dir.path().join("old.db");
        drop(SqliteStore::open(&old).unwrap());
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o640)).unwrap();
        drop(SqliteStore::open_new_as(&old, 0o600).unwrap());
        assert_eq!(mode(&old), 0o640);
    }

    #[test]
    fn opening_waits_for_a_process_that_is_creating_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fresh.db");
        // Another process has just created the file and holds its write
        // lock while it writes the schema, before switching it to WAL.
        let creating = Connection::open(&path).unwrap();
        creating
            .execute_batch("BEGIN IMMEDIATE; CREATE TABLE elsewhere (x);")
            .unwrap();
        let finisher = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            creating.execute_batch("COMMIT").unwrap();
        });
        let started = Instant::now();
        let store = SqliteStore::open(&path);
        finisher.join().unwrap();
        let store = store.expect("opening waits instead of failing");
        assert!(started.elapsed() >= Duration::from_millis(250));
        let mode: String = store
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn migrations_run_from_any_earlier_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(MIGRATIONS[0]).unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        let tables: i64 = store
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'fetch_state'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(tables, 1);
    }

    #[test]
    fn a_store_left_at_any_schema_version_opens_and_is_brought_up_to_date() {
        let dir = tempfile::tempdir().unwrap();
        for version in 1..=MIGRATIONS.len() {
            let path = dir.path().join(format!("v{version}.db"));
            drop(store_at_version(&path, version));
            let store =
                SqliteStore::open(&path).unwrap_or_else(|e| panic!("version {version}: {e}"));
            let now: i64 = store
                .conn
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .unwrap();
            assert_eq!(now as usize, MIGRATIONS.len(), "version {version}");
        }
    }

    #[test]
    fn a_store_from_before_the_window_keeps_each_sites_newest_pages() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pages.db");
        drop(SqliteStore::open(&path).unwrap());
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(
                "DROP INDEX site_pages_by_site; DROP INDEX site_paragraphs_by_page;
                 ALTER TABLE upstream_key DROP COLUMN version; ALTER TABLE article DROP COLUMN changed;
                 ALTER TABLE article DROP COLUMN stored;
                 DROP VIEW sighting; ALTER TABLE sighting_settled DROP COLUMN stored;
                 ALTER TABLE sighting_pending DROP COLUMN stored;
                 DROP TABLE feed_publication; DROP TABLE document_validators;
                 DROP TABLE source_former_name; ALTER TABLE fetch_state DROP COLUMN read_began;
                 ALTER TABLE seen_pages DROP COLUMN etag;
                 ALTER TABLE seen_pages DROP COLUMN last_modified;
                 DROP TABLE merged_article;
                 CREATE VIEW sighting AS
                     SELECT article, place, line, first_seen, arrival FROM sighting_settled
                     UNION ALL SELECT article, place, line, first_seen, arrival FROM sighting_pending;
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1002)
                 INSERT INTO site_pages (site, page) SELECT 'a', 'page ' || i FROM n;
                 INSERT INTO site_pages (site, page) VALUES ('b', 'one'), ('b', 'two');
                 INSERT INTO site_paragraphs (site, key, page_id) SELECT site, x'01', id FROM site_pages;",
            )
            .unwrap();
            conn.pragma_update(None, "user_version", 12).unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        let count = |sql: &str| -> i64 { store.conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        assert_eq!(
            count("SELECT count(*) FROM site_pages WHERE site = 'a'"),
            crate::store::SITE_PAGES_KEPT as i64,
            "the migration keeps as many as a store counts"
        );
        assert_eq!(
            count(
                "SELECT count(*) FROM site_pages WHERE site = 'a' AND page IN ('page 1', 'page 2')"
            ),
            0
        );
        assert_eq!(count("SELECT count(*) FROM site_pages WHERE site = 'b'"), 2);
        assert_eq!(
            count("SELECT count(*) FROM site_paragraphs"),
            crate::store::SITE_PAGES_KEPT as i64 + 2
        );
    }

    /// A store at `path` as feedfold left it at schema `version`.
    fn store_at_version(path: &Path, version: usize) -> Connection {
        let conn = Connection::open(path).unwrap();
        for migration in &MIGRATIONS[..version] {
            conn.execute_batch(migration).unwrap();
        }
        conn.pragma_update(None, "user_version", version as i64)
            .unwrap();
        conn
    }

    /// Stores article number 1, id `old`, in a store of the compact
    /// schema (version 6 on).
    fn store_old_article(conn: &Connection) {
        let article = crate::model::Article::default();
        conn.execute(
            "INSERT INTO article (seq, id, published, updated, first_seen, content, prints, keys) \
             VALUES (1, ?, 100, 100, 90, ?, ?, x'')",
            rusqlite::params![
                crate::store::codec::pack_id("old"),
                crate::store::codec::pack_content(&crate::store::codec::ContentRef::of_article(
                    &article
                )),
                crate::store::codec::pack_prints(
                    &NearPrints::of(&crate::model::Article::default())
                )
            ],
        )
        .unwrap();
    }

    #[test]
    fn a_store_a_newer_feedfold_converted_while_it_was_open_is_written_no_more() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("open.db");
        let mut store = SqliteStore::open(&path).unwrap();
        let newer = MIGRATIONS.len() as i64 + 1;
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", newer)
            .unwrap();
        let converted = |e: StoreError| {
            assert!(
                matches!(e, StoreError::ConvertedWhileOpen { found, .. } if found == newer),
                "{e}"
            );
        };
        converted(store.begin("s").err().unwrap());
        converted(
            store
                .put_fetch_state("s", &FetchState::default())
                .unwrap_err(),
        );
        converted(store.clear_fetch_state("s").unwrap_err());
    }

    #[test]
    fn converting_is_refused_while_another_connection_has_the_store_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v23.db");
        drop(store_at_version(&path, 23));
        // An older feedfold's server, doing nothing but keeping it open.
        let older = Connection::open(&path).unwrap();
        let mode: String = older
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let articles: i64 = older
            .query_row("SELECT count(*) FROM article", [], |r| r.get(0))
            .unwrap();
        assert_eq!(articles, 0);
        let refused = SqliteStore::open(&path).err().expect("refused");
        assert!(
            matches!(refused, StoreError::OpenElsewhere { found: 23, .. }),
            "{refused}"
        );
        let version: i64 = older
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, 23, "nothing converted");
        drop(older);
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(
            schema_version(&store.conn, &path).unwrap(),
            MIGRATIONS.len()
        );
        // Converted, the store is open to others again.
        let other = Connection::open(&path).unwrap();
        other.busy_timeout(Duration::from_secs(1)).unwrap();
        other
            .execute_batch("BEGIN IMMEDIATE; DELETE FROM fetch_state; COMMIT;")
            .unwrap();
    }

    #[test]
    fn an_article_stored_undated_before_its_record_told_so_is_marked_undated() {
        use crate::store::packed_prints::{pack_before_figures, pack_before_lead};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v23.db");
        let article = crate::model::Article {
            title: "Harbour Vote Passes".into(),
            body: vec![crate::model::Block::paragraph(
                "The harbour board voted on Monday to approve the northern quay.",
            )],
            published: DateTime::from_timestamp(500, 0),
            ..Default::default()
        };
        let prints = NearPrints::of(&article);
        {
            let conn = store_at_version(&path, 23);
            let insert = |seq: i64, published: i64, first_seen: i64, record: Vec<u8>| {
                conn.execute(
                    "INSERT INTO article (seq, id, published, updated, first_seen, content, prints, keys) \
                     VALUES (?1, ?2, ?3, ?3, ?4, x'', ?5, x'')",
                    rusqlite::params![
                        seq,
                        crate::store::codec::pack_id(&format!("a{seq}")),
                        published,
                        first_seen,
                        record
                    ],
                )
                .unwrap();
            };
            // Dated by the store when first seen, in the format that did not tell.
            insert(1, 1_000, 1_000, pack_before_lead(&prints));
            // Dated by its source.
            insert(2, 500, 1_000, pack_before_lead(&prints));
            // A later format tells a dated article, whatever its dates.
            insert(3, 1_000, 1_000, pack_before_figures(&prints));
        }
        let store = SqliteStore::open(&path).unwrap();
        let undated = |seq: i64| -> bool {
            let record: Vec<u8> = store
                .conn
                .query_row("SELECT prints FROM article WHERE seq = ?", [seq], |r| {
                    r.get(0)
                })
                .unwrap();
            crate::store::codec::unpack_prints(&record, 0, 0)
                .unwrap()
                .undated
        };
        assert!(undated(1));
        assert!(!undated(2));
        assert!(!undated(3));
    }

    #[test]
    fn stories_stored_before_openings_were_filed_are_filed_under_theirs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v25.db");
        let article = crate::model::Article {
            title: "Harbour Vote Passes".into(),
            body: vec![crate::model::Block::paragraph(
                "The harbour board voted on Monday to approve the northern quay, ending a \
                 dispute with the fishing cooperatives that had stalled the project for a year.",
            )],
            ..Default::default()
        };
        let prints = NearPrints::of(&article);
        let opening = prints
            .index_keys(3)
            .into_iter()
            .find(|key| key.family == crate::dedup::KeyFamily::Opening)
            .map(|key| crate::store::codec::near_key(&key))
            .expect("a lead of twelve words or more");
        {
            let conn = store_at_version(&path, 25);
            conn.execute(
                "INSERT INTO article (seq, id, published, updated, first_seen, content, prints, keys) \
                 VALUES (1, ?, 100, 100, 100, x'', ?, x'')",
                rusqlite::params![
                    crate::store::codec::pack_id("harbour"),
                    crate::store::codec::pack_prints(&prints)
                ],
            )
            .unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        let filed: i64 = store
            .conn
            .query_row(
                "SELECT count(*) FROM near_key WHERE key = ? AND article = 1",
                [opening],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(filed, 1, "the opening is filed for the stored story");
    }

    #[test]
    fn articles_stored_before_near_folding_get_their_prints() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v2.db");
        let body = r#"[{"kind":"paragraph","text":"Volunteers counted more than four hundred wading birds on the Ashby marshes at the weekend, the highest winter total since records began in 1987, and organisers said mild weather had drawn flocks back."}]"#;
        {
            let conn = store_at_version(&path, 2);
            conn.execute(
                "INSERT INTO articles (id, title, published, updated, first_seen, captions, body, authors, categories) \
                 VALUES ('old', 'Record Count of Wading Birds', '2026-01-05T09:00:00Z', '2026-01-05T09:00:00Z', \
                 '2026-01-05T09:40:00Z', '[]', ?, '[]', '[]')",
                [body],
            )
            .unwrap();
        }
        let mut store = SqliteStore::open(&path).unwrap();
        let stored = store.article("old").unwrap().unwrap();
        let prints = NearPrints::of_stored(&stored);
        let mut writer = store.begin("s").unwrap();
        let candidates = writer.near_candidates(&prints, CANDIDATES_PER_KEY).unwrap();
        assert_eq!(candidates.len(), 1);
        assert_eq!(candidates[0].id, "old");
        assert_eq!(candidates[0].prints, prints.as_stored());
        drop(writer);
        let (kept, published, updated): (Vec<u8>, i64, i64) = store
            .conn
            .query_row(
                "SELECT prints, published, updated FROM article WHERE id = ?",
                [crate::store::codec::pack_id("old")],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(
            crate::store::codec::unpack_prints(&kept, published, updated).unwrap(),
            prints.as_stored()
        );
        let old_tables: i64 = store
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name IN ('articles', 'near_prints', 'near_keys')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(old_tables, 0, "the earlier tables are dropped");
    }

    #[test]
    fn sightings_stored_before_arrival_was_kept_are_numbered_in_their_likely_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v6.db");
        {
            let conn = store_at_version(&path, 6);
            store_old_article(&conn);
            // Seen in c.txt, then in b.txt and a.txt in the same second; the
            // copy in a.txt was folded into it.
            conn.execute_batch(
                "INSERT INTO place (id, source, location) VALUES (1, 'b', 'b.txt'), (2, 'a', 'a.txt'), (3, 'c', 'c.txt');
                 INSERT INTO sighting (article, place, line, first_seen) VALUES (1, 2, 1, 100), (1, 1, 1, 100), (1, 3, 1, 90);
                 INSERT INTO fold (article, place, line, copy_id, copy_title, rule, folded_at) VALUES (1, 2, 1, x'00', 'T', 'exact', 100);",
            )
            .unwrap();
        }
        let mut store = SqliteStore::open(&path).unwrap();
        let sources: Vec<String> = store
            .sightings("old")
            .unwrap()
            .into_iter()
            .map(|s| s.source)
            .collect();
        assert_eq!(sources, ["c", "b", "a"]);
    }

    #[test]
    fn folds_stored_before_a_place_kept_each_copy_stay_and_take_other_copies() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v13.db");
        let pack = crate::store::codec::pack_id;
        {
            let conn = store_at_version(&path, 13);
            store_old_article(&conn);
            conn.execute(
                "INSERT INTO fold (id, article, place, line, copy_id, copy_title, rule, folded_at) \
                 VALUES (5, 1, 1, 1, ?, 'T', 'exact', 100)",
                [pack("first")],
            )
            .unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        let fold = |copy: &str| {
            store
                .conn
                .execute(
                    "INSERT OR IGNORE INTO fold (article, place, line, copy_id, copy_title, rule, folded_at) \
                     VALUES (1, 1, 2, ?, 'T', 'exact', 200)",
                    [pack(copy)],
                )
                .unwrap()
        };
        assert_eq!(fold("first"), 0, "the same copy from the same place");
        assert_eq!(fold("second"), 1, "another copy from the same place");
        let ids: Vec<i64> = store
            .conn
            .prepare("SELECT id FROM fold ORDER BY folded_at, id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(ids, [5, 6], "the stored fold keeps its number");
    }

    #[test]
    fn entries_stored_before_versions_were_kept_are_told_by_their_text_until_seen_again() {
        use crate::dedup::{Decision, Exact, Fingerprints};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v14.db");
        let mut entry = crate::model::Article {
            title: "Harbour dues rise".into(),
            body: vec![crate::model::Block::paragraph("Boat owners pay more.")],
            upstream_id: Some("g-1".into()),
            upstream_key: Some("g-1".into()),
            link: Some("https://gazette.example/dues".into()),
            ..Default::default()
        };
        let own = crate::dedup::fingerprint::entry_id("wire", "g-1");
        {
            let conn = store_at_version(&path, 14);
            store_old_article(&conn);
            // The article is the entry's own: stored under its id.
            conn.execute(
                "UPDATE article SET id = ? WHERE seq = 1",
                [crate::store::codec::pack_id(&own)],
            )
            .unwrap();
            let content_key = *Fingerprints::of(&entry, "wire").content_key();
            conn.execute(
                "INSERT INTO upstream_key (source, key, article, content_key) VALUES ('wire', 'g-1', 1, ?)",
                [&content_key[..]],
            )
            .unwrap();
        }
        let mut store = SqliteStore::open(&path).unwrap();
        let mut fold = |entry: &crate::model::Article| {
            let mut writer = store.begin("wire").unwrap();
            let folded =
                crate::pipeline::fold_article(&mut *writer, "wire", entry, None, Utc::now())
                    .unwrap();
            writer.commit(&Utc::now).unwrap();
            folded.decision
        };
        entry.link = Some("https://gazette.example/harbour-dues".into());
        let repeat = Decision::Repeat {
            id: own.clone(),
            by: Exact::Entry,
        };
        assert_eq!(fold(&entry), repeat, "the same text: no update on upgrade");
        assert_eq!(fold(&entry), repeat);
        entry.authors = vec!["Ines Moreau".into()];
        assert_eq!(fold(&entry), Decision::Update { id: own });
    }

    #[test]
    fn a_store_opened_to_read_only_reads_and_makes_no_lock_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feedfold.db");
        let mut store = SqliteStore::open(&path).unwrap();
        store
            .put_fetch_state("wire", &FetchState::default())
            .unwrap();
        drop(store);
        std::fs::remove_file(lock_path(&path)).unwrap();
        assert!(SqliteStore::writable(&path));
        let mut reader = SqliteStore::open_read_only(&path).unwrap();
        assert_eq!(reader.article_count().unwrap(), 0);
        assert!(reader.fetch_state("wire").is_ok());
        assert!(!lock_path(&path).exists());
        let refused = reader.put_fetch_state("wire", &FetchState::default());
        assert!(refused.unwrap_err().to_string().contains("readonly"));
        // A store that needs converting is not converted by a reader.
        let old = dir.path().join("old.db");
        drop(store_at_version(&old, 3));
        let err = SqliteStore::open_read_only(&old).err().unwrap().to_string();
        assert!(err.contains("needs converting"), "{err}");
    }

    /// A SQLite file of another application, holding `table`, at
    /// `user_version` `version` (many applications set one).
    fn foreign_database(path: &Path, table: &str, version: i64) -> Vec<u8> {
        let conn = Connection::open(path).unwrap();
        conn.execute_batch(&format!(
            "CREATE TABLE {table} (id INTEGER PRIMARY KEY, title TEXT); \
             INSERT INTO {table} VALUES (1, 'kept');"
        ))
        .unwrap();
        conn.pragma_update(None, "user_version", version).unwrap();
        drop(conn);
        std::fs::read(path).unwrap()
    }

    #[test]
    fn a_database_of_another_application_is_refused_and_left_as_it_is() {
        let dir = tempfile::tempdir().unwrap();
        // `article`, `articles` and `fetch_state` clash with tables of
        // feedfold's schema; the versions with some of feedfold's.
        for (table, version) in [
            ("invoices", 0),
            ("article", 0),
            ("notes", 5),
            ("articles", 1),
            ("article", MIGRATIONS.len() as i64),
            ("fetch_state", 3),
            ("notes", 99),
            ("notes", 20_240_101),
        ] {
            let path = dir.path().join(format!("{table}-{version}.db"));
            let before = foreign_database(&path, table, version);
            for err in [
                SqliteStore::open(&path).err().unwrap().to_string(),
                SqliteStore::open_read_only(&path)
                    .err()
                    .unwrap()
                    .to_string(),
            ] {
                assert!(err.contains("is not a feedfold store"), "{err}");
                assert!(err.contains(&format!("{table}-{version}.db")), "{err}");
                assert_eq!(err.lines().count(), 1, "{err}");
            }
            assert_eq!(std::fs::read(&path).unwrap(), before, "{table} {version}");
            assert!(!lock_path(&path).exists());
        }
        // An empty file is a store not made yet.
        let empty = dir.path().join("empty.db");
        std::fs::write(&empty, b"").unwrap();
        SqliteStore::open(&empty).expect("an empty file becomes a store");
    }

    #[test]
    fn errors_in_sql_are_told_in_one_line() {
        let err = Connection::open_in_memory()
            .unwrap()
            .execute_batch("CREATE TABLE t (x);\nCREATE TABLE t (y);")
            .at(Path::new("feedfold.db"))
            .unwrap_err()
            .to_string();
        assert_eq!(err, "feedfold.db: table t already exists");
    }

    #[test]
    fn newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.db");
        drop(SqliteStore::open(&path).unwrap());
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", 99)
            .unwrap();
        let err = SqliteStore::open(&path).err().unwrap().to_string();
        assert!(err.contains("schema version 99"), "{err}");
    }

    #[test]
    fn another_distance_rekeys_every_body_band() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let article = crate::model::Article {
            title: "Port of Calder Approves Harbour Expansion".into(),
            body: vec![crate::model::Block::paragraph(
                "The board of the Port of Calder voted on Monday to approve a long-delayed \
                 expansion of the northern harbour, ending a dispute with fishing cooperatives.",
            )],
            ..Default::default()
        };
        let fingerprints = crate::dedup::Fingerprints::of(&article, "s");
        let decision = crate::dedup::Decision::New {
            id: fingerprints.new_id.clone(),
        };
        let now = Utc::now();
        let mut writer = store.begin("s").unwrap();
        writer
            .record(&super::super::Decided {
                article: &article,
                headline: &article.title,
                fingerprints: &fingerprints,
                decision: &decision,
                found_under: None,
                dates: crate::dedup::Dates::of(&article, now),
                now,
                shows_local_intro: false,
                page_read: false,
                another_copy: false,
            })
            .unwrap();
        writer.commit(&|| now).unwrap();
        let keys =
            |store: &SqliteStore| near_index::key_count(&store.conn, &store.path).unwrap() as i64;
        let others = fingerprints.near.index_keys(3).len() as i64 - 4;
        assert_eq!(keys(&store), 4 + others, "3 + 1 blocks");
        assert!(store.rekey_near_index(6).unwrap());
        assert_eq!(keys(&store), 28 + others, "pairs of 6 + 2 blocks");
        assert!(!store.rekey_near_index(6).unwrap(), "already keyed for 6");
    }
}

//! Following the SQLite store file under `serve`. A store file deleted
//! under the server (a mistaken `rm`, a cleanup job) or replaced (a backup
//! moved into place, a store a `feedfold run` made at the path) stays open
//! as it was, and anything written to it would be lost once the server
//! stops. So the server checks, at every health check and push and every
//! 2 s, that the path still names the file it has open. While
//! it does not, the status says so (`/healthz` reports `degraded`, the log
//! names the path), pushes are refused with `503`, and nothing is written
//! to or published from the file left open; once a file that holds a
//! feedfold store is at the path (told by the file alone, leaving out the
//! `-wal` the file left open keeps beside the path), the store is opened
//! there again, with the checks of any start (schema, conversion), and
//! every feed is republished from it. No store is made at the path
//! meanwhile: an empty one would hide what was lost.

use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::sync::Arc;
use std::time::SystemTime;

use tokio::sync::watch;

use super::AppState;
use super::schedule::{polled, republish};
use crate::pipeline::{self, lock};
use crate::store::sqlite::SqliteStore;
use crate::store::{self, StoreError};

/// Whether the store's path still names the file the server has open
/// (always, for a store kept elsewhere); when it does not, the status says
/// why, logged once.
pub fn in_place(state: &AppState) -> Result<(), StoreError> {
    let Some(file) = state.store_file() else {
        return Ok(());
    };
    match file.check() {
        Ok(()) => {
            // In place again (moved away and back, or a check of the file
            // opened before failed after it was replaced): what a check
            // said is over; another cause is said again by what meets it.
            let path = file.path().to_path_buf();
            let said = [
                StoreError::Deleted { path: path.clone() },
                StoreError::Replaced { path },
            ]
            .map(|e| Some(e.to_string()));
            if said.contains(&state.status().store_error) {
                state.store_reachable(None);
            }
            Ok(())
        }
        Err(e) => {
            state.store_reachable(Some(e.to_string()));
            Err(e)
        }
    }
}

/// What a file at the store's path looks like: its length, when it was
/// last changed and its inode; the same at two checks 2 s apart, it is
/// no longer being copied there.
fn looks(path: &Path) -> Option<(u64, SystemTime, u64)> {
    let found = std::fs::metadata(path).ok()?;
    Some((found.len(), found.modified().ok()?, found.ino()))
}

/// Checks the store file every 2 s until `shutdown` turns true,
/// and opens the store at its path again once the file there is another
/// one, republishing every feed from it. Returns at once for a store kept
/// in no file (PostgreSQL).
pub async fn follow(state: Arc<AppState>, mut shutdown: watch::Receiver<bool>) {
    if state.store_file().is_none() {
        return;
    }
    let mut refused: Option<String> = None;
    let mut seen = None;
    while polled(&mut shutdown).await {
        if in_place(&state).is_ok() {
            seen = None;
            continue;
        }
        // A file being copied into place (`cp` of a backup) is opened only
        // once it looks the same at two checks in a row.
        let path = state.store_file().map(|file| file.path().to_path_buf());
        let now = path.as_deref().and_then(looks);
        if now.is_none() || now != std::mem::replace(&mut seen, now) {
            continue;
        }
        let worker = state.clone();
        match tokio::task::spawn_blocking(move || reopen(&worker)).await {
            Ok(Ok(true)) => {
                refused = None;
                republish(&state, &[]).await;
            }
            Ok(Ok(false)) => {}
            Ok(Err(e)) => {
                let e = e.to_string();
                if refused.as_ref() != Some(&e) {
                    tracing::error!("cannot open the store now at its path: {e}");
                    refused = Some(e);
                }
            }
            Err(e) => tracing::error!("cannot open the store now at its path: {e}"),
        }
    }
}

/// Opens the store at its path in place of the file the server had open,
/// when a feedfold store is there (a restored backup, a store a `feedfold
/// run` made), as the server's start does; whether it did. Until a file
/// with something in it is there, there is nothing to open; a file that
/// holds no feedfold store (notes saved at the wrong path, another
/// application's database) is refused and left as it is, told by the
/// file alone before anything opens it to write.
fn reopen(state: &AppState) -> Result<bool, StoreError> {
    let Some(path) = state.store_file().map(|file| file.path().to_path_buf()) else {
        return Ok(false);
    };
    if !SqliteStore::holds_store(&path)? {
        return Ok(false);
    }
    let store = pipeline::open_store(&state.config)?;
    let reader = store::open(&state.config)?;
    let file = store.store_file();
    *lock(&state.store) = store;
    *lock(&state.reader) = reader;
    state.keep_store_file(file);
    tracing::warn!(
        store = %path.display(),
        "opened the store file now at the store's path in place of the one deleted or replaced; feeds are published from it"
    );
    state.store_reachable(None);
    Ok(true)
}

//! What other processes commit, as `feedfold serve` learns of it: a
//! connection of its own that `LISTEN`s on the change channel (each commit
//! that changed what feeds show announces its source there), and, in case
//! announcements get lost (a connection pooler that drops them), a slow
//! poll of the `revision` counter, which is all a read replica (where
//! `LISTEN` is not available) has. A lost connection is opened again on the
//! next wait, which then reports a change of unknown sources, since
//! announcements may have been missed meanwhile.

use std::time::{Duration, Instant};

use postgres::error::SqlState;
use postgres::fallible_iterator::FallibleIterator;

use super::connect::{Conn, Target};
use super::{At, CHANNEL};
use crate::config::StoreUrl;
use crate::store::{Changed, Changes, StoreError};

/// How often the revision counter is read when no announcement came.
const POLL: Duration = Duration::from_secs(10);

/// The change feed of one PostgreSQL store.
pub struct PgChanges {
    target: Target,
    conn: Option<Conn>,
    revision: i64,
    next_poll: Instant,
}

impl PgChanges {
    /// Connects and starts listening.
    pub fn open(url: &StoreUrl) -> Result<PgChanges, StoreError> {
        let target = Target::new(url)?;
        let mut changes = PgChanges {
            target,
            conn: None,
            revision: 0,
            next_poll: Instant::now() + POLL,
        };
        changes.listen()?;
        Ok(changes)
    }

    fn listen(&mut self) -> Result<(), StoreError> {
        self.conn = None;
        let mut conn = self.target.connect()?;
        if let Err(e) = conn.client.batch_execute(&format!("LISTEN {CHANNEL}")) {
            // A read replica has no LISTEN: the poll alone tells.
            if e.code() != Some(&SqlState::READ_ONLY_SQL_TRANSACTION) {
                return Err(self.target.error(&e));
            }
            tracing::info!(store = %self.target.label,
                "a read replica cannot LISTEN: new articles are learnt of from the poll of the revision counter");
        }
        self.revision = revision(&mut conn, &self.target)?;
        self.conn = Some(conn);
        Ok(())
    }
}

fn revision(conn: &mut Conn, target: &Target) -> Result<i64, StoreError> {
    Ok(conn
        .query_one("SELECT value FROM revision", &[])
        .at(target)?
        .get(0))
}

impl Changes for PgChanges {
    /// Waits for changes. A listening connection is idle by nature, and a
    /// server may close idle sessions: one lost while waiting is opened
    /// again at once, and a change reported only if the revision counter
    /// moved meanwhile; the store counts as unreachable only if that fails.
    fn wait(&mut self, timeout: Duration) -> Result<Option<Changed>, StoreError> {
        if self.conn.as_ref().is_none_or(|c| c.is_closed()) {
            self.listen()?;
            return Ok(Some(Changed::Unknown));
        }
        match self.listened(timeout) {
            Err(StoreError::Lost { cause, .. }) => {
                tracing::debug!(store = %self.target.label, "the listening connection was lost ({cause}); listening again");
                let before = self.revision;
                self.listen()?;
                Ok((self.revision != before).then_some(Changed::Unknown))
            }
            other => other,
        }
    }
}

impl PgChanges {
    /// What the listening connection announces within `timeout`, and the
    /// revision counter when it is time to poll it.
    fn listened(&mut self, timeout: Duration) -> Result<Option<Changed>, StoreError> {
        let target = &self.target;
        let conn = self.conn.as_mut().expect("listening");
        let now = Instant::now();
        let mut sources: Vec<String> = Vec::new();
        {
            let mut notifications = conn.client.notifications();
            let wait = timeout.min(self.next_poll.saturating_duration_since(now));
            let first = notifications.timeout_iter(wait).next().at(target)?;
            if let Some(first) = first {
                sources.push(first.payload().to_string());
                let mut pending = notifications.iter();
                while let Some(more) = pending.next().at(target)? {
                    sources.push(more.payload().to_string());
                }
            }
        }
        if !sources.is_empty() {
            sources.sort();
            sources.dedup();
            self.revision = revision(conn, target)?;
            return Ok(Some(Changed::Sources(sources)));
        }
        if Instant::now() >= self.next_poll {
            self.next_poll = Instant::now() + POLL;
            let current = revision(conn, target)?;
            if current != self.revision {
                self.revision = current;
                return Ok(Some(Changed::Unknown));
            }
        }
        Ok(None)
    }
}

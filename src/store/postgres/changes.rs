//! What other processes commit, as `feedfold serve` learns of it: a
//! connection of its own that `LISTEN`s on the change channel (each commit
//! that changed what feeds show announces there the revision it counted
//! and every source whose feeds it changed), and, in case announcements get
//! lost (a connection pooler that drops them), a slow poll of the
//! `revision` counter, which is all a read replica (where `LISTEN` is not
//! available) has. Commits count revisions in the order they commit, and
//! are announced in that order: a revision skipped, or a counter ahead of
//! every revision announced, is a commit whose announcement was lost, a
//! change of unknown sources. A lost connection is opened again on the
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
    announced: Announced,
    next_poll: Instant,
}

impl PgChanges {
    /// Connects and starts listening.
    pub fn open(url: &StoreUrl) -> Result<PgChanges, StoreError> {
        let target = Target::new(url)?;
        let mut changes = PgChanges {
            target,
            conn: None,
            announced: Announced { revision: 0 },
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
        self.announced.revision = revision(&mut conn, &self.target)?;
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
                let before = self.announced.revision;
                self.listen()?;
                Ok((self.announced.revision != before).then_some(Changed::Unknown))
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
        let mut payloads: Vec<String> = Vec::new();
        {
            let mut notifications = conn.client.notifications();
            let wait = timeout.min(self.next_poll.saturating_duration_since(now));
            let first = notifications.timeout_iter(wait).next().at(target)?;
            if let Some(first) = first {
                payloads.push(first.payload().to_string());
                let mut pending = notifications.iter();
                while let Some(more) = pending.next().at(target)? {
                    payloads.push(more.payload().to_string());
                }
            }
        }
        if !payloads.is_empty() {
            return Ok(Some(self.announced.heard(&payloads)));
        }
        if Instant::now() >= self.next_poll {
            self.next_poll = Instant::now() + POLL;
            let current = revision(conn, target)?;
            return Ok(self.announced.polled(current));
        }
        Ok(None)
    }
}

/// One announcement of a commit, its payload on the change channel:
/// the revision the commit counted and one source whose feeds it changed,
/// as `REVISION SOURCE`.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Announcement<'a> {
    revision: i64,
    source: &'a str,
}

impl Announcement<'_> {
    /// The announcement `payload` is; `None` for one of another form (a
    /// bare source name, as an older feedfold announces).
    fn parse(payload: &str) -> Option<Announcement<'_>> {
        let (revision, source) = payload.split_once(' ')?;
        Some(Announcement {
            revision: revision.parse().ok()?,
            source: Some(source).filter(|s| !s.is_empty())?,
        })
    }
}

/// The last revision whose commit this listener was told of (or counted
/// when it began listening).
#[derive(Debug)]
struct Announced {
    revision: i64,
}

impl Announced {
    /// The change announced by `payloads`: the sources they name, unless
    /// one cannot be read or a revision was skipped (its announcement was
    /// lost), which is a change of unknown sources.
    fn heard(&mut self, payloads: &[String]) -> Changed {
        let mut sources: Vec<String> = Vec::new();
        let mut unknown = false;
        for payload in payloads {
            match Announcement::parse(payload) {
                Some(announced) => {
                    unknown |= announced.revision > self.revision + 1;
                    self.revision = self.revision.max(announced.revision);
                    sources.push(announced.source.to_string());
                }
                None => unknown = true,
            }
        }
        if unknown {
            return Changed::Unknown;
        }
        sources.sort();
        sources.dedup();
        Changed::Sources(sources)
    }

    /// The change the revision counter, at `current`, tells of: one of
    /// unknown sources when it moved past every revision announced.
    fn polled(&mut self, current: i64) -> Option<Changed> {
        if current <= self.revision {
            return None;
        }
        self.revision = current;
        Some(Changed::Unknown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payloads(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn an_announcement_is_a_revision_and_a_source() {
        assert_eq!(
            Announcement::parse("12 city desk"),
            Some(Announcement {
                revision: 12,
                source: "city desk"
            })
        );
        for other in ["desk", "x desk", "12 ", ""] {
            assert_eq!(Announcement::parse(other), None, "{other:?}");
        }
    }

    #[test]
    fn announcements_name_every_source_of_each_commit() {
        let mut announced = Announced { revision: 4 };
        let heard = announced.heard(&payloads(&["5 api", "5 desk", "6 desk"]));
        assert_eq!(heard, Changed::Sources(vec!["api".into(), "desk".into()]));
        assert_eq!(announced.revision, 6);
        assert_eq!(announced.polled(6), None, "the poll finds nothing new");
    }

    #[test]
    fn a_lost_announcement_is_a_change_of_unknown_sources() {
        // Revision 5 was never announced: its sources are not known.
        let mut announced = Announced { revision: 4 };
        assert_eq!(announced.heard(&payloads(&["6 desk"])), Changed::Unknown);
        assert_eq!(announced.polled(6), None);
        // Nor is an announcement of another form.
        assert_eq!(announced.heard(&payloads(&["desk"])), Changed::Unknown);
    }

    #[test]
    fn the_poll_tells_of_commits_announced_to_no_one() {
        let mut announced = Announced { revision: 4 };
        assert_eq!(
            announced.heard(&payloads(&["5 desk"])),
            Changed::Sources(vec!["desk".into()])
        );
        // Revision 6 committed, and its announcement was lost with every
        // one after it: the counter is ahead of what was heard.
        assert_eq!(announced.polled(7), Some(Changed::Unknown));
        assert_eq!(announced.polled(7), None, "told once");
        // A commit the poll counted already still names its source.
        assert_eq!(
            announced.heard(&payloads(&["7 api"])),
            Changed::Sources(vec!["api".into()])
        );
    }
}

//! What a cycle reports: per source what it read, folded and failed on,
//! per feed what publishing wrote, and for pushed articles what became of
//! each. `run` prints these; `serve` keeps them for its index page.

use std::fmt;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::Folded;
use crate::dedup::Decision;
use crate::ingest::source::Counting;
use crate::plural::count;
use crate::publish::WriteOutcome;
use crate::store::{StoreError, StoreFailureKind};

/// What one source contributed to a cycle.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceReport {
    pub name: String,
    /// How the source counts: files and articles, or documents and entries.
    pub counting: Counting,
    /// Files (dumps) or documents (feeds) read.
    pub files: usize,
    pub bytes: u64,
    pub articles: usize,
    pub repeats_folded: usize,
    pub new: usize,
    pub known: usize,
    pub updated: usize,
    /// Copies seen at a new place and folded into a stored article (new,
    /// known or updated ones all count once).
    pub folded: usize,
    /// Pages the source's `max_pages` left for the next cycle.
    pub waiting: usize,
    /// The sitemaps of an index that answered 304: their pages were read
    /// before.
    pub unchanged: usize,
    /// The server answered 304 (for an index, for every sitemap it
    /// lists): nothing was parsed or written.
    pub not_modified: bool,
    /// Why the source was not ingested this cycle (backoff after
    /// failures, another process ingesting it, an unreachable store).
    pub skipped: Option<String>,
    /// It was held back by backoff after failures (`skipped` says until
    /// when, and the last cause).
    pub backing_off: bool,
    /// It was left alone waiting for its turn to be fetched when the
    /// process began to stop (a server shutting down): nothing was tried.
    pub stopping: bool,
    /// Each failure, naming the file or URL (redacted: no credentials, no
    /// query values) and the cause: for the operator.
    pub errors: Vec<String>,
    /// What kind of failure the first one was (`unreachable`, `HTTP 404`,
    /// `not a feed`, `too large`, …): all a public page shows of it.
    pub failure: Option<String>,
    /// Whether the store could not be reached: sources after this one are
    /// not attempted.
    pub unreachable: bool,
    /// What became of each article, in order, for a source that asks
    /// ([`crate::ingest::Source::itemized`]); empty for the others.
    pub outcomes: Vec<ArticleOutcome>,
    /// The first failure of the store (to write, or to be reached): its
    /// kind, and the message `errors` gives for it.
    pub store_failure: Option<StoreFailure>,
    /// The ids of the stored articles whose text this source replaced, or
    /// whose missing link, authors, media files or date it filled in: the feeds
    /// of every source that sighted one carry the change.
    pub changed: Vec<String>,
    /// The ids of the stored articles whose text this source replaced, or
    /// that a copy showed to open with a local intro (their prints now say
    /// so, [`Folded::marked_intro`]): each weighed against the other stored
    /// articles again before its transaction commits ([`super::refold`]).
    pub reweigh: Vec<String>,
    /// Stored articles merged into another this cycle, their text (or the
    /// other's) changed to one story's.
    pub merged: usize,
    /// Stored articles merged into another before and restored this cycle:
    /// their upstream entries gave their own stories again.
    pub restored: usize,
    /// Its transaction was rolled back: nothing it read was stored, and
    /// its line says it failed whatever it read.
    pub discarded: bool,
}

impl SourceReport {
    /// Records a failure of kind `class`; URLs in `error` are redacted. A
    /// cause already recorded (a store that failed to write the articles
    /// failing again to keep why) is not repeated.
    pub(super) fn fail(&mut self, class: impl Into<String>, error: impl fmt::Display) {
        let class = class.into();
        let error = crate::redact::urls_in(&error.to_string()).into_owned();
        if class == super::STORE {
            self.store_failure.get_or_insert_with(|| StoreFailure {
                kind: StoreFailureKind::Other,
                message: error.clone(),
            });
        }
        self.failure.get_or_insert(class);
        if !self.errors.contains(&error) {
            self.errors.push(error);
        }
    }

    /// Whether the source is failing: it failed this cycle, it was not
    /// fetched because it is backing off after failures, or not attempted
    /// because the store could not be reached. One left to another process
    /// (ingesting it, or having ingested it lately) is not.
    pub fn is_failing(&self) -> bool {
        !self.errors.is_empty() || self.backing_off || self.unreachable
    }

    /// What a public page may say of a failing source: the kind of its
    /// failure, or that it is backing off; `None` when it is not failing.
    pub fn public_failure(&self) -> Option<String> {
        match (&self.failure, self.backing_off) {
            (Some(class), _) => Some(class.clone()),
            (None, true) => Some("backing off after failures".to_string()),
            (None, false) => self.is_failing().then(|| "failed".to_string()),
        }
    }

    /// Counts one folded article.
    pub(super) fn count(&mut self, folded: &Folded) {
        self.folded += usize::from(folded.copy);
        self.restored += usize::from(folded.restored);
        match &folded.decision {
            Decision::New { .. } => self.new += 1,
            decision if folded.updates() => {
                self.updated += 1;
                self.changed.push(decision.id().to_string());
                // An entry's edits over the text it keeps change no text.
                if decision.updates() {
                    self.reweigh.push(decision.id().to_string());
                }
            }
            Decision::Repeat { .. }
            | Decision::Update { .. }
            | Decision::EditedCopy { .. }
            | Decision::Near { .. } => {
                self.known += 1;
                if folded.filled {
                    self.changed.push(folded.decision.id().to_string());
                }
                if folded.marked_intro {
                    self.reweigh.push(folded.decision.id().to_string());
                }
            }
        }
    }

    /// Whether the store broke the source's cycle: it could not be reached
    /// (the source was not attempted for that reason), or not written.
    pub fn failed_for_the_store(&self) -> bool {
        self.unreachable || self.store_failure.is_some()
    }

    /// Records a store failure; one that means the store is unreachable
    /// is marked so.
    pub(super) fn store_failed(&mut self, error: &StoreError) {
        self.unreachable |= error.is_unreachable();
        self.store_failure.get_or_insert_with(|| StoreFailure {
            kind: error.kind(),
            message: crate::redact::urls_in(&error.to_string()).into_owned(),
        });
        self.fail(super::STORE, error);
    }

    /// Forgets what was folded: the transaction holding it was rolled back.
    pub(super) fn rolled_back(&mut self) {
        (self.new, self.known, self.updated, self.folded) = (0, 0, 0, 0);
        self.outcomes.clear();
        self.changed.clear();
        self.reweigh.clear();
        self.merged = 0;
        self.restored = 0;
        self.discarded = true;
    }
}

/// A failure of the store, as a source's report keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreFailure {
    pub kind: StoreFailureKind,
    /// The error, naming the store (URLs redacted).
    pub message: String,
}

/// What became of one pushed article: `new`, `repeat` (of `repeat_of`) or
/// `update`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleOutcome {
    pub id: String,
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repeat_of: Option<String>,
}

impl ArticleOutcome {
    /// The outcome once `merge` merged the article it names into another:
    /// it names the survivor. An update of the absorbed article is a
    /// repeat of the survivor unless the survivor takes its text: the
    /// pushed text is then stored nowhere, as when it is folded into the
    /// survivor as a sighting only.
    pub(super) fn merged(&mut self, merge: &crate::dedup::refold::Merge) {
        if self.status == "update" && self.id == merge.absorbed && !merge.takes_text() {
            self.status = "repeat";
            self.repeat_of = Some(self.id.clone());
        }
        for id in std::iter::once(&mut self.id).chain(self.repeat_of.as_mut()) {
            if *id == merge.absorbed {
                id.clone_from(&merge.survivor);
            }
        }
    }

    /// What became of the article `folded`: `update` when it replaced the
    /// stored text or its own entry's edits landed over it
    /// ([`Folded::updates`]).
    pub fn of(folded: &Folded) -> ArticleOutcome {
        let decision = &folded.decision;
        let id = decision.id().to_string();
        match decision {
            Decision::New { .. } => ArticleOutcome {
                id,
                status: "new",
                repeat_of: None,
            },
            _ if folded.updates() => ArticleOutcome {
                id,
                status: "update",
                repeat_of: None,
            },
            Decision::Repeat { .. }
            | Decision::Update { .. }
            | Decision::EditedCopy { .. }
            | Decision::Near { .. } => ArticleOutcome {
                repeat_of: Some(id.clone()),
                id,
                status: "repeat",
            },
        }
    }
}

/// What publishing one feed did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedReport {
    pub name: String,
    pub entries: usize,
    /// The newest entry's `updated`.
    pub updated: Option<DateTime<Utc>>,
    pub files: Vec<(PathBuf, WriteOutcome)>,
    pub error: Option<String>,
}

impl FeedReport {
    /// A feed that failed before anything was written.
    pub fn failed(name: &str, error: String) -> FeedReport {
        FeedReport {
            name: name.to_string(),
            entries: 0,
            updated: None,
            files: Vec::new(),
            error: Some(error),
        }
    }
}

/// Everything one cycle did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CycleReport {
    pub sources: Vec<SourceReport>,
    pub feeds: Vec<FeedReport>,
}

impl CycleReport {
    /// True when no source and no feed failed.
    pub fn succeeded(&self) -> bool {
        self.sources.iter().all(|s| s.errors.is_empty())
            && self.feeds.iter().all(|f| f.error.is_none())
    }

    /// What needs the operator's eye, one line each: every source that
    /// failed (its causes, URLs redacted), every source held back by
    /// backoff (until when, and the last cause) and every feed that
    /// failed. `run --quiet` prints only these.
    pub fn problems(&self) -> Vec<String> {
        self.lines_for_the_operator(true)
    }

    /// Every source and every feed that failed, one line each, as
    /// [`CycleReport::problems`] words them: what `run` repeats on
    /// standard error below a report on standard output.
    pub fn failures(&self) -> Vec<String> {
        self.lines_for_the_operator(false)
    }

    fn lines_for_the_operator(&self, with_backoff: bool) -> Vec<String> {
        let sources = self.sources.iter().filter_map(|source| {
            if !source.errors.is_empty() {
                Some(format!(
                    "source {}: failed: {}",
                    source.name,
                    source.errors.join("; ")
                ))
            } else if with_backoff && source.backing_off {
                let reason = source.skipped.as_deref().unwrap_or("backing off");
                Some(format!("source {}: skipped, {reason}", source.name))
            } else {
                None
            }
        });
        let feeds = self.feeds.iter().filter_map(|feed| {
            let error = feed.error.as_ref()?;
            Some(format!("feed {}: failed: {error}", feed.name))
        });
        sources.chain(feeds).collect()
    }
}

impl fmt::Display for SourceReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "source {}: ", self.name)?;
        if let Some(reason) = &self.skipped {
            write!(f, "skipped, {reason}")?;
        } else if self.not_modified {
            write!(f, "not modified since the last fetch")?;
        } else if (self.files == 0 || self.discarded) && !self.errors.is_empty() {
            write!(f, "failed")?;
        } else if self.counting == Counting::Entries {
            write!(
                f,
                "{} read, {} new, {} already known",
                count(self.articles, "entry", "entries"),
                self.new,
                self.known
            )?;
            if self.updated > 0 {
                write!(f, ", {} updated", self.updated)?;
            }
            if self.waiting > 0 {
                let pages = count(self.waiting, "page", "pages");
                write!(f, ", {pages} waiting for the next cycle")?;
            }
            if self.unchanged > 0 {
                let sitemaps = count(self.unchanged, "sitemap", "sitemaps");
                write!(f, ", {sitemaps} not modified since the last fetch")?;
            }
        } else {
            write!(
                f,
                "{}, {} read, {} folded, {} new, {} already known",
                count(self.files, "file", "files"),
                count(self.articles, "article", "articles"),
                count(self.repeats_folded, "repeated line", "repeated lines"),
                self.new,
                self.known
            )?;
            if self.updated > 0 {
                write!(f, ", {} updated", self.updated)?;
            }
        }
        if self.merged > 0 {
            write!(
                f,
                ", {} merged into another",
                count(self.merged, "stored article", "stored articles")
            )?;
        }
        if self.restored > 0 {
            write!(
                f,
                ", {} restored",
                count(self.restored, "merged article", "merged articles")
            )?;
        }
        for error in &self.errors {
            write!(f, "\n  error: {error}")?;
        }
        Ok(())
    }
}

impl fmt::Display for FeedReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let written = self
            .files
            .iter()
            .filter(|(_, o)| *o == WriteOutcome::Written)
            .count();
        write!(
            f,
            "feed {}: {}, {} written, {} unchanged",
            self.name,
            count(self.entries, "entry", "entries"),
            count(written, "file", "files"),
            self.files.len() - written
        )?;
        if let Some(error) = &self.error {
            write!(f, "\n  error: {error}")?;
        }
        Ok(())
    }
}

impl fmt::Display for CycleReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for source in &self.sources {
            writeln!(f, "{source}")?;
        }
        for feed in &self.feeds {
            writeln!(f, "{feed}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::Exact;
    use crate::dedup::near_rules::{Rule, Update};

    #[test]
    fn a_cause_the_store_gives_again_is_reported_once() {
        let down = StoreError::Unreachable {
            store: "postgres://db.example:5432/news".into(),
            host_port: "db.example:5432".into(),
            cause: "Connection refused".into(),
        };
        let mut report = SourceReport::default();
        report.store_failed(&down);
        report.store_failed(&down);
        assert_eq!(report.errors, [down.to_string()]);
        report.fail("HTTP 404", "https://news.example/rss: HTTP 404");
        assert_eq!(report.errors.len(), 2);
    }

    /// `decision`, folded as no copy, filling, editing and marking nothing.
    fn folded(decision: Decision) -> Folded {
        Folded {
            decision,
            copy: false,
            filled: false,
            edited: false,
            marked_intro: false,
            restored: false,
        }
    }

    #[test]
    fn outcomes_say_new_repeat_or_update() {
        let near = |update| Decision::Near {
            id: "n".into(),
            rule: Rule::SharedParagraphs,
            distance: 8,
            update,
            evidence: None,
        };
        let status = |d: &Decision| {
            let o = ArticleOutcome::of(&folded(d.clone()));
            (o.status, o.repeat_of)
        };
        assert_eq!(status(&Decision::New { id: "a".into() }), ("new", None));
        assert_eq!(
            status(&Decision::Repeat {
                id: "a".into(),
                by: Exact::Link
            }),
            ("repeat", Some("a".into()))
        );
        assert_eq!(
            status(&Decision::Update { id: "a".into() }),
            ("update", None)
        );
        assert_eq!(status(&near(None)), ("repeat", Some("n".into())));
        assert_eq!(status(&near(Some(Update::Longer))), ("update", None));
        let mut report = SourceReport::default();
        for (decision, copy, filled) in [
            (Decision::New { id: "a".into() }, false, false),
            (near(None), true, false),
            (near(Some(Update::Newer)), true, false),
            // The same copy read again at the same place: no new fold.
            (near(None), false, false),
            // A copy that gives the link the stored article lacked.
            (
                Decision::Repeat {
                    id: "b".into(),
                    by: Exact::Content,
                },
                true,
                true,
            ),
        ] {
            report.count(&Folded {
                decision,
                copy,
                filled,
                edited: false,
                marked_intro: false,
                restored: false,
            });
        }
        assert_eq!(
            (report.new, report.known, report.updated, report.folded),
            (1, 3, 1, 3)
        );
        // The articles changed: their feeds are published again.
        assert_eq!(report.changed, ["n", "b"]);
        // Only a replaced text is weighed again.
        assert_eq!(report.reweigh, ["n"]);
    }

    #[test]
    fn an_entry_whose_edits_land_over_the_text_it_keeps_is_counted_updated() {
        let sighting = Decision::Repeat {
            id: "e".into(),
            by: Exact::EditedEntry,
        };
        let edited = Folded {
            edited: true,
            ..folded(sighting.clone())
        };
        let outcome = ArticleOutcome::of(&edited);
        assert_eq!((outcome.status, outcome.repeat_of), ("update", None));
        let mut report = SourceReport::default();
        report.count(&edited);
        report.count(&folded(sighting));
        assert_eq!((report.new, report.known, report.updated), (0, 1, 1));
        // Its feeds carry the edit; its text, unchanged, is not weighed again.
        assert_eq!(report.changed, ["e"]);
        assert!(report.reweigh.is_empty());
    }

    #[test]
    fn an_article_a_copy_showed_to_open_with_a_local_intro_is_weighed_again() {
        let whole_copy = Folded {
            copy: true,
            marked_intro: true,
            ..folded(Decision::Near {
                id: "intro".into(),
                rule: crate::dedup::near_rules::Rule::Contained,
                distance: 12,
                update: None,
                evidence: None,
            })
        };
        let mut report = SourceReport::default();
        report.count(&whole_copy);
        assert_eq!((report.known, report.folded), (1, 1));
        // Its text and feeds stay; its prints changed, so it is weighed again.
        assert!(report.changed.is_empty());
        assert_eq!(report.reweigh, ["intro"]);
    }

    #[test]
    fn an_outcome_names_the_article_its_own_was_merged_into() {
        use crate::dedup::FoldReason;
        use crate::dedup::refold::Merge;
        let merge = Merge {
            survivor: "first".into(),
            absorbed: "later".into(),
            reason: FoldReason {
                rule: "shared-lead",
                distance: Some(9),
                update: None,
                evidence: None,
            },
            shows_local_intro: false,
        };
        // The survivor keeps its own text: the update's text is stored
        // nowhere, and the push is a repeat of the survivor.
        let mut updated = ArticleOutcome::of(&folded(Decision::Update { id: "later".into() }));
        updated.merged(&merge);
        assert_eq!(
            (
                updated.id.as_str(),
                updated.status,
                updated.repeat_of.as_deref()
            ),
            ("first", "repeat", Some("first"))
        );
        // The survivor takes it: still an update, of the survivor.
        let taking = Merge {
            reason: FoldReason {
                update: Some(Update::Longer),
                ..merge.reason
            },
            ..merge.clone()
        };
        let mut updated = ArticleOutcome::of(&folded(Decision::Update { id: "later".into() }));
        updated.merged(&taking);
        assert_eq!(
            (
                updated.id.as_str(),
                updated.status,
                updated.repeat_of.as_deref()
            ),
            ("first", "update", None)
        );
        // An update of the survivor itself stays one.
        let mut survivor = ArticleOutcome::of(&folded(Decision::Update { id: "first".into() }));
        survivor.merged(&merge);
        assert_eq!((survivor.id.as_str(), survivor.status), ("first", "update"));
        let mut repeat = ArticleOutcome::of(&folded(Decision::Repeat {
            id: "later".into(),
            by: Exact::Link,
        }));
        repeat.merged(&merge);
        assert_eq!(repeat.repeat_of.as_deref(), Some("first"));
        let mut other = ArticleOutcome::of(&folded(Decision::New { id: "other".into() }));
        other.merged(&merge);
        assert_eq!(other.id, "other");
    }

    #[test]
    fn problems_are_failures_and_backoff_one_line_each() {
        let report = CycleReport {
            sources: vec![
                SourceReport {
                    name: "desk".into(),
                    files: 2,
                    ..Default::default()
                },
                SourceReport {
                    name: "wire".into(),
                    errors: vec![
                        "https://up.example/a?k=***: HTTP 404".into(),
                        "second".into(),
                    ],
                    ..Default::default()
                },
                SourceReport {
                    name: "slow".into(),
                    skipped: Some("backing off until 2026-12-01T10:05:00Z after 2 failures in a row; last: https://slow.example/: HTTP 503".into()),
                    backing_off: true,
                    ..Default::default()
                },
                SourceReport {
                    name: "shared".into(),
                    skipped: Some("another process is ingesting it".into()),
                    ..Default::default()
                },
            ],
            feeds: vec![FeedReport::failed("all", "feeds/all.rss: disk full".into())],
        };
        assert_eq!(
            report.problems(),
            [
                "source wire: failed: https://up.example/a?k=***: HTTP 404; second",
                "source slow: skipped, backing off until 2026-12-01T10:05:00Z after 2 failures in a row; last: https://slow.example/: HTTP 503",
                "feed all: failed: feeds/all.rss: disk full",
            ]
        );
        assert_eq!(
            report.failures(),
            [
                "source wire: failed: https://up.example/a?k=***: HTTP 404; second",
                "feed all: failed: feeds/all.rss: disk full",
            ]
        );
    }

    #[test]
    fn reports_read_as_before() {
        let dumps = SourceReport {
            name: "desk".into(),
            files: 2,
            articles: 5,
            repeats_folded: 7,
            new: 4,
            known: 1,
            ..Default::default()
        };
        assert_eq!(
            dumps.to_string(),
            "source desk: 2 files, 5 articles read, 7 repeated lines folded, 4 new, 1 already known"
        );
        let feed = SourceReport {
            name: "wire".into(),
            counting: Counting::Entries,
            files: 1,
            articles: 3,
            new: 1,
            known: 1,
            updated: 1,
            ..Default::default()
        };
        assert_eq!(
            feed.to_string(),
            "source wire: 3 entries read, 1 new, 1 already known, 1 updated"
        );
        let capped = SourceReport {
            name: "gazette".into(),
            counting: Counting::Entries,
            files: 1,
            articles: 50,
            new: 50,
            waiting: 1,
            ..Default::default()
        };
        assert_eq!(
            capped.to_string(),
            "source gazette: 50 entries read, 50 new, 0 already known, 1 page waiting for the next cycle"
        );
        let partly = SourceReport {
            unchanged: 2,
            ..capped.clone()
        };
        assert_eq!(
            partly.to_string(),
            "source gazette: 50 entries read, 50 new, 0 already known, \
             1 page waiting for the next cycle, 2 sitemaps not modified since the last fetch"
        );
        let unchanged = SourceReport {
            name: "gazette".into(),
            counting: Counting::Entries,
            unchanged: 2,
            not_modified: true,
            ..Default::default()
        };
        assert_eq!(
            unchanged.to_string(),
            "source gazette: not modified since the last fetch"
        );
        let failed = SourceReport {
            name: "wire".into(),
            errors: vec!["https://up.example/: HTTP 500".into()],
            ..Default::default()
        };
        assert_eq!(
            failed.to_string(),
            "source wire: failed\n  error: https://up.example/: HTTP 500"
        );
        let mut rolled_back = SourceReport {
            name: "archive".into(),
            files: 550,
            articles: 550,
            new: 550,
            ..Default::default()
        };
        rolled_back.fail(
            super::super::STORE,
            "the source's transaction was rolled back: nothing of source archive was stored this cycle",
        );
        rolled_back.rolled_back();
        assert_eq!(
            rolled_back.to_string(),
            "source archive: failed\n  error: the source's transaction was rolled back: \
             nothing of source archive was stored this cycle"
        );
    }
}

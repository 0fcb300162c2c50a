//! Renaming a source in the store (`feedfold sources rename`): what a store
//! keeps under a source's name ([`SourceHoldings`]), and why a rename is
//! refused ([`RenameError`]). Both backends carry every row kept under the
//! old name over to the new one in one transaction ([`Store::rename_source`])
//! and remember the old name as a former name of the source: the ids of
//! the entries stored under it were minted from it
//! ([`crate::dedup::fingerprint::entry_id`]), and they stay the source's own
//! ([`SourceWriter::former_names`]). Nothing is written under a former name
//! again ([`StoreError::Renamed`]).
//!
//! [`Store::rename_source`]: super::Store::rename_source
//! [`SourceWriter::former_names`]: super::SourceWriter::former_names

use std::fmt;

use thiserror::Error;

use super::StoreError;
use crate::plural::count;

/// The tables both backends keep rows of a source in, under its name in a
/// `source` column: upstream entries, places (and so the sightings and
/// folds recorded there), fetch state, documents' validators, pages
/// fetched, and cycles.
pub(crate) const TABLES: &[&str] = &[
    "upstream_key",
    "place",
    "fetch_state",
    "document_validators",
    "seen_pages",
    "source_cycle",
];

/// Every name a store keeps a row of any of [`TABLES`] under, or keeps
/// as a source's former name, each once, in the order of their text
/// ([`super::Store::held_source_names`]); the same SQL on both backends.
pub(crate) const HELD_NAMES: &str = "SELECT source FROM upstream_key \
     UNION SELECT source FROM place UNION SELECT source FROM fetch_state \
     UNION SELECT source FROM document_validators UNION SELECT source FROM seen_pages \
     UNION SELECT source FROM source_cycle UNION SELECT former FROM source_former_name \
     ORDER BY 1";

/// What a store keeps under one source's name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SourceHoldings {
    /// Upstream entries known by their key.
    pub entries: u64,
    /// Places (files, URLs) its articles were seen at: their sightings and
    /// folds go with them.
    pub places: u64,
    /// Whether a fetch state (validators, backoff) is kept.
    pub fetch_state: bool,
    /// The validators of documents its document leads to.
    pub documents: u64,
    /// Pages it fetched.
    pub pages: u64,
    /// Cycles kept.
    pub cycles: u64,
}

impl SourceHoldings {
    /// The holdings of the counts `counts` gives in the order of
    /// [`TABLES`].
    pub(crate) fn of_counts(counts: [u64; 6]) -> SourceHoldings {
        let [entries, places, fetch_states, documents, pages, cycles] = counts;
        SourceHoldings {
            entries,
            places,
            fetch_state: fetch_states > 0,
            documents,
            pages,
            cycles,
        }
    }

    /// Whether nothing is kept under the name.
    pub fn is_empty(&self) -> bool {
        *self == SourceHoldings::default()
    }
}

/// The holdings in words: `3 entries, 1 place, the fetch state, 2 cycles`,
/// what is not held left out (`nothing` when it is empty).
impl fmt::Display for SourceHoldings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if self.entries > 0 {
            parts.push(count(self.entries, "entry", "entries"));
        }
        if self.places > 0 {
            parts.push(count(self.places, "place", "places"));
        }
        if self.fetch_state {
            parts.push("the fetch state".to_string());
        }
        if self.documents > 0 {
            parts.push(count(
                self.documents,
                "sitemap's validators",
                "sitemaps' validators",
            ));
        }
        if self.pages > 0 {
            parts.push(count(self.pages, "page fetched", "pages fetched"));
        }
        if self.cycles > 0 {
            parts.push(count(self.cycles, "cycle", "cycles"));
        }
        if parts.is_empty() {
            return f.write_str("nothing");
        }
        f.write_str(&parts.join(", "))
    }
}

/// Why a store did not rename a source; nothing was changed.
#[derive(Debug, Error)]
pub enum RenameError {
    #[error(
        "the store holds nothing under source {old:?}: no entry, place, fetch state, page or cycle (check the name)"
    )]
    NothingUnder { old: String },
    #[error("source {old:?} was renamed to {current:?} already")]
    AlreadyRenamed { old: String, current: String },
    #[error(
        "the store holds {holdings} under source {new:?} already: a run read it under the new name before the rename (rename a source before its first run under the new name)"
    )]
    NewHolds {
        new: String,
        holdings: SourceHoldings,
    },
    #[error(
        "{new:?} is a former name of source {current:?}, whose entries' ids it made: choose another name"
    )]
    FormerName { new: String, current: String },
    #[error(
        "source {name:?} is being ingested by another process right now; try again once it is done"
    )]
    Busy { name: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The refusal of renaming `old` to `new` in a store that holds `old_holds`
/// under `old` and `new_holds` under `new`, where `old` is a former name
/// of `old_renamed_to` and `new` one of `new_renamed_to`; `None` when the
/// rename may go on. Renaming a source back to a name it had is allowed.
pub(crate) fn refusal(
    old: &str,
    new: &str,
    old_holds: SourceHoldings,
    new_holds: SourceHoldings,
    old_renamed_to: Option<String>,
    new_renamed_to: Option<String>,
) -> Option<RenameError> {
    if let Some(current) = old_renamed_to {
        return Some(RenameError::AlreadyRenamed {
            old: old.to_string(),
            current,
        });
    }
    if old_holds.is_empty() {
        return Some(RenameError::NothingUnder {
            old: old.to_string(),
        });
    }
    if !new_holds.is_empty() {
        return Some(RenameError::NewHolds {
            new: new.to_string(),
            holdings: new_holds,
        });
    }
    match new_renamed_to {
        Some(current) if current != old => Some(RenameError::FormerName {
            new: new.to_string(),
            current,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_held_names_are_read_from_every_table_a_source_keeps_rows_in() {
        for table in TABLES {
            assert!(
                HELD_NAMES.contains(&format!("SELECT source FROM {table} ")),
                "{table}"
            );
        }
    }

    #[test]
    fn holdings_are_told_by_what_is_held() {
        assert_eq!(SourceHoldings::default().to_string(), "nothing");
        let held = SourceHoldings::of_counts([3, 1, 1, 0, 12, 2]);
        assert_eq!(
            held.to_string(),
            "3 entries, 1 place, the fetch state, 12 pages fetched, 2 cycles"
        );
        assert!(!held.is_empty());
    }

    #[test]
    fn a_rename_is_refused_for_what_the_names_hold() {
        let held = SourceHoldings::of_counts([1, 0, 0, 0, 0, 0]);
        let none = SourceHoldings::default();
        let refused = |old_holds, new_holds, old_to: Option<&str>, new_to: Option<&str>| {
            refusal(
                "wire",
                "reuters",
                old_holds,
                new_holds,
                old_to.map(str::to_string),
                new_to.map(str::to_string),
            )
            .map(|e| e.to_string())
        };
        assert_eq!(refused(held, none, None, None), None);
        assert!(
            refused(none, none, None, None)
                .unwrap()
                .contains("holds nothing")
        );
        assert!(
            refused(held, held, None, None)
                .unwrap()
                .contains("holds 1 entry under source \"reuters\" already")
        );
        assert!(
            refused(none, none, Some("ap"), None)
                .unwrap()
                .contains("renamed to \"ap\" already")
        );
        assert!(
            refused(held, none, None, Some("ap"))
                .unwrap()
                .contains("former name of source \"ap\"")
        );
        // Back to a name the source had.
        assert_eq!(refused(held, none, None, Some("wire")), None);
    }
}

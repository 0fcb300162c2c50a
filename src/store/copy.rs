//! `feedfold store copy`: everything one store holds (articles with their
//! prints, exact keys, sightings, folds, the near-duplicate index, fetch
//! state, the pages sources fetched, the paragraphs sites printed, the
//! counts of each source's last cycles, the texts merges kept aside to undo
//! them) written into another, whatever the
//! two backends, with the same ids; then both are counted and the counts
//! compared. Writing the same records twice changes nothing, so a copy that
//! stopped half-way is finished by running it again. A source renamed in
//! the source store since an earlier copy was taken is renamed in that
//! copy too before anything else is written.

use std::collections::{HashMap, HashSet};

use thiserror::Error;

use super::{Counts, Record, RenameError, Sighting, Store, StoreError};

/// A copy that failed.
#[derive(Debug, Error)]
pub enum CopyError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "the copy does not match: {to} holds {}, {from} {from_count}; \
         copy into an empty store or an earlier copy of the same store",
        .what.count(*.to_count)
    )]
    Mismatch {
        what: Counted,
        from: String,
        from_count: u64,
        to: String,
        to_count: u64,
    },
    #[error(
        "{to} holds {}, more than {from}'s {from_count}: it is not an earlier copy \
         of {from}, and nothing was written; copy into an empty store or an earlier copy of the same store",
        .what.count(*.to_count)
    )]
    Larger {
        what: Counted,
        from: String,
        from_count: u64,
        to: String,
        to_count: u64,
    },
    #[error(
        "{to} holds article {id}, which {from} does not: it is not an earlier copy of {from}, \
         and nothing was written; copy into an empty store or an earlier copy of the same store"
    )]
    Unrelated {
        from: String,
        to: String,
        id: String,
    },
    #[error(
        "{to} saw article {id} {parted}: {to} was filled on its own, it is not an earlier copy \
         of {from}, and nothing was written; copy into an empty store or an earlier copy of the \
         same store"
    )]
    Diverged {
        from: String,
        to: String,
        id: String,
        /// Where `to` saw it where `from` did not: `second in y (y.txt),
        /// where SRC saw it second in x (x.txt)` or `… saw it nowhere else`.
        parted: String,
    },
    #[error(
        "{to}: cannot rename source {former:?} to {current:?} as {from} renamed it: {refused}; \
         no record was copied"
    )]
    Renaming {
        from: String,
        to: String,
        former: String,
        current: String,
        #[source]
        refused: Box<RenameError>,
    },
}

/// How many of the destination's newest articles have their sightings
/// compared with the source's before anything is written.
const CHECKED: usize = 64;

/// What was copied: the counts of both stores afterwards (equal).
#[derive(Debug, Clone, Copy)]
pub struct Copied {
    pub records: u64,
    pub counts: Counts,
}

/// Copies everything in `from` into `to`, one batch per transaction, and
/// checks that `to` then holds as much of everything as `from`.
/// `progress` is told how many records were written so far. A `to` that
/// holds articles `from` does not (another store, not an earlier copy of
/// this one), or that saw one of them first at another place than `from`
/// did (filled on its own), is refused before anything is written: mixed
/// in, its records could not be told apart again. A place is compared
/// under the name its source has in `from` now: a `to` copied before a
/// source was renamed saw it under the old name, and is then renamed as
/// `from` was, before anything else is written.
pub fn copy(
    from: &mut dyn Store,
    to: &mut dyn Store,
    progress: &mut dyn FnMut(u64),
) -> Result<Copied, CopyError> {
    // An earlier copy holds no more of anything than the source, but of
    // what a store forgets, which the copy forgets as the source did.
    let (source, held) = (from.counts()?, to.counts()?);
    let grown = |what: Counted, f: u64, t: u64| t > f && !FORGOTTEN.contains(&what.many);
    if let Some((what, from_count, to_count)) = first_count(&source, &held, grown) {
        return Err(CopyError::Larger {
            what,
            from: from.label(),
            from_count,
            to: to.label(),
            to_count,
        });
    }
    if let Some(id) = first_not_in(to, from)? {
        return Err(CopyError::Unrelated {
            from: from.label(),
            to: to.label(),
            id,
        });
    }
    let renames = from.renamed_sources()?;
    let current_names: HashMap<String, String> = renames.iter().cloned().collect();
    for held in to.feed_entries(None, None, CHECKED)? {
        let copied = from.sightings(&held.id)?;
        let seen = under_current_names(to.sightings(&held.id)?, &current_names);
        if let Some((n, differs)) = first_difference(&copied, &seen) {
            let there = copied.get(n).map_or("nowhere else".into(), |s| {
                format!("{} in {}", ordinal(n), place(s))
            });
            return Err(CopyError::Diverged {
                parted: format!(
                    "{} in {}, where {} saw it {there}",
                    ordinal(n),
                    place(differs),
                    from.label()
                ),
                from: from.label(),
                to: to.label(),
                id: held.id,
            });
        }
    }
    carry_renames(from.label(), to, &renames)?;
    // A source's fetch state and pages fetched are the source store's
    // alone: what it forgot (`sources reset`) the copy forgets too.
    for source in to.fetched_sources()? {
        to.clear_fetch_state(&source)?;
    }
    // Of what a store keeps only the newest of, the copy keeps what the
    // source keeps: not the cycles it ran of its own (a trial `run`, a
    // `serve` started on it), which would outnumber the source's.
    to.forget_kept_newest()?;
    let mut records = 0u64;
    // Checked against the snapshot copied, not against the source as it
    // stands after: a `run` beside the copy may have stored more since.
    let copied = from.export(&mut |batch: Vec<Record>| {
        to.import(&batch)?;
        records += batch.len() as u64;
        progress(records);
        Ok(())
    })?;
    let written = to.counts()?;
    if let Some((what, from_count, to_count)) = first_count(&copied, &written, |_, f, t| f != t) {
        return Err(CopyError::Mismatch {
            what,
            from: from.label(),
            from_count,
            to: to.label(),
            to_count,
        });
    }
    Ok(Copied {
        records,
        counts: written,
    })
}

/// The first article `to` holds (in the order it stored them) that `from`
/// does not: every id of `to` is kept, then struck off by `from`'s. An
/// empty `to` costs nothing.
fn first_not_in(to: &mut dyn Store, from: &mut dyn Store) -> Result<Option<String>, StoreError> {
    let mut held = Vec::new();
    to.article_ids(&mut |ids| {
        held.extend(ids);
        Ok(())
    })?;
    if held.is_empty() {
        return Ok(None);
    }
    let mut unmatched: HashSet<&str> = held.iter().map(String::as_str).collect();
    from.article_ids(&mut |ids| {
        for id in &ids {
            unmatched.remove(id.as_str());
        }
        Ok(())
    })?;
    Ok(held
        .iter()
        .find(|id| unmatched.contains(id.as_str()))
        .cloned())
}

/// `seen` with each sighting's source under the name it has now by
/// `current_names` (a former name to the name its source has now): an
/// earlier copy taken before a rename saw under the old name what the
/// store copied from keeps under the new one.
fn under_current_names(
    mut seen: Vec<Sighting>,
    current_names: &HashMap<String, String>,
) -> Vec<Sighting> {
    for sighting in &mut seen {
        if let Some(current) = current_names.get(&sighting.source) {
            sighting.source.clone_from(current);
        }
    }
    seen
}

/// Renames in `to` each source `from` (labelled `from_label`) renamed
/// (`renames`: a former name with the name its source has now), so that
/// what `to` keeps under the old name (an earlier copy taken before the
/// rename) is the renamed source's there too, and the records copied
/// under the new name join it instead of standing beside it. A name `to`
/// holds nothing under, or renamed already, has nothing to carry: the
/// former names themselves are copied with the rest.
fn carry_renames(
    from_label: String,
    to: &mut dyn Store,
    renames: &[(String, String)],
) -> Result<(), CopyError> {
    for (former, current) in renames {
        match to.rename_source(former, current) {
            Ok(_)
            | Err(RenameError::NothingUnder { .. })
            | Err(RenameError::AlreadyRenamed { .. }) => {}
            Err(RenameError::Store(e)) => return Err(e.into()),
            Err(refused) => {
                return Err(CopyError::Renaming {
                    from: from_label,
                    to: to.label(),
                    former: former.clone(),
                    current: current.clone(),
                    refused: Box::new(refused),
                });
            }
        }
    }
    Ok(())
}

/// Where an earlier copy's sightings of an article (`held`, in the
/// order they arrived) part from the source's (`copied`): the first
/// sighting `held` has at another place than `copied`, or that `copied`
/// lacks, and its number (from 0). An earlier copy saw each article at
/// the places the source did, in the same order, the source perhaps at
/// more since; a store filled on its own may have seen it first elsewhere,
/// and copied into, would then hold folds the source does not (a copy
/// folded into an article first seen where the copy was).
fn first_difference<'a>(
    copied: &[Sighting],
    held: &'a [Sighting],
) -> Option<(usize, &'a Sighting)> {
    held.iter().enumerate().find(|&(n, seen)| {
        copied
            .get(n)
            .is_none_or(|c| (&c.source, &c.location) != (&seen.source, &seen.location))
    })
}

/// A sighting's place as the refusal names it: its source and location.
fn place(seen: &Sighting) -> String {
    format!("{} ({})", seen.source, seen.location)
}

/// `first`, `second`, `third` for sighting 0, 1, 2, then `4th`, `21st`, ….
fn ordinal(n: usize) -> String {
    let n = n + 1;
    match n {
        1 => "first".into(),
        2 => "second".into(),
        3 => "third".into(),
        _ => {
            let suffix = match (n % 10, n % 100) {
                (_, 11..=13) => "th",
                (1, _) => "st",
                (2, _) => "nd",
                (3, _) => "rd",
                _ => "th",
            };
            format!("{n}{suffix}")
        }
    }
}

/// What a store forgets: the oldest of what it keeps only the newest of
/// ([`super::CYCLES_KEPT`] cycles of each source,
/// [`super::SITE_PAGES_KEPT`] pages of each site with their paragraphs),
/// and a source's fetch state and pages fetched (`sources reset`): an
/// earlier copy may hold more of them than its source holds now.
const FORGOTTEN: [&str; 6] = [
    "fetch states",
    "sitemap validators",
    "pages fetched",
    "site pages",
    "site paragraphs",
    "source cycles",
];

/// The first count for which `differs(what, from's, to's)` holds: what it
/// counts, and the two counts.
fn first_count(
    from: &Counts,
    to: &Counts,
    differs: impl Fn(Counted, u64, u64) -> bool,
) -> Option<(Counted, u64, u64)> {
    named(from)
        .into_iter()
        .zip(named(to))
        .find(|&((what, f), (_, t))| differs(what, f, t))
        .map(|((what, f), (_, t))| (what, f, t))
}

/// What a count counts, said of one and of many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    pub one: &'static str,
    pub many: &'static str,
}

impl Counted {
    const fn new(one: &'static str, many: &'static str) -> Counted {
        Counted { one, many }
    }

    /// `n` of what is counted: `1 article`, `2 articles`.
    pub fn count(self, n: u64) -> String {
        crate::plural::count(n, self.one, self.many)
    }
}

/// Each count with what it counts, in the order `store copy` prints them.
pub fn named(counts: &Counts) -> [(Counted, u64); 14] {
    [
        (Counted::new("article", "articles"), counts.articles),
        (Counted::new("sighting", "sightings"), counts.sightings),
        (Counted::new("fold", "folds"), counts.folds),
        (
            Counted::new("content key", "content keys"),
            counts.content_keys,
        ),
        (Counted::new("link key", "link keys"), counts.link_keys),
        (
            Counted::new("upstream key", "upstream keys"),
            counts.upstream_keys,
        ),
        (
            Counted::new("near-duplicate index key", "near-duplicate index keys"),
            counts.near_keys,
        ),
        (
            Counted::new("fetch state", "fetch states"),
            counts.fetch_states,
        ),
        (
            Counted::new("sitemap validator", "sitemap validators"),
            counts.document_validators,
        ),
        (
            Counted::new("page fetched", "pages fetched"),
            counts.seen_pages,
        ),
        (Counted::new("site page", "site pages"), counts.site_pages),
        (
            Counted::new("site paragraph", "site paragraphs"),
            counts.site_paragraphs,
        ),
        (Counted::new("source cycle", "source cycles"), counts.cycles),
        (
            Counted::new("merged article's text", "merged articles' texts"),
            counts.merged_articles,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(source: &str, location: &str) -> Sighting {
        Sighting {
            source: source.into(),
            location: location.into(),
            line: 1,
            first_seen: chrono::Utc::now(),
        }
    }

    #[test]
    fn an_earlier_copy_saw_under_a_former_name_what_the_source_keeps_under_the_new() {
        let renamed = HashMap::from([("wire".to_string(), "reuters".to_string())]);
        let copied = [seen("reuters", "wire.xml"), seen("desk", "a.txt")];
        let held = vec![seen("wire", "wire.xml"), seen("desk", "a.txt")];
        assert_eq!(first_difference(&copied, &held).map(|(n, _)| n), Some(0));
        let held = under_current_names(held, &renamed);
        assert_eq!(held[0].source, "reuters");
        assert_eq!(first_difference(&copied, &held), None);
        // Another place is another place, whatever the names.
        let elsewhere = under_current_names(vec![seen("wire", "other.xml")], &renamed);
        assert_eq!(
            first_difference(&copied, &elsewhere).map(|(n, _)| n),
            Some(0)
        );
    }

    #[test]
    fn sightings_are_numbered_in_words_then_in_digits() {
        let named: Vec<String> = [0, 1, 2, 3, 10, 20, 21, 22, 111].map(ordinal).to_vec();
        assert_eq!(
            named,
            [
                "first", "second", "third", "4th", "11th", "21st", "22nd", "23rd", "112th"
            ]
        );
    }
}

//! Entries an earlier feedfold merged into one article without a record,
//! told apart again when a store is converted (SQLite migration 25,
//! PostgreSQL 22). Before a post's `#fragment` told live-blog posts apart
//! and entries sharing a link without an id were known by their content,
//! the entries of a feed document that an earlier feedfold could not tell
//! apart were one article: each later entry's upstream key and content
//! key led to the first one's article, which showed whichever text came
//! last, and no fold said so. Such an entry is forgotten (its upstream key
//! and content key), so the next run sees it again as a new entry, or
//! folds it as the rules say, recording the fold.
//!
//! Forgotten are, of an article that is an upstream entry of a source:
//! - an upstream key of a source that holds another key of the same
//!   article, which is not the key the article's id was made from (under
//!   the source's name or one it had), whose content is not the article's
//!   and whose fold is not recorded;
//! - a content key that is none of these: the article's current content,
//!   the content an upstream key of it kept, a recorded fold's copy (a
//!   copy known by its content has its content key as its id); while every
//!   sighting of the article is in a source that holds one of its upstream
//!   keys (a copy from elsewhere may have been known by that content key).
//!
//! An entry edited upstream loses the content keys of its earlier
//! versions: it is known by its upstream key, not by them.

use std::collections::{HashMap, HashSet};

use crate::dedup::fingerprint::{article_id, entry_id};
use crate::normalize::Key;

/// An article that holds upstream keys, as the conversion reads it.
pub struct HeldEntries {
    /// Its id.
    pub id: String,
    /// The content key of its current text.
    pub content_key: Key,
    /// Its upstream keys.
    pub entries: Entries,
    /// The ids (unpacked) of the copies its recorded folds took in.
    pub fold_copies: HashSet<String>,
    /// Its content keys (the first 16 bytes of each).
    pub content_keys: Vec<Vec<u8>>,
    /// The sources it was seen in.
    pub sighting_sources: HashSet<String>,
}

/// An article's upstream keys: source, key, and the content key the
/// entry had.
pub type Entries = Vec<(String, String, Vec<u8>)>;

/// The articles worth examining, in the order they were stored, each with
/// its upstream keys (`by_article`): those holding two keys of one source,
/// or more than one content key (`several_contents`).
pub fn to_examine(
    by_article: HashMap<i64, Entries>,
    several_contents: &HashSet<i64>,
) -> Vec<(i64, Entries)> {
    let mut examined: Vec<(i64, Entries)> = by_article
        .into_iter()
        .filter(|(seq, entries)| {
            several_contents.contains(seq)
                || entries
                    .iter()
                    .any(|(source, _, _)| entries.iter().filter(|e| &e.0 == source).count() > 1)
        })
        .collect();
    examined.sort_by_key(|(seq, _)| *seq);
    examined
}

/// What the conversion forgets of one article.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Forgotten {
    /// Upstream keys: source and key.
    pub entries: Vec<(String, String)>,
    /// Content keys (16 bytes).
    pub content_keys: Vec<Vec<u8>>,
}

/// What to forget of `article`; `former_names(source)` are the names
/// `source` had before a rename.
pub fn forgotten(article: &HeldEntries, former_names: impl Fn(&str) -> Vec<String>) -> Forgotten {
    let own = |source: &str, key: &str| {
        std::iter::once(source.to_string())
            .chain(former_names(source))
            .any(|name| entry_id(&name, key) == article.id)
    };
    let merged_without_record = |(source, key, content): &(String, String, Vec<u8>)| {
        let keys_of_source = article.entries.iter().filter(|e| &e.0 == source).count();
        keys_of_source > 1
            && content[..] != article.content_key[..]
            && !own(source, key)
            && !article.fold_copies.contains(&entry_id(source, key))
    };
    let (gone, kept): (Vec<_>, Vec<_>) = article
        .entries
        .iter()
        .partition(|e| merged_without_record(e));
    let entries = gone
        .iter()
        .map(|(source, key, _)| (source.clone(), key.clone()))
        .collect();
    let seen_elsewhere = article
        .sighting_sources
        .iter()
        .any(|source| !kept.iter().any(|(s, _, _)| s == source));
    if seen_elsewhere {
        return Forgotten {
            entries,
            content_keys: Vec::new(),
        };
    }
    let prefix = |key: &[u8]| key.get(..16).map(<[u8]>::to_vec);
    let mut known: HashSet<Vec<u8>> = kept.iter().filter_map(|(_, _, c)| prefix(c)).collect();
    known.extend(prefix(&article.content_key));
    let content_keys = article
        .content_keys
        .iter()
        .filter(|key| !known.contains(*key))
        .filter(|key| {
            let mut full = [0u8; 32];
            full[..16].copy_from_slice(key);
            !article.fold_copies.contains(&article_id(&full))
        })
        .cloned()
        .collect();
    Forgotten {
        entries,
        content_keys,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> Key {
        [byte; 32]
    }

    /// A live page's two posts, stored as one article under the first's id,
    /// the second's text and key leading to it.
    fn live_page() -> HeldEntries {
        HeldEntries {
            id: entry_id("live", "https://t.example/live#post-1"),
            content_key: key(1),
            entries: vec![
                (
                    "live".into(),
                    "https://t.example/live#post-1".into(),
                    key(1).to_vec(),
                ),
                (
                    "live".into(),
                    "https://t.example/live#post-2".into(),
                    key(2).to_vec(),
                ),
            ],
            fold_copies: HashSet::new(),
            content_keys: vec![key(1)[..16].to_vec(), key(2)[..16].to_vec()],
            sighting_sources: HashSet::from(["live".to_string()]),
        }
    }

    #[test]
    fn a_post_merged_into_another_is_forgotten_with_its_content() {
        let forgotten = forgotten(&live_page(), |_| Vec::new());
        assert_eq!(
            forgotten.entries,
            [(
                "live".to_string(),
                "https://t.example/live#post-2".to_string()
            )]
        );
        assert_eq!(forgotten.content_keys, [key(2)[..16].to_vec()]);
    }

    #[test]
    fn a_recorded_fold_is_kept() {
        let mut article = live_page();
        article
            .fold_copies
            .insert(entry_id("live", "https://t.example/live#post-2"));
        assert_eq!(forgotten(&article, |_| Vec::new()), Forgotten::default());
    }

    #[test]
    fn the_key_the_id_was_made_from_under_a_former_name_is_the_articles_own() {
        let mut article = live_page();
        article.id = entry_id("desk", "https://t.example/live#post-2");
        article.content_key = key(2);
        let forgotten = forgotten(&article, |_| vec!["desk".to_string()]);
        assert_eq!(
            forgotten.entries,
            [(
                "live".to_string(),
                "https://t.example/live#post-1".to_string()
            )]
        );
    }

    #[test]
    fn an_article_seen_in_another_source_keeps_its_content_keys() {
        let mut article = live_page();
        article.sighting_sources.insert("dumps".into());
        let forgotten = forgotten(&article, |_| Vec::new());
        assert_eq!(forgotten.entries.len(), 1);
        assert!(forgotten.content_keys.is_empty());
    }

    #[test]
    fn entries_sharing_a_key_keep_it_and_lose_the_content_keys_of_the_others() {
        // Two entries with one link and no id: one upstream key, both texts'
        // content keys, and a dump copy folded in by its content.
        let dump_copy = key(9);
        let article = HeldEntries {
            id: entry_id("t", "https://t.example/shared"),
            content_key: key(1),
            entries: vec![(
                "t".into(),
                "https://t.example/shared".into(),
                key(1).to_vec(),
            )],
            fold_copies: HashSet::from([article_id(&dump_copy)]),
            content_keys: vec![
                key(1)[..16].to_vec(),
                key(2)[..16].to_vec(),
                dump_copy[..16].to_vec(),
            ],
            sighting_sources: HashSet::from(["t".to_string()]),
        };
        let forgotten = forgotten(&article, |_| Vec::new());
        assert!(forgotten.entries.is_empty());
        assert_eq!(forgotten.content_keys, [key(2)[..16].to_vec()]);
    }
}

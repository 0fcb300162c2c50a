//! Deduplication: what an incoming article is with respect to the store.
//! The exact content key is the first and cheapest test; an article whose
//! key is already known is a repeat of the article that key belongs to.
//! [`Fingerprints`] also carries what near-duplicate folding compares
//! ([`near::compare`]): the folded headline, a SimHash of the body and a
//! SimHash per paragraph.

pub mod fingerprint;
pub mod headline;
pub mod near;
pub mod simhash;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::{Article, BlockKind, StoredArticle};
use crate::normalize::{Key, fold};

use simhash::SimHasher;

/// The fingerprints an incoming article is matched by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprints {
    /// sha256 over the folded headline and body: equal for exact repeats.
    pub content_key: Key,
    /// The headline folded as every line is ([`fold`]: case, white space,
    /// quote style): equal for rule "same-headline".
    pub title: String,
    /// The headline folded by [`headline::fold_headline`] (site suffix,
    /// dateline, wire tags, case and punctuation away): equal for rule
    /// "folded-headline". Index [`Fingerprints::headline_key`] to find
    /// same-headline candidates whose bodies moved beyond the band index.
    pub headline: String,
    /// 64-bit SimHash of the body's word shingles (shingles do not cross
    /// blocks; a wire dateline opening the first paragraph is left out).
    pub simhash: u64,
    /// How many shingles `simhash` was taken over.
    pub shingles: u32,
    /// Words in the body.
    pub words: u32,
    /// One print per body block, in order.
    pub paragraphs: Vec<ParagraphPrint>,
    pub published: Option<DateTime<Utc>>,
    pub updated: Option<DateTime<Utc>>,
}

/// The SimHash of one body block and its size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParagraphPrint {
    pub simhash: u64,
    pub words: u32,
    pub shingles: u32,
}

impl Fingerprints {
    pub fn of(article: &Article) -> Self {
        let mut scratch = String::new();
        let mut words = Vec::new();
        let mut whole = SimHasher::new();
        let mut paragraphs = Vec::with_capacity(article.body.len());
        for (i, block) in article.body.iter().enumerate() {
            let text = if i == 0 && block.kind == BlockKind::Paragraph {
                headline::strip_dateline(&block.text)
            } else {
                &block.text
            };
            words.clear();
            simhash::words_into(text, &mut scratch, &mut words);
            let mut hasher = SimHasher::new();
            hasher.add_words(&words);
            whole.merge(&hasher);
            paragraphs.push(ParagraphPrint {
                simhash: hasher.finish(),
                words: words.len() as u32,
                shingles: hasher.features(),
            });
        }
        Fingerprints {
            content_key: fingerprint::content_key(article),
            title: fold(&article.title),
            headline: headline::fold_headline(&article.title),
            simhash: whole.finish(),
            shingles: whole.features(),
            words: paragraphs.iter().map(|p| p.words).sum(),
            paragraphs,
            published: article.published,
            updated: article.updated,
        }
    }

    /// The fingerprints of an article already in the store, for verifying a
    /// candidate whose fingerprints were not kept.
    pub fn of_stored(stored: &StoredArticle) -> Self {
        Self::of(&Article {
            title: stored.title.clone(),
            published: Some(stored.published),
            updated: Some(stored.updated),
            body: stored.body.clone(),
            ..Default::default()
        })
    }

    /// sha256 of the folded headline, for an index of same-headline
    /// candidates.
    pub fn headline_key(&self) -> Key {
        Sha256::digest(self.headline.as_bytes()).into()
    }

    /// The date the copy speaks for: when it was last updated, else
    /// published.
    pub fn date(&self) -> Option<DateTime<Utc>> {
        self.updated.or(self.published)
    }
}

/// What folding decided for one incoming article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Not seen before: store it under this new id.
    New { id: String },
    /// Exactly the content of a stored article: record the sighting only.
    Repeat { id: String },
}

impl Decision {
    pub fn id(&self) -> &str {
        match self {
            Decision::New { id } | Decision::Repeat { id } => id,
        }
    }
}

/// Decides from the id the store already holds for the content key, if any.
pub fn decide(fingerprints: &Fingerprints, known_id: Option<String>) -> Decision {
    match known_id {
        Some(id) => Decision::Repeat { id },
        None => Decision::New {
            id: fingerprint::article_id(&fingerprints.content_key),
        },
    }
}

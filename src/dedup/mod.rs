//! Deduplication: what an incoming article is with respect to the store.
//! The exact content key is the first and cheapest test; an article whose
//! key is already known is a repeat of the article that key belongs to.
//! [`Fingerprints`] also carries what near-duplicate folding compares
//! ([`near::compare`]): the folded headline and how much of it the body
//! uses, SimHashes of the whole body and of its lead ([`simhash`]), a
//! SimHash per paragraph, and an exact key of the body alone.

pub mod fingerprint;
pub mod headline;
pub mod near;
pub mod simhash;

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::{Article, BlockKind, StoredArticle};
use crate::normalize::{Key, fold};

use simhash::SimHasher;

/// How many shingles from the start of the body make the `lead` SimHash:
/// about the first paragraph of a news story.
pub const LEAD_SHINGLES: u32 = 40;

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
    /// [`simhash::stable_hash`] of the body's folded words (a wire dateline
    /// opening the first paragraph left out): equal when the bodies differ
    /// at most in case, quotes, punctuation and dateline.
    pub body_key: u64,
    /// 64-bit SimHash of the body's word shingles (shingles do not cross
    /// blocks; a wire dateline opening the first paragraph is left out).
    pub simhash: u64,
    /// How many shingles `simhash` was taken over.
    pub shingles: u32,
    /// 64-bit SimHash of the body's first [`LEAD_SHINGLES`] shingles: the
    /// lead, which stays when paragraphs are appended and the whole body's
    /// SimHash moves beyond the band index. Index its bands too.
    pub lead: u64,
    /// Words in the body.
    pub words: u32,
    /// One print per body block, in order.
    pub paragraphs: Vec<ParagraphPrint>,
    /// How many [`headline::terms`] the folded headline has, and how many
    /// of them the body has too (as stems of its words): see
    /// [`Fingerprints::support`].
    pub headline_terms: u32,
    pub headline_terms_in_body: u32,
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
        let mut lead = SimHasher::new();
        let mut paragraphs = Vec::with_capacity(article.body.len());
        let mut body_text = String::new();
        let mut stems = HashSet::new();
        for (i, block) in article.body.iter().enumerate() {
            let text = if i == 0 && block.kind == BlockKind::Paragraph {
                headline::strip_dateline(&block.text)
            } else {
                &block.text
            };
            words.clear();
            simhash::words_into(text, &mut scratch, &mut words);
            if i > 0 {
                body_text.push('\n');
            }
            body_text.push_str(&words.join(" "));
            stems.extend(
                words
                    .iter()
                    .map(|w| simhash::stable_hash(headline::stem(w).as_bytes())),
            );
            let mut hasher = SimHasher::new();
            for hash in simhash::shingle_hashes(&words, simhash::SHINGLE_WORDS) {
                hasher.add(hash);
                if lead.features() < LEAD_SHINGLES {
                    lead.add(hash);
                }
            }
            whole.merge(&hasher);
            paragraphs.push(ParagraphPrint {
                simhash: hasher.finish(),
                words: words.len() as u32,
                shingles: hasher.features(),
            });
        }
        let headline = headline::fold_headline(&article.title);
        let terms = headline::terms(&headline);
        let grounded = terms
            .iter()
            .filter(|t| stems.contains(&simhash::stable_hash(t.as_bytes())))
            .count();
        Fingerprints {
            content_key: fingerprint::content_key(article),
            title: fold(&article.title),
            headline_terms: terms.len() as u32,
            headline_terms_in_body: grounded as u32,
            headline,
            body_key: simhash::stable_hash(body_text.as_bytes()),
            simhash: whole.finish(),
            shingles: whole.features(),
            lead: lead.finish(),
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

    /// The share of the headline's terms that its own body uses, from 0 to
    /// 1: how well the headline describes the body. A story's headline,
    /// rewritten or not, is about its text; a consent wall or paywall
    /// scraped in place of the story is about nothing in it.
    pub fn support(&self) -> f64 {
        if self.headline_terms == 0 {
            0.0
        } else {
            f64::from(self.headline_terms_in_body) / f64::from(self.headline_terms)
        }
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

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::model::Block;

    fn article(title: &str, paragraphs: &[&str]) -> Article {
        Article {
            title: title.into(),
            body: paragraphs.iter().map(|p| Block::paragraph(*p)).collect(),
            ..Default::default()
        }
    }

    const LEAD: &str = "The board of the Port of Calder voted on Monday to approve a \
        long-delayed expansion of the northern harbour, ending a dispute with fishing \
        cooperatives that had stalled the project for more than a year.";
    const MORE: &str = "Construction is expected to begin in the spring and to take three \
        years, with the first berth open to ships before the end of the second summer.";

    #[test]
    fn body_key_and_simhash_ignore_dateline_case_and_quotes() {
        let a = Fingerprints::of(&article("Port approves expansion", &[LEAD, MORE]));
        let dated = format!("CALDER (Reuters) - {}", LEAD.to_uppercase());
        let b = Fingerprints::of(&article("Port approves expansion", &[&dated, MORE]));
        assert_ne!(a.content_key, b.content_key);
        assert_eq!(
            (a.body_key, a.simhash, a.lead),
            (b.body_key, b.simhash, b.lead)
        );
        assert_eq!(a.paragraphs, b.paragraphs);
        assert_eq!(a.words, 36 + 27);
        assert_eq!(a.paragraphs[0].shingles, 34);
        assert_eq!(a.shingles, 34 + 25);
    }

    #[test]
    fn the_lead_covers_the_first_shingles_only() {
        let short = Fingerprints::of(&article("T", &[LEAD]));
        assert_eq!(
            short.lead, short.simhash,
            "under 40 shingles the lead is all"
        );
        let long = Fingerprints::of(&article("T", &[LEAD, MORE]));
        let longer = Fingerprints::of(&article("T", &[LEAD, MORE, MORE]));
        assert_eq!(long.lead, longer.lead);
        assert_ne!(long.simhash, longer.simhash);
    }

    #[test]
    fn support_counts_headline_terms_found_in_the_body() {
        let f = Fingerprints::of(&article("Calder harbour expansion gets go-ahead", &[LEAD]));
        // calde, harbo, expan in the body; gets, go, ahead not.
        assert_eq!((f.headline_terms, f.headline_terms_in_body), (6, 3));
        assert_eq!(f.support(), 0.5);
        let none = Fingerprints::of(&article("", &[LEAD]));
        assert_eq!(none.support(), 0.0);
    }

    #[test]
    fn stored_articles_print_like_the_article_they_came_from() {
        let a = article("Port approves expansion", &[LEAD, MORE]);
        let when = Utc.with_ymd_and_hms(2026, 10, 5, 9, 15, 0).unwrap();
        let stored = StoredArticle {
            id: "x".into(),
            title: a.title.clone(),
            published: when,
            updated: when,
            body: a.body.clone(),
            ..Default::default()
        };
        let from_store = Fingerprints::of_stored(&stored);
        let fresh = Fingerprints::of(&a);
        assert_eq!(from_store.content_key, fresh.content_key);
        assert_eq!(from_store.simhash, fresh.simhash);
        assert_eq!(from_store.date(), Some(when));
        assert_eq!(fresh.date(), None);
        assert_eq!(
            fresh.headline_key(),
            Fingerprints::of(&a.clone()).headline_key()
        );
    }

    #[test]
    fn fingerprints_round_trip_through_json() {
        let f = Fingerprints::of(&article("Port approves expansion", &[LEAD, MORE]));
        let json = serde_json::to_string(&f).unwrap();
        assert_eq!(serde_json::from_str::<Fingerprints>(&json).unwrap(), f);
    }
}

//! Deduplication: what an incoming article is with respect to the store.
//! The exact content key is the first and cheapest test; an article whose
//! key is already known is a repeat of the article that key belongs to.

pub mod fingerprint;

use crate::model::Article;
use crate::normalize::Key;

/// The fingerprints an incoming article is matched by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprints {
    pub content_key: Key,
}

impl Fingerprints {
    pub fn of(article: &Article) -> Self {
        Fingerprints {
            content_key: fingerprint::content_key(article),
        }
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

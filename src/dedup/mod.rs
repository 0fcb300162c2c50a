//! Deduplication: what an incoming article is with respect to the store.
//! An upstream entry seen again (same source, same upstream key) is the same
//! article, updated when its content changed. Otherwise the exact content
//! key, then the canonical link, are the cheapest tests: a match is a repeat
//! of the article it belongs to. Anything else is new, with an id that never
//! changes: from the upstream key when there is one, else from the content.

pub mod fingerprint;

use crate::model::Article;
use crate::normalize::{Key, canonical_url};

/// The fingerprints an incoming article is matched by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprints {
    pub content_key: Key,
    /// The article's link in canonical form.
    pub canonical_link: Option<String>,
    /// The id the article gets if it turns out to be new.
    pub new_id: String,
}

impl Fingerprints {
    /// Fingerprints of `article` as read from `source`.
    pub fn of(article: &Article, source: &str) -> Self {
        let content_key = fingerprint::content_key(article);
        let new_id = match &article.upstream_key {
            Some(key) => fingerprint::entry_id(source, key),
            None => fingerprint::article_id(&content_key),
        };
        Fingerprints {
            content_key,
            canonical_link: article.link.as_deref().and_then(canonical_url),
            new_id,
        }
    }
}

/// What folding decided for one incoming article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Not seen before: store it under this new id.
    New { id: String },
    /// Exactly the content or the link of a stored article: record the
    /// sighting only.
    Repeat { id: String },
    /// A known upstream entry whose content changed: update the stored
    /// article's content and `updated`, keep its id and `published`.
    Update { id: String },
}

impl Decision {
    pub fn id(&self) -> &str {
        match self {
            Decision::New { id } | Decision::Repeat { id } | Decision::Update { id } => id,
        }
    }
}

/// What the store already knows about an incoming article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Known {
    /// The article this upstream entry (same source and upstream key) was
    /// folded into, with the content key it had then.
    pub entry: Option<(String, Key)>,
    /// The article holding this exact content key.
    pub by_content: Option<String>,
    /// The article holding this canonical link.
    pub by_link: Option<String>,
}

/// Decides what an incoming article is, from what the store knows.
pub fn decide(fingerprints: &Fingerprints, known: Known) -> Decision {
    if let Some((id, last_key)) = known.entry {
        return if last_key == fingerprints.content_key {
            Decision::Repeat { id }
        } else {
            Decision::Update { id }
        };
    }
    match known.by_content.or(known.by_link) {
        Some(id) => Decision::Repeat { id },
        None => Decision::New {
            id: fingerprints.new_id.clone(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fingerprints() -> Fingerprints {
        Fingerprints {
            content_key: [1; 32],
            canonical_link: None,
            new_id: "new".into(),
        }
    }

    #[test]
    fn known_entry_with_same_content_is_a_repeat_else_an_update() {
        let same = Known {
            entry: Some(("a".into(), [1; 32])),
            ..Known::default()
        };
        assert_eq!(
            decide(&fingerprints(), same),
            Decision::Repeat { id: "a".into() }
        );
        let changed = Known {
            entry: Some(("a".into(), [2; 32])),
            by_content: Some("b".into()),
            ..Known::default()
        };
        assert_eq!(
            decide(&fingerprints(), changed),
            Decision::Update { id: "a".into() }
        );
    }

    #[test]
    fn content_then_link_match_make_a_repeat() {
        let both = Known {
            by_content: Some("c".into()),
            by_link: Some("l".into()),
            ..Known::default()
        };
        assert_eq!(
            decide(&fingerprints(), both),
            Decision::Repeat { id: "c".into() }
        );
        let link = Known {
            by_link: Some("l".into()),
            ..Known::default()
        };
        assert_eq!(
            decide(&fingerprints(), link),
            Decision::Repeat { id: "l".into() }
        );
        assert_eq!(
            decide(&fingerprints(), Known::default()),
            Decision::New { id: "new".into() }
        );
    }
}

//! The types every stage shares: an [`Article`] as ingest produces it, its
//! [`Caption`]s and body [`Block`]s, and the [`StoredArticle`] that the store
//! hands to publishing.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A photo caption with its credit split off: `… Lukashenko (AP)` becomes
/// text `… Lukashenko` and credit `AP`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caption {
    pub text: String,
    pub credit: Option<String>,
}

/// What a body block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    Paragraph,
    Subhead,
}

/// One block of an article body, in reading order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
}

impl Block {
    pub fn paragraph(text: impl Into<String>) -> Self {
        Block {
            kind: BlockKind::Paragraph,
            text: text.into(),
        }
    }

    pub fn subhead(text: impl Into<String>) -> Self {
        Block {
            kind: BlockKind::Subhead,
            text: text.into(),
        }
    }
}

/// Where an article was read: the file or URL and the line its headline is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub location: String,
    pub line: usize,
}

/// A normalized article, as every ingester produces it: one headline, each
/// distinct caption once, each body block once, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    pub title: String,
    /// The date printed with the article; `None` when it had none (the store
    /// then uses the moment it was first seen).
    pub published: Option<DateTime<Utc>>,
    pub captions: Vec<Caption>,
    pub body: Vec<Block>,
    pub origin: Origin,
}

/// An article as the store keeps it: the identity it was given when first
/// seen, and the dates that publishing needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredArticle {
    pub id: String,
    pub title: String,
    pub published: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub captions: Vec<Caption>,
    pub body: Vec<Block>,
}

/// One published feed, as `[[feed]]` in the config describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedSpec {
    /// File stem and URL name: `news` -> `news.rss`, `news.atom`, `news.json`.
    pub name: String,
    pub title: String,
    pub description: Option<String>,
    /// The sources whose articles it carries; `None` for all.
    pub sources: Option<Vec<String>>,
    pub limit: usize,
}

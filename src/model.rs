//! The types every stage shares: an [`Article`] as ingest produces it, its
//! [`Caption`]s and body [`Block`]s, and the [`StoredArticle`] that the store
//! hands to publishing.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use crate::normalize::Key;

/// A photo caption with its credit split off: `… Lukashenko (AP)` becomes
/// text `… Lukashenko` and credit `AP`. Feeds may also give the image itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caption {
    pub text: String,
    pub credit: Option<String>,
    /// The absolute URL of the image, when the source names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// The image's alt text, when the source gives one (a page's `<img alt>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alt: Option<String>,
    /// The picture is the lead image a page declares in its metadata
    /// (`og:image`, `twitter:image`, JSON-LD `image`) and shows nowhere its
    /// text could be read from: the story's photo only where no copy of it
    /// shows one ([`Photos`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub declared: bool,
}

impl Caption {
    pub fn credited(text: impl Into<String>, credit: impl Into<String>) -> Self {
        Caption {
            text: text.into(),
            credit: Some(credit.into()),
            ..Caption::default()
        }
    }
}

/// What an article's captions give of its photos, least first: a copy of
/// a story gives its captions over another's only when they give as much.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Photos {
    /// No caption and no picture.
    None,
    /// Only the lead image its page declares ([`Caption::declared`]).
    Declared,
    /// A caption, or a picture shown in the story.
    Shown,
}

impl Photos {
    pub fn of(captions: &[Caption]) -> Photos {
        if captions.iter().any(|caption| !caption.declared) {
            Photos::Shown
        } else if captions.is_empty() {
            Photos::None
        } else {
            Photos::Declared
        }
    }
}

/// A media file an entry carries besides its pictures (a podcast's audio,
/// a video, a PDF), republished as an RSS `enclosure`, an Atom
/// `rel="enclosure"` link and a JSON Feed attachment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enclosure {
    /// Absolute, `http` or `https`.
    pub url: String,
    /// Its MIME type, when the source gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// Its size in bytes, when the source gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<u64>,
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

/// Where an article was read: the file or URL and the line its headline is on
/// (for feeds, the entry's position in the document).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    pub location: String,
    pub line: usize,
}

/// A normalized article, as every ingester produces it: one headline, each
/// distinct caption once, each body block once, in order. Dumps fill the
/// text fields; feed entries also carry their link, upstream id and HTML.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Article {
    /// Plain text.
    pub title: String,
    /// The date printed with the article; `None` when it had none (the store
    /// then uses the moment it was first seen).
    pub published: Option<DateTime<Utc>>,
    /// When the source says the article last changed.
    pub updated: Option<DateTime<Utc>>,
    pub captions: Vec<Caption>,
    /// The text of the article as blocks: what fingerprints are taken over.
    pub body: Vec<Block>,
    /// The absolute permalink, when the source gives one.
    pub link: Option<String>,
    /// The entry's id in its source document (`guid`, Atom `id`, JSON `id`).
    pub upstream_id: Option<String>,
    /// What identifies the entry within its source across fetches: the
    /// upstream id, else the link; id and link together where a document
    /// repeats an id. `None` for dumps, which are identified by content.
    pub upstream_key: Option<String>,
    /// Other entries of the same document give the same link (a section or
    /// home page), so it names no one story: it is published, but nothing
    /// is matched on it.
    pub shared_link: bool,
    /// The body stands for the page the entry's link leads to (full
    /// text): the page's article fetched for it, or, when the page could
    /// not be read, the entry's own text in its place; or it is the page a
    /// sitemap lists, read again. Either replaces the entry's stored text
    /// only as another copy's would ([`crate::dedup::decide`]).
    pub page_text: bool,
    /// The link the page the entry's text was completed from gives itself
    /// (its canonical link), when it is another than the entry's own (a
    /// partner's copy of a story declaring the original's address): the
    /// article keeps the entry's link, and is matched on this one
    /// ([`crate::dedup::Fingerprints::canonical_link`]), as the page read
    /// by a `pages` source would be. `None` for any other article.
    pub page_link: Option<String>,
    pub authors: Vec<String>,
    pub categories: Vec<String>,
    /// Media files other than pictures (pictures are captions).
    pub enclosures: Vec<Enclosure>,
    /// A plain-text summary given by the source.
    pub summary: Option<String>,
    /// Sanitized HTML given by the source; `None` renders from `body`.
    pub content_html: Option<String>,
    pub origin: Origin,
    /// The keys of `title` and of each body block, when the ingester already
    /// computed them while reading: dedup takes the content key over them
    /// without folding the text again.
    pub line_keys: Option<LineKeys>,
}

/// The [`crate::normalize::folded_key`] of an article's headline and of
/// each body block, in order (a crosshead's taken over its words alone).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineKeys {
    pub title: Key,
    pub blocks: Vec<Key>,
}

/// An article as the store keeps it: the identity it was given when first
/// seen, and what publishing needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredArticle {
    pub id: String,
    pub title: String,
    pub published: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub captions: Vec<Caption>,
    pub body: Vec<Block>,
    pub link: Option<String>,
    pub authors: Vec<String>,
    pub categories: Vec<String>,
    pub enclosures: Vec<Enclosure>,
    pub summary: Option<String>,
    /// Sanitized HTML from the source; `None` renders from `body`.
    pub content_html: Option<String>,
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

/// A moment as every stage writes it: RFC 3339 in UTC with whole seconds
/// (what the feeds but RSS, the store, the API and the commands print).
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

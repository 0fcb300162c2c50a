//! A feed document as the readers leave it, before it becomes articles: per
//! entry, the text of each field that matters, with the `xml:base` in force
//! where it was found. The XML reader and the JSON Feed reader both produce
//! it; `entry` turns it into articles.

use std::rc::Rc;

use url::Url;

use super::media::EntryMedia;
use crate::normalize::Names;

/// A document's feed-level fields and its entries, in document order.
#[derive(Debug, Default)]
pub(super) struct RawFeed {
    pub title: Option<RawText>,
    /// The feed's web page, as written.
    pub link: Option<Located>,
    /// The document's own URL, as its `rel="self"` link gives it.
    pub self_link: Option<Located>,
    /// Feed-level authors (Atom's apply to entries without their own).
    pub authors: Names,
    pub entries: Vec<RawEntry>,
    pub warnings: Vec<String>,
    /// The document broke off before its root element closed: what came
    /// before was read, but more may have followed.
    pub truncated: bool,
    /// The 1-based numbers of the entries left out as malformed, in order.
    pub left_out: Vec<usize>,
}

/// A text field's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RawText {
    pub value: String,
    /// HTML source, as opposed to plain text.
    pub html: bool,
}

/// A value with the `xml:base` in force where it was written, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Located<T = String> {
    pub value: T,
    pub base: Option<Rc<Url>>,
}

/// One entry (`item`, `entry`, a JSON Feed item).
#[derive(Debug, Default)]
pub(super) struct RawEntry {
    /// The 1-based line of the document the entry starts on.
    pub line: usize,
    pub title: Option<RawText>,
    /// A title of last resort (`media:title`), used when the entry has no
    /// title of its own.
    pub fallback_title: Option<RawText>,
    /// The first summary-like field: `description`, `summary`,
    /// `dc:description`, `itunes:summary`.
    pub summary: Option<RawText>,
    /// A second summary-like field, read as the content when there is none.
    pub second_summary: Option<RawText>,
    /// `media:description`, a summary of last resort.
    pub media_summary: Option<RawText>,
    /// The content (`content:encoded`, Atom `content`, `xhtml:body`), with
    /// the base in force at it.
    pub content: Option<Located<RawText>>,
    /// The `xml:base` in force at the summary.
    pub summary_base: Option<Rc<Url>>,
    /// The entry's web page, as written.
    pub link: Option<Located>,
    /// The id (`guid`, Atom `id`, `rdf:about`).
    pub id: Option<String>,
    /// Whether the id may serve as the link (RSS `guid` without
    /// `isPermaLink="false"`).
    pub id_is_link: bool,
    /// The `xml:base` in force at the id, if an element set one.
    pub xml_base_at_id: Option<Rc<Url>>,
    pub published: Option<String>,
    pub updated: Option<String>,
    /// A date that does not say which it is (Dublin Core `dc:date`): the
    /// publication date when no other is given, and the update date when
    /// no other is given.
    pub date: Option<String>,
    pub authors: Names,
    /// The authors of the entry's Atom `source`: the entry's when it names
    /// none of its own (RFC 4287 §4.2.1), before the feed's.
    pub source_authors: Names,
    pub categories: Names,
    pub media: EntryMedia,
    /// The `xml:base` in force at the entry.
    pub base: Option<Rc<Url>>,
}

impl RawEntry {
    /// Whether the entry holds nothing of its own: no title, text, link,
    /// id or picture (`<item/>`, an item of unknown elements).
    pub(super) fn is_empty(&self) -> bool {
        self.title.is_none()
            && self.fallback_title.is_none()
            && self.summary.is_none()
            && self.second_summary.is_none()
            && self.media_summary.is_none()
            && self.content.is_none()
            && self.link.is_none()
            && self.id.is_none()
            && self.media.first_url().is_none()
    }
}

//! Feed documents -> articles: RSS 0.90, 0.91, 0.92, 1.0 (RDF) and 2.0,
//! Atom 0.3 and 1.0, JSON Feed 1.0 and 1.1. feed-rs does the reading; this
//! module wraps it so that its quirks do not leak:
//!
//! - the encoding comes from the byte-order mark, the HTTP charset, the XML
//!   declaration or UTF-16 sniffing (`decode`), and feed-rs only ever sees
//!   UTF-8 (it panics on UTF-16 big-endian and on mid-document declarations);
//! - entity declarations that could expand or read files are refused, Atom
//!   0.3 and RSS 0.90 are rewritten into the versions feed-rs reads, and a
//!   document feed-rs rejects for an empty or oddly typed text element is
//!   repaired and read again; durations it would panic on are dropped (`xml`);
//! - the ids feed-rs invents for entries without one are never used;
//! - timestamps parse strictly first, leniently only when that fails
//!   (`timestamp`);
//! - pictures and `xml:base` come from a scan of our own (`scan`);
//! - every piece of HTML is sanitized, relative links made absolute.
//!
//! Each entry becomes an [`Article`] with the same plain-text body model as
//! scraped dumps, plus its link, upstream id and sanitized HTML.

mod decode;
mod scan;
mod timestamp;
mod xml;

use std::collections::{HashMap, HashSet};
use std::fmt;

use chrono::{DateTime, Utc};
use feed_rs::model::{Entry, Feed, Link, Text};
use feed_rs::parser::{ParseErrorKind, ParseFeedError};
use mediatype::MediaTypeBuf;
use thiserror::Error;
use url::Url;

use self::scan::{Layout, ScannedEntry};
use self::xml::{Fixes, RSS_090_NS, Root};
use crate::ingest::date;
use crate::ingest::sanitize::{Sanitizer, html_to_text, text_to_blocks};
use crate::model::{Article, Block, Caption, Origin};
use crate::normalize::{clean_text, fold, truncate_words};

/// A title made up from the body, for entries that have none, is at most
/// this many characters.
const MADE_UP_TITLE_CHARS: usize = 80;

/// A feed document that cannot be read, naming the document and the cause.
#[derive(Debug, Error)]
#[error("{location}: {kind}")]
pub struct FeedError {
    /// The URL or path the document came from.
    pub location: String,
    pub kind: FeedErrorKind,
}

/// Why a feed document cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FeedErrorKind {
    #[error("the document is empty")]
    Empty,
    /// `offset` counts bytes of the document as given.
    #[error("binary data, not a feed (a NUL character at byte {offset})")]
    Binary { offset: usize },
    #[error("not a feed: {found}")]
    NotAFeed { found: String },
    #[error(
        "line {line}: the DOCTYPE declares the external entity `{name}`; external entities are never read, so the document is refused"
    )]
    ExternalEntity { name: String, line: usize },
    #[error(
        "line {line}: the DOCTYPE declares the entity `{name}`, which expands other entities (an XML bomb); entities are never expanded, so the document is refused"
    )]
    EntityExpansion { name: String, line: usize },
    #[error("malformed XML at line {line}, column {column}: {message}")]
    Xml {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("malformed JSON at line {line}, column {column}: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("unsupported JSON Feed version `{version}` (1.0 and 1.1 are read)")]
    JsonVersion { version: String },
    #[error("invalid feed: {message}")]
    Invalid { message: String },
}

/// The format and version a document was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedFormat {
    Rss090,
    Rss091,
    Rss092,
    Rss10,
    /// RSS 2.0, and `<rss>` documents of other or no version.
    Rss20,
    Atom03,
    Atom10,
    JsonFeed10,
    JsonFeed11,
}

impl fmt::Display for FeedFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FeedFormat::Rss090 => "RSS 0.90",
            FeedFormat::Rss091 => "RSS 0.91",
            FeedFormat::Rss092 => "RSS 0.92",
            FeedFormat::Rss10 => "RSS 1.0",
            FeedFormat::Rss20 => "RSS 2.0",
            FeedFormat::Atom03 => "Atom 0.3",
            FeedFormat::Atom10 => "Atom 1.0",
            FeedFormat::JsonFeed10 => "JSON Feed 1.0",
            FeedFormat::JsonFeed11 => "JSON Feed 1.1",
        })
    }
}

impl FeedFormat {
    fn is_atom(self) -> bool {
        matches!(self, FeedFormat::Atom03 | FeedFormat::Atom10)
    }

    fn is_json(self) -> bool {
        matches!(self, FeedFormat::JsonFeed10 | FeedFormat::JsonFeed11)
    }
}

/// A feed document, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedFeed {
    pub format: FeedFormat,
    /// The feed's own title, as plain text.
    pub title: Option<String>,
    /// The feed's web page, absolute.
    pub link: Option<String>,
    /// The encoding the document was read in (`UTF-8`, `windows-1252`, …).
    pub encoding: &'static str,
    /// What was guessed or repaired to read the document.
    pub warnings: Vec<String>,
    /// Its entries, in document order.
    pub articles: Vec<Article>,
}

/// Reads a feed document. `charset` is the charset the HTTP `Content-Type`
/// named, if any; `location` is the document's URL or path: it names the
/// document in errors and in each article's origin (with the entry's
/// 1-based position as the line), and when it is an `http(s)` URL relative
/// links resolve against it.
pub fn parse_feed(
    bytes: &[u8],
    charset: Option<&str>,
    location: &str,
) -> Result<ParsedFeed, FeedError> {
    parse(bytes, charset, location).map_err(|kind| FeedError {
        location: location.to_string(),
        kind,
    })
}

fn parse(bytes: &[u8], charset: Option<&str>, location: &str) -> Result<ParsedFeed, FeedErrorKind> {
    let document_base = Url::parse(location).ok().filter(is_web);
    let decoded = decode::decode(bytes, charset);
    let mut warnings: Vec<String> = decoded.warning.into_iter().collect();
    let text = decoded.text;
    let start = text.trim_start();
    if start.is_empty() {
        return Err(FeedErrorKind::Empty);
    }
    if let Some(offset) = decode::nul_offset(bytes, decoded.encoding) {
        return Err(FeedErrorKind::Binary { offset });
    }
    let read = if start.starts_with('{') {
        read_json(&text)?
    } else if start.starts_with('<') {
        read_xml(text, document_base.as_ref(), &mut warnings)?
    } else {
        let shown: String = start.chars().take(24).collect();
        return Err(FeedErrorKind::NotAFeed {
            found: format!("text that starts with {shown:?}, neither XML nor JSON"),
        });
    };
    let mut mapper = Mapper::new(&read, document_base, location);
    let repeated = repeated_ids(&read.feed.entries);
    let mut articles = Vec::with_capacity(read.feed.entries.len());
    for (i, entry) in read.feed.entries.iter().enumerate() {
        let extras = read.extras.get(i);
        articles.push(mapper.article(entry, i + 1, extras, &repeated));
    }
    warnings.extend(read.warnings);
    warnings.append(&mut mapper.warnings);
    Ok(ParsedFeed {
        format: read.format,
        title: read
            .feed
            .title
            .as_ref()
            .map(|t| mapper.plain(t))
            .filter(|t| !t.is_empty()),
        link: mapper.feed_link.as_ref().map(Url::to_string),
        encoding: decoded.encoding.name(),
        warnings,
        articles,
    })
}

/// A document as feed-rs read it, with what our own passes add per entry.
struct Read {
    format: FeedFormat,
    feed: Feed,
    /// The base the root element's `xml:base` sets, resolved.
    root_base: Option<Url>,
    /// Per entry, in order; empty when nothing was scanned.
    extras: Vec<Extras>,
    warnings: Vec<String>,
}

/// What feed-rs does not give for an entry.
#[derive(Debug)]
enum Extras {
    Xml(Box<ScannedEntry>),
    Json { image: Option<String> },
}

fn feed_rs(text: &str, base: Option<&Url>) -> Result<Feed, ParseFeedError> {
    feed_rs::parser::Builder::new()
        .base_uri(base.map(Url::as_str))
        // Missing ids stay empty: feed-rs would invent a hash or a random UUID.
        .id_generator(|_, _, _| String::new())
        .timestamp_parser(timestamp::parse)
        .sanitize_content(false)
        .build()
        .parse(text.as_bytes())
}

fn read_xml(
    text: String,
    base: Option<&Url>,
    warnings: &mut Vec<String>,
) -> Result<Read, FeedErrorKind> {
    let root = xml::inspect(&text)?;
    let (format, layout) = classify(&text, &root)?;
    let mut prepared = match xml::fixed_root(&text, &root) {
        Some(tag) => {
            let mut fixed = String::with_capacity(text.len() + 16);
            fixed.push_str(&text[..root.span.start]);
            fixed.push_str(&tag);
            fixed.push_str(&text[root.span.end..]);
            fixed
        }
        None => text,
    };
    let fixes = Fixes {
        atom03: format == FeedFormat::Atom03,
        late_declarations: xml::has_late_declaration(&prepared),
        repair: false,
        durations: xml::may_overflow_durations(&prepared),
    };
    if fixes != Fixes::default() {
        prepared = xml::rewrite(&prepared, fixes)?;
    }
    let feed = match feed_rs(&prepared, base) {
        Ok(feed) => feed,
        Err(ParseFeedError::ParseError(
            ref first @ (ParseErrorKind::MissingContent { .. }
            | ParseErrorKind::UnknownMimeType { .. }),
        )) => {
            let complaint = explain_kind(first, &prepared);
            let repaired = xml::rewrite(
                &prepared,
                Fixes {
                    repair: true,
                    ..Fixes::default()
                },
            )?;
            let feed = feed_rs(&repaired, base).map_err(|e| explain(e, &repaired, &root))?;
            warnings.push(format!(
                "{complaint}; read after dropping empty or oddly typed text elements"
            ));
            prepared = repaired;
            feed
        }
        Err(e) => return Err(explain(e, &prepared, &root)),
    };
    // The root's xml:base, resolved: every entry's base unless an element
    // below sets its own.
    let root_base = root.xml_base.as_deref().and_then(|b| match base {
        Some(document) => document.join(b.trim()).ok(),
        None => Url::parse(b.trim()).ok(),
    });
    let mut read = Read {
        format,
        feed,
        root_base,
        extras: Vec::new(),
        warnings: Vec::new(),
    };
    if needs_scan(&prepared, &root) {
        let mut scanned = scan::scan(&prepared, layout, base);
        if layout == Layout::Rdf {
            scanned.retain(|e| e.has_link);
        }
        if scanned.len() == read.feed.entries.len() {
            read.extras = scanned
                .into_iter()
                .map(|e| Extras::Xml(Box::new(e)))
                .collect();
        } else {
            read.warnings.push(format!(
                "found {} entries where feed-rs read {}; pictures and xml:base left out",
                scanned.len(),
                read.feed.entries.len()
            ));
        }
    }
    Ok(read)
}

/// Whether the document holds anything only our own scan reads: pictures,
/// or an `xml:base` below the root.
fn needs_scan(text: &str, root: &Root) -> bool {
    let bytes = text.as_bytes();
    let pictures = ["search.yahoo.com/mrss", "enclosure"]
        .iter()
        .any(|needle| memchr::memmem::find(bytes, needle.as_bytes()).is_some());
    pictures || memchr::memmem::find_iter(bytes, b"xml:base").any(|at| !root.span.contains(&at))
}

/// The format a root element announces, and where its entries are.
fn classify(text: &str, root: &Root) -> Result<(FeedFormat, Layout), FeedErrorKind> {
    Ok(match root.name.as_str() {
        "rss" => {
            let format = match root.version.as_deref().map(str::trim) {
                Some("0.91") => FeedFormat::Rss091,
                Some("0.92") => FeedFormat::Rss092,
                _ => FeedFormat::Rss20,
            };
            (format, Layout::Rss)
        }
        "RDF" if text[root.span.clone()].contains(RSS_090_NS) => (FeedFormat::Rss090, Layout::Rdf),
        "RDF" => (FeedFormat::Rss10, Layout::Rdf),
        "feed" if root.namespace.as_deref() == Some(xml::ATOM_03_NS) => {
            (FeedFormat::Atom03, Layout::Atom)
        }
        "feed" => (FeedFormat::Atom10, Layout::Atom),
        "entry" => (FeedFormat::Atom10, Layout::AtomEntry),
        "html" => {
            return Err(FeedErrorKind::NotAFeed {
                found: "an HTML page".to_string(),
            });
        }
        other => {
            return Err(FeedErrorKind::NotAFeed {
                found: format!("an XML document whose root element is <{other}>"),
            });
        }
    })
}

/// A feed-rs error as ours, located in `text` where possible.
fn explain(error: ParseFeedError, text: &str, root: &Root) -> FeedErrorKind {
    match error {
        ParseFeedError::XmlReader(e) => xml::locate_error(text).unwrap_or(FeedErrorKind::Invalid {
            message: format!("malformed XML: {e}"),
        }),
        ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot) => FeedErrorKind::NotAFeed {
            found: match root.name.as_str() {
                "rss" => "an <rss> document without a <channel>".to_string(),
                name => format!("a <{name}> document without feed content"),
            },
        },
        ParseFeedError::ParseError(kind) => FeedErrorKind::Invalid {
            message: explain_kind(&kind, text),
        },
        ParseFeedError::JsonSerde(e) => json_error(&e),
        ParseFeedError::JsonUnsupportedVersion(version) => FeedErrorKind::JsonVersion { version },
        ParseFeedError::IoError(e) => FeedErrorKind::Invalid {
            message: e.to_string(),
        },
    }
}

/// A feed-rs complaint about the document's content, with its line.
fn explain_kind(kind: &ParseErrorKind, text: &str) -> String {
    let position = match kind {
        ParseErrorKind::UnknownMimeType { position, .. }
        | ParseErrorKind::MissingContent { position, .. }
        | ParseErrorKind::UnknownEnumVariant { position, .. }
        | ParseErrorKind::IllegalState { position, .. } => Some(*position),
        ParseErrorKind::NoFeedRoot => None,
    };
    match position {
        Some(p) => format!(
            "line {}: {kind}",
            xml::line_of(text, usize::try_from(p).unwrap_or(usize::MAX))
        ),
        None => kind.to_string(),
    }
}

fn json_error(e: &serde_json::Error) -> FeedErrorKind {
    FeedErrorKind::Json {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    }
}

/// Reads a JSON Feed. feed-rs rejects a whole feed for one numeric id, a
/// missing title or a malformed attachment, and ignores each item's
/// `image`; a first pass over the JSON fixes the former and keeps the latter.
fn read_json(text: &str) -> Result<Read, FeedErrorKind> {
    let mut warnings = Vec::new();
    let repaired = replace_lone_surrogates(text);
    if repaired.is_some() {
        warnings.push(
            "lone UTF-16 surrogates in \\u escapes (a string cut inside a character) replaced with U+FFFD"
                .to_string(),
        );
    }
    let text = repaired.as_deref().unwrap_or(text);
    let mut value: serde_json::Value = serde_json::from_str(text).map_err(|e| json_error(&e))?;
    let Some(object) = value.as_object_mut() else {
        return Err(FeedErrorKind::NotAFeed {
            found: "a JSON document that is not an object".to_string(),
        });
    };
    let Some(version) = object.get("version").and_then(|v| v.as_str()) else {
        return Err(FeedErrorKind::NotAFeed {
            found: "a JSON document without a JSON Feed `version`".to_string(),
        });
    };
    let format = match version.trim_end_matches('/') {
        "https://jsonfeed.org/version/1" => FeedFormat::JsonFeed10,
        "https://jsonfeed.org/version/1.1" => FeedFormat::JsonFeed11,
        other => {
            return Err(FeedErrorKind::JsonVersion {
                version: other.to_string(),
            });
        }
    };
    let mut changed = false;
    if !object.get("title").is_some_and(|t| t.is_string()) {
        object.insert("title".to_string(), serde_json::Value::from(""));
        changed = true;
    }
    if !object.get("items").is_some_and(|i| i.is_array()) {
        object.insert("items".to_string(), serde_json::Value::Array(Vec::new()));
        changed = true;
    }
    let mut extras = Vec::new();
    if let Some(items) = object.get_mut("items").and_then(|i| i.as_array_mut()) {
        for item in items.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            let image = ["image", "banner_image"]
                .iter()
                .find_map(|k| item.get(*k).and_then(|v| v.as_str()).map(str::to_string));
            extras.push(Extras::Json { image });
            changed |= fix_json_item(item);
        }
        let before = items.len();
        items.retain(|item| item.is_object());
        changed |= items.len() != before;
    }
    let feed = if changed {
        let fixed = serde_json::to_string(&value).map_err(|e| json_error(&e))?;
        feed_rs(&fixed, None)
    } else {
        feed_rs(text, None)
    };
    let feed = feed.map_err(|e| match e {
        ParseFeedError::JsonSerde(e) => json_error(&e),
        ParseFeedError::JsonUnsupportedVersion(version) => FeedErrorKind::JsonVersion { version },
        other => FeedErrorKind::Invalid {
            message: other.to_string(),
        },
    })?;
    Ok(Read {
        format,
        feed,
        root_base: None,
        extras,
        warnings,
    })
}

/// `text` with each `\uD800`–`\uDFFF` escape that is not half of a
/// surrogate pair replaced by `\uFFFD`; `None` when there is none. Programs
/// that cut a UTF-16 string inside a character write such escapes, and
/// serde_json rightly refuses them, which would lose the whole feed for one
/// broken character. Outside strings JSON has no backslashes, so every
/// backslash starts an escape.
fn replace_lone_surrogates(text: &str) -> Option<String> {
    fn escape_at(bytes: &[u8], at: usize) -> Option<u16> {
        let hex = bytes.get(at..at + 6)?.strip_prefix(b"\\u")?;
        u16::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()
    }
    let bytes = text.as_bytes();
    memchr::memmem::find(bytes, b"\\u")?;
    let mut out: Option<String> = None;
    let (mut copied, mut i) = (0, 0);
    while let Some(found) = bytes.get(i..).and_then(|rest| memchr::memchr(b'\\', rest)) {
        let at = i + found;
        let lone = match escape_at(bytes, at) {
            Some(0xD800..=0xDBFF) => match escape_at(bytes, at + 6) {
                Some(0xDC00..=0xDFFF) => {
                    i = at + 12;
                    continue;
                }
                _ => true,
            },
            Some(0xDC00..=0xDFFF) => true,
            Some(_) => false,
            // Any other escape is two characters long.
            None => {
                i = at + 2;
                continue;
            }
        };
        if lone {
            let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
            out.push_str(&text[copied..at]);
            out.push_str("\\uFFFD");
            copied = at + 6;
        }
        i = at + 6;
    }
    let mut out = out?;
    out.push_str(&text[copied..]);
    Some(out)
}

/// Makes one JSON Feed item acceptable to feed-rs: string ids (a number
/// becomes its decimal form), string text fields, attachments with a URL
/// and a MIME type. Returns whether anything changed.
fn fix_json_item(item: &mut serde_json::Map<String, serde_json::Value>) -> bool {
    let mut changed = false;
    match item.get("id") {
        Some(serde_json::Value::Number(n)) => {
            let id = n.to_string();
            item.insert("id".to_string(), serde_json::Value::from(id));
            changed = true;
        }
        Some(serde_json::Value::String(_)) | None => {}
        Some(_) => {
            item.remove("id");
            changed = true;
        }
    }
    for key in [
        "url",
        "external_url",
        "title",
        "content_html",
        "content_text",
        "summary",
        "date_published",
        "date_modified",
    ] {
        if item.get(key).is_some_and(|v| !v.is_string()) {
            item.remove(key);
            changed = true;
        }
    }
    if let Some(tags) = item.get("tags")
        && !tags
            .as_array()
            .is_some_and(|t| t.iter().all(|t| t.is_string()))
    {
        item.remove("tags");
        changed = true;
    }
    if let Some(attachments) = item.get_mut("attachments") {
        match attachments.as_array_mut() {
            Some(list) => {
                let before = list.len();
                list.retain(|a| {
                    a.get("url").is_some_and(|u| u.is_string())
                        && a.get("mime_type").is_some_and(|m| m.is_string())
                });
                changed |= list.len() != before;
            }
            None => {
                item.remove("attachments");
                changed = true;
            }
        }
    }
    changed
}

/// Ids that more than one entry of the document carries.
fn repeated_ids(entries: &[Entry]) -> HashSet<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for entry in entries {
        let id = entry.id.trim();
        if !id.is_empty() {
            *counts.entry(id).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(id, _)| id.to_string())
        .collect()
}

/// Turns feed-rs entries into articles.
struct Mapper<'a> {
    format: FeedFormat,
    location: &'a str,
    document_base: Option<Url>,
    feed_link: Option<Url>,
    feed_authors: Vec<String>,
    sanitizer: Sanitizer,
    /// What was left out of entries, for [`ParsedFeed::warnings`].
    warnings: Vec<String>,
}

impl<'a> Mapper<'a> {
    fn new(read: &Read, document_base: Option<Url>, location: &'a str) -> Self {
        let feed_link = read
            .feed
            .links
            .iter()
            .filter(|l| {
                l.rel
                    .as_deref()
                    .is_none_or(|r| r.eq_ignore_ascii_case("alternate"))
            })
            .find_map(|l| web_url(&l.href, document_base.as_ref()))
            .and_then(|l| Url::parse(&l).ok());
        Mapper {
            format: read.format,
            location,
            document_base: read.root_base.clone().or(document_base),
            feed_link,
            feed_authors: people(&read.feed.authors),
            sanitizer: Sanitizer::new(),
            warnings: Vec::new(),
        }
    }

    /// The entry's published and updated dates, each left out unless it is
    /// plausible (see [`date::plausible`]), with a warning naming the entry.
    fn dates(
        &mut self,
        entry: &Entry,
        position: usize,
    ) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        let implausible = [entry.published, entry.updated]
            .into_iter()
            .flatten()
            .find(|d| date::plausible(*d).is_none());
        if let Some(date) = implausible {
            self.warnings.push(format!(
                "entry {position}: the date {} is outside the years {}..={}; left out",
                date.to_rfc3339(),
                date::PLAUSIBLE_YEARS.start(),
                date::PLAUSIBLE_YEARS.end()
            ));
        }
        (
            entry.published.and_then(date::plausible),
            entry.updated.and_then(date::plausible),
        )
    }

    /// What relative URLs resolve against when no `xml:base` below the root
    /// says otherwise: the root's `xml:base`, the document's URL, else the
    /// feed's web page.
    fn fallback_base(&self) -> Option<&Url> {
        self.document_base.as_ref().or(self.feed_link.as_ref())
    }

    /// Text as plain text. Atom and JSON Feed mark plain text as such; RSS
    /// text is HTML more often than not, whatever it claims.
    fn plain(&self, text: &Text) -> String {
        if is_plain(&text.content_type) && (self.format.is_atom() || self.format.is_json()) {
            clean_text(&text.content)
        } else {
            html_to_text(&text.content)
        }
    }

    /// Whether `text` holds HTML (see [`Mapper::plain`]).
    fn holds_html(&self, text_type: &MediaTypeBuf) -> bool {
        is_html(text_type)
            || (is_plain(text_type) && !self.format.is_atom() && !self.format.is_json())
    }

    fn article(
        &mut self,
        entry: &Entry,
        position: usize,
        extras: Option<&Extras>,
        repeated: &HashSet<String>,
    ) -> Article {
        let scanned = match extras {
            Some(Extras::Xml(scanned)) => Some(scanned),
            _ => None,
        };
        let entry_base = scanned
            .and_then(|s| s.base.clone())
            .or_else(|| self.fallback_base().cloned());
        let mut title = entry
            .title
            .as_ref()
            .map(|t| self.plain(t))
            .unwrap_or_default();
        let upstream_id = Some(entry.id.trim())
            .filter(|id| !id.is_empty())
            .map(str::to_string);
        let link = entry_link(&entry.links, entry_base.as_ref())
            .or_else(|| upstream_id.as_deref().and_then(|id| web_url(id, None)));
        let upstream_key = match (&upstream_id, &link) {
            (Some(id), Some(link)) if repeated.contains(id) => Some(format!("{id} {link}")),
            (Some(id), _) => Some(id.clone()),
            (None, Some(link)) => Some(link.clone()),
            (None, None) => None,
        };
        let summary = entry
            .summary
            .as_ref()
            .map(|t| self.plain(t))
            .filter(|s| !s.is_empty());
        let content_base = self.content_base(entry, entry_base.as_ref());
        let (content_html, blocks) = self.content(entry, content_base.as_ref());
        let body = fold_body(&title, blocks);
        if title.is_empty() {
            title = made_up_title(&body, summary.as_deref());
        }
        let mut captions = match extras {
            Some(Extras::Xml(scanned)) => {
                scan::captions(&scanned.media, |u| web_url(u, entry_base.as_ref()))
            }
            Some(Extras::Json { image }) => {
                json_captions(image.as_deref(), &entry.links, entry_base.as_ref())
            }
            _ => Vec::new(),
        };
        add_enclosure_links(&mut captions, &entry.links, entry_base.as_ref());
        let (published, entry_updated) = self.dates(entry, position);
        let published = published.or(entry_updated);
        let mut authors = people(&entry.authors);
        if authors.is_empty() && self.format.is_atom() {
            authors.clone_from(&self.feed_authors);
        }
        Article {
            body,
            title,
            published,
            updated: entry_updated.filter(|u| Some(*u) != published),
            captions,
            link,
            upstream_id,
            upstream_key,
            authors,
            categories: categories(entry),
            summary,
            content_html,
            origin: Origin {
                location: self.location.to_string(),
                line: position,
            },
            line_keys: None,
        }
    }

    /// The base for the entry's HTML: an `xml:base` on the content element
    /// itself (feed-rs reports it for Atom as written, for RSS resolved),
    /// else the entry's.
    fn content_base(&self, entry: &Entry, entry_base: Option<&Url>) -> Option<Url> {
        let own = entry.base.as_deref().and_then(|b| match entry_base {
            Some(base) => base.join(b.trim()).ok(),
            None => Url::parse(b.trim()).ok(),
        });
        let rss = entry
            .content
            .as_ref()
            .and_then(|c| c.src.as_ref())
            .filter(|_| !self.format.is_atom())
            .and_then(|src| Url::parse(&src.href).ok());
        own.or(rss).filter(is_web).or_else(|| entry_base.cloned())
    }

    /// The entry's sanitized HTML and body blocks: from its content, else
    /// from its summary.
    fn content(&mut self, entry: &Entry, base: Option<&Url>) -> (Option<String>, Vec<Block>) {
        let content = entry.content.as_ref().and_then(|c| {
            let body = c.body.as_deref().filter(|b| !b.trim().is_empty())?;
            Some((body, &c.content_type))
        });
        let summary = entry
            .summary
            .as_ref()
            .filter(|s| !s.content.trim().is_empty())
            .map(|s| (s.content.as_str(), &s.content_type));
        let usable = |(_, kind): &(&str, &MediaTypeBuf)| is_html(kind) || is_plain(kind);
        let Some((body, kind)) = content.filter(usable).or(summary.filter(usable)) else {
            return (None, Vec::new());
        };
        if self.holds_html(kind) {
            let converted = self.sanitizer.convert(body, base);
            let html = converted.html.filter(|h| !h.trim().is_empty());
            (html, converted.blocks)
        } else {
            (None, text_to_blocks(body))
        }
    }
}

/// Names of people, each once: the name, else the email address.
fn people(people: &[feed_rs::model::Person]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for person in people {
        // RSS writes `email (Name)`; feed-rs keeps the parentheses.
        let name = person
            .name
            .as_deref()
            .map(|n| clean_text(n.trim().trim_start_matches('(').trim_end_matches(')')))
            .filter(|n| !n.is_empty())
            .or_else(|| person.email.as_deref().map(clean_text));
        if let Some(name) = name.filter(|n| !n.is_empty() && !out.contains(n)) {
            out.push(name);
        }
    }
    out
}

fn categories(entry: &Entry) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for category in &entry.categories {
        let name = clean_text(category.label.as_deref().unwrap_or(&category.term));
        if !name.is_empty() && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// The entry's web page: its first alternate link to a web page, absolute.
fn entry_link(links: &[Link], base: Option<&Url>) -> Option<String> {
    links
        .iter()
        .filter(|l| l.target.is_none())
        .filter(|l| {
            l.rel
                .as_deref()
                .is_none_or(|r| r.eq_ignore_ascii_case("alternate"))
        })
        .filter(|l| l.media_type.as_deref().is_none_or(|t| t.contains("html")))
        .find_map(|l| web_url(&l.href, base))
}

/// JSON Feed pictures: the item's `image`, and image attachments.
fn json_captions(image: Option<&str>, links: &[Link], base: Option<&Url>) -> Vec<Caption> {
    let mut out: Vec<Caption> = Vec::new();
    let attachments = links
        .iter()
        .filter(|l| {
            l.media_type
                .as_deref()
                .is_some_and(|t| t.starts_with("image/"))
        })
        .map(|l| (l.href.as_str(), l.title.as_deref()));
    for (url, text) in image.map(|i| (i, None)).into_iter().chain(attachments) {
        let Some(image) = web_url(url, base) else {
            continue;
        };
        if out
            .iter()
            .any(|c| c.image.as_deref() == Some(image.as_str()))
        {
            continue;
        }
        out.push(Caption {
            text: text.map(clean_text).unwrap_or_default(),
            credit: None,
            image: Some(image),
        });
    }
    out
}

/// Atom's `<link rel="enclosure">` to an image, as a bare caption unless a
/// caption already shows that image.
fn add_enclosure_links(captions: &mut Vec<Caption>, links: &[Link], base: Option<&Url>) {
    for link in links {
        let enclosure = link
            .rel
            .as_deref()
            .is_some_and(|r| r.eq_ignore_ascii_case("enclosure"));
        let image = link
            .media_type
            .as_deref()
            .is_some_and(|t| t.starts_with("image/"));
        if !(enclosure && image) {
            continue;
        }
        let Some(url) = web_url(&link.href, base) else {
            continue;
        };
        if !captions
            .iter()
            .any(|c| c.image.as_deref() == Some(url.as_str()))
        {
            captions.push(Caption {
                text: String::new(),
                credit: None,
                image: Some(url),
            });
        }
    }
}

/// `href` as an absolute `http(s)` URL, resolved against `base` when
/// relative; `None` for any other scheme (`javascript:`, `data:`, …).
fn web_url(href: &str, base: Option<&Url>) -> Option<String> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    let url = match Url::parse(href) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) => base?.join(href).ok()?,
        Err(_) => return None,
    };
    is_web(&url).then(|| url.to_string())
}

fn is_web(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https")
}

/// For an entry without a title: the start of its first paragraph, else of
/// its summary.
fn made_up_title(blocks: &[Block], summary: Option<&str>) -> String {
    blocks
        .iter()
        .map(|b| b.text.as_str())
        .chain(summary)
        .next()
        .map(|t| truncate_words(t, MADE_UP_TITLE_CHARS))
        .unwrap_or_default()
}

/// Keeps each block once, as dumps do, and drops blocks that repeat the
/// headline (if there is one).
fn fold_body(title: &str, blocks: Vec<Block>) -> Vec<Block> {
    let mut seen = HashSet::with_capacity(blocks.len() + 1);
    if !title.is_empty() {
        seen.insert(fold(title));
    }
    blocks
        .into_iter()
        .filter(|b| seen.insert(fold(&b.text)))
        .collect()
}

fn is_html(kind: &MediaTypeBuf) -> bool {
    let (ty, subty) = (kind.ty(), kind.subty());
    let (ty, subty) = (ty.as_str(), subty.as_str());
    (ty.eq_ignore_ascii_case("text") && subty.eq_ignore_ascii_case("html"))
        || (ty.eq_ignore_ascii_case("application") && subty.eq_ignore_ascii_case("xhtml"))
}

fn is_plain(kind: &MediaTypeBuf) -> bool {
    kind.ty().as_str().eq_ignore_ascii_case("text")
        && kind.subty().as_str().eq_ignore_ascii_case("plain")
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::ingest::sanitize::assert_inert;
    use crate::model::BlockKind;

    fn fixture(name: &str) -> Vec<u8> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/feeds")
            .join(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    fn read(name: &str, location: &str) -> ParsedFeed {
        parse_feed(&fixture(name), None, location).unwrap_or_else(|e| panic!("{e}"))
    }

    fn fails(bytes: &[u8]) -> FeedErrorKind {
        match parse_feed(bytes, None, "test.xml") {
            Ok(feed) => panic!("read as {feed:?}"),
            Err(e) => e.kind,
        }
    }

    fn at(text: &str) -> Option<DateTime<Utc>> {
        Some(text.parse().expect("test date"))
    }

    fn image(url: &str) -> Caption {
        Caption {
            text: String::new(),
            credit: None,
            image: Some(url.to_string()),
        }
    }

    #[test]
    fn rss_091_with_its_netscape_doctype() {
        let feed = read("rss091.xml", "https://valley-courier.example/rss.xml");
        assert_eq!(feed.format, FeedFormat::Rss091);
        assert_eq!(feed.title.as_deref(), Some("Valley Courier & Gazette"));
        assert_eq!(feed.link.as_deref(), Some("http://valley-courier.example/"));
        assert_eq!(feed.encoding, "windows-1252");
        let [bridge, cafe] = &feed.articles[..] else {
            panic!("{:?}", feed.articles);
        };
        assert_eq!(
            bridge.title,
            "Bridge on the Old Mill road reopens after repairs"
        );
        let link = "http://valley-courier.example/news/2003/05/bridge-reopens.html";
        assert_eq!(bridge.link.as_deref(), Some(link));
        assert_eq!(bridge.upstream_id, None);
        assert_eq!(bridge.upstream_key.as_deref(), Some(link));
        let summary = "The county engineer said the weight limit of 7.5 tonnes stays in place until the autumn.";
        assert_eq!(bridge.summary.as_deref(), Some(summary));
        assert_eq!(
            bridge.content_html.as_deref(),
            Some(
                "The county engineer said the <b>weight limit</b> of 7.5 tonnes stays in place until the autumn."
            )
        );
        assert_eq!(bridge.body, vec![Block::paragraph(summary)]);
        assert_eq!(bridge.published, None);
        assert_eq!(
            bridge.origin.location,
            "https://valley-courier.example/rss.xml"
        );
        assert_eq!(bridge.origin.line, 1);
        assert_eq!(cafe.title, "Café on the green wins a hygiene award");
        assert_eq!(cafe.origin.line, 2);
    }

    #[test]
    fn rss_092_enclosures_become_pictures_only_when_images() {
        let feed = read("rss092.xml", "https://harbour-radio.example/feeds/news.xml");
        assert_eq!(feed.format, FeedFormat::Rss092);
        let [ferry, lifeboat] = &feed.articles[..] else {
            panic!("{:?}", feed.articles);
        };
        assert_eq!(ferry.categories, vec!["Transport".to_string()]);
        assert_eq!(ferry.captions, vec![]);
        assert_eq!(
            lifeboat.captions,
            vec![image("https://harbour-radio.example/images/lifeboat.jpg")]
        );
        assert_eq!(
            lifeboat.upstream_key.as_deref(),
            Some("https://harbour-radio.example/news/lifeboat-double")
        );
    }

    #[test]
    fn rss_090_is_read_despite_its_old_namespace() {
        let feed = read("rss090.rdf", "rss090.rdf");
        assert_eq!(feed.format, FeedFormat::Rss090);
        assert_eq!(feed.title.as_deref(), Some("Northfield Evening Post"));
        let titles: Vec<&str> = feed.articles.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(
            titles,
            vec![
                "Council approves new cycle lanes",
                "Snow closes three village schools"
            ]
        );
        assert_eq!(
            feed.articles[1].link.as_deref(),
            Some("http://northfield-post.example/1999/snow-schools.html")
        );
    }

    #[test]
    fn rss_10_with_dublin_core_and_content_encoded() {
        // A path, not a URL: relative links resolve against the feed's link.
        let feed = read("rss10.rdf", "tests/fixtures/feeds/rss10.rdf");
        assert_eq!(feed.format, FeedFormat::Rss10);
        let [market, tram] = &feed.articles[..] else {
            panic!("{:?}", feed.articles);
        };
        assert_eq!(market.title, "Market hall roof to be replaced this summer");
        assert_eq!(market.authors, vec!["Priya Natarajan".to_string()]);
        assert_eq!(market.published, at("2024-03-14T07:30:00Z"));
        assert_eq!(market.updated, None);
        assert_eq!(market.upstream_id, None);
        assert_eq!(
            market.upstream_key.as_deref(),
            Some("https://eastbank-tribune.example/2024/03/market-hall")
        );
        assert_eq!(
            market.summary.as_deref(),
            Some("Traders will move to the car park for ten weeks.")
        );
        assert_eq!(
            market.content_html.as_deref(),
            Some(concat!(
                "<p>Traders will move to the car park for ten weeks while the ",
                "<a href=\"https://eastbank-tribune.example/tags/market\" rel=\"noopener noreferrer\">market hall</a>",
                " roof is replaced.</p><h3>What changes</h3><p>Parking on Quay Street is suspended.</p>"
            ))
        );
        assert_eq!(
            market.body,
            vec![
                Block::paragraph(
                    "Traders will move to the car park for ten weeks while the market hall roof is replaced."
                ),
                Block::subhead("What changes"),
                Block::paragraph("Parking on Quay Street is suspended."),
            ]
        );
        assert_eq!(tram.published, at("2024-03-15T06:00:00Z"));
        assert_eq!(
            tram.content_html.as_deref(),
            Some("Engineers will work overnight between the station and the river.")
        );
    }

    #[test]
    fn rss_20_with_media_enclosure_and_content_encoded() {
        let feed = read("rss20.xml", "https://lakeside-ledger.example/feeds/all.rss");
        assert_eq!(feed.format, FeedFormat::Rss20);
        assert!(feed.warnings.is_empty(), "{:?}", feed.warnings);
        let [flood, ferry] = &feed.articles[..] else {
            panic!("{:?}", feed.articles);
        };
        assert_eq!(
            flood.title,
            "Flood defences hold as river peaks at record level"
        );
        assert_eq!(
            flood.link.as_deref(),
            Some("https://lakeside-ledger.example/2024/07/09/flood-defences-hold?utm_source=rss")
        );
        assert_eq!(flood.upstream_id.as_deref(), Some("ledger-2024-0709-001"));
        assert_eq!(flood.upstream_key.as_deref(), Some("ledger-2024-0709-001"));
        assert_eq!(flood.published, at("2024-07-09T16:42:00Z"));
        assert_eq!(flood.updated, None);
        assert_eq!(flood.authors, vec!["Tomasz Wrobel".to_string()]);
        assert_eq!(
            flood.categories,
            vec!["Weather".to_string(), "Environment".to_string()]
        );
        assert_eq!(
            flood.summary.as_deref(),
            Some(
                "The River Lune crested at 5.9 metres on Tuesday afternoon, but the new walls kept water out of the town centre."
            )
        );
        assert_eq!(
            flood.body,
            vec![
                Block::paragraph(
                    "The River Lune crested at 5.9 metres on Tuesday afternoon, but the new walls kept water out of the town centre."
                ),
                Block::subhead("\u{2018}We were ready\u{2019}"),
                Block::paragraph(
                    "\u{201c}We were ready this time,\u{201d} said Mara Ellison, who chairs the flood group. Read the warning issued on Monday."
                ),
                Block::paragraph("The Environment Agency expects levels to fall overnight."),
            ]
        );
        let html = flood.content_html.as_deref().expect("content");
        assert!(html.contains("<img src=\"https://lakeside-ledger.example/media/2024/07/lune-walls.jpg\" alt=\"\">"), "{html}");
        assert!(html.contains("<a href=\"https://lakeside-ledger.example/2024/07/08/flood-warning\" rel=\"noopener noreferrer\">warning issued on Monday</a>"), "{html}");
        assert!(
            html.contains(
                "<figcaption>Volunteers on the embankment (Lakeside Ledger)</figcaption>"
            )
        );
        assert_eq!(
            flood.captions,
            vec![
                Caption {
                    text: "Volunteers watch the river from the new flood wall on Tuesday.".into(),
                    credit: Some("Jo Haddad".into()),
                    image: Some(
                        "https://cdn.lakeside-ledger.example/2024/07/lune-walls-1200.jpg".into()
                    ),
                },
                image("https://cdn.lakeside-ledger.example/2024/07/river-gauge.png"),
            ]
        );
        assert_eq!(
            ferry.upstream_id.as_deref(),
            Some("https://lakeside-ledger.example/2024/07/09/ferry-restored")
        );
        assert_eq!(ferry.published, at("2024-07-09T09:15:00Z"));
        assert_eq!(ferry.authors, vec!["Ada Brennan".to_string()]);
        assert_eq!(
            ferry.summary.as_deref(),
            Some("Crossings to Holm Island resume at noon & run hourly.")
        );
        assert_eq!(
            ferry.captions,
            vec![image(
                "https://cdn.lakeside-ledger.example/2024/07/ferry-thumb.jpg"
            )]
        );
    }

    #[test]
    fn atom_03_reads_as_atom_10() {
        let feed = read("atom03.xml", "http://ridgeway-weekly.example/atom.xml");
        assert_eq!(feed.format, FeedFormat::Atom03);
        assert_eq!(feed.title.as_deref(), Some("Ridgeway Weekly"));
        let [fair, roof] = &feed.articles[..] else {
            panic!("{:?}", feed.articles);
        };
        assert_eq!(fair.title, "Sheep fair draws record crowd");
        assert_eq!(
            fair.upstream_id.as_deref(),
            Some("tag:ridgeway-weekly.example,2005:sheep-fair")
        );
        assert_eq!(
            fair.link.as_deref(),
            Some("http://ridgeway-weekly.example/2005/11/sheep-fair")
        );
        assert_eq!(fair.published, at("2005-11-01T18:30:00Z"));
        assert_eq!(fair.updated, at("2005-11-02T08:15:00Z"));
        assert_eq!(fair.authors, vec!["Ridgeway Weekly newsroom".to_string()]);
        assert_eq!(
            fair.content_html.as_deref(),
            Some(
                "<p>More than 4,000 visitors came to the autumn fair at Uffcott.</p><p>The champion ram sold for £2,100.</p>"
            )
        );
        assert_eq!(fair.body.len(), 2);
        assert_eq!(roof.published, at("2005-10-28T12:00:00Z"));
        assert_eq!(roof.updated, None);
        assert_eq!(roof.authors, vec!["Harriet Cole".to_string()]);
        assert_eq!(
            roof.content_html.as_deref(),
            Some("<p>Parents raised the last <em>£3,000</em> at a quiz night.</p>")
        );
    }

    #[test]
    fn atom_10_resolves_relative_links_against_xml_base() {
        let feed = read("atom10.xml", "https://mirror.example/citywire.atom");
        assert_eq!(feed.format, FeedFormat::Atom10);
        assert_eq!(feed.title.as_deref(), Some("Citywire News"));
        assert_eq!(feed.link.as_deref(), Some("https://citywire-news.example/"));
        let [buses, museum] = &feed.articles[..] else {
            panic!("{:?}", feed.articles);
        };
        assert_eq!(
            buses.link.as_deref(),
            Some("https://citywire-news.example/transport/2024/05/night-buses")
        );
        assert_eq!(buses.published, at("2024-05-20T04:00:00Z"));
        assert_eq!(buses.updated, at("2024-05-20T09:30:00Z"));
        assert_eq!(
            buses.categories,
            vec!["Transport".to_string(), "night-life".to_string()]
        );
        assert_eq!(buses.authors, vec!["Citywire desk".to_string()]);
        // type="text": the markup-looking text is text.
        assert_eq!(
            buses.summary.as_deref(),
            Some("Routes N3 and N7 run again from Friday <3")
        );
        assert_eq!(
            buses.content_html.as_deref(),
            Some(concat!(
                "<p>Routes N3 and N7 run again from Friday, the ",
                "<a href=\"https://citywire-news.example/transport/2024/05/timetable.pdf\" rel=\"noopener noreferrer\">new timetable</a> shows.</p>",
                "<p><img src=\"https://citywire-news.example/transport/img/n7.jpg\" alt=\"An N7 bus\"></p>"
            ))
        );
        assert_eq!(
            buses.captions,
            vec![image(
                "https://citywire-news.example/transport/img/night-bus.jpg"
            )]
        );
        assert_eq!(museum.title, "Museum reopens its east wing");
        assert_eq!(
            museum.link.as_deref(),
            Some("https://citywire-news.example/culture/museum-east-wing")
        );
        assert_eq!(museum.published, at("2024-05-19T15:00:00Z"));
        assert_eq!(museum.updated, None);
        assert_eq!(museum.authors, vec!["Lena Okafor".to_string()]);
        assert_eq!(
            museum.content_html.as_deref(),
            Some(
                "<p>The east wing of the <a href=\"https://citywire-news.example/culture/\" rel=\"noopener noreferrer\">city museum</a> reopens on Saturday.</p><p>Entry is free until June.</p>"
            )
        );
    }

    #[test]
    fn a_root_xml_base_alone_needs_no_scan() {
        let doc = concat!(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"https://desk.example/news/\">",
            "<title>t</title><id>f</id><updated>2024-01-01T00:00:00Z</updated>",
            "<entry><title>One</title><id>1</id><updated>2024-01-01T00:00:00Z</updated>",
            "<link href=\"2024/one\"/><content type=\"html\">&lt;a href=\"../about\"&gt;About&lt;/a&gt;</content></entry></feed>"
        );
        let feed = parse_feed(doc.as_bytes(), None, "https://mirror.example/feed").expect("read");
        let article = &feed.articles[0];
        assert_eq!(
            article.link.as_deref(),
            Some("https://desk.example/news/2024/one")
        );
        assert_eq!(
            article.content_html.as_deref(),
            Some("<a href=\"https://desk.example/about\" rel=\"noopener noreferrer\">About</a>")
        );
    }

    #[test]
    fn json_feed_10() {
        let feed = read("jsonfeed10.json", "moorside.json");
        assert_eq!(feed.format, FeedFormat::JsonFeed10);
        assert_eq!(
            feed.link.as_deref(),
            Some("https://moorside-gazette.example/")
        );
        let [reservoir, market] = &feed.articles[..] else {
            panic!("{:?}", feed.articles);
        };
        assert_eq!(reservoir.upstream_id.as_deref(), Some("2361"));
        assert_eq!(
            reservoir.title,
            "Reservoir levels back to normal after dry summer"
        );
        assert_eq!(reservoir.published, at("2023-10-02T06:45:00Z"));
        assert_eq!(
            reservoir.authors,
            vec!["Moorside Gazette staff".to_string()]
        );
        assert_eq!(
            reservoir.categories,
            vec!["Water".to_string(), "Environment".to_string()]
        );
        assert_eq!(
            reservoir.content_html.as_deref(),
            Some(
                "<p>Levels at Grimwith stood at 92% on Monday.</p><p>Hosepipe restrictions end on Friday.</p>"
            )
        );
        assert_eq!(
            reservoir.summary.as_deref(),
            Some("Hosepipe restrictions end on Friday.")
        );
        assert_eq!(
            reservoir.captions,
            vec![image(
                "https://moorside-gazette.example/images/grimwith.jpg"
            )]
        );
        assert_eq!(market.content_html, None);
        assert_eq!(
            market.body,
            vec![
                Block::paragraph("The market moves for six weeks."),
                Block::paragraph("Stalls open at 8am.")
            ]
        );
        assert_eq!(market.updated, at("2023-10-04T09:00:00Z"));
        assert_eq!(market.authors, vec!["Owen Pryce".to_string()]);
    }

    #[test]
    fn json_feed_11_with_a_numeric_id_and_attachments() {
        let feed = read("jsonfeed11.json", "https://estuary-echo.example/feed.json");
        assert_eq!(feed.format, FeedFormat::JsonFeed11);
        let [pups, pier] = &feed.articles[..] else {
            panic!("{:?}", feed.articles);
        };
        assert_eq!(pups.upstream_id.as_deref(), Some("9001"));
        assert_eq!(pups.authors, vec!["Nia Baptiste".to_string()]);
        assert_eq!(
            pups.captions,
            vec![Caption {
                text: "Pups on the sandbank".into(),
                credit: None,
                image: Some("https://estuary-echo.example/img/pups.jpg".into())
            }]
        );
        assert_eq!(pier.upstream_id.as_deref(), Some("echo-9002"));
        assert_eq!(pier.authors, vec!["Echo newsroom".to_string()]);
        assert_eq!(
            pier.captions,
            vec![image("https://estuary-echo.example/img/pier.jpg")]
        );
    }

    #[test]
    fn windows_1252_comes_out_as_text() {
        let feed = read("rss-windows-1252.xml", "cp1252.xml");
        assert_eq!(feed.encoding, "windows-1252");
        assert_eq!(feed.title.as_deref(), Some("Le Petit Écho de Brême"));
        let article = &feed.articles[0];
        assert_eq!(
            article.title,
            "\u{201c}Café society\u{201d} returns to the quayside \u{2014} at last"
        );
        assert_eq!(
            article.summary.as_deref(),
            Some("Prices start at €2.50 for a café crème.")
        );
    }

    #[test]
    fn iso_8859_15_comes_out_as_text() {
        let feed = read("atom-iso-8859-15.xml", "latin9.xml");
        assert_eq!(feed.encoding, "ISO-8859-15");
        let article = &feed.articles[0];
        assert_eq!(
            article.title,
            "Bürgerhaus zeigt Œuvre von Ilse Grau, Eintritt 5 €"
        );
        assert_eq!(
            article.summary.as_deref(),
            Some("Die Straße bleibt gesperrt, Öffnung um 9 Uhr.")
        );
    }

    #[test]
    fn http_charset_decides_over_the_declaration() {
        let bytes = "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>t</title><item><title>Caf\u{e9}</title></item></channel></rss>";
        let latin1 = encoding_rs::WINDOWS_1252.encode(bytes).0;
        let feed = parse_feed(&latin1, Some("ISO-8859-1"), "x").expect("read");
        assert_eq!(feed.articles[0].title, "Café");
    }

    #[test]
    fn utf16_big_endian_comes_out_as_text() {
        let feed = read("rss-utf-16be.xml", "utf16.xml");
        assert_eq!(feed.encoding, "UTF-16BE");
        assert_eq!(
            feed.articles[0].title,
            "Kalamaria extension opens: Θεσσαλονίκη gets five new stations"
        );
        assert_eq!(
            feed.articles[0].upstream_id.as_deref(),
            Some("metro-kalamaria")
        );
    }

    #[test]
    fn entries_without_ids_are_keyed_by_link_or_not_at_all() {
        let feed = read("rss-missing-ids.xml", "ids.xml");
        let [boiler, quiz] = &feed.articles[..] else {
            panic!("{:?}", feed.articles);
        };
        assert_eq!(boiler.upstream_id, None);
        assert_eq!(
            boiler.upstream_key.as_deref(),
            Some("https://ashford-notes.example/hall-boiler")
        );
        assert_eq!(quiz.upstream_id, None);
        assert_eq!(quiz.link, None);
        assert_eq!(quiz.upstream_key, None);
        assert_eq!(quiz.title, "Quiz night raises £640");
    }

    #[test]
    fn a_shared_id_is_told_apart_by_link() {
        let feed = read("rss-duplicate-ids.xml", "dup.xml");
        let keys: Vec<Option<&str>> = feed
            .articles
            .iter()
            .map(|a| a.upstream_key.as_deref())
            .collect();
        assert_eq!(
            keys,
            vec![
                Some("story-17 https://wirral-wire.example/coast/path-closed"),
                Some("story-17 https://wirral-wire.example/coast/path-closed-update"),
                Some("story-18"),
            ]
        );
        assert!(
            feed.articles
                .iter()
                .take(2)
                .all(|a| a.upstream_id.as_deref() == Some("story-17"))
        );
    }

    #[test]
    fn no_xss_survives_from_rss() {
        let feed = read("xss-rss.xml", "https://xss-desk.example/rss");
        assert_eq!(feed.title.as_deref(), Some("Test Desk"));
        let article = &feed.articles[0];
        assert_eq!(article.title, "Budget vote delayed");
        assert_eq!(article.link, None);
        assert_eq!(article.summary.as_deref(), Some("Summary here"));
        assert_eq!(article.captions, vec![]);
        let html = article.content_html.as_deref().expect("content");
        assert_inert(html);
        assert!(
            html.starts_with("<p>Council <b>votes</b> today.</p>"),
            "{html}"
        );
        assert!(
            html.contains(
                "<a href=\"https://xss-desk.example/ok\" rel=\"noopener noreferrer\">safe link</a>"
            ),
            "{html}"
        );
        let text: Vec<&str> = article.body.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            text,
            vec![
                "Council votes today.",
                "data link",
                "styled",
                "vb",
                "safe link"
            ]
        );
    }

    #[test]
    fn no_xss_survives_from_atom() {
        let feed = read("xss-atom.xml", "https://xss-desk.example/atom");
        let article = &feed.articles[0];
        assert_eq!(article.title, "Harbour <tax> plan");
        // The link is `javascript:` and the id a `tag:` URI: no link at all.
        assert_eq!(article.link, None);
        assert_eq!(article.summary.as_deref(), Some("Hover"));
        let html = article.content_html.as_deref().expect("content");
        assert_inert(html);
        assert!(html.contains("<p>fixed</p>"), "{html}");
    }

    #[test]
    fn malformed_xml_is_located() {
        let kind = fails(&fixture("malformed.xml"));
        let FeedErrorKind::Xml { line, message, .. } = &kind else {
            panic!("{kind:?}");
        };
        assert_eq!(*line, 7);
        assert!(message.contains("</title>"), "{message}");
        let shown = FeedError {
            location: "https://broken.example/rss".into(),
            kind,
        }
        .to_string();
        assert!(
            shown.starts_with("https://broken.example/rss: malformed XML at line 7, column 1:"),
            "{shown}"
        );
    }

    #[test]
    fn billion_laughs_is_refused_without_expanding() {
        let started = std::time::Instant::now();
        let kind = fails(&fixture("billion-laughs.xml"));
        assert_eq!(
            kind,
            FeedErrorKind::EntityExpansion {
                name: "lol1".into(),
                line: 2
            }
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }

    #[test]
    fn external_entities_are_refused_and_never_read() {
        let dir = tempfile::tempdir().expect("temp dir");
        let secret = dir.path().join("secret.txt");
        std::fs::write(&secret, "TOP-SECRET-MARKER").expect("write");
        let doc = format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file://{}\">]>\n<rss version=\"2.0\"><channel><title>&xxe;</title><item><title>&xxe;</title></item></channel></rss>",
            secret.display()
        );
        let error = parse_feed(doc.as_bytes(), None, "xxe.xml").expect_err("refused");
        assert_eq!(
            error.kind,
            FeedErrorKind::ExternalEntity {
                name: "xxe".into(),
                line: 2
            }
        );
        assert!(!error.to_string().contains("TOP-SECRET"));
    }

    #[test]
    fn simple_entities_are_not_expanded() {
        let doc = "<!DOCTYPE rss [<!ENTITY desk \"Night desk\">]><rss version=\"2.0\"><channel><title>t</title><item><title>From the &desk;</title></item></channel></rss>";
        let feed = parse_feed(doc.as_bytes(), None, "x").expect("read");
        // `&desk;` reaches the HTML reader as written, which knows no such entity.
        assert_eq!(feed.articles[0].title, "From the &desk;");
    }

    #[test]
    fn junk_is_refused_with_its_cause() {
        assert_eq!(fails(b""), FeedErrorKind::Empty);
        assert_eq!(fails(b" \n\t"), FeedErrorKind::Empty);
        assert_eq!(fails(&[0xEF, 0xBB, 0xBF]), FeedErrorKind::Empty);
        assert!(matches!(
            fails(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            FeedErrorKind::Binary { offset: 8 }
        ));
        assert!(matches!(
            fails(b"Hello, this is not a feed"),
            FeedErrorKind::NotAFeed { .. }
        ));
        assert_eq!(
            fails(b"<!DOCTYPE html><html><body><p>Moved</p></body></html>"),
            FeedErrorKind::NotAFeed {
                found: "an HTML page".into()
            }
        );
        assert_eq!(
            fails(b"<rss version=\"2.0\"><item/></rss>"),
            FeedErrorKind::NotAFeed {
                found: "an <rss> document without a <channel>".into()
            }
        );
        assert!(matches!(
            fails(b"{\"version\": \"https://jsonfeed.org/version/2\", \"items\": []}"),
            FeedErrorKind::JsonVersion { .. }
        ));
        assert!(matches!(
            fails(b"{\"items\": [}"),
            FeedErrorKind::Json { line: 1, .. }
        ));
        let random: Vec<u8> = (0u32..4096)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        assert!(parse_feed(&random, None, "random.bin").is_err());
    }

    #[test]
    fn declarations_in_mid_document_do_not_panic() {
        let doc = format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>{}<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><item><title>After</title></item></channel></rss>",
            "<!-- padding -->".repeat(1000)
        );
        let feed = parse_feed(doc.as_bytes(), None, "x").expect("read");
        assert_eq!(feed.articles[0].title, "After");
    }

    #[test]
    fn overlong_durations_do_not_panic() {
        let doc = concat!(
            "<rss version=\"2.0\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\" xmlns:media=\"http://search.yahoo.com/mrss/\">",
            "<channel><title>t</title><item><title>Long</title>",
            "<itunes:duration>99999999999999999999999</itunes:duration>",
            "<media:thumbnail url=\"https://i.example/t.jpg\" time=\"99999999999999999999999\"/>",
            "</item></channel></rss>"
        );
        let feed = parse_feed(doc.as_bytes(), None, "x").expect("read");
        assert_eq!(feed.articles[0].title, "Long");
        assert_eq!(
            feed.articles[0].captions,
            vec![image("https://i.example/t.jpg")]
        );
    }

    #[test]
    fn lone_surrogates_in_json_become_replacement_characters() {
        let doc = r#"{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[
            {"id":"1","title":"Cut \ud83d","content_text":"A \udc00 B \\ud800 C"},
            {"id":"2","title":"Whole \ud83d\udc4d \u00e9"}]}"#;
        let feed = parse_feed(doc.as_bytes(), None, "x.json").expect("read");
        assert_eq!(feed.articles[0].title, "Cut \u{FFFD}");
        assert_eq!(
            feed.articles[0].body,
            vec![Block::paragraph("A \u{FFFD} B \\ud800 C")]
        );
        assert_eq!(feed.articles[1].title, "Whole 👍 é");
        assert_eq!(feed.warnings.len(), 1, "{:?}", feed.warnings);
        assert_eq!(
            replace_lone_surrogates(r#"{"a":"\ud83d\udc4d \\ud800"}"#),
            None
        );
        assert_eq!(
            replace_lone_surrogates(r#"["\udbff\ud800", "\ud800"#).as_deref(),
            Some(r#"["\uFFFD\uFFFD", "\uFFFD"#)
        );
        // Found by fuzzing: a backslash at the very end.
        assert_eq!(
            replace_lone_surrogates(r#"["\ud800"]\"#).as_deref(),
            Some(r#"["\uFFFD"]\"#)
        );
        assert!(parse_feed(br#"{"version":"\u0031"}\"#, None, "x.json").is_err());
    }

    #[test]
    fn dates_in_years_0_and_9999_are_left_out_with_a_warning() {
        let doc = concat!(
            "<rss version=\"2.0\"><channel><title>t</title>",
            "<item><title>Far future</title><guid>1</guid>",
            "<pubDate>Fri, 31 Dec 9999 23:00:00 -0500</pubDate></item>",
            "<item><title>Year zero</title><guid>2</guid>",
            "<pubDate>Sat, 01 Jan 0000 00:00:00 +0100</pubDate></item>",
            "<item><title>Both</title><guid>3</guid>",
            "<pubDate>9999-12-31T23:59:59Z</pubDate>",
            "<atom:updated xmlns:atom=\"http://www.w3.org/2005/Atom\">2024-07-09T16:42:00Z</atom:updated></item>",
            "</channel></rss>"
        );
        let feed = parse_feed(doc.as_bytes(), None, "x").expect("read");
        let dates: Vec<_> = feed
            .articles
            .iter()
            .map(|a| (a.published, a.updated))
            .collect();
        assert_eq!(dates[0], (None, None));
        assert_eq!(dates[1], (None, None));
        assert_eq!(dates[2].1, None);
        assert!(
            feed.warnings[0].starts_with(
                "entry 1: the date +10000-01-01T04:00:00+00:00 is outside the years 1900..=2200"
            ),
            "{:?}",
            feed.warnings
        );
        assert!(
            feed.warnings[1].starts_with("entry 2: the date -0001-12-31T23:00:00+00:00"),
            "{:?}",
            feed.warnings
        );
        let atom = concat!(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>t</title><id>f</id>",
            "<entry><title>Zero</title><id>z</id><published>0000-01-01T00:00:00Z</published>",
            "<updated>2024-07-09T16:42:00Z</updated></entry></feed>"
        );
        let feed = parse_feed(atom.as_bytes(), None, "x").expect("read");
        assert_eq!(feed.articles[0].published, at("2024-07-09T16:42:00Z"));
        assert_eq!(feed.articles[0].updated, None);
    }

    #[test]
    fn rss_without_a_known_version_reads_as_rss_20() {
        let doc = "<rss><channel><title>t</title><item><title>One</title><guid>1</guid></item></channel></rss>";
        let feed = parse_feed(doc.as_bytes(), None, "x").expect("read");
        assert_eq!(feed.format, FeedFormat::Rss20);
        assert_eq!(feed.articles[0].upstream_id.as_deref(), Some("1"));
    }

    #[test]
    fn empty_media_descriptions_are_repaired() {
        let doc = "<rss version=\"2.0\" xmlns:media=\"http://search.yahoo.com/mrss/\"><channel><title>t</title><item><title>Pictured</title><media:content url=\"https://i.example/a.jpg\" medium=\"image\"><media:description/><media:credit>AP</media:credit></media:content></item></channel></rss>";
        let feed = parse_feed(doc.as_bytes(), None, "x").expect("read");
        assert_eq!(feed.warnings.len(), 1, "{:?}", feed.warnings);
        assert_eq!(
            feed.articles[0].captions,
            vec![Caption {
                text: String::new(),
                credit: Some("AP".into()),
                image: Some("https://i.example/a.jpg".into())
            }]
        );
    }

    #[test]
    fn an_entry_without_title_takes_its_first_words() {
        let doc = "<rss version=\"2.0\"><channel><title>t</title><item><description>&lt;p&gt;A short note from the harbour master about the new mooring fees that apply from next month onwards.&lt;/p&gt;</description></item></channel></rss>";
        let feed = parse_feed(doc.as_bytes(), None, "x").expect("read");
        let article = &feed.articles[0];
        assert_eq!(
            article.title,
            "A short note from the harbour master about the new mooring fees that apply from…"
        );
        assert_eq!(article.body.len(), 1);
        assert_eq!(article.body[0].kind, BlockKind::Paragraph);
    }

    #[test]
    fn a_short_untitled_entry_keeps_its_body() {
        let doc = "<rss version=\"2.0\"><channel><title>t</title><item><description>Roadworks on Mill Lane.</description></item></channel></rss>";
        let feed = parse_feed(doc.as_bytes(), None, "x").expect("read");
        let article = &feed.articles[0];
        assert_eq!(article.title, "Roadworks on Mill Lane.");
        assert_eq!(
            article.body,
            vec![Block::paragraph("Roadworks on Mill Lane.")]
        );
    }

    #[test]
    fn a_body_block_repeating_the_headline_is_folded() {
        let doc = "<rss version=\"2.0\"><channel><title>t</title><item><title>Tide tables</title><description>&lt;h1&gt;Tide Tables&lt;/h1&gt;&lt;p&gt;High water 06:12.&lt;/p&gt;&lt;p&gt;High water 06:12.&lt;/p&gt;</description></item></channel></rss>";
        let feed = parse_feed(doc.as_bytes(), None, "x").expect("read");
        assert_eq!(
            feed.articles[0].body,
            vec![Block::paragraph("High water 06:12.")]
        );
    }
}

#[cfg(test)]
mod mangled {
    //! Damaged copies of the fixtures: whatever the damage, reading ends in
    //! articles or an error, never a panic.

    use std::path::Path;

    use proptest::prelude::*;

    use super::parse_feed;

    const FIXTURES: [&str; 12] = [
        "rss091.xml",
        "rss092.xml",
        "rss090.rdf",
        "rss10.rdf",
        "rss20.xml",
        "atom03.xml",
        "atom10.xml",
        "jsonfeed10.json",
        "jsonfeed11.json",
        "rss-utf-16be.xml",
        "xss-rss.xml",
        "xss-atom.xml",
    ];

    /// Bytes that matter to XML, JSON and the encodings.
    const SIGNIFICANT: &[u8] = b"<>/&;#\"'=?![]{}:,0123456789 \n\0\xff\xfe\xc3";

    fn fixture(name: &str) -> Vec<u8> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/feeds")
            .join(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    #[derive(Debug, Clone)]
    enum Edit {
        Insert(usize, u8),
        Replace(usize, u8),
        Delete(usize, usize),
        Duplicate(usize, usize),
    }

    fn edit() -> impl Strategy<Value = Edit> {
        let byte = prop::sample::select(SIGNIFICANT);
        prop_oneof![
            (any::<usize>(), byte.clone()).prop_map(|(at, b)| Edit::Insert(at, b)),
            (any::<usize>(), byte).prop_map(|(at, b)| Edit::Replace(at, b)),
            (any::<usize>(), 1usize..40).prop_map(|(at, n)| Edit::Delete(at, n)),
            (any::<usize>(), 1usize..200).prop_map(|(at, n)| Edit::Duplicate(at, n)),
        ]
    }

    fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
        for edit in edits {
            let len = bytes.len().max(1);
            match *edit {
                Edit::Insert(at, b) => bytes.insert(at % (len + 1).min(bytes.len() + 1), b),
                Edit::Replace(at, b) => {
                    if !bytes.is_empty() {
                        let at = at % bytes.len();
                        bytes[at] = b;
                    }
                }
                Edit::Delete(at, n) => {
                    if !bytes.is_empty() {
                        let at = at % bytes.len();
                        let end = (at + n).min(bytes.len());
                        bytes.drain(at..end);
                    }
                }
                Edit::Duplicate(at, n) => {
                    if !bytes.is_empty() {
                        let at = at % bytes.len();
                        let end = (at + n).min(bytes.len());
                        let copy = bytes[at..end].to_vec();
                        bytes.splice(at..at, copy);
                    }
                }
            }
        }
        bytes
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn damaged_documents_never_panic(
            which in 0..FIXTURES.len(),
            edits in prop::collection::vec(edit(), 1..8),
            charset in prop::option::of(prop::sample::select(&["utf-8", "utf-16", "iso-8859-1", "bogus"][..])),
        ) {
            let bytes = apply(fixture(FIXTURES[which]), &edits);
            let _ = parse_feed(&bytes, charset, "https://fuzz.example/feed");
        }
    }
}

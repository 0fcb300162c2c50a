//! Reading sitemaps: a sitemap index (`<sitemapindex>`, the sitemaps it
//! lists), a sitemap (`<urlset>`, pages with their `lastmod`) and a Google
//! News sitemap (a `<urlset>` whose pages carry `<news:news>` with
//! `news:title` and `news:publication_date`). Dates are W3C datetimes of
//! any precision (see [`sitemap_date`]); one that is no possible date is
//! left out and reported. Pure: bytes in, entries out. The bytes are
//! decoded as an XML feed's are (the byte-order mark, the HTTP `charset`,
//! then the XML declaration decide), so an ISO-8859-1 sitemap's URLs and
//! titles come out as the text it holds; a `news:title` is read as an RSS
//! title is, its character and entity references resolved.
//! An `&` that starts no reference (`?a=1&b=2`, as many sitemaps write
//! their URLs) is text, and reported.
//! No entity is expanded and nothing is fetched; at most [`MAX_ENTRIES`]
//! entries are read from one document, the protocol's own limit. A gzipped
//! sitemap (`sitemap.xml.gz`, served as a file rather than with a
//! `Content-Encoding`) is inflated first, up to [`MAX_INFLATED`] bytes.
//! An empty document, and binary data (a NUL character, which no text
//! holds: a file compressed twice or in another format, an image), are
//! refused as a feed is, naming where; what an error quotes of the
//! document is made printable.

use std::borrow::Cow;
use std::io::Read as _;

use chrono::{DateTime, Utc};
use quick_xml::Reader;
use quick_xml::events::Event;
use thiserror::Error;
use url::Url;

use super::date::plausible;
use super::feed::decode::{decode_xml, nul_offset};
use super::feed::{escape_stray_ampersands, rss_title_text};
use super::fetch::{GZIP_MAGIC, GzipMembers};
use super::page::metadata::{parse_date, parse_moment};
use super::shown_text::{excerpt, printable};
use crate::normalize::uri_string;

/// Entries read from one document, at most.
pub const MAX_ENTRIES: usize = 50_000;

/// Bytes a gzipped sitemap may inflate to, the protocol's own limit.
pub const MAX_INFLATED: u64 = 50 * 1024 * 1024;

/// What a sitemap document lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sitemap {
    /// A sitemap index: its sitemaps.
    Index(Vec<ListedSitemap>),
    /// A sitemap: its pages.
    Pages(Vec<SitemapPage>),
}

/// One sitemap an index lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedSitemap {
    pub url: String,
    /// `lastmod`.
    pub modified: Option<DateTime<Utc>>,
}

/// One page a sitemap lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SitemapPage {
    pub url: String,
    /// `news:title`.
    pub title: Option<String>,
    /// `news:publication`'s `news:name`: the name of the site that
    /// publishes the page.
    pub publication: Option<String>,
    /// `news:publication_date`.
    pub published: Option<DateTime<Utc>>,
    /// `lastmod`.
    pub modified: Option<DateTime<Utc>>,
}

impl SitemapPage {
    /// How new the page is, as the sitemap says: its publication date,
    /// else when it last changed.
    pub fn date(&self) -> Option<DateTime<Utc>> {
        self.published.or(self.modified)
    }
}

/// A document that is not a sitemap; the message names it.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum SitemapError {
    #[error("{location}: not a sitemap: the document's root is <{root}>")]
    NotASitemap { location: String, root: String },
    #[error("{location}: not a sitemap: no root element")]
    NoRoot { location: String },
    #[error("{location}: the document is empty")]
    Empty { location: String },
    /// `offset` counts bytes of the document as given, or of what its
    /// gzip stream inflates to when `inflated`.
    #[error(
        "{location}: binary data, not a sitemap (a NUL character at byte {offset}{})",
        if *inflated { " of what its gzip stream inflates to" } else { "" }
    )]
    Binary {
        location: String,
        offset: u64,
        inflated: bool,
    },
    #[error("{location}: a broken gzip stream: {message}")]
    BrokenGzip { location: String, message: String },
    #[error("{location}: inflates past {limit} bytes, the sitemap limit")]
    InflatesTooFar { location: String, limit: u64 },
    /// The document breaks off before its first whole entry: what it
    /// lists cannot be told, and the source fails rather than list
    /// nothing. `transfer` says why the transfer ended early, when it did.
    #[error(
        "{location}: {}the sitemap breaks off at byte {offset}, inside <{open}>, before its first whole entry: nothing it lists can be told",
        transfer.as_ref().map(|cause| format!("{cause}; ")).unwrap_or_default()
    )]
    BreaksOffBeforeFirstEntry {
        location: String,
        offset: u64,
        open: String,
        transfer: Option<String>,
    },
    #[error("{location}: malformed XML at byte {offset}: {message}")]
    Malformed {
        location: String,
        offset: u64,
        message: String,
    },
}

/// A sitemap read, and what was left out of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    pub sitemap: Sitemap,
    /// Entries without an http(s) URL, or past [`MAX_ENTRIES`].
    pub skipped: usize,
    /// Where the document broke off (a transfer cut short), as a byte
    /// offset, and the root element left open: the whole entries before it
    /// were read.
    pub cut: Option<(u64, String)>,
    /// Where and how a document that does not break off is malformed
    /// (`malformed XML at byte 120: …`): the whole entries before it were
    /// read.
    pub malformed: Option<String>,
    /// Whether ampersands that start no reference (`?a=1&b=2`, as many
    /// sitemaps write their URLs) were read as text.
    pub stray_ampersands: bool,
    /// Dates of entries that could not be read, left out.
    pub bad_dates: Vec<BadDate>,
    /// Entities referred to in an entry's `<loc>` (`&slug;`), which no
    /// sitemap's entity is expanded to: each such entry is left out, since
    /// its URL without them would be another page.
    pub unexpanded: Vec<String>,
    /// What decoding the bytes had to guess or replace
    /// (`bytes that are not valid ISO-8859-2 were replaced with U+FFFD`).
    pub encoding_warning: Option<String>,
}

/// A `lastmod` or `news:publication_date` that is no date, or no possible
/// one (`2024-07-29T25:61:00Z`), in the entry at `url`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{url}: <{element}> {value} is no date")]
pub struct BadDate {
    pub url: String,
    pub element: &'static str,
    pub value: String,
}

/// The entry being read.
#[derive(Default)]
struct Entry {
    loc: Option<String>,
    title: Option<String>,
    publication: Option<String>,
    published: Option<DateTime<Utc>>,
    modified: Option<DateTime<Utc>>,
    /// Dates that could not be read: the element and its text.
    bad_dates: Vec<(&'static str, String)>,
    /// An entity its `<loc>` refers to, not expanded.
    unexpanded: Option<String>,
}

impl Entry {
    /// Reads `value`, the date of `element`, noting it when it is no date.
    fn date(&mut self, element: &'static str, value: &str) -> Option<DateTime<Utc>> {
        let date = sitemap_date(value);
        if date.is_none() && !value.is_empty() {
            self.bad_dates.push((element, value.to_string()));
        }
        date
    }
}

/// A sitemap's date: a W3C datetime of any precision the protocol allows
/// (`2024`, `2024-07`, `2024-07-29`, `2024-07-29T05:30+02:00`,
/// `2024-07-29T05:30:00Z`, with fractions of a second), a year and month
/// meaning their first day at midnight UTC; else the other forms pages
/// write (RFC 2822, `July 29, 2024`). A W3C date whose month, day or time
/// cannot be (`2024-13`, `2024-07-29T25:61:00Z`) is none.
pub fn sitemap_date(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    let digits = |from: usize, to: usize| {
        text.get(from..to)
            .is_some_and(|d| d.bytes().all(|b| b.is_ascii_digit()))
    };
    let number = |from: usize, to: usize| text.get(from..to)?.parse::<u32>().ok();
    let dash_at = |at: usize| text.as_bytes().get(at) == Some(&b'-');
    let first_day = |month: u32| {
        let year = i32::try_from(number(0, 4)?).ok()?;
        chrono::NaiveDate::from_ymd_opt(year, month, 1)?
            .and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc())
    };
    let date = if !digits(0, 4) || (text.len() > 4 && !dash_at(4)) {
        parse_date(text)
    } else if text.len() == 4 {
        first_day(1)
    } else if text.len() == 7 && digits(5, 7) {
        first_day(number(5, 7)?)
    } else if text.len() == 10 {
        parse_date(text)
    } else if text.len() > 10 && dash_at(7) && matches!(text.as_bytes()[10], b'T' | b't' | b' ') {
        parse_moment(text)
    } else {
        None
    }?;
    plausible(date)
}

/// Reads the sitemap `bytes`, fetched from (or read at) `location`, whose
/// `Content-Type` named `charset`, if any. A gzip stream that breaks off (a transfer cut short) is read as far as it
/// inflates, as a plain document cut short is; when no whole entry came
/// before the break, the broken stream is the error.
pub fn read(bytes: &[u8], charset: Option<&str>, location: &str) -> Result<Read, SitemapError> {
    let (bytes, broken) = inflated(bytes, location, MAX_INFLATED)?;
    let was_inflated = matches!(bytes, Cow::Owned(_));
    match (read_xml(&bytes, charset, location, was_inflated), broken) {
        (Err(_), Some(broken)) => Err(broken),
        (read, _) => read,
    }
}

impl SitemapError {
    /// This error of a document whose transfer was cut short for `cause`
    /// (`the transfer was cut short after 120 bytes (…)`): one that breaks
    /// off before its first whole entry names it.
    pub fn of_transfer_cut(self, cause: Option<&str>) -> SitemapError {
        match self {
            SitemapError::BreaksOffBeforeFirstEntry {
                location,
                offset,
                open,
                transfer: None,
            } => SitemapError::BreaksOffBeforeFirstEntry {
                location,
                offset,
                open,
                transfer: cause.map(str::to_string),
            },
            other => other,
        }
    }
}

/// Reads the sitemap document `bytes` (inflated from a gzip stream when
/// `inflated`), from `location`.
fn read_xml(
    bytes: &[u8],
    charset: Option<&str>,
    location: &str,
    inflated: bool,
) -> Result<Read, SitemapError> {
    let decoded = decode_xml(bytes, charset);
    if decoded.text.trim_start().is_empty() {
        return Err(SitemapError::Empty {
            location: location.to_string(),
        });
    }
    if let Some(offset) = nul_offset(bytes, decoded.encoding) {
        return Err(SitemapError::Binary {
            location: location.to_string(),
            offset: offset as u64,
            inflated,
        });
    }
    let text = decoded.text;
    let repaired = escape_stray_ampersands(&text);
    let stray_ampersands = repaired.is_some();
    let text = repaired.map_or(text, Cow::Owned);
    let mut reader = Reader::from_str(&text);
    let mut path: Vec<String> = Vec::new();
    let mut index: Option<bool> = None;
    let mut entry: Option<Entry> = None;
    let mut captured = String::new();
    let mut urls = Vec::new();
    let mut pages = Vec::new();
    let mut skipped = 0;
    let mut cut = None;
    let mut malformed = None;
    let mut bad_dates = Vec::new();
    let mut unexpanded = Vec::new();
    // Entries read to their end tag, whether taken or left out.
    let mut whole_entries = 0;
    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            // Broken after whole entries: those stand, as a cut-short
            // transfer leaves them. Markup left open is the end of the
            // input (a cut); any other error is inside a whole document.
            Err(e) if (!urls.is_empty() || !pages.is_empty()) && !path.is_empty() => {
                let offset = reader.error_position();
                if matches!(e, quick_xml::Error::Syntax(_)) {
                    cut = Some(offset);
                } else {
                    malformed = Some(format!(
                        "malformed XML at byte {offset}: {}",
                        printable(&e.to_string())
                    ));
                }
                break;
            }
            Err(e) => {
                return Err(SitemapError::Malformed {
                    location: location.to_string(),
                    offset: reader.error_position(),
                    message: printable(&e.to_string()).into_owned(),
                });
            }
        };
        match event {
            Event::Start(tag) => {
                let name = tag.local_name().as_ref().to_string();
                if index.is_none() {
                    index = Some(match name.as_str() {
                        "sitemapindex" => true,
                        "urlset" => false,
                        _ => {
                            return Err(SitemapError::NotASitemap {
                                location: location.to_string(),
                                root: shown(&name),
                            });
                        }
                    });
                }
                if path.len() == 1 && matches!(name.as_str(), "url" | "sitemap") {
                    entry = Some(Entry::default());
                }
                path.push(name);
                captured.clear();
            }
            Event::Empty(tag) if index.is_none() => {
                let root = tag.local_name().as_ref().to_string();
                if !matches!(root.as_str(), "sitemapindex" | "urlset") {
                    return Err(SitemapError::NotASitemap {
                        location: location.to_string(),
                        root: shown(&root),
                    });
                }
                index = Some(root == "sitemapindex");
            }
            Event::Text(t) => captured.push_str(&t.xml10_content()),
            Event::CData(t) => captured.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => match r.resolve_char_ref() {
                Ok(Some(c)) => captured.push(c),
                _ => {
                    let name: &str = &r;
                    if let Some(resolved) = quick_xml::escape::resolve_predefined_entity(name) {
                        captured.push_str(resolved);
                    } else if let Some(current) = &mut entry
                        && path.last().is_some_and(|open| open == "loc")
                    {
                        current
                            .unexpanded
                            .get_or_insert_with(|| format!("&{name};"));
                    }
                }
            },
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                let parent = path.last().map(String::as_str);
                if let Some(current) = &mut entry {
                    let value = captured.trim();
                    match (parent, name.as_str()) {
                        (Some("url" | "sitemap"), "loc") => current.loc = Some(value.to_string()),
                        (Some("url" | "sitemap"), "lastmod") => {
                            current.modified = current.date("lastmod", value)
                        }
                        (Some("news"), "title") => current.title = Some(rss_title_text(value)),
                        (Some("publication"), "name") => {
                            current.publication = Some(rss_title_text(value))
                        }
                        (Some("news"), "publication_date") => {
                            current.published = current.date("news:publication_date", value)
                        }
                        _ => {}
                    }
                }
                captured.clear();
                if path.len() == 1
                    && matches!(name.as_str(), "url" | "sitemap")
                    && let Some(done) = entry.take()
                {
                    whole_entries += 1;
                    if let Some(entity) = done.unexpanded {
                        unexpanded.push(entity);
                        continue;
                    }
                    let url = done.loc.as_deref().and_then(http_url);
                    if let Some(url) = &url {
                        bad_dates.extend(done.bad_dates.into_iter().map(|(element, value)| {
                            BadDate {
                                url: url.clone(),
                                element,
                                value,
                            }
                        }));
                    }
                    match url {
                        Some(url) if urls.len() + pages.len() < MAX_ENTRIES => {
                            if index == Some(true) {
                                urls.push(ListedSitemap {
                                    url,
                                    modified: done.modified,
                                });
                            } else {
                                pages.push(SitemapPage {
                                    url,
                                    title: done.title.filter(|t| !t.is_empty()),
                                    publication: done.publication.filter(|t| !t.is_empty()),
                                    published: done.published,
                                    modified: done.modified,
                                });
                            }
                        }
                        _ => skipped += 1,
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let sitemap = match index {
        Some(true) => Sitemap::Index(urls),
        Some(false) => Sitemap::Pages(pages),
        None => {
            return Err(SitemapError::NoRoot {
                location: location.to_string(),
            });
        }
    };
    let cut = match (cut, path.first()) {
        (Some(offset), root) => Some((offset, root.cloned().unwrap_or_default())),
        (None, Some(root)) if malformed.is_none() => Some((text.len() as u64, root.clone())),
        (None, _) => None,
    };
    if let Some((offset, _)) = cut
        && whole_entries == 0
    {
        return Err(SitemapError::BreaksOffBeforeFirstEntry {
            location: location.to_string(),
            offset,
            open: path.get(1).or(path.first()).cloned().unwrap_or_default(),
            transfer: None,
        });
    }
    Ok(Read {
        sitemap,
        skipped,
        cut,
        malformed,
        stray_ampersands,
        bad_dates,
        unexpanded,
        encoding_warning: decoded.warning,
    })
}

/// An element name as an error may show it: its first 40 characters,
/// printable (text that is no XML can make a long name of garbage).
fn shown(name: &str) -> String {
    excerpt(name, 40)
}

/// `bytes` themselves, or inflated (to at most `limit` bytes) when they open
/// with the gzip magic; with a stream that breaks off, what it inflates to
/// and the error that says so.
fn inflated<'a>(
    bytes: &'a [u8],
    location: &str,
    limit: u64,
) -> Result<(Cow<'a, [u8]>, Option<SitemapError>), SitemapError> {
    if !bytes.starts_with(&GZIP_MAGIC) {
        return Ok((Cow::Borrowed(bytes), None));
    }
    let mut out = Vec::new();
    let broken = |e: std::io::Error| SitemapError::BrokenGzip {
        location: location.to_string(),
        message: e.to_string(),
    };
    // `read_to_end` keeps what was inflated before an error.
    let cut = match GzipMembers::new(bytes)
        .take(limit + 1)
        .read_to_end(&mut out)
    {
        Ok(_) => None,
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof && !out.is_empty() => {
            Some(broken(e))
        }
        Err(e) => return Err(broken(e)),
    };
    if out.len() as u64 > limit {
        return Err(SitemapError::InflatesTooFar {
            location: location.to_string(),
            limit,
        });
    }
    Ok((Cow::Owned(out), cut))
}

/// `text` as an absolute http(s) URL, normalized and written as an RFC 3986
/// URI.
fn http_url(text: &str) -> Option<String> {
    let url = Url::parse(text.trim()).ok()?;
    (matches!(url.scheme(), "http" | "https") && url.host().is_some()).then(|| uri_string(&url))
}

/// The sitemaps of an index to read, each once, at most `max`: the newest
/// by `lastmod` first, those it does not date last, equals in the index's
/// order; so that a limit costs old archives (which indexes often list
/// first), not the sitemap where today's pages appear.
pub fn newest_sitemaps(mut sitemaps: Vec<ListedSitemap>, max: usize) -> Vec<ListedSitemap> {
    // Stable: equal dates keep the index's order.
    sitemaps.sort_by_key(|s| std::cmp::Reverse(s.modified));
    let mut listed = std::collections::HashSet::new();
    sitemaps.retain(|s| listed.insert(s.url.clone()));
    sitemaps.truncate(max);
    sitemaps
}

/// What became of a listed page when the source fetched it before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tried {
    /// Never fetched.
    Not,
    /// Fetched and read, or failed for good: not fetched again.
    Read,
    /// Read before its `lastmod` moved on: fetched again after the
    /// untried.
    Changed,
    /// Failed in a way that may pass: fetched again after the untried.
    Failed,
}

#[cfg(test)]
mod tests {
    use super::*;

    const NEWS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url>
    <loc>https://harbour.example/news/strike?id=1&amp;ref=map</loc>
    <news:news>
      <news:publication><news:name>Harbour Post</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2026-11-30T08:00:00+01:00</news:publication_date>
      <news:title>Dock Workers Strike &amp; Ferries Stop</news:title>
    </news:news>
  </url>
  <url><loc>https://harbour.example/news/old</loc><lastmod>2026-11-01</lastmod></url>
  <url><loc>javascript:alert(1)</loc></url>
  <url><loc><![CDATA[https://harbour.example/news/undated]]></loc></url>
</urlset>"#;

    #[test]
    fn news_sitemaps_give_titles_and_publication_dates() {
        let read = read(NEWS.as_bytes(), None, "news.xml").unwrap();
        assert_eq!(read.skipped, 1);
        let Sitemap::Pages(pages) = read.sitemap else {
            panic!("a sitemap of pages")
        };
        assert_eq!(pages.len(), 3);
        assert_eq!(
            pages[0].url,
            "https://harbour.example/news/strike?id=1&ref=map"
        );
        assert_eq!(
            pages[0].title.as_deref(),
            Some("Dock Workers Strike & Ferries Stop")
        );
        assert_eq!(
            pages[0].published.unwrap().to_rfc3339(),
            "2026-11-30T07:00:00+00:00"
        );
        assert_eq!(pages[0].publication.as_deref(), Some("Harbour Post"));
        assert_eq!(pages[1].title, None);
        assert_eq!(pages[1].publication, None);
        assert_eq!(
            pages[1].modified.unwrap().to_rfc3339(),
            "2026-11-01T00:00:00+00:00"
        );
        assert_eq!(pages[2].url, "https://harbour.example/news/undated");
        assert_eq!(read.cut, None);
    }

    #[test]
    fn a_sitemap_is_decoded_as_its_declaration_or_http_charset_says() {
        let doc = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<urlset><url><loc>https://z.example/stra\u{df}e</loc></url></urlset>";
        let latin1 = encoding_rs::WINDOWS_1252.encode(doc).0;
        let plain = doc.replace(" encoding=\"ISO-8859-1\"", "");
        let undeclared = encoding_rs::WINDOWS_1252.encode(&plain).0;
        for (bytes, charset) in [(&latin1, None), (&undeclared, Some("iso-8859-1"))] {
            let read = read(bytes, charset, "de.xml").unwrap();
            let Sitemap::Pages(pages) = read.sitemap else {
                panic!("pages")
            };
            assert_eq!(pages[0].url, "https://z.example/stra%C3%9Fe");
            assert_eq!(read.encoding_warning, None);
        }
    }

    #[test]
    fn a_news_title_resolves_references_as_an_rss_title_does() {
        let doc = "<urlset xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\"><url><loc>https://z.example/a</loc><news:news><news:title><![CDATA[Dock Workers&#8217; Vote at Calder &#038; Westport]]></news:title></news:news></url>\
                   <url><loc>https://z.example/b</loc><news:news><news:title>the &lt;template&gt; element</news:title></news:news></url></urlset>";
        let Sitemap::Pages(pages) = read(doc.as_bytes(), None, "n.xml").unwrap().sitemap else {
            panic!("pages")
        };
        let titles: Vec<_> = pages.iter().filter_map(|p| p.title.as_deref()).collect();
        assert_eq!(
            titles,
            [
                "Dock Workers\u{2019} Vote at Calder & Westport",
                "the <template> element"
            ]
        );
    }

    #[test]
    fn w3c_dates_of_every_precision_are_read_and_impossible_ones_refused() {
        let entry = |path: &str, lastmod: &str| {
            format!(
                "<url><loc>https://harbour.example/{path}</loc><lastmod>{lastmod}</lastmod></url>"
            )
        };
        let xml = format!(
            r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{}{}{}{}{}{}{}</urlset>"#,
            entry("year", "2024"),
            entry("month", "2024-07"),
            entry("minutes", "2024-07-29T05:30+02:00"),
            entry("fraction", "2024-07-29T05:30:00.25Z"),
            entry("late", "2024-07-29T25:61:00Z"),
            entry("month13", "2024-13"),
            entry("words", "soon"),
        );
        let read = read(xml.as_bytes(), None, "dates.xml").unwrap();
        let Sitemap::Pages(pages) = read.sitemap else {
            panic!("a sitemap of pages")
        };
        let dates: Vec<Option<String>> = pages
            .iter()
            .map(|p| p.modified.map(|d| d.to_rfc3339()))
            .collect();
        assert_eq!(
            dates,
            [
                Some("2024-01-01T00:00:00+00:00".to_string()),
                Some("2024-07-01T00:00:00+00:00".to_string()),
                Some("2024-07-29T03:30:00+00:00".to_string()),
                Some("2024-07-29T05:30:00.250+00:00".to_string()),
                None,
                None,
                None,
            ]
        );
        let refused: Vec<String> = read.bad_dates.iter().map(ToString::to_string).collect();
        assert_eq!(
            refused,
            [
                "https://harbour.example/late: <lastmod> 2024-07-29T25:61:00Z is no date",
                "https://harbour.example/month13: <lastmod> 2024-13 is no date",
                "https://harbour.example/words: <lastmod> soon is no date",
            ]
        );
    }

    #[test]
    fn a_sitemap_cut_short_reads_its_whole_entries_and_says_where_it_ends() {
        // Cut inside a text, and inside a tag.
        for end in [12, 7] {
            let cut = &NEWS[..NEWS.find("<url><loc>javascript").unwrap() + end];
            let read = read(cut.as_bytes(), None, "cut.xml").unwrap();
            let (offset, root) = read.cut.expect("cut short");
            assert_eq!(root, "urlset");
            assert!(offset > 0 && offset <= cut.len() as u64, "{offset}");
            let Sitemap::Pages(pages) = read.sitemap else {
                panic!("a sitemap of pages")
            };
            assert_eq!(pages.len(), 2, "cut {end} bytes in");
        }
    }

    #[test]
    fn an_ampersand_that_starts_no_reference_is_read_as_text() {
        let entry = |path: &str| format!("<url><loc>https://harbour.example/{path}</loc></url>");
        let xml = format!(
            r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{}{}{}</urlset>"#,
            entry("a?utm_source=map&utm_medium=seo"),
            entry("b?x=1&amp;y=2"),
            entry("c"),
        );
        let read = read(xml.as_bytes(), None, "amp.xml").unwrap();
        assert!(read.stray_ampersands);
        assert_eq!(read.cut, None);
        let Sitemap::Pages(pages) = read.sitemap else {
            panic!("a sitemap of pages")
        };
        let urls: Vec<&str> = pages.iter().map(|p| p.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://harbour.example/a?utm_source=map&utm_medium=seo",
                "https://harbour.example/b?x=1&y=2",
                "https://harbour.example/c",
            ]
        );
        assert!(
            !super::read(NEWS.as_bytes(), None, "news.xml")
                .unwrap()
                .stray_ampersands
        );
    }

    #[test]
    fn a_whole_document_broken_inside_is_malformed_not_cut_short() {
        let xml = r#"<urlset><url><loc>https://harbour.example/a</loc></url>
<url><loc>https://harbour.example/b</lox></url>
<url><loc>https://harbour.example/c</loc></url></urlset>"#;
        let read = read(xml.as_bytes(), None, "broken.xml").unwrap();
        assert_eq!(read.cut, None, "the document does not break off");
        let malformed = read.malformed.expect("malformed");
        assert!(
            malformed.starts_with("malformed XML at byte "),
            "{malformed}"
        );
        let Sitemap::Pages(pages) = read.sitemap else {
            panic!("a sitemap of pages")
        };
        assert_eq!(pages.len(), 1, "the whole entries before it");
    }

    #[test]
    fn indexes_list_their_sitemaps() {
        let index = r#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
            <sitemap><loc>https://harbour.example/sitemap-1.xml</loc><lastmod>2026-11-30</lastmod></sitemap>
            <sitemap><loc>https://harbour.example/sitemap-2.xml</loc></sitemap>
        </sitemapindex>"#;
        assert_eq!(
            read(index.as_bytes(), None, "index.xml").unwrap().sitemap,
            Sitemap::Index(vec![
                ListedSitemap {
                    url: "https://harbour.example/sitemap-1.xml".into(),
                    modified: sitemap_date("2026-11-30"),
                },
                ListedSitemap {
                    url: "https://harbour.example/sitemap-2.xml".into(),
                    modified: None,
                },
            ])
        );
    }

    #[test]
    fn the_newest_sitemaps_of_an_index_are_read_first_and_undated_last() {
        let listed = |name: &str, lastmod: Option<&str>| ListedSitemap {
            url: format!("https://harbour.example/{name}.xml"),
            modified: lastmod.and_then(sitemap_date),
        };
        // Oldest first, as archive indexes list them.
        let index = vec![
            listed("undated-1", None),
            listed("2024-01", Some("2024-01-31")),
            listed("2024-02", Some("2024-02-29")),
            listed("pages-a", Some("2024-03-01T12:00:00Z")),
            listed("undated-2", None),
            listed("pages-b", Some("2024-03-01T12:00:00Z")),
            listed("2024-03", Some("2024-03-31")),
            // Listed twice: read once, as its newest listing.
            listed("2024-01", Some("2024-01-30")),
        ];
        let names = |sitemaps: Vec<ListedSitemap>| -> Vec<String> {
            sitemaps
                .into_iter()
                .map(|s| {
                    s.url
                        .trim_start_matches("https://harbour.example/")
                        .to_string()
                })
                .collect()
        };
        assert_eq!(
            names(newest_sitemaps(index.clone(), 10)),
            [
                "2024-03.xml",
                "pages-a.xml",
                "pages-b.xml",
                "2024-02.xml",
                "2024-01.xml",
                "undated-1.xml",
                "undated-2.xml",
            ]
        );
        assert_eq!(
            names(newest_sitemaps(index, 3)),
            ["2024-03.xml", "pages-a.xml", "pages-b.xml"],
            "the limit costs the oldest"
        );
    }

    #[test]
    fn other_documents_are_refused_naming_them() {
        let err = read(b"<rss version=\"2.0\"><channel/></rss>", None, "feed.xml").unwrap_err();
        assert_eq!(
            err.to_string(),
            "feed.xml: not a sitemap: the document's root is <rss>"
        );
        let utf16: Vec<u8> = "<rss>".bytes().flat_map(|b| [b, 0]).collect();
        let err = read(&utf16, None, "utf16.xml").unwrap_err();
        assert_eq!(
            err.to_string(),
            "utf16.xml: not a sitemap: the document's root is <rss>"
        );
        for empty in [&b""[..], b" \n\t", b"\xEF\xBB\xBF\n"] {
            let err = read(empty, None, "empty.xml").unwrap_err();
            assert_eq!(err.to_string(), "empty.xml: the document is empty");
        }
        let err = read(b"<?xml version=\"1.0\"?><!-- nothing -->", None, "bare.xml").unwrap_err();
        assert_eq!(err.to_string(), "bare.xml: not a sitemap: no root element");
        let err = read(b"<urlset><url><loc>x</url></urlset>", None, "bad.xml").unwrap_err();
        assert!(
            err.to_string().starts_with("bad.xml: malformed XML"),
            "{err}"
        );
        assert_eq!(
            read(b"<urlset/>", None, "none.xml").unwrap().sitemap,
            Sitemap::Pages(Vec::new())
        );
    }

    #[test]
    fn binary_data_is_refused_as_binary_naming_where() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01";
        let err = read(png, None, "logo.png").unwrap_err();
        assert_eq!(
            err.to_string(),
            "logo.png: binary data, not a sitemap (a NUL character at byte 8)"
        );
        // Garbage that opens like markup: binary all the same.
        let mut junk = b"\x01<".to_vec();
        junk.extend((0..3000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
        assert!(junk.contains(&0));
        let err = read(&junk, None, "junk.xml").unwrap_err();
        assert!(
            matches!(
                err,
                SitemapError::Binary {
                    inflated: false,
                    ..
                }
            ),
            "{err}"
        );
        // Compressed twice: the inflated document is gzip data again.
        let twice = gzipped(&gzipped(
            b"<urlset><url><loc>https://a.example/</loc></url></urlset>",
        ));
        let err = read(&twice, None, "twice.xml.gz").unwrap_err();
        assert_eq!(
            err.to_string(),
            "twice.xml.gz: binary data, not a sitemap (a NUL character at byte 3 of what its gzip stream inflates to)"
        );
        assert!(matches!(
            read(b"\0\0\0\0", None, "nul.xml"),
            Err(SitemapError::Binary { offset: 0, .. })
        ));
    }

    #[test]
    fn what_an_error_quotes_of_the_document_is_printable() {
        let mut garbage = b"<\xff\xfe\x01\xc3".to_vec();
        garbage.extend_from_slice(&[b'x'; 100]);
        garbage.extend_from_slice(b"\x1b[31m>");
        let err = read(&garbage, None, "odd.xml").unwrap_err().to_string();
        assert!(
            err.starts_with("odd.xml: not a sitemap: the document's root is <"),
            "{err}"
        );
        assert!(
            !err.chars().any(|c| c.is_control() || c == '\u{fffd}'),
            "{err:?}"
        );
        assert!(err.len() < 120, "{err}");
    }

    #[test]
    fn entity_declarations_are_never_expanded() {
        let doc = r#"<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY y "https://evil.example/">]>
<urlset><url><loc>&y;page</loc></url><url><loc>https://ok.example/&x;</loc></url></urlset>"#;
        let Sitemap::Pages(pages) = read(doc.as_bytes(), None, "doc.xml").unwrap().sitemap else {
            panic!("pages")
        };
        let left_out = read(doc.as_bytes(), None, "doc.xml").unwrap();
        assert_eq!(left_out.unexpanded, ["&y;", "&x;"]);
        assert!(pages.is_empty(), "a URL without its entity is another page");
        // A character reference and XML's own five are read.
        let doc =
            r#"<urlset><url><loc>https://ok.example/a&#x2d;b?x=1&amp;y=2</loc></url></urlset>"#;
        let whole = read(doc.as_bytes(), None, "doc.xml").unwrap();
        assert!(whole.unexpanded.is_empty());
        let Sitemap::Pages(pages) = whole.sitemap else {
            panic!("pages")
        };
        assert_eq!(pages[0].url, "https://ok.example/a-b?x=1&y=2");
    }

    fn gzipped(bytes: &[u8]) -> Vec<u8> {
        use std::io::Write as _;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn gzipped_sitemaps_read_as_the_plain_ones() {
        let plain = read(NEWS.as_bytes(), None, "news.xml").unwrap();
        let packed = read(&gzipped(NEWS.as_bytes()), None, "news.xml.gz").unwrap();
        assert_eq!(packed, plain);
    }

    #[test]
    fn a_sitemap_or_index_cut_short_before_its_first_whole_entry_is_refused() {
        let first = NEWS.find("<url>").unwrap();
        let index = "<?xml version=\"1.0\"?><sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><sitemap><loc>https://harbour.example/news-1.xml</loc></sitemap></sitemapindex>";
        let first_listed = index.find("<sitemap>").unwrap();
        // Cut inside the first entry's text, and before any entry.
        for (document, end, open) in [
            (NEWS, first + 30, "url"),
            (NEWS, first, "urlset"),
            (index, first_listed + 20, "sitemap"),
        ] {
            let cut = &document[..end];
            let refused = read(cut.as_bytes(), None, "https://harbour.example/s.xml").unwrap_err();
            assert_eq!(
                refused,
                SitemapError::BreaksOffBeforeFirstEntry {
                    location: "https://harbour.example/s.xml".to_string(),
                    offset: cut.len() as u64,
                    open: open.to_string(),
                    transfer: None,
                },
                "{cut}"
            );
            assert!(
                refused.to_string().contains("before its first whole entry"),
                "{refused}"
            );
            // Gzipped and cut the same way, it is refused too.
            let packed = gzipped(cut.as_bytes());
            assert!(read(&packed[..packed.len() - 4], None, "s.xml.gz").is_err());
        }
    }

    #[test]
    fn a_gzipped_sitemap_cut_short_reads_its_whole_entries_as_a_plain_one() {
        use std::io::Write as _;
        // A streaming writer flushes entry by entry; the transfer breaks
        // off inside the third.
        let cut = &NEWS[..NEWS.find("<url><loc>javascript").unwrap() + 12];
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(cut.as_bytes()).unwrap();
        encoder.flush().unwrap();
        let packed = encoder.get_ref().clone();
        assert_eq!(
            read(&packed, None, "news.xml.gz").unwrap(),
            read(cut.as_bytes(), None, "news.xml").unwrap()
        );
        let read = read(&packed, None, "news.xml.gz").unwrap();
        assert_eq!(read.cut.map(|(_, root)| root).as_deref(), Some("urlset"));
        let Sitemap::Pages(pages) = read.sitemap else {
            panic!("a sitemap of pages")
        };
        assert_eq!(pages.len(), 2);
    }

    #[test]
    fn a_gzipped_sitemap_followed_by_stray_bytes_reads_whole() {
        let plain = read(NEWS.as_bytes(), None, "news.xml").unwrap();
        for stray in [&b"\r\n"[..], &[0; 16]] {
            let mut packed = gzipped(NEWS.as_bytes());
            packed.extend_from_slice(stray);
            let (inflated, broken) = inflated(&packed, "news.xml.gz", 1 << 20).unwrap();
            assert!(broken.is_none(), "{stray:?}: {broken:?}");
            assert_eq!(&inflated[..], NEWS.as_bytes(), "{stray:?}");
            assert_eq!(read(&packed, None, "news.xml.gz").unwrap(), plain);
        }
    }

    #[test]
    fn broken_or_swelling_gzip_is_refused_naming_the_sitemap() {
        // Cut before any whole entry (inside its header), and broken inside.
        let mut cut = gzipped(NEWS.as_bytes());
        cut.truncate(6);
        let mut garbled = gzipped(NEWS.as_bytes());
        garbled[10..].fill(0xff);
        for broken in [cut, garbled] {
            let error = read(&broken, None, "https://harbour.example/news.xml.gz").unwrap_err();
            assert!(
                matches!(error, SitemapError::BrokenGzip { .. }),
                "{error:?}"
            );
            assert!(
                error
                    .to_string()
                    .starts_with("https://harbour.example/news.xml.gz: a broken gzip stream")
            );
        }

        let swelling = gzipped(&vec![b' '; 10_000]);
        let error = inflated(&swelling, "bomb.xml.gz", 4_096).unwrap_err();
        assert_eq!(
            error.to_string(),
            "bomb.xml.gz: inflates past 4096 bytes, the sitemap limit"
        );
        assert_eq!(
            inflated(&swelling, "fine.xml.gz", 10_000).unwrap().0.len(),
            10_000
        );
    }
}

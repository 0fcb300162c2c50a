//! Reading sitemaps: a sitemap index (`<sitemapindex>`, the sitemaps it
//! lists), a sitemap (`<urlset>`, pages with their `lastmod`) and a Google
//! News sitemap (a `<urlset>` whose pages carry `<news:news>` with
//! `news:title` and `news:publication_date`). Pure: bytes in, entries out.
//! No entity is expanded and nothing is fetched; at most [`MAX_ENTRIES`]
//! entries are read from one document, the protocol's own limit. A gzipped
//! sitemap (`sitemap.xml.gz`, served as a file rather than with a
//! `Content-Encoding`) is inflated first, up to [`MAX_INFLATED`] bytes.

use std::borrow::Cow;
use std::io::Read as _;

use chrono::{DateTime, Utc};
use flate2::read::MultiGzDecoder;
use quick_xml::Reader;
use quick_xml::events::Event;
use thiserror::Error;
use url::Url;

use super::page::metadata::parse_date;
use crate::normalize::clean_text;

/// Entries read from one document, at most.
pub const MAX_ENTRIES: usize = 50_000;

/// Bytes a gzipped sitemap may inflate to, the protocol's own limit.
pub const MAX_INFLATED: u64 = 50 * 1024 * 1024;

/// What a sitemap document lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sitemap {
    /// A sitemap index: the URLs of its sitemaps.
    Index(Vec<String>),
    /// A sitemap: its pages.
    Pages(Vec<SitemapPage>),
}

/// One page a sitemap lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SitemapPage {
    pub url: String,
    /// `news:title`.
    pub title: Option<String>,
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
    Empty { location: String },
    #[error("{location}: a broken gzip stream: {message}")]
    BrokenGzip { location: String, message: String },
    #[error("{location}: inflates past {limit} bytes, the sitemap limit")]
    InflatesTooFar { location: String, limit: u64 },
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
}

/// The entry being read.
#[derive(Default)]
struct Entry {
    loc: Option<String>,
    title: Option<String>,
    published: Option<DateTime<Utc>>,
    modified: Option<DateTime<Utc>>,
}

/// Reads the sitemap `bytes`, fetched from (or read at) `location`.
pub fn read(bytes: &[u8], location: &str) -> Result<Read, SitemapError> {
    let bytes = inflated(bytes, location, MAX_INFLATED)?;
    let text = String::from_utf8_lossy(&bytes);
    let mut reader = Reader::from_str(&text);
    let mut path: Vec<String> = Vec::new();
    let mut index: Option<bool> = None;
    let mut entry: Option<Entry> = None;
    let mut captured = String::new();
    let mut urls = Vec::new();
    let mut pages = Vec::new();
    let mut skipped = 0;
    let mut cut = None;
    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            // Broken after whole entries: those stand, as a cut-short
            // transfer leaves them.
            Err(_) if (!urls.is_empty() || !pages.is_empty()) && !path.is_empty() => {
                cut = Some(reader.error_position());
                break;
            }
            Err(e) => {
                return Err(SitemapError::Malformed {
                    location: location.to_string(),
                    offset: reader.error_position(),
                    message: e.to_string(),
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
                            current.modified = parse_date(value)
                        }
                        (Some("news"), "title") => current.title = Some(clean_text(value)),
                        (Some("news"), "publication_date") => current.published = parse_date(value),
                        _ => {}
                    }
                }
                captured.clear();
                if path.len() == 1
                    && matches!(name.as_str(), "url" | "sitemap")
                    && let Some(done) = entry.take()
                {
                    let url = done.loc.as_deref().and_then(http_url);
                    match url {
                        Some(url) if urls.len() + pages.len() < MAX_ENTRIES => {
                            if index == Some(true) {
                                urls.push(url);
                            } else {
                                pages.push(SitemapPage {
                                    url,
                                    title: done.title.filter(|t| !t.is_empty()),
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
            return Err(SitemapError::Empty {
                location: location.to_string(),
            });
        }
    };
    let cut = match (cut, path.first()) {
        (Some(offset), root) => Some((offset, root.cloned().unwrap_or_default())),
        (None, Some(root)) => Some((text.len() as u64, root.clone())),
        (None, None) => None,
    };
    Ok(Read {
        sitemap,
        skipped,
        cut,
    })
}

/// An element name as an error may show it: without control characters
/// (a UTF-16 document read as UTF-8 has a NUL after every letter).
fn shown(name: &str) -> String {
    name.chars().filter(|c| !c.is_control()).collect()
}

/// `bytes` themselves, or inflated (to at most `limit` bytes) when they open
/// with the gzip magic.
fn inflated<'a>(
    bytes: &'a [u8],
    location: &str,
    limit: u64,
) -> Result<Cow<'a, [u8]>, SitemapError> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(Cow::Borrowed(bytes));
    }
    let mut out = Vec::new();
    MultiGzDecoder::new(bytes)
        .take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| SitemapError::BrokenGzip {
            location: location.to_string(),
            message: e.to_string(),
        })?;
    if out.len() as u64 > limit {
        return Err(SitemapError::InflatesTooFar {
            location: location.to_string(),
            limit,
        });
    }
    Ok(Cow::Owned(out))
}

/// `text` as an absolute http(s) URL, normalized.
fn http_url(text: &str) -> Option<String> {
    let url = Url::parse(text.trim()).ok()?;
    (matches!(url.scheme(), "http" | "https") && url.host().is_some()).then(|| url.to_string())
}

/// The pages of `pages` not in `seen`, each once, newest first (pages the
/// sitemap does not date last, in the sitemap's order), at most `max`.
pub fn newest_unseen(
    pages: Vec<SitemapPage>,
    seen: impl Fn(&str) -> bool,
    max: usize,
) -> Vec<SitemapPage> {
    let mut listed = std::collections::HashSet::new();
    let mut unseen: Vec<SitemapPage> = pages
        .into_iter()
        .filter(|p| !seen(&p.url) && listed.insert(p.url.clone()))
        .collect();
    // Stable: equal dates keep the sitemap's order.
    unseen.sort_by_key(|p| std::cmp::Reverse(p.date()));
    unseen.truncate(max);
    unseen
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
        let read = read(NEWS.as_bytes(), "news.xml").unwrap();
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
        assert_eq!(pages[1].title, None);
        assert_eq!(
            pages[1].modified.unwrap().to_rfc3339(),
            "2026-11-01T00:00:00+00:00"
        );
        assert_eq!(pages[2].url, "https://harbour.example/news/undated");
        assert_eq!(read.cut, None);
    }

    #[test]
    fn a_sitemap_cut_short_reads_its_whole_entries_and_says_where_it_ends() {
        // Cut inside a text, and inside a tag.
        for end in [12, 7] {
            let cut = &NEWS[..NEWS.find("<url><loc>javascript").unwrap() + end];
            let read = read(cut.as_bytes(), "cut.xml").unwrap();
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
    fn indexes_list_their_sitemaps() {
        let index = r#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
            <sitemap><loc>https://harbour.example/sitemap-1.xml</loc><lastmod>2026-11-30</lastmod></sitemap>
            <sitemap><loc>https://harbour.example/sitemap-2.xml</loc></sitemap>
        </sitemapindex>"#;
        assert_eq!(
            read(index.as_bytes(), "index.xml").unwrap().sitemap,
            Sitemap::Index(vec![
                "https://harbour.example/sitemap-1.xml".into(),
                "https://harbour.example/sitemap-2.xml".into(),
            ])
        );
    }

    #[test]
    fn other_documents_are_refused_naming_them() {
        let err = read(b"<rss version=\"2.0\"><channel/></rss>", "feed.xml").unwrap_err();
        assert_eq!(
            err.to_string(),
            "feed.xml: not a sitemap: the document's root is <rss>"
        );
        let utf16: Vec<u8> = "<rss>".bytes().flat_map(|b| [b, 0]).collect();
        let err = read(&utf16, "utf16.xml").unwrap_err();
        assert_eq!(
            err.to_string(),
            "utf16.xml: not a sitemap: the document's root is <rss>"
        );
        let err = read(b"", "empty.xml").unwrap_err();
        assert_eq!(err.to_string(), "empty.xml: not a sitemap: no root element");
        let err = read(b"<urlset><url><loc>x</url></urlset>", "bad.xml").unwrap_err();
        assert!(
            err.to_string().starts_with("bad.xml: malformed XML"),
            "{err}"
        );
        assert_eq!(
            read(b"<urlset/>", "none.xml").unwrap().sitemap,
            Sitemap::Pages(Vec::new())
        );
    }

    #[test]
    fn entity_declarations_are_never_expanded() {
        let doc = r#"<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY y "https://evil.example/">]>
<urlset><url><loc>&y;page</loc></url><url><loc>https://ok.example/&x;</loc></url></urlset>"#;
        let Sitemap::Pages(pages) = read(doc.as_bytes(), "doc.xml").unwrap().sitemap else {
            panic!("pages")
        };
        assert_eq!(pages.len(), 1);
        assert_eq!(pages[0].url, "https://ok.example/");
    }

    fn gzipped(bytes: &[u8]) -> Vec<u8> {
        use std::io::Write as _;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn gzipped_sitemaps_read_as_the_plain_ones() {
        let plain = read(NEWS.as_bytes(), "news.xml").unwrap();
        let packed = read(&gzipped(NEWS.as_bytes()), "news.xml.gz").unwrap();
        assert_eq!(packed, plain);
    }

    #[test]
    fn broken_or_swelling_gzip_is_refused_naming_the_sitemap() {
        let mut cut = gzipped(NEWS.as_bytes());
        cut.truncate(cut.len() / 2);
        let error = read(&cut, "https://harbour.example/news.xml.gz").unwrap_err();
        assert!(
            matches!(error, SitemapError::BrokenGzip { .. }),
            "{error:?}"
        );
        assert!(
            error
                .to_string()
                .starts_with("https://harbour.example/news.xml.gz: a broken gzip stream")
        );

        let swelling = gzipped(&vec![b' '; 10_000]);
        let error = inflated(&swelling, "bomb.xml.gz", 4_096).unwrap_err();
        assert_eq!(
            error.to_string(),
            "bomb.xml.gz: inflates past 4096 bytes, the sitemap limit"
        );
        assert_eq!(
            inflated(&swelling, "fine.xml.gz", 10_000).unwrap().len(),
            10_000
        );
    }

    #[test]
    fn the_newest_unseen_pages_come_first() {
        let page = |url: &str, day: Option<u32>| SitemapPage {
            url: url.to_string(),
            published: day.map(|d| {
                DateTime::parse_from_rfc3339(&format!("2026-11-{d:02}T08:00:00Z"))
                    .unwrap()
                    .with_timezone(&Utc)
            }),
            ..SitemapPage::default()
        };
        let pages = vec![
            page("https://s.example/undated", None),
            page("https://s.example/1", Some(1)),
            page("https://s.example/3", Some(3)),
            page("https://s.example/seen", Some(4)),
            page("https://s.example/2", Some(2)),
            page("https://s.example/3", Some(3)),
        ];
        let urls: Vec<String> = newest_unseen(pages.clone(), |u| u.ends_with("seen"), 10)
            .into_iter()
            .map(|p| p.url)
            .collect();
        assert_eq!(
            urls,
            [
                "https://s.example/3",
                "https://s.example/2",
                "https://s.example/1",
                "https://s.example/undated"
            ]
        );
        assert_eq!(newest_unseen(pages, |_| false, 2).len(), 2);
    }
}

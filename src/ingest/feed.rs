//! Feed documents -> articles: RSS 0.90, 0.91, 0.92, 0.93, 0.94, 1.0 (RDF)
//! and 2.0, Atom 0.3 and 1.0, JSON Feed 1.0 and 1.1, each read in one pass
//! and mapped straight to [`Article`]s:
//!
//! - `decode`: the encoding, from the byte-order mark, the HTTP charset, the
//!   XML declaration or UTF-16 sniffing;
//! - `xml`: the DOCTYPE check (no entity is ever expanded, external ones are
//!   refused), stray ampersands, where malformed XML goes wrong;
//! - `reader`: the XML dialects and their namespaces, element by element,
//!   with `text` for each text element's content and `media` for pictures;
//! - `json`: JSON Feed;
//! - `entry`: entries -> articles (every piece of HTML sanitized, relative
//!   links made absolute, its inline audio and video found by
//!   `inline_media`), with `timestamp` for dates.
//!
//! Each entry becomes an [`Article`] with the same plain-text body model as
//! scraped dumps, plus its link, upstream id and sanitized HTML.

pub(crate) mod decode;
mod entry;
pub(crate) use entry::{
    know_shared_keys_by_content, link_key, names_past_their_by, played_files, same_text, shared,
    untitled,
};
mod json;
pub(crate) use json::replace_lone_surrogates;
mod inline_media;
mod media;
mod raw;
mod reader;
#[cfg(test)]
mod regressions;
mod shown_pictures;
mod text;
pub(crate) mod timestamp;
mod xml;
pub(crate) use xml::escape_stray_ampersands;

/// The plain text of a title written as an RSS title is (`news:title` in a
/// sitemap): HTML when it looks like it (a character or entity reference,
/// inline tags), so `Workers&#8217; Vote` reads `Workers’ Vote`; else text.
pub(crate) fn rss_title_text(text: &str) -> String {
    reader::plain(&raw::RawText {
        html: text::looks_like_html(text),
        value: text.to_string(),
    })
}

use std::fmt;

use thiserror::Error;
use url::Url;

use crate::model::Article;

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
    #[error(
        "line {line}: the entity `{name}` is referred to past what the DOCTYPE's entities may expand to in all (the document's own length, at least 1 MiB), so the document is refused"
    )]
    EntityBudget { name: String, line: usize },
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
    /// Microsoft's Channel Definition Format, RSS's forerunner.
    Cdf,
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
            FeedFormat::Cdf => "CDF",
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
    /// What was guessed, repaired or left out to read the document.
    pub warnings: Vec<String>,
    /// Its entries, in document order.
    pub articles: Vec<Article>,
    /// The 1-based number of each of `articles` among the document's
    /// entries, as warnings number them: an entry left out keeps its
    /// number, so the articles after it skip one.
    pub entry_numbers: Vec<usize>,
    /// The document broke off where no entry was open (a transfer cut
    /// short, say): its entries up to there were read, but more may have
    /// followed, so its validators are not worth keeping.
    pub truncated: bool,
}

/// Reads a feed document. `charset` is the charset the HTTP `Content-Type`
/// named, if any; `location` is the document's URL or path: it names the
/// document in errors and in each article's origin (with the line the
/// entry starts on), and when it is an `http(s)` URL relative
/// links resolve against it, without its user name, password and query.
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
    let document_base = Url::parse(location)
        .ok()
        .and_then(|url| crate::ingest::sanitize::document_base(&url));
    let decoded = decode::decode(bytes, charset);
    let mut warnings: Vec<String> = decoded.warning.into_iter().collect();
    let text = &decoded.text[..];
    let start = text.trim_start();
    if start.is_empty() {
        return Err(FeedErrorKind::Empty);
    }
    if let Some(offset) = decode::nul_offset(bytes, decoded.encoding) {
        return Err(FeedErrorKind::Binary { offset });
    }
    let (format, mut raw) = if start.starts_with('{') {
        json::read(text)?
    } else if start.starts_with('<') {
        let repaired = xml::escape_stray_ampersands(text);
        if repaired.is_some() {
            warnings.push("ampersands that start no reference (`AT&T`) read as text".to_string());
        }
        reader::read(repaired.as_deref().unwrap_or(text), document_base.as_ref())?
    } else if start.starts_with('[') && serde_json::from_str::<serde::de::IgnoredAny>(start).is_ok()
    {
        // A CMS's REST answer (`/wp-json/wp/v2/posts`) where the feed belongs.
        return Err(FeedErrorKind::NotAFeed {
            found: "a JSON array, not a JSON Feed (an object with a `version`)".to_string(),
        });
    } else {
        // Shown as it is (quotes unescaped), unreadable characters escaped.
        let shown =
            super::shown_text::printable(&start.chars().take(24).collect::<String>()).into_owned();
        return Err(FeedErrorKind::NotAFeed {
            found: format!("text that starts with `{shown}`, neither XML nor JSON"),
        });
    };
    warnings.append(&mut raw.warnings);
    let truncated = raw.truncated;
    let mapped = entry::map(raw, format, document_base.as_ref(), location, &mut warnings);
    Ok(ParsedFeed {
        format,
        title: mapped.title,
        link: mapped.link,
        encoding: decoded.encoding.name(),
        warnings,
        articles: mapped.articles,
        entry_numbers: mapped.entry_numbers,
        truncated,
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use chrono::{DateTime, Utc};

    use super::json::replace_lone_surrogates;
    use super::*;
    use crate::ingest::sanitize::assert_inert;
    use crate::model::{Block, BlockKind, Caption};

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
            alt: None,
            declared: false,
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
        assert_eq!(bridge.origin.line, 9, "the line its <item> starts on");
        assert_eq!(cafe.title, "Café on the green wins a hygiene award");
        assert_eq!(cafe.origin.line, 14);
    }

    #[test]
    fn relative_links_resolve_against_the_feeds_own_pages_before_its_url() {
        let text = r##"<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title><link>https://site.example/news/</link>
<item><title>One</title><link>2026/one.html</link><content:encoded><![CDATA[<a href="#n1">1</a> <img src="img/one.jpg">]]></content:encoded></item>
<item><title>Two</title><guid isPermaLink="false">two</guid><content:encoded><![CDATA[<a href="#n2">2</a>]]></content:encoded></item>
</channel></rss>"##;
        let feed = parse_feed(
            text.as_bytes(),
            None,
            "https://reader:pw@mirror.example/feeds/site.rss?key=k",
        )
        .unwrap();
        let [one, two] = &feed.articles[..] else {
            panic!("{:?}", feed.articles);
        };
        assert_eq!(
            one.link.as_deref(),
            Some("https://site.example/news/2026/one.html")
        );
        let html = one.content_html.as_deref().unwrap();
        assert!(
            html.contains(r#"href="https://site.example/news/2026/one.html#n1""#)
                && html.contains(r#"src="https://site.example/news/2026/img/one.jpg""#),
            "{html}"
        );
        let html = two.content_html.as_deref().unwrap();
        assert!(
            html.contains(r#"href="https://site.example/news/#n2""#),
            "{html}"
        );
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
        // `dc:date` alone: published then, and updated then.
        assert_eq!(market.updated, at("2024-03-14T07:30:00Z"));
        // `rdf:about` is the id.
        assert_eq!(
            market.upstream_id.as_deref(),
            Some("https://eastbank-tribune.example/2024/03/market-hall")
        );
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
                    alt: None,
                    declared: false,
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
        assert_eq!(roof.updated, at("2005-10-28T12:00:00Z"));
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
        assert_eq!(museum.updated, at("2024-05-19T15:00:00Z"));
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
                image: Some("https://estuary-echo.example/img/pups.jpg".into()),
                alt: None,
                declared: false,
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
    fn an_entry_keeps_the_first_hundred_of_its_many_names_and_files() {
        // 200,000 of each: were each checked against the ones before it,
        // reading this entry would take minutes.
        let many = |make: &dyn Fn(usize) -> String| (0..200_000).map(make).collect::<String>();
        let doc = format!(
            concat!(
                "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">",
                "<channel><title>C</title><link>https://c.example/</link><item>",
                "<title>Many things</title><link>https://c.example/a</link>{}{}{}",
                "<description>Ferry services resumed on Monday.</description>",
                "</item></channel></rss>"
            ),
            many(&|i| format!("<category>c{}</category><category>c{i}</category>", i % 7)),
            many(&|i| format!("<dc:creator>Author {i}</dc:creator>")),
            many(&|i| format!(
                "<enclosure url=\"https://c.example/{i}.mp3\" type=\"audio/mpeg\"/>"
            )),
        );
        let feed = parse_feed(doc.as_bytes(), None, "https://c.example/feed").expect("read");
        let entry = &feed.articles[0];
        let categories: Vec<String> = (0..7)
            .map(|i| format!("c{i}"))
            .chain((7..100).map(|i| format!("c{i}")))
            .collect();
        assert_eq!(entry.categories, categories);
        assert_eq!(entry.authors.len(), crate::normalize::MAX_NAMES);
        assert_eq!(entry.authors[99], "Author 99");
        assert_eq!(entry.enclosures.len(), media::MAX_FILES);
        assert_eq!(entry.enclosures[99].url, "https://c.example/99.mp3");
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
    fn entries_sharing_a_link_and_no_id_are_told_apart_by_content() {
        let feed = read("rss-shared-link.xml", "notices.xml");
        let keys: Vec<(&str, Option<&str>)> = feed
            .articles
            .iter()
            .map(|a| (a.title.as_str(), a.upstream_key.as_deref()))
            .collect();
        assert_eq!(
            keys,
            vec![
                ("Hall closed for boiler repairs on Monday", None),
                ("Recycling collection moves to Thursdays", None),
                ("Footpath to Kennington reopens", None),
                (
                    "Quiz night raises £640 for the school roof",
                    Some("https://ashford-notes.example/quiz")
                ),
            ]
        );
        // The link stays the article's link, but nothing is matched on it.
        assert!(
            feed.articles[..3].iter().all(|a| a.shared_link
                && a.link.as_deref() == Some("https://ashford-notes.example/notices"))
        );
        assert!(!feed.articles[3].shared_link);
        assert!(
            feed.warnings.iter().any(|w| w
                == "entries 1, 2 and 3 share the link https://ashford-notes.example/notices \
                    and no id: each is known by its content"),
            "{:?}",
            feed.warnings
        );
    }

    #[test]
    fn many_entries_sharing_a_link_are_counted_past_the_first_ten() {
        let items: String = (1..=25)
            .map(|n| {
                format!(
                    "<item><title>Notice {n}</title><link>https://notes.example/board</link>\
                     <description>Notice number {n} of the parish board.</description></item>"
                )
            })
            .collect();
        let doc =
            format!(r#"<rss version="2.0"><channel><title>Board</title>{items}</channel></rss>"#);
        let feed = parse_feed(doc.as_bytes(), None, "board.xml").expect("read");
        assert_eq!(feed.articles.len(), 25);
        assert!(
            feed.articles
                .iter()
                .all(|a| a.shared_link && a.upstream_key.is_none())
        );
        assert_eq!(
            feed.warnings,
            vec![
                "entries 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 15 more share the link \
                 https://notes.example/board and no id: each is known by its content"
                    .to_string()
            ]
        );
    }

    #[test]
    fn entries_with_their_own_ids_sharing_a_link_keep_their_ids() {
        let doc = r#"<rss version="2.0"><channel><title>Desk</title>
            <item><title>Bridge reopens</title><link>https://desk.example/</link>
            <guid isPermaLink="false">desk-1</guid></item>
            <item><title>Market moves indoors</title><link>https://desk.example/</link>
            <guid isPermaLink="false">desk-2</guid></item>
            </channel></rss>"#;
        let feed = parse_feed(doc.as_bytes(), None, "desk.xml").expect("read");
        let keys: Vec<(Option<&str>, bool)> = feed
            .articles
            .iter()
            .map(|a| (a.upstream_key.as_deref(), a.shared_link))
            .collect();
        assert_eq!(keys, vec![(Some("desk-1"), true), (Some("desk-2"), true)]);
        assert!(feed.warnings.is_empty(), "{:?}", feed.warnings);
    }

    #[test]
    fn entries_linking_to_one_page_by_anchors_or_tracking_share_its_link() {
        let doc = r#"<rss version="2.0"><channel><title>Live</title>
            <item><title>Ferry strike halts crossings</title>
            <link>https://desk.example/live.html#post-1</link><guid>post-1</guid></item>
            <item><title>School reopens after roof collapse</title>
            <link>https://desk.example/live.html#post-2</link><guid>post-2</guid></item>
            <item><title>Bakery wins national award</title>
            <link>https://desk.example/live.html?utm_source=rss</link></item>
            <item><title>Bridge closes for repairs</title>
            <link>https://desk.example/bridge.html#top</link></item>
            </channel></rss>"#;
        let feed = parse_feed(doc.as_bytes(), None, "live.xml").expect("read");
        let keys: Vec<(Option<&str>, bool)> = feed
            .articles
            .iter()
            .map(|a| (a.upstream_key.as_deref(), a.shared_link))
            .collect();
        assert_eq!(
            keys,
            vec![
                (Some("post-1"), true),
                (Some("post-2"), true),
                // Their own links, tracking parameters dropped (some feeds
                // vary them from fetch to fetch), anchors of every page
                // (`#top`) too.
                (Some("https://desk.example/live.html"), true),
                (Some("https://desk.example/bridge.html"), false),
            ]
        );
        assert!(feed.warnings.is_empty(), "{:?}", feed.warnings);
    }

    #[test]
    fn an_entry_without_an_id_sharing_a_link_with_one_that_has_one_is_known_by_content() {
        let doc = r#"<rss version="2.0"><channel><title>Desk</title>
            <item><title>Bridge reopens</title><link>https://desk.example/</link>
            <guid isPermaLink="false">desk-1</guid></item>
            <item><title>Market moves indoors</title><link>https://desk.example/</link></item>
            </channel></rss>"#;
        let feed = parse_feed(doc.as_bytes(), None, "desk.xml").expect("read");
        let keys: Vec<(Option<&str>, bool)> = feed
            .articles
            .iter()
            .map(|a| (a.upstream_key.as_deref(), a.shared_link))
            .collect();
        assert_eq!(keys, vec![(Some("desk-1"), true), (None, true)]);
        assert_eq!(
            feed.warnings,
            [
                "entry 2 shares the link https://desk.example/ and no id with another entry: \
              it is known by its content"
            ]
        );
    }

    #[test]
    fn one_entry_listed_twice_keeps_its_key_and_link() {
        let item = r#"<item><title>Bridge reopens</title><link>https://desk.example/bridge</link>
            <guid isPermaLink="false">desk-1</guid><description>Traffic flows again.</description></item>"#;
        let doc = format!(
            r#"<rss version="2.0"><channel><title>Desk</title>{item}{item}</channel></rss>"#
        );
        let feed = parse_feed(doc.as_bytes(), None, "desk.xml").expect("read");
        assert!(
            feed.articles.iter().all(|a| a.upstream_key.as_deref()
                == Some("desk-1 https://desk.example/bridge")
                && !a.shared_link),
            "{:?}",
            feed.articles
        );
        assert!(feed.warnings.is_empty(), "{:?}", feed.warnings);
    }

    #[test]
    fn entries_sharing_an_id_and_no_link_are_told_apart_by_content() {
        let feed = read("json-shared-id.json", "harbour.json");
        let keys: Vec<Option<&str>> = feed
            .articles
            .iter()
            .map(|a| a.upstream_key.as_deref())
            .collect();
        assert_eq!(keys, vec![None, None, Some("harbour-desk-3")]);
        assert!(
            feed.articles[..2]
                .iter()
                .all(|a| a.upstream_id.as_deref() == Some("harbour-desk"))
        );
        assert!(
            feed.warnings.iter().any(|w| w
                == "entries 1 and 2 share the id harbour-desk and no link: \
                    each is known by its content"),
            "{:?}",
            feed.warnings
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
    fn too_many_namespaces_or_levels_are_located_where_the_limit_is_passed() {
        let head = "<rss version=\"2.0\">\n<channel>\n<item>\n<title>Deep</title>\n";
        let bindings: String = (0..200)
            .map(|i| format!("<a{i}:x xmlns:a{i}=\"urn:{i}\">\n"))
            .collect();
        let nested = "<foo>\n".repeat(70_000);
        for (opened, line, says) in [
            (
                bindings,
                4 + 129,
                "more than 128 namespace bindings in scope at once",
            ),
            (nested, 4 + 65_533, "elements nested more than 65535 deep"),
        ] {
            let doc = format!("{head}{opened}t");
            match fails(doc.as_bytes()) {
                FeedErrorKind::Xml {
                    line: at, message, ..
                } => {
                    assert_eq!(at, line, "{message}");
                    assert!(message.starts_with(says), "{message}");
                }
                other => panic!("{other:?}"),
            }
        }
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
    fn simple_entities_are_expanded_within_a_budget() {
        let doc = "<!DOCTYPE rss [<!ENTITY desk \"Night desk\">]><rss version=\"2.0\"><channel><title>t</title><item><title>From the &desk;</title></item></channel></rss>";
        let feed = parse_feed(doc.as_bytes(), None, "x").expect("read");
        assert_eq!(feed.articles[0].title, "From the Night desk");
        // A signature used in every item expands to more than a small
        // document's own length: the budget's floor covers it.
        let signature = "Distributed under the regional news sharing agreement. ".repeat(10);
        let items: String = (0..6)
            .map(|i| format!("<item><title>Story {i}</title><description>Text {i}. &sig;</description></item>"))
            .collect();
        let doc = format!(
            "<!DOCTYPE rss [<!ENTITY sig \"{signature}\">]><rss version=\"2.0\"><channel><title>t</title>{items}</channel></rss>"
        );
        assert!(6 * signature.len() > doc.len());
        let feed = parse_feed(doc.as_bytes(), None, "x").expect("read");
        assert_eq!(feed.articles.len(), 6);
        for article in &feed.articles {
            let text = article.summary.as_deref().unwrap();
            assert!(text.contains("sharing agreement"), "{text}");
            assert!(!text.contains("&sig;"), "{text}");
        }
    }

    #[test]
    fn entities_expanding_past_the_budget_refuse_the_document() {
        // Quadratic blowup: a 10 KB entity used 1,000 times would expand
        // to 10 MB; the document is refused where the budget runs out,
        // never published with the rest of its references as written.
        let big = "x".repeat(10_000);
        let doc = format!(
            "<!DOCTYPE rss [<!ENTITY big \"{big}\">]>\n<rss version=\"2.0\"><channel><title>t</title>\n<item><title>T</title><description>{}</description></item></channel></rss>",
            "&big;".repeat(1000)
        );
        let error = parse_feed(doc.as_bytes(), None, "bomb.xml").expect_err("refused");
        assert_eq!(
            error.kind,
            FeedErrorKind::EntityBudget {
                name: "big".into(),
                line: 3
            }
        );
        let message = error.to_string();
        assert!(
            message.starts_with("bomb.xml: line 3: the entity `big`"),
            "{message}"
        );
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
        assert_eq!(
            fails(b"Hello, \"this\" is not\ta feed at all"),
            FeedErrorKind::NotAFeed {
                found: "text that starts with `Hello, \"this\" is not\\ta f`, neither XML nor JSON"
                    .into()
            }
        );
        let array = FeedErrorKind::NotAFeed {
            found: "a JSON array, not a JSON Feed (an object with a `version`)".into(),
        };
        assert_eq!(
            fails(b"[{\"id\": 4120, \"date\": \"2026-12-01T09:00:00\", \"title\": {\"rendered\": \"Ferry timetable\"}}]"),
            array
        );
        assert_eq!(fails(b" [ ]\n"), array);
        assert!(matches!(
            fails(b"[error] upstream timed out"),
            FeedErrorKind::NotAFeed { found } if found.contains("neither XML nor JSON")
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
        assert_eq!(
            dates[2],
            (at("2024-07-09T16:42:00Z"), at("2024-07-09T16:42:00Z"))
        );
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
        // Dated by its update date alone: published then, and updated then,
        // so an edit moves its update date.
        assert_eq!(feed.articles[0].published, at("2024-07-09T16:42:00Z"));
        assert_eq!(feed.articles[0].updated, at("2024-07-09T16:42:00Z"));
    }

    #[test]
    fn common_feed_dates_are_read_and_unreadable_ones_named_in_a_warning() {
        let doc = concat!(
            "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" ",
            "xmlns=\"http://purl.org/rss/1.0/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">",
            "<channel rdf:about=\"http://r.example/\"><title>t</title></channel>",
            "<item rdf:about=\"http://r.example/1\"><title>One</title><dc:date>2026-11-20T10:00+09:00</dc:date></item>",
            "<item rdf:about=\"http://r.example/2\"><title>Two</title><dc:date>2026-11-20T10:00:00</dc:date></item>",
            "<item rdf:about=\"http://r.example/3\"><title>Three</title><dc:date>2026-11-20 10:00:00</dc:date></item>",
            "<item rdf:about=\"http://r.example/4\"><title>Four</title><dc:date>Fri, 20 Nov 2026 10:00:00 CET</dc:date></item>",
            "<item rdf:about=\"http://r.example/5\"><title>Five</title><dc:date>last Friday</dc:date></item>",
            "</rdf:RDF>"
        );
        let feed = parse_feed(doc.as_bytes(), None, "x").expect("read");
        let published: Vec<_> = feed.articles.iter().map(|a| a.published).collect();
        assert_eq!(
            published,
            vec![
                at("2026-11-20T01:00:00Z"),
                at("2026-11-20T10:00:00Z"),
                at("2026-11-20T10:00:00Z"),
                at("2026-11-20T09:00:00Z"),
                None,
            ]
        );
        assert_eq!(
            feed.warnings,
            vec!["entry 5: the date \"last Friday\" cannot be read; left out".to_string()]
        );
    }

    #[test]
    fn a_json_feed_date_that_is_no_string_and_an_item_that_is_null_are_named_in_warnings() {
        let doc = r#"{"version":"https://jsonfeed.org/version/1.1","title":"Quay","items":[
            {"id":"c1","title":"Crane contract signed","content_text":"The port signed for two cranes.","date_published":1733047200},
            null,
            {"id":"c3","title":"Dredging starts","content_text":"Dredging began on Monday.","date_published":"2026-11-30T09:00:00Z","date_modified":null}]}"#;
        let feed = parse_feed(doc.as_bytes(), None, "quay.json").expect("read");
        let read: Vec<_> = feed
            .articles
            .iter()
            .map(|a| (a.title.as_str(), a.published))
            .collect();
        assert_eq!(
            read,
            vec![
                ("Crane contract signed", None),
                ("Dredging starts", at("2026-11-30T09:00:00Z")),
            ]
        );
        assert_eq!(
            feed.warnings,
            vec![
                "entry 1: the date \"1733047200\" cannot be read; left out".to_string(),
                "entry 2: no title, text, link, id or media; left out".to_string(),
            ]
        );
    }

    #[test]
    fn an_atom_entry_without_authors_takes_its_sources_before_the_feeds() {
        let doc = concat!(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Maya's planet</title>",
            "<author><name>Maya Lind</name></author>",
            "<entry><id>tag:planet.example,2026:1</id><title>Ferry fares frozen for winter</title>",
            "<source><id>tag:wire.example,2026:feed</id><title>Wire</title>",
            "<author><name>Wire Desk</name></author><contributor><name>Sub Editor</name></contributor></source>",
            "<content>Ferry fares will not rise this winter, the operator said.</content></entry>",
            "<entry><id>tag:planet.example,2026:2</id><title>Notes on the harbour walk</title>",
            "<author><name>Guest Writer</name></author>",
            "<source><id>tag:wire.example,2026:feed</id><author><name>Wire Desk</name></author></source>",
            "<content>A walk along the harbour wall at low tide.</content></entry>",
            "<entry><id>tag:planet.example,2026:3</id><title>Planet news</title>",
            "<source><id>tag:other.example,2026:feed</id><title>No authors here</title></source>",
            "<content>The planet now follows twelve blogs.</content></entry>",
            "</feed>"
        );
        let feed = parse_feed(doc.as_bytes(), None, "planet.xml").expect("read");
        let authors: Vec<_> = feed.articles.iter().map(|a| a.authors.clone()).collect();
        assert_eq!(
            authors,
            vec![
                vec!["Wire Desk".to_string()],
                vec!["Guest Writer".to_string()],
                vec!["Maya Lind".to_string()],
            ]
        );
    }

    #[test]
    fn audio_and_video_played_inline_are_the_entrys_media_files() {
        let doc = concat!(
            "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>Coast Radio</title>",
            "<item><title>Harbour master on the storm damage</title><link>https://coastradio.example/news/storm-damage</link>",
            "<enclosure url=\"https://coastradio.example/uploads/harbour-master.mp3\" type=\"audio/mpeg\" length=\"1200000\"/>",
            "<content:encoded><![CDATA[<p>The harbour master described the damage to the north quay.</p>",
            "<audio controls><source type=\"audio/mpeg\" src=\"/uploads/harbour-master.mp3\"></audio>",
            "<p>Our drone footage shows the extent of the damage.</p>",
            "<video width=\"640\" controls><source type=\"video/mp4\" src=\"/uploads/quay-drone.mp4\">Your browser cannot play this video.</video>]]>",
            "</content:encoded></item></channel></rss>"
        );
        let feed = parse_feed(doc.as_bytes(), None, "coast.xml").expect("read");
        let [article] = &feed.articles[..] else {
            panic!("{:?}", feed.articles);
        };
        let files: Vec<_> = article
            .enclosures
            .iter()
            .map(|e| (e.url.as_str(), e.media_type.as_deref(), e.length))
            .collect();
        assert_eq!(
            files,
            vec![
                (
                    "https://coastradio.example/uploads/harbour-master.mp3",
                    Some("audio/mpeg"),
                    Some(1_200_000)
                ),
                (
                    "https://coastradio.example/uploads/quay-drone.mp4",
                    Some("video/mp4"),
                    None
                ),
            ]
        );
        let html = article.content_html.as_deref().unwrap_or_default();
        assert!(
            !html.contains("<video") && !html.contains("<audio"),
            "{html}"
        );
        assert!(html.contains("drone footage"), "{html}");
    }

    #[test]
    fn rss_without_a_known_version_reads_as_rss_20() {
        let doc = "<rss><channel><title>t</title><item><title>One</title><guid>1</guid></item></channel></rss>";
        let feed = parse_feed(doc.as_bytes(), None, "x").expect("read");
        assert_eq!(feed.format, FeedFormat::Rss20);
        assert_eq!(feed.articles[0].upstream_id.as_deref(), Some("1"));
    }

    #[test]
    fn empty_media_descriptions_are_harmless() {
        let doc = "<rss version=\"2.0\" xmlns:media=\"http://search.yahoo.com/mrss/\"><channel><title>t</title><item><title>Pictured</title><media:content url=\"https://i.example/a.jpg\" medium=\"image\"><media:description/><media:credit>AP</media:credit></media:content></item></channel></rss>";
        let feed = parse_feed(doc.as_bytes(), None, "x").expect("read");

        assert_eq!(
            feed.articles[0].captions,
            vec![Caption {
                text: String::new(),
                credit: Some("AP".into()),
                image: Some("https://i.example/a.jpg".into()),
                alt: None,
                declared: false,
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

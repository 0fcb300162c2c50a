//! HTML article pages -> articles. [`extract`] decodes a page (byte-order
//! mark, HTTP charset, `<meta>` charset, Latin-1 read as Windows-1252),
//! parses it into a bounded tree ([`dom`]), reads what the page says of its
//! article ([`metadata`]: headline, dates, canonical link, byline), finds
//! the elements that hold the article ([`content`]) and turns them into
//! text blocks ([`blocks`]): paragraphs, crossheads as subheads, figures as
//! captions with their credit; when no picture is found there, the lead
//! image the page declares ([`lead_image`]) is its picture. The headline and every caption and block are
//! then folded exactly as in dumps (`ingest::dump::ArticleFolder`): a page
//! that shows its headline or photo twice yields each once.
//!
//! Pure: bytes in, an [`Article`] out; no I/O. [`boilerplate`] drops the
//! paragraphs a site repeats on many of its pages, given counts kept
//! elsewhere.

pub mod blocks;
pub mod boilerplate;
pub mod content;
pub mod dom;
pub mod header_zone;
pub mod lead_image;
pub mod metadata;
pub mod picture_box;
pub mod signals;

use html5ever::local_name;
use thiserror::Error;
use url::Url;

use crate::ingest::dump::ArticleFolder;
use crate::ingest::feed::decode::{decode_declared, encoding_for_label, is_utf16};
use crate::ingest::sanitize::link_base;
use crate::model::Article;
use crate::normalize::{fold, truncate_words, uri_string};
use blocks::Piece;
use content::{Flags, Selection};
use dom::Dom;
use metadata::Metadata;

/// Largest page read; a larger one is refused.
pub const MAX_PAGE_BYTES: usize = 32 << 20;

/// Text length under which the search for the article is run again with
/// less left out.
const ENOUGH_TEXT: usize = 500;

/// Where a page came from, for errors, links and decoding.
#[derive(Debug, Clone, Copy, Default)]
pub struct PageSource<'a> {
    /// The file or URL, named in errors and in the article's origin.
    pub location: &'a str,
    /// The charset the HTTP `Content-Type` named, if any.
    pub charset: Option<&'a str>,
    /// The page's URL: relative links resolve against it (a `<base href>`
    /// in the page overrides it).
    pub url: Option<&'a Url>,
    /// The headline the document that lists the page gives it (a news
    /// sitemap's `news:title`): the article's when the page has none of its
    /// own.
    pub headline: Option<&'a str>,
    /// The name of the site as that document gives it (a news sitemap's
    /// `news:name`): a page whose only title is this name has no headline
    /// of its own, when the page does not name its site itself.
    pub site_name: Option<&'a str>,
}

/// What lies above a page: its site's home page, or a section of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Above {
    Home,
    Section,
}

impl std::fmt::Display for Above {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Above::Home => "the site's home page",
            Above::Section => "a section page above it",
        })
    }
}

/// What `other` is when it lies above the page at `page` (where a redirect
/// took the page, or its canonical link): the root of a site (a path of no
/// segment, any query aside), or on its own site (`www.` aside) a section,
/// a path whose segments begin the page's and are fewer (`/news/` for
/// `/news/story`, and for `/news/story/amp`), unless it is the page
/// without its last segment and that segment names a form of the page
/// (`page_form`: `/news/story/amp` to `/news/story`), or the path ends in
/// a story's number (`/news/1234` for `/news/1234/slug`). The same path
/// (`http` to `https`, a trailing slash) or one elsewhere is none.
pub fn above_page(page: &Url, other: &Url) -> Option<Above> {
    let segments = |url: &Url| -> Vec<String> {
        url.path()
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    let (from, to) = (segments(page), segments(other));
    let site = |url: &Url| {
        url.host_str()
            .map(|h| h.trim_start_matches("www.").to_ascii_lowercase())
    };
    if to.is_empty() {
        let moved = !from.is_empty() || (page.query().is_some() && other.query().is_none());
        return moved.then_some(Above::Home);
    }
    let its_form = to.len() + 1 == from.len() && page_form(&from[from.len() - 1]);
    (site(page) == site(other)
        && to.len() < from.len()
        && from.starts_with(&to)
        && !its_form
        && !is_number(&to[to.len() - 1]))
    .then_some(Above::Section)
}

/// Whether the last segment of a path names a form of the page above it
/// rather than a page of its own: `amp`, an `index.*` or `default.*`
/// file, or a number (the page of a story told over several, or a story's
/// id, which is no section's to take).
fn page_form(segment: &str) -> bool {
    let segment = segment.to_ascii_lowercase();
    segment == "amp"
        || segment.starts_with("index.")
        || segment.starts_with("default.")
        || is_number(&segment)
}

/// Whether a path segment is a number.
fn is_number(segment: &str) -> bool {
    !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit())
}

/// A page that yields no article.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum PageError {
    #[error("{location}: the page is larger than {MAX_PAGE_BYTES} bytes")]
    TooLarge { location: String },
    #[error("{location}: binary data, not an HTML page (a NUL byte at {offset})")]
    Binary { location: String, offset: usize },
    #[error("{location}: no article text found in the page")]
    NoArticle { location: String },
    /// A listing page (a category, tag, author or search archive): teasers
    /// of articles, none of them read from it.
    #[error(
        "{location}: a listing page (a category, tag, author or search archive), not an article: not published"
    )]
    Listing { location: String },
    #[error("{location}: a \"page not found\" page, answered as if found: no article")]
    NotFound { location: String },
    /// A redirect stub: a short page whose `<meta http-equiv="refresh">`
    /// sends the reader on to `to`, where the article is.
    #[error("{location}: a page that refreshes to {to}: no article")]
    Refreshes { location: String, to: String },
}

/// An article read from a page, and what had to be guessed on the way.
#[derive(Debug, Clone)]
pub struct Page {
    pub article: Article,
    pub warnings: Vec<String>,
}

/// Reads the article in an HTML page.
pub fn extract(bytes: &[u8], source: &PageSource) -> Result<Page, PageError> {
    let location = source.location.to_string();
    if bytes.len() > MAX_PAGE_BYTES {
        return Err(PageError::TooLarge { location });
    }
    let decoded = decode_declared(bytes, source.charset, meta_charset);
    let head = &bytes[..bytes.len().min(4096)];
    if !is_utf16(decoded.encoding)
        && let Some(offset) = memchr::memchr(0, head)
    {
        return Err(PageError::Binary { location, offset });
    }
    let (metadata, pieces) = read(&decoded.text, source.url);
    let article = assemble(&metadata, pieces, source);
    if let Some(to) = refreshes_on(&metadata, article.as_ref(), source) {
        return Err(PageError::Refreshes { location, to });
    }
    if metadata.listing {
        return Err(PageError::Listing { location });
    }
    let article = article.ok_or(PageError::NoArticle {
        location: location.clone(),
    })?;
    if not_found_page(&article, &metadata) {
        return Err(PageError::NotFound { location });
    }
    Ok(Page {
        article,
        warnings: decoded.warning.into_iter().collect(),
    })
}

/// Where a redirect stub sends the reader on to: a page whose `<meta
/// http-equiv="refresh">` names another page, with no article or a short
/// one (at most [`NOT_FOUND_WORDS`] words: `If you are not redirected
/// automatically, follow this link`).
fn refreshes_on(
    metadata: &Metadata,
    article: Option<&Article>,
    source: &PageSource,
) -> Option<String> {
    let to = metadata.refresh.as_ref()?;
    let elsewhere = source.url.is_none_or(|url| url.as_str() != to);
    let short = article.is_none_or(|article| {
        let words: usize = article
            .body
            .iter()
            .map(|block| block.text.split_whitespace().count())
            .sum();
        words <= NOT_FOUND_WORDS
    });
    (elsewhere && short).then(|| to.clone())
}

/// The most words of a site's "page not found" page.
const NOT_FOUND_WORDS: usize = 120;

/// Whether `article` is a site's "page not found" page answered with 200
/// (a story pulled, or not yet out): one whose `<body>` carries
/// WordPress's `error404` class, or a short text under a headline or
/// `<title>` that says so (`Page not found`, `Error 404`, `Sorry, we
/// couldn't find that page`), or that tells the reader the page, article
/// or story they were looking for is not there
/// ([`signals::says_not_found`]).
fn not_found_page(article: &Article, metadata: &Metadata) -> bool {
    if metadata.error404 {
        return true;
    }
    let words: usize = article
        .body
        .iter()
        .map(|block| block.text.split_whitespace().count())
        .sum();
    if words > NOT_FOUND_WORDS {
        return false;
    }
    let text = article
        .body
        .iter()
        .map(|block| block.text.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
    headline_says_not_found(&article.title)
        || metadata
            .page_title
            .as_deref()
            .is_some_and(headline_says_not_found)
        || signals::says_not_found(&text)
}

/// Whether a headline or a `<title>` says the page is not found.
fn headline_says_not_found(headline: &str) -> bool {
    // Headlines that say so anywhere in them, and those that say so only
    // as their opening (`Not found`, `404 Not Found`: "Missing hiker not
    // found" is a story).
    const ANYWHERE: [&str; 11] = [
        "page not found",
        "couldn't find that page",
        "could not find that page",
        "can't find that page",
        "cannot find that page",
        "page doesn't exist",
        "page does not exist",
        "page cannot be found",
        "page can't be found",
        "error 404",
        "404 error",
    ];
    const OPENING: [&str; 2] = ["404", "not found"];
    let headline = headline.to_lowercase().replace('\u{2019}', "'");
    ANYWHERE.iter().any(|h| headline.contains(h))
        || OPENING.iter().any(|h| {
            headline
                .strip_prefix(h)
                .is_some_and(|rest| rest.is_empty() || !rest.starts_with(char::is_alphanumeric))
        })
}

/// The pieces of the article in a page (already decoded) in page order,
/// before folding: what [`extract`] folds into an article. For inspecting
/// and scoring the extraction on its own.
pub fn pieces(html: &str, url: Option<&Url>) -> Vec<Piece> {
    read(html, url).1
}

fn read(html: &str, url: Option<&Url>) -> (Metadata, Vec<Piece>) {
    let dom = Dom::parse(html);
    let base = base_url(&dom, url);
    let metadata = metadata::read(&dom, base.as_ref());
    // A saved page names its address in its canonical link or `og:url`.
    let base = base.or_else(|| Url::parse(metadata.canonical.as_deref()?).ok());
    let mut pieces = article_pieces(&dom, &metadata, base.as_ref());
    if consent_wall(&dom, &pieces) || paywall(&dom, &pieces) {
        pieces.clear();
    }
    (metadata, pieces)
}

/// Whether the page is a cookie-consent wall shown instead of the article:
/// every paragraph found speaks of cookies, and a button or link asks to
/// accept or reject them.
fn consent_wall(dom: &Dom, pieces: &[Piece]) -> bool {
    let about_cookies = |t: &str| t.contains("cookie");
    every_paragraph(pieces, about_cookies) && asks_with(dom, &CONSENT_WORDS)
}

/// Whether the page is a paywall or sign-in wall shown instead of the
/// article: a short text (at most [`NOT_FOUND_WORDS`] words) whose every
/// paragraph asks the reader to subscribe or sign in, beside a button or link
/// that asks to (`Subscribe now`, `Sign in`, `Jetzt abonnieren`). A
/// paywall that shows the story's first paragraph is no wall.
fn paywall(dom: &Dom, pieces: &[Piece]) -> bool {
    let words: usize = pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Paragraph(t) => Some(t.split_whitespace().count()),
            _ => None,
        })
        .sum();
    let about_subscribing = |t: &str| PAYWALL_TEXT.iter().any(|w| t.contains(w));
    words <= NOT_FOUND_WORDS
        && every_paragraph(pieces, about_subscribing)
        && asks_with(dom, &PAYWALL_BUTTONS)
}

/// Whether `pieces` hold a paragraph and every one, folded, is `about` it.
fn every_paragraph(pieces: &[Piece], about: impl Fn(&str) -> bool) -> bool {
    let mut paragraphs = pieces.iter().filter_map(|p| match p {
        Piece::Paragraph(t) => Some(crate::normalize::fold(t)),
        _ => None,
    });
    paragraphs.next().is_some_and(|t| about(&t)) && paragraphs.all(|t| about(&t))
}

/// Whether a button or link of at most four words asks with a word that
/// starts as one of `starts` (folded).
fn asks_with(dom: &Dom, starts: &[&str]) -> bool {
    [
        local_name!("button"),
        local_name!("a"),
        local_name!("input"),
    ]
    .iter()
    .flat_map(|name| dom.elements_named(name))
    .any(|(id, e)| {
        let label = e
            .attr("value")
            .map_or_else(|| dom.text_of(id), str::to_string);
        let label = crate::normalize::fold(&label);
        let words = || label.split_whitespace();
        words().any(|word| starts.iter().any(|w| word.starts_with(w))) && words().count() <= 4
    })
}

/// What a paywall's or sign-in wall's paragraphs ask the reader, folded:
/// to subscribe, sign in or keep reading, in English, German, French,
/// Spanish and Italian (a story about subscribers says none of it).
const PAYWALL_TEXT: [&str; 21] = [
    "subscribe to",
    "subscribe now",
    "subscribe for",
    "keep reading",
    "continue reading",
    "already a subscriber",
    "sign in",
    "log in",
    "create an account",
    "create a free account",
    "jetzt abonnieren",
    "abonnieren sie",
    "weiterlesen",
    "abonnez-vous",
    "continuer la lecture",
    "déjà abonné",
    "suscríbete",
    "seguir leyendo",
    "abbonati",
    "continua a leggere",
    "accedi",
];

/// The starts of words a paywall's or sign-in wall's buttons ask with,
/// folded: to subscribe or sign in.
const PAYWALL_BUTTONS: [&str; 9] = [
    "subscri", "sign", "login", "abonn", "anmeld", "suscri", "abbona", "connex", "connect",
];

/// The starts of words a consent wall's buttons ask with, folded: to
/// accept, agree, allow, consent or reject, in English, German, French,
/// Spanish and Italian (`Accept all`, `Alle akzeptieren`, `Tout refuser`).
const CONSENT_WORDS: [&str; 16] = [
    "accept",
    "agree",
    "reject",
    "consent",
    "allow",
    "akzeptier",
    "zustimm",
    "ablehn",
    "einverstanden",
    "accepter",
    "refuser",
    "acepta",
    "rechaza",
    "accett",
    "rifiut",
    "consenti",
];

/// The page's `<base href>`, resolved against its URL, else its URL, as a
/// [`link_base`] (a base that is not http(s) is ignored).
fn base_url(dom: &Dom, url: Option<&Url>) -> Option<Url> {
    let href = dom
        .elements_named(&html5ever::local_name!("base"))
        .find_map(|(_, e)| e.attr("href").map(str::to_string));
    let page = url.and_then(link_base);
    let declared = match (href, url) {
        (Some(href), Some(url)) => url.join(&href).ok(),
        (Some(href), None) => Url::parse(&href).ok(),
        (None, _) => None,
    };
    declared.as_ref().and_then(link_base).or(page)
}

/// The article's pieces: the first search that finds enough text, else the
/// one that found most; JSON-LD `articleBody` when the page's markup gives
/// much less than it.
fn article_pieces(dom: &Dom, metadata: &Metadata, base: Option<&Url>) -> Vec<Piece> {
    let mut best: Option<(usize, Vec<Piece>)> = None;
    let article_parts = metadata::selected(dom, &metadata.subscriber_parts);
    let other_stories = content::other_stories(dom, metadata.title.as_deref());
    let marked = content::Marked {
        article_parts: &article_parts,
        other_stories: &other_stories,
        headline: header_zone::headline(dom, metadata.title.as_deref()),
        description: metadata.description.as_deref(),
    };
    let pictures = blocks::picture_boxes(dom);
    for flags in Flags::ALL {
        let selection: Selection = content::select(dom, flags, marked);
        let pieces = blocks::emit(dom, &selection, &pictures, base);
        let pieces = blocks::add_nearby_captions(dom, &selection, &pictures, base, pieces);
        let length = text_length(&pieces);
        if length >= ENOUGH_TEXT {
            best = Some((length, pieces));
            break;
        }
        if best.as_ref().is_none_or(|(l, _)| length > *l) {
            best = Some((length, pieces));
        }
    }
    let (length, pieces) = best.unwrap_or_default();
    if let Some(body) = &metadata.article_body {
        let paragraphs: Vec<String> = crate::ingest::lines::text_lines(body)
            .map(crate::normalize::clean_text)
            .filter(|l| !l.is_empty())
            .collect();
        let ld_length: usize = paragraphs.iter().map(|p| p.chars().count()).sum();
        let story = ld_length >= ENOUGH_TEXT || more_than_description(&paragraphs, metadata);
        if story && length * 2 < ld_length {
            let captions = pieces
                .into_iter()
                .filter(|p| matches!(p, Piece::Caption(_) | Piece::Dateline(_)));
            return captions
                .chain(paragraphs.into_iter().map(Piece::Paragraph))
                .collect();
        }
    }
    pieces
}

/// Whether a JSON-LD `articleBody` shorter than [`ENOUGH_TEXT`] is a
/// story of its own (a brief of a few paragraphs) rather than a
/// description of one, which some sites give there: two paragraphs or
/// more, and not the page's description.
fn more_than_description(paragraphs: &[String], metadata: &Metadata) -> bool {
    let description = metadata.description.as_deref().map(fold);
    paragraphs.len() >= 2 && description.is_none_or(|d| d != fold(&paragraphs.join(" ")))
}

fn text_length(pieces: &[Piece]) -> usize {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Paragraph(t) | Piece::Subhead(t) => t.chars().count(),
            Piece::Caption(_) | Piece::Dateline(_) => 0,
        })
        .sum()
}

/// Whether `canonical` is a section above the page at `url` ([`above_page`]).
fn names_a_section_above(canonical: &str, url: Option<&Url>) -> bool {
    let (Some(url), Ok(canonical)) = (url, Url::parse(canonical)) else {
        return false;
    };
    above_page(url, &canonical).is_some()
}

/// The page's own headline: none when it is only the site's name (what a
/// page rendered by script shows before its story) and the document that
/// lists the page gives one.
fn own_headline<'a>(metadata: &'a Metadata, source: &PageSource) -> Option<&'a str> {
    let host = source.url.and_then(Url::host_str);
    let site_name = metadata.site_name.as_deref().or(source.site_name);
    metadata.title.as_deref().filter(|title| {
        source.headline.is_none() || !metadata::only_site_name(title, site_name, host)
    })
}

/// Folds the pieces into one article under the page's headline. A
/// dateline dates the article and names its authors as a dump's header
/// does, when the page's metadata does not.
fn assemble(metadata: &Metadata, pieces: Vec<Piece>, source: &PageSource) -> Option<Article> {
    if !pieces
        .iter()
        .any(|p| matches!(p, Piece::Paragraph(_) | Piece::Subhead(_)))
    {
        return None;
    }
    let mut folder = match own_headline(metadata, source).or(source.headline) {
        Some(title) => ArticleFolder::new(title.to_string()),
        None => {
            let first = pieces.iter().find_map(|p| match p {
                Piece::Paragraph(t) | Piece::Subhead(t) => Some(truncate_words(t, 120)),
                Piece::Caption(_) | Piece::Dateline(_) => None,
            })?;
            ArticleFolder::made_up_title(first)
        }
    };
    folder.set_published(metadata.published);
    // The lead image the page declares is its picture when none can be
    // read from its text (a photo loaded late, or drawn by a script).
    let lead_picture = metadata.lead_picture.clone().filter(|_| {
        !pieces
            .iter()
            .any(|p| matches!(p, Piece::Caption(caption) if caption.image.is_some()))
    });
    // A heading after the story's last paragraph heads no text of it: what
    // it headed (a sign-up form, a list of links) was left out.
    let last_paragraph = pieces
        .iter()
        .rposition(|p| matches!(p, Piece::Paragraph(_)));
    let mut byline = None;
    for (at, piece) in pieces.into_iter().enumerate() {
        match piece {
            Piece::Subhead(_) if last_paragraph.is_some_and(|last| at > last) => {}
            Piece::Paragraph(text) => {
                folder.paragraph(text);
            }
            Piece::Subhead(text) => {
                folder.subhead(text);
            }
            Piece::Caption(caption) => {
                folder.caption(caption);
            }
            Piece::Dateline(line) => {
                for date in line.dates() {
                    folder.date_line(date);
                }
                byline = byline.or(line.byline);
            }
        }
    }
    let mut article = folder.into_article(source.location);
    if article.body.is_empty() {
        return None;
    }
    article.captions.splice(0..0, lead_picture);
    article.updated = metadata.updated.or(article.updated);
    // A canonical link to a section above the page names no article. The
    // page's own URL lends no user name or password to its link.
    article.link = metadata
        .canonical
        .clone()
        .filter(|canonical| !names_a_section_above(canonical, source.url))
        .or_else(|| source.url.and_then(link_base).map(|url| uri_string(&url)));
    article.authors = if metadata.authors.is_empty() {
        byline
            .as_deref()
            .map(metadata::byline_authors)
            .filter(|authors| !authors.is_empty())
            .unwrap_or_else(|| metadata.site_as_author.clone())
    } else {
        metadata.authors.clone()
    };
    article.summary = metadata.description.clone();
    article.categories = metadata.section.iter().cloned().collect();
    Some(article)
}

/// The encoding a page's `<meta charset>` or `<meta http-equiv=
/// "Content-Type" content="…; charset=…">` names, looked for in its first
/// 4 KiB as a browser's prescan does, unless its bytes are UTF-8. A page
/// cannot truthfully declare UTF-16 in ASCII, so that reads as UTF-8.
fn meta_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    // Pages are often saved or served as UTF-8 under the `<meta>` of the
    // encoding they were written in; text in another encoding that is also
    // valid UTF-8 is vanishingly rare, so bytes that are UTF-8 read as such.
    if !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok() {
        return Some(encoding_rs::UTF_8);
    }
    let head = &bytes[..bytes.len().min(4096)];
    let mut at = 0;
    while let Some(found) = memchr::memmem::find(&head[at..], b"<meta") {
        let start = at + found + 5;
        let end = memchr::memchr(b'>', &head[start..]).map_or(head.len(), |e| start + e);
        let tag = head[start..end].to_ascii_lowercase();
        if let Some(pos) = memchr::memmem::find(&tag, b"charset") {
            let rest = tag[pos + 7..].trim_ascii_start();
            if let Some(rest) = rest.strip_prefix(b"=") {
                let value: Vec<u8> = rest
                    .trim_ascii_start()
                    .iter()
                    .copied()
                    .skip_while(|b| *b == b'"' || *b == b'\'')
                    .take_while(|b| !matches!(b, b'"' | b'\'' | b';' | b' ' | b'/' | b'>'))
                    .collect();
                if let Some(encoding) = std::str::from_utf8(&value)
                    .ok()
                    .and_then(encoding_for_label)
                {
                    return Some(if is_utf16(encoding) {
                        encoding_rs::UTF_8
                    } else {
                        encoding
                    });
                }
            }
        }
        at = end.min(head.len());
        if at >= head.len() {
            break;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BlockKind, Caption};
    use chrono::{DateTime, Utc};

    const BODY: &str = "<p>The council voted on Tuesday to reopen the old harbour railway line for passenger trains next spring, after a decade of campaigning by residents.</p>\
        <p>Work on the track, the stations and the signals will start in January and is expected to cost about twelve million euros, the council said.</p>";

    /// The crossheads of `article`'s body, in order.
    fn subheads(article: &Article) -> Vec<&str> {
        article
            .body
            .iter()
            .filter(|b| b.kind == BlockKind::Subhead)
            .map(|b| b.text.as_str())
            .collect()
    }

    fn page(html: &[u8], charset: Option<&str>) -> Article {
        let source = PageSource {
            location: "page.html",
            charset,
            url: None,
            headline: None,
            site_name: None,
        };
        extract(html, &source).expect("an article").article
    }

    #[test]
    fn a_heading_after_the_last_paragraph_heads_nothing_of_the_story() {
        let html = format!(
            "<html><body><article><h1>Harbour line to reopen</h1>{BODY}\
             <h2>Trains every hour</h2><p>Trains will run every hour from the harbour to the city centre, and every half hour at peak times.</p>\
             <div class=\"signup\"><h3>Never miss a story</h3><form><input type=\"email\"><button>Subscribe</button></form></div>\
             </article></body></html>"
        );
        let article = page(html.as_bytes(), None);
        assert_eq!(subheads(&article), ["Trains every hour"]);
        assert_eq!(
            article.body.last().map(|b| (b.kind, b.text.as_str())),
            Some((
                BlockKind::Paragraph,
                "Trains will run every hour from the harbour to the city centre, and every half hour at peak times."
            ))
        );
    }

    #[test]
    fn a_json_ld_body_splits_on_every_line_ending() {
        let paragraphs = [
            "The council voted on Tuesday to reopen the old harbour railway line for passenger trains next spring.",
            "Work on the track, the stations and the signals will start in January, the council said on Tuesday.",
            "Residents who campaigned for a decade said they would be on the first train when it leaves the harbour.",
            "The line closed in 1994 when the last freight traffic to the harbour's grain silos ended for good.",
            "Trains will run every half hour on weekdays and every hour at weekends, calling at four stations.",
            "Tickets will cost the same as on the town's buses, and bus passes will be valid on the trains too.",
        ];
        let body = paragraphs.join("\r");
        let html = format!(
            "<html><head><title>Harbour Line Reopens</title><script type=\"application/ld+json\">\
             {{\"@type\":\"NewsArticle\",\"headline\":\"Harbour Line Reopens\",\"articleBody\":\"{}\"}}</script>\
             </head><body><article><p>Harbour line to reopen.</p></article></body></html>",
            body.replace('\r', "\\r")
        );
        let article = page(html.as_bytes(), None);
        let texts: Vec<&str> = article.body.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, paragraphs);
    }

    #[test]
    fn a_brief_only_in_json_ld_is_read_whole_and_a_description_there_is_no_story() {
        let paragraphs = [
            "The council voted on Tuesday to reopen the old harbour railway line next spring.",
            "Work on the track and the stations will start in January, the council said.",
            "Residents who campaigned for a decade said they would be on the first train.",
        ];
        let read = |description: &str, ld_body: &str, markup: &str| {
            let html = format!(
                "<html><head><title>Harbour Line Reopens</title><meta name=\"description\" content=\"{description}\">\
                 <script type=\"application/ld+json\">\
                 {{\"@type\":\"NewsArticle\",\"headline\":\"Harbour Line Reopens\",\"articleBody\":\"{ld_body}\"}}</script>\
                 </head><body>{markup}</body></html>"
            );
            let source = PageSource {
                location: "brief.html",
                ..PageSource::default()
            };
            extract(html.as_bytes(), &source).map(|p| {
                p.article
                    .body
                    .iter()
                    .map(|b| b.text.clone())
                    .collect::<Vec<_>>()
            })
        };
        let brief = paragraphs.join("\\n\\n");
        // An app shell drawn by script, and a teaser over a subscription box.
        let teaser = format!(
            "<article><h1>Harbour Line Reopens</h1><p>{}</p><div class=\"paywall\"><p>Subscribe to keep reading.</p><a href=\"/subscribe\">Subscribe now</a></div></article>",
            paragraphs[0]
        );
        for markup in ["<div id=\"root\"></div>", teaser.as_str()] {
            assert_eq!(
                read(paragraphs[0], &brief, markup).unwrap(),
                paragraphs,
                "{markup}"
            );
        }
        // A description given as the body is no story: the page's markup
        // stands, and a page with none has no article.
        let description = "The harbour railway line will reopen next spring after a council vote.";
        assert_eq!(
            read(description, description, &teaser).unwrap(),
            [paragraphs[0]]
        );
        assert_eq!(
            read(description, description, "<div id=\"root\"></div>").unwrap_err(),
            PageError::NoArticle {
                location: "brief.html".into()
            }
        );
        assert!(read("", description, "<div id=\"root\"></div>").is_err());
        // So is the description parted into paragraphs.
        let parted = format!("{}\\n\\n{}", paragraphs[0], paragraphs[1]);
        let description = format!("{} {}", paragraphs[0], paragraphs[1]);
        assert!(read(&description, &parted, "<div id=\"root\"></div>").is_err());
        assert!(read("", &parted, "<div id=\"root\"></div>").is_ok());
    }

    #[test]
    fn latin1_declared_pages_read_as_windows_1252() {
        let mut html = b"<html><head><meta charset=\"iso-8859-1\"><title>Caf\xe9 Reopens</title></head><body><article>".to_vec();
        html.extend_from_slice(b"<p>\x93We are back,\x94 the owner said \x96 and the caf\xe9 was full again by noon on Saturday.</p>");
        html.extend_from_slice(BODY.as_bytes());
        html.extend_from_slice(b"</article></body></html>");
        let article = page(&html, None);
        assert_eq!(article.title, "Café Reopens");
        assert_eq!(
            article.body[0].text,
            "\u{201c}We are back,\u{201d} the owner said \u{2013} and the café was full again by noon on Saturday."
        );
    }

    #[test]
    fn windows_1252_pages_said_to_be_utf8_holding_a_utf8_pair_by_chance_read_as_windows_1252() {
        // `ß“` (DF 93) is a UTF-8 character; the other letters are not UTF-8.
        let mut html = b"<html><head><meta charset=\"utf-8\"><title>Gro\xdfer Spa\xdf in K\xf6ln</title></head><body><article>".to_vec();
        html.extend_from_slice(b"<p>Die Besucher hatten \x84viel Spa\xdf\x93 beim Fest, sagte der B\xfcrgermeister am Sonntag in K\xf6ln.</p>");
        html.extend_from_slice(BODY.as_bytes());
        html.extend_from_slice(b"</article></body></html>");
        for charset in [None, Some("utf-8")] {
            let source = PageSource {
                location: "de.html",
                charset,
                ..PageSource::default()
            };
            let read = extract(&html, &source).expect("an article");
            assert_eq!(read.article.title, "Großer Spaß in Köln");
            assert_eq!(
                read.article.body[0].text,
                "Die Besucher hatten „viel Spaß“ beim Fest, sagte der Bürgermeister am Sonntag in Köln."
            );
            assert!(
                read.warnings
                    .iter()
                    .any(|w| w.contains("read as windows-1252")),
                "{:?}",
                read.warnings
            );
        }
    }

    #[test]
    fn utf8_bytes_and_byte_order_marks_win_over_a_wrong_meta() {
        let html = format!(
            "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"><title>Café Reopens</title></head><body><article>{BODY}</article></body></html>"
        );
        assert_eq!(page(html.as_bytes(), None).title, "Café Reopens");
        let mut with_bom = b"\xEF\xBB\xBF".to_vec();
        with_bom.extend_from_slice(html.as_bytes());
        assert_eq!(page(&with_bom, None).title, "Café Reopens");
    }

    #[test]
    fn iso_2022_jp_pages_are_decoded_by_their_meta_or_the_http_charset() {
        let headline = "港湾計画を市議会が承認";
        let paragraph = "横浜市議会は３日、港湾の拡張計画を賛成多数で承認した。市は二〇三〇年までに新しい岸壁を整備する。";
        let html = |meta: &str| {
            let text = format!(
                "<!DOCTYPE html><html lang=\"ja\"><head>{meta}<title>{headline}</title></head><body><article><h1>{headline}</h1><p>{paragraph}</p><p>{paragraph}{paragraph}</p></article></body></html>"
            );
            encoding_rs::ISO_2022_JP.encode(&text).0.into_owned()
        };
        for (bytes, charset) in [
            (html("<meta charset=\"iso-2022-jp\">"), None),
            (
                html(
                    "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-2022-JP\">",
                ),
                None,
            ),
            (html(""), Some("iso-2022-jp")),
        ] {
            let article = page(&bytes, charset);
            assert_eq!(article.title, headline, "{charset:?}");
            assert_eq!(article.body[0].text, paragraph, "{charset:?}");
        }
        // A `<meta>` naming UTF-16 over ASCII markup still reads as UTF-8.
        let html = format!(
            "<html><head><meta charset=\"utf-16\"><title>Cafe Reopens</title></head><body><article>{BODY}</article></body></html>"
        );
        assert_eq!(page(html.as_bytes(), None).title, "Cafe Reopens");
    }

    #[test]
    fn the_http_charset_wins_over_the_pages_meta() {
        let html = |meta: &str| {
            let text = format!(
                "<html><head><meta charset=\"{meta}\"><title>Café Reopens</title></head><body><article>{BODY}</article></body></html>"
            );
            encoding_rs::WINDOWS_1252.encode(&text).0.into_owned()
        };
        // Windows-1252 bytes under a wrong `<meta>`: the HTTP charset says.
        assert_eq!(
            page(&html("shift_jis"), Some("windows-1252")).title,
            "Café Reopens"
        );
        // The HTTP charset says UTF-8, the bytes are not and the `<meta>`
        // names their encoding: read in it, with a warning.
        let source = PageSource {
            location: "page.html",
            charset: Some("utf-8"),
            ..PageSource::default()
        };
        let read = extract(&html("windows-1252"), &source).unwrap();
        assert_eq!(read.article.title, "Café Reopens");
        assert!(
            read.warnings[0].contains("not UTF-8 as the HTTP charset said"),
            "{:?}",
            read.warnings
        );
    }

    #[test]
    fn captions_keep_their_credit_and_crossheads_are_subheads() {
        let html = format!(
            "<!DOCTYPE html><html><head><title>Rail Line Returns | Harbour Post</title></head><body><article><h1>Rail Line Returns</h1>\
             <figure><img src=\"/a.jpg\"><figcaption>The old station in 1962. Photo: Reuters</figcaption></figure>{BODY}\
             <h2>What happens next</h2>{}</article></body></html>",
            BODY.replace("council", "mayor")
        );
        let url = Url::parse("https://post.example/news/rail").unwrap();
        let source = PageSource {
            location: "page.html",
            charset: None,
            url: Some(&url),
            headline: None,
            site_name: None,
        };
        let article = extract(html.as_bytes(), &source).unwrap().article;
        assert_eq!(article.title, "Rail Line Returns");
        assert_eq!(
            article.captions,
            [Caption {
                text: "The old station in 1962.".into(),
                credit: Some("Reuters".into()),
                image: Some("https://post.example/a.jpg".into()),
                alt: None,
                declared: false,
            }]
        );
        let kinds: Vec<BlockKind> = article.body.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds.iter().filter(|k| **k == BlockKind::Subhead).count(),
            1
        );
        assert_eq!(article.body[2].text, "What happens next");
        assert_eq!(article.body.len(), 5);
    }

    #[test]
    fn photos_outside_the_body_box_keep_their_place_in_the_page() {
        let figure = |name: &str| {
            format!(
                "<figure><img src=\"https://post.example/{name}.jpg\" width=\"900\" height=\"600\">\
                 <figcaption>The {name} photo of the story.</figcaption></figure>"
            )
        };
        let standfirst = "Councillors voted seven to two on Thursday night to back a plan that had split the town for years.";
        let body = format!(
            "<div class=\"article-body\">{}{}<p>\"Nobody got everything they wanted,\" the council leader told reporters after the vote.</p>\
             <p>Construction is expected to begin in the spring and to take three years, the council said on Friday.</p></div>",
            BODY,
            figure("second")
        );
        let layouts = [
            format!(
                "<h1>Rail Line Returns</h1><p class=\"standfirst\">{standfirst}</p>{}{body}",
                figure("lead")
            ),
            format!(
                "<h1>Rail Line Returns</h1><div class=\"standfirst\"><p>{standfirst}</p></div>{}{body}",
                figure("lead")
            ),
            format!(
                "<header><h1>Rail Line Returns</h1><p class=\"standfirst\">{standfirst}</p></header>{}{body}",
                figure("lead")
            ),
            format!("<h1>Rail Line Returns</h1>{}{body}", figure("lead")),
            format!(
                "<h1>Rail Line Returns</h1><p class=\"standfirst\">{standfirst}</p>{}{body}{}",
                figure("lead"),
                figure("closing")
            ),
        ];
        for (i, layout) in layouts.iter().enumerate() {
            let html = format!(
                "<html><head><title>Rail Line Returns</title></head><body><article>{layout}</article></body></html>"
            );
            let article = page(html.as_bytes(), None);
            let captions: Vec<&str> = article.captions.iter().map(|c| c.text.as_str()).collect();
            let mut expected = vec![
                "The lead photo of the story.",
                "The second photo of the story.",
            ];
            if i == 4 {
                expected.push("The closing photo of the story.");
            }
            assert_eq!(captions, expected, "{layout}");
            assert!(
                article.body[0].text.starts_with("Councillors voted") || i == 3,
                "{layout}: {:?}",
                article.body
            );
        }
    }

    #[test]
    fn a_figure_shows_its_picture_not_a_lazy_loading_placeholder() {
        let figure = |image: &str, head: &str| {
            let html = format!(
                "<html><head><title>Rail Line Returns</title>{head}</head><body><article><h1>Rail Line Returns</h1>\
                 <figure>{image}<figcaption>The old station in 1962.</figcaption></figure>{BODY}</article></body></html>"
            );
            page(html.as_bytes(), None).captions[0].image.clone()
        };
        let picture = Some("https://post.example/img/station.jpg".to_string());
        for image in [
            "<img class=\"lazyload\" src=\"https://post.example/static/lazy-placeholder.gif\" data-src=\"https://post.example/img/station.jpg\">",
            "<img src=\"https://post.example/static/grey.png\" data-lazy-src=\"https://post.example/img/station.jpg\">",
            "<img src=\"https://post.example/static/blank.gif\" srcset=\"https://post.example/img/small.jpg 320w, https://post.example/img/station.jpg 1024w\">",
            "<amp-img src=\"https://post.example/img/station.jpg\" width=\"1200\" height=\"800\" layout=\"responsive\"></amp-img>",
        ] {
            assert_eq!(figure(image, ""), picture, "{image}");
        }
        // A saved page's relative image resolves against its own address.
        for head in [
            "<link rel=\"canonical\" href=\"https://post.example/news/rail\">",
            "<meta property=\"og:url\" content=\"https://post.example/news/rail\">",
        ] {
            assert_eq!(
                figure("<img src=\"/img/station.jpg\">", head),
                picture,
                "{head}"
            );
        }
    }

    #[test]
    fn a_credit_label_shown_to_screen_readers_only_is_no_part_of_the_credit() {
        for label in [
            "<span class=\"visually-hidden\">Credit</span>",
            "<span class=\"sr-only\">Photo: </span> ",
        ] {
            let html = format!(
                "<html><head><title>Rail Line Returns</title></head><body><article><h1>Rail Line Returns</h1>\
                 <figure><img src=\"https://post.example/a.jpg\"><figcaption><span class=\"caption-text\">The old station in 1962.</span>\
                 <span class=\"credit\">{label}Ana Ruiz for The Post</span></figcaption></figure>{BODY}</article></body></html>"
            );
            let article = page(html.as_bytes(), None);
            assert_eq!(
                article.captions[0].credit.as_deref(),
                Some("Ana Ruiz for The Post"),
                "{label}"
            );
        }
    }

    #[test]
    fn a_credit_labelled_with_an_ellipsis_comes_off_its_caption() {
        for credit in [
            "<span class=\"credit\"><span class=\"label\">Credit...</span>Ana Ruiz for The Post</span>",
            "<span class=\"credit\"><span class=\"label\">Credit…</span>Ana Ruiz for The Post</span>",
            "<span class=\"c-2\"><span class=\"c-3\">Credit...</span>Ana Ruiz for The Post</span>",
        ] {
            let html = format!(
                "<html><head><title>Rail Line Returns</title></head><body><article><h1>Rail Line Returns</h1>\
                 <figure><img src=\"https://post.example/a.jpg\"><figcaption><span class=\"c-1\">The old station in 1962.</span>\
                 {credit}</figcaption></figure>{BODY}</article></body></html>"
            );
            let article = page(html.as_bytes(), None);
            assert_eq!(
                article.captions[0].text, "The old station in 1962.",
                "{credit}"
            );
            assert_eq!(
                article.captions[0].credit.as_deref(),
                Some("Ana Ruiz for The Post"),
                "{credit}"
            );
        }
    }

    #[test]
    fn the_h1_under_a_title_that_names_only_the_site_is_the_headline_once() {
        let headline = "Cafe Owners Do Not Agree With the Council";
        for (head, h1) in [
            ("", format!("<article><h1>{headline}</h1>{BODY}</article>")),
            (
                "<meta property=\"og:site_name\" content=\"Daily Record\">",
                format!("<article><h1>{headline}</h1>{BODY}</article>"),
            ),
            (
                "",
                format!("<header><h1>{headline}</h1></header><main>{BODY}</main>"),
            ),
        ] {
            let html = format!(
                "<!doctype html><html><head><title>Daily Record</title>{head}</head><body>{h1}</body></html>"
            );
            let article = page(html.as_bytes(), None);
            assert_eq!(article.title, headline, "{html}");
            assert_eq!(article.body.len(), 2, "no subhead repeats it: {html}");
            assert!(article.body.iter().all(|b| b.kind == BlockKind::Paragraph));
        }
    }

    #[test]
    fn the_h1_a_short_title_stands_for_is_the_headline_once() {
        let headline = "Harbour Rail Line to Reopen Next Spring";
        for layout in [
            format!("<article><h1>{headline}</h1>{BODY}</article>"),
            format!("<div class=\"top\"><h1>{headline}</h1></div><article>{BODY}</article>"),
        ] {
            let html = format!(
                "<html><head><title>Rail line | Harbour Post</title>\
                 <meta property=\"og:site_name\" content=\"Harbour Post\"></head><body>{layout}</body></html>"
            );
            let article = page(html.as_bytes(), None);
            assert_eq!(article.title, headline, "{layout}");
            assert_eq!(article.body.len(), 2, "{layout}");
            assert!(article.body.iter().all(|b| b.kind == BlockKind::Paragraph));
        }
    }

    #[test]
    fn a_headline_from_the_listing_titles_only_a_page_without_one() {
        let listed = |html: &str| {
            let source = PageSource {
                location: "page.html",
                headline: Some("Rail Line Returns"),
                ..PageSource::default()
            };
            extract(html.as_bytes(), &source).unwrap().article.title
        };
        assert_eq!(
            listed(&format!(
                "<html><body><article>{BODY}</article></body></html>"
            )),
            "Rail Line Returns"
        );
        assert_eq!(
            listed(&format!(
                "<html><head><title>Harbour Trains Are Back</title></head><body><article>{BODY}</article></body></html>"
            )),
            "Harbour Trains Are Back"
        );
        assert_eq!(
            listed(&format!(
                "<html><head><title>Harbour Times</title><meta property=\"og:site_name\" content=\"Harbour Times\">\
                 </head><body><div class=\"logo\">Harbour Times</div><div>{BODY}</div></body></html>"
            )),
            "Rail Line Returns",
            "a title that is only the site's name is no headline of the page's own"
        );
    }

    #[test]
    fn a_title_that_is_only_the_site_name_the_listing_gives_is_no_headline() {
        let html = format!(
            "<html><head><title>The Quayside Courier</title></head>\
             <body><div class=\"masthead\">The Quayside Courier</div><div>{BODY}</div></body></html>"
        );
        let url = Url::parse("https://qc-news.example/2026/12/ferry").unwrap();
        let title = |site_name| {
            let source = PageSource {
                location: url.as_str(),
                url: Some(&url),
                headline: Some("Ferry Fares Frozen for Winter"),
                site_name,
                ..PageSource::default()
            };
            extract(html.as_bytes(), &source).unwrap().article.title
        };
        assert_eq!(
            title(Some("The Quayside Courier")),
            "Ferry Fares Frozen for Winter"
        );
        // Named nowhere as the site, the title may be the page's headline.
        assert_eq!(title(None), "The Quayside Courier");
        assert_eq!(
            title(Some("Harbour Post")),
            "The Quayside Courier",
            "another site's name"
        );
    }

    #[test]
    fn a_page_whose_canonical_link_is_the_home_page_or_a_section_above_keeps_its_own_url() {
        let link = |page: &str, canonical: &str| {
            let html = format!(
                "<html><head><title>Rail Line Returns</title><link rel=\"canonical\" href=\"{canonical}\"></head>\
                 <body><article>{BODY}</article></body></html>"
            );
            let url = Url::parse(page).unwrap();
            let source = PageSource {
                location: page,
                charset: None,
                url: Some(&url),
                headline: None,
                site_name: None,
            };
            extract(html.as_bytes(), &source).unwrap().article.link
        };
        let rail = "https://post.example/news/rail";
        for canonical in ["/", "/news/", "https://www.post.example/news"] {
            assert_eq!(link(rail, canonical).as_deref(), Some(rail), "{canonical}");
        }
        for form in ["amp", "2", "index.html"] {
            let page = format!("{rail}/{form}");
            assert_eq!(
                link(&page, "/news/").as_deref(),
                Some(page.as_str()),
                "a section above the story is above its {form} page too"
            );
        }
        for (page, canonical) in [
            (
                "https://post.example/news/rail/amp",
                "https://post.example/news/rail",
            ),
            (
                "https://post.example/news/1234/rail-line",
                "https://post.example/news/1234",
            ),
            (rail, "https://post.example/travel/rail"),
        ] {
            assert_eq!(link(page, canonical).as_deref(), Some(canonical), "{page}");
        }
    }

    #[test]
    fn a_pages_url_lends_no_credentials_to_its_links() {
        let url = Url::parse("https://ed:pw@post.example/news/rail?id=7").unwrap();
        let source = PageSource {
            location: "https://post.example/news/rail?id=7",
            charset: None,
            url: Some(&url),
            headline: None,
            site_name: None,
        };
        let link = |head: &str| {
            let html = format!(
                "<html><head><title>Rail Line Returns</title>{head}</head><body><article>{BODY}</article></body></html>"
            );
            extract(html.as_bytes(), &source).unwrap().article.link
        };
        assert_eq!(
            link("").as_deref(),
            Some("https://post.example/news/rail?id=7")
        );
        // A `<base>` that is not http(s) is ignored.
        assert_eq!(
            link("<base href=\"javascript://x/\"><link rel=\"canonical\" href=\"rail-line\">")
                .as_deref(),
            Some("https://post.example/news/rail-line")
        );
    }

    #[test]
    fn share_newsletter_and_paywall_boxes_stay_out_of_short_stories() {
        let boxes = "<div class=\"share-tools\"><p>Share this story with your friends on Facebook, on Twitter or by email.</p></div>\
            <div class=\"newsletter\"><p>Get the top stories from the Harbour Post delivered to your inbox every morning.</p></div>\
            <div class=\"paywall\"><p>Subscribe now for unlimited access to the Harbour Post, from one euro a week.</p></div>";
        let first_paragraph = &BODY[..BODY.find("</p>").unwrap() + 4];
        for story in [BODY, first_paragraph] {
            let html = format!(
                "<html><head><title>Rail Line Returns</title></head><body><article><h1>Rail Line Returns</h1>{story}{boxes}</article></body></html>"
            );
            let article = page(html.as_bytes(), None);
            assert!(
                article.body.iter().all(|b| b.text.contains("council")),
                "{:?}",
                article.body
            );
        }
        // A section whose long id is its heading's slug is no share box.
        let html = format!(
            "<html><head><title>Rail Line Returns</title></head><body><article>{BODY}\
             <section id=\"why-a-shared-line-costs-less\"><p>{}</p></section>{boxes}</article></body></html>",
            "Sharing the track with freight trains halves the cost of the signals, the council said, and spreads the upkeep over two operators."
        );
        assert_eq!(page(html.as_bytes(), None).body.len(), 3);
        // A box so named around the whole story is the story.
        let html = format!(
            "<html><head><title>Rail Line Returns</title></head><body><div class=\"paywall-wrapper\">{BODY}</div></body></html>"
        );
        assert_eq!(page(html.as_bytes(), None).body.len(), 2);
    }

    #[test]
    fn the_heading_of_a_box_left_out_goes_with_it() {
        let second = &BODY[BODY.find("</p>").unwrap() + 4..];
        let first = &BODY[..BODY.find("</p>").unwrap() + 4];
        let links = "<li><a href=\"/a\">Ferry timetable changes for the winter</a></li>\
            <li><a href=\"/b\">Harbour wall repairs to start in spring</a></li>";
        for middle in [
            format!("<h2>More on this story</h2><ul>{links}</ul>"),
            "<h3>See also</h3><p><a href=\"/a\">Ferry timetable changes for the winter</a></p>"
                .to_string(),
        ] {
            let html = format!(
                "<html><head><title>Rail Line Returns</title></head><body><article><h1>Rail Line Returns</h1>\
                 {first}{middle}{second}<h2>Keep reading</h2><ul>{links}</ul></article></body></html>"
            );
            let article = page(html.as_bytes(), None);
            let kinds: Vec<_> = article.body.iter().map(|b| b.kind).collect();
            assert_eq!(
                kinds,
                [BlockKind::Paragraph, BlockKind::Paragraph],
                "{:?}",
                article.body
            );
        }
        // A crosshead over the story's next paragraphs stays, and so do one
        // over a paragraph that only mentions a link and one over a note of
        // links that its section's text follows.
        let html = format!(
            "<html><head><title>Rail Line Returns</title></head><body><article><h1>Rail Line Returns</h1>\
             {first}<h2>Trains by spring</h2>{second}<h2>The cost</h2>\
             <p>The plan is on <a href=\"/plan\">the council's site</a>, with the costs of every station and of the signals set out in full.</p>\
             <h2>Background</h2><div class=\"note\">Main article: <a href=\"/line\">Harbour railway line</a></div>\
             <p>The line closed to passengers in 1962 and has carried only freight to the docks since the container terminal opened.</p>\
             </article></body></html>"
        );
        let article = page(html.as_bytes(), None);
        let kinds: Vec<_> = article.body.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            [
                BlockKind::Paragraph,
                BlockKind::Subhead,
                BlockKind::Paragraph,
                BlockKind::Subhead,
                BlockKind::Paragraph,
                BlockKind::Subhead,
                BlockKind::Paragraph
            ],
            "{:?}",
            article.body
        );
    }

    #[test]
    fn datelines_are_no_paragraphs() {
        for dateline in [
            "<div class=\"meta\"><span class=\"byline\">By Lena Berg</span> <time datetime=\"2025-06-10T09:15:00Z\">Tuesday 10 June 2025, 09:15</time></div>",
            "<p class=\"date\">Published <time datetime=\"2025-06-10T09:15:00Z\">10/06/2025</time></p>",
            "<p>By Lena Berg, <time datetime=\"2025-06-10T09:15:00Z\">10 June</time></p>",
            "<p><time>09:15</time></p>",
            "<p class=\"updated\">Updated 21:07:23 BST</p>",
            "<p>Last updated 2 hours ago</p>",
            "<p>June 10, 2025 at 9:15 a.m.</p>",
            "<h3><time datetime=\"2025-06-10T09:15:00Z\">09:15</time></h3>",
        ] {
            let html = format!(
                "<html><head><title>Rail Line Returns</title></head><body><article><h1>Rail Line Returns</h1>{dateline}{BODY}</article></body></html>"
            );
            let article = page(html.as_bytes(), None);
            assert_eq!(article.body.len(), 2, "{dateline}: {:?}", article.body);
            assert!(
                article.body[0].text.starts_with("The council"),
                "{dateline}"
            );
        }
        // A sentence that names a time keeps it.
        let html = format!(
            "<html><head><title>Rail Line Returns</title></head><body><article><h1>Rail Line Returns</h1>\
             <p>The first train leaves at <time>06:40</time> on Monday.</p>{BODY}</article></body></html>"
        );
        let article = page(html.as_bytes(), None);
        assert_eq!(
            article.body[0].text,
            "The first train leaves at 06:40 on Monday."
        );
    }

    #[test]
    fn the_h1_the_page_shows_is_the_headline_over_other_wording_in_its_metadata() {
        let h1 = "Gales Batter the Coast, Halting Ferries and Closing Island Schools";
        let seo = "Storm Erin Shuts Schools and Cancels Ferries on the Coast";
        let html = format!(
            "<html><head><title>{seo} - The Coastal Times</title>\
             <meta property=\"og:site_name\" content=\"The Coastal Times\">\
             <meta property=\"og:title\" content=\"{seo}\">\
             <script type=\"application/ld+json\">{{\"@type\":\"NewsArticle\",\"headline\":\"{seo}\"}}</script></head>\
             <body><header class=\"masthead\"><a href=\"/\">The Coastal Times</a></header>\
             <main><article><header><h1>{h1}</h1><p>By Ana Ruiz</p></header><section>{BODY}</section></article></main></body></html>"
        );
        let article = page(html.as_bytes(), None);
        assert_eq!(article.title, h1);
        assert!(subheads(&article).is_empty(), "{:?}", article.body);
        // A label set before the headline in capitals is none of its words.
        let html = format!(
            "<html><head><title>Storm Erin live: ferries cancelled as gales hit coast | Calder Herald</title>\
             <meta property=\"og:site_name\" content=\"Calder Herald\"></head><body><main><article>\
             <h1><span class=\"live-label\">LIVE</span> Storm Erin: ferries cancelled as gales hit coast</h1>{BODY}</article></main></body></html>"
        );
        let article = page(html.as_bytes(), None);
        assert_eq!(
            article.title,
            "Storm Erin: ferries cancelled as gales hit coast"
        );
        assert!(subheads(&article).is_empty(), "{:?}", article.body);
        let shown = |title: &str, top: &str| {
            let html = format!(
                "<html><head><title>{title} | Calder Herald</title>\
                 <meta property=\"og:title\" content=\"{title}\">\
                 <meta property=\"og:site_name\" content=\"Calder Herald\"></head>\
                 <body>{top}<article>{BODY}</article></body></html>"
            );
            page(html.as_bytes(), None).title
        };
        // A topic or an acronym in an element of its own opening the
        // headline is one of its words, not a label.
        for (title, h1) in [
            (
                "NASA launches new moon rocket from Florida",
                "<h1><a href=\"/topic/nasa\">NASA</a> launches new moon rocket from Florida</h1>",
            ),
            (
                "NHS waiting lists hit a record high",
                "<h1><abbr>NHS</abbr> waiting lists hit a record high</h1>",
            ),
        ] {
            assert_eq!(shown(title, h1), title, "{h1}");
        }
        // A lone h1 that is a tagline, a section's or a site's name, sharing
        // no word with the claimed headline or beside a heading that shows
        // it, is not the story's headline.
        let claimed = "Harbour council approves new ferry terminal";
        for top in [
            "<div class=\"brand\"><h1>The voice of the Calder Valley</h1></div>",
            "<div class=\"logo\"><h1>Newport Valley Daily Press</h1></div>",
            "<h1>Local harbour news and the council</h1><h2>Harbour council approves new ferry terminal</h2>",
        ] {
            assert_eq!(shown(claimed, top), claimed, "{top}");
        }
    }

    #[test]
    fn a_byline_joined_to_its_date_names_the_author_and_dates_the_page() {
        let read = |byline: &str| {
            let html = format!(
                "<html><head><title>Rail Line Returns</title></head><body><article><h1>Rail Line Returns</h1>{byline}<div class=\"body\">{BODY}</div></article></body></html>"
            );
            page(html.as_bytes(), None)
        };
        let at = |t: &str| Some(t.parse::<DateTime<Utc>>().unwrap());
        for byline in [
            "<p class=\"byline\">By Katrin Vogel on December 2, 2026</p>",
            "<div class=\"meta\">By <a href=\"/author/kv\">Katrin Vogel</a> on <time datetime=\"2026-12-02T14:05:11+01:00\">December 2, 2026</time></div>",
            "<div class=\"meta\">Von <a href=\"/autor/kv\">Katrin Vogel</a> am <time datetime=\"2026-12-02T14:05:11+01:00\">2. Dezember 2026</time></div>",
            "<div class=\"meta\">Par <a href=\"/auteur/kv\">Katrin Vogel</a> le <time datetime=\"2026-12-02T14:05:11+01:00\">2 décembre 2026</time></div>",
        ] {
            let article = read(byline);
            assert_eq!(article.authors, ["Katrin Vogel"], "{byline}");
            assert_eq!(
                article.published.map(|p| p.date_naive()),
                at("2026-12-02T12:00:00Z").map(|p| p.date_naive()),
                "{byline}"
            );
        }
        // A social handle beside the name is none of it.
        for byline in [
            "<div class=\"byline\">By <a href=\"/author/kv\">Katrin Vogel</a> <a class=\"twitter\" href=\"https://twitter.com/kvogel\">@kvogel</a></div>",
            "<div class=\"author\"><span class=\"name\">Katrin Vogel</span> <a href=\"https://x.com/kvogel\">@kvogel</a></div>",
        ] {
            assert_eq!(read(byline).authors, ["Katrin Vogel"], "{byline}");
        }
    }

    #[test]
    fn a_json_ld_author_that_is_the_site_itself_gives_way_to_the_byline() {
        let read = |byline: &str| {
            let html = format!(
                "<html><head><title>Rail Line Returns | Calder Herald</title>\
                 <meta property=\"og:site_name\" content=\"Calder Herald\">\
                 <script type=\"application/ld+json\">{{\"@type\":\"NewsArticle\",\"headline\":\"Rail Line Returns\",\
                 \"author\":{{\"@type\":\"Organization\",\"name\":\"Calder Herald\"}},\"publisher\":{{\"@type\":\"Organization\",\"name\":\"Calder Herald\"}}}}</script>\
                 </head><body><article><h1>Rail Line Returns</h1>{byline}<div class=\"body\">{BODY}</div></article></body></html>"
            );
            page(html.as_bytes(), None)
        };
        assert_eq!(
            read("<p class=\"byline\">By Ana Ruiz</p>").authors,
            ["Ana Ruiz"]
        );
        assert_eq!(
            read("<p>By Ana Ruiz | 3 December 2026</p>").authors,
            ["Ana Ruiz"]
        );
        // With no byline, the site is the author still.
        assert_eq!(read("").authors, ["Calder Herald"]);
    }

    #[test]
    fn a_json_ld_date_without_a_zone_gives_way_to_the_zoned_date_of_the_page() {
        let read = |head: &str, time: &str| {
            let html = format!(
                "<html><head><title>Rail Line Returns</title>{head}\
                 <script type=\"application/ld+json\">{{\"@type\":\"NewsArticle\",\"headline\":\"Rail Line Returns\",\
                 \"datePublished\":\"2026-12-05T09:00:00\",\"dateModified\":\"2026-12-05T10:00:00\"}}</script>\
                 </head><body><article><h1>Rail Line Returns</h1>{time}{BODY}</article></body></html>"
            );
            page(html.as_bytes(), None)
        };
        let at = |t: &str| Some(t.parse::<DateTime<Utc>>().unwrap());
        let meta = "<meta property=\"article:published_time\" content=\"2026-12-05T09:00:00+09:00\">\
                    <meta property=\"article:modified_time\" content=\"2026-12-05T10:00:00+09:00\">";
        let article = read(meta, "");
        assert_eq!(article.published, at("2026-12-05T00:00:00Z"));
        assert_eq!(article.updated, at("2026-12-05T01:00:00Z"));
        let time = "<time datetime=\"2026-12-05T09:00:00+09:00\">December 5, 2026</time>";
        assert_eq!(read("", time).published, at("2026-12-05T00:00:00Z"));
        // Alone, it is read as UTC, as before.
        assert_eq!(read("", "").published, at("2026-12-05T09:00:00Z"));
        // A zoned time of another moment (the update's) is not its zone.
        let update =
            "<p>Updated <time datetime=\"2026-12-06T08:00:00+01:00\">December 6</time></p>";
        assert_eq!(read("", update).published, at("2026-12-05T09:00:00Z"));
    }

    #[test]
    fn bylines_in_other_languages_name_the_authors_without_their_opening_word() {
        let read = |byline: &str| {
            let html = format!(
                "<html><head><title>Rail Line Returns</title></head><body><article><h1>Rail Line Returns</h1>{byline}{BODY}</article></body></html>"
            );
            page(html.as_bytes(), None)
        };
        let at = |t: &str| Some(t.parse::<DateTime<Utc>>().unwrap());
        for (byline, authors) in [
            (
                "<p class=\"byline\">Von Katrin Vogel</p>",
                &["Katrin Vogel"][..],
            ),
            (
                "<p class=\"byline\">Par Claire Dubois</p>",
                &["Claire Dubois"],
            ),
            ("<p>Von Katrin Vogel</p>", &["Katrin Vogel"]),
            (
                "<p>Por Lucía Gómez y Pedro Ruiz</p>",
                &["Lucía Gómez", "Pedro Ruiz"],
            ),
            (
                "<p class=\"byline\">Von Katrin Vogel und Jan Berg</p>",
                &["Katrin Vogel", "Jan Berg"],
            ),
            (
                "<span class=\"author\">Di Marco Rossi e Anna Bianchi</span>",
                &["Marco Rossi", "Anna Bianchi"],
            ),
        ] {
            let article = read(byline);
            assert_eq!(article.authors, authors, "{byline}");
            assert_eq!(article.body.len(), 2, "{byline}: {:?}", article.body);
        }
        // Beside its date in a meta box, the date read too.
        let article = read(
            "<div class=\"node__meta\"><span>Von Katrin Vogel</span> · <span>Montag, 30. November 2026, 18:45 Uhr</span></div>",
        );
        assert_eq!(article.authors, ["Katrin Vogel"]);
        assert_eq!(article.published, at("2026-11-30T18:45:00Z"));
        assert_eq!(article.body.len(), 2, "{:?}", article.body);
        // A name that opens with `Von` is a name.
        assert_eq!(
            read("<p class=\"byline\">Von Miller</p>").authors,
            ["Von Miller"]
        );
    }

    #[test]
    fn a_header_set_apart_from_the_body_dates_the_page_and_names_its_authors() {
        let body = "<p>Planners have approved a new tram depot on the site of the old cattle market, despite objections from residents.</p>\
            <p>The depot will house the twelve new trams ordered for the eastern extension, due to open in 2028.</p>\
            <p>Conditions will limit noisy work to between 7am and 10pm and require screening along the boundary.</p>";
        let at = |t: &str| Some(t.parse::<DateTime<Utc>>().unwrap());
        for (open, text, close) in [
            (
                "<div class=\"story\">",
                "<div class=\"story-text\">",
                "</div></div>",
            ),
            ("<main>", "<div class=\"entry-content\">", "</div></main>"),
            (
                "<div class=\"post\">",
                "<div class=\"entry-content\">",
                "</div></div>",
            ),
        ] {
            let html = format!(
                "<html><head><title>Tram depot plan approved</title></head><body>{open}\
                 <h1>Tram depot plan approved</h1><p>By Lars Berg</p><p>December 4, 2026</p>\
                 {text}{body}{close}</body></html>"
            );
            let article = page(html.as_bytes(), None);
            assert_eq!(article.authors, ["Lars Berg"], "{open}");
            assert_eq!(article.published, at("2026-12-04T00:00:00Z"), "{open}");
            assert_eq!(article.body.len(), 3, "{open}: {:?}", article.body);
        }
        // Other words between the headline and the body are no text of it,
        // and date nothing.
        let html = format!(
            "<html><head><title>Tram depot plan approved</title></head><body><div class=\"story\">\
             <h1>Tram depot plan approved</h1><div class=\"tools\"><a href=\"/print\">Print this story</a></div>\
             <div class=\"story-text\">{body}</div></div></body></html>"
        );
        let article = page(html.as_bytes(), None);
        assert_eq!(article.published, None);
        assert_eq!(article.body.len(), 3, "{:?}", article.body);
    }

    #[test]
    fn a_standfirst_set_as_a_heading_under_the_headline_is_the_first_paragraph() {
        let body = "<p>Riverside will spend $40 million over the next five years to replace every remaining lead water line in the city.</p>\
            <p>The plan, funded largely by a federal grant, would make Riverside one of the first cities in the state to do so.</p>\
            <p>The replacement program will prioritize neighborhoods with schools and day-care centers, a memo says.</p>\
            <p>Homeowners will not have to pay for the work, Liu said. Renters will be notified by mail.</p>\
            <p>Residents who have pushed the city for years said they were relieved but frustrated by the pace.</p>";
        let deck = "About 11,000 homes still get their water through lead service lines";
        for header in [
            format!("<h2 class=\"c-subheadline\">{deck}</h2>"),
            format!("<h3 class=\"subtitle\">{deck}</h3>"),
            format!("<h2 class=\"entry-subtitle\">{deck}</h2><p class=\"byline\">By Ana Ruiz</p>"),
        ] {
            let html = format!(
                "<html><head><title>City to spend $40 million on pipes</title></head><body><article>\
                 <div class=\"post-header\"><h1>City to spend $40 million on pipes</h1>{header}</div>\
                 <div class=\"article-body\">{body}</div></article></body></html>"
            );
            let article = page(html.as_bytes(), None);
            assert_eq!(article.body[0].text, deck, "{header}");
            assert_eq!(article.body[0].kind, BlockKind::Paragraph, "{header}");
            assert_eq!(article.body.len(), 6, "{header}: {:?}", article.body);
        }
    }

    #[test]
    fn a_meta_line_of_date_and_author_element_is_the_pages_metadata() {
        let read = |meta: &str| {
            let html = format!(
                "<html><head><title>Rail Line Returns</title></head><body><article>\
                 <header class=\"entry-header\"><h1 class=\"entry-title\">Rail Line Returns</h1>{meta}</header>\
                 <div class=\"entry-content\">{BODY}</div></article></body></html>"
            );
            page(html.as_bytes(), None)
        };
        let day = "2026-11-24".parse::<chrono::NaiveDate>().unwrap();
        for meta in [
            // Underscores and the themes built on it: the date and the
            // author each in a span of their own, the update date hidden.
            "<div class=\"entry-meta\"><span class=\"posted-on\">Posted on <a href=\"/2026/11/24/rail/\" rel=\"bookmark\">\
             <time class=\"entry-date published\" datetime=\"2026-11-24T09:00:00+01:00\">November 24, 2026</time>\
             <time class=\"updated\" datetime=\"2026-11-25T10:00:00+01:00\">November 25, 2026</time></a></span>\
             <span class=\"byline\"> by <span class=\"author vcard\"><a class=\"url fn n\" href=\"/author/lena/\">Lena Berg</a></span></span></div>",
            // The same words in one line.
            "<div class=\"entry-meta\">Posted on <time class=\"entry-date published\" datetime=\"2026-11-24T09:00:00+01:00\">November 24, 2026</time> \
             by <span class=\"author vcard\">Lena Berg</span></div>",
            // Twenty Ten: no `<time>`, the date a span in a link.
            "<div class=\"entry-meta\"><span class=\"meta-prep meta-prep-author\">Posted on</span> \
             <a href=\"/2026/11/24/rail/\" rel=\"bookmark\"><span class=\"entry-date\">November 24, 2026</span></a> \
             <span class=\"meta-sep\">by</span> <span class=\"author vcard\"><a class=\"url fn n\" href=\"/author/lena/\">Lena Berg</a></span></div>",
            // Twenty Seventeen: the label shown to screen readers only.
            "<div class=\"entry-meta\"><span class=\"posted-on\"><span class=\"screen-reader-text\">Posted on</span> \
             <a href=\"/2026/11/24/rail/\" rel=\"bookmark\"><time class=\"entry-date published\" datetime=\"2026-11-24T09:00:00+01:00\">November 24, 2026</time></a></span>\
             <span class=\"byline\"> by <span class=\"author vcard\"><a class=\"url fn n\" href=\"/author/lena/\">Lena Berg</a></span></span></div>",
            // A `Published` label and a linked author.
            "<p class=\"post-meta\">Published <time datetime=\"2026-11-24T09:00:00+01:00\">November 24, 2026</time> \
             by <a class=\"author\" href=\"/author/lena/\">Lena Berg</a></p>",
            // The post's categories after the author.
            "<div class=\"entry-meta\">Posted on <time datetime=\"2026-11-24T09:00:00+01:00\">November 24, 2026</time> \
             by <span class=\"author-name\">Lena Berg</span> in <a href=\"/category/transport/\" rel=\"category tag\">Transport</a></div>",
            "<div class=\"entry-meta\">Posted on <time datetime=\"2026-11-24T09:00:00+01:00\">November 24, 2026</time> \
             by <span class=\"author\">Lena Berg</span> in <a href=\"/transport/\">Transport</a>, <a href=\"/local/\">Local</a></div>",
        ] {
            let article = read(meta);
            assert_eq!(article.body.len(), 2, "{meta}: {:?}", article.body);
            assert!(article.body[0].text.starts_with("The council"), "{meta}");
            assert_eq!(article.authors, ["Lena Berg"], "{meta}");
            assert_eq!(
                article.published.map(|at| at.date_naive()),
                Some(day),
                "{meta}"
            );
        }
        // A sentence about an update stays a paragraph.
        let article = read(
            "<p>Updated on <time>November 24, 2026</time> by <span class=\"author\">Lena Berg</span> to add the council's reply to residents.</p>",
        );
        assert_eq!(article.body.len(), 3, "{:?}", article.body);
    }

    #[test]
    fn a_meta_line_names_the_author_of_its_plain_byline() {
        let html = format!(
            "<html><head><title>Rail Line Returns</title></head><body><article><h1>Rail Line Returns</h1>\
             <div class=\"entry-meta\">Posted on <time datetime=\"2026-11-24T09:00:00+01:00\">November 24, 2026</time> by Lena Berg and Tom Reyes</div>\
             {BODY}</article></body></html>"
        );
        let article = page(html.as_bytes(), None);
        assert_eq!(article.authors, ["Lena Berg", "Tom Reyes"]);
        assert_eq!(article.body.len(), 2, "{:?}", article.body);
    }

    #[test]
    fn an_author_element_beside_a_date_line_in_a_meta_box_dates_the_page() {
        let at = |t: &str| Some(t.parse::<DateTime<Utc>>().unwrap());
        for meta in [
            // Astra: the author element, a slash, the date and its hidden
            // update.
            "<div class=\"entry-meta\"><span class=\"posted-by vcard author\" itemprop=\"author\">\
             <a class=\"url fn n\" href=\"/author/lena/\" rel=\"author\"><span class=\"author-name\" itemprop=\"name\">Lena Berg</span></a></span> / \
             <span class=\"posted-on\"><span class=\"published\" itemprop=\"datePublished\">November 24, 2026</span>\
             <span class=\"updated\" itemprop=\"dateModified\">November 25, 2026</span></span></div>",
            // Jannah-like: the author's link, then the date.
            "<div class=\"single-post-meta post-meta\"><span class=\"meta-author\"><a href=\"/author/lena/\" class=\"author-name\">Lena Berg</a></span>\
             <span class=\"date meta-item\">November 24, 2026</span></div>",
            // Twenty Nineteen: the label for screen readers, a comment count.
            "<div class=\"entry-meta\"><span class=\"byline\"><span class=\"screen-reader-text\">Posted by</span>\
             <span class=\"author vcard\"><a class=\"url fn n\" href=\"/author/lena/\">Lena Berg</a></span></span>\
             <span class=\"posted-on\"><a href=\"/2026/11/24/rail/\" rel=\"bookmark\"><time class=\"entry-date published updated\">November 24, 2026</time></a></span>\
             <span class=\"comments-link\"><a href=\"/2026/11/24/rail/#respond\">Leave a comment</a></span></div>",
            // A date marked `updated` alone is the one the box shows.
            "<div class=\"td-module-meta-info\"><span class=\"td-post-author-name\">By <a href=\"/author/lena/\">Lena Berg</a></span> \
             <span class=\"td-post-date\"><time class=\"entry-date updated td-module-date\">November 24, 2026</time></span></div>",
        ] {
            let html = format!(
                "<html><head><title>Rail Line Returns</title></head><body><article>\
                 <h1 class=\"entry-title\">Rail Line Returns</h1>{meta}\
                 <div class=\"entry-content\">{BODY}</div></article></body></html>"
            );
            let article = page(html.as_bytes(), None);
            assert_eq!(article.published, at("2026-11-24T00:00:00Z"), "{meta}");
            assert_eq!(article.authors, ["Lena Berg"], "{meta}");
            assert_eq!(article.body.len(), 2, "{meta}: {:?}", article.body);
        }
    }

    #[test]
    fn a_meta_box_of_an_author_and_their_role_beside_a_date_dates_the_page() {
        let at = |t: &str| Some(t.parse::<DateTime<Utc>>().unwrap());
        for date in [
            "<span class=\"date\">24 November 2026</span>",
            "<time>24 November 2026</time>",
        ] {
            let html = format!(
                "<html><head><title>Rail Line Returns</title></head><body>\
                 <h1>Rail Line Returns</h1><div class=\"meta\"><span class=\"author\">Lena Berg</span>\
                 <span class=\"role\">Transport Editor</span> {date}</div>{BODY}</body></html>"
            );
            let article = page(html.as_bytes(), None);
            assert_eq!(article.published, at("2026-11-24T00:00:00Z"), "{date}");
            assert_eq!(article.authors, ["Lena Berg"], "{date}");
            assert_eq!(article.body.len(), 2, "{date}: {:?}", article.body);
        }
    }

    #[test]
    fn a_reading_time_in_a_meta_box_is_left_out_and_the_box_still_read() {
        let at = |t: &str| Some(t.parse::<DateTime<Utc>>().unwrap());
        let day = at("2026-12-05T00:00:00Z");
        let author = ["Claire Dubois"].as_slice();
        for (meta, published, authors) in [
            (
                "<span class=\"byline\">By Claire Dubois</span> <span class=\"date\">5 December 2026</span> \
                 <span class=\"reading-time\">4 min read</span>",
                day,
                author,
            ),
            (
                "<span>By Claire Dubois</span> <span>5 December 2026</span> <span>4 min read</span>",
                day,
                author,
            ),
            (
                "<span>4 min read</span> <span>By Claire Dubois</span> <span>5 December 2026</span>",
                day,
                author,
            ),
            (
                "<span class=\"date\">5 December 2026</span> <span class=\"reading-time\">4 min read</span>",
                day,
                [].as_slice(),
            ),
            (
                "<span>Par Claire Dubois</span> <span>Temps de Lecture 3 min.</span>",
                None,
                author,
            ),
            (
                "<span>Von Claire Dubois</span> <span>5 December 2026</span> <span>Lesezeit: 4 Minuten</span>",
                day,
                author,
            ),
            (
                "<span>By Claire Dubois</span> <span>5 December 2026</span> \
                 <span class=\"read-time\">Reading: 4</span>",
                day,
                author,
            ),
        ] {
            let html = format!(
                "<html><head><title>Rail Line Returns</title></head><body><article>\
                 <header class=\"article-header\"><h1>Rail Line Returns</h1><div class=\"meta\">{meta}</div></header>\
                 <div class=\"article-body\">{BODY}</div></article></body></html>"
            );
            let article = page(html.as_bytes(), None);
            assert_eq!(article.published, published, "{meta}");
            assert_eq!(article.authors, authors, "{meta}");
            assert_eq!(article.body.len(), 2, "{meta}: {:?}", article.body);
        }
    }

    #[test]
    fn every_author_of_a_meta_box_is_named_and_their_roles_left_out() {
        let at = |t: &str| Some(t.parse::<DateTime<Utc>>().unwrap());
        let time = "<time datetime=\"2026-11-24T00:00:00Z\">24 November 2026</time>";
        let date = "<span class=\"date\">24 November 2026</span>";
        for (meta, authors) in [
            (
                format!(
                    "<span class=\"author\">Ana Ruiz</span> <span class=\"author\">Tom Reyes</span> {date}"
                ),
                &["Ana Ruiz", "Tom Reyes"][..],
            ),
            (
                format!(
                    "<a class=\"author\" href=\"/a/ana\">Ana Ruiz</a><a class=\"author\" href=\"/a/tom\">Tom Reyes</a> {time}"
                ),
                &["Ana Ruiz", "Tom Reyes"],
            ),
            (
                format!(
                    "<div><a class=\"author-name\" href=\"/a/ana\">Ana Ruiz</a></div><div><a class=\"author-name\" href=\"/a/tom\">Tom Reyes</a></div><div class=\"date\">{time}</div>"
                ),
                &["Ana Ruiz", "Tom Reyes"],
            ),
            (
                format!(
                    "<span class=\"author\">Ingrid Holm</span><span class=\"role\">Chief Reporter</span> <span class=\"author\">Lars Berg</span><span class=\"role\">Transport Correspondent</span> {date}"
                ),
                &["Ingrid Holm", "Lars Berg"],
            ),
            (
                format!(
                    "<a href=\"/authors/lucy-ward\">Lucy Ward</a><span class=\"role\">Community Reporter</span> {date}"
                ),
                &["Lucy Ward"],
            ),
            (
                format!("<a>Lucy Ward</a><span class=\"role\">Community Reporter</span> {time}"),
                &["Lucy Ward"],
            ),
            (
                format!(
                    "<a rel=\"author\" href=\"/a/i\">Ingrid Holm</a> Transport correspondent {time}"
                ),
                &["Ingrid Holm"],
            ),
            (
                format!("<a href=\"/a/ana\">Ana Ruiz</a>\n<span>Political Editor</span> {time}"),
                &["Ana Ruiz"],
            ),
            (
                format!("<a href=\"/a/ana\">Ana Ruiz</a>\n<span>Data Journalist</span> {time}"),
                &["Ana Ruiz"],
            ),
            (
                format!("<a href=\"/a/tom\">Tom Reyes</a>\n<span>Staff Photographer</span> {time}"),
                &["Tom Reyes"],
            ),
            (
                format!("<a href=\"/a/ana\">Ana Ruiz</a>\n<a href=\"/a/tom\">Tom Reyes</a> {time}"),
                &["Ana Ruiz", "Tom Reyes"],
            ),
        ] {
            for class in ["meta", "article-meta"] {
                let html = format!(
                    "<html><head><title>Rail Line Returns</title></head><body><article>\
                     <h1>Rail Line Returns</h1><div class=\"{class}\">{meta}</div>{BODY}</article></body></html>"
                );
                let article = page(html.as_bytes(), None);
                assert_eq!(article.authors, authors, "{meta}");
                assert_eq!(article.published, at("2026-11-24T00:00:00Z"), "{meta}");
                assert_eq!(article.body.len(), 2, "{meta}: {:?}", article.body);
            }
        }
        // With no date, a role beside a marked author is no paragraph.
        let html = format!(
            "<html><head><title>Rail Line Returns</title></head><body><article>\
             <h1>Rail Line Returns</h1><div class=\"article-meta\"><a rel=\"author\" href=\"/a/i\">Ingrid Holm</a> \
             Transport correspondent</div>{BODY}</article></body></html>"
        );
        let article = page(html.as_bytes(), None);
        assert_eq!(article.authors, ["Ingrid Holm"]);
        assert_eq!(article.body.len(), 2, "{:?}", article.body);
    }

    #[test]
    fn a_meta_box_whose_parts_are_grouped_in_plain_wrappers_is_read_part_by_part() {
        let at = |t: &str| Some(t.parse::<DateTime<Utc>>().unwrap());
        let time = "<time datetime=\"2026-11-24T00:00:00Z\">24 November 2026</time>";
        for (class, meta) in [
            // The name and role grouped beside the date.
            (
                "data-part=\"byline\"",
                format!("<div><span>Ingrid Holm</span><span>Transport correspondent</span></div>{time}"),
            ),
            (
                "class=\"meta\"",
                format!(
                    "<div><a class=\"author-name\" href=\"/a/ingrid\">Ingrid Holm</a><span class=\"role\">Chief Reporter</span></div>{time}"
                ),
            ),
            (
                "class=\"meta\"",
                "<div><span class=\"author\">Ingrid Holm</span><span class=\"role\">Chief Reporter</span></div> \
                 <span class=\"date\">24 November 2026</span>"
                    .to_string(),
            ),
            // A byline beside its outlet and place, with nothing between.
            (
                "class=\"byline-block\"",
                format!("<div><span>By Ingrid Holm</span><span>Harbour Post, Calder</span></div>{time}"),
            ),
            (
                "data-part=\"byline\"",
                format!("<div><span>By Ingrid Holm</span><span>Harbour Post, Calder</span></div>{time}"),
            ),
            // The published and updated lines grouped.
            (
                "class=\"meta\"",
                "<div>By Ingrid Holm</div><div><div>24 November 2026</div><div>Updated 25 November 2026</div></div>"
                    .to_string(),
            ),
            (
                "class=\"meta\"",
                "<address aria-label=\"Contributor\"><div><a rel=\"author\" href=\"/a/ingrid\">Ingrid Holm</a></div></address>\
                 <details><summary><span>Tue 24 Nov 2026 00.00 GMT</span></summary>\
                 <span>Last modified on Wed 25 Nov 2026 10.15 GMT</span></details>"
                    .to_string(),
            ),
            // A label beside the date in a wrapper of its own stays one part.
            (
                "class=\"meta\"",
                format!("<div><span>By</span> <a href=\"/a/ingrid\">Ingrid Holm</a></div><div><span>Published</span> {time}</div>"),
            ),
        ] {
            let html = format!(
                "<html><head><title>Rail Line Returns</title></head><body><article>\
                 <h1>Rail Line Returns</h1><div {class}>{meta}</div>{BODY}</article></body></html>"
            );
            let article = page(html.as_bytes(), None);
            assert_eq!(article.authors, ["Ingrid Holm"], "{meta}");
            assert_eq!(article.published, at("2026-11-24T00:00:00Z"), "{meta}");
            assert_eq!(article.body.len(), 2, "{meta}: {:?}", article.body);
        }
    }

    #[test]
    fn a_meta_box_reads_its_name_and_role_after_the_date_and_beside_its_share_rail() {
        let at = |t: &str| Some(t.parse::<DateTime<Utc>>().unwrap());
        let date = "<div><time data-testid=\"timestamp\" datetime=\"2026-11-24T07:00:00Z\">24 November 2026</time></div>";
        let marked = "<div><span data-testid=\"byline-name\">Ingrid Holm</span><span data-testid=\"byline-role\">Transport correspondent</span></div>";
        let plain = "<div><span>Ingrid Holm</span><span>Transport correspondent</span></div>";
        let share = "<div class=\"share-tools\"><button>Share</button><button>Save</button></div>";
        for meta in [
            format!("{date}{marked}"),
            format!("{date}{plain}"),
            format!("{date}{marked}{share}"),
            format!("{marked}{date}{share}"),
            format!("{plain}{date}"),
            format!("{date}<div><span>Ingrid Holm</span></div>"),
        ] {
            let html = format!(
                "<html><head><title>Rail Line Returns</title></head><body><main><article>\
                 <header><h1>Rail Line Returns</h1></header><div data-component=\"byline-block\">{meta}</div>\
                 <div data-component=\"text-block\"><p>The council voted on Tuesday to reopen the old harbour railway line for passenger trains next spring, after a decade of campaigning by residents.</p></div>\
                 <div data-component=\"text-block\"><p>Work on the track, the stations and the signals will start in January and is expected to cost about twelve million euros, the council said.</p></div>\
                 </article></main></body></html>"
            );
            let article = page(html.as_bytes(), None);
            assert_eq!(article.authors, ["Ingrid Holm"], "{meta}");
            assert_eq!(article.published, at("2026-11-24T07:00:00Z"), "{meta}");
            assert_eq!(article.body.len(), 2, "{meta}: {:?}", article.body);
        }
    }

    #[test]
    fn a_name_with_its_role_above_the_text_is_a_byline_not_a_paragraph() {
        let html = format!(
            "<html><head><title>Rail Line Returns</title></head><body><article>\
             <h1>Rail Line Returns</h1><div><span>Ingrid Holm</span><span>Transport correspondent</span></div>{BODY}</article></body></html>"
        );
        let article = page(html.as_bytes(), None);
        assert_eq!(article.authors, ["Ingrid Holm"]);
        assert_eq!(article.body.len(), 2, "{:?}", article.body);
    }

    #[test]
    fn an_author_bio_box_under_the_story_is_left_out() {
        let bio = "<p class=\"author-bio\">Ingrid Holm has covered transport for the Post since 2015. She previously worked at the Calder Gazette.</p>";
        for (header, after) in [
            (
                "",
                format!(
                    "<div class=\"author-info\"><div class=\"author-avatar\"><img src=\"/a.jpg\" alt=\"\"></div><div class=\"author-description\"><h2 class=\"author-title\">Ingrid Holm</h2>{bio}</div></div>"
                ),
            ),
            (
                "",
                format!("<section class=\"about-the-author\">{bio}</section>"),
            ),
            ("", format!("<div id=\"author-box\">{bio}</div>")),
            // A byline above the story named so stays the page's byline.
            (
                "<div class=\"author-info\"><span class=\"author\">By Ingrid Holm</span> <span class=\"date\">24 November 2026</span></div>",
                format!("<div class=\"author_bio_wrap\">{bio}</div>"),
            ),
        ] {
            let html = format!(
                "<html><head><title>Rail Line Returns</title></head><body><article>\
                 <header><h1>Rail Line Returns</h1>{header}</header><div class=\"entry-content\">{BODY}</div>{after}</article></body></html>"
            );
            let article = page(html.as_bytes(), None);
            assert_eq!(article.body.len(), 2, "{after}: {:?}", article.body);
            if !header.is_empty() {
                assert_eq!(article.authors, ["Ingrid Holm"]);
            }
        }
    }

    #[test]
    fn a_print_edition_note_under_the_story_is_left_out() {
        for note in [
            "<p>A version of this article appears in print on Nov. 25, 2026, Section A, Page 1 of the New York edition with the headline: Rail Line Returns. <a href=\"/r\">Order Reprints</a> | <a href=\"/p\">Today's Paper</a> | <a href=\"/s\">Subscribe</a></p>",
            "<p>A version of this story appeared in print on November 25, 2026.</p>",
        ] {
            let html = format!(
                "<html><head><title>Rail Line Returns</title></head><body><article>\
                 <h1>Rail Line Returns</h1><section name=\"articleBody\">{BODY}<div class=\"bottom-of-article\">{note}</div></section></article></body></html>"
            );
            let article = page(html.as_bytes(), None);
            assert_eq!(article.body.len(), 2, "{note}: {:?}", article.body);
        }
    }

    #[test]
    fn an_author_in_a_plain_wrapper_beside_a_date_in_a_meta_box_dates_the_page() {
        let at = |t: &str| Some(t.parse::<DateTime<Utc>>().unwrap());
        for author in [
            "<div><a class=\"author-name\" href=\"/lena\">Lena Berg</a></div>",
            "<span><a class=\"author-name\" href=\"/lena\">Lena Berg</a></span>",
            "<div><span class=\"author\">Lena Berg</span></div>",
            "<img class=\"avatar\" src=\"/lena.jpg\" alt=\"\"><div><img src=\"/badge.png\" alt=\"\"><a class=\"author-name\" href=\"/lena\">Lena Berg</a></div>",
        ] {
            let html = format!(
                "<html><head><title>Rail Line Returns</title></head><body>\
                 <h1>Rail Line Returns</h1><div class=\"meta\">{author}<p class=\"date\">24 November 2026</p></div>\
                 {BODY}</body></html>"
            );
            let article = page(html.as_bytes(), None);
            assert_eq!(article.published, at("2026-11-24T00:00:00Z"), "{author}");
            assert_eq!(article.authors, ["Lena Berg"], "{author}");
            assert_eq!(article.body.len(), 2, "{author}: {:?}", article.body);
        }
    }

    #[test]
    fn a_standfirst_heading_right_under_the_headline_in_the_text_is_its_first_paragraph() {
        let deck = "The harbour line will carry passengers again from next spring";
        for html in [
            format!(
                "<article><h1>Rail Line Returns</h1><h2 class=\"c-subheadline\">{deck}</h2>{BODY}</article>"
            ),
            format!(
                "<div class=\"post\"><h1>Rail Line Returns</h1><h3 class=\"subtitle\">{deck}</h3>{BODY}</div>"
            ),
            format!(
                "<article><h1>Rail Line Returns</h1><h2>{deck}</h2><div class=\"body\">{BODY}</div></article>"
            ),
        ] {
            let html = format!(
                "<html><head><title>Rail Line Returns</title></head><body>{html}</body></html>"
            );
            let article = page(html.as_bytes(), None);
            assert_eq!(article.body[0].text, deck, "{html}");
            assert_eq!(article.body[0].kind, BlockKind::Paragraph, "{html}");
            assert_eq!(article.body.len(), 3, "{html}: {:?}", article.body);
        }
    }

    #[test]
    fn a_gallerys_counter_or_pager_is_no_paragraph() {
        let figures = "<figure><img src=\"/g/1.jpg\"><figcaption>The old station. Photo: Ana Ruiz</figcaption></figure>\
                       <figure><img src=\"/g/2.jpg\"><figcaption>The new platform. Photo: Tom Reyes</figcaption></figure>";
        for chrome in [
            "<div class=\"counter\">1 / 2</div>",
            "<span>1 of 2</span>",
            "<div class=\"pager\"><span>1</span><span>2</span></div>",
            "<div class=\"header\">&#x1F4F7; 2 photos</div>",
        ] {
            for gallery in [
                format!("<div class=\"gallery\">{chrome}{figures}</div>"),
                format!("<div class=\"gallery\">{figures}{chrome}</div>"),
            ] {
                let html = format!(
                    "<html><head><title>Rail Line Returns</title></head><body><article>\
                     <h1>Rail Line Returns</h1>{gallery}{BODY}</article></body></html>"
                );
                let article = page(html.as_bytes(), None);
                assert_eq!(article.captions.len(), 2, "{gallery}");
                assert_eq!(article.body.len(), 2, "{gallery}: {:?}", article.body);
            }
        }
    }

    #[test]
    fn a_dateline_dates_the_page_and_its_byline_names_the_authors() {
        let read = |meta: &str, dateline: &str| {
            let html = format!(
                "<html><head><title>Rail Line Returns</title>{meta}</head><body><article><h1>Rail Line Returns</h1>{dateline}{BODY}</article></body></html>"
            );
            page(html.as_bytes(), None)
        };
        let at = |t: &str| Some(t.parse::<DateTime<Utc>>().unwrap());
        // The page's only date is the line under its headline.
        let article = read(
            "",
            "<p class=\"date\">Tuesday, 3 November 2026 06:10 GMT</p>",
        );
        assert_eq!(article.published, at("2026-11-03T06:10:00Z"));
        assert_eq!(article.body.len(), 2, "{:?}", article.body);
        // Beside a reading time, or with the update beside it; in a box
        // left out of the text as furniture, too.
        let day = "2026-11-03T00:00:00Z";
        let published = "2026-11-03T06:10:00Z";
        for (dateline, expected) in [
            ("<p>3 November 2026 · 4 min read</p>", day),
            ("<p>4 min read · Nov 3, 2026</p>", day),
            ("<p>Nov 3, 2026 | 4 min read</p>", day),
            (
                "<p class=\"dateline\">3 November 2026 · 4 min read</p>",
                day,
            ),
            (
                "<p><time datetime=\"2026-11-03T00:00:00Z\">3 November 2026</time> · 4 min read</p>",
                day,
            ),
            (
                "<p>Published 3 November 2026, 06:10 · Updated 3 November 2026, 21:07</p>",
                published,
            ),
            (
                "<div class=\"dateline\">Published 3 November 2026, 06:10 · Updated 3 November 2026, 21:07</div>",
                published,
            ),
            ("<div class=\"date\">November 3, 2026</div>", day),
            ("<div>November 3, 2026</div>", day),
        ] {
            let article = read("", dateline);
            assert_eq!(article.published, at(expected), "{dateline}");
            assert_eq!(article.body.len(), 2, "{dateline}: {:?}", article.body);
        }
        // A byline that ends with the date, marked as the byline or not.
        for dateline in [
            "<p>By Ana Ruiz, 3 November 2026 06:10 GMT</p>",
            "<p class=\"byline\">By Ana Ruiz, 3 November 2026 06:10 GMT</p>",
            "<p>By Ana Ruiz | November 3, 2026 06:10 GMT</p>",
        ] {
            let article = read("", dateline);
            assert_eq!(article.published, at(published), "{dateline}");
            assert_eq!(article.authors, ["Ana Ruiz"], "{dateline}");
            assert_eq!(article.body.len(), 2, "{dateline}: {:?}", article.body);
        }
        // A meta box of a byline and a date line, each an element of its
        // own, with no `<time>`: in either order, left out as furniture or
        // not, glued or spaced.
        for dateline in [
            "<div class=\"entry-meta\"><span class=\"byline\">By Ana Ruiz</span> <span class=\"posted-on\">November 3, 2026</span></div>",
            "<div class=\"entry-meta\"><div class=\"byline\">By Ana Ruiz</div><div class=\"posted-on\">November 3, 2026</div></div>",
            "<div class=\"entry-meta\"><p class=\"byline\">By Ana Ruiz</p><p class=\"posted-on\">November 3, 2026</p></div>",
            "<div class=\"entry\"><span class=\"author\">By Ana Ruiz</span> <span>November 3, 2026</span></div>",
            "<div class=\"entry-meta\"><span class=\"posted-on\">November 3, 2026</span> <span class=\"byline\">By Ana Ruiz</span></div>",
        ] {
            let article = read("", dateline);
            assert_eq!(article.published, at(day), "{dateline}");
            assert_eq!(article.authors, ["Ana Ruiz"], "{dateline}");
            assert_eq!(article.body.len(), 2, "{dateline}: {:?}", article.body);
        }
        // A box with a part that is neither dates nothing.
        let article = read(
            "",
            "<div class=\"entry-meta\"><span>By Ana Ruiz</span> <a href=\"/rail\">Rail works end</a> <span>November 3, 2026</span></div>",
        );
        assert_eq!(article.published, None);
        let article = read("", "<p>Updated: 4 November 2026 08:00 GMT</p>");
        assert_eq!(article.published, at("2026-11-04T08:00:00Z"));
        // A line with both dates gives both.
        let article = read(
            "",
            "<p>Publié le 3 novembre 2026 à 06h10, modifié le 4 novembre 2026 à 08h00</p>",
        );
        assert_eq!(article.published, at("2026-11-03T06:10:00Z"));
        assert_eq!(article.updated, at("2026-11-04T08:00:00Z"));
        assert_eq!(article.body.len(), 2, "{:?}", article.body);
        // The page's metadata comes first.
        let meta = "<meta property=\"article:published_time\" content=\"2026-11-02T10:00:00Z\">";
        let article = read(meta, "<p>3 November 2026 06:10 GMT</p>");
        assert_eq!(article.published, at("2026-11-02T10:00:00Z"));
        // The byline beside the `<time>` names the authors, split as a
        // dump's byline is.
        for (dateline, authors) in [
            (
                "<p>By Ana Ruiz · <time datetime=\"2026-11-03T06:10:00Z\">3 November 2026</time></p>",
                &["Ana Ruiz"][..],
            ),
            (
                "<p>By Ana Ruiz and Tom Reyes | <time datetime=\"2026-11-03T06:10:00Z\">3 November</time></p>",
                &["Ana Ruiz", "Tom Reyes"],
            ),
            (
                "<p>By Ana Ruiz, <time datetime=\"2026-11-03T06:10:00Z\">3 November</time></p>",
                &["Ana Ruiz"],
            ),
            // In a container left out of the text as furniture, and
            // broken from its `<time>` by a line break.
            (
                "<p class=\"dateline\">By Ana Ruiz · <time datetime=\"2026-11-03T06:10:00Z\">3 November 2026</time></p>",
                &["Ana Ruiz"],
            ),
            (
                "<div class=\"meta\">By Ana Ruiz<br><time datetime=\"2026-11-03T06:10:00Z\">3 November 2026</time></div>",
                &["Ana Ruiz"],
            ),
            (
                "<div class=\"meta\">By Ana Ruiz <time datetime=\"2026-11-03T06:10:00Z\">3 November 2026</time></div>",
                &["Ana Ruiz"],
            ),
            (
                "<div class=\"meta\">Written by Ana Ruiz · <time datetime=\"2026-11-03T06:10:00Z\">3 November 2026</time></div>",
                &["Ana Ruiz"],
            ),
            (
                "<p>Written by Ana Ruiz · <time datetime=\"2026-11-03T06:10:00Z\">3 November 2026</time></p>",
                &["Ana Ruiz"],
            ),
        ] {
            let article = read("", dateline);
            assert_eq!(article.authors, authors, "{dateline}");
            assert_eq!(article.published, at("2026-11-03T06:10:00Z"), "{dateline}");
            assert_eq!(article.body.len(), 2, "{dateline}: {:?}", article.body);
        }
        // A byline of its own above the story, in a plain paragraph.
        for (byline, authors) in [
            (
                "<p>By Ana Ruiz and Tom Reyes</p>",
                &["Ana Ruiz", "Tom Reyes"][..],
            ),
            ("<p>Written by Ana Ruiz</p>", &["Ana Ruiz"]),
            ("<div>By Ana Ruiz, Westport Herald</div>", &["Ana Ruiz"]),
        ] {
            let article = read("", byline);
            assert_eq!(article.authors, authors, "{byline}");
            assert_eq!(article.body.len(), 2, "{byline}: {:?}", article.body);
        }
        // A sentence that starts with "By" stays.
        let article = read(
            "",
            "<p>By the time the last ferry left, the harbour was dark.</p>",
        );
        assert_eq!(article.body.len(), 3, "{:?}", article.body);
        let meta = "<meta name=\"author\" content=\"Lena Berg\">";
        let dateline =
            "<p>By Ana Ruiz · <time datetime=\"2026-11-03T06:10:00Z\">3 November</time></p>";
        assert_eq!(read(meta, dateline).authors, ["Lena Berg"]);
    }

    #[test]
    fn a_byline_of_several_authors_ending_with_a_dated_line_is_no_paragraph() {
        let read = |dateline: &str| {
            let html = format!(
                "<html><head><title>Rail Line Returns</title></head><body><article><h1>Rail Line Returns</h1>{dateline}{BODY}</article></body></html>"
            );
            page(html.as_bytes(), None)
        };
        let at = |t: &str| Some(t.parse::<DateTime<Utc>>().unwrap());
        let published = at("2026-11-24T10:15:00Z");
        // However many the authors, whatever the separator and the label
        // of the date line, and with an update beside it.
        for (dateline, authors) in [
            (
                "<p>By Ana Ruiz and Tom Reyes | Published 24 November 2026, 10:15 GMT</p>",
                &["Ana Ruiz", "Tom Reyes"][..],
            ),
            (
                "<p>By Ana Ruiz, Tom Reyes and Lars Berg | Updated 24 November 2026, 10:15 GMT</p>",
                &["Ana Ruiz", "Tom Reyes", "Lars Berg"],
            ),
            (
                "<p>By Ana Ruiz and Tom Reyes · Published 24 November 2026, 10:15 GMT</p>",
                &["Ana Ruiz", "Tom Reyes"],
            ),
            (
                "<p>By Ana Ruiz - Published 24 November 2026, 10:15 GMT</p>",
                &["Ana Ruiz"],
            ),
            (
                "<p>Words by Ana Ruiz, Tom Reyes, Lars Berg and Eva Lind - Published 24 November 2026, 10:15 GMT</p>",
                &["Ana Ruiz", "Tom Reyes", "Lars Berg", "Eva Lind"],
            ),
            (
                "<p>By Ana Ruiz and Tom Reyes | Published 24 November 2026, 10:15 GMT · Updated 24 November 2026, 12:40 GMT</p>",
                &["Ana Ruiz", "Tom Reyes"],
            ),
        ] {
            let article = read(dateline);
            assert_eq!(article.published, published, "{dateline}");
            assert_eq!(article.authors, authors, "{dateline}");
            assert_eq!(article.body.len(), 2, "{dateline}: {:?}", article.body);
        }
        // A byline and a date line in one paragraph, parted only by the
        // elements that hold them.
        for dateline in [
            "<p><strong>By Ana Ruiz</strong> <em>24 November 2026, 10:15 GMT</em></p>",
            "<p><span>By Ana Ruiz</span><span>Published 24 November 2026, 10:15 GMT</span></p>",
            "<div><b>By Ana Ruiz</b> <i>24 November 2026, 10:15 GMT</i></div>",
        ] {
            let article = read(dateline);
            assert_eq!(article.published, published, "{dateline}");
            assert_eq!(article.authors, ["Ana Ruiz"], "{dateline}");
            assert_eq!(article.body.len(), 2, "{dateline}: {:?}", article.body);
        }
        // A sentence that opens with `By` and ends with a date stays.
        let sentence = "By the time the new line opens, the council expects some four thousand passengers a day | 24 November 2026";
        let article = read(&format!("<p>{sentence}</p>"));
        assert_eq!(article.body[0].text, sentence);
        // So does a paragraph with a bold name and an emphasised date in it.
        let article = read(
            "<p><strong>Ana Ruiz</strong> will lead the works, which start on <em>24 November 2026</em>.</p>",
        );
        assert_eq!(article.body.len(), 3, "{:?}", article.body);
    }

    #[test]
    fn a_line_break_in_a_heading_parts_its_words() {
        for title in ["", "<title>Ferry strike halts crossings to islands</title>"] {
            let html = format!(
                "<html><head>{title}</head><body><article><h1>Ferry strike halts<br>crossings to islands</h1>\
                 {BODY}<h2>What the<br>union says</h2>{}</article></body></html>",
                BODY.replace("council", "mayor")
            );
            let article = page(html.as_bytes(), None);
            assert_eq!(
                article.title, "Ferry strike halts crossings to islands",
                "{title}"
            );
            assert_eq!(subheads(&article), ["What the union says"], "{title}");
        }
    }

    #[test]
    fn screen_reader_labels_are_no_part_of_captions_or_credits() {
        let html = format!(
            "<html><head><title>Rail Line Returns</title></head><body><article><h1>Rail Line Returns</h1>\
             <figure><img src=\"https://post.example/a.jpg\"><span class=\"credit\"><span class=\"visually-hidden\">Image source, </span>Ana Ruiz</span>\
             <figcaption><span class=\"sr-only\">Image caption, </span>The old station in 1962</figcaption></figure>\
             <p><span class=\"screen-reader-text\">Advertisement</span>{}</p>{BODY}</article></body></html>",
            "The line's old timetable, found in the station's attic, shows eleven trains a day in 1962."
        );
        let article = page(html.as_bytes(), None);
        assert_eq!(article.captions[0].text, "The old station in 1962");
        assert!(
            article.body[0].text.starts_with("The line's"),
            "{:?}",
            article.body
        );
        let html = format!(
            "<html><head><title>Rail Line Returns</title></head><body><article><h1>Rail Line Returns</h1>\
             <figure><img src=\"https://post.example/a.jpg\"><figcaption>The old station in 1962\
             <span class=\"credit\"><span class=\"visually-hidden\">Image source, </span>Ana Ruiz</span></figcaption></figure>{BODY}</article></body></html>"
        );
        let caption = &page(html.as_bytes(), None).captions[0];
        assert_eq!(caption.text, "The old station in 1962");
        assert_eq!(caption.credit.as_deref(), Some("Ana Ruiz"));
    }

    #[test]
    fn ad_slots_and_breadcrumbs_stay_out_of_the_story() {
        let ads = "<div class=\"ad ad-slot\"><p>Advertisement</p><p>Sponsored: Cruise the fjords this summer from 499 euros per person</p></div>\
            <div id=\"advert-2\"><p>Compare broadband deals in your street and save up to 200 euros today</p></div>\
            <aside class=\"gpt-ad\"><p>Book now</p></aside>\
            <div class=\"sponsored-links\"><p>Five gadgets every commuter needs, chosen by our partners</p></div>";
        let crumbs = [
            "<div class=\"breadcrumb\"><a href=\"/\">Home</a> &gt; <a href=\"/news\">News</a> &gt; Rail Line Returns</div>",
            "<ul class=\"breadcrumbs\"><li><a href=\"/\">Home</a></li><li>Local</li></ul>",
            "<div aria-label=\"Breadcrumb\"><a href=\"/\">Home</a> / Rail Line Returns</div>",
        ];
        let first_paragraph = &BODY[..BODY.find("</p>").unwrap() + 4];
        let rest = &BODY[first_paragraph.len()..];
        for crumb in crumbs {
            let html = format!(
                "<html><head><title>Rail Line Returns</title></head><body><article>{crumb}<h1>Rail Line Returns</h1>\
                 {first_paragraph}{ads}{rest}</article></body></html>"
            );
            let article = page(html.as_bytes(), None);
            assert_eq!(article.body.len(), 2, "{crumb}: {:?}", article.body);
            assert!(
                article.body.iter().all(|b| b.text.contains("council")),
                "{crumb}: {:?}",
                article.body
            );
        }
        // A word that only starts like one is no ad slot.
        let html = format!(
            "<html><head><title>Rail Line Returns</title></head><body><article>{BODY}\
             <div class=\"address\"><p>{}</p></div></article></body></html>",
            "Residents can write to the council at the town hall, Quay Street, until the end of the month."
        );
        assert_eq!(page(html.as_bytes(), None).body.len(), 3);
    }

    #[test]
    fn a_headline_in_a_script_without_spaces_is_not_repeated_in_the_body() {
        let html = format!(
            "<html><head><title>港の鉄道が復活へ - Harbour Post</title></head><body><article><h1>港の鉄道が復活へ</h1>{BODY}</article></body></html>"
        );
        let article = page(html.as_bytes(), None);
        assert_eq!(article.title, "港の鉄道が復活へ");
        assert_eq!(article.body.len(), 2, "{:?}", article.body);
    }

    #[test]
    fn a_site_name_joined_to_the_title_without_spaces_is_no_part_of_the_headline() {
        let headline = "国务院常务会议部署推动城市更新行动";
        for sep in ["_", "-", "——"] {
            let html = format!(
                "<html><head><title>{headline}{sep}新华网</title><meta property=\"og:site_name\" content=\"新华网\"></head>\
                 <body><div class=\"header\"><h1 class=\"logo\">新华网</h1></div><div class=\"main\"><h2>{headline}</h2>{BODY}</div></body></html>"
            );
            let article = page(html.as_bytes(), None);
            assert_eq!(article.title, headline, "{sep}");
            assert!(subheads(&article).is_empty(), "{sep}: {:?}", article.body);
        }
    }

    #[test]
    fn a_cookie_consent_wall_is_no_article() {
        let html = "<html><head><title>Before you continue</title></head><body>\
            <div class=\"consent-page\" id=\"cookie-consent\"><h1>Before you continue to our site</h1>\
            <p>We use cookies and data to deliver and maintain our services, such as tracking outages and protecting against spam and abuse.</p>\
            <p>If you choose to accept all, we will also use cookies and data to develop and improve new services and to measure the effectiveness of ads.</p>\
            <form><button>Reject all</button><button>Accept all</button></form></div></body></html>";
        let source = PageSource {
            location: "wall.html",
            ..PageSource::default()
        };
        let no_article = PageError::NoArticle {
            location: "wall.html".into(),
        };
        assert_eq!(extract(html.as_bytes(), &source).unwrap_err(), no_article);
        // Named as nothing in particular, the wall is told by its text and
        // its buttons.
        let plain = html
            .replace(
                "class=\"consent-page\" id=\"cookie-consent\"",
                "class=\"fc-dialog\"",
            )
            .replace("<h1>Before you continue to our site</h1>", "");
        assert_eq!(extract(plain.as_bytes(), &source).unwrap_err(), no_article);
        // In German, French or Spanish, as in English.
        let german = "<html><head><title>Hafen: Stadtrat billigt Ausbau</title></head><body>\
            <div class=\"fc-dialog\"><p>Wir und unsere Partner verwenden Cookies und ähnliche Technologien, um Inhalte zu personalisieren und Werbung anzuzeigen.</p>\
            <p>Sie können Ihre Zustimmung jederzeit in den Cookie-Einstellungen widerrufen.</p>\
            <button>Alle akzeptieren</button><button>Ablehnen</button></div></body></html>";
        assert_eq!(extract(german.as_bytes(), &source).unwrap_err(), no_article);
        for (accept, reject) in [
            ("Tout accepter", "Tout refuser"),
            ("Aceptar todo", "Rechazar"),
        ] {
            let wall = german
                .replace("Alle akzeptieren", accept)
                .replace("Ablehnen", reject);
            assert_eq!(extract(wall.as_bytes(), &source).unwrap_err(), no_article);
        }
        // A page with a cookie box and other text has an article.
        let article = plain.replace(
            "<form>",
            "<p>The bakery on Quay Street sold out by ten in the morning, its owner said.</p><form>",
        );
        assert!(extract(article.as_bytes(), &source).is_ok());
    }

    #[test]
    fn the_part_json_ld_marks_as_subscriber_only_is_the_articles_text() {
        let source = PageSource {
            location: "pw.html",
            ..PageSource::default()
        };
        let page = |ld: &str| {
            format!(
                "<html><head><title>Mayor Faces Questions</title>{ld}</head><body><article><h1>Mayor Faces Questions</h1><div class=\"article-body\">\
                 <p>Mayor Owen Price faced sharp questions on Monday over a harbour dredging contract awarded without a public tender.</p>\
                 <p>The contract, worth 3.2 million euros, was signed in August under an emergency procedure and never put to a vote.</p>\
                 <p>Opposition councillors demanded an inquiry and asked the regional auditor to examine the file before December.</p>\
                 <div class=\"paywall\"><p>The firm lists its address as a flat above a bakery on Quay Street, according to the register.</p>\
                 <p>The auditor's office said it would decide within a week whether to open an investigation.</p></div></div></article></body></html>"
            )
        };
        let paragraphs = |html: String| {
            extract(html.as_bytes(), &source)
                .unwrap()
                .article
                .body
                .len()
        };
        let marked = r#"<script type="application/ld+json">{"@type":"NewsArticle","isAccessibleForFree":false,
            "hasPart":{"@type":"WebPageElement","isAccessibleForFree":false,"cssSelector":".paywall"}}</script>"#;
        assert_eq!(paragraphs(page(marked)), 5);
        // Unmarked, a box so named is left out.
        assert_eq!(paragraphs(page("")), 3);
    }

    #[test]
    fn a_listing_of_teasers_is_no_article() {
        let source = PageSource {
            location: "category.html",
            ..PageSource::default()
        };
        let teaser = |slug: &str, title: &str| {
            format!(
                "<article class=\"post\"><h2 class=\"entry-title\"><a href=\"/2026/11/{slug}/\">{title}</a></h2>\
                 <div class=\"entry-summary\"><p>Contractors will work two shifts at the northern quay through the winter to make up for weeks lost to storms&hellip; \
                 <a href=\"/2026/11/{slug}/\">Continue reading</a></p></div></article>"
            )
        };
        let listing = format!(
            "<html><head><title>Local News Archives</title><meta property=\"og:type\" content=\"website\"></head><body class=\"archive\">\
             <main><h1>Category: <span>Local News</span></h1>{}{}<nav><a href=\"/page/2/\">Older posts</a></nav></main></body></html>",
            teaser("harbour", "Harbour works to continue"),
            teaser("budget", "Council approves budget")
        );
        let told = PageError::Listing {
            location: "category.html".into(),
        };
        assert_eq!(extract(listing.as_bytes(), &source).unwrap_err(), told);
        assert_eq!(
            told.to_string(),
            "category.html: a listing page (a category, tag, author or search archive), not an article: not published"
        );
        // A JSON-LD collection is a listing too, and a page that declares
        // an article is one whatever its shape.
        let collection = "<html><head><title>Local News</title><script type=\"application/ld+json\">{\"@type\":\"CollectionPage\"}</script></head><body><main>\
             <p>Contractors will work two shifts at the northern quay through the winter to make up for the weeks lost to storms in October.</p></main></body></html>";
        assert_eq!(extract(collection.as_bytes(), &source).unwrap_err(), told);
        let declared = listing.replace("content=\"website\"", "content=\"article\"");
        assert!(extract(declared.as_bytes(), &source).is_ok());
    }

    #[test]
    fn a_paywall_or_sign_in_wall_is_no_article() {
        let source = PageSource {
            location: "wall.html",
            ..PageSource::default()
        };
        let no_article = PageError::NoArticle {
            location: "wall.html".into(),
        };
        let wall = "<html><head><title>Harbour dredging to start in spring | Westport Herald</title></head><body><article>\
            <h1>Harbour dredging to start in spring</h1>\
            <div class=\"paywall-prompt\"><h2>Keep reading with a subscription</h2>\
            <p>Subscribe to the Westport Herald to keep reading this story. Subscribers get unlimited access to every article and our archive, from just one pound a week.</p>\
            <a class=\"button\" href=\"/subscribe\">Subscribe now</a></div></article></body></html>";
        assert_eq!(extract(wall.as_bytes(), &source).unwrap_err(), no_article);
        // Named as nothing in particular, and a sign-in form as well.
        let sign_in = "<html><head><title>Sign in | Westport Herald</title></head><body><main>\
            <h1>Sign in to the Westport Herald</h1>\
            <p>Readers with an account can read every story. Sign in with your email address, or create an account to continue reading.</p>\
            <form><input name=\"email\"><input name=\"password\" type=\"password\"><button>Sign in</button></form></main></body></html>";
        assert_eq!(
            extract(sign_in.as_bytes(), &source).unwrap_err(),
            no_article
        );
        // A paywall that shows the story's first paragraph leaves that much.
        let lead = wall.replace(
            "<div class=\"paywall-prompt\">",
            "<p>Dredging of the inner harbour will begin in March, the port authority said on Monday, after two years of delays over the cost.</p><div class=\"paywall-prompt\">",
        );
        let page = extract(lead.as_bytes(), &source).unwrap();
        assert!(
            page.article.body[0]
                .text
                .starts_with("Dredging of the inner harbour")
        );
        // A story about subscriptions is a story.
        let story = "<html><head><title>Streaming service loses subscribers</title></head><body><article>\
            <h1>Streaming service loses subscribers</h1>\
            <p>The streaming service lost two million subscribers in the third quarter, its first fall in subscriptions since it was launched.</p>\
            <p>Analysts said the rise in the price of a subscription in July had driven subscribers away.</p>\
            </article><a href=\"/newsletter\">Subscribe</a></body></html>";
        assert_eq!(
            extract(story.as_bytes(), &source).map(|p| p.article.body.len()),
            Ok(2)
        );
    }

    #[test]
    fn a_redirect_stub_names_the_page_it_refreshes_to() {
        let url = Url::parse("https://harbour.example/r/ferry").unwrap();
        let source = PageSource {
            location: "https://harbour.example/r/ferry",
            url: Some(&url),
            ..PageSource::default()
        };
        let stub = "<!doctype html><html><head><meta http-equiv=\"Refresh\" content=\"0; url=/news/2026/12/ferry\"><title>Redirecting</title></head>\
            <body><p>If you are not redirected automatically, follow this <a href=\"/news/2026/12/ferry\">link to the story</a>.</p></body></html>";
        assert_eq!(
            extract(stub.as_bytes(), &source).unwrap_err(),
            PageError::Refreshes {
                location: "https://harbour.example/r/ferry".into(),
                to: "https://harbour.example/news/2026/12/ferry".into(),
            }
        );
        // A page that reloads itself, or a whole story that refreshes to
        // another page after a while, is read.
        let reload = stub.replace("0; url=/news/2026/12/ferry", "300");
        assert!(extract(reload.as_bytes(), &source).is_ok());
        let long = stub.replace(
            "</body>",
            &format!(
                "<article>{}</article></body>",
                (1..=8)
                    .map(|n| format!("<p>Crossing {n} of the new ferry timetable leaves the harbour at {n} in the evening for the islands of Marrow and Tessel, the council said, after months of complaints.</p>"))
                    .collect::<String>()
            ),
        );
        assert!(extract(long.as_bytes(), &source).is_ok());
    }

    #[test]
    fn a_page_not_found_answered_with_200_is_no_article() {
        let source = PageSource {
            location: "gone.html",
            ..PageSource::default()
        };
        for (title, h1, text) in [
            (
                "Page not found - Westport Herald",
                "Sorry, we couldn't find that page",
                "The page you were looking for may have been moved, deleted or may never have existed. Try searching our site or go back to the home page.",
            ),
            (
                "404 | Westport Herald",
                "Error 404",
                "We can't find the page you requested. It may have been removed or its address may have changed since you saved it.",
            ),
        ] {
            let html = format!(
                "<html><head><title>{title}</title></head><body><main><h1>{h1}</h1><p>{text}</p></main></body></html>"
            );
            let err = extract(html.as_bytes(), &source).unwrap_err();
            assert_eq!(
                err.to_string(),
                "gone.html: a \"page not found\" page, answered as if found: no article",
                "{title}"
            );
        }
        // Whatever it calls what is missing, and a page whose `<title>`
        // or WordPress's `error404` class says so under any headline.
        for (title, body_class, h1, text) in [
            (
                "Town Crier",
                "",
                "Hmm, we can't find that",
                "The article you were looking for does not exist. Try searching our archive or go back to the home page.",
            ),
            (
                "Town Crier",
                "",
                "Oh no",
                "The story you are looking for is not here. It may have been taken down.",
            ),
            (
                "Town Crier",
                "",
                "Oh no",
                "Sorry, this page has been moved or deleted.",
            ),
            (
                "Page not found | Town Crier",
                "",
                "Hmm, we can't find that",
                "Try searching our archive or go back to the home page.",
            ),
            (
                "Town Crier",
                "error404 wp-theme",
                "Hmm, we can't find that",
                "Try searching our archive or go back to the home page.",
            ),
        ] {
            let html = format!(
                "<html><head><title>{title}</title></head><body class=\"{body_class}\"><main><h1>{h1}</h1><p>{text}</p></main></body></html>"
            );
            assert_eq!(
                extract(html.as_bytes(), &source).unwrap_err(),
                PageError::NotFound {
                    location: "gone.html".into()
                },
                "{title} {body_class} {text}"
            );
        }
        // A story about something not found is a story.
        let html = "<html><head><title>Missing hiker not found after three days of searching</title></head><body><article><h1>Missing hiker not found after three days of searching</h1>\
            <p>Rescue teams searched the moor for a third day on Thursday without finding the hiker, who set out alone on Monday morning.</p>\
            <p>Police said the search would go on through the weekend, with volunteers from three villages joining the teams.</p></article></body></html>";
        assert!(extract(html.as_bytes(), &source).is_ok());
        // So is a short one that speaks of pages and stories not found.
        let html = "<html><head><title>Council website down for a day</title></head><body><article><h1>Council website down for a day</h1>\
            <p>Residents trying to pay parking fines on Monday were shown a page not found error, as the story they were sent by text had been moved.</p>\
            <p>The council said the article about new fines had been deleted by mistake and the site was working again.</p></article></body></html>";
        assert!(extract(html.as_bytes(), &source).is_ok());
    }

    #[test]
    fn pages_without_article_text_are_errors_naming_the_page() {
        let source = PageSource {
            location: "empty.html",
            ..PageSource::default()
        };
        let err = extract(b"<html><body><script>x()</script></body></html>", &source).unwrap_err();
        assert_eq!(
            err.to_string(),
            "empty.html: no article text found in the page"
        );
        // A page a script fills shows only its placeholder until then.
        for placeholder in ["Loading…", "Loading...", "Loading article", "Please wait…"] {
            let html = format!(
                "<html><head><meta property=\"og:title\" content=\"School roof repairs to finish before winter\"></head>\
                 <body><div id=\"__next\"><div class=\"loading\">{placeholder}</div></div></body></html>"
            );
            let err = extract(html.as_bytes(), &source).unwrap_err();
            assert_eq!(
                err.to_string(),
                "empty.html: no article text found in the page",
                "{placeholder}"
            );
        }
        let err = extract(b"<html>\0\0\0", &source).unwrap_err();
        assert!(
            err.to_string().starts_with("empty.html: binary data"),
            "{err}"
        );
    }

    #[test]
    fn crossheads_classed_header_are_subheads() {
        let section = |head: &str, text: &str| {
            format!("<h3 class=\"header-anchor-post\">{head}</h3><p>{text}</p>")
        };
        let html = format!(
            "<html><head><title>Why the quay deal matters</title></head><body><article>\
             <h1>Why the quay deal matters</h1><div class=\"body markup\">{BODY}{}{}{}</div></article></body></html>",
            section(
                "Who pays for the road",
                "The papers do not say whether the port or the county will pay for the new access road to the quay."
            ),
            section(
                "The dredging permit",
                "Deeper berths need dredging, and the permit for that has not been applied for yet, officials said."
            ),
            section(
                "The fishing lease",
                "The quay is promised to the cooperatives, but the length of their lease is still being negotiated."
            ),
        );
        let article = page(html.as_bytes(), None);
        assert_eq!(
            subheads(&article),
            [
                "Who pays for the road",
                "The dredging permit",
                "The fishing lease"
            ]
        );
    }

    #[test]
    fn a_standfirst_before_a_long_body_is_kept() {
        let story = [
            "The number of ferry sailings cancelled on the island routes fell for the third month running in October, figures show.",
            "There were 212 cancellations in the month, down from 260 in September, according to the ferry operator.",
            "But only 71% of sailings left on time, against a target of 90% set by the transport authority.",
            "The operator said a second relief vessel had helped to keep the timetable running.",
            "Island councillors said the figures showed the fleet was still too old and too small.",
            "The worst month this year was March, when storms cancelled more than 400 sailings.",
        ];
        let body: String = story.iter().map(|p| format!("<p>{p}</p>")).collect();
        let dek = "Fewer sailings cancelled, but punctuality targets are still missed";
        for standfirst in [
            format!("<div class=\"standfirst\"><p>{dek}</p></div>"),
            format!("<p class=\"standfirst\">{dek}</p>"),
            format!("<p>{dek}</p>"),
        ] {
            let html = format!(
                "<html><head><title>Ferry cancellations fall again</title></head><body><article>\
                 <h1>Ferry cancellations fall again</h1>{standfirst}<div class=\"article-body\">{body}</div>\
                 </article></body></html>"
            );
            let article = page(html.as_bytes(), None);
            assert_eq!(article.body[0].text, dek, "{standfirst}");
            assert_eq!(article.body.len(), 7, "{standfirst}");
        }
    }

    /// A page at `https://post.example/news/rail` whose `<head>` holds
    /// `head` and whose article `lead` opens.
    fn page_at_rail(head: &str, lead: &str) -> Article {
        let html = format!(
            "<html><head><title>Rail Line Returns</title>{head}</head><body><article>\
             <h1>Rail Line Returns</h1>{lead}{BODY}</article></body></html>"
        );
        let url = Url::parse("https://post.example/news/rail").unwrap();
        let source = PageSource {
            location: "page.html",
            url: Some(&url),
            ..PageSource::default()
        };
        extract(html.as_bytes(), &source)
            .expect("an article")
            .article
    }

    #[test]
    fn the_lead_image_a_page_declares_is_its_picture_when_its_text_shows_none() {
        let declared = |image: &str, alt: Option<&str>| Caption {
            image: Some(image.into()),
            alt: alt.map(Into::into),
            declared: true,
            ..Caption::default()
        };
        // A lead photo a script draws: only the metadata names it.
        let script_drawn = "<div class=\"lead-photo\" data-component=\"LazyImage\"></div>";
        let og = "<meta property=\"og:image\" content=\"/img/station.jpg\">\
                  <meta property=\"og:image:alt\" content=\"The old station in 1962\">\
                  <meta property=\"og:image:width\" content=\"1200\">\
                  <meta name=\"twitter:image\" content=\"https://post.example/img/card.jpg\">";
        assert_eq!(
            page_at_rail(og, script_drawn).captions,
            [declared(
                "https://post.example/img/station.jpg",
                Some("The old station in 1962")
            )]
        );
        // `twitter:image` when `og:image` is the site's logo; the JSON-LD
        // article's `image` (by its `@id`) when the page has neither.
        let logo_then_card = "<meta property=\"og:image\" content=\"/static/post-logo.png\">\
                  <meta name=\"twitter:image\" content=\"https://post.example/img/card.jpg\">";
        assert_eq!(
            page_at_rail(logo_then_card, script_drawn).captions,
            [declared("https://post.example/img/card.jpg", None)]
        );
        let ld = "<script type=\"application/ld+json\">{\"@graph\": [\
                  {\"@type\": \"NewsArticle\", \"headline\": \"Rail Line Returns\", \"image\": {\"@id\": \"#primaryimage\"}},\
                  {\"@type\": \"ImageObject\", \"@id\": \"#primaryimage\", \"url\": \"https://post.example/img/ld.jpg\", \"width\": 1600, \"height\": 900}]}</script>";
        assert_eq!(
            page_at_rail(ld, script_drawn).captions,
            [declared("https://post.example/img/ld.jpg", None)]
        );
        // An image declared smaller than a photo, or a stand-in, is none.
        for stand_in in [
            "<meta property=\"og:image\" content=\"/img/thumb.jpg\"><meta property=\"og:image:width\" content=\"120\">",
            "<meta property=\"og:image\" content=\"/static/default-share.png\">",
            "<meta property=\"og:image\" content=\"/favicon.ico\">",
        ] {
            assert_eq!(
                page_at_rail(stand_in, script_drawn).captions,
                [],
                "{stand_in}"
            );
        }
        // A caption whose picture is drawn by a script keeps its text,
        // and the declared image stands for the picture.
        let figure = "<figure><div class=\"js-photo\"></div><figcaption>The old station in 1962.</figcaption></figure>";
        let captions = page_at_rail(og, figure).captions;
        assert_eq!(captions.len(), 2, "{captions:?}");
        assert!(captions[0].declared, "{captions:?}");
        assert_eq!(captions[1].text, "The old station in 1962.");
    }

    #[test]
    fn a_page_whose_text_shows_a_picture_keeps_it_alone() {
        let og =
            "<meta property=\"og:image\" content=\"https://post.example/img/station.jpg?w=1200\">";
        for lead in [
            "<img src=\"/img/station.jpg\" alt=\"The old station\" width=\"1200\" height=\"800\">",
            "<figure><img src=\"/img/platform.jpg\"><figcaption>The platform in 1962.</figcaption></figure>",
        ] {
            let captions = page_at_rail(og, lead).captions;
            assert_eq!(captions.len(), 1, "{lead}: {captions:?}");
            assert!(!captions[0].declared, "{lead}");
        }
    }
    /// Six paragraphs of a story about tram fares, in a body box.
    const FARES: &str = "<div class=\"article-body\">\
        <p>Tram fares in the city will rise by six per cent in January, the transport authority said on Friday.</p>\
        <p>A single ticket will cost two euros and ten cents, and a monthly pass fifty-eight euros.</p>\
        <p>The authority said the cost of electricity and of track repairs had risen faster than expected.</p>\
        <p>Passenger groups said the rise would push more people back into their cars.</p>\
        <p>Students and pensioners will keep their discounts, which were due to end next year.</p>\
        <p>The city council will vote on the new fares at its meeting on 18 December.</p></div>";

    const FARES_DEK: &str =
        "The transport authority blames the rise on the cost of electricity and repairs";

    #[test]
    fn a_byline_under_the_standfirst_is_the_pages_metadata() {
        for byline in [
            "<p>By Claire Dubois, 5 December 2026</p>",
            "<p>Written by Claire Dubois, 5 December 2026</p>",
            "<p>Par Claire Dubois</p><p>5 December 2026</p>",
            "<p>By <a href=\"/authors/claire-dubois\">Claire Dubois</a></p><p>5 December 2026</p>",
        ] {
            let html = format!(
                "<html><head><title>Tram fares to rise in January</title></head><body><article>\
                 <header class=\"article-header\"><h1>Tram fares to rise in January</h1>\
                 <p class=\"standfirst\">{FARES_DEK}</p>{byline}</header>{FARES}</article></body></html>"
            );
            let article = page(html.as_bytes(), None);
            assert_eq!(article.authors, ["Claire Dubois"], "{byline}");
            assert_eq!(
                article.published,
                Some("2026-12-05T00:00:00Z".parse::<DateTime<Utc>>().unwrap()),
                "{byline}"
            );
            assert_eq!(article.body[0].text, FARES_DEK, "{byline}");
            assert_eq!(article.body.len(), 7, "{byline}: {:?}", article.body);
        }
    }

    #[test]
    fn a_standfirst_in_a_plain_header_or_a_box_apart_is_the_first_paragraph() {
        for (name, html) in [
            (
                "plain header",
                format!(
                    "<main><article><header><h1 class=\"headline\">Tram fares to rise in January</h1>\
                     <p class=\"dek\">{FARES_DEK}</p><p class=\"byline\">By <span class=\"author\">Claire Dubois</span></p>\
                     <time datetime=\"2026-12-05T09:00:00Z\">Dec. 5, 2026</time></header>{FARES}</article></main>"
                ),
            ),
            (
                "box apart",
                format!(
                    "<main><div class=\"headline-box\"><h1>Tram fares to rise in January</h1></div>\
                     <div class=\"standfirst-box\"><div class=\"standfirst\"><p>{FARES_DEK}</p></div></div>\
                     <div class=\"meta-box\"><address><a rel=\"author\" href=\"/cd\">Claire Dubois</a></address></div>\
                     <div class=\"body-box\">{FARES}</div></main>"
                ),
            ),
        ] {
            let html = format!(
                "<html><head><title>Tram fares to rise in January</title></head><body>{html}</body></html>"
            );
            let article = page(html.as_bytes(), None);
            assert_eq!(article.body[0].text, FARES_DEK, "{name}");
            assert_eq!(article.body.len(), 7, "{name}: {:?}", article.body);
        }
    }

    #[test]
    fn a_kicker_above_the_headline_is_no_text_but_a_date_there_dates_the_article() {
        for kicker in [
            "<h2 class=\"article-header__kicker\">Fares</h2>",
            "<span class=\"kicker\">Fares</span>",
            "<span class=\"kicker\">Fares</span><span>5 December 2026</span>",
        ] {
            let html = format!(
                "<html><head><title>Tram fares to rise in January</title></head><body><article>\
                 <header class=\"article-header\">{kicker}<h1>Tram fares to rise in January</h1>\
                 <p class=\"article-header__intro\">{FARES_DEK}</p><p class=\"byline\">By Claire Dubois</p></header>\
                 {FARES}</article></body></html>"
            );
            let article = page(html.as_bytes(), None);
            assert_eq!(article.body[0].text, FARES_DEK, "{kicker}");
            assert_eq!(article.body.len(), 7, "{kicker}: {:?}", article.body);
            if kicker.contains("2026") {
                assert_eq!(
                    article.published,
                    Some("2026-12-05T00:00:00Z".parse::<DateTime<Utc>>().unwrap()),
                    "{kicker}"
                );
            }
        }
    }

    #[test]
    fn a_standfirst_apart_that_repeats_the_description_is_the_summary_only() {
        let html = format!(
            "<html><head><title>Tram fares to rise in January</title>\
             <meta name=\"description\" content=\"{FARES_DEK}\"></head><body><article>\
             <header><h1>Tram fares to rise in January</h1><p class=\"dek\">{FARES_DEK}</p></header>\
             {FARES}</article></body></html>"
        );
        let article = page(html.as_bytes(), None);
        assert_eq!(article.summary.as_deref(), Some(FARES_DEK));
        assert_eq!(article.body.len(), 6, "{:?}", article.body);
        assert!(article.body[0].text.starts_with("Tram fares in the city"));
    }
}

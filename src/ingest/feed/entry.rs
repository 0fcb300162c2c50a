//! Entries -> articles: each [`RawEntry`] becomes the same [`Article`] a
//! dump gives (a plain-text title, body blocks), plus its absolute link, its
//! upstream id, dates, authors, categories, a plain-text summary, sanitized
//! HTML and captions. Relative links resolve against the `xml:base` in
//! force, else (in the entry's HTML and media) the entry's own link, else the
//! feed's web page, the URL it gives itself, and last the document's URL
//! (without its user name, password and query). An entry without
//! a title takes the start of its text, else its link, its id or the name of
//! its media file; one with none of these is left out, with a warning.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::rc::Rc;

use chrono::{DateTime, Utc};
use url::Url;

use super::inline_media::inline_media;
use super::raw::{Located, RawEntry, RawFeed, RawText};
use super::reader::plain;
use super::shown_pictures::shown_picture_urls;
use super::{FeedFormat, media, timestamp};
use crate::dedup::fingerprint::{self, media_url, paired_key};
use crate::furniture::only_link_labels;
use crate::ingest::date;
use crate::ingest::dump::opens_byline;
use crate::ingest::page::metadata::byline_authors;
use crate::ingest::sanitize::{
    Sanitizer, escape_attribute, link_base, shows_picture, wrapped_text_to_blocks,
};
use crate::model::{Article, Block, Origin};
use crate::normalize::{Names, fold, has_visible, truncate_words, uri_string, written_uri};

/// A title made up from the body, for entries that have none, is at most
/// this many characters (and an ellipsis when it is cut).
const MADE_UP_TITLE_CHARS: usize = 80;

/// A feed's own title and web page, and its entries as articles.
pub(super) struct Mapped {
    pub title: Option<String>,
    pub link: Option<String>,
    pub articles: Vec<Article>,
    /// Each article's entry number (see [`super::ParsedFeed::entry_numbers`]).
    pub entry_numbers: Vec<usize>,
}

/// Maps `feed` to articles; `document_base` is the document's own URL when
/// it is a web URL, `location` names it in each article's origin. What was
/// left out is added to `warnings`.
pub(super) fn map(
    feed: RawFeed,
    format: FeedFormat,
    document_base: Option<&Url>,
    location: &str,
    warnings: &mut Vec<String>,
) -> Mapped {
    let absolute = |l: &Located, base: Option<&Url>| {
        web_url(&l.value, l.base.as_deref().or(base)).and_then(|l| Url::parse(&l).ok())
    };
    let self_link = feed
        .self_link
        .as_ref()
        .and_then(|l| absolute(l, document_base));
    let base = document_base.or(self_link.as_ref());
    let feed_link = feed.link.as_ref().and_then(|l| absolute(l, base));
    let mut mapper = Mapper {
        // The feed's web page, else the URL it gives itself, else the
        // document's.
        fallback_base: feed_link
            .clone()
            .or(self_link)
            .or_else(|| document_base.cloned()),
        feed_authors: if format.is_atom() || format.is_json() {
            feed.authors.into_vec()
        } else {
            Vec::new()
        },
        location,
        warnings,
    };
    let repeated = repeated_ids(&feed.entries);
    let mut articles = Vec::with_capacity(feed.entries.len());
    let mut numbers = Vec::with_capacity(feed.entries.len());
    // The entries left out as malformed keep their numbers.
    let mut number = 0;
    for entry in feed.entries {
        number += 1;
        while feed.left_out.contains(&number) {
            number += 1;
        }
        if let Some(article) = mapper.article(entry, number, &repeated) {
            articles.push(article);
            numbers.push(number);
        }
    }
    know_shared_keys_by_content(&mut articles, &numbers, mapper.warnings);
    Mapped {
        title: feed.title.as_ref().map(plain).filter(|t| !t.is_empty()),
        link: feed_link.map(String::from),
        articles,
        entry_numbers: numbers,
    }
}

struct Mapper<'a> {
    /// What relative URLs resolve against where no `xml:base` applies.
    fallback_base: Option<Url>,
    /// The feed's authors, for entries without their own (Atom and JSON
    /// Feed only: RSS has no such rule).
    feed_authors: Vec<String>,
    location: &'a str,
    warnings: &'a mut Vec<String>,
}

impl Mapper<'_> {
    fn base<'b>(&'b self, located: &'b Option<Rc<Url>>) -> Option<&'b Url> {
        located.as_deref().or(self.fallback_base.as_ref())
    }

    fn article(
        &mut self,
        mut raw: RawEntry,
        position: usize,
        repeated: &HashSet<String>,
    ) -> Option<Article> {
        let mut title = raw
            .title
            .as_ref()
            .or(raw.fallback_title.as_ref())
            .map(plain)
            .unwrap_or_default();
        let mut upstream_id = raw
            .id
            .as_deref()
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(str::to_string);
        // A permalink written relative to an `xml:base` is that URL, as
        // the `url` crate writes it: an id is a key, and keeps the form
        // entries were stored under (the link made of it is a URI:
        // [`web_url`]).
        if raw.id_is_link
            && let (Some(id), Some(base)) = (&upstream_id, &raw.xml_base_at_id)
            && Url::parse(id) == Err(url::ParseError::RelativeUrlWithoutBase)
        {
            upstream_id = link_base(base)
                .and_then(|base| base.join(id).ok())
                .filter(is_web)
                .map(String::from)
                .or(upstream_id);
        }
        let link = raw
            .link
            .as_ref()
            .and_then(|l| web_url(&l.value, self.base(&l.base)))
            .or_else(|| {
                let id = upstream_id.as_deref().filter(|_| raw.id_is_link)?;
                web_url(id, None)
            });
        // The entry's HTML and media were written for its own page.
        let page = link.as_deref().and_then(|l| Url::parse(l).ok());
        let entry_base = raw
            .base
            .as_deref()
            .or(page.as_ref())
            .or(self.fallback_base.as_ref())
            .cloned();
        let upstream_key = match (&upstream_id, &link) {
            (Some(id), Some(link)) if repeated.contains(id) => Some(paired_key(id, link)),
            (Some(id), _) => Some(id.clone()),
            (None, Some(link)) => Some(fingerprint::entry_link_key(link)),
            (None, None) => None,
        };
        let summary_text = raw.summary.as_ref().or(raw.media_summary.as_ref());
        let summary = summary_text
            .map(plain)
            .filter(|s| !s.is_empty() && !only_link_labels(s));
        let summary_source: Option<(&RawText, &Option<Rc<Url>>)> = raw
            .second_summary
            .as_ref()
            .filter(|second| !summary_text.is_some_and(|first| marks_up(first, second)))
            .or(summary_text)
            .map(|s| (s, &raw.summary_base));
        let content_source = raw.content.as_ref().map(|c| (&c.value, &c.base));
        let mut pictures_in_html = HashSet::new();
        let (mut content_html, mut blocks, played) = match content_source.or(summary_source) {
            Some((text, base)) => {
                let base = base.as_deref().or(entry_base.as_ref()).cloned();
                pictures_in_html = pictures_shown(text, base.as_ref());
                self.content(text, base.as_ref())
            }
            None => (None, Vec::new(), Vec::new()),
        };
        // Content with no text (a picture alone, `<p>&nbsp;</p>`, a link
        // label such as `Continue reading →`) leaves the entry's words to
        // its summary, as an empty content does: they are its text, after
        // the pictures the content shows.
        if content_source.is_some()
            && blocks
                .iter()
                .all(|block| !has_visible(&block.text) || only_link_labels(&block.text))
            && let Some((text, base)) = summary_source
        {
            let base = base.as_deref().or(entry_base.as_ref()).cloned();
            pictures_in_html.extend(pictures_shown(text, base.as_ref()));
            let (summary_html, summary_blocks, summary_played) = self.content(text, base.as_ref());
            let pictures = content_html.filter(|html| shows_picture(html));
            content_html = match (pictures, summary_html) {
                (Some(pictures), summary_html) => Some(
                    pictures + &summary_html.unwrap_or_else(|| paragraphs_html(&summary_blocks)),
                ),
                (None, summary_html) => summary_html,
            };
            blocks = summary_blocks;
            raw.media.enclosures.extend(summary_played);
        }
        // Link labels alone (`Continue reading →`, an aggregator's
        // `Comments`) are no text of the entry's own.
        if !blocks.is_empty() && blocks.iter().all(|b| only_link_labels(&b.text)) {
            blocks.clear();
            content_html = content_html.filter(|html| shows_picture(html));
        }
        // What the HTML plays inline is the entry's media too.
        raw.media.enclosures.extend(played);
        let body = fold_body(&title, blocks);
        if !has_visible(&title) {
            title = made_up_title(&body, summary.as_deref());
        }
        if !has_visible(&title) {
            // Nothing to read: named by its link, its id or its media file.
            let media = raw.media.first_url().map(file_name);
            let Some(name) = link.as_deref().or(upstream_id.as_deref()).or(media) else {
                self.warnings.push(format!(
                    "entry {position}: no title, text, link, id or media; left out"
                ));
                return None;
            };
            title = crate::normalize::clean_text(name);
        }
        let enclosures = media::files(&raw.media, |u| web_url(u, entry_base.as_ref()));
        // An entry dated only by its update date was published then, and
        // keeps that date as its update date: an edit moves it.
        let (published, updated) = self.dates(&raw, position);
        let published = published.or(updated);
        // RFC 4287 §4.2.1: an entry without authors has its source's,
        // else the feed's.
        let mut authors = raw.authors.into_vec();
        if authors.is_empty() {
            authors = raw.source_authors.into_vec();
        }
        if authors.is_empty() {
            authors.clone_from(&self.feed_authors);
        }
        let authors = names_past_their_by(authors);
        let shows_picture = content_html.as_deref().is_some_and(shows_picture);
        let mut captions = media::captions(&raw.media, shows_picture, &authors, |u| {
            web_url(u, entry_base.as_ref())
        });
        // A picture the HTML shows is shown there, with its own caption.
        captions.retain(|c| {
            !c.image
                .as_ref()
                .is_some_and(|i| pictures_in_html.contains(i))
        });
        Some(Article {
            body,
            title,
            published,
            updated,
            captions,
            link,
            upstream_id,
            upstream_key,
            authors,
            categories: raw.categories.into_vec(),
            enclosures,
            summary,
            content_html,
            origin: Origin {
                location: self.location.to_string(),
                line: raw.line,
            },
            line_keys: None,
            shared_link: false,
            page_text: false,
            page_link: None,
        })
    }

    /// Sanitized HTML, body blocks and the files its `<audio>` and
    /// `<video>` play (their URLs absolute) from the entry's content.
    fn content(
        &mut self,
        text: &RawText,
        base: Option<&Url>,
    ) -> (Option<String>, Vec<Block>, Vec<media::Enclosure>) {
        if text.html {
            let converted = Sanitizer::convert_shared(&text.value, base);
            let html = converted.html.filter(|h| !h.trim().is_empty());
            (html, converted.blocks, played(&text.value, base))
        } else {
            (None, wrapped_text_to_blocks(&text.value), Vec::new())
        }
    }

    /// The entry's published and updated dates, each left out unless it
    /// can be read and is plausible (see [`date::plausible`]), with a
    /// warning naming the entry (and the text of a date that cannot be
    /// read).
    fn dates(
        &mut self,
        raw: &RawEntry,
        position: usize,
    ) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        let published = raw
            .published
            .as_deref()
            .and_then(timestamp::parse_entry_date);
        let updated = raw.updated.as_deref().and_then(timestamp::parse_entry_date);
        let either = raw.date.as_deref().and_then(timestamp::parse_entry_date);
        for (text, parsed) in [
            (&raw.published, published),
            (&raw.updated, updated),
            (&raw.date, either),
        ] {
            if let Some(text) = text.as_deref().map(str::trim)
                && !text.is_empty()
                && parsed.is_none()
            {
                self.warnings.push(format!(
                    "entry {position}: the date {text:?} cannot be read; left out"
                ));
            }
        }
        // A date that does not say which it is (`dc:date`) is the one
        // missing, or both.
        let (published, updated) = (published.or(either), updated.or(either));
        let implausible = [published, updated]
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
            published.and_then(date::plausible),
            updated.and_then(date::plausible),
        )
    }
}

/// The resolved URLs by which the entry's HTML `text` shows pictures
/// ([`shown_picture_urls`]); none when `text` is plain text.
fn pictures_shown(text: &RawText, base: Option<&Url>) -> HashSet<String> {
    if !text.html {
        return HashSet::new();
    }
    shown_picture_urls(&text.value)
        .iter()
        .filter_map(|url| web_url(url, base))
        .collect()
}

/// Plain-text `blocks` as HTML paragraphs.
fn paragraphs_html(blocks: &[Block]) -> String {
    blocks
        .iter()
        .map(|block| format!("<p>{}</p>", escape_attribute(&block.text)))
        .collect()
}

/// The files the `<audio>` and `<video>` of `html` play ([`inline_media`]),
/// their URLs made absolute against `base` (one that is not `http(s)` left
/// out).
fn played(html: &str, base: Option<&Url>) -> Vec<media::Enclosure> {
    inline_media(html)
        .into_iter()
        .filter_map(|file| {
            let url = web_url(&file.url, base)?;
            Some(media::Enclosure { url, ..file })
        })
        .collect()
}

/// The media files of an article whose only media is what its `html`
/// plays (a pushed article's `content_html`), kept as a feed entry's are
/// ([`media::files`]): URLs made absolute against `base`, each file once,
/// a type kept when it is one.
pub(crate) fn played_files(html: &str, base: Option<&Url>) -> Vec<crate::model::Enclosure> {
    let media = media::EntryMedia {
        enclosures: played(html, base),
        ..Default::default()
    };
    media::files(&media, |url| Some(url.to_string()))
}

/// Whether `first` is `second` marked up: HTML with tags whose text is
/// the text of `second`, or begins with it (a podcast's HTML show notes in
/// `description` and the same words as plain text in `itunes:summary`, cut
/// short or not). Then the second summary adds nothing, and the entry's
/// HTML is the first, which keeps the links and the markup.
fn marks_up(first: &RawText, second: &RawText) -> bool {
    if !first.html || !first.value.contains('<') {
        return false;
    }
    let second = fold(&plain(second));
    !second.is_empty() && fold(&plain(first)).starts_with(&second)
}

/// Entries of one document that share a link (a section or home page, a
/// live page's anchors, in the canonical form folding matches: [`link_key`])
/// but not their text keep it as their link, but nothing is matched on it;
/// those without an id keep their link as their key where it is their own
/// (`live.html#post-2` beside `#post-1`: the key keeps the fragment,
/// [`fingerprint::entry_link_key`]), and are known by their content where
/// it is not; entries that still share an upstream key (an id and no
/// link, or both the same) but not their text cannot be told apart by
/// identity either: each is known by its content instead, as an entry with
/// neither id nor link is, so none stands in for another. Entries that
/// share their text and media files too are one entry listed twice, and
/// keep their key. `numbers` gives each article's entry number, by which
/// the warnings name it.
pub(crate) fn know_shared_keys_by_content(
    articles: &mut [Article],
    numbers: &[usize],
    warnings: &mut Vec<String>,
) {
    for indices in shared(articles, link_key) {
        if same_text(articles, &indices) {
            continue;
        }
        let entry_links: Vec<Option<String>> = indices
            .iter()
            .map(|&i| articles[i].link.as_deref().map(fingerprint::entry_link_key))
            .collect();
        let mut link_counts: HashMap<&Option<String>, usize> = HashMap::new();
        for link in &entry_links {
            *link_counts.entry(link).or_default() += 1;
        }
        let unnamed: Vec<usize> = indices
            .iter()
            .zip(&entry_links)
            .filter(|&(&i, link)| articles[i].upstream_id.is_none() && link_counts[link] > 1)
            .map(|(&i, _)| i)
            .collect();
        if !unnamed.is_empty() {
            let link = articles[unnamed[0]].link.clone().unwrap_or_default();
            warn_known_by_content(
                numbers,
                &unnamed,
                &format!("the link {link} and no id"),
                warnings,
            );
        }
        for &i in &indices {
            articles[i].shared_link = true;
        }
        for i in unnamed {
            articles[i].upstream_key = None;
        }
    }
    for indices in shared(articles, |a| a.upstream_key.as_deref()) {
        if same_text(articles, &indices) {
            continue;
        }
        let first = &articles[indices[0]];
        let what = match (&first.upstream_id, &first.link) {
            (Some(id), Some(link)) => format!("the id {id} and the link {link}"),
            (Some(id), None) => format!("the id {id} and no link"),
            (None, Some(link)) => format!("the link {link} and no id"),
            (None, None) => continue,
        };
        warn_known_by_content(numbers, &indices, &what, warnings);
        for i in indices {
            articles[i].upstream_key = None;
        }
    }
}

/// Whether the articles at `indices` have the same headline, captions,
/// body and media files (compared as folding compares them:
/// [`media_url`]): one entry listed twice. One text over different media
/// files is different entries (a podcast's episodes, each linking to the
/// show's page).
pub(crate) fn same_text(articles: &[Article], indices: &[usize]) -> bool {
    let first = &articles[indices[0]];
    let media = |article: &Article| -> Vec<String> {
        article
            .enclosures
            .iter()
            .map(|f| media_url(&f.url))
            .collect()
    };
    let first_media = media(first);
    indices.iter().all(|&i| {
        let other = &articles[i];
        other.title == first.title
            && other.body == first.body
            && other.captions == first.captions
            && media(other) == first_media
    })
}

/// How many entries a warning about entries that share a key names by
/// line; the rest are counted.
const ENTRIES_NAMED: usize = 10;

/// Warns that the entries at `indices`, which share `what`, are each
/// known by their content, naming them by their `numbers`.
fn warn_known_by_content(
    numbers: &[usize],
    indices: &[usize],
    what: &str,
    warnings: &mut Vec<String>,
) {
    let mut entries: Vec<String> = indices
        .iter()
        .take(ENTRIES_NAMED)
        .map(|&i| numbers[i].to_string())
        .collect();
    if indices.len() > ENTRIES_NAMED {
        entries.push(format!("{} more", indices.len() - ENTRIES_NAMED));
    }
    let listed = and_list(&entries);
    warnings.push(if indices.len() == 1 {
        format!("entry {listed} shares {what} with another entry: it is known by its content")
    } else {
        format!("entries {listed} share {what}: each is known by its content")
    });
}

/// The link of `article` as folding matches on it: in canonical form
/// ([`fingerprint::link_key`]: fragment and tracking parameters dropped),
/// so that links to one page count as one however they are written.
pub(crate) fn link_key(article: &Article) -> Option<String> {
    article.link.as_deref().map(fingerprint::link_key)
}

/// The positions of the articles that share a value of `field` with
/// another, a list per value, in document order.
pub(crate) fn shared<'a, K: Hash + Eq>(
    articles: &'a [Article],
    field: impl Fn(&'a Article) -> Option<K>,
) -> Vec<Vec<usize>> {
    let mut positions: HashMap<K, Vec<usize>> = HashMap::new();
    for (i, article) in articles.iter().enumerate() {
        if let Some(value) = field(article) {
            positions.entry(value).or_default().push(i);
        }
    }
    let mut shared: Vec<Vec<usize>> = positions.into_values().filter(|p| p.len() > 1).collect();
    shared.sort_unstable();
    shared
}

/// `["1", "2", "3"]` as "1, 2 and 3".
fn and_list(items: &[String]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => items.concat(),
    }
}

/// Ids that more than one entry of the document carries.
fn repeated_ids(entries: &[RawEntry]) -> HashSet<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for entry in entries {
        if let Some(id) = entry.id.as_deref().map(str::trim).filter(|i| !i.is_empty()) {
            *counts.entry(id).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(id, _)| id.to_string())
        .collect()
}

/// `href` as an absolute `http(s)` URL, resolved against `base` (as a
/// [`link_base`]) when relative; `None` for any other scheme (`javascript:`, `data:`, …). An
/// absolute URL is kept as written when it is a URI as RFC 3986 writes one,
/// so that a link reads as its feed wrote it; any other is written so
/// ([`written_uri`]: `tags[]=` as `tags%5B%5D=`).
pub(super) fn web_url(href: &str, base: Option<&Url>) -> Option<String> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    let (url, absolute) = match Url::parse(href) {
        Ok(url) => (url, true),
        Err(url::ParseError::RelativeUrlWithoutBase) => (link_base(base?)?.join(href).ok()?, false),
        Err(_) => return None,
    };
    if !is_web(&url) {
        return None;
    }
    Some(if absolute {
        written_uri(href, &url).into_owned()
    } else {
        uri_string(&url)
    })
}

/// Whether `url` is an `http(s)` URL.
pub(super) fn is_web(url: &Url) -> bool {
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

/// Whether `entry`, as mapped, has no title of its own: its title is the
/// one made up for an entry without one, the start of its text, else its
/// link or id.
pub(crate) fn untitled(entry: &Article) -> bool {
    let title = entry.title.as_str();
    let made_up = made_up_title(&entry.body, entry.summary.as_deref());
    let named = |name: Option<&str>| name.is_some_and(|n| crate::normalize::clean_text(n) == title);
    title == made_up || named(entry.link.as_deref()) || named(entry.upstream_id.as_deref())
}

/// The last segment of a URL's path (`episode-12.mp3`), else the URL.
fn file_name(url: &str) -> &str {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|name| !name.is_empty() && !name.contains(':'))
        .unwrap_or(url)
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

/// The authors an entry names, each written as a byline (`By Carl Poe`,
/// `By Ana Ruiz and Tom Reyes`) read as a dump's or a page's byline is,
/// without its `By` and split into its names; a name without a `By` is kept
/// as written, as every feed reader shows it, and a `By` alone names no one.
pub(crate) fn names_past_their_by(authors: Vec<String>) -> Vec<String> {
    let by_alone = |name: &str| name.trim_end_matches(':').eq_ignore_ascii_case("by");
    if !authors
        .iter()
        .any(|name| written_as_byline(name) || by_alone(name))
    {
        return authors;
    }
    authors
        .into_iter()
        .flat_map(|name| {
            if by_alone(&name) {
                Vec::new()
            } else if written_as_byline(&name) {
                byline_authors(&name)
            } else {
                vec![name]
            }
        })
        .collect::<Names>()
        .into_vec()
}

/// Whether an author's name opens with `By` and a space or a colon (`By
/// Carl Poe`, `BY: CARL POE`), as a byline does, or as a dump's byline in
/// another language does ([`opens_byline`]: `Par Claire Dubois`, `Von
/// Katrin Vogel und Jan Berg`, `Автор: Иван Петров`) before two words at
/// least, so a name that opens with such a word (`Di Stefano`) stays whole,
/// and so does a surname its particle opens written before the given name
/// ([`surname_first_with_particle`]: `Di Maio Luigi`).
fn written_as_byline(name: &str) -> bool {
    let by = match name.as_bytes() {
        [b, y, b' ' | b':', ..] => [*b, *y].eq_ignore_ascii_case(b"by"),
        _ => false,
    };
    by || (opens_byline(name)
        && name.split_whitespace().count() >= 3
        && !surname_first_with_particle(name))
}

/// The words for `by` that are also the particle a surname written first
/// opens with (`Di Maio`), compared without case. German `Von` is not
/// among them: a German feed writes its byline `Von Katrin Vogel`, and a
/// name `Lisa von Trotha`, given name first.
const PARTICLE_BY_WORDS: [&str; 1] = ["di"];

/// Whether `name` opens with a surname's particle in capitals ([`PARTICLE_BY_WORDS`])
/// before one name, as a feed writes a name surname first (`Di Maio
/// Luigi`): such a word is read as `by` only in lower case, as Italian
/// feeds write their byline (`di Mario Rossi`), or before two names or
/// more (`Di Mario Rossi e Anna Bianchi`), which no one name reads as.
fn surname_first_with_particle(name: &str) -> bool {
    let capital_particle = name.split_whitespace().next().is_some_and(|word| {
        word.starts_with(char::is_uppercase)
            && PARTICLE_BY_WORDS
                .iter()
                .any(|particle| word.eq_ignore_ascii_case(particle))
    });
    capital_particle && byline_authors(name).len() < 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_with_no_text_leaves_the_entry_its_summary_as_text() {
        let parse = |document: &str, name: &str| {
            crate::ingest::feed::parse_feed(document.as_bytes(), None, name)
                .unwrap()
                .articles
        };
        let rss = |content: &str| {
            format!(
                "<?xml version=\"1.0\"?><rss version=\"2.0\" \
                 xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>Valley</title>\
                 <item><title>Photo of the day</title><link>https://valley.example/photo-4</link>\
                 <guid>p-4</guid><description>Snow on the hills above the town.</description>\
                 <content:encoded><![CDATA[{content}]]></content:encoded></item></channel></rss>"
            )
        };
        let words = |article: &Article| -> Vec<String> {
            article.body.iter().map(|b| b.text.clone()).collect()
        };
        let summary = vec!["Snow on the hills above the town.".to_string()];
        for empty in ["<p></p>", "<p>&nbsp;</p>", ""] {
            let article = &parse(&rss(empty), "valley.xml")[0];
            assert_eq!(words(article), summary, "{empty:?}");
            assert!(
                !article
                    .content_html
                    .as_deref()
                    .unwrap_or_default()
                    .contains("<img"),
                "{empty:?}"
            );
        }
        // A picture alone: the summary's words under it.
        let picture = "<p><img src=\"https://valley.example/img/snow.jpg\" alt=\"\"></p>";
        let article = &parse(&rss(picture), "valley.xml")[0];
        assert_eq!(words(article), summary);
        let html = article.content_html.as_deref().unwrap();
        let (shown, said) = (
            html.find("snow.jpg").unwrap(),
            html.find("Snow on").unwrap(),
        );
        assert!(shown < said, "{html}");
        // So in Atom (HTML content beside a summary) and JSON Feed
        // (`content_html` beside `summary`).
        let atom = "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Valley</title>\
             <id>urn:valley</id><updated>2026-12-04T05:00:00Z</updated>\
             <entry><title>Photo of the day</title><id>urn:p-4</id><updated>2026-12-04T05:00:00Z</updated>\
             <link href=\"https://valley.example/photo-4\"/><summary>Snow on the hills above the town.</summary>\
             <content type=\"html\">&lt;p&gt;&lt;img src=\"https://valley.example/img/snow.jpg\"&gt;&lt;/p&gt;</content>\
             </entry></feed>";
        let json = r#"{"version":"https://jsonfeed.org/version/1.1","title":"Valley","items":[
            {"id":"p-4","url":"https://valley.example/photo-4","title":"Photo of the day",
             "summary":"Snow on the hills above the town.",
             "content_html":"<p><img src=\"https://valley.example/img/snow.jpg\"></p>"}]}"#;
        for (document, name) in [(atom, "valley.atom"), (json, "valley.json")] {
            let article = &parse(document, name)[0];
            assert_eq!(words(article), summary, "{name}");
            assert!(
                article
                    .content_html
                    .as_deref()
                    .unwrap()
                    .contains("snow.jpg"),
                "{name}"
            );
        }
    }

    #[test]
    fn episodes_sharing_the_shows_link_over_other_media_files_are_each_an_entry() {
        let item = |day: &str, file: &str| {
            format!(
                "<item><title>Morning bulletin</title><link>https://radio.example/bulletin</link>\
                 <guid isPermaLink=\"false\">bulletin-{day}</guid>\
                 <description>The latest news from Calder Radio.</description>\
                 <enclosure url=\"https://radio.example/audio/{file}\" type=\"audio/mpeg\"/></item>"
            )
        };
        let document = |items: &[String]| {
            format!(
                "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Calder Radio</title>{}</channel></rss>",
                items.concat()
            )
        };
        let episodes = document(&[item("0102", "0102.mp3"), item("0101", "0101.mp3")]);
        let feed = crate::ingest::feed::parse_feed(episodes.as_bytes(), None, "radio.xml").unwrap();
        let keys: Vec<(Option<&str>, bool)> = feed
            .articles
            .iter()
            .map(|a| (a.upstream_key.as_deref(), a.shared_link))
            .collect();
        assert_eq!(
            keys,
            [(Some("bulletin-0102"), true), (Some("bulletin-0101"), true)]
        );
        // One episode listed twice, its file signed twice: one entry.
        let twice = document(&[
            item("0101", "0101.mp3?sig=a1"),
            item("0101", "0101.mp3?sig=b2"),
        ]);
        let feed = crate::ingest::feed::parse_feed(twice.as_bytes(), None, "radio.xml").unwrap();
        let keys: Vec<(Option<&str>, bool)> = feed
            .articles
            .iter()
            .map(|a| (a.upstream_key.as_deref(), a.shared_link))
            .collect();
        let key = Some("bulletin-0101 https://radio.example/bulletin");
        assert_eq!(keys, [(key, false), (key, false)]);
    }

    #[test]
    fn html_show_notes_are_kept_over_a_plain_summary_of_the_same_words() {
        let item = |summaries: &str| {
            format!(
                "<?xml version=\"1.0\"?><rss version=\"2.0\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\">\
                 <channel><title>P</title><item><title>Ep 9</title><link>https://pod.example/ep9</link>{summaries}</item></channel></rss>"
            )
        };
        let notes = "<description><![CDATA[<p>Guest: <a href=\"https://guest.example/\">Ana Ruiz</a>. \
                     Sponsor: Boats Inc.</p>]]></description>";
        let html = |summaries: &str| {
            let text = item(summaries);
            let feed = crate::ingest::feed::parse_feed(text.as_bytes(), None, "pod.xml").unwrap();
            feed.articles[0].content_html.clone().unwrap_or_default()
        };
        // The plain summary after the notes, whole or cut short, and before them.
        for plain in [
            "<itunes:summary>Guest: Ana Ruiz. Sponsor: Boats Inc.</itunes:summary>",
            "<itunes:summary>Guest: Ana Ruiz.</itunes:summary>",
        ] {
            let got = html(&format!("{notes}{plain}"));
            assert!(got.contains("href=\"https://guest.example/\""), "{got}");
            let got = html(&format!("{plain}{notes}"));
            assert!(got.contains("href=\"https://guest.example/\""), "{got}");
        }
        // A second summary that says more is still the entry's HTML.
        let got = html(&format!(
            "{notes}<itunes:summary>Guest: Ana Ruiz. Sponsor: Boats Inc. Recorded live.</itunes:summary>"
        ));
        assert!(got.contains("Recorded live."), "{got}");
    }

    #[test]
    fn an_author_written_as_a_byline_is_named_without_its_by() {
        let names =
            |list: &[&str]| names_past_their_by(list.iter().map(|n| n.to_string()).collect());
        assert_eq!(names(&["By Carl Poe"]), ["Carl Poe"]);
        assert_eq!(names(&["BY: Carl Poe"]), ["Carl Poe"]);
        assert_eq!(
            names(&["By Ana Ruiz and Tom Reyes", "Tom Reyes"]),
            ["Ana Ruiz", "Tom Reyes"]
        );
        assert_eq!(names(&["Byron Hale", "Bý Ana"]), ["Byron Hale", "Bý Ana"]);
        assert_eq!(names(&["Smith, John"]), ["Smith, John"]);
        assert_eq!(names(&["é", "b"]), ["é", "b"]);
        assert_eq!(names(&["By", "BY:", "Ana Ruiz"]), ["Ana Ruiz"]);
        // In the other languages a dump's byline opens in.
        assert_eq!(names(&["Par Claire Dubois"]), ["Claire Dubois"]);
        assert_eq!(
            names(&["Von Katrin Vogel und Jan Berg"]),
            ["Katrin Vogel", "Jan Berg"]
        );
        assert_eq!(
            names(&["Por Lucía Gómez y Pedro Ruiz"]),
            ["Lucía Gómez", "Pedro Ruiz"]
        );
        assert_eq!(names(&["Автор: Иван Петров"]), ["Иван Петров"]);
        assert_eq!(
            names(&["Di Stefano", "Von Trapp"]),
            ["Di Stefano", "Von Trapp"]
        );
        // A surname its particle opens, written before the given name, is
        // no byline; the particle in lower case, or before two names, is.
        assert_eq!(
            names(&["Di Maio Luigi", "DI MAIO LUIGI"]),
            ["Di Maio Luigi", "DI MAIO LUIGI"]
        );
        // German writes its byline `Von` before one name, and a name given
        // name first: `Von` opening three words is a byline.
        assert_eq!(names(&["Von Katrin Vogel"]), ["Katrin Vogel"]);
        assert_eq!(names(&["di Mario Rossi"]), ["Mario Rossi"]);
        assert_eq!(
            names(&["Von Anna Schmidt und Jan Berg"]),
            ["Anna Schmidt", "Jan Berg"]
        );
    }

    #[test]
    fn the_authors_portrait_and_a_thumbnail_of_a_shown_picture_are_no_pictures() {
        let document = |content: &str| {
            format!(
                "<?xml version=\"1.0\"?><rss version=\"2.0\" xmlns:media=\"http://search.yahoo.com/mrss/\" \
                 xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\
                 <channel><title>B</title><item><title>Gulls</title><link>https://b.example/gulls</link>\
                 <dc:creator>janedoe</dc:creator>{content}\
                 <media:thumbnail url=\"https://b.example/s72-c/gull.jpg\"/>\
                 <media:content url=\"https://0.gravatar.com/avatar/0123?s=96\" medium=\"image\">\
                 <media:title type=\"html\">janedoe</media:title></media:content>\
                 <media:content url=\"https://b.example/quay.jpg\" medium=\"image\">\
                 <media:title>The quay</media:title></media:content>\
                 </item></channel></rss>"
            )
        };
        let images_of = |text: &str| -> Vec<String> {
            let feed = crate::ingest::feed::parse_feed(text.as_bytes(), None, "b.xml").unwrap();
            feed.articles[0]
                .captions
                .iter()
                .filter_map(|c| c.image.clone())
                .collect()
        };
        let images = |content: &str| images_of(&document(content));
        // The Gravatar titled with the author's name is left out; the
        // thumbnail is no picture beside Media RSS that gives one.
        assert_eq!(
            images("<content:encoded><![CDATA[<p>Gulls.</p>]]></content:encoded>"),
            ["https://b.example/quay.jpg"]
        );
        let thumbnail_only = document("").replace(
            "<media:content url=\"https://b.example/quay.jpg\" medium=\"image\">\
             <media:title>The quay</media:title></media:content>",
            "",
        );
        let thumbnails = |content: &str| {
            images_of(&thumbnail_only.replace("</dc:creator>", &format!("</dc:creator>{content}")))
        };
        // Beside HTML that shows a picture the thumbnail is its preview;
        // beside HTML without one it is the entry's picture.
        assert!(
            thumbnails(
                "<content:encoded><![CDATA[<p><img alt=\"\" src=\"/s320/gull.jpg\"></p>]]></content:encoded>"
            )
            .is_empty()
        );
        assert_eq!(
            thumbnails("<content:encoded><![CDATA[<p>Gulls.</p>]]></content:encoded>"),
            ["https://b.example/s72-c/gull.jpg"]
        );
    }

    #[test]
    fn links_are_kept_as_written_when_they_can_be() {
        let base = Url::parse("https://news.example/feed/").unwrap();
        assert_eq!(
            web_url(" http://www.Dicas-L.com.br/x?a=1&b=2 ", None).as_deref(),
            Some("http://www.Dicas-L.com.br/x?a=1&b=2")
        );
        assert_eq!(
            web_url("../story", Some(&base)).as_deref(),
            Some("https://news.example/story")
        );
        assert_eq!(
            web_url("https://i.example/ok.jpg?a=\"><script>", None).as_deref(),
            Some("https://i.example/ok.jpg?a=%22%3E%3Cscript%3E")
        );
        assert_eq!(web_url("javascript:alert(1)", Some(&base)), None);
        assert_eq!(web_url("tag:news.example,2024:1", None), None);
        assert_eq!(web_url("story", None), None);
    }

    #[test]
    fn links_are_uris_as_rfc_3986_writes_them() {
        let base = Url::parse("https://news.example/feed/").unwrap();
        for (href, uri) in [
            (
                "https://up.example/search?tags[]=harbour&tags[]=ferry",
                "https://up.example/search?tags%5B%5D=harbour&tags%5B%5D=ferry",
            ),
            (
                "https://up.example/a|b/story",
                "https://up.example/a%7Cb/story",
            ),
            (
                "https://up.example/story?x={1}&y=a^b&z=`c`",
                "https://up.example/story?x=%7B1%7D&y=a%5Eb&z=%60c%60",
            ),
            (
                "https://up.example/c1?q=]]>",
                "https://up.example/c1?q=%5D%5D%3E",
            ),
            (
                "https://up.example/100%/off",
                "https://up.example/100%25/off",
            ),
            ("https://up.example/a#b#c", "https://up.example/a#b%23c"),
            ("?tags[]=x", "https://news.example/feed/?tags%5B%5D=x"),
            // An IPv6 host keeps its brackets; escapes stay as written.
            (
                "http://[::1]:8080/a%7Cb?q=%5B",
                "http://[::1]:8080/a%7Cb?q=%5B",
            ),
        ] {
            assert_eq!(web_url(href, Some(&base)).as_deref(), Some(uri), "{href}");
        }
    }

    #[test]
    fn an_id_resolved_against_xml_base_keeps_the_form_it_was_stored_under() {
        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://up.example/"><title>F</title>
            <entry><id>a|b/story</id><title>One</title><link href="a|b/story"/><content>Text.</content></entry></feed>"#;
        let parsed = crate::ingest::feed::parse_feed(atom.as_bytes(), None, "f.atom").unwrap();
        let article = &parsed.articles[0];
        assert_eq!(
            article.link.as_deref(),
            Some("https://up.example/a%7Cb/story")
        );
        // Read so before links were written as URIs, too.
        assert_eq!(
            article.upstream_key.as_deref(),
            Some("https://up.example/a|b/story")
        );
    }
}

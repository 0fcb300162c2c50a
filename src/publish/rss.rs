//! RSS 2.0 through the `rss` crate: `atom:link rel="self"`, a non-permalink
//! `guid`, RFC 822 dates, the summary in `description`, the article's
//! HTML in `content:encoded` and its first media file as `enclosure`. Readers render an item's `description` as HTML
//! (RSS 2.0 allows entity-encoded HTML there), so the plain-text summary is
//! HTML-escaped first: a summary that reads `<img onerror=…>` stays text;
//! so is the channel's description, the feed's plain-text description.
//! Titles are plain text, but readers read an RSS title as HTML when it
//! looks like HTML, so they are HTML-escaped too (see `escape_title`):
//! `Mayor <script>…</script>` and `&nbsp;` in a title stay text, and every
//! format shows the same title.

use rss::extension::atom::{AtomExtension, Link};
use rss::extension::dublincore::DublinCoreExtension;
use rss::{Category, Channel, Enclosure, Guid, Item};

use super::entry_html::escape;
use super::{Entry, FeedContext, Format, PublishError};

pub fn render(feed: &FeedContext, entries: &[Entry]) -> Result<Vec<u8>, PublishError> {
    let items: Vec<Item> = entries
        .iter()
        .map(|entry| Item {
            title: Some(escape_title(&entry.article.title)),
            guid: Some(Guid {
                value: entry.article.id.clone(),
                permalink: false,
            }),
            link: entry.article.link.clone(),
            pub_date: Some(entry.article.published.to_rfc2822()),
            categories: entry
                .article
                .categories
                .iter()
                .map(|name| Category {
                    name: name.clone(),
                    domain: None,
                })
                .collect(),
            dublin_core_ext: (!entry.article.authors.is_empty()).then(|| DublinCoreExtension {
                creators: entry.article.authors.clone(),
                ..Default::default()
            }),
            description: Some(escape(&entry.summary)),
            content: Some(entry.html.clone()),
            // RSS readers take one enclosure an item: the first.
            enclosure: entry.article.enclosures.first().map(|file| Enclosure {
                url: file.url.clone(),
                length: file.length.unwrap_or(0).to_string(),
                mime_type: super::enclosure_type(file).to_string(),
            }),
            ..Default::default()
        })
        .collect();
    let channel = Channel {
        title: escape_title(&feed.spec.title),
        link: feed.home_url(),
        description: escape(&feed.description()),
        last_build_date: Some(feed.updated.to_rfc2822()),
        generator: Some(feed.generator()),
        atom_ext: Some(AtomExtension {
            links: std::iter::once(Link {
                href: feed.url(Format::Rss),
                rel: "self".into(),
                mime_type: Some(Format::Rss.media_type().into()),
                ..Default::default()
            })
            .chain(feed.hub.map(|hub| Link {
                href: hub.into(),
                rel: "hub".into(),
                ..Default::default()
            }))
            .collect(),
        }),
        items,
        ..Default::default()
    };
    let mut out = channel
        .write_to(Vec::new())
        .map_err(|e| feed.render_error(Format::Rss, e))?;
    out.push(b'\n');
    Ok(out)
}

/// A plain-text title as HTML text: `&`, `<` and `>` escaped, so that a
/// reader that reads it as HTML gets the same text. Quotes need no escaping
/// in HTML text and are left as written, so most titles read the same to
/// readers that take RSS titles as plain text.
fn escape_title(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    for c in title.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

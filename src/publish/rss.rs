//! RSS 2.0 through the `rss` crate: `atom:link rel="self"`, a non-permalink
//! `guid`, RFC 822 dates, the summary in `description`, the article's
//! HTML in `content:encoded` and its first media file as `enclosure`. Readers render an item's `description` as HTML
//! (RSS 2.0 allows entity-encoded HTML there), so the plain-text summary is
//! HTML-escaped first: a summary that reads `<img onerror=…>` stays text;
//! so is the channel's description, the feed's plain-text description.
//! Titles are plain text, and readers differ on RSS titles: some read
//! them as HTML, others (newsboat) as text. A title is written as it is
//! (escaped for XML only) when both readings agree, and HTML-escaped only
//! when an HTML reader would find markup or a character reference in it
//! (see `title_text`): `AT&T` shows as written everywhere, and `Mayor
//! <script>…</script>` and `&nbsp;` stay text to HTML readers, so every
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
            title: Some(title_text(&entry.article.title)),
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
            description: entry.summary.as_deref().map(escape),
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
        title: title_text(&feed.spec.title),
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

/// A plain-text title as an RSS title: as written when a reader reading it
/// as HTML reads the same text, HTML-escaped otherwise (see
/// [`reads_as_html`]). Readers that take RSS titles as plain text then show
/// the common title (`S&P 500`, `AT&T`) as written.
fn title_text(title: &str) -> String {
    if reads_as_html(title) {
        escape_title(title)
    } else {
        title.to_string()
    }
}

/// Whether `text` read as HTML differs from `text` read as plain text: it
/// holds a `<` (markup) or an `&` that begins a character reference (`&#`,
/// `&name;`, or one of the names HTML reads without a semicolon, such as
/// `&amp` or `&copy`). A `>` or a lone `&` (`AT&T`) reads the same.
fn reads_as_html(text: &str) -> bool {
    text.contains('<')
        || text.match_indices('&').any(|(at, _)| {
            let after = &text[at + 1..];
            let name_length = after
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(after.len());
            after.starts_with('#')
                || (name_length > 0 && after[name_length..].starts_with(';'))
                || LEGACY_NAMES.iter().any(|name| after.starts_with(name))
        })
}

/// The character references HTML reads without their semicolon (HTML
/// Living Standard, "Named character references"), as in `&copy 2026` or
/// `&notice` (`¬ice`).
const LEGACY_NAMES: [&str; 106] = [
    "AElig", "AMP", "Aacute", "Acirc", "Agrave", "Aring", "Atilde", "Auml", "COPY", "Ccedil",
    "ETH", "Eacute", "Ecirc", "Egrave", "Euml", "GT", "Iacute", "Icirc", "Igrave", "Iuml", "LT",
    "Ntilde", "Oacute", "Ocirc", "Ograve", "Oslash", "Otilde", "Ouml", "QUOT", "REG", "THORN",
    "Uacute", "Ucirc", "Ugrave", "Uuml", "Yacute", "aacute", "acirc", "acute", "aelig", "agrave",
    "amp", "aring", "atilde", "auml", "brvbar", "ccedil", "cedil", "cent", "copy", "curren", "deg",
    "divide", "eacute", "ecirc", "egrave", "eth", "euml", "frac12", "frac14", "frac34", "gt",
    "iacute", "icirc", "iexcl", "igrave", "iquest", "iuml", "laquo", "lt", "macr", "micro",
    "middot", "nbsp", "not", "ntilde", "oacute", "ocirc", "ograve", "ordf", "ordm", "oslash",
    "otilde", "ouml", "para", "plusmn", "pound", "quot", "raquo", "reg", "sect", "shy", "sup1",
    "sup2", "sup3", "szlig", "thorn", "times", "uacute", "ucirc", "ugrave", "uml", "uuml",
    "yacute", "yen", "yuml",
];

/// A plain-text title as HTML text: `&`, `<` and `>` escaped, so that a
/// reader that reads it as HTML gets the same text. Quotes need no escaping
/// in HTML text and are left as written.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_is_escaped_for_html_only_when_html_would_read_it_otherwise() {
        for (title, written) in [
            (
                "S&P 500 Rallies as AT&T Beats Forecasts",
                "S&P 500 Rallies as AT&T Beats Forecasts",
            ),
            ("Markets & Money", "Markets & Money"),
            ("Q&A: 3 > 2 \"quoted\"", "Q&A: 3 > 2 \"quoted\""),
            ("Fish&Chips, R&D", "Fish&Chips, R&D"),
            ("Fish&Chips; R&D", "Fish&amp;Chips; R&amp;D"),
            ("Ends with &", "Ends with &"),
            ("Mayor <script>", "Mayor &lt;script&gt;"),
            ("Tom & Jerry <3", "Tom &amp; Jerry &lt;3"),
            ("Use &nbsp; here", "Use &amp;nbsp; here"),
            ("&#169; 2026", "&amp;#169; 2026"),
            ("&copy 2026", "&amp;copy 2026"),
            ("Cats&notice", "Cats&amp;notice"),
            ("AT&AMP", "AT&amp;AMP"),
            ("&x;", "&amp;x;"),
        ] {
            assert_eq!(title_text(title), written, "{title}");
        }
    }
}

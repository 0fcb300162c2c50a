//! One pass over an XML feed for what feed-rs loses on the way: the
//! `xml:base` in force at each entry (relative links in its HTML resolve
//! against it) and the entry's pictures. feed-rs drops an item-level
//! `media:thumbnail` that has no `media:content`, keeps one description for
//! all of an item's `media:content`s, and drops an `<enclosure>` when Media
//! RSS is present; here every picture keeps its own description and credit.

use std::collections::{HashMap, HashSet};

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use url::Url;

use super::xml::{Ns, attribute, resolved_kind};
use crate::ingest::sanitize::html_to_text;
use crate::model::Caption;
use crate::normalize::{clean_text, fold};

/// Where a document keeps its entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Layout {
    /// `rss/channel/item` (RSS 0.9x and 2.0): items of the first channel.
    Rss,
    /// `rdf:RDF/item` (RSS 0.90 and 1.0).
    Rdf,
    /// `feed/entry`.
    Atom,
    /// A lone Atom `entry` document.
    AtomEntry,
}

impl Layout {
    fn entry_depth(self) -> usize {
        match self {
            Layout::Rss => 3,
            Layout::Rdf | Layout::Atom => 2,
            Layout::AtomEntry => 1,
        }
    }

    fn entry_name(self) -> &'static str {
        match self {
            Layout::Rss | Layout::Rdf => "item",
            Layout::Atom | Layout::AtomEntry => "entry",
        }
    }
}

/// What the scan found for one entry, in document order.
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct ScannedEntry {
    /// The `xml:base` in force at the entry, resolved.
    pub base: Option<Url>,
    /// Whether it has a non-empty `<link>` (feed-rs skips RSS 1.0 items
    /// without one).
    pub has_link: bool,
    pub media: EntryMedia,
}

/// An entry's Media RSS elements and enclosures.
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct EntryMedia {
    /// Each `media:group`: one picture in several renditions.
    pub groups: Vec<MediaGroup>,
    /// Media RSS directly in the entry: each `media:content` its own picture;
    /// the description, credits and thumbnails apply to all of them.
    pub top: MediaGroup,
    pub enclosures: Vec<Enclosure>,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct MediaGroup {
    pub contents: Vec<MediaContent>,
    pub text: MediaText,
    pub thumbnails: Vec<Picture>,
}

/// `media:description`, `media:title` and `media:credit`, as plain text.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct MediaText {
    pub description: Option<String>,
    pub title: Option<String>,
    pub credits: Vec<String>,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct MediaContent {
    pub picture: Picture,
    pub is_image: bool,
    pub text: MediaText,
    pub thumbnail: Option<String>,
}

/// A URL as written (not yet resolved) and its width, if given.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Picture {
    pub url: String,
    pub width: Option<u32>,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Enclosure {
    pub url: String,
    pub media_type: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Description { html: bool },
    Title { html: bool },
    Credit,
}

struct Capture {
    field: Field,
    depth: usize,
    text: String,
}

struct Scanner {
    layout: Layout,
    /// Whether the document uses `xml:base` at all.
    has_bases: bool,
    depth: usize,
    /// `xml:base` values in force, with the depth that set them.
    bases: Vec<(usize, Url)>,
    channels: usize,
    entries: Vec<ScannedEntry>,
    entry: Option<ScannedEntry>,
    link_depth: Option<usize>,
    group: Option<(usize, MediaGroup)>,
    content: Option<(usize, MediaContent)>,
    capture: Option<Capture>,
}

/// Scans `text` (well-formed: feed-rs has read it) for each entry's base and
/// media. `base` is the document's own URL, if known.
pub(super) fn scan(text: &str, layout: Layout, base: Option<&Url>) -> Vec<ScannedEntry> {
    let mut scanner = Scanner {
        layout,
        has_bases: memchr::memmem::find(text.as_bytes(), b"xml:base").is_some(),
        depth: 0,
        bases: base.map(|b| (0, b.clone())).into_iter().collect(),
        channels: 0,
        entries: Vec::new(),
        entry: None,
        link_depth: None,
        group: None,
        content: None,
        capture: None,
    };
    let mut reader = NsReader::from_str(text);
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Start(ref tag) | Event::Empty(ref tag) => {
                // Only elements inside an entry need their namespace.
                let ns = if scanner.entry.is_some() {
                    resolved_kind(&reader.resolver().resolve_element(tag.name()).0)
                } else {
                    Ns::Other
                };
                scanner.open(tag, ns);
                if matches!(event, Event::Empty(_)) {
                    scanner.close();
                }
            }
            Event::End(_) => scanner.close(),
            Event::Eof => break,
            _ if !scanner.reads_text() => {}
            Event::Text(t) => scanner.text(&t.xml10_content()),
            Event::CData(t) => scanner.text(&t.xml10_content()),
            Event::GeneralRef(r) => match r.resolve_char_ref() {
                Ok(Some(c)) => scanner.text(c.encode_utf8(&mut [0; 4])),
                _ => {
                    let name: &str = &r;
                    match quick_xml::escape::resolve_predefined_entity(name) {
                        Some(resolved) => scanner.text(resolved),
                        None => scanner.text(&format!("&{name};")),
                    }
                }
            },
            _ => {}
        }
    }
    scanner.entries
}

impl Scanner {
    fn current_base(&self) -> Option<Url> {
        self.bases.last().map(|(_, url)| url.clone())
    }

    /// Whether text is being collected.
    fn reads_text(&self) -> bool {
        self.capture.is_some() || self.link_depth.is_some()
    }

    fn open(&mut self, tag: &BytesStart, ns: Ns) {
        self.depth += 1;
        let base = self.has_bases.then(|| attribute(tag, "xml:base")).flatten();
        if let Some(value) = base {
            let resolved = match self.bases.last() {
                Some((_, parent)) => parent.join(value.trim()).ok(),
                None => Url::parse(value.trim()).ok(),
            };
            if let Some(url) = resolved {
                self.bases.push((self.depth, url));
            }
        }
        let local = tag.local_name();
        let local = local.as_ref();
        let entry_depth = self.layout.entry_depth();
        if self.layout == Layout::Rss && self.depth == 2 && local == "channel" {
            self.channels += 1;
        }
        let Some(entry) = self.entry.as_mut() else {
            let in_first_channel = self.layout != Layout::Rss || self.channels == 1;
            if self.depth == entry_depth && local == self.layout.entry_name() && in_first_channel {
                self.entry = Some(ScannedEntry {
                    base: self.current_base(),
                    ..ScannedEntry::default()
                });
            }
            return;
        };
        if self.depth == entry_depth + 1 && local == "link" && ns != Ns::Media {
            self.link_depth = Some(self.depth);
        }
        if ns == Ns::Media {
            let html = attribute(tag, "type").is_some_and(|t| t.eq_ignore_ascii_case("html"));
            match local {
                "group" => self.group = Some((self.depth, MediaGroup::default())),
                "content" => {
                    let content = media_content(tag);
                    self.content = Some((self.depth, content));
                }
                "thumbnail" => {
                    let Some(url) = attribute(tag, "url") else {
                        return;
                    };
                    let picture = Picture {
                        url,
                        width: number(tag, "width"),
                    };
                    if let Some((_, content)) = self.content.as_mut() {
                        content.thumbnail.get_or_insert(picture.url);
                    } else if let Some((_, group)) = self.group.as_mut() {
                        group.thumbnails.push(picture);
                    } else {
                        entry.media.top.thumbnails.push(picture);
                    }
                }
                "description" => self.start_capture(Field::Description { html }),
                "title" => self.start_capture(Field::Title { html }),
                "credit" => self.start_capture(Field::Credit),
                _ => {}
            }
        } else if self.depth == entry_depth + 1
            && local == "enclosure"
            && let Some(url) = attribute(tag, "url")
        {
            entry.media.enclosures.push(Enclosure {
                url,
                media_type: attribute(tag, "type"),
            });
        }
    }

    fn start_capture(&mut self, field: Field) {
        self.capture = Some(Capture {
            field,
            depth: self.depth,
            text: String::new(),
        });
    }

    fn text(&mut self, text: &str) {
        if let Some(capture) = self.capture.as_mut() {
            capture.text.push_str(text);
        }
        if self.link_depth.is_some()
            && let Some(entry) = self.entry.as_mut()
        {
            entry.has_link = true;
        }
    }

    fn close(&mut self) {
        let depth = self.depth;
        if self.capture.as_ref().is_some_and(|c| c.depth == depth)
            && let Some(capture) = self.capture.take()
        {
            self.finish_capture(capture);
        }
        if self.link_depth == Some(depth) {
            self.link_depth = None;
        }
        if self.content.as_ref().is_some_and(|(d, _)| *d == depth)
            && let Some((_, content)) = self.content.take()
        {
            if let Some((_, group)) = self.group.as_mut() {
                group.contents.push(content);
            } else if let Some(entry) = self.entry.as_mut() {
                entry.media.top.contents.push(content);
            }
        }
        if self.group.as_ref().is_some_and(|(d, _)| *d == depth)
            && let (Some((_, group)), Some(entry)) = (self.group.take(), self.entry.as_mut())
        {
            entry.media.groups.push(group);
        }
        if depth == self.layout.entry_depth()
            && let Some(entry) = self.entry.take()
        {
            self.entries.push(entry);
        }
        while self
            .bases
            .last()
            .is_some_and(|(d, _)| *d >= depth && *d > 0)
        {
            self.bases.pop();
        }
        self.depth = depth.saturating_sub(1);
    }

    fn finish_capture(&mut self, capture: Capture) {
        let text = match capture.field {
            Field::Description { html: true } | Field::Title { html: true } => {
                html_to_text(&capture.text)
            }
            _ => clean_text(&capture.text),
        };
        if text.is_empty() {
            return;
        }
        let target = if let Some((_, content)) = self.content.as_mut() {
            &mut content.text
        } else if let Some((_, group)) = self.group.as_mut() {
            &mut group.text
        } else if let Some(entry) = self.entry.as_mut() {
            &mut entry.media.top.text
        } else {
            return;
        };
        match capture.field {
            Field::Description { .. } => {
                target.description.get_or_insert(text);
            }
            Field::Title { .. } => {
                target.title.get_or_insert(text);
            }
            Field::Credit => {
                if !target.credits.contains(&text) {
                    target.credits.push(text);
                }
            }
        }
    }
}

fn number(tag: &BytesStart, name: &str) -> Option<u32> {
    attribute(tag, name).and_then(|v| v.trim().parse().ok())
}

fn media_content(tag: &BytesStart) -> MediaContent {
    let url = attribute(tag, "url").unwrap_or_default();
    let media_type = attribute(tag, "type");
    let medium = attribute(tag, "medium");
    MediaContent {
        is_image: is_image(&url, media_type.as_deref(), medium.as_deref()),
        picture: Picture {
            url,
            width: number(tag, "width"),
        },
        text: MediaText::default(),
        thumbnail: None,
    }
}

/// An image by its `medium`, its MIME type, or failing both its file name.
fn is_image(url: &str, media_type: Option<&str>, medium: Option<&str>) -> bool {
    if let Some(medium) = medium {
        return medium.trim().eq_ignore_ascii_case("image");
    }
    if let Some(media_type) = media_type {
        return media_type.trim().to_ascii_lowercase().starts_with("image/");
    }
    let path = url.split(['?', '#']).next().unwrap_or("");
    let extension = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(
        extension.as_deref(),
        Some("jpg" | "jpeg" | "png" | "gif" | "webp" | "avif")
    )
}

/// The captions of one entry's pictures, each once. `resolve` makes a URL
/// as written absolute, or rejects it.
pub(super) fn captions(
    media: &EntryMedia,
    resolve: impl Fn(&str) -> Option<String>,
) -> Vec<Caption> {
    let mut found = Vec::new();
    let none = MediaText::default();
    for group in &media.groups {
        if let Some(caption) = group_caption(group, &media.top.text, &resolve) {
            found.push(caption);
        }
    }
    for content in &media.top.contents {
        let image = if content.is_image {
            Some(content.picture.url.as_str())
        } else {
            content.thumbnail.as_deref()
        };
        if let Some(image) = image.and_then(&resolve) {
            let width = content.picture.width.unwrap_or(0);
            found.push((caption(image, &[&content.text, &media.top.text]), width));
        }
    }
    if found.is_empty()
        && let Some(thumbnail) = widest(media.top.thumbnails.iter())
        && let Some(image) = resolve(&thumbnail.url)
    {
        found.push((caption(image, &[&media.top.text, &none]), 0));
    }
    for enclosure in &media.enclosures {
        if is_image(&enclosure.url, enclosure.media_type.as_deref(), None)
            && let Some(image) = resolve(&enclosure.url)
        {
            let caption = Caption {
                text: String::new(),
                credit: None,
                image: Some(image),
            };
            found.push((caption, 0));
        }
    }
    dedup_captions(found)
}

/// One caption for a `media:group`: its widest image (or a thumbnail when it
/// holds no image), with the first description and credits found from the
/// rendition up to the entry.
fn group_caption(
    group: &MediaGroup,
    top: &MediaText,
    resolve: &impl Fn(&str) -> Option<String>,
) -> Option<(Caption, u32)> {
    let images = group.contents.iter().filter(|c| c.is_image);
    let (picture, text) = match widest(images.clone().map(|c| &c.picture)) {
        Some(picture) => {
            let content = images.clone().find(|c| c.picture == *picture);
            (picture.clone(), content.map(|c| &c.text))
        }
        None => {
            let thumbnail = widest(group.thumbnails.iter()).cloned().or_else(|| {
                group
                    .contents
                    .iter()
                    .find_map(|c| c.thumbnail.clone().map(|url| Picture { url, width: None }))
            })?;
            (thumbnail, group.contents.first().map(|c| &c.text))
        }
    };
    let image = resolve(&picture.url)?;
    let none = MediaText::default();
    let caption = caption(image, &[text.unwrap_or(&none), &group.text, top]);
    Some((caption, picture.width.unwrap_or(0)))
}

/// The widest picture; the first among equals and those without a width.
fn widest<'a>(pictures: impl Iterator<Item = &'a Picture>) -> Option<&'a Picture> {
    pictures.fold(None, |best: Option<&Picture>, p| match best {
        Some(b) if b.width.unwrap_or(0) >= p.width.unwrap_or(0) => Some(b),
        _ => Some(p),
    })
}

/// A caption whose text and credit come from the first level that has them.
fn caption(image: String, levels: &[&MediaText]) -> Caption {
    let text = levels
        .iter()
        .find_map(|t| t.description.clone())
        .or_else(|| levels.iter().find_map(|t| t.title.clone()))
        .unwrap_or_default();
    let credit = levels
        .iter()
        .find(|t| !t.credits.is_empty())
        .map(|t| t.credits.join(", "));
    Caption {
        text,
        credit,
        image: Some(image),
    }
}

/// Keeps each caption once, in order. Captions with the same text and
/// credit are renditions of one picture: the widest image is kept. A bare
/// caption (an image without text or credit) is a repeat when another
/// caption shows its image.
fn dedup_captions(found: Vec<(Caption, u32)>) -> Vec<Caption> {
    let is_bare = |c: &Caption| c.text.is_empty() && c.credit.is_none();
    let described: HashSet<String> = found
        .iter()
        .filter(|(c, _)| !is_bare(c))
        .filter_map(|(c, _)| c.image.clone())
        .collect();
    let mut kept: Vec<(Caption, u32)> = Vec::new();
    let mut by_text = HashMap::new();
    let mut bare_images = HashSet::new();
    for (caption, width) in found {
        if is_bare(&caption) {
            let fresh = caption
                .image
                .as_ref()
                .is_some_and(|i| !described.contains(i) && bare_images.insert(i.clone()));
            if fresh {
                kept.push((caption, width));
            }
            continue;
        }
        let key = (fold(&caption.text), caption.credit.clone());
        match by_text.get(&key) {
            Some(&at) => {
                let (existing, existing_width): &mut (Caption, u32) = &mut kept[at];
                if width > *existing_width {
                    existing.image = caption.image;
                    *existing_width = width;
                }
            }
            None => {
                by_text.insert(key, kept.len());
                kept.push((caption, width));
            }
        }
    }
    kept.into_iter().map(|(c, _)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MEDIA: &str = "xmlns:media=\"http://search.yahoo.com/mrss/\"";

    fn resolve_against(base: &str) -> impl Fn(&str) -> Option<String> {
        let base = Url::parse(base).expect("base");
        move |u: &str| base.join(u).ok().map(|u| u.to_string())
    }

    #[test]
    fn bases_follow_xml_base_per_entry() {
        let text = "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"http://a.example/news/\"><entry xml:base=\"sport/\"><id>1</id></entry><entry><id>2</id></entry></feed>";
        let entries = scan(text, Layout::Atom, None);
        let bases: Vec<_> = entries
            .iter()
            .map(|e| e.base.as_ref().map(Url::as_str))
            .collect();
        assert_eq!(
            bases,
            vec![
                Some("http://a.example/news/sport/"),
                Some("http://a.example/news/")
            ]
        );
    }

    #[test]
    fn rdf_items_report_their_links() {
        let text = "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><channel><link>x</link></channel><item><link>http://a/</link></item><item><link/></item></rdf:RDF>";
        let links: Vec<_> = scan(text, Layout::Rdf, None)
            .iter()
            .map(|e| e.has_link)
            .collect();
        assert_eq!(links, vec![true, false]);
    }

    #[test]
    fn only_the_first_channel_counts() {
        let text = "<rss><channel><item/><item/></channel><channel><item/></channel></rss>";
        assert_eq!(scan(text, Layout::Rss, None).len(), 2);
    }

    #[test]
    fn each_picture_keeps_its_own_caption() {
        let text = format!(
            "<rss {MEDIA}><channel><item>\
             <media:content url=\"/a.jpg\" medium=\"image\"><media:description>Crowds at the port</media:description><media:credit>Reuters</media:credit></media:content>\
             <media:content url=\"/b.jpg\" type=\"image/jpeg\"><media:description type=\"html\">Divers &lt;b&gt;at work&lt;/b&gt;</media:description></media:content>\
             <media:credit>Staff</media:credit>\
             <enclosure url=\"http://cdn.example/c.png\" type=\"image/png\" length=\"1\"/>\
             <enclosure url=\"http://cdn.example/a.mp3\" type=\"audio/mpeg\" length=\"1\"/>\
             </item></channel></rss>"
        );
        let entries = scan(&text, Layout::Rss, None);
        assert_eq!(entries.len(), 1);
        let got = captions(&entries[0].media, resolve_against("https://news.example/"));
        assert_eq!(
            got,
            vec![
                Caption {
                    text: "Crowds at the port".into(),
                    credit: Some("Reuters".into()),
                    image: Some("https://news.example/a.jpg".into())
                },
                Caption {
                    text: "Divers at work".into(),
                    credit: Some("Staff".into()),
                    image: Some("https://news.example/b.jpg".into())
                },
                Caption {
                    text: String::new(),
                    credit: None,
                    image: Some("http://cdn.example/c.png".into())
                },
            ]
        );
    }

    #[test]
    fn a_group_is_one_picture_at_its_widest() {
        let text = format!(
            "<rss {MEDIA}><channel><item><media:group>\
             <media:content url=\"http://i.example/s.jpg\" width=\"140\"/>\
             <media:content url=\"http://i.example/l.jpg\" width=\"960\"/>\
             <media:description>Flood waters rise</media:description><media:credit role=\"photographer\">Ana Ruiz</media:credit>\
             </media:group></item></channel></rss>"
        );
        let entries = scan(&text, Layout::Rss, None);
        let got = captions(&entries[0].media, resolve_against("https://news.example/"));
        assert_eq!(
            got,
            vec![Caption {
                text: "Flood waters rise".into(),
                credit: Some("Ana Ruiz".into()),
                image: Some("http://i.example/l.jpg".into())
            }]
        );
    }

    #[test]
    fn a_lone_thumbnail_is_a_picture() {
        let text = format!(
            "<rss {MEDIA}><channel><item><media:thumbnail url=\"http://i.example/t.jpg\" width=\"240\"/><media:title>Harbour at dawn</media:title></item></channel></rss>"
        );
        let entries = scan(&text, Layout::Rss, None);
        let got = captions(&entries[0].media, resolve_against("https://news.example/"));
        assert_eq!(
            got,
            vec![Caption {
                text: "Harbour at dawn".into(),
                credit: None,
                image: Some("http://i.example/t.jpg".into())
            }]
        );
    }

    #[test]
    fn repeats_are_kept_once() {
        let text = format!(
            "<rss {MEDIA}><channel><item>\
             <media:content url=\"http://i.example/140.jpg\" width=\"140\"><media:credit>Photo: AP</media:credit></media:content>\
             <media:content url=\"http://i.example/460.jpg\" width=\"460\"><media:credit>Photo: AP</media:credit></media:content>\
             <enclosure url=\"http://i.example/140.jpg\" type=\"image/jpeg\"/>\
             </item></channel></rss>"
        );
        let entries = scan(&text, Layout::Rss, None);
        let got = captions(&entries[0].media, resolve_against("https://news.example/"));
        assert_eq!(
            got,
            vec![Caption {
                text: String::new(),
                credit: Some("Photo: AP".into()),
                image: Some("http://i.example/460.jpg".into())
            }]
        );
    }
}

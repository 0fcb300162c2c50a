//! An entry's pictures: Media RSS (`media:content`, `media:group`,
//! `media:thumbnail`, with their descriptions, titles and credits) and
//! image enclosures, read as the reader passes through them, and the
//! captions they make. Every picture keeps its own description and credit;
//! renditions of one picture become one caption at the widest size, and the
//! entry's thumbnail is a picture only when nothing else gives one.
//! Audio and video given by `media:content` are media files, as enclosures
//! are: each one directly in the entry, one rendition of each group.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use quick_xml::events::BytesStart;

use super::xml::attribute;
use crate::dedup::fingerprint::media_url;
use crate::model::Caption;
use crate::normalize::{Names, fold};

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
    pub credits: Names,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct MediaContent {
    pub picture: Picture,
    pub is_image: bool,
    /// The audio or video file this is, when it is one (never a picture).
    pub file: Option<Enclosure>,
    /// `isDefault="true"`: the rendition a `media:group` is played as.
    pub is_default: bool,
    pub text: MediaText,
    pub thumbnail: Option<String>,
}

/// A URL as written (not yet resolved) and its width, if given.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Picture {
    pub url: String,
    pub width: Option<u32>,
}

/// An RSS `<enclosure>`, an Atom `rel="enclosure"` link or content given
/// by `src`, or a JSON Feed attachment: its URL as written.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Enclosure {
    pub url: String,
    pub media_type: Option<String>,
    pub length: Option<u64>,
}

impl Enclosure {
    /// From a tag's `href` (or `url`), `type` and `length`.
    pub(super) fn of_tag(url: &str, tag: &BytesStart) -> Enclosure {
        Enclosure {
            url: url.trim().to_string(),
            media_type: attribute(tag, "type").map(Cow::into_owned),
            length: attribute(tag, "length").and_then(|l| l.trim().parse().ok()),
        }
    }
}

impl EntryMedia {
    /// The first picture, media file or enclosure URL, as written.
    pub(super) fn first_url(&self) -> Option<&str> {
        fn urls(group: &MediaGroup) -> impl Iterator<Item = &str> {
            let contents = group.contents.iter().map(|c| c.picture.url.as_str());
            contents.chain(group.thumbnails.iter().map(|t| t.url.as_str()))
        }
        self.groups
            .iter()
            .chain(std::iter::once(&self.top))
            .flat_map(urls)
            .chain(self.enclosures.iter().map(|e| e.url.as_str()))
            .find(|u| !u.trim().is_empty())
    }
}

/// Which Media RSS text a captured element holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MediaField {
    Description,
    Title,
    Credit,
}

/// Where the reader is among an entry's Media RSS elements.
#[derive(Debug, Default)]
pub(super) struct MediaReader {
    group: Option<(usize, MediaGroup)>,
    content: Option<(usize, MediaContent)>,
}

impl MediaReader {
    /// A Media RSS element opens at `depth`; returns the text field to read
    /// from it, if any.
    pub(super) fn open(
        &mut self,
        local: &[u8],
        tag: &BytesStart,
        depth: usize,
        media: &mut EntryMedia,
    ) -> Option<MediaField> {
        match local {
            b"group" => self.group = Some((depth, MediaGroup::default())),
            b"content" => self.content = Some((depth, media_content(tag))),
            b"thumbnail" => {
                let url = attribute(tag, "url")?.into_owned();
                let picture = Picture {
                    url,
                    width: number(tag, "width"),
                };
                if let Some((_, content)) = self.content.as_mut() {
                    content.thumbnail.get_or_insert(picture.url);
                } else if let Some((_, group)) = self.group.as_mut() {
                    group.thumbnails.push(picture);
                } else {
                    media.top.thumbnails.push(picture);
                }
            }
            b"description" => return Some(MediaField::Description),
            b"title" => return Some(MediaField::Title),
            b"credit" => return Some(MediaField::Credit),
            _ => {}
        }
        None
    }

    /// An RSS `<enclosure>`.
    pub(super) fn enclosure(tag: &BytesStart, media: &mut EntryMedia) {
        if let Some(url) = attribute(tag, "url") {
            media.enclosures.push(Enclosure::of_tag(&url, tag));
        }
    }

    /// The text of a Media RSS element, as plain text: it belongs to the
    /// innermost open `media:content` or `media:group`, else to the entry.
    pub(super) fn text(&mut self, field: MediaField, text: String, media: &mut EntryMedia) {
        if text.is_empty() {
            return;
        }
        let target = if let Some((_, content)) = self.content.as_mut() {
            &mut content.text
        } else if let Some((_, group)) = self.group.as_mut() {
            &mut group.text
        } else {
            &mut media.top.text
        };
        match field {
            MediaField::Description => {
                target.description.get_or_insert(text);
            }
            MediaField::Title => {
                target.title.get_or_insert(text);
            }
            MediaField::Credit => target.credits.push(text),
        }
    }

    /// The element at `depth` closes.
    pub(super) fn close(&mut self, depth: usize, media: &mut EntryMedia) {
        if self.content.as_ref().is_some_and(|(d, _)| *d == depth)
            && let Some((_, content)) = self.content.take()
        {
            match self.group.as_mut() {
                Some((_, group)) => group.contents.push(content),
                None => media.top.contents.push(content),
            }
        }
        if self.group.as_ref().is_some_and(|(d, _)| *d == depth)
            && let Some((_, group)) = self.group.take()
        {
            media.groups.push(group);
        }
    }
}

fn number(tag: &BytesStart, name: &str) -> Option<u32> {
    attribute(tag, name).and_then(|v| v.trim().parse().ok())
}

fn media_content(tag: &BytesStart) -> MediaContent {
    let url = attribute(tag, "url")
        .map(Cow::into_owned)
        .unwrap_or_default();
    let media_type = attribute(tag, "type");
    let medium = attribute(tag, "medium");
    let file =
        is_audio_or_video(&url, media_type.as_deref(), medium.as_deref()).then(|| Enclosure {
            url: url.trim().to_string(),
            media_type: media_type.as_deref().map(str::to_string),
            length: attribute(tag, "fileSize").and_then(|l| l.trim().parse().ok()),
        });
    MediaContent {
        is_image: is_image(&url, media_type.as_deref(), medium.as_deref()),
        file,
        is_default: attribute(tag, "isDefault").is_some_and(|d| d.trim() == "true"),
        picture: Picture {
            url,
            width: number(tag, "width"),
        },
        text: MediaText::default(),
        thumbnail: None,
    }
}

/// Audio or video by its `medium`, its MIME type, or failing both its file
/// name: a `media:content` that is a media file rather than a picture.
fn is_audio_or_video(url: &str, media_type: Option<&str>, medium: Option<&str>) -> bool {
    if let Some(medium) = medium {
        let medium = medium.trim();
        return medium.eq_ignore_ascii_case("audio") || medium.eq_ignore_ascii_case("video");
    }
    if let Some(media_type) = media_type {
        let media_type = media_type.trim().to_ascii_lowercase();
        return media_type.starts_with("audio/") || media_type.starts_with("video/");
    }
    matches!(
        extension(url).as_deref(),
        Some(
            "mp3"
                | "m4a"
                | "m4b"
                | "aac"
                | "ogg"
                | "oga"
                | "opus"
                | "wav"
                | "flac"
                | "mp4"
                | "m4v"
                | "mov"
                | "webm"
                | "mkv"
                | "m3u8"
        )
    )
}

/// The ending of a URL's path, lower-cased.
fn extension(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())
}

/// An image by its `medium`, its MIME type, or failing both its file name.
fn is_image(url: &str, media_type: Option<&str>, medium: Option<&str>) -> bool {
    if let Some(medium) = medium {
        return medium.trim().eq_ignore_ascii_case("image");
    }
    if let Some(media_type) = media_type {
        return media_type.trim().to_ascii_lowercase().starts_with("image/");
    }
    matches!(
        extension(url).as_deref(),
        Some("jpg" | "jpeg" | "png" | "gif" | "webp" | "avif")
    )
}

/// The captions of one entry's pictures, each once. `resolve` makes a URL
/// as written absolute, or rejects it. The entry's own thumbnail previews
/// its picture: it is a picture only when nothing else gives one, neither
/// Media RSS, an image enclosure nor (`html_shows_picture`) its HTML. A
/// picture whose only text is the name of one of the entry's `authors`, or
/// that an avatar service serves ([`is_avatar`]: the Gravatar WordPress.com
/// adds to every post, titled with the author's login; the avatar GitHub
/// gives every entry as its thumbnail), is the author's portrait, not the
/// story's: it is left out.
pub(super) fn captions(
    media: &EntryMedia,
    html_shows_picture: bool,
    authors: &[String],
    resolve: impl Fn(&str) -> Option<String>,
) -> Vec<Caption> {
    let authors: HashSet<String> = authors.iter().map(|a| fold(a)).collect();
    let portrait = |caption: &Caption| {
        let named = caption.credit.is_none()
            && !caption.text.is_empty()
            && authors.contains(&fold(&caption.text));
        named || caption.image.as_deref().is_some_and(is_avatar)
    };
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
    found.retain(|(c, _)| !portrait(c));
    let image_enclosures: Vec<String> = media
        .enclosures
        .iter()
        .filter(|e| is_image(&e.url, e.media_type.as_deref(), None))
        .filter_map(|e| resolve(&e.url))
        .filter(|url| !is_avatar(url))
        .collect();
    if found.is_empty() {
        // The entry's own thumbnail previews its picture: an image
        // enclosure, when it has one, is that picture at full size.
        let thumbnail = || {
            let thumbnails = media
                .top
                .thumbnails
                .iter()
                .filter(|t| resolve(&t.url).is_some_and(|url| !is_avatar(&url)));
            let thumbnail = widest(thumbnails).filter(|_| !html_shows_picture);
            thumbnail.and_then(|t| resolve(&t.url))
        };
        let picture = image_enclosures.first().cloned().or_else(thumbnail);
        if let Some(image) = picture {
            found.push((caption(image, &[&media.top.text, &none]), 0));
        }
    }
    for image in image_enclosures {
        let caption = Caption {
            text: String::new(),
            credit: None,
            image: Some(image),
            alt: None,
            declared: false,
        };
        found.push((caption, 0));
    }
    dedup_captions(found)
}

/// Whether the picture at `url` (absolute) is a person's avatar, by where
/// it is served: Gravatar's `/avatar/` (on `gravatar.com` or any of its
/// subdomains, as WordPress.com links it), or GitHub's host that serves
/// only avatars (`avatars.githubusercontent.com`). Other hosts named
/// `avatars` serve any picture (`avatars.mds.yandex.net` a news story's).
fn is_avatar(url: &str) -> bool {
    let Ok(url) = url::Url::parse(url) else {
        return false;
    };
    let Some(host) = url.host_str().map(str::to_ascii_lowercase) else {
        return false;
    };
    let on = |domain: &str| {
        host == domain
            || host
                .strip_suffix(domain)
                .is_some_and(|sub| sub.ends_with('.'))
    };
    (on("gravatar.com") && url.path().starts_with("/avatar/"))
        || host == "avatars.githubusercontent.com"
}

/// How many media files one entry keeps: the first given. An episode or
/// a story plays a few; the cap keeps an entry that lists thousands from
/// filling every copy stored and published.
pub(super) const MAX_FILES: usize = 100;

/// The entry's media files: its enclosures that are not pictures (audio,
/// video, documents) in the order given, then the audio and video of its
/// `media:content` (each one directly in the entry, and of each
/// `media:group` its `isDefault` rendition, else its first), each file
/// once: `resolve` makes a URL as written absolute, or rejects it (then the
/// file is left out). Copies of one file are told by their URL as folding
/// compares media files ([`media_url`]: a WordPress player's `?_=1`, a
/// distributor's tracking query); the first copy is kept, with the type
/// and size of a later one when it gives none. Past the first
/// [`MAX_FILES`] files, the rest are left out.
pub(super) fn files(
    media: &EntryMedia,
    resolve: impl Fn(&str) -> Option<String>,
) -> Vec<crate::model::Enclosure> {
    let mut kept: Vec<crate::model::Enclosure> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let enclosures = media
        .enclosures
        .iter()
        .filter(|e| !is_image(&e.url, e.media_type.as_deref(), None));
    let top = media.top.contents.iter().filter_map(|c| c.file.as_ref());
    let groups = media.groups.iter().filter_map(|group| {
        let mut renditions = group.contents.iter().filter(|c| c.file.is_some());
        let first = renditions.clone().next();
        renditions.find(|c| c.is_default).or(first)?.file.as_ref()
    });
    let resolved = enclosures.chain(top).chain(groups).filter_map(|e| {
        let url = resolve(&e.url)?;
        let media_type = e.media_type.as_deref().map(str::trim);
        Some(crate::model::Enclosure {
            media_type: media_type.filter(|t| is_media_type(t)).map(str::to_string),
            length: e.length.filter(|l| *l > 0),
            url,
        })
    });
    for file in resolved {
        match index.get(&media_url(&file.url)) {
            Some(&i) => {
                let first = &mut kept[i];
                if first.media_type.is_none() {
                    first.media_type = file.media_type;
                }
                if first.length.is_none() {
                    first.length = file.length;
                }
            }
            None if kept.len() < MAX_FILES => {
                index.insert(media_url(&file.url), kept.len());
                kept.push(file);
            }
            None => {}
        }
    }
    kept
}

/// Whether `text` has the shape of a MIME type (`audio/mpeg`,
/// `video/mp4; codecs=avc1`): a type and a subtype of token characters.
pub(super) fn is_media_type(text: &str) -> bool {
    let essence = text.split(';').next().unwrap_or_default().trim();
    let token = |t: &str| {
        !t.is_empty()
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    essence
        .split_once('/')
        .is_some_and(|(kind, sub)| token(kind) && token(sub))
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
        .map(|t| t.credits.as_slice().join(", "));
    Caption {
        text,
        credit,
        image: Some(image),
        alt: None,
        declared: false,
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
    use url::Url;

    use super::*;

    const MEDIA: &str = "xmlns:media=\"http://search.yahoo.com/mrss/\"";

    /// The media of each entry of `text`, as the reader collects them.
    fn scan(text: &str) -> Vec<EntryMedia> {
        let (_, feed) = super::super::reader::read(text, None).expect("read");
        feed.entries.into_iter().map(|e| e.media).collect()
    }

    fn resolve_against(base: &str) -> impl Fn(&str) -> Option<String> {
        let base = Url::parse(base).expect("base");
        move |u: &str| base.join(u).ok().map(|u| u.to_string())
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
        let entries = scan(&text);
        assert_eq!(entries.len(), 1);
        let got = captions(
            &entries[0],
            false,
            &[],
            resolve_against("https://news.example/"),
        );
        assert_eq!(
            got,
            vec![
                Caption {
                    text: "Crowds at the port".into(),
                    credit: Some("Reuters".into()),
                    image: Some("https://news.example/a.jpg".into()),
                    alt: None,
                    declared: false,
                },
                Caption {
                    text: "Divers at work".into(),
                    credit: Some("Staff".into()),
                    image: Some("https://news.example/b.jpg".into()),
                    alt: None,
                    declared: false,
                },
                Caption {
                    text: String::new(),
                    credit: None,
                    image: Some("http://cdn.example/c.png".into()),
                    alt: None,
                    declared: false,
                },
            ]
        );
    }

    #[test]
    fn media_files_other_than_pictures_are_kept_once_with_type_and_length() {
        let text = format!(
            "<rss {MEDIA}><channel><item>\
             <enclosure url=\"/audio/briefing.mp3\" type=\"audio/mpeg\" length=\"4820113\"/>\
             <enclosure url=\"http://cdn.example/c.png\" type=\"image/png\" length=\"1\"/>\
             <enclosure url=\"https://news.example/audio/briefing.mp3\" type=\"audio/mpeg\"/>\
             <enclosure url=\"report.pdf\" type=\"not a type\" length=\"0\"/>\
             </item></channel></rss>"
        );
        let entries = scan(&text);
        let got = files(&entries[0], resolve_against("https://news.example/"));
        assert_eq!(
            got,
            vec![
                crate::model::Enclosure {
                    url: "https://news.example/audio/briefing.mp3".into(),
                    media_type: Some("audio/mpeg".into()),
                    length: Some(4_820_113),
                },
                crate::model::Enclosure {
                    url: "https://news.example/report.pdf".into(),
                    media_type: None,
                    length: None,
                },
            ]
        );
    }

    #[test]
    fn copies_of_one_file_under_other_queries_are_one_file() {
        // WordPress's enclosure, its audio player's `?_=1` source (which the
        // entry's HTML adds as an enclosure without a type) and a Media RSS
        // copy with a tracking query; another file stays apart.
        let text = format!(
            "<rss {MEDIA}><channel><item>\
             <enclosure url=\"/uploads/council.mp3?_=1\"/>\
             <enclosure url=\"https://blog.example/uploads/council.mp3\" type=\"audio/mpeg\" length=\"52428800\"/>\
             <media:content url=\"https://blog.example/uploads/council.mp3?utm_source=rss\" type=\"audio/mpeg\"/>\
             <media:content url=\"https://blog.example/uploads/council-2.mp3?utm_source=rss\" type=\"audio/mpeg\"/>\
             </item></channel></rss>"
        );
        let entries = scan(&text);
        let got = files(&entries[0], resolve_against("https://blog.example/"));
        assert_eq!(
            got,
            vec![
                crate::model::Enclosure {
                    url: "https://blog.example/uploads/council.mp3?_=1".into(),
                    media_type: Some("audio/mpeg".into()),
                    length: Some(52_428_800),
                },
                crate::model::Enclosure {
                    url: "https://blog.example/uploads/council-2.mp3?utm_source=rss".into(),
                    media_type: Some("audio/mpeg".into()),
                    length: None,
                },
            ]
        );
    }

    #[test]
    fn media_content_audio_and_video_are_media_files_and_pictures_stay_pictures() {
        let text = format!(
            "<rss {MEDIA}><channel><item>\
             <media:content url=\"/bulletins/evening.mp3\" type=\"audio/mpeg\" medium=\"audio\" fileSize=\"2400000\"/>\
             <media:content url=\"http://cdn.example/clip-720.mp4\" type=\"video/mp4\">\
             <media:title>Quayside at night</media:title>\
             <media:thumbnail url=\"http://cdn.example/clip.jpg\"/></media:content>\
             <media:content url=\"http://cdn.example/interview.m4a\"/>\
             <media:content url=\"http://i.example/quay.jpg\" medium=\"image\"><media:description>The quay</media:description></media:content>\
             <media:content url=\"http://i.example/render?id=4\"/>\
             <media:group>\
             <media:content url=\"http://cdn.example/talk-64.mp3\" type=\"audio/mpeg\"/>\
             <media:content url=\"http://cdn.example/talk-128.mp3\" type=\"audio/mpeg\" isDefault=\"true\"/>\
             </media:group>\
             <enclosure url=\"http://cdn.example/clip-720.mp4\" type=\"video/mp4\" length=\"9000000\"/>\
             </item></channel></rss>"
        );
        let entries = scan(&text);
        let resolve = resolve_against("https://radio.example/news/");
        let urls: Vec<String> = files(&entries[0], &resolve)
            .into_iter()
            .map(|e| e.url)
            .collect();
        assert_eq!(
            urls,
            [
                "http://cdn.example/clip-720.mp4",
                "https://radio.example/bulletins/evening.mp3",
                "http://cdn.example/interview.m4a",
                "http://cdn.example/talk-128.mp3",
            ]
        );
        let audio = &files(&entries[0], &resolve)[1];
        assert_eq!(audio.media_type.as_deref(), Some("audio/mpeg"));
        assert_eq!(audio.length, Some(2_400_000));
        let images: Vec<Option<String>> = captions(&entries[0], false, &[], &resolve)
            .into_iter()
            .map(|c| c.image)
            .collect();
        assert_eq!(
            images,
            [
                Some("http://cdn.example/clip.jpg".to_string()),
                Some("http://i.example/quay.jpg".to_string()),
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
        let entries = scan(&text);
        let got = captions(
            &entries[0],
            false,
            &[],
            resolve_against("https://news.example/"),
        );
        assert_eq!(
            got,
            vec![Caption {
                text: "Flood waters rise".into(),
                credit: Some("Ana Ruiz".into()),
                image: Some("http://i.example/l.jpg".into()),
                alt: None,
                declared: false,
            }]
        );
    }

    #[test]
    fn a_lone_thumbnail_is_a_picture() {
        let text = format!(
            "<rss {MEDIA}><channel><item><media:thumbnail url=\"http://i.example/t.jpg\" width=\"240\"/><media:title>Harbour at dawn</media:title></item></channel></rss>"
        );
        let entries = scan(&text);
        let got = captions(
            &entries[0],
            false,
            &[],
            resolve_against("https://news.example/"),
        );
        assert_eq!(
            got,
            vec![Caption {
                text: "Harbour at dawn".into(),
                credit: None,
                image: Some("http://i.example/t.jpg".into()),
                alt: None,
                declared: false,
            }]
        );
    }

    #[test]
    fn a_thumbnail_beside_html_that_shows_a_picture_previews_it() {
        // Blogger's 72px crop of the picture its post shows.
        let text = format!(
            "<rss {MEDIA}><channel><item><media:thumbnail url=\"http://i.example/s72-c/boats.jpg\" width=\"72\"/>\
             </item></channel></rss>"
        );
        let entries = scan(&text);
        assert_eq!(
            captions(
                &entries[0],
                true,
                &[],
                resolve_against("https://news.example/")
            ),
            vec![]
        );
        assert_eq!(
            captions(
                &entries[0],
                false,
                &[],
                resolve_against("https://news.example/")
            )
            .len(),
            1
        );
    }

    #[test]
    fn a_thumbnail_beside_an_image_enclosure_previews_it() {
        let text = format!(
            "<rss {MEDIA}><channel><item><media:thumbnail url=\"http://i.example/t.jpg\" width=\"240\"/>\
             <media:description>Harbour at dawn</media:description>\
             <enclosure url=\"http://i.example/full.jpg\" type=\"image/jpeg\"/></item></channel></rss>"
        );
        let entries = scan(&text);
        let got = captions(
            &entries[0],
            false,
            &[],
            resolve_against("https://news.example/"),
        );
        assert_eq!(
            got,
            vec![Caption {
                text: "Harbour at dawn".into(),
                credit: None,
                image: Some("http://i.example/full.jpg".into()),
                alt: None,
                declared: false,
            }]
        );
    }

    #[test]
    fn an_avatar_service_picture_is_the_authors_not_the_storys() {
        // WordPress.com's Gravatar, titled with the author's login rather
        // than the name the entry gives, beside the story's own photo.
        let gravatar = format!(
            "<rss {MEDIA}><channel><item>\
             <media:content url=\"https://1.gravatar.com/avatar/4f64c9f8?s=96&amp;d=identicon&amp;r=G\" medium=\"image\">\
             <media:title type=\"html\">mlopez</media:title></media:content>\
             <media:content url=\"https://calder.files.wordpress.com/2026/12/harbour.jpg\" medium=\"image\">\
             <media:title>The harbour</media:title></media:content>\
             </item></channel></rss>"
        );
        let resolve = resolve_against("https://calder.example/");
        let entries = scan(&gravatar);
        let images: Vec<Option<String>> =
            captions(&entries[0], false, &["Maria Lopez".to_string()], &resolve)
                .into_iter()
                .map(|c| c.image)
                .collect();
        assert_eq!(
            images,
            [Some(
                "https://calder.files.wordpress.com/2026/12/harbour.jpg".to_string()
            )]
        );
        // GitHub's 30px avatar thumbnail on every release: no picture.
        let github = format!(
            "<rss {MEDIA}><channel><item>\
             <media:thumbnail height=\"30\" width=\"30\" url=\"https://avatars.githubusercontent.com/u/1234?s=60&amp;v=4\"/>\
             </item></channel></rss>"
        );
        let entries = scan(&github);
        assert_eq!(captions(&entries[0], false, &[], &resolve), vec![]);
        // A picture that only mentions avatars in its path is the story's.
        for url in [
            "https://img.example/avatars/poster.jpg",
            "https://gravatar.example/avatar/a.jpg",
            "https://avatars.dzeninfra.ru/get-zen_doc/1/harbour.jpg",
            "https://avatars.mds.yandex.net/get-ynews/2/harbour/orig",
        ] {
            assert!(!is_avatar(url), "{url}");
        }
        for url in [
            "https://secure.gravatar.com/avatar/4f64?s=96",
            "https://gravatar.com/avatar/4f64",
            "https://avatars.githubusercontent.com/u/1?v=4",
        ] {
            assert!(is_avatar(url), "{url}");
        }
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
        let entries = scan(&text);
        let got = captions(
            &entries[0],
            false,
            &[],
            resolve_against("https://news.example/"),
        );
        assert_eq!(
            got,
            vec![Caption {
                text: String::new(),
                credit: Some("Photo: AP".into()),
                image: Some("http://i.example/460.jpg".into()),
                alt: None,
                declared: false,
            }]
        );
    }
}

//! Upstream HTML made safe and made plain. [`Sanitizer`] cleans HTML with
//! `ammonia` against an explicit allow-list (no scripts, frames, plugins,
//! forms, styles, event handlers or `javascript:`/`data:` URLs; relative
//! links made absolute). [`html_to_blocks`] and [`html_to_text`] turn HTML
//! into the plain-text body model that dumps produce, through `html5ever`'s
//! tokenizer: entities decoded, tags stripped, block elements as paragraph
//! breaks, headings as subheads.
//!
//! Building a tree from deeply nested markup takes time quadratic in the
//! depth, so markup nested deeper than [`MAX_DEPTH`] (found by the linear
//! tokenizer first) is not sanitized at all: it yields text only.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};

use ammonia::{Url, UrlRelative, UrlRelativeEvaluate};
use html5ever::LocalName;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use crate::furniture::other_stories_label;
use crate::ingest::picture::{at_most_one_pixel, marked_lazy, real_picture};
use crate::ingest::tag_attributes;
use crate::model::{Block, BlockKind};
use crate::normalize::{clean_text, uri_string, written_uri};

/// Elements kept in sanitized HTML; everything else is unwrapped (its text
/// stays, the tag goes).
const ALLOWED_TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// The players of audio and video, and the `<source>`s that name their
/// files: let through with their `src` (resolved and checked as any other)
/// only for [`without_players`] to take them out.
const PLAYER_TAGS: &[&str] = &["audio", "video", "source"];

/// Elements removed together with everything inside them.
const REMOVED_WITH_CONTENT: &[&str] = &[
    "applet", "button", "embed", "form", "frame", "frameset", "iframe", "math", "noembed",
    "noframes", "noscript", "object", "script", "select", "style", "svg", "template", "textarea",
];

/// Whether the element `name` (lower case) hides everything inside it from
/// a reader: it has content (it is not void, as `embed` is), and the
/// sanitizer removes it with its content or the tokenizer reads its content
/// as raw text (`title`, `xmp`, `plaintext`, …).
pub fn hides_content(name: &str) -> bool {
    !is_void(name)
        && (REMOVED_WITH_CONTENT.contains(&name)
            || matches!(role(name), Role::Raw(_) | Role::Plaintext))
}

/// Attributes allowed per element. No `style`, `class`, `id` or `on*`, and
/// no URL but `href` and `src`, the only ones whose scheme ammonia checks
/// (`cite` would carry a `javascript:` URL through untouched).
const ALLOWED_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang", "title"]),
    ("abbr", &["title"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("del", &["datetime"]),
    // The lazy-loading sources are read by [`lazy_pictures`], then dropped.
    (
        "img",
        &[
            "src",
            "alt",
            "title",
            "width",
            "height",
            "data-src",
            "data-lazy-src",
            "data-original",
            "srcset",
            "data-srcset",
        ],
    ),
    ("ins", &["datetime"]),
    ("ol", &["start", "reversed"]),
    ("audio", &["src"]),
    ("video", &["src"]),
    ("source", &["src"]),
    ("td", &["colspan", "rowspan", "headers"]),
    ("th", &["colspan", "rowspan", "headers", "scope"]),
    ("time", &["datetime"]),
];

/// Attributes allowed on every kept element.
const GENERIC_ATTRIBUTES: &[&str] = &["lang", "dir"];

/// The only URL schemes a link or image may use.
const URL_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// `base` as a base for URLs that are published: `None` unless it is an
/// `http(s)` URL (a `javascript:` or `file:` base would turn relative links
/// into such URLs), and without a user name or password, which resolving
/// would otherwise copy into every relative link.
pub fn link_base(base: &Url) -> Option<Url> {
    if !matches!(base.scheme(), "http" | "https") {
        return None;
    }
    let mut public = base.clone();
    // An http(s) URL has a host, so both setters succeed.
    let _ = public.set_username("");
    let _ = public.set_password(None);
    Some(public)
}

/// A fetched document's URL as a [`link_base`], also without its query
/// and fragment: a link that is empty or only a `#fragment` would
/// otherwise carry the fetch URL's query (an access key, say) into what is
/// published.
pub fn document_base(url: &Url) -> Option<Url> {
    let mut public = link_base(url)?;
    public.set_query(None);
    public.set_fragment(None);
    Some(public)
}

/// Resolves relative `href`/`src` values against its base: `None` (the
/// attribute is dropped) when one cannot be resolved or the result's scheme
/// is not allowed.
struct Resolver(Url);

impl UrlRelativeEvaluate<'static> for Resolver {
    fn evaluate<'url>(&self, href: &'url str) -> Option<Cow<'url, str>> {
        let url = self.0.join(href).ok()?;
        URL_SCHEMES
            .contains(&url.scheme())
            .then(|| Cow::Owned(uri_string(&url)))
    }
}

/// An `href` or `src` value as a URL attribute is read (the HTML standard
/// strips the ASCII white space around it: `href=" https://…"` links to
/// `https://…`), and an absolute one written as an entry's own link is
/// ([`written_uri`]: a host in punycode, say). Runs after ammonia has
/// checked the scheme and before relative values are resolved
/// ([`Resolver`]); other attributes pass as they are.
fn url_attribute<'u>(_element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    if !matches!(attribute, "href" | "src") {
        return Some(Cow::Borrowed(value));
    }
    let value = value.trim_ascii();
    Some(match Url::parse(value) {
        Ok(url) => Cow::Owned(written_uri(value, &url).into_owned()),
        Err(_) => Cow::Borrowed(value),
    })
}

/// Sanitizes upstream HTML. Build one and reuse it: the allow-lists are
/// built once, only the base URL changes per call.
pub struct Sanitizer {
    builder: ammonia::Builder<'static>,
}

thread_local! {
    /// Building the allow-lists costs more than sanitizing a feed entry or
    /// a pushed article: one sanitizer per thread serves them all.
    static SHARED: RefCell<Sanitizer> = RefCell::new(Sanitizer::new());
}

impl Default for Sanitizer {
    fn default() -> Self {
        Self::new()
    }
}

impl Sanitizer {
    pub fn new() -> Self {
        let mut builder = ammonia::Builder::empty();
        let attributes: HashMap<&'static str, HashSet<&'static str>> = ALLOWED_ATTRIBUTES
            .iter()
            .map(|(tag, attrs)| (*tag, attrs.iter().copied().collect()))
            .collect();
        builder
            .tags(ALLOWED_TAGS.iter().chain(PLAYER_TAGS).copied().collect())
            .clean_content_tags(REMOVED_WITH_CONTENT.iter().copied().collect())
            .tag_attributes(attributes)
            .generic_attributes(GENERIC_ATTRIBUTES.iter().copied().collect())
            .url_schemes(URL_SCHEMES.iter().copied().collect())
            .link_rel(Some("noopener noreferrer"))
            .strip_comments(true)
            .attribute_filter(url_attribute)
            .url_relative(UrlRelative::Deny);
        Sanitizer { builder }
    }

    /// Returns `html` with only allow-listed elements and attributes, or
    /// `None` when it nests deeper than [`MAX_DEPTH`]. Relative `href`/`src`
    /// values are resolved against `base` (see [`link_base`]); without a
    /// base they are dropped, since they could not work in a reader.
    pub fn clean(&mut self, html: &str, base: Option<&Url>) -> Option<String> {
        self.convert(html, base).html
    }

    /// [`Sanitizer::convert`] by this thread's sanitizer, built once and
    /// reused by every call on the thread (each call sets its own base).
    pub fn convert_shared(html: &str, base: Option<&Url>) -> Converted {
        SHARED.with_borrow_mut(|sanitizer| sanitizer.convert(html, base))
    }

    /// `html` sanitized (as [`Sanitizer::clean`]) and as body blocks (as
    /// [`html_to_blocks`]). The blocks are read from the sanitized HTML,
    /// which html5ever serialized and a plain scan reads exactly.
    pub fn convert(&mut self, html: &str, base: Option<&Url>) -> Converted {
        // Nesting is bounded by the number of tags: count those first.
        if memchr::memchr_iter(b'<', html.as_bytes()).count() > MAX_DEPTH {
            let (blocks, depth) = tokenize(html);
            if depth > MAX_DEPTH {
                return Converted { html: None, blocks };
            }
        }
        // ammonia checks the scheme of absolute URLs only: relative ones
        // are checked once resolved.
        let relative = match base.and_then(link_base) {
            Some(base) => UrlRelative::Custom(Box::new(Resolver(base))),
            None => UrlRelative::Deny,
        };
        self.builder.url_relative(relative);
        let html = tag_attributes::bounded(html);
        let html = noscript_pictures(&html);
        let mut serialized = Vec::with_capacity(html.len());
        if self.builder.clean(&html).write_to(&mut serialized).is_err() {
            // Writing to memory does not fail; should it, keep the text.
            return Converted {
                html: None,
                blocks: tokenize(&html).0,
            };
        }
        let clean = String::from_utf8(serialized)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        let clean = without_players(clean);
        let clean = lazy_pictures(clean, base.and_then(link_base).as_ref());
        let blocks = serialized_blocks(&clean);
        Converted {
            html: Some(without_other_stories_lists(clean)),
            blocks,
        }
    }
}

/// Sanitized HTML without its lists of links to other stories: a
/// paragraph holding only a label over such links ([`other_stories_label`]:
/// `<p><strong>Related:</strong></p>`) and the list right after it. The
/// body blocks keep them, as links to other stories ([`BlockBuilder`]),
/// which no feed shows.
fn without_other_stories_lists(html: String) -> String {
    if !html.contains("</ul>") && !html.contains("</ol>") {
        return html;
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(start) = find_start_tag(rest, "p") {
        let Some(close) = rest[start..].find("</p>").map(|at| start + at) else {
            break;
        };
        let inner = rest[start..close]
            .split_once('>')
            .map_or("", |(_, text)| text);
        let after = &rest[close + "</p>".len()..];
        let list = after.trim_start();
        let list_len = ["ul", "ol"]
            .into_iter()
            .find_map(|name| {
                (find_start_tag(list, name) == Some(0)).then(|| element_len(list, name))
            })
            .flatten();
        match list_len {
            Some(len) if other_stories_label(&html_to_text(inner)) => {
                out.push_str(&rest[..start]);
                rest = &list[len..];
            }
            _ => {
                out.push_str(&rest[..close + "</p>".len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Sanitized HTML without its `<audio>` and `<video>` players, whose files
/// are republished as the entry's media files: a player that plays a file
/// (its `src` or a `<source>`'s, `http(s)` once resolved) goes with its
/// fallback content ("Your browser does not support the audio element"),
/// which no reader of the story needs; one that plays none is unwrapped,
/// for its fallback may hold the only link to the file. Stray `<source>`s
/// (a `<picture>`'s) go too.
fn without_players(html: String) -> String {
    if !PLAYER_TAGS
        .iter()
        .any(|name| html.contains(&format!("<{name}")))
    {
        return html;
    }
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    let mut copied = 0;
    while let Some(found) = html[at..].find('<').map(|found| at + found) {
        let rest = &html[found + 1..];
        let tag_end = || rest.find('>').map_or(html.len(), |end| found + 1 + end + 1);
        let name = ["audio", "video", "source", "/audio>", "/video>"]
            .into_iter()
            .find(|name| {
                rest.starts_with(name)
                    && (name.ends_with('>') || rest[name.len()..].starts_with(['>', ' ', '/']))
            });
        let end = match name {
            None => {
                at = found + 1;
                continue;
            }
            Some(player @ ("audio" | "video")) if plays_file(&html[found..], player) => {
                element_len(&html[found..], player).map_or_else(tag_end, |len| found + len)
            }
            Some(_) => tag_end(),
        };
        out.push_str(&html[copied..found]);
        copied = end;
        at = end;
    }
    out.push_str(&html[copied..]);
    out
}

/// Whether the player `name` that sanitized `html` opens with plays a file:
/// it or a `<source>` in it has an `http(s)` `src`.
fn plays_file(html: &str, name: &str) -> bool {
    let player = &html[..element_len(html, name).unwrap_or(html.len())];
    let web_src = |tag: &str| {
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        tag.contains(" src=\"http://") || tag.contains(" src=\"https://")
    };
    web_src(player)
        || player
            .match_indices("<source")
            .any(|(at, _)| web_src(&player[at..]))
}

/// Where the first start tag `name` (lower case, as the sanitizer writes
/// it) opens in `html`.
fn find_start_tag(html: &str, name: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = html[from..].find('<').map(|at| from + at) {
        let rest = &html[at + 1..];
        if rest.starts_with(name) && rest[name.len()..].starts_with(['>', ' ', '/']) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The length of the element `name` that `html` opens with, up to its
/// matching end tag; `None` when it is not closed.
fn element_len(html: &str, name: &str) -> Option<usize> {
    let end_tag = format!("</{name}>");
    let mut depth = 0usize;
    let mut at = 0;
    loop {
        let next_start = find_start_tag(&html[at..], name).map(|i| at + i);
        let next_end = html[at..].find(&end_tag).map(|i| at + i)?;
        match next_start {
            Some(start) if start < next_end => {
                depth += 1;
                at = start + 1;
            }
            _ => {
                depth = depth.checked_sub(1)?;
                at = next_end + end_tag.len();
                if depth == 0 {
                    return Some(at);
                }
            }
        }
    }
}

/// Upstream HTML with the pictures a `<noscript>` holds for readers
/// without scripts (beside a lazy-loading placeholder, or alone) in its
/// place, for the sanitizer drops a `<noscript>` with all it holds. The
/// image just before it (perhaps in a `<picture>`, a link or a `<div>`) is
/// weighed as [`Beside`] tells: a stand-in goes, for the picture stands for
/// it; after an image whose lazy-loading attribute names the real picture
/// the `<noscript>` adds nothing; after a picture of its own the
/// `<noscript>`'s other pictures follow it. Each picture is shown once.
/// Only the `<img>`s of a `<noscript>` are kept, and the sanitizer cleans
/// them as any other.
fn noscript_pictures(html: &str) -> Cow<'_, str> {
    let opens = |w: &[u8]| w.eq_ignore_ascii_case(b"<noscript");
    if !html.as_bytes().windows(9).any(opens) {
        return Cow::Borrowed(html);
    }
    // ASCII lower case keeps every byte where it was.
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    while let Some(found) = lower[at..].find("<noscript") {
        let start = at + found;
        let name_end = start + "<noscript".len();
        let tag = lower[name_end..]
            .starts_with(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/');
        // Its text is raw up to the first `</noscript`, as a browser reads it.
        let close = tag
            .then(|| {
                let open_end = name_end + lower[name_end..].find('>')? + 1;
                let close = open_end + lower[open_end..].find("</noscript")?;
                let end = lower[close..]
                    .find('>')
                    .map_or(html.len(), |e| close + e + 1);
                Some((open_end, close, end))
            })
            .flatten();
        let Some((open_end, close, end)) = close else {
            out.push_str(&html[at..name_end]);
            at = name_end;
            continue;
        };
        let pictures = noscript_images(&html[open_end..close]);
        let before = &html[at..start];
        match image_before(before) {
            _ if pictures.is_empty() => out.push_str(&html[at..end]),
            Some((_, Beside::Named)) => out.push_str(&html[at..end]),
            Some((image, Beside::StandIn)) => {
                out.push_str(&before[..image.start]);
                out.push_str(&before[image.end..]);
                out.push_str(&image_tags(&pictures, None));
            }
            Some((_, Beside::Picture(shown))) => {
                out.push_str(before);
                out.push_str(&image_tags(&pictures, Some(&shown)));
            }
            None => {
                out.push_str(before);
                out.push_str(&image_tags(&pictures, None));
            }
        }
        at = end;
    }
    out.push_str(&html[at..]);
    Cow::Owned(out)
}

/// What the image right before a `<noscript>` shows, weighed against the
/// pictures the `<noscript>` holds.
#[derive(Debug, PartialEq)]
enum Beside {
    /// The real picture a lazy-loading attribute names (`data-src`,
    /// `srcset`): the `<noscript>` holds the same picture.
    Named,
    /// A stand-in for the `<noscript>`'s picture: no picture of its own
    /// ([`real_picture`]: `data:` or a file named as a placeholder), or one
    /// marked as loaded late by a script ([`marked_lazy`]: `class="lazyload"`,
    /// `loading="lazy"`, a one-pixel size), whatever file its `src` names.
    StandIn,
    /// A picture of its own, by its `src`.
    Picture(String),
}

/// Where in `before` (the HTML before a `<noscript>`) the `<img>` right
/// before it is, with only white space and end tags between them (the ends
/// of what wraps it: a `<picture>`, a link, a lazy-loading script's `<span>`
/// or `<div>`), and what it shows. Text or a start tag between them opens
/// something else: that image is not the one the `<noscript>` stands for.
fn image_before(before: &str) -> Option<(std::ops::Range<usize>, Beside)> {
    let mut end = before.len();
    loop {
        let trimmed = before[..end].trim_end();
        if !trimmed.ends_with('>') {
            return None;
        }
        let start = trimmed.rfind('<')?;
        let tag = trimmed[start..].to_ascii_lowercase();
        if tag.starts_with("<img")
            && tag[4..].starts_with(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
        {
            let tags = tokenize_into(ImageTags::default(), &trimmed[start..])
                .tags
                .into_inner();
            let attributes = tags.first().map_or(&[][..], Vec::as_slice);
            return Some((start..trimmed.len(), beside(attributes)));
        }
        if !tag.starts_with("</") || !tag[2..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        end = start;
    }
}

/// What an image with `attributes`, right before a `<noscript>`, shows
/// ([`Beside`]).
fn beside(attributes: &[(String, String)]) -> Beside {
    let value = |name: &str| {
        attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let src = value("src").map(str::trim);
    match real_picture(value) {
        Some(picture) if Some(picture) != src => Beside::Named,
        Some(picture) if !marked_lazy(value) => Beside::Picture(picture.to_string()),
        _ => Beside::StandIn,
    }
}

/// The attributes of the `<img>` tags in `html` (a `<noscript>`'s text),
/// but for tracking pixels ([`tracking_pixel`]).
fn noscript_images(html: &str) -> Vec<Vec<(String, String)>> {
    let mut tags = tokenize_into(ImageTags::default(), html).tags.into_inner();
    tags.retain(|attributes| !tracking_pixel(attributes));
    tags
}

/// The images with `images`' attributes as `<img>` tags, their attributes
/// double-quoted, but for one whose `src` is `shown` (a picture the HTML
/// shows already).
fn image_tags(images: &[Vec<(String, String)>], shown: Option<&str>) -> String {
    let mut out = String::new();
    for attributes in images {
        let src = attributes
            .iter()
            .find(|(name, _)| name == "src")
            .map(|(_, value)| value.trim());
        if shown.is_some_and(|shown| src == Some(shown)) {
            continue;
        }
        out.push_str("<img");
        for (name, value) in attributes {
            out.push_str(&format!(" {name}=\"{}\"", escape_attribute(value)));
        }
        out.push('>');
    }
    out
}

/// Whether an image with `attributes` is a tracking pixel, no picture: a
/// width or a height of one pixel or none, as statistics counters hide in
/// a `<noscript>` (`<img src="https://stats.example/c.gif" width="1"
/// height="1">`).
fn tracking_pixel(attributes: &[(String, String)]) -> bool {
    attributes.iter().any(|(name, value)| {
        matches!(name.as_str(), "width" | "height") && at_most_one_pixel(value)
    })
}

/// Collects the attributes of each `<img>` start tag the tokenizer reads.
#[derive(Default)]
struct ImageTags {
    tags: RefCell<Vec<Vec<(String, String)>>>,
}

impl TokenSink for ImageTags {
    type Handle = ();

    fn process_token(&self, token: Token, _line_number: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        if tag.kind == TagKind::StartTag && &*tag.name == "img" {
            let attributes = tag
                .attrs
                .iter()
                .map(|a| (a.name.local.to_string(), a.value.to_string()))
                .collect();
            self.tags.borrow_mut().push(attributes);
        }
        if tag.kind == TagKind::StartTag {
            return content_after(&tag.name);
        }
        TokenSinkResult::Continue
    }
}

/// The `<img>` attributes a lazy-loading script reads its picture from.
const LAZY_ATTRIBUTES: &[&str] = &[
    "data-src",
    "data-lazy-src",
    "data-original",
    "srcset",
    "data-srcset",
];

/// Sanitized HTML with each `<img>` showing its real picture rather than a
/// lazy-loading placeholder ([`real_picture`]: `data-src`, `data-lazy-src`,
/// `data-original`, `srcset`), resolved against `base` and of an allowed
/// scheme, else its `src` as it was; the lazy-loading attributes go. Reads
/// the serializer's output, as [`serialized_blocks`] does: every attribute
/// value double-quoted, `&`, `"`, `<`, `>` and no-break spaces escaped.
fn lazy_pictures(html: String, base: Option<&Url>) -> String {
    let lazy = |tag: &str| {
        LAZY_ATTRIBUTES
            .iter()
            .any(|a| tag.contains(&format!(" {a}=\"")))
    };
    if !html.contains("<img ") || !LAZY_ATTRIBUTES.iter().any(|a| html.contains(a)) {
        return html;
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(at) = rest.find("<img ") {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        // The tag ends at the first `>` outside a quoted attribute value.
        let mut quoted = false;
        let end = rest
            .bytes()
            .position(|b| {
                quoted ^= b == b'"';
                b == b'>' && !quoted
            })
            .map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        rest = &rest[end..];
        if !lazy(tag) {
            out.push_str(tag);
            continue;
        }
        let attributes = serialized_attributes(tag);
        let value = |name: &str| {
            attributes
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        let picture = real_picture(value)
            .and_then(|p| picture_url(p, base))
            .or_else(|| value("src").map(str::to_string));
        out.push_str("<img");
        if let Some(picture) = picture {
            out.push_str(&format!(" src=\"{}\"", escape_attribute(&picture)));
        }
        for (name, value) in &attributes {
            if name != "src" && !LAZY_ATTRIBUTES.contains(&name.as_str()) {
                out.push_str(&format!(" {name}=\"{}\"", escape_attribute(value)));
            }
        }
        out.push('>');
    }
    out.push_str(rest);
    out
}

/// The attributes of a serialized start tag (`<img a="1" b="&amp;">`),
/// their values unescaped.
fn serialized_attributes(tag: &str) -> Vec<(String, String)> {
    let mut attributes = Vec::new();
    let mut rest = tag.trim_start_matches("<img").trim_end_matches('>');
    while let Some(eq) = rest.find("=\"") {
        let name = rest[..eq].trim().to_string();
        let value_start = eq + 2;
        let value_end = rest[value_start..]
            .find('"')
            .map_or(rest.len(), |e| value_start + e);
        attributes.push((name, unescape_attribute(&rest[value_start..value_end])));
        rest = rest.get(value_end + 1..).unwrap_or_default();
    }
    attributes
}

/// `src` resolved against `base` (else taken as absolute), if its scheme
/// is allowed, written as a `src` is ([`url_attribute`]).
fn picture_url(src: &str, base: Option<&Url>) -> Option<String> {
    let src = src.trim_ascii();
    let (url, absolute) = match (Url::parse(src), base) {
        (Ok(url), _) => (url, true),
        (Err(_), Some(base)) => (base.join(src).ok()?, false),
        (Err(_), None) => return None,
    };
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    Some(if absolute {
        written_uri(src, &url).into_owned()
    } else {
        uri_string(&url)
    })
}

/// An attribute value html5ever's serializer escaped, as it was.
pub(crate) fn unescape_attribute(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// Escapes an attribute value as html5ever's serializer does.
pub(crate) fn escape_attribute(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('\u{a0}', "&nbsp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Deepest element nesting that is sanitized (see the module documentation).
pub const MAX_DEPTH: usize = 256;

/// Upstream HTML, converted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converted {
    /// Sanitized HTML; `None` when the markup nests deeper than [`MAX_DEPTH`].
    pub html: Option<String>,
    pub blocks: Vec<Block>,
}

/// Whether sanitized HTML shows a picture: an `<img>` with a `src`.
pub fn shows_picture(html: &str) -> bool {
    html.split("<img ").skip(1).any(|tag| {
        let attributes = tag.split('>').next().unwrap_or_default();
        attributes.starts_with("src=\"") || attributes.contains(" src=\"")
    })
}

/// The text of an HTML fragment as body blocks, in order: each paragraph,
/// list item, table cell or other block as a paragraph, `h1`–`h6` as
/// subheads, `<br>` as a break. Entities are decoded and white space is
/// cleaned. Script, style and similar contents are dropped, and so are
/// figure captions, which feeds carry as captions instead.
pub fn html_to_blocks(html: &str) -> Vec<Block> {
    tokenize(html).0
}

/// The blocks of `html` and how deeply its elements nest.
fn tokenize(html: &str) -> (Vec<Block>, usize) {
    if !html.contains(['<', '&']) {
        return (text_to_blocks(html), 0);
    }
    tokenize_into(TextSink::default(), html).finish()
}

/// Runs html5ever's tokenizer over `html` (already decoded, each tag's
/// attributes bounded, the rest left out) into `sink`, and gives the sink
/// back.
pub fn tokenize_into<S: TokenSink>(sink: S, html: &str) -> S {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(&tag_attributes::bounded(html)));
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink
}

/// An HTML fragment (a title, a summary) as one line of plain text:
/// entities decoded, tags stripped, blocks joined by a space, white space
/// cleaned.
pub fn html_to_text(html: &str) -> String {
    if !html.contains(['<', '&']) {
        return clean_text(html);
    }
    let blocks = html_to_blocks(html);
    let mut text = String::new();
    for block in blocks {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&block.text);
    }
    text
}

/// Plain text as body blocks: one paragraph per non-empty line, lines
/// ending as a dump's do (LF, CRLF or a lone CR).
pub fn text_to_blocks(text: &str) -> Vec<Block> {
    super::lines::text_lines(text)
        .map(clean_text)
        .filter(|line| !line.is_empty())
        .map(Block::paragraph)
        .collect()
}

/// Plain text as a feed writes it (Atom `type="text"`, JSON Feed
/// `content_text`) as body blocks: paragraphs are separated by blank lines,
/// and the lines of one paragraph are joined by a space, since a single
/// line break is a soft one (RFC 4287 §3.1.1.1): a hard-wrapped sentence
/// stays one paragraph.
pub fn wrapped_text_to_blocks(text: &str) -> Vec<Block> {
    let lines: Vec<String> = super::lines::text_lines(text).map(clean_text).collect();
    lines
        .split(|line| line.is_empty())
        .filter(|paragraph| !paragraph.is_empty())
        .map(|paragraph| Block::paragraph(paragraph.join(" ")))
        .collect()
}

/// Builds body blocks from tags and text, whatever reads the HTML.
#[derive(Default)]
struct BlockBuilder {
    blocks: Vec<Block>,
    current: String,
    kind: Option<BlockKind>,
    /// Inside an element whose text is not body text: the element's name and
    /// how deeply it nests in itself.
    skipping: Option<(String, usize)>,
    /// Whether the current block is a list item.
    item: bool,
    /// The label over links to other stories (`Related:`,
    /// [`other_stories_label`]) that the last block was, while list items
    /// follow it: each item is a link to another story, and reads as one
    /// (`Related: <its headline>`), page furniture as a dump has it.
    other_stories: Option<String>,
}

/// How the content after a start tag is to be read.
enum ContentKind {
    Markup,
    Raw(RawKind),
    Plaintext,
}

impl BlockBuilder {
    fn text(&mut self, text: &str) {
        if self.skipping.is_none() {
            self.current.push_str(text);
        }
    }

    fn flush(&mut self) {
        let text = clean_text(&self.current);
        self.current.clear();
        if !text.is_empty() {
            let kind = self.kind.unwrap_or(BlockKind::Paragraph);
            let text = self.labelled(kind, text);
            self.blocks.push(Block { kind, text });
            self.item = false;
        }
        self.kind = None;
    }

    /// The text of a block as the body keeps it: a list item under a label
    /// over links to other stories (`<p>Related:</p><ul><li>…`) as a link
    /// to another story (`Related: …`). A block that is no list item ends
    /// the label's list; a paragraph that is such a label starts one.
    fn labelled(&mut self, kind: BlockKind, text: String) -> String {
        if self.item && kind == BlockKind::Paragraph {
            if let Some(label) = &self.other_stories {
                return format!("{label}: {text}");
            }
            return text;
        }
        self.other_stories = (kind == BlockKind::Paragraph && other_stories_label(&text))
            .then(|| text.trim_end_matches(':').trim_end().to_string());
        text
    }

    fn finish(mut self) -> Vec<Block> {
        self.flush();
        self.blocks
    }

    fn tag(&mut self, name: &str, start: bool, self_closing: bool) -> ContentKind {
        if let Some((skipped, depth)) = self.skipping.as_mut() {
            if skipped == name && !self_closing {
                if start {
                    *depth += 1;
                } else if *depth == 1 {
                    self.skipping = None;
                } else {
                    *depth -= 1;
                }
            }
            return ContentKind::Markup;
        }
        let role = role(name);
        if start {
            match role {
                Role::Raw(raw) => {
                    self.skipping = Some((name.to_string(), 1));
                    return ContentKind::Raw(raw);
                }
                Role::Plaintext => {
                    self.flush();
                    return ContentKind::Plaintext;
                }
                Role::Skipped if !self_closing => {
                    self.skipping = Some((name.to_string(), 1));
                    return ContentKind::Markup;
                }
                _ => {}
            }
        }
        match role {
            Role::Heading => {
                self.flush();
                if start {
                    self.kind = Some(BlockKind::Subhead);
                }
            }
            Role::Block => {
                self.flush();
                // An item's text may sit in a paragraph of its own
                // (`<li><p>…`); the list's end ends any item.
                match (name, start) {
                    ("li", true) => self.item = true,
                    ("ul" | "ol", false) => self.item = false,
                    _ => {}
                }
            }
            _ => {}
        }
        // Inline elements add nothing: words on either side of one stay
        // apart only if the source spaced them.
        ContentKind::Markup
    }
}

/// Reads HTML as html5ever's tokenizer does (entities, raw text, comments
/// all as a browser would), for blocks and nesting depth. The tokenizer
/// hands `&self` to its sink, hence the cells.
#[derive(Default)]
struct TextSink {
    blocks: RefCell<BlockBuilder>,
    /// Elements a tree builder would hold open, up to [`MAX_DEPTH`] + 1.
    open: RefCell<Vec<LocalName>>,
    max_depth: Cell<usize>,
}

impl TextSink {
    fn finish(self) -> (Vec<Block>, usize) {
        (self.blocks.into_inner().finish(), self.max_depth.get())
    }

    /// Follows nesting: an end tag closes its element and everything opened
    /// inside it, a stray end tag closes nothing. Void elements and those
    /// their next sibling closes (`p`, `li`, …) are not counted.
    fn count_depth(&self, tag: &Tag) {
        let name: &str = &tag.name;
        if self.max_depth.get() > MAX_DEPTH
            || tag.self_closing
            || is_void(name)
            || closes_implicitly(name)
        {
            return;
        }
        let mut open = self.open.borrow_mut();
        if tag.kind == TagKind::StartTag {
            open.push(tag.name.clone());
            self.max_depth.set(self.max_depth.get().max(open.len()));
        } else if let Some(at) = open.iter().rposition(|n| *n == tag.name) {
            open.truncate(at);
        }
    }
}

impl TokenSink for TextSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line_number: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) => {
                self.count_depth(&tag);
                let start = tag.kind == TagKind::StartTag;
                let content = self
                    .blocks
                    .borrow_mut()
                    .tag(&tag.name, start, tag.self_closing);
                match content {
                    ContentKind::Markup => {}
                    ContentKind::Raw(raw) => return TokenSinkResult::RawData(raw),
                    ContentKind::Plaintext => return TokenSinkResult::Plaintext,
                }
            }
            Token::CharacterTokens(text) => self.blocks.borrow_mut().text(&text),
            Token::DoctypeToken(_)
            | Token::CommentToken(_)
            | Token::NullCharacterToken
            | Token::EOFToken
            | Token::ParseError(_) => {}
        }
        TokenSinkResult::Continue
    }
}

/// Blocks of HTML that html5ever serialized (the sanitizer's output): every
/// attribute value double-quoted, text escaped as `&amp;`, `&lt;`, `&gt;`
/// and `&nbsp;` only, no comments, no raw-text elements. A plain scan reads
/// that exactly, several times faster than the tokenizer.
fn serialized_blocks(html: &str) -> Vec<Block> {
    let bytes = html.as_bytes();
    let mut builder = BlockBuilder::default();
    let mut at = 0;
    while let Some(found) = memchr::memchr2(b'<', b'&', &bytes[at..]) {
        let special = at + found;
        builder.text(&html[at..special]);
        if bytes[special] == b'&' {
            let entity_end = bytes[special..]
                .iter()
                .take(8)
                .position(|&b| b == b';')
                .map(|e| special + e);
            let decoded = entity_end.and_then(|end| match &html[special + 1..end] {
                "amp" => Some("&"),
                "lt" => Some("<"),
                "gt" => Some(">"),
                "quot" => Some("\""),
                "nbsp" => Some("\u{a0}"),
                _ => None,
            });
            match (decoded, entity_end) {
                (Some(text), Some(end)) => {
                    builder.text(text);
                    at = end + 1;
                }
                _ => {
                    builder.text("&");
                    at = special + 1;
                }
            }
            continue;
        }
        let closing = bytes.get(special + 1) == Some(&b'/');
        let name_start = special + 1 + usize::from(closing);
        let name_len = bytes[name_start..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
            .unwrap_or(bytes.len() - name_start);
        let name_end = name_start + name_len;
        // The tag ends at the first `>` outside a quoted attribute value.
        let mut end = name_end;
        let mut quoted = false;
        while end < bytes.len() && (quoted || bytes[end] != b'>') {
            quoted ^= bytes[end] == b'"';
            end += 1;
        }
        let self_closing = end > name_end && bytes[end - 1] == b'/';
        builder.tag(&html[name_start..name_end], !closing, self_closing);
        at = (end + 1).min(bytes.len());
    }
    builder.text(&html[at..]);
    builder.finish()
}

/// What the tokenizer reads after the start tag `name` (lower case): raw
/// text for `script`, `style` and their kind, all the rest as text after
/// `plaintext`, else markup, as a browser reads it. For sinks that read
/// tags only.
pub(crate) fn content_after(name: &str) -> TokenSinkResult<()> {
    match role(name) {
        Role::Raw(raw) => TokenSinkResult::RawData(raw),
        Role::Plaintext => TokenSinkResult::Plaintext,
        _ => TokenSinkResult::Continue,
    }
}

/// What an element is to the text of a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Its content is raw text to the tokenizer, and never body text.
    Raw(RawKind),
    /// Everything after it is text.
    Plaintext,
    /// Its (parsed) content is not body text: what the sanitizer removes
    /// with its content, and figure captions.
    Skipped,
    Heading,
    /// It ends the text before it and starts a new block.
    Block,
    Inline,
}

fn role(name: &str) -> Role {
    match name {
        "script" => Role::Raw(RawKind::ScriptData),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
            Role::Raw(RawKind::Rawtext)
        }
        "title" | "textarea" => Role::Raw(RawKind::Rcdata),
        "plaintext" => Role::Plaintext,
        "applet" | "button" | "figcaption" | "form" | "frameset" | "head" | "math" | "object"
        | "select" | "svg" | "template" => Role::Skipped,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Role::Heading,
        "address" | "article" | "aside" | "blockquote" | "body" | "br" | "caption" | "center"
        | "dd" | "details" | "dialog" | "dir" | "div" | "dl" | "dt" | "fieldset" | "figure"
        | "footer" | "header" | "hgroup" | "hr" | "html" | "legend" | "li" | "main" | "menu"
        | "nav" | "ol" | "p" | "pre" | "section" | "summary" | "table" | "tbody" | "td"
        | "tfoot" | "th" | "thead" | "tr" | "ul" => Role::Block,
        _ => Role::Inline,
    }
}

/// Whether `name` (lower case) is an HTML element without an end tag.
pub(crate) fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
    )
}

/// Elements whose end tag may be left out: the next sibling closes them.
fn closes_implicitly(name: &str) -> bool {
    matches!(
        name,
        "p" | "li"
            | "dt"
            | "dd"
            | "tr"
            | "td"
            | "th"
            | "tbody"
            | "thead"
            | "tfoot"
            | "colgroup"
            | "option"
            | "optgroup"
            | "rb"
            | "rt"
            | "rp"
    )
}

/// Test helper shared by the sanitizer's and the feed mapper's tests:
/// asserts that nothing a browser would run, style or load survived.
#[cfg(test)]
pub(crate) fn assert_inert(html: &str) {
    let lower = html.to_ascii_lowercase();
    for needle in [
        "<script",
        "<iframe",
        "<object",
        "<embed",
        "<form",
        "<style",
        "<svg",
        "<math",
        "<base",
        "<meta",
        "<link",
        "javascript:",
        "vbscript:",
        "data:",
        "style=",
        "expression(",
        "onerror",
        "onload",
        "onclick",
        "onmouseover",
        "srcdoc",
        "alert(",
    ] {
        assert!(!lower.contains(needle), "`{needle}` survived in {html}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(html: &str) -> String {
        Sanitizer::new().clean(html, None).expect("shallow markup")
    }

    fn clean_with_base(html: &str, base: &str) -> String {
        let base = Url::parse(base).expect("test base URL");
        Sanitizer::new()
            .clean(html, Some(&base))
            .expect("shallow markup")
    }

    #[test]
    fn scripts_and_their_content_are_removed() {
        let out = clean("<p>Before</p><script>alert('x')</script><p>After</p>");
        assert_eq!(out, "<p>Before</p><p>After</p>");
    }

    #[test]
    fn event_handlers_and_styles_are_dropped() {
        let out = clean(
            r#"<p style="color:red;background:url(javascript:alert(1))" onclick="steal()">Text</p><img src="http://img.example/a.jpg" onerror="alert(1)" style="width:expression(alert(1))">"#,
        );
        assert_eq!(out, r#"<p>Text</p><img src="http://img.example/a.jpg">"#);
        assert_inert(&out);
    }

    #[test]
    fn lazy_loaded_pictures_show_the_real_picture() {
        let out = clean_with_base(
            concat!(
                r#"<figure><img src="data:image/svg+xml,%3Csvg%3E" data-lazy-src="/up/a.jpg?w=1&amp;h=2" alt="Boats &quot;racing&quot;">"#,
                r#"<noscript><img src="/up/a.jpg"></noscript></figure>"#,
                r#"<p><img class="lazyload" src="/plugins/lazy/placeholder.gif" data-src="https://cdn.example/b.jpg" alt="Winners"></p>"#,
                r#"<img src="/spacer.gif" data-srcset="/c-320.jpg 320w, /c-1024.jpg 1024w" width="10">"#,
                r#"<img src="/d.jpg" srcset="/d-2x.jpg 2x">"#,
                r#"<img src="/e.jpg" data-src="javascript:alert(1)">"#,
                r#"<img data-src="data:image/gif;base64,R0lGOD">"#,
            ),
            "https://blog.example/post/",
        );
        assert_eq!(
            out,
            concat!(
                r#"<figure><img src="https://blog.example/up/a.jpg?w=1&amp;h=2" alt="Boats &quot;racing&quot;"></figure>"#,
                r#"<p><img src="https://cdn.example/b.jpg" alt="Winners"></p>"#,
                r#"<img src="https://blog.example/c-1024.jpg" width="10">"#,
                r#"<img src="https://blog.example/d.jpg">"#,
                r#"<img src="https://blog.example/e.jpg">"#,
                r#"<img>"#,
            )
        );
        assert_inert(&out);
    }

    #[test]
    fn a_picture_given_only_in_noscript_is_shown_once() {
        let out = clean_with_base(
            concat!(
                r#"<figure><img class="lazyload" src="/plugins/lazy/placeholder.gif" alt="Boats">"#,
                r#"<noscript><img src="/up/a.jpg" alt="Boats"></noscript><figcaption>Boats</figcaption></figure>"#,
                r#"<p><NOSCRIPT><IMG SRC='/up/b.jpg' alt=Winners></NOSCRIPT></p>"#,
                r#"<picture><source data-srcset="/up/c.webp"><img src="data:image/gif;base64,R0lGOD"></picture> "#,
                r#"<noscript><img src="/up/c.jpg"></noscript>"#,
                r#"<img data-src="/up/d.jpg"><noscript><img src="/up/d.jpg"></noscript>"#,
                r#"<noscript><p>Turn scripts on</p><iframe src="https://ads.example/"></iframe></noscript>"#,
                r#"<noscript><img src="/up/e.jpg" onerror="alert(1)"></noscript>"#,
                r#"<noscript><img src="https://stats.example/c.gif?blog=7" width="1" height="1" alt=""></noscript>"#,
                r#"<noscript><img src="https://pixel.example/t" height="0px"></noscript>"#,
            ),
            "https://blog.example/post/",
        );
        assert_eq!(
            out,
            concat!(
                r#"<figure><img src="https://blog.example/up/a.jpg" alt="Boats"><figcaption>Boats</figcaption></figure>"#,
                r#"<p><img src="https://blog.example/up/b.jpg" alt="Winners"></p>"#,
                r#" <img src="https://blog.example/up/c.jpg">"#,
                r#"<img src="https://blog.example/up/d.jpg">"#,
                r#"<img src="https://blog.example/up/e.jpg">"#,
            )
        );
        assert_inert(&out);
    }

    #[test]
    fn an_image_marked_as_loaded_late_gives_way_to_its_noscript_picture() {
        // Whatever file its `src` names, an image a script loads late
        // stands for the picture in the `<noscript>` right after it.
        for image in [
            r#"<img src="/ph.gif" class="lazyload" width="1" height="1">"#,
            r#"<img src="/ph.gif" class="post-image lazyload">"#,
            r#"<img src="/ph.gif" loading="lazy">"#,
            r#"<img src="/ph.gif" width="1" height="1">"#,
            r#"<div><img src="/ph.gif" class="lazyload"></div>"#,
            r#"<span><img src="/ph.gif" loading="lazy">"#,
        ] {
            let out = clean_with_base(
                &format!(
                    "<p>A crane fell.</p>{image}<noscript><img src=\"/img/crane.jpg\"></noscript>\
                     <p>Nobody was hurt.</p>"
                ),
                "https://e.example/",
            );
            assert!(
                out.contains(r#"<img src="https://e.example/img/crane.jpg">"#)
                    && !out.contains("ph.gif")
                    && out.contains("<p>Nobody was hurt.</p>"),
                "{image}: {out}"
            );
        }
        // An image with a picture of its own keeps it, and the noscript's
        // other picture follows; the same picture is shown once.
        let out = clean_with_base(
            concat!(
                r#"<span><img src="/up/a.jpg"><noscript><img src="/up/b.jpg"></noscript></span>"#,
                r#"<img src="/up/c.jpg"><noscript><img src=" /up/c.jpg" alt="C"></noscript>"#,
            ),
            "https://e.example/",
        );
        assert_eq!(
            out,
            concat!(
                r#"<span><img src="https://e.example/up/a.jpg"><img src="https://e.example/up/b.jpg"></span>"#,
                r#"<img src="https://e.example/up/c.jpg">"#,
            )
        );
        // Marked as loaded late but with no noscript beside it, a picture
        // stays as it is.
        let out = clean_with_base(
            r#"<p><img src="/up/d.jpg" loading="lazy" class="lazyload"></p>"#,
            "https://e.example/",
        );
        assert!(out.contains(r#"src="https://e.example/up/d.jpg""#), "{out}");
    }

    #[test]
    fn a_lazy_picture_in_a_box_of_its_own_before_its_noscript_is_shown_once() {
        // Whatever wraps the lazy image (a lazy-loading script's `div`, a
        // `<picture>`, a `<span>`), the `<noscript>` right after the box
        // holds the same picture.
        for (open, close) in [
            (r#"<div class="lazy">"#, "</div>"),
            (
                r#"<div class="lazy-wrap"><div class="ratio">"#,
                "</div></div>",
            ),
            ("<picture>", "</picture>"),
            (r#"<span class="lazy">"#, "</span>"),
        ] {
            for image in [
                r#"<img data-src="/up/a.jpg" src="data:image/gif;base64,R0lGOD">"#,
                r#"<img src="/plugins/lazy/placeholder.gif">"#,
            ] {
                let out = clean_with_base(
                    &format!(
                        "<figure>{open}{image}{close}\n<noscript><img src=\"/up/a.jpg\"></noscript>\
                         <figcaption>Boats. Photo: Jane Doe</figcaption></figure>"
                    ),
                    "https://blog.example/post/",
                );
                assert_eq!(
                    out.matches("<img").count(),
                    1,
                    "{open}{image}{close}: {out}"
                );
                assert!(
                    out.contains(r#"<img src="https://blog.example/up/a.jpg">"#)
                        && out.contains("<figcaption>Boats. Photo: Jane Doe</figcaption>"),
                    "{out}"
                );
            }
        }
        // Another picture before the box, or text between, is another
        // picture: both stay.
        for html in [
            r#"<div><img src="/up/a.jpg"></div><p>Boats</p><noscript><img src="/up/b.jpg"></noscript>"#,
            r#"<div><img src="/up/a.jpg"></div><div><noscript><img src="/up/b.jpg"></noscript></div>"#,
        ] {
            let out = clean_with_base(html, "https://blog.example/post/");
            assert!(
                out.contains(r#"<img src="https://blog.example/up/a.jpg">"#)
                    && out.contains(r#"<img src="https://blog.example/up/b.jpg">"#),
                "{out}"
            );
        }
    }

    #[test]
    fn dangerous_urls_are_dropped() {
        let out = clean(concat!(
            r#"<a href="javascript:alert(1)">one</a> "#,
            r#"<a href=" JaVaScRiPt:alert(1)">two</a> "#,
            r#"<a href="vbscript:msgbox(1)">three</a> "#,
            r#"<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">four</a> "#,
            r#"<img src="data:image/svg+xml,<svg onload=alert(1)>">"#,
            r#"<a href="https://news.example/ok">five</a>"#,
        ));
        assert_inert(&out);
        assert!(
            out.contains(r#"<a href="https://news.example/ok" rel="noopener noreferrer">five</a>"#)
        );
        assert!(out.contains("one") && out.contains("four"));
    }

    #[test]
    fn no_url_attribute_escapes_the_scheme_check() {
        let out = clean(concat!(
            r#"<blockquote cite="javascript:alert(1)">one</blockquote>"#,
            r#"<q cite="javascript:alert(1)">two</q>"#,
            r#"<del cite="vbscript:x" datetime="2024-07-09">three</del>"#,
            r#"<ins cite="data:text/html,x">four</ins>"#,
        ));
        assert_eq!(
            out,
            r#"<blockquote>one</blockquote><q>two</q><del datetime="2024-07-09">three</del><ins>four</ins>"#
        );
        assert_inert(&out);
    }

    #[test]
    fn frames_plugins_forms_and_styles_go_with_their_content() {
        let out = clean(concat!(
            "<iframe src=\"https://evil.example/\">fallback</iframe>",
            "<object data=\"x.swf\"><embed src=\"x.swf\">plugin</object>",
            "<form action=\"https://evil.example/\"><input name=\"q\"><button>Go</button></form>",
            "<style>body{display:none}</style>",
            "<svg><script>alert(1)</script></svg>",
            "<p>Kept</p>",
        ));
        assert_eq!(out, "<p>Kept</p>");
    }

    #[test]
    fn a_player_of_a_file_goes_with_its_fallback_one_of_none_keeps_it() {
        let html = concat!(
            "<p>Our talk with the harbour master.</p>",
            "<audio controls src=\"/ep7.mp3\">Your browser does not support the audio element.</audio>",
            "<video controls><source src=\"https://cdn.example/bridge.mp4\" type=\"video/mp4\">",
            "<p>Sorry, your browser doesn't support <b>embedded</b> videos.</p></video>",
            "<video><source src=\"ftp://old.example/clip.mp4\"><a href=\"https://old.example/clip\">Watch the clip</a></video>",
            "<picture><source srcset=\"/quay.webp\"><img src=\"https://radio.example/quay.jpg\"></picture>",
        );
        let out = clean_with_base(html, "https://radio.example/ep7");
        assert_eq!(
            out,
            concat!(
                "<p>Our talk with the harbour master.</p>",
                "<a href=\"https://old.example/clip\" rel=\"noopener noreferrer\">Watch the clip</a>",
                "<img src=\"https://radio.example/quay.jpg\">",
            )
        );
        let blocks = Sanitizer::new()
            .convert(html, Some(&Url::parse("https://radio.example/").unwrap()))
            .blocks;
        assert_eq!(blocks.len(), 2, "{blocks:?}");
    }

    #[test]
    fn relative_urls_resolve_against_the_base() {
        let out = clean_with_base(
            r#"<p><a href="../2024/story.html">Story</a> <img src="/img/a.jpg" alt="A"></p>"#,
            "https://news.example/world/today/",
        );
        assert_eq!(
            out,
            r#"<p><a href="https://news.example/world/2024/story.html" rel="noopener noreferrer">Story</a> <img src="https://news.example/img/a.jpg" alt="A"></p>"#
        );
    }

    #[test]
    fn urls_in_attributes_are_written_as_an_entrys_link_is() {
        let out = clean_with_base(
            concat!(
                "<p><a href=\" https://port.example/timetable\">a</a> ",
                "<a href=\"https://port.example/fares\n\">b</a> ",
                "<a href=\"\t/local \">c</a> ",
                "<a href=\"https://b\u{fc}cher.example/neue-titel\">d</a> ",
                "<a href=\"mailto:desk@news.example \">e</a></p>",
                "<img src=\" https://port.example/b&#9;oat.jpg\">",
                "<img src=\"/x.gif\" data-src=\" https://m\u{fc}ller.example/a.jpg\">",
            ),
            "https://news.example/world/",
        );
        for url in [
            "https://port.example/timetable",
            "https://port.example/fares",
            "https://news.example/local",
            "https://xn--bcher-kva.example/neue-titel",
            "mailto:desk@news.example",
            "https://port.example/boat.jpg",
            "https://xn--mller-kva.example/a.jpg",
        ] {
            assert!(out.contains(&format!("=\"{url}\"")), "{url} in {out}");
        }
        // Without a base, absolute URLs are written so all the same.
        let out = clean("<a href=\" https://b\u{fc}cher.example/ \">a</a>");
        assert!(
            out.contains("href=\"https://xn--bcher-kva.example/\""),
            "{out}"
        );
    }

    #[test]
    fn relative_urls_never_take_a_base_with_another_scheme() {
        for base in [
            "javascript://j.example/",
            "vbscript://j.example/",
            "data://x/",
            "file:///etc/",
        ] {
            let out = clean_with_base(r#"<a href="%0aalert(1)">a</a><img src="x.png">"#, base);
            assert_eq!(out, r#"<a rel="noopener noreferrer">a</a><img>"#, "{base}");
        }
    }

    #[test]
    fn relative_urls_never_take_the_base_credentials() {
        let out = clean_with_base(
            r##"<a href="/a">a</a><img src="b.jpg"><a href="//cdn.example/c">c</a>"##,
            "http://user:secret@news.example/feed/?key=k",
        );
        assert_eq!(
            out,
            r#"<a href="http://news.example/a" rel="noopener noreferrer">a</a><img src="http://news.example/feed/b.jpg"><a href="http://cdn.example/c" rel="noopener noreferrer">c</a>"#
        );
    }

    #[test]
    fn a_document_base_keeps_no_query_for_fragments() {
        let url = Url::parse("https://u:p@news.example/feed.rss?key=k#top").unwrap();
        let base = document_base(&url).unwrap();
        assert_eq!(base.as_str(), "https://news.example/feed.rss");
        assert_eq!(
            base.join("#fn1").unwrap().as_str(),
            "https://news.example/feed.rss#fn1"
        );
        assert_eq!(document_base(&Url::parse("file:///etc/x").unwrap()), None);
    }

    #[test]
    fn the_shared_sanitizer_takes_no_base_from_an_earlier_call() {
        let html = r#"<p><a href="/story">Story</a> <img src="pic.jpg"></p>"#;
        let base = Url::parse("https://site.example/news/").unwrap();
        let with_base = Sanitizer::convert_shared(html, Some(&base));
        assert_eq!(
            with_base.html,
            Sanitizer::new().convert(html, Some(&base)).html
        );
        assert!(
            with_base
                .html
                .as_deref()
                .is_some_and(|h| h.contains("https://site.example/story")),
            "{with_base:?}"
        );
        let without = Sanitizer::convert_shared(html, None);
        assert_eq!(without.html, Sanitizer::new().convert(html, None).html);
        assert!(
            without
                .html
                .as_deref()
                .is_some_and(|h| !h.contains("site.example")),
            "{without:?}"
        );
    }

    #[test]
    fn relative_urls_without_a_base_are_dropped() {
        let out = clean(r#"<a href="/x">x</a><img src="y.jpg">"#);
        assert_eq!(out, r#"<a rel="noopener noreferrer">x</a><img>"#);
    }

    #[test]
    fn unknown_elements_are_unwrapped_and_ids_and_classes_dropped() {
        let out = clean(
            r#"<article class="c" id="i"><font color="red">Hello</font> <b>world</b></article>"#,
        );
        assert_eq!(out, "Hello <b>world</b>");
    }

    #[test]
    fn blocks_split_paragraphs_and_headings() {
        let blocks = html_to_blocks(
            "<h2>The &ldquo;vote&rdquo;</h2><p>First &amp; <b>bold</b>\n  line.</p><ul><li>One</li><li>Two</li></ul>Tail<br>After&nbsp;break",
        );
        assert_eq!(
            blocks,
            vec![
                Block::subhead("The \u{201c}vote\u{201d}"),
                Block::paragraph("First & bold line."),
                Block::paragraph("One"),
                Block::paragraph("Two"),
                Block::paragraph("Tail"),
                Block::paragraph("After break"),
            ]
        );
    }

    #[test]
    fn a_list_under_a_related_label_reads_as_links_to_other_stories() {
        let html = "<p>The line opens in 2029.</p><p><strong>Related:</strong></p>\
             <ul><li><a href=\"/a\">Westport tram line opens late</a></li>\
             <li><p><a href=\"/b\">Bus fares to rise</a></p></li></ul>\
             <p>Work starts next year.</p><ul><li>One</li></ul>";
        let expected = vec![
            Block::paragraph("The line opens in 2029."),
            Block::paragraph("Related:"),
            Block::paragraph("Related: Westport tram line opens late"),
            Block::paragraph("Related: Bus fares to rise"),
            Block::paragraph("Work starts next year."),
            Block::paragraph("One"),
        ];
        assert_eq!(html_to_blocks(html), expected);
        assert_eq!(Sanitizer::convert_shared(html, None).blocks, expected);
        // The published HTML leaves the label and its list out, and keeps
        // a list that is the story's own.
        assert_eq!(
            clean(html),
            "<p>The line opens in 2029.</p><p>Work starts next year.</p><ul><li>One</li></ul>"
        );
        let own = "<p>Related:</p><p>Work starts next year.</p><ul><li>One</li></ul>";
        assert_eq!(clean(own), own);
        let nested = "<p>See also</p><ul><li>A<ul><li>B</li></ul></li><li>C</li></ul><p>End.</p>";
        assert_eq!(clean(nested), "<p>End.</p>");
        assert_eq!(element_len("<ul><li>A</li>", "ul"), None);
        assert_eq!(element_len("<ul><li>A</li></ul><p>", "ul"), Some(19));
    }

    #[test]
    fn blocks_skip_scripts_styles_and_figure_captions() {
        let blocks = html_to_blocks(
            "<style>p{}</style><p>Body</p><script>var a = '<p>no</p>';</script><figure><img src=x><figcaption>A photo (AP)</figcaption></figure><p>More</p><noscript><p>n</p></noscript>",
        );
        assert_eq!(
            blocks,
            vec![Block::paragraph("Body"), Block::paragraph("More")]
        );
    }

    #[test]
    fn plain_text_decodes_entities_and_strips_tags() {
        assert_eq!(
            html_to_text("  Rates &amp; <em>risks</em>:\tthe&#160;week&#x2019;s news "),
            "Rates & risks: the week\u{2019}s news"
        );
        assert_eq!(html_to_text("5 < 6 and 7 > 2"), "5 < 6 and 7 > 2");
        assert_eq!(
            html_to_text("<script>alert(1)</script>Safe <img src=x onerror=alert(1)>title"),
            "Safe title"
        );
        assert_eq!(html_to_text("<p>One</p><p>Two</p>"), "One Two");
        assert_eq!(html_to_text("plain"), "plain");
    }

    #[test]
    fn deep_nesting_yields_text_only() {
        let deep = "<blockquote>".repeat(100_000) + "deep <b>text</b>";
        let converted = Sanitizer::new().convert(&deep, None);
        assert_eq!(converted.html, None);
        assert_eq!(converted.blocks, vec![Block::paragraph("deep text")]);
        let at_limit = "<div>".repeat(MAX_DEPTH) + "fine" + &"</div>".repeat(MAX_DEPTH);
        assert!(clean(&at_limit).contains("fine"));
        // Paragraphs and list items close each other: many are not deep.
        let sloppy = "<ul>".to_string() + &"<li><p>item".repeat(5_000);
        let converted = Sanitizer::new().convert(&sloppy, None);
        assert!(converted.html.is_some());
        assert_eq!(converted.blocks.len(), 5_000);
    }

    #[test]
    fn unclosed_markup_ends_cleanly() {
        let unclosed = html_to_blocks("<p>open <b>bold <script>never closed");
        assert_eq!(unclosed, vec![Block::paragraph("open bold")]);
        assert_eq!(clean("<p>open <b>bold"), "<p>open <b>bold</b></p>");
    }

    #[test]
    fn serialized_html_reads_as_the_tokenizer_reads_it() {
        let samples = [
            "<h2>The &ldquo;vote&rdquo;</h2><p>First &amp; <b>bold</b>\n  line.</p><ul><li>One</li><li>Two</li></ul>Tail<br>After&nbsp;break",
            "<figure><img src=\"a.jpg\" alt=\"x > y\"><figcaption>A photo (AP)</figcaption></figure><p title='q\"'>5 &lt; 6 &gt; 4</p>",
            "<table><tr><td>cell</td><td>two</td></tr></table><blockquote><p>Quote</p></blockquote><h3>Sub</h3>&amp;amp;",
            "<p>Unclosed <a href=\"https://x.example/?a=1&b=2\">link",
        ];
        let mut sanitizer = Sanitizer::new();
        for sample in samples {
            let clean = sanitizer.clean(sample, None).expect("shallow");
            assert_eq!(serialized_blocks(&clean), html_to_blocks(&clean), "{clean}");
        }
        assert_eq!(
            serialized_blocks("<p>a &bogus; b &amp c</p>"),
            vec![Block::paragraph("a &bogus; b &amp c")]
        );
    }

    #[test]
    fn stray_end_tags_do_not_hide_nesting() {
        let sneaky = "<div></span><!--</div>-->".repeat(MAX_DEPTH + 1);
        assert_eq!(Sanitizer::new().convert(&sneaky, None).html, None);
    }

    #[test]
    fn text_splits_on_lines() {
        assert_eq!(
            text_to_blocks("One.\n\n  Two\u{a0} words \r\n"),
            vec![Block::paragraph("One."), Block::paragraph("Two words")]
        );
        assert_eq!(
            text_to_blocks("One.\rTwo.\r\rThree."),
            vec![
                Block::paragraph("One."),
                Block::paragraph("Two."),
                Block::paragraph("Three.")
            ],
            "a lone carriage return ends a line as it does in a dump"
        );
    }

    #[test]
    fn wrapped_text_joins_its_lines_and_splits_on_blank_ones() {
        assert_eq!(
            wrapped_text_to_blocks(
                "The board said the reservoir\nlevels had returned\r\nto normal.\n \t\nBans end\rnext week.\n"
            ),
            vec![
                Block::paragraph("The board said the reservoir levels had returned to normal."),
                Block::paragraph("Bans end next week.")
            ]
        );
        assert_eq!(
            wrapped_text_to_blocks("\n\nOne.\n\n\n\nTwo\u{a0}\n  words "),
            vec![Block::paragraph("One."), Block::paragraph("Two words")]
        );
        assert!(wrapped_text_to_blocks(" \n\n ").is_empty());
    }
}

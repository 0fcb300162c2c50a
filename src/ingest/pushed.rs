//! The pushed sources: articles an aggregator pushes over the API, decoded
//! from the request before anything is folded. [`from_json`] reads one
//! article or an array of them (`serde`, unknown fields and a key given
//! twice refused, each error naming its field path); [`from_dump`] reads a raw dump in the shape of
//! the scraped ones. Each run of articles for one source name becomes a
//! [`Pushed`] source of one unit.

use chrono::{DateTime, SubsecRound, Utc};
use encoding_rs::{Encoding, UTF_8};
use serde::Deserialize;
use serde::de::{
    self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};
use thiserror::Error;

use super::date;
use super::dump::DumpReader;
use super::feed::decode::is_utf8_beyond_ascii;
use super::feed::{know_shared_keys_by_content, played_files, shared};
use super::lines::text_lines;
use super::sanitize::Sanitizer;
use super::source::{
    ArticlesUnit, Batch, GatherContext, Gathered, Gathering, KeptText, Source, Unit,
};
use crate::dedup::fingerprint::{entry_link_key, paired_key};
use crate::model::{Article, Block, Caption, Origin};
use crate::normalize::{Names, clean_text, has_visible, uri_string};

/// Where pushed articles say they were seen.
const LOCATION: &str = "api";

/// The field an error names when the request as a whole is bad (no JSON,
/// no dump, no article in it), not one of its articles' fields: an
/// article's `body` is named `body`.
pub const REQUEST: &str = "request";

/// A request that cannot be taken, naming the bad field (`[2].published`,
/// `body`, or [`REQUEST`]).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{field}: {message}")]
pub struct PushError {
    pub field: String,
    pub message: String,
}

impl PushError {
    fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        PushError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// The articles of one request for one source name, as a source of one
/// unit whose outcome the pipeline itemizes.
pub struct Pushed {
    name: String,
    articles: Vec<Article>,
    bytes: u64,
    kept_text: Option<KeptText>,
}

impl std::fmt::Debug for Pushed {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.debug_struct("Pushed")
            .field("name", &self.name)
            .field("articles", &self.articles)
            .field("bytes", &self.bytes)
            .field("kept_text", &self.kept_text.is_some())
            .finish()
    }
}

impl Pushed {
    /// The same articles, never replacing the text of the stored articles
    /// `kept` names.
    pub fn keeping_text_of(self, kept: KeptText) -> Pushed {
        Pushed {
            kept_text: Some(kept),
            ..self
        }
    }
}

impl Source for Pushed {
    fn name(&self) -> &str {
        &self.name
    }

    fn itemized(&self) -> bool {
        true
    }

    fn kept_text(&self) -> Option<KeptText> {
        self.kept_text.clone()
    }

    fn gather(self: Box<Self>, _: GatherContext) -> Gathering {
        let unit = ArticlesUnit::new(self.articles, self.bytes);
        let units = std::iter::once(Ok(Box::new(unit) as Box<dyn Unit>));
        Box::pin(std::future::ready(Gathered::Batch(Batch::new(units))))
    }
}

/// Groups `articles` (each with its source name) into one [`Pushed`] per
/// run of the same name, in order.
fn runs(articles: Vec<(String, Article)>, bytes: u64) -> Vec<Pushed> {
    let mut pushed: Vec<Pushed> = Vec::new();
    for (name, article) in articles {
        match pushed.last_mut() {
            Some(last) if last.name == name => last.articles.push(article),
            _ => pushed.push(Pushed {
                name,
                articles: vec![article],
                bytes: 0,
                kept_text: None,
            }),
        }
    }
    if let Some(first) = pushed.first_mut() {
        first.bytes = bytes;
    }
    pushed
}

/// A raw dump pushed for source `source` (already checked, see
/// [`check_source_name`]) in `encoding`, the request's `charset` (UTF-8
/// when it names none). A byte-order mark wins over it, as in a feed, and
/// so do bytes that are UTF-8 beyond doubt (valid, with characters beyond
/// ASCII) under a single-byte charset, which reads any bytes at all (a
/// client library's default `ISO-8859-1` label on UTF-8 text); a dump in
/// another encoding than UTF-8 is decoded first, and refused if its bytes
/// are not that encoding.
pub fn from_dump(
    bytes: &[u8],
    encoding: &'static Encoding,
    source: &str,
) -> Result<Vec<Pushed>, PushError> {
    let decoded;
    let utf8_beyond_doubt = || encoding.is_single_byte() && is_utf8_beyond_ascii(bytes);
    let bytes = if encoding == UTF_8 || Encoding::for_bom(bytes).is_some() || utf8_beyond_doubt() {
        bytes
    } else {
        decoded = encoding
            .decode_without_bom_handling_and_without_replacement(bytes)
            .ok_or_else(|| {
                PushError::new(
                    REQUEST,
                    format!("not valid {} as its charset says", encoding.name()),
                )
            })?;
        decoded.as_bytes()
    };
    let articles = DumpReader::new(bytes, LOCATION)
        .map(|article| {
            article
                .map(|a| (source.to_string(), a))
                .map_err(|e| PushError::new(REQUEST, e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    non_empty(runs(articles, bytes.len() as u64))
}

/// One JSON article or an array of them; articles that name no source are
/// pushed for `default_source`.
pub fn from_json(bytes: &[u8], default_source: &str) -> Result<Vec<Pushed>, PushError> {
    // A byte-order mark is no part of JSON, but editors write one; a lone
    // UTF-16 surrogate escape (a string cut inside a character) reads as
    // U+FFFD, as in an upstream JSON Feed, rather than losing the request.
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let bytes = &bytes[bom..];
    let text = std::str::from_utf8(bytes).map_err(|error| {
        PushError::new(
            REQUEST,
            format!(
                "not UTF-8 at byte {}: JSON is UTF-8 (RFC 8259)",
                bom + error.valid_up_to()
            ),
        )
    })?;
    let repaired = crate::ingest::feed::replace_lone_surrogates(text);
    let bytes = repaired.as_deref().map_or(bytes, str::as_bytes);
    let mut json = serde_json::Deserializer::from_slice(bytes);
    let mut track = serde_path_to_error::Track::new();
    let opening = bytes.trim_ascii_start().first().copied();
    let seed = RequestSeed {
        array: opening == Some(b'['),
    };
    let tracked = serde_path_to_error::Deserializer::new(&mut json, &mut track);
    let request = seed.deserialize(tracked).map_err(|inner| {
        if inner.is_syntax() || inner.is_eof() {
            return PushError::new(REQUEST, format!("not valid JSON: {inner}"));
        }
        let field = track.path().to_string();
        // No path: the request is no article or array of them, or, inside
        // an article, the body, which is read without its path.
        let field = match (field.as_str(), opening) {
            (".", Some(b'{' | b'[')) => "body".to_string(),
            (".", _) => REQUEST.to_string(),
            _ => field,
        };
        PushError::new(field, inner.to_string())
    })?;
    json.end()
        .map_err(|e| PushError::new(REQUEST, format!("not valid JSON: {e}")))?;
    let mut articles = match request {
        Request::One(item) => vec![item.into_article("", 1, default_source)?],
        Request::Many(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, Object(item))| item.into_article(&format!("[{i}]."), i + 1, default_source))
            .collect::<Result<_, _>>()?,
    };
    tell_apart(&mut articles);
    non_empty(runs(articles, bytes.len() as u64))
}

/// The articles of one request pushed for one source are told apart as
/// the entries of one feed document are: an id several of them give is
/// told apart by each one's link, then
/// [`know_shared_keys_by_content`] has those that still share an id, or
/// share a link and have no id, known by their content, and a link several
/// give matched on by none, so none stands in for another. Each such case
/// is logged at warn level.
fn tell_apart(articles: &mut [(String, Article)]) {
    let mut names: Vec<String> = articles.iter().map(|(name, _)| name.clone()).collect();
    names.sort_unstable();
    names.dedup();
    for name in names {
        let positions: Vec<usize> = (0..articles.len())
            .filter(|&i| articles[i].0 == name)
            .collect();
        let mut group: Vec<Article> = positions
            .iter()
            .map(|&i| std::mem::take(&mut articles[i].1))
            .collect();
        for indices in shared(&group, |a| a.upstream_id.as_deref()) {
            for i in indices {
                let article = &mut group[i];
                if let (Some(id), Some(link)) = (&article.upstream_id, &article.link) {
                    article.upstream_key = Some(paired_key(id, link));
                }
            }
        }
        let mut warnings = Vec::new();
        let numbers: Vec<usize> = group.iter().map(|a| a.origin.line).collect();
        know_shared_keys_by_content(&mut group, &numbers, &mut warnings);
        for warning in warnings {
            tracing::warn!(source = %name, "pushed articles: {warning}");
        }
        for (i, article) in positions.into_iter().zip(group) {
            articles[i].1 = article;
        }
    }
}

fn non_empty(pushed: Vec<Pushed>) -> Result<Vec<Pushed>, PushError> {
    if pushed.is_empty() {
        return Err(PushError::new(REQUEST, "holds no article"));
    }
    Ok(pushed)
}

/// A source name given in a request: 1-64 letters, digits, `-`, `_`, `.`.
pub fn check_source_name(field: &str, name: &str) -> Result<String, PushError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(name.to_string())
    } else {
        Err(PushError::new(
            field,
            "use 1-64 letters, digits, `-`, `_` and `.`",
        ))
    }
}

/// The request body: one article or an array of them.
enum Request {
    One(Box<PushedArticle>),
    Many(Vec<Object<PushedArticle>>),
}

/// Reads a [`Request`] as the array it opens with (`[`) or else as one
/// article object, never by asking the value what it is: with
/// serde_json's `arbitrary_precision` a number no `u64`, `i64` or `f64`
/// holds comes to such a question as a map, which would be read as an
/// article with a strange key, where it is a number in place of one.
struct RequestSeed {
    array: bool,
}

impl<'de> DeserializeSeed<'de> for RequestSeed {
    type Value = Request;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Request, D::Error> {
        struct RequestVisitor;
        impl<'de> Visitor<'de> for RequestVisitor {
            type Value = Request;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an article object or an array of them")
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Request, A::Error> {
                ObjectVisitor::<PushedArticle>(std::marker::PhantomData)
                    .visit_map(map)
                    .map(|Object(article)| Request::One(Box::new(article)))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Request, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Request::Many(items))
            }
        }
        if self.array {
            deserializer.deserialize_seq(RequestVisitor)
        } else {
            deserializer.deserialize_map(RequestVisitor)
        }
    }
}

/// A JSON object of the request read as `T`: a key it gives twice is
/// refused, the error naming that key's path (`[1].title`) as for any
/// other bad field, and anything but an object is refused in the API's
/// words ([`Named::WHAT`]), never a type's name.
struct Object<T>(T);

/// What the API calls an object of type `Self`.
trait Named {
    const WHAT: &'static str;
}

impl<'de, T: Deserialize<'de> + Named> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ObjectVisitor(std::marker::PhantomData))
    }
}

struct ObjectVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de> + Named> Visitor<'de> for ObjectVisitor<T> {
    type Value = Object<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(T::WHAT)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Object<T>, A::Error> {
        let keys = UniqueKeys {
            map,
            seen: Vec::new(),
        };
        T::deserialize(de::value::MapAccessDeserializer::new(keys)).map(Object)
    }
}

/// The entries of an object, a key given twice refused while it is read
/// (so that the error's path ends in that key).
struct UniqueKeys<A> {
    map: A,
    seen: Vec<String>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for UniqueKeys<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.map.next_key_seed(UniqueKey {
            seed,
            seen: &mut self.seen,
        })
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}

/// One key of [`UniqueKeys`], refused if among those `seen`, else read by
/// `seed`.
struct UniqueKey<'a, K> {
    seed: K,
    seen: &'a mut Vec<String>,
}

impl<'de, K: DeserializeSeed<'de>> DeserializeSeed<'de> for UniqueKey<'_, K> {
    type Value = K::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<K::Value, D::Error> {
        let key = String::deserialize(deserializer)?;
        if self.seen.contains(&key) {
            return Err(de::Error::custom("is given twice; give each field once"));
        }
        self.seen.push(key.clone());
        self.seed.deserialize(key.into_deserializer())
    }
}

/// One pushed article as sent.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PushedArticle {
    title: Option<String>,
    link: Option<String>,
    id: Option<String>,
    published: Option<String>,
    updated: Option<String>,
    content_html: Option<String>,
    body: Option<Body>,
    summary: Option<String>,
    captions: Option<Vec<Object<PushedCaption>>>,
    authors: Option<Vec<String>>,
    categories: Option<Vec<String>>,
    source: Option<String>,
}

/// `body`: paragraphs separated by blank lines, or an array of paragraphs.
enum Body {
    Text(String),
    Paragraphs(Vec<String>),
}

impl<'de> Deserialize<'de> for Body {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BodyVisitor;
        impl<'de> Visitor<'de> for BodyVisitor {
            type Value = Body;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string or an array of strings")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Body, E> {
                Ok(Body::Text(text.to_string()))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Body, A::Error> {
                let mut paragraphs = Vec::new();
                while let Some(paragraph) = seq.next_element()? {
                    paragraphs.push(paragraph);
                }
                Ok(Body::Paragraphs(paragraphs))
            }

            /// An object, or (serde_json's `arbitrary_precision` hands it
            /// over as a map) a number no `u64`, `i64` or `f64` holds:
            /// refused as what it is.
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Body, A::Error> {
                let number =
                    serde_json::Number::deserialize(de::value::MapAccessDeserializer::new(map))
                        .map(|number| format!("number `{number}`"));
                let found = match &number {
                    Ok(number) => de::Unexpected::Other(number),
                    Err(_) => de::Unexpected::Map,
                };
                Err(de::Error::invalid_type(found, &self))
            }
        }
        deserializer.deserialize_any(BodyVisitor)
    }
}

impl Named for PushedArticle {
    const WHAT: &'static str = "an article object";
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PushedCaption {
    text: Option<String>,
    credit: Option<String>,
    image: Option<String>,
}

impl Named for PushedCaption {
    const WHAT: &'static str = "a caption object";
}

impl PushedArticle {
    /// The article, and the source it is pushed for (`default_source` when
    /// it names none); `at` prefixes field names (`[2].` in an array),
    /// `position` is its place in the request.
    fn into_article(
        self,
        at: &str,
        position: usize,
        default_source: &str,
    ) -> Result<(String, Article), PushError> {
        let field = |name: &str| format!("{at}{name}");
        let title = self.title.map(|t| clean_text(&t)).unwrap_or_default();
        if !has_visible(&title) {
            return Err(PushError::new(field("title"), "is required"));
        }
        let link = match self.link {
            Some(link) => Some(absolute_url(&field("link"), &link)?),
            None => None,
        };
        let published = date_field(&field("published"), self.published)?;
        let updated = date_field(&field("updated"), self.updated)?;
        let base = link.as_deref().and_then(|l| url::Url::parse(l).ok());
        // The files the HTML plays are the article's media files, as a
        // feed entry's are; the sanitizer takes the players out.
        let enclosures = self
            .content_html
            .as_deref()
            .map(|h| played_files(h, base.as_ref()))
            .unwrap_or_default();
        let converted = self
            .content_html
            .map(|h| Sanitizer::convert_shared(&h, base.as_ref()));
        let (content_html, html_blocks) = match converted {
            Some(converted) => {
                let html = converted
                    .html
                    .ok_or_else(|| PushError::new(field("content_html"), "nests too deeply"))?;
                let html = Some(html).filter(|h| !h.trim().is_empty());
                (html, Some(converted.blocks))
            }
            None => (None, None),
        };
        // Blank paragraphs are dropped; an article with no text left is
        // refused, naming the field that gave none.
        let given = match (&self.body, &html_blocks) {
            (Some(_), _) => "body",
            (None, Some(_)) => "content_html",
            (None, None) => {
                return Err(PushError::new(
                    field("body"),
                    "give `body` or `content_html`",
                ));
            }
        };
        let paragraphs: Vec<Block> = match self.body {
            Some(Body::Text(text)) => text_paragraphs(&text)
                .into_iter()
                .map(Block::paragraph)
                .collect(),
            Some(Body::Paragraphs(paragraphs)) => paragraphs
                .iter()
                .map(|p| clean_text(p))
                .filter(|p| !p.is_empty())
                .map(Block::paragraph)
                .collect(),
            None => Vec::new(),
        };
        let body = if paragraphs.is_empty() {
            html_blocks
                .filter(|blocks| !blocks.is_empty())
                .ok_or_else(|| {
                    PushError::new(
                        field(given),
                        "holds no text: give `body` or `content_html` with some",
                    )
                })?
        } else {
            paragraphs
        };
        let captions = self
            .captions
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(i, Object(c))| c.into_caption(&field(&format!("captions[{i}]"))))
            .collect::<Result<_, _>>()?;
        let source = match self.source {
            Some(name) => check_source_name(&field("source"), &name)?,
            None => default_source.to_string(),
        };
        let upstream_id = self.id.filter(|id| !id.trim().is_empty());
        // Each name once, as a feed entry lists it.
        let names = |list: Option<Vec<String>>| -> Vec<String> {
            list.unwrap_or_default()
                .iter()
                .map(|name| clean_text(name))
                .collect::<Names>()
                .into_vec()
        };
        let article = Article {
            title,
            published,
            updated,
            captions,
            body,
            upstream_key: upstream_id
                .clone()
                .or_else(|| link.as_deref().map(entry_link_key)),
            upstream_id,
            link,
            authors: crate::ingest::feed::names_past_their_by(names(self.authors)),
            categories: names(self.categories),
            enclosures,
            summary: self
                .summary
                .map(|s| clean_text(&s))
                .filter(|s| !s.is_empty()),
            content_html,
            origin: Origin {
                location: LOCATION.into(),
                line: position,
            },
            line_keys: None,
            shared_link: false,
            page_text: false,
            page_link: None,
        };
        Ok((source, article))
    }
}

/// A `body` string's paragraphs: runs of lines (ended as a dump's are, see
/// [`text_lines`]) between blank ones, a line with nothing but white space
/// or invisible characters being blank as in a dump; the lines of one
/// paragraph are joined by a space.
fn text_paragraphs(text: &str) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    for line in text_lines(text).map(clean_text) {
        if line.is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
            continue;
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&line);
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs
}

impl PushedCaption {
    /// The caption; one with no text, credit or image (`{}`) is refused,
    /// as it would be an empty figure.
    fn into_caption(self, at: &str) -> Result<Caption, PushError> {
        let image = match self.image {
            Some(url) => Some(absolute_url(&format!("{at}.image"), &clean_text(&url))?),
            None => None,
        };
        let caption = Caption {
            text: self.text.map(|t| clean_text(&t)).unwrap_or_default(),
            credit: self
                .credit
                .map(|c| clean_text(&c))
                .filter(|c| !c.is_empty()),
            image,
            alt: None,
            declared: false,
        };
        if caption.text.is_empty() && caption.credit.is_none() && caption.image.is_none() {
            return Err(PushError::new(at, "give `text`, `credit` or `image`"));
        }
        Ok(caption)
    }
}

/// An RFC 3339 date in the years dates may have, to the second.
fn date_field(field: &str, text: Option<String>) -> Result<Option<DateTime<Utc>>, PushError> {
    let Some(text) = text else {
        return Ok(None);
    };
    let date = DateTime::parse_from_rfc3339(text.trim())
        .map(|d| d.with_timezone(&Utc).trunc_subsecs(0))
        .map_err(|e| PushError::new(field, format!("not an RFC 3339 date ({e})")))?;
    date::plausible(date).map(Some).ok_or_else(|| {
        PushError::new(
            field,
            format!(
                "{} is outside the years {}..={}",
                date.to_rfc3339(),
                date::PLAUSIBLE_YEARS.start(),
                date::PLAUSIBLE_YEARS.end()
            ),
        )
    })
}

fn absolute_url(field: &str, text: &str) -> Result<String, PushError> {
    match url::Url::parse(text.trim()) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
            Ok(uri_string(&url))
        }
        _ => Err(PushError::new(
            field,
            format!("{text:?} is not an absolute http(s) URL"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    fn one(value: Value) -> Result<(String, Article), PushError> {
        let mut pushed = from_json(value.to_string().as_bytes(), "api")?;
        assert_eq!(pushed.len(), 1);
        let pushed = pushed.remove(0);
        assert_eq!(pushed.articles.len(), 1);
        Ok((pushed.name, pushed.articles.into_iter().next().unwrap()))
    }

    #[test]
    fn pushed_links_and_images_are_written_as_rfc_3986_uris() {
        let (_, article) = one(json!({"title": "T", "body": "x",
            "link": "https://agg.example/a|b?tags[]=x",
            "captions": [{"text": "A photo", "image": "https://img.example/p.jpg?v[]=1"}]}))
        .unwrap();
        assert_eq!(
            article.link.as_deref(),
            Some("https://agg.example/a%7Cb?tags%5B%5D=x")
        );
        assert_eq!(
            article.captions[0].image.as_deref(),
            Some("https://img.example/p.jpg?v%5B%5D=1")
        );
    }

    #[test]
    fn json_article_is_validated_field_by_field() {
        let ok = one(
            json!({"title": " Pushed  story ", "link": "https://agg.example/a?utm_source=x",
                    "body": "One.\n\nTwo.", "captions": [{"text": "A photo", "credit": "AP"}],
                    "source": "agg", "published": "2026-11-28T09:30:00+01:00"}),
        )
        .unwrap();
        assert_eq!(ok.0, "agg");
        assert_eq!(ok.1.title, "Pushed story");
        assert_eq!(ok.1.body.len(), 2);
        assert_eq!(ok.1.captions[0].credit.as_deref(), Some("AP"));
        assert_eq!(
            ok.1.published.unwrap().to_rfc3339(),
            "2026-11-28T08:30:00+00:00"
        );
        // Without an id, known by its link as a feed entry is: tracking
        // parameters dropped, a fragment kept.
        assert_eq!(ok.1.upstream_key.as_deref(), Some("https://agg.example/a"));
        let live = one(json!({"title": "Live", "body": "x",
                              "link": "https://agg.example/live?fbclid=x#post-2"}))
        .unwrap();
        assert_eq!(
            live.1.upstream_key.as_deref(),
            Some("https://agg.example/live#post-2")
        );

        // The fourth article of an array is the bad one.
        let field_of = |v: Value| {
            let good = json!({"title": "T", "body": "x"});
            let request = json!([good, good, good, v]);
            from_json(request.to_string().as_bytes(), "api")
                .err()
                .unwrap()
                .field
        };
        assert_eq!(field_of(json!({"body": "x"})), "[3].title");
        for blank in ["\u{200B}", "\u{AD}", "\u{200E}", "\u{3164}"] {
            assert_eq!(
                field_of(json!({"title": blank, "body": "x"})),
                "[3].title",
                "{blank:?}"
            );
        }
        assert_eq!(
            field_of(json!({"title": "T", "body": "x", "published": "yesterday"})),
            "[3].published"
        );
        for date in ["0000-01-01T00:00:00+01:00", "9999-12-31T23:00:00-05:00"] {
            assert_eq!(
                field_of(json!({"title": "T", "body": "x", "updated": date})),
                "[3].updated",
                "{date}"
            );
        }
        assert_eq!(
            field_of(json!({"title": "T", "body": "x", "link": "/rel"})),
            "[3].link"
        );
        assert_eq!(field_of(json!({"title": "T"})), "[3].body");
        assert_eq!(field_of(json!({"title": "T", "body": [1]})), "[3].body[0]");
        assert_eq!(
            field_of(json!({"title": "T", "body": "x", "colour": "red"})),
            "[3].colour"
        );
        assert_eq!(
            field_of(json!({"title": "T", "body": "x", "source": "a b"})),
            "[3].source"
        );
        assert_eq!(
            field_of(json!({"title": "T", "body": "x", "captions": [{"text": 5}]})),
            "[3].captions[0].text"
        );
        assert_eq!(field_of(json!("an article")), "[3]");
    }

    #[test]
    fn a_number_no_float_holds_is_a_bad_field_not_bad_json() {
        // `1e400` is valid JSON: a field given it is named as for any
        // other value of the wrong type.
        let err = from_json(br#"{"title": 1e400, "body": "x"}"#, "api").unwrap_err();
        assert_eq!(err.field, "title");
        assert!(err.message.contains("expected a string"), "{err}");
        let err = from_json(br#"[{"title": "T", "body": "x", "size": 1e400}]"#, "api").unwrap_err();
        assert_eq!(err.field, "[0].size");
        assert!(err.message.contains("unknown field `size`"), "{err}");
        let err = from_json(br#"{"title": "T", "body": ["x", -1e999]}"#, "api").unwrap_err();
        assert_eq!(err.field, "body[1]");
        // A number where an article or the body's text belongs is named
        // as a number, whatever its size.
        for (json, field, expected) in [
            ("1.5", REQUEST, "an article object or an array of them"),
            ("1e400", REQUEST, "an article object or an array of them"),
            ("[1e400]", "[0]", "an article object"),
            (
                r#"{"title": "T", "body": 1.5}"#,
                "body",
                "a string or an array of strings",
            ),
            (
                r#"{"title": "T", "body": 1e400}"#,
                "body",
                "a string or an array of strings",
            ),
        ] {
            let err = from_json(json.as_bytes(), "api").unwrap_err();
            assert_eq!(err.field, field, "{json}");
            assert!(err.message.contains(expected), "{json}: {err}");
            assert!(!err.message.contains("map"), "{json}: {err}");
        }
    }

    #[test]
    fn a_key_given_twice_is_named_by_its_path() {
        let field_of = |json: &str| {
            let err = from_json(json.as_bytes(), "api").err().unwrap();
            assert!(err.message.contains("given twice"), "{err}");
            err.field
        };
        assert_eq!(
            field_of(r#"{"title": "A", "title": "B", "body": "x"}"#),
            "title"
        );
        assert_eq!(
            field_of(r#"[{"title": "A", "body": "x"}, {"title": "B", "body": "y", "body": "z"}]"#),
            "[1].body"
        );
        assert_eq!(
            field_of(r#"{"title": "A", "body": "x", "captions": [{"text": "a", "text": "b"}]}"#),
            "captions[0].text"
        );
        // An escaped spelling of a key is the same key.
        assert_eq!(
            field_of(r#"{"title": "A", "t\u0069tle": "B", "body": "x"}"#),
            "title"
        );
    }

    #[test]
    fn an_item_that_is_no_object_is_told_in_the_api_words() {
        let err = from_json(br#"[{"title": "A", "body": "x"}, 1]"#, "api").unwrap_err();
        assert_eq!(err.field, "[1]");
        assert!(err.message.contains("expected an article object"), "{err}");
        let err =
            from_json(br#"{"title": "A", "body": "x", "captions": ["a"]}"#, "api").unwrap_err();
        assert_eq!(err.field, "captions[0]");
        assert!(err.message.contains("expected a caption object"), "{err}");
    }

    #[test]
    fn messages_name_the_field_and_the_cause() {
        let err = one(json!({"title": "T", "body": "x", "published": "last Tuesday"})).unwrap_err();
        assert_eq!(err.field, "published");
        assert!(
            err.to_string()
                .starts_with("published: not an RFC 3339 date"),
            "{err}"
        );
        let err = one(json!({"title": "T", "body": "x", "colour": "red"})).unwrap_err();
        assert_eq!(err.field, "colour");
        assert!(err.message.contains("unknown field `colour`"), "{err}");
        let err = one(json!({"title": "T", "body": "x", "captions": [{"text": "Dockers", "credt": "Herald"}]}))
            .unwrap_err();
        assert_eq!(err.field, "captions[0].credt");
        assert!(err.message.contains("unknown field `credt`"), "{err}");
        let err = from_json(b"{\"title\": ", "api").unwrap_err();
        assert_eq!(err.field, REQUEST, "the request, not an article's body");
        assert!(err.message.starts_with("not valid JSON"), "{err}");
        let err = from_json(b"{\"title\": \"Caf\xe9\"}", "api").unwrap_err();
        assert_eq!(err.field, REQUEST);
        assert_eq!(
            err.message,
            "not UTF-8 at byte 14: JSON is UTF-8 (RFC 8259)"
        );
        let err = from_json(b"42", "api").unwrap_err();
        assert_eq!(err.field, REQUEST);
        assert!(
            err.message
                .contains("an article object or an array of them"),
            "{err}"
        );
        let err = from_json(b"[]", "api").unwrap_err();
        assert_eq!(err, PushError::new(REQUEST, "holds no article"));
    }

    #[test]
    fn empty_names_and_paragraphs_are_left_out() {
        let (_, article) = one(json!({"title": "T", "body": ["", "Kept.", " \u{0} "],
            "authors": ["", "\u{0}", " ", "Ann Lee"], "categories": ["", " "]}))
        .unwrap();
        assert_eq!(article.authors, ["Ann Lee"]);
        assert!(article.categories.is_empty());
        assert_eq!(article.body.len(), 1);
    }

    #[test]
    fn blank_lines_of_any_line_ending_or_of_white_space_separate_paragraphs() {
        let three = [
            "Roads closed.\r\n\r\nBuses ran late.\r\n\r\nSchools shut.",
            "Roads closed.\r\rBuses ran late.\r\rSchools shut.",
            "Roads closed.\n \nBuses ran late.\n\t\u{A0}\r\nSchools shut.\n",
            "\r\nRoads closed.\n\n\n\nBuses ran late.\r\n\u{200B}\r\nSchools shut.",
        ];
        for text in three {
            let (_, article) = one(json!({"title": "T", "body": text})).unwrap();
            let paragraphs: Vec<&str> = article.body.iter().map(|b| b.text.as_str()).collect();
            assert_eq!(
                paragraphs,
                ["Roads closed.", "Buses ran late.", "Schools shut."],
                "{text:?}"
            );
        }
        // A single line break of any kind stays inside its paragraph.
        let (_, article) =
            one(json!({"title": "T", "body": "Roads\r\nclosed.\rBuses\nran late."})).unwrap();
        assert_eq!(article.body.len(), 1);
        assert_eq!(article.body[0].text, "Roads closed. Buses ran late.");
    }

    #[test]
    fn repeated_authors_and_categories_are_kept_once_as_in_a_feed_entry() {
        let (_, article) = one(json!({"title": "T", "body": "x",
            "authors": ["Ann Lee", " Ann  Lee ", "Bo Chen", "Ann Lee"],
            "categories": ["Arts", "Arts", "Local", "Arts\u{200B}"]}))
        .unwrap();
        assert_eq!(article.authors, ["Ann Lee", "Bo Chen"]);
        assert_eq!(article.categories, ["Arts", "Local"]);
    }

    #[test]
    fn authors_written_as_bylines_lose_their_by_as_in_a_feed_entry() {
        let (_, article) = one(json!({"title": "T", "body": "x",
            "authors": ["By Tom Reyes", "BY: Ann Lee", "Bo Chen"]}))
        .unwrap();
        assert_eq!(article.authors, ["Tom Reyes", "Ann Lee", "Bo Chen"]);
    }

    #[test]
    fn a_byte_order_mark_and_a_lone_surrogate_are_read() {
        let body = "\u{FEFF}{\"title\": \"Cut \\ud83d\", \"body\": \"x\"}";
        let pushed = from_json(body.as_bytes(), "api").unwrap();
        assert_eq!(pushed[0].articles[0].title, "Cut \u{FFFD}");
    }

    #[test]
    fn pushed_html_is_sanitized() {
        let (_, article) = one(
            json!({"title": "T", "content_html": "<p onclick=\"x()\">Hi<script>alert(1)</script></p>"}),
        )
        .unwrap();
        let html = article.content_html.unwrap();
        assert!(
            !html.contains("script") && !html.contains("onclick"),
            "{html}"
        );
        assert_eq!(article.body[0].text, "Hi");
    }

    #[test]
    fn the_audio_and_video_pushed_html_plays_are_its_media_files() {
        let (_, article) = one(json!({"title": "Evening bulletin",
        "link": "https://agg.example/news/bulletin",
        "content_html": concat!(
            "<p>The harbour master on the ferry timetable.</p>",
            "<audio src=\"https://media.example/bulletin.mp3\" controls></audio>",
            "<audio controls><source src=\"/clips/bulletin.mp3?_=1\" type=\"audio/mpeg\"></audio>",
            "<video controls><source src=\"clips/quay.webm\" type=\"video/webm\"></video>",
            "<video src=\"javascript:alert(1)\"></video>",
        )}))
        .unwrap();
        let files: Vec<(&str, Option<&str>)> = article
            .enclosures
            .iter()
            .map(|e| (e.url.as_str(), e.media_type.as_deref()))
            .collect();
        assert_eq!(
            files,
            [
                ("https://media.example/bulletin.mp3", None),
                (
                    "https://agg.example/clips/bulletin.mp3?_=1",
                    Some("audio/mpeg")
                ),
                (
                    "https://agg.example/news/clips/quay.webm",
                    Some("video/webm")
                ),
            ]
        );
        let html = article.content_html.unwrap();
        assert!(
            !html.contains("<audio") && !html.contains("<video"),
            "{html}"
        );
        // Without a link, a file named relative to nothing is left out.
        let (_, article) = one(json!({"title": "T",
            "content_html": "<p>Hi</p><audio src=\"/a.mp3\"></audio><video src=\"https://cdn.example/b.mp4\"></video>"}))
        .unwrap();
        let urls: Vec<&str> = article.enclosures.iter().map(|e| e.url.as_str()).collect();
        assert_eq!(urls, ["https://cdn.example/b.mp4"]);
    }

    #[test]
    fn each_run_of_one_source_is_one_pushed_source() {
        let request = json!([
            {"title": "A", "body": "x", "source": "one"},
            {"title": "B", "body": "y", "source": "one"},
            {"title": "C", "body": "z"},
            {"title": "D", "body": "w", "source": "one"},
        ]);
        let pushed = from_json(request.to_string().as_bytes(), "api").unwrap();
        let runs: Vec<(&str, usize)> = pushed
            .iter()
            .map(|p| (p.name.as_str(), p.articles.len()))
            .collect();
        assert_eq!(runs, [("one", 2), ("api", 1), ("one", 1)]);
        let lines: Vec<usize> = pushed
            .iter()
            .flat_map(|p| p.articles.iter().map(|a| a.origin.line))
            .collect();
        assert_eq!(lines, [1, 2, 3, 4]);
    }

    #[test]
    fn pushed_dumps_fold_like_scraped_ones() {
        let dump = "Ferry Timetable Changes From Monday\n\nFerry Timetable Changes From Monday\n\nThe first sailing moves to six.\n";
        let pushed = from_dump(dump.as_bytes(), UTF_8, "wire").unwrap();
        assert_eq!(pushed.len(), 1);
        assert_eq!(pushed[0].name, "wire");
        assert_eq!(pushed[0].articles[0].body.len(), 1);
        assert_eq!(
            from_dump(b"", UTF_8, "wire").err().unwrap(),
            PushError::new(REQUEST, "holds no article")
        );
        let bad = from_dump(b"Headline\n\nBody \0 here.\n", UTF_8, "wire").unwrap_err();
        assert_eq!(bad.field, REQUEST);
        assert!(bad.message.contains("binary data"), "{bad}");
    }

    #[test]
    fn a_pushed_dump_in_another_encoding_is_decoded_as_its_charset_says() {
        let dump = "横浜港の新ターミナル、2027年春に開業へ\n\n横浜港の新ターミナル、2027年春に開業へ\n\n\
                    国土交通省は3日、整備計画を承認したと発表した。\n";
        let utf8 = from_dump(dump.as_bytes(), UTF_8, "wire").unwrap();
        for encoding in [
            encoding_rs::SHIFT_JIS,
            encoding_rs::GB18030,
            encoding_rs::UTF_16BE,
        ] {
            let (bytes, _, _) = encoding.encode(dump);
            let bytes = if encoding == encoding_rs::UTF_16BE {
                // `encode` writes UTF-16 as UTF-8; spell it out.
                dump.encode_utf16().flat_map(u16::to_be_bytes).collect()
            } else {
                bytes.into_owned()
            };
            let pushed = from_dump(&bytes, encoding, "wire").unwrap();
            assert_eq!(pushed[0].articles, utf8[0].articles, "{}", encoding.name());
        }
        let bad = from_dump(
            b"Headline\n\nBody \xff\xff here.\n",
            encoding_rs::SHIFT_JIS,
            "wire",
        )
        .unwrap_err();
        assert_eq!(bad.message, "not valid Shift_JIS as its charset says");
        // UTF-8 under a single-byte label is read as UTF-8; text that is
        // not UTF-8 is read in that encoding.
        let latin = "Caf\u{e9} reopens on the quay\n\nCaf\u{e9} reopens on the quay\n\nThe caf\u{e9} opened again.\n";
        let as_utf8 = from_dump(latin.as_bytes(), encoding_rs::WINDOWS_1252, "wire").unwrap();
        let (in_1252, _, _) = encoding_rs::WINDOWS_1252.encode(latin);
        let as_1252 = from_dump(&in_1252, encoding_rs::WINDOWS_1252, "wire").unwrap();
        assert_eq!(
            as_utf8[0].articles[0].title,
            "Caf\u{e9} reopens on the quay"
        );
        assert_eq!(as_1252[0].articles, as_utf8[0].articles);
    }

    #[test]
    fn articles_sharing_an_id_or_a_link_are_told_apart_as_in_a_feed_document() {
        let request = json!([
            {"id": "dup-1", "title": "Council Approves Budget", "body": "The council approved it."},
            {"id": "dup-1", "title": "Striker Signs Contract", "body": "The striker signed."},
            {"id": "x-7", "link": "https://agg.example/one", "title": "Festival Returns", "body": "It returns."},
            {"id": "x-7", "link": "https://agg.example/two", "title": "School Opens", "body": "It opened."},
            {"id": "s-1", "link": "https://agg.example/local", "title": "Bakery Wins", "body": "It won."},
            {"id": "s-2", "link": "https://agg.example/local", "title": "Bus Diverted", "body": "It is diverted."},
            {"link": "https://agg.example/section", "title": "Museum Opens Late", "body": "It opens late."},
            {"link": "https://agg.example/section", "title": "Rowing Centenary", "body": "It is a hundred."},
            {"id": "twice", "title": "Listed Twice", "body": "The same."},
            {"id": "twice", "title": "Listed Twice", "body": "The same."},
        ]);
        let pushed = from_json(request.to_string().as_bytes(), "api").unwrap();
        let keys: Vec<(Option<&str>, bool)> = pushed[0]
            .articles
            .iter()
            .map(|a| (a.upstream_key.as_deref(), a.shared_link))
            .collect();
        assert_eq!(
            keys,
            [
                (None, false),
                (None, false),
                (Some("x-7 https://agg.example/one"), false),
                (Some("x-7 https://agg.example/two"), false),
                (Some("s-1"), true),
                (Some("s-2"), true),
                (None, true),
                (None, true),
                (Some("twice"), false),
                (Some("twice"), false),
            ]
        );
    }

    #[test]
    fn the_same_id_under_two_sources_is_two_entries() {
        let request = json!([
            {"id": "a-1", "title": "First", "body": "One.", "source": "one"},
            {"id": "a-1", "title": "Second", "body": "Two.", "source": "two"},
            {"id": "a-1", "title": "Third", "body": "Three.", "source": "one"},
        ]);
        let pushed = from_json(request.to_string().as_bytes(), "api").unwrap();
        let keys: Vec<(&str, Option<&str>)> = pushed
            .iter()
            .flat_map(|p| {
                p.articles
                    .iter()
                    .map(|a| (p.name.as_str(), a.upstream_key.as_deref()))
            })
            .collect();
        assert_eq!(keys, [("one", None), ("two", Some("a-1")), ("one", None)]);
    }

    #[test]
    fn an_article_with_no_text_is_refused() {
        for body in [json!(""), json!([]), json!(["", "  "]), json!("\n\n\n")] {
            let err = one(json!({"title": "T", "body": body})).unwrap_err();
            assert_eq!(err.field, "body", "{body}");
            assert!(
                err.message.contains("give `body` or `content_html`"),
                "{err}"
            );
        }
        let err =
            one(json!({"title": "T", "content_html": "<script>alert(1)</script>"})).unwrap_err();
        assert_eq!(err.field, "content_html");
        assert!(
            err.message.contains("give `body` or `content_html`"),
            "{err}"
        );
        // An empty body beside HTML with text takes the HTML's.
        let (_, article) =
            one(json!({"title": "T", "body": "", "content_html": "<p>Hi</p>"})).unwrap();
        assert_eq!(article.body[0].text, "Hi");
    }

    #[test]
    fn a_caption_with_nothing_in_it_is_refused() {
        for caption in [json!({}), json!({"text": "  ", "credit": ""})] {
            let err =
                one(json!({"title": "T", "body": "x", "captions": [{"text": "Kept"}, caption]}))
                    .unwrap_err();
            assert_eq!(err.field, "captions[1]", "{err}");
        }
        let (_, article) =
            one(json!({"title": "T", "body": "x", "captions": [{"credit": "AP"}]})).unwrap();
        assert_eq!(article.captions[0].credit.as_deref(), Some("AP"));
    }
}

//! What a page says about its article outside the body: the headline (from
//! `h1`, `og:title`, JSON-LD `headline` and `<title>`, with site suffixes
//! such as ` | Daily Record` removed), the published and modified dates
//! (JSON-LD, `article:published_time` and kin, `<time datetime>`), the
//! canonical link, the byline, the description, the section, and the
//! JSON-LD `articleBody` when the page has one.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use html5ever::local_name;
use serde_json::Value;
use url::Url;

use super::dom::{Dom, NodeId};
use crate::ingest::date::{parse_date_line, plausible};
use crate::ingest::feed::timestamp;
use crate::normalize::{clean_text, fold};

/// The page's own account of its article.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Metadata {
    pub title: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub updated: Option<DateTime<Utc>>,
    pub canonical: Option<String>,
    pub authors: Vec<String>,
    pub description: Option<String>,
    pub section: Option<String>,
    /// JSON-LD `articleBody`, as plain text.
    pub article_body: Option<String>,
    /// The site's name (`og:site_name`, the JSON-LD publisher).
    pub site_name: Option<String>,
}

/// `<meta>` values by lower-cased `property`, `name` or `itemprop`, in
/// document order.
struct Metas(HashMap<String, Vec<String>>);

impl Metas {
    fn read(dom: &Dom) -> Metas {
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        for (_, meta) in dom.elements_named(&local_name!("meta")) {
            let Some(content) = meta.attr("content").map(clean_text) else {
                continue;
            };
            if content.is_empty() {
                continue;
            }
            for key in ["property", "name", "itemprop"] {
                if let Some(names) = meta.attr(key) {
                    // `property="og:title twitter:title"` names several.
                    for name in names.split_whitespace() {
                        map.entry(name.to_ascii_lowercase())
                            .or_default()
                            .push(content.clone());
                    }
                }
            }
        }
        Metas(map)
    }

    fn first(&self, names: &[&str]) -> Option<&str> {
        names
            .iter()
            .find_map(|n| self.0.get(*n).and_then(|v| v.first()))
            .map(String::as_str)
    }
}

/// Reads the metadata of `dom`; `base` resolves relative links.
pub fn read(dom: &Dom, base: Option<&Url>) -> Metadata {
    let metas = Metas::read(dom);
    let ld = JsonLd::read(dom);
    let site_name = metas
        .first(&["og:site_name", "application-name"])
        .map(str::to_string)
        .or_else(|| ld.publisher.clone());
    let title = headline(dom, &metas, &ld, site_name.as_deref(), base);
    let published = ld
        .published
        .as_deref()
        .and_then(parse_date)
        .or_else(|| {
            date_meta(
                &metas,
                &[
                    "article:published_time",
                    "og:article:published_time",
                    "datepublished",
                    "publishdate",
                    "pubdate",
                    "publish-date",
                    "parsely-pub-date",
                    "sailthru.date",
                    "dc.date.issued",
                    "dcterms.created",
                    "dc.date",
                    "date",
                    "article.published",
                    "published_time",
                ],
            )
        })
        .or_else(|| time_element(dom));
    let updated = ld.modified.as_deref().and_then(parse_date).or_else(|| {
        date_meta(
            &metas,
            &[
                "article:modified_time",
                "og:updated_time",
                "datemodified",
                "dcterms.modified",
            ],
        )
    });
    let canonical =
        canonical(dom, base).or_else(|| metas.first(&["og:url"]).and_then(|u| absolute(u, base)));
    let mut authors = ld.authors.clone();
    if authors.is_empty() {
        authors = byline(dom, &metas);
    }
    Metadata {
        title,
        published,
        updated,
        canonical,
        authors,
        description: metas
            .first(&["og:description", "description", "twitter:description"])
            .map(str::to_string),
        section: metas.first(&["article:section"]).map(str::to_string),
        article_body: ld.body.clone(),
        site_name,
    }
}

fn date_meta(metas: &Metas, names: &[&str]) -> Option<DateTime<Utc>> {
    names
        .iter()
        .filter_map(|n| metas.0.get(*n))
        .flatten()
        .find_map(|v| parse_date(v))
}

/// A date as pages write them: RFC 3339 and its near misses, RFC 2822,
/// a bare `2024-07-29`, or a date line such as `July 29, 2024`.
pub fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    let date = timestamp::parse(text)
        .or_else(|| {
            // `2024-07-29T05:30:00` without an offset: read as UTC.
            let head = text.get(..19)?;
            chrono::NaiveDateTime::parse_from_str(head, "%Y-%m-%dT%H:%M:%S")
                .or_else(|_| chrono::NaiveDateTime::parse_from_str(head, "%Y-%m-%d %H:%M:%S"))
                .ok()
                .map(|t| t.and_utc())
        })
        .or_else(|| {
            chrono::NaiveDateTime::parse_from_str(text.get(..16)?, "%Y-%m-%dT%H:%M")
                .ok()
                .map(|t| t.and_utc())
        })
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc())
        })
        .or_else(|| (text.len() <= 80).then(|| parse_date_line(text)).flatten())?;
    plausible(date)
}

/// The first `<time datetime>` that says it is the publication date, else
/// the first one in the page.
fn time_element(dom: &Dom) -> Option<DateTime<Utc>> {
    let times: Vec<_> = dom
        .elements_named(&local_name!("time"))
        .filter_map(|(_, e)| {
            let when = parse_date(e.attr("datetime")?)?;
            let marked = e.attr("pubdate").is_some()
                || e.attr("itemprop")
                    .is_some_and(|p| p.eq_ignore_ascii_case("datePublished"));
            Some((marked, when))
        })
        .collect();
    times
        .iter()
        .find(|(marked, _)| *marked)
        .or(times.first())
        .map(|(_, when)| *when)
}

fn canonical(dom: &Dom, base: Option<&Url>) -> Option<String> {
    dom.elements_named(&local_name!("link")).find_map(|(_, e)| {
        let rel = e.attr("rel")?;
        if !rel
            .split_whitespace()
            .any(|r| r.eq_ignore_ascii_case("canonical"))
        {
            return None;
        }
        absolute(e.attr("href")?, base)
    })
}

/// `href` as an absolute `http`/`https` URL.
pub fn absolute(href: &str, base: Option<&Url>) -> Option<String> {
    let href = href.trim();
    let url = match base {
        Some(base) => base.join(href).ok()?,
        None => Url::parse(href).ok()?,
    };
    matches!(url.scheme(), "http" | "https").then(|| url.to_string())
}

/// Bylines from `<meta name="author">`, `rel="author"` links and elements
/// marked as the author.
fn byline(dom: &Dom, metas: &Metas) -> Vec<String> {
    if let Some(author) = metas.first(&["author", "article:author", "dc.creator", "byl"])
        && !author.starts_with("http")
    {
        return vec![strip_by(author)];
    }
    for id in 0..dom.len() as NodeId {
        let Some(e) = dom.element(id) else { continue };
        let marked = e.attr("rel").is_some_and(|r| r.contains("author"))
            || e.attr("itemprop").is_some_and(|p| p == "author")
            || e.attr("class").is_some_and(|c| {
                c.split_whitespace()
                    .any(|c| c.eq_ignore_ascii_case("byline") || c.eq_ignore_ascii_case("author"))
            });
        if marked {
            let text = clean_text(&dom.text_of(id));
            if !text.is_empty() && text.split_whitespace().count() <= 8 {
                return vec![strip_by(&text)];
            }
        }
    }
    Vec::new()
}

fn strip_by(text: &str) -> String {
    let trimmed = text.trim();
    for prefix in ["By ", "by ", "BY "] {
        if let Some(rest) = trimmed.strip_prefix(prefix) {
            return rest.trim().to_string();
        }
    }
    trimmed.to_string()
}

/// What the JSON-LD of a page says of its article.
#[derive(Debug, Default)]
struct JsonLd {
    headline: Option<String>,
    published: Option<String>,
    modified: Option<String>,
    authors: Vec<String>,
    body: Option<String>,
    publisher: Option<String>,
}

const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "NewsArticle",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "ReviewNewsArticle",
    "BlogPosting",
    "LiveBlogPosting",
    "SocialMediaPosting",
    "Report",
    "TechArticle",
    "ScholarlyArticle",
];

impl JsonLd {
    fn read(dom: &Dom) -> JsonLd {
        let mut found = JsonLd::default();
        for (id, script) in dom.elements_named(&local_name!("script")) {
            let is_ld = script
                .attr("type")
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
            if !is_ld {
                continue;
            }
            let text = dom.text_of(id);
            let trimmed = text
                .trim()
                .trim_start_matches("<!--")
                .trim_end_matches("-->")
                .trim()
                .trim_end_matches(';');
            let Ok(value) = serde_json::from_str::<Value>(trimmed) else {
                continue;
            };
            found.visit(&value, 0);
        }
        found
    }

    fn visit(&mut self, value: &Value, depth: usize) {
        if depth > 8 {
            return;
        }
        match value {
            Value::Array(items) => items.iter().for_each(|v| self.visit(v, depth + 1)),
            Value::Object(object) => {
                if let Some(graph) = object.get("@graph") {
                    self.visit(graph, depth + 1);
                }
                let is_article = match object.get("@type") {
                    Some(Value::String(t)) => ARTICLE_TYPES.contains(&t.as_str()),
                    Some(Value::Array(ts)) => ts
                        .iter()
                        .any(|t| t.as_str().is_some_and(|t| ARTICLE_TYPES.contains(&t))),
                    _ => false,
                };
                if is_article {
                    self.take(object);
                } else if let Some(main) = object.get("mainEntity") {
                    self.visit(main, depth + 1);
                }
            }
            _ => {}
        }
    }

    fn take(&mut self, object: &serde_json::Map<String, Value>) {
        let text = |key: &str| {
            object
                .get(key)
                .and_then(Value::as_str)
                .map(clean_text)
                .filter(|s| !s.is_empty())
        };
        if self.headline.is_none() {
            self.headline = text("headline").or_else(|| text("name"));
        }
        if self.published.is_none() {
            self.published = text("datePublished").or_else(|| text("dateCreated"));
        }
        if self.modified.is_none() {
            self.modified = text("dateModified");
        }
        if self.body.is_none() {
            self.body = object
                .get("articleBody")
                .and_then(Value::as_str)
                .map(str::to_string);
        }
        if self.authors.is_empty() {
            self.authors = names(object.get("author"));
        }
        if self.publisher.is_none() {
            self.publisher = names(object.get("publisher")).into_iter().next();
        }
    }
}

/// Names from a JSON-LD person or organization: a string, an object with a
/// `name`, or a list of them.
fn names(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) if !s.starts_with("http") => vec![clean_text(s)],
        Some(Value::Object(o)) => o
            .get("name")
            .and_then(Value::as_str)
            .map(|n| vec![clean_text(n)])
            .unwrap_or_default(),
        Some(Value::Array(items)) => items.iter().flat_map(|v| names(Some(v))).collect(),
        _ => Vec::new(),
    }
    .into_iter()
    .filter(|n| !n.is_empty())
    .collect()
}

/// The headline: an `h1` that the page's metadata confirms, else the
/// JSON-LD headline, `og:title` or `<title>` without its site suffix, else
/// the first `h1`.
fn headline(
    dom: &Dom,
    metas: &Metas,
    ld: &JsonLd,
    site_name: Option<&str>,
    base: Option<&Url>,
) -> Option<String> {
    let document_title = dom
        .elements_named(&local_name!("title"))
        .next()
        .map(|(id, _)| clean_text(&dom.text_of(id)))
        .filter(|t| !t.is_empty());
    let host = base.and_then(Url::host_str);
    let mut claimed: Vec<String> = Vec::new();
    if let Some(h) = &ld.headline {
        claimed.push(h.clone());
    }
    for t in [
        metas.first(&["og:title"]),
        metas.first(&["twitter:title"]),
        document_title.as_deref(),
    ]
    .into_iter()
    .flatten()
    {
        claimed.push(t.to_string());
        claimed.push(strip_site(t, site_name, host));
    }
    let folded: Vec<String> = claimed.iter().map(|c| fold(c)).collect();
    let headings: Vec<String> = dom
        .elements_named(&local_name!("h1"))
        .map(|(id, _)| clean_text(&dom.text_of(id)))
        .filter(|t| !t.is_empty() && t.len() < 400)
        .collect();
    if let Some(h1) = headings.iter().find(|h| {
        let f = fold(h);
        folded.contains(&f)
    }) {
        return Some(h1.clone());
    }
    // An h1 that the document title starts with, or ends with.
    if let Some(title) = &document_title {
        let t = fold(title);
        if let Some(h1) = headings.iter().find(|h| {
            let f = fold(h);
            f.split_whitespace().count() >= 2 && (t.starts_with(&f) || t.ends_with(&f))
        }) {
            return Some(h1.clone());
        }
    }
    ld.headline
        .clone()
        .or_else(|| {
            metas
                .first(&["og:title", "twitter:title"])
                .map(|t| strip_site(t, site_name, host))
        })
        .or_else(|| document_title.map(|t| strip_site(&t, site_name, host)))
        .or_else(|| headings.into_iter().next())
}

/// `Storm Hits Coast | Daily Record` -> `Storm Hits Coast`: the part of a
/// title that names the site (given, or short beside the rest) is dropped,
/// at its end or its start.
pub fn strip_site(title: &str, site_name: Option<&str>, host: Option<&str>) -> String {
    const SEPARATORS: &[&str] = &[
        " | ", " - ", " – ", " — ", " :: ", " · ", " • ", " » ", " / ", " : ",
    ];
    let title = clean_text(title);
    let site = site_name.map(fold);
    let host_word = host.map(|h| {
        let h = h.trim_start_matches("www.");
        h.split('.').next().unwrap_or(h).to_ascii_lowercase()
    });
    let names_site = |part: &str| {
        let f = fold(part);
        let squashed: String = f.chars().filter(|c| c.is_alphanumeric()).collect();
        site.as_deref()
            .is_some_and(|s| f == s || f.contains(s) || s.contains(&f))
            || host_word
                .as_deref()
                .is_some_and(|h| !h.is_empty() && squashed.contains(h))
    };
    for sep in SEPARATORS {
        if let Some(at) = title.rfind(sep) {
            let (head, tail) = (&title[..at], &title[at + sep.len()..]);
            let short_tail = tail.split_whitespace().count() <= 4
                && head.split_whitespace().count() >= 3
                && *sep != " : "
                && *sep != " - ";
            if names_site(tail) || short_tail {
                return strip_site(head, site_name, host);
            }
        }
        if let Some(at) = title.find(sep) {
            let (head, tail) = (&title[..at], &title[at + sep.len()..]);
            if names_site(head) && tail.split_whitespace().count() >= 2 {
                return tail.trim().to_string();
            }
        }
    }
    title
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(html: &str) -> Metadata {
        read(
            &Dom::parse(html),
            Url::parse("https://news.example/a/1").ok().as_ref(),
        )
    }

    #[test]
    fn site_suffixes_come_off_the_title() {
        assert_eq!(
            strip_site("Storm Hits Coast | Daily Record", None, None),
            "Storm Hits Coast"
        );
        assert_eq!(
            strip_site(
                "Storm Hits the Coast - Daily Record",
                Some("Daily Record"),
                None
            ),
            "Storm Hits the Coast"
        );
        assert_eq!(
            strip_site(
                "Daily Record | Storm Hits the Coast",
                Some("Daily Record"),
                None
            ),
            "Storm Hits the Coast"
        );
        assert_eq!(
            strip_site("Rates: What Changes - and Why", None, None),
            "Rates: What Changes - and Why"
        );
    }

    #[test]
    fn an_h1_confirmed_by_the_metadata_is_the_headline() {
        let m = meta(
            r#"<title>Storm Hits Coast | Daily Record</title>
            <meta property="og:site_name" content="Daily Record">
            <h1>Most read</h1><h1>Storm Hits Coast</h1>"#,
        );
        assert_eq!(m.title.as_deref(), Some("Storm Hits Coast"));
    }

    #[test]
    fn dates_come_from_json_ld_then_meta_then_time() {
        let m = meta(
            r#"<script type="application/ld+json">{"@context":"https://schema.org",
            "@graph":[{"@type":"NewsArticle","headline":"H","datePublished":"2024-07-29T05:30:00+02:00",
            "author":[{"@type":"Person","name":"Ana Ruiz"}]}]}</script>
            <meta property="article:published_time" content="2020-01-01T00:00:00Z">"#,
        );
        assert_eq!(
            m.published.map(|d| d.to_rfc3339()),
            Some("2024-07-29T03:30:00+00:00".into())
        );
        assert_eq!(m.authors, ["Ana Ruiz"]);
        let m = meta(r#"<meta property="article:published_time" content="2020-01-02T10:00:00Z">"#);
        assert_eq!(
            m.published.map(|d| d.to_rfc3339()),
            Some("2020-01-02T10:00:00+00:00".into())
        );
        let m = meta(r#"<p><time datetime="2021-03-04">March 4</time></p>"#);
        assert_eq!(
            m.published.map(|d| d.to_rfc3339()),
            Some("2021-03-04T00:00:00+00:00".into())
        );
    }

    #[test]
    fn the_canonical_link_is_absolute_and_web_only() {
        let m = meta(r#"<link rel="canonical" href="/story/1?x=1">"#);
        assert_eq!(
            m.canonical.as_deref(),
            Some("https://news.example/story/1?x=1")
        );
        let m = meta(r#"<link rel="canonical" href="javascript:alert(1)">"#);
        assert_eq!(m.canonical, None);
    }
}

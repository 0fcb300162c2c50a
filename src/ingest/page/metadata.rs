//! What a page says about its article outside the body: the headline (from
//! `h1`, `og:title`, JSON-LD `headline` and `<title>`, with site suffixes
//! such as ` | Daily Record` removed and a title that is only the site's
//! name passed over), the published and modified dates
//! (JSON-LD, `article:published_time` and kin, the article's `<time
//! datetime>`, none in the page's furniture), the
//! canonical link (unless it is the site's home page), the byline, the
//! description, the section, and the JSON-LD `articleBody` when the page
//! has one. Also whether the page is a listing rather than an article
//! ([`Metadata::listing`]), which of its elements the JSON-LD marks as
//! the article's subscriber-only part ([`Metadata::subscriber_parts`]),
//! and its `<title>` as written and WordPress's mark of a "page not found"
//! page ([`Metadata::error404`]), for telling such a page.

use std::collections::HashMap;

use chrono::{DateTime, NaiveTime, Utc};
use html5ever::local_name;
use serde_json::Value;
use url::Url;

use super::blocks::{MAX_META_BOX_CHARS, MAX_WRAPPER_DEPTH};
use super::dom::{Dom, NodeId, is_heading};
use super::lead_image::{self, Declared};
use super::signals;
use crate::ingest::date::{parse_date_line, plausible};
use crate::ingest::dump::{byline_names, name_list, name_parts, person_name};
use crate::ingest::feed::timestamp;
use crate::ingest::sanitize::html_to_text;
use crate::model::Caption;
use crate::normalize::{clean_text, fold, has_visible, uri_string};

/// The page's own account of its article.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Metadata {
    pub title: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub updated: Option<DateTime<Utc>>,
    pub canonical: Option<String>,
    pub authors: Vec<String>,
    /// The JSON-LD authors when they are only the site itself (an
    /// `Organization` by its name): the article's authors when no byline
    /// of the page names any.
    pub site_as_author: Vec<String>,
    pub description: Option<String>,
    pub section: Option<String>,
    /// JSON-LD `articleBody`, as plain text.
    pub article_body: Option<String>,
    /// The site's name (`og:site_name`, the JSON-LD publisher).
    pub site_name: Option<String>,
    /// The page a `<meta http-equiv="refresh">` sends the reader on to,
    /// absolute.
    pub refresh: Option<String>,
    /// Whether the page lists stories rather than tells one (a category,
    /// tag, author or search archive): it declares no article (JSON-LD,
    /// `og:type`), and its JSON-LD calls it a collection or search results,
    /// or its text is two or more `<article>` teasers, each headed by a link.
    pub listing: bool,
    /// The CSS selectors of the article's parts the JSON-LD marks as not
    /// free to read (`hasPart` with `isAccessibleForFree: false`, as
    /// Google asks of subscription content): the article's own text.
    pub subscriber_parts: Vec<String>,
    /// The page's `<title>` as it reads, site name and all.
    pub page_title: Option<String>,
    /// Whether the page's `<body>` has the class `error404`, which
    /// WordPress gives its "page not found" page.
    pub error404: bool,
    /// The lead image the page declares (`og:image`, `twitter:image`,
    /// JSON-LD `image`), unless a stand-in for a photo
    /// ([`lead_image::lead_picture`]).
    pub lead_picture: Option<Caption>,
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
    const PUBLISHED_METAS: &[&str] = &[
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
    ];
    let any = |_: &str| true;
    let ld_published = ld.published.as_deref().and_then(|text| {
        let at = parse_date(text)?;
        Some((at, zoneless_moment(text)))
    });
    // A JSON-LD moment written without its zone gives way to one the page
    // writes with its zone (the same moment, as a content system prints
    // it twice, once without the zone and read as UTC).
    let zoned_published = |zoneless: &str| {
        let same = |t: &str| zoned_moment(t) && same_wall_clock(t, zoneless);
        date_meta(&metas, PUBLISHED_METAS, same).or_else(|| time_element(dom, same))
    };
    let published = match (ld_published, ld.published.as_deref()) {
        (Some((at, true)), Some(text)) => zoned_published(text).or(Some(at)),
        (Some((at, _)), _) => Some(at),
        (None, _) => date_meta(&metas, PUBLISHED_METAS, any).or_else(|| time_element(dom, any)),
    };
    const MODIFIED_METAS: &[&str] = &[
        "article:modified_time",
        "og:updated_time",
        "datemodified",
        "dcterms.modified",
    ];
    let updated = match ld.modified.as_deref() {
        Some(text) if zoneless_moment(text) => date_meta(&metas, MODIFIED_METAS, |t| {
            zoned_moment(t) && same_wall_clock(t, text)
        })
        .or_else(|| parse_date(text)),
        ld_modified => ld_modified
            .and_then(parse_date)
            .or_else(|| date_meta(&metas, MODIFIED_METAS, any)),
    };
    let canonical = canonical(dom, base).or_else(|| {
        metas
            .first(&["og:url"])
            .and_then(|u| absolute(u, base))
            .filter(|u| !is_site_root(u))
    });
    // A JSON-LD author that is only the site itself (an `Organization` by
    // the publisher's name) names no journalist: the page's byline does.
    let host = base.and_then(Url::host_str);
    let publisher = ld.publisher.as_deref();
    let the_site = |name: &String| {
        only_site_name(name, site_name.as_deref(), host) || only_site_name(name, publisher, None)
    };
    let (site_as_author, mut authors) = if ld.authors.iter().all(the_site) {
        (ld.authors.clone(), Vec::new())
    } else {
        (Vec::new(), ld.authors.clone())
    };
    if authors.is_empty() {
        authors = byline(dom, &metas);
    }
    let declares_article = ld.article
        || metas
            .first(&["og:type"])
            .is_some_and(|t| t.eq_ignore_ascii_case("article"));
    Metadata {
        title,
        published,
        updated,
        canonical,
        authors,
        site_as_author,
        description: metas
            .first(&["og:description", "description", "twitter:description"])
            .map(str::to_string),
        section: metas.first(&["article:section"]).map(str::to_string),
        article_body: ld.body.clone(),
        site_name,
        refresh: refresh(dom, base),
        listing: !declares_article && (ld.collection || teaser_list(dom)),
        subscriber_parts: ld.subscriber_parts,
        page_title: page_title(dom),
        error404: dom.elements_named(&local_name!("body")).any(|(_, body)| {
            body.attr("class")
                .is_some_and(|c| c.split_whitespace().any(|c| c == "error404"))
        }),
        lead_picture: lead_image::lead_picture(&declared_images(&metas, ld.image), base),
    }
}

/// The lead images the page declares, in the order they are trusted:
/// `og:image` (with its `og:image:alt`, width and height), `twitter:image`
/// (with its `twitter:image:alt`), then the JSON-LD article's `image`.
fn declared_images(metas: &Metas, ld_image: Option<Declared>) -> Vec<Declared> {
    let meta = |names: &[&str]| metas.first(names).map(str::to_string);
    let og = meta(&["og:image", "og:image:url", "og:image:secure_url"]).map(|url| Declared {
        url,
        alt: meta(&["og:image:alt"]),
        width: meta(&["og:image:width"]),
        height: meta(&["og:image:height"]),
    });
    let twitter = meta(&["twitter:image", "twitter:image:src"]).map(|url| Declared {
        url,
        alt: meta(&["twitter:image:alt"]),
        ..Declared::default()
    });
    og.into_iter().chain(twitter).chain(ld_image).collect()
}

/// The text of the page's `<title>`, when it shows any.
fn page_title(dom: &Dom) -> Option<String> {
    dom.elements_named(&local_name!("title"))
        .next()
        .map(|(id, _)| clean_text(&dom.text_of(id)))
        .filter(|t| has_visible(t))
}

/// Whether the page's text is a list of teasers: two or more outermost
/// `<article>` elements, each with a heading that links to its story,
/// whose paragraphs hold at least half the page's paragraph text.
fn teaser_list(dom: &Dom) -> bool {
    let article = local_name!("article");
    let outermost: Vec<NodeId> = dom
        .elements_named(&article)
        .map(|(id, _)| id)
        .filter(|&id| {
            dom.ancestors(id)
                .skip(1)
                .all(|a| !dom.is(a, &local_name!("article")))
        })
        .collect();
    let linked_heading = |id: NodeId| {
        dom.descendants(id).any(|h| {
            dom.name(h).is_some_and(is_heading)
                && dom.descendants(h).any(|a| {
                    dom.element(a)
                        .is_some_and(|e| e.name == local_name!("a") && e.attr("href").is_some())
                })
        })
    };
    if outermost.len() < 2 || !outermost.iter().all(|&id| linked_heading(id)) {
        return false;
    }
    let paragraph_letters = |inside: &dyn Fn(NodeId) -> bool| -> usize {
        dom.elements_named(&local_name!("p"))
            .filter(|(id, _)| inside(*id))
            .map(|(id, _)| {
                dom.text_of(id)
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .count()
            })
            .sum()
    };
    let in_teasers =
        paragraph_letters(&|p| outermost.iter().any(|&a| dom.descendants(a).contains(&p)));
    in_teasers * 2 >= paragraph_letters(&|_| true)
}

/// The elements of `dom` that `selectors` (a JSON-LD `cssSelector`: a
/// comma-separated list) name. Each selector is matched by its last
/// compound part (`div.paywall`, `.story-body .locked` by `.locked`):
/// a tag name, classes and an id; one with anything else (attributes,
/// pseudo-classes) names nothing.
pub fn selected(dom: &Dom, selectors: &[String]) -> Vec<NodeId> {
    let compounds: Vec<(Option<String>, Vec<String>, Option<String>)> = selectors
        .iter()
        .flat_map(|list| list.split(','))
        .filter_map(|selector| {
            let last = selector
                .split([' ', '>', '+', '~'])
                .rfind(|p| !p.is_empty())?;
            if last.contains(['[', ':', '*']) {
                return None;
            }
            let mut tag = None;
            let (mut classes, mut id) = (Vec::new(), None);
            let mut rest = last;
            let end = rest.find(['.', '#']).unwrap_or(rest.len());
            if end > 0 {
                tag = Some(rest[..end].to_ascii_lowercase());
            }
            rest = &rest[end..];
            while let Some(kind) = rest.chars().next() {
                let body = &rest[1..];
                let end = body.find(['.', '#']).unwrap_or(body.len());
                let name = body[..end].to_string();
                if name.is_empty() {
                    return None;
                }
                if kind == '.' {
                    classes.push(name);
                } else {
                    id = Some(name);
                }
                rest = &body[end..];
            }
            Some((tag, classes, id))
        })
        .collect();
    if compounds.is_empty() {
        return Vec::new();
    }
    (0..dom.len() as NodeId)
        .filter(|&n| {
            let Some(e) = dom.element(n) else {
                return false;
            };
            compounds.iter().any(|(tag, classes, id)| {
                tag.as_ref().is_none_or(|t| &*e.name == t.as_str())
                    && id.as_ref().is_none_or(|i| e.attr("id") == Some(i.as_str()))
                    && classes.iter().all(|c| {
                        e.attr("class")
                            .is_some_and(|have| have.split_whitespace().any(|h| h == c))
                    })
            })
        })
        .collect()
}

fn date_meta(
    metas: &Metas,
    names: &[&str],
    written: impl Fn(&str) -> bool,
) -> Option<DateTime<Utc>> {
    names
        .iter()
        .filter_map(|n| metas.0.get(*n))
        .flatten()
        .filter(|v| written(v))
        .find_map(|v| parse_date(v))
}

/// Whether `text` is a moment written without its zone
/// (`2026-12-05T09:00:00`, as many content systems print JSON-LD dates),
/// which reads as UTC.
fn zoneless_moment(text: &str) -> bool {
    let text = text.trim();
    [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
    ]
    .iter()
    .any(|format| chrono::NaiveDateTime::parse_from_str(text, format).is_ok())
}

/// Whether the zoned moment `zoned` shows the same day, hour and minute as
/// the moment `zoneless` written without its zone: the same moment with
/// its zone given, not another one (an update's time).
fn same_wall_clock(zoned: &str, zoneless: &str) -> bool {
    let minute = |text: &str| text.trim().get(..16).map(|m| m.replacen(' ', "T", 1));
    minute(zoned).is_some_and(|m| Some(m) == minute(zoneless))
}

/// Whether `text` is a moment written with its zone
/// (`2026-12-05T09:00:00+09:00`, `…Z`).
fn zoned_moment(text: &str) -> bool {
    let text = text.trim();
    DateTime::parse_from_rfc3339(text).is_ok()
        || [
            "%Y-%m-%dT%H:%M:%S%.f%z",
            "%Y-%m-%dT%H:%M%:z",
            "%Y-%m-%dT%H:%M%z",
        ]
        .iter()
        .any(|format| DateTime::parse_from_str(text, format).is_ok())
}

/// A date as pages write them: RFC 3339 and its near misses, RFC 2822,
/// a bare `2024-07-29`, or a date line such as `July 29, 2024`. A day
/// written as midnight in the site's zone (`2024-07-29T00:00:00+02:00`) is
/// read as the bare day is: midnight UTC.
pub fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    let date = local_midnight_day(text)
        .or_else(|| parse_moment(text))
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc())
        })
        .or_else(|| (text.len() <= 80).then(|| parse_date_line(text)).flatten())?;
    plausible(date)
}

/// The day of a timestamp at midnight in the zone it is written in
/// (`2024-07-29T00:00:00+02:00`), as midnight UTC: how content systems
/// print a field that holds only the day, in the site's zone. Read as the
/// moment, it would fall on the day before in UTC, and no longer tell that
/// it names a day only.
fn local_midnight_day(text: &str) -> Option<DateTime<Utc>> {
    let local = DateTime::parse_from_rfc3339(text)
        .or_else(|_| DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%z"))
        .ok()?;
    (local.time() == NaiveTime::MIN).then(|| local.date_naive().and_time(NaiveTime::MIN).and_utc())
}

/// A date with its time: RFC 3339 and its near misses (no seconds; no
/// offset, read as UTC), RFC 2822. Whatever year it names.
pub fn parse_moment(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    timestamp::parse(text)
        .or_else(|| {
            // `2024-07-29T05:30+02:00`: no seconds, as W3C allows.
            let (head, zone) = (text.get(..16)?, text.get(16..)?);
            if zone.is_empty() || zone.starts_with(':') {
                return None;
            }
            DateTime::parse_from_rfc3339(&format!("{head}:00{zone}"))
                .ok()
                .map(|t| t.with_timezone(&Utc))
        })
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
}

/// The article's `<time datetime>`: the first that says it is the
/// publication date (`pubdate`, `itemprop="datePublished"`, a class such as
/// `published` or `dt-published`), else the first inside an `article`,
/// else the first after the headline (`h1`), else the first in the page;
/// never one in the page's furniture (a news ticker in the site header, a
/// navigation bar, a sidebar's list) or in a list of teasers
/// ([`in_teaser_list`]), which date other stories. Only a `datetime`
/// that is `written` so counts.
fn time_element(dom: &Dom, written: impl Fn(&str) -> bool) -> Option<DateTime<Utc>> {
    let headline = dom
        .elements_named(&local_name!("h1"))
        .next()
        .map(|(id, _)| id);
    let times: Vec<_> = dom
        .elements_named(&local_name!("time"))
        .filter(|&(id, _)| !in_furniture(dom, id) && !in_teaser_list(dom, id))
        .filter_map(|(id, e)| {
            let when = e
                .attr("datetime")
                .filter(|d| written(d))
                .and_then(parse_date)?;
            let marked = e.attr("pubdate").is_some()
                || e.attr("itemprop")
                    .is_some_and(|p| p.eq_ignore_ascii_case("datePublished"))
                || e.attr("class").is_some_and(|c| {
                    c.split_whitespace()
                        .any(|w| w.to_ascii_lowercase().contains("publish"))
                });
            Some((id, marked, when))
        })
        .collect();
    let in_article = |id: NodeId| {
        dom.ancestors(id)
            .any(|a| dom.is(a, &local_name!("article")))
    };
    times
        .iter()
        .find(|(_, marked, _)| *marked)
        .or_else(|| times.iter().find(|(id, _, _)| in_article(*id)))
        .or_else(|| {
            times
                .iter()
                .find(|(id, _, _)| headline.is_some_and(|h| *id > h))
        })
        .or(times.first())
        .map(|(_, _, when)| *when)
}

/// Whether `id` sits in the page's furniture: a `nav`, `aside` or
/// `footer`, an element with a furniture role, one whose class or id
/// speaks of other stories (a news ticker, related, trending or most-read
/// lists, a sidebar), or, outside any `article` or `main`, a
/// `header` (the site's; an article's own holds its dateline) or an element
/// whose class or id speaks of furniture ([`signals::unlikely`]).
fn in_furniture(dom: &Dom, id: NodeId) -> bool {
    const OTHER_STORIES: &[&str] = &[
        "ticker",
        "related",
        "trending",
        "most-read",
        "mostread",
        "sidebar",
        "recirc",
    ];
    let ancestors: Vec<NodeId> = dom.ancestors(id).skip(1).collect();
    let in_story = ancestors
        .iter()
        .any(|&a| dom.is(a, &local_name!("article")) || dom.is(a, &local_name!("main")));
    ancestors.iter().any(|&a| {
        let Some(e) = dom.element(a) else {
            return false;
        };
        if matches!(
            e.name,
            local_name!("nav") | local_name!("aside") | local_name!("footer")
        ) || signals::furniture_role(e)
        {
            return true;
        }
        let names = signals::names(e);
        OTHER_STORIES.iter().any(|w| names.contains(w))
            || (!in_story
                && (e.name == local_name!("header")
                    || (signals::unlikely(&names) && !signals::maybe_content(&names))))
    })
}

/// Whether `time` dates a teaser of another story: it sits in an item of
/// a list (an element, at most four levels above it, with a sibling of the
/// same tag and class that holds a `<time>` too) whose text is mostly a link's, as a "Latest" column's
/// headlines are (`<div class="teaser"><a href="/news/fire">Fire crews
/// called…</a> <time>…</time></div>`). A live blog's updates, each dated,
/// are mostly text of their own.
fn in_teaser_list(dom: &Dom, time: NodeId) -> bool {
    let holds_time = |item: NodeId| {
        dom.descendants(item)
            .any(|n| dom.is(n, &local_name!("time")))
    };
    let mostly_link = |item: NodeId| {
        let letters = |text: &str| text.chars().filter(|c| c.is_alphanumeric()).count();
        let linked: usize = dom
            .descendants(item)
            .filter(|&n| dom.element(n).is_some_and(signals::is_link))
            .map(|n| letters(&dom.text_of(n)))
            .sum();
        linked * 2 > letters(&dom.text_of(item))
    };
    // A teaser's `<time>` sits a few levels inside its item at most.
    dom.ancestors(time).skip(1).take(4).any(|item| {
        let (Some(e), Some(parent)) = (dom.element(item), dom.parent(item)) else {
            return false;
        };
        let like = |other: NodeId| {
            other != item
                && dom
                    .element(other)
                    .is_some_and(|o| o.name == e.name && o.attr("class") == e.attr("class"))
                && holds_time(other)
        };
        dom.children(parent).any(like) && mostly_link(item)
    })
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
        absolute(e.attr("href")?, base).filter(|u| !is_site_root(u))
    })
}

/// The page a `<meta http-equiv="refresh" content="0; url=/news/1">`
/// sends the reader on to, absolute (a bare delay reloads the page: none).
fn refresh(dom: &Dom, base: Option<&Url>) -> Option<String> {
    dom.elements_named(&local_name!("meta")).find_map(|(_, e)| {
        if !e.attr("http-equiv")?.trim().eq_ignore_ascii_case("refresh") {
            return None;
        }
        let (_, target) = e.attr("content")?.split_once([';', ','])?;
        let target = target.trim_start();
        let target = match target.split_once('=') {
            Some((name, rest)) if name.trim().eq_ignore_ascii_case("url") => rest,
            _ => target,
        };
        let target = target.trim().trim_matches(['"', '\'']).trim();
        if target.is_empty() {
            return None;
        }
        absolute(target, base)
    })
}

/// Whether `url` is a site's home page (an empty path or `/`, no query):
/// a page that gives it as its canonical link is misconfigured, for it
/// names no one article.
fn is_site_root(url: &str) -> bool {
    Url::parse(url).is_ok_and(|u| u.path() == "/" && u.query().is_none())
}

/// `href` as an absolute `http`/`https` URL, written as an RFC 3986 URI
/// ([`uri_string`]).
pub fn absolute(href: &str, base: Option<&Url>) -> Option<String> {
    let href = href.trim();
    let url = match base {
        Some(base) => base.join(href).ok()?,
        None => Url::parse(href).ok()?,
    };
    matches!(url.scheme(), "http" | "https").then(|| uri_string(&url))
}

/// Bylines from `<meta name="author">`, `rel="author"` links and elements
/// marked as the author.
fn byline(dom: &Dom, metas: &Metas) -> Vec<String> {
    if let Some(author) = metas.first(&["author", "article:author", "dc.creator", "byl"])
        && !author.starts_with("http")
    {
        return named_authors(author);
    }
    for id in 0..dom.len() as NodeId {
        if !marked_as_author(dom, id) {
            continue;
        }
        if let Some(mut authors) = marked_byline_authors(&clean_text(&byline_text(dom, id))) {
            for fellow in fellow_bylines(dom, id) {
                let more = marked_byline_authors(&clean_text(&byline_text(dom, fellow)));
                for author in more.unwrap_or_default() {
                    if !authors.contains(&author) {
                        authors.push(author);
                    }
                }
            }
            return authors;
        }
    }
    Vec::new()
}

/// Whether `id` is an element marked as the author or the byline
/// (`rel="author"`, `itemprop="author"`, the class `byline` or `author`).
fn marked_as_author(dom: &Dom, id: NodeId) -> bool {
    dom.element(id).is_some_and(|e| {
        e.attr("rel").is_some_and(|r| r.contains("author"))
            || e.attr("itemprop").is_some_and(|p| p == "author")
            || e.attr("class").is_some_and(|c| {
                c.split_whitespace()
                    .any(|c| c.eq_ignore_ascii_case("byline") || c.eq_ignore_ascii_case("author"))
            })
    })
}

/// The elements marked as the author that follow byline element `id` as
/// parts of the same short box, a meta box naming two authors or more each
/// in an element of their own (`<span class="author">Ana Ruiz</span> <span
/// class="author">Tom Reyes</span>`), each perhaps in a plain wrapper
/// (`<div><a class="author-name">…</a></div>`): the box's later parts,
/// or the one element holding a part's words, a few plain wrappers deep.
fn fellow_bylines(dom: &Dom, id: NodeId) -> Vec<NodeId> {
    let mut part = id;
    for _ in 0..MAX_WRAPPER_DEPTH {
        match dom.parent(part) {
            Some(wrapper) if plain_wrapper_of(dom, wrapper, part) => part = wrapper,
            _ => break,
        }
    }
    let Some(parent) = dom.parent(part) else {
        return Vec::new();
    };
    if clean_text(&dom.text_of(parent)).chars().count() > MAX_META_BOX_CHARS as usize {
        return Vec::new();
    }
    dom.children(parent)
        .filter(|&child| child > part)
        .filter_map(|child| {
            let mut inner = child;
            for _ in 0..MAX_WRAPPER_DEPTH {
                if marked_as_author(dom, inner) {
                    return Some(inner);
                }
                inner = dom
                    .children(inner)
                    .find(|&c| plain_wrapper_of(dom, inner, c))?;
            }
            marked_as_author(dom, inner).then_some(inner)
        })
        .collect()
}

/// Whether `wrapper` is a plain element (no class, id or other mark of its
/// own) whose words are all its child element `inner`'s.
fn plain_wrapper_of(dom: &Dom, wrapper: NodeId, inner: NodeId) -> bool {
    dom.element(wrapper).is_some_and(|e| e.attrs.is_empty())
        && dom.element(inner).is_some()
        && clean_text(&dom.text_of(wrapper)) == clean_text(&dom.text_of(inner))
}

/// The authors the text of an element marked as the byline names: a
/// byline that splits into names whatever its length (`By Ana Ruiz in
/// Westport and Tom Reyes in Eastbay`: [`split_byline`]), else a text of
/// eight words at most as [`byline_authors`] reads it; none for an empty or
/// longer text (an author's biography).
fn marked_byline_authors(text: &str) -> Option<Vec<String>> {
    let words = text.split_whitespace().count();
    split_byline(text).or_else(|| (1..=8).contains(&words).then(|| byline_authors(text)))
}

/// The text of byline element `id`, where an element that follows
/// another with no text between them is a part of its own: the name and
/// the role in `<a>Lucy Ward</a><span class="role">Community
/// Reporter</span>` read `Lucy Ward, Community Reporter`, not one word. So
/// is what follows a person's name in an element of its own, or an element
/// after one, parted by white space only and opening with a capital
/// ([`parts_apart`]): `<a>Ingrid Holm</a> Transport correspondent`.
/// A label shown to screen readers only (`<span
/// class="screen-reader-text">Posted by</span>`) or hidden is no part.
fn byline_text(dom: &Dom, id: NodeId) -> String {
    let mut text = String::new();
    let mut after_element = false;
    for child in dom.children(id) {
        let element = dom.element(child);
        if element.is_some_and(|e| signals::screen_reader_only(e) || signals::hidden(e)) {
            continue;
        }
        let part = match element {
            Some(_) => byline_text(dom, child),
            None => dom.text(child).unwrap_or_default().to_string(),
        };
        let glued = after_element
            && element.is_some()
            && text.ends_with(|c: char| !c.is_whitespace())
            && part.starts_with(|c: char| !c.is_whitespace());
        if glued || ((after_element || element.is_some()) && parts_apart(&text, &part)) {
            text.truncate(text.trim_end().len());
            text.push_str(", ");
        }
        if dom.is(child, &local_name!("br")) {
            text.push('\n');
        }
        text.push_str(&part);
        if element.is_some() || !part.trim().is_empty() {
            after_element = element.is_some();
        }
    }
    text
}

/// Whether the next part of a byline, beside an element, is a part of its
/// own after the byline's text so far: white space parts them, the text
/// so far ends with a person's name (past its `By`: `By Ingrid Holm`) and
/// the next part opens with a capital (`Transport correspondent`, not `in
/// Westport` or `and Tom Reyes`).
fn parts_apart(text: &str, part: &str) -> bool {
    let spaced = text.ends_with(char::is_whitespace) || part.starts_with(char::is_whitespace);
    let line = text.trim_end().rsplit('\n').next().unwrap_or_default();
    spaced
        && part.trim_start().starts_with(char::is_uppercase)
        && name_parts(line)
            .last()
            .is_some_and(|last| person_name(&strip_by(last)))
}

/// The authors a page's byline names, split as a dump's are (`By Ana Ruiz
/// and Tom Reyes` names two, `By Ana Ruiz, Westport Herald` one, `By Ana
/// Ruiz, Tom Reyes` two, `Von Katrin Vogel und Jan Berg` two, with or
/// without its `By`); a byline that does not read as names is one author,
/// without its `By`.
pub fn byline_authors(text: &str) -> Vec<String> {
    split_byline(text).unwrap_or_else(|| vec![strip_by(text)])
}

/// The names a page's byline splits into as a dump's does, with or without
/// its `By` and the label before it ([`byline_names`]); none when it does
/// not read as names.
fn split_byline(text: &str) -> Option<Vec<String>> {
    byline_names(past_by_label(text.trim()))
        .or_else(|| byline_names(&format!("By {}", strip_by(text))))
}

/// The authors a name field names (`<meta name="author">`, a JSON-LD
/// author's `name`): a list of names (`Ana Ruiz, Tom Reyes`, `By Ana Ruiz
/// and Tom Reyes`) split, every part that reads as a person's name kept and a
/// role or an outlet dropped (`Ana Ruiz, Political Editor`, `Ana Ruiz,
/// Reuters`: `person_name`, the test a byline's affiliation meets); a
/// list with no such name is kept whole, and what is no list is one
/// author, without its `By`.
fn named_authors(text: &str) -> Vec<String> {
    let names = strip_by(text);
    let Some(parts) = name_list(&names) else {
        return vec![names];
    };
    let people: Vec<String> = parts.iter().filter(|p| person_name(p)).cloned().collect();
    if people.is_empty() { parts } else { people }
}

/// Words that may come before a byline's `by` (`Written by Ana Ruiz`).
pub(super) const BY_LABELS: [&str; 5] = ["written", "words", "story", "text", "reporting"];

/// A byline from its `by` on, past the label before it (`Written by Ana
/// Ruiz`, `Words By: Ana Ruiz` → `by Ana Ruiz`, `By: Ana Ruiz`): `text`
/// itself when it opens with no label followed by the word `by`.
pub(super) fn past_by_label(text: &str) -> &str {
    let Some((label, rest)) = text.split_once(char::is_whitespace) else {
        return text;
    };
    let rest = rest.trim_start();
    let by = rest
        .split_whitespace()
        .next()
        .is_some_and(|w| w.trim_end_matches(':').eq_ignore_ascii_case("by"));
    if by && BY_LABELS.contains(&label.to_lowercase().as_str()) {
        rest
    } else {
        text
    }
}

/// A byline without its `By` and the label before it (`Written by`).
pub(super) fn strip_by(text: &str) -> String {
    let trimmed = past_by_label(text.trim());
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
    /// Whether a node is an article.
    article: bool,
    /// Whether a node is a collection or search results page.
    collection: bool,
    /// `hasPart` selectors of an article's parts not free to read.
    subscriber_parts: Vec<String>,
    /// The article's `image`.
    image: Option<Declared>,
    /// Every node with an `@id`, by it.
    nodes: HashMap<String, Value>,
}

/// The JSON-LD types of a page that lists stories.
const LISTING_TYPES: &[&str] = &["CollectionPage", "SearchResultsPage"];

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
        let mut blocks = Vec::new();
        for (id, script) in dom.elements_named(&local_name!("script")) {
            let is_ld = script
                .attr("type")
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
            if !is_ld {
                continue;
            }
            let text = dom.text_of(id);
            let Some(json) = script_json(&text) else {
                continue;
            };
            let Ok(value) = serde_json::from_str::<Value>(json) else {
                continue;
            };
            blocks.push(value);
        }
        for value in &blocks {
            index_ids(value, 0, &mut found.nodes);
        }
        for value in &blocks {
            found.visit(value, 0);
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
                let is = |types: &[&str]| match object.get("@type") {
                    Some(Value::String(t)) => types.contains(&t.as_str()),
                    Some(Value::Array(ts)) => ts
                        .iter()
                        .any(|t| t.as_str().is_some_and(|t| types.contains(&t))),
                    _ => false,
                };
                self.collection |= is(LISTING_TYPES);
                if is(ARTICLE_TYPES) {
                    self.article = true;
                    self.take(object);
                } else if let Some(main) = object.get("mainEntity") {
                    self.visit(main, depth + 1);
                }
            }
            _ => {}
        }
    }

    fn take(&mut self, object: &serde_json::Map<String, Value>) {
        // CMSs write the JSON-LD strings as HTML (`Fish &amp; chips`).
        let text = |key: &str| {
            object
                .get(key)
                .and_then(Value::as_str)
                .map(html_to_text)
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
            // A CMS may list one person twice (with and without a `url`),
            // and write a byline or a name and its role as a name.
            let mut authors: Vec<String> = names(object.get("author"), &self.nodes)
                .iter()
                .flat_map(|name| named_authors(name))
                .collect();
            let mut seen = Vec::new();
            authors.retain(|a| {
                let key = fold(a);
                let new = !seen.contains(&key);
                seen.push(key);
                new
            });
            self.authors = authors;
        }
        if self.publisher.is_none() {
            self.publisher = names(object.get("publisher"), &self.nodes)
                .into_iter()
                .next();
        }
        if self.image.is_none() {
            self.image = object
                .get("image")
                .and_then(|image| declared_image(image, &self.nodes, 0));
        }
        let parts = match object.get("hasPart") {
            Some(Value::Array(parts)) => parts.iter().collect(),
            Some(part) => vec![part],
            None => Vec::new(),
        };
        for part in parts {
            let free = part
                .get("isAccessibleForFree")
                .is_none_or(|free| match free {
                    Value::Bool(free) => *free,
                    Value::String(free) => !free.trim().eq_ignore_ascii_case("false"),
                    _ => true,
                });
            if let (false, Some(selector)) = (free, part.get("cssSelector").and_then(Value::as_str))
            {
                self.subscriber_parts.push(selector.to_string());
            }
        }
    }
}

/// The JSON of a script's text, without what CMSs wrap inline scripts in
/// for old browsers and XHTML: an HTML comment (`<!-- … -->`), a CDATA
/// section bare or in script comments (`/* <![CDATA[ */ … /* ]]> */`,
/// `//<![CDATA[ … //]]>`) and a closing `;`. It runs from the first `{` or
/// `[` that opens no CDATA section to the last `}` or `]` that closes none;
/// none of those wrappers holds a brace.
fn script_json(text: &str) -> Option<&str> {
    const OPEN_CDATA: &str = "<![CDATA[";
    const CLOSE_CDATA: &str = "]]>";
    let mut start = 0;
    let begin = loop {
        let at = start + text[start..].find(['{', '['])?;
        if text[..at].ends_with("<!") && text[at - 2..].starts_with(OPEN_CDATA) {
            start = at - 2 + OPEN_CDATA.len();
        } else {
            break at;
        }
    };
    let mut end = text.len();
    let last = loop {
        let at = text[begin..end].rfind(['}', ']'])? + begin;
        let closes_cdata = text[at..].starts_with(CLOSE_CDATA)
            || (text[..at].ends_with(']') && text[at..].starts_with("]>"));
        if closes_cdata && at > begin {
            end = at;
            continue;
        }
        break at;
    };
    Some(&text[begin..=last])
}

/// Files each JSON-LD node that has an `@id` under it, so a reference
/// (`"author": {"@id": …}`, as WordPress's SEO plugins write a `@graph`)
/// finds the node it names.
fn index_ids(value: &Value, depth: usize, nodes: &mut HashMap<String, Value>) {
    if depth > 8 {
        return;
    }
    match value {
        Value::Array(items) => items.iter().for_each(|v| index_ids(v, depth + 1, nodes)),
        Value::Object(object) => {
            if let Some(id) = object.get("@id").and_then(Value::as_str)
                && object.len() > 1
            {
                nodes.entry(id.to_string()).or_insert_with(|| value.clone());
            }
            object.values().for_each(|v| index_ids(v, depth + 1, nodes));
        }
        _ => {}
    }
}

/// The image a JSON-LD `image` names: a URL, an `ImageObject` (its `url`
/// or `contentUrl`, with its `width` and `height`), a reference by `@id`
/// to one in `nodes`, or the first of a list of them that names one.
fn declared_image(value: &Value, nodes: &HashMap<String, Value>, depth: usize) -> Option<Declared> {
    if depth > 2 {
        return None;
    }
    // A size is a number, a string, or a `QuantitativeValue`'s `value`.
    let size = |value: Option<&Value>| {
        let value = match value {
            Some(Value::Object(o)) => o.get("value"),
            value => value,
        };
        match value {
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(Value::String(s)) => Some(s.clone()),
            _ => None,
        }
    };
    match value {
        Value::String(url) => Some(Declared {
            url: url.clone(),
            ..Declared::default()
        }),
        Value::Array(items) => items
            .iter()
            .find_map(|item| declared_image(item, nodes, depth + 1)),
        Value::Object(object) => {
            let url = ["url", "contentUrl"]
                .into_iter()
                .find_map(|key| object.get(key).and_then(Value::as_str));
            match url {
                Some(url) => Some(Declared {
                    url: url.to_string(),
                    alt: None,
                    width: size(object.get("width")),
                    height: size(object.get("height")),
                }),
                None => object
                    .get("@id")
                    .and_then(Value::as_str)
                    .and_then(|id| nodes.get(id))
                    .and_then(|node| declared_image(node, nodes, depth + 1)),
            }
        }
        _ => None,
    }
}

/// Names from a JSON-LD person or organization: a string, an object with a
/// `name` or a reference by `@id` to one in `nodes`, or a list of them,
/// character references decoded.
fn names(value: Option<&Value>, nodes: &HashMap<String, Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) if !s.starts_with("http") => vec![html_to_text(s)],
        Some(Value::Object(o)) => match o.get("name").and_then(Value::as_str) {
            Some(name) => vec![html_to_text(name)],
            None => o
                .get("@id")
                .and_then(Value::as_str)
                .and_then(|id| nodes.get(id))
                .filter(|node| node.get("name").is_some())
                .map(|node| names(Some(node), &HashMap::new()))
                .unwrap_or_default(),
        },
        Some(Value::Array(items)) => items.iter().flat_map(|v| names(Some(v), nodes)).collect(),
        _ => Vec::new(),
    }
    .into_iter()
    .filter(|n| !n.is_empty())
    .collect()
}

/// The headline: an `h1` that the page's metadata confirms, else the
/// JSON-LD headline, `og:title` or `<title>` without its site suffix, else
/// the first `h1`. A title or `h1` that is only the site's name (see
/// [`only_site_name`]) is no headline while the page has another; it is
/// the headline only when the page has nothing else. A candidate with no
/// visible character (soft hyphens, direction marks) is none.
fn headline(
    dom: &Dom,
    metas: &Metas,
    ld: &JsonLd,
    site_name: Option<&str>,
    base: Option<&Url>,
) -> Option<String> {
    let raw_title = page_title(dom);
    let host = base.and_then(Url::host_str);
    let all_headings: Vec<String> = dom
        .elements_named(&local_name!("h1"))
        .map(|(id, _)| heading_text(dom, id))
        .filter(|t| has_visible(t) && t.len() < 400)
        .collect();
    // A masthead `h1` names the site where the page does not. The page's
    // other headings (h2 to h6), one of which the title may show beside
    // it, are read only for a page with a title and an `h1`.
    let masthead = raw_title
        .as_deref()
        .filter(|_| !all_headings.is_empty())
        .and_then(|title| {
            let lower_headings: Vec<String> = (0..dom.len() as NodeId)
                .filter(|&id| {
                    dom.name(id)
                        .is_some_and(|n| is_heading(n) && *n != local_name!("h1"))
                })
                .map(|id| clean_text(&dom.text_of(id)))
                .filter(|t| !t.is_empty() && t.len() < 400)
                .collect();
            all_headings
                .iter()
                .find(|h| masthead_beside(title, h, &lower_headings))
        });
    let site_name = site_name.or(masthead.map(String::as_str));
    let named = |t: &str| only_site_name(t, site_name, host);
    let ld_headline = ld
        .headline
        .as_deref()
        .filter(|h| has_visible(h) && !named(h));
    let meta_titles: Vec<&str> = ["og:title", "twitter:title"]
        .into_iter()
        .filter_map(|name| metas.first(&[name]))
        .filter(|t| has_visible(t) && !named(t))
        .collect();
    let shown_site = raw_title.as_deref().and_then(|title| {
        ld_headline
            .iter()
            .chain(&meta_titles)
            .find_map(|h| site_beside(title, h))
    });
    let names_site = |t: &str| {
        named(t)
            || shown_site
                .as_deref()
                .is_some_and(|s| only_site_name(t, Some(s), None))
    };
    let headings: Vec<&String> = all_headings.iter().filter(|h| !names_site(h)).collect();
    // A title that a heading of the page repeats is the article's
    // headline, not the site's name; the headings are read only for a
    // title that would otherwise stand for the site.
    let repeats_a_heading = |t: &str| {
        let folded = fold(t);
        (0..dom.len() as NodeId)
            .filter(|&id| dom.name(id).is_some_and(is_heading))
            .any(|id| fold(&clean_text(&dom.text_of(id))) == folded)
    };
    let title_is_site = |t: &String| {
        let unsuffixed = strip_site(t, site_name, host);
        names_site(t)
            || matches!(headings.as_slice(),
                [only] if stands_for_site(&unsuffixed, only) && !repeats_a_heading(&unsuffixed))
    };
    let document_title = raw_title.clone().filter(|t| !title_is_site(t));
    let mut claimed: Vec<String> = Vec::new();
    if let Some(h) = ld_headline {
        claimed.push(h.to_string());
    }
    for t in meta_titles.iter().copied().chain(document_title.as_deref()) {
        claimed.push(t.to_string());
        claimed.push(strip_site(t, site_name, host));
    }
    let folded: Vec<String> = claimed.iter().map(|c| fold(c)).collect();
    if let Some(h1) = headings.iter().find(|h| folded.contains(&fold(h))) {
        return Some(h1.to_string());
    }
    // An h1 that the document title starts with, or ends with.
    if let Some(title) = &document_title {
        let t = fold(title);
        if let Some(h1) = headings.iter().find(|h| {
            let f = fold(h);
            headline_sized(&f) && (t.starts_with(&f) || t.ends_with(&f))
        }) {
            return Some(h1.to_string());
        }
    }
    // The page's one `h1` that reads as a headline, outside its furniture,
    // is the headline it shows, whatever other wording its metadata gives
    // search engines and social cards.
    if let [only] = headings.as_slice()
        && shown_headline(only)
        && tells_the_claimed_story(
            only,
            &claimed
                .iter()
                .map(|c| strip_site(c, site_name, host))
                .collect::<Vec<_>>(),
        )
        && !claimed.iter().any(|c| repeats_a_heading(c))
        && dom
            .elements_named(&local_name!("h1"))
            .any(|(id, _)| heading_text(dom, id) == **only && !in_furniture(dom, id))
    {
        return Some(only.to_string());
    }
    let claimed = ld_headline
        .map(str::to_string)
        .or_else(|| meta_titles.first().map(|t| strip_site(t, site_name, host)))
        .or_else(|| document_title.map(|t| strip_site(&t, site_name, host)));
    // A shortened headline (for search engines, for the tab) gives way to
    // the h1 it shortens, beside a site's name or not.
    if let Some(short) = &claimed
        && let Some(h1) = headings
            .iter()
            .find(|h| title_parts(short).any(|part| shortens(part, h)))
    {
        return Some(h1.to_string());
    }
    claimed
        .or_else(|| headings.first().map(|h| h.to_string()))
        // Nothing but the site's name: better than no headline.
        .or_else(|| ld.headline.clone().filter(|h| has_visible(h)))
        .or_else(|| {
            metas
                .first(&["og:title", "twitter:title"])
                .filter(|t| has_visible(t))
                .map(str::to_string)
        })
        .or(raw_title)
        .or_else(|| all_headings.into_iter().next())
}

/// The text of heading `id`; for a heading that shows none, a headline set
/// as a picture (`<h1><img alt="…"></h1>`), the alt text of its pictures,
/// as readers and screen readers take it. A picture in a link (a site's
/// logo linking home) names no story.
fn heading_text(dom: &Dom, id: NodeId) -> String {
    let text = without_label(dom, id);
    if has_visible(&text) {
        return text;
    }
    let in_link = |img: NodeId| {
        dom.ancestors(img)
            .take_while(|&a| a != id)
            .any(|a| dom.is(a, &local_name!("a")))
    };
    let alts: Vec<&str> = dom
        .descendants(id)
        .filter(|&d| dom.is(d, &local_name!("img")) && !in_link(d))
        .filter_map(|d| dom.element(d)?.attr("alt"))
        .collect();
    clean_text(&alts.join(" "))
}

/// Whether an `h1` shares a word of four letters or more with one of the
/// headlines the page's metadata claims, without the site's name (none
/// claimed: it does), as a display headline does with its wording for
/// search engines, and a site's tagline or a section's name does not.
fn tells_the_claimed_story(h1: &str, claimed: &[String]) -> bool {
    let words = |text: &str| -> Vec<String> {
        fold(text)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 4)
            .map(str::to_string)
            .collect()
    };
    let shown = words(h1);
    claimed.is_empty()
        || claimed
            .iter()
            .any(|c| words(c).iter().any(|w| shown.contains(w)))
}

/// Whether an `h1` reads as a story's headline rather than a section's or
/// a site's name: four words or more, or, in a script written without
/// spaces between words, eight letters or more.
fn shown_headline(h1: &str) -> bool {
    let folded = fold(h1);
    folded.split_whitespace().count() >= 4
        || folded.chars().filter(|&c| unspaced_letter(c)).count() >= 8
}

/// The text of heading `id` without a label set before the headline in an
/// element of its own: one or two words in capitals (`<h1><span
/// class="live-label">LIVE</span> Storm Erin: …</h1>`, `BREAKING`), which
/// mark the story's kind and are no words of its headline.
pub(super) fn without_label(dom: &Dom, id: NodeId) -> String {
    let text = clean_text(&dom.text_of(id));
    let Some(first) = dom
        .children(id)
        .find(|&c| dom.element(c).is_some() || dom.text(c).is_some_and(has_visible))
    else {
        return text;
    };
    if dom.element(first).is_none() {
        return text;
    }
    let label = clean_text(&dom.text_of(first));
    // Only the words such labels are made of: a linked topic or an
    // acronym opening the headline (`<a>NASA</a> launches …`) is its own.
    const LABEL_WORDS: [&str; 12] = [
        "live",
        "breaking",
        "exclusive",
        "watch",
        "video",
        "updated",
        "update",
        "analysis",
        "opinion",
        "developing",
        "news",
        "updates",
    ];
    let capitals = label.chars().filter(|c| c.is_alphabetic()).count() >= 3
        && !label.chars().any(char::is_lowercase)
        && label
            .split_whitespace()
            .all(|w| LABEL_WORDS.contains(&fold(w).as_str()));
    match text.strip_prefix(label.as_str()) {
        Some(rest)
            if capitals
                && label.split_whitespace().count() <= 2
                && rest.starts_with(|c: char| c.is_whitespace() || ":|-–—".contains(c))
                && rest.chars().any(char::is_lowercase) =>
        {
            clean_text(rest.trim_start_matches(|c: char| c.is_whitespace() || ":|-–—".contains(c)))
        }
        _ => text,
    }
}

/// Whether a folded `h1` is long enough to be a headline a title starts or
/// ends with: two words or more, or, in a script written without spaces
/// between words (Chinese, Japanese, Thai), four letters or more.
fn headline_sized(folded: &str) -> bool {
    folded.split_whitespace().count() >= 2
        || folded.chars().filter(|&c| unspaced_letter(c)).count() >= 4
}

/// Whether `c` is a letter of a script written without spaces between
/// words (Chinese, Japanese, Thai).
fn unspaced_letter(c: char) -> bool {
    c.is_alphanumeric() && (c as u32 >= 0x2E80 || ('\u{0E00}'..='\u{0EFF}').contains(&c))
}

/// Whether `text` is only the site's name: the name the page gives
/// (`og:site_name`, `application-name`, the JSON-LD publisher), with or
/// without a leading "The", or its URL's host (`Daily Record` at
/// `www.dailyrecord.example`), letter case, spaces and punctuation aside.
pub(super) fn only_site_name(text: &str, site_name: Option<&str>, host: Option<&str>) -> bool {
    let squashed = |t: &str| -> String {
        let f = fold(t);
        let f = f.strip_prefix("the ").unwrap_or(&f);
        f.chars().filter(|c| c.is_alphanumeric()).collect()
    };
    let text = squashed(text);
    if text.is_empty() {
        return false;
    }
    site_name.is_some_and(|s| squashed(s) == text)
        || host.is_some_and(|h| {
            let h = h.trim_start_matches("www.");
            h.split('.')
                .next()
                .is_some_and(|w| w.to_lowercase() == text)
        })
}

/// Whether `h1` is the site's name in a masthead: the `<title>` shows it
/// beside a longer heading of the page (`Mooring Fees Rise | Westport
/// Herald` with the `h1` `Westport Herald` and the `h2` `Mooring Fees
/// Rise`), the headline the page gives a lower heading.
fn masthead_beside(title: &str, h1: &str, lower_headings: &[String]) -> bool {
    let words = |t: &str| fold(t).split_whitespace().count();
    let h1_folded = fold(h1);
    lower_headings.iter().any(|heading| {
        words(heading) > words(h1) && site_beside(title, heading).is_some_and(|s| s == h1_folded)
    })
}

/// The site's name as a `<title>` shows it beside the headline the page's
/// metadata gives: `Harbour Notes` in `Harbour Notes: Ferries Stop` when
/// the headline is `Ferries Stop`. Folded; `None` unless a separator
/// stands between the two.
fn site_beside(title: &str, headline: &str) -> Option<String> {
    let (title, headline) = (fold(title), fold(headline));
    if headline.is_empty() {
        return None;
    }
    let rest = title
        .strip_prefix(&headline)
        .or_else(|| title.strip_suffix(&headline))?;
    let separator = |c: char| c.is_whitespace() || "|｜-:·•»/_~".contains(c);
    let site = rest.trim_matches(separator);
    let separated = rest
        .replacen(site, "", 1)
        .chars()
        .any(|c| !c.is_whitespace());
    (separated && site.chars().any(char::is_alphanumeric)).then(|| site.to_string())
}

/// A title and, when a separator splits it, each side of the first one:
/// `Ferry strike | Westport Herald` gives `Ferry strike` too.
fn title_parts(title: &str) -> impl Iterator<Item = &str> {
    let split = TITLE_SEPARATORS
        .iter()
        .find_map(|sep| title.split_once(sep))
        .map(|(head, tail)| [head, tail]);
    std::iter::once(title).chain(split.into_iter().flatten())
}

/// Whether `short` is a shortened form of `long`: fewer words, which
/// start `long` or (two or more of them) all appear in it, letter case and
/// punctuation aside. `Ferry strike` shortens `Ferry Strike Halts Crossings`
/// and `Storm Arwen` shortens `Thousands Without Power After Storm Arwen`.
fn shortens(short: &str, long: &str) -> bool {
    let words = |t: &str| -> Vec<String> {
        fold(t)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let (short, long) = (words(short), words(long));
    if short.is_empty() || short.len() >= long.len() {
        return false;
    }
    long.starts_with(&short) || (short.len() >= 2 && short.iter().all(|w| long.contains(w)))
}

/// Whether a `<title>` (its site suffix off) reads as the site's name
/// beside the page's only `h1`, even where nothing names the site: a title
/// of at most three words, an `h1` of four or more, and neither holding
/// the other. A headline that short comes with an `h1` that says the same
/// or more.
fn stands_for_site(title: &str, h1: &str) -> bool {
    let (t, h) = (fold(title), fold(h1));
    t.split_whitespace().count() <= 3
        && h.split_whitespace().count() >= 4
        && !t.contains(&h)
        && !h.contains(&t)
}

/// What stands between a headline and a site's name in a title.
const TITLE_SEPARATORS: &[&str] = &[
    " | ", " - ", " – ", " — ", " :: ", " · ", " • ", " » ", " / ", " : ", "｜",
];

/// `Storm Hits Coast | Daily Record` -> `Storm Hits Coast`: the part of a
/// title that names the site (given, or short beside the rest) is dropped,
/// at its end or its start.
pub fn strip_site(title: &str, site_name: Option<&str>, host: Option<&str>) -> String {
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
    for sep in TITLE_SEPARATORS {
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
    if let Some(head) = site_name.and_then(|site| joined_site(&title, site)) {
        return strip_site(head, site_name, host);
    }
    match site_name.and_then(|site| site_joined_before(&title, site)) {
        Some(tail) => tail.to_string(),
        None => title,
    }
}

/// Whether `separator`, what stands between a headline and a site's name
/// joined to it without spaces, joins them: it holds more than white
/// space, and is no lone hyphen unless between letters of a script written
/// without spaces (in `Mid-Westport` it joins the words of a name).
fn joins_site(separator: &str, before: Option<char>, after: Option<char>) -> bool {
    let unspaced = |c: Option<char>| c.is_some_and(unspaced_letter);
    let lone_hyphen = separator == "-" && !(unspaced(before) && unspaced(after));
    separator.chars().any(|c| !c.is_whitespace()) && !lone_hyphen
}

/// What stands between a headline and a site's name joined to it.
fn joining(c: char) -> bool {
    c.is_whitespace() || "_|｜-–—~".contains(c)
}

/// The headline of a title that ends with the site's name joined to it
/// without spaces (`城市更新行动_新华网`, `城市更新行动——新华网`,
/// `Renewal Drive_Xinhua`), as the page names its site: the separators
/// between them (`_`, `|`, dashes) off. A lone hyphen joins a site's name
/// only between letters of a script written without spaces: in
/// `Mid-Westport` it joins the words of a name.
fn joined_site<'t>(title: &'t str, site: &str) -> Option<&'t str> {
    let site = clean_text(site);
    let length = site.chars().count();
    let at = title.char_indices().rev().nth(length.checked_sub(1)?)?.0;
    if fold(&title[at..]) != fold(&site) {
        return None;
    }
    let joined = &title[..at];
    let head = joined.trim_end_matches(joining);
    let separator = &joined[head.len()..];
    (joins_site(separator, head.chars().next_back(), site.chars().next())
        && head.chars().any(char::is_alphanumeric))
    .then_some(head)
}

/// The headline of a title that starts with the site's name joined to it
/// without spaces (`新华网_城市更新行动`, `Xinhua_Renewal Drive`), as
/// [`joined_site`] reads one that ends with it.
fn site_joined_before<'t>(title: &'t str, site: &str) -> Option<&'t str> {
    let site = clean_text(site);
    let length = site.chars().count();
    let at = title
        .char_indices()
        .nth(length)
        .map_or(title.len(), |(at, _)| at);
    if length == 0 || fold(&title[..at]) != fold(&site) {
        return None;
    }
    let joined = &title[at..];
    let tail = joined.trim_start_matches(joining);
    let separator = &joined[..joined.len() - tail.len()];
    (joins_site(separator, site.chars().next_back(), tail.chars().next())
        && tail.chars().any(char::is_alphanumeric))
    .then_some(tail)
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
    fn a_site_name_joined_without_spaces_comes_off_when_the_page_names_it() {
        let headline = "国务院常务会议部署推动城市更新行动";
        for sep in ["_", "-", "——", "—", "｜", "|"] {
            let title = format!("{headline}{sep}新华网");
            assert_eq!(
                strip_site(&title, Some("新华网"), None),
                headline,
                "{title}"
            );
            // Unnamed, the site is not guessed.
            assert_eq!(strip_site(&title, None, None), title);
        }
        assert_eq!(
            strip_site(
                "China Steps Up Urban Renewal Drive_Xinhua",
                Some("Xinhua"),
                None
            ),
            "China Steps Up Urban Renewal Drive"
        );
        // A hyphen inside a word of a spaced script joins no site name.
        let title = "Ferries Return to Mid-Westport";
        assert_eq!(strip_site(title, Some("Westport"), None), title);
        // Nothing but the site's name is no suffix.
        assert_eq!(strip_site("_新华网", Some("新华网"), None), "_新华网");
    }

    #[test]
    fn a_site_name_joined_without_spaces_before_the_headline_comes_off_when_the_page_names_it() {
        let headline = "国务院常务会议部署推动城市更新行动";
        for sep in ["_", "-", "——", "—", "｜", "|"] {
            let title = format!("新华网{sep}{headline}");
            assert_eq!(
                strip_site(&title, Some("新华网"), None),
                headline,
                "{title}"
            );
            // Unnamed, the site is not guessed.
            assert_eq!(strip_site(&title, None, None), title);
        }
        assert_eq!(
            strip_site(
                "Xinhua_China Steps Up Urban Renewal Drive",
                Some("Xinhua"),
                None
            ),
            "China Steps Up Urban Renewal Drive"
        );
        // A hyphen inside a word of a spaced script joins no site name.
        let title = "Westport-Born Sailor Wins Race";
        assert_eq!(strip_site(title, Some("Westport"), None), title);
        // A headline that only starts with the site's name keeps it.
        let title = "Westport Harbour Reopens";
        assert_eq!(strip_site(title, Some("Westport"), None), title);
        // Nothing but the site's name is no prefix.
        assert_eq!(strip_site("新华网_", Some("新华网"), None), "新华网_");
    }

    #[test]
    fn a_site_name_before_the_headline_is_no_part_of_it() {
        let headline = "国务院常务会议部署推动城市更新行动";
        let named = meta(&format!(
            r#"<title>新华网_{headline}</title><meta property="og:site_name" content="新华网">"#
        ));
        assert_eq!(named.title.as_deref(), Some(headline));
        // The h1 shows which part is the headline.
        let shown =
            meta("<title>Westport Herald | Ferries Stop</title><body><h1>Ferries Stop</h1></body>");
        assert_eq!(shown.title.as_deref(), Some("Ferries Stop"));
    }

    #[test]
    fn a_suffix_comes_off_when_it_names_the_site_or_is_short_after_a_headline() {
        let title = "Bridge Opens | Daily Record";
        // A two-word headline: the suffix is kept unless the page names its site.
        assert_eq!(strip_site(title, None, None), title);
        assert_eq!(
            strip_site(title, Some("Daily Record"), None),
            "Bridge Opens"
        );
        assert_eq!(
            strip_site(title, None, Some("www.dailyrecord.example")),
            "Bridge Opens"
        );
        // Behind ` - ` or ` : `, only a suffix that names the site.
        let dashed = "Storm Hits the Coast - Daily Record";
        assert_eq!(strip_site(dashed, None, None), dashed);
        assert_eq!(
            strip_site(
                "Storm Hits the Coast | Daily Record Online Edition Today",
                None,
                None
            ),
            "Storm Hits the Coast | Daily Record Online Edition Today",
            "five words are no short suffix"
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
    fn a_title_with_nothing_visible_gives_way_to_the_next_candidate() {
        for invisible in ["\u{AD}\u{200E}", "\u{3164}", "\u{200B}\u{34F}"] {
            let m = meta(&format!(
                "<title>{invisible}</title><meta property=\"og:title\" content=\"{invisible}\">\
                 <h1>{invisible}</h1><h1>Ferries Stop</h1>"
            ));
            assert_eq!(m.title.as_deref(), Some("Ferries Stop"), "{invisible:?}");
        }
    }

    const CAFE: &str = "Cafe Owners Do Not Agree With the Council";

    #[test]
    fn a_title_that_only_names_the_site_gives_way_to_the_h1() {
        for names_site in [
            r#"<meta property="og:site_name" content="Daily Record">"#,
            r#"<meta name="application-name" content="Daily Record">"#,
            r#"<script type="application/ld+json">{"@type":"NewsArticle",
            "publisher":{"@type":"Organization","name":"The Daily Record"}}</script>"#,
            "",
        ] {
            let m = meta(&format!(
                "<title>Daily Record</title>{names_site}<article><h1>{CAFE}</h1></article>"
            ));
            assert_eq!(m.title.as_deref(), Some(CAFE), "{names_site}");
        }
        // The URL's host names the site too.
        let html = "<title>Harbour Post</title><h1>Ferries Stop</h1>";
        let at = |url: &str| read(&Dom::parse(html), Url::parse(url).ok().as_ref()).title;
        assert_eq!(
            at("https://www.harbourpost.example/a/1").as_deref(),
            Some("Ferries Stop")
        );
        assert_eq!(
            at("https://news.example/a/1").as_deref(),
            Some("Harbour Post")
        );
    }

    #[test]
    fn metadata_that_only_names_the_site_confirms_no_h1() {
        // A logo in an h1 and an og:title that is the site's name too: the
        // JSON-LD headline is the article's.
        let m = meta(&format!(
            r#"<title>Daily Record</title>
            <meta property="og:site_name" content="Daily Record">
            <meta property="og:title" content="Daily Record">
            <script type="application/ld+json">{{"@type":"NewsArticle","headline":"{CAFE}"}}</script>
            <h1 class="logo">Daily Record</h1><article><p>Text.</p></article>"#
        ));
        assert_eq!(m.title.as_deref(), Some(CAFE));
        let m = meta(&format!(
            r#"<title>Daily Record</title><meta property="og:title" content="{CAFE}">
            <meta property="og:site_name" content="Daily Record">
            <h1 class="logo">Daily Record</h1>"#
        ));
        assert_eq!(m.title.as_deref(), Some(CAFE));
    }

    #[test]
    fn an_h1_that_the_title_shows_beside_the_headline_is_the_sites_name() {
        for title in [
            "Harbour Notes: Ferries Stop for the Night",
            "Ferries Stop for the Night | Harbour Notes",
        ] {
            let m = meta(&format!(
                r#"<title>{title}</title><meta property="og:title" content="Ferries Stop for the Night">
                <h1 class="blog-title">Harbour Notes</h1><h3>Ferries Stop for the Night</h3>"#
            ));
            assert_eq!(
                m.title.as_deref(),
                Some("Ferries Stop for the Night"),
                "{title}"
            );
        }
        assert_eq!(
            site_beside("Harbour Notes: Ferries Stop", "Ferries Stop").as_deref(),
            Some("harbour notes")
        );
        assert_eq!(
            site_beside("Harbour Notes Ferries Stop", "Ferries Stop"),
            None,
            "no separator"
        );
        assert_eq!(site_beside("Ferries Stop", "Ferries Stop"), None);
    }

    #[test]
    fn a_masthead_h1_the_title_shows_beside_the_story_heading_is_the_sites_name() {
        for title in [
            "Mooring fees to rise by 12 per cent from April | Westport Herald",
            "Mooring fees to rise by 12 per cent from April - Westport Herald",
        ] {
            let m = meta(&format!(
                r#"<title>{title}</title>
                <header><h1 class="logo"><a href="/">Westport Herald</a></h1></header>
                <article><h2>Mooring fees to rise by 12 per cent from April</h2>
                <p>The harbour board voted on Tuesday to raise mooring fees.</p></article>"#
            ));
            assert_eq!(
                m.title.as_deref(),
                Some("Mooring fees to rise by 12 per cent from April"),
                "{title}"
            );
        }
        // A short section heading beside the story's h1 leaves the h1 alone.
        let m = meta(
            r#"<title>Harbour reopens after storm | News</title>
            <h1>Harbour reopens after storm</h1><h2>News</h2>"#,
        );
        assert_eq!(m.title.as_deref(), Some("Harbour reopens after storm"));
    }

    #[test]
    fn a_short_title_stays_unless_it_only_names_the_site() {
        // The only headline the page has is the site's name: it is kept.
        let m = meta(
            r#"<title>Daily Record</title><meta property="og:site_name" content="Daily Record">"#,
        );
        assert_eq!(m.title.as_deref(), Some("Daily Record"));
        // A short title beside a one-word h1, or an h1 that does not hold
        // its words, or one of several h1s, is the headline.
        for h1s in [
            "<h1>Weather</h1>",
            "<h1>Bridge Work Ends</h1>",
            "<h1>Most read stories of the week</h1><h1>Ferries stop for the night</h1>",
        ] {
            let m = meta(&format!("<title>Bridge Opens</title>{h1s}"));
            assert_eq!(m.title.as_deref(), Some("Bridge Opens"), "{h1s}");
        }
    }

    #[test]
    fn a_title_that_shortens_the_h1_gives_way_to_it() {
        for (title, h1) in [
            (
                "Ferry strike | Westport Herald",
                "Ferry Strike Halts Crossings to Westport Islands",
            ),
            ("Bridge Opens", "Bridge Opens After Ten Years of Work"),
            (
                "Budget 2026 - Calder Post",
                "Budget 2026: Council Approves Library Cuts",
            ),
            ("Storm Arwen", "Thousands Without Power After Storm Arwen"),
        ] {
            for names_site in [
                "",
                r#"<meta property="og:site_name" content="Westport Herald">"#,
            ] {
                let m = meta(&format!(
                    "<title>{title}</title>{names_site}<header><h1>{h1}</h1></header>"
                ));
                assert_eq!(m.title.as_deref(), Some(h1), "{title}{names_site}");
            }
        }
        assert!(!shortens("Bridge Opens", "Bridge Opens"));
        assert!(!shortens("Bridge Opens", "Opens"));
    }

    #[test]
    fn a_short_title_beside_a_site_suffix_gives_way_to_the_only_long_h1() {
        let h1 = "Council approves harbour expansion after long dispute";
        for title in ["Harbour vote | Westport Herald", "Harbour vote"] {
            let m = meta(&format!(
                r#"<title>{title}</title><meta property="og:site_name" content="Westport Herald"><h1>{h1}</h1>"#
            ));
            assert_eq!(m.title.as_deref(), Some(h1), "{title}");
        }
        // A suffix that names no site stays on the title, which gives way
        // to the page's one h1 all the same.
        let title = "Harbour vote | Westport Herald";
        assert_eq!(strip_site(title, None, None), title);
        let m = meta(&format!("<title>{title}</title><h1>{h1}</h1>"));
        assert_eq!(m.title.as_deref(), Some(h1));
    }

    #[test]
    fn a_short_title_that_is_a_heading_of_the_page_is_its_headline() {
        // The only h1 is the masthead; the story's headline is an h2 that
        // the title, its suffix off, repeats.
        for title in ["Ferry fares rise | SMH", "Ferry fares rise"] {
            let m = meta(&format!(
                r#"<title>{title}</title><header><h1 class="site-title"><a href="/">The Sydney Morning Herald</a></h1></header>
                <main><article><h2 class="entry-title">Ferry fares rise</h2><p>Fares will rise.</p></article></main>"#
            ));
            assert_eq!(m.title.as_deref(), Some("Ferry fares rise"), "{title}");
        }
    }

    #[test]
    fn page_bylines_are_split_as_dump_bylines_are() {
        for (byline, authors) in [
            (
                r#"<div class="byline">By <a href="/a/ana">Ana Ruiz</a> and <a href="/a/tom">Tom Reyes</a></div>"#,
                &["Ana Ruiz", "Tom Reyes"][..],
            ),
            (
                r#"<p class="byline">By Ana Ruiz, Westport Herald</p>"#,
                &["Ana Ruiz"],
            ),
            (
                r#"<span class="author">Ana Ruiz &amp; Tom Reyes</span>"#,
                &["Ana Ruiz", "Tom Reyes"],
            ),
            (
                r#"<meta name="author" content="Ana Ruiz and Tom Reyes">"#,
                &["Ana Ruiz", "Tom Reyes"],
            ),
            // What does not read as names is one author, as written.
            (r#"<p class="byline">By Reuters</p>"#, &["Reuters"]),
            (
                r#"<meta name="author" content="Ruiz, Ana">"#,
                &["Ruiz, Ana"],
            ),
            // No name of a list is taken for an affiliation.
            (
                r#"<meta name="author" content="Ana Ruiz, Tom Reyes">"#,
                &["Ana Ruiz", "Tom Reyes"],
            ),
            (
                r#"<meta name="author" content="Ana Ruiz, Tom Reyes, Lena Berg">"#,
                &["Ana Ruiz", "Tom Reyes", "Lena Berg"],
            ),
            (
                r#"<p class="byline">By Ana Ruiz, Tom Reyes</p>"#,
                &["Ana Ruiz", "Tom Reyes"],
            ),
            (
                r#"<p class="byline">By Ana Ruiz, The Westport Herald</p>"#,
                &["Ana Ruiz"],
            ),
            // A role or an outlet in a meta author's list is no author.
            (
                r#"<meta name="author" content="Ana Ruiz, Political Editor">"#,
                &["Ana Ruiz"],
            ),
            (
                r#"<meta name="author" content="Ana Ruiz, Reuters">"#,
                &["Ana Ruiz"],
            ),
            (
                r#"<meta name="author" content="Ana Ruiz, Tom Reyes, Westport Herald">"#,
                &["Ana Ruiz", "Tom Reyes"],
            ),
            (
                r#"<meta name="author" content="Staff Reporter">"#,
                &["Staff Reporter"],
            ),
            // A name and its role in elements of their own are two parts,
            // not one word; the role is no author.
            (
                r#"<div class="author"><a href="/authors/lucy-ward/">Lucy Ward</a><span class="role">Community Reporter</span></div>"#,
                &["Lucy Ward"],
            ),
            (
                r#"<div class="byline"><span class="name">Lucy Ward</span><span class="title">Chief Reporter</span></div>"#,
                &["Lucy Ward"],
            ),
            // Inline markup inside a name joins no parts.
            (
                r#"<p class="byline">By <a href="/a/ana"><b>Ana</b> Ruiz</a></p>"#,
                &["Ana Ruiz"],
            ),
        ] {
            assert_eq!(meta(byline).authors, authors, "{byline}");
        }
    }

    #[test]
    fn each_author_of_a_byline_is_named_without_their_role_place_or_outlet() {
        for (byline, authors) in [
            (
                "By Ana Ruiz, Political Editor, in Westport",
                &["Ana Ruiz"][..],
            ),
            ("By Ana Ruiz, Political Editor, Westport", &["Ana Ruiz"]),
            ("Ana Ruiz, Political Editor, in Westport", &["Ana Ruiz"]),
            ("By Ana Ruiz, Health and Social Care Editor", &["Ana Ruiz"]),
            (
                "By Ana Ruiz, Westport Herald, and Tom Reyes, Reuters",
                &["Ana Ruiz", "Tom Reyes"],
            ),
            (
                "By Ana Ruiz in Westport and Tom Reyes in Eastbay",
                &["Ana Ruiz", "Tom Reyes"],
            ),
            (
                "By Ana Ruiz, Political Editor, and Tom Reyes",
                &["Ana Ruiz", "Tom Reyes"],
            ),
            (
                "By Ana Ruiz, Political Editor, Tom Reyes, Chief Reporter, and Lena Berg",
                &["Ana Ruiz", "Tom Reyes", "Lena Berg"],
            ),
        ] {
            let html = format!(r#"<div class="byline">{byline}</div>"#);
            assert_eq!(meta(&html).authors, authors, "{byline}");
        }
    }

    #[test]
    fn a_role_parted_from_the_name_by_white_space_is_no_part_of_it() {
        for (byline, authors) in [
            (
                "<div class=\"byline\"><a href=\"/p/lw\">Lucy Ward</a>\n<span class=\"role\">Community Reporter</span></div>",
                &["Lucy Ward"][..],
            ),
            (
                r#"<div class="byline"><span class="author-name">Lucy Ward</span> <span class="author-role">Community Reporter</span></div>"#,
                &["Lucy Ward"],
            ),
            (
                r#"<address class="byline"><a rel="author" href="/p/ih">Ingrid Holm</a> Transport correspondent</address>"#,
                &["Ingrid Holm"],
            ),
            (
                r#"<p class="byline">By Ana Ruiz <span class="role">Political Editor</span></p>"#,
                &["Ana Ruiz"],
            ),
            (
                "<div class=\"byline\">Lucy Ward<br>\nCommunity Reporter</div>",
                &["Lucy Ward"],
            ),
            // Two names, each in its own element, are two authors.
            (
                r#"<div class="byline"><a href="/a/ana">Ana Ruiz</a> <a href="/a/tom">Tom Reyes</a></div>"#,
                &["Ana Ruiz", "Tom Reyes"],
            ),
            // A label, a name in parts, or a place parts nothing.
            (
                r#"<div class="byline"><span class="label">By</span> <a href="/a/ana">Ana Ruiz</a></div>"#,
                &["Ana Ruiz"],
            ),
            (
                r#"<div class="byline"><span class="given">Ana</span> <span class="family">Ruiz</span></div>"#,
                &["Ana Ruiz"],
            ),
            (
                r#"<div class="byline">By <a href="/a/ana">Ana Ruiz</a> in Westport</div>"#,
                &["Ana Ruiz"],
            ),
        ] {
            assert_eq!(meta(byline).authors, authors, "{byline}");
        }
    }

    #[test]
    fn json_ld_author_names_are_split_as_a_meta_author_is() {
        let ld = |author: &str| {
            meta(&format!(
                r#"<script type="application/ld+json">{{"@type":"NewsArticle","headline":"Bridge Opens",
                "author":{author}}}</script>"#
            ))
            .authors
        };
        for (author, authors) in [
            (
                r#"{"@type":"Person","name":"By Ana Ruiz and Tom Reyes"}"#,
                &["Ana Ruiz", "Tom Reyes"][..],
            ),
            (
                r#"[{"@type":"Person","name":"Ana Ruiz, Political Editor"}]"#,
                &["Ana Ruiz"],
            ),
            (r#""Written by Ana Ruiz""#, &["Ana Ruiz"]),
            (
                r#"[{"@type":"Person","name":"Ana Ruiz, Reuters"},{"@type":"Person","name":"Tom Reyes"}]"#,
                &["Ana Ruiz", "Tom Reyes"],
            ),
            // Split, a name given twice is one author.
            (
                r#"[{"@type":"Person","name":"Ana Ruiz and Tom Reyes"},{"@type":"Person","name":"Tom Reyes"}]"#,
                &["Ana Ruiz", "Tom Reyes"],
            ),
            // What does not read as names is one author, as written.
            (r#"{"@type":"Person","name":"Ruiz, Ana"}"#, &["Ruiz, Ana"]),
            (r#"{"@type":"Organization","name":"Reuters"}"#, &["Reuters"]),
            (r#""Staff Reporter""#, &["Staff Reporter"]),
        ] {
            assert_eq!(ld(author), authors, "{author}");
        }
    }

    #[test]
    fn character_references_in_json_ld_strings_are_decoded() {
        let m = meta(
            r#"<script type="application/ld+json">{"@type":"NewsArticle",
            "headline":"Caf&eacute; owner&#8217;s fish &amp; chips win award",
            "author":{"@type":"Person","name":"Ana Ru&iacute;z"}}</script>"#,
        );
        assert_eq!(
            m.title.as_deref(),
            Some("Caf\u{e9} owner\u{2019}s fish & chips win award")
        );
        assert_eq!(m.authors, ["Ana Ru\u{ed}z"]);
    }

    #[test]
    fn a_bylines_label_is_no_part_of_the_name() {
        for label in ["Written by", "Words by", "Reporting by", "WRITTEN BY"] {
            let m = meta(&format!(
                r#"<div class="author">{label} <a href="/author/ana-ruiz">Ana Ruiz</a></div>"#
            ));
            assert_eq!(m.authors, ["Ana Ruiz"], "{label}");
        }
        assert_eq!(byline_authors("Story Tellers"), ["Story Tellers"]);
    }

    #[test]
    fn a_bylines_label_is_passed_only_before_its_by() {
        for (text, past) in [
            ("Written by Ana Ruiz", "by Ana Ruiz"),
            ("WORDS  BY Ana Ruiz", "BY Ana Ruiz"),
            ("Reporting By: Ana Ruiz", "By: Ana Ruiz"),
            ("Written by", "by"),
            ("By Ana Ruiz", "By Ana Ruiz"),
            ("Story Tellers", "Story Tellers"),
            ("Written Byrne Ana", "Written Byrne Ana"),
            ("Headline by Ana Ruiz", "Headline by Ana Ruiz"),
            ("Written", "Written"),
        ] {
            assert_eq!(past_by_label(text), past, "{text}");
        }
    }

    #[test]
    fn an_author_listed_twice_is_one_author() {
        let m = meta(
            r#"<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry strike",
            "author":[{"@type":"Person","name":"Ana Ruiz","url":"https://news.example/ana"},
            {"@type":"Person","name":"Ana Ruiz"},{"@type":"Person","name":"Tom Reyes"}]}</script>"#,
        );
        assert_eq!(m.authors, ["Ana Ruiz", "Tom Reyes"]);
    }

    #[test]
    fn authors_and_publisher_given_by_reference_are_found() {
        // The `@graph` of WordPress's SEO plugins: the article names its
        // author and publisher by `@id`, and the nodes stand beside it.
        let m = meta(
            r##"<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
            {"@type":"NewsArticle","@id":"https://herald.example/bridge/#article","headline":"Bridge Opens",
             "author":[{"@id":"https://herald.example/#/schema/person/a1"},{"@id":"https://herald.example/#/schema/person/b2"}],
             "publisher":{"@id":"https://herald.example/#organization"}},
            {"@type":"Organization","@id":"https://herald.example/#organization","name":"Westport Herald"},
            {"@type":"Person","@id":"https://herald.example/#/schema/person/a1","name":"Ana Ruiz"},
            {"@type":"Person","@id":"https://herald.example/#/schema/person/b2","name":"Ben Cole"}
            ]}</script>"##,
        );
        assert_eq!(m.authors, ["Ana Ruiz", "Ben Cole"]);
        assert_eq!(m.site_name.as_deref(), Some("Westport Herald"));
        // A reference to nothing on the page names no one.
        let m = meta(
            r#"<script type="application/ld+json">{"@type":"NewsArticle","headline":"Bridge Opens",
            "author":{"@id":"https://herald.example/#/schema/person/gone"}}</script>"#,
        );
        assert!(m.authors.is_empty(), "{:?}", m.authors);
    }

    #[test]
    fn json_ld_with_a_number_no_float_holds_is_read() {
        let m = meta(
            r#"<script type="application/ld+json">{"@type":"NewsArticle","headline":"Bridge Opens",
            "wordCount":1e400,"image":{"@type":"ImageObject","width":123456789012345678901234567890},
            "author":{"@type":"Person","name":"Ana Ruiz"}}</script>"#,
        );
        assert_eq!(m.authors, ["Ana Ruiz"]);
    }

    #[test]
    fn json_ld_in_a_comment_or_cdata_wrapper_is_read() {
        let json = r#"{"@type":"NewsArticle","headline":"Bridge Opens",
            "datePublished":"2026-11-24T08:30:00+01:00","author":{"@type":"Person","name":"Ana Ruiz"}}"#;
        for (open, close) in [
            ("", ""),
            ("/* <![CDATA[ */", "/* ]]> */"),
            ("//<![CDATA[\n", "\n//]]>"),
            ("<![CDATA[", "]]>"),
            ("<!--", "-->"),
            ("<!--//--><![CDATA[//><!--\n", "\n//--><!]]>"),
            ("\n  ", ";\n"),
        ] {
            let m = meta(&format!(
                "<script type=\"application/ld+json\">{open}{json}{close}</script>"
            ));
            assert_eq!(m.authors, ["Ana Ruiz"], "{open}");
            assert_eq!(
                m.published.map(|d| d.to_rfc3339()),
                Some("2026-11-24T07:30:00+00:00".into()),
                "{open}"
            );
        }
        // A list of nodes in a wrapper too.
        let m = meta(&format!(
            "<script type=\"application/ld+json\">/* <![CDATA[ */[{json}]/* ]]> */</script>"
        ));
        assert_eq!(m.authors, ["Ana Ruiz"]);
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
        let m =
            meta(r#"<meta property="article:published_time" content="2020-01-02T10:00+02:00">"#);
        assert_eq!(
            m.published.map(|d| d.to_rfc3339()),
            Some("2020-01-02T08:00:00+00:00".into()),
            "minutes and an offset, no seconds"
        );
        let m = meta(r#"<p><time datetime="2021-03-04">March 4</time></p>"#);
        assert_eq!(
            m.published.map(|d| d.to_rfc3339()),
            Some("2021-03-04T00:00:00+00:00".into())
        );
    }

    #[test]
    fn a_headline_set_as_a_picture_is_its_alt_text() {
        let page = |h1: &str| {
            let html = format!(
                r#"<html><head><title>Highland News</title>
                <meta property="og:site_name" content="Highland News"></head>
                <body><article>{h1}<p>Winds of 90mph left 200,000 homes without electricity.</p>
                </article></body></html>"#
            );
            meta(&html).title
        };
        assert_eq!(
            page(r#"<h1><img src="/storm.png" alt="Storm Ciarán: thousands lose power"></h1>"#),
            Some("Storm Ciarán: thousands lose power".into())
        );
        assert_eq!(
            page(r#"<h1><a href="/"><img src="/logo.png" alt="Front page"></a></h1>"#),
            Some("Highland News".into()),
            "a logo linking home"
        );
    }

    #[test]
    fn a_day_written_as_midnight_in_the_sites_zone_is_read_as_that_day() {
        for day in [
            "2026-11-17T00:00:00+01:00",
            "2026-11-17T00:00:00.000-05:00",
            "2026-11-17T00:00:00+0900",
            "2026-11-17T00:00:00Z",
            "2026-11-17",
        ] {
            assert_eq!(
                parse_date(day).map(|d| d.to_rfc3339()),
                Some("2026-11-17T00:00:00+00:00".into()),
                "{day}"
            );
        }
        assert_eq!(
            parse_date("2026-11-17T00:30:00+01:00").map(|d| d.to_rfc3339()),
            Some("2026-11-16T23:30:00+00:00".into()),
            "a time past midnight is a moment"
        );
    }

    #[test]
    fn the_published_date_is_the_articles_time_not_a_tickers() {
        let ticker = r#"<header class="site-header"><div class="news-ticker">Latest: <a href="/a">Gales close the bridge</a>
            <time datetime="2025-05-01T07:00:00Z">07:00</time></div></header>
            <nav><time datetime="2025-05-02T07:00:00Z">Today</time></nav>"#;
        for (article, expected) in [
            (
                r#"<article><h1>Quay Reopens</h1><p>By Lena Berg <time datetime="2025-06-10T09:15:00Z">10 June</time></p></article>"#,
                "2025-06-10T09:15:00+00:00",
            ),
            (
                r#"<div class="story"><h1>Quay Reopens</h1><time class="entry-date published" datetime="2025-06-10T09:15:00Z">10 June</time></div>"#,
                "2025-06-10T09:15:00+00:00",
            ),
            (
                r#"<div class="story"><h1>Quay Reopens</h1><span><time datetime="2025-06-11T08:00:00Z">11 June</time></span></div>"#,
                "2025-06-11T08:00:00+00:00",
            ),
        ] {
            let m = meta(&format!("{ticker}{article}"));
            assert_eq!(
                m.published.map(|d| d.to_rfc3339()).as_deref(),
                Some(expected),
                "{article}"
            );
        }
        // An article's own header holds its dateline.
        for header in [
            "<header>",
            r#"<header class="entry-header"><div class="entry-meta">"#,
        ] {
            let m = meta(&format!(
                r#"{ticker}<article>{header}<h1>Quay Reopens</h1><time datetime="2025-06-10T09:15:00Z">10 June</time></header></article>"#
            ));
            assert_eq!(
                m.published.map(|d| d.to_rfc3339()).as_deref(),
                Some("2025-06-10T09:15:00+00:00"),
                "{header}"
            );
        }
        // Only the ticker dates anything: it dates other stories.
        assert_eq!(meta(ticker).published, None);
    }

    #[test]
    fn a_teaser_lists_times_date_no_story_before_or_after_it() {
        let teasers = r#"<div class="col-left"><div class="latest-news"><h3>Latest</h3>
            <div class="teaser"><a href="/news/fire">Fire crews called to barn blaze near Eastfield</a>
            <span class="teaser-date"><time datetime="2026-12-05T16:20:00Z">5 December 2026</time></span></div>
            <div class="teaser"><a href="/news/carols">Carol service moved to town hall</a>
            <span class="teaser-date"><time datetime="2026-12-05T12:00:00Z">5 December 2026</time></span></div>
            </div></div>"#;
        let story = r#"<div class="col-main"><h1>Bridge repairs to close Old Town crossing</h1>
            <p>The Old Town bridge will close to all traffic for six weeks from January.</p></div>"#;
        assert_eq!(meta(&format!("{teasers}{story}")).published, None);
        assert_eq!(meta(&format!("{story}{teasers}")).published, None);
        // The story's own `<time>` dates it, wherever the list is.
        let dated = r#"<div class="col-main"><h1>Bridge repairs to close Old Town crossing</h1>
            <p>By Sam Okafor, <time datetime="2026-12-01T09:00:00Z">1 December 2026</time></p></div>"#;
        assert_eq!(
            meta(&format!("{teasers}{dated}"))
                .published
                .map(|d| d.to_rfc3339())
                .as_deref(),
            Some("2026-12-01T09:00:00+00:00")
        );
        // A live blog's updates, each dated, are the story's own.
        let updates = r##"<h1>Storm live</h1><div class="live-post"><time datetime="2026-11-27T11:42:00Z">11:42</time>
            <p>Schools in the coastal wards will close at 1pm. <a href="#post-2">Copy link</a></p></div>
            <div class="live-post"><time datetime="2026-11-27T10:15:00Z">10:15</time>
            <p>Engineers have restored power to 8,000 homes. <a href="#post-1">Copy link</a></p></div>"##;
        assert_eq!(
            meta(updates).published.map(|d| d.to_rfc3339()).as_deref(),
            Some("2026-11-27T11:42:00+00:00")
        );
    }

    #[test]
    fn an_h1_in_a_script_without_spaces_is_the_headline_its_title_starts_with() {
        for title in [
            "新しい橋が開通 - Harbour Times",
            "新しい橋が開通｜Harbour Times",
            "新桥今日通车 | 港湾时报",
        ] {
            let h1 = title.split([' ', '｜']).next().unwrap();
            let m = meta(&format!(
                "<title>{title}</title><article><h1>{h1}</h1></article>"
            ));
            assert_eq!(m.title.as_deref(), Some(h1), "{title}");
        }
        // A two-letter h1 is a section name, not the headline.
        let m = meta(
            r#"<title>新しい橋が開通 - Harbour Times</title><meta property="og:site_name" content="Harbour Times"><h1>新し</h1>"#,
        );
        assert_eq!(m.title.as_deref(), Some("新しい橋が開通"));
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

    #[test]
    fn a_link_to_the_site_root_is_no_articles_canonical_link() {
        for root in [
            "https://news.example/",
            "https://news.example",
            "/",
            "/#top",
        ] {
            let m = meta(&format!(
                r#"<link rel="canonical" href="{root}"><meta property="og:url" content="{root}">"#
            ));
            assert_eq!(m.canonical, None, "{root}");
        }
        let m = meta(
            r#"<link rel="canonical" href="/"><meta property="og:url" content="https://news.example/a/1">"#,
        );
        assert_eq!(m.canonical.as_deref(), Some("https://news.example/a/1"));
        let m = meta(r#"<link rel="canonical" href="/?p=123">"#);
        assert_eq!(
            m.canonical.as_deref(),
            Some("https://news.example/?p=123"),
            "a query names an article"
        );
    }
}

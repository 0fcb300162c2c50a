//! `GET /articles`: every stored article, newest first, a page at a time,
//! with where it was seen and the copies folded into it (the rule and its
//! evidence, as `feedfold dups` gives them), and per source a chart of the
//! new articles and folded copies of its last cycles. Server-rendered HTML
//! and SVG in the index page's look: no script, nothing loaded from
//! elsewhere. Where an article was seen is shown redacted, as everywhere on
//! public pages; its own link as the feeds publish it.
//!
//! Pages are linked by article id (`?from=ID`, `?newer_than=ID`), so a link
//! keeps pointing at the same articles however many arrive meanwhile; a
//! link to an article since merged into another redirects (303) to the
//! same page from the article it went into.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use serde::Deserialize;

use super::AppState;
use super::index::STYLE;
use crate::commands::dups;
use crate::pipeline::lock;
use crate::redact;
use crate::store::{
    ArticlePage, CYCLES_KEPT, FoldedArticle, FoldedCopy, PageStart, Sighting, SourceCycle, Store,
    StoreError,
};

/// Articles on one page.
pub const PAGE_SIZE: usize = 25;

const ARTICLES_STYLE: &str = r#"
nav.top { margin-top: .75rem; }
a { color: var(--accent); }
.charts { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); }
.chart { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: .75rem;
  padding: .8rem 1rem; min-width: 0; }
.chart figcaption { font-weight: 600; }
.chart figcaption span { display: block; font-weight: 400; color: var(--muted); font-size: .85rem; }
.chart svg { display: block; width: 100%; height: auto; margin: .5rem 0 .25rem; }
.chart .axis { stroke: var(--line); stroke-width: 1; }
.chart text { fill: var(--muted); font-size: 9px; font-family: inherit; }
.new { fill: var(--accent); background: var(--accent); }
.folded { fill: var(--muted); background: var(--muted); }
.failed { fill: var(--bad); background: var(--bad); }
.legend { display: flex; gap: .9rem; flex-wrap: wrap; font-size: .8rem; color: var(--muted); }
.legend i { display: inline-block; width: .7rem; height: .7rem; border-radius: .15rem; margin-right: .3rem;
  vertical-align: -.05rem; }
details { margin-top: .4rem; font-size: .85rem; }
details table { margin-top: .4rem; font-size: .8rem; }
details th, details td { padding: .25rem .5rem; }
.story { background: var(--card); border: 1px solid var(--line); border-radius: .75rem; padding: 1rem 1.1rem;
  margin-bottom: 1rem; min-width: 0; }
.story h3 { margin: 0 0 .2rem; font-size: 1.1rem; }
.story h3 a { color: inherit; text-decoration: none; }
.story h3 a:hover { text-decoration: underline; }
.story h4 { margin: .8rem 0 .3rem; font-size: .9rem; color: var(--muted); font-weight: 600; }
.story p { margin: .2rem 0; }
.story ul { margin: 0; padding-left: 1.1rem; font-size: .9rem; }
.story li { margin: .2rem 0; }
.meta, .why { color: var(--muted); font-size: .85rem; }
.meta a { margin-left: .4rem; }
code, .place { overflow-wrap: anywhere; }
code { font-size: .8rem; }
.rule { font-weight: 600; color: var(--fg); }
.pager { display: flex; justify-content: space-between; gap: 1rem; margin-top: 1.5rem; }
.pager a { font-weight: 600; text-decoration: none; padding: .35rem .9rem; border-radius: 999px;
  border: 1px solid var(--accent); }
"#;

/// Where the page starts: `?from=ID` (that article, then older ones) or
/// `?newer_than=ID` (the newer articles up to it); neither for the newest.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    pub from: Option<String>,
    pub newer_than: Option<String>,
}

impl PageQuery {
    fn start(&self) -> Result<PageStart<'_>, &'static str> {
        match (&self.from, &self.newer_than) {
            (None, None) => Ok(PageStart::Newest),
            (Some(id), None) => Ok(PageStart::From(id)),
            (None, Some(id)) => Ok(PageStart::NewerThan(id)),
            (Some(_), Some(_)) => Err("give `from` or `newer_than`, not both"),
        }
    }
}

/// The page `start` asks for, starting from the article `id` instead:
/// a reference relative to the page, as its other links are.
fn starting_from(start: PageStart, id: &str) -> String {
    match start {
        PageStart::NewerThan(_) => format!("articles?newer_than={}", encoded(id)),
        PageStart::Newest | PageStart::From(_) => format!("articles?from={}", encoded(id)),
    }
}

/// What the page shows, as read from the store.
pub struct Loaded {
    pub page: ArticlePage,
    pub cycles: Vec<SourceCycle>,
}

/// What a page request finds in the store.
pub enum Found {
    /// The page.
    Page(Loaded),
    /// The article the page starts from was merged into another (the last
    /// of a chain of merges): the same page from that one, as a reference
    /// relative to the page.
    MovedTo(String),
    /// The store holds no article with that id, and no merge took one away.
    Missing,
}

/// Reads one page from `start` and every source's cycles; where `start`
/// names an article a merge took away, where the page starts now.
pub fn load(store: &mut dyn Store, start: PageStart) -> Result<Found, StoreError> {
    if let Some(page) = store.article_page(start, PAGE_SIZE)? {
        return Ok(Found::Page(Loaded {
            page,
            cycles: store.cycles()?,
        }));
    }
    let (PageStart::From(id) | PageStart::NewerThan(id)) = start else {
        return Ok(Found::Missing);
    };
    Ok(match store.merged_into(id)? {
        Some(survivor) => Found::MovedTo(starting_from(start, &survivor)),
        None => Found::Missing,
    })
}

pub async fn articles(
    State(state): State<Arc<AppState>>,
    Query(query): Query<PageQuery>,
) -> Response {
    if let Err(why) = query.start() {
        return message(StatusCode::BAD_REQUEST, "Bad request", why);
    }
    let worker = state.clone();
    let loaded = tokio::task::spawn_blocking(move || {
        let start = query.start().unwrap_or(PageStart::Newest);
        load(&mut **lock(&worker.reader), start)
    })
    .await;
    match loaded {
        Ok(Ok(Found::Page(loaded))) => {
            let sources: Vec<&str> = state
                .config
                .sources
                .iter()
                .map(|s| s.name.as_str())
                .collect();
            Html(render(&loaded, &sources)).into_response()
        }
        Ok(Ok(Found::MovedTo(location))) => Redirect::to(&location).into_response(),
        Ok(Ok(Found::Missing)) => message(
            StatusCode::NOT_FOUND,
            "No such article",
            "The store holds no article with that id.",
        ),
        Ok(Err(e)) => {
            tracing::error!("the articles page cannot read the store: {e}");
            message(
                StatusCode::SERVICE_UNAVAILABLE,
                "Store unavailable",
                "The store cannot be read right now; try again shortly.",
            )
        }
        Err(e) => {
            tracing::error!("the articles page failed: {e}");
            message(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Internal error",
                "The page failed.",
            )
        }
    }
}

/// The page's frame: head, header with the way back, `body`.
fn frame(title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · feedfold" }
                style { (PreEscaped(STYLE)) (PreEscaped(ARTICLES_STYLE)) }
            }
            body {
                main {
                    header {
                        h1 { "feed" span { "fold" } }
                        p { "Every stored article, newest first: where it was seen, and the copies folded into it." }
                        nav.top { a href="./" { "← Feeds and last cycle" } }
                    }
                    (body)
                    footer {
                        "feedfold " (env!("CARGO_PKG_VERSION")) " · "
                        a href="./" { "feeds" } " · "
                        a href="healthz" { "health" }
                    }
                }
            }
        }
    }
    .into_string()
}

fn message(status: StatusCode, title: &str, text: &str) -> Response {
    let body =
        html! { h2 { (title) } p { (text) } p { a href="articles" { "The newest articles" } } };
    (status, Html(frame(title, body))).into_response()
}

/// The whole page: one chart per source of `sources` (in that order), then
/// the articles and the links to the pages either side.
pub fn render(loaded: &Loaded, sources: &[&str]) -> String {
    let page = &loaded.page;
    let body = html! {
        h2 { "New and folded, per source" }
        p.meta { "The last " (CYCLES_KEPT) " cycles of each source, oldest on the left." }
        section.charts {
            @for (n, source) in sources.iter().enumerate() {
                @let cycles: Vec<&SourceCycle> =
                    loaded.cycles.iter().filter(|c| c.source == *source).collect();
                (chart(n, source, &cycles))
            }
        }
        h2 { "Articles" }
        @if page.articles.is_empty() {
            // A page that starts after the newest article still has older ones.
            @if page.older.is_some() {
                p { "No article is newer than that one." }
                p { a href="articles" { "The newest articles" } }
            } @else {
                p { "No article is stored yet." }
            }
        }
        @for article in &page.articles {
            (story(article))
        }
        @if page.newer || page.older.is_some() {
            nav.pager aria-label="Pages" {
                @if let (true, Some(first)) = (page.newer, page.articles.first()) {
                    a href={ "articles?newer_than=" (encoded(&first.article.id)) } rel="prev" { "← Newer" }
                } @else { span {} }
                @if let Some(next) = &page.older {
                    a href={ "articles?from=" (encoded(next)) } rel="next" { "Older →" }
                }
            }
        }
    };
    frame("Articles", body)
}

fn encoded(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes()).collect()
}

fn when(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// A place as a public page may show it: URLs without credentials or
/// query values.
fn place(seen: &Sighting) -> String {
    format!(
        "{}: {} line {}",
        seen.source,
        redact::urls_in(&seen.location),
        seen.line
    )
}

/// An article's own link as the pages and the API show it: as the feeds
/// publish it (no user name or password; query and fragment whole), for
/// that is no secret; but redacted as a place it was seen is when it is
/// one (a `pages` source's page: the URL feedfold fetched, which may carry
/// a key whether or not a feed publishes the source).
pub(super) fn shown_link<'a>(link: &'a str, sightings: &[Sighting]) -> Cow<'a, str> {
    if sightings.iter().any(|seen| seen.location == link) {
        redact::url(link)
    } else {
        crate::publish::public_url(link)
    }
}

fn story(folded: &FoldedArticle) -> Markup {
    let article = &folded.article;
    let own_link = article
        .link
        .as_deref()
        .filter(|l| l.starts_with("https://") || l.starts_with("http://"));
    html! {
        article.story {
            h3 { a href={ "articles?from=" (encoded(&article.id)) } { (article.title) } }
            p.meta {
                "published " time datetime=(crate::model::rfc3339(article.published)) { (when(article.published)) }
                @if let Some(link) = own_link {
                    a href=(shown_link(link, &folded.sightings)) rel="nofollow noreferrer" { "original ↗" }
                }
            }
            p.meta { code { (article.id) } }
            h4 { "Seen " (count(folded.sightings.len(), "time", "times")) }
            ul {
                @for seen in &folded.sightings {
                    li { span.place { (place(seen)) } ", " (when(seen.first_seen)) }
                }
            }
            @if !folded.folds.is_empty() {
                h4 { (count(folded.folds.len(), "copy", "copies")) " folded into it" }
                ul {
                    @for fold in &folded.folds {
                        (folded_copy(fold))
                    }
                }
            }
        }
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// One folded copy: its title and id, where it came from and when, and
/// why, in `dups`' words.
fn folded_copy(fold: &FoldedCopy) -> Markup {
    html! {
        li {
            "“" (fold.copy_title) "” "
            span.place { "from " (place(&fold.seen)) } ", " (when(fold.seen.first_seen))
            br;
            span.why { span.rule { (fold.rule) } (dups::why(fold)) }
            br;
            code { (fold.copy_id) }
        }
    }
}

/// Chart geometry, in the SVG's own units.
const WIDTH: f64 = 300.0;
const HEIGHT: f64 = 110.0;
const TOP: f64 = 12.0;
const BASELINE: f64 = 88.0;
const LEFT: f64 = 26.0;

/// `n` short enough for the chart's axis (four characters below a
/// billion):
/// `950`, `9.5k`, `12k`, `3.4M`.
fn axis_label(n: u32) -> String {
    let short = |value: f64, unit: &str| {
        if value < 9.95 {
            format!("{:.1}{unit}", value).replace(".0", "")
        } else {
            format!("{:.0}{unit}", value)
        }
    };
    match n {
        0..1_000 => n.to_string(),
        1_000..999_500 => short(f64::from(n) / 1e3, "k"),
        _ => short(f64::from(n) / 1e6, "M"),
    }
}

/// One source's chart: a pair of bars per cycle (new, folded), failed
/// cycles marked below the axis, with a title and description for screen
/// readers and the numbers in a table beside it.
fn chart(n: usize, source: &str, cycles: &[&SourceCycle]) -> Markup {
    let new: u64 = cycles.iter().map(|c| u64::from(c.new)).sum();
    let folded: u64 = cycles.iter().map(|c| u64::from(c.folded)).sum();
    let failed = cycles.iter().filter(|c| c.failed).count();
    let top = cycles
        .iter()
        .map(|c| c.new.max(c.folded))
        .max()
        .unwrap_or(0)
        .max(1);
    let title_id = format!("chart-{n}-title");
    let desc_id = format!("chart-{n}-desc");
    let summary = format!(
        "{} new, {} folded in the last {}",
        new,
        folded,
        count(cycles.len(), "cycle", "cycles")
    );
    let desc = match (cycles.first(), cycles.last()) {
        (Some(first), Some(last)) => format!(
            "Bars per cycle from {} to {}: new articles and folded copies. {summary}{}. At most {top} in one cycle.",
            when(first.at),
            when(last.at),
            if failed > 0 {
                format!(", {} failed", count(failed, "cycle", "cycles"))
            } else {
                String::new()
            },
        ),
        _ => "No cycle of this source has been kept yet.".to_string(),
    };
    let slot = (WIDTH - LEFT) / CYCLES_KEPT as f64;
    let bar = slot * 0.38;
    // The newest cycle sits at the right edge; older ones to its left.
    let x0 = WIDTH - slot * cycles.len() as f64;
    let height = |v: u32| (BASELINE - TOP) * f64::from(v) / f64::from(top);
    let mut bars = String::new();
    for (i, cycle) in cycles.iter().enumerate() {
        let x = x0 + slot * i as f64 + slot * 0.1;
        for (class, value, dx) in [("new", cycle.new, 0.0), ("folded", cycle.folded, bar)] {
            let h = height(value);
            let _ = write!(
                bars,
                r#"<rect class="{class}" x="{:.1}" y="{:.1}" width="{bar:.1}" height="{h:.1}"><title>{}: {value} {class}</title></rect>"#,
                x + dx,
                BASELINE - h,
                when(cycle.at),
            );
        }
        if cycle.failed {
            let _ = write!(
                bars,
                r#"<circle class="failed" cx="{:.1}" cy="{:.1}" r="2.2"><title>{}: failed</title></circle>"#,
                x + bar,
                BASELINE + 6.0,
                when(cycle.at),
            );
        }
    }
    html! {
        figure.chart {
            figcaption { (source) span { (summary) } }
            svg xmlns="http://www.w3.org/2000/svg" viewBox={ "0 0 " (WIDTH) " " (HEIGHT) }
                role="img" aria-labelledby={ (title_id) " " (desc_id) } {
                title id=(title_id) { (source) ": new articles and folded copies per cycle" }
                desc id=(desc_id) { (desc) }
                line.axis x1=(LEFT) y1=(BASELINE) x2=(WIDTH) y2=(BASELINE) {}
                line.axis x1=(LEFT) y1=(TOP) x2=(WIDTH) y2=(TOP) stroke-dasharray="2 3" {}
                text x=(LEFT - 3.0) y=(TOP + 3.0) text-anchor="end" { (axis_label(top)) }
                text x=(LEFT - 3.0) y=(BASELINE + 3.0) text-anchor="end" { "0" }
                text x=(LEFT) y=(HEIGHT - 4.0) { "older" }
                text x=(WIDTH) y=(HEIGHT - 4.0) text-anchor="end" { "latest cycle" }
                (PreEscaped(bars))
            }
            div.legend aria-hidden="true" {
                span { i.new {} "new" } span { i.folded {} "folded" } span { i.failed {} "failed" }
            }
            @if !cycles.is_empty() {
                details {
                    summary { "The numbers" }
                    table {
                        thead { tr { th { "Cycle" } th { "New" } th { "Folded" } th { "Result" } } }
                        tbody {
                            @for cycle in cycles.iter().rev() {
                                tr {
                                    td { (cycle.at.format("%Y-%m-%d %H:%M:%S UTC")) }
                                    td { (cycle.new) }
                                    td { (cycle.folded) }
                                    td { @if cycle.failed { span.bad { "failed" } } @else { "ok" } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::StoredArticle;

    #[test]
    fn an_articles_own_link_is_shown_as_the_feeds_publish_it() {
        let page_with = |link: &str| {
            let mut article = StoredArticle {
                id: "a1".into(),
                title: "Council Publishes Draft Budget".into(),
                link: Some(link.into()),
                ..Default::default()
            };
            article.published = DateTime::UNIX_EPOCH;
            let loaded = Loaded {
                page: ArticlePage {
                    articles: vec![FoldedArticle {
                        article,
                        sightings: vec![Sighting {
                            source: "wire".into(),
                            location: "https://news.example/wire.rss?key=s3cret#access_token=t0ken"
                                .into(),
                            line: 3,
                            first_seen: DateTime::UNIX_EPOCH,
                        }],
                        folds: Vec::new(),
                    }],
                    newer: false,
                    older: None,
                },
                cycles: Vec::new(),
            };
            render(&loaded, &[])
        };
        // The feeds publish the link without its user name and password,
        // its query and fragment whole: the page shows it so.
        let page =
            page_with("https://editor:hunter2@cms.news.example/story/draft-budget?id=7&page=2#top");
        assert!(!page.contains("hunter2"), "{page}");
        assert!(!page.contains("editor"), "{page}");
        assert!(
            page.contains(
                r#"href="https://cms.news.example/story/draft-budget?id=7&amp;page=2#top""#
            ),
            "{page}"
        );
        let page = page_with("https://site.example/story#top");
        assert!(
            page.contains(r#"href="https://site.example/story#top""#),
            "{page}"
        );
        // Where it was read is a source's URL, and stays redacted.
        assert!(!page.contains("s3cret"), "{page}");
        assert!(!page.contains("t0ken"), "{page}");
        assert!(
            page.contains("https://news.example/wire.rss?key=***#access_token=***"),
            "{page}"
        );
        // A link that is the place it was read (a `pages` source's page)
        // is redacted as that place is.
        let page = page_with("https://news.example/wire.rss?key=s3cret#access_token=t0ken");
        assert!(!page.contains("s3cret"), "{page}");
        assert!(!page.contains("t0ken"), "{page}");
    }

    #[test]
    fn axis_labels_fit_four_characters() {
        let cases = [
            (0, "0"),
            (999, "999"),
            (1_000, "1k"),
            (1_500, "1.5k"),
            (9_960, "10k"),
            (10_000, "10k"),
            (12_345, "12k"),
            (999_499, "999k"),
            (999_500, "1M"),
            (3_400_000, "3.4M"),
            (u32::MAX, "4295M"),
        ];
        for (n, label) in cases {
            assert_eq!(axis_label(n), label, "{n}");
        }
    }
}

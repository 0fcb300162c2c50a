//! Fetching the article pages documents name (sitemap entries, feed entry
//! links): with the limits of `[fetch]`, at most [`PER_HOST`] requests to
//! one host at once across every source of a cycle, at most `[fetch]
//! concurrency` in all, and each page read into its article as soon as it
//! arrives, so only articles wait in memory. A page fetched again is asked
//! for conditionally with the validators its last full fetch gave: a `304`
//! is read as nothing.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use thiserror::Error;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use url::Url;

use super::fetch::{Asking, Document, FetchError, Fetched, Fetcher, Validators};
use super::page::{self, Above, PageError, PageSource, above_page};
use super::source::SitePage;
use crate::model::Article;

/// Requests to one host at once, at most.
pub const PER_HOST: usize = 2;

/// Fetches pages; clones share their limits.
#[derive(Clone)]
pub struct PageFetcher {
    fetcher: Fetcher,
    hosts: Arc<Mutex<HashMap<String, Arc<Semaphore>>>>,
    all: Arc<Semaphore>,
}

/// A page to fetch, with what the document that lists it says of it (a
/// news sitemap's `news:title` and `news:name`), for a page that does not
/// say it itself.
#[derive(Debug, Clone, Default)]
pub struct Wanted {
    pub url: String,
    pub headline: Option<String>,
    /// The name of the site that publishes the page.
    pub site_name: Option<String>,
    /// The validators the page's last full fetch gave, sent with the
    /// request (none for a page never read).
    pub validators: Validators,
}

/// What a page's fetch gave.
#[derive(Debug, Clone)]
pub enum PageAnswer {
    /// The page, fetched and read.
    Read(Box<FetchedPage>),
    /// The page answered `304` to a conditional request: unchanged since
    /// its last full fetch, whose validators are kept as the 304 updated
    /// them ([`Validators::updated_by`]).
    NotModified(Validators),
}

/// A page fetched and read.
#[derive(Debug, Clone)]
pub struct FetchedPage {
    pub article: Article,
    /// Its site (the host) and its URL.
    pub site_page: SitePage,
    pub bytes: u64,
    /// The URL the fetch landed at, redirects followed.
    pub landed: String,
    /// Whether a redirect on the way was only for now (a 302, 303 or 307).
    pub temporarily_redirected: bool,
    /// The validators the fetch gave, to send when the page is fetched
    /// again; none for a page read through a redirect stub, whose own
    /// answer stands for another page.
    pub validators: Validators,
}

impl FetchedPage {
    /// Whether the fetch landed, for now only, at a page other than the one
    /// asked for: a page that may be a bounce rather than the story.
    pub fn landed_elsewhere_for_now(&self) -> bool {
        self.temporarily_redirected && self.landed != self.site_page.page
    }
}

/// A page that gave no article; the message names its URL.
#[derive(Debug, Error)]
pub enum PageFailure {
    #[error("{}", cause.at(url))]
    Fetch { url: String, cause: FetchError },
    #[error(transparent)]
    Page(#[from] PageError),
    /// The page redirected only for now (a 302, 303 or 307 on the way) to
    /// another page that holds no article: a consent, login or rate-limit
    /// bounce, which may pass.
    #[error("{url}: temporarily redirected to {to}, which holds no article")]
    Bounced { url: String, to: String },
    /// The page redirected only for now to a page whose text names nothing
    /// of the story asked for (a rate-limit or notice page with a paragraph
    /// of its own), which may pass.
    #[error("{url}: temporarily redirected to {to}, a page that is not the story's")]
    BouncedOffStory { url: String, to: String },
    /// The page, as it answered or where it redirected for good, tells
    /// another story than the one asked for: a story taken down and sent on
    /// to a related one, or a site answering with another story. It will
    /// stay so.
    #[error("{url}: {}a page that is not the story's", redirected_to(url, to))]
    NotTheStory { url: String, to: String },
    /// The page redirected to its site's home page or a section above it:
    /// no article. For good (301 or 308 at every hop) as a site answers for
    /// a story taken down; `temporarily` (a 302, 303 or 307 on the way) as
    /// it bounces a page for maintenance, consent or a rate limit, which
    /// may pass.
    #[error(
        "{url}: {}redirected to {to}, {above}: no article",
        if *temporarily { "temporarily " } else { "" }
    )]
    RedirectedAbove {
        url: String,
        to: String,
        above: Above,
        temporarily: bool,
    },
}

impl PageFailure {
    /// Whether fetching the page again later could give another answer:
    /// the host could not be reached, timed out, was busy or failed, its
    /// address was refused by the configuration (`[fetch] allow_private`),
    /// which may change, or it redirected only temporarily, above itself
    /// or to a page answering an error status (a sign-in page the site
    /// bounces to that answers 404 says nothing of the story); a page that
    /// is missing, too large, taken down or has no article will stay so.
    pub fn is_passing(&self) -> bool {
        match self {
            PageFailure::Fetch { cause, .. } => match cause {
                FetchError::Status {
                    status,
                    temporarily_redirected,
                    ..
                } => *temporarily_redirected || *status == 429 || *status >= 500,
                FetchError::Connect { .. }
                | FetchError::Timeout(_)
                | FetchError::Read(_)
                | FetchError::Client(_)
                | FetchError::Private { .. } => true,
                FetchError::TooLarge { .. }
                | FetchError::TooManyRedirects(_)
                | FetchError::BadRedirect { .. }
                | FetchError::NoLocation(_)
                | FetchError::BadUrl(_)
                | FetchError::UnconditionalNotModified => false,
            },
            PageFailure::RedirectedAbove { temporarily, .. } => *temporarily,
            PageFailure::Bounced { .. } | PageFailure::BouncedOffStory { .. } => true,
            PageFailure::NotTheStory { .. } | PageFailure::Page(_) => false,
        }
    }

    /// Whether the operator's configuration refused the page, not the page
    /// itself: its address is one the private-network rule refuses, which
    /// `[fetch] allow_private` lifts.
    pub fn is_refused_by_configuration(&self) -> bool {
        matches!(
            self,
            PageFailure::Fetch {
                cause: FetchError::Private { .. },
                ..
            }
        )
    }

    /// Warns, for `source`, of this failure as `said` (URLs redacted):
    /// under `feedfold::sources`, which `run --quiet` keeps, when it is the
    /// operator's to fix ([`PageFailure::is_refused_by_configuration`]).
    pub fn warn(&self, source: &str, said: &str) {
        let said = crate::redact::urls_in(said);
        if self.is_refused_by_configuration() {
            tracing::warn!(target: "feedfold::sources", source = %source, "{said}");
        } else {
            tracing::warn!(source = %source, "{said}");
        }
    }
}

/// `redirected to {to}, ` for a page at `url` that redirected to `to`, `""`
/// for one that answered itself.
fn redirected_to(url: &str, to: &str) -> String {
    if url == to {
        String::new()
    } else {
        format!("redirected to {to}, ")
    }
}

impl PageFetcher {
    /// Fetches with `fetcher`, at most `concurrency` pages at once.
    pub fn new(fetcher: Fetcher, concurrency: usize) -> PageFetcher {
        PageFetcher {
            fetcher,
            hosts: Arc::default(),
            all: Arc::new(Semaphore::new(concurrency.max(1))),
        }
    }

    /// Waits for a turn to request from `host`.
    async fn turn(&self, host: &str) -> (OwnedSemaphorePermit, OwnedSemaphorePermit) {
        let per_host = {
            let mut hosts = self
                .hosts
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            hosts
                .entry(host.to_string())
                .or_insert_with(|| Arc::new(Semaphore::new(PER_HOST)))
                .clone()
        };
        let host_turn = per_host.acquire_owned().await.expect("never closed");
        let turn = self
            .all
            .clone()
            .acquire_owned()
            .await
            .expect("never closed");
        (host_turn, turn)
    }

    /// GETs `url`, an XML document (a sitemap) named by a document of the
    /// source configured at `source` (its URL or file), in the host's turn,
    /// conditionally when `validators` has any: as much of it as came when
    /// its transfer was cut short ([`Document::cut_short`]), to be read as
    /// far as it goes.
    pub async fn document(
        &self,
        url: &str,
        source: &str,
        validators: &Validators,
    ) -> Result<Fetched, FetchError> {
        let _turn = self.turn(&host_of(url)).await;
        self.fetcher
            .fetch_untrusted(url, source, validators, Asking::Feed)
            .await
    }

    /// GETs `url`, named by a document of the source configured at
    /// `source`, asking for what `asking` says, in the host's turn,
    /// conditionally when `validators` has any (without, the fetcher makes
    /// a 304 an error).
    async fn get(
        &self,
        url: &str,
        source: &str,
        validators: &Validators,
        asking: Asking,
    ) -> Result<Fetched, FetchError> {
        let _turn = self.turn(&host_of(url)).await;
        self.fetcher
            .fetch_untrusted(url, source, validators, asking)
            .await
    }

    /// Fetches the page `wanted` names (conditionally when it has
    /// validators) and reads its article; a redirect stub (a `<meta
    /// http-equiv="refresh">` page) is followed once, unconditionally, and
    /// a stub it leads to has no article.
    pub async fn page(&self, wanted: Wanted, source: &str) -> Result<PageAnswer, PageFailure> {
        match self
            .page_at(&wanted.url, &wanted, &wanted.validators, source)
            .await
        {
            Err(PageFailure::Page(PageError::Refreshes { to, .. })) => {
                tracing::debug!(
                    url = %crate::redact::url(&wanted.url),
                    to = %crate::redact::url(&to),
                    "following a meta refresh"
                );
                match self
                    .page_at(&to, &wanted, &Validators::default(), source)
                    .await
                {
                    Err(PageFailure::Page(PageError::Refreshes { location, .. })) => {
                        Err(PageFailure::Page(PageError::NoArticle { location }))
                    }
                    Ok(PageAnswer::Read(page)) => Ok(PageAnswer::Read(Box::new(FetchedPage {
                        validators: Validators::default(),
                        ..*page
                    }))),
                    read => read,
                }
            }
            read => read,
        }
    }

    /// Fetches `url` (the page `wanted` names, or the one its stub sends
    /// on to), with `validators`, and reads its article.
    async fn page_at(
        &self,
        url: &str,
        wanted: &Wanted,
        validators: &Validators,
        source: &str,
    ) -> Result<PageAnswer, PageFailure> {
        let failed = |cause| PageFailure::Fetch {
            url: url.to_string(),
            cause,
        };
        let document = match self.get(url, source, validators, Asking::Page).await {
            Ok(Fetched::Document(document)) => document,
            Ok(Fetched::NotModified(unchanged)) => {
                return Ok(PageAnswer::NotModified(
                    validators.clone().updated_by(unchanged.validators),
                ));
            }
            Err(cause) => return Err(failed(cause)),
        };
        // A page cut short would be read as a cut article.
        let document = document.whole().map_err(failed)?;
        if let (Ok(asked), Ok(landed)) = (Url::parse(url), Url::parse(&document.url)) {
            if document.temporarily_redirected && carries_back(&asked, &landed) {
                return Err(PageFailure::Bounced {
                    url: url.to_string(),
                    to: document.url,
                });
            }
            if let Some(above) = above_page(&asked, &landed) {
                return Err(PageFailure::RedirectedAbove {
                    url: url.to_string(),
                    to: document.url,
                    above,
                    temporarily: document.temporarily_redirected,
                });
            }
        }
        let location = url.to_string();
        let listed = wanted.clone();
        let read =
            tokio::task::spawn_blocking(move || read_page(&location, &listed, &document)).await;
        read.unwrap_or_else(|e| {
            Err(PageFailure::Fetch {
                url: url.to_string(),
                cause: FetchError::Read(format!("internal error: {e}")),
            })
        })
        .map(|page| PageAnswer::Read(Box::new(page)))
    }

    /// Fetches every page of `wanted` at once, as the limits allow (in the
    /// order given when they must wait), and answers in that order.
    pub async fn pages(
        &self,
        wanted: &[Wanted],
        source: &str,
    ) -> Vec<Result<PageAnswer, PageFailure>> {
        let mut tasks = tokio::task::JoinSet::new();
        for (index, page) in wanted.iter().enumerate() {
            let fetcher = self.clone();
            let (page, source) = (page.clone(), source.to_string());
            tasks.spawn(async move { (index, fetcher.page(page, &source).await) });
        }
        let mut answers: Vec<Option<Result<PageAnswer, PageFailure>>> =
            wanted.iter().map(|_| None).collect();
        while let Some(done) = tasks.join_next().await {
            if let Ok((index, answer)) = done {
                answers[index] = Some(answer);
            }
        }
        answers
            .into_iter()
            .zip(wanted)
            .map(|(answer, page)| {
                answer.unwrap_or_else(|| {
                    Err(PageFailure::Fetch {
                        url: page.url.clone(),
                        cause: FetchError::Read("internal error: the fetch stopped".into()),
                    })
                })
            })
            .collect()
    }
}

/// The host of `url`, whose turn its fetch waits for; `""` when it has
/// none.
fn host_of(url: &str) -> String {
    Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default()
}

/// Whether `landed` carries `asked` back in its query (`/login?next=/story/ferry`,
/// `/busy?from=https://site/story/ferry`): a sign-in, consent or rate-limit
/// page that sends the reader on to the page asked for once passed, not
/// the page itself.
fn carries_back(asked: &Url, landed: &Url) -> bool {
    if asked.path() == "/" || landed.path() == asked.path() {
        return false;
    }
    landed.query_pairs().any(|(_, value)| {
        let value = value.trim();
        match Url::parse(value) {
            Ok(back) => back.host_str() == asked.host_str() && back.path() == asked.path(),
            Err(_) => {
                let path = value.split(['?', '#']).next().unwrap_or_default();
                path == asked.path()
            }
        }
    })
}

/// The article in a fetched page, under the headline `listed` gives it
/// when the page has none of its own; its site is the host of `url`.
fn read_page(url: &str, listed: &Wanted, document: &Document) -> Result<FetchedPage, PageFailure> {
    let parsed = Url::parse(&document.url).or_else(|_| Url::parse(url)).ok();
    let source = PageSource {
        location: url,
        charset: document.charset.as_deref(),
        url: parsed.as_ref(),
        headline: listed.headline.as_deref(),
        site_name: listed.site_name.as_deref(),
    };
    let page = page::extract(&document.body, &source).map_err(|error| {
        let elsewhere = document.url != url;
        let stub = matches!(error, PageError::Refreshes { .. });
        if document.temporarily_redirected && elsewhere && !stub {
            PageFailure::Bounced {
                url: url.to_string(),
                to: document.url.clone(),
            }
        } else {
            PageFailure::Page(error)
        }
    })?;
    for warning in &page.warnings {
        tracing::warn!("{}", crate::redact::urls_in(&format!("{url}: {warning}")));
    }
    let site = Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();
    Ok(FetchedPage {
        article: page.article,
        site_page: SitePage {
            site,
            page: url.to_string(),
        },
        bytes: document.body.len() as u64,
        landed: document.url.clone(),
        temporarily_redirected: document.temporarily_redirected,
        validators: document.validators.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redirect_to_the_home_page_or_a_section_above_the_page_is_told() {
        let above = |asked: &str, landed: &str| {
            above_page(&Url::parse(asked).unwrap(), &Url::parse(landed).unwrap())
        };
        let story = "https://harbour.example/news/2026/market-hall";
        assert_eq!(above(story, "https://harbour.example/"), Some(Above::Home));
        assert_eq!(
            above(story, "https://www.harbour.example/?from=gone"),
            Some(Above::Home)
        );
        assert_eq!(
            above(story, "https://harbour.example/news/"),
            Some(Above::Section)
        );
        assert_eq!(
            above(story, "https://www.harbour.example/news"),
            Some(Above::Section)
        );
        assert_eq!(
            above("https://harbour.example/?p=12", "https://harbour.example/"),
            Some(Above::Home)
        );
        for form in ["amp", "amp/", "2", "index.html"] {
            assert_eq!(
                above(
                    &format!("https://harbour.example/news/market-hall/{form}"),
                    "https://harbour.example/news/"
                ),
                Some(Above::Section),
                "a section above the story is above its {form} page"
            );
        }
        for elsewhere in [
            "https://harbour.example/news/2026/market-hall/",
            "http://harbour.example/news/2026/market-hall",
            "https://harbour.example/news/2026/market-hall-sale-agreed",
            "https://harbour.example/amp/news/2026/market-hall",
            "https://harbour.example/market-hall",
            "https://mirror.example/news/",
        ] {
            assert_eq!(above(story, elsewhere), None, "{elsewhere}");
        }
        for (form, page) in [
            (
                "https://harbour.example/news/1234/market-hall",
                "https://harbour.example/news/1234",
            ),
            (
                "https://harbour.example/news/market-hall/amp/",
                "https://harbour.example/news/market-hall/",
            ),
            (
                "https://harbour.example/news/market-hall/index.html",
                "https://harbour.example/news/market-hall/",
            ),
            (
                "https://harbour.example/news/market-hall/2",
                "https://harbour.example/news/market-hall",
            ),
        ] {
            assert_eq!(above(form, page), None, "{form}");
        }
        assert_eq!(
            above("https://harbour.example/", "https://harbour.example/en/"),
            None
        );
        let failure = PageFailure::RedirectedAbove {
            url: story.into(),
            to: "https://harbour.example/".into(),
            above: Above::Home,
            temporarily: false,
        };
        assert!(!failure.is_passing(), "taken down");
        assert_eq!(
            failure.to_string(),
            "https://harbour.example/news/2026/market-hall: redirected to https://harbour.example/, the site's home page: no article"
        );
        let bounced = PageFailure::RedirectedAbove {
            url: story.into(),
            to: "https://harbour.example/".into(),
            above: Above::Home,
            temporarily: true,
        };
        assert!(bounced.is_passing(), "a temporary bounce may pass");
        assert_eq!(
            bounced.to_string(),
            "https://harbour.example/news/2026/market-hall: temporarily redirected to https://harbour.example/, the site's home page: no article"
        );
    }

    #[test]
    fn a_page_whose_query_carries_the_asked_page_back_is_a_bounce() {
        let carries = |asked: &str, landed: &str| {
            carries_back(&Url::parse(asked).unwrap(), &Url::parse(landed).unwrap())
        };
        let story = "https://harbour.example/story/ferry-timetable";
        assert!(carries(
            story,
            "https://harbour.example/login?next=/story/ferry-timetable"
        ));
        assert!(carries(
            story,
            "https://harbour.example/busy?from=https%3A%2F%2Fharbour.example%2Fstory%2Fferry-timetable%3Futm_source%3Drss"
        ));
        assert!(carries(
            story,
            "https://accounts.harbour.example/signin?return_to=https://harbour.example/story/ferry-timetable"
        ));
        // A story moved elsewhere, or a page that names another one, is no bounce.
        assert!(!carries(
            story,
            "https://harbour.example/news/2026/ferry-timetable"
        ));
        assert!(!carries(
            story,
            "https://harbour.example/login?next=/story/library"
        ));
        assert!(!carries(
            story,
            "https://harbour.example/story/ferry-timetable?ref=rss"
        ));
    }

    /// A site on 127.0.0.1 whose story pages answer 302 to a sign-in page
    /// or a rate-limit page that names the story to return to.
    async fn bouncing() -> std::net::SocketAddr {
        crate::ingest::fetch::test_server::answering(|path, _| {
            let page = |title: &str, text: &str| {
                let body = format!(
                    "<!doctype html><html><head><title>{title}</title></head><body><main><h1>{title}</h1><p>{text}</p></main></body></html>"
                );
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                )
            };
            let answer = if let Some(story) = path.strip_prefix("/story/") {
                let to = if story == "ferry" { "/account/login?next=" } else { "/limit?from=" };
                format!(
                    "HTTP/1.1 302 Found\r\nLocation: {to}/story/{story}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                )
            } else if path.starts_with("/account/login") {
                page(
                    "Sign in to the Harbour Gazette",
                    "Readers with an account can read every story we publish. Sign in with your email address, or create a free account to continue reading this article.",
                )
            } else {
                page(
                    "Too many requests",
                    "We have received too many requests from your network in a short time, so we have paused your access. Please wait a few minutes and then try the page again.",
                )
            };
            answer.into_bytes()
        })
        .await
    }

    #[tokio::test]
    async fn a_temporary_redirect_to_a_page_that_sends_back_is_a_bounce_tried_again() {
        let address = bouncing().await;
        let fetcher = Fetcher::new(&crate::config::FetchConfig::default(), "test").unwrap();
        let pages = PageFetcher::new(fetcher, 2);
        for story in ["ferry", "library"] {
            let url = format!("http://{address}/story/{story}");
            let wanted = Wanted {
                url: url.clone(),
                ..Wanted::default()
            };
            let failure = pages.page(wanted, &url).await.unwrap_err();
            assert!(
                matches!(failure, PageFailure::Bounced { .. }),
                "{story}: {failure}"
            );
            assert!(failure.is_passing(), "{story}: tried again next cycle");
        }
    }

    /// A site on 127.0.0.1 whose `/r/` links answer with a redirect stub
    /// (a `<meta http-equiv="refresh">` page) to the story, and whose
    /// `/loop/` stubs lead to another stub.
    async fn refreshing() -> std::net::SocketAddr {
        crate::ingest::fetch::test_server::answering(|path, _| {
            let stub = |to: &str| {
                format!(
                    "<!doctype html><html><head><meta http-equiv=\"refresh\" content=\"0; URL='{to}'\"><title>Redirecting</title></head>\
                    <body><p>If you are not redirected automatically, follow this <a href=\"{to}\">link to the story</a>.</p></body></html>"
                )
            };
            let body = if let Some(story) = path.strip_prefix("/r/") {
                stub(&format!("/news/2026/12/{story}"))
            } else if let Some(story) = path.strip_prefix("/loop/") {
                stub(&format!("/r2/{story}"))
            } else if let Some(story) = path.strip_prefix("/r2/") {
                stub(&format!("/loop/{story}"))
            } else {
                "<!doctype html><html><head><title>Ferry timetable approved</title></head><body><article><h1>Ferry timetable approved</h1>\
                <p>The town council voted on Tuesday to approve a revised ferry timetable that adds two evening crossings to the islands.</p>\
                <p>Councillors said the change would help commuters who work late shifts at the harbour and the hospital.</p>\
                </article></body></html>".to_string()
            };
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
            .into_bytes()
        })
        .await
    }

    #[tokio::test]
    async fn a_redirect_stub_is_followed_once() {
        let address = refreshing().await;
        let fetcher = Fetcher::new(&crate::config::FetchConfig::default(), "test").unwrap();
        let pages = PageFetcher::new(fetcher, 2);
        let url = format!("http://{address}/r/ferry");
        let wanted = Wanted {
            url: url.clone(),
            ..Wanted::default()
        };
        let Ok(PageAnswer::Read(page)) = pages.page(wanted, &url).await else {
            panic!("the page is read");
        };
        assert_eq!(page.landed, format!("http://{address}/news/2026/12/ferry"));
        assert!(
            page.article.body[0]
                .text
                .starts_with("The town council voted"),
            "{:?}",
            page.article.body
        );
        // A stub that leads to another stub has no article.
        let url = format!("http://{address}/loop/ferry");
        let wanted = Wanted {
            url: url.clone(),
            ..Wanted::default()
        };
        let failure = pages.page(wanted, &url).await.unwrap_err();
        assert!(
            matches!(failure, PageFailure::Page(PageError::NoArticle { .. })),
            "{failure}"
        );
    }

    #[test]
    fn only_failures_that_can_pass_are_passing() {
        let fetch = |cause| PageFailure::Fetch {
            url: "https://site.example/a".into(),
            cause,
        };
        let status = |status| FetchError::Status {
            status,
            retry_after: None,
            redirected_to: None,
            temporarily_redirected: false,
        };
        assert!(
            fetch(FetchError::Connect {
                cause: "refused".into(),
                redirected_to: None,
            })
            .is_passing()
        );
        assert!(fetch(status(503)).is_passing());
        assert!(fetch(status(429)).is_passing());
        assert!(!fetch(status(404)).is_passing());
        let bounced_to_a_missing_page = fetch(FetchError::Status {
            status: 404,
            retry_after: None,
            redirected_to: Some("https://site.example/login?next=/a".into()),
            temporarily_redirected: true,
        });
        assert!(
            bounced_to_a_missing_page.is_passing(),
            "the status of a page bounced to for now is not the page's"
        );
        let moved_to_a_missing_page = fetch(FetchError::Status {
            status: 404,
            retry_after: None,
            redirected_to: Some("https://site.example/b".into()),
            temporarily_redirected: false,
        });
        assert!(!moved_to_a_missing_page.is_passing(), "moved for good");
        assert!(!fetch(FetchError::TooLarge { limit: 1 }).is_passing());
        // A body feedfold could not decode: the page may hold an article all the same.
        let undecoded = "cannot decode the body sent as zstd: feedfold reads gzip, br and deflate";
        assert!(fetch(FetchError::Read(undecoded.into())).is_passing());
        let private = fetch(FetchError::Private {
            url: "http://10.0.0.1/a".into(),
            address: "10.0.0.1".parse().unwrap(),
            kind: "private",
            redirected: false,
        });
        assert!(
            private.is_passing(),
            "a refusal by policy is not the page's: tried again"
        );
        assert!(
            private.is_refused_by_configuration(),
            "the operator's to fix"
        );
        assert!(
            !fetch(FetchError::Timeout(std::time::Duration::from_secs(1)))
                .is_refused_by_configuration()
        );
        assert!(
            private
                .to_string()
                .starts_with("http://10.0.0.1/a: at 10.0.0.1"),
            "the URL once: {private}"
        );
        let redirected = fetch(FetchError::Private {
            url: "http://10.0.0.1/a".into(),
            address: "10.0.0.1".parse().unwrap(),
            kind: "private",
            redirected: true,
        });
        assert!(
            redirected.to_string().starts_with(
                "https://site.example/a: redirected to http://10.0.0.1/a: at 10.0.0.1"
            ),
            "the page and where it led: {redirected}"
        );
        let no_article = PageFailure::Page(PageError::NoArticle {
            location: "https://site.example/a".into(),
        });
        assert!(!no_article.is_passing());
        assert_eq!(
            no_article.to_string(),
            "https://site.example/a: no article text found in the page"
        );
        assert_eq!(
            fetch(status(404)).to_string(),
            "https://site.example/a: HTTP 404"
        );
    }

    /// A site on 127.0.0.1 that chooses its answer by `Accept`, as web
    /// frameworks do: its article page when HTML comes first, its JSON
    /// otherwise; the address.
    async fn negotiating() -> std::net::SocketAddr {
        const PAGE: &str = "<!doctype html><html><head><title>Ferry strike halts crossings</title></head><body><article><h1>Ferry strike halts crossings</h1>\
            <p>Ferry workers walked out on Tuesday, halting all crossings to the islands for at least two days as talks broke down.</p>\
            <p>The union said the strike would continue until the operator returned to the table with a new offer on pay and hours.</p>\
            <p>Islanders were told to stock up on essentials, and the council opened an emergency line for medical transport.</p>\
            </article></body></html>";
        crate::ingest::fetch::test_server::answering(|_, accept| {
            let (media_type, body) = if accept.starts_with("text/html") {
                ("text/html; charset=utf-8", PAGE)
            } else {
                ("application/json", r#"{"id": 1, "slug": "ferry-strike"}"#)
            };
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {media_type}\r\nVary: Accept\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
            .into_bytes()
        })
        .await
    }

    #[tokio::test]
    async fn an_article_page_is_asked_for_as_html() {
        let address = negotiating().await;
        let fetcher = Fetcher::new(&crate::config::FetchConfig::default(), "test").unwrap();
        let pages = PageFetcher::new(fetcher, 2);
        let url = format!("http://{address}/news/ferry-strike");
        let wanted = Wanted {
            url: url.clone(),
            ..Wanted::default()
        };
        let Ok(PageAnswer::Read(page)) = pages.page(wanted, &url).await else {
            panic!("the page is read");
        };
        let text: Vec<&str> = page.article.body.iter().map(|b| b.text.as_str()).collect();
        assert!(
            text.iter().any(|t| t.contains("stock up on essentials")),
            "the article's text: {text:?}"
        );
    }
}

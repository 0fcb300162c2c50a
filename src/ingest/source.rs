//! The one way in: every input kind is a [`Source`] that gathers its input
//! for a cycle and hands the pipeline a [`Batch`] of [`Unit`]s, each a
//! stream of [`Article`]s with what reading it learned (bytes, articles,
//! repeated lines folded). The pipeline folds every batch with the same
//! loop, one store transaction per source and a savepoint per unit.
//!
//! The kinds: [`DumpFiles`] (scraped dumps,
//! a path or a glob), [`FeedDocument`]
//! (an RSS, Atom or JSON Feed document by URL or file, optionally completed
//! with the full text of its entries' pages),
//! [`PageFiles`] (HTML article pages, a path
//! or a glob), [`SitemapPages`] (the
//! pages a sitemap lists) and [`Pushed`](super::pushed::Pushed) (articles
//! pushed over the API, as JSON or as a dump). [`from_config`] is the one
//! place a `[[source]]` becomes one of them.
//!
//! Articles read from HTML pages say so ([`Unit::site_page`]): the fold
//! drops the paragraphs their site prints on many of its pages. Pages
//! fetched because a document named them are remembered when their unit
//! lands ([`Unit::remembered`]), and gathering asks which are known
//! ([`SeenPages`]) so that none is fetched twice.

use std::collections::HashMap;
use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use thiserror::Error;

use super::dump_files::{DumpFiles, file_location};
use super::feed_document::FeedDocument;
use super::fetch::{FetchError, Fetched, Fetcher, Validators};
use super::fetch_state::DocumentValidators;
use super::page_fetch::PageFetcher;
use super::page_files::PageFiles;
use super::sitemap_pages::SitemapPages;
use crate::config::{FeedLocation, SourceConfig, SourceKind};
use crate::model::Article;

/// Why a unit, or an article in it, could not be read: any reader's error.
pub type ReadError = Box<dyn std::error::Error + Send + Sync>;

/// How a source's report counts what it read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Counting {
    /// Files and the articles in them (dumps).
    #[default]
    Files,
    /// Documents and the entries in them (feeds).
    Entries,
}

/// What gathering needs: the HTTP client, the validators of the source's
/// last good fetch (for a conditional GET) and of the documents its
/// document leads to (the sitemaps an index lists), the page fetcher
/// shared by every source of the cycle (its per-host limit holds across
/// them) and what the store remembers of fetched pages.
#[derive(Clone)]
pub struct GatherContext {
    pub fetcher: Fetcher,
    pub validators: Validators,
    pub documents: DocumentValidators,
    pub pages: PageFetcher,
    pub seen: Arc<dyn SeenPages>,
}

impl GatherContext {
    /// The document a feed or sitemap source reads: fetched from its URL
    /// (conditionally), or read from its file and named by `place`.
    pub async fn document(
        &self,
        location: &FeedLocation,
        place: &str,
    ) -> Result<Fetched, FetchError> {
        match location {
            FeedLocation::Url(url) => self.fetcher.fetch(url, &self.validators).await,
            FeedLocation::File(path) => self.fetcher.read_file(path).map(|document| {
                Fetched::Document(super::fetch::Document {
                    url: place.to_string(),
                    ..document
                })
            }),
        }
    }

    /// Of `urls`, those `source` fetched before, each with the version it
    /// was read at. When the store cannot answer, that is logged and every
    /// page counts as unseen: fetched again, it folds as a repeat.
    pub async fn pages_seen(
        &self,
        source: &str,
        urls: Vec<String>,
    ) -> HashMap<String, PageVersion> {
        if urls.is_empty() {
            return HashMap::new();
        }
        let seen = self.seen.clone();
        let name = source.to_string();
        let answer = tokio::task::spawn_blocking(move || seen.pages_seen(&name, &urls)).await;
        match answer {
            Ok(Ok(seen)) => seen,
            Ok(Err(message)) => {
                tracing::warn!(source = %source, "cannot tell which pages were fetched before: {message}");
                HashMap::new()
            }
            Err(e) => {
                tracing::warn!(source = %source, "cannot tell which pages were fetched before: {e}");
                HashMap::new()
            }
        }
    }
}

/// What the store remembers of the pages sources fetched, as gathering
/// asks it (implemented over the store by the pipeline).
pub trait SeenPages: Send + Sync {
    /// Of `urls`, those `source` fetched before, each with the version it
    /// was read at; the error's message names the store.
    fn pages_seen(
        &self,
        source: &str,
        urls: &[String],
    ) -> Result<HashMap<String, PageVersion>, String>;
}

/// The site and page an article was read from: the site's template
/// paragraphs are dropped from it, and it counts as one of its pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitePage {
    /// The host (or, for a file without a link, its folder).
    pub site: String,
    /// The page's URL or file.
    pub page: String,
}

/// A page fetched because a document named it, remembered with the version
/// it was read at once its unit lands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenPage {
    pub url: String,
    pub version: String,
    /// The validators the page's last full fetch gave, sent when it is
    /// fetched again because its version moved on.
    pub validators: Validators,
}

/// The version a page was read at, and the validators its last full fetch
/// gave (none for a page that gave none, or failed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageVersion {
    pub version: String,
    pub validators: Validators,
}

/// A gather in flight.
pub type Gathering = Pin<Box<dyn Future<Output = Gathered> + Send>>;

/// A source of articles.
pub trait Source: Send {
    /// The name sightings and feeds know it by.
    fn name(&self) -> &str;

    /// How its report counts.
    fn counting(&self) -> Counting {
        Counting::Files
    }

    /// The URL or file it fetches from, when it fetches and so keeps a
    /// fetch state there: validators for conditional requests, backoff
    /// after failures. Such a source is gathered ahead of the fold, at most
    /// `[fetch] concurrency` at a time; others are gathered when their turn
    /// to fold comes.
    fn fetches_from(&self) -> Option<String> {
        None
    }

    /// Whether its report lists what became of each article (the push API
    /// answers with it); others only count.
    fn itemized(&self) -> bool {
        false
    }

    /// Which stored articles its copies may not replace the text of
    /// (pushes: upstream feed entries'); `None` when any.
    fn kept_text(&self) -> Option<KeptText> {
        None
    }

    /// Gathers this cycle's input. Reading the units happens later, on the
    /// thread that folds them.
    fn gather(self: Box<Self>, context: GatherContext) -> Gathering;
}

/// Tells whether the text of the stored article with the id given must
/// stay as it is: a copy that would replace it is folded as a sighting.
pub type KeptText = Arc<dyn Fn(&str) -> Result<bool, crate::store::StoreError> + Send + Sync>;

/// What a source gathered for one cycle.
pub enum Gathered {
    /// Units to fold.
    Batch(Batch),
    /// The server answered 304: nothing to read or write but the
    /// validators it sent.
    NotModified(Validators),
    /// Nothing could be gathered; the error names the URL or file.
    Failed(GatherError),
}

/// A fetch that failed, naming what was fetched.
#[derive(Debug, Error)]
#[error("{location}: {cause}")]
pub struct GatherError {
    pub location: String,
    pub cause: FetchError,
}

impl GatherError {
    /// The delay the server asked for, if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        self.cause.retry_after()
    }

    /// The kind of failure, as a public page may show it.
    pub fn class(&self) -> String {
        self.cause.class()
    }
}

/// The kind of a unit's read failure, as a public page may show it: `not a
/// feed` for a feed document that cannot be read, `not a sitemap` for such
/// a sitemap, `unreadable` for anything else (a dump or a page that cannot
/// be opened or read).
pub fn read_failure_class(error: &ReadError) -> &'static str {
    if error.is::<super::feed::FeedError>() {
        "not a feed"
    } else if error.is::<super::sitemap::SitemapError>() {
        "not a sitemap"
    } else {
        "unreadable"
    }
}

/// The units of one source, opened one at a time as the fold reaches them,
/// and the validators to remember when the batch lands.
pub struct Batch {
    pub units: Box<dyn Iterator<Item = Result<Box<dyn Unit>, ReadError>> + Send>,
    pub validators: Validators,
    /// Pages the source's `max_pages` left for the next cycle.
    pub waiting: usize,
    /// The documents the source's document leads to (the sitemaps an
    /// index lists) that answered `304`: their pages were read before.
    pub unchanged: usize,
    /// Every document the source's document leads to answered `304`:
    /// nothing is new, as when its own document answers `304`.
    pub not_modified: bool,
    /// The validators to keep for the documents the source's document
    /// leads to, in place of those kept before.
    pub documents: DocumentValidators,
}

impl Batch {
    /// A batch of the units `units` yields.
    pub fn new(
        units: impl Iterator<Item = Result<Box<dyn Unit>, ReadError>> + Send + 'static,
    ) -> Batch {
        Batch {
            units: Box::new(units),
            validators: Validators::default(),
            waiting: 0,
            unchanged: 0,
            not_modified: false,
            documents: DocumentValidators::default(),
        }
    }
}

/// One file, document or request: a stream of articles folded in a
/// savepoint of its own, so an error anywhere in it discards all of it.
pub trait Unit: Iterator<Item = Result<Article, ReadError>> + Send {
    /// The file being read and its size, for progress; `None` for
    /// documents and requests held in memory.
    fn file(&self) -> Option<(&Path, u64)> {
        None
    }

    /// Bytes read so far.
    fn bytes_read(&self) -> u64;

    /// Repeated lines folded away so far (dumps).
    fn repeats_folded(&self) -> usize {
        0
    }

    /// The site and page the article last yielded was read from, when it
    /// was read from an HTML page.
    fn site_page(&self) -> Option<&SitePage> {
        None
    }

    /// The pages to remember as fetched once the unit lands.
    fn remembered(&self) -> &[SeenPage] {
        &[]
    }

    /// Entries read but left out because the store has them as they are
    /// (a full-text feed's entries whose pages were read before): they
    /// count as read and already known.
    fn left_known(&self) -> usize {
        0
    }

    /// Whether the unit read its document whole. One that broke off (a
    /// transfer cut short) is read as far as it goes, but the validators
    /// of its response are not kept, so the next fetch gets it whole
    /// instead of a `304`.
    fn complete(&self) -> bool {
        true
    }
}

/// A unit of articles already in memory (a parsed document, a request,
/// fetched pages).
pub struct ArticlesUnit {
    articles: std::vec::IntoIter<(Article, Option<SitePage>)>,
    current: Option<SitePage>,
    bytes: u64,
    remembered: Vec<SeenPage>,
    left_known: usize,
}

impl ArticlesUnit {
    /// The unit of `articles`, read from `bytes` bytes of input.
    pub fn new(articles: Vec<Article>, bytes: u64) -> ArticlesUnit {
        ArticlesUnit::of_pages(
            articles.into_iter().map(|a| (a, None)).collect(),
            bytes,
            Vec::new(),
        )
    }

    /// The unit of `articles`, each with the page it was read from if it
    /// was, read from `bytes` bytes, that remembers `remembered` when it
    /// lands.
    pub fn of_pages(
        articles: Vec<(Article, Option<SitePage>)>,
        bytes: u64,
        remembered: Vec<SeenPage>,
    ) -> ArticlesUnit {
        ArticlesUnit {
            articles: articles.into_iter(),
            current: None,
            bytes,
            remembered,
            left_known: 0,
        }
    }

    /// The unit, counting `known` entries left out because the store has
    /// them ([`Unit::left_known`]).
    pub fn with_known(self, known: usize) -> ArticlesUnit {
        ArticlesUnit {
            left_known: known,
            ..self
        }
    }
}

impl Iterator for ArticlesUnit {
    type Item = Result<Article, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        let (article, page) = self.articles.next()?;
        self.current = page;
        Some(Ok(article))
    }
}

impl Unit for ArticlesUnit {
    fn bytes_read(&self) -> u64 {
        self.bytes
    }

    fn site_page(&self) -> Option<&SitePage> {
        self.current.as_ref()
    }

    fn remembered(&self) -> &[SeenPage] {
        &self.remembered
    }

    fn left_known(&self) -> usize {
        self.left_known
    }
}

/// The source a `[[source]]` declares; `folder` is the config file's folder,
/// against which the places of its files are recorded.
pub fn from_config(config: &SourceConfig, folder: &Path) -> Box<dyn Source> {
    match &config.kind {
        SourceKind::Text(pattern) => Box::new(DumpFiles::new(&config.name, pattern, folder)),
        SourceKind::Feed {
            location,
            full_text,
        } => Box::new(FeedDocument::new(
            &config.name,
            location,
            document_place(location, folder),
            *full_text,
        )),
        SourceKind::Pages(pattern) => Box::new(PageFiles::new(&config.name, pattern, folder)),
        SourceKind::Sitemap {
            location,
            max_pages,
        } => Box::new(SitemapPages::new(
            &config.name,
            location,
            document_place(location, folder),
            *max_pages,
        )),
    }
}

/// Where the articles of a feed or sitemap document were seen and its
/// fetch state is kept: its URL, or its file's place against the config
/// file's `folder` (as a dump file's), whichever folder feedfold runs from.
fn document_place(location: &FeedLocation, folder: &Path) -> String {
    match location {
        FeedLocation::Url(url) => url.clone(),
        FeedLocation::File(path) => file_location(path, folder),
    }
}

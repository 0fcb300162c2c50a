//! The sitemap source: a sitemap (or a sitemap index, or a Google News
//! sitemap) by URL or file; the pages it lists that the source has not
//! fetched before are fetched, newest first, at most `max_pages` a cycle,
//! and each becomes a unit of one article that remembers its page when it
//! lands. A page that fails for good (missing, no article) is remembered
//! too, with a warning; one that may yet work (unreachable, busy) is tried
//! again next cycle.

use super::fetch::{Document, FetchError, Fetched};
use super::page_fetch::PageFetcher;
use super::sitemap::{self, Sitemap, SitemapPage};
use super::source::{
    ArticlesUnit, Batch, Counting, GatherContext, GatherError, Gathered, Gathering, ReadError,
    SeenPage, Source, Unit,
};
use crate::config::FeedLocation;

/// Sitemaps read from one index, at most.
pub const MAX_SITEMAPS: usize = 50;

/// A `sitemap = "…"` source.
pub struct SitemapPages {
    name: String,
    location: FeedLocation,
    max_pages: usize,
}

impl SitemapPages {
    pub fn new(name: &str, location: &FeedLocation, max_pages: usize) -> SitemapPages {
        SitemapPages {
            name: name.to_string(),
            location: location.clone(),
            max_pages,
        }
    }
}

impl Source for SitemapPages {
    fn name(&self) -> &str {
        &self.name
    }

    fn counting(&self) -> Counting {
        Counting::Entries
    }

    fn fetches_from(&self) -> Option<String> {
        Some(self.location.to_string())
    }

    fn gather(self: Box<Self>, context: GatherContext) -> Gathering {
        Box::pin(async move {
            let location = self.location.to_string();
            // No conditional GET: pages left for a later cycle are listed
            // in a sitemap that has not changed.
            let fetched = match &self.location {
                FeedLocation::Url(url) => context
                    .fetcher
                    .fetch(url, &Default::default())
                    .await
                    .and_then(|fetched| match fetched {
                        Fetched::Document(document) => Ok(document),
                        Fetched::NotModified => Err(FetchError::Read("HTTP 304 unasked".into())),
                    }),
                FeedLocation::File(path) => context.fetcher.read_file(path),
            };
            let document = match fetched {
                Ok(document) => document,
                Err(cause) => return Gathered::Failed(GatherError { location, cause }),
            };
            let pages = match listed_pages(&context.pages, &self.name, &location, &document).await {
                Ok(pages) => pages,
                Err(e) => {
                    return Gathered::Batch(Batch::new(std::iter::once(Err(ReadError::from(e)))));
                }
            };
            let urls: Vec<String> = pages.iter().map(|p| p.url.clone()).collect();
            let seen = context.pages_seen(&self.name, urls).await;
            let wanted =
                sitemap::newest_unseen(pages, |url| seen.contains_key(url), self.max_pages);
            let units = fetch_units(&context.pages, &self.name, &location, wanted).await;
            Gathered::Batch(Batch::new(units.into_iter().map(Ok)))
        })
    }
}

/// Every page the sitemap lists; an index's sitemaps are fetched (at most
/// [`MAX_SITEMAPS`], one level deep), and one that fails is skipped with a
/// warning.
async fn listed_pages(
    pages: &PageFetcher,
    source: &str,
    location: &str,
    document: &Document,
) -> Result<Vec<SitemapPage>, sitemap::SitemapError> {
    let read = sitemap::read(&document.body, location)?;
    warn_left_out(source, location, &read);
    let children = match read.sitemap {
        Sitemap::Pages(listed) => return Ok(listed),
        Sitemap::Index(children) => children,
    };
    if children.len() > MAX_SITEMAPS {
        tracing::warn!(source = %source, "{location}: only the first {MAX_SITEMAPS} of {} sitemaps are read", children.len());
    }
    let mut listed = Vec::new();
    for child in children.iter().take(MAX_SITEMAPS) {
        let read = match pages.document(child, location).await {
            Ok(document) => sitemap::read(&document.body, child).map_err(|e| e.to_string()),
            Err(cause) => Err(format!("{child}: {cause}")),
        };
        match read {
            Ok(read) => {
                warn_left_out(source, child, &read);
                match read.sitemap {
                    Sitemap::Pages(found) => listed.extend(found),
                    Sitemap::Index(_) => {
                        tracing::warn!(source = %source, "{child}: an index inside an index is not read");
                    }
                }
            }
            Err(message) => tracing::warn!(source = %source, "{message}"),
        }
    }
    Ok(listed)
}

/// Warns of what a sitemap left out: entries it could not take, and the
/// rest of a document cut short.
fn warn_left_out(source: &str, location: &str, read: &sitemap::Read) {
    if read.skipped > 0 {
        tracing::warn!(source = %source, "{location}: {} entries without an http(s) URL, or past {} entries, left out", read.skipped, sitemap::MAX_ENTRIES);
    }
    if let Some((offset, open)) = &read.cut {
        tracing::warn!(source = %source, "{location}: the document breaks off at byte {offset}, inside <{open}>; the whole entries before it are read");
    }
}

/// Fetches `wanted` and makes a unit of each page: its article, or nothing
/// but the page to remember when it failed for good.
async fn fetch_units(
    pages: &PageFetcher,
    source: &str,
    location: &str,
    wanted: Vec<SitemapPage>,
) -> Vec<Box<dyn Unit>> {
    let urls: Vec<String> = wanted.iter().map(|p| p.url.clone()).collect();
    let fetched = pages.pages(&urls, location).await;
    let mut units: Vec<Box<dyn Unit>> = Vec::new();
    for (listed, answer) in wanted.into_iter().zip(fetched) {
        let remembered = vec![SeenPage {
            url: listed.url.clone(),
            version: String::new(),
        }];
        match answer {
            Ok(page) => {
                let mut article = page.article;
                if article.published.is_none() {
                    article.published = listed.published;
                }
                units.push(Box::new(ArticlesUnit::of_pages(
                    vec![(article, Some(page.site_page))],
                    page.bytes,
                    remembered,
                )));
            }
            Err(failure) if failure.is_passing() => {
                tracing::warn!(source = %source, "{failure}; tried again next cycle");
            }
            Err(failure) => {
                tracing::warn!(source = %source, "{failure}");
                units.push(Box::new(ArticlesUnit::of_pages(Vec::new(), 0, remembered)));
            }
        }
    }
    units
}

//! The feed source: one RSS, Atom or JSON Feed document, fetched by URL
//! (conditionally, with the validators of the last good fetch) or read from
//! a local file, and parsed into one unit of entries when the fold reaches
//! it.

use super::feed::parse_feed;
use super::fetch::{Document, Fetched};
use super::source::{
    ArticlesUnit, Batch, Counting, GatherContext, GatherError, Gathered, Gathering, ReadError,
    Source, Unit,
};
use crate::config::FeedLocation;

/// A `feed = "…"` source.
pub struct FeedDocument {
    name: String,
    location: FeedLocation,
}

impl FeedDocument {
    pub fn new(name: &str, location: &FeedLocation) -> FeedDocument {
        FeedDocument {
            name: name.to_string(),
            location: location.clone(),
        }
    }
}

impl Source for FeedDocument {
    fn name(&self) -> &str {
        &self.name
    }

    fn counting(&self) -> Counting {
        Counting::Entries
    }

    fn fetches(&self) -> bool {
        true
    }

    fn gather(self: Box<Self>, context: GatherContext) -> Gathering {
        Box::pin(async move {
            let fetched = match &self.location {
                FeedLocation::Url(url) => context.fetcher.fetch(url, &context.validators).await,
                FeedLocation::File(path) => context.fetcher.read_file(path).map(Fetched::Document),
            };
            match fetched {
                Ok(Fetched::NotModified) => Gathered::NotModified,
                Ok(Fetched::Document(document)) => {
                    let validators = document.validators.clone();
                    let name = self.name;
                    let unit = std::iter::once(Ok(Box::new(DocumentUnit::Fetched {
                        source: name,
                        document,
                    }) as Box<dyn Unit>));
                    Gathered::Batch(Batch {
                        validators,
                        ..Batch::new(unit)
                    })
                }
                Err(cause) => Gathered::Failed(GatherError {
                    location: self.location.to_string(),
                    cause,
                }),
            }
        })
    }
}

/// The fetched document, parsed when its first entry is asked for.
enum DocumentUnit {
    Fetched { source: String, document: Document },
    Parsed(ArticlesUnit),
    Failed,
}

impl Iterator for DocumentUnit {
    type Item = Result<crate::model::Article, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let DocumentUnit::Fetched { source, document } = self {
            match parse_feed(&document.body, document.charset.as_deref(), &document.url) {
                Ok(feed) => {
                    for warning in &feed.warnings {
                        let shown = crate::redact::urls_in(&document.url);
                        tracing::warn!(source = %source, "{shown}: {warning}");
                    }
                    let bytes = document.body.len() as u64;
                    *self = DocumentUnit::Parsed(ArticlesUnit::new(feed.articles, bytes));
                }
                Err(e) => {
                    *self = DocumentUnit::Failed;
                    return Some(Err(ReadError::from(e)));
                }
            }
        }
        match self {
            DocumentUnit::Parsed(articles) => articles.next(),
            DocumentUnit::Fetched { .. } | DocumentUnit::Failed => None,
        }
    }
}

impl Unit for DocumentUnit {
    fn bytes_read(&self) -> u64 {
        match self {
            DocumentUnit::Fetched { document, .. } => document.body.len() as u64,
            DocumentUnit::Parsed(articles) => articles.bytes_read(),
            DocumentUnit::Failed => 0,
        }
    }
}

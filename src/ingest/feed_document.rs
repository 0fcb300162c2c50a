//! The feed source: one RSS, Atom or JSON Feed document, fetched by URL
//! (conditionally, with the validators of the last good fetch) or read from
//! a local file, and parsed into one unit of entries when the fold reaches
//! it. With `full_text`, the document is parsed as soon as it arrives and
//! its new entries are completed from their pages ([`super::full_text`]).

use super::feed::{FeedError, ParsedFeed, parse_feed};
use super::fetch::{Document, Fetched, Validators};
use super::full_text;
use super::source::{
    ArticlesUnit, Batch, Counting, GatherContext, GatherError, Gathered, Gathering, ReadError,
    Source, Unit,
};
use crate::config::FeedLocation;
use crate::model::Article;

/// A `feed = "…"` source.
pub struct FeedDocument {
    name: String,
    location: FeedLocation,
    /// Where its entries are seen: the URL, or the file's place.
    place: String,
    full_text: bool,
}

impl FeedDocument {
    pub fn new(
        name: &str,
        location: &FeedLocation,
        place: String,
        full_text: bool,
    ) -> FeedDocument {
        FeedDocument {
            name: name.to_string(),
            location: location.clone(),
            place,
            full_text,
        }
    }
}

/// The document's entries completed from their pages, as one unit, and
/// whether it must be read again in full next cycle: it broke off
/// ([`ParsedFeed::truncated`](super::feed::ParsedFeed::truncated)), its
/// transfer was cut short ([`Document::cut_short`]), or a
/// page of its is to be tried again.
async fn completed_unit(
    context: &GatherContext,
    source: &str,
    location: &str,
    document: &Document,
) -> Result<(Box<dyn Unit>, bool), ReadError> {
    let feed = parse(document)?;
    for warning in &feed.warnings {
        let shown = crate::redact::urls_in(&document.url);
        tracing::warn!(source = %source, "{shown}: {warning}");
    }
    let articles = sighted_at(feed.articles, location, document);
    let completed = full_text::complete(context, source, location, articles).await;
    let unit = ArticlesUnit::of_pages(
        completed.articles,
        document.body.len() as u64,
        completed.remembered,
    )
    .with_known(completed.known);
    let cut_short = document.cut_short.is_some();
    Ok((
        Box::new(unit),
        feed.truncated || cut_short || completed.retry,
    ))
}

/// The feed `document` holds, read; when it cannot be, and its transfer
/// was cut short, the cut is the cause ([`CutShortUnreadable`]).
fn parse(document: &Document) -> Result<ParsedFeed, ReadError> {
    parse_feed(&document.body, document.charset.as_deref(), &document.url).map_err(|e| {
        match &document.cut_short {
            Some(cut_short) => Box::new(CutShortUnreadable {
                cut_short: cut_short.clone(),
                unread: e,
            }) as ReadError,
            None => ReadError::from(e),
        }
    })
}

/// A feed document that cannot be read as far as it came, its transfer
/// having been cut short before its first whole entry: the network or the
/// server is to blame, not the document, and what the reader found wrong
/// with what came follows.
#[derive(Debug, thiserror::Error)]
#[error("{}: {cut_short}; what came cannot be read: {}", unread.location, unread.kind)]
struct CutShortUnreadable {
    /// Why the transfer ended early ([`Document::cut_short`]).
    cut_short: String,
    unread: FeedError,
}

impl FeedDocument {
    fn warn_if_moved(&self, answered: &str, temporarily_redirected: bool) {
        warn_if_moved(
            &self.name,
            &self.location,
            &self.place,
            "feed",
            answered,
            temporarily_redirected,
        );
    }
}

/// Warns that the document of source `name`, configured as `key` at
/// `location` (shown as `place`), moved, when only permanent redirects led
/// from its URL to `answered`, whether that sent the document or a 304:
/// the operator's to act on, so `run --quiet` shows it, as it does a
/// missing drop folder.
pub(crate) fn warn_if_moved(
    name: &str,
    location: &FeedLocation,
    place: &str,
    key: &str,
    answered: &str,
    temporarily_redirected: bool,
) {
    if let FeedLocation::Url(asked) = location
        && moved_permanently(asked, answered, temporarily_redirected)
    {
        tracing::warn!(
            target: "feedfold::sources",
            source = %name,
            "{}",
            moved_warning(place, key, answered),
        );
    }
}

/// What the warning that the document configured as `key` at `place`
/// moved to `answered` says: the old URL redacted, the new one as the
/// operator must copy it ([`crate::redact::url_to_copy`]), and, when
/// that hides values that may be credentials, that they are to be filled
/// in.
fn moved_warning(place: &str, key: &str, answered: &str) -> String {
    let new_url = crate::redact::url_to_copy(answered);
    let hidden = crate::redact::HIDDEN;
    let fill_in = if new_url.contains(hidden) {
        format!(" (the values shown as {hidden} may be credentials: fill them in)")
    } else {
        String::new()
    };
    format!(
        "{}: moved permanently to {new_url}: put the new URL in the source's `{key}` in the config{fill_in}",
        crate::redact::urls_in(place),
    )
}

impl Source for FeedDocument {
    fn name(&self) -> &str {
        &self.name
    }

    fn counting(&self) -> Counting {
        Counting::Entries
    }

    fn fetches_from(&self) -> Option<String> {
        Some(self.place.clone())
    }

    fn gather(self: Box<Self>, context: GatherContext) -> Gathering {
        Box::pin(async move {
            match context.document(&self.location, &self.place).await {
                Ok(Fetched::NotModified(unchanged)) => {
                    self.warn_if_moved(&unchanged.url, unchanged.temporarily_redirected);
                    Gathered::NotModified(unchanged.validators)
                }
                Ok(Fetched::Document(document)) => {
                    document.warn_if_cut_short(&self.name);
                    self.warn_if_moved(&document.url, document.temporarily_redirected);
                    let mut validators = document.validators.clone();
                    let unit = if self.full_text {
                        completed_unit(&context, &self.name, &self.place, &document)
                            .await
                            .map(|(unit, read_again)| {
                                if read_again {
                                    validators = Validators::default();
                                }
                                unit
                            })
                    } else {
                        Ok(Box::new(DocumentUnit::Fetched {
                            source: self.name,
                            place: self.place,
                            document,
                        }) as Box<dyn Unit>)
                    };
                    Gathered::Batch(Batch {
                        validators,
                        ..Batch::new(std::iter::once(unit))
                    })
                }
                Err(cause) => Gathered::Failed(GatherError {
                    location: self.place,
                    cause,
                }),
            }
        })
    }
}

/// Whether the feed asked for at `asked` moved to `answered`, where the
/// answer came from: only permanent redirects (301, 308) led there, so the
/// operator should put that URL in the config, as a reader updates its
/// subscription. Not when no redirect came, or a temporary one did (the
/// feed may answer at its own URL next time).
fn moved_permanently(asked: &str, answered: &str, temporarily_redirected: bool) -> bool {
    let same = match (url::Url::parse(asked), url::Url::parse(answered)) {
        (Ok(asked), Ok(answered)) => asked == answered,
        _ => asked == answered,
    };
    !same && !temporarily_redirected
}

/// The entries of a document fetched at `place`, each sighted where the
/// feed stands: at `place` when a temporary redirect led to the URL that
/// answered (a signed URL that changes on every fetch), which does not
/// move the feed; else at the URL that answered.
fn sighted_at(mut articles: Vec<Article>, place: &str, document: &Document) -> Vec<Article> {
    if document.temporarily_redirected {
        for article in &mut articles {
            article.origin.location = place.to_string();
        }
    }
    articles
}

/// The fetched document, parsed when its first entry is asked for.
enum DocumentUnit {
    Fetched {
        source: String,
        /// The URL the document was asked at ([`sighted_at`]).
        place: String,
        document: Document,
    },
    Parsed {
        articles: ArticlesUnit,
        truncated: bool,
    },
    Failed,
}

impl Iterator for DocumentUnit {
    type Item = Result<crate::model::Article, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let DocumentUnit::Fetched {
            source,
            place,
            document,
        } = self
        {
            match parse(document) {
                Ok(feed) => {
                    for warning in &feed.warnings {
                        let shown = crate::redact::urls_in(&document.url);
                        tracing::warn!(source = %source, "{shown}: {warning}");
                    }
                    let bytes = document.body.len() as u64;
                    *self = DocumentUnit::Parsed {
                        articles: ArticlesUnit::new(
                            sighted_at(feed.articles, place, document),
                            bytes,
                        ),
                        truncated: feed.truncated || document.cut_short.is_some(),
                    };
                }
                Err(e) => {
                    *self = DocumentUnit::Failed;
                    return Some(Err(e));
                }
            }
        }
        match self {
            DocumentUnit::Parsed { articles, .. } => articles.next(),
            DocumentUnit::Fetched { .. } | DocumentUnit::Failed => None,
        }
    }
}

impl Unit for DocumentUnit {
    fn bytes_read(&self) -> u64 {
        match self {
            DocumentUnit::Fetched { document, .. } => document.body.len() as u64,
            DocumentUnit::Parsed { articles, .. } => articles.bytes_read(),
            DocumentUnit::Failed => 0,
        }
    }

    fn complete(&self) -> bool {
        !matches!(
            self,
            DocumentUnit::Parsed {
                truncated: true,
                ..
            }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_fetched_through_a_temporary_redirect_are_sighted_at_the_feeds_url() {
        let asked = "https://news.example/feed.xml";
        let signed = "https://bucket.example/feed.xml?X-Amz-Signature=0a1b";
        let document = |temporarily_redirected| Document {
            body: Vec::new(),
            charset: None,
            url: signed.to_string(),
            temporarily_redirected,
            validators: Validators::default(),
            cut_short: None,
        };
        let read = || {
            let mut article = Article::default();
            article.origin.location = signed.to_string();
            vec![article]
        };
        let place = |redirected| {
            sighted_at(read(), asked, &document(redirected))[0]
                .origin
                .location
                .clone()
        };
        assert_eq!(place(true), asked);
        // Permanent redirects alone: the feed moved, and is read where it is.
        assert_eq!(place(false), signed);
    }

    #[test]
    fn a_feed_cut_short_before_its_first_entry_fails_for_the_cut() {
        let document = Document {
            body: b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>W</title>\n<item><title>Ferry timetable</title><description>The board app".to_vec(),
            charset: None,
            url: "https://wire.example/rss".to_string(),
            temporarily_redirected: false,
            validators: Validators::default(),
            cut_short: Some("the transfer was cut short after 120 bytes (connection reset)".to_string()),
        };
        let failure = parse(&document).unwrap_err();
        let said = failure.to_string();
        assert!(
            said.starts_with("https://wire.example/rss: the transfer was cut short after 120 bytes (connection reset); what came cannot be read: malformed XML at line 2"),
            "{said}"
        );
        assert_eq!(
            super::super::source::read_failure_class(&failure),
            "unreadable"
        );
        let whole = Document {
            cut_short: None,
            ..document
        };
        let said = parse(&whole).unwrap_err().to_string();
        assert!(
            said.starts_with("https://wire.example/rss: malformed XML"),
            "{said}"
        );
    }

    #[test]
    fn a_feed_moved_by_permanent_redirects_only_has_moved() {
        let asked = "https://news.example/rss";
        let moved = "https://feeds.news.example/all.xml";
        assert!(moved_permanently(asked, moved, false));
        // A temporary redirect on the way: the feed may answer itself next time.
        assert!(!moved_permanently(asked, moved, true));
        // No redirect; the same URL written another way.
        assert!(!moved_permanently(asked, asked, false));
        assert!(!moved_permanently(
            "https://news.example",
            "https://news.example/",
            false
        ));
    }

    #[test]
    fn a_feed_that_moved_is_named_by_a_new_url_to_copy() {
        // The query that says which feed it is comes whole.
        assert_eq!(
            moved_warning(
                "http://blog.example/?feed=rss2",
                "feed",
                "http://blog.example/blog/?feed=rss2&cat=3"
            ),
            "http://blog.example/?feed=***: moved permanently to \
             http://blog.example/blog/?feed=rss2&cat=3: put the new URL in the source's `feed` in the config"
        );
        // A credential is not shown, and the operator is told to fill it in.
        assert_eq!(
            moved_warning(
                "https://api.example/v1/feed?token=s3cret",
                "sitemap",
                "https://api.example/v2/feed?token=s3cret&format=rss"
            ),
            "https://api.example/v1/feed?token=***: moved permanently to \
             https://api.example/v2/feed?token=***&format=rss: put the new URL in the source's `sitemap` \
             in the config (the values shown as *** may be credentials: fill them in)"
        );
    }
}

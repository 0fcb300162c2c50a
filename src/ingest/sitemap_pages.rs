//! The sitemap source: a sitemap (or a sitemap index, or a Google News
//! sitemap) by URL or file; the pages it lists that the source has not
//! fetched before are fetched, newest first, at most `max_pages` a cycle,
//! and each becomes a unit of one article that remembers its page when it
//! lands. A page that fails for good (missing, too large, a redirect loop,
//! binary, no article) is remembered
//! too, with a warning; one that may yet work (unreachable, busy) is
//! remembered as failed and tried again in a later cycle, after the pages
//! never tried, so that pages that keep failing hold back no others. A
//! sitemap read whole whose pages were all read is asked for
//! conditionally next time, an index's sitemaps each on their own. A page
//! fetched again because its `lastmod` moved on is asked for conditionally
//! too, with the validators its last full fetch gave: a `304` counts it as
//! read and known, remembered at its new `lastmod`.

use std::collections::{HashMap, HashSet};

use super::date::page_date_over;
use super::feed::{link_key, same_text, shared};
use super::feed_document::warn_if_moved;
use super::fetch::{Document, Fetched, Validators};
use super::fetch_state::location_key;
use super::listed_pages::ListedPages;
use super::page_fetch::{PageAnswer, PageFetcher, Wanted};
use super::sitemap::{self, Sitemap, SitemapPage, Tried};
use super::source::{
    ArticlesUnit, Batch, Counting, GatherContext, GatherError, Gathered, Gathering, PageVersion,
    ReadError, SeenPage, Source, Unit,
};
use thiserror::Error;

use crate::config::FeedLocation;
use crate::model::{Article, rfc3339};
use crate::normalize::canonical_url;

/// Sitemaps read from one index, at most.
pub const MAX_SITEMAPS: usize = 50;

/// Pages the store is asked about at once, of those the sitemaps list.
const SEEN_SHARE: usize = 10_000;

/// The version a page that failed in a way that may pass is remembered at:
/// it is fetched again, after the pages never tried.
const FAILED: &str = "failed";

/// A `sitemap = "…"` source.
pub struct SitemapPages {
    name: String,
    location: FeedLocation,
    /// The URL, or the file's place.
    place: String,
    max_pages: usize,
}

impl SitemapPages {
    pub fn new(
        name: &str,
        location: &FeedLocation,
        place: String,
        max_pages: usize,
    ) -> SitemapPages {
        SitemapPages {
            name: name.to_string(),
            location: location.clone(),
            place,
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
        Some(self.place.clone())
    }

    fn gather(self: Box<Self>, context: GatherContext) -> Gathering {
        Box::pin(async move {
            let location = self.place.clone();
            let moved = |answered: &str, temporarily: bool| {
                warn_if_moved(
                    &self.name,
                    &self.location,
                    &self.place,
                    "sitemap",
                    answered,
                    temporarily,
                )
            };
            let document = match context.document(&self.location, &self.place).await {
                Ok(Fetched::Document(document)) => {
                    moved(&document.url, document.temporarily_redirected);
                    document
                }
                Ok(Fetched::NotModified(unchanged)) => {
                    moved(&unchanged.url, unchanged.temporarily_redirected);
                    return Gathered::NotModified(unchanged.validators);
                }
                Err(cause) => return Gathered::Failed(GatherError { location, cause }),
            };
            document.warn_if_cut_short(&self.name);
            let listed = match listed_pages(&context, &self.name, &location, &document).await {
                Ok(listed) => listed,
                Err(e) => return Gathered::Batch(Batch::new(std::iter::once(Err(e)))),
            };
            let mut pages = listed.pages;
            pages.merge();
            let mut tried = Vec::new();
            let firsts: Vec<u32> = pages.pages().collect();
            // Asked of the store a share at a time: what it remembers of
            // every page listed is not held at once.
            for share in firsts.chunks(SEEN_SHARE) {
                let urls = share.iter().map(|at| pages.url(*at).to_string()).collect();
                let seen = context.pages_seen(&self.name, urls).await;
                tried.extend(share.iter().map(|at| {
                    let tried = match seen.get(pages.url(*at)).map(|p| p.version.as_str()) {
                        None => Tried::Not,
                        Some(FAILED) => Tried::Failed,
                        Some(read) if changed_since(&pages.page(*at), read) => Tried::Changed,
                        Some(_) => Tried::Read,
                    };
                    (*at, tried)
                }));
            }
            let listed_once = firsts.len();
            drop(firsts);
            let wanted = pages.newest_unseen(tried);
            // The pages listed and read at their current version: read, and
            // already known, as a full-text feed's entries read before.
            let known = listed_once - wanted.len();
            let fetched = &wanted[..wanted.len().min(self.max_pages)];
            let waiting = wanted.len() - fetched.len();
            let fetch: Vec<SitemapPage> = fetched.iter().map(|at| pages.page(*at)).collect();
            let urls = fetch.iter().map(|p| p.url.clone()).collect();
            let seen = context.pages_seen(&self.name, urls).await;
            let (mut units, retried) =
                fetch_units(&context.pages, &self.name, &location, fetch, &seen).await;
            if known > 0 {
                units.push(Box::new(
                    ArticlesUnit::of_pages(Vec::new(), 0, Vec::new()).with_known(known),
                ));
            }
            // The pages listed that are still to read after this cycle, by
            // their first listing: left for later, or to be tried again.
            let mut unread = vec![false; pages.position() as usize];
            for at in &wanted[fetched.len()..] {
                unread[*at as usize] = true;
            }
            for at in fetched {
                if retried.contains(pages.url(*at)) {
                    unread[*at as usize] = true;
                }
            }
            let unread = |at: u32| unread[pages.first(at) as usize];
            // A `304` must mean that nothing is left to fetch: the
            // validators of a sitemap are kept only when it was read whole
            // and every page it lists was read; an index's never are (its
            // sitemaps may change while it does not), but those of each
            // sitemap it lists are, on the same terms.
            let nothing_unread = !(0..pages.position()).any(unread);
            let validators = if listed.whole && nothing_unread && !listed.from_index {
                document.validators
            } else {
                Validators::default()
            };
            let documents = listed
                .sitemaps
                .into_iter()
                .filter_map(|sitemap| sitemap.kept(unread))
                .collect();
            Gathered::Batch(Batch {
                validators,
                waiting,
                unchanged: listed.unchanged,
                not_modified: listed.not_modified,
                documents,
                ..Batch::new(units.into_iter().map(Ok))
            })
        })
    }
}

/// The pages a sitemap lists, whether it is an index, whether its own
/// document was read whole (did not break off), and what came of each
/// sitemap an index lists: how many answered `304`, and whether every one
/// did.
struct Listed {
    pages: ListedPages,
    from_index: bool,
    whole: bool,
    sitemaps: Vec<ListedDocument>,
    unchanged: usize,
    not_modified: bool,
}

/// A sitemap an index lists, for the validators kept for it: under the
/// [`location_key`] of its URL.
struct ListedDocument {
    key: String,
    answer: Answer,
}

/// How a sitemap an index lists answered this cycle.
enum Answer {
    /// `304`, with the validators kept for it as the 304 updated them; or
    /// it could not be fetched, and keeps those kept before (the pages of
    /// the version they stand for were all read).
    Unchanged(Validators),
    /// Fetched and read: its validators, whether it was read whole, and
    /// the listings of its pages (positions in [`ListedPages`]).
    Read {
        validators: Validators,
        whole: bool,
        listings: std::ops::Range<u32>,
    },
}

impl ListedDocument {
    /// The validators to keep for this sitemap once the pages whose
    /// listings are `unread` are all that is left to read: those of a
    /// sitemap fetched now only when it was read whole and none of its
    /// pages is among them.
    fn kept(self, unread: impl Fn(u32) -> bool) -> Option<(String, Validators)> {
        let validators = match self.answer {
            Answer::Unchanged(validators) => validators,
            Answer::Read {
                validators,
                whole,
                mut listings,
            } => {
                if !whole || listings.any(unread) {
                    return None;
                }
                validators
            }
        };
        (!validators.are_none()).then_some((self.key, validators))
    }
}

/// An index none of whose sitemaps could be read: the source read nothing.
#[derive(Debug, Error)]
#[error("{location}: {}", unread(*.tried, .first))]
pub struct NoSitemapRead {
    location: String,
    tried: usize,
    first: String,
}

/// That none of an index's `tried` sitemaps could be read, as said of one
/// and of several, and why the `first` could not.
fn unread(tried: usize, first: &str) -> String {
    match tried {
        1 => format!("the one sitemap it lists could not be read: {first}"),
        _ => {
            format!("none of the {tried} sitemaps it lists could be read; the first tried: {first}")
        }
    }
}

/// Every page the sitemap lists; an index's sitemaps are fetched (at most
/// [`MAX_SITEMAPS`], the newest first, one level deep: see
/// [`sitemap::newest_sitemaps`]), each conditionally when validators were
/// kept for it (a `304` lists nothing: its pages were all read), and one
/// that fails is skipped with a warning, unless every one does
/// ([`NoSitemapRead`]).
async fn listed_pages(
    context: &GatherContext,
    source: &str,
    location: &str,
    document: &Document,
) -> Result<Listed, ReadError> {
    let read = read_sitemap(document, location)?;
    warn_left_out(source, location, &read);
    let whole = read.cut.is_none();
    let children = match read.sitemap {
        Sitemap::Pages(found) => {
            let mut pages = ListedPages::default();
            for page in found {
                pages.push(page);
            }
            return Ok(Listed {
                pages,
                from_index: false,
                whole,
                sitemaps: Vec::new(),
                unchanged: 0,
                not_modified: false,
            });
        }
        Sitemap::Index(children) => children,
    };
    if children.len() > MAX_SITEMAPS {
        tracing::warn!(source = %source, "{}", crate::redact::urls_in(&format!("{location}: only the newest {MAX_SITEMAPS} of {} sitemaps are read (by lastmod; undated ones last)", children.len())));
    }
    let newest = sitemap::newest_sitemaps(children, MAX_SITEMAPS);
    let mut listed = ListedPages::default();
    let mut sitemaps = Vec::new();
    let mut failures = Vec::new();
    let mut answered_304 = 0;
    for child in newest.iter().map(|s| s.url.as_str()) {
        let key = location_key(child);
        let kept = context.documents.get(&key).cloned().unwrap_or_default();
        let answer = match context.pages.document(child, location, &kept).await {
            Ok(Fetched::NotModified(unchanged)) => {
                tracing::debug!(source = %source, sitemap = %crate::redact::url(child), "not modified since the last fetch: its pages were read");
                answered_304 += 1;
                sitemaps.push(ListedDocument {
                    key,
                    answer: Answer::Unchanged(kept.updated_by(unchanged.validators)),
                });
                continue;
            }
            Ok(Fetched::Document(document)) => {
                document.warn_if_cut_short(source);
                read_sitemap(&document, child)
                    .map(|read| (read, document.validators))
                    .map_err(|e| e.to_string())
            }
            Err(cause) => {
                sitemaps.push(ListedDocument {
                    key: key.clone(),
                    answer: Answer::Unchanged(kept),
                });
                Err(cause.at(child))
            }
        };
        let failure = match answer {
            Ok((read, validators)) => {
                warn_left_out(source, child, &read);
                let whole = read.cut.is_none();
                match read.sitemap {
                    Sitemap::Pages(found) => {
                        let start = listed.position();
                        for page in found {
                            listed.push(page);
                        }
                        sitemaps.push(ListedDocument {
                            key,
                            answer: Answer::Read {
                                validators,
                                whole,
                                listings: start..listed.position(),
                            },
                        });
                        continue;
                    }
                    Sitemap::Index(_) => format!("{child}: an index inside an index is not read"),
                }
            }
            Err(message) => message,
        };
        tracing::warn!(source = %source, "{}", crate::redact::urls_in(&failure));
        failures.push(failure);
    }
    if !newest.is_empty() && failures.len() == newest.len() {
        return Err(Box::new(NoSitemapRead {
            location: location.to_string(),
            tried: newest.len(),
            first: failures.swap_remove(0),
        }));
    }
    Ok(Listed {
        pages: listed,
        from_index: true,
        whole,
        sitemaps,
        unchanged: answered_304,
        not_modified: answered_304 > 0 && answered_304 == newest.len(),
    })
}

/// Reads the sitemap `document` fetched from (or read at) `location`; one
/// that breaks off before its first whole entry because its transfer was
/// cut short is refused naming why the transfer ended early.
fn read_sitemap(
    document: &Document,
    location: &str,
) -> Result<sitemap::Read, sitemap::SitemapError> {
    sitemap::read(&document.body, document.charset.as_deref(), location)
        .map_err(|e| e.of_transfer_cut(document.cut_short.as_deref()))
}

/// Warns of what a sitemap left out: entries it could not take, dates it
/// could not read, and the rest of a document cut short.
fn warn_left_out(source: &str, location: &str, read: &sitemap::Read) {
    if read.skipped > 0 {
        let entries = crate::plural::count(read.skipped, "entry", "entries");
        tracing::warn!(source = %source, "{}", crate::redact::urls_in(&format!("{location}: {entries} without an http(s) URL, or past {} entries, left out", sitemap::MAX_ENTRIES)));
    }
    if let Some(first) = read.unexpanded.first() {
        let entries = crate::plural::count(read.unexpanded.len(), "entry", "entries");
        tracing::warn!(source = %source, "{}", crate::redact::urls_in(&format!("{location}: {entries} whose <loc> refers to an entity ({first}), which sitemaps never expand, left out")));
    }
    if let Some(warning) = &read.encoding_warning {
        tracing::warn!(source = %source, "{}", crate::redact::urls_in(&format!("{location}: {warning}")));
    }
    for bad in &read.bad_dates {
        tracing::warn!(source = %source, "{}", crate::redact::urls_in(&format!("{location}: {bad}; the entry is read without it")));
    }
    if read.stray_ampersands {
        tracing::warn!(source = %source, "{}", crate::redact::urls_in(&format!("{location}: ampersands that start no reference (`?a=1&b=2`) read as text")));
    }
    if let Some((offset, open)) = &read.cut {
        tracing::warn!(source = %source, "{}", crate::redact::urls_in(&format!("{location}: the document breaks off at byte {offset}, inside <{open}>; the whole entries before it are read")));
    }
    if let Some(malformed) = &read.malformed {
        tracing::warn!(source = %source, "{}", crate::redact::urls_in(&format!("{location}: {malformed}; the whole entries before it are read")));
    }
}

/// Fetches `wanted`, each page read before (`seen`) conditionally with the
/// validators its last full fetch gave, and makes a unit of each page: its
/// article; nothing but the page to remember when it failed; or, when it
/// answered `304`, the page to remember at its new version, counted as
/// known. Answers the units and the URLs of the pages that failed in a way
/// that may pass (tried again next cycle).
async fn fetch_units(
    pages: &PageFetcher,
    source: &str,
    location: &str,
    wanted: Vec<SitemapPage>,
    seen: &HashMap<String, PageVersion>,
) -> (Vec<Box<dyn Unit>>, HashSet<String>) {
    let kept = |url: &str| {
        seen.get(url)
            .map(|read| read.validators.clone())
            .unwrap_or_default()
    };
    let requests: Vec<Wanted> = wanted
        .iter()
        .map(|p| Wanted {
            url: p.url.clone(),
            headline: p.title.clone(),
            site_name: p.publication.clone(),
            validators: kept(&p.url),
        })
        .collect();
    let fetched = pages.pages(&requests, location).await;
    let mut units: Vec<Box<dyn Unit>> = Vec::new();
    let mut found = Vec::new();
    let mut retried = HashSet::new();
    for (listed, answer) in wanted.into_iter().zip(fetched) {
        match answer {
            Ok(PageAnswer::Read(page)) => found.push((listed, *page)),
            Ok(PageAnswer::NotModified(validators)) => {
                tracing::debug!(source = %source, page = %crate::redact::url(&listed.url), "not modified since its last full fetch");
                let version = version_of(&listed);
                units.push(Box::new(
                    ArticlesUnit::of_pages(
                        Vec::new(),
                        0,
                        vec![remembered(&listed, &version, validators)],
                    )
                    .with_known(1),
                ));
            }
            Err(failure) => {
                let version = if failure.is_passing() {
                    retried.insert(listed.url.clone());
                    failure.warn(
                        source,
                        &format!("{failure}; tried again after the pages not tried yet"),
                    );
                    FAILED.to_string()
                } else {
                    failure.warn(source, &failure.to_string());
                    version_of(&listed)
                };
                // The page's stored text is still its last full fetch's.
                let validators = kept(&listed.url);
                units.push(Box::new(ArticlesUnit::of_pages(
                    Vec::new(),
                    0,
                    vec![remembered(&listed, &version, validators)],
                )));
            }
        }
    }
    let mut articles: Vec<Article> = found
        .iter_mut()
        .map(|(_, page)| std::mem::take(&mut page.article))
        .collect();
    let page_urls: Vec<String> = found.iter().map(|(listed, _)| listed.url.clone()).collect();
    for link in own_links_where_shared(&mut articles, &page_urls) {
        tracing::warn!(source = %source, "{}", crate::redact::urls_in(&format!("pages of {location} give the same link {link} but not the same text: each keeps its own URL")));
    }
    for ((listed, page), article) in found.into_iter().zip(articles) {
        units.push(Box::new(ArticlesUnit::of_pages(
            vec![(
                identified(dated(article, &listed), &listed, &page.landed),
                Some(page.site_page),
            )],
            page.bytes,
            vec![remembered(
                &listed,
                &version_of(&listed),
                page.validators.clone(),
            )],
        )));
    }
    (units, retried)
}

/// `article`, dated as the sitemap dates its page when the page gives no
/// date of its own, or one naming only the day the sitemap's date gives a
/// time of ([`page_date_over`]): published at `news:publication_date`, else `lastmod`,
/// and updated at `lastmod`, so that a page read again because it changed
/// updates its story at the time the sitemap says it changed, not at the
/// time of the run.
fn dated(mut article: Article, listed: &SitemapPage) -> Article {
    article.published = page_date_over(article.published, listed.date());
    article.updated = page_date_over(article.updated, listed.modified);
    article
}

/// `article`, identified in its source by the URL the sitemap lists it
/// at, as a feed entry without an id is by its link: a page read again
/// because it changed updates the story it gave before, as an edited
/// entry does, whatever its headline and text have become. Only while the
/// page is still the listed one: fetched from where a redirect `landed`
/// (a story merged into another, sent to a related one) it gives another
/// story, which is folded or stored as any page is, never written over
/// the story the listed URL gave. Its text is the page's
/// ([`Article::page_text`]), as a full-text entry's is: read again, it
/// replaces the stored text only if it extends it or is about as long, so
/// that a page now behind a paywall (its lead and a subscription box) or
/// taken down (a "not found" page answering 200) costs no story.
fn identified(mut article: Article, listed: &SitemapPage, landed: &str) -> Article {
    let same =
        |url: &str| canonical_url(url).is_some_and(|c| Some(c) == canonical_url(&listed.url));
    if same(landed) || article.link.as_deref().is_some_and(same) {
        article.upstream_key = Some(listed.url.clone());
        article.page_text = true;
    }
    article
}

/// The version a page read (or failed for good) is remembered at: its
/// `lastmod` in the sitemap, `""` when it gives none.
fn version_of(listed: &SitemapPage) -> String {
    listed.modified.map(rfc3339).unwrap_or_default()
}

/// Whether the sitemap's `lastmod` for `listed` is later than the version
/// the page was `read` at ([`version_of`]; a page read before versions
/// were kept, `""`, counts as read before any). Versions keep whole
/// seconds, so a `lastmod` is compared by its whole seconds too: one
/// written with a fraction (`08:00:00.123Z`, as `toISOString()` writes
/// dates) is not later than itself read.
fn changed_since(listed: &SitemapPage, read: &str) -> bool {
    let Some(modified) = listed.modified else {
        return false;
    };
    match chrono::DateTime::parse_from_rfc3339(read) {
        Ok(read) => chrono::SubsecRound::trunc_subsecs(modified, 0) > read,
        Err(_) => read.is_empty(),
    }
}

/// The page to remember at `version`, with `validators`, once its unit
/// lands: its [`version_of`] for a page read, unchanged or failed for good,
/// [`FAILED`] for one to try again.
fn remembered(listed: &SitemapPage, version: &str, validators: Validators) -> SeenPage {
    SeenPage {
        url: listed.url.clone(),
        version: version.to_string(),
        validators,
    }
}

/// Pages read in one cycle that give the same link (a canonical link to a
/// section page) but not the same text are different stories: each takes
/// its own URL of `urls` as its link, so that none is folded into another
/// by that link. Pages that give the same text too are one page listed
/// twice, and keep it. Answers the links that were shared.
fn own_links_where_shared(articles: &mut [Article], urls: &[String]) -> Vec<String> {
    let mut links = Vec::new();
    for indices in shared(articles, link_key) {
        if same_text(articles, &indices) {
            continue;
        }
        links.extend(articles[indices[0]].link.clone());
        for i in indices {
            articles[i].link = Some(urls[i].clone());
        }
    }
    links
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Block;

    fn page(title: &str, link: &str) -> Article {
        Article {
            title: title.into(),
            body: vec![Block::paragraph(format!("The story of {title}."))],
            link: Some(link.into()),
            ..Article::default()
        }
    }

    #[test]
    fn an_index_of_one_unread_sitemap_says_so_of_one() {
        let error = |tried| NoSitemapRead {
            location: "https://harbour.example/index.xml".into(),
            tried,
            first: "https://harbour.example/a.xml: 404".into(),
        };
        assert_eq!(
            error(1).to_string(),
            "https://harbour.example/index.xml: the one sitemap it lists could not be read: \
             https://harbour.example/a.xml: 404"
        );
        assert!(
            error(3)
                .to_string()
                .contains(": none of the 3 sitemaps it lists could be read; ")
        );
    }

    #[test]
    fn a_listed_sitemaps_validators_are_kept_once_every_page_it_lists_was_read() {
        let tagged = Validators {
            etag: Some("\"v1\"".into()),
            last_modified: None,
        };
        // The sitemap's two pages are the listings 3 and 4 of the index's.
        let read = |validators: &Validators, whole| ListedDocument {
            key: "sitemap-1".into(),
            answer: Answer::Read {
                validators: validators.clone(),
                whole,
                listings: 3..5,
            },
        };
        let kept = Some(("sitemap-1".to_string(), tagged.clone()));
        let all_read = |_| false;
        assert_eq!(read(&tagged, true).kept(all_read), kept);
        assert_eq!(read(&tagged, false).kept(all_read), None, "cut short");
        let waiting = |at| at == 4;
        assert_eq!(read(&tagged, true).kept(waiting), None, "a page waits");
        let another_waits = |at| at == 5;
        assert_eq!(read(&tagged, true).kept(another_waits), kept);
        assert_eq!(
            read(&Validators::default(), true).kept(all_read),
            None,
            "nothing to send"
        );
        // A 304, or a fetch that failed, keeps what was kept: the pages
        // of that version were all read.
        let unchanged = ListedDocument {
            key: "sitemap-1".into(),
            answer: Answer::Unchanged(tagged.clone()),
        };
        assert_eq!(unchanged.kept(waiting), kept);
    }

    #[test]
    fn a_page_is_changed_when_its_lastmod_is_later_than_it_was_read_at() {
        let at = |hour: u32| {
            chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 23, hour, 0, 0).single()
        };
        let listed = |hour| SitemapPage {
            url: "https://harbour.example/news/1".into(),
            modified: at(hour),
            ..SitemapPage::default()
        };
        let read = version_of(&listed(6));
        assert_eq!(read, "2026-11-23T06:00:00Z");
        assert!(!changed_since(&listed(6), &read));
        assert!(changed_since(&listed(16), &read));
        assert!(!changed_since(&listed(5), &read));
        let with_a_fraction = SitemapPage {
            modified: listed(6)
                .modified
                .map(|t| t + chrono::Duration::milliseconds(123)),
            ..listed(6)
        };
        let read = version_of(&with_a_fraction);
        assert!(!changed_since(&with_a_fraction, &read), "{read}");
        let a_second_later = SitemapPage {
            modified: listed(6)
                .modified
                .map(|t| t + chrono::Duration::milliseconds(1_123)),
            ..listed(6)
        };
        assert!(changed_since(&a_second_later, &read));
        assert!(
            changed_since(&listed(6), ""),
            "read before versions were kept"
        );
        let undated = SitemapPage {
            modified: None,
            ..listed(6)
        };
        assert_eq!(version_of(&undated), "");
        assert!(!changed_since(&undated, ""));
    }

    #[test]
    fn a_page_without_a_date_takes_the_sitemaps() {
        let at = |day: u32| {
            chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, day, 8, 0, 0).single()
        };
        let listed = SitemapPage {
            url: "https://harbour.example/news/1".into(),
            modified: at(2),
            ..SitemapPage::default()
        };
        let undated = page("Ferries stop", "https://harbour.example/news/1");
        assert_eq!(dated(undated.clone(), &listed).published, at(2), "lastmod");
        let news = SitemapPage {
            published: at(1),
            ..listed.clone()
        };
        assert_eq!(
            dated(undated.clone(), &news).published,
            at(1),
            "news:publication_date"
        );
        let own = Article {
            published: at(3),
            ..undated.clone()
        };
        assert_eq!(
            dated(own, &news).published,
            at(3),
            "the page's own date wins"
        );
        let midnight = |day: u32| {
            chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, day, 0, 0, 0).single()
        };
        let of_the_day = Article {
            published: midnight(1),
            updated: midnight(2),
            ..undated
        };
        let dated_by_day = dated(of_the_day, &news);
        assert_eq!(
            (dated_by_day.published, dated_by_day.updated),
            (at(1), at(2)),
            "a page's date naming only the day keeps the sitemap's time of it"
        );
    }

    #[test]
    fn pages_that_give_one_link_but_not_one_text_keep_their_own_urls() {
        let mut pages = vec![
            page("Ferries stop", "https://harbour.example/news/"),
            page("Library opens", "https://harbour.example/news/"),
            page("Bridge shut", "https://harbour.example/news/bridge"),
            page("Tram works", "https://harbour.example/trams"),
            page("Tram works", "https://harbour.example/trams"),
        ];
        let urls: Vec<String> = ["ferries", "library", "bridge", "trams", "trams?amp"]
            .iter()
            .map(|p| format!("https://harbour.example/story/{p}"))
            .collect();
        let shared = own_links_where_shared(&mut pages, &urls);
        assert_eq!(shared, ["https://harbour.example/news/"]);
        let links: Vec<&str> = pages.iter().filter_map(|p| p.link.as_deref()).collect();
        assert_eq!(
            links,
            [
                "https://harbour.example/story/ferries",
                "https://harbour.example/story/library",
                "https://harbour.example/news/bridge",
                "https://harbour.example/trams",
                "https://harbour.example/trams",
            ],
            "one page listed twice keeps the link it gives"
        );
    }
}

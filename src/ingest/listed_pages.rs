//! The pages a sitemap source's sitemaps list, held compactly for one
//! cycle: an index may list 50 sitemaps of 50,000 pages each, so each
//! sitemap is read on its own and only what the cycle needs of its pages
//! is kept (the URLs one after another in one string, each listing's dates,
//! the rare `news:` title and publication aside), not the documents nor a
//! [`SitemapPage`] per entry. Listings of the same page are merged as
//! [`ListedPages::merge`] says, and the pages to fetch come out in the order
//! [`ListedPages::newest_unseen`] gives. Pure: pages in, positions out.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::sitemap::{SitemapPage, Tried};

/// Every listing of the sitemaps read, in the order they list them.
#[derive(Debug, Default)]
pub struct ListedPages {
    /// Every listing's URL, one after another.
    urls: String,
    listings: Vec<Listing>,
    /// The `news:` title and publication of the listings that give one.
    news: HashMap<u32, News>,
}

/// One listing of a page.
#[derive(Debug, Clone, Copy)]
struct Listing {
    /// Where its URL ends in [`ListedPages::urls`]; it starts where the
    /// one before ends.
    end: usize,
    /// The first listing of the same page: itself when it is the first.
    first: u32,
    /// `news:publication_date`; once merged, the earliest of the page's.
    published: Option<DateTime<Utc>>,
    /// `lastmod`; once merged, the latest of the page's.
    modified: Option<DateTime<Utc>>,
}

/// A listing's `news:title` and `news:publication` `news:name`.
#[derive(Debug, Default)]
struct News {
    title: Option<String>,
    publication: Option<String>,
}

impl ListedPages {
    /// Adds the next listing.
    pub fn push(&mut self, page: SitemapPage) {
        let at = self.position();
        if page.title.is_some() || page.publication.is_some() {
            self.news.insert(
                at,
                News {
                    title: page.title,
                    publication: page.publication,
                },
            );
        }
        self.urls.push_str(&page.url);
        self.listings.push(Listing {
            end: self.urls.len(),
            first: at,
            published: page.published,
            modified: page.modified,
        });
    }

    /// The position the next listing takes.
    pub fn position(&self) -> u32 {
        u32::try_from(self.listings.len()).expect("at most 50 sitemaps of 50,000 pages")
    }

    /// The URL of listing `at`.
    pub fn url(&self, at: u32) -> &str {
        let at = at as usize;
        let start = at
            .checked_sub(1)
            .map_or(0, |before| self.listings[before].end);
        &self.urls[start..self.listings[at].end]
    }

    /// The first listing of the page listing `at` lists.
    pub fn first(&self, at: u32) -> u32 {
        self.listings[at as usize].first
    }

    /// The page listing `at` lists, with what every listing of it says
    /// once [`merged`](Self::merge).
    pub fn page(&self, at: u32) -> SitemapPage {
        let first = self.first(at);
        let listing = self.listings[first as usize];
        let news = self.news.get(&first);
        SitemapPage {
            url: self.url(first).to_string(),
            title: news.and_then(|n| n.title.clone()),
            publication: news.and_then(|n| n.publication.clone()),
            published: listing.published,
            modified: listing.modified,
        }
    }

    /// The first listing of each page, in the order the pages are first
    /// listed.
    pub fn pages(&self) -> impl Iterator<Item = u32> + '_ {
        self.listings
            .iter()
            .enumerate()
            .filter(|(at, listing)| listing.first as usize == *at)
            .map(|(_, listing)| listing.first)
    }

    /// Merges every listing of a page into its first, with what every
    /// listing says: a site's index often lists a page both in its news
    /// sitemap (the `news:` title, publication and publication date) and in
    /// a plain one (its `lastmod`), in either order. The page takes the
    /// first title and publication given, the earliest publication date
    /// and the latest `lastmod` (when it last changed).
    pub fn merge(&mut self) {
        let mut by_url: Vec<u32> = (0..self.position()).collect();
        by_url.sort_unstable_by(|a, b| self.url(*a).cmp(self.url(*b)).then(a.cmp(b)));
        let mut first = None;
        for pair in 0..by_url.len() {
            let at = by_url[pair];
            let same = pair > 0 && self.url(by_url[pair - 1]) == self.url(at);
            if !same {
                first = Some(at);
                continue;
            }
            let Some(first) = first else { continue };
            let listing = self.listings[at as usize];
            self.listings[at as usize].first = first;
            let kept = &mut self.listings[first as usize];
            kept.published = earlier(kept.published, listing.published);
            kept.modified = kept.modified.max(listing.modified);
            if let Some(news) = self.news.remove(&at) {
                let kept = self.news.entry(first).or_default();
                kept.title = kept.title.take().or(news.title);
                kept.publication = kept.publication.take().or(news.publication);
            }
        }
    }

    /// The pages to fetch, each once, by the first listing of each, in the
    /// order they are fetched (a cycle takes the first `max_pages`, the
    /// rest wait), from what became of each when the source fetched it
    /// before (`tried`, by first listing): those never tried, newest first
    /// (pages the sitemaps do not date last, in the order they are first
    /// listed), then those changed since they were read, then those that
    /// failed before, each in the same order, so that pages that keep
    /// failing never hold back the others.
    pub fn newest_unseen(&self, tried: Vec<(u32, Tried)>) -> Vec<u32> {
        let mut wanted: Vec<(u8, u32)> = tried
            .into_iter()
            .filter_map(|(at, tried)| match tried {
                Tried::Read => None,
                Tried::Not => Some((0, at)),
                Tried::Changed => Some((1, at)),
                Tried::Failed => Some((2, at)),
            })
            .collect();
        // Stable: equal dates keep the order of first listing.
        wanted.sort_by_key(|(rank, at)| {
            let listing = &self.listings[*at as usize];
            (
                *rank,
                std::cmp::Reverse(listing.published.or(listing.modified)),
            )
        });
        wanted.into_iter().map(|(_, at)| at).collect()
    }
}

/// The earlier of two dates, or the one given.
fn earlier(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::sitemap::sitemap_date;

    /// The pages of `pages` to fetch, in order, as a cycle finds them.
    fn newest_unseen(
        pages: Vec<SitemapPage>,
        tried: impl Fn(&SitemapPage) -> Tried,
    ) -> Vec<SitemapPage> {
        let mut listed = ListedPages::default();
        for page in pages {
            listed.push(page);
        }
        listed.merge();
        let tried = listed
            .pages()
            .map(|at| (at, tried(&listed.page(at))))
            .collect();
        listed
            .newest_unseen(tried)
            .into_iter()
            .map(|at| listed.page(at))
            .collect()
    }

    #[test]
    fn a_listing_keeps_no_more_than_its_url_and_dates() {
        // What a listing costs beyond its URL's bytes: no owned strings,
        // whatever the number of pages the sitemaps list.
        assert!(
            std::mem::size_of::<Listing>() <= 48,
            "{} bytes",
            std::mem::size_of::<Listing>()
        );
        let mut pages = ListedPages::default();
        for n in 0..1000 {
            pages.push(SitemapPage {
                url: format!("https://s.example/story-{n}"),
                ..SitemapPage::default()
            });
        }
        assert!(pages.news.is_empty());
        assert_eq!(
            pages.urls.len(),
            (0..1000)
                .map(|n| format!("https://s.example/story-{n}").len())
                .sum::<usize>()
        );
        assert_eq!(pages.url(0), "https://s.example/story-0");
        assert_eq!(pages.url(999), "https://s.example/story-999");
    }

    #[test]
    fn the_newest_unseen_pages_come_first() {
        let page = |url: &str, day: Option<u32>| SitemapPage {
            url: url.to_string(),
            published: day.map(|d| {
                DateTime::parse_from_rfc3339(&format!("2026-11-{d:02}T08:00:00Z"))
                    .unwrap()
                    .with_timezone(&Utc)
            }),
            ..SitemapPage::default()
        };
        let pages = vec![
            page("https://s.example/undated", None),
            page("https://s.example/1", Some(1)),
            page("https://s.example/3", Some(3)),
            page("https://s.example/seen", Some(4)),
            page("https://s.example/2", Some(2)),
            page("https://s.example/3", Some(3)),
        ];
        let state = |p: &SitemapPage| {
            if p.url.ends_with("seen") {
                Tried::Read
            } else {
                Tried::Not
            }
        };
        let urls: Vec<String> = newest_unseen(pages.clone(), state)
            .into_iter()
            .map(|p| p.url)
            .collect();
        assert_eq!(
            urls,
            [
                "https://s.example/3",
                "https://s.example/2",
                "https://s.example/1",
                "https://s.example/undated"
            ]
        );
        // Each page once, however often the sitemap lists it.
        assert_eq!(newest_unseen(pages, |_| Tried::Not).len(), 5);
    }

    #[test]
    fn a_page_listed_twice_takes_its_dates_from_both_listings() {
        let at = |text: &str| Some(sitemap_date(text).unwrap());
        let news = SitemapPage {
            url: "https://s.example/a".to_string(),
            title: Some("Harbour Park".to_string()),
            publication: Some("Gazette".to_string()),
            published: at("2026-11-10T08:00:00Z"),
            modified: None,
        };
        let plain = SitemapPage {
            url: news.url.clone(),
            modified: at("2026-11-12T15:30:00Z"),
            ..SitemapPage::default()
        };
        let other = SitemapPage {
            url: "https://s.example/b".to_string(),
            modified: at("2026-11-11T10:00:00Z"),
            ..SitemapPage::default()
        };
        let combined = SitemapPage {
            modified: plain.modified,
            ..news.clone()
        };
        for pages in [
            vec![news.clone(), other.clone(), plain.clone()],
            vec![plain.clone(), other.clone(), news.clone()],
        ] {
            let got = newest_unseen(pages, |_| Tried::Not);
            assert_eq!(got, [other.clone(), combined.clone()]);
        }
        // Two listings that date it apart: first published, last changed.
        let later = SitemapPage {
            published: at("2026-11-11T08:00:00Z"),
            modified: at("2026-11-13T09:00:00Z"),
            ..plain.clone()
        };
        let got = newest_unseen(vec![later, news.clone()], |_| Tried::Not);
        assert_eq!(got[0].published, news.published);
        assert_eq!(got[0].modified, at("2026-11-13T09:00:00Z"));
    }

    #[test]
    fn pages_that_failed_before_wait_for_the_untried_ones() {
        let page = |n: u32| SitemapPage {
            url: format!("https://s.example/{n}"),
            published: DateTime::parse_from_rfc3339(&format!("2026-11-{n:02}T08:00:00Z"))
                .ok()
                .map(|d| d.with_timezone(&Utc)),
            ..SitemapPage::default()
        };
        let pages: Vec<SitemapPage> = (1..=6).map(page).collect();
        // The newest three keep failing.
        let state = |p: &SitemapPage| match p.url.rsplit('/').next() {
            Some("4" | "5" | "6") => Tried::Failed,
            Some("1") => Tried::Changed,
            _ => Tried::Not,
        };
        let urls = |max| -> Vec<String> {
            newest_unseen(pages.clone(), state)
                .into_iter()
                .take(max)
                .map(|p| p.url)
                .collect()
        };
        assert_eq!(
            urls(4),
            [
                "https://s.example/3",
                "https://s.example/2",
                "https://s.example/1",
                "https://s.example/6"
            ],
            "the untried first, newest first, then the changed, then the failed ones"
        );
        assert_eq!(urls(2), ["https://s.example/3", "https://s.example/2"]);
    }
}

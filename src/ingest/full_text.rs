//! Full text for summary-only feeds: the link of each entry the source has
//! not read at its current version is fetched, and the article found there
//! replaces the entry's teaser. The entry keeps its title, link and
//! identity, and its dates where the page gives none. An entry read before
//! at the same version is left out (the store has it); a page that cannot
//! be fetched or has no article leaves the teaser, with a warning naming
//! the URL.

use super::source::{GatherContext, SeenPage, SitePage};
use crate::model::{Article, rfc3339};
use crate::normalize::{folded_key, hex};

/// The entries of a feed, completed: each with the page it was read from
/// when it was, and the pages to remember once they land.
pub struct Completed {
    pub articles: Vec<(Article, Option<SitePage>)>,
    pub remembered: Vec<SeenPage>,
}

/// Completes `entries` of `source` (configured at `location`) from their
/// pages.
pub async fn complete(
    context: &GatherContext,
    source: &str,
    location: &str,
    entries: Vec<Article>,
) -> Completed {
    let links: Vec<String> = entries.iter().filter_map(|e| e.link.clone()).collect();
    let seen = context.pages_seen(source, links).await;
    let mut wanted = Vec::new();
    let mut kept = Vec::new();
    for entry in entries {
        let version = version(&entry);
        match entry.link.clone() {
            Some(link) if seen.get(&link) == Some(&version) => {}
            Some(link) => {
                wanted.push(link.clone());
                kept.push((entry, Some(SeenPage { url: link, version })));
            }
            None => kept.push((entry, None)),
        }
    }
    let mut fetched = context.pages.pages(&wanted, location).await.into_iter();
    let mut completed = Completed {
        articles: Vec::with_capacity(kept.len()),
        remembered: Vec::new(),
    };
    for (entry, page) in kept {
        let Some(page) = page else {
            completed.articles.push((entry, None));
            continue;
        };
        match fetched.next().expect("one answer per link") {
            Ok(found) => {
                completed
                    .articles
                    .push((with_page(entry, found.article), Some(found.site_page)));
                completed.remembered.push(page);
            }
            Err(failure) => {
                tracing::warn!(source = %source, "{failure}; the entry keeps its teaser");
                completed.articles.push((entry, None));
                if !failure.is_passing() {
                    completed.remembered.push(page);
                }
            }
        }
    }
    completed
}

/// What changes when an entry is updated: its date, else its text.
fn version(entry: &Article) -> String {
    if let Some(date) = entry.updated.or(entry.published) {
        return rfc3339(date);
    }
    let mut text = entry.title.clone();
    for block in &entry.body {
        text.push('\n');
        text.push_str(&block.text);
    }
    hex(&folded_key(&text, &mut String::new()))
}

/// The entry with the page's article in place of its teaser.
fn with_page(entry: Article, page: Article) -> Article {
    let or = |a: Vec<String>, b: Vec<String>| if a.is_empty() { b } else { a };
    Article {
        title: if entry.title.is_empty() {
            page.title
        } else {
            entry.title
        },
        published: page.published.or(entry.published),
        updated: page.updated.or(entry.updated),
        captions: if page.captions.is_empty() {
            entry.captions
        } else {
            page.captions
        },
        body: page.body,
        link: entry.link.or(page.link),
        upstream_id: entry.upstream_id,
        upstream_key: entry.upstream_key,
        shared_link: entry.shared_link,
        authors: or(page.authors, entry.authors),
        categories: or(entry.categories, page.categories),
        summary: entry.summary.or(page.summary),
        // The page's text is the content now: rendered from its blocks.
        content_html: None,
        origin: entry.origin,
        line_keys: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, Caption, Origin};
    use chrono::{DateTime, Utc};

    fn at(text: &str) -> Option<DateTime<Utc>> {
        Some(
            DateTime::parse_from_rfc3339(text)
                .unwrap()
                .with_timezone(&Utc),
        )
    }

    #[test]
    fn the_page_replaces_the_teaser_and_the_entry_keeps_its_identity() {
        let entry = Article {
            title: "Ferries Stop as Dock Workers Strike".into(),
            published: at("2026-11-30T08:00:00Z"),
            body: vec![Block::paragraph("Ferries stopped on Monday…")],
            link: Some("https://harbour.example/news/strike".into()),
            upstream_id: Some("tag:harbour.example,2026:strike".into()),
            upstream_key: Some("tag:harbour.example,2026:strike".into()),
            summary: Some("Ferries stopped on Monday…".into()),
            content_html: Some("<p>Ferries stopped on Monday…</p>".into()),
            origin: Origin {
                location: "https://harbour.example/rss.xml".into(),
                line: 3,
            },
            ..Article::default()
        };
        let page = Article {
            title: "Dock workers strike | Harbour Post".into(),
            updated: at("2026-11-30T09:30:00Z"),
            body: vec![
                Block::paragraph("Ferries stopped on Monday as dock workers walked out."),
                Block::subhead("What happens next"),
                Block::paragraph("Talks resume on Wednesday."),
            ],
            captions: vec![Caption::credited("Pickets at the gate.", "Reuters")],
            link: Some("https://harbour.example/news/strike?amp".into()),
            authors: vec!["Ann Lee".into()],
            ..Article::default()
        };
        let merged = with_page(entry.clone(), page.clone());
        assert_eq!(merged.title, entry.title);
        assert_eq!(merged.link, entry.link);
        assert_eq!(merged.upstream_key, entry.upstream_key);
        assert_eq!(merged.published, entry.published, "the page has none");
        assert_eq!(merged.updated, page.updated);
        assert_eq!(merged.body, page.body);
        assert_eq!(merged.captions, page.captions);
        assert_eq!(merged.authors, ["Ann Lee"]);
        assert_eq!(merged.content_html, None);
        assert_eq!(merged.origin, entry.origin);
        assert_eq!(merged.line_keys, None);
    }

    #[test]
    fn an_entry_changes_version_when_its_date_or_text_does() {
        let mut entry = Article {
            title: "Strike".into(),
            body: vec![Block::paragraph("Teaser.")],
            ..Article::default()
        };
        let undated = version(&entry);
        entry.body[0].text = "Another teaser.".into();
        assert_ne!(version(&entry), undated);
        entry.published = at("2026-11-30T08:00:00Z");
        assert_eq!(version(&entry), "2026-11-30T08:00:00Z");
        entry.updated = at("2026-11-30T10:00:00Z");
        assert_eq!(version(&entry), "2026-11-30T10:00:00Z");
    }
}

//! Full text for summary-only feeds: the link of each entry the source has
//! not read at its current version is fetched, and the article found there
//! replaces the entry's teaser. The entry keeps its title, link and
//! identity, and its dates where the page gives none. An entry read before
//! at the same version is left out (the store has it), and so is an entry
//! read before whose updated page cannot be fetched (the store keeps the
//! text read then); a new entry whose page cannot be fetched or has no
//! article keeps its teaser, with a warning naming the URL. An entry whose
//! link other entries of the document share (a section page) is no page of
//! its own: it keeps its teaser, and nothing is fetched for it.

use std::collections::HashMap;

use super::page_fetch::Wanted;
use super::source::{GatherContext, SeenPage, SitePage};
use crate::model::{Article, rfc3339};
use crate::normalize::{folded_key, hex};

/// The entries of a feed, completed: each with the page it was read from
/// when it was, the pages to remember once they land, and how many entries
/// were left out because the store has them.
pub struct Completed {
    pub articles: Vec<(Article, Option<SitePage>)>,
    pub remembered: Vec<SeenPage>,
    pub known: usize,
}

/// What becomes of one entry.
enum Plan {
    /// Folded as it is: it has no link, or one other entries share.
    AsIs(Article),
    /// Read before at this version: the store has it.
    Known,
    /// Its page is fetched; `stored` when an earlier version was read.
    Fetch {
        entry: Article,
        page: SeenPage,
        stored: bool,
    },
}

/// What becomes of `entry`, given the pages of the source `seen` before.
fn plan(entry: Article, seen: &HashMap<String, String>) -> Plan {
    let Some(link) = entry.link.clone().filter(|_| !entry.shared_link) else {
        return Plan::AsIs(entry);
    };
    let version = version(&entry);
    match seen.get(&link) {
        Some(read) if *read == version || read_before_fields_counted(read, &version) => Plan::Known,
        read => Plan::Fetch {
            entry,
            page: SeenPage { url: link, version },
            stored: read.is_some(),
        },
    }
}

/// Completes `entries` of `source` (configured at `location`) from their
/// pages.
pub async fn complete(
    context: &GatherContext,
    source: &str,
    location: &str,
    entries: Vec<Article>,
) -> Completed {
    let links: Vec<String> = entries
        .iter()
        .filter(|e| !e.shared_link)
        .filter_map(|e| e.link.clone())
        .collect();
    let seen = context.pages_seen(source, links).await;
    let plans: Vec<Plan> = entries.into_iter().map(|e| plan(e, &seen)).collect();
    let wanted: Vec<Wanted> = plans
        .iter()
        .filter_map(|p| match p {
            // The entry keeps its own title, whatever the page says.
            Plan::Fetch { page, .. } => Some(Wanted {
                url: page.url.clone(),
                headline: None,
            }),
            Plan::AsIs(_) | Plan::Known => None,
        })
        .collect();
    let mut fetched = context.pages.pages(&wanted, location).await.into_iter();
    let mut completed = Completed {
        articles: Vec::with_capacity(plans.len()),
        remembered: Vec::new(),
        known: 0,
    };
    for plan in plans {
        let (entry, page, stored) = match plan {
            Plan::AsIs(entry) => {
                completed.articles.push((entry, None));
                continue;
            }
            Plan::Known => {
                completed.known += 1;
                continue;
            }
            Plan::Fetch {
                entry,
                page,
                stored,
            } => (entry, page, stored),
        };
        match fetched.next().expect("one answer per link") {
            Ok(found) => {
                completed
                    .articles
                    .push((with_page(entry, found.article), Some(found.site_page)));
                completed.remembered.push(page);
            }
            Err(failure) => {
                let passing = failure.is_passing();
                let next = if passing {
                    "; tried again next cycle"
                } else {
                    ""
                };
                if stored {
                    tracing::warn!(source = %source, "{}", crate::redact::urls_in(&format!("{failure}; the entry keeps the text read before{next}")));
                    completed.known += 1;
                } else {
                    tracing::warn!(source = %source, "{}", crate::redact::urls_in(&format!("{failure}; the entry keeps its teaser{next}")));
                    completed.articles.push((entry, None));
                }
                if !passing {
                    completed.remembered.push(page);
                }
            }
        }
    }
    completed
}

/// What changes when an entry is updated: its date, else its text; with
/// the date, the fields the entry keeps over its page (title, summary,
/// categories), so an entry corrected without a new date is read again.
fn version(entry: &Article) -> String {
    let Some(date) = entry.updated.or(entry.published) else {
        let mut text = entry.title.clone();
        for block in &entry.body {
            text.push('\n');
            text.push_str(&block.text);
        }
        return hex(&folded_key(&text, &mut String::new()));
    };
    let fields = [
        entry.title.as_str(),
        entry.summary.as_deref().unwrap_or_default(),
        &entry.categories.join("\n"),
    ]
    .join("\n");
    format!(
        "{} {}",
        rfc3339(date),
        hex(&folded_key(&fields, &mut String::new()))
    )
}

/// Whether `read`, a version remembered before the entry's own fields
/// were counted in it (its date alone), is the date of `version`.
fn read_before_fields_counted(read: &str, version: &str) -> bool {
    !read.contains(' ')
        && version
            .split_once(' ')
            .is_some_and(|(date, _)| date == read)
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
        page_text: true,
        authors: or(page.authors, entry.authors),
        categories: or(entry.categories, page.categories),
        enclosures: entry.enclosures,
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

    fn teaser(n: u32, link: Option<&str>) -> Article {
        Article {
            title: format!("Story {n}"),
            published: at(&format!("2026-11-{n:02}T08:00:00Z")),
            body: vec![Block::paragraph(format!("Teaser {n}."))],
            link: link.map(str::to_string),
            ..Article::default()
        }
    }

    #[test]
    fn only_the_pages_of_entries_new_or_updated_with_a_link_of_their_own_are_fetched() {
        let link = |n: u32| format!("https://harbour.example/news/{n}");
        let seen: HashMap<String, String> = [
            (link(1), "2026-11-01T08:00:00Z".to_string()),
            (link(2), "2026-10-01T08:00:00Z".to_string()),
        ]
        .into();
        let plan_of = |entry: Article| match plan(entry, &seen) {
            Plan::AsIs(_) => "as is".to_string(),
            Plan::Known => "known".to_string(),
            Plan::Fetch { page, stored, .. } => format!("fetch {} {stored}", page.url),
        };
        assert_eq!(plan_of(teaser(1, Some(&link(1)))), "known");
        assert_eq!(
            plan_of(teaser(2, Some(&link(2)))),
            format!("fetch {} true", link(2)),
            "updated since it was read"
        );
        assert_eq!(
            plan_of(teaser(3, Some(&link(3)))),
            format!("fetch {} false", link(3))
        );
        assert_eq!(plan_of(teaser(4, None)), "as is");
        let mut on_a_section_page = teaser(5, Some("https://harbour.example/news/"));
        on_a_section_page.shared_link = true;
        assert_eq!(
            plan_of(on_a_section_page),
            "as is",
            "a link other entries share is no entry's page"
        );
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
        let dated = version(&entry);
        assert!(dated.starts_with("2026-11-30T08:00:00Z "), "{dated}");
        entry.body[0].text = "A teaser edited.".into();
        assert_eq!(version(&entry), dated, "the page's text stands for it");
        entry.title = "Strike ends".into();
        let retitled = version(&entry);
        assert_ne!(retitled, dated, "a headline corrected without a new date");
        entry.categories = vec!["Labour".into()];
        assert_ne!(version(&entry), retitled);
        entry.updated = at("2026-11-30T10:00:00Z");
        assert!(version(&entry).starts_with("2026-11-30T10:00:00Z "));
        // A page remembered by its entry's date alone is read at it.
        assert!(read_before_fields_counted(
            "2026-11-30T10:00:00Z",
            &version(&entry)
        ));
        assert!(!read_before_fields_counted(
            "2026-11-30T08:00:00Z",
            &version(&entry)
        ));
        assert!(!read_before_fields_counted(&retitled, &version(&entry)));
    }
}

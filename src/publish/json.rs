//! JSON Feed 1.1 (<https://jsonfeed.org/version/1.1>) with `serde_json`;
//! an article's media files are its items' `attachments`.

use serde::Serialize;

use super::{Entry, FeedContext, Format, PublishError};

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: String,
    feed_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    authors: [Author<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    hubs: Vec<Hub<'a>>,
    items: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct Hub<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    url: &'a str,
}

#[derive(Serialize)]
struct Author<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct Item<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    title: &'a str,
    content_html: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    date_published: String,
    date_modified: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Author<'a>>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tags: &'a [String],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attachments: Vec<Attachment<'a>>,
}

#[derive(Serialize)]
struct Attachment<'a> {
    url: &'a str,
    mime_type: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    size_in_bytes: Option<u64>,
}

pub fn render(feed: &FeedContext, entries: &[Entry]) -> Result<Vec<u8>, PublishError> {
    let document = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &feed.spec.title,
        home_page_url: feed.home_url(),
        feed_url: feed.url(Format::Json),
        description: feed.spec.description.as_deref(),
        authors: [Author { name: feed.author }],
        hubs: feed
            .hub
            .map(|url| Hub {
                kind: "WebSub",
                url,
            })
            .into_iter()
            .collect(),
        items: entries
            .iter()
            .map(|entry| Item {
                id: &entry.article.id,
                url: entry.article.link.as_deref(),
                title: &entry.article.title,
                content_html: &entry.html,
                summary: entry.summary.as_deref(),
                date_published: super::rfc3339(entry.article.published),
                date_modified: super::rfc3339(entry.article.updated),
                authors: entry
                    .article
                    .authors
                    .iter()
                    .map(|name| Author { name })
                    .collect(),
                tags: &entry.article.categories,
                attachments: entry
                    .article
                    .enclosures
                    .iter()
                    .map(|file| Attachment {
                        url: &file.url,
                        mime_type: super::enclosure_type(file),
                        size_in_bytes: file.length,
                    })
                    .collect(),
            })
            .collect(),
    };
    let mut out =
        serde_json::to_vec_pretty(&document).map_err(|e| feed.render_error(Format::Json, e))?;
    out.push(b'\n');
    Ok(out)
}

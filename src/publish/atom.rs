//! Atom 1.0 through `atom_syndication`: feed id, title, updated, author and
//! self link; entries with id, title, published, updated, summary,
//! `type="html"` content and a `rel="enclosure"` link per media file.

use atom_syndication::{
    Category, Content, Entry as AtomEntry, Feed, Generator, Link, Person, Text,
};

use super::{Entry, FeedContext, Format, PublishError};

pub fn render(feed: &FeedContext, entries: &[Entry]) -> Result<Vec<u8>, PublishError> {
    let atom_entries = entries
        .iter()
        .map(|entry| AtomEntry {
            id: entry.article.id.clone(),
            title: Text::plain(entry.article.title.clone()),
            published: Some(entry.article.published.fixed_offset()),
            updated: entry.article.updated.fixed_offset(),
            summary: entry.summary.clone().map(Text::plain),
            links: entry
                .article
                .link
                .iter()
                .map(|href| Link {
                    href: href.clone(),
                    rel: "alternate".into(),
                    mime_type: Some("text/html".into()),
                    ..Default::default()
                })
                .chain(entry.article.enclosures.iter().map(|file| Link {
                    href: file.url.clone(),
                    rel: "enclosure".into(),
                    mime_type: file.media_type.clone(),
                    length: file.length.map(|l| l.to_string()),
                    ..Default::default()
                }))
                .collect(),
            authors: entry
                .article
                .authors
                .iter()
                .map(|name| Person {
                    name: name.clone(),
                    ..Default::default()
                })
                .collect(),
            categories: entry
                .article
                .categories
                .iter()
                .map(|term| Category {
                    term: term.clone(),
                    ..Default::default()
                })
                .collect(),
            content: Some(Content {
                value: Some(entry.html.clone()),
                content_type: Some("html".into()),
                ..Default::default()
            }),
            ..Default::default()
        })
        .collect();
    let document = Feed {
        id: feed.id(),
        title: Text::plain(feed.spec.title.clone()),
        subtitle: feed.spec.description.clone().map(Text::plain),
        updated: feed.updated.fixed_offset(),
        authors: vec![Person {
            name: feed.author.to_string(),
            ..Default::default()
        }],
        generator: Some(Generator {
            value: "feedfold".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
            ..Default::default()
        }),
        links: [
            Link {
                href: feed.url(Format::Atom),
                rel: "self".into(),
                mime_type: Some(Format::Atom.media_type().into()),
                ..Default::default()
            },
            Link {
                href: feed.home_url(),
                rel: "alternate".into(),
                mime_type: Some("text/html".into()),
                ..Default::default()
            },
        ]
        .into_iter()
        .chain(feed.hub.map(|hub| Link {
            href: hub.into(),
            rel: "hub".into(),
            ..Default::default()
        }))
        .collect(),
        entries: atom_entries,
        ..Default::default()
    };
    let mut out = document
        .write_to(Vec::new())
        .map_err(|e| feed.render_error(Format::Atom, e))?;
    out.push(b'\n');
    Ok(out)
}

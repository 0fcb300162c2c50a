//! Fuzz target: publishing arbitrary articles. Whatever text and dates (any
//! second a store can hold) the articles, the feed title and the author
//! carry, rendering succeeds and the RSS, Atom and JSON it gives are
//! well-formed (checked strictly, then read back by the rss,
//! atom_syndication and serde_json readers) with every entry in each.

#![no_main]

use arbitrary::Arbitrary;
use chrono::{DateTime, TimeZone, Utc};
use feedfold::config::PublishConfig;
use feedfold::model::{Block, Caption, FeedSpec, StoredArticle};
use feedfold::publish::render;
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/common/wellformed.rs"]
mod wellformed;

#[derive(Debug, Arbitrary)]
struct Input {
    title: String,
    description: Option<String>,
    author: String,
    articles: Vec<ArticleInput>,
}

#[derive(Debug, Arbitrary)]
struct ArticleInput {
    id: String,
    title: String,
    published: u64,
    updated: u64,
    captions: Vec<(String, Option<String>, Option<String>)>,
    body: Vec<(bool, String)>,
    link: Option<String>,
    authors: Vec<String>,
    categories: Vec<String>,
    summary: Option<String>,
    content_html: Option<String>,
}

/// A second between the years 0 and 9999, as a store gives back.
fn date(seconds: u64) -> DateTime<Utc> {
    let first = Utc.with_ymd_and_hms(0, 1, 1, 0, 0, 0).unwrap().timestamp();
    let last = Utc
        .with_ymd_and_hms(9999, 12, 31, 23, 59, 59)
        .unwrap()
        .timestamp();
    let span = u64::try_from(last - first).unwrap() + 1;
    let offset = i64::try_from(seconds % span).unwrap();
    DateTime::from_timestamp(first + offset, 0).unwrap()
}

impl ArticleInput {
    fn stored(self) -> StoredArticle {
        StoredArticle {
            id: self.id,
            title: self.title,
            published: date(self.published),
            updated: date(self.updated),
            captions: self
                .captions
                .into_iter()
                .map(|(text, credit, image)| Caption {
                    text,
                    credit,
                    image,
                })
                .collect(),
            body: self
                .body
                .into_iter()
                .map(|(subhead, text)| {
                    if subhead {
                        Block::subhead(text)
                    } else {
                        Block::paragraph(text)
                    }
                })
                .collect(),
            link: self.link,
            authors: self.authors,
            categories: self.categories,
            summary: self.summary,
            content_html: self.content_html,
        }
    }
}

fuzz_target!(|input: Input| {
    let spec = FeedSpec {
        name: "news".into(),
        title: input.title,
        description: input.description,
        sources: None,
        limit: 50,
    };
    let settings = PublishConfig {
        dir: "feeds".into(),
        base_url: "https://feeds.example".into(),
        author: input.author,
        websub_hub: Some("https://hub.example/".into()),
    };
    let articles: Vec<StoredArticle> = input
        .articles
        .into_iter()
        .map(ArticleInput::stored)
        .collect();
    let rendered = render(&spec, &settings, &articles, chrono::DateTime::UNIX_EPOCH)
        .expect("rendering never fails");
    for xml in [&rendered.rss, &rendered.atom] {
        if let Err(e) = wellformed::check_xml(xml) {
            panic!("{e}\n{}", String::from_utf8_lossy(xml));
        }
    }
    let channel = rss::Channel::read_from(&rendered.rss[..]).expect("RSS reads back");
    let feed = atom_syndication::Feed::read_from(&rendered.atom[..]).expect("Atom reads back");
    let json = wellformed::check_json(&rendered.json).expect("JSON reads back");
    assert_eq!(channel.items().len(), articles.len());
    assert_eq!(feed.entries().len(), articles.len());
    assert_eq!(json["items"].as_array().map(Vec::len), Some(articles.len()));
});

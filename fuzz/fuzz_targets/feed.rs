//! Fuzz target: the feed parser wrapper over arbitrary bytes, without a
//! charset and with each charset an HTTP `Content-Type` might name (the
//! first input byte picks one). A document is read or refused with an error
//! naming it; what is read has plain-text titles and absolute web links.

#![no_main]

use feedfold::ingest::feed::parse_feed;
use libfuzzer_sys::fuzz_target;

const CHARSETS: [Option<&str>; 8] = [
    None,
    Some("utf-8"),
    Some("UTF-16"),
    Some("utf-16be"),
    Some("iso-8859-1"),
    Some("windows-1252"),
    Some("shift_jis"),
    Some("no-such-charset"),
];

const LOCATION: &str = "https://fuzz.example/feeds/feed.xml";

fuzz_target!(|data: &[u8]| {
    let Some((&pick, document)) = data.split_first() else {
        return;
    };
    let charset = CHARSETS[usize::from(pick) % CHARSETS.len()];
    match parse_feed(document, charset, LOCATION) {
        Ok(feed) => {
            for article in &feed.articles {
                assert!(
                    !article.title.chars().any(char::is_control),
                    "{:?}",
                    article.title
                );
                for url in article
                    .link
                    .iter()
                    .chain(article.captions.iter().filter_map(|c| c.image.as_ref()))
                {
                    assert!(
                        url.starts_with("http://") || url.starts_with("https://"),
                        "{url}"
                    );
                }
                assert_eq!(article.origin.location, LOCATION);
            }
        }
        Err(e) => assert!(e.to_string().starts_with(LOCATION), "{e}"),
    }
});

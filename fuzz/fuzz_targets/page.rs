//! Fuzz target: article extraction from arbitrary bytes as an HTML page,
//! without a charset and with a few HTTP charsets (the first byte picks).
//! An article has a headline and a body, no block or caption twice (by
//! folded form), no control characters, and only absolute http(s) links
//! and images; every error names the page.

#![no_main]

use std::collections::HashSet;

use feedfold::ingest::page::{PageSource, extract};
use feedfold::normalize::fold;
use libfuzzer_sys::fuzz_target;

const CHARSETS: [Option<&str>; 4] = [None, Some("utf-8"), Some("iso-8859-1"), Some("shift_jis")];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, page)) = data.split_first() else {
        return;
    };
    let url = url::Url::parse("https://fuzz.example/news/story").expect("a valid URL");
    let source = PageSource {
        location: "fuzz.html",
        charset: CHARSETS[pick as usize % CHARSETS.len()],
        url: Some(&url),
        headline: None,
    };
    let article = match extract(page, &source) {
        Ok(page) => page.article,
        Err(e) => {
            assert!(e.to_string().starts_with("fuzz.html: "), "{e}");
            return;
        }
    };
    assert!(!article.title.is_empty());
    assert!(!article.body.is_empty());
    let clean = |t: &str| !t.is_empty() && !t.chars().any(char::is_control);
    assert!(clean(&article.title), "{:?}", article.title);
    let mut seen = HashSet::new();
    for block in &article.body {
        assert!(clean(&block.text), "{:?}", block.text);
        assert!(seen.insert(fold(&block.text)), "{:?} twice", block.text);
    }
    for caption in &article.captions {
        assert!(clean(&caption.text), "{caption:?}");
        if let Some(image) = &caption.image {
            assert!(image.starts_with("http://") || image.starts_with("https://"), "{image}");
        }
    }
    if let Some(link) = &article.link {
        assert!(link.starts_with("http://") || link.starts_with("https://"), "{link}");
    }
});

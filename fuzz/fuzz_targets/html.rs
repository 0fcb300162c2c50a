//! Fuzz target: the HTML sanitizer and the HTML-to-text conversion over
//! arbitrary text. What the sanitizer keeps is inert (see
//! `tests/common/inert.rs`: tokenized again, it holds nothing that runs,
//! styles or loads from elsewhere), and the body blocks and plain text it
//! gives hold no control characters.

#![no_main]

use feedfold::ingest::sanitize::{Sanitizer, html_to_text};
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/common/inert.rs"]
mod inert;

fuzz_target!(|data: &[u8]| {
    let Ok(html) = std::str::from_utf8(data) else {
        return;
    };
    let base = url::Url::parse("https://fuzz.example/news/").expect("a valid base");
    let converted = Sanitizer::new().convert(html, Some(&base));
    if let Some(clean) = &converted.html {
        let found = inert::findings(clean);
        assert!(found.is_empty(), "{found:?} survived in {clean:?}");
    }
    for block in &converted.blocks {
        assert!(!block.text.is_empty() && !block.text.chars().any(char::is_control));
    }
    let text = html_to_text(html);
    assert!(!text.chars().any(char::is_control), "{text:?}");
});

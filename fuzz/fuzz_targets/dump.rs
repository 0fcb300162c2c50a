//! Fuzz target: the dump reader over arbitrary bytes, read through buffers
//! of every size from 1 to 256 bytes (the first input byte picks it). Each
//! article it gives is clean: a headline, no line twice, nothing invisible,
//! and the content key from the line keys it hands over is the one its text gives. Anything
//! else ends in an error that names the file.

#![no_main]

use std::collections::HashSet;
use std::io::BufReader;

use feedfold::dedup::fingerprint::content_key;
use feedfold::ingest::DumpReader;
use feedfold::normalize::fold;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&capacity, input)) = data.split_first() else {
        return;
    };
    let reader = BufReader::with_capacity(usize::from(capacity) + 1, input);
    for article in DumpReader::new(reader, "fuzz.txt") {
        let mut article = match article {
            Ok(article) => article,
            Err(e) => {
                assert!(e.to_string().starts_with("fuzz.txt: "), "{e}");
                break;
            }
        };
        assert!(!article.title.is_empty());
        let lines = std::iter::once(article.title.clone())
            .chain(article.captions.iter().map(|c| match &c.credit {
                Some(credit) => format!("{} ({credit})", c.text),
                None => c.text.clone(),
            }))
            .chain(article.body.iter().map(|b| b.text.clone()));
        let mut seen = HashSet::new();
        for line in lines {
            assert!(
                !line.is_empty() && !line.chars().any(char::is_control),
                "{line:?}"
            );
            assert!(seen.insert(fold(&line)), "{line:?} twice in {article:#?}");
        }
        let with_keys = content_key(&article);
        assert!(article.line_keys.take().is_some(), "the reader hands its line keys over");
        assert_eq!(with_keys, content_key(&article));
    }
});

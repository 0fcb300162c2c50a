//! Fuzz target: config loading over arbitrary text. Every config is either
//! accepted, within the documented ranges, or refused with an error that
//! names the file.

#![no_main]

use std::path::Path;

use feedfold::config::Config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Config::parse(text, Path::new("/fuzz/config.toml")) {
        Ok(config) => {
            assert!((1..=256).contains(&config.fetch.concurrency));
            for feed in &config.feeds {
                assert!((1..=10_000).contains(&feed.limit), "{}", feed.limit);
                assert!(!feed.name.is_empty());
            }
            for source in &config.sources {
                assert!(!source.name.is_empty());
            }
        }
        Err(e) => assert!(e.to_string().contains("/fuzz/config.toml"), "{e}"),
    }
});

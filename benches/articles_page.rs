//! Criterion benchmarks of the articles page (`GET /articles`): reading a
//! page of articles with their sightings and folds and every source's
//! cycles from a SQLite store, and rendering it, in stores of 1,000 and
//! 10,000 generated articles; a page at the top and one from the middle.
//! See BENCHMARKS.md ("The articles page").

#[path = "support/dumpgen.rs"]
mod dumpgen;

use std::hint::black_box;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use feedfold::dedup::near_rules::NearConfig;
use feedfold::ingest::DumpReader;
use feedfold::pipeline::fold_article;
use feedfold::server::articles::{Found, PAGE_SIZE, load, render};
use feedfold::store::sqlite::SqliteStore;
use feedfold::store::{CYCLES_KEPT, PageStart, SourceCycle, Store};

/// The same seed as `examples/gen_dump.rs` uses by default.
const SEED: u64 = 1;
const SOURCES: [&str; 2] = ["desk", "wire"];

/// A store of `articles` generated articles, as `run` folds them (source
/// `desk`), a fifth of them seen again by `wire` (an exact fold and a
/// sighting each), and [`CYCLES_KEPT`] cycles of both sources.
fn store(dir: &std::path::Path, articles: usize) -> SqliteStore {
    let mut generator = dumpgen::DumpGen::new(SEED);
    let mut dump = String::new();
    for _ in 0..articles {
        generator.push_article(&mut dump);
    }
    let parsed: Vec<_> = DumpReader::new(dump.as_bytes(), "dumps/desk.txt")
        .map(|a| a.expect("a generated dump parses"))
        .collect();
    assert_eq!(parsed.len(), articles);
    let mut store = SqliteStore::open(&dir.join(format!("{articles}.db"))).expect("a store");
    let near = NearConfig::default();
    let now = Utc.with_ymd_and_hms(2026, 11, 30, 6, 0, 0).unwrap();
    let mut writer = store.begin("desk").expect("a transaction");
    for article in &parsed {
        fold_article(&mut *writer, "desk", article, Some(&near), now).expect("fold");
    }
    writer.commit(&|| now).expect("commit");
    let mut writer = store.begin("wire").expect("a transaction");
    for article in parsed.iter().step_by(5) {
        let mut copy = article.clone();
        copy.origin.location = "https://wire.example/feed.xml?key=secret".into();
        fold_article(&mut *writer, "wire", &copy, Some(&near), now).expect("fold");
    }
    writer.commit(&|| now).expect("commit");
    for cycle in 0..CYCLES_KEPT as i64 {
        for (n, source) in SOURCES.iter().enumerate() {
            store
                .record_cycles(&[SourceCycle {
                    source: source.to_string(),
                    at: now + chrono::Duration::minutes(15 * cycle),
                    new: (cycle as u32 * 7 + n as u32) % 40,
                    folded: (cycle as u32 * 3) % 11,
                    failed: cycle % 9 == 4,
                }])
                .expect("a cycle");
        }
    }
    store
}

/// Reads and renders one page: what `GET /articles` does per request.
fn page(store: &mut dyn Store, start: PageStart) -> String {
    let Found::Page(loaded) = load(store, start).expect("read") else {
        panic!("a page");
    };
    assert_eq!(loaded.page.articles.len(), PAGE_SIZE);
    render(&loaded, &SOURCES)
}

fn articles_page(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut group = c.benchmark_group("articles_page");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(5));
    for articles in [1_000, 10_000] {
        let mut store = store(dir.path(), articles);
        assert_eq!(store.article_count().unwrap(), articles as u64);
        let middle = store
            .feed_entries(None, None, articles / 2)
            .unwrap()
            .pop()
            .expect("a middle article")
            .id;
        let html = page(&mut store, PageStart::From(&middle));
        assert!(html.contains("wire: https://wire.example/feed.xml?key=*** line"));
        group.bench_with_input(BenchmarkId::new("newest", articles), &(), |b, _| {
            b.iter(|| black_box(page(&mut store, PageStart::Newest)))
        });
        group.bench_with_input(BenchmarkId::new("middle", articles), &(), |b, _| {
            b.iter(|| black_box(page(&mut store, PageStart::From(&middle))))
        });
    }
    group.finish();
}

criterion_group!(benches, articles_page);
criterion_main!(benches);

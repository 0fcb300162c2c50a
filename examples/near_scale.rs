//! The near-duplicate scale measurement as one process, for `/usr/bin/time
//! -v`: `build N PATH` writes a store of N generated stories
//! (`benches/near_scale/generate.rs`); `fold PATH N [COUNT]` opens that
//! store, times the near-duplicate lookup (`Store::near_match`) for COUNT
//! incoming articles (default 2000), then folds them through
//! `SourceBatch::fold` in one batch and rolls it back, so the store stays
//! as built for the next run. Prints the figures `BENCHMARKS.md` (near-duplicate folding)
//! records.

#[path = "../benches/near_scale/generate.rs"]
mod generate;

use std::path::Path;
use std::time::Instant;

use chrono::{TimeZone, Utc};
use feedfold::dedup::near_rules::NearConfig;
use feedfold::dedup::{CANDIDATES_PER_KEY, Decision, Fingerprints, Known, decide};
use feedfold::pipeline::fold_article;
use feedfold::store::Store;
use feedfold::store::sqlite::SqliteStore;

fn usage() -> ! {
    eprintln!("usage: near_scale build N PATH | near_scale fold PATH N [COUNT]");
    std::process::exit(2)
}

fn number(text: Option<&String>) -> u64 {
    text.and_then(|t| t.replace('_', "").parse().ok())
        .unwrap_or_else(|| usage())
}

/// Bytes of the store file and its write-ahead log.
fn store_bytes(path: &Path) -> u64 {
    ["", "-wal"]
        .iter()
        .map(|suffix| {
            let mut file = path.as_os_str().to_owned();
            file.push(suffix);
            std::fs::metadata(file).map(|m| m.len()).unwrap_or(0)
        })
        .sum()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("build") => {
            let n = number(args.get(1));
            let path = Path::new(args.get(2).unwrap_or_else(|| usage()));
            let start = Instant::now();
            generate::build(path, n, 3).expect("build the store");
            println!(
                "built {n} articles in {:.1} s: {:.2} GB on disk",
                start.elapsed().as_secs_f64(),
                store_bytes(path) as f64 / 1e9
            );
        }
        Some("fold") => {
            let path = Path::new(args.get(1).unwrap_or_else(|| usage()));
            let n = number(args.get(2));
            let count = args.get(3).map_or(2000, |c| number(Some(c)));
            fold(path, n, count);
        }
        _ => usage(),
    }
}

fn fold(path: &Path, n: u64, count: u64) {
    let mut store = SqliteStore::open(path).expect("open the store");
    let stored = store.article_count().expect("count");
    let articles: Vec<_> = (0..count).map(|j| generate::incoming(j, n)).collect();
    let prints: Vec<_> = articles
        .iter()
        .map(|a| Fingerprints::of(a, "incoming"))
        .collect();
    let near = NearConfig::default();
    let mut lookups = Vec::with_capacity(prints.len());
    let mut found = 0;
    let mut reader = store.begin("lookup").expect("transaction");
    for p in &prints {
        let start = Instant::now();
        let candidates = reader
            .near_candidates(&p.near, CANDIDATES_PER_KEY)
            .expect("lookup");
        let decision = decide(p, &Known::default(), &candidates, Some(&near));
        found += usize::from(matches!(decision, Decision::Near { .. }));
        lookups.push(start.elapsed().as_secs_f64() * 1e6);
    }
    drop(reader);
    let lookup_mean = lookups.iter().sum::<f64>() / lookups.len() as f64;
    lookups.sort_by(f64::total_cmp);

    let now = Utc.with_ymd_and_hms(2026, 11, 10, 7, 0, 0).unwrap();
    let mut batch = store.begin("incoming").expect("transaction");
    let (mut new, mut repeat, mut folded, mut updated) = (0, 0, 0, 0);
    let start = Instant::now();
    for article in &articles {
        match fold_article(&mut *batch, "incoming", article, Some(&near), now).expect("fold") {
            Decision::New { .. } => new += 1,
            Decision::Repeat { .. } | Decision::Update { .. } => repeat += 1,
            Decision::Near { update, .. } => {
                folded += 1;
                updated += usize::from(update.is_some());
            }
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    drop(batch);
    println!(
        "store: {stored} articles, {:.3} GB on disk",
        store_bytes(path) as f64 / 1e9
    );
    println!(
        "lookup: {count} articles, {found} with a same-story candidate; mean {lookup_mean:.1} µs, median {:.1} µs, p90 {:.1} µs, p99 {:.1} µs",
        percentile(&lookups, 0.5),
        percentile(&lookups, 0.9),
        percentile(&lookups, 0.99),
    );
    println!(
        "fold: {count} articles in {elapsed:.3} s, {:.0} articles/s ({:.1} µs each); {new} new, {repeat} exact repeats, {folded} near-duplicates ({updated} updates)",
        count as f64 / elapsed,
        elapsed * 1e6 / count as f64,
    );
}

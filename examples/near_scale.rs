//! The near-duplicate scale measurement as one process, for `/usr/bin/time
//! -v`: `build N STORE` writes a store of N generated stories
//! (`benches/near_scale/generate.rs`); `fold STORE N [COUNT]` opens that
//! store, times the near-duplicate lookup (the store's candidates judged by
//! `dedup::decide`) for COUNT incoming articles (default 2000), then folds
//! them through `pipeline::fold_article` in one transaction and rolls it
//! back, so the store stays as built for the next run; `feed N FROM COUNT
//! FILE` writes incoming articles FROM .. FROM + COUNT for a store of N as
//! a JSON Feed, for a `feedfold run` that reads it as a source (each run
//! its own batch, so no run meets the copies an earlier one folded). STORE is a SQLite
//! path (`sqlite:PATH` or a bare path) or a `postgres://` URL of an empty
//! database. Prints the figures `BENCHMARKS.md` (near-duplicate folding)
//! records.

#[path = "../benches/near_scale/generate.rs"]
mod generate;

use std::time::Instant;

use chrono::{TimeZone, Utc};
use feedfold::config::StoreLocation;
use feedfold::dedup::near_rules::NearConfig;
use feedfold::dedup::{CANDIDATES_PER_KEY, Decision, Fingerprints, Known, decide};
use feedfold::pipeline::fold_article;
use feedfold::store::open_at;

fn usage() -> ! {
    eprintln!(
        "usage: near_scale build N STORE | near_scale fold STORE N [COUNT] | near_scale feed N FROM COUNT FILE"
    );
    std::process::exit(2)
}

fn number(text: Option<&String>) -> u64 {
    text.and_then(|t| t.replace('_', "").parse().ok())
        .unwrap_or_else(|| usage())
}

/// Bytes of the store: a SQLite file and its write-ahead log, or a
/// PostgreSQL database (`pg_database_size`, read with psql).
fn store_bytes(location: &StoreLocation) -> u64 {
    match location {
        StoreLocation::Sqlite(path) => ["", "-wal"]
            .iter()
            .map(|suffix| {
                let mut file = path.as_os_str().to_owned();
                file.push(suffix);
                std::fs::metadata(file).map(|m| m.len()).unwrap_or(0)
            })
            .sum(),
        StoreLocation::Postgres(url) => std::process::Command::new("psql")
            .args([
                url.secret(),
                "-Atc",
                "SELECT pg_database_size(current_database())",
            ])
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .and_then(|t| t.trim().parse().ok())
            .unwrap_or(0),
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("build") => {
            let n = number(args.get(1));
            let location = generate::location(args.get(2).unwrap_or_else(|| usage()));
            let start = Instant::now();
            generate::build(&location, n, 3).expect("build the store");
            let bytes = store_bytes(&location);
            println!(
                "built {n} articles in {:.1} s: {:.3} GB on disk, {:.0} bytes per article",
                start.elapsed().as_secs_f64(),
                bytes as f64 / 1e9,
                bytes as f64 / n as f64
            );
        }
        Some("fold") => {
            let location = generate::location(args.get(1).unwrap_or_else(|| usage()));
            let n = number(args.get(2));
            let count = args.get(3).map_or(2000, |c| number(Some(c)));
            fold(&location, n, count);
        }
        Some("feed") => {
            let n = number(args.get(1));
            let from = number(args.get(2));
            let count = number(args.get(3));
            let file = args.get(4).unwrap_or_else(|| usage());
            std::fs::write(file, incoming_feed(n, from, count)).expect("write the feed");
        }
        _ => usage(),
    }
}

/// Incoming articles `from .. from + count` for a store of `n`, as a JSON
/// Feed: the headline as the title, a paragraph a line of `content_text`.
fn incoming_feed(n: u64, from: u64, count: u64) -> String {
    let items: Vec<serde_json::Value> = (from..from + count)
        .map(|j| {
            let article = generate::incoming(j, n);
            let text: Vec<&str> = article.body.iter().map(|b| b.text.as_str()).collect();
            serde_json::json!({
                "id": format!("incoming-{j}"),
                "title": article.title,
                "content_text": text.join("\n"),
                "date_published": article.published.map(|d| d.to_rfc3339()),
            })
        })
        .collect();
    serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Incoming copies",
        "items": items,
    })
    .to_string()
}

fn fold(location: &StoreLocation, n: u64, count: u64) {
    let mut store = open_at(location).expect("open the store");
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
        match fold_article(&mut *batch, "incoming", article, Some(&near), now)
            .expect("fold")
            .decision
        {
            Decision::New { .. } => new += 1,
            Decision::Repeat { .. } | Decision::Update { .. } | Decision::EditedCopy { .. } => {
                repeat += 1
            }
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
        store_bytes(location) as f64 / 1e9
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

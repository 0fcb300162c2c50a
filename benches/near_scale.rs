//! Near-duplicate folding at scale (criterion): the lookup of one incoming
//! article's candidates (what the store returns, judged by
//! `dedup::decide`) and the fold of one article through
//! `pipeline::fold_article`, in generated stores of each size in
//! `NEAR_SCALE_SIZES` (default `10000`; `10000,1000000` for the figures in
//! `BENCHMARKS.md` (near-duplicate folding)). Stores are built once under
//! `target/near-scale/` and reused; each fold sample runs in a batch that
//! is rolled back, so every sample folds into the store as built.
//!
//! `cargo bench --bench near_scale`

#[path = "near_scale/generate.rs"]
mod generate;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

use feedfold::config::StoreLocation;
use feedfold::dedup::near_rules::NearConfig;
use feedfold::dedup::{CANDIDATES_PER_KEY, Fingerprints, Known, decide};
use feedfold::pipeline::fold_article;
use feedfold::store::Store;
use feedfold::store::sqlite::SqliteStore;

/// Incoming articles prepared per size; folds cycle through them.
const INCOMING: u64 = 8000;

fn sizes() -> Vec<u64> {
    std::env::var("NEAR_SCALE_SIZES")
        .unwrap_or_else(|_| "10000".into())
        .split(',')
        .map(|n| {
            n.trim()
                .replace('_', "")
                .parse()
                .expect("NEAR_SCALE_SIZES: numbers separated by commas")
        })
        .collect()
}

/// The generated store of `n` articles, built if it is missing.
fn store(n: u64) -> SqliteStore {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/near-scale");
    std::fs::create_dir_all(&dir).expect("create target/near-scale");
    let path = dir.join(format!("{n}.db"));
    let built = path.is_file()
        && SqliteStore::open(&path)
            .and_then(|mut s| s.article_count())
            .is_ok_and(|count| count == n);
    if !built {
        eprintln!(
            "building a store of {n} generated articles at {}",
            path.display()
        );
        generate::build(&StoreLocation::Sqlite(path.clone()), n, 3).expect("build the store");
    }
    SqliteStore::open(&path).expect("open the store")
}

fn near_scale(c: &mut Criterion) {
    let now = Utc.with_ymd_and_hms(2026, 11, 10, 7, 0, 0).unwrap();
    let mut group = c.benchmark_group("near_scale");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(10));
    for n in sizes() {
        let mut store = store(n);
        let articles: Vec<_> = (0..INCOMING).map(|j| generate::incoming(j, n)).collect();
        let prints: Vec<_> = articles
            .iter()
            .map(|a| Fingerprints::of(a, "incoming"))
            .collect();
        let near = NearConfig::default();
        group.bench_function(BenchmarkId::new("lookup", n), |b| {
            let mut next = prints.iter().cycle();
            let mut reader = store.begin("lookup").expect("transaction");
            b.iter(|| {
                let p = next.next().expect("cycles");
                let candidates = reader
                    .near_candidates(&p.near, CANDIDATES_PER_KEY)
                    .expect("lookup");
                decide(p, &Known::default(), &candidates, Some(&near))
            })
        });
        group.bench_function(BenchmarkId::new("fold", n), |b| {
            let mut offset = 0;
            b.iter_custom(|iters| {
                let mut batch = store.begin("incoming").expect("transaction");
                let start = Instant::now();
                for i in 0..iters {
                    let article = &articles[((offset + i) % INCOMING) as usize];
                    fold_article(&mut *batch, "incoming", article, Some(&near), now).expect("fold");
                }
                let elapsed = start.elapsed();
                offset += iters;
                elapsed
            })
        });
    }
    group.finish();
}

criterion_group!(benches, near_scale);
criterion_main!(benches);

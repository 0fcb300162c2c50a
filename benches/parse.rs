//! Criterion benchmarks of dump parsing: `DumpReader` over a generated dump
//! of about 12 MB held in memory, reported in bytes/s (decimal MB/s, to set
//! beside `sha256sum`) and in articles/s. See BENCHMARKS.md.

#[path = "support/dumpgen.rs"]
mod dumpgen;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use feedfold::ingest::DumpReader;

/// How much text the benchmark parses per iteration.
const DUMP_BYTES: usize = 12_000_000;
/// The same seed as `examples/gen_dump.rs` uses by default.
const SEED: u64 = 1;

/// A generated dump of at least [`DUMP_BYTES`] and how many articles it holds.
fn generated_dump() -> (String, u64) {
    let mut generator = dumpgen::DumpGen::new(SEED);
    let mut dump = String::with_capacity(DUMP_BYTES + 64 * 1024);
    let mut articles = 0;
    while dump.len() < DUMP_BYTES {
        generator.push_article(&mut dump);
        articles += 1;
    }
    (dump, articles)
}

/// Parses every article of `dump`, returning how many there were.
fn parse_all(dump: &[u8]) -> u64 {
    let mut articles = 0;
    for article in DumpReader::new(dump, "generated.txt") {
        black_box(article.expect("a generated dump parses"));
        articles += 1;
    }
    articles
}

fn parse(c: &mut Criterion) {
    let (dump, articles) = generated_dump();
    assert_eq!(
        parse_all(dump.as_bytes()),
        articles,
        "the parser must find every generated article, no more and no fewer"
    );
    let mut group = c.benchmark_group("dump_reader");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::BytesDecimal(dump.len() as u64));
    group.bench_function("bytes", |b| {
        b.iter(|| parse_all(black_box(dump.as_bytes())))
    });
    group.throughput(Throughput::Elements(articles));
    group.bench_function("articles", |b| {
        b.iter(|| parse_all(black_box(dump.as_bytes())))
    });
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);

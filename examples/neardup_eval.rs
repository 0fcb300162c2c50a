//! Prints the near-duplicate evaluation as Markdown: precision, recall,
//! confusion counts, distance distributions, threshold sweeps and the
//! fingerprint alternatives. `cargo run --release --example neardup_eval`;
//! the numbers are recorded in `BENCHMARKS.md` (near-duplicate folding).

#[path = "../tests/neardup/mod.rs"]
mod neardup;

use feedfold::dedup::near_rules::NearConfig;

fn main() {
    let corpus = neardup::Corpus::load(&neardup::fixtures());
    let pairs = neardup::generate(&corpus, 0);
    let config = NearConfig::default();
    let draws = neardup::other_draws(&corpus, &config);
    print!("{}", neardup::report(&corpus, &pairs, &draws, &config));
}

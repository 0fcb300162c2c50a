//! Prints the near-duplicate evaluation as Markdown: the light-edit set
//! (precision, recall, confusion counts, distance distributions, threshold
//! sweeps, fingerprint alternatives), then the syndication set judged
//! through the store. `cargo run --release --example neardup_eval`; the
//! numbers are recorded in `BENCHMARKS.md` (near-duplicate folding).

#[path = "../tests/neardup/mod.rs"]
mod neardup;
#[path = "../tests/common/shared.rs"]
mod shared;

use feedfold::dedup::near_rules::NearConfig;
use neardup::syndication::{self, Material};

fn main() {
    let corpus = neardup::Corpus::load(&neardup::fixtures());
    let pairs = neardup::generate(&corpus, 0);
    let config = NearConfig::default();
    let draws = neardup::other_draws(&corpus, &config);
    print!("{}", neardup::report(&corpus, &pairs, &draws, &config));

    let pages = shared::shared_dir("corpora/readability-test-pages");
    let material = Material::load(&neardup::fixtures(), pages.as_deref());
    let runs = syndication::generate(&corpus, &material, 0);
    let judged = syndication::judge_all(&runs, &config);
    let draws = syndication::other_draws(&corpus, &material, &config);
    println!("\n## Syndication set\n");
    print!("{}", syndication::report(&material, &runs, &judged, &draws));
    let blind = NearConfig {
        headline_similarity: 1.01,
        ..config
    };
    println!("\n### The same, with similar headlines never counting\n");
    print!(
        "{}",
        syndication::report(
            &material,
            &runs,
            &syndication::judge_all(&runs, &blind),
            &[]
        )
    );
}

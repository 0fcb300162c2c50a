//! Scores article extraction on a development set of HTML pages (see
//! `tests/extract_score/mod.rs` for the metric) and prints precision,
//! recall and F1, with `--pages` one line per page too.
//!
//! ```sh
//! cargo run --release --example extract_eval -- [--corpus DIR] [--predictions DIR] [--pages]
//! ```
//!
//! `--corpus` defaults to `../shared/corpora/readability-test-pages`.
//! With `--predictions DIR`, scores the texts another extractor wrote to
//! `DIR/<page>.txt` (a missing file counts as nothing extracted) instead
//! of feedfold's extractor.

#[path = "../tests/extract_score/mod.rs"]
mod extract_score;

use std::path::PathBuf;

use extract_score::{Match, Page};

fn main() {
    let mut corpus = PathBuf::from("../shared/corpora/readability-test-pages");
    let mut predictions = None;
    let mut per_page = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--corpus" => corpus = args.next().map(PathBuf::from).unwrap_or_else(|| usage()),
            "--predictions" => {
                predictions = Some(args.next().map(PathBuf::from).unwrap_or_else(|| usage()))
            }
            "--pages" => per_page = true,
            _ => usage(),
        }
    }
    let pages = extract_score::load(&corpus).unwrap_or_else(|e| {
        eprintln!("{}: {e}", corpus.display());
        std::process::exit(1)
    });
    let mut matches = Vec::new();
    for page in &pages {
        let extracted = match &predictions {
            Some(dir) => {
                std::fs::read_to_string(dir.join(format!("{}.txt", page.name))).unwrap_or_default()
            }
            None => feedfold_text(&page.source),
        };
        let m = extract_score::compare(&page.truth, &extracted);
        if per_page {
            print_page(page, &m);
        }
        matches.push(m);
    }
    let score = extract_score::score(&matches);
    println!(
        "pages {}  F1 {:.3}  precision {:.3}  recall {:.3}",
        pages.len(),
        score.f1,
        score.precision,
        score.recall
    );
}

/// The body feedfold extracts from a page: its paragraphs and crossheads,
/// one a line (captions are not body text).
fn feedfold_text(source: &std::path::Path) -> String {
    let bytes = std::fs::read(source).unwrap_or_default();
    let location = source.display().to_string();
    let page = feedfold::extract::PageSource {
        location: &location,
        ..Default::default()
    };
    match feedfold::extract::extract(&bytes, &page) {
        Ok(page) => extract_score::body_text(&page.article),
        Err(_) => String::new(),
    }
}

fn print_page(page: &Page, m: &Match) {
    let show = |v: Option<f64>| v.map_or("  -  ".to_string(), |v| format!("{v:.3}"));
    println!(
        "{:<45} P {}  R {}",
        page.name,
        show(m.precision()),
        show(m.recall())
    );
}

fn usage() -> ! {
    eprintln!("usage: extract_eval [--corpus DIR] [--predictions DIR] [--pages]");
    std::process::exit(2)
}

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
//! `DIR/<page>.txt` (a missing file counts as nothing extracted). Without
//! it, scores feedfold's extractor three ways: the article's body (its
//! paragraphs and crossheads, folded), the entry as published (its
//! captions, then its body), and the extraction before folding (every
//! paragraph, crosshead and caption in page order, repeats kept as other
//! extractors keep them).

#[path = "../tests/extract_score/mod.rs"]
mod extract_score;

use std::path::{Path, PathBuf};

use extract_score::{Match, Page};

/// What a page's extracted text comes from.
type Extractor = Box<dyn Fn(&Page) -> String>;

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
    let variants: Vec<(&str, Extractor)> = match predictions {
        Some(dir) => vec![(
            "predictions",
            Box::new(move |page: &Page| {
                std::fs::read_to_string(dir.join(format!("{}.txt", page.name))).unwrap_or_default()
            }),
        )],
        None => vec![
            (
                "body",
                Box::new(|page: &Page| article_text(&page.source, extract_score::body_text)),
            ),
            (
                "entry",
                Box::new(|page: &Page| article_text(&page.source, extract_score::entry_text)),
            ),
            (
                "unfolded",
                Box::new(|page: &Page| unfolded_text(&page.source)),
            ),
        ],
    };
    for (name, text) in &variants {
        let mut matches = Vec::new();
        let mut extracting = std::time::Duration::ZERO;
        for page in &pages {
            let started = std::time::Instant::now();
            let extracted = text(page);
            extracting += started.elapsed();
            let m = extract_score::compare(&page.truth, &extracted);
            if per_page {
                print_page(name, page, &m);
            }
            matches.push(m);
        }
        let score = extract_score::score(&matches);
        println!(
            "{name:<12} pages {}  F1 {:.3}  precision {:.3}  recall {:.3}  ({:.0} pages/s, reading included)",
            pages.len(),
            score.f1,
            score.precision,
            score.recall,
            pages.len() as f64 / extracting.as_secs_f64()
        );
    }
}

/// The text of the article feedfold extracts from a page, as `show` gives it.
fn article_text(source: &Path, show: fn(&feedfold::model::Article) -> String) -> String {
    let bytes = std::fs::read(source).unwrap_or_default();
    let location = source.display().to_string();
    let page = feedfold::ingest::page::PageSource {
        location: &location,
        ..Default::default()
    };
    match feedfold::ingest::page::extract(&bytes, &page) {
        Ok(page) => show(&page.article),
        Err(_) => String::new(),
    }
}

/// Everything feedfold finds in a page, in page order, before folding.
fn unfolded_text(source: &Path) -> String {
    let html = String::from_utf8_lossy(&std::fs::read(source).unwrap_or_default()).into_owned();
    extract_score::unfolded_text(&html)
}

fn print_page(variant: &str, page: &Page, m: &Match) {
    let show = |v: Option<f64>| v.map_or("  -  ".to_string(), |v| format!("{v:.3}"));
    println!(
        "{variant:<12} {:<45} P {}  R {}",
        page.name,
        show(m.precision()),
        show(m.recall())
    );
}

fn usage() -> ! {
    eprintln!("usage: extract_eval [--corpus DIR] [--predictions DIR] [--pages]");
    std::process::exit(2)
}

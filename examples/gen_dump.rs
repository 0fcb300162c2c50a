//! Writes a generated news dump for benchmarks: `--mb N` (at least N × 10^6
//! bytes, whole articles) or `--articles N`, from a fixed seed so the same
//! arguments always give the same file.
//!
//! ```sh
//! cargo run --release --example gen_dump -- --mb 100 /tmp/dump-100mb.txt
//! cargo run --release --example gen_dump -- --articles 10000 /tmp/dump-10k.txt
//! ```

#[path = "../benches/support/dumpgen.rs"]
mod dumpgen;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use clap::{ArgGroup, Parser};

/// Writes a generated news dump in the shape of scraped pages.
#[derive(Parser)]
#[command(group(ArgGroup::new("size").required(true).args(["mb", "articles"])))]
struct Args {
    /// Stop at the first article boundary after this many megabytes (10^6 bytes).
    #[arg(long)]
    mb: Option<u64>,
    /// Write exactly this many articles.
    #[arg(long)]
    articles: Option<u64>,
    /// The generator's seed; the same seed gives the same dump.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Where to write the dump.
    out: PathBuf,
}

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let byte_limit = args.mb.map_or(u64::MAX, |mb| mb * 1_000_000);
    let article_limit = args.articles.unwrap_or(u64::MAX);
    let mut generator = dumpgen::DumpGen::new(args.seed);
    let mut out = BufWriter::new(File::create(&args.out)?);
    let mut article = String::new();
    let (mut bytes, mut articles) = (0u64, 0u64);
    while bytes < byte_limit && articles < article_limit {
        article.clear();
        generator.push_article(&mut article);
        out.write_all(article.as_bytes())?;
        bytes += article.len() as u64;
        articles += 1;
    }
    out.flush()?;
    eprintln!("{}: {bytes} bytes, {articles} articles", args.out.display());
    Ok(())
}

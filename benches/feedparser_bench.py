#!/usr/bin/env python3
"""Python feedparser 6 on the documents `cargo bench --bench feed_parse`
writes to target/feed-bench/, for a side-by-side with feedfold's parser.

Run the Rust benchmark first (it writes the documents), then:

    python3 benches/feedparser_bench.py [DIR]

feedparser is not in the standard library. Install it in a virtual
environment:

    python3 -m venv .venv && .venv/bin/pip install 'feedparser>=6,<7'
    .venv/bin/python benches/feedparser_bench.py

Each document is parsed as feedparser is normally used: HTML sanitized and
relative links resolved against the document's URL (the same URL the Rust
benchmark passes). Prints time per document, decimal MB/s and entries/s as
a Markdown table, taking the median of repeated runs.
"""

import statistics
import sys
import time
from pathlib import Path

try:
    import feedparser
except ImportError:
    sys.exit(
        "feedparser is not installed. Install it with:\n"
        "  python3 -m venv .venv && .venv/bin/pip install 'feedparser>=6,<7'\n"
        "then run this script with .venv/bin/python"
    )

DOCUMENT_URL = "https://bench-news.example/feeds/all"
# Run each document for at least this long, and at least MIN_RUNS times.
MIN_SECONDS = 5.0
MIN_RUNS = 5


def measure(data, content_type):
    """Median seconds per parse of `data`, and the entries found."""
    headers = {"content-location": DOCUMENT_URL, "content-type": content_type}
    times = []
    entries = 0
    started = time.perf_counter()
    while len(times) < MIN_RUNS or time.perf_counter() - started < MIN_SECONDS:
        t0 = time.perf_counter()
        parsed = feedparser.parse(data, response_headers=headers)
        times.append(time.perf_counter() - t0)
        entries = len(parsed.entries)
        if parsed.bozo:
            sys.exit(f"feedparser could not read the document: {parsed.bozo_exception}")
    return statistics.median(times), entries, len(times)


def main():
    default = Path(__file__).resolve().parent.parent / "target" / "feed-bench"
    directory = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    names = [f"{kind}-{n}.xml" for n in (50, 200, 500) for kind in ("rss", "atom")]
    missing = [n for n in names if not (directory / n).exists()]
    if missing:
        sys.exit(
            f"{directory}: {', '.join(missing)} missing; "
            "run `cargo bench --bench feed_parse` first, it writes them"
        )
    print(f"feedparser {feedparser.__version__}, Python {sys.version.split()[0]}")
    print()
    print("| document | bytes | entries | time/doc | MB/s | entries/s | runs |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in names:
        data = (directory / name).read_bytes()
        kind = "rss" if name.startswith("rss") else "atom"
        seconds, entries, runs = measure(data, f"application/{kind}+xml; charset=utf-8")
        print(
            f"| {name} | {len(data)} | {entries} | {seconds * 1000:.1f} ms "
            f"| {len(data) / seconds / 1e6:.2f} | {entries / seconds:.0f} | {runs} |"
        )


if __name__ == "__main__":
    main()

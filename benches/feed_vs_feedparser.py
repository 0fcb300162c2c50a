#!/usr/bin/env python3
"""feedfold against Python feedparser on real feed files, whole process
against whole process, and feedfold's memory against the largest document.

    benches/fetch-feed-corpora.sh        # once: the feed files and a feedparser
    target/feed-corpora/venv/bin/python benches/feed_vs_feedparser.py [--runs 5] [--repeat 10]

Speed: `feedfold parse --json FILES...` (release build) and
`python benches/feedparser_entries.py FILES...` (feedparser.parse on each
file, one JSON line per entry) on the same list: every real feed file of
the corpora, the list repeated `--repeat` times. The two take turns (A B A B
...) after one warm-up each; each run's wall time, CPU time and peak memory
come from GNU time (/usr/bin/time). The ratio is the median over the pairs of
runs of feedparser's wall time over feedfold's. Output goes to /dev/null.

Memory: feedfold's peak resident memory on the list once and `--repeat`
times (the same: it holds one document at a time), and on one generated
document of about 16 MB (the largest real file's items repeated) beside
the largest real file, to show the peak follows the largest document.

Prints Markdown tables for BENCHMARKS.md.
"""

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

try:
    import feedparser
except ImportError:
    sys.exit(
        "feedparser is not installed: run benches/fetch-feed-corpora.sh and use "
        "target/feed-corpora/venv/bin/python"
    )

ROOT = Path(__file__).resolve().parent.parent


def run(command):
    """Runs `command` under GNU time with output to /dev/null: wall s, CPU s,
    peak MiB. (GNU time, being small, does not inflate the peak the way a
    fork of this Python process would.)"""
    with tempfile.NamedTemporaryFile("r") as times, open(os.devnull, "wb") as null:
        status = subprocess.run(
            ["/usr/bin/time", "-f", "%e %U %S %M", "-o", times.name, *command],
            stdout=null,
            stderr=null,
        ).returncode
        wall, user, system, peak = times.read().split()[-4:]
    if status not in (0, 1):
        sys.exit(f"{command[0]} failed with status {status}")
    return float(wall), float(user) + float(system), int(peak) / 1024


def alternate(a, b, runs):
    """A and B in turn after a warm-up each: lists of (wall, cpu, peak)."""
    run(a)
    run(b)
    results_a, results_b = [], []
    for _ in range(runs):
        results_a.append(run(a))
        results_b.append(run(b))
    return results_a, results_b


def medians(results):
    return [statistics.median(r[i] for r in results) for i in range(3)]


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


def big_document(source, target, size):
    """`source` with its items (or Atom entries) repeated until the document
    is `size` bytes."""
    text = source.read_text(encoding="utf-8")
    name = "item" if "</item>" in text else "entry"
    start = text.index(f"<{name}")
    end = text.rindex(f"</{name}>") + len(f"</{name}>")
    items = text[start:end]
    copies = max(1, size // len(items))
    target.write_text(text[:start] + items * copies + text[end:], encoding="utf-8")
    return target


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    corpora = Path(os.environ.get("FEED_CORPORA", ROOT / "target" / "feed-corpora"))
    files = (corpora / "real" / "files.txt").read_text().split()
    subprocess.run(["cargo", "build", "--release", "--bin", "feedfold"], cwd=ROOT, check=True)
    feedfold = str(ROOT / "target" / "release" / "feedfold")
    entries_script = str(ROOT / "benches" / "feedparser_entries.py")
    listed = files * args.repeat
    size = sum(Path(f).stat().st_size for f in files)

    print(f"machine: {cpu_model()}, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f} at the start; Python {platform.python_version()}, "
          f"feedparser {feedparser.__version__}")
    print(f"input: {len(files)} files, {size / 1e6:.2f} MB, read {args.repeat} times "
          f"({len(listed)} arguments, {size * args.repeat / 1e6:.1f} MB); {args.runs} runs each")
    print()
    a = [feedfold, "parse", "--json", *listed]
    b = [sys.executable, entries_script, *listed]
    results_a, results_b = alternate(a, b, args.runs)
    wall_a, cpu_a, peak_a = medians(results_a)
    wall_b, cpu_b, peak_b = medians(results_b)
    ratio_wall = statistics.median(rb[0] / ra[0] for ra, rb in zip(results_a, results_b))
    ratio_cpu = statistics.median(rb[1] / ra[1] for ra, rb in zip(results_a, results_b))
    print("| command | wall (median) | CPU (median) | peak memory | MB/s (wall) |")
    print("|---|---:|---:|---:|---:|")
    for name, wall, cpu, peak in (
        ("`feedfold parse --json FILES…`", wall_a, cpu_a, peak_a),
        ("`python feedparser_entries.py FILES…`", wall_b, cpu_b, peak_b),
    ):
        print(f"| {name} | {wall:.2f} s | {cpu:.2f} s | {peak:.1f} MiB "
              f"| {size * args.repeat / 1e6 / wall:.1f} |")
    print()
    print(f"feedfold is **{ratio_wall:.1f}x** feedparser's speed (wall, median of the "
          f"{args.runs} pair ratios; min {min(rb[0] / ra[0] for ra, rb in zip(results_a, results_b)):.1f}x, "
          f"max {max(rb[0] / ra[0] for ra, rb in zip(results_a, results_b)):.1f}x), "
          f"{ratio_cpu:.1f}x in CPU time.")
    print()

    largest = max(files, key=lambda f: Path(f).stat().st_size)
    big = big_document(Path(largest), corpora / "big-16mb.xml", 16_000_000)
    rows = [
        ("every file once", [feedfold, "parse", "--json", *files], size),
        (f"every file {args.repeat} times", a, size * args.repeat),
        (f"the largest file ({Path(largest).name})", [feedfold, "parse", "--json", largest],
         Path(largest).stat().st_size),
        ("its items repeated to 16 MB, one document", [feedfold, "parse", "--json", str(big)],
         big.stat().st_size),
    ]
    print("| feedfold parse --json on | input | largest document | peak memory (median) |")
    print("|---|---:|---:|---:|")
    for name, command, total in rows:
        peaks = [run(command)[2] for _ in range(3)]
        largest_doc = big.stat().st_size if "16 MB" in name else Path(largest).stat().st_size
        print(f"| {name} | {total / 1e6:.2f} MB | {largest_doc / 1e6:.2f} MB "
              f"| {statistics.median(peaks):.1f} MiB |")


if __name__ == "__main__":
    main()

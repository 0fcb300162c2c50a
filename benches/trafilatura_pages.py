#!/usr/bin/env python3
"""Python trafilatura on HTML article pages: the baseline that feedfold's
page extraction is scored and timed against.

    python3 benches/trafilatura_pages.py [--out DIR] PAGE.html...

Extracts the main text of each page with `trafilatura.extract` as it is
normally called (default options, the page's bytes as read from disk).
With `--out DIR`, writes each page's text to DIR/<name>.txt, where <name>
is the page's parent folder (the layout of the development set:
<name>/source.html), for `examples/extract_eval.rs --predictions DIR`.
Without it, only extracts: what the whole-process speed comparison times.
Prints nothing else unless a page fails.

trafilatura is not in the standard library. Install it in a virtual
environment (without `lxml_html_clean` it fails to import):

    python3 -m venv .venv && .venv/bin/pip install 'trafilatura==2.3.*' lxml_html_clean
    .venv/bin/python benches/trafilatura_pages.py --out target/trafilatura-out \\
        ../shared/corpora/readability-test-pages/*/source.html
"""

import sys
from pathlib import Path

try:
    import trafilatura
except ImportError:
    sys.exit(
        "trafilatura is not installed. Install it with:\n"
        "  python3 -m venv .venv && .venv/bin/pip install 'trafilatura==2.3.*' lxml_html_clean\n"
        "then run this script with .venv/bin/python"
    )


def main(argv):
    out = None
    if len(argv) >= 2 and argv[0] == "--out":
        out = Path(argv[1])
        out.mkdir(parents=True, exist_ok=True)
        argv = argv[2:]
    if not argv:
        sys.exit(__doc__)
    failures = 0
    for page in map(Path, argv):
        try:
            text = trafilatura.extract(page.read_bytes())
        except Exception as error:  # a page that breaks the baseline is counted
            print(f"{page}: {error}", file=sys.stderr)
            failures += 1
            text = None
        if out is not None:
            (out / f"{page.parent.name}.txt").write_text(text or "", encoding="utf-8")
    if failures:
        print(f"{failures} page(s) failed", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])

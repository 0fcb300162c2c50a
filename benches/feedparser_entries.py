#!/usr/bin/env python3
"""Python feedparser on feed files, as the reference feedfold is compared with.

    python3 benches/feedparser_entries.py FILE...

Parses each file with `feedparser.parse(path)` (as a user would, HTML
sanitized) and prints one JSON object per entry per line, the counterpart of
`feedfold parse --json FILE...`:

    {"file": "...", "entry": 0, "title": "...", "title_html": false,
     "link": "...", "id": "...", "summary": "...", "content": "...",
     "empty": false}

`empty` marks an entry with nothing of its own: no title, text, link, id,
enclosure or media.

and, for a file without entries, one line {"file": "...", "entries": 0}.
`tests/feed_agreement.rs` reads this output; `benches/feed-vs-feedparser.sh`
times it against feedfold as whole processes.
"""

import json
import sys

try:
    import feedparser
except ImportError:
    sys.exit(
        "feedparser is not installed: run benches/fetch-feed-corpora.sh and use "
        "target/feed-corpora/venv/bin/python"
    )


# What makes an entry more than empty.
OWN = ("title", "summary", "content", "link", "id", "enclosures", "media_content", "media_thumbnail")


def html_type(detail):
    return (detail or {}).get("type", "") in ("text/html", "application/xhtml+xml")


def main():
    out = sys.stdout
    for path in sys.argv[1:]:
        parsed = feedparser.parse(path)
        if not parsed.entries:
            out.write(json.dumps({"file": path, "entries": 0}) + "\n")
        for index, entry in enumerate(parsed.entries):
            content = entry.get("content") or [{}]
            record = {
                "file": path,
                "entry": index,
                "title": entry.get("title"),
                "title_html": html_type(entry.get("title_detail")),
                "link": entry.get("link"),
                "id": entry.get("id"),
                "summary": entry.get("summary"),
                "content": content[0].get("value"),
                "empty": not any(entry.get(key) for key in OWN),
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()

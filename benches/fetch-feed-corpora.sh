#!/usr/bin/env bash
# Fetches what the feed-reading comparisons read, through the package
# registries' own clients, into $FEED_CORPORA (default target/feed-corpora):
#
#   feedparser-<version>/tests/   Python feedparser's own test suite (its sdist)
#   venv/                         a Python virtual environment with that feedparser
#   real/<package>/...            real-world feed files that public parsers ship
#                                 as test fixtures (crates, PyPI and npm packages)
#   real/files.txt                the feed files, one path a line
#
# Nothing here is committed; tests/feed_agreement.rs and
# benches/feed-vs-feedparser.sh read it in place. Idempotent: what is already
# there is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${FEED_CORPORA:-target/feed-corpora}"
FEEDPARSER_VERSION=6.0.14
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
work="$DIR/downloads"
mkdir -p "$work"

# Python feedparser: the reference, and its test suite.
if [ ! -d "$DIR/feedparser-$FEEDPARSER_VERSION/tests" ]; then
  python3 -m pip download -q --no-deps --no-binary :all: "feedparser==$FEEDPARSER_VERSION" -d "$work"
  tar xzf "$work/feedparser-$FEEDPARSER_VERSION.tar.gz" -C "$DIR"
fi
if [ ! -x "$DIR/venv/bin/python" ] || ! "$DIR/venv/bin/python" -c "import feedparser" 2>/dev/null; then
  python3 -m venv "$DIR/venv"
  "$DIR/venv/bin/pip" install -q "feedparser==$FEEDPARSER_VERSION"
fi

real="$DIR/real"
mkdir -p "$real"

# Crates: fetched by cargo into its registry, read from there.
crates="$work/crates"
if [ ! -f "$real/.crates-done" ]; then
  mkdir -p "$crates/src"
  cat >"$crates/Cargo.toml" <<'EOF'
[package]
name = "feed-fixtures"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
feed-rs = "=3.0.0"
rss = "=2.1.2"
atom_syndication = "=0.12.10"
EOF
  : >"$crates/src/lib.rs"
  cargo fetch -q --manifest-path "$crates/Cargo.toml"
  cargo metadata -q --format-version 1 --manifest-path "$crates/Cargo.toml" |
    python3 -c '
import json, sys
wanted = {"feed-rs": "fixture", "rss": "tests/data", "atom_syndication": "tests/data"}
for p in json.load(sys.stdin)["packages"]:
    if p["name"] in wanted:
        root = p["manifest_path"].rsplit("/", 1)[0]
        print(p["name"], root + "/" + wanted[p["name"]])
' | while read -r name path; do
    rm -rf "${real:?}/crate-$name"
    mkdir -p "$real/crate-$name"
    cp -r "$path/." "$real/crate-$name/"
  done
  touch "$real/.crates-done"
fi

# PyPI source distributions.
for spec in podcastparser==0.6.11:tests/data reader==3.26:tests/data; do
  package="${spec%%==*}"
  rest="${spec#*==}"
  version="${rest%%:*}"
  inside="${rest#*:}"
  [ -d "$real/pypi-$package" ] && continue
  python3 -m pip download -q --no-deps --no-binary :all: "$package==$version" -d "$work"
  tar xzf "$work/$package-$version.tar.gz" -C "$work"
  mkdir -p "$real/pypi-$package"
  cp -r "$work/$package-$version/$inside/." "$real/pypi-$package/"
done

# npm packages (older versions shipped their test feeds).
for spec in rss-parser@2.12.1:test/input feedparser@1.1.6:test/feeds podcast-feed-parser@1.0.4:test/testfiles; do
  package="${spec%%@*}"
  rest="${spec#*@}"
  version="${rest%%:*}"
  inside="${rest#*:}"
  [ -d "$real/npm-$package" ] && continue
  tarball=$(cd "$work" && npm pack --silent "$package@$version" | tail -1)
  mkdir -p "$work/npm-$package"
  tar xzf "$work/$tarball" -C "$work/npm-$package"
  mkdir -p "$real/npm-$package"
  cp -r "$work/npm-$package/package/$inside/." "$real/npm-$package/"
done

# The feed files: XML documents (JSON Feed aside: feedparser does not read it).
find "$real" -type f \( -name '*.xml' -o -name '*.rss' -o -name '*.atom' -o -name '*.rdf' \) |
  LC_ALL=C sort >"$real/files.txt"
echo "feed corpora in $DIR: feedparser $FEEDPARSER_VERSION tests, $(wc -l <"$real/files.txt") real feed files"

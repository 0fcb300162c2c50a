#!/usr/bin/env bash
# Whole-process cost of a `pages` source: `feedfold parse --json` over a
# set of HTML pages (finding the articles only) against `feedfold run` with
# the same pages as a `pages = "…"` source into a fresh store (finding,
# dropping each site's template, folding, storing, publishing), and a
# second `run` over the same store (every page a repeat). Each is one
# process over all the pages, taken in turn; prints the median wall, user
# and system time and peak memory of each, and the store's size.
#
#   benches/pages-run.sh [RUNS]          (default 7)
#
# CORPUS names the pages' folder (default ../shared/corpora/
# readability-test-pages, every */source.html in it). Needs GNU time at
# /usr/bin/time and a release build: cargo build --release --bin feedfold
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${1:-7}"
corpus="$(realpath "${CORPUS:-../shared/corpora/readability-test-pages}")"
feedfold="$(realpath target/release/feedfold)"
[ -x "$feedfold" ] || { echo "build first: cargo build --release --bin feedfold" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time is missing (apt-get install time)" >&2; exit 2; }
pages=("$corpus"/*/source.html)
[ -e "${pages[0]}" ] || { echo "no pages under $corpus" >&2; exit 2; }
echo "${#pages[@]} pages, $(cat "${pages[@]}" | wc -c) bytes, $runs runs of each"

work=$(mktemp -d)
report="$work/time"
trap 'rm -rf "$work"' EXIT
cat >"$work/config.toml" <<TOML
[store]
path = "store/feedfold.db"

[publish]
dir = "feeds"
base_url = "http://127.0.0.1:8080"

[[source]]
name = "pages"
pages = "$corpus/*/source.html"

[[feed]]
name = "news"
title = "News"
limit = 200
TOML

# Runs a command under GNU time; prints "wall user sys peak_kib".
measure() {
  /usr/bin/time -f "%e %U %S %M" -o "$report" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$report"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

parse_runs=() fresh_runs=() again_runs=()
measure "$feedfold" parse --json "${pages[@]}" >/dev/null   # warm-up: the page cache
for _ in $(seq "$runs"); do
  parse_runs+=("$(measure "$feedfold" parse --json "${pages[@]}")")
  rm -rf "$work/store" "$work/feeds"
  fresh_runs+=("$(measure "$feedfold" run --quiet --config "$work/config.toml")")
  again_runs+=("$(measure "$feedfold" run --quiet --config "$work/config.toml")")
done

column() { local n=$1; shift; printf '%s\n' "$@" | awk -v n="$n" '{ print $n }' | median; }
row() {
  local name=$1; shift
  printf '%-28s wall %6.3f s  user %6.3f s  sys %6.3f s  peak %6.1f MiB\n' "$name" \
    "$(column 1 "$@")" "$(column 2 "$@")" "$(column 3 "$@")" \
    "$(awk -v k="$(column 4 "$@")" 'BEGIN { print k / 1024 }')"
}
row "parse --json" "${parse_runs[@]}"
row "run, fresh store" "${fresh_runs[@]}"
row "run again, same store" "${again_runs[@]}"
echo "store: $(du -k "$work/store/feedfold.db" | cut -f1) KiB; entries in the feed: $(grep -o '"id": *"' "$work/feeds/news.json" | wc -l)"

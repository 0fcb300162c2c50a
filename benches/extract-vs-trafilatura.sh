#!/usr/bin/env bash
# Whole-process article extraction from HTML pages: `feedfold parse --json`
# against Python trafilatura 2.3 (benches/trafilatura_pages.py) on the same
# pages, each one process over all of them, taken in turn (A B A B …) so a
# change in the machine's speed hits both alike. Prints the median wall,
# user and system time and peak memory of each, and the median of the
# per-pair speed ratios (trafilatura's wall time over feedfold's). Then
# feedfold's peak memory for 1 page (the largest) and for 1,000 pages (the
# set repeated).
#
#   benches/extract-vs-trafilatura.sh [RUNS]          (default 7)
#
# CORPUS names the pages' folder (default ../shared/corpora/
# readability-test-pages, every */source.html in it); PYTHON the
# interpreter with trafilatura installed (default .venv/bin/python, see
# benches/trafilatura_pages.py). Needs GNU time at /usr/bin/time and a
# release build: cargo build --release --bin feedfold
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${1:-7}"
corpus="${CORPUS:-../shared/corpora/readability-test-pages}"
python="${PYTHON:-.venv/bin/python}"
feedfold=target/release/feedfold
[ -x "$feedfold" ] || { echo "build first: cargo build --release --bin feedfold" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time is missing (apt-get install time)" >&2; exit 2; }
"$python" -c 'import trafilatura' 2>/dev/null || {
  echo "$python cannot import trafilatura: see benches/trafilatura_pages.py" >&2
  exit 2
}
pages=("$corpus"/*/source.html)
[ -e "${pages[0]}" ] || { echo "no pages under $corpus" >&2; exit 2; }
bytes=$(cat "${pages[@]}" | wc -c)
echo "${#pages[@]} pages, $bytes bytes, $runs runs of each"

report=$(mktemp)
trap 'rm -f "$report"' EXIT

# Runs a command under GNU time; prints "wall user sys peak_kib".
measure() {
  /usr/bin/time -f "%e %U %S %M" -o "$report" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$report"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

a_runs=() b_runs=() ratios=()
measure "$feedfold" parse --json "${pages[@]}" >/dev/null   # warm-up: the page cache
measure "$python" benches/trafilatura_pages.py "${pages[@]}" >/dev/null
for _ in $(seq "$runs"); do
  a=$(measure "$feedfold" parse --json "${pages[@]}")
  b=$(measure "$python" benches/trafilatura_pages.py "${pages[@]}")
  a_runs+=("$a") b_runs+=("$b")
  ratios+=("$(awk -v a="${a%% *}" -v b="${b%% *}" 'BEGIN { print (a > 0) ? b / a : 0 }')")
done

column() { local n=$1; shift; printf '%s\n' "$@" | awk -v n="$n" '{ print $n }' | median; }
row() {
  local name=$1; shift
  local wall; wall=$(column 1 "$@")
  awk -v name="$name" -v wall="$wall" -v user="$(column 2 "$@")" -v sys="$(column 3 "$@")" \
    -v kib="$(column 4 "$@")" -v pages="${#pages[@]}" \
    'BEGIN { printf "| %s | %s s | %s s | %s s | %.1f MiB | %.0f |\n", name, wall, user, sys, kib / 1024, pages / wall }'
}
echo
echo "| command | wall | user | sys | peak memory | pages/s |"
echo "|---|---|---|---|---|---|"
row "feedfold parse --json" "${a_runs[@]}"
row "trafilatura 2.3" "${b_runs[@]}"
echo
echo "speed ratio (trafilatura wall / feedfold wall), median of $runs pairs: $(printf '%s\n' "${ratios[@]}" | median)"

largest=$(ls -S "${pages[@]}" | head -n 1)
thousand=()
while [ ${#thousand[@]} -lt 1000 ]; do thousand+=("${pages[@]}"); done
thousand=("${thousand[@]:0:1000}")
one=$(measure "$feedfold" parse --json "$largest")
many=$(measure "$feedfold" parse --json "${thousand[@]}")
echo
echo "feedfold peak memory: 1 page (the largest, $(wc -c <"$largest") bytes): $(( ${one##* } / 1024 )) MiB;" \
  "1,000 pages: $(( ${many##* } / 1024 )) MiB (wall ${many%% *} s)"

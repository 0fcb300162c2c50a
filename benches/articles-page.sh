#!/usr/bin/env bash
# Whole-process timing of the articles page. `feedfold run` folds a
# generated dump of ARTICLES articles (source `desk`) and the first fifth of
# it again (source `wire`: an exact fold and a sighting each) into an empty
# SQLite store; `feedfold serve` starts on that store; once its own first
# cycle is done, curl times REQUESTS requests for the newest page
# (`/articles`) and as many for a page from the middle of the store
# (`/articles?from=ID`). Prints, per page, the fastest, median, 95th
# percentile and slowest `time_total` in milliseconds (connection included).
# See BENCHMARKS.md ("The articles page").
#
# Usage: benches/articles-page.sh [REQUESTS]
#   REQUESTS    requests per page (default 200), one curl each, in turn
#   ARTICLES    articles in the store (default 10000)
#   BENCH_DATA  where the dumps and the store go (default target/bench-data)
set -euo pipefail
cd "$(dirname "$0")/.."

REQUESTS=${1:-200}
ARTICLES=${ARTICLES:-10000}
DATA=${BENCH_DATA:-target/bench-data}/articles-page
FEEDFOLD=$PWD/target/release/feedfold
GEN=$PWD/target/release/examples/gen_dump

cargo build --release --bin feedfold --example gen_dump
rm -rf "$DATA"
mkdir -p "$DATA/dumps"
DATA=$(cd "$DATA" && pwd)
"$GEN" --articles "$ARTICLES" "$DATA/dumps/desk.txt"
# The same seed gives the same articles first.
"$GEN" --articles $((ARTICLES / 5)) "$DATA/dumps/wire.txt"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$DATA/config.toml" <<EOF
[server]
bind = "127.0.0.1:$PORT"

[schedule]
interval = "1d"

[[source]]
name = "desk"
text = "dumps/desk.txt"

[[source]]
name = "wire"
text = "dumps/wire.txt"

[[feed]]
name = "all"
title = "Everything"
EOF

/usr/bin/time -f "run: %e s wall, %M KiB peak" "$FEEDFOLD" run --quiet --config "$DATA/config.toml"
"$FEEDFOLD" serve --config "$DATA/config.toml" >"$DATA/serve.out" 2>"$DATA/serve.err" &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true' EXIT
BASE=http://127.0.0.1:$PORT
# Wait for the server's own first cycle (it holds the store while it folds).
for _ in $(seq 600); do
    if curl -sf "$BASE/healthz" | grep -q '"status":"ok"'; then
        break
    fi
    sleep 0.2
done
curl -sf "$BASE/healthz" | grep -q '"status":"ok"' || { echo "the server did not finish its first cycle"; exit 1; }

# A page from the middle: it starts at the first article from halfway
# through the dump that is stored under its own id (not folded into another).
MIDDLE=
while read -r id; do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/articles?from=$id")" = 200 ]; then
        MIDDLE=$id
        break
    fi
done < <("$FEEDFOLD" parse --json "$DATA/dumps/desk.txt" | tail -n +$((ARTICLES / 2)) | head -n 50 |
    python3 -c 'import json, sys, urllib.parse
for line in sys.stdin: print(urllib.parse.quote(json.loads(line)["id"], safe=""))')
[ -n "$MIDDLE" ] || { echo "no stored article halfway through the dump"; exit 1; }
echo "store: $ARTICLES articles, $(stat -c %s "$DATA/feedfold.db") bytes; page bytes: newest $(curl -s "$BASE/articles" | wc -c), middle $(curl -s "$BASE/articles?from=$MIDDLE" | wc -c)"

# stats LABEL: min, median, p95 and max of the seconds on standard input, in ms.
stats() {
    sort -g | awk -v label="$1" '{ v[NR] = $1 * 1000 }
        END { printf "%-8s n=%d  min %.2f ms  median %.2f ms  p95 %.2f ms  max %.2f ms\n",
              label, NR, v[1], (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2,
              v[int(NR * 0.95 + 0.5)], v[NR] }'
}

: >"$DATA/newest.txt"
: >"$DATA/middle.txt"
for _ in $(seq "$REQUESTS"); do
    curl -s -o /dev/null -w '%{time_total}\n' "$BASE/articles" >>"$DATA/newest.txt"
    curl -s -o /dev/null -w '%{time_total}\n' "$BASE/articles?from=$MIDDLE" >>"$DATA/middle.txt"
done
stats newest <"$DATA/newest.txt"
stats middle <"$DATA/middle.txt"

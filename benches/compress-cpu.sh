#!/usr/bin/env bash
# CPU the server spends per compressed answer: `feedfold serve` on a feed of
# about MB megabytes (the data benches/slow_readers.py generates), REQUESTS
# requests of it in turn with `Accept-Encoding: br` (then gzip), and the
# server process's user + system CPU time (from /proc/PID/stat) divided by
# the requests. See BENCHMARKS.md.
#
# Usage: benches/compress-cpu.sh [REQUESTS]
#   FEEDFOLD   a feedfold binary to measure (default: this tree's, built in release)
#   GEN_DUMP   a gen_dump binary; with FEEDFOLD, nothing is built
#   MB         feed size (default 10)
# Needs: curl, python3.
set -euo pipefail
cd "$(dirname "$0")/.."

REQUESTS=${1:-10}
MB=${MB:-10}
PORT=18091
DATA=$PWD/target/bench-data/compress-cpu

if [ -z "${FEEDFOLD:-}" ] || [ -z "${GEN_DUMP:-}" ]; then
    cargo build --release --bin feedfold --example gen_dump
fi
FEEDFOLD=${FEEDFOLD:-$PWD/target/release/feedfold}
GEN_DUMP=${GEN_DUMP:-$PWD/target/release/examples/gen_dump}
mkdir -p "$DATA/dumps"
articles=$((MB * 1000000 / 3600))
dump="$DATA/dumps/news-$articles.txt"
if [ ! -s "$dump" ]; then
    rm -f "$DATA"/dumps/*
    "$GEN_DUMP" --articles "$articles" "$dump"
fi
limit=$((articles < 10000 ? articles : 10000))
cat >"$DATA/config.toml" <<CONF
[store]
path = "feedfold.db"

[publish]
dir = "feeds"
base_url = "http://127.0.0.1:$PORT"

[server]
bind = "127.0.0.1:$PORT"

[schedule]
interval = "1d"

[[source]]
name = "bench"
text = "dumps/*.txt"

[[feed]]
name = "news"
title = "Large feed"
limit = $limit
CONF
"$FEEDFOLD" run --quiet --config "$DATA/config.toml"

"$FEEDFOLD" serve --config "$DATA/config.toml" >"$DATA/serve.out" 2>"$DATA/serve.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
until grep -q "serving on" "$DATA/serve.out" 2>/dev/null; do sleep 0.2; done
until curl -sf "http://127.0.0.1:$PORT/healthz" | grep -vq '"starting"'; do sleep 0.5; done
sleep 1

cpu_seconds() {  # utime + stime of the server, in seconds
    awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$server/stat"
}

echo "binary: $FEEDFOLD"
echo "news.rss: $(stat -c %s "$DATA/feeds/news.rss") bytes"
for encoding in br gzip; do
    before=$(cpu_seconds)
    started=$(date +%s.%N)
    bytes=0
    for _ in $(seq "$REQUESTS"); do
        n=$(curl -s -o /dev/null -w '%{size_download}' -H "Accept-Encoding: $encoding" \
            "http://127.0.0.1:$PORT/feeds/news.rss")
        bytes=$n
    done
    after=$(cpu_seconds)
    ended=$(date +%s.%N)
    python3 - "$encoding" "$REQUESTS" "$before" "$after" "$started" "$ended" "$bytes" <<'PY'
import sys
encoding, requests, before, after, started, ended, size = sys.argv[1:]
requests = int(requests)
cpu = (float(after) - float(before)) / requests
wall = (float(ended) - float(started)) / requests
print(f"{encoding}: {requests} requests, {int(size)} bytes each; server CPU {cpu * 1000:.1f} ms a request, {wall * 1000:.1f} ms wall a request")
PY
done

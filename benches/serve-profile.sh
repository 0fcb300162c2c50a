#!/usr/bin/env bash
# Instructions a feed request costs `feedfold serve`, counted by callgrind:
# the server runs under valgrind, its counters are zeroed once it is idle,
# wrk sends requests for DURATION seconds over 8 connections, the counters
# are dumped, and the user-space instructions are divided by the requests
# wrk completed. Deterministic where requests/s are not, so it is what to
# compare while changing the request path. See BENCHMARKS.md.
#
# Usage: benches/serve-profile.sh [PATH] [HEADER]
#   PATH       what to request (default /feeds/small.rss: a two-entry feed)
#   HEADER     one request header (default none), e.g. "If-None-Match: ..."
#   DURATION   seconds of load (default 8)
#   FEEDFOLD   the binary to profile (default: this tree's, built in release)
# Needs: valgrind, wrk (apt-get install valgrind wrk). Run
# benches/serve-vs-nginx.sh once first: it generates the data used here.
# `callgrind_annotate --inclusive=yes target/bench-data/serve/callgrind.out.1`
# then shows where the instructions go.
set -euo pipefail
cd "$(dirname "$0")/.."

REQUEST_PATH=${1:-/feeds/small.rss}
HEADER=${2:-X-Bench: 1}
DURATION=${DURATION:-8}
DATA=${BENCH_DATA:-target/bench-data}/serve
PORT=18080
for tool in valgrind callgrind_control callgrind_annotate wrk; do
    command -v "$tool" >/dev/null || { echo "$tool is needed: apt-get install valgrind wrk" >&2; exit 2; }
done
grep -q 'name = "small"' "$DATA/config.toml" 2>/dev/null ||
    { echo "run benches/serve-vs-nginx.sh (to its end) first" >&2; exit 2; }
if [ -z "${FEEDFOLD:-}" ]; then
    # The same build as serve-vs-nginx.sh's, so neither rebuilds the other's.
    cargo build --release --bin feedfold --example gen_dump
    FEEDFOLD=$PWD/target/release/feedfold
fi
OUT=$DATA/callgrind.out
rm -f "$OUT" "$OUT".*
valgrind --tool=callgrind --callgrind-out-file="$OUT" \
    "$FEEDFOLD" serve --config "$DATA/config.toml" >"$DATA/profile.log" 2>&1 &
VALGRIND_PID=$!
trap 'kill "$VALGRIND_PID" 2>/dev/null || true' EXIT
for _ in $(seq 600); do grep -q 'serving on' "$DATA/profile.log" && break; sleep 0.2; done
grep -q 'serving on' "$DATA/profile.log" || { echo "feedfold serve did not start" >&2; exit 1; }
# Let the first ingest cycle end, then count from zero.
sleep 20
curl -s -o /dev/null "http://127.0.0.1:$PORT$REQUEST_PATH"
callgrind_control -z "$VALGRIND_PID" >/dev/null
requests=$(wrk -t1 -c8 -d"${DURATION}s" -H "$HEADER" "http://127.0.0.1:$PORT$REQUEST_PATH" |
    awk '/requests in/ { print $1 }')
callgrind_control -d "$VALGRIND_PID" >/dev/null
kill -INT "$VALGRIND_PID"; wait "$VALGRIND_PID" 2>/dev/null || true
total=$(callgrind_annotate "$OUT.1" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
echo "$REQUEST_PATH ($HEADER): $requests requests, $total instructions, $((total / requests)) a request"

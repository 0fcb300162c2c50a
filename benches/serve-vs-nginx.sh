#!/usr/bin/env bash
# Serving benchmark: a 50-entry feed and a two-entry feed served by
# `feedfold serve` beside the same files served by nginx (Debian's package),
# loaded in turns by wrk with 64 connections: requests/s and p99 latency for
# full 200 responses of each and for 304 revalidations. Then the peak memory
# of `feedfold serve` with 100 feeds. See BENCHMARKS.md.
#
# Usage: benches/serve-vs-nginx.sh [RUNS]
#   RUNS       rounds of the six loads (default 3); medians are reported
#   DURATION   seconds per load (default 10)
#   BENCH_DATA where files go (default target/bench-data)
#   FEEDFOLD   a feedfold binary to measure (default: this tree's, built in release)
# Needs: nginx, wrk, curl (apt-get install nginx wrk curl).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-3}
DURATION=${DURATION:-10}
DATA=${BENCH_DATA:-target/bench-data}/serve
FEEDFOLD_PORT=18080
NGINX_PORT=18081

for tool in nginx wrk curl; do
    command -v "$tool" >/dev/null || { echo "$tool is needed: apt-get install $tool" >&2; exit 2; }
done
if [ -z "${FEEDFOLD:-}" ]; then
    cargo build --release --bin feedfold --example gen_dump
    FEEDFOLD=$PWD/target/release/feedfold
else
    cargo build --release --example gen_dump
fi
mkdir -p "$DATA/dumps" "$DATA/nginx/logs"
DATA=$(cd "$DATA" && pwd)
[ -s "$DATA/dumps/news.txt" ] || target/release/examples/gen_dump --articles 50 "$DATA/dumps/news.txt"

feeds_config() {  # feeds_config COUNT: COUNT feeds of 50 entries each (and, for one, a 2-entry feed)
    cat <<CONF
[store]
path = "feedfold.db"

[publish]
dir = "feeds"
base_url = "http://127.0.0.1:$FEEDFOLD_PORT"

[server]
bind = "127.0.0.1:$FEEDFOLD_PORT"

[schedule]
interval = "1d"

[[source]]
name = "bench"
text = "dumps/*.txt"
CONF
    for i in $(seq 1 "$1"); do
        local name=news
        [ "$1" -gt 1 ] && name="news$i"
        printf '\n[[feed]]\nname = "%s"\ntitle = "Benchmark feed %s"\nlimit = 50\n' "$name" "$i"
    done
    if [ "$1" -eq 1 ]; then
        printf '\n[[feed]]\nname = "small"\ntitle = "Two entries"\nlimit = 2\n'
    fi
}

feeds_config 1 >"$DATA/config.toml"
"$FEEDFOLD" run --quiet --config "$DATA/config.toml"

cat >"$DATA/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $DATA/nginx/nginx.pid;
error_log $DATA/nginx/logs/error.log;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on;
    etag on;
    client_body_temp_path $DATA/nginx/body;
    proxy_temp_path $DATA/nginx/proxy;
    fastcgi_temp_path $DATA/nginx/fastcgi;
    uwsgi_temp_path $DATA/nginx/uwsgi;
    scgi_temp_path $DATA/nginx/scgi;
    types { application/rss+xml rss; }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $DATA;
    }
}
CONF

SERVER_PID=
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
    nginx -c "$DATA/nginx/nginx.conf" -s stop 2>/dev/null || true
}
trap cleanup EXIT

start_feedfold() {
    "$FEEDFOLD" serve --config "$DATA/config.toml" >"$DATA/serve.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1200); do grep -q "serving on" "$DATA/serve.log" && return; sleep 0.1; done
    echo "feedfold serve did not start" >&2; cat "$DATA/serve.log" >&2; exit 1
}

nginx -c "$DATA/nginx/nginx.conf"
start_feedfold
sleep 1

url() { echo "http://127.0.0.1:$1/feeds/${2:-news}.rss"; }
etag_of() { curl -sI "$1" | awk 'tolower($1) == "etag:" { sub(/\r$/, "", $2); print $2 }'; }

for port in $NGINX_PORT $FEEDFOLD_PORT; do
    for feed in news small; do
        cmp -s <(curl -s "$(url $port $feed)") "$DATA/feeds/$feed.rss" || { echo "port $port does not serve $feed.rss" >&2; exit 1; }
    done
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $(etag_of "$(url $port)")" "$(url $port)")
    [ "$status" = 304 ] || { echo "port $port answers $status to its own ETag" >&2; exit 1; }
done

RESULTS=$DATA/results.txt
: >"$RESULTS"
load() {  # load LABEL URL [HEADER]: one wrk run, appends "LABEL rps p99_ms"
    local out rps p99
    if [ $# -ge 3 ]; then
        out=$(wrk -t2 -c64 -d"${DURATION}s" --latency -H "$3" "$2")
    else
        out=$(wrk -t2 -c64 -d"${DURATION}s" --latency "$2")
    fi
    rps=$(echo "$out" | awk '/^Requests\/sec:/ { print $2 }')
    p99=$(echo "$out" | awk '$1 == "99%" {
        v = $2; unit = v; sub(/[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v);
        if (unit == "us") v /= 1000; else if (unit == "s") v *= 1000; print v }')
    echo "$1 $rps $p99" >>"$RESULTS"
}

NGINX_ETAG=$(etag_of "$(url $NGINX_PORT)")
FEEDFOLD_ETAG=$(etag_of "$(url $FEEDFOLD_PORT)")
for round in $(seq "$RUNS"); do
    echo "round $round of $RUNS" >&2
    load nginx-200 "$(url $NGINX_PORT)"
    load feedfold-200 "$(url $FEEDFOLD_PORT)"
    load nginx-small "$(url $NGINX_PORT small)"
    load feedfold-small "$(url $FEEDFOLD_PORT small)"
    load nginx-304 "$(url $NGINX_PORT)" "If-None-Match: $NGINX_ETAG"
    load feedfold-304 "$(url $FEEDFOLD_PORT)" "If-None-Match: $FEEDFOLD_ETAG"
done

median() {  # median LABEL FIELD (2 rps, 3 p99)
    awk -v l="$1" -v f="$2" '$1 == l { print $f }' "$RESULTS" | sort -g |
        awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; $(nginx -v 2>&1); $(wrk -v 2>&1 | head -1)"
echo "feeds: news.rss $(stat -c %s "$DATA/feeds/news.rss") bytes, 50 entries (200, 304); small.rss $(stat -c %s "$DATA/feeds/small.rss") bytes, 2 entries (small)"
echo "wrk -t2 -c64 -d${DURATION}s, $RUNS rounds, medians"
for kind in 200 small 304; do
    n=$(median "nginx-$kind" 2); f=$(median "feedfold-$kind" 2)
    printf '%-5s: nginx %8.0f req/s (p99 %5.2f ms)   feedfold %8.0f req/s (p99 %5.2f ms)   ratio %.2f\n' \
        "$kind" "$n" "$(median "nginx-$kind" 3)" "$f" "$(median "feedfold-$kind" 3)" \
        "$(awk -v a="$f" -v b="$n" 'BEGIN { print a / b }')"
done

# Peak memory with 100 feeds, after every format of every feed was requested.
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
feeds_config 100 >"$DATA/config.toml"
"$FEEDFOLD" run --quiet --config "$DATA/config.toml"
start_feedfold
for i in $(seq 1 100); do
    for ext in rss atom json; do
        curl -s -o /dev/null --compressed "http://127.0.0.1:$FEEDFOLD_PORT/feeds/news$i.$ext"
    done
done
wrk -t2 -c64 -d2s "http://127.0.0.1:$FEEDFOLD_PORT/feeds/news50.atom" >/dev/null
printf 'feedfold serve with 100 feeds: peak RSS %s (VmHWM), now %s\n' \
    "$(awk '/^VmHWM/ { print $2 " " $3 }' "/proc/$SERVER_PID/status")" \
    "$(awk '/^VmRSS/ { print $2 " " $3 }' "/proc/$SERVER_PID/status")"
feeds_config 1 >"$DATA/config.toml"

#!/usr/bin/env bash
# Whole-process benchmarks of the PostgreSQL store with public tools (GNU
# time, psql): a `run` of 10,000 generated articles (eight dumps, eight
# sources) into an empty SQLite store beside the same into an empty
# PostgreSQL database, and then 1, 2 and 4 `run` workers started at once
# with that config against one empty database (the workers share the
# sources out through their claims). Each PostgreSQL result is checked: the
# database holds every article once. See BENCHMARKS.md ("PostgreSQL").
#
# Usage: BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:PORT/postgres \
#          benches/postgres-workers.sh [RUNS]
#   BENCH_POSTGRES_URL a database on a server where the script may create and
#                      drop the database feedfold_bench (.ci/postgres.sh starts one)
#   RUNS               counted runs of each case after one warm-up (default 5);
#                      the cases take turns, so drift hits them alike
#   BENCH_DATA         where the dumps, stores and timings go (default target/bench-data)
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-5}
URL=${BENCH_POSTGRES_URL:?set BENCH_POSTGRES_URL}
DATA=${BENCH_DATA:-target/bench-data}/workers
FEEDFOLD=$PWD/target/release/feedfold
GEN=$PWD/target/release/examples/gen_dump

cargo build --release --bin feedfold --example gen_dump
mkdir -p "$DATA/dumps"
DATA=$(cd "$DATA" && pwd)
TIMES=$DATA/times.txt
: >"$TIMES"

for i in 1 2 3 4 5 6 7 8; do
    [ -s "$DATA/dumps/d$i.txt" ] || "$GEN" --seed "$i" --articles 1250 "$DATA/dumps/d$i.txt"
done

BENCH_DB=feedfold_bench
BENCH_URL=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$URL" "$BENCH_DB")

config() {  # config STORE_LINE: the config of every case
    printf '[store]\n%s\n\n[publish]\ndir = "feeds"\n' "$1"
    for i in 1 2 3 4 5 6 7 8; do
        printf '\n[[source]]\nname = "s%s"\ntext = "%s/dumps/d%s.txt"\n' "$i" "$DATA" "$i"
    done
    printf '\n[[feed]]\nname = "all"\ntitle = "All"\n'
}
mkdir -p "$DATA/sqlite" "$DATA/postgres"
config 'path = "feedfold.db"' >"$DATA/sqlite/config.toml"
config "url = \"$BENCH_URL\"" >"$DATA/postgres/config.toml"

fresh_database() {
    psql -q "$URL" -c "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" -c "CREATE DATABASE $BENCH_DB"
}

# workers N: N `run`s with the PostgreSQL config, started at once.
workers() {
    local pids=() status=0
    for _ in $(seq "$1"); do
        "$FEEDFOLD" run --quiet --config "$DATA/postgres/config.toml" & pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid" || status=1; done
    return $status
}

# timed LABEL COMMAND...: runs once under GNU time, appending
# "LABEL wall_s user_s sys_s peak_KiB" to $TIMES (user and sys of the
# feedfold processes, not of the PostgreSQL server).
timed() {
    local label=$1
    shift
    /usr/bin/time -f "$label %e %U %S %M" -a -o "$TIMES" "$@"
}

one_round() {
    rm -f "$DATA"/sqlite/feedfold.db*
    timed sqlite "$FEEDFOLD" run --quiet --config "$DATA/sqlite/config.toml"
    for n in 1 2 4; do
        fresh_database
        timed "postgres-$n" bash -c "$(declare -f workers); FEEDFOLD=$FEEDFOLD DATA=$DATA; workers $n"
        stored=$(psql -At "$BENCH_URL" -c "SELECT count(*) FROM article")
        [ "$stored" -ge 9900 ] || { echo "postgres-$n stored $stored articles"; exit 1; }
    done
}

one_round  # warm-up, not counted
: >"$TIMES"
for _ in $(seq "$RUNS"); do one_round; done

middle() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
echo "case        wall_s  user_s  sys_s   peak_KiB  (medians of $RUNS runs)"
for label in sqlite postgres-1 postgres-2 postgres-4; do
    printf '%-11s' "$label"
    for column in 2 3 4 5; do
        printf ' %7s' "$(awk -v l="$label" -v c="$column" '$1 == l { print $c }' "$TIMES" | middle)"
    done
    echo
done
stored=$(psql -At "$BENCH_URL" -c "SELECT count(*) FROM article")
echo "articles stored by the last case: $stored"

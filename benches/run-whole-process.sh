#!/usr/bin/env bash
# Whole-process benchmarks of feedfold with public tools (GNU time and
# sha256sum): `parse` of a generated 100 MB dump beside `sha256sum` of the same
# file, and full `run`s of 10,000 and 40,000 generated articles into an empty
# store and again into the store that holds them. See BENCHMARKS.md.
#
# With BASELINE set to another build's feedfold binary (the release build
# of main, say), it also times `run` of a 25,000-article dump into an empty
# store with that binary and with this tree's, in turn, and prints this
# tree's throughput as a multiple of the baseline's.
#
# Usage: benches/run-whole-process.sh [RUNS]
#   RUNS       counted runs of each command after one warm-up (default 5);
#              the commands of one comparison take turns, so drift in the
#              machine's speed hits them alike
#   BENCH_DATA where the dumps, stores and timings go (default target/bench-data)
#   BASELINE   a feedfold binary to compare `run` with (default: none)
#   SECTIONS   which comparisons to make, of "parse run baseline" (default:
#              all; baseline only with BASELINE)
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-5}
DATA=${BENCH_DATA:-target/bench-data}
SECTIONS=${SECTIONS:-parse run baseline}
TIME=/usr/bin/time
FEEDFOLD=$PWD/target/release/feedfold
GEN=$PWD/target/release/examples/gen_dump

cargo build --release --bin feedfold --example gen_dump
mkdir -p "$DATA"
DATA=$(cd "$DATA" && pwd)
TIMES=$DATA/times.txt

# gen FILE ARGS...: writes a generated dump unless it is already there.
gen() {
    local file=$1
    shift
    [ -s "$file" ] || "$GEN" "$@" "$file"
}

# timed LABEL COMMAND: runs the shell command once under GNU time and appends
# "LABEL wall_s user_s sys_s peak_KiB" to $TIMES.
timed() {
    "$TIME" -f "$1 %e %U %S %M" -a -o "$TIMES" sh -c "$2"
}

# middle: the median of the numbers on standard input, one a line.
middle() {
    sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# median LABEL FIELD: the median of one field (2 wall, 3 user, 4 sys, 5 peak)
# over the runs recorded for LABEL.
median() {
    awk -v label="$1" -v field="$2" '$1 == label { print $field }' "$TIMES" | middle
}

# report LABEL [BYTES [ARTICLES]]: one line of medians, with throughput when
# the input's size is given.
report() {
    local wall user sys peak
    wall=$(median "$1" 2)
    user=$(median "$1" 3)
    sys=$(median "$1" 4)
    peak=$(median "$1" 5)
    printf '%-28s wall %6.2f s  user %6.2f s  sys %5.2f s  peak %6.1f MiB' \
        "$1" "$wall" "$user" "$sys" "$(echo "$peak" | awk '{ print $1 / 1024 }')"
    if [ $# -ge 2 ]; then
        printf '  %6.1f MB/s' "$(awk -v b="$2" -v t="$wall" 'BEGIN { print b / 1e6 / t }')"
    fi
    if [ $# -ge 3 ]; then
        printf '  %6.0f articles/s' "$(awk -v a="$3" -v t="$wall" 'BEGIN { print a / t }')"
    fi
    printf '\n'
}

# ratio A B: A's speed as a multiple of B's: the median over the pairs of
# runs (A's n-th run with B's n-th, which ran next to it) of B's wall time
# over A's.
ratio() {
    awk -v a="$1" -v b="$2" '
        $1 == a { ta[++na] = $2 }
        $1 == b { tb[++nb] = $2 }
        END { for (i = 1; i <= na && i <= nb; i++) print tb[i] / ta[i] }' "$TIMES" |
        middle | awk '{ printf "%.2f", $1 }'
}

# config DIR DUMP: a project folder whose one source is DUMP.
config() {
    mkdir -p "$1"
    cat >"$1/config.toml" <<EOF
[store]
path = "store/feedfold.db"

[publish]
dir = "feeds"
base_url = "http://127.0.0.1:8080"

[[source]]
name = "generated"
text = "$2"

[[feed]]
name = "news"
title = "Generated news"
limit = 50
EOF
}

echo "== machine"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores"
echo "rustc: $(rustc --version)"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"

# wanted SECTION: whether SECTION is one of $SECTIONS.
wanted() {
    case " $SECTIONS " in *" $1 "*) return 0 ;; *) return 1 ;; esac
}

: >"$TIMES"
echo "== generating dumps in $DATA"
if wanted parse; then
gen "$DATA/dump-100mb.txt" --mb 100
DUMP=$DATA/dump-100mb.txt
BYTES=$(stat -c %s "$DUMP")
ARTICLES=$("$FEEDFOLD" parse "$DUMP" | tail -n 1 | sed -E 's/.*: ([0-9]+) article.*/\1/')
echo "$DUMP: $BYTES bytes, $ARTICLES articles"

echo "== parse vs sha256sum ($RUNS runs each, taking turns, after one warm-up)"
SHA="exec sha256sum '$DUMP' >/dev/null"
PARSE="exec '$FEEDFOLD' parse '$DUMP' >/dev/null"
JSON="exec '$FEEDFOLD' parse --json '$DUMP' >/dev/null"
sh -c "$SHA"
sh -c "$PARSE"
sh -c "$JSON"
for _ in $(seq "$RUNS"); do
    timed sha256sum "$SHA"
    timed parse "$PARSE"
    timed parse-json "$JSON"
done
report sha256sum "$BYTES"
report parse "$BYTES" "$ARTICLES"
report parse-json "$BYTES" "$ARTICLES"
echo "parse speed / sha256sum speed:        $(ratio parse sha256sum)x (target >= 0.5x)"
echo "parse --json speed / sha256sum speed: $(ratio parse-json sha256sum)x (target >= 0.5x)"
fi

if wanted run; then
echo "== run into an empty store, then into the full store ($RUNS runs each after one warm-up)"
for size in 10k 40k; do
    gen "$DATA/dump-$size.txt" --articles "${size%k}000"

    dir=$DATA/run-$size
    config "$dir" "$DATA/dump-$size.txt"
    RUN="exec '$FEEDFOLD' run --quiet --config '$dir/config.toml'"
    for i in $(seq 0 "$RUNS"); do
        rm -rf "$dir/store" "$dir/feeds"
        if [ "$i" -eq 0 ]; then sh -c "$RUN"; else timed "run-$size-empty" "$RUN"; fi
    done
    for i in $(seq 0 "$RUNS"); do
        if [ "$i" -eq 0 ]; then sh -c "$RUN"; else timed "run-$size-full" "$RUN"; fi
    done
    echo "$dir/store: $(du -sh "$dir/store" | cut -f1)"
done
for label in run-10k-empty run-10k-full run-40k-empty run-40k-full; do
    report "$label"
done
fi

if wanted baseline && [ -n "${BASELINE:-}" ]; then
    echo "== run of 25,000 articles into an empty store: this tree vs $BASELINE ($RUNS runs each, taking turns, after one warm-up)"
    gen "$DATA/dump-25k.txt" --articles 25000
    for who in base new; do config "$DATA/run-25k-$who" "$DATA/dump-25k.txt"; done
    BASE_RUN="exec '$BASELINE' run --quiet --config '$DATA/run-25k-base/config.toml'"
    NEW_RUN="exec '$FEEDFOLD' run --quiet --config '$DATA/run-25k-new/config.toml'"
    for i in $(seq 0 "$RUNS"); do
        for who in base new; do
            rm -rf "$DATA/run-25k-$who/store" "$DATA/run-25k-$who/feeds"
            run=$BASE_RUN
            [ "$who" = new ] && run=$NEW_RUN
            if [ "$i" -eq 0 ]; then sh -c "$run"; else timed "run-25k-$who" "$run"; fi
        done
    done
    report run-25k-base
    report run-25k-new
    echo "run throughput, this tree / baseline: $(ratio run-25k-new run-25k-base)x (target >= 0.8x)"
fi

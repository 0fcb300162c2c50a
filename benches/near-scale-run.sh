#!/bin/sh
# Near-duplicate folding at scale as a user meets it: a new `feedfold run`
# process folds a batch of 2,000 incoming articles (a quarter new stories, a
# quarter exact repeats, half near-duplicates) into a generated store of
# SIZE_A articles, then another into a store of SIZE_B, in turn, ROUNDS
# times after one warm-up round each. Every round folds a batch of its own
# (`near_scale feed`), so no run meets copies an earlier one folded; each
# run adds its 500 new stories to the store (after five rounds and the
# warm-up a store built with 10,000 holds 13,000).
#
#   cargo build --release --bin feedfold --example near_scale
#   target/release/examples/near_scale build 10000 /tmp/ns/10k.db
#   target/release/examples/near_scale build 1000000 /tmp/ns/1m.db
#   benches/near-scale-run.sh 5 /tmp/ns/10k.db 10000 /tmp/ns/1m.db 1000000
#
# A store is a SQLite path or a postgres:// URL. Prints each run (wall and
# CPU seconds, peak memory, articles folded per second of wall and of CPU)
# and the medians per size with the ratio B/A of the medians, of the lower
# quartiles and of the mean CPU.
#
# With BASELINE set to another feedfold binary (the release build of main,
# say) and BASELINE_STORE_A and BASELINE_STORE_B to its own copies of the
# two stores (a newer schema is refused by an older build), every round
# also runs the baseline on both, right after this build, and the same
# figures are printed for it: the two builds meet the same drift.
#
# FIRST_BATCH=N starts the rounds at batch N (default 0): stores an earlier
# invocation grew already hold its batches, which a new one would only
# repeat: continue at its FIRST_BATCH + ROUNDS + 1 (its warm-up folds a
# batch too).
set -eu

[ $# -eq 5 ] || { echo "usage: $0 ROUNDS STORE_A SIZE_A STORE_B SIZE_B" >&2; exit 2; }
rounds=$1
root=$(cd "$(dirname "$0")/.." && pwd)
feedfold=${FEEDFOLD:-$root/target/release/feedfold}
near_scale=${NEAR_SCALE:-$root/target/release/examples/near_scale}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
batch=2000
first_batch=${FIRST_BATCH:-0}

# run STORE SIZE ROUND [BINARY]: one timed run; prints "wall cpu peak_kib".
run() {
    binary=${4:-$feedfold}
    dir=$work/$2
    mkdir -p "$dir"
    "$near_scale" feed "$2" $((100000 + ($3 + first_batch) * batch)) $batch "$dir/batch.json"
    case $1 in
        postgres://*|postgresql://*) store="url = \"$1\"" ;;
        *) store="path = \"$1\"" ;;
    esac
    cat >"$dir/config.toml" <<EOF
[store]
$store

[publish]
dir = "$dir/feeds"
base_url = "http://feeds.example"

[[source]]
name = "incoming"
feed = "$dir/batch.json"

[[feed]]
name = "all"
title = "Everything folded"
EOF
    /usr/bin/time -f '%e %U %S %M' -o "$dir/time" "$binary" run --quiet --config "$dir/config.toml"
    awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$dir/time"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

baseline=${BASELINE:-}
sides="a b"
if [ -n "$baseline" ]; then
    : "${BASELINE_STORE_A:?the baseline needs its own copy of STORE_A}"
    : "${BASELINE_STORE_B:?the baseline needs its own copy of STORE_B}"
    sides="a b base_a base_b"
fi
for side in $sides; do : >"$work/$side"; done
# How much of each SQLite store the kernel holds in memory before the
# rounds: leaves it dropped are read from disk by the first runs (a host
# that pages out what was not touched for a while drops most of a large
# store between invocations).
for store in "$2" "$4"; do
    if [ -f "$store" ] && command -v fincore >/dev/null; then
        fincore --noheadings --output RES,SIZE,FILE "$store" | awk '{ print "in memory: " $1 " of " $2 " of " $3 }'
    fi
done
for round in $(seq 0 "$rounds"); do
    a=$(run "$2" "$3" "$round")
    b=$(run "$4" "$5" "$round")
    line="$3: $a; $5: $b"
    if [ -n "$baseline" ]; then
        base_a=$(run "$BASELINE_STORE_A" "$3" "$round" "$baseline")
        base_b=$(run "$BASELINE_STORE_B" "$5" "$round" "$baseline")
        line="$line; baseline $3: $base_a; baseline $5: $base_b"
    fi
    if [ "$round" -eq 0 ]; then
        echo "warm-up: $line"
        continue
    fi
    echo "$a" >>"$work/a"
    echo "$b" >>"$work/b"
    if [ -n "$baseline" ]; then
        echo "$base_a" >>"$work/base_a"
        echo "$base_b" >>"$work/base_b"
    fi
    echo "round $round (wall cpu peak_kib): $line"
done

# quartile FILE FIELD: the lower quartile of a column.
quartile() { cut -d' ' -f"$2" "$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 3) / 4)] }'; }

# summary A B LABEL: the figures of one build, sides A and B.
summary() {
    for side in "$1" "$2"; do
        size=$3
        [ "$side" = "$2" ] && size=$5
        wall=$(cut -d' ' -f1 "$work/$side" | median)
        cpu=$(cut -d' ' -f2 "$work/$side" | median)
        peak=$(cut -d' ' -f3 "$work/$side" | median)
        mean=$(cut -d' ' -f2 "$work/$side" | awk '{ s += $1 } END { print s / NR }')
        low=$(quartile "$work/$side" 2)
        echo "$side $wall $cpu $mean $low" >>"$work/figures"
        awk -v l="$6" -v n="$size" -v w="$wall" -v c="$cpu" -v m="$mean" -v p="$peak" -v b=$batch 'BEGIN {
            printf "%sstore of %d: median wall %.2f s (%.0f articles/s), CPU %.2f s (%.0f articles/s of CPU; mean %.3f s), peak %.1f MiB\n",
                l, n, w, b / w, c, b / c, m, p / 1024 }'
    done
    # Over enough rounds to include merges of the tables written behind
    # (about 18 runs at a million), the mean carries their cost.
    awk -v a="$1" -v b="$2" -v l="$6" '{ w[$1] = $2; c[$1] = $3; m[$1] = $4; q[$1] = $5 } END {
        printf "%sratio B/A: wall medians %.2f, CPU medians %.2f, CPU means %.2f, CPU lower quartiles %.2f\n",
            l, w[b] / w[a], c[b] / c[a], m[b] / m[a], q[b] / q[a] }' "$work/figures"
}

summary a b "$3" "$4" "$5" ""
if [ -n "$baseline" ]; then
    summary base_a base_b "$3" "$4" "$5" "baseline: "
fi

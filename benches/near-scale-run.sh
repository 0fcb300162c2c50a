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
# and the medians per size with the ratio B/A of the medians, and of the
# mean CPU.
set -eu

[ $# -eq 5 ] || { echo "usage: $0 ROUNDS STORE_A SIZE_A STORE_B SIZE_B" >&2; exit 2; }
rounds=$1
root=$(cd "$(dirname "$0")/.." && pwd)
feedfold=${FEEDFOLD:-$root/target/release/feedfold}
near_scale=${NEAR_SCALE:-$root/target/release/examples/near_scale}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
batch=2000

# run STORE SIZE ROUND: one timed run; prints "wall cpu peak_kib".
run() {
    dir=$work/$2
    mkdir -p "$dir"
    "$near_scale" feed "$2" $((100000 + $3 * batch)) $batch "$dir/batch.json"
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
    /usr/bin/time -f '%e %U %S %M' -o "$dir/time" "$feedfold" run --quiet --config "$dir/config.toml"
    awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$dir/time"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

: >"$work/a"
: >"$work/b"
for round in $(seq 0 "$rounds"); do
    a=$(run "$2" "$3" "$round")
    b=$(run "$4" "$5" "$round")
    if [ "$round" -eq 0 ]; then
        echo "warm-up: $3: $a; $5: $b"
        continue
    fi
    echo "$a" >>"$work/a"
    echo "$b" >>"$work/b"
    echo "round $round: $3: wall cpu peak_kib = $a; $5: $b"
done

for side in a b; do
    size=$3
    [ $side = b ] && size=$5
    wall=$(cut -d' ' -f1 "$work/$side" | median)
    cpu=$(cut -d' ' -f2 "$work/$side" | median)
    peak=$(cut -d' ' -f3 "$work/$side" | median)
    echo "$side $size $wall $cpu $peak" >>"$work/medians"
    mean=$(cut -d' ' -f2 "$work/$side" | awk '{ s += $1 } END { print s / NR }')
    echo "$side $mean" >>"$work/means"
    awk -v n="$size" -v w="$wall" -v c="$cpu" -v m="$mean" -v p="$peak" -v b=$batch 'BEGIN {
        printf "store of %d: median wall %.2f s (%.0f articles/s), CPU %.2f s (%.0f articles/s of CPU; mean %.3f s), peak %.1f MiB\n",
            n, w, b / w, c, b / c, m, p / 1024 }'
done
awk '{ w[$1] = $3; c[$1] = $4 } END {
    printf "ratio B/A of the medians: wall %.2f, CPU %.2f\n", w["b"] / w["a"], c["b"] / c["a"] }' "$work/medians"
# Over enough rounds to include merges of the near-duplicate index (about
# 30 at a million), the mean is the figure that counts.
awk '{ m[$1] = $2 } END { printf "ratio B/A of the mean CPU: %.2f\n", m["b"] / m["a"] }' "$work/means"

#!/usr/bin/env bash
# Runs each of feedfold's fuzz targets for SECONDS (default 300), one after
# the other, and prints executions and crashes per target.
#
#   fuzz/run.sh [SECONDS] [TARGET...]      targets: dump feed html page config render
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). It passes nightly-only
# flags to rustc; on a stable toolchain RUSTC_BOOTSTRAP=1 (set here) lets
# them through. FUZZ_SANITIZER picks the sanitizer (default `none`: the
# targets are safe Rust over safe dependencies, and without one the shared
# cores run several times more inputs; `address` checks the unsafe code of
# the dependencies too).
#
# Each corpus (fuzz/corpus/<target>, not committed) is seeded on every run
# from tests/fixtures, tests/hostile and fuzz/seeds, so the committed seeds
# stay small; what the fuzzer learns stays in fuzz/corpus between runs.
# Crashing inputs land in fuzz/artifacts/<target>/; reproduce one with
# `cargo fuzz run -s none <target> <file>`, then make it a regression test.
set -uo pipefail
cd "$(dirname "$0")"

seconds="${1:-300}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(dump feed html page config render)
sanitizer="${FUZZ_SANITIZER:-none}"
export RUSTC_BOOTSTRAP=1

command -v cargo-fuzz >/dev/null || {
  echo "cargo-fuzz is not installed: cargo install cargo-fuzz" >&2
  exit 2
}

# Seed files and libFuzzer options per target.
seeds() {
  case "$1" in
    dump) echo ../tests/fixtures/dumps ../tests/hostile/dumps ../samples ;;
    feed) echo ../tests/fixtures/feeds ../tests/hostile/feeds ;;
    html) echo seeds/html ../tests/hostile/html ;;
    page) echo ../tests/fixtures/pages seeds/html ;;
    config) echo seeds/config ../config.toml ;;
    render) ;;
  esac
}
options() {
  case "$1" in
    dump) echo -max_len=16384 ;;
    feed) echo -max_len=32768 -dict=dicts/xml.dict ;;
    html) echo -max_len=16384 -dict=dicts/html.dict ;;
    page) echo -max_len=32768 -dict=dicts/html.dict ;;
    config) echo -max_len=4096 ;;
    render) echo -max_len=16384 ;;
  esac
}

cargo fuzz build -s "$sanitizer" || exit 2

summary=()
status=0
for target in "${targets[@]}"; do
  corpus="corpus/$target"
  artifacts="artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  for seed in $(seeds "$target"); do
    # Seeds no larger than the target reads; a missing folder is skipped.
    [ -e "$seed" ] && find "$seed" -maxdepth 1 -type f -size -32k \
      -exec cp -n {} "$corpus/" \; 2>/dev/null
  done
  before=$(find "$artifacts" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  log="$artifacts/last-run.log"
  echo "== $target: ${seconds}s, $(find "$corpus" -type f | wc -l) corpus input(s)"
  # shellcheck disable=SC2046
  cargo fuzz run -s "$sanitizer" "$target" "$corpus" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 $(options "$target") >"$log" 2>&1
  code=$?
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  if [ -z "$executions" ]; then
    # Stopped by a crash before the final stats: the last progress line.
    executions=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
  fi
  after=$(find "$artifacts" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  crashes=$((after - before))
  line=$(printf '%-7s %6ss %12s executions %3s crash(es)' "$target" "$seconds" "${executions:-0}" "$crashes")
  echo "$line"
  if [ "$crashes" -gt 0 ] || [ "$code" -ne 0 ]; then
    status=1
    grep -m1 -A3 -E 'panicked|ERROR: libFuzzer|SUMMARY' "$log" | sed 's/^/    /'
    echo "    log: fuzz/$log"
  fi
  summary+=("$line")
done

echo
echo "== summary (sanitizer: $sanitizer)"
printf '%s\n' "${summary[@]}"
exit $status

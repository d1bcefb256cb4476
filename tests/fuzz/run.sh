#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# run.sh BUILD [NAME...] - run the libFuzzer targets of BUILD/fuzz (made by `make fuzz`),
# two at a time. Each target first replays its regression inputs (tests/fuzz/NAME/crashes/),
# then fuzzes FUZZ_SECONDS seconds (default 600) from its seeds (tests/fuzz/NAME/corpus/)
# and the corpus kept in BUILD/fuzz-out/NAME/corpus/ from earlier runs; a crash it finds
# is written to BUILD/fuzz-out/NAME/ as crash-*, leak-*, timeout-* or oom-*. One line per
# target, in TAP words for tests/run.sh:
#   ok - fuzz NAME: RUNS runs in S s, 0 crashes, corpus N
#   not ok - fuzz NAME: ... (the reproducer's path and the last lines of its log follow)
# Exit 1 when any target failed. FUZZ_JOBS (2) targets at a time.
set -u
build=${1:?usage: run.sh BUILD [NAME...]}
shift
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
seconds=${FUZZ_SECONDS:-600}
jobs=${FUZZ_JOBS:-2}
out="$top/$build/fuzz-out"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$top/tests/lsan.supp:print_suppressions=0}"

names=("$@")
if [ "${#names[@]}" -eq 0 ]; then
    for d in tests/fuzz/*/; do
        n=$(basename "$d")
        [ -f "$d/fuzz_$n.c" ] && names+=("$n")
    done
fi

# one target: replay, fuzz, then its one result line into $out/NAME/result
one() {
    local n=$1 bin="$top/$build/fuzz/fuzz_$1" dir="$out/$1" log runs secs crashes corpus
    local flags=(-close_fd_mask=3 -timeout=25 -rss_limit_mb=2048 -print_final_stats=1)
    [ -f "tests/fuzz/$n/dict" ] && flags+=("-dict=tests/fuzz/$n/dict")
    mkdir -p "$dir/corpus"
    rm -f "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-* "$dir/result"
    log="$dir/fuzz.log"
    if [ ! -x "$bin" ]; then
        echo "not ok - fuzz $n: no $build/fuzz/fuzz_$n (make fuzz-bins FUZZ=1 BUILD=$build)" \
            >"$dir/result"
        return
    fi
    # every input that once crashed must now run clean (libFuzzer runs files given by name)
    if compgen -G "tests/fuzz/$n/crashes/*" >/dev/null; then
        if ! "$bin" "${flags[@]}" tests/fuzz/"$n"/crashes/* >"$dir/replay.log" 2>&1; then
            { echo "not ok - fuzz $n: a regression input of tests/fuzz/$n/crashes/ fails again"
              tail -40 "$dir/replay.log" | sed 's/^/# /'; } >"$dir/result"
            return
        fi
    fi
    "$bin" "${flags[@]}" -max_total_time="$seconds" -artifact_prefix="$dir/" \
        "$dir/corpus" "tests/fuzz/$n/corpus" >"$log" 2>&1
    runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
    secs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\2/p' "$log" | tail -1)
    [ -n "$runs" ] || runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    crashes=$(find "$dir" -maxdepth 1 \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
        -o -name 'oom-*' \) | wc -l)
    corpus=$(find "$dir/corpus" -type f | wc -l)
    if [ "$crashes" = 0 ] && [ -n "$runs" ]; then
        echo "ok - fuzz $n: $runs runs in ${secs:-?} s, 0 crashes, corpus $corpus" >"$dir/result"
    else
        { echo "not ok - fuzz $n: ${runs:-?} runs, $crashes crashes, corpus $corpus"
          find "$dir" -maxdepth 1 \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
              -o -name 'oom-*' \) | sed 's/^/# reproducer: /'
          grep -E 'ERROR|SUMMARY|property failed|#[0-9]+ 0x' "$log" | head -30 | sed 's/^/# /'
        } >"$dir/result"
    fi
}

for n in "${names[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
        wait -n
    done
    one "$n" &
done
wait

failed=0
for n in "${names[@]}"; do
    if [ -f "$out/$n/result" ]; then
        cat "$out/$n/result"
        grep -q '^not ok' "$out/$n/result" && failed=1
    else
        echo "not ok - fuzz $n: no result"
        failed=1
    fi
done
exit "$failed"

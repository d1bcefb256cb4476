#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# run.sh BUILD - run every unit test binary in BUILD/tests/unit and every
# tests/integration/test_*.sh (and tests/browser/test_*.sh), then print one closing line
# "N passed, N failed, N skipped". Exit 1 when anything failed.
#   WW_KEEP_TMP=1   keep each integration test's temp folder (path printed)
#   WW_ONLY=pattern run only the tests whose path matches
set -u
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
export WW_BUILD="$top/$build" WW_BIN="$top/$build/bin" WW_TOP="$top"
export WW_TESTDATA="${WW_TESTDATA:-$top/../shared/testdata}"
export WW_TEST_OUT="$top/tests/out/$build"
mkdir -p "$WW_TEST_OUT"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$top/tests/lsan.supp:print_suppressions=0}"

passed=0 failed=0 skipped=0
failures=()
only=${WW_ONLY:-}

run_unit() {
    local bin=$1 out rc p f
    out=$(CMOCKA_MESSAGE_OUTPUT=STDOUT "$bin" 2>&1); rc=$?
    printf '%s\n' "$out" | grep -E '^\[  (FAILED|ERROR)|^\[  PASSED|^\[==========\]' | sed "s|^|  ${bin#$top/}: |"
    p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
    f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
    p=${p:-0}; f=${f:-0}
    if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
        f=1 # crashed or sanitizer report
        printf '%s\n' "$out" | tail -40
    fi
    [ "$f" != 0 ] && { printf '%s\n' "$out" | grep -E 'FAIL|ERROR|error' | head -20; failures+=("${bin#$top/}"); }
    passed=$((passed + p)); failed=$((failed + f))
}

run_script() {
    local script=$1 log rc p f s
    log="$WW_TEST_OUT/$(basename "$script" .sh).log"
    echo "== ${script#$top/}"
    bash "$script" >"$log" 2>&1; rc=$?
    grep -E '^(ok|not ok|skip) ' "$log" | sed 's/^/  /'
    p=$(grep -c '^ok ' "$log"); f=$(grep -c '^not ok ' "$log"); s=$(grep -c '^skip ' "$log")
    if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
        f=1
        echo "  not ok - ${script#$top/} exited $rc"
    fi
    if [ "$f" != 0 ]; then
        failures+=("${script#$top/}")
        echo "  --- last lines of $log"; tail -30 "$log" | sed 's/^/  | /'
    fi
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
}

echo "== unit tests ($build)"
for bin in $(find "$WW_BUILD/tests/unit" -type f -perm -u+x -name 'test_*' 2>/dev/null | sort); do
    [ -n "$only" ] && [[ "$bin" != *$only* ]] && continue
    run_unit "$bin"
done
for script in tests/integration/test_*.sh tests/browser/test_*.sh; do
    [ -f "$script" ] || continue
    [ -n "$only" ] && [[ "$script" != *$only* ]] && continue
    run_script "$top/$script"
done

[ "${#failures[@]}" -gt 0 ] && echo "failed: ${failures[*]}"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_fuzz.sh - the libFuzzer targets of tests/fuzz/, briefly: builds them with clang into
# build-fuzz/ (make FUZZ=1 fuzz-bins; the suite's own BUILD is not touched), replays every
# regression input of tests/fuzz/*/crashes/, then fuzzes each target WW_FUZZ_SECONDS (30)
# seconds, two at a time (tests/fuzz/run.sh): one line per target with its runs, crashes
# and corpus size. Skipped when clang or libFuzzer's runtime is missing
# (appliance/install-deps.sh installs clang and libclang-rt-14-dev).
set -u
. "$(dirname "$0")/lib.sh"
cd "$WW_TOP" || exit 1

if ! command -v clang >/dev/null 2>&1; then
    skip "fuzz targets" "no clang (appliance/install-deps.sh installs clang, libclang-rt-14-dev)"
    exit 0
fi
if ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n); int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' |
    clang -x c -fsanitize=fuzzer -o "$T/probe" - >/dev/null 2>&1; then
    skip "fuzz targets" "clang cannot link libFuzzer (install libclang-rt-14-dev)"
    exit 0
fi
if make --no-print-directory -j2 BUILD=build-fuzz FUZZ=1 fuzz-bins >"$T/build.log" 2>&1; then
    ok "fuzz targets build with clang into build-fuzz/"
else
    fail "fuzz targets build with clang into build-fuzz/"
    tail -30 "$T/build.log"
    exit 1
fi
FUZZ_SECONDS=${WW_FUZZ_SECONDS:-30} tests/fuzz/run.sh build-fuzz

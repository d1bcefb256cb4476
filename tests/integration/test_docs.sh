#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_docs.sh - every module's README names each of its files: a newcomer reads the README
# first, and a file it does not mention is a file nobody will look for. Checks every .c and
# .h of each module folder (and the UI files of dashboard/www) against <module>/README.md.
# No daemons; a second.
set -u
. "$(dirname "$0")/lib.sh"
cd "$WW_TOP" || exit 1

for m in common storage inventory collector probes dashboard appliance bench; do
    [ -d "$m" ] || continue
    files=$(cd "$m" && ls -- *.c *.h 2>/dev/null)
    [ "$m" = dashboard ] && files="$files $(cd "$m" && ls -- www/*.js www/*.html www/*.css 2>/dev/null)"
    [ -n "${files// /}" ] || continue
    if [ ! -f "$m/README.md" ]; then
        fail "$m/README.md exists" "the module has files but no README"
        continue
    fi
    missing=()
    for f in $files; do
        grep -qF -- "$(basename "$f")" "$m/README.md" || missing+=("$f")
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        ok "$m/README.md names every file of $m/"
    else
        fail "$m/README.md names every file of $m/" "missing: ${missing[*]}"
    fi
done

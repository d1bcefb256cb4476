#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_profiles.sh - every device profile against its own recording: one snmpsimd serves
# tests/data/profiles/*.snmprec on loopback (community = file name without .snmprec), and
# `wardwatch probe --json` on each must give what the file's .expect says: `key = value` lines
# (profile, vendor, kind, model, serial, firmware, values.NAME; `null` for none; numbers
# compared with a small tolerance; lines starting with # are comments). One ok/fail line per
# file and key. The profiles are collector/profiles (the config's profile_dir).
source "$(dirname "$0")/lib.sh"

DATA_DIR=$WW_TOP/tests/data/profiles
if ! command -v snmpsimd >/dev/null 2>&1; then
    skip "device profiles against recordings" "snmpsimd is not installed"
    exit 0
fi

chmod 755 "$T"
mkdir -p "$T/snmprec" "$T/cache"
cp "$DATA_DIR"/*.snmprec "$T/snmprec/"
chmod -R a+rX "$T/snmprec" && chmod 777 "$T/cache"
cat >"$T/ww.conf" <<CONF
[general]
data_dir = $T/data
[collector]
profile_dir = $WW_TOP/collector/profiles
CONF

PORT=$(free_port udp)
user_opts=()
[ "$(id -u)" = 0 ] && user_opts=(--process-user=nobody --process-group=nogroup)
spawn snmpsimd snmpsimd --data-dir="$T/snmprec" --cache-dir="$T/cache" \
    --agent-udpv4-endpoint="127.0.0.1:$PORT" "${user_opts[@]}"
first=$(basename "$(ls "$DATA_DIR"/*.snmprec | head -1)" .snmprec)
for _ in $(seq 1 100); do
    snmpget -v2c -c "$first" -t 1 -r 0 "127.0.0.1:$PORT" 1.3.6.1.2.1.1.3.0 >/dev/null 2>&1 && break
    sleep 0.3
done

n=0
for expect in "$DATA_DIR"/*.expect; do
    name=$(basename "$expect" .expect)
    n=$((n + 1))
    if [ ! -f "$DATA_DIR/$name.snmprec" ]; then
        fail "$name: a recording $name.snmprec beside $name.expect"
        continue
    fi
    if ! "$BIN/wardwatch" -c "$T/ww.conf" probe 127.0.0.1 --port "$PORT" --community "$name" \
        --json >"$T/$name.json" 2>"$T/$name.err"; then
        fail "$name: wardwatch probe" "$(head -3 "$T/$name.err")"
        continue
    fi
    python3 - "$expect" "$T/$name.json" "$name" <<'PY'
import json, math, sys
expect_path, json_path, name = sys.argv[1:]
try:
    got = json.load(open(json_path))
except ValueError as e:
    print("not ok - %s: probe printed JSON: %s" % (name, e))
    sys.exit(0)
for lineno, line in enumerate(open(expect_path, encoding="utf-8"), 1):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    if "=" not in line:
        print("not ok - %s: %s line %d is not 'key = value'" % (name, expect_path, lineno))
        continue
    key, want = (s.strip() for s in line.split("=", 1))
    cur, missing = got, False
    for part in key.split("."):
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        else:
            missing = True
            break
    label = "%s: %s = %s" % (name, key, want)
    if missing:
        print("not ok - %s (the probe's JSON has no %s)" % (label, key))
        continue
    if want == "null":
        good = cur is None
    else:
        try:
            w = float(want)
            good = isinstance(cur, (int, float)) and not isinstance(cur, bool) and \
                math.isclose(cur, w, rel_tol=1e-4, abs_tol=0.01)
        except ValueError:
            good = cur == want
    if good:
        print("ok - %s" % label)
    else:
        print("not ok - %s (got %s)" % (label, json.dumps(cur, ensure_ascii=False)))
PY
    [ "$?" = 0 ] || fail "$name: comparing with $name.expect"
done
[ "$n" -gt 0 ] || fail "expectation files in tests/data/profiles"

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_kinds.sh - the kind wardwatch tells for each REAL recording of ../shared/testdata/snmprec
# (served in place by Debian's snmpsimd, one community per file) against the "Device kind"
# column of its SOURCES.md table: `wardwatch probe ... --json` with the profiles of
# collector/profiles, one ok/not ok line per recording with the probe's evidence ("why").
# The table's words map to our kinds (UPS ups, Printer printer, Switch switch, Router router,
# Firewall firewall, Linux host/server server, Windows server server, Windows desktop PC pc,
# Wireless bridge / CPE ap); where it names two ("Switch/router (L3)") either is right.
source "$(dirname "$0")/lib.sh"

SRC=$WW_TESTDATA/snmprec
if ! have_testdata || [ ! -f "$SRC/SOURCES.md" ]; then
    skip "device kinds of the real recordings" "$SRC/SOURCES.md is absent"
    exit 0
fi
if ! command -v snmpsimd >/dev/null || ! command -v snmpget >/dev/null; then
    skip "device kinds of the real recordings" "snmpsimd or snmpget is not installed"
    exit 0
fi

# the table: "file<TAB>kinds<TAB>the column's words", kinds comma-separated; a word we cannot
# map is a failure of its own (the table grew a kind this test does not know)
python3 - "$SRC/SOURCES.md" >"$T/table" <<'PY' || { fail "SOURCES.md table parsed"; exit 1; }
import re, sys
WORDS = {"ups": "ups", "printer": "printer", "mfp": "printer", "switch": "switch",
         "router": "router", "firewall": "firewall", "firewall appliance": "firewall",
         "linux host": "server", "linux server": "server", "windows server": "server",
         "windows desktop pc": "pc", "wireless bridge": "ap", "cpe": "ap"}
head = None
for line in open(sys.argv[1], encoding="utf-8"):
    if not line.startswith("|"):
        head = None if line.strip() == "" else head
        continue
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if head is None:
        head = cells
        continue
    if set(cells[0]) <= set("-: "):
        continue
    if "Device kind" not in head or not head[0].startswith("File"):
        continue
    m = re.fullmatch(r"`([^`]+)\.snmprec`", cells[0])
    if not m:
        continue
    words = cells[head.index("Device kind")]
    parts = [p.strip().lower() for p in re.sub(r"\([^)]*\)", "", words).split("/")]
    kinds = [WORDS.get(p, "?" + p) for p in parts if p]
    print(f"{m.group(1)}\t{','.join(dict.fromkeys(kinds))}\t{words}")
PY
[ -s "$T/table" ] || { fail "SOURCES.md has a table of recordings with a Device kind column"; exit 1; }
ok "SOURCES.md: $(wc -l <"$T/table") recordings with a device kind"

# snmpsimd serves the folder as it is (read-only, readable by all); its index goes to $T
chmod 755 "$T"
mkdir -p "$T/cache" && chmod 777 "$T/cache"
user_opts=()
[ "$(id -u)" = 0 ] && user_opts=(--process-user=nobody --process-group=nogroup)
PORT=$(free_port udp)
spawn snmpsimd snmpsimd --data-dir="$SRC" --cache-dir="$T/cache" \
    --agent-udpv4-endpoint="127.0.0.1:$PORT" "${user_opts[@]}"
first=$(cut -f1 "$T/table" | head -1)
up=0
for _ in $(seq 1 120); do
    if snmpget -v2c -c "$first" -t 1 -r 0 "127.0.0.1:$PORT" 1.3.6.1.2.1.1.3.0 >/dev/null 2>&1; then
        up=1
        break
    fi
    sleep 0.5
done
[ "$up" = 1 ] || { fail "snmpsimd answers" "$(tail -5 "$T/snmpsimd.log")"; exit 1; }

cat >"$T/ww.conf" <<CONF
[general]
data_dir = $T/data
[collector]
profile_dir = $WW_TOP/collector/profiles
CONF

# Recordings whose table kind nothing in the recording bears out: told apart from a failure,
# with what the probe says, so that a change of it still shows in the log.
declare -A KNOWN=(
    [linux-nonascii-sysdescr]="a crafted test agent filed under os/linux upstream: enterprise 233, binary sysDescr without 'Linux', BRIDGE-MIB and ENTITY-MIB, 31 interfaces, no HOST-RESOURCES"
)

while IFS=$'\t' read -r name kinds words; do
    if [[ ",$kinds," == *",?"* ]]; then
        fail "kind $name" "SOURCES.md says '$words': a kind this test cannot map"
        continue
    fi
    if ! "$BIN/wardwatch" -c "$T/ww.conf" probe 127.0.0.1 --port "$PORT" --community "$name" \
        --timeout-ms 2000 --json >"$T/$name.json" 2>"$T/$name.err"; then
        fail "kind $name" "probe failed: $(head -c 300 "$T/$name.err")"
        continue
    fi
    line=$(python3 - "$T/$name.json" "$kinds" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
want = sys.argv[2].split(",")
got = j.get("kind")
verdict = "ok" if got in want else "fail"
print(f"{verdict}\t{got} (table: {' or '.join(want)}; profile {j.get('profile') or 'none'}; why: {j.get('why')})")
PY
    ) || { fail "kind $name" "probe output is not JSON: $(head -c 300 "$T/$name.json")"; continue; }
    if [ "${line%%$'\t'*}" = ok ]; then
        ok "kind $name: ${line#*$'\t'}"
    elif [ -n "${KNOWN[$name]:-}" ]; then
        skip "kind $name" "${line#*$'\t'}; table kind not borne out by the recording: ${KNOWN[$name]}"
    else
        fail "kind $name" "${line#*$'\t'}"
    fi
done <"$T/table"

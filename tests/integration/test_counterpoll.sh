#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_counterpoll.sh - counter polls (collector/snmp.c): after a full poll the long-running
# collector asks each device only for what moves, in GETs of the instances that poll found.
# Against snmpsimd serving recordings of real devices (static values, so exact checks):
#   - after the first interval the polls are counter polls (the interval line counts the
#     full ones), and what they store equals what snmpbulkwalk reads from the same agent:
#     every interface's counters (64-bit where the device has them, else 32-bit) and status;
#   - the agent restarts with its interfaces renumbered (ifIndex 2 and 3 swapped, sysUpTime
#     back): the very next poll is a full one, each interface keeps its own history (no
#     counter of one lands in the other's row) and a reboot is recorded;
#   - a link's new speed is read by the next counter poll (rates are capped by it).
source "$(dirname "$0")/lib.sh"

if ! have_testdata; then
    skip "counter polls against recordings" "../shared/testdata is absent"
    exit 0
fi
chmod 755 "$T" # snmpsimd runs as nobody
DATA=$T/data
PORT=$(free_port udp)
IV=5
RECS="linux-centos7 hp-procurve-e2910al cisco-c3550-32bit-counters"
mkdir -p "$DATA" "$T/snmprec" "$T/cache"
for r in $RECS; do cp "$WW_TESTDATA/snmprec/$r.snmprec" "$T/snmprec/"; done
cp "$WW_TESTDATA/snmprec/linux-centos7.snmprec" "$T/snmprec/renum.snmprec"
chmod -R a+rX "$T/snmprec" && chmod 777 "$T/cache"
user_opts=()
[ "$(id -u)" = 0 ] && user_opts=(--process-user=nobody --process-group=nogroup)
declare -A ADDR ID
n=20
for r in $RECS renum; do ADDR[$r]=127.0.3.$n; n=$((n + 1)); done
start_sim() {
    local eps=()
    for r in $RECS renum; do eps+=(--agent-udpv4-endpoint="${ADDR[$r]}:$PORT"); done
    spawn snmpsimd snmpsimd --data-dir="$T/snmprec" --cache-dir="$T/cache" "${eps[@]}" \
        "${user_opts[@]}"
    SIM=$SPAWNED_PID
    for _ in $(seq 1 120); do
        snmpget -v2c -c renum -t 1 -r 0 "${ADDR[renum]}:$PORT" 1.3.6.1.2.1.1.3.0 >/dev/null 2>&1 &&
            return 0
        sleep 0.5
    done
    return 1
}
check "snmpsimd answers" start_sim
echo "counterpoll-pass-$RANDOM$RANDOM" | "$BIN/wardwatch" -d "$DATA" init --admin-password-stdin >/dev/null
# full polls on schedule: once a week (a scheduled one inside the test would be noise)
printf '[general]\ndata_dir = %s\nlog_level = debug\n[collector]\npoll_interval = %s\nfull_poll_minutes = 10080\n' \
    "$DATA" "$IV" >"$T/ww.conf"
q() { sqlite3 -batch -noheader "$DATA/wardwatch.db" "$@"; }
for r in $RECS renum; do
    ID[$r]=$("$BIN/wardwatch" -c "$T/ww.conf" device add --name "$r" --kind server \
        --host "${ADDR[$r]}" --port "$PORT" --community "$r")
done

spawn collector "$BIN/wardwatch-collector" -c "$T/ww.conf"
COLL=$SPAWNED_PID
wait_for() {
    local n=$(( $1 * 5 )); shift
    while [ "$n" -gt 0 ]; do "$@" && return 0; sleep 0.2; n=$((n - 1)); done
    return 1
}
intervals() { grep -c 'collector: interval:' "$T/collector.log"; }
has_intervals() { [ "$(intervals)" -ge "$1" ]; }
check "five intervals logged" wait_for $((6 * IV + 5)) has_intervals 5

# the first polls (full) fall in interval 1, or 2 for a device whose phase is at the very end
# of the first interval; in intervals 3-5 every poll asks only what moves
lines=$(grep 'collector: interval:' "$T/collector.log" | sed -n 3,5p)
polls=$(echo "$lines" | sed -n 's/.*interval: \([0-9]*\) polls.*/\1/p' | paste -sd+ | bc)
full=$(echo "$lines" | sed -n 's/.*full polls \([0-9]*\).*/\1/p' | paste -sd+ | bc)
check "intervals 3-5: $polls polls, none full" test "${polls:-0}" -ge 8 -a "${full:-1}" = 0
check "no counter poll fell back to a full one" \
    test "$(grep -c 'a full poll' "$T/collector.log")" = 0

# what the counter polls stored equals what the agent says
walk() { # NAME COLUMN-OID -> "index value" lines
    snmpbulkwalk -v2c -c "$1" -On -OQ -Oe -Ot -t 2 -r 1 "${ADDR[$1]}:$PORT" "$2" 2>/dev/null |
        sed -n "s/^\.$2\.\([0-9]*\) = \(.*\)$/\1 \2/p"
}
same_as_agent() { # NAME
    local r=$1 id=${ID[$1]}
    walk "$r" 1.3.6.1.2.1.31.1.1.1.6 >"$T/$r.inhc"
    walk "$r" 1.3.6.1.2.1.31.1.1.1.10 >"$T/$r.outhc"
    walk "$r" 1.3.6.1.2.1.2.2.1.10 >"$T/$r.in32"
    walk "$r" 1.3.6.1.2.1.2.2.1.16 >"$T/$r.out32"
    walk "$r" 1.3.6.1.2.1.2.2.1.8 >"$T/$r.oper"
    q "SELECT if_index, hc, in_octets, out_octets, oper_status FROM interface
       WHERE device_id=$id AND last_seen >= (SELECT max(last_seen) FROM interface WHERE device_id=$id)
       ORDER BY if_index" >"$T/$r.db"
    python3 - "$T/$r" <<'PY'
import sys
base = sys.argv[1]
def col(name):
    out = {}
    for line in open(base + "." + name):
        k, v = line.split(" ", 1)
        out[int(k)] = v.strip()
    return out
inhc, outhc, in32, out32, oper = (col(n) for n in ("inhc", "outhc", "in32", "out32", "oper"))
rows = [l.strip().split("|") for l in open(base + ".db") if l.strip()]
bad = []
for idx, hc, ino, outo, op in rows:
    i = int(idx)
    want_in, want_out = (inhc.get(i), outhc.get(i)) if hc == "1" else (in32.get(i), out32.get(i))
    if (ino, outo, op) != (want_in, want_out, oper.get(i)):
        bad.append((i, (ino, outo, op), (want_in, want_out, oper.get(i))))
print("%d interfaces, %d differ %s" % (len(rows), len(bad), bad[:3]))
sys.exit(1 if bad or len(rows) < 5 else 0)
PY
}
for r in $RECS; do
    check "$r: counters and status stored by counter polls equal the agent's" same_as_agent "$r"
done
ticks=$(q "SELECT uptime_ticks FROM device_status WHERE device_id=${ID[linux-centos7]}")
check "sysUpTime read by the counter polls ($ticks)" test "$ticks" = 69089794

# a link renegotiates (ifHighSpeed 1000 -> 10000 on ens32, nothing else changes): the next
# counter poll reads the new speed; it takes no full poll
speed() { q "SELECT speed_bps FROM interface WHERE device_id=${ID[renum]} AND if_key='ens32'"; }
check "ens32 at 1 Gbit/s first ($(speed))" test "$(speed)" = 1000000000
kill "$SIM"; wait "$SIM" 2>/dev/null
sed -i 's/^1\.3\.6\.1\.2\.1\.31\.1\.1\.1\.15\.2|66|1000$/1.3.6.1.2.1.31.1.1.1.15.2|66|10000/' \
    "$T/snmprec/renum.snmprec"
rm -rf "$T/cache"/*
check "snmpsimd answers again with the new speed" start_sim
faster() { [ "$(speed)" = 10000000000 ]; }
check "a counter poll picked up the new speed" wait_for $((3 * IV + 5)) faster
check "without a full poll" test "$(grep -c 'a full poll' "$T/collector.log")" = 0

# the agent restarts with ifIndex 2 and 3 swapped: each interface keeps its own history
row() { q "SELECT if_index || ' ' || in_octets FROM interface WHERE device_id=${ID[renum]} AND if_key='$1'"; }
before2=$(row ens32)
before3=$(row ens33)
kill "$SIM"; wait "$SIM" 2>/dev/null
python3 - "$T/snmprec/renum.snmprec" <<'PY'
import re, sys
p = sys.argv[1]
out = []
for line in open(p):
    oid, rest = line.split("|", 1)
    m = re.match(r"^(1\.3\.6\.1\.2\.1\.2\.2\.1\.\d+|1\.3\.6\.1\.2\.1\.31\.1\.1\.1\.\d+)\.(2|3)$", oid)
    if m:
        oid = m.group(1) + "." + ("3" if m.group(2) == "2" else "2")
    if oid == "1.3.6.1.2.1.1.3.0":
        rest = "67|1234\n"  # the agent restarted: sysUpTime back
    out.append((oid, rest))
def key(o):
    return [int(x) for x in o[0].split(".")]
out.sort(key=key)
open(p, "w").write("".join(o + "|" + r for o, r in out))
PY
rm -rf "$T/cache"/*
check "snmpsimd answers again with the renumbered recording" start_sim
moved() { [ "$(row ens32 | cut -d' ' -f1)" = 3 ] && [ "$(row ens33 | cut -d' ' -f1)" = 2 ]; }
check "the next poll sees the new numbering (ens32: $before2 -> 3, ens33: $before3 -> 2)" \
    wait_for $((3 * IV + 5)) moved
after2=$(row ens32)
after3=$(row ens33)
check "each interface kept its own counter ($after2 / $after3)" \
    test "${after2#* }" = "${before2#* }" -a "${after3#* }" = "${before3#* }"
check "the stale shape was noticed at once: a full poll in the same poll" \
    grep -q "device ${ID[renum]}: restarted or interfaces changed: a full poll" "$T/collector.log"
check "a reboot event for the restarted agent" \
    test "$(q "SELECT count(*) FROM event WHERE device_id=${ID[renum]} AND type='reboot'")" = 1
# no rate spike across the renumbering: no rate above the link speed was ever stored
check "no rate above its link's speed" \
    test "$(q "SELECT count(*) FROM interface WHERE speed_bps > 0 AND (in_bps > speed_bps OR out_bps > speed_bps)")" = 0
kill -TERM "$COLL"
wait "$COLL" 2>/dev/null
check "SIGTERM ends the collector, exit 0" test $? = 0

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_counters.sh - numbers right, with recordings this test writes and Debian's snmpsimd
# serving them: a 32-bit counter that wraps between polls is a wrap (the right rate, no
# spike); a reboot (sysUpTime back, counters reset) is a reboot event and no spike; an
# ifIndex renumbering keeps each interface's history; hostile device strings (HTML, shell
# and format metacharacters, invalid UTF-8, a 60 KB value: as big as a UDP answer can carry) are
# stored and served safely; dead
# agents among live ones do not stop the live ones being polled.
source "$(dirname "$0")/lib.sh"

chmod 755 "$T"
DATA=$T/data
REC=$T/rec
mkdir -p "$REC" "$T/cache"
chmod 777 "$T/cache"
SIM_PORT=$(free_port udp)
user_opts=()
[ "$(id -u)" = 0 ] && user_opts=(--process-user=nobody --process-group=nogroup)

# rec NAME UPTIME 'IFINDEX:NAME:INOCTETS[:SPEED]'... [sysName] [sysDescr-hex] [alias]
# writes $REC/NAME.snmprec sorted by OID, numerically
rec() {
    python3 - "$REC" "$@" <<'PY'
import sys
d, name, uptime, *rest = sys.argv[1:]
ifs = [r for r in rest if r.count(":") >= 2 and r.split(":")[0].isdigit()]
extra = [r for r in rest if r not in ifs]
sysname = extra[0] if len(extra) > 0 else name
descr_hex = extra[1] if len(extra) > 1 else "wardwatch test agent".encode().hex()
import os
alias = open(os.environ["ALIAS_FILE"]).read().strip() if name == "hostile" else ""
rows = {
    (1,3,6,1,2,1,1,1,0): "4x|" + descr_hex,
    (1,3,6,1,2,1,1,2,0): "6|1.3.6.1.4.1.8072.3.2.10",
    (1,3,6,1,2,1,1,3,0): "67|" + uptime if ":" not in uptime else "67:" + uptime,
    (1,3,6,1,2,1,1,5,0): "4x|" + sysname.encode().hex(),
}
for spec in ifs:
    p = spec.split(":")
    idx, ifname, inoct = int(p[0]), p[1], p[2]
    speed = p[3] if len(p) > 3 else "1000000000"
    rows[(1,3,6,1,2,1,2,2,1,1,idx)] = "2|%d" % idx
    rows[(1,3,6,1,2,1,2,2,1,2,idx)] = "4|" + ifname
    rows[(1,3,6,1,2,1,2,2,1,3,idx)] = "2|6"
    rows[(1,3,6,1,2,1,2,2,1,5,idx)] = "66|" + speed
    rows[(1,3,6,1,2,1,2,2,1,7,idx)] = "2|1"
    rows[(1,3,6,1,2,1,2,2,1,8,idx)] = "2|1"
    rows[(1,3,6,1,2,1,2,2,1,10,idx)] = ("65:" + inoct) if "numeric" in inoct else "65|" + inoct
    rows[(1,3,6,1,2,1,2,2,1,16,idx)] = "65|1000"
    rows[(1,3,6,1,2,1,31,1,1,1,1,idx)] = "4|" + ifname
    if alias:
        rows[(1,3,6,1,2,1,31,1,1,1,18,idx)] = "4x|" + alias
with open("%s/%s.snmprec" % (d, name), "w") as f:
    for oid in sorted(rows):
        f.write("%s|%s\n" % (".".join(map(str, oid)), rows[oid]))
PY
}

start_sim() {
    [ -n "${SIM_PID:-}" ] && { kill "$SIM_PID"; wait "$SIM_PID" 2>/dev/null; }
    rm -rf "$T/cache"/*
    chmod -R a+rX "$REC"
    spawn snmpsimd snmpsimd --data-dir="$REC" --cache-dir="$T/cache" \
        --agent-udpv4-endpoint="127.0.5.1:$SIM_PORT" --agent-udpv4-endpoint="127.0.5.2:$SIM_PORT" \
        --agent-udpv4-endpoint="127.0.5.3:$SIM_PORT" --agent-udpv4-endpoint="127.0.5.4:$SIM_PORT" \
        "${user_opts[@]}"
    SIM_PID=$SPAWNED_PID
    for _ in $(seq 1 100); do
        snmpget -v2c -c "$1" -t 1 -r 0 "127.0.5.1:$SIM_PORT" 1.3.6.1.2.1.1.3.0 >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    return 1
}

q() { sqlite3 -batch -noheader "$DATA/wardwatch.db" "$@"; }

# 20 MB/s on a 1 Gbit/s link, starting 3 MB below the 32-bit wrap: it wraps within a second
rec wrap "numeric|rate=100,initial=1000" "1:eth0:numeric|rate=20000000,initial=4291967296,wrap=1,max=4294967296"
rec boot 500000 "1:eth0:1000000000"
rec renum 600000 "1:eth0:111" "2:eth1:222"
export ALIAS_FILE=$T/alias.hex
python3 -c 'print(("A" * 60000).encode().hex())' >"$ALIAS_FILE"
rec hostile 700000 "1:eth0:5" '<script>alert(1)</script>' \
    "$(printf '$(rm -rf /) `id` %%s%%n%%x \xff\xfe\xc0\xaf <b>bold</b>' | od -An -tx1 | tr -d ' \n')"
start_sim wrap || { fail "snmpsimd started"; exit 1; }

cat >"$T/ww.conf" <<CONF
[general]
data_dir = $DATA
[collector]
poll_interval = 5
snmp_timeout_ms = 300
snmp_retries = 0
CONF
echo "adminpass-$RANDOM$RANDOM" | "$BIN/wardwatch" -c "$T/ww.conf" init --admin-password-stdin >/dev/null
add() { "$BIN/wardwatch" -c "$T/ww.conf" device add --name "$1" --host "$2" --port "$3" --community "$4"; }
WRAP=$(add wrap 127.0.5.1 "$SIM_PORT" wrap)
BOOT=$(add boot 127.0.5.2 "$SIM_PORT" boot)
RENUM=$(add renum 127.0.5.3 "$SIM_PORT" renum)
HOST=$(add hostile 127.0.5.4 "$SIM_PORT" hostile)
DEAD_PORT=$(free_port udp)
DEAD=()
for k in 1 2 3; do DEAD+=("$(add "dead-$k" "127.0.6.$k" "$DEAD_PORT" x)"); done
# 12 live copies of the boot agent at other ports would need more endpoints; the four live
# agents and three dead ones make 3 of 7 dead

# --- 20 intervals back to back: the daemon's full poll, then counter polls (our own BER);
# two samples of a device are never in the same wall second, so they span ~20 s, four RRD
# steps, and the wrap falls between two of them -----------------------------------------------
"$BIN/wardwatch-collector" -c "$T/ww.conf" --intervals 20 2>>"$T/rounds.log" || fail "20 intervals"
WRAP_IF=$(q "SELECT id FROM interface WHERE device_id=$WRAP")
python3 - "$DATA/rrd/$WRAP/if-$WRAP_IF.rrd" <<'PY' >"$T/wrap.txt"
import subprocess, sys, time
out = subprocess.run(["rrdtool", "fetch", sys.argv[1], "AVERAGE", "-s", "-60", "-e", "now"],
                     capture_output=True, text=True).stdout.split("\n")
vals = []
for line in out[2:]:
    if ":" in line:
        v = line.split(":")[1].split()[0]
        if v.lower() != "nan" and v != "-nan":
            vals.append(float(v))
print(" ".join("%.0f" % v for v in vals))
PY
if python3 - "$T/wrap.txt" <<'PY'
import sys
# the first step holding data is only partly covered by samples (RRD averages over the
# whole step): judge the full steps after it
vals = [float(x) for x in open(sys.argv[1]).read().split()][1:]
assert len(vals) >= 2, vals
# the true rate, give or take the simulator's own scheduling (it is Python)
assert all(abs(v - 20e6) / 20e6 < 0.07 for v in vals), vals
assert max(vals) < 125e6, vals                                  # never above the link
PY
then ok "32-bit wrap: every rate in the RRD is 20 MB/s ($(cat "$T/wrap.txt")), no spike"
else fail "32-bit wrap rates" "$(cat "$T/wrap.txt")"; fi
check "wrap: no reboot event" test "$(q "SELECT count(*) FROM event WHERE device_id=$WRAP AND type='reboot'")" = 0
check "dead agents are down" test "$(q "SELECT count(*) FROM device_status WHERE state='down'")" = 3
check "every live agent was polled every interval" test \
    "$(grep -c 'interval: 7 polls, 4 up, 3 failed' "$T/rounds.log")" = 20

# --- reboot and renumbering: the agents change under our feet --------------------------------
BOOT_IF=$(q "SELECT id FROM interface WHERE device_id=$BOOT")
RENUM_ETH0=$(q "SELECT id FROM interface WHERE device_id=$RENUM AND if_key='eth0'")
RENUM_ETH1=$(q "SELECT id FROM interface WHERE device_id=$RENUM AND if_key='eth1'")
rec boot 300 "1:eth0:1000"                     # restarted 3 s ago, counters from zero
rec renum 600500 "7:eth1:333" "9:eth0:444"     # same interfaces, new ifIndex numbers
start_sim boot || fail "snmpsimd restarted"
"$BIN/wardwatch-collector" -c "$T/ww.conf" --once 2>>"$T/rounds.log"
check "reboot: one reboot event" test "$(q "SELECT count(*) FROM event WHERE device_id=$BOOT AND type='reboot'")" = 1
check "reboot: the device stays up" test "$(q "SELECT state FROM device_status WHERE device_id=$BOOT")" = up
rate=$(rrdtool lastupdate "$DATA/rrd/$BOOT/if-$BOOT_IF.rrd" | awk 'NR==3{print $2}')
check "reboot: the counter sample after the reset is unknown, not a spike" test "$rate" = U
check "renumbering: eth0 keeps its row, now ifIndex 9" test \
    "$(q "SELECT id || ':' || if_index FROM interface WHERE device_id=$RENUM AND if_key='eth0'")" = "$RENUM_ETH0:9"
check "renumbering: eth1 keeps its row, now ifIndex 7" test \
    "$(q "SELECT id || ':' || if_index FROM interface WHERE device_id=$RENUM AND if_key='eth1'")" = "$RENUM_ETH1:7"
check "renumbering: no new interface rows" test "$(q "SELECT count(*) FROM interface WHERE device_id=$RENUM")" = 2
check "renumbering: eth0's row got eth0's counter" test \
    "$(q "SELECT in_octets FROM interface WHERE id=$RENUM_ETH0")" = 444
# eth0 went 111 -> 444, eth1 222 -> 333: eth0's file must hold eth0's rate, three times eth1's
if python3 - "$DATA" "$RENUM" "$RENUM_ETH0" "$RENUM_ETH1" <<'PY'
import sqlite3, subprocess, sys
data, dev, eth0, eth1 = sys.argv[1:]
db = sqlite3.connect("file:%s/wardwatch.db?mode=ro" % data, uri=True)
def rrd(row):
    out = subprocess.run(["rrdtool", "lastupdate", "%s/rrd/%s/if-%s.rrd" % (data, dev, row)],
                         capture_output=True, text=True).stdout.split("\n")
    return float(out[2].split()[1])
r0, r1 = rrd(eth0), rrd(eth1)
b0 = db.execute("SELECT in_bps FROM interface WHERE id=?", (eth0,)).fetchone()[0]
assert r0 * 8 == b0 and r0 > 0 and abs(r0 / r1 - 3) < 1e-6, (r0, r1, b0)
PY
then ok "renumbering: eth0's RRD got eth0's rate, the one its row shows"
else fail "renumbering: eth0's RRD rate"; fi

# --- hostile strings ------------------------------------------------------------------------
name=$(q "SELECT value FROM device_fact WHERE device_id=$HOST AND name='sysName'")
check "hostile sysName stored as given (text)" test "$name" = '<script>alert(1)</script>'
if q "SELECT hex(value) FROM device_fact WHERE device_id=$HOST AND name='sysDescr'" | python3 -c '
import sys
s = bytes.fromhex(sys.stdin.read().strip()).decode("utf-8")   # valid UTF-8
assert "$(rm -rf /)" in s and "%s%n%x" in s and "\ufffd" in s, s'; then
    ok "hostile sysDescr: metacharacters kept as text, invalid bytes replaced, valid UTF-8"
else fail "hostile sysDescr"; fi
len=$(q "SELECT length(alias) FROM interface WHERE device_id=$HOST")
check "60 KB ifAlias is cut to 4 KiB" test "$len" = 4096
check "the collector said nothing odd about them" bash -c "! grep -q -e 'alert(1)' -e 'rm -rf' '$T/rounds.log'"
exit 0

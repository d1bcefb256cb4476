#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_collector.sh - the collector against real agents: Debian's snmpsimd serving recordings
# of real devices (../shared/testdata/snmprec) and a real net-snmp snmpd, both on loopback.
# Runs `wardwatch-collector --intervals 2` and checks what lands in the RRD files and the
# database against what snmpget reads from the same agents; then stops an agent and checks
# the device turns down with an event; a UDP peer that answers garbage is down, not a crash.
source "$(dirname "$0")/lib.sh"

chmod 755 "$T"
DATA=$T/data
RECS="linux-centos7 cisco-c3550-32bit-counters mikrotik-rb750gr3 tplink-td-w9970
      windows-xp-desktop linux-nonascii-sysdescr cisco-6500-many-ifs apc-smx750i-ups"

cat >"$T/ww.conf" <<CONF
[general]
data_dir = $DATA
log_level = info
[collector]
poll_interval = 60
snmp_timeout_ms = 400
snmp_retries = 1
poll_workers = 4
CONF
ADMIN_PW=collector-test-$RANDOM$RANDOM
echo "$ADMIN_PW" | "$BIN/wardwatch" -c "$T/ww.conf" init --admin-password-stdin >/dev/null ||
    { fail "wardwatch init"; exit 1; }
ok "wardwatch init creates the data folder and database"
check "init again is harmless (migrations are idempotent)" "$BIN/wardwatch" -c "$T/ww.conf" init

# --- the machine's own snmpd --------------------------------------------------------------
SNMPD_PORT=$(free_port udp)
mkdir -p "$T/persist"
cat >"$T/snmpd.conf" <<CONF
rocommunity wwtest 127.0.0.1
sysName wardwatch-test-agent
sysLocation Phòng máy chủ, tầng 3
sysContact it@phuong.example
CONF
SNMP_PERSISTENT_DIR=$T/persist spawn snmpd snmpd -f -Lf "$T/snmpd-own.log" -C -c "$T/snmpd.conf" \
    -p "$T/snmpd.pid" "udp:127.0.0.1:$SNMPD_PORT"
SNMPD_PID=$SPAWNED_PID
"$BIN/wardwatch" -c "$T/ww.conf" device add --name "Máy chủ (snmpd)" --kind server \
    --host 127.0.0.1 --port "$SNMPD_PORT" --community wwtest >"$T/id-snmpd" || fail "add snmpd device"

# --- recordings of real devices via snmpsimd -----------------------------------------------
SIM_PORT=$(free_port udp)
declare -A DEV_ID
if have_testdata; then
    mkdir -p "$T/snmprec" "$T/cache"
    for r in $RECS; do cp "$WW_TESTDATA/snmprec/$r.snmprec" "$T/snmprec/"; done
    chmod -R a+rX "$T/snmprec" && chmod 777 "$T/cache"
    user_opts=()
    [ "$(id -u)" = 0 ] && user_opts=(--process-user=nobody --process-group=nogroup)
    # one loopback address per device, as on a real LAN (snmpsimd picks the file by community)
    declare -A ADDR
    endpoints=() n=10
    for r in $RECS; do
        ADDR[$r]=127.0.2.$n; n=$((n + 1))
        endpoints+=(--agent-udpv4-endpoint="${ADDR[$r]}:$SIM_PORT")
    done
    spawn snmpsimd snmpsimd --data-dir="$T/snmprec" --cache-dir="$T/cache" \
        "${endpoints[@]}" "${user_opts[@]}"
    for r in $RECS; do
        DEV_ID[$r]=$("$BIN/wardwatch" -c "$T/ww.conf" device add --name "$r" --host "${ADDR[$r]}" \
            --port "$SIM_PORT" --community "$r")
    done
    # snmpsimd indexes the files at start: wait for the largest to answer
    for _ in $(seq 1 120); do
        snmpget -v2c -c cisco-6500-many-ifs -t 1 -r 0 "127.0.2.10:$SIM_PORT" 1.3.6.1.2.1.1.3.0 \
            >/dev/null 2>&1 && break
        sleep 0.5
    done
else
    skip "recordings of real devices" "../shared/testdata is absent"
fi
for _ in $(seq 1 50); do
    snmpget -v2c -c wwtest -t 1 -r 0 "127.0.0.1:$SNMPD_PORT" 1.3.6.1.2.1.1.3.0 >/dev/null 2>&1 && break
    sleep 0.2
done

# --- a peer that answers every request with garbage -----------------------------------------
GARBAGE_PORT=$(free_port udp)
spawn garbage python3 -c '
import socket, sys, os
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(sys.argv[1])))
while True:
    data, addr = s.recvfrom(65535)
    s.sendto(b"\x30\x82\xff\xff" + os.urandom(40), addr)
' "$GARBAGE_PORT"
GARBAGE_ID=$("$BIN/wardwatch" -c "$T/ww.conf" device add --name garbage --host 127.0.0.1 \
    --port "$GARBAGE_PORT" --community x)

q() { sqlite3 -batch -noheader "$DATA/wardwatch.db" "$@"; }
sget() { snmpget -v2c -c "$1" -Oqv -t 2 -r 1 "$2" "$3" 2>/dev/null; }
last_ds() { rrdtool lastupdate "$1" | awk -v col="$2" 'NR==1{for(i=1;i<=NF;i++) if($i==col) c=i} NR==3{print $(c+1)}'; }
# rates_match DEVICE [LIMIT]: each interface's RRD file holds its row's rate (in/out_octets =
# in/out_bps / 8, U when the row has none) at the row's rate_at; prints the mismatches
rates_match() {
    python3 - "$DATA" "$1" "${2:-1000000}" <<'PY'
import math, sqlite3, subprocess, sys
data, dev, limit = sys.argv[1:]
db = sqlite3.connect("file:%s/wardwatch.db?mode=ro" % data, uri=True)
for row, rate_at, i, o in db.execute(
        "SELECT id, rate_at, in_bps, out_bps FROM interface WHERE device_id=? "
        "AND in_octets IS NOT NULL ORDER BY if_index LIMIT ?", (dev, int(limit))):
    out = subprocess.run(["rrdtool", "lastupdate", "%s/rrd/%s/if-%d.rrd" % (data, dev, row)],
                         capture_output=True, text=True).stdout.split("\n")
    last = dict(zip(out[0].split(), out[2].split()[1:]))
    when = int(out[2].split(":")[0])
    def same(v, bps):
        if v == "U":
            return bps is None or math.isnan(bps)
        return bps is not None and abs(float(v) * 8 - bps) <= abs(bps) * 1e-12
    if not (same(last["in_octets"], i) and same(last["out_octets"], o)
            and when == int(rate_at)):
        print("interface %d: rrd %s/%s B/s at %d, row %s/%s bit/s at %s"
              % (row, last["in_octets"], last["out_octets"], when, i, o, rate_at))
PY
}

SNMPD_ID=$(cat "$T/id-snmpd")
LO_IDX=$(snmpwalk -v2c -c wwtest -On "127.0.0.1:$SNMPD_PORT" 1.3.6.1.2.1.2.2.1.2 2>/dev/null \
    | awk -F'[. ]' '/"lo"|STRING: lo$/{print $(NF-3)}' | head -1)
LO_IDX=${LO_IDX:-1}
BEFORE=$(sget wwtest "127.0.0.1:$SNMPD_PORT" 1.3.6.1.2.1.31.1.1.1.6.$LO_IDX)

# two intervals on the daemon's path: a full poll of every device, then a counter poll of
# the ones that answered (the garbage peer gets a full poll again), no waiting for phases
if "$BIN/wardwatch-collector" -c "$T/ww.conf" --intervals 2 2>"$T/round1.log"; then
    ok "two intervals exit 0"
else
    fail "two intervals exit 0"; cat "$T/round1.log"
fi
NDEV=$(q "SELECT count(*) FROM device WHERE enabled")
check "each interval polled every device once ($NDEV)" \
    test "$(grep -c "interval: $NDEV polls, $((NDEV - 1)) up, 1 failed" "$T/round1.log")" = 2
# (a device's scheduled full poll may fall in it: full_poll_minutes spreads them by id)
FULL2=$(grep 'interval:' "$T/round1.log" | sed -n 's/.*full polls \([0-9]*\)$/\1/p' | sed -n 2p)
check "the second interval asked most devices only what moves (counter polls; $FULL2 full)" \
    test "${FULL2:-99}" -lt $((NDEV - 2))
AFTER=$(sget wwtest "127.0.0.1:$SNMPD_PORT" 1.3.6.1.2.1.31.1.1.1.6.$LO_IDX)

# issue 15: a port switched on but down from the first poll is an outage (one per port)
if [ -n "${DEV_ID[cisco-c3550-32bit-counters]:-}" ]; then
    C=${DEV_ID[cisco-c3550-32bit-counters]}
    WANT=$(q "SELECT count(*) FROM interface WHERE device_id=$C AND admin_status=1 AND oper_status IN (2, 7)")
    GOT=$(q "SELECT count(*) FROM event WHERE device_id=$C AND type='if_down' AND ended_at IS NULL")
    check "C3550: each port switched on but down from the first poll has one open outage ($GOT of $WANT)" \
        [ "$WANT" -gt 0 -a "$GOT" = "$WANT" ]
    check "C3550: a port switched off has none" \
        [ "$(q "SELECT count(*) FROM event e JOIN interface i ON i.id = e.interface_id WHERE e.device_id=$C AND e.type='if_down' AND i.admin_status<>1")" = 0 ]
fi

# snmpd: state up, lo counter between the readings before and after, its rate in the RRD
check "snmpd device is up" test "$(q "SELECT state FROM device_status WHERE device_id=$SNMPD_ID")" = up
LO_ROW=$(q "SELECT id FROM interface WHERE device_id=$SNMPD_ID AND if_index=$LO_IDX")
LO_IN=$(q "SELECT in_octets FROM interface WHERE id=$LO_ROW")
if [ -n "$LO_IN" ] && [ -n "$BEFORE" ] && [ "$LO_IN" -ge "$BEFORE" ] && [ "$LO_IN" -le "$AFTER" ]; then
    ok "snmpd lo ifHCInOctets ($LO_IN) lies between snmpget before ($BEFORE) and after ($AFTER)"
else
    fail "snmpd lo counter" "read=$LO_IN before=$BEFORE after=$AFTER"
fi
RRD_LO=$(last_ds "$DATA/rrd/$SNMPD_ID/if-$LO_ROW.rrd" in_octets)
check "snmpd: every interface's RRD file holds its row's rate, at its time" \
    test -z "$(rates_match "$SNMPD_ID")"
# lo claims 10 Mbit/s but carries every test daemon's traffic: between two quick rounds it
# can move faster than it claims, which the writer rightly refuses as a rate (NaN). Any
# interface of the agent with a rate shows the second round measured one.
RATED=""
[ "$RRD_LO" != U ] && RATED="lo $RRD_LO B/s"
if [ -z "$RATED" ]; then
    for f in "$DATA/rrd/$SNMPD_ID"/if-*.rrd; do
        v=$(last_ds "$f" in_octets)
        [ -n "$v" ] && [ "$v" != U ] && { RATED="$(basename "$f") $v B/s"; break; }
    done
fi
check "snmpd: a rate over the two rounds (${RATED:-none})" test -n "$RATED"
check "snmpd sysLocation stored as UTF-8 fact" \
    test "$(q "SELECT value FROM device_fact WHERE device_id=$SNMPD_ID AND name='sysLocation'")" = "Phòng máy chủ, tầng 3"

# recordings: every device up; every interface's counters in the RRD equal snmpget's
if have_testdata; then
    for r in $RECS; do
        id=${DEV_ID[$r]}
        state=$(q "SELECT state FROM device_status WHERE device_id=$id")
        [ "$state" = up ] || { fail "$r is up" "state=$state"; continue; }
        nif=$(q "SELECT count(*) FROM interface WHERE device_id=$id")
        want=$(snmpwalk -v2c -c "$r" -On "${ADDR[$r]}:$SIM_PORT" 1.3.6.1.2.1.2.2.1.2 2>/dev/null | grep -c '^\.1\.3')
        bad=0 compared=0
        # compare up to 40 interfaces per device (all of them for the small ones): the
        # counters read equal snmpget's, and each RRD file holds the rate of its row
        while IFS='|' read -r idx hc in_row out_row; do
            if [ "$hc" = 1 ]; then oid_in=1.3.6.1.2.1.31.1.1.1.6.$idx oid_out=1.3.6.1.2.1.31.1.1.1.10.$idx
            else oid_in=1.3.6.1.2.1.2.2.1.10.$idx oid_out=1.3.6.1.2.1.2.2.1.16.$idx; fi
            in_agent=$(sget "$r" "${ADDR[$r]}:$SIM_PORT" "$oid_in"); out_agent=$(sget "$r" "${ADDR[$r]}:$SIM_PORT" "$oid_out")
            compared=$((compared + 1))
            if [ "$in_agent" != "$in_row" ] || [ "$out_agent" != "$out_row" ]; then
                bad=$((bad + 1))
                echo "# $r ifIndex $idx: agent $in_agent/$out_agent read $in_row/$out_row"
            fi
        done < <(q "SELECT if_index, hc, in_octets, out_octets FROM interface WHERE device_id=$id AND in_octets IS NOT NULL ORDER BY if_index LIMIT 40")
        rates=$(rates_match "$id" 40)
        [ -n "$rates" ] && printf '# %s\n' "$rates"
        if [ "$bad" = 0 ] && [ -z "$rates" ] && [ "$nif" -ge "$want" ] && [ "$nif" -gt 0 ]; then
            ok "$r: up, $nif interfaces (agent has $want), $compared counters equal snmpget, their rates in RRD equal the rows'"
        else
            fail "$r: interfaces and counters" "$nif interfaces of $want, $bad of $compared differ; rates: $rates"
        fi
        # sysUpTime: the RRD gauge (seconds) equals the agent's TimeTicks / 100
        if [ "$r" != linux-nonascii-sysdescr ]; then  # that recording's uptime moves (numeric)
            ticks=$(snmpget -v2c -c "$r" -Ovt "${ADDR[$r]}:$SIM_PORT" 1.3.6.1.2.1.1.3.0 2>/dev/null)
            up_rrd=$(last_ds "$DATA/rrd/$id/snmp.rrd" uptime)
            if python3 -c "import sys; sys.exit(0 if abs(float('$up_rrd') - $ticks/100) < 0.01 else 1)" 2>/dev/null; then
                ok "$r: sysUpTime in RRD ($up_rrd s) equals snmpget ($ticks ticks)"
            else
                fail "$r: sysUpTime in RRD" "rrd=$up_rrd agent=$ticks"
            fi
        fi
    done
    # the binary, non-UTF-8 sysDescr is stored as valid UTF-8, nothing lost beyond the bad bytes
    id=${DEV_ID[linux-nonascii-sysdescr]}
    if q "SELECT hex(value) FROM device_fact WHERE device_id=$id AND name='sysDescr'" | \
        python3 -c 'import sys; b=bytes.fromhex(sys.stdin.read().strip()); s=b.decode("utf-8"); assert "\ufffd" in s and all(ord(c) >= 32 or c == "\t" for c in s)'; then
        ok "binary sysDescr stored as sanitized UTF-8"
    else
        fail "binary sysDescr stored as sanitized UTF-8"
    fi
    # HOST-RESOURCES / UCD facts equal what the agents serve
    for r in windows-xp-desktop linux-centos7 mikrotik-rb750gr3; do
        id=${DEV_ID[$r]} a="${ADDR[$r]}:$SIM_PORT"
        if [ "$r" = linux-centos7 ]; then
            want_ram=$(( $(sget "$r" "$a" 1.3.6.1.4.1.2021.4.5.0) * 1024 ))   # memTotalReal
        else
            want_ram=$(( $(sget "$r" "$a" 1.3.6.1.2.1.25.2.2.0) * 1024 ))     # hrMemorySize
        fi
        want_cpus=$(snmpwalk -v2c -c "$r" -On "$a" 1.3.6.1.2.1.25.3.3.1.2 2>/dev/null | grep -c '^\.1')
        got_ram=$(q "SELECT value FROM device_fact WHERE device_id=$id AND name='ram_bytes'")
        got_cpus=$(q "SELECT value FROM device_fact WHERE device_id=$id AND name='cpu_count'")
        if [ "$got_ram" = "$want_ram" ] && [ "$got_cpus" = "$want_cpus" ]; then
            ok "$r: ram_bytes $got_ram and cpu_count $got_cpus equal the agent's"
        else
            fail "$r: host facts" "ram $got_ram vs $want_ram, cpus $got_cpus vs $want_cpus"
        fi
    done
    id=${DEV_ID[windows-xp-desktop]}
    check "windows-xp: os fact names Windows XP" test "$(q "SELECT value FROM device_fact WHERE device_id=$id AND name='os'")" = "Windows XP (build 2600)"
    # the fullest disk in host.rrd equals hrStorageUsed/hrStorageSize of the agent's C: drive
    used=$(sget windows-xp-desktop "${ADDR[windows-xp-desktop]}:$SIM_PORT" 1.3.6.1.2.1.25.2.3.1.6.1)
    size=$(sget windows-xp-desktop "${ADDR[windows-xp-desktop]}:$SIM_PORT" 1.3.6.1.2.1.25.2.3.1.5.1)
    pct=$(last_ds "$DATA/rrd/$id/host.rrd" disk_max_pct)
    if python3 -c "import sys; sys.exit(0 if abs(float('$pct') - 100.0*$used/$size) < 0.01 else 1)" 2>/dev/null; then
        ok "windows-xp: disk_max_pct in RRD ($pct) equals C: used/size from snmpget"
    else
        fail "windows-xp: disk_max_pct" "rrd=$pct agent=$used/$size"
    fi
    # discovery: every address of a /29 at once; the live ones are added with a kind guess
    echo "discover-admin-$RANDOM$RANDOM" | "$BIN/wardwatch" -d "$T/disc" init --admin-password-stdin >/dev/null
    WW_COMMUNITY=mikrotik-rb750gr3 "$BIN/wardwatch" -d "$T/disc" discover 127.0.2.8/29 \
        --port "$SIM_PORT" --timeout-ms 500 >"$T/discover.out" 2>&1
    dq() { sqlite3 -batch -noheader "$T/disc/wardwatch.db" "$@"; }
    check "discover: the five live addresses of 127.0.2.8/29 answered and were added" \
        grep -q "5 of 6 addresses answered, 5 added" "$T/discover.out"
    check "discover: kind guessed router from sysDescr" test "$(dq "SELECT group_concat(DISTINCT kind) FROM device")" = router
    check "discover: facts stored" test "$(dq "SELECT count(*) FROM device_fact WHERE name='sysDescr'")" = 5
    check "discover: audited" test "$(dq "SELECT count(*) FROM audit_log WHERE action='device.discover'")" = 5
    WW_COMMUNITY=mikrotik-rb750gr3 "$BIN/wardwatch" -d "$T/disc" discover 127.0.2.10 \
        --port "$SIM_PORT" --timeout-ms 500 >"$T/discover2.out" 2>&1
    check "discover again: nothing added twice" grep -q "already known" "$T/discover2.out"
    # the five answer with one sysName (one recording): the first keeps it, the others are
    # named with their address, as the CLI's help says: "core-sw (10.0.0.2)"
    check "discover: five devices, five names" test "$(dq "SELECT count(DISTINCT name) || ' ' || count(*) FROM device")" = "5 5"
    check "discover: a sysName taken is made unique with the address" test "$(dq "SELECT count(*) FROM device d JOIN device_fact f ON f.device_id = d.id AND f.name = 'sysName' WHERE d.name = f.value || ' (' || d.host || ')'") $(dq "SELECT count(*) FROM device d JOIN device_fact f ON f.device_id = d.id AND f.name = 'sysName' WHERE d.name = f.value")" = "4 1"
    check "discover: the output names each as it was added" bash -c "[ \"\$(grep -c ' (127\\.0\\.2\\.1[0-4]) *added\$' '$T/discover.out')\" = 4 ]"
    # a sysName another device already has (an officer typed it, in other capitals)
    sysname=$(dq "SELECT value FROM device_fact WHERE name = 'sysName' LIMIT 1")
    upper=$(python3 -c 'import sys; print(sys.argv[1].upper())' "$sysname")
    "$BIN/wardwatch" -d "$T/disc" device add --name "$upper" --host 192.0.2.77 >/dev/null 2>&1
    WW_COMMUNITY=mikrotik-rb750gr3 "$BIN/wardwatch" -d "$T/disc" discover 127.0.2.8/29 \
        --port "$SIM_PORT" --timeout-ms 500 --dry-run >"$T/discover3.out" 2>&1
    WW_COMMUNITY=mikrotik-rb750gr3 "$BIN/wardwatch" -d "$T/disc" device remove \
        "$(dq "SELECT id FROM device WHERE host = '127.0.2.12'")" >/dev/null 2>&1
    WW_COMMUNITY=mikrotik-rb750gr3 "$BIN/wardwatch" -d "$T/disc" discover 127.0.2.12 \
        --port "$SIM_PORT" --timeout-ms 500 >"$T/discover4.out" 2>&1
    check "discover --dry-run: the names it would give are unique too" bash -c "[ \"\$(awk 'NR > 1 && \$NF == \"found\" { sub(/^[^ ]+ +[^ ]+ +/, \"\"); sub(/ +found\$/, \"\"); print }' '$T/discover3.out' | sort | uniq -d | wc -l) \$(grep -c ' found\$' '$T/discover3.out')\" = '0 5' ]"
    check "discover: found again while its sysName is taken twice, named with its address" test "$(dq "SELECT name FROM device WHERE host = '127.0.2.12'")" = "$sysname (127.0.2.12)"
    check "discover: vendor and model columns written (NULL when the device named none)" test "$(dq "SELECT count(*) FROM device WHERE host LIKE '127.0.2.%' AND (vendor = '' OR model = '')")" = 0
    # vendor and model are what the collector's profiles make of the device: the same as
    # 'wardwatch probe' says (that command comes with the device profiles)
    if "$BIN/wardwatch" -h 2>/dev/null | grep -q '^  probe '; then
        WW_COMMUNITY=mikrotik-rb750gr3 "$BIN/wardwatch" -d "$T/disc" probe 127.0.2.12 \
            --port "$SIM_PORT" --json >"$T/probe.json" 2>/dev/null
        check "discover: model as probe says" python3 -c "import json, sys; j = json.load(open('$T/probe.json')); sys.exit(0 if (j.get('model') or '') == sys.argv[1] else 1)" "$(dq "SELECT coalesce(model, '') FROM device WHERE host = '127.0.2.12'")"
    else
        skip "discover: vendor and model as probe says" "no 'wardwatch probe' (device profiles) yet"
    fi
    # 32-bit-only device: interfaces are marked 32-bit
    id=${DEV_ID[tplink-td-w9970]}
    check "tplink (no ifXTable) uses 32-bit counters" test "$(q "SELECT max(hc) FROM interface WHERE device_id=$id")" = 0
    id=${DEV_ID[mikrotik-rb750gr3]}
    check "mikrotik (HC only) uses 64-bit counters" test "$(q "SELECT min(hc) FROM interface WHERE device_id=$id")" = 1
fi

check "garbage-answering peer is down, not a crash" test "$(q "SELECT state FROM device_status WHERE device_id=$GARBAGE_ID")" = down
check "garbage peer has an open down event" test "$(q "SELECT count(*) FROM event WHERE device_id=$GARBAGE_ID AND type='down' AND ended_at IS NULL")" = 1

# --- the dashboard lists them as up -------------------------------------------------------------
if [ -x "$BIN/wardwatch-dashboard" ]; then
    spawn dashboard "$BIN/wardwatch-dashboard" -c "$T/ww.conf" --port 0 --port-file "$T/port" \
        --www "$WW_TOP/dashboard/www"
    DASH_PID=$SPAWNED_PID
    if PORT=$(wait_port_file "$T/port" 10) && ww_session admin "$PORT" admin "$ADMIN_PW"; then
        curl -s -b "$T/admin.jar" "http://127.0.0.1:$PORT/api/v1/devices?limit=1000" >"$T/devices.json"
        if python3 - "$T/devices.json" "$GARBAGE_ID" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
bad = [i["name"] for i in d["items"] if i["state"] != "up" and i["id"] != int(sys.argv[2])]
assert d["total"] == len(d["items"]) and d["total"] >= 2, d["total"]
assert not bad, bad
assert "wwtest" not in open(sys.argv[1]).read()  # the community never leaves the server
PY
        then ok "/api/v1/devices lists every agent as up, no community in the JSON"
        else fail "/api/v1/devices lists every agent as up"; fi
        # the facts the collector stored come back in the device detail, exactly
        for r in windows-xp-desktop linux-nonascii-sysdescr; do
            id=${DEV_ID[$r]:-}
            [ -n "$id" ] || continue
            curl -s -b "$T/admin.jar" "http://127.0.0.1:$PORT/api/v1/devices/$id" >"$T/dev-$id.json"
            q "SELECT name || '=' || hex(value) FROM device_fact WHERE device_id=$id ORDER BY name" >"$T/facts-$id.txt"
            if python3 - "$T/dev-$id.json" "$T/facts-$id.txt" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
want = {}
for line in open(sys.argv[2]):
    name, hexval = line.rstrip("\n").split("=", 1)
    want[name] = bytes.fromhex(hexval).decode("utf-8")
got = {f["name"]: f["value"] for f in d["facts"]}
assert got == want, (got, want)
assert {"sysDescr", "sysName", "os"} <= set(got), sorted(got)
assert all(f["first_seen"] and f["last_seen"] for f in d["facts"])
assert "wwtest" not in open(sys.argv[1]).read()
PY
            then ok "$r: /api/v1/devices/$id returns every stored fact as stored"
            else fail "$r: facts in the device API"; fi
        done
    else
        fail "dashboard started" "no port file"
    fi
fi

# --- an agent stops: its device turns down with an event -----------------------------------
kill "$SNMPD_PID"; wait "$SNMPD_PID" 2>/dev/null
check "round with a dead agent still exits 0" "$BIN/wardwatch-collector" -c "$T/ww.conf" --once
check "stopped snmpd device is down" test "$(q "SELECT state FROM device_status WHERE device_id=$SNMPD_ID")" = down
check "a down event is open for it" test "$(q "SELECT count(*) FROM event WHERE device_id=$SNMPD_ID AND type='down' AND ended_at IS NULL")" = 1
check "its interfaces' RRD files were not touched by the failed round" \
    test "$(last_ds "$DATA/rrd/$SNMPD_ID/if-$LO_ROW.rrd" in_octets)" = "$RRD_LO"
if [ -n "${PORT:-}" ]; then
    st=$(curl -s -b "$T/admin.jar" "http://127.0.0.1:$PORT/api/v1/devices?limit=1000" | python3 -c "
import json,sys; d=json.load(sys.stdin); print([i['state'] for i in d['items'] if i['id']==$SNMPD_ID][0])")
    check "dashboard shows it down" test "$st" = down
    ev=$(curl -s -b "$T/admin.jar" "http://127.0.0.1:$PORT/api/v1/events?device=$SNMPD_ID" | python3 -c "
import json,sys; d=json.load(sys.stdin); print(d['items'][0]['type'] if d['items'] else '')")
    check "dashboard event list shows the down event" test "$ev" = down
fi

# --- bad input: a broken config and a database that is not SQLite -------------------------
printf '[collector]\npoll_interval = fast\n' >"$T/bad.conf"
"$BIN/wardwatch-collector" -c "$T/bad.conf" --once 2>"$T/bad.err"
rc=$?
check "bad config: non-zero exit naming the line" bash -c "[ $rc != 0 ] && grep -q 'bad.conf:2' '$T/bad.err'"
mkdir -p "$T/junk" && head -c 4096 /dev/urandom >"$T/junk/wardwatch.db"
cp "$T/junk/wardwatch.db" "$T/junk.copy"
"$BIN/wardwatch-collector" -d "$T/junk" --once 2>"$T/junk.err"
rc=$?
check "not-a-database: non-zero exit with a message" bash -c "[ $rc != 0 ] && grep -q 'not a usable SQLite database' '$T/junk.err'"
check "not-a-database: the file is left as it was" cmp -s "$T/junk/wardwatch.db" "$T/junk.copy"
exit 0

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_neighbors.sh - LLDP and CDP neighbour tables from recordings of real switches and
# routers (snmpsimd), compared with what snmpbulkwalk reads from the same agents; the
# neighbour a device names is linked to that device; the parent suggestions that follow;
# a parent set through the API, a loop refused, and the neighbours API.
source "$(dirname "$0")/lib.sh"

have_testdata || { skip "neighbour tables of real devices" "../shared/testdata is absent"; exit 0; }
chmod 755 "$T"
DATA=$T/data
RECS="hp-procurve-e2910al mikrotik-rb750gr3 cisco-c3560-ios122 zyxel-gs1900-48"
cat >"$T/ww.conf" <<CONF
[general]
data_dir = $DATA
log_level = info
[collector]
poll_interval = 60
snmp_timeout_ms = 1000
snmp_retries = 1
poll_workers = 8
[dashboard]
www_dir = $WW_TOP/dashboard/www
CONF
ADMIN_PW=neighbors-test-$RANDOM$RANDOM
echo "$ADMIN_PW" | "$BIN/wardwatch" -c "$T/ww.conf" init --admin-password-stdin >/dev/null ||
    { fail "wardwatch init"; exit 1; }

mkdir -p "$T/snmprec" "$T/cache"
for r in $RECS; do cp "$WW_TESTDATA/snmprec/$r.snmprec" "$T/snmprec/"; done
# a switch of our own that the MikroTik's LLDP table names (sysName sw11.mzmol)
cat >"$T/snmprec/sw11.snmprec" <<'REC'
1.3.6.1.2.1.1.1.0|4|MES2324B 28-port 1G/10G Managed Switch
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.89.1.1.62.17
1.3.6.1.2.1.1.3.0|67|123456
1.3.6.1.2.1.1.5.0|4|sw11.mzmol
1.3.6.1.2.1.2.2.1.2.1|4|te1/0/1
1.3.6.1.2.1.2.2.1.8.1|2|1
REC
chmod -R a+rX "$T/snmprec" && chmod 777 "$T/cache"
user_opts=()
[ "$(id -u)" = 0 ] && user_opts=(--process-user=nobody --process-group=nogroup)
SIM_PORT=$(free_port udp)
declare -A ADDR DEV
endpoints=() n=10
for r in $RECS sw11; do
    ADDR[$r]=127.0.4.$n; n=$((n + 1))
    endpoints+=(--agent-udpv4-endpoint="${ADDR[$r]}:$SIM_PORT")
done
spawn snmpsimd snmpsimd --data-dir="$T/snmprec" --cache-dir="$T/cache" "${endpoints[@]}" \
    "${user_opts[@]}"
kind() { case $1 in mikrotik*) echo router ;; *) echo switch ;; esac; }
for r in $RECS sw11; do
    DEV[$r]=$(WW_COMMUNITY=$r "$BIN/wardwatch" -c "$T/ww.conf" device add --name "$r" \
        --kind "$(kind "$r")" --host "${ADDR[$r]}" --port "$SIM_PORT")
done
for _ in $(seq 1 120); do
    snmpget -v2c -c sw11 -t 1 -r 0 "${ADDR[sw11]}:$SIM_PORT" 1.3.6.1.2.1.1.5.0 >/dev/null 2>&1 && break
    sleep 0.5
done

"$BIN/wardwatch-collector" -c "$T/ww.conf" --once >"$T/round1.log" 2>&1
check "a round with neighbour tables is recorded" grep -q "interval: 5 polls, 5 up" "$T/round1.log"

q() { sqlite3 "$DATA/wardwatch.db" "$1"; }
# --- LLDP: every lldpRemSysName row of the agent is a row of ours, by name ----------------
for r in hp-procurve-e2910al mikrotik-rb750gr3 zyxel-gs1900-48; do
    snmpbulkwalk -v2c -c "$r" -Oqv -t 2 "${ADDR[$r]}:$SIM_PORT" 1.0.8802.1.1.2.1.4.1.1.5 \
        2>/dev/null | grep -vc 'No Such' >"$T/want-n" || true
    want_n=$(cat "$T/want-n")
    got_n=$(q "SELECT count(*) FROM neighbor WHERE device_id=${DEV[$r]} AND protocol='lldp'")
    check "$r: $want_n LLDP neighbours, as snmpbulkwalk reads ($got_n)" \
        [ "$want_n" -gt 0 ] && [ "$got_n" = "$want_n" ]
    snmpbulkwalk -v2c -c "$r" -Oqv -t 2 "${ADDR[$r]}:$SIM_PORT" 1.0.8802.1.1.2.1.4.1.1.9 \
        2>/dev/null | tr -d '"' | sort >"$T/want-names"
    q "SELECT coalesce(remote_name,'') FROM neighbor WHERE device_id=${DEV[$r]} AND protocol='lldp'" |
        sort >"$T/got-names"
    check "$r: LLDP remote system names equal the agent's" diff -q "$T/want-names" "$T/got-names"
done
# --- CDP: cdpCacheDeviceId rows, and the IPv4 address decoded --------------------------------
r=cisco-c3560-ios122
snmpbulkwalk -v2c -c "$r" -Oqv -t 2 "${ADDR[$r]}:$SIM_PORT" 1.3.6.1.4.1.9.9.23.1.2.1.1.6 \
    2>/dev/null | tr -d '"' | sort >"$T/want-cdp"
q "SELECT remote_name FROM neighbor WHERE device_id=${DEV[$r]} AND protocol='cdp'" | sort >"$T/got-cdp"
check "$r: CDP device ids equal the agent's ($(wc -l <"$T/want-cdp") rows)" \
    [ -s "$T/want-cdp" ] && diff -q "$T/want-cdp" "$T/got-cdp"
first_ip=$(snmpget -v2c -c "$r" -Ox -t 2 "${ADDR[$r]}:$SIM_PORT" 1.3.6.1.4.1.9.9.23.1.2.1.1.4.10149.2 |
    sed 's/.*Hex-STRING: //' | python3 -c 'import sys; b=bytes.fromhex(sys.stdin.read().replace(" ","")); print(".".join(str(x) for x in b))')
check "$r: cdpCacheAddress read as $first_ip" \
    [ "$(q "SELECT count(*) FROM neighbor WHERE device_id=${DEV[$r]} AND remote_addr='$first_ip'")" -ge 1 ]
check "$r: our side named by the interface (ifIndex 10149)" \
    [ -n "$(q "SELECT local_port FROM neighbor WHERE device_id=${DEV[$r]} AND protocol='cdp' AND local_port NOT LIKE 'port %' LIMIT 1")" ]
check "MAC chassis ids kept as hex, not mangled text" \
    [ "$(q "SELECT count(*) FROM neighbor WHERE device_id=${DEV[zyxel-gs1900-48]} AND remote_key GLOB '[0-9a-f][0-9a-f]:*'")" -gt 0 ]

# --- the MikroTik names sw11.mzmol: linked to our device; it becomes the suggested parent ---
check "the MikroTik's neighbour sw11.mzmol is our device sw11" \
    [ "$(q "SELECT remote_device_id FROM neighbor WHERE device_id=${DEV[mikrotik-rb750gr3]} AND remote_name='sw11.mzmol'")" = "${DEV[sw11]}" ]

DASH_DATA=$DATA
spawn dashboard "$BIN/wardwatch-dashboard" --data-dir "$DASH_DATA" --www "$WW_TOP/dashboard/www" \
    --listen 127.0.0.1 --port 0 --port-file "$T/port"
port=$(wait_port_file "$T/port" 20) || { fail "dashboard port"; exit 1; }
ww_session admin "$port" admin "$ADMIN_PW" || fail "admin login"
read -r code body < <(ww_api admin "$port" GET /api/v1/parent-suggestions)
echo "$body" >"$T/suggest.json"
check "parent suggestions answer 200" [ "$code" = 200 ]
check "sw11's suggested parent is the MikroTik router, via LLDP" python3 - "$T/suggest.json" \
    "${DEV[sw11]}" "${DEV[mikrotik-rb750gr3]}" <<'PY'
import json, sys
items = json.load(open(sys.argv[1]))["items"]
m = [i for i in items if i["device_id"] == int(sys.argv[2])]
sys.exit(0 if m and m[0]["parent_id"] == int(sys.argv[3]) and m[0]["via"] == "lldp" else 1)
PY
check "no suggestion points a router at a switch" python3 - "$T/suggest.json" \
    "${DEV[mikrotik-rb750gr3]}" <<'PY'
import json, sys
sys.exit(0 if all(i["device_id"] != int(sys.argv[2]) for i in json.load(open(sys.argv[1]))["items"]) else 1)
PY
read -r code body < <(ww_api admin "$port" GET "/api/v1/devices/${DEV[mikrotik-rb750gr3]}/neighbors")
check "neighbours API lists the MikroTik's LLDP table with the linked device" python3 -c '
import json, sys
items = json.loads(sys.argv[1])["items"]
sys.exit(0 if any(i["remote_name"] == "sw11.mzmol" and i["remote_device_name"] == "sw11" for i in items) else 1)' "$body"

# --- accepting it: PATCH parent_id; loops and self refused; the audit log has it ------------
read -r code body < <(ww_api admin "$port" PATCH "/api/v1/devices/${DEV[sw11]}" \
    "{\"parent_id\": ${DEV[mikrotik-rb750gr3]}}")
check "PATCH parent_id accepted" [ "$code" = 200 ]
read -r code body < <(ww_api admin "$port" GET "/api/v1/devices/${DEV[sw11]}")
check "the device shows its parent by id and name" python3 -c '
import json, sys
d = json.loads(sys.argv[1]); sys.exit(0 if d["parent_id"] == int(sys.argv[2]) and d["parent_name"] == "mikrotik-rb750gr3" else 1)' \
    "$body" "${DEV[mikrotik-rb750gr3]}"
read -r code body < <(ww_api admin "$port" PATCH "/api/v1/devices/${DEV[mikrotik-rb750gr3]}" \
    "{\"parent_id\": ${DEV[sw11]}}")
check "a loop of parents is refused with 400 ($code)" [ "$code" = 400 ]
read -r code body < <(ww_api admin "$port" PATCH "/api/v1/devices/${DEV[sw11]}" \
    "{\"parent_id\": ${DEV[sw11]}}")
check "a device as its own parent is refused with 400" [ "$code" = 400 ]
read -r code body < <(ww_api admin "$port" PATCH "/api/v1/devices/${DEV[sw11]}" '{"parent_id": "x"}')
check "a parent_id that is not a number is refused with 400" [ "$code" = 400 ]
check "the audit log records the parent change" \
    [ "$(q "SELECT count(*) FROM audit_log WHERE action='device.change' AND after_json LIKE '%\"parent_id\":${DEV[mikrotik-rb750gr3]}%'")" = 1 ]
read -r code body < <(ww_api admin "$port" GET /api/v1/parent-suggestions)
check "a device with a parent gets no more suggestions" python3 -c '
import json, sys
sys.exit(0 if all(i["device_id"] != int(sys.argv[2]) for i in json.loads(sys.argv[1])["items"]) else 1)' \
    "$body" "${DEV[sw11]}"

# --- a neighbour that leaves the table is removed at the next reading ----------------------
sed -i '/^1\.0\.8802\.1\.1\.2\.1\.4\.1\.1\.[0-9]*\.0\.6\.2|/d' "$T/snmprec/mikrotik-rb750gr3.snmprec"
before=$(q "SELECT count(*) FROM neighbor WHERE device_id=${DEV[mikrotik-rb750gr3]}")
# snmpsimd re-indexes a file whose time stamp moved, at its next request and while it blocks every
# other endpoint: wait until the agent itself no longer shows the row, so the collector's round
# does not meet a busy agent (under ASan and a full suite a poll then timed out)
sleep 1
for _ in $(seq 1 120); do
    n=$(snmpbulkwalk -v2c -c mikrotik-rb750gr3 -Oqv -t 2 -r 0 "${ADDR[mikrotik-rb750gr3]}:$SIM_PORT" \
        1.0.8802.1.1.2.1.4.1.1.5 2>/dev/null | grep -vc 'No Such') || true
    [ "$n" = "$before" ] || break
    sleep 0.5
done
# a new run starts with full polls, which read the neighbour tables (counter polls do not)
"$BIN/wardwatch-collector" -c "$T/ww.conf" --once >"$T/round2.log" 2>&1
after=$(q "SELECT count(*) FROM neighbor WHERE device_id=${DEV[mikrotik-rb750gr3]}")
check "a neighbour gone from the agent's table is gone from ours ($before -> $after)" \
    [ "$after" = $((before - 1)) ]
if grep -E ' (error|warning):' "$T/round1.log" "$T/round2.log" >"$T/errors"; then
    fail "no collector errors" "$(head -5 "$T/errors" | tr '\n' ' ')"
else
    ok "no collector errors"
fi

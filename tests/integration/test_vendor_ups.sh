#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_vendor_ups.sh - a UPS that speaks only its vendor's MIB (APC PowerNet, issue #13: "no
# alert can fire when the power goes"), end to end with real parts: snmpsimd serving our own
# recording (tests/data/ups/apc-on-battery.snmprec, written from PowerNet-MIB: on battery,
# 64 % charge, 18 min left, 41 % load, 29 C), the shipped profiles (collector/profiles/), the
# CLI, the dashboard on port 0 for the alert rule, and `wardwatch-collector --intervals 3`:
# one full poll, then two counter polls that must keep the vendor values.
#   - device_status and ups.rrd hold on_battery 1, 64 %, 18 min (rrdtool lastupdate);
#     ups_load.rrd 41 %, env.rrd 29 C; the facts say vendor APC, its model and serial
#   - the counter polls read them too (the last RRD update is the third interval's)
#   - a "UPS on battery" rule fires for it
source "$(dirname "$0")/lib.sh"

CLI="$BIN/wardwatch"
COLL="$BIN/wardwatch-collector"
DASH="$BIN/wardwatch-dashboard"
DATA="$T/data"
DB="$DATA/wardwatch.db"
CONF="$T/ww.conf"
ADMIN_PW="Quản-trị-$RANDOM$RANDOM"

for tool in sqlite3 python3 jq snmpsimd rrdtool curl; do
    command -v "$tool" >/dev/null || { skip "vendor UPS" "needs $tool"; exit 0; }
done

mkdir -p "$T/snmprec" "$T/cache" "$DATA"
chmod 777 "$T/cache"
chmod 755 "$T" "$T/snmprec"
cp "$WW_TOP/tests/data/ups/apc-on-battery.snmprec" "$T/snmprec/"
chmod 644 "$T/snmprec/"*
SNMP_PORT=$(free_port udp)
RUN_AS=()
[ "$(id -u)" = 0 ] && RUN_AS=(--process-user=nobody --process-group=nogroup)
spawn snmpsimd snmpsimd --data-dir="$T/snmprec" --cache-dir="$T/cache" \
    --agent-udpv4-endpoint="127.0.0.1:$SNMP_PORT" "${RUN_AS[@]}"
for _ in $(seq 1 100); do
    snmpget -v2c -c apc-on-battery -t 0.3 -r 0 "127.0.0.1:$SNMP_PORT" 1.3.6.1.2.1.1.3.0 2>/dev/null |
        grep -q Timeticks && break
    sleep 0.1
done

cat >"$CONF" <<CONF
[general]
data_dir = $DATA
[collector]
poll_interval = 60
snmp_timeout_ms = 1000
; a device's scheduled full poll falls on a slot its id picks within full_poll_minutes: with a
; week, not (1 time in 30, as with the hour) inside the three intervals below
full_poll_minutes = 10080
[dashboard]
www_dir = $WW_TOP/dashboard/www
CONF
printf '%s\n' "$ADMIN_PW" | "$CLI" -c "$CONF" init --admin-password-stdin >"$T/init.log" 2>&1 ||
    { fail "wardwatch init"; cat "$T/init.log"; exit 1; }
WW_COMMUNITY=apc-on-battery "$CLI" -c "$CONF" device add --name "UPS phòng máy" \
    --host 127.0.0.1 --port "$SNMP_PORT" --kind ups >"$T/add.log" 2>&1 ||
    { fail "device add"; cat "$T/add.log"; exit 1; }
ID=$(sqlite3 "$DB" "SELECT id FROM device")

# the probe says what it is and why, as discovery would
"$CLI" -c "$CONF" probe 127.0.0.1 --port "$SNMP_PORT" --community apc-on-battery --json \
    >"$T/probe.json" 2>"$T/probe.err"
check "probe: APC (apc.ini) → ups, on battery" jq -e \
    '.profile == "apc" and .vendor == "APC" and .kind == "ups" and (.why | test("318")) and .values.ups_on_battery == 1' \
    "$T/probe.json"
check "probe never prints the community" bash -c "! grep -q apc-on-battery '$T/probe.json'"

spawn dashboard "$DASH" -c "$CONF" --listen 127.0.0.1 --port 0 --port-file "$T/port" \
    --www "$WW_TOP/dashboard/www"
PORT=$(wait_port_file "$T/port" 20) || { fail "dashboard started"; cat "$T/dashboard.log"; exit 1; }
ww_session admin "$PORT" admin "$ADMIN_PW" || { fail "log in"; exit 1; }
r=$(ww_api admin "$PORT" POST /api/v1/alert-rules \
    '{"name":"Mất điện lưới","kind":"ups_battery","device_id":null,"for_s":0,"repeat_s":0,"notify_recovery":true,"channel_ids":[]}')
check "a 'UPS on battery' rule is added (201)" test "${r%% *}" = 201

"$COLL" -c "$CONF" --intervals 3 >"$T/coll.log" 2>&1 || { fail "collector --intervals 3"; tail "$T/coll.log"; }
check "the first interval walked, the next two were counter polls" \
    bash -c "grep -c 'full polls 0' '$T/coll.log' | grep -qx 2"

q() { sqlite3 -batch -noheader "$DB" "$@"; }
check "device_status: on battery, 64 %, 18 min" \
    test "$(q "SELECT ups_on_battery || '|' || ups_charge_pct || '|' || ups_runtime_min FROM device_status WHERE device_id=$ID")" = "1|64.0|18.0"
check "facts: vendor APC, model Smart-UPS 1500, serial" \
    test "$(q "SELECT group_concat(name || '=' || value, ';') FROM (SELECT name, value FROM device_fact WHERE device_id=$ID AND name IN ('vendor','model','serial') ORDER BY name)")" = \
    "model=Smart-UPS 1500;serial=AS1234567890;vendor=APC"

RRD="$DATA/rrd/$ID"
last() { rrdtool lastupdate "$RRD/$1.rrd" | tail -1; }
check "ups.rrd: 64 % charge, 18 min, on battery" bash -c "[[ '$(last ups)' =~ :\ 64\ 18(\.0+)?\ 1$ ]]"
check "ups_load.rrd: 41 %" bash -c "[[ '$(last ups_load)' =~ :\ 41$ ]]"
check "env.rrd: 29 C" bash -c "[[ '$(last env)' =~ :\ 29$ ]]"
# the third interval's counter poll wrote the last sample (three distinct seconds)
upd=$(rrdtool info "$RRD/ups.rrd" | sed -n 's/^last_update = //p')
snmpupd=$(rrdtool info "$RRD/snmp.rrd" | sed -n 's/^last_update = //p')
check "counter polls keep the vendor values (ups.rrd updated with the last poll: $upd = $snmpupd)" \
    test "$upd" = "$snmpupd"
check "the UPS-on-battery alert fires" \
    test "$(q "SELECT count(*) FROM alert a JOIN alert_rule r ON r.id = a.rule_id WHERE r.kind = 'ups_battery' AND a.device_id = $ID AND a.state = 'firing'")" = 1

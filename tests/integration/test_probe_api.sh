#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_probe_api.sh - the unknown devices over HTTP (issue 18): wardwatch-probe --store puts
# the MAC/IP pairs of a test capture into the database of a dashboard started on port 0;
# GET /api/v1/unknown-devices lists the new ones to the IT officer and refuses the others'
# roles (403); POST /api/v1/unknown-devices/{id}/decision flags or accepts one (audited),
# refuses other states, a missing CSRF token and unknown ids. GET /api/v1/traffic: the
# capture's office day (uplink by hour, protocol mix, top talkers with a device's name, the
# subnet), equal to what the probe stored; other roles 403, a bad day 400.
set -u
source "$(dirname "$0")/lib.sh"

for tool in curl sqlite3 python3; do
    command -v "$tool" >/dev/null || { fail "needs $tool"; exit 1; }
done
[ -d "$WW_TESTDATA/pcap" ] || { skip "probe API" "no $WW_TESTDATA/pcap"; exit 0; }
DATA=$T/data
CLI=$BIN/wardwatch
cat >"$T/ww.conf" <<CONF
[general]
data_dir = $DATA
[dashboard]
listen_address = 127.0.0.1
port = 0
port_file = $T/port
www_dir = $WW_TOP/dashboard/www
CONF
ADMIN_PW=probe-api-test-$RANDOM$RANDOM
printf '%s\n' "$ADMIN_PW" | "$CLI" -c "$T/ww.conf" init --admin-password-stdin >/dev/null ||
    { fail "init"; exit 1; }
for u in "tho:it" "sep:manager" "xem:viewer"; do
    printf '%s\n' "$ADMIN_PW-${u%%:*}" | "$CLI" -c "$T/ww.conf" user add --login "${u%%:*}" \
        --role "${u##*:}" --password-stdin >/dev/null || fail "user add ${u%%:*}"
done
# a device whose host is one of the capture's addresses: its pair is "known"
sqlite3 "$DATA/wardwatch.db" "INSERT INTO device (id, name, kind, host) VALUES (901, 'Máy chủ', 'server', '10.0.0.138')" ||
    { fail "fixture"; exit 1; }
"$BIN/wardwatch-probe" -c "$T/ww.conf" --read "$WW_TESTDATA/pcap/linux-sll-cooked-518pkts.pcap" \
    --subnets 10.0.0.0/24 --store >/dev/null 2>"$T/probe.err" || { fail "probe --store" "$(tail -3 "$T/probe.err")"; exit 1; }
check "the probe names 2 new pairs (10.0.0.138 is device 901's host)" \
    grep -q '3 MAC/IP pairs (2 new' "$T/probe.err"

spawn dash "$BIN/wardwatch-dashboard" -c "$T/ww.conf"
PORT=$(wait_port_file "$T/port" 20) || { fail "dashboard started"; cat "$T/dash.log"; exit 1; }
ww_session it "$PORT" tho "$ADMIN_PW-tho" || fail "it officer logs in"
ww_session mg "$PORT" sep "$ADMIN_PW-sep" || fail "manager logs in"
ww_session vw "$PORT" xem "$ADMIN_PW-xem" || fail "viewer logs in"

r=$(ww_api it "$PORT" GET /api/v1/unknown-devices)
check "the IT officer sees the 2 unknown pairs, oldest first (${r%% *})" \
    [ "${r%% *}" = 200 ] && [ "$(jf total)" = 2 ] && [ "$(jf items.0.ip)" = 10.0.0.8 ] &&
    [ "$(jf items.0.mac)" = 08:00:27:19:1c:78 ] && [ "$(jf items.0.source)" = arp ] &&
    [ "$(jf items.1.source)" = dhcp ] && [ "$(jf items.0.device_id)" = null ]
first=$(jf items.0.id)
r=$(ww_api it "$PORT" GET '/api/v1/unknown-devices?state=known')
check "the known pair names its device (${r%% *})" \
    [ "${r%% *}" = 200 ] && [ "$(jf total)" = 1 ] && [ "$(jf items.0.device_id)" = 901 ]
r=$(ww_api it "$PORT" GET '/api/v1/unknown-devices?state=nonsense')
check "an unknown state is a bad parameter (${r%% *})" [ "${r%% *}" = 400 ] && [ "$(jf error.code)" = bad_param ]
for who in mg vw; do
    r=$(ww_api "$who" "$PORT" GET /api/v1/unknown-devices)
    check "$who may not read the unknown devices (${r%% *})" [ "${r%% *}" = 403 ]
done

r=$(ww_api it "$PORT" POST "/api/v1/unknown-devices/$first/decision" '{"state":"flagged"}')
check "the IT officer flags one (${r%% *})" [ "${r%% *}" = 200 ] && [ "$(jf state)" = flagged ]
r=$(ww_api it "$PORT" GET /api/v1/unknown-devices)
check "a flagged one leaves the list of new ones" [ "$(jf total)" = 1 ]
r=$(ww_api it "$PORT" POST "/api/v1/unknown-devices/$first/decision" '{"state":"known"}')
check "'known' is not a decision: 400 status not_one_of (${r%% *})" \
    [ "${r%% *}" = 400 ] && [ "$(jf error.field)" = status ] && [ "$(jf error.reason)" = not_one_of ]
r=$(ww_api it "$PORT" POST "/api/v1/unknown-devices/$first/decision" '{"state":"accepted","x":1}')
check "another field is refused (${r%% *})" [ "${r%% *}" = 400 ]
r=$(ww_api it "$PORT" POST /api/v1/unknown-devices/999999/decision '{"state":"accepted"}')
check "an id that is not there: 404 (${r%% *})" [ "${r%% *}" = 404 ]
r=$(ww_api mg "$PORT" POST "/api/v1/unknown-devices/$first/decision" '{"state":"accepted"}')
check "a manager may not decide (${r%% *})" [ "${r%% *}" = 403 ]
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$T/it.jar" -H "Origin: http://127.0.0.1:$PORT" \
    -H 'Content-Type: application/json' --data '{"state":"accepted"}' \
    "http://127.0.0.1:$PORT/api/v1/unknown-devices/$first/decision")
check "no CSRF token: 403 ($code)" [ "$code" = 403 ]
check "the decision is in the audit log with who and before -> after" \
    [ "$(sqlite3 "$DATA/wardwatch.db" "SELECT actor || ' ' || json_extract(before_json, '\$.state') || ' ' || json_extract(after_json, '\$.state') FROM audit_log WHERE action = 'sighting.decide'")" = "tho new flagged" ]

# ---- the traffic overview of the capture's office day
DB=$DATA/wardwatch.db
day=$(office date -d "@$(sqlite3 "$DB" 'SELECT min(start) FROM probe_window')" +%F)
r=$(ww_api it "$PORT" GET "/api/v1/traffic?day=$day")
printf '%s\n' "${r#* }" >"$T/traffic.json"
tsum() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$T/traffic.json" "$1"; }
check "the IT officer reads $day's traffic: 24 hours (${r%% *})" \
    [ "${r%% *}" = 200 ] && [ "$(tsum 'len(d["hours"])')" = 24 ] && [ "$(jf day)" = "$day" ]
check "the uplink by hour adds up to what the probe stored (11,430 B out, 436,971 B in)" \
    [ "$(tsum 'sum(h["up_bytes"] for h in d["hours"])')" = 11430 ] &&
    [ "$(tsum 'sum(h["down_bytes"] for h in d["hours"])')" = 436971 ]
check "the protocol mix is the stored classes', largest first" \
    [ "$(tsum 'sum(m["bytes"] for m in d["mix"])')" = "$(sqlite3 "$DB" 'SELECT sum(bytes) FROM probe_window')" ] &&
    [ "$(jf mix.0.class)" = tcp ]
check "the subnet's totals are there" \
    [ "$(jf subnets.0.cidr)" = 10.0.0.0/24 ] &&
    [ "$(jf subnets.0.rx_bytes)" = "$(sqlite3 "$DB" "SELECT sum(rx_bytes) FROM probe_subnet")" ]
check "a top talker whose address is a device's host is named ($(tsum '[t["addr"] for t in d["top"]][:3]'))" \
    [ "$(tsum '[t["device"] for t in d["top"] if t["addr"] == "10.0.0.138"][0]')" = "Máy chủ" ]
check "each hour carries its office seconds (0..3600; the night hours none)" \
    [ "$(tsum 'all(0 <= h["office_seconds"] <= 3600 for h in d["hours"]) and d["hours"][2]["office_seconds"] == 0')" = True ]
r=$(ww_api it "$PORT" GET "/api/v1/traffic?day=$(office date -d "$day + 400 days" +%F)")
check "a day without traffic: zeros, no error (${r%% *})" \
    [ "${r%% *}" = 200 ] && [ "$(jf bytes)" = 0 ] && [ -z "$(jf top)" ]
r=$(ww_api it "$PORT" GET '/api/v1/traffic?day=2026-02-30')
check "a day that is not a date: 400 bad_param day (${r%% *})" \
    [ "${r%% *}" = 400 ] && [ "$(jf error.field)" = day ]
for who in mg vw; do
    r=$(ww_api "$who" "$PORT" GET /api/v1/traffic)
    check "$who may not read the traffic (${r%% *})" [ "${r%% *}" = 403 ]
done

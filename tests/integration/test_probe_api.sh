#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_probe_api.sh - the unknown devices over HTTP (issue 18): wardwatch-probe --store puts
# the MAC/IP pairs of a test capture into the database of a dashboard started on port 0;
# GET /api/v1/unknown-devices lists the new ones to the IT officer and refuses the others'
# roles (403); POST /api/v1/unknown-devices/{id}/decision flags or accepts one (audited),
# refuses other states, a missing CSRF token and unknown ids.
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
    --store >/dev/null 2>"$T/probe.err" || { fail "probe --store" "$(tail -3 "$T/probe.err")"; exit 1; }
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

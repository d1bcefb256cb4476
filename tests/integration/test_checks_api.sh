#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_checks_api.sh - the active checks over HTTP (issue 18 item 2), on a dashboard started
# on port 0: the IT officer adds checks (a table of refusals, each with its why: inventory's
# field and reason come back), changes and removes one (audited); wardwatch-probe --checks
# --once runs them and the list and one check show the state and its history; other roles
# may neither read nor change them.
set -u
source "$(dirname "$0")/lib.sh"

for tool in curl sqlite3 python3; do
    command -v "$tool" >/dev/null || { fail "needs $tool"; exit 1; }
done
PW=checks-api-$RANDOM$RANDOM
ww_conf ca
ww_init ca "$PW" "tho:it" "sep:manager" "xem:viewer"
DB=$T/ca/wardwatch.db
spawn dash "$BIN/wardwatch-dashboard" -c "$T/ca.conf"
PORT=$(wait_port_file "$T/ca.port" 20) || { fail "dashboard started"; cat "$T/dash.log"; exit 1; }
ww_session it "$PORT" tho "$PW-tho" || fail "it officer logs in"
ww_session mg "$PORT" sep "$PW-sep" || fail "manager logs in"
ww_session vw "$PORT" xem "$PW-xem" || fail "viewer logs in"
CLOSED=$(free_port tcp)

# body | status | field | reason | why
CASES=(
    '{"name":"Cổng DVC","kind":"http","target":"https://user:pw@dichvucong.gov.vn/"}|400|target|url_credentials|no password in a stored URL'
    '{"name":"FTP","kind":"http","target":"ftp://x/"}|400|target|not_url|only http and https'
    '{"name":"Lệnh","kind":"icmp","target":"-x"}|400|target|not_host|a host as a device host is'
    '{"name":"Cổng","kind":"tcp","target":"10.0.0.1"}|400|port|required|a TCP check needs a port'
    '{"name":"Ping","kind":"icmp","target":"10.0.0.1","expect":"x"}|400|expect|not_allowed|only HTTP has a body'
    '{"name":"Ping","kind":"icmp","target":"10.0.0.1","interval_s":1}|400|interval_s|out_of_range|not every second'
    '{"name":"Ping","kind":"icmp","target":"10.0.0.1","device_id":999}|400|device_id|no_such|no such device'
    '{"name":"Ping","kind":"ping","target":"10.0.0.1"}|400|kind|not_one_of|four kinds'
    '{"name":"Ping","kind":"icmp","target":"10.0.0.1","colour":"red"}|400|record|unknown_field|no field it does not know'
    '{"name":"Ping","kind":"icmp","target":5}|400|target|not_string|a target is text'
)
for c in "${CASES[@]}"; do
    IFS='|' read -r body status field reason why <<<"$c"
    r=$(ww_api it "$PORT" POST /api/v1/checks "$body")
    check "$why (${r%% *} $(jf error.field 2>/dev/null) $(jf error.reason 2>/dev/null))" \
        [ "${r%% *}" = "$status" ] && [ "$(jf error.field)" = "$field" ] && [ "$(jf error.reason)" = "$reason" ]
done
r=$(ww_api it "$PORT" POST /api/v1/checks "{\"name\":\"Cổng đóng\",\"kind\":\"tcp\",\"target\":\"127.0.0.1\",\"port\":$CLOSED,\"timeout_ms\":1000}")
check "the IT officer adds a TCP check (${r%% *})" [ "${r%% *}" = 201 ] && [ "$(jf kind)" = tcp ]
id=$(jf id)
r=$(ww_api it "$PORT" POST /api/v1/checks "{\"name\":\"Cổng đóng\",\"kind\":\"icmp\",\"target\":\"127.0.0.1\"}")
check "a name is taken once (${r%% *})" [ "${r%% *}" = 409 ]
r=$(ww_api it "$PORT" PATCH "/api/v1/checks/$id" '{"interval_s":120}')
check "a change keeps the other fields (${r%% *})" [ "${r%% *}" = 200 ] && [ "$(jf interval_s)" = 120 ] && [ "$(jf port)" = "$CLOSED" ]
r=$(ww_api it "$PORT" POST /api/v1/checks '{"name":"Xoá đi","kind":"dns","target":"localhost"}')
gone=$(jf id)
r=$(ww_api it "$PORT" DELETE "/api/v1/checks/$gone")
check "a check is removed (${r%% *})" [ "${r%% *}" = 204 ]
r=$(ww_api it "$PORT" GET "/api/v1/checks/$gone")
check "a removed check is not found (${r%% *})" [ "${r%% *}" = 404 ]
check "every change is in the audit log (add, change, add, remove)" \
    [ "$(sqlite3 "$DB" "SELECT count(*) FROM audit_log WHERE object_type = 'check'")" = 4 ]

"$BIN/wardwatch-probe" -c "$T/ca.conf" --checks --once --now 1893456000 >/dev/null 2>"$T/probe.err" ||
    fail "probe --checks --once" "$(tail -3 "$T/probe.err")"
r=$(ww_api it "$PORT" GET /api/v1/checks)
check "the list shows the state the probe stored (${r%% *})" \
    [ "${r%% *}" = 200 ] && [ "$(jf items.0.state)" = down ] && [ "$(jf items.0.reason)" = refused ]
r=$(ww_api it "$PORT" GET "/api/v1/checks/$id")
check "one check shows its change of state (${r%% *})" \
    [ "${r%% *}" = 200 ] && [ "$(jf history.0.state)" = down ] && [ "$(jf history.0.at)" = 1893456000 ]
for who in mg vw; do
    r=$(ww_api "$who" "$PORT" GET /api/v1/checks)
    check "$who may not read the checks (${r%% *})" [ "${r%% *}" = 403 ]
    r=$(ww_api "$who" "$PORT" POST /api/v1/checks '{"name":"x","kind":"dns","target":"localhost"}')
    check "$who may not add a check (${r%% *})" [ "${r%% *}" = 403 ]
done

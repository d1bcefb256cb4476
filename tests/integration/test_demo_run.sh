#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_demo_run.sh - what `make run` does, end to end: appliance/demo.sh starts the simulated
# ward office and the appliance; within two polling rounds the dashboard lists every demo
# device as up to the admin it created; TERM stops every process it started.
source "$(dirname "$0")/lib.sh"

chmod 755 "$T"
HTTP=$(free_port tcp)
WW_BIN=$BIN spawn demo "$WW_TOP/appliance/demo.sh" --data "$T/demo" --port "$HTTP"
DEMO=$SPAWNED_PID
for _ in $(seq 1 600); do
    grep -q "wardwatch demo is running" "$T/demo.log" && break
    kill -0 "$DEMO" 2>/dev/null || break
    sleep 0.2
done
if ! grep -q "wardwatch demo is running: http://127.0.0.1:$HTTP" "$T/demo.log"; then
    fail "demo.sh prints the URL" "$(tail -5 "$T/demo.log")"
    exit 0
fi
ok "demo.sh prints http://127.0.0.1:$HTTP"
# the URL line and the next ones are separate writes: the login line may follow a moment
# later (seen once under ASan)
for _ in $(seq 1 50); do
    grep -q "log in as: admin / " "$T/demo.log" && break
    sleep 0.2
done
check "it says how to log in" grep -q "log in as: admin / " "$T/demo.log"
check "the admin password file is private" test "$(stat -c %a "$T/demo/ADMIN-PASSWORD.txt")" = 600
ww_session admin "$HTTP" admin "$(cat "$T/demo/ADMIN-PASSWORD.txt")" || fail "log in"

# the demo polls every 15 s: two rounds and a little
up=0 total=0
for _ in $(seq 1 45); do
    read -r total up < <(curl -s -b "$T/admin.jar" "http://127.0.0.1:$HTTP/api/v1/devices?limit=1000" |
        python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["total"], sum(i["state"]=="up" for i in d["items"]))')
    [ "$total" -gt 0 ] && [ "$up" = "$total" ] && break
    sleep 1
done
check "every demo device is up within two rounds ($up of $total)" test "$total" = 27 -a "$up" = 27
facts=$(sqlite3 -batch -noheader "$T/demo/wardwatch.db" \
    "SELECT count(*) FROM device_fact WHERE name='ram_bytes'")
check "the PCs' RAM is known from HOST-RESOURCES ($facts devices)" test "$facts" -ge 20
page=$(curl -s "http://127.0.0.1:$HTTP/")
check "the page is served" bash -c "[[ '$page' == *'<html'* ]]"

pids=$(pgrep -f "$T/demo" | tr '\n' ' ')
kill -TERM "$DEMO"
for _ in $(seq 1 50); do kill -0 "$DEMO" 2>/dev/null || break; sleep 0.2; done
sleep 0.5
left=$(for p in $pids; do kill -0 "$p" 2>/dev/null && echo "$p"; done)
check "TERM stops every process the demo started" test -z "$left"
exit 0

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_phone.sh - the dashboard on a phone (390 x 844 and 360 wide) and on a desk (1366 x 768)
# in a real browser, and what it says when its server stops answering. A data folder made
# with the CLI, a real net-snmp snmpd on loopback polled by `wardwatch-collector --once` (RRD
# files, its loopback interface), a PC whose facts are put in with sqlite3 as the collector
# stores them (raw hrDeviceDescr-like sysDescr, its "os" fact), wardwatch-dashboard on port 0,
# then phone_test.js through playwright-core: no page wider than the screen, tap targets of
# 40 px, device names not one letter a line, graph legends with four figures, the loopback
# graph on request, OS names, the banner when the dashboard is stopped (SIGSTOP) and its end
# (SIGCONT). Screenshots (vi and en, desk and phone) go to $WW_TEST_OUT/screenshots/phone-*.
# Skips (exit 0) without /usr/bin/chromium, node or node_modules/playwright-core.
source "$(dirname "$0")/../integration/lib.sh"
source "$(dirname "$0")/agent.sh"

HERE="$WW_TOP/tests/browser"
WWW="$WW_TOP/dashboard/www"
OUT=${WW_TEST_OUT:-$T/out}
SHOTS="$OUT/screenshots"
ADMIN_PW='Quan-tri-2026!'
COMMUNITY='phone-secret-community'

python3 "$HERE/check_www.py" "$WWW"

if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null 2>&1 ||
    [ ! -d "$HERE/node_modules/playwright-core" ]; then
    skip "phone tests" "no chromium, node or playwright-core (run appliance/install-deps.sh --browser)"
    exit 0
fi
for tool in snmpd snmpget sqlite3; do
    command -v "$tool" >/dev/null 2>&1 || { fail "phone tests: needs $tool"; exit 1; }
done
for p in wardwatch wardwatch-dashboard wardwatch-collector; do
    [ -x "$BIN/$p" ] || { fail "phone tests: no $BIN/$p (build it first)"; exit 1; }
done

DATA="$T/data"
browser_agent_setup || exit 1

NOW=$(date +%s)
setup() {
    local i=0 kind dname
    while IFS='|' read -r kind dname; do
        i=$((i + 1))
        "$BIN/wardwatch" -d "$DATA" device add --name "$dname" --kind "$kind" \
            --host "192.0.2.$i" --community "$COMMUNITY" >/dev/null || return 1
    done <<'DEVICES'
pc|Máy kế toán phòng Tài chính – Kế hoạch (tầng 3)
router|Bộ định tuyến VNPT
switch|Dây mạng tầng 1
DEVICES
    sqlite3 "$DATA/wardwatch.db" <<SQL
PRAGMA busy_timeout=5000;
INSERT INTO device_fact (device_id, name, value, first_seen, last_seen)
  SELECT id, 'sysDescr', 'Hardware: Intel64 Family 6 Model 58 Stepping 9 AT/AT COMPATIBLE - Software: Windows Version 6.3 (Build 19045 Multiprocessor Free)', $NOW - 600, $NOW - 60
  FROM device WHERE kind = 'pc';
INSERT INTO device_fact (device_id, name, value, first_seen, last_seen)
  SELECT id, 'os', 'Windows 10 Pro (build 19045)', $NOW - 600, $NOW - 60 FROM device WHERE kind = 'pc';
INSERT INTO device_status (device_id, state, since, last_poll)
  SELECT id, 'down', $NOW - 7200, $NOW - 30 FROM device WHERE name = 'Bộ định tuyến VNPT';
INSERT INTO event (device_id, type, started_at, ended_at, message)
  SELECT id, 'down', $NOW - 7200, NULL, 'no answer' FROM device WHERE name = 'Bộ định tuyến VNPT';
SQL
}
if setup >"$T/setup.log" 2>&1; then
    ok "data folder set up with the CLI and sqlite3 (a PC with its os fact, an outage)"
else
    fail "data folder set up" "$(tail -3 "$T/setup.log" | tr '\n' ' ')"
    exit 1
fi

spawn dashboard "$BIN/wardwatch-dashboard" -c "$T/ww.conf" -d "$DATA" --listen 127.0.0.1 --port 0 \
    --port-file "$T/port" --www "$WWW"
DASH_PID=$SPAWNED_PID
if ! port=$(wait_port_file "$T/port" 20); then
    fail "dashboard started" "$(tail -5 "$T/dashboard.log" | tr '\n' ' ')"
    exit 1
fi

mkdir -p "$SHOTS"
rm -f "$SHOTS"/phone-*.png
WW_URL="http://127.0.0.1:$port" WW_ADMIN_PW="$ADMIN_PW" WW_WWW="$WWW" WW_SHOTS="$SHOTS" \
    WW_DASH_PID="$DASH_PID" timeout 300 node "$HERE/phone_test.js" >"$T/phone.out" 2>&1
rc=$?
kill -CONT "$DASH_PID" 2>/dev/null # never leave it stopped, whatever the test did
cat "$T/phone.out"
if [ "$rc" != 0 ] && ! grep -q '^not ok ' "$T/phone.out"; then
    fail "phone_test.js ran" "exit $rc"
fi
[ "$rc" = 124 ] && fail "phone tests finished within 300 s"
echo "# screenshots in $SHOTS: $(cd "$SHOTS" && ls phone-*.png 2>/dev/null | tr '\n' ' ')"
if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error' "$T/dashboard.log"; then
    fail "no sanitizer report from the dashboard"
    cat "$T/dashboard.log"
fi
exit 0

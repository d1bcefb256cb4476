#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_traffic.sh - the traffic overview page in a real browser (issue 18): wardwatch-probe
# --store with the office subnet fills a fresh database from a test capture ($WW_TESTDATA/
# pcap, the cooked one, 15/06/2016 in the office zone; 10.0.0.138 a device's host), plus a
# stored port with hostile text; the dashboard on port 0; traffic_test.js drives Debian's
# chromium through playwright-core as the IT officer (that day's hours, top talkers, mix,
# ports, subnet; English) and a manager (no entry). Screenshots in vi and en go to
# tests/out/traffic/ (or $WW_TEST_OUT/traffic/). Skips
# (exit 0) without chromium, node or node_modules/playwright-core: run
# appliance/install-deps.sh --browser.
source "$(dirname "$0")/../integration/lib.sh"
source "$(dirname "$0")/probeui.sh"

HERE="$WW_TOP/tests/browser"
WWW="$WW_TOP/dashboard/www"
SHOTS="${WW_TEST_OUT:-$WW_TOP/tests/out}/traffic"
PW="Can-bo-it-$RANDOM$RANDOM"

python3 "$HERE/check_www.py" "$WWW" | grep -v '^ok - '   # the full list is test_browser.sh's

if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null 2>&1 ||
    [ ! -d "$HERE/node_modules/playwright-core" ]; then
    skip "traffic page in a browser" "no chromium, node or playwright-core (run appliance/install-deps.sh --browser)"
    exit 0
fi
[ -d "$WW_TESTDATA/pcap" ] || { skip "traffic page" "no $WW_TESTDATA/pcap"; exit 0; }
DATA="$T/data"
if probe_ui_db "$PW" --subnets 10.0.0.0/24 &&
    sqlite3 "$DATA/wardwatch.db" "INSERT INTO probe_port (start, port, pkts, bytes) VALUES
        ((SELECT min(start) FROM probe_window), '<img src=x onerror=alert(1)>', 1, 1)" >>"$T/init.log" 2>&1; then
    ok "a database with the capture's traffic, an IT officer and a manager"
else
    fail "a database with the capture's traffic" "$(tail -3 "$T/init.log" | tr '\n' ' ')"
    exit 1
fi
probe_ui_run "$PW" traffic_test.js "$SHOTS"
exit 0

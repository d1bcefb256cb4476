#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_unknown.sh - the Unknown devices page in a real browser (issue 18): wardwatch-probe
# --store fills a fresh database from a test capture ($WW_TESTDATA/pcap, the cooked one: two
# ARP pairs and a DHCP pair, one of them a device's host), plus a stored row with hostile
# text; the dashboard on port 0; unknown_test.js drives Debian's chromium through
# playwright-core as the IT officer (list, flag, accept, English) and a manager (no entry).
# Screenshots in vi and en go to tests/out/unknown/ (or $WW_TEST_OUT/unknown/). Skips
# (exit 0) without chromium, node or node_modules/playwright-core: run
# appliance/install-deps.sh --browser.
source "$(dirname "$0")/../integration/lib.sh"
source "$(dirname "$0")/probeui.sh"

HERE="$WW_TOP/tests/browser"
WWW="$WW_TOP/dashboard/www"
SHOTS="${WW_TEST_OUT:-$WW_TOP/tests/out}/unknown"
PW="Can-bo-it-$RANDOM$RANDOM"

python3 "$HERE/check_www.py" "$WWW" | grep -v '^ok - '   # the full list is test_browser.sh's

if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null 2>&1 ||
    [ ! -d "$HERE/node_modules/playwright-core" ]; then
    skip "unknown devices page in a browser" "no chromium, node or playwright-core (run appliance/install-deps.sh --browser)"
    exit 0
fi
[ -d "$WW_TESTDATA/pcap" ] || { skip "unknown devices page" "no $WW_TESTDATA/pcap"; exit 0; }
DATA="$T/data"
if probe_ui_db "$PW" &&
    sqlite3 "$DATA/wardwatch.db" "INSERT INTO mac_sighting (mac, ip, source, first_seen, last_seen) VALUES
        ('02:00:00:00:00:99', '<img src=x onerror=alert(1)>', 'arp', 1465939200, 1465939200)" >>"$T/init.log" 2>&1; then
    ok "a database with the capture's pairs, an IT officer and a manager"
else
    fail "a database with the capture's pairs" "$(tail -3 "$T/init.log" | tr '\n' ' ')"
    exit 1
fi
probe_ui_run "$PW" unknown_test.js "$SHOTS"
check "the decisions are in the audit log (flagged, then accepted, by tho)" \
    [ "$(sqlite3 "$DATA/wardwatch.db" "SELECT group_concat(actor || ':' || json_extract(after_json, '\$.state'), ' ') FROM (SELECT * FROM audit_log WHERE action = 'sighting.decide' ORDER BY id)")" = "tho:flagged tho:accepted" ]
exit 0

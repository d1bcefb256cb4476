#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_units.sh - the Units page in a real browser (issue 16): the dashboard on port 0 with a
# province, two wards, a department, a one-stop-shop counter and a device in the old ward since
# 2021; units_test.js drives Debian's chromium through playwright-core: the manager sees the
# tree with its device counts, adds a ward, merges the old ward into the other on 01/07/2025
# through the form and its confirmation, sees it greyed "sáp nhập vào ... từ 01/07/2025", looks
# at the tree of 30/06/2025, reads the page in English; the it officer sees no unit forms.
# Screenshots in vi and en go to tests/out/units/ (or $WW_TEST_OUT/units/). Skips (exit 0)
# without chromium, node or node_modules/playwright-core: run appliance/install-deps.sh --browser.
source "$(dirname "$0")/../integration/lib.sh"

HERE="$WW_TOP/tests/browser"
WWW="$WW_TOP/dashboard/www"
SHOTS="${WW_TEST_OUT:-$WW_TOP/tests/out}/units"
ADMIN_PW="Quan-tri-$RANDOM$RANDOM"

python3 "$HERE/check_www.py" "$WWW" | grep -v '^ok - '   # the full list is test_browser.sh's

if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null 2>&1 ||
    [ ! -d "$HERE/node_modules/playwright-core" ]; then
    skip "units page in a browser" "no chromium, node or playwright-core (run appliance/install-deps.sh --browser)"
    exit 0
fi
for p in wardwatch wardwatch-dashboard; do
    [ -x "$BIN/$p" ] || { fail "units browser test: no $BIN/$p (build it first)"; exit 1; }
done

ww_conf a
ww_init a "$ADMIN_PW" "sep:manager" "tho:it"
if sqlite3 "$T/a/wardwatch.db" >"$T/fixture.log" 2>&1 <<'SQL'; then
INSERT INTO org_unit (id, parent_id, code, name, level, valid_from) VALUES
  (1, NULL, 'HCM', 'TP. Hồ Chí Minh', 'province', '2020-01-01'),
  (2, 1, 'BN', 'Phường Bến Nghé', 'ward', '2020-01-01'),
  (3, 1, 'SG', 'Phường Sài Gòn', 'ward', '2020-01-01'),
  (4, 2, 'BN-VP', 'Văn phòng UBND', 'department', '2020-01-01');
INSERT INTO location (id, unit_id, name, kind, building) VALUES (1, 2, 'Quầy một cửa số 1', 'counter', 'Nhà A');
INSERT INTO device (id, name, kind, host, unit_id, location_id) VALUES (901, 'PC một cửa', 'pc', '192.0.2.3', 2, 1);
INSERT INTO device_unit (device_id, unit_id, from_day, reason, actor) VALUES (901, 2, '2021-03-01', 'set', 'test');
SQL
    ok "data folder with a province, two wards, a department, a counter and a device"
else
    fail "data folder with units" "$(tail -3 "$T/fixture.log" | tr '\n' ' ')"
    exit 1
fi
spawn dashboard "$BIN/wardwatch-dashboard" -c "$T/a.conf"
port=$(wait_port_file "$T/a.port" 20) || { fail "dashboard started" "$(tail -5 "$T/dashboard.log")"; exit 1; }

mkdir -p "$SHOTS"
WW_URL="http://127.0.0.1:$port" WW_PW="$ADMIN_PW" WW_WWW="$WWW" WW_SHOTS="$SHOTS" \
    timeout 180 node "$HERE/units_test.js" >"$T/ui.out" 2>&1
rc=$?
cat "$T/ui.out"
if [ "$rc" != 0 ] && ! grep -q '^not ok ' "$T/ui.out"; then
    fail "units_test.js ran" "exit $rc"
fi
check "the merger through the page is one audited change by the manager" \
    [ "$(sqlite3 "$T/a/wardwatch.db" "SELECT count(*) || actor FROM audit_log WHERE action = 'unit.merge'")" = 1sep ]
check "the device moved to the new ward, its history row opened on 2025-07-01" \
    [ "$(sqlite3 "$T/a/wardwatch.db" "SELECT d.unit_id || ' ' || du.from_day || ' ' || du.reason FROM device d JOIN device_unit du ON du.device_id = d.id AND du.to_day IS NULL WHERE d.id = 901")" = "3 2025-07-01 merger" ]
echo "# screenshots in $SHOTS"
exit 0

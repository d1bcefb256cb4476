#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_plan.sh - the replacement plan page in a real browser (issue 16): the dashboard on
# port 0 over the register of tests/integration/plan_fixture.sh with prices and budgets;
# plan_test.js drives Debian's chromium through playwright-core as the manager: the grid by
# unit and year, the items with a pin over the budget, the priority list with each term in
# words, a saved version and what changed since it, the budget and weight forms refusing bad
# input, the print layout, the device page's score, then the page in English. Screenshots in
# vi and en go to tests/out/plan/ (or $WW_TEST_OUT/plan/). Skips (exit 0) without chromium,
# node or node_modules/playwright-core: run appliance/install-deps.sh --browser.
source "$(dirname "$0")/../integration/lib.sh"
source "$WW_TOP/tests/integration/plan_fixture.sh"

HERE="$WW_TOP/tests/browser"
WWW="$WW_TOP/dashboard/www"
SHOTS="${WW_TEST_OUT:-$WW_TOP/tests/out}/plan"

python3 "$HERE/check_www.py" "$WWW" | grep -v '^ok - '   # the full list is test_browser.sh's

if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null 2>&1 ||
    [ ! -d "$HERE/node_modules/playwright-core" ]; then
    skip "plan page in a browser" "no chromium, node or playwright-core (run appliance/install-deps.sh --browser)"
    exit 0
fi
for p in wardwatch wardwatch-dashboard; do
    [ -x "$BIN/$p" ] || { fail "plan browser test: no $BIN/$p (build it first)"; exit 1; }
done
plan_fixture || exit 1
sqlite3 "$DATA/wardwatch.db" <<SQL || { fail "prices and budgets"; exit 1; }
INSERT INTO plan_price (item, price_vnd) VALUES ('pc', 15000000), ('ram_upgrade', 1200000);
INSERT INTO plan_budget (unit_id, year, amount_vnd) VALUES (1, $Y, 20000000), (2, $((Y + 2)), 15000000);
SQL
spawn dashboard "$BIN/wardwatch-dashboard" -c "$T/ww.conf"
port=$(wait_port_file "$T/port" 20) || { fail "dashboard started" "$(tail -5 "$T/dashboard.log")"; exit 1; }

mkdir -p "$SHOTS"
WW_URL="http://127.0.0.1:$port" WW_MANAGER_PW="$ADMIN_PW-sep" WW_WWW="$WWW" WW_SHOTS="$SHOTS" \
    WW_YEAR="$Y" timeout 180 node "$HERE/plan_test.js" >"$T/ui.out" 2>&1
rc=$?
cat "$T/ui.out"
if [ "$rc" != 0 ] && ! grep -q '^not ok ' "$T/ui.out"; then
    fail "plan_test.js ran" "exit $rc"
fi
echo "# screenshots in $SHOTS"
exit 0

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# plan_fixture.sh - sourced by tests/integration/test_plan.sh and tests/browser/test_plan.sh
# (after lib.sh): plan_fixture makes $T/ww.conf and a data folder $DATA with an admin and the
# users tho (it), sep (manager), nhansu (hr), xem (viewer), passwords "$ADMIN_PW-<login>",
# and a small register: two units (Xã Cát merges into Phường An Hòa on 1 January of Y+2),
# 901 an 8-year-old counter PC; 902 a 7-year-old PC whose name is a spreadsheet formula;
# 903 a 1-year-old PC short of memory on each of the last 10 days; 904 old but in stock;
# 905 a 6-year-old PC of Xã Cát. Sets DATA, CLI, ADMIN_PW and Y (the current year).

plan_fixture() {
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
    ADMIN_PW=plan-test-$RANDOM$RANDOM
    printf '%s\n' "$ADMIN_PW" | "$CLI" -c "$T/ww.conf" init --admin-password-stdin >/dev/null ||
        { fail "init"; return 1; }
    for u in "tho:it" "sep:manager" "nhansu:hr" "xem:viewer"; do
        printf '%s\n' "$ADMIN_PW-${u%%:*}" | "$CLI" -c "$T/ww.conf" user add --login "${u%%:*}" \
            --role "${u##*:}" --password-stdin >/dev/null || fail "user add ${u%%:*}"
    done
    Y=$(office date +%Y)
    ago() { office date -d "$1" +%Y-%m-%d; }
    # 901 an 8-year-old counter PC; 902 a 7-year-old PC whose name is a spreadsheet formula;
    # 903 a 1-year-old PC short of memory every day; 904 old but in stock; 905 a 6-year-old PC
    # of Xã Cát, which merges into Phường An Hòa on 1 January of Y+2
    office sqlite3 "$DATA/wardwatch.db" <<SQL || { fail "fixture"; return 1; }
INSERT INTO org_unit (id, name) VALUES (1, 'Phường An Hòa');
INSERT INTO org_unit (id, name, valid_to, merged_into) VALUES (2, 'Xã Cát', '$((Y + 2))-01-01', 1);
INSERT INTO device (id, name, kind, host, unit_id, purchase_date, criticality) VALUES
  (901, 'Máy một cửa 1', 'pc', '192.0.2.1', 1, '$(ago '-8 years -1 month')', 'one_stop_counter'),
  (902, '=HYPERLINK("http://x.example","bấm")', 'pc', '192.0.2.2', 1, '$(ago '-7 years -1 month')', 'normal'),
  (903, 'Máy kế toán', 'pc', '192.0.2.3', 1, '$(ago '-1 year')', 'normal'),
  (905, 'Máy xã Cát', 'pc', '192.0.2.5', 2, '$(ago '-6 years -1 month')', 'normal');
INSERT INTO device (id, name, kind, host, unit_id, purchase_date, status) VALUES
  (904, 'Máy trong kho', 'pc', '192.0.2.4', 1, '$(ago '-10 years')', 'in_stock');
WITH RECURSIVE d(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM d WHERE n < 9)
INSERT INTO health_day (device_id, day, polls, ok_polls, mem_n, mem_sum, mem_high_n)
  SELECT 903, date('now', 'localtime', '-' || n || ' days'), 4, 4, 4, 380, 4 FROM d;
SQL
}

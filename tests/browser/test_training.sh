#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_training.sh - the Training page in a real browser (issue 17): the dashboard on port 0
# with a ward whose staff show real gaps (an oss officer whose digital signature expired, one
# expiring within 30 days, one never trained); training_test.js drives Debian's chromium
# through playwright-core as hr: the staff list, a person's transcript with a correction, the
# gap matrix with its legend (symbols and words, readable without colour) and unit compliance;
# a manager sees names and compliance but no matrix. Then trainreport_test.js: the reports
# (issue 17 item 5) - each one's CSV downloaded and read, its A4 print layout under print
# media, the expiring-soon tab, a hostile name as text, a manager refused the personal ones.
# Screenshots (and the gap matrix's PDF) in vi and en go to
# tests/out/training/ (or $WW_TEST_OUT/training/). Skips (exit 0) without chromium, node or
# node_modules/playwright-core: run appliance/install-deps.sh --browser.
source "$(dirname "$0")/../integration/lib.sh"

HERE="$WW_TOP/tests/browser"
WWW="$WW_TOP/dashboard/www"
SHOTS="${WW_TEST_OUT:-$WW_TOP/tests/out}/training"
ADMIN_PW="Quan-tri-$RANDOM$RANDOM"

python3 "$HERE/check_www.py" "$WWW" | grep -v '^ok - '   # the full list is test_browser.sh's

if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null 2>&1 ||
    [ ! -d "$HERE/node_modules/playwright-core" ]; then
    skip "training page in a browser" "no chromium, node or playwright-core (run appliance/install-deps.sh --browser)"
    exit 0
fi
for p in wardwatch wardwatch-dashboard; do
    [ -x "$BIN/$p" ] || { fail "training browser test: no $BIN/$p (build it first)"; exit 1; }
done

DATA="$T/data"
cat >"$T/ww.conf" <<CONF
[general]
data_dir = $DATA
CONF
# the day the page is asked about is fixed (?day), so the states do not move with the clock
if printf '%s\n' "$ADMIN_PW" | "$BIN/wardwatch" -c "$T/ww.conf" init --admin-password-stdin >"$T/init.log" 2>&1 &&
    printf '%s\n' "$ADMIN_PW-hr" | "$BIN/wardwatch" -c "$T/ww.conf" user add --login nhansu --role hr --password-stdin >>"$T/init.log" 2>&1 &&
    printf '%s\n' "$ADMIN_PW-mg" | "$BIN/wardwatch" -c "$T/ww.conf" user add --login lanhdao --role manager --password-stdin >>"$T/init.log" 2>&1 &&
    sqlite3 "$DATA/wardwatch.db" >>"$T/init.log" 2>&1 <<'SQL'
INSERT INTO org_unit (id, name) VALUES (1, 'UBND phường Bến Thành');
INSERT INTO course (id, name, provider_kind, provider, hours) VALUES
  (1, 'Chữ ký số cho cán bộ một cửa', 'province_dept', 'Sở KH&CN', 8),
  (2, 'Kỹ năng số cơ bản', 'online', 'Bình dân học vụ số', 12),
  (3, 'Phần mềm một cửa', 'internal', NULL, 4);
INSERT INTO course_skill SELECT 1, id, 1 FROM skill WHERE code = 'digital_signature';
INSERT INTO course_skill SELECT 2, id, 1 FROM skill WHERE code = 'basic_digital';
INSERT INTO course_skill SELECT 3, id, 1 FROM skill WHERE code = 'oss_software';
INSERT INTO staff (id, code, code_key, full_name, name_key, unit_id, role_id, start_day)
  SELECT 1, 'NV-001', 'nv-001', 'Nguyễn Thị Lan', 'nguyễn thị lan', 1, id, '2023-01-02' FROM job_role WHERE code = 'oss_officer';
INSERT INTO staff (id, code, code_key, full_name, name_key, unit_id, role_id, start_day)
  SELECT 2, 'NV-002', 'nv-002', 'Trần Văn Bình', 'trần văn bình', 1, id, '2023-01-02' FROM job_role WHERE code = 'oss_officer';
INSERT INTO staff (id, code, code_key, full_name, name_key, unit_id, role_id, start_day)
  SELECT 3, 'NV-003', 'nv-003', 'Lê Thị Cúc', 'lê thị cúc', 1, id, '2023-01-02' FROM job_role WHERE code = 'accountant';
INSERT INTO staff_history (staff_id, unit_id, role_id, from_day, actor) SELECT id, unit_id, role_id, start_day, 'test' FROM staff;
INSERT INTO training_record (id, staff_id, course_id, completed_on, result, valid_until, source, corrects, actor) VALUES
  (1, 1, 1, '2023-05-10', 'passed', '2025-05-10', 'manual', NULL, 'test'),
  (2, 1, 2, '2023-05-11', 'passed', NULL, 'manual', NULL, 'test'),
  (3, 2, 1, '2023-10-20', 'failed', '2025-10-20', 'manual', NULL, 'test'),
  (4, 2, 1, '2023-10-20', 'passed', '2025-10-20', 'manual', 3, 'test'),
  (5, 2, 3, '2024-01-15', 'passed', '2026-01-15', 'manual', NULL, 'test');
SQL
then
    ok "data folder with a ward, its staff and their training"
else
    fail "data folder with a ward, its staff and their training" "$(tail -3 "$T/init.log" | tr '\n' ' ')"
    exit 1
fi
spawn dashboard "$BIN/wardwatch-dashboard" -c "$T/ww.conf" --listen 127.0.0.1 --port 0 \
    --port-file "$T/port" --www "$WWW"
port=$(wait_port_file "$T/port" 20) || { fail "dashboard started" "$(tail -5 "$T/dashboard.log")"; exit 1; }

mkdir -p "$SHOTS"
# training_test.js, then trainreport_test.js (the reports: CSV, print layouts, expiring soon)
# on the ward as training_test.js leaves it
for js in training_test.js trainreport_test.js; do
    WW_URL="http://127.0.0.1:$port" WW_HR_PW="$ADMIN_PW-hr" WW_MG_PW="$ADMIN_PW-mg" WW_WWW="$WWW" \
        WW_SHOTS="$SHOTS" timeout 180 node "$HERE/$js" >"$T/ui.out" 2>&1
    rc=$?
    cat "$T/ui.out"
    if [ "$rc" != 0 ] && ! grep -q '^not ok ' "$T/ui.out"; then
        fail "$js ran" "exit $rc"
    fi
done
echo "# screenshots in $SHOTS"
exit 0

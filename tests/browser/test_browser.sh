#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_browser.sh - the dashboard UI in a real browser. Static checks of dashboard/www first
# (i18n keys, CSP-safe markup, no HTML insertion; python3 only), then a data folder made with
# the CLI, wardwatch-dashboard on port 0, and ui_test.js driving Debian's chromium through
# playwright-core: login, menus per role, not-allowed pages, language, literal text, search,
# Vietnamese sort, device/user forms, audit, logout, throttling, and the network-uptime pages
# (overview, a device with graphs, outage log, alerts, maintenance). For real graphs a real
# net-snmp snmpd on loopback is polled by `wardwatch-collector --once` a few times (RRD files
# and interfaces as the collector writes them); outages, units, sites, a parent, alerts and
# a failed delivery are then put in with sqlite3 at fixed offsets from now, so the
# durations on the page are known exactly. Screenshots go to
# $WW_TEST_OUT/screenshots/. Skips (exit 0) without /usr/bin/chromium, node or
# node_modules/playwright-core: run appliance/install-deps.sh --browser.
source "$(dirname "$0")/../integration/lib.sh"
source "$(dirname "$0")/agent.sh"

HERE="$WW_TOP/tests/browser"
WWW="$WW_TOP/dashboard/www"
OUT=${WW_TEST_OUT:-$T/out}
SHOTS="$OUT/screenshots"
ADMIN_PW='Quan-tri-2026!'
USER_PW='mat-khau-thu-nghiem'
COMMUNITY='browser-secret-community'
WEBHOOK_SECRET='browser-webhook-secret-token-77'

python3 "$HERE/check_www.py" "$WWW"

if [ ! -x /usr/bin/chromium ]; then
    skip "browser tests" "no /usr/bin/chromium (run appliance/install-deps.sh --browser)"
    exit 0
fi
if ! command -v node >/dev/null 2>&1; then
    skip "browser tests" "no node (run appliance/install-deps.sh --browser)"
    exit 0
fi
if [ ! -d "$HERE/node_modules/playwright-core" ]; then
    skip "browser tests" "no tests/browser/node_modules/playwright-core (run appliance/install-deps.sh --browser)"
    exit 0
fi
for tool in snmpd snmpget sqlite3; do
    command -v "$tool" >/dev/null 2>&1 ||
        { fail "browser tests: needs $tool (appliance/install-deps.sh)"; exit 1; }
done
for p in wardwatch wardwatch-dashboard wardwatch-collector; do
    [ -x "$BIN/$p" ] || { fail "browser tests: no $BIN/$p (build it first)"; exit 1; }
done

# ---- a data folder made the way an installer would ----------------------------------------
DATA="$T/data"
# ---- a real agent polled by the real collector: RRD files, interfaces, facts ----------------
SNMPD_EXTRA="sysLocation Phòng máy chủ, tầng 3"
browser_agent_setup || exit 1

setup() {
    local role login name
    while IFS='|' read -r role login name; do
        printf '%s\n' "$USER_PW" | "$BIN/wardwatch" -d "$DATA" user add --login "$login" \
            --role "$role" --name "$name" --password-stdin || return 1
    done <<'USERS'
it|an.nv|Nguyễn Văn An
manager|cuong.lv|Lê Văn Cường
hr|dung.pt|Phạm Thị Dung
viewer|em.hv|Hoàng Văn Em
USERS
    local i=0 kind dname
    while IFS='|' read -r kind dname; do
        i=$((i + 1))
        "$BIN/wardwatch" -d "$DATA" device add --name "$dname" --kind "$kind" \
            --host "192.0.2.$i" --community "$COMMUNITY" >/dev/null || return 1
    done <<'DEVICES'
router|<script>alert(1)</script>
server|Máy chủ Phường Bến Nghé
printer|Máy in tầng 2 – Phường Đông Hòa
ups|Ưu tiên – UPS phòng họp
other|Ơ-ten thử nghiệm
pc|Anh Tuấn – máy kế toán
ap|Ăng-ten Wi-Fi sân
other|Âm ly hội trường
router|Bộ định tuyến VNPT
switch|Dây mạng tầng 1
other|Đầu ghi camera
ap|Điểm phát Wi-Fi tầng 2
server|Ổ cứng mạng NAS
server|Ung dụng một cửa
DEVICES
}
# ---- uptime records at fixed offsets from now: durations on the page are known exactly -----
NOW=$(date +%s)
uptime_rows() {
    sqlite3 "$DATA/wardwatch.db" <<SQL
PRAGMA busy_timeout=5000;
PRAGMA foreign_keys=ON;
INSERT INTO org_unit (id, name) VALUES (1, 'Phường Bến Nghé'), (2, 'Phường Đa Kao');
INSERT INTO location (id, unit_id, name) VALUES (1, 1, 'Trụ sở UBND'), (2, 2, 'Bộ phận một cửa');
UPDATE device SET created_at = $NOW - 40 * 86400;
-- the polled server has answered since it was added (availability counts from the first answer)
UPDATE device_status SET first_ok = $NOW - 40 * 86400 WHERE device_id = 1;
UPDATE device SET unit_id = 1, location_id = 1 WHERE id = 1 OR name IN ('Bộ định tuyến VNPT', 'Dây mạng tầng 1');
UPDATE device SET unit_id = 2, location_id = 2 WHERE name LIKE 'Máy in%';
-- the router is down since 2 h; the switch behind it is unreachable
UPDATE device SET parent_id = (SELECT id FROM device WHERE name = 'Bộ định tuyến VNPT')
  WHERE name = 'Dây mạng tầng 1';
INSERT INTO device_status (device_id, state, since, last_poll)
  SELECT id, 'down', $NOW - 7200, $NOW - 30 FROM device WHERE name = 'Bộ định tuyến VNPT';
INSERT INTO device_status (device_id, state, since, last_poll)
  SELECT id, 'unreachable', $NOW - 7200, $NOW - 30 FROM device WHERE name = 'Dây mạng tầng 1';
INSERT INTO event (device_id, type, started_at, ended_at, message)
  SELECT id, 'down', $NOW - 7200, NULL, 'no answer' FROM device WHERE name = 'Bộ định tuyến VNPT';
INSERT INTO event (device_id, type, started_at, ended_at, message)
  SELECT id, 'unreachable', $NOW - 7200, NULL, 'parent down' FROM device WHERE name = 'Dây mạng tầng 1';
-- the polled server: one closed outage of exactly 1 h 30 min, 5 h ago
INSERT INTO event (device_id, type, started_at, ended_at, message)
  VALUES (1, 'down', $NOW - 18000, $NOW - 18000 + 5400, 'no answer');
-- the printer: a 45 min outage 3 days ago inside a maintenance window
INSERT INTO event (device_id, type, started_at, ended_at, message)
  SELECT id, 'down', $NOW - 3 * 86400, $NOW - 3 * 86400 + 2700, 'no answer' FROM device WHERE name LIKE 'Máy in%';
INSERT INTO maintenance (name, device_id, starts_at, ends_at, note, created_by)
  SELECT 'Thay hộp mực', id, $NOW - 3 * 86400 - 600, $NOW - 3 * 86400 + 3600, 'Bảo trì định kỳ', 'admin'
  FROM device WHERE name LIKE 'Máy in%';
-- the printer's supplies as the collector stores them: a level, "some remaining", no level
INSERT INTO device_fact (device_id, name, value, first_seen, last_seen)
  SELECT id, 'printer_supplies', '[{"descr":"CF400X","level_pct":5,"state":"known"},'
    || '{"descr":"DR-2300","level_pct":null,"state":"some_remaining"},'
    || '{"descr":"WT-202","level_pct":null,"state":"unknown"}]', $NOW - 600, $NOW - 60
  FROM device WHERE name LIKE 'Máy in%';
INSERT INTO holiday (day, name) VALUES ('$(office date +%Y)-09-02', 'Quốc khánh');
-- alerting: an e-mail channel, a webhook with a secret, a rule, a firing alert, a failed delivery
INSERT INTO alert_channel (id, name, kind, target, secret) VALUES
  (1, 'Hộp thư tổ CNTT', 'email', 'cntt@phuong.example', NULL),
  (2, 'Nhóm Zalo trực', 'webhook', 'https://hook.example/ww', '$WEBHOOK_SECRET');
INSERT INTO alert_rule (id, name, kind, for_s, repeat_s) VALUES (1, 'Thiết bị mất kết nối', 'device_down', 120, 3600);
INSERT INTO alert_rule_channel (rule_id, channel_id) VALUES (1, 1), (1, 2);
INSERT INTO alert (id, rule_id, device_id, subject, state, pending_since, fired_at, value, message)
  SELECT 1, 1, id, '', 'firing', $NOW - 7200, $NOW - 7080, 7200, 'alertval.down_for'
  FROM device WHERE name = 'Bộ định tuyến VNPT';
INSERT INTO notification (alert_id, channel_id, kind, recipient, subject, body, status, attempts,
  next_attempt_at, last_error, created_at)
  VALUES (1, 1, 'firing', 'cntt@phuong.example', '[WardWatch] Bộ định tuyến VNPT mất kết nối', 'x',
  'failed', 5, NULL, 'smtp: connection refused', $NOW - 7000);
SQL
}
if setup >"$T/setup.log" 2>&1 && uptime_rows >>"$T/setup.log" 2>&1; then
    ok "data folder set up with the CLI (init, 5 roles, 14 devices) and sqlite3 (outages, units, alerts)"
else
    fail "data folder set up with the CLI" "$(tail -3 "$T/setup.log" | tr '\n' ' ')"
    exit 1
fi

spawn dashboard "$BIN/wardwatch-dashboard" -c "$T/ww.conf" -d "$DATA" --listen 127.0.0.1 --port 0 \
    --port-file "$T/port" --www "$WWW"
if ! port=$(wait_port_file "$T/port" 20); then
    fail "dashboard started" "$(tail -5 "$T/dashboard.log" | tr '\n' ' ')"
    exit 1
fi

rm -rf "$SHOTS"
mkdir -p "$SHOTS"
start=$(date +%s)
WW_URL="http://127.0.0.1:$port" WW_ADMIN_PW="$ADMIN_PW" WW_USER_PW="$USER_PW" \
    WW_WWW="$WWW" WW_SHOTS="$SHOTS" WW_COMMUNITY="$COMMUNITY" WW_SECRET="$WEBHOOK_SECRET" \
    timeout 300 node "$HERE/ui_test.js" >"$T/ui.out" 2>&1
rc=$?
cat "$T/ui.out"
if [ "$rc" != 0 ] && ! grep -q '^not ok ' "$T/ui.out"; then
    fail "ui_test.js ran" "exit $rc"
fi
echo "# browser test: $(( $(date +%s) - start )) s, screenshots in $SHOTS"
echo "# UI files on disk: $(cat "$WWW"/*.html "$WWW"/*.js "$WWW"/*.css | wc -c) bytes html+js+css," \
    "i18n vi $(wc -c <"$WWW/i18n/vi.json") / en $(wc -c <"$WWW/i18n/en.json") bytes"
[ "$rc" = 124 ] && fail "browser tests finished within 300 s"
if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error' "$T/dashboard.log"; then
    fail "no sanitizer report from the dashboard"
    cat "$T/dashboard.log"
fi
exit 0

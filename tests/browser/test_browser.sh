#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_browser.sh - the dashboard UI in a real browser. Static checks of dashboard/www first
# (i18n keys, CSP-safe markup, no HTML insertion; python3 only), then a data folder made with
# the CLI, wardwatch-dashboard on port 0, and ui_test.js driving Debian's chromium through
# playwright-core: login, menus per role, not-allowed pages, language, literal text, search,
# Vietnamese sort, device/user forms, audit, logout, throttling. Screenshots go to
# $WW_TEST_OUT/screenshots/. Skips (exit 0) without /usr/bin/chromium, node or
# node_modules/playwright-core: run appliance/install-deps.sh --browser.
source "$(dirname "$0")/../integration/lib.sh"

HERE="$WW_TOP/tests/browser"
WWW="$WW_TOP/dashboard/www"
OUT=${WW_TEST_OUT:-$T/out}
SHOTS="$OUT/screenshots"
ADMIN_PW='Quan-tri-2026!'
USER_PW='mat-khau-thu-nghiem'
COMMUNITY='browser-secret-community'

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
for p in wardwatch wardwatch-dashboard; do
    [ -x "$BIN/$p" ] || { fail "browser tests: no $BIN/$p (build it first)"; exit 1; }
done

# ---- a data folder made the way an installer would ----------------------------------------
DATA="$T/data"
setup() {
    printf '%s\n' "$ADMIN_PW" | "$BIN/wardwatch" -d "$DATA" init --admin-password-stdin || return 1
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
if setup >"$T/setup.log" 2>&1; then
    ok "data folder set up with the CLI (init, 5 roles, 14 devices)"
else
    fail "data folder set up with the CLI" "$(tail -3 "$T/setup.log" | tr '\n' ' ')"
    exit 1
fi

spawn dashboard "$BIN/wardwatch-dashboard" -d "$DATA" --listen 127.0.0.1 --port 0 \
    --port-file "$T/port" --www "$WWW"
if ! port=$(wait_port_file "$T/port" 20); then
    fail "dashboard started" "$(tail -5 "$T/dashboard.log" | tr '\n' ' ')"
    exit 1
fi

rm -rf "$SHOTS"
mkdir -p "$SHOTS"
start=$(date +%s)
WW_URL="http://127.0.0.1:$port" WW_ADMIN_PW="$ADMIN_PW" WW_USER_PW="$USER_PW" \
    WW_WWW="$WWW" WW_SHOTS="$SHOTS" WW_COMMUNITY="$COMMUNITY" \
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

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_settings.sh - the Settings page in a real browser (issue #15 item 2): the dashboard on
# port 0, the long-running collector (its delivery thread sends the test e-mail) and our
# SMTP sink (tests/integration/smtp_sink.py) on 127.0.0.1:0; settings_test.js drives
# Debian's chromium through playwright-core: the admin fills the page (mail server, user,
# password, sender, office hours and days, the dashboard's address), saves, sees each
# field's source and the password only as "set", sends a test e-mail and reads the mail
# server's answer; the Alerts page names a channel's problem. Screenshots in vi and en go
# to tests/out/settings/ (or $WW_TEST_OUT/settings/). Skips (exit 0) without chromium, node
# or node_modules/playwright-core: run appliance/install-deps.sh --browser.
source "$(dirname "$0")/../integration/lib.sh"

HERE="$WW_TOP/tests/browser"
WWW="$WW_TOP/dashboard/www"
SHOTS="${WW_TEST_OUT:-$WW_TOP/tests/out}/settings"
ADMIN_PW="Quan-tri-$RANDOM$RANDOM"
SMTP_SECRET="trinh-duyet-mat-khau-$RANDOM$RANDOM"

python3 "$HERE/check_www.py" "$WWW" | grep -v '^ok - '   # the full list is test_browser.sh's

if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null 2>&1 ||
    [ ! -d "$HERE/node_modules/playwright-core" ]; then
    skip "settings page in a browser" "no chromium, node or playwright-core (run appliance/install-deps.sh --browser)"
    exit 0
fi
for p in wardwatch wardwatch-dashboard wardwatch-collector; do
    [ -x "$BIN/$p" ] || { fail "settings browser test: no $BIN/$p (build it first)"; exit 1; }
done

mkdir -p "$T/mail"
spawn smtp-sink python3 "$WW_TOP/tests/integration/smtp_sink.py" "$T/mail" "$T/smtp.port"
SMTP_PORT=$(wait_port_file "$T/smtp.port" 10) || { fail "the SMTP sink starts"; exit 1; }
DATA="$T/data"
cat >"$T/ww.conf" <<CONF
[general]
data_dir = $DATA
[alerts]
smtp_from = tep-cau-hinh@ubnd-phuong.example
smtp_starttls = none
retry_base_s = 1
timeout_ms = 3000
allow_private = 127.0.0.0/8
CONF
if printf '%s\n' "$ADMIN_PW" | "$BIN/wardwatch" -c "$T/ww.conf" init --admin-password-stdin >"$T/init.log" 2>&1 &&
    sqlite3 "$DATA/wardwatch.db" "INSERT INTO alert_channel (id, name, kind, target) VALUES
        (1, 'Hộp thư tổ CNTT', 'email', 'cntt@ubnd-phuong.example')" >>"$T/init.log" 2>&1; then
    ok "data folder with an admin and an e-mail channel"
else
    fail "data folder with an admin and an e-mail channel" "$(tail -3 "$T/init.log" | tr '\n' ' ')"
    exit 1
fi
spawn dashboard "$BIN/wardwatch-dashboard" -c "$T/ww.conf" --listen 127.0.0.1 --port 0 \
    --port-file "$T/port" --www "$WWW"
port=$(wait_port_file "$T/port" 20) || { fail "dashboard started" "$(tail -5 "$T/dashboard.log")"; exit 1; }
spawn collector "$BIN/wardwatch-collector" -c "$T/ww.conf"

mkdir -p "$SHOTS"
WW_URL="http://127.0.0.1:$port" WW_ADMIN_PW="$ADMIN_PW" WW_WWW="$WWW" WW_SHOTS="$SHOTS" \
    WW_SMTP_URL="smtp://127.0.0.1:$SMTP_PORT" WW_SMTP_SECRET="$SMTP_SECRET" \
    timeout 180 node "$HERE/settings_test.js" >"$T/ui.out" 2>&1
rc=$?
cat "$T/ui.out"
if [ "$rc" != 0 ] && ! grep -q '^not ok ' "$T/ui.out"; then
    fail "settings_test.js ran" "exit $rc"
fi
last=$(ls "$T"/mail/*.json 2>/dev/null | tail -1)
if [ -n "$last" ] && python3 -c 'import json,sys; m=json.load(open(sys.argv[1]));
sys.exit(0 if m["to"] == ["cntt@ubnd-phuong.example"] and m["auth"] == ["canhbao", sys.argv[2]]
         and m["from"] == "canh-bao@ubnd-phuong.example" else 1)' "$last" "$SMTP_SECRET"; then
    ok "the sink got the test e-mail with the sender, user and password typed on the page"
else
    fail "the sink got the test e-mail with the page's sender and login" "$(head -c 300 "$last" 2>/dev/null)"
fi
if grep -qF -- "$SMTP_SECRET" "$T/dashboard.log" "$T/collector.log" "$T/ui.out"; then
    fail "the SMTP password shows in no log"
else
    ok "the SMTP password shows in no log"
fi
echo "# screenshots in $SHOTS"
exit 0

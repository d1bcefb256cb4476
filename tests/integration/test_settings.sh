#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_settings.sh - the Settings page's API (issue #15 item 2) against real parts: the
# dashboard on port 0, `wardwatch-collector --intervals 1` delivering through libcurl to a
# tiny SMTP sink of ours (tests/integration/smtp_sink.py, plain sockets on 127.0.0.1:0).
#   - admin only (it and viewer get 403); each field says its source (default/file/database)
#   - an e-mail channel without a mail server says no_mail_server at once, and its test
#     message fails with that code
#   - the mail server set through the API: the password is never returned (API, audit,
#     logs), the test message reaches the sink with the database's user/password/from and
#     the delivery log shows the server's answer; a refused recipient shows server_refused
#     with the server's 550 for the admin
#   - the rule: a value in the database wins over the file's; null gives the file's back;
#     an empty password keeps the old one, null clears it; bad values are refused by field
source "$(dirname "$0")/lib.sh"

CLI="$BIN/wardwatch"
COLL="$BIN/wardwatch-collector"
DASH="$BIN/wardwatch-dashboard"
DATA="$T/data"
DB="$DATA/wardwatch.db"
CONF="$T/ww.conf"
ADMIN_PW="Quản-trị-$RANDOM$RANDOM"
SECRET="smtp-Mật-khẩu-$RANDOM$RANDOM$RANDOM"

for tool in curl sqlite3 python3 jq; do
    command -v "$tool" >/dev/null || { fail "needs $tool"; exit 1; }
done
[ -x "$CLI" ] && [ -x "$COLL" ] && [ -x "$DASH" ] || { fail "no programs in $BIN (build first)"; exit 1; }

mkdir -p "$T/mail"
spawn smtp-sink python3 "$WW_TOP/tests/integration/smtp_sink.py" "$T/mail" "$T/smtp.port"
SMTP_PORT=$(wait_port_file "$T/smtp.port" 10) || { fail "the SMTP sink starts"; cat "$T/smtp-sink.log"; exit 1; }

# the file sets a sender and the dashboard's address, no mail server
cat >"$CONF" <<CONF
[general]
data_dir = $DATA
log_level = debug
[alerts]
smtp_from = tep-cau-hinh@ubnd-phuong.example
smtp_starttls = none
retry_base_s = 1
retry_max = 3
timeout_ms = 3000
dashboard_url = http://file.ubnd-phuong.example/
allow_private = 127.0.0.0/8
[dashboard]
www_dir = $WW_TOP/dashboard/www
CONF

printf '%s\n' "$ADMIN_PW" | "$CLI" -c "$CONF" init --admin-password-stdin >"$T/init.log" 2>&1 ||
    { fail "wardwatch init"; cat "$T/init.log"; exit 1; }
for u in "it1 it" "viewer1 viewer"; do
    set -- $u
    printf '%s\n' "Pw-$1-$ADMIN_PW" | "$CLI" -c "$CONF" user add --login "$1" --role "$2" \
        --name "Người $1" --password-stdin >>"$T/cli.log" 2>&1 || fail "user add $1"
done
spawn dashboard "$DASH" -c "$CONF" --listen 127.0.0.1 --port 0 --port-file "$T/port" \
    --www "$WW_TOP/dashboard/www"
PORT=$(wait_port_file "$T/port" 20) || { fail "dashboard wrote its port file"; cat "$T/dashboard.log"; exit 1; }
ww_session admin "$PORT" admin "$ADMIN_PW" && ww_session it "$PORT" it1 "Pw-it1-$ADMIN_PW" &&
    ww_session viewer "$PORT" viewer1 "Pw-viewer1-$ADMIN_PW" ||
    { fail "log in as admin, it1 and viewer1"; exit 1; }
ok "sink, database, users and dashboard ready (SMTP :$SMTP_PORT, dashboard :$PORT)"

api() {
    local r
    r=$(ww_api "$1" "$PORT" "$2" "$3" "${4:-}")
    ST=${r%% *}
    B=${r#* }
    [ "$B" = "$r" ] && B=
    printf '%s %s %s -> %s\n%s\n' "$1" "$2" "$3" "$ST" "$B" >>"$T/responses.log"
}
jcheck() {
    if [ "$ST" = "$2" ] && jq -e "$3" >/dev/null 2>&1 <<<"$B"; then ok "$1"
    else fail "$1" "$ST $(printf '%s' "$B" | head -c 600)"; fi
}
field() { printf '.items[] | select(.name == "%s")' "$1"; }
q() { sqlite3 -batch -noheader "$DB" "PRAGMA busy_timeout=5000" "$@" | tail -n +2; }
# deliver: one collector run; what is due is sent at its end
deliver() { "$COLL" -c "$CONF" --intervals 1 >>"$T/collector.log" 2>&1 || fail "collector run" "$(tail -3 "$T/collector.log")"; }
# note ID: the delivery log's row of notification ID (as admin)
note() { api admin GET "/api/v1/notifications?channel=$1&limit=50"; B=$(jq -c ".items[] | select(.id == $2)" <<<"$B"); }

# ---- 1. who may, and the sources before anything is set ---------------------------------------
api it GET /api/v1/settings
check "it gets 403 on GET /settings (admin only)" [ "$ST" = 403 ]
api viewer PUT /api/v1/settings '{"smtp_url":"smtp://127.0.0.1:25"}'
check "viewer gets 403 on PUT /settings" [ "$ST" = 403 ]
api admin GET /api/v1/settings
jcheck "GET /settings: no mail server (default), the sender and the address from the file, no password" 200 \
    "($(field smtp_url) | .value == \"\" and .source == \"default\") and
     ($(field smtp_from) | .value == \"tep-cau-hinh@ubnd-phuong.example\" and .source == \"file\") and
     ($(field dashboard_url) | .source == \"file\") and
     ($(field smtp_password) | .set == false and has(\"value\") == false) and .rule == \"database_wins\""
api admin GET /api/v1/session
jcheck "the admin's permissions include settings.admin" 200 '.user.permissions | index("settings.admin") != null'

# ---- 2. an e-mail channel without a mail server says why, at once -----------------------------
api it POST /api/v1/alert-channels '{"name":"Thư trực ban","kind":"email","target":"truc-ban@ubnd-phuong.example"}'
jcheck "an e-mail channel is added" 201 '.id > 0'
MAIL_CH=$(jq -r .id <<<"$B")
api viewer GET /api/v1/alert-channels
jcheck "without a mail server the channel's problem is no_mail_server (even for a viewer)" 200 \
    ".items[] | select(.id == $MAIL_CH) | .problem.code == \"no_mail_server\""
api it POST "/api/v1/alert-channels/$MAIL_CH/test" "{}"
jcheck "its test message is queued" 202 '.notification_id > 0'
N1=$(jq -r .notification_id <<<"$B")
deliver
note "$MAIL_CH" "$N1"
if jq -e '.error_code == "no_mail_server" and (.last_error | startswith("no_mail_server:"))' >/dev/null <<<"$B"; then
    ok "the test message without a mail server fails with no_mail_server"
else fail "the test message without a mail server fails with no_mail_server" "$B"; fi

# ---- 3. refusals, by field ------------------------------------------------------------------------
api admin PUT /api/v1/settings '{"smtp_url":"http://127.0.0.1/"}'
jcheck "an http:// mail server is refused: smtp_url not_smtp_url" 400 \
    '.error.code == "invalid" and .error.field == "smtp_url" and .error.reason == "not_smtp_url"'
api admin PUT /api/v1/settings '{"office_hours":"7h30-17h"}'
jcheck "office hours the office-hours rule cannot read are refused: not_hours" 400 \
    '.error.field == "office_hours" and .error.reason == "not_hours"'
api admin PUT /api/v1/settings '{"office_days":"thu-hai"}'
jcheck "office days are refused likewise: not_days" 400 '.error.field == "office_days" and .error.reason == "not_days"'
api admin PUT /api/v1/settings '{"smtp_from":"a@b@c"}'
jcheck "a sender that is not one plain address is refused: not_email" 400 '.error.field == "smtp_from" and .error.reason == "not_email"'
api admin PUT /api/v1/settings '{"smtp_port":"25"}'
jcheck "an unknown field is refused" 400 '.error.reason == "unknown_field"'
api admin PUT /api/v1/settings '{"data_dir":"/tmp"}'
jcheck "a config key the page does not own is refused too" 400 '.error.reason == "unknown_field"'

# ---- 4. the mail server through the API; the secret never comes back ---------------------------
BODY=$(jq -nc --arg u "smtp://127.0.0.1:$SMTP_PORT" --arg p "$SECRET" \
    '{smtp_url:$u, smtp_user:"canhbao", smtp_password:$p, smtp_from:"csdl@ubnd-phuong.example",
      office_hours:"08:00-12:00,13:00-17:30", office_days:"mon-sat"}')
api admin PUT /api/v1/settings "$BODY"
jcheck "PUT /settings sets the mail server; every field set says database" 200 \
    "($(field smtp_url) | .source == \"database\" and .value == \"smtp://127.0.0.1:$SMTP_PORT\") and
     ($(field smtp_password) | .set == true and .source == \"database\") and
     ($(field office_days) | .value == \"mon-sat\" and .source == \"database\")"
check "the PUT's answer does not hold the password" bash -c '! grep -qF -- "$1" <<<"$2"' _ "$SECRET" "$B"
api admin GET /api/v1/settings
check "GET /settings does not hold the password" bash -c '! grep -qF -- "$1" <<<"$2"' _ "$SECRET" "$B"
api admin GET "/api/v1/audit?limit=5"
jcheck "the change is in the audit log (settings.change), the password only as \"set\"" 200 \
    '[.items[] | select(.action == "settings.change")][0] | (.after | fromjson? // .) | .smtp_password == "set" and .smtp_url != null'
check "no audit entry, API answer or log holds the password" \
    bash -c '! { sqlite3 "$2"/data/wardwatch.db "SELECT * FROM audit_log"; cat "$2"/responses.log "$2"/dashboard.log "$2"/collector.log 2>/dev/null; } | grep -qF -- "$1"' _ "$SECRET" "$T"
api viewer GET /api/v1/alert-channels
jcheck "with a mail server set the channel has no problem" 200 ".items[] | select(.id == $MAIL_CH) | .problem == null"

# ---- 5. a test message reaches the sink; the answer is shown -----------------------------------
rm -f "$T"/mail/*.json
api admin POST "/api/v1/alert-channels/$MAIL_CH/test" "{}"
N2=$(jq -r .notification_id <<<"$B")
deliver
note "$MAIL_CH" "$N2"
if jq -e '.status == "sent" and (.answer | test("^250 2\\.0\\.0 Ok: queued as WWSINK[0-9]+$")) and .error_code == null' >/dev/null <<<"$B"; then
    ok "the test message is sent and the delivery log shows the server's answer ($(jq -r .answer <<<"$B"))"
else fail "the test message is sent and the delivery log shows the server's answer" "$B"; fi
MAILFILE=$(ls "$T"/mail/*.json 2>/dev/null | tail -1)
if [ -n "$MAILFILE" ] && jq -e --arg p "$SECRET" \
    '.from == "csdl@ubnd-phuong.example" and .to == ["truc-ban@ubnd-phuong.example"] and .auth == ["canhbao", $p]' "$MAILFILE" >/dev/null; then
    ok "the sink got it from the database's sender, logged in with the database's user and password"
else fail "the sink got it from the database's sender with the database's login" "$(cat "$MAILFILE" 2>/dev/null | head -c 300)"; fi

# ---- 6. a recipient the server refuses -------------------------------------------------------------
api it POST /api/v1/alert-channels '{"name":"Sai địa chỉ","kind":"email","target":"refuse-me@ubnd-phuong.example"}'
BAD_CH=$(jq -r .id <<<"$B")
api it POST "/api/v1/alert-channels/$BAD_CH/test" "{}"
N3=$(jq -r .notification_id <<<"$B")
deliver
note "$BAD_CH" "$N3"
if jq -e '.status == "failed" and .error_code == "server_refused" and (.last_error | test("550 5\\.1\\.1"))' >/dev/null <<<"$B"; then
    ok "a refused recipient: server_refused, the server's 550 for the admin, no retries"
else fail "a refused recipient: server_refused with the server's 550" "$B"; fi
api it GET /api/v1/alert-channels
jcheck "the channel shows server_refused at once; the detail is not shown to it" 200 \
    ".items[] | select(.id == $BAD_CH) | .problem.code == \"server_refused\" and (.problem | has(\"detail\") | not)"
api admin GET /api/v1/alert-channels
jcheck "the admin sees the server's words as the problem's detail" 200 \
    ".items[] | select(.id == $BAD_CH) | .problem.detail | test(\"550 5.1.1\")"

# ---- 7. the rule: database over file; null gives the file's value back; the password -----------
api admin PUT /api/v1/settings '{"smtp_from":null,"smtp_password":""}'
jcheck "smtp_from null: the file's sender is in effect again; an empty password keeps it" 200 \
    "($(field smtp_from) | .source == \"file\" and .value == \"tep-cau-hinh@ubnd-phuong.example\") and
     ($(field smtp_password) | .set == true and .source == \"database\")"
rm -f "$T"/mail/*.json
api admin POST "/api/v1/alert-channels/$MAIL_CH/test" "{}"
deliver
MAILFILE=$(ls "$T"/mail/*.json 2>/dev/null | tail -1)
if [ -n "$MAILFILE" ] && jq -e --arg p "$SECRET" '.from == "tep-cau-hinh@ubnd-phuong.example" and .auth[1] == $p' "$MAILFILE" >/dev/null; then
    ok "the collector follows: the file's sender, the kept password"
else fail "the collector follows: the file's sender, the kept password" "$(head -c 300 "$MAILFILE" 2>/dev/null)"; fi
api admin PUT /api/v1/settings '{"smtp_password":null,"dashboard_url":"https://giamsat.ubnd-phuong.example/"}'
jcheck "smtp_password null clears it; dashboard_url from the database" 200 \
    "($(field smtp_password) | .set == false and .source == \"default\") and
     ($(field dashboard_url) | .source == \"database\" and .value == \"https://giamsat.ubnd-phuong.example/\")"
check "the password's row is gone from the database" [ "$(q "SELECT count(*) FROM setting WHERE key='alerts.smtp_password'")" = 0 ]
check "nothing anywhere holds the password at the end" \
    bash -c '! { sqlite3 "$2"/data/wardwatch.db .dump; cat "$2"/responses.log "$2"/dashboard.log "$2"/collector.log; } | grep -qF -- "$1"' _ "$SECRET" "$T"
check "the first test message (queued before the server was set) was delivered on a retry" \
    [ "$(q "SELECT status FROM notification WHERE id=$N1")" = sent ]

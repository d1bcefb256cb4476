#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_alerts.sh - the alert path end to end, real parts only: net-snmp snmpd agents on
# 127.0.9.x that the test stops and starts, `wardwatch-collector --once` / `--intervals 2`
# runs (each interval polls and judges the alert rules; each run ends with one delivery pass), an SMTP sink with STARTTLS and
# AUTH and a webhook receiver (tests/integration/alert_sinks.py, python3 stdlib), and the
# dashboard on port 0 for the rules, channels, alerts and the delivery log.
#   1. a flapping agent: one firing and one recovery message per real change, at the SMTP
#      sink and at the webhook (bearer token), none for blips shorter than the hysteresis
#      ([collector] down_after = up_after = 2); the delivery log says sent
#   2. a router down with two switches behind it: router down, switches unreachable, one alert
#   3. a webhook that answers 500: retried with back-off (retry_base_s 3, doubling) until
#      sent; one that always fails ends 'failed' after retry_max attempts, never sent again;
#      a recovery never overtakes the firing of the same alert that waits for a retry
#   4. a device in a maintenance window goes down and comes back: no message at all
#   5. the API: secret write-only (and not carried to a new URL), viewer 403, rule changes
#      audited, channel test messages, no secret (webhook token, SMTP password) in any log or
#      reply; last, the long-running collector's delivery thread sends what is queued and
#      stops on SIGTERM
# Loopback addresses 127.0.9.11-41; every daemon on a free or kernel-chosen port. ~60 s.
source "$(dirname "$0")/lib.sh"

CLI="$BIN/wardwatch"
COLL="$BIN/wardwatch-collector"
DASH="$BIN/wardwatch-dashboard"
SINKS="$WW_TOP/tests/integration/alert_sinks.py"
DATA="$T/data"
DB="$DATA/wardwatch.db"
CONF="$T/ww.conf"
ADMIN_PW="Quản-trị-$RANDOM$RANDOM"
HOOK_SECRET="hook-tok-$RANDOM$RANDOM$RANDOM"
SMTP_PW="smtp-pw-$RANDOM$RANDOM$RANDOM"
COMMUNITY=wwalert$RANDOM

for tool in curl sqlite3 python3 jq snmpd snmpget openssl; do
    command -v "$tool" >/dev/null || { fail "needs $tool"; exit 1; }
done
[ -x "$CLI" ] && [ -x "$COLL" ] && [ -x "$DASH" ] || { fail "no programs in $BIN (build first)"; exit 1; }

# ---- the far ends: SMTP sink (STARTTLS, AUTH) and webhook receiver -------------------------
mkdir -p "$T/tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$T/tls/key.pem" -out "$T/tls/cert.pem" \
    >"$T/openssl.log" 2>&1 || { fail "openssl makes a test certificate"; exit 1; }
ww_alert_sinks --tls "$T/tls/cert.pem" "$T/tls/key.pem" ||
    { fail "the SMTP sink and the webhook receiver start"; cat "$T"/*-sink.log; exit 1; }

cat >"$CONF" <<CONF
[general]
data_dir = $DATA
log_level = debug
[collector]
poll_interval = 60
snmp_timeout_ms = 300
snmp_retries = 1
poll_workers = 8
down_after = 2
up_after = 2
[alerts]
smtp_url = smtp://127.0.0.1:$SMTP_PORT
smtp_from = wardwatch@ubnd-phuong.example
smtp_user = canhbao
smtp_password = $SMTP_PW
smtp_starttls = required
smtp_ca_file = $T/tls/cert.pem
retry_base_s = 3
retry_max = 3
timeout_ms = 3000
dashboard_url = http://wardwatch.ubnd-phuong.example/
; the sinks listen on the loopback, which alerts may reach only when listed (issue #14 item 8)
allow_private = 127.0.0.0/8
[availability]
timezone = Asia/Tokyo
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
ok "sinks, database, users and dashboard ready (SMTP :$SMTP_PORT, webhook :$HOOK_PORT, dashboard :$PORT)"

# ---- helpers ---------------------------------------------------------------------------------
# api WHO METHOD PATH [JSON]: sets ST (HTTP status) and B (body); every reply is kept
api() {
    local r
    r=$(ww_api "$1" "$PORT" "$2" "$3" "${4:-}")
    ST=${r%% *}
    B=${r#* }
    [ "$B" = "$r" ] && B=
    printf '%s %s %s -> %s\n%s\n' "$1" "$2" "$3" "$ST" "$B" >>"$T/responses.log"
}
# jcheck NAME WANT_STATUS JQ_EXPR: the last reply has that status and the expression is true
jcheck() {
    if [ "$ST" = "$2" ] && jq -e "$3" >/dev/null 2>&1 <<<"$B"; then ok "$1"
    else fail "$1" "$ST $(printf '%s' "$B" | python3 -c 'import sys; print(sys.stdin.read()[:600])')"; fi
}
q() { sqlite3 -batch -noheader "$DB" "PRAGMA busy_timeout=5000" "$@" | tail -n +2; }
state() { q "SELECT state FROM device_status WHERE device_id=$1"; }

# one snmpd per name, listening on the given loopback addresses (one port for all)
SNMP_PORT=$(free_port udp)
cat >"$T/snmpd.conf" <<CONF
rocommunity $COMMUNITY 127.0.0.0/8
sysName wardwatch-alert-agent
sysLocation Bộ phận một cửa
CONF
declare -A AGENT_PID
agent_start() {
    local name=$1 eps="" a n
    shift
    for a; do eps+="${eps:+,}udp:$a:$SNMP_PORT"; done
    mkdir -p "$T/agent-$name"
    SNMP_PERSISTENT_DIR="$T/agent-$name" spawn "snmpd-$name" snmpd -f -Lf "$T/agent-$name/snmpd.log" \
        -C -c "$T/snmpd.conf" -p "$T/agent-$name/pid" "$eps"
    AGENT_PID[$name]=$SPAWNED_PID
    for a; do
        for n in $(seq 1 50); do
            snmpget -v2c -c "$COMMUNITY" -t 0.3 -r 0 "$a:$SNMP_PORT" 1.3.6.1.2.1.1.3.0 \
                >/dev/null 2>&1 && break
            sleep 0.1
        done
        [ "$n" = 50 ] && echo "# agent $name does not answer on $a"
    done
}
agent_stop() {
    kill "${AGENT_PID[$1]}" 2>/dev/null
    wait "${AGENT_PID[$1]}" 2>/dev/null
}

# round LABEL [N]: one `wardwatch-collector --intervals N` run (N = 1: --once), at least
# 1.05 s after the previous run started: the test changes the agents between runs on
# purpose, and records of two runs never share a whole second (within a run the collector
# sees to that itself); its output goes to collector.log
ROUNDS=0 ROUND_FAILS=0 LAST_ROUND_MS=0
round() {
    local now wait_ms
    now=$(($(date +%s%N) / 1000000))
    wait_ms=$((LAST_ROUND_MS + 1050 - now))
    [ "$wait_ms" -gt 0 ] && sleep "$(printf '%d.%03d' $((wait_ms / 1000)) $((wait_ms % 1000)))"
    LAST_ROUND_MS=$(($(date +%s%N) / 1000000))
    ROUNDS=$((ROUNDS + 1))
    echo "== round $ROUNDS${1:+ ($1)}" >>"$T/collector.log"
    if ! "$COLL" -c "$CONF" --intervals "${2:-1}" >>"$T/collector.log" 2>&1; then
        ROUND_FAILS=$((ROUND_FAILS + 1))
        echo "# round $ROUNDS exited non-zero"
    fi
}

# count TYPE KIND DEVICE [PATH]: records at the sinks (TYPE mail|hook, KIND firing|recovery|
# test|'*', DEVICE name or '*', PATH of a webhook or '')
sinks() { python3 "$SINKS" summary "$T/mail" "$T/hook"; }
count() {
    sinks | awk -F'\t' -v t="$1" -v k="$2" -v d="$3" -v p="${4:-}" \
        '$1==t && (k=="*" || $2==k) && (d=="*" || $3==d) && (p=="" || $4==p) {n++} END {print n+0}'
}
# expect_msgs NAME DEVICE MAIL_FIRING MAIL_RECOVERY HOOK_FIRING HOOK_RECOVERY
expect_msgs() {
    local got want
    got="$(count mail firing "$2") $(count mail recovery "$2") $(count hook firing "$2") $(count hook recovery "$2") $(count mail '*' "$2") $(count hook '*' "$2")"
    want="$3 $4 $5 $6 $(($3 + $4)) $(($5 + $6))"
    if [ "$got" = "$want" ]; then ok "$1"
    else fail "$1" "mail firing/recovery, hook firing/recovery, mail all, hook all: got $got, want $want"; fi
}
# iso_epoch ISO: seconds since the epoch
iso_epoch() { date -u -d "$1" +%s; }

# ---- 5 (first half). channels and rules over the API ---------------------------------------
MAIL_TARGET="it@phuong.example, lanhdao@phuong.example"
HOOK_URL="http://127.0.0.1:$HOOK_PORT/hook/ward"
HOOK_SHOWN="http://127.0.0.1:$HOOK_PORT/…" # what readers see: such URLs often hold a token
api it POST /api/v1/alert-channels \
    "{\"name\":\"Hộp thư phòng CNTT\",\"kind\":\"email\",\"target\":\"$MAIL_TARGET\"}"
jcheck "it adds an e-mail channel" 201 '.kind == "email" and .secret_set == false'
MAIL_CH=$(jq -r .id <<<"$B")
api it POST /api/v1/alert-channels \
    "{\"name\":\"Webhook trực ban\",\"kind\":\"webhook\",\"target\":\"$HOOK_URL\",\"secret\":\"$HOOK_SECRET\"}"
jcheck "it adds a webhook channel with a bearer secret: secret_set, no secret in the reply" 201 \
    '.secret_set == true and (has("secret") | not) and .target == "'"$HOOK_URL"'"'
HOOK_CH=$(jq -r .id <<<"$B")
check "the webhook secret is not in the reply text" bash -c "! grep -qF -- '$HOOK_SECRET' <<<'$B'"
api it POST /api/v1/alert-channels \
    "{\"name\":\"Lộ mật khẩu\",\"kind\":\"webhook\",\"target\":\"http://u:p@127.0.0.1:$HOOK_PORT/x\"}"
jcheck "a webhook URL with user:password@ is refused" 400 '.error.code == "invalid"'
# where webhooks may go: inside addresses are refused at save time, the allow-list
# (127.0.0.0/8 here) opens only what it lists
for u in "http://169.254.169.254/latest/meta-data/" "http://10.0.0.1/hook" \
    "http://[::1]:$HOOK_PORT/x" "http://[::ffff:192.168.1.1]/x" "http://100.64.0.1/x" \
    "http://[fd00::1]/x" "http://0.0.0.0:$HOOK_PORT/x" "http://224.0.0.1/x"; do
    api it POST /api/v1/alert-channels "{\"name\":\"Nội bộ\",\"kind\":\"webhook\",\"target\":\"$u\"}"
    jcheck "a webhook to $u is refused at save" 400 \
        '.error.code == "invalid" and .error.field == "target" and .error.reason == "address_refused" and (.error.message | length > 0)'
done
api it POST /api/v1/alert-channels \
    "{\"name\":\"Thư có mã\",\"kind\":\"email\",\"target\":\"a@phuong.example\",\"secret\":\"x\"}"
jcheck "an e-mail channel with a secret is refused" 400 '.error.code == "invalid"'
api viewer GET /api/v1/alert-channels
jcheck "a viewer lists the channels: secret_set only" 200 \
    "[.items[] | select(.id == $HOOK_CH)] | length == 1 and .[0].secret_set == true and (.[0] | has(\"secret\") | not)"
api it PATCH "/api/v1/alert-channels/$HOOK_CH" '{"name":"Webhook trực ban (Zalo)"}'
jcheck "renaming the webhook keeps its secret" 200 '.secret_set == true and .name == "Webhook trực ban (Zalo)"'
api it PATCH "/api/v1/alert-channels/$HOOK_CH" '{"secret":null}'
jcheck "secret: null clears it" 200 '.secret_set == false'
api it PATCH "/api/v1/alert-channels/$HOOK_CH" "{\"secret\":\"$HOOK_SECRET\"}"
jcheck "a new secret sets it again" 200 '.secret_set == true'
api admin GET "/api/v1/audit?limit=3"
jcheck "audit: the secret changes are logged as set/unset, never the token" 200 \
    '[.items[] | select(.action == "alert_channel.change")] | length == 3 and .[0].before.secret == "unset" and .[0].after.secret == "set" and .[1].after.secret == "unset"'
api it PATCH "/api/v1/alert-channels/$HOOK_CH" '{"target":"http://127.0.0.1:9/somewhere-else"}'
jcheck "the token does not follow a new URL: a new target needs the secret again" 400 \
    '.error.code == "invalid" and .error.field == "secret" and .error.reason == "give_again" and (.error.message | length > 0)'
api admin GET /api/v1/alert-channels
jcheck "the refused change left the channel as it was" 200 \
    "[.items[] | select(.id == $HOOK_CH)][0] | .target == \"$HOOK_URL\" and .secret_set == true"
api viewer GET /api/v1/alert-channels
jcheck "a viewer sees the webhook's scheme and host only, the e-mail addresses as they are" 200 \
    "([.items[] | select(.id == $HOOK_CH)][0] | .target == \"$HOOK_SHOWN\") and ([.items[] | select(.kind == \"email\")][0].target | contains(\"@\"))"
api it PATCH "/api/v1/alert-channels/$HOOK_CH" "{\"target\":\"$HOOK_URL?v=2\",\"secret\":\"$HOOK_SECRET\"}"
jcheck "a new target with the token again is fine" 200 ".target == \"$HOOK_URL?v=2\" and .secret_set == true"
api it PATCH "/api/v1/alert-channels/$HOOK_CH" "{\"target\":\"$HOOK_URL\",\"secret\":\"$HOOK_SECRET\"}"
jcheck "and back" 200 ".target == \"$HOOK_URL\" and .secret_set == true"

# the kinds of rule: inventory's one table, for the UI; the office zone for the UI's dates
api viewer GET /api/v1/alert-kinds
jcheck "alert kinds: every kind with its subject, value and threshold meaning" 200 \
    '.total == 8 and ([.items[].name] == ["device_down","interface_down","link_util","disk","cpu","ups_battery","ups_runtime","printer_supply"]) and (.items[0] | .subject == "device" and .value == "down_for" and .threshold == null) and ([.items[] | select(.name == "ups_runtime")][0].threshold == {"unit":"minutes","direction":"below","min":0,"max":1000000}) and ([.items[] | select(.name == "link_util")][0] | .subject == "interface" and .threshold.unit == "percent" and .threshold.direction == "above" and .threshold.max == 100)'
curl -s -o "$T/anon.json" -w '%{http_code}' "http://127.0.0.1:$PORT/api/v1/alert-kinds" >"$T/anon.code"
check "alert kinds need a session (401)" test "$(cat "$T/anon.code")" = 401
api viewer GET /api/v1/session
jcheck "the session gives the display zone: [availability] timezone" 200 '.display.timezone == "Asia/Tokyo"'
api it POST /api/v1/alert-rules '{"name":"CPU","kind":"cpu","threshold":101,"channel_ids":[]}'
jcheck "a threshold outside the kind's bounds is refused, naming the field" 400 \
    '.error.code == "invalid" and .error.field == "threshold" and .error.reason == "out_of_range" and (.error.message | length > 0)'

RULE_BODY='{"name":"Thiết bị mất kết nối","kind":"device_down","device_id":null,"for_s":0,"repeat_s":0,"notify_recovery":true,"channel_ids":['"$MAIL_CH,$HOOK_CH"']}'
api viewer POST /api/v1/alert-rules "$RULE_BODY"
jcheck "a viewer cannot create a rule (403)" 403 '.error.code == "forbidden"'
api viewer POST /api/v1/alert-channels '{"name":"x","kind":"email","target":"x@phuong.example"}'
jcheck "a viewer cannot create a channel (403)" 403 '.error.code == "forbidden"'
api it POST /api/v1/alert-rules "$RULE_BODY"
jcheck "it adds the rule device_down for every device, both channels" 201 \
    ".kind == \"device_down\" and .device_id == null and .channel_ids == [$MAIL_CH,$HOOK_CH] and .enabled"
RULE_ALL=$(jq -r .id <<<"$B")
api admin GET "/api/v1/audit?limit=1"
jcheck "audit: alert_rule.add by it1 with the rule" 200 \
    ".items[0].action == \"alert_rule.add\" and .items[0].actor == \"it1\" and .items[0].object_id == \"$RULE_ALL\" and .items[0].before == null and .items[0].after.channel_ids == [$MAIL_CH,$HOOK_CH]"
api viewer GET /api/v1/alert-rules
jcheck "a viewer reads the rules" 200 ".total == 1 and .items[0].id == $RULE_ALL"

# ---- 1. a flapping agent -----------------------------------------------------------------------
S1_NAME="Máy chủ một cửa"
S1_ADDR=127.0.9.11
WW_COMMUNITY=$COMMUNITY "$CLI" -c "$CONF" device add --name "$S1_NAME" --kind server \
    --host "$S1_ADDR" --port "$SNMP_PORT" >"$T/id-s1" 2>>"$T/cli.log" || fail "device add $S1_NAME"
S1=$(cat "$T/id-s1")
agent_start s1 "$S1_ADDR"
round "s1 first contact"
check "flapping: the device is up after the first round" test "$(state "$S1")" = up

agent_stop s1
round "s1 blip"
check "flapping: one failed round (< down_after) leaves it up" test "$(state "$S1")" = up
agent_start s1 "$S1_ADDR"
round "s1 back after the blip"
check "flapping: still up after the blip" test "$(state "$S1")" = up
check "flapping: no alert opened for the blip" test "$(q "SELECT count(*) FROM alert WHERE device_id=$S1")" = 0
expect_msgs "flapping: no message for the blip" "$S1_NAME" 0 0 0 0

agent_stop s1
round "s1 down 1 and 2" 2
check "flapping: down after down_after failed rounds" test "$(state "$S1")" = down
expect_msgs "flapping: exactly one firing e-mail and one firing webhook" "$S1_NAME" 1 0 1 0
round "s1 still down"
expect_msgs "flapping: a third down round sends nothing more (repeat_s 0)" "$S1_NAME" 1 0 1 0

agent_start s1 "$S1_ADDR"
round "s1 up 1 (one good round only)"
agent_stop s1
round "s1 down again"
check "flapping: one good round (< up_after) leaves it down" test "$(state "$S1")" = down
expect_msgs "flapping: no recovery for a blip of life" "$S1_NAME" 1 0 1 0
agent_start s1 "$S1_ADDR"
round "s1 up 1 and 2" 2
check "flapping: up after up_after good rounds" test "$(state "$S1")" = up
expect_msgs "flapping: exactly one recovery e-mail and one recovery webhook" "$S1_NAME" 1 1 1 1
check "flapping: one alert, resolved" test \
    "$(q "SELECT count(*), group_concat(state) FROM alert WHERE device_id=$S1")" = "1|resolved"

# the messages themselves
S1_SINCE=$(q "SELECT pending_since FROM alert WHERE device_id=$S1")
python3 - "$SINKS" "$T/mail" "$T/hook" "$S1_NAME" "$S1_ADDR" "$S1" "$HOOK_SECRET" "$SMTP_PW" \
    "$S1_SINCE" <<'PY'
import datetime, json, os, subprocess, sys, zoneinfo
sinks, maildir, hookdir, name, addr, dev_id, secret, smtp_pw, since = sys.argv[1:10]
when = datetime.datetime.fromtimestamp(int(since), zoneinfo.ZoneInfo("Asia/Tokyo"))
when = when.strftime("%d/%m/%Y %H:%M") + " Asia/Tokyo (UTC+09:00)"
def ok(n, good, why=""):
    print(("ok - %s" % n) if good else ("not ok - %s: %s" % (n, str(why)[:500])))
mails = []
for f in sorted(os.listdir(maildir)):
    if f.startswith("mail-") and f.endswith(".json"):
        m = json.loads(subprocess.check_output([sys.executable, sinks, "mail", os.path.join(maildir, f)]))
        if name in m["subject"]:
            mails.append(m)
ok("flapping mail: two messages for the device", len(mails) == 2, [m["subject"] for m in mails])
if len(mails) == 2:
    fire, rec = mails
    ok("flapping mail: firing subject names the device",
       fire["subject"] == "[wardwatch] CẢNH BÁO: Thiết bị mất kết nối – %s" % name, fire["subject"])
    ok("flapping mail: recovery subject names the device",
       rec["subject"] == "[wardwatch] ĐÃ KHÔI PHỤC: Thiết bị mất kết nối – %s" % name, rec["subject"])
    want = ["Thiết bị: %s (%s)" % (name, addr), "Quy tắc: Thiết bị mất kết nối",
            "---- English ----", "ALERT: Device down", "Device: %s (%s)" % (name, addr),
            "Details: http://wardwatch.ubnd-phuong.example/"]
    ok("flapping mail: firing body in Vietnamese and English, device and address",
       all(w in fire["body"] for w in want), fire["body"])
    ok("flapping mail: the time the device went down, in the office zone with its name",
       "Bắt đầu: " + when + "\r\n" in fire["body"] and "Since: " + when + "\r\n" in fire["body"]
       and "UTC\r\n" not in fire["body"], (when, fire["body"]))
    ok("flapping mail: recovery body says RECOVERED", "RECOVERED: Device down" in rec["body"]
       and "ĐÃ KHÔI PHỤC" in rec["body"], rec["body"])
    ok("flapping mail: envelope from smtp_from to both addresses",
       all(m["from"] == "wardwatch@ubnd-phuong.example" and
           m["rcpt"] == ["it@phuong.example", "lanhdao@phuong.example"] for m in mails),
       [(m["from"], m["rcpt"]) for m in mails])
    ok("flapping mail: sent after STARTTLS, with AUTH as smtp_user/smtp_password",
       all(m["tls"] and m["auth"] == ["canhbao", smtp_pw] for m in mails),
       [(m["tls"], m["auth"] and m["auth"][0]) for m in mails])
    h = fire["headers"]
    ok("flapping mail: headers (UTF-8 text, auto-generated, To)",
       h.get("Content-Type") == "text/plain; charset=UTF-8" and
       h.get("Auto-Submitted") == "auto-generated" and
       h.get("To") == "it@phuong.example, lanhdao@phuong.example", h)
hooks = []
for f in sorted(os.listdir(hookdir)):
    if f.startswith("hook-") and f.endswith(".json"):
        r = json.load(open(os.path.join(hookdir, f), encoding="utf-8"))
        b = json.loads(r["body"])
        if b.get("device_name") == name:
            hooks.append((r, b))
ok("flapping webhook: two requests for the device", len(hooks) == 2, hooks)
if len(hooks) == 2:
    (r1, b1), (r2, b2) = hooks
    ok("flapping webhook: POST to the channel's path with JSON",
       all(r["method"] == "POST" and r["path"] == "/hook/ward" and
           r["headers"].get("Content-Type", "").startswith("application/json") for r, _ in hooks),
       [(r["method"], r["path"], r["headers"].get("Content-Type")) for r, _ in hooks])
    ok("flapping webhook: Authorization carries the bearer secret",
       all(r["headers"].get("Authorization") == "Bearer " + secret for r, _ in hooks),
       [r["headers"].get("Authorization", "")[:12] for r, _ in hooks])
    ok("flapping webhook: firing JSON fields",
       b1["source"] == "wardwatch" and b1["kind"] == "firing" and b1["rule_kind"] == "device_down"
       and b1["state"] == "firing" and b1["device_id"] == int(dev_id) and
       isinstance(b1["alert_id"], int) and isinstance(b1["notification_id"], int) and
       b1["subject"].endswith("– " + name) and "Thiết bị: %s (%s)" % (name, addr) in b1["text"]
       and b1["created_at"].endswith("Z"), b1)
    ok("flapping webhook: recovery JSON fields, same alert",
       b2["kind"] == "recovery" and b2["state"] == "resolved" and b2["alert_id"] == b1["alert_id"]
       and b2["device_id"] == int(dev_id) and "ĐÃ KHÔI PHỤC" in b2["subject"], b2)
    open(os.path.join(hookdir, "..", "s1-hook-ids"), "w").write(
        "%d %d\n" % (b1["notification_id"], b2["notification_id"]))
PY

api admin GET "/api/v1/notifications?channel=$MAIL_CH"
jcheck "delivery log: the e-mail channel has the recovery and the firing, both sent once" 200 \
    "(.total == 2 and [.items[].kind] == [\"recovery\",\"firing\"] and ([.items[] | select(.status == \"sent\" and .attempts == 1 and .sent_at != null and .last_error == null and .next_attempt_at == null and .recipient == \"$MAIL_TARGET\" and (.subject | endswith(\"– $S1_NAME\")))] | length == 2))"
api viewer GET "/api/v1/notifications?channel=$HOOK_CH"
jcheck "delivery log: the webhook channel too (the viewer may read it), recipient is the URL's scheme and host" 200 \
    "(.total == 2 and [.items[].kind] == [\"recovery\",\"firing\"] and ([.items[] | select(.status == \"sent\" and .attempts == 1 and .recipient == \"$HOOK_SHOWN\" and .channel_name == \"Webhook trực ban (Zalo)\")] | length == 2))"
check "delivery log ids are the webhook's notification_id" \
    test "$(jq -r '[.items[].id] | reverse | join(" ")' <<<"$B")" = "$(cat "$T/s1-hook-ids" 2>/dev/null)"
api viewer GET "/api/v1/alerts?device=$S1"
jcheck "alerts: one device_down alert, fired and resolved" 200 \
    ".total == 1 and .items[0].kind == \"device_down\" and .items[0].state == \"resolved\" and .items[0].fired_at != null and .items[0].resolved_at != null and .items[0].device_name == \"$S1_NAME\""
check "alerts: the stored message is a code (the value's words), not English" \
    test "$(q "SELECT message FROM alert WHERE device_id=$S1")" = alertval.down_for
jcheck "alerts: the message in the reader's words, from the kind and the value" 200 \
    '.items[0].message | test("^Thiết bị mất kết nối: đã mất [0-9]+ phút$")'

# ---- 2. parent down: children unreachable, one alert ----------------------------------------
declare -A S2
S2_ROUTER="Router tầng 1" S2_SW1="Switch tầng 2" S2_SW2="Switch tầng 3"
n=21
for d in "router|$S2_ROUTER" "switch|$S2_SW1" "switch|$S2_SW2"; do
    WW_COMMUNITY=$COMMUNITY "$CLI" -c "$CONF" device add --name "${d#*|}" --kind "${d%%|*}" \
        --host "127.0.9.$n" --port "$SNMP_PORT" >"$T/id" 2>>"$T/cli.log" || fail "device add ${d#*|}"
    S2[${d#*|}]=$(cat "$T/id")
    n=$((n + 1))
done
R=${S2[$S2_ROUTER]} C1=${S2[$S2_SW1]} C2=${S2[$S2_SW2]}
api it PATCH "/api/v1/devices/$C1" "{\"parent_id\":$R}"
jcheck "switch 2's parent is the router (PATCH /devices)" 200 ".parent_id == $R"
api it PATCH "/api/v1/devices/$C2" "{\"parent_id\":$R}"
jcheck "switch 3's parent is the router" 200 ".parent_id == $R"
agent_start s2 127.0.9.21 127.0.9.22 127.0.9.23
round "s2 first contact"
check "parent: all three up" test "$(state "$R")$(state "$C1")$(state "$C2")" = upupup
agent_stop s2
round "s2 down 1 and 2" 2
check "parent: the router is down" test "$(state "$R")" = down
check "parent: both switches are unreachable" test "$(state "$C1") $(state "$C2")" = "unreachable unreachable"
round "s2 down 3"
check "parent: still router down, switches unreachable a round later" \
    test "$(state "$R") $(state "$C1") $(state "$C2")" = "down unreachable unreachable"
api viewer GET "/api/v1/alerts?state=firing"
jcheck "parent: exactly one firing alert, the router's" 200 ".total == 1 and .items[0].device_id == $R"
check "parent: no alert at all for the switches" \
    test "$(q "SELECT count(*) FROM alert WHERE device_id IN ($C1,$C2)")" = 0
expect_msgs "parent: one firing e-mail and webhook for the router" "$S2_ROUTER" 1 0 1 0
expect_msgs "parent: nothing for switch 2" "$S2_SW1" 0 0 0 0
expect_msgs "parent: nothing for switch 3" "$S2_SW2" 0 0 0 0
agent_start s2 127.0.9.21 127.0.9.22 127.0.9.23
round "s2 up 1 and 2" 2
check "parent: all three up again" test "$(state "$R")$(state "$C1")$(state "$C2")" = upupup
expect_msgs "parent: one recovery for the router" "$S2_ROUTER" 1 1 1 1
expect_msgs "parent: still nothing for the switches" "$S2_SW1" 0 0 0 0
expect_msgs "parent: still nothing for switch 3" "$S2_SW2" 0 0 0 0

# ---- 5 (second half). a rule change is audited -----------------------------------------------
api it PATCH "/api/v1/alert-rules/$RULE_ALL" '{"enabled":false}'
jcheck "it disables the every-device rule" 200 ".enabled == false and .channel_ids == [$MAIL_CH,$HOOK_CH]"
api admin GET "/api/v1/audit?limit=1"
jcheck "audit: alert_rule.change by it1 with before and after" 200 \
    ".items[0].action == \"alert_rule.change\" and .items[0].actor == \"it1\" and .items[0].object_id == \"$RULE_ALL\" and .items[0].before.enabled == true and .items[0].after.enabled == false"
api viewer PATCH "/api/v1/alert-rules/$RULE_ALL" '{"enabled":true}'
jcheck "a viewer cannot change a rule (403)" 403 '.error.code == "forbidden"'

# ---- 3. failed deliveries and 4. maintenance, in the same rounds ------------------------------
# printer X: rule to a webhook that fails twice then works, and one that always fails (no
# recovery messages); a second rule, with recovery messages, to another webhook that fails
# twice: the printer comes back while that firing waits for its retries, and the recovery
# must not overtake it. Wi-Fi AP Y: in a maintenance window, goes down and comes back without a word.
X_NAME="Máy in bộ phận một cửa" Y_NAME="Wi-Fi hội trường"
WW_COMMUNITY=$COMMUNITY "$CLI" -c "$CONF" device add --name "$X_NAME" --kind printer \
    --host 127.0.9.31 --port "$SNMP_PORT" >"$T/id-x" 2>>"$T/cli.log" || fail "device add $X_NAME"
WW_COMMUNITY=$COMMUNITY "$CLI" -c "$CONF" device add --name "$Y_NAME" --kind ap \
    --host 127.0.9.41 --port "$SNMP_PORT" >"$T/id-y" 2>>"$T/cli.log" || fail "device add $Y_NAME"
X=$(cat "$T/id-x") Y=$(cat "$T/id-y")
FLAKY_URL="http://127.0.0.1:$HOOK_PORT/fail/2/flaky"
BROKEN_URL="http://127.0.0.1:$HOOK_PORT/broken"
ORDER_URL="http://127.0.0.1:$HOOK_PORT/fail/2/order"
api it POST /api/v1/alert-channels "{\"name\":\"Webhook chập chờn\",\"kind\":\"webhook\",\"target\":\"$FLAKY_URL\"}"
FLAKY_CH=$(jq -r .id <<<"$B")
api it POST /api/v1/alert-channels "{\"name\":\"Webhook hỏng\",\"kind\":\"webhook\",\"target\":\"$BROKEN_URL\"}"
BROKEN_CH=$(jq -r .id <<<"$B")
api it POST /api/v1/alert-channels "{\"name\":\"Webhook lỡ hai lần\",\"kind\":\"webhook\",\"target\":\"$ORDER_URL\"}"
ORDER_CH=$(jq -r .id <<<"$B")
api it POST /api/v1/alert-rules "{\"name\":\"Máy in mất kết nối\",\"kind\":\"device_down\",\"device_id\":$X,\"for_s\":0,\"notify_recovery\":false,\"channel_ids\":[$FLAKY_CH,$BROKEN_CH]}"
jcheck "a rule for the printer only, to the flaky and the broken webhook" 201 ".device_id == $X and .notify_recovery == false"
api it POST /api/v1/alert-rules "{\"name\":\"Máy in (có báo khôi phục)\",\"kind\":\"device_down\",\"device_id\":$X,\"for_s\":0,\"notify_recovery\":true,\"channel_ids\":[$ORDER_CH]}"
jcheck "a second printer rule, with recovery, to another webhook that fails twice" 201 ".device_id == $X and .notify_recovery == true"
api it POST /api/v1/alert-rules "{\"name\":\"Wi-Fi mất kết nối\",\"kind\":\"device_down\",\"device_id\":$Y,\"for_s\":0,\"channel_ids\":[$MAIL_CH,$HOOK_CH]}"
jcheck "a rule for the Wi-Fi AP only, e-mail and webhook" 201 ".device_id == $Y"
NOW=$(date +%s)
api it POST /api/v1/maintenance "{\"name\":\"Thay bộ phát Wi-Fi\",\"device_id\":$Y,\"starts_at\":$((NOW - 60)),\"ends_at\":$((NOW + 3600))}"
jcheck "a maintenance window covers the Wi-Fi AP now" 201 ".active == true and .device_id == $Y"

agent_start s3 127.0.9.31 127.0.9.41
round "s3 first contact"
check "printer and AP up" test "$(state "$X")$(state "$Y")" = upup
agent_stop s3
round "s3 down 1 and 2" 2   # printer notifications: attempt 1
check "printer and AP down" test "$(state "$X")$(state "$Y")" = downdown

# hook_at PATH N: when the receiver got the Nth request on PATH (epoch, float)
hook_at() {
    python3 - "$T/hook" "$1" "$2" <<'PY'
import json, os, sys
d, path, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
rs = [json.load(open(os.path.join(d, f))) for f in sorted(os.listdir(d)) if f.startswith("hook-")]
rs = [r for r in rs if r["path"] == path]
print(rs[n - 1]["at"] if len(rs) >= n else "")
PY
}
# hook_seq PATH: "kind:status ..." of the requests on PATH, in arrival order
hook_seq() { sinks | awk -F'\t' -v p="$1" '$4 == p {printf "%s:%s ", $2, $5}'; }
# note CHANNEL: the notifications of a channel, newest first; sets ST/B (admin session)
note() { api admin GET "/api/v1/notifications?channel=$1"; }
# wait_due: sleep until every pending notification's next_attempt_at has passed
wait_due() {
    local next
    api admin GET "/api/v1/notifications?status=pending"
    next=$(jq -r '[.items[].next_attempt_at | select(. != null) | fromdateiso8601] | max // 0' <<<"$B")
    while [ "$(date +%s)" -lt "$next" ]; do sleep 0.1; done
}
# backoff NAME ATTEMPT DELAY: next_attempt_at is DELAY s after the failed attempt, to the
# second: time() is a coarse clock that may still read the second before the receiver's
# fine one, and the attempt may end in the next second (so 1 s slack either way)
backoff() {
    local at next
    at=$(hook_at /fail/2/flaky "$2")
    next=$(iso_epoch "$(jq -r '.items[0].next_attempt_at' <<<"$B")" 2>/dev/null)
    if [ -n "$at" ] && [ -n "$next" ] && python3 -c "import math,sys; d=$next-math.floor($at); sys.exit(0 if $3 - 1 <= d <= $3 + 1 else 1)"; then
        ok "$1"
    else
        fail "$1" "attempt at $at, next_attempt_at $next, want +$3 s"
    fi
}
note "$FLAKY_CH"
jcheck "retry: after the first 500 the notification is pending with attempts 1 and the error" 200 \
    '.total == 1 and .items[0].status == "pending" and .items[0].attempts == 1 and .items[0].kind == "firing" and (.items[0].last_error | test("HTTP 500")) and .items[0].next_attempt_at != null and .items[0].sent_at == null'
backoff "retry: next attempt retry_base_s (3 s) after the first failure" 1 3

api viewer GET "/api/v1/alerts?device=$Y"
jcheck "maintenance: the AP's alert is open (firing) but was never announced" 200 \
    '.total == 1 and .items[0].state == "firing"'
expect_msgs "maintenance: no message for the AP going down" "$Y_NAME" 0 0 0 0
check "maintenance: no notification row for the AP" \
    test "$(q "SELECT count(*) FROM notification n JOIN alert a ON a.id = n.alert_id WHERE a.device_id=$Y")" = 0

# flaky_watch: the first time the flaky webhook's notification shows attempt 2 pending,
# check its back-off (whichever round made that attempt)
SEEN2=0
flaky_watch() {
    note "$FLAKY_CH"
    if [ "$SEEN2" = 0 ] && jq -e '.items[0].status == "pending" and .items[0].attempts == 2' >/dev/null <<<"$B"; then
        SEEN2=1
        jcheck "retry: the second attempt failed too: pending, attempts 2, the error" 200 \
            '.items[0].last_error | test("HTTP 500")'
        backoff "retry: the back-off doubled (6 s) after the second failure" 2 6
    fi
}

# both come back while the firings wait for their retries
agent_start s3 127.0.9.31 127.0.9.41
round "s3 up 1"
flaky_watch
round "s3 up 2"
flaky_watch
check "printer and AP up again" test "$(state "$X")$(state "$Y")" = upup
api viewer GET "/api/v1/alerts?device=$Y"
jcheck "maintenance: the AP's alert resolved silently" 200 '.total == 1 and .items[0].state == "resolved"'
expect_msgs "maintenance: no recovery message either" "$Y_NAME" 0 0 0 0
note "$ORDER_CH"
jcheck "order: the recovery waits behind the firing that waits for its retry" 200 \
    '.total == 2 and .items[0].kind == "recovery" and .items[0].status == "pending" and .items[0].attempts == 0 and .items[1].kind == "firing" and .items[1].status == "pending"'
check "order: the receiver has seen only failed firings so far" \
    bash -c "[[ '$(hook_seq /fail/2/order)' =~ ^(firing:500\ )+$ ]]"

# delivery passes when due, until nothing is pending
for i in 1 2 3 4 5 6; do
    api admin GET "/api/v1/notifications?status=pending"
    [ "$(jq -r .total <<<"$B")" = 0 ] && break
    wait_due
    round "s3 retry pass $i"
    flaky_watch
done
check "retry: nothing pending after $((i - 1)) delivery passes" test "$(jq -r .total <<<"$B")" = 0
check "retry: the flaky notification was seen pending at attempt 2" test "$SEEN2" = 1
note "$FLAKY_CH"
jcheck "retry: delivered at the third attempt: sent, attempts 3" 200 \
    '.total == 1 and .items[0].status == "sent" and .items[0].attempts == 3 and .items[0].sent_at != null and .items[0].next_attempt_at == null'
note "$BROKEN_CH"
jcheck "retry: the always-failing webhook ends failed after retry_max (3) attempts" 200 \
    '.total == 1 and .items[0].status == "failed" and .items[0].attempts == 3 and (.items[0].last_error | test("HTTP 500")) and .items[0].next_attempt_at == null and .items[0].sent_at == null'
api viewer GET "/api/v1/notifications?status=failed"
jcheck "retry: ?status=failed lists just that one" 200 ".total == 1 and .items[0].channel_id == $BROKEN_CH"
jcheck "a viewer sees the error's code only, never the detail" 200 \
    '.items[0].last_error == "delivery_failed" and .items[0].error_code == "delivery_failed"'
api it GET "/api/v1/notifications?status=failed"
jcheck "so does the it role" 200 '.items[0].last_error == "delivery_failed"'
api viewer GET "/api/v1/notifications.csv?status=failed"
check "the CSV too: a viewer's row has the code, not the detail" \
    bash -c '[[ "$1" == *delivery_failed* && "$1" != *"HTTP 500"* ]]' _ "$B"
note "$ORDER_CH"
jcheck "order: firing (3 attempts) and recovery (1) both sent" 200 \
    '.total == 2 and [.items[] | "\(.kind):\(.status):\(.attempts)"] == ["recovery:sent:1", "firing:sent:3"]'
check "order: the receiver got the firing (500, 500, 200), then the recovery" \
    test "$(hook_seq /fail/2/order)" = "firing:500 firing:500 firing:200 recovery:200 "
round "s3 after the last retry"
check "retry: the flaky receiver got the firing 3 times: 500, 500, 200, nothing after" \
    test "$(hook_seq /fail/2/flaky)" = "firing:500 firing:500 firing:200 "
check "retry: the broken one got it 3 times (500), no 4th attempt" \
    test "$(hook_seq /broken)" = "firing:500 firing:500 firing:500 "
check "notify_recovery false: no recovery for the printer on those two" \
    test "$(count hook recovery "$X_NAME" /fail/2/flaky)$(count hook recovery "$X_NAME" /broken)" = 00

# ---- 5. a test message, CSV, and no secret anywhere -------------------------------------------
api it POST "/api/v1/alert-channels/$MAIL_CH/test" '{}'  # the router wants JSON on every POST
jcheck "a channel test is queued (202)" 202 '.status == "pending" and .notification_id > 0'
round "test message"
check "the test e-mail arrived" test "$(count mail test '*')" = 1
# send time: every connection is judged, whatever was saved (a row from before the rule, or a
# name that resolves inside only later): [::1] is not in the allow-list, nothing reaches it
q "INSERT INTO alert_channel (name, kind, target) VALUES ('Đổi hướng', 'webhook', 'http://[::1]:$HOOK_PORT/rebound')"
RB_CH=$(q "SELECT id FROM alert_channel WHERE name = 'Đổi hướng'")
api it POST "/api/v1/alert-channels/$RB_CH/test" '{}'
round "a webhook to a refused address"
note "$RB_CH"
jcheck "send time: refused before connecting, failed at once (no retries), the detail for admins" 200 \
    '.total == 1 and .items[0].status == "failed" and .items[0].attempts == 1 and (.items[0].last_error | startswith("address_refused: webhook: ::1 is loopback"))'
api viewer GET "/api/v1/notifications?channel=$RB_CH"
jcheck "send time: a viewer sees the code only" 200 \
    '.items[0].last_error == "address_refused" and .items[0].error_code == "address_refused"'
check "send time: nothing arrived at the refused address" \
    bash -c "! grep -qs /rebound '$T'/hook/hook-*.json"
api admin GET /api/v1/notifications.csv
check "notifications.csv has a header and one row per notification" \
    test "$(printf '%s\n' "$B" | grep -c .)" = "$(( $(q 'SELECT count(*) FROM notification') + 1 ))"
api admin GET /api/v1/audit.csv
api admin GET "/api/v1/audit?limit=1000"
curl -s -o "$T/anon.json" -w '%{http_code}' "http://127.0.0.1:$PORT/api/v1/notifications" >"$T/anon.code"
check "the delivery log needs a session (401)" test "$(cat "$T/anon.code")" = 401

check "every collector round exited 0 ($ROUNDS rounds)" test "$ROUND_FAILS" = 0

# the long-running collector: its delivery thread sends what is queued, at start and while
# it runs (it looks at the queue at least every 5 s), and stops cleanly on SIGTERM
api it POST "/api/v1/alert-channels/$HOOK_CH/test" '{}'
spawn collector-run "$COLL" -c "$CONF"
COLL_PID=$SPAWNED_PID
for _ in $(seq 1 50); do [ "$(count hook test '*')" -ge 1 ] && break; sleep 0.1; done
TEST_AUTH=$(jq -r 'select((.body | fromjson | .kind) == "test") | .headers.Authorization' "$T"/hook/hook-*.json)
check "daemon: a test webhook queued before the start is sent at once, with the bearer" \
    test "$(count hook test '*') $TEST_AUTH" = "1 Bearer $HOOK_SECRET"
api it POST "/api/v1/alert-channels/$MAIL_CH/test" '{}'
for _ in $(seq 1 80); do [ "$(count mail test '*')" -ge 2 ] && break; sleep 0.1; done
check "daemon: a test e-mail queued while it runs arrives within 8 s" test "$(count mail test '*')" = 2
kill -TERM "$COLL_PID"
for _ in $(seq 1 50); do kill -0 "$COLL_PID" 2>/dev/null || break; sleep 0.1; done
wait "$COLL_PID"
check "daemon: stops on SIGTERM with status 0" test "$?" = 0
api admin GET "/api/v1/notifications?status=pending"
check "nothing left pending" test "$(jq -r .total <<<"$B")" = 0
cat "$T/collector-run.log" >>"$T/collector.log"
# the sinks did receive them (so a grep that finds nothing means something)
check "the secrets did travel: bearer at the webhook, password in SMTP AUTH" \
    bash -c "grep -qF -- 'Bearer $HOOK_SECRET' '$T'/hook/hook-*.json && grep -qF -- '$SMTP_PW' '$T'/mail/mail-*.json"
for f in collector.log dashboard.log responses.log; do
    check "no webhook secret or SMTP password in $f" \
        bash -c "[ -s '$T/$f' ] && ! grep -qF -e '$HOOK_SECRET' -e '$SMTP_PW' '$T/$f'"
done
check "no secret in the database's audit log or notification rows" \
    test "$(q "SELECT count(*) FROM audit_log WHERE coalesce(before_json,'') || coalesce(after_json,'') LIKE '%$HOOK_SECRET%'")$(q "SELECT count(*) FROM notification WHERE recipient || subject || body || coalesce(last_error,'') LIKE '%$HOOK_SECRET%' OR recipient || subject || body || coalesce(last_error,'') LIKE '%$SMTP_PW%'")" = 00
exit 0

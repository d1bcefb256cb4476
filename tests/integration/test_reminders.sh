#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_reminders.sh - training expiry reminders end to end (issue 17 item 4), real parts only:
# `wardwatch-collector --once` runs under libfaketime on chosen office days (the clock the
# collector goes by), an SMTP sink and a webhook receiver (alert_sinks.py), the database
# `wardwatch init` made. Thresholds [training] reminder_days = 30,7,0.
#   1. no alert channel: nothing is sent, the day still counts as done
#   2. with an e-mail and a webhook channel: one message per channel for the day, grouped by
#      unit, the words of vi.json then en.json, name/unit/skill/date only (no staff code)
#   3. a second run the same day sends nothing more
#   4. a day missed while the collector was down is sent once at the next start, and a day
#      with nothing to remind sends nothing
#   5. the long-running collector's delivery thread does the same once per office day
source "$(dirname "$0")/lib.sh"

COLL="$BIN/wardwatch-collector"
CLI="$BIN/wardwatch"
SINKS="$WW_TOP/tests/integration/alert_sinks.py"
DATA="$T/data"
DB="$DATA/wardwatch.db"
CONF="$T/ww.conf"
FAKETIME_LIB=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -1)

for tool in sqlite3 python3 jq; do
    command -v "$tool" >/dev/null || { fail "needs $tool"; exit 1; }
done
[ -r "$FAKETIME_LIB" ] || { fail "needs libfaketime (appliance/install-deps.sh installs faketime)"; exit 1; }
[ -x "$COLL" ] && [ -x "$CLI" ] || { fail "no programs in $BIN (build first)"; exit 1; }

ww_alert_sinks || { fail "the SMTP sink and the webhook receiver start"; cat "$T"/*-sink.log; exit 1; }

cat >"$CONF" <<CONF
[general]
data_dir = $DATA
[alerts]
smtp_url = smtp://127.0.0.1:$SMTP_PORT
smtp_from = wardwatch@ubnd-phuong.example
smtp_starttls = none
retry_base_s = 1
timeout_ms = 3000
allow_private = 127.0.0.0/8
[availability]
timezone = Asia/Ho_Chi_Minh
[dashboard]
www_dir = $WW_TOP/dashboard/www
[training]
reminder_days = 30,7,0
CONF
printf 'Pw-%s\n' "$RANDOM$RANDOM" | "$CLI" -c "$CONF" init --admin-password-stdin >"$T/init.log" 2>&1 ||
    { fail "wardwatch init"; cat "$T/init.log"; exit 1; }
q() { sqlite3 -batch -noheader "$DB" "PRAGMA busy_timeout=5000" "$@" | tail -n +2; }

# two units; digital signature required of the one-stop-shop officer (the catalogue's)
OSS=$(q "SELECT id FROM job_role WHERE code = 'oss_officer'")
SIG=$(q "SELECT id FROM skill WHERE code = 'digital_signature'")
q "INSERT INTO org_unit (id, name) VALUES (1, 'Phường An'), (2, 'Phường Bình');
   INSERT INTO course (id, name, provider_kind, hours) VALUES (1, 'Chữ ký số', 'internal', 4);
   INSERT INTO course_skill VALUES (1, $SIG, 1);
   INSERT INTO staff (id, code, code_key, full_name, name_key, unit_id, role_id, start_day) VALUES
     (1, 'NV-MAT-1', 'nv-mat-1', 'Nguyễn Thị Lan', 'nguyễn thị lan', 1, $OSS, '2024-01-01'),
     (2, 'NV-MAT-2', 'nv-mat-2', 'Trần Văn Minh', 'trần văn minh', 1, $OSS, '2024-01-01'),
     (3, 'NV-MAT-3', 'nv-mat-3', 'Lê Thị Hoa', 'lê thị hoa', 2, $OSS, '2024-01-01'),
     (4, 'NV-MAT-4', 'nv-mat-4', 'Phạm Tùng', 'phạm tùng', 2, $OSS, '2024-01-01'),
     (5, 'NV-MAT-5', 'nv-mat-5', 'Đỗ An', 'đỗ an', 1, $OSS, '2024-01-01');
   INSERT INTO staff_history (staff_id, unit_id, role_id, from_day, actor) VALUES
     (1, 1, $OSS, '2024-01-01', 't'), (2, 1, $OSS, '2024-01-01', 't'),
     (3, 2, $OSS, '2024-01-01', 't'), (4, 2, $OSS, '2024-01-01', 't'),
     (5, 1, $OSS, '2024-01-01', 't');
   INSERT INTO training_record (staff_id, course_id, completed_on, result, valid_until, source, actor) VALUES
     (1, 1, '2024-03-31', 'passed', '2026-03-31', 'manual', 't'),
     (2, 1, '2024-03-08', 'passed', '2026-03-08', 'manual', 't'),
     (3, 1, '2024-03-01', 'passed', '2026-03-01', 'manual', 't'),
     (4, 1, '2024-03-02', 'passed', '2026-03-02', 'manual', 't'),
     (5, 1, '2024-04-15', 'passed', '2026-04-15', 'manual', 't');" >/dev/null ||
    { fail "fixture"; exit 1; }

# collect DAY: one bounded collector run at 10:00 of the office day DAY (no device to poll:
# its daily work and the delivery pass)
collect() {
    env TZ=Asia/Ho_Chi_Minh LD_PRELOAD="$FAKETIME_LIB" FAKETIME="@$1 10:00:00" \
        FAKETIME_DONT_FAKE_MONOTONIC=1 ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
        "$COLL" -c "$CONF" --once >>"$T/collector.log" 2>&1
}
count() { ls "$T/$1" | grep -c "^$1-" || true; }
# the decoded subject and body of the newest mail
last_mail() { python3 "$SINKS" mail "$(ls "$T"/mail/mail-*.json | sort | tail -1)"; }

collect 2026-02-28
check "no channel: the run ends well and sends nothing" [ $? = 0 -a "$(count mail)" = 0 -a "$(count hook)" = 0 ]
check "no channel: the day still counts as reminded" \
    [ "$(q "SELECT value FROM setting WHERE key = 'training.reminded_through'")" = 2026-02-28 ]
check "and nothing was queued" [ "$(q "SELECT count(*) FROM notification")" = 0 ]

q "INSERT INTO alert_channel (name, kind, target) VALUES ('Văn phòng', 'email', 'nhansu@ubnd-phuong.example'),
   ('Hệ thống HR', 'webhook', 'http://127.0.0.1:$HOOK_PORT/hook/hr');" >/dev/null || fail "channels"

# the Settings page's dashboard link (the setting table over the file) goes into the text
q "INSERT INTO setting (key, value) VALUES ('alerts.dashboard_url', 'http://giamsat.ubnd-phuong.example/')" >/dev/null
collect 2026-03-01
check "01/03/2026: one e-mail and one webhook ($(count mail), $(count hook))" [ "$(count mail)" = 1 -a "$(count hook)" = 1 ]
m=$(last_mail)
subject=$(jq -r .subject <<<"$m")
body=$(jq -r .body <<<"$m" | tr -d '\r') # the mail's lines end in CRLF
printf '%s\n%s\n' "$subject" "$body" >"$T/mail-0301.txt"
check "the subject in Vietnamese: the day and three certificates ($subject)" \
    [ "$subject" = "[wardwatch] Nhắc hạn bồi dưỡng ngày 01/03/2026: 3 chứng nhận sắp hết hiệu lực" ]
# counts per unit, skill and day, never names: an alert channel is set by whoever holds
# uptime.edit (the it role too), and staff records are HR's (Decree 13/2023)
want_vi="Các chứng nhận bồi dưỡng sắp hết hiệu lực, nhắc ngày 01/03/2026 (danh sách người trên trang Đào tạo):

Đơn vị: Phường An
- Chữ ký số: 1 người, hiệu lực đến hết ngày 31/03/2026 (còn 30 ngày)
- Chữ ký số: 1 người, hiệu lực đến hết ngày 08/03/2026 (còn 7 ngày)

Đơn vị: Phường Bình
- Chữ ký số: 1 người, hôm nay (01/03/2026) là ngày hiệu lực cuối cùng

Xem chi tiết: http://giamsat.ubnd-phuong.example/"
check "grouped by unit, a count per skill and day, 30 / 7 / 0 days; Tùng (1 day) and An (45) not yet; the Settings page's link" \
    [ "${body%%$'\n\n---- English'*}" = "$want_vi" ]
check "then in English (the skill's name as the register holds it)" \
    grep -qF -- "- Chữ ký số: 1 certificate(s), valid until the end of 08/03/2026 (7 days left)" "$T/mail-0301.txt"
check "no personal data: no staff code, no name" bash -c "! grep -q 'NV-MAT\|Nguyễn Thị Lan\|Trần Văn Minh\|Lê Thị Hoa' '$T/mail-0301.txt'"
hook=$(ls "$T"/hook/hook-*.json | tail -1)
check "the webhook carries the same text as kind training_expiry" \
    [ "$(jq -r '.body | fromjson | .kind' "$hook")" = training_expiry -a "$(jq -r '.body | fromjson | .subject' "$hook")" = "$subject" ]
check "the delivery log: two training_expiry messages, sent" \
    [ "$(q "SELECT count(*) FROM notification WHERE kind = 'training_expiry' AND status = 'sent' AND alert_id IS NULL")" = 2 ]

collect 2026-03-01
check "a second run on 01/03/2026 sends nothing more" [ "$(count mail)" = 1 -a "$(count hook)" = 1 ]

# 02/03/2026: the collector is down. 03/03/2026: it starts again
collect 2026-03-03
check "03/03/2026 catches up the missed 02/03/2026 once; 03/03 itself has nothing ($(count mail), $(count hook))" \
    [ "$(count mail)" = 2 -a "$(count hook)" = 2 ]
m=$(last_mail)
check "the caught-up message is 02/03/2026's: Tùng's last valid day" \
    [ "$(jq -r .subject <<<"$m")" = "[wardwatch] Nhắc hạn bồi dưỡng ngày 02/03/2026: 1 chứng nhận sắp hết hiệu lực" ] &&
    check "and counts it under his unit, without his name" grep -qF -- "- Chữ ký số: 1 người, hôm nay (02/03/2026) là ngày hiệu lực cuối cùng" <(jq -r .body <<<"$m")
check "reminded through 03/03/2026" [ "$(q "SELECT value FROM setting WHERE key = 'training.reminded_through'")" = 2026-03-03 ]
collect 2026-03-03
check "and a second start that day sends nothing" [ "$(count mail)" = 2 -a "$(count hook)" = 2 ]
check "the collector logged each day once" [ "$(grep -c 'remind: 2026-03-02' "$T/collector.log")" = 1 ]

# the long-running collector: its delivery thread looks at the reminders once per office day
# (08/03/2026: Minh's last valid day), sends them, and stops on SIGTERM
spawn daemon env TZ=Asia/Ho_Chi_Minh LD_PRELOAD="$FAKETIME_LIB" FAKETIME="@2026-03-08 10:00:00" \
    FAKETIME_DONT_FAKE_MONOTONIC=1 ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
    "$COLL" -c "$CONF"
DAEMON=$SPAWNED_PID
for _ in $(seq 200); do [ "$(count mail)" = 3 -a "$(count hook)" = 3 ] && break; sleep 0.1; done
check "the running collector sends 08/03/2026's reminder (catching up 04..07/03, which had none)" \
    [ "$(count mail)" = 3 -a "$(count hook)" = 3 ]
check "its subject names 08/03/2026" \
    [ "$(last_mail | jq -r .subject)" = "[wardwatch] Nhắc hạn bồi dưỡng ngày 08/03/2026: 1 chứng nhận sắp hết hiệu lực" ]
kill -TERM "$DAEMON"
wait "$DAEMON"
check "it stops on SIGTERM ($?) having sent nothing more" [ "$(count mail)" = 3 -a "$(count hook)" = 3 ]

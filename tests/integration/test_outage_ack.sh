#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_outage_ack.sh - the IT officer's outage handling over the real dashboard (issue 15):
# an outage acknowledged once with a note (409 already_acked after), notes added later, who
# may (an it officer yes, a viewer 403), refusals as data in the reader's language, hostile
# note text kept as text, the audit entries; the device page's data for a silent device (its
# cause code, the reason and the first answer); availability 0 % for a device that never
# answered; the outage log's acknowledgement fields.
source "$(dirname "$0")/lib.sh"

for tool in curl sqlite3 python3; do
    command -v "$tool" >/dev/null || { fail "needs $tool"; exit 1; }
done
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
ADMIN_PW=outage-test-$RANDOM$RANDOM
printf '%s\n' "$ADMIN_PW" | "$CLI" -c "$T/ww.conf" init --admin-password-stdin >/dev/null ||
    { fail "init"; exit 1; }
for u in "tho:it" "xem:viewer"; do
    printf '%s\n' "$ADMIN_PW-${u%%:*}" | "$CLI" -c "$T/ww.conf" user add --login "${u%%:*}" \
        --role "${u##*:}" --password-stdin >/dev/null || fail "user add ${u%%:*}"
done
NOW=$(date +%s)
ADDED=$((NOW - 4 * 3600))
DOWN_AT=$((NOW - 3 * 3600))
# a printer that never answered (down from its first failed poll), a switch that answered
sqlite3 "$DATA/wardwatch.db" <<SQL || { fail "fixture"; exit 1; }
INSERT INTO device (id, name, kind, host, created_at) VALUES
  (901, 'Máy in tầng 2', 'printer', '192.0.2.3', $ADDED),
  (902, 'Switch tầng 1', 'switch', '192.0.2.2', $ADDED);
INSERT INTO device_status (device_id, state, since, last_poll, last_reason, icmp_ok)
  VALUES (901, 'down', $DOWN_AT, $NOW, 'timeout', 1);
INSERT INTO device_status (device_id, state, since, last_poll, last_ok, first_ok)
  VALUES (902, 'up', $ADDED, $NOW, $NOW, $ADDED);
INSERT INTO event (id, device_id, interface_id, type, started_at, ended_at)
  VALUES (7001, 901, NULL, 'down', $DOWN_AT, NULL),
         (7002, 902, NULL, 'reboot', $DOWN_AT, $DOWN_AT);
SQL
spawn dash "$BIN/wardwatch-dashboard" -c "$T/ww.conf"
PORT=$(wait_port_file "$T/port" 20) || { fail "dashboard started"; cat "$T/dash.log"; exit 1; }
ww_session it "$PORT" tho "$ADMIN_PW-tho" || fail "it officer logs in"
ww_session vw "$PORT" xem "$ADMIN_PW-xem" || fail "viewer logs in"

r=$(ww_api it "$PORT" GET /api/v1/devices/901)
check "a silent device that pings: cause icmp_only (${r%% *} $(jf cause))" \
    [ "${r%% *}" = 200 -a "$(jf cause)" = icmp_only ]
check "its last reason and no first answer" [ "$(jf last_reason)" = timeout -a "$(jf first_ok)" = null ]
r=$(ww_api it "$PORT" GET /api/v1/devices/902)
check "an answering device has no cause" [ "$(jf cause)" = null ]
r=$(ww_api it "$PORT" GET /api/v1/devices/901/availability)
check "never answered: 0 % for the day, not the hour before its first failed poll (${r%% *})" \
    [ "$(jf periods.0.all.pct)" = 0.0 -o "$(jf periods.0.all.pct)" = 0 ]
check "that hour is unknown_s ($(jf periods.0.all.unknown_s))" \
    [ "$(jf periods.0.all.unknown_s)" -ge 3590 -a "$(jf periods.0.all.unknown_s)" -le 3610 ]

r=$(ww_api vw "$PORT" POST /api/v1/outages/7001/ack '{"note":"x"}')
check "a viewer may not acknowledge (${r%% *})" [ "${r%% *}" = 403 ]
r=$(ww_api it "$PORT" POST /api/v1/outages/7002/ack '{}')
check "a reboot is no outage: 404 (${r%% *})" [ "${r%% *}" = 404 ]
r=$(ww_api it "$PORT" POST /api/v1/outages/7001/ack '{"note":"Đã gọi phòng một cửa <script>alert(1)</script>","x":1}')
check "an unknown field is refused with its name (${r%% *})" \
    [ "${r%% *}" = 400 -a "$(jf error.reason)" = unknown_field ]
r=$(ww_api it "$PORT" POST /api/v1/outages/7001/ack '{"note":"Đã gọi phòng một cửa <script>alert(1)</script>"}')
check "the it officer acknowledges with a note (${r%% *})" \
    [ "${r%% *}" = 200 -a "$(jf acked_by)" = tho -a "$(jf notes.0.ack)" = true ]
check "the note is kept as text" [ "$(jf notes.0.text)" = "Đã gọi phòng một cửa <script>alert(1)</script>" ]
r=$(ww_api it "$PORT" POST /api/v1/outages/7001/ack '{}')
check "a second acknowledgement: 409 already_acked, in Vietnamese (${r%% *} $(jf error.message))" \
    [ "${r%% *}" = 409 -a "$(jf error.reason)" = already_acked -a \
      "$(jf error.message)" = "Sự cố này đã được xác nhận." ]
r=$(ww_api it "$PORT" POST /api/v1/outages/7001/notes '{"note":""}')
check "an empty note is refused: note required (${r%% *})" \
    [ "${r%% *}" = 400 -a "$(jf error.field)" = note -a "$(jf error.reason)" = required ]
r=$(ww_api it "$PORT" POST /api/v1/outages/7001/notes '{"note":"Thay dây nguồn"}')
check "a note added later: 201 with both notes (${r%% *})" \
    [ "${r%% *}" = 201 -a "$(jf notes_count)" = 2 -a "$(jf notes.1.text)" = "Thay dây nguồn" ]
r=$(ww_api vw "$PORT" GET /api/v1/outages/7001)
check "everyone reads the outage with its notes (${r%% *})" [ "${r%% *}" = 200 -a "$(jf notes_count)" = 2 ]
r=$(ww_api vw "$PORT" GET '/api/v1/outages?device=901')
check "the outage log says who acknowledged it" \
    [ "$(jf items.0.acked_by)" = tho -a "$(jf items.0.notes_count)" = 2 ]
check "two audit entries, the note's words in the second" \
    [ "$(sqlite3 "$DATA/wardwatch.db" "SELECT count(*) FROM audit_log WHERE object_type = 'outage' AND object_id = '7001'")" = 2 -a \
      "$(sqlite3 "$DATA/wardwatch.db" "SELECT count(*) FROM audit_log WHERE action = 'outage.note' AND after_json LIKE '%Thay dây nguồn%'")" = 1 ]

# ---- what ICMP says about a device that does not answer SNMP (collector/icmp.c) ------------
# 127.0.0.77 answers ping (loopback) but nothing listens on its SNMP port
cat >>"$T/ww.conf" <<CONF
[collector]
poll_interval = 60
snmp_timeout_ms = 300
snmp_retries = 0
CONF
"$CLI" -c "$T/ww.conf" device add --name "Máy không có SNMP" --host 127.0.0.77 \
    --port "$(free_port udp)" --community x >"$T/silent.id" 2>>"$T/cli.err" || fail "device add"
SID=$(tail -1 "$T/silent.id")
"$BIN/wardwatch-collector" -c "$T/ww.conf" --intervals 4 2>"$T/coll.log"
if grep -q "icmp: no ICMP socket" "$T/coll.log"; then
    skip "ICMP echo" "no ICMP socket here: $(grep -o 'no ICMP socket ([^)]*)' "$T/coll.log")"
else
    r=$(ww_api it "$PORT" GET "/api/v1/devices/$SID")
    check "a device that pings but does not answer SNMP: icmp_ok true, cause icmp_only ($(jf icmp_ok) $(jf cause))" \
        [ "$(jf icmp_ok)" = true -a "$(jf cause)" = icmp_only ]
fi

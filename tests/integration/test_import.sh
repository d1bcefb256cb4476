#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_import.sh - the CSV import of devices over the real dashboard and the CLI (issue 16
# item 9): a dry run that writes nothing, refusals listed by row and column with Vietnamese
# words (a formula cell, a duplicate asset tag, an unknown status), nothing written while a
# row is refused, only_valid, one audit entry per imported device, a viewer refused (403), a
# body that is not text/csv (415), the export -> import round trip of Vietnamese names into
# a fresh database, and `wardwatch device import`.
source "$(dirname "$0")/lib.sh"

for tool in curl sqlite3 python3; do
    command -v "$tool" >/dev/null || { fail "needs $tool"; exit 1; }
done
CLI=$BIN/wardwatch
ADMIN_PW=import-test-$RANDOM$RANDOM
ww_conf a
ww_conf b
ww_init a "$ADMIN_PW" "tho:it" "xem:viewer"
ww_init b "$ADMIN_PW"
spawn dash "$BIN/wardwatch-dashboard" -c "$T/a.conf"
PORT=$(wait_port_file "$T/a.port" 20) || { fail "dashboard started"; cat "$T/dash.log"; exit 1; }
ww_session it "$PORT" tho "$ADMIN_PW-tho" || fail "it officer logs in"
ww_session vw "$PORT" xem "$ADMIN_PW-xem" || fail "viewer logs in"

# csv NAME PORT PATH FILE: POST a CSV file in session NAME; prints the status, body in api.body
csv() {
    curl -s -o "$T/api.body" -w '%{http_code}' -b "$T/$1.jar" -X POST \
        -H "Origin: http://127.0.0.1:$2" -H "X-CSRF-Token: $(cat "$T/$1.csrf")" \
        -H 'Content-Type: text/csv' --data-binary "@$4" "http://127.0.0.1:$2$3"
}
devices() { sqlite3 "$T/$1/wardwatch.db" "SELECT count(*) FROM device"; }

printf '\xef\xbb\xbfname,kind,host,asset_tag,status,assigned_to,notes\r\n%s' \
'"Máy tính Một cửa, số 1",pc,10.1.0.1,UB-0001,in_use,Nguyễn Thị Lan,"quầy ""một cửa"""
Máy in tầng 2,printer,10.1.0.2,UB-0002,in_repair,,
"=HYPERLINK(""x"")",pc,10.1.0.3,,,,
Máy chủ,server,10.1.0.4,ub-0001 ,,,
Switch lõi,switch,10.1.0.5,,lost,,
' >"$T/mixed.csv"

# ---- a dry run and the refusals -----------------------------------------------------------
code=$(csv it "$PORT" '/api/v1/devices/import?dry_run=1' "$T/mixed.csv")
check "a dry run with refused rows: 422, counts (${code} rows $(jf rows) valid $(jf valid))" \
    [ "$code" = 422 -a "$(jf rows)" = 5 -a "$(jf valid)" = 2 -a "$(jf written)" = 0 ]
check "the formula cell: row 4, column 1, reason formula" \
    [ "$(jf errors.0.row)" = 4 -a "$(jf errors.0.column)" = 1 -a "$(jf errors.0.field)" = name -a "$(jf errors.0.reason)" = formula ]
check "the duplicate asset tag: row 5, column 4, in_file, param 2" \
    [ "$(jf errors.1.row)" = 5 -a "$(jf errors.1.column)" = 4 -a "$(jf errors.1.reason)" = in_file -a "$(jf errors.1.params.param)" = 2 ]
check "the unknown status: row 6, column 5, in Vietnamese ($(jf errors.2.message))" \
    [ "$(jf errors.2.row)" = 6 -a "$(jf errors.2.column)" = 5 -a "$(jf errors.2.reason)" = not_one_of -a \
      -n "$(jf errors.2.message)" ]
check "nothing written by the dry run" [ "$(devices a)" = 0 ]
code=$(csv it "$PORT" /api/v1/devices/import "$T/mixed.csv")
check "a real import with refused rows writes nothing: 422 ($code)" [ "$code" = 422 -a "$(devices a)" = 0 ]
code=$(csv vw "$PORT" /api/v1/devices/import "$T/mixed.csv")
check "a viewer may not import: 403 ($code)" [ "$code" = 403 ]
code=$(curl -s -o "$T/api.body" -w '%{http_code}' -b "$T/it.jar" -X POST \
    -H "Origin: http://127.0.0.1:$PORT" -H "X-CSRF-Token: $(cat "$T/it.csrf")" \
    -H 'Content-Type: application/json' --data-binary "@$T/mixed.csv" \
    "http://127.0.0.1:$PORT/api/v1/devices/import")
check "a body that is not text/csv: 415 ($code)" [ "$code" = 415 ]
printf 'name,host,colour\nA,10.9.0.1,red\n' >"$T/unknown.csv"
code=$(csv it "$PORT" /api/v1/devices/import "$T/unknown.csv")
check "an unknown column refuses the file: 400, named ($code $(jf errors.0.params.param))" \
    [ "$code" = 400 -a "$(jf errors.0.reason)" = unknown_column -a "$(jf errors.0.params.param)" = colour ]

# ---- only_valid and the audit ----------------------------------------------------------------
code=$(csv it "$PORT" '/api/v1/devices/import?only_valid=1' "$T/mixed.csv")
check "only_valid writes the valid rows: 200, written 2 ($code $(jf written))" \
    [ "$code" = 200 -a "$(jf written)" = 2 -a "$(devices a)" = 2 ]
check "one audit entry per imported device, by the it officer" \
    [ "$(sqlite3 "$T/a/wardwatch.db" "SELECT count(*) FROM audit_log WHERE action = 'device.import' AND actor = 'tho' AND object_type = 'device'")" = 2 ]
check "the Vietnamese text and the quoted cells intact" \
    [ "$(sqlite3 "$T/a/wardwatch.db" "SELECT name || '|' || assigned_to || '|' || notes FROM device WHERE asset_tag = 'UB-0001'")" = 'Máy tính Một cửa, số 1|Nguyễn Thị Lan|quầy "một cửa"' ]
check "no formula stored" [ "$(sqlite3 "$T/a/wardwatch.db" "SELECT count(*) FROM device WHERE name LIKE '=%'")" = 0 ]

# ---- export -> import into a fresh database ---------------------------------------------------
code=$(curl -s -o "$T/devices.csv" -w '%{http_code}' -b "$T/it.jar" "http://127.0.0.1:$PORT/api/v1/devices.csv")
check "devices.csv exported ($code)" [ "$code" = 200 ]
check "devices.csv carries the lifecycle columns" grep -q 'Người sử dụng' "$T/devices.csv"
"$CLI" -c "$T/b.conf" device import "$T/devices.csv" >"$T/cli.out" 2>"$T/cli.err"
check "the CLI imports the export into a fresh database (rc $?)" [ "$(devices b)" = 2 ]
q="SELECT name, kind, host, snmp_port, asset_tag, status, criticality, assigned_to, notes FROM device ORDER BY name"
check "the same devices, Vietnamese names intact" \
    [ "$(sqlite3 "$T/a/wardwatch.db" "$q")" = "$(sqlite3 "$T/b/wardwatch.db" "$q")" ]
check "the CLI's import is audited as the OS user" \
    [ "$(sqlite3 "$T/b/wardwatch.db" "SELECT count(*) FROM audit_log WHERE action = 'device.import' AND actor LIKE '%@cli'")" = 2 ]

# ---- the CLI's refusals ----------------------------------------------------------------------
"$CLI" -c "$T/b.conf" device import --dry-run "$T/mixed.csv" >"$T/cli.out" 2>"$T/cli.err"
rc=$?
check "the CLI refuses a file with bad rows (rc $rc)" [ "$rc" = 1 ]
check "its refusals as 'row R, column C: words' in Vietnamese ($(head -1 "$T/cli.err"))" \
    grep -q '^row 4, column 1: .*công thức' "$T/cli.err"
check "the asset tag taken in the register: row 2 against the database" grep -q '^row 2, column 4: ' "$T/cli.err"
check "nothing written by the CLI's dry run" [ "$(devices b)" = 2 ]

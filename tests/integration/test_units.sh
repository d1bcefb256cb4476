#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_units.sh - org units and locations over the real dashboard and the CLI (issue 16 items
# 1 and 9): a manager builds the tree (it and hr may not: 403; a viewer reads it), a code
# taken in other letters (409) and a loop (400) are refused with Vietnamese words; a location
# (a one-stop-shop counter) and a device placed in the unit; the merger on 01/07/2025 moves the
# device, the child unit and the location in one audited change; the tree of 30/06/2025 still
# has the old ward with its device, that of 01/07/2025 does not; a merged unit is not merged
# again nor removed; units.csv with a formula cell neutralised; the import (BOM, a parent later
# in the file, refused rows by row and column, nothing written, only_valid, 403, 415); the
# export imported into a fresh database by `wardwatch unit import`; `device add/edit --unit
# CODE` and `unit list` on it.
source "$(dirname "$0")/lib.sh"

for tool in curl sqlite3 python3; do
    command -v "$tool" >/dev/null || { fail "needs $tool"; exit 1; }
done
CLI=$BIN/wardwatch
ADMIN_PW=units-test-$RANDOM$RANDOM
ww_conf a
ww_conf b
ww_init a "$ADMIN_PW" "tho:it" "sep:manager" "nhansu:hr" "xem:viewer"
ww_init b "$ADMIN_PW"
DB=$T/a/wardwatch.db
sqlite3 "$DB" "INSERT INTO device (id, name, kind, host) VALUES (901, 'PC một cửa', 'pc', '192.0.2.3');" ||
    { fail "fixture"; exit 1; }
spawn dash "$BIN/wardwatch-dashboard" -c "$T/a.conf"
PORT=$(wait_port_file "$T/a.port" 20) || { fail "dashboard started"; cat "$T/dash.log"; exit 1; }
ww_session it "$PORT" tho "$ADMIN_PW-tho" || fail "it officer logs in"
ww_session mg "$PORT" sep "$ADMIN_PW-sep" || fail "manager logs in"
ww_session hr "$PORT" nhansu "$ADMIN_PW-nhansu" || fail "hr logs in"
ww_session vw "$PORT" xem "$ADMIN_PW-xem" || fail "viewer logs in"
code() { echo "${1%% *}"; }

# ---- the tree and who may change it ------------------------------------------------------------
r=$(ww_api mg "$PORT" POST /api/v1/units '{"code":"HCM","name":"TP. Hồ Chí Minh","level":"province","valid_from":"2020-01-01"}')
check "the manager adds the province ($(code "$r"))" [ "$(code "$r")" = 201 -a "$(jf code)" = HCM ]
HCM=$(jf id)
r=$(ww_api mg "$PORT" POST /api/v1/units "{\"code\":\"BN\",\"name\":\"Phường Bến Nghé\",\"parent_id\":$HCM,\"valid_from\":\"2020-01-01\"}")
BN=$(jf id)
r=$(ww_api mg "$PORT" POST /api/v1/units "{\"code\":\"SG\",\"name\":\"Phường Sài Gòn\",\"parent_id\":$HCM,\"valid_from\":\"2020-01-01\"}")
SG=$(jf id)
r=$(ww_api mg "$PORT" POST /api/v1/units "{\"code\":\"BN-VP\",\"name\":\"Văn phòng UBND\",\"level\":\"department\",\"parent_id\":$BN,\"valid_from\":\"2020-01-01\"}")
VP=$(jf id)
check "two wards and a department ($BN $SG $VP)" [ "$(code "$r")" = 201 -a -n "$BN" -a -n "$SG" -a "$(jf level)" = department ]
for who in it hr vw; do
    r=$(ww_api $who "$PORT" POST /api/v1/units '{"code":"X","name":"Không được"}')
    check "role $who may not add a unit: 403 ($(code "$r"))" [ "$(code "$r")" = 403 -a "$(jf error.code)" = forbidden ]
done
r=$(ww_api hr "$PORT" POST "/api/v1/units/$BN/merge" "{\"into\":$SG,\"day\":\"2025-07-01\"}")
check "hr may not merge: 403 ($(code "$r"))" [ "$(code "$r")" = 403 ]
r=$(ww_api vw "$PORT" GET /api/v1/units)
check "a viewer reads the tree ($(code "$r") total $(jf total))" [ "$(code "$r")" = 200 -a "$(jf total)" = 4 ]
check "the lists the forms offer come with it" [ "$(jf levels)" = province,ward,department -a \
    "$(jf location_kinds)" = room,counter,store,server_room,other ]
r=$(ww_api mg "$PORT" POST /api/v1/units '{"code":" bn","name":"Trùng mã"}')
check "a code taken in other letters: 409 in Vietnamese ($(code "$r") $(jf error.message))" \
    [ "$(code "$r")" = 409 -a "$(jf error.field)" = unit_code -a "$(jf error.reason)" = exists -a \
      "$(jf error.message)" = "Mã đơn vị: đã tồn tại." ]
r=$(ww_api mg "$PORT" PATCH "/api/v1/units/$HCM" "{\"parent_id\":$VP}")
check "the province under its own department: 400 unit_loop in Vietnamese ($(jf error.message))" \
    [ "$(code "$r")" = 400 -a "$(jf error.field)" = parent_unit -a "$(jf error.reason)" = unit_loop -a \
      "$(jf error.message)" = "Đơn vị cấp trên: đơn vị được chọn đang nằm dưới đơn vị này." ]
r=$(ww_api mg "$PORT" POST /api/v1/units '{"code":"Q1","name":"Quận 1","level":"district"}')
check "no districts since 2025: 400 not_one_of ($(code "$r"))" [ "$(code "$r")" = 400 -a "$(jf error.reason)" = not_one_of ]

# ---- a location and a device in the old ward ----------------------------------------------------
r=$(ww_api mg "$PORT" POST /api/v1/locations "{\"name\":\"Quầy một cửa số 1\",\"kind\":\"counter\",\"unit_id\":$BN,\"building\":\"Nhà A\",\"room\":\"P.101\"}")
LOC=$(jf id)
check "the manager adds a one-stop-shop counter ($(code "$r"))" [ "$(code "$r")" = 201 -a "$(jf kind)" = counter ]
r=$(ww_api mg "$PORT" POST /api/v1/locations '{"name":"Sân","kind":"yard"}')
check "a kind not in the list: 400 ($(code "$r"))" [ "$(code "$r")" = 400 -a "$(jf error.field)" = kind ]
r=$(ww_api it "$PORT" PATCH /api/v1/devices/901 "{\"unit_id\":$BN,\"location_id\":$LOC}")
check "the it officer places the device ($(code "$r"))" [ "$(code "$r")" = 200 -a "$(jf unit_id)" = "$BN" ]
r=$(ww_api vw "$PORT" GET /api/v1/devices/901)
check "the device shows its unit and location by name" \
    [ "$(jf unit_name)" = "Phường Bến Nghé" -a "$(jf location_name)" = "Quầy một cửa số 1" ]
r=$(ww_api it "$PORT" PATCH /api/v1/devices/901 '{"unit_id":777}')
check "a unit that does not exist: 400 no_such ($(code "$r"))" [ "$(code "$r")" = 400 -a "$(jf error.field)" = unit_id ]
# the register says since when: the device has been in the old ward since 2021
sqlite3 "$DB" "UPDATE device_unit SET from_day = '2021-03-01' WHERE device_id = 901"

# ---- the merger --------------------------------------------------------------------------------
r=$(ww_api mg "$PORT" POST "/api/v1/units/$BN/merge" "{\"into\":$SG,\"day\":\"2025-07-01\"}")
check "the manager merges Bến Nghé into Sài Gòn on 2025-07-01 ($(code "$r"))" \
    [ "$(code "$r")" = 200 -a "$(jf merged_into)" = "$SG" -a "$(jf valid_to)" = 2025-07-01 -a "$(jf devices)" = 0 ]
r=$(ww_api vw "$PORT" GET /api/v1/devices/901)
check "the device moved with it, its location too" [ "$(jf unit_name)" = "Phường Sài Gòn" -a "$(jf location_id)" = "$LOC" ]
r=$(ww_api vw "$PORT" GET "/api/v1/units/$SG")
check "the new ward: its history, the child unit's device count and the counter" \
    [ "$(jf history.0.code)" = BN -a "$(jf history.0.day)" = 2025-07-01 -a "$(jf devices)" = 1 -a \
      "$(jf locations.0.name)" = "Quầy một cửa số 1" ]
r=$(ww_api vw "$PORT" GET "/api/v1/units/$VP")
check "the department hangs on the new ward" [ "$(jf parent_id)" = "$SG" ]
r=$(ww_api vw "$PORT" GET '/api/v1/units?at=2025-06-30')
q() { python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
u=[x for x in d["items"] if x["code"]==sys.argv[2]]
print(("%s %s %s" % (u[0]["devices"], u[0]["merged_into"], u[0]["valid_to"])) if u else "absent")' "$T/api.body" "$1"; }
check "the tree of 30/06/2025 has the old ward with its device ($(q BN); SG $(q SG))" \
    [ "$(jf total)" = 4 -a "$(q BN)" = "1 None None" -a "$(q SG)" = "0 None None" ]
r=$(ww_api vw "$PORT" GET '/api/v1/units?at=2025-07-01')
check "the tree of 01/07/2025 has not; the device counts in the new ward ($(q SG))" \
    [ "$(jf total)" = 3 -a "$(q BN)" = absent -a "$(q SG)" = "1 None None" ]
r=$(ww_api vw "$PORT" GET '/api/v1/units?at=2019-12-31')
check "before the province began: nothing" [ "$(jf total)" = 0 ]
r=$(ww_api vw "$PORT" GET '/api/v1/units')
check "now: the merged ward is listed, greyed by the page ($(q BN))" [ "$(q BN)" = "0 $SG 2025-07-01" ]
r=$(ww_api vw "$PORT" GET '/api/v1/units?at=2025-02-30')
check "a day that does not exist: 400 bad_request at ($(code "$r"))" [ "$(code "$r")" = 400 -a "$(jf error.field)" = at ]
r=$(ww_api vw "$PORT" GET '/api/v1/units?at=30/06/2025')
check "a day that is not ISO: 400 ($(code "$r") $(jf error.code))" [ "$(code "$r")" = 400 ]
r=$(ww_api mg "$PORT" POST "/api/v1/units/$BN/merge" "{\"into\":$HCM,\"day\":\"2026-01-01\"}")
check "a merged unit is not merged again: 400 unit_merged in Vietnamese ($(jf error.message))" \
    [ "$(code "$r")" = 400 -a "$(jf error.reason)" = unit_merged -a -n "$(jf error.message)" ]
r=$(ww_api mg "$PORT" DELETE "/api/v1/units/$BN")
check "nor removed: its past is read by reports (400 has_history)" [ "$(code "$r")" = 400 -a "$(jf error.reason)" = has_history ]
check "one audit entry for the merger, by the manager, with what moved" \
    [ "$(sqlite3 "$DB" "SELECT count(*), actor, json_extract(before_json, '$.devices'), json_extract(before_json, '$.locations') FROM audit_log WHERE action = 'unit.merge'")" = "1|sep|1|1" ]
check "the device's history: the old ward until the merger, the new one from it" \
    [ "$(sqlite3 "$DB" "SELECT group_concat(unit_id || ':' || from_day || '-' || coalesce(to_day, '') || ':' || reason, ' ') FROM (SELECT * FROM device_unit WHERE device_id = 901 ORDER BY from_day)")" = "$BN:2021-03-01-2025-07-01:set $SG:2025-07-01-:merger" ]

# ---- units.csv and its import -----------------------------------------------------------------
r=$(ww_api mg "$PORT" POST /api/v1/units '{"code":"F1","name":"=1+2 Phòng"}')
code=$(curl -s -o "$T/units.csv" -w '%{http_code}' -b "$T/vw.jar" "http://127.0.0.1:$PORT/api/v1/units.csv")
check "units.csv exported to a viewer ($code)" [ "$code" = 200 ]
check "its header in Vietnamese after the byte order mark, the import's columns first" \
    grep -q $'^\xEF\xBB\xBF"Mã đơn vị","Tên","Cấp","Mã đơn vị cấp trên","Từ ngày"' "$T/units.csv"
check "a parent and a merger named by code" grep -q '"Văn phòng UBND","department","SG"' "$T/units.csv"
check "a cell a spreadsheet would run is neutralised" grep -q "\"'=1+2 Phòng\"" "$T/units.csv"

csv() { # csv NAME PATH FILE [TYPE]: POST a CSV file; prints the status, body in api.body
    curl -s -o "$T/api.body" -w '%{http_code}' -b "$T/$1.jar" -X POST \
        -H "Origin: http://127.0.0.1:$PORT" -H "X-CSRF-Token: $(cat "$T/$1.csrf")" \
        -H "Content-Type: ${4:-text/csv}" --data-binary "@$3" "http://127.0.0.1:$PORT$2"
}
units() { sqlite3 "$T/$1/wardwatch.db" "SELECT count(*) FROM org_unit"; }
printf '\xef\xbb\xbfcode,name,level,parent_code,valid_from\r\n%s' \
'TD-VP,Văn phòng phường Thủ Đức,department,TD,2025-07-01
TD,"Phường Thủ Đức, TP.HCM",ward,hcm,2025-07-01
X1,=HYPERLINK(1),ward,,
sg,Trùng mã,ward,,
X2,Vòng A,ward,X3,
X3,Vòng B,ward,X2,
' >"$T/mixed.csv"
before=$(units a)
code=$(csv mg '/api/v1/units/import?dry_run=1' "$T/mixed.csv")
check "a dry run with refused rows: 422, counts ($code rows $(jf rows) valid $(jf valid))" \
    [ "$code" = 422 -a "$(jf rows)" = 6 -a "$(jf valid)" = 2 ]
check "the formula cell: row 4, column 2, in Vietnamese ($(jf errors.0.message))" \
    [ "$(jf errors.0.row)" = 4 -a "$(jf errors.0.column)" = 2 -a "$(jf errors.0.reason)" = formula -a \
      "$(jf errors.0.message)" = "Tên đơn vị: ô bắt đầu bằng dấu công thức (=HYPERLINK(1)); wardwatch không lưu công thức bảng tính." ]
check "the code of the register: row 5 ($(jf errors.1.reason) $(jf errors.1.params.param))" \
    [ "$(jf errors.1.row)" = 5 -a "$(jf errors.1.field)" = unit_code -a "$(jf errors.1.reason)" = exists ]
check "the loop: rows 6 and 7, column 4" \
    [ "$(jf errors.2.row)" = 6 -a "$(jf errors.2.column)" = 4 -a "$(jf errors.2.reason)" = unit_loop -a "$(jf errors.3.row)" = 7 ]
code=$(csv mg /api/v1/units/import "$T/mixed.csv")
check "a real import with refused rows writes nothing: 422 ($code)" [ "$code" = 422 -a "$(units a)" = "$before" ]
code=$(csv it /api/v1/units/import "$T/mixed.csv")
check "the it officer may not import units: 403 ($code)" [ "$code" = 403 ]
code=$(csv mg /api/v1/units/import "$T/mixed.csv" application/json)
check "a body that is not text/csv: 415 ($code)" [ "$code" = 415 ]
code=$(csv mg '/api/v1/units/import?only_valid=1' "$T/mixed.csv")
check "only the valid rows, parents first ($code written $(jf written))" [ "$code" = 200 -a "$(jf written)" = 2 ]
check "the department hangs on the ward that came later in the file" \
    [ "$(sqlite3 "$DB" "SELECT p.code FROM org_unit u JOIN org_unit p ON p.id = u.parent_id WHERE u.code = 'TD-VP'")" = TD ]
check "one audit entry per imported unit, by the manager" \
    [ "$(sqlite3 "$DB" "SELECT count(*) FROM audit_log WHERE action = 'unit.import' AND actor = 'sep'")" = 2 ]

# ---- export -> import into a fresh database by the CLI -----------------------------------------
code=$(curl -s -o "$T/units.csv" -w '%{http_code}' -b "$T/vw.jar" "http://127.0.0.1:$PORT/api/v1/units.csv")
"$CLI" -c "$T/b.conf" unit import --dry-run "$T/mixed.csv" >"$T/cli.out" 2>"$T/cli.err"
rc=$?
check "the CLI refuses a file with bad rows (rc $rc): $(head -1 "$T/cli.err")" \
    [ "$rc" = 1 -a "$(units b)" = 0 ]
check "its refusals as 'row R, column C: words' in Vietnamese" grep -q '^row 4, column 2: .*công thức' "$T/cli.err"
"$CLI" -c "$T/b.conf" unit import "$T/units.csv" >"$T/cli.out" 2>"$T/cli.err"
check "the CLI imports the export into a fresh database (rc $?: $(cat "$T/cli.out"))" [ "$(units b)" = 7 ]
qq="SELECT u.code, u.name, u.level, coalesce(p.code, '') FROM org_unit u LEFT JOIN org_unit p ON p.id = u.parent_id WHERE u.code != 'F1' ORDER BY u.code"
check "the same units and parents, Vietnamese names intact" \
    [ "$(sqlite3 "$DB" "$qq")" = "$(sqlite3 "$T/b/wardwatch.db" "$qq")" ]
check "the CLI's import is audited as the OS user" \
    [ "$(sqlite3 "$T/b/wardwatch.db" "SELECT count(*) FROM audit_log WHERE action = 'unit.import' AND actor LIKE '%@cli'")" = 7 ]

# ---- a device's unit from the CLI: `device add/edit --unit CODE`, through the device change ---
bdb=$T/b/wardwatch.db
LANG=C.UTF-8 "$CLI" -c "$T/b.conf" device add --name "Máy CLI" --host 192.0.2.71 --unit no-such \
    >"$T/cli.out" 2>"$T/cli.err"
rc=$?
check "device add --unit with an unknown code is refused in words, nothing added (rc $rc: $(cat "$T/cli.err"))" \
    [ "$rc" = 1 -a "$(sqlite3 "$bdb" "SELECT count(*) FROM device")" = 0 ] &&
    grep -qF 'Mã đơn vị: không tìm thấy (no-such)' "$T/cli.err"
LANG=C.UTF-8 "$CLI" -c "$T/b.conf" device add --name "Máy CLI" --host 192.0.2.71 --unit sg \
    >"$T/cli.out" 2>"$T/cli.err"
dev=$(cat "$T/cli.out")
check "device add --unit places the device in the unit of that code, any capitals (rc $?)" \
    [ "$(sqlite3 "$bdb" "SELECT u.code FROM device d JOIN org_unit u ON u.id = d.unit_id WHERE d.id = '$dev'")" = SG -a \
      "$(sqlite3 "$bdb" "SELECT count(*) FROM device_unit WHERE device_id = '$dev' AND to_day IS NULL")" = 1 ]
LANG=C.UTF-8 "$CLI" -c "$T/b.conf" device edit "$dev" --unit HCM >"$T/cli.out" 2>"$T/cli.err"
check "device edit --unit moves it (rc $?), its unit's history kept" \
    [ "$(sqlite3 "$bdb" "SELECT u.code FROM device d JOIN org_unit u ON u.id = d.unit_id WHERE d.id = '$dev'")" = HCM ]
LANG=C.UTF-8 "$CLI" -c "$T/b.conf" device edit "$dev" --unit nope >"$T/cli.out" 2>"$T/cli.err"
rc=$?
check "device edit --unit with an unknown code is refused, the unit kept (rc $rc)" \
    [ "$rc" = 1 -a "$(sqlite3 "$bdb" "SELECT u.code FROM device d JOIN org_unit u ON u.id = d.unit_id WHERE d.id = '$dev'")" = HCM ] &&
    grep -qF 'Mã đơn vị: không tìm thấy (nope)' "$T/cli.err"
check "both changes audited as the CLI's, with the unit" \
    [ "$(sqlite3 "$bdb" "SELECT count(*) FROM audit_log WHERE source = 'cli' AND object_type = 'device' AND json_extract(after_json, '\$.unit_id') > 0")" = 2 ]
"$CLI" -c "$T/b.conf" unit list >"$T/cli.out" 2>"$T/cli.err"
check "unit list names every unit with its code (rc $?)" \
    [ "$(($(wc -l <"$T/cli.out") - 1))" = 7 ] && grep -q ' SG  *ward  *Phường Sài Gòn' "$T/cli.out"

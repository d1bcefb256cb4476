#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_staff_import.sh - the staff and training CSV imports over the real dashboard and the
# CLI (issue 17 item 6): broken rows refused by row, column and reason with nothing written;
# a code twice in the file; Vietnamese headers and words; a move through staff.c's history;
# one audit entry per import with counts and no person's data; a provider's list matched by
# name without diacritics, in capitals, with extra spaces and in NFD, the confirmation round
# trip (proposed, ambiguous, no match), a changed file refused, duplicates in the file and
# against the records; a 100,000-row attendance file; after every failed import the records
# are as they were (a dump of the tables compared); the permission (it may not import).
source "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null && command -v python3 >/dev/null || { fail "needs sqlite3 and python3"; exit 1; }
DATA=$T/data
CLI=$BIN/wardwatch
ADMIN_PW=staff-import-$RANDOM$RANDOM
ww_dashboard_data "$ADMIN_PW" tho:it nhansu:hr || { fail "init and users"; exit 1; }
db() { sqlite3 "$DATA/wardwatch.db" "$1"; }
# the records an import may touch, and its audit entries: equal before and after a failure
state() { sqlite3 "$DATA/wardwatch.db" ".dump staff staff_history training_record" | md5sum
          db "SELECT count(*) FROM audit_log WHERE action LIKE '%.import'"; }
db "INSERT INTO org_unit (id, code, name) VALUES (1, 'P-BT', 'UBND phường Bến Thành'), (2, 'P-SG', 'UBND phường Sài Gòn');
    INSERT INTO course (id, name, provider_kind, provider, hours) VALUES (1, 'Chữ ký số cho cán bộ một cửa', 'province_dept', 'Sở KH&CN', 8);
    INSERT INTO course_skill (course_id, skill_id, level) SELECT 1, id, 1 FROM skill WHERE code = 'digital_signature';
    INSERT INTO course_session (id, course_id, day, place) VALUES (1, 1, '2025-03-10', 'Hội trường');" ||
    { fail "fixture"; exit 1; }
TODAY=$(office date +%F)
TOMORROW=$(office date -d tomorrow +%F)

spawn dash "$BIN/wardwatch-dashboard" -c "$T/ww.conf"
PORT=$(wait_port_file "$T/port" 20) || { fail "dashboard started"; cat "$T/dash.log"; exit 1; }
ww_session hr "$PORT" nhansu "$ADMIN_PW-nhansu" || fail "hr logs in"
ww_session it "$PORT" tho "$ADMIN_PW-tho" || fail "it officer logs in"

# csv NAME PATH FILE [DIGEST CONFIRM]: POST a CSV file in session NAME, with the confirmation
# headers when given; prints the status, body in api.body
csv() {
    local h=()
    [ -n "${4:-}" ] && h=(-H "X-WW-Digest: $4" -H "X-WW-Confirm: $5")
    curl -s -o "$T/api.body" -w '%{http_code}' -b "$T/$1.jar" -X POST "${h[@]}" \
        -H "Origin: http://127.0.0.1:$PORT" -H "X-CSRF-Token: $(cat "$T/$1.csrf")" \
        -H 'Content-Type: text/csv' --data-binary "@$3" "http://127.0.0.1:$PORT$2"
}
# errs: every error of the last answer as "row:column:field:reason:param", one per line
errs() { python3 -c 'import json,sys
for e in json.load(open(sys.argv[1]))["errors"]:
    print("%s:%s:%s:%s:%s" % (e["row"], e["column"], e["field"], e["reason"], e["params"]["param"]))' "$T/api.body"; }

# ---- a staff list: broken rows, nothing written -------------------------------------------
printf '\xef\xbb\xbfMã cán bộ,Họ và tên,Đơn vị,Mã vị trí việc làm,Ngày bắt đầu,Đang làm việc\r\n%s' \
'NV-001,Nguyễn Văn Đức,P-BT,oss_officer,2024-01-02,Có
NV-002,Trần Thị Lan,P-XX,oss_officer,2024-13-01,1
nv-001 ,Trần Văn Bình,P-BT,,2024-01-02,
NV-004,=cmd(),P-BT,clerk,2024-01-02,1
NV-006,Hồ Văn Sáu,P-BT,thu_ky,2024-01-02,maybe
' >"$T/staff-bad.csv"
BEFORE=$(state)
code=$(csv hr /api/v1/staff/import "$T/staff-bad.csv")
# why each: an unknown unit code and a day that is not a calendar day; the same code
# (compared as names are) twice; a formula cell; an unknown role code and a word that is
# neither yes nor no
check "broken staff rows: 422 and each error at its row and column ($code)" [ "$code" = 422 -a \
    "$(errs | tr '\n' ' ')" = "3:3:unit_code:no_such:P-XX 3:5:start_day:not_date: 4:1:code:in_file:2 5:2:full_name:formula:=cmd() 6:4:role_code:no_such:thu_ky 6:6:active:not_boolean: " ]
check "the words are Vietnamese ($(jf errors.0.message))" [ "$(jf errors.0.message)" = "Mã đơn vị: không tìm thấy (P-XX)." ]
check "nothing written after the failed staff import" [ "$(state)" = "$BEFORE" ]
code=$(csv it /api/v1/staff/import "$T/staff-bad.csv")
check "the it officer may not import staff: 403 ($code)" [ "$code" = 403 ]

printf '%s\n' 'staff_code,full_name,unit,role_code,start_day,active' \
    'NV-001,Nguyễn Văn Đức,P-BT,oss_officer,2024-01-02,Có' \
    'NV-002,Trần Thị Lan,P-BT,oss_officer,2024-01-02,1' \
    'NV-003,Lê Văn An,UBND phường Sài Gòn,,2024-02-01,' \
    'NV-004,Trần Thị Lan,P-BT,clerk,2024-03-01,yes' \
    'NV-005,Phạm Thu Hà,P-SG,clerk,2024-03-01,không' >"$T/staff.csv"
code=$(csv hr '/api/v1/staff/import?only_valid=1' "$T/staff.csv")
check "only the valid rows is refused, not ignored: a list is all or nothing ($code $(errs | tr '\n' ' '))" \
    [ "${code:0:1}" = 4 -a "$(errs | tr '\n' ' ')" = "0:0:record:not_allowed:only_valid " -a "$(state)" = "$BEFORE" ]
code=$(csv hr '/api/v1/staff/import?dry_run=1' "$T/staff.csv")
check "a dry run of a good list: 200, 5 valid, nothing written ($code)" \
    [ "$code" = 200 -a "$(jf valid)" = 5 -a "$(jf written)" = 0 -a "$(state)" = "$BEFORE" ]
code=$(csv hr /api/v1/staff/import "$T/staff.csv")
check "the staff list imported: 5 added ($code $(jf added))" [ "$code" = 200 -a "$(jf added)" = 5 -a \
    "$(db 'SELECT count(*) FROM staff')" = 5 -a "$(db 'SELECT count(*) FROM staff_history')" = 4 ]
check "a unit named by its name, a person not active (no history row)" \
    [ "$(db "SELECT unit_id || active FROM staff WHERE code IN ('NV-003', 'NV-005') ORDER BY code" | tr '\n' ' ')" = "21 20 " ]
check "one audit entry staff.import with the counts only" [ \
    "$(db "SELECT count(*) || '|' || max(after_json) FROM audit_log WHERE action = 'staff.import' AND actor = 'nhansu'")" = \
    '1|{"rows":5,"added":5,"updated":0,"moved":0}' ]
check "no person's name in the audit log of the import" \
    [ "$(db "SELECT count(*) FROM audit_log WHERE action LIKE '%.import' AND (after_json LIKE '%Lan%' OR before_json IS NOT NULL)")" = 0 ]
P1=$(db "SELECT id FROM staff WHERE code = 'NV-001'"); P2=$(db "SELECT id FROM staff WHERE code = 'NV-002'")
P3=$(db "SELECT id FROM staff WHERE code = 'NV-003'"); P4=$(db "SELECT id FROM staff WHERE code = 'NV-004'")

# the CLI: an update that moves NV-003 into P-BT as a one-stop-shop officer
printf '%s\n' 'staff_code,full_name,unit,role_code,start_day,active' \
    'NV-003,Lê Văn An,P-BT,oss_officer,2024-02-01,1' >"$T/move.csv"
"$CLI" -c "$T/ww.conf" staff import "$T/move.csv" >"$T/cli.out" 2>"$T/cli.err"
check "the CLI updates a person (rc $?): the move closes a history row and opens one today" \
    [ "$(db "SELECT group_concat(h, ' ') FROM (SELECT unit_id || ':' || coalesce(to_day, '-') || ':' || from_day AS h FROM staff_history WHERE staff_id = $P3 ORDER BY id)")" = "2:$TODAY:2024-02-01 1:-:$TODAY" ]
BEFORE=$(state)
LANG=C.UTF-8 "$CLI" -c "$T/ww.conf" staff import "$T/staff-bad.csv" >"$T/cli.out" 2>"$T/cli.err"
rc=$?
check "the CLI refuses the broken list in Vietnamese (rc $rc)" [ "$rc" = 1 ] && \
    grep -qx 'row 3, column 3: Mã đơn vị: không tìm thấy (P-XX).' "$T/cli.err"
check "nothing written by the CLI's refused import" [ "$(state)" = "$BEFORE" ]

# ---- a provider's list: matching by name, the confirmation round trip ----------------------
NFD_AN=$(python3 -c 'import unicodedata; print(unicodedata.normalize("NFD", "lê văn an"))')
{
    echo 'staff_code,full_name,unit,course,session,completed_on,result,score,certificate_no,valid_until,evidence'
    echo 'NV-001,,,chu ky so cho can bo mot cua,,2025-03-10,passed,85,CK-1,,cc-01.pdf'
    echo ',"  NGUYEN  van   duc ",p-bt,1,,2025-04-01,Đạt,,,,'
    echo ",$NFD_AN,P-BT,1,2025-03-10,2025-03-10,attended,,,,"
    echo ',tran thi lan,P-BT,1,,2025-03-10,passed,,,,'
    echo ',Phạm Văn Không,P-BT,1,,2025-03-11,passed,,,,'
} >"$T/att.csv"
BEFORE=$(state)
code=$(csv hr /api/v1/training/import "$T/att.csv")
check "the first answer: 200, status confirm, 4 rows to confirm, nothing written ($code $(jf status))" \
    [ "$code" = 200 -a "$(jf status)" = confirm -a "$(jf pending)" = 4 -a "$(jf written)" = 0 -a "$(state)" = "$BEFORE" ]
# why: no diacritics, capitals and extra spaces fold to NV-001's name; NFD to NV-003's (who
# moved into P-BT today); two people called Trần Thị Lan in P-BT; nobody of that name
check "row 3 proposes NV-001, row 4 NV-003 (NFD), row 5 is ambiguous, row 6 has no match" [ \
    "$(python3 -c 'import json,sys
for m in json.load(open(sys.argv[1]))["matches"]:
    print(m["row"], m["state"], ",".join(p["code"] for p in m["people"]))' "$T/api.body" | tr '\n' ' ')" = \
    "3 proposed NV-001 4 proposed NV-003 5 ambiguous NV-002,NV-004 6 none  " ]
DIGEST=$(jf digest)
check "the digest is the file's SHA-256" [ "$DIGEST" = "$(sha256sum "$T/att.csv" | cut -d' ' -f1)" ]
code=$(csv hr /api/v1/training/import "$T/att.csv" "$DIGEST" "3:$P1,4:$P3,5:$P1,6:$P4")
check "a confirmation of someone not among the candidates: 422 not_one_of ($code)" [ "$code" = 422 -a \
    "$(errs)" = "5:0:staff_id:not_one_of:$P1" -a "$(state)" = "$BEFORE" ]
code=$(csv hr /api/v1/training/import "$T/att.csv" "$DIGEST" "2:$P1,3:$P1,4:$P3,5:$P2,6:$P4")
check "a confirmation of a row matched by its code: not_allowed ($code)" [ "$code" = 422 -a \
    "$(errs)" = "2:0:staff_id:not_allowed:" -a "$(state)" = "$BEFORE" ]
cp "$T/att.csv" "$T/att2.csv"
echo 'NV-002,,,1,,2025-05-01,passed,,,,' >>"$T/att2.csv"
code=$(csv hr /api/v1/training/import "$T/att2.csv" "$DIGEST" "3:$P1,4:$P3,5:$P2,6:$P4")
check "the confirmations sent with a changed file: 400 file_changed, nothing written ($code)" \
    [ "$code" = 400 -a "$(jf errors.0.reason)" = file_changed -a "$(state)" = "$BEFORE" ]
code=$(csv hr /api/v1/training/import "$T/att.csv" "$DIGEST" "3:$P1,4:$P3,5:$P2,6:$P4")
check "confirmed: 200 done, 5 records written ($code $(jf status) $(jf written))" \
    [ "$code" = 200 -a "$(jf status)" = done -a "$(jf written)" = 5 ]
check "the records: source import, to the confirmed people, the session found by its day" [ \
    "$(db "SELECT group_concat(staff_id || ':' || result || ':' || coalesce(session_id, '-'), ' ') FROM (SELECT * FROM training_record WHERE source = 'import' ORDER BY id)")" = \
    "$P1:passed:- $P1:passed:- $P3:attended:1 $P2:passed:- $P4:passed:-" ]
check "valid_until from the skill's validity (24 months)" \
    [ "$(db "SELECT valid_until FROM training_record WHERE certificate_no = 'CK-1'")" = 2027-03-10 ]
check "one audit entry training.import with the counts" [ \
    "$(db "SELECT count(*) || '|' || max(after_json) FROM audit_log WHERE action = 'training.import'")" = '1|{"rows":5,"written":5}' ]

# ---- duplicates and broken rows -------------------------------------------------------------
BEFORE=$(state)
code=$(csv hr /api/v1/training/import "$T/att.csv")
check "the same file again: row 2 exists against the records ($code)" [ "$code" = 422 ] && \
    errs | grep -qx '2:6:completed_on:exists:#[0-9]*'
{
    echo 'staff_code,full_name,unit,course,session,completed_on,result,score,certificate_no,valid_until,evidence'
    echo 'NV-002,,,1,,2025-06-01,passed,,,,'
    echo 'nv-002,,,Chữ ký số cho cán bộ một cửa,,2025-06-01,failed,,,,'
    echo 'NV-999,,,1,,2025-06-01,passed,,,,'
    echo 'NV-004,,,Tin học văn phòng,,2025-06-01,passed,,,,'
    echo 'NV-004,,,1,,2025-02-30,passed,,,,'
    echo "NV-004,,,1,,$TOMORROW,passed,,,,"
    echo 'NV-004,,,1,,2025-06-02,maybe,,,,'
    echo 'NV-004,,,1,,2025-06-03,passed,abc,,,'
    echo 'NV-004,,,1,,2025-06-04,passed,101,,,'
    echo 'NV-004,,,1,,2025-06-05,passed,,,,../../etc/passwd'
    echo 'NV-004,,,1,2025-01-01,2025-06-06,passed,,,,'
} >"$T/att-bad.csv"
code=$(csv hr /api/v1/training/import "$T/att-bad.csv")
# why each: the same person, course and day twice in the file; an unknown staff code; an
# unknown course name; 30 February; a day in the future; a result that is not one; a score
# that is not a number and one out of range; an evidence name that is a path; no session
# of that course on that day
check "broken attendance rows: 422 and each at its row and column ($code)" [ "$code" = 422 -a \
    "$(errs | tr '\n' ' ')" = "3:6:completed_on:in_file:2 4:1:code:no_such:NV-999 5:4:course_id:no_such:Tin học văn phòng 6:6:completed_on:not_date: 7:6:completed_on:in_future: 8:7:result:not_one_of: 9:8:score:not_number:abc 10:8:score:out_of_range:0..100 11:11:evidence:not_file_name: 12:5:session_id:no_such:2025-01-01 " ]
check "nothing written after the failed attendance imports" [ "$(state)" = "$BEFORE" ]

# ---- the CLI's round trip ---------------------------------------------------------------------
printf '%s\n' 'staff_code,full_name,unit,course,session,completed_on,result,score,certificate_no,valid_until,evidence' \
    ',PHAM THU HA,,1,,2025-07-01,passed,,,,' >"$T/cli-att.csv"
LANG=en_US.UTF-8 "$CLI" -c "$T/ww.conf" training import "$T/cli-att.csv" >"$T/cli.out" 2>"$T/cli.err"
rc=$?
CDIG=$(sed -n 's/^File digest: //p' "$T/cli.out")
check "the CLI lists the row to confirm, in English (rc $rc)" [ "$rc" = 3 -a -n "$CDIG" ] && \
    grep -q '^row 2: proposed #[0-9]* NV-005 Phạm Thu Hà (P-SG)' "$T/cli.out"
P5=$(db "SELECT id FROM staff WHERE code = 'NV-005'")
"$CLI" -c "$T/ww.conf" training import --digest "$CDIG" --confirm "2=$P5" "$T/cli-att.csv" >"$T/cli.out" 2>"$T/cli.err"
check "the CLI writes it once confirmed (rc $?)" [ "$(db "SELECT count(*) FROM training_record WHERE staff_id = $P5")" = 1 ]

# ---- 100,000 rows ---------------------------------------------------------------------------------
python3 - "$T" <<'EOF'
import sys, datetime
t = sys.argv[1]
with open(t + "/staff-big.csv", "w") as f:
    f.write("staff_code,full_name,unit,role_code,start_day,active\n")
    for i in range(1000):
        f.write("B-%04d,Người Số %d,P-BT,clerk,2020-01-01,1\n" % (i, i))
d0 = datetime.date(2020, 1, 1)
with open(t + "/att-big.csv", "w") as f:
    f.write("staff_code,full_name,unit,course,session,completed_on,result,score,certificate_no,valid_until,evidence\n")
    for i in range(1000):
        for j in range(100):
            f.write("B-%04d,,,1,,%s,passed,%d,,,\n" % (i, d0 + datetime.timedelta(days=j), j % 101))
EOF
code=$(csv hr /api/v1/staff/import "$T/staff-big.csv")
check "1,000 more people imported ($code)" [ "$code" = 200 -a "$(jf added)" = 1000 ]
N0=$(db 'SELECT count(*) FROM training_record')
code=$(csv hr /api/v1/training/import "$T/att-big.csv")
check "a 100,000-row attendance file imported ($code $(jf written))" [ "$code" = 200 -a "$(jf written)" = 100000 -a \
    "$(db 'SELECT count(*) FROM training_record')" = $((N0 + 100000)) ]
BEFORE=$(state)
echo 'B-0001,,,1,,2020-01-01,passed,,,,' >>"$T/att-big.csv"
code=$(curl -s -o "$T/api.body" -w '%{http_code}' -b "$T/hr.jar" -X POST \
    -H "Origin: http://127.0.0.1:$PORT" -H "X-CSRF-Token: $(cat "$T/hr.csrf")" \
    -H 'Content-Type: text/csv' --data-binary "@$T/att-big.csv" "http://127.0.0.1:$PORT/api/v1/training/import")
check "100,001 rows: the file refused, nothing written ($code)" [ "$code" = 400 -a "$(jf errors.0.reason)" = too_many -a "$(state)" = "$BEFORE" ]
exit 0

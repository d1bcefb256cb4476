#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_training.sh - staff and training over the real dashboard (issue 17): the catalogue
# `wardwatch init` loads; hr adds a person, a course, a training record and its correction;
# the append-only register refuses a second correction of one record; the gap matrix and
# compliance of a day; the permission matrix of every route for every role (a manager sees
# names and unit summaries but no full record, transcript or gap matrix; it and viewer see
# nothing of staff); a full-record read written to the audit log; the kept gap data and
# compliance reply follow every audited change (a person, a record, a requirement) at once.
source "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null && command -v python3 >/dev/null || { fail "needs sqlite3 and python3"; exit 1; }
DATA=$T/data
ADMIN_PW=training-test-$RANDOM$RANDOM
ww_dashboard_data "$ADMIN_PW" tho:it sep:manager nhansu:hr xem:viewer || { fail "init and users"; exit 1; }
db() { sqlite3 "$DATA/wardwatch.db" "$1"; }
check "init loaded the catalogue: 5 roles, 8 skills" [ "$(db 'SELECT count(*) FROM job_role')" = 5 -a "$(db 'SELECT count(*) FROM skill')" = 8 ]
db "INSERT INTO org_unit (id, name) VALUES (1, 'UBND phường Bến Thành');" || { fail "fixture"; exit 1; }
OSS=$(db "SELECT id FROM job_role WHERE code = 'oss_officer'")
SIG=$(db "SELECT id FROM skill WHERE code = 'digital_signature'")

spawn dash "$BIN/wardwatch-dashboard" -c "$T/ww.conf"
PORT=$(wait_port_file "$T/port" 20) || { fail "dashboard started"; cat "$T/dash.log"; exit 1; }
ww_session ad "$PORT" admin "$ADMIN_PW" || fail "admin logs in"
ww_session it "$PORT" tho "$ADMIN_PW-tho" || fail "it officer logs in"
ww_session mg "$PORT" sep "$ADMIN_PW-sep" || fail "manager logs in"
ww_session hr "$PORT" nhansu "$ADMIN_PW-nhansu" || fail "hr logs in"
ww_session vw "$PORT" xem "$ADMIN_PW-xem" || fail "viewer logs in"

# ---- hr keeps the register ----------------------------------------------------------------
r=$(ww_api hr "$PORT" POST /api/v1/staff "{\"code\":\"NV-001\",\"full_name\":\"Nguyễn Thị <b>Lan</b>\",\"unit_id\":1,\"role_id\":$OSS,\"start_day\":\"2024-01-02\"}")
check "hr adds a person (${r%% *})" [ "${r%% *}" = 201 -a "$(jf role)" = "Cán bộ một cửa" ]
P1=$(jf id)
r=$(ww_api hr "$PORT" POST /api/v1/staff '{"code":"nv-001","full_name":"Trần Văn Bình","unit_id":1,"start_day":"2024-01-02"}')
check "a code that compares as another's: 409 exists in Vietnamese (${r%% *} $(jf error.message))" \
    [ "${r%% *}" = 409 -a "$(jf error.field)" = code -a "$(jf error.message)" = "Mã: đã tồn tại." ]
r=$(ww_api hr "$PORT" POST /api/v1/courses "{\"name\":\"Chữ ký số cho cán bộ một cửa\",\"provider_kind\":\"province_dept\",\"provider\":\"Sở KH&CN\",\"hours\":8,\"skills\":[{\"skill_id\":$SIG,\"level\":1}]}")
check "hr adds a course granting digital signature (${r%% *})" [ "${r%% *}" = 201 -a "$(jf skills.0.level)" = 1 ]
C1=$(jf id)
r=$(ww_api hr "$PORT" POST "/api/v1/staff/$P1/training" "{\"course_id\":$C1,\"completed_on\":\"2024-03-01\",\"result\":\"failed\",\"evidence\":\"../../etc/passwd\"}")
check "an evidence name that is a path: 400 not_file_name (${r%% *})" \
    [ "${r%% *}" = 400 -a "$(jf error.field)" = evidence -a "$(jf error.reason)" = not_file_name ]
r=$(ww_api hr "$PORT" POST "/api/v1/staff/$P1/training" "{\"course_id\":$C1,\"completed_on\":\"2024-03-01\",\"result\":\"failed\",\"evidence\":\"chung-chi-01.pdf\"}")
check "hr records a training (${r%% *}), valid for the skill's 24 months" \
    [ "${r%% *}" = 201 -a "$(jf valid_until)" = 2026-03-01 ]
T1=$(jf id)
r=$(ww_api hr "$PORT" POST "/api/v1/staff/$P1/training" "{\"course_id\":$C1,\"completed_on\":\"2024-03-01\",\"result\":\"passed\",\"corrects\":$T1}")
check "a correction is a new record naming the one it replaces (${r%% *})" [ "${r%% *}" = 201 -a "$(jf corrects)" = "$T1" ]
T2=$(jf id)
r=$(ww_api hr "$PORT" POST "/api/v1/staff/$P1/training" "{\"course_id\":$C1,\"completed_on\":\"2024-03-01\",\"result\":\"passed\",\"corrects\":$T1}")
check "the same record is not corrected twice (${r%% *})" [ "${r%% *}" = 400 -a "$(jf error.reason)" = corrected ]
check "nothing was changed or removed: two records" [ "$(db 'SELECT count(*) FROM training_record')" = 2 ]

r=$(ww_api hr "$PORT" GET "/api/v1/training/gaps?unit=1&day=2026-02-15")
check "the gap matrix of 15/02/2026: the signature expires in 14 days, met by the correction (${r%% *})" \
    [ "${r%% *}" = 200 -a "$(jf total)" = 1 -a "$(python3 -c 'import json,sys
b=json.load(open(sys.argv[1])); c=[c for c in b["items"][0]["cells"] if c["skill_id"]==int(sys.argv[2])][0]
print(c["state"], c["record_id"], c["role_id"])' "$T/api.body" "$SIG")" = "expiring_30 $T2 $OSS" ]
r=$(ww_api hr "$PORT" GET "/api/v1/training/gaps?unit=1&day=2026-03-02")
check "and on 02/03/2026 it has expired" [ "$(python3 -c 'import json,sys
b=json.load(open(sys.argv[1])); print([c["state"] for c in b["items"][0]["cells"] if c["skill_id"]==int(sys.argv[2])][0])' "$T/api.body" "$SIG")" = expired ]
r=$(ww_api hr "$PORT" GET "/api/v1/training/gaps?day=31/12/2026")
check "a day not as YYYY-MM-DD: 400 (${r%% *})" [ "${r%% *}" = 400 ]
r=$(ww_api hr "$PORT" POST /api/v1/training/targets "{\"unit_id\":1,\"skill_id\":$SIG,\"level\":1,\"pct\":80,\"from_day\":\"2024-01-01\",\"deadline\":\"2024-06-30\"}")
check "hr sets a unit target (${r%% *})" [ "${r%% *}" = 201 ]
r=$(ww_api mg "$PORT" GET "/api/v1/training/compliance?day=2024-07-01")
check "a manager reads unit compliance and the target month by month, reached on 01/03/2024 (${r%% *})" \
    [ "${r%% *}" = 200 -a "$(jf units.0.pct)" = 20 -a "$(jf targets.0.reached_on)" = 2024-03-01 -a "$(jf targets.0.months.1.pct)" = 0 -a "$(jf targets.0.months.2.pct)" = 100 ]

# ---- Decree 13: who sees what ------------------------------------------------------------
r=$(ww_api mg "$PORT" GET /api/v1/staff)
check "a manager sees names and units only (${r%% *})" \
    [ "${r%% *}" = 200 -a "$(jf items.0.full_name)" = "Nguyễn Thị <b>Lan</b>" -a "$(jf items.0.code)" = null -a "$(jf items.0.start_day)" = null ]
r=$(ww_api hr "$PORT" GET /api/v1/staff)
check "hr sees the full list" [ "$(jf items.0.code)" = NV-001 -a "$(jf items.0.start_day)" = 2024-01-02 ]
before=$(db "SELECT count(*) FROM audit_log WHERE action LIKE 'staff.%' AND object_type = 'staff' AND object_id = '$P1' AND actor = 'nhansu' AND action IN ('staff.read', 'staff.transcript')")
r=$(ww_api hr "$PORT" GET "/api/v1/staff/$P1/transcript")
check "hr reads the transcript with the correction chain (${r%% *})" \
    [ "${r%% *}" = 200 -a "$(jf records.0.id)" = "$T2" -a "$(jf records.1.corrected_by)" = "$T2" -a "$(jf history.0.from_day)" = 2024-01-02 ]
check "the read is in the audit log, by whom" \
    [ "$(db "SELECT count(*) FROM audit_log WHERE action = 'staff.transcript' AND object_type = 'staff' AND object_id = '$P1' AND actor = 'nhansu'")" = $((before + 1)) ]

# every route x role: the status a role gets (403 = refused before anything is done)
matrix() { # METHOD PATH BODY admin it manager hr viewer
    local m=$1 p=$2 b=$3; shift 3
    local who=(ad it mg hr vw) i=0 got want
    for want in "$@"; do
        r=$(ww_api "${who[$i]}" "$PORT" "$m" "$p" "$b")
        got=${r%% *}
        if [ "$want" = 403 ]; then
            [ "$got" = 403 ] || { fail "$m $p as ${who[$i]}: want 403, got $got"; return; }
        else
            # allowed: let through to the handler, which answered (a 5xx is a failure too)
            [ "$got" != 403 -a "$got" != 401 -a "${got:0:1}" != 5 -a -n "$got" ] ||
                { fail "$m $p as ${who[$i]}: want allowed, got $got"; return; }
        fi
        i=$((i + 1))
    done
    ok "$m $p: $*"
}
Y=ok
matrix GET /api/v1/staff '' $Y 403 $Y $Y 403
matrix GET "/api/v1/staff/$P1" '' $Y 403 403 $Y 403
matrix GET "/api/v1/staff/$P1/transcript" '' $Y 403 403 $Y 403
matrix GET "/api/v1/training/gaps?unit=1" '' $Y 403 403 $Y 403
matrix GET /api/v1/training/compliance '' $Y 403 $Y $Y 403
matrix GET /api/v1/training/targets '' $Y 403 $Y $Y 403
matrix GET /api/v1/training/units '' $Y 403 $Y $Y 403
matrix GET /api/v1/job-roles '' $Y 403 $Y $Y 403
matrix GET /api/v1/skills '' $Y 403 $Y $Y 403
matrix GET /api/v1/courses '' $Y 403 $Y $Y 403
matrix GET /api/v1/course-sessions '' $Y 403 $Y $Y 403
matrix POST /api/v1/staff '{}' $Y 403 403 $Y 403
matrix PATCH "/api/v1/staff/$P1" '{}' $Y 403 403 $Y 403
matrix POST "/api/v1/staff/$P1/training" '{}' $Y 403 403 $Y 403
matrix POST /api/v1/job-roles '{}' $Y 403 403 $Y 403
matrix PATCH "/api/v1/job-roles/$OSS" '{}' $Y 403 403 $Y 403
matrix POST "/api/v1/job-roles/$OSS/requirements" '{}' $Y 403 403 $Y 403
matrix POST /api/v1/skills '{}' $Y 403 403 $Y 403
matrix PATCH "/api/v1/skills/$SIG" '{}' $Y 403 403 $Y 403
matrix POST /api/v1/courses '{}' $Y 403 403 $Y 403
matrix PATCH "/api/v1/courses/$C1" '{}' $Y 403 403 $Y 403
matrix POST /api/v1/course-sessions '{}' $Y 403 403 $Y 403
matrix PATCH /api/v1/course-sessions/1 '{}' $Y 403 403 $Y 403
matrix POST /api/v1/course-sessions/1/attendance '{}' $Y 403 403 $Y 403
matrix POST /api/v1/training/targets '{}' $Y 403 403 $Y 403
matrix DELETE /api/v1/training/targets/999 '' $Y 403 403 $Y 403
matrix GET /api/v1/equipment-skills '' $Y $Y $Y $Y $Y
matrix POST /api/v1/equipment-skills '{}' $Y 403 403 $Y 403
r=$(ww_api mg "$PORT" GET "/api/v1/staff/$P1")
check "a refused read is not a read: no audit entry for the manager" \
    [ "$(db "SELECT count(*) FROM audit_log WHERE action LIKE 'staff.%' AND actor = 'sep'")" = 0 ]

# ---- equipment requirements: not personal data, read by the it officer too ---------------
r=$(ww_api hr "$PORT" POST /api/v1/equipment-skills "{\"device_kind\":\"pc\",\"skill_id\":$SIG,\"level\":1}")
check "hr says a PC requires digital signature (${r%% *})" [ "${r%% *}" = 200 -a "$(jf 0.device_kind)" = pc ]
r=$(ww_api hr "$PORT" POST /api/v1/equipment-skills "{\"device_kind\":\"toaster\",\"skill_id\":$SIG,\"level\":1}")
check "a kind that is not a device kind: 400 not_one_of (${r%% *})" [ "${r%% *}" = 400 -a "$(jf error.field)" = device_kind ]
r=$(ww_api it "$PORT" GET /api/v1/equipment-skills)
check "the it officer reads the skills tied to equipment, the catalogue's and hr's (${r%% *})" \
    [ "${r%% *}" = 200 -a "$(python3 -c 'import json,sys
print(sorted(i["skill"] for i in json.load(open(sys.argv[1]))["items"] if i["device_kind"] == "pc"))' "$T/api.body")" = "['Chữ ký số', 'Kỹ năng số cơ bản']" ]

# ---- who attended is personal data: the manager gets a count --------------------------------
r=$(ww_api hr "$PORT" POST /api/v1/course-sessions "{\"course_id\":$C1,\"day\":\"2024-05-02\",\"place\":\"Hội trường\",\"trainer\":\"Sở KH&CN\",\"capacity\":20}")
S1=$(jf id)
check "hr adds a session (${r%% *})" [ "${r%% *}" = 201 ]
r=$(ww_api hr "$PORT" POST "/api/v1/course-sessions/$S1/attendance" "{\"staff_id\":$P1}")
check "hr records who attended (${r%% *})" [ "${r%% *}" = 200 -o "${r%% *}" = 201 ]
r=$(ww_api hr "$PORT" GET /api/v1/course-sessions)
check "hr sees who attended" [ "${r%% *}" = 200 -a "$(jf items.0.attendees.0)" = "$P1" ]
r=$(ww_api mg "$PORT" GET /api/v1/course-sessions)
check "the manager sees how many attended, not who (${r%% *})" \
    [ "${r%% *}" = 200 -a "$(jf items.0.attendee_count)" = 1 -a "$(jf items.0.attendees)" = null ]

# ---- edits -------------------------------------------------------------------------------
r=$(ww_api hr "$PORT" PATCH "/api/v1/staff/$P1" '{"role_id":null,"move_day":"2025-01-01"}')
check "a role change on a day (${r%% *})" [ "${r%% *}" = 200 -a "$(jf role_id)" = null ]
check "the history keeps both rows" [ "$(db "SELECT group_concat(coalesce(role_id, '-') || ':' || from_day || ':' || coalesce(to_day, ''), ' ') FROM staff_history WHERE staff_id = $P1 ORDER BY from_day")" = "$OSS:2024-01-02:2025-01-01 -:2025-01-01:" ]
r=$(ww_api hr "$PORT" PATCH "/api/v1/skills/$SIG" '{"validity_months":36}')
check "hr edits a skill (${r%% *})" [ "${r%% *}" = 200 -a "$(jf validity_months)" = 36 -a "$(jf code)" = digital_signature ]
r=$(ww_api hr "$PORT" POST "/api/v1/job-roles/$OSS/requirements" "{\"skill_id\":$SIG,\"level\":5}")
check "a level the skill does not have: 400 out_of_range (${r%% *})" [ "${r%% *}" = 400 -a "$(jf error.field)" = skill_level ]
r=$(ww_api hr "$PORT" POST "/api/v1/job-roles/$OSS/requirements" "{\"skill_id\":$SIG,\"level\":4294967297}")
check "a level that would wrap to 1 in an int is refused (${r%% *} $(jf error.reason))" \
    [ "${r%% *}" = 400 -a "$(jf error.reason)" = not_integer ]
r=$(ww_api hr "$PORT" POST /api/v1/staff '{"code":"NV-2","full_name":"X","start_day":"2024-01-01","salary":1}')
check "an unknown field: 400 unknown_field (${r%% *})" [ "${r%% *}" = 400 -a "$(jf error.reason)" = unknown_field ]
check "every change is audited by object type" \
    [ "$(db "SELECT group_concat(DISTINCT object_type) FROM (SELECT object_type FROM audit_log WHERE actor = 'nhansu' AND action NOT LIKE 'session.%' AND action NOT LIKE 'login%' ORDER BY object_type)")" = "course,equipment,role,skill,staff,target,training" ]

# ---- equipment held without its skill (v17: a device's holder is a staff record) ---------------
# P1 has had no role since 2025-01-01; the PC hr said requires digital signature (above) is
# handed to P1 today: the signature (valid until 2026-03-01) is required through the device
TODAY=$(office date +%F)
YR=${TODAY%%-*}
db "INSERT INTO plan_price VALUES ('pc', 15000000); INSERT INTO plan_budget VALUES (1, $YR, 100000000),
    (1, $((YR + 1)), 100000000), (1, $((YR + 2)), 100000000);" || fail "the plan's price and budgets"
r=$(ww_api ad "$PORT" POST /api/v1/devices "{\"name\":\"Máy một cửa 1\",\"kind\":\"pc\",\"host\":\"192.0.2.61\",\"unit_id\":1,\"criticality\":\"one_stop_counter\",\"purchase_date\":\"2014-01-01\",\"assigned_staff_id\":$P1}")
D1=$(jf id)
check "a device handed to a staff record takes the person's name (${r%% *})" \
    [ "${r%% *}" = 201 -a "$(jf assigned_to)" = "Nguyễn Thị <b>Lan</b>" -a "$(jf assigned_staff_id)" = "$P1" ]
check "its assignment row names the person" \
    [ "$(db "SELECT staff_id || ':' || from_day FROM device_assignment WHERE device_id = $D1 AND to_day IS NULL")" = "$P1:$TODAY" ]
r=$(ww_api ad "$PORT" POST /api/v1/devices '{"name":"Máy lạ","kind":"pc","host":"192.0.2.62","assigned_staff_id":999999}')
check "a holder no staff record has: 400 assigned_staff no_such (${r%% *})" \
    [ "${r%% *}" = 400 -a "$(jf error.field)" = assigned_staff -a "$(jf error.reason)" = no_such ]
r=$(ww_api hr "$PORT" GET "/api/v1/training/gaps?unit=1")
check "the gap matrix gives the device as the reason, not a role (${r%% *})" \
    [ "$(python3 -c 'import json,sys
b=json.load(open(sys.argv[1])); c=[c for c in b["items"][0]["cells"] if c["skill_id"]==int(sys.argv[2])][0]
print(c["state"], c["role_id"], c["device"]["id"], c["device"]["held_from"])' "$T/api.body" "$SIG")" = "expired 0 $D1 $TODAY" ]
r=$(ww_api it "$PORT" GET "/api/v1/reports/untrained?unit=1")
# the counter PC requires (catalogue) basic digital skills as a PC, the one-stop-shop software
# and the signature as a counter, and (hr, above) the signature as a PC: three requirements
sig_item() { python3 -c 'import json,sys
b=json.load(open(sys.argv[1])); x=[i for i in b[sys.argv[3]] if i["skill_id"]==int(sys.argv[2])]
print(len(x), *(x[0][k] for k in sys.argv[4:]))' "$T/api.body" "$SIG" "$@"; }
check "the it officer sees the device held without its skills: holder, skill, state, no record id (${r%% *}, $(jf total))" \
    [ "${r%% *}" = 200 -a "$(jf total)" = 3 -a "$(sig_item items id holder skill state)" = "1 $D1 Nguyễn Thị <b>Lan</b> Chữ ký số expired" \
      -a "$(jf items.0.record_id)" = null ]
check "a 12-year-old PC the plan replaces: its holder is to be trained first ($(sig_item before_plan plan_year))" \
    [ "$(sig_item before_plan id)" = "1 $D1" -a "$(sig_item before_plan plan_year | cut -d' ' -f2)" -ge "${TODAY%%-*}" ]
r=$(ww_api it "$PORT" GET "/api/v1/reports/untrained?kind=toaster")
check "a kind that is none: 400 (${r%% *})" [ "${r%% *}" = 400 ]
r=$(ww_api it "$PORT" GET "/api/v1/reports/untrained?kind=printer")
check "the kind filter: no printer is held without its skill ($(jf total))" [ "${r%% *}" = 200 -a "$(jf total)" = 0 ]
r=$(ww_api mg "$PORT" GET "/api/v1/reports/untrained.csv?unit=1")
# the plan replaces the PC this year: the same three again, in the plan's list
check "the CSV in the reader's words: BOM, header, three rows now and three for the plan (${r%% *})" \
    [ "${r%% *}" = 200 -a "$(head -c 3 "$T/api.body" | od -An -tx1 | tr -d ' ')" = efbbbf -a "$(grep -c 'Chữ ký số' "$T/api.body")" = 2 \
      -a "$(tr -d '\r' <"$T/api.body" | wc -l)" = 7 -a "$(grep -c 'Đã hết hạn.*Trước khi nhận máy mới' "$T/api.body")" = 1 ]
matrix GET /api/v1/reports/untrained '' $Y $Y $Y $Y 403
matrix GET /api/v1/reports/untrained.csv '' $Y $Y $Y $Y 403
"$BIN/wardwatch" -c "$T/ww.conf" device edit "$D1" --holder nv-404 >"$T/cli.out" 2>&1
check "CLI --holder with a code no one has: refused, exit 1 ($?)" [ $? = 1 ]
"$BIN/wardwatch" -c "$T/ww.conf" device edit "$D1" --assigned-to 'Người khác' >"$T/cli.out" 2>&1
rc=$?
r=$(ww_api it "$PORT" GET "/api/v1/reports/untrained?unit=1")
check "CLI --assigned-to a typed name: nobody's record, nothing required (rc $rc, $(jf total))" \
    [ "$rc" = 0 -a "$(jf total)" = 0 -a "$(db "SELECT count(*) FROM device_assignment WHERE device_id = $D1")" = 2 ]
"$BIN/wardwatch" -c "$T/ww.conf" device edit "$D1" --holder ' NV-001 ' >"$T/cli.out" 2>&1
rc=$?
r=$(ww_api it "$PORT" GET "/api/v1/reports/untrained?unit=1")
check "CLI --holder by code (as codes compare): the person again (rc $rc, $(jf total))" \
    [ "$rc" = 0 -a "$(jf total)" = 3 -a "$(db "SELECT assigned_staff_id FROM device WHERE id = $D1")" = "$P1" ]

# ---- the kept gap data (api_training.c): the dashboard keeps the last load and the
# compliance reply while inventory's change mark stays; each case is an audited change made
# between two reads of the same page, and the second read must show it ----------------------
cell() { # STAFF SKILL: that person's cell state in the last gaps body, "none" without one
    python3 -c 'import json,sys
b=json.load(open(sys.argv[1])); rows=[r for r in b["items"] if r["staff_id"]==int(sys.argv[2])]
c=[c["state"] for r in rows for c in r["cells"] if c["skill_id"]==int(sys.argv[3])]
print(c[0] if c else "none")' "$T/api.body" "$1" "$2"
}
DAY=2026-02-15
r=$(ww_api hr "$PORT" GET "/api/v1/training/gaps?unit=1&day=$DAY")
n0=$(jf total)
r=$(ww_api hr "$PORT" POST /api/v1/staff "{\"code\":\"NV-003\",\"full_name\":\"Lê Văn Cường\",\"unit_id\":1,\"role_id\":$OSS,\"start_day\":\"2024-01-02\"}")
P3=$(jf id)
r=$(ww_api hr "$PORT" GET "/api/v1/training/gaps?unit=1&day=$DAY")
check "kept: a person added after a read of the matrix is in the next one, signature missing ($(jf total) rows, was $n0)" \
    [ "$(jf total)" = $((n0 + 1)) -a "$(cell "$P3" "$SIG")" = missing ]
r=$(ww_api mg "$PORT" GET "/api/v1/training/compliance?day=$DAY")
met0=$(jf units.0.reqs_met)
r=$(ww_api mg "$PORT" GET "/api/v1/training/compliance?day=$DAY")
check "kept: the compliance read twice with no change between is the same ($(jf units.0.reqs_met))" \
    [ "${r%% *}" = 200 -a "$(jf units.0.reqs_met)" = "$met0" -a "$(jf day)" = "$DAY" ]
r=$(ww_api hr "$PORT" POST "/api/v1/staff/$P3/training" "{\"course_id\":$C1,\"completed_on\":\"2026-01-10\",\"result\":\"passed\"}")
r=$(ww_api mg "$PORT" GET "/api/v1/training/compliance?day=$DAY")
check "kept: a training record added after a compliance read counts in the next one ($(jf units.0.reqs_met), was $met0)" \
    [ "$(jf units.0.reqs_met)" = $((met0 + 1)) ]
r=$(ww_api hr "$PORT" GET "/api/v1/training/gaps?unit=1&day=$DAY")
check "kept: and the matrix shows the signature valid" [ "$(cell "$P3" "$SIG")" = valid ]
r=$(ww_api hr "$PORT" POST "/api/v1/job-roles/$OSS/requirements" "{\"skill_id\":$SIG,\"level\":0}")
r=$(ww_api hr "$PORT" GET "/api/v1/training/gaps?unit=1&day=$DAY")
check "kept: a requirement removed after a read is gone from the next matrix" [ "$(cell "$P3" "$SIG")" = none ]
r=$(ww_api mg "$PORT" GET "/api/v1/training/compliance?day=2026-02-16")
check "kept: another day is computed for that day, not the kept one's ($(jf day))" [ "${r%% *}" = 200 -a "$(jf day)" = 2026-02-16 ]
r=$(ww_api hr "$PORT" GET "/api/v1/training/gaps?unit=1&day=$DAY")
r=$(ww_api hr "$PORT" GET "/api/v1/training/gaps?unit=999&day=$DAY")
check "kept: each unit has its own page: unit 999 right after unit 1 has nobody ($(jf total))" \
    [ "${r%% *}" = 200 -a "$(jf total)" = 0 -a "$(jf unit_id)" = 999 ]
r=$(ww_api hr "$PORT" GET "/api/v1/training/gaps?unit=1&day=2026-02-16")
check "kept: and each day: unit 1 on another day is that day's ($(jf day), $(jf total) rows)" \
    [ "$(jf day)" = 2026-02-16 -a "$(jf total)" = $((n0 + 1)) ]

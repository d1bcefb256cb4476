#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_trainplan.sh - proposed training sessions over the real dashboard (issue 17 item 4):
# hr's register through the API (people, a course granting digital signature, a session of
# capacity 2, a record about to expire); GET /api/v1/training/proposals groups the unit's
# people who lack the skill into sessions of 2, most urgent first, a unit merged in counting
# in the unit it merged into, a skill no course grants flagged; what a manager sees (names and
# counts) and hr (ids, states, dates); bad parameters; the permission matrix for every role;
# hr's "one click" (a session, then its attendance) through the existing audited routes.
source "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null && command -v python3 >/dev/null || { fail "needs sqlite3 and python3"; exit 1; }
DATA=$T/data
ADMIN_PW=trainplan-test-$RANDOM$RANDOM
ww_dashboard_data "$ADMIN_PW" tho:it sep:manager nhansu:hr xem:viewer || { fail "init and users"; exit 1; }
db() { sqlite3 "$DATA/wardwatch.db" "$1"; }
# unit 2 merged into unit 1 on 2025-07-01 (the merger's own rows, as inventory writes them)
db "INSERT INTO org_unit (id, name) VALUES (1, 'UBND phường Bến Thành'), (2, 'Phường Cũ');" ||
    { fail "fixture"; exit 1; }
OSS=$(db "SELECT id FROM job_role WHERE code = 'oss_officer'")
SIG=$(db "SELECT id FROM skill WHERE code = 'digital_signature'")
VC=$(db "SELECT id FROM skill WHERE code = 'video_conf'")

spawn dash "$BIN/wardwatch-dashboard" -c "$T/ww.conf"
PORT=$(wait_port_file "$T/port" 20) || { fail "dashboard started"; cat "$T/dash.log"; exit 1; }
ww_session ad "$PORT" admin "$ADMIN_PW" || fail "admin logs in"
ww_session it "$PORT" tho "$ADMIN_PW-tho" || fail "it officer logs in"
ww_session mg "$PORT" sep "$ADMIN_PW-sep" || fail "manager logs in"
ww_session hr "$PORT" nhansu "$ADMIN_PW-nhansu" || fail "hr logs in"
ww_session vw "$PORT" xem "$ADMIN_PW-xem" || fail "viewer logs in"

# the oss officer requires video conferencing too, which no course grants
r=$(ww_api hr "$PORT" POST "/api/v1/job-roles/$OSS/requirements" "{\"skill_id\":$VC,\"level\":1}")
check "hr adds a requirement no course grants (${r%% *})" [ "${r%% *}" = 200 -o "${r%% *}" = 201 ]
person() { # CODE NAME UNIT -> id
    ww_api hr "$PORT" POST /api/v1/staff "{\"code\":\"$1\",\"full_name\":\"$2\",\"unit_id\":$3,\"role_id\":$OSS,\"start_day\":\"2024-01-02\"}" >/dev/null
    jf id
}
PA=$(person NV-A "Nguyễn Văn An" 1)
PB=$(person NV-B "Trần Thị <b>Bình</b>" 1)
PC=$(person NV-C "Lê Chi" 2)
check "hr adds three people, one in the unit merged later" [ -n "$PA" -a -n "$PB" -a -n "$PC" -a "$PA" != null ]
# unit 2 merged into unit 1 on 2025-07-01: the merger's own columns, as the merger writes them
db "UPDATE org_unit SET valid_to = '2025-07-01', merged_into = 1 WHERE id = 2" || fail "merger"
r=$(ww_api hr "$PORT" POST /api/v1/courses "{\"name\":\"Chữ ký số\",\"provider_kind\":\"internal\",\"hours\":4,\"skills\":[{\"skill_id\":$SIG,\"level\":1}]}")
C1=$(jf id)
r=$(ww_api hr "$PORT" POST /api/v1/course-sessions "{\"course_id\":$C1,\"day\":\"2024-02-01\",\"capacity\":2}")
check "a course granting digital signature, its session of capacity 2 (${r%% *})" [ "${r%% *}" = 201 ]
r=$(ww_api hr "$PORT" POST "/api/v1/staff/$PA/training" "{\"course_id\":$C1,\"completed_on\":\"2024-03-01\",\"result\":\"passed\"}")
check "An's signature is valid until 2026-03-01 (${r%% *})" [ "$(jf valid_until)" = 2026-03-01 ]

# what the proposals of a day hold for one skill, as "unit part/parts course cap [codes]"
sig_groups() { python3 -c 'import json,sys
b=json.load(open(sys.argv[1]))
out=[]
for p in b["items"]:
    if p["skill_id"]!=int(sys.argv[2]): continue
    who=[m.get("code") or m["full_name"] for m in p["members"]]
    out.append("%s %d/%d %s %d %s" % (p["unit_id"], p["part"], p["parts"], p["course"], p["capacity"], " ".join(who)))
print("; ".join(out))' "$T/api.body" "$1"; }

r=$(ww_api hr "$PORT" GET "/api/v1/training/proposals?unit=1&day=2026-02-15&within=30")
check "15/02/2026 in unit 1 (Chi's unit merged in): Bình and Chi missing first, then An 14 days from expiry, in sessions of 2 (${r%% *}: $(sig_groups "$SIG"))" \
    [ "${r%% *}" = 200 -a "$(sig_groups "$SIG")" = "1 1/2 Chữ ký số 2 NV-B NV-C; 1 2/2 Chữ ký số 2 NV-A" ]
r=$(ww_api hr "$PORT" GET "/api/v1/training/proposals?unit=1&day=2026-02-15&within=10")
check "a 10-day window leaves An out: $(sig_groups "$SIG")" [ "$(sig_groups "$SIG")" = "1 1/1 Chữ ký số 2 NV-B NV-C" ]
r=$(ww_api hr "$PORT" GET "/api/v1/training/proposals?day=2025-06-30")
check "before the merger Chi's unit has its own session: $(sig_groups "$SIG")" \
    [ "$(sig_groups "$SIG")" = "1 1/1 Chữ ký số 2 NV-B; 2 1/1 Chữ ký số 2 NV-C" ]
r=$(ww_api hr "$PORT" GET "/api/v1/training/proposals?unit=1&day=2026-03-02")
check "after the merger and An's expiry: three in unit 1, split by capacity 2, missing and expired by staff id: $(sig_groups "$SIG")" \
    [ "$(sig_groups "$SIG")" = "1 1/2 Chữ ký số 2 NV-A NV-B; 1 2/2 Chữ ký số 2 NV-C" ]
check "hr sees each member's id, state and date" [ "$(jf items.0.members.0.staff_id)" != null ] &&
    check "the first proposals are the most urgent (someone missing or expired)" [ "$(jf items.0.urgent)" -ge 1 ]
vc=$(python3 -c 'import json,sys
b=json.load(open(sys.argv[1]))
p=[p for p in b["items"] if p["skill_id"]==int(sys.argv[2])][0]
print(p["no_course"], p["course_id"], p["count"])' "$T/api.body" "$VC")
check "video conferencing, which no course grants, is one flagged proposal of the three ($vc)" [ "$vc" = "True None 3" ]

r=$(ww_api mg "$PORT" GET "/api/v1/training/proposals?unit=1&day=2026-03-02")
mgview=$(python3 -c 'import json,sys
b=json.load(open(sys.argv[1]))
keys=sorted({k for p in b["items"] for m in p["members"] for k in m})
p=[p for p in b["items"] if p["skill_id"]==int(sys.argv[2])][0]
print(",".join(keys), p["count"], p["members"][1]["full_name"])' "$T/api.body" "$SIG")
check "a manager sees names and counts only, no id, code or state ($mgview)" \
    [ "${r%% *}" = 200 -a "$mgview" = "full_name 2 Trần Thị <b>Bình</b>" ]

r=$(ww_api hr "$PORT" GET "/api/v1/training/proposals?within=367")
check "a window over 366 days: 400 bad_param within (${r%% *})" [ "${r%% *}" = 400 -a "$(jf error.message)" != null ]
r=$(ww_api hr "$PORT" GET "/api/v1/training/proposals?unit=abc")
check "a unit that is not an id: 400 (${r%% *})" [ "${r%% *}" = 400 ]
r=$(ww_api hr "$PORT" GET "/api/v1/training/proposals?day=2026-13-01")
check "a day that is no day: 400 (${r%% *})" [ "${r%% *}" = 400 ]
r=$(ww_api hr "$PORT" GET "/api/v1/training/proposals")
check "no day: the office's today ($(office date +%F))" [ "${r%% *}" = 200 -a "$(jf day)" = "$(office date +%F)" ]

# every role: admin, it, manager, hr, viewer
who=(ad it mg hr vw)
want=(200 403 200 200 403)
got=""
for i in 0 1 2 3 4; do
    r=$(ww_api "${who[$i]}" "$PORT" GET "/api/v1/training/proposals?unit=1")
    got="$got ${r%% *}"
done
check "GET /api/v1/training/proposals: admin, it, manager, hr, viewer =$got" [ "$got" = " ${want[*]}" ]

# hr's one click: a session of the proposal's course, then its people, through the audited routes
r=$(ww_api hr "$PORT" POST /api/v1/course-sessions "{\"course_id\":$C1,\"day\":\"2026-03-10\",\"capacity\":2}")
S2=$(jf id)
a1=$(ww_api hr "$PORT" POST "/api/v1/course-sessions/$S2/attendance" "{\"staff_id\":$PA}")
a2=$(ww_api hr "$PORT" POST "/api/v1/course-sessions/$S2/attendance" "{\"staff_id\":$PB}")
a3=$(ww_api hr "$PORT" POST "/api/v1/course-sessions/$S2/attendance" "{\"staff_id\":$PC}")
check "the proposal becomes a session with its two people; a third is refused too_many (${a3%% *})" \
    [ "${r%% *}" = 201 -a "${a3%% *}" = 400 -a "$(jf error.reason)" = too_many ]
check "both writes are in the audit log by hr" \
    [ "$(db "SELECT count(*) FROM audit_log WHERE actor = 'nhansu' AND object_type = 'session' AND object_id = '$S2'")" -ge 3 ]
r=$(ww_api mg "$PORT" POST /api/v1/course-sessions "{\"course_id\":$C1,\"day\":\"2026-03-10\",\"capacity\":2}")
check "a manager cannot turn a proposal into a session (${r%% *})" [ "${r%% *}" = 403 ]

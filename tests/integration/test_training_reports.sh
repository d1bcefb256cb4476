#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_training_reports.sh - the training reports over the real dashboard (issue 17 item 5):
# the expiring-soon list of a fixed day against expectations worked out here (the boundaries of
# 30, 60 and 90 days: the last valid day today, 30 and 31 days ahead, 90 and 91, yesterday),
# its order (soonest, then by name) and its refused windows; the CSV bytes of the gap matrix,
# a transcript (its read audited), compliance with a target month by month and the expiring
# list (BOM, CRLF, the header in Vietnamese, a formula cell neutralised); the permission matrix
# of the new routes for every role (a manager gets compliance only; it and viewer nothing).
source "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null && command -v python3 >/dev/null || { fail "needs sqlite3 and python3"; exit 1; }
ADMIN_PW=trainrep-test-$RANDOM$RANDOM
ww_dashboard_data "$ADMIN_PW" tho:it sep:manager nhansu:hr xem:viewer || { fail "init and users"; exit 1; }
db() { sqlite3 "$T/data/wardwatch.db" "$1"; }
db "INSERT INTO org_unit (id, name) VALUES (1, 'UBND phường Bến Thành');" || { fail "fixture"; exit 1; }
OSS=$(db "SELECT id FROM job_role WHERE code = 'oss_officer'")
SIG=$(db "SELECT id FROM skill WHERE code = 'digital_signature'")

spawn dash "$BIN/wardwatch-dashboard" -c "$T/ww.conf"
PORT=$(wait_port_file "$T/port" 20) || { fail "dashboard started"; cat "$T/dash.log"; exit 1; }
for s in ad:admin:"$ADMIN_PW" it:tho:"$ADMIN_PW-tho" mg:sep:"$ADMIN_PW-sep" hr:nhansu:"$ADMIN_PW-nhansu" vw:xem:"$ADMIN_PW-xem"; do
    IFS=: read -r name login pw <<<"$s"
    ww_session "$name" "$PORT" "$login" "$pw" || fail "$login logs in"
done

r=$(ww_api hr "$PORT" POST /api/v1/courses "{\"name\":\"Chữ ký số\",\"provider_kind\":\"internal\",\"hours\":4,\"skills\":[{\"skill_id\":$SIG,\"level\":1}]}")
C1=$(jf id)
# the day every report is asked about; each person's signature record ends on a boundary
DAY=2026-06-01
# code | name | valid_until | why
people=(
    "NV-A|Vũ Thị Hạnh|2026-06-01|the last valid day is today: 0 days left, expiring_30"
    "NV-B|Bùi Thị Hoa|2026-07-01|30 days left: still expiring_30"
    "NV-G|đặng văn an|2026-07-01|30 days left too: after Bùi by name (ww_name_key, case-blind)"
    "NV-C|Lê Văn Cường|2026-07-02|31 days left: expiring_60, not in the 30-day list"
    "NV-D|Phạm Minh Đức|2026-08-30|90 days left: expiring_90, only in the 90-day list"
    "NV-E|Hồ Thị Em|2026-08-31|91 days left: valid, in no list"
    "NV-F|Ngô Văn Phúc|2026-05-31|ended yesterday: expired, not expiring"
    "=1+1|@Hostile \"name\"|2027-01-01|a formula code and name: valid, neutralised in the matrix CSV"
)
for row in "${people[@]}"; do
    IFS='|' read -r code name until why <<<"$row"
    body=$(python3 -c 'import json,sys; print(json.dumps({"code":sys.argv[1],"full_name":sys.argv[2],"unit_id":1,"role_id":int(sys.argv[3]),"start_day":"2024-01-02"}))' "$code" "$name" "$OSS")
    r=$(ww_api hr "$PORT" POST /api/v1/staff "$body")
    [ "${r%% *}" = 201 ] || fail "add $code: $r"
    pid=$(jf id)
    [ "$code" = NV-B ] && P_B=$pid
    r=$(ww_api hr "$PORT" POST "/api/v1/staff/$pid/training" "{\"course_id\":$C1,\"completed_on\":\"2024-06-01\",\"result\":\"passed\",\"valid_until\":\"$until\",\"certificate_no\":\"CC-$code\"}")
    [ "${r%% *}" = 201 ] || fail "record of $code: $r"
done

# the list of a window: "code:days_left:state ..." in the reply's order
listed() {
    python3 -c 'import json,sys
b=json.load(open(sys.argv[1]))
print(" ".join("%s:%d:%s" % (i["code"], i["days_left"], i["state"]) for i in b["items"]), b["total"], b["days"])' "$T/api.body"
}
# days | expected list | why
windows=(
    "30|NV-A:0:expiring_30 NV-B:30:expiring_30 NV-G:30:expiring_30 3 30|today's last day and 30 days ahead are in, 31 is not"
    "60|NV-A:0:expiring_30 NV-B:30:expiring_30 NV-G:30:expiring_30 NV-C:31:expiring_60 4 60|31 days joins the 60-day list"
    "90|NV-A:0:expiring_30 NV-B:30:expiring_30 NV-G:30:expiring_30 NV-C:31:expiring_60 NV-D:90:expiring_90 5 90|90 days is in, 91 (valid) and yesterday (expired) are not"
)
for w in "${windows[@]}"; do
    IFS='|' read -r days want why <<<"$w"
    r=$(ww_api hr "$PORT" GET "/api/v1/training/expiring?unit=1&day=$DAY&days=$days")
    got=$(listed)
    check "expiring within $days days: $why (${r%% *}: $got)" [ "${r%% *}" = 200 -a "$got" = "$want" ]
done
r=$(ww_api hr "$PORT" GET "/api/v1/training/expiring?day=$DAY")
check "no window asked: 90 days" [ "$(listed)" = "$(echo "${windows[2]}" | cut -d'|' -f2)" ]
check "an item names its record's course and certificate" \
    [ "$(jf items.1.course)" = "Chữ ký số" -a "$(jf items.1.certificate_no)" = CC-NV-B -a "$(jf items.1.valid_until)" = 2026-07-01 ]
for bad in 45 120 0 abc -30; do
    r=$(ww_api hr "$PORT" GET "/api/v1/training/expiring?day=$DAY&days=$bad")
    check "a window of '$bad' days is refused: 400 bad_param days (${r%% *})" \
        [ "${r%% *}" = 400 -a "$(jf error.field)" = days ]
done

# ---- the CSV bytes --------------------------------------------------------------------------
# csv_line N: line N (1 = the header) of the last body, BOM kept, CR shown as \r
csv_line() { python3 -c 'import sys
d=open(sys.argv[1],"rb").read().decode("utf-8")
print(repr(d.split("\n")[int(sys.argv[2]) - 1])[1:-1])' "$T/api.body" "$1"; }
r=$(ww_api hr "$PORT" GET "/api/v1/training/expiring.csv?day=$DAY&days=30")
check "expiring.csv: BOM, the header in Vietnamese, CRLF ($(csv_line 1))" \
    [ "${r%% *}" = 200 -a "$(csv_line 1)" = '\ufeff"Mã cán bộ","Họ và tên","Đơn vị","Vị trí việc làm","Kỹ năng","Trạng thái","Hiệu lực đến","Số ngày còn lại","Khóa học","Mã bản ghi đào tạo","Số chứng chỉ"\r' ]
check "expiring.csv: one line a requirement, words not codes ($(csv_line 2))" \
    [ "$(csv_line 2)" = "\"NV-A\",\"Vũ Thị Hạnh\",\"UBND phường Bến Thành\",\"Cán bộ một cửa\",\"Chữ ký số\",\"Hết hạn trong 30 ngày\",\"2026-06-01\",\"0\",\"Chữ ký số\",\"$(db "SELECT id FROM training_record WHERE certificate_no = 'CC-NV-A'")\",\"CC-NV-A\"\\r" ]
r=$(ww_api hr "$PORT" GET "/api/v1/training/gaps.csv?unit=1&day=$DAY")
if [ "${r%% *}" = 200 ] && python3 - "$T/api.body" <<'PY'; then
import csv, io, sys
rows = list(csv.reader(io.StringIO(open(sys.argv[1], encoding="utf-8-sig").read())))
h = rows[0]
sig = h.index("Chữ ký số")
by = {r[0]: r for r in rows[1:]}
want = {"NV-A": "Hết hạn trong 30 ngày (2026-06-01)", "NV-C": "Hết hạn trong 60 ngày (2026-07-02)",
        "NV-E": "Còn hiệu lực (2026-08-31)", "NV-F": "Đã hết hạn (2026-05-31)"}
bad = [(k, by.get(k, [None] * 99)[sig], v) for k, v in want.items() if by.get(k, [None] * 99)[sig] != v]
hostile = [r for r in rows[1:] if r[1].endswith('Hostile "name"')]
bad += [] if hostile and hostile[0][0] == "'=1+1" and hostile[0][1] == "'@Hostile \"name\"" else [("hostile", hostile)]
bad += [] if h[:4] == ["Mã cán bộ", "Họ và tên", "Đơn vị", "Vị trí việc làm"] and len(rows) == 9 else [("head", h, len(rows))]
print("# " + repr(bad)) if bad else None
sys.exit(1 if bad else 0)
PY
    ok "gaps.csv: code, name, unit, role, a column per required skill, a cell the state and valid-until; formulas neutralised"
else
    fail "gaps.csv cells (${r%% *})"
fi
r=$(ww_api hr "$PORT" POST /api/v1/training/targets "{\"unit_id\":1,\"skill_id\":$SIG,\"level\":1,\"pct\":80,\"from_day\":\"2026-04-01\",\"deadline\":\"2026-12-31\"}")
r=$(ww_api mg "$PORT" GET "/api/v1/training/compliance.csv?day=$DAY")
if [ "${r%% *}" = 200 ] && python3 - "$T/api.body" <<'PY'; then
import csv, io, sys
rows = list(csv.reader(io.StringIO(open(sys.argv[1], encoding="utf-8-sig").read())))
head = ["Phần", "Tên", "Kỹ năng", "Chỉ tiêu (%)", "Hạn", "Tháng", "Số người", "Số người đạt đủ",
        "Số yêu cầu đạt", "Tổng số yêu cầu", "Tỷ lệ đáp ứng (%)", "Ngày đạt chỉ tiêu"]
unit = [r for r in rows if r[0] == "Theo đơn vị"]
role = [r for r in rows if r[0] == "Theo vị trí việc làm"]
tgt = [r for r in rows if r[0] == "Chỉ tiêu"]
bad = []
if rows[0] != head: bad.append(("head", rows[0]))
if len(unit) != 1 or unit[0][1] != "UBND phường Bến Thành" or unit[0][6] != "8": bad.append(("unit", unit))
if len(role) != 1 or role[0][1] != "Cán bộ một cửa": bad.append(("role", role))
if [r[5] for r in tgt] != ["2026-04", "2026-05", "2026-06"] or any(r[1] != "UBND phường Bến Thành" or r[2] != "Chữ ký số" or r[3] != "80" for r in tgt):
    bad.append(("targets", tgt))
print("# " + repr(bad)) if bad else None
sys.exit(1 if bad else 0)
PY
    ok "compliance.csv for a manager: the unit (8 people), the role, then the target one line a month"
else
    fail "compliance.csv lines (${r%% *})"
fi
before=$(db "SELECT count(*) FROM audit_log WHERE action = 'staff.transcript' AND object_id = '$P_B' AND actor = 'nhansu'")
r=$(ww_api hr "$PORT" GET "/api/v1/staff/$P_B/transcript.csv")
check "transcript.csv: a line a record ($(csv_line 2 | cut -c1-60)...)" \
    [ "${r%% *}" = 200 -a "$(python3 -c 'import csv,io,sys; r=list(csv.reader(io.StringIO(open(sys.argv[1],encoding="utf-8-sig").read()))); print(len(r), r[1][0], r[1][5], r[1][8], r[1][10])' "$T/api.body")" = "2 NV-B Đạt 2026-07-01 Nhập tay" ]
check "the export is a read of the person's record: in the audit log" \
    [ "$(db "SELECT count(*) FROM audit_log WHERE action = 'staff.transcript' AND object_id = '$P_B' AND actor = 'nhansu'")" = $((before + 1)) ]
r=$(ww_api hr "$PORT" GET "/api/v1/staff/99999/transcript.csv")
check "the transcript of nobody: 404 (${r%% *})" [ "${r%% *}" = 404 ]

# ---- who reads which report ---------------------------------------------------------------
matrix() { # PATH admin it manager hr viewer
    local p=$1 who=(ad it mg hr vw) i=0 got want
    shift
    for want in "$@"; do
        r=$(ww_api "${who[$i]}" "$PORT" GET "$p")
        got=${r%% *}
        [ "$got" = "$want" ] || { fail "GET $p as ${who[$i]}: want $want, got $got"; return; }
        i=$((i + 1))
    done
    ok "GET $p: $*"
}
matrix "/api/v1/training/gaps.csv?day=$DAY" 200 403 403 200 403
matrix "/api/v1/staff/$P_B/transcript.csv" 200 403 403 200 403
matrix "/api/v1/training/compliance.csv?day=$DAY" 200 403 200 200 403
matrix "/api/v1/training/expiring?day=$DAY" 200 403 403 200 403
matrix "/api/v1/training/expiring.csv?day=$DAY" 200 403 403 200 403
check "a refused export is not a read: no audit entry for the manager" \
    [ "$(db "SELECT count(*) FROM audit_log WHERE action LIKE 'staff.%' AND actor = 'sep'")" = 0 ]
exit 0

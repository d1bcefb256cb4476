#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_records.sh - a device's records over the real dashboard (issue 16, schema v13): the
# lifecycle fields set by PATCH and read back by GET, refused with their codes and Vietnamese
# words; an asset tag that another device has (409 exists); repairs added, changed, summed and
# removed by the it officer, read by a manager, refused to hr and a viewer (403); the
# assignment history a change of assigned_to writes, read by hr too; the handover record, an
# HTML page with the Quốc hiệu whose hostile device name is escaped, in English with ?lang=en;
# the audit entries.
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
ADMIN_PW=records-test-$RANDOM$RANDOM
printf '%s\n' "$ADMIN_PW" | "$CLI" -c "$T/ww.conf" init --admin-password-stdin >/dev/null ||
    { fail "init"; exit 1; }
for u in "tho:it" "sep:manager" "nhansu:hr" "xem:viewer"; do
    printf '%s\n' "$ADMIN_PW-${u%%:*}" | "$CLI" -c "$T/ww.conf" user add --login "${u%%:*}" \
        --role "${u##*:}" --password-stdin >/dev/null || fail "user add ${u%%:*}"
done
HOSTILE='PC <script>alert("x")</script> & "một cửa"'
sqlite3 "$DATA/wardwatch.db" <<SQL || { fail "fixture"; exit 1; }
INSERT INTO org_unit (id, name) VALUES (1, 'UBND phường Bến Thành');
INSERT INTO device (id, name, kind, host, unit_id, asset_tag, purchase_date, serial) VALUES
  (901, '$(printf '%s' "$HOSTILE" | sed "s/'/''/g")', 'pc', '192.0.2.3', 1, NULL, '2024-03-15', 'SN-1'),
  (902, 'Máy in', 'printer', '192.0.2.4', 1, 'UB-0042', NULL, NULL);
SQL
spawn dash "$BIN/wardwatch-dashboard" -c "$T/ww.conf"
PORT=$(wait_port_file "$T/port" 20) || { fail "dashboard started"; cat "$T/dash.log"; exit 1; }
ww_session it "$PORT" tho "$ADMIN_PW-tho" || fail "it officer logs in"
ww_session mg "$PORT" sep "$ADMIN_PW-sep" || fail "manager logs in"
ww_session vw "$PORT" xem "$ADMIN_PW-xem" || fail "viewer logs in"
ww_session hr "$PORT" nhansu "$ADMIN_PW-nhansu" || fail "hr logs in"
# jq-less JSON reads: field PATH of the last body
jf() { python3 -c 'import json,sys
v=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v[int(k)] if isinstance(v, list) else v.get(k)
print("null" if v is None else (str(v).lower() if isinstance(v, bool) else v))' "$T/api.body" "$1"; }

# ---- the lifecycle fields --------------------------------------------------------------------
r=$(ww_api it "$PORT" GET /api/v1/devices/901)
check "a device from before v13: status in_use, criticality normal (${r%% *})" \
    [ "${r%% *}" = 200 -a "$(jf status)" = in_use -a "$(jf criticality)" = normal -a "$(jf assigned_to)" = null ]
r=$(ww_api it "$PORT" PATCH /api/v1/devices/901 '{"in_service_date":"2024-03-20","warranty_end":"2027-03-15","funding_source":"Ngân sách phường 2024","lifespan_years":6,"status":"in_use","criticality":"one_stop_counter","assigned_to":"Nguyễn Thị Lan","notes":"Bàn số 3","asset_tag":"UB-0100"}')
check "the it officer sets the lifecycle fields (${r%% *})" \
    [ "${r%% *}" = 200 -a "$(jf criticality)" = one_stop_counter -a "$(jf lifespan_years)" = 6 ]
r=$(ww_api vw "$PORT" GET /api/v1/devices/901)
check "GET returns them" [ "$(jf in_service_date)" = 2024-03-20 -a "$(jf warranty_end)" = 2027-03-15 -a \
    "$(jf funding_source)" = "Ngân sách phường 2024" -a "$(jf assigned_to)" = "Nguyễn Thị Lan" -a "$(jf notes)" = "Bàn số 3" ]
r=$(ww_api vw "$PORT" GET '/api/v1/devices?limit=10')
check "the list returns them" [ "$(jf items.1.status)" = in_use -a "$(jf items.1.criticality)" = one_stop_counter ]
r=$(ww_api it "$PORT" PATCH /api/v1/devices/901 '{"warranty_end":"2024-01-01"}')
check "a warranty ending before the purchase: 400 before_purchase in Vietnamese (${r%% *} $(jf error.message))" \
    [ "${r%% *}" = 400 -a "$(jf error.field)" = warranty_end -a "$(jf error.reason)" = before_purchase -a \
      "$(jf error.message)" = "Hết hạn bảo hành: không thể trước ngày mua (2024-03-15)." ]
r=$(ww_api it "$PORT" PATCH /api/v1/devices/901 '{"in_service_date":"2023-02-29"}')
check "a day that does not exist: not_date (${r%% *})" \
    [ "${r%% *}" = 400 -a "$(jf error.field)" = in_service_date -a "$(jf error.reason)" = not_date ]
r=$(ww_api it "$PORT" PATCH /api/v1/devices/901 '{"status":"lost"}')
check "a status not in the list: not_one_of (${r%% *})" \
    [ "${r%% *}" = 400 -a "$(jf error.field)" = status -a "$(jf error.reason)" = not_one_of ]
r=$(ww_api it "$PORT" PATCH /api/v1/devices/901 '{"lifespan_years":"6"}')
check "a lifespan as text: not_integer (${r%% *})" [ "${r%% *}" = 400 -a "$(jf error.reason)" = not_integer ]
r=$(ww_api it "$PORT" PATCH /api/v1/devices/901 '{"asset_tag":" ub-0042"}')
check "another device's asset tag, in other letters: 409 exists (${r%% *} $(jf error.message))" \
    [ "${r%% *}" = 409 -a "$(jf error.field)" = asset_tag -a "$(jf error.reason)" = exists -a \
      "$(jf error.message)" = "Mã tài sản: đã tồn tại." ]
r=$(ww_api vw "$PORT" PATCH /api/v1/devices/901 '{"notes":"x"}')
check "a viewer may not change a device (${r%% *})" [ "${r%% *}" = 403 ]

# ---- repairs ---------------------------------------------------------------------------------
r=$(ww_api it "$PORT" POST /api/v1/devices/901/repairs '{"day":"2025-05-02","cost_vnd":850000,"work":"Thay ổ cứng <b>SSD</b>","shop":"Tin học Hoà Bình"}')
check "the it officer records a repair (${r%% *})" [ "${r%% *}" = 201 -a "$(jf actor)" = tho ]
RID=$(jf id)
r=$(ww_api it "$PORT" POST /api/v1/devices/901/repairs '{"day":"2025-06-01","cost_vnd":150000,"work":"Vệ sinh"}')
check "and a second (${r%% *})" [ "${r%% *}" = 201 ]
r=$(ww_api it "$PORT" POST /api/v1/devices/901/repairs '{"day":"2025-06-01","cost_vnd":-1,"work":"x"}')
check "a negative cost: out_of_range (${r%% *})" \
    [ "${r%% *}" = 400 -a "$(jf error.field)" = cost_vnd -a "$(jf error.reason)" = out_of_range ]
r=$(ww_api it "$PORT" POST /api/v1/devices/901/repairs '{"day":"2025-06-01","cost_vnd":0}')
check "no work: work required, in Vietnamese (${r%% *} $(jf error.message))" \
    [ "${r%% *}" = 400 -a "$(jf error.field)" = work -a "$(jf error.reason)" = required -a \
      "$(jf error.message)" = "Nội dung sửa chữa: bắt buộc phải nhập." ]
r=$(ww_api it "$PORT" POST /api/v1/devices/999/repairs '{"day":"2025-06-01","cost_vnd":0,"work":"x"}')
check "no such device: 404 (${r%% *})" [ "${r%% *}" = 404 ]
r=$(ww_api it "$PORT" PATCH "/api/v1/repairs/$RID" '{"cost_vnd":900000}')
check "a repair changed (${r%% *})" [ "${r%% *}" = 200 -a "$(jf cost_vnd)" = 900000 -a "$(jf day)" = 2025-05-02 ]
r=$(ww_api mg "$PORT" GET /api/v1/devices/901/repairs)
check "a manager reads the repairs and their sum (${r%% *} $(jf cost_vnd_sum))" \
    [ "${r%% *}" = 200 -a "$(jf total)" = 2 -a "$(jf cost_vnd_sum)" = 1050000 -a "$(jf items.1.work)" = "Thay ổ cứng <b>SSD</b>" ]
r=$(ww_api vw "$PORT" GET /api/v1/devices/901/repairs)
check "a viewer may not read them (${r%% *})" [ "${r%% *}" = 403 ]
r=$(ww_api mg "$PORT" POST /api/v1/devices/901/repairs '{"day":"2025-06-01","cost_vnd":0,"work":"x"}')
check "a manager may not add one (${r%% *})" [ "${r%% *}" = 403 ]
r=$(ww_api it "$PORT" DELETE "/api/v1/repairs/$RID")
check "a repair removed (${r%% *})" [ "${r%% *}" = 204 ]
r=$(ww_api it "$PORT" DELETE "/api/v1/repairs/$RID")
check "removed twice: 404 (${r%% *})" [ "${r%% *}" = 404 ]
check "four repair audit entries: add, add, change, remove" \
    [ "$(sqlite3 "$DATA/wardwatch.db" "SELECT group_concat(action, ' ') FROM (SELECT action FROM audit_log WHERE object_type = 'repair' ORDER BY id)")" = "repair.add repair.add repair.change repair.remove" ]

# ---- assignments and the handover record -----------------------------------------------------
r=$(ww_api it "$PORT" PATCH /api/v1/devices/901 '{"assigned_to":"Trần Văn Bình"}')
check "a new holder (${r%% *})" [ "${r%% *}" = 200 ]
r=$(ww_api mg "$PORT" GET /api/v1/devices/901/assignments)
check "two assignment rows, the first closed (${r%% *})" \
    [ "${r%% *}" = 200 -a "$(jf total)" = 2 -a "$(jf items.0.assigned_to)" = "Nguyễn Thị Lan" -a \
      "$(jf items.0.to)" != null -a "$(jf items.1.to)" = null -a "$(jf items.1.by)" = tho ]
AID=$(jf items.1.id)
r=$(ww_api hr "$PORT" GET /api/v1/devices/901/assignments)
check "hr reads the assignments (${r%% *})" [ "${r%% *}" = 200 -a "$(jf total)" = 2 ]
r=$(ww_api hr "$PORT" GET /api/v1/devices/901/repairs)
check "but not the repairs (${r%% *})" [ "${r%% *}" = 403 ]
r=$(ww_api vw "$PORT" GET /api/v1/devices/901/assignments)
check "a viewer may not read them (${r%% *})" [ "${r%% *}" = 403 ]
code=$(curl -s -o "$T/handover.html" -D "$T/handover.h" -w '%{http_code}' -b "$T/mg.jar" \
    "http://127.0.0.1:$PORT/api/v1/assignments/$AID/handover")
check "the handover record is an HTML page ($code)" \
    [ "$code" = 200 ] && grep -qi '^content-type: text/html; charset=utf-8' "$T/handover.h"
check "it holds the Quốc hiệu" \
    grep -q 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM' "$T/handover.html"
check "the motto, title, unit and signatures" bash -c "grep -q 'Độc lập - Tự do - Hạnh phúc' '$T/handover.html' &&
    grep -q 'BIÊN BẢN BÀN GIAO THIẾT BỊ' '$T/handover.html' && grep -q 'UBND phường Bến Thành' '$T/handover.html' &&
    grep -q 'BÊN GIAO' '$T/handover.html' && grep -q 'BÊN NHẬN' '$T/handover.html' && grep -q 'Trần Văn Bình' '$T/handover.html'"
check "the condition in words: the device's status (Đang sử dụng)" grep -q '<td>Đang sử dụng</td>' "$T/handover.html"
check "the date in words: ngày dd tháng mm năm yyyy" grep -Eq 'ngày [0-9]{2} tháng [0-9]{2} năm [0-9]{4}' "$T/handover.html"
code=$(curl -s -o "$T/doc.css" -w '%{http_code}' "http://127.0.0.1:$PORT/doc.css")
check "printable on A4: its style sheets (doc.css, shared with the printed reports, and handover.css), from the server as the CSP wants ($code)" \
    bash -c "[ $code = 200 ] && grep -q 'href=\"/doc.css\"' '$T/handover.html' && grep -q 'href=\"/handover.css\"' '$T/handover.html' &&
    grep -q '@page { size: A4' '$T/doc.css' && grep -q '<body class=\"doc\">' '$T/handover.html' && ! grep -q '<style' '$T/handover.html'"
check "the hostile name is escaped, never markup" bash -c "! grep -q '<script>' '$T/handover.html' &&
    grep -qF 'PC &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;một cửa&quot;' '$T/handover.html'"
code=$(curl -s -o "$T/handover.en" -w '%{http_code}' -b "$T/mg.jar" \
    "http://127.0.0.1:$PORT/api/v1/assignments/$AID/handover?lang=en")
check "in English with ?lang=en ($code)" bash -c "[ $code = 200 ] && grep -q 'EQUIPMENT HANDOVER RECORD' '$T/handover.en'"
r=$(ww_api vw "$PORT" GET "/api/v1/assignments/$AID/handover")
check "a viewer may not print it (${r%% *})" [ "${r%% *}" = 403 ]
r=$(ww_api mg "$PORT" GET /api/v1/assignments/9999/handover)
check "no such assignment: 404 (${r%% *})" [ "${r%% *}" = 404 ]
check "the device's audit entries hold the lifecycle fields" \
    [ "$(sqlite3 "$DATA/wardwatch.db" "SELECT count(*) FROM audit_log WHERE object_type = 'device' AND after_json LIKE '%\"assigned_to\":\"Trần Văn Bình\"%' AND before_json LIKE '%Nguyễn Thị Lan%'")" = 1 ]

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_plan.sh - the replacement plan over the real dashboard (issue 16 items 6, 7, 10): roles
# (manager and admin edit, it reads, hr and a viewer get 403), prices, budgets and weights
# refused with their codes and Vietnamese words, the plan of a small register computed by hand
# (a replacement and a RAM upgrade within the budget, a rollover into a unit merged in two
# years, in stock not planned, the rest unfunded), a pin over the budget, a saved version and
# what changed since it, the priority list with its terms in words, a device's score, the CSV
# exports formula-safe, every change in the audit log; and `wardwatch plan` on the same data,
# `wardwatch plan price` and `plan budget` (audited as the CLI's, refusals in words).
source "$(dirname "$0")/lib.sh"

for tool in curl sqlite3 python3; do
    command -v "$tool" >/dev/null || { fail "needs $tool"; exit 1; }
done
source "$(dirname "$0")/plan_fixture.sh"
plan_fixture || exit 1
spawn dash "$BIN/wardwatch-dashboard" -c "$T/ww.conf"
DASH_PID=$SPAWNED_PID
PORT=$(wait_port_file "$T/port" 20) || { fail "dashboard started"; cat "$T/dash.log"; exit 1; }
ww_session it "$PORT" tho "$ADMIN_PW-tho" || fail "it officer logs in"
ww_session mg "$PORT" sep "$ADMIN_PW-sep" || fail "manager logs in"
ww_session vw "$PORT" xem "$ADMIN_PW-xem" || fail "viewer logs in"
ww_session hr "$PORT" nhansu "$ADMIN_PW-nhansu" || fail "hr logs in"
# items.N.FIELD of the device ID in the last /plan body
item() { python3 -c 'import json,sys
v=[i for i in json.load(open(sys.argv[1]))["items"] if i["device_id"]==int(sys.argv[2])]
x=v[0].get(sys.argv[3]) if v else "absent"
print("null" if x is None else (str(x).lower() if isinstance(x, bool) else x))' "$T/api.body" "$1" "$2"; }

# ---- roles ---------------------------------------------------------------------------------
for who in vw hr; do
    r=$(ww_api $who "$PORT" GET /api/v1/plan)
    r2=$(ww_api $who "$PORT" GET /api/v1/plan/priority)
    check "$who reads nothing of the plan (${r%% *} ${r2%% *})" [ "${r%% *}" = 403 -a "${r2%% *}" = 403 ]
done
r=$(ww_api it "$PORT" GET /api/v1/plan)
check "the it officer reads the plan (${r%% *})" [ "${r%% *}" = 200 ]
r=$(ww_api it "$PORT" PUT /api/v1/plan/prices '{"items":{"pc":1}}')
check "but may not change prices (${r%% *})" [ "${r%% *}" = 403 ]
r=$(ww_api it "$PORT" POST /api/v1/plan/decisions/901 '{"action":"pin","year":2030}')
check "nor pin a device (${r%% *})" [ "${r%% *}" = 403 ]

# ---- prices, budgets, weights --------------------------------------------------------------
r=$(ww_api mg "$PORT" PUT /api/v1/plan/prices '{"items":{"pc":15000000,"ram_upgrade":1200000}}')
check "the manager sets prices (${r%% *})" [ "${r%% *}" = 200 -a "$(jf pc)" = 15000000 ]
r=$(ww_api mg "$PORT" PUT /api/v1/plan/prices '{"items":{"yacht":1}}')
check "an item that is no kind nor upgrade: 400 not_one_of in Vietnamese (${r%% *} $(jf error.message))" \
    [ "${r%% *}" = 400 -a "$(jf error.field)" = item -a "$(jf error.reason)" = not_one_of ]
r=$(ww_api mg "$PORT" PUT /api/v1/plan/budgets "{\"items\":[{\"unit_id\":1,\"year\":$Y,\"amount_vnd\":20000000},{\"unit_id\":2,\"year\":$((Y + 2)),\"amount_vnd\":15000000}]}")
check "the manager sets budgets (${r%% *})" [ "${r%% *}" = 200 ]
r=$(ww_api mg "$PORT" PUT /api/v1/plan/budgets "{\"items\":[{\"unit_id\":77,\"year\":$Y,\"amount_vnd\":1}]}")
check "a budget of no unit: 400 no_such (${r%% *})" [ "${r%% *}" = 400 -a "$(jf error.field)" = unit_id -a "$(jf error.reason)" = no_such ]
r=$(ww_api mg "$PORT" PUT /api/v1/plan/settings '{"weight_age":101}')
check "a weight above 100: 400 out_of_range 0..100 (${r%% *} $(jf error.message))" \
    [ "${r%% *}" = 400 -a "$(jf error.field)" = weight_age -a "$(jf error.reason)" = out_of_range  ]
r=$(ww_api mg "$PORT" PUT /api/v1/plan/settings '{"weight_age":20,"horizon":null}')
check "a weight within bounds is kept (${r%% *})" [ "${r%% *}" = 200 -a "$(jf weight_age)" = 20 ]

# ---- the plan ------------------------------------------------------------------------------
r=$(ww_api mg "$PORT" GET /api/v1/plan)
check "the plan starts this year, 5 years (${r%% *} $(jf first_year) $(jf horizon))" \
    [ "${r%% *}" = 200 -a "$(jf first_year)" = "$Y" -a "$(jf horizon)" = 5 -a "$(jf since)" = null ]
check "the counter PC is replaced this year: 15M of 20M ($(item 901 state) $(item 901 year))" \
    [ "$(item 901 action)" = replace -a "$(item 901 state)" = planned -a "$(item 901 year)" = "$Y" ]
check "the young PC short of memory gets RAM at 1.2M instead ($(item 903 action) $(item 903 year))" \
    [ "$(item 903 action)" = upgrade_ram -a "$(item 903 price_vnd)" = 1200000 -a "$(item 903 year)" = "$Y" ]
check "the 7-year-old rolls over twice, into An Hòa's $((Y + 2)) with Xã Cát's budget ($(item 902 year) $(item 902 rolled) $(item 902 unit_id))" \
    [ "$(item 902 year)" = "$((Y + 2))" -a "$(item 902 rolled)" = 2 -a "$(item 902 unit_id)" = 1 ]
check "Xã Cát's own PC does not fit after it: unfunded ($(item 905 state))" [ "$(item 905 state)" = unfunded ]
check "in stock is never planned ($(item 904 state))" [ "$(item 904 state)" = absent ]
r=$(ww_api mg "$PORT" GET "/api/v1/plan?unit=2")
check "?unit=2: only Xã Cát's items and cells ($(jf total))" [ "$(jf total)" = 0 -a "$(jf cells.0.unit_id)" = 2 ]
r=$(ww_api mg "$PORT" GET "/api/v1/plan?horizon=99")
check "a horizon of 99 years: 400 (${r%% *})" [ "${r%% *}" = 400 ]

# ---- the priority list and a device's score ------------------------------------------------
r=$(ww_api mg "$PORT" GET /api/v1/plan/priority)
check "the priority list: the counter PC first, in stock left out ($(jf items.0.device_id) $(jf total))" \
    [ "${r%% *}" = 200 -a "$(jf items.0.device_id)" = 901 -a "$(jf total)" = 4 ]
check "its terms in words: '$(jf items.0.terms.0.text)'; '$(jf items.0.terms.1.text)'" \
    bash -c "[[ '$(jf items.0.terms.0.text)' =~ ^8,1\ năm\ tuổi,\ tuổi\ thọ\ 5:\ \+32$ ]] && [ '$(jf items.0.terms.1.text)' = 'máy tại quầy một cửa: +10' ]"
r=$(ww_api mg "$PORT" GET /api/v1/devices/903/score)
check "a device's score: memory pressure on 10 of 10 days ($(jf terms.1.text))" \
    [ "${r%% *}" = 200 -a "$(jf terms.1.code)" = mem_pressure -a "$(jf terms.1.text)" = "thiếu bộ nhớ trong 10/10 ngày: +15" ]
r=$(ww_api mg "$PORT" GET /api/v1/devices/999/score)
check "no such device: 404 (${r%% *})" [ "${r%% *}" = 404 ]

# ---- a version, a pin, what changed ----------------------------------------------------------
r=$(ww_api mg "$PORT" POST /api/v1/plan/versions '{"note":"Dự thảo trình UBND"}')
check "the manager saves a version (${r%% *})" [ "${r%% *}" = 201 -a "$(jf year)" = "$Y" -a "$(jf note)" = "Dự thảo trình UBND" ]
r=$(ww_api mg "$PORT" POST /api/v1/plan/decisions/905 "{\"action\":\"pin\",\"year\":$((Y + 1))}")
check "the manager pins Xã Cát's PC to $((Y + 1)) (${r%% *})" [ "${r%% *}" = 200 -a "$(jf action)" = pin ]
r=$(ww_api mg "$PORT" POST /api/v1/plan/decisions/905 '{"action":"forget"}')
check "an unknown decision: 400 not_one_of (${r%% *})" [ "${r%% *}" = 400 -a "$(jf error.field)" = action ]
r=$(ww_api mg "$PORT" GET /api/v1/plan)
check "pinned: planned in $((Y + 1)) over Xã Cát's budget of 0 ($(item 905 year) $(item 905 pinned))" \
    [ "$(item 905 year)" = "$((Y + 1))" -a "$(item 905 pinned)" = true ]
check "what changed since the version: Xã Cát's PC added in $((Y + 1)) ($(jf since.changes.0.kind) $(jf since.changes.0.to_year))" \
    [ "$(jf since.version.note)" = "Dự thảo trình UBND" -a "$(jf since.total)" = 1 -a "$(jf since.changes.0.kind)" = added -a "$(jf since.changes.0.device_id)" = 905 ]
python3 - "$T/api.body" "$((Y + 1))" <<'PY' && ok "the cell shows the overrun (left < 0)" || fail "the cell shows the overrun"
import json, sys
p = json.load(open(sys.argv[1]))
c = [c for c in p["cells"] if c["unit_id"] == 2 and c["year"] == int(sys.argv[2])]
sys.exit(0 if c and c[0]["left_vnd"] == -15000000 and c[0]["budget_vnd"] == 0 else 1)
PY
r=$(ww_api mg "$PORT" GET /api/v1/plan/versions)
check "the versions list (${r%% *} $(jf total))" [ "${r%% *}" = 200 -a "$(jf total)" = 1 -a "$(jf items.0.actor)" = sep ]
r=$(ww_api mg "$PORT" DELETE /api/v1/plan/decisions/905)
check "the pin is cleared (${r%% *})" [ "${r%% *}" = 204 ]

# ---- CSV: formula-safe, words in the reader's language -------------------------------------
code=$(curl -s -o "$T/plan.csv" -w '%{http_code}' -b "$T/mg.jar" "http://127.0.0.1:$PORT/api/v1/plan.csv")
check "plan.csv ($code)" [ "$code" = 200 ]
check "a name that is a formula is quoted with ' (never run)" bash -c "grep -qF \"\\\"'=HYPERLINK(\" '$T/plan.csv' && ! grep -q '^=\\|,=HYPERLINK' '$T/plan.csv'"
check "its proposals and states in Vietnamese" bash -c "grep -q 'Nâng cấp RAM' '$T/plan.csv' && grep -q 'Chưa có kinh phí' '$T/plan.csv'"
code=$(curl -s -o "$T/prio.csv" -w '%{http_code}' -b "$T/mg.jar" "http://127.0.0.1:$PORT/api/v1/plan/priority.csv")
check "priority.csv with reasons in words ($code)" bash -c "[ $code = 200 ] && grep -q 'năm tuổi, tuổi thọ 5' '$T/prio.csv'"

# ---- the audit log -----------------------------------------------------------------------
n=$(sqlite3 "$DATA/wardwatch.db" "SELECT group_concat(action, ' ') FROM (SELECT action FROM audit_log WHERE action LIKE 'plan.%' ORDER BY id)")
check "every accepted change audited, no refused one ($n)" \
    [ "$n" = "plan.prices plan.budgets plan.settings plan.version plan.decision plan.decision.remove" ]
check "the audit entry names the manager" \
    [ "$(sqlite3 "$DATA/wardwatch.db" "SELECT count(*) FROM audit_log WHERE action LIKE 'plan.%' AND actor = 'sep' AND source = 'api'")" = 6 ]

# ---- the CLI on the same data --------------------------------------------------------------
out=$("$CLI" -c "$T/ww.conf" plan 2>&1)
check "wardwatch plan prints the year and the unit's items" bash -c "grep -q '^$Y unit 1: 2 items, 16200000 of 20000000 VND' <<<'$out' && grep -q 'unfunded  unit 1 #905' <<<'$out'"
out=$("$CLI" -c "$T/ww.conf" plan --quiet 2>&1)
check "wardwatch plan --quiet: counts ($out)" bash -c "grep -q '^devices 5 units 2 items 4 planned 3 ' <<<'$out'"

# ---- the plan's inputs from the CLI: the same audited changes as the API's PUT ---------------
pdb=$DATA/wardwatch.db
cli() { LANG=C.UTF-8 "$CLI" -c "$T/ww.conf" "$@" >"$T/cli.out" 2>"$T/cli.err"; }
cli plan price pc 17000000 ups 5000000
check "wardwatch plan price sets prices (rc $?)" \
    [ "$(sqlite3 "$pdb" "SELECT group_concat(item || '=' || price_vnd, ' ') FROM (SELECT * FROM plan_price WHERE item IN ('pc', 'ups') ORDER BY item)")" = "pc=17000000 ups=5000000" ]
check "in one audit entry of the CLI, as the OS user" \
    [ "$(sqlite3 "$pdb" "SELECT count(*) FROM audit_log WHERE action = 'plan.prices' AND source = 'cli' AND actor LIKE '%@cli' AND after_json LIKE '%17000000%'")" = 1 ]
cli plan price pc -5
rc=$?
check "a negative price is refused in words, nothing written (rc $rc: $(cat "$T/cli.err"))" \
    [ "$rc" = 1 -a "$(sqlite3 "$pdb" "SELECT price_vnd FROM plan_price WHERE item = 'pc'")" = 17000000 ] &&
    grep -qF 'Đơn giá: ngoài khoảng cho phép (pc)' "$T/cli.err"
cli plan price toaster 5
rc=$?
check "an unknown item is refused (rc $rc: $(cat "$T/cli.err"))" [ "$rc" = 1 -a -s "$T/cli.err" ]
cli plan price pc
check "a price without its item or amount is a usage error (rc $?)" [ -s "$T/cli.err" ]
printf 'code,name,level\nCLI-T,Tổ thử CLI,department\n' >"$T/cli-unit.csv"
cli unit import "$T/cli-unit.csv"
cli plan budget cli-t "$Y" 9000000 "$((Y + 1))" 9500000
rc=$?
check "wardwatch plan budget sets a unit's years by its code (any capitals) (rc $rc)" \
    [ "$rc" = 0 -a "$(sqlite3 "$pdb" "SELECT group_concat(b.year || '=' || b.amount_vnd, ' ') FROM (SELECT * FROM plan_budget ORDER BY year) b JOIN org_unit u ON u.id = b.unit_id WHERE u.code = 'CLI-T'")" = "$Y=9000000 $((Y + 1))=9500000" ]
check "the budgets in one audit entry of the CLI" \
    [ "$(sqlite3 "$pdb" "SELECT count(*) FROM audit_log WHERE action = 'plan.budgets' AND source = 'cli' AND after_json LIKE '%9500000%'")" = 1 ]
nb=$(sqlite3 "$pdb" "SELECT count(*) FROM plan_budget")
na=$(sqlite3 "$pdb" "SELECT count(*) FROM audit_log")
cli plan budget NO-SUCH "$Y" 5
rc=$?
check "an unknown unit code is refused in words (rc $rc: $(cat "$T/cli.err"))" \
    [ "$rc" = 1 ] && grep -qF 'Mã đơn vị: không tìm thấy (NO-SUCH)' "$T/cli.err"
cli plan budget CLI-T 1999 5
rc=$?
check "a year out of 2000..2200 is refused in words (rc $rc: $(cat "$T/cli.err"))" \
    [ "$rc" = 1 ] && grep -qF 'Năm: ngoài khoảng cho phép (2000..2200)' "$T/cli.err"
cli plan budget CLI-T năm 5
rc=$?
check "a year that is no number is refused in words (rc $rc: $(cat "$T/cli.err"))" \
    [ "$rc" = 1 ] && grep -qF 'Năm: phải là số nguyên.' "$T/cli.err"
cli plan budget CLI-T "$Y" -1
rc=$?
check "a negative budget is refused (rc $rc: $(cat "$T/cli.err"))" \
    [ "$rc" = 1 ] && grep -qF 'Ngân sách: ngoài khoảng cho phép' "$T/cli.err"
check "the refused ones wrote nothing, not even an audit entry" \
    [ "$(sqlite3 "$pdb" "SELECT count(*) FROM plan_budget")" = "$nb" -a "$(sqlite3 "$pdb" "SELECT count(*) FROM audit_log")" = "$na" ]

# ---- a clean stop: the kept plan and health window freed, no sanitizer report (ASan builds) --
kill -TERM "$DASH_PID"
wait "$DASH_PID"
rc=$?
check "the dashboard stops on SIGTERM with 0 ($rc)" [ "$rc" = 0 ]
if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error' "$T/dash.log"; then
    fail "no sanitizer report"
    grep -A30 -E 'AddressSanitizer|LeakSanitizer|runtime error' "$T/dash.log" | head -60
else
    ok "no sanitizer report"
fi

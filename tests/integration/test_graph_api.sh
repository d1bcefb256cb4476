#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_graph_api.sh - graphs, series, legend figures (stats), p95, busiest links and /metrics of a real
# wardwatch-dashboard (port 0) over RRD files made with rrdtool in the collector's layout
# (DS names of collector/poll.c) and a database this test fills: SVG bytes, the parameter
# whitelist (unknown names and values, '../', '%2e%2e', ':' injection: all 400 bad_param),
# series equal to what `rrdtool fetch` prints for the same file, a p95 equal to a hand
# computation of the month, /metrics behind its token with values equal to the database
# rows and a hostile device name escaped as the text format says.
source "$(dirname "$0")/lib.sh"

for p in wardwatch wardwatch-dashboard; do
    [ -x "$BIN/$p" ] || { fail "graph api: no $BIN/$p (build it first)"; exit 1; }
done
command -v rrdtool >/dev/null || { skip "graph api" "no rrdtool (appliance/install-deps.sh)"; exit 0; }

DATA="$T/data"
ADMIN_PW='Quan-tri-2026!'
STEP=300
printf '%s\n' "$ADMIN_PW" | "$BIN/wardwatch" -d "$DATA" init --admin-password-stdin >"$T/init.log" 2>&1 ||
    { fail "init" "$(cat "$T/init.log")"; exit 1; }

# a hostile name: quotes, a newline, backslashes (a device may call itself anything)
BAD_NAME=$'R\xc6\xa1-le "l\xe1\xbb\x9bn"\nline\\2\\'
NOW=$(date +%s)
sqlite3 "$DATA/wardwatch.db" <<SQL || { fail "database filled"; exit 1; }
INSERT INTO device (id, name, kind, host) VALUES (1, 'Bộ định tuyến VNPT', 'router', '192.0.2.1');
INSERT INTO device (id, name, kind, host) VALUES (2, CAST(X'$(printf '%s' "$BAD_NAME" | od -An -tx1 | tr -d ' \n')' AS TEXT), 'switch', '192.0.2.2');
INSERT INTO device (id, name, kind, host) VALUES (3, 'Máy chủ', 'server', '192.0.2.3');
INSERT INTO device_status (device_id, state, since, poll_ms) VALUES (1, 'up', $NOW, 123);
INSERT INTO device_status (device_id, state, since, poll_ms) VALUES (2, 'unreachable', $NOW, 4500);
INSERT INTO interface (id, device_id, if_key, if_index, name, speed_bps, admin_status,
  oper_status, hc, in_octets, out_octets, first_seen, last_seen)
  VALUES (11, 1, 'wan0', 1, 'wan0', 1000000, 1, 1, 1, '18446744073709551000', '42', $NOW, $NOW);
INSERT INTO interface (id, device_id, if_key, if_index, name, speed_bps, admin_status,
  oper_status, hc, in_octets, out_octets, first_seen, last_seen)
  VALUES (12, 2, 'ge"1', 1, CAST(X'$(printf 'ge"1\\x\n' | od -An -tx1 | tr -d ' \n')' AS TEXT), 100000000, 1, 2, 0, '7', NULL, $NOW, $NOW);
SQL
ok "database filled (3 devices, 2 interfaces, a hostile name)"

# ---- RRD files in the collector's layout ----------------------------------------------------
# rates constant within every 2-hour bucket of epoch time, so each archive (5 min, 30 min,
# 2 h) averages to exactly the same value: in = f(bucket) B/s, out = g(bucket) B/s
RRD="$DATA/rrd"
mkdir -p "$RRD/1" "$RRD/3"
python3 - "$RRD" "$STEP" "$NOW" <<'PY' || { fail "rrd files made"; exit 1; }
import subprocess, sys
rrd, step, now = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def rra():
    out = []
    for per, span in ((step, 2*86400), (1800, 14*86400), (7200, 62*86400), (86400, 3*366*86400+86400)):
        steps = max(per // step, 1)
        rows = span // (steps * step) + 1
        out += ["RRA:AVERAGE:0.5:%d:%d" % (steps, rows), "RRA:MAX:0.5:%d:%d" % (steps, rows)]
    return out
f = lambda b: ((b * 7919) % 97 + 1) * 1000
g = lambda b: ((b * 104729) % 89 + 1) * 500
first = (now - 64 * 86400) // 7200 * 7200
last = now // step * step
def make(path, ds, values):
    subprocess.check_call(["rrdtool", "create", path, "--step", str(step), "--start", str(first - step)] + ds + rra())
    batch = []
    for t in range(first, last + 1, step):
        batch.append("%d:%s" % (t, values(t)))
        if len(batch) == 2000:
            subprocess.check_call(["rrdtool", "update", path] + batch); batch = []
    if batch:
        subprocess.check_call(["rrdtool", "update", path] + batch)
cnt = {"in": 0, "out": 0}
def ifvals(t):
    b = (t - 1) // 7200  # the step ending at t lies in this bucket
    if t > first:
        cnt["in"] += f(b) * step; cnt["out"] += g(b) * step
    return "%d:%d:0:0" % (cnt["in"], cnt["out"])
make(rrd + "/1/if-11.rrd", ["DS:in_octets:COUNTER:%d:0:125000" % (2*step), "DS:out_octets:COUNTER:%d:0:125000" % (2*step),
     "DS:in_errors:COUNTER:%d:0:U" % (2*step), "DS:out_errors:COUNTER:%d:0:U" % (2*step)], ifvals)
make(rrd + "/1/host.rrd", ["DS:cpu_load:GAUGE:%d:0:100" % (2*step), "DS:mem_used:GAUGE:%d:0:U" % (2*step),
     "DS:mem_total:GAUGE:%d:0:U" % (2*step), "DS:disk_max_pct:GAUGE:%d:0:100" % (2*step)],
     lambda t: "%d:300:1200:55" % (t // 7200 % 100))
make(rrd + "/1/snmp.rrd", ["DS:uptime:GAUGE:%d:0:U" % (2*step), "DS:poll_ms:GAUGE:%d:0:U" % (2*step)],
     lambda t: "%d:%d" % (t - first, 20 + t // 7200 % 30))
with open(rrd + "/first", "w") as fh:
    fh.write("%d %d\n" % (first, last))
PY
ok "rrd files made with rrdtool (if-11, host, snmp of device 1; 64 days, step $STEP s)"

spawn dashboard "$BIN/wardwatch-dashboard" -d "$DATA" --listen 127.0.0.1 --port 0 \
    --port-file "$T/port" --www "$WW_TOP/dashboard/www"
if ! port=$(wait_port_file "$T/port" 20); then
    fail "dashboard started" "$(tail -5 "$T/dashboard.log" | tr '\n' ' ')"
    exit 1
fi
ok "dashboard started on port $port"
U="http://127.0.0.1:$port"
ww_session admin "$port" admin "$ADMIN_PW" || { fail "admin login"; exit 1; }

get() { # get PATH -> status in $code, body in $T/body, headers in $T/hdr
    code=$(curl -s -D "$T/hdr" -o "$T/body" -w '%{http_code}' -b "$T/admin.jar" "$U$1")
}
hdr() { grep -i "^$1:" "$T/hdr" | head -1 | cut -d' ' -f2- | tr -d '\r'; }

# ---- graphs ------------------------------------------------------------------------------
for q in "name=traffic&interface=11" "name=errors&interface=11&range=week" "name=cpu&range=month" \
         "name=memory&range=year&lang=en" "name=disk" "name=poll&range=day&lang=vi"; do
    get "/api/v1/devices/1/graph?$q"
    if [ "$code" = 200 ] && [ "$(hdr Content-Type)" = "image/svg+xml" ] &&
       [ "$(hdr Cache-Control)" = "private, max-age=60" ] && grep -q '<svg' "$T/body"; then
        ok "graph $q: 200 image/svg+xml, private max-age=60, $(wc -c <"$T/body") bytes of <svg"
    else
        fail "graph $q" "$code $(hdr Content-Type) $(hdr Cache-Control) $(head -c 120 "$T/body")"
    fi
done
for q in "name=ups" "name=supplies&range=week"; do
    get "/api/v1/devices/1/graph?$q"
    check "graph $q without a metric file: 404 not_found" \
        test "$code" = 404 -a "$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["error"]["code"])' "$T/body")" = not_found
done
get "/api/v1/devices/3/graph?name=traffic&interface=11"
check "an interface of another device: 404" test "$code" = 404
get "/api/v1/devices/99/graph?name=cpu"
check "no such device: 404" test "$code" = 404
get "/api/v1/devices/abc/graph?name=cpu"
check "a device id that is not a number: 400 bad_id" grep -q '"bad_id"' "$T/body"
code=$(curl -s -o /dev/null -w '%{http_code}' "$U/api/v1/devices/1/graph?name=cpu")
check "no session: 401" test "$code" = 401

# every unknown parameter or value, path tricks and rrdtool syntax: 400 bad_param
bad=0
while IFS= read -r q; do
    get "/api/v1/devices/1/graph?$q"
    if [ "$code" != 400 ] || ! grep -q '"bad_param"' "$T/body"; then
        fail "graph ?$q refused" "$code $(head -c 100 "$T/body")"; bad=1
    fi
done <<'QUERIES'
name=traffic&interface=11&foo=1
name=cpu&Range=day
name=Traffic&interface=11
name=../host
name=..%2fhost
name=%2e%2e%2fhost
name=cpu&range=%2e%2e
name=cpu&range=day:
name=cpu&range=day%3A
name=DEF:x=/etc/passwd:a:AVERAGE
name=cpu:LINE1:x#ff0000
name=cpu&lang=vi%00
name=cpu&lang=fr
name=cpu&range=decade
name=cpu&range=
name=cpu&name=cpu
name=cpu&interface=11
name=traffic
name=traffic&interface=-1
name=traffic&interface=0
name=traffic&interface=11x
name=cpu&
name=cpu&&range=day
name=cpu&range=-1y
name=cpu+
name=cpu%20
name=cpu&range=day&lang=en&name=disk
name=cpu&range=day\
range=day
QUERIES
[ "$bad" = 0 ] && ok "29 unknown or bad graph parameters and injection attempts: 400 bad_param each"

# ---- series = rrdtool fetch ------------------------------------------------------------------
for range in day week month; do
    get "/api/v1/devices/1/series?name=traffic&interface=11&range=$range"
    if [ "$code" != 200 ]; then fail "series traffic $range" "$code"; continue; fi
    read -r start end step <<<"$(python3 -c 'import json,sys;d=json.load(open(sys.argv[1]));print(d["start"],d["end"],d["step"])' "$T/body")"
    # the API answers rows start+step .. end; rrdtool fetch prints one row past -e, so ask to end-step
    rrdtool fetch "$RRD/1/if-11.rrd" AVERAGE -s "$start" -e "$((end - step))" -r "$step" >"$T/fetch.txt"
    if python3 - "$T/body" "$T/fetch.txt" <<'PY'; then
import json, math, sys
d = json.load(open(sys.argv[1]))
rows = {}
for line in open(sys.argv[2]):
    if ":" not in line or not line.split(":")[0].strip().isdigit():
        continue
    t, vals = line.split(":", 1)
    rows[int(t)] = [float(v) for v in vals.split()]
assert d["columns"] == ["in_bps", "out_bps"], d["columns"]
assert len(d["rows"]) == len(rows), (len(d["rows"]), len(rows))
known = 0
for r in d["rows"]:
    want = rows[r[0]]
    for got, w in zip(r[1:3], want[0:2]):
        if math.isnan(w):
            assert got is None, (r, want)
        else:
            known += 1
            assert abs(got - w * 8) <= 1e-9 * max(1, abs(w * 8)), (r, want)
assert known > 10, known
print("# %d rows, %d known values, step %d" % (len(rows), known, d["step"]))
PY
        ok "series traffic range=$range: every row equals rrdtool fetch x 8 (step $step s)"
    else
        fail "series traffic range=$range equals rrdtool fetch"
    fi
done
get "/api/v1/devices/1/series?name=memory&range=day&cf=MAX"
check "series memory cf=MAX: mem_pct = 300/1200 = 25 %" python3 -c '
import json,sys; d=json.load(open(sys.argv[1])); v=[r[1] for r in d["rows"] if r[1] is not None]
assert d["columns"]==["mem_pct"] and d["cf"]=="MAX" and v and all(abs(x-25)<1e-9 for x in v)' "$T/body"
get "/api/v1/devices/1/series?name=memory&cf=LAST"
check "series cf=LAST: 400 bad_param" grep -q '"bad_param"' "$T/body"
get "/api/v1/devices/1/series?name=cpu&lang=vi"
check "series takes no lang: 400 bad_param" grep -q '"bad_param"' "$T/body"

# ---- the legend: /stats = the figures of the rows /series gives ---------------------------------
for range in day week; do
    get "/api/v1/devices/1/series?name=traffic&interface=11&range=$range"
    cp "$T/body" "$T/series.json"
    get "/api/v1/devices/1/stats?name=traffic&interface=11&range=$range"
    check "stats traffic range=$range: now, average, maximum, nearest-rank p95 of the series rows" \
        python3 - "$T/series.json" "$T/body" <<'PY'
import json, math, sys
s = json.load(open(sys.argv[1])); d = json.load(open(sys.argv[2]))
assert d["name"] == "traffic" and d["interface_id"] == 11 and len(d["lines"]) == 2, d
for c, line in enumerate(d["lines"]):
    v = [r[c + 1] for r in s["rows"] if r[c + 1] is not None]
    srt = sorted(v)
    want = {"current": v[-1], "average": sum(v) / len(v), "maximum": max(v),
            "p95": srt[math.ceil(0.95 * len(v) - 1e-9) - 1], "samples": len(v)}
    for k, w in want.items():
        assert abs(line[k] - w) <= 1e-9 * max(1, abs(w)), (c, k, line[k], w)
assert d["first_at"] is None or d["first_at"].endswith("Z"), d["first_at"]
PY
done
get "/api/v1/devices/1/stats?name=memory&range=day"
check "stats memory: every figure 25 % (300/1200)" python3 -c '
import json,sys; d=json.load(open(sys.argv[1])); l=d["lines"]
assert len(l)==1 and all(abs(l[0][k]-25)<1e-9 for k in ("current","average","maximum","p95"))' "$T/body"
get "/api/v1/devices/2/stats?name=cpu"
check "stats without a metric file: 404" test "$code" = 404
get "/api/v1/devices/1/stats?name=cpu&lang=vi"
check "stats takes no lang: 400 bad_param" grep -q '"bad_param"' "$T/body"
get "/api/v1/devices/1/graph?name=cpu&width=300"
check "graph width=300: an SVG" test "$code" = 200
for w in 199 1601 0 -5 abc 300x; do
    get "/api/v1/devices/1/graph?name=cpu&width=$w"
    [ "$code" = 400 ] && grep -q '"bad_param"' "$T/body" || fail "graph width=$w: 400 bad_param" "$code"
done
ok "graph width out of 200..1600 or not a number: 400 bad_param"

# ---- p95 of last month, by hand ----------------------------------------------------------------
# the previous month in Asia/Ho_Chi_Minh (UTC+7); rows are the 2-hour averages ending in it
read -r MONTH MSTART MEND <<<"$(python3 - "$NOW" <<'PY'
import sys, calendar
now = int(sys.argv[1]) + 7 * 3600
import time
y, m = time.gmtime(now)[:2]
y, m = (y - 1, 12) if m == 1 else (y, m - 1)
s = calendar.timegm((y, m, 1, 0, 0, 0)) - 7 * 3600
ny, nm = (y + 1, 1) if m == 12 else (y, m + 1)
e = calendar.timegm((ny, nm, 1, 0, 0, 0)) - 7 * 3600
print("%04d-%02d %d %d" % (y, m, s, e))
PY
)"
get "/api/v1/interfaces/11/p95?month=$MONTH"
if [ "$code" = 200 ] && python3 - "$T/body" "$MSTART" "$MEND" "$RRD/first" <<'PY'; then
import json, math, sys
d = json.load(open(sys.argv[1]))
start, end = int(sys.argv[2]), int(sys.argv[3])
first = int(open(sys.argv[4]).read().split()[0])
f = lambda b: ((b * 7919) % 97 + 1) * 1000
g = lambda b: ((b * 104729) % 89 + 1) * 500
step = d["step_s"]
assert step == 7200, step
ts = [t for t in range((start // step + 1) * step, end + 1, step) if t - step >= first]
def p95(vals):
    v = sorted(vals)
    return v[math.ceil(0.95 * len(v) - 1e-9) - 1]
pin = p95([f((t - step) // 7200) * 8 for t in ts])
pout = p95([g((t - step) // 7200) * 8 for t in ts])
want = {"in_bps": pin, "out_bps": pout, "p95_bps": max(pin, pout), "speed_bps": 1000000,
        "pct_of_speed": max(pin, pout) / 1e6 * 100, "samples": len(ts), "interface_id": 11,
        "device_id": 1}
for k, w in want.items():
    assert abs(d[k] - w) < 1e-9, (k, d[k], w)
print("# p95 %s: in %d out %d bit/s of %d rows = %.1f %% of 1 Mbit/s" % (d["month"], pin, pout, len(ts), d["pct_of_speed"]))
PY
    ok "p95 of $MONTH equals the hand computation (nearest rank of the 2-hour averages)"
else
    fail "p95 of $MONTH" "$code $(head -c 300 "$T/body")"
fi
for q in "month=2026-13" "month=26-11" "month=2026-11&x=1" "month=2026%2D11" "mon=2026-11"; do
    get "/api/v1/interfaces/11/p95?$q"
    [ "$code" = 400 ] || fail "p95 ?$q refused" "$code"
done
ok "p95 with a bad month or parameter: 400"
get "/api/v1/interfaces/12/p95"
check "p95 of an interface without a metric file: 404" test "$code" = 404
get "/api/v1/interfaces/999/p95"
check "p95 of no such interface: 404" test "$code" = 404

# ---- busiest links -----------------------------------------------------------------------------
get "/api/v1/links/busiest?period=30d&office=0&limit=5"
check "busiest links over 30 d, all hours: wan0 at the highest 2-hour average of 30 days" python3 - "$T/body" "$NOW" "$RRD/first" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); now = int(sys.argv[2])
assert len(d["items"]) == 1, d
it = d["items"][0]
assert (it["device_id"], it["interface_id"], it["interface_name"], it["speed_bps"]) == (1, 11, "wan0", 1000000), it
assert it["device_name"] == "Bộ định tuyến VNPT"
f = lambda b: ((b * 7919) % 97 + 1) * 1000
# 30 days back lies in the 2-hour archive: the peak is the largest bucket rate seen
peak = max(f(b) * 8 for b in range((now - 30 * 86400) // 7200 - 1, now // 7200 + 1)) / 1e6 * 100
assert abs(it["peak_in_pct"] - peak) < 1e-9 or it["peak_in_pct"] <= peak, (it, peak)
assert it["peak_in_pct"] >= 0.9 * peak and it["p95_pct"] <= it["peak_in_pct"] + 1e-9, it
PY
cp "$T/body" "$T/busiest.first"
# the answer is kept a few minutes by (period, office); the limit applies to the kept list
get "/api/v1/links/busiest?period=30d&office=0&limit=5"
check "busiest links asked again: the same bytes" cmp -s "$T/busiest.first" "$T/body"
get "/api/v1/links/busiest?period=30d&office=0&limit=1"
check "busiest links with limit 1: the first of the same list" python3 - "$T/busiest.first" "$T/body" <<'PY'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
assert b["items"] == a["items"][:1] and (b["period"], b["office"]) == ("30d", False), (a, b)
PY
get "/api/v1/links/busiest?period=7d&office=1"
check "busiest links in office hours: answered" test "$code" = 200
# holidays are not office time, for the busiest links as for availability: every day of the
# 30 days (and one either side, whatever the zone) made a holiday leaves no office-hours sample
python3 - "$NOW" >"$T/holidays.sql" <<'PY'
import datetime, sys
now = int(sys.argv[1])
day = datetime.datetime.fromtimestamp(now, datetime.timezone.utc).date()
print("INSERT INTO holiday (day, name) VALUES " + ", ".join(
    "('%s', 'Nghỉ thử')" % (day - datetime.timedelta(days=k)) for k in range(-2, 33)) + ";")
PY
sqlite3 "$DATA/wardwatch.db" <"$T/holidays.sql" || fail "holidays added"
get "/api/v1/links/busiest?period=30d&office=1"
check "busiest links in office hours when every day is a holiday: none (200, items [])" python3 - "$T/body" "$code" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert sys.argv[2] == "200" and d["items"] == [] and d["office"] is True, d
PY
sqlite3 "$DATA/wardwatch.db" "DELETE FROM holiday" || fail "holidays removed"
get "/api/v1/links/busiest?period=2d"
check "busiest links with a bad period: 400 bad_param" grep -q '"bad_param"' "$T/body"
get "/api/v1/links/busiest?limit=1000"
check "busiest links with limit over 100: 400" test "$code" = 400

# ---- /metrics ------------------------------------------------------------------------------------
m() { curl -s -o "$T/m.body" -w '%{http_code}' "$@" "$U/metrics"; }
c1=$(m); cp "$T/m.body" "$T/m.none"
c2=$(m -H "Authorization: Bearer $(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=' | head -c 43)"); cp "$T/m.body" "$T/m.wrong"
c3=$(m -H "Authorization: Basic YWRtaW46eA=="); cp "$T/m.body" "$T/m.basic"
if [ "$c1$c2$c3" = 401401401 ] && cmp -s "$T/m.none" "$T/m.wrong" && cmp -s "$T/m.none" "$T/m.basic"; then
    ok "/metrics: 401 with the same body without a token, with a wrong one, with Basic"
else
    fail "/metrics refused" "$c1 $c2 $c3"
fi
TOKEN=$("$BIN/wardwatch" -d "$DATA" metrics-token 2>"$T/token.err")
check "wardwatch metrics-token prints a 43-character token once" test ${#TOKEN} = 43
check "only its hash is kept, and the audit log says set" test \
    "$(sqlite3 "$DATA/wardwatch.db" "SELECT count(*) FROM setting WHERE key='metrics_token_hash' AND value <> '$TOKEN' AND length(value)=64;
      SELECT after_json FROM audit_log WHERE action='metrics.token'")" = $'1\n{"value":"set"}'
code=$(m -H "Authorization: Bearer $TOKEN")
cp "$T/m.body" "$T/metrics.txt"
if [ "$code" = 200 ] && python3 - "$T/metrics.txt" "$DATA/wardwatch.db" <<'PY'; then
import sqlite3, sys
text = open(sys.argv[1], encoding="utf-8").read()
db = sqlite3.connect(sys.argv[2])
def esc(s):
    return s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
lines = set(text.splitlines())
want = []
for did, name, kind, state, poll in db.execute(
        "SELECT d.id, d.name, d.kind, coalesce(s.state,'unknown'), s.poll_ms FROM device d LEFT JOIN device_status s ON s.device_id=d.id"):
    lab = 'device_id="%d",device="%s",kind="%s"' % (did, esc(name), kind)
    if state != "unknown":
        want.append('wardwatch_device_up{%s} %d' % (lab, state == "up"))
    for st in ("unknown", "up", "down", "unreachable"):
        want.append('wardwatch_device_state{%s,state="%s"} %d' % (lab, st, st == state))
    if poll is not None:
        want.append('wardwatch_poll_duration_seconds{%s} %.3f' % (lab, poll / 1000))
for iid, did, dname, name, oper, ino, outo, speed in db.execute(
        "SELECT i.id, d.id, d.name, i.name, i.oper_status, i.in_octets, i.out_octets, i.speed_bps FROM interface i JOIN device d ON d.id=i.device_id"):
    lab = 'device_id="%d",device="%s",interface_id="%d",interface="%s"' % (did, esc(dname), iid, esc(name))
    want.append('wardwatch_interface_oper_status{%s} %d' % (lab, oper))
    want.append('wardwatch_interface_speed_bps{%s} %d' % (lab, speed))
    if ino is not None:
        want.append('wardwatch_interface_in_octets_total{%s} %s' % (lab, ino))
    if outo is not None:
        want.append('wardwatch_interface_out_octets_total{%s} %s' % (lab, outo))
missing = [w for w in want if w not in lines]
assert not missing, missing
# the hostile name, exactly as the format escapes it, and no raw newline inside a label
assert 'device="R\u01a1-le \\"l\u1edbn\\"\\nline\\\\2\\\\"' in text
for l in text.splitlines():
    assert l.startswith("#") or l.startswith("wardwatch_"), l
assert "wardwatch_device_up{device_id=\"3\"" not in text  # unknown: no up/down claim
print("# %d expected lines found" % len(want))
PY
    ok "/metrics with the token: every value equals the database row; labels escaped"
else
    fail "/metrics with the token" "$code $(head -c 300 "$T/metrics.txt")"
fi
ctype=$(curl -s -o /dev/null -w '%{content_type}' -H "Authorization: Bearer $TOKEN" "$U/metrics")
check "/metrics Content-Type is text format 0.0.4" test "$ctype" = "text/plain; version=0.0.4; charset=utf-8"
OLD=$TOKEN
TOKEN=$("$BIN/wardwatch" -d "$DATA" metrics-token 2>/dev/null)
check "a new token: the old one is refused" test "$(m -H "Authorization: Bearer $OLD")" = 401
check "a new token: it is accepted" test "$(m -H "Authorization: Bearer $TOKEN")" = 200

if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error' "$T/dashboard.log"; then
    fail "no sanitizer report from the dashboard"
    cat "$T/dashboard.log"
fi
exit 0

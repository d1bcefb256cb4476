#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_uptime_api.sh - the network-uptime routes over HTTP against the hand-computed timeline
# of tests/unit/inventory/test_availability.c (read its comment for the arithmetic): a
# database made by `wardwatch init`, the timeline's rows put in with sqlite3, the dashboard
# started on port 0 with its clock frozen at "now" of the timeline (Mon 2026-11-30 10:00
# Asia/Ho_Chi_Minh = 1796007600) by libfaketime, then every route's JSON checked exactly:
# overview, device and list availability (+ CSV with formula neutralisation), outages with
# filters and paging (+ CSV), maintenance and holiday CRUD with their audit entries and their
# effect on the figures, 400 for bad parameters, 403 for a viewer, 401 without a session.
source "$(dirname "$0")/lib.sh"

DASH="$BIN/wardwatch-dashboard"
CLI="$BIN/wardwatch"
DATA="$T/data"
DB="$DATA/wardwatch.db"
ADMIN_PW='Quản-trị-mật-khẩu 2026'
FAKETIME_LIB=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -1)
NOW=1796007600

for tool in curl sqlite3 python3; do
    command -v "$tool" >/dev/null || { fail "needs $tool"; exit 1; }
done
[ -r "$FAKETIME_LIB" ] || { fail "needs libfaketime (appliance/install-deps.sh installs faketime)"; exit 1; }
[ -x "$DASH" ] && [ -x "$CLI" ] || { fail "no $DASH or $CLI (build them first)"; exit 1; }

mkdir -p "$DATA"
printf '%s\n' "$ADMIN_PW" | "$CLI" -d "$DATA" init --admin-password-stdin >"$T/init.log" 2>&1
check "wardwatch init" [ $? = 0 ]
for u in "it1 it" "viewer1 viewer"; do
    set -- $u
    printf '%s\n' "Pw-$1-secret-7731" | "$CLI" -d "$DATA" user add --login "$1" --role "$2" \
        --name "Người $1" --password-stdin >>"$T/cli.log" 2>&1 || fail "user add $1"
done

# the timeline (the same rows as the unit test; device C has a formula for a name)
sqlite3 "$DB" >/dev/null <<'SQL'
PRAGMA busy_timeout=5000;
INSERT INTO org_unit (id, name) VALUES (1, 'Phường Bến Nghé'), (2, 'Phường Đa Kao');
INSERT INTO location (id, unit_id, name) VALUES (1, 1, 'Trụ sở'), (2, 1, 'Điểm 2');
INSERT INTO device (id, name, kind, host, unit_id, location_id, created_at)
  VALUES (1, 'Router A', 'router', '192.0.2.1', 1, 1, 1792810800);
INSERT INTO device (id, name, kind, host, unit_id, location_id, parent_id, created_at)
  VALUES (2, 'Switch B', 'switch', '192.0.2.2', 1, 2, 1, 1795669200);
INSERT INTO device (id, name, kind, host, unit_id, created_at)
  VALUES (3, '=HYPERLINK("http://x")', 'printer', '192.0.2.3', 2, 1795402800);
INSERT INTO device_status (device_id, state, since, last_poll, first_ok)
  VALUES (1, 'unreachable', 1796004000, 1796007540, 1792810800),
         (2, 'up', 1795669200, 1796007540, 1795669200);
INSERT INTO interface (id, device_id, if_key, name, first_seen, last_seen)
  VALUES (1, 1, 'Gi0/1', 'Gi0/1', 1792810800, 1796007540),
         (2, 1, 'Gi0/2', 'Gi0/2', 1795798800, 1796007540);
INSERT INTO event (id, device_id, interface_id, type, started_at, ended_at) VALUES
  (1, 1, NULL, 'down', 1795399200, 1795404600), (2, 1, NULL, 'up', 1795404600, NULL),
  (3, 1, NULL, 'down', 1795424400, 1795483800), (4, 1, NULL, 'up', 1795483800, NULL),
  (5, 1, NULL, 'down', 1795572000, 1795575600), (6, 1, NULL, 'down', 1795665600, 1795676400),
  (7, 1, NULL, 'down', 1795766400, 1795771800), (8, 1, NULL, 'down', 1795831200, 1795842000),
  (9, 1, NULL, 'unreachable', 1796004000, NULL), (10, 1, NULL, 'down', 1795230000, 1795316400),
  (11, 1, 1, 'if_down', 1795482000, 1795485600), (12, 1, 1, 'if_up', 1795485600, NULL),
  (13, 1, NULL, 'reboot', 1795485600, NULL);
INSERT INTO maintenance (id, name, device_id, starts_at, ends_at, created_by) VALUES
  (1, 'Thay UPS', 1, 1795762800, 1795770000, 'admin'),
  (2, 'Đổi cổng', 2, 1795834800, 1795838400, 'admin');
INSERT INTO holiday (day, name) VALUES ('2026-11-25', 'Ngày nghỉ thử');
SQL
check "timeline rows inserted" [ $? = 0 ]

# a frozen clock: FAKETIME_FMT=%s keeps the instant the same whatever TZ the process sets
spawn dashboard env LD_PRELOAD="$FAKETIME_LIB" FAKETIME_FMT=%s FAKETIME="$NOW" \
    FAKETIME_DONT_FAKE_MONOTONIC=1 ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
    "$DASH" --data-dir "$DATA" --www "$WW_TOP/dashboard/www" --listen 127.0.0.1 --port 0 \
    --port-file "$T/port"
if ! port=$(wait_port_file "$T/port" 20); then
    fail "dashboard wrote its port file"
    cat "$T/dashboard.log"
    exit 1
fi
ok "dashboard wrote its port file"

CLI="$CLI" DATA_DIR="$DATA" python3 - "$port" "$ADMIN_PW" <<'PY'
import csv, io, json, os, subprocess, sys, urllib.request, urllib.error
port, admin_pw = sys.argv[1], sys.argv[2]
base = "http://127.0.0.1:%s" % port

def ok(name, good, why=""):
    print(("ok - %s" % name) if good else ("not ok - %s: %s" % (name, str(why)[:400])))

class Session:
    def __init__(self, login=None, pw=None):
        self.cookie, self.csrf = None, ""
        if login:
            st, body, hdr = self.req("POST", "/api/v1/session", {"login": login, "password": pw})
            self.cookie = hdr.get("Set-Cookie", "").split(";")[0]
            self.csrf = body["csrf_token"]
    def req(self, method, path, body=None, raw=False):
        data = None if body is None else json.dumps(body).encode()
        r = urllib.request.Request(base + path, data=data, method=method)
        r.add_header("Origin", base)
        if data is not None:
            r.add_header("Content-Type", "application/json")
        if self.cookie:
            r.add_header("Cookie", self.cookie)
            r.add_header("X-CSRF-Token", self.csrf)
        try:
            with urllib.request.urlopen(r) as resp:
                st, text, hdr = resp.status, resp.read().decode(), resp.headers
        except urllib.error.HTTPError as e:
            st, text, hdr = e.code, e.read().decode(), e.headers
        if raw:
            return st, text, hdr
        return st, (json.loads(text) if text.strip() else None), hdr

admin, it, viewer = Session("admin", admin_pw), Session("it1", "Pw-it1-secret-7731"), \
    Session("viewer1", "Pw-viewer1-secret-7731")
anon = Session()

def get(path, who=None):
    st, body, _ = (who or viewer).req("GET", path)
    return st, body

def expect(name, path, want, who=None):
    st, body = get(path, who)
    ok(name, st == 200 and body == want, "%s %s" % (st, json.dumps(body, ensure_ascii=False)))

def avail(pct, up, down, unreach, maint, mon, unknown=0):
    return {"pct": pct, "up_s": up, "down_s": down, "unreachable_s": unreach,
            "unknown_s": unknown, "maintenance_s": maint, "monitored_s": mon}

# what an outage says of its acknowledgement (issue 15): none here
NOT_ACKED = {"acked_at": None, "acked_by": None, "notes_count": 0}

def bad(name, method, path, status, code, body=None, who=None):
    st, b, _ = (who or it).req(method, path, body)
    ok(name, st == status and isinstance(b, dict) and b.get("error", {}).get("code") == code,
       "%s %s" % (st, b))

def audit_last():
    st, b = get("/api/v1/audit?limit=1", admin)
    return b["items"][0] if st == 200 and b["items"] else None

# ---- overview ---------------------------------------------------------------------------
o9 = {"id": 9, "device_id": 1, "device_name": "Router A", "interface_id": None,
      "interface_name": None, "type": "unreachable", "started_at": "2026-11-30T02:00:00Z",
      "ended_at": None, "duration_s": 3600, "in_maintenance": False, **NOT_ACKED}
def group(idk, namek, i, name, total, up, down, unr, unk):
    return {idk: i, namek: name, "total": total, "up": up, "down": down, "unreachable": unr,
            "unknown": unk}
overview = {
    "counts": {"total": 3, "up": 1, "down": 0, "unreachable": 1, "unknown": 1, "maintenance": 0},
    "by_unit": [group("unit_id", "unit_name", 1, "Phường Bến Nghé", 2, 1, 0, 1, 0),
                group("unit_id", "unit_name", 2, "Phường Đa Kao", 1, 0, 0, 0, 1)],
    "by_site": [group("location_id", "location_name", 1, "Trụ sở", 1, 0, 0, 1, 0),
                group("location_id", "location_name", 2, "Điểm 2", 1, 1, 0, 0, 0),
                group("location_id", "location_name", None, None, 1, 0, 0, 0, 1)],
    "outages": [o9],
    "worst": [{"device_id": 1, "device_name": "Router A", "pct": 93.096, "office_pct": 96.479},
              {"device_id": 2, "device_name": "Switch B", "pct": 100.0, "office_pct": 100.0}],
}
expect("overview: counts, units, sites, open outages, worst 30 d", "/api/v1/overview", overview)
expect("overview again (cached) is the same", "/api/v1/overview", overview)
st, _, _ = anon.req("GET", "/api/v1/overview")
ok("overview without a session is 401", st == 401, st)

# ---- one device ---------------------------------------------------------------------------
dev1 = {"device_id": 1, "periods": [
    {"period": "day", "all": avail(100.0, 82800, 0, 3600, 0, 86400),
     "office": avail(100.0, 5400, 0, 3600, 0, 9000)},
    {"period": "7d", "all": avail(85.152, 505800, 88200, 3600, 7200, 597600),
     "office": avail(85.185, 82800, 14400, 3600, 7200, 100800)},
    {"period": "30d", "all": avail(93.096, 2403000, 178200, 3600, 7200, 2584800),
     "office": avail(96.479, 493200, 18000, 3600, 7200, 514800)},
    # 365 d: since it was added, Sat 2026-10-24 10:00 (3196800 s; office 657000 s)
    {"period": "365d", "all": avail(94.407, 3007800, 178200, 3600, 7200, 3189600),
     "office": avail(97.214, 628200, 18000, 3600, 7200, 649800)}]}
st, b = get("/api/v1/devices/1/availability")
ok("device 1: periods day/7d/30d/365d, 24/7 and office", st == 200 and b["periods"] == dev1["periods"],
   json.dumps(b, ensure_ascii=False))
ifs = b["interfaces"] if st == 200 else []
ok("device 1: two interfaces by name", [(i["interface_id"], i["name"]) for i in ifs] == [(1, "Gi0/1"), (2, "Gi0/2")], ifs)
want_gi1 = {"period": "7d", "all": avail(99.644, 504000, 1800, 91800, 7200, 597600),
            "office": avail(97.826, 81000, 1800, 18000, 7200, 100800)}
want_gi2 = {"period": "7d", "all": avail(100.0, 194400, 0, 14400, 0, 208800),
            "office": avail(100.0, 5400, 0, 3600, 0, 9000)}
ok("interface Gi0/1, 7 d (device outages are its unreachable time)",
   len(ifs) == 2 and ifs[0]["periods"][1] == want_gi1, ifs[:1])
ok("interface Gi0/2, 7 d (first seen Sat 28)", len(ifs) == 2 and ifs[1]["periods"][1] == want_gi2, ifs[1:])
st, b = get("/api/v1/devices/2/availability")
ok("device 2 (child of A, added Thu 26 12:00): 7 d",
   st == 200 and b["periods"][1] == {"period": "7d", "all": avail(100.0, 327600, 0, 0, 10800, 327600),
                                      "office": avail(100.0, 41400, 0, 0, 7200, 41400)}, b)
st, b = get("/api/v1/devices/3/availability")
ok("device 3 (never polled): pct null",
   st == 200 and b["periods"][1]["all"] == avail(None, 0, 0, 0, 0, 0), b)
bad("device 99 availability is 404", "GET", "/api/v1/devices/99/availability", 404, "not_found")
bad("device abc availability is 400", "GET", "/api/v1/devices/abc/availability", 400, "bad_request")

# ---- all devices ----------------------------------------------------------------------------
C = '=HYPERLINK("http://x")'
expect("availability 7 d, lowest first", "/api/v1/availability?period=7d", {"items": [
    {"device_id": 1, "device_name": "Router A", "kind": "router", "pct": 85.152, "down_s": 88200, "outages": 7},
    {"device_id": 2, "device_name": "Switch B", "kind": "switch", "pct": 100.0, "down_s": 0, "outages": 0},
    {"device_id": 3, "device_name": C, "kind": "printer", "pct": None, "down_s": 0, "outages": 0}],
    "total": 3})
st, b = get("/api/v1/availability?period=7d&office=1")
ok("availability 7 d office hours", st == 200 and b["items"][0]["pct"] == 85.185 and
   b["items"][0]["down_s"] == 14400, b)
st, b = get("/api/v1/availability")
ok("availability default period is 30 d", st == 200 and b["items"][0]["pct"] == 93.096, b)
st, b = get("/api/v1/availability?period=7d&limit=1&offset=1")
ok("availability paging", st == 200 and b["total"] == 3 and [i["device_id"] for i in b["items"]] == [2], b)
for q in ("period=week", "office=2", "limit=x", "offset=-1", "period="):
    bad("availability ?%s is 400" % q, "GET", "/api/v1/availability?" + q, 400, "bad_request")
st, text, hdr = viewer.req("GET", "/api/v1/availability.csv?period=7d", raw=True)
# every CSV starts with the UTF-8 byte order mark (Excel reads Vietnamese only with it)
ok("availability.csv starts with the byte order mark", text.startswith("\ufeff"), text[:8])
rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
# the header is in the reader's language (viewer: Vietnamese), from the csv.* words
vi_words = json.load(open(os.path.join(os.environ["WW_TOP"], "dashboard/www/i18n/vi.json")))
def head(*cols):
    return [vi_words["csv." + c] for c in cols]
ok("availability.csv", st == 200 and hdr.get("Content-Type", "").startswith("text/csv") and rows == [
    head("device_id", "device_name", "kind", "pct", "down_s", "outages"),
    ["1", "Router A", "router", "85.152", "88200", "7"],
    ["2", "Switch B", "switch", "100.000", "0", "0"],
    ["3", "'" + C, "printer", "", "0", "0"]], rows)

# ---- outages --------------------------------------------------------------------------------
st, b = get("/api/v1/outages")
ids = [i["id"] for i in b["items"]] if st == 200 else []
ok("outages newest first", st == 200 and b["total"] == 9 and ids == [9, 8, 7, 6, 5, 11, 3, 1, 10], b)
ok("outages: the one under maintenance", st == 200 and [i["id"] for i in b["items"] if i["in_maintenance"]] == [7], ids)
ok("outages: open one first, exactly", st == 200 and b["items"][0] == o9, b["items"][:1])
ok("outages: the interface outage", st == 200 and b["items"][5] == {
    "id": 11, "device_id": 1, "device_name": "Router A", "interface_id": 1, "interface_name": "Gi0/1",
    "type": "if_down", "started_at": "2026-11-24T01:00:00Z", "ended_at": "2026-11-24T02:00:00Z",
    "duration_s": 3600, "in_maintenance": False, **NOT_ACKED}, b["items"][5:6])
for q, want in (("device=1", [9, 8, 7, 6, 5, 11, 3, 1, 10]), ("device=2", []), ("type=if_down", [11]),
                ("type=down&open=0", [8, 7, 6, 5, 3, 1, 10]), ("open=1", [9]),
                ("min_s=10800", [8, 6, 3, 10]), ("from=1795712400&to=1795798800", [7]),
                ("limit=3&offset=3", [6, 5, 11]), ("type=unreachable&min_s=3601", [])):
    st, b = get("/api/v1/outages?" + q)
    ok("outages ?%s" % q, st == 200 and [i["id"] for i in b["items"]] == want and
       (b["total"] == len(want) or "limit" in q), b)
for q in ("type=up", "open=2", "from=-1", "device=0", "min_s=1.5", "limit=1001"):
    bad("outages ?%s is 400" % q, "GET", "/api/v1/outages?" + q, 400, "bad_request")
st, text, hdr = viewer.req("GET", "/api/v1/outages.csv?type=if_down", raw=True)
rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
ok("outages.csv", st == 200 and rows == [
    head("id", "device_id", "device_name", "interface_id", "interface_name", "type", "started_at",
         "ended_at", "duration_s", "in_maintenance"),
    ["11", "1", "Router A", "1", "Gi0/1", "if_down", "2026-11-24T01:00:00Z", "2026-11-24T02:00:00Z",
     "3600", "0"]], rows)

# ---- maintenance --------------------------------------------------------------------------
w1 = {"id": 1, "name": "Thay UPS", "device_id": 1, "device_name": "Router A",
      "starts_at": "2026-11-27T07:00:00Z", "ends_at": "2026-11-27T09:00:00Z", "note": None,
      "created_by": "admin", "active": False}
st, b = get("/api/v1/maintenance")
ok("maintenance list", st == 200 and b["total"] == 2 and [m["id"] for m in b["items"]] == [2, 1]
   and b["items"][1] == w1, b)
expect("maintenance ?active=1 is empty", "/api/v1/maintenance?active=1", {"items": [], "total": 0})
bad("maintenance ?active=x is 400", "GET", "/api/v1/maintenance?active=x", 400, "bad_request")
new = {"name": "Đổi router", "device_id": 1, "starts_at": "2026-11-30T01:00:00Z",
       "ends_at": 1796011200, "note": "=1+1"}
bad("a viewer may not add maintenance", "POST", "/api/v1/maintenance", 403, "forbidden", new, viewer)
bad("ends before it starts is 400", "POST", "/api/v1/maintenance", 400, "invalid",
    dict(new, ends_at=1796000000))
bad("unknown field is 400", "POST", "/api/v1/maintenance", 400, "invalid", dict(new, colour="red"))
bad("no such device is 400", "POST", "/api/v1/maintenance", 400, "invalid", dict(new, device_id=99))
bad("bad time text is 400", "POST", "/api/v1/maintenance", 400, "invalid",
    dict(new, starts_at="30/11/2026 08:00"))
bad("missing ends_at is 400", "POST", "/api/v1/maintenance", 400, "invalid",
    {"name": "x", "starts_at": 1796000000})
before_audit = audit_last()["id"]
st, b, _ = it.req("POST", "/api/v1/maintenance", new)
ok("it adds a window (Mon 30 08:00-11:00 on A)", st == 201 and b == {
    "id": 3, "name": "Đổi router", "device_id": 1, "device_name": "Router A",
    "starts_at": "2026-11-30T01:00:00Z", "ends_at": "2026-11-30T04:00:00Z", "note": "=1+1",
    "created_by": "it1", "active": True}, "%s %s" % (st, b))
a = audit_last()
ok("audit: maintenance.add by it1 in the same change", a["id"] == before_audit + 1 and
   a["action"] == "maintenance.add" and a["actor"] == "it1" and a["object_type"] == "maintenance"
   and a["object_id"] == "3" and a["before"] is None and a["after"]["name"] == "Đổi router"
   and a["after"]["starts_at"] == 1796000400, a)
st, b = get("/api/v1/overview")
ok("overview shows it at once: A and its child B in maintenance, the open outage marked",
   st == 200 and b["counts"]["maintenance"] == 2 and b["outages"][0]["in_maintenance"] is True, b)
# day: 08:00-10:00 (7200 s) now maintenance, which swallows the unreachable 09:00-10:00
st, b = get("/api/v1/devices/1/availability")
ok("device 1 day with the window", st == 200 and b["periods"][0] == {
    "period": "day", "all": avail(100.0, 79200, 0, 0, 7200, 79200),
    "office": avail(100.0, 1800, 0, 0, 7200, 1800)}, b["periods"][0] if st == 200 else b)
st, b, _ = it.req("PATCH", "/api/v1/maintenance/3", {"ends_at": "2026-11-30T02:30:00Z"})
ok("it shortens it to 09:30", st == 200 and b["ends_at"] == "2026-11-30T02:30:00Z" and
   b["active"] is False and b["name"] == "Đổi router", b)
a = audit_last()
ok("audit: maintenance.change with before and after", a["action"] == "maintenance.change" and
   a["before"]["ends_at"] == 1796011200 and a["after"]["ends_at"] == 1796005800, a)
st, b = get("/api/v1/devices/1/availability")
ok("device 1 day with the shorter window", st == 200 and b["periods"][0]["all"] ==
   avail(100.0, 79200, 0, 1800, 5400, 81000), b["periods"][0] if st == 200 else b)
bad("PATCH of no window is 404", "PATCH", "/api/v1/maintenance/99", 404, "not_found", {"name": "x"})
bad("PATCH with ends before starts is 400", "PATCH", "/api/v1/maintenance/3", 400, "invalid",
    {"ends_at": 1795000000})
bad("a viewer may not remove maintenance", "DELETE", "/api/v1/maintenance/3", 403, "forbidden", None, viewer)
st, _, _ = it.req("DELETE", "/api/v1/maintenance/3")
ok("it removes the window", st == 204, st)
a = audit_last()
ok("audit: maintenance.remove", a["action"] == "maintenance.remove" and a["object_id"] == "3"
   and a["before"]["name"] == "Đổi router" and a["after"] is None, a)
bad("removing it again is 404", "DELETE", "/api/v1/maintenance/3", 404, "not_found")
expect("overview back as it was", "/api/v1/overview", overview)

# ---- holidays -----------------------------------------------------------------------------
expect("holidays", "/api/v1/holidays", {"items": [{"day": "2026-11-25", "name": "Ngày nghỉ thử"}], "total": 1})
expect("holidays ?year=2027", "/api/v1/holidays?year=2027", {"items": [], "total": 0})
bad("holidays ?year=26 is 400", "GET", "/api/v1/holidays?year=26", 400, "bad_request")
bad("a viewer may not set a holiday", "PUT", "/api/v1/holidays/2026-11-30", 403, "forbidden",
    {"name": "x"}, viewer)
bad("2026-02-30 is 400", "PUT", "/api/v1/holidays/2026-02-30", 400, "invalid", {"name": "x"})
bad("a holiday without a name is 400", "PUT", "/api/v1/holidays/2026-11-30", 400, "invalid", {"name": ""})
st, b, _ = it.req("PUT", "/api/v1/holidays/2026-11-30", {"name": "Nghỉ bù"})
ok("it makes Mon 30 a holiday", st == 200 and b == {"day": "2026-11-30", "name": "Nghỉ bù"}, b)
a = audit_last()
ok("audit: holiday.set", a["action"] == "holiday.set" and a["object_id"] == "2026-11-30" and
   a["before"] is None and a["after"] == {"day": "2026-11-30", "name": "Nghỉ bù"}, a)
st, b = get("/api/v1/devices/1/availability")
ok("Mon 30 has no office time now: day office null, 7 d office less 9000 s", st == 200 and
   b["periods"][0]["office"] == avail(None, 0, 0, 0, 0, 0) and
   b["periods"][1]["office"] == avail(84.314, 82800 - 5400, 14400, 0, 7200, 100800 - 9000), b)
st, b = get("/api/v1/overview")
ok("overview worst office pct follows the holiday", st == 200 and b["worst"][0]["office_pct"] ==
   round(100 * (493200 - 5400) / (493200 - 5400 + 18000), 3), b["worst"] if st == 200 else b)
st, _, _ = it.req("DELETE", "/api/v1/holidays/2026-11-30")
ok("it removes the holiday", st == 204, st)
a = audit_last()
ok("audit: holiday.remove", a["action"] == "holiday.remove" and a["before"]["name"] == "Nghỉ bù", a)
bad("removing it again is 404", "DELETE", "/api/v1/holidays/2026-11-30", 404, "not_found")
expect("overview back as it was after the holiday", "/api/v1/overview", overview)

# a change made by another process (the CLI) shows at once: the cache follows inventory's
# change mark, not the minute (this dashboard's clock is frozen: the minute never moves)
r = subprocess.run([os.environ["CLI"], "-d", os.environ["DATA_DIR"], "device", "add", "--name",
                    "Máy in tầng 3", "--kind", "printer", "--host", "192.0.2.250"],
                   capture_output=True, text=True)
ok("the CLI adds a device", r.returncode == 0, r.stderr)
st, b = get("/api/v1/overview")
ok("overview counts the CLI's device at once", st == 200 and
   b["counts"]["total"] == overview["counts"]["total"] + 1, b.get("counts") if st == 200 else b)
PY

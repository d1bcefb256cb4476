#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_dashboard.sh - start wardwatch-dashboard on port 0 against a fresh database, create
# the first admin with `wardwatch init --admin-password-stdin` once the dashboard has
# migrated the schema, fill in hostile rows with sqlite3, log in, and check the bytes on the
# wire: the JSON API, errors, limits, static files, security headers, and a clean SIGTERM
# stop. (test_auth.sh is the one about sessions, roles, CSRF and the audit log.)
source "$(dirname "$0")/lib.sh"

DASH="$BIN/wardwatch-dashboard"
CLI="$BIN/wardwatch"
SRC_WWW="$WW_TOP/dashboard/www"
WWW="$T/www" # a copy, so that the test can add traps next to the real files
DB="$T/data/wardwatch.db"
COMMUNITY='secret-community-xyz'
SCRIPT_NAME='<script>alert(1)</script>'
ADMIN_PW='Mật-khẩu-quản-trị 2026'

for tool in curl sqlite3 python3; do
    command -v "$tool" >/dev/null || { fail "needs $tool"; exit 1; }
done
[ -x "$DASH" ] && [ -x "$CLI" ] || { fail "no $DASH or $CLI (build them first)"; exit 1; }

cp -r "$SRC_WWW" "$WWW"
mkdir -p "$T/outside" "$WWW/dir.html"
echo 'outside secret' >"$T/outside/secret.html"
ln -s "$T/outside/secret.html" "$WWW/link.html"
ln -s "$T/outside" "$WWW/linkdir"
mkfifo "$WWW/fifo.html"

# ---- start-up failures: one clear error, exit 1 -----------------------------------------
mkdir -p "$T/empty" "$T/broken"
"$DASH" --data-dir "$T/empty" --www "$WWW" --port 0 >"$T/missing.log" 2>&1
rc=$?
check "missing database exits 1" [ "$rc" = 1 ]
check "missing database says so" grep -q "no such database" "$T/missing.log"
printf 'this is not a database, just text that is long enough to be read as a header\n' \
    >"$T/broken/wardwatch.db"
"$DASH" --data-dir "$T/broken" --www "$WWW" --port 0 >"$T/broken.log" 2>&1
rc=$?
check "broken database exits 1" [ "$rc" = 1 ]
check "broken database says so" grep -q "not a usable SQLite database" "$T/broken.log"

# ---- a fresh, empty database file; the dashboard migrates it ------------------------------
mkdir -p "$T/data"
sqlite3 "$DB" 'PRAGMA user_version' >/dev/null
spawn dashboard "$DASH" --data-dir "$T/data" --www "$WWW" --listen 127.0.0.1 --port 0 \
    --port-file "$T/port"
pid=$SPAWNED_PID
if ! port=$(wait_port_file "$T/port" 20); then
    fail "dashboard wrote its port file"
    cat "$T/dashboard.log"
    exit 1
fi
ok "dashboard wrote its port file"
URL="http://127.0.0.1:$port"
check "logs the listening address" grep -q "dashboard: listening on http://127.0.0.1:$port" \
    "$T/dashboard.log"

# the first admin, made the way an installer makes it, on the schema the dashboard made
printf '%s\n' "$ADMIN_PW" | "$CLI" -d "$T/data" init --admin-password-stdin >"$T/init.log" 2>&1
check "init --admin-password-stdin on the migrated database" [ $? = 0 ]

now=$(date +%s)
sqlite3 "$DB" >/dev/null <<SQL
PRAGMA busy_timeout=5000;
INSERT INTO device (id, name, kind, host, snmp_community, vendor)
  VALUES (1, '$SCRIPT_NAME', 'router', '192.0.2.1', '$COMMUNITY', 'Cisco');
INSERT INTO device (id, name, kind, host, snmp_community)
  VALUES (2, 'Máy in tầng 2 – Phường Đông Hòa', 'printer', '192.0.2.2', '$COMMUNITY');
INSERT INTO device_status (device_id, state, since, last_poll, last_ok, uptime_ticks, poll_ms)
  VALUES (1, 'up', $now, $now, $now, 8640000, 12);
INSERT INTO device_fact (device_id, name, value, first_seen, last_seen)
  VALUES (1, 'sysDescr', CAST(X'526f7574657220ff0a01' AS TEXT), $now, $now);
INSERT INTO interface (device_id, if_key, if_index, name, hc, in_octets, out_octets,
  first_seen, last_seen)
  VALUES (1, 'Gi0/1', 1, 'Gi0/1', 1, '18446744073709551615', '42', $now, $now);
INSERT INTO event (device_id, type, started_at, ended_at, message)
  VALUES (1, 'down', $((now - 600)), $((now - 300)), 'no answer to SNMP');
INSERT INTO event (device_id, type, started_at, message)
  VALUES (1, 'up', $((now - 300)), 'answers again');
SQL
check "test rows inserted" [ $? = 0 ]

# get NAME PATH [curl args...]: body in $T/NAME.body, headers in $T/NAME.hdr, status echoed;
# sends the admin's session cookie once logged in (nopass NAME PATH ...: without it)
JAR=/dev/null
get() {
    local name=$1 path=$2
    shift 2
    curl -s --path-as-is -b "$JAR" -o "$T/$name.body" -D "$T/$name.hdr" -w '%{http_code}' \
        "$@" "$URL$path"
}
nopass() {
    local name=$1 path=$2
    shift 2
    curl -s --path-as-is -o "$T/$name.body" -D "$T/$name.hdr" -w '%{http_code}' "$@" \
        "$URL$path"
}
# jq_check NAME PYTHON-EXPR: evaluate EXPR with j = the parsed body of NAME
jq_check() {
    python3 - "$T/$1.body" "$2" <<'PY'
import json, sys
j = json.load(open(sys.argv[1], encoding="utf-8"))
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
}
header() { grep -i "^$2:" "$T/$1.hdr" | head -1 | cut -d: -f2- | tr -d '\r' | sed 's/^ //'; }
is_error() { jq_check "$1" "set(j) == {'error'} and j['error']['code'] == '$2' and j['error']['message']"; }

# ---- API ----------------------------------------------------------------------------------
s=$(get health /api/v1/health)
check "health is 200" [ "$s" = 200 ]
check "health body" jq_check health "j == {'status': 'ok'}"
check "API content type" [ "$(header health Content-Type)" = "application/json; charset=utf-8" ]
check "API Cache-Control: no-store" [ "$(header health Cache-Control)" = "no-store" ]

# ---- without a session: health yes, the rest 401 -------------------------------------------
s=$(nopass anon /api/v1/devices)
check "devices without a session is 401" [ "$s" = 401 ]
check "401 error body" is_error anon unauthenticated
check "401 has the security headers too" [ "$(header anon X-Frame-Options)" = DENY ]
check "no device data without a session" bash -c "! grep -qF '192.0.2.1' '$T/anon.body'"
s=$(nopass anondev /api/v1/devices/1)
check "a device without a session is 401" [ "$s" = 401 ]
s=$(nopass anonhead /api/v1/devices -I)
check "HEAD without a session is 401" [ "$s" = 401 ]
s=$(nopass anonbad /api/v1/devices -H 'Cookie: ww_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')
check "a made-up session cookie is 401" [ "$s" = 401 ]

# ---- log in as the admin that init made ----------------------------------------------------
if ww_session admin "$port" admin "$ADMIN_PW" && [ -s "$T/admin.csrf" ]; then
    ok "admin logs in"
else
    fail "admin logs in" "$(cat "$T/admin.login.json" 2>/dev/null)"
fi
JAR="$T/admin.jar"
CSRF=$(cat "$T/admin.csrf" 2>/dev/null)

s=$(get devices /api/v1/devices)
check "devices is 200" [ "$s" = 200 ]
check "devices total and items" jq_check devices "j['total'] == 2 and len(j['items']) == 2"
check "script name comes back as a JSON string, intact" \
    jq_check devices "any(d['name'] == '$SCRIPT_NAME' for d in j['items'])"
check "Vietnamese name intact" \
    jq_check devices "any(d['name'] == 'Máy in tầng 2 – Phường Đông Hòa' for d in j['items'])"
check "community never in the devices list" bash -c "! grep -q '$COMMUNITY' '$T/devices.body'"
check "no community field" jq_check devices "all('snmp_community' not in d and 'community' not in d for d in j['items'])"
check "device 1 state, since, uptime" jq_check devices "[(d['state'], d['uptime_seconds'], d['poll_ms'], d['kind'], d['host'], d['snmp_port'], d['snmp_version'], d['enabled'], d['vendor']) for d in j['items'] if d['id'] == 1] == [('up', 86400, 12, 'router', '192.0.2.1', 161, '2c', True, 'Cisco')] and [d for d in j['items'] if d['id'] == 1][0]['state_since'].endswith('Z')"
check "device without status is unknown with nulls" jq_check devices "[(d['state'], d['state_since'], d['uptime_seconds'], d['sys_name'], d['sys_descr']) for d in j['items'] if d['id'] == 2] == [('unknown', None, None, None, None)]"
check "invalid UTF-8 and controls from a device are cleaned" jq_check devices "[d['sys_descr'] for d in j['items'] if d['id'] == 1] == ['Router \ufffd  ']"

s=$(get page '/api/v1/devices?limit=1&offset=1')
check "limit/offset page" jq_check page "j['total'] == 2 and len(j['items']) == 1"
s=$(get biglimit '/api/v1/devices?limit=100000')
check "limit=100000 is 400" [ "$s" = 400 ]
check "limit=100000 error body" is_error biglimit bad_request
s=$(get neglimit '/api/v1/devices?offset=-1')
check "offset=-1 is 400" [ "$s" = 400 ]
s=$(get junklimit '/api/v1/devices?limit=5abc')
check "limit=5abc is 400" [ "$s" = 400 ]

s=$(get dev1 /api/v1/devices/1)
check "device 1 is 200" [ "$s" = 200 ]
check "device 1 with interfaces, counters as strings" jq_check dev1 "j['id'] == 1 and j['interfaces'][0]['key'] == 'Gi0/1' and j['interfaces'][0]['in_octets'] == '18446744073709551615' and j['interfaces'][0]['hc'] is True"
check "community never in a device" bash -c "! grep -q '$COMMUNITY' '$T/dev1.body'"
s=$(get nodev /api/v1/devices/999999)
check "unknown device is 404" [ "$s" = 404 ]
check "unknown device error body" is_error nodev not_found
s=$(get baddev /api/v1/devices/abc)
check "non-numeric device id is 400" [ "$s" = 400 ]
check "non-numeric device id error body" is_error baddev bad_request
s=$(get post /api/v1/events -X POST)
check "POST /api/v1/events is 405" [ "$s" = 405 ]
check "405 carries Allow" [ "$(header post Allow)" = "GET, HEAD" ]
check "405 error body" is_error post method_not_allowed
s=$(get put /api/v1/devices -X PUT)
check "PUT /api/v1/devices is 405" [ "$s" = 405 ]
check "405 Allow lists every method of the path" [ "$(header put Allow)" = "GET, HEAD, POST" ]
s=$(get putdev /api/v1/devices/1 -X PUT)
check "PUT /api/v1/devices/1 is 405" \
    bash -c "[ '$s' = 405 ] && [ '$(header putdev Allow)' = 'GET, HEAD, PATCH, DELETE' ]"
s=$(get noapi /api/v1/nothing)
check "unknown API path is 404 JSON" bash -c "[ '$s' = 404 ] && grep -q not_found '$T/noapi.body'"

s=$(get events '/api/v1/events?limit=20')
check "events is 200" [ "$s" = 200 ]
check "events newest first, open one has ended_at null" jq_check events "j['total'] == 2 and [e['type'] for e in j['items']] == ['up', 'down'] and j['items'][0]['ended_at'] is None and j['items'][1]['ended_at'] is not None and j['items'][0]['device_name'] == '$SCRIPT_NAME'"
s=$(get events2 '/api/v1/events?device=2')
check "events of a device" jq_check events2 "j == {'items': [], 'total': 0}"
s=$(get events3 '/api/v1/events?device=x')
check "events device=x is 400" [ "$s" = 400 ]

# ---- a device added through the API: the community goes in, never comes out ---------------
s=$(get apiadd /api/v1/devices -X POST -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" \
    -H 'Content-Type: application/json' \
    --data-binary "{\"name\":\"Switch tầng 3\",\"kind\":\"switch\",\"host\":\"192.0.2.3\",\"snmp_community\":\"$COMMUNITY\"}")
check "POST /api/v1/devices is 201" [ "$s" = 201 ]
check "the new device comes back" jq_check apiadd "j['name'] == 'Switch tầng 3' and j['host'] == '192.0.2.3' and isinstance(j['id'], int)"
check "community not in the POST answer" bash -c "! grep -qF '$COMMUNITY' '$T/apiadd.body'"
s=$(get devices3 /api/v1/devices)
check "three devices now" jq_check devices3 "j['total'] == 3"
check "community never in the list" bash -c "! grep -qF '$COMMUNITY' '$T/devices3.body'"
s=$(get csv /api/v1/devices.csv)
check "devices.csv is 200 text/csv" bash -c "[ '$s' = 200 ] && [[ '$(header csv Content-Type)' == text/csv* ]]"
check "community never in devices.csv" bash -c "! grep -qF '$COMMUNITY' '$T/csv.body'"
check "script name in devices.csv as text" grep -qF '"<script>alert(1)</script>"' "$T/csv.body"
check "security headers on CSV too" [ "$(header csv X-Content-Type-Options)" = nosniff ]

# ---- limits ----------------------------------------------------------------------------------
head -c 70000 /dev/zero | tr '\0' a >"$T/big.body.in"
s=$(nopass big /api/v1/devices -X POST --data-binary @"$T/big.body.in")
check "body over 64 KiB is 413 (before any session check)" [ "$s" = 413 ]
check "413 error body" is_error big payload_too_large
s=$(get bigauth /api/v1/devices -X POST -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" \
    -H 'Content-Type: application/json' --data-binary @"$T/big.body.in")
check "body over 64 KiB is 413 with a session" [ "$s" = 413 ]
s=$(get bigchunk /api/v1/devices -X POST -H 'Transfer-Encoding: chunked' \
    -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' \
    --data-binary @"$T/big.body.in")
check "chunked body over 64 KiB is 413" [ "$s" = 413 ]
s=$(get devices4 /api/v1/devices)
check "nothing added by the oversize bodies" jq_check devices4 "j['total'] == 3"
s=$(get longurl "/api/v1/devices?x=$(head -c 40000 /dev/zero | tr '\0' a)")
check "overlong URL is refused" [ "$s" = 414 ] || [ "$s" = 431 ]

# ---- one name, one device: names compare as people read them --------------------------------
# (device 2 is 'Máy in tầng 2 – Phường Đông Hòa'; 'Switch tầng 3' came from the API above)
post_device() { # NAME BODY
    get "$1" /api/v1/devices -X POST -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" \
        -H 'Content-Type: application/json' --data-binary "$2"
}
patch_device() { # NAME ID BODY
    get "$1" "/api/v1/devices/$2" -X PATCH -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" \
        -H 'Content-Type: application/json' --data-binary "$3"
}
taken() { # NAME: 409, code exists, field name, reason name_taken, the other device, words
    jq_check "$1" "j['error']['code'] == 'exists' and j['error']['field'] == 'name' and j['error']['reason'] == 'name_taken' and j['error']['params']['param'] == '#2 Máy in tầng 2 – Phường Đông Hòa' and 'Máy in tầng 2' in j['error']['message'] and j['error']['message'].startswith('Tên thiết bị')"
}
sw3=$(python3 -c "import json; print(json.load(open('$T/apiadd.body'))['id'])")
while IFS='|' read -r why name; do
    s=$(post_device dupadd "{\"name\":\"$name\",\"kind\":\"printer\",\"host\":\"192.0.2.40\"}")
    check "POST a taken name is 409 ($why)" [ "$s" = 409 ]
    check "POST a taken name: exists, field name, reason name_taken, words ($why)" taken dupadd
done <<'CASES'
the same name|Máy in tầng 2 – Phường Đông Hòa
small letters with diacritics|máy in tầng 2 – phường đông hòa
capitals with diacritics|MÁY IN TẦNG 2 – PHƯỜNG ĐÔNG HÒA
combining marks and spaces around|  Ma\u0301y in tâ\u0300ng 2 – Phường Đông Hòa
CASES
s=$(patch_device duprename "$sw3" '{"name":"máy in TẦNG 2 – phường đông hòa"}')
check "PATCH a rename to a taken name is 409" [ "$s" = 409 ]
check "PATCH a rename to a taken name: name_taken with the other device" taken duprename
s=$(patch_device ownname "$sw3" '{"name":"SWITCH TẦNG 3"}')
check "PATCH a device to its own name in capitals is 200" [ "$s" = 200 ]
s=$(post_device nasadd '{"name":"Máy in tầng 2 – Phường Đông Hòa (NAS)","kind":"nas","host":"192.0.2.41"}')
check "POST a free name of kind nas is 201" [ "$s" = 201 ]
check "the nas comes back as a nas" jq_check nasadd "j['kind'] == 'nas'"
check "no device added or renamed by the refused ones" [ "$(sqlite3 "$DB" "SELECT count(*) FROM device WHERE name LIKE '%ng 2 – Ph%'") $(sqlite3 "$DB" "SELECT name FROM device WHERE id = $sw3")" = "2 SWITCH TẦNG 3" ]

# ---- static files -------------------------------------------------------------------------
s=$(get index /)
check "/ is 200" [ "$s" = 200 ]
check "/ is index.html" cmp -s "$T/index.body" "$WWW/index.html"
check "/ is text/html" [ "$(header index Content-Type)" = "text/html; charset=utf-8" ]
check "CSP header" [ "$(header index Content-Security-Policy)" = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'" ]
check "nosniff header" [ "$(header index X-Content-Type-Options)" = nosniff ]
check "Referrer-Policy header" [ "$(header index Referrer-Policy)" = no-referrer ]
check "X-Frame-Options header" [ "$(header index X-Frame-Options)" = DENY ]
check "security headers on API errors too" [ "$(header nodev X-Frame-Options)" = DENY ]
s=$(get appjs /app.js)
check "/app.js is 200" [ "$s" = 200 ]
check "/app.js is javascript" bash -c "[[ '$(header appjs Content-Type)' == text/javascript* ]]"
s=$(get vi /i18n/vi.json)
check "/i18n/vi.json is JSON" bash -c "[ '$s' = 200 ] && [[ '$(header vi Content-Type)' == application/json* ]]"
check "vi.json has diacritics" jq_check vi "j['state.up'] == 'Đang hoạt động' and j['state.down'] == 'Mất kết nối' and j['state.unknown'] == 'Chưa rõ'"
s=$(get css /style.css)
check "/style.css is text/css" bash -c "[ '$s' = 200 ] && [[ '$(header css Content-Type)' == text/css* ]]"
# revalidation: a browser that holds the file gets a 304 without a body, for each form
s=$(get appgz /app.js -H 'Accept-Encoding: gzip')
tag_gz=$(header appgz ETag)
tag_id=$(header appjs ETag)
check "a file has an ETag, another for its compressed form" \
    bash -c "[ -n '$tag_gz' ] && [ -n '$tag_id' ] && [ '$tag_gz' != '$tag_id' ]"
check "the compressed form is the file" bash -c "gzip -dc '$T/appgz.body' | cmp -s - '$WWW/app.js'"
s=$(get app304 /app.js -H 'Accept-Encoding: gzip' -H "If-None-Match: $tag_gz")
check "If-None-Match of the held form: 304 with no body" \
    bash -c "[ '$s' = 304 ] && [ ! -s '$T/app304.body' ] && [ '$(header app304 ETag)' = '$tag_gz' ]"
s=$(get appgz2 /app.js -H 'Accept-Encoding: gzip')
check "a second compressed answer (the kept form) is the same bytes" cmp -s "$T/appgz.body" "$T/appgz2.body"
s=$(get appother /app.js -H "If-None-Match: $tag_gz")
check "the compressed form's tag does not validate the plain form" [ "$s" = 200 ]
printf '\n// edited\n' >>"$WWW/app.js"
s=$(get appnew /app.js -H 'Accept-Encoding: gzip' -H "If-None-Match: $tag_gz")
check "an edited file is sent again, compressed anew, with a new tag" \
    bash -c "[ '$s' = 200 ] && [ '$(header appnew ETag)' != '$tag_gz' ] && gzip -dc '$T/appnew.body' | cmp -s - '$WWW/app.js'"

for p in /link.html /linkdir/secret.html /fifo.html /dir.html \
     /../../etc/passwd /%2e%2e/etc/passwd /%2E%2E/%2E%2E/etc/passwd /..%2f..%2fetc%2fpasswd \
    /.hidden /i18n/../index.html //etc/passwd '/index.html%00.png' /i18n/ /nothing.html \
    /README.md /app.js/ '/..\..\etc\passwd'; do
    s=$(get trav "$p")
    if [ "$s" = 404 ] && ! grep -qE 'root:|outside secret' "$T/trav.body"; then ok "$p is 404"; else fail "$p is 404" "got $s"; fi
done
s=$(get poststatic /index.html -X POST)
check "POST to a static file is 405" [ "$s" = 405 ]
s=$(get head /api/v1/devices -I)
check "HEAD works" [ "$s" = 200 ]
check "HEAD has the API headers" bash -c "[ '$(header head Cache-Control)' = no-store ] && [ '$(header head X-Frame-Options)' = DENY ]"

# ---- clean stop ---------------------------------------------------------------------------
kill -TERM "$pid"
wait "$pid"
rc=$?
check "SIGTERM exits 0" [ "$rc" = 0 ]
if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error' "$T/dashboard.log"; then
    fail "no sanitizer report"
    cat "$T/dashboard.log"
else
    ok "no sanitizer report"
fi
check "port file removed on exit" [ ! -e "$T/port" ]
check "community never in the log" bash -c "! grep -qF '$COMMUNITY' '$T/dashboard.log'"
check "admin password never in the log" bash -c "! grep -qF '$ADMIN_PW' '$T/dashboard.log' '$T/init.log'"
exit 0

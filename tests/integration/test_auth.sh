#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_auth.sh - tests that try to get in: every non-public route without a session, the
# permission matrix for each role, forged cross-site changes, a stolen-then-logged-out
# token, session fixation, cookie flags under HTTPS, CSV formula neutralising, the audit
# log (API and CLI) and its immutability.
source "$(dirname "$0")/lib.sh"

DATA=$T/data
PW=admin-pass-$RANDOM$RANDOM
echo "$PW" | "$BIN/wardwatch" -d "$DATA" init --admin-password-stdin --self-signed-cert >"$T/init.out" ||
    { fail "init"; exit 0; }
for r in it manager hr viewer; do
    echo "$r-pass-12345" | "$BIN/wardwatch" -d "$DATA" user add --login "u$r" --role "$r" --password-stdin >/dev/null
done
WW_COMMUNITY=s3cret-comm "$BIN/wardwatch" -d "$DATA" device add --name cli-dev --host 127.0.9.1 >/dev/null
spawn dash "$BIN/wardwatch-dashboard" -d "$DATA" --port 0 --port-file "$T/port" --www "$WW_TOP/dashboard/www"
P=$(wait_port_file "$T/port") || { fail "dashboard started"; exit 0; }
U=http://127.0.0.1:$P
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

# --- every non-public route without a session is 401 --------------------------------------
bad=""
while read -r m path; do
    c=$(code -X "$m" -H "Origin: $U" -H 'Content-Type: application/json' -d '{}' "$U$path")
    [ "$c" = 401 ] || bad="$bad $m $path=$c"
done <<'ROUTES'
GET /api/v1/devices
POST /api/v1/devices
GET /api/v1/devices/1
PATCH /api/v1/devices/1
DELETE /api/v1/devices/1
GET /api/v1/devices.csv
GET /api/v1/events
GET /api/v1/events.csv
GET /api/v1/users
POST /api/v1/users
PATCH /api/v1/users/1
GET /api/v1/audit
GET /api/v1/audit.csv
GET /api/v1/session
DELETE /api/v1/session
PUT /api/v1/me/password
PUT /api/v1/me/lang
ROUTES
check "every non-public route without a session is 401${bad:+ (not:$bad)}" test -z "$bad"
check "health stays public" test "$(code "$U/api/v1/health")" = 200

# --- the permission matrix ---------------------------------------------------------------
ww_session admin "$P" admin "$PW"
for r in it manager hr viewer; do ww_session "$r" "$P" "u$r" "$r-pass-12345"; done
# route: expected status for admin it manager hr viewer
matrix_bad=""
while read -r m path body a i mg h v; do
    k=0
    for who in admin it manager hr viewer; do
        want=$(echo "$a $i $mg $h $v" | cut -d' ' -f$((k + 1))); k=$((k + 1))
        [ "$body" = - ] && body=""
        got=$(ww_api "$who" "$P" "$m" "$path" "${body//@R/$who$RANDOM}" | head -1 | cut -d' ' -f1)
        [ "$got" = "$want" ] || matrix_bad="$matrix_bad $who:$m:$path=$got(want $want)"
    done
done <<'MATRIX'
GET /api/v1/devices - 200 200 200 200 200
GET /api/v1/events - 200 200 200 200 200
GET /api/v1/devices.csv - 200 200 200 200 200
POST /api/v1/devices {"name":"@R","host":"@R.example"} 201 201 403 403 403
GET /api/v1/users - 200 403 403 403 403
GET /api/v1/audit - 200 403 403 403 403
GET /api/v1/audit.csv - 200 403 403 403 403
GET /api/v1/session - 200 200 200 200 200
PUT /api/v1/me/lang {"lang":"en"} 204 204 204 204 204
MATRIX
check "each role gets exactly PERMISSIONS.md${matrix_bad:+:$matrix_bad}" test -z "$matrix_bad"

# --- forged cross-site changes are refused and change nothing ------------------------------
n0=$(ww_api admin "$P" GET /api/v1/devices | python3 -c 'import json,sys; print(json.loads(sys.stdin.read().split(" ",1)[1])["total"])')
a0=$(sqlite3 "$DATA/wardwatch.db" "SELECT count(*) FROM audit_log")
csrf=$(cat "$T/admin.csrf")
body='{"name":"forged","host":"10.66.6.6"}'
c1=$(code -b "$T/admin.jar" -H "Origin: http://evil.example" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' -d "$body" "$U/api/v1/devices")
c2=$(code -b "$T/admin.jar" -H "Origin: $U" -H 'Content-Type: application/json' -d "$body" "$U/api/v1/devices")
c3=$(code -b "$T/admin.jar" -H "Origin: $U" -H "X-CSRF-Token: x$csrf" -H 'Content-Type: application/json' -d "$body" "$U/api/v1/devices")
c4=$(code -b "$T/admin.jar" -H "Origin: $U" -H "X-CSRF-Token: $csrf" -H 'Content-Type: text/plain' -d "$body" "$U/api/v1/devices")
c5=$(code -b "$T/admin.jar" -H "Sec-Fetch-Site: cross-site" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' -d "$body" "$U/api/v1/devices")
check "cross-site Origin refused ($c1)" test "$c1" = 403
check "missing CSRF token refused ($c2)" test "$c2" = 403
check "wrong CSRF token refused ($c3)" test "$c3" = 403
check "form content type refused ($c4)" test "$c4" = 415
check "cross-site fetch without Origin refused ($c5)" test "$c5" = 403
n1=$(ww_api admin "$P" GET /api/v1/devices | python3 -c 'import json,sys; print(json.loads(sys.stdin.read().split(" ",1)[1])["total"])')
check "nothing was added by the forgeries" test "$n0" = "$n1"
check "and nothing was audited" test "$a0" = "$(sqlite3 "$DATA/wardwatch.db" "SELECT count(*) FROM audit_log")"

# --- stolen token after logout; fixation ----------------------------------------------------
cp "$T/viewer.jar" "$T/stolen.jar"
check "logout is 204" test "$(ww_api viewer "$P" DELETE /api/v1/session | cut -d' ' -f1)" = 204
check "the stolen copy is dead after logout" test "$(code -b "$T/stolen.jar" "$U/api/v1/session")" = 401
fixed=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
curl -s -D "$T/fix.h" -o /dev/null -b "ww_session=$fixed" -H 'Content-Type: application/json' \
    -H "Origin: $U" -d "{\"login\":\"uhr\",\"password\":\"hr-pass-12345\"}" "$U/api/v1/session"
new=$(sed -n 's/^Set-Cookie: ww_session=\([^;]*\).*/\1/pi' "$T/fix.h" | tr -d '\r')
check "login issues a new token, not the one the client brought" bash -c "[ -n '$new' ] && [ '$new' != '$fixed' ]"
check "the planted token is not a session" test "$(code -b "ww_session=$fixed" "$U/api/v1/session")" = 401
check "cookie is HttpOnly, SameSite=Strict, Path=/" bash -c "grep -i '^Set-Cookie:' '$T/fix.h' | grep -q 'Path=/; HttpOnly; SameSite=Strict'"

# --- CSV formulas are neutralised -----------------------------------------------------------
ww_api admin "$P" POST /api/v1/devices '{"name":"=HYPERLINK(\"http://x\")","host":"10.9.9.9"}' >/dev/null
curl -s -b "$T/admin.jar" "$U/api/v1/devices.csv" >"$T/devices.csv"
printf '%s' "\"'=HYPERLINK(\"\"http://x\"\")\"" >"$T/want.txt"
check "a formula name is text in devices.csv" grep -qF -f "$T/want.txt" "$T/devices.csv"

# --- audit: API and CLI changes, no secrets, append-only ------------------------------------
WW_COMMUNITY=x "$BIN/wardwatch" -d "$DATA" device add --name cli-dev-2 --host 127.0.9.2 >/dev/null
aud=$(ww_api admin "$P" GET '/api/v1/audit?action=device.add&limit=100')
check "API device.add audited with actor and address" bash -c "[[ '$(echo "$aud" | tr \' _)' == *'\"actor\":\"admin\"'*'\"source\":\"api\"'*'127.0.0.1'* ]]"
check "CLI device.add audited as cli" bash -c "[[ '$(echo "$aud" | tr \' _)' == *'\"source\":\"cli\"'* ]]"
check "no secret in the audit log" bash -c "! sqlite3 '$DATA/wardwatch.db' 'SELECT before_json, after_json FROM audit_log' | grep -q -e s3cret -e argon2 -e pass-12345"
check "audit_log refuses DELETE" bash -c "! sqlite3 '$DATA/wardwatch.db' 'DELETE FROM audit_log' 2>/dev/null"
check "audit_log refuses UPDATE" bash -c "! sqlite3 '$DATA/wardwatch.db' \"UPDATE audit_log SET actor='x'\" 2>/dev/null"
check "no route changes the audit log" test "$(ww_api admin "$P" DELETE /api/v1/audit | cut -d' ' -f1)" = 405

# --- HTTPS with the self-signed certificate ---------------------------------------------------
cert=$(sed -n 's/^  tls_cert = //p' "$T/init.out")
key=$(sed -n 's/^  tls_key = //p' "$T/init.out")
check "init --self-signed-cert wrote a private key" test "$(stat -c %a "$key" 2>/dev/null)" = 600
printf '[general]\ndata_dir = %s\n[dashboard]\nport = 0\nport_file = %s\nwww_dir = %s\ntls_cert = %s\ntls_key = %s\n' \
    "$DATA" "$T/tport" "$WW_TOP/dashboard/www" "$cert" "$key" >"$T/tls.conf"
spawn tls "$BIN/wardwatch-dashboard" -c "$T/tls.conf"
TP=$(wait_port_file "$T/tport") || fail "HTTPS dashboard started"
curl -s --cacert "$cert" -D "$T/tls.h" -o /dev/null -H 'Content-Type: application/json' \
    -H "Origin: https://127.0.0.1:$TP" -d "{\"login\":\"admin\",\"password\":\"$PW\"}" "https://127.0.0.1:$TP/api/v1/session"
check "HTTPS login works with the certificate" grep -q '^HTTP/[0-9.]* 200' "$T/tls.h"
check "under HTTPS the cookie is Secure" bash -c "grep -i '^Set-Cookie:' '$T/tls.h' | grep -q 'Secure'"
check "and Strict-Transport-Security is sent" grep -qi '^Strict-Transport-Security' "$T/tls.h"
check "plain HTTP to the HTTPS port gets nothing" bash -c "[ \"\$(curl -s -m 3 -o /dev/null -w '%{http_code}' http://127.0.0.1:$TP/api/v1/health)\" != 200 ]"
check "no password, token or community in the dashboard logs" bash -c "! grep -q -e '$PW' -e s3cret -e pass-12345 '$T/dash.log' '$T/tls.log'"
exit 0

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_http_guard.sh - what the dashboard's HTTP front refuses before any route runs. One
# database, one dashboard over HTTP and one over HTTPS (`init --self-signed-cert`), then:
# the Host header against DNS rebinding (a foreign name gets 421 bad_host on login, on a
# change and on a static file; localhost, IP literals and [dashboard] hostnames work); TLS
# 1.2 and 1.3 only; and the answers libmicrohttpd writes itself (URI too long, headers too
# large, malformed request line or header, no Host, unknown HTTP version) carry the same
# security headers as ours. About 10 s.
source "$(dirname "$0")/lib.sh"

DASH="$BIN/wardwatch-dashboard"
CLI="$BIN/wardwatch"
DATA="$T/data"
ADMIN_PW='Admin-pass-2026-xK'
JSON='Content-Type: application/json'
EVIL=evil.example
NAME=wardwatch.test # the name [dashboard] hostnames allows

for tool in curl openssl python3; do
    command -v "$tool" >/dev/null || { fail "needs $tool"; exit 1; }
done
[ -x "$DASH" ] && [ -x "$CLI" ] || { fail "no $DASH or $CLI (build them first)"; exit 1; }

printf '%s\n' "$ADMIN_PW" | "$CLI" -d "$DATA" init --admin-password-stdin >"$T/init.log" 2>&1
check "init" [ $? = 0 ]
"$CLI" -d "$DATA" init --self-signed-cert >"$T/tls.out" 2>&1
check "init --self-signed-cert" [ $? = 0 ]

conf() { # conf NAME PORTFILE: a dashboard config on 127.0.0.1, port 0
    printf '[general]\ndata_dir = %s\n[dashboard]\nlisten_address = 127.0.0.1\n' "$DATA" >"$T/$1.conf"
    printf 'port = 0\nport_file = %s\nwww_dir = %s\nhostnames = %s, other.test\n' \
        "$2" "$WW_TOP/dashboard/www" "$NAME" >>"$T/$1.conf"
}
conf http "$T/port"
conf https "$T/sport"
grep -E '^  tls_(cert|key) = ' "$T/tls.out" | sed 's/^  //' >>"$T/https.conf"
spawn dash "$DASH" -c "$T/http.conf"
spawn dashs "$DASH" -c "$T/https.conf"
PORT=$(wait_port_file "$T/port" 20) || { fail "HTTP dashboard started" "$(cat "$T/dash.log")"; exit 1; }
SPORT=$(wait_port_file "$T/sport" 20) || { fail "HTTPS dashboard started" "$(cat "$T/dashs.log")"; exit 1; }
URL="http://127.0.0.1:$PORT"
SURL="https://127.0.0.1:$SPORT"
CA=(--cacert "$DATA/tls/cert.pem")

# ---- 1. the Host header (DNS rebinding) -----------------------------------------------------
# call NAME HOST METHOD PATH [curl args]: a request to the HTTP dashboard naming HOST, sent
# with --resolve so that the URL, Host and the TCP peer agree as in a browser; prints status
call() {
    local name=$1 host=$2 method=$3 path=$4
    shift 4
    curl -s -o "$T/$name.body" -D "$T/$name.hdr" -w '%{http_code}' -X "$method" \
        --resolve "$host:$PORT:127.0.0.1" "$@" "http://$host:$PORT$path"
}
is_error() { # FILE CODE: the error JSON with that code and words
    python3 -c 'import json,sys; e=json.load(open(sys.argv[1]))["error"]
sys.exit(not (e["code"] == sys.argv[2] and e["message"] and not e["message"].startswith("error.")))' "$1" "$2"
}
login_as() { # login_as NAME HOST: prints status, cookie jar $T/NAME.jar, token $T/NAME.csrf
    local s
    s=$(call "$1" "$2" POST /api/v1/session -c "$T/$1.jar" -H "$JSON" \
        -H "Origin: http://$2:$PORT" --data-binary "{\"login\":\"admin\",\"password\":\"$ADMIN_PW\"}")
    sed -n 's/.*"csrf_token":"\([A-Za-z0-9_-]*\)".*/\1/p' "$T/$1.body" >"$T/$1.csrf"
    echo "$s"
}
lang_of_admin() { sqlite3 -cmd '.timeout 5000' "$DATA/wardwatch.db" "SELECT lang FROM user WHERE login = 'admin'"; }

s=$(login_as evil "$EVIL")
check "Host $EVIL: login is refused (421 bad_host, words in the error)" \
    bash -c "[ '$s' = 421 ] && $(declare -f is_error); is_error '$T/evil.body' bad_host"
check "Host $EVIL: no session cookie is set" bash -c "! grep -qi '^Set-Cookie:' '$T/evil.hdr'"
check "Host $EVIL: the refusal has the security headers" grep -qi '^X-Content-Type-Options: nosniff' "$T/evil.hdr"
s=$(call evil_static "$EVIL" GET /)
check "Host $EVIL: the UI page is refused too (421)" [ "$s" = 421 ]
s=$(call evil_health "$EVIL" GET /api/v1/health)
check "Host $EVIL: a public API route is refused too (421)" [ "$s" = 421 ]
s=$(call evil_up "$EVIL." GET /api/v1/health -H "Host: EVIL.example.:$PORT")
check "Host EVIL.example. (capitals, final dot): refused" [ "$s" = 421 ]

s=$(login_as good "$NAME")
check "Host $NAME (in hostnames): login 200" [ "$s" = 200 ]
before=$(lang_of_admin)
want=en
[ "$before" = en ] && want=vi
# the rebinding page holds no session of ours, but even with one the change must not land
# (the cookie by hand: curl would keep the jar's cookie for the name it was set for)
COOKIE="Cookie: ww_session=$(awk '$6 == "ww_session" { v = $7 } END { print v }' "$T/good.jar")"
s=$(call evil_put "$EVIL" PUT /api/v1/me/lang -H "$COOKIE" -H "$JSON" \
    -H "Origin: http://$EVIL:$PORT" -H "X-CSRF-Token: $(cat "$T/good.csrf")" \
    --data-binary "{\"lang\":\"$want\"}")
check "Host $EVIL: a change (with a valid session and token) is refused (421)" \
    bash -c "[ '$s' = 421 ] && $(declare -f is_error); is_error '$T/evil_put.body' bad_host"
check "Host $EVIL: nothing changed" [ "$(lang_of_admin)" = "$before" ]
s=$(call good_put "$NAME" PUT /api/v1/me/lang -b "$T/good.jar" -H "$JSON" \
    -H "Origin: http://$NAME:$PORT" -H "X-CSRF-Token: $(cat "$T/good.csrf")" \
    --data-binary "{\"lang\":\"$want\"}")
check "Host $NAME: the same change works (204)" [ "$s" = 204 ]
check "Host $NAME: it landed" [ "$(lang_of_admin)" = "$want" ]
s=$(call other other.test GET /api/v1/health)
check "Host other.test (second name of the list): 200" [ "$s" = 200 ]
s=$(call lh localhost GET /api/v1/health)
check "Host localhost (built in): 200" [ "$s" = 200 ]
s=$(call lh localhost GET /api/v1/health -H "Host: [::1]:$PORT")
check "Host [::1]:PORT (an IP literal): 200" [ "$s" = 200 ]
s=$(call lh localhost GET /api/v1/health -H "Host: 192.0.2.7")
check "Host 192.0.2.7 (an IP literal, no port): 200" [ "$s" = 200 ]
s=$(call lh localhost GET /api/v1/health -H "Host: 127.0.0.1:80x")
check "Host 127.0.0.1:80x (port not a number): refused" [ "$s" = 421 ]
s=$(call lh localhost GET /api/v1/health -H "Host: $(hostname)")
check "Host $(hostname) (the machine's own name): 200" [ "$s" = 200 ]
s=$(curl -s -o /dev/null -w '%{http_code}' "${CA[@]}" --resolve "$EVIL:$SPORT:127.0.0.1" \
    "https://$EVIL:$SPORT/api/v1/health" -k)
check "HTTPS, Host $EVIL: refused (421)" [ "$s" = 421 ]

# ---- 2. TLS 1.2 and 1.3 only ------------------------------------------------------------------
# SECLEVEL=0 so that it is the server, not Debian's openssl defaults, that refuses 1.0/1.1
tls_try() { echo | timeout 10 openssl s_client "-$1" -cipher 'DEFAULT@SECLEVEL=0' \
    -connect "127.0.0.1:$SPORT" >"$T/tls_$1.out" 2>&1; }
for v in tls1 tls1_1; do
    tls_try "$v"
    check "HTTPS: openssl s_client -$v is refused by the server" \
        bash -c "[ $? != 0 ] && grep -q 'Cipher is (NONE)' '$T/tls_$v.out'"
done
for v in tls1_2 tls1_3; do
    tls_try "$v"
    check "HTTPS: openssl s_client -$v works" \
        bash -c "[ $? = 0 ] && ! grep -q 'Cipher is (NONE)' '$T/tls_$v.out'"
done
check "HTTPS: TLSv1.3 is what -tls1_3 got" grep -q 'TLSv1.3' "$T/tls_tls1_3.out"

# ---- 3. libmicrohttpd's own answers carry our headers ---------------------------------------
# the headers every answer of ours has, as a normal answer sends them
curl -s -o /dev/null -D "$T/normal.hdr" "$URL/api/v1/health"
SEC="Content-Security-Policy X-Content-Type-Options Referrer-Policy X-Frame-Options"
hdr() { grep -i "^$2:" "$1" | head -1 | cut -d: -f2- | tr -d '\r' | sed 's/^ //'; }
for h in $SEC; do
    [ -n "$(hdr "$T/normal.hdr" "$h")" ] || fail "a normal answer has $h"
done
# same_headers NAME FILE [hsts]: FILE (a header dump) has each of them, with the same value
same_headers() {
    local h missing=()
    for h in $SEC; do
        [ "$(hdr "$2" "$h")" = "$(hdr "$T/normal.hdr" "$h")" ] || missing+=("$h")
    done
    [ "${3:-}" = hsts ] && [ -z "$(hdr "$2" Strict-Transport-Security)" ] && missing+=(HSTS)
    [ "$(hdr "$2" Cache-Control)" = no-store ] || missing+=(Cache-Control)
    if [ "${#missing[@]}" = 0 ]; then ok "$1"; else fail "$1" "lacks ${missing[*]}: $(head -1 "$2")"; fi
}
# raw NAME BYTES...: send the bytes (printf format) to the HTTP port, answer's head to $T/NAME.hdr
raw() {
    python3 - "$PORT" "$2" >"$T/$1.hdr" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(sys.argv[2].encode().decode("unicode_escape").encode("latin-1"))
data = b""
try:
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
except OSError:
    pass
sys.stdout.write(data.split(b"\r\n\r\n")[0].decode("latin-1").replace("\r\n", "\n") + "\n")
PY
}
LONG=$(head -c 40000 /dev/zero | tr '\0' a)
s=$(curl -s -o /dev/null -D "$T/long_uri.hdr" -w '%{http_code}' "$URL/$LONG")
check "URI of 40 000 bytes: 414" [ "$s" = 414 ]
same_headers "URI too long (libmicrohttpd's 414): our security headers" "$T/long_uri.hdr"
s=$(curl -s -o /dev/null -D "$T/long_hdr.hdr" -w '%{http_code}' -H "X-Big: $LONG" "$URL/api/v1/health")
check "a header of 40 000 bytes: 431" [ "$s" = 431 ]
same_headers "headers too large (libmicrohttpd's 431): our security headers" "$T/long_hdr.hdr"
raw bad_line 'GET / HTTP/1.1 extra\r\nHost: 127.0.0.1\r\n\r\n'
check "malformed request line: 400" grep -q '^HTTP/1.1 400 ' "$T/bad_line.hdr"
same_headers "malformed request line (libmicrohttpd's 400): our security headers" "$T/bad_line.hdr"
raw bad_header 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nno colon here\r\n\r\n'
check "malformed header line: 400" grep -q '^HTTP/1.1 400 ' "$T/bad_header.hdr"
same_headers "malformed header line (libmicrohttpd's 400): our security headers" "$T/bad_header.hdr"
raw no_host 'GET / HTTP/1.1\r\n\r\n'
check "HTTP/1.1 without Host: 400" grep -q '^HTTP/1.1 400 ' "$T/no_host.hdr"
same_headers "no Host (libmicrohttpd's 400): our security headers" "$T/no_host.hdr"
raw bad_version 'GET / HTTP/3.0\r\nHost: 127.0.0.1\r\n\r\n'
check "HTTP/3.0: 505" grep -q '^HTTP/1.1 505 ' "$T/bad_version.hdr"
same_headers "unknown version (libmicrohttpd's 505): our security headers" "$T/bad_version.hdr"
s=$(curl -s "${CA[@]}" -o /dev/null -D "$T/long_uri_tls.hdr" -w '%{http_code}' "$SURL/$LONG")
check "HTTPS: URI of 40 000 bytes: 414" [ "$s" = 414 ]
same_headers "HTTPS: URI too long: our security headers and HSTS" "$T/long_uri_tls.hdr" hsts
# our own answers are not given the headers twice
curl -s -o /dev/null -D "$T/twice.hdr" "$URL/api/v1/health"
check "our answers carry each security header once" \
    [ "$(grep -ci '^X-Content-Type-Options:' "$T/twice.hdr")" = 1 ]

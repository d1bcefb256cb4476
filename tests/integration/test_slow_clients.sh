#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_slow_clients.sh - slow clients do not take the dashboard down. One dashboard over HTTP
# and one over HTTPS (`init --self-signed-cert`); slow_clients.py holds 160 connections on
# each from five loopback addresses, every one trickling a byte a second for 60 s (HTTP:
# request line and headers; HTTPS: a TLS record that never ends, or headers after the
# handshake), while a normal client on another address asks for /api/v1/health twice a
# second. Every normal request must be answered (the worst wait is printed; it must stay
# under a generous 10 s, as the machine is shared) and no slow connection may live past the
# header deadline (10 s) by much. About 65 s.
source "$(dirname "$0")/lib.sh"

DASH="$BIN/wardwatch-dashboard"
CLI="$BIN/wardwatch"
DATA="$T/data"
SECONDS_HELD=${WW_SLOW_SECONDS:-60}

for tool in python3; do
    command -v "$tool" >/dev/null || { fail "needs $tool"; exit 1; }
done
[ -x "$DASH" ] && [ -x "$CLI" ] || { fail "no $DASH or $CLI (build them first)"; exit 1; }
python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.6", 0))' 2>/dev/null ||
    { skip "slow clients" "cannot bind 127.0.0.6 (loopback addresses beyond 127.0.0.1)"; exit 0; }
# the client holds 320 sockets and the dashboard as many
[ "$(ulimit -n)" -ge 1024 ] 2>/dev/null || ulimit -n 1024 2>/dev/null ||
    { skip "slow clients" "open files limit $(ulimit -n) is under 1024"; exit 0; }

printf '%s\n' 'Admin-pass-2026-xK' | "$CLI" -d "$DATA" init --admin-password-stdin >"$T/init.log" 2>&1
check "init" [ $? = 0 ]
"$CLI" -d "$DATA" init --self-signed-cert >"$T/tls.out" 2>&1
check "init --self-signed-cert" [ $? = 0 ]
for name in http https; do
    cat >"$T/$name.conf" <<EOF
[general]
data_dir = $DATA
log_level = debug
[dashboard]
listen_address = 127.0.0.1
port = 0
port_file = $T/$name.port
www_dir = $WW_TOP/dashboard/www
EOF
done
grep -E '^  tls_(cert|key) = ' "$T/tls.out" | sed 's/^  //' >>"$T/https.conf"
spawn dash "$DASH" -c "$T/http.conf"
spawn dashs "$DASH" -c "$T/https.conf"
PORT=$(wait_port_file "$T/http.port" 20) || { fail "HTTP dashboard started" "$(cat "$T/dash.log")"; exit 1; }
SPORT=$(wait_port_file "$T/https.port" 20) || { fail "HTTPS dashboard started" "$(cat "$T/dashs.log")"; exit 1; }

python3 "$(dirname "$0")/slow_clients.py" "$SECONDS_HELD" "$PORT" "$SPORT" "$DATA/tls/cert.pem" \
    >"$T/slow.json" 2>"$T/slow.err"
check "slow_clients.py ran" [ $? = 0 ]
cat "$T/slow.json"
for proto in http https; do
    line=$(grep "\"proto\": \"$proto\"" "$T/slow.json")
    [ -n "$line" ] || { fail "$proto: slow_clients.py reported" "$(tail -5 "$T/slow.err")"; continue; }
    get() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$line" "$1"; }
    req=$(get requests) failed=$(get failed) worst=$(get worst_s) peak=$(get peak_held)
    slots=$(get slots) longest=$(get longest_s) closed=$(get closed)
    check "$proto: the slow clients held $peak of their $slots connections at the most (>= 64)" \
        [ "$peak" -ge 64 ]
    check "$proto: every normal request answered while they did ($req requests, $failed failed)" \
        bash -c "[ '$req' -ge 20 ] && [ '$failed' = 0 ]"
    check "$proto: worst latency of a normal request ${worst} s (under 10 s)" \
        python3 -c "import sys; sys.exit(not $worst < 10)"
    check "$proto: no slow connection lived past the header deadline: longest ${longest} s (under 20 s; $closed closed)" \
        python3 -c "import sys; sys.exit(not $longest < 20)"
done
check "the dashboards still answer afterwards" \
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/api/v1/health"
check "the HTTP dashboard is still running" kill -0 "${_pids[0]}"
check "the HTTPS dashboard is still running" kill -0 "${_pids[1]}"

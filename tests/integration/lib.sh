# SPDX-License-Identifier: GPL-3.0-or-later
# lib.sh - shared helpers for integration tests. Source it; it sets:
#   T        a fresh temp folder, removed on exit unless WW_KEEP_TMP=1
#   BIN      our programs (WW_BIN from tests/run.sh, or build/bin)
# and gives: ok NAME / fail NAME [why] / skip NAME why / check NAME cmd... /
#   free_port [udp|tcp] / wait_port_file FILE / spawn NAME cmd... (killed on exit) /
#   office CMD... (CMD in the office's zone) / have_testdata (0 when ../shared/testdata is there) / ww_conf NAME / ww_init NAME PW [LOGIN:ROLE...]
set -u
WW_TOP=${WW_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
BIN=${WW_BIN:-$WW_TOP/build/bin}
WW_TESTDATA=${WW_TESTDATA:-$WW_TOP/../shared/testdata}
T=$(mktemp -d "${TMPDIR:-/tmp}/wwtest.XXXXXX")
_pids=()
_cleanup() {
    local p
    for p in "${_pids[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${_pids[@]}"; do
        for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
        kill -9 "$p" 2>/dev/null
    done
    wait 2>/dev/null
    if [ "${WW_KEEP_TMP:-0}" = 1 ]; then echo "# kept $T"; else rm -rf "$T"; fi
}
trap _cleanup EXIT
trap 'exit 130' INT TERM

ok() { echo "ok - $1"; }
fail() { echo "not ok - $1${2:+: $2}"; }
skip() { echo "skip - $1: $2"; }
check() { local name=$1; shift; if "$@"; then ok "$name"; else fail "$name"; fi; }

# free_port udp|tcp: a port nobody listens on now (bind-and-release through python3)
free_port() {
    python3 - "${1:-tcp}" <<'PY'
import socket, sys
kind = socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM
s = socket.socket(socket.AF_INET, kind)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}

# spawn NAME cmd...: start in background, log to $T/NAME.log, kill on exit; sets SPAWNED_PID
spawn() {
    local name=$1; shift
    "$@" >"$T/$name.log" 2>&1 &
    SPAWNED_PID=$!
    _pids+=("$SPAWNED_PID")
}

# wait_log FILE TEXT PID: wait (at most 10 s) until FILE has the line TEXT, while PID runs;
# 0 when it came
wait_log() {
    for _ in $(seq 100); do
        grep -qF -- "$2" "$1" && return 0
        kill -0 "$3" 2>/dev/null || break
        sleep 0.1
    done
    grep -qF -- "$2" "$1"
}

# wait_port_file FILE [seconds]: wait until FILE holds a port number; prints it
wait_port_file() {
    local f=$1 n=$(( ${2:-10} * 10 ))
    while [ "$n" -gt 0 ]; do
        if [ -s "$f" ] && grep -qE '^[0-9]+$' "$f"; then cat "$f"; return 0; fi
        sleep 0.1; n=$((n - 1))
    done
    return 1
}

# ww_alert_sinks [--tls CERT KEY]: the far ends of alert deliveries (alert_sinks.py): an SMTP
# sink writing to $T/mail and a webhook receiver writing to $T/hook, both on kernel-chosen
# ports; sets SMTP_PORT and HOOK_PORT; returns 1 when either did not start
ww_alert_sinks() {
    local sinks=$WW_TOP/tests/integration/alert_sinks.py
    mkdir -p "$T/mail" "$T/hook"
    spawn smtp-sink python3 "$sinks" smtp "$T/mail" "$T/smtp.port" "$@"
    spawn hook-sink python3 "$sinks" webhook "$T/hook" "$T/hook.port"
    SMTP_PORT=$(wait_port_file "$T/smtp.port" 10) && HOOK_PORT=$(wait_port_file "$T/hook.port" 10)
}

# office CMD...: CMD in the office's zone (the daemons' default timezone). A test's "today"
# or "this year" compared with the product's is the office's, never the machine's: at
# 17:00 UTC it is already tomorrow in Hà Nội. So: $(office date +%F), office sqlite3 ...
# (SQLite's date('now', 'localtime') reads TZ too).
WW_OFFICE_TZ=Asia/Ho_Chi_Minh
office() { TZ=$WW_OFFICE_TZ "$@"; }

have_testdata() { [ -d "$WW_TESTDATA/snmprec" ]; }

# ww_conf NAME: $T/NAME.conf, a dashboard on 127.0.0.1 port 0 (read back from $T/NAME.port)
# with its own data folder $T/NAME
ww_conf() {
    cat >"$T/$1.conf" <<CONF
[general]
data_dir = $T/$1
[dashboard]
listen_address = 127.0.0.1
port = 0
port_file = $T/$1.port
www_dir = $WW_TOP/dashboard/www
CONF
}

# ww_init NAME PASSWORD [LOGIN:ROLE...]: `wardwatch init` of $T/NAME.conf with the admin's
# PASSWORD, then each user with the password PASSWORD-LOGIN; fails the test when init fails
ww_init() {
    local name=$1 pw=$2 u
    shift 2
    printf '%s\n' "$pw" | "$BIN/wardwatch" -c "$T/$name.conf" init --admin-password-stdin >/dev/null ||
        { fail "init $name"; exit 1; }
    for u in "$@"; do
        printf '%s\n' "$pw-${u%%:*}" | "$BIN/wardwatch" -c "$T/$name.conf" user add --login "${u%%:*}" \
            --role "${u##*:}" --password-stdin >/dev/null || fail "user add ${u%%:*}"
    done
}

# serve_recordings REC...: one snmpsimd on 127.0.0.1 for the recordings REC of
# $WW_TESTDATA/snmprec (community = the name), a UDP port each (a device is host+port): the
# caller's `declare -A SIM` gets SIM[REC]=port. Returns 1 (logged in $T/snmpsimd.log) when one
# of them does not answer within a minute.
serve_recordings() {
    local rec eps=() user_opts=()
    chmod 755 "$T"
    mkdir -p "$T/cache" && chmod 777 "$T/cache"
    [ "$(id -u)" = 0 ] && user_opts=(--process-user=nobody --process-group=nogroup)
    for rec in "$@"; do
        SIM[$rec]=$(free_port udp)
        eps+=(--agent-udpv4-endpoint="127.0.0.1:${SIM[$rec]}")
    done
    spawn snmpsimd snmpsimd --data-dir="$WW_TESTDATA/snmprec" --cache-dir="$T/cache" \
        "${eps[@]}" "${user_opts[@]}"
    for rec in "$@"; do # snmpsimd indexes the files at start
        for _ in $(seq 1 120); do
            snmpget -v2c -c "$rec" -t 1 -r 0 "127.0.0.1:${SIM[$rec]}" 1.3.6.1.2.1.1.3.0 \
                >/dev/null 2>&1 && continue 2
            sleep 0.5
        done
        return 1
    done
}

# ww_session NAME PORT LOGIN PASSWORD: log in over HTTP; leaves the cookie jar in $T/NAME.jar
# and the CSRF token in $T/NAME.csrf; returns curl's/the status's success
ww_session() {
    local name=$1 port=$2 login=$3 pw=$4 body
    body=$(python3 -c 'import json,sys; print(json.dumps({"login":sys.argv[1],"password":sys.argv[2]}))' "$login" "$pw")
    curl -s -c "$T/$name.jar" -H 'Content-Type: application/json' \
        -H "Origin: http://127.0.0.1:$port" -d "$body" \
        "http://127.0.0.1:$port/api/v1/session" >"$T/$name.login.json" || return 1
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf_token"])' \
        "$T/$name.login.json" >"$T/$name.csrf" 2>/dev/null
}

# ww_api NAME PORT METHOD PATH [JSON]: a request in session NAME; prints "STATUS BODY"
ww_api() {
    local name=$1 port=$2 method=$3 path=$4 data=${5:-}
    local args=(-s -o "$T/api.body" -w '%{http_code}' -b "$T/$name.jar" -X "$method"
        -H "Origin: http://127.0.0.1:$port" -H "X-CSRF-Token: $(cat "$T/$name.csrf" 2>/dev/null)")
    [ -n "$data" ] && args+=(-H 'Content-Type: application/json' --data-binary "$data")
    local code
    code=$(curl "${args[@]}" "http://127.0.0.1:$port$path")
    echo "$code $(cat "$T/api.body")"
}

# jf PATH: field PATH ("a.0.b") of the last ww_api body ($T/api.body), without jq: null for
# none, booleans lowercase, a list of strings joined with commas
jf() { python3 -c 'import json,sys
v=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v[int(k)] if isinstance(v, list) else v.get(k)
print("null" if v is None else (str(v).lower() if isinstance(v, bool) else (",".join(v) if isinstance(v, list) else v)))' "$T/api.body" "$1"; }

# ww_dashboard_data PASSWORD [login:role ...]: a data folder $T/data with the admin's
# PASSWORD (`wardwatch init`) and each login:role user with password PASSWORD-login, and
# $T/ww.conf for a dashboard on 127.0.0.1, port 0, port file $T/port; returns 1 on a failure
ww_dashboard_data() {
    local pw=$1 u
    shift
    cat >"$T/ww.conf" <<CONF
[general]
data_dir = $T/data
[dashboard]
listen_address = 127.0.0.1
port = 0
port_file = $T/port
www_dir = $WW_TOP/dashboard/www
CONF
    printf '%s\n' "$pw" | "$BIN/wardwatch" -c "$T/ww.conf" init --admin-password-stdin >/dev/null ||
        return 1
    for u in "$@"; do
        printf '%s\n' "$pw-${u%%:*}" | "$BIN/wardwatch" -c "$T/ww.conf" user add \
            --login "${u%%:*}" --role "${u##*:}" --password-stdin >/dev/null || return 1
    done
}

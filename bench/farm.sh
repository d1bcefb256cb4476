# SPDX-License-Identifier: GPL-3.0-or-later
# bench/farm.sh - sourced by bench/run.sh, bench/newdevices.sh and bench/probe.sh: the
# simulated agent farm and a database of N devices pointing at it; results_section. farm_init makes $T (temp folder), $PORT and the
# array pids (processes the caller's cleanup stops); sets $SIM, $CACHED and $CPID.

farm_init() { # T (temp folder), PORT (BENCH_PORT or a free one), pids; stops them at exit
    T=$(mktemp -d /tmp/wwbench.XXXXXX)
    PORT=${BENCH_PORT:-$(python3 -c "import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")}
    pids=()
    trap farm_cleanup EXIT
    trap 'exit 130' INT TERM
    ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
}

farm_cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    [ "${WW_KEEP_TMP:-0}" = 1 ] || rm -rf "$T"
}

agent_addr() { # n -> 127.1.x.y
    echo "127.1.$(($1 / 256)).$(($1 % 256))"
}

make_db() { # DATA N
    local data=$1 n=$2
    echo "bench-admin-pass-$RANDOM$RANDOM" | "$BIN/wardwatch" -d "$data" init --admin-password-stdin >/dev/null
    python3 - "$data/wardwatch.db" "$n" "$PORT" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
n, port = int(sys.argv[2]), int(sys.argv[3])
with db:
    db.executemany(
        "INSERT INTO device (name, kind, host, snmp_port, snmp_version, snmp_community)"
        " VALUES (?, 'server', ?, ?, '2c', 'public')",
        [("bench-%d" % i, "127.1.%d.%d" % (i // 256, i % 256), port) for i in range(1, n + 1)])
PY
}

start_sim() { # N
    "$BIN/ww-agentsim" "$1" "$PORT" public 2>>"$T/agentsim.log" &
    SIM=$!
    pids+=("$SIM")
    for _ in $(seq 1 50); do
        snmpget -v2c -c public -t 1 -r 0 "$(agent_addr 1):$PORT" 1.3.6.1.2.1.1.3.0 >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "bench: ww-agentsim did not answer" >&2
    return 1
}

start_rrdcached() { # RRD_DIR TAG: journal on, writes after 300 s; sets CACHED (address), CPID
    local dir=$1 tag=$2
    mkdir -p "$dir" "$T/journal-$tag"
    rrdcached -l "unix:$T/rrdcached-$tag.sock" -p "$T/rrdcached-$tag.pid" -j "$T/journal-$tag" \
        -F -w 300 -f 600 -z 60 -t 4 -B -b "$dir" >/dev/null 2>&1
    for _ in $(seq 1 50); do [ -S "$T/rrdcached-$tag.sock" ] && [ -s "$T/rrdcached-$tag.pid" ] && break; sleep 0.1; done
    CACHED="unix:$T/rrdcached-$tag.sock"
    CPID=$(cat "$T/rrdcached-$tag.pid")
}

write_conf() { # CONF DATA RRDCACHED INTERVAL FULL_HOURS: coarser archives keep a day each
    cat >"$1" <<EOF
[general]
data_dir = $2
log_level = info
[storage]
rrdcached = $3
rrd_full_hours = $5
rrd_30min_days = 1
rrd_2h_days = 1
rrd_1day_days = 1
[collector]
poll_interval = $4
snmp_timeout_ms = 2000
snmp_retries = 1
poll_workers = 1024
EOF
}

results_section() { # MARK SECTION_FILE OUT: the section between <!-- MARK:begin/end --> in OUT
    # replaced by SECTION_FILE (which carries the markers), or appended when OUT has none
    local mark=$1 section=$2 out=$3
    if [ -f "$out" ] && grep -q "<!-- $mark:begin -->" "$out"; then
        python3 - "$out" "$section" "$mark" <<'PY'
import sys
path, section, mark = sys.argv[1], open(sys.argv[2]).read(), sys.argv[3]
t = open(path).read()
a = t.index("<!-- %s:begin -->" % mark)
b = t.index("<!-- %s:end -->" % mark) + len("<!-- %s:end -->\n" % mark)
open(path, "w").write(t[:a] + section + t[b:])
PY
    else
        { echo; cat "$section"; } >>"$out"
    fi
}

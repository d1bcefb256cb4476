#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/run.sh BUILD - the polling benchmark: N simulated agents (ww-agentsim: 16 interfaces
# and HOST-RESOURCES each, 127.1.x.y, one address per agent) polled by wardwatch-collector
# with a 60 s interval, once writing RRD files directly and once through rrdcached; then the
# same agents and OIDs polled by Debian's collectd (snmp + rrdtool plugins) for the CPU ratio.
# Prints a table and writes it to bench/RESULTS.md.
#   BENCH_SIZES="100 1000 10000"   BENCH_ROUNDS=3   BENCH_COLLECTD_SIZES="100 1000"
set -u
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
BIN=$top/$build/bin
sizes=${BENCH_SIZES:-100 1000 10000}
rounds=${BENCH_ROUNDS:-3}
cd_sizes=${BENCH_COLLECTD_SIZES:-100 1000}
T=$(mktemp -d /tmp/wwbench.XXXXXX)
PORT=${BENCH_PORT:-$(python3 -c "import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")}
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    [ "${WW_KEEP_TMP:-0}" = 1 ] || rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
rows=()
cd_rows=()

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

# one round: "ms ok failed cpu_s rss_kb"
round() { # CONF LOG
    local out rc
    out=$( { /usr/bin/time -f 'TIME %U %S %M' "$BIN/wardwatch-collector" -c "$1" --once; } 2>&1)
    rc=$?
    echo "$out" >>"$2"
    [ $rc = 0 ] || { echo "bench: collector round failed" >&2; return 1; }
    python3 - "$out" <<'PY'
import re, sys
t = sys.argv[1]
m = re.search(r"round: (\d+) devices, (\d+) up, (\d+) failed, (\d+) ms", t)
c = re.search(r"TIME ([\d.]+) ([\d.]+) (\d+)", t)
print(m.group(4), m.group(2), m.group(3), float(c.group(1)) + float(c.group(2)), c.group(3))
PY
}

bench_wardwatch() { # N MODE
    local n=$1 mode=$2 data=$T/ww-$1-$2 conf=$T/ww-$1-$2.conf cached=""
    mkdir -p "$data"
    make_db "$data" "$n"
    if [ "$mode" = rrdcached ]; then
        mkdir -p "$data/rrd" "$T/journal-$n"
        rrdcached -l "unix:$T/rrdcached-$n.sock" -p "$T/rrdcached-$n.pid" -j "$T/journal-$n" \
            -F -w 300 -f 600 -z 60 -t 4 -B -b "$data/rrd" >/dev/null 2>&1
        for _ in $(seq 1 50); do [ -S "$T/rrdcached-$n.sock" ] && break; sleep 0.1; done
        cached="unix:$T/rrdcached-$n.sock"
    fi
    cat >"$conf" <<EOF
[general]
data_dir = $data
log_level = info
[storage]
rrdcached = $cached
[collector]
poll_interval = 60
snmp_timeout_ms = 2000
snmp_retries = 1
poll_workers = 1024
EOF
    local ms=() cpu=0 rss=0 failed=0 first="" r line
    for r in $(seq 1 "$rounds"); do
        line=$(round "$conf" "$T/ww-$n-$mode.log") || return 1
        set -- $line
        if [ "$r" = 1 ]; then
            first=$1 # creates every RRD file: reported apart
        else
            ms+=("$1")
            cpu=$(python3 -c "print($cpu + $4)")
        fi
        failed=$((failed + $3))
        [ "$5" -gt "$rss" ] && rss=$5
        sleep 1.1
    done
    if [ "$mode" = rrdcached ]; then
        kill "$(cat "$T/rrdcached-$n.pid")" 2>/dev/null
    fi
    local steady=$((rounds - 1))
    python3 - "$n" "$mode" "$first" "$cpu" "$rss" "$failed" "$steady" "${ms[@]}" <<'PY' >>"$T/rows"
import statistics, sys
n, mode, first, cpu, rss, failed, steady = sys.argv[1:8]
ms = [int(x) for x in sys.argv[8:]]
n, steady = int(n), int(steady)
values = n * (16 * 4 + 2 + 4)          # if-* (4 DS) x16, snmp (2), host (4) per device
p50 = statistics.median(ms)
print("| %d | %s | %d | %.0f | %d | %s | %.2f | %.0f | %.0f |" % (
    n, mode, int(first), p50, max(ms), failed,
    float(cpu) / steady / (n / 1000.0), int(rss) / 1024.0, values / (p50 / 1000.0)))
PY
    echo "bench: wardwatch N=$n $mode done" >&2
}

bench_collectd() { # N: the same agents, OIDs and interval with collectd 5.12
    local n=$1 conf=$T/collectd-$n.conf dir=$T/collectd-$n
    command -v collectd >/dev/null 2>&1 || [ -x /usr/sbin/collectd ] || {
        echo "bench: collectd is not installed (appliance/install-deps.sh --bench)" >&2
        return 1
    }
    mkdir -p "$dir"
    python3 - "$conf" "$dir" "$n" "$PORT" <<'PY'
import sys
conf, d, n, port = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
with open(conf, "w") as f:
    f.write('BaseDir "%s"\nPIDFile "%s/collectd.pid"\nInterval 10\nReadThreads 5\n'
            'WriteThreads 1\nLoadPlugin logfile\nLoadPlugin snmp\nLoadPlugin rrdtool\n'
            '<Plugin logfile>\n  LogLevel "err"\n  File "%s/collectd.log"\n</Plugin>\n'
            '<Plugin rrdtool>\n  DataDir "%s/rrd"\n</Plugin>\n<Plugin snmp>\n' % (d, d, d, d))
    f.write('  <Data "sys">\n    Type "uptime"\n    Table false\n    Instance ""\n'
            '    Values ".1.3.6.1.2.1.1.3.0"\n  </Data>\n'
            '  <Data "if_octets">\n    Type "if_octets"\n    Table true\n'
            '    Instance ".1.3.6.1.2.1.31.1.1.1.1"\n'
            '    Values ".1.3.6.1.2.1.31.1.1.1.6" ".1.3.6.1.2.1.31.1.1.1.10"\n  </Data>\n'
            '  <Data "if_errors">\n    Type "if_errors"\n    Table true\n'
            '    Instance ".1.3.6.1.2.1.2.2.1.2"\n'
            '    Values ".1.3.6.1.2.1.2.2.1.14" ".1.3.6.1.2.1.2.2.1.20"\n  </Data>\n'
            '  <Data "cpu">\n    Type "percent"\n    Table true\n    Instance ""\n'
            '    Values ".1.3.6.1.2.1.25.3.3.1.2"\n  </Data>\n'
            '  <Data "storage">\n    Type "df_complex"\n    Table true\n'
            '    Instance ".1.3.6.1.2.1.25.2.3.1.3"\n    Values ".1.3.6.1.2.1.25.2.3.1.6"\n'
            '  </Data>\n')
    for i in range(1, n + 1):
        f.write('  <Host "bench-%d">\n    Address "127.1.%d.%d:%d"\n    Version 2\n'
                '    Community "public"\n    Collect "sys" "if_octets" "if_errors" "cpu" '
                '"storage"\n    Interval 10\n  </Host>\n' % (i, i // 256, i % 256, port))
    f.write("</Plugin>\n")
PY
    /usr/sbin/collectd -f -C "$conf" &
    local pid=$!
    pids+=("$pid")
    sleep 65 # six 10 s rounds
    local ticks hz
    hz=$(getconf CLK_TCK)
    ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    kill "$pid"; wait "$pid" 2>/dev/null
    local files
    files=$(find "$dir/rrd" -name '*.rrd' 2>/dev/null | wc -l)
    # device-polls done: about 6 per host in 65 s (the first starts at once)
    python3 - "$n" "$ticks" "$hz" "$files" <<'PY' >>"$T/cd_rows"
import sys
n, ticks, hz, files = (int(x) for x in sys.argv[1:5])
polls = n * 6
print("%d %.3f %d" % (n, ticks / hz / (polls / 1000.0), files))
PY
    echo "bench: collectd N=$n done" >&2
}

start_sim "$(echo "$sizes" | tr ' ' '\n' | sort -n | tail -1)" || exit 1
for n in $sizes; do
    bench_wardwatch "$n" direct || exit 1
    bench_wardwatch "$n" rrdcached || exit 1
done
for n in $cd_sizes; do
    bench_collectd "$n" || true
done

cpu_info=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
{
    echo "# Benchmark results"
    echo
    echo "Written by \`make bench\` (bench/run.sh) on $(date -u +%Y-%m-%d), $(nproc) cores ($cpu_info),"
    echo "$(free -g | awk '/Mem:/{print $2}') GB RAM, $(uname -sr). Agents: ww-agentsim (bench/agentsim.c), N loopback"
    echo "addresses, 16 interfaces + HOST-RESOURCES each; one collector round = every device"
    echo "once (system group, ifTable, ifXTable, hrStorage, hrDevice, hrProcessorLoad); interval"
    echo "60 s; $rounds rounds per row, the first (which creates every RRD file) shown apart."
    echo
    echo "| N | RRD writes | round 1 ms (creates files) | round p50 ms | round max ms | missed polls | CPU s per 1,000 device-polls | peak RSS MB | values written/s |"
    echo "|---|---|---|---|---|---|---|---|---|"
    cat "$T/rows"
    echo
    if [ -s "$T/cd_rows" ]; then
        echo "collectd 5.12 (snmp + rrdtool plugins, same agents and OIDs, 10 s interval, 6 rounds):"
        echo
        echo "| N | collectd CPU s per 1,000 device-polls | wardwatch (direct) | ratio wardwatch/collectd |"
        echo "|---|---|---|---|"
        while read -r n c files; do
            w=$(awk -F'|' -v n="$n" '$2+0 == n && $3 ~ /direct/ {print $8+0}' "$T/rows")
            [ -n "$w" ] && python3 -c "print('| $n | %.3f | %.3f | 1/%.0f |' % ($c, $w, $c / $w if $w else 0))"
        done <"$T/cd_rows"
    fi
} >"$T/RESULTS.md"
cat "$T/RESULTS.md"
cp "$T/RESULTS.md" "$top/bench/RESULTS.md"

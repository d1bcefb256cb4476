#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/run.sh BUILD - the polling benchmark: N simulated agents (ww-agentsim: 16 interfaces
# and HOST-RESOURCES each, 127.1.x.y, one address per agent) polled by wardwatch-collector
# with a 60 s interval, once writing RRD files directly and once through rrdcached; then the
# same agents and OIDs polled by Debian's collectd (snmp + rrdtool plugins) for the CPU ratio.
# Prints a table and writes it to bench/RESULTS.md.
#   BENCH_SIZES="100 1000 10000"   BENCH_ROUNDS=3 (intervals measured)   BENCH_INTERVAL=60
#   BENCH_COLLECTD_SIZES="100 1000"   BENCH_MODES="direct rrdcached"   BENCH_FULL_HOURS=1
#   BENCH_STRESS="10000:10 10000:5" (N:interval rows past the target)   BENCH_OUT=file (default bench/RESULTS.md)   BENCH_UPTIME=0 skips bench/uptime.sh
#   BENCH_NEW=0 skips bench/newdevices.sh (a first start with new devices; its BENCH_NEW_* knobs)
#   BENCH_PROBE=0 skips bench/probe.sh (the passive probe against tshark and tcpdump; its BENCH_PROBE_* knobs)
#   BENCH_PLAN=0 skips bench/plan.sh (the replacement plan of a province; its PLAN_* knobs)
#   BENCH_TRAINING=0 skips bench/training.sh (a province's skill gaps; its GAP_* knobs)
# The RRD files use a small retention (BENCH_FULL_HOURS of full resolution, a day of each
# coarser archive): the design's would need ~55 GB at N = 10,000. An update touches one row
# per archive whatever the file's length; creating the files (round 1) is shown apart.
set -u
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
BIN=$top/$build/bin
sizes=${BENCH_SIZES:-100 1000 10000}
rounds=${BENCH_ROUNDS:-3}
interval=${BENCH_INTERVAL:-60}
modes=${BENCH_MODES:-direct rrdcached}
keep_full_hours=${BENCH_FULL_HOURS:-1}
cd_sizes=${BENCH_COLLECTD_SIZES-100 1000}
stress=${BENCH_STRESS-10000:10 10000:5}
. "$top/bench/farm.sh"
farm_init
rows=()
cd_rows=()

# one --once run (the first interval, which creates every RRD file): "ms cpu_s"
round() { # CONF LOG
    local out rc
    out=$( { /usr/bin/time -f 'TIME %U %S %M' "$BIN/wardwatch-collector" -c "$1" --once; } 2>&1)
    rc=$?
    echo "$out" >"$2.once"
    cat "$2.once" >>"$2"
    [ $rc = 0 ] || { echo "bench: collector round failed" >&2; return 1; }
    python3 - "$2.once" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
m = re.search(r"collector: (\d+) interval\(s\) in (\d+) ms", t)
c = re.search(r"TIME ([\d.]+) ([\d.]+) (\d+)", t)
print(m.group(2), float(c.group(1)) + float(c.group(2)))
PY
}

ticks_of() { # PID -> utime + stime in clock ticks
    awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0
}

# the long-running collector for $rounds intervals after one of warm-up; CPU read from
# /proc/PID/stat at each "interval:" line, so start-up and the warm-up are not counted
bench_wardwatch() { # N MODE [INTERVAL]
    local iv=${3:-$interval}
    local n=$1 mode=$2 data=$T/ww-$1-$2 conf=$T/ww-$1-$2.conf cached="" cpid=""
    mkdir -p "$data"
    make_db "$data" "$n"
    if [ "$mode" = rrdcached ]; then
        start_rrdcached "$data/rrd" "$n"
        cached=$CACHED cpid=$CPID
    fi
    write_conf "$conf" "$data" "$cached" "$iv" "$keep_full_hours"
    local line first first_cpu log=$T/ww-$n-$mode.log
    line=$(round "$conf" "$log") || return 1
    set -- $line
    first=$1 first_cpu=$2
    local disk
    disk=$(du -sm "$data/rrd" | cut -f1)
    "$BIN/wardwatch-collector" -c "$conf" 2>"$log.run" &
    local pid=$! seen=0 want=$((rounds + 2)) t_end c
    pids+=("$pid")
    : >"$T/samples"
    t_end=$(( $(date +%s) + (rounds + 4) * iv ))
    while [ "$seen" -lt "$want" ] && [ "$(date +%s)" -lt "$t_end" ]; do
        c=$(grep -c "collector: interval:" "$log.run")
        if [ "$c" -gt "$seen" ]; then
            seen=$c
            echo "$(ticks_of "$pid") $(if [ -n "$cpid" ]; then ticks_of "$cpid"; else echo 0; fi) $(date +%s.%N)" >>"$T/samples"
        fi
        sleep 0.2
    done
    local rss
    rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
    kill "$pid"; wait "$pid" 2>/dev/null
    local flushed=0
    if [ -n "$cpid" ]; then
        # rrdcached writes a file's samples when they are -w old: have it write everything it
        # holds now and count that CPU too (it includes the warm-up's samples: an overcount)
        python3 - "$T/rrdcached-$n.sock" <<'PY' || echo "bench: rrdcached flush failed" >&2
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
f = s.makefile("rw")
def cmd(c):
    f.write(c + "\n"); f.flush()
    head = f.readline()
    n = int(head.split()[0])
    return [f.readline().strip() for _ in range(max(n, 0))]
cmd("FLUSHALL")
for _ in range(3000):
    st = dict(l.split(": ", 1) for l in cmd("STATS") if ": " in l)
    if st.get("QueueLength") == "0":
        break
    time.sleep(0.1)
time.sleep(0.5)
PY
        flushed=$(ticks_of "$cpid")
        kill "$cpid" 2>/dev/null
    fi
    # the first sample ends the warm-up interval (polls spread over it): measured from there
    python3 - "$n" "$mode" "$first" "$first_cpu" "$rss" "$(getconf CLK_TCK)" "$iv" \
        "$T/samples" "$log.run" "$disk" "$flushed" <<'PY' >>"$T/rows"
import re, statistics, sys
n, mode, first, first_cpu, rss, hz, interval, samples, log, disk, flushed = sys.argv[1:12]
n, hz, interval = int(n), int(hz), int(interval)
s = [tuple(float(x) for x in l.split()) for l in open(samples) if l.strip()]
lines = [l for l in open(log) if "collector: interval:" in l]
iv = []
for l in lines[1:len(s)]:  # the intervals between the first and the last sample
    m = re.search(r"interval: (\d+) polls, (\d+) up, (\d+) failed, (\d+) missed, (\d+) devices,"
                  r" poll p50 (\d+) ms, max (\d+) ms, late max (\d+) ms, written (\d+),"
                  r" batch max (\d+) ms", l)
    f = re.search(r"full polls (\d+)", l)
    iv.append([int(x) for x in m.groups()] + [int(f.group(1)) if f else 0])
polls = sum(i[0] for i in iv)
missed = sum(i[3] for i in iv)
failed = sum(i[2] for i in iv)
cpu = (s[-1][0] - s[0][0]) / hz
cached_cpu = (max(float(flushed), s[-1][1]) - s[0][1]) / hz
secs = s[-1][2] - s[0][2]
values = polls * (16 * 4 + 2 + 4)  # if-* (4 DS) x16, snmp (2), host (4) per device-poll
per = lambda c: c / (polls / 1000.0) if polls else float("nan")
full = sum(i[10] for i in iv)
print("| %d | %s | %d | %d | %.1f | %d | %d | %d | %d | %d | %d | %d | %d | %.3f | %s | %.0f | %.0f | %d |" % (
    n, mode, interval, int(first), float(first_cpu), len(iv), polls, full, missed, failed,
    statistics.median(i[5] for i in iv), max(i[6] for i in iv), max(i[9] for i in iv),
    per(cpu), "%.3f" % per(cached_cpu) if mode == "rrdcached" else "-", int(rss) / 1024.0,
    values / secs, int(disk)))
PY
    rm -rf "$data" "$T/journal-$n"
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
    # steady state, as for wardwatch: the first rounds (which create every RRD file) and the
    # start-up are not counted; CPU over the next six 10 s rounds
    sleep 25
    local t0 ticks hz
    hz=$(getconf CLK_TCK)
    t0=$(ticks_of "$pid")
    sleep 60
    ticks=$(( $(ticks_of "$pid") - t0 ))
    kill "$pid"; wait "$pid" 2>/dev/null
    local files
    files=$(find "$dir/rrd" -name '*.rrd' 2>/dev/null | wc -l)
    # device-polls done: 6 per host in the 60 s measured
    python3 - "$n" "$ticks" "$hz" "$files" <<'PY' >>"$T/cd_rows"
import sys
n, ticks, hz, files = (int(x) for x in sys.argv[1:5])
polls = n * 6
print("%d %.3f %d" % (n, ticks / hz / (polls / 1000.0), files))
PY
    echo "bench: collectd N=$n done" >&2
}

start_sim "$( { echo "$sizes" | tr ' ' '\n'; for sv in $stress; do echo "${sv%%:*}"; done; } | grep . | sort -n | tail -1)" || exit 1
for n in $sizes; do
    for mode in $modes; do
        bench_wardwatch "$n" "$mode" || exit 1
    done
done
# past the target: the same N polled faster, as many device-polls per second as
# N x 60 / interval devices at 60 s (through rrdcached)
for sv in $stress; do
    bench_wardwatch "${sv%%:*}" rrdcached "${sv##*:}" || exit 1
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
    echo "addresses, 16 interfaces + HOST-RESOURCES each. A full poll walks the system group, ifTable,"
    echo "ifXTable, hrStorage, hrDevice, hrProcessorLoad and the printer and neighbour tables; the"
    echo "polls between (counter polls) GET what moves: sysUpTime, ifNumber, ifTableLastChange and per"
    echo "interface admin/oper status, in/out octets (64-bit), errors and speed, hrStorageUsed,"
    echo "hrProcessorLoad (~125 values in 2 requests). Each device gets a full poll first, then one every"
    echo "full_poll_minutes (60; counted in the table). Every poll ends in 18 RRD updates and the"
    echo "database rows. Devices come due in groups of about 16 (phases rounded to a grid), each"
    echo "group started in one wake-up; results are written in batches of up to 200, at least every"
    echo "quarter interval (at most 15 s)."
    echo "Round 1 is one \`--once\` pass that creates every RRD file (shown apart). Then the"
    echo "long-running collector (scheduler + writer thread) runs with poll_interval = $interval s;"
    echo "after one warm-up interval, $rounds intervals are measured: CPU from /proc/PID/stat at"
    echo "the collector's \`interval:\` log lines (start-up not counted); rrdcached's own CPU"
    echo "apart, read after a FLUSHALL at the end so that its disk writes count (an overcount: it"
    echo "includes the warm-up's samples). RRD retention: $keep_full_hours h full resolution, 1 day of"
    echo "each coarser archive."
    echo "Rows with a shorter interval go past the target: N devices polled every interval s is"
    echo "as many device-polls per second as N x 60 / interval devices at 60 s."
    echo
    echo "| N | RRD writes | interval s | round 1 ms (creates files) | round 1 CPU s | intervals | device-polls | of them full | missed polls | failed | poll p50 ms | poll max ms | write batch max ms | collector CPU s per 1,000 device-polls | rrdcached CPU s per 1,000 | peak RSS MB | values written/s | RRD MB |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    cat "$T/rows"
    echo
    if [ -s "$T/cd_rows" ]; then
        echo "collectd 5.12 (snmp + rrdtool plugins with their defaults, same agents and OIDs, 10 s"
        echo "interval): CPU over six rounds in steady state, after 25 s of start-up and file creation."
        echo
        echo "| N | collectd CPU s per 1,000 device-polls | wardwatch direct | ratio | wardwatch collector alone, rrdcached mode | ratio | wardwatch + rrdcached | ratio |"
        echo "|---|---|---|---|---|---|---|---|"
        while read -r n c files; do
            w=$(awk -F'|' -v n="$n" -v iv="$interval" '$2+0 == n && $3 ~ /direct/ && $4+0 == iv {print $15+0}' "$T/rows")
            r=$(awk -F'|' -v n="$n" -v iv="$interval" '$2+0 == n && $3 ~ /rrdcached/ && $4+0 == iv {print $15 + $16}' "$T/rows")
            a=$(awk -F'|' -v n="$n" -v iv="$interval" '$2+0 == n && $3 ~ /rrdcached/ && $4+0 == iv {print $15+0}' "$T/rows")
            python3 -c "
w, a, r, c = '$w', '$a', '$r', $c
f = lambda x: ('%.3f | 1/%.1f' % (float(x), c / float(x))) if x and float(x) > 0 else '- | -'
print('| $n | %.3f | %s | %s | %s |' % (c, f(w), f(a), f(r)))"
        done <"$T/cd_rows"
    fi
} >"$T/RESULTS.md"
out=${BENCH_OUT:-$top/bench/RESULTS.md}
# the sections of bench/uptime.sh, bench/newdevices.sh, bench/probe.sh, bench/plan.sh and
# bench/training.sh, and the writer's before/after of issue 16 (health-bench), are kept as
# they were
for sec in uptime-bench newdevices-bench health-bench probe-bench plan-bench gap-bench; do
    if [ -f "$out" ] && grep -q "<!-- $sec:begin -->" "$out"; then
        { echo; sed -n "/<!-- $sec:begin -->/,/<!-- $sec:end -->/p" "$out"; } >>"$T/RESULTS.md"
    fi
done
cat "$T/RESULTS.md"
cp "$T/RESULTS.md" "$out"
# then the dashboard's: overview API and page with 10,000 devices and a year of events
if [ "${BENCH_UPTIME:-1}" = 1 ]; then
    UPTIME_RESULTS="$out" "$top/bench/uptime.sh" "$build" || echo "bench: uptime.sh failed" >&2
fi
# the replacement plan of a province: 100,000 devices, 3,000 units, a year of health
if [ "${BENCH_PLAN:-1}" = 1 ]; then
    PLAN_RESULTS="$out" "$top/bench/plan.sh" "$build" || echo "bench: plan.sh failed" >&2
fi
# a province's skill gaps: 50,000 staff, 3,000 units, 500,000 training records
if [ "${BENCH_TRAINING:-1}" = 1 ]; then
    GAP_RESULTS="$out" "$top/bench/training.sh" "$build" || echo "bench: training.sh failed" >&2
fi
# and a first start with thousands of new devices (BENCH_NEW_SIZES ...; BENCH_NEW=0 skips)
if [ "${BENCH_NEW:-1}" = 1 ]; then
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done # the farm: newdevices.sh starts its own
    pids=()
    BENCH_OUT="$out" "$top/bench/newdevices.sh" "$build" || echo "bench: newdevices.sh failed" >&2
fi
# the passive probe offline, beside tshark and tcpdump on the same file (BENCH_PROBE=0 skips)
if [ "${BENCH_PROBE:-1}" = 1 ]; then
    BENCH_OUT="$out" "$top/bench/probe.sh" "$build" || echo "bench: probe.sh failed" >&2
fi

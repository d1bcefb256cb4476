#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/newdevices.sh BUILD - a first start with N brand-new devices: no RRD file exists, the
# long-running collector starts against N simulated agents (ww-agentsim) in rrdcached mode
# and is watched for its first minutes. Per interval, from its "collector: interval:" lines:
# polls started, polls missed, results written, the longest write batch and the deepest
# writer queue; and storage's "file(s) created" lines. The target: no poll missed while the
# files are made. Prints the tables and puts them in bench/RESULTS.md between the
# newdevices-bench markers (the rest of the file is kept).
#   BENCH_NEW_SIZES="1000:10 10000:60"  devices[:interval s] per run (plain N: BENCH_NEW_INTERVAL)
#   BENCH_NEW_INTERVAL=60   BENCH_NEW_MINUTES=3 (watched; at least 4 intervals)
#   BENCH_NEW_FULL_HOURS=6 (full-resolution archive: making a file writes all of it; the
#   design's 48 h would need 22 GB at N = 1,000 and 10 s)   BENCH_OUT=file
# BUILD may be an absolute path (another checkout's build, to compare).
set -u
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
case $build in /*) BIN=$build/bin ;; *) BIN=$top/$build/bin ;; esac
sizes=${BENCH_NEW_SIZES:-1000:10 10000:60}
def_interval=${BENCH_NEW_INTERVAL:-60}
minutes=${BENCH_NEW_MINUTES:-3}
full_hours=${BENCH_NEW_FULL_HOURS:-6}
out=${BENCH_OUT:-$top/bench/RESULTS.md}
. "$top/bench/farm.sh"
farm_init

# the collector for WATCH seconds, each stderr line stamped with the seconds since start
watch_collector() { # CONF WATCH LOG
    python3 - "$BIN/wardwatch-collector" "$1" "$2" "$3" <<'PY'
import os, selectors, signal, subprocess, sys, time
binary, conf, watch, log = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
p = subprocess.Popen([binary, "-c", conf], stderr=subprocess.PIPE)
t0 = time.time()
out = open(log, "w")
sel = selectors.DefaultSelector()
sel.register(p.stderr, selectors.EVENT_READ)
rest = b""
def take(block):
    global rest
    rest += block
    *lines, rest = rest.split(b"\n")
    for l in lines:
        out.write("%.1f %s\n" % (time.time() - t0, l.decode(errors="replace")))
    out.flush()
stopped = False
while True:
    if not stopped and time.time() - t0 >= watch:
        p.send_signal(signal.SIGTERM)
        stopped = True
    if sel.select(timeout=0.5):
        block = os.read(p.stderr.fileno(), 65536)
        if not block:
            break
        take(block)
p.wait()
take(b"\n")
print("%.1f" % (time.time() - t0))
PY
}

new_run() { # N INTERVAL
    local n=$1 iv=$2 data=$T/new-$1 conf=$T/new-$1.conf log=$T/new-$1.log watch files secs
    mkdir -p "$data"
    make_db "$data" "$n"
    start_rrdcached "$data/rrd" "new-$n"
    write_conf "$conf" "$data" "$CACHED" "$iv" "$full_hours"
    watch=$(( minutes * 60 > 4 * iv ? minutes * 60 : 4 * iv ))
    watch=$(( watch + iv / 2 ))
    secs=$(watch_collector "$conf" "$watch" "$log")
    files=$(find "$data/rrd" -name '*.rrd' | wc -l)
    kill "$CPID" 2>/dev/null
    python3 - "$n" "$iv" "$log" "$files" "$secs" "$full_hours" "$T/summary" "$T/detail" <<'PY'
import re, sys
n, iv, log, files, secs, hours, summary, detail = sys.argv[1:9]
n, iv, files = int(n), int(iv), int(files)
pat = re.compile(r"interval: (\d+) polls, (\d+) up, (\d+) failed, (\d+) missed, (\d+) devices,"
                 r" poll p50 (\d+) ms, max (\d+) ms, late max (\d+) ms, written (\d+),"
                 r" batch max (\d+) ms, queue max (\d+)")
made = re.compile(r"storage: (\d+) file\(s\) created in (\d+) ms \(longest (\d+) ms\)")
rows, bursts, stop = [], [], ""
for line in open(log):
    t, _, text = line.rstrip("\n").partition(" ")
    m = pat.search(text)
    if m:
        rows.append((float(t),) + tuple(int(x) for x in m.groups()))
    m = made.search(text)
    if m:
        bursts.append((float(t),) + tuple(int(x) for x in m.groups()))
    if "storage: stopping:" in text:
        stop = text.split("storage: ", 1)[1]
with open(detail, "a") as f:
    f.write("\n**N = %d, %d s interval** (%d-h full-resolution archive; %d RRD files on disk after %s s%s)\n\n"
            % (n, iv, int(hours), files, secs, "; " + stop if stop else ""))
    f.write("| interval | ends at s | polls started | missed | failed | written | write batch max ms | writer queue max |\n")
    f.write("|---|---|---|---|---|---|---|---|\n")
    for i, r in enumerate(rows, 1):
        f.write("| %d | %.0f | %d | %d | %d | %d | %d | %d |\n" % (i, r[0], r[1], r[4], r[3], r[9], r[10], r[11]))
    if bursts:
        f.write("\nstorage's creator thread: %d files (in bursts of more than 100) made in %.1f s of"
                " work, longest file %d ms, the last burst done at %.0f s\n"
                % (sum(b[1] for b in bursts), sum(b[2] for b in bursts) / 1000.0,
                   max(b[3] for b in bursts), bursts[-1][0]))
full = rows[1:]  # the first interval is partly start-up: devices come due at their phases
with open(summary, "a") as f:
    f.write("| %d | %d | %d | %d | %d | %d | %d | %d | %d | %d |\n" % (
        n, iv, len(rows), sum(r[1] for r in rows), sum(r[4] for r in rows),
        min((r[1] for r in full), default=0), max((r[10] for r in rows), default=0),
        max((r[11] for r in rows), default=0), files, sum(b[1] for b in bursts)))
PY
    rm -rf "$data" "$T/journal-new-$n"
    echo "bench: new devices N=$n (${iv} s) done" >&2
}

max_n=0
for sv in $sizes; do n=${sv%%:*}; [ "$n" -gt "$max_n" ] && max_n=$n; done
start_sim "$max_n" || exit 1
for sv in $sizes; do
    n=${sv%%:*}
    iv=$def_interval
    [ "$sv" != "$n" ] && iv=${sv##*:}
    new_run "$n" "$iv" || exit 1
done

cpu_info=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
{
    echo "<!-- newdevices-bench:begin -->"
    echo "## A first start with N new devices (bench/newdevices.sh)"
    echo
    echo "Written by \`bench/newdevices.sh\` on $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores ($cpu_info),"
    echo "$(free -g | awk '/Mem:/{print $2}') GB RAM, $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end."
    echo "N devices added at once, no RRD file yet; the long-running collector in rrdcached mode against"
    echo "ww-agentsim (16 interfaces + HOST-RESOURCES each: 18 files a device), watched for about"
    echo "$minutes minutes (at least 4 intervals). Polls started and missed per interval come from the"
    echo "collector's \`interval:\` lines; \"fewest polls\" is the lowest count of an interval after the"
    echo "first (which starts with the process). The target is 0 missed."
    echo
    echo "| N | interval s | intervals | polls started | missed | fewest polls in an interval (after the 1st) | write batch max ms | writer queue max | RRD files at the end | files made by the creator thread (bursts > 100) |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    cat "$T/summary"
    cat "$T/detail"
    echo "<!-- newdevices-bench:end -->"
} >"$T/section.md"
cat "$T/section.md"
results_section newdevices-bench "$T/section.md" "$out"

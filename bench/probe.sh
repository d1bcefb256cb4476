#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/probe.sh BUILD - the passive probe's offline speed on one core (issue 18): the test
# capture with the most frames ($WW_TESTDATA/pcap, BENCH_PCAP= another) decoded and counted
# by wardwatch-probe --repeat (the frames kept in memory, counted BENCH_PROBE_REPEAT times:
# the decoder and the tables alone), then the same file copied BENCH_PROBE_COPIES times into
# one capture (mergecap -a) read from disk by wardwatch-probe --read, `tshark -n -q -z
# endpoints,ip` and `tcpdump -n -r` (output to /dev/null), each pinned to one CPU (taskset),
# in the same run. Prints the table and puts it in bench/RESULTS.md between the
# probe-bench markers. Target: >= 5 M frames/s and >= 20x tshark.
set -u
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
BIN=$top/$build/bin
testdata=${WW_TESTDATA:-$top/../shared/testdata}
repeat=${BENCH_PROBE_REPEAT:-400}
copies=${BENCH_PROBE_COPIES:-50}
out=${BENCH_OUT:-$top/bench/RESULTS.md}
. "$top/bench/farm.sh" # results_section
T=$(mktemp -d "${TMPDIR:-/tmp}/wwbench-probe.XXXXXX")
trap 'rm -rf "$T"' EXIT

pcap=${BENCH_PCAP:-}
if [ -z "$pcap" ]; then
    # the capture with the most frames, by the capinfos line of its reference file
    pcap=$(for r in "$testdata"/pcap/*.tshark-endpoints.txt; do
        n=$(sed -n 's/^# capinfos: .* microseconds \([0-9][0-9]*\).*/\1/p' "$r" | head -1)
        echo "${n:-0} ${r%.tshark-endpoints.txt}"
    done | sort -n | tail -1 | cut -d' ' -f2)
fi
[ -f "$pcap" ] || { echo "bench: no capture ($pcap)" >&2; exit 1; }
for tool in tshark tcpdump mergecap; do
    command -v "$tool" >/dev/null || { echo "bench: $tool missing (appliance/install-deps.sh --bench)" >&2; exit 1; }
done
pin=()
command -v taskset >/dev/null && pin=(taskset -c "$(( $(nproc) - 1 ))")
name=$(basename "$pcap")
conf=$T/probe.conf
printf '[general]\ndata_dir = %s\n' "$T" >"$conf"

# the frames and bytes of a run, from the probe's own report
frames_of() { awk '/^frames /{print $2, $4}' "$1"; }

# 1. in memory: the decoder and the tables alone
"${pin[@]}" "$BIN/wardwatch-probe" -c "$conf" --read "$pcap" --repeat "$repeat" >"$T/mem.out" 2>"$T/mem.err" ||
    { cat "$T/mem.err" >&2; exit 1; }
read -r _ _ mem_frames _ mem_bytes _ mem_cpu _ mem_fps _ mem_bps < <(grep '^bench ' "$T/mem.out")

# 2. the same file, copied into one capture, read from disk by the three programs
files=()
for _ in $(seq "$copies"); do files+=("$pcap"); done
mergecap -a -F pcap -w "$T/big.pcap" "${files[@]}"
big_size=$(stat -c %s "$T/big.pcap")
cat "$T/big.pcap" >/dev/null # in the page cache for all three
timed() { # NAME cmd...: "wall user sys" into $T/NAME.time, output to $T/NAME.out
    local name=$1; shift
    /usr/bin/time -f '%e %U %S' -o "$T/$name.time" "${pin[@]}" "$@" >"$T/$name.out" 2>"$T/$name.err"
}
timed probe "$BIN/wardwatch-probe" -c "$conf" --read "$T/big.pcap"
timed tshark tshark -n -q -z endpoints,ip -r "$T/big.pcap"
timed tcpdump tcpdump -n -r "$T/big.pcap"
read -r big_frames big_bytes < <(frames_of "$T/probe.out")
tshark_rows=$(awk '/^[0-9.]+ +[0-9]+ +[0-9]+/' "$T/tshark.out" | wc -l)
probe_rows=$(awk '/^host [0-9.]+ /' "$T/probe.out" | wc -l)

row() { # NAME: | program | wall s | CPU s | frames/s (CPU) | MB/s (CPU) |
    python3 - "$1" "$T/$1.time" "$big_frames" "$big_bytes" "$2" <<'PY'
import sys
name, tfile, frames, size, label = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
wall, user, sys_ = (float(x) for x in open(tfile).read().split()[-3:])
cpu = user + sys_
print("| %s | %.2f | %.2f | %s | %.1f |" % (label, wall, cpu,
      "{:,.0f}".format(frames / cpu) if cpu > 0 else "-", size / cpu / 1e6 if cpu > 0 else 0))
PY
}
cpu_of() { awk '{print $2 + $3}' "$T/$1.time"; }
ratio() { python3 -c "a, b = $1, $2; print('%.1f' % (a / b) if b > 0 else '-')"; }
probe_cpu=$(cpu_of probe)
tshark_cpu=$(cpu_of tshark)
tcpdump_cpu=$(cpu_of tcpdump)
tshark_fps=$(python3 -c "print($big_frames / $tshark_cpu if $tshark_cpu > 0 else 0)")

cpu_info=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
{
    echo "<!-- probe-bench:begin -->"
    echo "## Passive probe, offline (bench/probe.sh)"
    echo
    echo "Written by \`bench/probe.sh\` on $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores ($cpu_info),"
    echo "$(free -g | awk '/Mem:/{print $2}') GB RAM, $(uname -sr); each program pinned to one CPU."
    echo "Capture: \`$name\` ($(sed -n 's/^# capinfos: .* microseconds \([0-9][0-9]*\).*/\1/p' "$pcap.tshark-endpoints.txt" | head -1) frames, IPv4 and IPv6)."
    echo "$(tshark --version | head -1 | sed 's/\.$//'); $(tcpdump --version 2>&1 | head -1)."
    echo
    echo "In memory: the frames read once, then decoded and counted $repeat times by \`wardwatch-probe"
    echo "--read FILE --repeat $repeat\` (CPU time of the loop alone):"
    echo
    echo "| frames | bytes | CPU s | frames/s | bytes/s |"
    echo "|---|---|---|---|---|"
    python3 -c "print('| {:,} | {:,} | {:.3f} | {:,.0f} | {:,.0f} ({:.2f} GB/s) |'.format($mem_frames, $mem_bytes, $mem_cpu, $mem_fps, $mem_bps, $mem_bps / 1e9))"
    echo
    echo "From disk (page cache): the capture copied $copies times into one file ($(python3 -c "print('{:,}'.format($big_frames))") frames,"
    echo "$((big_size / 1000000)) MB), each program reading the same file once; CPU = user + system."
    echo "tshark's endpoint table: $tshark_rows IPv4 rows, the probe's: $probe_rows."
    echo
    echo "| program | wall s | CPU s | frames/s | MB/s |"
    echo "|---|---|---|---|---|"
    row probe "wardwatch-probe --read"
    row tshark "tshark -n -q -z endpoints,ip -r"
    row tcpdump "tcpdump -n -r (to /dev/null)"
    echo
    echo "Ratios (CPU): probe --read is $(ratio "$tshark_cpu" "$probe_cpu")x faster than tshark and $(ratio "$tcpdump_cpu" "$probe_cpu")x faster than tcpdump on"
    echo "the same file; the in-memory loop is $(ratio "$mem_fps" "$tshark_fps")x tshark's frames/s. Targets: >= 5 M frames/s,"
    echo ">= 20x tshark."
    echo "<!-- probe-bench:end -->"
} >"$T/section.md"
cat "$T/section.md"
results_section probe-bench "$T/section.md" "$out"

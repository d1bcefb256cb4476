#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# demo.sh - what `make run` starts: a simulated ward office (snmpsimd answering for a
# router, two switches, a Wi-Fi AP, a UPS, a printer and 20 office PCs on 127.0.1.10-35),
# this machine's own snmpd, and the appliance (collector + dashboard) watching all of it; at
# the first start wardwatch-probe stores a day of the office's traffic (demo-gen's capture).
# Ctrl-C (or TERM, or any of them dying) stops everything it started.
#
#   appliance/demo.sh [--data DIR] [--port N]
#     --data DIR   data folder (default: <repo>/var/demo, git-ignored); kept between runs
#     --port N     dashboard TCP port on 127.0.0.1 (default 8080)
#   WW_BIN=DIR     where the programs are (default: <repo>/build/bin)
#
# Layout of DIR: snmprec/ (recordings + devices.tsv, and the register: register.tsv, units.csv,
# plan.tsv),
# cache/ (snmpsimd index), log/,
# snmpd.conf, snmp-persist/, wardwatch.db, rrd/, wardwatch.conf, demo-epoch (the first
# start: the simulated office runs on from it across restarts), .demo-traffic-loaded (the
# day of traffic before the first start, snmprec/traffic.pcap, stored by wardwatch-probe).
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
BIN=${WW_BIN:-$top/build/bin}
data=$top/var/demo
http_port=8080
self_port=1162
self_community=demo-self

die() {
    echo "demo: $*" >&2
    exit 1
}

usage() {
    sed -n '/^#   appliance\/demo.sh/,/^#   WW_BIN/s/^#   //p' "$0"
}

while [ $# -gt 0 ]; do
    case $1 in
    --data) [ $# -ge 2 ] || die "--data needs a folder"; data=$2; shift 2 ;;
    --data=*) data=${1#--data=}; shift ;;
    --port) [ $# -ge 2 ] || die "--port needs a number"; http_port=$2; shift 2 ;;
    --port=*) http_port=${1#--port=}; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
    esac
done
case $http_port in
'' | *[!0-9]*) die "--port must be a number from 1 to 65535" ;;
esac
[ "$http_port" -ge 1 ] && [ "$http_port" -le 65535 ] || die "--port must be from 1 to 65535"

# ---- what we need -------------------------------------------------------------------------
for p in wardwatch wardwatch-collector wardwatch-dashboard; do
    [ -x "$BIN/$p" ] || die "$BIN/$p is not built (run 'make all'; if it fails, that part is not finished yet)"
done
"$BIN/wardwatch" --help 2>&1 | grep -q 'demo-gen' ||
    die "$BIN/wardwatch has no 'demo-gen' command yet"
PATH=$PATH:/usr/sbin:/sbin
for t in snmpsimd snmpd snmpget python3; do
    command -v "$t" >/dev/null || die "'$t' is missing: run appliance/install-deps.sh (or 'make deps')"
done

# port_free tcp|udp PORT ADDR...: 0 when every ADDR:PORT can be bound now; else prints the
# first address that cannot
port_free() {
    python3 - "$@" <<'PY'
import socket, sys
kind = socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM
port = int(sys.argv[2])
for addr in sys.argv[3:]:
    s = socket.socket(socket.AF_INET, kind)
    try:
        s.bind((addr, port))
    except OSError:
        print(addr)
        sys.exit(1)
    finally:
        s.close()
PY
}

taken=$(port_free tcp "$http_port" 127.0.0.1) ||
    die "port $http_port/tcp is taken on $taken (something else listens there): try --port N"
taken=$(port_free udp "$self_port" 127.0.0.1) ||
    die "port $self_port/udp is taken on $taken (another snmpd or demo running?)"

# ---- the office's recordings --------------------------------------------------------------
mkdir -p "$data" || die "cannot create $data"
data=$(cd "$data" && pwd)
umask 027 # the database and logs stay private; what nobody must read is opened up below
mkdir -p "$data/log" "$data/cache" "$data/snmp-persist" || die "cannot create folders in $data"
# the office has been running since the demo's first start: a restart continues its counters
# and uptimes (no false reboot of every device, no counter going back)
[ -s "$data/demo-epoch" ] || date +%s >"$data/demo-epoch" || die "cannot write $data/demo-epoch"
"$BIN/wardwatch" -d "$data" demo-gen --since "$(cat "$data/demo-epoch")" "$data/snmprec" ||
    die "demo-gen failed"
tsv=$data/snmprec/devices.tsv
[ -s "$tsv" ] || die "demo-gen wrote no $tsv"

endpoints=()
addrs=()
router_addr='' router_port='' router_comm='' snmp_port=''
while IFS=$'\t' read -r name kind addr port comm; do
    [ "$name" = name ] && continue # header
    endpoints+=("--agent-udpv4-endpoint=$addr:$port")
    addrs+=("$addr")
    snmp_port=$port
    if [ "$kind" = router ] && [ -z "$router_addr" ]; then
        router_addr=$addr router_port=$port router_comm=$comm
    fi
done <"$tsv"
[ -n "$router_addr" ] || die "$tsv lists no router"
taken=$(port_free udp "$snmp_port" "${addrs[@]}") ||
    die "port $snmp_port/udp is taken on $taken (another snmpsimd or demo running?)"

# ---- everything started from here is stopped on the way out -----------------------------
pids=()
names=()
tmp_snmprec=''
cleanup() {
    local i p
    trap - EXIT
    trap '' INT TERM # a second Ctrl-C must not leave daemons behind; this takes at most seconds
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    for i in "${!pids[@]}"; do
        p=${pids[$i]}
        for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$p" 2>/dev/null; then
            echo "demo: ${names[$i]} did not stop, killing it" >&2
            kill -9 "$p" 2>/dev/null
        fi
    done
    wait 2>/dev/null
    [ -n "$tmp_snmprec" ] && rm -rf "$tmp_snmprec"
    [ ${#pids[@]} -gt 0 ] && echo "demo: stopped"
}
trap cleanup EXIT
# Ctrl-C or TERM while starting: stop there; once running (the loop below): a normal stop,
# exit 0 without "stopped unexpectedly" (the children die of the same Ctrl-C)
running=""
stop_asked=""
trap 'stop_asked=1; [ -n "$running" ] || exit 130' INT
trap 'stop_asked=1; [ -n "$running" ] || exit 143' TERM

# start NAME LOG cmd...: run in the background, remember it
start() {
    local name=$1 log=$2
    shift 2
    "$@" >>"$log" 2>&1 &
    pids+=($!)
    names+=("$name")
}

# alive NAME: die with the end of its log when it has exited
alive() {
    local i
    for i in "${!names[@]}"; do
        [ "${names[$i]}" = "$1" ] || continue
        kill -0 "${pids[$i]}" 2>/dev/null && return 0
        echo "demo: $1 exited; the end of $data/log/$1.log:" >&2
        tail -n 15 "$data/log/$1.log" >&2
        exit 1
    done
}

# ---- snmpsimd: one UDP endpoint per device ------------------------------------------------
snmprec=$data/snmprec
cache=$data/cache
sim_args=()
if [ "$(id -u)" = 0 ]; then
    # snmpsimd refuses to run as root: it reads the recordings and writes its index as nobody
    sim_args=(--process-user=nobody --process-group=nogroup)
    chmod 711 "$data" && chmod 755 "$snmprec" && chown nobody:nogroup "$cache" ||
        die "cannot open $data up for snmpsimd (user nobody)"
    if ! runuser -u nobody -- test -r "$snmprec/$router_comm.snmprec" -a -w "$cache"; then
        # a folder above $data is closed to others (e.g. /root): serve a copy from /tmp
        tmp_snmprec=$(mktemp -d /tmp/wardwatch-demo.XXXXXX) || die "mktemp failed"
        cp -p "$snmprec"/*.snmprec "$tmp_snmprec/" && mkdir "$tmp_snmprec/.cache" &&
            chmod 755 "$tmp_snmprec" && chown nobody:nogroup "$tmp_snmprec/.cache" ||
            die "cannot copy the recordings to $tmp_snmprec"
        echo "demo: user nobody cannot reach $snmprec; serving a copy from $tmp_snmprec"
        snmprec=$tmp_snmprec
        cache=$tmp_snmprec/.cache
    fi
fi
# it logs to stderr, which we open for it (its own file logger re-opens the path as nobody);
# it writes several lines for every request it answers (8 MB in 12 minutes of the demo):
# those are dropped on the way, its start-up and its errors kept
: >"$data/log/snmpsimd.log"
start snmpsimd "$data/log/snmpsimd.log" bash -c \
    'exec "$@" 2> >(exec grep --line-buffered -v -E "transportDomain|controller selected by candidate|(Request|Response) var-binds|No more variables left|^ *[0-9]+(\.[0-9]+)+=")' \
    _ snmpsimd --data-dir="$snmprec" --cache-dir="$cache" "${sim_args[@]}" "${endpoints[@]}"

# ---- this machine's own snmpd, so the appliance watches itself too -----------------------
self_conf=$data/snmpd.conf
cat >"$self_conf.tmp" <<EOF || die "cannot write $self_conf"
# written by appliance/demo.sh on every start: this machine's snmpd for the demo
agentaddress udp:127.0.0.1:$self_port
rocommunity $self_community 127.0.0.1
dontLogTCPWrappersConnects yes
sysName wardwatch
sysLocation Phòng máy chủ, tầng 1
sysContact Cán bộ CNTT
sysServices 72
EOF
mv "$self_conf.tmp" "$self_conf" || die "cannot write $self_conf"
snmpd_args=(-f -Lf "$data/log/snmpd.log" -C -c "$self_conf" -p "$data/snmpd.pid")
if [ "$(id -u)" = 0 ]; then
    chown nobody:nogroup "$data/snmp-persist" || die "cannot chown $data/snmp-persist"
    snmpd_args+=(-u nobody -g nogroup)
fi
start snmpd "$data/log/snmpd.out" env SNMP_PERSISTENT_DIR="$data/snmp-persist" MIBS= \
    snmpd "${snmpd_args[@]}" # listens where agentaddress says: one endpoint, given once

# wait_snmp NAME COMMUNITY HOST:PORT SECONDS
wait_snmp() {
    local n=$(($4 * 2))
    while [ "$n" -gt 0 ]; do
        alive "$1"
        snmpget -v2c -c "$2" -t 0.5 -r 0 -Oqv "$3" 1.3.6.1.2.1.1.3.0 >/dev/null 2>&1 && return 0
        n=$((n - 1))
    done
    die "$1 does not answer on $3 (see $data/log/$1.log)"
}
echo "demo: starting the simulated office (${#addrs[@]} devices on ${addrs[0]}-${addrs[-1]}:$snmp_port)..."
wait_snmp snmpsimd "$router_comm" "$router_addr:$router_port" 90
wait_snmp snmpd "$self_community" "127.0.0.1:$self_port" 20

# ---- the appliance's records ---------------------------------------------------------------
# the first admin gets a random password (there is no default one); the demo keeps it in a
# file only its owner can read, so that the next start can say it again
pwfile=$data/ADMIN-PASSWORD.txt
if [ ! -e "$data/wardwatch.db" ]; then
    out=$("$BIN/wardwatch" -d "$data" init) || die "wardwatch init failed"
    pw=$(sed -n "s/.*login 'admin', password '\(.*\)'.*/\1/p" <<<"$out")
    [ -n "$pw" ] || die "wardwatch init printed no admin password"
    (umask 077 && printf '%s\n' "$pw" >"$pwfile") || die "cannot write $pwfile"
fi
# the ward's units (demo-gen's units.csv), before the devices that belong to them: the rows
# whose code no unit has yet go through `wardwatch unit import` (the audited path), so a
# restart imports nothing; with new units come their yearly budgets and the prices
# (demo-gen's plan.tsv: a line of `wardwatch plan` arguments each)
units_csv=$data/snmprec/units.csv
have=$("$BIN/wardwatch" -d "$data" unit list) || die "wardwatch unit list failed"
new_units=$(codes=$(awk 'NR > 1 {print $2}' <<<"$have") awk -F, '
    BEGIN { n = split(ENVIRON["codes"], h, "\n"); for (i = 1; i <= n; i++) known[h[i]] = 1 }
    NR == 1 || !($1 in known)' "$units_csv") || die "cannot read $units_csv"
if [ "$(wc -l <<<"$new_units")" -gt 1 ]; then
    "$BIN/wardwatch" -d "$data" unit import /dev/stdin <<<"$new_units" >/dev/null ||
        die "wardwatch unit import of the demo's units failed"
    while IFS=$'\t' read -r -a args; do
        [ ${#args[@]} -gt 0 ] && [[ ${args[0]} != '#'* ]] || continue
        "$BIN/wardwatch" -d "$data" plan "${args[@]}" </dev/null ||
            die "wardwatch plan ${args[0]} ${args[1]} failed"
    done <"$data/snmprec/plan.tsv"
    echo "demo: $(($(wc -l <<<"$new_units") - 1)) units, their budgets and the prices added"
fi
# the ward's staff, the courses they took and their records (demo-gen's staff.csv,
# courses.tsv, training.csv), once: through the CLI's imports (the audited path), before the
# devices, whose users are these staff records (register.tsv's holder_code)
staff_done=$data/.demo-staff-loaded
if [ ! -e "$staff_done" ]; then
    "$BIN/wardwatch" -d "$data" staff import "$data/snmprec/staff.csv" >/dev/null ||
        die "wardwatch staff import of the demo's staff failed"
    while IFS=$'\t' read -r -a args; do
        [ ${#args[@]} -gt 0 ] || continue
        "$BIN/wardwatch" -d "$data" training course add "${args[@]}" >/dev/null </dev/null ||
            die "wardwatch training course add '${args[1]}' failed"
    done <"$data/snmprec/courses.tsv"
    "$BIN/wardwatch" -d "$data" training import "$data/snmprec/training.csv" >/dev/null ||
        die "wardwatch training import of the demo's records failed"
    : >"$staff_done" || die "cannot write $staff_done"
    echo "demo: $(($(wc -l <"$data/snmprec/staff.csv") - 1)) staff, their courses and records added"
fi
known=$("$BIN/wardwatch" -d "$data" device list) || die "wardwatch device list failed"
added=0
# the register (demo-gen's register.tsv): what people typed about each PC, given with the
# device's add (the audited path, as an officer would), with its unit (a PC's from the
# register, the rest the ward's), so a restart adds nothing twice
register=$data/snmprec/register.tsv
add_device() { # NAME KIND HOST PORT COMMUNITY
    # the list prints "host:port" between spaces: a device already there is left alone
    grep -qF " $3:$4 " <<<"$known" && return 0
    local life=() _n unit vendor model serial tag bought cost warranty status funding code who
    if [ -s "$register" ] &&
        IFS=$'\t' read -r _n unit vendor model serial tag bought cost warranty status funding code \
            who < <(awk -F'\t' -v n="$1" '$1 == n' "$register") && [ -n "$_n" ]; then
        life=(--vendor "$vendor" --model "$model" --serial "$serial" --asset-tag "$tag"
            --purchase-date "$bought" --in-service-date "$bought" --cost "$cost"
            --warranty-end "$warranty" --status "$status" --funding-source "$funding")
        # the user's staff record when there is one, else the name as typed
        if [ -n "$code" ]; then life+=(--holder "$code"); elif [ -n "$who" ]; then life+=(--assigned-to "$who"); fi
        [[ $1 == PC-MOTCUA-* ]] && life+=(--criticality one_stop_counter)
    fi
    [ -n "$unit" ] || unit=demo
    WW_COMMUNITY=$5 "$BIN/wardwatch" -d "$data" device add --name "$1" --kind "$2" \
        --host "$3" --port "$4" --unit "$unit" "${life[@]}" >/dev/null || die "wardwatch device add '$1' failed"
    added=$((added + 1))
}
while IFS=$'\t' read -r name kind addr port comm; do
    [ "$name" = name ] && continue
    add_device "$name" "$kind" "$addr" "$port" "$comm"
done <"$tsv"
add_device "Máy chủ wardwatch" server 127.0.0.1 "$self_port" "$self_community"
[ "$added" -gt 0 ] && echo "demo: $added devices added to $data/wardwatch.db"
conf=$data/wardwatch.conf
cat >"$conf.tmp" <<EOF || die "cannot write $conf"
; written by appliance/demo.sh on every start (edit appliance/demo.sh, not this file)
[general]
data_dir = $data
log_level = info

[collector]
; poll often so the demo graphs fill quickly
poll_interval = 15

[dashboard]
listen_address = 127.0.0.1
port = $http_port
www_dir = $top/dashboard/www

[probe]
; the demo office's LAN (the traffic page's subnet and uplink)
local_subnets = ${router_addr%.*}.0/24
EOF
mv "$conf.tmp" "$conf" || die "cannot write $conf"

# ---- the passive probe: demo-gen's day of traffic before the first start (traffic.pcap),
# stored once through the probe's own store path, so the Traffic and Unknown devices pages
# show data; its one unknown laptop waits there as a new device
traffic_done=$data/.demo-traffic-loaded
if [ ! -e "$traffic_done" ] && [ -x "$BIN/wardwatch-probe" ]; then
    "$BIN/wardwatch-probe" -c "$conf" --read "$data/snmprec/traffic.pcap" --store \
        >"$data/log/wardwatch-probe.report" 2>>"$data/log/wardwatch-probe.log" ||
        die "wardwatch-probe --read of the demo's traffic failed (see $data/log/wardwatch-probe.log)"
    : >"$traffic_done" || die "cannot write $traffic_done"
    echo "demo: a day of the office's traffic stored ($(sed -n 's/^frames \([0-9]*\).*/\1/p' "$data/log/wardwatch-probe.report") frames)"
fi

# ---- the appliance ------------------------------------------------------------------------
start wardwatch-collector "$data/log/wardwatch-collector.log" "$BIN/wardwatch-collector" -c "$conf"
start wardwatch-dashboard "$data/log/wardwatch-dashboard.log" "$BIN/wardwatch-dashboard" -c "$conf"
n=100
until (exec 3<>"/dev/tcp/127.0.0.1/$http_port") 2>/dev/null; do
    alive wardwatch-dashboard
    n=$((n - 1))
    [ "$n" -gt 0 ] || die "the dashboard does not listen on 127.0.0.1:$http_port (see $data/log/wardwatch-dashboard.log)"
    sleep 0.1
done
alive wardwatch-collector

echo
echo "wardwatch demo is running: http://127.0.0.1:$http_port  (Ctrl-C stops it)"
if [ -r "$pwfile" ]; then
    echo "  log in as: admin / $(cat "$pwfile")   (kept in $pwfile; change it in the dashboard)"
fi
echo "  data and logs: $data (log/)"
echo

# ---- until Ctrl-C, or until one of them stops ------------------------------------------------
running=1
while :; do
    wait -n
    rc=$?
    # a child that died of SIGINT/SIGTERM died of the user's Ctrl-C (or of our stop)
    if [ -n "$stop_asked" ] || [ "$rc" = 130 ] || [ "$rc" = 143 ]; then
        echo "demo: stopping"
        exit 0
    fi
    for i in "${!pids[@]}"; do
        kill -0 "${pids[$i]}" 2>/dev/null && continue
        echo "demo: ${names[$i]} stopped unexpectedly; the end of its log:" >&2
        tail -n 15 "$data/log/${names[$i]}.log" >&2
        exit 1
    done
done

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_demo.sh - the demo ward office as snmpsimd serves it: `wardwatch demo-gen` writes 26
# recordings, devices.tsv and the register (register.tsv, units.csv, plan.tsv); snmpsimd (one
# endpoint per device on 127.0.1.x, a free UDP port) serves every line of every file; PCs
# have HOST-RESOURCES storage rows; the router's WAN counter moves; the UPS answers UPS-MIB. Also: appliance/demo.sh names a taken port.
source "$(dirname "$0")/lib.sh"

if [ ! -x "$BIN/wardwatch" ] || ! "$BIN/wardwatch" --help 2>&1 | grep -q demo-gen; then
    skip "demo office" "no wardwatch with demo-gen in $BIN"
    exit 0
fi
for t in snmpsimd snmpget snmpwalk snmpbulkwalk; do
    if ! command -v "$t" >/dev/null; then
        skip "demo office" "$t is not installed"
        exit 0
    fi
done

chmod 755 "$T" # snmpsimd reads the files as nobody when we are root
rec=$T/rec
check "demo-gen writes the office" "$BIN/wardwatch" -d "$T/data" demo-gen "$rec"
tsv=$rec/devices.tsv
n_files=$(find "$rec" -maxdepth 1 -name '*.snmprec' | wc -l)
check "26 recordings" [ "$n_files" = 26 ]
check "devices.tsv has its header and 26 rows" \
    [ "$(head -1 "$tsv")" = "$(printf 'name\tkind\taddr\tport\tcommunity')" -a "$(wc -l <"$tsv")" = 27 ]
check "register.tsv: a row per PC, bought 2012..2024 for 8-25 million VND, the oldest to dispose" \
    python3 -c 'import csv,sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8"), delimiter="\t"))
ok = len(rows) == 20 and all(r["name"].startswith("PC-") and "2012" <= r["purchase_date"][:4] <= "2024"
    and 8000000 <= int(r["cost_vnd"]) <= 25000000 and r["asset_tag"] for r in rows)
ok = ok and sorted(r["status"] for r in rows if r["status"] != "in_use") == ["in_repair", "to_dispose"]
ok = ok and [r["assigned_to"] for r in rows if r["status"] == "to_dispose"] == [""]
sys.exit(0 if ok else 1)' "$rec/register.tsv"
check "units.csv: the ward and its four departments, the columns of 'wardwatch unit import'" \
    python3 -c 'import csv,sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
ok = [r["level"] for r in rows] == ["ward"] + ["department"] * 4
ok = ok and all(r["parent_code"] == "demo" for r in rows[1:]) and rows[0]["code"] == "demo"
sys.exit(0 if ok else 1)' "$rec/units.csv"
check "plan.tsv: 'wardwatch plan' arguments: the prices, five years of budgets per department" \
    python3 -c 'import sys
lines = [l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8") if not l.startswith("#")]
ok = len(lines) == 5 and lines[0][0] == "price" and len(lines[0]) == 13
ok = ok and all(l[0] == "budget" and len(l) == 12 for l in lines[1:])
sys.exit(0 if ok else 1)' "$rec/plan.tsv"
check "no units.sql any more" test ! -e "$rec/units.sql"

# traffic.pcap (democap.c): a day of the office's traffic; the same start, the same bytes;
# the probe reads every record and counts as tshark does; the unknown laptop's pair is in it
since=1750222800 # Wednesday 18/06/2025 12:00 in Hà Nội: the day before has a workday morning
printf '[general]\ndata_dir = %s/data\n' "$T" >"$T/cap.conf" # the office zone: the default
"$BIN/wardwatch" -d "$T/data" demo-gen --since "$since" "$T/cap1" >/dev/null &&
    "$BIN/wardwatch" -d "$T/data" demo-gen --since "$since" "$T/cap2" >/dev/null ||
    fail "demo-gen --since writes the capture"
check "traffic.pcap: the same first start gives the same bytes" cmp -s "$T/cap1/traffic.pcap" "$T/cap2/traffic.pcap"
"$BIN/wardwatch-probe" -c "$T/cap.conf" --read "$T/cap1/traffic.pcap" --subnets 127.0.1.0/24 >"$T/cap.report" 2>/dev/null
check "the probe reads it whole: ARP from 25 devices, the laptop by DHCP and ARP, no drop" \
    [ "$(grep -c '^pair arp 02:77:77' "$T/cap.report")" = 25 ] &&
    grep -q '^pair dhcp 3c:52:82:5a:11:07 127.0.1.200$' "$T/cap.report" &&
    ! grep -qE '^(drop|read_error)' "$T/cap.report"
check "the morning of the office carries more than the night (09:00 > 4 x 03:00 up)" \
    [ "$(awk '$1 == "hour" && $4 == "09" {a = $6} $1 == "hour" && $4 == "03" {b = $6} END {print (a > 4 * b && b > 0)}' "$T/cap.report")" = 1 ]
if command -v tshark >/dev/null; then
    want=$(tshark -q -z endpoints,ip -r "$T/cap1/traffic.pcap" 2>/dev/null | awk '$1 == "127.0.1.200" {print $2, $3}')
    check "tshark counts the laptop as the probe does ($want)" \
        [ -n "$want" ] && [ "$(awk '$1 == "host" && $2 == "127.0.1.200" {print $3, $4}' "$T/cap.report")" = "$want" ]
fi

port=$(free_port udp)
endpoints=()
while IFS=$'\t' read -r name kind addr p comm; do
    [ "$name" = name ] && continue
    endpoints+=("--agent-udpv4-endpoint=$addr:$port")
done <"$tsv"
mkdir -p "$T/cache"
user_args=()
if [ "$(id -u)" = 0 ]; then
    user_args=(--process-user=nobody --process-group=nogroup)
    chown nobody:nogroup "$T/cache"
fi
spawn snmpsimd snmpsimd --data-dir="$rec" --cache-dir="$T/cache" "${user_args[@]}" "${endpoints[@]}"
sim_pid=$SPAWNED_PID

get() { # COMMUNITY ADDR OID: the value alone
    snmpget -v2c -c "$1" -t 2 -r 1 -Oqv "$2:$port" "$3" 2>/dev/null
}

up=0
for _ in $(seq 120); do
    kill -0 "$sim_pid" 2>/dev/null || break
    if get demo-router 127.0.1.10 1.3.6.1.2.1.1.3.0 >/dev/null; then up=1; break; fi
    sleep 0.5
done
if [ "$up" != 1 ]; then
    fail "snmpsimd answers" "see $T/snmpsimd.log"
    tail -20 "$T/snmpsimd.log"
    exit 1
fi
ok "snmpsimd answers"

# every device on its own address, with its own sysName; and every line of its file served
bad_descr='' bad_name='' bad_walk=''
while IFS=$'\t' read -r name kind addr p comm; do
    [ "$name" = name ] && continue
    get "$comm" "$addr" 1.3.6.1.2.1.1.1.0 | grep -q . || bad_descr="$bad_descr $comm"
    [ "$(get "$comm" "$addr" 1.3.6.1.2.1.1.5.0)" = "\"$name\"" ] || bad_name="$bad_name $comm"
    snmpbulkwalk -v2c -c "$comm" -On -Cr25 -t 5 "$addr:$port" .1 >"$T/walk" 2>&1 ||
        bad_walk="$bad_walk $comm(rc)"
    grep '^\.' "$T/walk" | grep -v 'No more variables' | sed 's/^\.//; s/ = .*//' >"$T/walk.oids"
    cut -d'|' -f1 "$rec/$comm.snmprec" >"$T/file.oids"
    cmp -s "$T/walk.oids" "$T/file.oids" || bad_walk="$bad_walk $comm"
done <"$tsv"
check "every device answers sysDescr${bad_descr:+ (not:$bad_descr)}" [ -z "$bad_descr" ]
check "every device's sysName is its name${bad_name:+ (not:$bad_name)}" [ -z "$bad_name" ]
check "every recording is served whole, in order${bad_walk:+ (not:$bad_walk)}" [ -z "$bad_walk" ]

# a PC: HOST-RESOURCES storage rows C:, D:, memory; a CPU with a load
pc_addr=$(awk -F'\t' '$5 == "demo-pc-ketoan-01" { print $3 }' "$tsv")
snmpwalk -v2c -c demo-pc-ketoan-01 -On "$pc_addr:$port" 1.3.6.1.2.1.25.2.3.1.3 >"$T/hrstorage" 2>&1
if grep -q 'C:\\\\ Label' "$T/hrstorage" && grep -q 'D:\\\\ Label:DATA' "$T/hrstorage" &&
    grep -q '"Physical Memory"' "$T/hrstorage"; then
    ok "a PC has hrStorage rows C:, D:, Physical Memory"
else
    fail "a PC has hrStorage rows C:, D:, Physical Memory" "$(head -c 300 "$T/hrstorage")"
fi
load=$(get demo-pc-ketoan-01 "$pc_addr" 1.3.6.1.2.1.25.3.3.1.2.1)
if [ -n "$load" ] && [ "$load" -ge 0 ] && [ "$load" -le 100 ]; then
    ok "a PC reports hrProcessorLoad 0-100 ($load)"
else
    fail "a PC reports hrProcessorLoad 0-100" "got '$load'"
fi

# the router's WAN (pppoe-out1, ifIndex 7) moves 1-5 MB/s; uptime moves 100 ticks/s
hc1=$(get demo-router 127.0.1.10 1.3.6.1.2.1.31.1.1.1.6.7)
t1=$(snmpget -v2c -c demo-router -Oqvt "127.0.1.10:$port" 1.3.6.1.2.1.1.3.0)
sleep 2
hc2=$(get demo-router 127.0.1.10 1.3.6.1.2.1.31.1.1.1.6.7)
t2=$(snmpget -v2c -c demo-router -Oqvt "127.0.1.10:$port" 1.3.6.1.2.1.1.3.0)
if [ -n "$hc1" ] && [ -n "$hc2" ] && [ "$hc2" -gt "$hc1" ]; then
    ok "router ifHCInOctets grows between two reads 2 s apart ($hc1 -> $hc2)"
    rate=$(((hc2 - hc1) * 100 / ((t2 - t1) > 0 ? (t2 - t1) : 1)))
    if [ "$rate" -ge 900000 ] && [ "$rate" -le 5500000 ]; then
        ok "router WAN runs at 1-5 MB/s ($rate B/s)"
    else
        fail "router WAN runs at 1-5 MB/s" "$rate B/s"
    fi
else
    fail "router ifHCInOctets grows between two reads 2 s apart" "'$hc1' -> '$hc2'"
fi
if [ -n "$t1" ] && [ -n "$t2" ] && [ $((t2 - t1)) -ge 150 ] && [ $((t2 - t1)) -le 400 ]; then
    ok "router sysUpTime runs ($t1 -> $t2)"
else
    fail "router sysUpTime runs" "'$t1' -> '$t2'"
fi

# the UPS: UPS-MIB battery status normal(2), minutes remaining, input voltage
ups_addr=$(awk -F'\t' '$5 == "demo-ups" { print $3 }' "$tsv")
check "UPS answers upsBatteryStatus = batteryNormal(2)" \
    [ "$(get demo-ups "$ups_addr" 1.3.6.1.2.1.33.1.2.1.0)" = 2 ]
mins=$(get demo-ups "$ups_addr" 1.3.6.1.2.1.33.1.2.3.0)
volts=$(get demo-ups "$ups_addr" 1.3.6.1.2.1.33.1.3.3.1.3.1)
if [ -n "$mins" ] && [ "$mins" -gt 0 ] && [ -n "$volts" ] && [ "$volts" -ge 180 ] &&
    [ "$volts" -le 250 ]; then
    ok "UPS minutes remaining ($mins) and input voltage ($volts V) are plausible"
else
    fail "UPS minutes remaining and input voltage are plausible" "'$mins' min, '$volts' V"
fi

# the printer: toner level against its maximum
prn_addr=$(awk -F'\t' '$5 == "demo-printer" { print $3 }' "$tsv")
level=$(get demo-printer "$prn_addr" 1.3.6.1.2.1.43.11.1.1.9.1.1)
max=$(get demo-printer "$prn_addr" 1.3.6.1.2.1.43.11.1.1.8.1.1)
if [ "$max" = 100 ] && [ -n "$level" ] && [ "$level" -ge 0 ] && [ "$level" -le 100 ]; then
    ok "printer toner level $level of $max"
else
    fail "printer toner level within its maximum" "'$level' of '$max'"
fi

check "snmpsimd still running" kill -0 "$sim_pid"

# appliance/demo.sh refuses a taken dashboard port and says which
busy=$(free_port tcp)
spawn listener python3 -c "
import socket, time
s = socket.socket(); s.bind(('127.0.0.1', $busy)); s.listen(); time.sleep(30)"
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$busy") 2>/dev/null && break; sleep 0.1; done
out=$(WW_BIN=$BIN "$WW_TOP/appliance/demo.sh" --data "$T/demo-data" --port "$busy" 2>&1)
rc=$?
if [ -x "$BIN/wardwatch-collector" ] && [ -x "$BIN/wardwatch-dashboard" ]; then
    want="port $busy/tcp is taken"
else
    want="not built"
fi
if [ "$rc" != 0 ] && grep -q "$want" <<<"$out"; then
    ok "demo.sh fails and says: $want"
else
    fail "demo.sh fails and says: $want" "rc=$rc: $out"
fi

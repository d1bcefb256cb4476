#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_probe_pcap.sh - wardwatch-probe --read on every capture of $WW_TESTDATA/pcap: the
# per-address packets and bytes (total, sent, received) equal the tshark reference file
# beside it (NAME.tshark-endpoints.txt, SOURCES.md there), IPv4 and IPv6 alike; malformed
# frames are counted by reason; a file cut inside a record, a cut pcapng and a file of
# garbage are survived (counts of what was read, or a clear refusal, never a crash); a BPF
# filter applies. Then, as root, the live probe on lo: the capabilities after start-up
# (/proc/PID/status: CapEff, CapPrm, CapBnd empty, NoNewPrivs 1), the frames it saw of UDP
# traffic sent to 127.0.0.1, and the refusal without CAP_NET_RAW.
set -u
. "$(dirname "$0")/lib.sh"
cd "$WW_TOP" || exit 1
PCAPS=$WW_TESTDATA/pcap
PROBE=$BIN/wardwatch-probe
conf=$T/probe.conf
printf '[general]\ndata_dir = %s\n' "$T" >"$conf"

if [ ! -d "$PCAPS" ]; then
    skip "probe captures" "no $PCAPS"
    exit 0
fi

# tshark's rows: address packets bytes tx_packets tx_bytes rx_packets rx_bytes
ref_rows() { awk '/^[0-9a-f:.]+ +[0-9]+ +[0-9]+ +[0-9]+/{print $1,$2,$3,$4,$5,$6,$7}' "$1" | sort; }
our_rows() { awk '/^host /{print $2,$3,$4,$5,$6,$7,$8}' "$1" | sort; }

n=0
for f in "$PCAPS"/*.pcap "$PCAPS"/*.pcapng; do
    [ -f "$f.tshark-endpoints.txt" ] || continue
    name=$(basename "$f")
    n=$((n + 1))
    if ! "$PROBE" -c "$conf" --read "$f" >"$T/$name.out" 2>"$T/$name.err"; then
        fail "$name: read" "$(tail -3 "$T/$name.err")"
        continue
    fi
    ref_rows "$f.tshark-endpoints.txt" >"$T/$name.ref"
    our_rows "$T/$name.out" >"$T/$name.got"
    rows=$(wc -l <"$T/$name.ref")
    if diff -u "$T/$name.ref" "$T/$name.got" >"$T/$name.diff"; then
        ok "$name: $rows addresses, packets and bytes (tx, rx) equal tshark's"
    else
        fail "$name: per-address counts equal tshark's" "$(head -12 "$T/$name.diff" | tr '\n' '|')"
    fi
    frames=$(awk '/^frames /{print $2}' "$T/$name.out")
    want=$(sed -n 's/^# capinfos: .* \([0-9][0-9]*\) *$/\1/p; s/^# capinfos: .*microseconds \([0-9][0-9]*\) .*/\1/p' \
        "$f.tshark-endpoints.txt" | head -1)
    check "$name: every frame read ($frames of $want)" [ "$frames" = "$want" ]
done
check "every capture with a reference was compared ($n)" [ "$n" -ge 9 ]

# malformed frames counted by reason, the rest of the file read
out=$T/arp-2282pkts-some-malformed.pcap.out
check "the malformed ARP capture: 84 frames with ARP address sizes other than 6/4" \
    grep -qx 'drop bad_arp 84' "$out"
check "the malformed ARP capture: the other 2,198 read as ARP (not IP)" \
    grep -q '^note trunc_l4 0 fragments 0 not_ip 2198$' "$out"
out=$T/fuzzed-malformed-caplen-lt-len.pcap.out
check "the fuzzed capture: bytes are the claimed original lengths (48 x 262,144)" \
    grep -q '^frames 48 bytes 12582912 ip_frames 2 ' "$out"
out=$T/loopback-null-quic-snaplen-truncated.pcap.out
check "snaplen-cut QUIC frames count whole, ::1 to itself twice" grep -q '^host ::1 36 10970 ' "$out"
out=$T/pcapng-multi-interface.pcapng.err
check "a pcapng of mixed link types is read by our own reader, and says so" \
    grep -q 'several link types, read without libpcap' "$out"
out=$T/dhcp-leasequery-arp-icmp.pcap.out
check "ARP pairs of the DHCP capture" grep -q '^pair arp a6:82:4b:c9:a1:a7 10.40.2.3$' "$out"
out=$T/linux-sll-cooked-518pkts.pcap.out
check "a DHCP pair from the cooked capture" grep -q '^pair dhcp 6c:f0:49:b2:de:6e 10.0.0.5$' "$out"
check "the capability drop is logged even for a file" \
    grep -q 'capabilities dropped' "$T/linux-sll-cooked-518pkts.pcap.err"

# a filter compiled once applies: only DNS of the HTTP/DNS capture
big=$PCAPS/ethernet-ipv4-http-dns-4631pkts.pcap
"$PROBE" -c "$conf" --read "$big" --filter 'udp port 53' >"$T/dns.out" 2>"$T/dns.err"
dns_frames=$(awk '/^frames /{print $2}' "$T/dns.out")
check "a BPF filter keeps only its frames (udp port 53: $dns_frames)" \
    [ -n "$dns_frames" ] && [ "$dns_frames" -gt 0 ] && [ "$dns_frames" -lt 4631 ] &&
    ! grep -q '^port tcp/' "$T/dns.out"
"$PROBE" -c "$conf" --read "$big" --filter 'port and and' >"$T/badf.out" 2>"$T/badf.err"
rc=$?
check "a bad filter is refused with its reason (exit $rc)" [ "$rc" = 1 ] && grep -q "bad filter" "$T/badf.err"

# subnets and the uplink by hour: 10.0.0.0/24 is the office in the HTTP/DNS capture
"$PROBE" -c "$conf" --read "$big" --subnets 10.0.0.0/24 >"$T/sub.out" 2>&1
check "local subnet totals: 10.0.0.0/24's frames" grep -q '^subnet 10.0.0.0/24 ' "$T/sub.out"
check "uplink bytes by hour with the office seconds of that hour" \
    grep -qE '^hour [0-9T:Z-]+ local_hour [0-9]{2} up [1-9][0-9]* down [1-9][0-9]* office_seconds [0-9]+$' \
    "$T/sub.out"

# cut and damaged files: counts of what was read, never a crash
head -c 1000000 "$big" >"$T/cut.pcap"
"$PROBE" -c "$conf" --read "$T/cut.pcap" >"$T/cut.out" 2>"$T/cut.err"
rc=$?
cut_frames=$(awk '/^frames /{print $2}' "$T/cut.out")
check "a pcap cut inside a record: exit 0, $cut_frames frames counted, read_error reported" \
    [ "$rc" = 0 ] && [ "${cut_frames:-0}" -gt 100 ] && grep -qx 'read_error 1' "$T/cut.out"
head -c 15000 "$PCAPS/pcapng-multi-interface.pcapng" >"$T/cut.pcapng"
"$PROBE" -c "$conf" --read "$T/cut.pcapng" >"$T/cutng.out" 2>"$T/cutng.err"
rc=$?
check "a cut pcapng of mixed link types: what was read is reported (exit $rc)" \
    [ "$rc" = 0 ] && grep -q '^frames [1-9]' "$T/cutng.out" && grep -qx 'read_error 1' "$T/cutng.out"
head -c 4096 /dev/urandom >"$T/garbage.pcap"
"$PROBE" -c "$conf" --read "$T/garbage.pcap" >"$T/garbage.out" 2>"$T/garbage.err"
rc=$?
check "a file of garbage is refused clearly (exit $rc)" \
    [ "$rc" = 1 ] && grep -q "pcap_open_offline" "$T/garbage.err"
"$PROBE" -c "$conf" --read "$T/nonexistent.pcap" >/dev/null 2>"$T/none.err"
check "a missing file is named" grep -q "nonexistent.pcap" "$T/none.err"

# --store: the counts added to the database (schema v16), twice the same file = twice the counts
printf '[general]\ndata_dir = %s/data\n' "$T" >"$T/store.conf"
echo "probe-test-admin-$RANDOM$RANDOM" | "$BIN/wardwatch" -c "$T/store.conf" init --admin-password-stdin >/dev/null 2>&1
sll=$PCAPS/linux-sll-cooked-518pkts.pcap
for i in 1 2; do
    "$PROBE" -c "$T/store.conf" --read "$sll" --subnets 10.0.0.0/24 --store >/dev/null 2>"$T/store$i.err" ||
        fail "--store run $i" "$(tail -3 "$T/store$i.err")"
done
db=$T/data/wardwatch.db
got=$(sqlite3 "$db" "SELECT tx_pkts || ' ' || tx_bytes || ' ' || rx_pkts || ' ' || rx_bytes FROM probe_host WHERE addr = '10.0.0.8'")
check "two --store runs add up: 10.0.0.8 sent 2 x 164 frames (2 x 11,472 B), received 2 x 330 ($got)" \
    [ "$got" = "328 22944 660 875328" ]
check "the first run names 3 new MAC/IP pairs that no device has, the second none" \
    grep -q '3 MAC/IP pairs (3 new that no device' "$T/store1.err" && grep -q '(0 new' "$T/store2.err"
check "the sightings wait as 'new': ARP 10.0.0.8, 10.0.0.138, DHCP 10.0.0.5" \
    [ "$(sqlite3 "$db" "SELECT group_concat(source || ' ' || ip, ', ') FROM (SELECT * FROM mac_sighting WHERE state = 'new' ORDER BY ip)")" = "arp 10.0.0.138, dhcp 10.0.0.5, arp 10.0.0.8" ]
check "the uplink hour adds up (2 x 11,430 B out, 2 x 436,971 B in)" \
    [ "$(sqlite3 "$db" "SELECT up_bytes || ' ' || down_bytes FROM probe_hour")" = "22860 873942" ]
# schema v20: each window's protocol classes, ports and subnets; summed over the windows they
# are the run's own totals (the report's proto/subnet lines), twice
"$PROBE" -c "$conf" --read "$sll" --subnets 10.0.0.0/24 >"$T/sll.report" 2>/dev/null
want=$(awk '$1 == "subnet" && $2 == "10.0.0.0/24" {print 2*$3, 2*$4, 2*$5, 2*$6}' "$T/sll.report")
got=$(sqlite3 "$db" "SELECT sum(tx_pkts) || ' ' || sum(tx_bytes) || ' ' || sum(rx_pkts) || ' ' || sum(rx_bytes) FROM probe_subnet WHERE cidr = '10.0.0.0/24'")
check "the windows' subnet totals add up to the run's, twice ($got; report x 2: $want)" \
    [ -n "$want" ] && [ "$got" = "$want" ]
want=$(awk '$1 == "proto" && $2 == 6 {print 2*$4}' "$T/sll.report")
got=$(sqlite3 "$db" "SELECT sum(bytes) FROM probe_class WHERE class = 'tcp'")
check "the windows' TCP bytes add up to the run's protocol 6, twice ($got = $want)" \
    [ -n "$want" ] && [ "$got" = "$want" ]
check "every window's classes add up to its bytes" \
    [ "$(sqlite3 "$db" "SELECT count(*) FROM probe_window w WHERE bytes <> (SELECT sum(bytes) FROM probe_class c WHERE c.start = w.start)")" = 0 ]
check "a window's top ports name the protocol and the service port (tcp/..., udp/...)" \
    [ "$(sqlite3 "$db" "SELECT count(*) FROM probe_port WHERE port NOT GLOB '[tu][cd]p/[0-9]*' AND port NOT GLOB 'sctp/[0-9]*'")" = 0 ] &&
    [ "$(sqlite3 "$db" "SELECT count(*) FROM probe_port")" -gt 0 ]

# ---- live, as root: capabilities and frames on lo
if [ "$(id -u)" != 0 ]; then
    skip "live probe on lo" "needs root (CAP_NET_RAW)"
    exit 0
fi
port=$(free_port udp)
spawn probe "$PROBE" -c "$T/store.conf" --interface lo --filter "udp port $port" --count 20 --store
pid=$SPAWNED_PID
if ! wait_log "$T/probe.log" "capturing on 'lo'" "$pid"; then
    fail "live probe on lo starts" "$(tail -5 "$T/probe.log")"
    exit 0
fi
st=/proc/$pid/status
capeff=$(awk '/^CapEff:/{print $2}' "$st")
capprm=$(awk '/^CapPrm:/{print $2}' "$st")
capbnd=$(awk '/^CapBnd:/{print $2}' "$st")
nnp=$(awk '/^NoNewPrivs:/{print $2}' "$st")
check "after start-up no capability is left (CapEff $capeff CapPrm $capprm CapBnd $capbnd)" \
    [ "$capeff" = 0000000000000000 ] && [ "$capprm" = 0000000000000000 ] &&
    [ "$capbnd" = 0000000000000000 ]
check "no_new_privs is set ($nnp)" [ "$nnp" = 1 ]
check "the drop is logged" grep -q 'capabilities dropped' "$T/probe.log"
# 20 datagrams of 100 bytes to 127.0.0.1 (each seen once on lo)
python3 - "$port" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(20):
    s.sendto(b"x" * 100, ("127.0.0.1", int(sys.argv[1])))
PY
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
wait "$pid" 2>/dev/null
# 100 bytes of data + UDP 8 + IPv4 20 + Ethernet 14 = 142 bytes a frame
check "the live probe counted the 20 datagrams to 127.0.0.1 (20 x 142 bytes, each way)" \
    grep -q '^host 127.0.0.1 40 5680 20 2840 20 2840$' "$T/probe.log"
# the cooked capture's 127.0.0.1 (10 frames, 1,079 B sent) was stored twice above
check "the live probe, its database opened before the capabilities went, added them" \
    [ "$(sqlite3 "$db" "SELECT tx_pkts || ' ' || tx_bytes FROM probe_host WHERE addr = '127.0.0.1'")" = "40 4998" ]

setpriv --bounding-set=-net_raw --inh-caps=-net_raw -- "$PROBE" -c "$conf" --interface lo \
    --count 1 >"$T/nocap.out" 2>"$T/nocap.err"
rc=$?
check "without CAP_NET_RAW a live capture is refused, saying what to do (exit $rc)" \
    [ "$rc" = 1 ] && grep -q "needs CAP_NET_RAW" "$T/nocap.err"

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_probe_live.sh - wardwatch-probe on a live interface (issue 18): the test makes a
# network namespace and a veth pair (the host end in ours, the other end in the namespace with
# a MAC no device has; IPv6 off on both so that only our traffic flows), starts
# `wardwatch-probe --interface <host end> --store` for a few seconds and sends from the
# namespace (python3, no ping(8) needed): 5 pings, 20 UDP datagrams of 100 bytes and a TCP connection (python3). Checked:
# the per-host and per-port counts the probe reports and stores, the namespace's MAC stored as
# a new sighting (an unknown device; no event row: event.device_id names a device, the
# sighting's 'new' state stands for it, see probes/README.md), the host end's address known
# (a device has it); and the capability drop: once capturing, /proc/PID/status shows CapEff,
# CapPrm and CapBnd empty and no_new_privs. Skips (exit 0) when not root or when namespaces
# or veth pairs cannot be made here.
source "$(dirname "$0")/lib.sh"

PROBE=$BIN/wardwatch-probe
[ -x "$PROBE" ] || { fail "wardwatch-probe is built"; exit 1; }
if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null; then
    skip "live probe in a namespace" "needs root and ip(8)"
    exit 0
fi
NS=wwprobe$$
HOST_IF=wwh$$
NS_IF=wwn$$
NET=10.213.$(($$ % 200 + 20))
NS_MAC=02:00:5e:10:20:30
ns_cleanup() {
    ip link del "$HOST_IF" 2>/dev/null
    ip netns del "$NS" 2>/dev/null
}
trap 'ns_cleanup; _cleanup' EXIT
if ! ip netns add "$NS" 2>"$T/ns.err" ||
    ! ip link add "$HOST_IF" type veth peer name "$NS_IF" 2>>"$T/ns.err" ||
    ! ip link set "$NS_IF" netns "$NS" 2>>"$T/ns.err"; then
    skip "live probe in a namespace" "cannot make a namespace and a veth pair here: $(head -1 "$T/ns.err")"
    exit 0
fi
sysctl -qw "net.ipv6.conf.$HOST_IF.disable_ipv6=1" 2>/dev/null
ip netns exec "$NS" sysctl -qw "net.ipv6.conf.$NS_IF.disable_ipv6=1" 2>/dev/null
if ! ip addr add "$NET.1/24" dev "$HOST_IF" || ! ip link set "$HOST_IF" up ||
    ! ip netns exec "$NS" ip link set "$NS_IF" address "$NS_MAC" ||
    ! ip netns exec "$NS" ip addr add "$NET.2/24" dev "$NS_IF" ||
    ! ip netns exec "$NS" ip link set "$NS_IF" up || ! ip netns exec "$NS" ip link set lo up; then
    fail "the veth pair is set up"
    exit 1
fi

printf '[general]\ndata_dir = %s/data\n' "$T" >"$T/ww.conf"
echo "probe-live-admin-$RANDOM$RANDOM" | "$BIN/wardwatch" -c "$T/ww.conf" init --admin-password-stdin >/dev/null 2>&1 ||
    { fail "init"; exit 1; }
DB=$T/data/wardwatch.db
sqlite3 "$DB" "INSERT INTO device (id, name, kind, host) VALUES (77, 'Máy chủ', 'server', '$NET.1')" ||
    { fail "fixture"; exit 1; }

# service ports below the ephemeral range, so that each is the lower port of its frames (the
# probe counts a frame under its lower port: the service side)
low_port() {
    python3 - "$1" "$NET.1" <<'PY'
import random, socket, sys
kind = socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM
for _ in range(200):
    port = random.randint(20000, 32000)
    s = socket.socket(socket.AF_INET, kind)
    try:
        s.bind((sys.argv[2], port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    break
PY
}
UDP_PORT=$(low_port udp)
TCP_PORT=$(low_port tcp)
# a listener on the host end for the TCP connection
spawn listener python3 -c 'import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(1)
c, _ = s.accept(); c.sendall(b"y" * 1000); c.recv(100); c.close()' "$NET.1" "$TCP_PORT"

spawn probe "$PROBE" -c "$T/ww.conf" --interface "$HOST_IF" --duration 5 --subnets "$NET.0/24" --store
pid=$SPAWNED_PID
if ! wait_log "$T/probe.log" "capturing on '$HOST_IF'" "$pid"; then
    fail "the live probe starts on $HOST_IF" "$(tail -3 "$T/probe.log" | tr '\n' ' ')"
    exit 1
fi
st=/proc/$pid/status
caps="$(awk '/^CapEff:/{e=$2} /^CapPrm:/{p=$2} /^CapBnd:/{b=$2} /^NoNewPrivs:/{n=$2} END {print e, p, b, n}' "$st")"
check "once capturing, the probe holds no capability (CapEff CapPrm CapBnd NoNewPrivs: $caps)" \
    [ "$caps" = "0000000000000000 0000000000000000 0000000000000000 1" ]
check "it says so in its log" grep -q 'capabilities dropped' "$T/probe.log"

# the traffic, from inside the namespace
ip netns exec "$NS" python3 - "$NET.1" "$UDP_PORT" "$TCP_PORT" <<'PY' || fail "python3 sender in the namespace"
import socket, struct, sys, time
host, udp, tcp = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
# 5 pings (ICMP echo with 56 bytes of data, as ping sends), each answered
icmp = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
icmp.settimeout(2)
for seq in range(5):
    body = struct.pack("!BBHHH", 8, 0, 0, 0x5757, seq) + b"p" * 56
    total = sum(struct.unpack("!%dH" % (len(body) // 2), body))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    body = body[:2] + struct.pack("!H", ~total & 0xffff) + body[4:]
    icmp.sendto(body, (host, 0))
    icmp.recv(2000)
    time.sleep(0.05)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(20):
    s.sendto(b"x" * 100, (host, udp))
c = socket.create_connection((host, tcp), timeout=5)
got = b""
while len(got) < 1000:
    d = c.recv(2000)
    if not d:
        break
    got += d
c.sendall(b"z" * 10)
c.close()
PY
# --duration ends it on a quiet link too (libpcap's time-out alone never fired without frames:
# capture.c polls); a probe still running is stopped with TERM and the case fails
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$pid" 2>/dev/null; then
    fail "the probe ends after --duration 5 on a quiet link" "still running 10 s later: stopped with TERM"
    kill -TERM "$pid"
    wait "$pid" 2>/dev/null
else
    wait "$pid" 2>/dev/null
    rc=$?
    check "the probe ends after --duration 5, on a quiet link too, with exit 0 ($rc)" [ "$rc" = 0 ]
fi

# the report: one line a fact (probes/README.md)
hostline() { awk -v a="$1" '$1 == "host" && $2 == a' "$T/probe.log"; }
ns_tx=$(hostline "$NET.2" | awk '{print $5}')
check "the namespace's address sent at least 5 echo + 20 datagrams + the TCP side ($(hostline "$NET.2"))" \
    [ -n "$ns_tx" ] && [ "$ns_tx" -ge 27 ]
# 100 bytes + UDP 8 + IPv4 20 + Ethernet 14 = 142 bytes each, one way (no listener: the host's
# ICMP port-unreachable answers count as ICMP, not under the port)
check "port udp/$UDP_PORT: 20 frames of 142 bytes" grep -q "^port udp/$UDP_PORT 20 2840\$" "$T/probe.log"
tcp_line=$(grep "^port tcp/$TCP_PORT " "$T/probe.log")
check "port tcp/$TCP_PORT: the connection both ways, its 1,000 bytes of data in ($tcp_line)" \
    [ -n "$tcp_line" ] && [ "$(awk '{print $3}' <<<"$tcp_line")" -ge 6 ] && [ "$(awk '{print $4}' <<<"$tcp_line")" -ge 1000 ]
check "ICMP was counted (5 pings, 5 answers, and the port-unreachable answers)" \
    awk '$1 == "proto" && $2 == 1 && $3 >= 10 {f = 1} END {exit !f}' "$T/probe.log"
check "the pair from ARP: the namespace's MAC with its address" grep -q "^pair arp $NS_MAC $NET.2\$" "$T/probe.log"

# stored: the counters, and the unknown MAC as a new sighting
check "stored: the namespace's host counters equal the report's" \
    [ "$(sqlite3 "$DB" "SELECT tx_pkts FROM probe_host WHERE addr = '$NET.2'")" = "$ns_tx" ]
check "the unknown MAC is a new sighting (no device has $NET.2)" \
    [ "$(sqlite3 "$DB" "SELECT state || ' ' || source || ' ' || (device_id IS NULL) FROM mac_sighting WHERE mac = '$NS_MAC'")" = "new arp 1" ]
check "the host end's address is known: device 77 has it" \
    [ "$(sqlite3 "$DB" "SELECT group_concat(DISTINCT state || ':' || device_id) FROM mac_sighting WHERE ip = '$NET.1'")" = "known:77" ]
check "the log names the new unknown pair" grep -q '(1 new that no device' "$T/probe.log"
check "the subnet's window totals were stored (schema v20)" \
    [ "$(sqlite3 "$DB" "SELECT sum(tx_pkts) FROM probe_subnet WHERE cidr = '$NET.0/24'")" -ge 27 ]

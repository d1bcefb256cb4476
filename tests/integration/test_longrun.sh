#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_longrun.sh - the long-running collector (scheduler, writer thread, kept sessions)
# against real net-snmp snmpd agents on loopback, poll_interval 5 s:
#   - every device polled once per interval, none missed, the interval log line says so;
#   - a v2c device keeps one socket between polls (its session is kept), and a changed
#     community is used at the next poll, never the kept session's old one;
#   - an agent stopped and started again on the same port: down, then up again;
#   - a device added while it runs is polled after SIGHUP, and one added with no signal
#     within the interval (the device table's change number); SIGTERM ends it cleanly.
source "$(dirname "$0")/lib.sh"

DATA=$T/data
PORT=$(free_port udp)
IV=5
mkdir -p "$DATA" "$T/persist"
cat >"$T/snmpd.conf" <<CONF
rocommunity longrun-a 127.0.0.0/8
rocommunity longrun-b 127.0.0.0/8
sysName longrun-agent
CONF
start_agent() {
    SNMP_PERSISTENT_DIR=$T/persist spawn snmpd snmpd -f -Lf "$T/snmpd-own.log" -C \
        -c "$T/snmpd.conf" -p "$T/snmpd.pid" "udp:127.0.10.1:$PORT" "udp:127.0.10.2:$PORT" \
        "udp:127.0.10.3:$PORT" "udp:127.0.10.4:$PORT"
    AGENT=$SPAWNED_PID
    for _ in $(seq 1 50); do
        snmpget -v2c -c longrun-a -t 1 -r 0 "127.0.10.1:$PORT" 1.3.6.1.2.1.1.5.0 >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    return 1
}
check "snmpd answers" start_agent
echo "longrun-pass-$RANDOM$RANDOM" | "$BIN/wardwatch" -d "$DATA" init --admin-password-stdin >/dev/null
printf '[general]\ndata_dir = %s\n[collector]\npoll_interval = %s\nsnmp_timeout_ms = 400\nsnmp_retries = 0\n' \
    "$DATA" "$IV" >"$T/ww.conf"
q() { sqlite3 -batch -noheader "$DATA/wardwatch.db" "$@"; }
add() { # NAME HOST COMMUNITY -> id
    WW_COMMUNITY=$3 "$BIN/wardwatch" -c "$T/ww.conf" device add --name "$1" --kind server \
        --host "$2" --port "$PORT"
}
A=$(add "Máy A" 127.0.10.1 longrun-a)
B=$(add "Máy B" 127.0.10.2 longrun-a)

spawn collector "$BIN/wardwatch-collector" -c "$T/ww.conf"
COLL=$SPAWNED_PID
wait_for() { # SECONDS CONDITION...: poll the condition every 0.2 s
    local n=$(( $1 * 5 )); shift
    while [ "$n" -gt 0 ]; do "$@" && return 0; sleep 0.2; n=$((n - 1)); done
    return 1
}
state_is() { [ "$(q "SELECT state FROM device_status WHERE device_id=$1")" = "$2" ]; }
both_up() { state_is "$A" up && state_is "$B" up; }
check "both devices up within two intervals" wait_for $((2 * IV + 3)) both_up

# sockets of the collector: UDP sockets from /proc/PID/net is per namespace, so count the
# socket descriptors the process holds
sockets() { find "/proc/$COLL/fd" -lname 'socket:*' 2>/dev/null | wc -l; }
last_poll() { q "SELECT last_poll FROM device_status WHERE device_id=$1"; }
p0=$(last_poll "$A")
s1=$(sockets)
polled_since() { [ "$(last_poll "$1")" -gt "$2" ]; }
check "another poll of A one interval later" wait_for $((IV + 3)) polled_since "$A" "$p0"
p1=$(last_poll "$A")
s2=$(sockets)
d=$((p1 - p0))
check "A polled once per interval ($d s between polls)" test "$d" -ge $((IV - 1)) -a "$d" -le $((IV + 1))
# kept sessions: one socket per device all along (0 between polls if each poll opened and
# closed its own)
check "sessions kept between polls: one socket per device ($s1, then $s2)" test "$s1" = 2 -a "$s2" = 2

# the community changes: the next poll uses the new one (a wrong one: no answer, down)
q "UPDATE device SET snmp_community='not-the-community' WHERE id=$B"
kill -HUP "$COLL"
check "a changed community is used at the next poll (B down with the wrong one)" \
    wait_for $((3 * IV + 3)) state_is "$B" down
q "UPDATE device SET snmp_community='longrun-b' WHERE id=$B"
kill -HUP "$COLL"
check "and B is up again with the right one" wait_for $((3 * IV + 3)) state_is "$B" up

# the agent stops and comes back on the same port
kill "$AGENT"; wait "$AGENT" 2>/dev/null
check "agent stopped: A down" wait_for $((3 * IV + 3)) state_is "$A" down
check "agent started again" start_agent
check "A up again after the restart" wait_for $((3 * IV + 3)) state_is "$A" up

# a device added while it runs: picked up at SIGHUP
C=$(add "Máy C" 127.0.10.3 longrun-a)
kill -HUP "$COLL"
check "a device added while running is polled after SIGHUP" wait_for $((2 * IV + 3)) state_is "$C" up

# and one added with no signal at all: the device table's change number tells the
# collector within 10 s (the interval here is shorter: within one interval)
D=$(add "Máy D" 127.0.10.4 longrun-a)
check "a device added while running is polled without a signal" \
    wait_for $((2 * IV + 3)) state_is "$D" up

# the interval lines: no poll missed, no two polls of a device at once
check "interval lines written" wait_for $((IV + 3)) grep -q 'collector: interval:' "$T/collector.log"
if grep 'collector: interval:' "$T/collector.log" | grep -qv ' 0 missed'; then
    fail "no poll missed" "$(grep 'collector: interval:' "$T/collector.log" | grep -v ' 0 missed' | head -2)"
else
    ok "no poll missed in $(grep -c 'collector: interval:' "$T/collector.log") intervals"
fi
polls=$(q "SELECT count(*) FROM event WHERE device_id=$A AND type='down'")
check "one down event for A's outage" test "$polls" = 1

kill -TERM "$COLL"
rc=0
gone() { ! kill -0 "$COLL" 2>/dev/null; }
wait_for 10 gone || rc=1
wait "$COLL" 2>/dev/null; code=$?
check "SIGTERM ends the collector, exit 0" test "$rc" = 0 -a "$code" = 0
check "its log says it stopped" grep -q 'collector: stopped' "$T/collector.log"
check "no community in the collector's log" \
    test "$(grep -c -e longrun-a -e longrun-b -e not-the-community "$T/collector.log")" = 0

# SPDX-License-Identifier: GPL-3.0-or-later
# agent.sh - sourced by the browser tests after tests/integration/lib.sh: a data folder and
# a real net-snmp snmpd on loopback polled by the real collector (RRD files, interfaces,
# facts), the way test_browser.sh and test_phone.sh both start.
#
# browser_agent_setup: needs DATA, ADMIN_PW, COMMUNITY; SNMPD_EXTRA (optional) adds lines to
# snmpd.conf. Writes $T/ww.conf, makes the database with the admin, adds the agent as device
# 1 ("Máy chủ một cửa (snmpd)") and polls it 4 times with `wardwatch-collector --once`;
# prints one ok/not ok line; returns 1 when it failed.
browser_agent_setup() {
    SNMPD_PORT=$(free_port udp)
    mkdir -p "$T/persist"
    cat >"$T/snmpd.conf" <<CONF
rocommunity $COMMUNITY 127.0.0.1
sysName may-chu-mot-cua
${SNMPD_EXTRA:-}
CONF
    cat >"$T/ww.conf" <<CONF
[general]
data_dir = $DATA
[collector]
poll_interval = 5
snmp_timeout_ms = 500
snmp_retries = 1
CONF
    if _browser_poll_agent >"$T/poll.log" 2>&1; then
        ok "snmpd on 127.0.0.1:$SNMPD_PORT polled 4 times by wardwatch-collector --once ($(ls "$DATA/rrd/1" | wc -l) RRD files)"
        return 0
    fi
    fail "snmpd polled by wardwatch-collector --once" "$(tail -3 "$T/poll.log" | tr '\n' ' ')"
    return 1
}

_browser_poll_agent() {
    printf '%s\n' "$ADMIN_PW" | "$BIN/wardwatch" -c "$T/ww.conf" init --admin-password-stdin || return 1
    SNMP_PERSISTENT_DIR=$T/persist spawn snmpd snmpd -f -Lf "$T/snmpd-own.log" -C -c "$T/snmpd.conf" \
        -p "$T/snmpd.pid" "udp:127.0.0.1:$SNMPD_PORT"
    local i
    for i in $(seq 1 50); do
        snmpget -v2c -c "$COMMUNITY" -t 1 -r 0 "127.0.0.1:$SNMPD_PORT" 1.3.6.1.2.1.1.3.0 >/dev/null 2>&1 && break
        sleep 0.2
    done
    "$BIN/wardwatch" -c "$T/ww.conf" device add --name "Máy chủ một cửa (snmpd)" --kind server \
        --host 127.0.0.1 --port "$SNMPD_PORT" --community "$COMMUNITY" || return 1
    # four rounds a little more than half a step apart: at least two 5 s steps get rates
    for i in 1 2 3 4; do
        "$BIN/wardwatch-collector" -c "$T/ww.conf" --once || return 1
        [ "$i" = 4 ] || sleep 2.6
    done
    kill "$SPAWNED_PID" 2>/dev/null
    [ -s "$DATA/rrd/1/host.rrd" ] && ls "$DATA"/rrd/1/if-*.rrd >/dev/null
}

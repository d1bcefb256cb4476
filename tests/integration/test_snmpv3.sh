#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_snmpv3.sh - SNMPv3 against a real net-snmp snmpd configured here with one user per
# auth/privacy combination: every device is polled and its sysName equals snmpget's; a
# wrong key or an unknown user is a clear refusal that leaves the device not "down"; a
# silent v3 address is down; pass phrases never reach the API or the logs.
source "$(dirname "$0")/lib.sh"

DATA=$T/data
PORT=$(free_port udp)
mkdir -p "$T/persist"
# user, level, auth proto, priv proto
COMBOS="nouser:noAuthNoPriv:: md5u:authNoPriv:MD5: shau:authNoPriv:SHA:
        sha224u:authPriv:SHA-224:DES sha256u:authPriv:SHA-256:AES
        sha384u:authPriv:SHA-384:AES-192 sha512u:authPriv:SHA-512:AES-256 md5des:authPriv:MD5:DES"
{
    for c in $COMBOS; do
        IFS=: read -r u level a p <<<"$c"
        case $level in
        noAuthNoPriv) echo "createUser $u"; echo "rouser $u noauth" ;;
        authNoPriv) echo "createUser $u $a authpass-$u"; echo "rouser $u auth" ;;
        authPriv) echo "createUser $u $a authpass-$u $p privpass-$u"; echo "rouser $u priv" ;;
        esac
    done
    echo "createUser victim SHA-256 rightpass-1 AES rightpriv-1"; echo "rouser victim priv"
    echo "sysName snmpv3-test-agent"
} >"$T/snmpd.conf"
SNMP_PERSISTENT_DIR=$T/persist spawn snmpd snmpd -f -Lf "$T/snmpd-own.log" -C -c "$T/snmpd.conf" \
    -p "$T/snmpd.pid" "udp:127.0.0.1:$PORT"
for _ in $(seq 1 50); do
    snmpget -v3 -u nouser -l noAuthNoPriv -t 1 -r 0 "127.0.0.1:$PORT" 1.3.6.1.2.1.1.5.0 >/dev/null 2>&1 && break
    sleep 0.2
done
echo "adminpass-$RANDOM$RANDOM" | "$BIN/wardwatch" -d "$DATA" init --admin-password-stdin >/dev/null

# snmpd answers one address; the devices differ by user. Each needs its own (host, port):
# 127.0.3.x addresses are redirected to the agent through its own listening endpoints.
kill "$SPAWNED_PID"; wait "$SPAWNED_PID" 2>/dev/null
endpoints=() n=10
declare -A HOST
for c in $COMBOS victim victimok unknown; do
    u=${c%%:*}; HOST[$u]=127.0.3.$n; endpoints+=("udp:127.0.3.$n:$PORT"); n=$((n + 1))
done
rm -rf "$T/persist"/*
SNMP_PERSISTENT_DIR=$T/persist spawn snmpd snmpd -f -Lf "$T/snmpd-own.log" -C -c "$T/snmpd.conf" \
    -p "$T/snmpd.pid" "${endpoints[@]}"
for _ in $(seq 1 50); do
    snmpget -v3 -u nouser -l noAuthNoPriv -t 1 -r 0 "${HOST[nouser]}:$PORT" 1.3.6.1.2.1.1.5.0 >/dev/null 2>&1 && break
    sleep 0.2
done

declare -A ID
for c in $COMBOS; do
    IFS=: read -r u level a p <<<"$c"
    args=(--name "v3-$u" --host "${HOST[$u]}" --port "$PORT" --version 3 --v3-user "$u" --v3-level "$level")
    [ -n "$a" ] && args+=(--auth-proto "$a")
    [ -n "$p" ] && args+=(--priv-proto "$p")
    ID[$u]=$(WW_AUTH_KEY=authpass-$u WW_PRIV_KEY=privpass-$u "$BIN/wardwatch" -d "$DATA" device add "${args[@]}")
done
ID[victim]=$(WW_AUTH_KEY=wrongpass-1 WW_PRIV_KEY=rightpriv-1 "$BIN/wardwatch" -d "$DATA" device add \
    --name v3-wrong-key --host "${HOST[victim]}" --port "$PORT" --version 3 --v3-user victim \
    --v3-level authPriv --auth-proto SHA-256 --priv-proto AES)
# the same agent (so the same engine ID) and user with the right key: net-snmp keeps one USM
# user per (engine ID, user) for the whole process, so without care the two devices would
# share whichever keys came first, and the wrong key would pass as "up"
ID[victimok]=$(WW_AUTH_KEY=rightpass-1 WW_PRIV_KEY=rightpriv-1 "$BIN/wardwatch" -d "$DATA" device add \
    --name v3-right-key --host "${HOST[victimok]}" --port "$PORT" --version 3 --v3-user victim \
    --v3-level authPriv --auth-proto SHA-256 --priv-proto AES)
ID[unknown]=$("$BIN/wardwatch" -d "$DATA" device add --name v3-unknown-user --host "${HOST[unknown]}" \
    --port "$PORT" --version 3 --v3-user stranger --v3-level noAuthNoPriv)
DEAD_PORT=$(free_port udp)
for k in 1 2 3; do
    WW_AUTH_KEY=authpass-md5u "$BIN/wardwatch" -d "$DATA" device add --name "v3-dead-$k" \
        --host "127.0.4.$k" --port "$DEAD_PORT" --version 3 --v3-user md5u --v3-level authNoPriv \
        --auth-proto MD5 >>"$T/dead-ids"
done

printf '[general]\ndata_dir = %s\n[collector]\nsnmp_timeout_ms = 500\nsnmp_retries = 1\n' "$DATA" >"$T/ww.conf"
check "collector round exits 0" "$BIN/wardwatch-collector" -c "$T/ww.conf" --once
q() { sqlite3 -batch -noheader "$DATA/wardwatch.db" "$@"; }

for c in $COMBOS; do
    IFS=: read -r u level a p <<<"$c"
    id=${ID[$u]}
    sargs=(-v3 -u "$u" -l "$level")
    [ -n "$a" ] && sargs+=(-a "$a" -A "authpass-$u")
    [ -n "$p" ] && sargs+=(-x "$p" -X "privpass-$u")
    want=$(snmpget "${sargs[@]}" -Oqv "${HOST[$u]}:$PORT" 1.3.6.1.2.1.1.5.0 2>/dev/null | tr -d '"')
    state=$(q "SELECT state FROM device_status WHERE device_id=$id")
    got=$(q "SELECT value FROM device_fact WHERE device_id=$id AND name='sysName'")
    if [ "$state" = up ] && [ -n "$want" ] && [ "$got" = "$want" ]; then
        ok "v3 $level ${a:-none}/${p:-none}: up, sysName '$got' equals snmpget"
    else
        fail "v3 $level ${a:-none}/${p:-none}" "state=$state sysName=$got want=$want"
    fi
done
id=${ID[victim]}
check "wrong auth key: not down" test "$(q "SELECT state FROM device_status WHERE device_id=$id")" != down
check "wrong auth key: says so" bash -c "[[ \"$(q "SELECT last_error FROM device_status WHERE device_id=$id")\" == *'wrong authentication key'* ]]"
check "wrong auth key: no down event" test "$(q "SELECT count(*) FROM event WHERE device_id=$id")" = 0
id=${ID[victimok]}
check "same engine ID and user, right key: up" test "$(q "SELECT state FROM device_status WHERE device_id=$id")" = up
id=${ID[unknown]}
check "unknown user: not down, says so" bash -c "[[ \"$(q "SELECT state || '|' || last_error FROM device_status WHERE device_id=$id")\" == unknown*'unknown user name'* ]]"
for id in $(cat "$T/dead-ids"); do
    check "silent v3 address $id is down" test "$(q "SELECT state FROM device_status WHERE device_id=$id")" = down
done
# a second run: sessions are made afresh, the engine ID probed again without blocking; its
# second interval polls the live devices again on the sessions kept from its first
check "second run (two intervals) exits 0" "$BIN/wardwatch-collector" -c "$T/ww.conf" \
    --intervals 2 2>"$T/run2.log"
check "second run: each interval polled every device, 9 up" \
    test "$(grep -c 'interval: 14 polls, 9 up, 5 failed' "$T/run2.log")" = 2
check "still up after the second round" test "$(q "SELECT count(*) FROM device_status WHERE state='up'")" = 9
check "second round: the wrong key is still refused, not up" bash -c "[[ \"$(q "SELECT state || '|' || last_error FROM device_status WHERE device_id=${ID[victim]}")\" == unknown*'wrong authentication key'* ]]"

# secrets stay secret
if grep -rq -e 'authpass-' -e 'privpass-' -e 'wrongpass-' "$T"/*.log 2>/dev/null; then
    fail "no pass phrase in any log"
else
    ok "no pass phrase in any log"
fi
audit=$(q "SELECT group_concat(after_json) FROM audit_log")
check "audit entries hide the pass phrases" bash -c "[[ '$audit' != *authpass* && '$audit' == *'\"v3_auth_key\":\"set\"'* ]]"
exit 0

# SPDX-License-Identifier: GPL-3.0-or-later
# probeui.sh - sourced by test_unknown.sh and test_traffic.sh (after lib.sh): the probe
# pages' browser fixture and run.
#   probe_ui_db PW [PROBE ARGS...]: $T/ww.conf, $T/data with the admin (PW), the IT officer
#     "tho" (PW-it), the manager "sep" (PW-mg), device 901 "Máy chủ" on 10.0.0.138, and
#     wardwatch-probe --store run over the cooked test capture ($WW_TESTDATA/pcap) with
#     PROBE ARGS; returns 1 on a failure (its log: $T/init.log)
#   probe_ui_run PW SCRIPT SHOTS: the dashboard on port 0, node SCRIPT as the IT officer and
#     the manager, its lines shown; a script that died without a "not ok" line fails
probe_ui_db() {
    local pw=$1
    shift
    printf '[general]\ndata_dir = %s\n' "$T/data" >"$T/ww.conf"
    printf '%s\n' "$pw" | "$BIN/wardwatch" -c "$T/ww.conf" init --admin-password-stdin >"$T/init.log" 2>&1 &&
        printf '%s\n' "$pw-it" | "$BIN/wardwatch" -c "$T/ww.conf" user add --login tho --role it --password-stdin >>"$T/init.log" 2>&1 &&
        printf '%s\n' "$pw-mg" | "$BIN/wardwatch" -c "$T/ww.conf" user add --login sep --role manager --password-stdin >>"$T/init.log" 2>&1 &&
        sqlite3 "$T/data/wardwatch.db" "INSERT INTO device (id, name, kind, host) VALUES (901, 'Máy chủ', 'server', '10.0.0.138')" >>"$T/init.log" 2>&1 &&
        "$BIN/wardwatch-probe" -c "$T/ww.conf" --read "$WW_TESTDATA/pcap/linux-sll-cooked-518pkts.pcap" "$@" --store >/dev/null 2>>"$T/init.log"
}

probe_ui_run() {
    local pw=$1 script=$2 shots=$3 port rc
    spawn dashboard "$BIN/wardwatch-dashboard" -c "$T/ww.conf" --listen 127.0.0.1 --port 0 \
        --port-file "$T/port" --www "$WW_TOP/dashboard/www"
    port=$(wait_port_file "$T/port" 20) || { fail "dashboard started" "$(tail -5 "$T/dashboard.log")"; return 1; }
    mkdir -p "$shots"
    WW_URL="http://127.0.0.1:$port" WW_IT_PW="$pw-it" WW_MG_PW="$pw-mg" WW_WWW="$WW_TOP/dashboard/www" \
        WW_SHOTS="$shots" timeout 180 node "$WW_TOP/tests/browser/$script" >"$T/ui.out" 2>&1
    rc=$?
    cat "$T/ui.out"
    if [ "$rc" != 0 ] && ! grep -q '^not ok ' "$T/ui.out"; then
        fail "$script ran" "exit $rc"
    fi
    echo "# screenshots in $shots"
}

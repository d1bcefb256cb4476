#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_readiness.sh - GET /api/v1/devices/{id}/readiness over the real dashboard with the
# shipped rules (inventory/rules): facts as the collector stores them for the recordings
# windows-xp-desktop and linux-centos7 (the os name and the processor's hrDeviceDescr), an
# 8th-generation PC on Windows 10 with a purchase date and a cost, a device with no facts;
# codes, not sentences; 404 for no such device; 401 without a session; a viewer may read it;
# a broken rules file stops the dashboard's start with file:line: what. Then end to end: three
# real recordings served by snmpsimd, polled once by wardwatch-collector, read through the route
# (skipped without snmpsimd or the recordings).
source "$(dirname "$0")/lib.sh"

for tool in curl sqlite3 python3; do
    command -v "$tool" >/dev/null || { fail "needs $tool"; exit 1; }
done
DATA=$T/data
CLI=$BIN/wardwatch
conf() { # $1 = the rules folder
    cat <<CONF
[general]
data_dir = $DATA
[inventory]
rules_dir = $1
[dashboard]
listen_address = 127.0.0.1
port = 0
port_file = $T/port
www_dir = $WW_TOP/dashboard/www
CONF
}
conf "$WW_TOP/inventory/rules" >"$T/ww.conf"
ADMIN_PW=ready-test-$RANDOM$RANDOM
printf '%s\n' "$ADMIN_PW" | "$CLI" -c "$T/ww.conf" init --admin-password-stdin >/dev/null ||
    { fail "init"; exit 1; }
printf '%s\n' "$ADMIN_PW-xem" | "$CLI" -c "$T/ww.conf" user add --login xem --role viewer \
    --password-stdin >/dev/null || fail "user add xem"
NOW=$(date +%s)
# two years ago (day capped at 28): 24 whole months whatever today is
BOUGHT=$(python3 -c 'import datetime as d; t=d.date.today(); print(t.replace(year=t.year-2, day=min(t.day,28)))')
sqlite3 "$DATA/wardwatch.db" <<SQL || { fail "fixture"; exit 1; }
INSERT INTO device (id, name, kind, host, created_at, purchase_date, cost_vnd) VALUES
  (801, 'XP kế toán', 'pc', '192.0.2.11', $NOW, NULL, NULL),
  (802, 'CentOS máy chủ', 'server', '192.0.2.12', $NOW, NULL, NULL),
  (803, 'PC một cửa', 'pc', '192.0.2.13', $NOW, '$BOUGHT', 15000000),
  (804, 'Switch', 'switch', '192.0.2.14', $NOW, NULL, NULL);
INSERT INTO device_fact (device_id, name, value, first_seen, last_seen) VALUES
  (801, 'os', 'Windows XP (build 2600)', $NOW, $NOW),
  (801, 'cpu_model', 'Intel', $NOW, $NOW),
  (801, 'cpu_count', '1', $NOW, $NOW),
  (801, 'ram_bytes', '536330240', $NOW, $NOW),
  (801, 'disks', '[{"descr":"C:\\\\","size_bytes":40007729152,"used_bytes":20000000000}]', $NOW, $NOW),
  (802, 'os', 'Linux 3.10.0-514.el7.x86_64', $NOW, $NOW),
  (802, 'cpu_model', 'GenuineIntel: Intel(R) Xeon(R) CPU           E7430  @ 2.13GHz', $NOW, $NOW),
  (802, 'cpu_count', '4', $NOW, $NOW),
  (802, 'ram_bytes', '8201695232', $NOW, $NOW),
  (803, 'os', 'Windows 10 (build 19045)', $NOW, $NOW),
  (803, 'cpu_model', 'Intel(R) Core(TM) i5-8400 CPU @ 2.80GHz', $NOW, $NOW),
  (803, 'cpu_count', '6', $NOW, $NOW),
  (803, 'ram_bytes', '8589934592', $NOW, $NOW),
  (803, 'disks', '[{"descr":"C:\\\\","size_bytes":256060514304,"used_bytes":1}]', $NOW, $NOW);
SQL
spawn dash "$BIN/wardwatch-dashboard" -c "$T/ww.conf"
PORT=$(wait_port_file "$T/port" 20) || { fail "dashboard started"; cat "$T/dash.log"; exit 1; }
ww_session ad "$PORT" admin "$ADMIN_PW" || fail "admin logs in"
ww_session vw "$PORT" xem "$ADMIN_PW-xem" || fail "viewer logs in"

r=$(ww_api vw "$PORT" GET /api/v1/devices/801/readiness)
check "a viewer reads it (${r%% *})" [ "${r%% *}" = 200 ]
check "XP: support ended 2014-04-08 ($(jf os.support) $(jf os.ends_on))" \
    [ "$(jf os.support)" = ended -a "$(jf os.ends_on)" = 2014-04-08 -a "$(jf os.release)" = windows-xp ]
check "XP: Windows 11 not_ready, ram_too_small and disk_too_small ($(jf win11.verdict): $(jf win11.reasons))" \
    [ "$(jf win11.verdict)" = not_ready -a "$(jf win11.reasons)" = ram_too_small,disk_too_small ]
check "XP: the CPU 'Intel' is not guessed: cpu_unknown among the unmeasured ($(jf win11.unmeasured))" \
    [ "$(jf win11.unmeasured)" = cpu_unknown,tpm_unknown ]
check "XP: below the minimum spec ($(jf min_spec.reasons))" \
    [ "$(jf min_spec.verdict)" = below -a "$(jf min_spec.reasons)" = ram_below,disk_below,cores_below ]
check "XP: no purchase date, age unknown ($(jf age.since) $(jf age.years) $(jf age.residual_vnd))" \
    [ "$(jf age.since)" = null -a "$(jf age.years)" = null -a "$(jf age.residual_vnd)" = null -a "$(jf age.lifespan_years)" = 5 ]

r=$(ww_api ad "$PORT" GET /api/v1/devices/802/readiness)
check "CentOS 7 kernel: ended 2024-06-30 ($(jf os.release) $(jf os.support))" \
    [ "$(jf os.release)" = centos-7 -a "$(jf os.support)" = ended -a "$(jf os.ends_on)" = 2024-06-30 ]
check "Xeon E7430: cpu_too_old ($(jf win11.verdict) $(jf win11.reasons))" \
    [ "$(jf win11.verdict)" = not_ready -a "$(jf win11.reasons)" = cpu_too_old ]
check "a server lives 5 years ($(jf age.lifespan_years))" [ "$(jf age.lifespan_years)" = 5 ]

r=$(ww_api ad "$PORT" GET /api/v1/devices/803/readiness)
check "Windows 10: ended 2025-10-14, ESU not assumed ($(jf os.support) $(jf os.ends_on))" \
    [ "$(jf os.support)" = ended -a "$(jf os.ends_on)" = 2025-10-14 ]
check "i5-8400, 8 GiB, 256 GB: likely, only tpm_unknown ($(jf win11.verdict) $(jf win11.reasons))" \
    [ "$(jf win11.verdict)" = likely -a "$(jf win11.reasons)" = tpm_unknown ]
check "meets the minimum spec ($(jf min_spec.verdict))" [ "$(jf min_spec.verdict)" = ok ]
check "bought 2 years ago for 15,000,000: 24 months, 9,000,000 left, 3,000,000 a year ($(jf age.months) $(jf age.residual_vnd) $(jf age.depreciation_vnd_per_year))" \
    [ "$(jf age.since)" = purchase -a "$(jf age.months)" = 24 -a "$(jf age.residual_vnd)" = 9000000 \
      -a "$(jf age.depreciation_vnd_per_year)" = 3000000 -a "$(jf age.remaining_months)" = 36 ]
check "no English sentence in the answer" \
    python3 -c 'import re,sys; t=open(sys.argv[1]).read(); sys.exit(1 if re.search(r"\b(the|cannot|not ready|too old)\b", t, re.I) else 0)' "$T/api.body"

r=$(ww_api ad "$PORT" GET /api/v1/devices/804/readiness)
check "no facts: unknown everywhere ($(jf os.support) $(jf win11.verdict) $(jf win11.reasons) $(jf min_spec.verdict))" \
    [ "$(jf os.support)" = unknown -a "$(jf os.name)" = null -a "$(jf win11.verdict)" = unknown \
      -a "$(jf win11.reasons)" = cpu_unknown,ram_unknown,disk_unknown,tpm_unknown -a "$(jf min_spec.verdict)" = unknown ]
check "a switch lives 7 years ($(jf age.lifespan_years))" [ "$(jf age.lifespan_years)" = 7 ]

r=$(ww_api ad "$PORT" GET /api/v1/devices/999/readiness)
check "no such device: 404 not_found (${r%% *})" [ "${r%% *}" = 404 -a "$(jf error.code)" = not_found ]
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/api/v1/devices/801/readiness")
check "without a session: 401 ($code)" [ "$code" = 401 ]

# a broken rules file: the dashboard does not start, and says where
mkdir -p "$T/rules"
cp "$WW_TOP"/inventory/rules/*.ini "$T/rules/"
printf '[cpu]\nready = Core\n' >"$T/rules/cpu.ini"
conf "$T/rules" >"$T/bad.conf"
rm -f "$T/port"
"$BIN/wardwatch-dashboard" -c "$T/bad.conf" >"$T/bad.log" 2>&1 &
bad=$!
for _ in $(seq 50); do kill -0 "$bad" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$bad" 2>/dev/null; then
    kill "$bad"; wait "$bad" 2>/dev/null
    fail "a broken rules file stops the start" "still running"
else
    wait "$bad"; rc=$?
    check "a broken rules file stops the start (exit $rc)" [ "$rc" != 0 ]
    check "and the log names file:line: what" grep -q "cpu.ini:2: unknown verdict 'ready'" "$T/bad.log"
fi

# end to end: the facts the collector itself stores for three real recordings (served by
# Debian's snmpsimd, one port each: a device is host+port), then the route reads them
if ! have_testdata || ! command -v snmpsimd >/dev/null || ! command -v snmpget >/dev/null; then
    skip "readiness from the collector's facts" "no recordings, or snmpsimd/snmpget not installed"
    exit 0
fi
RECS=(windows-xp-desktop windows-server-2003 linux-centos7)
declare -A SIM
serve_recordings "${RECS[@]}" || { fail "snmpsimd answers" "$(tail -5 "$T/snmpsimd.log")"; exit 1; }
id=820
for rec in "${RECS[@]}"; do
    id=$((id + 1))
    sqlite3 "$DATA/wardwatch.db" "INSERT INTO device (id, name, kind, host, snmp_port,
        snmp_community, created_at) VALUES ($id, '$rec', 'pc', '127.0.0.1', ${SIM[$rec]}, '$rec',
        $NOW)" || fail "device $rec"
done
"$BIN/wardwatch-collector" -c "$T/ww.conf" --once >"$T/collector.log" 2>&1 ||
    fail "the collector polls once" "$(tail -3 "$T/collector.log")"

r=$(ww_api ad "$PORT" GET /api/v1/devices/821/readiness)
check "XP as polled: $(jf os.name), ended ($(jf os.support))" \
    [ "$(jf os.name)" = "Windows XP (build 2600)" -a "$(jf os.support)" = ended ]
# its disks are C: 32 GB and Z: 87 GB (both hrStorageFixedDisk): the largest one counts
check "XP as polled: 'Intel' is cpu_unknown, 1 GB RAM too small, the 87 GB disk enough ($(jf win11.verdict): $(jf win11.reasons); $(jf win11.unmeasured))" \
    [ "$(jf win11.verdict)" = not_ready -a "$(jf win11.reasons)" = ram_too_small \
      -a "$(jf win11.unmeasured)" = cpu_unknown,tpm_unknown -a "$(jf win11.cpu_model)" = Intel ]
r=$(ww_api ad "$PORT" GET /api/v1/devices/822/readiness)
check "Server 2003 as polled: ended 2015-07-14 ($(jf os.name) $(jf os.ends_on))" \
    [ "$(jf os.release)" = windows-server-2003 -a "$(jf os.support)" = ended ]
check "Server 2003 as polled: the CPU is not guessed ($(jf win11.verdict): $(jf win11.reasons) / $(jf win11.unmeasured))" \
    [ -n "$(jf win11.verdict)" ] && [[ "$(jf win11.reasons),$(jf win11.unmeasured)" == *cpu_unknown* ]]
r=$(ww_api ad "$PORT" GET /api/v1/devices/823/readiness)
check "CentOS 7 as polled: centos-7 ended ($(jf os.name))" \
    [ "$(jf os.release)" = centos-7 -a "$(jf os.support)" = ended ]
check "CentOS 7 as polled: the Xeon E7430 is cpu_too_old ($(jf win11.verdict): $(jf win11.reasons))" \
    [ "$(jf win11.verdict)" = not_ready ] && [[ "$(jf win11.reasons)" == *cpu_too_old* ]]

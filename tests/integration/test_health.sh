#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_health.sh - what the collector measured, kept for the manager (issue 16 items 2 and 5),
# over the real daemons: three recordings of real machines (windows-xp-desktop and
# windows-server-2003 with several disks, linux-centos7 with / /boot /home and pseudo file
# systems) served by snmpsimd, polled three intervals by wardwatch-collector (a bounded run:
# no waiting), then read through the dashboard: every real disk has a device_disk row and a
# file rrd/<device>/disk-<id>.rrd whose last update (`rrdtool lastupdate`) is the disk's use, GET
# /devices/{id} lists the disks and what SNMP found beside what people typed (a typed vendor
# that differs is marked), GET /devices/{id}/health answers from the daily roll-up the
# collector filled (three polls today, office-local), the volume graph draws; and the list of
# devices seen on the network but not in the register (GET /inventory/unregistered), read by a
# viewer. Needs snmpsimd and the recordings (skipped without them).
source "$(dirname "$0")/lib.sh"

for tool in curl sqlite3 python3 rrdtool; do
    command -v "$tool" >/dev/null || { fail "needs $tool"; exit 1; }
done
if ! have_testdata || ! command -v snmpsimd >/dev/null || ! command -v snmpget >/dev/null; then
    skip "health and disks from the collector" "no recordings, or snmpsimd/snmpget not installed"
    exit 0
fi
DATA=$T/data
CLI=$BIN/wardwatch
cat >"$T/ww.conf" <<CONF
[general]
data_dir = $DATA
[collector]
poll_interval = 60
[dashboard]
listen_address = 127.0.0.1
port = 0
port_file = $T/port
www_dir = $WW_TOP/dashboard/www
CONF
ADMIN_PW=health-test-$RANDOM$RANDOM
printf '%s\n' "$ADMIN_PW" | "$CLI" -c "$T/ww.conf" init --admin-password-stdin >/dev/null ||
    { fail "init"; exit 1; }
printf '%s\n' "$ADMIN_PW-xem" | "$CLI" -c "$T/ww.conf" user add --login xem --role viewer \
    --password-stdin >/dev/null || fail "user add xem"
q() { sqlite3 -batch -noheader "$DATA/wardwatch.db" "$@"; }

RECS=(windows-xp-desktop windows-server-2003 linux-centos7)
declare -A SIM ID
serve_recordings "${RECS[@]}" || { fail "snmpsimd answers" "$(tail -5 "$T/snmpsimd.log")"; exit 1; }
for rec in "${RECS[@]}"; do
    ID[$rec]=$("$CLI" -c "$T/ww.conf" device add --name "$rec" --host 127.0.0.1 \
        --port "${SIM[$rec]}" --community "$rec" --kind pc) || fail "device add $rec"
done
# what people typed for the XP machine: a vendor the agent does not report as such
q "UPDATE device SET vendor = 'Dell', serial = 'SN-001' WHERE id = ${ID[windows-xp-desktop]}"

"$BIN/wardwatch-collector" -c "$T/ww.conf" --intervals 3 >"$T/collector.log" 2>&1 ||
    fail "the collector polls three intervals" "$(tail -3 "$T/collector.log")"

# every real disk a row and a file whose fetched rows hold its use (the used share of the
# size the row has), the pseudo file systems and memory none
python3 - "$DATA" "${ID[windows-xp-desktop]}" "${ID[windows-server-2003]}" \
    "${ID[linux-centos7]}" <<'PY'
import math, os, sqlite3, subprocess, sys
data, xp, w2k3, centos = sys.argv[1:]
db = sqlite3.connect("file:%s/wardwatch.db?mode=ro" % data, uri=True)
want = {xp: {"C:\\ Label:  Serial Number 1848504c", "Z:\\ Label:  Serial Number ba85e1bf"},
        centos: {"/", "/boot", "/home"}}
for dev in (xp, w2k3, centos):
    rows = db.execute("SELECT id, disk_key, size_bytes, used_bytes FROM device_disk"
                      " WHERE device_id = ?", (dev,)).fetchall()
    keys = {r[1] for r in rows}
    if dev in want and not want[dev] <= keys:
        print("not ok - device %s: disks %s include %s" % (dev, sorted(keys), sorted(want[dev])))
        continue
    bad = [k for k in keys if k.startswith(("/dev", "/run", "/sys", "/proc")) or "Memory" in k]
    if not rows or bad:
        print("not ok - device %s: real disks only, at least one (%s)" % (dev, sorted(keys)))
        continue
    print("ok - device %s: a row per real disk (%d: %s)" % (dev, len(rows), ", ".join(sorted(keys))))
    for disk, key, size, used in rows:
        path = "%s/rrd/%s/disk-%d.rrd" % (data, dev, disk)
        if not os.path.exists(path):
            print("not ok - device %s disk %r: %s exists" % (dev, key, path))
            continue
        # the last sample as the file keeps it (rrdtool lastupdate: a bounded run polls back to
        # back, so its samples share one step and no consolidated row is complete yet)
        out = subprocess.run(["rrdtool", "lastupdate", path], capture_output=True,
                             text=True).stdout.split("\n")
        cols = out[0].split()
        vals = [float(out[2].split(":")[1].split()[cols.index("used_pct")])]
        pct = 100.0 * used / size
        if vals and all(abs(v - pct) < 1e-6 * max(1, pct) for v in vals):
            print("ok - device %s disk %r: its file holds %.4f %% used" % (dev, key, pct))
        else:
            print("not ok - device %s disk %r: the file holds %s, want %.4f" % (dev, key, vals, pct))
PY

spawn dash "$BIN/wardwatch-dashboard" -c "$T/ww.conf"
PORT=$(wait_port_file "$T/port" 20) || { fail "dashboard started"; cat "$T/dash.log"; exit 1; }
ww_session ad "$PORT" admin "$ADMIN_PW" || fail "admin logs in"
ww_session vw "$PORT" xem "$ADMIN_PW-xem" || fail "viewer logs in"

XP=${ID[windows-xp-desktop]}
r=$(ww_api vw "$PORT" GET "/api/v1/devices/$XP")
check "a viewer reads the XP machine (${r%% *})" [ "${r%% *}" = 200 ]
python3 - "$T/api.body" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
disks = {k["key"]: k for k in d.get("disks", [])}
c = disks.get("C:\\ Label:  Serial Number 1848504c")
ok = c and c["size_bytes"] > 0 and c["used_pct"] is not None and c["last_seen"]
print(("ok" if ok else "not ok") + " - GET /devices/{id}: a row per disk with size, used %% and"
      " last seen (%s)" % sorted(disks))
x = d.get("discovered", {})
ok = x.get("os", "").startswith("Windows XP") and x.get("ram_bytes") and x.get("last_seen")
print(("ok" if ok else "not ok") + " - discovered: OS %r, RAM %r, last seen %r"
      % (x.get("os"), x.get("ram_bytes"), x.get("last_seen")))
cmp = {c["field"]: c for c in d.get("compare", [])}
v = cmp.get("vendor", {})
ok = v.get("typed") == "Dell" and d.get("vendor") == "Dell" and (
    v.get("differ") is (v.get("reported") is not None))
print(("ok" if ok else "not ok") + " - typed vendor kept beside the reported one, marked when"
      " they differ (%r)" % v)
s = cmp.get("serial", {})
print(("ok" if s.get("typed") == "SN-001" else "not ok") + " - the typed serial is shown (%r)" % s)
PY

r=$(ww_api vw "$PORT" GET "/api/v1/devices/$XP/health")
check "GET /devices/{id}/health answers a viewer (${r%% *})" [ "${r%% *}" = 200 ]
TODAY=$(office date +%F)
FROM=$(TZ=Asia/Ho_Chi_Minh python3 -c 'import datetime as d; print(d.date.today() - d.timedelta(days=89))')
check "the window: 90 office-local days to today ($(jf from) .. $(jf to))" \
    [ "$(jf from)" = "$FROM" -a "$(jf to)" = "$TODAY" -a "$(jf window_days)" = 90 ]
polls=$(q "SELECT sum(polls) FROM health_day WHERE device_id = $XP")
check "the collector added a sample per poll to today's row ($polls polls, $(jf days) day)" \
    [ "$polls" = 3 -a "$(jf days)" = 1 ]
check "the fullest disk was measured: a disk day ($(jf disk_days)), no reboot ($(jf reboots))" \
    [ "$(jf disk_days)" = 1 -a "$(jf reboots)" = 0 ]
r=$(ww_api vw "$PORT" GET /api/v1/devices/999999/health)
check "no such device: 404 (${r%% *})" [ "${r%% *}" = 404 ]
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/api/v1/devices/$XP/health")
check "without a session: 401 ($code)" [ "$code" = 401 ]

DISK=$(q "SELECT id FROM device_disk WHERE device_id = $XP ORDER BY id LIMIT 1")
OTHER=$(q "SELECT id FROM device_disk WHERE device_id = ${ID[linux-centos7]} LIMIT 1")
code=$(ww_api vw "$PORT" GET "/api/v1/devices/$XP/graph?name=volume&disk=$DISK&range=day")
check "the disk's graph draws (${code%% *})" [ "${code%% *}" = 200 ] && grep -q '<svg' "$T/api.body"
r=$(ww_api vw "$PORT" GET "/api/v1/devices/$XP/graph?name=volume&disk=$OTHER&range=day")
check "another device's disk: 404 (${r%% *})" [ "${r%% *}" = 404 ]
r=$(ww_api vw "$PORT" GET "/api/v1/devices/$XP/graph?name=volume&range=day")
check "the volume graph without its disk: 400 (${r%% *})" [ "${r%% *}" = 400 ]
r=$(ww_api vw "$PORT" GET "/api/v1/devices/$XP/graph?name=cpu&disk=$DISK&range=day")
check "a disk for a graph of the device: 400 (${r%% *})" [ "${r%% *}" = 400 ]

# seen on the network, not in the register: what the LLDP/CDP tables hold (as the collector
# stores them) and name no device of ours; one row that names the XP machine is ours
NOW=$(date +%s)
q "INSERT INTO neighbor (device_id, protocol, local_port, remote_key, remote_name, remote_port,
     remote_addr, remote_device_id, first_seen, last_seen) VALUES
   ($XP, 'lldp', 'Gi0/1', 'aa:bb', 'May-in-tang-3', 'eth0', '10.0.0.77', NULL, $NOW - 100, $NOW - 50),
   ($XP, 'cdp', 'Gi0/2', 'sw-x', 'SW-Kho <b>', 'Fa0/24', NULL, NULL, $NOW - 100, $NOW - 10),
   (${ID[linux-centos7]}, 'lldp', 'eth1', 'xp', 'xp', 'nic', NULL, $XP, $NOW, $NOW)" ||
    fail "neighbour fixture"
r=$(ww_api vw "$PORT" GET "/api/v1/inventory/unregistered")
check "a viewer reads the list of unregistered devices (${r%% *}, total $(jf total))" \
    [ "${r%% *}" = 200 -a "$(jf total)" = 2 ]
check "newest first, with the reporting device, ports, address and last seen" \
    [ "$(jf items.0.remote_name)" = "SW-Kho <b>" -a "$(jf items.0.device_id)" = "$XP" \
      -a "$(jf items.0.local_port)" = Gi0/2 -a "$(jf items.1.remote_addr)" = 10.0.0.77 \
      -a "$(jf items.1.remote_port)" = eth0 -a -n "$(jf items.1.last_seen)" ]
r=$(ww_api vw "$PORT" GET "/api/v1/inventory/unregistered?limit=1&offset=5")
check "a page past the end still counts them (total $(jf total))" [ "$(jf total)" = 2 ]
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/api/v1/inventory/unregistered")
check "without a session: 401 ($code)" [ "$code" = 401 ]

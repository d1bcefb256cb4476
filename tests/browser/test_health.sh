#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_health.sh - the device page's disks, health panel and "found by SNMP beside typed" in a
# real browser (issue 16 items 2 and 5), and the page of devices not in the register: the
# dashboard on port 0 over a data folder whose facts, disks, health days and neighbour rows
# are written as the collector writes them (a row per disk, 90 days of roll-up with high-CPU,
# full-disk days, reboots and office downtime); health_test.js drives Debian's chromium through
# playwright-core as a viewer (the role that only reads) and checks the words on the page in
# vi and en. Screenshots in vi and en go to tests/out/health/ (or $WW_TEST_OUT/health/).
# Skips (exit 0) without chromium, node or node_modules/playwright-core: run
# appliance/install-deps.sh --browser.
source "$(dirname "$0")/../integration/lib.sh"

HERE="$WW_TOP/tests/browser"
WWW="$WW_TOP/dashboard/www"
SHOTS="${WW_TEST_OUT:-$WW_TOP/tests/out}/health"
ADMIN_PW="Quan-tri-$RANDOM$RANDOM"

python3 "$HERE/check_www.py" "$WWW" | grep -v '^ok - '   # the full list is test_browser.sh's

if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null 2>&1 ||
    [ ! -d "$HERE/node_modules/playwright-core" ]; then
    skip "device health in a browser" "no chromium, node or playwright-core (run appliance/install-deps.sh --browser)"
    exit 0
fi
for p in wardwatch wardwatch-dashboard; do
    [ -x "$BIN/$p" ] || { fail "health browser test: no $BIN/$p (build it first)"; exit 1; }
done

DATA="$T/data"
cat >"$T/ww.conf" <<CONF
[general]
data_dir = $DATA
CONF
NOW=$(date +%s)
# the last 90 office-local days, the newest first (the dashboard's window ends today)
DAYS=$(TZ=Asia/Ho_Chi_Minh python3 -c 'import datetime as d; t=d.date.today(); print(" ".join(str(t - d.timedelta(days=i)) for i in range(90)))')
ROWS=$(python3 - $DAYS <<'PY'
import sys
out = []
for i, day in enumerate(sys.argv[1:]):
    # 12 days of sustained CPU load, 61 days with the disk above 90%, 3 reboots, and 2 h 30 min
    # unreachable in office hours over the window (30 min on each of 5 days)
    cpu_high = 10 if i < 12 else 1
    disk = 95.5 if i < 61 else 80.0
    reboots = 1 if i in (3, 40, 70) else 0
    down = 1800 if i in (1, 2, 5, 8, 13) else 0
    out.append("(1001, '%s', 12, 12, 12, %d, 90, %d, 12, 400, 60, 0, %s, %d, 27000, %d)"
               % (day, 12 * 50, cpu_high, disk, reboots, down))
print(",\n".join(out))
PY
)
if printf '%s\n' "$ADMIN_PW" | "$BIN/wardwatch" -c "$T/ww.conf" init --admin-password-stdin >"$T/init.log" 2>&1 &&
    printf '%s\n' "$ADMIN_PW-xem" | "$BIN/wardwatch" -c "$T/ww.conf" user add --login xem --role viewer \
        --password-stdin >>"$T/init.log" 2>&1 &&
    sqlite3 "$DATA/wardwatch.db" >>"$T/init.log" 2>&1 <<SQL
INSERT INTO device (id, name, kind, host, created_at, vendor, model, serial) VALUES
  (1001, 'Máy kế toán', 'pc', '192.0.2.21', $NOW - 86400 * 400, 'Dell', 'OptiPlex 3020', 'CN-7X2'),
  (1002, 'Switch tầng 2', 'switch', '192.0.2.22', $NOW - 86400 * 400, NULL, NULL, NULL);
INSERT INTO device_fact (device_id, name, value, first_seen, last_seen) VALUES
  (1001, 'sysDescr', 'Hardware: Intel64 Family 6 - Software: Windows Version 6.1 (Build 7601)', $NOW - 86400, $NOW - 30),
  (1001, 'os', 'Windows 7 (build 7601)', $NOW - 86400, $NOW - 30),
  (1001, 'cpu_model', 'Intel(R) Core(TM) i3-4150 CPU @ 3.50GHz', $NOW - 86400, $NOW - 30),
  (1001, 'cpu_count', '4', $NOW - 86400, $NOW - 30),
  (1001, 'ram_bytes', '4294967296', $NOW - 86400, $NOW - 30),
  (1001, 'vendor', 'Microsoft', $NOW - 86400, $NOW - 30),
  (1001, 'serial', 'cn-7x2', $NOW - 86400, $NOW - 30);
INSERT INTO device_disk (id, device_id, disk_key, descr, size_bytes, used_bytes, first_seen, last_seen) VALUES
  (1, 1001, 'C:\\ Label:  Serial Number 5c7e0a1b', 'C:\\ Label:  Serial Number 5c7e0a1b', 250000000000, 238750000000, $NOW - 86400 * 90, $NOW - 30),
  (2, 1001, 'D:\\ Label:Dữ liệu  Serial Number 9a', 'D:\\ Label:Dữ liệu  Serial Number 9a', 500000000000, 125000000000, $NOW - 86400 * 90, $NOW - 30),
  (3, 1001, 'E:\\', 'E:\\', 32000000000, 1000000000, $NOW - 86400 * 90, $NOW - 86400 * 20);
INSERT INTO health_day (device_id, day, polls, ok_polls, cpu_n, cpu_sum, cpu_max, cpu_high_n,
  mem_n, mem_sum, mem_max, mem_high_n, disk_max, reboots, office_s, office_down_s) VALUES
$ROWS;
INSERT INTO neighbor (device_id, protocol, local_port, remote_key, remote_name, remote_port,
  remote_addr, remote_device_id, first_seen, last_seen) VALUES
  (1002, 'lldp', 'Gi0/7', 'aa:bb:cc:00:11:22', 'may-in-mot-cua', 'eth0', '192.0.2.77', NULL, $NOW - 7200, $NOW - 60),
  (1002, 'cdp', 'Gi0/24', 'AP-Tang3', 'AP-Tang3 <script>', 'Fa0', NULL, NULL, $NOW - 7200, $NOW - 600);
SQL
then
    ok "data folder with a PC's disks, 90 days of health and neighbours not in the register"
else
    fail "data folder" "$(tail -3 "$T/init.log" | tr '\n' ' ')"
    exit 1
fi
# two disks' files as the collector writes them (disk-<device_disk.id>.rrd: used_pct, used_bytes),
# two hours of samples, so that each disk's graph draws
mkdir -p "$DATA/rrd/1001"
for k in 1 2; do
    f="$DATA/rrd/1001/disk-$k.rrd"
    rrdtool create "$f" --start $((NOW - 7200)) --step 60 DS:used_pct:GAUGE:120:0:100 \
        DS:used_bytes:GAUGE:120:0:U RRA:AVERAGE:0.5:1:2881 RRA:MAX:0.5:1:2881 ||
        fail "rrdtool create $f"
    args=()
    for i in $(seq 119 -1 1); do
        args+=("$((NOW - i * 60)):$((k == 1 ? 90 + i % 7 : 25)):$((k * 1000000))")
    done
    rrdtool update "$f" "${args[@]}" || fail "rrdtool update $f"
done
spawn dashboard "$BIN/wardwatch-dashboard" -c "$T/ww.conf" --listen 127.0.0.1 --port 0 \
    --port-file "$T/port" --www "$WWW"
port=$(wait_port_file "$T/port" 20) || { fail "dashboard started" "$(tail -5 "$T/dashboard.log")"; exit 1; }

mkdir -p "$SHOTS"
WW_URL="http://127.0.0.1:$port" WW_VIEWER_PW="$ADMIN_PW-xem" WW_WWW="$WWW" WW_SHOTS="$SHOTS" \
    timeout 180 node "$HERE/health_test.js" >"$T/ui.out" 2>&1
rc=$?
cat "$T/ui.out"
if [ "$rc" != 0 ] && ! grep -q '^not ok ' "$T/ui.out"; then
    fail "health_test.js ran" "exit $rc"
fi
echo "# screenshots in $SHOTS"

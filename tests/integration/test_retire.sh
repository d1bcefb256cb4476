#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_retire.sh - a removed device's metric files never pass to the next device (issue #14
# item 7): `wardwatch device remove` moves rrd/<id>/ to rrd/removed/<id>-<YYYYMMDD>/, the next
# device gets a new id with no folder, and a database whose last devices went before the
# upgrade still never gives out an id an rrd/ folder names (the collector reserves it).
source "$(dirname "$0")/lib.sh"

CLI="$BIN/wardwatch"
COLL="$BIN/wardwatch-collector"
command -v rrdtool >/dev/null || { skip "removed devices' files" "rrdtool is not installed"; exit 0; }
DATA=$T/data
CONF=$T/wardwatch.conf
printf '[general]\ndata_dir = %s\n[collector]\npoll_interval = 60\n' "$DATA" >"$CONF"
W() { "$CLI" -c "$CONF" "$@"; }
printf 'Adm1n-pass-long-enough!\n' | W init --admin-password-stdin >"$T/init.log" 2>&1 ||
    { fail "wardwatch init"; cat "$T/init.log"; exit 1; }

OLD=$(W device add --name "PC kế toán" --host 10.9.9.1 --kind pc 2>>"$T/cli.log")
mkdir -p "$DATA/rrd/$OLD"
rrdtool create "$DATA/rrd/$OLD/host.rrd" --step 60 --start 1741500000 \
    DS:cpu_load:GAUGE:120:0:100 RRA:AVERAGE:0.5:1:10 &&
    rrdtool update "$DATA/rrd/$OLD/host.rrd" 1741500060:97
W device remove "$OLD" >>"$T/cli.log" 2>&1 || fail "device remove"
NEW=$(W device add --name "Máy in tầng 1" --host 10.9.9.2 --kind printer 2>>"$T/cli.log")
check "the new device gets a new id ($NEW, the removed one had $OLD)" test -n "$NEW" -a "$NEW" != "$OLD"
check "the new device has no files" test ! -e "$DATA/rrd/$NEW"
check "the removed device's folder is gone from rrd/" test ! -e "$DATA/rrd/$OLD"
DAY=$(date -u +%Y%m%d)
check "its files are under rrd/removed/$OLD-$DAY/ with their data" \
    test "$(rrdtool lastupdate "$DATA/rrd/removed/$OLD-$DAY/host.rrd" 2>/dev/null | tail -1)" = "1741500060: 97"

# a folder from before (rrd/40/, its device long gone): the collector reserves its id
mkdir -p "$DATA/rrd/40"
"$COLL" -c "$CONF" --intervals 1 >"$T/collector.log" 2>&1 || true
NEXT=$(W device add --name "Switch" --host 10.9.9.3 --kind switch 2>>"$T/cli.log")
check "after the collector saw rrd/40/, the next id is above it ($NEXT)" test "${NEXT:-0}" -gt 40
check "and rrd/40/, a folder without a device, was retired by its tidy pass" \
    test ! -e "$DATA/rrd/40" -a -d "$DATA/rrd/removed/40-$DAY"

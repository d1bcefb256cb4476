#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# install-deps.sh - install the Debian packages wardwatch needs to build, run and test.
# Idempotent: installs only what is missing. Uses sudo when not root.
#   install-deps.sh            build + run + test packages
#   install-deps.sh --browser  also Chromium and playwright-core (browser tests)
#   install-deps.sh --bench    also collectd (the benchmark compares against it), wrk
#                              (bench/uptime.sh), tshark and tcpdump (bench/probe.sh)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)

pkgs=(
    build-essential pkg-config
    libsnmp-dev snmpd snmp snmpsim
    librrd-dev rrdtool rrdcached
    libpcap-dev libmicrohttpd-dev libsqlite3-dev sqlite3
    libjansson-dev libsodium-dev libinih-dev libcurl4-openssl-dev libgnutls28-dev libicu-dev
    zlib1g-dev  # the UI's text files sent gzip-compressed
    libcmocka-dev curl procps iproute2 python3 faketime
    clang libclang-rt-14-dev  # libFuzzer targets of tests/fuzz/ (make fuzz, test_fuzz.sh)
)
browser=0
for a in "$@"; do
    case "$a" in
    --browser) browser=1 ;;
    --bench) pkgs+=(collectd-core time wrk tshark tcpdump) ;;
    *) echo "install-deps: unknown option '$a'" >&2; exit 2 ;;
    esac
done
if [ "$browser" = 1 ]; then
    pkgs+=(chromium nodejs fonts-dejavu-core)
    # Some nodejs builds (e.g. nodesource's) ship npm inside and conflict with Debian's npm
    # package: ask for it only when no npm command is there yet.
    command -v npm >/dev/null 2>&1 || pkgs+=(npm)
fi

missing=()
for p in "${pkgs[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done

if [ "${#missing[@]}" -gt 0 ]; then
    sudo=()
    if [ "$(id -u)" != 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            sudo=(sudo)
        else
            echo "install-deps: missing packages: ${missing[*]}" >&2
            echo "install-deps: not root and no sudo: run as root: apt-get install ${missing[*]}" >&2
            exit 1
        fi
    fi
    echo "install-deps: installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if ! "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
        "${sudo[@]}" apt-get update -qq || true
        if ! "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; then
            echo "install-deps: apt-get could not install: ${missing[*]}" >&2
            echo "install-deps: check the network/apt sources, then run: apt-get install ${missing[*]}" >&2
            exit 1
        fi
    fi
    # The packaged daemons must not run system-wide just because we installed them:
    # wardwatch starts its own instances on loopback.
    for svc in snmpd rrdcached collectd; do
        if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
            "${sudo[@]}" systemctl disable --now "$svc" >/dev/null 2>&1 || true
        fi
    done
fi

if [ "$browser" = 1 ] && [ -f "$top/tests/browser/package.json" ]; then
    if [ ! -d "$top/tests/browser/node_modules/playwright-core" ]; then
        echo "install-deps: installing playwright-core (npm) into tests/browser/"
        (cd "$top/tests/browser" && npm install --no-audit --no-fund --silent) || {
            echo "install-deps: npm install of playwright-core failed" >&2
            exit 1
        }
    fi
fi
exit 0

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * demo_int.h - the demo ward office: SNMP recordings (.snmprec) of a People's Committee
 * office (router, two switches, Wi-Fi AP, UPS, printer, 20 office PCs) for snmpsimd, used
 * by `wardwatch demo-gen` and `make run`. Private to appliance/.
 */
#ifndef WW_APPLIANCE_DEMO_INT_H
#define WW_APPLIANCE_DEMO_INT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* how many devices the office has: 1 router, 2 switches, 1 AP, 1 UPS, 1 printer, 20 PCs */
#define DEMO_N_PCS 20
#define DEMO_N_DEVICES (6 + DEMO_N_PCS)

/*
 * struct demo_device - one simulated device as the appliance should register it.
 * @name:      ASCII host name, also the device's sysName ("PC-KETOAN-01")
 * @kind:      a wardwatch device kind: router, switch, ap, ups, printer, pc
 * @community: SNMP v2c community = the .snmprec file name without extension ("demo-router")
 * @addr:      the loopback address snmpsimd answers it on ("127.0.1.10")
 * @port:      UDP port
 */
struct demo_device {
    char name[64];
    char kind[16];
    char community[64];
    char addr[32];
    int port;
};

/*
 * demo_generate() - write the demo office into @dir: one "<community>.snmprec" per device
 * (lines "OID|TYPE|VALUE" sorted by OID in numeric order, counters and uptimes moving
 * through snmpsim's `numeric` variation module) and "devices.tsv" (header
 * "name\tkind\taddr\tport\tcommunity", one row per device). @dir is created (mode 0755)
 * when missing; every file is written to a temporary name, made world-readable (snmpsimd
 * drops to nobody) and renamed into place, so a reader never sees half a file.
 * @seed:      the same seed always gives byte-identical files; another seed another office.
 * @base_addr: prefix of the device addresses, ending in '.', e.g. "127.0.1."; device i
 *             gets base_addr + (10 + i).
 * @port:      the UDP port every device answers on (1..65535).
 * @out_devs:  on success a heap array of DEMO_N_DEVICES entries, in file order (router
 *             first, PCs last); the caller frees it with free(). Untouched on failure.
 * @out_n:     the number of entries.
 * Context: any thread; touches only @dir.
 * Returns: 0, -EINVAL for bad arguments, or a negative errno from the file system
 * (the failing call is logged).
 */
int demo_generate(const char *dir, unsigned seed, const char *base_addr, int port,
                  struct demo_device **out_devs, size_t *out_n);
/*
 * demo_set_running() - the office has been running @seconds before this snmpsimd start (the
 * demo's first start was that long ago): every counter and uptime demo_generate() writes
 * starts that much further on, as if the devices had kept running while the demo was
 * stopped, so a restart of the demo is no reboot of every device and no counter going back.
 * 0 (the default): the recordings as planned. Not thread-safe: set it before generating.
 */
void demo_set_running(uint64_t seconds);
/*
 * demo_register() - write the office's register into @dir, as people would have typed it
 * (issue 16 item 11): "register.tsv" (header name, unit, vendor, model, serial, asset_tag,
 * purchase_date, cost_vnd, warranty_end, status, funding_source, assigned_to; one row per
 * PC: bought 2012..2024 as its CPU's age says, 8-25 million VND, a 3-year warranty, a few
 * ending within three months of the day given, the oldest PC to_dispose with nobody
 * assigned, one in_repair), "units.csv" (the ward and its departments, the columns of
 * `wardwatch unit import`) and "plan.tsv" (a line of `wardwatch plan` arguments each,
 * tab-separated, '#' a comment: "price" with the price per kind, "budget" with each
 * department's yearly budgets for five years from @year): demo.sh loads them through the
 * CLI, the audited path. The same @seed as demo_generate() gives the
 * same PCs; the same seed and day give byte-identical files.
 * @year, @month, @day: the office's "today" (the demo's first start).
 * Returns: 0, -EINVAL for bad arguments, or a negative errno from the file system.
 */
int demo_register(const char *dir, unsigned seed, int year, unsigned month, unsigned day);

/* demo_write_file() - @len bytes to @dir/@name through a temporary file (mode 0644), fsync
 * and rename(2): a reader never sees half a file. Returns 0 or a negative errno (logged). */
int demo_write_file(const char *dir, const char *name, const char *data, size_t len);

/*
 * demo_capture() - write "traffic.pcap" into @dir: the demo ward's traffic of the day before
 * @end (the demo's first start), as the passive probe would have captured it on the mirror
 * port (Ethernet, classic pcap, frames cut after their headers, their original lengths kept):
 * an ARP from each of the @n devices (@devs, their addresses), TCP and UDP flows between the
 * office PCs, the printer and addresses on the Internet, heavier in office hours (the
 * process's local zone) with a peak in the morning, and one laptop no device names
 * (DEMO_LAPTOP_MAC at base + DEMO_LAPTOP_HOST) that gets its address by DHCP in the morning
 * and downloads much. The same @seed, devices and @end give byte-identical files.
 * Returns: 0, -EINVAL (no devices), or a negative errno from the file system.
 */
#define DEMO_LAPTOP_MAC "3c:52:82:5a:11:07"
#define DEMO_LAPTOP_HOST 200
int demo_capture(const char *dir, unsigned seed, const struct demo_device *devs, size_t n,
                 time_t end);

#endif

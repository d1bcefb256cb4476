/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * demo.c - the demo ward office: snmpsimd recordings of a Vietnamese ward People's
 * Committee office (UBND phường ...), so `make run` has a lively network to watch.
 *
 * DESIGN: two passes. plan_office() draws everything random from the seed (the ward,
 * each PC's age, CPU, RAM and disks, traffic rates, which switch port every device hangs
 * off) into a struct office, so the traffic a PC sends shows up consistently on its switch
 * port, the switch uplink and the router. The gen_* functions then turn the plan into
 * records in whatever order is convenient; write_device() sorts them by numeric OID (the
 * order snmpsimd's binary search needs) before writing. Everything that should move while
 * snmpsimd runs (uptimes, octet and packet counters, CPU load, memory, disks filling up,
 * toner running down, mains voltage) is written for snmpsim's `numeric` variation module:
 * value = initial + rate * seconds-since-snmpsimd-started (counters wrap like real ones),
 * or initial + scale * sin(rate * seconds) for gauges that swing. Only integer arithmetic
 * is used, so the same seed gives the same bytes on every machine.
 *
 * Errors while building records are sticky in struct recset (checked once per file), which
 * keeps the long gen_* functions free of error plumbing.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/common.h"
#include "appliance/demo_int.h"

#include "common/banned.h"

#define DEMO_OID_PARTS 40
#define DEMO_OID_TEXT 256
#define DEMO_LINE_MAX 4096
#define DEMO_FILE_MAX (16u << 20)
#define DEMO_ADDR_FIRST 10

/* OID prefixes */
#define SYS "1.3.6.1.2.1.1"
#define IF_NUMBER "1.3.6.1.2.1.2.1.0"
#define IF_ENTRY "1.3.6.1.2.1.2.2.1"
#define IFX_ENTRY "1.3.6.1.2.1.31.1.1.1"
#define HR_SYSTEM "1.3.6.1.2.1.25.1"
#define HR_MEMSIZE "1.3.6.1.2.1.25.2.2.0"
#define HR_STORAGE "1.3.6.1.2.1.25.2.3.1"
#define HR_DEVICE "1.3.6.1.2.1.25.3.2.1"
#define HR_PROCESSOR "1.3.6.1.2.1.25.3.3.1"
#define HR_PRINTER "1.3.6.1.2.1.25.3.5.1"
#define HR_TYPE_RAM "1.3.6.1.2.1.25.2.1.2"
#define HR_TYPE_VMEM "1.3.6.1.2.1.25.2.1.3"
#define HR_TYPE_DISK "1.3.6.1.2.1.25.2.1.4"
#define HR_DEV_PRINTER "1.3.6.1.2.1.25.3.1.5"
#define HR_DEV_PROCESSOR "1.3.6.1.2.1.25.3.1.3"
#define HR_DEV_NETWORK "1.3.6.1.2.1.25.3.1.4"
#define UPS_MIB "1.3.6.1.2.1.33.1"
#define PRT_MIB "1.3.6.1.2.1.43"

#define KB 1000ull
#define MB 1000000ull
#define GB 1000000000ull

/* ---- a small deterministic PRNG (splitmix64): no rand(), same output everywhere --------- */

struct rng {
    uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* uniform in [lo, hi]; the modulo bias is irrelevant for a demo */
static uint64_t rng_range(struct rng *r, uint64_t lo, uint64_t hi)
{
    return hi <= lo ? lo : lo + rng_next(r) % (hi - lo + 1);
}

static bool rng_chance(struct rng *r, unsigned percent)
{
    return rng_range(r, 0, 99) < percent;
}

static void rng_mac(struct rng *r, const unsigned char oui[3], unsigned char out[6])
{
    uint64_t v = rng_next(r);

    memcpy(out, oui, 3);
    out[3] = (unsigned char)(v >> 8);
    out[4] = (unsigned char)(v >> 16);
    out[5] = (unsigned char)(v >> 24);
}

/* ---- records: "OID|TYPE|VALUE" lines, sorted by numeric OID at the end -------------------- */

struct rec {
    uint32_t oid[DEMO_OID_PARTS];
    size_t len;
    char *line;
};

struct recset {
    struct rec *v;
    size_t n, cap;
    int err; /* first error; later adds are ignored */
};

static int parse_oid(const char *s, uint32_t *out, size_t *out_len)
{
    size_t n = 0;

    while (*s) {
        uint64_t part = 0;
        const char *start = s;

        while (*s >= '0' && *s <= '9') {
            part = part * 10 + (uint64_t)(*s - '0');
            if (part > UINT32_MAX)
                return -EINVAL;
            s++;
        }
        if (s == start || n == DEMO_OID_PARTS)
            return -EINVAL;
        out[n++] = (uint32_t)part;
        if (*s == '.' && s[1])
            s++;
        else if (*s)
            return -EINVAL;
    }
    if (n < 2)
        return -EINVAL;
    *out_len = n;
    return 0;
}

static void rs_vadd(struct recset *rs, const char *tag, const char *value, const char *oidfmt,
                    va_list ap)
{
    char oid[DEMO_OID_TEXT];
    struct ww_buf line;
    struct rec *r;
    int n;

    if (rs->err)
        return;
    n = vsnprintf(oid, sizeof(oid), oidfmt, ap);
    if (n < 0 || (size_t)n >= sizeof(oid)) {
        rs->err = ww_error(-EINVAL, "demo: OID too long: %s", oidfmt);
        return;
    }
    if (rs->n == rs->cap) {
        rs->cap = rs->cap ? rs->cap * 2 : 256;
        rs->v = ww_reallocarray(rs->v, rs->cap, sizeof(*rs->v));
    }
    r = &rs->v[rs->n];
    if (parse_oid(oid, r->oid, &r->len) < 0) {
        rs->err = ww_error(-EINVAL, "demo: bad OID '%s'", oid);
        return;
    }
    ww_buf_init(&line, DEMO_LINE_MAX);
    if (ww_buf_addf(&line, "%s|%s|%s\n", oid, tag, value) < 0) {
        ww_buf_release(&line);
        rs->err = ww_error(-E2BIG, "demo: record for '%s' too long", oid);
        return;
    }
    r->line = ww_buf_detach(&line);
    rs->n++;
}

static void rs_release(struct recset *rs)
{
    for (size_t i = 0; i < rs->n; i++)
        free(rs->v[i].line);
    free(rs->v);
    rs->v = NULL;
    rs->n = rs->cap = 0;
    rs->err = 0;
}

static int rec_cmp(const void *a, const void *b)
{
    const struct rec *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;

    for (size_t i = 0; i < n; i++)
        if (x->oid[i] != y->oid[i])
            return x->oid[i] < y->oid[i] ? -1 : 1;
    return (x->len > y->len) - (x->len < y->len);
}

static void put(struct recset *rs, const char *tag, const char *value, const char *oidfmt, ...)
    WW_PRINTF(4, 5);
static void put(struct recset *rs, const char *tag, const char *value, const char *oidfmt, ...)
{
    va_list ap;

    va_start(ap, oidfmt);
    rs_vadd(rs, tag, value, oidfmt, ap);
    va_end(ap);
}

/* @tag: "2" INTEGER, "65" Counter32, "66" Gauge32, "67" TimeTicks */
static void put_num(struct recset *rs, const char *tag, long long v, const char *oidfmt, ...)
    WW_PRINTF(4, 5);
static void put_num(struct recset *rs, const char *tag, long long v, const char *oidfmt, ...)
{
    char value[32];
    va_list ap;

    snprintf(value, sizeof(value), "%lld", v);
    va_start(ap, oidfmt);
    rs_vadd(rs, tag, value, oidfmt, ap);
    va_end(ap);
}

static void put_vbytes(struct recset *rs, const unsigned char *p, size_t n, const char *oidfmt,
                       va_list ap)
{
    static const char hex[] = "0123456789abcdef";
    char value[DEMO_LINE_MAX / 2];

    if (2 * n >= sizeof(value)) {
        if (!rs->err)
            rs->err = ww_error(-E2BIG, "demo: string value too long");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        value[2 * i] = hex[p[i] >> 4];
        value[2 * i + 1] = hex[p[i] & 15];
    }
    value[2 * n] = '\0';
    rs_vadd(rs, n ? "4x" : "4", value, oidfmt, ap);
}

static void put_bytes(struct recset *rs, const unsigned char *p, size_t n, const char *oidfmt, ...)
    WW_PRINTF(4, 5);
static void put_bytes(struct recset *rs, const unsigned char *p, size_t n, const char *oidfmt, ...)
{
    va_list ap;

    va_start(ap, oidfmt);
    put_vbytes(rs, p, n, oidfmt, ap);
    va_end(ap);
}

/*
 * put_str() - an OCTET STRING. snmpsimd strips each line and reads it as text, so anything
 * that is not plain printable ASCII without edge spaces (Vietnamese UTF-8, CR LF in a
 * Cisco sysDescr) goes hex-encoded as type "4x".
 */
static void put_str(struct recset *rs, const char *s, const char *oidfmt, ...) WW_PRINTF(3, 4);
static void put_str(struct recset *rs, const char *s, const char *oidfmt, ...)
{
    size_t n = strlen(s);
    bool hex = n && (s[0] == ' ' || s[n - 1] == ' ');
    va_list ap;

    for (size_t i = 0; i < n && !hex; i++)
        hex = (unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f;
    va_start(ap, oidfmt);
    if (hex)
        put_vbytes(rs, (const unsigned char *)s, n, oidfmt, ap);
    else
        rs_vadd(rs, "4", s, oidfmt, ap);
    va_end(ap);
}

/* "[-]I.FFFFFF" from a signed count of millionths: no floating point, no locale */
static void fmt_micro(char *buf, size_t size, long long micro)
{
    unsigned long long a = micro < 0 ? (unsigned long long)-micro : (unsigned long long)micro;

    snprintf(buf, size, "%s%llu.%06llu", micro < 0 ? "-" : "", a / 1000000, a % 1000000);
}

/* how long the office has been running before this snmpsimd start (demo_set_running()) */
static uint64_t running_s;

void demo_set_running(uint64_t seconds)
{
    running_s = seconds;
}

static void put_vvariation(struct recset *rs, const char *tag, const char *opts, const char *oidfmt,
                           va_list ap)
{
    char t[24];

    snprintf(t, sizeof(t), "%s:numeric", tag);
    rs_vadd(rs, t, opts, oidfmt, ap);
}

/*
 * put_counter() - a Counter32 (@c64 false) or Counter64 that starts at @initial and grows
 * by @per_s per second while snmpsimd runs, wrapping like the device's own counter. The
 * Counter32 keeps the low 32 bits of the same count, as a real agent does.
 */
static void put_counter(struct recset *rs, bool c64, uint64_t initial, uint64_t per_s,
                        const char *oidfmt, ...) WW_PRINTF(5, 6);
static void put_counter(struct recset *rs, bool c64, uint64_t initial, uint64_t per_s,
                        const char *oidfmt, ...)
{
    char opts[160];
    va_list ap;

    initial += per_s * running_s; /* what it counted while the demo was stopped */
    if (!c64)
        initial &= 0xffffffffull;
    else
        initial &= (1ull << 52) - 1; /* snmpsim keeps the value as a double */
    va_start(ap, oidfmt);
    if (per_s == 0) {
        char value[32];
        snprintf(value, sizeof(value), "%llu", (unsigned long long)initial);
        rs_vadd(rs, c64 ? "70" : "65", value, oidfmt, ap);
    } else {
        snprintf(opts, sizeof(opts), "rate=%llu,initial=%llu,wrap=1%s", (unsigned long long)per_s,
                 (unsigned long long)initial, c64 ? "" : ",max=4294967295");
        put_vvariation(rs, c64 ? "70" : "65", opts, oidfmt, ap);
    }
    va_end(ap);
}

/* put_ticks() - TimeTicks that start at @ticks and run at 100 per second (sysUpTime) */
static void put_ticks(struct recset *rs, uint64_t ticks, const char *oidfmt, ...) WW_PRINTF(3, 4);
static void put_ticks(struct recset *rs, uint64_t ticks, const char *oidfmt, ...)
{
    char opts[80];
    va_list ap;

    snprintf(opts, sizeof(opts), "rate=100,initial=%llu",
             (unsigned long long)((ticks + 100 * running_s) & 0xffffffffull));
    va_start(ap, oidfmt);
    put_vvariation(rs, "67", opts, oidfmt, ap);
    va_end(ap);
}

/*
 * put_wave() - a gauge (@tag "2" or "66") swinging around @base by +-@amp once every
 * @period seconds, kept within [@lo, @hi]: CPU load, memory in use, mains voltage.
 */
static void put_wave(struct recset *rs, const char *tag, long long base, long long amp,
                     unsigned period, long long lo, long long hi, const char *oidfmt, ...)
    WW_PRINTF(8, 9);
static void put_wave(struct recset *rs, const char *tag, long long base, long long amp,
                     unsigned period, long long lo, long long hi, const char *oidfmt, ...)
{
    char opts[200], rate[40];
    va_list ap;

    /* rate = 2 pi / period, in millionths */
    fmt_micro(rate, sizeof(rate), 6283185ll / (period ? period : 1));
    snprintf(opts, sizeof(opts), "function=sin,rate=%s,scale=%lld,initial=%lld,min=%lld,max=%lld",
             rate, amp, base, lo, hi);
    va_start(ap, oidfmt);
    put_vvariation(rs, tag, opts, oidfmt, ap);
    va_end(ap);
}

/*
 * put_drift() - a gauge that moves by @micro_per_s millionths per second from @initial and
 * stops at @lo or @hi: a disk filling up, toner running down, a page counter.
 */
static void put_drift(struct recset *rs, const char *tag, long long initial, long long micro_per_s,
                      long long lo, long long hi, const char *oidfmt, ...) WW_PRINTF(7, 8);
static void put_drift(struct recset *rs, const char *tag, long long initial, long long micro_per_s,
                      long long lo, long long hi, const char *oidfmt, ...)
{
    char opts[200], rate[40];
    va_list ap;

    fmt_micro(rate, sizeof(rate), micro_per_s);
    snprintf(opts, sizeof(opts), "rate=%s,initial=%lld,min=%lld,max=%lld", rate, initial, lo, hi);
    va_start(ap, oidfmt);
    put_vvariation(rs, tag, opts, oidfmt, ap);
    va_end(ap);
}

/* ---- the office plan -------------------------------------------------------------------- */

enum win { WIN7, WIN10, WIN11 };

struct cpu_model {
    const char *descr; /* hrDeviceDescr, as Windows reports it */
    const char *arch;  /* sysDescr "Hardware:" word */
    unsigned family, model, stepping, threads;
    enum win os_lo, os_hi;
    unsigned ram_lo, ram_hi; /* GB, powers of two */
    unsigned disk_gb;        /* the one disk of its time, split in C: and D: */
    const char *nic;
    unsigned nic_mbps;
    bool ssd; /* newer PCs: an SSD for C: and an HDD for D: */
};

/* office PCs from 2004 to 2022, as they still are in ward offices */
static const struct cpu_model cpus[] = {
    {"Intel(R) Pentium(R) 4 CPU 3.00GHz", "x86", 15, 4, 3, 1, WIN7, WIN7, 2, 2, 160,
     "Realtek RTL8139/810x Family Fast Ethernet NIC", 100, false},
    {"Intel(R) Celeron(R) CPU G1820 @ 2.70GHz", "Intel64", 6, 60, 3, 2, WIN7, WIN10, 2, 4, 320,
     "Realtek PCIe FE Family Controller", 100, false},
    {"Intel(R) Pentium(R) CPU G2030 @ 3.00GHz", "Intel64", 6, 58, 9, 2, WIN7, WIN10, 2, 4, 500,
     "Realtek PCIe GBE Family Controller", 1000, false},
    {"Intel(R) Core(TM) i3-2120 CPU @ 3.30GHz", "Intel64", 6, 42, 7, 4, WIN7, WIN10, 2, 4, 500,
     "Realtek PCIe GBE Family Controller", 1000, false},
    {"Intel(R) Core(TM) i5-3470 CPU @ 3.20GHz", "Intel64", 6, 58, 9, 4, WIN7, WIN10, 4, 8, 500,
     "Intel(R) 82579LM Gigabit Network Connection", 1000, false},
    {"Intel(R) Core(TM) i5-4570 CPU @ 3.20GHz", "Intel64", 6, 60, 3, 4, WIN7, WIN10, 4, 8, 1000,
     "Intel(R) Ethernet Connection I217-LM", 1000, false},
    {"Intel(R) Core(TM) i3-6100 CPU @ 3.70GHz", "Intel64", 6, 94, 3, 4, WIN10, WIN10, 4, 8, 1000,
     "Intel(R) Ethernet Connection I219-V", 1000, false},
    {"Intel(R) Core(TM) i5-7400 CPU @ 3.00GHz", "Intel64", 6, 158, 9, 4, WIN10, WIN10, 4, 8, 1000,
     "Realtek PCIe GbE Family Controller", 1000, false},
    {"Intel(R) Core(TM) i5-8400 CPU @ 2.80GHz", "Intel64", 6, 158, 10, 6, WIN10, WIN11, 8, 16, 256,
     "Intel(R) Ethernet Connection (7) I219-V", 1000, true},
    {"Intel(R) Core(TM) i3-10100 CPU @ 3.60GHz", "Intel64", 6, 165, 3, 8, WIN10, WIN11, 8, 16, 256,
     "Realtek PCIe GbE Family Controller", 1000, true},
    {"12th Gen Intel(R) Core(TM) i3-12100", "Intel64", 6, 151, 5, 8, WIN11, WIN11, 8, 16, 512,
     "Intel(R) Ethernet Connection (17) I219-V", 1000, true},
};

struct pc_slot {
    const char *host;  /* ASCII, the sysName */
    const char *place; /* UTF-8, goes into sysLocation */
    unsigned sw;       /* 0: the 24-port switch on floor 1, 1: the 48-port one upstairs */
    unsigned busy;     /* traffic weight: the one-stop desk uploads scans all day */
};

static const struct pc_slot pc_slots[DEMO_N_PCS] = {
    {"PC-MOTCUA-01", "Bộ phận Một cửa, tầng 1", 0, 3},
    {"PC-MOTCUA-02", "Bộ phận Một cửa, tầng 1", 0, 3},
    {"PC-MOTCUA-03", "Bộ phận Một cửa, tầng 1", 0, 3},
    {"PC-MOTCUA-04", "Bộ phận Một cửa, tầng 1", 0, 3},
    {"PC-MOTCUA-05", "Bộ phận Một cửa, tầng 1", 0, 3},
    {"PC-VANTHU-01", "Văn thư - Lưu trữ, tầng 1", 0, 2},
    {"PC-TUPHAP-01", "Tư pháp - Hộ tịch, tầng 1", 0, 2},
    {"PC-TUPHAP-02", "Tư pháp - Hộ tịch, tầng 1", 0, 2},
    {"PC-QUANSU-01", "Ban Chỉ huy Quân sự, tầng 1", 0, 1},
    {"PC-KETOAN-01", "Phòng Tài chính - Kế toán, tầng 2", 1, 2},
    {"PC-KETOAN-02", "Phòng Tài chính - Kế toán, tầng 2", 1, 2},
    {"PC-DIACHINH-01", "Địa chính - Xây dựng, tầng 2", 1, 2},
    {"PC-DIACHINH-02", "Địa chính - Xây dựng, tầng 2", 1, 2},
    {"PC-VHXH-01", "Văn hóa - Xã hội, tầng 2", 1, 1},
    {"PC-VHXH-02", "Văn hóa - Xã hội, tầng 2", 1, 1},
    {"PC-VANPHONG-01", "Văn phòng HĐND - UBND, tầng 2", 1, 2},
    {"PC-VANPHONG-02", "Văn phòng HĐND - UBND, tầng 2", 1, 2},
    {"PC-CHUTICH-01", "Phòng Chủ tịch UBND, tầng 3", 1, 1},
    {"PC-PHOCT-01", "Phòng Phó Chủ tịch UBND, tầng 3", 1, 1},
    {"PC-PHOCT-02", "Phòng Phó Chủ tịch UBND, tầng 3", 1, 1},
};

static const char *const wards[] = {
    "phường Ba Đình", "phường Hoàn Kiếm",   "phường Long Biên", "phường Bến Thành",
    "phường Sài Gòn", "phường Hải Châu",    "phường Hòa Khánh", "phường Ninh Kiều",
    "phường Hạ Long", "phường Thủ Dầu Một",
};

static const char *const it_staff[] = {
    "Nguyễn Văn Hùng", "Trần Thị Thu Hà", "Lê Minh Đức",
    "Phạm Quốc Bảo",   "Hoàng Thị Lan",   "Võ Thanh Tùng",
};

static const char *const isps[] = {"VNPT", "Viettel", "FPT Telecom"};

/* real OUIs: Dell, HP, Gigabyte, ASUS, Lenovo; MikroTik; TP-Link; Cisco; Ubiquiti; Eaton;
 * Brother */
static const unsigned char pc_ouis[][3] = {{0xd8, 0x9e, 0xf3},
                                           {0x3c, 0x52, 0x82},
                                           {0xb4, 0x2e, 0x99},
                                           {0x04, 0x92, 0x26},
                                           {0x54, 0xe1, 0xad}};
static const unsigned char oui_mikrotik[3] = {0x48, 0x8f, 0x5a};
static const unsigned char oui_tplink[3] = {0x50, 0xd4, 0xf7};
static const unsigned char oui_cisco[3] = {0x70, 0x1f, 0x53};
static const unsigned char oui_ubnt[3] = {0x74, 0x83, 0xc2};
static const unsigned char oui_eaton[3] = {0x00, 0x20, 0x85};
static const unsigned char oui_brother[3] = {0x00, 0x1b, 0xa9};

#define SW24_PORTS 28 /* 24 copper + 4 SFP */
#define SW48_PORTS 52 /* 48 copper + 4 SFP */
#define SW24_UPLINK 24
#define SW48_UPLINK 48

struct pc_plan {
    const struct pc_slot *slot;
    const struct cpu_model *cpu;
    enum win os;
    unsigned build;
    unsigned ram_gb;
    unsigned c_gb, d_gb;
    unsigned c_pct, d_pct; /* used at the start, percent */
    bool hot, full, wifi;
    uint64_t in_rate, out_rate; /* bytes/s as the PC sees them */
    uint64_t uptime_s;
    unsigned char mac[6];
    unsigned if_index; /* the NIC's ifIndex */
    unsigned port;     /* port on switch slot->sw */
};

struct office {
    char unit[96];     /* "UBND phường Hòa Khánh" */
    char contact[160]; /* sysContact, UTF-8 */
    const char *isp;
    unsigned wan_mbps;
    struct pc_plan pc[DEMO_N_PCS];
    uint64_t ap_in, ap_out, printer_in, printer_out, ups_in, ups_out;
    unsigned bad_cable_pc; /* the PC whose switch port counts CRC errors */
    unsigned char mac_router[6], mac_sw[2][6], mac_ap[6], mac_ups[6], mac_printer[6];
    unsigned toner_pct, drum_pct;
};

static void plan_pc(struct rng *r, const struct pc_slot *slot, struct pc_plan *p)
{
    const struct cpu_model *c = &cpus[rng_range(r, 0, WW_ARRAY_SIZE(cpus) - 1)];
    unsigned ram_steps = 0;

    p->slot = slot;
    p->cpu = c;
    p->os = (enum win)rng_range(r, c->os_lo, c->os_hi);
    p->build = p->os == WIN7 ? 7601 : p->os == WIN10 ? 19045 : (rng_chance(r, 50) ? 22631 : 26100);
    for (unsigned g = c->ram_lo; g < c->ram_hi; g *= 2)
        ram_steps++;
    p->ram_gb = c->ram_lo << rng_range(r, 0, ram_steps);
    if (c->ssd) {
        p->c_gb = c->disk_gb - c->disk_gb / 16; /* what Windows shows of a 256/512 GB SSD */
        p->d_gb = 931;                          /* a 1 TB data disk */
    } else {
        p->c_gb = c->disk_gb >= 500 ? 200 : 80;
        p->d_gb = c->disk_gb - c->disk_gb / 16 - p->c_gb;
    }
    p->c_pct = (unsigned)rng_range(r, 45, 85);
    p->d_pct = (unsigned)rng_range(r, 15, 80);
    p->in_rate = slot->busy * rng_range(r, 12, 70) * KB;
    p->out_rate = slot->busy * rng_range(r, 3, 22) * KB;
    /* PCs are switched off at night: up a few hours to a few days; a forgotten one longer */
    p->uptime_s =
        rng_chance(r, 15) ? rng_range(r, 10 * 86400, 45 * 86400) : rng_range(r, 1800, 4 * 86400);
    p->wifi = c->ssd && rng_chance(r, 40);
    p->if_index = p->os == WIN7 ? 11 : (unsigned)rng_range(r, 4, 19);
    rng_mac(r, pc_ouis[rng_range(r, 0, WW_ARRAY_SIZE(pc_ouis) - 1)], p->mac);
}

/* pick @k distinct PC numbers not in @taken; mark them */
static void pick_pcs(struct rng *r, bool taken[DEMO_N_PCS], bool *flag_of[DEMO_N_PCS], unsigned k)
{
    while (k) {
        unsigned i = (unsigned)rng_range(r, 0, DEMO_N_PCS - 1);
        if (taken[i])
            continue;
        taken[i] = true;
        *flag_of[i] = true;
        k--;
    }
}

static void plan_office(unsigned seed, struct office *o)
{
    struct rng r = {.s = 0x77617264ull << 32 | seed}; /* "ward" */
    bool taken[DEMO_N_PCS] = {false};
    bool *flags[DEMO_N_PCS];
    unsigned next_port[2] = {4, 1}; /* floor 1: ports 1-3 hold the AP, UPS and printer */

    memset(o, 0, sizeof(*o));
    snprintf(o->unit, sizeof(o->unit), "UBND %s",
             wards[rng_range(&r, 0, WW_ARRAY_SIZE(wards) - 1)]);
    snprintf(o->contact, sizeof(o->contact), "%s (CNTT) - 09%02u %03u %03u",
             it_staff[rng_range(&r, 0, WW_ARRAY_SIZE(it_staff) - 1)],
             (unsigned)rng_range(&r, 0, 99), (unsigned)rng_range(&r, 0, 999),
             (unsigned)rng_range(&r, 0, 999));
    o->isp = isps[rng_range(&r, 0, WW_ARRAY_SIZE(isps) - 1)];
    o->wan_mbps = rng_chance(&r, 50) ? 300 : 500;
    for (unsigned i = 0; i < DEMO_N_PCS; i++) {
        struct pc_plan *p = &o->pc[i];
        plan_pc(&r, &pc_slots[i], p);
        p->port = next_port[p->slot->sw]++;
    }
    /* every office has a few PCs that need attention: busy CPUs and full C: drives */
    for (unsigned i = 0; i < DEMO_N_PCS; i++)
        flags[i] = &o->pc[i].hot;
    pick_pcs(&r, taken, flags, 3);
    for (unsigned i = 0; i < DEMO_N_PCS; i++)
        flags[i] = &o->pc[i].full;
    pick_pcs(&r, taken, flags, 3);
    for (unsigned i = 0; i < DEMO_N_PCS; i++)
        if (o->pc[i].full)
            o->pc[i].c_pct = (unsigned)rng_range(&r, 91, 98);
    o->bad_cable_pc = (unsigned)rng_range(&r, 0, DEMO_N_PCS - 1);
    o->ap_in = rng_range(&r, 300, 1200) * KB;
    o->ap_out = rng_range(&r, 60, 250) * KB;
    o->printer_in = rng_range(&r, 2, 9) * KB;
    o->printer_out = rng_range(&r, 200, 600);
    o->ups_in = rng_range(&r, 40, 90);
    o->ups_out = rng_range(&r, 60, 140);
    o->toner_pct = (unsigned)rng_range(&r, 6, 60);
    o->drum_pct = (unsigned)rng_range(&r, 20, 90);
    rng_mac(&r, oui_mikrotik, o->mac_router);
    rng_mac(&r, oui_tplink, o->mac_sw[0]);
    rng_mac(&r, oui_cisco, o->mac_sw[1]);
    rng_mac(&r, oui_ubnt, o->mac_ap);
    rng_mac(&r, oui_eaton, o->mac_ups);
    rng_mac(&r, oui_brother, o->mac_printer);
}

/* traffic of everything on switch @sw as the devices see it (bytes/s in, out) */
static void switch_load(const struct office *o, unsigned sw, uint64_t *out_in, uint64_t *out_out)
{
    uint64_t in = 0, out = 0;

    for (unsigned i = 0; i < DEMO_N_PCS; i++) {
        if (o->pc[i].slot->sw != sw)
            continue;
        in += o->pc[i].in_rate;
        out += o->pc[i].out_rate;
    }
    if (sw == 0) {
        in += o->ap_in + o->printer_in + o->ups_in;
        out += o->ap_out + o->printer_out + o->ups_out;
    }
    *out_in = in;
    *out_out = out;
}

/* ---- the groups every device has ------------------------------------------------------- */

static void put_system(struct recset *rs, const char *descr, const char *object_id,
                       uint64_t uptime_ticks, const char *contact, const char *name,
                       const char *location, int services)
{
    put_str(rs, descr, SYS ".1.0");
    put(rs, "6", object_id, SYS ".2.0");
    put_ticks(rs, uptime_ticks, SYS ".3.0");
    put_str(rs, contact, SYS ".4.0");
    put_str(rs, name, SYS ".5.0");
    put_str(rs, location, SYS ".6.0");
    put_num(rs, "2", services, SYS ".7.0");
    put_num(rs, "67", 0, SYS ".8.0");
}

struct demo_if {
    unsigned index;
    const char *descr, *name, *alias; /* alias may be UTF-8 */
    unsigned type, mtu;
    uint64_t bps;
    const unsigned char *mac; /* NULL: none */
    int admin, oper;
    uint64_t in_rate, out_rate; /* octets/s */
    uint64_t in_err_micro;      /* input errors, millionths per second */
    unsigned avg_in, avg_out;   /* bytes per packet */
};

/* the ifTable row (and ifXTable row when @xtable) of one interface */
static void put_if(struct recset *rs, struct rng *r, const struct demo_if *f, uint64_t uptime_s,
                   bool xtable)
{
    unsigned i = f->index;
    /* what the counters have seen since boot: busy and quiet hours average out lower */
    uint64_t in0 = f->in_rate * uptime_s / 100 * rng_range(r, 25, 60);
    uint64_t out0 = f->out_rate * uptime_s / 100 * rng_range(r, 25, 60);
    unsigned avg_in = f->avg_in ? f->avg_in : 800, avg_out = f->avg_out ? f->avg_out : 400;
    uint64_t in_pkt = f->in_rate / avg_in, out_pkt = f->out_rate / avg_out;
    uint64_t last_change = f->oper == 1 ? rng_range(r, 300, 3000) : rng_range(r, 0, uptime_s * 90);

    put_num(rs, "2", i, IF_ENTRY ".1.%u", i);
    put_str(rs, f->descr, IF_ENTRY ".2.%u", i);
    put_num(rs, "2", f->type, IF_ENTRY ".3.%u", i);
    put_num(rs, "2", f->mtu, IF_ENTRY ".4.%u", i);
    put_num(rs, "66", f->bps > 4294967295ull ? 4294967295ll : (long long)f->bps, IF_ENTRY ".5.%u",
            i);
    put_bytes(rs, f->mac, f->mac ? 6 : 0, IF_ENTRY ".6.%u", i);
    put_num(rs, "2", f->admin, IF_ENTRY ".7.%u", i);
    put_num(rs, "2", f->oper, IF_ENTRY ".8.%u", i);
    put_num(rs, "67", (long long)(last_change > 0xffffffffull ? 0 : last_change), IF_ENTRY ".9.%u",
            i);
    put_counter(rs, false, in0, f->in_rate, IF_ENTRY ".10.%u", i);
    put_counter(rs, false, in0 / avg_in, in_pkt, IF_ENTRY ".11.%u", i);
    put_counter(rs, false, in0 / avg_in / 5000, 0, IF_ENTRY ".13.%u", i);
    if (f->in_err_micro)
        put_drift(rs, "65", (long long)(uptime_s * f->in_err_micro / 2000000),
                  (long long)f->in_err_micro, 0, 4294967295ll, IF_ENTRY ".14.%u", i);
    else
        put_num(rs, "65", 0, IF_ENTRY ".14.%u", i);
    put_num(rs, "65", 0, IF_ENTRY ".15.%u", i);
    put_counter(rs, false, out0, f->out_rate, IF_ENTRY ".16.%u", i);
    put_counter(rs, false, out0 / avg_out, out_pkt, IF_ENTRY ".17.%u", i);
    put_num(rs, "65", 0, IF_ENTRY ".19.%u", i);
    put_num(rs, "65", 0, IF_ENTRY ".20.%u", i);
    if (!xtable)
        return;
    put_str(rs, f->name, IFX_ENTRY ".1.%u", i);
    put_counter(rs, true, in0, f->in_rate, IFX_ENTRY ".6.%u", i);
    put_counter(rs, true, in0 / avg_in, in_pkt, IFX_ENTRY ".7.%u", i);
    put_counter(rs, true, out0, f->out_rate, IFX_ENTRY ".10.%u", i);
    put_counter(rs, true, out0 / avg_out, out_pkt, IFX_ENTRY ".11.%u", i);
    put_num(rs, "66", (long long)(f->bps / MB), IFX_ENTRY ".15.%u", i);
    put_num(rs, "2", 2, IFX_ENTRY ".16.%u", i);
    put_num(rs, "2", f->mac ? 1 : 2, IFX_ENTRY ".17.%u", i);
    put_str(rs, f->alias ? f->alias : "", IFX_ENTRY ".18.%u", i);
    put_num(rs, "67", 0, IFX_ENTRY ".19.%u", i);
}

static void put_ifs(struct recset *rs, struct rng *r, const struct demo_if *ifs, size_t n,
                    uint64_t uptime_s, bool xtable)
{
    put_num(rs, "2", (long long)n, IF_NUMBER);
    for (size_t i = 0; i < n; i++)
        put_if(rs, r, &ifs[i], uptime_s, xtable);
}

/* one hrStorage row; @grow_micro > 0: fills up while running; @wave > 0: swings by that */
static void put_storage(struct recset *rs, unsigned idx, const char *type, const char *descr,
                        long long unit, long long size, long long used, long long grow_micro,
                        long long wave)
{
    put_num(rs, "2", idx, HR_STORAGE ".1.%u", idx);
    put(rs, "6", type, HR_STORAGE ".2.%u", idx);
    put_str(rs, descr, HR_STORAGE ".3.%u", idx);
    put_num(rs, "2", unit, HR_STORAGE ".4.%u", idx);
    put_num(rs, "2", size, HR_STORAGE ".5.%u", idx);
    if (grow_micro)
        put_drift(rs, "2", used, grow_micro, 0, size, HR_STORAGE ".6.%u", idx);
    else if (wave)
        put_wave(rs, "2", used, wave, 600 + (unsigned)(idx * 97), 0, size, HR_STORAGE ".6.%u", idx);
    else
        put_num(rs, "2", used, HR_STORAGE ".6.%u", idx);
    put_num(rs, "65", 0, HR_STORAGE ".7.%u", idx);
}

static void put_hr_device(struct recset *rs, unsigned idx, const char *type, const char *descr,
                          int status)
{
    put_num(rs, "2", idx, HR_DEVICE ".1.%u", idx);
    put(rs, "6", type, HR_DEVICE ".2.%u", idx);
    put_str(rs, descr, HR_DEVICE ".3.%u", idx);
    put(rs, "6", "0.0", HR_DEVICE ".4.%u", idx);
    put_num(rs, "2", status, HR_DEVICE ".5.%u", idx);
    put_num(rs, "65", 0, HR_DEVICE ".6.%u", idx);
}

/* @n processors at hrDevice 1..n, their load around @base */
static void put_cpus(struct recset *rs, struct rng *r, const char *descr, unsigned n, unsigned base,
                     unsigned amp)
{
    for (unsigned c = 1; c <= n; c++) {
        long long b = (long long)base + (long long)rng_range(r, 0, 8) - 4;
        put_hr_device(rs, c, HR_DEV_PROCESSOR, descr, 2);
        put(rs, "6", "0.0", HR_PROCESSOR ".1.%u", c);
        put_wave(rs, "2", b < 1 ? 1 : b, amp, (unsigned)rng_range(r, 90, 400), 0, 100,
                 HR_PROCESSOR ".2.%u", c);
    }
}

/* ---- the devices ----------------------------------------------------------------------- */

struct gen_ctx {
    const struct office *o;
    struct rng r;
    struct recset rs;
    char location[256];
};

static void gen_router(struct gen_ctx *g)
{
    const struct office *o = g->o;
    struct recset *rs = &g->rs;
    uint64_t up_s = rng_range(&g->r, 12, 60) * 86400 + rng_range(&g->r, 0, 86399);
    uint64_t in1, out1, in2, out2, wan_in, wan_out, staff_in, staff_out;
    char wan_alias[96];
    unsigned pppoe_mbps = o->wan_mbps;
    unsigned char mac[5][6];

    /* RouterOS: one MAC per port, counting up from ether1; the bridge takes ether2's */
    for (unsigned i = 0; i < 5; i++) {
        memcpy(mac[i], o->mac_router, 6);
        mac[i][5] = (unsigned char)(o->mac_router[5] + i);
    }

    switch_load(o, 0, &in1, &out1);
    switch_load(o, 1, &in2, &out2);
    wan_in = in1 + in2 - o->printer_in - o->ups_in;
    wan_out = out1 + out2 - o->printer_out - o->ups_out;
    staff_in = wan_in - o->ap_in;
    staff_out = wan_out - o->ap_out;
    snprintf(wan_alias, sizeof(wan_alias), "WAN - cáp quang %s %u Mbps", o->isp, pppoe_mbps);
    const struct demo_if ifs[] = {
        {1, "ether1", "ether1", "WAN - modem quang", 6, 1500, GB, mac[0], 1, 1,
         wan_in + wan_in / 40, wan_out + wan_out / 40, 0, 1200, 500},
        {2, "ether2", "ether2", "LAN - switch tầng 1", 6, 1500, GB, mac[1], 1, 1, out1, in1, 0, 500,
         1200},
        {3, "ether3", "ether3", "LAN - switch tầng 2", 6, 1500, GB, mac[2], 1, 1, out2, in2, 0, 500,
         1200},
        {4, "ether4", "ether4", "camera (dự phòng)", 6, 1500, GB, mac[3], 1, 2, 0, 0, 0, 0, 0},
        {5, "ether5", "ether5", "", 6, 1500, GB, mac[4], 2, 2, 0, 0, 0, 0, 0},
        {6, "bridge-lan", "bridge-lan", "", 209, 1500, 0, mac[1], 1, 1, out1 + out2, in1 + in2, 0,
         500, 1200},
        {7, "pppoe-out1", "pppoe-out1", wan_alias, 23, 1480, pppoe_mbps * MB, NULL, 1, 1, wan_in,
         wan_out, 0, 1200, 500},
        {8, "vlan10-noibo", "vlan10-noibo", "Mạng nội bộ cán bộ", 135, 1500, 0, mac[1], 1, 1,
         staff_out, staff_in, 0, 500, 1200},
        {9, "vlan20-khach", "vlan20-khach", "Wi-Fi cho người dân", 135, 1500, 0, mac[1], 1, 1,
         o->ap_out, o->ap_in, 0, 500, 1200},
        {10, "vlan99-quanly", "vlan99-quanly", "Quản lý thiết bị", 135, 1500, 0, mac[1], 1, 1,
         o->printer_out + o->ups_out, o->printer_in + o->ups_in, 0, 300, 300},
    };

    snprintf(g->location, sizeof(g->location), "%s - tủ mạng tầng 1", o->unit);
    put_system(rs, "RouterOS RB750Gr3", "1.3.6.1.4.1.14988.1", up_s * 100, o->contact,
               "ROUTER-UBND", g->location, 78);
    put_ifs(rs, &g->r, ifs, WW_ARRAY_SIZE(ifs), up_s, true);
    /* RouterOS fills a little of HOST-RESOURCES: memory, flash, the four CPU threads */
    put_ticks(rs, up_s * 100, HR_SYSTEM ".1.0");
    put_num(rs, "2", 262144, HR_MEMSIZE);
    put_storage(rs, 65536, HR_TYPE_RAM, "main memory", 1024, 262144,
                (long long)rng_range(&g->r, 70000, 120000), 0, 6000);
    put_storage(rs, 131072, HR_TYPE_DISK, "system disk", 1024, 16384,
                (long long)rng_range(&g->r, 5000, 9000), 0, 0);
    put_cpus(rs, &g->r, "MT7621", 4, (unsigned)rng_range(&g->r, 8, 30), 6);
}

static void gen_switch(struct gen_ctx *g, unsigned sw)
{
    const struct office *o = g->o;
    struct recset *rs = &g->rs;
    unsigned nports = sw == 0 ? SW24_PORTS : SW48_PORTS;
    unsigned uplink = sw == 0 ? SW24_UPLINK : SW48_UPLINK;
    uint64_t up_s = rng_range(&g->r, 40, 400) * 86400 + rng_range(&g->r, 0, 86399);
    uint64_t load_in, load_out;
    struct demo_if ifs[SW48_PORTS + 1];
    char descr[SW48_PORTS][48], name[SW48_PORTS][24];
    size_t n = 0;

    switch_load(o, sw, &load_in, &load_out);
    snprintf(g->location, sizeof(g->location), "%s - tủ mạng tầng %u", o->unit, sw + 1);
    if (sw == 0)
        put_system(rs, "JetStream 24-Port Gigabit L2+ Managed Switch with 4 SFP Slots",
                   "1.3.6.1.4.1.11863.5.42", up_s * 100, o->contact, "SW-TANG1-24P", g->location,
                   2);
    else
        put_system(rs,
                   "Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version "
                   "15.2(7)E8, RELEASE SOFTWARE (fc2)\r\nTechnical Support: "
                   "http://www.cisco.com/techsupport\r\nCopyright (c) 1986-2023 by Cisco "
                   "Systems, Inc.\r\nCompiled Fri 10-Mar-23 08:32 by mcpre",
                   "1.3.6.1.4.1.9.1.1208", up_s * 100, o->contact, "SW-TANG2-48P", g->location, 6);
    if (sw == 1) /* Cisco: the management SVI comes first */
        ifs[n++] = (struct demo_if){1, "Vlan1", "Vl1", "",  53, 1500, GB, o->mac_sw[1],
                                    1, 1,       200,   300, 0,  120,  200};
    for (unsigned p = 1; p <= nports; p++) {
        struct demo_if f = {0};
        bool sfp = p > nports - 4;

        if (sw == 0) {
            snprintf(descr[p - 1], sizeof(descr[0]), "gigabitEthernet 1/0/%u : %s", p,
                     sfp ? "fiber" : "copper");
            snprintf(name[p - 1], sizeof(name[0]), "gi1/0/%u", p);
            f.index = 49152 + p;
        } else {
            snprintf(descr[p - 1], sizeof(descr[0]), "GigabitEthernet1/0/%u", p);
            snprintf(name[p - 1], sizeof(name[0]), "Gi1/0/%u", p);
            f.index = 10100 + p;
        }
        f.descr = descr[p - 1];
        f.name = name[p - 1];
        f.alias = "";
        f.type = 6;
        f.mtu = 1500;
        f.bps = GB;
        f.mac = o->mac_sw[sw];
        f.admin = 1;
        f.oper = 2;
        /* switch ports see the device's traffic mirrored: what the PC sends comes in */
        for (unsigned i = 0; i < DEMO_N_PCS; i++) {
            const struct pc_plan *pc = &o->pc[i];
            if (pc->slot->sw != sw || pc->port != p)
                continue;
            f.alias = pc->slot->host;
            f.oper = 1;
            f.bps = pc->cpu->nic_mbps * MB;
            f.in_rate = pc->out_rate;
            f.out_rate = pc->in_rate;
            f.in_err_micro = i == o->bad_cable_pc ? 150000 : 0;
        }
        if (sw == 0 && p == 1) {
            f.alias = "AP-TANG1";
            f.oper = 1;
            f.in_rate = o->ap_out;
            f.out_rate = o->ap_in;
        } else if (sw == 0 && p == 2) {
            f.alias = "UPS-PHONGMAY";
            f.oper = 1;
            f.bps = 100 * MB;
            f.in_rate = o->ups_out;
            f.out_rate = o->ups_in;
        } else if (sw == 0 && p == 3) {
            f.alias = "MAYIN-MOTCUA";
            f.oper = 1;
            f.bps = 100 * MB;
            f.in_rate = o->printer_out;
            f.out_rate = o->printer_in;
        } else if (p == uplink) {
            f.alias = "Uplink ROUTER-UBND";
            f.oper = 1;
            f.in_rate = load_in;
            f.out_rate = load_out;
        } else if (f.oper == 2 && !sfp && rng_chance(&g->r, 12)) {
            /* an IP phone or a visitor's laptop */
            f.oper = 1;
            f.bps = 100 * MB;
            f.in_rate = rng_range(&g->r, 100, 3000);
            f.out_rate = rng_range(&g->r, 100, 6000);
        } else if (f.oper == 2 && !sfp && rng_chance(&g->r, 8)) {
            f.alias = "DISABLED";
            f.admin = 2;
        }
        if (f.oper == 2 && sw == 1)
            f.bps = 10 * MB; /* a Cisco port without link shows its lowest speed */
        ifs[n++] = f;
    }
    put_ifs(rs, &g->r, ifs, n, up_s, true);
}

static void gen_ap(struct gen_ctx *g)
{
    const struct office *o = g->o;
    struct recset *rs = &g->rs;
    uint64_t up_s = rng_range(&g->r, 3, 90) * 86400 + rng_range(&g->r, 0, 86399);
    uint64_t in = o->ap_in, out = o->ap_out;
    const struct demo_if ifs[] = {
        {1, "lo", "lo", "", 24, 65536, 0, NULL, 1, 1, 0, 0, 0, 0, 0},
        {2, "eth0", "eth0", "", 6, 1500, GB, o->mac_ap, 1, 1, in, out, 0, 1100, 400},
        {3, "wifi0", "wifi0", "2.4 GHz", 71, 2290, 0, o->mac_ap, 1, 1, out * 4 / 10, in * 4 / 10, 0,
         400, 1100},
        {4, "wifi1", "wifi1", "5 GHz", 71, 2290, 0, o->mac_ap, 1, 1, out * 6 / 10, in * 6 / 10, 0,
         400, 1100},
        {5, "ath0", "ath0", "UBND-NoiBo", 71, 1500, 0, o->mac_ap, 1, 1, out / 10, in / 10, 0, 400,
         1100},
        {6, "ath1", "ath1", "UBND-Khach (Wi-Fi miễn phí)", 71, 1500, 0, o->mac_ap, 1, 1,
         out * 9 / 10, in * 9 / 10, 0, 400, 1100},
        {7, "br0", "br0", "", 209, 1500, 0, o->mac_ap, 1, 1, in, out, 0, 1100, 400},
    };

    snprintf(g->location, sizeof(g->location), "%s - sảnh Bộ phận Một cửa, tầng 1", o->unit);
    put_system(rs, "UAP-AC-Lite 6.6.77.15402", "1.3.6.1.4.1.41112.1.6", up_s * 100, o->contact,
               "AP-TANG1", g->location, 2);
    put_ifs(rs, &g->r, ifs, WW_ARRAY_SIZE(ifs), up_s, true);
}

static void gen_ups(struct gen_ctx *g)
{
    const struct office *o = g->o;
    struct recset *rs = &g->rs;
    uint64_t up_s = rng_range(&g->r, 100, 450) * 86400 + rng_range(&g->r, 0, 86399);
    const struct demo_if ifs[] = {
        {1, "eth0", "eth0", NULL, 6, 1500, 100 * MB, o->mac_ups, 1, 1, o->ups_in, o->ups_out, 0,
         120, 200},
    };
    long long load = (long long)rng_range(&g->r, 25, 55); /* percent of 2400 W */

    snprintf(g->location, sizeof(g->location), "%s - phòng máy chủ, tầng 1", o->unit);
    put_system(rs, "Network Management Card for SANTAK C3K UPS, firmware 02.08.0004",
               "1.3.6.1.4.1.534.1", up_s * 100, o->contact, "UPS-PHONGMAY", g->location, 72);
    put_ifs(rs, &g->r, ifs, WW_ARRAY_SIZE(ifs), up_s, false);
    /* RFC 1628 UPS-MIB; table index columns are not-accessible, so absent */
    put_str(rs, "SANTAK", UPS_MIB ".1.1.0");
    put_str(rs, "C3K", UPS_MIB ".1.2.0");
    put_str(rs, "02.08.0004", UPS_MIB ".1.3.0");
    put_str(rs, "Network-MS 2.0.5", UPS_MIB ".1.4.0");
    put_str(rs, "UPS-PHONGMAY", UPS_MIB ".1.5.0");
    put_str(rs, "Router, switch, máy chủ tầng 1", UPS_MIB ".1.6.0");
    put_num(rs, "2", 2, UPS_MIB ".2.1.0"); /* upsBatteryStatus: batteryNormal */
    put_num(rs, "2", 0, UPS_MIB ".2.2.0");
    put_wave(rs, "2", 60 - load / 2, 2, 900, 0, 999, UPS_MIB ".2.3.0"); /* minutes left */
    put_num(rs, "2", 100, UPS_MIB ".2.4.0");
    put_wave(rs, "2", 818, 3, 700, 0, 1000, UPS_MIB ".2.5.0"); /* 0.1 V DC */
    put_num(rs, "2", 0, UPS_MIB ".2.6.0");
    put_wave(rs, "2", (long long)rng_range(&g->r, 27, 34), 2, 3600, 0, 80, UPS_MIB ".2.7.0");
    put_num(rs, "65", (long long)rng_range(&g->r, 3, 25), UPS_MIB ".3.1.0"); /* line bads */
    put_num(rs, "2", 1, UPS_MIB ".3.2.0");
    put_wave(rs, "2", 500, 2, 130, 0, 1000, UPS_MIB ".3.3.1.2.1"); /* 0.1 Hz */
    put_wave(rs, "2", (long long)rng_range(&g->r, 212, 226), 8, 300, 0, 300, UPS_MIB ".3.3.1.3.1");
    put_wave(rs, "2", load * 2400 / 100 * 10 / 220, 5, 240, 0, 1000, UPS_MIB ".3.3.1.4.1");
    put_wave(rs, "2", load * 2400 / 100 + 60, 60, 240, 0, 3000, UPS_MIB ".3.3.1.5.1");
    put_num(rs, "2", 3, UPS_MIB ".4.1.0"); /* upsOutputSource: normal */
    put_num(rs, "2", 500, UPS_MIB ".4.2.0");
    put_num(rs, "2", 1, UPS_MIB ".4.3.0");
    put_wave(rs, "2", 220, 1, 500, 0, 300, UPS_MIB ".4.4.1.2.1");
    put_wave(rs, "2", load * 2400 / 100 * 10 / 220, 5, 240, 0, 1000, UPS_MIB ".4.4.1.3.1");
    put_wave(rs, "2", load * 2400 / 100, 60, 240, 0, 2400, UPS_MIB ".4.4.1.4.1");
    put_wave(rs, "2", load, 3, 240, 0, 100, UPS_MIB ".4.4.1.5.1");
    put_num(rs, "66", 0, UPS_MIB ".6.1.0"); /* upsAlarmsPresent */
    put_num(rs, "2", 230, UPS_MIB ".9.1.0");
    put_num(rs, "2", 500, UPS_MIB ".9.2.0");
    put_num(rs, "2", 220, UPS_MIB ".9.3.0");
    put_num(rs, "2", 500, UPS_MIB ".9.4.0");
    put_num(rs, "2", 3000, UPS_MIB ".9.5.0");
    put_num(rs, "2", 2400, UPS_MIB ".9.6.0");
    put_num(rs, "2", 2, UPS_MIB ".9.7.0");
    put_num(rs, "2", 2, UPS_MIB ".9.8.0");
    put_num(rs, "2", 160, UPS_MIB ".9.9.0");
    put_num(rs, "2", 280, UPS_MIB ".9.10.0");
}

static void gen_printer(struct gen_ctx *g)
{
    const struct office *o = g->o;
    struct recset *rs = &g->rs;
    uint64_t up_s = rng_range(&g->r, 1, 20) * 86400 + rng_range(&g->r, 0, 86399);
    const struct demo_if ifs[] = {
        {1, "Brother NC-8800h", NULL, NULL, 6, 1500, 100 * MB, o->mac_printer, 1, 1, o->printer_in,
         o->printer_out, 0, 1400, 120},
    };
    const char *model = "Brother HL-L5100DN series";
    bool low = o->toner_pct < 15;
    unsigned char err_state = low ? 0x40 : 0x00; /* hrPrinterDetectedErrorState: lowToner */
    char serial[24];

    snprintf(g->location, sizeof(g->location), "%s - Bộ phận Một cửa, tầng 1", o->unit);
    snprintf(serial, sizeof(serial), "E7812%c%uN%06u", (char)('A' + rng_range(&g->r, 0, 25)),
             (unsigned)rng_range(&g->r, 1, 9), (unsigned)rng_range(&g->r, 0, 999999));
    put_system(rs, "Brother NC-8800h, Firmware Ver.1.12  (20.03.19),MID 8CE-K23,FID 2",
               "1.3.6.1.4.1.2435.2.3.9.1", up_s * 100, o->contact, "MAYIN-MOTCUA", g->location, 72);
    put_ifs(rs, &g->r, ifs, WW_ARRAY_SIZE(ifs), up_s, false);
    put_ticks(rs, up_s * 100, HR_SYSTEM ".1.0");
    put_num(rs, "2", 262144, HR_MEMSIZE);
    put_storage(rs, 1, HR_TYPE_RAM, "RAM", 1024, 262144, (long long)rng_range(&g->r, 90000, 150000),
                0, 0);
    put_hr_device(rs, 1, HR_DEV_PRINTER, model, low ? 3 : 2);
    put_num(rs, "2", 3, HR_PRINTER ".1.1"); /* hrPrinterStatus: idle */
    put_bytes(rs, &err_state, 1, HR_PRINTER ".2.1");
    /* Printer-MIB */
    put_str(rs, model, PRT_MIB ".5.1.1.16.1");
    put_str(rs, serial, PRT_MIB ".5.1.1.17.1");
    put_num(rs, "2", 4, PRT_MIB ".10.2.1.2.1.1"); /* electrophotographicLaser */
    put_num(rs, "2", 7, PRT_MIB ".10.2.1.3.1.1"); /* impressions */
    /* about 70 pages an hour, office hours or not */
    put_drift(rs, "65", (long long)rng_range(&g->r, 18000, 90000), 20000, 0, 4294967295ll,
              PRT_MIB ".10.2.1.4.1.1");
    for (unsigned s = 1; s <= 2; s++) {
        put_num(rs, "2", 1, PRT_MIB ".11.1.1.2.1.%u", s);
        put_num(rs, "2", s == 1 ? 1 : 0, PRT_MIB ".11.1.1.3.1.%u", s);
        put_num(rs, "2", 3, PRT_MIB ".11.1.1.4.1.%u", s);              /* supplyThatIsConsumed */
        put_num(rs, "2", s == 1 ? 3 : 9, PRT_MIB ".11.1.1.5.1.%u", s); /* toner, opc (drum) */
        put_str(rs, s == 1 ? "Toner Cartridge TN-3448" : "Drum Unit DR-3455",
                PRT_MIB ".11.1.1.6.1.%u", s);
        put_num(rs, "2", 19, PRT_MIB ".11.1.1.7.1.%u", s); /* percent */
        put_num(rs, "2", 100, PRT_MIB ".11.1.1.8.1.%u", s);
    }
    /* the toner runs down while you watch: one percent every three hours */
    put_drift(rs, "2", o->toner_pct, -93, 0, 100, PRT_MIB ".11.1.1.9.1.1");
    put_num(rs, "2", o->drum_pct, PRT_MIB ".11.1.1.9.1.2");
    put_str(rs, "black", PRT_MIB ".12.1.1.4.1.1");
}

static void gen_pc(struct gen_ctx *g, const struct pc_plan *p)
{
    const struct cpu_model *c = p->cpu;
    struct recset *rs = &g->rs;
    char descr[200], cdrive[64], ddrive[64];
    bool win7 = p->os == WIN7;
    long long mem_kb =
        (long long)p->ram_gb * 1024 * 1024 - (long long)rng_range(&g->r, 60, 400) * 1024;
    long long mem_units = mem_kb / 64, vmem_units = mem_units + mem_units / 4;
    long long c_units = (long long)(p->c_gb * GB / 4096),
              d_units = (long long)(p->d_gb * GB / 4096);
    /* a small RAM under a modern Windows lives at the edge */
    unsigned mem_pct = p->ram_gb <= 4 && !win7 ? (unsigned)rng_range(&g->r, 82, 94)
                                               : (unsigned)rng_range(&g->r, 40, 75);
    uint64_t nic_bps = c->nic_mbps * MB;
    struct demo_if ifs[3];
    size_t n = 0;

    snprintf(descr, sizeof(descr),
             "Hardware: %s Family %u Model %u Stepping %u AT/AT COMPATIBLE - Software: Windows "
             "Version %s (Build %u %s Free)",
             c->arch, c->family, c->model, c->stepping, win7 ? "6.1" : "6.3", p->build,
             c->threads > 1 ? "Multiprocessor" : "Uniprocessor");
    snprintf(g->location, sizeof(g->location), "%s - %s", g->o->unit, p->slot->place);
    /* the SNMP service started a minute after boot */
    put_system(rs, descr, "1.3.6.1.4.1.311.1.1.3.1.1", p->uptime_s * 100 - 6000, g->o->contact,
               p->slot->host, g->location, 76);

    ifs[n++] = (struct demo_if){1,
                                "Software Loopback Interface 1",
                                "loopback_0",
                                "Loopback Pseudo-Interface 1",
                                24,
                                1500,
                                1073741824,
                                NULL,
                                1,
                                1,
                                0,
                                0,
                                0,
                                0,
                                0};
    ifs[n++] = (struct demo_if){p->if_index,
                                c->nic,
                                "ethernet_32768",
                                win7 ? "Local Area Connection" : "Ethernet",
                                6,
                                1500,
                                nic_bps,
                                p->mac,
                                1,
                                1,
                                p->in_rate,
                                p->out_rate,
                                0,
                                900,
                                350};
    if (p->wifi)
        ifs[n++] = (struct demo_if){p->if_index + 1,
                                    "Intel(R) Dual Band Wireless-AC 3168",
                                    "wireless_32768",
                                    "Wi-Fi",
                                    71,
                                    1500,
                                    0,
                                    p->mac,
                                    1,
                                    2,
                                    0,
                                    0,
                                    0,
                                    0,
                                    0};
    put_ifs(rs, &g->r, ifs, n, p->uptime_s, true);

    /* HOST-RESOURCES-MIB as the Windows SNMP service fills it */
    put_ticks(rs, p->uptime_s * 100, HR_SYSTEM ".1.0");
    put(rs, "4", "", HR_SYSTEM ".4.0");
    put_num(rs, "66", 1, HR_SYSTEM ".5.0");
    put_wave(rs, "66", (long long)rng_range(&g->r, 110, 190) + (p->hot ? 60 : 0), 12, 500, 0, 1000,
             HR_SYSTEM ".6.0");
    put_num(rs, "2", 0, HR_SYSTEM ".7.0");
    put_num(rs, "2", mem_kb, HR_MEMSIZE);
    snprintf(cdrive, sizeof(cdrive), "C:\\ Label:  Serial Number %08x",
             (unsigned)(rng_next(&g->r) & 0xffffffffu));
    snprintf(ddrive, sizeof(ddrive), "D:\\ Label:DATA  Serial Number %08x",
             (unsigned)(rng_next(&g->r) & 0xffffffffu));
    /* C: grows with updates and temp files: 4-40 KB/s, noticeably on a full one */
    put_storage(rs, 1, HR_TYPE_DISK, cdrive, 4096, c_units, c_units / 100 * p->c_pct,
                (long long)rng_range(&g->r, 1, 10) * 1000000, 0);
    put_storage(rs, 2, HR_TYPE_DISK, ddrive, 4096, d_units, d_units / 100 * p->d_pct, 0, 0);
    put_storage(rs, 3, HR_TYPE_VMEM, "Virtual Memory", 65536, vmem_units,
                vmem_units / 100 * (mem_pct - 10), 0, vmem_units / 50);
    put_storage(rs, 4, HR_TYPE_RAM, "Physical Memory", 65536, mem_units, mem_units / 100 * mem_pct,
                0, mem_units / 40);
    put_cpus(rs, &g->r, c->descr, c->threads,
             p->hot ? (unsigned)rng_range(&g->r, 86, 95) : (unsigned)rng_range(&g->r, 3, 22),
             p->hot ? 5 : (unsigned)rng_range(&g->r, 2, 8));
    put_hr_device(rs, c->threads + 1, HR_DEV_NETWORK, "Software Loopback Interface 1", 2);
    put_hr_device(rs, c->threads + 2, HR_DEV_NETWORK, c->nic, 2);
}

/* ---- files ----------------------------------------------------------------------------- */

int demo_write_file(const char *dir, const char *name, const char *data, size_t len)
{
    char *path = ww_asprintf("%s/%s", dir, name);
    char *tmp = ww_asprintf("%s/.%s.XXXXXX", dir, name);
    int fd = -1, ret = -EIO;
    size_t done = 0;

    fd = mkstemp(tmp);
    if (fd < 0) {
        ret = ww_error(-errno, "demo: cannot create '%s': %s", tmp, strerror(errno));
        free(tmp);
        tmp = NULL;
        goto out;
    }
    /* snmpsimd reads the files after dropping to nobody */
    if (fchmod(fd, 0644) < 0) {
        ret = ww_error(-errno, "demo: fchmod '%s': %s", tmp, strerror(errno));
        goto out;
    }
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            ret = ww_error(-errno, "demo: write '%s': %s", tmp, strerror(errno));
            goto out;
        }
        done += (size_t)w;
    }
    if (fsync(fd) < 0) {
        ret = ww_error(-errno, "demo: fsync '%s': %s", tmp, strerror(errno));
        goto out;
    }
    if (close(fd) < 0) {
        fd = -1;
        ret = ww_error(-errno, "demo: close '%s': %s", tmp, strerror(errno));
        goto out;
    }
    fd = -1;
    if (rename(tmp, path) < 0) {
        ret = ww_error(-errno, "demo: rename '%s' to '%s': %s", tmp, path, strerror(errno));
        goto out;
    }
    free(tmp);
    tmp = NULL; /* renamed: nothing to remove */
    ret = 0;
out:
    if (fd >= 0)
        close(fd);
    if (tmp) {
        unlink(tmp);
        free(tmp);
    }
    free(path);
    return ret;
}

/* sort the records, refuse duplicates, write "<community>.snmprec" */
static int write_device(const char *dir, const char *community, struct recset *rs)
{
    struct ww_buf out;
    char name[96];
    int ret = -EIO;

    ww_buf_init(&out, DEMO_FILE_MAX);
    if (rs->err) {
        ret = rs->err;
        goto out;
    }
    qsort(rs->v, rs->n, sizeof(*rs->v), rec_cmp);
    for (size_t i = 0; i < rs->n; i++) {
        if (i && rec_cmp(&rs->v[i - 1], &rs->v[i]) == 0) {
            ret = ww_error(-EINVAL, "demo: '%s': OID written twice: %s", community, rs->v[i].line);
            goto out;
        }
        if (ww_buf_addstr(&out, rs->v[i].line) < 0) {
            ret = ww_error(-E2BIG, "demo: '%s': recording too large", community);
            goto out;
        }
    }
    snprintf(name, sizeof(name), "%s.snmprec", community);
    ret = demo_write_file(dir, name, out.data ? out.data : "", out.len);
out:
    ww_buf_release(&out);
    return ret;
}

static int set_device(struct demo_device *d, const char *name, const char *kind, const char *slug,
                      const char *base_addr, int index, int port)
{
    int n;

    ww_strlcpy(d->name, name, sizeof(d->name));
    ww_strlcpy(d->kind, kind, sizeof(d->kind));
    n = snprintf(d->community, sizeof(d->community), "demo-%s", slug);
    if (n < 0 || (size_t)n >= sizeof(d->community))
        return -EINVAL;
    for (char *s = d->community; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
    n = snprintf(d->addr, sizeof(d->addr), "%s%d", base_addr, DEMO_ADDR_FIRST + index);
    if (n < 0 || (size_t)n >= sizeof(d->addr))
        return -EINVAL;
    d->port = port;
    return 0;
}

int demo_generate(const char *dir, unsigned seed, const char *base_addr, int port,
                  struct demo_device **out_devs, size_t *out_n)
{
    struct demo_device *devs = NULL;
    struct office *o = NULL;
    struct gen_ctx g;
    struct ww_buf tsv;
    size_t n = 0;
    int ret = -EINVAL;

    memset(&g, 0, sizeof(g));
    ww_buf_init(&tsv, 64 * 1024);
    if (!dir || !*dir || !base_addr || !*base_addr || base_addr[strlen(base_addr) - 1] != '.' ||
        port < 1 || port > 65535 || !out_devs || !out_n) {
        ret = ww_error(-EINVAL, "demo: bad arguments");
        goto out;
    }
    ret = ww_mkdir_p(dir, 0755);
    if (ret < 0)
        goto out;
    o = ww_calloc(1, sizeof(*o));
    plan_office(seed, o);
    devs = ww_calloc(DEMO_N_DEVICES, sizeof(*devs));
    if (ww_buf_addstr(&tsv, "name\tkind\taddr\tport\tcommunity\n") < 0) {
        ret = -E2BIG;
        goto out;
    }

    for (n = 0; n < DEMO_N_DEVICES; n++) {
        static const struct {
            const char *name, *kind, *slug;
        } infra[] = {
            {"ROUTER-UBND", "router", "router"},     {"SW-TANG1-24P", "switch", "switch-24"},
            {"SW-TANG2-48P", "switch", "switch-48"}, {"AP-TANG1", "ap", "ap"},
            {"UPS-PHONGMAY", "ups", "ups"},          {"MAYIN-MOTCUA", "printer", "printer"},
        };
        struct demo_device *d = &devs[n];
        int idx = (int)n;

        if (n < WW_ARRAY_SIZE(infra))
            ret = set_device(d, infra[n].name, infra[n].kind, infra[n].slug, base_addr, idx, port);
        else
            ret = set_device(d, pc_slots[n - 6].host, "pc", pc_slots[n - 6].host, base_addr, idx,
                             port);
        if (ret < 0) {
            ret = ww_error(-EINVAL, "demo: base address '%s' too long", base_addr);
            goto out;
        }
        g.o = o;
        /* each device its own stream: one device's content never shifts another's */
        g.r.s = ((uint64_t)seed << 20) ^ (0x100000001b3ull * (n + 1));
        rng_next(&g.r);
        switch (n) {
        case 0:
            gen_router(&g);
            break;
        case 1:
            gen_switch(&g, 0);
            break;
        case 2:
            gen_switch(&g, 1);
            break;
        case 3:
            gen_ap(&g);
            break;
        case 4:
            gen_ups(&g);
            break;
        case 5:
            gen_printer(&g);
            break;
        default:
            gen_pc(&g, &o->pc[n - 6]);
            break;
        }
        ret = write_device(dir, d->community, &g.rs);
        rs_release(&g.rs);
        if (ret < 0)
            goto out;
        if (ww_buf_addf(&tsv, "%s\t%s\t%s\t%d\t%s\n", d->name, d->kind, d->addr, d->port,
                        d->community) < 0) {
            ret = -E2BIG;
            goto out;
        }
    }
    ret = demo_write_file(dir, "devices.tsv", tsv.data, tsv.len);
    if (ret < 0)
        goto out;
    *out_devs = devs;
    *out_n = n;
    devs = NULL;
    ret = 0;
out:
    rs_release(&g.rs);
    ww_buf_release(&tsv);
    free(devs);
    free(o);
    return ret;
}

/* ---- the register: what people typed about the office's equipment (issue 16 item 11) ---- */

/* the year each CPU was bought new in a ward office, by cpus[] index (2012..2024) */
static const unsigned cpu_bought[] = {2012, 2014, 2013, 2012, 2013, 2014,
                                      2016, 2017, 2018, 2020, 2022};
_Static_assert(WW_ARRAY_SIZE(cpu_bought) == WW_ARRAY_SIZE(cpus), "a year for each CPU");

/* the vendor of a PC from its MAC's OUI (pc_ouis[]' order), with a model series */
static const struct {
    const char *vendor, *series, *serial_prefix;
} pc_vendors[] = {
    {"Dell", "OptiPlex", "DL"},       {"HP", "ProDesk", "HP"},     {"Gigabyte", "Brix", "GB"},
    {"ASUS", "ExpertCenter D", "AS"}, {"Lenovo", "ThinkCentre M", "LN"},
};
_Static_assert(WW_ARRAY_SIZE(pc_vendors) == WW_ARRAY_SIZE(pc_ouis), "a vendor for each OUI");

/* the ward's departments (after the two-tier reform of 2025-07-01) and each PC's, by the
 * prefix of its host name; code, name, yearly budget for new equipment */
static const struct {
    const char *code, *name;
    unsigned long long budget_vnd;
} departments[] = {
    {"demo-motcua", "Bộ phận một cửa", 45000000},
    {"demo-vanphong", "Văn phòng HĐND và UBND", 30000000},
    {"demo-kinhte", "Phòng Kinh tế", 20000000},
    {"demo-vhxh", "Phòng Văn hóa - Xã hội", 15000000},
};
static const struct {
    const char *prefix;
    unsigned dept;
} dept_of[] = {
    {"PC-MOTCUA", 0},  {"PC-TUPHAP", 0},   {"PC-VANTHU", 1}, {"PC-QUANSU", 1},
    {"PC-VANPHONG", 1}, {"PC-CHUTICH", 1}, {"PC-PHOCT", 1},  {"PC-KETOAN", 2},
    {"PC-DIACHINH", 2}, {"PC-VHXH", 3},
};

static const char *const staff_names[] = {
    "Nguyễn Thị Mai", "Trần Văn Nam",   "Lê Thị Hồng",   "Phạm Minh Tuấn", "Hoàng Thị Thu",
    "Vũ Đức Anh",     "Đặng Thị Lan",   "Bùi Văn Thành", "Đỗ Thị Ngọc",    "Hồ Quang Huy",
    "Ngô Thị Phương", "Dương Văn Long", "Lý Thị Hạnh",   "Phan Thanh Sơn", "Trịnh Thị Yến",
    "Đinh Công Minh", "Mai Thị Hoa",    "Tạ Văn Khánh",  "Chu Thị Thảo",   "Lương Văn Hải",
};
_Static_assert(WW_ARRAY_SIZE(staff_names) >= DEMO_N_PCS, "a user for each PC");

/* prices the plan buys at (plan_price: an item per device kind), VND */
static const struct {
    const char *item;
    unsigned long long vnd;
} demo_prices[] = {
    {"pc", 16500000}, {"printer", 6500000}, {"ups", 4500000}, {"switch", 9000000},
    {"ap", 3200000},  {"router", 12000000},
};

static unsigned dept_index(const char *host)
{
    for (size_t i = 0; i < WW_ARRAY_SIZE(dept_of); i++)
        if (strncmp(host, dept_of[i].prefix, strlen(dept_of[i].prefix)) == 0)
            return dept_of[i].dept;
    return 1;
}

/* days since 1970-01-01 of a civil date, and back (Howard Hinnant's algorithms) */
static long long days_from_civil(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long long)doe - 719468;
}

static void civil_from_days(long long z, char out[11])
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long y = (long long)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    /* the register's years are 2012..2100: four digits */
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(y + (m <= 2)) % 10000, m % 100, d % 100);
}

/* a row of units.csv: the name quoted (RFC 4180), the rest as they are */
static void csv_name(struct ww_buf *b, const char *code, const char *name, const char *level,
                     const char *parent)
{
    ww_buf_addf(b, "%s,\"", code);
    for (const char *s = name; *s; s++)
        ww_buf_add(b, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
    ww_buf_addf(b, "\",%s,%s,2025-07-01\n", level, parent);
}

/* ---- the ward's staff and their training (issue 17) ------------------------------------------
 * staff.csv (`wardwatch staff import`), courses.tsv (`wardwatch training course add`
 * arguments, a line each) and training.csv (`wardwatch training import`): every PC's user is
 * a staff record holding it (register.tsv's holder_code), with a job role by the PC's desk.
 * The gaps they show on purpose: the first one-stop-shop officer's digital signature expired
 * two months ago; the first accountant, who holds a PC, was never trained at all (a PC needs
 * basic digital skills); two clerks' information security runs out within 30 days. */

static const char *role_of(const char *host)
{
    static const struct {
        const char *prefix, *role;
    } roles[] = {{"PC-MOTCUA", "oss_officer"}, {"PC-TUPHAP", "oss_officer"},
                 {"PC-CHUTICH", "leader"},     {"PC-PHOCT", "leader"},
                 {"PC-KETOAN", "accountant"}};
    for (size_t i = 0; i < WW_ARRAY_SIZE(roles); i++)
        if (strncmp(host, roles[i].prefix, strlen(roles[i].prefix)) == 0)
            return roles[i].role;
    return "clerk";
}

/* the demo's courses: name, provider kind, hours, the skill it grants at level 1 */
static const struct {
    const char *name, *kind;
    unsigned hours;
    const char *skill;
} demo_courses[] = {
    {"Kỹ năng số cơ bản cho cán bộ, công chức", "internal", 8, "basic_digital"},
    {"Chữ ký số và văn bản điện tử", "province_dept", 4, "digital_signature"},
    {"Phần mềm một cửa điện tử của tỉnh", "province_dept", 8, "oss_software"},
    {"Hệ thống quản lý văn bản và điều hành", "online", 4, "document_system"},
    {"An toàn thông tin cho cán bộ", "online", 4, "info_security"},
};
enum { C_BASIC, C_SIG, C_OSS, C_DOCS, C_SEC };

/* a row of training.csv: person @i took course @c on @done (days), valid until @until (days;
 * 0: the skill never expires, the cell is empty) */
static void training_row(struct ww_buf *b, unsigned i, const char *unit, unsigned c,
                         long long done, long long until, unsigned *cert)
{
    char d[11], u[11] = "";

    civil_from_days(done, d);
    if (until)
        civil_from_days(until, u);
    ww_buf_addf(b, "NV-%02u,\"%s\",%s,\"%s\",,%s,passed,,GCN-%s-%03u,%s,\n", i + 1,
                staff_names[i], unit, demo_courses[c].name, d, d, ++*cert, u);
}

static void demo_staff(const struct office *o, unsigned oldest, long long today,
                       struct ww_buf *staff, struct ww_buf *courses, struct ww_buf *training)
{
    bool first_oss = true, first_acct = true;
    unsigned clerks = 0, cert = 0;

    ww_buf_addstr(staff, "staff_code,full_name,unit,role_code,start_day,active\n");
    ww_buf_addstr(training, "staff_code,full_name,unit,course,session,completed_on,result,score,"
                            "certificate_no,valid_until,evidence\n");
    for (size_t k = 0; k < WW_ARRAY_SIZE(demo_courses); k++)
        ww_buf_addf(courses, "--name\t%s\t--provider-kind\t%s\t--hours\t%u\t--skill\t%s=1\n",
                    demo_courses[k].name, demo_courses[k].kind, demo_courses[k].hours,
                    demo_courses[k].skill);
    for (unsigned i = 0; i < DEMO_N_PCS; i++) {
        const char *host = o->pc[i].slot->host, *role = role_of(host);
        const char *unit = departments[dept_index(host)].code;
        char start[11];

        civil_from_days(today - 365 * (2 + i % 9) - 31 * i, start);
        ww_buf_addf(staff, "NV-%02u,\"%s\",%s,%s,%s,1\n", i + 1, staff_names[i], unit, role,
                    start);
        if (i == oldest)
            continue; /* no PC of their own: the one waiting for disposal was theirs */
        if (strcmp(role, "accountant") == 0 && first_acct) {
            first_acct = false; /* never trained */
            continue;
        }
        training_row(training, i, unit, C_BASIC, today - 400 - 7 * i, 0, &cert);
        if (strcmp(role, "oss_officer") == 0) {
            long long sig = first_oss ? today - 790 : today - 200 - i;
            training_row(training, i, unit, C_SIG, sig, sig + 730, &cert);
            training_row(training, i, unit, C_OSS, today - 300 - i, today - 300 - i + 730, &cert);
            first_oss = false;
        } else if (strcmp(role, "leader") == 0) {
            training_row(training, i, unit, C_SIG, today - 150 - i, today - 150 - i + 730, &cert);
            training_row(training, i, unit, C_DOCS, today - 500, 0, &cert);
        } else if (strcmp(role, "clerk") == 0) {
            long long sec = clerks < 2 ? today - 340 : today - 100 - i;
            training_row(training, i, unit, C_DOCS, today - 450 - i, 0, &cert);
            training_row(training, i, unit, C_SEC, sec, sec + 365, &cert);
            clerks++;
        }
    }
}

int demo_register(const char *dir, unsigned seed, int year, unsigned month, unsigned day)
{
    struct rng r = {.s = 0x72656769ull << 32 | seed}; /* "regi": not the recordings' stream */
    long long today = days_from_civil(year, month, day);
    unsigned oldest = 0, repair, bought[DEMO_N_PCS], newest[2] = {0, 0};
    struct ww_buf tsv, csv, plan, staff, courses, training;
    struct office *o;
    int ret = -E2BIG;

    if (!dir || month < 1 || month > 12 || day < 1 || day > 31)
        return ww_error(-EINVAL, "demo: register: bad arguments");
    o = ww_calloc(1, sizeof(*o));
    plan_office(seed, o);
    ww_buf_init(&tsv, 64 * 1024);
    ww_buf_init(&csv, 16 * 1024);
    ww_buf_init(&plan, 16 * 1024);
    ww_buf_init(&staff, 16 * 1024);
    ww_buf_init(&courses, 4 * 1024);
    ww_buf_init(&training, 32 * 1024);
    /* the oldest PC waits for disposal (switched off), one other is in repair */
    for (unsigned i = 1; i < DEMO_N_PCS; i++)
        if (cpu_bought[o->pc[i].cpu - cpus] < cpu_bought[o->pc[oldest].cpu - cpus])
            oldest = i;
    repair = (oldest + 1 + (unsigned)rng_range(&r, 0, DEMO_N_PCS - 2)) % DEMO_N_PCS;
    /* holder_code (the user's staff record) and assigned_to last: empty for nobody, and a
     * shell's read keeps an empty last field */
    if (ww_buf_addstr(&tsv, "name\tunit\tvendor\tmodel\tserial\tasset_tag\tpurchase_date\t"
                            "cost_vnd\twarranty_end\tstatus\tfunding_source\tholder_code\t"
                            "assigned_to\n") < 0)
        goto out;
    /* the year each PC was bought; the two newest were bought so that their 3-year
     * warranty ends within the next three months */
    for (unsigned i = 0; i < DEMO_N_PCS; i++) {
        bought[i] = cpu_bought[o->pc[i].cpu - cpus] + (unsigned)rng_range(&r, 0, 1);
        if (bought[i] > (unsigned)year)
            bought[i] = (unsigned)year;
        if (bought[i] > bought[newest[0]] || (bought[i] == bought[newest[0]] && !i))
            newest[1] = newest[0], newest[0] = i;
        else if (i && (bought[i] > bought[newest[1]] || newest[1] == newest[0]))
            newest[1] = i;
    }
    for (unsigned i = 0; i < DEMO_N_PCS; i++) {
        const struct pc_plan *p = &o->pc[i];
        size_t v = 0;
        long long day0;
        char purchase[11], warranty[11];
        unsigned long long cost;
        const char *status = "in_use";
        char holder[16] = "";
        bool leader = strncmp(p->slot->host, "PC-CHUTICH", 10) == 0 ||
                      strncmp(p->slot->host, "PC-PHOCT", 8) == 0;

        while (v + 1 < WW_ARRAY_SIZE(pc_ouis) && memcmp(p->mac, pc_ouis[v], 3) != 0)
            v++;
        day0 = days_from_civil((int)bought[i], (unsigned)rng_range(&r, 1, 12),
                               (unsigned)rng_range(&r, 1, 28));
        if (i == newest[0] || i == newest[1])
            day0 = today - 3 * 365 + (long long)rng_range(&r, 10, 85);
        if (day0 > today)
            day0 = today - 30;
        civil_from_days(day0, purchase);
        civil_from_days(day0 + 3 * 365, warranty);
        cost = (8000000 + rng_range(&r, 0, 90) * 100000 + (bought[i] - 2012) * 400000 +
                (leader ? 5000000 : 0));
        if (cost > 25000000)
            cost = 25000000;
        if (i != oldest)
            snprintf(holder, sizeof(holder), "NV-%02u", (i + 1) % 100);
        if (i == oldest)
            status = "to_dispose";
        else if (i == repair)
            status = "in_repair";
        /* the tag and the funding carry the year it was bought */
        if (ww_buf_addf(&tsv,
                        "%s\t%s\t%s\t%s %u\t%s%.4s%06u\tUB-%.4s-PC%02u\t%s\t%llu\t%s\t%s\t%s"
                        " %.4s\t%s\t%s\n",
                        p->slot->host, departments[dept_index(p->slot->host)].code,
                        pc_vendors[v].vendor, pc_vendors[v].series,
                        3000 + (bought[i] - 2010) * 10, pc_vendors[v].serial_prefix, purchase,
                        (unsigned)rng_range(&r, 0, 999999), purchase, i + 1, purchase, cost,
                        warranty, status, "Ngân sách phường", purchase, holder,
                        i == oldest ? "" : staff_names[i]) < 0)
            goto out;
    }
    /* the units (units.csv, for `wardwatch unit import`) and the plan's inputs (plan.tsv: a
     * line of `wardwatch plan` arguments each, tab-separated): demo.sh loads them through the
     * CLI, the audited path; each PC's unit is in register.tsv, the others' is the ward */
    ww_buf_addstr(&csv, "code,name,level,parent_code,valid_from\n");
    csv_name(&csv, "demo", o->unit, "ward", "");
    for (size_t k = 0; k < WW_ARRAY_SIZE(departments); k++)
        csv_name(&csv, departments[k].code, departments[k].name, "department", "demo");
    ww_buf_addstr(&plan, "# written by wardwatch demo-gen: `wardwatch plan` arguments, a line"
                         " each, tab-separated\nprice");
    for (size_t k = 0; k < WW_ARRAY_SIZE(demo_prices); k++)
        ww_buf_addf(&plan, "\t%s\t%llu", demo_prices[k].item, demo_prices[k].vnd);
    ww_buf_addstr(&plan, "\n");
    for (size_t k = 0; k < WW_ARRAY_SIZE(departments); k++) {
        ww_buf_addf(&plan, "budget\t%s", departments[k].code);
        for (int y = year; y < year + 5; y++)
            ww_buf_addf(&plan, "\t%d\t%llu", y, departments[k].budget_vnd);
        if (ww_buf_addstr(&plan, "\n") < 0)
            goto out;
    }
    ret = demo_write_file(dir, "register.tsv", tsv.data, tsv.len);
    if (ret == 0)
        ret = demo_write_file(dir, "units.csv", csv.data, csv.len);
    if (ret == 0)
        ret = demo_write_file(dir, "plan.tsv", plan.data, plan.len);
    if (ret == 0) {
        demo_staff(o, oldest, today, &staff, &courses, &training);
        ret = demo_write_file(dir, "staff.csv", staff.data, staff.len);
    }
    if (ret == 0)
        ret = demo_write_file(dir, "courses.tsv", courses.data, courses.len);
    if (ret == 0)
        ret = demo_write_file(dir, "training.csv", training.data, training.len);
out:
    if (ret == -E2BIG)
        ww_error(ret, "demo: register too large");
    ww_buf_release(&tsv);
    ww_buf_release(&csv);
    ww_buf_release(&plan);
    ww_buf_release(&staff);
    ww_buf_release(&courses);
    ww_buf_release(&training);
    free(o);
    return ret;
}

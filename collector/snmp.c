/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * snmp.c - the asynchronous SNMP engine: many devices in flight at once on net-snmp's
 * single-session API, one state machine per device: the system group in one GET, then each
 * table walked with multi-column GETBULK (GETNEXT for v1).
 *
 * DESIGN
 * coll_poll_all() runs on one thread. It keeps up to @window devices open at once, each with
 * its own net-snmp session (its own UDP socket), and waits for all their sockets with
 * poll(). An answer runs on_answer() through snmp_sess_read2(), which sends the device's
 * next request or marks it finished; snmp_sess_timeout() drives net-snmp's retries; a
 * device past its deadline is cut off. Finished sessions are closed by the loop, never
 * inside their own callback. A slow or dead device holds one window slot until its
 * timeout and never delays another.
 * A walk stops at the end of its columns, at an OID that does not increase (broken agents
 * loop), at the per-device value cap and at the deadline; tooBig halves the repetitions.
 * Every string from the device is cut to COLL_STR_MAX and sanitized to UTF-8.
 */
#include "collector/collector.h"
#include "collector/collector_int.h"

#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/large_fd_set.h>

#include "common/banned.h"

#define BULK_BUDGET 48 /* varbinds asked for per GETBULK: rows x columns */
#define MAX_COLS 16

void coll_snmp_init(void)
{
    /* no MIB files (we use numeric OIDs) and no state written under /var/lib/net-snmp */
    setenv("MIBS", "", 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
    netsnmp_disable_this_loghandler(NULL);
    init_snmp("wardwatch");
}

void coll_snmp_shutdown(void)
{
    snmp_shutdown("wardwatch");
}

static void set_error(struct coll_result *r, const char *fmt, ...) WW_PRINTF(2, 3);
static void set_error(struct coll_result *r, const char *fmt, ...)
{
    va_list ap;
    if (r->error[0])
        return;
    va_start(ap, fmt);
    vsnprintf(r->error, sizeof(r->error), fmt, ap);
    va_end(ap);
}

/* a heap copy of an OCTET STRING value: cut, sanitized */
static char *value_text(const netsnmp_variable_list *v)
{
    size_t n;
    if (v->type != ASN_OCTET_STR || !v->val.string)
        return NULL;
    n = v->val_len < COLL_STR_MAX ? v->val_len : COLL_STR_MAX;
    return ww_utf8_sanitize((const char *)v->val.string, n);
}

static char *value_oid(const netsnmp_variable_list *v)
{
    struct ww_buf b;
    if (v->type != ASN_OBJECT_ID || !v->val.objid)
        return NULL;
    ww_buf_init(&b, 1024);
    for (size_t i = 0; i < v->val_len / sizeof(oid); i++)
        if (ww_buf_addf(&b, "%s%lu", i ? "." : "", (unsigned long)v->val.objid[i]) < 0)
            break;
    return ww_buf_detach(&b);
}

/* numbers: true when @v holds one; Counter64 as a whole 64-bit value */
static bool value_u64(const netsnmp_variable_list *v, uint64_t *out)
{
    switch (v->type) {
    case ASN_COUNTER64:
        *out = ((uint64_t)v->val.counter64->high << 32) | (uint64_t)v->val.counter64->low;
        return true;
    case ASN_COUNTER:
    case ASN_GAUGE:
    case ASN_TIMETICKS:
        *out = (uint64_t)(uint32_t)*v->val.integer;
        return true;
    case ASN_INTEGER:
        if (*v->val.integer < 0)
            return false;
        *out = (uint64_t)*v->val.integer;
        return true;
    default:
        return false;
    }
}

static bool is_exception(const netsnmp_variable_list *v)
{
    return v->type == SNMP_NOSUCHOBJECT || v->type == SNMP_NOSUCHINSTANCE ||
           v->type == SNMP_ENDOFMIBVIEW || v->type == ASN_NULL;
}

/* the scalars asked for in the first GET: system group, then whatever profile answers */
enum scalar_kind { SC_DESCR, SC_OBJECTID, SC_UPTIME, SC_CONTACT, SC_NAME, SC_LOCATION,
                   SC_HR_MEM, SC_UCD_TOTAL, SC_UCD_AVAIL, SC_UCD_BUFFER, SC_UCD_CACHED,
                   SC_UPS_BATTERY, SC_UPS_MINUTES, SC_UPS_CHARGE, SC_UPS_OUTPUT,
                   SC_IF_NUMBER, SC_IF_LAST_CHANGE };

struct scalar {
    oid name[14];
    size_t len;
    enum scalar_kind kind;
};

#define SYSG(n, k) {{1, 3, 6, 1, 2, 1, 1, n, 0}, 9, k}
static const struct scalar scalars[] = {
    SYSG(1, SC_DESCR), SYSG(2, SC_OBJECTID), SYSG(3, SC_UPTIME), SYSG(4, SC_CONTACT),
    SYSG(5, SC_NAME),  SYSG(6, SC_LOCATION),
    {{1, 3, 6, 1, 2, 1, 25, 2, 2, 0}, 10, SC_HR_MEM},            /* hrMemorySize */
    {{1, 3, 6, 1, 4, 1, 2021, 4, 5, 0}, 10, SC_UCD_TOTAL},       /* memTotalReal */
    {{1, 3, 6, 1, 4, 1, 2021, 4, 6, 0}, 10, SC_UCD_AVAIL},       /* memAvailReal */
    {{1, 3, 6, 1, 4, 1, 2021, 4, 14, 0}, 10, SC_UCD_BUFFER},     /* memBuffer */
    {{1, 3, 6, 1, 4, 1, 2021, 4, 15, 0}, 10, SC_UCD_CACHED},     /* memCached */
    {{1, 3, 6, 1, 2, 1, 33, 1, 2, 1, 0}, 11, SC_UPS_BATTERY},    /* upsBatteryStatus */
    {{1, 3, 6, 1, 2, 1, 33, 1, 2, 3, 0}, 11, SC_UPS_MINUTES},    /* upsEstimatedMinutes.. */
    {{1, 3, 6, 1, 2, 1, 33, 1, 2, 4, 0}, 11, SC_UPS_CHARGE},     /* upsEstimatedCharge.. */
    {{1, 3, 6, 1, 2, 1, 33, 1, 4, 1, 0}, 11, SC_UPS_OUTPUT},     /* upsOutputSource */
    {{1, 3, 6, 1, 2, 1, 2, 1, 0}, 9, SC_IF_NUMBER},              /* ifNumber */
    {{1, 3, 6, 1, 2, 1, 31, 1, 5, 0}, 10, SC_IF_LAST_CHANGE},    /* ifTableLastChange */
};
#define SYS_COUNT 6 /* the first six: an agent that has none of them is not polled further */

static long long value_ll(const netsnmp_variable_list *v)
{
    uint64_t u;
    if (v->type == ASN_INTEGER)
        return *v->val.integer;
    return value_u64(v, &u) && u <= (uint64_t)LLONG_MAX ? (long long)u : -1;
}

/* returns true when @v was one of the system group */
static bool take_scalar(struct coll_result *r, const netsnmp_variable_list *v)
{
    const struct scalar *sc = NULL;
    uint64_t u;

    for (size_t i = 0; i < WW_ARRAY_SIZE(scalars); i++)
        if (snmp_oid_compare(v->name, v->name_length, scalars[i].name, scalars[i].len) == 0)
            sc = &scalars[i];
    if (!sc || is_exception(v))
        return false;
    r->n_values++;
    switch (sc->kind) {
    case SC_DESCR: free(r->sys_descr); r->sys_descr = value_text(v); break;
    case SC_OBJECTID: free(r->sys_object_id); r->sys_object_id = value_oid(v); break;
    case SC_UPTIME:
        if (v->type == ASN_TIMETICKS && value_u64(v, &u))
            r->uptime_ticks = (long long)u;
        break;
    case SC_CONTACT: free(r->sys_contact); r->sys_contact = value_text(v); break;
    case SC_NAME: free(r->sys_name); r->sys_name = value_text(v); break;
    case SC_LOCATION: free(r->sys_location); r->sys_location = value_text(v); break;
    case SC_HR_MEM: r->hr_memory_kb = value_ll(v); break;
    case SC_UCD_TOTAL: r->ucd_total_kb = value_ll(v); break;
    case SC_UCD_AVAIL: r->ucd_avail_kb = value_ll(v); break;
    case SC_UCD_BUFFER: r->ucd_buffer_kb = value_ll(v); break;
    case SC_UCD_CACHED: r->ucd_cached_kb = value_ll(v); break;
    case SC_UPS_BATTERY: r->ups_battery_status = value_ll(v); break;
    case SC_UPS_MINUTES: r->ups_minutes = value_ll(v); break;
    case SC_UPS_CHARGE: r->ups_charge = value_ll(v); break;
    case SC_UPS_OUTPUT: r->ups_output_source = value_ll(v); break;
    case SC_IF_NUMBER: r->if_number = value_ll(v); break;
    case SC_IF_LAST_CHANGE: r->if_last_change = value_ll(v); break;
    }
    return sc->kind <= SC_LOCATION;
}

/* ---- interfaces ------------------------------------------------------------------------- */

/* find or insert the row with @index in a sorted array of rows whose first member is
 * "long long index"; new rows are zeroed */
static void *row_find(void **arr, size_t *n, size_t *cap, size_t elem, long long index)
{
    char *base = *arr;
    size_t lo = 0, hi = *n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        long long k;
        memcpy(&k, base + mid * elem, sizeof(k));
        if (k == index)
            return base + mid * elem;
        if (k < index)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        base = ww_reallocarray(base, *cap, elem);
        *arr = base;
    }
    memmove(base + (lo + 1) * elem, base + lo * elem, (*n - lo) * elem);
    memset(base + lo * elem, 0, elem);
    memcpy(base + lo * elem, &index, sizeof(index));
    (*n)++;
    return base + lo * elem;
}

enum col_kind { C_DESCR, C_TYPE, C_SPEED, C_ADMIN, C_OPER, C_IN32, C_INERR, C_OUT32, C_OUTERR,
                C_NAME, C_INHC, C_OUTHC, C_HIGHSPEED, C_ALIAS,
                C_ST_TYPE, C_ST_DESCR, C_ST_UNITS, C_ST_SIZE, C_ST_USED,
                C_DEV_TYPE, C_DEV_DESCR, C_PROC_LOAD,
                C_SUP_DESCR, C_SUP_MAX, C_SUP_LEVEL,
                C_LLDP_CHASSIS, C_LLDP_PORT_ID, C_LLDP_PORT_DESC, C_LLDP_SYSNAME,
                C_CDP_ADDR, C_CDP_DEVICE, C_CDP_PORT };

struct column {
    oid base[16];
    size_t len;
    enum col_kind kind;
};

#define IFT(col, kind) {{1, 3, 6, 1, 2, 1, 2, 2, 1, col}, 10, kind}
#define IFX(col, kind) {{1, 3, 6, 1, 2, 1, 31, 1, 1, 1, col}, 11, kind}

static const struct column if_columns[] = {
    IFT(2, C_DESCR),       IFT(3, C_TYPE),   IFT(5, C_SPEED),   IFT(7, C_ADMIN),
    IFT(8, C_OPER),        IFT(10, C_IN32),  IFT(14, C_INERR),  IFT(16, C_OUT32),
    IFT(20, C_OUTERR),     IFX(1, C_NAME),   IFX(6, C_INHC),    IFX(10, C_OUTHC),
    IFX(15, C_HIGHSPEED),  IFX(18, C_ALIAS),
};

#define HRS(col, kind) {{1, 3, 6, 1, 2, 1, 25, 2, 3, 1, col}, 11, kind}
#define HRD(col, kind) {{1, 3, 6, 1, 2, 1, 25, 3, 2, 1, col}, 11, kind}
#define PRS(col, kind) {{1, 3, 6, 1, 2, 1, 43, 11, 1, 1, col}, 11, kind}
static const struct column hr_columns[] = {
    HRS(2, C_ST_TYPE), HRS(3, C_ST_DESCR), HRS(4, C_ST_UNITS), HRS(5, C_ST_SIZE),
    HRS(6, C_ST_USED),
    HRD(2, C_DEV_TYPE), HRD(3, C_DEV_DESCR),
    {{1, 3, 6, 1, 2, 1, 25, 3, 3, 1, 2}, 11, C_PROC_LOAD}, /* hrProcessorLoad */
    PRS(6, C_SUP_DESCR), PRS(8, C_SUP_MAX), PRS(9, C_SUP_LEVEL),
};

/* LLDP-MIB lldpRemTable (index timeMark.localPortNum.remIndex) and CISCO-CDP-MIB
 * cdpCacheTable (index ifIndex.deviceIndex): walked only when the target asks for them */
#define LLDP(col, kind) {{1, 0, 8802, 1, 1, 2, 1, 4, 1, 1, col}, 11, kind}
#define CDP(col, kind) {{1, 3, 6, 1, 4, 1, 9, 9, 23, 1, 2, 1, 1, col}, 14, kind}
static const struct column nb_columns[] = {
    LLDP(5, C_LLDP_CHASSIS), LLDP(7, C_LLDP_PORT_ID), LLDP(8, C_LLDP_PORT_DESC),
    LLDP(9, C_LLDP_SYSNAME), CDP(4, C_CDP_ADDR), CDP(6, C_CDP_DEVICE), CDP(7, C_CDP_PORT),
};

static bool row_exists_nb(const struct coll_result *r, bool lldp, long long port, long long idx)
{
    long long key = ((lldp ? 0LL : 1LL) << 40) + port * 100000 + idx;
    for (size_t i = 0; i < r->n_neighbors; i++)
        if (r->neighbors[i].index == key)
            return true;
    return false;
}

/* a neighbour identifier: printable text as it is, anything else (a MAC address) as hex */
static char *value_ident(const netsnmp_variable_list *v)
{
    struct ww_buf b;
    bool printable = true;
    size_t n;

    if (v->type != ASN_OCTET_STR || !v->val.string)
        return NULL;
    n = v->val_len < 256 ? v->val_len : 256;
    for (size_t i = 0; i < n; i++)
        if (v->val.string[i] < 0x20 || v->val.string[i] > 0x7e)
            printable = false;
    if (printable)
        return ww_strndup((const char *)v->val.string, n);
    ww_buf_init(&b, 1024);
    for (size_t i = 0; i < n; i++)
        ww_buf_addf(&b, "%s%02x", i ? ":" : "", v->val.string[i]);
    return ww_buf_detach(&b);
}

static void take_neighbor(struct coll_result *r, enum col_kind kind, const oid *suffix,
                          size_t slen, const netsnmp_variable_list *v)
{
    bool lldp = kind <= C_LLDP_SYSNAME;
    struct coll_neighbor *nb;
    long long port, idx;
    char **slot = NULL;

    if (slen < (lldp ? 3u : 2u))
        return;
    port = (long long)(lldp ? suffix[1] : suffix[0]) % 1000000;
    idx = (long long)(lldp ? suffix[2] : suffix[1]) % 100000;
    if (r->n_neighbors >= COLL_NEIGHBORS_MAX && !row_exists_nb(r, lldp, port, idx))
        return;
    nb = row_find((void **)&r->neighbors, &r->n_neighbors, &r->cap_neighbors, sizeof(*nb),
                  ((lldp ? 0LL : 1LL) << 40) + port * 100000 + idx);
    nb->cdp = !lldp;
    nb->local_port = port;
    switch (kind) {
    case C_LLDP_CHASSIS: slot = &nb->chassis; break;
    case C_LLDP_PORT_ID: slot = &nb->port_id; break;
    case C_LLDP_PORT_DESC: slot = &nb->port_descr; break;
    case C_LLDP_SYSNAME: slot = &nb->sys_name; break;
    case C_CDP_DEVICE: slot = &nb->sys_name; break;
    case C_CDP_PORT: slot = &nb->port_id; break;
    case C_CDP_ADDR:
        /* cdpCacheAddress: 4 bytes for IPv4 (the usual cdpCacheAddressType 1) */
        if (v->type == ASN_OCTET_STR && v->val_len == 4) {
            free(nb->addr);
            nb->addr = ww_asprintf("%u.%u.%u.%u", v->val.string[0], v->val.string[1],
                                   v->val.string[2], v->val.string[3]);
        }
        return;
    default: return;
    }
    free(*slot);
    *slot = kind == C_LLDP_CHASSIS || kind == C_LLDP_PORT_ID ? value_ident(v) : value_text(v);
}

static void take_if(struct coll_if *f, enum col_kind kind, const netsnmp_variable_list *v)
{
    uint64_t u = 0;
    bool num = value_u64(v, &u);

    switch (kind) {
    case C_DESCR:
        free(f->descr);
        f->descr = value_text(v);
        break;
    case C_NAME:
        free(f->name);
        f->name = value_text(v);
        break;
    case C_ALIAS:
        free(f->alias);
        f->alias = value_text(v);
        break;
    case C_TYPE:
        f->type = num ? (long long)u : 0;
        break;
    case C_SPEED:
        f->speed = num ? u : 0;
        break;
    case C_HIGHSPEED:
        f->high_speed = num ? u : 0;
        break;
    case C_ADMIN:
        f->admin = num ? (long long)u : 0;
        break;
    case C_OPER:
        f->oper = num ? (long long)u : 0;
        break;
    case C_IN32:
        f->in32 = u, f->has_in32 = num && v->type == ASN_COUNTER;
        break;
    case C_OUT32:
        f->out32 = u, f->has_out32 = num && v->type == ASN_COUNTER;
        break;
    case C_INHC:
        f->in_hc = u, f->has_in_hc = num && v->type == ASN_COUNTER64;
        break;
    case C_OUTHC:
        f->out_hc = u, f->has_out_hc = num && v->type == ASN_COUNTER64;
        break;
    case C_INERR:
        f->in_err = u, f->has_in_err = num;
        break;
    case C_OUTERR:
        f->out_err = u, f->has_out_err = num;
        break;
    default:
        break;
    }
}


static long long last_subid(const netsnmp_variable_list *v)
{
    if (v->type != ASN_OBJECT_ID || v->val_len < sizeof(oid))
        return 0;
    return (long long)v->val.objid[v->val_len / sizeof(oid) - 1];
}

/* one table cell into the result; @suffix/@slen: the index sub-ids after the column */
static void take_cell(struct coll_result *r, enum col_kind kind, const oid *suffix, size_t slen,
                      const netsnmp_variable_list *v)
{
    long long idx = (long long)suffix[0];
    struct coll_storage *st;
    struct coll_hrdev *hd;
    struct coll_supply *sp;
    uint64_t u = 0;

    if (kind >= C_LLDP_CHASSIS) {
        take_neighbor(r, kind, suffix, slen, v);
        return;
    }
    if (kind <= C_ALIAS) {
        take_if(row_find((void **)&r->ifs, &r->n_ifs, &r->cap_ifs, sizeof(*r->ifs), idx), kind,
                v);
        return;
    }
    if (kind <= C_ST_USED) {
        st = row_find((void **)&r->storage, &r->n_storage, &r->cap_storage, sizeof(*st), idx);
        switch (kind) {
        case C_ST_TYPE: st->type = last_subid(v); break;
        case C_ST_DESCR: free(st->descr); st->descr = value_text(v); break;
        case C_ST_UNITS: st->units = value_u64(v, &u) ? u : 0; break;
        case C_ST_SIZE: st->size = value_u64(v, &u) ? u : 0; break;
        default: st->has_used = value_u64(v, &u); st->used = st->has_used ? u : 0; break;
        }
        return;
    }
    if (kind <= C_PROC_LOAD) {
        hd = row_find((void **)&r->hrdev, &r->n_hrdev, &r->cap_hrdev, sizeof(*hd), idx);
        if (kind == C_DEV_TYPE)
            hd->type = last_subid(v);
        else if (kind == C_DEV_DESCR) {
            free(hd->descr);
            hd->descr = value_text(v);
        } else {
            hd->load = value_ll(v);
            hd->has_load = v->type == ASN_INTEGER;
            if (!hd->type)
                hd->type = 3; /* a load row is a processor even without hrDeviceTable */
        }
        return;
    }
    /* printer supplies have two index sub-ids: hrDeviceIndex.prtMarkerSuppliesIndex */
    if (slen >= 2)
        idx = idx * 100000 + (long long)(suffix[1] % 100000);
    sp = row_find((void **)&r->supplies, &r->n_supplies, &r->cap_supplies, sizeof(*sp), idx);
    sp->nsfx = slen >= 2 ? 2 : 1;
    sp->sfx[0] = (uint32_t)suffix[0];
    sp->sfx[1] = slen >= 2 ? (uint32_t)suffix[1] : 0;
    if (kind == C_SUP_DESCR) {
        free(sp->descr);
        sp->descr = value_text(v);
    } else if (kind == C_SUP_MAX) {
        sp->max = value_ll(v);
    } else {
        sp->level = v->type == ASN_INTEGER ? *v->val.integer : -2;
        sp->has_level = v->type == ASN_INTEGER;
    }
}

/* PH_USM_WAIT: the engine ID is known, but another device in flight has the same engine ID
 * and v3 user: net-snmp keeps one process-wide USM user per (engine ID, user), so the two
 * would share keys. This one waits until that poll ends (see usm_clash()). */
enum phase { PH_PROBE, PH_USM_WAIT, PH_SYSTEM, PH_WALK, PH_QUICK, PH_DONE };

struct table {
    const struct column *cols;
    size_t ncols;
};

static const struct table tables[] = {
    {if_columns, 9},     /* ifTable */
    {if_columns + 9, 5}, /* ifXTable */
    {hr_columns, 5},     /* hrStorageTable */
    {hr_columns + 5, 2}, /* hrDeviceTable */
    {hr_columns + 7, 1}, /* hrProcessorTable */
    {hr_columns + 8, 3}, /* prtMarkerSuppliesTable */
    {nb_columns, 4},     /* lldpRemTable: only with coll_target.neighbors */
    {nb_columns + 4, 3}, /* cdpCacheTable: the same */
};
#define FIRST_NEIGHBOR_TABLE 6

struct coll_engine;

/* one device in flight; owned by its engine's window */
struct dev {
    struct coll_engine *eng;
    const struct coll_target *t;
    struct coll_result *r;
    void *sess;
    int fd;
    int64_t t0, deadline;
    enum phase phase;
    bool v1;
    bool no_bulk;        /* the agent mishandled GETBULK: walk with GETNEXT */
    bool one_col;        /* answers too big to send: one column per request */
    int probe_fd;        /* PH_PROBE: our own socket for the engine-ID discovery */
    int probe_tries;
    int64_t probe_sent;
    long probe_msgid;
    unsigned char engine[32]; /* v3: the engine ID our probe learned (engine_len 0: none) */
    size_t engine_len;
    long boots, etime;
    int64_t engine_at; /* when boots/etime were read */
    unsigned sys_left;   /* bit i: scalars[i] still to ask (v1 drops missing ones) */
    unsigned sys_seen;   /* system group objects answered */
    size_t table;        /* current table in tables[] */
    bool col_done[MAX_COLS];
    oid cur[MAX_COLS][MAX_OID_LEN];
    size_t cur_len[MAX_COLS];
    size_t asked[MAX_COLS], nasked; /* columns in the outstanding request, in order */
    int budget;                      /* varbinds per GETBULK, halved on tooBig */
    int outstanding;                 /* requests sent and not yet answered or timed out */
    struct shape *shape; /* PH_QUICK: what is asked (the engine's, kept while in flight) */
    size_t qpos, qsent;  /* PH_QUICK: entries answered, entries in the request out */
    bool own;            /* PH_QUICK with our own BER GETs on the session's socket */
    long qreqid;         /* own: the request id out, its sends and when the last went */
    int qtries;
    int64_t qsent_at;
};


static int on_answer(int op, netsnmp_session *s, int reqid, netsnmp_pdu *pdu, void *magic);

static void finish(struct dev *d)
{
    d->phase = PH_DONE;
}

/* send @pdu (consumed in every case); on failure the device is finished */
static void send_pdu(struct dev *d, netsnmp_pdu *pdu)
{
    if (ww_mono_ms() > d->deadline) {
        snmp_free_pdu(pdu);
        set_error(d->r, "poll deadline of %ld ms passed", d->t->deadline_ms);
        finish(d);
        return;
    }
    if (snmp_sess_async_send(d->sess, pdu, on_answer, d) != 0) {
        d->outstanding++;
    } else {
        char *msg = NULL;
        int liberr = 0, syserr = 0;
        snmp_free_pdu(pdu);
        snmp_sess_error(d->sess, &liberr, &syserr, &msg);
        set_error(d->r, "snmp send: %s", msg ? msg : "failed");
        free(msg);
        finish(d);
    }
}

static void ask_system(struct dev *d)
{
    netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GET);

    for (size_t i = 0; i < WW_ARRAY_SIZE(scalars); i++)
        if (d->sys_left & (1u << i))
            snmp_add_null_var(pdu, scalars[i].name, scalars[i].len);
    send_pdu(d, pdu);
}

/* the next table with columns left, or finish */
static void ask_walk(struct dev *d)
{
    netsnmp_pdu *pdu;
    const struct table *tb;
    int reps;

    for (;;) {
        if (d->table >= WW_ARRAY_SIZE(tables)) {
            finish(d);
            return;
        }
        tb = &tables[d->table];
        d->nasked = 0;
        for (size_t i = 0; i < tb->ncols && !(d->one_col && d->nasked); i++)
            if (!d->col_done[i])
                d->asked[d->nasked++] = i;
        if (d->nasked)
            break;
        /* next table: every column starts at its base OID */
        d->table++;
        if (d->table == FIRST_NEIGHBOR_TABLE && !d->t->neighbors)
            d->table = WW_ARRAY_SIZE(tables);
        if (d->table < WW_ARRAY_SIZE(tables)) {
            const struct table *nt = &tables[d->table];
            for (size_t i = 0; i < nt->ncols; i++) {
                d->col_done[i] = false;
                memcpy(d->cur[i], nt->cols[i].base, nt->cols[i].len * sizeof(oid));
                d->cur_len[i] = nt->cols[i].len;
            }
        }
    }
    pdu = snmp_pdu_create(d->v1 || d->no_bulk ? SNMP_MSG_GETNEXT : SNMP_MSG_GETBULK);
    reps = d->budget / (int)d->nasked;
    if (!d->v1 && !d->no_bulk) {
        pdu->non_repeaters = 0;
        pdu->max_repetitions = reps > 0 ? reps : 1;
    }
    for (size_t k = 0; k < d->nasked; k++)
        snmp_add_null_var(pdu, d->cur[d->asked[k]], d->cur_len[d->asked[k]]);
    send_pdu(d, pdu);
}

static void start_walk(struct dev *d)
{
    d->phase = PH_WALK;
    d->table = (size_t)-1;
    d->budget = BULK_BUDGET;
    /* ask_walk() moves to table 0 and loads its columns */
    for (size_t i = 0; i < MAX_COLS; i++)
        d->col_done[i] = true;
    d->table = 0;
    for (size_t i = 0; i < tables[0].ncols; i++) {
        d->col_done[i] = false;
        memcpy(d->cur[i], tables[0].cols[i].base, tables[0].cols[i].len * sizeof(oid));
        d->cur_len[i] = tables[0].cols[i].len;
    }
    ask_walk(d);
}

static void on_system(struct dev *d, netsnmp_pdu *pdu)
{
    if (pdu->errstat == SNMP_ERR_NOSUCHNAME && pdu->errindex > 0) {
        /* SNMPv1: one missing object fails the whole GET: drop it and ask again */
        long k = 0;
        for (size_t i = 0; i < WW_ARRAY_SIZE(scalars); i++) {
            if (!(d->sys_left & (1u << i)))
                continue;
            if (++k == pdu->errindex) {
                d->sys_left &= ~(1u << i);
                break;
            }
        }
        if (d->sys_left) {
            ask_system(d);
            return;
        }
    } else if (pdu->errstat != SNMP_ERR_NOERROR) {
        set_error(d->r, "agent answered error %ld (%s)", pdu->errstat,
                  snmp_errstring((int)pdu->errstat));
        finish(d);
        return;
    } else {
        for (netsnmp_variable_list *v = pdu->variables; v; v = v->next_variable)
            if (take_scalar(d->r, v))
                d->sys_seen++;
    }
    if (d->sys_seen == 0) {
        set_error(d->r, "agent answers but gives no system group");
        finish(d);
        return;
    }
    d->r->ok = true;
    start_walk(d);
}

static void on_walk(struct dev *d, netsnmp_pdu *pdu)
{
    const struct table *tb = &tables[d->table];
    size_t k = 0;

    if (pdu->errstat == SNMP_ERR_TOOBIG && d->budget > (int)d->nasked) {
        d->budget /= 2;
        ask_walk(d);
        return;
    }
    if (pdu->errstat == SNMP_ERR_NOSUCHNAME && d->v1 && pdu->errindex > 0 &&
        (size_t)pdu->errindex <= d->nasked) {
        /* v1 end of view for one column */
        d->col_done[d->asked[pdu->errindex - 1]] = true;
        ask_walk(d);
        return;
    }
    if (pdu->errstat != SNMP_ERR_NOERROR && !d->v1 && !d->no_bulk) {
        /* some agents fail GETBULK (genErr, tooBig even for one row): GETNEXT from here on */
        d->no_bulk = true;
        ask_walk(d);
        return;
    }
    if (pdu->errstat != SNMP_ERR_NOERROR) {
        for (size_t i = 0; i < tb->ncols; i++)
            d->col_done[i] = true; /* this table ends here; the device stays up */
        ask_walk(d);
        return;
    }
    if (d->table == 0) /* ifTable: the counters' own time, not the end of the whole poll */
        d->r->if_mono_ms = ww_mono_ms();
    /* varbinds come row by row: repetition r, asked column j at r * nasked + j */
    for (netsnmp_variable_list *v = pdu->variables; v; v = v->next_variable, k++) {
        size_t ci = d->asked[k % d->nasked];
        const struct column *col = &tb->cols[ci];

        if (d->col_done[ci])
            continue;
        if (is_exception(v) || v->name_length < col->len + 1 ||
            snmp_oidtree_compare(col->base, col->len, v->name, v->name_length) != 0 ||
            snmp_oid_compare(v->name, v->name_length, d->cur[ci], d->cur_len[ci]) <= 0) {
            d->col_done[ci] = true; /* left the column, or the agent went backwards */
            continue;
        }
        if (++d->r->n_values > COLL_MAX_VALUES) {
            set_error(d->r, "more than %d values: the rest ignored", COLL_MAX_VALUES);
            finish(d);
            return;
        }
        take_cell(d->r, col->kind, v->name + col->len, v->name_length - col->len, v);
        memcpy(d->cur[ci], v->name, v->name_length * sizeof(oid));
        d->cur_len[ci] = v->name_length;
    }
    if (k == 0) /* an empty answer would loop forever */
        for (size_t i = 0; i < tb->ncols; i++)
            d->col_done[i] = true;
    ask_walk(d);
}

/* ---- counter polls: GETs of the instances the last full poll found ---------------------- */

/*
 * A full poll walks every table: a dozen requests and ~330 values for a 16-port device, most
 * of them names, types and sizes that do not change. After a complete full poll the engine
 * keeps the device's shape: the result's descriptive part and the list of instances whose
 * values move (status, counters, speed, use, load, levels). The device's next polls ask exactly
 * those, in GETs whose answers fit one Ethernet frame (QUICK_BYTES, halved on tooBig or a
 * lost answer), and take the rest from the shape: two requests and ~125 values.
 * A full poll comes again when the scheduler asks for one (coll_target.full: the first poll,
 * then now and then, spread over the devices), after a failed poll or changed settings,
 * and at once, inside the same poll, as soon as an answer says the shape is stale: an
 * instance gone (noSuchInstance, v1 noSuchName), an OID not the one asked, an agent error,
 * sysUpTime gone back (a restart may renumber the interfaces), ifNumber or
 * ifTableLastChange (an interface added or removed) changed.
 */
#define QUICK_BYTES 1400 /* estimated answer bytes per GET: under a 1500-byte MTU */
#define QUICK_BYTES_MIN 64
#define QUICK_MAX_VARS 128
#define SHAPE_IDLE_MS (3LL * 3600 * 1000) /* a shape unused this long is dropped */

/* one instance asked in a counter poll */
struct qent {
    uint32_t sfx[2]; /* the row index sub-ids (two for printer supplies) */
    uint8_t nsfx;    /* 0: a scalar */
    uint8_t what;    /* enum col_kind; for a scalar, its place in scalars[] */
};

struct shape {
    uint64_t sig;            /* target_sig() of the full poll it came from */
    int64_t used;            /* monotonic ms of its last poll */
    struct coll_result tmpl; /* the descriptive part; what moves is cleared */
    struct qent *ents;
    size_t n;
    long long uptime_ticks; /* sysUpTime at its last poll, -1 none */
    long long if_number;    /* ifNumber at the full poll, -1 none */
    long long if_last_change; /* ifTableLastChange at the full poll, -1 none */
    size_t budget;          /* answer bytes per GET */
    struct sockaddr_storage addr; /* v1/v2c at a numeric address: where our own GETs go */
    socklen_t addrlen;            /* 0: none, the GETs go through net-snmp */
};

static void shape_drop(struct coll_engine *e, long long device_id);

/* a v1/v2c session kept between two polls of a device, indexed by device id */
struct kept {
    void *sess;   /* NULL: none */
    uint64_t sig; /* what it was opened with (address, version, community, timing) */
    int64_t used; /* monotonic ms of its last poll */
};
#define KEPT_ID_MAX (1LL << 22)   /* larger ids are not kept (a table by id) */
#define KEPT_IDLE_MS (15 * 60000) /* a session unused this long is closed */

struct coll_engine {
    struct kept *kept;
    size_t kept_len, kept_n, kept_max;
    int64_t kept_swept;
    bool stopping;
    struct shape **shapes; /* by device id: what its counter polls ask */
    size_t shapes_len;
    struct dev *devs; /* window slots; t == NULL when free */
    void **tags;
    struct pollfd *pfds;
    size_t *slot_of; /* pfds index -> devs index */
    size_t *act;     /* the slots in use, in no order (active of them) */
    size_t *idle;    /* the free slots, a stack (window - active of them) */
    size_t window, active;
    uint64_t reqid;  /* the next request id of our own GETs */
    unsigned char rbuf[65536]; /* one datagram read by quick_read() */
    struct coll_ber_var rvars[QUICK_MAX_VARS];
    netsnmp_large_fd_set lfs;
    int lfs_size;
};


/* the column of a table cell kind: if_columns and hr_columns are in enum col_kind order */
static const struct column *column_of(unsigned kind)
{
    const struct column *c = kind <= C_ALIAS                                   ? &if_columns[kind]
                             : kind - C_ST_TYPE < WW_ARRAY_SIZE(hr_columns) ? &hr_columns[kind - C_ST_TYPE]
                                                                           : NULL;

    if (c && c->kind == kind)
        return c;
    for (size_t i = 0; i < WW_ARRAY_SIZE(if_columns); i++) /* the order was changed */
        if (if_columns[i].kind == kind)
            return &if_columns[i];
    for (size_t i = 0; i < WW_ARRAY_SIZE(hr_columns); i++)
        if (hr_columns[i].kind == kind)
            return &hr_columns[i];
    abort(); /* only kinds of those two tables are ever asked */
}

static size_t qent_oid(const struct qent *q, oid *out)
{
    const struct column *c;

    if (!q->nsfx) {
        memcpy(out, scalars[q->what].name, scalars[q->what].len * sizeof(oid));
        return scalars[q->what].len;
    }
    c = column_of(q->what);
    memcpy(out, c->base, c->len * sizeof(oid));
    for (size_t i = 0; i < q->nsfx; i++)
        out[c->len + i] = q->sfx[i];
    return c->len + q->nsfx;
}

/* the answer's bytes for @q, a little over: varbind and OID headers, the OID, a Counter64 */
static size_t qent_bytes(const struct qent *q)
{
    size_t n = 4 + 11 + (q->nsfx ? column_of(q->what)->len : scalars[q->what].len);
    for (size_t i = 0; i < q->nsfx; i++)
        n += q->sfx[i] < 128 ? 1 : q->sfx[i] < 16384 ? 2 : q->sfx[i] < 2097152 ? 3 : 5;
    return n;
}

static char *dup_or_null(const char *s)
{
    return s ? ww_strdup(s) : NULL;
}

static void result_init(struct coll_result *r)
{
    memset(r, 0, sizeof(*r));
    r->uptime_ticks = -1;
    r->if_number = r->if_last_change = -1;
    r->hr_memory_kb = r->ucd_total_kb = r->ucd_avail_kb = -1;
    r->ucd_buffer_kb = r->ucd_cached_kb = -1;
    r->ups_battery_status = r->ups_minutes = r->ups_charge = r->ups_output_source = -1;
}

/* the descriptive part of @src into @dst (fresh from result_init()): every row with its
 * names and sizes, what moves cleared; not the system group strings, not the neighbours */
static void copy_desc(struct coll_result *dst, const struct coll_result *src)
{
    dst->hr_memory_kb = src->hr_memory_kb;
    dst->ucd_total_kb = src->ucd_total_kb;
    if (src->n_ifs) {
        dst->ifs = ww_calloc(src->n_ifs, sizeof(*dst->ifs));
        dst->n_ifs = dst->cap_ifs = src->n_ifs;
    }
    for (size_t i = 0; i < src->n_ifs; i++) {
        const struct coll_if *g = &src->ifs[i];
        struct coll_if *f = &dst->ifs[i];
        f->if_index = g->if_index;
        f->descr = dup_or_null(g->descr);
        f->name = dup_or_null(g->name);
        f->alias = dup_or_null(g->alias);
        f->type = g->type;
        f->speed = g->speed;
        f->high_speed = g->high_speed;
        /* the status as last known: a poll cut short by its deadline then leaves an
         * interface it did not reach as it was, not "unknown" */
        f->admin = g->admin;
        f->oper = g->oper;
    }
    if (src->n_storage) {
        dst->storage = ww_calloc(src->n_storage, sizeof(*dst->storage));
        dst->n_storage = dst->cap_storage = src->n_storage;
    }
    for (size_t i = 0; i < src->n_storage; i++) {
        dst->storage[i] = src->storage[i];
        dst->storage[i].descr = dup_or_null(src->storage[i].descr);
        dst->storage[i].used = 0;
        dst->storage[i].has_used = false;
    }
    if (src->n_hrdev) {
        dst->hrdev = ww_calloc(src->n_hrdev, sizeof(*dst->hrdev));
        dst->n_hrdev = dst->cap_hrdev = src->n_hrdev;
    }
    for (size_t i = 0; i < src->n_hrdev; i++) {
        dst->hrdev[i] = src->hrdev[i];
        dst->hrdev[i].descr = dup_or_null(src->hrdev[i].descr);
        if (src->hrdev[i].has_load) {
            dst->hrdev[i].load = 0;
            dst->hrdev[i].has_load = false;
        }
    }
    if (src->n_supplies) {
        dst->supplies = ww_calloc(src->n_supplies, sizeof(*dst->supplies));
        dst->n_supplies = dst->cap_supplies = src->n_supplies;
    }
    for (size_t i = 0; i < src->n_supplies; i++) {
        dst->supplies[i] = src->supplies[i];
        dst->supplies[i].descr = dup_or_null(src->supplies[i].descr);
        if (src->supplies[i].has_level) {
            dst->supplies[i].level = -2;
            dst->supplies[i].has_level = false;
        }
    }
}

struct qents {
    struct qent *v;
    size_t n, cap;
};

static void qents_add(struct qents *q, unsigned what, unsigned nsfx, uint32_t a, uint32_t b)
{
    if (q->n == q->cap) {
        q->cap = q->cap ? q->cap * 2 : 64;
        q->v = ww_reallocarray(q->v, q->cap, sizeof(*q->v));
    }
    q->v[q->n++] = (struct qent){.sfx = {a, b}, .nsfx = (uint8_t)nsfx, .what = (uint8_t)what};
}

/* what moves in the full poll @r, as instances to GET; false when some index is not one
 * sub-id (no counter poll for this device then) */
static bool shape_ents(const struct coll_result *r, struct qents *q)
{
    for (size_t i = 0; i < WW_ARRAY_SIZE(scalars); i++) {
        long long have;
        switch (scalars[i].kind) {
        case SC_UPTIME: have = r->uptime_ticks; break;
        case SC_UCD_AVAIL: have = r->ucd_avail_kb; break;
        case SC_UCD_BUFFER: have = r->ucd_buffer_kb; break;
        case SC_UCD_CACHED: have = r->ucd_cached_kb; break;
        case SC_UPS_BATTERY: have = r->ups_battery_status; break;
        case SC_UPS_MINUTES: have = r->ups_minutes; break;
        case SC_UPS_CHARGE: have = r->ups_charge; break;
        case SC_UPS_OUTPUT: have = r->ups_output_source; break;
        case SC_IF_NUMBER: have = r->if_number; break;
        case SC_IF_LAST_CHANGE: have = r->if_last_change; break;
        default: have = -1; break; /* does not move */
        }
        if (have >= 0)
            qents_add(q, (unsigned)i, 0, 0, 0);
    }
    for (size_t i = 0; i < r->n_ifs; i++) {
        const struct coll_if *f = &r->ifs[i];
        uint32_t x = (uint32_t)f->if_index;
        if (f->if_index < 0 || f->if_index > (long long)UINT32_MAX)
            return false;
        if (f->admin)
            qents_add(q, C_ADMIN, 1, x, 0);
        if (f->oper)
            qents_add(q, C_OPER, 1, x, 0);
        if (f->has_in_hc && f->has_out_hc) {
            qents_add(q, C_INHC, 1, x, 0);
            qents_add(q, C_OUTHC, 1, x, 0);
        } else {
            if (f->has_in32)
                qents_add(q, C_IN32, 1, x, 0);
            if (f->has_out32)
                qents_add(q, C_OUT32, 1, x, 0);
        }
        if (f->has_in_err)
            qents_add(q, C_INERR, 1, x, 0);
        if (f->has_out_err)
            qents_add(q, C_OUTERR, 1, x, 0);
        /* the speed too: a link renegotiated to 1 Gbit/s must not have its rates refused
         * as faster than the 100 Mbit/s of the last full poll */
        if (f->high_speed)
            qents_add(q, C_HIGHSPEED, 1, x, 0);
        else if (f->speed)
            qents_add(q, C_SPEED, 1, x, 0);
    }
    for (size_t i = 0; i < r->n_storage; i++) {
        if (r->storage[i].index < 0 || r->storage[i].index > (long long)UINT32_MAX)
            return false;
        if (r->storage[i].has_used)
            qents_add(q, C_ST_USED, 1, (uint32_t)r->storage[i].index, 0);
    }
    for (size_t i = 0; i < r->n_hrdev; i++) {
        if (r->hrdev[i].index < 0 || r->hrdev[i].index > (long long)UINT32_MAX)
            return false;
        if (r->hrdev[i].has_load)
            qents_add(q, C_PROC_LOAD, 1, (uint32_t)r->hrdev[i].index, 0);
    }
    for (size_t i = 0; i < r->n_supplies; i++) {
        const struct coll_supply *sp = &r->supplies[i];
        if (sp->has_level)
            qents_add(q, C_SUP_LEVEL, sp->nsfx, sp->sfx[0], sp->sfx[1]);
    }
    return true;
}

/* the entries of the next GET: from qpos, as many as fit the answer budget (at least one) */
static size_t quick_span(struct dev *d)
{
    struct shape *s = d->shape;
    size_t bytes = 0, k = d->qpos;

    if (s->budget < QUICK_BYTES_MIN)
        s->budget = QUICK_BYTES_MIN;
    for (; k < s->n && k - d->qpos < QUICK_MAX_VARS; k++) {
        size_t b = qent_bytes(&s->ents[k]);
        if (k > d->qpos && bytes + b > s->budget)
            break;
        bytes += b;
    }
    return k - d->qpos;
}

/* our own GET (v1/v2c), sent on the session's socket; the same request id when resent */
static void quick_send_own(struct dev *d)
{
    unsigned char buf[QUICK_MAX_VARS * (COLL_BER_OID_MAX * 5 + 8) + 512];
    struct coll_ber_oid oids[QUICK_MAX_VARS];
    oid name[MAX_OID_LEN];
    size_t n;

    for (size_t k = 0; k < d->qsent; k++) {
        size_t len = qent_oid(&d->shape->ents[d->qpos + k], name);
        for (size_t j = 0; j < len; j++)
            oids[k].sub[j] = (uint32_t)name[j];
        oids[k].len = len;
    }
    n = coll_ber_get_build(buf, sizeof(buf), d->v1 ? 0 : 1, d->t->community, d->qreqid, oids,
                           d->qsent);
    d->qsent_at = ww_mono_ms();
    d->qtries++;
    if (n && sendto(d->fd, buf, n, 0, (const struct sockaddr *)&d->shape->addr,
                    d->shape->addrlen) >= 0)
        return;
    set_error(d->r, "snmp send: %s", n ? strerror(errno) : "request not encodable");
    finish(d);
}

static void ask_quick(struct dev *d)
{
    netsnmp_pdu *pdu;
    oid name[MAX_OID_LEN];

    if (ww_mono_ms() > d->deadline) {
        set_error(d->r, "poll deadline of %ld ms passed", d->t->deadline_ms);
        finish(d);
        return;
    }
    d->qsent = quick_span(d);
    if (d->own) {
        d->qreqid = (long)(d->eng->reqid++ & 0x7fffffff);
        d->qtries = 0;
        quick_send_own(d);
        return;
    }
    pdu = snmp_pdu_create(SNMP_MSG_GET);
    for (size_t k = d->qpos; k < d->qpos + d->qsent; k++)
        snmp_add_null_var(pdu, name, qent_oid(&d->shape->ents[k], name));
    send_pdu(d, pdu);
}

/* the shape no longer holds: this same poll walks everything */
static void quick_to_full(struct dev *d, const char *why)
{
    ww_log(WW_LOG_DEBUG, "collector: device %lld: %s: a full poll", d->t->device_id, why);
    shape_drop(d->eng, d->t->device_id);
    d->shape = NULL;
    d->own = false;
    coll_result_release(d->r);
    result_init(d->r);
    d->sys_left = (1u << WW_ARRAY_SIZE(scalars)) - 1;
    d->sys_seen = 0;
    d->phase = PH_SYSTEM;
    ask_system(d);
}

/* an answer's error status: false when it was dealt with (asked again smaller, or a full
 * poll started) */
static bool quick_status(struct dev *d, long errstat)
{
    if (errstat == SNMP_ERR_TOOBIG && d->qsent > 1) {
        d->shape->budget /= 2;
        ask_quick(d);
        return false;
    }
    if (errstat != SNMP_ERR_NOERROR) {
        quick_to_full(d, "agent error to a counter GET");
        return false;
    }
    return true;
}

/* variable @k of the answer: false when it is not the instance asked, or has no value */
static bool quick_take(struct dev *d, size_t k, const netsnmp_variable_list *v)
{
    const struct qent *q = &d->shape->ents[d->qpos + k];
    oid name[MAX_OID_LEN];
    size_t len = qent_oid(q, name);

    if (is_exception(v) || snmp_oid_compare(v->name, v->name_length, name, len) != 0)
        return false;
    if (!q->nsfx) {
        take_scalar(d->r, v);
    } else {
        d->r->n_values++;
        take_cell(d->r, q->what, v->name + (len - q->nsfx), q->nsfx, v);
    }
    return true;
}

/* every variable of the answer taken: the next GET, or the end of the poll */
static void quick_next(struct dev *d)
{
    struct shape *s = d->shape;

    if (d->qpos == 0) {
        d->r->ok = true;
        d->r->if_mono_ms = ww_mono_ms();
    }
    d->qpos += d->qsent;
    if (d->qpos < s->n) {
        ask_quick(d);
        return;
    }
    if ((s->uptime_ticks >= 0 && d->r->uptime_ticks < s->uptime_ticks) ||
        d->r->if_number != s->if_number || d->r->if_last_change != s->if_last_change) {
        quick_to_full(d, "restarted or interfaces changed");
        return;
    }
    s->uptime_ticks = d->r->uptime_ticks;
    finish(d);
}

static void on_quick(struct dev *d, netsnmp_pdu *pdu)
{
    size_t k = 0;

    if (!quick_status(d, pdu->errstat))
        return;
    for (netsnmp_variable_list *v = pdu->variables; v && k < d->qsent; v = v->next_variable) {
        if (!quick_take(d, k++, v)) {
            quick_to_full(d, "an instance is gone");
            return;
        }
    }
    if (k < d->qsent) {
        quick_to_full(d, "fewer values than asked");
        return;
    }
    quick_next(d);
}

/* an answer read by quick_read(): the same steps as on_quick() */
static void quick_own_answer(struct dev *d, long errstat, const struct coll_ber_var *vars,
                             size_t n)
{
    if (!quick_status(d, errstat))
        return;
    if (n != d->qsent) {
        quick_to_full(d, "not the values asked");
        return;
    }
    for (size_t k = 0; k < n; k++) {
        /* only what take_scalar() and take_cell() read of a netsnmp variable */
        netsnmp_variable_list v;
        oid name[COLL_BER_OID_MAX];
        long ival = (long)vars[k].i;
        struct counter64 c64 = {.high = (u_long)(vars[k].u >> 32),
                                .low = (u_long)(vars[k].u & 0xffffffffu)};
        for (size_t j = 0; j < vars[k].name.len; j++)
            name[j] = vars[k].name.sub[j];
        v.name = name;
        v.name_length = vars[k].name.len;
        v.type = vars[k].type;
        v.val.string = NULL;
        v.val_len = 0;
        if (v.type == ASN_COUNTER64) {
            v.val.counter64 = &c64;
            v.val_len = sizeof(c64);
        } else if (v.type == ASN_INTEGER || v.type == ASN_COUNTER || v.type == ASN_GAUGE ||
                   v.type == ASN_TIMETICKS) {
            if (v.type != ASN_INTEGER)
                ival = (long)vars[k].u;
            v.val.integer = &ival;
            v.val_len = sizeof(ival);
        }
        if (!quick_take(d, k, &v)) {
            quick_to_full(d, "an instance is gone");
            return;
        }
    }
    quick_next(d);
}

static bool same_addr(const struct sockaddr_storage *a, socklen_t alen,
                      const struct sockaddr_storage *b, socklen_t blen)
{
    if (a->ss_family != b->ss_family)
        return false;
    if (a->ss_family == AF_INET) {
        const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;
        return alen >= sizeof(*x) && blen >= sizeof(*y) && x->sin_port == y->sin_port &&
               x->sin_addr.s_addr == y->sin_addr.s_addr;
    }
    if (a->ss_family == AF_INET6) {
        const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;
        return alen >= sizeof(*x) && blen >= sizeof(*y) && x->sin6_port == y->sin6_port &&
               memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr)) == 0;
    }
    return false;
}

/* the device's socket is readable while it waits for our own GET's answer: read what is
 * there; a packet from elsewhere, garbage or a late answer to an older request is dropped */
static void quick_read(struct coll_engine *e, struct dev *d)
{
    for (int i = 0; i < 8 && d->phase == PH_QUICK && d->own; i++) {
        struct sockaddr_storage from;
        socklen_t flen = sizeof(from);
        long errstat = 0, errindex = 0;
        size_t n = 0;
        ssize_t got = recvfrom(d->fd, e->rbuf, sizeof(e->rbuf), MSG_DONTWAIT,
                               (struct sockaddr *)&from, &flen);
        if (got < 0)
            return; /* nothing more now (or an ICMP error): the timeout decides */
        if (!same_addr(&from, flen, &d->shape->addr, d->shape->addrlen) ||
            coll_ber_get_parse(e->rbuf, (size_t)got, d->v1 ? 0 : 1, d->t->community,
                               d->qreqid, &errstat, &errindex, e->rvars, QUICK_MAX_VARS,
                               &n) < 0)
            continue;
        quick_own_answer(d, errstat, e->rvars, n);
    }
}

/* every loop turn for a device waiting for our own GET: resend, or give up */
static void quick_tick(struct dev *d, int64_t now)
{
    if (now - d->qsent_at < d->t->timeout_ms)
        return;
    if (d->qtries <= d->t->retries) {
        quick_send_own(d);
        return;
    }
    if (d->qpos > 0 && d->qsent > 1) { /* as in on_answer(): ask smaller */
        d->shape->budget /= 2;
        ask_quick(d);
        return;
    }
    set_error(d->r, "no answer (timeout)");
    finish(d);
}

/* what an SNMPv3 report says went wrong (RFC 3414 usmStats counters) */
static const char *usm_report_reason(const netsnmp_pdu *pdu)
{
    static const oid usm_stats[] = {1, 3, 6, 1, 6, 3, 15, 1, 1};
    static const char *const reasons[] = {
        "the agent reported a security error",   "unsupported security level",
        "not in time window",                     "unknown user name",
        "unknown engine ID",                      "wrong authentication key (digest)",
        "decryption error (wrong privacy key or protocol)"};
    const netsnmp_variable_list *v = pdu ? pdu->variables : NULL;

    if (v && v->name_length >= 10 &&
        memcmp(v->name, usm_stats, sizeof(usm_stats)) == 0 && v->name[9] >= 1 &&
        v->name[9] <= 6)
        return reasons[v->name[9]];
    return reasons[0];
}

static int on_answer(int op, netsnmp_session *s, int reqid, netsnmp_pdu *pdu, void *magic)
{
    struct dev *d = magic;

    if (op != NETSNMP_CALLBACK_OP_RESEND && d->outstanding > 0)
        d->outstanding--; /* this request is over: answered, refused or timed out */
    if (d->phase == PH_DONE)
        return 1;
    if (op == NETSNMP_CALLBACK_OP_TIMED_OUT && d->phase == PH_WALK && !d->one_col) {
        /* it answered the system group, so it is alive: its answer to a walk may have been
         * too big for a UDP datagram (the agent then sends nothing). Ask smaller. */
        d->one_col = true;
        d->no_bulk = true;
        ask_walk(d);
        return 1;
    }
    if (op == NETSNMP_CALLBACK_OP_TIMED_OUT && d->phase == PH_QUICK && d->qpos > 0 &&
        d->qsent > 1) {
        /* it answered the first GET: this answer was lost, maybe too big to arrive */
        d->shape->budget /= 2;
        ask_quick(d);
        return 1;
    }
    if (op == NETSNMP_CALLBACK_OP_TIMED_OUT) {
        set_error(d->r, "no answer (timeout)");
        finish(d);
        return 1;
    }
    if (op == NETSNMP_CALLBACK_OP_RESEND)
        return 1; /* net-snmp sends again (engine time re-synchronised): keep waiting */
    if (op == NETSNMP_CALLBACK_OP_SEC_ERROR ||
        (op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE && pdu && pdu->command == SNMP_MSG_REPORT)) {
        d->r->refused = true;
        d->r->ok = false;
        set_error(d->r, "SNMPv3 refused: %s", usm_report_reason(pdu));
        finish(d);
        return 1;
    }
    if (op != NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE || !pdu) {
        set_error(d->r, "snmp: unexpected event %d", op);
        finish(d);
        return 1;
    }
    if (d->phase == PH_SYSTEM)
        on_system(d, pdu);
    else if (d->phase == PH_QUICK)
        on_quick(d, pdu);
    else
        on_walk(d, pdu);
    return 1; /* net-snmp frees the answer */
}

/*
 * An SNMPv3 session probes the agent's engine ID when it opens; a refusal there (unknown
 * user, wrong key, unsupported level) is a configuration fault, a silence is an outage.
 */
static void v3_open_error(struct coll_result *r)
{
    int err = snmp_errno;
    switch (err) {
    case SNMPERR_TIMEOUT:
        set_error(r, "no answer (timeout)");
        return;
    case SNMPERR_UNKNOWN_USER_NAME:
    case SNMPERR_AUTHENTICATION_FAILURE:
    case SNMPERR_UNSUPPORTED_SEC_LEVEL:
    case SNMPERR_DECRYPTION_ERR:
    case SNMPERR_USM_AUTHENTICATIONFAILURE:
    case SNMPERR_USM_UNKNOWNSECURITYNAME:
    case SNMPERR_USM_UNSUPPORTEDSECURITYLEVEL:
    case SNMPERR_USM_DECRYPTIONERROR:
        r->refused = true;
        set_error(r, "SNMPv3 refused: %s", snmp_api_errstring(err));
        return;
    default:
        set_error(r, "SNMPv3 session: %s", snmp_api_errstring(err));
    }
}

static int set_v3(netsnmp_session *s, const struct coll_target *t, char *err, size_t errsize)
{
    static const struct {
        const char *name;
        const oid *proto;
        size_t len;
    } auths[] = {{"MD5", usmHMACMD5AuthProtocol, 10},
                 {"SHA", usmHMACSHA1AuthProtocol, 10},
                 {"SHA-224", usmHMAC128SHA224AuthProtocol, 10},
                 {"SHA-256", usmHMAC192SHA256AuthProtocol, 10},
                 {"SHA-384", usmHMAC256SHA384AuthProtocol, 10},
                 {"SHA-512", usmHMAC384SHA512AuthProtocol, 10}},
      privs[] = {{"DES", usmDESPrivProtocol, 10},
                 {"AES", usmAESPrivProtocol, 10},
                 {"AES-192", usmAES192PrivProtocol, 9},
                 {"AES-256", usmAES256PrivProtocol, 9}};
    const char *level = t->v3_level ? t->v3_level : "noAuthNoPriv";
    bool auth = strcmp(level, "noAuthNoPriv") != 0, priv = strcmp(level, "authPriv") == 0;

    s->version = SNMP_VERSION_3;
    /* no blocking engine-ID probe at open: the first request learns it from the agent's
     * report (net-snmp sends again by itself), so a dead v3 device never stalls the loop */
    s->flags |= SNMP_FLAGS_DONT_PROBE;
    s->securityName = (char *)(uintptr_t)(t->v3_user ? t->v3_user : "");
    s->securityNameLen = strlen(s->securityName);
    s->securityLevel = priv ? SNMP_SEC_LEVEL_AUTHPRIV
                       : auth ? SNMP_SEC_LEVEL_AUTHNOPRIV
                              : SNMP_SEC_LEVEL_NOAUTH;
    if (!auth)
        return 0;
    for (size_t i = 0; i < WW_ARRAY_SIZE(auths); i++) {
        if (t->v3_auth_proto && strcmp(t->v3_auth_proto, auths[i].name) == 0) {
            s->securityAuthProto = snmp_duplicate_objid(auths[i].proto, auths[i].len);
            s->securityAuthProtoLen = auths[i].len;
        }
    }
    if (!s->securityAuthProto || !t->v3_auth_key) {
        snprintf(err, errsize, "SNMPv3 auth protocol or key missing");
        return -EINVAL;
    }
    s->securityAuthKeyLen = USM_AUTH_KU_LEN;
    if (generate_Ku(s->securityAuthProto, (u_int)s->securityAuthProtoLen,
                    (const u_char *)t->v3_auth_key, strlen(t->v3_auth_key), s->securityAuthKey,
                    &s->securityAuthKeyLen) != SNMPERR_SUCCESS) {
        snprintf(err, errsize, "SNMPv3 auth key could not be derived");
        return -EINVAL;
    }
    if (!priv)
        return 0;
    for (size_t i = 0; i < WW_ARRAY_SIZE(privs); i++) {
        if (t->v3_priv_proto && strcmp(t->v3_priv_proto, privs[i].name) == 0) {
            s->securityPrivProto = snmp_duplicate_objid(privs[i].proto, privs[i].len);
            s->securityPrivProtoLen = privs[i].len;
        }
    }
    if (!s->securityPrivProto || !t->v3_priv_key) {
        snprintf(err, errsize, "SNMPv3 privacy protocol or key missing");
        return -EINVAL;
    }
    s->securityPrivKeyLen = USM_PRIV_KU_LEN;
    if (generate_Ku(s->securityAuthProto, (u_int)s->securityAuthProtoLen,
                    (const u_char *)t->v3_priv_key, strlen(t->v3_priv_key), s->securityPrivKey,
                    &s->securityPrivKeyLen) != SNMPERR_SUCCESS) {
        snprintf(err, errsize, "SNMPv3 privacy key could not be derived");
        return -EINVAL;
    }
    return 0;
}

static void ask_first(struct dev *d);

/* open the net-snmp session; for v3, with the engine ID our probe learned (@engine NULL:
 * net-snmp finds it itself, blocking: only for host names we could not probe) */
static int dev_open_session(struct dev *d, const unsigned char *engine, size_t engine_len,
                            long boots, long etime)
{
    const struct coll_target *t = d->t;
    struct coll_result *r = d->r;
    netsnmp_session s;
    netsnmp_transport *tr;
    char peer[300];

    snmp_sess_init(&s);
    if (strchr(t->host, ':'))
        snprintf(peer, sizeof(peer), "udp6:[%s]:%lld", t->host, t->port);
    else
        snprintf(peer, sizeof(peer), "udp:%s:%lld", t->host, t->port);
    s.peername = peer;
    s.timeout = t->timeout_ms * 1000L;
    s.retries = t->retries;
    if (strcmp(t->version, "3") == 0) {
        char err[96] = "";
        int ret = set_v3(&s, t, err, sizeof(err));
        if (ret == 0 && engine) {
            s.securityEngineID = netsnmp_memdup(engine, engine_len);
            s.securityEngineIDLen = engine_len;
            s.engineBoots = (u_int)boots;
            s.engineTime = (u_int)etime;
        } else if (ret == 0) {
            s.flags &= ~SNMP_FLAGS_DONT_PROBE;
        }
        if (ret == 0) {
            d->sess = snmp_sess_open(&s);
            /* the agent's clock, so that the first authenticated request is in its window */
            if (d->sess && engine)
                set_enginetime((u_char *)(uintptr_t)engine, (u_int)engine_len, (u_int)boots,
                               (u_int)etime, TRUE);
        }
        free(s.securityEngineID);
        free(s.securityAuthProto);
        free(s.securityPrivProto);
        /* the derived keys were copied into the session: wipe ours */
        memset(s.securityAuthKey, 0, sizeof(s.securityAuthKey));
        memset(s.securityPrivKey, 0, sizeof(s.securityPrivKey));
        if (ret < 0) {
            set_error(r, "%s", err);
            r->refused = true;
            finish(d);
            return ret;
        }
        if (!d->sess) {
            v3_open_error(r);
            finish(d);
            return -EIO;
        }
    } else {
        s.version = d->v1 ? SNMP_VERSION_1 : SNMP_VERSION_2c;
        s.community = (u_char *)(uintptr_t)t->community;
        s.community_len = strlen(t->community);
        d->sess = snmp_sess_open(&s);
    }
    tr = d->sess ? snmp_sess_transport(d->sess) : NULL;
    if (!tr) {
        set_error(r, "cannot open an SNMP session to %s", peer);
        finish(d);
        return -EIO;
    }
    d->fd = tr->sock;
    ask_first(d);
    return 0;
}

static void probe_send(struct dev *d)
{
    unsigned char buf[256];
    size_t n = coll_v3_probe_build(buf, sizeof(buf), d->probe_msgid);

    d->probe_sent = ww_mono_ms();
    d->probe_tries++;
    if (!n || send(d->probe_fd, buf, n, 0) < 0)
        ww_log(WW_LOG_DEBUG, "collector: device %lld: engine probe not sent: %s",
               d->t->device_id, strerror(errno));
}

/* v3 to a numeric address: discover the engine ID on our own socket first */
static bool probe_start(struct dev *d)
{
    struct addrinfo hints = {0}, *ai = NULL;
    char port[16];

    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    snprintf(port, sizeof(port), "%lld", d->t->port);
    if (getaddrinfo(d->t->host, port, &hints, &ai) != 0)
        return false; /* a host name: net-snmp resolves and probes it itself */
    d->probe_fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (d->probe_fd < 0 || connect(d->probe_fd, ai->ai_addr, ai->ai_addrlen) < 0) {
        if (d->probe_fd >= 0)
            close(d->probe_fd);
        d->probe_fd = -1;
        freeaddrinfo(ai);
        return false;
    }
    freeaddrinfo(ai);
    d->probe_msgid = (long)((d->t->device_id * 7919 + d->t0) & 0x7fffffff);
    d->fd = d->probe_fd;
    d->phase = PH_PROBE;
    probe_send(d);
    return true;
}

static void probe_close(struct dev *d)
{
    if (d->probe_fd >= 0)
        close(d->probe_fd);
    d->probe_fd = -1;
    d->fd = -1;
}

static void probe_answer(struct dev *d)
{
    unsigned char buf[2048], engine[32];
    size_t elen = 0;
    long boots = 0, etime = 0;
    ssize_t n = recv(d->probe_fd, buf, sizeof(buf), 0);

    if (n <= 0)
        return; /* ICMP refusals and the like: wait for the timeout */
    if (coll_v3_probe_parse(buf, (size_t)n, d->probe_msgid, engine, &elen, &boots, &etime) < 0)
        return; /* garbage or a stray answer: keep waiting */
    probe_close(d);
    memcpy(d->engine, engine, elen);
    d->engine_len = elen;
    d->boots = boots;
    d->etime = etime;
    d->engine_at = ww_mono_ms();
    d->phase = PH_USM_WAIT; /* the session opens in coll_engine_step(), once no clash */
}

/* called every loop turn for a probing device */
static void probe_tick(struct dev *d, int64_t now)
{
    if (now - d->probe_sent < d->t->timeout_ms)
        return;
    if (d->probe_tries <= d->t->retries) {
        probe_send(d);
        return;
    }
    probe_close(d);
    set_error(d->r, "no answer (timeout)");
    finish(d);
}

static void *kept_take(struct coll_engine *e, const struct coll_target *t);

static int dev_start(struct coll_engine *e, struct dev *d, const struct coll_target *t,
                     struct coll_result *r)
{
    void *kept;

    memset(d, 0, sizeof(*d));
    d->eng = e;
    d->t = t;
    d->r = r;
    d->fd = -1;
    d->probe_fd = -1;
    d->t0 = ww_mono_ms();
    d->deadline = d->t0 + t->deadline_ms;
    d->v1 = strcmp(t->version, "1") == 0;
    d->sys_left = (1u << WW_ARRAY_SIZE(scalars)) - 1;
    result_init(r);
    if (strcmp(t->version, "3") == 0 && probe_start(d))
        return 0;
    kept = strcmp(t->version, "3") != 0 ? kept_take(e, t) : NULL;
    if (kept) { /* the session (and socket) of this device's last poll */
        netsnmp_transport *tr = snmp_sess_transport(kept);
        d->sess = kept;
        d->fd = tr ? tr->sock : -1;
        ask_first(d);
        return 0;
    }
    return dev_open_session(d, NULL, 0, 0, 0);
}

/*
 * forget_usm_user() - drop the USM user net-snmp made for this v3 session from its
 * process-wide list, so the next session with the same engine ID and user name (this
 * device next round, or another device that shares the engine ID) builds its own from its
 * own keys instead of silently reusing these.
 */
static void forget_usm_user(const unsigned char *engine, size_t len, const char *user)
{
    struct usmUser *u;

    if (!len || !user)
        return;
    u = usm_get_user(engine, len, (char *)(uintptr_t)user);
    if (!u)
        return;
    /* it was found in the list, so this unlinks it; the return value is the list's new
     * head (NULL once the list is empty), not a status */
    usm_remove_user(u);
    usm_free_user(u);
}

static bool kept_put(struct coll_engine *e, const struct coll_target *t, void *sess);
static void shape_after(struct dev *d);

static void dev_close(struct dev *d)
{
    probe_close(d);
    /* v1/v2c with nothing outstanding: nothing of this poll can call back into the session,
     * so it is kept for the device's next poll (no socket and transport set-up each time) */
    if (d->sess && d->eng && d->outstanding == 0 && strcmp(d->t->version, "3") != 0 &&
        kept_put(d->eng, d->t, d->sess))
        d->sess = NULL;
    if (d->sess) {
        netsnmp_session *ss = snmp_sess_session(d->sess);
        unsigned char engine[64];
        size_t elen = 0;
        if (ss && ss->version == SNMP_VERSION_3 && ss->securityEngineIDLen &&
            ss->securityEngineIDLen <= sizeof(engine)) {
            elen = ss->securityEngineIDLen;
            memcpy(engine, ss->securityEngineID, elen);
        }
        snmp_sess_close(d->sess);
        if (elen)
            forget_usm_user(engine, elen, d->t->v3_user);
    }
    d->sess = NULL;
    shape_after(d);
    d->r->done_mono_ms = ww_mono_ms();
    d->r->poll_ms = d->r->done_mono_ms - d->t0;
    if (d->r->ok && d->r->error[0])
        ww_log(WW_LOG_DEBUG, "collector: device %lld: incomplete: %s", d->t->device_id,
               d->r->error);
}

static uint64_t target_sig(const struct coll_target *t)
{
    uint64_t h = 1469598103934665603ULL;
    const char *parts[] = {t->host, t->version, t->community};
    long long nums[] = {t->port, t->timeout_ms, t->retries};

    for (size_t i = 0; i < WW_ARRAY_SIZE(parts); i++) {
        for (const unsigned char *p = (const unsigned char *)(parts[i] ? parts[i] : ""); *p; p++)
            h = (h ^ *p) * 1099511628211ULL;
        h = (h ^ 0xff) * 1099511628211ULL; /* a separator no string holds */
    }
    for (size_t i = 0; i < WW_ARRAY_SIZE(nums); i++)
        h = (h ^ (uint64_t)nums[i]) * 1099511628211ULL;
    return h;
}

static void kept_close(struct coll_engine *e, struct kept *k)
{
    if (!k->sess)
        return;
    snmp_sess_close(k->sess);
    k->sess = NULL;
    e->kept_n--;
}

/* the kept session of @t's device when it was opened for the same target, else NULL */
static void *kept_take(struct coll_engine *e, const struct coll_target *t)
{
    struct kept *k;
    void *sess;

    if (t->device_id <= 0 || (size_t)t->device_id >= e->kept_len)
        return NULL;
    k = &e->kept[t->device_id];
    if (!k->sess)
        return NULL;
    if (k->sig != target_sig(t)) { /* the device's settings changed: start afresh */
        kept_close(e, k);
        return NULL;
    }
    sess = k->sess;
    k->sess = NULL;
    e->kept_n--;
    return sess;
}

/* keep @sess for @t's device; false (the caller closes it) when it cannot be kept */
static bool kept_put(struct coll_engine *e, const struct coll_target *t, void *sess)
{
    struct kept *k;

    if (e->stopping || t->device_id <= 0 || t->device_id >= KEPT_ID_MAX)
        return false;
    e->kept = ww_grow_zeroed(e->kept, &e->kept_len, (size_t)t->device_id, sizeof(*e->kept));
    k = &e->kept[t->device_id];
    kept_close(e, k);
    if (e->kept_n >= e->kept_max)
        return false;
    k->sess = sess;
    k->sig = target_sig(t);
    k->used = ww_mono_ms();
    e->kept_n++;
    return true;
}

/* ---- shapes: by device id, like kept sessions -------------------------------------------- */

static void shape_free(struct shape *s)
{
    if (!s)
        return;
    coll_result_release(&s->tmpl);
    free(s->ents);
    free(s);
}

static void shape_drop(struct coll_engine *e, long long device_id)
{
    if (device_id <= 0 || (size_t)device_id >= e->shapes_len)
        return;
    shape_free(e->shapes[device_id]);
    e->shapes[device_id] = NULL;
}

/* @t's device's shape when it came from a full poll with the same settings, else NULL */
static struct shape *shape_get(struct coll_engine *e, const struct coll_target *t)
{
    struct shape *s;

    if (t->device_id <= 0 || (size_t)t->device_id >= e->shapes_len)
        return NULL;
    s = e->shapes[t->device_id];
    if (s && s->sig != target_sig(t)) {
        shape_drop(e, t->device_id);
        return NULL;
    }
    return s;
}

/* after a complete full poll: keep what the next polls of the device ask */
static void shape_save(struct coll_engine *e, const struct coll_target *t,
                       const struct coll_result *r)
{
    struct qents q = {0};
    struct shape *s;
    size_t budget = QUICK_BYTES;

    if (t->device_id <= 0 || t->device_id >= KEPT_ID_MAX || !shape_ents(r, &q) || !q.n) {
        free(q.v);
        shape_drop(e, t->device_id);
        return;
    }
    e->shapes = ww_grow_zeroed(e->shapes, &e->shapes_len, (size_t)t->device_id,
                               sizeof(*e->shapes));
    s = e->shapes[t->device_id];
    if (s && s->sig == target_sig(t))
        budget = s->budget; /* what the agent's answers taught stays learned */
    shape_free(s);
    s = ww_calloc(1, sizeof(*s));
    s->sig = target_sig(t);
    s->used = ww_mono_ms();
    result_init(&s->tmpl);
    copy_desc(&s->tmpl, r);
    s->ents = q.v;
    s->n = q.n;
    s->uptime_ticks = r->uptime_ticks;
    s->if_number = r->if_number;
    s->if_last_change = r->if_last_change;
    s->budget = budget;
    if (strcmp(t->version, "3") != 0) { /* our own GETs go to a numeric address only */
        struct addrinfo hints = {0}, *ai = NULL;
        char port[16];
        hints.ai_socktype = SOCK_DGRAM;
        hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
        snprintf(port, sizeof(port), "%lld", t->port);
        if (getaddrinfo(t->host, port, &hints, &ai) == 0 && ai->ai_addrlen <= sizeof(s->addr)) {
            memcpy(&s->addr, ai->ai_addr, ai->ai_addrlen);
            s->addrlen = ai->ai_addrlen;
        }
        if (ai)
            freeaddrinfo(ai);
    }
    e->shapes[t->device_id] = s;
}

/* the first request of a poll: a counter GET when the device's shape is known */
static void ask_first(struct dev *d)
{
    struct shape *s = d->t->full || d->t->neighbors ? NULL : shape_get(d->eng, d->t);

    if (s) {
        copy_desc(d->r, &s->tmpl);
        d->r->quick = true;
        d->shape = s;
        s->used = ww_mono_ms();
        d->qpos = 0;
        d->phase = PH_QUICK;
        d->own = s->addrlen > 0 && strcmp(d->t->version, "3") != 0;
        ask_quick(d);
        return;
    }
    d->phase = PH_SYSTEM;
    ask_system(d);
}

/* a poll ends: a complete full poll leaves its shape, a failed one drops it */
static void shape_after(struct dev *d)
{
    struct coll_engine *e = d->eng;

    d->shape = NULL;
    if (!e || e->stopping)
        return;
    if (!d->r->ok)
        shape_drop(e, d->t->device_id);
    else if (!d->r->quick && !d->r->error[0])
        shape_save(e, d->t, d->r);
}

/* is a poll of device @id in flight (its shape must stay)? */
static bool shape_in_flight(const struct coll_engine *e, size_t id)
{
    for (size_t k = 0; k < e->active; k++)
        if (e->devs[e->act[k]].t && (size_t)e->devs[e->act[k]].t->device_id == id)
            return true;
    return false;
}

/* now and then: close the sessions of devices not polled for a while (removed ones),
 * drop the shapes of devices not polled for hours */
static void kept_sweep(struct coll_engine *e, int64_t now)
{
    if (now - e->kept_swept < 60000)
        return;
    e->kept_swept = now;
    for (size_t i = 0; i < e->kept_len; i++)
        if (e->kept[i].sess && now - e->kept[i].used > KEPT_IDLE_MS)
            kept_close(e, &e->kept[i]);
    for (size_t i = 0; i < e->shapes_len; i++)
        if (e->shapes[i] && now - e->shapes[i]->used > SHAPE_IDLE_MS && !shape_in_flight(e, i))
            shape_drop(e, (long long)i);
}

struct coll_engine *coll_engine_new(size_t window)
{
    struct coll_engine *e = ww_calloc(1, sizeof(*e));
    struct rlimit rl;

    e->window = window ? window : 1;
    e->devs = ww_calloc(e->window, sizeof(*e->devs));
    e->tags = ww_calloc(e->window, sizeof(*e->tags));
    e->pfds = ww_calloc(e->window, sizeof(*e->pfds));
    e->slot_of = ww_calloc(e->window, sizeof(*e->slot_of));
    e->act = ww_calloc(e->window, sizeof(*e->act));
    e->idle = ww_calloc(e->window, sizeof(*e->idle));
    for (size_t i = 0; i < e->window; i++)
        e->idle[i] = e->window - 1 - i; /* slot 0 first */
    e->lfs_size = 1024;
    netsnmp_large_fd_set_init(&e->lfs, e->lfs_size);
    /* kept sessions hold a socket each: as many as the descriptor limit leaves after the
     * window (two sockets per device in flight) and a margin for the rest of the process */
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        if (rl.rlim_cur < rl.rlim_max) {
            rl.rlim_cur = rl.rlim_max > 1048576 ? 1048576 : rl.rlim_max;
            setrlimit(RLIMIT_NOFILE, &rl);
            getrlimit(RLIMIT_NOFILE, &rl);
        }
        if (rl.rlim_cur > 2 * e->window + 512)
            e->kept_max = (size_t)(rl.rlim_cur - 2 * e->window - 512);
    }
    e->kept_swept = ww_mono_ms();
    e->reqid = (uint64_t)ww_mono_ms() * 7919u + (uint64_t)getpid() * 104729u;
    return e;
}

void coll_engine_free(struct coll_engine *e)
{
    if (!e)
        return;
    e->stopping = true;
    for (size_t k = 0; k < e->active; k++) {
        struct dev *d = &e->devs[e->act[k]];
        set_error(d->r, "stopped");
        dev_close(d);
    }
    for (size_t i = 0; i < e->kept_len; i++)
        kept_close(e, &e->kept[i]);
    free(e->kept);
    for (size_t i = 0; i < e->shapes_len; i++)
        shape_free(e->shapes[i]);
    free(e->shapes);
    free(e->idle);
    free(e->act);
    netsnmp_large_fd_set_cleanup(&e->lfs);
    free(e->slot_of);
    free(e->pfds);
    free(e->tags);
    free(e->devs);
    free(e);
}

/* slot @k of the active list is over: its slot goes back to the free stack */
static void slot_release(struct coll_engine *e, size_t k)
{
    size_t i = e->act[k];
    e->devs[i].t = NULL;
    e->act[k] = e->act[--e->active];
    e->idle[e->window - e->active - 1] = i;
}

void coll_engine_cancel(struct coll_engine *e, coll_done_fn *done, void *arg)
{
    e->stopping = true;
    while (e->active > 0) {
        size_t i = e->act[e->active - 1];
        struct dev *d = &e->devs[i];
        set_error(d->r, "stopped");
        dev_close(d);
        slot_release(e, e->active - 1);
        if (done)
            done(arg, e->tags[i], d->r);
    }
}

size_t coll_engine_active(const struct coll_engine *e)
{
    return e->active;
}

bool coll_engine_full(const struct coll_engine *e)
{
    return e->active >= e->window;
}

int coll_engine_start(struct coll_engine *e, const struct coll_target *t, struct coll_result *r,
                      void *tag)
{
    size_t i;

    if (e->active >= e->window)
        return -EBUSY;
    i = e->idle[e->window - e->active - 1];
    e->act[e->active++] = i;
    e->tags[i] = tag;
    dev_start(e, &e->devs[i], t, r);
    return 0;
}

/* does a poll in flight other than @d hold a v3 session for @d's engine ID and user? */
static bool usm_clash(const struct coll_engine *e, const struct dev *d)
{
    for (size_t k = 0; k < e->active; k++) {
        const struct dev *o = &e->devs[e->act[k]];
        if (o == d || !o->t || !o->sess || o->engine_len != d->engine_len ||
            memcmp(o->engine, d->engine, d->engine_len) != 0 ||
            strcmp(o->t->v3_user ? o->t->v3_user : "", d->t->v3_user ? d->t->v3_user : ""))
            continue;
        return true;
    }
    return false;
}

/* PH_USM_WAIT: open the session once no other poll shares the engine ID and user */
static void usm_wait_tick(struct coll_engine *e, struct dev *d, int64_t now)
{
    if (usm_clash(e, d)) {
        if (!d->r->error[0]) /* said once per poll; the device ids, never a key */
            ww_log(WW_LOG_WARN, "collector: device %lld: another device answers with the same "
                                "SNMPv3 engine ID and user: polled one after the other",
                   d->t->device_id);
        if (now > d->deadline) {
            set_error(d->r, "poll deadline of %ld ms passed waiting for a device with the "
                            "same SNMPv3 engine ID", d->t->deadline_ms);
            finish(d);
        } else {
            set_error(d->r, "waiting: same SNMPv3 engine ID as another device");
        }
        return;
    }
    d->r->error[0] = '\0';
    dev_open_session(d, d->engine, d->engine_len, d->boots,
                     d->etime + (long)((now - d->engine_at) / 1000));
}

void coll_engine_step(struct coll_engine *e, int wait_ms, coll_done_fn *done, void *arg)
{
    size_t np = 0;
    int64_t now;

    for (size_t k = 0; k < e->active; k++) {
        size_t i = e->act[k];
        if (e->devs[i].phase != PH_DONE && e->devs[i].fd >= 0) {
            e->pfds[np].fd = e->devs[i].fd;
            e->pfds[np].events = POLLIN;
            e->pfds[np].revents = 0;
            e->slot_of[np++] = i;
        }
    }
    /* with no socket to watch poll() is a sleep: the caller's wait for the next due time */
    if (poll(e->pfds, np, np ? (wait_ms < 10 ? wait_ms : 10) : wait_ms) > 0) {
        for (size_t k = 0; k < np; k++) {
            struct dev *d = &e->devs[e->slot_of[k]];
            if (!(e->pfds[k].revents & (POLLIN | POLLERR)))
                continue;
            if (d->fd >= e->lfs_size) {
                e->lfs_size = d->fd + 1024;
                netsnmp_large_fd_set_resize(&e->lfs, e->lfs_size);
            }
            if (d->phase == PH_PROBE) {
                probe_answer(d);
                continue;
            }
            if (d->phase == PH_QUICK && d->own) {
                quick_read(e, d);
                continue;
            }
            NETSNMP_LARGE_FD_ZERO(&e->lfs);
            NETSNMP_LARGE_FD_SET(d->fd, &e->lfs);
            snmp_sess_read2(d->sess, &e->lfs);
        }
    }
    now = ww_mono_ms();
    kept_sweep(e, now);
    for (size_t k = 0; k < e->active;) {
        size_t i = e->act[k];
        struct dev *d = &e->devs[i];
        if (d->phase == PH_PROBE)
            probe_tick(d, now);
        if (d->phase == PH_USM_WAIT)
            usm_wait_tick(e, d, now);
        else if (d->phase == PH_QUICK && d->own)
            quick_tick(d, now);
        if (d->phase != PH_DONE && d->phase != PH_PROBE && d->phase != PH_USM_WAIT) {
            if (!(d->phase == PH_QUICK && d->own))
                snmp_sess_timeout(d->sess); /* retries, or TIMED_OUT to on_answer() */
            if (d->phase != PH_DONE && now > d->deadline) {
                set_error(d->r, "poll deadline of %ld ms passed", d->t->deadline_ms);
                finish(d);
            }
        }
        if (d->phase != PH_DONE) {
            k++;
            continue;
        }
        /* the slot is released before done() runs, which may start another poll in it
         * (that one is appended to the list and looked at in this same pass) */
        struct coll_result *r = d->r;
        dev_close(d);
        slot_release(e, k);
        if (done)
            done(arg, e->tags[i], r);
    }
}

int coll_poll_all(const struct coll_target *targets, struct coll_result *results, size_t n,
                  size_t window)
{
    struct coll_engine *e = coll_engine_new(window > n ? (n ? n : 1) : window);
    size_t next = 0;

    while (next < n || coll_engine_active(e) > 0) {
        while (next < n && !coll_engine_full(e)) {
            coll_engine_start(e, &targets[next], &results[next], NULL);
            next++;
        }
        coll_engine_step(e, 10, NULL, NULL);
    }
    coll_engine_free(e);
    return 0;
}

int coll_snmp_poll(const struct coll_target *t, struct coll_result *out)
{
    if (!t->host || !t->version || !t->community)
        return -EINVAL;
    return coll_poll_all(t, out, 1, 1);
}

void coll_result_release(struct coll_result *r)
{
    for (size_t i = 0; i < r->n_storage; i++)
        free(r->storage[i].descr);
    free(r->storage);
    for (size_t i = 0; i < r->n_hrdev; i++)
        free(r->hrdev[i].descr);
    free(r->hrdev);
    for (size_t i = 0; i < r->n_supplies; i++)
        free(r->supplies[i].descr);
    free(r->supplies);
    for (size_t i = 0; i < r->n_neighbors; i++) {
        free(r->neighbors[i].chassis);
        free(r->neighbors[i].port_id);
        free(r->neighbors[i].port_descr);
        free(r->neighbors[i].sys_name);
        free(r->neighbors[i].addr);
    }
    free(r->neighbors);
    for (size_t i = 0; i < r->n_ifs; i++) {
        free(r->ifs[i].descr);
        free(r->ifs[i].name);
        free(r->ifs[i].alias);
    }
    free(r->ifs);
    free(r->sys_descr);
    free(r->sys_object_id);
    free(r->sys_name);
    free(r->sys_contact);
    free(r->sys_location);
    memset(r, 0, sizeof(*r));
}

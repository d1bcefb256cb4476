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
                   SC_UPS_BATTERY, SC_UPS_MINUTES, SC_UPS_CHARGE, SC_UPS_OUTPUT };

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
        default: st->used = value_u64(v, &u) ? u : 0; break;
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
            if (!hd->type)
                hd->type = 3; /* a load row is a processor even without hrDeviceTable */
        }
        return;
    }
    /* printer supplies have two index sub-ids: hrDeviceIndex.prtMarkerSuppliesIndex */
    if (slen >= 2)
        idx = idx * 100000 + (long long)(suffix[1] % 100000);
    sp = row_find((void **)&r->supplies, &r->n_supplies, &r->cap_supplies, sizeof(*sp), idx);
    if (kind == C_SUP_DESCR) {
        free(sp->descr);
        sp->descr = value_text(v);
    } else if (kind == C_SUP_MAX) {
        sp->max = value_ll(v);
    } else {
        sp->level = v->type == ASN_INTEGER ? *v->val.integer : -2;
    }
}

/* PH_USM_WAIT: the engine ID is known, but another device in flight has the same engine ID
 * and v3 user: net-snmp keeps one process-wide USM user per (engine ID, user), so the two
 * would share keys. This one waits until that poll ends (see usm_clash()). */
enum phase { PH_PROBE, PH_USM_WAIT, PH_SYSTEM, PH_WALK, PH_DONE };

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
    d->phase = PH_SYSTEM;
    ask_system(d);
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
    r->uptime_ticks = -1;
    r->hr_memory_kb = r->ucd_total_kb = r->ucd_avail_kb = -1;
    r->ucd_buffer_kb = r->ucd_cached_kb = -1;
    r->ups_battery_status = r->ups_minutes = r->ups_charge = r->ups_output_source = -1;
    if (strcmp(t->version, "3") == 0 && probe_start(d))
        return 0;
    kept = strcmp(t->version, "3") != 0 ? kept_take(e, t) : NULL;
    if (kept) { /* the session (and socket) of this device's last poll */
        netsnmp_transport *tr = snmp_sess_transport(kept);
        d->sess = kept;
        d->fd = tr ? tr->sock : -1;
        d->phase = PH_SYSTEM;
        ask_system(d);
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
    d->r->done_mono_ms = ww_mono_ms();
    d->r->poll_ms = d->r->done_mono_ms - d->t0;
    if (d->r->ok && d->r->error[0])
        ww_log(WW_LOG_DEBUG, "collector: device %lld: incomplete: %s", d->t->device_id,
               d->r->error);
}

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
    struct dev *devs; /* window slots; t == NULL when free */
    void **tags;
    struct pollfd *pfds;
    size_t *slot_of; /* pfds index -> devs index */
    size_t window, active;
    netsnmp_large_fd_set lfs;
    int lfs_size;
};

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
    if ((size_t)t->device_id >= e->kept_len) {
        size_t len = e->kept_len ? e->kept_len : 1024;
        while (len <= (size_t)t->device_id)
            len *= 2;
        e->kept = ww_reallocarray(e->kept, len, sizeof(*e->kept));
        memset(e->kept + e->kept_len, 0, (len - e->kept_len) * sizeof(*e->kept));
        e->kept_len = len;
    }
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

/* now and then: close the sessions of devices not polled for a while (removed ones) */
static void kept_sweep(struct coll_engine *e, int64_t now)
{
    if (now - e->kept_swept < 60000)
        return;
    e->kept_swept = now;
    for (size_t i = 0; i < e->kept_len; i++)
        if (e->kept[i].sess && now - e->kept[i].used > KEPT_IDLE_MS)
            kept_close(e, &e->kept[i]);
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
    return e;
}

void coll_engine_free(struct coll_engine *e)
{
    if (!e)
        return;
    e->stopping = true;
    for (size_t i = 0; i < e->window; i++) {
        if (e->devs[i].t) {
            set_error(e->devs[i].r, "stopped");
            dev_close(&e->devs[i]);
        }
    }
    for (size_t i = 0; i < e->kept_len; i++)
        kept_close(e, &e->kept[i]);
    free(e->kept);
    netsnmp_large_fd_set_cleanup(&e->lfs);
    free(e->slot_of);
    free(e->pfds);
    free(e->tags);
    free(e->devs);
    free(e);
}

void coll_engine_cancel(struct coll_engine *e, coll_done_fn *done, void *arg)
{
    e->stopping = true;
    for (size_t i = 0; i < e->window; i++) {
        struct dev *d = &e->devs[i];
        if (!d->t)
            continue;
        set_error(d->r, "stopped");
        dev_close(d);
        d->t = NULL;
        e->active--;
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
    for (size_t i = 0; i < e->window; i++) {
        if (e->devs[i].t)
            continue;
        memset(r, 0, sizeof(*r));
        e->tags[i] = tag;
        e->active++;
        dev_start(e, &e->devs[i], t, r);
        return 0;
    }
    return -EBUSY;
}

/* does a poll in flight other than @d hold a v3 session for @d's engine ID and user? */
static bool usm_clash(const struct coll_engine *e, const struct dev *d)
{
    for (size_t i = 0; i < e->window; i++) {
        const struct dev *o = &e->devs[i];
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

    for (size_t i = 0; i < e->window; i++) {
        if (e->devs[i].t && e->devs[i].phase != PH_DONE && e->devs[i].fd >= 0) {
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
            NETSNMP_LARGE_FD_ZERO(&e->lfs);
            NETSNMP_LARGE_FD_SET(d->fd, &e->lfs);
            snmp_sess_read2(d->sess, &e->lfs);
        }
    }
    now = ww_mono_ms();
    kept_sweep(e, now);
    for (size_t i = 0; i < e->window; i++) {
        struct dev *d = &e->devs[i];
        if (!d->t)
            continue;
        if (d->phase == PH_PROBE)
            probe_tick(d, now);
        if (d->phase == PH_USM_WAIT)
            usm_wait_tick(e, d, now);
        else if (d->phase != PH_DONE && d->phase != PH_PROBE) {
            snmp_sess_timeout(d->sess); /* retries, or TIMED_OUT to on_answer() */
            if (d->phase != PH_DONE && now > d->deadline) {
                set_error(d->r, "poll deadline of %ld ms passed", d->t->deadline_ms);
                finish(d);
            }
        }
        if (d->phase == PH_DONE) {
            struct coll_result *r = d->r;
            dev_close(d);
            d->t = NULL;
            e->active--;
            if (done)
                done(arg, e->tags[i], r);
        }
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

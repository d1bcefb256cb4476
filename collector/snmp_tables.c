/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * snmp_tables.c - what the engine asks and how it reads the answers: the OID tables (the
 * first GET's scalars, the interface, HOST-RESOURCES, Printer-MIB, LLDP and CDP columns),
 * the decoding of each value into struct coll_result (strings cut to COLL_STR_MAX and made
 * valid UTF-8), and the result's set-up, error and release.
 */
#include "collector/snmp_int.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

/* in enum coll_err order; the names are stored and shown: never rename one */
static const char *const err_names[] = {
    [COLL_ERR_NONE] = "none",
    [COLL_ERR_TIMEOUT] = "timeout",
    [COLL_ERR_DEADLINE] = "deadline",
    [COLL_ERR_SEND_FAILED] = "send_failed",
    [COLL_ERR_AGENT_ERROR] = "agent_error",
    [COLL_ERR_NO_SYSTEM_GROUP] = "no_system_group",
    [COLL_ERR_TOO_MANY_VALUES] = "too_many_values",
    [COLL_ERR_V3_REFUSED] = "v3_refused",
    [COLL_ERR_V3_CONFIG] = "v3_config",
    [COLL_ERR_V3_SESSION] = "v3_session",
    [COLL_ERR_SESSION_OPEN] = "session_open",
    [COLL_ERR_STOPPED] = "stopped",
    [COLL_ERR_WAITING_ENGINE] = "waiting_engine",
    [COLL_ERR_UNEXPECTED] = "unexpected",
};
_Static_assert(WW_ARRAY_SIZE(err_names) == COLL_ERR_COUNT, "a name for every enum coll_err");

const char *coll_err_name(enum coll_err code)
{
    if ((unsigned)code >= WW_ARRAY_SIZE(err_names) || !err_names[code])
        return "unknown";
    return err_names[code];
}

int coll_err_parse(const char *name, enum coll_err *out_code)
{
    for (size_t i = 0; name && i < WW_ARRAY_SIZE(err_names); i++) {
        if (err_names[i] && strcmp(err_names[i], name) == 0) {
            *out_code = (enum coll_err)i;
            return 0;
        }
    }
    return -EINVAL;
}

void coll_set_error(struct coll_result *r, enum coll_err code, const char *param,
                    const char *fmt, ...)
{
    va_list ap;
    if (r->error[0])
        return;
    va_start(ap, fmt);
    vsnprintf(r->error, sizeof(r->error), fmt, ap);
    va_end(ap);
    r->err_code = code;
    snprintf(r->err_param, sizeof(r->err_param), "%s", param ? param : "");
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

/* like value_text(), but the line breaks are kept, each CR LF, CR or LF as one "\n": a
 * multi-line sysDescr's OS name is its first line (coll_os_name()) */
static char *value_lines(const netsnmp_variable_list *v)
{
    const char *s, *end;
    struct ww_buf b;

    if (v->type != ASN_OCTET_STR || !v->val.string)
        return NULL;
    s = (const char *)v->val.string;
    end = s + (v->val_len < COLL_STR_MAX ? v->val_len : COLL_STR_MAX);
    ww_buf_init(&b, (size_t)(end - s) * 3 + 1); /* U+FFFD is 3 bytes */
    for (;;) {
        const char *e = s;
        char *line;
        while (e < end && *e != '\r' && *e != '\n')
            e++;
        line = ww_utf8_sanitize(s, (size_t)(e - s));
        ww_buf_addstr(&b, line);
        free(line);
        if (e == end)
            break;
        ww_buf_addstr(&b, "\n");
        s = e + (e[0] == '\r' && e + 1 < end && e[1] == '\n' ? 2 : 1);
    }
    return ww_buf_detach(&b);
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

bool coll_is_exception(const netsnmp_variable_list *v)
{
    return v->type == SNMP_NOSUCHOBJECT || v->type == SNMP_NOSUCHINSTANCE ||
           v->type == SNMP_ENDOFMIBVIEW || v->type == ASN_NULL;
}

#define SYSG(n, k) {{1, 3, 6, 1, 2, 1, 1, n, 0}, 9, k}
const struct scalar coll_scalars[] = {
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
    SYSG(7, SC_SERVICES),                                        /* sysServices */
};
static long long value_ll(const netsnmp_variable_list *v)
{
    uint64_t u;
    if (v->type == ASN_INTEGER)
        return *v->val.integer;
    return value_u64(v, &u) && u <= (uint64_t)LLONG_MAX ? (long long)u : -1;
}

/* returns true when @v was one of the system group */
bool coll_take_scalar(struct coll_result *r, const netsnmp_variable_list *v)
{
    const struct scalar *sc = NULL;
    char *lines;
    uint64_t u;

    for (size_t i = 0; i < WW_ARRAY_SIZE(coll_scalars); i++)
        if (snmp_oid_compare(v->name, v->name_length, coll_scalars[i].name,
                             coll_scalars[i].len) == 0)
            sc = &coll_scalars[i];
    if (!sc || coll_is_exception(v))
        return false;
    r->n_values++;
    switch (sc->kind) {
    case SC_DESCR:
        free(r->sys_descr);
        r->sys_descr = value_text(v); /* stored: its line breaks become spaces */
        free(r->os_name);
        lines = value_lines(v);
        r->os_name = coll_os_name(lines);
        free(lines);
        break;
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
    case SC_SERVICES: r->sys_services = value_ll(v); break;
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

#define IFT(col, kind) {{1, 3, 6, 1, 2, 1, 2, 2, 1, col}, 10, kind, 0}
#define IFX(col, kind) {{1, 3, 6, 1, 2, 1, 31, 1, 1, 1, col}, 11, kind, 0}

static const struct column if_columns[] = {
    IFT(2, C_DESCR),       IFT(3, C_TYPE),   IFT(5, C_SPEED),   IFT(7, C_ADMIN),
    IFT(8, C_OPER),        IFT(10, C_IN32),  IFT(14, C_INERR),  IFT(16, C_OUT32),
    IFT(20, C_OUTERR),     IFX(1, C_NAME),   IFX(6, C_INHC),    IFX(10, C_OUTHC),
    IFX(15, C_HIGHSPEED),  IFX(18, C_ALIAS),
};

#define HRS(col, kind) {{1, 3, 6, 1, 2, 1, 25, 2, 3, 1, col}, 11, kind, 0}
#define HRD(col, kind) {{1, 3, 6, 1, 2, 1, 25, 3, 2, 1, col}, 11, kind, 0}
#define PRS(col, kind) {{1, 3, 6, 1, 2, 1, 43, 11, 1, 1, col}, 11, kind, 0}
static const struct column hr_columns[] = {
    HRS(2, C_ST_TYPE), HRS(3, C_ST_DESCR), HRS(4, C_ST_UNITS), HRS(5, C_ST_SIZE),
    HRS(6, C_ST_USED),
    HRD(2, C_DEV_TYPE), HRD(3, C_DEV_DESCR),
    {{1, 3, 6, 1, 2, 1, 25, 3, 3, 1, 2}, 11, C_PROC_LOAD, 0}, /* hrProcessorLoad */
    PRS(6, C_SUP_DESCR), PRS(8, C_SUP_MAX), PRS(9, C_SUP_LEVEL),
};

/* LLDP-MIB lldpRemTable (index timeMark.localPortNum.remIndex) and CISCO-CDP-MIB
 * cdpCacheTable (index ifIndex.deviceIndex): walked only when the target asks for them */
#define LLDP(col, kind) {{1, 0, 8802, 1, 1, 2, 1, 4, 1, 1, col}, 11, kind, 0}
#define CDP(col, kind) {{1, 3, 6, 1, 4, 1, 9, 9, 23, 1, 2, 1, 1, col}, 14, kind, 0}
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

/* the registration points of the standard types (HOST-RESOURCES-TYPES) */
static const oid hr_storage_types[] = {1, 3, 6, 1, 2, 1, 25, 2, 1}; /* hrStorageTypes */
static const oid hr_device_types[] = {1, 3, 6, 1, 2, 1, 25, 3, 1};  /* hrDeviceTypes */

/* a type OID value as the standard type's number N, only when the whole value is
 * @prefix.N: a vendor's type (a copier's ...2385.1.1.3.1.3) is not standard type 3, it is
 * 0 (other/unknown) */
static long long std_type(const netsnmp_variable_list *v, const oid *prefix, size_t plen)
{
    if (v->type != ASN_OBJECT_ID || !v->val.objid || v->val_len != (plen + 1) * sizeof(oid) ||
        snmp_oid_compare(v->val.objid, plen, prefix, plen) != 0)
        return 0;
    return (long long)v->val.objid[plen];
}

/* one table cell into the result; @suffix/@slen: the index sub-ids after the column */
void coll_take_cell(struct coll_result *r, enum col_kind kind, const oid *suffix, size_t slen,
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
        case C_ST_TYPE:
            st->type = std_type(v, hr_storage_types, WW_ARRAY_SIZE(hr_storage_types));
            break;
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
            hd->type = std_type(v, hr_device_types, WW_ARRAY_SIZE(hr_device_types));
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

const struct table coll_tables[] = {
    {if_columns, 9},     /* ifTable */
    {if_columns + 9, 5}, /* ifXTable */
    {hr_columns, 5},     /* hrStorageTable */
    {hr_columns + 5, 2}, /* hrDeviceTable */
    {hr_columns + 7, 1}, /* hrProcessorTable */
    {hr_columns + 8, 3}, /* prtMarkerSuppliesTable */
    {nb_columns, 4},     /* lldpRemTable: only with coll_target.neighbors */
    {nb_columns + 4, 3}, /* cdpCacheTable: the same */
};
/* the column of a table cell kind: if_columns and hr_columns are in enum col_kind order */
const struct column *coll_column_of(unsigned kind)
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

void coll_result_init(struct coll_result *r)
{
    memset(r, 0, sizeof(*r));
    r->uptime_ticks = -1;
    r->if_number = r->if_last_change = -1;
    r->hr_memory_kb = r->ucd_total_kb = r->ucd_avail_kb = -1;
    r->ucd_buffer_kb = r->ucd_cached_kb = -1;
    r->ups_battery_status = r->ups_minutes = r->ups_charge = r->ups_output_source = -1;
    r->sys_services = -1;
    for (size_t i = 0; i < COLL_PM_COUNT; i++)
        r->pm[i] = NAN;
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
    free(r->os_name);
    free(r->sys_object_id);
    free(r->sys_name);
    free(r->sys_contact);
    free(r->sys_location);
    for (size_t i = 0; i < COLL_PT_COUNT; i++)
        free(r->pt[i]);
    free(r->pinst);
    memset(r, 0, sizeof(*r));
}

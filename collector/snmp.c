/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * snmp.c - read one device over SNMP v1/v2c with net-snmp's single-session API: the system
 * group in one GET, then the IF-MIB columns each walked with GETBULK (GETNEXT for v1).
 *
 * DESIGN: every call opens its own session, so worker threads share nothing but net-snmp's
 * one-time init. A walk stops at the end of its column, at an OID that does not increase
 * (broken agents loop), at the per-device value cap and at the per-device deadline. Every
 * string from the device is cut to COLL_STR_MAX and sanitized to UTF-8 before it leaves.
 */
#include "collector/collector.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "common/banned.h"

#define BULK_REPS 32

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

struct poll_ctx {
    void *sess;
    const struct coll_target *t;
    struct coll_result *r;
    int64_t deadline;
};

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

/* send @pdu (consumed: net-snmp frees it in every case) and wait for the answer */
static int request(struct poll_ctx *c, netsnmp_pdu *pdu, netsnmp_pdu **out_resp)
{
    int status;

    *out_resp = NULL;
    if (ww_mono_ms() > c->deadline) {
        snmp_free_pdu(pdu);
        set_error(c->r, "poll deadline of %ld ms passed", c->t->deadline_ms);
        return -ETIMEDOUT;
    }
    status = snmp_sess_synch_response(c->sess, pdu, out_resp);
    if (status == STAT_SUCCESS)
        return 0;
    if (*out_resp) {
        snmp_free_pdu(*out_resp);
        *out_resp = NULL;
    }
    if (status == STAT_TIMEOUT) {
        set_error(c->r, "no answer (timeout)");
        return -ETIMEDOUT;
    }
    {
        char *msg = NULL;
        int liberr = 0, syserr = 0;
        snmp_sess_error(c->sess, &liberr, &syserr, &msg);
        set_error(c->r, "snmp error: %s", msg ? msg : "unknown");
        free(msg);
    }
    return -EIO;
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

static const oid OID_SYSTEM[] = {1, 3, 6, 1, 2, 1, 1};
enum { SYSG_DESCR = 1, SYSG_OBJECTID = 2, SYSG_UPTIME = 3, SYSG_CONTACT = 4, SYSG_NAME = 5,
       SYSG_LOCATION = 6 };

static void take_system(struct coll_result *r, const netsnmp_variable_list *v)
{
    uint64_t u;
    if (v->name_length != 9 || memcmp(v->name, OID_SYSTEM, sizeof(OID_SYSTEM)) != 0 ||
        v->name[8] != 0 || is_exception(v))
        return;
    r->n_values++;
    switch (v->name[7]) {
    case SYSG_DESCR:
        free(r->sys_descr);
        r->sys_descr = value_text(v);
        break;
    case SYSG_OBJECTID:
        free(r->sys_object_id);
        r->sys_object_id = value_oid(v);
        break;
    case SYSG_UPTIME:
        if (v->type == ASN_TIMETICKS && value_u64(v, &u))
            r->uptime_ticks = (long long)u;
        break;
    case SYSG_CONTACT:
        free(r->sys_contact);
        r->sys_contact = value_text(v);
        break;
    case SYSG_NAME:
        free(r->sys_name);
        r->sys_name = value_text(v);
        break;
    case SYSG_LOCATION:
        free(r->sys_location);
        r->sys_location = value_text(v);
        break;
    }
}

static int get_system(struct poll_ctx *c, bool one_by_one)
{
    static const int cols[] = {SYSG_DESCR,   SYSG_OBJECTID, SYSG_UPTIME,
                               SYSG_CONTACT, SYSG_NAME,     SYSG_LOCATION};
    oid name[9];
    int ret = 0;

    memcpy(name, OID_SYSTEM, sizeof(OID_SYSTEM));
    name[8] = 0;
    for (size_t i = 0; i < WW_ARRAY_SIZE(cols);) {
        netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GET), *resp = NULL;
        size_t end = one_by_one ? i + 1 : WW_ARRAY_SIZE(cols);
        for (size_t k = i; k < end; k++) {
            name[7] = (oid)cols[k];
            snmp_add_null_var(pdu, name, 9);
        }
        ret = request(c, pdu, &resp);
        if (ret < 0)
            return ret;
        if (resp->errstat == SNMP_ERR_NOSUCHNAME && !one_by_one) {
            /* SNMPv1: one missing object fails the whole GET; ask one at a time */
            snmp_free_pdu(resp);
            return get_system(c, true);
        }
        if (resp->errstat == SNMP_ERR_NOERROR) {
            for (netsnmp_variable_list *v = resp->variables; v; v = v->next_variable)
                take_system(c->r, v);
        } else if (resp->errstat != SNMP_ERR_NOSUCHNAME) {
            set_error(c->r, "agent answered error %ld (%s)", resp->errstat,
                      snmp_errstring((int)resp->errstat));
            snmp_free_pdu(resp);
            return -EPROTO;
        }
        snmp_free_pdu(resp);
        i = end;
    }
    return 0;
}

/* ---- interfaces ------------------------------------------------------------------------- */

static struct coll_if *if_row(struct coll_result *r, long long if_index, size_t *cap)
{
    size_t lo = 0, hi = r->n_ifs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->ifs[mid].if_index == if_index)
            return &r->ifs[mid];
        if (r->ifs[mid].if_index < if_index)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (r->n_ifs == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        r->ifs = ww_reallocarray(r->ifs, *cap, sizeof(*r->ifs));
    }
    memmove(&r->ifs[lo + 1], &r->ifs[lo], (r->n_ifs - lo) * sizeof(*r->ifs));
    memset(&r->ifs[lo], 0, sizeof(r->ifs[lo]));
    r->ifs[lo].if_index = if_index;
    r->n_ifs++;
    return &r->ifs[lo];
}

enum col_kind { C_DESCR, C_TYPE, C_SPEED, C_ADMIN, C_OPER, C_IN32, C_INERR, C_OUT32, C_OUTERR,
                C_NAME, C_INHC, C_OUTHC, C_HIGHSPEED, C_ALIAS };

struct column {
    oid base[11];
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
    }
}

/* walk one table column; rows by the single sub-identifier after the column OID */
static int walk_column(struct poll_ctx *c, const struct column *col, size_t *cap)
{
    oid cur[MAX_OID_LEN];
    size_t cur_len = col->len;
    bool v1 = strcmp(c->t->version, "1") == 0;

    memcpy(cur, col->base, col->len * sizeof(oid));
    for (;;) {
        netsnmp_pdu *pdu = snmp_pdu_create(v1 ? SNMP_MSG_GETNEXT : SNMP_MSG_GETBULK);
        netsnmp_pdu *resp = NULL;
        bool done = false;
        int ret;

        if (!v1) {
            pdu->non_repeaters = 0;
            pdu->max_repetitions = BULK_REPS;
        }
        snmp_add_null_var(pdu, cur, cur_len);
        ret = request(c, pdu, &resp);
        if (ret < 0)
            return ret;
        if (resp->errstat != SNMP_ERR_NOERROR || !resp->variables) {
            /* v1 noSuchName = end of the MIB view; anything else ends this column too */
            snmp_free_pdu(resp);
            return 0;
        }
        for (netsnmp_variable_list *v = resp->variables; v; v = v->next_variable) {
            if (is_exception(v) || v->name_length != col->len + 1 ||
                snmp_oidtree_compare(col->base, col->len, v->name, v->name_length) != 0) {
                done = true; /* left the column */
                break;
            }
            if (snmp_oid_compare(v->name, v->name_length, cur, cur_len) <= 0) {
                done = true; /* the agent went backwards: stop rather than loop */
                break;
            }
            if (++c->r->n_values > COLL_MAX_VALUES) {
                set_error(c->r, "more than %d values: agent ignored", COLL_MAX_VALUES);
                snmp_free_pdu(resp);
                return -E2BIG;
            }
            take_if(if_row(c->r, (long long)v->name[col->len], cap), col->kind, v);
            memcpy(cur, v->name, v->name_length * sizeof(oid));
            cur_len = v->name_length;
        }
        snmp_free_pdu(resp);
        if (done)
            return 0;
    }
}

int coll_snmp_poll(const struct coll_target *t, struct coll_result *out)
{
    netsnmp_session s;
    struct poll_ctx c = {0};
    char peer[300];
    int64_t t0 = ww_mono_ms();
    size_t cap = 0;
    int ret;

    out->uptime_ticks = -1;
    if (!t->host || !t->version || !t->community)
        return -EINVAL;
    snmp_sess_init(&s);
    if (strchr(t->host, ':'))
        snprintf(peer, sizeof(peer), "udp6:[%s]:%lld", t->host, t->port);
    else
        snprintf(peer, sizeof(peer), "udp:%s:%lld", t->host, t->port);
    s.peername = peer;
    s.version = strcmp(t->version, "1") == 0 ? SNMP_VERSION_1 : SNMP_VERSION_2c;
    s.community = (u_char *)(uintptr_t)t->community;
    s.community_len = strlen(t->community);
    s.timeout = t->timeout_ms * 1000L;
    s.retries = t->retries;

    c.t = t;
    c.r = out;
    c.deadline = t0 + t->deadline_ms;
    c.sess = snmp_sess_open(&s);
    if (!c.sess) {
        set_error(out, "cannot open SNMP session to %s", peer);
        goto out;
    }
    ret = get_system(&c, false);
    if (ret < 0)
        goto out;
    if (out->n_values == 0) {
        set_error(out, "agent answers but gives no system group");
        goto out;
    }
    out->ok = true;
    for (size_t i = 0; i < WW_ARRAY_SIZE(if_columns); i++) {
        ret = walk_column(&c, &if_columns[i], &cap);
        if (ret < 0) {
            /* the device answered the system group: it is up, its interfaces incomplete */
            ww_log(WW_LOG_WARN, "collector: device %lld: interfaces incomplete: %s",
                   t->device_id, out->error);
            break;
        }
    }
out:
    if (c.sess)
        snmp_sess_close(c.sess);
    out->poll_ms = ww_mono_ms() - t0;
    return 0;
}

void coll_result_release(struct coll_result *r)
{
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

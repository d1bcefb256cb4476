/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * snmp_counter.c - counter polls and the device shapes they rest on: after a complete full
 * poll the engine keeps what the device looks like and which instances move; the next polls
 * GET exactly those, through net-snmp or (v1/v2c at a numeric address) as our own BER on the
 * kept session's socket.
 */
#include "collector/snmp_int.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

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
/* the column of a table entry: a profile's value column, or a standard one */
static const struct column *qent_column(const struct shape *s, const struct qent *q)
{
    return q->what == C_PROF ? coll_profile_column(s->tmpl.profile, q->pv)
                             : coll_column_of(q->what);
}

static size_t qent_oid(const struct shape *s, const struct qent *q, oid *out)
{
    const struct column *c;

    if (!q->nsfx) {
        memcpy(out, coll_scalars[q->what].name, coll_scalars[q->what].len * sizeof(oid));
        return coll_scalars[q->what].len;
    }
    c = qent_column(s, q);
    memcpy(out, c->base, c->len * sizeof(oid));
    for (size_t i = 0; i < q->nsfx; i++)
        out[c->len + i] = q->sfx[i];
    return c->len + q->nsfx;
}

/* the answer's bytes for @q, a little over: varbind and OID headers, the OID, a Counter64 */
static size_t qent_bytes(const struct shape *s, const struct qent *q)
{
    size_t n = 4 + 11 + (q->nsfx ? qent_column(s, q)->len : coll_scalars[q->what].len);
    for (size_t i = 0; i < q->nsfx; i++)
        n += q->sfx[i] < 128 ? 1 : q->sfx[i] < 16384 ? 2 : q->sfx[i] < 2097152 ? 3 : 5;
    return n;
}

static char *dup_or_null(const char *s)
{
    return s ? ww_strdup(s) : NULL;
}

/* the descriptive part of @src into @dst (fresh from coll_result_init()): every row with its
 * names and sizes, what moves cleared; not the system group strings, not the neighbours */
static void copy_desc(struct coll_result *dst, const struct coll_result *src)
{
    dst->hr_memory_kb = src->hr_memory_kb;
    dst->ucd_total_kb = src->ucd_total_kb;
    dst->sys_services = src->sys_services;
    dst->profile = src->profile;
    dst->probes = src->probes;
    for (size_t i = 0; i < COLL_PT_COUNT; i++)
        dst->pt[i] = dup_or_null(src->pt[i]);
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

static void qents_add_pv(struct qents *q, unsigned what, unsigned nsfx, uint32_t a, uint32_t b,
                        unsigned pv)
{
    if (q->n == q->cap) {
        q->cap = q->cap ? q->cap * 2 : 64;
        q->v = ww_reallocarray(q->v, q->cap, sizeof(*q->v));
    }
    q->v[q->n++] = (struct qent){
        .sfx = {a, b}, .nsfx = (uint8_t)nsfx, .what = (uint8_t)what, .pv = (uint16_t)pv};
}

static void qents_add(struct qents *q, unsigned what, unsigned nsfx, uint32_t a, uint32_t b)
{
    qents_add_pv(q, what, nsfx, a, b, 0);
}

/* what moves in the full poll @r, as instances to GET; false when some index is not one
 * sub-id (no counter poll for this device then) */
static bool shape_ents(const struct coll_result *r, struct qents *q)
{
    for (size_t i = 0; i < WW_ARRAY_SIZE(coll_scalars); i++) {
        long long have;
        switch (coll_scalars[i].kind) {
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
    for (size_t i = 0; i < r->n_pinst; i++) { /* what the profile's OIDs measure */
        const struct coll_pinst *pi = &r->pinst[i];
        if (!pi->nsfx)
            return false;
        qents_add_pv(q, C_PROF, pi->nsfx, pi->sfx[0], pi->sfx[1], pi->pv);
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
        size_t b = qent_bytes(s, &s->ents[k]);
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
        size_t len = qent_oid(d->shape, &d->shape->ents[d->qpos + k], name);
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
    coll_set_error(d->r, COLL_ERR_SEND_FAILED, n ? strerror(errno) : "request not encodable",
                   "snmp send: %s", n ? strerror(errno) : "request not encodable");
    coll_dev_finish(d);
}

void coll_ask_quick(struct dev *d)
{
    netsnmp_pdu *pdu;
    oid name[MAX_OID_LEN];

    if (ww_mono_ms() > d->deadline) {
        coll_dev_deadline(d, "");
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
        snmp_add_null_var(pdu, name, qent_oid(d->shape, &d->shape->ents[k], name));
    coll_send_pdu(d, pdu);
}

/* the shape no longer holds: this same poll walks everything */
static void quick_to_full(struct dev *d, const char *why)
{
    ww_log(WW_LOG_DEBUG, "collector: device %lld: %s: a full poll", d->t->device_id, why);
    coll_shape_drop(d->eng, d->t->device_id);
    d->shape = NULL;
    d->own = false;
    coll_result_release(d->r);
    coll_result_init(d->r);
    d->sys_left = coll_system_mask();
    d->sys_seen = 0;
    d->phase = PH_SYSTEM;
    coll_ask_system(d);
}

/* an answer's error status: false when it was dealt with (asked again smaller, or a full
 * poll started) */
static bool quick_status(struct dev *d, long errstat)
{
    if (errstat == SNMP_ERR_TOOBIG && d->qsent > 1) {
        d->shape->budget /= 2;
        coll_ask_quick(d);
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
    size_t len = qent_oid(d->shape, q, name);

    if (coll_is_exception(v) || snmp_oid_compare(v->name, v->name_length, name, len) != 0)
        return false;
    if (!q->nsfx) {
        coll_take_scalar(d->r, v);
    } else if (q->what == C_PROF) {
        d->r->n_values++;
        coll_profile_take(d->r, q->pv, v->name + (len - q->nsfx), q->nsfx, v);
    } else {
        d->r->n_values++;
        coll_take_cell(d->r, q->what, v->name + (len - q->nsfx), q->nsfx, v);
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
        coll_ask_quick(d);
        return;
    }
    if ((s->uptime_ticks >= 0 && d->r->uptime_ticks < s->uptime_ticks) ||
        d->r->if_number != s->if_number || d->r->if_last_change != s->if_last_change) {
        quick_to_full(d, "restarted or interfaces changed");
        return;
    }
    s->uptime_ticks = d->r->uptime_ticks;
    coll_dev_finish(d);
}

void coll_on_quick(struct dev *d, netsnmp_pdu *pdu)
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

/* an answer read by coll_quick_read(): the same steps as coll_on_quick() */
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
        /* only what coll_take_scalar() and coll_take_cell() read of a netsnmp variable */
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
void coll_quick_read(struct coll_engine *e, struct dev *d)
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
void coll_quick_tick(struct dev *d, int64_t now)
{
    if (now - d->qsent_at < d->t->timeout_ms)
        return;
    if (d->qtries <= d->t->retries) {
        quick_send_own(d);
        return;
    }
    if (d->qpos > 0 && d->qsent > 1) { /* as in on_answer(): ask smaller */
        d->shape->budget /= 2;
        coll_ask_quick(d);
        return;
    }
    coll_set_error(d->r, COLL_ERR_TIMEOUT, NULL, "no answer (timeout)");
    coll_dev_finish(d);
}

/* ---- shapes: by device id, like kept sessions -------------------------------------------- */

void coll_shape_free(struct shape *s)
{
    if (!s)
        return;
    coll_result_release(&s->tmpl);
    free(s->ents);
    free(s);
}

void coll_shape_drop(struct coll_engine *e, long long device_id)
{
    if (device_id <= 0 || (size_t)device_id >= e->shapes_len)
        return;
    coll_shape_free(e->shapes[device_id]);
    e->shapes[device_id] = NULL;
}

/* @t's device's shape when it came from a full poll with the same settings, else NULL */
static struct shape *shape_get(struct coll_engine *e, const struct coll_target *t)
{
    struct shape *s;

    if (t->device_id <= 0 || (size_t)t->device_id >= e->shapes_len)
        return NULL;
    s = e->shapes[t->device_id];
    if (s && s->sig != coll_target_sig(t)) {
        coll_shape_drop(e, t->device_id);
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
        coll_shape_drop(e, t->device_id);
        return;
    }
    e->shapes = ww_grow_zeroed(e->shapes, &e->shapes_len, (size_t)t->device_id,
                               sizeof(*e->shapes));
    s = e->shapes[t->device_id];
    if (s && s->sig == coll_target_sig(t))
        budget = s->budget; /* what the agent's answers taught stays learned */
    coll_shape_free(s);
    s = ww_calloc(1, sizeof(*s));
    s->sig = coll_target_sig(t);
    s->used = ww_mono_ms();
    coll_result_init(&s->tmpl);
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
void coll_ask_first(struct dev *d)
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
        coll_ask_quick(d);
        return;
    }
    d->phase = PH_SYSTEM;
    coll_ask_system(d);
}

/* a poll ends: a complete full poll leaves its shape, a failed one drops it */
void coll_shape_after(struct dev *d)
{
    struct coll_engine *e = d->eng;

    d->shape = NULL;
    if (!e || e->stopping)
        return;
    if (!d->r->ok)
        coll_shape_drop(e, d->t->device_id);
    else if (!d->r->quick && !d->r->error[0])
        shape_save(e, d->t, d->r);
}

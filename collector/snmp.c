/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * snmp.c - the asynchronous SNMP engine (coll_engine_*(), coll_poll_all()): many devices in
 * flight at once on net-snmp's single-session API, one state machine per device, the
 * v1/v2c sessions kept between polls, and the poll() loop that drives them all.
 *
 * DESIGN
 * Threads: the engine starts none and locks nothing. It belongs to the one thread that
 * calls coll_engine_*() on it (sched.c's poll thread, or coll_poll_all()'s caller);
 * coll_snmp_init() runs once before any thread.
 * Ownership: the engine owns its window of struct dev slots, the kept sessions and the
 * shapes (both by device id). A poll in flight borrows its target and result from the
 * caller until done() hands the result back, and its shape from the engine.
 * Each device in flight has its own net-snmp session (its own UDP socket), and all their
 * sockets are waited for with one poll(). An answer runs on_answer() through
 * snmp_sess_read2(), which sends the device's next request (snmp_walk.c, snmp_counter.c)
 * or marks it finished; snmp_sess_timeout() drives net-snmp's retries. Our own sockets
 * (the v3 engine-ID probe of usm_probe.c, the counter GETs in our own BER) are read and
 * timed in the same loop. A device past its deadline is cut off. Finished sessions are
 * closed by the loop, never inside their own callback. A slow or dead device holds one
 * window slot until its timeout and never delays another.
 * A poll's phases: PH_PROBE (v3 engine ID), PH_USM_WAIT (snmp_v3.c), then PH_SYSTEM and
 * PH_WALK for a full poll or PH_QUICK for a counter poll (which may turn into a full one
 * inside the same poll), then PH_DONE. The engine's files share snmp_int.h.
 */
#include "collector/snmp_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "common/banned.h"

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

static int on_answer(int op, netsnmp_session *s, int reqid, netsnmp_pdu *pdu, void *magic);

void coll_dev_finish(struct dev *d)
{
    if (d->phase != PH_DONE)
        coll_profile_finish(d->r);
    d->phase = PH_DONE;
}

/* the deadline is the error's parameter, so the UI can say it in its own words */
void coll_dev_deadline(struct dev *d, const char *waiting)
{
    char ms[24];

    snprintf(ms, sizeof(ms), "%ld", d->t->deadline_ms);
    coll_set_error(d->r, COLL_ERR_DEADLINE, ms, "poll deadline of %s ms passed%s", ms, waiting);
    coll_dev_finish(d);
}

/* send @pdu (consumed in every case); on failure the device is finished */
void coll_send_pdu(struct dev *d, netsnmp_pdu *pdu)
{
    if (ww_mono_ms() > d->deadline) {
        snmp_free_pdu(pdu);
        coll_dev_deadline(d, "");
        return;
    }
    if (snmp_sess_async_send(d->sess, pdu, on_answer, d) != 0) {
        d->outstanding++;
    } else {
        char *msg = NULL;
        int liberr = 0, syserr = 0;
        snmp_free_pdu(pdu);
        snmp_sess_error(d->sess, &liberr, &syserr, &msg);
        coll_set_error(d->r, COLL_ERR_SEND_FAILED, msg ? msg : "failed", "snmp send: %s",
                       msg ? msg : "failed");
        free(msg);
        coll_dev_finish(d);
    }
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
        coll_ask_walk(d);
        return 1;
    }
    if (op == NETSNMP_CALLBACK_OP_TIMED_OUT && d->phase == PH_QUICK && d->qpos > 0 &&
        d->qsent > 1) {
        /* it answered the first GET: this answer was lost, maybe too big to arrive */
        d->shape->budget /= 2;
        coll_ask_quick(d);
        return 1;
    }
    if (op == NETSNMP_CALLBACK_OP_TIMED_OUT) {
        coll_set_error(d->r, COLL_ERR_TIMEOUT, NULL, "no answer (timeout)");
        coll_dev_finish(d);
        return 1;
    }
    if (op == NETSNMP_CALLBACK_OP_RESEND)
        return 1; /* net-snmp sends again (engine time re-synchronised): keep waiting */
    if (op == NETSNMP_CALLBACK_OP_SEC_ERROR ||
        (op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE && pdu && pdu->command == SNMP_MSG_REPORT)) {
        coll_v3_refused(d->r, pdu);
        coll_dev_finish(d);
        return 1;
    }
    if (op != NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE || !pdu) {
        char opnum[16];
        snprintf(opnum, sizeof(opnum), "%d", op);
        coll_set_error(d->r, COLL_ERR_UNEXPECTED, opnum, "snmp: unexpected event %d", op);
        coll_dev_finish(d);
        return 1;
    }
    if (d->phase == PH_SYSTEM)
        coll_on_system(d, pdu);
    else if (d->phase == PH_QUICK)
        coll_on_quick(d, pdu);
    else
        coll_on_walk(d, pdu);
    return 1; /* net-snmp frees the answer */
}

/* open the net-snmp session; for v3, with the engine ID our probe learned (@engine NULL:
 * net-snmp finds it itself, blocking: only for host names we could not probe) */
int coll_dev_open_session(struct dev *d, const unsigned char *engine, size_t engine_len,
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
        int ret = coll_set_v3(&s, t, r);
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
            r->refused = true;
            coll_dev_finish(d);
            return ret;
        }
        if (!d->sess) {
            coll_v3_open_error(r);
            coll_dev_finish(d);
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
        coll_set_error(r, COLL_ERR_SESSION_OPEN, NULL, "cannot open an SNMP session to %s",
                       peer);
        coll_dev_finish(d);
        return -EIO;
    }
    d->fd = tr->sock;
    coll_ask_first(d);
    return 0;
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
    d->sys_left = coll_system_mask();
    coll_result_init(r);
    if (strcmp(t->version, "3") == 0 && coll_probe_start(d))
        return 0;
    kept = strcmp(t->version, "3") != 0 ? kept_take(e, t) : NULL;
    if (kept) { /* the session (and socket) of this device's last poll */
        netsnmp_transport *tr = snmp_sess_transport(kept);
        d->sess = kept;
        d->fd = tr ? tr->sock : -1;
        coll_ask_first(d);
        return 0;
    }
    return coll_dev_open_session(d, NULL, 0, 0, 0);
}

static bool kept_put(struct coll_engine *e, const struct coll_target *t, void *sess);

static void dev_close(struct dev *d)
{
    coll_probe_close(d);
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
            coll_forget_usm_user(engine, elen, d->t->v3_user);
    }
    d->sess = NULL;
    coll_shape_after(d);
    d->r->done_mono_ms = ww_mono_ms();
    d->r->poll_ms = d->r->done_mono_ms - d->t0;
    if (d->r->ok && d->r->error[0])
        ww_log(WW_LOG_DEBUG, "collector: device %lld: incomplete: %s", d->t->device_id,
               d->r->error);
}

uint64_t coll_target_sig(const struct coll_target *t)
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
    if (k->sig != coll_target_sig(t)) { /* the device's settings changed: start afresh */
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
    k->sig = coll_target_sig(t);
    k->used = ww_mono_ms();
    e->kept_n++;
    return true;
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
            coll_shape_drop(e, (long long)i);
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
        coll_set_error(d->r, COLL_ERR_STOPPED, NULL, "stopped");
        dev_close(d);
    }
    for (size_t i = 0; i < e->kept_len; i++)
        kept_close(e, &e->kept[i]);
    free(e->kept);
    for (size_t i = 0; i < e->shapes_len; i++)
        coll_shape_free(e->shapes[i]);
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
        coll_set_error(d->r, COLL_ERR_STOPPED, NULL, "stopped");
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
                coll_probe_answer(d);
                continue;
            }
            if (d->phase == PH_QUICK && d->own) {
                coll_quick_read(e, d);
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
            coll_probe_tick(d, now);
        if (d->phase == PH_USM_WAIT)
            coll_usm_wait_tick(e, d, now);
        else if (d->phase == PH_QUICK && d->own)
            coll_quick_tick(d, now);
        if (d->phase != PH_DONE && d->phase != PH_PROBE && d->phase != PH_USM_WAIT) {
            if (!(d->phase == PH_QUICK && d->own))
                snmp_sess_timeout(d->sess); /* retries, or TIMED_OUT to on_answer() */
            if (d->phase != PH_DONE && now > d->deadline)
                coll_dev_deadline(d, "");
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

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * storage.c - RRD files per device metric, written by librrd or through rrdcached.
 *
 * DESIGN: paths are built here from a numeric device id and a checked metric name only.
 * A missing file is not made by store_ensure(): it is recorded as on its way (create.c)
 * and made at its first sample, started just before it, directly with librrd into a temp
 * name renamed into place (a crash or a full disk never leaves a half-made file under the
 * real name): by the creator thread after store_create_async(), else here on the store's
 * thread. Samples of a file on its way wait in its bounded ring and are sent, in order,
 * once it exists (collect_made()). An existing file is reconciled once per process (and
 * when the caller's data sources change) to the types and limits asked, by rrd_tune after
 * a flush; the known-files table remembers what each file was given, so a poll costs no
 * I/O here. Updates go to rrdcached when configured (reconnected after a failure), else
 * straight to librrd. librrd 1.7's rrdcached client is one connection per process: one
 * store per process, used by one thread at a time (the creator thread never touches the
 * connection, the batch or the known-files table). Reads flush rrdcached for that file
 * first.
 */
#include "storage/storage.h"
#include "storage/storage_int.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rrd.h>
#include <rrd_client.h>

#include "common/banned.h"

/* a file known to exist: the hash of its path (0 = empty slot) and of the data sources it
 * was last made or reconciled to (types, minimums, maximums: a link's speed among them) */
struct known {
    uint64_t path, shape;
};

struct store {
    char *dir;
    char *daemon; /* NULL = direct */
    struct store_retention keep;
    struct store_batch batch; /* rrdcached BATCH client, used between batch_begin/end */
    bool batching;
    struct ww_complain complain;
    /* files known to exist, so that store_ensure() costs no stat() and no header read per
     * file per poll; emptied when an update is refused. An open-addressing table. */
    struct known *known;
    size_t known_n, known_cap;
    struct store_maker maker; /* files on their way, and the creator thread (create.c) */
};

static uint64_t fnv(uint64_t h, const void *data, size_t n)
{
    for (const unsigned char *p = data; n--; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return h;
}

static uint64_t path_hash(const char *path)
{
    uint64_t h = fnv(1469598103934665603ULL, path, strlen(path)); /* FNV-1a */
    return h ? h : 1;
}

/* what store_ensure() reconciles of @ds: names, types, minimums and maximums */
static uint64_t shape_hash(const struct store_ds *ds, size_t nds)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < nds; i++) {
        /* a limit as its bits, NAN (no limit) as one fixed pattern whatever its sign */
        struct {
            double v;
            int nan;
        } lim[2] = {{isnan(ds[i].min) ? 0 : ds[i].min, isnan(ds[i].min)},
                    {isnan(ds[i].max) ? 0 : ds[i].max, isnan(ds[i].max)}};
        if (ds[i].name)
            h = fnv(h, ds[i].name, strlen(ds[i].name) + 1);
        h = fnv(h, &ds[i].type, sizeof(ds[i].type));
        for (size_t k = 0; k < 2; k++) {
            h = fnv(h, &lim[k].v, sizeof(lim[k].v));
            h = fnv(h, &lim[k].nan, sizeof(lim[k].nan));
        }
    }
    return h;
}

static struct known *known_get(const struct store *st, uint64_t h)
{
    if (!st->known_cap)
        return NULL;
    for (size_t i = h & (st->known_cap - 1);; i = (i + 1) & (st->known_cap - 1)) {
        if (st->known[i].path == h)
            return &st->known[i];
        if (!st->known[i].path)
            return NULL;
    }
}

static void known_put(struct known *tab, size_t cap, struct known k)
{
    size_t i = k.path & (cap - 1);
    while (tab[i].path && tab[i].path != k.path)
        i = (i + 1) & (cap - 1);
    tab[i] = k;
}

static void known_add(struct store *st, uint64_t h, uint64_t shape)
{
    struct known *k = known_get(st, h);

    if (k) {
        k->shape = shape;
        return;
    }
    if (2 * (st->known_n + 1) > st->known_cap) { /* at most half full */
        size_t cap = st->known_cap ? 2 * st->known_cap : 1024;
        struct known *tab = ww_calloc(cap, sizeof(*tab));
        for (size_t i = 0; i < st->known_cap; i++)
            if (st->known[i].path)
                known_put(tab, cap, st->known[i]);
        free(st->known);
        st->known = tab;
        st->known_cap = cap;
    }
    known_put(st->known, st->known_cap, (struct known){h, shape});
    st->known_n++;
}

/* a refused update may mean a file went away: look at the disk again from now on */
static void known_clear(struct store *st)
{
    if (st->known_cap)
        memset(st->known, 0, st->known_cap * sizeof(*st->known));
    st->known_n = 0;
}

int store_open(const char *rrd_dir, const char *rrdcached, struct store **out_store)
{
    struct store *st;
    int ret = ww_mkdir_p(rrd_dir, 0755);

    if (ret < 0)
        return -EIO;
    st = ww_calloc(1, sizeof(*st));
    st->dir = ww_strdup(rrd_dir);
    st->keep.full_s = 2 * 86400;
    st->keep.m30_s = 14 * 86400;
    st->keep.h2_s = 62 * 86400;
    st->keep.d1_s = 3 * 366 * 86400 + 86400;
    if (rrdcached && *rrdcached) {
        st->daemon = ww_strdup(rrdcached);
    }
    /* a space or a line break in the folder would split a protocol line: no batching */
    store_batch_init(&st->batch, strpbrk(rrd_dir, " \n\r") ? NULL : st->daemon);
    store_maker_init(&st->maker);
    *out_store = st;
    return 0;
}

static void collect_made(struct store *st);

void store_free(struct store *st)
{
    if (!st)
        return;
    if (st->maker.async) {
        unsigned long lost = st->maker.dropped;
        store_maker_stop(&st->maker);
        /* what was made before the stop gets its samples; the rest is logged as lost */
        store_batch_begin(st);
        store_batch_end(st);
        if (st->maker.abandoned)
            ww_log(WW_LOG_WARN, "storage: stopping: %lu new file(s) not made (they are made "
                   "at the next start), %lu sample(s) lost", st->maker.abandoned,
                   st->maker.dropped - lost);
    }
    store_maker_release(&st->maker);
    if (st->daemon)
        rrdc_disconnect();
    store_batch_release(&st->batch);
    free(st->known);
    free(st->dir);
    free(st->daemon);
    free(st);
}

int store_set_retention(struct store *st, const struct store_retention *r)
{
    if (!r->full_s || !r->m30_s || !r->h2_s || !r->d1_s)
        return ww_error(-EINVAL, "storage: every archive must keep a span above 0");
    st->keep = *r;
    return 0;
}

bool store_metric_valid(const char *metric)
{
    size_t n = metric ? strlen(metric) : 0;
    if (n == 0 || n > STORE_METRIC_MAX || metric[0] == '-')
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = metric[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
    }
    return true;
}

static bool ds_name_valid(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > 19)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return false;
    }
    return true;
}

int store_path(const struct store *st, long long device_id, const char *metric, char *buf,
               size_t size)
{
    int n;
    if (device_id <= 0 || !store_metric_valid(metric))
        return -EINVAL;
    n = snprintf(buf, size, "%s/%lld/%s.rrd", st->dir, device_id, metric);
    if (n < 0 || (size_t)n >= size)
        return -ENAMETOOLONG;
    return 0;
}

const char *store_rrd_err(void)
{
    const char *e = rrd_get_error();
    return e && *e ? e : "unknown librrd error";
}

/* rows so that @steps_per_row * step spans about @span seconds */
static void add_rra(char **argv, int *argc, unsigned step, unsigned long per_row_s,
                    unsigned long span_s)
{
    static const char *const cfs[] = {"AVERAGE", "MAX"};
    unsigned long steps = per_row_s / step ? per_row_s / step : 1;
    unsigned long rows = span_s / (steps * step) + 1;
    for (size_t i = 0; i < WW_ARRAY_SIZE(cfs); i++)
        argv[(*argc)++] = ww_asprintf("RRA:%s:0.5:%lu:%lu", cfs[i], steps, rows);
}

static void fmt_limit(char *buf, size_t size, double v)
{
    if (isnan(v))
        ww_strlcpy(buf, "U", size);
    else
        snprintf(buf, size, "%.17g", v);
}

static int cached_connect(struct store *st);

static const char *const ds_types[] = {"GAUGE", "COUNTER", "DERIVE"};

static bool same_limit(double a, double b)
{
    return isnan(a) ? isnan(b) : a == b;
}

/*
 * Bring the existing file @path to the data sources @ds: a type, minimum or maximum that
 * differs is tuned in place, the rows kept. With rrdcached, what is queued for the file is
 * sent and written first, so that no sample read under the old type is applied under the
 * new one. Returns 0, -EAGAIN (rrdcached unreachable: not tuned, try next round), -EIO.
 */
static int reconcile(struct store *st, const char *path, const struct store_ds *ds, size_t nds)
{
    const char *type[STORE_DS_MAX] = {NULL};
    double min[STORE_DS_MAX], max[STORE_DS_MAX];
    /* "tune", the path, then up to three options and their values per DS */
    char *argv[2 + 6 * STORE_DS_MAX], *owned[2 + 6 * STORE_DS_MAX];
    int argc = 0, rc;
    int ret = -EIO;
    rrd_info_t *info;

    for (size_t i = 0; i < nds; i++)
        min[i] = max[i] = NAN;
    rrd_clear_error();
    info = rrd_info_r(path);
    if (!info)
        return ww_error(-EIO, "storage: read header of '%s': %s", path, store_rrd_err());
    for (rrd_info_t *p = info; p; p = p->next) {
        const char *end = strncmp(p->key, "ds[", 3) == 0 ? strstr(p->key, "].") : NULL;
        if (!end)
            continue;
        for (size_t i = 0; i < nds; i++) {
            size_t n = strlen(ds[i].name);
            if ((size_t)(end - p->key - 3) != n || strncmp(p->key + 3, ds[i].name, n) != 0)
                continue;
            if (strcmp(end + 2, "type") == 0 && p->type == RD_I_STR)
                type[i] = p->value.u_str;
            else if (strcmp(end + 2, "min") == 0 && p->type == RD_I_VAL)
                min[i] = p->value.u_val;
            else if (strcmp(end + 2, "max") == 0 && p->type == RD_I_VAL)
                max[i] = p->value.u_val;
        }
    }
#define ARGF(...) (argv[argc] = owned[argc] = ww_asprintf(__VA_ARGS__), argc++)
    ARGF("tune");
    ARGF("%s", path);
    for (size_t i = 0; i < nds; i++) {
        char lim[32];
        if (!type[i]) { /* made by someone else: not ours to reshape */
            ww_log(WW_LOG_WARN, "storage: '%s' has no data source '%s': left as it is", path,
                   ds[i].name);
            continue;
        }
        if (strcmp(type[i], ds_types[ds[i].type]) != 0) {
            ARGF("--data-source-type");
            ARGF("%s:%s", ds[i].name, ds_types[ds[i].type]);
        }
        if (!same_limit(min[i], ds[i].min)) {
            fmt_limit(lim, sizeof(lim), ds[i].min);
            ARGF("--minimum");
            ARGF("%s:%s", ds[i].name, lim);
        }
        if (!same_limit(max[i], ds[i].max)) {
            fmt_limit(lim, sizeof(lim), ds[i].max);
            ARGF("--maximum");
            ARGF("%s:%s", ds[i].name, lim);
        }
    }
#undef ARGF
    if (argc == 2) { /* already as asked */
        ret = 0;
        goto out;
    }
    if (st->daemon) {
        if (st->batching && st->batch.n && store_batch_send(&st->batch) == -EIO)
            known_clear(st);
        if (cached_connect(st) < 0) {
            ret = -EAGAIN;
            goto out;
        }
        rrd_clear_error();
        if (rrdc_flush(path) != 0 && !rrdc_is_connected(st->daemon)) {
            ret = -EAGAIN; /* lost on the way: it may still hold samples of the old type */
            goto out;
        }
    }
    pthread_mutex_lock(&store_getopt_lock);
    rrd_clear_error();
    rc = rrd_tune(argc, argv);
    pthread_mutex_unlock(&store_getopt_lock);
    if (rc != 0) {
        ret = ww_error(-EIO, "storage: tune '%s': %s", path, store_rrd_err());
        goto out;
    }
    ww_log(WW_LOG_DEBUG, "storage: '%s' tuned (%d settings)", path, (argc - 2) / 2);
    ret = 0;
out:
    for (int i = 0; i < argc; i++)
        free(owned[i]);
    rrd_info_free(info);
    return ret;
}

int store_ensure(struct store *st, long long device_id, const char *metric, unsigned step,
                 const struct store_ds *ds, size_t nds)
{
    char path[PATH_MAX];
    char *argv[STORE_DS_MAX + 8] = {NULL};
    int argc = 0, ret = -EIO;
    struct known *k;
    uint64_t h, shape;
    struct stat sb;

    if (store_path(st, device_id, metric, path, sizeof(path)) < 0 || nds == 0 ||
        nds > STORE_DS_MAX || step == 0)
        return ww_error(-EINVAL, "storage: bad metric '%.40s' of device %lld", metric,
                        device_id);
    /* the steady state: a file made or reconciled to these data sources before */
    h = path_hash(path);
    shape = shape_hash(ds, nds);
    k = known_get(st, h);
    if (k && k->shape == shape)
        return 0;
    for (size_t i = 0; i < nds; i++)
        if (!ds_name_valid(ds[i].name) || ds[i].type > STORE_DERIVE)
            return ww_error(-EINVAL, "storage: bad data source for metric '%s'", metric);
    if (store_nf_find(&st->maker, h, path))
        return 0; /* on its way: made at its first sample */
    if (k || stat(path, &sb) == 0) {
        ret = reconcile(st, path, ds, nds);
        if (ret == 0)
            known_add(st, h, shape);
        return ret;
    }
    for (size_t i = 0; i < nds; i++) {
        char lo[32], hi[32];
        fmt_limit(lo, sizeof(lo), ds[i].min);
        fmt_limit(hi, sizeof(hi), ds[i].max);
        argv[argc++] = ww_asprintf("DS:%s:%s:%u:%s:%s", ds[i].name, ds_types[ds[i].type],
                                   step * 2, lo, hi);
    }
    add_rra(argv, &argc, step, step, st->keep.full_s);
    add_rra(argv, &argc, step, 1800, st->keep.m30_s);
    add_rra(argv, &argc, step, 7200, st->keep.h2_s);
    add_rra(argv, &argc, step, 86400, st->keep.d1_s);
    store_nf_add(&st->maker, h, shape, path, step, argv, argc); /* the strings go with it */
    return 0;
}

static int cached_connect(struct store *st)
{
    if (rrdc_is_connected(st->daemon))
        return 0;
    rrd_clear_error();
    if (rrdc_connect(st->daemon) != 0) {
        ww_complain(&st->complain, WW_LOG_ERR, "storage: rrdcached '%s': cannot connect: %s",
                    st->daemon, store_rrd_err());
        return -EAGAIN;
    }
    ww_complain_release(&st->complain, "storage: rrdcached '%s': connected again", st->daemon);
    return 0;
}

/* decimal digits of @v at @p; returns the end (no terminator): the hot path of every sample,
 * where printf's format parsing showed in profiles */
static char *put_u64(char *p, uint64_t v)
{
    char tmp[20];
    size_t n = 0;

    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
}

/* one formatted sample of @path to rrdcached (batched or not) or to the file */
static int send_sample(struct store *st, const char *path, const char *sample)
{
    const char *argv[1] = {sample};
    int ret;

    rrd_clear_error();
    if (st->batching && st->batch.sock_path) {
        ret = store_batch_add(&st->batch, path, sample);
        if (ret == -E2BIG) { /* the block is full: send it and start the next */
            if (store_batch_send(&st->batch) == -EIO)
                known_clear(st);
            ret = store_batch_add(&st->batch, path, sample);
        }
        if (ret < 0)
            return ww_error(-EINVAL, "storage: update '%s' cannot be batched", path);
        return 0;
    }
    if (st->daemon) {
        ret = cached_connect(st);
        if (ret < 0)
            return ret;
        if (rrdc_update(path, 1, argv) != 0) {
            const char *e = store_rrd_err();
            ww_log(WW_LOG_WARN, "storage: rrdcached update '%s': %s", path, e);
            known_clear(st);
            /* a refused value is -EIO; a dropped connection is "try again" */
            return rrdc_is_connected(st->daemon) ? -EIO : -EAGAIN;
        }
        return 0;
    }
    if (rrd_update_r(path, NULL, 1, argv) != 0) {
        ret = ww_error(-EIO, "storage: update '%s': %s", path, store_rrd_err());
        known_clear(st);
        return ret;
    }
    return 0;
}

/* a file that came (or failed to come): it joins the known files and its kept samples are
 * sent in order; or they are counted lost. Returns what sending the last one returned. */
static int settle(struct store *st, struct store_newfile *nf)
{
    struct store_maker *m = &st->maker;
    int ret = nf->result;

    if (nf->result == 0) {
        known_add(st, nf->h, nf->shape);
        for (unsigned i = 0; i < nf->n; i++)
            ret = send_sample(st, nf->path, nf->ring[(nf->first + i) % STORE_PENDING_MAX]);
        m->kept += nf->n;
    } else {
        m->dropped += nf->n;
    }
    store_nf_drop(m, nf);
    if (!m->n && m->dropped)
        ww_complain_release(&m->complain, "storage: every new file is made; %lu sample(s) "
                            "were lost waiting for theirs", m->dropped);
    return ret;
}

/* the files the creator thread handed back since last time */
static void collect_made(struct store *st)
{
    struct store_newfile *nf = store_maker_take_done(&st->maker);

    while (nf) {
        struct store_newfile *next = nf->next;
        settle(st, nf);
        nf = next;
    }
}

/* a sample of a file on its way: kept; the first one makes the file (here) or queues it */
static int keep_sample(struct store *st, struct store_newfile *nf, double when,
                       const char *sample)
{
    struct store_maker *m = &st->maker;

    if (store_nf_keep(nf, sample)) {
        m->dropped++;
        ww_complain(&m->complain, WW_LOG_WARN, "storage: '%s' is not made yet: samples "
                    "beyond the last %d dropped", nf->path, STORE_PENDING_MAX);
    }
    if (nf->queued)
        return 0;
    /* the file's last update just before its first sample: no empty rows to fill */
    nf->start = (time_t)ceil(when) - 1;
    if (m->async) {
        store_nf_queue(m, nf, nf->start);
        return 0;
    }
    nf->queued = true;
    if (m->hook)
        m->hook(nf->path, m->hook_arg);
    nf->result = store_make_file(nf->path, nf->step, nf->start, nf->argc, nf->argv, NULL);
    pthread_mutex_lock(&m->lock);
    if (nf->result == 0)
        m->made++;
    else
        m->failed++;
    pthread_mutex_unlock(&m->lock);
    return settle(st, nf);
}

int store_update(struct store *st, long long device_id, const char *metric, double when,
                 const struct store_val *vals, size_t n)
{
    char path[PATH_MAX];
    /* "<seconds>.<ms>" then ":<value>" per DS: 20 + 1 + 3, and at most 1 + 25 per value */
    char sample[32 + STORE_DS_MAX * 32], *p = sample;

    if (store_path(st, device_id, metric, path, sizeof(path)) < 0 || n == 0 ||
        n > STORE_DS_MAX)
        return ww_error(-EINVAL, "storage: bad update of '%.40s' for device %lld", metric,
                        device_id);
    if (!(when >= 0 && when < 1e15))
        return ww_error(-EINVAL, "storage: bad time for '%.40s' of device %lld", metric,
                        device_id);
    {
        uint64_t ms = (uint64_t)llround(when * 1000.0);
        p = put_u64(p, ms / 1000);
        *p++ = '.';
        *p++ = (char)('0' + ms % 1000 / 100);
        *p++ = (char)('0' + ms % 100 / 10);
        *p++ = (char)('0' + ms % 10);
    }
    for (size_t i = 0; i < n; i++) {
        *p++ = ':';
        if (vals[i].kind == STORE_U64)
            p = put_u64(p, vals[i].u64);
        else if (vals[i].kind == STORE_NUM && isfinite(vals[i].num))
            p += snprintf(p, 26, "%.17g", vals[i].num);
        else
            *p++ = 'U';
    }
    *p = '\0';
    if (st->maker.n) { /* some files are on their way: is this one of them? */
        uint64_t h = path_hash(path);
        struct store_newfile *nf = store_nf_find(&st->maker, h, path);
        if (nf && nf->queued) {
            /* it may have come meanwhile: its kept samples go before this one */
            collect_made(st);
            nf = store_nf_find(&st->maker, h, path);
        }
        if (nf)
            return keep_sample(st, nf, when, sample);
    }
    return send_sample(st, path, sample);
}

void store_batch_begin(struct store *st)
{
    st->batching = true;
    collect_made(st);
}

int store_batch_end(struct store *st)
{
    int ret;

    st->batching = false;
    ret = store_batch_send(&st->batch);
    if (ret == -EIO)
        known_clear(st);
    return ret;
}

int store_create_async(struct store *st)
{
    return store_maker_start(&st->maker);
}

void store_set_create_hook(struct store *st, store_create_hook_fn *hook, void *arg)
{
    st->maker.hook = hook;
    st->maker.hook_arg = arg;
}

void store_wait_created(struct store *st)
{
    if (!st->maker.async)
        return;
    store_maker_wait(&st->maker);
    collect_made(st);
}

void store_create_stats(struct store *st, struct store_create_stats *out_stats)
{
    struct store_maker *m = &st->maker;

    memset(out_stats, 0, sizeof(*out_stats));
    out_stats->on_the_way = m->n;
    out_stats->kept = m->kept;
    out_stats->dropped = m->dropped;
    pthread_mutex_lock(&m->lock);
    out_stats->made = m->made;
    out_stats->failed = m->failed;
    out_stats->make_ms_max = m->make_ms_max;
    pthread_mutex_unlock(&m->lock);
}

int store_flush_cached(struct store *st, const char *path)
{
    if (!st->daemon)
        return 0;
    if (cached_connect(st) < 0)
        return -EAGAIN;
    rrd_clear_error();
    if (rrdc_flush(path) != 0) {
        /* a file rrdcached has nothing queued for is fine to read directly */
        ww_log(WW_LOG_DEBUG, "storage: rrdcached flush '%s': %s", path, store_rrd_err());
    }
    return 0;
}

int store_forget_cached(struct store *st, const char *path)
{
    int ret = store_flush_cached(st, path);

    if (ret < 0 || !st->daemon)
        return ret;
    rrd_clear_error();
    if (rrdc_forget(path) != 0) /* a file rrdcached never saw: nothing to forget */
        ww_log(WW_LOG_DEBUG, "storage: rrdcached forget '%s': %s", path, store_rrd_err());
    return 0;
}

const char *store_dir_of(const struct store *st)
{
    return st->dir;
}

void store_known_forget(struct store *st)
{
    known_clear(st);
}

int store_fetch(struct store *st, long long device_id, const char *metric, const char *cf,
                time_t start, time_t end, struct store_series **out_series)
{
    char path[PATH_MAX];
    unsigned long step = 1, ds_cnt = 0;
    char **names = NULL;
    rrd_value_t *data = NULL;
    struct store_series *s;
    size_t rows;

    if (store_path(st, device_id, metric, path, sizeof(path)) < 0 || !cf ||
        (strcmp(cf, "AVERAGE") != 0 && strcmp(cf, "MAX") != 0) || end < start)
        return ww_error(-EINVAL, "storage: bad fetch of '%.40s' for device %lld", metric,
                        device_id);
    if (access(path, F_OK) < 0)
        return -ENOENT;
    store_flush_cached(st, path);
    rrd_clear_error();
    if (rrd_fetch_r(path, cf, &start, &end, &step, &ds_cnt, &names, &data) != 0)
        return ww_error(-EIO, "storage: fetch '%s': %s", path, store_rrd_err());
    rows = step ? (size_t)((end - start) / (time_t)step) : 0;
    s = ww_calloc(1, sizeof(*s));
    s->start = start;
    s->end = end;
    s->step = step;
    s->rows = rows;
    s->cols = ds_cnt;
    s->names = ww_reallocarray(NULL, ds_cnt ? ds_cnt : 1, sizeof(char *));
    for (size_t i = 0; i < ds_cnt; i++) {
        s->names[i] = ww_strdup(names[i]);
        rrd_freemem(names[i]);
    }
    rrd_freemem(names);
    s->values = ww_reallocarray(NULL, rows ? rows : 1, (ds_cnt ? ds_cnt : 1) * sizeof(double));
    for (size_t i = 0; i < rows * ds_cnt; i++)
        s->values[i] = data[i];
    rrd_freemem(data);
    *out_series = s;
    return 0;
}

void store_series_free(struct store_series *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->cols; i++)
        free(s->names[i]);
    free(s->names);
    free(s->values);
    free(s);
}

int store_last(struct store *st, long long device_id, const char *metric, time_t *out_when,
               char ***out_vals, size_t *out_n)
{
    char path[PATH_MAX];
    unsigned long cnt = 0;
    char **names = NULL, **last = NULL;
    char **vals;

    if (store_path(st, device_id, metric, path, sizeof(path)) < 0)
        return -EINVAL;
    if (access(path, F_OK) < 0)
        return -ENOENT;
    store_flush_cached(st, path);
    rrd_clear_error();
    if (rrd_lastupdate_r(path, out_when, &cnt, &names, &last) != 0)
        return ww_error(-EIO, "storage: last update of '%s': %s", path, store_rrd_err());
    vals = ww_reallocarray(NULL, cnt ? cnt : 1, sizeof(char *));
    for (unsigned long i = 0; i < cnt; i++) {
        vals[i] = ww_strdup(last[i]);
        rrd_freemem(last[i]);
        rrd_freemem(names[i]);
    }
    rrd_freemem(names);
    rrd_freemem(last);
    *out_vals = vals;
    *out_n = cnt;
    return 0;
}

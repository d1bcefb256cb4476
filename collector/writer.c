/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * writer.c - the write path: one poll result becomes facts, interface rows, RRD samples,
 * the device status and its events (coll_write_result(), moved here from poll.c unchanged in
 * meaning), and the writer thread of the long-running collector, which takes finished
 * results from a queue and writes them in batched transactions.
 *
 * DESIGN: the poll thread (sched.c) pushes each finished job with coll_writer_push(); the
 * one writer thread takes whatever is queued once 200 jobs wait or the oldest has waited
 * a quarter of the interval (at most 15 s), writes them in one database transaction with
 * the RRD samples sent as one rrdcached BATCH (store_batch_begin/end), then frees the jobs.
 * The writer thread owns the struct ww_db and the struct store while it runs. The queue
 * is bounded by the poll thread, which starts no poll while in-flight + queued jobs reach
 * the capacity, so a push never blocks the SNMP loop and a slow disk shows as late
 * (missed) polls, never as unbounded memory. One lock (w->lock) guards the queue, the
 * stop flag and the counters; it is a leaf: nothing else is locked while it is held, no
 * I/O happens under it. A bounded run (--intervals) ends each interval with
 * coll_writer_flush(): everything queued is written at once, the last transaction judges
 * the alerts whatever the cadence, and the poll thread waits (on w->flushed_cond, same
 * lock) until it is committed. Times come from the collector's struct coll_clock.
 * Each result also becomes a sample of the daily health roll-up (inv_health_add(), in the
 * same transaction: one cached statement; the office calendar of the day is built once a day
 * and kept in the struct coll_wcache) and, for each real disk, its device_disk row and a
 * sample of its disk-<id>.rrd.
 */
#include "collector/collector.h"
#include "collector/collector_int.h"

#include <limits.h>
#include <pthread.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

/* in/out: the rate counter_rate() gave, in bytes/s (GAUGE: librrd computes no rate of its
 * own, so graphs and the device table show one figure); max set from the link speed.
 * Errors stay raw counters: only the RRD has them. */
static const struct store_ds if_ds_template[] = {
    {"in_octets", STORE_GAUGE, 0, NAN},
    {"out_octets", STORE_GAUGE, 0, NAN},
    {"in_errors", STORE_COUNTER, 0, NAN},
    {"out_errors", STORE_COUNTER, 0, NAN},
};
static const struct store_ds snmp_ds[] = {
    {"uptime", STORE_GAUGE, 0, NAN},
    {"poll_ms", STORE_GAUGE, 0, NAN},
};

static const struct store_ds host_ds[] = {
    {"cpu_load", STORE_GAUGE, 0, 100},
    {"mem_used", STORE_GAUGE, 0, NAN},
    {"mem_total", STORE_GAUGE, 0, NAN},
    {"disk_max_pct", STORE_GAUGE, 0, 100},
};
static const struct store_ds ups_ds[] = {
    {"charge_pct", STORE_GAUGE, 0, 100},
    {"runtime_min", STORE_GAUGE, 0, NAN},
    {"on_battery", STORE_GAUGE, 0, 1},
};
/* what vendor MIBs measure beyond the standard ones (device profiles) */
static const struct store_ds ups_load_ds[] = {
    {"load_pct", STORE_GAUGE, 0, 1000},
};
static const struct store_ds env_ds[] = {
    {"temp_c", STORE_GAUGE, -100, 300},
};
static const struct store_ds supplies_ds[] = {
    {"min_level_pct", STORE_GAUGE, 0, 100},
};
/* one fixed disk (disk-<device_disk.id>.rrd) */
static const struct store_ds disk_ds[] = {
    {"used_pct", STORE_GAUGE, 0, 100},
    {"used_bytes", STORE_GAUGE, 0, NAN},
};

static struct store_val val_num(double v)
{
    struct store_val sv = {.kind = isnan(v) ? STORE_UNKNOWN : STORE_NUM, .num = v};
    return sv;
}

static struct store_val val_u64(bool have, uint64_t v)
{
    struct store_val sv = {.kind = have ? STORE_U64 : STORE_UNKNOWN, .u64 = v};
    return sv;
}

/* the wall time of an answer's monotonic stamp: the process's one anchor (clock.c), so a
 * clock step (NTP, a person fixing the date) moves no sample and makes no spike */
static double wall_of(int64_t mono_ms)
{
    return coll_wall_of(mono_ms);
}

/* ---- the interfaces ----------------------------------------------------------------------- */

/* one interface row as the writer last wrote it (all owned) */
struct wif {
    long long id, if_index, type, speed_bps, admin, oper;
    char *if_key, *name, *descr, *alias;
    bool hc, have; /* have: the counters below were read */
    uint64_t in, out;
    double rate_at;
};

/* the interface rows of one device as last written, so that a poll that only moved the
 * counters needs no read of them back from the database */
struct wdev {
    struct wif *ifs;
    size_t n;
};

#define WCACHE_ID_MAX (1LL << 22) /* larger device ids are not cached */
struct coll_wcache {
    struct wdev **by_id;
    size_t len;
    /* the health roll-up's office day (health_office()): the local day [day_from, day_to)
     * of the last write and its office calendar, built once per day, not per poll */
    char day[11];
    time_t day_from, day_to;
    struct ww_office_cal cal;
    bool have_cal; /* false: no office calendar (settings unreadable): office_s is 0 */
};

static void wdev_free(struct wdev *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->n; i++) {
        free(w->ifs[i].if_key);
        free(w->ifs[i].name);
        free(w->ifs[i].descr);
        free(w->ifs[i].alias);
    }
    free(w->ifs);
    free(w);
}

struct coll_wcache *coll_wcache_new(void)
{
    return ww_calloc(1, sizeof(struct coll_wcache));
}

void coll_wcache_free(struct coll_wcache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->len; i++)
        wdev_free(c->by_id[i]);
    free(c->by_id);
    ww_office_cal_release(&c->cal);
    free(c);
}

/* @dev_id's entry (its old one freed) becomes @w, or is dropped when @w is NULL */
static void wcache_set(struct coll_wcache *c, long long dev_id, struct wdev *w)
{
    if (!c || dev_id <= 0 || dev_id >= WCACHE_ID_MAX) {
        wdev_free(w);
        return;
    }
    if ((size_t)dev_id >= c->len && !w)
        return; /* nothing there to drop */
    c->by_id = ww_grow_zeroed(c->by_id, &c->len, (size_t)dev_id, sizeof(*c->by_id));
    wdev_free(c->by_id[dev_id]);
    c->by_id[dev_id] = w;
}

static struct wdev *wcache_get(struct coll_wcache *c, long long dev_id)
{
    return c && dev_id > 0 && (size_t)dev_id < c->len ? c->by_id[dev_id] : NULL;
}

/* the rows of @dev_id as the database has them */
static struct wdev *wdev_load(struct ww_db *db, long long dev_id)
{
    struct inv_interface *rows = NULL;
    size_t n = 0;
    struct wdev *w;

    if (inv_interface_list(db, dev_id, &rows, &n) < 0)
        return NULL;
    w = ww_calloc(1, sizeof(*w));
    w->ifs = ww_calloc(n ? n : 1, sizeof(*w->ifs));
    w->n = n;
    for (size_t i = 0; i < n; i++) {
        struct wif *f = &w->ifs[i];
        const struct inv_interface *r = &rows[i];
        f->id = r->id;
        f->if_index = r->if_index;
        f->type = r->type;
        f->speed_bps = r->speed_bps;
        f->admin = r->admin_status;
        f->oper = r->oper_status;
        /* the strings move over; the list keeps NULLs */
        f->if_key = r->if_key, rows[i].if_key = NULL;
        f->name = r->name, rows[i].name = NULL;
        f->descr = r->descr, rows[i].descr = NULL;
        f->alias = r->alias, rows[i].alias = NULL;
        f->hc = r->hc;
        f->have = r->in_octets && r->out_octets && ww_parse_u64(r->in_octets, &f->in) == 0 &&
                  ww_parse_u64(r->out_octets, &f->out) == 0;
        f->rate_at = r->rate_at;
    }
    inv_interface_list_free(rows, n);
    return w;
}

/* the previous row of an interface (same key), or NULL */
static struct wif *prev_row(struct wdev *w, const char *key)
{
    for (size_t i = 0; w && i < w->n; i++)
        if (w->ifs[i].if_key && strcmp(w->ifs[i].if_key, key) == 0)
            return &w->ifs[i];
    return NULL;
}

/* the fastest a link of @speed bit/s may be measured (0: no speed, no cap): its counters
 * and our time stamps jitter a little, so 1 % over the speed is still a rate */
static double rate_cap(uint64_t speed)
{
    return speed ? (double)speed * 1.01 : NAN;
}

/*
 * The rate in bit/s between the previous raw counter and @cur over @dt seconds: the one
 * figure of a link for a sample, stored in the interface row (bit/s) and in its RRD file
 * (bytes/s). A 32-bit counter that went back wrapped once; a 64-bit one that went back was
 * reset. Faster than the link is not a rate (a reset the agent did not admit): NAN. Over
 * more than @max_dt seconds (the RRD heartbeat: missed polls) it is no sample's rate: NAN.
 */
static double counter_rate(uint64_t prev, uint64_t cur, bool hc, double dt, double max_dt,
                           uint64_t speed)
{
    uint64_t delta;
    double bps;

    if (!(dt > 0 && dt <= max_dt))
        return NAN;
    if (cur >= prev)
        delta = cur - prev;
    else if (!hc && prev <= UINT32_MAX)
        delta = cur + (UINT64_C(1) << 32) - prev;
    else
        return NAN;
    bps = (double)delta * 8.0 / dt;
    if (bps > rate_cap(speed)) /* false when there is no cap */
        return NAN;
    return bps;
}

/* a string of the new row: the old row's copy when equal (moved out of it), else a copy */
static char *keep_text(char **old, const char *cur)
{
    char *s;
    if (old && *old && cur && strcmp(*old, cur) == 0) {
        s = *old;
        *old = NULL;
        return s;
    }
    return cur ? ww_strdup(cur) : NULL;
}

static int write_interfaces(const struct ww_config *cfg, struct ww_db *db, struct store *st,
                            struct coll_wcache *cache, long long dev_id,
                            const struct coll_result *r, bool rebooted, time_t now)
{
    char **keys = ww_calloc(r->n_ifs ? r->n_ifs : 1, sizeof(char *));
    struct wdev *old = wcache_get(cache, dev_id), *loaded = NULL, *cur;
    double at = wall_of(r->if_mono_ms ? r->if_mono_ms : r->done_mono_ms);
    size_t matched = 0;
    bool keep;
    int ret = 0;

    if (!old && !(old = loaded = wdev_load(db, dev_id))) {
        free(keys);
        return -EIO;
    }
    cur = ww_calloc(1, sizeof(*cur));
    cur->ifs = ww_calloc(r->n_ifs ? r->n_ifs : 1, sizeof(*cur->ifs));
    for (size_t i = 0; ret == 0 && i < r->n_ifs; i++) {
        const struct coll_if *f = &r->ifs[i];
        struct wif *prev, *nw = &cur->ifs[i];
        struct inv_interface row = {0}, pv = {0};
        struct store_ds ds[WW_ARRAY_SIZE(if_ds_template)];
        struct store_val vals[4];
        char in_s[24], out_s[24], metric[STORE_METRIC_MAX + 1];
        bool hc = f->has_in_hc && f->has_out_hc;
        uint64_t in = hc ? f->in_hc : f->in32, out = hc ? f->out_hc : f->out32;
        bool have = hc || (f->has_in32 && f->has_out32);
        uint64_t speed = coll_if_speed(f);
        long long id = 0;

        keys[i] = coll_if_key(f);
        for (size_t k = 0; k < i; k++) {
            if (strcmp(keys[k], keys[i]) == 0) { /* two interfaces with one name */
                char *dup = ww_asprintf("%s#%lld", keys[i], f->if_index);
                free(keys[i]);
                keys[i] = dup;
                break;
            }
        }
        prev = prev_row(old, keys[i]);
        matched += prev != NULL;
        snprintf(in_s, sizeof(in_s), "%llu", (unsigned long long)in);
        snprintf(out_s, sizeof(out_s), "%llu", (unsigned long long)out);
        row.device_id = dev_id;
        row.if_key = keys[i];
        row.if_index = f->if_index;
        row.name = f->name;
        row.descr = f->descr;
        row.alias = f->alias;
        row.type = f->type;
        row.speed_bps = speed > (uint64_t)LLONG_MAX ? LLONG_MAX : (long long)speed;
        row.admin_status = f->admin;
        row.oper_status = f->oper;
        row.hc = hc;
        row.in_octets = have ? in_s : NULL;
        row.out_octets = have ? out_s : NULL;
        row.in_bps = row.out_bps = NAN;
        row.rate_at = have ? at : NAN;
        /* no rate across a reboot (the counters restarted) or a 32/64-bit switch */
        if (have && prev && prev->have && !rebooted && prev->hc == hc && !isnan(prev->rate_at)) {
            double dt = at - prev->rate_at, max_dt = 2.0 * (double)cfg->poll_interval;
            row.in_bps = counter_rate(prev->in, in, hc, dt, max_dt, speed);
            row.out_bps = counter_rate(prev->out, out, hc, dt, max_dt, speed);
        }
        if (!prev || prev->oper != f->oper)
            row.oper_since = (long long)now;
        if (prev) { /* the old row as inv_interface_refresh() compares it */
            pv.id = prev->id;
            pv.device_id = dev_id;
            pv.if_key = prev->if_key;
            pv.if_index = prev->if_index;
            pv.name = prev->name;
            pv.descr = prev->descr;
            pv.alias = prev->alias;
            pv.type = prev->type;
            pv.speed_bps = prev->speed_bps;
            pv.admin_status = prev->admin;
            pv.oper_status = prev->oper;
            pv.hc = prev->hc;
            pv.rate_at = prev->rate_at; /* the counters are not compared: left NULL */
        }
        ret = inv_interface_refresh(db, prev ? &pv : NULL, &row, now, &id);
        if (ret == 0)
            ret = inv_interface_oper_change(db, dev_id, id, f->admin, prev ? prev->admin : 0,
                                            prev ? prev->oper : 0, f->oper, now, keys[i]);
        if (ret < 0)
            break;
        /* the row as written, for the next poll */
        nw->id = id;
        nw->if_index = row.if_index;
        nw->type = row.type;
        nw->speed_bps = row.speed_bps;
        nw->admin = row.admin_status;
        nw->oper = row.oper_status;
        nw->if_key = keep_text(prev ? &prev->if_key : NULL, keys[i]);
        nw->name = keep_text(prev ? &prev->name : NULL, f->name);
        nw->descr = keep_text(prev ? &prev->descr : NULL, f->descr);
        nw->alias = keep_text(prev ? &prev->alias : NULL, f->alias);
        nw->hc = hc;
        nw->have = have;
        nw->in = in;
        nw->out = out;
        nw->rate_at = row.rate_at;
        cur->n = i + 1;

        /* the file's max follows the speed (store_ensure() tunes it when it changes), and
         * is the cap counter_rate() applied: every rate in the row is a rate in the file */
        memcpy(ds, if_ds_template, sizeof(ds));
        ds[0].max = ds[1].max = rate_cap(speed) / 8.0;
        snprintf(metric, sizeof(metric), "if-%lld", id);
        if (store_ensure(st, dev_id, metric, (unsigned)cfg->poll_interval, ds, 4) < 0)
            continue; /* logged; the database record still counts */
        /* the row's rate, at the row's rate_at: one figure per link per sample */
        vals[0] = val_num(row.in_bps / 8.0);
        vals[1] = val_num(row.out_bps / 8.0);
        /* after a reboot the counters restarted from zero: no rate across it */
        vals[2] = val_u64(f->has_in_err && !rebooted, f->in_err);
        vals[3] = val_u64(f->has_out_err && !rebooted, f->out_err);
        store_update(st, dev_id, metric, at, vals, 4);
    }
    for (size_t i = 0; i < r->n_ifs; i++)
        free(keys[i]);
    free(keys);
    /* the rows of this poll replace the cached ones; after a failure nothing is trusted
     * (the transaction is rolled back): the next poll reads the database again. Rows the
     * poll did not see stay in the database as they were: the cache is kept only when this
     * poll saw exactly the rows the database has, else the next poll reads them again */
    keep = ret == 0 && cur->n == old->n && matched == old->n;
    wdev_free(loaded); /* old may be this one: not used below */
    if (keep) {
        wcache_set(cache, dev_id, cur);
    } else {
        wdev_free(cur);
        wcache_set(cache, dev_id, NULL);
    }
    return ret;
}

/* one sample of a file with a single value, when the value is known */
static void write_one(const struct ww_config *cfg, struct store *st, long long dev_id,
                      const char *metric, const struct store_ds *ds, double x, double when)
{
    struct store_val v[1] = {val_num(x)};

    if (!isnan(x) && store_ensure(st, dev_id, metric, (unsigned)cfg->poll_interval, ds, 1) == 0)
        store_update(st, dev_id, metric, when, v, 1);
}

/* facts and RRD samples from HOST-RESOURCES, UCD, UPS-MIB, Printer-MIB and the device's
 * profile (its vendor OIDs: coll_measure() merges them with the standard MIBs) */
static int write_profiles(const struct ww_config *cfg, struct ww_db *db, struct store *st,
                          long long dev_id, const struct coll_result *r, time_t now,
                          struct inv_metrics *out_m)
{
    static const char *const pt_facts[COLL_PT_COUNT] = {
        [COLL_PT_MODEL] = "model", [COLL_PT_SERIAL] = "serial", [COLL_PT_FIRMWARE] = "firmware"};
    struct coll_host_summary h;
    struct coll_measures m;
    const double *mv = m.v;
    char num[32];
    char *text = NULL;
    int ret = 0;

    coll_summarize(r, &h);
    coll_measure(r, &m);
    if (r->quick) /* facts come from full polls; a counter poll carries that poll's names */
        goto metrics;
    if (coll_result_vendor(r))
        ret = inv_fact_set(db, dev_id, "vendor", coll_result_vendor(r), now);
    for (size_t i = 0; ret == 0 && i < COLL_PT_COUNT; i++)
        if (r->pt[i])
            ret = inv_fact_set(db, dev_id, pt_facts[i], r->pt[i], now);
    if (ret == 0 && r->os_name) /* read from sysDescr's lines: the stored text has none */
        ret = inv_fact_set(db, dev_id, "os", r->os_name, now);
    if (ret == 0 && h.cpu_model)
        ret = inv_fact_set(db, dev_id, "cpu_model", h.cpu_model, now);
    if (ret == 0 && h.cpu_count > 0) {
        snprintf(num, sizeof(num), "%lld", h.cpu_count);
        ret = inv_fact_set(db, dev_id, "cpu_count", num, now);
    }
    if (ret == 0 && !isnan(h.ram_bytes)) {
        snprintf(num, sizeof(num), "%.0f", h.ram_bytes);
        ret = inv_fact_set(db, dev_id, "ram_bytes", num, now);
    }
    if (ret == 0 && !isnan(h.disk_total)) {
        text = coll_disks_json(r);
        ret = inv_fact_set(db, dev_id, "disks", text, now);
        free(text);
    }
    if (ret == 0 && r->n_supplies) {
        text = coll_supplies_json(r);
        ret = inv_fact_set(db, dev_id, "printer_supplies", text, now);
        free(text);
    }
    if (ret < 0)
        return ret;
metrics:
    out_m->cpu_pct = mv[COLL_PM_CPU_PCT];
    out_m->mem_pct = mv[COLL_PM_MEM_PCT];
    out_m->disk_max_pct = h.disk_max_pct;
    out_m->ups_on_battery = isnan(mv[COLL_PM_UPS_ON_BATTERY]) ? -1
                            : mv[COLL_PM_UPS_ON_BATTERY] != 0;
    out_m->ups_runtime_min = mv[COLL_PM_UPS_RUNTIME];
    out_m->ups_charge_pct = mv[COLL_PM_UPS_CHARGE];
    out_m->supply_min_pct = NAN;

    if ((!isnan(mv[COLL_PM_CPU_PCT]) || !isnan(mv[COLL_PM_MEM_TOTAL]) ||
         !isnan(h.disk_max_pct)) &&
        store_ensure(st, dev_id, "host", (unsigned)cfg->poll_interval, host_ds, 4) == 0) {
        struct store_val v[4] = {val_num(mv[COLL_PM_CPU_PCT]), val_num(mv[COLL_PM_MEM_USED]),
                                 val_num(mv[COLL_PM_MEM_TOTAL]), val_num(h.disk_max_pct)};
        store_update(st, dev_id, "host", wall_of(r->done_mono_ms), v, 4);
    }
    if (!isnan(mv[COLL_PM_UPS_BATTERY_STATUS]) || !isnan(mv[COLL_PM_UPS_CHARGE]) ||
        !isnan(mv[COLL_PM_UPS_ON_BATTERY])) {
        if (store_ensure(st, dev_id, "ups", (unsigned)cfg->poll_interval, ups_ds, 3) == 0) {
            struct store_val v[3] = {val_num(mv[COLL_PM_UPS_CHARGE]),
                                     val_num(mv[COLL_PM_UPS_RUNTIME]),
                                     val_num(mv[COLL_PM_UPS_ON_BATTERY])};
            store_update(st, dev_id, "ups", wall_of(r->done_mono_ms), v, 3);
        }
    }
    write_one(cfg, st, dev_id, "ups_load", ups_load_ds, mv[COLL_PM_UPS_LOAD],
              wall_of(r->done_mono_ms));
    write_one(cfg, st, dev_id, "env", env_ds, mv[COLL_PM_TEMP_C], wall_of(r->done_mono_ms));
    if (r->n_supplies) {
        double min = coll_supplies_min_pct(r); /* of the supplies with a known level */
        out_m->supply_min_pct = min;
        if (store_ensure(st, dev_id, "supplies", (unsigned)cfg->poll_interval, supplies_ds,
                         1) == 0) {
            struct store_val v[1] = {val_num(min)};
            store_update(st, dev_id, "supplies", wall_of(r->done_mono_ms), v, 1);
        }
    }
    return 0;
}

/* ---- the disks ------------------------------------------------------------------------ */

/* each real disk of the poll (coll_real_disk(): the ones coll_disks_json() lists) as its
 * device_disk row and a sample of its own file. The key is the agent's description; two
 * disks with one description are told apart by their hrStorageIndex, as interfaces are. */
static int write_disks(const struct ww_config *cfg, struct ww_db *db, struct store *st,
                       long long dev_id, const struct coll_result *r, time_t now)
{
    double at = wall_of(r->done_mono_ms);
    int ret = 0;

    for (size_t i = 0; ret == 0 && i < r->n_storage; i++) {
        const struct coll_storage *s = &r->storage[i];
        const char *descr = s->descr && *s->descr ? s->descr : NULL;
        char metric[STORE_METRIC_MAX + 1], *key = NULL;
        double size, used;
        long long id = 0;
        bool dup = false;

        if (!coll_real_disk(s))
            continue;
        for (size_t k = 0; descr && k < i && !dup; k++)
            dup = coll_real_disk(&r->storage[k]) && r->storage[k].descr &&
                  strcmp(r->storage[k].descr, descr) == 0;
        key = descr && !dup ? ww_strdup(descr)
                            : ww_asprintf("%s#%lld", descr ? descr : "disk", s->index);
        size = (double)s->size * (double)s->units;
        used = s->has_used ? (double)s->used * (double)s->units : NAN;
        ret = inv_disk_upsert(db, dev_id, key, descr, size, used, now, &id);
        free(key);
        if (ret < 0)
            break;
        snprintf(metric, sizeof(metric), "disk-%lld", id);
        if (s->has_used &&
            store_ensure(st, dev_id, metric, (unsigned)cfg->poll_interval, disk_ds, 2) == 0) {
            struct store_val v[2] = {val_num(size > 0 ? used / size * 100.0 : NAN),
                                     val_num(used)};
            store_update(st, dev_id, metric, at, v, 2);
        }
    }
    return ret;
}

/* ---- the daily health roll-up --------------------------------------------------------- */

/* the office day of @now in @c (kept while @now is inside it): its "YYYY-MM-DD", bounds and
 * office calendar (inventory's, with the holidays and the Settings page's office hours over
 * the file's, read once a day: a change counts from the next day). 0 or -EIO. */
static int health_office(const struct ww_config *cfg, struct ww_db *db, struct coll_wcache *c,
                         time_t now)
{
    struct ww_config eff;
    struct ww_office office;
    struct tm tm, t;

    if (c->day[0] && now >= c->day_from && now < c->day_to)
        return 0;
    if (!localtime_r(&now, &tm) || strftime(c->day, sizeof(c->day), "%Y-%m-%d", &tm) != 10) {
        c->day[0] = '\0';
        return -EIO;
    }
    t = tm;
    t.tm_hour = t.tm_min = t.tm_sec = 0;
    t.tm_isdst = -1;
    c->day_from = mktime(&t);
    t = tm;
    t.tm_hour = t.tm_min = t.tm_sec = 0;
    t.tm_mday++;
    t.tm_isdst = -1;
    c->day_to = mktime(&t);
    if (c->day_from == (time_t)-1 || c->day_to <= c->day_from) {
        c->day[0] = '\0';
        return -EIO;
    }
    ww_office_cal_release(&c->cal);
    c->have_cal = false;
    ww_config_copy(cfg, &eff);
    if (inv_settings_overlay(db, &eff, NULL) < 0)
        ww_log(WW_LOG_WARN, "collector: the settings cannot be read: the file's office hours"
                            " are used for %s", c->day);
    /* the zone is the process's (set at start): its name is only checked here */
    if (eff.office_hours && eff.office_days &&
        ww_office_init(eff.timezone, eff.office_hours, eff.office_days, &office) == 0) {
        c->have_cal = inv_office_calendar(db, &office, c->day_from, c->day_to, &c->cal) == 0;
        if (!c->have_cal) /* the holidays could not be read: again at the next write */
            c->day_to = c->day_from;
    }
    ww_config_release(&eff);
    return 0;
}

/* one poll's sample of the daily roll-up: what was measured, a reboot, and the office time
 * the poll stands for (the poll interval before @now, clipped to its office day: what lies
 * before local midnight belongs to the day before and is not counted), down when the device
 * did not answer and no maintenance window covers it */
static int write_health(const struct ww_config *cfg, struct ww_db *db, struct coll_wcache *c,
                        long long dev_id, bool ok, const struct inv_metrics *m, bool rebooted,
                        time_t now)
{
    struct inv_health_sample s = {.ok = ok, .cpu_pct = NAN, .mem_pct = NAN,
                                  .disk_max_pct = NAN, .rebooted = rebooted};
    struct coll_wcache once = {0}; /* without a cache: this poll's day only */
    time_t from = now - (time_t)cfg->poll_interval;
    bool maint = false;
    int ret;

    if (!c)
        c = &once;
    ret = health_office(cfg, db, c, now);
    if (ret < 0) {
        ww_office_cal_release(&once.cal);
        return 0; /* no local day: no sample rather than a failed round */
    }
    if (ok) {
        s.cpu_pct = m->cpu_pct;
        s.mem_pct = m->mem_pct;
        s.disk_max_pct = m->disk_max_pct;
    }
    if (from < c->day_from)
        from = c->day_from;
    s.office_s = c->have_cal && now > from ? ww_office_cal_seconds(&c->cal, from, now) : 0;
    if (!ok && s.office_s > 0) {
        ret = inv_maintenance_covers(db, dev_id, now, &maint);
        if (ret < 0) {
            ww_office_cal_release(&once.cal);
            return ret;
        }
        s.office_down_s = maint ? 0 : s.office_s;
    }
    ret = inv_health_add(db, dev_id, c->day, &s);
    ww_office_cal_release(&once.cal);
    return ret;
}

/* the name of our side of a neighbour link: the interface with that ifIndex */
static char *local_port_name(const struct coll_result *r, long long port)
{
    for (size_t i = 0; i < r->n_ifs; i++) {
        const struct coll_if *f = &r->ifs[i];
        if (f->if_index == port && (f->name || f->descr))
            return ww_strdup(f->name && *f->name ? f->name : f->descr);
    }
    return ww_asprintf("port %lld", port);
}

/* both neighbour tables, each replaced as a whole (what is gone from it is removed) */
static int write_neighbors(struct ww_db *db, long long dev_id, const struct coll_result *r,
                           time_t now)
{
    struct inv_neighbor *items = ww_calloc(r->n_neighbors ? r->n_neighbors : 1, sizeof(*items));
    char **ports = ww_calloc(r->n_neighbors ? r->n_neighbors : 1, sizeof(char *));
    int ret = 0;

    for (int cdp = 0; cdp <= 1 && ret == 0; cdp++) {
        size_t n = 0;
        for (size_t i = 0; i < r->n_neighbors; i++) {
            const struct coll_neighbor *nb = &r->neighbors[i];
            if (nb->cdp != (cdp == 1))
                continue;
            ports[i] = local_port_name(r, nb->local_port);
            items[n].local_port = ports[i];
            items[n].remote_key = nb->chassis && *nb->chassis ? nb->chassis : nb->sys_name;
            items[n].remote_name = nb->sys_name;
            items[n].remote_port = nb->port_descr && *nb->port_descr ? nb->port_descr
                                                                      : nb->port_id;
            items[n].remote_addr = nb->addr;
            n++;
        }
        ret = inv_neighbor_replace(db, dev_id, cdp ? "cdp" : "lldp", items, n, now);
    }
    for (size_t i = 0; i < r->n_neighbors; i++)
        free(ports[i]);
    free(ports);
    free(items);
    return ret;
}

int coll_write_result(const struct ww_config *cfg, struct ww_db *db, struct store *st,
                      struct coll_wcache *cache, const struct inv_device *dev,
                      const struct coll_result *r, bool neighbors_read, time_t now)
{
    struct inv_status prev;
    struct inv_poll_outcome o = {0};
    struct store_val vals[2];
    struct inv_metrics m = {NAN, NAN, NAN, -1, NAN, NAN, NAN};
    bool changed = false;
    int ret;

    ret = inv_status_get(db, dev->id, &prev);
    if (ret < 0)
        return ret;
    o.prev = &prev;
    o.no_savepoint = true; /* both callers roll the whole batch back on a failure */
    o.ok = r->ok;
    o.when = now;
    o.uptime_ticks = r->uptime_ticks;
    o.poll_ms = r->poll_ms;
    o.error = r->error[0] ? r->error : "no answer";
    /* what pages show: the code and its detail, in the reader's language */
    o.reason = r->err_code != COLL_ERR_NONE ? coll_err_name(r->err_code) : NULL;
    o.reason_param = r->err_param[0] ? r->err_param : NULL;
    o.refused = !r->ok && r->refused;
    /* a device that does not answer SNMP: is the host there? (icmp.c; the answer comes with
     * a later failed poll, before down_after of them make it "down") */
    if (!r->ok) {
        coll_icmp_ask(dev->id, dev->host);
        o.icmp = coll_icmp_answer(dev->id);
    } else if (prev.last_ok < prev.last_poll) {
        coll_icmp_forget(dev->id);
    }
    /* the wrap test compares sysUpTime with the time elapsed between two answers: their
     * monotonic stamps, not the wall clock, so that a clock step on the 497-day wrap is no
     * reboot (tests/unit/collector/test_clockstep.c) */
    o.uptime_at = (time_t)wall_of(r->done_mono_ms);
    o.rebooted = r->ok && coll_is_reboot(prev.uptime_ticks, prev.uptime_at, r->uptime_ticks,
                                         (long long)o.uptime_at);
    if (r->ok) {
        const struct {
            const char *name;
            const char *value;
        } facts[] = {{"sysDescr", r->sys_descr},     {"sysObjectID", r->sys_object_id},
                     {"sysName", r->sys_name},       {"sysContact", r->sys_contact},
                     {"sysLocation", r->sys_location}};
        for (size_t i = 0; i < WW_ARRAY_SIZE(facts); i++)
            if (facts[i].value && (ret = inv_fact_set(db, dev->id, facts[i].name,
                                                      facts[i].value, now)) < 0)
                return ret;
        ret = write_interfaces(cfg, db, st, cache, dev->id, r, o.rebooted, now);
        if (ret == 0 && neighbors_read)
            ret = write_neighbors(db, dev->id, r, now);
        if (ret == 0)
            ret = write_profiles(cfg, db, st, dev->id, r, now, &m);
        if (ret == 0)
            ret = write_disks(cfg, db, st, dev->id, r, now);
        if (ret < 0)
            return ret;
    }
    if (store_ensure(st, dev->id, "snmp", (unsigned)cfg->poll_interval, snmp_ds, 2) == 0) {
        vals[0].kind = r->ok && r->uptime_ticks >= 0 ? STORE_NUM : STORE_UNKNOWN;
        vals[0].num = (double)r->uptime_ticks / 100.0;
        vals[1].kind = r->ok ? STORE_NUM : STORE_UNKNOWN;
        vals[1].num = (double)r->poll_ms;
        store_update(st, dev->id, "snmp", wall_of(r->done_mono_ms), vals, 2);
    }
    ret = inv_status_apply(db, dev->id, &o, cfg->down_after, cfg->up_after, &changed);
    if (ret == 0 && r->ok)
        ret = inv_status_metrics(db, dev->id, &m, now);
    if (ret == 0)
        ret = write_health(cfg, db, cache, dev->id, r->ok, &m, o.rebooted, now);
    if (ret < 0)
        return ret;
    /* the device name is typed by people and may hold anything: %.80s, never a format */
    /* first sight (a new device, a new database) is no news: debug only, so that adding
     * 10,000 devices does not write 10,000 lines */
    if (changed)
        ww_log(r->ok && (strcmp(prev.state, "unknown") == 0 || !prev.state[0]) ? WW_LOG_DEBUG
                                                                              : WW_LOG_INFO,
               "collector: device %lld '%.80s' is %s%s%s", dev->id, dev->name,
               r->ok ? "up" : "down", r->ok ? "" : ": ", r->ok ? "" : o.error);
    if (o.refused)
        ww_log(WW_LOG_WARN, "collector: device %lld '%.80s': %s", dev->id, dev->name, o.error);
    if (o.rebooted)
        ww_log(WW_LOG_INFO, "collector: device %lld '%.80s' rebooted", dev->id, dev->name);
    return 0;
}

/* ---- jobs -------------------------------------------------------------------------------- */

static char *dup_or_null(const char *s)
{
    return s ? ww_strdup(s) : NULL;
}

struct coll_job *coll_job_new(const struct ww_config *cfg, const struct inv_device *d)
{
    struct coll_job *j = ww_calloc(1, sizeof(*j));

    /* what the poll and the write need; the secrets stay in memory only, as in the list */
    j->dev.id = d->id;
    j->dev.name = dup_or_null(d->name);
    j->dev.kind = dup_or_null(d->kind);
    j->dev.host = dup_or_null(d->host);
    j->dev.snmp_port = d->snmp_port;
    j->dev.snmp_version = dup_or_null(d->snmp_version);
    j->dev.snmp_community = dup_or_null(d->snmp_community);
    j->dev.v3_user = dup_or_null(d->v3_user);
    j->dev.v3_level = dup_or_null(d->v3_level);
    j->dev.v3_auth_proto = dup_or_null(d->v3_auth_proto);
    j->dev.v3_auth_key = dup_or_null(d->v3_auth_key);
    j->dev.v3_priv_proto = dup_or_null(d->v3_priv_proto);
    j->dev.v3_priv_key = dup_or_null(d->v3_priv_key);
    j->dev.enabled = d->enabled;
    j->dev.cost_vnd = -1;
    j->dev.uptime_ticks = j->dev.poll_ms = -1;
    coll_target_of(cfg, &j->dev, &j->t);
    return j;
}

void coll_job_free(struct coll_job *j)
{
    if (!j)
        return;
    coll_result_release(&j->r);
    inv_device_release(&j->dev);
    free(j);
}

/* ---- the writer thread ------------------------------------------------------------------- */

struct coll_writer {
    const struct ww_config *cfg;
    struct ww_db *db;
    struct store *st;
    struct coll_clock *clock;
    pthread_t thread;
    pthread_mutex_t lock; /* guards everything below; a leaf lock */
    pthread_cond_t cond;  /* signalled on push, on a flush request and on stop */
    pthread_cond_t flushed_cond; /* signalled when a flush is done */
    struct coll_job *head, *tail;
    size_t queued;
    int64_t first_at; /* when the oldest queued job came (the clock's scheduler time) */
    bool stop;
    unsigned long flush_asked, flush_done; /* coll_writer_flush() requests, and served */
    bool write_failed; /* a batch failed since the last coll_writer_flush() */
    struct coll_writer_stats stats;
    int64_t alert_at; /* writer thread only: when alerts were last judged */
    int64_t tidy_at;  /* writer thread only: the last tidy pass; 0 none yet */
    struct coll_wcache *cache; /* writer thread only: interface rows as last written */
    int64_t wait_ms;           /* the longest a result waits for its batch */
};

/* the rrd/ folders: one of an id that is no device any more (removed by the dashboard or the
 * CLI while this writer still had a sample of it on its way, which made the folder again)
 * is retired; retired ones older than [storage] removed_keep_days are deleted. Ids are
 * never reused, so a folder without a device stays without one. */
static void tidy_rrd(struct coll_writer *w, time_t now)
{
    long long *ids = NULL;
    size_t n = 0;

    if (store_device_dirs(w->st, &ids, &n, NULL) == 0) {
        for (size_t i = 0; i < n; i++)
            if (inv_device_exists(w->db, ids[i]) == -ENOENT)
                store_retire(w->st, ids[i], now);
    }
    free(ids);
    store_purge_retired(w->st, now, w->cfg->removed_keep_days, NULL);
}

/* one batch (maybe empty) in one transaction; the jobs are freed. @judge: judge the alerts
 * whenever they were last judged (the end of a bounded run's interval) */
static void write_batch(struct coll_writer *w, struct coll_job *batch, size_t n, bool judge)
{
    int64_t t0 = coll_clock_ms(w->clock), started = coll_clock_elapsed_ms(w->clock);
    time_t now = coll_clock_now(w->clock);
    int ret = ww_db_begin(w->db);

    bool neighbors = false;
    int queued = 0;

    store_batch_begin(w->st);
    for (struct coll_job *j = batch; j && ret == 0; j = j->next) {
        ret = coll_write_result(w->cfg, w->db, w->st, w->cache, &j->dev, &j->r,
                                j->t.neighbors, now);
        neighbors |= j->t.neighbors;
    }
    /* behind a parent, down or unreachable is decided with what is written so far */
    if (ret == 0)
        ret = inv_status_reconcile(w->db, w->cfg->down_after, now, NULL);
    if (ret == 0 && neighbors)
        ret = inv_neighbor_resolve(w->db);
    /* alerts: judged at most every COLL_ALERT_EVERY_MS, in the same transaction */
    if (ret == 0 && (judge || t0 - w->alert_at >= COLL_ALERT_EVERY_MS)) {
        w->alert_at = t0;
        queued = coll_alert_evaluate(w->db, w->cfg, now);
        if (queued < 0)
            ww_log(WW_LOG_WARN, "collector: alerts not judged this time");
    }
    if (ret == 0)
        ret = ww_db_commit(w->db);
    /* the delivery thread reads the queue on its own connection: only now can it see
     * what this transaction queued (the wake inside the evaluation came too early) */
    if (ret == 0 && queued > 0)
        coll_notify_wake();
    store_batch_end(w->st);
    if (ret == 0 && (!w->tidy_at || t0 - w->tidy_at >= COLL_TIDY_EVERY_MS)) {
        w->tidy_at = t0 ? t0 : 1;
        tidy_rrd(w, now);
    }
    if (ret < 0) {
        ww_db_rollback(w->db);
        /* what the cache says was written was not: forget all of it */
        coll_wcache_free(w->cache);
        w->cache = coll_wcache_new();
        ww_error(-EIO, "collector: %zu results not recorded: database failed", n);
    }
    while (batch) {
        struct coll_job *next = batch->next;
        coll_job_free(batch);
        batch = next;
    }
    pthread_mutex_lock(&w->lock);
    if (ret < 0) {
        w->stats.failed_batches++;
        w->write_failed = true;
    } else {
        w->stats.written += n;
    }
    w->stats.batches++;
    if (coll_clock_elapsed_ms(w->clock) - started > w->stats.batch_ms_max)
        w->stats.batch_ms_max = coll_clock_elapsed_ms(w->clock) - started;
    pthread_mutex_unlock(&w->lock);
}

static void *writer_main(void *arg)
{
    struct coll_writer *w = arg;

    pthread_mutex_lock(&w->lock);
    for (;;) {
        struct coll_job *batch = NULL, *last;
        unsigned long flush = 0; /* the flush request this batch ends, 0 none */
        size_t n = 0;

        /* wait for a full batch, the oldest job's deadline, a flush, or stop */
        while (!w->stop && w->queued < COLL_WRITE_BATCH && w->flush_done == w->flush_asked) {
            struct timespec until;
            int64_t left;
            if (!w->queued) {
                pthread_cond_wait(&w->cond, &w->lock);
                continue;
            }
            left = w->first_at + w->wait_ms - coll_clock_ms(w->clock);
            if (left <= 0)
                break;
            /* a relative wait: the clock's time may run ahead of CLOCK_MONOTONIC */
            clock_gettime(CLOCK_MONOTONIC, &until);
            until.tv_sec += left / 1000;
            until.tv_nsec += (left % 1000) * 1000000L;
            if (until.tv_nsec >= 1000000000L) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&w->cond, &w->lock, &until);
        }
        if (!w->queued && w->stop && w->flush_done == w->flush_asked)
            break;
        if (w->queued) {
            batch = last = w->head;
            for (n = 1; n < COLL_WRITE_BATCH && last->next; n++)
                last = last->next;
            w->head = last->next;
            last->next = NULL;
            if (!w->head)
                w->tail = NULL;
            w->queued -= n;
            w->first_at = coll_clock_ms(w->clock);
        }
        /* a flush ends with the batch that empties the queue (maybe an empty one) */
        if (w->flush_done != w->flush_asked && !w->queued)
            flush = w->flush_asked;
        pthread_mutex_unlock(&w->lock);
        write_batch(w, batch, n, flush != 0);
        pthread_mutex_lock(&w->lock);
        if (flush) {
            w->flush_done = flush;
            pthread_cond_broadcast(&w->flushed_cond);
        }
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

struct coll_writer *coll_writer_start(const struct ww_config *cfg, struct ww_db *db,
                                      struct store *st, struct coll_clock *clock)
{
    struct coll_writer *w = ww_calloc(1, sizeof(*w));
    pthread_condattr_t ca;
    int rc;

    w->cfg = cfg;
    w->db = db;
    w->st = st;
    w->clock = clock;
    w->cache = coll_wcache_new();
    w->wait_ms = cfg->poll_interval * 250 < COLL_WRITE_WAIT_MS ? cfg->poll_interval * 250
                                                                : COLL_WRITE_WAIT_MS;
    pthread_mutex_init(&w->lock, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&w->cond, &ca);
    pthread_condattr_destroy(&ca);
    pthread_cond_init(&w->flushed_cond, NULL);
    rc = pthread_create(&w->thread, NULL, writer_main, w);
    if (rc != 0) {
        ww_error(-EIO, "collector: writer thread: pthread_create: %s", strerror(rc));
        pthread_cond_destroy(&w->cond);
        pthread_cond_destroy(&w->flushed_cond);
        pthread_mutex_destroy(&w->lock);
        coll_wcache_free(w->cache);
        free(w);
        return NULL;
    }
    return w;
}

void coll_writer_push(struct coll_writer *w, struct coll_job *job)
{
    job->next = NULL;
    pthread_mutex_lock(&w->lock);
    if (w->tail)
        w->tail->next = job;
    else {
        w->head = job;
        w->first_at = coll_clock_ms(w->clock);
    }
    w->tail = job;
    w->queued++;
    if (w->queued > w->stats.queued_max)
        w->stats.queued_max = w->queued;
    if (w->queued == 1 || w->queued >= COLL_WRITE_BATCH)
        pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
}

void coll_writer_stats_take(struct coll_writer *w, struct coll_writer_stats *out_stats)
{
    pthread_mutex_lock(&w->lock);
    *out_stats = w->stats;
    out_stats->queued = w->queued;
    w->stats.batch_ms_max = 0;
    w->stats.queued_max = w->queued;
    pthread_mutex_unlock(&w->lock);
}

int coll_writer_flush(struct coll_writer *w)
{
    unsigned long asked;
    int ret;

    pthread_mutex_lock(&w->lock);
    asked = ++w->flush_asked;
    pthread_cond_signal(&w->cond);
    while (w->flush_done < asked)
        pthread_cond_wait(&w->flushed_cond, &w->lock);
    ret = w->write_failed ? -EIO : 0;
    w->write_failed = false;
    pthread_mutex_unlock(&w->lock);
    return ret;
}

size_t coll_writer_queued(struct coll_writer *w)
{
    size_t n;
    pthread_mutex_lock(&w->lock);
    n = w->queued;
    pthread_mutex_unlock(&w->lock);
    return n;
}

void coll_writer_stop(struct coll_writer *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stop = true;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->cond);
    pthread_cond_destroy(&w->flushed_cond);
    pthread_mutex_destroy(&w->lock);
    coll_wcache_free(w->cache);
    free(w);
}

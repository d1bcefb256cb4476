/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * availability.c - network uptime from events: availability per device and interface over
 * a period ending now, 24/7 and within office hours; the outage log; the network overview
 * (maintenance windows and holidays as records are in maintenance.c). The owner of two
 * rules: which devices a
 * maintenance window covers (inv_maintenance_covers(), one walk: maint_spans()) and office
 * time with the holiday table (inv_office_calendar()).
 *
 * DESIGN. Everything is interval arithmetic on sorted, disjoint spans [a, b) of epoch
 * seconds. For one device over [start, now):
 *     M = maintenance windows that cover it (maint_spans(): its own, every-device ones,
 *         its ancestors')
 *     D = union(down spans) - M
 *     U = union(unreachable spans) - M - D        (down wins where both overlap)
 *     monitored = |[start, now)| - |M|,  up = monitored - |D| - |U|
 *     pct = 100 * up / (up + |D|)                  (unreachable counts neither way)
 * and the office variant measures the same sets with ww_office_cal_seconds() instead of
 * their length, so an outage from 16:00 to 08:30 the next day counts 1 h 60 min of office
 * time and nothing of the night. The rules for the start of monitoring and for interfaces
 * are in inventory.h. A period of many devices is done with one event query for all of
 * them (not one per device) and one office calendar per request. The overview takes its state
 * counts by unit and site from that same pass over the devices, picks the worst ten without
 * sorting them all, and reads the device parents once (bench/uptime.sh: 10,000 devices).
 */
#include "inventory/inventory_int.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

/* ---- spans ------------------------------------------------------------------------------ */

struct span {
    time_t a, b;
};

struct spans {
    struct span *v;
    size_t n, cap;
};

static void spans_add(struct spans *s, time_t a, time_t b)
{
    if (a >= b)
        return;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 8;
        s->v = ww_reallocarray(s->v, s->cap, sizeof(*s->v));
    }
    s->v[s->n++] = (struct span){a, b};
}

static void spans_release(struct spans *s)
{
    free(s->v);
    memset(s, 0, sizeof(*s));
}

static int span_cmp(const void *x, const void *y)
{
    const struct span *p = x, *q = y;
    return (p->a > q->a) - (p->a < q->a);
}

/* sort and merge overlapping or touching spans */
static void spans_norm(struct spans *s)
{
    size_t w = 0;

    if (s->n < 2)
        return;
    qsort(s->v, s->n, sizeof(*s->v), span_cmp);
    for (size_t i = 1; i < s->n; i++) {
        if (s->v[i].a <= s->v[w].b) {
            if (s->v[i].b > s->v[w].b)
                s->v[w].b = s->v[i].b;
        } else {
            s->v[++w] = s->v[i];
        }
    }
    s->n = w + 1;
}

/* @s := @s - @minus; both normalised; the result stays normalised */
static void spans_sub(struct spans *s, const struct spans *minus)
{
    struct spans out = {0};
    size_t j = 0;

    for (size_t i = 0; i < s->n; i++) {
        time_t a = s->v[i].a, b = s->v[i].b;

        while (j < minus->n && minus->v[j].b <= a)
            j++;
        for (size_t k = j; k < minus->n && minus->v[k].a < b; k++) {
            spans_add(&out, a, minus->v[k].a);
            if (minus->v[k].b > a)
                a = minus->v[k].b;
        }
        spans_add(&out, a, b);
    }
    spans_release(s);
    *s = out;
}

static long long spans_len(const struct spans *s, const struct ww_office_cal *cal)
{
    long long sum = 0;

    for (size_t i = 0; i < s->n; i++)
        sum += cal ? ww_office_cal_seconds(cal, s->v[i].a, s->v[i].b)
                   : (long long)(s->v[i].b - s->v[i].a);
    return sum;
}

/* ---- the period: windows, parents, office calendar --------------------------------------- */

struct window {
    long long device_id; /* 0 = every device */
    time_t a, b;
};

struct parent {
    long long id, parent_id;
};

struct ctx {
    time_t from, to;
    struct ww_office_cal cal;
    bool office;
    struct window *win;
    size_t nwin;
    struct parent *par; /* sorted by id; loaded only when a window names a device */
    size_t npar;
    bool par_loaded, par_borrowed; /* borrowed: another context's, not freed here */
};

static int parent_cmp(const void *x, const void *y)
{
    const struct parent *p = x, *q = y;
    return (p->id > q->id) - (p->id < q->id);
}

static int window_cmp(const void *x, const void *y)
{
    const struct window *p = x, *q = y;

    if (p->device_id != q->device_id)
        return (p->device_id > q->device_id) - (p->device_id < q->device_id);
    return (p->a > q->a) - (p->a < q->a);
}

static int int_cmp(const void *x, const void *y)
{
    int a = *(const int *)x, b = *(const int *)y;
    return (a > b) - (a < b);
}

static int load_holidays(struct ww_db *db, int **out_keys, size_t *out_n)
{
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT day FROM holiday");
    int *keys = NULL, rc;
    size_t n = 0, cap = 0;

    if (!st)
        return -EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int key;
        if (ww_office_day_key((const char *)sqlite3_column_text(st, 0), &key) < 0)
            continue; /* the schema's GLOB admits 2026-19-39: not a day, never office time */
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            keys = ww_reallocarray(keys, cap, sizeof(*keys));
        }
        keys[n++] = key;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free(keys);
        return ww_error(-EIO, "inventory: read holidays: %s", sqlite3_errmsg(db->sql));
    }
    if (n)
        qsort(keys, n, sizeof(*keys), int_cmp);
    *out_keys = keys;
    *out_n = n;
    return 0;
}

static int load_parents(struct ww_db *db, struct ctx *c);

/* the windows overlapping [c->from, c->to); and the device parents when @with_parents and a
 * window names a device (*@out_named says whether one does) */
static int load_windows_opt(struct ww_db *db, struct ctx *c, bool with_parents, bool *out_named)
{
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT coalesce(device_id, 0), starts_at, ends_at"
                                         " FROM maintenance WHERE starts_at < ?2 AND ends_at > ?1");
    bool named = false;
    size_t cap = 0;
    int rc;

    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)c->from);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)c->to);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (c->nwin == cap) {
            cap = cap ? cap * 2 : 16;
            c->win = ww_reallocarray(c->win, cap, sizeof(*c->win));
        }
        c->win[c->nwin].device_id = sqlite3_column_int64(st, 0);
        c->win[c->nwin].a = (time_t)sqlite3_column_int64(st, 1);
        c->win[c->nwin].b = (time_t)sqlite3_column_int64(st, 2);
        named |= c->win[c->nwin].device_id != 0;
        c->nwin++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return ww_error(-EIO, "inventory: read maintenance: %s", sqlite3_errmsg(db->sql));
    if (c->nwin > 1)
        qsort(c->win, c->nwin, sizeof(*c->win), window_cmp); /* every-device ones first */
    if (out_named)
        *out_named = named;
    return named && with_parents ? load_parents(db, c) : 0;
}

static int load_windows(struct ww_db *db, struct ctx *c)
{
    return load_windows_opt(db, c, true, NULL);
}

static int load_parents(struct ww_db *db, struct ctx *c)
{
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT id, parent_id FROM device"
                                         " WHERE parent_id IS NOT NULL ORDER BY id");
    size_t cap = 0;
    int rc;

    if (!st)
        return -EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (c->npar == cap) {
            cap = cap ? cap * 2 : 64;
            c->par = ww_reallocarray(c->par, cap, sizeof(*c->par));
        }
        c->par[c->npar].id = sqlite3_column_int64(st, 0);
        c->par[c->npar].parent_id = sqlite3_column_int64(st, 1);
        c->npar++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return ww_error(-EIO, "inventory: read device parents: %s", sqlite3_errmsg(db->sql));
    c->par_loaded = true;
    return 0;
}

static void ctx_release(struct ctx *c)
{
    ww_office_cal_release(&c->cal);
    free(c->win);
    if (!c->par_borrowed)
        free(c->par);
    memset(c, 0, sizeof(*c));
}

/* the parents of @device's chain only (at most INV_PARENT_DEPTH_MAX of them), sorted by id as
 * load_parents() leaves all of them: one device's question need not read every device */
static int load_chain(struct ww_db *db, struct ctx *c, long long device)
{
    sqlite3_stmt *st = ww_db_prepare(
        db, "WITH RECURSIVE up(id, parent_id, depth) AS ("
            " SELECT id, parent_id, 1 FROM device WHERE id = ?1 AND parent_id IS NOT NULL"
            " UNION ALL SELECT d.id, d.parent_id, up.depth + 1 FROM device d"
            " JOIN up ON d.id = up.parent_id WHERE d.parent_id IS NOT NULL AND up.depth < ?2)"
            " SELECT id, parent_id FROM up ORDER BY id");
    int rc;

    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, device);
    sqlite3_bind_int(st, 2, INV_PARENT_DEPTH_MAX);
    c->par = ww_calloc(INV_PARENT_DEPTH_MAX, sizeof(*c->par));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && c->npar < INV_PARENT_DEPTH_MAX) {
        c->par[c->npar].id = sqlite3_column_int64(st, 0);
        c->par[c->npar].parent_id = sqlite3_column_int64(st, 1);
        c->npar++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return ww_error(-EIO, "inventory: read the parents of device %lld: %s", device,
                        sqlite3_errmsg(db->sql));
    c->par_loaded = true;
    return 0;
}

/* the windows of @c's span and, when one names a device, the device parents: borrowed from
 * @from when it has them (@from must then outlive @c), else those of @one_device's chain when
 * it is not 0, else all of them */
static int load_windows_with(struct ww_db *db, struct ctx *c, const struct ctx *from,
                             long long one_device)
{
    bool named = false;
    int ret = load_windows_opt(db, c, false, &named);

    if (ret < 0 || !named)
        return ret;
    if (from && from->par_loaded) {
        c->par = from->par;
        c->npar = from->npar;
        c->par_loaded = c->par_borrowed = true;
        return 0;
    }
    return one_device ? load_chain(db, c, one_device) : load_parents(db, c);
}

int inv_office_calendar(struct ww_db *db, const struct ww_office *office, time_t from, time_t to,
                        struct ww_office_cal *out_cal)
{
    int *hol = NULL;
    size_t nhol = 0;
    int ret;

    memset(out_cal, 0, sizeof(*out_cal));
    ret = load_holidays(db, &hol, &nhol);
    if (ret == 0)
        ret = ww_office_cal_build(office, hol, nhol, from, to, out_cal);
    free(hol);
    return ret;
}

/* @office NULL: 24/7 only */
static int ctx_init(struct ww_db *db, const struct ww_office *office, time_t from, time_t to,
                    struct ctx *c)
{
    int ret;

    memset(c, 0, sizeof(*c));
    c->from = from;
    c->to = to;
    ret = load_windows(db, c);
    if (ret == 0 && office) {
        ret = inv_office_calendar(db, office, from, to, &c->cal);
        c->office = ret == 0;
    }
    if (ret < 0)
        ctx_release(c);
    return ret;
}

/* the first window on @device_id or above it (c->win is sorted by device_id) */
static size_t window_first(const struct ctx *c, long long device_id)
{
    size_t lo = 0, hi = c->nwin;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->win[mid].device_id < device_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* window @w clipped to [a, b) into @out (when not NULL); whether anything of it is left */
static bool maint_add(const struct window *w, time_t a, time_t b, struct spans *out)
{
    time_t lo = w->a > a ? w->a : a, hi = w->b < b ? w->b : b;

    if (lo >= hi)
        return false;
    if (out)
        spans_add(out, lo, hi);
    return true;
}

/*
 * The one walk of the maintenance rule (inventory.h, inv_maintenance_covers()); every question
 * about maintenance in inventory comes here. The windows of @c that cover @device within
 * [a, b): the every-device ones, then those of the device and of each of its parents up to
 * INV_PARENT_DEPTH_MAX up, found by id in the sorted windows (a walk up the chain, not a test
 * of every window: the overview does this for every device). With @out they are added to it,
 * normalised; with @out NULL the walk stops at the first. Returns whether there is one.
 */
static bool maint_spans(const struct ctx *c, long long device, time_t a, time_t b,
                        struct spans *out)
{
    long long id = device;
    bool any = false;

    for (size_t i = 0; i < c->nwin && c->win[i].device_id == 0 && (out || !any); i++)
        any |= maint_add(&c->win[i], a, b, out);
    for (int depth = 0; id > 0 && depth <= INV_PARENT_DEPTH_MAX && (out || !any); depth++) {
        struct parent key = {id, 0}, *p;

        for (size_t i = window_first(c, id); i < c->nwin && c->win[i].device_id == id; i++)
            any |= maint_add(&c->win[i], a, b, out);
        p = c->npar ? bsearch(&key, c->par, c->npar, sizeof(*c->par), parent_cmp) : NULL;
        id = p ? p->parent_id : 0;
    }
    if (out)
        spans_norm(out);
    return any;
}

/* is each of @ids (n of them) in maintenance at @now? into @out_in; the device parents
 * borrowed from @parents when it has them, else one device's chain or every parent */
static int covers_set(struct ww_db *db, const struct ctx *parents, const long long *ids,
                      size_t n, time_t now, bool *out_in)
{
    struct ctx c = {0};
    int ret;

    for (size_t i = 0; i < n; i++)
        out_in[i] = false;
    c.from = now;
    c.to = now + 1;
    ret = load_windows_with(db, &c, parents, n == 1 ? ids[0] : 0);
    for (size_t i = 0; ret == 0 && c.nwin && i < n; i++)
        out_in[i] = maint_spans(&c, ids[i], now, now + 1, NULL);
    ctx_release(&c);
    return ret;
}

int inv_maintenance_covers(struct ww_db *db, long long device_id, time_t now, bool *out_in)
{
    return covers_set(db, NULL, &device_id, 1, now, out_in);
}

int inv_maintenance_covers_set(struct ww_db *db, const long long *ids, size_t n, time_t now,
                               bool *out_in)
{
    return covers_set(db, NULL, ids, n, now, out_in);
}

/*
 * The figures of one subject over [start, c->to): @down and @unreach are raw spans (clipped
 * here, normalised here), @maint normalised within [start, to). 24/7 into @all, office
 * hours into @office (when the context has a calendar).
 */
static void measure(const struct ctx *c, time_t start, time_t first_ok, struct spans *down,
                    struct spans *unreach, const struct spans *maint, struct inv_avail *all,
                    struct inv_avail *office)
{
    struct inv_avail *outs[2] = {all, office};
    struct spans wait = {0};

    for (size_t i = 0; i < down->n; i++) {
        down->v[i].a = down->v[i].a < start ? start : down->v[i].a;
        down->v[i].b = down->v[i].b > c->to ? c->to : down->v[i].b;
        if (down->v[i].b < down->v[i].a)
            down->v[i].b = down->v[i].a;
    }
    for (size_t i = 0; i < unreach->n; i++) {
        unreach->v[i].a = unreach->v[i].a < start ? start : unreach->v[i].a;
        unreach->v[i].b = unreach->v[i].b > c->to ? c->to : unreach->v[i].b;
        if (unreach->v[i].b < unreach->v[i].a)
            unreach->v[i].b = unreach->v[i].a;
    }
    spans_norm(down);
    spans_sub(down, maint);
    spans_norm(unreach);
    spans_sub(unreach, maint);
    spans_sub(unreach, down);
    /* before the first answer nothing is known to be up: [start, first_ok) outside the
     * outages and maintenance counts neither way */
    spans_add(&wait, start, first_ok > 0 && first_ok < c->to ? first_ok : c->to);
    spans_sub(&wait, maint);
    spans_sub(&wait, down);
    spans_sub(&wait, unreach);
    for (int k = 0; k < 2; k++) {
        const struct ww_office_cal *cal = k ? &c->cal : NULL;
        struct inv_avail *o = outs[k];
        long long total;

        if (!o)
            continue;
        memset(o, 0, sizeof(*o));
        o->pct = -1;
        if (k && !c->office)
            continue;
        if (start >= c->to)
            continue;
        total = cal ? ww_office_cal_seconds(cal, start, c->to) : (long long)(c->to - start);
        o->maintenance_s = spans_len(maint, cal);
        o->monitored_s = total - o->maintenance_s;
        o->down_s = spans_len(down, cal);
        o->unreachable_s = spans_len(unreach, cal);
        o->unknown_s = spans_len(&wait, cal);
        o->up_s = o->monitored_s - o->down_s - o->unreachable_s - o->unknown_s;
        if (o->up_s + o->down_s > 0)
            o->pct = 100.0 * (double)o->up_s / (double)(o->up_s + o->down_s);
    }
    spans_release(&wait);
}

/* monitoring start of a device: added, first poll, period (see inventory.h) */
static time_t device_start(const struct ctx *c, long long created_at, bool polled)
{
    if (!polled)
        return c->to;
    return created_at > c->from ? (time_t)created_at : c->from;
}

int inv_period_parse(const char *name, long long *out_seconds)
{
    static const struct {
        const char *name;
        long long s;
    } periods[] = {{"day", 86400}, {"7d", 7 * 86400}, {"30d", 30 * 86400}, {"365d", 365 * 86400}};

    for (size_t i = 0; name && i < WW_ARRAY_SIZE(periods); i++)
        if (strcmp(name, periods[i].name) == 0) {
            *out_seconds = periods[i].s;
            return 0;
        }
    return -EINVAL;
}

/* created_at, "was it ever polled" and its first answer (0: none) of one device; -ENOENT */
static int device_base(struct ww_db *db, long long id, long long *out_created, bool *out_polled,
                       long long *out_first_ok)
{
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT d.created_at, s.last_poll IS NOT NULL,"
                                         " coalesce(s.first_ok, 0)"
                                         " FROM device d LEFT JOIN device_status s"
                                         " ON s.device_id = d.id WHERE d.id = ?1");
    int rc;

    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out_created = sqlite3_column_int64(st, 0);
        *out_polled = sqlite3_column_int(st, 1) != 0;
        *out_first_ok = sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return -ENOENT;
    return rc == SQLITE_ROW ? 0 : ww_error(-EIO, "inventory: device %lld: %s", id,
                                           sqlite3_errmsg(db->sql));
}

/* the device's down/unreachable spans overlapping the period */
static int device_spans(struct ww_db *db, const struct ctx *c, long long id, struct spans *down,
                        struct spans *unreach)
{
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT type, started_at, coalesce(ended_at, ?3)"
                                         " FROM event WHERE device_id = ?1"
                                         " AND type IN ('down', 'unreachable')"
                                         " AND interface_id IS NULL AND started_at < ?3"
                                         " AND (ended_at IS NULL OR ended_at > ?2)");
    int rc;

    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)c->from);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)c->to);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(st, 0);
        spans_add(strcmp(type, "down") == 0 ? down : unreach,
                  (time_t)sqlite3_column_int64(st, 1), (time_t)sqlite3_column_int64(st, 2));
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : ww_error(-EIO, "inventory: events of device %lld: %s", id,
                                            sqlite3_errmsg(db->sql));
}

static int one_device(struct ww_db *db, const struct ctx *c, long long id,
                      struct inv_avail *out_all, struct inv_avail *out_office)
{
    struct spans down = {0}, unreach = {0}, maint = {0};
    long long created = 0, first_ok = 0;
    bool polled = false;
    time_t start;
    int ret;

    ret = device_base(db, id, &created, &polled, &first_ok);
    if (ret == 0)
        ret = device_spans(db, c, id, &down, &unreach);
    if (ret == 0) {
        start = device_start(c, created, polled);
        maint_spans(c, id, start, c->to, &maint);
        measure(c, start, (time_t)first_ok, &down, &unreach, &maint, out_all, out_office);
    }
    spans_release(&down);
    spans_release(&unreach);
    spans_release(&maint);
    return ret;
}

int inv_availability_device(struct ww_db *db, const struct ww_office *office,
                            long long device_id, long long period_s, time_t now,
                            struct inv_avail *out_all, struct inv_avail *out_office)
{
    struct ctx c;
    int ret = ctx_init(db, office, now - (time_t)period_s, now, &c);

    if (ret < 0)
        return ret;
    ret = one_device(db, &c, device_id, out_all, out_office);
    ctx_release(&c);
    return ret;
}

void inv_if_avail_free(struct inv_if_avail *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(items[i].name);
    free(items);
}

int inv_availability_interfaces(struct ww_db *db, const struct ww_office *office,
                                long long device_id, long long period_s, time_t now,
                                struct inv_if_avail **out_items, size_t *out_n)
{
    struct spans ddown = {0}, dunreach = {0}, dev_out = {0}, maint = {0};
    struct inv_if_avail *items = NULL;
    long long *first_seen = NULL;
    size_t n = 0, cap = 0;
    sqlite3_stmt *st = NULL;
    long long created = 0, first_ok = 0;
    bool polled = false;
    struct ctx c;
    time_t start;
    int ret, rc;

    *out_items = NULL;
    *out_n = 0;
    ret = ctx_init(db, office, now - (time_t)period_s, now, &c);
    if (ret < 0)
        return ret;
    ret = device_base(db, device_id, &created, &polled, &first_ok);
    if (ret == 0)
        ret = device_spans(db, &c, device_id, &ddown, &dunreach);
    if (ret < 0)
        goto out;
    start = device_start(&c, created, polled);
    /* the interface is not seen while its device is down or unreachable */
    for (size_t i = 0; i < ddown.n; i++)
        spans_add(&dev_out, ddown.v[i].a, ddown.v[i].b);
    for (size_t i = 0; i < dunreach.n; i++)
        spans_add(&dev_out, dunreach.v[i].a, dunreach.v[i].b);

    ret = -EIO;
    st = ww_db_prepare(db, "SELECT id, name, first_seen FROM interface WHERE device_id = ?1"
                           " ORDER BY name, id");
    if (!st)
        goto out;
    sqlite3_bind_int64(st, 1, device_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            items = ww_reallocarray(items, cap, sizeof(*items));
            first_seen = ww_reallocarray(first_seen, cap, sizeof(*first_seen));
        }
        memset(&items[n], 0, sizeof(items[n]));
        items[n].interface_id = sqlite3_column_int64(st, 0);
        items[n].name = ww_db_text(st, 1);
        first_seen[n] = sqlite3_column_int64(st, 2);
        n++;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (rc != SQLITE_DONE)
        goto out;
    st = ww_db_prepare(db, "SELECT started_at, coalesce(ended_at, ?3) FROM event"
                           " WHERE device_id = ?1 AND interface_id = ?4 AND type = 'if_down'"
                           " AND started_at < ?3 AND (ended_at IS NULL OR ended_at > ?2)");
    if (!st)
        goto out;
    for (size_t i = 0; i < n; i++) {
        struct spans down = {0}, unreach = {0};
        time_t istart = first_seen[i] > start ? (time_t)first_seen[i] : start;

        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, device_id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)c.from);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)c.to);
        sqlite3_bind_int64(st, 4, items[i].interface_id);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            spans_add(&down, (time_t)sqlite3_column_int64(st, 0),
                      (time_t)sqlite3_column_int64(st, 1));
        if (rc != SQLITE_DONE) {
            spans_release(&down);
            goto out;
        }
        for (size_t k = 0; k < dev_out.n; k++)
            spans_add(&unreach, dev_out.v[k].a, dev_out.v[k].b);
        /* own time is down only when the device was seen: device outages first */
        spans_norm(&unreach);
        for (size_t k = 0; k < unreach.n; k++) {
            unreach.v[k].a = unreach.v[k].a < istart ? istart : unreach.v[k].a;
            unreach.v[k].b = unreach.v[k].b > c.to ? c.to : unreach.v[k].b;
            if (unreach.v[k].b < unreach.v[k].a)
                unreach.v[k].b = unreach.v[k].a;
        }
        spans_norm(&unreach);
        spans_norm(&down);
        spans_sub(&down, &unreach);
        spans_release(&maint);
        maint_spans(&c, device_id, istart, c.to, &maint);
        /* an interface is known from its first row (the device answered): first_seen */
        measure(&c, istart, istart, &down, &unreach, &maint, &items[i].all, &items[i].office);
        spans_release(&down);
        spans_release(&unreach);
    }
    ret = 0;
out:
    if (ret == -EIO)
        ww_error(-EIO, "inventory: interface availability of device %lld: %s", device_id,
                 sqlite3_errmsg(db->sql));
    if (st)
        sqlite3_finalize(st);
    if (ret < 0) {
        inv_if_avail_free(items, n);
        items = NULL;
        n = 0;
    }
    *out_items = items;
    *out_n = n;
    free(first_seen);
    spans_release(&ddown);
    spans_release(&dunreach);
    spans_release(&dev_out);
    spans_release(&maint);
    ctx_release(&c);
    return ret;
}

/* ---- every device at once ---------------------------------------------------------------- */

struct ev {
    long long device_id;
    size_t row; /* the device's index in the rows */
    time_t a, b;
    bool down;
};

/* the index of device @id in @rows (sorted by id), or @n */
static size_t row_of(const struct inv_avail_row *rows, size_t n, long long id)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (rows[mid].device_id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && rows[lo].device_id == id ? lo : n;
}

void inv_avail_row_free(struct inv_avail_row *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(items[i].device_name);
        free(items[i].kind);
    }
    free(items);
}

static int row_cmp(const void *x, const void *y)
{
    const struct inv_avail_row *p = x, *q = y;
    int c;

    if ((p->a.pct < 0) != (q->a.pct < 0))
        return p->a.pct < 0 ? 1 : -1;
    if (p->a.pct != q->a.pct)
        return p->a.pct < q->a.pct ? -1 : 1;
    c = strcmp(p->device_name ? p->device_name : "", q->device_name ? q->device_name : "");
    if (c)
        return c;
    return (p->device_id > q->device_id) - (p->device_id < q->device_id);
}

/* what the overview counts of each device, read in the same pass as its figures */
enum dev_state { DEV_UNKNOWN, DEV_UP, DEV_DOWN, DEV_UNREACHABLE };

struct dev_info {
    long long id, unit, site; /* unit, site: LLONG_MIN for none (NULL), which sorts first */
    enum dev_state state;
};

static enum dev_state state_of(const char *s)
{
    if (!s)
        return DEV_UNKNOWN;
    if (strcmp(s, "up") == 0)
        return DEV_UP;
    if (strcmp(s, "down") == 0)
        return DEV_DOWN;
    return strcmp(s, "unreachable") == 0 ? DEV_UNREACHABLE : DEV_UNKNOWN;
}

/*
 * every enabled device's figures over the context's period, sorted (row_cmp) when @sorted,
 * else in id order; with @out_info, also each device's unit, site and state, in id order
 * (n of them)
 */
static int all_devices(struct ww_db *db, const struct ctx *c, bool office, bool sorted,
                       struct inv_avail_row **out_rows, size_t *out_n,
                       struct dev_info **out_info)
{
    struct inv_avail_row *rows = NULL;
    struct dev_info *info = NULL;
    struct ev *evs = NULL;
    size_t n = 0, cap = 0, nev = 0, evcap = 0;
    size_t *first = NULL, *fill = NULL, *order = NULL;
    long long *created = NULL, *first_ok = NULL;
    bool *polled = NULL;
    sqlite3_stmt *st;
    int rc, ret = -EIO;

    /* two searches of the partial index event_outage_end (schema step 5), the outages that
     * ended inside the period and the open ones: "ended_at IS NULL OR ended_at > ?1" would
     * make SQLite walk a year of events by started_at instead */
    st = ww_db_prepare(db, "SELECT device_id, type = 'down', started_at, ended_at"
                           " FROM event WHERE type IN ('down', 'unreachable')"
                           " AND interface_id IS NULL AND started_at < ?2 AND ended_at > ?1"
                           " UNION ALL"
                           " SELECT device_id, type = 'down', started_at, ?2"
                           " FROM event WHERE type IN ('down', 'unreachable')"
                           " AND interface_id IS NULL AND started_at < ?2 AND ended_at IS NULL");
    if (!st)
        goto out;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)c->from);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)c->to);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (nev == evcap) {
            evcap = evcap ? evcap * 2 : 1024;
            evs = ww_reallocarray(evs, evcap, sizeof(*evs));
        }
        evs[nev].device_id = sqlite3_column_int64(st, 0);
        evs[nev].down = sqlite3_column_int(st, 1) != 0;
        evs[nev].a = (time_t)sqlite3_column_int64(st, 2);
        evs[nev].b = (time_t)sqlite3_column_int64(st, 3);
        nev++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        goto out;

    st = ww_db_prepare(db, "SELECT d.id, d.name, d.kind, d.created_at, s.last_poll IS NOT NULL,"
                           " d.unit_id, d.location_id, s.state, coalesce(s.first_ok, 0)"
                           " FROM device d LEFT JOIN device_status s ON s.device_id = d.id"
                           " WHERE d.enabled = 1 ORDER BY d.id");
    if (!st)
        goto out;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            rows = ww_reallocarray(rows, cap, sizeof(*rows));
            created = ww_reallocarray(created, cap, sizeof(*created));
            polled = ww_reallocarray(polled, cap, sizeof(*polled));
            first_ok = ww_reallocarray(first_ok, cap, sizeof(*first_ok));
            if (out_info)
                info = ww_reallocarray(info, cap, sizeof(*info));
        }
        if (out_info) {
            info[n].id = sqlite3_column_int64(st, 0);
            info[n].unit = sqlite3_column_type(st, 5) == SQLITE_NULL
                               ? LLONG_MIN
                               : sqlite3_column_int64(st, 5);
            info[n].site = sqlite3_column_type(st, 6) == SQLITE_NULL
                               ? LLONG_MIN
                               : sqlite3_column_int64(st, 6);
            info[n].state = state_of((const char *)sqlite3_column_text(st, 7));
        }
        memset(&rows[n], 0, sizeof(rows[n]));
        rows[n].device_id = sqlite3_column_int64(st, 0);
        rows[n].device_name = ww_db_text(st, 1);
        rows[n].kind = ww_db_text(st, 2);
        created[n] = sqlite3_column_int64(st, 3);
        polled[n] = sqlite3_column_int(st, 4) != 0;
        first_ok[n] = sqlite3_column_int64(st, 8);
        n++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        goto out;

    /* the events bucketed by device row (a counting sort: rows are in id order), so each
     * device's are order[first[i] .. first[i + 1]); those of disabled devices are left out */
    first = ww_calloc(n + 2, sizeof(*first));
    order = ww_calloc(nev ? nev : 1, sizeof(*order));
    for (size_t k = 0; k < nev; k++) {
        evs[k].row = row_of(rows, n, evs[k].device_id);
        first[evs[k].row + 1]++;
    }
    for (size_t i = 1; i <= n + 1; i++)
        first[i] += first[i - 1];
    fill = ww_calloc(n + 2, sizeof(*fill));
    memcpy(fill, first, (n + 2) * sizeof(*fill));
    for (size_t k = 0; k < nev; k++)
        order[fill[evs[k].row]++] = k;
    for (size_t i = 0; i < n; i++) {
        struct spans down = {0}, unreach = {0}, maint = {0};
        time_t start = device_start(c, created[i], polled[i]);

        for (size_t k = first[i]; k < first[i + 1]; k++) {
            const struct ev *ev = &evs[order[k]];
            spans_add(ev->down ? &down : &unreach, ev->a, ev->b);
            rows[i].outages++;
        }
        maint_spans(c, rows[i].device_id, start, c->to, &maint);
        measure(c, start, (time_t)first_ok[i], &down, &unreach, &maint,
                office ? NULL : &rows[i].a,
                office ? &rows[i].a : NULL);
        spans_release(&down);
        spans_release(&unreach);
        spans_release(&maint);
    }
    if (n && sorted)
        qsort(rows, n, sizeof(*rows), row_cmp);
    ret = 0;
out:
    if (ret < 0) {
        ww_error(ret, "inventory: availability of all devices: %s", sqlite3_errmsg(db->sql));
        inv_avail_row_free(rows, n);
        rows = NULL;
        n = 0;
        free(info);
        info = NULL;
    }
    free(evs);
    free(first);
    free(fill);
    free(order);
    free(created);
    free(polled);
    free(first_ok);
    *out_rows = rows;
    *out_n = n;
    if (out_info)
        *out_info = info;
    return ret;
}

int inv_availability_list(struct ww_db *db, const struct ww_office *office, long long period_s,
                          time_t now, long long limit, long long offset,
                          struct inv_avail_row **out_items, size_t *out_n,
                          long long *out_total)
{
    struct inv_avail_row *rows = NULL;
    size_t n = 0, lo, hi;
    struct ctx c;
    int ret;

    *out_items = NULL;
    *out_n = 0;
    *out_total = 0;
    ret = ctx_init(db, office, now - (time_t)period_s, now, &c);
    if (ret < 0)
        return ret;
    ret = all_devices(db, &c, office != NULL, true, &rows, &n, NULL);
    ctx_release(&c);
    if (ret < 0)
        return ret;
    /* keep [offset, offset+limit): free the rest */
    lo = offset < 0 ? 0 : ((unsigned long long)offset > n ? n : (size_t)offset);
    hi = limit < 0 || (unsigned long long)limit > n - lo ? n : lo + (size_t)limit;
    for (size_t i = 0; i < n; i++) {
        if (i >= lo && i < hi)
            continue;
        free(rows[i].device_name);
        free(rows[i].kind);
    }
    if (lo)
        memmove(rows, rows + lo, (hi - lo) * sizeof(*rows));
    *out_items = rows;
    *out_n = hi - lo;
    *out_total = (long long)n;
    return 0;
}

/* ---- outages ---------------------------------------------------------------------------- */

void inv_outage_list_free(struct inv_outage *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(items[i].device_name);
        free(items[i].interface_name);
        free(items[i].type);
        free(items[i].acked_by);
    }
    free(items);
}

/*
 * The WHERE clause of a filter, from fixed fragments only (values are bound: ?1 now, ?2
 * device, ?3 type, ?4 from, ?5 to, ?6 min_s), so that SQLite can use the indexes on
 * device_id and started_at; a catch-all "(?2 = 0 OR device_id = ?2)" would defeat them.
 */
static int outage_where(const struct inv_outage_filter *f, struct ww_buf *b)
{
    int ret = ww_buf_addstr(b, " FROM event e JOIN device d ON d.id = e.device_id"
                               " LEFT JOIN interface i ON i.id = e.interface_id WHERE ");

    if (!ret)
        ret = ww_buf_addstr(b, f->type ? "e.type = ?3" : "e.type IN ('down', 'unreachable',"
                                                         " 'if_down')");
    if (!ret && f->device_id)
        ret = ww_buf_addstr(b, " AND e.device_id = ?2");
    if (!ret && f->from)
        ret = ww_buf_addstr(b, " AND (e.ended_at IS NULL OR e.ended_at > ?4)");
    if (!ret && f->to)
        ret = ww_buf_addstr(b, " AND e.started_at < ?5");
    if (!ret && f->open >= 0)
        ret = ww_buf_addstr(b, f->open ? " AND e.ended_at IS NULL" : " AND e.ended_at IS NOT NULL");
    if (!ret && f->min_s > 0)
        ret = ww_buf_addstr(b, " AND coalesce(e.ended_at, ?1) - e.started_at >= ?6");
    if (!ret && f->id > 0)
        ret = ww_buf_addstr(b, " AND e.id = ?9");
    if (!ret && f->acked)
        ret = ww_buf_addstr(b, f->acked > 0 ? " AND e.acked_at IS NOT NULL"
                                            : " AND e.acked_at IS NULL");
    return ret;
}

static void outage_bind(sqlite3_stmt *st, const struct inv_outage_filter *f, time_t now)
{
    sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
    sqlite3_bind_int64(st, 2, f->device_id);
    if (f->type)
        sqlite3_bind_text(st, 3, f->type, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, f->from);
    sqlite3_bind_int64(st, 5, f->to);
    sqlite3_bind_int64(st, 6, f->min_s);
    sqlite3_bind_int64(st, 9, f->id);
}

/* in_maintenance of each outage: one context over the page's span */
static int outage_mark(struct ww_db *db, struct inv_outage *items, size_t n,
                       const struct ctx *parents)
{
    time_t lo = LONG_MAX, hi = 0;
    struct ctx c = {0};
    int ret;

    for (size_t i = 0; i < n; i++) {
        time_t end = (time_t)(items[i].started_at + items[i].duration_s);
        lo = items[i].started_at < lo ? (time_t)items[i].started_at : lo;
        hi = end > hi ? end : hi;
    }
    if (!n)
        return 0;
    c.from = lo;
    c.to = hi + 1; /* a zero-length outage still finds the window it sits in */
    ret = load_windows_with(db, &c, parents, 0);
    for (size_t i = 0; ret == 0 && c.nwin && i < n; i++) {
        time_t a = (time_t)items[i].started_at, b = (time_t)(a + items[i].duration_s);
        /* [a, b]: a window that starts as the outage ends still overlaps it */
        items[i].in_maintenance = maint_spans(&c, items[i].device_id, a, b + 1, NULL);
    }
    ctx_release(&c);
    return ret;
}

/* @parents: a context whose device parents may be borrowed, or NULL */
static int outage_query(struct ww_db *db, const struct inv_outage_filter *f, time_t now,
                        const char *order, long long limit, long long offset,
                        const struct ctx *parents, struct inv_outage **out_items, size_t *out_n,
                        long long *out_total)
{
    struct inv_outage *items = NULL;
    size_t n = 0, cap = 0;
    sqlite3_stmt *st = NULL;
    struct ww_buf sql;
    int rc = SQLITE_ERROR, ret = -EIO;

    *out_items = NULL;
    *out_n = 0;
    ww_buf_init(&sql, 4096);
    if (out_total) {
        if (ww_buf_addstr(&sql, "SELECT count(*)") || outage_where(f, &sql))
            goto out;
        st = ww_db_prepare(db, sql.data);
        if (!st)
            goto out;
        outage_bind(st, f, now);
        rc = sqlite3_step(st);
        *out_total = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_finalize(st);
        st = NULL;
        if (rc != SQLITE_ROW)
            goto out;
    }
    ww_buf_reset(&sql);
    if (ww_buf_addstr(&sql, "SELECT e.id, e.device_id, coalesce(e.interface_id, 0), d.name,"
                            " i.name, e.type, e.started_at, coalesce(e.ended_at, -1),"
                            " coalesce(e.ended_at, ?1) - e.started_at, coalesce(e.acked_at, 0),"
                            " e.acked_by, (SELECT count(*) FROM outage_note n"
                            " WHERE n.event_id = e.id)") ||
        outage_where(f, &sql) || ww_buf_addstr(&sql, order) ||
        ww_buf_addstr(&sql, " LIMIT ?7 OFFSET ?8"))
        goto out;
    st = ww_db_prepare(db, sql.data);
    if (!st)
        goto out;
    outage_bind(st, f, now);
    sqlite3_bind_int64(st, 7, limit);
    sqlite3_bind_int64(st, 8, offset < 0 ? 0 : offset);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct inv_outage *o;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            items = ww_reallocarray(items, cap, sizeof(*items));
        }
        o = &items[n++];
        memset(o, 0, sizeof(*o));
        o->id = sqlite3_column_int64(st, 0);
        o->device_id = sqlite3_column_int64(st, 1);
        o->interface_id = sqlite3_column_int64(st, 2);
        o->device_name = ww_db_text(st, 3);
        o->interface_name = ww_db_text(st, 4);
        o->type = ww_db_text(st, 5);
        o->started_at = sqlite3_column_int64(st, 6);
        o->ended_at = sqlite3_column_int64(st, 7);
        o->duration_s = sqlite3_column_int64(st, 8);
        if (o->duration_s < 0)
            o->duration_s = 0;
        o->acked_at = sqlite3_column_int64(st, 9);
        o->acked_by = ww_db_text(st, 10);
        o->nnotes = sqlite3_column_int64(st, 11);
    }
    if (rc != SQLITE_DONE)
        goto out;
    ret = outage_mark(db, items, n, parents);
out:
    if (ret == -EIO)
        ww_error(-EIO, "inventory: list outages: %s", sqlite3_errmsg(db->sql));
    if (st)
        sqlite3_finalize(st);
    ww_buf_release(&sql);
    if (ret < 0) {
        inv_outage_list_free(items, n);
        return ret;
    }
    *out_items = items;
    *out_n = n;
    return 0;
}

int inv_outage_list(struct ww_db *db, const struct inv_outage_filter *f, time_t now,
                    long long limit, long long offset, struct inv_outage **out_items,
                    size_t *out_n, long long *out_total)
{
    if (out_total)
        *out_total = 0;
    return outage_query(db, f, now, " ORDER BY e.started_at DESC, e.id DESC", limit, offset,
                        NULL, out_items, out_n, out_total);
}

/* ---- overview --------------------------------------------------------------------------- */

void inv_overview_release(struct inv_overview *o)
{
    for (size_t i = 0; i < o->nunits; i++)
        free(o->by_unit[i].name);
    for (size_t i = 0; i < o->nsites; i++)
        free(o->by_site[i].name);
    for (size_t i = 0; i < o->nworst; i++)
        free(o->worst[i].device_name);
    free(o->by_unit);
    free(o->by_site);
    free(o->worst);
    inv_outage_list_free(o->outages, o->noutages);
    memset(o, 0, sizeof(*o));
}

/* ---- overview: state counts by unit and by site, from the devices' pass of all_devices() */

struct name_of {
    long long id;
    char *name;
};

static int name_cmp(const void *x, const void *y)
{
    const struct name_of *p = x, *q = y;
    return (p->id > q->id) - (p->id < q->id);
}

static void names_free(struct name_of *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].name);
    free(v);
}

/* id and name of every row of a small table (units, sites), sorted by id */
static int load_names(struct ww_db *db, const char *sql, struct name_of **out, size_t *out_n)
{
    sqlite3_stmt *st = ww_db_prepare(db, sql);
    struct name_of *v = NULL;
    size_t n = 0, cap = 0;
    int rc;

    *out = NULL;
    *out_n = 0;
    if (!st)
        return -EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            v = ww_reallocarray(v, cap, sizeof(*v));
        }
        v[n].id = sqlite3_column_int64(st, 0);
        v[n].name = ww_db_text(st, 1);
        n++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        names_free(v, n);
        return ww_error(-EIO, "inventory: overview names: %s", sqlite3_errmsg(db->sql));
    }
    if (n > 1)
        qsort(v, n, sizeof(*v), name_cmp);
    *out = v;
    *out_n = n;
    return 0;
}

struct group_key {
    long long key; /* LLONG_MIN = none */
    enum dev_state state;
};

static int key_cmp(const void *x, const void *y)
{
    const struct group_key *p = x, *q = y;
    return (p->key > q->key) - (p->key < q->key);
}

struct group_sort {
    struct inv_overview_group g;
    long long key;
};

/* as SQL's "ORDER BY name IS NULL, name, key" (BINARY: byte order; a NULL key first) */
static int group_cmp(const void *x, const void *y)
{
    const struct group_sort *p = x, *q = y;
    int c;

    if (!p->g.name != !q->g.name)
        return p->g.name ? -1 : 1;
    if (p->g.name && (c = strcmp(p->g.name, q->g.name)) != 0)
        return c;
    return (p->key > q->key) - (p->key < q->key);
}

/*
 * The state counts of @n devices grouped by @site (else unit), named from @names, ordered
 * by name (no name last) then id: what "GROUP BY d.unit_id ORDER BY u.name IS NULL, u.name,
 * d.unit_id" over the devices LEFT JOIN their unit gave. Adds the totals into @sum.
 */
static void group_counts(const struct dev_info *info, size_t n, bool site,
                         const struct name_of *names, size_t nnames,
                         struct inv_overview_group **out, size_t *out_n,
                         struct inv_state_counts *sum)
{
    struct group_key *keys = ww_calloc(n ? n : 1, sizeof(*keys));
    struct group_sort *gs = NULL;
    size_t ng = 0;

    for (size_t i = 0; i < n; i++) {
        keys[i].key = site ? info[i].site : info[i].unit;
        keys[i].state = info[i].state;
    }
    if (n > 1)
        qsort(keys, n, sizeof(*keys), key_cmp);
    for (size_t i = 0; i < n; i++) {
        struct inv_state_counts *c;
        if (i == 0 || keys[i].key != keys[i - 1].key) {
            struct name_of k = {keys[i].key, NULL}, *nm;
            gs = ww_reallocarray(gs, ng + 1, sizeof(*gs));
            memset(&gs[ng], 0, sizeof(gs[ng]));
            gs[ng].key = keys[i].key;
            gs[ng].g.id = keys[i].key == LLONG_MIN ? 0 : keys[i].key;
            nm = keys[i].key == LLONG_MIN || !nnames
                     ? NULL
                     : bsearch(&k, names, nnames, sizeof(*names), name_cmp);
            gs[ng].g.name = nm && nm->name ? ww_strdup(nm->name) : NULL;
            ng++;
        }
        c = &gs[ng - 1].g.c;
        c->total++;
        c->up += keys[i].state == DEV_UP;
        c->down += keys[i].state == DEV_DOWN;
        c->unreachable += keys[i].state == DEV_UNREACHABLE;
        c->unknown += keys[i].state == DEV_UNKNOWN;
    }
    if (ng > 1)
        qsort(gs, ng, sizeof(*gs), group_cmp);
    *out = ww_calloc(ng ? ng : 1, sizeof(**out));
    for (size_t i = 0; i < ng; i++) {
        (*out)[i] = gs[i].g;
        if (sum) {
            sum->total += gs[i].g.c.total;
            sum->up += gs[i].g.c.up;
            sum->down += gs[i].g.c.down;
            sum->unreachable += gs[i].g.c.unreachable;
            sum->unknown += gs[i].g.c.unknown;
        }
    }
    *out_n = ng;
    free(gs);
    free(keys);
}

/* the enabled devices (@info, @n) inside a maintenance window now (covers_set()); the
 * device parents borrowed from @parents when it has them */
static int count_in_maintenance(struct ww_db *db, const struct ctx *parents, time_t now,
                                const struct dev_info *info, size_t n, long long *out_n)
{
    long long *ids = ww_calloc(n ? n : 1, sizeof(*ids));
    bool *in = ww_calloc(n ? n : 1, sizeof(*in));
    int ret;

    *out_n = 0;
    for (size_t i = 0; i < n; i++)
        ids[i] = info[i].id;
    ret = covers_set(db, parents, ids, n, now, in);
    for (size_t i = 0; ret == 0 && i < n; i++)
        *out_n += in[i];
    free(ids);
    free(in);
    return ret;
}

int inv_overview_get(struct ww_db *db, const struct ww_office *office, time_t now,
                     struct inv_overview *out)
{
    struct inv_outage_filter open = {.open = 1};
    struct name_of *units = NULL, *sites = NULL;
    struct inv_avail_row *rows = NULL;
    struct dev_info *info = NULL;
    size_t nrows = 0, nunits = 0, nsites = 0;
    struct ctx c = {0};
    int ret;

    memset(out, 0, sizeof(*out));
    /* one pass over the devices gives the worst ten over 30 days (24/7) and the counts */
    ret = ctx_init(db, office, now - 30 * 86400, now, &c);
    if (ret == 0)
        ret = all_devices(db, &c, false, false, &rows, &nrows, &info);
    if (ret == 0)
        ret = load_names(db, "SELECT id, name FROM org_unit", &units, &nunits);
    if (ret == 0)
        ret = load_names(db, "SELECT id, name FROM location", &sites, &nsites);
    if (ret == 0) {
        group_counts(info, nrows, false, units, nunits, &out->by_unit, &out->nunits,
                     &out->counts);
        group_counts(info, nrows, true, sites, nsites, &out->by_site, &out->nsites, NULL);
        ret = count_in_maintenance(db, &c, now, info, nrows, &out->counts.maintenance);
    }
    if (ret == 0)
        ret = outage_query(db, &open, now, " ORDER BY e.started_at, e.id", INV_OVERVIEW_OUTAGES,
                           0, &c, &out->outages, &out->noutages, NULL);
    /* then the office figure of the worst ones, picked (row_cmp order) without sorting all */
    if (ret == 0) {
        size_t pick[INV_OVERVIEW_WORST], npick = 0;

        for (size_t i = 0; i < nrows; i++) {
            size_t k;

            if (rows[i].a.pct < 0)
                continue; /* nothing monitored: never among the worst */
            if (npick == INV_OVERVIEW_WORST && row_cmp(&rows[i], &rows[pick[npick - 1]]) >= 0)
                continue;
            if (npick < INV_OVERVIEW_WORST)
                npick++;
            for (k = npick - 1; k > 0 && row_cmp(&rows[i], &rows[pick[k - 1]]) < 0; k--)
                pick[k] = pick[k - 1];
            pick[k] = i;
        }
        out->worst = ww_calloc(INV_OVERVIEW_WORST, sizeof(*out->worst));
        for (size_t p = 0; p < npick; p++) {
            struct inv_overview_worst *w = &out->worst[out->nworst];
            size_t i = pick[p];
            struct inv_avail all, off;

            ret = one_device(db, &c, rows[i].device_id, &all, &off);
            if (ret < 0)
                break;
            w->device_id = rows[i].device_id;
            w->device_name = rows[i].device_name;
            rows[i].device_name = NULL;
            w->pct = rows[i].a.pct;
            w->office_pct = office ? off.pct : -1;
            out->nworst++;
        }
    }
    inv_avail_row_free(rows, nrows);
    free(info);
    names_free(units, nunits);
    names_free(sites, nsites);
    ctx_release(&c);
    if (ret < 0)
        inv_overview_release(out);
    return ret;
}

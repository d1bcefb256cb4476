/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * api_plan.c - the replacement plan (issue 16 items 6, 7, 8, 10): the plan by unit and year
 * with what changed since the last saved version, the priority list with each term in words,
 * a device's score, prices, budgets, a manager's pins and deferrals, the plan's settings
 * (weights and thresholds) and saved versions; each page also as CSV. The rules are
 * inventory's (score.c, plan.c); links' office-hours p95 comes from the busiest links
 * (api_graph.c, dash_busiest_list()). Every write is an audited change (dash_change).
 *
 * Locks: the busiest links are asked first with no lock held (they take their own); the
 * records are read under db_lock in one go; the plan is built and worded after it.
 *
 * DESIGN: a province's plan reads 100,000 devices and 90 days of their health: seconds of
 * work, while a unit's page must answer in milliseconds. So the last computed plan (and its
 * records) is kept, shared by reference, for PLAN_KEEP_S seconds and only while inventory's
 * change mark (every audited change: a price, a budget, a pin, a device) stays the same: an
 * edit shows at once; the health roll-up, which moves by the day, at most that late. The
 * health window itself (most of the load) is kept an hour within the same day, so a plan
 * made again after an edit reads only the records. One
 * computation at a time (compute_lock, taken before the busiest links' locks and db_lock);
 * lock guards the kept pointer and the reference counts and is a leaf.
 */
#include "dashboard/dashboard_int.h"
#include "inventory/inventory.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/banned.h"

#define PLAN_CSV_MAX (64u << 20)
#define PLAN_CHANGES_MAX 500
#define BUSIEST_30D 2
#define PLAN_KEEP_S 300
#define PLAN_HEALTH_KEEP_S 3600

/* ---- words ------------------------------------------------------------------------------ */

/* @v with the language's thousands separator */
static void fmt_int(char *out, size_t size, long long v, enum ww_lang lang)
{
    char raw[32];
    size_t n, o = 0;

    snprintf(raw, sizeof(raw), "%lld", v < 0 ? -v : v);
    n = strlen(raw);
    if (v < 0 && o + 1 < size)
        out[o++] = '-';
    for (size_t i = 0; i < n && o + 2 < size; i++) {
        out[o++] = raw[i];
        if ((n - i - 1) % 3 == 0 && i + 1 < n)
            out[o++] = lang == WW_LANG_EN ? ',' : '.';
    }
    out[o] = '\0';
}

/* @tenths / 10 with one decimal, the language's decimal mark ("7,5" / "7.5") */
static void fmt_tenths(char *out, size_t size, long long tenths, enum ww_lang lang)
{
    if (tenths % 10 == 0)
        snprintf(out, size, "%lld", tenths / 10);
    else
        snprintf(out, size, "%lld%c%lld", tenths / 10, lang == WW_LANG_EN ? '.' : ',',
                 tenths % 10);
}

/* a term in the reader's words: "score.term.<code>" with its figures, then ": +points" */
static char *term_text(const struct ww_i18n *words, enum ww_lang lang,
                       const struct inv_score_term *t)
{
    char a[40] = "", b[40] = "", key[48], *s, *text;
    struct ww_param p[2] = {{"a", a}, {"b", b}};

    snprintf(key, sizeof(key), "score.term.%s", t->code);
    if (strcmp(t->code, "age") == 0) {
        fmt_tenths(a, sizeof(a), (t->p0 * 10 + 6) / 12, lang);
        snprintf(b, sizeof(b), "%lld", t->p1);
    } else if (strcmp(t->code, "downtime") == 0) {
        fmt_tenths(a, sizeof(a), t->p1 > 0 ? (t->p0 * 1000 + t->p1 / 2) / t->p1 : 0, lang);
    } else if (strcmp(t->code, "repair") == 0) {
        fmt_int(a, sizeof(a), t->p0, lang);
        fmt_int(b, sizeof(b), t->p1, lang);
    } else if (strcmp(t->code, "critical") == 0) {
        snprintf(key, sizeof(key), "score.term.critical%lld", t->p0);
    } else {
        snprintf(a, sizeof(a), "%lld", t->p0);
        snprintf(b, sizeof(b), "%lld", t->p1);
    }
    s = ww_i18n_printf(words, lang, key, p, 2);
    text = ww_asprintf("%s: +%lld", s, t->points);
    free(s);
    return text;
}

static json_t *terms_json(struct dash_req *req, const struct inv_score *s)
{
    json_t *arr = json_array();
    enum ww_lang lang = dash_req_lang(req);

    for (size_t i = 0; i < s->n; i++) {
        char *text = term_text(req->srv->words, lang, &s->t[i]);
        json_array_append_new(arr, json_pack("{s:s, s:I, s:I, s:I, s:o}", "code", s->t[i].code,
                                             "p0", (json_int_t)s->t[i].p0, "p1",
                                             (json_int_t)s->t[i].p1, "points",
                                             (json_int_t)s->t[i].points, "text",
                                             dash_json_text(text)));
        free(text);
    }
    return arr;
}

/* every term's words joined with "; " (heap) */
static char *terms_line(struct dash_req *req, const struct inv_score *s)
{
    struct ww_buf b;

    ww_buf_init(&b, 64 * 1024);
    for (size_t i = 0; i < s->n; i++) {
        char *text = term_text(req->srv->words, dash_req_lang(req), &s->t[i]);
        ww_buf_addf(&b, "%s%s", i ? "; " : "", text);
        free(text);
    }
    return b.data ? ww_buf_detach(&b) : ww_strdup("");
}

/* ---- the plan, computed ---------------------------------------------------------------- */

struct plan_run {
    struct dash_kept head; /* first: kept by the cache's dash_keep */
    long long horizon;    /* as asked (0: the setting's) */
    char today[16];
    struct inv_plan_data d;
    json_t *links_json; /* owns the links' names */
    struct inv_plan_link *links;
    size_t nlinks;
    struct inv_plan_input in;
    struct inv_plan plan;
    struct inv_plan_version last; /* id 0: none */
    bool have_last;
    json_t *since; /* what changed since @last (since_json()), worked out once; owned */
};

static void plan_run_release(struct plan_run *r)
{
    inv_plan_release(&r->plan);
    inv_plan_data_release(&r->d);
    json_decref(r->links_json);
    free(r->links);
    inv_plan_version_release(&r->last);
    json_decref(r->since);
}

static json_t *since_json(const struct plan_run *r);

static int cmp_dev(const void *a, const void *b)
{
    const struct inv_plan_device *x = a, *y = b;
    return (x->device_id > y->device_id) - (x->device_id < y->device_id);
}

static const struct inv_plan_device *device_of(const struct inv_plan_data *d, long long id)
{
    struct inv_plan_device key = {.device_id = id};
    return d->ndevices ? bsearch(&key, d->devices, d->ndevices, sizeof(key), cmp_dev) : NULL;
}

static int cmp_unit(const void *a, const void *b)
{
    const struct inv_plan_unit *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

/* the loader reads the units by id */
static const char *unit_name(const struct inv_plan_data *d, long long id)
{
    struct inv_plan_unit key = {.id = id};
    const struct inv_plan_unit *u =
        d->nunits ? bsearch(&key, d->units, d->nunits, sizeof(key), cmp_unit) : NULL;

    return u ? u->name : NULL;
}

struct dash_plan_cache {
    struct dash_keep keep; /* the kept run; its compute_lock also guards health below */
    /* the health window (inv_plan_health_read()): most of a province's load, and it moves
     * by the day, so it is kept PLAN_HEALTH_KEEP_S for the same day across recomputations */
    struct inv_health *health;
    size_t nhealth;
    char health_today[16];
    time_t health_at;
};

/* the plan of @horizon years (0: the setting's) from now; false with @out filled. Called
 * with the cache's compute_lock held (it reads and renews the kept health window). */
static bool plan_compute(struct dash_req *req, struct dash_reply *out, long long horizon,
                         bool with_last, struct plan_run *r)
{
    struct dash_plan_cache *c = req->srv->plan_cache;
    time_t now = time(NULL);
    size_t i;
    json_t *v;
    int ret;

    memset(r, 0, sizeof(*r));
    if (ww_office_today(r->today) < 0) {
        dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
        return false;
    }
    /* the links first: dash_busiest_list() takes its own locks */
    r->links_json = dash_busiest_list(req, BUSIEST_30D, true, LLONG_MAX);
    dash_lock(req);
    ret = 0;
    if (strcmp(c->health_today, r->today) != 0 || now < c->health_at ||
        now - c->health_at >= PLAN_HEALTH_KEEP_S) {
        free(c->health);
        c->health = NULL;
        c->nhealth = 0;
        c->health_today[0] = '\0';
        ret = inv_plan_health_read(req->srv->db, r->today, &c->health, &c->nhealth);
        if (ret == 0) {
            ww_strlcpy(c->health_today, r->today, sizeof(c->health_today));
            c->health_at = now;
        }
    }
    if (ret == 0)
        ret = inv_plan_load_with(req->srv->db, req->srv->rules, r->today, c->health, c->nhealth,
                                 &r->d);
    if (ret == 0 && with_last) {
        ret = inv_plan_version_latest(req->srv->db, &r->last);
        r->have_last = ret == 0;
        if (ret == -ENOENT)
            ret = 0;
    }
    dash_unlock(req);
    if (ret < 0) {
        dash_reply_db_failed(out);
        return false;
    }
    r->links = ww_calloc(json_array_size(r->links_json) + 1, sizeof(*r->links));
    json_array_foreach(r->links_json, i, v) {
        struct inv_plan_link *l = &r->links[r->nlinks];
        const struct inv_plan_device *dev;
        json_t *p95 = json_object_get(v, "p95_pct");
        l->device_id = json_integer_value(json_object_get(v, "device_id"));
        l->interface_id = json_integer_value(json_object_get(v, "interface_id"));
        l->device_name = json_string_value(json_object_get(v, "device_name"));
        l->name = json_string_value(json_object_get(v, "interface_name"));
        l->p95_pct = json_is_number(p95) ? json_number_value(p95) : NAN;
        dev = device_of(&r->d, l->device_id);
        l->unit_id = dev ? dev->unit_id : 0;
        r->nlinks++;
    }
    inv_plan_input_of(&r->d, r->today, (int)horizon, &r->in);
    r->in.links = r->links;
    r->in.nlinks = r->nlinks;
    if (inv_plan_build(&r->in, &r->plan) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_param", "horizon");
        return false;
    }
    return true;
}

struct dash_plan_cache *dash_plan_cache_new(void)
{
    struct dash_plan_cache *c = ww_calloc(1, sizeof(*c));

    dash_keep_init(&c->keep);
    return c;
}

static void run_release(struct dash_kept *v)
{
    plan_run_release((struct plan_run *)v);
    free(v);
}

static void run_put(struct dash_plan_cache *c, struct plan_run *r)
{
    dash_keep_put(&c->keep, r ? &r->head : NULL);
}

void dash_plan_cache_free(struct dash_plan_cache *c)
{
    if (!c)
        return;
    dash_keep_destroy(&c->keep);
    free(c->health);
    free(c);
}

struct run_key {
    long long horizon;
    const char *today;
};

static bool run_same(const struct dash_kept *v, const void *ctx)
{
    const struct plan_run *r = (const struct plan_run *)v;
    const struct run_key *key = ctx;

    return r->horizon == key->horizon && strcmp(r->today, key->today) == 0;
}

/* the kept run when it is for @horizon, @today and @mark and young enough; a reference */
static struct plan_run *run_kept(struct dash_plan_cache *c, long long horizon, const char *today,
                                 long long mark)
{
    struct run_key key = {horizon, today};
    return (struct plan_run *)dash_keep_get(&c->keep, mark, PLAN_KEEP_S, run_same, &key);
}

/* the plan of @horizon (0: the setting's), kept or computed now; a reference to give back
 * with run_put(), or NULL with @out filled */
static struct plan_run *plan_get(struct dash_req *req, struct dash_reply *out, long long horizon)
{
    struct dash_plan_cache *c = req->srv->plan_cache;
    struct inv_change_mark mark = {0};
    struct plan_run *r;
    char today[16];

    if (ww_office_today(today) < 0) {
        dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
        return NULL;
    }
    if (dash_change_mark(req, &mark) < 0) {
        dash_reply_db_failed(out);
        return NULL;
    }
    if ((r = run_kept(c, horizon, today, mark.changes)))
        return r;
    pthread_mutex_lock(&c->keep.compute_lock);
    /* another request may have computed it while this one waited */
    if ((r = run_kept(c, horizon, today, mark.changes))) {
        pthread_mutex_unlock(&c->keep.compute_lock);
        return r;
    }
    r = ww_calloc(1, sizeof(*r));
    if (!plan_compute(req, out, horizon, true, r)) {
        pthread_mutex_unlock(&c->keep.compute_lock);
        plan_run_release(r);
        free(r);
        return NULL;
    }
    /* a diff against a province's saved version is the plan's size: once, not per request */
    r->since = since_json(r);
    r->horizon = horizon;
    r->head.release = run_release;
    /* the mark as read before: a change meanwhile makes the next one anew */
    dash_keep_set(&c->keep, &r->head, mark.changes);
    pthread_mutex_unlock(&c->keep.compute_lock);
    return r;
}

int dash_plan_replacements(struct dash_req *req, struct dash_reply *out,
                           struct dash_plan_year **out_items, size_t *out_n)
{
    struct plan_run *r;
    size_t n = 0;

    *out_items = NULL;
    *out_n = 0;
    if (!req->srv->rules)
        return 0; /* no rules, no plan: nothing planned (the plan page says why) */
    if (!(r = plan_get(req, out, 0)))
        return -EIO;
    for (size_t i = 0; i < r->plan.n; i++) {
        const struct inv_plan_item *it = &r->plan.items[i];
        if (it->interface_id || !it->year || strcmp(it->action, "replace") != 0)
            continue;
        *out_items = ww_reallocarray(*out_items, n + 1, sizeof(**out_items));
        (*out_items)[n++] = (struct dash_plan_year){.device_id = it->device_id, .year = it->year};
    }
    run_put(req->srv->plan_cache, r);
    *out_n = n;
    return 0;
}

/* ?horizon and ?unit (0 = every unit); false with a 400 in @out */
static bool plan_params(struct dash_req *req, struct dash_reply *out, long long *out_horizon,
                        long long *out_unit)
{
    const char *unit = dash_query(req, "unit");

    if (dash_param_count(dash_query(req, "horizon"), 0, 1, 20, out_horizon) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_param", "horizon");
        return false;
    }
    *out_unit = 0;
    if (unit && dash_param_id(unit, out_unit) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_param", "unit");
        return false;
    }
    return true;
}

static json_t *item_json(struct dash_req *req, const struct plan_run *r,
                         const struct inv_plan_item *it)
{
    const struct inv_plan_device *dev =
        it->device != SIZE_MAX ? &r->in.devices[it->device] : NULL;
    const struct inv_plan_link *l = it->link != SIZE_MAX ? &r->in.links[it->link] : NULL;
    json_t *o = json_object();

    json_object_set_new(o, "device_id", json_integer(it->device_id));
    json_object_set_new(o, "interface_id", it->interface_id ? json_integer(it->interface_id)
                                                            : json_null());
    json_object_set_new(o, "name", dash_json_text(dev ? dev->name : l ? l->device_name : NULL));
    json_object_set_new(o, "interface_name", dash_json_text(l ? l->name : NULL));
    json_object_set_new(o, "kind", dash_json_text(dev ? dev->kind : NULL));
    json_object_set_new(o, "unit_id", it->unit_id ? json_integer(it->unit_id) : json_null());
    json_object_set_new(o, "unit_name", dash_json_text(unit_name(&r->d, it->unit_id)));
    json_object_set_new(o, "action", json_string(it->action));
    json_object_set_new(o, "state", json_string(it->state));
    json_object_set_new(o, "why", json_string(it->why));
    json_object_set_new(o, "year", it->year ? json_integer(it->year) : json_null());
    json_object_set_new(o, "wanted_year", json_integer(it->wanted_year));
    json_object_set_new(o, "rolled", json_integer(it->rolled));
    json_object_set_new(o, "price_vnd", json_integer(it->price_vnd));
    json_object_set_new(o, "score", json_integer(it->score));
    json_object_set_new(o, "pinned", json_boolean(it->pinned));
    if (l)
        json_object_set_new(o, "p95_pct", dash_json_real(l->p95_pct));
    json_object_set_new(o, "terms", dev ? terms_json(req, &dev->score) : json_array());
    return o;
}

static bool in_unit(long long want, long long unit)
{
    return !want || want == unit;
}

/* what changed since the last saved version (when there is one) */
static json_t *since_json(const struct plan_run *r)
{
    struct inv_plan_change *c = NULL;
    size_t n = 0;
    json_t *arr;

    if (!r->have_last || inv_plan_diff(r->last.plan_json, &r->plan, &c, &n) < 0)
        return json_null();
    arr = json_array();
    for (size_t i = 0; i < n && i < PLAN_CHANGES_MAX; i++) {
        const struct inv_plan_device *dev = device_of(&r->d, c[i].device_id);
        json_array_append_new(
            arr, json_pack("{s:s, s:I, s:o, s:o, s:o, s:s, s:o, s:o, s:I, s:I}", "kind",
                           c[i].kind, "device_id", (json_int_t)c[i].device_id, "unit_id",
                           dev && dev->unit_id ? json_integer(dev->unit_id) : json_null(),
                           "interface_id",
                           c[i].interface_id ? json_integer(c[i].interface_id) : json_null(),
                           "name", dash_json_text(dev ? dev->name : NULL), "action",
                           c[i].action, "from_year",
                           c[i].from_year ? json_integer(c[i].from_year) : json_null(),
                           "to_year", c[i].to_year ? json_integer(c[i].to_year) : json_null(),
                           "from_vnd", (json_int_t)c[i].from_vnd, "to_vnd",
                           (json_int_t)c[i].to_vnd));
    }
    free(c);
    return json_pack("{s:{s:I, s:i, s:o, s:o, s:o}, s:o, s:I}", "version", "id",
                     (json_int_t)r->last.id, "year", r->last.year, "created_at",
                     dash_json_time(r->last.created_at), "actor", dash_json_text(r->last.actor),
                     "note", dash_json_text(r->last.note), "changes", arr, "total",
                     (json_int_t)n);
}

/* the kept changes, only @unit's when one is asked (a copy for the reply) */
static json_t *since_for(const struct plan_run *r, long long unit)
{
    json_t *s, *keep, *v;
    size_t i;

    if (!r->since || json_is_null(r->since))
        return json_null();
    s = json_deep_copy(r->since);
    if (!unit)
        return s;
    keep = json_array();
    json_array_foreach(json_object_get(s, "changes"), i, v) {
        if (json_integer_value(json_object_get(v, "unit_id")) == unit)
            json_array_append(keep, v);
    }
    json_object_set_new(s, "total", json_integer((json_int_t)json_array_size(keep)));
    json_object_set_new(s, "changes", keep);
    return s;
}

static void api_plan(struct dash_req *req, struct dash_reply *out)
{
    static const char *const params[] = {"horizon", "unit", "limit", "offset", NULL};
    struct plan_run *r;
    long long horizon, unit, limit, offset, total = 0;
    json_t *cells, *items, *units;

    if (!dash_query_whitelisted(req, params, out) || !plan_params(req, out, &horizon, &unit) ||
        !dash_page_params(req, out, &limit, &offset))
        return;
    if (!(r = plan_get(req, out, horizon)))
        return;
    cells = json_array();
    for (size_t i = 0; i < r->plan.ncells; i++) {
        const struct inv_plan_cell *c = &r->plan.cells[i];
        /* "no unit" shows only when something is in it */
        if (!in_unit(unit, c->unit_id) || (!c->unit_id && !c->items))
            continue;
        json_array_append_new(cells, json_pack("{s:o, s:i, s:I, s:I, s:I, s:I}", "unit_id",
                                               c->unit_id ? json_integer(c->unit_id) : json_null(),
                                               "year", c->year, "budget_vnd",
                                               (json_int_t)c->budget_vnd, "used_vnd",
                                               (json_int_t)c->used_vnd, "left_vnd",
                                               (json_int_t)(c->budget_vnd - c->used_vnd),
                                               "items", (json_int_t)c->items));
    }
    items = json_array();
    for (size_t i = 0; i < r->plan.n; i++) {
        if (!in_unit(unit, r->plan.items[i].unit_id))
            continue;
        if (total >= offset && total < offset + limit)
            json_array_append_new(items, item_json(req, r, &r->plan.items[i]));
        total++;
    }
    units = json_array();
    for (size_t i = 0; i < r->d.nunits; i++)
        json_array_append_new(units, json_pack("{s:I, s:o, s:o, s:o}", "id",
                                               (json_int_t)r->d.units[i].id, "name",
                                               dash_json_text(r->d.units[i].name), "merged_into",
                                               r->d.units[i].merged_into
                                                   ? json_integer(r->d.units[i].merged_into)
                                                   : json_null(),
                                               "merged_year",
                                               r->d.units[i].merged_year
                                                   ? json_integer(r->d.units[i].merged_year)
                                                   : json_null()));
    dash_reply_json(out, MHD_HTTP_OK,
                    json_pack("{s:i, s:i, s:s, s:o, s:o, s:o, s:I, s:o}", "first_year",
                              r->plan.first_year, "horizon", r->plan.horizon, "today", r->today,
                              "units", units, "cells", cells, "items", items, "total",
                              (json_int_t)total, "since", since_for(r, unit)));
    run_put(req->srv->plan_cache, r);
}

static void cell_num(char *out, size_t size, long long v)
{
    snprintf(out, size, "%lld", v);
}

/* the words of "plan.<group>.<code>" (the code itself when missing) */
/* the words of code @code under the i18n prefix @prefix ("plan.action.", "kind."), in the
 * request's language; the code itself when the files have none */
static const char *words_of(struct dash_req *req, const char *prefix, const char *code)
{
    char key[64];
    const char *w;

    if (!code)
        return NULL;
    snprintf(key, sizeof(key), "%s%s", prefix, code);
    w = ww_i18n_text(req->srv->words, dash_req_lang(req), key);
    return w ? w : code;
}

static const char *code_words(struct dash_req *req, const char *group, const char *code)
{
    char prefix[32];

    snprintf(prefix, sizeof(prefix), "plan.%s.", group);
    return words_of(req, prefix, code);
}

static void api_plan_csv(struct dash_req *req, struct dash_reply *out)
{
    static const char *const params[] = {"horizon", "unit", NULL};
    static const char *const head[] = {"year", "unit", "device_id", "name", "kind",
                                       "action", "state", "price_vnd", "score", "reasons"};
    struct plan_run *r;
    long long horizon, unit;
    struct ww_buf b;

    if (!dash_query_whitelisted(req, params, out) || !plan_params(req, out, &horizon, &unit))
        return;
    if (!(r = plan_get(req, out, horizon)))
        return;
    ww_buf_init(&b, PLAN_CSV_MAX);
    dash_csv_head(req, &b, head, WW_ARRAY_SIZE(head));
    for (size_t i = 0; i < r->plan.n; i++) {
        const struct inv_plan_item *it = &r->plan.items[i];
        const struct inv_plan_device *dev =
            it->device != SIZE_MAX ? &r->in.devices[it->device] : NULL;
        const struct inv_plan_link *l = it->link != SIZE_MAX ? &r->in.links[it->link] : NULL;
        char year[16] = "", id[24], price[24], score[24], *reasons;
        if (!in_unit(unit, it->unit_id))
            continue;
        if (it->year)
            snprintf(year, sizeof(year), "%d", it->year);
        cell_num(id, sizeof(id), it->device_id);
        cell_num(price, sizeof(price), it->price_vnd);
        cell_num(score, sizeof(score), it->score);
        reasons = dev ? terms_line(req, &dev->score) : ww_strdup(l && l->name ? l->name : "");
        const char *row[] = {year,
                             unit_name(&r->d, it->unit_id),
                             id,
                             dev ? dev->name : l ? l->device_name : NULL,
                             dev ? words_of(req, "kind.", dev->kind) : NULL,
                             code_words(req, "action", it->action),
                             code_words(req, "state", it->state),
                             price,
                             score,
                             reasons};
        dash_csv_row(&b, row, WW_ARRAY_SIZE(row));
        free(reasons);
    }
    run_put(req->srv->plan_cache, r);
    dash_reply_csv(out, &b, "plan.csv");
    ww_buf_release(&b);
}

/* ---- the priority list ----------------------------------------------------------------- */

static int cmp_priority(const void *a, const void *b)
{
    const struct inv_plan_device *x = *(const struct inv_plan_device *const *)a;
    const struct inv_plan_device *y = *(const struct inv_plan_device *const *)b;
    if (x->score.total != y->score.total)
        return x->score.total > y->score.total ? -1 : 1;
    return (x->device_id > y->device_id) - (x->device_id < y->device_id);
}

static bool listed_status(const char *status)
{
    return !status || (strcmp(status, "in_stock") != 0 && strcmp(status, "disposed") != 0);
}

/* the devices of @unit (0 all) that the plan may take, highest score first; a heap array of
 * pointers into @d */
static const struct inv_plan_device **priority_of(const struct inv_plan_data *d, long long unit,
                                                  size_t *out_n)
{
    const struct inv_plan_device **v = ww_calloc(d->ndevices + 1, sizeof(*v));
    size_t n = 0;

    for (size_t i = 0; i < d->ndevices; i++)
        if (in_unit(unit, d->devices[i].unit_id) && listed_status(d->devices[i].status))
            v[n++] = &d->devices[i];
    if (n > 1)
        qsort(v, n, sizeof(*v), cmp_priority);
    *out_n = n;
    return v;
}

static bool priority_unit(struct dash_req *req, struct dash_reply *out, long long *out_unit)
{
    *out_unit = 0;
    if (dash_query(req, "unit") && dash_param_id(dash_query(req, "unit"), out_unit) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_param", "unit");
        return false;
    }
    return true;
}

static void api_priority(struct dash_req *req, struct dash_reply *out)
{
    static const char *const params[] = {"unit", "limit", "offset", NULL};
    const struct inv_plan_device **v = NULL;
    struct plan_run *r;
    long long unit, limit, offset;
    size_t n = 0;
    json_t *items;

    if (!dash_query_whitelisted(req, params, out) || !dash_page_params(req, out, &limit, &offset))
        return;
    if (!priority_unit(req, out, &unit) || !(r = plan_get(req, out, 0)))
        return;
    v = priority_of(&r->d, unit, &n);
    items = json_array();
    for (size_t i = (size_t)offset; i < n && i < (size_t)(offset + limit); i++)
        json_array_append_new(
            items, json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:I, s:o, s:o}", "device_id",
                             (json_int_t)v[i]->device_id, "name", dash_json_text(v[i]->name),
                             "kind", dash_json_text(v[i]->kind), "status",
                             dash_json_text(v[i]->status), "unit_id",
                             v[i]->unit_id ? json_integer(v[i]->unit_id) : json_null(),
                             "unit_name", dash_json_text(unit_name(&r->d, v[i]->unit_id)),
                             "score", (json_int_t)v[i]->score.total, "remaining_months",
                             v[i]->remaining_months >= 0 ? json_integer(v[i]->remaining_months)
                                                         : json_null(),
                             "terms", terms_json(req, &v[i]->score)));
    dash_reply_json(out, MHD_HTTP_OK,
                    json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)n));
    free(v);
    run_put(req->srv->plan_cache, r);
}

static void api_priority_csv(struct dash_req *req, struct dash_reply *out)
{
    static const char *const params[] = {"unit", NULL};
    static const char *const head[] = {"rank", "device_id", "name", "kind", "unit", "score",
                                       "reasons"};
    const struct inv_plan_device **v = NULL;
    struct plan_run *r;
    struct ww_buf b;
    long long unit;
    size_t n = 0;

    if (!dash_query_whitelisted(req, params, out))
        return;
    if (!priority_unit(req, out, &unit) || !(r = plan_get(req, out, 0)))
        return;
    v = priority_of(&r->d, unit, &n);
    ww_buf_init(&b, PLAN_CSV_MAX);
    dash_csv_head(req, &b, head, WW_ARRAY_SIZE(head));
    for (size_t i = 0; i < n; i++) {
        char rank[24], id[24], score[24];
        char *reasons = terms_line(req, &v[i]->score);
        cell_num(rank, sizeof(rank), (long long)i + 1);
        cell_num(id, sizeof(id), v[i]->device_id);
        cell_num(score, sizeof(score), v[i]->score.total);
        const char *row[] = {rank, id, v[i]->name, words_of(req, "kind.", v[i]->kind),
                             unit_name(&r->d, v[i]->unit_id),
                             score, reasons};
        dash_csv_row(&b, row, WW_ARRAY_SIZE(row));
        free(reasons);
    }
    free(v);
    run_put(req->srv->plan_cache, r);
    dash_reply_csv(out, &b, "priority.csv");
    ww_buf_release(&b);
}

static void api_device_score(struct dash_req *req, struct dash_reply *out)
{
    struct plan_run r;
    long long id;
    int ret;

    memset(&r, 0, sizeof(r));
    if (dash_param_id(req->params[0], &id) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "id");
        return;
    }
    if (ww_office_today(r.today) < 0) {
        dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
        return;
    }
    dash_lock(req);
    ret = inv_plan_load_device(req->srv->db, req->srv->rules, r.today, id, &r.d);
    dash_unlock(req);
    if (ret < 0) {
        if (ret == -ENOENT)
            dash_reply_error(out, MHD_HTTP_NOT_FOUND, "not_found", NULL);
        else
            dash_reply_db_failed(out);
        return;
    }
    dash_reply_json(out, MHD_HTTP_OK,
                    json_pack("{s:I, s:I, s:o, s:o}", "device_id", (json_int_t)id, "score",
                              (json_int_t)r.d.devices[0].score.total, "remaining_months",
                              r.d.devices[0].remaining_months >= 0
                                  ? json_integer(r.d.devices[0].remaining_months)
                                  : json_null(),
                              "terms", terms_json(req, &r.d.devices[0].score)));
    plan_run_release(&r);
}

/* ---- prices, budgets, settings, decisions, versions ----------------------------------- */

static bool records_load(struct dash_req *req, struct dash_reply *out, struct inv_plan_data *d)
{
    int ret;

    dash_lock(req);
    ret = inv_plan_load_records(req->srv->db, d);
    dash_unlock(req);
    if (ret < 0)
        dash_reply_db_failed(out);
    return ret == 0;
}

static void api_prices(struct dash_req *req, struct dash_reply *out)
{
    struct inv_plan_data d;
    json_t *items = json_array(), *known = json_array();

    if (!records_load(req, out, &d)) {
        json_decref(items);
        json_decref(known);
        return;
    }
    for (size_t i = 0; i < d.nprices; i++)
        json_array_append_new(items, json_pack("{s:s, s:I}", "item", d.prices[i].item,
                                               "price_vnd", (json_int_t)d.prices[i].price_vnd));
    for (size_t i = 0; inv_device_kinds[i]; i++)
        json_array_append_new(known, json_string(inv_device_kinds[i]));
    for (size_t i = 0; inv_plan_upgrade_items[i]; i++)
        json_array_append_new(known, json_string(inv_plan_upgrade_items[i]));
    inv_plan_data_release(&d);
    dash_reply_json(out, MHD_HTTP_OK, json_pack("{s:o, s:o}", "items", items, "known", known));
}

/* PUT {"items":{"pc":15000000,"ram_upgrade":null}}: null removes a price */
static void api_prices_put(struct dash_req *req, struct dash_reply *out)
{
    struct inv_plan_price *p = NULL;
    struct inv_plan_prices_edit e = {0};
    struct inv_change ch = {.action = "plan.prices", .object_type = "plan_prices", .key = "all",
                            .may_be_new = true, .apply = inv_apply_plan_prices, .ctx = &e};
    struct inv_refusal why;
    json_t *body, *items, *v;
    const char *key;
    size_t n = 0;

    if (!(body = dash_body_json(req, out)))
        return;
    items = json_object_get(body, "items");
    if (!json_is_object(items) || json_object_size(items) > 64) {
        dash_refusal(&why, "item", "required", NULL);
        dash_reply_refused(out, -EINVAL, &why);
        json_decref(body);
        return;
    }
    p = ww_calloc(json_object_size(items) + 1, sizeof(*p));
    json_object_foreach(items, key, v) {
        if (!json_is_integer(v) && !json_is_null(v)) {
            dash_refusal(&why, "price_vnd", "not_integer", key);
            dash_reply_refused(out, -EINVAL, &why);
            goto out;
        }
        if (json_is_integer(v) && json_integer_value(v) < 0) {
            dash_refusal(&why, "price_vnd", "out_of_range", key);
            dash_reply_refused(out, -EINVAL, &why);
            goto out;
        }
        p[n].item = (char *)key;
        p[n++].price_vnd = json_is_null(v) ? -1 : json_integer_value(v);
    }
    e = (struct inv_plan_prices_edit){p, n};
    if (dash_change(req, out, &ch) == 0)
        dash_reply_json(out, MHD_HTTP_OK, json_loads(ch.after, 0, NULL));
out:
    free(ch.after);
    free(p);
    json_decref(body);
}

static void api_budgets(struct dash_req *req, struct dash_reply *out)
{
    struct inv_plan_data d;
    json_t *items = json_array();

    if (!records_load(req, out, &d)) {
        json_decref(items);
        return;
    }
    for (size_t i = 0; i < d.nbudgets; i++)
        json_array_append_new(items,
                              json_pack("{s:I, s:o, s:i, s:I}", "unit_id",
                                        (json_int_t)d.budgets[i].unit_id, "unit_name",
                                        dash_json_text(unit_name(&d, d.budgets[i].unit_id)),
                                        "year", d.budgets[i].year, "amount_vnd",
                                        (json_int_t)d.budgets[i].amount_vnd));
    inv_plan_data_release(&d);
    dash_reply_json(out, MHD_HTTP_OK, json_pack("{s:o}", "items", items));
}

/* PUT {"items":[{"unit_id":1,"year":2027,"amount_vnd":15000000}]}: null amount removes */
static void api_budgets_put(struct dash_req *req, struct dash_reply *out)
{
    struct inv_plan_budget *b = NULL;
    struct inv_plan_budgets_edit e = {0};
    struct inv_change ch = {.action = "plan.budgets", .object_type = "plan_budgets",
                            .key = "all", .may_be_new = true, .apply = inv_apply_plan_budgets,
                            .ctx = &e};
    struct inv_refusal why;
    json_t *body, *items, *v;
    size_t i, n = 0;

    if (!(body = dash_body_json(req, out)))
        return;
    items = json_object_get(body, "items");
    if (!json_is_array(items) || json_array_size(items) > 10000) {
        dash_refusal(&why, "record", "required", NULL);
        dash_reply_refused(out, -EINVAL, &why);
        json_decref(body);
        return;
    }
    b = ww_calloc(json_array_size(items) + 1, sizeof(*b));
    json_array_foreach(items, i, v) {
        json_t *u = json_object_get(v, "unit_id"), *y = json_object_get(v, "year");
        json_t *a = json_object_get(v, "amount_vnd");
        if (!json_is_integer(u) || !json_is_integer(y) ||
            (!json_is_integer(a) && !json_is_null(a)) ||
            (json_is_integer(a) && json_integer_value(a) < 0) ||
            json_integer_value(y) < 0 || json_integer_value(y) > INT_MAX) {
            dash_refusal(&why, !json_is_integer(u) ? "unit_id" : !json_is_integer(y) ? "year"
                                                                                     : "amount_vnd",
                         "not_integer", NULL);
            dash_reply_refused(out, -EINVAL, &why);
            goto out;
        }
        b[n++] = (struct inv_plan_budget){json_integer_value(u), (int)json_integer_value(y),
                                          json_is_null(a) ? -1 : json_integer_value(a)};
    }
    e = (struct inv_plan_budgets_edit){b, n};
    if (dash_change(req, out, &ch) == 0)
        dash_reply_json(out, MHD_HTTP_OK, json_loads(ch.after, 0, NULL));
out:
    free(ch.after);
    free(b);
    json_decref(body);
}

static void api_settings_get(struct dash_req *req, struct dash_reply *out)
{
    struct inv_plan_data d;
    json_t *items = json_array();

    if (!records_load(req, out, &d)) {
        json_decref(items);
        return;
    }
    for (size_t i = 0; i < INV_PK_N; i++)
        json_array_append_new(items, json_pack("{s:s, s:I, s:I, s:I, s:I}", "name",
                                               inv_plan_knobs[i].name, "value",
                                               (json_int_t)d.settings.v[i], "default",
                                               (json_int_t)inv_plan_knobs[i].def, "min",
                                               (json_int_t)inv_plan_knobs[i].min, "max",
                                               (json_int_t)inv_plan_knobs[i].max));
    inv_plan_data_release(&d);
    dash_reply_json(out, MHD_HTTP_OK, json_pack("{s:o}", "items", items));
}

/* PUT {"weight_age":30,"horizon":null}: null puts the default back */
static void api_settings_put(struct dash_req *req, struct dash_reply *out)
{
    struct inv_plan_settings_edit e = {0};
    struct inv_change ch = {.action = "plan.settings", .object_type = "plan_settings",
                            .key = "plan", .may_be_new = true,
                            .apply = inv_apply_plan_settings, .ctx = &e};
    char values[INV_PK_N][24];
    struct inv_refusal why;
    const char *key;
    json_t *body, *v;

    if (!(body = dash_body_json(req, out)))
        return;
    json_object_foreach(body, key, v) {
        if (e.n >= INV_PK_N) {
            dash_refusal(&why, "record", "too_many", NULL);
            dash_reply_refused(out, -EINVAL, &why);
            goto out;
        }
        if (!json_is_integer(v) && !json_is_null(v)) {
            dash_refusal(&why, "record", "not_integer", key);
            dash_reply_refused(out, -EINVAL, &why);
            goto out;
        }
        snprintf(values[e.n], sizeof(values[e.n]), "%lld", (long long)json_integer_value(v));
        e.names[e.n] = key;
        e.values[e.n] = json_is_null(v) ? NULL : values[e.n];
        e.n++;
    }
    if (dash_change(req, out, &ch) == 0)
        dash_reply_json(out, MHD_HTTP_OK, json_loads(ch.after, 0, NULL));
out:
    free(ch.after);
    json_decref(body);
}

/* POST {"action":"pin"|"defer","year":2027,"note":"..."} */
static void api_decision_set(struct dash_req *req, struct dash_reply *out)
{
    struct inv_plan_decision dec = {0};
    struct inv_change ch = {.action = "plan.decision", .object_type = "plan_decision",
                            .may_be_new = true, .apply = inv_apply_plan_decision, .ctx = &dec};
    struct inv_refusal why;
    json_t *body, *a, *y, *note;

    if (dash_param_id(req->params[0], &ch.id) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "id");
        return;
    }
    if (!(body = dash_body_json(req, out)))
        return;
    a = json_object_get(body, "action");
    y = json_object_get(body, "year");
    note = json_object_get(body, "note");
    if (!json_is_string(a)) {
        dash_refusal(&why, "action", "required", NULL);
        dash_reply_refused(out, -EINVAL, &why);
    } else if (y && !json_is_integer(y) && !json_is_null(y)) {
        dash_refusal(&why, "year", "not_integer", NULL);
        dash_reply_refused(out, -EINVAL, &why);
    } else if (note && !json_is_string(note) && !json_is_null(note)) {
        dash_refusal(&why, "note", "not_string", NULL);
        dash_reply_refused(out, -EINVAL, &why);
    } else {
        long long year = json_integer_value(y);
        dec.action = (char *)json_string_value(a);
        dec.year = year < 0 || year > 100000 ? -1 : (int)year;
        dec.note = (char *)json_string_value(note);
        if (dash_change(req, out, &ch) == 0)
            dash_reply_json(out, MHD_HTTP_OK, json_loads(ch.after, 0, NULL));
    }
    free(ch.after);
    json_decref(body);
}

static void api_decision_remove(struct dash_req *req, struct dash_reply *out)
{
    struct inv_change ch = {.action = "plan.decision.remove", .object_type = "plan_decision",
                            .apply = inv_apply_plan_decision_remove};

    if (dash_param_id(req->params[0], &ch.id) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "id");
        return;
    }
    if (dash_change(req, out, &ch) == 0)
        dash_reply_empty(out, MHD_HTTP_NO_CONTENT);
    free(ch.after);
}

static void api_versions(struct dash_req *req, struct dash_reply *out)
{
    struct inv_plan_version *v = NULL;
    size_t n = 0;
    json_t *items;
    int ret;

    dash_lock(req);
    ret = inv_plan_version_list(req->srv->db, &v, &n);
    dash_unlock(req);
    if (ret < 0) {
        dash_reply_db_failed(out);
        return;
    }
    items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, json_pack("{s:I, s:i, s:o, s:o, s:o}", "id",
                                               (json_int_t)v[i].id, "year", v[i].year,
                                               "created_at", dash_json_time(v[i].created_at),
                                               "actor", dash_json_text(v[i].actor), "note",
                                               dash_json_text(v[i].note)));
    inv_plan_version_list_free(v, n);
    dash_reply_json(out, MHD_HTTP_OK,
                    json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)n));
}

/* POST {"note":"...","horizon":5}: the plan as computed now, saved */
static void api_version_save(struct dash_req *req, struct dash_reply *out)
{
    struct inv_plan_version_new vn = {.now = time(NULL)};
    struct inv_change ch = {.action = "plan.version", .object_type = "plan_version",
                            .apply = inv_apply_plan_version, .ctx = &vn};
    struct inv_refusal why;
    struct plan_run *r = NULL;
    json_t *body, *note, *h;
    long long horizon = 0;

    if (!(body = dash_body_json(req, out)))
        return;
    note = json_object_get(body, "note");
    h = json_object_get(body, "horizon");
    if (note && !json_is_string(note) && !json_is_null(note)) {
        dash_refusal(&why, "note", "not_string", NULL);
        dash_reply_refused(out, -EINVAL, &why);
        goto out;
    }
    if (h && !json_is_null(h)) {
        if (!json_is_integer(h) || json_integer_value(h) < 1 || json_integer_value(h) > 20) {
            dash_refusal(&why, "horizon", "out_of_range", "1..20");
            dash_reply_refused(out, -EINVAL, &why);
            goto out;
        }
        horizon = json_integer_value(h);
    }
    /* the plan as the page shows it (kept, or computed now) */
    if (!(r = plan_get(req, out, horizon)))
        goto out;
    vn.plan = &r->plan;
    vn.note = json_string_value(note);
    if (dash_change(req, out, &ch) == 0)
        dash_reply_json(out, MHD_HTTP_CREATED, json_loads(ch.after, 0, NULL));
out:
    run_put(req->srv->plan_cache, r);
    free(ch.after);
    json_decref(body);
}

const struct dash_route dash_plan_routes[] = {
    {"/api/v1/plan", DASH_GET, api_plan, "plan.read"},
    {"/api/v1/plan.csv", DASH_GET, api_plan_csv, "plan.read"},
    {"/api/v1/plan/priority", DASH_GET, api_priority, "plan.read"},
    {"/api/v1/plan/priority.csv", DASH_GET, api_priority_csv, "plan.read"},
    {"/api/v1/devices/{id}/score", DASH_GET, api_device_score, "plan.read"},
    {"/api/v1/plan/prices", DASH_GET, api_prices, "plan.read"},
    {"/api/v1/plan/prices", DASH_PUT, api_prices_put, "plan.write"},
    {"/api/v1/plan/budgets", DASH_GET, api_budgets, "plan.read"},
    {"/api/v1/plan/budgets", DASH_PUT, api_budgets_put, "plan.write"},
    {"/api/v1/plan/settings", DASH_GET, api_settings_get, "plan.read"},
    {"/api/v1/plan/settings", DASH_PUT, api_settings_put, "plan.write"},
    {"/api/v1/plan/decisions/{id}", DASH_POST, api_decision_set, "plan.write"},
    {"/api/v1/plan/decisions/{id}", DASH_DELETE, api_decision_remove, "plan.write"},
    {"/api/v1/plan/versions", DASH_GET, api_versions, "plan.read"},
    {"/api/v1/plan/versions", DASH_POST, api_version_save, "plan.write"},
};
const size_t dash_plan_nroutes = WW_ARRAY_SIZE(dash_plan_routes);

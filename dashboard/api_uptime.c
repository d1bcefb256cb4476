/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * api_uptime.c - network uptime under /api/v1/: the overview, availability per device and
 * for all devices (+ CSV), the outage log (+ CSV), maintenance windows and holidays.
 * Figures come from inventory/availability.c (rules in inventory.h); office hours from the
 * server's [availability] settings. Reads need overview.read, changes uptime.edit (the
 * router checks both, with CSRF and Origin); every change and its audit entry are written
 * in one transaction.
 *
 * The overview is the page everyone leaves open, so its answer is cached: the JSON text is
 * kept with the key (inventory's change mark, the minute). A new event, any audited change
 * (from here, another page or the CLI) or the next minute makes the next request compute it
 * afresh; a status change without an event (a device first polled) shows within a minute.
 * Only one request computes it at a time; the others that missed wait for it and take its
 * answer.
 */
#include "dashboard/dashboard_int.h"
#include "inventory/inventory.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

#define CSV_MAX (32u << 20)
#define CSV_ROWS 100000
#define EPOCH_MAX 4102444800LL /* 2100-01-01 */

static const char *const period_names[] = {"day", "7d", "30d", "365d"};

/* ---- JSON pieces ------------------------------------------------------------------------ */

static json_t *json_pct(double pct)
{
    return pct < 0 ? json_null() : json_real(round(pct * 1000.0) / 1000.0);
}

static json_t *avail_json(const struct inv_avail *a)
{
    json_t *o = json_object();

    json_object_set_new(o, "pct", json_pct(a->pct));
    json_object_set_new(o, "up_s", json_integer(a->up_s));
    json_object_set_new(o, "down_s", json_integer(a->down_s));
    json_object_set_new(o, "unreachable_s", json_integer(a->unreachable_s));
    json_object_set_new(o, "unknown_s", json_integer(a->unknown_s));
    json_object_set_new(o, "maintenance_s", json_integer(a->maintenance_s));
    json_object_set_new(o, "monitored_s", json_integer(a->monitored_s));
    return o;
}

static json_t *outage_json(const struct inv_outage *o)
{
    json_t *j = json_object();

    json_object_set_new(j, "id", json_integer(o->id));
    json_object_set_new(j, "device_id", json_integer(o->device_id));
    json_object_set_new(j, "device_name", dash_json_text(o->device_name));
    json_object_set_new(j, "interface_id", dash_json_id(o->interface_id));
    json_object_set_new(j, "interface_name", dash_json_text(o->interface_name));
    json_object_set_new(j, "type", dash_json_text(o->type));
    json_object_set_new(j, "started_at", dash_json_time(o->started_at));
    json_object_set_new(j, "ended_at", dash_json_time(o->ended_at));
    json_object_set_new(j, "duration_s", json_integer(o->duration_s));
    json_object_set_new(j, "in_maintenance", json_boolean(o->in_maintenance));
    json_object_set_new(j, "acked_at", dash_json_time(o->acked_at));
    json_object_set_new(j, "acked_by", dash_json_text(o->acked_by));
    json_object_set_new(j, "notes_count", json_integer(o->nnotes));
    return j;
}

/* ---- one outage: acknowledgement and notes -------------------------------------------- */

static void bad_param(struct dash_reply *out, const char *name);

static json_t *outage_full_json(const struct inv_outage *o, const struct inv_outage_note *notes,
                                size_t nnotes)
{
    json_t *j = outage_json(o), *arr = json_array();

    for (size_t i = 0; i < nnotes; i++)
        json_array_append_new(arr, json_pack("{s:I, s:o, s:o, s:b, s:o}", "id",
                                             (json_int_t)notes[i].id, "author",
                                             dash_json_text(notes[i].author), "created_at",
                                             dash_json_time(notes[i].created_at), "ack",
                                             notes[i].ack, "text",
                                             dash_json_text(notes[i].text)));
    json_object_set_new(j, "notes", arr);
    return j;
}

/* the outage @id with its notes as the reply (200), or the error */
static void reply_outage(struct dash_req *req, struct dash_reply *out, long long id, int status)
{
    struct inv_outage o;
    struct inv_outage_note *notes = NULL;
    size_t n = 0;
    int ret;

    dash_lock(req);
    ret = inv_outage_get(req->srv->db, id, time(NULL), &o);
    if (ret == 0 && (ret = inv_outage_notes(req->srv->db, id, &notes, &n)) < 0)
        inv_outage_release(&o);
    dash_unlock(req);
    if (ret == -ENOENT) {
        dash_reply_error(out, MHD_HTTP_NOT_FOUND, "not_found", NULL);
        return;
    }
    if (ret < 0) {
        dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
        return;
    }
    dash_reply_json(out, status, outage_full_json(&o, notes, n));
    inv_outage_notes_free(notes, n);
    inv_outage_release(&o);
}

static void api_outage_get(struct dash_req *req, struct dash_reply *out)
{
    long long id;

    if (dash_param_id(req->params[0], &id) < 0) {
        bad_param(out, "id");
        return;
    }
    reply_outage(req, out, id, MHD_HTTP_OK);
}

struct outage_edit {
    const char *author, *note;
    bool ack;
};

static int apply_outage(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    const struct outage_edit *e = ctx;
    return e->ack ? inv_outage_ack(db, ch->id, e->author, time(NULL), e->note)
                  : inv_outage_note_add(db, ch->id, e->author, time(NULL), e->note);
}

/* POST .../ack {"note"?} and POST .../notes {"note"}: one audited change each */
static void outage_edit(struct dash_req *req, struct dash_reply *out, bool ack)
{
    struct outage_edit e = {.author = req->auth.login, .ack = ack};
    struct inv_change ch = {.action = ack ? "outage.ack" : "outage.note", .object_type = "outage",
                            .apply = apply_outage, .ctx = &e};
    json_t *body, *note, *v;
    const char *k, *extra = NULL;
    struct inv_refusal r;

    if (dash_param_id(req->params[0], &ch.id) < 0) {
        bad_param(out, "id");
        return;
    }
    if (!(body = dash_body_json(req, out)))
        return;
    note = json_object_get(body, "note");
    json_object_foreach(body, k, v) {
        if (strcmp(k, "note") != 0 && !extra)
            extra = k;
    }
    if (extra) {
        dash_refusal(&r, "record", "unknown_field", extra);
        dash_reply_refused(out, -EINVAL, &r);
    } else if (note && !json_is_string(note) && !(ack && json_is_null(note))) {
        dash_refusal(&r, "note", "not_string", NULL);
        dash_reply_refused(out, -EINVAL, &r);
    } else if (!ack && !note) {
        dash_refusal(&r, "note", "required", NULL);
        dash_reply_refused(out, -EINVAL, &r);
    } else {
        e.note = json_is_string(note) ? json_string_value(note) : NULL;
        if (dash_change(req, out, &ch) == 0)
            reply_outage(req, out, ch.id, ack ? MHD_HTTP_OK : MHD_HTTP_CREATED);
    }
    free(ch.after);
    json_decref(body);
}

static void api_outage_ack(struct dash_req *req, struct dash_reply *out)
{
    outage_edit(req, out, true);
}

static void api_outage_note(struct dash_req *req, struct dash_reply *out)
{
    outage_edit(req, out, false);
}

static json_t *list_json(json_t *items, long long total)
{
    return json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total);
}

/* a 400 for the query or path parameter @name */
static void bad_param(struct dash_reply *out, const char *name)
{
    dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", name);
}



/* ---- overview --------------------------------------------------------------------------- */

static json_t *counts_json(const struct inv_state_counts *c, json_t *o)
{
    json_object_set_new(o, "total", json_integer(c->total));
    json_object_set_new(o, "up", json_integer(c->up));
    json_object_set_new(o, "down", json_integer(c->down));
    json_object_set_new(o, "unreachable", json_integer(c->unreachable));
    json_object_set_new(o, "unknown", json_integer(c->unknown));
    return o;
}

static json_t *groups_json(const struct inv_overview_group *g, size_t n, const char *id_key,
                           const char *name_key)
{
    json_t *arr = json_array();

    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, id_key, dash_json_id(g[i].id));
        json_object_set_new(o, name_key, dash_json_text(g[i].name));
        json_array_append_new(arr, counts_json(&g[i].c, o));
    }
    return arr;
}

static json_t *overview_json(const struct inv_overview *ov)
{
    json_t *counts = counts_json(&ov->counts, json_object());
    json_t *outages = json_array(), *worst = json_array();

    json_object_set_new(counts, "maintenance", json_integer(ov->counts.maintenance));
    for (size_t i = 0; i < ov->noutages; i++)
        json_array_append_new(outages, outage_json(&ov->outages[i]));
    for (size_t i = 0; i < ov->nworst; i++)
        json_array_append_new(worst, json_pack("{s:I, s:o, s:o, s:o}", "device_id",
                                               (json_int_t)ov->worst[i].device_id,
                                               "device_name",
                                               dash_json_text(ov->worst[i].device_name), "pct",
                                               json_pct(ov->worst[i].pct), "office_pct",
                                               json_pct(ov->worst[i].office_pct)));
    return json_pack("{s:o, s:o, s:o, s:o, s:o}", "counts", counts, "by_unit",
                     groups_json(ov->by_unit, ov->nunits, "unit_id", "unit_name"), "by_site",
                     groups_json(ov->by_site, ov->nsites, "location_id", "location_name"),
                     "outages", outages, "worst", worst);
}

/* the cached text when it is current for (@mark, minute of @now): a copy the caller frees,
 * or NULL */
static char *overview_cached(struct dash_server *srv, const struct inv_change_mark *mark,
                             time_t now)
{
    char *text = NULL;

    pthread_mutex_lock(&srv->uptime_lock);
    if (srv->overview_text && srv->overview_mark.events == mark->events &&
        srv->overview_mark.changes == mark->changes &&
        srv->overview_minute == (long long)(now / 60))
        text = ww_strdup(srv->overview_text);
    pthread_mutex_unlock(&srv->uptime_lock);
    return text;
}

/* compute the overview at @now and keep it for (@mark, minute); NULL on failure (the reply
 * is then set); else the text, owned by the caller */
static char *overview_compute(struct dash_req *req, struct dash_reply *out, time_t now,
                              const struct inv_change_mark *mark)
{
    struct dash_server *srv = req->srv;
    struct inv_overview ov;
    char *text;
    json_t *j;
    int ret;

    dash_lock(req);
    ret = inv_overview_get(srv->db, &srv->office, now, &ov);
    dash_unlock(req);
    if (ret < 0) {
        dash_reply_db_failed(out);
        return NULL;
    }
    j = overview_json(&ov);
    inv_overview_release(&ov);
    text = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(12));
    json_decref(j);
    if (!text) {
        dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
        return NULL;
    }
    pthread_mutex_lock(&srv->uptime_lock);
    free(srv->overview_text);
    srv->overview_text = ww_strdup(text);
    srv->overview_mark = *mark;
    srv->overview_minute = (long long)(now / 60);
    pthread_mutex_unlock(&srv->uptime_lock);
    return text;
}

/*
 * One computation at a time: the requests that find the cache stale (a new event, the next
 * minute) queue here, and each looks at the cache again once it has the lock, so a burst
 * after a new event computes the overview once instead of once per request, each holding
 * db_lock. Lock order: overview_lock, then db_lock or uptime_lock (those two are never
 * held together).
 */
static pthread_mutex_t overview_lock = PTHREAD_MUTEX_INITIALIZER;

static void api_overview(struct dash_req *req, struct dash_reply *out)
{
    struct dash_server *srv = req->srv;
    time_t now = time(NULL);
    struct inv_change_mark mark;
    char *text;

    if (dash_change_mark(req, &mark) < 0) {
        dash_reply_db_failed(out);
        return;
    }
    text = overview_cached(srv, &mark, now);
    if (!text) {
        pthread_mutex_lock(&overview_lock);
        now = time(NULL);
        if (dash_change_mark(req, &mark) < 0)
            dash_reply_db_failed(out);
        else if (!(text = overview_cached(srv, &mark, now)))
            text = overview_compute(req, out, now, &mark);
        pthread_mutex_unlock(&overview_lock);
    }
    if (text)
        dash_reply_json_text(out, text);
    free(text);
}

/* ---- availability ----------------------------------------------------------------------- */

static json_t *period_json(const char *name, const struct inv_avail *all,
                           const struct inv_avail *office)
{
    return json_pack("{s:s, s:o, s:o}", "period", name, "all", avail_json(all), "office",
                     avail_json(office));
}

static void api_device_availability(struct dash_req *req, struct dash_reply *out)
{
    struct inv_avail all[WW_ARRAY_SIZE(period_names)], off[WW_ARRAY_SIZE(period_names)];
    struct inv_if_avail *ifs[WW_ARRAY_SIZE(period_names)] = {NULL};
    size_t nifs[WW_ARRAY_SIZE(period_names)] = {0};
    time_t now = time(NULL);
    json_t *periods, *interfaces;
    long long id;
    int ret = 0;

    if (dash_param_id(req->params[0], &id) < 0) {
        bad_param(out, "id");
        return;
    }
    dash_lock(req);
    for (size_t p = 0; p < WW_ARRAY_SIZE(period_names) && ret == 0; p++) {
        long long secs = 0;
        inv_period_parse(period_names[p], &secs);
        ret = inv_availability_device(req->srv->db, &req->srv->office, id, secs, now, &all[p],
                                      &off[p]);
        if (ret == 0)
            ret = inv_availability_interfaces(req->srv->db, &req->srv->office, id, secs, now,
                                              &ifs[p], &nifs[p]);
    }
    dash_unlock(req);
    if (ret == -ENOENT) {
        dash_reply_error(out, MHD_HTTP_NOT_FOUND, "not_found", NULL);
        goto out;
    }
    if (ret < 0) {
        dash_reply_db_failed(out);
        goto out;
    }
    periods = json_array();
    for (size_t p = 0; p < WW_ARRAY_SIZE(period_names); p++)
        json_array_append_new(periods, period_json(period_names[p], &all[p], &off[p]));
    interfaces = json_array();
    for (size_t i = 0; i < nifs[0]; i++) {
        json_t *ip = json_array();
        for (size_t p = 0; p < WW_ARRAY_SIZE(period_names); p++) {
            /* matched by id: the lists were read one after the other */
            for (size_t k = 0; k < nifs[p]; k++)
                if (ifs[p][k].interface_id == ifs[0][i].interface_id) {
                    json_array_append_new(ip, period_json(period_names[p], &ifs[p][k].all,
                                                          &ifs[p][k].office));
                    break;
                }
        }
        json_array_append_new(interfaces,
                              json_pack("{s:I, s:o, s:o}", "interface_id",
                                        (json_int_t)ifs[0][i].interface_id, "name",
                                        dash_json_text(ifs[0][i].name), "periods", ip));
    }
    dash_reply_json(out, MHD_HTTP_OK,
                    json_pack("{s:I, s:o, s:o}", "device_id", (json_int_t)id, "periods", periods,
                              "interfaces", interfaces));
out:
    for (size_t p = 0; p < WW_ARRAY_SIZE(period_names); p++)
        inv_if_avail_free(ifs[p], nifs[p]);
}

/* period (default 30d) and office (0/1) of /availability[.csv] */
static bool avail_params(struct dash_req *req, struct dash_reply *out, long long *out_secs,
                         bool *out_office)
{
    const char *period = dash_query(req, "period"), *office = dash_query(req, "office");

    if (inv_period_parse(period ? period : "30d", out_secs) < 0) {
        bad_param(out, "period");
        return false;
    }
    if (office && strcmp(office, "0") != 0 && strcmp(office, "1") != 0) {
        bad_param(out, "office");
        return false;
    }
    *out_office = office && office[0] == '1';
    return true;
}

static void api_availability(struct dash_req *req, struct dash_reply *out)
{
    struct inv_avail_row *rows = NULL;
    size_t n = 0;
    long long limit, offset, secs, total = 0;
    bool office;
    json_t *items;
    int ret;

    if (!dash_page_params(req, out, &limit, &offset) || !avail_params(req, out, &secs, &office))
        return;
    dash_lock(req);
    ret = inv_availability_list(req->srv->db, office ? &req->srv->office : NULL, secs,
                                time(NULL), limit, offset, &rows, &n, &total);
    dash_unlock(req);
    if (ret < 0) {
        dash_reply_db_failed(out);
        return;
    }
    items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items,
                              json_pack("{s:I, s:o, s:o, s:o, s:I, s:I}", "device_id",
                                        (json_int_t)rows[i].device_id, "device_name",
                                        dash_json_text(rows[i].device_name), "kind",
                                        dash_json_text(rows[i].kind), "pct",
                                        json_pct(rows[i].a.pct), "down_s",
                                        (json_int_t)rows[i].a.down_s, "outages",
                                        (json_int_t)rows[i].outages));
    inv_avail_row_free(rows, n);
    dash_reply_json(out, MHD_HTTP_OK, list_json(items, total));
}

static void api_availability_csv(struct dash_req *req, struct dash_reply *out)
{
    static const char *const head[] = {"device_id", "device_name", "kind", "pct", "down_s",
                                       "outages"};
    struct inv_avail_row *rows = NULL;
    size_t n = 0;
    long long secs, total = 0;
    bool office;
    struct ww_buf b;
    int ret;

    if (!avail_params(req, out, &secs, &office))
        return;
    dash_lock(req);
    ret = inv_availability_list(req->srv->db, office ? &req->srv->office : NULL, secs,
                                time(NULL), CSV_ROWS, 0, &rows, &n, &total);
    dash_unlock(req);
    if (ret < 0) {
        dash_reply_db_failed(out);
        return;
    }
    ww_buf_init(&b, CSV_MAX);
    dash_csv_head(req, &b, head, WW_ARRAY_SIZE(head));
    for (size_t i = 0; i < n; i++) {
        char id[24], pct[32], down[24], outages[24];
        snprintf(id, sizeof(id), "%lld", rows[i].device_id);
        if (rows[i].a.pct < 0)
            pct[0] = '\0';
        else
            snprintf(pct, sizeof(pct), "%.3f", round(rows[i].a.pct * 1000.0) / 1000.0);
        snprintf(down, sizeof(down), "%lld", rows[i].a.down_s);
        snprintf(outages, sizeof(outages), "%lld", rows[i].outages);
        const char *row[] = {id, rows[i].device_name, rows[i].kind, pct, down, outages};
        dash_csv_row(&b, row, WW_ARRAY_SIZE(row));
    }
    inv_avail_row_free(rows, n);
    dash_reply_csv(out, &b, "availability.csv");
    ww_buf_release(&b);
}

/* ---- outages ---------------------------------------------------------------------------- */

static bool outage_filter(struct dash_req *req, struct dash_reply *out,
                          struct inv_outage_filter *f)
{
    const char *device = dash_query(req, "device"), *type = dash_query(req, "type");
    const char *open = dash_query(req, "open");

    memset(f, 0, sizeof(*f));
    f->open = -1;
    if (device && dash_param_id(device, &f->device_id) < 0) {
        bad_param(out, "device");
        return false;
    }
    if (type) {
        if (strcmp(type, "down") != 0 && strcmp(type, "unreachable") != 0 &&
            strcmp(type, "if_down") != 0) {
            bad_param(out, "type");
            return false;
        }
        f->type = type;
    }
    if (dash_param_count(dash_query(req, "from"), 0, 0, EPOCH_MAX, &f->from) < 0 ||
        dash_param_count(dash_query(req, "to"), 0, 0, EPOCH_MAX, &f->to) < 0) {
        bad_param(out, "from");
        return false;
    }
    if (open) {
        if (strcmp(open, "0") != 0 && strcmp(open, "1") != 0) {
            bad_param(out, "open");
            return false;
        }
        f->open = open[0] == '1';
    }
    if (dash_param_count(dash_query(req, "min_s"), 0, 0, EPOCH_MAX, &f->min_s) < 0) {
        bad_param(out, "min_s");
        return false;
    }
    return true;
}

static void api_outages(struct dash_req *req, struct dash_reply *out)
{
    struct inv_outage_filter f;
    struct inv_outage *o = NULL;
    size_t n = 0;
    long long limit, offset, total = 0;
    json_t *items;
    int ret;

    if (!dash_page_params(req, out, &limit, &offset) || !outage_filter(req, out, &f))
        return;
    dash_lock(req);
    ret = inv_outage_list(req->srv->db, &f, time(NULL), limit, offset, &o, &n, &total);
    dash_unlock(req);
    if (ret < 0) {
        dash_reply_db_failed(out);
        return;
    }
    items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, outage_json(&o[i]));
    inv_outage_list_free(o, n);
    dash_reply_json(out, MHD_HTTP_OK, list_json(items, total));
}

static void api_outages_csv(struct dash_req *req, struct dash_reply *out)
{
    static const char *const head[] = {"id",         "device_id", "device_name",
                                       "interface_id", "interface_name", "type",
                                       "started_at", "ended_at",  "duration_s",
                                       "in_maintenance"};
    struct inv_outage_filter f;
    struct inv_outage *o = NULL;
    size_t n = 0;
    long long total = 0;
    struct ww_buf b;
    int ret;

    if (!outage_filter(req, out, &f))
        return;
    dash_lock(req);
    ret = inv_outage_list(req->srv->db, &f, time(NULL), CSV_ROWS, 0, &o, &n, &total);
    dash_unlock(req);
    if (ret < 0) {
        dash_reply_db_failed(out);
        return;
    }
    ww_buf_init(&b, CSV_MAX);
    dash_csv_head(req, &b, head, WW_ARRAY_SIZE(head));
    for (size_t i = 0; i < n; i++) {
        char id[24], dev[24], ifc[24], t0[32], t1[32], dur[24];
        snprintf(id, sizeof(id), "%lld", o[i].id);
        snprintf(dev, sizeof(dev), "%lld", o[i].device_id);
        snprintf(ifc, sizeof(ifc), "%lld", o[i].interface_id);
        ww_time_iso((time_t)o[i].started_at, t0, sizeof(t0));
        if (o[i].ended_at > 0)
            ww_time_iso((time_t)o[i].ended_at, t1, sizeof(t1));
        else
            t1[0] = '\0';
        snprintf(dur, sizeof(dur), "%lld", o[i].duration_s);
        const char *row[] = {id, dev, o[i].device_name, o[i].interface_id ? ifc : "",
                             o[i].interface_name, o[i].type, t0, t1, dur,
                             o[i].in_maintenance ? "1" : "0"};
        dash_csv_row(&b, row, WW_ARRAY_SIZE(row));
    }
    inv_outage_list_free(o, n);
    dash_reply_csv(out, &b, "outages.csv");
    ww_buf_release(&b);
}

/* ---- maintenance windows ------------------------------------------------------------------ */

static json_t *maintenance_json(const struct inv_maintenance *m)
{
    json_t *o = json_object();

    json_object_set_new(o, "id", json_integer(m->id));
    json_object_set_new(o, "name", dash_json_text(m->name));
    json_object_set_new(o, "device_id", dash_json_id(m->device_id));
    json_object_set_new(o, "device_name", dash_json_text(m->device_name));
    json_object_set_new(o, "starts_at", dash_json_time(m->starts_at));
    json_object_set_new(o, "ends_at", dash_json_time(m->ends_at));
    json_object_set_new(o, "note", dash_json_text(m->note));
    json_object_set_new(o, "created_by", dash_json_text(m->created_by));
    json_object_set_new(o, "active", json_boolean(m->active));
    return o;
}

/* epoch seconds, or an ISO-8601 UTC text "2026-11-27T07:00:00Z" */
static int json_epoch(json_t *v, long long *out)
{
    struct tm tm = {0};
    int n = 0;
    time_t t;

    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return *out > 0 && *out < EPOCH_MAX ? 0 : -EINVAL;
    }
    if (!json_is_string(v) ||
        sscanf(json_string_value(v), "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year, &tm.tm_mon,
               &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 ||
        (size_t)n != strlen(json_string_value(v)) || json_string_length(v) != 20 ||
        tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
        tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 59)
        return -EINVAL;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    t = timegm(&tm);
    if (t <= 0 || t >= EPOCH_MAX)
        return -EINVAL;
    *out = (long long)t;
    return 0;
}

/* the body's fields onto @m; the strings stay owned by @body */
static int maintenance_from_json(json_t *body, struct inv_maintenance *m,
                                 struct inv_refusal *why)
{
    const char *key;
    json_t *v;

    json_object_foreach(body, key, v) {
        if (strcmp(key, "name") == 0) {
            if (!json_is_string(v))
                return dash_refusal(why, key, "not_string", NULL);
            m->name = (char *)json_string_value(v);
        } else if (strcmp(key, "note") == 0) {
            if (!json_is_string(v) && !json_is_null(v))
                return dash_refusal(why, key, "not_string", NULL);
            m->note = json_is_null(v) ? NULL : (char *)json_string_value(v);
        } else if (strcmp(key, "device_id") == 0) {
            if (json_is_null(v)) {
                m->device_id = 0;
            } else if (json_is_integer(v) && json_integer_value(v) > 0) {
                m->device_id = json_integer_value(v);
            } else {
                return dash_refusal(why, key, "not_id", NULL);
            }
        } else if (strcmp(key, "starts_at") == 0 || strcmp(key, "ends_at") == 0) {
            if (json_epoch(v, key[0] == 's' ? &m->starts_at : &m->ends_at) < 0)
                return dash_refusal(why, key, "not_date", NULL);
        } else if (strcmp(key, "id") != 0) {
            return dash_refusal(why, "record", "unknown_field", key);
        }
    }
    return 0;
}

static void api_maintenance_list(struct dash_req *req, struct dash_reply *out)
{
    const char *active = dash_query(req, "active");
    struct inv_maintenance *items = NULL;
    size_t n = 0;
    json_t *arr;
    int ret;

    if (active && strcmp(active, "0") != 0 && strcmp(active, "1") != 0) {
        bad_param(out, "active");
        return;
    }
    dash_lock(req);
    ret = inv_maintenance_list(req->srv->db, active ? active[0] == '1' : -1, time(NULL), &items,
                               &n);
    dash_unlock(req);
    if (ret < 0) {
        dash_reply_db_failed(out);
        return;
    }
    arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, maintenance_json(&items[i]));
    inv_maintenance_list_free(items, n);
    dash_reply_json(out, MHD_HTTP_OK, list_json(arr, (long long)n));
}

/* a window as the body makes it: the stored one (PATCH) with the body's fields applied, read
 * and written in one audited transaction */
struct maint_edit {
    json_t *body;
    const char *created_by;
    time_t now;
    struct inv_maintenance cur; /* the stored window (PATCH); owns its strings */
    struct inv_maintenance stored; /* as written, for the answer */
};

static int apply_maintenance(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    struct maint_edit *e = ctx;
    struct inv_maintenance m = {0};
    int ret = 0;

    if (ch->id) {
        ret = inv_maintenance_get(db, ch->id, e->now, &e->cur);
        m = e->cur; /* borrowed: cur keeps owning the strings */
    }
    if (ret == 0 && maintenance_from_json(e->body, &m, &ch->why) < 0)
        return -EINVAL;
    if (ret == 0 && !ch->id && (!m.starts_at || !m.ends_at))
        return dash_refusal(&ch->why, m.starts_at ? "ends_at" : "starts_at", "required", NULL);
    if (ret == 0 && ch->id) {
        m.id = ch->id;
        ret = inv_maintenance_update(db, &m);
    } else if (ret == 0) {
        m.created_by = (char *)e->created_by;
        ret = inv_maintenance_add(db, &m, &ch->id);
    }
    if (ret == 0)
        ret = inv_maintenance_get(db, ch->id, e->now, &e->stored);
    return ret;
}

static void maintenance_write(struct dash_req *req, struct dash_reply *out, long long id)
{
    struct maint_edit e = {.now = time(NULL), .created_by = req->auth.login};
    struct inv_change ch = {.action = id ? "maintenance.change" : "maintenance.add",
                            .object_type = "maintenance", .id = id,
                            .apply = apply_maintenance, .ctx = &e};

    e.body = dash_body_json(req, out);
    if (!e.body)
        return;
    if (dash_change(req, out, &ch) == 0)
        dash_reply_json(out, id ? MHD_HTTP_OK : MHD_HTTP_CREATED, maintenance_json(&e.stored));
    inv_maintenance_release(&e.stored);
    inv_maintenance_release(&e.cur);
    free(ch.after);
    json_decref(e.body);
}

static void api_maintenance_add(struct dash_req *req, struct dash_reply *out)
{
    maintenance_write(req, out, 0);
}

static void api_maintenance_change(struct dash_req *req, struct dash_reply *out)
{
    long long id;

    if (dash_param_id(req->params[0], &id) < 0) {
        bad_param(out, "id");
        return;
    }
    maintenance_write(req, out, id);
}

static int apply_maintenance_remove(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    return inv_maintenance_remove(db, ch->id);
}

static void api_maintenance_remove(struct dash_req *req, struct dash_reply *out)
{
    struct inv_change ch = {.action = "maintenance.remove", .object_type = "maintenance",
                            .apply = apply_maintenance_remove};

    if (dash_param_id(req->params[0], &ch.id) < 0) {
        bad_param(out, "id");
        return;
    }
    if (dash_change(req, out, &ch) == 0)
        dash_reply_empty(out, MHD_HTTP_NO_CONTENT);
    free(ch.after);
}

/* ---- holidays --------------------------------------------------------------------------- */

static void api_holidays(struct dash_req *req, struct dash_reply *out)
{
    struct inv_holiday *h = NULL;
    size_t n = 0;
    long long year;
    json_t *arr;
    int ret;

    if (dash_param_count(dash_query(req, "year"), 0, 1970, 9999, &year) < 0) {
        bad_param(out, "year");
        return;
    }
    dash_lock(req);
    ret = inv_holiday_list(req->srv->db, (int)year, &h, &n);
    dash_unlock(req);
    if (ret < 0) {
        dash_reply_db_failed(out);
        return;
    }
    arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:s, s:o}", "day", h[i].day, "name",
                                             dash_json_text(h[i].name)));
    inv_holiday_list_free(h, n);
    dash_reply_json(out, MHD_HTTP_OK, list_json(arr, (long long)n));
}

static int apply_holiday_set(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    return inv_holiday_set(db, ch->key, ctx);
}

static int apply_holiday_remove(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    return inv_holiday_remove(db, ch->key);
}

static void api_holiday_set(struct dash_req *req, struct dash_reply *out)
{
    json_t *body = dash_body_json(req, out), *name;
    struct inv_change ch = {.action = "holiday.set", .object_type = "holiday",
                            .key = req->params[0], .may_be_new = true,
                            .apply = apply_holiday_set};
    int key;

    if (!body)
        return;
    name = json_object_get(body, "name");
    if (ww_office_day_key(ch.key, &key) < 0 || !json_is_string(name) ||
        json_object_size(body) != 1) {
        struct inv_refusal r;
        const char *extra = NULL, *k;
        json_t *v;
        json_object_foreach(body, k, v) {
            if (strcmp(k, "name") != 0 && !extra)
                extra = k;
        }
        if (ww_office_day_key(ch.key, &key) < 0)
            dash_refusal(&r, "day", "not_date", NULL);
        else if (!json_is_string(name))
            dash_refusal(&r, "name", name ? "not_string" : "required", NULL);
        else
            dash_refusal(&r, "record", "unknown_field", extra);
        dash_reply_refused(out, -EINVAL, &r);
    } else {
        ch.ctx = (void *)json_string_value(name);
        if (dash_change(req, out, &ch) == 0)
            dash_reply_json(out, MHD_HTTP_OK,
                            json_pack("{s:s, s:o}", "day", ch.key, "name",
                                      dash_json_text(json_string_value(name))));
    }
    free(ch.after);
    json_decref(body);
}

static void api_holiday_remove(struct dash_req *req, struct dash_reply *out)
{
    struct inv_change ch = {.action = "holiday.remove", .object_type = "holiday",
                            .key = req->params[0], .apply = apply_holiday_remove};
    int key;

    if (ww_office_day_key(ch.key, &key) < 0) {
        bad_param(out, "day");
        return;
    }
    if (dash_change(req, out, &ch) == 0)
        dash_reply_empty(out, MHD_HTTP_NO_CONTENT);
    free(ch.after);
}

const struct dash_route dash_uptime_routes[] = {
    {"/api/v1/overview", DASH_GET, api_overview, "overview.read"},
    {"/api/v1/devices/{id}/availability", DASH_GET, api_device_availability, "overview.read"},
    {"/api/v1/availability", DASH_GET, api_availability, "overview.read"},
    {"/api/v1/availability.csv", DASH_GET, api_availability_csv, "overview.read"},
    {"/api/v1/outages", DASH_GET, api_outages, "overview.read"},
    {"/api/v1/outages.csv", DASH_GET, api_outages_csv, "overview.read"},
    {"/api/v1/outages/{id}", DASH_GET, api_outage_get, "overview.read"},
    {"/api/v1/outages/{id}/ack", DASH_POST, api_outage_ack, "uptime.edit"},
    {"/api/v1/outages/{id}/notes", DASH_POST, api_outage_note, "uptime.edit"},
    {"/api/v1/maintenance", DASH_GET, api_maintenance_list, "overview.read"},
    {"/api/v1/maintenance", DASH_POST, api_maintenance_add, "uptime.edit"},
    {"/api/v1/maintenance/{id}", DASH_PATCH, api_maintenance_change, "uptime.edit"},
    {"/api/v1/maintenance/{id}", DASH_DELETE, api_maintenance_remove, "uptime.edit"},
    {"/api/v1/holidays", DASH_GET, api_holidays, "overview.read"},
    {"/api/v1/holidays/{day}", DASH_PUT, api_holiday_set, "uptime.edit"},
    {"/api/v1/holidays/{day}", DASH_DELETE, api_holiday_remove, "uptime.edit"},
};
const size_t dash_uptime_nroutes = WW_ARRAY_SIZE(dash_uptime_routes);

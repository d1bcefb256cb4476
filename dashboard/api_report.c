/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * api_report.c - the manager's reports (issue 16 item 8): age bands, the PCs not ready for
 * Windows 11, warranties ending, depreciation, devices not seen, the assignment register.
 * Each is GET /api/v1/reports/<name> (JSON: codes and numbers, the page words them) and
 * /api/v1/reports/<name>.csv (UTF-8 with a BOM, so that Excel reads the Vietnamese letters;
 * headers "csv.<key>" and the words of codes in the reader's language; every cell through
 * dash_csv_cell(), which asks ww_formula_cell()). inventory/report.c computes them; this
 * file parses the filters (unit: an id or "none"; kind), words and writes.
 *
 * Permissions: reports.read (admin, it, manager) for all but the assignment register, which
 * is assignment.read's (hr reads it too), as PERMISSIONS.md says.
 */
#include "dashboard/dashboard_int.h"
#include "inventory/inventory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/banned.h"

#define REPORT_CSV_MAX (32u << 20)
#define UNSEEN_DAYS_DEFAULT 30

/* one report request: its filter, the office's date, and (for CSV) the words */
struct rq {
    struct dash_req *req;
    struct inv_report_filter f;
    char today[16];
    long long days; /* not seen */
    bool history;   /* assignments */
    struct dash_plan_year *plan; /* untrained: the plan's replacements, by device id */
    size_t nplan;
    enum ww_lang lang;
    struct ww_buf b; /* CSV */
};

/* the filters of the query: unit (an id or "none"), kind, days, history; 400 bad_request
 * naming the parameter otherwise. The office's date: the process's zone is the office's. */
static bool rq_init(struct dash_req *req, struct dash_reply *out, struct rq *q)
{
    const char *unit = dash_query(req, "unit"), *kind = dash_query(req, "kind");
    const char *history = dash_query(req, "history");
    time_t now = time(NULL);

    memset(q, 0, sizeof(*q));
    q->req = req;
    q->lang = dash_req_lang(req);
    if (unit && *unit && strcmp(unit, "none") == 0)
        q->f.unit_id = INV_REPORT_NO_UNIT;
    else if (unit && *unit && dash_param_id(unit, &q->f.unit_id) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "unit");
        return false;
    }
    if (kind && *kind) {
        if (!inv_device_kind_valid(kind)) {
            dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "kind");
            return false;
        }
        q->f.kind = kind;
    }
    if (dash_param_count(dash_query(req, "days"), UNSEEN_DAYS_DEFAULT, 1, INV_UNSEEN_DAYS_MAX,
                         &q->days) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "days");
        return false;
    }
    if (history && strcmp(history, "1") != 0 && strcmp(history, "0") != 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "history");
        return false;
    }
    q->history = history && strcmp(history, "1") == 0;
    if (ww_office_day(now, 0, q->today) < 0) {
        dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
        return false;
    }
    q->f.today = q->today;
    q->f.now = now;
    return true;
}

/* ---- JSON ------------------------------------------------------------------------------------ */

static json_t *num_or_null(long long v)
{
    return v < 0 ? json_null() : json_integer(v);
}

static json_t *unit_json(long long id)
{
    return id > 0 ? json_integer(id) : json_null();
}

static json_t *device_json(const struct inv_report_device *d)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(d->id));
    json_object_set_new(o, "name", dash_json_text(d->name));
    json_object_set_new(o, "kind", json_string(d->kind));
    json_object_set_new(o, "asset_tag", dash_json_text(d->asset_tag));
    json_object_set_new(o, "serial", dash_json_text(d->serial));
    json_object_set_new(o, "vendor", dash_json_text(d->vendor));
    json_object_set_new(o, "model", dash_json_text(d->model));
    json_object_set_new(o, "unit_id", unit_json(d->unit_id));
    json_object_set_new(o, "unit_name", dash_json_text(d->unit_name));
    json_object_set_new(o, "status", dash_json_text(d->status));
    json_object_set_new(o, "assigned_to", dash_json_text(d->assigned_to));
    json_object_set_new(o, "purchase_date", dash_json_text(d->purchase_date));
    json_object_set_new(o, "in_service_date", dash_json_text(d->in_service_date));
    json_object_set_new(o, "warranty_end", dash_json_text(d->warranty_end));
    json_object_set_new(o, "cost_vnd", num_or_null(d->cost_vnd));
    json_object_set_new(o, "last_ok", dash_json_time(d->last_ok));
    return o;
}

static json_t *codes_json(const struct inv_ready_reasons *r)
{
    json_t *a = json_array();
    for (size_t i = 0; i < r->n; i++)
        json_array_append_new(a, json_string(r->v[i]));
    return a;
}

/* the reply's frame: the day, the filter, the units (for the filter and the printed
 * heading: the unit asked for, else the one top unit when there is exactly one) */
static json_t *frame(const struct rq *q, const struct inv_report_unit *units, size_t nunits)
{
    json_t *arr = json_array(), *o;
    const char *heading = NULL;
    size_t tops = 0;

    for (size_t i = 0; i < nunits; i++) {
        json_array_append_new(arr, json_pack("{s:I,s:o,s:o}", "id", (json_int_t)units[i].id,
                                             "parent_id", unit_json(units[i].parent_id), "name",
                                             dash_json_text(units[i].name)));
        if (q->f.unit_id > 0 && units[i].id == q->f.unit_id)
            heading = units[i].name;
        if (units[i].parent_id == 0 && q->f.unit_id <= 0 && tops++ == 0)
            heading = units[i].name;
    }
    if (q->f.unit_id <= 0 && tops != 1)
        heading = NULL;
    o = json_pack(
        "{s:s,s:o,s:o,s:o,s:o}", "today", q->today, "unit",
        q->f.unit_id == INV_REPORT_NO_UNIT ? json_string("none") : unit_json(q->f.unit_id), "kind",
        dash_json_text(q->f.kind), "heading_unit", dash_json_text(heading), "units", arr);
    return o;
}

/* ---- CSV ------------------------------------------------------------------------------------- */

static void csv_begin(struct rq *q, const char *const *keys, size_t n)
{
    ww_buf_init(&q->b, REPORT_CSV_MAX);
    ww_buf_addstr(&q->b, "\xEF\xBB\xBF"); /* Excel reads UTF-8 only with it */
    dash_csv_head(q->req, &q->b, keys, n);
}

static void cell(struct rq *q, const char *s)
{
    dash_csv_cell(&q->b, s ? s : "", false);
}

/* every cell is written with its comma: the line's last one ends it instead */
static void row_end(struct rq *q)
{
    if (q->b.len && q->b.data[q->b.len - 1] == ',') {
        q->b.len--;
        q->b.data[q->b.len] = '\0';
    }
    ww_buf_addstr(&q->b, "\r\n");
}

/* a number; -1 (unknown) as an empty cell */
static void cell_num(struct rq *q, long long v)
{
    char s[32] = "";
    if (v >= 0)
        snprintf(s, sizeof(s), "%lld", v);
    cell(q, s);
}

/* the words of "<prefix><code>" in the reader's language, the code itself when none */
static const char *words(const struct rq *q, const char *prefix, const char *code)
{
    char key[96];
    const char *w;

    if (!code)
        return NULL;
    snprintf(key, sizeof(key), "%s%s", prefix, code);
    w = ww_i18n_text(q->req->srv ? q->req->srv->words : NULL, q->lang, key);
    return w ? w : code;
}

/* the device columns every report starts with */
static const char *const dev_keys[] = {"device_name", "kind", "unit", "asset_tag"};

static void dev_cells(struct rq *q, const struct inv_report_device *d)
{
    cell(q, d->name);
    cell(q, words(q, "kind.", d->kind));
    cell(q, d->unit_name ? d->unit_name : words(q, "", "report.no_unit"));
    cell(q, d->asset_tag);
}

/* the keys of a CSV head: the device's, then the report's own (at most DASH_CSV_COLS_MAX) */
static void csv_head(struct rq *q, const char *const *own, size_t n)
{
    const char *keys[DASH_CSV_COLS_MAX];
    size_t k = 0;

    for (size_t i = 0; i < WW_ARRAY_SIZE(dev_keys); i++)
        keys[k++] = dev_keys[i];
    for (size_t i = 0; i < n && k < DASH_CSV_COLS_MAX; i++)
        keys[k++] = own[i];
    csv_begin(q, keys, k);
}

/* ---- the reports ---------------------------------------------------------------------------- */

/* a list report's answer from inventory: rows and their count */
struct list {
    void *rows;
    size_t n;
};

static void items_set(json_t *o, json_t *items, size_t n)
{
    json_object_set_new(o, "items", items);
    json_object_set_new(o, "total", json_integer((json_int_t)n));
}

/* age bands */

static int age_fetch(struct dash_req *req, const struct rq *q, void *res)
{
    return inv_report_age(req->srv->db, req->srv->rules, &q->f, res);
}

static json_t *age_row_json(const struct inv_report_age_row *r)
{
    json_t *counts = json_object(), *costs = json_object();
    for (size_t b = 0; b < INV_AGE_BANDS; b++) {
        json_object_set_new(counts, inv_age_bands[b], json_integer(r->count[b]));
        json_object_set_new(costs, inv_age_bands[b], json_integer(r->cost_vnd[b]));
    }
    return json_pack("{s:o,s:o,s:o,s:o,s:o}", "unit_id", unit_json(r->unit_id), "unit_name",
                     dash_json_text(r->unit_name), "kind", dash_json_text(r->kind), "count", counts,
                     "cost_vnd", costs);
}

static void age_json(const struct rq *q, const void *res, json_t *o)
{
    const struct inv_report_age *r = res;
    json_t *items = json_array(), *bands = json_array();

    (void)q;
    for (size_t i = 0; i < r->n; i++)
        json_array_append_new(items, age_row_json(&r->rows[i]));
    for (size_t b = 0; b < INV_AGE_BANDS; b++)
        json_array_append_new(bands, json_string(inv_age_bands[b]));
    items_set(o, items, r->n);
    json_object_set_new(o, "bands", bands);
    json_object_set_new(o, "sum", age_row_json(&r->total));
}

static void age_csv(struct rq *q, const void *res)
{
    static const char *const keys[] = {"unit", "kind", "band", "count", "cost_vnd"};
    const struct inv_report_age *r = res;

    csv_begin(q, keys, WW_ARRAY_SIZE(keys));
    for (size_t i = 0; i <= r->n; i++) {
        const struct inv_report_age_row *row = i < r->n ? &r->rows[i] : &r->total;
        for (size_t b = 0; b < INV_AGE_BANDS; b++) {
            if (!row->count[b])
                continue;
            cell(q, i == r->n        ? words(q, "", "report.total")
                    : row->unit_name ? row->unit_name
                                     : words(q, "", "report.no_unit"));
            cell(q, row->kind ? words(q, "kind.", row->kind) : "");
            cell(q, words(q, "report.band_", inv_age_bands[b]));
            cell_num(q, row->count[b]);
            cell_num(q, row->cost_vnd[b]);
            row_end(q);
        }
    }
}

static void age_release(void *res)
{
    inv_report_age_release(res);
}

/* Windows 11 */

static int win11_fetch(struct dash_req *req, const struct rq *q, void *res)
{
    struct list *l = res;
    return inv_report_win11(req->srv->db, req->srv->rules, &q->f,
                            (struct inv_report_win11_row **)&l->rows, &l->n);
}

static void win11_json(const struct rq *q, const void *res, json_t *o)
{
    const struct list *l = res;
    const struct inv_report_win11_row *rows = l->rows;
    json_t *items = json_array();

    (void)q;
    for (size_t i = 0; i < l->n; i++) {
        json_t *x = device_json(&rows[i].dev);
        json_object_set_new(x, "os", dash_json_text(rows[i].os));
        json_object_set_new(x, "cpu_model", dash_json_text(rows[i].cpu_model));
        json_object_set_new(x, "ram_bytes", num_or_null(rows[i].ram_bytes));
        json_object_set_new(x, "verdict", json_string(rows[i].verdict));
        json_object_set_new(x, "reasons", codes_json(&rows[i].reasons));
        json_object_set_new(x, "unmeasured", codes_json(&rows[i].unmeasured));
        json_array_append_new(items, x);
    }
    items_set(o, items, l->n);
}

/* the reasons of a verdict, then what was not measured, as words joined with "; " */
static void reasons_cell(struct rq *q, const struct inv_report_win11_row *w)
{
    struct ww_buf b;

    ww_buf_init(&b, 4096);
    for (size_t i = 0; i < w->reasons.n + w->unmeasured.n; i++) {
        const char *code = i < w->reasons.n ? w->reasons.v[i] : w->unmeasured.v[i - w->reasons.n];
        if (i)
            ww_buf_addstr(&b, "; ");
        ww_buf_addstr(&b, words(q, "ready.r_", code));
    }
    cell(q, b.data);
    ww_buf_release(&b);
}

static void win11_csv(struct rq *q, const void *res)
{
    static const char *const keys[] = {"assigned_to", "os",      "cpu_model",
                                       "ram_bytes",   "verdict", "reasons"};
    const struct list *l = res;
    const struct inv_report_win11_row *rows = l->rows;

    csv_head(q, keys, WW_ARRAY_SIZE(keys));
    for (size_t i = 0; i < l->n; i++) {
        dev_cells(q, &rows[i].dev);
        cell(q, rows[i].dev.assigned_to);
        cell(q, rows[i].os);
        cell(q, rows[i].cpu_model);
        cell_num(q, rows[i].ram_bytes);
        cell(q, words(q, "ready.win11_", rows[i].verdict));
        reasons_cell(q, &rows[i]);
        row_end(q);
    }
}

static void win11_release(void *res)
{
    struct list *l = res;
    inv_report_win11_free(l->rows, l->n);
}

/* warranty */

static int warranty_fetch(struct dash_req *req, const struct rq *q, void *res)
{
    return inv_report_warranty(req->srv->db, &q->f, res);
}

static json_t *warranty_rows(const struct inv_report_warranty_row *w, size_t n)
{
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *x = device_json(&w[i].dev);
        json_object_set_new(x, "days_left", json_integer(w[i].days_left));
        json_object_set_new(x, "within", json_integer(w[i].within));
        json_array_append_new(items, x);
    }
    return items;
}

static void warranty_json(const struct rq *q, const void *res, json_t *o)
{
    const struct inv_report_warranty *r = res;

    (void)q;
    items_set(o, warranty_rows(r->ending, r->n_ending), r->n_ending);
    json_object_set_new(o, "ended", warranty_rows(r->ended, r->n_ended));
}

static void warranty_csv(struct rq *q, const void *res)
{
    static const char *const keys[] = {"assigned_to", "warranty_end", "days_left", "within"};
    const struct inv_report_warranty *r = res;

    csv_head(q, keys, WW_ARRAY_SIZE(keys));
    for (size_t i = 0; i < r->n_ending + r->n_ended; i++) {
        const struct inv_report_warranty_row *w =
            i < r->n_ending ? &r->ending[i] : &r->ended[i - r->n_ending];
        char within[32];

        dev_cells(q, &w->dev);
        cell(q, w->dev.assigned_to);
        cell(q, w->dev.warranty_end);
        snprintf(within, sizeof(within), "%lld", w->days_left);
        cell(q, within);
        snprintf(within, sizeof(within), "%d", w->within);
        cell(q, w->within ? words(q, "report.within_", within)
                          : words(q, "", "report.warranty_ended"));
        row_end(q);
    }
}

static void warranty_release(void *res)
{
    inv_report_warranty_release(res);
}

/* depreciation */

static int dep_fetch(struct dash_req *req, const struct rq *q, void *res)
{
    return inv_report_depreciation(req->srv->db, req->srv->rules, &q->f, res);
}

static json_t *dep_sum_json(const struct inv_report_dep_sum *s)
{
    return json_pack("{s:o,s:o,s:o,s:I,s:I,s:I,s:I,s:I}", "unit_id", unit_json(s->unit_id),
                     "unit_name", dash_json_text(s->unit_name), "kind", dash_json_text(s->kind),
                     "count", (json_int_t)s->count, "priced", (json_int_t)s->priced, "cost_vnd",
                     (json_int_t)s->cost_vnd, "per_year_vnd", (json_int_t)s->per_year_vnd,
                     "residual_vnd", (json_int_t)s->residual_vnd);
}

/* the age of a device in whole months; -1 when unknown */
static long long age_months(const struct inv_age *a)
{
    return a->since ? a->age_months : -1;
}

static void dep_json(const struct rq *q, const void *res, json_t *o)
{
    const struct inv_report_dep *r = res;
    json_t *items = json_array(), *sums = json_array();

    (void)q;
    for (size_t i = 0; i < r->n; i++) {
        const struct inv_report_dep_row *d = &r->rows[i];
        json_t *x = device_json(&d->dev);
        json_object_set_new(x, "age_months", num_or_null(age_months(&d->age)));
        json_object_set_new(x, "lifespan_years", json_integer(d->age.lifespan_years));
        json_object_set_new(x, "per_year_vnd", num_or_null(d->age.depreciation_vnd_per_year));
        json_object_set_new(x, "residual_vnd", num_or_null(d->age.residual_vnd));
        json_array_append_new(items, x);
    }
    for (size_t i = 0; i < r->nsums; i++)
        json_array_append_new(sums, dep_sum_json(&r->sums[i]));
    items_set(o, items, r->n);
    json_object_set_new(o, "sums", sums);
    json_object_set_new(o, "sum", dep_sum_json(&r->total));
}

static void dep_csv(struct rq *q, const void *res)
{
    static const char *const keys[] = {"purchase_date",  "in_service_date", "age_months",
                                       "lifespan_years", "cost_vnd",        "per_year_vnd",
                                       "residual_vnd"};
    const struct inv_report_dep *r = res;

    csv_head(q, keys, WW_ARRAY_SIZE(keys));
    for (size_t i = 0; i < r->n; i++) {
        const struct inv_report_dep_row *d = &r->rows[i];
        dev_cells(q, &d->dev);
        cell(q, d->dev.purchase_date);
        cell(q, d->dev.in_service_date);
        cell_num(q, age_months(&d->age));
        cell_num(q, d->age.lifespan_years);
        cell_num(q, d->dev.cost_vnd);
        cell_num(q, d->age.depreciation_vnd_per_year);
        cell_num(q, d->age.residual_vnd);
        row_end(q);
    }
}

static void dep_release(void *res)
{
    inv_report_dep_release(res);
}

/* not seen */

static int unseen_fetch(struct dash_req *req, const struct rq *q, void *res)
{
    struct list *l = res;
    return inv_report_unseen(req->srv->db, &q->f, q->days,
                             (struct inv_report_unseen_row **)&l->rows, &l->n);
}

static void unseen_json(const struct rq *q, const void *res, json_t *o)
{
    const struct list *l = res;
    const struct inv_report_unseen_row *rows = l->rows;
    json_t *items = json_array();

    for (size_t i = 0; i < l->n; i++) {
        json_t *x = device_json(&rows[i].dev);
        json_object_set_new(x, "days", num_or_null(rows[i].days));
        json_array_append_new(items, x);
    }
    items_set(o, items, l->n);
    json_object_set_new(o, "days", json_integer(q->days));
}

static void unseen_csv(struct rq *q, const void *res)
{
    static const char *const keys[] = {"status", "last_ok", "days_unseen"};
    const struct list *l = res;
    const struct inv_report_unseen_row *rows = l->rows;

    csv_head(q, keys, WW_ARRAY_SIZE(keys));
    for (size_t i = 0; i < l->n; i++) {
        char last[32] = "";
        time_t t = (time_t)rows[i].dev.last_ok;
        struct tm tm;

        dev_cells(q, &rows[i].dev);
        cell(q, words(q, "life.status.", rows[i].dev.status));
        if (t > 0 && localtime_r(&t, &tm))
            strftime(last, sizeof(last), "%Y-%m-%d %H:%M", &tm);
        cell(q, last);
        if (rows[i].days < 0)
            cell(q, words(q, "", "report.never"));
        else
            cell_num(q, rows[i].days);
        row_end(q);
    }
}

static void unseen_release(void *res)
{
    struct list *l = res;
    inv_report_unseen_free(l->rows, l->n);
}

/* the assignment register */

static int assign_fetch(struct dash_req *req, const struct rq *q, void *res)
{
    struct list *l = res;
    return inv_report_assignments(req->srv->db, &q->f, q->history,
                                  (struct inv_report_assign_row **)&l->rows, &l->n);
}

static void assign_json(const struct rq *q, const void *res, json_t *o)
{
    const struct list *l = res;
    const struct inv_report_assign_row *rows = l->rows;
    json_t *items = json_array();

    for (size_t i = 0; i < l->n; i++) {
        json_t *x = device_json(&rows[i].dev);
        json_object_set_new(x, "assignment_id",
                            rows[i].assignment_id > 0 ? json_integer(rows[i].assignment_id)
                                                      : json_null());
        /* the holder of the row (the device's assigned_to is the current one) */
        json_object_set_new(x, "holder", dash_json_text(rows[i].assigned_to));
        json_object_set_new(x, "from", dash_json_text(rows[i].from_day));
        json_object_set_new(x, "to", dash_json_text(rows[i].to_day));
        json_object_set_new(x, "by", dash_json_text(rows[i].actor));
        json_array_append_new(items, x);
    }
    items_set(o, items, l->n);
    json_object_set_new(o, "history", json_boolean(q->history));
}

static void assign_csv(struct rq *q, const void *res)
{
    static const char *const keys[] = {"serial", "assigned_to", "from_day", "to_day", "actor"};
    const struct list *l = res;
    const struct inv_report_assign_row *rows = l->rows;

    csv_head(q, keys, WW_ARRAY_SIZE(keys));
    for (size_t i = 0; i < l->n; i++) {
        dev_cells(q, &rows[i].dev);
        cell(q, rows[i].dev.serial);
        cell(q, rows[i].assigned_to);
        cell(q, rows[i].from_day);
        cell(q, rows[i].to_day);
        cell(q, rows[i].actor);
        row_end(q);
    }
}

static void assign_release(void *res)
{
    struct list *l = res;
    inv_report_assign_free(l->rows, l->n);
}

/* equipment held by someone lacking the skill it requires (issue 17): the gap rule (gap.c)
 * on the day, and for each device the replacement plan replaces, on 1 January of its year:
 * its holder is to be trained before the new machine. What the it role may see of training:
 * the equipment's skills only, no record ids. */

struct untrained_row {
    long long device_id, staff_id, unit_id, skill_id;
    char *device, *holder, *unit, *skill; /* heap copies */
    char kind[16], valid_until[11], held_from[11], as_of[11];
    const char *state; /* static */
    int level_required, level_held, plan_year;
    bool before;       /* listed for the plan: judged on as_of, its year's first day */
};

static int cmp_plan_year(const void *a, const void *b)
{
    long long x = ((const struct dash_plan_year *)a)->device_id,
              y = ((const struct dash_plan_year *)b)->device_id;
    return (x > y) - (x < y);
}

static int plan_year_of(const struct rq *q, long long device_id)
{
    struct dash_plan_year key = {.device_id = device_id};
    const struct dash_plan_year *hit =
        q->nplan ? bsearch(&key, q->plan, q->nplan, sizeof(*q->plan), cmp_plan_year) : NULL;
    return hit ? hit->year : 0;
}

static const char *gap_person(const struct inv_gap_data *d, long long id)
{
    const struct inv_gap_person *p = inv_gap_person_of(d, id);
    return p ? p->full_name : NULL;
}

static const char *gap_unit(const struct inv_gap_data *d, long long id)
{
    const struct inv_gap_unit *u = inv_gap_unit_of(d, id);
    return u ? u->name : NULL;
}

static const char *gap_skill(const struct inv_gap_data *d, long long id)
{
    const struct inv_gap_skill *k = inv_gap_skill_of(d, id);
    return k ? k->name : NULL;
}

/* the rows of matrix @m (judged on @day) for the devices held then: unmet ones, of the
 * filter's kind and no-unit choice; with @year only the devices the plan replaces that year */
static void untrained_add(const struct rq *q, const struct inv_gap_data *d,
                          const struct inv_gap_matrix *m, const char *day, int year,
                          struct list *l)
{
    for (size_t i = 0; i < m->nrows; i++) {
        const struct inv_gap_row *r = &m->rows[i];
        size_t e0, ne = inv_gap_equips_of(d, r->staff_id, &e0);

        if (q->f.unit_id == INV_REPORT_NO_UNIT && r->unit_id)
            continue;
        for (size_t k = e0; k < e0 + ne; k++) {
            const struct inv_gap_equip *e = &d->equips[k];
            const struct inv_gap_cell *c = NULL;
            struct untrained_row *u;
            int planned = plan_year_of(q, e->device_id);

            for (size_t j = 0; j < r->ncells && !c; j++)
                if (r->cells[j].skill_id == e->skill_id)
                    c = &r->cells[j];
            if (!inv_gap_held_on(e, day) || !c || inv_gap_state_met(c->state) ||
                (year && planned != year) || (q->f.kind && strcmp(q->f.kind, e->device_kind)))
                continue;
            l->rows = ww_reallocarray(l->rows, l->n + 1, sizeof(struct untrained_row));
            u = &((struct untrained_row *)l->rows)[l->n++];
            *u = (struct untrained_row){.device_id = e->device_id, .staff_id = r->staff_id,
                                        .unit_id = r->unit_id, .skill_id = e->skill_id,
                                        .state = inv_gap_state_name(c->state),
                                        .level_required = c->level_required,
                                        .level_held = c->level_held, .plan_year = planned,
                                        .before = year != 0};
            u->device = ww_strdup(e->device_name ? e->device_name : "");
            u->holder = ww_strdup(gap_person(d, r->staff_id) ? gap_person(d, r->staff_id) : "");
            u->unit = gap_unit(d, r->unit_id) ? ww_strdup(gap_unit(d, r->unit_id)) : NULL;
            u->skill = ww_strdup(gap_skill(d, e->skill_id) ? gap_skill(d, e->skill_id) : "");
            ww_strlcpy(u->kind, e->device_kind, sizeof(u->kind));
            ww_strlcpy(u->valid_until, c->valid_until, sizeof(u->valid_until));
            ww_strlcpy(u->held_from, e->from_day, sizeof(u->held_from));
            ww_strlcpy(u->as_of, day, sizeof(u->as_of));
        }
    }
}

static int untrained_fetch(struct dash_req *req, const struct rq *q, void *res)
{
    struct list *l = res;
    struct inv_gap_data d;
    struct inv_gap_matrix m;
    long long unit = q->f.unit_id > 0 ? q->f.unit_id : 0;
    int ret = inv_gap_load(req->srv->db, &d);

    if (ret < 0)
        return ret;
    if ((ret = inv_gap_matrix(&d, q->today, unit, &m)) == 0) {
        untrained_add(q, &d, &m, q->today, 0, l);
        inv_gap_matrix_free(&m);
    }
    /* each plan year once (a horizon's few), in order */
    for (int year = 0; ret == 0;) {
        char on[16];
        int next = 0;

        for (size_t i = 0; i < q->nplan; i++)
            if (q->plan[i].year > year && (!next || q->plan[i].year < next))
                next = q->plan[i].year;
        if (!next)
            break;
        year = next;
        snprintf(on, sizeof(on), "%04d-01-01", year % 10000);
        if (strcmp(on, q->today) < 0)
            ww_strlcpy(on, q->today, sizeof(on));
        if ((ret = inv_gap_matrix(&d, on, unit, &m)) == 0) {
            untrained_add(q, &d, &m, on, year, l);
            inv_gap_matrix_free(&m);
        }
    }
    inv_gap_data_free(&d);
    return ret;
}

static json_t *untrained_row_json(const struct untrained_row *u)
{
    return json_pack("{s:I,s:o,s:s,s:o,s:o,s:I,s:o,s:I,s:o,s:i,s:i,s:s,s:o,s:s,s:s,s:o}", "id",
                     (json_int_t)u->device_id, "name", dash_json_text(u->device), "kind",
                     u->kind, "unit_id", unit_json(u->unit_id), "unit_name",
                     dash_json_text(u->unit), "staff_id", (json_int_t)u->staff_id, "holder",
                     dash_json_text(u->holder), "skill_id", (json_int_t)u->skill_id, "skill",
                     dash_json_text(u->skill), "level_required", u->level_required,
                     "level_held", u->level_held, "state", u->state, "valid_until",
                     u->valid_until[0] ? json_string(u->valid_until) : json_null(), "held_from",
                     u->held_from, "as_of", u->as_of, "plan_year",
                     u->plan_year ? json_integer(u->plan_year) : json_null());
}

static void untrained_json(const struct rq *q, const void *res, json_t *o)
{
    const struct list *l = res;
    const struct untrained_row *rows = l->rows;
    json_t *items = json_array(), *before = json_array();
    size_t n = 0;

    (void)q;
    for (size_t i = 0; i < l->n; i++) {
        json_array_append_new(rows[i].before ? before : items, untrained_row_json(&rows[i]));
        n += !rows[i].before;
    }
    items_set(o, items, n);
    json_object_set_new(o, "before_plan", before);
}

static void untrained_csv(struct rq *q, const void *res)
{
    static const char *const keys[] = {"device_name", "kind",        "unit",       "holder",
                                       "skill",       "level_required", "level_held", "state",
                                       "valid_until", "held_from",   "plan_year",  "as_of",
                                       "list"};
    const struct list *l = res;
    const struct untrained_row *rows = l->rows;

    csv_begin(q, keys, WW_ARRAY_SIZE(keys));
    for (size_t i = 0; i < l->n; i++) {
        const struct untrained_row *u = &rows[i];
        cell(q, u->device);
        cell(q, words(q, "kind.", u->kind));
        cell(q, u->unit ? u->unit : words(q, "", "report.no_unit"));
        cell(q, u->holder);
        cell(q, u->skill);
        cell_num(q, u->level_required);
        cell_num(q, u->level_held);
        cell(q, words(q, "gap.", u->state));
        cell(q, u->valid_until);
        cell(q, u->held_from);
        cell_num(q, u->plan_year ? u->plan_year : -1);
        cell(q, u->as_of);
        cell(q, u->before ? words(q, "", "csv.list_plan") : words(q, "", "csv.list_now"));
        row_end(q);
    }
}

static void untrained_release(void *res)
{
    struct list *l = res;
    struct untrained_row *rows = l->rows;

    for (size_t i = 0; i < l->n; i++) {
        free(rows[i].device);
        free(rows[i].holder);
        free(rows[i].unit);
        free(rows[i].skill);
    }
    free(rows);
    l->rows = NULL;
    l->n = 0;
}

/* ---- one driver for all ------------------------------------------------------------------ */

/* a report: what inventory computes (under db_lock), its JSON and CSV, its release */
struct report_def {
    const char *file; /* the CSV's name before the day */
    bool rules;       /* judged with the readiness and age rules */
    bool plan;        /* reads the replacement plan's years (rq.plan), before the lock */
    int (*fetch)(struct dash_req *req, const struct rq *q, void *res);
    void (*json)(const struct rq *q, const void *res, json_t *frame);
    void (*csv)(struct rq *q, const void *res);
    void (*release)(void *res);
};

/* room for any report's result: each fetch fills its own member */
union result {
    struct inv_report_age age;
    struct inv_report_warranty warranty;
    struct inv_report_dep dep;
    struct list list;
};

static void serve(struct dash_req *req, struct dash_reply *out, const struct report_def *def,
                  bool csv)
{
    struct inv_report_unit *units = NULL;
    union result res;
    size_t nunits = 0;
    struct rq q;
    int ret;

    memset(&res, 0, sizeof(res));
    if (def->rules && !req->srv->rules) {
        dash_reply_error(out, MHD_HTTP_SERVICE_UNAVAILABLE, "rules_missing", NULL);
        return;
    }
    if (!rq_init(req, out, &q))
        return;
    /* the plan takes its own locks: read before this one's */
    if (def->plan) {
        if (dash_plan_replacements(req, out, &q.plan, &q.nplan) < 0)
            return;
        if (q.nplan)
            qsort(q.plan, q.nplan, sizeof(*q.plan), cmp_plan_year);
    }
    dash_lock(req);
    ret = def->fetch(req, &q, &res);
    if (ret == 0 && !csv)
        ret = inv_report_units(req->srv->db, &units, &nunits);
    dash_unlock(req);
    if (ret == -EINVAL) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", NULL);
    } else if (ret < 0) {
        dash_reply_db_failed(out);
    } else if (csv) {
        char file[64];
        def->csv(&q, &res);
        snprintf(file, sizeof(file), "%s-%s.csv", def->file, q.today);
        dash_reply_csv(out, &q.b, file);
    } else {
        json_t *o = frame(&q, units, nunits);
        def->json(&q, &res, o);
        dash_reply_json(out, MHD_HTTP_OK, o);
    }
    def->release(&res);
    inv_report_units_free(units, nunits);
    free(q.plan);
}

static const struct report_def age = {
    .file = "age",
    .rules = true,
    .fetch = age_fetch,
    .json = age_json,
    .csv = age_csv,
    .release = age_release,
};
static const struct report_def win11 = {
    .file = "win11",
    .rules = true,
    .fetch = win11_fetch,
    .json = win11_json,
    .csv = win11_csv,
    .release = win11_release,
};
static const struct report_def warranty = {
    .file = "warranty",
    .rules = false,
    .fetch = warranty_fetch,
    .json = warranty_json,
    .csv = warranty_csv,
    .release = warranty_release,
};
static const struct report_def depreciation = {
    .file = "depreciation",
    .rules = true,
    .fetch = dep_fetch,
    .json = dep_json,
    .csv = dep_csv,
    .release = dep_release,
};
static const struct report_def unseen = {
    .file = "not-seen",
    .rules = false,
    .fetch = unseen_fetch,
    .json = unseen_json,
    .csv = unseen_csv,
    .release = unseen_release,
};
static const struct report_def assignments = {
    .file = "assignments",
    .rules = false,
    .fetch = assign_fetch,
    .json = assign_json,
    .csv = assign_csv,
    .release = assign_release,
};

static const struct report_def untrained = {
    .file = "untrained",
    .rules = false,
    .plan = true,
    .fetch = untrained_fetch,
    .json = untrained_json,
    .csv = untrained_csv,
    .release = untrained_release,
};

/* each report's two routes: JSON and CSV */
#define REPORT_HANDLERS(def)                                                                       \
    static void def##_json_route(struct dash_req *req, struct dash_reply *out)                     \
    {                                                                                              \
        serve(req, out, &def, false);                                                              \
    }                                                                                              \
    static void def##_csv_route(struct dash_req *req, struct dash_reply *out)                      \
    {                                                                                              \
        serve(req, out, &def, true);                                                               \
    }
REPORT_HANDLERS(age)
REPORT_HANDLERS(win11)
REPORT_HANDLERS(warranty)
REPORT_HANDLERS(depreciation)
REPORT_HANDLERS(unseen)
REPORT_HANDLERS(assignments)
REPORT_HANDLERS(untrained)

const struct dash_route dash_report_routes[] = {
    {"/api/v1/reports/age", DASH_GET, age_json_route, "reports.read"},
    {"/api/v1/reports/age.csv", DASH_GET, age_csv_route, "reports.read"},
    {"/api/v1/reports/win11", DASH_GET, win11_json_route, "reports.read"},
    {"/api/v1/reports/win11.csv", DASH_GET, win11_csv_route, "reports.read"},
    {"/api/v1/reports/warranty", DASH_GET, warranty_json_route, "reports.read"},
    {"/api/v1/reports/warranty.csv", DASH_GET, warranty_csv_route, "reports.read"},
    {"/api/v1/reports/depreciation", DASH_GET, depreciation_json_route, "reports.read"},
    {"/api/v1/reports/depreciation.csv", DASH_GET, depreciation_csv_route, "reports.read"},
    {"/api/v1/reports/not-seen", DASH_GET, unseen_json_route, "reports.read"},
    {"/api/v1/reports/not-seen.csv", DASH_GET, unseen_csv_route, "reports.read"},
    {"/api/v1/reports/assignments", DASH_GET, assignments_json_route, "assignment.read"},
    {"/api/v1/reports/assignments.csv", DASH_GET, assignments_csv_route, "assignment.read"},
    {"/api/v1/reports/untrained", DASH_GET, untrained_json_route, "assignment.read"},
    {"/api/v1/reports/untrained.csv", DASH_GET, untrained_csv_route, "assignment.read"},
};
const size_t dash_report_nroutes = WW_ARRAY_SIZE(dash_report_routes);

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * report.c - the manager's reports (issue 16 item 8): age bands, the PCs not ready for
 * Windows 11, warranties ending, depreciation, devices not seen, the assignment register.
 *
 * DESIGN: each report is one query of the register (device + its unit + its status), plus
 * one of the facts for Windows 11 and none per device, so a province's 100,000 devices cost
 * the same number of round trips as a ward's twenty. Age and value are inv_age_eval()'s,
 * Windows 11 is inv_readiness_eval()'s: this file groups and sorts, it judges nothing. Rows
 * are sorted in C by ww_name_key (unit, then device name): SQL's ORDER BY would sort
 * "Đ" and composed letters by their bytes only after folding nothing.
 */
#include "inventory/inventory_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

const char *const inv_age_bands[INV_AGE_BANDS] = {"lt3",  "3_5", "5_7",    "7_9",
                                                  "9_11", "11p", "unknown"};

size_t inv_age_band(long long age_months)
{
    static const long long lower_years[] = {3, 5, 7, 9, 11}; /* each the start of the next */
    size_t b = 0;

    if (age_months < 0)
        return INV_AGE_BANDS - 1;
    while (b < WW_ARRAY_SIZE(lower_years) && age_months >= lower_years[b] * 12)
        b++;
    return b;
}

/* ---- reading the register ------------------------------------------------------------------ */

/* the columns of struct inv_report_device, in this order; a report's own columns follow */
#define DEV_COLS 17
#define DEV_SELECT                                                                                 \
    "SELECT d.id, d.name, d.kind, d.asset_tag, d.serial, d.vendor, d.model,"                       \
    " coalesce(d.unit_id, 0), u.name, d.status, d.assigned_to, d.purchase_date,"                   \
    " d.in_service_date, d.warranty_end, coalesce(d.cost_vnd, -1),"                                \
    " coalesce(d.lifespan_years, 0), coalesce(s.last_ok, 0)"
#define DEV_FROM                                                                                   \
    " FROM device d LEFT JOIN org_unit u ON u.id = d.unit_id"                                      \
    " LEFT JOIN device_status s ON s.device_id = d.id"
/* ?1 unit (0 all, -1 none), ?2 kind (NULL all) */
#define DEV_FILTER " WHERE (?1 = 0 OR coalesce(d.unit_id, -1) = ?1) AND (?2 IS NULL OR d.kind = ?2)"
#define NOT_DISPOSED " AND d.status <> 'disposed'"

static const char *kind_static(const char *kind)
{
    for (size_t i = 0; inv_device_kinds[i]; i++)
        if (kind && strcmp(kind, inv_device_kinds[i]) == 0)
            return inv_device_kinds[i];
    return "other";
}

/* the sort key: the unit's name key (0xff, after any UTF-8, for no unit), 0x01, the
 * device's; 0x01 sorts before any character, so "Máy" comes before "Máy 2" */
static char *sort_key(const char *unit_name, const char *name)
{
    char *uk = unit_name ? ww_name_key(unit_name) : ww_strdup("\xff");
    char *nk = ww_name_key(name ? name : "");
    char *k = ww_asprintf("%s\x01%s", uk, nk);

    free(uk);
    free(nk);
    return k;
}

static void device_from_row(sqlite3_stmt *st, struct inv_report_device *d)
{
    char *kind = ww_db_text(st, 2);

    d->id = sqlite3_column_int64(st, 0);
    d->name = ww_db_text(st, 1);
    d->kind = kind_static(kind);
    free(kind);
    d->asset_tag = ww_db_text(st, 3);
    d->serial = ww_db_text(st, 4);
    d->vendor = ww_db_text(st, 5);
    d->model = ww_db_text(st, 6);
    d->unit_id = sqlite3_column_int64(st, 7);
    d->unit_name = ww_db_text(st, 8);
    d->status = ww_db_text(st, 9);
    d->assigned_to = ww_db_text(st, 10);
    d->purchase_date = ww_db_text(st, 11);
    d->in_service_date = ww_db_text(st, 12);
    d->warranty_end = ww_db_text(st, 13);
    d->cost_vnd = sqlite3_column_int64(st, 14);
    d->lifespan_years = sqlite3_column_int64(st, 15);
    d->last_ok = sqlite3_column_int64(st, 16);
    d->sort_key = sort_key(d->unit_name, d->name);
}

static void device_release(struct inv_report_device *d)
{
    free(d->name);
    free(d->asset_tag);
    free(d->serial);
    free(d->vendor);
    free(d->model);
    free(d->unit_name);
    free(d->status);
    free(d->assigned_to);
    free(d->purchase_date);
    free(d->in_service_date);
    free(d->warranty_end);
    free(d->sort_key);
    memset(d, 0, sizeof(*d));
}

/* rows_free() - @n items of @size bytes, each starting with a struct inv_report_device, and
 * their own fields (@release, may be NULL); then the array */
static void rows_free(void *items, size_t n, size_t size, void (*release)(void *item))
{
    for (size_t i = 0; i < n; i++) {
        device_release((struct inv_report_device *)(void *)((char *)items + i * size));
        if (release)
            release((char *)items + i * size);
    }
    free(items);
}

/*
 * read_rows() - every row @sql selects with the filter bound (?1 unit, ?2 kind, then @bind's
 * own), each into an item of @size bytes that starts with a struct inv_report_device, the
 * report's columns (from DEV_COLS on) read by @extra (may be NULL), sorted by @cmp. A heap
 * array; 0 or -EIO (nothing kept). @release frees an item's own fields (after the device's).
 */
struct reader {
    size_t size;
    void (*bind)(sqlite3_stmt *st, const void *arg);
    const void *arg;
    void (*extra)(sqlite3_stmt *st, void *item);
    void (*release)(void *item);
    int (*cmp)(const void *a, const void *b); /* the rows' order; NULL = the query's */
};

static int read_rows(struct ww_db *db, const char *sql, const struct inv_report_filter *f,
                     const struct reader *r, void **out_items, size_t *out_n)
{
    sqlite3_stmt *st = ww_db_prepare(db, sql);
    char *items = NULL;
    size_t n = 0, cap = 0;
    int rc;

    *out_items = NULL;
    *out_n = 0;
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, f->unit_id);
    inv_bind_typed(st, 2, f->kind);
    if (r->bind)
        r->bind(st, r->arg);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            items = ww_reallocarray(items, cap, r->size);
        }
        memset(items + n * r->size, 0, r->size);
        device_from_row(st, (struct inv_report_device *)(void *)(items + n * r->size));
        if (r->extra)
            r->extra(st, items + n * r->size);
        n++;
    }
    if (rc != SQLITE_DONE) {
        ww_error(-EIO, "inventory: report: %s", sqlite3_errmsg(db->sql));
        rows_free(items, n, r->size, r->release);
        items = NULL;
        n = 0;
    }
    sqlite3_finalize(st);
    if (r->cmp && n > 1)
        qsort(items, n, r->size, r->cmp);
    *out_items = items;
    *out_n = n;
    return rc == SQLITE_DONE ? 0 : -EIO;
}

/* by unit, then name (the sort key), then id: the order of every device list */
static int cmp_device(const void *a, const void *b)
{
    const struct inv_report_device *x = a, *y = b;
    int c = strcmp(x->sort_key, y->sort_key);
    return c ? c : (x->id > y->id) - (x->id < y->id);
}

/* the unit part of two sort keys, then the unit id (two units of one name stay apart) */
static int cmp_unit(const struct inv_report_device *x, const struct inv_report_device *y)
{
    size_t lx = strcspn(x->sort_key, "\x01"), ly = strcspn(y->sort_key, "\x01");
    int c = memcmp(x->sort_key, y->sort_key, lx < ly ? lx : ly);
    if (c == 0)
        c = (lx > ly) - (lx < ly);
    return c ? c : (x->unit_id > y->unit_id) - (x->unit_id < y->unit_id);
}

static size_t kind_index(const char *kind)
{
    size_t i = 0;
    while (inv_device_kinds[i] && inv_device_kinds[i] != kind)
        i++;
    return i;
}

/* by unit, then kind in the UI's order, then name: groups are runs of this order */
static int cmp_unit_kind(const void *a, const void *b)
{
    const struct inv_report_device *x = a, *y = b;
    int c = cmp_unit(x, y);
    size_t kx = kind_index(x->kind), ky = kind_index(y->kind);
    if (c)
        return c;
    if (kx != ky)
        return kx < ky ? -1 : 1;
    return cmp_device(a, b);
}

static bool day_ok(const char *day)
{
    int key;
    return day && strlen(day) == 10 && ww_office_day_key(day, &key) == 0;
}

static struct inv_age_input age_input(const struct inv_report_device *d)
{
    return (struct inv_age_input){.kind = d->kind,
                                  .in_service_date = d->in_service_date,
                                  .purchase_date = d->purchase_date,
                                  .lifespan_years = d->lifespan_years,
                                  .cost_vnd = d->cost_vnd};
}

/* ---- units ----------------------------------------------------------------------------------- */

static int cmp_unit_row(const void *a, const void *b)
{
    const struct inv_report_unit *x = a, *y = b;
    char *kx = ww_name_key(x->name), *ky = ww_name_key(y->name);
    int c = strcmp(kx, ky);

    free(kx);
    free(ky);
    return c ? c : (x->id > y->id) - (x->id < y->id);
}

int inv_report_units(struct ww_db *db, struct inv_report_unit **out_items, size_t *out_n)
{
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT id, coalesce(parent_id, 0), name FROM org_unit");
    struct inv_report_unit *items = NULL;
    size_t n = 0, cap = 0;
    int rc;

    *out_items = NULL;
    *out_n = 0;
    if (!st)
        return -EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            items = ww_reallocarray(items, cap, sizeof(*items));
        }
        items[n].id = sqlite3_column_int64(st, 0);
        items[n].parent_id = sqlite3_column_int64(st, 1);
        items[n].name = ww_db_text(st, 2);
        n++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        inv_report_units_free(items, n);
        return ww_error(-EIO, "inventory: report units: %s", sqlite3_errmsg(db->sql));
    }
    if (n > 1)
        qsort(items, n, sizeof(*items), cmp_unit_row);
    *out_items = items;
    *out_n = n;
    return 0;
}

void inv_report_units_free(struct inv_report_unit *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(items[i].name);
    free(items);
}

/* ---- age bands --------------------------------------------------------------------------------
 */

static const struct reader plain_device = {.size = sizeof(struct inv_report_device)};

static void devices_free(struct inv_report_device *d, size_t n)
{
    rows_free(d, n, sizeof(*d), NULL);
}

/* a group row's unit and kind from its first device; the key orders the groups */
static void group_from(const struct inv_report_device *d, long long *out_unit_id,
                       char **out_unit_name, const char **out_kind, char **out_key)
{
    *out_unit_id = d->unit_id;
    *out_unit_name = d->unit_name ? ww_strdup(d->unit_name) : NULL;
    *out_kind = d->kind;
    *out_key = ww_strdup(d->sort_key);
}

int inv_report_age(struct ww_db *db, const struct inv_rules *rules,
                   const struct inv_report_filter *f, struct inv_report_age *out)
{
    struct inv_report_device *devs = NULL;
    size_t n = 0;
    int ret;

    memset(out, 0, sizeof(*out));
    if (!day_ok(f->today))
        return -EINVAL;
    ret = read_rows(db, DEV_SELECT DEV_FROM DEV_FILTER NOT_DISPOSED, f, &plain_device,
                    (void **)&devs, &n);
    if (ret < 0)
        return ret;
    if (n > 1)
        qsort(devs, n, sizeof(*devs), cmp_unit_kind);
    out->rows = n ? ww_calloc(n, sizeof(*out->rows)) : NULL;
    for (size_t i = 0; i < n; i++) {
        struct inv_age_input in = age_input(&devs[i]);
        struct inv_report_age_row *g;
        struct inv_age a;
        size_t b;

        if (i == 0 || cmp_unit(&devs[i - 1], &devs[i]) != 0 || devs[i - 1].kind != devs[i].kind) {
            g = &out->rows[out->n++];
            group_from(&devs[i], &g->unit_id, &g->unit_name, &g->kind, &g->sort_key);
        }
        g = &out->rows[out->n - 1];
        inv_age_eval(rules, &in, f->today, &a); /* a malformed date: age unknown */
        b = inv_age_band(a.since ? a.age_months : -1);
        g->count[b]++;
        out->total.count[b]++;
        if (devs[i].cost_vnd >= 0) {
            g->cost_vnd[b] += devs[i].cost_vnd;
            out->total.cost_vnd[b] += devs[i].cost_vnd;
        }
    }
    devices_free(devs, n);
    return 0;
}

void inv_report_age_release(struct inv_report_age *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->rows[i].unit_name);
        free(r->rows[i].sort_key);
    }
    free(r->rows);
    memset(r, 0, sizeof(*r));
}

/* ---- Windows 11 ---------------------------------------------------------------------------------
 */

static void win11_release(void *item)
{
    struct inv_report_win11_row *w = item;
    free(w->os);
    free(w->cpu_model);
    w->os = w->cpu_model = NULL;
}

static int cmp_id(const void *key, const void *item)
{
    long long id = *(const long long *)key;
    const struct inv_report_device *d = item;
    return (id > d->id) - (id < d->id);
}

#define PCS_WHERE DEV_FILTER NOT_DISPOSED " AND d.kind = 'pc'"

int inv_report_win11(struct ww_db *db, const struct inv_rules *rules,
                     const struct inv_report_filter *f, struct inv_report_win11_row **out_items,
                     size_t *out_n)
{
    static const struct reader rd = {.size = sizeof(struct inv_report_win11_row),
                                     .release = win11_release};
    struct inv_report_filter pcs = *f;
    struct inv_report_win11_row *rows = NULL;
    struct inv_ready_input *in = NULL;
    sqlite3_stmt *st = NULL;
    size_t n = 0, kept = 0;
    int ret, rc;

    *out_items = NULL;
    *out_n = 0;
    if (!day_ok(f->today))
        return -EINVAL;
    pcs.kind = NULL; /* the SQL asks for PCs */
    ret = read_rows(db, DEV_SELECT DEV_FROM PCS_WHERE " ORDER BY d.id", &pcs, &rd, (void **)&rows,
                    &n);
    if (ret < 0 || n == 0)
        return ret;
    in = ww_calloc(n, sizeof(*in));
    for (size_t i = 0; i < n; i++)
        in[i] = (struct inv_ready_input){
            .cpu_count = -1, .ram_bytes = -1, .disk_max_bytes = -1, .disk_total_bytes = -1};
    /* every fact readiness reads, of every PC of the report, in one query */
    st = ww_db_prepare(db, "SELECT f.device_id, f.name, f.value FROM device_fact f"
                           " JOIN device d ON d.id = f.device_id" PCS_WHERE
                           " AND f.name IN ('os', 'cpu_model', 'cpu_count', 'ram_bytes', 'disks')");
    if (!st) {
        ret = -EIO;
        goto out;
    }
    sqlite3_bind_int64(st, 1, f->unit_id);
    sqlite3_bind_null(st, 2);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);
        const char *name = (const char *)sqlite3_column_text(st, 1);
        struct inv_report_win11_row *w = bsearch(&id, rows, n, sizeof(*rows), cmp_id);
        size_t i;

        if (!w || !name)
            continue;
        i = (size_t)(w - rows);
        if (strcmp(name, "os") == 0 && !w->os) {
            w->os = ww_db_text(st, 2);
        } else if (strcmp(name, "cpu_model") == 0 && !w->cpu_model) {
            w->cpu_model = ww_db_text(st, 2);
        } else {
            inv_ready_fact_put(&in[i], name, (const char *)sqlite3_column_text(st, 2));
        }
    }
    if (rc != SQLITE_DONE) {
        ret = ww_error(-EIO, "inventory: report win11 facts: %s", sqlite3_errmsg(db->sql));
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        struct inv_readiness r;

        in[i].os = rows[i].os;
        in[i].cpu_model = rows[i].cpu_model;
        rows[i].ram_bytes = in[i].ram_bytes;
        if (inv_readiness_eval(rules, &in[i], f->today, &r) < 0 ||
            (strcmp(r.win11.verdict, "not_ready") != 0 &&
             strcmp(r.win11.verdict, "unknown") != 0)) {
            device_release(&rows[i].dev);
            win11_release(&rows[i]);
            continue;
        }
        rows[i].verdict = r.win11.verdict;
        rows[i].reasons = r.win11.reasons;
        rows[i].unmeasured = r.win11.unmeasured;
        if (kept != i)
            rows[kept] = rows[i];
        kept++;
    }
    if (kept > 1)
        qsort(rows, kept, sizeof(*rows), cmp_device);
    *out_items = kept ? rows : NULL;
    *out_n = kept;
    if (!kept)
        free(rows);
    rows = NULL;
    n = 0;
    ret = 0;
out:
    sqlite3_finalize(st);
    free(in);
    inv_report_win11_free(rows, n);
    return ret;
}

void inv_report_win11_free(struct inv_report_win11_row *items, size_t n)
{
    rows_free(items, n, sizeof(*items), win11_release);
}

/* ---- warranty -----------------------------------------------------------------------------------
 */

static void today_bind(sqlite3_stmt *st, const void *arg)
{
    sqlite3_bind_text(st, 3, arg, -1, SQLITE_TRANSIENT);
}

static void warranty_extra(sqlite3_stmt *st, void *item)
{
    struct inv_report_warranty_row *w = item;
    static const int within[] = {30, 60, 90, INV_WARRANTY_WITHIN_MAX};

    w->days_left = sqlite3_column_int64(st, DEV_COLS);
    w->within = 0;
    for (size_t i = 0; w->days_left >= 0 && i < WW_ARRAY_SIZE(within) && !w->within; i++)
        if (w->days_left <= within[i])
            w->within = within[i];
}

static int cmp_days_left(const void *a, const void *b)
{
    const struct inv_report_warranty_row *x = a, *y = b;
    return x->days_left != y->days_left
               ? (x->days_left > y->days_left) - (x->days_left < y->days_left)
               : cmp_device(a, b);
}

static int cmp_days_ended(const void *a, const void *b)
{
    return cmp_days_left(b, a);
}

int inv_report_warranty(struct ww_db *db, const struct inv_report_filter *f,
                        struct inv_report_warranty *out)
{
    const struct reader rd = {.size = sizeof(struct inv_report_warranty_row),
                              .bind = today_bind,
                              .arg = f->today,
                              .extra = warranty_extra};
    struct inv_report_warranty_row *rows = NULL;
    size_t n = 0;
    int ret;

    memset(out, 0, sizeof(*out));
    if (!day_ok(f->today))
        return -EINVAL;
    /* the check let only real days in (inv_check_date), so julianday() never sees text */
    ret = read_rows(
        db,
        DEV_SELECT
        ", CAST(round(julianday(d.warranty_end) - julianday(?3)) AS INTEGER)" DEV_FROM DEV_FILTER
            NOT_DISPOSED " AND d.warranty_end IS NOT NULL"
        " AND julianday(d.warranty_end) IS NOT NULL"
        " AND julianday(d.warranty_end) - julianday(?3) <= 365",
        f, &rd, (void **)&rows, &n);
    if (ret < 0)
        return ret;
    for (size_t i = 0; i < n; i++) {
        if (rows[i].days_left < 0)
            out->n_ended++;
        else
            out->n_ending++;
    }
    out->ended = out->n_ended ? ww_calloc(out->n_ended, sizeof(*rows)) : NULL;
    out->ending = out->n_ending ? ww_calloc(out->n_ending, sizeof(*rows)) : NULL;
    out->n_ended = out->n_ending = 0;
    for (size_t i = 0; i < n; i++) {
        if (rows[i].days_left < 0)
            out->ended[out->n_ended++] = rows[i];
        else
            out->ending[out->n_ending++] = rows[i];
    }
    free(rows); /* the fields moved */
    if (out->n_ending > 1)
        qsort(out->ending, out->n_ending, sizeof(*rows), cmp_days_left);
    if (out->n_ended > 1)
        qsort(out->ended, out->n_ended, sizeof(*rows), cmp_days_ended);
    return 0;
}

void inv_report_warranty_release(struct inv_report_warranty *r)
{
    for (size_t i = 0; i < r->n_ending; i++)
        device_release(&r->ending[i].dev);
    for (size_t i = 0; i < r->n_ended; i++)
        device_release(&r->ended[i].dev);
    free(r->ending);
    free(r->ended);
    memset(r, 0, sizeof(*r));
}

/* ---- depreciation -------------------------------------------------------------------------------
 */

static void dep_add(struct inv_report_dep_sum *s, const struct inv_report_dep_row *r)
{
    s->count++;
    /* a sum of values is only a value when each is known: a device without a cost (or
     * date) is counted but adds nothing; "priced" says how many did */
    if (r->dev.cost_vnd < 0 || r->age.residual_vnd < 0)
        return;
    s->priced++;
    s->cost_vnd += r->dev.cost_vnd;
    s->per_year_vnd += r->age.depreciation_vnd_per_year;
    s->residual_vnd += r->age.residual_vnd;
}

int inv_report_depreciation(struct ww_db *db, const struct inv_rules *rules,
                            const struct inv_report_filter *f, struct inv_report_dep *out)
{
    static const struct reader rd = {.size = sizeof(struct inv_report_dep_row)};
    int ret;

    memset(out, 0, sizeof(*out));
    if (!day_ok(f->today))
        return -EINVAL;
    ret = read_rows(db, DEV_SELECT DEV_FROM DEV_FILTER NOT_DISPOSED, f, &rd, (void **)&out->rows,
                    &out->n);
    if (ret < 0)
        return ret;
    /* grouped by unit and kind, so each sum is a run; the rows stay in that order */
    if (out->n > 1)
        qsort(out->rows, out->n, sizeof(*out->rows), cmp_unit_kind);
    out->sums = out->n ? ww_calloc(out->n, sizeof(*out->sums)) : NULL;
    for (size_t i = 0; i < out->n; i++) {
        struct inv_report_dep_row *r = &out->rows[i];
        struct inv_age_input in = age_input(&r->dev);
        struct inv_report_dep_sum *s;

        inv_age_eval(rules, &in, f->today, &r->age);
        if (i == 0 || cmp_unit(&out->rows[i - 1].dev, &r->dev) != 0 ||
            out->rows[i - 1].dev.kind != r->dev.kind) {
            s = &out->sums[out->nsums++];
            group_from(&r->dev, &s->unit_id, &s->unit_name, &s->kind, &s->sort_key);
        }
        dep_add(&out->sums[out->nsums - 1], r);
        dep_add(&out->total, r);
    }
    return 0;
}

void inv_report_dep_release(struct inv_report_dep *r)
{
    for (size_t i = 0; i < r->n; i++)
        device_release(&r->rows[i].dev);
    for (size_t i = 0; i < r->nsums; i++) {
        free(r->sums[i].unit_name);
        free(r->sums[i].sort_key);
    }
    free(r->rows);
    free(r->sums);
    memset(r, 0, sizeof(*r));
}

/* ---- not seen ---------------------------------------------------------------------------------
 */

struct unseen_arg {
    long long before, now;
};

static void unseen_bind(sqlite3_stmt *st, const void *arg)
{
    const struct unseen_arg *a = arg;
    sqlite3_bind_int64(st, 3, a->before);
    sqlite3_bind_int64(st, 4, a->now);
}

static void unseen_extra(sqlite3_stmt *st, void *item)
{
    struct inv_report_unseen_row *u = item;
    u->days =
        sqlite3_column_type(st, DEV_COLS) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, DEV_COLS);
}

static int cmp_unseen(const void *a, const void *b)
{
    const struct inv_report_unseen_row *x = a, *y = b;

    if ((x->days < 0) != (y->days < 0)) /* never answered: first */
        return x->days < 0 ? -1 : 1;
    if (x->days != y->days) /* then the longest silence */
        return x->days > y->days ? -1 : 1;
    return cmp_device(a, b);
}

int inv_report_unseen(struct ww_db *db, const struct inv_report_filter *f, long long days,
                      struct inv_report_unseen_row **out_items, size_t *out_n)
{
    struct unseen_arg arg = {.before = (long long)f->now - days * 86400, .now = f->now};
    const struct reader rd = {.size = sizeof(struct inv_report_unseen_row),
                              .bind = unseen_bind,
                              .arg = &arg,
                              .extra = unseen_extra,
                              .cmp = cmp_unseen};

    *out_items = NULL;
    *out_n = 0;
    if (days < 1 || days > INV_UNSEEN_DAYS_MAX)
        return -EINVAL;
    return read_rows(
        db,
        DEV_SELECT ", CASE WHEN s.last_ok > 0 THEN (?4 - s.last_ok) / 86400 END" DEV_FROM DEV_FILTER
            NOT_DISPOSED " AND (s.last_ok IS NULL OR s.last_ok <= 0 OR s.last_ok < ?3)",
        f, &rd, (void **)out_items, out_n);
}

void inv_report_unseen_free(struct inv_report_unseen_row *items, size_t n)
{
    rows_free(items, n, sizeof(*items), NULL);
}

/* ---- the assignment register --------------------------------------------------------------------
 */

static void assign_extra(sqlite3_stmt *st, void *item)
{
    struct inv_report_assign_row *a = item;
    a->assignment_id = sqlite3_column_int64(st, DEV_COLS);
    a->assigned_to = ww_db_text(st, DEV_COLS + 1);
    a->from_day = ww_db_text(st, DEV_COLS + 2);
    a->to_day = ww_db_text(st, DEV_COLS + 3);
    a->actor = ww_db_text(st, DEV_COLS + 4);
}

static void assign_release(void *item)
{
    struct inv_report_assign_row *a = item;
    free(a->assigned_to);
    free(a->from_day);
    free(a->to_day);
    free(a->actor);
    a->assigned_to = a->from_day = a->to_day = a->actor = NULL;
}

/* a device's rows stay together and in their order: by device, then first day, then id */
static int cmp_assign(const void *a, const void *b)
{
    const struct inv_report_assign_row *x = a, *y = b;
    int c = cmp_device(a, b);
    if (c)
        return c;
    c = strcmp(x->from_day ? x->from_day : "", y->from_day ? y->from_day : "");
    return c ? c : (x->assignment_id > y->assignment_id) - (x->assignment_id < y->assignment_id);
}

int inv_report_assignments(struct ww_db *db, const struct inv_report_filter *f, bool history,
                           struct inv_report_assign_row **out_items, size_t *out_n)
{
    static const struct reader rd = {.size = sizeof(struct inv_report_assign_row),
                                     .extra = assign_extra,
                                     .release = assign_release,
                                     .cmp = cmp_assign};

    /* now: the device's own assigned_to is who holds it; the open history row says since
     * when (the newest, were there ever two) */
    return history ? read_rows(db,
                               DEV_SELECT
                               ", a.id, a.assigned_to, a.from_day, a.to_day, a.actor" DEV_FROM
                               " JOIN device_assignment a ON a.device_id = d.id" DEV_FILTER,
                               f, &rd, (void **)out_items, out_n)
                   : read_rows(
                         db,
                         DEV_SELECT
                         ", coalesce(a.id, 0), d.assigned_to, a.from_day,"
                         " NULL, a.actor" DEV_FROM
                         " LEFT JOIN device_assignment a ON a.id = (SELECT max(id) FROM"
                         " device_assignment WHERE device_id = d.id AND to_day IS NULL)" DEV_FILTER
                             NOT_DISPOSED " AND d.assigned_to IS NOT NULL AND d.assigned_to <> ''",
                         f, &rd, (void **)out_items, out_n);
}

void inv_report_assign_free(struct inv_report_assign_row *items, size_t n)
{
    rows_free(items, n, sizeof(*items), assign_release);
}

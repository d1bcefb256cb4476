/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * plan.c - the multi-year replacement plan (issue 16 item 7): a pure function from scored
 * devices, links, prices, budgets, decisions and unit mergers to items per unit and year
 * (inv_plan_build, its rule stated in inventory.h); the loader that reads its inputs with a
 * fixed number of statements; the audited changes of prices, budgets, decisions and saved
 * versions; what changed since a saved version.
 *
 * DESIGN: the build sorts the candidates once by score, then walks the years: pinned items
 * of the year first, then every unplaced candidate wanted by then, each put in the cell
 * (unit, year) of the unit it belongs to that year (a merger's target from the merger's
 * year). Cells are one sorted array found by binary search: years x items steps, no
 * allocation per step.
 */
#include "inventory/inventory_int.h"

#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/banned.h"

#define MERGE_DEPTH_MAX 32
#define YEAR_MIN 2000
#define YEAR_MAX 2200

const char *const inv_plan_upgrade_items[] = {"ram_upgrade", "disk_upgrade", "link_upgrade",
                                              NULL};

/* @p made to hold @need elements of @size (doubling); the (maybe moved) array */
static void *grow(void *p, size_t size, size_t *cap, size_t need)
{
    if (need <= *cap)
        return p;
    *cap = *cap ? 2 * *cap : 64;
    if (*cap < need)
        *cap = need;
    return ww_reallocarray(p, *cap, size);
}

long long inv_plan_price_of(const struct inv_plan_price *prices, size_t n, const char *item)
{
    for (size_t i = 0; item && i < n; i++)
        if (strcmp(prices[i].item, item) == 0)
            return prices[i].price_vnd;
    return -1;
}

/* ---- the build ------------------------------------------------------------------------- */

struct build {
    const struct inv_plan_input *in;
    const struct inv_plan_unit **units; /* by id */
    size_t nunits;
    struct inv_plan_cell *cells;        /* by unit id, year */
    size_t ncells;
};

static int cmp_unit_ptr(const void *a, const void *b)
{
    const struct inv_plan_unit *x = *(const struct inv_plan_unit *const *)a;
    const struct inv_plan_unit *y = *(const struct inv_plan_unit *const *)b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static const struct inv_plan_unit *unit_find(const struct build *b, long long id)
{
    struct inv_plan_unit key = {.id = id};
    const struct inv_plan_unit *kp = &key, **hit;

    if (!b->nunits)
        return NULL;
    hit = bsearch(&kp, b->units, b->nunits, sizeof(*b->units), cmp_unit_ptr);
    return hit ? *hit : NULL;
}

/* the unit @id's items belong to in @year: its merger's target from the merger's year on */
static long long unit_at(const struct build *b, long long id, int year)
{
    for (int depth = 0; depth < MERGE_DEPTH_MAX; depth++) {
        const struct inv_plan_unit *u = unit_find(b, id);
        if (!u || !u->merged_into || !u->merged_year || u->merged_year > year)
            return id;
        id = u->merged_into;
    }
    return id;
}

static int cmp_cell(const void *a, const void *b)
{
    const struct inv_plan_cell *x = a, *y = b;
    if (x->unit_id != y->unit_id)
        return x->unit_id < y->unit_id ? -1 : 1;
    return (x->year > y->year) - (x->year < y->year);
}

static struct inv_plan_cell *cell_find(const struct build *b, long long unit_id, int year)
{
    struct inv_plan_cell key = {.unit_id = unit_id, .year = year};
    return b->ncells ? bsearch(&key, b->cells, b->ncells, sizeof(key), cmp_cell) : NULL;
}

/* a cell for every unit live in each year (and "no unit", id 0), budgets added to the unit
 * that holds them that year */
static void make_cells(struct build *b)
{
    const struct inv_plan_input *in = b->in;
    size_t cap = (b->nunits + 1) * (size_t)in->horizon;

    b->cells = ww_reallocarray(NULL, cap, sizeof(*b->cells));
    for (int y = in->first_year; y < in->first_year + in->horizon; y++) {
        b->cells[b->ncells++] = (struct inv_plan_cell){.unit_id = 0, .year = y};
        for (size_t i = 0; i < b->nunits; i++)
            if (unit_at(b, b->units[i]->id, y) == b->units[i]->id)
                b->cells[b->ncells++] = (struct inv_plan_cell){.unit_id = b->units[i]->id,
                                                               .year = y};
    }
    qsort(b->cells, b->ncells, sizeof(*b->cells), cmp_cell);
    for (size_t i = 0; i < in->nbudgets; i++) {
        const struct inv_plan_budget *bu = &in->budgets[i];
        struct inv_plan_cell *c = cell_find(b, unit_at(b, bu->unit_id, bu->year), bu->year);
        if (c && bu->amount_vnd > 0)
            c->budget_vnd += bu->amount_vnd;
    }
}

static const struct inv_plan_decision *decision_of(const struct inv_plan_input *in,
                                                   long long device_id)
{
    for (size_t i = 0; i < in->ndecisions; i++)
        if (in->decisions[i].device_id == device_id)
            return &in->decisions[i];
    return NULL;
}

static bool planned_status(const char *status)
{
    return !status || (strcmp(status, "in_stock") != 0 && strcmp(status, "to_dispose") != 0 &&
                       strcmp(status, "disposed") != 0);
}

/* the health term that is the device's bottleneck, when memory or the disk and not the CPU */
static const char *bottleneck(const struct inv_score *s)
{
    long long best = 0;
    const char *code = NULL;

    for (size_t i = 0; i < s->n; i++) {
        const struct inv_score_term *t = &s->t[i];
        if (strcmp(t->code, "cpu_high") == 0)
            return NULL; /* a slow processor is not mended by a part */
        if ((strcmp(t->code, "mem_pressure") == 0 || strcmp(t->code, "disk_full") == 0) &&
            t->points > best) {
            best = t->points;
            code = t->code;
        }
    }
    return code;
}

/* the device's item, or false when it is not in the plan at all */
static bool device_item(const struct inv_plan_input *in, size_t idx, struct inv_plan_item *it)
{
    const struct inv_plan_device *d = &in->devices[idx];
    const long long *k = in->settings->v;
    const struct inv_plan_decision *dec = decision_of(in, d->device_id);
    int last = in->first_year + in->horizon - 1;
    const char *neck = bottleneck(&d->score);

    if (!planned_status(d->status))
        return false;
    *it = (struct inv_plan_item){.device_id = d->device_id, .unit_id = d->unit_id,
                                 .score = d->score.total, .device = idx, .link = SIZE_MAX,
                                 .state = "pending"};
    if (neck && d->remaining_months >= k[INV_PK_UPGRADE_MONTHS]) {
        bool ram = strcmp(neck, "mem_pressure") == 0;
        it->action = ram ? "upgrade_ram" : "upgrade_disk";
        it->price_vnd = inv_plan_price_of(in->prices, in->nprices,
                                          ram ? "ram_upgrade" : "disk_upgrade");
        it->wanted_year = in->first_year;
        it->why = "bottleneck";
    } else {
        it->action = "replace";
        it->price_vnd = inv_plan_price_of(in->prices, in->nprices, d->kind);
        if (d->score.total >= k[INV_PK_MIN_SCORE]) {
            it->wanted_year = in->first_year;
            it->why = "score";
        } else if (d->remaining_months >= 0) {
            long long due = in->first_year + (in->today_month - 1 + d->remaining_months) / 12;
            it->wanted_year = due > last ? last + 1 : (int)due;
            it->why = "due";
        } else {
            it->wanted_year = last + 1; /* neither due nor scoring: not wanted */
            it->why = "score";
        }
    }
    if (dec && strcmp(dec->action, "pin") == 0) {
        it->pinned = true;
        it->why = "pinned";
        it->wanted_year = dec->year < in->first_year ? in->first_year : dec->year;
        if (it->wanted_year > last) {
            it->state = "deferred";
            return true;
        }
    } else if (dec && strcmp(dec->action, "defer") == 0) {
        if (!dec->year || dec->year > last) {
            it->state = "deferred";
            return true;
        }
        if (dec->year > it->wanted_year)
            it->wanted_year = dec->year;
    }
    if (it->wanted_year > last)
        return false;
    if (it->price_vnd < 0) {
        it->price_vnd = 0;
        it->state = "no_price";
    }
    return true;
}

static int cmp_score(const void *a, const void *b)
{
    const struct inv_plan_item *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->device_id != y->device_id)
        return x->device_id < y->device_id ? -1 : 1;
    return (x->interface_id > y->interface_id) - (x->interface_id < y->interface_id);
}

/* the output order: planned items by year, unit, score; then the rest by score */
static int cmp_out(const void *a, const void *b)
{
    const struct inv_plan_item *x = a, *y = b;
    if ((x->year > 0) != (y->year > 0))
        return x->year > 0 ? -1 : 1;
    if (x->year != y->year)
        return x->year < y->year ? -1 : 1;
    if (x->year && x->unit_id != y->unit_id)
        return x->unit_id < y->unit_id ? -1 : 1;
    return cmp_score(a, b);
}

static void place(struct build *b, struct inv_plan_item *it, struct inv_plan_cell *c, int year)
{
    it->year = year;
    it->unit_id = c->unit_id;
    it->state = "planned";
    c->used_vnd += it->price_vnd;
    c->items++;
}

int inv_plan_build(const struct inv_plan_input *in, struct inv_plan *out)
{
    struct build b = {.in = in};
    struct inv_plan_item *items;
    size_t n = 0;
    int last;

    memset(out, 0, sizeof(*out));
    if (in->horizon < 1 || in->horizon > 20 || in->first_year < YEAR_MIN ||
        in->first_year > YEAR_MAX)
        return -EINVAL;
    last = in->first_year + in->horizon - 1;
    b.units = ww_reallocarray(NULL, in->nunits ? in->nunits : 1, sizeof(*b.units));
    for (size_t i = 0; i < in->nunits; i++)
        b.units[b.nunits++] = &in->units[i];
    if (b.nunits > 1)
        qsort(b.units, b.nunits, sizeof(*b.units), cmp_unit_ptr);
    make_cells(&b);

    items = ww_reallocarray(NULL, in->ndevices + in->nlinks + 1, sizeof(*items));
    for (size_t i = 0; i < in->ndevices; i++)
        if (device_item(in, i, &items[n]))
            n++;
    for (size_t i = 0; i < in->nlinks; i++) {
        const struct inv_plan_link *l = &in->links[i];
        long long price = inv_plan_price_of(in->prices, in->nprices, "link_upgrade");
        if (isnan(l->p95_pct) || l->p95_pct < (double)in->settings->v[INV_PK_LINK_P95])
            continue;
        items[n++] = (struct inv_plan_item){
            .device_id = l->device_id, .interface_id = l->interface_id,
            .action = "upgrade_link", .state = price < 0 ? "no_price" : "pending",
            .why = "link_p95", .unit_id = l->unit_id, .wanted_year = in->first_year,
            .price_vnd = price < 0 ? 0 : price, .score = (long long)(l->p95_pct + 0.5),
            .device = SIZE_MAX, .link = i};
    }
    if (n > 1)
        qsort(items, n, sizeof(*items), cmp_score);

    for (int y = in->first_year; y <= last; y++) {
        /* a pin is the manager's decision: it goes in its year even over the budget */
        for (size_t i = 0; i < n; i++) {
            struct inv_plan_item *it = &items[i];
            struct inv_plan_cell *c;
            if (!it->pinned || it->wanted_year != y || strcmp(it->state, "pending") != 0)
                continue;
            c = cell_find(&b, unit_at(&b, it->unit_id, y), y);
            if (c)
                place(&b, it, c, y);
        }
        for (size_t i = 0; i < n; i++) {
            struct inv_plan_item *it = &items[i];
            struct inv_plan_cell *c;
            if (it->pinned || it->wanted_year > y || strcmp(it->state, "pending") != 0)
                continue;
            c = cell_find(&b, unit_at(&b, it->unit_id, y), y);
            if (c && c->used_vnd + it->price_vnd <= c->budget_vnd)
                place(&b, it, c, y);
            else
                it->rolled++;
        }
    }
    for (size_t i = 0; i < n; i++)
        if (strcmp(items[i].state, "pending") == 0) {
            items[i].state = "unfunded";
            items[i].unit_id = unit_at(&b, items[i].unit_id, last);
        }
    if (n > 1)
        qsort(items, n, sizeof(*items), cmp_out);
    free(b.units);
    out->first_year = in->first_year;
    out->horizon = in->horizon;
    out->items = items;
    out->n = n;
    out->cells = b.cells;
    out->ncells = b.ncells;
    return 0;
}

void inv_plan_release(struct inv_plan *p)
{
    free(p->items);
    free(p->cells);
    memset(p, 0, sizeof(*p));
}

/* ---- the loader ------------------------------------------------------------------------ */

static int read_prices(struct ww_db *db, struct inv_plan_data *d)
{
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT item, price_vnd FROM plan_price ORDER BY item");
    size_t cap = 0;
    int rc;

    if (!st)
        return -EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        d->prices = grow(d->prices, sizeof(*d->prices), &cap, d->nprices + 1);
        d->prices[d->nprices++] = (struct inv_plan_price){ww_db_text(st, 0),
                                                          sqlite3_column_int64(st, 1)};
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : ww_error(-EIO, "inventory: plan prices: read failed");
}

static int read_budgets(struct ww_db *db, struct inv_plan_data *d)
{
    sqlite3_stmt *st = ww_db_prepare(
        db, "SELECT unit_id, year, amount_vnd FROM plan_budget ORDER BY unit_id, year");
    size_t cap = 0;
    int rc;

    if (!st)
        return -EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        d->budgets = grow(d->budgets, sizeof(*d->budgets), &cap, d->nbudgets + 1);
        d->budgets[d->nbudgets++] = (struct inv_plan_budget){
            sqlite3_column_int64(st, 0), sqlite3_column_int(st, 1), sqlite3_column_int64(st, 2)};
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : ww_error(-EIO, "inventory: plan budgets: read failed");
}

static int read_decisions(struct ww_db *db, struct inv_plan_data *d)
{
    sqlite3_stmt *st = ww_db_prepare(
        db, "SELECT device_id, action, year, note, actor FROM plan_decision ORDER BY device_id");
    size_t cap = 0;
    int rc;

    if (!st)
        return -EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        d->decisions = grow(d->decisions, sizeof(*d->decisions), &cap, d->ndecisions + 1);
        d->decisions[d->ndecisions++] = (struct inv_plan_decision){
            sqlite3_column_int64(st, 0), ww_db_text(st, 1), sqlite3_column_int(st, 2),
            ww_db_text(st, 3), ww_db_text(st, 4)};
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : ww_error(-EIO, "inventory: plan decisions: read failed");
}

/* org_unit as it is: a merger is valid_to (the day the unit ends) with merged_into */
static int read_units(struct ww_db *db, struct inv_plan_data *d)
{
    sqlite3_stmt *st = ww_db_prepare(
        db, "SELECT id, name, merged_into, CAST(substr(valid_to, 1, 4) AS INTEGER)"
            " FROM org_unit ORDER BY id");
    size_t cap = 0;
    int rc;

    if (!st)
        return -EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long into = sqlite3_column_int64(st, 2);
        d->units = grow(d->units, sizeof(*d->units), &cap, d->nunits + 1);
        d->units[d->nunits++] = (struct inv_plan_unit){
            sqlite3_column_int64(st, 0), ww_db_text(st, 1), into,
            into ? sqlite3_column_int(st, 3) : 0};
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : ww_error(-EIO, "inventory: plan units: read failed");
}

/* @today less @days as YYYY-MM-DD into @out (16 bytes) */
static void day_before(const char *today, int days, char *out)
{
    struct tm tm = {0};
    time_t t;

    sscanf(today, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_mday -= days;
    tm.tm_hour = 12;
    t = timegm(&tm);
    gmtime_r(&t, &tm);
    strftime(out, 16, "%Y-%m-%d", &tm);
}

/* the score of one device from its row's columns and what was read beside it */
static void score_device(const struct inv_rules *rules, const char *today,
                         const struct inv_plan_settings *s, const struct inv_plan_price *prices,
                         size_t nprices, sqlite3_stmt *st, const struct inv_ready_row *facts,
                         const struct inv_health *health, long long repair_vnd,
                         struct inv_plan_device *out)
{
    struct inv_score_input in = {.age_months = -1, .health = health, .repair_vnd = repair_vnd};
    struct inv_readiness r;
    struct inv_age a;
    const char *crit = (const char *)sqlite3_column_text(st, 9);

    out->device_id = sqlite3_column_int64(st, 0);
    out->name = ww_db_text(st, 1);
    out->kind = ww_db_text(st, 2);
    out->status = ww_db_text(st, 3);
    out->unit_id = sqlite3_column_int64(st, 4);
    out->remaining_months = -1;
    if (rules) {
        struct inv_age_input ai = {
            .kind = out->kind,
            .in_service_date = (const char *)sqlite3_column_text(st, 5),
            .purchase_date = (const char *)sqlite3_column_text(st, 6),
            .lifespan_years = sqlite3_column_int64(st, 7),
            .cost_vnd = sqlite3_column_type(st, 8) == SQLITE_NULL ? -1
                                                                  : sqlite3_column_int64(st, 8)};
        inv_age_eval(rules, &ai, today, &a);
        in.age_months = a.age_months;
        in.lifespan_years = a.lifespan_years;
        out->remaining_months = a.remaining_months;
        if (facts && inv_readiness_eval(rules, &facts->in, today, &r) == 0) {
            in.os_support = r.os.support;
            /* Windows 11 is a question for a PC only */
            if (out->kind && strcmp(out->kind, "pc") == 0)
                in.win11 = r.win11.verdict;
        }
    }
    in.price_vnd = inv_plan_price_of(prices, nprices, out->kind);
    if (in.price_vnd < 0)
        in.price_vnd = 0;
    in.criticality = crit;
    inv_score_eval(s, &in, &out->score);
}

static const char device_sql[] =
    "SELECT id, name, kind, status, unit_id, in_service_date, purchase_date,"
    " coalesce(lifespan_years, 0), cost_vnd, criticality FROM device"
    " WHERE status <> 'disposed'";

static int cmp_ready_row(const void *a, const void *b)
{
    const struct inv_ready_row *x = a, *y = b;
    return (x->device_id > y->device_id) - (x->device_id < y->device_id);
}

/* the devices (all, or only @only_id) scored; facts, health and repairs each read once */
static int read_devices(struct ww_db *db, const struct inv_rules *rules, const char *today,
                        long long only_id, const struct inv_health *given, size_t ngiven,
                        struct inv_plan_data *d)
{
    struct inv_ready_row *facts = NULL;
    struct inv_health *health = NULL, one = {0};
    size_t nfacts = 0, nhealth = 0, cap = 0, ri = 0;
    long long *rep_id = NULL, *rep_vnd = NULL;
    size_t nrep = 0, rep_cap = 0;
    sqlite3_stmt *st = NULL;
    char from[16];
    char *sql = NULL;
    int ret, rc;

    day_before(today, INV_HEALTH_WINDOW_DAYS - 1, from);
    if (only_id) {
        struct inv_ready_row r = {.device_id = only_id};
        long long sum = 0;
        ret = inv_ready_facts(db, only_id, &r.in, &r.os, &r.cpu);
        if (ret == 0) {
            facts = ww_calloc(1, sizeof(*facts));
            facts[0] = r;
            nfacts = 1;
            ret = inv_health_get(db, only_id, from, today, &one);
        }
        if (ret == 0 && one.days) {
            health = ww_calloc(1, sizeof(*health));
            health[0] = one;
            health[0].device_id = only_id;
            nhealth = 1;
        }
        if (ret == 0)
            ret = inv_repair_cost_sum(db, only_id, &sum);
        if (ret == 0 && sum > 0) {
            rep_id = ww_calloc(1, sizeof(*rep_id));
            rep_vnd = ww_calloc(1, sizeof(*rep_vnd));
            rep_id[0] = only_id;
            rep_vnd[0] = sum;
            nrep = 1;
        }
    } else {
        ret = inv_ready_facts_all(db, &facts, &nfacts);
        if (ret == 0 && !given)
            ret = inv_health_list(db, from, today, &health, &nhealth);
        if (ret == 0) {
            st = ww_db_prepare(db, "SELECT device_id, sum(cost_vnd) FROM device_repair"
                                   " GROUP BY device_id ORDER BY device_id");
            ret = st ? 0 : -EIO;
            while (st && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                if (nrep == rep_cap) {
                    rep_cap = rep_cap ? 2 * rep_cap : 64;
                    rep_id = ww_reallocarray(rep_id, rep_cap, sizeof(*rep_id));
                    rep_vnd = ww_reallocarray(rep_vnd, rep_cap, sizeof(*rep_vnd));
                }
                rep_id[nrep] = sqlite3_column_int64(st, 0);
                rep_vnd[nrep++] = sqlite3_column_int64(st, 1);
            }
            if (st && rc != SQLITE_DONE)
                ret = ww_error(-EIO, "inventory: repair sums: read failed");
            sqlite3_finalize(st);
            st = NULL;
        }
    }
    if (ret < 0)
        goto out;
    sql = ww_asprintf("%s%s ORDER BY id", device_sql, only_id ? " AND id = ?1" : "");
    st = ww_db_prepare(db, sql);
    if (!st) {
        ret = -EIO;
        goto out;
    }
    if (only_id)
        sqlite3_bind_int64(st, 1, only_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);
        struct inv_ready_row key = {.device_id = id};
        const struct inv_ready_row *f =
            nfacts ? bsearch(&key, facts, nfacts, sizeof(key), cmp_ready_row) : NULL;
        long long repair = 0;
        /* both lists are by device id, as the devices are: walk the repairs along */
        while (ri < nrep && rep_id[ri] < id)
            ri++;
        if (ri < nrep && rep_id[ri] == id)
            repair = rep_vnd[ri];
        d->devices = grow(d->devices, sizeof(*d->devices), &cap, d->ndevices + 1);
        score_device(rules, today, &d->settings, d->prices, d->nprices, st, f,
                     given ? inv_health_find(given, ngiven, id)
                           : inv_health_find(health, nhealth, id),
                     repair, &d->devices[d->ndevices++]);
    }
    ret = rc == SQLITE_DONE ? 0 : ww_error(-EIO, "inventory: plan devices: read failed");
out:
    sqlite3_finalize(st);
    free(sql);
    inv_ready_rows_free(facts, nfacts);
    free(health);
    free(rep_id);
    free(rep_vnd);
    return ret;
}

static int load(struct ww_db *db, const struct inv_rules *rules, const char *today,
                long long only_id, const struct inv_health *health, size_t nhealth,
                struct inv_plan_data *out)
{
    int ret;

    memset(out, 0, sizeof(*out));
    if (!today || strlen(today) != 10)
        return -EINVAL;
    if ((ret = inv_plan_settings_load(db, &out->settings)) < 0 ||
        (ret = read_prices(db, out)) < 0 || (ret = read_budgets(db, out)) < 0 ||
        (ret = read_decisions(db, out)) < 0 || (ret = read_units(db, out)) < 0 ||
        (only_id >= 0 && (ret = read_devices(db, rules, today, only_id, health, nhealth, out)) < 0))
        inv_plan_data_release(out);
    return ret;
}

int inv_plan_load(struct ww_db *db, const struct inv_rules *rules, const char *today,
                  struct inv_plan_data *out)
{
    return load(db, rules, today, 0, NULL, 0, out);
}

int inv_plan_health_read(struct ww_db *db, const char *today, struct inv_health **out_items,
                         size_t *out_n)
{
    char from[16];

    *out_items = NULL;
    *out_n = 0;
    if (!today || strlen(today) != 10)
        return -EINVAL;
    day_before(today, INV_HEALTH_WINDOW_DAYS - 1, from);
    return inv_health_list(db, from, today, out_items, out_n);
}

int inv_plan_load_with(struct ww_db *db, const struct inv_rules *rules, const char *today,
                       const struct inv_health *health, size_t nhealth,
                       struct inv_plan_data *out)
{
    return load(db, rules, today, 0, health, nhealth, out);
}

int inv_plan_load_records(struct ww_db *db, struct inv_plan_data *out)
{
    return load(db, NULL, "0000-00-00", -1, NULL, 0, out);
}

int inv_plan_load_device(struct ww_db *db, const struct inv_rules *rules, const char *today,
                         long long device_id, struct inv_plan_data *out)
{
    int ret = load(db, rules, today, device_id, NULL, 0, out);

    if (ret == 0 && out->ndevices == 0) {
        inv_plan_data_release(out);
        return -ENOENT;
    }
    return ret;
}

void inv_plan_data_release(struct inv_plan_data *d)
{
    for (size_t i = 0; i < d->ndevices; i++) {
        free(d->devices[i].name);
        free(d->devices[i].kind);
        free(d->devices[i].status);
    }
    free(d->devices);
    for (size_t i = 0; i < d->nprices; i++)
        free(d->prices[i].item);
    free(d->prices);
    free(d->budgets);
    for (size_t i = 0; i < d->ndecisions; i++) {
        free(d->decisions[i].action);
        free(d->decisions[i].note);
        free(d->decisions[i].actor);
    }
    free(d->decisions);
    for (size_t i = 0; i < d->nunits; i++)
        free(d->units[i].name);
    free(d->units);
    memset(d, 0, sizeof(*d));
}

void inv_plan_input_of(const struct inv_plan_data *d, const char *today, int horizon,
                       struct inv_plan_input *out)
{
    int y = 0, m = 1, day = 1;

    if (today)
        sscanf(today, "%4d-%2d-%2d", &y, &m, &day);
    *out = (struct inv_plan_input){
        .first_year = y, .horizon = horizon > 0 ? horizon : (int)d->settings.v[INV_PK_HORIZON],
        .today_month = m, .settings = &d->settings, .devices = d->devices,
        .ndevices = d->ndevices, .prices = d->prices, .nprices = d->nprices,
        .budgets = d->budgets, .nbudgets = d->nbudgets, .decisions = d->decisions,
        .ndecisions = d->ndecisions, .units = d->units, .nunits = d->nunits};
}

/* ---- the changes ----------------------------------------------------------------------- */

static bool item_known(const char *item)
{
    for (size_t i = 0; inv_device_kinds[i]; i++)
        if (strcmp(inv_device_kinds[i], item) == 0)
            return true;
    for (size_t i = 0; inv_plan_upgrade_items[i]; i++)
        if (strcmp(inv_plan_upgrade_items[i], item) == 0)
            return true;
    return false;
}

int inv_apply_plan_prices(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    const struct inv_plan_prices_edit *e = ctx;

    for (size_t i = 0; i < e->n; i++) {
        const struct inv_plan_price *p = &e->items[i];
        sqlite3_stmt *st;
        int ret;
        if (!p->item || !item_known(p->item))
            return inv_refuse(-EINVAL, "item", "not_one_of", "%s", p->item ? p->item : "");
        if (p->price_vnd > INV_VND_ITEM_MAX)
            return inv_refuse(-EINVAL, "price_vnd", "out_of_range", "0..%lld", INV_VND_ITEM_MAX);
        st = ww_db_stmt(db, p->price_vnd < 0
                                ? "DELETE FROM plan_price WHERE item = ?1"
                                : "INSERT INTO plan_price (item, price_vnd) VALUES (?1, ?2)"
                                  " ON CONFLICT (item) DO UPDATE SET price_vnd = excluded.price_vnd");
        if (!st)
            return -EIO;
        sqlite3_bind_text(st, 1, p->item, -1, SQLITE_TRANSIENT);
        if (p->price_vnd >= 0)
            sqlite3_bind_int64(st, 2, p->price_vnd);
        if ((ret = inv_step(db, st, "item")) < 0)
            return ret;
    }
    return 0;
}

static bool unit_exists(struct ww_db *db, long long id, int *out_ret)
{
    sqlite3_stmt *st = ww_db_stmt(db, "SELECT 1 FROM org_unit WHERE id = ?1");
    int rc;

    *out_ret = 0;
    if (!st) {
        *out_ret = -EIO;
        return false;
    }
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        *out_ret = -EIO;
    return rc == SQLITE_ROW;
}

int inv_apply_plan_budgets(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    const struct inv_plan_budgets_edit *e = ctx;
    int ret;

    for (size_t i = 0; i < e->n; i++) {
        const struct inv_plan_budget *b = &e->items[i];
        sqlite3_stmt *st;
        if (!unit_exists(db, b->unit_id, &ret))
            return ret < 0 ? ret : inv_refuse(-EINVAL, "unit_id", "no_such", "%lld", b->unit_id);
        if (b->year < YEAR_MIN || b->year > YEAR_MAX)
            return inv_refuse(-EINVAL, "year", "out_of_range", "%d..%d", YEAR_MIN, YEAR_MAX);
        if (b->amount_vnd > INV_VND_MAX)
            return inv_refuse(-EINVAL, "amount_vnd", "out_of_range", "0..%lld", INV_VND_MAX);
        st = ww_db_stmt(db, b->amount_vnd < 0
                                ? "DELETE FROM plan_budget WHERE unit_id = ?1 AND year = ?2"
                                : "INSERT INTO plan_budget (unit_id, year, amount_vnd)"
                                  " VALUES (?1, ?2, ?3) ON CONFLICT (unit_id, year)"
                                  " DO UPDATE SET amount_vnd = excluded.amount_vnd");
        if (!st)
            return -EIO;
        sqlite3_bind_int64(st, 1, b->unit_id);
        sqlite3_bind_int(st, 2, b->year);
        if (b->amount_vnd >= 0)
            sqlite3_bind_int64(st, 3, b->amount_vnd);
        if ((ret = inv_step(db, st, "amount_vnd")) < 0)
            return ret;
    }
    return 0;
}

int inv_apply_plan_decision(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    const struct inv_plan_decision *d = ctx;
    bool pin = d->action && strcmp(d->action, "pin") == 0;
    sqlite3_stmt *st;
    int ret;

    if (!pin && !(d->action && strcmp(d->action, "defer") == 0))
        return inv_refuse(-EINVAL, "action", "not_one_of", "pin, defer");
    if ((pin || d->year) && (d->year < YEAR_MIN || d->year > YEAR_MAX))
        return inv_refuse(-EINVAL, "year", "out_of_range", "%d..%d", YEAR_MIN, YEAR_MAX);
    if ((ret = inv_check_text("note", d->note, INV_NOTES_MAX, false)) < 0)
        return ret;
    if ((ret = inv_device_exists(db, ch->id)) < 0)
        return ret == -ENOENT ? inv_refuse(-EINVAL, "device_id", "no_such", "%lld", ch->id)
                              : ret;
    st = ww_db_stmt(db, "INSERT INTO plan_decision (device_id, action, year, note, actor,"
                        " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                        " ON CONFLICT (device_id) DO UPDATE SET action = excluded.action,"
                        " year = excluded.year, note = excluded.note, actor = excluded.actor,"
                        " created_at = excluded.created_at");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, ch->id);
    sqlite3_bind_text(st, 2, pin ? "pin" : "defer", -1, SQLITE_STATIC);
    if (d->year)
        sqlite3_bind_int(st, 3, d->year);
    else
        sqlite3_bind_null(st, 3);
    inv_bind_typed(st, 4, d->note);
    sqlite3_bind_text(st, 5, ch->actor->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 6, (long long)time(NULL));
    return inv_step(db, st, "device_id");
}

int inv_apply_plan_decision_remove(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    sqlite3_stmt *st = ww_db_stmt(db, "DELETE FROM plan_decision WHERE device_id = ?1");

    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, ch->id);
    return inv_step(db, st, "device_id");
}

/* the rows of @sql (a text key and an integer) as a JSON object text */
static int kv_snapshot(struct ww_db *db, const char *sql, char **out_json)
{
    sqlite3_stmt *st = ww_db_prepare(db, sql);
    json_t *o = json_object();
    int rc;

    *out_json = NULL;
    if (!st) {
        json_decref(o);
        return -EIO;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_object_set_new(o, (const char *)sqlite3_column_text(st, 0),
                            json_integer(sqlite3_column_int64(st, 1)));
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        *out_json = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    return rc == SQLITE_DONE ? 0 : -EIO;
}

int inv_plan_prices_snapshot(struct ww_db *db, const char *key, char **out_json)
{
    return kv_snapshot(db, "SELECT item, price_vnd FROM plan_price", out_json);
}

/* budgets keyed "unit/year" */
int inv_plan_budgets_snapshot(struct ww_db *db, const char *key, char **out_json)
{
    return kv_snapshot(db, "SELECT unit_id || '/' || year, amount_vnd FROM plan_budget",
                       out_json);
}

int inv_plan_decision_snapshot(struct ww_db *db, long long id, char **out_json)
{
    sqlite3_stmt *st = ww_db_prepare(
        db, "SELECT action, year, note, actor, created_at FROM plan_decision WHERE device_id=?1");
    int rc;

    *out_json = NULL;
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        json_t *o = json_pack("{s:I, s:s, s:o, s:o, s:s, s:I}", "device_id", (json_int_t)id,
                              "action", (const char *)sqlite3_column_text(st, 0), "year",
                              sqlite3_column_type(st, 1) == SQLITE_NULL
                                  ? json_null()
                                  : json_integer(sqlite3_column_int(st, 1)),
                              "note",
                              sqlite3_column_type(st, 2) == SQLITE_NULL
                                  ? json_null()
                                  : json_string((const char *)sqlite3_column_text(st, 2)),
                              "actor", (const char *)sqlite3_column_text(st, 3), "created_at",
                              (json_int_t)sqlite3_column_int64(st, 4));
        *out_json = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -EIO;
}

/* ---- versions -------------------------------------------------------------------------- */

char *inv_plan_json(const struct inv_plan *p)
{
    struct ww_buf b;

    ww_buf_init(&b, SIZE_MAX / 2);
    ww_buf_addf(&b, "{\"first_year\":%d,\"horizon\":%d,\"items\":[", p->first_year, p->horizon);
    for (size_t i = 0; i < p->n; i++) {
        const struct inv_plan_item *it = &p->items[i];
        /* codes only: nothing here was typed by a person */
        ww_buf_addf(&b,
                    "%s{\"device_id\":%lld,\"interface_id\":%lld,\"action\":\"%s\","
                    "\"state\":\"%s\",\"year\":%d,\"unit_id\":%lld,\"price_vnd\":%lld,"
                    "\"score\":%lld}",
                    i ? "," : "", it->device_id, it->interface_id, it->action, it->state,
                    it->year, it->unit_id, it->price_vnd, it->score);
    }
    ww_buf_addstr(&b, "]}");
    return ww_buf_detach(&b);
}

int inv_apply_plan_version(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    const struct inv_plan_version_new *v = ctx;
    sqlite3_stmt *st;
    char *json;
    int ret;

    if ((ret = inv_check_text("note", v->note, INV_NOTES_MAX, false)) < 0)
        return ret;
    st = ww_db_stmt(db, "INSERT INTO plan_version (year, created_at, actor, note, plan_json)"
                        " VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st)
        return -EIO;
    json = inv_plan_json(v->plan);
    sqlite3_bind_int(st, 1, v->plan->first_year);
    sqlite3_bind_int64(st, 2, v->now);
    sqlite3_bind_text(st, 3, ch->actor->name, -1, SQLITE_TRANSIENT);
    inv_bind_typed(st, 4, v->note);
    sqlite3_bind_text(st, 5, json, -1, free);
    ret = inv_step(db, st, "record");
    if (ret == 0)
        ch->id = sqlite3_last_insert_rowid(db->sql);
    return ret;
}

int inv_plan_version_snapshot(struct ww_db *db, long long id, char **out_json)
{
    sqlite3_stmt *st = ww_db_prepare(
        db, "SELECT year, created_at, actor, note, json_array_length(plan_json, '$.items')"
            " FROM plan_version WHERE id = ?1");
    int rc;

    *out_json = NULL;
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        json_t *o = json_pack(
            "{s:I, s:i, s:I, s:s, s:o, s:I}", "id", (json_int_t)id, "year",
            sqlite3_column_int(st, 0), "created_at", (json_int_t)sqlite3_column_int64(st, 1),
            "actor", (const char *)sqlite3_column_text(st, 2), "note",
            sqlite3_column_type(st, 3) == SQLITE_NULL
                ? json_null()
                : json_string((const char *)sqlite3_column_text(st, 3)),
            "items", (json_int_t)sqlite3_column_int64(st, 4));
        *out_json = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -EIO;
}

static void version_of(sqlite3_stmt *st, bool with_json, struct inv_plan_version *v)
{
    *v = (struct inv_plan_version){sqlite3_column_int64(st, 0), sqlite3_column_int(st, 1),
                                   sqlite3_column_int64(st, 2), ww_db_text(st, 3),
                                   ww_db_text(st, 4), with_json ? ww_db_text(st, 5) : NULL};
}

int inv_plan_version_list(struct ww_db *db, struct inv_plan_version **out_items, size_t *out_n)
{
    sqlite3_stmt *st = ww_db_prepare(
        db, "SELECT id, year, created_at, actor, note FROM plan_version ORDER BY id DESC");
    size_t cap = 0;
    int rc;

    *out_items = NULL;
    *out_n = 0;
    if (!st)
        return -EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out_items = grow(*out_items, sizeof(**out_items), &cap, *out_n + 1);
        version_of(st, false, &(*out_items)[(*out_n)++]);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        inv_plan_version_list_free(*out_items, *out_n);
        *out_items = NULL;
        *out_n = 0;
        return ww_error(-EIO, "inventory: plan versions: read failed");
    }
    return 0;
}

int inv_plan_version_latest(struct ww_db *db, struct inv_plan_version *out)
{
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT id, year, created_at, actor, note, plan_json"
                                         " FROM plan_version ORDER BY id DESC LIMIT 1");
    int rc;

    memset(out, 0, sizeof(*out));
    if (!st)
        return -EIO;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        version_of(st, true, out);
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return -ENOENT;
    return rc == SQLITE_ROW ? 0 : -EIO;
}

void inv_plan_version_release(struct inv_plan_version *v)
{
    free(v->actor);
    free(v->note);
    free(v->plan_json);
    memset(v, 0, sizeof(*v));
}

void inv_plan_version_list_free(struct inv_plan_version *items, size_t n)
{
    for (size_t i = 0; items && i < n; i++)
        inv_plan_version_release(&items[i]);
    free(items);
}

/* ---- what changed ---------------------------------------------------------------------- */

struct saved_item {
    long long device_id, interface_id, price_vnd;
    int year;
    const char *action; /* static: one of the codes */
    bool seen;
};

static int cmp_saved(const void *a, const void *b)
{
    const struct saved_item *x = a, *y = b;
    if (x->device_id != y->device_id)
        return x->device_id < y->device_id ? -1 : 1;
    return (x->interface_id > y->interface_id) - (x->interface_id < y->interface_id);
}

static const char *action_code(const char *s)
{
    static const char *const actions[] = {"replace", "upgrade_ram", "upgrade_disk",
                                          "upgrade_link"};
    for (size_t i = 0; s && i < WW_ARRAY_SIZE(actions); i++)
        if (strcmp(actions[i], s) == 0)
            return actions[i];
    return "replace";
}

static void change_add(struct inv_plan_change **items, size_t *n, size_t *cap,
                       struct inv_plan_change c)
{
    *items = grow(*items, sizeof(**items), cap, *n + 1);
    (*items)[(*n)++] = c;
}

int inv_plan_diff(const char *saved_json, const struct inv_plan *now,
                  struct inv_plan_change **out_items, size_t *out_n)
{
    json_t *root = saved_json ? json_loads(saved_json, 0, NULL) : NULL;
    json_t *arr = json_object_get(root, "items"), *v;
    struct saved_item *saved = NULL;
    struct inv_plan_change *items = NULL;
    size_t ns = 0, n = 0, cap = 0, idx;

    *out_items = NULL;
    *out_n = 0;
    if (!json_is_array(arr)) {
        json_decref(root);
        return -EINVAL;
    }
    saved = ww_calloc(json_array_size(arr) + 1, sizeof(*saved));
    json_array_foreach(arr, idx, v) {
        if (json_integer_value(json_object_get(v, "year")) <= 0)
            continue; /* only what was planned counts */
        saved[ns++] = (struct saved_item){
            json_integer_value(json_object_get(v, "device_id")),
            json_integer_value(json_object_get(v, "interface_id")),
            json_integer_value(json_object_get(v, "price_vnd")),
            (int)json_integer_value(json_object_get(v, "year")),
            action_code(json_string_value(json_object_get(v, "action"))), false};
    }
    json_decref(root);
    if (ns > 1)
        qsort(saved, ns, sizeof(*saved), cmp_saved);
    for (size_t i = 0; i < now->n; i++) {
        const struct inv_plan_item *it = &now->items[i];
        struct saved_item key = {.device_id = it->device_id, .interface_id = it->interface_id};
        struct saved_item *s;
        if (it->year <= 0)
            continue;
        s = ns ? bsearch(&key, saved, ns, sizeof(key), cmp_saved) : NULL;
        if (!s || s->seen) {
            change_add(&items, &n, &cap,
                       (struct inv_plan_change){"added", it->device_id, it->interface_id,
                                                it->action, 0, it->year, 0, it->price_vnd});
            continue;
        }
        s->seen = true;
        if (s->year != it->year)
            change_add(&items, &n, &cap,
                       (struct inv_plan_change){"moved", it->device_id, it->interface_id,
                                                it->action, s->year, it->year, s->price_vnd,
                                                it->price_vnd});
        if (s->price_vnd != it->price_vnd)
            change_add(&items, &n, &cap,
                       (struct inv_plan_change){"cost", it->device_id, it->interface_id,
                                                it->action, s->year, it->year, s->price_vnd,
                                                it->price_vnd});
    }
    for (size_t j = 0; j < ns; j++)
        if (!saved[j].seen)
            change_add(&items, &n, &cap,
                       (struct inv_plan_change){"removed", saved[j].device_id,
                                                saved[j].interface_id, saved[j].action,
                                                saved[j].year, 0, saved[j].price_vnd, 0});
    free(saved);
    *out_items = items;
    *out_n = n;
    return 0;
}

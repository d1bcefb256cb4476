/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * api_unit.c - org units and locations (issue 16): the tree now or on a past day, a unit with
 * its devices, locations and history, add/change/remove, the merger of a unit into another
 * on a day (one audited change: inventory/unit.c moves its devices, children and locations),
 * locations with their kind, and units.csv with its import. Reading needs overview.read
 * (every role that reads devices), writing units.write (admin, manager).
 */
#include "dashboard/dashboard_int.h"
#include "inventory/inventory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

#define CSV_MAX (8u << 20)

static void bad_id(struct dash_reply *out)
{
    dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "id");
}

static json_t *list_json(const char *const *list)
{
    json_t *a = json_array();
    for (size_t i = 0; list[i]; i++)
        json_array_append_new(a, json_string(list[i]));
    return a;
}

/* a unit as the API shows it; @devices: its count now or on the day asked */
static json_t *unit_json(const struct inv_unit *u, long long devices)
{
    return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I}", "id",
                     (json_int_t)u->id, "code", dash_json_text(u->code), "name",
                     dash_json_text(u->name), "level", dash_json_text(u->level), "parent_id",
                     dash_json_id(u->parent_id), "parent_name", dash_json_text(u->parent_name),
                     "valid_from", dash_json_text(u->valid_from), "valid_to",
                     dash_json_text(u->valid_to), "merged_into", dash_json_id(u->merged_into),
                     "merged_into_name", dash_json_text(u->merged_into_name), "devices",
                     (json_int_t)devices);
}

static json_t *location_json(const struct inv_location *l)
{
    return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)l->id,
                     "unit_id", dash_json_id(l->unit_id), "unit_name",
                     dash_json_text(l->unit_name), "name", dash_json_text(l->name), "address",
                     dash_json_text(l->address), "building", dash_json_text(l->building), "room",
                     dash_json_text(l->room), "kind", dash_json_text(l->kind));
}

/* ?at= (absent: now; checked as a day by inventory); false = @out holds the 400 */
static bool day_param(struct dash_req *req, struct dash_reply *out, const char **out_day)
{
    static const char *const params[] = {"at", NULL};

    *out_day = dash_query(req, "at");
    return dash_query_whitelisted(req, params, out);
}

static int by_unit(const void *a, const void *b)
{
    const struct inv_device_unit *x = a, *y = b;
    return x->unit_id < y->unit_id ? -1 : x->unit_id > y->unit_id;
}

/* how many of @du (sorted by unit id) were in unit @id: two binary searches, so a province's
 * tree (thousands of units, a hundred thousand devices) is counted without a pass per unit */
static long long count_in(const struct inv_device_unit *du, size_t n, long long id)
{
    size_t lo = 0, hi = n, first;

    while (lo < hi) { /* the first row of unit >= id */
        size_t mid = lo + (hi - lo) / 2;
        if (du[mid].unit_id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    first = lo;
    hi = n;
    while (lo < hi) { /* the first row of unit > id */
        size_t mid = lo + (hi - lo) / 2;
        if (du[mid].unit_id <= id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (long long)(lo - first);
}

/* GET /units[?at=day]: the units as they were on the day (every one, merged too, when now) */
static void api_units(struct dash_req *req, struct dash_reply *out)
{
    struct inv_unit *units = NULL;
    struct inv_device_unit *du = NULL;
    size_t n = 0, ndu = 0;
    const char *at;
    json_t *arr;
    int ret;

    if (!day_param(req, out, &at))
        return;
    dash_lock(req);
    ret = inv_units_at(req->srv->db, at, &units, &n);
    if (ret == 0 && at)
        ret = inv_device_units_at(req->srv->db, at, &du, &ndu);
    dash_unlock(req);
    if (ret == -EINVAL) /* not a day */
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "at");
    else if (ret < 0)
        dash_reply_db_failed(out);
    if (ret < 0) {
        inv_unit_list_free(units, n);
        return;
    }
    if (ndu > 1)
        qsort(du, ndu, sizeof(*du), by_unit);
    arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *u = unit_json(&units[i], at ? count_in(du, ndu, units[i].id) : units[i].devices);
        if (at && units[i].merged_into && units[i].valid_to && strcmp(at, units[i].valid_to) < 0) {
            /* on that day it was not merged yet */
            json_object_set_new(u, "merged_into", json_null());
            json_object_set_new(u, "merged_into_name", json_null());
            json_object_set_new(u, "valid_to", json_null());
        }
        json_array_append_new(arr, u);
    }
    inv_unit_list_free(units, n);
    free(du);
    dash_reply_json(out, MHD_HTTP_OK,
                    json_pack("{s:o, s:I, s:o, s:o, s:o}", "items", arr, "total", (json_int_t)n,
                              "at", at ? json_string(at) : json_null(), "levels",
                              list_json(inv_unit_levels), "location_kinds",
                              list_json(inv_location_kinds)));
}

/* GET /units/{id}: the unit, its locations and the units merged into it */
static void api_unit(struct dash_req *req, struct dash_reply *out)
{
    struct inv_unit u, *hist = NULL;
    struct inv_location *locs = NULL;
    size_t nh = 0, nl = 0;
    long long id;
    json_t *o, *a;
    int ret;

    if (dash_param_id(req->params[0], &id) < 0) {
        bad_id(out);
        return;
    }
    dash_lock(req);
    ret = inv_unit_get(req->srv->db, id, &u);
    if (ret == 0)
        ret = inv_location_list(req->srv->db, id, &locs, &nl);
    if (ret == 0)
        ret = inv_unit_history(req->srv->db, id, &hist, &nh);
    dash_unlock(req);
    if (ret < 0) {
        if (ret == -ENOENT)
            dash_reply_error(out, MHD_HTTP_NOT_FOUND, "not_found", NULL);
        else
            dash_reply_db_failed(out);
    } else {
        o = unit_json(&u, u.devices);
        a = json_array();
        for (size_t i = 0; i < nl; i++)
            json_array_append_new(a, location_json(&locs[i]));
        json_object_set_new(o, "locations", a);
        a = json_array();
        for (size_t i = 0; i < nh; i++)
            json_array_append_new(a, json_pack("{s:I, s:o, s:o, s:o}", "id", (json_int_t)hist[i].id,
                                               "code", dash_json_text(hist[i].code), "name",
                                               dash_json_text(hist[i].name), "day",
                                               dash_json_text(hist[i].valid_to)));
        json_object_set_new(o, "history", a);
        dash_reply_json(out, MHD_HTTP_OK, o);
    }
    inv_unit_release(&u);
    inv_location_list_free(locs, nl);
    inv_unit_list_free(hist, nh);
}

/* a JSON id field (null = none) into *out; -EINVAL with @why */
static int id_field(json_t *v, const char *key, long long *out, struct inv_refusal *why)
{
    if ((!json_is_integer(v) || json_integer_value(v) < 1) && !json_is_null(v))
        return dash_refusal(why, key, "not_id", NULL);
    *out = json_is_null(v) ? 0 : json_integer_value(v);
    return 0;
}

/* a JSON text field (null = none) into the owned *slot; -EINVAL with @why */
static int text_field(json_t *v, const char *key, char **slot, struct inv_refusal *why)
{
    if (!json_is_string(v) && !json_is_null(v))
        return dash_refusal(why, key, "not_string", NULL);
    free(*slot);
    *slot = json_is_string(v) ? ww_strdup(json_string_value(v)) : NULL;
    return 0;
}

static int unit_from_json(json_t *j, struct inv_unit *u, struct inv_refusal *why)
{
    const char *key;
    json_t *v;

    json_object_foreach(j, key, v) {
        char **slot = !strcmp(key, "code")         ? &u->code
                      : !strcmp(key, "name")       ? &u->name
                      : !strcmp(key, "level")      ? &u->level
                      : !strcmp(key, "valid_from") ? &u->valid_from
                                                   : NULL;
        int ret = slot                          ? text_field(v, key, slot, why)
                  : !strcmp(key, "parent_id") ? id_field(v, key, &u->parent_id, why)
                                              : dash_refusal(why, "record", "unknown_field", key);
        if (ret < 0)
            return ret;
    }
    return 0;
}

/* POST of a new record: the body onto @rec by @from_json (a 400 when it refuses), then the
 * change @ch; 201 with its snapshot */
static void add_with_body(struct dash_req *req, struct dash_reply *out, struct inv_change *ch,
                          int (*from_json)(json_t *j, void *rec, struct inv_refusal *why))
{
    struct inv_refusal why;
    json_t *body = dash_body_json(req, out);

    if (!body)
        return;
    if (from_json(body, ch->ctx, &why) < 0)
        dash_reply_refused(out, -EINVAL, &why);
    else if (dash_change(req, out, ch) == 0)
        dash_reply_json(out, MHD_HTTP_CREATED, dash_json_snapshot(ch->after));
    free(ch->after);
    ch->after = NULL;
    json_decref(body);
}

static int unit_body(json_t *j, void *rec, struct inv_refusal *why)
{
    return unit_from_json(j, rec, why);
}

static void api_unit_add(struct dash_req *req, struct dash_reply *out)
{
    struct inv_unit u = {0};
    struct inv_change ch = {.action = "unit.add", .object_type = "unit",
                            .apply = inv_apply_unit_add, .ctx = &u};

    add_with_body(req, out, &ch, unit_body);
    inv_unit_release(&u);
}

/* a PATCH: the stored record read by @get, the body over it by @from_json and written by
 * @update, in one transaction (a concurrent change is never half taken over) */
struct body_edit {
    json_t *body;
    void *rec;
    int (*get)(struct ww_db *db, long long id, void *rec);
    int (*from_json)(json_t *j, void *rec, struct inv_refusal *why);
    int (*update)(struct ww_db *db, void *rec, struct inv_change *ch);
};

static int apply_body_edit(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    struct body_edit *e = ctx;
    int ret = e->get(db, ch->id, e->rec);

    if (ret < 0)
        return ret;
    if (e->from_json(e->body, e->rec, &ch->why) < 0)
        return -EINVAL;
    return e->update(db, e->rec, ch);
}

static int unit_get(struct ww_db *db, long long id, void *rec)
{
    return inv_unit_get(db, id, rec);
}

/* a change of the record of the path by @apply with the body (PATCH, POST .../merge) */
static void change_with_body(struct dash_req *req, struct dash_reply *out, struct inv_change *ch,
                             json_t **body)
{
    if (dash_param_id(req->params[0], &ch->id) < 0) {
        bad_id(out);
        return;
    }
    if (!(*body = dash_body_json(req, out)))
        return;
    if (dash_change(req, out, ch) == 0)
        dash_reply_json(out, MHD_HTTP_OK, dash_json_snapshot(ch->after));
    free(ch->after);
    ch->after = NULL;
}

static void api_unit_change(struct dash_req *req, struct dash_reply *out)
{
    struct inv_unit u = {0};
    struct body_edit e = {.rec = &u, .get = unit_get, .from_json = unit_body,
                          .update = inv_apply_unit_update};
    struct inv_change ch = {.action = "unit.change", .object_type = "unit",
                            .apply = apply_body_edit, .ctx = &e};

    change_with_body(req, out, &ch, &e.body);
    inv_unit_release(&u);
    json_decref(e.body);
}

static void api_unit_remove(struct dash_req *req, struct dash_reply *out)
{
    dash_change_remove(req, out, "unit.remove", "unit", inv_apply_unit_remove);
}

struct merge_edit {
    json_t *body;
    char *day;
    struct inv_unit_merge m;
};

static int apply_merge(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    struct merge_edit *e = ctx;
    const char *key;
    json_t *v;

    json_object_foreach(e->body, key, v) {
        int ret = !strcmp(key, "into")  ? id_field(v, key, &e->m.into, &ch->why)
                  : !strcmp(key, "day") ? text_field(v, key, &e->day, &ch->why)
                                        : dash_refusal(&ch->why, "record", "unknown_field", key);
        if (ret < 0)
            return ret;
    }
    e->m.day = e->day;
    return inv_apply_unit_merge(db, &e->m, ch);
}

/* POST /units/{id}/merge {"into","day"} */
static void api_unit_merge(struct dash_req *req, struct dash_reply *out)
{
    struct merge_edit e = {0};
    struct inv_change ch = {.action = "unit.merge", .object_type = "unit",
                            .apply = apply_merge, .ctx = &e};

    change_with_body(req, out, &ch, &e.body);
    free(e.day);
    json_decref(e.body);
}

/* ---- locations -------------------------------------------------------------------------- */

static void api_locations(struct dash_req *req, struct dash_reply *out)
{
    static const char *const params[] = {"unit", NULL};
    struct inv_location *items = NULL;
    const char *unit = dash_query(req, "unit");
    long long unit_id = 0;
    size_t n = 0;
    json_t *arr;
    int ret;

    if (!dash_query_whitelisted(req, params, out))
        return;
    if (unit && dash_param_id(unit, &unit_id) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "unit");
        return;
    }
    dash_lock(req);
    ret = inv_location_list(req->srv->db, unit_id, &items, &n);
    dash_unlock(req);
    if (ret < 0) {
        dash_reply_db_failed(out);
        return;
    }
    arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, location_json(&items[i]));
    inv_location_list_free(items, n);
    dash_reply_json(out, MHD_HTTP_OK,
                    json_pack("{s:o, s:I}", "items", arr, "total", (json_int_t)n));
}

static int location_from_json(json_t *j, struct inv_location *l, struct inv_refusal *why)
{
    const char *key;
    json_t *v;

    json_object_foreach(j, key, v) {
        char **slot = !strcmp(key, "name")       ? &l->name
                      : !strcmp(key, "address")  ? &l->address
                      : !strcmp(key, "building") ? &l->building
                      : !strcmp(key, "room")     ? &l->room
                      : !strcmp(key, "kind")     ? &l->kind
                                                 : NULL;
        int ret = slot                        ? text_field(v, key, slot, why)
                  : !strcmp(key, "unit_id") ? id_field(v, key, &l->unit_id, why)
                                            : dash_refusal(why, "record", "unknown_field", key);
        if (ret < 0)
            return ret;
    }
    return 0;
}

static int location_body(json_t *j, void *rec, struct inv_refusal *why)
{
    return location_from_json(j, rec, why);
}

static void api_location_add(struct dash_req *req, struct dash_reply *out)
{
    struct inv_location l = {0};
    struct inv_change ch = {.action = "location.add", .object_type = "location",
                            .apply = inv_apply_location_add, .ctx = &l};

    add_with_body(req, out, &ch, location_body);
    inv_location_release(&l);
}

static int location_get(struct ww_db *db, long long id, void *rec)
{
    return inv_location_get(db, id, rec);
}

static void api_location_change(struct dash_req *req, struct dash_reply *out)
{
    struct inv_location l = {0};
    struct body_edit e = {.rec = &l, .get = location_get, .from_json = location_body,
                          .update = inv_apply_location_update};
    struct inv_change ch = {.action = "location.change", .object_type = "location",
                            .apply = apply_body_edit, .ctx = &e};

    change_with_body(req, out, &ch, &e.body);
    inv_location_release(&l);
    json_decref(e.body);
}

static void api_location_remove(struct dash_req *req, struct dash_reply *out)
{
    dash_change_remove(req, out, "location.remove", "location", inv_apply_location_remove);
}

/* ---- units.csv and its import ----------------------------------------------------------- */

/* the import's columns, then the read-only ones it skips: an export imports as it is */
static void api_units_csv(struct dash_req *req, struct dash_reply *out)
{
    static const char *const head[] = {"code",  "name",     "level",       "parent_code",
                                       "valid_from", "id", "valid_to", "merged_into",
                                       "devices"};
    struct inv_unit *units = NULL;
    size_t n = 0;
    struct ww_buf b;
    int ret;

    dash_lock(req);
    ret = inv_units_at(req->srv->db, NULL, &units, &n);
    dash_unlock(req);
    if (ret < 0) {
        dash_reply_db_failed(out);
        return;
    }
    ww_buf_init(&b, CSV_MAX);
    dash_csv_head(req, &b, head, WW_ARRAY_SIZE(head));
    for (size_t i = 0; i < n; i++) {
        const struct inv_unit *u = &units[i];
        const char *parent_code = NULL, *merged_code = NULL;
        char id[24], devices[24];
        /* codes, not ids: a file moves between registers */
        for (size_t k = 0; k < n; k++) {
            if (units[k].id == u->parent_id)
                parent_code = units[k].code;
            if (units[k].id == u->merged_into)
                merged_code = units[k].code;
        }
        snprintf(id, sizeof(id), "%lld", u->id);
        snprintf(devices, sizeof(devices), "%lld", u->devices);
        const char *row[] = {u->code,     u->name,     u->level,    parent_code, u->valid_from,
                             id,          u->valid_to, merged_code, devices};
        dash_csv_row(&b, row, WW_ARRAY_SIZE(row));
    }
    inv_unit_list_free(units, n);
    dash_reply_csv(out, &b, "units.csv");
    ww_buf_release(&b);
}

/* POST /units/import: the body is the CSV file (DASH_IMPORT_BODY_MAX with units.write) */
static void api_units_import(struct dash_req *req, struct dash_reply *out)
{
    struct inv_import_opts o = {0};
    struct inv_import_result r;
    struct inv_actor actor;
    int ret;

    if (!dash_import_opts(req, out, &o, &actor))
        return;
    dash_lock(req);
    ret = inv_import_units(req->srv->db, req->body.data ? req->body.data : "", req->body.len, &o,
                           &r);
    dash_unlock(req);
    dash_import_reply(req, out, ret, &r);
    inv_import_result_release(&r);
}

const struct dash_route dash_unit_routes[] = {
    {"/api/v1/units", DASH_GET, api_units, "overview.read"},
    {"/api/v1/units", DASH_POST, api_unit_add, "units.write"},
    {"/api/v1/units.csv", DASH_GET, api_units_csv, "overview.read"},
    {DASH_UNIT_IMPORT_PATH, DASH_POST, api_units_import, "units.write"},
    {"/api/v1/units/{id}", DASH_GET, api_unit, "overview.read"},
    {"/api/v1/units/{id}", DASH_PATCH, api_unit_change, "units.write"},
    {"/api/v1/units/{id}", DASH_DELETE, api_unit_remove, "units.write"},
    {"/api/v1/units/{id}/merge", DASH_POST, api_unit_merge, "units.write"},
    {"/api/v1/locations", DASH_GET, api_locations, "overview.read"},
    {"/api/v1/locations", DASH_POST, api_location_add, "units.write"},
    {"/api/v1/locations/{id}", DASH_PATCH, api_location_change, "units.write"},
    {"/api/v1/locations/{id}", DASH_DELETE, api_location_remove, "units.write"},
};
const size_t dash_unit_nroutes = WW_ARRAY_SIZE(dash_unit_routes);

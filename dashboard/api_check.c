/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * api_check.c - the active checks wardwatch-probe runs (issue 18 item 2): the list and one
 * check with its state and history (probe.read), and adding, changing and removing one
 * (uptime.edit: audited changes of object type "check", validated by inventory/check.c).
 */
#include "dashboard/dashboard_int.h"
#include "inventory/inventory.h"

#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

/* GET /api/v1/checks */
static void api_checks(struct dash_req *req, struct dash_reply *out)
{
    char *json = NULL;
    int ret;

    dash_lock(req);
    ret = inv_check_list_json(req->srv->db, 0, &json);
    dash_unlock(req);
    if (ret < 0 || !json) {
        free(json);
        dash_reply_db_failed(out);
        return;
    }
    dash_reply_json(out, MHD_HTTP_OK,
                    json_pack("{s:o}", "items", dash_json_snapshot(json)));
    free(json);
}

/* GET /api/v1/checks/{id}: the check, its state and its changes of state */
static void api_check_get(struct dash_req *req, struct dash_reply *out)
{
    char *one = NULL, *hist = NULL;
    long long id;
    int ret;

    if (dash_param_id(req->params[0], &id) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "id");
        return;
    }
    dash_lock(req);
    ret = inv_check_list_json(req->srv->db, id, &one);
    if (ret == 0 && one)
        ret = inv_check_history_json(req->srv->db, id, &hist);
    dash_unlock(req);
    if (ret < 0) {
        dash_reply_db_failed(out);
    } else if (!one) {
        dash_reply_error(out, MHD_HTTP_NOT_FOUND, "not_found", NULL);
    } else {
        json_t *o = dash_json_snapshot(one);
        json_object_set_new(o, "history", hist ? dash_json_snapshot(hist) : json_array());
        dash_reply_json(out, MHD_HTTP_OK, o);
    }
    free(one);
    free(hist);
}

struct check_edit {
    json_t *body;
    struct inv_check c;
    struct inv_check_row *rows; /* the stored check (a change starts from it) */
    size_t nrows;
};

static int text_field(json_t *v, const char **dst, bool nullable, const char *key,
                      struct inv_refusal *why)
{
    if (nullable && json_is_null(v)) {
        *dst = NULL;
        return 0;
    }
    if (!json_is_string(v))
        return dash_refusal(why, key, "not_string", NULL);
    *dst = json_string_value(v);
    return 0;
}

/* an integer field into an int: counts are bounded by inventory's checks of each field */
static int int_field(json_t *v, int *dst, const char *key, struct inv_refusal *why)
{
    long long n = 0;
    int ret = dash_json_count(&n, v, key, why);

    if (ret == 0)
        *dst = n > 1000000 ? 1000000 : (int)n;
    return ret;
}

static int check_from_json(json_t *j, struct inv_check *c, struct inv_refusal *why)
{
    const char *key;
    json_t *v;
    int ret = 0;

    json_object_foreach(j, key, v) {
        if (ret < 0)
            break;
        if (strcmp(key, "name") == 0)
            ret = text_field(v, &c->name, false, key, why);
        else if (strcmp(key, "kind") == 0)
            ret = text_field(v, &c->kind, false, key, why);
        else if (strcmp(key, "target") == 0)
            ret = text_field(v, &c->target, false, key, why);
        else if (strcmp(key, "expect") == 0)
            ret = text_field(v, &c->expect, true, key, why);
        else if (strcmp(key, "port") == 0)
            ret = int_field(v, &c->port, key, why);
        else if (strcmp(key, "interval_s") == 0)
            ret = int_field(v, &c->interval_s, key, why);
        else if (strcmp(key, "timeout_ms") == 0)
            ret = int_field(v, &c->timeout_ms, key, why);
        else if (strcmp(key, "device_id") == 0) {
            if (json_is_null(v))
                c->device_id = 0;
            else if (json_is_integer(v) && json_integer_value(v) > 0)
                c->device_id = json_integer_value(v);
            else
                ret = dash_refusal(why, key, "not_id", NULL);
        } else if (strcmp(key, "enabled") == 0) {
            ret = dash_json_bool(&c->enabled, v, key, why);
        } else if (strcmp(key, "id") != 0) {
            ret = dash_refusal(why, "record", "unknown_field", key);
        }
    }
    return ret;
}

static int apply_check_edit(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    struct check_edit *e = ctx;
    int ret;

    if (ch->id) {
        bool found = false;
        if ((ret = inv_check_rows(db, true, &e->rows, &e->nrows)) < 0)
            return ret;
        for (size_t i = 0; i < e->nrows && !found; i++)
            if (e->rows[i].c.id == ch->id) {
                e->c = e->rows[i].c;
                found = true;
            }
        if (!found)
            return -ENOENT;
    }
    if (check_from_json(e->body, &e->c, &ch->why) < 0)
        return -EINVAL;
    return ch->id ? inv_apply_check_update(db, &e->c, ch) : inv_apply_check_add(db, &e->c, ch);
}

static void check_write(struct dash_req *req, struct dash_reply *out, long long id)
{
    struct check_edit e = {.c = {.interval_s = 60, .timeout_ms = 2000, .enabled = true}};
    struct inv_change ch = {.action = id ? "check.change" : "check.add", .object_type = "check",
                            .id = id, .apply = apply_check_edit, .ctx = &e};

    e.body = dash_body_json(req, out);
    if (!e.body)
        return;
    if (dash_change(req, out, &ch) == 0)
        dash_reply_json(out, id ? MHD_HTTP_OK : MHD_HTTP_CREATED, dash_json_snapshot(ch.after));
    free(ch.after);
    inv_check_rows_free(e.rows, e.nrows);
    json_decref(e.body);
}

/* POST /api/v1/checks */
static void api_check_add(struct dash_req *req, struct dash_reply *out)
{
    check_write(req, out, 0);
}

/* PATCH /api/v1/checks/{id}: the fields given change, the others stay */
static void api_check_change(struct dash_req *req, struct dash_reply *out)
{
    long long id;

    if (dash_param_id(req->params[0], &id) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "id");
        return;
    }
    check_write(req, out, id);
}

/* DELETE /api/v1/checks/{id}: its state and history go with it */
static void api_check_remove(struct dash_req *req, struct dash_reply *out)
{
    dash_change_remove(req, out, "check.remove", "check", inv_apply_check_remove);
}

const struct dash_route dash_check_routes[] = {
    {"/api/v1/checks", DASH_GET, api_checks, "probe.read"},
    {"/api/v1/checks", DASH_POST, api_check_add, "uptime.edit"},
    {"/api/v1/checks/{id}", DASH_GET, api_check_get, "probe.read"},
    {"/api/v1/checks/{id}", DASH_PATCH, api_check_change, "uptime.edit"},
    {"/api/v1/checks/{id}", DASH_DELETE, api_check_remove, "uptime.edit"},
};
const size_t dash_check_nroutes = WW_ARRAY_SIZE(dash_check_routes);

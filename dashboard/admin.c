/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * admin.c - the changing routes: devices (add, change, remove), users (admin) and the audit
 * log (read only), plus the CSV exports. Every change and its audit entry are written in one
 * transaction: there is no change without its record, nor a record of a change that failed.
 */
#include "dashboard/dashboard_int.h"
#include "inventory/inventory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "common/banned.h"

#define CSV_MAX (32u << 20)
#define CSV_ROWS 100000

/* a 400 that names what was wrong: inventory's message without its prefix */
static void reply_invalid(struct dash_reply *out, const char *fallback)
{
    const char *m = ww_last_error();
    const char *p = strstr(m, ": ");
    dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "invalid", *m && p ? p + 2 : fallback);
}

static void reply_for(struct dash_reply *out, int ret, const char *what)
{
    if (ret == -EINVAL)
        reply_invalid(out, what);
    else if (ret == -EEXIST)
        dash_reply_error(out, MHD_HTTP_CONFLICT, "exists", "that already exists");
    else if (ret == -ENOENT)
        dash_reply_error(out, MHD_HTTP_NOT_FOUND, "not_found", "no such record");
    else
        dash_reply_db_failed(out);
}

/* ---- devices -------------------------------------------------------------------------- */

static const char *const device_text_fields[] = {
    "name",   "kind",   "host",      "snmp_version",  "snmp_community", "vendor",
    "model",  "serial", "asset_tag", "purchase_date", "v3_user",        "v3_level",
    "v3_auth_proto", "v3_auth_key", "v3_priv_proto", "v3_priv_key", NULL};

static bool secret_field(const char *key)
{
    return !strcmp(key, "snmp_community") || !strcmp(key, "v3_auth_key") ||
           !strcmp(key, "v3_priv_key");
}

static char **device_text_slot(struct inv_device *d, const char *key)
{
    char **slots[] = {&d->name,         &d->kind,          &d->host,        &d->snmp_version,
                      &d->snmp_community, &d->vendor,      &d->model,       &d->serial,
                      &d->asset_tag,    &d->purchase_date, &d->v3_user,     &d->v3_level,
                      &d->v3_auth_proto, &d->v3_auth_key,  &d->v3_priv_proto, &d->v3_priv_key};
    for (size_t i = 0; device_text_fields[i]; i++)
        if (strcmp(device_text_fields[i], key) == 0)
            return slots[i];
    return NULL;
}

/* apply the JSON fields onto @d (owned strings); -EINVAL with a message in @err */
static int device_from_json(json_t *j, struct inv_device *d, char *err, size_t errsize)
{
    const char *key;
    json_t *v;

    json_object_foreach(j, key, v) {
        char **slot = device_text_slot(d, key);
        if (slot) {
            if (!json_is_string(v) && !json_is_null(v)) {
                snprintf(err, errsize, "%s must be a string", key);
                return -EINVAL;
            }
            free(*slot);
            *slot = json_is_string(v) ? ww_strdup(json_string_value(v)) : NULL;
            /* an empty secret means "leave it": the UI never sees the old one */
            if (secret_field(key) && *slot && !**slot) {
                free(*slot);
                *slot = NULL;
            }
        } else if (strcmp(key, "snmp_port") == 0) {
            if (!json_is_integer(v)) {
                snprintf(err, errsize, "snmp_port must be a whole number");
                return -EINVAL;
            }
            d->snmp_port = json_integer_value(v);
        } else if (strcmp(key, "cost_vnd") == 0) {
            if (!json_is_integer(v) && !json_is_null(v)) {
                snprintf(err, errsize, "cost_vnd must be a whole number or null");
                return -EINVAL;
            }
            d->cost_vnd = json_is_null(v) ? -1 : json_integer_value(v);
            if (d->cost_vnd < -1) {
                snprintf(err, errsize, "cost_vnd must not be negative");
                return -EINVAL;
            }
        } else if (strcmp(key, "parent_id") == 0) {
            if ((!json_is_integer(v) || json_integer_value(v) < 1) && !json_is_null(v)) {
                snprintf(err, errsize, "parent_id must be a device id or null");
                return -EINVAL;
            }
            d->parent_id = json_is_null(v) ? 0 : json_integer_value(v);
        } else if (strcmp(key, "enabled") == 0) {
            if (!json_is_boolean(v)) {
                snprintf(err, errsize, "enabled must be true or false");
                return -EINVAL;
            }
            d->enabled = json_is_true(v);
        } else {
            snprintf(err, errsize, "unknown field '%.40s'", key);
            return -EINVAL;
        }
    }
    return 0;
}

static json_t *snapshot_json(const char *text)
{
    json_t *j = text ? json_loads(text, 0, NULL) : NULL;
    return j ? j : json_null();
}

/* the device's API form after a change: its snapshot (no secret) */
static void reply_device(struct dash_req *req, struct dash_reply *out, unsigned status,
                         const char *snap)
{
    dash_reply_json(out, status, snapshot_json(snap));
}

static void api_device_add(struct dash_req *req, struct dash_reply *out)
{
    json_t *body = dash_body_json(req, out);
    struct inv_device d;
    struct inv_actor who;
    char err[128] = "", idtext[24], *after = NULL;
    long long id = 0;
    int ret;

    inv_device_init(&d);
    if (!body)
        return;
    if (device_from_json(body, &d, err, sizeof(err)) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "invalid", err);
        goto out;
    }
    dash_actor(req, &who);
    dash_lock(req);
    ww_clear_error();
    ret = ww_db_begin(req->srv->db);
    if (ret == 0)
        ret = inv_device_add(req->srv->db, &d, &id);
    if (ret == 0 && d.parent_id)
        ret = inv_device_set_parent(req->srv->db, id, d.parent_id);
    if (ret == 0)
        ret = inv_device_snapshot(req->srv->db, id, &after);
    snprintf(idtext, sizeof(idtext), "%lld", id);
    if (ret == 0)
        ret = inv_audit_add(req->srv->db, &who, "device.add", "device", idtext, NULL, after);
    if (ret == 0)
        ret = ww_db_commit(req->srv->db);
    if (ret < 0)
        ww_db_rollback(req->srv->db);
    dash_unlock(req);
    if (ret < 0)
        reply_for(out, ret, "a field is not valid");
    else
        reply_device(req, out, MHD_HTTP_CREATED, after);
out:
    free(after);
    inv_device_release(&d);
    json_decref(body);
}

static void api_device_change(struct dash_req *req, struct dash_reply *out)
{
    json_t *body = NULL;
    struct inv_device d;
    struct inv_actor who;
    char err[128] = "", *before = NULL, *after = NULL;
    long long id, old_parent = 0;
    int ret;

    inv_device_init(&d);
    if (dash_param_id(req->params[0], &id) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "bad device id");
        return;
    }
    body = dash_body_json(req, out);
    if (!body)
        return;
    dash_actor(req, &who);
    dash_lock(req);
    ww_clear_error();
    ret = ww_db_begin(req->srv->db);
    if (ret == 0)
        ret = inv_device_get(req->srv->db, id, &d);
    if (ret == 0) {
        /* NULL keeps the stored secrets unless the body sets new ones */
        free(d.snmp_community);
        d.snmp_community = NULL;
        free(d.v3_auth_key);
        d.v3_auth_key = NULL;
        free(d.v3_priv_key);
        d.v3_priv_key = NULL;
        old_parent = d.parent_id;
        if (device_from_json(body, &d, err, sizeof(err)) < 0)
            ret = -EBADMSG;
    }
    if (ret == 0)
        ret = inv_device_snapshot(req->srv->db, id, &before);
    if (ret == 0)
        ret = inv_device_update(req->srv->db, &d);
    if (ret == 0 && d.parent_id != old_parent)
        ret = inv_device_set_parent(req->srv->db, id, d.parent_id);
    if (ret == 0)
        ret = inv_device_snapshot(req->srv->db, id, &after);
    if (ret == 0) {
        char idtext[24];
        snprintf(idtext, sizeof(idtext), "%lld", id);
        ret = inv_audit_add(req->srv->db, &who, "device.change", "device", idtext, before,
                            after);
    }
    if (ret == 0)
        ret = ww_db_commit(req->srv->db);
    if (ret < 0)
        ww_db_rollback(req->srv->db);
    dash_unlock(req);
    if (ret == -EBADMSG)
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "invalid", err);
    else if (ret < 0)
        reply_for(out, ret, "a field is not valid");
    else
        reply_device(req, out, MHD_HTTP_OK, after);
    free(before);
    free(after);
    inv_device_release(&d);
    json_decref(body);
}

static void api_device_remove(struct dash_req *req, struct dash_reply *out)
{
    struct inv_actor who;
    char *before = NULL;
    long long id;
    int ret;

    if (dash_param_id(req->params[0], &id) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "bad device id");
        return;
    }
    dash_actor(req, &who);
    dash_lock(req);
    ret = ww_db_begin(req->srv->db);
    if (ret == 0)
        ret = inv_device_snapshot(req->srv->db, id, &before);
    if (ret == 0)
        ret = inv_device_remove(req->srv->db, id);
    if (ret == 0)
        ret = inv_audit_add(req->srv->db, &who, "device.remove", "device", req->params[0],
                            before, NULL);
    if (ret == 0)
        ret = ww_db_commit(req->srv->db);
    if (ret < 0)
        ww_db_rollback(req->srv->db);
    dash_unlock(req);
    if (ret < 0)
        reply_for(out, ret, "cannot remove");
    else
        dash_reply_empty(out, MHD_HTTP_NO_CONTENT);
    free(before);
}

/* ---- CSV exports ------------------------------------------------------------------------ */

static void csv_row(struct ww_buf *b, const char *const *cells, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dash_csv_cell(b, cells[i], i + 1 == n);
}

static void api_devices_csv(struct dash_req *req, struct dash_reply *out)
{
    static const char *const head[] = {"id", "name", "kind", "host", "state", "vendor",
                                       "model", "serial", "asset_tag", "purchase_date",
                                       "cost_vnd", "sys_name", "sys_descr"};
    struct inv_device_list list;
    struct ww_buf b;
    int ret;

    dash_lock(req);
    ret = inv_device_list(req->srv->db, false, CSV_ROWS, 0, &list);
    dash_unlock(req);
    if (ret < 0) {
        dash_reply_db_failed(out);
        return;
    }
    ww_buf_init(&b, CSV_MAX);
    csv_row(&b, head, WW_ARRAY_SIZE(head));
    for (size_t i = 0; i < list.n; i++) {
        const struct inv_device *d = &list.items[i];
        char id[24], cost[24];
        snprintf(id, sizeof(id), "%lld", d->id);
        snprintf(cost, sizeof(cost), "%lld", d->cost_vnd);
        const char *row[] = {id,        d->name,   d->kind,   d->host,      d->state,
                             d->vendor, d->model,  d->serial, d->asset_tag, d->purchase_date,
                             d->cost_vnd >= 0 ? cost : "", d->sys_name, d->sys_descr};
        csv_row(&b, row, WW_ARRAY_SIZE(row));
    }
    inv_device_list_release(&list);
    dash_reply_csv(out, &b, "devices.csv");
    ww_buf_release(&b);
}

static void api_events_csv(struct dash_req *req, struct dash_reply *out)
{
    static const char *const head[] = {"id", "device_id", "device", "type", "started_at",
                                       "ended_at", "message"};
    struct inv_event *ev = NULL;
    size_t n = 0;
    long long total = 0;
    struct ww_buf b;
    int ret;

    dash_lock(req);
    ret = inv_event_list(req->srv->db, 0, CSV_ROWS, 0, &ev, &n, &total);
    dash_unlock(req);
    if (ret < 0) {
        dash_reply_db_failed(out);
        return;
    }
    ww_buf_init(&b, CSV_MAX);
    csv_row(&b, head, WW_ARRAY_SIZE(head));
    for (size_t i = 0; i < n; i++) {
        char id[24], dev[24], t0[32], t1[32];
        snprintf(id, sizeof(id), "%lld", ev[i].id);
        snprintf(dev, sizeof(dev), "%lld", ev[i].device_id);
        ww_time_iso((time_t)ev[i].started_at, t0, sizeof(t0));
        if (ev[i].ended_at >= 0)
            ww_time_iso((time_t)ev[i].ended_at, t1, sizeof(t1));
        else
            t1[0] = '\0';
        const char *row[] = {id, dev, ev[i].device_name, ev[i].type, t0, t1, ev[i].message};
        csv_row(&b, row, WW_ARRAY_SIZE(row));
    }
    inv_event_list_free(ev, n);
    dash_reply_csv(out, &b, "events.csv");
    ww_buf_release(&b);
}

/* ---- users ------------------------------------------------------------------------------ */

static json_t *user_json(const struct inv_user *u)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(u->id));
    json_object_set_new(o, "login", dash_json_text(u->login));
    json_object_set_new(o, "full_name", dash_json_text(u->full_name));
    json_object_set_new(o, "role", dash_json_text(u->role));
    json_object_set_new(o, "lang", dash_json_text(u->lang));
    json_object_set_new(o, "enabled", json_boolean(u->enabled));
    json_object_set_new(o, "created_at", dash_json_time(u->created_at));
    json_object_set_new(o, "last_login_at", dash_json_time(u->last_login_at));
    return o;
}

static void api_users(struct dash_req *req, struct dash_reply *out)
{
    struct inv_user *users = NULL;
    size_t n = 0;
    json_t *items;
    int ret;

    dash_lock(req);
    ret = inv_user_list(req->srv->db, &users, &n);
    dash_unlock(req);
    if (ret < 0) {
        dash_reply_db_failed(out);
        return;
    }
    items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, user_json(&users[i]));
    dash_reply_json(out, MHD_HTTP_OK,
                    json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)n));
    inv_user_list_free(users, n);
}

static void reply_user(struct dash_req *req, struct dash_reply *out, unsigned status,
                       long long id)
{
    struct inv_user u = {0};
    int ret;
    dash_lock(req);
    ret = inv_user_get(req->srv->db, id, &u);
    dash_unlock(req);
    if (ret < 0)
        dash_reply_db_failed(out);
    else
        dash_reply_json(out, status, user_json(&u));
    inv_user_release(&u);
}

static void api_user_add(struct dash_req *req, struct dash_reply *out)
{
    json_t *body = dash_body_json(req, out);
    const char *login, *name, *role, *password, *why = NULL;
    char hash[DASH_PASSWORD_HASH_SIZE], *after = NULL;
    struct inv_actor who;
    long long id = 0;
    int ret;

    if (!body)
        return;
    login = json_string_value(json_object_get(body, "login"));
    name = json_string_value(json_object_get(body, "full_name"));
    role = json_string_value(json_object_get(body, "role"));
    password = json_string_value(json_object_get(body, "password"));
    if (!login || !role || !password) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "invalid",
                         "login, role and password are required strings");
        goto out;
    }
    if (dash_password_policy(login, password, &why) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, why,
                         "the password does not meet the rules (10 to 256 characters, not the "
                         "login)");
        goto out;
    }
    if (dash_password_hash(password, hash, sizeof(hash)) < 0) {
        dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "cannot hash");
        goto out;
    }
    dash_actor(req, &who);
    dash_lock(req);
    ww_clear_error();
    ret = ww_db_begin(req->srv->db);
    if (ret == 0)
        ret = inv_user_add(req->srv->db, login, name, role, hash, &id);
    if (ret == 0)
        ret = inv_user_snapshot(req->srv->db, id, &after);
    if (ret == 0)
        ret = inv_audit_add(req->srv->db, &who, "user.add", "user", login, NULL, after);
    if (ret == 0)
        ret = ww_db_commit(req->srv->db);
    if (ret < 0)
        ww_db_rollback(req->srv->db);
    dash_unlock(req);
    sodium_memzero(hash, sizeof(hash));
    if (ret < 0)
        reply_for(out, ret, "a field is not valid");
    else
        reply_user(req, out, MHD_HTTP_CREATED, id);
out:
    free(after);
    json_decref(body);
}

static void api_user_change(struct dash_req *req, struct dash_reply *out)
{
    json_t *body = NULL, *jrole, *jen, *jname, *jpw;
    char hash[DASH_PASSWORD_HASH_SIZE] = "", *before = NULL, *after = NULL;
    struct inv_user u = {0};
    struct inv_actor who;
    const char *why = NULL, *key;
    json_t *v;
    long long id, admins = 0;
    int ret;

    if (dash_param_id(req->params[0], &id) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "bad user id");
        return;
    }
    body = dash_body_json(req, out);
    if (!body)
        return;
    json_object_foreach(body, key, v) {
        if (strcmp(key, "role") && strcmp(key, "enabled") && strcmp(key, "full_name") &&
            strcmp(key, "password")) {
            dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "invalid", "unknown field");
            goto out;
        }
    }
    jrole = json_object_get(body, "role");
    jen = json_object_get(body, "enabled");
    jname = json_object_get(body, "full_name");
    jpw = json_object_get(body, "password");
    if ((jrole && !json_is_string(jrole)) || (jen && !json_is_boolean(jen)) ||
        (jname && !json_is_string(jname) && !json_is_null(jname)) ||
        (jpw && !json_is_string(jpw))) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "invalid", "a field has the wrong type");
        goto out;
    }
    dash_lock(req);
    ret = inv_user_get(req->srv->db, id, &u);
    dash_unlock(req);
    if (ret < 0) {
        reply_for(out, ret, "no such user");
        goto out;
    }
    if (jpw) {
        if (dash_password_policy(u.login, json_string_value(jpw), &why) < 0) {
            dash_reply_error(out, MHD_HTTP_BAD_REQUEST, why, "the password does not meet the "
                                                             "rules (10 to 256 characters)");
            goto out;
        }
        if (dash_password_hash(json_string_value(jpw), hash, sizeof(hash)) < 0) {
            dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "cannot hash");
            goto out;
        }
    }
    dash_actor(req, &who);
    dash_lock(req);
    ww_clear_error();
    ret = ww_db_begin(req->srv->db);
    if (ret == 0)
        ret = inv_user_snapshot(req->srv->db, id, &before);
    if (ret == 0 && jrole)
        ret = inv_user_set_role(req->srv->db, id, json_string_value(jrole));
    if (ret == 0 && jen)
        ret = inv_user_set_enabled(req->srv->db, id, json_is_true(jen));
    if (ret == 0 && jname)
        ret = inv_user_set_full_name(req->srv->db, id, json_string_value(jname));
    if (ret == 0 && jpw)
        ret = inv_user_set_password(req->srv->db, id, hash);
    /* never leave the office without an enabled admin */
    if (ret == 0 && (ret = inv_user_count_admins(req->srv->db, &admins)) == 0 && admins == 0)
        ret = -EPERM;
    if (ret == 0)
        ret = inv_user_snapshot(req->srv->db, id, &after);
    if (ret == 0)
        ret = inv_audit_add(req->srv->db, &who, jpw ? "user.change_password" : "user.change",
                            "user", u.login, before, after);
    if (ret == 0)
        ret = ww_db_commit(req->srv->db);
    if (ret < 0)
        ww_db_rollback(req->srv->db);
    dash_unlock(req);
    if (ret == -EPERM)
        dash_reply_error(out, MHD_HTTP_CONFLICT, "last_admin",
                         "this would leave no enabled admin");
    else if (ret < 0)
        reply_for(out, ret, "a field is not valid");
    else
        reply_user(req, out, MHD_HTTP_OK, id);
out:
    sodium_memzero(hash, sizeof(hash));
    free(before);
    free(after);
    inv_user_release(&u);
    json_decref(body);
}

/* ---- audit ------------------------------------------------------------------------------ */

static int audit_query(struct dash_req *req, struct dash_reply *out, long long limit,
                       long long offset, struct inv_audit **items, size_t *n, long long *total)
{
    struct inv_audit_filter f = {0};
    const char *from = dash_query(req, "from"), *to = dash_query(req, "to");
    int ret;

    f.actor = dash_query(req, "actor");
    f.action = dash_query(req, "action");
    f.object_type = dash_query(req, "object_type");
    if ((from && dash_param_count(from, 0, 0, 4102444800LL, &f.from) < 0) ||
        (to && dash_param_count(to, 0, 0, 4102444800LL, &f.to) < 0)) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request",
                         "from and to are epoch seconds");
        return -EINVAL;
    }
    if (f.actor && !*f.actor)
        f.actor = NULL;
    if (f.action && !*f.action)
        f.action = NULL;
    if (f.object_type && !*f.object_type)
        f.object_type = NULL;
    dash_lock(req);
    ret = inv_audit_list(req->srv->db, &f, limit, offset, items, n, total);
    dash_unlock(req);
    if (ret < 0)
        dash_reply_db_failed(out);
    return ret;
}

static void api_audit(struct dash_req *req, struct dash_reply *out)
{
    struct inv_audit *a = NULL;
    size_t n = 0;
    long long limit, offset, total = 0;
    json_t *items;

    if (!dash_page_params(req, out, &limit, &offset) ||
        audit_query(req, out, limit, offset, &a, &n, &total) < 0)
        return;
    items = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(a[i].id));
        json_object_set_new(o, "at", dash_json_time(a[i].at));
        json_object_set_new(o, "actor", dash_json_text(a[i].actor));
        json_object_set_new(o, "source", dash_json_text(a[i].source));
        json_object_set_new(o, "remote_addr", dash_json_text(a[i].remote_addr));
        json_object_set_new(o, "action", dash_json_text(a[i].action));
        json_object_set_new(o, "object_type", dash_json_text(a[i].object_type));
        json_object_set_new(o, "object_id", dash_json_text(a[i].object_id));
        json_object_set_new(o, "before", snapshot_json(a[i].before_json));
        json_object_set_new(o, "after", snapshot_json(a[i].after_json));
        json_array_append_new(items, o);
    }
    inv_audit_list_free(a, n);
    dash_reply_json(out, MHD_HTTP_OK,
                    json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total));
}

static void api_audit_csv(struct dash_req *req, struct dash_reply *out)
{
    static const char *const head[] = {"id", "at", "actor", "source", "remote_addr", "action",
                                       "object_type", "object_id", "before", "after"};
    struct inv_audit *a = NULL;
    size_t n = 0;
    long long total = 0;
    struct ww_buf b;

    if (audit_query(req, out, CSV_ROWS, 0, &a, &n, &total) < 0)
        return;
    ww_buf_init(&b, CSV_MAX);
    csv_row(&b, head, WW_ARRAY_SIZE(head));
    for (size_t i = 0; i < n; i++) {
        char id[24], at[32];
        snprintf(id, sizeof(id), "%lld", a[i].id);
        ww_time_iso((time_t)a[i].at, at, sizeof(at));
        const char *row[] = {id, at, a[i].actor, a[i].source, a[i].remote_addr, a[i].action,
                             a[i].object_type, a[i].object_id, a[i].before_json,
                             a[i].after_json};
        csv_row(&b, row, WW_ARRAY_SIZE(row));
    }
    inv_audit_list_free(a, n);
    dash_reply_csv(out, &b, "audit.csv");
    ww_buf_release(&b);
}

const struct dash_route dash_admin_routes[] = {
    {"/api/v1/devices", DASH_POST, api_device_add, "device.write"},
    {"/api/v1/devices/{id}", DASH_PATCH, api_device_change, "device.write"},
    {"/api/v1/devices/{id}", DASH_DELETE, api_device_remove, "device.write"},
    {"/api/v1/devices.csv", DASH_GET, api_devices_csv, "overview.read"},
    {"/api/v1/events.csv", DASH_GET, api_events_csv, "overview.read"},
    {"/api/v1/users", DASH_GET, api_users, "user.admin"},
    {"/api/v1/users", DASH_POST, api_user_add, "user.admin"},
    {"/api/v1/users/{id}", DASH_PATCH, api_user_change, "user.admin"},
    {"/api/v1/audit", DASH_GET, api_audit, "audit.read"},
    {"/api/v1/audit.csv", DASH_GET, api_audit_csv, "audit.read"},
};
const size_t dash_admin_nroutes = WW_ARRAY_SIZE(dash_admin_routes);

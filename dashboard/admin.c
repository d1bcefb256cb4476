/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * admin.c - the changing routes: devices (add, change, remove), users (admin) and the audit
 * log (read only), plus the CSV exports. Every change and its audit entry are written in one
 * transaction: there is no change without its record, nor a record of a change that failed.
 */
#include "dashboard/dashboard_int.h"
#include "inventory/inventory.h"
#include "storage/storage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "common/banned.h"

#define CSV_MAX (32u << 20)
#define CSV_ROWS 100000

/* ---- devices -------------------------------------------------------------------------- */

static const char *const device_text_fields[] = {
    "name",   "kind",   "host",      "snmp_version",  "snmp_community", "vendor",
    "model",  "serial", "asset_tag", "purchase_date", "v3_user",        "v3_level",
    "v3_auth_proto", "v3_auth_key", "v3_priv_proto", "v3_priv_key",
    /* the lifecycle (issue 16) */
    "in_service_date", "warranty_end", "funding_source", "status", "criticality",
    "assigned_to", "notes", NULL};

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
                      &d->v3_auth_proto, &d->v3_auth_key,  &d->v3_priv_proto, &d->v3_priv_key,
                      &d->in_service_date, &d->warranty_end, &d->funding_source, &d->status,
                      &d->criticality,  &d->assigned_to,   &d->notes};
    for (size_t i = 0; device_text_fields[i]; i++)
        if (strcmp(device_text_fields[i], key) == 0)
            return slots[i];
    return NULL;
}

/* the fields that name another record (null = none): its uplink, unit and location */
static long long *device_id_slot(struct inv_device *d, const char *key)
{
    return !strcmp(key, "parent_id")     ? &d->parent_id
           : !strcmp(key, "unit_id")     ? &d->unit_id
           : !strcmp(key, "location_id") ? &d->location_id
           : !strcmp(key, "assigned_staff_id") ? &d->assigned_staff_id
                                         : NULL;
}

/* apply the JSON fields onto @d (owned strings); -EINVAL with the refusal in @why */
static int device_from_json(json_t *j, struct inv_device *d, struct inv_refusal *why)
{
    const char *key;
    long long *id_slot;
    json_t *v;

    json_object_foreach(j, key, v) {
        char **slot = device_text_slot(d, key);
        if (slot) {
            if (!json_is_string(v) && !json_is_null(v))
                return dash_refusal(why, key, "not_string", NULL);
            free(*slot);
            *slot = json_is_string(v) ? ww_strdup(json_string_value(v)) : NULL;
            /* an empty secret means "leave it": the UI never sees the old one */
            if (secret_field(key) && *slot && !**slot) {
                free(*slot);
                *slot = NULL;
            }
        } else if (strcmp(key, "snmp_port") == 0) {
            if (!json_is_integer(v))
                return dash_refusal(why, key, "not_integer", NULL);
            d->snmp_port = json_integer_value(v);
        } else if (strcmp(key, "cost_vnd") == 0) {
            if (!json_is_integer(v) && !json_is_null(v))
                return dash_refusal(why, key, "not_integer", NULL);
            d->cost_vnd = json_is_null(v) ? -1 : json_integer_value(v);
            if (d->cost_vnd < -1)
                return dash_refusal(why, key, "out_of_range", ">= 0");
        } else if (strcmp(key, "lifespan_years") == 0) {
            if (!json_is_integer(v) && !json_is_null(v))
                return dash_refusal(why, key, "not_integer", NULL);
            d->lifespan_years = json_is_null(v) ? 0 : json_integer_value(v);
            if (d->lifespan_years < 1 && !json_is_null(v))
                return dash_refusal(why, key, "out_of_range", "1-" WW_STR(INV_LIFESPAN_MAX));
        } else if ((id_slot = device_id_slot(d, key))) {
            if ((!json_is_integer(v) || json_integer_value(v) < 1) && !json_is_null(v))
                return dash_refusal(why, key, "not_id", NULL);
            *id_slot = json_is_null(v) ? 0 : json_integer_value(v);
        } else if (strcmp(key, "enabled") == 0) {
            if (!json_is_boolean(v))
                return dash_refusal(why, key, "not_boolean", NULL);
            d->enabled = json_is_true(v);
        } else {
            return dash_refusal(why, "record", "unknown_field", key);
        }
    }
    /* a holder typed by name is nobody's staff record (unless the same change names one) */
    if (json_object_get(j, "assigned_to") && !json_object_get(j, "assigned_staff_id"))
        d->assigned_staff_id = 0;
    return 0;
}

/* the device's API form after a change: its snapshot (no secret) */
static void reply_device(struct dash_req *req, struct dash_reply *out, unsigned status,
                         const char *snap)
{
    dash_reply_json(out, status, dash_json_snapshot(snap));
}

static void api_device_add(struct dash_req *req, struct dash_reply *out)
{
    json_t *body = dash_body_json(req, out);
    struct inv_device d;
    struct inv_change ch = {.action = "device.add", .object_type = "device",
                            .apply = inv_apply_device_add, .ctx = &d};
    struct inv_refusal why;

    inv_device_init(&d);
    if (!body)
        return;
    if (device_from_json(body, &d, &why) < 0)
        dash_reply_refused(out, -EINVAL, &why);
    else if (dash_change(req, out, &ch) == 0)
        reply_device(req, out, MHD_HTTP_CREATED, ch.after);
    free(ch.after);
    inv_device_release(&d);
    json_decref(body);
}

/* the stored device with the body's fields applied: the change reads and writes in one
 * transaction, so a concurrent change is never half taken over */
struct device_edit {
    json_t *body;
    struct inv_device d;
};

static int apply_device_edit(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    struct device_edit *e = ctx;
    int ret = inv_device_get(db, ch->id, &e->d);

    if (ret < 0)
        return ret;
    /* NULL keeps the stored secrets unless the body sets new ones */
    free(e->d.snmp_community);
    e->d.snmp_community = NULL;
    free(e->d.v3_auth_key);
    e->d.v3_auth_key = NULL;
    free(e->d.v3_priv_key);
    e->d.v3_priv_key = NULL;
    if (device_from_json(e->body, &e->d, &ch->why) < 0)
        return -EINVAL;
    return inv_apply_device_update(db, &e->d, ch);
}

static void api_device_change(struct dash_req *req, struct dash_reply *out)
{
    struct device_edit e = {0};
    struct inv_change ch = {.action = "device.change", .object_type = "device",
                            .apply = apply_device_edit, .ctx = &e};

    inv_device_init(&e.d);
    if (dash_param_id(req->params[0], &ch.id) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "id");
        return;
    }
    e.body = dash_body_json(req, out);
    if (!e.body)
        return;
    if (dash_change(req, out, &ch) == 0)
        reply_device(req, out, MHD_HTTP_OK, ch.after);
    free(ch.after);
    inv_device_release(&e.d);
    json_decref(e.body);
}

static void api_device_remove(struct dash_req *req, struct dash_reply *out)
{
    struct inv_change ch = {.action = "device.remove", .object_type = "device",
                            .apply = inv_apply_device_remove};

    if (dash_param_id(req->params[0], &ch.id) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "id");
        return;
    }
    if (dash_change(req, out, &ch) == 0) {
        /* committed: its metric files move aside, so that nothing inherits them */
        if (req->srv->store) {
            pthread_mutex_lock(&req->srv->store_lock);
            store_retire(req->srv->store, ch.id, time(NULL));
            pthread_mutex_unlock(&req->srv->store_lock);
        }
        dash_reply_empty(out, MHD_HTTP_NO_CONTENT);
    }
    free(ch.after);
}

/* ---- CSV exports ------------------------------------------------------------------------ */

static void api_devices_csv(struct dash_req *req, struct dash_reply *out)
{
    /* the import's columns (inv_import_columns[]) and the read-only ones it skips: an
     * export imports as it is into another register */
    static const char *const head[] = {
        "id", "name", "kind", "host", "snmp_port", "snmp_version", "state", "vendor", "model",
        "serial", "asset_tag", "purchase_date", "cost_vnd", "in_service_date", "warranty_end",
        "funding_source", "lifespan_years", "status", "criticality", "assigned_to", "notes",
        "sys_name", "sys_descr"};
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
    dash_csv_head(req, &b, head, WW_ARRAY_SIZE(head));
    for (size_t i = 0; i < list.n; i++) {
        const struct inv_device *d = &list.items[i];
        char id[24], cost[24], port[8], life[8];
        snprintf(id, sizeof(id), "%lld", d->id);
        snprintf(cost, sizeof(cost), "%lld", d->cost_vnd);
        snprintf(port, sizeof(port), "%lld", d->snmp_port);
        snprintf(life, sizeof(life), "%lld", d->lifespan_years);
        const char *row[] = {id,           d->name,         d->kind,
                             d->host,      port,            d->snmp_version,
                             d->state,     d->vendor,       d->model,
                             d->serial,    d->asset_tag,    d->purchase_date,
                             d->cost_vnd >= 0 ? cost : "",  d->in_service_date,
                             d->warranty_end, d->funding_source,
                             d->lifespan_years > 0 ? life : "", d->status,
                             d->criticality, d->assigned_to, d->notes,
                             d->sys_name,  d->sys_descr};
        dash_csv_row(&b, row, WW_ARRAY_SIZE(row));
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
    dash_csv_head(req, &b, head, WW_ARRAY_SIZE(head));
    for (size_t i = 0; i < n; i++) {
        char id[24], dev[24], t0[32], t1[32];
        snprintf(id, sizeof(id), "%lld", ev[i].id);
        snprintf(dev, sizeof(dev), "%lld", ev[i].device_id);
        ww_time_iso((time_t)ev[i].started_at, t0, sizeof(t0));
        if (ev[i].ended_at >= 0)
            ww_time_iso((time_t)ev[i].ended_at, t1, sizeof(t1));
        else
            t1[0] = '\0';
        char *text = dash_event_text(req, ev[i].reason, ev[i].params, ev[i].message);
        const char *row[] = {id, dev, ev[i].device_name, ev[i].type, t0, t1, text};
        dash_csv_row(&b, row, WW_ARRAY_SIZE(row));
        free(text);
    }
    inv_event_list_free(ev, n);
    dash_reply_csv(out, &b, "events.csv");
    ww_buf_release(&b);
}

/* ---- users ------------------------------------------------------------------------------ */

/* a user's lock: from how many addresses the login may not try now, and until when */
struct user_lock {
    long long addrs, until;
};

static void user_lock_get(struct dash_req *req, const struct inv_user *u, time_t now,
                          struct user_lock *out_lock)
{
    if (inv_auth_locked(req->srv->db, u->login, now - DASH_FAIL_WINDOW_S, DASH_PAIR_TRIES,
                        DASH_FAIL_WINDOW_S, &out_lock->addrs, &out_lock->until) < 0)
        *out_lock = (struct user_lock){0};
}

static json_t *user_json(const struct inv_user *u, const struct user_lock *lock)
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
    json_object_set_new(o, "locked", json_boolean(lock->addrs > 0));
    json_object_set_new(o, "locked_addresses", json_integer(lock->addrs));
    json_object_set_new(o, "locked_until", dash_json_time(lock->until));
    return o;
}

static void api_users(struct dash_req *req, struct dash_reply *out)
{
    struct inv_user *users = NULL;
    struct user_lock *locks = NULL;
    size_t n = 0;
    time_t now = time(NULL);
    json_t *items;
    int ret;

    dash_lock(req);
    ret = inv_user_list(req->srv->db, &users, &n);
    if (ret == 0) {
        locks = ww_calloc(n ? n : 1, sizeof(*locks));
        for (size_t i = 0; i < n; i++)
            user_lock_get(req, &users[i], now, &locks[i]);
    }
    dash_unlock(req);
    if (ret < 0) {
        dash_reply_db_failed(out);
        return;
    }
    items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, user_json(&users[i], &locks[i]));
    free(locks);
    dash_reply_json(out, MHD_HTTP_OK,
                    json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)n));
    inv_user_list_free(users, n);
}

static void reply_user(struct dash_req *req, struct dash_reply *out, unsigned status,
                       long long id)
{
    struct inv_user u = {0};
    struct user_lock lock = {0};
    int ret;
    dash_lock(req);
    ret = inv_user_get(req->srv->db, id, &u);
    if (ret == 0)
        user_lock_get(req, &u, time(NULL), &lock);
    dash_unlock(req);
    if (ret < 0)
        dash_reply_db_failed(out);
    else
        dash_reply_json(out, status, user_json(&u, &lock));
    inv_user_release(&u);
}

static void api_user_add(struct dash_req *req, struct dash_reply *out)
{
    json_t *body = dash_body_json(req, out);
    const char *password, *why = NULL;
    char hash[DASH_PASSWORD_HASH_SIZE];
    struct inv_user_new u = {.password_hash = hash};
    struct inv_change ch = {.action = "user.add", .object_type = "user",
                            .apply = inv_apply_user_add, .ctx = &u};
    int ret;

    if (!body)
        return;
    u.login = json_string_value(json_object_get(body, "login"));
    u.full_name = json_string_value(json_object_get(body, "full_name"));
    u.role = json_string_value(json_object_get(body, "role"));
    password = json_string_value(json_object_get(body, "password"));
    if (!u.login || !u.role || !password) {
        struct inv_refusal r;
        dash_refusal(&r, !u.login ? "login" : !u.role ? "role" : "password", "required", NULL);
        dash_reply_refused(out, -EINVAL, &r);
        goto out;
    }
    if (dash_password_policy(u.login, password, &why) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, why, "password");
        goto out;
    }
    if (dash_hash_enter() < 0) {
        dash_reply_busy(out);
        goto out;
    }
    ret = dash_password_hash(password, hash, sizeof(hash));
    dash_hash_leave();
    if (ret < 0) {
        dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
        goto out;
    }
    ch.audit_id = u.login;
    if (dash_change(req, out, &ch) == 0)
        reply_user(req, out, MHD_HTTP_CREATED, ch.id);
    sodium_memzero(hash, sizeof(hash));
out:
    free(ch.after);
    json_decref(body);
}

/* the user @id into @u, or the reply (404, 500) and < 0 */
static int user_of(struct dash_req *req, struct dash_reply *out, long long id,
                   struct inv_user *u)
{
    int ret;
    dash_lock(req);
    ret = inv_user_get(req->srv->db, id, u);
    dash_unlock(req);
    if (ret < 0)
        dash_reply_refused(out, ret, NULL);
    return ret;
}

static void api_user_change(struct dash_req *req, struct dash_reply *out)
{
    json_t *body = NULL, *role, *enabled, *name, *password;
    char hash[DASH_PASSWORD_HASH_SIZE] = "";
    struct inv_user_edit e = {.enabled = -1};
    struct inv_change ch = {.object_type = "user", .apply = inv_apply_user_edit, .ctx = &e};
    struct inv_user u = {0};
    struct inv_refusal r;
    const char *why = NULL, *key;
    json_t *v;
    int ret;

    if (dash_param_id(req->params[0], &ch.id) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "id");
        return;
    }
    body = dash_body_json(req, out);
    if (!body)
        return;
    json_object_foreach(body, key, v) {
        if (strcmp(key, "role") && strcmp(key, "enabled") && strcmp(key, "full_name") &&
            strcmp(key, "password")) {
            dash_refusal(&r, "record", "unknown_field", key);
            dash_reply_refused(out, -EINVAL, &r);
            goto out;
        }
    }
    role = json_object_get(body, "role");
    enabled = json_object_get(body, "enabled");
    name = json_object_get(body, "full_name");
    password = json_object_get(body, "password");
    if ((role && !json_is_string(role)) || (name && !json_is_string(name) &&
                                            !json_is_null(name)) ||
        (password && !json_is_string(password))) {
        dash_refusal(&r, role && !json_is_string(role) ? "role"
                         : password && !json_is_string(password) ? "password"
                                                                 : "full_name",
                     "not_string", NULL);
        dash_reply_refused(out, -EINVAL, &r);
        goto out;
    }
    if (enabled && !json_is_boolean(enabled)) {
        dash_refusal(&r, "enabled", "not_boolean", NULL);
        dash_reply_refused(out, -EINVAL, &r);
        goto out;
    }
    if (user_of(req, out, ch.id, &u) < 0)
        goto out;
    if (password) {
        if (dash_password_policy(u.login, json_string_value(password), &why) < 0) {
            dash_reply_error(out, MHD_HTTP_BAD_REQUEST, why, "password");
            goto out;
        }
        if (dash_hash_enter() < 0) {
            dash_reply_busy(out);
            goto out;
        }
        ret = dash_password_hash(json_string_value(password), hash, sizeof(hash));
        dash_hash_leave();
        if (ret < 0) {
            dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
            goto out;
        }
        e.password_hash = hash;
    }
    e.role = json_string_value(role);
    e.enabled = enabled ? json_is_true(enabled) : -1;
    e.set_full_name = name != NULL;
    e.full_name = json_string_value(name);
    ch.action = password ? "user.change_password" : "user.change";
    ch.audit_id = u.login;
    if (dash_change(req, out, &ch) == 0)
        reply_user(req, out, MHD_HTTP_OK, ch.id);
out:
    sodium_memzero(hash, sizeof(hash));
    free(ch.after);
    inv_user_release(&u);
    json_decref(body);
}

/* a locked user (POST /users/{id}/unlock): every (login, address) pair of the login counts
 * from zero, through the audited path (before/after: the failures still counted) */
static void api_user_unlock(struct dash_req *req, struct dash_reply *out)
{
    struct inv_change ch = {.action = "user.unlock", .object_type = "user_lock",
                            .apply = inv_apply_user_unlock};
    struct inv_user u = {0};

    if (dash_param_id(req->params[0], &ch.id) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "id");
        return;
    }
    if (user_of(req, out, ch.id, &u) < 0)
        goto out;
    ch.key = u.login;
    if (dash_change(req, out, &ch) == 0)
        reply_user(req, out, MHD_HTTP_OK, u.id);
out:
    free(ch.after);
    inv_user_release(&u);
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
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "from");
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
        json_object_set_new(o, "before", dash_json_snapshot(a[i].before_json));
        json_object_set_new(o, "after", dash_json_snapshot(a[i].after_json));
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
    dash_csv_head(req, &b, head, WW_ARRAY_SIZE(head));
    for (size_t i = 0; i < n; i++) {
        char id[24], at[32];
        snprintf(id, sizeof(id), "%lld", a[i].id);
        ww_time_iso((time_t)a[i].at, at, sizeof(at));
        const char *row[] = {id, at, a[i].actor, a[i].source, a[i].remote_addr, a[i].action,
                             a[i].object_type, a[i].object_id, a[i].before_json,
                             a[i].after_json};
        dash_csv_row(&b, row, WW_ARRAY_SIZE(row));
    }
    inv_audit_list_free(a, n);
    dash_reply_csv(out, &b, "audit.csv");
    ww_buf_release(&b);
}

/* ---- CSV import ------------------------------------------------------------------------- */

/* "1" or "0" (absent = 0); anything else is a 400 */
static bool flag_param(struct dash_req *req, struct dash_reply *out, const char *name,
                       bool *out_on)
{
    const char *v = dash_query(req, name);

    *out_on = v && strcmp(v, "1") == 0;
    if (!v || !strcmp(v, "0") || *out_on)
        return true;
    dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", name);
    return false;
}

/* the import's answer: counts and each refusal with its row, column and words */
static json_t *import_json(struct dash_req *req, const struct inv_import_result *r)
{
    json_t *errors = json_array();

    for (size_t i = 0; i < r->n_errors; i++) {
        const struct inv_import_error *e = &r->errors[i];
        char *msg = dash_refusal_text(req, &e->why, "invalid", NULL);
        json_array_append_new(
            errors, json_pack("{s:I, s:i, s:s, s:s, s:{s:o}, s:o}", "row", (json_int_t)e->row,
                              "column", e->column, "field", e->why.field, "reason",
                              e->why.reason, "params", "param", dash_json_text(e->why.param),
                              "message", dash_json_text(msg)));
        free(msg);
    }
    return json_pack("{s:I, s:I, s:I, s:I, s:I, s:o, s:I}", "rows", (json_int_t)r->rows, "valid",
                     (json_int_t)r->valid, "written", (json_int_t)r->written, "added",
                     (json_int_t)r->added, "updated", (json_int_t)r->updated, "errors", errors,
                     "errors_more", (json_int_t)r->errors_more);
}

const char *dash_import_perm(const char *path)
{
    return !strcmp(path, DASH_IMPORT_PATH)            ? "device.write"
           : !strcmp(path, DASH_UNIT_IMPORT_PATH)     ? "units.write"
           : !strcmp(path, DASH_STAFF_IMPORT_PATH)    ? "training.write"
           : !strcmp(path, DASH_TRAINING_IMPORT_PATH) ? "training.write"
                                                      : NULL;
}

bool dash_import_opts(struct dash_req *req, struct dash_reply *out, struct inv_import_opts *o,
                      struct inv_actor *actor)
{
    static const char *const params[] = {"dry_run", "only_valid", NULL};

    memset(o, 0, sizeof(*o));
    if (!dash_query_whitelisted(req, params, out) || !flag_param(req, out, "dry_run", &o->dry_run) ||
        !flag_param(req, out, "only_valid", &o->only_valid))
        return false;
    dash_actor(req, actor);
    o->actor = actor;
    o->words = req->srv->words;
    return true;
}

void dash_import_reply(struct dash_req *req, struct dash_reply *out, int ret,
                       const struct inv_import_result *r)
{
    dash_import_reply_more(req, out, ret, r, NULL);
}

void dash_import_reply_more(struct dash_req *req, struct dash_reply *out, int ret,
                            const struct inv_import_result *r, json_t *more)
{
    json_t *j;

    if (ret != 0 && ret != -EINVAL && ret != -EAGAIN) {
        json_decref(more);
        dash_reply_refused(out, ret, NULL);
        return;
    }
    j = import_json(req, r);
    if (more)
        json_object_update_new(j, more);
    dash_reply_json(out, ret == 0 || ret == -EAGAIN ? MHD_HTTP_OK
                         : r->file_refused          ? MHD_HTTP_BAD_REQUEST
                                                    : MHD_HTTP_UNPROCESSABLE_CONTENT,
                    j);
}

/* POST /devices/import: the body is the CSV file (its size limit: DASH_IMPORT_BODY_MAX) */
static void api_devices_import(struct dash_req *req, struct dash_reply *out)
{
    struct inv_import_opts o;
    struct inv_import_result r;
    struct inv_actor actor;
    int ret;

    if (!dash_import_opts(req, out, &o, &actor))
        return;
    dash_lock(req);
    ret = inv_import_devices(req->srv->db, req->body.data ? req->body.data : "", req->body.len,
                             &o, &r);
    dash_unlock(req);
    dash_import_reply(req, out, ret, &r);
    inv_import_result_release(&r);
}

const struct dash_route dash_admin_routes[] = {
    {DASH_IMPORT_PATH, DASH_POST, api_devices_import, "device.write"},
    {"/api/v1/devices", DASH_POST, api_device_add, "device.write"},
    {"/api/v1/devices/{id}", DASH_PATCH, api_device_change, "device.write"},
    {"/api/v1/devices/{id}", DASH_DELETE, api_device_remove, "device.write"},
    {"/api/v1/devices.csv", DASH_GET, api_devices_csv, "overview.read"},
    {"/api/v1/events.csv", DASH_GET, api_events_csv, "overview.read"},
    {"/api/v1/users", DASH_GET, api_users, "user.admin"},
    {"/api/v1/users", DASH_POST, api_user_add, "user.admin"},
    {"/api/v1/users/{id}", DASH_PATCH, api_user_change, "user.admin"},
    {"/api/v1/users/{id}/unlock", DASH_POST, api_user_unlock, "user.admin"},
    {"/api/v1/audit", DASH_GET, api_audit, "audit.read"},
    {"/api/v1/audit.csv", DASH_GET, api_audit_csv, "audit.read"},
};
const size_t dash_admin_nroutes = WW_ARRAY_SIZE(dash_admin_routes);

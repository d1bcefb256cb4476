/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * api.c - the JSON API under /api/v1/: health, devices, one device with its interfaces,
 * events. Read from inventory/ under the server's db_lock, built with jansson after the
 * lock is released.
 *
 * Everything a device sent (sysDescr, interface names, ...) can hold any bytes: every text
 * goes through dash_json_text(), which makes it valid UTF-8 first. The SNMP community is a
 * secret and is never put in a reply.
 */
#include "dashboard/dashboard_int.h"
#include "inventory/inventory.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

json_t *dash_json_text(const char *s)
{
    json_t *j;
    char *clean;

    if (!s)
        return json_null();
    clean = ww_utf8_sanitize(s, strlen(s));
    j = json_string(clean);
    free(clean);
    return j ? j : json_null();
}

json_t *dash_json_id(long long id)
{
    return id > 0 ? json_integer(id) : json_null();
}

json_t *dash_json_snapshot(const char *text)
{
    json_t *j = text ? json_loads(text, 0, NULL) : NULL;
    return j ? j : json_null();
}

json_t *dash_json_time(long long t)
{
    char buf[32];

    if (t <= 0)
        return json_null();
    ww_time_iso((time_t)t, buf, sizeof(buf));
    return buf[0] ? json_string(buf) : json_null();
}

static json_t *json_count_or_null(long long v)
{
    return v < 0 ? json_null() : json_integer(v);
}

json_t *dash_json_real(double v)
{
    return isnan(v) || isinf(v) ? json_null() : json_real(v);
}

const char *dash_query(struct dash_req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

void dash_lock(struct dash_req *req)
{
    pthread_mutex_lock(&req->srv->db_lock);
}

void dash_unlock(struct dash_req *req)
{
    pthread_mutex_unlock(&req->srv->db_lock);
}

int dash_change_mark(struct dash_req *req, struct inv_change_mark *out)
{
    int ret;

    dash_lock(req);
    ret = inv_change_mark(req->srv->db, out);
    dash_unlock(req);
    return ret;
}

/* ---- a kept computation (dash_keep) ----------------------------------------------------- */

void dash_keep_init(struct dash_keep *k)
{
    memset(k, 0, sizeof(*k));
    pthread_mutex_init(&k->lock, NULL);
    pthread_mutex_init(&k->compute_lock, NULL);
}

void dash_keep_destroy(struct dash_keep *k)
{
    dash_keep_put(k, k->kept);
    k->kept = NULL;
    pthread_mutex_destroy(&k->lock);
    pthread_mutex_destroy(&k->compute_lock);
}

struct dash_kept *dash_keep_get(struct dash_keep *k, long long mark, int max_age_s,
                                bool (*same)(const struct dash_kept *v, const void *ctx),
                                const void *ctx)
{
    time_t now = time(NULL);
    struct dash_kept *v;

    pthread_mutex_lock(&k->lock);
    v = k->kept;
    if (v && (v->mark != mark || now < v->at || now - v->at >= max_age_s ||
              (same && !same(v, ctx))))
        v = NULL;
    if (v)
        v->refs++;
    pthread_mutex_unlock(&k->lock);
    return v;
}

void dash_keep_put(struct dash_keep *k, struct dash_kept *v)
{
    bool last;

    if (!v)
        return;
    pthread_mutex_lock(&k->lock);
    last = --v->refs == 0;
    pthread_mutex_unlock(&k->lock);
    if (last)
        v->release(v);
}

void dash_keep_set(struct dash_keep *k, struct dash_kept *v, long long mark)
{
    struct dash_kept *old;

    v->at = time(NULL);
    v->mark = mark;
    v->refs = 2; /* the keeper's and the caller's */
    pthread_mutex_lock(&k->lock);
    old = k->kept;
    k->kept = v;
    pthread_mutex_unlock(&k->lock);
    dash_keep_put(k, old);
}

void dash_reply_db_failed(struct dash_reply *out)
{
    dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
}

bool dash_page_params(struct dash_req *req, struct dash_reply *out, long long *out_limit,
                        long long *out_offset)
{
    const char *bad = NULL;

    if (dash_param_page(dash_query(req, "limit"), dash_query(req, "offset"), out_limit,
                        out_offset, &bad) == 0)
        return true;
    dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", bad);
    return false;
}

static json_t *device_json(const struct inv_device *d)
{
    json_t *o = json_object();

    /* never d->snmp_community */
    json_object_set_new(o, "id", json_integer(d->id));
    json_object_set_new(o, "name", dash_json_text(d->name));
    json_object_set_new(o, "kind", dash_json_text(d->kind));
    json_object_set_new(o, "host", dash_json_text(d->host));
    json_object_set_new(o, "snmp_port", json_integer(d->snmp_port));
    json_object_set_new(o, "snmp_version", dash_json_text(d->snmp_version));
    /* SNMPv3: who and how, never the pass phrases */
    json_object_set_new(o, "v3_user", dash_json_text(d->v3_user));
    json_object_set_new(o, "v3_level", dash_json_text(d->v3_level));
    json_object_set_new(o, "v3_auth_proto", dash_json_text(d->v3_auth_proto));
    json_object_set_new(o, "v3_priv_proto", dash_json_text(d->v3_priv_proto));
    json_object_set_new(o, "vendor", dash_json_text(d->vendor));
    json_object_set_new(o, "model", dash_json_text(d->model));
    json_object_set_new(o, "serial", dash_json_text(d->serial));
    json_object_set_new(o, "asset_tag", dash_json_text(d->asset_tag));
    json_object_set_new(o, "purchase_date", dash_json_text(d->purchase_date));
    json_object_set_new(o, "cost_vnd", json_count_or_null(d->cost_vnd));
    /* the lifecycle (issue 16) */
    json_object_set_new(o, "in_service_date", dash_json_text(d->in_service_date));
    json_object_set_new(o, "warranty_end", dash_json_text(d->warranty_end));
    json_object_set_new(o, "funding_source", dash_json_text(d->funding_source));
    json_object_set_new(o, "lifespan_years",
                        d->lifespan_years > 0 ? json_integer(d->lifespan_years) : json_null());
    json_object_set_new(o, "status", dash_json_text(d->status ? d->status : "in_use"));
    json_object_set_new(o, "criticality",
                        dash_json_text(d->criticality ? d->criticality : "normal"));
    json_object_set_new(o, "assigned_to", dash_json_text(d->assigned_to));
    json_object_set_new(o, "assigned_staff_id", d->assigned_staff_id
                                                    ? json_integer(d->assigned_staff_id)
                                                    : json_null());
    json_object_set_new(o, "notes", dash_json_text(d->notes));
    json_object_set_new(o, "enabled", json_boolean(d->enabled));
    json_object_set_new(o, "state", dash_json_text(d->state ? d->state : "unknown"));
    json_object_set_new(o, "state_since", dash_json_time(d->state_since));
    json_object_set_new(o, "last_poll", dash_json_time(d->last_poll));
    json_object_set_new(o, "last_ok", dash_json_time(d->last_ok));
    json_object_set_new(o, "uptime_seconds",
                        d->uptime_ticks < 0 ? json_null() : json_integer(d->uptime_ticks / 100));
    json_object_set_new(o, "poll_ms", json_count_or_null(d->poll_ms));
    json_object_set_new(o, "first_ok", dash_json_time(d->first_ok));
    json_object_set_new(o, "last_reason", dash_json_text(d->last_reason));
    json_object_set_new(o, "last_reason_param", dash_json_text(d->last_reason_param));
    json_object_set_new(o, "icmp_ok", d->icmp_ok < 0 ? json_null() : json_boolean(d->icmp_ok));
    /* what was seen of a device that does not answer: the checklist's key (inventory's rule) */
    json_object_set_new(o, "cause", dash_json_text(inv_down_cause(d->state, d->last_reason,
                                                                  d->icmp_ok)));
    json_object_set_new(o, "sys_name", dash_json_text(d->sys_name));
    json_object_set_new(o, "sys_descr", dash_json_text(d->sys_descr));
    json_object_set_new(o, "os", dash_json_text(d->os_name));
    json_object_set_new(o, "parent_id", d->parent_id > 0 ? json_integer(d->parent_id) : json_null());
    json_object_set_new(o, "parent_name", dash_json_text(d->parent_name));
    json_object_set_new(o, "unit_id", d->unit_id > 0 ? json_integer(d->unit_id) : json_null());
    json_object_set_new(o, "unit_name", dash_json_text(d->unit_name));
    json_object_set_new(o, "location_id",
                        d->location_id > 0 ? json_integer(d->location_id) : json_null());
    json_object_set_new(o, "location_name", dash_json_text(d->location_name));
    json_object_set_new(o, "in_maintenance", json_boolean(d->in_maintenance));
    json_object_set_new(o, "cpu_pct", dash_json_real(d->metrics.cpu_pct));
    json_object_set_new(o, "mem_pct", dash_json_real(d->metrics.mem_pct));
    json_object_set_new(o, "disk_max_pct", dash_json_real(d->metrics.disk_max_pct));
    json_object_set_new(o, "ups_on_battery", d->metrics.ups_on_battery < 0
                                                 ? json_null()
                                                 : json_boolean(d->metrics.ups_on_battery));
    json_object_set_new(o, "ups_runtime_min", dash_json_real(d->metrics.ups_runtime_min));
    json_object_set_new(o, "ups_charge_pct", dash_json_real(d->metrics.ups_charge_pct));
    json_object_set_new(o, "supply_min_pct", dash_json_real(d->metrics.supply_min_pct));
    return o;
}

static json_t *interface_json(const struct inv_interface *i)
{
    json_t *o = json_object();

    json_object_set_new(o, "id", json_integer(i->id));
    json_object_set_new(o, "if_index", json_integer(i->if_index));
    json_object_set_new(o, "key", dash_json_text(i->if_key));
    json_object_set_new(o, "name", dash_json_text(i->name));
    json_object_set_new(o, "descr", dash_json_text(i->descr));
    json_object_set_new(o, "alias", dash_json_text(i->alias));
    json_object_set_new(o, "type", json_integer(i->type));
    json_object_set_new(o, "speed_bps", json_integer(i->speed_bps));
    json_object_set_new(o, "admin_status", json_integer(i->admin_status));
    json_object_set_new(o, "oper_status", json_integer(i->oper_status));
    json_object_set_new(o, "hc", json_boolean(i->hc));
    /* 64-bit counters exceed what JavaScript numbers hold exactly: strings */
    json_object_set_new(o, "in_octets", dash_json_text(i->in_octets));
    json_object_set_new(o, "out_octets", dash_json_text(i->out_octets));
    json_object_set_new(o, "in_bps", dash_json_real(i->in_bps));
    json_object_set_new(o, "out_bps", dash_json_real(i->out_bps));
    json_object_set_new(o, "oper_since", dash_json_time(i->oper_since));
    return o;
}

/* an event: its type, its reason code and parameters (the UI renders them from its own
 * i18n files) and the same rendered in the reader's language as "message" */
static json_t *event_json(struct dash_req *req, const struct inv_event *e)
{
    json_t *o = json_object(), *params = e->params ? json_loads(e->params, 0, NULL) : NULL;
    char *text = dash_event_text(req, e->reason, e->params, e->message);

    json_object_set_new(o, "id", json_integer(e->id));
    json_object_set_new(o, "device_id", json_integer(e->device_id));
    json_object_set_new(o, "device_name", dash_json_text(e->device_name));
    json_object_set_new(o, "type", dash_json_text(e->type));
    json_object_set_new(o, "started_at", dash_json_time(e->started_at));
    json_object_set_new(o, "ended_at", dash_json_time(e->ended_at));
    json_object_set_new(o, "reason", dash_json_text(e->reason));
    json_object_set_new(o, "params", json_is_object(params) ? params : json_object());
    if (!json_is_object(params))
        json_decref(params);
    json_object_set_new(o, "message", dash_json_text(text));
    free(text);
    return o;
}

static json_t *list_json(json_t *items, long long total)
{
    return json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total);
}

static void api_health(struct dash_req *req, struct dash_reply *out)
{
    dash_reply_json(out, MHD_HTTP_OK, json_pack("{s:s}", "status", "ok"));
}

static void api_devices(struct dash_req *req, struct dash_reply *out)
{
    struct inv_device_list list = {0};
    long long limit, offset;
    json_t *items;
    int ret;

    if (!dash_page_params(req, out, &limit, &offset))
        return;
    dash_lock(req);
    ret = inv_device_list(req->srv->db, false, limit, offset, &list);
    if (ret == 0)
        ret = inv_device_mark_maintenance(req->srv->db, list.items, list.n, time(NULL));
    dash_unlock(req);
    if (ret < 0) {
        dash_reply_db_failed(out);
        return;
    }
    items = json_array();
    for (size_t i = 0; i < list.n; i++)
        json_array_append_new(items, device_json(&list.items[i]));
    dash_reply_json(out, MHD_HTTP_OK, list_json(items, list.total));
    inv_device_list_release(&list);
}

static void api_device(struct dash_req *req, struct dash_reply *out)
{
    struct inv_device dev;
    struct inv_interface *ifs = NULL;
    struct inv_fact *facts = NULL;
    struct inv_disk *disks = NULL;
    size_t nifs = 0, nfacts = 0, ndisks = 0;
    long long id;
    json_t *o, *arr;
    int ret;

    inv_device_init(&dev);
    if (dash_param_id(req->params[0], &id) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "id");
        return;
    }
    dash_lock(req);
    ret = inv_device_get(req->srv->db, id, &dev);
    if (ret == 0)
        ret = inv_device_mark_maintenance(req->srv->db, &dev, 1, time(NULL));
    if (ret == 0)
        ret = inv_interface_list(req->srv->db, id, &ifs, &nifs);
    if (ret == 0)
        ret = inv_fact_list(req->srv->db, id, &facts, &nfacts);
    if (ret == 0)
        ret = inv_disk_list(req->srv->db, id, &disks, &ndisks);
    dash_unlock(req);
    if (ret == -ENOENT) {
        dash_reply_error(out, MHD_HTTP_NOT_FOUND, "not_found", NULL);
        goto out;
    }
    if (ret < 0) {
        dash_reply_db_failed(out);
        goto out;
    }
    o = device_json(&dev);
    arr = json_array();
    for (size_t i = 0; i < nifs; i++)
        json_array_append_new(arr, interface_json(&ifs[i]));
    json_object_set_new(o, "interfaces", arr);
    /* what the device said about itself (sysDescr, OS, CPU, RAM, disks...): device text */
    arr = json_array();
    for (size_t i = 0; i < nfacts; i++)
        json_array_append_new(arr, json_pack("{s:o,s:o,s:o,s:o}", "name",
                                             dash_json_text(facts[i].name), "value",
                                             dash_json_text(facts[i].value), "first_seen",
                                             dash_json_time(facts[i].first_seen), "last_seen",
                                             dash_json_time(facts[i].last_seen)));
    json_object_set_new(o, "facts", arr);
    /* the same beside what people typed, and a row per disk (api_health.c) */
    dash_discovered_add(o, &dev, facts, nfacts);
    json_object_set_new(o, "disks", dash_disks_json(disks, ndisks));
    dash_reply_json(out, MHD_HTTP_OK, o);
out:
    inv_disk_list_free(disks, ndisks);
    inv_fact_list_free(facts, nfacts);
    inv_interface_list_free(ifs, nifs);
    inv_device_release(&dev);
}

static void api_events(struct dash_req *req, struct dash_reply *out)
{
    struct inv_event *events = NULL;
    size_t n = 0;
    long long limit, offset, total = 0, device = 0;
    const char *dev_param = dash_query(req, "device");
    json_t *items;
    int ret;

    if (!dash_page_params(req, out, &limit, &offset))
        return;
    if (dev_param && dash_param_id(dev_param, &device) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "device");
        return;
    }
    dash_lock(req);
    ret = inv_event_list(req->srv->db, device, limit, offset, &events, &n, &total);
    dash_unlock(req);
    if (ret < 0) {
        dash_reply_db_failed(out);
        return;
    }
    items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, event_json(req, &events[i]));
    dash_reply_json(out, MHD_HTTP_OK, list_json(items, total));
    inv_event_list_free(events, n);
}

static json_t *neighbor_json(const struct inv_neighbor_row *r, bool suggestion)
{
    json_t *o = json_object();

    if (suggestion) {
        json_object_set_new(o, "device_id", json_integer(r->device_id));
        json_object_set_new(o, "device_name", dash_json_text(r->device_name));
        json_object_set_new(o, "parent_id", json_integer(r->remote_device_id));
        json_object_set_new(o, "parent_name", dash_json_text(r->remote_device_name));
        json_object_set_new(o, "via", dash_json_text(r->protocol));
    } else {
        json_object_set_new(o, "protocol", dash_json_text(r->protocol));
        json_object_set_new(o, "remote_name", dash_json_text(r->remote_name));
        json_object_set_new(o, "remote_addr", dash_json_text(r->remote_addr));
        json_object_set_new(o, "remote_device_id", r->remote_device_id > 0
                                                       ? json_integer(r->remote_device_id)
                                                       : json_null());
        json_object_set_new(o, "remote_device_name", dash_json_text(r->remote_device_name));
    }
    json_object_set_new(o, "local_port", dash_json_text(r->local_port));
    json_object_set_new(o, "remote_port", dash_json_text(r->remote_port));
    return o;
}

static void reply_neighbors(struct dash_reply *out, int ret, struct inv_neighbor_row *rows,
                            size_t n, bool suggestion)
{
    json_t *items;

    if (ret < 0) {
        dash_reply_db_failed(out);
        return;
    }
    items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, neighbor_json(&rows[i], suggestion));
    dash_reply_json(out, MHD_HTTP_OK, list_json(items, (long long)n));
    inv_neighbor_rows_free(rows, n);
}

static void api_device_neighbors(struct dash_req *req, struct dash_reply *out)
{
    struct inv_neighbor_row *rows = NULL;
    struct inv_device dev;
    size_t n = 0;
    long long id;
    int ret;

    if (dash_param_id(req->params[0], &id) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "id");
        return;
    }
    inv_device_init(&dev);
    dash_lock(req);
    ret = inv_device_get(req->srv->db, id, &dev);
    if (ret == 0)
        ret = inv_neighbor_list(req->srv->db, id, &rows, &n);
    dash_unlock(req);
    inv_device_release(&dev);
    if (ret == -ENOENT) {
        dash_reply_error(out, MHD_HTTP_NOT_FOUND, "not_found", NULL);
        return;
    }
    reply_neighbors(out, ret, rows, n, false);
}

static void api_parent_suggestions(struct dash_req *req, struct dash_reply *out)
{
    struct inv_neighbor_row *rows = NULL;
    size_t n = 0;
    int ret;

    dash_lock(req);
    ret = inv_parent_suggestions(req->srv->db, &rows, &n);
    dash_unlock(req);
    reply_neighbors(out, ret, rows, n, true);
}

const struct dash_route dash_api_routes[] = {
    {"/api/v1/health", DASH_GET, api_health, NULL},
    {"/api/v1/devices", DASH_GET, api_devices, "overview.read"},
    {"/api/v1/devices/{id}", DASH_GET, api_device, "overview.read"},
    {"/api/v1/events", DASH_GET, api_events, "overview.read"},
    {"/api/v1/devices/{id}/neighbors", DASH_GET, api_device_neighbors, "overview.read"},
    {"/api/v1/parent-suggestions", DASH_GET, api_parent_suggestions, "overview.read"},
};
const size_t dash_api_nroutes = WW_ARRAY_SIZE(dash_api_routes);

int dash_json_count(long long *slot, json_t *v, const char *key, struct inv_refusal *why)
{
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return dash_refusal(why, key, "not_integer", ">= 0");
    *slot = json_integer_value(v);
    return 0;
}

int dash_json_bool(bool *slot, json_t *v, const char *key, struct inv_refusal *why)
{
    if (!json_is_boolean(v))
        return dash_refusal(why, key, "not_boolean", NULL);
    *slot = json_is_true(v);
    return 0;
}

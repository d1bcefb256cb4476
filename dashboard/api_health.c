/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * api_health.c - what the collector measured, kept for the manager (issue 16 items 2 and 5):
 * a device's 90-day health figures from the daily roll-up (GET /devices/{id}/health, the
 * rule is inventory/health.c's), what SNMP found beside what people typed and the per-disk
 * rows (the "discovered", "compare" and "disks" members of GET /devices/{id}, built here
 * for api.c), and the devices seen on the network but not in the register
 * (GET /inventory/unregistered, from the LLDP/CDP tables of inventory/neighbor.c).
 * Codes and numbers only; the pages word them (i18n keys "health.", "disc.", "unreg.").
 * Read-only: overview.read.
 */
#include "dashboard/dashboard_int.h"
#include "inventory/inventory.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/banned.h"

/* ---- GET /devices/{id}: discovered beside typed ------------------------------------------ */

static const struct inv_fact *fact_of(const struct inv_fact *f, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (f[i].name && strcmp(f[i].name, name) == 0)
            return &f[i];
    return NULL;
}

static json_t *fact_json(const struct inv_fact *f, size_t n, const char *name)
{
    const struct inv_fact *x = fact_of(f, n, name);
    return dash_json_text(x ? x->value : NULL);
}

/* a number fact ("cpu_count", "ram_bytes") as a number, null when absent or not one */
static json_t *fact_num(const struct inv_fact *f, size_t n, const char *name)
{
    const struct inv_fact *x = fact_of(f, n, name);
    uint64_t v;
    return x && x->value && ww_parse_u64(x->value, &v) == 0 && v <= (uint64_t)INT64_MAX
               ? json_integer((json_int_t)v)
               : json_null();
}

json_t *dash_disks_json(const struct inv_disk *disks, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct inv_disk *k = &disks[i];
        double pct = k->size_bytes > 0 && !isnan(k->used_bytes)
                         ? k->used_bytes / k->size_bytes * 100.0 : NAN;
        json_array_append_new(
            a, json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:b,s:o,s:o}", "id", (json_int_t)k->id, "key",
                         dash_json_text(k->disk_key), "descr", dash_json_text(k->descr),
                         "size_bytes", dash_json_real(k->size_bytes), "used_bytes",
                         dash_json_real(k->used_bytes), "used_pct", dash_json_real(pct),
                         /* the health rule's "full" (inventory owns the threshold) */
                         "full", inv_health_disk_full(pct), "first_seen", dash_json_time(k->first_seen), "last_seen",
                         dash_json_time(k->last_seen)));
    }
    return a;
}

void dash_discovered_add(json_t *o, const struct inv_device *d, const struct inv_fact *facts,
                         size_t nfacts)
{
    /* the typed fields and the facts that say the same thing; a fact never replaces the
     * typed value: where both are known and differ (compared as names: case, accents'
     * composition and surrounding spaces aside) both are shown, marked */
    const struct {
        const char *field;
        const char *typed;
    } pairs[] = {{"vendor", d->vendor}, {"model", d->model}, {"serial", d->serial}};
    json_t *disc = json_object(), *cmp = json_array();
    long long last = 0;

    for (size_t i = 0; i < nfacts; i++)
        if (facts[i].last_seen > last)
            last = facts[i].last_seen;
    json_object_set_new(disc, "os", fact_json(facts, nfacts, "os"));
    json_object_set_new(disc, "sys_descr", fact_json(facts, nfacts, "sysDescr"));
    json_object_set_new(disc, "cpu_model", fact_json(facts, nfacts, "cpu_model"));
    json_object_set_new(disc, "cpu_count", fact_num(facts, nfacts, "cpu_count"));
    json_object_set_new(disc, "ram_bytes", fact_num(facts, nfacts, "ram_bytes"));
    json_object_set_new(disc, "vendor", fact_json(facts, nfacts, "vendor"));
    json_object_set_new(disc, "model", fact_json(facts, nfacts, "model"));
    json_object_set_new(disc, "serial", fact_json(facts, nfacts, "serial"));
    json_object_set_new(disc, "firmware", fact_json(facts, nfacts, "firmware"));
    json_object_set_new(disc, "last_seen", dash_json_time(last));
    json_object_set_new(o, "discovered", disc);
    for (size_t i = 0; i < WW_ARRAY_SIZE(pairs); i++) {
        const struct inv_fact *f = fact_of(facts, nfacts, pairs[i].field);
        const char *rep = f && f->value && *f->value ? f->value : NULL;
        const char *typed = pairs[i].typed && *pairs[i].typed ? pairs[i].typed : NULL;
        if (!rep && !typed)
            continue;
        json_array_append_new(
            cmp, json_pack("{s:s,s:o,s:o,s:b}", "field", pairs[i].field, "typed",
                           dash_json_text(typed), "reported", dash_json_text(rep), "differ",
                           rep && typed && !ww_name_same(rep, typed)));
    }
    json_object_set_new(o, "compare", cmp);
}

/* ---- GET /api/v1/devices/{id}/health ------------------------------------------------------ */

static void api_device_health(struct dash_req *req, struct dash_reply *out)
{
    struct inv_health h;
    struct inv_device dev;
    char from[11], to[11];
    long long id;
    time_t now = time(NULL);
    json_t *o;
    int ret;

    if (dash_param_id(req->params[0], &id) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "id");
        return;
    }
    if (ww_office_day(now, 0, to) < 0 ||
        ww_office_day(now, INV_HEALTH_WINDOW_DAYS - 1, from) < 0) {
        dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
        return;
    }
    inv_device_init(&dev);
    dash_lock(req);
    ret = inv_device_get(req->srv->db, id, &dev);
    if (ret == 0)
        ret = inv_health_get(req->srv->db, id, from, to, &h);
    dash_unlock(req);
    inv_device_release(&dev);
    if (ret == -ENOENT) {
        dash_reply_error(out, MHD_HTTP_NOT_FOUND, "not_found", NULL);
        return;
    }
    if (ret < 0) {
        dash_reply_db_failed(out);
        return;
    }
    o = json_pack("{s:I,s:s,s:s,s:i,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "device_id",
                  (json_int_t)id, "from", from, "to", to, "window_days", INV_HEALTH_WINDOW_DAYS,
                  "days", (json_int_t)h.days, "cpu_days", (json_int_t)h.cpu_days,
                  "cpu_high_days", (json_int_t)h.cpu_high_days, "mem_days",
                  (json_int_t)h.mem_days, "mem_high_days", (json_int_t)h.mem_high_days,
                  "disk_days", (json_int_t)h.disk_days, "disk_full_days",
                  (json_int_t)h.disk_full_days, "reboots", (json_int_t)h.reboots, "office_s",
                  (json_int_t)h.office_s, "office_down_s", (json_int_t)h.office_down_s);
    json_object_set_new(o, "office_down_pct",
                        h.office_s > 0 ? json_real((double)h.office_down_s * 100.0 /
                                                   (double)h.office_s)
                                       : json_null());
    json_object_set_new(o, "thresholds",
                        json_pack("{s:f,s:f,s:f}", "cpu_high_pct", INV_HEALTH_CPU_HIGH_PCT,
                                  "mem_high_pct", INV_HEALTH_MEM_HIGH_PCT, "disk_full_pct",
                                  INV_HEALTH_DISK_FULL_PCT));
    dash_reply_json(out, MHD_HTTP_OK, o);
}

/* ---- GET /api/v1/inventory/unregistered --------------------------------------------------- */

static void api_unregistered(struct dash_req *req, struct dash_reply *out)
{
    struct inv_neighbor_row *rows = NULL;
    long long limit, offset, total = 0;
    size_t n = 0;
    json_t *items;
    int ret;

    if (!dash_page_params(req, out, &limit, &offset))
        return;
    dash_lock(req);
    ret = inv_neighbor_unregistered(req->srv->db, limit, offset, &rows, &n, &total);
    dash_unlock(req);
    if (ret < 0) {
        dash_reply_db_failed(out);
        return;
    }
    items = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct inv_neighbor_row *r = &rows[i];
        json_array_append_new(
            items, json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "device_id",
                             (json_int_t)r->device_id, "device_name",
                             dash_json_text(r->device_name), "protocol",
                             dash_json_text(r->protocol), "local_port",
                             dash_json_text(r->local_port), "remote_name",
                             dash_json_text(r->remote_name), "remote_port",
                             dash_json_text(r->remote_port), "remote_addr",
                             dash_json_text(r->remote_addr), "first_seen",
                             dash_json_time(r->first_seen), "last_seen",
                             dash_json_time(r->last_seen)));
    }
    inv_neighbor_rows_free(rows, n);
    dash_reply_json(out, MHD_HTTP_OK,
                    json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)total));
}

const struct dash_route dash_health_routes[] = {
    {"/api/v1/devices/{id}/health", DASH_GET, api_device_health, "overview.read"},
    {"/api/v1/inventory/unregistered", DASH_GET, api_unregistered, "overview.read"},
};
const size_t dash_health_nroutes = WW_ARRAY_SIZE(dash_health_routes);

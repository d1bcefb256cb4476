/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * api_ready.c - GET /api/v1/devices/{id}/readiness: a device's OS end of support, Windows 11
 * verdict, minimum spec and age/value, judged by inventory/readiness.c with the rules the
 * server loaded at start (inventory/rules/, [inventory] rules_dir). Codes and numbers only;
 * the page words them (i18n keys under "ready."). Read-only: overview.read.
 *
 * Age counts from the device's in-service date, else its purchase date (schema v13), with
 * its lifespan override, else its kind's.
 */
#include "dashboard/dashboard_int.h"
#include "inventory/inventory.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/banned.h"

static json_t *codes_json(const struct inv_ready_reasons *r)
{
    json_t *a = json_array();
    for (size_t i = 0; i < r->n; i++)
        json_array_append_new(a, json_string(r->v[i]));
    return a;
}

/* -1 (unknown) as null */
static json_t *num_or_null(long long v)
{
    return v < 0 ? json_null() : json_integer(v);
}

/* months as years with one decimal (7.5); not money, so a real is fine */
static json_t *years_json(long long months)
{
    return months < 0 ? json_null() : json_real(round((double)months * 10.0 / 12.0) / 10.0);
}

static json_t *readiness_json(const struct inv_device *dev, const struct inv_ready_input *in,
                              const struct inv_readiness *r, const struct inv_age *a,
                              const char *today)
{
    json_t *os = json_pack("{s:o,s:o,s:s,s:o}", "name", dash_json_text(in->os), "release",
                           dash_json_text(r->os.release), "support", r->os.support, "ends_on",
                           dash_json_text(r->os.ends_on[0] ? r->os.ends_on : NULL));
    json_t *w11 = json_pack("{s:s,s:o,s:o,s:o}", "verdict", r->win11.verdict, "reasons",
                            codes_json(&r->win11.reasons), "unmeasured",
                            codes_json(&r->win11.unmeasured), "cpu_model",
                            dash_json_text(in->cpu_model));
    json_t *spec = json_pack(
        "{s:s,s:o,s:I,s:I,s:I,s:o,s:o,s:o}", "verdict", r->min_spec.verdict, "reasons",
        codes_json(&r->min_spec.reasons), "ram_min_bytes", (json_int_t)r->min_spec.ram_min_bytes,
        "disk_min_bytes", (json_int_t)r->min_spec.disk_min_bytes, "cores_min",
        (json_int_t)r->min_spec.cores_min, "ram_bytes", num_or_null(in->ram_bytes), "disk_bytes",
        num_or_null(in->disk_total_bytes), "cores",
        num_or_null(in->cpu_count > 0 ? in->cpu_count : -1));
    json_t *age = json_pack(
        "{s:o,s:o,s:o,s:o,s:I,s:o,s:o,s:o,s:o,s:o}", "since", dash_json_text(a->since), "from",
        dash_json_text(!a->since                             ? NULL
                       : strcmp(a->since, "in_service") == 0 ? dev->in_service_date
                                                             : dev->purchase_date),
        "months",
        num_or_null(a->age_months), "years", years_json(a->age_months), "lifespan_years",
        (json_int_t)a->lifespan_years, "remaining_months", num_or_null(a->remaining_months),
        "remaining_years", years_json(a->remaining_months), "cost_vnd",
        num_or_null(dev->cost_vnd), "depreciation_vnd_per_year",
        num_or_null(a->depreciation_vnd_per_year), "residual_vnd", num_or_null(a->residual_vnd));
    if (a->battery_lifespan_years > 0)
        json_object_set_new(age, "battery_lifespan_years",
                            json_integer(a->battery_lifespan_years));
    return json_pack("{s:I,s:s,s:o,s:o,s:o,s:o}", "device_id", (json_int_t)dev->id, "today",
                     today, "os", os, "win11", w11, "min_spec", spec, "age", age);
}

static void api_readiness(struct dash_req *req, struct dash_reply *out)
{
    struct inv_ready_input in;
    struct inv_readiness r;
    struct inv_age a;
    struct inv_device dev;
    char *os = NULL, *cpu = NULL;
    char today[16];
    long long id;
    int ret;

    if (dash_param_id(req->params[0], &id) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "id");
        return;
    }
    if (!req->srv->rules) {
        dash_reply_error(out, MHD_HTTP_SERVICE_UNAVAILABLE, "rules_missing", NULL);
        return;
    }
    if (ww_office_today(today) < 0) {
        dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
        return;
    }
    inv_device_init(&dev);
    dash_lock(req);
    ret = inv_device_get(req->srv->db, id, &dev);
    if (ret == 0)
        ret = inv_ready_facts(req->srv->db, id, &in, &os, &cpu);
    dash_unlock(req);
    if (ret == -ENOENT) {
        dash_reply_error(out, MHD_HTTP_NOT_FOUND, "not_found", NULL);
        goto out;
    }
    if (ret < 0) {
        dash_reply_db_failed(out);
        goto out;
    }
    inv_readiness_eval(req->srv->rules, &in, today, &r);
    /* a purchase date the device check let through is YYYY-MM-DD; were it not, the age is
     * left unknown and the rest still shown */
    inv_age_eval(req->srv->rules,
                 &(struct inv_age_input){.kind = dev.kind,
                                         .in_service_date = dev.in_service_date,
                                         .purchase_date = dev.purchase_date,
                                         .lifespan_years = dev.lifespan_years,
                                         .cost_vnd = dev.cost_vnd},
                 today, &a);
    dash_reply_json(out, MHD_HTTP_OK, readiness_json(&dev, &in, &r, &a, today));
out:
    free(os);
    free(cpu);
    inv_device_release(&dev);
}

const struct dash_route dash_ready_routes[] = {
    {"/api/v1/devices/{id}/readiness", DASH_GET, api_readiness, "overview.read"},
};
const size_t dash_ready_nroutes = WW_ARRAY_SIZE(dash_ready_routes);

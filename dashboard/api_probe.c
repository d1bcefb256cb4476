/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * api_probe.c - what the passive probe found (issue 18): the MAC/IP pairs it saw in ARP, NDP
 * and DHCP, the unknown ones waiting for the IT officer ("Thiết bị lạ"), and the officer's
 * decision on one (accepted or flagged: an audited change of object type "sighting").
 */
#include "dashboard/dashboard_int.h"
#include "inventory/inventory.h"

#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

static bool state_known(const char *s)
{
    for (size_t i = 0; inv_sighting_states[i]; i++)
        if (strcmp(inv_sighting_states[i], s) == 0)
            return true;
    return false;
}

/* GET /api/v1/unknown-devices?state=new|known|accepted|flagged|all (default new) */
static void api_unknown_devices(struct dash_req *req, struct dash_reply *out)
{
    const char *state = dash_query(req, "state");
    struct inv_sighting_row *items = NULL;
    size_t n = 0;
    json_t *arr;
    int ret;

    if (!state)
        state = "new";
    if (strcmp(state, "all") != 0 && !state_known(state)) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_param", "state");
        return;
    }
    dash_lock(req);
    ret = inv_sighting_list(req->srv->db, strcmp(state, "all") ? state : NULL, &items, &n);
    dash_unlock(req);
    if (ret < 0) {
        dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
        return;
    }
    arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct inv_sighting_row *r = &items[i];
        json_t *o =
            json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:s}", "id", (json_int_t)r->id, "mac", r->mac,
                      "ip", r->ip, "source", r->source, "first_seen", (json_int_t)r->first_seen,
                      "last_seen", (json_int_t)r->last_seen, "state", r->state);
        json_object_set_new(o, "device_id",
                            r->device_id ? json_integer(r->device_id) : json_null());
        json_array_append_new(arr, o);
    }
    free(items);
    dash_reply_json(out, MHD_HTTP_OK,
                    json_pack("{s:o, s:I}", "items", arr, "total", (json_int_t)n));
}

/* POST /api/v1/unknown-devices/{id}/decision {"state":"accepted"|"flagged"} */
static void api_unknown_decide(struct dash_req *req, struct dash_reply *out)
{
    struct inv_change ch = {
        .action = "sighting.decide", .object_type = "sighting", .apply = inv_apply_sighting_decide};
    json_t *body, *state;

    if (dash_param_id(req->params[0], &ch.id) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "id");
        return;
    }
    if (!(body = dash_body_json(req, out)))
        return;
    state = json_object_get(body, "state");
    if (json_object_size(body) != 1 || !json_is_string(state)) {
        struct inv_refusal why;
        dash_refusal(&why, "status", json_object_size(body) != 1 ? "unknown_field" : "not_string",
                     NULL);
        dash_reply_refused(out, -EINVAL, &why);
    } else {
        ch.ctx = (void *)json_string_value(state);
        if (dash_change(req, out, &ch) == 0)
            dash_reply_json(out, MHD_HTTP_OK, json_loads(ch.after, 0, NULL));
    }
    free(ch.after);
    json_decref(body);
}

const struct dash_route dash_probe_routes[] = {
    {"/api/v1/unknown-devices", DASH_GET, api_unknown_devices, "probe.read"},
    {"/api/v1/unknown-devices/{id}/decision", DASH_POST, api_unknown_decide, "device.write"},
};
const size_t dash_probe_nroutes = WW_ARRAY_SIZE(dash_probe_routes);

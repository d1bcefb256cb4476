/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * api_probe.c - what the passive probe found (issue 18): the MAC/IP pairs it saw in ARP, NDP
 * and DHCP, the unknown ones waiting for the IT officer ("Thiết bị lạ"), and the officer's
 * decision on one (accepted or flagged: an audited change of object type "sighting"); and
 * the traffic overview of one office day (uplink by hour with the office calendar, top
 * talkers of the last windows, protocol mix, top ports, local subnets).
 */
#include "dashboard/dashboard_int.h"
#include "inventory/inventory.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

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

#define TRAFFIC_LAST_WINDOWS 12 /* the top talkers of the last hour of stored windows */

/* the epoch second of local midnight of @day ("YYYY-MM-DD", checked) @add days on */
static time_t local_midnight(const char *day, int add)
{
    struct tm tm = {0};
    int key;
    if (ww_office_day_key(day, &key) < 0)
        return (time_t)-1;
    tm.tm_year = key / 10000 - 1900;
    tm.tm_mon = key / 100 % 100 - 1;
    tm.tm_mday = key % 100 + add;
    tm.tm_isdst = -1;
    return mktime(&tm); /* the office zone: the process's (server.c) */
}

/* GET /api/v1/traffic?day=YYYY-MM-DD (default the office's today) */
static void api_traffic(struct dash_req *req, struct dash_reply *out)
{
    struct ww_office_cal cal = {0};
    char day[11], *text = NULL;
    json_t *o, *stored, *hours;
    int ret;

    if (!dash_training_day(req, out, day))
        return;
    time_t from = local_midnight(day, 0), to = local_midnight(day, 1);
    if (from == (time_t)-1 || to <= from) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_param", "day");
        return;
    }
    dash_lock(req);
    ret = inv_traffic_json(req->srv->db, from, to, TRAFFIC_LAST_WINDOWS, &text);
    if (ret == 0)
        ret = inv_office_calendar(req->srv->db, &req->srv->office, from, to, &cal);
    dash_unlock(req);
    o = ret == 0 ? json_loads(text, 0, NULL) : NULL;
    free(text);
    if (!o) {
        ww_office_cal_release(&cal);
        dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
        return;
    }
    /* every hour of the day, the stored uplink bytes in it and its office seconds (holidays
     * off): the page marks office hours and the peak among them */
    stored = json_object_get(o, "hours");
    hours = json_array();
    for (time_t t = from; t < to; t += 3600) {
        struct tm tm;
        json_int_t up = 0, down = 0;
        size_t i;
        json_t *h;
        json_array_foreach(stored, i, h)
        {
            if (json_integer_value(json_object_get(h, "start")) == (json_int_t)t) {
                up = json_integer_value(json_object_get(h, "up"));
                down = json_integer_value(json_object_get(h, "down"));
            }
        }
        localtime_r(&t, &tm);
        json_array_append_new(
            hours, json_pack("{s:I, s:i, s:I, s:I, s:I}", "start", (json_int_t)t, "local_hour",
                             tm.tm_hour, "up_bytes", up, "down_bytes", down, "office_seconds",
                             (json_int_t)ww_office_cal_seconds(&cal, t, t + 3600)));
    }
    ww_office_cal_release(&cal);
    json_object_set_new(o, "hours", hours);
    json_object_set_new(o, "day", json_string(day));
    json_object_set_new(o, "from", json_integer((json_int_t)from));
    json_object_set_new(o, "to", json_integer((json_int_t)to));
    dash_reply_json(out, MHD_HTTP_OK, o);
}

const struct dash_route dash_probe_routes[] = {
    {"/api/v1/traffic", DASH_GET, api_traffic, "probe.read"},
    {"/api/v1/unknown-devices", DASH_GET, api_unknown_devices, "probe.read"},
    {"/api/v1/unknown-devices/{id}/decision", DASH_POST, api_unknown_decide, "device.write"},
};
const size_t dash_probe_nroutes = WW_ARRAY_SIZE(dash_probe_routes);

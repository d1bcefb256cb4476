/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * api_records.c - a device's records (issue 16): its repairs (list, add, change, remove;
 * each an audited change of object type "repair"), its assignment history, and the
 * printable handover record (biên bản bàn giao) of one assignment, an HTML page in the
 * layout of a Vietnamese administrative document whose every value is escaped.
 */
#include "dashboard/dashboard_int.h"
#include "inventory/inventory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

#define HANDOVER_MAX (256u << 10)

static void bad_id(struct dash_reply *out)
{
    dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "id");
}

/* the device of the path: 400 for a bad id, 404 for no such device, 500 for a failed read;
 * true with *out_id when it exists */
static bool device_found(struct dash_req *req, struct dash_reply *out, long long *out_id)
{
    int ret;

    if (dash_param_id(req->params[0], out_id) < 0) {
        bad_id(out);
        return false;
    }
    dash_lock(req);
    ret = inv_device_exists(req->srv->db, *out_id);
    dash_unlock(req);
    if (ret == -ENOENT)
        dash_reply_error(out, MHD_HTTP_NOT_FOUND, "not_found", NULL);
    else if (ret < 0)
        dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
    return ret == 0;
}

/* ---- repairs ---------------------------------------------------------------------------- */

static json_t *repair_json(const struct inv_repair *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(r->id));
    json_object_set_new(o, "device_id", json_integer(r->device_id));
    json_object_set_new(o, "day", dash_json_text(r->day));
    json_object_set_new(o, "cost_vnd", json_integer(r->cost_vnd));
    json_object_set_new(o, "work", dash_json_text(r->work));
    json_object_set_new(o, "actor", dash_json_text(r->actor));
    json_object_set_new(o, "shop", dash_json_text(r->shop));
    return o;
}

static void api_repairs(struct dash_req *req, struct dash_reply *out)
{
    struct inv_repair *items = NULL;
    long long id, sum = 0;
    size_t n = 0;
    json_t *arr;
    int ret;

    if (!device_found(req, out, &id))
        return;
    dash_lock(req);
    ret = inv_repair_list(req->srv->db, id, &items, &n);
    if (ret == 0)
        ret = inv_repair_cost_sum(req->srv->db, id, &sum);
    dash_unlock(req);
    if (ret < 0) {
        inv_repair_list_free(items, n);
        dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
        return;
    }
    arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, repair_json(&items[i]));
    inv_repair_list_free(items, n);
    dash_reply_json(out, MHD_HTTP_OK,
                    json_pack("{s:o, s:I, s:I}", "items", arr, "total", (json_int_t)n,
                              "cost_vnd_sum", (json_int_t)sum));
}

/* the body's fields onto @r (owned strings); -EINVAL with @why */
static int repair_from_json(json_t *j, struct inv_repair *r, struct inv_refusal *why)
{
    const char *key;
    json_t *v;

    json_object_foreach(j, key, v) {
        char **slot = !strcmp(key, "day")    ? &r->day
                      : !strcmp(key, "work") ? &r->work
                      : !strcmp(key, "shop") ? &r->shop
                                             : NULL;
        if (slot) {
            if (!json_is_string(v) && !json_is_null(v))
                return dash_refusal(why, key, "not_string", NULL);
            free(*slot);
            *slot = json_is_string(v) ? ww_strdup(json_string_value(v)) : NULL;
        } else if (strcmp(key, "cost_vnd") == 0) {
            if (!json_is_integer(v))
                return dash_refusal(why, key, "not_integer", NULL);
            r->cost_vnd = json_integer_value(v);
        } else {
            return dash_refusal(why, "record", "unknown_field", key);
        }
    }
    return 0;
}

static void api_repair_add(struct dash_req *req, struct dash_reply *out)
{
    struct inv_repair r = {0};
    struct inv_change ch = {.action = "repair.add", .object_type = "repair",
                            .apply = inv_apply_repair_add, .ctx = &r};
    struct inv_refusal why;
    json_t *body;

    if (!device_found(req, out, &r.device_id) || !(body = dash_body_json(req, out)))
        return;
    if (repair_from_json(body, &r, &why) < 0)
        dash_reply_refused(out, -EINVAL, &why);
    else if (dash_change(req, out, &ch) == 0)
        dash_reply_json(out, MHD_HTTP_CREATED, json_loads(ch.after, 0, NULL));
    free(ch.after);
    inv_repair_release(&r);
    json_decref(body);
}

struct repair_edit {
    json_t *body;
    struct inv_repair r;
};

/* the stored repair with the body over it, read and written in one transaction */
static int apply_repair_edit(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    struct repair_edit *e = ctx;
    int ret = inv_repair_get(db, ch->id, &e->r);

    if (ret < 0)
        return ret;
    if (repair_from_json(e->body, &e->r, &ch->why) < 0)
        return -EINVAL;
    return inv_apply_repair_update(db, &e->r, ch);
}

static void api_repair_change(struct dash_req *req, struct dash_reply *out)
{
    struct repair_edit e = {0};
    struct inv_change ch = {.action = "repair.change", .object_type = "repair",
                            .apply = apply_repair_edit, .ctx = &e};

    if (dash_param_id(req->params[0], &ch.id) < 0) {
        bad_id(out);
        return;
    }
    if (!(e.body = dash_body_json(req, out)))
        return;
    if (dash_change(req, out, &ch) == 0)
        dash_reply_json(out, MHD_HTTP_OK, json_loads(ch.after, 0, NULL));
    free(ch.after);
    inv_repair_release(&e.r);
    json_decref(e.body);
}

static void api_repair_remove(struct dash_req *req, struct dash_reply *out)
{
    dash_change_remove(req, out, "repair.remove", "repair", inv_apply_repair_remove);
}

/* ---- assignments ------------------------------------------------------------------------ */

static void api_assignments(struct dash_req *req, struct dash_reply *out)
{
    struct inv_assignment *items = NULL;
    long long id;
    size_t n = 0;
    json_t *arr;
    int ret;

    if (!device_found(req, out, &id))
        return;
    dash_lock(req);
    ret = inv_assignment_list(req->srv->db, id, &items, &n);
    dash_unlock(req);
    if (ret < 0) {
        dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
        return;
    }
    arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(items[i].id));
        json_object_set_new(o, "device_id", json_integer(items[i].device_id));
        json_object_set_new(o, "assigned_to", dash_json_text(items[i].assigned_to));
        json_object_set_new(o, "from", dash_json_text(items[i].from_day));
        json_object_set_new(o, "to", dash_json_text(items[i].to_day));
        json_object_set_new(o, "by", dash_json_text(items[i].actor));
        json_object_set_new(o, "note", dash_json_text(items[i].note));
        json_array_append_new(arr, o);
    }
    inv_assignment_list_free(items, n);
    dash_reply_json(out, MHD_HTTP_OK,
                    json_pack("{s:o, s:I}", "items", arr, "total", (json_int_t)n));
}

/* ---- the handover record ---------------------------------------------------------------- */

/* @s as HTML text or attribute value: & < > " ' escaped; NULL as "" */
static void add_escaped(struct ww_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': ww_buf_addstr(b, "&amp;"); break;
        case '<': ww_buf_addstr(b, "&lt;"); break;
        case '>': ww_buf_addstr(b, "&gt;"); break;
        case '"': ww_buf_addstr(b, "&quot;"); break;
        case '\'': ww_buf_addstr(b, "&#39;"); break;
        default: ww_buf_add(b, s, 1);
        }
    }
}

struct handover {
    const struct ww_i18n *words;
    enum ww_lang lang;
    struct ww_buf b;
};

/* the words of "handover.<key>", escaped (the i18n files are ours, but one rule is simpler) */
static void word(struct handover *h, const char *key)
{
    char full[64];
    const char *w;

    snprintf(full, sizeof(full), "handover.%s", key);
    w = ww_i18n_text(h->words, h->lang, full);
    add_escaped(&h->b, w ? w : full);
}

static void row(struct handover *h, const char *key, const char *value)
{
    ww_buf_addstr(&h->b, "<tr><th>");
    word(h, key);
    ww_buf_addstr(&h->b, "</th><td>");
    add_escaped(&h->b, value && *value ? value : "");
    ww_buf_addstr(&h->b, "</td></tr>\n");
}

/* the page: unit and nation headings, place and date, title, the parties, the device, the
 * signatures; every value from the database is escaped (a device's name is hostile) */
static void handover_page(struct handover *h, const struct inv_assignment *a,
                          const struct inv_device *d, const char *unit)
{
    struct ww_buf *b = &h->b;
    int y = 0, m = 0, day = 0;
    char model[2 * INV_NAME_MAX + 8];
    char status_key[48];
    const char *status;

    if (a->from_day)
        sscanf(a->from_day, "%4d-%2d-%2d", &y, &m, &day);
    snprintf(model, sizeof(model), "%s%s%s", d->vendor ? d->vendor : "",
             d->vendor && d->model ? " / " : "", d->model ? d->model : "");
    ww_buf_addf(b, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
                   "<title>", h->lang == WW_LANG_EN ? "en" : "vi");
    word(h, "title");
    /* the layout is www/doc.css (shared with the printed reports) and www/handover.css: the
     * CSP allows no style in the page */
    ww_buf_addstr(b, "</title><link rel=\"stylesheet\" href=\"/doc.css\">"
                     "<link rel=\"stylesheet\" href=\"/handover.css\"></head><body class=\"doc\">\n"
                     "<div class=\"head\"><div class=\"unit\">");
    add_escaped(b, unit && *unit ? unit : "....................");
    ww_buf_addstr(b, "</div><div><div class=\"nation\">");
    word(h, "nation");
    ww_buf_addstr(b, "</div><div class=\"motto\">");
    word(h, "motto");
    ww_buf_addstr(b, "</div></div></div>\n<p class=\"place\">");
    word(h, "place");
    ww_buf_addstr(b, ", ");
    word(h, "day");
    ww_buf_addf(b, " %02d ", day);
    word(h, "month");
    ww_buf_addf(b, " %02d ", m);
    word(h, "year");
    ww_buf_addf(b, " %04d</p>\n<h1>", y);
    word(h, "title");
    ww_buf_addstr(b, "</h1>\n<p>");
    word(h, "intro");
    ww_buf_addstr(b, "</p>\n<p><b>");
    word(h, "giver");
    ww_buf_addstr(b, ":</b> ");
    add_escaped(b, a->actor);
    ww_buf_addstr(b, "</p>\n<p><b>");
    word(h, "receiver");
    ww_buf_addstr(b, ":</b> ");
    add_escaped(b, a->assigned_to);
    ww_buf_addstr(b, "</p>\n<table class=\"dev\">\n");
    row(h, "name", d->name);
    row(h, "kind", d->kind);
    row(h, "vendor_model", model);
    row(h, "serial", d->serial);
    row(h, "asset_tag", d->asset_tag);
    /* the condition: the note of the handover when one was written, else the device's status
     * in words (the UI's life.status.<code>) */
    snprintf(status_key, sizeof(status_key), "life.status.%s", d->status ? d->status : "in_use");
    status = ww_i18n_text(h->words, h->lang, status_key);
    row(h, "condition", a->note ? a->note : status ? status : d->status);
    ww_buf_addstr(b, "</table>\n<p>");
    word(h, "closing");
    ww_buf_addstr(b, "</p>\n<div class=\"sign\"><div><b>");
    word(h, "side_giver");
    ww_buf_addstr(b, "</b><i>");
    word(h, "sign_hint");
    ww_buf_addstr(b, "</i></div><div><b>");
    word(h, "side_receiver");
    ww_buf_addstr(b, "</b><i>");
    word(h, "sign_hint");
    ww_buf_addstr(b, "</i></div></div>\n</body></html>\n");
}

static void api_handover(struct dash_req *req, struct dash_reply *out)
{
    struct handover h = {.words = req->srv ? req->srv->words : NULL, .lang = dash_req_lang(req)};
    struct inv_assignment a = {0};
    struct inv_device d;
    const char *lang = dash_query(req, "lang");
    char *unit = NULL, *data;
    long long id;
    size_t len;
    int ret;

    inv_device_init(&d);
    if (dash_param_id(req->params[0], &id) < 0) {
        bad_id(out);
        return;
    }
    if (lang)
        h.lang = ww_lang_parse(lang);
    dash_lock(req);
    ret = inv_assignment_get(req->srv->db, id, &a);
    if (ret == 0)
        ret = inv_device_get(req->srv->db, a.device_id, &d);
    if (ret == 0)
        ret = inv_device_unit_name(req->srv->db, a.device_id, &unit);
    dash_unlock(req);
    if (ret < 0) {
        dash_reply_error(out, ret == -ENOENT ? MHD_HTTP_NOT_FOUND
                                             : MHD_HTTP_INTERNAL_SERVER_ERROR,
                         ret == -ENOENT ? "not_found" : "internal", NULL);
        goto out;
    }
    ww_buf_init(&h.b, HANDOVER_MAX);
    handover_page(&h, &a, &d, unit);
    len = h.b.len;
    data = ww_buf_detach(&h.b);
    dash_reply_release(out);
    out->raw = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    if (!out->raw) {
        free(data);
        dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
        goto out;
    }
    out->content_type = "text/html; charset=utf-8";
    out->status = MHD_HTTP_OK;
out:
    free(unit);
    inv_assignment_release(&a);
    inv_device_release(&d);
}

const struct dash_route dash_records_routes[] = {
    {"/api/v1/devices/{id}/repairs", DASH_GET, api_repairs, "records.read"},
    {"/api/v1/devices/{id}/repairs", DASH_POST, api_repair_add, "device.write"},
    {"/api/v1/repairs/{id}", DASH_PATCH, api_repair_change, "device.write"},
    {"/api/v1/repairs/{id}", DASH_DELETE, api_repair_remove, "device.write"},
    {"/api/v1/devices/{id}/assignments", DASH_GET, api_assignments, "assignment.read"},
    {"/api/v1/assignments/{id}/handover", DASH_GET, api_handover, "assignment.read"},
};
const size_t dash_records_nroutes = WW_ARRAY_SIZE(dash_records_routes);

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * api_settings.c - the Settings page: what an office changes without a shell (the mail
 * server, office hours and days, the dashboard's public address), admin only.
 *
 * The keys and the rule (a value stored in the database wins over the config file's; no
 * row = the file's value) are common/config.c's (ww_setting_keys[]); the overlay is
 * inventory's (inv_settings_overlay), and every change goes through inventory's audited
 * path (object "settings": the audit entry holds the values, a secret only as "set").
 * A secret (smtp_password) is written, never read back: GET says whether one is in effect
 * and where it comes from; in a PUT "" keeps the stored one and null removes it.
 */
#include "dashboard/dashboard_int.h"

#include <string.h>

#include "common/banned.h"

int dash_settings_effective(struct dash_server *srv, struct ww_config *out, unsigned *out_from_db)
{
    if (out_from_db)
        *out_from_db = 0;
    if (!srv->file_cfg) {
        memset(out, 0, sizeof(*out));
        return -ENOENT;
    }
    ww_config_copy(srv->file_cfg, out);
    return inv_settings_overlay(srv->db, out, out_from_db) < 0 ? -EIO : 0;
}

/* the value of setting @k in @cfg (the config's field of that name) */
static const char *value_of(const struct ww_config *cfg, const struct ww_setting_key *k)
{
    static const struct {
        const char *name;
        size_t off;
    } fields[] = {
        {"smtp_url", offsetof(struct ww_config, smtp_url)},
        {"smtp_user", offsetof(struct ww_config, smtp_user)},
        {"smtp_password", offsetof(struct ww_config, smtp_password)},
        {"smtp_from", offsetof(struct ww_config, smtp_from)},
        {"office_hours", offsetof(struct ww_config, office_hours)},
        {"office_days", offsetof(struct ww_config, office_days)},
        {"dashboard_url", offsetof(struct ww_config, dashboard_url)},
    };
    for (size_t i = 0; i < WW_ARRAY_SIZE(fields); i++)
        if (strcmp(fields[i].name, k->name) == 0)
            return *(char *const *)(const void *)((const char *)cfg + fields[i].off);
    return NULL;
}

static void api_settings_get(struct dash_req *req, struct dash_reply *out)
{
    struct ww_config eff, defs;
    unsigned from_db = 0;
    json_t *items;
    int ret;

    dash_lock(req);
    ret = dash_settings_effective(req->srv, &eff, &from_db);
    dash_unlock(req);
    if (ret < 0) {
        ww_config_release(&eff);
        dash_reply_db_failed(out);
        return;
    }
    ww_config_load(NULL, &defs);
    items = json_array();
    for (size_t i = 0; i < ww_setting_nkeys; i++) {
        const struct ww_setting_key *k = &ww_setting_keys[i];
        const char *v = value_of(&eff, k), *file = value_of(req->srv->file_cfg, k);
        const char *source = from_db & (1u << i)                     ? "database"
                             : strcmp(file ? file : "", value_of(&defs, k)) ? "file"
                                                                             : "default";
        json_t *o = json_pack("{s:s, s:s, s:b}", "name", k->name, "source", source, "secret",
                              k->secret);
        if (k->secret) { /* whether one is in effect, never what it is */
            json_object_set_new(o, "set", json_boolean(v && *v));
            json_object_set_new(o, "file_set", json_boolean(file && *file));
        } else {
            json_object_set_new(o, "value", dash_json_text(v));
            json_object_set_new(o, "file_value", dash_json_text(file));
        }
        json_array_append_new(items, o);
    }
    if (eff.smtp_password)
        memset(eff.smtp_password, 0, strlen(eff.smtp_password));
    ww_config_release(&eff);
    ww_config_release(&defs);
    dash_reply_json(out, MHD_HTTP_OK,
                    json_pack("{s:o, s:s}", "items", items, "rule", "database_wins"));
}

/* the body as edits: a string sets, null removes the row (the file's value again); a
 * secret's "" keeps what is stored (a form that does not show it sends it empty) */
static int edits_from_json(json_t *body, struct inv_setting_edit *items, size_t *n,
                           struct inv_refusal *why)
{
    const char *name;
    json_t *v;

    *n = 0;
    json_object_foreach(body, name, v) {
        const struct ww_setting_key *k = ww_setting_find(name);
        if (!k || strchr(name, '.'))
            return dash_refusal(why, "record", "unknown_field", name);
        if (!json_is_null(v) && !json_is_string(v))
            return dash_refusal(why, k->name, "not_string", NULL);
        if (k->secret && json_is_string(v) && !*json_string_value(v))
            continue;
        if (*n >= ww_setting_nkeys)
            return dash_refusal(why, "record", "too_many", NULL);
        items[*n].k = k;
        items[*n].value = json_is_null(v) ? NULL : json_string_value(v);
        (*n)++;
    }
    return 0;
}

struct settings_put {
    json_t *body;
    struct inv_setting_edit items[16];
};

static int settings_apply(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    struct settings_put *p = ctx;
    struct inv_settings_edit e = {.items = p->items};

    if (edits_from_json(p->body, p->items, &e.n, &ch->why) < 0)
        return -EINVAL;
    return inv_apply_settings(db, &e, ch);
}

static void api_settings_put(struct dash_req *req, struct dash_reply *out)
{
    struct settings_put p = {0};
    struct inv_change ch = {.action = "settings.change", .object_type = "settings",
                            .key = "all", .may_be_new = true, .apply = settings_apply,
                            .ctx = &p};
    struct ww_config eff;
    struct ww_office o;

    _Static_assert(WW_ARRAY_SIZE(p.items) >= 7, "room for every setting");
    p.body = dash_body_json(req, out);
    if (!p.body)
        return;
    if (dash_change(req, out, &ch) < 0)
        goto out;
    /* office hours in effect at once for availability and the busiest links (db_lock
     * guards srv->office's spans: every reader holds it) */
    dash_lock(req);
    if (dash_settings_effective(req->srv, &eff, NULL) == 0 &&
        ww_office_init(req->srv->office.zone, eff.office_hours, eff.office_days, &o) == 0)
        req->srv->office = o;
    dash_unlock(req);
    ww_config_release(&eff);
    api_settings_get(req, out);
out:
    free(ch.after);
    json_decref(p.body);
}

const struct dash_route dash_settings_routes[] = {
    {"/api/v1/settings", DASH_GET, api_settings_get, "settings.admin"},
    {"/api/v1/settings", DASH_PUT, api_settings_put, "settings.admin"},
};
const size_t dash_settings_nroutes = WW_ARRAY_SIZE(dash_settings_routes);

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * api_alert.c - the alert routes of API.md "Alerts": rules and channels (read by everyone,
 * changed by uptime.edit), the test message of a channel, the alerts and the delivery log
 * (with its CSV twin). Every change and its audit entry share one transaction.
 *
 * A channel's secret (webhook token) is write-only: replies say secret_set, the audit log
 * "set"/"unset". Recipients and subjects can hold device text: dash_json_text() cleans it.
 *
 * Where webhooks may go: a target whose host is (or resolves to) an address the appliance
 * must not send to (ww_addr_refused(): loopback, link-local, private... unless [alerts]
 * allow_private lists it) is refused at save time, reason "address_refused". The collector
 * checks again at each connection: this check is for the person typing. A delivery's error
 * detail (curl's words, addresses, ports) is for admins; the others see its code only.
 */
#include "dashboard/dashboard_int.h"
#include "inventory/inventory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

/* [alerts] allow_private, parsed once at start (dash_alert_allow()), read-only after */
static struct ww_addr_list alert_allow;

int dash_alert_allow(const char *text)
{
    return ww_addr_list_parse(text, &alert_allow);
}

int dash_alert_target_check(const struct inv_alert_channel *c, const struct ww_addr_list *allow,
                            struct inv_refusal *why)
{
    char host[256];
    const char *reason = NULL;

    if (!c->kind || strcmp(c->kind, "webhook") != 0 || !c->target ||
        ww_url_host(c->target, host, sizeof(host)) < 0)
        return 0; /* not a webhook, or inventory refuses the URL itself */
    /* a name that does not resolve now may later: the collector judges it then */
    if (ww_host_check(host, allow, &reason) == -EACCES)
        return dash_refusal(why, "target", "address_refused", reason);
    return 0;
}

#define NOTE_CSV_ROWS 100000
#define NOTE_CSV_MAX (32u << 20)

static bool id_param(struct dash_req *req, struct dash_reply *out, long long *out_id)
{
    if (dash_param_id(req->params[0], out_id) == 0)
        return true;
    dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_id", "id");
    return false;
}

/* a query filter that must be one of @allowed (NULL/absent = any) */
static bool enum_param(struct dash_req *req, struct dash_reply *out, const char *name,
                       const char *const *allowed, const char **out_value)
{
    const char *v = dash_query(req, name);

    *out_value = NULL;
    if (!v || !*v)
        return true;
    for (size_t i = 0; allowed[i]; i++)
        if (strcmp(v, allowed[i]) == 0) {
            *out_value = allowed[i];
            return true;
        }
    dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", name);
    return false;
}

static bool opt_id_param(struct dash_req *req, struct dash_reply *out, const char *name,
                         long long *out_id)
{
    const char *v = dash_query(req, name);

    *out_id = 0;
    if (!v || !*v || dash_param_id(v, out_id) == 0)
        return true;
    dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", name);
    return false;
}

/* ---- rules ------------------------------------------------------------------------------ */

static json_t *rule_json(const struct inv_alert_rule *r)
{
    json_t *o = json_object(), *ch = json_array();

    for (size_t i = 0; i < r->n_channels; i++)
        json_array_append_new(ch, json_integer(r->channel_ids[i]));
    json_object_set_new(o, "id", json_integer(r->id));
    json_object_set_new(o, "name", dash_json_text(r->name));
    json_object_set_new(o, "kind", dash_json_text(r->kind));
    json_object_set_new(o, "device_id", r->device_id ? json_integer(r->device_id) : json_null());
    json_object_set_new(o, "device_kind", dash_json_text(r->device_kind));
    json_object_set_new(o, "threshold", r->has_threshold ? json_real(r->threshold) : json_null());
    json_object_set_new(o, "for_s", json_integer(r->for_s));
    json_object_set_new(o, "repeat_s", json_integer(r->repeat_s));
    json_object_set_new(o, "notify_recovery", json_boolean(r->notify_recovery));
    json_object_set_new(o, "enabled", json_boolean(r->enabled));
    json_object_set_new(o, "channel_ids", ch);
    return o;
}

static int set_text(char **slot, json_t *v, bool nullable, const char *key,
                    struct inv_refusal *why)
{
    if (!json_is_string(v) && !(nullable && json_is_null(v)))
        return dash_refusal(why, key, "not_string", NULL);
    free(*slot);
    *slot = json_is_string(v) ? ww_strdup(json_string_value(v)) : NULL;
    return 0;
}

static int rule_from_json(json_t *j, struct inv_alert_rule *r, struct inv_refusal *why)
{
    const char *key;
    json_t *v;
    int ret = 0;

    json_object_foreach(j, key, v) {
        if (ret < 0)
            break;
        if (strcmp(key, "name") == 0 || strcmp(key, "kind") == 0) {
            ret = set_text(key[0] == 'n' ? &r->name : &r->kind, v, false, key, why);
        } else if (strcmp(key, "device_kind") == 0) {
            ret = set_text(&r->device_kind, v, true, key, why);
        } else if (strcmp(key, "device_id") == 0) {
            if (json_is_null(v))
                r->device_id = 0;
            else if (json_is_integer(v) && json_integer_value(v) > 0)
                r->device_id = json_integer_value(v);
            else
                ret = dash_refusal(why, key, "not_id", NULL);
        } else if (strcmp(key, "threshold") == 0) {
            r->has_threshold = json_is_number(v);
            r->threshold = r->has_threshold ? json_number_value(v) : 0;
            if (!json_is_number(v) && !json_is_null(v))
                ret = dash_refusal(why, key, "not_number", NULL);
        } else if (strcmp(key, "for_s") == 0) {
            ret = dash_json_count(&r->for_s, v, key, why);
        } else if (strcmp(key, "repeat_s") == 0) {
            ret = dash_json_count(&r->repeat_s, v, key, why);
        } else if (strcmp(key, "notify_recovery") == 0) {
            ret = dash_json_bool(&r->notify_recovery, v, key, why);
        } else if (strcmp(key, "enabled") == 0) {
            ret = dash_json_bool(&r->enabled, v, key, why);
        } else if (strcmp(key, "channel_ids") == 0) {
            size_t i;
            json_t *c;
            if (!json_is_array(v) || json_array_size(v) > INV_ALERT_CHANNELS_MAX) {
                ret = dash_refusal(why, key, "too_many", WW_STR(INV_ALERT_CHANNELS_MAX));
                break;
            }
            r->n_channels = 0;
            json_array_foreach(v, i, c) {
                if (!json_is_integer(c) || json_integer_value(c) <= 0) {
                    ret = dash_refusal(why, key, "not_id", NULL);
                    break;
                }
                r->channel_ids[r->n_channels++] = json_integer_value(c);
            }
        } else if (strcmp(key, "id") != 0) {
            ret = dash_refusal(why, "record", "unknown_field", key);
        }
    }
    return ret;
}

static int rule_add_apply(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    return inv_alert_rule_add(db, ctx, &ch->id);
}

static int rule_update_apply(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    struct inv_alert_rule *r = ctx;
    r->id = ch->id;
    return inv_alert_rule_update(db, r);
}

static int rule_remove_apply(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    return inv_alert_rule_remove(db, ch->id);
}

static void reply_rule(struct dash_req *req, struct dash_reply *out, unsigned status,
                       long long id)
{
    struct inv_alert_rule r;
    int ret;

    dash_lock(req);
    ret = inv_alert_rule_get(req->srv->db, id, &r);
    dash_unlock(req);
    if (ret < 0)
        dash_reply_refused(out, ret, NULL);
    else
        dash_reply_json(out, status, rule_json(&r));
    inv_alert_rule_release(&r);
}

static void api_rules(struct dash_req *req, struct dash_reply *out)
{
    struct inv_alert_rule *rules = NULL;
    size_t n = 0;
    json_t *items;
    int ret;

    dash_lock(req);
    ret = inv_alert_rule_list(req->srv->db, false, &rules, &n);
    dash_unlock(req);
    if (ret < 0) {
        dash_reply_db_failed(out);
        return;
    }
    items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, rule_json(&rules[i]));
    inv_alert_rule_list_free(rules, n);
    dash_reply_json(out, MHD_HTTP_OK,
                    json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)n));
}

/* POST and PATCH: @id 0 adds, else the stored rule is the base the body changes */
/* the stored rule (PATCH) with the body's fields applied, read and written in the one
 * audited transaction, so that a change made meanwhile is never overwritten by stale fields */
struct rule_edit {
    json_t *body;
    struct inv_alert_rule r;
};

static int apply_rule_edit(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    struct rule_edit *e = ctx;
    int ret = ch->id ? inv_alert_rule_get(db, ch->id, &e->r) : 0;

    if (ret < 0)
        return ret;
    if (rule_from_json(e->body, &e->r, &ch->why) < 0)
        return -EINVAL;
    return ch->id ? rule_update_apply(db, &e->r, ch) : rule_add_apply(db, &e->r, ch);
}

static void rule_write(struct dash_req *req, struct dash_reply *out, long long id)
{
    struct rule_edit e = {0};
    struct inv_change ch = {.action = id ? "alert_rule.change" : "alert_rule.add",
                            .object_type = "alert_rule", .id = id,
                            .apply = apply_rule_edit, .ctx = &e};

    inv_alert_rule_init(&e.r);
    e.body = dash_body_json(req, out);
    if (!e.body)
        return;
    if (dash_change(req, out, &ch) == 0)
        reply_rule(req, out, id ? MHD_HTTP_OK : MHD_HTTP_CREATED, ch.id);
    free(ch.after);
    inv_alert_rule_release(&e.r);
    json_decref(e.body);
}

static void api_rule_add(struct dash_req *req, struct dash_reply *out)
{
    rule_write(req, out, 0);
}

static void api_rule_change(struct dash_req *req, struct dash_reply *out)
{
    long long id;
    if (id_param(req, out, &id))
        rule_write(req, out, id);
}

static void remove_one(struct dash_req *req, struct dash_reply *out, const char *action,
                       const char *type,
                       int (*apply)(struct ww_db *, void *, struct inv_change *))
{
    struct inv_change ch = {.action = action, .object_type = type, .apply = apply};

    if (!id_param(req, out, &ch.id))
        return;
    if (dash_change(req, out, &ch) == 0)
        dash_reply_empty(out, MHD_HTTP_NO_CONTENT);
    free(ch.after); /* after a removal the snapshot is null */
}

static void api_rule_remove(struct dash_req *req, struct dash_reply *out)
{
    remove_one(req, out, "alert_rule.remove", "alert_rule", rule_remove_apply);
}

/* ---- channels --------------------------------------------------------------------------- */

/* @full: the whole target (for who may edit channels); others see a webhook's scheme and
 * host only, since such URLs often carry their token in the path */
/* the codes a delivery error starts with ("address_refused: ..."; collector/notify.c), for
 * who may not see the detail; an error from before the codes is "delivery_failed". A sent
 * message's "sent: <the server's answer>" is no error: NULL. */
static const char *note_error_code(const char *err)
{
    static const char *const codes[] = {"address_refused", "no_mail_server", "server_refused",
                                        "delivery_failed", NULL};
    if (!err || strncmp(err, "sent: ", 6) == 0)
        return NULL;
    for (size_t i = 0; codes[i]; i++) {
        size_t n = strlen(codes[i]);
        if (strncmp(err, codes[i], n) == 0 && err[n] == ':')
            return codes[i];
    }
    return "delivery_failed";
}

/* the error as @req's user may see it: the whole text for admins, else its code */
static const char *note_error_shown(struct dash_req *req, const char *err)
{
    if (err && strncmp(err, "sent: ", 6) == 0)
        return NULL;
    return dash_role_has(req->auth.role, "user.admin") ? err : note_error_code(err);
}

/* what the far end answered a sent message (the SMTP server's last reply), NULL none */
static const char *note_answer(const char *err)
{
    return err && strncmp(err, "sent: ", 6) == 0 ? err + 6 : NULL;
}

static json_t *channel_json(const struct inv_alert_channel *c, bool full)
{
    json_t *o = json_object();
    char url[WW_URL_REDACT_MAX];

    json_object_set_new(o, "id", json_integer(c->id));
    json_object_set_new(o, "name", dash_json_text(c->name));
    json_object_set_new(o, "kind", dash_json_text(c->kind));
    json_object_set_new(o, "target", dash_json_text(full ? c->target
                                                         : ww_url_redact(c->target, url,
                                                                         sizeof(url))));
    json_object_set_new(o, "secret_set", json_boolean(c->secret_set)); /* never the secret */
    json_object_set_new(o, "enabled", json_boolean(c->enabled));
    return o;
}

/* secret: a string sets it, null clears it, "" or absent keeps it */
static int channel_from_json(json_t *j, struct inv_alert_channel *c, struct inv_refusal *why)
{
    const char *key;
    json_t *v;
    int ret = 0;

    json_object_foreach(j, key, v) {
        if (ret < 0)
            break;
        if (strcmp(key, "name") == 0)
            ret = set_text(&c->name, v, false, key, why);
        else if (strcmp(key, "kind") == 0)
            ret = set_text(&c->kind, v, false, key, why);
        else if (strcmp(key, "target") == 0)
            ret = set_text(&c->target, v, false, key, why);
        else if (strcmp(key, "enabled") == 0)
            ret = dash_json_bool(&c->enabled, v, key, why);
        else if (strcmp(key, "secret") == 0) {
            if ((ret = set_text(&c->secret, v, true, key, why)) < 0)
                break;
            c->clear_secret = json_is_null(v);
            if (c->secret && !*c->secret) {
                free(c->secret);
                c->secret = NULL;
            }
        } else if (strcmp(key, "id") != 0 && strcmp(key, "secret_set") != 0) {
            ret = dash_refusal(why, "record", "unknown_field", key);
        }
    }
    return ret;
}

static int channel_add_apply(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    return inv_alert_channel_add(db, ctx, &ch->id);
}

static int channel_update_apply(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    struct inv_alert_channel *c = ctx;
    c->id = ch->id;
    return inv_alert_channel_update(db, c);
}

static int channel_remove_apply(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    return inv_alert_channel_remove(db, ch->id);
}

/*
 * why channel @c cannot deliver, as {code[,detail]} (words: chanproblem.<code>), or NULL:
 * an e-mail channel without a mail server in effect (file or Settings page) is
 * "no_mail_server" at once; otherwise the newest message's error when it was not sent
 * (its detail for admins only, as in the delivery log). Call under db_lock.
 */
static json_t *channel_problem(struct dash_req *req, const struct inv_alert_channel *c,
                               bool mail_server)
{
    struct inv_notification_filter f = {.channel_id = c->id};
    struct inv_notification *last = NULL;
    size_t n = 0;
    long long total = 0;
    json_t *p = NULL;

    if (c->kind && strcmp(c->kind, "email") == 0 && !mail_server)
        return json_pack("{s:s}", "code", "no_mail_server");
    if (inv_notification_list(req->srv->db, &f, 1, 0, &last, &n, &total) < 0 || n == 0)
        goto out;
    /* a missing server that is set by now is no longer the reason */
    if (strcmp(last->status, "sent") != 0 && note_error_code(last->last_error) &&
        !(mail_server && strcmp(note_error_code(last->last_error), "no_mail_server") == 0)) {
        p = json_pack("{s:s}", "code", note_error_code(last->last_error));
        if (dash_role_has(req->auth.role, "user.admin"))
            json_object_set_new(p, "detail", dash_json_text(last->last_error));
    }
out:
    inv_notification_list_free(last, n);
    return p;
}

static void api_channels(struct dash_req *req, struct dash_reply *out)
{
    struct inv_alert_channel *chs = NULL;
    struct ww_config eff;
    bool mail_server;
    size_t n = 0;
    json_t *items, *problems;
    int ret;

    dash_lock(req);
    ret = inv_alert_channel_list(req->srv->db, &chs, &n);
    problems = json_array();
    if (ret == 0) {
        /* no file config (unit tests): say nothing of a mail server */
        mail_server = dash_settings_effective(req->srv, &eff, NULL) == -ENOENT ||
                      (eff.smtp_url && *eff.smtp_url);
        for (size_t i = 0; i < n; i++) {
            json_t *p = channel_problem(req, &chs[i], mail_server);
            json_array_append_new(problems, p ? p : json_null());
        }
        if (eff.smtp_password)
            memset(eff.smtp_password, 0, strlen(eff.smtp_password));
        ww_config_release(&eff);
    }
    dash_unlock(req);
    if (ret < 0) {
        json_decref(problems);
        dash_reply_db_failed(out);
        return;
    }
    items = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = channel_json(&chs[i], dash_role_has(req->auth.role, "uptime.edit"));
        json_object_set(o, "problem", json_array_get(problems, i));
        json_array_append_new(items, o);
    }
    json_decref(problems);
    inv_alert_channel_list_free(chs, n);
    dash_reply_json(out, MHD_HTTP_OK,
                    json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)n));
}

/* as rule_edit: the stored channel (never its secret) with the body applied, in the
 * change's own transaction */
struct channel_edit {
    json_t *body;
    struct inv_alert_channel c;
};

static int apply_channel_edit(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    struct channel_edit *e = ctx;
    int ret = ch->id ? inv_alert_channel_get(db, ch->id, &e->c) : 0;

    if (ret < 0)
        return ret;
    if (channel_from_json(e->body, &e->c, &ch->why) < 0 ||
        dash_alert_target_check(&e->c, &alert_allow, &ch->why) < 0)
        return -EINVAL;
    return ch->id ? channel_update_apply(db, &e->c, ch) : channel_add_apply(db, &e->c, ch);
}

static void channel_write(struct dash_req *req, struct dash_reply *out, long long id)
{
    struct channel_edit e = {0};
    struct inv_change ch = {.action = id ? "alert_channel.change" : "alert_channel.add",
                            .object_type = "alert_channel", .id = id,
                            .apply = apply_channel_edit, .ctx = &e};
    int ret;

    inv_alert_channel_init(&e.c);
    e.body = dash_body_json(req, out);
    if (!e.body)
        return;
    if (dash_change(req, out, &ch) < 0)
        goto out;
    inv_alert_channel_release(&e.c);
    dash_lock(req);
    ret = inv_alert_channel_get(req->srv->db, ch.id, &e.c);
    dash_unlock(req);
    if (ret < 0)
        dash_reply_refused(out, ret, NULL);
    else
        dash_reply_json(out, id ? MHD_HTTP_OK : MHD_HTTP_CREATED, channel_json(&e.c, true));
out:
    free(ch.after);
    inv_alert_channel_release(&e.c);
    json_decref(e.body);
}

static void api_channel_add(struct dash_req *req, struct dash_reply *out)
{
    channel_write(req, out, 0);
}

static void api_channel_change(struct dash_req *req, struct dash_reply *out)
{
    long long id;
    if (id_param(req, out, &id))
        channel_write(req, out, id);
}

static void api_channel_remove(struct dash_req *req, struct dash_reply *out)
{
    remove_one(req, out, "alert_channel.remove", "alert_channel", channel_remove_apply);
}

struct channel_test {
    const struct ww_i18n *words;
    long long note_id;
};

static int channel_test_apply(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    struct channel_test *ct = ctx;
    return inv_alert_channel_test(db, ct->words, ch->id, (long long)time(NULL), &ct->note_id);
}

static void api_channel_test(struct dash_req *req, struct dash_reply *out)
{
    struct channel_test ct = {.words = req->srv->words};
    struct inv_change ch = {.action = "alert_channel.test", .object_type = "alert_channel",
                            .apply = channel_test_apply, .ctx = &ct};

    if (!id_param(req, out, &ch.id))
        return;
    if (dash_change(req, out, &ch) == 0)
        dash_reply_json(out, MHD_HTTP_ACCEPTED,
                        json_pack("{s:I, s:s}", "notification_id", (json_int_t)ct.note_id,
                                  "status", "pending"));
    free(ch.after);
}

/* ---- alerts ----------------------------------------------------------------------------- */

/* an alert's message in the reader's language: "<kind>: <value>" from the words of its kind
 * and value (alert.message, alertkind.*, alertval.*); rows written before the message was a
 * code keep their stored text */
static json_t *alert_message(struct dash_req *req, const struct inv_alert *a)
{
    const struct ww_i18n *w = req->srv->words;
    enum ww_lang lang = dash_req_lang(req);
    char key[96], v[32];
    const char *vkey = a->has_value ? inv_alert_value_words(a->kind, a->value, v, sizeof(v))
                                    : NULL;
    char *kind, *value, *text;
    json_t *j;

    if (a->message && strncmp(a->message, "alertval.", 9) != 0)
        return dash_json_text(a->message);
    snprintf(key, sizeof(key), "alertkind.%s", a->kind ? a->kind : "");
    kind = ww_i18n_printf(w, lang, key, NULL, 0);
    if (!vkey) {
        j = dash_json_text(kind);
        free(kind);
        return j;
    }
    value = ww_i18n_printf(w, lang, vkey, (struct ww_param[]){{"v", v}}, 1);
    text = ww_i18n_printf(w, lang, "alert.message",
                          (struct ww_param[]){{"kind", kind}, {"value", value}}, 2);
    j = dash_json_text(text);
    free(kind);
    free(value);
    free(text);
    return j;
}

static json_t *alert_json(struct dash_req *req, const struct inv_alert *a)
{
    json_t *o = json_object();

    json_object_set_new(o, "id", json_integer(a->id));
    json_object_set_new(o, "rule_id", json_integer(a->rule_id));
    json_object_set_new(o, "rule_name", dash_json_text(a->rule_name));
    json_object_set_new(o, "kind", dash_json_text(a->kind));
    json_object_set_new(o, "device_id", json_integer(a->device_id));
    json_object_set_new(o, "device_name", dash_json_text(a->device_name));
    json_object_set_new(o, "interface_id",
                        a->interface_id ? json_integer(a->interface_id) : json_null());
    json_object_set_new(o, "interface_name", dash_json_text(a->interface_name));
    json_object_set_new(o, "state", dash_json_text(a->state));
    json_object_set_new(o, "pending_since", dash_json_time(a->pending_since));
    json_object_set_new(o, "fired_at", dash_json_time(a->fired_at));
    json_object_set_new(o, "resolved_at", dash_json_time(a->resolved_at));
    json_object_set_new(o, "value", a->has_value ? json_real(a->value) : json_null());
    json_object_set_new(o, "message", alert_message(req, a));
    return o;
}

static void api_alerts(struct dash_req *req, struct dash_reply *out)
{
    static const char *const states[] = {"pending", "firing", "resolved", NULL};
    struct inv_alert_filter f = {0};
    struct inv_alert *items = NULL;
    size_t n = 0;
    long long limit, offset, total = 0;
    json_t *arr;
    int ret;

    if (!dash_page_params(req, out, &limit, &offset) ||
        !enum_param(req, out, "state", states, &f.state) ||
        !opt_id_param(req, out, "device", &f.device_id))
        return;
    dash_lock(req);
    ret = inv_alert_list(req->srv->db, &f, limit, offset, &items, &n, &total);
    dash_unlock(req);
    if (ret < 0) {
        dash_reply_db_failed(out);
        return;
    }
    arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, alert_json(req, &items[i]));
    inv_alert_list_free(items, n);
    dash_reply_json(out, MHD_HTTP_OK,
                    json_pack("{s:o, s:I}", "items", arr, "total", (json_int_t)total));
}

/* ---- the kinds of rule: inventory's table, for the UI's kind list and rule form ---------- */

static void api_kinds(struct dash_req *req, struct dash_reply *out)
{
    json_t *arr = json_array();

    (void)req;
    for (size_t i = 0; i < inv_alert_nkinds; i++) {
        const struct inv_alert_kind *k = &inv_alert_kinds[i];
        json_t *th = json_null();
        if (k->needs_threshold)
            th = json_pack("{s:s, s:s, s:f, s:f}", "unit", k->unit, "direction", k->direction,
                           "min", k->min, "max", k->max);
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:o}", "name", k->name,
                                             "subject", k->subject, "value", k->value,
                                             "threshold", th));
    }
    dash_reply_json(out, MHD_HTTP_OK,
                    json_pack("{s:o, s:I}", "items", arr, "total", (json_int_t)inv_alert_nkinds));
}

/* ---- the delivery log ------------------------------------------------------------------- */

static json_t *note_json(struct dash_req *req, const struct inv_notification *x)
{
    json_t *o = json_object();
    char url[WW_URL_REDACT_MAX];

    json_object_set_new(o, "id", json_integer(x->id));
    json_object_set_new(o, "alert_id", x->alert_id ? json_integer(x->alert_id) : json_null());
    json_object_set_new(o, "channel_id",
                        x->channel_id ? json_integer(x->channel_id) : json_null());
    json_object_set_new(o, "channel_name", dash_json_text(x->channel_name));
    json_object_set_new(o, "kind", dash_json_text(x->kind));
    /* the log is for everyone: a webhook's URL as scheme and host only */
    json_object_set_new(o, "recipient",
                        dash_json_text(ww_url_redact(x->recipient, url, sizeof(url))));
    json_object_set_new(o, "subject", dash_json_text(x->subject));
    json_object_set_new(o, "status", dash_json_text(x->status));
    json_object_set_new(o, "attempts", json_integer(x->attempts));
    json_object_set_new(o, "next_attempt_at", dash_json_time(x->next_attempt_at));
    json_object_set_new(o, "sent_at", dash_json_time(x->sent_at));
    json_object_set_new(o, "last_error", dash_json_text(note_error_shown(req, x->last_error)));
    json_object_set_new(o, "error_code", dash_json_text(note_error_code(x->last_error)));
    json_object_set_new(o, "answer", dash_json_text(note_answer(x->last_error)));
    json_object_set_new(o, "created_at", dash_json_time(x->created_at));
    return o;
}

static int note_query(struct dash_req *req, struct dash_reply *out, long long limit,
                      long long offset, struct inv_notification **items, size_t *n,
                      long long *total)
{
    static const char *const statuses[] = {"pending", "sent", "failed", NULL};
    struct inv_notification_filter f = {0};
    int ret;

    if (!enum_param(req, out, "status", statuses, &f.status) ||
        !opt_id_param(req, out, "channel", &f.channel_id))
        return -EINVAL;
    dash_lock(req);
    ret = inv_notification_list(req->srv->db, &f, limit, offset, items, n, total);
    dash_unlock(req);
    if (ret < 0)
        dash_reply_db_failed(out);
    return ret;
}

static void api_notifications(struct dash_req *req, struct dash_reply *out)
{
    struct inv_notification *items = NULL;
    size_t n = 0;
    long long limit, offset, total = 0;
    json_t *arr;

    if (!dash_page_params(req, out, &limit, &offset) ||
        note_query(req, out, limit, offset, &items, &n, &total) < 0)
        return;
    arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, note_json(req, &items[i]));
    inv_notification_list_free(items, n);
    dash_reply_json(out, MHD_HTTP_OK,
                    json_pack("{s:o, s:I}", "items", arr, "total", (json_int_t)total));
}

static void time_cell(long long t, char *buf, size_t size)
{
    if (t > 0)
        ww_time_iso((time_t)t, buf, size);
    else
        buf[0] = '\0';
}

static void api_notifications_csv(struct dash_req *req, struct dash_reply *out)
{
    static const char *const head[] = {"id",        "alert_id", "channel_id", "channel_name",
                                       "kind",      "recipient", "subject",   "status",
                                       "attempts",  "next_attempt_at", "sent_at",
                                       "last_error", "created_at"};
    struct inv_notification *items = NULL;
    size_t n = 0;
    long long total = 0;
    struct ww_buf b;

    if (note_query(req, out, NOTE_CSV_ROWS, 0, &items, &n, &total) < 0)
        return;
    ww_buf_init(&b, NOTE_CSV_MAX);
    dash_csv_head(req, &b, head, WW_ARRAY_SIZE(head));
    for (size_t i = 0; i < n; i++) {
        const struct inv_notification *x = &items[i];
        char id[24], alert[24], chan[24], att[24], next[32], sent[32], created[32];
        char url[WW_URL_REDACT_MAX];
        snprintf(id, sizeof(id), "%lld", x->id);
        snprintf(alert, sizeof(alert), "%lld", x->alert_id);
        snprintf(chan, sizeof(chan), "%lld", x->channel_id);
        snprintf(att, sizeof(att), "%lld", x->attempts);
        time_cell(x->next_attempt_at, next, sizeof(next));
        time_cell(x->sent_at, sent, sizeof(sent));
        time_cell(x->created_at, created, sizeof(created));
        const char *row[] = {id,   x->alert_id ? alert : "", x->channel_id ? chan : "",
                             x->channel_name, x->kind,
                             ww_url_redact(x->recipient, url, sizeof(url)), x->subject, x->status,
                             att,  next, sent, note_error_shown(req, x->last_error), created};
        for (size_t k = 0; k < WW_ARRAY_SIZE(row); k++) {
            char *clean = row[k] ? ww_utf8_sanitize(row[k], strlen(row[k])) : NULL;
            dash_csv_cell(&b, clean, k + 1 == WW_ARRAY_SIZE(row));
            free(clean);
        }
    }
    inv_notification_list_free(items, n);
    dash_reply_csv(out, &b, "notifications.csv");
    ww_buf_release(&b);
}

const struct dash_route dash_alert_routes[] = {
    {"/api/v1/alert-rules", DASH_GET, api_rules, "overview.read"},
    {"/api/v1/alert-rules", DASH_POST, api_rule_add, "uptime.edit"},
    {"/api/v1/alert-rules/{id}", DASH_PATCH, api_rule_change, "uptime.edit"},
    {"/api/v1/alert-rules/{id}", DASH_DELETE, api_rule_remove, "uptime.edit"},
    {"/api/v1/alert-channels", DASH_GET, api_channels, "overview.read"},
    {"/api/v1/alert-channels", DASH_POST, api_channel_add, "uptime.edit"},
    {"/api/v1/alert-channels/{id}", DASH_PATCH, api_channel_change, "uptime.edit"},
    {"/api/v1/alert-channels/{id}", DASH_DELETE, api_channel_remove, "uptime.edit"},
    {"/api/v1/alert-channels/{id}/test", DASH_POST, api_channel_test, "uptime.edit"},
    {"/api/v1/alerts", DASH_GET, api_alerts, "overview.read"},
    {"/api/v1/alert-kinds", DASH_GET, api_kinds, "overview.read"},
    {"/api/v1/notifications", DASH_GET, api_notifications, "overview.read"},
    {"/api/v1/notifications.csv", DASH_GET, api_notifications_csv, "overview.read"},
};
const size_t dash_alert_nroutes = WW_ARRAY_SIZE(dash_alert_routes);

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * alert.c - the alert evaluator: rules against the latest device status and measurements
 * the collector wrote, alert state transitions, and the notifications they queue.
 *
 * DESIGN: the evaluator is a pure function of the database and @now. For each enabled rule
 * and each matching enabled device (and interface, for the interface kinds) the condition
 * is true, false or unknown (coll_alert_condition). Per rule+device+subject there is at
 * most one open alert (the schema's partial unique index):
 *
 *   none    --true-->  pending (since the device went down / the interface went down /
 *                      now for the measured kinds)
 *   pending --true for for_s--> firing: announce "firing" (unless in maintenance)
 *   pending --false--> resolved, silently (it never fired)
 *   firing  --true, never announced, out of maintenance--> announce "firing" now
 *   firing  --true, repeat_s > 0 elapsed, out of maintenance--> announce "repeat"
 *   firing  --false--> resolved; announce "recovery" when notify_recovery, the firing was
 *                      announced and the device is not in maintenance
 *   unknown: nothing moves
 *
 * An announcement is one notification row per enabled channel of the rule; the delivery
 * thread (notify.c) sends them. Hysteresis of device states is the status code's job
 * ([collector] down_after/up_after); a device behind a down parent is 'unreachable', which
 * is unknown here, so it raises no device_down of its own and keeps an alert it had.
 */
#include "collector/collector.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

#define NAME_CUT 160 /* device and interface names in texts are cut to this many bytes */

/* ---- conditions ------------------------------------------------------------------------- */

static bool fresh(long long at, long long now, long long fresh_s)
{
    return at > 0 && now - at <= fresh_s && at <= now + 60;
}

static enum coll_cond above(bool known, double v, double threshold, double *out)
{
    if (!known)
        return COLL_COND_UNKNOWN;
    *out = v;
    return v > threshold ? COLL_COND_TRUE : COLL_COND_FALSE;
}

static enum coll_cond below(bool known, double v, double threshold, double *out)
{
    if (!known)
        return COLL_COND_UNKNOWN;
    *out = v;
    return v < threshold ? COLL_COND_TRUE : COLL_COND_FALSE;
}

enum coll_cond coll_alert_condition(const struct inv_alert_rule *r,
                                    const struct inv_alert_target *t,
                                    const struct inv_alert_iface *ifc, long long now,
                                    long long fresh_s, double *out_value)
{
    bool metrics;

    *out_value = NAN;
    if (strcmp(r->kind, "device_down") == 0) {
        if (strcmp(t->state, "down") == 0) {
            *out_value = t->since > 0 && t->since <= now ? (double)(now - t->since) : 0;
            return COLL_COND_TRUE;
        }
        return strcmp(t->state, "up") == 0 ? COLL_COND_FALSE : COLL_COND_UNKNOWN;
    }
    /* every other kind needs a device that answers: down, unreachable and unknown devices
     * tell nothing about their interfaces, disks or batteries */
    if (strcmp(t->state, "up") != 0)
        return COLL_COND_UNKNOWN;
    if (strcmp(r->kind, "interface_down") == 0) {
        if (!ifc)
            return COLL_COND_UNKNOWN;
        if (ifc->admin_status != 1 || ifc->oper_status == 1)
            return COLL_COND_FALSE; /* taken down on purpose, or up */
        if (ifc->oper_status == 2 || ifc->oper_status == 7) { /* down, lowerLayerDown */
            *out_value = ifc->oper_since > 0 && ifc->oper_since <= now
                             ? (double)(now - ifc->oper_since) : 0;
            return COLL_COND_TRUE;
        }
        return COLL_COND_UNKNOWN; /* testing, dormant, notPresent, unknown */
    }
    if (strcmp(r->kind, "link_util") == 0) {
        double peak;
        if (!ifc || !ifc->has_rate || ifc->speed_bps <= 0 || !fresh(ifc->rate_at, now, fresh_s))
            return COLL_COND_UNKNOWN;
        peak = ifc->in_bps > ifc->out_bps ? ifc->in_bps : ifc->out_bps;
        return above(true, 100.0 * peak / (double)ifc->speed_bps, r->threshold, out_value);
    }
    metrics = fresh(t->metrics_at, now, fresh_s);
    if (strcmp(r->kind, "disk") == 0)
        return above(metrics && t->has_disk, t->disk_max_pct, r->threshold, out_value);
    if (strcmp(r->kind, "cpu") == 0)
        return above(metrics && t->has_cpu, t->cpu_pct, r->threshold, out_value);
    if (strcmp(r->kind, "ups_battery") == 0) {
        if (!metrics || !t->has_on_battery)
            return COLL_COND_UNKNOWN;
        *out_value = t->has_runtime ? t->ups_runtime_min : NAN;
        return t->ups_on_battery ? COLL_COND_TRUE : COLL_COND_FALSE;
    }
    if (strcmp(r->kind, "ups_runtime") == 0)
        return below(metrics && t->has_runtime, t->ups_runtime_min, r->threshold, out_value);
    if (strcmp(r->kind, "printer_supply") == 0)
        return below(metrics && t->has_supply, t->supply_min_pct, r->threshold, out_value);
    return COLL_COND_UNKNOWN;
}

/* ---- texts ------------------------------------------------------------------------------ */

static const struct {
    const char *kind;
    const char *vi, *en;
} rule_texts[] = {
    {"device_down", "Thiết bị mất kết nối", "Device down"},
    {"interface_down", "Cổng mạng ngừng hoạt động", "Interface down"},
    {"link_util", "Đường truyền quá tải", "Link utilisation high"},
    {"disk", "Ổ đĩa sắp đầy", "Disk nearly full"},
    {"cpu", "CPU tải cao kéo dài", "CPU load sustained high"},
    {"ups_battery", "UPS đang chạy bằng pin", "UPS on battery"},
    {"ups_runtime", "UPS sắp hết thời gian dự phòng", "UPS runtime low"},
    {"printer_supply", "Máy in sắp hết vật tư (mực, giấy)", "Printer supply low"},
};

static const struct {
    const char *kind;
    const char *vi, *en;
} note_texts[] = {
    {"firing", "CẢNH BÁO", "ALERT"},
    {"repeat", "NHẮC LẠI", "STILL FIRING"},
    {"recovery", "ĐÃ KHÔI PHỤC", "RECOVERED"},
};

static const char *rule_text(const char *kind, bool en)
{
    for (size_t i = 0; i < WW_ARRAY_SIZE(rule_texts); i++)
        if (strcmp(rule_texts[i].kind, kind) == 0)
            return en ? rule_texts[i].en : rule_texts[i].vi;
    return kind;
}

static const char *note_text(const char *kind, bool en)
{
    for (size_t i = 0; i < WW_ARRAY_SIZE(note_texts); i++)
        if (strcmp(note_texts[i].kind, kind) == 0)
            return en ? note_texts[i].en : note_texts[i].vi;
    return kind;
}

/* a device string safe for one line of text: valid UTF-8, no control characters, cut */
static char *clean(const char *s)
{
    size_t n;
    char *c;

    if (!s)
        return ww_strdup("?");
    n = strlen(s);
    if (n > NAME_CUT) {
        n = NAME_CUT;
        while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80) /* a UTF-8 boundary */
            n--;
    }
    c = ww_utf8_sanitize(s, n);
    return c;
}

/* "dd/mm/yyyy HH:MM UTC" */
static void fmt_time(long long t, char *buf, size_t size)
{
    struct tm tm;
    time_t tt = (time_t)t;

    if (t <= 0 || !gmtime_r(&tt, &tm)) {
        ww_strlcpy(buf, "?", size);
        return;
    }
    snprintf(buf, size, "%02d/%02d/%04d %02d:%02d UTC", tm.tm_mday, tm.tm_mon + 1,
             tm.tm_year + 1900, tm.tm_hour, tm.tm_min);
}

/* the measured value in words; "" when there is none */
static void fmt_value(const char *kind, double v, bool en, char *buf, size_t size)
{
    buf[0] = '\0';
    if (!isfinite(v))
        return;
    if (strcmp(kind, "device_down") == 0 || strcmp(kind, "interface_down") == 0)
        snprintf(buf, size, en ? "down for %.0f min" : "đã mất %.0f phút", floor(v / 60));
    else if (strcmp(kind, "ups_runtime") == 0 || strcmp(kind, "ups_battery") == 0)
        snprintf(buf, size, en ? "%.0f min of runtime left" : "còn %.0f phút dự phòng", v);
    else
        snprintf(buf, size, "%.1f%%", v);
}

void coll_alert_text(const struct ww_config *cfg, const char *kind,
                     const struct inv_alert_rule *r, const struct inv_alert_target *t,
                     const struct inv_alert_iface *ifc, double value, long long since,
                     char **out_subject, char **out_body)
{
    char *dev = clean(t->name), *host = clean(t->host), *ifname = ifc ? clean(ifc->name) : NULL;
    char *rule = clean(r->name);
    char vi_val[96], en_val[96], when[40], thr[64] = "";
    struct ww_buf b;

    fmt_value(r->kind, value, false, vi_val, sizeof(vi_val));
    fmt_value(r->kind, value, true, en_val, sizeof(en_val));
    fmt_time(since, when, sizeof(when));
    if (r->has_threshold)
        snprintf(thr, sizeof(thr), "%g%s", r->threshold,
                 strcmp(r->kind, "ups_runtime") == 0 ? " min" : "%");
    *out_subject = ww_asprintf("[wardwatch] %s: %s – %s%s%s", note_text(kind, false),
                               rule_text(r->kind, false), dev, ifname ? " / " : "",
                               ifname ? ifname : "");
    ww_buf_init(&b, 64 * 1024);
    ww_buf_addf(&b, "%s: %s\nThiết bị: %s (%s)\n", note_text(kind, false),
                rule_text(r->kind, false), dev, host);
    if (ifname)
        ww_buf_addf(&b, "Cổng: %s\n", ifname);
    if (vi_val[0])
        ww_buf_addf(&b, "Giá trị: %s\n", vi_val);
    if (thr[0])
        ww_buf_addf(&b, "Ngưỡng: %s\n", thr);
    ww_buf_addf(&b, "Quy tắc: %s\nBắt đầu: %s\n", rule, when);
    if (cfg && cfg->dashboard_url && cfg->dashboard_url[0])
        ww_buf_addf(&b, "Xem chi tiết: %s\n", cfg->dashboard_url);
    ww_buf_addf(&b, "\n---- English ----\n%s: %s\nDevice: %s (%s)\n", note_text(kind, true),
                rule_text(r->kind, true), dev, host);
    if (ifname)
        ww_buf_addf(&b, "Interface: %s\n", ifname);
    if (en_val[0])
        ww_buf_addf(&b, "Value: %s\n", en_val);
    if (thr[0])
        ww_buf_addf(&b, "Threshold: %s\n", thr);
    ww_buf_addf(&b, "Rule: %s\nSince: %s\n", rule, when);
    if (cfg && cfg->dashboard_url && cfg->dashboard_url[0])
        ww_buf_addf(&b, "Details: %s\n", cfg->dashboard_url);
    *out_body = ww_buf_detach(&b);
    ww_buf_release(&b);
    free(dev);
    free(host);
    free(ifname);
    free(rule);
}

/* ---- the state machine ------------------------------------------------------------------ */

struct eval {
    struct ww_db *db;
    const struct ww_config *cfg;
    long long now, fresh_s;
    struct inv_alert_channel *channels;
    size_t n_channels;
    int queued;
};

static const struct inv_alert_channel *channel_by_id(const struct eval *ev, long long id)
{
    for (size_t i = 0; i < ev->n_channels; i++)
        if (ev->channels[i].id == id)
            return &ev->channels[i];
    return NULL;
}

/* one notification per enabled channel of the rule; then the alert counts as announced */
static int announce(struct eval *ev, const char *kind, long long alert_id,
                    const struct inv_alert_rule *r, const struct inv_alert_target *t,
                    const struct inv_alert_iface *ifc, double value, long long since)
{
    char *subject = NULL, *body = NULL;
    int ret = 0;

    coll_alert_text(ev->cfg, kind, r, t, ifc, value, since, &subject, &body);
    for (size_t i = 0; i < r->n_channels && ret == 0; i++) {
        const struct inv_alert_channel *c = channel_by_id(ev, r->channel_ids[i]);
        if (!c || !c->enabled)
            continue;
        ret = inv_notification_add(ev->db, alert_id, c->id, kind, c->target, subject, body,
                                   ev->now, NULL);
        if (ret == 0)
            ev->queued++;
    }
    if (ret == 0)
        ret = inv_alert_notified(ev->db, alert_id, ev->now);
    if (ret == 0)
        ww_log(WW_LOG_INFO, "alert: rule %lld device %lld%s: %s", r->id, t->id,
               ifc ? " interface" : "", kind);
    free(subject);
    free(body);
    return ret;
}

static void short_message(const struct inv_alert_rule *r, double value, char *buf, size_t size)
{
    char v[96];
    fmt_value(r->kind, value, true, v, sizeof(v));
    snprintf(buf, size, "%s%s%s", rule_text(r->kind, true), v[0] ? ": " : "", v);
}

static int step(struct eval *ev, const struct inv_alert_rule *r,
                const struct inv_alert_target *t, const struct inv_alert_iface *ifc,
                bool in_maint)
{
    struct inv_alert a;
    char subject[32], msg[160];
    double value = NAN;
    enum coll_cond c = coll_alert_condition(r, t, ifc, ev->now, ev->fresh_s, &value);
    bool has_value = isfinite(value);
    long long start;
    int ret;

    if (ifc)
        snprintf(subject, sizeof(subject), "if:%lld", ifc->id);
    else
        ww_strlcpy(subject, strcmp(r->kind, "disk") == 0             ? "disk"
                            : strcmp(r->kind, "printer_supply") == 0 ? "supply"
                                                                     : "",
                   sizeof(subject));
    ret = inv_alert_open_get(ev->db, r->id, t->id, subject, &a);
    if (ret < 0 && ret != -ENOENT)
        return ret;
    if (c == COLL_COND_UNKNOWN || (ret == -ENOENT && c == COLL_COND_FALSE)) {
        ret = 0;
        goto out;
    }
    short_message(r, value, msg, sizeof(msg));
    if (ret == -ENOENT) {
        /* a new alert: pending since the state changed, when the collector knows it */
        start = ev->now;
        if (strcmp(r->kind, "device_down") == 0 && t->since > 0 && t->since <= ev->now)
            start = t->since;
        if (ifc && strcmp(r->kind, "interface_down") == 0 && ifc->oper_since > 0 &&
            ifc->oper_since <= ev->now)
            start = ifc->oper_since;
        a.rule_id = r->id;
        a.device_id = t->id;
        a.interface_id = ifc ? ifc->id : 0;
        a.subject = ww_strdup(subject);
        a.state = ww_strdup("pending");
        a.pending_since = start;
        a.has_value = has_value;
        a.value = has_value ? value : 0;
        a.message = ww_strdup(msg);
        if ((ret = inv_alert_open(ev->db, &a, &a.id)) < 0)
            goto out;
    }
    if (c == COLL_COND_FALSE) {
        if (strcmp(a.state, "firing") == 0 && a.last_notified_at > 0 && r->notify_recovery &&
            !in_maint)
            ret = announce(ev, "recovery", a.id, r, t, ifc, a.has_value ? a.value : NAN,
                           a.pending_since);
        if (ret == 0)
            ret = inv_alert_resolve(ev->db, a.id, ev->now);
        goto out;
    }
    if ((ret = inv_alert_set_value(ev->db, a.id, has_value, value, msg)) < 0)
        goto out;
    if (strcmp(a.state, "pending") == 0 && ev->now - a.pending_since >= r->for_s) {
        if ((ret = inv_alert_fire(ev->db, a.id, ev->now)) < 0)
            goto out;
        free(a.state);
        a.state = ww_strdup("firing");
    }
    if (strcmp(a.state, "firing") != 0 || in_maint)
        goto out;
    if (a.last_notified_at == 0)
        ret = announce(ev, "firing", a.id, r, t, ifc, value, a.pending_since);
    else if (r->repeat_s > 0 && ev->now - a.last_notified_at >= r->repeat_s)
        ret = announce(ev, "repeat", a.id, r, t, ifc, value, a.pending_since);
out:
    inv_alert_release(&a);
    return ret;
}

static bool rule_matches(const struct inv_alert_rule *r, const struct inv_alert_target *t)
{
    return (r->device_id == 0 || r->device_id == t->id) &&
           (!r->device_kind || strcmp(r->device_kind, t->kind) == 0);
}

static bool per_interface(const struct inv_alert_rule *r)
{
    return strcmp(r->kind, "interface_down") == 0 || strcmp(r->kind, "link_util") == 0;
}

static int eval_device(struct eval *ev, const struct inv_alert_rule *rules, size_t n_rules,
                       const struct inv_alert_target *t)
{
    struct inv_alert_iface *ifs = NULL;
    size_t n_ifs = 0;
    bool in_maint = false, loaded = false;
    int ret = inv_maintenance_covers(ev->db, t->id, (time_t)ev->now, &in_maint);

    for (size_t i = 0; i < n_rules && ret == 0; i++) {
        const struct inv_alert_rule *r = &rules[i];
        if (!rule_matches(r, t))
            continue;
        if (!per_interface(r)) {
            ret = step(ev, r, t, NULL, in_maint);
            continue;
        }
        if (!loaded) {
            ret = inv_alert_ifaces(ev->db, t->id, &ifs, &n_ifs);
            loaded = true;
        }
        for (size_t k = 0; k < n_ifs && ret == 0; k++)
            ret = step(ev, r, t, &ifs[k], in_maint);
    }
    inv_alert_ifaces_free(ifs, n_ifs);
    return ret;
}

int coll_alert_evaluate(struct ww_db *db, const struct ww_config *cfg, time_t now)
{
    struct eval ev = {.db = db, .cfg = cfg, .now = (long long)now};
    struct inv_alert_rule *rules = NULL;
    struct inv_alert_target *targets = NULL;
    size_t n_rules = 0, n_targets = 0;
    long long stale = 0;
    int ret;

    /* measurements a few rounds old are still the latest; older ones are unknown */
    ev.fresh_s = cfg ? 3 * cfg->poll_interval : 180;
    if (ev.fresh_s < 180)
        ev.fresh_s = 180;
    if ((ret = ww_db_savepoint(db)) < 0)
        return -EIO;
    if ((ret = inv_alert_resolve_stale(db, ev.now, &stale)) < 0 ||
        (ret = inv_alert_rule_list(db, true, &rules, &n_rules)) < 0)
        goto out;
    if (n_rules == 0)
        goto out;
    if ((ret = inv_alert_channel_list(db, &ev.channels, &ev.n_channels)) < 0 ||
        (ret = inv_alert_targets(db, &targets, &n_targets)) < 0)
        goto out;
    for (size_t i = 0; i < n_targets && ret == 0; i++)
        ret = eval_device(&ev, rules, n_rules, &targets[i]);
out:
    if (ret == 0)
        ret = ww_db_release(db);
    if (ret < 0) {
        ww_db_undo(db);
        ww_log(WW_LOG_ERR, "alert: evaluation failed (%s): rolled back", strerror(-ret));
    }
    inv_alert_rule_list_free(rules, n_rules);
    inv_alert_channel_list_free(ev.channels, ev.n_channels);
    inv_alert_targets_free(targets, n_targets);
    if (ret < 0)
        return -EIO;
    if (ev.queued > 0)
        coll_notify_wake();
    return ev.queued;
}

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
 *   firing  --true, repeat_s > 0 elapsed, out of maintenance, its outage (the down_for
 *              kinds) not acknowledged (inv_outage_acked_open)--> announce "repeat"
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
#include <unistd.h>

#include "common/banned.h"

#define NAME_CUT 160 /* device and interface names in texts are cut to this many bytes */

/* ---- conditions ------------------------------------------------------------------------- */

static bool fresh(long long at, long long now, long long fresh_s)
{
    return at > 0 && now - at <= fresh_s && at <= now + 60;
}

/* a measured value against the rule's threshold, as the kind's direction says */
static enum coll_cond compare(const struct inv_alert_kind *k, bool known, double v,
                              double threshold, double *out)
{
    if (!known || !k->needs_threshold)
        return COLL_COND_UNKNOWN;
    *out = v;
    if (strcmp(k->direction, "below") == 0)
        return v < threshold ? COLL_COND_TRUE : COLL_COND_FALSE;
    return v > threshold ? COLL_COND_TRUE : COLL_COND_FALSE;
}

enum coll_cond coll_alert_condition(const struct inv_alert_rule *r,
                                    const struct inv_alert_target *t,
                                    const struct inv_alert_iface *ifc, long long now,
                                    long long fresh_s, double *out_value)
{
    const struct inv_alert_kind *k = inv_alert_kind_get(r->kind);
    bool metrics;

    *out_value = NAN;
    if (!k)
        return COLL_COND_UNKNOWN;
    if (strcmp(k->name, "device_down") == 0) {
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
    if (strcmp(k->name, "interface_down") == 0) {
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
    if (strcmp(k->name, "link_util") == 0) {
        double peak;
        if (!ifc || !ifc->has_rate || ifc->speed_bps <= 0 || !fresh(ifc->rate_at, now, fresh_s))
            return COLL_COND_UNKNOWN;
        peak = ifc->in_bps > ifc->out_bps ? ifc->in_bps : ifc->out_bps;
        return compare(k, true, 100.0 * peak / (double)ifc->speed_bps, r->threshold, out_value);
    }
    metrics = fresh(t->metrics_at, now, fresh_s);
    if (strcmp(k->name, "ups_battery") == 0) {
        if (!metrics || !t->has_on_battery)
            return COLL_COND_UNKNOWN;
        *out_value = t->has_runtime ? t->ups_runtime_min : NAN;
        return t->ups_on_battery ? COLL_COND_TRUE : COLL_COND_FALSE;
    }
    if (strcmp(k->name, "disk") == 0)
        return compare(k, metrics && t->has_disk, t->disk_max_pct, r->threshold, out_value);
    if (strcmp(k->name, "cpu") == 0)
        return compare(k, metrics && t->has_cpu, t->cpu_pct, r->threshold, out_value);
    if (strcmp(k->name, "ups_runtime") == 0)
        return compare(k, metrics && t->has_runtime, t->ups_runtime_min, r->threshold,
                       out_value);
    if (strcmp(k->name, "printer_supply") == 0)
        return compare(k, metrics && t->has_supply, t->supply_min_pct, r->threshold, out_value);
    return COLL_COND_UNKNOWN; /* a kind of the table the evaluator does not know yet */
}

/* ---- texts ------------------------------------------------------------------------------ */

/* the words of the alert texts: loaded once before threads start, read-only after */
static struct ww_i18n *alert_words;

int coll_alert_words_load(const struct ww_config *cfg)
{
    char *dir = ww_asprintf("%s/i18n", cfg->www_dir ? cfg->www_dir : ""), *vi = ww_asprintf("%s/vi.json", dir);
    int ret = -ENOENT;

    ww_i18n_free(alert_words);
    alert_words = NULL;
    /* a collector installed without the UI's files is a setup, not an error: one warning
     * (a malformed file is one: ww_i18n_load() names it) */
    if (access(vi, R_OK) == 0)
        ret = ww_i18n_load(dir, &alert_words);
    if (ret < 0)
        ww_log(WW_LOG_WARN, "collector: no words for alert texts in '%s': alerts are sent"
                            " with codes instead", dir);
    free(vi);
    free(dir);
    return ret;
}

void coll_alert_words_free(void)
{
    ww_i18n_free(alert_words);
    alert_words = NULL;
}

/* a device string safe for one line of text: valid UTF-8, no control characters, cut */
static char *clean(const char *s)
{
    size_t n;

    if (!s)
        return ww_strdup("?");
    n = strlen(s);
    if (n > NAME_CUT) {
        n = NAME_CUT;
        while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80) /* a UTF-8 boundary */
            n--;
    }
    return ww_utf8_sanitize(s, n);
}

/* "dd/mm/yyyy HH:MM Asia/Ho_Chi_Minh (UTC+07:00)": local time of the process's zone, which
 * is the office zone (ww_office_use_zone() at start), with its name and offset that moment */
static void fmt_time(const struct ww_config *cfg, long long t, char *buf, size_t size)
{
    const char *zone = cfg && cfg->timezone && cfg->timezone[0] ? cfg->timezone : NULL;
    time_t tt = (time_t)t;
    struct tm tm;
    long off;
    int n;

    if (t <= 0 || !localtime_r(&tt, &tm)) {
        ww_strlcpy(buf, "?", size);
        return;
    }
    off = tm.tm_gmtoff;
    n = snprintf(buf, size, "%02d/%02d/%04d %02d:%02d %s (UTC%c%02ld:%02ld)", tm.tm_mday,
                 tm.tm_mon + 1, tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                 zone ? zone : tm.tm_zone, off < 0 ? '-' : '+', labs(off) / 3600,
                 labs(off) % 3600 / 60);
    if (n < 0 || (size_t)n >= size)
        ww_strlcpy(buf, "?", size);
}

/* the words of @key in @lang with its {params}; without a catalogue (or the key) the key and
 * its parameters as "key name=value ...", so that an alert still says all it knows */
static void say(const struct ww_i18n *w, enum ww_lang lang, const char *key,
                const struct ww_param *p, size_t n, struct ww_buf *b)
{
    if (ww_i18n_text(w, lang, key)) {
        ww_i18n_format(w, lang, key, p, n, b);
        return;
    }
    ww_buf_addstr(b, key);
    for (size_t i = 0; i < n; i++)
        ww_buf_addf(b, " %s=%s", p[i].name, p[i].value ? p[i].value : "");
}

/* say() into a heap string */
static char *say_str(const struct ww_i18n *w, enum ww_lang lang, const char *key,
                     const struct ww_param *p, size_t n)
{
    struct ww_buf b;
    char *s;

    ww_buf_init(&b, 4096);
    say(w, lang, key, p, n, &b);
    s = ww_buf_detach(&b);
    ww_buf_release(&b);
    return s ? s : ww_strdup(key);
}

/* the words of "<prefix>.<name>" (an alert kind's name, a notification kind's heading) */
static char *word(const struct ww_i18n *w, enum ww_lang lang, const char *prefix,
                  const char *name)
{
    char key[96];

    snprintf(key, sizeof(key), "%s.%s", prefix, name);
    return say_str(w, lang, key, NULL, 0);
}

/* one line of a body: the words of @key and a line end */
static void say_line(const struct ww_i18n *w, enum ww_lang lang, const char *key,
                     const struct ww_param *p, size_t n, struct ww_buf *b)
{
    say(w, lang, key, p, n, b);
    ww_buf_addstr(b, "\n");
}

/* what an alert text says, cleaned and formatted once for every language */
struct text_facts {
    const char *note;      /* firing, recovery, repeat */
    const char *kind;      /* the rule's kind */
    const char *device, *host, *ifname; /* ifname NULL: about the device */
    const char *value_key, *value; /* alertval.<value> and its {v}; key NULL: no value */
    const char *cond_key, *threshold; /* alcond.<...> and its {v}; key NULL: no threshold */
    const char *rule, *since, *url;   /* url NULL: none */
};

/* the body's part in one language */
static void body_part(const struct ww_i18n *w, enum ww_lang l, const struct text_facts *f,
                      struct ww_buf *b)
{
    char *note = word(w, l, "mail.note", f->note), *kname = word(w, l, "alertkind", f->kind);
    char *value = NULL, *thr = NULL;

    say_line(w, l, "mail.head", (struct ww_param[]){{"note", note}, {"kind", kname}}, 2, b);
    say_line(w, l, "mail.device",
             (struct ww_param[]){{"device", f->device}, {"host", f->host}}, 2, b);
    if (f->ifname)
        say_line(w, l, "mail.interface", (struct ww_param[]){{"interface", f->ifname}}, 1, b);
    if (f->value_key) {
        value = say_str(w, l, f->value_key, (struct ww_param[]){{"v", f->value}}, 1);
        say_line(w, l, "mail.value", (struct ww_param[]){{"value", value}}, 1, b);
    }
    if (f->cond_key) {
        thr = say_str(w, l, f->cond_key, (struct ww_param[]){{"v", f->threshold}}, 1);
        say_line(w, l, "mail.threshold", (struct ww_param[]){{"threshold", thr}}, 1, b);
    }
    say_line(w, l, "mail.rule", (struct ww_param[]){{"rule", f->rule}}, 1, b);
    say_line(w, l, "mail.since", (struct ww_param[]){{"time", f->since}}, 1, b);
    if (f->url)
        say_line(w, l, "mail.details", (struct ww_param[]){{"url", f->url}}, 1, b);
    free(note);
    free(kname);
    free(value);
    free(thr);
}

void coll_alert_text(const struct ww_config *cfg, const struct ww_i18n *words, const char *kind,
                     const struct inv_alert_rule *r, const struct inv_alert_target *t,
                     const struct inv_alert_iface *ifc, double value, long long since,
                     char **out_subject, char **out_body)
{
    const struct inv_alert_kind *k = inv_alert_kind_get(r->kind);
    char *dev = clean(t->name), *host = clean(t->host), *ifname = ifc ? clean(ifc->name) : NULL;
    char *rule = clean(r->name), *who, *note, *kname;
    char val[32], thr[32] = "", cond[32], when[96];
    struct text_facts f = {.note = kind, .kind = r->kind, .device = dev, .host = host,
                           .ifname = ifname, .value = val, .threshold = thr, .rule = rule,
                           .since = when};
    struct ww_buf b;

    f.value_key = inv_alert_value_words(r->kind, value, val, sizeof(val));
    fmt_time(cfg, since, when, sizeof(when));
    if (k && k->needs_threshold && r->has_threshold) {
        snprintf(thr, sizeof(thr), "%g", r->threshold);
        snprintf(cond, sizeof(cond), "alcond.%s_%s",
                 strcmp(k->unit, "minutes") == 0 ? "min" : "pct",
                 strcmp(k->direction, "below") == 0 ? "under" : "over");
        f.cond_key = cond;
    }
    if (cfg && cfg->dashboard_url && cfg->dashboard_url[0])
        f.url = cfg->dashboard_url;
    /* the subject: one line in the product's language */
    who = ifname ? ww_asprintf("%s / %s", dev, ifname) : ww_strdup(dev);
    note = word(words, WW_LANG_VI, "mail.note", kind);
    kname = word(words, WW_LANG_VI, "alertkind", r->kind);
    *out_subject = say_str(words, WW_LANG_VI, "mail.subject",
                           (struct ww_param[]){{"note", note}, {"kind", kname}, {"device", who}},
                           3);
    /* the body: every language, Vietnamese first; the codes only once when there are no
     * words (they would read the same) */
    ww_buf_init(&b, 64 * 1024);
    for (int l = 0; l < (words ? WW_LANG_COUNT : 1); l++) {
        if (l > 0) {
            ww_buf_addstr(&b, "\n");
            say_line(words, (enum ww_lang)l, "mail.lang_header", NULL, 0, &b);
        }
        body_part(words, (enum ww_lang)l, &f, &b);
    }
    *out_body = ww_buf_detach(&b);
    ww_buf_release(&b);
    if (!*out_body)
        *out_body = ww_strdup("");
    free(who);
    free(note);
    free(kname);
    free(dev);
    free(host);
    free(ifname);
    free(rule);
}

/* ---- the training expiry reminder's text ------------------------------------------------- */

/* "YYYY-MM-DD" as "dd/mm/yyyy", as the alert texts write days */
static void fmt_day(const char *day, char out[11])
{
    if (day && strlen(day) == 10)
        snprintf(out, 11, "%.2s/%.2s/%.4s", day + 8, day + 5, day);
    else
        ww_strlcpy(out, "?", 11);
}

/* the reminder of one language: per unit, each skill with how many certificates end on
 * which day; no names. Alert channels are set by whoever holds uptime.edit (it too), and
 * staff records are HR's (Decree 13/2023): the people are on the Training page */
static void reminder_part(const struct ww_i18n *w, enum ww_lang l, const char *day,
                          const struct inv_reminder_item *items, size_t n, const char *url,
                          struct ww_buf *b)
{
    say_line(w, l, "mail.remind_head", (struct ww_param[]){{"day", day}}, 1, b);
    for (size_t i = 0; i < n; i++) {
        const struct inv_reminder_item *x = &items[i];
        size_t count = 0;
        bool seen = false;

        if (i == 0 || items[i - 1].unit_id != x->unit_id) {
            char *unit = clean(x->unit);
            ww_buf_addstr(b, "\n");
            say_line(w, l, "mail.remind_unit", (struct ww_param[]){{"unit", unit}}, 1, b);
            free(unit);
        }
        /* a unit's items are together: one line per skill and day, at its first item */
        for (size_t k = i; k-- > 0 && items[k].unit_id == x->unit_id && !seen;)
            seen = items[k].skill_id == x->skill_id && items[k].days_left == x->days_left;
        if (seen)
            continue;
        for (size_t k = i; k < n && items[k].unit_id == x->unit_id; k++)
            count += items[k].skill_id == x->skill_id && items[k].days_left == x->days_left;
        {
            char *skill = clean(x->skill), until[11], days[16], many[24];
            fmt_day(x->valid_until, until);
            snprintf(days, sizeof(days), "%d", x->days_left);
            snprintf(many, sizeof(many), "%zu", count);
            say_line(w, l, x->days_left ? "mail.remind_line" : "mail.remind_line_last",
                     (struct ww_param[]){{"count", many}, {"skill", skill}, {"date", until},
                                         {"days", days}},
                     4, b);
            free(skill);
        }
    }
    if (url) {
        ww_buf_addstr(b, "\n");
        say_line(w, l, "mail.details", (struct ww_param[]){{"url", url}}, 1, b);
    }
}

void coll_reminder_text(const struct ww_config *cfg, const char *day,
                        const struct inv_reminder_item *items, size_t n, char **out_subject,
                        char **out_body)
{
    const struct ww_i18n *words = alert_words;
    const char *url = cfg && cfg->dashboard_url && cfg->dashboard_url[0] ? cfg->dashboard_url
                                                                         : NULL;
    char shown[11], count[24];
    struct ww_buf b;

    fmt_day(day, shown);
    snprintf(count, sizeof(count), "%zu", n);
    *out_subject = say_str(words, WW_LANG_VI, "mail.remind_subject",
                           (struct ww_param[]){{"day", shown}, {"count", count}}, 2);
    ww_buf_init(&b, 192 * 1024); /* under notify.c MAIL_MAX with the headers */
    for (int l = 0; l < (words ? WW_LANG_COUNT : 1); l++) {
        if (l > 0) {
            ww_buf_addstr(&b, "\n");
            say_line(words, (enum ww_lang)l, "mail.lang_header", NULL, 0, &b);
        }
        reminder_part(words, (enum ww_lang)l, shown, items, n, url, &b);
    }
    *out_body = ww_buf_detach(&b);
    ww_buf_release(&b);
    if (!*out_body)
        *out_body = ww_strdup("");
}

/* ---- the state machine ------------------------------------------------------------------ */

struct eval {
    struct ww_db *db;
    const struct ww_config *cfg;
    const struct ww_i18n *words; /* NULL: the texts carry codes */
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

    coll_alert_text(ev->cfg, ev->words, kind, r, t, ifc, value, since, &subject, &body);
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

static int step(struct eval *ev, const struct inv_alert_rule *r,
                const struct inv_alert_target *t, const struct inv_alert_iface *ifc,
                bool in_maint)
{
    const struct inv_alert_kind *k = inv_alert_kind_get(r->kind);
    struct inv_alert a;
    char subject[32], v[32];
    const char *msg; /* the value's words as a code: the UI and the API render it */
    double value = NAN;
    enum coll_cond c = coll_alert_condition(r, t, ifc, ev->now, ev->fresh_s, &value);
    bool has_value = isfinite(value);
    long long start;
    int ret;

    /* one alert per device, interface ("if:ID") or the kind's disk/supply */
    if (ifc)
        snprintf(subject, sizeof(subject), "if:%lld", ifc->id);
    else
        ww_strlcpy(subject, !k || strcmp(k->subject, "device") == 0 ? "" : k->subject,
                   sizeof(subject));
    ret = inv_alert_open_get(ev->db, r->id, t->id, subject, &a);
    if (ret < 0 && ret != -ENOENT)
        return ret;
    if (c == COLL_COND_UNKNOWN || (ret == -ENOENT && c == COLL_COND_FALSE)) {
        ret = 0;
        goto out;
    }
    msg = inv_alert_value_words(r->kind, value, v, sizeof(v));
    if (ret == -ENOENT) {
        /* a new alert: pending since the state changed, when the collector knows it (the
         * kinds whose value is how long something has been down) */
        start = ev->now;
        if (k && strcmp(k->value, "down_for") == 0) {
            long long since = ifc ? ifc->oper_since : t->since;
            if (since > 0 && since <= ev->now)
                start = since;
        }
        a.rule_id = r->id;
        a.device_id = t->id;
        a.interface_id = ifc ? ifc->id : 0;
        a.subject = ww_strdup(subject);
        a.state = ww_strdup("pending");
        a.pending_since = start;
        a.has_value = has_value;
        a.value = has_value ? value : 0;
        a.message = msg ? ww_strdup(msg) : NULL;
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
    else if (r->repeat_s > 0 && ev->now - a.last_notified_at >= r->repeat_s) {
        /* someone has acknowledged the outage this alert is about: no more repeats */
        bool acked = false;
        if (k && strcmp(k->value, "down_for") == 0 &&
            (ret = inv_outage_acked_open(ev->db, t->id, ifc ? ifc->id : 0, &acked)) < 0)
            goto out;
        if (!acked)
            ret = announce(ev, "repeat", a.id, r, t, ifc, value, a.pending_since);
    }
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
    const struct inv_alert_kind *k = inv_alert_kind_get(r->kind);
    return k && strcmp(k->subject, "interface") == 0;
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
    struct eval ev = {.db = db, .cfg = cfg, .words = alert_words, .now = (long long)now};
    struct inv_alert_rule *rules = NULL;
    struct inv_alert_target *targets = NULL;
    size_t n_rules = 0, n_targets = 0;
    long long stale = 0;
    struct ww_config eff;
    bool have_eff = false;
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
    if (cfg) { /* the dashboard's address as the Settings page set it (inv_settings_overlay) */
        ww_config_copy(cfg, &eff);
        have_eff = true;
        if (inv_settings_overlay(db, &eff, NULL) < 0)
            ww_log(WW_LOG_WARN, "alert: the settings cannot be read: the file's values are used");
        ev.cfg = &eff;
    }
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
    if (have_eff)
        ww_config_release(&eff);
    if (ret < 0)
        return -EIO;
    if (ev.queued > 0)
        coll_notify_wake();
    return ev.queued;
}

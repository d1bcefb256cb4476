/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * score.c - the replacement priority score (issue 16 item 6): a sum of terms, each a code
 * with its parameters and its points, so that a page can say why a machine comes first
 * ("7,5 năm tuổi, tuổi thọ 5: +30"). The weights and the plan's thresholds are settings
 * (the setting table's plan.* rows, inv_plan_knobs[]), changed by a manager through one
 * audited change. inv_score_eval() is pure: no database, any thread.
 */
#include "inventory/inventory_int.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

const struct inv_plan_knob_def inv_plan_knobs[INV_PK_N] = {
    [INV_PK_W_AGE] = {"plan.weight.age", "weight_age", 20, 0, 100},
    [INV_PK_W_WIN11] = {"plan.weight.win11", "weight_win11", 25, 0, 100},
    [INV_PK_W_OS] = {"plan.weight.os", "weight_os", 15, 0, 100},
    [INV_PK_W_CPU] = {"plan.weight.cpu", "weight_cpu", 15, 0, 100},
    [INV_PK_W_MEM] = {"plan.weight.mem", "weight_mem", 15, 0, 100},
    [INV_PK_W_DISK] = {"plan.weight.disk", "weight_disk", 20, 0, 100},
    [INV_PK_W_REBOOT] = {"plan.weight.reboot", "weight_reboot", 2, 0, 100},
    [INV_PK_W_DOWN] = {"plan.weight.down", "weight_down", 20, 0, 100},
    [INV_PK_W_REPAIR] = {"plan.weight.repair", "weight_repair", 20, 0, 100},
    [INV_PK_W_CRIT] = {"plan.weight.crit", "weight_crit", 10, 0, 100},
    [INV_PK_MIN_SCORE] = {"plan.min_score", "min_score", 60, 1, 1000},
    [INV_PK_UPGRADE_MONTHS] = {"plan.upgrade_months", "upgrade_months", 24, 0, 600},
    [INV_PK_LINK_P95] = {"plan.link_p95", "link_p95", 80, 1, 100},
    [INV_PK_HORIZON] = {"plan.horizon", "horizon", 5, 1, 20},
};

void inv_plan_settings_default(struct inv_plan_settings *out)
{
    for (size_t i = 0; i < INV_PK_N; i++)
        out->v[i] = inv_plan_knobs[i].def;
}

/* @text as a knob's value: a whole number within its bounds */
static bool knob_value(const struct inv_plan_knob_def *k, const char *text, long long *out)
{
    char *end = NULL;
    long long v;

    if (!text || !*text)
        return false;
    errno = 0;
    v = strtoll(text, &end, 10);
    if (errno || *end || v < k->min || v > k->max)
        return false;
    *out = v;
    return true;
}

static const struct inv_plan_knob_def *knob_find(const char *name_or_key)
{
    for (size_t i = 0; name_or_key && i < INV_PK_N; i++)
        if (strcmp(inv_plan_knobs[i].name, name_or_key) == 0 ||
            strcmp(inv_plan_knobs[i].key, name_or_key) == 0)
            return &inv_plan_knobs[i];
    return NULL;
}

int inv_plan_settings_load(struct ww_db *db, struct inv_plan_settings *out)
{
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT key, value FROM setting WHERE key >= 'plan.'"
                                         " AND key < 'plan/'");
    int rc;

    inv_plan_settings_default(out);
    if (!st)
        return -EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const struct inv_plan_knob_def *k = knob_find((const char *)sqlite3_column_text(st, 0));
        long long v;
        /* a row an older version wrote, or one out of bounds: the default stays */
        if (k && knob_value(k, (const char *)sqlite3_column_text(st, 1), &v))
            out->v[k - inv_plan_knobs] = v;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : ww_error(-EIO, "inventory: plan settings: read failed");
}

int inv_apply_plan_settings(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    const struct inv_plan_settings_edit *e = ctx;
    int ret;

    for (size_t i = 0; i < e->n; i++) {
        const struct inv_plan_knob_def *k = knob_find(e->names[i]);
        long long v;
        if (!k || strcmp(k->name, e->names[i]) != 0)
            return inv_refuse(-EINVAL, "record", "unknown_field", "%s", e->names[i]);
        if (e->values[i] && !knob_value(k, e->values[i], &v))
            return inv_refuse(-EINVAL, k->name, "out_of_range", "%lld..%lld", k->min, k->max);
    }
    for (size_t i = 0; i < e->n; i++) {
        const struct inv_plan_knob_def *k = knob_find(e->names[i]);
        ret = e->values[i] ? inv_setting_set(db, k->key, e->values[i])
                           : inv_setting_remove(db, k->key);
        if (ret < 0)
            return ret;
    }
    return 0;
}

int inv_plan_settings_snapshot(struct ww_db *db, const char *key, char **out_json)
{
    struct inv_plan_settings s;
    struct ww_buf b;
    int ret = inv_plan_settings_load(db, &s);

    *out_json = NULL;
    if (ret < 0)
        return ret;
    ww_buf_init(&b, 4096);
    ww_buf_addstr(&b, "{");
    for (size_t i = 0; i < INV_PK_N; i++)
        ww_buf_addf(&b, "%s\"%s\":%lld", i ? "," : "", inv_plan_knobs[i].name, s.v[i]);
    ww_buf_addstr(&b, "}");
    *out_json = ww_buf_detach(&b);
    return 0;
}

/* w * num / den rounded half up, for non-negative figures; 0 when den is not positive */
static long long share(long long w, long long num, long long den)
{
    __int128 x;

    if (den <= 0 || num <= 0 || w <= 0)
        return 0;
    x = ((__int128)w * num * 2 + den) / ((__int128)den * 2);
    return x > LLONG_MAX ? LLONG_MAX : (long long)x;
}

static void term(struct inv_score *out, const char *code, long long p0, long long p1,
                 long long points)
{
    if (points <= 0 || out->n >= INV_SCORE_TERMS_MAX)
        return;
    out->t[out->n++] = (struct inv_score_term){code, p0, p1, points};
    out->total += points;
}

void inv_score_eval(const struct inv_plan_settings *s, const struct inv_score_input *in,
                    struct inv_score *out)
{
    const long long *w = s->v;
    const struct inv_health *h = in->health;
    long long pts;

    memset(out, 0, sizeof(*out));
    if (in->age_months >= 0 && in->lifespan_years > 0) {
        pts = share(w[INV_PK_W_AGE], in->age_months, in->lifespan_years * 12);
        if (pts > 2 * w[INV_PK_W_AGE])
            pts = 2 * w[INV_PK_W_AGE];
        term(out, "age", in->age_months, in->lifespan_years, pts);
    }
    if (in->win11 && strcmp(in->win11, "not_ready") == 0)
        term(out, "win11", 0, 0, w[INV_PK_W_WIN11]);
    if (in->os_support && strcmp(in->os_support, "ended") == 0)
        term(out, "os_ended", 0, 0, w[INV_PK_W_OS]);
    if (h) {
        term(out, "cpu_high", h->cpu_high_days, h->cpu_days,
             share(w[INV_PK_W_CPU], h->cpu_high_days, h->cpu_days));
        term(out, "mem_pressure", h->mem_high_days, h->mem_days,
             share(w[INV_PK_W_MEM], h->mem_high_days, h->mem_days));
        term(out, "disk_full", h->disk_full_days, h->disk_days,
             share(w[INV_PK_W_DISK], h->disk_full_days, h->disk_days));
        term(out, "reboots", h->reboots, 0,
             w[INV_PK_W_REBOOT] * (h->reboots > 5 ? 5 : h->reboots));
        term(out, "downtime", h->office_down_s, h->office_s,
             share(w[INV_PK_W_DOWN], h->office_down_s, h->office_s));
    }
    if (in->price_vnd > 0 && in->repair_vnd > 0)
        term(out, "repair", in->repair_vnd, in->price_vnd,
             share(w[INV_PK_W_REPAIR],
                   in->repair_vnd < in->price_vnd ? in->repair_vnd : in->price_vnd,
                   in->price_vnd));
    if (in->criticality && strcmp(in->criticality, "one_stop_counter") == 0)
        term(out, "critical", 1, 0, w[INV_PK_W_CRIT]);
    else if (in->criticality && strcmp(in->criticality, "network_core") == 0)
        term(out, "critical", 2, 0, 2 * w[INV_PK_W_CRIT]);
}

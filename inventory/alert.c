/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * alert.c - alert rules and channels (with validation of everything people type), alerts
 * and their state transitions, the notification queue with its retry back-off, and the
 * read-only views of devices and interfaces the evaluator judges.
 *
 * A channel's secret (webhook bearer token) goes in and never comes out, except to the
 * delivery thread through inv_notification_claim(). Snapshots show it as "set"/"unset".
 */
#include "inventory/inventory_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

/* the one list of rule kinds; each kind's condition is evaluated by the collector
 * (collector/alert.c), what exists and what its threshold means is said here */
const struct inv_alert_kind inv_alert_kinds[] = {
    {"device_down", "device", "down_for", false, NULL, NULL, 0, 0},
    {"interface_down", "interface", "down_for", false, NULL, NULL, 0, 0},
    {"link_util", "interface", "percent", true, "percent", "above", 0, 100},
    {"disk", "disk", "percent", true, "percent", "above", 0, 100},
    {"cpu", "device", "percent", true, "percent", "above", 0, 100},
    {"ups_battery", "device", "runtime_left", false, NULL, NULL, 0, 0},
    {"ups_runtime", "device", "runtime_left", true, "minutes", "below", 0, 1000000},
    {"printer_supply", "supply", "percent", true, "percent", "below", 0, 100},
};
const size_t inv_alert_nkinds = WW_ARRAY_SIZE(inv_alert_kinds);

const struct inv_alert_kind *inv_alert_kind_get(const char *name)
{
    for (size_t i = 0; name && i < inv_alert_nkinds; i++)
        if (strcmp(name, inv_alert_kinds[i].name) == 0)
            return &inv_alert_kinds[i];
    return NULL;
}

const char *inv_alert_value_words(const char *kind, double v, char *out_v, size_t size)
{
    const struct inv_alert_kind *k = inv_alert_kind_get(kind);

    if (size)
        out_v[0] = '\0';
    if (!k || !isfinite(v))
        return NULL;
    if (strcmp(k->value, "down_for") == 0) { /* seconds, in whole minutes passed */
        snprintf(out_v, size, "%.0f", floor(v / 60));
        return "alertval.down_for";
    }
    if (strcmp(k->value, "runtime_left") == 0) {
        snprintf(out_v, size, "%.0f", v);
        return "alertval.runtime_left";
    }
    snprintf(out_v, size, "%.1f", v);
    return "alertval.percent";
}

/* one statement with up to three integer parameters; -ENOENT when it changed no row.
 * @sql is a string literal: the statement is cached by its address (ww_db_stmt) */
static int exec_ids(struct ww_db *db, const char *sql, long long a, long long b, long long c,
                    const char *field)
{
    sqlite3_stmt *st = ww_db_stmt(db, sql);
    int ret;
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, a);
    if (sqlite3_bind_parameter_count(st) >= 2)
        sqlite3_bind_int64(st, 2, b);
    if (sqlite3_bind_parameter_count(st) >= 3)
        sqlite3_bind_int64(st, 3, c);
    ret = inv_step(db, st, field);
    ret = inv_changed(db, ret);
    sqlite3_reset(st);
    return ret;
}


static void *grow(void *items, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return items;
    *cap = *cap ? *cap * 2 : 16;
    return ww_reallocarray(items, *cap, size);
}

/* ---- rules ------------------------------------------------------------------------------ */

void inv_alert_rule_init(struct inv_alert_rule *r)
{
    memset(r, 0, sizeof(*r));
    r->notify_recovery = true;
    r->enabled = true;
}

void inv_alert_rule_release(struct inv_alert_rule *r)
{
    free(r->name);
    free(r->kind);
    free(r->device_kind);
    r->name = r->kind = r->device_kind = NULL;
}

static int rule_validate(struct ww_db *db, const struct inv_alert_rule *r)
{
    const struct inv_alert_kind *k;
    long long n;
    int ret = inv_check_text("name", r->name, INV_NAME_MAX, true);

    if (ret < 0)
        return ret;
    if (!(k = inv_alert_kind_get(r->kind)))
        return inv_refuse(-EINVAL, "kind", "not_one_of", NULL);
    if (r->device_kind && !inv_device_kind_valid(r->device_kind))
        return inv_refuse(-EINVAL, "device_kind", "not_one_of", NULL);
    if (k->needs_threshold && !r->has_threshold)
        return inv_refuse(-EINVAL, "threshold", "threshold_needed", "%s", r->kind);
    /* a kind without a threshold ignores one given; it must still be a sane number */
    if (r->has_threshold && (!isfinite(r->threshold) || r->threshold < k->min ||
                             r->threshold > (k->needs_threshold ? k->max : 1e6)))
        return inv_refuse(-EINVAL, "threshold", "out_of_range", "%g-%g", k->min,
                          k->needs_threshold ? k->max : 1e6);
    if (r->for_s < 0 || r->for_s > 30LL * 86400)
        return inv_refuse(-EINVAL, "for_s", "out_of_range", "0-2592000");
    if (r->repeat_s < 0 || r->repeat_s > 30LL * 86400 || (r->repeat_s > 0 && r->repeat_s < 60))
        return inv_refuse(-EINVAL, "repeat_s", "out_of_range", "0, 60-2592000");
    if (r->n_channels > INV_ALERT_CHANNELS_MAX)
        return inv_refuse(-EINVAL, "channel_ids", "too_many", "%d", INV_ALERT_CHANNELS_MAX);
    if (r->device_id && (ret = inv_device_exists(db, r->device_id)) < 0)
        return ret == -ENOENT ? inv_refuse(-EINVAL, "device_id", "no_such", "%lld", r->device_id)
                              : ret;
    for (size_t i = 0; i < r->n_channels; i++) {
        ret = inv_int_row(db, "SELECT 1 FROM alert_channel WHERE id=?1", r->channel_ids[i], &n);
        if (ret == -ENOENT)
            return inv_refuse(-EINVAL, "channel_ids", "no_such", "%lld", r->channel_ids[i]);
        if (ret < 0)
            return ret;
    }
    return 0;
}

static int rule_set_channels(struct ww_db *db, const struct inv_alert_rule *r, long long id)
{
    sqlite3_stmt *st;
    int ret = exec_ids(db, "DELETE FROM alert_rule_channel WHERE rule_id=?1", id, 0, 0,
                       "rule channels");

    if (ret < 0 && ret != -ENOENT)
        return ret;
    st = ww_db_prepare(db, "INSERT OR IGNORE INTO alert_rule_channel (rule_id, channel_id)"
                           " VALUES (?1, ?2)");
    if (!st)
        return -EIO;
    ret = 0;
    for (size_t i = 0; i < r->n_channels && ret == 0; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, r->channel_ids[i]);
        ret = inv_step(db, st, "channel_ids");
    }
    sqlite3_finalize(st);
    return ret;
}

static void rule_bind(sqlite3_stmt *st, const struct inv_alert_rule *r)
{
    sqlite3_bind_text(st, 1, r->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, r->kind, -1, SQLITE_TRANSIENT);
    inv_bind_id(st, 3, r->device_id);
    inv_bind_text(st, 4, r->device_kind);
    if (r->has_threshold)
        sqlite3_bind_double(st, 5, r->threshold);
    else
        sqlite3_bind_null(st, 5);
    sqlite3_bind_int64(st, 6, r->for_s);
    sqlite3_bind_int64(st, 7, r->repeat_s);
    sqlite3_bind_int(st, 8, r->notify_recovery);
    sqlite3_bind_int(st, 9, r->enabled);
}

int inv_alert_rule_add(struct ww_db *db, const struct inv_alert_rule *r, long long *out_id)
{
    sqlite3_stmt *st = NULL;
    long long id;
    int ret;

    if ((ret = ww_db_savepoint(db)) < 0)
        return ret;
    if ((ret = rule_validate(db, r)) < 0)
        goto out;
    st = ww_db_prepare(db, "INSERT INTO alert_rule (name, kind, device_id, device_kind,"
                           " threshold, for_s, repeat_s, notify_recovery, enabled)"
                           " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)");
    if (!st) {
        ret = -EIO;
        goto out;
    }
    rule_bind(st, r);
    if ((ret = inv_step(db, st, "name")) < 0)
        goto out;
    id = sqlite3_last_insert_rowid(db->sql);
    if ((ret = rule_set_channels(db, r, id)) < 0)
        goto out;
    if (out_id)
        *out_id = id;
    ret = ww_db_release(db);
out:
    sqlite3_finalize(st);
    if (ret < 0)
        ww_db_undo(db);
    return ret;
}

int inv_alert_rule_update(struct ww_db *db, const struct inv_alert_rule *r)
{
    sqlite3_stmt *st = NULL;
    int ret;

    if ((ret = ww_db_savepoint(db)) < 0)
        return ret;
    if ((ret = rule_validate(db, r)) < 0)
        goto out;
    st = ww_db_prepare(db, "UPDATE alert_rule SET name=?1, kind=?2, device_id=?3,"
                           " device_kind=?4, threshold=?5, for_s=?6, repeat_s=?7,"
                           " notify_recovery=?8, enabled=?9 WHERE id=?10");
    if (!st) {
        ret = -EIO;
        goto out;
    }
    rule_bind(st, r);
    sqlite3_bind_int64(st, 10, r->id);
    if ((ret = inv_step(db, st, "name")) < 0)
        goto out;
    if ((ret = inv_changed(db, ret)) < 0)
        goto out;
    if ((ret = rule_set_channels(db, r, r->id)) < 0)
        goto out;
    ret = ww_db_release(db);
out:
    sqlite3_finalize(st);
    if (ret < 0)
        ww_db_undo(db);
    return ret;
}

int inv_alert_rule_remove(struct ww_db *db, long long id)
{
    return exec_ids(db, "DELETE FROM alert_rule WHERE id=?1", id, 0, 0, "remove alert rule");
}

#define RULE_COLS                                                                              \
    "SELECT id, name, kind, coalesce(device_id, 0), device_kind, threshold, for_s, repeat_s,"  \
    " notify_recovery, enabled FROM alert_rule"

static int rule_channels_load(struct ww_db *db, struct inv_alert_rule *r)
{
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT channel_id FROM alert_rule_channel"
                                         " WHERE rule_id=?1 ORDER BY channel_id");
    int rc;
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, r->id);
    r->n_channels = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && r->n_channels < INV_ALERT_CHANNELS_MAX)
        r->channel_ids[r->n_channels++] = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -EIO;
}

static void rule_from_row(sqlite3_stmt *st, struct inv_alert_rule *r)
{
    inv_alert_rule_init(r);
    r->id = sqlite3_column_int64(st, 0);
    r->name = ww_db_text(st, 1);
    r->kind = ww_db_text(st, 2);
    r->device_id = sqlite3_column_int64(st, 3);
    r->device_kind = ww_db_text(st, 4);
    r->has_threshold = sqlite3_column_type(st, 5) != SQLITE_NULL;
    r->threshold = r->has_threshold ? sqlite3_column_double(st, 5) : 0;
    r->for_s = sqlite3_column_int64(st, 6);
    r->repeat_s = sqlite3_column_int64(st, 7);
    r->notify_recovery = sqlite3_column_int(st, 8) != 0;
    r->enabled = sqlite3_column_int(st, 9) != 0;
}

int inv_alert_rule_get(struct ww_db *db, long long id, struct inv_alert_rule *out_rule)
{
    sqlite3_stmt *st = ww_db_prepare(db, RULE_COLS " WHERE id=?1");
    int rc, ret;

    inv_alert_rule_init(out_rule);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        rule_from_row(st, out_rule);
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return -ENOENT;
    if (rc != SQLITE_ROW)
        return -EIO;
    ret = rule_channels_load(db, out_rule);
    if (ret < 0)
        inv_alert_rule_release(out_rule);
    return ret;
}

int inv_alert_rule_list(struct ww_db *db, bool enabled_only, struct inv_alert_rule **out_items,
                        size_t *out_n)
{
    /* cached: the collector lists the rules after every batch of results */
    sqlite3_stmt *st = ww_db_stmt(db, RULE_COLS " WHERE ?1 = 0 OR enabled ORDER BY id");
    struct inv_alert_rule *items = NULL;
    size_t n = 0, cap = 0;
    int rc, ret = 0;

    *out_items = NULL;
    *out_n = 0;
    if (!st)
        return -EIO;
    sqlite3_bind_int(st, 1, enabled_only);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        items = grow(items, n, &cap, sizeof(*items));
        rule_from_row(st, &items[n++]);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        ret = ww_error(-EIO, "inventory: list alert rules failed");
    for (size_t i = 0; i < n && ret == 0; i++)
        ret = rule_channels_load(db, &items[i]);
    if (ret < 0) {
        inv_alert_rule_list_free(items, n);
        return ret;
    }
    *out_items = items;
    *out_n = n;
    return 0;
}

void inv_alert_rule_list_free(struct inv_alert_rule *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        inv_alert_rule_release(&items[i]);
    free(items);
}

int inv_alert_rule_snapshot(struct ww_db *db, long long id, char **out_json)
{
    return inv_json_row(db,
                    "SELECT json_object('id', id, 'name', name, 'kind', kind, 'device_id',"
                    " device_id, 'device_kind', device_kind, 'threshold', threshold, 'for_s',"
                    " for_s, 'repeat_s', repeat_s,"
                    " 'notify_recovery', json(CASE WHEN notify_recovery THEN 'true' ELSE"
                    " 'false' END),"
                    " 'enabled', json(CASE WHEN enabled THEN 'true' ELSE 'false' END),"
                    " 'channel_ids', (SELECT json_group_array(channel_id) FROM (SELECT"
                    " channel_id FROM alert_rule_channel WHERE rule_id=r.id ORDER BY"
                    " channel_id)))"
                    " FROM alert_rule r WHERE id=?1",
                    id, out_json);
}

/* ---- channels --------------------------------------------------------------------------- */

void inv_alert_channel_init(struct inv_alert_channel *c)
{
    memset(c, 0, sizeof(*c));
    c->enabled = true;
}

void inv_alert_channel_release(struct inv_alert_channel *c)
{
    free(c->name);
    free(c->kind);
    free(c->target);
    if (c->secret) /* a secret: leave no copy in freed memory */
        memset(c->secret, 0, strlen(c->secret));
    free(c->secret);
    c->name = c->kind = c->target = c->secret = NULL;
}

static bool addr_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           strchr(".!#$%&'*+/=?^_`{|}~-", c) != NULL;
}

/* one address local@domain: printable ASCII of the safe set, exactly one '@' */
static bool address_ok(const char *s, size_t n)
{
    const char *at = memchr(s, '@', n);
    size_t local = at ? (size_t)(at - s) : 0;

    if (!at || local == 0 || local > 64 || n - local - 1 == 0 || n > 254)
        return false;
    for (size_t i = 0; i < n; i++)
        if (i != local && !addr_char(s[i]))
            return false;
    return memchr(at + 1, '@', n - local - 1) == NULL && at[1] != '.' && s[n - 1] != '.';
}

static int check_email_target(const char *t)
{
    size_t count = 0;
    const char *p = t;

    while (*p) {
        const char *e = strchr(p, ',');
        size_t n;
        while (*p == ' ')
            p++;
        e = e ? e : p + strlen(p);
        n = (size_t)(e - p);
        while (n && p[n - 1] == ' ')
            n--;
        if (!address_ok(p, n))
            return inv_refuse(-EINVAL, "target", "not_email", "%.*s", (int)(n > 60 ? 60 : n), p);
        count++;
        p = *e ? e + 1 : e;
    }
    if (count == 0 || count > 50)
        return inv_refuse(-EINVAL, "target", count ? "too_many" : "required", "50");
    return 0;
}

int inv_check_url(const char *field, const char *t)
{
    const char *rest, *end;

    if (strncmp(t, "http://", 7) == 0)
        rest = t + 7;
    else if (strncmp(t, "https://", 8) == 0)
        rest = t + 8;
    else
        return inv_refuse(-EINVAL, field, "not_url", NULL);
    for (const char *p = t; *p; p++)
        if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
            return inv_refuse(-EINVAL, field, "not_url", NULL);
    end = rest + strcspn(rest, "/?#");
    if (end == rest)
        return inv_refuse(-EINVAL, field, "not_url", NULL);
    if (memchr(rest, '@', (size_t)(end - rest)))
        return inv_refuse(-EINVAL, field, "url_credentials", NULL);
    return 0;
}

static int channel_validate(const struct inv_alert_channel *c)
{
    int ret = inv_check_text("name", c->name, INV_NAME_MAX, true);

    if (ret < 0)
        return ret;
    if (!c->kind || (strcmp(c->kind, "email") != 0 && strcmp(c->kind, "webhook") != 0))
        return inv_refuse(-EINVAL, "kind", "not_one_of", "email, webhook");
    if (!c->target || !*c->target || strlen(c->target) > INV_ALERT_TARGET_MAX)
        return inv_refuse(-EINVAL, "target", c->target && *c->target ? "too_long" : "required",
                          "%d", INV_ALERT_TARGET_MAX);
    ret = strcmp(c->kind, "email") == 0 ? check_email_target(c->target)
                                        : inv_check_url("target", c->target);
    if (ret < 0)
        return ret;
    if (c->secret) {
        size_t n = strlen(c->secret);
        if (strcmp(c->kind, "webhook") != 0)
            return inv_refuse(-EINVAL, "secret", "not_allowed", NULL);
        if (n == 0 || n > 512)
            return inv_refuse(-EINVAL, "secret", n ? "too_long" : "required", "512");
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)c->secret[i] <= 0x20 || (unsigned char)c->secret[i] >= 0x7f)
                return inv_refuse(-EINVAL, "secret", "not_printable", "1-512");
    }
    return 0;
}

int inv_alert_channel_add(struct ww_db *db, const struct inv_alert_channel *c,
                          long long *out_id)
{
    sqlite3_stmt *st;
    int ret = channel_validate(c);

    if (ret < 0)
        return ret;
    st = ww_db_prepare(db, "INSERT INTO alert_channel (name, kind, target, secret, enabled)"
                           " VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st)
        return -EIO;
    sqlite3_bind_text(st, 1, c->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, c->kind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, c->target, -1, SQLITE_TRANSIENT);
    inv_bind_text(st, 4, c->secret);
    sqlite3_bind_int(st, 5, c->enabled);
    ret = inv_step(db, st, "name") /* names are unique */;
    if (ret == 0 && out_id)
        *out_id = sqlite3_last_insert_rowid(db->sql);
    sqlite3_finalize(st);
    return ret;
}

int inv_alert_channel_update(struct ww_db *db, const struct inv_alert_channel *c)
{
    sqlite3_stmt *st;
    int ret = channel_validate(c);

    if (ret < 0)
        return ret;
    /* A kept token must not follow the webhook to a new URL: whoever may edit channels could
     * point one at a server of their own and read the write-only secret off the next message.
     * A new target therefore needs the token again (or null to drop it). */
    if (strcmp(c->kind, "webhook") == 0 && !c->secret && !c->clear_secret) {
        int rc;
        st = ww_db_prepare(db, "SELECT 1 FROM alert_channel WHERE id=?1 AND secret IS NOT NULL"
                               " AND kind='webhook' AND target IS NOT ?2");
        if (!st)
            return -EIO;
        sqlite3_bind_int64(st, 1, c->id);
        sqlite3_bind_text(st, 2, c->target, -1, SQLITE_TRANSIENT);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return ww_error(-EIO, "inventory: update alert channel failed");
        if (rc == SQLITE_ROW)
            return inv_refuse(-EINVAL, "secret", "give_again", NULL);
    }
    /* an e-mail channel never keeps a token; a webhook keeps it unless told otherwise */
    st = ww_db_prepare(db, "UPDATE alert_channel SET name=?1, kind=?2, target=?3,"
                           " secret=CASE WHEN ?2 <> 'webhook' OR ?6 THEN ?4"
                           " ELSE coalesce(?4, secret) END, enabled=?5 WHERE id=?7");
    if (!st)
        return -EIO;
    sqlite3_bind_text(st, 1, c->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, c->kind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, c->target, -1, SQLITE_TRANSIENT);
    inv_bind_text(st, 4, c->secret);
    sqlite3_bind_int(st, 5, c->enabled);
    sqlite3_bind_int(st, 6, c->clear_secret);
    sqlite3_bind_int64(st, 7, c->id);
    ret = inv_step(db, st, "name");
    if (ret == 0 && sqlite3_changes(db->sql) == 0)
        ret = -ENOENT;
    sqlite3_finalize(st);
    return ret;
}

int inv_alert_channel_remove(struct ww_db *db, long long id)
{
    return exec_ids(db, "DELETE FROM alert_channel WHERE id=?1", id, 0, 0,
                    "remove alert channel");
}

#define CHANNEL_COLS                                                                           \
    "SELECT id, name, kind, target, secret IS NOT NULL, enabled FROM alert_channel"

static void channel_from_row(sqlite3_stmt *st, struct inv_alert_channel *c)
{
    inv_alert_channel_init(c);
    c->id = sqlite3_column_int64(st, 0);
    c->name = ww_db_text(st, 1);
    c->kind = ww_db_text(st, 2);
    c->target = ww_db_text(st, 3);
    c->secret_set = sqlite3_column_int(st, 4) != 0;
    c->enabled = sqlite3_column_int(st, 5) != 0;
}

int inv_alert_channel_get(struct ww_db *db, long long id, struct inv_alert_channel *out)
{
    sqlite3_stmt *st = ww_db_prepare(db, CHANNEL_COLS " WHERE id=?1");
    int rc;

    inv_alert_channel_init(out);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        channel_from_row(st, out);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : -EIO;
}

int inv_alert_channel_list(struct ww_db *db, struct inv_alert_channel **out_items,
                           size_t *out_n)
{
    sqlite3_stmt *st = ww_db_prepare(db, CHANNEL_COLS " ORDER BY name, id");
    struct inv_alert_channel *items = NULL;
    size_t n = 0, cap = 0;
    int rc;

    *out_items = NULL;
    *out_n = 0;
    if (!st)
        return -EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        items = grow(items, n, &cap, sizeof(*items));
        channel_from_row(st, &items[n++]);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        inv_alert_channel_list_free(items, n);
        return ww_error(-EIO, "inventory: list alert channels failed");
    }
    *out_items = items;
    *out_n = n;
    return 0;
}

void inv_alert_channel_list_free(struct inv_alert_channel *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        inv_alert_channel_release(&items[i]);
    free(items);
}

int inv_alert_channel_snapshot(struct ww_db *db, long long id, char **out_json)
{
    return inv_json_row(db,
                    "SELECT json_object('id', id, 'name', name, 'kind', kind, 'target', target,"
                    " 'secret', CASE WHEN secret IS NULL THEN 'unset' ELSE 'set' END,"
                    " 'enabled', json(CASE WHEN enabled THEN 'true' ELSE 'false' END))"
                    " FROM alert_channel WHERE id=?1",
                    id, out_json);
}

/* ---- alerts ----------------------------------------------------------------------------- */

void inv_alert_release(struct inv_alert *a)
{
    free(a->rule_name);
    free(a->kind);
    free(a->device_name);
    free(a->interface_name);
    free(a->subject);
    free(a->state);
    free(a->message);
    memset(a, 0, sizeof(*a));
}

#define ALERT_COLS                                                                             \
    "SELECT a.id, a.rule_id, a.device_id, coalesce(a.interface_id, 0), r.name, r.kind,"       \
    " d.name, coalesce(i.name, i.descr, i.if_key), a.subject, a.state, a.pending_since,"      \
    " a.fired_at, a.resolved_at, a.last_notified_at, a.value, a.message FROM alert a"         \
    " JOIN alert_rule r ON r.id = a.rule_id JOIN device d ON d.id = a.device_id"              \
    " LEFT JOIN interface i ON i.id = a.interface_id"

static void alert_from_row(sqlite3_stmt *st, struct inv_alert *a)
{
    memset(a, 0, sizeof(*a));
    a->id = sqlite3_column_int64(st, 0);
    a->rule_id = sqlite3_column_int64(st, 1);
    a->device_id = sqlite3_column_int64(st, 2);
    a->interface_id = sqlite3_column_int64(st, 3);
    a->rule_name = ww_db_text(st, 4);
    a->kind = ww_db_text(st, 5);
    a->device_name = ww_db_text(st, 6);
    a->interface_name = ww_db_text(st, 7);
    a->subject = ww_db_text(st, 8);
    a->state = ww_db_text(st, 9);
    a->pending_since = inv_col_time(st, 10);
    a->fired_at = inv_col_time(st, 11);
    a->resolved_at = inv_col_time(st, 12);
    a->last_notified_at = inv_col_time(st, 13);
    a->has_value = sqlite3_column_type(st, 14) != SQLITE_NULL;
    a->value = a->has_value ? sqlite3_column_double(st, 14) : 0;
    a->message = ww_db_text(st, 15);
}

int inv_alert_open_get(struct ww_db *db, long long rule_id, long long device_id,
                       const char *subject, struct inv_alert *out_alert)
{
    sqlite3_stmt *st = ww_db_prepare(db, ALERT_COLS " WHERE a.rule_id=?1 AND a.device_id=?2"
                                                    " AND a.subject=?3 AND a.state<>'resolved'");
    int rc;

    memset(out_alert, 0, sizeof(*out_alert));
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, rule_id);
    sqlite3_bind_int64(st, 2, device_id);
    sqlite3_bind_text(st, 3, subject, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        alert_from_row(st, out_alert);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : -EIO;
}

int inv_alert_open(struct ww_db *db, const struct inv_alert *a, long long *out_id)
{
    sqlite3_stmt *st = ww_db_prepare(db, "INSERT INTO alert (rule_id, device_id, interface_id,"
                                         " subject, state, pending_since, value, message)"
                                         " VALUES (?1, ?2, ?3, ?4, 'pending', ?5, ?6, ?7)");
    int ret;

    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, a->rule_id);
    sqlite3_bind_int64(st, 2, a->device_id);
    inv_bind_id(st, 3, a->interface_id);
    sqlite3_bind_text(st, 4, a->subject ? a->subject : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 5, a->pending_since);
    if (a->has_value)
        sqlite3_bind_double(st, 6, a->value);
    else
        sqlite3_bind_null(st, 6);
    inv_bind_text(st, 7, a->message);
    ret = inv_step(db, st, "record");
    if (ret == 0 && out_id)
        *out_id = sqlite3_last_insert_rowid(db->sql);
    sqlite3_finalize(st);
    return ret;
}

int inv_alert_fire(struct ww_db *db, long long id, long long now)
{
    return exec_ids(db, "UPDATE alert SET state='firing', fired_at=?2 WHERE id=?1"
                        " AND state='pending'",
                    id, now, 0, "fire alert");
}

int inv_alert_resolve(struct ww_db *db, long long id, long long now)
{
    return exec_ids(db, "UPDATE alert SET state='resolved', resolved_at=?2 WHERE id=?1"
                        " AND state<>'resolved'",
                    id, now, 0, "resolve alert");
}

int inv_alert_notified(struct ww_db *db, long long id, long long now)
{
    return exec_ids(db, "UPDATE alert SET last_notified_at=?2 WHERE id=?1", id, now, 0,
                    "alert notified");
}

int inv_alert_set_value(struct ww_db *db, long long id, bool has_value, double value,
                        const char *message)
{
    sqlite3_stmt *st = ww_db_prepare(db, "UPDATE alert SET value=?2, message=?3 WHERE id=?1"
                                         " AND (value IS NOT ?2 OR message IS NOT ?3)");
    int ret;

    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    if (has_value)
        sqlite3_bind_double(st, 2, value);
    else
        sqlite3_bind_null(st, 2);
    inv_bind_text(st, 3, message);
    ret = inv_step(db, st, "record");
    sqlite3_finalize(st);
    return ret;
}

int inv_alert_resolve_stale(struct ww_db *db, long long now, long long *out_n)
{
    int ret = exec_ids(db,
                       "UPDATE alert SET state='resolved', resolved_at=?1 WHERE state<>'resolved'"
                       " AND (rule_id IN (SELECT id FROM alert_rule WHERE NOT enabled)"
                       " OR device_id IN (SELECT id FROM device WHERE NOT enabled))",
                       now, 0, 0, "resolve stale alerts");
    *out_n = ret == 0 ? sqlite3_changes(db->sql) : 0;
    return ret == -ENOENT ? 0 : ret;
}

int inv_alert_list(struct ww_db *db, const struct inv_alert_filter *f, long long limit,
                   long long offset, struct inv_alert **out_items, size_t *out_n,
                   long long *out_total)
{
    static const char where[] = " WHERE (?1 IS NULL OR a.state = ?1)"
                                " AND (?2 = 0 OR a.device_id = ?2)";
    struct inv_alert *items = NULL;
    size_t n = 0, cap = 0;
    sqlite3_stmt *st;
    int rc = SQLITE_DONE;

    *out_items = NULL;
    *out_n = 0;
    *out_total = 0;
    for (int pass = 0; pass < 2; pass++) {
        char sql[1024];
        snprintf(sql, sizeof(sql), "%s%s%s",
                 pass == 0 ? "SELECT count(*) FROM alert a" : ALERT_COLS, where,
                 pass == 0 ? "" : " ORDER BY a.pending_since DESC, a.id DESC LIMIT ?3 OFFSET ?4");
        st = ww_db_prepare(db, sql);
        if (!st)
            return -EIO;
        inv_bind_text(st, 1, f ? f->state : NULL);
        sqlite3_bind_int64(st, 2, f ? f->device_id : 0);
        if (pass == 1) {
            sqlite3_bind_int64(st, 3, limit < 0 ? -1 : limit);
            sqlite3_bind_int64(st, 4, offset < 0 ? 0 : offset);
        }
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (pass == 0) {
                *out_total = sqlite3_column_int64(st, 0);
                continue;
            }
            items = grow(items, n, &cap, sizeof(*items));
            alert_from_row(st, &items[n++]);
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            break;
    }
    if (rc != SQLITE_DONE) {
        inv_alert_list_free(items, n);
        return ww_error(-EIO, "inventory: list alerts failed");
    }
    *out_items = items;
    *out_n = n;
    return 0;
}

void inv_alert_list_free(struct inv_alert *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        inv_alert_release(&items[i]);
    free(items);
}

/* ---- what the evaluator reads ----------------------------------------------------------- */

static bool opt_double(sqlite3_stmt *st, int col, double *out)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL) {
        *out = 0;
        return false;
    }
    *out = sqlite3_column_double(st, col);
    return true;
}

int inv_alert_targets(struct ww_db *db, struct inv_alert_target **out_items, size_t *out_n)
{
    sqlite3_stmt *st = ww_db_prepare(
        db, "SELECT d.id, coalesce(d.parent_id, 0), d.name, d.kind, d.host,"
            " coalesce(s.state, 'unknown'), coalesce(s.since, 0), coalesce(s.metrics_at, 0),"
            " s.cpu_pct, s.mem_pct, s.disk_max_pct, s.ups_runtime_min, s.ups_charge_pct,"
            " s.supply_min_pct, s.ups_on_battery"
            " FROM device d LEFT JOIN device_status s ON s.device_id = d.id"
            " WHERE d.enabled ORDER BY d.id");
    struct inv_alert_target *items = NULL;
    size_t n = 0, cap = 0;
    int rc;

    *out_items = NULL;
    *out_n = 0;
    if (!st)
        return -EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct inv_alert_target *t;
        double v;
        items = grow(items, n, &cap, sizeof(*items));
        t = &items[n++];
        memset(t, 0, sizeof(*t));
        t->id = sqlite3_column_int64(st, 0);
        t->parent_id = sqlite3_column_int64(st, 1);
        t->name = ww_db_text(st, 2);
        t->kind = ww_db_text(st, 3);
        t->host = ww_db_text(st, 4);
        ww_strlcpy(t->state, (const char *)sqlite3_column_text(st, 5), sizeof(t->state));
        t->since = sqlite3_column_int64(st, 6);
        t->metrics_at = sqlite3_column_int64(st, 7);
        t->has_cpu = opt_double(st, 8, &t->cpu_pct);
        t->has_mem = opt_double(st, 9, &t->mem_pct);
        t->has_disk = opt_double(st, 10, &t->disk_max_pct);
        t->has_runtime = opt_double(st, 11, &t->ups_runtime_min);
        t->has_charge = opt_double(st, 12, &t->ups_charge_pct);
        t->has_supply = opt_double(st, 13, &t->supply_min_pct);
        t->has_on_battery = opt_double(st, 14, &v);
        t->ups_on_battery = v != 0;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        inv_alert_targets_free(items, n);
        return ww_error(-EIO, "inventory: alert targets: %s", sqlite3_errmsg(db->sql));
    }
    *out_items = items;
    *out_n = n;
    return 0;
}

void inv_alert_targets_free(struct inv_alert_target *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(items[i].name);
        free(items[i].kind);
        free(items[i].host);
    }
    free(items);
}

int inv_alert_ifaces(struct ww_db *db, long long device_id, struct inv_alert_iface **out_items,
                     size_t *out_n)
{
    sqlite3_stmt *st = ww_db_prepare(
        db, "SELECT id, coalesce(name, descr, if_key), coalesce(admin_status, 0),"
            " coalesce(oper_status, 0), coalesce(oper_since, 0), coalesce(rate_at, 0),"
            " coalesce(speed_bps, 0), in_bps, out_bps FROM interface WHERE device_id=?1"
            " ORDER BY if_index, id");
    struct inv_alert_iface *items = NULL;
    size_t n = 0, cap = 0;
    int rc;

    *out_items = NULL;
    *out_n = 0;
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, device_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct inv_alert_iface *i;
        bool in, out;
        items = grow(items, n, &cap, sizeof(*items));
        i = &items[n++];
        memset(i, 0, sizeof(*i));
        i->id = sqlite3_column_int64(st, 0);
        i->name = ww_db_text(st, 1);
        i->admin_status = sqlite3_column_int64(st, 2);
        i->oper_status = sqlite3_column_int64(st, 3);
        i->oper_since = sqlite3_column_int64(st, 4);
        i->rate_at = sqlite3_column_int64(st, 5);
        i->speed_bps = sqlite3_column_int64(st, 6);
        in = opt_double(st, 7, &i->in_bps);
        out = opt_double(st, 8, &i->out_bps);
        i->has_rate = in && out && i->rate_at > 0;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        inv_alert_ifaces_free(items, n);
        return ww_error(-EIO, "inventory: interfaces of device %lld failed", device_id);
    }
    *out_items = items;
    *out_n = n;
    return 0;
}

void inv_alert_ifaces_free(struct inv_alert_iface *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(items[i].name);
    free(items);
}

/* ---- notifications ---------------------------------------------------------------------- */

void inv_notification_release(struct inv_notification *n)
{
    char **strs[] = {&n->channel_name, &n->channel_kind, &n->kind,       &n->recipient,
                     &n->subject,      &n->body,         &n->status,     &n->last_error,
                     &n->device_name,  &n->rule_kind,    &n->alert_state};
    for (size_t i = 0; i < WW_ARRAY_SIZE(strs); i++) {
        free(*strs[i]);
        *strs[i] = NULL;
    }
    if (n->secret)
        memset(n->secret, 0, strlen(n->secret));
    free(n->secret);
    n->secret = NULL;
}

const char *const inv_notification_kinds[] = {"firing", "recovery", "repeat", "test",
                                               "training_expiry", NULL};

int inv_notification_add(struct ww_db *db, long long alert_id, long long channel_id,
                         const char *kind, const char *recipient, const char *subject,
                         const char *body, long long now, long long *out_id)
{
    sqlite3_stmt *st;
    bool known = false;
    int ret;

    /* the table no longer repeats the kinds (schema v18): this list is the check */
    for (size_t i = 0; kind && inv_notification_kinds[i]; i++)
        known = known || strcmp(kind, inv_notification_kinds[i]) == 0;
    if (!known)
        return ww_error(-EINVAL, "inventory: notification kind '%.32s' is not one of ours",
                        kind ? kind : "");
    st = ww_db_prepare(db, "INSERT INTO notification (alert_id, channel_id, kind, recipient,"
                           " subject, body, status, attempts, next_attempt_at, created_at)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', 0, ?7, ?7)");
    if (!st)
        return -EIO;
    inv_bind_id(st, 1, alert_id);
    inv_bind_id(st, 2, channel_id);
    sqlite3_bind_text(st, 3, kind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, recipient, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, subject, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, body, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 7, now);
    ret = inv_step(db, st, "record");
    if (ret == 0 && out_id)
        *out_id = sqlite3_last_insert_rowid(db->sql);
    sqlite3_finalize(st);
    return ret;
}

/*
 * A message is held back while an older message of the same alert to the same channel is
 * still pending (waiting for a retry, or leased by a delivery in flight): without this a
 * recovery queued while its firing waits out a back-off is due at once and overtakes it,
 * and the receiver's last word about the device is "down" although it is up. Once the
 * older one is sent or has failed for good, the next one goes. Test messages (no alert)
 * are never held. Used by the claim and by next_due, so that the delivery thread does not
 * spin on a held message that is "due" but cannot be claimed.
 */
#define NOTE_NOT_HELD                                                                          \
    " NOT EXISTS (SELECT 1 FROM notification o WHERE o.status='pending'"                       \
    " AND o.alert_id = n.alert_id AND o.channel_id = n.channel_id AND o.id < n.id)"

#define NOTE_COLS                                                                              \
    "n.id, coalesce(n.alert_id, 0), coalesce(n.channel_id, 0), c.name, c.kind, n.kind,"       \
    " n.recipient, n.subject, n.body, n.status, n.last_error, n.attempts, n.next_attempt_at,"  \
    " n.sent_at, n.created_at"
#define NOTE_FROM " FROM notification n LEFT JOIN alert_channel c ON c.id = n.channel_id"

static void note_from_row(sqlite3_stmt *st, struct inv_notification *n)
{
    memset(n, 0, sizeof(*n));
    n->id = sqlite3_column_int64(st, 0);
    n->alert_id = sqlite3_column_int64(st, 1);
    n->channel_id = sqlite3_column_int64(st, 2);
    n->channel_name = ww_db_text(st, 3);
    n->channel_kind = ww_db_text(st, 4);
    n->kind = ww_db_text(st, 5);
    n->recipient = ww_db_text(st, 6);
    n->subject = ww_db_text(st, 7);
    n->body = ww_db_text(st, 8);
    n->status = ww_db_text(st, 9);
    n->last_error = ww_db_text(st, 10);
    n->attempts = sqlite3_column_int64(st, 11);
    n->next_attempt_at = inv_col_time(st, 12);
    n->sent_at = inv_col_time(st, 13);
    n->created_at = inv_col_time(st, 14);
}

int inv_notification_claim(struct ww_db *db, long long now, long long lease_s, size_t max,
                           struct inv_notification **out_items, size_t *out_n)
{
    sqlite3_stmt *st = NULL, *lease = NULL;
    struct inv_notification *items = NULL;
    size_t n = 0, cap = 0;
    int rc, ret;

    *out_items = NULL;
    *out_n = 0;
    if ((ret = ww_db_savepoint(db)) < 0)
        return ret;
    ret = -EIO;
    st = ww_db_prepare(db, "SELECT " NOTE_COLS ", c.secret, coalesce(a.device_id, 0), d.name,"
                           " r.kind, a.state" NOTE_FROM
                           " LEFT JOIN alert a ON a.id = n.alert_id"
                           " LEFT JOIN device d ON d.id = a.device_id"
                           " LEFT JOIN alert_rule r ON r.id = a.rule_id"
                           " WHERE n.status='pending' AND coalesce(n.next_attempt_at, 0) <= ?1"
                           " AND" NOTE_NOT_HELD
                           " ORDER BY n.next_attempt_at, n.id LIMIT ?2");
    lease = ww_db_prepare(db, "UPDATE notification SET next_attempt_at=?2 WHERE id=?1");
    if (!st || !lease)
        goto out;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct inv_notification *x;
        items = grow(items, n, &cap, sizeof(*items));
        x = &items[n++];
        note_from_row(st, x);
        x->secret = ww_db_text(st, 15);
        x->device_id = sqlite3_column_int64(st, 16);
        x->device_name = ww_db_text(st, 17);
        x->rule_kind = ww_db_text(st, 18);
        x->alert_state = ww_db_text(st, 19);
    }
    if (rc != SQLITE_DONE)
        goto out;
    for (size_t i = 0; i < n; i++) {
        sqlite3_reset(lease);
        sqlite3_bind_int64(lease, 1, items[i].id);
        sqlite3_bind_int64(lease, 2, now + lease_s);
        if (sqlite3_step(lease) != SQLITE_DONE)
            goto out;
    }
    ret = ww_db_release(db);
out:
    sqlite3_finalize(st);
    sqlite3_finalize(lease);
    if (ret < 0) {
        ww_log(WW_LOG_ERR, "inventory: claim notifications: %s", sqlite3_errmsg(db->sql));
        ww_db_undo(db);
        for (size_t i = 0; i < n; i++)
            inv_notification_release(&items[i]);
        free(items);
        return ret;
    }
    *out_items = items;
    *out_n = n;
    return 0;
}

int inv_notification_sent(struct ww_db *db, long long id, long long now, const char *answer)
{
    sqlite3_stmt *st = ww_db_prepare(db, "UPDATE notification SET status='sent', sent_at=?2,"
                                         " attempts=attempts+1, next_attempt_at=NULL,"
                                         " last_error=CASE WHEN ?3 IS NULL THEN NULL"
                                         " ELSE 'sent: ' || ?3 END WHERE id=?1");

    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, now);
    if (answer && *answer)
        sqlite3_bind_text(st, 3, answer, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, 3);
    return inv_step_final(db, st, "notification sent");
}

int inv_notification_failed(struct ww_db *db, long long id, long long now, const char *error,
                            long long base_s, long long retry_max)
{
    sqlite3_stmt *st;
    long long attempts = 0, delay;
    int ret;

    if ((ret = inv_int_row(db, "SELECT attempts + 1 FROM notification WHERE id=?1", id,
                           &attempts)) < 0)
        return ret;
    /* base * 2^(attempts-1), without overflow: stop doubling at the cap */
    delay = base_s < 1 ? 1 : base_s;
    for (long long k = 1; k < attempts && delay < INV_RETRY_CAP_S; k++)
        delay *= 2;
    if (delay > INV_RETRY_CAP_S)
        delay = INV_RETRY_CAP_S;
    st = ww_db_prepare(db, "UPDATE notification SET attempts=?2, last_error=?3,"
                           " status=CASE WHEN ?2 >= ?4 THEN 'failed' ELSE 'pending' END,"
                           " next_attempt_at=CASE WHEN ?2 >= ?4 THEN NULL ELSE ?5 END"
                           " WHERE id=?1");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, attempts);
    inv_bind_text(st, 3, error);
    sqlite3_bind_int64(st, 4, retry_max < 1 ? 1 : retry_max);
    sqlite3_bind_int64(st, 5, now + delay);
    ret = inv_step(db, st, "record");
    sqlite3_finalize(st);
    return ret;
}

int inv_notification_next_due(struct ww_db *db, long long *out_at)
{
    /* cached: the delivery thread asks this every few seconds */
    sqlite3_stmt *st = ww_db_stmt(db, "SELECT min(coalesce(n.next_attempt_at, 0)) FROM"
                                      " notification n WHERE n.status='pending' AND"
                                      NOTE_NOT_HELD);
    int rc;

    *out_at = -1;
    if (!st)
        return -EIO;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        *out_at = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : -EIO;
}

int inv_notification_list(struct ww_db *db, const struct inv_notification_filter *f,
                          long long limit, long long offset,
                          struct inv_notification **out_items, size_t *out_n,
                          long long *out_total)
{
    static const char where[] = " WHERE (?1 IS NULL OR n.status = ?1)"
                                " AND (?2 = 0 OR n.channel_id = ?2)";
    struct inv_notification *items = NULL;
    size_t n = 0, cap = 0;
    sqlite3_stmt *st;
    int rc = SQLITE_DONE;

    *out_items = NULL;
    *out_n = 0;
    *out_total = 0;
    for (int pass = 0; pass < 2; pass++) {
        char sql[1024];
        snprintf(sql, sizeof(sql), "SELECT %s%s%s%s", pass == 0 ? "count(*)" : NOTE_COLS,
                 NOTE_FROM, where,
                 pass == 0 ? "" : " ORDER BY n.created_at DESC, n.id DESC LIMIT ?3 OFFSET ?4");
        st = ww_db_prepare(db, sql);
        if (!st)
            return -EIO;
        inv_bind_text(st, 1, f ? f->status : NULL);
        sqlite3_bind_int64(st, 2, f ? f->channel_id : 0);
        if (pass == 1) {
            sqlite3_bind_int64(st, 3, limit < 0 ? -1 : limit);
            sqlite3_bind_int64(st, 4, offset < 0 ? 0 : offset);
        }
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (pass == 0) {
                *out_total = sqlite3_column_int64(st, 0);
                continue;
            }
            items = grow(items, n, &cap, sizeof(*items));
            note_from_row(st, &items[n++]);
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            break;
    }
    if (rc != SQLITE_DONE) {
        inv_notification_list_free(items, n);
        return ww_error(-EIO, "inventory: list notifications failed");
    }
    *out_items = items;
    *out_n = n;
    return 0;
}

void inv_notification_list_free(struct inv_notification *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        inv_notification_release(&items[i]);
    free(items);
}

int inv_alert_channel_test(struct ww_db *db, const struct ww_i18n *words, long long id,
                           long long now, long long *out_id)
{
    struct inv_alert_channel c;
    char *subject = NULL, *body = NULL;
    struct ww_param p[] = {{"channel", NULL}};
    struct ww_buf b;
    int ret = inv_alert_channel_get(db, id, &c);

    if (ret < 0)
        return ret;
    p[0].value = c.name;
    /* the subject in the product's language, the body in each (as the alert texts) */
    subject = ww_i18n_printf(words, WW_LANG_VI, "mail.test_subject", p, 1);
    ww_buf_init(&b, 64 * 1024);
    for (int l = 0; l < WW_LANG_COUNT && ret == 0; l++) {
        if (l > 0)
            ret = ww_i18n_format(words, (enum ww_lang)l, "mail.lang_header", NULL, 0, &b);
        if (ret == 0)
            ret = ww_i18n_format(words, (enum ww_lang)l, "mail.test_body", p, 1, &b);
        if (ret == 0)
            ret = ww_buf_addstr(&b, "\n");
    }
    body = ww_buf_detach(&b);
    ww_buf_release(&b);
    if (ret == 0)
        ret = inv_notification_add(db, 0, id, "test", c.target, subject, body, now, out_id);
    free(subject);
    free(body);
    inv_alert_channel_release(&c);
    return ret;
}

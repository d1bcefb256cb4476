/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check.c - the active checks wardwatch-probe runs (schema v19): their records (validated
 * here, changed through inv_change_run(), object type "check"), their state (up, down or
 * unknown since when, with the last figures and a failure's reason code) and the history of
 * their changes of state. The rules for a target are the device host's (inv_check_host) and
 * the alert webhook's for a URL (inv_check_url: http/https only, no credentials).
 */
#include "inventory/inventory_int.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "common/banned.h"

const char *const inv_check_kinds[] = {"icmp", "tcp", "dns", "http", NULL};
const char *const inv_check_states[] = {"up", "down", "unknown", NULL};

static bool kind_known(const char *kind)
{
    for (size_t i = 0; kind && inv_check_kinds[i]; i++)
        if (strcmp(inv_check_kinds[i], kind) == 0)
            return true;
    return false;
}

static int check_target(const struct inv_check *c)
{
    char host[INV_HOST_MAX + 1];
    size_t n = c->target ? strlen(c->target) : 0;
    int ret;

    if (strcmp(c->kind, "http") != 0)
        return inv_check_host("target", c->target);
    if (n == 0 || n > INV_CHECK_URL_MAX)
        return inv_refuse(-EINVAL, "target", n ? "too_long" : "required", "%d",
                          INV_CHECK_URL_MAX);
    if ((ret = inv_check_url("target", c->target)) < 0)
        return ret;
    if (ww_url_host(c->target, host, sizeof(host)) < 0)
        return inv_refuse(-EINVAL, "target", "not_host", NULL);
    /* the URL's host as a device's host may be (an IPv6 literal's brackets are gone) */
    return inv_check_host("target", host);
}

int inv_check_validate(const struct inv_check *c)
{
    bool http, tcp;
    int ret = inv_check_text("name", c->name, INV_NAME_MAX, true);

    if (ret < 0)
        return ret;
    if (!kind_known(c->kind))
        return inv_refuse(-EINVAL, "kind", "not_one_of", "icmp, tcp, dns, http");
    http = strcmp(c->kind, "http") == 0;
    tcp = strcmp(c->kind, "tcp") == 0;
    if ((ret = check_target(c)) < 0)
        return ret;
    if (tcp && c->port == 0)
        return inv_refuse(-EINVAL, "port", "required", "1..65535");
    if (tcp && (c->port < 1 || c->port > 65535))
        return inv_refuse(-EINVAL, "port", "out_of_range", "1..65535");
    if (!tcp && c->port != 0)
        return inv_refuse(-EINVAL, "port", "not_allowed", NULL);
    if (c->expect && *c->expect) {
        if (!http)
            return inv_refuse(-EINVAL, "expect", "not_allowed", NULL);
        if ((ret = inv_check_text("expect", c->expect, INV_CHECK_EXPECT_MAX, false)) < 0)
            return ret;
    }
    if (c->interval_s < INV_CHECK_INTERVAL_MIN || c->interval_s > INV_CHECK_INTERVAL_MAX)
        return inv_refuse(-EINVAL, "interval_s", "out_of_range", "%d..%d",
                          INV_CHECK_INTERVAL_MIN, INV_CHECK_INTERVAL_MAX);
    if (c->timeout_ms < INV_CHECK_TIMEOUT_MIN || c->timeout_ms > INV_CHECK_TIMEOUT_MAX)
        return inv_refuse(-EINVAL, "timeout_ms", "out_of_range", "%d..%d",
                          INV_CHECK_TIMEOUT_MIN, INV_CHECK_TIMEOUT_MAX);
    if ((long long)c->timeout_ms >= (long long)c->interval_s * 1000)
        return inv_refuse(-EINVAL, "timeout_ms", "out_of_range", "%d..%lld",
                          INV_CHECK_TIMEOUT_MIN, (long long)c->interval_s * 1000 - 1);
    if (c->device_id < 0)
        return inv_refuse(-EINVAL, "device_id", "not_id", NULL);
    return 0;
}

static int check_write(struct ww_db *db, const struct inv_check *c, struct inv_change *ch,
                       bool add)
{
    sqlite3_stmt *st;
    long long v;
    int ret = inv_check_validate(c);

    if (ret < 0)
        return ret;
    if (c->device_id > 0) {
        ret = inv_int_row(db, "SELECT id FROM device WHERE id=?1", c->device_id, &v);
        if (ret == -ENOENT)
            return inv_refuse(-EINVAL, "device_id", "no_such", "%lld", c->device_id);
        if (ret < 0)
            return ret;
    }
    st = add ? ww_db_prepare(db, "INSERT INTO probe_check (name, kind, target, port, expect,"
                                 " interval_s, timeout_ms, device_id, enabled)"
                                 " VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
             : ww_db_prepare(db, "UPDATE probe_check SET name=?2, kind=?3, target=?4, port=?5,"
                                 " expect=?6, interval_s=?7, timeout_ms=?8, device_id=?9,"
                                 " enabled=?10 WHERE id=?1");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, ch->id);
    sqlite3_bind_text(st, 2, c->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, c->kind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, c->target, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 5, c->port);
    inv_bind_typed(st, 6, c->expect);
    sqlite3_bind_int(st, 7, c->interval_s);
    sqlite3_bind_int(st, 8, c->timeout_ms);
    inv_bind_id(st, 9, c->device_id);
    sqlite3_bind_int(st, 10, c->enabled ? 1 : 0);
    if ((ret = inv_step_written(db, st, ch, add, "name")) < 0 || !add)
        return ret;
    st = ww_db_prepare(db, "INSERT INTO probe_check_state (check_id) VALUES (?1)");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, ch->id);
    return inv_step_final(db, st, "record");
}

/* check @id stops speaking for its device (removed, disabled, or moved to another device):
 * its open check_down event ends now, whatever device it is on (no check_up would ever
 * close it), and its state is unknown until it runs again */
static int check_end(struct ww_db *db, long long id)
{
    char key[24];
    sqlite3_stmt *st;
    int ret;

    snprintf(key, sizeof(key), "%lld", id);
    st = ww_db_prepare(db, "UPDATE event SET ended_at = max(unixepoch(), started_at)"
                           " WHERE type = 'check_down' AND ended_at IS NULL"
                           " AND json_extract(params, '$.check') = ?1");
    if (!st)
        return -EIO;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    if ((ret = inv_step_final(db, st, "record")) < 0)
        return ret;
    st = ww_db_prepare(db, "UPDATE probe_check_state SET state = 'unknown', since = unixepoch()"
                           " WHERE check_id = ?1 AND state <> 'unknown'");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    return inv_step_final(db, st, "record");
}

int inv_apply_check_add(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    return check_write(db, ctx, ch, true);
}

int inv_apply_check_update(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    const struct inv_check *c = ctx;
    long long old_device = 0, old_enabled = 0;
    int ret;

    if ((ret = inv_int_row(db, "SELECT coalesce(device_id, 0) FROM probe_check WHERE id=?1",
                           ch->id, &old_device)) < 0 ||
        (ret = inv_int_row(db, "SELECT enabled FROM probe_check WHERE id=?1", ch->id,
                           &old_enabled)) < 0)
        return ret;
    if ((old_enabled && !c->enabled) || old_device != (c->device_id > 0 ? c->device_id : 0))
        if ((ret = check_end(db, ch->id)) < 0)
            return ret;
    return check_write(db, ctx, ch, false);
}

int inv_apply_check_remove(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    int ret;

    (void)ctx;
    if ((ret = check_end(db, ch->id)) < 0)
        return ret;
    return inv_delete_row(db, "DELETE FROM probe_check WHERE id=?1", ch->id);
}

#define CHECK_JSON                                                                                \
    "json_object('id', c.id, 'name', c.name, 'kind', c.kind, 'target', c.target, 'port',"       \
    " c.port, 'expect', c.expect, 'interval_s', c.interval_s, 'timeout_ms', c.timeout_ms,"        \
    " 'device_id', c.device_id, 'enabled', json(CASE WHEN c.enabled THEN 'true' ELSE 'false'"   \
    " END), 'state', ifnull(s.state, 'unknown'), 'since', s.since, 'last_at', s.last_at,"         \
    " 'latency_ms', s.latency_ms, 'loss_pct', s.loss_pct, 'jitter_ms', s.jitter_ms,"              \
    " 'http_status', s.http_status, 'cert_days', s.cert_days, 'reason', s.reason)"

int inv_check_list_json(struct ww_db *db, long long id, char **out_json)
{
    if (id > 0)
        return inv_json_row(db,
                            "SELECT " CHECK_JSON " FROM probe_check c"
                            " LEFT JOIN probe_check_state s ON s.check_id = c.id WHERE c.id=?1",
                            id, out_json);
    return inv_json_row(db,
                        "SELECT json_group_array(json(j)) FROM (SELECT " CHECK_JSON " AS j"
                        " FROM probe_check c LEFT JOIN probe_check_state s ON s.check_id = c.id"
                        " WHERE ?1 = 0 ORDER BY c.name, c.id)",
                        0, out_json);
}

int inv_check_history_json(struct ww_db *db, long long id, char **out_json)
{
    return inv_json_row(db,
                        "SELECT json_group_array(json_object('at', at, 'state', state, 'reason',"
                        " reason)) FROM (SELECT * FROM probe_check_history WHERE check_id=?1"
                        " ORDER BY at DESC, id DESC LIMIT 200)",
                        id, out_json);
}

int inv_check_snapshot(struct ww_db *db, long long id, char **out_json)
{
    return inv_json_row(db,
                        "SELECT json_object('id', id, 'name', name, 'kind', kind, 'target',"
                        " target, 'port', port, 'expect', expect, 'interval_s', interval_s,"
                        " 'timeout_ms', timeout_ms, 'device_id', device_id,"
                        " 'enabled', json(CASE WHEN enabled THEN 'true' ELSE 'false' END))"
                        " FROM probe_check WHERE id=?1",
                        id, out_json);
}

void inv_check_rows_free(struct inv_check_row *rows, size_t n)
{
    for (size_t i = 0; rows && i < n; i++) {
        free(rows[i].name);
        free(rows[i].kind);
        free(rows[i].target);
        free(rows[i].expect);
    }
    free(rows);
}

int inv_check_rows(struct ww_db *db, bool all, struct inv_check_row **out_rows, size_t *out_n)
{
    static const char sql[] =
        "SELECT id, name, kind, target, port, expect, interval_s, timeout_ms, device_id, enabled"
        " FROM probe_check WHERE ?1 OR enabled ORDER BY id";
    struct inv_check_row *v = NULL;
    size_t n = 0, cap = 0;
    sqlite3_stmt *st = ww_db_prepare(db, sql);
    int rc;

    *out_rows = NULL;
    *out_n = 0;
    if (!st)
        return -EIO;
    sqlite3_bind_int(st, 1, all ? 1 : 0);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            v = ww_reallocarray(v, cap, sizeof(*v));
        }
        struct inv_check_row *r = &v[n++];
        memset(r, 0, sizeof(*r));
        r->c.id = sqlite3_column_int64(st, 0);
        r->name = ww_db_text(st, 1);
        r->kind = ww_db_text(st, 2);
        r->target = ww_db_text(st, 3);
        r->c.port = sqlite3_column_int(st, 4);
        r->expect = ww_db_text(st, 5);
        r->c.interval_s = sqlite3_column_int(st, 6);
        r->c.timeout_ms = sqlite3_column_int(st, 7);
        r->c.device_id = sqlite3_column_int64(st, 8);
        r->c.enabled = sqlite3_column_int(st, 9) != 0;
        r->c.name = r->name;
        r->c.kind = r->kind;
        r->c.target = r->target;
        r->c.expect = r->expect;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        inv_check_rows_free(v, n);
        return ww_error(-EIO, "inventory: probe_check: %s", sqlite3_errmsg(db->sql));
    }
    *out_rows = v;
    *out_n = n;
    return 0;
}

/* a check of a device: its change of state is a device event (status.c's) */
static int device_event(struct ww_db *db, const struct inv_check_result *r, const char *state)
{
    static const char sql[] = "SELECT ifnull(device_id, 0), name FROM probe_check WHERE id=?1";
    sqlite3_stmt *st = ww_db_stmt(db, sql);
    long long device_id = 0;
    char *name = NULL;
    int ret = 0;

    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, r->check_id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        device_id = sqlite3_column_int64(st, 0);
        name = ww_db_text(st, 1);
    }
    sqlite3_reset(st);
    if (device_id > 0)
        ret = inv_check_event(db, device_id, r->check_id, name, strcmp(state, "down") == 0,
                              r->at, r->reason);
    free(name);
    return ret;
}

int inv_check_record(struct ww_db *db, const struct inv_check_result *r, bool *out_changed)
{
    static const char read_sql[] = "SELECT state FROM probe_check_state WHERE check_id=?1";
    static const char write_sql[] =
        "UPDATE probe_check_state SET state=?2, since=CASE WHEN state=?2 THEN since ELSE ?3 END,"
        " last_at=?3, latency_ms=?4, loss_pct=?5, jitter_ms=?6, http_status=?7, cert_days=?8,"
        " reason=?9 WHERE check_id=?1";
    static const char hist_sql[] =
        "INSERT INTO probe_check_history (check_id, at, state, reason) VALUES (?1, ?2, ?3, ?4)";
    const char *state = r->up ? "up" : "down";
    char before[16] = "";
    bool changed;
    sqlite3_stmt *st;
    int ret, rc;

    if (out_changed)
        *out_changed = false;
    if ((ret = ww_db_begin(db)) < 0)
        return ret;
    st = ww_db_stmt(db, read_sql);
    if (!st) {
        ret = -EIO;
        goto out;
    }
    sqlite3_bind_int64(st, 1, r->check_id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        ww_strlcpy(before, (const char *)sqlite3_column_text(st, 0), sizeof(before));
    sqlite3_reset(st);
    if (rc != SQLITE_ROW) {
        ret = rc == SQLITE_DONE ? -ENOENT : -EIO;
        goto out;
    }
    /* a first result after "unknown" is a change only when it is bad news */
    changed = strcmp(before, state) != 0 && (strcmp(before, "unknown") != 0 || !r->up);
    st = ww_db_stmt(db, write_sql);
    if (!st) {
        ret = -EIO;
        goto out;
    }
    sqlite3_bind_int64(st, 1, r->check_id);
    sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, r->at);
    inv_bind_real(st, 4, r->latency_ms);
    inv_bind_real(st, 5, r->loss_pct);
    inv_bind_real(st, 6, r->jitter_ms);
    if (r->http_status > 0)
        sqlite3_bind_int(st, 7, r->http_status);
    else
        sqlite3_bind_null(st, 7);
    if (r->cert_days != INT_MIN)
        sqlite3_bind_int(st, 8, r->cert_days);
    else
        sqlite3_bind_null(st, 8);
    inv_bind_typed(st, 9, r->up ? NULL : r->reason);
    if ((ret = inv_step(db, st, "record")) < 0)
        goto out;
    if (changed && (ret = device_event(db, r, state)) < 0)
        goto out;
    if (changed) {
        st = ww_db_stmt(db, hist_sql);
        if (!st) {
            ret = -EIO;
            goto out;
        }
        sqlite3_bind_int64(st, 1, r->check_id);
        sqlite3_bind_int64(st, 2, r->at);
        sqlite3_bind_text(st, 3, state, -1, SQLITE_STATIC);
        inv_bind_typed(st, 4, r->up ? NULL : r->reason);
        if ((ret = inv_step(db, st, "record")) < 0)
            goto out;
    }
    if (out_changed)
        *out_changed = changed;
out:
    if (ret < 0) {
        ww_db_rollback(db);
        return ret;
    }
    return ww_db_commit(db);
}

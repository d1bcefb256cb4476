/* SPDX-License-Identifier: GPL-3.0-or-later */
/* status.c - interfaces, device status and the events a status change records. */
#include "inventory/inventory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

static void bind_opt_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

int inv_interface_upsert(struct ww_db *db, const struct inv_interface *ifc, time_t now,
                         long long *out_id)
{
    sqlite3_stmt *st = ww_db_prepare(
        db, "INSERT INTO interface (device_id, if_key, if_index, name, descr, alias, type,"
            " speed_bps, admin_status, oper_status, hc, in_octets, out_octets, first_seen,"
            " last_seen) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?14)"
            " ON CONFLICT (device_id, if_key) DO UPDATE SET if_index=excluded.if_index,"
            " name=excluded.name, descr=excluded.descr, alias=excluded.alias,"
            " type=excluded.type, speed_bps=excluded.speed_bps,"
            " admin_status=excluded.admin_status, oper_status=excluded.oper_status,"
            " hc=excluded.hc, in_octets=excluded.in_octets, out_octets=excluded.out_octets,"
            " last_seen=excluded.last_seen RETURNING id");
    int ret = 0;

    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, ifc->device_id);
    sqlite3_bind_text(st, 2, ifc->if_key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, ifc->if_index);
    bind_opt_text(st, 4, ifc->name);
    bind_opt_text(st, 5, ifc->descr);
    bind_opt_text(st, 6, ifc->alias);
    sqlite3_bind_int64(st, 7, ifc->type);
    sqlite3_bind_int64(st, 8, ifc->speed_bps);
    sqlite3_bind_int64(st, 9, ifc->admin_status);
    sqlite3_bind_int64(st, 10, ifc->oper_status);
    sqlite3_bind_int(st, 11, ifc->hc);
    bind_opt_text(st, 12, ifc->in_octets);
    bind_opt_text(st, 13, ifc->out_octets);
    sqlite3_bind_int64(st, 14, (sqlite3_int64)now);
    if (sqlite3_step(st) == SQLITE_ROW)
        *out_id = sqlite3_column_int64(st, 0);
    else
        ret = ww_error(-EIO, "inventory: interface of device %lld: %s", ifc->device_id,
                       sqlite3_errmsg(db->sql));
    sqlite3_finalize(st);
    return ret;
}

int inv_interface_list(struct ww_db *db, long long device_id, struct inv_interface **out_items,
                       size_t *out_n)
{
    sqlite3_stmt *st = ww_db_prepare(
        db, "SELECT id, device_id, if_key, if_index, name, descr, alias, type, speed_bps,"
            " admin_status, oper_status, hc, in_octets, out_octets FROM interface"
            " WHERE device_id=?1 ORDER BY if_index, id");
    struct inv_interface *items = NULL;
    size_t n = 0, cap = 0;
    int rc;

    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, device_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct inv_interface *i;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            items = ww_reallocarray(items, cap, sizeof(*items));
        }
        i = &items[n++];
        memset(i, 0, sizeof(*i));
        i->id = sqlite3_column_int64(st, 0);
        i->device_id = sqlite3_column_int64(st, 1);
        i->if_key = ww_db_text(st, 2);
        i->if_index = sqlite3_column_int64(st, 3);
        i->name = ww_db_text(st, 4);
        i->descr = ww_db_text(st, 5);
        i->alias = ww_db_text(st, 6);
        i->type = sqlite3_column_int64(st, 7);
        i->speed_bps = sqlite3_column_int64(st, 8);
        i->admin_status = sqlite3_column_int64(st, 9);
        i->oper_status = sqlite3_column_int64(st, 10);
        i->hc = sqlite3_column_int(st, 11) != 0;
        i->in_octets = ww_db_text(st, 12);
        i->out_octets = ww_db_text(st, 13);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        inv_interface_list_free(items, n);
        return ww_error(-EIO, "inventory: list interfaces of device %lld failed", device_id);
    }
    *out_items = items;
    *out_n = n;
    return 0;
}

void inv_interface_list_free(struct inv_interface *items, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        free(items[k].if_key);
        free(items[k].name);
        free(items[k].descr);
        free(items[k].alias);
        free(items[k].in_octets);
        free(items[k].out_octets);
    }
    free(items);
}

int inv_status_get(struct ww_db *db, long long device_id, struct inv_status *out_status)
{
    sqlite3_stmt *st = ww_db_prepare(
        db, "SELECT state, coalesce(since,0), coalesce(last_poll,0), coalesce(last_ok,0),"
            " fail_count, coalesce(uptime_ticks,-1), coalesce(uptime_at,0)"
            " FROM device_status WHERE device_id=?1");
    int rc;

    memset(out_status, 0, sizeof(*out_status));
    ww_strlcpy(out_status->state, "unknown", sizeof(out_status->state));
    out_status->uptime_ticks = -1;
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, device_id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        ww_strlcpy(out_status->state, (const char *)sqlite3_column_text(st, 0),
                   sizeof(out_status->state));
        out_status->since = sqlite3_column_int64(st, 1);
        out_status->last_poll = sqlite3_column_int64(st, 2);
        out_status->last_ok = sqlite3_column_int64(st, 3);
        out_status->fail_count = sqlite3_column_int64(st, 4);
        out_status->uptime_ticks = sqlite3_column_int64(st, 5);
        out_status->uptime_at = sqlite3_column_int64(st, 6);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -EIO;
}

static int event_add(struct ww_db *db, long long device_id, const char *type, long long start,
                     long long end, const char *message)
{
    sqlite3_stmt *st = ww_db_prepare(db, "INSERT INTO event (device_id, type, started_at,"
                                         " ended_at, message) VALUES (?1, ?2, ?3, ?4, ?5)");
    int rc;

    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, device_id);
    sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, start);
    if (end >= 0)
        sqlite3_bind_int64(st, 4, end);
    else
        sqlite3_bind_null(st, 4);
    bind_opt_text(st, 5, message);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -EIO;
}

static int event_close_down(struct ww_db *db, long long device_id, long long end)
{
    sqlite3_stmt *st = ww_db_prepare(db, "UPDATE event SET ended_at=?2 WHERE device_id=?1"
                                         " AND type='down' AND ended_at IS NULL");
    int rc;

    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, device_id);
    sqlite3_bind_int64(st, 2, end);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -EIO;
}

int inv_status_apply(struct ww_db *db, long long device_id, const struct inv_poll_outcome *o,
                     long long down_after, bool *out_changed)
{
    struct inv_status prev;
    sqlite3_stmt *st = NULL;
    const char *state;
    long long since, fails, now = (long long)o->when;
    bool changed = false;
    int ret;

    /* a savepoint, so the caller may batch many devices in one transaction */
    ret = ww_db_exec(db, "SAVEPOINT status_apply");
    if (ret < 0)
        return ret;
    ret = inv_status_get(db, device_id, &prev);
    if (ret < 0)
        goto out;

    since = prev.since ? prev.since : now;
    fails = o->ok ? 0 : o->refused ? prev.fail_count : prev.fail_count + 1;
    state = prev.state;
    if (o->refused) {
        /* a configuration fault: neither up nor down, said in last_error */
    } else if (o->ok && strcmp(prev.state, "up") != 0) {
        state = "up";
        changed = true;
        since = now;
        if (strcmp(prev.state, "down") == 0) {
            char msg[96];
            snprintf(msg, sizeof(msg), "down for %lld s", now - prev.since);
            if ((ret = event_close_down(db, device_id, now)) < 0 ||
                (ret = event_add(db, device_id, "up", now, now, msg)) < 0)
                goto out;
        }
    } else if (!o->ok && strcmp(prev.state, "down") != 0 && fails >= down_after) {
        state = "down";
        changed = true;
        since = now;
        ret = event_add(db, device_id, "down", now, -1, o->error);
        if (ret < 0)
            goto out;
    }
    if (o->ok && o->rebooted) {
        long long boot = o->uptime_ticks >= 0 ? now - o->uptime_ticks / 100 : now;
        ret = event_add(db, device_id, "reboot", boot, boot, "sysUpTime went back");
        if (ret < 0)
            goto out;
    }

    st = ww_db_prepare(
        db, "INSERT INTO device_status (device_id, state, since, last_poll, last_ok, fail_count,"
            " uptime_ticks, uptime_at, poll_ms, last_error) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)"
            " ON CONFLICT (device_id) DO UPDATE SET state=excluded.state, since=excluded.since,"
            " last_poll=excluded.last_poll, last_ok=coalesce(excluded.last_ok, last_ok),"
            " fail_count=excluded.fail_count,"
            " uptime_ticks=coalesce(excluded.uptime_ticks, uptime_ticks),"
            " uptime_at=coalesce(excluded.uptime_at, uptime_at), poll_ms=excluded.poll_ms,"
            " last_error=excluded.last_error");
    if (!st) {
        ret = -EIO;
        goto out;
    }
    sqlite3_bind_int64(st, 1, device_id);
    sqlite3_bind_text(st, 2, state, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, since);
    sqlite3_bind_int64(st, 4, now);
    if (o->ok)
        sqlite3_bind_int64(st, 5, now);
    sqlite3_bind_int64(st, 6, fails);
    if (o->ok && o->uptime_ticks >= 0) {
        sqlite3_bind_int64(st, 7, o->uptime_ticks);
        sqlite3_bind_int64(st, 8, now);
    }
    if (o->ok)
        sqlite3_bind_int64(st, 9, o->poll_ms);
    bind_opt_text(st, 10, o->ok ? NULL : o->error);
    if (sqlite3_step(st) != SQLITE_DONE) {
        ret = ww_error(-EIO, "inventory: status of device %lld: %s", device_id,
                       sqlite3_errmsg(db->sql));
        goto out;
    }
    ret = ww_db_exec(db, "RELEASE status_apply");
out:
    sqlite3_finalize(st);
    if (ret < 0)
        sqlite3_exec(db->sql, "ROLLBACK TO status_apply; RELEASE status_apply", NULL, NULL,
                     NULL);
    else if (out_changed)
        *out_changed = changed;
    return ret;
}

int inv_event_list(struct ww_db *db, long long device_id, long long limit, long long offset,
                   struct inv_event **out_items, size_t *out_n, long long *out_total)
{
    sqlite3_stmt *st;
    struct inv_event *items = NULL;
    size_t n = 0, cap = 0;
    int rc;

    *out_total = 0;
    st = ww_db_prepare(db, "SELECT count(*) FROM event WHERE ?1 = 0 OR device_id = ?1");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, device_id);
    if (sqlite3_step(st) == SQLITE_ROW)
        *out_total = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);

    st = ww_db_prepare(db, "SELECT e.id, e.device_id, d.name, e.type, e.started_at,"
                           " coalesce(e.ended_at, -1), e.message FROM event e"
                           " JOIN device d ON d.id = e.device_id"
                           " WHERE ?1 = 0 OR e.device_id = ?1"
                           " ORDER BY e.started_at DESC, e.id DESC LIMIT ?2 OFFSET ?3");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, device_id);
    sqlite3_bind_int64(st, 2, limit);
    sqlite3_bind_int64(st, 3, offset < 0 ? 0 : offset);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct inv_event *e;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            items = ww_reallocarray(items, cap, sizeof(*items));
        }
        e = &items[n++];
        e->id = sqlite3_column_int64(st, 0);
        e->device_id = sqlite3_column_int64(st, 1);
        e->device_name = ww_db_text(st, 2);
        e->type = ww_db_text(st, 3);
        e->started_at = sqlite3_column_int64(st, 4);
        e->ended_at = sqlite3_column_int64(st, 5);
        e->message = ww_db_text(st, 6);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        inv_event_list_free(items, n);
        return ww_error(-EIO, "inventory: list events failed");
    }
    *out_items = items;
    *out_n = n;
    return 0;
}

void inv_event_list_free(struct inv_event *items, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        free(items[k].device_name);
        free(items[k].type);
        free(items[k].message);
    }
    free(items);
}

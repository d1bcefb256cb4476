/* SPDX-License-Identifier: GPL-3.0-or-later */
/* status.c - interfaces, device status and the events a status change records. */
#include "inventory/inventory_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

int inv_interface_upsert(struct ww_db *db, const struct inv_interface *ifc, time_t now,
                         long long *out_id)
{
    sqlite3_stmt *st = ww_db_stmt(
        db, "INSERT INTO interface (device_id, if_key, if_index, name, descr, alias, type,"
            " speed_bps, admin_status, oper_status, hc, in_octets, out_octets, first_seen,"
            " last_seen, in_bps, out_bps, rate_at, oper_since)"
            " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?14,?15,?16,?17,?18)"
            " ON CONFLICT (device_id, if_key) DO UPDATE SET if_index=excluded.if_index,"
            " name=excluded.name, descr=excluded.descr, alias=excluded.alias,"
            " type=excluded.type, speed_bps=excluded.speed_bps,"
            " admin_status=excluded.admin_status, oper_status=excluded.oper_status,"
            " hc=excluded.hc, in_octets=excluded.in_octets, out_octets=excluded.out_octets,"
            " last_seen=excluded.last_seen, in_bps=excluded.in_bps, out_bps=excluded.out_bps,"
            " rate_at=excluded.rate_at,"
            " oper_since=coalesce(excluded.oper_since, oper_since) RETURNING id");
    int ret = 0;

    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, ifc->device_id);
    sqlite3_bind_text(st, 2, ifc->if_key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, ifc->if_index);
    inv_bind_text(st, 4, ifc->name);
    inv_bind_text(st, 5, ifc->descr);
    inv_bind_text(st, 6, ifc->alias);
    sqlite3_bind_int64(st, 7, ifc->type);
    sqlite3_bind_int64(st, 8, ifc->speed_bps);
    sqlite3_bind_int64(st, 9, ifc->admin_status);
    sqlite3_bind_int64(st, 10, ifc->oper_status);
    sqlite3_bind_int(st, 11, ifc->hc);
    inv_bind_text(st, 12, ifc->in_octets);
    inv_bind_text(st, 13, ifc->out_octets);
    sqlite3_bind_int64(st, 14, (sqlite3_int64)now);
    inv_bind_real(st, 15, ifc->in_bps);
    inv_bind_real(st, 16, ifc->out_bps);
    inv_bind_real(st, 17, ifc->rate_at);
    if (ifc->oper_since > 0)
        sqlite3_bind_int64(st, 18, ifc->oper_since);
    if (sqlite3_step(st) == SQLITE_ROW)
        *out_id = sqlite3_column_int64(st, 0);
    else
        ret = ww_error(-EIO, "inventory: interface of device %lld: %s", ifc->device_id,
                       sqlite3_errmsg(db->sql));
    sqlite3_reset(st); /* cached: ww_db_close() finalizes it */
    return ret;
}

static bool same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

int inv_interface_refresh(struct ww_db *db, const struct inv_interface *prev,
                          const struct inv_interface *ifc, time_t now, long long *out_id)
{
    sqlite3_stmt *st;
    int ret = 0;

    /* the usual poll: only the counters and rates moved, so the row is updated in place by
     * its id instead of through the (device, if_key) upsert */
    if (!prev || prev->id <= 0 || prev->if_index != ifc->if_index ||
        prev->type != ifc->type || prev->speed_bps != ifc->speed_bps ||
        prev->admin_status != ifc->admin_status || prev->oper_status != ifc->oper_status ||
        prev->hc != ifc->hc || !same_text(prev->if_key, ifc->if_key) ||
        !same_text(prev->name, ifc->name) || !same_text(prev->descr, ifc->descr) ||
        !same_text(prev->alias, ifc->alias))
        return inv_interface_upsert(db, ifc, now, out_id);
    st = ww_db_stmt(db, "UPDATE interface SET in_octets=?2, out_octets=?3, last_seen=?4,"
                        " in_bps=?5, out_bps=?6, rate_at=?7 WHERE id=?1");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, prev->id);
    inv_bind_text(st, 2, ifc->in_octets);
    inv_bind_text(st, 3, ifc->out_octets);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)now);
    inv_bind_real(st, 5, ifc->in_bps);
    inv_bind_real(st, 6, ifc->out_bps);
    inv_bind_real(st, 7, ifc->rate_at);
    if (sqlite3_step(st) != SQLITE_DONE)
        ret = ww_error(-EIO, "inventory: interface %lld: %s", prev->id, sqlite3_errmsg(db->sql));
    else if (sqlite3_changes(db->sql) == 0) /* removed meanwhile: make it again */
        ret = 1;
    sqlite3_reset(st); /* cached */
    if (ret == 1)
        return inv_interface_upsert(db, ifc, now, out_id);
    if (ret == 0)
        *out_id = prev->id;
    return ret;
}

int inv_status_metrics(struct ww_db *db, long long device_id, const struct inv_metrics *m,
                       time_t now)
{
    sqlite3_stmt *st = ww_db_stmt(
        db, "UPDATE device_status SET cpu_pct=?2, mem_pct=?3, disk_max_pct=?4,"
            " ups_on_battery=?5, ups_runtime_min=?6, ups_charge_pct=?7, supply_min_pct=?8,"
            " metrics_at=?9 WHERE device_id=?1");
    int rc;

    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, device_id);
    inv_bind_real(st, 2, m->cpu_pct);
    inv_bind_real(st, 3, m->mem_pct);
    inv_bind_real(st, 4, m->disk_max_pct);
    if (m->ups_on_battery >= 0)
        sqlite3_bind_int(st, 5, m->ups_on_battery);
    inv_bind_real(st, 6, m->ups_runtime_min);
    inv_bind_real(st, 7, m->ups_charge_pct);
    inv_bind_real(st, 8, m->supply_min_pct);
    sqlite3_bind_int64(st, 9, (sqlite3_int64)now);
    rc = sqlite3_step(st);
    sqlite3_reset(st); /* cached: ww_db_close() finalizes it */
    return rc == SQLITE_DONE ? 0 : ww_error(-EIO, "inventory: metrics of device %lld: %s",
                                            device_id, sqlite3_errmsg(db->sql));
}

int inv_interface_list(struct ww_db *db, long long device_id, struct inv_interface **out_items,
                       size_t *out_n)
{
    sqlite3_stmt *st = ww_db_stmt(
        db, "SELECT id, device_id, if_key, if_index, name, descr, alias, type, speed_bps,"
            " admin_status, oper_status, hc, in_octets, out_octets, in_bps, out_bps, rate_at,"
            " coalesce(oper_since, 0) FROM interface"
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
        i->in_bps = inv_col_real(st, 14);
        i->out_bps = inv_col_real(st, 15);
        i->rate_at = inv_col_real(st, 16);
        i->oper_since = sqlite3_column_int64(st, 17);
    }
    sqlite3_reset(st); /* cached: ww_db_close() finalizes it */
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

int inv_link_list(struct ww_db *db, struct inv_link **out_items, size_t *out_n)
{
    sqlite3_stmt *st = ww_db_prepare(
        db, "SELECT i.device_id, d.name, i.id, coalesce(i.name, i.if_key), i.speed_bps"
            " FROM interface i JOIN device d ON d.id = i.device_id"
            " WHERE d.enabled = 1 AND i.speed_bps IS NOT NULL ORDER BY i.id");
    struct inv_link *items = NULL;
    size_t n = 0, cap = 0;
    int rc;

    *out_items = NULL;
    *out_n = 0;
    if (!st)
        return -EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long speed = sqlite3_column_int64(st, 4);
        if (speed <= 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            items = ww_reallocarray(items, cap, sizeof(*items));
        }
        items[n].device_id = sqlite3_column_int64(st, 0);
        items[n].device_name = ww_db_text(st, 1);
        items[n].interface_id = sqlite3_column_int64(st, 2);
        items[n].name = ww_db_text(st, 3);
        items[n++].speed_bps = speed;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        inv_link_list_free(items, n);
        return ww_error(-EIO, "inventory: list links failed");
    }
    *out_items = items;
    *out_n = n;
    return 0;
}

void inv_link_list_free(struct inv_link *items, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        free(items[k].device_name);
        free(items[k].name);
    }
    free(items);
}

int inv_status_get(struct ww_db *db, long long device_id, struct inv_status *out_status)
{
    sqlite3_stmt *st = ww_db_stmt(
        db, "SELECT state, coalesce(since,0), coalesce(last_poll,0), coalesce(last_ok,0),"
            " fail_count, coalesce(uptime_ticks,-1), coalesce(uptime_at,0), ok_count,"
            " coalesce(streak_since,0) FROM device_status WHERE device_id=?1");
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
        out_status->ok_count = sqlite3_column_int64(st, 7);
        out_status->streak_since = sqlite3_column_int64(st, 8);
    }
    sqlite3_reset(st); /* cached */
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -EIO;
}

/* the parameters of an event's reason as a JSON object of strings ("{}" when none); a value
 * may come from a device (an interface's name): cut to whole characters of valid UTF-8 */
#define EVENT_PARAM_MAX 256
static char *event_params(const struct ww_param *p, size_t n)
{
    struct ww_buf b;
    char value[EVENT_PARAM_MAX];
    int ret;
    char *s;

    ww_buf_init(&b, 4096);
    ret = ww_buf_addstr(&b, "{");
    for (size_t i = 0; i < n && ret == 0; i++) {
        if (!p[i].value)
            continue;
        ww_utf8_copy(value, p[i].value, sizeof(value));
        if (b.len > 1)
            ret = ww_buf_addstr(&b, ",");
        if (ret == 0)
            ret = ww_buf_add_json_string(&b, p[i].name);
        if (ret == 0)
            ret = ww_buf_addstr(&b, ":");
        if (ret == 0)
            ret = ww_buf_add_json_string(&b, value);
    }
    if (ret == 0)
        ret = ww_buf_addstr(&b, "}");
    if (ret < 0) { /* over the cap: no parameters rather than a broken object */
        ww_buf_release(&b);
        return ww_strdup("{}");
    }
    s = ww_buf_detach(&b);
    ww_buf_release(&b);
    return s;
}

/*
 * One event: its @type, the @reason code with its @params (what pages render in the
 * reader's language, "eventmsg.<reason>") and the same in English for the log (@message).
 */
static int event_add(struct ww_db *db, long long device_id, long long interface_id,
                     const char *type, long long start, long long end, const char *reason,
                     const struct ww_param *params, size_t nparams, const char *message)
{
    sqlite3_stmt *st = ww_db_prepare(db, "INSERT INTO event (device_id, interface_id, type,"
                                         " started_at, ended_at, message, reason, params)"
                                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    char *pj = event_params(params, nparams);
    int rc;

    if (!st) {
        free(pj);
        return -EIO;
    }
    inv_bind_text(st, 7, reason);
    sqlite3_bind_text(st, 8, pj, -1, SQLITE_TRANSIENT);
    free(pj);
    sqlite3_bind_int64(st, 1, device_id);
    if (interface_id > 0)
        sqlite3_bind_int64(st, 2, interface_id);
    sqlite3_bind_text(st, 3, type, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, start);
    if (end >= 0)
        sqlite3_bind_int64(st, 5, end);
    inv_bind_text(st, 6, message);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : ww_error(-EIO, "inventory: event of device %lld: %s",
                                            device_id, sqlite3_errmsg(db->sql));
}

/* close the open outage (down or unreachable) of a device, or of one interface */
static int event_close(struct ww_db *db, long long device_id, long long interface_id,
                       long long end)
{
    sqlite3_stmt *st = ww_db_prepare(
        db, "UPDATE event SET ended_at=max(?3, started_at) WHERE device_id=?1"
            " AND ended_at IS NULL AND (CASE WHEN ?2 > 0 THEN interface_id=?2 AND type='if_down'"
            " ELSE interface_id IS NULL AND type IN ('down','unreachable') END)");
    int rc;

    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, device_id);
    sqlite3_bind_int64(st, 2, interface_id);
    sqlite3_bind_int64(st, 3, end);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -EIO;
}

static bool is_outage(const char *state)
{
    return strcmp(state, "down") == 0 || strcmp(state, "unreachable") == 0;
}

static int device_parent(struct ww_db *db, long long device_id, long long *out_parent)
{
    sqlite3_stmt *st = ww_db_stmt(db, "SELECT coalesce(parent_id, 0) FROM device WHERE id=?1");
    int rc;

    *out_parent = 0;
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, device_id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out_parent = sqlite3_column_int64(st, 0);
    sqlite3_reset(st); /* cached: ww_db_close() finalizes it */
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -EIO;
}

/* move a device into an outage state, opening its event at @start */
static int enter_outage(struct ww_db *db, long long device_id, const char *state, long long start,
                        const char *reason, const struct ww_param *params, size_t nparams,
                        const char *why)
{
    sqlite3_stmt *st;
    int ret = event_add(db, device_id, 0, state, start, -1, reason, params, nparams, why);

    if (ret < 0)
        return ret;
    st = ww_db_prepare(db, "UPDATE device_status SET state=?2, since=?3 WHERE device_id=?1");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, device_id);
    sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, start);
    ret = sqlite3_step(st) == SQLITE_DONE ? 0 : -EIO;
    sqlite3_finalize(st);
    return ret;
}

/* the reason code of a failed poll: the collector's, else "no_answer" */
static const char *poll_reason(const struct inv_poll_outcome *o)
{
    return o->reason && *o->reason ? o->reason : "no_answer"; /* event reason */
}

int inv_status_apply(struct ww_db *db, long long device_id, const struct inv_poll_outcome *o,
                     long long down_after, long long up_after, bool *out_changed)
{
    struct inv_status prev;
    sqlite3_stmt *st = NULL;
    const char *state;
    long long since, fails, oks, streak, parent = 0, now = (long long)o->when;
    bool changed = false, open_down = false;
    int ret;

    /* a savepoint, so the caller may batch many devices in one transaction (unless it
     * rolls the whole transaction back on any failure) */
    if (!o->no_savepoint && (ret = ww_db_savepoint(db)) < 0)
        return ret;
    if (o->prev)
        prev = *o->prev;
    else if ((ret = inv_status_get(db, device_id, &prev)) < 0)
        goto out;

    since = prev.since ? prev.since : now;
    state = prev.state;
    if (o->refused) {
        /* a configuration fault: neither up nor down, said in last_error */
        fails = prev.fail_count;
        oks = prev.ok_count;
        streak = prev.streak_since;
    } else if (o->ok) {
        fails = 0;
        oks = prev.ok_count + 1;
        streak = prev.ok_count > 0 && prev.streak_since ? prev.streak_since : now;
    } else {
        oks = 0;
        fails = prev.fail_count + 1;
        streak = prev.fail_count > 0 && prev.streak_since ? prev.streak_since : now;
    }

    if (o->refused) {
    } else if (o->ok && is_outage(prev.state)) {
        if (oks >= up_after) {
            /* the outage ended with the first good poll of the run, not its confirmation */
            char msg[96], secs[24];
            struct ww_param p[] = {{"state", prev.state}, {"seconds", secs}};
            snprintf(secs, sizeof(secs), "%lld", streak - prev.since);
            snprintf(msg, sizeof(msg), "%s for %lld s", prev.state, streak - prev.since);
            if ((ret = event_close(db, device_id, 0, streak)) < 0 ||
                (ret = event_add(db, device_id, 0, "up", streak, streak, "back_up", p,
                                 WW_ARRAY_SIZE(p), msg)) < 0)
                goto out;
            state = "up";
            since = streak;
            changed = true;
        }
    } else if (o->ok && strcmp(prev.state, "up") != 0) {
        state = "up"; /* first contact: nothing to confirm */
        since = now;
        changed = true;
    } else if (!o->ok && !is_outage(prev.state) && fails >= down_after) {
        /* behind a parent, inv_status_reconcile() decides between down and unreachable
         * once the parent has been polled too */
        ret = device_parent(db, device_id, &parent);
        if (ret < 0)
            goto out;
        if (!parent) {
            state = "down";
            since = streak;
            changed = true;
            open_down = true;
        }
    }
    if (open_down) {
        struct ww_param p[] = {{"detail", o->reason_param}};
        ret = event_add(db, device_id, 0, "down", since, -1, poll_reason(o), p,
                        WW_ARRAY_SIZE(p), o->error);
        if (ret < 0)
            goto out;
    }
    if (o->ok && o->rebooted) {
        long long boot = o->uptime_ticks >= 0 ? now - o->uptime_ticks / 100 : now;
        ret = event_add(db, device_id, 0, "reboot", boot, boot, "rebooted", NULL, 0,
                        "sysUpTime went back");
        if (ret < 0)
            goto out;
    }

    st = ww_db_stmt(
        db, "INSERT INTO device_status (device_id, state, since, last_poll, last_ok, fail_count,"
            " uptime_ticks, uptime_at, poll_ms, last_error, ok_count, streak_since,"
            " last_reason, last_reason_param, first_ok, icmp_ok)"
            " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?5,?15)"
            " ON CONFLICT (device_id) DO UPDATE SET state=excluded.state, since=excluded.since,"
            " last_poll=excluded.last_poll, last_ok=coalesce(excluded.last_ok, last_ok),"
            " fail_count=excluded.fail_count,"
            " uptime_ticks=coalesce(excluded.uptime_ticks, uptime_ticks),"
            " uptime_at=coalesce(excluded.uptime_at, uptime_at), poll_ms=excluded.poll_ms,"
            " last_error=excluded.last_error, ok_count=excluded.ok_count,"
            " streak_since=excluded.streak_since, last_reason=excluded.last_reason,"
            " last_reason_param=excluded.last_reason_param,"
            " first_ok=coalesce(first_ok, excluded.first_ok),"
            " icmp_ok=CASE WHEN excluded.last_poll = excluded.last_ok THEN NULL"
            "   ELSE coalesce(excluded.icmp_ok, icmp_ok) END");
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
        sqlite3_bind_int64(st, 8, o->uptime_at ? (long long)o->uptime_at : now);
    }
    if (o->ok)
        sqlite3_bind_int64(st, 9, o->poll_ms);
    inv_bind_text(st, 10, o->ok ? NULL : o->error);
    sqlite3_bind_int64(st, 11, oks);
    if (streak)
        sqlite3_bind_int64(st, 12, streak);
    inv_bind_text(st, 13, o->ok ? NULL : poll_reason(o));
    inv_bind_text(st, 14, o->ok ? NULL : o->reason_param);
    if (!o->ok && o->icmp != INV_ICMP_NOT_ASKED)
        sqlite3_bind_int(st, 15, o->icmp == INV_ICMP_ANSWERED);
    if (sqlite3_step(st) != SQLITE_DONE) {
        ret = ww_error(-EIO, "inventory: status of device %lld: %s", device_id,
                       sqlite3_errmsg(db->sql));
        goto out;
    }
    ret = o->no_savepoint ? 0 : ww_db_release(db);
out:
    if (st)
        sqlite3_reset(st); /* cached */
    if (ret < 0) {
        if (!o->no_savepoint)
            ww_db_undo(db);
    } else if (out_changed)
        *out_changed = changed;
    return ret;
}

/* the nearest ancestor in an outage, or 0; *out_parent_seen: the direct parent (when it
 * is polled at all) has answered at or after @since, so the way to the device was open.
 * Disabled ancestors are skipped: nobody polls them, so they can vouch for nothing. */
/* the name of device @id, a heap copy ("?" when it has none) */
static int device_name(struct ww_db *db, long long id, char **out_name)
{
    sqlite3_stmt *st = ww_db_stmt(db, "SELECT name FROM device WHERE id=?1");
    int rc;

    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    *out_name = rc == SQLITE_ROW ? ww_db_text(st, 0) : NULL;
    sqlite3_reset(st);
    if (!*out_name)
        *out_name = ww_strdup("?");
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -EIO;
}

static int ancestor_outage(struct ww_db *db, long long device_id, long long since,
                           long long *out_ancestor, bool *out_parent_seen)
{
    sqlite3_stmt *st = ww_db_prepare(
        db, "SELECT d.parent_id, p.enabled, coalesce(s.state,'unknown'),"
            " coalesce(s.last_ok,0) FROM device d JOIN device p ON p.id = d.parent_id"
            " LEFT JOIN device_status s ON s.device_id = p.id WHERE d.id=?1");
    long long cur = device_id;
    bool first = true;
    int ret = 0;

    *out_ancestor = 0;
    *out_parent_seen = true;
    if (!st)
        return -EIO;
    for (int depth = 0; depth < INV_PARENT_DEPTH_MAX; depth++) {
        long long parent;
        bool enabled;
        int rc;

        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, cur);
        rc = sqlite3_step(st);
        if (rc == SQLITE_DONE)
            break; /* no (further) parent */
        if (rc != SQLITE_ROW) {
            ret = -EIO;
            break;
        }
        parent = sqlite3_column_int64(st, 0);
        enabled = sqlite3_column_int(st, 1) != 0;
        if (enabled && is_outage((const char *)sqlite3_column_text(st, 2))) {
            *out_ancestor = parent;
            break;
        }
        if (first && enabled)
            *out_parent_seen = sqlite3_column_int64(st, 3) >= since;
        if (enabled)
            first = false;
        cur = parent;
    }
    sqlite3_finalize(st);
    return ret;
}

int inv_status_reconcile(struct ww_db *db, long long down_after, time_t now, size_t *out_changes)
{
    sqlite3_stmt *st = NULL;
    size_t changes = 0;
    int ret = 0;

    if (out_changes)
        *out_changes = 0;
    ret = ww_db_savepoint(db);
    if (ret < 0)
        return ret;
    /* parents first would settle a chain in one pass; repeating until nothing moves does
     * the same without sorting, and a chain is at most INV_PARENT_DEPTH_MAX long */
    for (int pass = 0; pass < INV_PARENT_DEPTH_MAX; pass++) {
        size_t moved = 0;
        /* cached: this runs after every batch of results */
        st = ww_db_stmt(
            db, "SELECT s.device_id, s.state, coalesce(s.streak_since, s.last_poll),"
                " coalesce(s.last_error, 'no answer'), s.fail_count,"
                " coalesce(s.last_reason, 'no_answer'), s.last_reason_param"
                " FROM device_status s"
                " JOIN device d ON d.id = s.device_id"
                " WHERE d.parent_id IS NOT NULL AND d.enabled AND s.fail_count > 0 AND"
                " ((s.state IN ('up','unknown') AND s.fail_count >= ?1) OR"
                "  s.state = 'unreachable')");
        if (!st) {
            ret = -EIO;
            goto out;
        }
        sqlite3_bind_int64(st, 1, down_after);
        for (;;) {
            long long id, streak, ancestor = 0;
            bool parent_seen = true, stale;
            struct ww_param pdetail[1] = {{"detail", NULL}};
            char state[16], why[200], reason[32], param[96];
            int rc = sqlite3_step(st);

            if (rc == SQLITE_DONE)
                break;
            if (rc != SQLITE_ROW) {
                ret = -EIO;
                goto out;
            }
            id = sqlite3_column_int64(st, 0);
            ww_strlcpy(state, (const char *)sqlite3_column_text(st, 1), sizeof(state));
            streak = sqlite3_column_int64(st, 2);
            ww_strlcpy(why, (const char *)sqlite3_column_text(st, 3), sizeof(why));
            ww_strlcpy(reason, (const char *)sqlite3_column_text(st, 5), sizeof(reason));
            ww_strlcpy(param,
                       sqlite3_column_text(st, 6) ? (const char *)sqlite3_column_text(st, 6) : "",
                       sizeof(param));
            /* a parent that neither answers nor goes down (its credentials refused, say)
             * must not hold the decision for ever */
            stale = sqlite3_column_int64(st, 4) >= 2 * down_after + 2;
            pdetail[0].value = param[0] ? param : NULL;
            ret = ancestor_outage(db, id, streak, &ancestor, &parent_seen);
            if (ret < 0)
                goto out;
            if (strcmp(state, "unreachable") == 0) {
                /* the way to it is open again, yet it still does not answer: down */
                if (ancestor || (!parent_seen && !stale))
                    continue;
                if ((ret = event_close(db, id, 0, (long long)now)) < 0 ||
                    (ret = enter_outage(db, id, "down", (long long)now, reason, pdetail, 1,
                                        why)) < 0)
                    goto out;
            } else if (ancestor) {
                char msg[64], *name = NULL;
                struct ww_param pbehind[1] = {{"device", NULL}};
                snprintf(msg, sizeof(msg), "behind device %lld, which is unreachable or down",
                         ancestor);
                if ((ret = device_name(db, ancestor, &name)) < 0)
                    goto out;
                pbehind[0].value = name;
                ret = enter_outage(db, id, "unreachable", streak, "behind", pbehind, 1, msg);
                free(name);
                if (ret < 0)
                    goto out;
            } else if (parent_seen || stale) {
                if ((ret = enter_outage(db, id, "down", streak, reason, pdetail, 1, why)) < 0)
                    goto out;
            } else {
                continue; /* the parent has not been polled since: wait for it */
            }
            moved++;
        }
        sqlite3_reset(st);
        st = NULL;
        changes += moved;
        if (!moved)
            break;
    }
    ret = ww_db_release(db);
out:
    if (st)
        sqlite3_reset(st);
    if (ret < 0)
        ww_db_undo(db);
    else if (out_changes)
        *out_changes = changes;
    return ret;
}

int inv_interface_oper_change(struct ww_db *db, long long device_id, long long interface_id,
                              long long admin, long long prev_admin, long long prev_oper,
                              long long oper, time_t now, const char *name)
{
    /* ifOperStatus: 1 up, 2 down, 7 lowerLayerDown count as down; testing, dormant,
     * notPresent and unknown are not outages. An interface switched off (admin down) is
     * not an outage either: someone meant it. The state before is judged the same way, so
     * an interface that stays switched off records nothing round after round. */
    bool was_down = (prev_oper == 2 || prev_oper == 7) && prev_admin == 1;
    bool is_down = (oper == 2 || oper == 7) && admin == 1;
    struct ww_param pname[1] = {{"name", name ? name : "?"}};
    char msg[160];
    int ret;

    if (prev_oper <= 0) {
        /* first sight: a port that is switched on (expected up) but down is an outage from
         * now, unless one is already open (a restart that lost its memory of the port) */
        long long open = 0;
        int r;
        if (!is_down)
            return 0;
        r = inv_int_row(db, "SELECT count(*) FROM event WHERE interface_id = ?1"
                            " AND type = 'if_down' AND ended_at IS NULL", interface_id, &open);
        if (r < 0 || open > 0)
            return r;
    } else if (was_down == is_down) {
        return 0;
    }
    if (is_down) {
        snprintf(msg, sizeof(msg), "interface %.100s is down", name ? name : "?");
        return event_add(db, device_id, interface_id, "if_down", (long long)now, -1, "if_down",
                         pname, 1, msg);
    }
    ret = event_close(db, device_id, interface_id, (long long)now);
    if (ret == 0 && admin == 1) { /* back up; switched off ends the outage without an "up" */
        snprintf(msg, sizeof(msg), "interface %.100s is up", name ? name : "?");
        ret = event_add(db, device_id, interface_id, "if_up", (long long)now, (long long)now,
                        "if_up", pname, 1, msg);
    }
    return ret;
}

int inv_check_event(struct ww_db *db, long long device_id, long long check_id, const char *name,
                    bool down, long long at, const char *reason)
{
    char id[24], msg[200];
    struct ww_param p[3] = {{"name", name ? name : "?"}, {"check", id}, {"why", reason ? reason : ""}};
    sqlite3_stmt *st;
    int rc;

    snprintf(id, sizeof(id), "%lld", check_id);
    if (down) {
        snprintf(msg, sizeof(msg), "check %.100s is down (%.40s)", p[0].value, p[2].value);
        return event_add(db, device_id, 0, "check_down", at, -1, "check_down", p, 3, msg);
    }
    st = ww_db_prepare(db, "UPDATE event SET ended_at=max(?3, started_at) WHERE device_id=?1"
                           " AND type='check_down' AND ended_at IS NULL"
                           " AND json_extract(params, '$.check')=?2");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, device_id);
    sqlite3_bind_text(st, 2, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, at);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return ww_error(-EIO, "inventory: event of device %lld: %s", device_id,
                        sqlite3_errmsg(db->sql));
    snprintf(msg, sizeof(msg), "check %.100s is up", p[0].value);
    return event_add(db, device_id, 0, "check_up", at, at, "check_up", p, 2, msg);
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
                           " coalesce(e.ended_at, -1), e.message, e.reason, e.params FROM event e"
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
        e->reason = ww_db_text(st, 7);
        e->params = ww_db_text(st, 8);
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
        free(items[k].reason);
        free(items[k].params);
    }
    free(items);
}

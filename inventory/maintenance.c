/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * maintenance.c - maintenance windows and holidays as records: validated add/update/remove,
 * lists, snapshots for the audit log. What a window covers (the device, every device, the
 * devices behind it) and what a holiday does to office time are rules with their owner in
 * availability.c (inv_maintenance_covers(), inv_office_calendar()).
 */
#include "inventory/inventory_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

/* ---- maintenance windows ------------------------------------------------------------------ */

void inv_maintenance_release(struct inv_maintenance *m)
{
    free(m->name);
    free(m->device_name);
    free(m->note);
    free(m->created_by);
    memset(m, 0, sizeof(*m));
}

void inv_maintenance_list_free(struct inv_maintenance *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        inv_maintenance_release(&items[i]);
    free(items);
}

#define MAINT_COLS                                                                             \
    "SELECT m.id, m.name, coalesce(m.device_id, 0), d.name, m.starts_at, m.ends_at, m.note,"   \
    " m.created_by, m.starts_at <= ?1 AND m.ends_at > ?1 FROM maintenance m"                   \
    " LEFT JOIN device d ON d.id = m.device_id"

static void maint_row(sqlite3_stmt *st, struct inv_maintenance *m)
{
    m->id = sqlite3_column_int64(st, 0);
    m->name = ww_db_text(st, 1);
    m->device_id = sqlite3_column_int64(st, 2);
    m->device_name = ww_db_text(st, 3);
    m->starts_at = sqlite3_column_int64(st, 4);
    m->ends_at = sqlite3_column_int64(st, 5);
    m->note = ww_db_text(st, 6);
    m->created_by = ww_db_text(st, 7);
    m->active = sqlite3_column_int(st, 8) != 0;
}

int inv_maintenance_list(struct ww_db *db, int active, time_t now,
                         struct inv_maintenance **out_items, size_t *out_n)
{
    sqlite3_stmt *st = ww_db_prepare(db, MAINT_COLS
                                     " WHERE ?2 < 0 OR (m.starts_at <= ?1 AND m.ends_at > ?1) = ?2"
                                     " ORDER BY m.starts_at DESC, m.id DESC");
    struct inv_maintenance *items = NULL;
    size_t n = 0, cap = 0;
    int rc;

    *out_items = NULL;
    *out_n = 0;
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
    sqlite3_bind_int(st, 2, active < 0 ? -1 : active != 0);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            items = ww_reallocarray(items, cap, sizeof(*items));
        }
        maint_row(st, &items[n++]);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        inv_maintenance_list_free(items, n);
        return ww_error(-EIO, "inventory: list maintenance: %s", sqlite3_errmsg(db->sql));
    }
    *out_items = items;
    *out_n = n;
    return 0;
}

int inv_maintenance_get(struct ww_db *db, long long id, time_t now,
                        struct inv_maintenance *out)
{
    sqlite3_stmt *st = ww_db_prepare(db, MAINT_COLS " WHERE m.id = ?2");
    int rc;

    memset(out, 0, sizeof(*out));
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
    sqlite3_bind_int64(st, 2, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        maint_row(st, out);
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return -ENOENT;
    return rc == SQLITE_ROW ? 0 : ww_error(-EIO, "inventory: get maintenance %lld: %s", id,
                                           sqlite3_errmsg(db->sql));
}

static int maint_validate(struct ww_db *db, const struct inv_maintenance *m)
{
    int ret;

    ret = inv_check_text("name", m->name, INV_NAME_MAX, true);
    if (ret == 0)
        ret = inv_check_text("note", m->note, 2000, false);
    if (ret < 0)
        return ret;
    if (m->starts_at <= 0 || m->ends_at <= m->starts_at)
        return m->starts_at <= 0 ? inv_refuse(-EINVAL, "starts_at", "required", NULL)
                                 : inv_refuse(-EINVAL, "ends_at", "not_after", NULL);
    if (m->device_id < 0)
        return inv_refuse(-EINVAL, "device_id", "not_id", NULL);
    if (m->device_id) {
        ret = inv_device_exists(db, m->device_id);
        if (ret == -ENOENT)
            return inv_refuse(-EINVAL, "device_id", "no_such", "%lld", m->device_id);
    }
    return ret;
}

static void maint_bind(sqlite3_stmt *st, const struct inv_maintenance *m)
{
    sqlite3_bind_text(st, 1, m->name, -1, SQLITE_TRANSIENT);
    if (m->device_id)
        sqlite3_bind_int64(st, 2, m->device_id);
    else
        sqlite3_bind_null(st, 2);
    sqlite3_bind_int64(st, 3, m->starts_at);
    sqlite3_bind_int64(st, 4, m->ends_at);
    inv_bind_typed(st, 5, m->note);
}

int inv_maintenance_add(struct ww_db *db, const struct inv_maintenance *m, long long *out_id)
{
    sqlite3_stmt *st;
    int ret = maint_validate(db, m);

    if (ret < 0)
        return ret;
    st = ww_db_prepare(db, "INSERT INTO maintenance (name, device_id, starts_at, ends_at, note,"
                           " created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st)
        return -EIO;
    maint_bind(st, m);
    inv_bind_typed(st, 6, m->created_by);
    ret = inv_step_final(db, st, "name");
    if (ret == 0)
        *out_id = sqlite3_last_insert_rowid(db->sql);
    return ret;
}

int inv_maintenance_update(struct ww_db *db, const struct inv_maintenance *m)
{
    sqlite3_stmt *st;
    int ret = maint_validate(db, m);

    if (ret < 0)
        return ret;
    st = ww_db_prepare(db, "UPDATE maintenance SET name = ?1, device_id = ?2, starts_at = ?3,"
                           " ends_at = ?4, note = ?5 WHERE id = ?6");
    if (!st)
        return -EIO;
    maint_bind(st, m);
    sqlite3_bind_int64(st, 6, m->id);
    ret = inv_step_final(db, st, "name");
    if (ret == 0 && sqlite3_changes(db->sql) == 0)
        ret = -ENOENT;
    return ret;
}

int inv_maintenance_remove(struct ww_db *db, long long id)
{
    sqlite3_stmt *st = ww_db_prepare(db, "DELETE FROM maintenance WHERE id = ?1");
    int ret;

    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    ret = inv_changed(db, inv_step_final(db, st, "record"));
    return ret;
}

/* one JSON text built by SQLite's json_object (every value escaped there) */
static int snapshot_text(struct ww_db *db, const char *sql, long long id, const char *key,
                         char **out_json)
{
    sqlite3_stmt *st = ww_db_prepare(db, sql);
    int rc;

    *out_json = NULL;
    if (!st)
        return -EIO;
    if (key)
        sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out_json = ww_db_text(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -EIO;
}

int inv_maintenance_snapshot(struct ww_db *db, long long id, char **out_json)
{
    return snapshot_text(db,
                         "SELECT json_object('id', id, 'name', name, 'device_id', device_id,"
                         " 'starts_at', starts_at, 'ends_at', ends_at, 'note', note,"
                         " 'created_by', created_by) FROM maintenance WHERE id = ?1",
                         id, NULL, out_json);
}

/* ---- holidays --------------------------------------------------------------------------- */

void inv_holiday_list_free(struct inv_holiday *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(items[i].name);
    free(items);
}

int inv_holiday_list(struct ww_db *db, int year, struct inv_holiday **out_items, size_t *out_n)
{
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT day, name FROM holiday"
                                         " WHERE ?1 = 0 OR substr(day, 1, 4) = printf('%04d', ?1)"
                                         " ORDER BY day");
    struct inv_holiday *items = NULL;
    size_t n = 0, cap = 0;
    int rc;

    *out_items = NULL;
    *out_n = 0;
    if (!st)
        return -EIO;
    sqlite3_bind_int(st, 1, year);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            items = ww_reallocarray(items, cap, sizeof(*items));
        }
        ww_strlcpy(items[n].day, (const char *)sqlite3_column_text(st, 0), sizeof(items[n].day));
        items[n].name = ww_db_text(st, 1);
        n++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        inv_holiday_list_free(items, n);
        return ww_error(-EIO, "inventory: list holidays: %s", sqlite3_errmsg(db->sql));
    }
    *out_items = items;
    *out_n = n;
    return 0;
}

int inv_holiday_set(struct ww_db *db, const char *day, const char *name)
{
    sqlite3_stmt *st;
    int key, ret;

    if (ww_office_day_key(day, &key) < 0)
        return inv_refuse(-EINVAL, "day", "not_date", NULL);
    ret = inv_check_text("name", name, INV_NAME_MAX, true);
    if (ret < 0)
        return ret;
    st = ww_db_prepare(db, "INSERT INTO holiday (day, name) VALUES (?1, ?2)"
                           " ON CONFLICT (day) DO UPDATE SET name = excluded.name");
    if (!st)
        return -EIO;
    sqlite3_bind_text(st, 1, day, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
    return inv_step_final(db, st, "record");
}

int inv_holiday_remove(struct ww_db *db, const char *day)
{
    sqlite3_stmt *st = ww_db_prepare(db, "DELETE FROM holiday WHERE day = ?1");
    int ret;

    if (!st)
        return -EIO;
    sqlite3_bind_text(st, 1, day, -1, SQLITE_TRANSIENT);
    ret = inv_changed(db, inv_step_final(db, st, "record"));
    return ret;
}

int inv_holiday_snapshot(struct ww_db *db, const char *day, char **out_json)
{
    return snapshot_text(db, "SELECT json_object('day', day, 'name', name) FROM holiday"
                             " WHERE day = ?1",
                         0, day, out_json);
}

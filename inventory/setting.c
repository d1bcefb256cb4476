/* SPDX-License-Identifier: GPL-3.0-or-later */
/* setting.c - the key/value setting table (schema v4), and which device an interface is on. */
#include "inventory/inventory_int.h"

#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

int inv_setting_get(struct ww_db *db, const char *key, char **out_value)
{
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT value FROM setting WHERE key=?1");
    int rc;

    *out_value = NULL;
    if (!st)
        return -EIO;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out_value = ww_db_text(st, 0);
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return -ENOENT;
    return rc == SQLITE_ROW ? 0 : ww_error(-EIO, "inventory: setting '%s': read failed", key);
}

int inv_setting_snapshot(struct ww_db *db, const char *key, char **out_json)
{
    /* a setting may be a secret or a hash of one: it is not even read, only whether it is
     * there; the audit log says "set" */
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT 1 FROM setting WHERE key=?1");
    int rc;

    *out_json = NULL;
    if (!st)
        return -EIO;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        *out_json = ww_strdup("{\"value\":\"set\"}");
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -EIO;
}

int inv_setting_set(struct ww_db *db, const char *key, const char *value)
{
    sqlite3_stmt *st = ww_db_prepare(
        db, "INSERT INTO setting (key, value) VALUES (?1, ?2)"
            " ON CONFLICT (key) DO UPDATE SET value=excluded.value");
    int rc;

    if (!st)
        return -EIO;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    /* never the value in the message: some settings are secrets' hashes */
    return rc == SQLITE_DONE ? 0 : ww_error(-EIO, "inventory: setting '%s': write failed", key);
}

int inv_interface_device(struct ww_db *db, long long interface_id, long long *out_device_id)
{
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT device_id FROM interface WHERE id=?1");
    int rc;

    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, interface_id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out_device_id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return -ENOENT;
    return rc == SQLITE_ROW ? 0 : ww_error(-EIO, "inventory: interface %lld: read failed",
                                           interface_id);
}

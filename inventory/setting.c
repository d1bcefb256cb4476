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

int inv_setting_remove(struct ww_db *db, const char *key)
{
    sqlite3_stmt *st = ww_db_prepare(db, "DELETE FROM setting WHERE key=?1");

    if (!st)
        return -EIO;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    return inv_step_final(db, st, "record");
}

/* ---- the Settings page's keys (common.h: ww_setting_keys[], the rule) -------------------- */

int inv_settings_overlay(struct ww_db *db, struct ww_config *cfg, unsigned *out_from_db)
{
    unsigned from_db = 0;
    int ret = 0;

    for (size_t i = 0; i < ww_setting_nkeys; i++) {
        const struct ww_setting_key *k = &ww_setting_keys[i];
        char *v = NULL;
        int rc = inv_setting_get(db, k->key, &v);
        if (rc == -ENOENT)
            continue;
        if (rc < 0) {
            ret = -EIO;
            continue;
        }
        /* the file's checks apply to the database's values too; the value is never logged */
        if (ww_setting_check(k, v) || ww_config_set(cfg, k->section, k->name, v) < 0)
            ww_log(WW_LOG_WARN, "inventory: setting '%s': the stored value is refused: the "
                                "file's value stays", k->key);
        else
            from_db |= 1u << i;
        if (v && k->secret)
            memset(v, 0, strlen(v));
        free(v);
    }
    if (out_from_db)
        *out_from_db = from_db;
    return ret;
}

int inv_apply_settings(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    const struct inv_settings_edit *e = ctx;
    int ret = 0;

    for (size_t i = 0; i < e->n && ret == 0; i++) {
        const struct inv_setting_edit *x = &e->items[i];
        const char *why = x->value ? ww_setting_check(x->k, x->value) : NULL;
        if (why)
            ret = inv_refuse(-EINVAL, x->k->name, why, "%s", x->k->secret ? "" : x->value);
    }
    for (size_t i = 0; i < e->n && ret == 0; i++) {
        const struct inv_setting_edit *x = &e->items[i];
        ret = x->value ? inv_setting_set(db, x->k->key, x->value)
                       : inv_setting_remove(db, x->k->key);
    }
    (void)ch; /* inv_change_run() takes the refusal (inv_refusal_last) */
    return ret;
}

int inv_settings_snapshot(struct ww_db *db, const char *key, char **out_json)
{
    struct ww_buf sql;
    sqlite3_stmt *st = NULL;
    int rc, ret = -EIO;

    (void)key;
    *out_json = NULL;
    /* the keys are the program's constants: no user text in the statement */
    ww_buf_init(&sql, 4096);
    ww_buf_addstr(&sql, "SELECT json_group_object(substr(key, instr(key, '.') + 1),"
                        " CASE WHEN key IN (''");
    for (size_t i = 0; i < ww_setting_nkeys; i++)
        if (ww_setting_keys[i].secret)
            ww_buf_addf(&sql, ",'%s'", ww_setting_keys[i].key);
    ww_buf_addstr(&sql, ") THEN 'set' ELSE value END) FROM setting WHERE key IN (''");
    for (size_t i = 0; i < ww_setting_nkeys; i++)
        ww_buf_addf(&sql, ",'%s'", ww_setting_keys[i].key);
    ww_buf_addstr(&sql, ")");
    st = ww_db_prepare(db, sql.data);
    if (!st)
        goto out;
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        goto out;
    *out_json = ww_db_text(st, 0);
    ret = 0;
out:
    if (st)
        sqlite3_finalize(st);
    ww_buf_release(&sql);
    return ret;
}

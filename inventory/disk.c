/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * disk.c - one row per fixed disk a device reported (device_disk, schema v14): the
 * collector upserts each disk it reads (inv_disk_upsert), whose row id names the disk's RRD
 * file (rrd/<device>/disk-<id>.rrd); the device page lists them (inv_disk_list). A disk
 * that is no longer reported keeps its row and its history: its last_seen stops moving.
 */
#include "inventory/inventory_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

/* a byte count as the table keeps it: unknown (NAN, negative) is NULL */
static void bind_bytes(sqlite3_stmt *st, int i, double v)
{
    if (isnan(v) || v < 0 || v > 9.2e18)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_int64(st, i, (sqlite3_int64)v);
}

static bool same_bytes(sqlite3_stmt *st, int col, double v)
{
    bool known = !(isnan(v) || v < 0 || v > 9.2e18);
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        return !known;
    return known && sqlite3_column_int64(st, col) == (sqlite3_int64)v;
}

int inv_disk_upsert(struct ww_db *db, long long device_id, const char *key, const char *descr,
                    double size_bytes, double used_bytes, time_t now, long long *out_id)
{
    static const char sel_sql[] = "SELECT id, size_bytes, used_bytes, last_seen, descr"
                                  " FROM device_disk WHERE device_id = ?1 AND disk_key = ?2";
    static const char ins_sql[] =
        "INSERT INTO device_disk (device_id, disk_key, descr, size_bytes, used_bytes,"
        " first_seen, last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)";
    static const char upd_sql[] = "UPDATE device_disk SET descr = ?2, size_bytes = ?3,"
                                  " used_bytes = ?4, last_seen = ?5 WHERE id = ?1";
    char k[INV_DISK_KEY_MAX + 1], d[INV_DISK_DESCR_MAX + 1];
    sqlite3_stmt *st;
    long long id = 0;
    bool write = true;
    int rc, ret;

    *out_id = 0;
    /* the agent's text: valid UTF-8 without controls, bounded (ww_utf8_copy cuts at a
     * character's edge) */
    ww_utf8_copy(k, key ? key : "", sizeof(k));
    ww_utf8_copy(d, descr ? descr : key, sizeof(d));
    if (device_id <= 0 || !k[0])
        return -EINVAL;
    st = ww_db_stmt(db, sel_sql);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, device_id);
    sqlite3_bind_text(st, 2, k, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *old = sqlite3_column_text(st, 4);
        id = sqlite3_column_int64(st, 0);
        /* unchanged: last_seen moves at most every INV_FACT_SEEN_EVERY s, as facts do */
        write = !same_bytes(st, 1, size_bytes) || !same_bytes(st, 2, used_bytes) ||
                !old || strcmp((const char *)old, d) != 0 ||
                sqlite3_column_int64(st, 3) <= (long long)now - INV_FACT_SEEN_EVERY;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return ww_error(-EIO, "inventory: disks of device %lld: %s", device_id,
                        sqlite3_errmsg(db->sql));
    if (!write) {
        *out_id = id;
        return 0;
    }
    st = ww_db_stmt(db, id ? upd_sql : ins_sql);
    if (!st)
        return -EIO;
    if (id) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, d, -1, SQLITE_TRANSIENT);
        bind_bytes(st, 3, size_bytes);
        bind_bytes(st, 4, used_bytes);
        sqlite3_bind_int64(st, 5, (sqlite3_int64)now);
    } else {
        sqlite3_bind_int64(st, 1, device_id);
        sqlite3_bind_text(st, 2, k, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, d, -1, SQLITE_TRANSIENT);
        bind_bytes(st, 4, size_bytes);
        bind_bytes(st, 5, used_bytes);
        sqlite3_bind_int64(st, 6, (sqlite3_int64)now);
    }
    ret = inv_step(db, st, "disk");
    sqlite3_reset(st);
    if (ret < 0)
        return ret;
    *out_id = id ? id : sqlite3_last_insert_rowid(db->sql);
    return 0;
}

int inv_disk_list(struct ww_db *db, long long device_id, struct inv_disk **out_items,
                  size_t *out_n)
{
    sqlite3_stmt *st = ww_db_prepare(
        db, "SELECT id, disk_key, descr, size_bytes, used_bytes, first_seen, last_seen"
            " FROM device_disk WHERE device_id = ?1 ORDER BY disk_key, id");
    struct inv_disk *items = NULL;
    size_t n = 0, cap = 0;
    int rc;

    *out_items = NULL;
    *out_n = 0;
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, device_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct inv_disk *k;
        if (n == cap) {
            cap = cap ? 2 * cap : 8;
            items = ww_reallocarray(items, cap, sizeof(*items));
        }
        k = &items[n++];
        k->id = sqlite3_column_int64(st, 0);
        k->device_id = device_id;
        k->disk_key = ww_db_text(st, 1);
        k->descr = ww_db_text(st, 2);
        k->size_bytes = inv_col_real(st, 3);
        k->used_bytes = inv_col_real(st, 4);
        k->first_seen = sqlite3_column_int64(st, 5);
        k->last_seen = sqlite3_column_int64(st, 6);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        inv_disk_list_free(items, n);
        return ww_error(-EIO, "inventory: disks of device %lld: %s", device_id,
                        sqlite3_errmsg(db->sql));
    }
    *out_items = items;
    *out_n = n;
    return 0;
}

void inv_disk_list_free(struct inv_disk *items, size_t n)
{
    for (size_t i = 0; items && i < n; i++) {
        free(items[i].disk_key);
        free(items[i].descr);
    }
    free(items);
}

int inv_disk_device(struct ww_db *db, long long disk_id, long long *out_device_id)
{
    return inv_int_row(db, "SELECT device_id FROM device_disk WHERE id = ?1", disk_id,
                       out_device_id);
}

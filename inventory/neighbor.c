/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * neighbor.c - LLDP/CDP neighbour tables as devices reported them, the devices they name,
 * and the parents they suggest: a device without a parent whose neighbour (on either side's
 * table) is a device of a higher tier (router/firewall > switch > access point > the rest)
 * gets the nearest such tier as its suggested uplink.
 */
#include "inventory/inventory_int.h"

#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

/* the tier of a device kind, in SQL: who sits above whom on the way to the WAN */
/* the device a neighbour row names (?1 the reporting device, ?5 the remote name, ?7 its
 * address): by sysName, case-blind or its first DNS label, else by the polled address */
#define REMOTE_DEVICE(dev, name, addr)                                                         \
    "(SELECT id FROM device WHERE id <> " dev " AND ("                                           \
    "   id IN (SELECT device_id FROM device_fact WHERE name='sysName' AND " name " <> '' AND"   \
    "          (lower(value) = lower(" name ") OR lower(value) = lower(substr(" name ", 1,"      \
    "           instr(" name " || '.', '.') - 1))))"                                            \
    "   OR (" addr " IS NOT NULL AND host = " addr ")) ORDER BY id LIMIT 1)"

#define TIER(k)                                                                                \
    "(CASE " k " WHEN 'router' THEN 4 WHEN 'firewall' THEN 4 WHEN 'switch' THEN 3"            \
    " WHEN 'ap' THEN 2 ELSE 1 END)"

int inv_neighbor_replace(struct ww_db *db, long long device_id, const char *protocol,
                         const struct inv_neighbor *items, size_t n, time_t now)
{
    sqlite3_stmt *up = NULL, *del = NULL;
    int ret;

    if (strcmp(protocol, "lldp") != 0 && strcmp(protocol, "cdp") != 0)
        return inv_refuse(-EINVAL, "protocol", "not_one_of", "lldp, cdp");
    ret = ww_db_savepoint(db);
    if (ret < 0)
        return ret;
    /* the remote device: by its reported name (sysName, case-blind, or its first DNS
     * label), else by the address we poll it at */
    up = ww_db_prepare(
        db, "INSERT INTO neighbor (device_id, protocol, local_port, remote_key, remote_name,"
            " remote_port, remote_addr, remote_device_id, first_seen, last_seen)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, " REMOTE_DEVICE("?1", "?5", "?7") ", ?8, ?8)"
            " ON CONFLICT (device_id, protocol, local_port, remote_key) DO UPDATE SET"
            " remote_name=excluded.remote_name, remote_port=excluded.remote_port,"
            " remote_addr=excluded.remote_addr, remote_device_id=excluded.remote_device_id,"
            " last_seen=excluded.last_seen");
    del = ww_db_prepare(db, "DELETE FROM neighbor WHERE device_id=?1 AND protocol=?2 AND"
                            " last_seen < ?3");
    if (!up || !del) {
        ret = -EIO;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        const struct inv_neighbor *nb = &items[i];
        const char *key = nb->remote_key && *nb->remote_key ? nb->remote_key : nb->remote_name;
        if (!key || !*key || !nb->local_port)
            continue; /* nothing to know it by */
        sqlite3_reset(up);
        sqlite3_clear_bindings(up);
        sqlite3_bind_int64(up, 1, device_id);
        sqlite3_bind_text(up, 2, protocol, -1, SQLITE_STATIC);
        sqlite3_bind_text(up, 3, nb->local_port, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(up, 4, key, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(up, 5, nb->remote_name ? nb->remote_name : "", -1, SQLITE_TRANSIENT);
        if (nb->remote_port)
            sqlite3_bind_text(up, 6, nb->remote_port, -1, SQLITE_TRANSIENT);
        if (nb->remote_addr)
            sqlite3_bind_text(up, 7, nb->remote_addr, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(up, 8, (sqlite3_int64)now);
        if (sqlite3_step(up) != SQLITE_DONE) {
            ret = ww_error(-EIO, "inventory: neighbour of device %lld: %s", device_id,
                           sqlite3_errmsg(db->sql));
            goto out;
        }
    }
    /* what the device no longer reports is gone */
    sqlite3_bind_int64(del, 1, device_id);
    sqlite3_bind_text(del, 2, protocol, -1, SQLITE_STATIC);
    sqlite3_bind_int64(del, 3, (sqlite3_int64)now);
    ret = sqlite3_step(del) == SQLITE_DONE ? 0 : -EIO;
    if (ret == 0)
        ret = ww_db_release(db);
out:
    sqlite3_finalize(up);
    sqlite3_finalize(del);
    if (ret < 0)
        ww_db_undo(db);
    return ret;
}

int inv_neighbor_resolve(struct ww_db *db)
{
    /* rows written before the device they name had told its sysName */
    return ww_db_exec(db, "UPDATE neighbor SET remote_device_id = "
                          REMOTE_DEVICE("neighbor.device_id", "coalesce(neighbor.remote_name, '')",
                                        "neighbor.remote_addr")
                          " WHERE remote_device_id IS NULL");
}

static void row_grow(struct inv_neighbor_row **items, size_t n, size_t *cap)
{
    if (n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *items = ww_reallocarray(*items, *cap, sizeof(**items));
    }
}

/* the rows of @st (columns: device id and name, protocol, local port, remote name, port and
 * address, remote device id and name, first and last seen; @count_col >= 0: a count(*) OVER
 * () into *out_total) into a heap array */
static int read_rows(struct ww_db *db, sqlite3_stmt *st, int count_col,
                     struct inv_neighbor_row **out_items, size_t *out_n, long long *out_total)
{
    struct inv_neighbor_row *items = NULL;
    size_t n = 0, cap = 0;
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct inv_neighbor_row *r;
        row_grow(&items, n, &cap);
        r = &items[n++];
        memset(r, 0, sizeof(*r));
        r->device_id = sqlite3_column_int64(st, 0);
        r->device_name = ww_db_text(st, 1);
        r->protocol = ww_db_text(st, 2);
        r->local_port = ww_db_text(st, 3);
        r->remote_name = ww_db_text(st, 4);
        r->remote_port = ww_db_text(st, 5);
        r->remote_addr = ww_db_text(st, 6);
        r->remote_device_id = sqlite3_column_int64(st, 7);
        r->remote_device_name = ww_db_text(st, 8);
        r->first_seen = sqlite3_column_int64(st, 9);
        r->last_seen = sqlite3_column_int64(st, 10);
        if (count_col >= 0)
            *out_total = sqlite3_column_int64(st, count_col);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        inv_neighbor_rows_free(items, n);
        return ww_error(-EIO, "inventory: neighbours: %s", sqlite3_errmsg(db->sql));
    }
    *out_items = items;
    *out_n = n;
    return 0;
}

int inv_neighbor_list(struct ww_db *db, long long device_id, struct inv_neighbor_row **out_items,
                      size_t *out_n)
{
    sqlite3_stmt *st = ww_db_prepare(
        db, "SELECT nb.device_id, d.name, nb.protocol, nb.local_port, nb.remote_name,"
            " nb.remote_port, nb.remote_addr, coalesce(nb.remote_device_id, 0), r.name,"
            " nb.first_seen, nb.last_seen"
            " FROM neighbor nb JOIN device d ON d.id = nb.device_id"
            " LEFT JOIN device r ON r.id = nb.remote_device_id"
            " WHERE nb.device_id = ?1 ORDER BY nb.protocol, nb.local_port, nb.remote_key");

    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, device_id);
    return read_rows(db, st, -1, out_items, out_n, NULL);
}

int inv_neighbor_unregistered(struct ww_db *db, long long limit, long long offset,
                              struct inv_neighbor_row **out_items, size_t *out_n,
                              long long *out_total)
{
    sqlite3_stmt *st = ww_db_prepare(
        db, "SELECT nb.device_id, d.name, nb.protocol, nb.local_port, nb.remote_name,"
            " nb.remote_port, nb.remote_addr, 0, NULL, nb.first_seen, nb.last_seen,"
            " count(*) OVER ()"
            " FROM neighbor nb JOIN device d ON d.id = nb.device_id"
            " WHERE nb.remote_device_id IS NULL"
            " ORDER BY nb.last_seen DESC, nb.id LIMIT ?1 OFFSET ?2");
    int ret;

    *out_items = NULL;
    *out_n = 0;
    *out_total = 0;
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, limit);
    sqlite3_bind_int64(st, 2, offset);
    ret = read_rows(db, st, 11, out_items, out_n, out_total);
    /* an offset past the end has no row to carry the count */
    if (ret == 0 && *out_n == 0 && offset > 0)
        ret = inv_int_row(db, "SELECT count(*) FROM neighbor WHERE remote_device_id IS NULL"
                              " AND ?1 = ?1", 0, out_total);
    return ret;
}

int inv_parent_suggestions(struct ww_db *db, struct inv_neighbor_row **out_items, size_t *out_n)
{
    /* every link seen from either side, as (child, uplink); the nearest higher tier wins,
     * then the lowest id, so the answer is stable */
    sqlite3_stmt *st = ww_db_prepare(
        db, "WITH link (child, up, via, cport, uport) AS ("
            "  SELECT nb.remote_device_id, nb.device_id, nb.protocol, nb.remote_port,"
            "   nb.local_port FROM neighbor nb WHERE nb.remote_device_id IS NOT NULL"
            "  UNION ALL"
            "  SELECT nb.device_id, nb.remote_device_id, nb.protocol, nb.local_port,"
            "   nb.remote_port FROM neighbor nb WHERE nb.remote_device_id IS NOT NULL),"
            " ranked AS ("
            "  SELECT c.id AS cid, c.name AS cname, u.id AS uid, u.name AS uname, l.via,"
            "   l.cport, l.uport, row_number() OVER (PARTITION BY c.id ORDER BY " TIER("u.kind")
            "   , u.id, l.via) AS rn"
            "  FROM link l JOIN device c ON c.id = l.child JOIN device u ON u.id = l.up"
            "  WHERE c.parent_id IS NULL AND c.id <> u.id AND " TIER("u.kind") " > "
            TIER("c.kind") ")"
            " SELECT cid, cname, via, cport, uport, uid, uname FROM ranked WHERE rn = 1"
            " ORDER BY cid");
    struct inv_neighbor_row *items = NULL;
    size_t n = 0, cap = 0;
    int rc;

    if (!st)
        return -EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct inv_neighbor_row *r;
        row_grow(&items, n, &cap);
        r = &items[n++];
        memset(r, 0, sizeof(*r));
        r->device_id = sqlite3_column_int64(st, 0);
        r->device_name = ww_db_text(st, 1);
        r->protocol = ww_db_text(st, 2);
        r->local_port = ww_db_text(st, 3);
        r->remote_port = ww_db_text(st, 4);
        r->remote_device_id = sqlite3_column_int64(st, 5);
        r->remote_device_name = ww_db_text(st, 6);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        inv_neighbor_rows_free(items, n);
        return ww_error(-EIO, "inventory: parent suggestions failed: %s",
                        sqlite3_errmsg(db->sql));
    }
    *out_items = items;
    *out_n = n;
    return 0;
}

void inv_neighbor_rows_free(struct inv_neighbor_row *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(items[i].device_name);
        free(items[i].protocol);
        free(items[i].local_port);
        free(items[i].remote_name);
        free(items[i].remote_port);
        free(items[i].remote_addr);
        free(items[i].remote_device_name);
    }
    free(items);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * record.c - a device's records (issue 16): its repairs and maintenance, with their cost, and
 * the history of whom it was assigned to. Repairs change through inv_change_run() (object
 * type "repair"); assignment rows are written by the device change itself, so that no
 * assigned_to changes without its row.
 */
#include "inventory/inventory_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

/* ---- reading rows ------------------------------------------------------------------------ */

/* every row @sql selects for ?1 = @id, each read by @from_row into an item of @size bytes: a
 * heap array in *out_items (NULL when none); 0 or -EIO (nothing kept) */
static int rows_of(struct ww_db *db, const char *sql, long long id, size_t size,
                   void (*from_row)(sqlite3_stmt *st, void *item), void (*release)(void *item),
                   void **out_items, size_t *out_n)
{
    sqlite3_stmt *st = ww_db_prepare(db, sql);
    char *items = NULL;
    size_t n = 0, cap = 0;
    int rc;

    *out_items = NULL;
    *out_n = 0;
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? 2 * cap : 8;
            items = ww_reallocarray(items, cap, size);
        }
        memset(items + n * size, 0, size);
        from_row(st, items + n++ * size);
    }
    if (rc != SQLITE_DONE) {
        ww_error(-EIO, "inventory: records of %lld: %s", id, sqlite3_errmsg(db->sql));
        for (size_t i = 0; i < n; i++)
            release(items + i * size);
        free(items);
        n = 0;
        items = NULL;
    }
    sqlite3_finalize(st);
    *out_items = items;
    *out_n = n;
    return rc == SQLITE_DONE ? 0 : -EIO;
}

/* the one row of id @id into @out (@size bytes); -ENOENT, -EIO */
static int row_of(struct ww_db *db, const char *sql, long long id, size_t size,
                  void (*from_row)(sqlite3_stmt *st, void *item), void (*release)(void *item),
                  void *out)
{
    void *items = NULL;
    size_t n = 0;
    int ret = rows_of(db, sql, id, size, from_row, release, &items, &n);

    memset(out, 0, size);
    if (ret == 0 && n == 0)
        ret = -ENOENT;
    if (ret == 0)
        memcpy(out, items, size);
    for (size_t i = 1; i < n; i++)
        release((char *)items + i * size);
    free(items);
    return ret;
}

/* ---- repairs ---------------------------------------------------------------------------- */

void inv_repair_release(struct inv_repair *r)
{
    free(r->day);
    free(r->work);
    free(r->actor);
    free(r->shop);
    r->day = r->work = r->actor = r->shop = NULL;
}

static int repair_validate(const struct inv_repair *r)
{
    int ret;
    if (!r->day || !*r->day)
        return inv_refuse(-EINVAL, "day", "required", NULL);
    if ((ret = inv_check_date("day", r->day)) < 0 ||
        (ret = inv_check_text("work", r->work, INV_NOTES_MAX, true)) < 0 ||
        (ret = inv_check_text("shop", r->shop, INV_NAME_MAX, false)) < 0)
        return ret;
    if (r->cost_vnd < 0 || r->cost_vnd > INV_VND_ITEM_MAX)
        return inv_refuse(-EINVAL, "cost_vnd", "out_of_range", "0..%lld", INV_VND_ITEM_MAX);
    return 0;
}

int inv_apply_repair_add(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    const struct inv_repair *r = ctx;
    sqlite3_stmt *st;
    int ret = repair_validate(r);

    if (ret < 0)
        return ret;
    if (inv_device_exists(db, r->device_id) < 0)
        return inv_refuse(-EINVAL, "device_id", "no_such", "%lld", r->device_id);
    st = ww_db_prepare(db, "INSERT INTO device_repair (device_id, day, cost_vnd, work, actor,"
                           " shop) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, r->device_id);
    sqlite3_bind_text(st, 2, r->day, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, r->cost_vnd);
    sqlite3_bind_text(st, 4, r->work, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, ch->actor->name, -1, SQLITE_TRANSIENT);
    inv_bind_typed(st, 6, r->shop);
    ret = inv_step_final(db, st, "record");
    if (ret == 0)
        ch->id = sqlite3_last_insert_rowid(db->sql);
    return ret;
}

int inv_apply_repair_update(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    const struct inv_repair *r = ctx;
    sqlite3_stmt *st;
    int ret = repair_validate(r);

    if (ret < 0)
        return ret;
    st = ww_db_prepare(db, "UPDATE device_repair SET day=?2, cost_vnd=?3, work=?4, shop=?5"
                           " WHERE id=?1");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, ch->id);
    sqlite3_bind_text(st, 2, r->day, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, r->cost_vnd);
    sqlite3_bind_text(st, 4, r->work, -1, SQLITE_TRANSIENT);
    inv_bind_typed(st, 5, r->shop);
    ret = inv_changed(db, inv_step(db, st, "record"));
    sqlite3_finalize(st);
    return ret;
}

int inv_apply_repair_remove(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    (void)ctx;
    return inv_delete_row(db, "DELETE FROM device_repair WHERE id=?1", ch->id);
}

int inv_repair_snapshot(struct ww_db *db, long long id, char **out_json)
{
    return inv_json_row(db,
                        "SELECT json_object('id', id, 'device_id', device_id, 'day', day,"
                        " 'cost_vnd', cost_vnd, 'work', work, 'actor', actor, 'shop', shop)"
                        " FROM device_repair WHERE id=?1",
                        id, out_json);
}

static void repair_release(void *item)
{
    inv_repair_release(item);
}

#define REPAIR_COLS "id, device_id, day, cost_vnd, work, actor, shop FROM device_repair"

static void repair_from_row(sqlite3_stmt *st, void *item)
{
    struct inv_repair *r = item;
    r->id = sqlite3_column_int64(st, 0);
    r->device_id = sqlite3_column_int64(st, 1);
    r->day = ww_db_text(st, 2);
    r->cost_vnd = sqlite3_column_int64(st, 3);
    r->work = ww_db_text(st, 4);
    r->actor = ww_db_text(st, 5);
    r->shop = ww_db_text(st, 6);
}

int inv_repair_get(struct ww_db *db, long long id, struct inv_repair *out)
{
    return row_of(db, "SELECT " REPAIR_COLS " WHERE id=?1", id, sizeof(*out), repair_from_row,
                  repair_release, out);
}

int inv_repair_list(struct ww_db *db, long long device_id, struct inv_repair **out_items,
                    size_t *out_n)
{
    return rows_of(db, "SELECT " REPAIR_COLS " WHERE device_id=?1 ORDER BY day DESC, id DESC",
                   device_id, sizeof(**out_items), repair_from_row, repair_release,
                   (void **)out_items, out_n);
}

void inv_repair_list_free(struct inv_repair *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        inv_repair_release(&items[i]);
    free(items);
}

int inv_repair_cost_sum(struct ww_db *db, long long device_id, long long *out_vnd)
{
    *out_vnd = 0;
    return inv_int_row(db, "SELECT coalesce(sum(cost_vnd), 0) FROM device_repair"
                           " WHERE device_id=?1",
                       device_id, out_vnd);
}

/* ---- the assignment history ------------------------------------------------------------- */

/* the history after the holder went from @old to @now (both "" for nobody) */
static int assignment_step(struct ww_db *db, long long device_id, const char *old,
                           const char *now, const char *actor)
{
    sqlite3_stmt *st;
    int ret;

    if (strcmp(old, now) == 0) {
        /* the same name: the open row takes the device's staff link as it is now (a name
         * typed before staff records, then linked to that person's record) */
        st = ww_db_prepare(db, "UPDATE device_assignment SET staff_id = (SELECT"
                               " assigned_staff_id FROM device WHERE id=?1) WHERE"
                               " device_id=?1 AND to_day IS NULL");
        if (!st)
            return -EIO;
        sqlite3_bind_int64(st, 1, device_id);
        return inv_step_final(db, st, "record");
    }
    /* the day is the office's (local time), as on the handover record */
    st = ww_db_prepare(db, "UPDATE device_assignment SET to_day = " INV_TODAY_SQL
                           " WHERE device_id=?1 AND to_day IS NULL");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, device_id);
    ret = inv_step_final(db, st, "record");
    if (ret < 0 || !*now)
        return ret;
    st = ww_db_prepare(db, "INSERT INTO device_assignment (device_id, assigned_to, from_day,"
                           " actor, staff_id) VALUES (?1, ?2, " INV_TODAY_SQL ", ?3, (SELECT"
                           " assigned_staff_id FROM device WHERE id=?1))");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, device_id);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, actor ? actor : "", -1, SQLITE_TRANSIENT);
    return inv_step_final(db, st, "record");
}


int inv_assignment_record(struct ww_db *db, long long device_id, const char *old,
                          const char *actor)
{
    char *stored = NULL;
    int ret;

    /* the holder as written (a staff record's name when the device names one) */
    if ((ret = inv_json_row(db, "SELECT assigned_to FROM device WHERE id=?1", device_id,
                            &stored)) == 0)
        ret = assignment_step(db, device_id, old ? old : "", stored ? stored : "", actor);
    free(stored);
    return ret;
}

#define ASSIGN_COLS                                                                            \
    "id, device_id, assigned_to, from_day, to_day, actor, note FROM device_assignment"

static void assignment_from_row(sqlite3_stmt *st, void *item)
{
    struct inv_assignment *a = item;
    a->id = sqlite3_column_int64(st, 0);
    a->device_id = sqlite3_column_int64(st, 1);
    a->assigned_to = ww_db_text(st, 2);
    a->from_day = ww_db_text(st, 3);
    a->to_day = ww_db_text(st, 4);
    a->actor = ww_db_text(st, 5);
    a->note = ww_db_text(st, 6);
}

void inv_assignment_release(struct inv_assignment *a)
{
    free(a->assigned_to);
    free(a->from_day);
    free(a->to_day);
    free(a->actor);
    free(a->note);
    memset(a, 0, sizeof(*a));
}

static void assignment_release(void *item)
{
    inv_assignment_release(item);
}

int inv_assignment_get(struct ww_db *db, long long id, struct inv_assignment *out)
{
    return row_of(db, "SELECT " ASSIGN_COLS " WHERE id=?1", id, sizeof(*out),
                  assignment_from_row, assignment_release, out);
}

int inv_assignment_list(struct ww_db *db, long long device_id, struct inv_assignment **out_items,
                        size_t *out_n)
{
    return rows_of(db, "SELECT " ASSIGN_COLS " WHERE device_id=?1 ORDER BY id", device_id,
                   sizeof(**out_items), assignment_from_row, assignment_release,
                   (void **)out_items, out_n);
}

void inv_assignment_list_free(struct inv_assignment *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        inv_assignment_release(&items[i]);
    free(items);
}

int inv_device_unit_name(struct ww_db *db, long long device_id, char **out_name)
{
    return inv_json_row(db, "SELECT u.name FROM device d JOIN org_unit u ON u.id = d.unit_id"
                            " WHERE d.id=?1",
                        device_id, out_name);
}

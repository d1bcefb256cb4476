/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * unit.c - org units with their history (issue 16): the tree (add, change, remove; a code
 * names one unit, compared as names are; no loops), the merger of a unit into another on a
 * day as one audited change, the units as they were on a day, each device's unit over time
 * (device_unit, schema v14) and locations with their kind.
 *
 * DESIGN: a unit is never deleted by a merger: it ends (valid_to = the day, merged_into =
 * the target), and what hung on it moves in the same change - its devices (device.unit_id,
 * their device_unit row closed on the day and a new one opened with reason "merger"), its
 * child units and its locations. device_unit rows are [from_day, to_day): a report for a
 * past day reads them, never device.unit_id, which is only "now". Every write here is an
 * @apply of inv_change_run(), or is called from one (inv_device_place), so nothing moves
 * without its audit entry.
 */
#include "inventory/inventory_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

const char *const inv_unit_levels[] = {"province", "ward", "department", NULL};
const char *const inv_location_kinds[] = {"room", "counter", "store", "server_room", "other",
                                          NULL};

static bool one_of(const char *s, const char *const *list)
{
    for (size_t i = 0; s && list[i]; i++)
        if (strcmp(s, list[i]) == 0)
            return true;
    return false;
}

/* "today" as the office sees it, as the assignment history counts days (record.c) */

/* ---- units ------------------------------------------------------------------------------ */

void inv_unit_release(struct inv_unit *u)
{
    char **strs[] = {&u->code,       &u->name,        &u->level,
                     &u->valid_from, &u->valid_to,    &u->parent_name,
                     &u->merged_into_name};
    for (size_t i = 0; i < WW_ARRAY_SIZE(strs); i++) {
        free(*strs[i]);
        *strs[i] = NULL;
    }
}

void inv_unit_list_free(struct inv_unit *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        inv_unit_release(&items[i]);
    free(items);
}

int inv_unit_validate(const struct inv_unit *u)
{
    int ret;

    if ((ret = inv_check_text("unit_code", u->code, INV_UNIT_CODE_MAX, true)) < 0 ||
        (ret = inv_check_text("unit_name", u->name, INV_NAME_MAX, true)) < 0 ||
        (ret = inv_check_date("valid_from", u->valid_from)) < 0)
        return ret;
    if (u->level && !one_of(u->level, inv_unit_levels))
        return inv_refuse(-EINVAL, "level", "not_one_of", "province, ward, department");
    if (u->parent_id < 0)
        return inv_refuse(-EINVAL, "parent_unit", "not_id", NULL);
    return 0;
}

int inv_unit_code_taken(struct ww_db *db, const char *code, long long except_id)
{
    sqlite3_stmt *st;
    char *key;
    int rc, ret = 0;

    if (!code || !*code)
        return 0;
    st = ww_db_prepare(db, "SELECT id, code FROM org_unit WHERE code IS NOT NULL AND id != ?1");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, except_id);
    key = ww_name_key(code);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char *k = ww_name_key((const char *)sqlite3_column_text(st, 1));
        bool same = strcmp(k, key) == 0;
        free(k);
        if (same) {
            ret = inv_refuse(-EEXIST, "unit_code", "exists", "#%lld", sqlite3_column_int64(st, 0));
            break;
        }
    }
    if (ret == 0 && rc != SQLITE_DONE)
        ret = ww_error(-EIO, "inventory: unit codes: %s", sqlite3_errmsg(db->sql));
    free(key);
    sqlite3_finalize(st);
    return ret;
}

/* the unit's merged_into (0 none) in *out; -ENOENT, -EIO */
static int unit_merged_into(struct ww_db *db, long long id, long long *out)
{
    return inv_int_row(db, "SELECT coalesce(merged_into, 0) FROM org_unit WHERE id=?1", id, out);
}

/* a unit something may hang on: it exists and was not merged; @field names the refusal */
static int unit_usable(struct ww_db *db, long long id, const char *field)
{
    long long merged = 0;
    int ret = unit_merged_into(db, id, &merged);

    if (ret == -ENOENT)
        return inv_refuse(-EINVAL, field, "no_such", "%lld", id);
    if (ret < 0)
        return ret;
    if (merged)
        return inv_refuse(-EINVAL, field, "unit_merged", "#%lld", merged);
    return 0;
}

/* @parent may be the parent of unit @id (0 for a new one): usable, not itself, no loop */
static int check_parent(struct ww_db *db, long long id, long long parent)
{
    long long cur = parent;
    int ret, depth = 0;

    if (!parent)
        return 0;
    if (parent == id)
        return inv_refuse(-EINVAL, "parent_unit", "own_unit", NULL);
    if ((ret = unit_usable(db, parent, "parent_unit")) < 0)
        return ret;
    /* a new unit (id 0) cannot be its own ancestor, but its depth is checked all the same */
    while (cur) {
        if (id && cur == id)
            return inv_refuse(-EINVAL, "parent_unit", "unit_loop", NULL);
        if (++depth > INV_PARENT_DEPTH_MAX)
            return inv_refuse(-EINVAL, "parent_unit", "unit_too_deep", "%d",
                              INV_PARENT_DEPTH_MAX);
        ret = inv_int_row(db, "SELECT coalesce(parent_id, 0) FROM org_unit WHERE id=?1", cur,
                          &cur);
        if (ret < 0)
            return ret == -ENOENT ? 0 : ret;
    }
    return 0;
}

static void unit_bind(sqlite3_stmt *st, const struct inv_unit *u)
{
    inv_bind_id(st, 1, u->parent_id);
    inv_bind_typed(st, 2, u->code);
    inv_bind_text(st, 3, u->name);
    inv_bind_text(st, 4, u->level && *u->level ? u->level : "ward");
    inv_bind_typed(st, 5, u->valid_from);
}

int inv_unit_insert(struct ww_db *db, const struct inv_unit *u, long long *out_id)
{
    sqlite3_stmt *st;
    int ret = inv_unit_validate(u);

    if (ret < 0)
        return ret;
    st = ww_db_prepare(db, "INSERT INTO org_unit (parent_id, code, name, level, valid_from)"
                           " VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st)
        return -EIO;
    unit_bind(st, u);
    ret = inv_step_final(db, st, "unit_code");
    if (ret == 0)
        *out_id = sqlite3_last_insert_rowid(db->sql);
    return ret;
}

int inv_apply_unit_add(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    const struct inv_unit *u = ctx;
    int ret = inv_unit_validate(u);

    if (ret == 0)
        ret = inv_unit_code_taken(db, u->code, 0);
    if (ret == 0)
        ret = check_parent(db, 0, u->parent_id);
    if (ret == 0)
        ret = inv_unit_insert(db, u, &ch->id);
    return ret;
}

int inv_apply_unit_update(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    const struct inv_unit *u = ctx;
    long long old_parent = 0;
    sqlite3_stmt *st;
    int ret = inv_unit_validate(u);

    if (ret == 0)
        ret = inv_int_row(db, "SELECT coalesce(parent_id, 0) FROM org_unit WHERE id=?1", ch->id,
                          &old_parent);
    if (ret == 0)
        ret = inv_unit_code_taken(db, u->code, ch->id);
    /* an unchanged parent is never refused: a merged unit keeps its place in the past */
    if (ret == 0 && u->parent_id != old_parent)
        ret = check_parent(db, ch->id, u->parent_id);
    if (ret < 0)
        return ret;
    st = ww_db_prepare(db, "UPDATE org_unit SET parent_id=?1, code=?2, name=?3, level=?4,"
                           " valid_from=?5 WHERE id=?6");
    if (!st)
        return -EIO;
    unit_bind(st, u);
    sqlite3_bind_int64(st, 6, ch->id);
    ret = inv_changed(db, inv_step(db, st, "unit_code"));
    sqlite3_finalize(st);
    return ret;
}

/* how many rows @sql (a literal with ?1) counts for record @id */
static int count_of(struct ww_db *db, const char *sql, long long id, long long *out)
{
    *out = 0;
    return inv_int_row(db, sql, id, out);
}

/* what keeps a record from being removed: a count and its refusal */
struct hold {
    const char *sql, *reason;
};

/* remove record @id with @delete_sql unless one of @holds counts rows for it */
static int remove_unless_held(struct ww_db *db, long long id, const struct hold *holds,
                              size_t n_holds, const char *delete_sql)
{
    long long n;
    int ret;

    for (size_t i = 0; i < n_holds; i++) {
        if ((ret = count_of(db, holds[i].sql, id, &n)) < 0)
            return ret;
        if (n > 0)
            return inv_refuse(-EINVAL, "record", holds[i].reason, "%lld", n);
    }
    return inv_delete_row(db, delete_sql, id);
}

int inv_apply_unit_remove(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    static const struct hold holds[] = {
        {"SELECT count(*) FROM device WHERE unit_id=?1", "has_devices"},
        {"SELECT count(*) FROM org_unit WHERE parent_id=?1", "has_children"},
        {"SELECT count(*) FROM location WHERE unit_id=?1", "has_locations"},
        /* a past that reports read: devices that were in it, units merged into it */
        {"SELECT (SELECT count(*) FROM device_unit WHERE unit_id=?1)"
         " + (SELECT count(*) FROM org_unit WHERE merged_into=?1)",
         "has_history"},
    };

    (void)ctx;
    return remove_unless_held(db, ch->id, holds, WW_ARRAY_SIZE(holds),
                              "DELETE FROM org_unit WHERE id=?1");
}

int inv_unit_snapshot(struct ww_db *db, long long id, char **out_json)
{
    /* what hangs on it is counted, so a merger's entry shows what moved */
    return inv_json_row(db,
                        "SELECT json_object('id', u.id, 'code', u.code, 'name', u.name,"
                        " 'level', u.level, 'parent_id', u.parent_id, 'valid_from',"
                        " u.valid_from, 'valid_to', u.valid_to, 'merged_into', u.merged_into,"
                        " 'devices', (SELECT count(*) FROM device d WHERE d.unit_id = u.id),"
                        " 'children', (SELECT count(*) FROM org_unit c WHERE c.parent_id = u.id),"
                        " 'locations', (SELECT count(*) FROM location l WHERE l.unit_id = u.id))"
                        " FROM org_unit u WHERE u.id=?1",
                        id, out_json);
}

/* ---- a device's unit over time ---------------------------------------------------------- */

/* device @device_id belongs to @unit_id (0 = none) from @day (NULL: today): its open row
 * ends on that day and a new one opens (a row that would be empty is dropped) */
static int device_unit_move(struct ww_db *db, long long device_id, long long unit_id,
                            const char *day, const char *reason, const char *actor)
{
    sqlite3_stmt *st;
    int ret;

    st = ww_db_prepare(db, "DELETE FROM device_unit WHERE device_id=?1 AND to_day IS NULL"
                           " AND from_day >= coalesce(?2, " INV_TODAY_SQL ")");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, device_id);
    inv_bind_text(st, 2, day);
    if ((ret = inv_step_final(db, st, "record")) < 0)
        return ret;
    st = ww_db_prepare(db, "UPDATE device_unit SET to_day = coalesce(?2, " INV_TODAY_SQL ")"
                           " WHERE device_id=?1 AND to_day IS NULL");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, device_id);
    inv_bind_text(st, 2, day);
    if ((ret = inv_step_final(db, st, "record")) < 0 || unit_id <= 0)
        return ret;
    st = ww_db_prepare(db, "INSERT INTO device_unit (device_id, unit_id, from_day, reason, actor)"
                           " VALUES (?1, ?2, coalesce(?3, " INV_TODAY_SQL "), ?4, ?5)");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, device_id);
    sqlite3_bind_int64(st, 2, unit_id);
    inv_bind_text(st, 3, day);
    sqlite3_bind_text(st, 4, reason, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, actor ? actor : "", -1, SQLITE_TRANSIENT);
    return inv_step_final(db, st, "record");
}

int inv_device_place(struct ww_db *db, long long device_id, long long unit_id,
                     long long location_id, const char *actor)
{
    long long old_unit = 0, old_loc = 0, one;
    sqlite3_stmt *st;
    int ret;

    if ((ret = inv_int_row(db, "SELECT coalesce(unit_id, 0) FROM device WHERE id=?1",
                           device_id, &old_unit)) < 0 ||
        (ret = inv_int_row(db, "SELECT coalesce(location_id, 0) FROM device WHERE id=?1",
                           device_id, &old_loc)) < 0)
        return ret;
    if (unit_id < 0)
        return inv_refuse(-EINVAL, "unit_id", "not_id", NULL);
    if (location_id < 0)
        return inv_refuse(-EINVAL, "location_id", "not_id", NULL);
    if (unit_id == old_unit && location_id == old_loc)
        return 0;
    /* a merged unit gets no devices; one already in it (before the rule) stays */
    if (unit_id && unit_id != old_unit && (ret = unit_usable(db, unit_id, "unit_id")) < 0)
        return ret;
    if (location_id && location_id != old_loc) {
        ret = inv_int_row(db, "SELECT 1 FROM location WHERE id=?1", location_id, &one);
        if (ret == -ENOENT)
            return inv_refuse(-EINVAL, "location_id", "no_such", "%lld", location_id);
        if (ret < 0)
            return ret;
    }
    st = ww_db_prepare(db, "UPDATE device SET unit_id=?2, location_id=?3 WHERE id=?1");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, device_id);
    inv_bind_id(st, 2, unit_id);
    inv_bind_id(st, 3, location_id);
    if ((ret = inv_step_final(db, st, "unit_id")) < 0)
        return ret;
    if (unit_id != old_unit)
        ret = device_unit_move(db, device_id, unit_id, NULL, "set", actor);
    return ret;
}

int inv_device_unit_at(struct ww_db *db, long long device_id, const char *day,
                       long long *out_unit_id)
{
    sqlite3_stmt *st;
    int rc;

    *out_unit_id = 0;
    if (!day || inv_check_date("day", day) < 0 || !*day)
        return inv_refuse(-EINVAL, "day", "not_date", NULL);
    st = ww_db_stmt(db, "SELECT coalesce(unit_id, 0) FROM device_unit WHERE device_id=?1"
                        " AND from_day <= ?2 AND (to_day IS NULL OR ?2 < to_day)"
                        " ORDER BY from_day DESC LIMIT 1");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, device_id);
    sqlite3_bind_text(st, 2, day, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out_unit_id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE
               ? 0
               : ww_error(-EIO, "inventory: unit of device %lld: %s", device_id,
                          sqlite3_errmsg(db->sql));
}

int inv_device_units_at(struct ww_db *db, const char *day, struct inv_device_unit **out_items,
                        size_t *out_n)
{
    struct inv_device_unit *items = NULL;
    size_t n = 0, cap = 0;
    sqlite3_stmt *st;
    int rc;

    *out_items = NULL;
    *out_n = 0;
    if (!day || inv_check_date("day", day) < 0 || !*day)
        return inv_refuse(-EINVAL, "day", "not_date", NULL);
    /* one row per device: the latest row that covers the day */
    st = ww_db_prepare(db, "SELECT device_id, unit_id FROM device_unit du"
                           " WHERE from_day <= ?1 AND (to_day IS NULL OR ?1 < to_day)"
                           " AND unit_id IS NOT NULL AND id = (SELECT id FROM device_unit x"
                           "  WHERE x.device_id = du.device_id AND x.from_day <= ?1"
                           "  AND (x.to_day IS NULL OR ?1 < x.to_day)"
                           "  ORDER BY x.from_day DESC, x.id DESC LIMIT 1)"
                           " ORDER BY device_id");
    if (!st)
        return -EIO;
    sqlite3_bind_text(st, 1, day, -1, SQLITE_TRANSIENT);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            items = ww_reallocarray(items, cap, sizeof(*items));
        }
        items[n].device_id = sqlite3_column_int64(st, 0);
        items[n++].unit_id = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free(items);
        return ww_error(-EIO, "inventory: units of devices on %s: %s", day,
                        sqlite3_errmsg(db->sql));
    }
    *out_items = items;
    *out_n = n;
    return 0;
}

/* ---- the merger ------------------------------------------------------------------------- */

int inv_apply_unit_merge(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    const struct inv_unit_merge *m = ctx;
    long long from = ch->id, merged = 0, cur;
    char *from_start = NULL;
    sqlite3_stmt *st = NULL;
    int ret, rc, depth = 0;

    if (!m->day || !*m->day)
        return inv_refuse(-EINVAL, "day", "required", NULL);
    if ((ret = inv_check_date("day", m->day)) < 0)
        return ret;
    if (m->into <= 0)
        return inv_refuse(-EINVAL, "into", "required", NULL);
    if (m->into == from)
        return inv_refuse(-EINVAL, "into", "own_unit", NULL);
    if ((ret = unit_merged_into(db, from, &merged)) < 0)
        return ret;
    if (merged)
        return inv_refuse(-EINVAL, "record", "unit_merged", "#%lld", merged);
    if ((ret = unit_usable(db, m->into, "into")) < 0)
        return ret;
    /* the target may not sit under the unit (its children would hang on themselves) */
    for (cur = m->into; cur;) {
        if (cur == from)
            return inv_refuse(-EINVAL, "into", "unit_loop", NULL);
        /* a chain longer than the limit (a unit and INV_PARENT_DEPTH_MAX ancestors, as
         * check_parent() allows) is refused, never taken as loop-free */
        if (++depth > INV_PARENT_DEPTH_MAX + 1)
            return inv_refuse(-EINVAL, "into", "unit_too_deep", "%d", INV_PARENT_DEPTH_MAX);
        ret = inv_int_row(db, "SELECT coalesce(parent_id, 0) FROM org_unit WHERE id=?1", cur,
                          &cur);
        if (ret == -ENOENT)
            break;
        if (ret < 0)
            return ret;
    }
    /* a unit ends after it began */
    if ((ret = inv_json_row(db, "SELECT valid_from FROM org_unit WHERE id=?1", from,
                            &from_start)) < 0)
        return ret;
    if (from_start && strcmp(m->day, from_start) <= 0) {
        ret = inv_refuse(-EINVAL, "day", "not_after", "%s", from_start);
        free(from_start);
        return ret;
    }
    free(from_start);
    /* and moves into a unit that exists on that day (the tree of the day shows it) */
    if ((ret = inv_json_row(db, "SELECT valid_from FROM org_unit WHERE id=?1", m->into,
                            &from_start)) < 0)
        return ret;
    if (from_start && strcmp(m->day, from_start) < 0) {
        ret = inv_refuse(-EINVAL, "into", "unit_not_yet", "%s", from_start);
        free(from_start);
        return ret;
    }
    free(from_start);

    st = ww_db_prepare(db, "UPDATE org_unit SET valid_to=?2, merged_into=?3 WHERE id=?1");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_text(st, 2, m->day, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, m->into);
    if ((ret = inv_changed(db, inv_step_final(db, st, "record"))) < 0)
        return ret;
    /* its devices: each one's history row closed on the day, a new one opened */
    st = ww_db_prepare(db, "SELECT id FROM device WHERE unit_id=?1 ORDER BY id");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, from);
    {
        long long *ids = NULL;
        size_t n = 0, cap = 0;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (n == cap) {
                cap = cap ? 2 * cap : 32;
                ids = ww_reallocarray(ids, cap, sizeof(*ids));
            }
            ids[n++] = sqlite3_column_int64(st, 0);
        }
        sqlite3_finalize(st);
        ret = rc == SQLITE_DONE ? 0 : ww_error(-EIO, "inventory: merger: devices: %s",
                                               sqlite3_errmsg(db->sql));
        for (size_t i = 0; i < n && ret == 0; i++)
            ret = device_unit_move(db, ids[i], m->into, m->day, "merger", ch->actor->name);
        free(ids);
    }
    if (ret < 0)
        return ret;
    {
        static const char *const moves[] = {
            "UPDATE device SET unit_id=?2 WHERE unit_id=?1",
            "UPDATE org_unit SET parent_id=?2 WHERE parent_id=?1",
            "UPDATE location SET unit_id=?2 WHERE unit_id=?1",
        };
        for (size_t i = 0; i < WW_ARRAY_SIZE(moves) && ret == 0; i++) {
            st = ww_db_prepare(db, moves[i]);
            if (!st)
                return -EIO;
            sqlite3_bind_int64(st, 1, from);
            sqlite3_bind_int64(st, 2, m->into);
            ret = inv_step_final(db, st, "record");
        }
    }
    return ret;
}

int inv_unit_merge(struct ww_db *db, long long from, long long into, const char *day,
                   const struct inv_actor *actor)
{
    struct inv_unit_merge m = {into, day};
    struct inv_change ch = {.actor = actor, .action = "unit.merge", .object_type = "unit",
                            .id = from, .apply = inv_apply_unit_merge, .ctx = &m};
    int ret = inv_change_run(db, &ch);

    free(ch.after);
    return ret;
}

/* ---- reading units ---------------------------------------------------------------------- */

#define UNIT_COLS                                                                              \
    "u.id, coalesce(u.parent_id, 0), u.code, u.name, u.level, u.valid_from, u.valid_to,"      \
    " coalesce(u.merged_into, 0), (SELECT p.name FROM org_unit p WHERE p.id = u.parent_id),"   \
    " (SELECT m.name FROM org_unit m WHERE m.id = u.merged_into),"                             \
    " (SELECT count(*) FROM device d WHERE d.unit_id = u.id)"                                  \
    " FROM org_unit u"

static void unit_from_row(sqlite3_stmt *st, struct inv_unit *u)
{
    memset(u, 0, sizeof(*u));
    u->id = sqlite3_column_int64(st, 0);
    u->parent_id = sqlite3_column_int64(st, 1);
    u->code = ww_db_text(st, 2);
    u->name = ww_db_text(st, 3);
    u->level = ww_db_text(st, 4);
    u->valid_from = ww_db_text(st, 5);
    u->valid_to = ww_db_text(st, 6);
    u->merged_into = sqlite3_column_int64(st, 7);
    u->parent_name = ww_db_text(st, 8);
    u->merged_into_name = ww_db_text(st, 9);
    u->devices = sqlite3_column_int64(st, 10);
}

struct keyed_unit {
    char *key;
    struct inv_unit u;
};

static int keyed_cmp(const void *a, const void *b)
{
    const struct keyed_unit *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->u.id < y->u.id ? -1 : x->u.id > y->u.id);
}

/* the units @st selects, by name as people compare them (ww_name_key) */
static int units_of(struct ww_db *db, sqlite3_stmt *st, struct inv_unit **out_items,
                    size_t *out_n)
{
    struct keyed_unit *k = NULL;
    size_t n = 0, cap = 0;
    int rc;

    *out_items = NULL;
    *out_n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? 2 * cap : 32;
            k = ww_reallocarray(k, cap, sizeof(*k));
        }
        unit_from_row(st, &k[n].u);
        k[n].key = ww_name_key(k[n].u.name);
        n++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        for (size_t i = 0; i < n; i++) {
            free(k[i].key);
            inv_unit_release(&k[i].u);
        }
        free(k);
        return ww_error(-EIO, "inventory: units: %s", sqlite3_errmsg(db->sql));
    }
    if (n > 1)
        qsort(k, n, sizeof(*k), keyed_cmp);
    if (n) {
        *out_items = ww_calloc(n, sizeof(**out_items));
        for (size_t i = 0; i < n; i++) {
            (*out_items)[i] = k[i].u;
            free(k[i].key);
        }
    }
    free(k);
    *out_n = n;
    return 0;
}

int inv_unit_get(struct ww_db *db, long long id, struct inv_unit *out)
{
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT " UNIT_COLS " WHERE u.id=?1");
    int rc;

    memset(out, 0, sizeof(*out));
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        unit_from_row(st, out);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : -EIO;
}

int inv_units_at(struct ww_db *db, const char *day, struct inv_unit **out_items, size_t *out_n)
{
    sqlite3_stmt *st;

    *out_items = NULL;
    *out_n = 0;
    if (day && (inv_check_date("day", day) < 0 || !*day))
        return inv_refuse(-EINVAL, "day", "not_date", NULL);
    st = ww_db_prepare(db, "SELECT " UNIT_COLS " WHERE ?1 IS NULL OR"
                           " ((u.valid_from IS NULL OR u.valid_from <= ?1)"
                           "  AND (u.valid_to IS NULL OR ?1 < u.valid_to))");
    if (!st)
        return -EIO;
    inv_bind_text(st, 1, day);
    return units_of(db, st, out_items, out_n);
}

int inv_unit_history(struct ww_db *db, long long id, struct inv_unit **out_items, size_t *out_n)
{
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT " UNIT_COLS " WHERE u.merged_into=?1");

    *out_items = NULL;
    *out_n = 0;
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    return units_of(db, st, out_items, out_n);
}

int inv_unit_devices_at(struct ww_db *db, long long id, const char *day, long long *out_n)
{
    sqlite3_stmt *st;
    int rc;

    *out_n = 0;
    if (!day) /* now */
        return count_of(db, "SELECT count(*) FROM device WHERE unit_id=?1", id, out_n);
    if (inv_check_date("day", day) < 0 || !*day)
        return inv_refuse(-EINVAL, "day", "not_date", NULL);
    st = ww_db_prepare(db, "SELECT count(DISTINCT device_id) FROM device_unit WHERE unit_id=?1"
                           " AND from_day <= ?2 AND (to_day IS NULL OR ?2 < to_day)");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, day, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out_n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -EIO;
}

/* ---- locations -------------------------------------------------------------------------- */

void inv_location_release(struct inv_location *l)
{
    char **strs[] = {&l->name, &l->address, &l->building, &l->room, &l->kind, &l->unit_name};
    for (size_t i = 0; i < WW_ARRAY_SIZE(strs); i++) {
        free(*strs[i]);
        *strs[i] = NULL;
    }
}

void inv_location_list_free(struct inv_location *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        inv_location_release(&items[i]);
    free(items);
}

static int location_validate(struct ww_db *db, const struct inv_location *l, long long old_unit)
{
    int ret;

    if ((ret = inv_check_text("location_name", l->name, INV_NAME_MAX, true)) < 0 ||
        (ret = inv_check_text("address", l->address, INV_NAME_MAX, false)) < 0 ||
        (ret = inv_check_text("building", l->building, INV_NAME_MAX, false)) < 0 ||
        (ret = inv_check_text("room", l->room, INV_NAME_MAX, false)) < 0)
        return ret;
    if (l->kind && *l->kind && !one_of(l->kind, inv_location_kinds))
        return inv_refuse(-EINVAL, "kind", "not_one_of",
                          "room, counter, store, server_room, other");
    if (l->unit_id < 0)
        return inv_refuse(-EINVAL, "unit_id", "not_id", NULL);
    if (l->unit_id && l->unit_id != old_unit)
        return unit_usable(db, l->unit_id, "unit_id");
    return 0;
}

static void location_bind(sqlite3_stmt *st, const struct inv_location *l)
{
    inv_bind_id(st, 1, l->unit_id);
    inv_bind_text(st, 2, l->name);
    inv_bind_typed(st, 3, l->address);
    inv_bind_typed(st, 4, l->building);
    inv_bind_typed(st, 5, l->room);
    inv_bind_text(st, 6, l->kind && *l->kind ? l->kind : "room");
}

int inv_apply_location_add(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    const struct inv_location *l = ctx;
    sqlite3_stmt *st;
    int ret = location_validate(db, l, 0);

    if (ret < 0)
        return ret;
    st = ww_db_prepare(db, "INSERT INTO location (unit_id, name, address, building, room, kind)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st)
        return -EIO;
    location_bind(st, l);
    ret = inv_step_final(db, st, "record");
    if (ret == 0)
        ch->id = sqlite3_last_insert_rowid(db->sql);
    return ret;
}

int inv_apply_location_update(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    const struct inv_location *l = ctx;
    long long old_unit = 0;
    sqlite3_stmt *st;
    int ret = inv_int_row(db, "SELECT coalesce(unit_id, 0) FROM location WHERE id=?1", ch->id,
                          &old_unit);

    if (ret == 0)
        ret = location_validate(db, l, old_unit);
    if (ret < 0)
        return ret;
    st = ww_db_prepare(db, "UPDATE location SET unit_id=?1, name=?2, address=?3, building=?4,"
                           " room=?5, kind=?6 WHERE id=?7");
    if (!st)
        return -EIO;
    location_bind(st, l);
    sqlite3_bind_int64(st, 7, ch->id);
    ret = inv_changed(db, inv_step(db, st, "record"));
    sqlite3_finalize(st);
    return ret;
}

int inv_apply_location_remove(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    static const struct hold holds[] = {
        {"SELECT count(*) FROM device WHERE location_id=?1", "has_devices"},
    };

    (void)ctx;
    return remove_unless_held(db, ch->id, holds, WW_ARRAY_SIZE(holds),
                              "DELETE FROM location WHERE id=?1");
}

int inv_location_snapshot(struct ww_db *db, long long id, char **out_json)
{
    return inv_json_row(db,
                        "SELECT json_object('id', id, 'unit_id', unit_id, 'name', name,"
                        " 'address', address, 'building', building, 'room', room, 'kind', kind)"
                        " FROM location WHERE id=?1",
                        id, out_json);
}

#define LOCATION_COLS                                                                          \
    "l.id, coalesce(l.unit_id, 0), l.name, l.address, l.building, l.room, l.kind,"            \
    " (SELECT u.name FROM org_unit u WHERE u.id = l.unit_id) FROM location l"

static int locations_of(struct ww_db *db, sqlite3_stmt *st, struct inv_location **out_items,
                        size_t *out_n)
{
    struct inv_location *items = NULL;
    size_t n = 0, cap = 0;
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct inv_location *l;
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            items = ww_reallocarray(items, cap, sizeof(*items));
        }
        l = &items[n++];
        l->id = sqlite3_column_int64(st, 0);
        l->unit_id = sqlite3_column_int64(st, 1);
        l->name = ww_db_text(st, 2);
        l->address = ww_db_text(st, 3);
        l->building = ww_db_text(st, 4);
        l->room = ww_db_text(st, 5);
        l->kind = ww_db_text(st, 6);
        l->unit_name = ww_db_text(st, 7);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        inv_location_list_free(items, n);
        return ww_error(-EIO, "inventory: locations: %s", sqlite3_errmsg(db->sql));
    }
    *out_items = items;
    *out_n = n;
    return 0;
}

int inv_location_get(struct ww_db *db, long long id, struct inv_location *out)
{
    struct inv_location *items = NULL;
    size_t n = 0;
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT " LOCATION_COLS " WHERE l.id=?1");
    int ret;

    memset(out, 0, sizeof(*out));
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    ret = locations_of(db, st, &items, &n);
    if (ret == 0 && n == 0)
        ret = -ENOENT;
    if (ret == 0)
        *out = items[0];
    free(items);
    return ret;
}

int inv_location_list(struct ww_db *db, long long unit_id, struct inv_location **out_items,
                      size_t *out_n)
{
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT " LOCATION_COLS " WHERE ?1 = 0 OR"
                                         " l.unit_id = ?1 ORDER BY l.building, l.room, l.name,"
                                         " l.id");

    *out_items = NULL;
    *out_n = 0;
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, unit_id);
    return locations_of(db, st, out_items, out_n);
}

/* ---- the CSV import of units ------------------------------------------------------------ */

const char *const inv_unit_import_columns[] = {"code", "name", "level", "parent_code",
                                               "valid_from", NULL};
enum { U_CODE, U_NAME, U_LEVEL, U_PARENT, U_FROM, U_COUNT };
/* units.csv's read-only columns, skipped so that an export imports as it is */
static const char *const unit_ignored[] = {"id", "valid_to", "merged_into", "devices", NULL};
/* the refusal field of each column: a unit's name is "unit_name" (its words are a unit's) */
static const char *const unit_fields[] = {"unit_code", "unit_name", "level", "parent_code",
                                          "valid_from", NULL};
static const struct inv_csv_format unit_format = {inv_unit_import_columns, unit_ignored,
                                                  (1u << U_CODE) | (1u << U_NAME), NULL,
                                                  unit_fields};

/* a code as people compare it: in the file (idx, a row of the csv) or the database (id) */
struct code_key {
    char *key;
    long long line; /* 0 = the database */
    size_t idx;
    long long id;
    bool merged;
};

static int code_cmp(const void *a, const void *b)
{
    const struct code_key *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    /* the database first, then the file's rows in order: the first holder is found first */
    return c ? c : (x->line < y->line ? -1 : x->line > y->line);
}

/* the first holder of @key (the database's, else the file's earliest), NULL when none */
static const struct code_key *code_find(const struct code_key *keys, size_t n, const char *key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(keys[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && strcmp(keys[lo].key, key) == 0 ? &keys[lo] : NULL;
}

struct unit_row {
    struct inv_unit u; /* borrowed strings: the csv's cells */
    char *key;
    size_t parent_idx;  /* a row of the file (0 none) */
    long long written;  /* its id once written */
};

/* every unit of the database by code */
static int db_codes(struct ww_db *db, struct code_key **keys, size_t *n, size_t *cap)
{
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT id, code, merged_into IS NOT NULL"
                                         " FROM org_unit WHERE code IS NOT NULL");
    int rc;

    if (!st)
        return -EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == *cap) {
            *cap = *cap ? 2 * *cap : 64;
            *keys = ww_reallocarray(*keys, *cap, sizeof(**keys));
        }
        (*keys)[(*n)++] = (struct code_key){ww_name_key((const char *)sqlite3_column_text(st, 1)),
                                            0, 0, sqlite3_column_int64(st, 0),
                                            sqlite3_column_int(st, 2) != 0};
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : ww_error(-EIO, "inventory: unit codes: %s",
                                            sqlite3_errmsg(db->sql));
}

/* row @i's parent: in the file or the database; its refusals into @r */
static bool resolve_parent(const struct inv_csv *c, struct unit_row *rows, size_t i,
                           const struct code_key *keys, size_t n_keys, const int *col_of,
                           struct inv_import_result *r)
{
    const char *code = inv_csv_cell(c, &c->rows[i], col_of, U_PARENT);
    const struct code_key *k;
    char *key;
    int col = col_of[U_PARENT] + 1;

    if (!code)
        return true;
    key = ww_name_key(code);
    k = code_find(keys, n_keys, key);
    free(key);
    if (!k) {
        inv_import_error(r, c->rows[i].line, col, "parent_code", "no_such", code);
        return false;
    }
    if (k->line == 0 && k->merged) {
        inv_import_error(r, c->rows[i].line, col, "parent_code", "unit_merged", code);
        return false;
    }
    if (k->line == 0)
        rows[i].u.parent_id = k->id;
    else if (k->idx == i) {
        inv_import_error(r, c->rows[i].line, col, "parent_code", "own_unit", NULL);
        return false;
    } else
        rows[i].parent_idx = k->idx;
    return true;
}

struct unit_import_ctx {
    const struct inv_unit *u;
};

static int apply_unit_import(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    const struct unit_import_ctx *x = ctx;
    return inv_unit_insert(db, x->u, &ch->id);
}

int inv_import_units(struct ww_db *db, const char *data, size_t len,
                     const struct inv_import_opts *o, struct inv_import_result *out)
{
    struct inv_csv c = {0};
    const struct inv_csv_format *f = &unit_format;
    struct unit_row *rows = NULL;
    struct code_key *keys = NULL;
    size_t n_keys = 0, cap_keys = 0;
    int col_of[U_COUNT];
    bool in_tx = false, moved;
    int ret = inv_import_start(db, data, len, o, f, &c, col_of, out, &in_tx);

    if (ret == -EPERM)
        return ret;
    if (ret < 0)
        goto out;
    rows = ww_calloc(c.n_rows, sizeof(*rows));
    if ((ret = db_codes(db, &keys, &n_keys, &cap_keys)) < 0)
        goto out;
    /* each row on its own */
    for (size_t i = 1; i < c.n_rows; i++) {
        struct inv_csv_row *w = &c.rows[i];
        struct inv_unit *u = &rows[i].u;
        if (inv_csv_blank(&c, w))
            continue;
        out->rows++;
        if (!inv_csv_cells_ok(&c, w, f, col_of, out)) {
            w->bad = true;
            continue;
        }
        u->code = (char *)inv_csv_cell(&c, w, col_of, U_CODE);
        u->name = (char *)inv_csv_cell(&c, w, col_of, U_NAME);
        u->level = (char *)inv_csv_cell(&c, w, col_of, U_LEVEL);
        u->valid_from = (char *)inv_csv_cell(&c, w, col_of, U_FROM);
        inv_refusal_clear();
        if (inv_unit_validate(u) < 0) {
            inv_import_refusal(out, w, f, col_of);
            w->bad = true;
            continue;
        }
        if (n_keys == cap_keys) {
            cap_keys = cap_keys ? 2 * cap_keys : 64;
            keys = ww_reallocarray(keys, cap_keys, sizeof(*keys));
        }
        keys[n_keys++] = (struct code_key){ww_name_key(u->code), w->line, i, 0, false};
    }
    if (n_keys > 1)
        qsort(keys, n_keys, sizeof(*keys), code_cmp);
    /* a code new in the database and in the file */
    for (size_t k = 1; k < n_keys; k++) {
        const struct code_key *first = code_find(keys, n_keys, keys[k].key);
        char p[32];
        if (keys[k].line == 0 || first == &keys[k])
            continue;
        if (first->line == 0) {
            snprintf(p, sizeof(p), "#%lld", first->id);
            inv_import_error(out, keys[k].line, col_of[U_CODE] + 1, "unit_code", "exists", p);
        } else {
            snprintf(p, sizeof(p), "%lld", first->line);
            inv_import_error(out, keys[k].line, col_of[U_CODE] + 1, "unit_code", "in_file", p);
        }
        c.rows[keys[k].idx].bad = true;
    }
    /* parents: earlier or later in the file, or in the database */
    for (size_t i = 1; i < c.n_rows; i++)
        if (!c.rows[i].bad && !inv_csv_blank(&c, &c.rows[i]) &&
            !resolve_parent(&c, rows, i, keys, n_keys, col_of, out))
            c.rows[i].bad = true;
    /* no loop through the file's rows, and no chain deeper than a unit may be: each walk
     * stops after INV_PARENT_DEPTH_MAX steps (a hostile file of 100,000 rows each the
     * parent of the next costs rows x depth, not rows squared) */
    for (size_t i = 1; i < c.n_rows; i++) {
        size_t cur = rows[i].parent_idx, steps = 0;
        while (cur && cur != i && steps < INV_PARENT_DEPTH_MAX) {
            cur = rows[cur].parent_idx;
            steps++;
        }
        if (c.rows[i].bad)
            continue;
        if (cur == i) {
            inv_import_error(out, c.rows[i].line, col_of[U_PARENT] + 1, "parent_code",
                             "unit_loop", NULL);
            c.rows[i].bad = true;
        } else if (cur) {
            char max[16];
            snprintf(max, sizeof(max), "%d", INV_PARENT_DEPTH_MAX);
            inv_import_error(out, c.rows[i].line, col_of[U_PARENT] + 1, "parent_code",
                             "unit_too_deep", max);
            c.rows[i].bad = true;
        }
    }
    /* a row whose parent row is refused cannot be written either */
    do {
        moved = false;
        for (size_t i = 1; i < c.n_rows; i++) {
            size_t p = rows[i].parent_idx;
            if (c.rows[i].bad || !p || !c.rows[p].bad)
                continue;
            inv_import_error(out, c.rows[i].line, col_of[U_PARENT] + 1, "parent_code",
                             "no_such", inv_csv_cell(&c, &c.rows[i], col_of, U_PARENT));
            c.rows[i].bad = moved = true;
        }
    } while (moved);
    ret = inv_import_judge(&c, o, out);
    if (ret < 0 || o->dry_run)
        goto out;
    /* parents before their children: passes until every valid row is written (no loops) */
    do {
        moved = false;
        for (size_t i = 1; i < c.n_rows && ret == 0; i++) {
            size_t p = rows[i].parent_idx;
            struct unit_import_ctx x = {&rows[i].u};
            struct inv_change ch = {.actor = o->actor, .action = "unit.import",
                                    .object_type = "unit", .apply = apply_unit_import,
                                    .ctx = &x};
            if (inv_csv_blank(&c, &c.rows[i]) || c.rows[i].bad || rows[i].written ||
                (p && !rows[p].written))
                continue;
            if (p)
                rows[i].u.parent_id = rows[p].written;
            ret = inv_change_run(db, &ch);
            free(ch.after);
            if (ret == -EINVAL || ret == -EEXIST) /* checked above: a program error */
                inv_import_error(out, c.rows[i].line, 0, ch.why.field, ch.why.reason,
                                 ch.why.param);
            else if (ret == 0) {
                rows[i].written = ch.id;
                out->written++;
                moved = true;
            }
        }
    } while (moved && ret == 0);
out:
    ret = inv_import_end(db, ret, in_tx, out);
    for (size_t k = 0; k < n_keys; k++)
        free(keys[k].key);
    free(keys);
    free(rows); /* their strings are c's cells */
    inv_csv_release(&c);
    return ret;
}

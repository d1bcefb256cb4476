/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * staff.c - people (issue 17, schema v15): their codes, names, units and job roles with the
 * history of moves (staff_history), and the job roles and skills they are judged by (with
 * each role's required skills). Every write here is an @apply of inv_change_run(); the
 * snapshots and lists are JSON texts built by SQLite, whose json functions escape the text.
 */
#include "inventory/inventory_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

int inv_step_written(struct ww_db *db, sqlite3_stmt *st, struct inv_change *ch, bool add,
                     const char *field)
{
    int ret = inv_step(db, st, field);

    if (!add)
        ret = inv_changed(db, ret);
    else if (ret == 0)
        ch->id = sqlite3_last_insert_rowid(db->sql);
    sqlite3_finalize(st);
    return ret;
}

/* ---- shared checks ------------------------------------------------------------------------ */

/* a row of @sql (one ?1) exists for @id > 0; else refused "no_such" on @field */
static int check_ref(struct ww_db *db, const char *field, const char *sql, long long id)
{
    long long v;
    int ret;

    if (id <= 0)
        return 0;
    ret = inv_int_row(db, sql, id, &v);
    if (ret == -ENOENT)
        return inv_refuse(-EINVAL, field, "no_such", "%lld", id);
    return ret;
}

static int check_code(const char *code)
{
    return inv_check_text("code", code, INV_CODE_MAX, true);
}

/* ---- staff -------------------------------------------------------------------------------- */

void inv_staff_release(struct inv_staff *s)
{
    free(s->code);
    free(s->full_name);
    free(s->start_day);
    free(s->move_day);
    s->code = s->full_name = s->start_day = s->move_day = NULL;
}

static int staff_validate(struct ww_db *db, const struct inv_staff *s)
{
    int ret;

    if ((ret = check_code(s->code)) < 0 ||
        (ret = inv_check_text("full_name", s->full_name, INV_NAME_MAX, true)) < 0)
        return ret;
    if (!s->start_day || !*s->start_day)
        return inv_refuse(-EINVAL, "start_day", "required", NULL);
    if ((ret = inv_check_date("start_day", s->start_day)) < 0 ||
        (ret = inv_check_date("move_day", s->move_day)) < 0)
        return ret;
    if ((ret = check_ref(db, "unit_id", "SELECT id FROM org_unit WHERE id=?1", s->unit_id)) < 0)
        return ret;
    return check_ref(db, "role_id", "SELECT id FROM job_role WHERE id=?1", s->role_id);
}

/* a history row for @staff_id from @day (open) */
static int hist_open(struct ww_db *db, long long staff_id, long long unit_id, long long role_id,
                     const char *day, const char *actor)
{
    sqlite3_stmt *st = ww_db_prepare(db, "INSERT INTO staff_history (staff_id, unit_id, role_id,"
                                         " from_day, actor) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, staff_id);
    inv_bind_id(st, 2, unit_id);
    inv_bind_id(st, 3, role_id);
    sqlite3_bind_text(st, 4, day, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, actor, -1, SQLITE_TRANSIENT);
    return inv_step_final(db, st, "record");
}

static int staff_write(struct ww_db *db, const struct inv_staff *s, long long id)
{
    char *code_key = ww_name_key(s->code), *name_key = ww_name_key(s->full_name);
    sqlite3_stmt *st;
    int ret = -EIO;

    st = id ? ww_db_prepare(db, "UPDATE staff SET code=?2, code_key=?3, full_name=?4,"
                                " name_key=?5, unit_id=?6, role_id=?7, start_day=?8, active=?9"
                                " WHERE id=?1")
            : ww_db_prepare(db, "INSERT INTO staff (code, code_key, full_name, name_key,"
                                " unit_id, role_id, start_day, active)"
                                " VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (st) {
        if (id)
            sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, s->code, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, code_key, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, s->full_name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 5, name_key, -1, SQLITE_TRANSIENT);
        inv_bind_id(st, 6, s->unit_id);
        inv_bind_id(st, 7, s->role_id);
        sqlite3_bind_text(st, 8, s->start_day, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 9, s->active);
        ret = inv_step(db, st, "code");
        if (id)
            ret = inv_changed(db, ret);
        sqlite3_finalize(st);
    }
    free(code_key);
    free(name_key);
    return ret;
}

int inv_apply_staff_add(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    const struct inv_staff *s = ctx;
    int ret = staff_validate(db, s);

    if (ret < 0 || (ret = staff_write(db, s, 0)) < 0)
        return ret;
    ch->id = sqlite3_last_insert_rowid(db->sql);
    if (!s->active)
        return 0;
    return hist_open(db, ch->id, s->unit_id, s->role_id, s->start_day, ch->actor->name);
}

int inv_apply_staff_update(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    const struct inv_staff *s = ctx;
    struct inv_staff old = {0};
    char *day = NULL, *open_from = NULL;
    sqlite3_stmt *st = NULL;
    int ret = staff_validate(db, s);

    if (ret < 0 || (ret = inv_staff_get(db, ch->id, &old)) < 0)
        goto out;
    if ((ret = staff_write(db, s, ch->id)) < 0)
        goto out;
    if (old.unit_id == s->unit_id && old.role_id == s->role_id && old.active == s->active) {
        ret = 0;
        goto out;
    }
    /* the move's day: given, or today (office-local) */
    ret = -EIO;
    st = ww_db_prepare(db, "SELECT coalesce(?2, " INV_TODAY_SQL "),"
                           " (SELECT from_day FROM staff_history WHERE staff_id=?1 AND to_day"
                           " IS NULL ORDER BY from_day DESC LIMIT 1)");
    if (!st)
        goto out;
    sqlite3_bind_int64(st, 1, ch->id);
    inv_bind_typed(st, 2, s->move_day);
    if (sqlite3_step(st) != SQLITE_ROW)
        goto out;
    day = ww_db_text(st, 0);
    open_from = ww_db_text(st, 1);
    sqlite3_finalize(st);
    st = NULL;
    if (open_from && strcmp(day, open_from) < 0) {
        ret = inv_refuse(-EINVAL, "move_day", "not_after", "%s", open_from);
        goto out;
    }
    if (open_from) {
        /* a move on the open row's first day replaces that row: no empty span is kept */
        st = ww_db_prepare(db, strcmp(day, open_from) == 0
                                   ? "DELETE FROM staff_history WHERE staff_id=?1 AND to_day IS"
                                     " NULL AND from_day=?2"
                                   : "UPDATE staff_history SET to_day=?2 WHERE staff_id=?1 AND"
                                     " to_day IS NULL");
        if (!st)
            goto out;
        sqlite3_bind_int64(st, 1, ch->id);
        sqlite3_bind_text(st, 2, day, -1, SQLITE_TRANSIENT);
        ret = inv_step_final(db, st, "record");
        st = NULL;
        if (ret < 0)
            goto out;
    }
    ret = s->active ? hist_open(db, ch->id, s->unit_id, s->role_id, day, ch->actor->name) : 0;
out:
    sqlite3_finalize(st);
    free(day);
    free(open_from);
    inv_staff_release(&old);
    return ret;
}

/* the id of the one row @sql (?1 the key) finds; 0, -ENOENT, -EIO */
static int id_by(struct ww_db *db, const char *sql, const char *key, long long *out_id)
{
    sqlite3_stmt *st;
    int rc;

    *out_id = 0;
    if (!(st = ww_db_prepare(db, sql)))
        return -EIO;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out_id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : -EIO;
}

int inv_staff_by_code(struct ww_db *db, const char *code, long long *out_id)
{
    char *key;
    int ret;

    *out_id = 0;
    if (!code || !*code)
        return -ENOENT;
    key = ww_name_key(code);
    ret = id_by(db, "SELECT id FROM staff WHERE code_key = ?1", key, out_id);
    free(key);
    return ret;
}

int inv_role_by_code(struct ww_db *db, const char *code, long long *out_id)
{
    *out_id = 0;
    if (!code || !*code)
        return -ENOENT;
    return id_by(db, "SELECT id FROM job_role WHERE code = ?1", code, out_id);
}

int inv_skill_by_code(struct ww_db *db, const char *code, long long *out_id)
{
    *out_id = 0;
    if (!code || !*code)
        return -ENOENT;
    return id_by(db, "SELECT id FROM skill WHERE code = ?1", code, out_id);
}

int inv_staff_get(struct ww_db *db, long long id, struct inv_staff *out)
{
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT code, full_name, coalesce(unit_id, 0),"
                                         " coalesce(role_id, 0), start_day, active FROM staff"
                                         " WHERE id=?1");
    int rc;

    memset(out, 0, sizeof(*out));
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->id = id;
        out->code = ww_db_text(st, 0);
        out->full_name = ww_db_text(st, 1);
        out->unit_id = sqlite3_column_int64(st, 2);
        out->role_id = sqlite3_column_int64(st, 3);
        out->start_day = ww_db_text(st, 4);
        out->active = sqlite3_column_int(st, 5) != 0;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : -EIO;
}

#define STAFF_JSON                                                                                \
    "json_object('id', s.id, 'code', s.code, 'full_name', s.full_name, 'unit_id', s.unit_id,"    \
    " 'unit', (SELECT name FROM org_unit WHERE id=s.unit_id), 'role_id', s.role_id,"             \
    " 'role', (SELECT name FROM job_role WHERE id=s.role_id), 'start_day', s.start_day,"         \
    " 'active', json(CASE WHEN s.active THEN 'true' ELSE 'false' END))"

int inv_staff_snapshot(struct ww_db *db, long long id, char **out_json)
{
    return inv_json_row(db, "SELECT " STAFF_JSON " FROM staff s WHERE s.id=?1", id, out_json);
}

int inv_staff_list_json(struct ww_db *db, long long unit_id, bool all, char **out_json)
{
    if (all)
        return inv_json_row(db,
                            "SELECT json_group_array(json(j)) FROM (SELECT " STAFF_JSON
                            " AS j FROM staff s WHERE ?1 = 0 OR s.unit_id = ?1"
                            " ORDER BY s.name_key, s.id)",
                            unit_id, out_json);
    return inv_json_row(db,
                        "SELECT json_group_array(json(j)) FROM (SELECT json_object('id', s.id,"
                        " 'full_name', s.full_name, 'unit_id', s.unit_id, 'unit', (SELECT name"
                        " FROM org_unit WHERE id=s.unit_id), 'role', (SELECT name FROM job_role"
                        " WHERE id=s.role_id)) AS j FROM staff s WHERE s.active AND (?1 = 0 OR"
                        " s.unit_id = ?1) ORDER BY s.name_key, s.id)",
                        unit_id, out_json);
}

int inv_staff_history_json(struct ww_db *db, long long staff_id, char **out_json)
{
    return inv_json_row(db,
                        "SELECT json_group_array(json(j)) FROM (SELECT json_object('unit_id',"
                        " h.unit_id, 'unit', (SELECT name FROM org_unit WHERE id=h.unit_id),"
                        " 'role_id', h.role_id, 'role', (SELECT name FROM job_role WHERE"
                        " id=h.role_id), 'from_day', h.from_day, 'to_day', h.to_day, 'actor',"
                        " h.actor) AS j FROM staff_history h WHERE h.staff_id=?1"
                        " ORDER BY h.from_day, h.id)",
                        staff_id, out_json);
}

int inv_staff_on_day(struct ww_db *db, long long id, const char *day, long long *out_unit_id,
                     long long *out_role_id)
{
    sqlite3_stmt *st;
    int rc;

    if (!day || !*day || inv_check_date("day", day) < 0)
        return -EINVAL;
    st = ww_db_prepare(db, "SELECT coalesce(unit_id, 0), coalesce(role_id, 0) FROM"
                           " staff_history WHERE staff_id=?1 AND from_day <= ?2 AND (to_day IS"
                           " NULL OR to_day > ?2) ORDER BY from_day DESC LIMIT 1");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, day, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out_unit_id = sqlite3_column_int64(st, 0);
        *out_role_id = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : -EIO;
}

/* ---- job roles and skills ------------------------------------------------------------------ */

static int names_validate(const char *code, const char *name, const char *name_en)
{
    int ret;
    if ((ret = check_code(code)) < 0 ||
        (ret = inv_check_text("name", name, INV_NAME_MAX, true)) < 0)
        return ret;
    return inv_check_text("name_en", name_en, INV_NAME_MAX, false);
}

static int role_write(struct ww_db *db, const struct inv_job_role *r, struct inv_change *ch,
                      bool add)
{
    sqlite3_stmt *st;
    int ret = names_validate(r->code, r->name, r->name_en);

    if (ret < 0)
        return ret;
    st = add ? ww_db_prepare(db, "INSERT INTO job_role (code, name, name_en) VALUES (?2, ?3, ?4)")
             : ww_db_prepare(db, "UPDATE job_role SET code=?2, name=?3, name_en=?4 WHERE id=?1");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, ch->id);
    sqlite3_bind_text(st, 2, r->code, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, r->name, -1, SQLITE_TRANSIENT);
    inv_bind_typed(st, 4, r->name_en);
    return inv_step_written(db, st, ch, add, "code");
}

int inv_apply_role_add(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    return role_write(db, ctx, ch, true);
}

int inv_apply_role_update(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    return role_write(db, ctx, ch, false);
}

static int skill_write(struct ww_db *db, const struct inv_skill *k, struct inv_change *ch,
                       bool add)
{
    sqlite3_stmt *st;
    int ret = names_validate(k->code, k->name, k->name_en);

    if (ret < 0 || (ret = inv_check_text("category", k->category, INV_CODE_MAX, true)) < 0)
        return ret;
    if (k->levels < 1 || k->levels > INV_SKILL_LEVELS_MAX)
        return inv_refuse(-EINVAL, "levels", "out_of_range", "1..%d", INV_SKILL_LEVELS_MAX);
    if (k->validity_months < 0 || k->validity_months > 240)
        return inv_refuse(-EINVAL, "validity_months", "out_of_range", "0..240");
    st = add ? ww_db_prepare(db, "INSERT INTO skill (code, name, name_en, category, levels,"
                                 " validity_months) VALUES (?2, ?3, ?4, ?5, ?6, ?7)")
             : ww_db_prepare(db, "UPDATE skill SET code=?2, name=?3, name_en=?4, category=?5,"
                                 " levels=?6, validity_months=?7 WHERE id=?1");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, ch->id);
    sqlite3_bind_text(st, 2, k->code, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, k->name, -1, SQLITE_TRANSIENT);
    inv_bind_typed(st, 4, k->name_en);
    sqlite3_bind_text(st, 5, k->category, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 6, k->levels);
    sqlite3_bind_int(st, 7, k->validity_months);
    return inv_step_written(db, st, ch, add, "code");
}

int inv_apply_skill_add(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    return skill_write(db, ctx, ch, true);
}

int inv_apply_skill_update(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    return skill_write(db, ctx, ch, false);
}

#define ROLE_JSON                                                                                 \
    "json_object('id', r.id, 'code', r.code, 'name', r.name, 'name_en', r.name_en,"              \
    " 'requires', (SELECT json_group_array(json_object('skill_id', rs.skill_id, 'level',"        \
    " rs.level)) FROM role_skill rs WHERE rs.role_id = r.id))"
#define SKILL_JSON                                                                                \
    "json_object('id', k.id, 'code', k.code, 'name', k.name, 'name_en', k.name_en, 'category',"  \
    " k.category, 'levels', k.levels, 'validity_months', k.validity_months)"

int inv_role_snapshot(struct ww_db *db, long long id, char **out_json)
{
    return inv_json_row(db, "SELECT " ROLE_JSON " FROM job_role r WHERE r.id=?1", id, out_json);
}

int inv_skill_snapshot(struct ww_db *db, long long id, char **out_json)
{
    return inv_json_row(db, "SELECT " SKILL_JSON " FROM skill k WHERE k.id=?1", id, out_json);
}

int inv_role_list_json(struct ww_db *db, char **out_json)
{
    return inv_json_row(db,
                        "SELECT json_group_array(json(j)) FROM (SELECT " ROLE_JSON
                        " AS j FROM job_role r ORDER BY r.code)",
                        0, out_json);
}

int inv_skill_list_json(struct ww_db *db, char **out_json)
{
    return inv_json_row(db,
                        "SELECT json_group_array(json(j)) FROM (SELECT " SKILL_JSON
                        " AS j FROM skill k ORDER BY k.category, k.code)",
                        0, out_json);
}

int inv_skill_level_check(struct ww_db *db, long long skill_id, int level)
{
    long long levels;
    int ret = inv_int_row(db, "SELECT levels FROM skill WHERE id=?1", skill_id, &levels);

    if (ret == -ENOENT)
        return inv_refuse(-EINVAL, "skill_id", "no_such", "%lld", skill_id);
    if (ret < 0)
        return ret;
    if (level < 1 || level > levels)
        return inv_refuse(-EINVAL, "skill_level", "out_of_range", "1..%lld", levels);
    return 0;
}

int inv_apply_role_skill(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    const struct inv_role_skill *rs = ctx;
    sqlite3_stmt *st;
    long long v;
    int ret = inv_int_row(db, "SELECT id FROM job_role WHERE id=?1", ch->id, &v);

    if (ret < 0)
        return ret;
    if (rs->level != 0 && (ret = inv_skill_level_check(db, rs->skill_id, rs->level)) < 0)
        return ret;
    st = rs->level ? ww_db_prepare(db, "INSERT OR REPLACE INTO role_skill (role_id, skill_id,"
                                       " level) VALUES (?1, ?2, ?3)")
                   : ww_db_prepare(db, "DELETE FROM role_skill WHERE role_id=?1 AND"
                                       " skill_id=?2");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, ch->id);
    sqlite3_bind_int64(st, 2, rs->skill_id);
    if (rs->level)
        sqlite3_bind_int(st, 3, rs->level);
    return inv_step_final(db, st, "skill_id");
}

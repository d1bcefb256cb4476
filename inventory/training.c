/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * training.c - the training register (issue 17, schema v15): courses with the skills they
 * grant, sessions and attendance, the append-only training records (a correction is a new
 * record naming the one it replaces), unit-wide targets, and the starting catalogue of roles
 * and skills shipped as data (inventory/catalogue/catalogue.ini). Writes are @apply
 * functions of inv_change_run().
 */
#include "inventory/inventory_int.h"

#include <ini.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

const char *const inv_provider_kinds[] = {"internal", "province_dept", "online", NULL};
const char *const inv_training_results[] = {"passed", "attended", "failed", "revoked", NULL};
const char *const inv_training_sources[] = {"manual", "import", NULL};

#define COURSE_SKILLS_MAX 32

static bool listed(const char *const *list, const char *s)
{
    for (size_t i = 0; s && list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

bool inv_training_result_credits(const char *result)
{
    return result && (strcmp(result, "passed") == 0 || strcmp(result, "attended") == 0);
}

bool inv_evidence_name_valid(const char *name)
{
    size_t n = name ? strlen(name) : 0;

    if (n == 0 || n > INV_EVIDENCE_MAX || name[0] == '.' || name[0] == '-' ||
        strstr(name, ".."))
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_' || c == ' '))
            return false;
    }
    return true;
}

int inv_valid_until(const char *completed_on, int months, char out[11])
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d, last;

    out[0] = '\0';
    if (!completed_on || inv_check_date("completed_on", completed_on) < 0 || !*completed_on ||
        months < 0)
        return -EINVAL;
    if (months == 0)
        return 0;
    if (sscanf(completed_on, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return -EINVAL;
    m += months;
    y += (m - 1) / 12;
    m = (m - 1) % 12 + 1;
    last = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    if (d > last)
        d = last;
    {
        char buf[40];
        snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y % 10000, m, d);
        ww_strlcpy(out, buf, 11);
    }
    return 0;
}

/* ---- courses and sessions ----------------------------------------------------------------- */

static int course_write(struct ww_db *db, const struct inv_course *c, struct inv_change *ch,
                        bool add)
{
    sqlite3_stmt *st;
    int ret;

    if ((ret = inv_check_text("name", c->name, INV_NAME_MAX, true)) < 0 ||
        (ret = inv_check_text("provider", c->provider, INV_NAME_MAX, false)) < 0)
        return ret;
    if (!listed(inv_provider_kinds, c->provider_kind))
        return inv_refuse(-EINVAL, "provider_kind", "not_one_of", NULL);
    if (c->hours < 0 || c->hours > 10000)
        return inv_refuse(-EINVAL, "hours", "out_of_range", "0..10000");
    if (c->nskills > COURSE_SKILLS_MAX)
        return inv_refuse(-EINVAL, "skills", "too_many", "%d", COURSE_SKILLS_MAX);
    for (size_t i = 0; i < c->nskills; i++)
        if ((ret = inv_skill_level_check(db, c->skills[i].skill_id, c->skills[i].level)) < 0)
            return ret;
    st = add ? ww_db_prepare(db, "INSERT INTO course (name, provider_kind, provider, hours)"
                                 " VALUES (?2, ?3, ?4, ?5)")
             : ww_db_prepare(db, "UPDATE course SET name=?2, provider_kind=?3, provider=?4,"
                                 " hours=?5 WHERE id=?1");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, ch->id);
    sqlite3_bind_text(st, 2, c->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, c->provider_kind, -1, SQLITE_TRANSIENT);
    inv_bind_typed(st, 4, c->provider);
    sqlite3_bind_int(st, 5, c->hours);
    if ((ret = inv_step_written(db, st, ch, add, "record")) < 0)
        return ret;
    if (!(st = ww_db_prepare(db, "DELETE FROM course_skill WHERE course_id=?1")))
        return -EIO;
    sqlite3_bind_int64(st, 1, ch->id);
    if ((ret = inv_step_final(db, st, "skills")) < 0)
        return ret;
    for (size_t i = 0; i < c->nskills; i++) {
        st = ww_db_prepare(db, "INSERT INTO course_skill (course_id, skill_id, level)"
                               " VALUES (?1, ?2, ?3)");
        if (!st)
            return -EIO;
        sqlite3_bind_int64(st, 1, ch->id);
        sqlite3_bind_int64(st, 2, c->skills[i].skill_id);
        sqlite3_bind_int(st, 3, c->skills[i].level);
        if ((ret = inv_step_final(db, st, "skills")) < 0)
            return ret;
    }
    return 0;
}

int inv_apply_course_add(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    return course_write(db, ctx, ch, true);
}

int inv_apply_course_update(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    return course_write(db, ctx, ch, false);
}

static int session_write(struct ww_db *db, const struct inv_course_session *s,
                         struct inv_change *ch, bool add)
{
    sqlite3_stmt *st;
    long long v;
    int ret;

    if (!s->day || !*s->day)
        return inv_refuse(-EINVAL, "day", "required", NULL);
    if ((ret = inv_check_date("day", s->day)) < 0 ||
        (ret = inv_check_text("place", s->place, INV_NAME_MAX, false)) < 0 ||
        (ret = inv_check_text("trainer", s->trainer, INV_NAME_MAX, false)) < 0)
        return ret;
    if (s->capacity < 0 || s->capacity > 10000)
        return inv_refuse(-EINVAL, "capacity", "out_of_range", "0..10000");
    ret = inv_int_row(db, "SELECT id FROM course WHERE id=?1", s->course_id, &v);
    if (ret == -ENOENT)
        return inv_refuse(-EINVAL, "course_id", "no_such", "%lld", s->course_id);
    if (ret < 0)
        return ret;
    st = add ? ww_db_prepare(db, "INSERT INTO course_session (course_id, day, place, trainer,"
                                 " capacity) VALUES (?2, ?3, ?4, ?5, ?6)")
             : ww_db_prepare(db, "UPDATE course_session SET course_id=?2, day=?3, place=?4,"
                                 " trainer=?5, capacity=?6 WHERE id=?1");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, ch->id);
    sqlite3_bind_int64(st, 2, s->course_id);
    sqlite3_bind_text(st, 3, s->day, -1, SQLITE_TRANSIENT);
    inv_bind_typed(st, 4, s->place);
    inv_bind_typed(st, 5, s->trainer);
    sqlite3_bind_int(st, 6, s->capacity);
    return inv_step_written(db, st, ch, add, "record");
}

int inv_apply_session_add(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    return session_write(db, ctx, ch, true);
}

int inv_apply_session_update(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    return session_write(db, ctx, ch, false);
}

int inv_apply_session_attend(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    const long long *staff_id = ctx;
    long long cap, n, v;
    sqlite3_stmt *st;
    int ret = inv_int_row(db, "SELECT capacity FROM course_session WHERE id=?1", ch->id, &cap);

    if (ret < 0)
        return ret;
    ret = inv_int_row(db, "SELECT id FROM staff WHERE id=?1", *staff_id, &v);
    if (ret == -ENOENT)
        return inv_refuse(-EINVAL, "staff_id", "no_such", "%lld", *staff_id);
    if (ret < 0 || (ret = inv_int_row(db, "SELECT count(*) FROM session_attendance WHERE"
                                          " session_id=?1", ch->id, &n)) < 0)
        return ret;
    if (cap > 0 && n >= cap)
        return inv_refuse(-EINVAL, "capacity", "too_many", "%lld", cap);
    if (!(st = ww_db_prepare(db, "INSERT INTO session_attendance (session_id, staff_id)"
                                 " VALUES (?1, ?2)")))
        return -EIO;
    sqlite3_bind_int64(st, 1, ch->id);
    sqlite3_bind_int64(st, 2, *staff_id);
    return inv_step_final(db, st, "staff_id");
}

#define COURSE_JSON                                                                               \
    "json_object('id', c.id, 'name', c.name, 'provider_kind', c.provider_kind, 'provider',"      \
    " c.provider, 'hours', c.hours, 'skills', (SELECT json_group_array(json_object('skill_id',"  \
    " cs.skill_id, 'level', cs.level)) FROM course_skill cs WHERE cs.course_id = c.id))"
#define SESSION_JSON                                                                              \
    "json_object('id', s.id, 'course_id', s.course_id, 'day', s.day, 'place', s.place,"          \
    " 'trainer', s.trainer, 'capacity', s.capacity, 'attendees', (SELECT"                        \
    " json_group_array(a.staff_id) FROM session_attendance a WHERE a.session_id = s.id))"

int inv_course_snapshot(struct ww_db *db, long long id, char **out_json)
{
    return inv_json_row(db, "SELECT " COURSE_JSON " FROM course c WHERE c.id=?1", id, out_json);
}

int inv_session_snapshot(struct ww_db *db, long long id, char **out_json)
{
    return inv_json_row(db, "SELECT " SESSION_JSON " FROM course_session s WHERE s.id=?1", id,
                        out_json);
}

int inv_course_list_json(struct ww_db *db, char **out_json)
{
    return inv_json_row(db,
                        "SELECT json_group_array(json(j)) FROM (SELECT " COURSE_JSON
                        " AS j FROM course c ORDER BY c.name, c.id)",
                        0, out_json);
}

int inv_session_list_json(struct ww_db *db, long long course_id, char **out_json)
{
    return inv_json_row(db,
                        "SELECT json_group_array(json(j)) FROM (SELECT " SESSION_JSON
                        " AS j FROM course_session s WHERE ?1 = 0 OR s.course_id = ?1"
                        " ORDER BY s.day DESC, s.id)",
                        course_id, out_json);
}

/* ---- training records (append-only) ------------------------------------------------------- */

static int training_validate(struct ww_db *db, struct inv_training *t)
{
    sqlite3_stmt *st;
    long long v;
    int ret, rc;

    ret = inv_int_row(db, "SELECT id FROM staff WHERE id=?1", t->staff_id, &v);
    if (ret == -ENOENT)
        return inv_refuse(-EINVAL, "staff_id", "no_such", "%lld", t->staff_id);
    if (ret < 0)
        return ret;
    if (t->session_id > 0) {
        ret = inv_int_row(db, "SELECT course_id FROM course_session WHERE id=?1", t->session_id,
                          &v);
        if (ret == -ENOENT)
            return inv_refuse(-EINVAL, "session_id", "no_such", "%lld", t->session_id);
        if (ret < 0)
            return ret;
        if (t->course_id > 0 && t->course_id != v)
            return inv_refuse(-EINVAL, "session_id", "not_one_of", "%lld", v);
        t->course_id = v;
    }
    ret = inv_int_row(db, "SELECT id FROM course WHERE id=?1", t->course_id, &v);
    if (ret == -ENOENT)
        return inv_refuse(-EINVAL, "course_id", "no_such", "%lld", t->course_id);
    if (ret < 0)
        return ret;
    if (!t->completed_on || !*t->completed_on)
        return inv_refuse(-EINVAL, "completed_on", "required", NULL);
    if ((ret = inv_check_date("completed_on", t->completed_on)) < 0 ||
        (ret = inv_check_date("valid_until", t->valid_until)) < 0 ||
        (ret = inv_check_text("certificate_no", t->certificate_no, INV_CODE_MAX, false)) < 0)
        return ret;
    if (t->valid_until && *t->valid_until && strcmp(t->valid_until, t->completed_on) < 0)
        return inv_refuse(-EINVAL, "valid_until", "not_after", "%s", t->completed_on);
    if (!listed(inv_training_results, t->result))
        return inv_refuse(-EINVAL, "result", "not_one_of", NULL);
    if (t->source && !listed(inv_training_sources, t->source))
        return inv_refuse(-EINVAL, "source", "not_one_of", NULL);
    if (!isnan(t->score) && (t->score < 0 || t->score > 100))
        return inv_refuse(-EINVAL, "score", "out_of_range", "0..100");
    if (t->evidence && *t->evidence && !inv_evidence_name_valid(t->evidence))
        return inv_refuse(-EINVAL, "evidence", "not_file_name", NULL);
    /* not completed in the future (office-local today) */
    if (!(st = ww_db_prepare(db, "SELECT ?1 > " INV_TODAY_SQL)))
        return -EIO;
    sqlite3_bind_text(st, 1, t->completed_on, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    if (v < 0)
        return -EIO;
    if (v)
        return inv_refuse(-EINVAL, "completed_on", "in_future", NULL);
    if (t->corrects > 0) {
        ret = inv_int_row(db, "SELECT staff_id FROM training_record WHERE id=?1", t->corrects,
                          &v);
        if (ret == -ENOENT || (ret == 0 && v != t->staff_id))
            return inv_refuse(-EINVAL, "corrects", "no_such", "%lld", t->corrects);
        if (ret < 0)
            return ret;
        ret = inv_int_row(db, "SELECT id FROM training_record WHERE corrects=?1", t->corrects,
                          &v);
        if (ret == 0)
            return inv_refuse(-EINVAL, "corrects", "corrected", "%lld", v);
        if (ret != -ENOENT)
            return ret;
    }
    return 0;
}

int inv_apply_training_add(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    struct inv_training *t = ctx;
    char until[11] = "";
    sqlite3_stmt *st;
    long long months;
    int ret = training_validate(db, t);

    if (ret < 0)
        return ret;
    if (t->valid_until && *t->valid_until) {
        ww_strlcpy(until, t->valid_until, sizeof(until));
    } else {
        /* the shortest renewal period of the skills it grants; none: never expires */
        ret = inv_int_row(db, "SELECT coalesce(min(k.validity_months), 0) FROM course_skill cs"
                              " JOIN skill k ON k.id = cs.skill_id WHERE cs.course_id=?1 AND"
                              " k.validity_months > 0",
                          t->course_id, &months);
        if (ret < 0 || (ret = inv_valid_until(t->completed_on, (int)months, until)) < 0)
            return ret < 0 && ret != -EINVAL ? ret : -EIO;
    }
    st = ww_db_prepare(db, "INSERT INTO training_record (staff_id, course_id, session_id,"
                           " completed_on, result, score, certificate_no, valid_until, evidence,"
                           " source, corrects, actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
                           " ?10, ?11, ?12)");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, t->staff_id);
    sqlite3_bind_int64(st, 2, t->course_id);
    inv_bind_id(st, 3, t->session_id);
    sqlite3_bind_text(st, 4, t->completed_on, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, t->result, -1, SQLITE_TRANSIENT);
    inv_bind_real(st, 6, t->score);
    inv_bind_typed(st, 7, t->certificate_no);
    inv_bind_typed(st, 8, until);
    inv_bind_typed(st, 9, t->evidence);
    sqlite3_bind_text(st, 10, t->source ? t->source : "manual", -1, SQLITE_TRANSIENT);
    inv_bind_id(st, 11, t->corrects);
    sqlite3_bind_text(st, 12, ch->actor->name, -1, SQLITE_TRANSIENT);
    return inv_step_written(db, st, ch, true, "corrects");
}

#define TRAINING_JSON                                                                             \
    "json_object('id', t.id, 'staff_id', t.staff_id, 'course_id', t.course_id, 'course',"        \
    " (SELECT name FROM course WHERE id=t.course_id), 'session_id', t.session_id,"               \
    " 'completed_on', t.completed_on, 'result', t.result, 'score', t.score, 'certificate_no',"   \
    " t.certificate_no, 'valid_until', t.valid_until, 'evidence', t.evidence, 'source',"         \
    " t.source, 'corrects', t.corrects, 'corrected_by', (SELECT c.id FROM training_record c"     \
    " WHERE c.corrects = t.id), 'actor', t.actor, 'skills', (SELECT"                             \
    " json_group_array(json_object('skill_id', cs.skill_id, 'skill', k.name, 'skill_en',"        \
    " k.name_en, 'level', cs.level)) FROM course_skill cs JOIN skill k ON k.id = cs.skill_id"    \
    " WHERE cs.course_id = t.course_id))"

int inv_training_snapshot(struct ww_db *db, long long id, char **out_json)
{
    return inv_json_row(db, "SELECT " TRAINING_JSON " FROM training_record t WHERE t.id=?1", id,
                        out_json);
}

int inv_transcript_json(struct ww_db *db, long long staff_id, char **out_json)
{
    return inv_json_row(db,
                        "SELECT json_group_array(json(j)) FROM (SELECT " TRAINING_JSON
                        " AS j FROM training_record t WHERE t.staff_id=?1"
                        " ORDER BY t.completed_on DESC, t.id DESC)",
                        staff_id, out_json);
}

static char *col_dup(sqlite3_stmt *st, int col)
{
    const unsigned char *v = sqlite3_column_text(st, col);
    return v ? ww_strdup((const char *)v) : NULL;
}

int inv_training_refs(struct ww_db *db, const long long *ids, size_t n,
                      struct inv_training_ref **out_refs)
{
    struct inv_training_ref *refs = NULL;
    sqlite3_stmt *st = NULL;
    int rc = SQLITE_DONE;

    *out_refs = NULL;
    if (!n)
        return 0;
    if (!(st = ww_db_prepare(db, "SELECT c.name, t.certificate_no FROM training_record t"
                                 " LEFT JOIN course c ON c.id = t.course_id WHERE t.id = ?1")))
        return -EIO;
    refs = ww_calloc(n, sizeof(*refs));
    for (size_t i = 0; i < n; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, ids[i]);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            refs[i].course = col_dup(st, 0);
            refs[i].certificate_no = col_dup(st, 1);
        } else if (rc != SQLITE_DONE) {
            break;
        }
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        ww_error(-EIO, "inventory: training refs: %s", sqlite3_errmsg(db->sql));
        sqlite3_finalize(st);
        inv_training_refs_free(refs, n);
        return -EIO;
    }
    sqlite3_finalize(st);
    *out_refs = refs;
    return 0;
}

void inv_training_refs_free(struct inv_training_ref *refs, size_t n)
{
    for (size_t i = 0; refs && i < n; i++) {
        free(refs[i].course);
        free(refs[i].certificate_no);
    }
    free(refs);
}

/* ---- targets ------------------------------------------------------------------------------ */

int inv_apply_target_add(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    const struct inv_target *t = ctx;
    sqlite3_stmt *st;
    long long v;
    int ret;

    if (t->unit_id > 0) {
        ret = inv_int_row(db, "SELECT id FROM org_unit WHERE id=?1", t->unit_id, &v);
        if (ret == -ENOENT)
            return inv_refuse(-EINVAL, "unit_id", "no_such", "%lld", t->unit_id);
        if (ret < 0)
            return ret;
    }
    if ((ret = inv_skill_level_check(db, t->skill_id, t->level)) < 0)
        return ret;
    if (t->pct < 1 || t->pct > 100)
        return inv_refuse(-EINVAL, "pct", "out_of_range", "1..100");
    if (!t->from_day || !*t->from_day)
        return inv_refuse(-EINVAL, "from_day", "required", NULL);
    if (!t->deadline || !*t->deadline)
        return inv_refuse(-EINVAL, "deadline", "required", NULL);
    if ((ret = inv_check_date("from_day", t->from_day)) < 0 ||
        (ret = inv_check_date("deadline", t->deadline)) < 0)
        return ret;
    if (strcmp(t->deadline, t->from_day) < 0)
        return inv_refuse(-EINVAL, "deadline", "not_after", "%s", t->from_day);
    st = ww_db_prepare(db, "INSERT INTO skill_target (unit_id, skill_id, level, pct, from_day,"
                           " deadline) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st)
        return -EIO;
    inv_bind_id(st, 1, t->unit_id);
    sqlite3_bind_int64(st, 2, t->skill_id);
    sqlite3_bind_int(st, 3, t->level);
    sqlite3_bind_int(st, 4, t->pct);
    sqlite3_bind_text(st, 5, t->from_day, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, t->deadline, -1, SQLITE_TRANSIENT);
    return inv_step_written(db, st, ch, true, "record");
}

int inv_apply_target_remove(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    sqlite3_stmt *st = ww_db_prepare(db, "DELETE FROM skill_target WHERE id=?1");

    (void)ctx;
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, ch->id);
    return inv_step_written(db, st, ch, false, "record");
}

#define TARGET_JSON                                                                               \
    "json_object('id', g.id, 'unit_id', g.unit_id, 'skill_id', g.skill_id, 'level', g.level,"    \
    " 'pct', g.pct, 'from_day', g.from_day, 'deadline', g.deadline)"

int inv_target_snapshot(struct ww_db *db, long long id, char **out_json)
{
    return inv_json_row(db, "SELECT " TARGET_JSON " FROM skill_target g WHERE g.id=?1", id,
                        out_json);
}

int inv_target_list_json(struct ww_db *db, char **out_json)
{
    return inv_json_row(db,
                        "SELECT json_group_array(json(j)) FROM (SELECT " TARGET_JSON
                        " AS j FROM skill_target g ORDER BY g.deadline, g.id)",
                        0, out_json);
}

/* ---- equipment requirements --------------------------------------------------------------- */

bool inv_equipment_key_valid(const char *key)
{
    if (inv_device_kind_valid(key))
        return true;
    for (size_t i = 0; key && inv_device_criticalities[i]; i++)
        if (strcmp(key, inv_device_criticalities[i]) == 0)
            return strcmp(key, "normal") != 0;
    return false;
}

int inv_apply_equipment_skill(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    const struct inv_equipment_skill *e = ctx;
    sqlite3_stmt *st;
    int ret;

    if (!e->device_kind || !*e->device_kind)
        return inv_refuse(-EINVAL, "device_kind", "required", NULL);
    if (!inv_equipment_key_valid(e->device_kind))
        return inv_refuse(-EINVAL, "device_kind", "not_one_of", NULL);
    if (e->level != 0 && (ret = inv_skill_level_check(db, e->skill_id, e->level)) < 0)
        return ret;
    st = e->level ? ww_db_prepare(db, "INSERT OR REPLACE INTO equipment_skill (device_kind,"
                                      " skill_id, level) VALUES (?1, ?2, ?3)")
                  : ww_db_prepare(db, "DELETE FROM equipment_skill WHERE device_kind=?1 AND"
                                      " skill_id=?2");
    if (!st)
        return -EIO;
    (void)ch;
    sqlite3_bind_text(st, 1, e->device_kind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, e->skill_id);
    if (e->level)
        sqlite3_bind_int(st, 3, e->level);
    return inv_step_final(db, st, "skill_id");
}

#define EQUIPMENT_JSON                                                                            \
    "json_object('device_kind', e.device_kind, 'skill_id', e.skill_id, 'skill', (SELECT name"    \
    " FROM skill WHERE id = e.skill_id), 'level', e.level)"

int inv_equipment_snapshot(struct ww_db *db, const char *device_kind, char **out_json)
{
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT json_group_array(json(j)) FROM (SELECT "
                                         EQUIPMENT_JSON " AS j FROM equipment_skill e WHERE"
                                         " e.device_kind = ?1 ORDER BY e.skill_id)");
    int rc;

    *out_json = NULL;
    if (!st)
        return -EIO;
    sqlite3_bind_text(st, 1, device_kind, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out_json = ww_db_text(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -EIO;
}

int inv_equipment_list_json(struct ww_db *db, char **out_json)
{
    return inv_json_row(db,
                        "SELECT json_group_array(json(j)) FROM (SELECT " EQUIPMENT_JSON
                        " AS j FROM equipment_skill e ORDER BY e.device_kind, e.skill_id)",
                        0, out_json);
}

/* ---- the starting catalogue --------------------------------------------------------------- */

/* one [kind CODE] section being read: written when the next section starts or at the end.
 * Every record goes through inv_change_run() with the apply function the API uses (its
 * checks, its audit entry, by @who), in the loader's one transaction. */
struct cat_state {
    struct ww_db *db;
    const struct inv_actor *who;
    char section[16], code[INV_CODE_MAX + 1];
    char name[INV_NAME_MAX + 1], name_en[INV_NAME_MAX + 1], category[INV_CODE_MAX + 1];
    int levels, validity_months;
    int ret;
    char what[INV_CODE_MAX + 96];
};

static int cat_fail(struct cat_state *c, int ret, const char *what)
{
    c->ret = ret;
    ww_strlcpy(c->what, what, sizeof(c->what));
    return 0;
}

/* @ch through the audited path; a refusal names its field and reason in c->what */
static int cat_change(struct cat_state *c, struct inv_change *ch)
{
    int ret;

    ch->actor = c->who;
    ret = inv_change_run(c->db, ch);
    free(ch->after);
    ch->after = NULL;
    if (ret < 0) {
        char what[sizeof(c->section) + sizeof(c->code) + sizeof(ch->why.field) +
                  sizeof(ch->why.reason) + 8];
        snprintf(what, sizeof(what), "[%s %s]: %s %s", c->section, c->code,
                 ch->why.field[0] ? ch->why.field : "record",
                 ch->why.reason[0] ? ch->why.reason : "refused");
        return cat_fail(c, ret, what);
    }
    return 1;
}

/* write the section read so far (role or skill) */
static int cat_flush(struct cat_state *c)
{
    if (strcmp(c->section, "role") == 0) {
        struct inv_job_role r = {.code = c->code, .name = c->name,
                                 .name_en = *c->name_en ? c->name_en : NULL};
        struct inv_change ch = {.action = "role.add", .object_type = "role",
                                .apply = inv_apply_role_add, .ctx = &r};
        return cat_change(c, &ch);
    }
    if (strcmp(c->section, "skill") == 0) {
        struct inv_skill k = {.code = c->code, .name = c->name,
                              .name_en = *c->name_en ? c->name_en : NULL,
                              .category = c->category, .levels = c->levels,
                              .validity_months = c->validity_months};
        struct inv_change ch = {.action = "skill.add", .object_type = "skill",
                                .apply = inv_apply_skill_add, .ctx = &k};
        return cat_change(c, &ch);
    }
    return 1;
}

static void cat_begin(struct cat_state *c, const char *section)
{
    const char *sp = strchr(section, ' ');

    c->section[0] = c->code[0] = c->name[0] = c->name_en[0] = c->category[0] = '\0';
    c->levels = 1;
    c->validity_months = 0;
    if (!sp || (size_t)(sp - section) >= sizeof(c->section) || !sp[1] ||
        strlen(sp + 1) > INV_CODE_MAX) {
        cat_fail(c, -EINVAL, "a section is [role CODE], [skill CODE], [require ROLE] or [equipment KEY]");
        return;
    }
    memcpy(c->section, section, (size_t)(sp - section));
    c->section[sp - section] = '\0';
    ww_strlcpy(c->code, sp + 1, sizeof(c->code));
}

static int cat_int(const char *v, int *out)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (end == v || *end || n < 0 || n > 10000)
        return -1;
    *out = (int)n;
    return 0;
}

static int cat_line(void *user, const char *section, const char *key, const char *value)
{
    struct cat_state *c = user;
    char full[INV_CODE_MAX + 24];
    int n;

    if (c->ret < 0)
        return 0;
    snprintf(full, sizeof(full), "%s %s", c->section, c->code);
    if (strcmp(full, section) != 0) {
        if (*c->section && cat_flush(c) == 0)
            return 0;
        cat_begin(c, section);
        if (c->ret < 0)
            return 0;
    }
    if (strcmp(c->section, "require") == 0 || strcmp(c->section, "equipment") == 0) {
        struct inv_role_skill rs = {0};
        struct inv_equipment_skill e = {.device_kind = c->code};
        struct inv_change ch = {.object_type = c->section[0] == 'r' ? "role" : "equipment"};

        if (cat_int(value, &n) < 0 || n < 1)
            return cat_fail(c, -EINVAL, "a level is a number from 1");
        if (inv_skill_by_code(c->db, key, &rs.skill_id) < 0)
            return cat_fail(c, -EINVAL, "unknown skill");
        rs.level = e.level = n;
        e.skill_id = rs.skill_id;
        if (c->section[0] == 'r') {
            if (inv_role_by_code(c->db, c->code, &ch.id) < 0)
                return cat_fail(c, -EINVAL, "unknown role");
            ch.action = "role.require";
            ch.apply = inv_apply_role_skill;
            ch.ctx = &rs;
        } else {
            ch.action = "equipment.require";
            ch.apply = inv_apply_equipment_skill;
            ch.ctx = &e;
            ch.key = c->code;
            ch.may_be_new = true;
        }
        return cat_change(c, &ch);
    }
    if (strcmp(key, "name") == 0)
        ww_strlcpy(c->name, value, sizeof(c->name));
    else if (strcmp(key, "name_en") == 0)
        ww_strlcpy(c->name_en, value, sizeof(c->name_en));
    else if (strcmp(key, "category") == 0 && strcmp(c->section, "skill") == 0)
        ww_strlcpy(c->category, value, sizeof(c->category));
    else if (strcmp(key, "levels") == 0 && strcmp(c->section, "skill") == 0) {
        if (cat_int(value, &c->levels) < 0)
            return cat_fail(c, -EINVAL, "levels is a number");
    } else if (strcmp(key, "validity_months") == 0 && strcmp(c->section, "skill") == 0) {
        if (cat_int(value, &c->validity_months) < 0)
            return cat_fail(c, -EINVAL, "validity_months is a number");
    } else
        return cat_fail(c, -EINVAL, "unknown key");
    return 1;
}

int inv_catalogue_load(struct ww_db *db, const char *dir, const struct inv_actor *who,
                       bool *out_loaded, char *err, size_t errsz)
{
    struct cat_state c = {.db = db, .who = who};
    long long n = 0;
    char *path = ww_asprintf("%s/catalogue.ini", dir);
    FILE *f = NULL;
    int ret, line;

    *out_loaded = false;
    if (err && errsz)
        err[0] = '\0';
    ret = inv_int_row(db, "SELECT (SELECT count(*) FROM job_role) + (SELECT count(*) FROM skill)"
                          " + 0 * ?1", 0, &n);
    if (ret < 0 || n > 0)
        goto out;
    if (!(f = fopen(path, "r"))) {
        ret = ww_error(-ENOENT, "inventory: catalogue '%s': cannot open", path);
        goto out;
    }
    if ((ret = ww_db_begin(db)) < 0)
        goto out;
    line = ini_parse_file(f, cat_line, &c);
    if (c.ret == 0 && line == 0 && *c.section && cat_flush(&c) == 0)
        line = -1;
    if (line != 0 || c.ret < 0) {
        ww_db_rollback(db);
        ret = c.ret < 0 ? c.ret : -EINVAL;
        if (err)
            snprintf(err, errsz, "%s:%d: %s", path, line > 0 ? line : 0,
                     *c.what ? c.what : "not an INI line");
        ww_log(WW_LOG_WARN, "inventory: catalogue '%s': line %d: %s", path, line, c.what);
        goto out;
    }
    if ((ret = inv_audit_add(db, who, "catalogue.load", "catalogue", "catalogue", NULL,
                             NULL)) < 0 ||
        (ret = ww_db_commit(db)) < 0) {
        ww_db_rollback(db);
        goto out;
    }
    *out_loaded = true;
    ret = 0;
out:
    if (f)
        fclose(f);
    free(path);
    return ret;
}

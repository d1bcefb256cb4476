/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * api_training.c - staff, job roles, skills, courses, sessions, training records, targets,
 * the gap matrix and compliance (issue 17). Staff records are personal data (Decree
 * 13/2023/ND-CP): a full record (one person, their transcript, the gap matrix) needs
 * staff.read (hr, admin) and each read of one person is written to the audit log
 * ("staff.read"); training.read (manager too) gives names and unit summaries only; it and
 * viewer see nothing of staff (PERMISSIONS.md). Every write is an audited inventory change.
 *
 * A body's fields are read through one table per record (struct jfield); a PATCH is the
 * record's snapshot with the body over it, read and written in one transaction.
 */
#include "dashboard/dashboard_int.h"
#include "inventory/inventory.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/banned.h"

/* ---- a body's fields, by table ------------------------------------------------------------ */

enum jtype { J_STR, J_INT, J_LL, J_BOOL, J_REAL, J_SKILLS };
struct jfield {
    const char *key;
    enum jtype type;
    size_t off, off_n; /* off_n: J_SKILLS's count */
};
/* keys a snapshot carries that are not edited: read back in a PATCH, never refused */
static const char *const read_only[] = {"id", "unit", "role", "requires", "attendees",
                                        "corrected_by", "actor", NULL};

#define SKILLS_MAX 32
struct parse_buf {
    struct inv_role_skill skills[SKILLS_MAX];
};

/* @j's fields onto @obj by @f: strings borrowed from @j; -EINVAL with @why */
static int parse_fields(json_t *j, const struct jfield *f, size_t nf, void *obj,
                        struct parse_buf *buf, struct inv_refusal *why)
{
    const char *key;
    json_t *v;

    json_object_foreach(j, key, v) {
        const struct jfield *x = NULL;
        char *at;
        for (size_t i = 0; i < nf && !x; i++)
            if (strcmp(f[i].key, key) == 0)
                x = &f[i];
        if (!x) {
            bool ro = false;
            for (size_t i = 0; read_only[i]; i++)
                ro = ro || strcmp(read_only[i], key) == 0;
            if (ro)
                continue;
            return dash_refusal(why, "record", "unknown_field", key);
        }
        at = (char *)obj + x->off;
        switch (x->type) {
        case J_STR:
            if (!json_is_string(v) && !json_is_null(v))
                return dash_refusal(why, key, "not_string", NULL);
            *(const char **)at = json_is_string(v) ? json_string_value(v) : NULL;
            break;
        case J_INT:
        case J_LL:
            if (json_is_null(v)) {
                v = NULL;
            } else if (!json_is_integer(v) || json_integer_value(v) < -1000000000LL ||
                       json_integer_value(v) > 1000000000000LL ||
                       (x->type == J_INT && json_integer_value(v) > INT_MAX)) {
                /* an int field never takes a number it would wrap (4294967336 is not 40) */
                return dash_refusal(why, key, "not_integer", NULL);
            }
            if (x->type == J_INT)
                *(int *)at = v ? (int)json_integer_value(v) : 0;
            else
                *(long long *)at = v ? json_integer_value(v) : 0;
            break;
        case J_BOOL:
            if (!json_is_boolean(v))
                return dash_refusal(why, key, "not_boolean", NULL);
            *(bool *)at = json_is_true(v);
            break;
        case J_REAL:
            if (!json_is_number(v) && !json_is_null(v))
                return dash_refusal(why, key, "not_number", NULL);
            *(double *)at = json_is_number(v) ? json_number_value(v) : NAN;
            break;
        case J_SKILLS: {
            size_t i, n = json_is_array(v) ? json_array_size(v) : 0;
            json_t *e;
            if (!json_is_array(v))
                return dash_refusal(why, key, "not_one_of", NULL);
            if (n > SKILLS_MAX)
                return dash_refusal(why, key, "too_many", "32");
            json_array_foreach(v, i, e) {
                json_t *sid = json_object_get(e, "skill_id"), *lv = json_object_get(e, "level");
                if (!json_is_integer(sid) || !json_is_integer(lv) ||
                    json_integer_value(lv) < 0 || json_integer_value(lv) > 99)
                    return dash_refusal(why, key, "not_integer", NULL);
                buf->skills[i].skill_id = json_integer_value(sid);
                buf->skills[i].level = (int)json_integer_value(lv);
            }
            *(const struct inv_role_skill **)at = buf->skills;
            *(size_t *)((char *)obj + x->off_n) = n;
            break;
        }
        }
    }
    return 0;
}

/* ---- one kind of record: its fields, changes, snapshot and list --------------------------- */

struct kind {
    const char *type; /* the audit object type, and the action's prefix */
    const struct jfield *fields;
    size_t nfields, size;
    void (*init)(void *obj);
    int (*add)(struct ww_db *db, void *ctx, struct inv_change *ch);
    int (*update)(struct ww_db *db, void *ctx, struct inv_change *ch);
    int (*snapshot)(struct ww_db *db, long long id, char **out_json);
    int (*list)(struct ww_db *db, char **out_json);
};

#define F(T, k, t) {#k, t, offsetof(T, k), 0}

static const struct jfield staff_fields[] = {
    F(struct inv_staff, code, J_STR),         F(struct inv_staff, full_name, J_STR),
    F(struct inv_staff, unit_id, J_LL),       F(struct inv_staff, role_id, J_LL),
    F(struct inv_staff, start_day, J_STR),    F(struct inv_staff, active, J_BOOL),
    F(struct inv_staff, move_day, J_STR),
};
static const struct jfield role_fields[] = {
    F(struct inv_job_role, code, J_STR),
    F(struct inv_job_role, name, J_STR),
    F(struct inv_job_role, name_en, J_STR),
};
static const struct jfield skill_fields[] = {
    F(struct inv_skill, code, J_STR),     F(struct inv_skill, name, J_STR),
    F(struct inv_skill, name_en, J_STR),  F(struct inv_skill, category, J_STR),
    F(struct inv_skill, levels, J_INT),   F(struct inv_skill, validity_months, J_INT),
};
static const struct jfield course_fields[] = {
    F(struct inv_course, name, J_STR),
    F(struct inv_course, provider_kind, J_STR),
    F(struct inv_course, provider, J_STR),
    F(struct inv_course, hours, J_INT),
    {"skills", J_SKILLS, offsetof(struct inv_course, skills), offsetof(struct inv_course, nskills)},
};
static const struct jfield session_fields[] = {
    F(struct inv_course_session, course_id, J_LL), F(struct inv_course_session, day, J_STR),
    F(struct inv_course_session, place, J_STR),    F(struct inv_course_session, trainer, J_STR),
    F(struct inv_course_session, capacity, J_INT),
};
static const struct jfield training_fields[] = {
    F(struct inv_training, course_id, J_LL),      F(struct inv_training, session_id, J_LL),
    F(struct inv_training, completed_on, J_STR),  F(struct inv_training, result, J_STR),
    F(struct inv_training, score, J_REAL),        F(struct inv_training, certificate_no, J_STR),
    F(struct inv_training, valid_until, J_STR),   F(struct inv_training, evidence, J_STR),
    F(struct inv_training, source, J_STR),        F(struct inv_training, corrects, J_LL),
};
static const struct jfield target_fields[] = {
    F(struct inv_target, unit_id, J_LL), F(struct inv_target, skill_id, J_LL),
    F(struct inv_target, level, J_INT),  F(struct inv_target, pct, J_INT),
    F(struct inv_target, from_day, J_STR), F(struct inv_target, deadline, J_STR),
};
#undef F

static void staff_init(void *obj)
{
    ((struct inv_staff *)obj)->active = true;
}

static void training_init(void *obj)
{
    ((struct inv_training *)obj)->score = NAN;
}

static void one_level(void *obj)
{
    ((struct inv_skill *)obj)->levels = 1;
}

static void target_init(void *obj)
{
    ((struct inv_target *)obj)->level = 1;
}

static int staff_list_all(struct ww_db *db, char **out_json)
{
    return inv_staff_list_json(db, 0, true, out_json);
}

static const struct kind k_staff = {"staff", staff_fields, WW_ARRAY_SIZE(staff_fields),
                                    sizeof(struct inv_staff), staff_init, inv_apply_staff_add,
                                    inv_apply_staff_update, inv_staff_snapshot, staff_list_all};
static const struct kind k_role = {"role", role_fields, WW_ARRAY_SIZE(role_fields),
                                   sizeof(struct inv_job_role), NULL, inv_apply_role_add,
                                   inv_apply_role_update, inv_role_snapshot, inv_role_list_json};
static const struct kind k_skill = {"skill", skill_fields, WW_ARRAY_SIZE(skill_fields),
                                    sizeof(struct inv_skill), one_level, inv_apply_skill_add,
                                    inv_apply_skill_update, inv_skill_snapshot,
                                    inv_skill_list_json};
static const struct kind k_course = {"course", course_fields, WW_ARRAY_SIZE(course_fields),
                                     sizeof(struct inv_course), NULL, inv_apply_course_add,
                                     inv_apply_course_update, inv_course_snapshot,
                                     inv_course_list_json};
static int session_list_all(struct ww_db *db, char **out_json)
{
    return inv_session_list_json(db, 0, out_json);
}
static const struct kind k_session = {"session", session_fields, WW_ARRAY_SIZE(session_fields),
                                      sizeof(struct inv_course_session), NULL,
                                      inv_apply_session_add, inv_apply_session_update,
                                      inv_session_snapshot, session_list_all};
static const struct kind k_target = {"target", target_fields, WW_ARRAY_SIZE(target_fields),
                                     sizeof(struct inv_target), target_init,
                                     inv_apply_target_add, NULL, inv_target_snapshot,
                                     inv_target_list_json};

/* a JSON text from inventory as the reply (200 or @status); 500 when it is NULL */
static void reply_text(struct dash_reply *out, unsigned status, const char *text)
{
    json_t *j = text ? json_loads(text, 0, NULL) : NULL;
    if (!j)
        dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
    else
        dash_reply_json(out, status, j);
}

static void reply_items(struct dash_reply *out, const char *text)
{
    json_t *a = text ? json_loads(text, 0, NULL) : NULL;
    if (!a)
        dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
    else
        dash_reply_json(out, MHD_HTTP_OK,
                        json_pack("{s:o, s:I}", "items", a, "total",
                                  (json_int_t)json_array_size(a)));
}

/* room for any record a kind reads */
union any_record {
    struct inv_staff staff;
    struct inv_job_role role;
    struct inv_skill skill;
    struct inv_course course;
    struct inv_course_session session;
    struct inv_target target;
};

/* who attended a session is a person's training history (Decree 13): a role without
 * staff.read gets the count of attendees, never their ids */
static void sessions_redact(json_t *items)
{
    size_t i;
    json_t *s;

    json_array_foreach(items, i, s) {
        json_t *a = json_object_get(s, "attendees");
        json_object_set_new(s, "attendee_count", json_integer((json_int_t)json_array_size(a)));
        json_object_del(s, "attendees");
    }
}

static void kind_list(struct dash_req *req, struct dash_reply *out, const struct kind *k)
{
    char *text = NULL;
    int ret;

    dash_lock(req);
    ret = k->list(req->srv->db, &text);
    dash_unlock(req);
    if (ret < 0) {
        dash_reply_db_failed(out);
    } else if (k == &k_session && !dash_role_has(req->auth.role, "staff.read")) {
        json_t *a = text ? json_loads(text, 0, NULL) : NULL;
        if (!a) {
            dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
        } else {
            sessions_redact(a);
            dash_reply_json(out, MHD_HTTP_OK,
                            json_pack("{s:o, s:I}", "items", a, "total",
                                      (json_int_t)json_array_size(a)));
        }
    } else {
        reply_items(out, text);
    }
    free(text);
}

static void kind_add(struct dash_req *req, struct dash_reply *out, const struct kind *k,
                     void *obj, json_t *body)
{
    struct parse_buf buf;
    struct inv_change ch = {.object_type = k->type, .apply = k->add, .ctx = obj};
    struct inv_refusal why;
    char action[32];

    snprintf(action, sizeof(action), "%s.add", k->type);
    ch.action = action;
    if (k->init)
        k->init(obj);
    if (parse_fields(body, k->fields, k->nfields, obj, &buf, &why) < 0)
        dash_reply_refused(out, -EINVAL, &why);
    else if (dash_change(req, out, &ch) == 0)
        reply_text(out, MHD_HTTP_CREATED, ch.after);
    free(ch.after);
}

static void kind_add_body(struct dash_req *req, struct dash_reply *out, const struct kind *k)
{
    union any_record obj;
    json_t *body = dash_body_json(req, out);

    if (!body)
        return;
    memset(&obj, 0, sizeof(obj));
    kind_add(req, out, k, &obj, body);
    json_decref(body);
}

/* a PATCH: the stored record's snapshot with the body over it, in the change's transaction */
struct kind_edit {
    const struct kind *k;
    json_t *body, *merged;
    struct parse_buf buf;
    union any_record obj;
};

static int apply_kind_edit(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    struct kind_edit *e = ctx;
    char *snap = NULL;
    int ret = e->k->snapshot(db, ch->id, &snap);

    if (ret < 0)
        return ret;
    if (!snap)
        return -ENOENT;
    e->merged = json_loads(snap, 0, NULL);
    free(snap);
    if (!e->merged || json_object_update(e->merged, e->body) < 0)
        return -EIO;
    /* a snapshot's null for an optional integer or text is "none" */
    memset(&e->obj, 0, sizeof(e->obj));
    if (e->k->init)
        e->k->init(&e->obj);
    if (parse_fields(e->merged, e->k->fields, e->k->nfields, &e->obj, &e->buf, &ch->why) < 0)
        return -EINVAL;
    return e->k->update(db, &e->obj, ch);
}

static void kind_edit(struct dash_req *req, struct dash_reply *out, const struct kind *k)
{
    struct kind_edit e = {.k = k};
    struct inv_change ch = {.object_type = k->type, .apply = apply_kind_edit, .ctx = &e};
    char action[32];

    snprintf(action, sizeof(action), "%s.change", k->type);
    ch.action = action;
    if (dash_param_id(req->params[0], &ch.id) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "id");
        return;
    }
    if (!(e.body = dash_body_json(req, out)))
        return;
    if (dash_change(req, out, &ch) == 0)
        reply_text(out, MHD_HTTP_OK, ch.after);
    free(ch.after);
    json_decref(e.body);
    json_decref(e.merged);
}

#define KIND_ROUTES(name, k)                                                                      \
    static void api_##name##_list(struct dash_req *req, struct dash_reply *out)                  \
    {                                                                                             \
        kind_list(req, out, &k);                                                                  \
    }                                                                                             \
    static void api_##name##_add(struct dash_req *req, struct dash_reply *out)                   \
    {                                                                                             \
        kind_add_body(req, out, &k);                                                              \
    }
KIND_ROUTES(role, k_role)
KIND_ROUTES(skill, k_skill)
KIND_ROUTES(course, k_course)
KIND_ROUTES(session, k_session)
KIND_ROUTES(target, k_target)
#undef KIND_ROUTES

static void api_staff_add(struct dash_req *req, struct dash_reply *out)
{
    kind_add_body(req, out, &k_staff);
}
static void api_staff_edit(struct dash_req *req, struct dash_reply *out)
{
    kind_edit(req, out, &k_staff);
}
static void api_role_edit(struct dash_req *req, struct dash_reply *out)
{
    kind_edit(req, out, &k_role);
}
static void api_skill_edit(struct dash_req *req, struct dash_reply *out)
{
    kind_edit(req, out, &k_skill);
}
static void api_course_edit(struct dash_req *req, struct dash_reply *out)
{
    kind_edit(req, out, &k_course);
}
static void api_session_edit(struct dash_req *req, struct dash_reply *out)
{
    kind_edit(req, out, &k_session);
}

static void api_target_remove(struct dash_req *req, struct dash_reply *out)
{
    struct inv_change ch = {.action = "target.remove", .object_type = "target",
                            .apply = inv_apply_target_remove};

    if (dash_param_id(req->params[0], &ch.id) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "id");
        return;
    }
    if (dash_change(req, out, &ch) == 0)
        dash_reply_empty(out, MHD_HTTP_NO_CONTENT);
    free(ch.after);
}

/* a change of the record of the path's id whose body is read by the fields @f into @obj */
static void small_change(struct dash_req *req, struct dash_reply *out, struct inv_change *ch,
                         const struct jfield *f, size_t nf, void *obj)
{
    struct inv_refusal why;
    json_t *body;

    if (dash_param_id(req->params[0], &ch->id) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "id");
        return;
    }
    if (!(body = dash_body_json(req, out)))
        return;
    if (parse_fields(body, f, nf, obj, NULL, &why) < 0)
        dash_reply_refused(out, -EINVAL, &why);
    else if (dash_change(req, out, ch) == 0)
        reply_text(out, MHD_HTTP_OK, ch->after);
    free(ch->after);
    json_decref(body);
}

/* POST /job-roles/{id}/requirements {"skill_id":, "level":} (level 0 removes it) */
static void api_role_require(struct dash_req *req, struct dash_reply *out)
{
    static const struct jfield f[] = {
        {"skill_id", J_LL, offsetof(struct inv_role_skill, skill_id), 0},
        {"level", J_INT, offsetof(struct inv_role_skill, level), 0}};
    struct inv_role_skill rs = {0};
    struct inv_change ch = {.action = "role.require", .object_type = "role",
                            .apply = inv_apply_role_skill, .ctx = &rs};

    small_change(req, out, &ch, f, WW_ARRAY_SIZE(f), &rs);
}

/* POST /equipment-skills {"device_kind":, "skill_id":, "level":} (level 0 removes it) */
static void api_equipment_set(struct dash_req *req, struct dash_reply *out)
{
    static const struct jfield f[] = {
        {"device_kind", J_STR, offsetof(struct inv_equipment_skill, device_kind), 0},
        {"skill_id", J_LL, offsetof(struct inv_equipment_skill, skill_id), 0},
        {"level", J_INT, offsetof(struct inv_equipment_skill, level), 0}};
    struct inv_equipment_skill e = {0};
    struct inv_change ch = {.action = "equipment.require", .object_type = "equipment",
                            .apply = inv_apply_equipment_skill, .ctx = &e, .may_be_new = true};
    struct inv_refusal why;
    json_t *body = dash_body_json(req, out);

    if (!body)
        return;
    if (parse_fields(body, f, WW_ARRAY_SIZE(f), &e, NULL, &why) < 0) {
        dash_reply_refused(out, -EINVAL, &why);
    } else {
        ch.key = e.device_kind ? e.device_kind : "";
        if (dash_change(req, out, &ch) == 0)
            reply_text(out, MHD_HTTP_OK, ch.after);
    }
    free(ch.after);
    json_decref(body);
}

static void api_equipment_list(struct dash_req *req, struct dash_reply *out)
{
    static const struct kind k = {.type = "equipment", .list = inv_equipment_list_json};
    kind_list(req, out, &k);
}

/* POST /course-sessions/{id}/attendance {"staff_id":} */
static void api_session_attend(struct dash_req *req, struct dash_reply *out)
{
    static const struct jfield f[] = {{"staff_id", J_LL, 0, 0}};
    long long staff_id = 0;
    struct inv_change ch = {.action = "session.attend", .object_type = "session",
                            .apply = inv_apply_session_attend, .ctx = &staff_id};

    small_change(req, out, &ch, f, WW_ARRAY_SIZE(f), &staff_id);
}

/* POST /staff/{id}/training: a record, or a correction with "corrects" */
static void api_training_add(struct dash_req *req, struct dash_reply *out)
{
    struct inv_training t = {0};
    json_t *body;

    if (dash_param_id(req->params[0], &t.staff_id) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "id");
        return;
    }
    if (!(body = dash_body_json(req, out)))
        return;
    {
        long long staff_id = t.staff_id;
        struct inv_change ch = {.action = "training.add", .object_type = "training",
                                .apply = inv_apply_training_add, .ctx = &t};
        struct parse_buf buf;
        struct inv_refusal why;

        training_init(&t);
        if (parse_fields(body, training_fields, WW_ARRAY_SIZE(training_fields), &t, &buf,
                         &why) < 0) {
            dash_reply_refused(out, -EINVAL, &why);
        } else {
            t.staff_id = staff_id;
            if (dash_change(req, out, &ch) == 0)
                reply_text(out, MHD_HTTP_CREATED, ch.after);
        }
        free(ch.after);
    }
    json_decref(body);
}

/* ---- reading people: names for training.read, full records for staff.read ----------------- */

static void api_staff_list(struct dash_req *req, struct dash_reply *out)
{
    const char *unit = dash_query(req, "unit");
    bool all = dash_role_has(req->auth.role, "staff.read");
    long long unit_id = 0;
    char *text = NULL;
    int ret;

    if (unit && *unit && dash_param_id(unit, &unit_id) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_param", "unit");
        return;
    }
    dash_lock(req);
    ret = inv_staff_list_json(req->srv->db, unit_id, all, &text);
    dash_unlock(req);
    if (ret < 0)
        dash_reply_db_failed(out);
    else
        reply_items(out, text);
    free(text);
}

/* one person's full record (with @with_transcript: and their records), the read audited */
static void staff_full(struct dash_req *req, struct dash_reply *out, bool with_transcript)
{
    struct inv_actor who;
    char *person = NULL, *hist = NULL, *records = NULL, idtext[24];
    long long id;
    int ret;

    if (dash_param_id(req->params[0], &id) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "id");
        return;
    }
    dash_actor(req, &who);
    snprintf(idtext, sizeof(idtext), "%lld", id);
    dash_lock(req);
    ret = inv_staff_snapshot(req->srv->db, id, &person);
    if (ret == 0 && person)
        ret = inv_staff_history_json(req->srv->db, id, &hist);
    if (ret == 0 && person && with_transcript)
        ret = inv_transcript_json(req->srv->db, id, &records);
    /* Decree 13: reading a person's record is recorded like a change */
    if (ret == 0 && person)
        ret = inv_audit_add(req->srv->db, &who, with_transcript ? "staff.transcript"
                                                                : "staff.read",
                            "staff", idtext, NULL, NULL);
    dash_unlock(req);
    if (ret < 0) {
        dash_reply_db_failed(out);
    } else if (!person) {
        dash_reply_error(out, MHD_HTTP_NOT_FOUND, "not_found", NULL);
    } else {
        json_t *o = json_loads(person, 0, NULL);
        if (o) {
            json_object_set_new(o, "history", json_loads(hist ? hist : "[]", 0, NULL));
            if (with_transcript)
                json_object_set_new(o, "records", json_loads(records ? records : "[]", 0, NULL));
        }
        if (o)
            dash_reply_json(out, MHD_HTTP_OK, o);
        else
            dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
    }
    free(person);
    free(hist);
    free(records);
}

static void api_staff_get(struct dash_req *req, struct dash_reply *out)
{
    staff_full(req, out, false);
}

static void api_staff_transcript(struct dash_req *req, struct dash_reply *out)
{
    staff_full(req, out, true);
}

/* ---- gaps and compliance ------------------------------------------------------------------- */

/* ?day= (YYYY-MM-DD, default the office's today) into @day; false with a 400 */
bool dash_training_day(struct dash_req *req, struct dash_reply *out, char day[11])
{
    const char *q = dash_query(req, "day");
    int key;

    if (q && *q) {
        if (strlen(q) != 10 || ww_office_day_key(q, &key) < 0) {
            dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_param", "day");
            return false;
        }
        ww_strlcpy(day, q, 11);
        return true;
    }
    if (ww_office_today(day) < 0) {
        dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
        return false;
    }
    return true;
}

const char *dash_gap_person(const struct inv_gap_data *d, long long id, const char **code)
{
    const struct inv_gap_person *p = inv_gap_person_of(d, id);

    *code = p ? p->code : NULL;
    return p ? p->full_name : NULL;
}

const char *dash_gap_unit(const struct inv_gap_data *d, long long id)
{
    const struct inv_gap_unit *u = inv_gap_unit_of(d, id);
    return u ? u->name : NULL;
}

/* a cell's equipment reason: {id, name, held_from}, or null when no device requires it */
static json_t *device_why(const struct inv_gap_cell *c)
{
    if (!c->device_id)
        return json_null();
    return json_pack("{s:I, s:o, s:s}", "id", (json_int_t)c->device_id, "name",
                     dash_json_text(c->device_name), "held_from", c->held_from);
}

/* ---- the kept gap data --------------------------------------------------------------------
 * DESIGN: a province's inv_gap_load() is half a million holdings (about 1.7 s, bench/
 * RESULTS.md), while a unit's matrix must answer in milliseconds. So the last load is kept,
 * shared by reference, while inventory's change mark stays the same (every audited change:
 * a training record, a person's move, a requirement, a unit, an import) and at most
 * GAP_KEEP_S; a matrix, the compliance and the unit list are computed from it (struct
 * dash_keep does the keeping). The last GAP_PAGES replies made from the load (a unit's
 * matrix of a day, the compliance of a day: its targets' progress is seconds of work) are
 * kept with it as text. One load at a time (keep.compute_lock) and one compliance at a time
 * (comp_lock), each taken before db_lock and never together, so a unit's matrix does not
 * wait for a province's compliance; keep.lock (a leaf) also guards the pages. */
#define GAP_KEEP_S 300

#define GAP_PAGES 32
#define GAP_PAGE_MAX (4u << 20) /* a longer reply (a province's whole matrix) is not kept */
#define GAP_COMPLIANCE (-1) /* a page's unit: the compliance */

/* a reply made from the load: a unit's matrix of a day (unit 0: all) or the compliance */
struct gap_page {
    long long unit;
    char day[11];
    char *text; /* NULL: a free slot */
};

struct gap_kept {
    struct dash_kept head; /* first: kept by the cache's dash_keep */
    struct inv_gap_data d;
    struct gap_page pages[GAP_PAGES]; /* keep.lock; the oldest is replaced */
    size_t next_page;
};

struct dash_gap_cache {
    struct dash_keep keep; /* its compute_lock: one load at a time */
    pthread_mutex_t comp_lock; /* one compliance at a time */
};

struct dash_gap_cache *dash_gap_cache_new(void)
{
    struct dash_gap_cache *c = ww_calloc(1, sizeof(*c));

    dash_keep_init(&c->keep);
    pthread_mutex_init(&c->comp_lock, NULL);
    return c;
}

static void gap_release(struct dash_kept *v)
{
    struct gap_kept *k = (struct gap_kept *)v;

    inv_gap_data_free(&k->d);
    for (size_t i = 0; i < GAP_PAGES; i++)
        free(k->pages[i].text);
    free(k);
}

void dash_gap_cache_free(struct dash_gap_cache *c)
{
    if (!c)
        return;
    dash_keep_destroy(&c->keep);
    pthread_mutex_destroy(&c->comp_lock);
    free(c);
}

/* the gap data, kept or loaded now: a reference to give back with dash_keep_put(), or NULL
 * with @out filled */
static struct gap_kept *gap_get(struct dash_req *req, struct dash_reply *out)
{
    struct dash_gap_cache *c = req->srv->gap_cache;
    struct inv_change_mark mark = {0};
    struct gap_kept *k;
    int ret;

    if (dash_change_mark(req, &mark) < 0) {
        dash_reply_db_failed(out);
        return NULL;
    }
    if ((k = (struct gap_kept *)dash_keep_get(&c->keep, mark.changes, GAP_KEEP_S, NULL, NULL)))
        return k;
    pthread_mutex_lock(&c->keep.compute_lock);
    /* another request may have loaded it while this one waited */
    if ((k = (struct gap_kept *)dash_keep_get(&c->keep, mark.changes, GAP_KEEP_S, NULL, NULL))) {
        pthread_mutex_unlock(&c->keep.compute_lock);
        return k;
    }
    k = ww_calloc(1, sizeof(*k));
    k->head.release = gap_release;
    dash_lock(req);
    ret = inv_gap_load(req->srv->db, &k->d);
    dash_unlock(req);
    if (ret < 0) {
        pthread_mutex_unlock(&c->keep.compute_lock);
        free(k);
        dash_reply_db_failed(out);
        return NULL;
    }
    /* the mark as read before: a change meanwhile makes the next one anew */
    dash_keep_set(&c->keep, &k->head, mark.changes);
    pthread_mutex_unlock(&c->keep.compute_lock);
    return k;
}

/* the kept reply of @unit (GAP_COMPLIANCE: the compliance) on @day: a copy, or NULL */
static char *page_kept(struct dash_gap_cache *c, struct gap_kept *k, long long unit,
                       const char *day)
{
    char *text = NULL;

    pthread_mutex_lock(&c->keep.lock);
    for (size_t i = 0; i < GAP_PAGES && !text; i++)
        if (k->pages[i].text && k->pages[i].unit == unit && strcmp(k->pages[i].day, day) == 0)
            text = ww_strdup(k->pages[i].text);
    pthread_mutex_unlock(&c->keep.lock);
    return text;
}

/* keep a copy of @text as the reply of @unit on @day, in place of the oldest (not when
 * longer than GAP_PAGE_MAX) */
static void page_keep(struct dash_gap_cache *c, struct gap_kept *k, long long unit,
                      const char *day, const char *text)
{
    char *copy, *old;
    struct gap_page *p;

    if (strlen(text) > GAP_PAGE_MAX)
        return;
    copy = ww_strdup(text);
    pthread_mutex_lock(&c->keep.lock);
    p = &k->pages[k->next_page];
    k->next_page = (k->next_page + 1) % GAP_PAGES;
    old = p->text;
    p->text = copy;
    p->unit = unit;
    ww_strlcpy(p->day, day, sizeof(p->day));
    pthread_mutex_unlock(&c->keep.lock);
    free(old);
}

/* a reply as text, or NULL with @out filled (500) */
static char *json_text(struct dash_reply *out, json_t *j)
{
    char *text = j ? json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(12)) : NULL;

    json_decref(j);
    if (!text)
        dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
    return text;
}

static void api_gaps(struct dash_req *req, struct dash_reply *out)
{
    const char *unit = dash_query(req, "unit");
    struct dash_gap_cache *c = req->srv->gap_cache;
    const struct inv_gap_data *d;
    struct inv_gap_matrix m = {0};
    struct gap_kept *kept;
    long long unit_id = 0;
    char day[11], *text;
    json_t *rows, *skills;

    if (unit && *unit && dash_param_id(unit, &unit_id) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_param", "unit");
        return;
    }
    if (!dash_training_day(req, out, day) || !(kept = gap_get(req, out)))
        return;
    if ((text = page_kept(c, kept, unit_id, day))) {
        dash_reply_json_text(out, text);
        free(text);
        dash_keep_put(&c->keep, &kept->head);
        return;
    }
    d = &kept->d;
    inv_gap_matrix(d, day, unit_id, &m);
    rows = json_array();
    for (size_t i = 0; i < m.nrows; i++) {
        const struct inv_gap_row *r = &m.rows[i];
        const char *code, *name = dash_gap_person(d, r->staff_id, &code);
        json_t *cells = json_array();
        for (size_t k = 0; k < r->ncells; k++) {
            const struct inv_gap_cell *cell = &r->cells[k];
            json_array_append_new(
                cells, json_pack("{s:I, s:s, s:i, s:i, s:I, s:I, s:o, s:o}", "skill_id",
                                 (json_int_t)cell->skill_id, "state",
                                 inv_gap_state_name(cell->state), "level_required",
                                 cell->level_required, "level_held", cell->level_held, "role_id",
                                 (json_int_t)cell->role_id, "record_id",
                                 (json_int_t)cell->record_id, "valid_until",
                                 cell->valid_until[0] ? json_string(cell->valid_until)
                                                      : json_null(),
                                 "device", device_why(cell)));
        }
        json_array_append_new(rows, json_pack("{s:I, s:o, s:o, s:I, s:o, s:I, s:o}", "staff_id",
                                              (json_int_t)r->staff_id, "code",
                                              dash_json_text(code), "full_name",
                                              dash_json_text(name), "unit_id",
                                              (json_int_t)r->unit_id, "unit",
                                              dash_json_text(dash_gap_unit(d, r->unit_id)),
                                              "role_id", (json_int_t)r->role_id, "cells", cells));
    }
    skills = json_array();
    for (size_t i = 0; i < d->nskills; i++)
        json_array_append_new(skills, json_pack("{s:I, s:o, s:o}", "id",
                                                (json_int_t)d->skills[i].id, "code",
                                                dash_json_text(d->skills[i].code), "name",
                                                dash_json_text(d->skills[i].name)));
    text = json_text(out, json_pack("{s:s, s:I, s:o, s:o, s:I}", "day", day, "unit_id",
                                    (json_int_t)unit_id, "skills", skills, "items", rows,
                                    "total", (json_int_t)m.nrows));
    if (text) {
        page_keep(c, kept, unit_id, day, text);
        dash_reply_json_text(out, text);
    }
    free(text);
    inv_gap_matrix_free(&m);
    dash_keep_put(&c->keep, &kept->head);
}

/* an inventory list read under the lock, as JSON; NULL on a database failure */
static json_t *list_json(struct dash_req *req, int (*list)(struct ww_db *, char **))
{
    char *text = NULL;
    json_t *a;
    int ret;

    dash_lock(req);
    ret = list(req->srv->db, &text);
    dash_unlock(req);
    a = ret == 0 && text ? json_loads(text, 0, NULL) : NULL;
    free(text);
    return a;
}

/* ---- proposed sessions (inventory/trainplan.c) -------------------------------------------- */

/* the course names, id -> name, from inventory's list; NULL on a database failure */
static json_t *course_names(struct dash_req *req)
{
    json_t *a = list_json(req, inv_course_list_json), *names, *c;
    size_t i;

    if (!a)
        return NULL;
    names = json_object();
    json_array_foreach(a, i, c) {
        char key[24];
        snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(json_object_get(c, "id")));
        json_object_set(names, key, json_object_get(c, "name"));
    }
    json_decref(a);
    return names;
}

static const char *skill_name(const struct inv_gap_data *d, long long id)
{
    const struct inv_gap_skill *k = inv_gap_skill_of(d, id);
    return k ? k->name : NULL;
}

/* one proposal; @full (staff.read): each member's id, code, state and date, else names only */
static json_t *proposal_json(const struct inv_proposal *x, const struct inv_gap_data *d,
                             json_t *courses, bool full)
{
    json_t *members = json_array(), *course = NULL;
    char key[24];

    for (size_t k = 0; k < x->nmembers; k++) {
        const struct inv_proposal_member *mb = &x->members[k];
        const char *code, *name = dash_gap_person(d, mb->staff_id, &code);
        if (!full) {
            json_array_append_new(members, json_pack("{s:o}", "full_name", dash_json_text(name)));
            continue;
        }
        json_array_append_new(
            members, json_pack("{s:I, s:o, s:o, s:s, s:o, s:o}", "staff_id",
                               (json_int_t)mb->staff_id, "code", dash_json_text(code),
                               "full_name", dash_json_text(name), "state",
                               inv_gap_state_name(mb->state), "valid_until",
                               mb->valid_until[0] ? json_string(mb->valid_until) : json_null(),
                               "days_left",
                               mb->valid_until[0] ? json_integer(mb->days_left) : json_null()));
    }
    snprintf(key, sizeof(key), "%lld", x->course_id);
    if (x->course_id)
        course = json_object_get(courses, key);
    return json_pack("{s:I, s:o, s:I, s:o, s:i, s:o, s:o, s:b, s:i, s:I, s:I, s:I, s:I, s:I,"
                     " s:o}",
                     "unit_id", (json_int_t)x->unit_id, "unit",
                     dash_json_text(dash_gap_unit(d, x->unit_id)), "skill_id",
                     (json_int_t)x->skill_id, "skill", dash_json_text(skill_name(d, x->skill_id)),
                     "level", x->level, "course_id",
                     x->course_id ? json_integer(x->course_id) : json_null(), "course",
                     course ? json_incref(course) : json_null(), "no_course", !x->course_id,
                     "capacity", x->capacity, "part", (json_int_t)x->part, "parts",
                     (json_int_t)x->parts, "count", (json_int_t)x->nmembers, "urgent",
                     (json_int_t)x->n_urgent, "days_left_min", (json_int_t)x->days_left_min,
                     "members", members);
}

static void api_proposals(struct dash_req *req, struct dash_reply *out)
{
    const char *unit = dash_query(req, "unit");
    struct gap_kept *kept;
    const struct inv_gap_data *d;
    struct inv_gap_matrix m = {0};
    struct inv_plan_course *co = NULL;
    struct inv_proposals p = {0};
    size_t nco = 0;
    long long unit_id = 0, within;
    bool full = dash_role_has(req->auth.role, "staff.read");
    char day[11];
    json_t *items, *courses;
    int ret;

    if (unit && *unit && dash_param_id(unit, &unit_id) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_param", "unit");
        return;
    }
    if (dash_param_count(dash_query(req, "within"), 30, 0, 366, &within) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_param", "within");
        return;
    }
    if (!dash_training_day(req, out, day))
        return;
    if (!(courses = course_names(req))) {
        dash_reply_db_failed(out);
        return;
    }
    /* the kept gap data (one load for every reader until a change) */
    if (!(kept = gap_get(req, out))) {
        json_decref(courses);
        return;
    }
    d = &kept->d;
    dash_lock(req);
    ret = inv_trainplan_courses_load(req->srv->db, &co, &nco);
    dash_unlock(req);
    if (ret < 0) {
        dash_keep_put(&req->srv->gap_cache->keep, &kept->head);
        json_decref(courses);
        dash_reply_db_failed(out);
        return;
    }
    inv_gap_matrix(d, day, unit_id, &m);
    inv_trainplan_build(&m, co, nco, (int)within, &p);
    items = json_array();
    for (size_t i = 0; i < p.n; i++)
        json_array_append_new(items, proposal_json(&p.items[i], d, courses, full));
    dash_reply_json(out, MHD_HTTP_OK,
                    json_pack("{s:s, s:I, s:I, s:o, s:I}", "day", day, "unit_id",
                              (json_int_t)unit_id, "within", (json_int_t)within, "items", items,
                              "total", (json_int_t)p.n));
    inv_proposals_free(&p);
    inv_gap_matrix_free(&m);
    dash_keep_put(&req->srv->gap_cache->keep, &kept->head);
    free(co);
    json_decref(courses);
}

static json_t *compliance_json(const struct inv_compliance *c, size_t n,
                               const struct inv_gap_data *d, bool units)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:I, s:o, s:I, s:I, s:I, s:I, s:i}", "id",
                                           (json_int_t)c[i].id, "name",
                                           units ? dash_json_text(dash_gap_unit(d, c[i].id))
                                                 : json_null(),
                                           "people", (json_int_t)c[i].people, "people_met",
                                           (json_int_t)c[i].people_met, "reqs",
                                           (json_int_t)c[i].reqs, "reqs_met",
                                           (json_int_t)c[i].reqs_met, "pct", c[i].pct));
    return a;
}

/* the targets with their progress; NULL on a database failure */
json_t *dash_training_targets(struct dash_req *req, const struct inv_gap_data *d, const char *day)
{
    json_t *a = list_json(req, inv_target_list_json), *t;
    size_t i;

    if (!a)
        return NULL;
    json_array_foreach(a, i, t) {
        struct inv_target g = {
            .unit_id = json_integer_value(json_object_get(t, "unit_id")),
            .skill_id = json_integer_value(json_object_get(t, "skill_id")),
            .level = (int)json_integer_value(json_object_get(t, "level")),
            .pct = (int)json_integer_value(json_object_get(t, "pct")),
            .from_day = json_string_value(json_object_get(t, "from_day")),
            .deadline = json_string_value(json_object_get(t, "deadline"))};
        struct inv_target_progress p;
        json_t *months = json_array();

        if (inv_gap_target_progress(d, &g, day, &p) == 0) {
            for (size_t k = 0; k < p.nmonths; k++)
                json_array_append_new(months, json_pack("{s:s, s:I, s:I, s:i}", "month",
                                                        p.months[k].month, "staff",
                                                        (json_int_t)p.months[k].staff, "holding",
                                                        (json_int_t)p.months[k].holding, "pct",
                                                        p.months[k].pct));
            json_object_set_new(t, "reached_on",
                                p.reached_on[0] ? json_string(p.reached_on) : json_null());
            free(p.months);
        }
        json_object_set_new(t, "months", months);
        json_object_set_new(t, "unit", dash_json_text(dash_gap_unit(d, g.unit_id)));
    }
    return a;
}

/* the compliance reply of @day over @d, as text; NULL with @out filled */
static char *compliance_text(struct dash_req *req, struct dash_reply *out,
                             const struct inv_gap_data *d, const char *day)
{
    struct inv_compliance *units = NULL, *roles = NULL;
    size_t nu = 0, nr = 0;
    json_t *targets, *j;

    inv_gap_compliance(d, day, &units, &nu, &roles, &nr);
    targets = dash_training_targets(req, d, day);
    if (!targets) {
        free(units);
        free(roles);
        dash_reply_db_failed(out);
        return NULL;
    }
    j = json_pack("{s:s, s:o, s:o, s:o}", "day", day, "units", compliance_json(units, nu, d, true),
                  "roles", compliance_json(roles, nr, d, false), "targets", targets);
    free(units);
    free(roles);
    return json_text(out, j);
}

static void api_compliance(struct dash_req *req, struct dash_reply *out)
{
    struct dash_gap_cache *c = req->srv->gap_cache;
    struct gap_kept *k;
    char day[11], *text;

    if (!dash_training_day(req, out, day) || !(k = gap_get(req, out)))
        return;
    if (!(text = page_kept(c, k, GAP_COMPLIANCE, day))) {
        /* one computation at a time: the others wait and take its reply */
        pthread_mutex_lock(&c->comp_lock);
        if (!(text = page_kept(c, k, GAP_COMPLIANCE, day)) &&
            (text = compliance_text(req, out, &k->d, day)))
            page_keep(c, k, GAP_COMPLIANCE, day, text);
        pthread_mutex_unlock(&c->comp_lock);
    }
    if (text)
        dash_reply_json_text(out, text);
    free(text);
    dash_keep_put(&c->keep, &k->head);
}

static void api_units(struct dash_req *req, struct dash_reply *out)
{
    const struct inv_gap_data *d;
    struct gap_kept *k;
    json_t *a;

    if (!(k = gap_get(req, out)))
        return;
    d = &k->d;
    a = json_array();
    for (size_t i = 0; i < d->nunits; i++)
        json_array_append_new(a, json_pack("{s:I, s:o, s:I, s:o, s:I}", "id",
                                           (json_int_t)d->units[i].id, "name",
                                           dash_json_text(d->units[i].name), "parent_id",
                                           (json_int_t)d->units[i].parent_id, "valid_to",
                                           d->units[i].valid_to[0]
                                               ? json_string(d->units[i].valid_to)
                                               : json_null(),
                                           "merged_into", (json_int_t)d->units[i].merged_into));
    dash_keep_put(&req->srv->gap_cache->keep, &k->head);
    dash_reply_json(out, MHD_HTTP_OK, json_pack("{s:o}", "items", a));
}

const struct dash_route dash_training_routes[] = {
    {"/api/v1/staff", DASH_GET, api_staff_list, "training.read"},
    {"/api/v1/staff", DASH_POST, api_staff_add, "training.write"},
    {"/api/v1/staff/{id}", DASH_GET, api_staff_get, "staff.read"},
    {"/api/v1/staff/{id}", DASH_PATCH, api_staff_edit, "training.write"},
    {"/api/v1/staff/{id}/transcript", DASH_GET, api_staff_transcript, "staff.read"},
    {"/api/v1/staff/{id}/training", DASH_POST, api_training_add, "training.write"},
    {"/api/v1/job-roles", DASH_GET, api_role_list, "training.read"},
    {"/api/v1/job-roles", DASH_POST, api_role_add, "training.write"},
    {"/api/v1/job-roles/{id}", DASH_PATCH, api_role_edit, "training.write"},
    {"/api/v1/job-roles/{id}/requirements", DASH_POST, api_role_require, "training.write"},
    {"/api/v1/skills", DASH_GET, api_skill_list, "training.read"},
    {"/api/v1/skills", DASH_POST, api_skill_add, "training.write"},
    {"/api/v1/skills/{id}", DASH_PATCH, api_skill_edit, "training.write"},
    {"/api/v1/courses", DASH_GET, api_course_list, "training.read"},
    {"/api/v1/courses", DASH_POST, api_course_add, "training.write"},
    {"/api/v1/courses/{id}", DASH_PATCH, api_course_edit, "training.write"},
    {"/api/v1/course-sessions", DASH_GET, api_session_list, "training.read"},
    {"/api/v1/course-sessions", DASH_POST, api_session_add, "training.write"},
    {"/api/v1/course-sessions/{id}", DASH_PATCH, api_session_edit, "training.write"},
    {"/api/v1/course-sessions/{id}/attendance", DASH_POST, api_session_attend,
     "training.write"},
    {"/api/v1/training/targets", DASH_GET, api_target_list, "training.read"},
    {"/api/v1/training/targets", DASH_POST, api_target_add, "training.write"},
    {"/api/v1/training/targets/{id}", DASH_DELETE, api_target_remove, "training.write"},
    {"/api/v1/training/gaps", DASH_GET, api_gaps, "staff.read"},
    {"/api/v1/training/compliance", DASH_GET, api_compliance, "training.read"},
    /* names and counts for training.read; ids, states and dates with staff.read */
    {"/api/v1/training/proposals", DASH_GET, api_proposals, "training.read"},
    {"/api/v1/training/units", DASH_GET, api_units, "training.read"},
    /* not personal data: what equipment requires, for everyone (it included) */
    {"/api/v1/equipment-skills", DASH_GET, api_equipment_list, "overview.read"},
    {"/api/v1/equipment-skills", DASH_POST, api_equipment_set, "training.write"},
};
const size_t dash_training_nroutes = WW_ARRAY_SIZE(dash_training_routes);

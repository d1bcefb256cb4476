/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * api_training_report.c - the training reports (issue 17 item 5) as CSV, and the expiring-soon
 * list: GET /api/v1/training/gaps.csv (the gap matrix, people x skills, a cell the state's
 * word and the valid-until day), /staff/{id}/transcript.csv (a person's records; the read
 * written to the audit log as the JSON transcript is), /training/compliance.csv (per unit and
 * role, then each target month by month) and /training/expiring (JSON) and .csv (the
 * requirements that expire within 30, 60 or 90 days, with the record and its certificate).
 * Every state comes from inventory/gap.c (inv_gap_matrix, inv_gap_compliance and, through
 * dash_training_targets(), inv_gap_target_progress): nothing here judges a requirement.
 *
 * CSV as api_report.c writes it: UTF-8 with a BOM, headers "csv.<key>" and every word in the
 * reader's language (role and skill names too: their name_en in English), each cell through
 * dash_csv_cell() (formula cells neutralised).
 * Permissions as the pages: what names people's records needs staff.read (hr, admin); the
 * compliance summary training.read (manager too).
 */
#include "dashboard/dashboard_int.h"
#include "inventory/inventory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

#define TRR_CSV_MAX (32u << 20)
#define EXPIRING_DAYS_DEFAULT 90

/* one report request: the CSV being written and the reader's words */
struct trr {
    struct dash_req *req;
    enum ww_lang lang;
    struct ww_buf b;
};

/* the words of @key in the reader's language; @fallback (maybe NULL) when there are none */
static const char *word(const struct trr *q, const char *key, const char *fallback)
{
    const char *w = ww_i18n_text(q->req->srv ? q->req->srv->words : NULL, q->lang, key);
    return w ? w : fallback;
}

/* the words of "<prefix><code>", the code itself when none */
static const char *code_word(const struct trr *q, const char *prefix, const char *code)
{
    char key[96];

    if (!code)
        return NULL;
    snprintf(key, sizeof(key), "%s%s", prefix, code);
    return word(q, key, code);
}

static void cell(struct trr *q, const char *s)
{
    dash_csv_cell(&q->b, s ? s : "", false);
}

static void cell_num(struct trr *q, long long v)
{
    char s[32];
    snprintf(s, sizeof(s), "%lld", v);
    cell(q, s);
}

/* every cell is written with its comma: the line's last one ends it instead */
static void row_end(struct trr *q)
{
    if (q->b.len && q->b.data[q->b.len - 1] == ',') {
        q->b.len--;
        q->b.data[q->b.len] = '\0';
    }
    ww_buf_addstr(&q->b, "\r\n");
}

/* a CSV for @req: the BOM (Excel reads UTF-8 only with it) and the header cells "csv.<key>",
 * not ended (a report may add its own columns) */
static void csv_start(struct trr *q, struct dash_req *req, const char *const *keys, size_t n)
{
    char key[64];

    memset(q, 0, sizeof(*q));
    q->req = req;
    q->lang = dash_req_lang(req);
    ww_buf_init(&q->b, TRR_CSV_MAX);
    ww_buf_addstr(&q->b, "\xEF\xBB\xBF");
    for (size_t i = 0; i < n; i++) {
        snprintf(key, sizeof(key), "csv.%s", keys[i]);
        cell(q, word(q, key, keys[i]));
    }
}

static void reply_csv(struct trr *q, struct dash_reply *out, const char *name, const char *day)
{
    char file[80];
    snprintf(file, sizeof(file), "%s-%s.csv", name, day);
    dash_reply_csv(out, &q->b, file);
}

/* ?unit= (an id; none = all) */
static bool unit_param(struct dash_req *req, struct dash_reply *out, long long *unit_id)
{
    const char *unit = dash_query(req, "unit");

    *unit_id = 0;
    if (unit && *unit && dash_param_id(unit, unit_id) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_param", "unit");
        return false;
    }
    return true;
}

/* the gap rule's rows, read under db_lock; false after a 500 */
static bool gap_load(struct dash_req *req, struct dash_reply *out, struct inv_gap_data *d)
{
    int ret;

    dash_lock(req);
    ret = inv_gap_load(req->srv->db, d);
    dash_unlock(req);
    if (ret < 0) {
        dash_reply_db_failed(out);
        return false;
    }
    return true;
}

/* the job roles or skills (@list: inv_role_list_json, inv_skill_list_json) as the JSON array
 * GET /job-roles or /skills answers; NULL on a database failure */
static json_t *list_load(struct dash_req *req, int (*list)(struct ww_db *, char **))
{
    char *text = NULL;
    json_t *a = NULL;

    dash_lock(req);
    if (list(req->srv->db, &text) == 0)
        a = json_loads(text ? text : "[]", 0, NULL);
    dash_unlock(req);
    free(text);
    return a;
}

/* the name of role or skill @id of @list in the reader's language (name_en in English when
 * set) */
static const char *named(const struct trr *q, json_t *list, long long id)
{
    size_t i;
    json_t *r;

    json_array_foreach(list, i, r) {
        if (json_integer_value(json_object_get(r, "id")) != id)
            continue;
        const char *en = json_string_value(json_object_get(r, "name_en"));
        if (q->lang == WW_LANG_EN && en && *en)
            return en;
        return json_string_value(json_object_get(r, "name"));
    }
    return NULL;
}

static const char *skill_name(const struct inv_gap_data *d, long long id)
{
    for (size_t i = 0; i < d->nskills; i++)
        if (d->skills[i].id == id)
            return d->skills[i].name;
    return NULL;
}

/* ---- the gap matrix ------------------------------------------------------------------------ */

static void api_gaps_csv(struct dash_req *req, struct dash_reply *out)
{
    static const char *const keys[] = {"staff_code", "full_name", "unit", "role"};
    struct inv_gap_matrix m = {0};
    struct inv_gap_data d;
    long long unit_id;
    bool *used = NULL;
    json_t *roles = NULL, *skills = NULL;
    char day[11];
    struct trr q;

    if (!unit_param(req, out, &unit_id) || !dash_training_day(req, out, day) ||
        !gap_load(req, out, &d))
        return;
    roles = list_load(req, inv_role_list_json);
    skills = list_load(req, inv_skill_list_json);
    if (!roles || !skills || inv_gap_matrix(&d, day, unit_id, &m) < 0) {
        dash_reply_db_failed(out);
        goto out;
    }
    /* one column per skill someone in the matrix requires, as the page shows them */
    used = ww_calloc(d.nskills ? d.nskills : 1, sizeof(*used));
    for (size_t i = 0; i < m.nrows; i++)
        for (size_t k = 0; k < m.rows[i].ncells; k++)
            for (size_t s = 0; s < d.nskills; s++)
                used[s] = used[s] || d.skills[s].id == m.rows[i].cells[k].skill_id;
    csv_start(&q, req, keys, WW_ARRAY_SIZE(keys));
    for (size_t s = 0; s < d.nskills; s++)
        if (used[s])
            cell(&q, named(&q, skills, d.skills[s].id));
    row_end(&q);
    for (size_t i = 0; i < m.nrows; i++) {
        const struct inv_gap_row *r = &m.rows[i];
        const char *code, *name = dash_gap_person(&d, r->staff_id, &code);
        cell(&q, code);
        cell(&q, name);
        cell(&q, dash_gap_unit(&d, r->unit_id));
        cell(&q, named(&q, roles, r->role_id));
        for (size_t s = 0; s < d.nskills; s++) {
            const struct inv_gap_cell *c = NULL;
            char text[256];
            if (!used[s])
                continue;
            for (size_t k = 0; k < r->ncells && !c; k++)
                if (r->cells[k].skill_id == d.skills[s].id)
                    c = &r->cells[k];
            if (!c) {
                cell(&q, word(&q, "training.not_required", ""));
                continue;
            }
            /* the state's word and, when a record meets it, the last day it is valid */
            snprintf(text, sizeof(text), "%s%s%s%s",
                     code_word(&q, "gap.", inv_gap_state_name(c->state)),
                     c->valid_until[0] ? " (" : "", c->valid_until, c->valid_until[0] ? ")" : "");
            cell(&q, text);
        }
        row_end(&q);
    }
    reply_csv(&q, out, "gap-matrix", day);
out:
    free(used);
    json_decref(roles);
    json_decref(skills);
    inv_gap_matrix_free(&m);
    inv_gap_data_free(&d);
}

/* ---- a person's transcript ----------------------------------------------------------------- */

static void api_transcript_csv(struct dash_req *req, struct dash_reply *out)
{
    static const char *const keys[] = {"staff_code",   "full_name", "course", "skill",
                                       "completed_on", "result",    "score",  "certificate_no",
                                       "valid_until",  "evidence",  "source", "corrected_by"};
    struct inv_actor who;
    struct inv_staff s = {0};
    char *records = NULL, idtext[24], today[11];
    json_t *a = NULL, *r;
    long long id;
    size_t i;
    struct trr q;
    int ret;

    if (dash_param_id(req->params[0], &id) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "id");
        return;
    }
    if (ww_office_today(today) < 0) {
        dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
        return;
    }
    dash_actor(req, &who);
    snprintf(idtext, sizeof(idtext), "%lld", id);
    dash_lock(req);
    ret = inv_staff_get(req->srv->db, id, &s);
    if (ret == 0)
        ret = inv_transcript_json(req->srv->db, id, &records);
    /* Decree 13: reading a person's record is recorded like a change, the export too */
    if (ret == 0)
        ret = inv_audit_add(req->srv->db, &who, "staff.transcript", "staff", idtext, NULL, NULL);
    dash_unlock(req);
    if (ret == -ENOENT) {
        dash_reply_error(out, MHD_HTTP_NOT_FOUND, "not_found", NULL);
        goto out;
    }
    a = ret == 0 ? json_loads(records ? records : "[]", 0, NULL) : NULL;
    if (!a) {
        dash_reply_db_failed(out);
        goto out;
    }
    csv_start(&q, req, keys, WW_ARRAY_SIZE(keys));
    row_end(&q);
    json_array_foreach(a, i, r) {
        json_t *score = json_object_get(r, "score"), *by = json_object_get(r, "corrected_by");
        json_t *skills = json_object_get(r, "skills"), *k;
        struct ww_buf names;
        char num[32] = "";
        size_t j;

        cell(&q, s.code);
        cell(&q, s.full_name);
        cell(&q, json_string_value(json_object_get(r, "course")));
        /* the skills the course grants, "; " between them, in the reader's language */
        ww_buf_init(&names, 4096);
        json_array_foreach(skills, j, k) {
            const char *en = json_string_value(json_object_get(k, "skill_en"));
            const char *n = q.lang == WW_LANG_EN && en && *en
                                ? en
                                : json_string_value(json_object_get(k, "skill"));
            ww_buf_addf(&names, "%s%s", j ? "; " : "", n ? n : "");
        }
        cell(&q, names.data);
        ww_buf_release(&names);
        cell(&q, json_string_value(json_object_get(r, "completed_on")));
        cell(&q, code_word(&q, "result.", json_string_value(json_object_get(r, "result"))));
        if (json_is_number(score))
            snprintf(num, sizeof(num), "%g", json_number_value(score));
        cell(&q, num);
        cell(&q, json_string_value(json_object_get(r, "certificate_no")));
        cell(&q, json_is_string(json_object_get(r, "valid_until"))
                     ? json_string_value(json_object_get(r, "valid_until"))
                     : word(&q, "training.never", ""));
        cell(&q, json_string_value(json_object_get(r, "evidence")));
        cell(&q, code_word(&q, "source.", json_string_value(json_object_get(r, "source"))));
        if (json_is_integer(by))
            cell_num(&q, json_integer_value(by));
        else
            cell(&q, "");
        row_end(&q);
    }
    snprintf(idtext, sizeof(idtext), "transcript-%lld", id);
    reply_csv(&q, out, idtext, today);
out:
    json_decref(a);
    free(records);
    inv_staff_release(&s);
}

/* ---- unit compliance against targets ------------------------------------------------------- */

static void comp_rows(struct trr *q, const char *section, const struct inv_compliance *c, size_t n,
                      const struct inv_gap_data *d, json_t *roles)
{
    for (size_t i = 0; i < n; i++) {
        cell(q, section);
        cell(q, roles ? named(q, roles, c[i].id) : dash_gap_unit(d, c[i].id));
        cell(q, "");
        cell(q, "");
        cell(q, "");
        cell(q, "");
        cell_num(q, c[i].people);
        cell_num(q, c[i].people_met);
        cell_num(q, c[i].reqs_met);
        cell_num(q, c[i].reqs);
        cell_num(q, c[i].pct);
        cell(q, "");
        row_end(q);
    }
}

static void api_compliance_csv(struct dash_req *req, struct dash_reply *out)
{
    static const char *const keys[] = {"section",  "name",  "skill",          "target_pct",
                                       "deadline", "month", "people",         "people_met",
                                       "reqs_met", "reqs",  "compliance_pct", "reached_on"};
    struct inv_compliance *units = NULL, *roles = NULL;
    struct inv_gap_data d;
    json_t *rl = NULL, *skills = NULL, *targets = NULL, *t;
    size_t nu = 0, nr = 0, i;
    char day[11];
    struct trr q;

    if (!dash_training_day(req, out, day) || !gap_load(req, out, &d))
        return;
    rl = list_load(req, inv_role_list_json);
    skills = list_load(req, inv_skill_list_json);
    targets = rl && skills ? dash_training_targets(req, &d, day) : NULL;
    if (!targets || inv_gap_compliance(&d, day, &units, &nu, &roles, &nr) < 0) {
        dash_reply_db_failed(out);
        goto out;
    }
    csv_start(&q, req, keys, WW_ARRAY_SIZE(keys));
    row_end(&q);
    comp_rows(&q, word(&q, "training.by_unit", "unit"), units, nu, &d, NULL);
    comp_rows(&q, word(&q, "training.by_role", "role"), roles, nr, &d, rl);
    /* each target, one line a month */
    json_array_foreach(targets, i, t) {
        json_t *months = json_object_get(t, "months"), *m;
        const char *unit = json_string_value(json_object_get(t, "unit"));
        const char *reached = json_string_value(json_object_get(t, "reached_on"));
        size_t k;
        json_array_foreach(months, k, m) {
            cell(&q, word(&q, "training.targets", "target"));
            cell(&q, unit ? unit : word(&q, "training.all_units", ""));
            cell(&q, named(&q, skills, json_integer_value(json_object_get(t, "skill_id"))));
            cell_num(&q, json_integer_value(json_object_get(t, "pct")));
            cell(&q, json_string_value(json_object_get(t, "deadline")));
            cell(&q, json_string_value(json_object_get(m, "month")));
            cell_num(&q, json_integer_value(json_object_get(m, "staff")));
            cell_num(&q, json_integer_value(json_object_get(m, "holding")));
            cell(&q, "");
            cell(&q, "");
            cell_num(&q, json_integer_value(json_object_get(m, "pct")));
            cell(&q, reached);
            row_end(&q);
        }
    }
    reply_csv(&q, out, "compliance", day);
out:
    json_decref(targets);
    json_decref(rl);
    json_decref(skills);
    free(units);
    free(roles);
    inv_gap_data_free(&d);
}

/* ---- expiring soon ------------------------------------------------------------------------- */

/* one requirement met by a record that ends within the window */
struct expiring {
    const struct inv_gap_row *row;
    const struct inv_gap_cell *cell;
    const char *name, *code;
    char *key; /* the name as names compare (ww_name_key) */
};

/* soonest first, then by name as people read names, then by skill */
static int expiring_cmp(const void *a, const void *b)
{
    const struct expiring *x = a, *y = b;
    int c;

    if (x->cell->days_left != y->cell->days_left)
        return x->cell->days_left < y->cell->days_left ? -1 : 1;
    c = strcmp(x->key, y->key);
    if (c)
        return c;
    if (x->row->staff_id != y->row->staff_id)
        return x->row->staff_id < y->row->staff_id ? -1 : 1;
    return (x->cell->skill_id > y->cell->skill_id) - (x->cell->skill_id < y->cell->skill_id);
}

/* what both forms of the list share: the filters, the matrix and its expiring cells */
struct expiring_list {
    struct inv_gap_data d;
    struct inv_gap_matrix m;
    struct expiring *v;
    size_t n;
    struct inv_training_ref *refs; /* each item's record: course, certificate (by index) */
    long long unit_id, days;
    char day[11];
};

static void expiring_release(struct expiring_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].key);
    free(l->v);
    inv_training_refs_free(l->refs, l->n);
    inv_gap_matrix_free(&l->m);
    inv_gap_data_free(&l->d);
}

/* ?unit, ?day, ?days (30, 60 or 90); the requirements of the matrix on the day whose state
 * is expiring within that many days; false after a reply (@l released) */
static bool expiring_load(struct dash_req *req, struct dash_reply *out, struct expiring_list *l)
{
    long long *ids = NULL;
    size_t cap = 0;
    int ret;

    memset(l, 0, sizeof(*l));
    if (dash_param_count(dash_query(req, "days"), EXPIRING_DAYS_DEFAULT, 30, 90, &l->days) < 0 ||
        l->days % 30) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_param", "days");
        return false;
    }
    if (!unit_param(req, out, &l->unit_id) || !dash_training_day(req, out, l->day) ||
        !gap_load(req, out, &l->d))
        return false;
    if (inv_gap_matrix(&l->d, l->day, l->unit_id, &l->m) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_param", "day");
        goto fail;
    }
    for (size_t i = 0; i < l->m.nrows; i++) {
        const struct inv_gap_row *r = &l->m.rows[i];
        for (size_t k = 0; k < r->ncells; k++) {
            const struct inv_gap_cell *c = &r->cells[k];
            struct expiring *e;
            if (c->state != INV_GAP_EXPIRING_30 && c->state != INV_GAP_EXPIRING_60 &&
                c->state != INV_GAP_EXPIRING_90)
                continue;
            if (c->days_left > l->days)
                continue;
            if (l->n == cap) {
                cap = cap ? cap * 2 : 16;
                l->v = ww_reallocarray(l->v, cap, sizeof(*l->v));
            }
            e = &l->v[l->n++];
            e->row = r;
            e->cell = c;
            e->name = dash_gap_person(&l->d, r->staff_id, &e->code);
            e->key = ww_name_key(e->name ? e->name : "");
        }
    }
    if (l->n)
        qsort(l->v, l->n, sizeof(*l->v), expiring_cmp);
    /* the record behind each: its course and certificate number, by primary key */
    ids = ww_calloc(l->n ? l->n : 1, sizeof(*ids));
    for (size_t i = 0; i < l->n; i++)
        ids[i] = l->v[i].cell->record_id;
    dash_lock(req);
    ret = inv_training_refs(req->srv->db, ids, l->n, &l->refs);
    dash_unlock(req);
    free(ids);
    if (ret < 0) {
        dash_reply_db_failed(out);
        goto fail;
    }
    return true;
fail:
    expiring_release(l);
    return false;
}

static void api_expiring(struct dash_req *req, struct dash_reply *out)
{
    struct expiring_list l;
    json_t *items;

    if (!expiring_load(req, out, &l))
        return;
    items = json_array();
    for (size_t i = 0; i < l.n; i++) {
        const struct expiring *e = &l.v[i];
        const struct inv_training_ref *rec = &l.refs[i];
        json_array_append_new(
            items,
            json_pack("{s:I, s:o, s:o, s:I, s:o, s:I, s:I, s:o, s:s, s:s, s:I, s:I, s:o, s:o}",
                      "staff_id", (json_int_t)e->row->staff_id, "code", dash_json_text(e->code),
                      "full_name", dash_json_text(e->name), "unit_id", (json_int_t)e->row->unit_id,
                      "unit", dash_json_text(dash_gap_unit(&l.d, e->row->unit_id)), "role_id",
                      (json_int_t)e->cell->role_id, "skill_id", (json_int_t)e->cell->skill_id,
                      "skill", dash_json_text(skill_name(&l.d, e->cell->skill_id)), "state",
                      inv_gap_state_name(e->cell->state), "valid_until", e->cell->valid_until,
                      "days_left", (json_int_t)e->cell->days_left, "record_id",
                      (json_int_t)e->cell->record_id, "course", dash_json_text(rec->course),
                      "certificate_no", dash_json_text(rec->certificate_no)));
    }
    dash_reply_json(out, MHD_HTTP_OK,
                    json_pack("{s:s, s:I, s:I, s:o, s:I}", "day", l.day, "days", (json_int_t)l.days,
                              "unit_id", (json_int_t)l.unit_id, "items", items, "total",
                              (json_int_t)l.n));
    expiring_release(&l);
}

static void api_expiring_csv(struct dash_req *req, struct dash_reply *out)
{
    static const char *const keys[] = {"staff_code", "full_name", "unit",          "role",
                                       "skill",      "state",     "valid_until",   "days_left",
                                       "course",     "record_id", "certificate_no"};
    struct expiring_list l;
    json_t *roles, *skills;
    struct trr q;

    if (!expiring_load(req, out, &l))
        return;
    roles = list_load(req, inv_role_list_json);
    skills = list_load(req, inv_skill_list_json);
    if (!roles || !skills) {
        dash_reply_db_failed(out);
        goto out;
    }
    csv_start(&q, req, keys, WW_ARRAY_SIZE(keys));
    row_end(&q);
    for (size_t i = 0; i < l.n; i++) {
        const struct expiring *e = &l.v[i];
        const struct inv_training_ref *rec = &l.refs[i];
        cell(&q, e->code);
        cell(&q, e->name);
        cell(&q, dash_gap_unit(&l.d, e->row->unit_id));
        cell(&q, named(&q, roles, e->cell->role_id));
        cell(&q, named(&q, skills, e->cell->skill_id));
        cell(&q, code_word(&q, "gap.", inv_gap_state_name(e->cell->state)));
        cell(&q, e->cell->valid_until);
        cell_num(&q, e->cell->days_left);
        cell(&q, rec->course);
        cell_num(&q, e->cell->record_id);
        cell(&q, rec->certificate_no);
        row_end(&q);
    }
    reply_csv(&q, out, "expiring", l.day);
out:
    json_decref(roles);
    json_decref(skills);
    expiring_release(&l);
}

const struct dash_route dash_training_report_routes[] = {
    {"/api/v1/training/gaps.csv", DASH_GET, api_gaps_csv, "staff.read"},
    {"/api/v1/staff/{id}/transcript.csv", DASH_GET, api_transcript_csv, "staff.read"},
    {"/api/v1/training/compliance.csv", DASH_GET, api_compliance_csv, "training.read"},
    {"/api/v1/training/expiring", DASH_GET, api_expiring, "staff.read"},
    {"/api/v1/training/expiring.csv", DASH_GET, api_expiring_csv, "staff.read"},
};
const size_t dash_training_report_nroutes = WW_ARRAY_SIZE(dash_training_report_routes);

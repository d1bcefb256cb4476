/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * trainplan.c - proposed training sessions (issue 17 item 4): people of one unit with the
 * same unmet skill, grouped into sessions of a course that grants it. THE RULE is stated once
 * in inventory.h above struct inv_proposal and applied here only, by inv_trainplan_build().
 *
 * DESIGN: the gap itself is gap.c's (a cell of inv_gap_matrix()); this file only reads the
 * matrix's cells, never judges a record. inv_trainplan_courses_load() reads every course's
 * granted skills with its capacity in one query; inv_trainplan_build() is pure (sorting with
 * total orders, so equal inputs give equal outputs whatever the order of the arrays given).
 * It also holds the look-ups by id in a loaded struct inv_gap_data (inv_gap_*_get()) that the
 * proposals' and reminders' readers share (gap.c has its own, static).
 */
#include "inventory/inventory_int.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

#define WITHIN_MAX 366

/* one person's unmet requirement, before grouping */
struct cand {
    long long unit_id, skill_id;
    int level;
    int cls;        /* 0 missing or expired, 1 expiring within the window */
    long long days; /* days left (cls 1), 0 for cls 0 */
    struct inv_proposal_member m;
};

static int cmp_ll(long long a, long long b)
{
    return (a > b) - (a < b);
}

/* group (unit, skill, level), then urgency, then staff id: a total order */
static int cand_cmp(const void *pa, const void *pb)
{
    const struct cand *a = pa, *b = pb;
    int c;
    if ((c = cmp_ll(a->unit_id, b->unit_id)) || (c = cmp_ll(a->skill_id, b->skill_id)) ||
        (c = cmp_ll(a->level, b->level)) || (c = cmp_ll(a->cls, b->cls)) ||
        (c = cmp_ll(a->days, b->days)))
        return c;
    return cmp_ll(a->m.staff_id, b->m.staff_id);
}

static bool same_group(const struct cand *a, const struct cand *b)
{
    return a->unit_id == b->unit_id && a->skill_id == b->skill_id && a->level == b->level;
}

/* the course of the rule: grants @skill_id at @level or higher; the smallest level granted,
 * then the fewest hours, then the lowest id. NULL when none. */
static const struct inv_plan_course *course_for(const struct inv_plan_course *c, size_t nc,
                                                long long skill_id, int level)
{
    const struct inv_plan_course *best = NULL;
    for (size_t i = 0; i < nc; i++) {
        if (c[i].skill_id != skill_id || c[i].level < level)
            continue;
        if (!best || c[i].level < best->level ||
            (c[i].level == best->level &&
             (c[i].hours < best->hours ||
              (c[i].hours == best->hours && c[i].course_id < best->course_id))))
            best = &c[i];
    }
    return best;
}

/* urgency first (a proposal's first member is its most urgent), then the group and part */
static int proposal_cmp(const void *pa, const void *pb)
{
    const struct inv_proposal *a = pa, *b = pb;
    int ca = a->n_urgent ? 0 : 1, cb = b->n_urgent ? 0 : 1, c;
    long long da = ca ? a->days_left_min : 0, db = cb ? b->days_left_min : 0;
    if ((c = cmp_ll(ca, cb)) || (c = cmp_ll(da, db)) || (c = cmp_ll(a->unit_id, b->unit_id)) ||
        (c = cmp_ll(a->skill_id, b->skill_id)) || (c = cmp_ll(a->level, b->level)))
        return c;
    return cmp_ll((long long)a->part, (long long)b->part);
}

int inv_trainplan_build(const struct inv_gap_matrix *m, const struct inv_plan_course *courses,
                        size_t ncourses, int within_days, struct inv_proposals *out)
{
    struct cand *cands = NULL;
    size_t n = 0, cap = 0, nprop = 0;

    memset(out, 0, sizeof(*out));
    if (!m || within_days < 0 || within_days > WITHIN_MAX || (ncourses && !courses))
        return -EINVAL;
    for (size_t i = 0; i < m->nrows; i++) {
        const struct inv_gap_row *r = &m->rows[i];
        for (size_t k = 0; k < r->ncells; k++) {
            const struct inv_gap_cell *c = &r->cells[k];
            struct cand x = {.unit_id = r->unit_id, .skill_id = c->skill_id,
                             .level = c->level_required};
            if (c->state == INV_GAP_MISSING || c->state == INV_GAP_EXPIRED)
                x.cls = 0;
            else if (c->valid_until[0] && c->days_left <= within_days) {
                x.cls = 1;
                x.days = c->days_left;
            } else {
                continue;
            }
            x.m.staff_id = r->staff_id;
            x.m.state = c->state;
            x.m.days_left = c->valid_until[0] ? c->days_left : 0;
            ww_strlcpy(x.m.valid_until, c->valid_until, sizeof(x.m.valid_until));
            if (n == cap) {
                cap = cap ? 2 * cap : 64;
                cands = ww_reallocarray(cands, cap, sizeof(*cands));
            }
            cands[n++] = x;
        }
    }
    if (n)
        qsort(cands, n, sizeof(*cands), cand_cmp);

    /* members in group order; each proposal points into this one array */
    if (n) {
        out->members = ww_reallocarray(NULL, n, sizeof(*out->members));
        for (size_t i = 0; i < n; i++)
            out->members[i] = cands[i].m;
    }
    /* count the proposals first, so that the array is allocated once */
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && same_group(&cands[i], &cands[j]))
            j++;
        const struct inv_plan_course *co =
            course_for(courses, ncourses, cands[i].skill_id, cands[i].level);
        size_t per = co && co->capacity > 0 ? (size_t)co->capacity : j - i;
        nprop += (j - i + per - 1) / per;
        i = j;
    }
    if (nprop)
        out->items = ww_reallocarray(NULL, nprop, sizeof(*out->items));
    for (size_t i = 0; i < n;) {
        size_t j = i, parts, per;
        while (j < n && same_group(&cands[i], &cands[j]))
            j++;
        const struct inv_plan_course *co =
            course_for(courses, ncourses, cands[i].skill_id, cands[i].level);
        per = co && co->capacity > 0 ? (size_t)co->capacity : j - i;
        parts = (j - i + per - 1) / per;
        for (size_t p = 0; p < parts; p++) {
            struct inv_proposal *x = &out->items[out->n++];
            size_t from = i + p * per, to = from + per < j ? from + per : j;
            memset(x, 0, sizeof(*x));
            x->unit_id = cands[i].unit_id;
            x->skill_id = cands[i].skill_id;
            x->level = cands[i].level;
            x->course_id = co ? co->course_id : 0;
            x->capacity = co ? co->capacity : 0;
            x->part = p + 1;
            x->parts = parts;
            x->members = &out->members[from];
            x->nmembers = to - from;
            x->days_left_min = LLONG_MAX;
            for (size_t q = from; q < to; q++) {
                if (cands[q].cls == 0)
                    x->n_urgent++;
                else if (cands[q].days < x->days_left_min)
                    x->days_left_min = cands[q].days;
            }
            if (x->days_left_min == LLONG_MAX)
                x->days_left_min = 0;
        }
        i = j;
    }
    free(cands);
    if (out->n)
        qsort(out->items, out->n, sizeof(*out->items), proposal_cmp);
    return 0;
}

void inv_proposals_free(struct inv_proposals *p)
{
    if (!p)
        return;
    free(p->items);
    free(p->members);
    memset(p, 0, sizeof(*p));
}

int inv_trainplan_courses_load(struct ww_db *db, struct inv_plan_course **out_items,
                               size_t *out_n)
{
    /* the capacity of a course: its latest session with a limit (by day, then id) */
    static const char sql[] =
        "SELECT cs.course_id, cs.skill_id, cs.level, c.hours,"
        "  (SELECT s.capacity FROM course_session s WHERE s.course_id = c.id AND s.capacity > 0"
        "   ORDER BY s.day DESC, s.id DESC LIMIT 1)"
        " FROM course_skill cs JOIN course c ON c.id = cs.course_id"
        " ORDER BY cs.skill_id, cs.level, c.hours, cs.course_id";
    struct inv_plan_course *items = NULL;
    size_t n = 0, cap = 0;
    sqlite3_stmt *st;
    int rc;

    *out_items = NULL;
    *out_n = 0;
    if (!(st = ww_db_prepare(db, sql)))
        return -EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? 2 * cap : 32;
            items = ww_reallocarray(items, cap, sizeof(*items));
        }
        items[n].course_id = sqlite3_column_int64(st, 0);
        items[n].skill_id = sqlite3_column_int64(st, 1);
        items[n].level = sqlite3_column_int(st, 2);
        items[n].hours = sqlite3_column_int(st, 3);
        items[n].capacity = sqlite3_column_int(st, 4);
        n++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free(items);
        return ww_error(-EIO, "inventory: training plan: %s", sqlite3_errmsg(db->sql));
    }
    *out_items = items;
    *out_n = n;
    return 0;
}

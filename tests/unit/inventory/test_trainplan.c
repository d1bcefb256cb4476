/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_trainplan.c - proposed training sessions (issue 17 item 4, inventory/trainplan.c): the
 * grouping rule on hand-built gap matrices (capacity split, no course, ordering, the window,
 * stability against input order), then the production path on a database: a unit merger
 * through inv_gap_matrix() and the courses' capacity through inv_trainplan_courses_load().
 * Each case's expectation is written by hand as text: one proposal per "; ", as
 * "u<unit> s<skill> l<level> c<course> <part>/<parts> cap<capacity> [staff ids]".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "inventory/inventory.h"
#include "inv_test.h"

/* a cell as a case writes it: state M missing, X expired, E expiring (days left), V valid */
struct tcell {
    long long staff, unit, skill;
    int level;
    char state;
    long long days_left;
};

#define CELLS_MAX 12
#define COURSES_MAX 4
struct plan_case {
    const char *why;
    struct tcell cells[CELLS_MAX]; /* ended by staff 0 */
    struct inv_plan_course courses[COURSES_MAX]; /* ended by course_id 0 */
    int within;
    const char *want;
};

static enum inv_gap_state state_of(char c)
{
    switch (c) {
    case 'M': return INV_GAP_MISSING;
    case 'X': return INV_GAP_EXPIRED;
    case 'E': return INV_GAP_EXPIRING_30;
    default: return INV_GAP_VALID;
    }
}

/* one row per cell (a person may appear in several rows: the rule reads cells only) */
static void matrix_of(const struct tcell *t, struct inv_gap_matrix *m, bool reverse)
{
    size_t n = 0;
    while (n < CELLS_MAX && t[n].staff)
        n++;
    m->rows = calloc(n ? n : 1, sizeof(*m->rows));
    m->nrows = n;
    for (size_t i = 0; i < n; i++) {
        const struct tcell *c = &t[reverse ? n - 1 - i : i];
        struct inv_gap_row *r = &m->rows[i];
        r->staff_id = c->staff;
        r->unit_id = c->unit;
        r->cells = calloc(1, sizeof(*r->cells));
        r->ncells = 1;
        r->cells[0].skill_id = c->skill;
        r->cells[0].level_required = c->level;
        r->cells[0].state = state_of(c->state);
        if (c->state != 'M') {
            r->cells[0].days_left = c->days_left;
            ww_strlcpy(r->cells[0].valid_until, "2026-01-01", 11); /* any day: present */
        }
    }
}

static char *render(const struct inv_proposals *p)
{
    static char buf[2048];
    size_t at = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < p->n; i++) {
        const struct inv_proposal *x = &p->items[i];
        at += (size_t)snprintf(buf + at, sizeof(buf) - at, "%su%lld s%lld l%d c%lld %zu/%zu cap%d [",
                               i ? "; " : "", x->unit_id, x->skill_id, x->level, x->course_id,
                               x->part, x->parts, x->capacity);
        for (size_t k = 0; k < x->nmembers; k++)
            at += (size_t)snprintf(buf + at, sizeof(buf) - at, "%s%lld", k ? " " : "",
                                   x->members[k].staff_id);
        at += (size_t)snprintf(buf + at, sizeof(buf) - at, "]");
    }
    return buf;
}

static size_t ncourses(const struct inv_plan_course *c)
{
    size_t n = 0;
    while (n < COURSES_MAX && c[n].course_id)
        n++;
    return n;
}

static void test_grouping(void **state)
{
    static const struct plan_case cases[] = {
        {"five people missing the same skill in one unit, a course of capacity 2: three"
         " sessions of 2, 2 and 1, by staff id (all equally urgent)",
         {{5, 1, 1, 1, 'M', 0}, {3, 1, 1, 1, 'M', 0}, {1, 1, 1, 1, 'M', 0},
          {4, 1, 1, 1, 'M', 0}, {2, 1, 1, 1, 'M', 0}},
         {{10, 1, 1, 4, 2}},
         30,
         "u1 s1 l1 c10 1/3 cap2 [1 2]; u1 s1 l1 c10 2/3 cap2 [3 4]; u1 s1 l1 c10 3/3 cap2 [5]"},
        {"the split puts the most urgent first: missing and expired before 3 days left, and"
         " 3 before 20",
         {{1, 1, 1, 1, 'E', 20}, {2, 1, 1, 1, 'E', 3}, {3, 1, 1, 1, 'X', -5},
          {4, 1, 1, 1, 'M', 0}},
         {{10, 1, 1, 4, 2}},
         30,
         "u1 s1 l1 c10 1/2 cap2 [3 4]; u1 s1 l1 c10 2/2 cap2 [2 1]"},
        {"capacity 0 (no session with a limit) is not limited: one session for the group",
         {{1, 1, 1, 1, 'M', 0}, {2, 1, 1, 1, 'M', 0}, {3, 1, 1, 1, 'M', 0}},
         {{10, 1, 1, 4, 0}},
         30,
         "u1 s1 l1 c10 1/1 cap0 [1 2 3]"},
        {"no course grants the skill: one proposal without a course (c0), flagged",
         {{1, 2, 7, 1, 'M', 0}, {2, 2, 7, 1, 'X', -1}},
         {{10, 1, 1, 4, 2}},
         30,
         "u2 s7 l1 c0 1/1 cap0 [1 2]"},
        {"a course granting only a lower level does not qualify; of two that do, the smaller"
         " level granted wins over fewer hours",
         {{1, 1, 1, 2, 'M', 0}},
         {{10, 1, 1, 2, 5}, {11, 1, 3, 2, 5}, {12, 1, 2, 8, 5}},
         30,
         "u1 s1 l2 c12 1/1 cap5 [1]"},
        {"same level granted: fewer hours, then the lower id", {{1, 1, 1, 1, 'M', 0}},
         {{14, 1, 1, 6, 5}, {13, 1, 1, 4, 5}, {12, 1, 1, 4, 9}},
         30,
         "u1 s1 l1 c12 1/1 cap9 [1]"},
        {"different units are different sessions; different required levels too",
         {{1, 1, 1, 1, 'M', 0}, {2, 2, 1, 1, 'M', 0}, {3, 1, 1, 2, 'M', 0}},
         {{10, 1, 2, 4, 9}},
         30,
         "u1 s1 l1 c10 1/1 cap9 [1]; u1 s1 l2 c10 1/1 cap9 [3]; u2 s1 l1 c10 1/1 cap9 [2]"},
        {"the window: 30 days left is in a 30-day window, 31 is not, valid never is",
         {{1, 1, 1, 1, 'E', 30}, {2, 1, 1, 1, 'E', 31}, {3, 1, 1, 1, 'V', 400}},
         {{10, 1, 1, 4, 9}},
         30,
         "u1 s1 l1 c10 1/1 cap9 [1]"},
        {"window 0: only the last valid day (0 left) and what is unmet",
         {{1, 1, 1, 1, 'E', 0}, {2, 1, 1, 1, 'E', 1}, {3, 1, 1, 1, 'M', 0}},
         {{10, 1, 1, 4, 9}},
         0,
         "u1 s1 l1 c10 1/1 cap9 [3 1]"},
        {"ordering: a proposal with someone missing first (whatever its unit), then by the"
         " fewest days left",
         {{1, 1, 1, 1, 'E', 9}, {2, 2, 2, 1, 'E', 2}, {3, 3, 3, 1, 'M', 0}},
         {{10, 1, 1, 4, 9}, {20, 2, 1, 4, 9}, {30, 3, 1, 4, 9}},
         30,
         "u3 s3 l1 c30 1/1 cap9 [3]; u2 s2 l1 c20 1/1 cap9 [2]; u1 s1 l1 c10 1/1 cap9 [1]"},
        {"nothing unmet: no proposal", {{1, 1, 1, 1, 'V', 200}}, {{10, 1, 1, 4, 9}}, 30, ""},
    };

    (void)state;
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        const struct plan_case *c = &cases[i];
        char first[2048];

        print_message("case: %s\n", c->why);
        /* the same answer whatever the order of the rows: stable and deterministic */
        for (int rev = 0; rev < 2; rev++) {
            struct inv_gap_matrix m = {0};
            struct inv_proposals p;
            matrix_of(c->cells, &m, rev);
            assert_int_equal(inv_trainplan_build(&m, c->courses, ncourses(c->courses), c->within,
                                                 &p),
                             0);
            if (!rev)
                ww_strlcpy(first, render(&p), sizeof(first));
            else
                assert_string_equal(render(&p), first);
            assert_string_equal(first, c->want);
            inv_proposals_free(&p);
            inv_gap_matrix_free(&m);
        }
    }
}

static void test_bad_window(void **state)
{
    struct inv_gap_matrix m = {0};
    struct inv_proposals p;
    (void)state;
    assert_int_equal(inv_trainplan_build(&m, NULL, 0, -1, &p), -EINVAL);
    assert_int_equal(inv_trainplan_build(&m, NULL, 0, 367, &p), -EINVAL);
    assert_int_equal(inv_trainplan_build(&m, NULL, 0, 366, &p), 0);
    assert_int_equal(p.n, 0);
    inv_proposals_free(&p);
}

/* the production path: a merger (gap.c puts the merged unit's people in the unit it merged
 * into), and the courses with their latest limited session's capacity */
static void test_merger_db(void **state)
{
    struct ww_db *db = *state;
    struct inv_gap_data d;
    struct inv_gap_matrix m;
    struct inv_plan_course *co = NULL;
    struct inv_proposals p;
    size_t nco = 0;

    assert_int_equal(
        ww_db_exec(db,
                   "INSERT INTO org_unit (id, name, level, valid_to, merged_into) VALUES"
                   " (2, 'Phường Mới', 'ward', NULL, NULL),"
                   " (1, 'Phường Cũ', 'ward', '2025-07-01', 2);"
                   "INSERT INTO job_role (id, code, name) VALUES (1, 'oss', 'Một cửa');"
                   "INSERT INTO skill (id, code, name, category, levels, validity_months)"
                   " VALUES (1, 'sig', 'Chữ ký số', 'security', 1, 24);"
                   "INSERT INTO role_skill VALUES (1, 1, 1);"
                   "INSERT INTO course (id, name, provider_kind, hours) VALUES"
                   " (1, 'Chữ ký số', 'internal', 4);"
                   "INSERT INTO course_skill VALUES (1, 1, 1);"
                   "INSERT INTO course_session (course_id, day, capacity) VALUES"
                   " (1, '2025-01-10', 30), (1, '2025-03-10', 2), (1, '2025-05-10', 0);"
                   "INSERT INTO staff (id, code, code_key, full_name, name_key, unit_id,"
                   " role_id, start_day) VALUES (1, 'P1', 'p1', 'An', 'an', 1, 1,"
                   " '2025-01-01'), (2, 'P2', 'p2', 'Bình', 'bình', 2, 1, '2025-01-01'),"
                   " (3, 'P3', 'p3', 'Chi', 'chi', 1, 1, '2025-01-01');"
                   "INSERT INTO staff_history (staff_id, unit_id, role_id, from_day, to_day,"
                   " actor) VALUES (1, 1, 1, '2025-01-01', NULL, 't'),"
                   " (2, 2, 1, '2025-01-01', NULL, 't'), (3, 1, 1, '2025-01-01', NULL, 't');"),
        0);
    assert_int_equal(inv_trainplan_courses_load(db, &co, &nco), 0);
    assert_int_equal(nco, 1);
    print_message("case: the capacity is the latest session with a limit (2, not 30 or 0)\n");
    assert_int_equal(co[0].capacity, 2);
    assert_int_equal(inv_gap_load(db, &d), 0);
    print_message("case: the look-ups by id of the loaded rows, and none for an unknown id\n");
    assert_string_equal(inv_gap_person_of(&d, 2)->full_name, "Bình");
    assert_string_equal(inv_gap_unit_of(&d, 1)->name, "Phường Cũ");
    assert_string_equal(inv_gap_skill_of(&d, 1)->name, "Chữ ký số");
    assert_null(inv_gap_person_of(&d, 4));
    assert_null(inv_gap_unit_of(&d, 0));

    print_message("case: before the merger each unit has its own sessions\n");
    assert_int_equal(inv_gap_matrix(&d, "2025-06-30", 0, &m), 0);
    assert_int_equal(inv_trainplan_build(&m, co, nco, 30, &p), 0);
    assert_string_equal(render(&p),
                        "u1 s1 l1 c1 1/1 cap2 [1 3]; u2 s1 l1 c1 1/1 cap2 [2]");
    inv_proposals_free(&p);
    inv_gap_matrix_free(&m);

    print_message("case: from the merger day the three are one group of Phường Mới, split"
                  " by capacity 2\n");
    assert_int_equal(inv_gap_matrix(&d, "2025-07-01", 0, &m), 0);
    assert_int_equal(inv_trainplan_build(&m, co, nco, 30, &p), 0);
    assert_string_equal(render(&p),
                        "u2 s1 l1 c1 1/2 cap2 [1 2]; u2 s1 l1 c1 2/2 cap2 [3]");
    inv_proposals_free(&p);
    inv_gap_matrix_free(&m);
    inv_gap_data_free(&d);
    free(co);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grouping),
        cmocka_unit_test(test_bad_window),
        cmocka_unit_test_setup_teardown(test_merger_db, inv_test_db_open, inv_test_db_close),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

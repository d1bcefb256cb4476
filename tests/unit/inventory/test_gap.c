/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_gap.c - skill gaps (issue 17, inventory/gap.c) on a fixed organisation written into
 * the database by hand: role requirements, expiry boundaries (the day before, of and after),
 * a role change, a unit merger, correction entries and a target reached mid-month. Every
 * expectation is computed by hand in the comment of its case.
 *
 * The organisation:
 *   units   1 "Phường Cũ" merged into 2 "Phường Mới" on 2025-07-01; 3 "Xã Khác"
 *   roles   1 oss officer: digital signature (skill 1) level 1, basic digital (skill 2) level 1
 *           2 clerk: basic digital level 2
 *   skills  1 digital signature (24 months), 2 basic digital (3 levels, never expires)
 *   courses 1 gives skill 1 level 1; 2 gives skill 2 level 2; 3 gives skill 2 level 1
 *   people  P1 An: unit 1, oss from 2025-01-01; signature 2023-06-10 valid until 2025-06-10,
 *              basic course 2 on 2024-01-01
 *           P2 Bình: unit 2, clerk from 2025-01-01, oss from 2025-03-01; basic level 1 on
 *              2024-05-01; signature on 2025-08-14 (for the target)
 *           P3 Chi: unit 3, oss; signature 2025-01-15 "failed", corrected to "passed" (valid
 *              until 2027-01-15); basic course 2 on 2024-02-01
 *           P4 Dũng: unit 1, clerk; basic course 2 on 2025-02-01 "passed", corrected to
 *              "revoked"
 * Equipment (test_equipment, equipment_fixture()):
 *   skill   3 one-stop-shop software (2 levels, never expires); course 4 gives it at level 1
 *   devices 10 a one-stop-shop counter PC (kind pc, criticality one_stop_counter),
 *           12 an office PC (kind pc)
 *   needs   one_stop_counter: skill 3 level 1; pc: skill 2 (basic) level 2
 *   held    10 by P4 from 2025-03-01 to 2025-05-01, then by P1 (open); 12 by P4 from
 *           2025-02-01 (open). P1 completes course 4 on 2025-04-01 (record 11).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inventory/inventory.h"
#include "inv_test.h"

static void fixture(struct ww_db *db)
{
    assert_int_equal(
        ww_db_exec(
            db,
            "INSERT INTO org_unit (id, name, level, valid_to, merged_into) VALUES"
            " (2, 'Phường Mới', 'ward', NULL, NULL),"
            " (1, 'Phường Cũ', 'ward', '2025-07-01', 2), (3, 'Xã Khác', 'ward', NULL, NULL);"
            "INSERT INTO job_role (id, code, name) VALUES (1, 'oss', 'Một cửa'),"
            " (2, 'clerk', 'Văn thư');"
            "INSERT INTO skill (id, code, name, category, levels, validity_months) VALUES"
            " (1, 'sig', 'Chữ ký số', 'security', 1, 24),"
            " (2, 'basic', 'Kỹ năng số', 'digital', 3, 0);"
            "INSERT INTO role_skill VALUES (1, 1, 1), (1, 2, 1), (2, 2, 2);"
            "INSERT INTO course (id, name, provider_kind, hours) VALUES"
            " (1, 'Chữ ký số', 'internal', 4), (2, 'Kỹ năng số 2', 'online', 8),"
            " (3, 'Kỹ năng số 1', 'online', 4);"
            "INSERT INTO course_skill VALUES (1, 1, 1), (2, 2, 2), (3, 2, 1);"
            "INSERT INTO staff (id, code, code_key, full_name, name_key, unit_id, role_id,"
            " start_day) VALUES (1, 'P1', 'p1', 'An', 'an', 1, 1, '2025-01-01'),"
            " (2, 'P2', 'p2', 'Bình', 'bình', 2, 1, '2025-01-01'),"
            " (3, 'P3', 'p3', 'Chi', 'chi', 3, 1, '2025-01-01'),"
            " (4, 'P4', 'p4', 'Dũng', 'dũng', 1, 2, '2025-01-01');"
            "INSERT INTO staff_history (staff_id, unit_id, role_id, from_day, to_day, actor)"
            " VALUES (1, 1, 1, '2025-01-01', NULL, 't'), (2, 2, 2, '2025-01-01', '2025-03-01',"
            " 't'), (2, 2, 1, '2025-03-01', NULL, 't'), (3, 3, 1, '2025-01-01', NULL, 't'),"
            " (4, 1, 2, '2025-01-01', NULL, 't');"
            "INSERT INTO training_record (id, staff_id, course_id, completed_on, result,"
            " valid_until, source, corrects, actor) VALUES"
            " (1, 1, 1, '2023-06-10', 'passed', '2025-06-10', 'manual', NULL, 't'),"
            " (2, 1, 2, '2024-01-01', 'passed', NULL, 'manual', NULL, 't'),"
            " (3, 2, 3, '2024-05-01', 'attended', NULL, 'manual', NULL, 't'),"
            " (4, 3, 1, '2025-01-15', 'failed', '2027-01-15', 'manual', NULL, 't'),"
            " (5, 3, 1, '2025-01-15', 'passed', '2027-01-15', 'manual', 4, 't'),"
            " (6, 3, 2, '2024-02-01', 'passed', NULL, 'manual', NULL, 't'),"
            " (7, 4, 2, '2025-02-01', 'passed', NULL, 'manual', NULL, 't'),"
            " (8, 4, 2, '2025-02-01', 'revoked', NULL, 'import', 7, 't'),"
            " (9, 2, 1, '2025-08-14', 'passed', '2027-08-14', 'manual', NULL, 't');"),
        0);
}

static const struct inv_gap_row *row_of(const struct inv_gap_matrix *m, long long staff)
{
    for (size_t i = 0; i < m->nrows; i++)
        if (m->rows[i].staff_id == staff)
            return &m->rows[i];
    return NULL;
}

static const struct inv_gap_cell *cell_of(const struct inv_gap_row *r, long long skill)
{
    for (size_t i = 0; r && i < r->ncells; i++)
        if (r->cells[i].skill_id == skill)
            return &r->cells[i];
    return NULL;
}

/* one cell of the matrix and what the rule makes of it */
struct cell_case {
    const char *why;
    const char *day;
    long long staff, skill;
    const char *state;
    long long role;      /* the reason: the role that requires it */
    long long record;    /* the record that meets it, 0 none */
    int level_held;
    long long days_left; /* -1: not checked (never expires or none) */
};

static void test_cells(void **state)
{
    struct ww_db *db = *state;
    struct inv_gap_data d;
    static const struct cell_case cases[] = {
        {"91 days before valid_until (Mar 11 -> Jun 10: 20+30+31+10) is still plain valid",
         "2025-03-11", 1, 1, "valid", 1, 1, 1, 91},
        {"90 days before valid_until enters the 90-day window", "2025-03-12", 1, 1,
         "expiring_90", 1, 1, 1, 90},
        {"61 days before is still in the 90-day window (Apr 10 -> Jun 10: 20+31+10)",
         "2025-04-10", 1, 1, "expiring_90", 1, 1, 1, 61},
        {"60 days before is the 60-day window", "2025-04-11", 1, 1, "expiring_60", 1, 1, 1, 60},
        {"the day before valid_until: 1 day left, expiring within 30", "2025-06-09", 1, 1,
         "expiring_30", 1, 1, 1, 1},
        {"the day of valid_until: its last valid day, 0 left", "2025-06-10", 1, 1,
         "expiring_30", 1, 1, 1, 0},
        {"the day after valid_until: expired", "2025-06-11", 1, 1, "expired", 1, 1, 1, -1},
        {"a course that never expires is valid whatever the day; level 2 held meets level 1",
         "2030-01-01", 1, 2, "valid", 1, 2, 2, -1},
        {"before the role change P2 is a clerk: basic at level 2 required, level 1 held is"
         " missing (the reason is role 2)",
         "2025-02-28", 2, 2, "missing", 2, 0, 1, -1},
        {"from the role change P2 is an oss officer: basic level 1 is met by the level-1"
         " course",
         "2025-03-01", 2, 2, "valid", 1, 3, 1, -1},
        {"and the oss officer's digital signature is missing (the reason is role 1)",
         "2025-03-01", 2, 1, "missing", 1, 0, 0, -1},
        {"a record completed after the day does not count yet", "2025-08-13", 2, 1, "missing",
         1, 0, 0, -1},
        {"the day it was completed it counts", "2025-08-14", 2, 1, "valid", 1, 9, 1, -1},
        {"a failed record corrected to passed: the correction (5) meets it, not the failed"
         " one",
         "2025-02-01", 3, 1, "valid", 1, 5, 1, -1},
        {"a passed record corrected to revoked gives nothing: missing", "2025-03-01", 4, 2,
         "missing", 2, 0, 0, -1},
    };

    fixture(db);
    assert_int_equal(inv_gap_load(db, &d), 0);
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        const struct cell_case *c = &cases[i];
        struct inv_gap_matrix m;
        const struct inv_gap_cell *cell;

        print_message("case: %s\n", c->why);
        assert_int_equal(inv_gap_matrix(&d, c->day, 0, &m), 0);
        cell = cell_of(row_of(&m, c->staff), c->skill);
        assert_non_null(cell);
        assert_string_equal(inv_gap_state_name(cell->state), c->state);
        assert_int_equal(cell->role_id, c->role);
        assert_int_equal(cell->record_id, c->record);
        assert_int_equal(cell->level_held, c->level_held);
        if (c->days_left >= 0)
            assert_int_equal(cell->days_left, c->days_left);
        inv_gap_matrix_free(&m);
    }
    inv_gap_data_free(&d);
}

static void equipment_fixture(struct ww_db *db)
{
    assert_int_equal(
        ww_db_exec(
            db,
            "INSERT INTO skill (id, code, name, category, levels, validity_months) VALUES"
            " (3, 'oss', 'Phần mềm một cửa', 'equipment', 2, 0);"
            "INSERT INTO course (id, name, provider_kind, hours) VALUES"
            " (4, 'Phần mềm một cửa', 'internal', 4);"
            "INSERT INTO course_skill VALUES (4, 3, 1);"
            "INSERT INTO equipment_skill VALUES ('one_stop_counter', 3, 1), ('pc', 2, 2);"
            "INSERT INTO device (id, name, kind, host, criticality) VALUES"
            " (10, 'Máy một cửa', 'pc', '192.0.2.10', 'one_stop_counter'),"
            " (12, 'Máy văn phòng', 'pc', '192.0.2.12', 'normal');"
            "INSERT INTO device_assignment (device_id, assigned_to, from_day, to_day, actor,"
            " staff_id) VALUES (10, 'Dũng', '2025-03-01', '2025-05-01', 't', 4),"
            " (10, 'An', '2025-05-01', NULL, 't', 1), (12, 'Dũng', '2025-02-01', NULL, 't', 4),"
            " (12, 'Người ngoài', '2024-01-01', '2025-02-01', 't', NULL);"
            "INSERT INTO training_record (id, staff_id, course_id, completed_on, result,"
            " valid_until, source, corrects, actor) VALUES"
            " (11, 1, 4, '2025-04-01', 'passed', NULL, 'manual', NULL, 't');"),
        0);
}

/* what a device held requires: one cell, its level and its reasons */
static void test_equipment(void **state)
{
    struct ww_db *db = *state;
    struct inv_gap_data d;
    static const struct {
        const char *why, *day;
        long long staff, skill;
        const char *state; /* NULL: no such requirement that day */
        int level_required;
        long long role, device, record;
        const char *held_from;
    } cases[] = {
        {"before P4 holds the counter PC a clerk needs no one-stop-shop software",
         "2025-02-28", 4, 3, NULL, 0, 0, 0, 0, NULL},
        {"from the day P4 holds it, the counter PC's criticality requires it: missing, the"
         " reason is the device and the day it was handed over",
         "2025-03-01", 4, 3, "missing", 1, 0, 10, 0, "2025-03-01"},
        {"the day it passes to P1 (to_day is not held) P4 no longer needs it", "2025-05-01", 4,
         3, NULL, 0, 0, 0, 0, NULL},
        {"P1 needs it from that day and met it with course 4 a month before", "2025-05-01", 1,
         3, "valid", 1, 0, 10, 11, "2025-05-01"},
        {"a PC requires basic digital at level 2 and P1's role level 1: one requirement at"
         " level 2 with both reasons, met by the level-2 course",
         "2025-05-01", 1, 2, "valid", 2, 1, 10, 2, "2025-05-01"},
        {"before P1 holds a PC the role's level 1 alone", "2025-04-30", 1, 2, "valid", 1, 1, 0,
         2, ""},
        {"P4's clerk role and the office PC both require level 2: the first device held is"
         " the reason; the revoked course leaves it missing",
         "2025-02-15", 4, 2, "missing", 2, 2, 12, 0, "2025-02-01"},
        {"an assignment without a staff record (a typed name) requires nothing of anyone",
         "2024-06-01", 4, 3, NULL, 0, 0, 0, 0, NULL},
    };

    fixture(db);
    equipment_fixture(db);
    assert_int_equal(inv_gap_load(db, &d), 0);
    /* the counter PC needs skills 3 and 2 of P4 then P1 (4 rows), the office PC skill 2 of P4 */
    assert_int_equal(d.nequips, 5);
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct inv_gap_matrix m;
        const struct inv_gap_cell *cell;

        print_message("case: %s\n", cases[i].why);
        assert_int_equal(inv_gap_matrix(&d, cases[i].day, 0, &m), 0);
        cell = cell_of(row_of(&m, cases[i].staff), cases[i].skill);
        if (!cases[i].state) {
            assert_null(cell);
        } else {
            assert_non_null(cell);
            assert_string_equal(inv_gap_state_name(cell->state), cases[i].state);
            assert_int_equal(cell->level_required, cases[i].level_required);
            assert_int_equal(cell->role_id, cases[i].role);
            assert_int_equal(cell->device_id, cases[i].device);
            assert_int_equal(cell->record_id, cases[i].record);
            assert_string_equal(cell->held_from, cases[i].held_from);
            if (cases[i].device)
                assert_string_equal(cell->device_name,
                                    cases[i].device == 10 ? "Máy một cửa" : "Máy văn phòng");
        }
        inv_gap_matrix_free(&m);
    }
    inv_gap_data_free(&d);
}

/* who is in a unit's matrix on a day */
struct unit_case {
    const char *why;
    const char *day;
    long long unit;
    long long staff[4]; /* 0-terminated, ascending */
};

static void test_merger(void **state)
{
    struct ww_db *db = *state;
    struct inv_gap_data d;
    static const struct unit_case cases[] = {
        {"the day before the merger Phường Mới has only its own P2", "2025-06-30", 2, {2}},
        {"from the merger day P1 and P4 of Phường Cũ count in Phường Mới", "2025-07-01", 2,
         {1, 2, 4}},
        {"the merged unit itself is empty from that day", "2025-07-01", 1, {0}},
        {"and had its two people the day before", "2025-06-30", 1, {1, 4}},
        {"nobody is employed before their first history row", "2024-12-31", 0, {0}},
    };

    fixture(db);
    assert_int_equal(inv_gap_load(db, &d), 0);
    assert_int_equal(inv_gap_unit_on(&d, 1, "2025-06-30"), 1);
    assert_int_equal(inv_gap_unit_on(&d, 1, "2025-07-01"), 2);
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        const struct unit_case *c = &cases[i];
        struct inv_gap_matrix m;
        size_t n = 0;

        print_message("case: %s\n", c->why);
        assert_int_equal(inv_gap_matrix(&d, c->day, c->unit, &m), 0);
        while (n < 4 && c->staff[n])
            n++;
        assert_int_equal(m.nrows, n);
        for (size_t k = 0; k < n; k++) {
            assert_int_equal(m.rows[k].staff_id, c->staff[k]);
            if (c->unit)
                assert_int_equal(m.rows[k].unit_id, c->unit);
        }
        inv_gap_matrix_free(&m);
    }
    assert_int_equal(inv_gap_matrix(&d, "2025-02-30", 0, &(struct inv_gap_matrix){0}),
                     -EINVAL);
    inv_gap_data_free(&d);
}

static void test_compliance(void **state)
{
    struct ww_db *db = *state;
    struct inv_gap_data d;
    struct inv_compliance *units, *roles;
    size_t nu, nr;

    fixture(db);
    assert_int_equal(inv_gap_load(db, &d), 0);
    /* 2025-07-01, after the merger. Unit 2: P1 (oss: signature expired on 06-10, basic
     * valid: 1 of 2), P2 (oss: signature missing, basic valid: 1 of 2), P4 (clerk: basic
     * revoked, missing: 0 of 1) = 2 of 5 met, 40%, nobody meets all. Unit 3: P3 2 of 2,
     * 100%. Role 1: P1, P2, P3 = 4 of 6, 66% (rounded down); role 2: P4 0 of 1. */
    assert_int_equal(inv_gap_compliance(&d, "2025-07-01", &units, &nu, &roles, &nr), 0);
    assert_int_equal(nu, 2);
    assert_int_equal(units[0].id, 2);
    assert_int_equal(units[0].people, 3);
    assert_int_equal(units[0].people_met, 0);
    assert_int_equal(units[0].reqs, 5);
    assert_int_equal(units[0].reqs_met, 2);
    assert_int_equal(units[0].pct, 40);
    assert_int_equal(units[1].id, 3);
    assert_int_equal(units[1].pct, 100);
    assert_int_equal(units[1].people_met, 1);
    assert_int_equal(nr, 2);
    assert_int_equal(roles[0].id, 1);
    assert_int_equal(roles[0].reqs, 6);
    assert_int_equal(roles[0].reqs_met, 4);
    assert_int_equal(roles[0].pct, 66);
    assert_int_equal(roles[1].id, 2);
    assert_int_equal(roles[1].pct, 0);
    free(units);
    free(roles);
    inv_gap_data_free(&d);
}

static void test_target_mid_month(void **state)
{
    struct ww_db *db = *state;
    struct inv_gap_data d;
    struct inv_target_progress p;
    /* 30% of Phường Mới's staff with a valid digital signature, July to September 2025.
     * From the merger it has P1, P2, P4 (3 people). July: P1's expired on 06-10, nobody
     * else has one: 0 of 3. P2 completes on 2025-08-14: 1 of 3 = 33% >= 30% that day, so
     * it is reached mid-month on the 14th; August and September end at 33%. */
    struct inv_target t = {.unit_id = 2, .skill_id = 1, .level = 1, .pct = 30,
                           .from_day = "2025-07-01", .deadline = "2025-09-30"};
    static const struct {
        const char *month;
        long long staff, holding;
        int pct;
    } want[] = {{"2025-07", 3, 0, 0}, {"2025-08", 3, 1, 33}, {"2025-09", 3, 1, 33}};

    fixture(db);
    assert_int_equal(inv_gap_load(db, &d), 0);
    assert_int_equal(inv_gap_target_progress(&d, &t, "2025-10-15", &p), 0);
    assert_int_equal(p.nmonths, WW_ARRAY_SIZE(want));
    for (size_t i = 0; i < p.nmonths; i++) {
        assert_string_equal(p.months[i].month, want[i].month);
        assert_int_equal(p.months[i].staff, want[i].staff);
        assert_int_equal(p.months[i].holding, want[i].holding);
        assert_int_equal(p.months[i].pct, want[i].pct);
    }
    assert_string_equal(p.reached_on, "2025-08-14");
    free(p.months);

    /* asked on 2025-08-13, the running month is measured on that day and nothing is
     * reached yet */
    assert_int_equal(inv_gap_target_progress(&d, &t, "2025-08-13", &p), 0);
    assert_int_equal(p.nmonths, 2);
    assert_int_equal(p.months[1].holding, 0);
    assert_string_equal(p.reached_on, "");
    free(p.months);

    /* 34% needs more than one of three: never reached */
    t.pct = 34;
    assert_int_equal(inv_gap_target_progress(&d, &t, "2025-10-15", &p), 0);
    assert_string_equal(p.reached_on, "");
    free(p.months);
    inv_gap_data_free(&d);
}

/* the sweep against the rule day by day (the reference) on random organisations: mergers,
 * moves, records of several levels (some crediting nothing), expiries, targets of a unit
 * or of all; every month's figures and the day reached must be the same */
static unsigned long long rnd_state = 0x9e3779b97f4a7c15ull;
static unsigned rnd(unsigned n)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return (unsigned)(rnd_state % n);
}

static void rnd_day(char out[11], int y0, int years)
{
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(y0 + (int)rnd((unsigned)years)) % 10000u,
             (1 + rnd(12)) % 100u, (1 + rnd(28)) % 100u);
}

static void test_target_sweep(void **state)
{
    (void)state;
    for (int round = 0; round < 400; round++) {
        struct inv_gap_data d = {0};
        size_t np = 5 + rnd(40);

        /* units 1..8: 1 the top, the rest under 1 or 2; 5 and 6 merge into 3 and 2 */
        d.nunits = 8;
        d.units = ww_calloc(d.nunits, sizeof(*d.units));
        for (size_t u = 0; u < d.nunits; u++) {
            d.units[u].id = (long long)u + 1;
            d.units[u].parent_id = u == 0 ? 0 : u < 4 ? 1 : 2;
            d.units[u].name = NULL;
        }
        rnd_day(d.units[4].valid_to, 2023, 3);
        d.units[4].merged_into = 3;
        rnd_day(d.units[5].valid_to, 2023, 3);
        d.units[5].merged_into = 2;
        d.npeople = np;
        d.people = ww_calloc(np, sizeof(*d.people));
        d.hist = ww_calloc(np * 3, sizeof(*d.hist));
        d.holds = ww_calloc(np * 4, sizeof(*d.holds));
        for (size_t p = 0; p < np; p++) {
            char days[3][11];
            size_t nmoves = 1 + rnd(3);

            d.people[p].id = (long long)p + 1;
            for (size_t k = 0; k < nmoves; k++)
                rnd_day(days[k], 2022, 5);
            qsort(days, nmoves, sizeof(days[0]), (int (*)(const void *, const void *))strcmp);
            for (size_t k = 0; k < nmoves; k++) {
                struct inv_gap_hist *h = &d.hist[d.nhist++];
                h->staff_id = d.people[p].id;
                h->unit_id = 1 + rnd(8);
                memcpy(h->from_day, days[k], 11);
                if (k + 1 < nmoves)
                    memcpy(h->to_day, days[k + 1], 11);
                else if (rnd(4) == 0) /* left */
                    rnd_day(h->to_day, 2027, 1);
            }
            for (size_t k = rnd(5); k > 0; k--) {
                struct inv_gap_hold *h = &d.holds[d.nholds];
                h->staff_id = d.people[p].id;
                h->skill_id = 1 + rnd(2);
                h->record_id = (long long)++d.nholds;
                h->level = (int)rnd(3); /* 0: a record that credits nothing */
                rnd_day(h->completed_on, 2022, 5);
                if (rnd(3)) {
                    int y;
                    sscanf(h->completed_on, "%4d", &y);
                    if (rnd(2))
                        snprintf(h->valid_until, sizeof(h->valid_until), "%04d%s",
                                 (y + 1 + (int)rnd(2)) % 10000, h->completed_on + 4);
                    else /* a month's last day: the day its figure is read */
                        snprintf(h->valid_until, sizeof(h->valid_until), "%04u-%s",
                                 (unsigned)(y + 1) % 10000u, rnd(2) ? "02-28" : "06-30");
                }
            }
        }
        inv_gap_data_sort(&d);
        for (int k = 0; k < 6; k++) {
            static const long long units[] = {0, 1, 2, 3, 5, 7};
            char from[11], deadline[11], today[11];
            struct inv_target t = {.unit_id = units[k], .skill_id = 1 + rnd(2),
                                   .level = 1 + (int)rnd(2), .pct = 10 + (int)rnd(80),
                                   .from_day = from, .deadline = deadline};
            struct inv_target_progress a, b;

            rnd_day(from, 2022, 3);
            rnd_day(deadline, 2024, 3);
            rnd_day(today, 2023, 4);
            assert_int_equal(inv_gap_target_progress(&d, &t, today, &a), 0);
            assert_int_equal(inv_gap_target_progress_ref(&d, &t, today, &b), 0);
            if (a.nmonths != b.nmonths || strcmp(a.reached_on, b.reached_on) != 0)
                fail_msg("round %d target %d: %zu months reached %s, the rule %zu reached %s",
                         round, k, a.nmonths, a.reached_on, b.nmonths, b.reached_on);
            for (size_t i = 0; i < a.nmonths; i++)
                if (strcmp(a.months[i].month, b.months[i].month) ||
                    a.months[i].staff != b.months[i].staff ||
                    a.months[i].holding != b.months[i].holding || a.months[i].pct != b.months[i].pct)
                    fail_msg("round %d target %d month %s: %lld/%lld, the rule %lld/%lld", round, k,
                             b.months[i].month, a.months[i].holding, a.months[i].staff,
                             b.months[i].holding, b.months[i].staff);
            free(a.months);
            free(b.months);
        }
        free(d.units);
        free(d.people);
        free(d.hist);
        free(d.holds);
    }
}

/* inv_valid_until(): calendar months, clamped to the month's end */
static void test_valid_until(void **state)
{
    static const struct {
        const char *why, *from;
        int months;
        const char *want;
    } cases[] = {
        {"24 months is the same day two years later", "2025-01-15", 24, "2027-01-15"},
        {"January 31st plus a month is the last day of February", "2025-01-31", 1,
         "2025-02-28"},
        {"a leap day plus a year is February 28th", "2024-02-29", 12, "2025-02-28"},
        {"December plus one month is January next year", "2025-12-05", 1, "2026-01-05"},
        {"0 months: never expires", "2025-01-15", 0, ""},
    };
    char out[11];

    (void)state;
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        print_message("case: %s\n", cases[i].why);
        assert_int_equal(inv_valid_until(cases[i].from, cases[i].months, out), 0);
        assert_string_equal(out, cases[i].want);
    }
    assert_int_equal(inv_valid_until("2025-02-30", 1, out), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        INV_TEST(test_cells),
        INV_TEST(test_merger),
        INV_TEST(test_equipment),
        INV_TEST(test_compliance),
        INV_TEST(test_target_mid_month),
        cmocka_unit_test(test_valid_until),
        cmocka_unit_test(test_target_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

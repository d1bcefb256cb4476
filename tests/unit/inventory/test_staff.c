/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_staff.c - staff and training records (issue 17): what each change refuses and why,
 * the append-only training register (a correction is a new record; no update, no delete),
 * the unit/role history a move writes, a report's record references (inv_training_refs) and
 * the starting catalogue loaded once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inventory/inventory.h"
#include "inv_test.h"

static const struct inv_actor hr = {3, "hoa.tran", "api", "192.0.2.3"};

static void base(struct ww_db *db)
{
    assert_int_equal(ww_db_exec(db, "INSERT INTO org_unit (id, name) VALUES (1, 'Phường Một'),"
                                    " (2, 'Phường Hai');"
                                    "INSERT INTO job_role (id, code, name) VALUES (1, 'oss',"
                                    " 'Một cửa'), (2, 'clerk', 'Văn thư');"
                                    "INSERT INTO skill (id, code, name, category, levels,"
                                    " validity_months) VALUES (1, 'sig', 'Chữ ký số', 's', 1,"
                                    " 24), (2, 'sec', 'An toàn', 's', 2, 12);"
                                    "INSERT INTO course (id, name, provider_kind) VALUES"
                                    " (1, 'Chữ ký số và an toàn', 'internal'),"
                                    " (2, 'Không kỹ năng', 'online');"
                                    "INSERT INTO course_skill VALUES (1, 1, 1), (1, 2, 2);"),
                     0);
}

static int staff_add(struct ww_db *db, struct inv_staff *s, long long *out_id,
                     struct inv_refusal *why)
{
    struct inv_change ch = {.actor = &hr, .action = "staff.add", .object_type = "staff",
                            .apply = inv_apply_staff_add, .ctx = s};
    int ret = inv_change_run(db, &ch);

    free(ch.after);
    *out_id = ch.id;
    *why = ch.why;
    return ret;
}

static int training_add(struct ww_db *db, struct inv_training *t, long long *out_id,
                        struct inv_refusal *why)
{
    struct inv_change ch = {.actor = &hr, .action = "training.add", .object_type = "training",
                            .apply = inv_apply_training_add, .ctx = t};
    int ret = inv_change_run(db, &ch);

    free(ch.after);
    *out_id = ch.id;
    *why = ch.why;
    return ret;
}

struct staff_case {
    const char *why;
    const char *code, *name, *start;
    long long unit, role;
    int ret;
    const char *field, *reason;
};

static void test_staff_refusals(void **state)
{
    struct ww_db *db = *state;
    static const struct staff_case cases[] = {
        {"a person as HR types one is kept", "NV-001", "Nguyễn Văn An", "2024-01-02", 1, 1, 0,
         "", ""},
        {"a code is required", "", "Trần Thị Bình", "2024-01-02", 1, 1, -EINVAL, "code",
         "required"},
        {"a full name is required", "NV-002", "", "2024-01-02", 1, 1, -EINVAL, "full_name",
         "required"},
        {"the start day is required", "NV-002", "Trần Thị Bình", "", 1, 1, -EINVAL,
         "start_day", "required"},
        {"February has no 30th", "NV-002", "Trần Thị Bình", "2024-02-30", 1, 1, -EINVAL,
         "start_day", "not_date"},
        {"a unit that does not exist", "NV-002", "Trần Thị Bình", "2024-01-02", 9, 1, -EINVAL,
         "unit_id", "no_such"},
        {"a role that does not exist", "NV-002", "Trần Thị Bình", "2024-01-02", 1, 9, -EINVAL,
         "role_id", "no_such"},
        {"a code compares as names do: nv-001 is NV-001", "nv-001", "Lê Văn Cường",
         "2024-01-02", 1, 1, -EEXIST, "code", "exists"},
    };

    base(db);
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        const struct staff_case *c = &cases[i];
        struct inv_staff s = {.code = (char *)c->code, .full_name = (char *)c->name,
                              .start_day = (char *)c->start, .unit_id = c->unit,
                              .role_id = c->role, .active = true};
        struct inv_refusal why;
        long long id;

        print_message("case: %s\n", c->why);
        assert_int_equal(staff_add(db, &s, &id, &why), c->ret);
        if (c->ret) {
            assert_string_equal(why.field, c->field);
            assert_string_equal(why.reason, c->reason);
        }
    }
    /* the one kept, with its first history row and its audit entry */
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM staff"), 1);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM staff_history WHERE from_day ="
                                         " '2024-01-02' AND to_day IS NULL AND unit_id = 1"),
                     1);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log WHERE action ="
                                         " 'staff.add' AND actor = 'hoa.tran'"),
                     1);
}

static void test_history(void **state)
{
    struct ww_db *db = *state;
    struct inv_staff s = {.code = (char *)"NV-9", .full_name = (char *)"Phạm Thu",
                          .start_day = (char *)"2024-01-01", .unit_id = 1, .role_id = 2,
                          .active = true};
    struct inv_change ch = {.actor = &hr, .action = "staff.change", .object_type = "staff",
                            .apply = inv_apply_staff_update, .ctx = &s};
    struct inv_refusal why;
    long long id, unit, role;
    static const struct {
        const char *why, *day;
        int ret;
        long long unit, role;
    } on[] = {
        {"before the start the person was not employed", "2023-12-31", -ENOENT, 0, 0},
        {"the first day: unit 1, clerk", "2024-01-01", 0, 1, 2},
        {"the day before the move: still unit 1, clerk", "2025-02-28", 0, 1, 2},
        {"the move's day: unit 2, oss officer", "2025-03-01", 0, 2, 1},
        {"the day they left is no longer covered", "2025-09-01", -ENOENT, 0, 0},
        {"and the day before it still was", "2025-08-31", 0, 2, 1},
    };

    base(db);
    assert_int_equal(staff_add(db, &s, &id, &why), 0);
    ch.id = id;
    /* a move to unit 2 as oss officer on 2025-03-01 */
    s.unit_id = 2;
    s.role_id = 1;
    s.move_day = (char *)"2025-03-01";
    assert_int_equal(inv_change_run(db, &ch), 0);
    free(ch.after);
    /* a move dated before the open row starts is refused */
    s.unit_id = 1;
    s.move_day = (char *)"2025-02-01";
    ch.after = NULL;
    assert_int_equal(inv_change_run(db, &ch), -EINVAL);
    assert_string_equal(ch.why.field, "move_day");
    assert_string_equal(ch.why.reason, "not_after");
    /* leaving on 2025-09-01 closes the row */
    s.unit_id = 2;
    s.active = false;
    s.move_day = (char *)"2025-09-01";
    assert_int_equal(inv_change_run(db, &ch), 0);
    free(ch.after);
    for (size_t i = 0; i < WW_ARRAY_SIZE(on); i++) {
        print_message("case: %s\n", on[i].why);
        unit = role = 0;
        assert_int_equal(inv_staff_on_day(db, id, on[i].day, &unit, &role), on[i].ret);
        assert_int_equal(unit, on[i].unit);
        assert_int_equal(role, on[i].role);
    }
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM staff_history"), 2);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log WHERE action ="
                                         " 'staff.change'"),
                     2);
}

/* the stored valid_until of record @id (heap) */
static char *valid_until_of(struct ww_db *db, long long id)
{
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT valid_until FROM training_record WHERE id=?1");
    char *s = NULL;

    assert_non_null(st);
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW)
        s = ww_db_text(st, 0);
    sqlite3_finalize(st);
    assert_non_null(s);
    return s;
}

struct training_case {
    const char *why;
    struct inv_training t;
    int ret;
    const char *field, *reason;
};

static void test_training_append_only(void **state)
{
    struct ww_db *db = *state;
    struct inv_staff s = {.code = (char *)"NV-1", .full_name = (char *)"Vũ Hà",
                          .start_day = (char *)"2024-01-01", .unit_id = 1, .role_id = 1,
                          .active = true};
    struct inv_staff s2 = {.code = (char *)"NV-2", .full_name = (char *)"Đỗ Lan",
                           .start_day = (char *)"2024-01-01", .unit_id = 1, .role_id = 1,
                           .active = true};
    struct inv_refusal why;
    long long p1, p2, first, fix, id;
    char *until = NULL;
    struct training_case cases[] = {
        {"no such person", {.staff_id = 99, .course_id = 1, .completed_on = "2025-01-10",
                            .result = "passed", .score = NAN}, -EINVAL, "staff_id", "no_such"},
        {"no such course", {.staff_id = 0, .course_id = 9, .completed_on = "2025-01-10",
                            .result = "passed", .score = NAN}, -EINVAL, "course_id", "no_such"},
        {"a result not in the list", {.course_id = 1, .completed_on = "2025-01-10",
                                      .result = "great", .score = NAN},
         -EINVAL, "result", "not_one_of"},
        {"a score above 100", {.course_id = 1, .completed_on = "2025-01-10", .result = "passed",
                               .score = 101}, -EINVAL, "score", "out_of_range"},
        {"an evidence name that is a path", {.course_id = 1, .completed_on = "2025-01-10",
                                             .result = "passed", .score = NAN,
                                             .evidence = "../../etc/passwd"},
         -EINVAL, "evidence", "not_file_name"},
        {"completed in the future", {.course_id = 1, .completed_on = "2199-01-01",
                                     .result = "passed", .score = NAN},
         -EINVAL, "completed_on", "in_future"},
        {"valid until before it was completed", {.course_id = 1, .completed_on = "2025-01-10",
                                                 .result = "passed", .score = NAN,
                                                 .valid_until = "2025-01-09"},
         -EINVAL, "valid_until", "not_after"},
    };

    base(db);
    assert_int_equal(staff_add(db, &s, &p1, &why), 0);
    assert_int_equal(staff_add(db, &s2, &p2, &why), 0);
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        print_message("case: %s\n", cases[i].why);
        if (!cases[i].t.staff_id)
            cases[i].t.staff_id = p1;
        assert_int_equal(training_add(db, &cases[i].t, &id, &why), cases[i].ret);
        assert_string_equal(why.field, cases[i].field);
        assert_string_equal(why.reason, cases[i].reason);
    }
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM training_record"), 0);

    /* valid_until not given: the course's shortest renewal (12 months of "sec") */
    struct inv_training t = {.staff_id = p1, .course_id = 1, .completed_on = "2025-01-10",
                             .result = "failed", .score = 40, .evidence = "chung chi 01.pdf"};
    assert_int_equal(training_add(db, &t, &first, &why), 0);
    until = valid_until_of(db, first);
    assert_string_equal(until, "2026-01-10");
    free(until);

    /* the database itself refuses to change or remove a record */
    assert_int_not_equal(ww_db_exec(db, "UPDATE training_record SET result = 'passed'"), 0);
    assert_int_not_equal(ww_db_exec(db, "DELETE FROM training_record"), 0);

    /* a correction is a new record naming the one it replaces */
    t.result = "passed";
    t.score = 85;
    t.corrects = first;
    assert_int_equal(training_add(db, &t, &fix, &why), 0);
    assert_true(fix > first);
    /* the same record cannot be corrected twice: correct the newest of the chain */
    assert_int_equal(training_add(db, &t, &id, &why), -EINVAL);
    assert_string_equal(why.field, "corrects");
    assert_string_equal(why.reason, "corrected");
    /* nor can one person's record be corrected by another's */
    t.staff_id = p2;
    t.corrects = fix;
    assert_int_equal(training_add(db, &t, &id, &why), -EINVAL);
    assert_string_equal(why.reason, "no_such");
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM training_record"), 2);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log WHERE action ="
                                         " 'training.add'"),
                     2);
}

/* a report's lines: each record's course and certificate number by id, in the order asked,
 * an id that is no record giving NULLs (not an error), none asked giving nothing */
static void test_training_refs(void **state)
{
    struct ww_db *db = *state;
    struct inv_staff s = {.code = (char *)"NV-1", .full_name = (char *)"Vũ Hà",
                          .start_day = (char *)"2024-01-01", .unit_id = 1, .role_id = 1,
                          .active = true};
    struct inv_training t = {.course_id = 1, .completed_on = "2025-01-10", .result = "passed",
                             .score = NAN, .certificate_no = "CC-01"};
    struct inv_training_ref *refs = NULL;
    struct inv_refusal why;
    long long p1, r1, r2;

    base(db);
    assert_int_equal(staff_add(db, &s, &p1, &why), 0);
    t.staff_id = p1;
    assert_int_equal(training_add(db, &t, &r1, &why), 0);
    t.course_id = 2;
    t.certificate_no = NULL;
    assert_int_equal(training_add(db, &t, &r2, &why), 0);
    const struct {
        const char *why;
        long long id;
        const char *course, *cert;
    } cases[] = {
        {"the second record first: the order asked", r2, "Không kỹ năng", NULL},
        {"a record with its certificate", r1, "Chữ ký số và an toàn", "CC-01"},
        {"no such record: NULLs, not an error", 999, NULL, NULL},
    };
    long long ids[WW_ARRAY_SIZE(cases)];
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++)
        ids[i] = cases[i].id;
    assert_int_equal(inv_training_refs(db, ids, WW_ARRAY_SIZE(cases), &refs), 0);
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        print_message("case: %s\n", cases[i].why);
        if (cases[i].course)
            assert_string_equal(refs[i].course, cases[i].course);
        else
            assert_null(refs[i].course);
        if (cases[i].cert)
            assert_string_equal(refs[i].certificate_no, cases[i].cert);
        else
            assert_null(refs[i].certificate_no);
    }
    inv_training_refs_free(refs, WW_ARRAY_SIZE(cases));
    refs = (struct inv_training_ref *)1;
    assert_int_equal(inv_training_refs(db, ids, 0, &refs), 0);
    assert_null(refs);
}

static void test_catalogue(void **state)
{
    struct ww_db *db = *state;
    bool loaded = false;
    char err[200];

    assert_int_equal(inv_catalogue_load(db, WW_CATALOGUE_DIR, &hr, &loaded, err, sizeof(err)),
                     0);
    assert_true(loaded);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM job_role"), 5);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM skill"), 8);
    assert_int_equal(inv_test_number(db, "SELECT level FROM role_skill JOIN job_role r ON"
                                         " r.id = role_id JOIN skill k ON k.id = skill_id"
                                         " WHERE r.code = 'it_officer' AND k.code ="
                                         " 'basic_digital'"),
                     3);
    /* a second start finds the tables filled and leaves them alone */
    assert_int_equal(inv_catalogue_load(db, WW_CATALOGUE_DIR, &hr, &loaded, err, sizeof(err)),
                     0);
    assert_false(loaded);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log WHERE action ="
                                         " 'catalogue.load'"),
                     1);
}

/* a broken catalogue is refused whole, naming file and line; nothing of it is kept */
static void test_catalogue_broken(void **state)
{
    struct ww_db *db = *state;
    static const struct {
        const char *why, *text, *line;
    } cases[] = {
        {"a requirement naming a skill the file does not define",
         "[role clerk]\nname = Văn thư\n[skill basic]\nname = Kỹ năng số\ncategory = d\n"
         "[require clerk]\nbasic = 1\ntyping = 2\n",
         ":8: "},
        {"a level above the skill's levels", "[role r]\nname = R\n[skill s]\nname = S\n"
                                             "category = c\nlevels = 2\n[require r]\ns = 3\n",
         ":8: "},
        {"a key the format does not have", "[role r]\nname = R\ncolour = blue\n", ":3: "},
        {"a role without a name", "[role r]\nname_en = R\n[skill s]\nname = S\ncategory = c\n",
         ": "},
    };
    char dir[] = "/tmp/wwcatXXXXXX", err[300];
    bool loaded = true;

    assert_non_null(mkdtemp(dir));
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        char *path = ww_asprintf("%s/catalogue.ini", dir);
        FILE *f = fopen(path, "w");

        print_message("case: %s\n", cases[i].why);
        assert_non_null(f);
        fputs(cases[i].text, f);
        fclose(f);
        assert_int_equal(inv_catalogue_load(db, dir, &hr, &loaded, err, sizeof(err)), -EINVAL);
        assert_false(loaded);
        assert_non_null(strstr(err, "catalogue.ini"));
        assert_non_null(strstr(err, cases[i].line));
        assert_int_equal(inv_test_number(db, "SELECT (SELECT count(*) FROM job_role) +"
                                             " (SELECT count(*) FROM skill) +"
                                             " (SELECT count(*) FROM role_skill)"),
                         0);
        unlink(path);
        free(path);
    }
    rmdir(dir);
    /* no file at all: -ENOENT, nothing loaded */
    assert_int_equal(inv_catalogue_load(db, dir, &hr, &loaded, err, sizeof(err)), -ENOENT);
}

/* THE MATCHING RULE (inv_match_name): a provider's name against people by folded name and
 * unit; several candidates are all returned (the import lists them to confirm) */
static void test_match_name(void **state)
{
    static const char *const names[] = {"Nguyễn Văn Đức", "Trần Thị Lan", "Trần Thị Lan",
                                        "Lê Văn An", "Nguyễn Văn Dục"};
    static const long long units[] = {1, 1, 2, 1, 1};
    const struct {
        const char *name;
        long long unit;
        const char *want; /* the indexes found, "" none */
        const char *why;
    } cases[] = {
        {"nguyen van duc", 1, "0 4", "without diacritics, Đức and Dục fold alike: both proposed"},
        {"Nguyễn Văn Đức", 1, "0 4", "with them too: folding is the rule, a person decides"},
        {"TRẦN  THỊ   LAN", 0, "1 2", "no unit given: every unit; capitals and spaces"},
        {"tran thi lan", 2, "2", "the unit narrows to one"},
        {"Le\xcc\x82 Va\xcc\x86n An", 1, "3", "NFD"},
        {"Lê Văn An", 2, "", "the right name in another unit: no match"},
        {"Lê Văn", 1, "", "part of a name is not the name"},
    };
    struct inv_match_key people[5];
    char *folds[5];

    (void)state;
    for (size_t i = 0; i < 5; i++) {
        folds[i] = ww_name_fold(names[i]);
        people[i] = (struct inv_match_key){folds[i], units[i]};
    }
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        size_t idx[2], n = inv_match_name(people, 5, cases[c].name, cases[c].unit, idx, 2);
        char got[32] = "";
        for (size_t j = 0; j < n && j < 2; j++)
            snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%zu", j ? " " : "", idx[j]);
        if (strcmp(got, cases[c].want) != 0)
            fail_msg("case %zu (%s): '%s', expected '%s'", c, cases[c].why, got, cases[c].want);
    }
    /* more than @max: all counted, the first @max given */
    {
        size_t idx[1];
        assert_int_equal(inv_match_name(people, 5, "nguyen van duc", 1, idx, 1), 2);
        assert_int_equal(idx[0], 0);
    }
    for (size_t i = 0; i < 5; i++)
        free(folds[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        INV_TEST(test_staff_refusals),
        INV_TEST(test_history),
        INV_TEST(test_training_append_only),
        INV_TEST(test_training_refs),
        INV_TEST(test_catalogue),
        INV_TEST(test_catalogue_broken),
        cmocka_unit_test(test_match_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

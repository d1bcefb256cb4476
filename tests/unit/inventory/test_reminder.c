/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_reminder.c - training expiry reminders (issue 17 item 4, inventory/reminder.c): which
 * requirements cross a threshold on a day (the day before, of and after each), their order
 * (unit, then name as names compare), a merger, a correction; the days due with catch-up and
 * the first run; and the threshold list's parser (common/util.c ww_parse_day_list).
 *
 * The organisation: units 1 "Phường Bình" and 2 "Phường An", 3 "Phường Cũ" merged into 2 on
 * 2026-02-01; role 1 requires skill 1 (digital signature); course 1 grants it.
 *   P1 "Trần Minh" unit 1, valid until 2026-03-31     P2 "Lê Lan" unit 2, until 2026-03-08
 *   P3 "Ánh" unit 3 (merged), until 2026-03-01         P4 "Đức" unit 2: until 2026-03-01,
 *   corrected to "revoked" (gives nothing: missing, never reminded)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "inventory/inventory.h"
#include "inv_test.h"

static void fixture(struct ww_db *db)
{
    assert_int_equal(
        ww_db_exec(
            db,
            "INSERT INTO org_unit (id, name, level, valid_to, merged_into) VALUES"
            " (1, 'Phường Bình', 'ward', NULL, NULL), (2, 'Phường An', 'ward', NULL, NULL),"
            " (3, 'Phường Cũ', 'ward', '2026-02-01', 2);"
            "INSERT INTO job_role (id, code, name) VALUES (1, 'oss', 'Một cửa');"
            "INSERT INTO skill (id, code, name, category, levels, validity_months) VALUES"
            " (1, 'sig', 'Chữ ký số', 'security', 1, 24);"
            "INSERT INTO role_skill VALUES (1, 1, 1);"
            "INSERT INTO course (id, name, provider_kind, hours) VALUES (1, 'Chữ ký số',"
            " 'internal', 4);"
            "INSERT INTO course_skill VALUES (1, 1, 1);"
            "INSERT INTO staff (id, code, code_key, full_name, name_key, unit_id, role_id,"
            " start_day) VALUES (1, 'P1', 'p1', 'Trần Minh', 'trần minh', 1, 1, '2024-01-01'),"
            " (2, 'P2', 'p2', 'Lê Lan', 'lê lan', 2, 1, '2024-01-01'),"
            " (3, 'P3', 'p3', 'Ánh', 'ánh', 3, 1, '2024-01-01'),"
            " (4, 'P4', 'p4', 'Đức', 'đức', 2, 1, '2024-01-01');"
            "INSERT INTO staff_history (staff_id, unit_id, role_id, from_day, to_day, actor)"
            " VALUES (1, 1, 1, '2024-01-01', NULL, 't'), (2, 2, 1, '2024-01-01', NULL, 't'),"
            " (3, 3, 1, '2024-01-01', NULL, 't'), (4, 2, 1, '2024-01-01', NULL, 't');"
            "INSERT INTO training_record (id, staff_id, course_id, completed_on, result,"
            " valid_until, source, corrects, actor) VALUES"
            " (1, 1, 1, '2024-03-31', 'passed', '2026-03-31', 'manual', NULL, 't'),"
            " (2, 2, 1, '2024-03-08', 'passed', '2026-03-08', 'manual', NULL, 't'),"
            " (3, 3, 1, '2024-03-01', 'passed', '2026-03-01', 'manual', NULL, 't'),"
            " (4, 4, 1, '2024-03-01', 'passed', '2026-03-01', 'manual', NULL, 't'),"
            " (5, 4, 1, '2024-03-01', 'revoked', '2026-03-01', 'import', 4, 't');"),
        0);
}

/* a day's reminders as "unit:name:days" joined by ", " */
static const char *render(const struct inv_reminder_item *it, size_t n)
{
    static char buf[512];
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++)
        at += (size_t)snprintf(buf + at, sizeof(buf) - at, "%s%lld:%s:%d", i ? ", " : "",
                               it[i].unit_id, it[i].full_name, it[i].days_left);
    return buf;
}

static void test_items(void **state)
{
    static const int days[] = {30, 7, 0};
    static const struct {
        const char *why, *day, *want;
    } cases[] = {
        {"30 days before P1's last day (Mar 1 -> Mar 31), 7 before P2's, P3's last day; P3"
         " counts in Phường An after the merger; units by name key (An before Bình), then names"
         " by name key as the staff list orders them (ww_name_key bytes: l before á); P4's"
         " revoked record reminds nothing",
         "2026-03-01", "2:Lê Lan:7, 2:Ánh:0, 1:Trần Minh:30"},
        {"the day before: 31, 8 and 1 days cross nothing", "2026-02-28", ""},
        {"the day after: 29, 6 days and P3 expired: nothing", "2026-03-02", ""},
        {"P2's 0 day (Mar 8)", "2026-03-08", "2:Lê Lan:0"},
        {"P1's 7 days (Mar 24)", "2026-03-24", "1:Trần Minh:7"},
        {"before the merger P3 counts in Phường Cũ: 30 days before 2026-03-01 (Jan 30 -> Mar 1:"
         " 1 + 28 + 1)",
         "2026-01-30", "3:Ánh:30"},
    };
    struct ww_db *db = *state;
    struct inv_gap_data d;

    fixture(db);
    assert_int_equal(inv_gap_load(db, &d), 0);
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct inv_reminder_item *it = NULL;
        size_t n = 0;
        print_message("case: %s\n", cases[i].why);
        assert_int_equal(inv_reminder_items(&d, cases[i].day, days, 3, &it, &n), 0);
        assert_string_equal(render(it, n), cases[i].want);
        free(it);
    }
    {
        struct inv_reminder_item *it = NULL;
        size_t n = 0;
        print_message("case: a malformed day is refused\n");
        assert_int_equal(inv_reminder_items(&d, "1/3/2026", days, 3, &it, &n), -EINVAL);
        assert_null(it);
    }
    inv_gap_data_free(&d);
}

/* 10:00 of an office day (the process's zone is the office's, as the collector sets it) */
static time_t at_ten(const char *day)
{
    struct tm tm = {0};
    assert_int_equal(sscanf(day, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday), 3);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_hour = 10;
    tm.tm_isdst = -1;
    return mktime(&tm);
}

static const char *due_text(struct ww_db *db, const char *today)
{
    static char buf[1024];
    char(*days)[11] = NULL;
    size_t n = 0, at = 0;
    buf[0] = '\0';
    assert_int_equal(inv_reminder_days_due(db, at_ten(today), &days, &n), 0);
    for (size_t i = 0; i < n; i++)
        at += (size_t)snprintf(buf + at, sizeof(buf) - at, "%s%s", i ? " " : "", days[i]);
    free(days);
    return buf;
}

static void test_days_due(void **state)
{
    struct ww_db *db = *state;

    setenv("TZ", "Asia/Ho_Chi_Minh", 1);
    tzset();
    print_message("case: the first run ever: today only, no flood of the past\n");
    assert_string_equal(due_text(db, "2026-03-01"), "2026-03-01");
    assert_int_equal(inv_reminder_done(db, "2026-03-01"), 0);
    print_message("case: the same day again: nothing due (never twice)\n");
    assert_string_equal(due_text(db, "2026-03-01"), "");
    print_message("case: two days later: the missed day and today, oldest first\n");
    assert_string_equal(due_text(db, "2026-03-03"), "2026-03-02 2026-03-03");
    print_message("case: across a month end\n");
    assert_int_equal(inv_reminder_done(db, "2026-02-27"), 0);
    assert_string_equal(due_text(db, "2026-03-01"), "2026-02-28 2026-03-01");
    print_message("case: down for 40 days: only the last INV_REMINDER_CATCHUP_DAYS (31) and"
                  " today\n");
    assert_int_equal(inv_reminder_done(db, "2026-01-01"), 0);
    {
        const char *t = due_text(db, "2026-02-10");
        assert_int_equal(strlen(t), 32 * 11 - 1);
        assert_memory_equal(t, "2026-01-10", 10);
    }
    print_message("case: a malformed day is not stored\n");
    assert_int_equal(inv_reminder_done(db, "2026-13-01"), -EINVAL);
}

/* schema v18: the table no longer checks a notification's kind; inv_notification_kinds[] does */
static void test_notification_kind(void **state)
{
    struct ww_db *db = *state;
    long long id = 0;

    print_message("case: a reminder has no alert: queued as training_expiry\n");
    assert_int_equal(inv_notification_add(db, 0, 0, "training_expiry", "a@b.example", "s", "b",
                                          1000, &id),
                     0);
    assert_true(id > 0);
    print_message("case: a kind not in the list is refused before any write\n");
    assert_int_equal(inv_notification_add(db, 0, 0, "reminder", "a@b.example", "s", "b", 1000,
                                          NULL),
                     -EINVAL);
    assert_int_equal(inv_notification_add(db, 0, 0, NULL, "a@b.example", "s", "b", 1000, NULL),
                     -EINVAL);
}

static void test_day_list(void **state)
{
    static const struct {
        const char *why, *text;
        int ret;
        const char *want; /* the days, farthest first */
    } cases[] = {
        {"the default", "30,7,0", 0, "30 7 0"},
        {"any order, spaces too: sorted farthest first", "0 30, 7", 0, "30 7 0"},
        {"one day", "14", 0, "14"},
        {"the last day allowed", "366", 0, "366"},
        {"past a year", "367", -EINVAL, ""},
        {"a duplicate", "7,7", -EINVAL, ""},
        {"a sign", "-1", -EINVAL, ""},
        {"a sign in front of a number", "+7", -EINVAL, ""},
        {"not a number", "7,x", -EINVAL, ""},
        {"empty", " , ", -EINVAL, ""},
        {"more than WW_DAY_LIST_MAX (8)", "1,2,3,4,5,6,7,8,9", -EINVAL, ""},
    };
    (void)state;
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        int days[WW_DAY_LIST_MAX];
        size_t n = 99;
        char got[64] = "";
        size_t at = 0;
        print_message("case: %s\n", cases[i].why);
        assert_int_equal(ww_parse_day_list(cases[i].text, days, WW_DAY_LIST_MAX, &n),
                         cases[i].ret);
        for (size_t k = 0; cases[i].ret == 0 && k < n; k++)
            at += (size_t)snprintf(got + at, sizeof(got) - at, "%s%d", k ? " " : "", days[k]);
        assert_string_equal(got, cases[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_items, inv_test_db_open, inv_test_db_close),
        cmocka_unit_test_setup_teardown(test_days_due, inv_test_db_open, inv_test_db_close),
        cmocka_unit_test(test_day_list),
        cmocka_unit_test_setup_teardown(test_notification_kind, inv_test_db_open,
                                        inv_test_db_close),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

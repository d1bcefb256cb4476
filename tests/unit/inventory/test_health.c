/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_health.c - the daily health roll-up (health_day, schema v14) and its rule: samples
 * added poll by poll read back as days of high CPU, memory pressure and full disks, reboots
 * and office downtime over a window; a table of days, each with its why.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <string.h>

#include "inventory/inventory.h"
#include "inv_test.h"

static struct inv_health_sample sample(double cpu, double mem, double disk)
{
    struct inv_health_sample s = {.ok = true, .cpu_pct = cpu, .mem_pct = mem,
                                  .disk_max_pct = disk};
    return s;
}

/* one day of samples and what the rule makes of it */
struct day_case {
    const char *why;
    const char *day;
    double cpu[4], mem[4], disk[4];  /* NAN: not read; 4 polls a day */
    long long cpu_high, mem_high, disk_full;
};

static void test_rule_per_day(void **state)
{
    struct ww_db *db = *state;
    long long id = inv_test_add_pc(db, "Máy kế toán", "10.0.0.5");
    static const struct day_case cases[] = {
        {"three of four samples at 80% or more is a day of sustained load", "2026-03-02",
         {95, 85, 80, 10}, {50, 50, 50, 50}, {70, 70, 70, 70}, 1, 0, 0},
        {"two of four high is not more than half: a busy hour, not a slow machine", "2026-03-03",
         {95, 95, 10, 10}, {95, 95, 95, 20}, {70, 70, 70, 70}, 0, 1, 0},
        {"a disk above 90% once in the day makes it a full-disk day", "2026-03-04",
         {10, 10, 10, 10}, {20, 20, 20, 20}, {85, 91, 85, 85}, 0, 0, 1},
        {"exactly 90% is not above 90%", "2026-03-05",
         {10, 10, 10, 10}, {20, 20, 20, 20}, {90, 90, 90, 90}, 0, 0, 0},
        {"samples not read count for nothing: one high of one read is a high day", "2026-03-06",
         {NAN, NAN, NAN, 99}, {NAN, NAN, NAN, NAN}, {NAN, NAN, NAN, NAN}, 1, 0, 0},
    };
    long long want_cpu = 0, want_mem = 0, want_disk = 0;

    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        struct inv_health h;
        for (int i = 0; i < 4; i++) {
            struct inv_health_sample s =
                sample(cases[c].cpu[i], cases[c].mem[i], cases[c].disk[i]);
            assert_int_equal(inv_health_add(db, id, cases[c].day, &s), 0);
        }
        assert_int_equal(inv_health_get(db, id, cases[c].day, cases[c].day, &h), 0);
        print_message("case: %s\n", cases[c].why);
        assert_int_equal(h.days, 1);
        assert_int_equal(h.cpu_high_days, cases[c].cpu_high);
        assert_int_equal(h.mem_high_days, cases[c].mem_high);
        assert_int_equal(h.disk_full_days, cases[c].disk_full);
        want_cpu += cases[c].cpu_high;
        want_mem += cases[c].mem_high;
        want_disk += cases[c].disk_full;
    }
    /* the window adds the days up; the last day read no memory or disk at all */
    struct inv_health w;
    assert_int_equal(inv_health_get(db, id, "2026-03-01", "2026-03-31", &w), 0);
    assert_int_equal(w.days, 5);
    assert_int_equal(w.cpu_days, 5);
    assert_int_equal(w.mem_days, 4);
    assert_int_equal(w.disk_days, 4);
    assert_int_equal(w.cpu_high_days, want_cpu);
    assert_int_equal(w.mem_high_days, want_mem);
    assert_int_equal(w.disk_full_days, want_disk);
}

/* reboots and office downtime add up; the window bounds are days, both included */
static void test_window_and_list(void **state)
{
    struct ww_db *db = *state;
    long long a = inv_test_add_pc(db, "Một cửa 1", "10.0.0.6");
    long long b = inv_test_add_pc(db, "Một cửa 2", "10.0.0.7");
    struct inv_health_sample down = {.ok = false, .cpu_pct = NAN, .mem_pct = NAN,
                                     .disk_max_pct = NAN, .office_s = 300, .office_down_s = 300};
    struct inv_health_sample boot = sample(5, 5, 5);
    struct inv_health *items = NULL;
    size_t n = 0;

    boot.rebooted = true;
    boot.office_s = 300;
    for (int i = 0; i < 3; i++)
        assert_int_equal(inv_health_add(db, a, "2026-04-01", &down), 0);
    assert_int_equal(inv_health_add(db, a, "2026-04-01", &boot), 0);
    assert_int_equal(inv_health_add(db, a, "2026-04-02", &boot), 0);
    assert_int_equal(inv_health_add(db, b, "2026-04-02", &boot), 0);
    /* why: a day outside the window is not counted */
    assert_int_equal(inv_health_add(db, b, "2026-07-01", &down), 0);

    assert_int_equal(inv_health_list(db, "2026-04-01", "2026-04-30", &items, &n), 0);
    assert_int_equal(n, 2);
    const struct inv_health *ha = inv_health_find(items, n, a);
    const struct inv_health *hb = inv_health_find(items, n, b);
    assert_non_null(ha);
    assert_non_null(hb);
    assert_null(inv_health_find(items, n, 999));
    assert_int_equal(ha->days, 2);
    assert_int_equal(ha->reboots, 2);
    assert_int_equal(ha->office_s, 1500);
    assert_int_equal(ha->office_down_s, 900);
    assert_int_equal(hb->days, 1);
    assert_int_equal(hb->office_down_s, 0);
    free(items);

    /* why: bad input is refused, not stored */
    down.office_down_s = 600;
    assert_int_equal(inv_health_add(db, a, "2026-04-03", &down), -EINVAL);
    assert_int_equal(inv_health_add(db, a, "2026-02-30", &boot), -EINVAL);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM health_day WHERE day > '2026-04-02'"
                                         " AND day < '2026-05-01'"),
                     0);
    /* why: a removed device takes its rows with it */
    assert_int_equal(inv_device_remove(db, b), 0);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM health_day WHERE device_id = 2"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        INV_TEST(test_rule_per_day),
        INV_TEST(test_window_and_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

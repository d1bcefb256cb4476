/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_score.c - the replacement priority score (inventory/score.c): each term's points
 * computed by hand from the default weights (age 20, Windows 11 25, OS 15, CPU 15, memory
 * 15, disk 20, 2 per reboot, downtime 20, repairs 20, criticality 10), each case with its
 * why; the plan settings read from and written to the setting table; the loader's score of
 * a device from its records (facts, repairs, daily health).
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

struct want_term {
    const char *code;
    long long p0, p1, points;
};

struct score_case {
    const char *why;
    struct inv_score_input in;
    struct inv_health health;
    bool has_health;
    long long weight_age; /* 0 = the default */
    long long total;
    struct want_term t[INV_SCORE_TERMS_MAX];
};

static void test_terms(void **state)
{
    static const struct score_case cases[] = {
        {"the issue's example: 90 months of a 5-year life is 20*90/60 = 30; cannot run "
         "Windows 11: 25; disk above 90% on 61 of 90 days: 20*61/90 = 13.6, rounded 14",
         {.age_months = 90, .lifespan_years = 5, .win11 = "not_ready", .os_support = "supported"},
         {.days = 90, .disk_days = 90, .disk_full_days = 61}, true, 0, 69,
         {{"age", 90, 5, 30}, {"win11", 0, 0, 25}, {"disk_full", 61, 90, 14}}},
        {"fifteen years of a five-year life would be 60: the age term stops at twice its weight",
         {.age_months = 180, .lifespan_years = 5}, {0}, false, 0, 40, {{"age", 180, 5, 40}}},
        {"an age not known gives no age term, and 'likely' for Windows 11 gives nothing",
         {.age_months = -1, .lifespan_years = 5, .win11 = "likely"}, {0}, false, 0, 0, {{0}}},
        {"an OS past its support: 15", {.age_months = 0, .lifespan_years = 5,
         .os_support = "ended"}, {0}, false, 0, 15, {{"os_ended", 0, 0, 15}}},
        {"CPU high on 45 of 90 days is 15*45/90 = 7.5, rounded half up 8; seven reboots count "
         "five (2 each): 10; one hour down of ten office hours is 20*0.1 = 2",
         {.age_months = -1}, {.days = 90, .cpu_days = 90, .cpu_high_days = 45, .mem_days = 90,
         .reboots = 7, .office_s = 36000, .office_down_s = 3600}, true, 0, 20,
         {{"cpu_high", 45, 90, 8}, {"reboots", 7, 0, 10}, {"downtime", 3600, 36000, 2}}},
        {"memory pressure on 30 of 60 measured days: 15*30/60 = 7.5, so 8",
         {.age_months = -1}, {.days = 60, .mem_days = 60, .mem_high_days = 30}, true, 0, 8,
         {{"mem_pressure", 30, 60, 8}}},
        {"repairs of 3,000,000 against a 12,000,000 replacement: 20*0.25 = 5",
         {.age_months = -1, .repair_vnd = 3000000, .price_vnd = 12000000}, {0}, false, 0, 5,
         {{"repair", 3000000, 12000000, 5}}},
        {"repairs above the price of a new one count as the price: 20",
         {.age_months = -1, .repair_vnd = 30000000, .price_vnd = 12000000}, {0}, false, 0, 20,
         {{"repair", 30000000, 12000000, 20}}},
        {"repairs with no price for the kind cannot be weighed: no term",
         {.age_months = -1, .repair_vnd = 3000000, .price_vnd = 0}, {0}, false, 0, 0, {{0}}},
        {"a one-stop-shop counter: 10", {.age_months = -1, .criticality = "one_stop_counter"},
         {0}, false, 0, 10, {{"critical", 1, 0, 10}}},
        {"a network core counts twice: 20", {.age_months = -1, .criticality = "network_core"},
         {0}, false, 0, 20, {{"critical", 2, 0, 20}}},
        {"a weight the manager set to 40 doubles the age term: 40*90/60 = 60",
         {.age_months = 90, .lifespan_years = 5}, {0}, false, 40, 60, {{"age", 90, 5, 60}}},
    };

    (void)state;
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        const struct score_case *c = &cases[i];
        struct inv_plan_settings s;
        struct inv_score_input in = c->in;
        struct inv_score got;
        size_t want_n = 0;

        inv_plan_settings_default(&s);
        if (c->weight_age)
            s.v[INV_PK_W_AGE] = c->weight_age;
        in.health = c->has_health ? &c->health : NULL;
        inv_score_eval(&s, &in, &got);
        while (want_n < INV_SCORE_TERMS_MAX && c->t[want_n].code)
            want_n++;
        if (got.total != c->total || got.n != want_n)
            fail_msg("case %zu (%s): total %lld with %zu terms, want %lld with %zu", i, c->why,
                     got.total, got.n, c->total, want_n);
        for (size_t k = 0; k < want_n; k++)
            if (strcmp(got.t[k].code, c->t[k].code) != 0 || got.t[k].p0 != c->t[k].p0 ||
                got.t[k].p1 != c->t[k].p1 || got.t[k].points != c->t[k].points)
                fail_msg("case %zu (%s): term %zu is %s(%lld,%lld) +%lld, want %s(%lld,%lld) "
                         "+%lld", i, c->why, k, got.t[k].code, got.t[k].p0, got.t[k].p1,
                         got.t[k].points, c->t[k].code, c->t[k].p0, c->t[k].p1,
                         c->t[k].points);
    }
}

static struct inv_actor actor = {.name = "quanly", .source = "cli"};

static int settings_change(struct ww_db *db, const char *name, const char *value)
{
    struct inv_plan_settings_edit e = {.names = {name}, .values = {value}, .n = 1};
    struct inv_change ch = {.actor = &actor, .action = "plan.settings",
                            .object_type = "plan_settings", .key = "plan",
                            .may_be_new = true, .apply = inv_apply_plan_settings, .ctx = &e};
    int ret = inv_change_run(db, &ch);
    free(ch.after);
    return ret;
}

static void test_settings(void **state)
{
    struct ww_db *db = *state;
    struct inv_plan_settings s;
    struct inv_refusal why;

    /* why: nothing stored is every default */
    assert_int_equal(inv_plan_settings_load(db, &s), 0);
    assert_int_equal(s.v[INV_PK_W_AGE], 20);
    assert_int_equal(s.v[INV_PK_HORIZON], 5);
    /* why: a weight a manager sets is read back, and the change is audited */
    assert_int_equal(settings_change(db, "weight_age", "35"), 0);
    assert_int_equal(inv_plan_settings_load(db, &s), 0);
    assert_int_equal(s.v[INV_PK_W_AGE], 35);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log WHERE action ="
                                         " 'plan.settings'"),
                     1);
    /* why: a weight out of 0..100 is refused with its field and the bounds */
    assert_int_equal(settings_change(db, "weight_age", "101"), -EINVAL);
    inv_refusal_last(&why);
    assert_string_equal(why.field, "weight_age");
    assert_string_equal(why.reason, "out_of_range");
    assert_string_equal(why.param, "0..100");
    /* why: not a number is refused too, and an unknown name */
    assert_int_equal(settings_change(db, "horizon", "5y"), -EINVAL);
    assert_int_equal(settings_change(db, "weight_luck", "5"), -EINVAL);
    /* why: a row written by hand out of bounds is ignored on reading: the default stays */
    assert_int_equal(inv_setting_set(db, "plan.weight.win11", "900"), 0);
    assert_int_equal(inv_plan_settings_load(db, &s), 0);
    assert_int_equal(s.v[INV_PK_W_WIN11], 25);
    /* why: clearing the value puts the default back */
    assert_int_equal(settings_change(db, "weight_age", NULL), 0);
    assert_int_equal(inv_plan_settings_load(db, &s), 0);
    assert_int_equal(s.v[INV_PK_W_AGE], 20);
}

/* the loader: a PC bought 90 months before "today", a repair, a price, its facts and a
 * full disk on 3 of 4 recorded days, scored as the pure function would */
static void test_loader(void **state)
{
    struct ww_db *db = *state;
    struct inv_plan_price price = {(char *)"pc", 10000000};
    struct inv_plan_prices_edit pe = {&price, 1};
    struct inv_change ch = {.actor = &actor, .action = "plan.prices", .object_type = "plan_prices",
                            .key = "all", .may_be_new = true, .apply = inv_apply_plan_prices,
                            .ctx = &pe};
    struct inv_rules *rules = NULL;
    struct inv_plan_data d;
    struct inv_device dev;
    char err[256];
    long long id = 0;
    static const char *const days[] = {"2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04"};

    assert_int_equal(inv_rules_load(WW_RULES_DIR, &rules, err, sizeof(err)), 0);
    inv_device_init(&dev);
    dev.name = (char *)"Máy một cửa 1";
    dev.host = (char *)"10.0.0.9";
    dev.kind = (char *)"pc";
    dev.purchase_date = (char *)"2019-06-15";
    dev.criticality = (char *)"one_stop_counter";
    assert_int_equal(inv_device_add(db, &dev, &id), 0);
    assert_int_equal(inv_change_run(db, &ch), 0);
    free(ch.after);
    assert_int_equal(ww_db_exec(db, "INSERT INTO device_repair (device_id, day, cost_vnd, work,"
                                    " actor) SELECT id, '2025-01-02', 2500000, 'thay nguồn',"
                                    " 'it' FROM device"),
                     0);
    for (size_t i = 0; i < WW_ARRAY_SIZE(days); i++) {
        struct inv_health_sample s = {.ok = true, .cpu_pct = 10, .mem_pct = 20,
                                      .disk_max_pct = i < 3 ? 95 : 50};
        assert_int_equal(inv_health_add(db, id, days[i], &s), 0);
    }
    assert_int_equal(inv_plan_load(db, rules, "2026-12-15", &d), 0);
    assert_int_equal(d.ndevices, 1);
    /* why: 2019-06-15 to 2026-12-15 is 90 whole months: 20*90/60 = 30; the disk full on 3 of
     * 4 days: 20*3/4 = 15; repairs 2.5M of 10M: 20/4 = 5; a counter: 10. No facts: no
     * Windows 11 or OS term (nothing unknown is guessed) */
    assert_int_equal(d.devices[0].score.total, 60);
    assert_int_equal(d.devices[0].score.n, 4);
    assert_string_equal(d.devices[0].score.t[0].code, "age");
    assert_int_equal(d.devices[0].score.t[0].p0, 90);
    assert_string_equal(d.devices[0].score.t[1].code, "disk_full");
    assert_string_equal(d.devices[0].score.t[2].code, "repair");
    assert_int_equal(d.devices[0].score.t[2].points, 5);
    assert_string_equal(d.devices[0].score.t[3].code, "critical");
    /* why: 5 years are 60 months, 90 lived: nothing remains */
    assert_int_equal(d.devices[0].remaining_months, 0);
    inv_plan_data_release(&d);
    /* why: the device page's loader gives the same score for the one device */
    assert_int_equal(inv_plan_load_device(db, rules, "2026-12-15", id, &d), 0);
    assert_int_equal(d.ndevices, 1);
    assert_int_equal(d.devices[0].score.total, 60);
    inv_plan_data_release(&d);
    assert_int_equal(inv_plan_load_device(db, rules, "2026-12-15", id + 100, &d), -ENOENT);
    inv_rules_free(rules);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_terms),
        INV_TEST(test_settings),
        INV_TEST(test_loader),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_collector.c - reboot vs 497-day wrap, interface keys and speeds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "collector/collector.h"

static void test_reboot(void **state)
{
    static const struct {
        long long prev_ticks, prev_at, now_ticks, now_at;
        bool reboot;
        const char *why;
    } cases[] = {
        {-1, 0, 100, 60, false, "no previous reading"},
        {1000, 0, 7000, 60, false, "normal progress"},
        {1000, 0, 1000, 0, false, "same reading"},
        {500000, 0, 3000, 60, true, "went back: restarted 30 s ago"},
        {4294967000LL, 0, 5704, 60, false, "32-bit TimeTicks wrap after 497 days"},
        {4294967000LL, 0, 500, 3600, true, "near the wrap but far too little time passed"},
        {4294960000LL, 0, 100, 60, true, "near the wrap, but uptime restarted"},
        {100000, 1000, 90000, 900, true, "clock stepped back and uptime went back"},
    };
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        bool r = coll_is_reboot(cases[i].prev_ticks, cases[i].prev_at, cases[i].now_ticks,
                                cases[i].now_at);
        if (r != cases[i].reboot)
            fail_msg("case %zu (%s): got %d", i, cases[i].why, r);
    }
}

static void test_if_key_speed(void **state)
{
    struct coll_if a = {.if_index = 5, .name = (char *)"Gi0/1", .descr = (char *)"Gigabit 0/1"};
    struct coll_if b = {.if_index = 6, .name = (char *)"", .descr = (char *)"eth0"};
    struct coll_if c = {.if_index = 7};
    char *k;
    k = coll_if_key(&a);
    assert_string_equal(k, "Gi0/1");
    free(k);
    k = coll_if_key(&b);
    assert_string_equal(k, "eth0");
    free(k);
    k = coll_if_key(&c);
    assert_string_equal(k, "ifIndex.7");
    free(k);

    struct coll_if s1 = {.speed = 100000000};
    struct coll_if s2 = {.speed = 4294967295ULL, .high_speed = 10000};
    struct coll_if s3 = {.speed = 1000000000, .high_speed = 1000};
    struct coll_if s4 = {0};
    assert_true(coll_if_speed(&s1) == 100000000ULL);
    assert_true(coll_if_speed(&s2) == 10000000000ULL); /* 10G: ifSpeed saturates */
    assert_true(coll_if_speed(&s3) == 1000000000ULL);
    assert_true(coll_if_speed(&s4) == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reboot),
        cmocka_unit_test(test_if_key_speed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

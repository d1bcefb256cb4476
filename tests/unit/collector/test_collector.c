/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_collector.c - reboot vs 497-day wrap, interface keys and speeds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <math.h>
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

static void test_os_name(void **state)
{
    static const struct {
        const char *descr, *os;
    } cases[] = {
        {"Hardware: Intel64 Family 6 Model 158 Stepping 10 AT/AT COMPATIBLE - Software: Windows "
         "Version 6.3 (Build 19045 Multiprocessor Free)", "Windows 10 (build 19045)"},
        {"Hardware: x86 - Software: Windows Version 6.1 (Build 7601 Multiprocessor Free)",
         "Windows 7 (build 7601)"},
        {"Hardware: AMD64 - Software: Windows Version 6.3 (Build 22631 Multiprocessor Free)",
         "Windows 11 (build 22631)"},
        {"Windows 2000 Version 5.1 (Build 2600 Uniprocessor Free)", "Windows XP (build 2600)"},
        {"Linux DummySystem 3.10.0-514.el7.x86_64 #1 SMP Tue Nov 22 16:42:41 UTC 2016 x86_64",
         "Linux 3.10.0-514.el7.x86_64"},
        {"RouterOS RB750Gr3", "RouterOS RB750Gr3"},
        {"Cisco IOS Software, C3560\r\nTechnical Support", "Cisco IOS Software, C3560"},
    };
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        char *os = coll_os_name(cases[i].descr);
        assert_string_equal(os, cases[i].os);
        free(os);
    }
    assert_null(coll_os_name(NULL));
}

static void test_summary(void **state)
{
    struct coll_storage st[] = {
        {.index = 1, .type = 2, .descr = (char *)"Physical Memory", .units = 1024,
         .size = 4000000, .used = 1000000},
        {.index = 2, .type = 4, .descr = (char *)"C:\\ Label:", .units = 4096, .size = 1000,
         .used = 950},
        {.index = 3, .type = 4, .descr = (char *)"D:\\ \"data\"", .units = 4096, .size = 1000,
         .used = 100},
        {.index = 4, .type = 4, .descr = (char *)"/dev/shm", .units = 4096, .size = 1000,
         .used = 1000},
    };
    struct coll_hrdev hd[] = {
        {.index = 768, .type = 3, .descr = (char *)"Intel(R) Core(TM) i5-4570", .load = 10},
        {.index = 769, .type = 3, .descr = (char *)"Intel(R) Core(TM) i5-4570", .load = 30},
        {.index = 1025, .type = 5, .descr = (char *)"printer", .load = -1},
    };
    struct coll_result r = {.storage = st, .n_storage = 4, .hrdev = hd, .n_hrdev = 3,
                            .hr_memory_kb = 4000000, .ucd_total_kb = -1, .ucd_avail_kb = -1};
    struct coll_host_summary h;
    char *json;

    coll_summarize(&r, &h);
    assert_int_equal(h.cpu_count, 2);
    assert_true(h.cpu_load_pct == 20.0);
    assert_string_equal(h.cpu_model, "Intel(R) Core(TM) i5-4570");
    assert_true(h.mem_total == 4000000.0 * 1024);
    assert_true(h.mem_used == 1000000.0 * 1024);
    assert_true(h.disk_max_pct == 95.0); /* C: is 95 % full; /dev/shm is not a disk */
    json = coll_disks_json(&r);
    assert_string_equal(json, "[{\"descr\":\"C:\\\\ Label:\",\"size_bytes\":4096000,"
                              "\"used_bytes\":3891200},{\"descr\":\"D:\\\\ \\\"data\\\"\","
                              "\"size_bytes\":4096000,\"used_bytes\":409600}]");
    free(json);

    /* Linux: UCD memory counts buffers and cache as free */
    struct coll_result l = {.ucd_total_kb = 1000, .ucd_avail_kb = 200, .ucd_buffer_kb = 100,
                            .ucd_cached_kb = 300, .hr_memory_kb = -1};
    coll_summarize(&l, &h);
    assert_true(h.mem_total == 1000.0 * 1024);
    assert_true(h.mem_used == 400.0 * 1024);
    assert_true(isnan(h.cpu_load_pct));
    assert_int_equal(h.cpu_count, -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reboot),
        cmocka_unit_test(test_if_key_speed),
        cmocka_unit_test(test_os_name),
        cmocka_unit_test(test_summary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

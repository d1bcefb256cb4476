/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_collector.c - reboot vs 497-day wrap, interface keys and speeds, host summaries, the
 * SNMPv3 probe, kind guesses (OS names and other facts: test_facts.c). */
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

static void test_summary(void **state)
{
    struct coll_storage st[] = {
        {.index = 1, .type = 2, .descr = (char *)"Physical Memory", .units = 1024,
         .size = 4000000, .used = 1000000, .has_used = true},
        {.index = 2, .type = 4, .descr = (char *)"C:\\ Label:", .units = 4096, .size = 1000,
         .used = 950, .has_used = true},
        {.index = 3, .type = 4, .descr = (char *)"D:\\ \"data\"", .units = 4096, .size = 1000,
         .used = 100, .has_used = true},
        {.index = 4, .type = 4, .descr = (char *)"/dev/shm", .units = 4096, .size = 1000,
         .used = 1000, .has_used = true},
    };
    struct coll_hrdev hd[] = {
        {.index = 768, .type = 3, .descr = (char *)"Intel(R) Core(TM) i5-4570", .load = 10,
         .has_load = true},
        {.index = 769, .type = 3, .descr = (char *)"Intel(R) Core(TM) i5-4570", .load = 30,
         .has_load = true},
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

/* the discovery message, and the report a net-snmp agent sends back (captured shape) */
static void test_v3_probe(void **state)
{
    unsigned char buf[256], engine[32];
    size_t n = coll_v3_probe_build(buf, sizeof(buf), 4242), elen = 0;
    long boots = -1, etime = -1;
    /* a Report: version 3, msgID 4242, USM params with engine 80001f8880aabbccdd, boots 7,
     * time 12345, then a scoped PDU we do not read */
    static const unsigned char report[] = {
        0x30, 0x3b, 0x02, 0x01, 0x03, 0x30, 0x0f, 0x02, 0x02, 0x10, 0x92, 0x02, 0x03, 0x00,
        0xff, 0xe3, 0x04, 0x01, 0x00, 0x02, 0x01, 0x03, 0x04, 0x1a, 0x30, 0x18, 0x04, 0x09,
        0x80, 0x00, 0x1f, 0x88, 0x80, 0xaa, 0xbb, 0xcc, 0xdd, 0x02, 0x01, 0x07, 0x02, 0x02,
        0x30, 0x39, 0x04, 0x00, 0x04, 0x00, 0x04, 0x00, 0x30, 0x09, 0x04, 0x00, 0x04, 0x00,
        0xa8, 0x03, 0x02, 0x01, 0x00};

    assert_true(n > 40);
    assert_int_equal(buf[0], 0x30);
    assert_int_equal(buf[1], n - 2);
    assert_int_equal(coll_v3_probe_build(buf, 10, 1), 0); /* too small: refused */

    assert_int_equal(coll_v3_probe_parse(report, sizeof(report), 4242, engine, &elen, &boots,
                                         &etime), 0);
    assert_int_equal(elen, 9);
    assert_memory_equal(engine, "\x80\x00\x1f\x88\x80\xaa\xbb\xcc\xdd", 9);
    assert_int_equal(boots, 7);
    assert_int_equal(etime, 12345);
    /* someone else's msgID, and every truncation, are refused without reading past the end */
    assert_int_equal(coll_v3_probe_parse(report, sizeof(report), 4243, engine, &elen, &boots,
                                         &etime), -EPROTO);
    for (size_t cut = 0; cut < 46; cut++) {
        unsigned char *copy = malloc(cut ? cut : 1);
        memcpy(copy, report, cut);
        assert_int_equal(coll_v3_probe_parse(copy, cut, 4242, engine, &elen, &boots, &etime),
                         -EPROTO);
        free(copy);
    }
    /* random bytes never crash it */
    unsigned int seed = 1;
    for (int i = 0; i < 20000; i++) {
        unsigned char junk[64];
        size_t len = (size_t)(rand_r(&seed) % 64);
        for (size_t k = 0; k < len; k++)
            junk[k] = (unsigned char)rand_r(&seed);
        if (len > 1 && i % 2)
            junk[0] = 0x30;
        (void)coll_v3_probe_parse(junk, len, 4242, engine, &elen, &boots, &etime);
    }
}

static void test_guess_kind(void **state)
{
    static const struct {
        const char *descr;
        const char *kind;
    } cases[] = {
        {"RouterOS RB750Gr3", "router"},
        {"ProCurve J9146A Switch 2910al-24G-PoE", "switch"},
        {"Cisco IOS Software, C3560 Software (C3560-IPSERVICESK9-M)", "switch"},
        {"FortiGate-60F v7.0", "firewall"},
        {"Linux 2.6.32.68 #1 Mon Jun 5 AirOS", "ap"},
        {"Hardware: Intel64 - Software: Windows Version 6.3 (Build 19045 Multiprocessor Free)",
         "pc"},
        {"Hardware: x86 Family 15 - Software: Windows 2003 Server Version 5.2", "server"},
        {"Linux centos 3.10.0-514.el7.x86_64", "server"},
        {"Mystery box", "other"},
    };
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct coll_result r = {.sys_descr = (char *)cases[i].descr, .ups_battery_status = -1,
                                .ups_charge = -1};
        if (strcmp(coll_guess_kind(&r, NULL), cases[i].kind) != 0)
            fail_msg("'%s': got %s, want %s", cases[i].descr, coll_guess_kind(&r, NULL),
                     cases[i].kind);
    }
    struct coll_result ups = {.sys_descr = (char *)"Linux", .ups_battery_status = 2};
    assert_string_equal(coll_guess_kind(&ups, NULL), "ups");
    struct coll_supply sup = {.index = 1};
    struct coll_result prn = {.supplies = &sup, .n_supplies = 1, .ups_battery_status = -1,
                              .ups_charge = -1};
    assert_string_equal(coll_guess_kind(&prn, NULL), "printer");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reboot),
        cmocka_unit_test(test_if_key_speed),
        cmocka_unit_test(test_summary),
        cmocka_unit_test(test_v3_probe),
        cmocka_unit_test(test_guess_kind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_graph.c - the fixed graphs drawn as SVG from real RRD files this test fills, the
 * whitelists that guard them, the series behind them, and the nearest-rank percentile.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "storage/storage.h"

#define DEV 4
#define IFID 9
#define STEP 60
#define NSTEPS 1200 /* 20 hours */

static char tmpdir[64];
static struct store *st;
static time_t last;

static const struct store_ds if_ds[] = {{"in_octets", STORE_COUNTER, 0, NAN},
                                        {"out_octets", STORE_COUNTER, 0, NAN},
                                        {"in_errors", STORE_COUNTER, 0, NAN},
                                        {"out_errors", STORE_COUNTER, 0, NAN}};
static const struct store_ds host_ds[] = {{"cpu_load", STORE_GAUGE, 0, 100},
                                          {"mem_used", STORE_GAUGE, 0, NAN},
                                          {"mem_total", STORE_GAUGE, 0, NAN},
                                          {"disk_max_pct", STORE_GAUGE, 0, 100}};
static const struct store_ds snmp_ds[] = {{"uptime", STORE_GAUGE, 0, NAN},
                                          {"poll_ms", STORE_GAUGE, 0, NAN}};
static const struct store_ds ups_ds[] = {{"charge_pct", STORE_GAUGE, 0, 100},
                                         {"runtime_min", STORE_GAUGE, 0, NAN},
                                         {"on_battery", STORE_GAUGE, 0, 1}};
static const struct store_ds sup_ds[] = {{"min_level_pct", STORE_GAUGE, 0, 100}};

static struct store_val num(double v)
{
    return (struct store_val){.kind = STORE_NUM, .num = v};
}

static struct store_val u64(uint64_t v)
{
    return (struct store_val){.kind = STORE_U64, .u64 = v};
}

/* 20 h of samples on step boundaries: in 1000 B/s, out 250 B/s, 2 errors/s in, cpu 37,
 * memory 1/4 used, disk 61 %, poll 12 ms, UPS 88 % / 41 min, supplies 15 % */
static int setup(void **state)
{
    char *rrd;
    time_t t0;

    ww_strlcpy(tmpdir, "/tmp/wwgraXXXXXX", sizeof(tmpdir));
    assert_non_null(mkdtemp(tmpdir));
    rrd = ww_asprintf("%s/rrd", tmpdir);
    assert_int_equal(store_open(rrd, NULL, &st), 0);
    free(rrd);
    assert_int_equal(store_ensure(st, DEV, "if-9", STEP, if_ds, 4), 0);
    assert_int_equal(store_ensure(st, DEV, "host", STEP, host_ds, 4), 0);
    assert_int_equal(store_ensure(st, DEV, "snmp", STEP, snmp_ds, 2), 0);
    assert_int_equal(store_ensure(st, DEV, "ups", STEP, ups_ds, 3), 0);
    assert_int_equal(store_ensure(st, DEV, "supplies", STEP, sup_ds, 1), 0);
    t0 = (time(NULL) / STEP) * STEP - NSTEPS * STEP;
    for (long i = 0; i <= NSTEPS; i++) {
        time_t t = t0 + i * STEP;
        struct store_val ifv[4] = {u64(1000ULL * STEP * (uint64_t)i), u64(250ULL * STEP * (uint64_t)i),
                                   u64(2ULL * STEP * (uint64_t)i), u64(0)};
        struct store_val hv[4] = {num(37), num(256), num(1024), num(61)};
        struct store_val sv[2] = {num(100 * (double)i), num(12)};
        struct store_val uv[3] = {num(88), num(41), num(0)};
        struct store_val pv[1] = {num(15)};
        assert_int_equal(store_update(st, DEV, "if-9", (double)t, ifv, 4), 0);
        assert_int_equal(store_update(st, DEV, "host", (double)t, hv, 4), 0);
        assert_int_equal(store_update(st, DEV, "snmp", (double)t, sv, 2), 0);
        assert_int_equal(store_update(st, DEV, "ups", (double)t, uv, 3), 0);
        assert_int_equal(store_update(st, DEV, "supplies", (double)t, pv, 1), 0);
        last = t;
    }
    return 0;
}

static int teardown(void **state)
{
    char *cmd = ww_asprintf("rm -rf '%s'", tmpdir);
    store_free(st);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    return 0;
}

static const struct store_graph_labels labels_vi = {
    "Lưu lượng – cổng 1", "bit/giây", {"Vào", "Ra"}};

static bool contains(const unsigned char *p, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(p + i, needle, k) == 0)
            return true;
    return false;
}

static void test_every_graph_and_range(void **state)
{
    static const char *const names[] = {"traffic", "errors", "cpu", "memory",
                                        "disk", "poll", "ups", "supplies"};
    static const char *const rnames[] = {"day", "week", "month", "year"};

    for (size_t g = 0; g < WW_ARRAY_SIZE(names); g++) {
        enum store_graph_name gn;
        assert_int_equal(store_graph_parse(names[g], &gn), 0);
        assert_int_equal((int)gn, (int)g);
        for (size_t r = 0; r < WW_ARRAY_SIZE(rnames); r++) {
            enum store_range rn;
            unsigned char *svg = NULL;
            size_t len = 0;
            assert_int_equal(store_range_parse(rnames[r], &rn), 0);
            assert_int_equal(store_graph(st, DEV, gn, IFID, rn, last, 0, 0, &labels_vi, &svg,
                                         &len),
                             0);
            assert_true(len > 500);
            assert_true(contains(svg, len, "<svg"));
            assert_true(contains(svg, len, "</svg>"));
            free(svg);
        }
    }
}

/* cairo draws text as glyph outlines, so a title shows as different paths, not as text */
static void test_labels_drawn(void **state)
{
    static const struct store_graph_labels en = {"Traffic - port 1", "bit/s", {"In", "Out"}};
    unsigned char *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;

    assert_int_equal(store_graph(st, DEV, STORE_GRAPH_TRAFFIC, IFID, STORE_RANGE_DAY, last, 0, 0,
                                 &labels_vi, &a, &na),
                     0);
    assert_int_equal(store_graph(st, DEV, STORE_GRAPH_TRAFFIC, IFID, STORE_RANGE_DAY, last, 0, 0,
                                 &en, &b, &nb),
                     0);
    assert_true(na != nb || memcmp(a, b, na) != 0);
    free(a);
    free(b);
    /* the same request twice draws the same bytes */
    assert_int_equal(store_graph(st, DEV, STORE_GRAPH_TRAFFIC, IFID, STORE_RANGE_DAY, last, 0, 0,
                                 &en, &a, &na),
                     0);
    assert_int_equal(na, nb);
    free(a);
}

static void test_refused(void **state)
{
    static const char *const bad_names[] = {"", "Traffic", "traffic ", "cpu;rm", "../host",
                                            "if-9", "host", "trafficx", "memory\n"};
    static const char *const bad_ranges[] = {"", "Day", "2d", "decade", "day:", "-1d"};
    static const char *const bad_labels[] = {"a:b", "back\\slash", "50%", "tab\there",
                                             "line\nbreak", "", "\xc3\x28"};
    enum store_graph_name g;
    enum store_range r;
    unsigned char *svg = NULL;
    size_t len = 0;

    for (size_t i = 0; i < WW_ARRAY_SIZE(bad_names); i++)
        assert_int_equal(store_graph_parse(bad_names[i], &g), -EINVAL);
    assert_int_equal(store_graph_parse(NULL, &g), -EINVAL);
    for (size_t i = 0; i < WW_ARRAY_SIZE(bad_ranges); i++)
        assert_int_equal(store_range_parse(bad_ranges[i], &r), -EINVAL);
    for (size_t i = 0; i < WW_ARRAY_SIZE(bad_labels); i++) {
        struct store_graph_labels l = labels_vi;
        assert_false(store_label_valid(bad_labels[i]));
        l.title = bad_labels[i];
        assert_int_equal(store_graph(st, DEV, STORE_GRAPH_CPU, 0, STORE_RANGE_DAY, 0, 0, 0, &l,
                                     &svg, &len),
                         -EINVAL);
        l = labels_vi;
        l.legend[0] = bad_labels[i];
        assert_int_equal(store_graph(st, DEV, STORE_GRAPH_CPU, 0, STORE_RANGE_DAY, 0, 0, 0, &l,
                                     &svg, &len),
                         -EINVAL);
    }
    /* the second legend is required where two lines are drawn */
    {
        struct store_graph_labels l = {"T", "v", {"in", NULL}};
        assert_int_equal(store_graph(st, DEV, STORE_GRAPH_TRAFFIC, IFID, STORE_RANGE_DAY, 0, 0,
                                     0, &l, &svg, &len),
                         -EINVAL);
    }
    assert_int_equal(store_graph(st, DEV, STORE_GRAPH_TRAFFIC, 0, STORE_RANGE_DAY, 0, 0, 0,
                                 &labels_vi, &svg, &len),
                     -EINVAL); /* an interface graph needs an interface */
    assert_int_equal(store_graph(st, DEV, STORE_GRAPH_TRAFFIC, 10, STORE_RANGE_DAY, 0, 0, 0,
                                 &labels_vi, &svg, &len),
                     -ENOENT);
    assert_int_equal(store_graph(st, DEV + 1, STORE_GRAPH_CPU, 0, STORE_RANGE_DAY, 0, 0, 0,
                                 &labels_vi, &svg, &len),
                     -ENOENT);
    assert_int_equal(store_graph(st, 0, STORE_GRAPH_CPU, 0, STORE_RANGE_DAY, 0, 0, 0,
                                 &labels_vi, &svg, &len),
                     -EINVAL);
    assert_int_equal(store_graph(st, DEV, STORE_GRAPH_COUNT, 0, STORE_RANGE_DAY, 0, 0, 0,
                                 &labels_vi, &svg, &len),
                     -EINVAL);
    assert_int_equal(store_graph(st, DEV, STORE_GRAPH_CPU, 0, STORE_RANGE_COUNT, 0, 0, 0,
                                 &labels_vi, &svg, &len),
                     -EINVAL);
    assert_null(svg);
}

/* the series a graph draws: exact values of what was written */
static void test_series(void **state)
{
    static const struct {
        enum store_graph_name g;
        const char *cols[2];
        double want[2];
    } cases[] = {
        {STORE_GRAPH_TRAFFIC, {"in_bps", "out_bps"}, {8000, 2000}},
        {STORE_GRAPH_ERRORS, {"in_errors", "out_errors"}, {2, 0}},
        {STORE_GRAPH_CPU, {"cpu_load", NULL}, {37, 0}},
        {STORE_GRAPH_MEMORY, {"mem_pct", NULL}, {25, 0}},
        {STORE_GRAPH_DISK, {"disk_max_pct", NULL}, {61, 0}},
        {STORE_GRAPH_POLL, {"poll_ms", NULL}, {12, 0}},
        {STORE_GRAPH_UPS, {"charge_pct", "runtime_min"}, {88, 41}},
        {STORE_GRAPH_SUPPLIES, {"min_level_pct", NULL}, {15, 0}},
    };
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct store_series *s = NULL;
        size_t known = 0;
        assert_int_equal(store_graph_series(st, DEV, cases[i].g, IFID, STORE_RANGE_DAY,
                                            "AVERAGE", last, &s),
                         0);
        assert_int_equal(s->step, STEP);
        assert_int_equal(s->cols, cases[i].cols[1] ? 2 : 1);
        for (size_t c = 0; c < s->cols; c++)
            assert_string_equal(s->names[c], cases[i].cols[c]);
        for (size_t r = 0; r < s->rows; r++) {
            if (isnan(s->values[r * s->cols]))
                continue;
            known++;
            for (size_t c = 0; c < s->cols; c++)
                assert_float_equal(s->values[r * s->cols + c], cases[i].want[c], 1e-9);
        }
        assert_true(known >= NSTEPS - 2);
        store_series_free(s);
    }
    assert_int_equal(store_graph_series(st, DEV, STORE_GRAPH_CPU, 0, STORE_RANGE_DAY, "LAST",
                                        last, &(struct store_series *){NULL}),
                     -EINVAL);
}

static void test_percentile(void **state)
{
    double hundred[100], v;
    size_t k;
    static const double mixed[] = {NAN, 5, 1, NAN, 4, 2, 3, INFINITY};
    static const double one[] = {7.5};
    static const double none[] = {NAN, NAN};

    for (int i = 0; i < 100; i++)
        hundred[i] = 100 - i; /* 100 .. 1, unsorted on purpose */
    static const struct {
        double p, want;
    } cases[] = {{95, 95}, {50, 50}, {100, 100}, {1, 1}, {0.5, 1}, {99.5, 100}, {94.1, 95}};
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        assert_int_equal(store_percentile(hundred, 100, cases[i].p, &v, &k), 0);
        assert_float_equal(v, cases[i].want, 0);
        assert_int_equal(k, 100);
    }
    /* 5 finite values: rank ceil(0.95 * 5) = 5 -> the largest; the median is the 3rd */
    assert_int_equal(store_percentile(mixed, WW_ARRAY_SIZE(mixed), 95, &v, &k), 0);
    assert_float_equal(v, 5, 0);
    assert_int_equal(k, 5);
    assert_int_equal(store_percentile(mixed, WW_ARRAY_SIZE(mixed), 50, &v, NULL), 0);
    assert_float_equal(v, 3, 0);
    assert_int_equal(store_percentile(one, 1, 95, &v, &k), 0);
    assert_float_equal(v, 7.5, 0);
    assert_int_equal(store_percentile(none, 2, 95, &v, &k), -ENOENT);
    assert_int_equal(k, 0);
    assert_int_equal(store_percentile(none, 0, 95, &v, &k), -ENOENT);
    assert_int_equal(store_percentile(one, 1, 0, &v, &k), -EINVAL);
    assert_int_equal(store_percentile(one, 1, 101, &v, &k), -EINVAL);
    assert_int_equal(store_percentile(one, 1, NAN, &v, &k), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_graph_and_range),
        cmocka_unit_test(test_labels_drawn),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_series),
        cmocka_unit_test(test_percentile),
    };
    ww_log_init("test_graph", WW_LOG_ERR + 0);
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_legend.c - the figures of a graph's legend (current, average, maximum, 95th
 * percentile) from a series, and the same read back from a real RRD file this test fills
 * with a known series; where a young file's data begins.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/storage.h"

#define DEV 7
#define STEP 60
#define N 100

#define X NAN

static void test_series_stats(void **state)
{
    static const struct {
        const char *why;
        size_t n;
        double v[20];
        int ret;
        double current, average, maximum, p95;
    } cases[] = {
        {"a steady line: every figure is its value", 3, {5, 5, 5}, 0, 5, 5, 5, 5},
        {"unknown rows are skipped; current is the last known row, not the last row", 4,
         {1, X, 3, X}, 0, 3, 2, 3, 3},
        {"one spike in 20 rows: the maximum shows it, the 95th percentile (rank 19) does not",
         20, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 1000}, 0, 1000,
         59.5, 1000, 19},
        {"nothing known: -ENOENT and no figures (the legend shows dashes)", 2, {X, X}, -ENOENT, X,
         X, X, X},
        {"no rows at all (a file made a moment ago)", 0, {0}, -ENOENT, X, X, X, X},
        {"negative values (a gauge may go below zero) count as they are", 3, {-3, -1, -2}, 0, -2,
         -2, -1, -1},
    };
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct store_series s = {.start = 1000, .step = STEP, .rows = cases[i].n, .cols = 1,
                                 .values = (double *)cases[i].v};
        struct store_stats got;
        print_message("case: %s\n", cases[i].why);
        assert_int_equal(store_series_stats(&s, 0, &got), cases[i].ret);
        if (cases[i].ret < 0) {
            assert_true(isnan(got.current) && isnan(got.average) && isnan(got.maximum) &&
                        isnan(got.p95));
            assert_int_equal(got.n, 0);
            continue;
        }
        assert_float_equal(got.current, cases[i].current, 1e-9);
        assert_float_equal(got.average, cases[i].average, 1e-9);
        assert_float_equal(got.maximum, cases[i].maximum, 1e-9);
        assert_float_equal(got.p95, cases[i].p95, 1e-9);
    }
}

static void test_columns_and_first(void **state)
{
    static const struct {
        const char *why;
        size_t rows;
        double v[8]; /* two columns */
        time_t first;
    } cases[] = {
        {"data from the first row: it begins where the series does", 2, {1, 2, 3, 4}, 1000},
        {"the first rows unknown in both columns: it begins at the first known row", 4,
         {X, X, X, X, X, 7, 8, 9}, 1000 + 2 * STEP},
        {"known in the second column only counts as data", 3, {X, X, X, 5, 6, X}, 1000 + STEP},
        {"nothing known: 0", 2, {X, X, X, X}, 0},
    };
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct store_series s = {.start = 1000, .step = STEP, .rows = cases[i].rows, .cols = 2,
                                 .values = (double *)cases[i].v};
        print_message("case: %s\n", cases[i].why);
        assert_int_equal(store_series_first(&s), cases[i].first);
    }
    /* the second column's own figures; a column the series lacks is refused */
    {
        static const double v[] = {1, 10, 2, 30, X, 20};
        struct store_series s = {.start = 0, .step = STEP, .rows = 3, .cols = 2,
                                 .values = (double *)v};
        struct store_stats got;
        assert_int_equal(store_series_stats(&s, 1, &got), 0);
        assert_float_equal(got.current, 20, 0);
        assert_float_equal(got.average, 20, 1e-9);
        assert_float_equal(got.maximum, 30, 0);
        assert_int_equal(got.n, 3);
        assert_int_equal(store_series_stats(&s, 2, &got), -EINVAL);
    }
}

/* a known series in a real file: cpu_load 1..100 in a scrambled order, one value a minute,
 * after a first sample of "unknown" (which only makes the file); the legend of the day graph
 * reads it back: p95 95 (nearest rank of 100 values), maximum 100, average 50.5 */
static void test_legend_from_rrd(void **state)
{
    static const struct store_ds host_ds[] = {{"cpu_load", STORE_GAUGE, 0, 100},
                                              {"mem_used", STORE_GAUGE, 0, NAN},
                                              {"mem_total", STORE_GAUGE, 0, NAN},
                                              {"disk_max_pct", STORE_GAUGE, 0, 100}};
    char tmpdir[64], *rrd, *cmd;
    struct store *st = NULL;
    struct store_stats stats[STORE_GRAPH_LEGENDS];
    size_t n = 0;
    time_t t0, last = 0, first = 0;
    double lastv = 0;
    unsigned char *svg = NULL;
    size_t len = 0;
    static const struct store_graph_labels labels = {"CPU", "pct", {"CPU", NULL}};

    ww_strlcpy(tmpdir, "/tmp/wwlegXXXXXX", sizeof(tmpdir));
    assert_non_null(mkdtemp(tmpdir));
    rrd = ww_asprintf("%s/rrd", tmpdir);
    assert_int_equal(store_open(rrd, NULL, &st), 0);
    free(rrd);
    assert_int_equal(store_ensure(st, DEV, "host", STEP, host_ds, 4), 0);
    /* a young file: its data begins 101 minutes before now, well inside the day */
    t0 = (time(NULL) / STEP) * STEP - (N + 1) * STEP;
    for (long i = 0; i <= N; i++) {
        struct store_val v[4];
        double x = (double)((i * 37) % N + 1); /* 37 is prime to 100: 1..100 once each */
        for (int k = 0; k < 4; k++)
            v[k] = (struct store_val){.kind = i == 0 ? STORE_UNKNOWN : STORE_NUM, .num = x};
        last = t0 + i * STEP;
        lastv = x;
        assert_int_equal(store_update(st, DEV, "host", (double)last, v, 4), 0);
    }
    assert_int_equal(store_graph_stats(st, DEV, STORE_GRAPH_CPU, 0, STORE_RANGE_DAY, last, stats,
                                       &n, &first),
                     0);
    assert_int_equal(n, 1);
    assert_int_equal(stats[0].n, N);
    assert_float_equal(stats[0].p95, 95, 1e-9);
    assert_float_equal(stats[0].maximum, 100, 1e-9);
    assert_float_equal(stats[0].average, 50.5, 1e-9);
    assert_float_equal(stats[0].current, lastv, 1e-9);
    /* the row ending at t0 + STEP is the first known one: its interval begins at t0 */
    assert_int_equal(first, t0);
    /* the graph of the young file draws (from its first data; checked by eye in the UI) */
    assert_int_equal(store_graph(st, DEV, STORE_GRAPH_CPU, 0, STORE_RANGE_DAY, last, 0, 0,
                                 &labels, &svg, &len),
                     0);
    assert_true(len > 100);
    free(svg);
    /* no such file */
    assert_int_equal(store_graph_stats(st, DEV + 1, STORE_GRAPH_CPU, 0, STORE_RANGE_DAY, last,
                                       stats, &n, &first),
                     -ENOENT);
    store_free(st);
    cmd = ww_asprintf("rm -rf '%s'", tmpdir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_series_stats),
        cmocka_unit_test(test_columns_and_first),
        cmocka_unit_test(test_legend_from_rrd),
    };
    ww_log_init("test_legend", WW_LOG_ERR + 0);
    return cmocka_run_group_tests(tests, NULL, NULL);
}

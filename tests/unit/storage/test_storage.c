/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_storage.c - write samples, read them back: once with librrd directly and once through
 * a real rrdcached started on a unix socket in a temp folder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rrd.h>

#include "storage/storage.h"
#include "../rrd_test.h"

static char tmpdir[64];

static int make_tmp(void **state)
{
    return test_tmpdir_make(tmpdir, sizeof(tmpdir), "/tmp/wwstoXXXXXX");
}

static int drop_tmp(void **state)
{
    return test_tmpdir_drop(tmpdir);
}

static const struct store_ds ds[] = {
    {"temp", STORE_GAUGE, NAN, NAN},
    {"octets", STORE_COUNTER, 0, 1000}, /* max 1000 B/s: faster is unknown, never a spike */
};

/* 20 samples 10 s apart: temp = i, octets grows 500 B per step (50 B/s), except one jump
 * of 10^9 (a reset seen as a wrap) that must come back unknown, not as a spike */
static void round_trip(const char *rrdcached, const char *sub)
{
    struct store *st = NULL;
    struct store_series *s = NULL;
    char *dir = ww_asprintf("%s/%s", tmpdir, sub);
    time_t base = (time(NULL) / 10 + 1) * 10;
    uint64_t octets = 4294967000ULL; /* near the 32-bit wrap: rrdtool counts it right */
    char path[512];

    assert_int_equal(store_open(dir, rrdcached, &st), 0);
    assert_int_equal(store_ensure(st, 7, "if-3", 10, ds, 2), 0);
    assert_int_equal(store_ensure(st, 7, "if-3", 10, ds, 2), 0); /* on its way: kept */
    assert_int_equal(store_path(st, 7, "if-3", path, sizeof(path)), 0);
    assert_int_equal(access(path, F_OK), -1); /* made at its first sample */
    for (int i = 1; i <= 20; i++) {
        struct store_val v[2] = {{.kind = STORE_NUM, .num = i},
                                 {.kind = STORE_U64, .u64 = octets}};
        assert_int_equal(store_update(st, 7, "if-3", base + 10 * i, v, 2), 0);
        if (i == 1)
            assert_int_equal(access(path, F_OK), 0);
        octets += i == 12 ? 1000000000ULL : 500;
    }
    /* a time not after the last one is refused by librrd, nothing written */
    {
        struct store_val v[2] = {{.kind = STORE_NUM, .num = 99}, {.kind = STORE_UNKNOWN}};
        int r = store_update(st, 7, "if-3", base + 10 * 20, v, 2);
        if (!rrdcached)
            assert_int_equal(r, -EIO);
    }
    assert_int_equal(store_fetch(st, 7, "if-3", "AVERAGE", base + 10, base + 200, &s), 0);
    assert_int_equal(s->step, 10);
    assert_int_equal(s->cols, 2);
    assert_string_equal(s->names[0], "temp");
    assert_string_equal(s->names[1], "octets");
    int checked = 0;
    for (size_t r = 0; r < s->rows; r++) {
        time_t t = s->start + (time_t)((r + 1) * s->step);
        int i = (int)((t - base) / 10);
        double temp = s->values[r * 2], rate = s->values[r * 2 + 1];
        if (i < 2 || i > 20)
            continue;
        assert_true(temp == (double)i);
        if (i == 13)
            assert_true(isnan(rate)); /* 10^8 B/s is over max: unknown, not a spike */
        else {
            assert_true(fabs(rate - 50.0) < 1e-9);
            checked++;
        }
    }
    assert_true(checked >= 17);
    store_series_free(s);

    char **last = NULL;
    size_t n = 0;
    time_t when = 0;
    assert_int_equal(store_last(st, 7, "if-3", &when, &last, &n), 0);
    assert_int_equal(when, base + 200);
    assert_int_equal(n, 2);
    assert_string_equal(last[0], "20");
    for (size_t i = 0; i < n; i++)
        free(last[i]);
    free(last);
    store_free(st);
    free(dir);
}

/* 40 files updated in one rrdcached BATCH per step: every sample lands, a stale one is
 * refused (-EIO) without costing the others, and outside a batch updates go one by one */
static void batch_trip(const char *rrdcached)
{
    struct store *st = NULL;
    char *dir = ww_asprintf("%s/batch", tmpdir);
    time_t base = (time(NULL) / 10 + 1) * 10;
    enum { FILES = 40 };

    assert_int_equal(store_open(dir, rrdcached, &st), 0);
    for (int f = 1; f <= FILES; f++)
        assert_int_equal(store_ensure(st, f, "snmp", 10, ds, 2), 0);
    for (int i = 1; i <= 3; i++) {
        store_batch_begin(st);
        for (int f = 1; f <= FILES; f++) {
            struct store_val v[2] = {{.kind = STORE_NUM, .num = f * 100 + i},
                                     {.kind = STORE_U64, .u64 = (uint64_t)(i * 1000)}};
            assert_int_equal(store_update(st, f, "snmp", base + 10 * i, v, 2), 0);
        }
        if (i == 3) { /* file 5 again at an older time: rrdcached refuses that one only */
            struct store_val v[2] = {{.kind = STORE_NUM, .num = -1}, {.kind = STORE_UNKNOWN}};
            assert_int_equal(store_update(st, 5, "snmp", base + 10, v, 2), 0);
            assert_int_equal(store_batch_end(st), -EIO);
        } else {
            assert_int_equal(store_batch_end(st), 0);
        }
    }
    assert_int_equal(store_batch_end(st), 0); /* nothing queued: nothing to send */
    for (int f = 1; f <= FILES; f++) {
        char **last = NULL;
        size_t n = 0;
        time_t when = 0;
        char want[16];
        assert_int_equal(store_last(st, f, "snmp", &when, &last, &n), 0);
        assert_int_equal(when, base + 30);
        snprintf(want, sizeof(want), "%d", f * 100 + 3);
        assert_int_equal(n, 2);
        assert_string_equal(last[0], want);
        for (size_t k = 0; k < n; k++)
            free(last[k]);
        free(last);
    }
    store_free(st);
    free(dir);
}

/* store_ensure() remembers the files it has seen; a file removed behind its back costs one
 * refused update, then it is made again */
static void test_file_removed(void **state)
{
    struct store *st = NULL;
    char *dir = ww_asprintf("%s/removed", tmpdir);
    char path[512];
    struct store_val v[2] = {{.kind = STORE_NUM, .num = 1}, {.kind = STORE_U64, .u64 = 1}};
    time_t base = time(NULL);

    assert_int_equal(store_open(dir, NULL, &st), 0);
    assert_int_equal(store_ensure(st, 3, "snmp", 10, ds, 2), 0);
    assert_int_equal(store_ensure(st, 3, "snmp", 10, ds, 2), 0); /* seen: remembered */
    assert_int_equal(store_update(st, 3, "snmp", base, v, 2), 0);
    assert_int_equal(store_path(st, 3, "snmp", path, sizeof(path)), 0);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(store_ensure(st, 3, "snmp", 10, ds, 2), 0); /* still believed there */
    assert_int_equal(store_update(st, 3, "snmp", base + 10, v, 2), -EIO);
    assert_int_equal(store_ensure(st, 3, "snmp", 10, ds, 2), 0); /* looks again: missing */
    assert_int_equal(store_update(st, 3, "snmp", base + 20, v, 2), 0); /* made anew */
    assert_int_equal(access(path, F_OK), 0);
    store_free(st);
    free(dir);
}

#define MBIT (1e6 / 8 * 1.01) /* bytes/s: the maximum the collector sets per Mbit/s of speed */

/* the header's type and max of data source "in_octets" */
static void header_of(const char *path, char *type, size_t size, double *max)
{
    rrd_info_t *info = rrd_info_r(path);
    assert_non_null(info);
    for (rrd_info_t *p = info; p; p = p->next) {
        if (strcmp(p->key, "ds[in_octets].type") == 0)
            ww_strlcpy(type, p->value.u_str, size);
        else if (strcmp(p->key, "ds[in_octets].max") == 0)
            *max = p->value.u_val;
    }
    rrd_info_free(info);
}

static struct timespec mtime_of(const char *path)
{
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    return sb.st_mtim;
}

/*
 * An existing file is brought to what the next store_ensure() asks, in place: ten samples
 * written by one process (the old collector), the file reconciled by the next, ten more
 * samples; every row of both comes back. With rrdcached the first ten are still queued in
 * the daemon when the type changes: they must be written under the old type first.
 */
static void tune_trip(const char *rrdcached, const char *sub)
{
    static const char *const types[] = {"GAUGE", "COUNTER", "DERIVE"};
    static const struct {
        enum store_ds_type old_type;
        double old_max;
        enum store_ds_type new_type;
        double new_max;
        double old_rate, new_rate; /* bytes/s written before and after */
        bool rewritten;            /* the header had to change */
        const char *why;
    } cases[] = {
        {STORE_COUNTER, 1.25e6, STORE_GAUGE, 10 * MBIT, 50, 6.25e5, true,
         "an old collector's COUNTER file becomes GAUGE, its rows kept"},
        {STORE_GAUGE, 10 * MBIT, STORE_GAUGE, 1000 * MBIT, 6.25e5, 6.25e6, true,
         "a 10 Mbit/s port now at 1 Gbit/s: 50 Mbit/s samples are kept, not unknown"},
        {STORE_GAUGE, 10 * MBIT, STORE_GAUGE, NAN, 100, 2e9, true,
         "the link no longer tells its speed: no maximum"},
        {STORE_GAUGE, 10 * MBIT, STORE_GAUGE, 10 * MBIT, 100, 200, false,
         "already as asked: the file is not written"},
    };
    char *dir = ww_asprintf("%s/%s", tmpdir, sub);
    time_t base = (time(NULL) / 10 + 1) * 10;

    for (size_t c = 0; c < WW_ARRAY_SIZE(cases); c++) {
        struct store_ds old_ds = {"in_octets", cases[c].old_type, 0, cases[c].old_max};
        struct store_ds new_ds = {"in_octets", cases[c].new_type, 0, cases[c].new_max};
        struct store *st = NULL;
        struct store_series *s = NULL;
        struct timespec before, after;
        char metric[16], path[512], type[16] = "";
        double max = 0;
        int checked = 0;

        snprintf(metric, sizeof(metric), "if-%zu", c + 1);
        assert_int_equal(store_open(dir, rrdcached, &st), 0);
        assert_int_equal(store_ensure(st, 1, metric, 10, &old_ds, 1), 0);
        for (int i = 1; i <= 10; i++) {
            struct store_val v = {.kind = STORE_NUM, .num = cases[c].old_rate};
            if (cases[c].old_type == STORE_COUNTER)
                v = (struct store_val){.kind = STORE_U64,
                                       .u64 = 1000 + (uint64_t)(cases[c].old_rate * 10 * i)};
            assert_int_equal(store_update(st, 1, metric, base + 10 * i, &v, 1), 0);
        }
        store_free(st);

        assert_int_equal(store_open(dir, rrdcached, &st), 0);
        assert_int_equal(store_path(st, 1, metric, path, sizeof(path)), 0);
        before = mtime_of(path);
        assert_int_equal(store_ensure(st, 1, metric, 10, &new_ds, 1), 0);
        after = mtime_of(path);
        if ((before.tv_sec != after.tv_sec || before.tv_nsec != after.tv_nsec) !=
            cases[c].rewritten)
            fail_msg("case %zu (%s): file %s", c, cases[c].why,
                     cases[c].rewritten ? "not tuned" : "written");
        header_of(path, type, sizeof(type), &max);
        if (strcmp(type, types[cases[c].new_type]) != 0 ||
            !(isnan(max) ? isnan(cases[c].new_max) : max == cases[c].new_max))
            fail_msg("case %zu (%s): header says %s max %g", c, cases[c].why, type, max);
        for (int i = 11; i <= 20; i++) {
            struct store_val v = {.kind = STORE_NUM, .num = cases[c].new_rate};
            assert_int_equal(store_update(st, 1, metric, base + 10 * i, &v, 1), 0);
        }
        assert_int_equal(store_fetch(st, 1, metric, "AVERAGE", base + 10, base + 200, &s), 0);
        for (size_t r = 0; r < s->rows; r++) {
            int i = (int)((s->start + (time_t)((r + 1) * s->step) - base) / 10);
            double want = i <= 10 ? cases[c].old_rate : cases[c].new_rate;
            if (i < 2 || i > 20) /* the first sample has nothing before it */
                continue;
            if (!(fabs(s->values[r] - want) <= want * 1e-9))
                fail_msg("case %zu (%s): row %d is %g, want %g", c, cases[c].why, i,
                         s->values[r], want);
            checked++;
        }
        assert_int_equal(checked, 19);
        store_series_free(s);
        store_free(st);
    }
    free(dir);
}

/* what a file was reconciled to is remembered: the same data sources again read nothing
 * (a change behind the store's back stays), other ones reconcile again, and so does the
 * next process */
static void test_tune_remembered(void **state)
{
    struct store_ds gauge = {"in_octets", STORE_GAUGE, 0, 1000 * MBIT};
    struct store_ds slower = {"in_octets", STORE_GAUGE, 0, 100 * MBIT};
    char *dir = ww_asprintf("%s/remembered", tmpdir);
    char path[512], type[16] = "";
    char *argv[] = {(char *)"tune", path, (char *)"--data-source-type", (char *)"in_octets:COUNTER"};
    struct store *st = NULL;
    double max = 0;

    assert_int_equal(store_open(dir, NULL, &st), 0);
    assert_int_equal(store_ensure(st, 2, "if-9", 10, &gauge, 1), 0);
    assert_int_equal(store_update(st, 2, "if-9", (double)time(NULL),
                                  &(struct store_val){.kind = STORE_NUM, .num = 1}, 1), 0);
    assert_int_equal(store_path(st, 2, "if-9", path, sizeof(path)), 0);
    assert_int_equal(rrd_tune(4, argv), 0); /* someone else's change */
    assert_int_equal(store_ensure(st, 2, "if-9", 10, &gauge, 1), 0);
    header_of(path, type, sizeof(type), &max);
    assert_string_equal(type, "COUNTER"); /* not read again: no I/O per poll */
    assert_int_equal(store_ensure(st, 2, "if-9", 10, &slower, 1), 0);
    header_of(path, type, sizeof(type), &max);
    assert_string_equal(type, "GAUGE"); /* asked differently: read and tuned */
    assert_true(max == 100 * MBIT);
    assert_int_equal(rrd_tune(4, argv), 0);
    store_free(st);
    assert_int_equal(store_open(dir, NULL, &st), 0);
    assert_int_equal(store_ensure(st, 2, "if-9", 10, &slower, 1), 0);
    header_of(path, type, sizeof(type), &max);
    assert_string_equal(type, "GAUGE"); /* a new process looks at every file once */
    store_free(st);
    free(dir);
}

static void test_direct(void **state)
{
    round_trip(NULL, "direct");
    tune_trip(NULL, "tune-direct");
}

static void cached_all(const char *sock)
{
    round_trip(sock, "cached");
    batch_trip(sock);
    tune_trip(sock, "tune-cached");

    /* a socket nobody listens on: "try again", not a crash or a lost file */
    {
        struct store *st = NULL;
        struct store_val v[2] = {{.kind = STORE_NUM, .num = 1}, {.kind = STORE_U64, .u64 = 1}};
        char *dir = ww_asprintf("%s/none", tmpdir);
        char *nosock = ww_asprintf("unix:%s/nobody.sock", tmpdir);
        assert_int_equal(store_open(dir, nosock, &st), 0);
        assert_int_equal(store_ensure(st, 1, "snmp", 10, ds, 2), 0);
        assert_int_equal(store_update(st, 1, "snmp", time(NULL) + 5, v, 2), -EAGAIN);
        store_free(st);
        free(dir);
        free(nosock);
    }
}

static void test_rrdcached(void **state)
{
    test_rrdcached_run(tmpdir, cached_all);
}

static void test_names(void **state)
{
    static const struct {
        const char *metric;
        bool ok;
    } cases[] = {{"snmp", true},    {"if-12", true},     {"cpu_0", true},
                 {"", false},       {"../etc", false},   {"a/b", false},
                 {"-x", false},     {"UPPER", false},    {"a b", false},
                 {"if-1\n", false}, {"0123456789012345678901234567890123", false}};
    struct store *st = NULL;
    char path[256];
    char *dir = ww_asprintf("%s/names", tmpdir);
    assert_int_equal(store_open(dir, NULL, &st), 0);
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        assert_int_equal(store_metric_valid(cases[i].metric), cases[i].ok);
        assert_int_equal(store_path(st, 1, cases[i].metric, path, sizeof(path)) == 0,
                         cases[i].ok);
    }
    assert_int_equal(store_path(st, 0, "snmp", path, sizeof(path)), -EINVAL);
    assert_int_equal(store_path(st, -3, "snmp", path, sizeof(path)), -EINVAL);
    assert_int_equal(store_fetch(st, 5, "snmp", "AVERAGE", 0, 10, &(struct store_series *){0}),
                     -ENOENT);
    assert_int_equal(store_fetch(st, 5, "snmp", "LAST;rm", 0, 10, &(struct store_series *){0}),
                     -EINVAL);
    store_free(st);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_direct),
        cmocka_unit_test(test_rrdcached),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_file_removed),
        cmocka_unit_test(test_tune_remembered),
    };
    ww_log_init("test_storage", WW_LOG_ERR + 0);
    return cmocka_run_group_tests(tests, make_tmp, drop_tmp);
}

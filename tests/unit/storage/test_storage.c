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

#include "storage/storage.h"

static char tmpdir[64];

static int make_tmp(void **state)
{
    ww_strlcpy(tmpdir, "/tmp/wwstoXXXXXX", sizeof(tmpdir));
    assert_non_null(mkdtemp(tmpdir));
    return 0;
}

static int drop_tmp(void **state)
{
    char *cmd = ww_asprintf("rm -rf '%s'", tmpdir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    return 0;
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
    assert_int_equal(store_ensure(st, 7, "if-3", 10, ds, 2), 0); /* exists: kept */
    assert_int_equal(store_path(st, 7, "if-3", path, sizeof(path)), 0);
    assert_int_equal(access(path, F_OK), 0);
    for (int i = 1; i <= 20; i++) {
        struct store_val v[2] = {{.kind = STORE_NUM, .num = i},
                                 {.kind = STORE_U64, .u64 = octets}};
        assert_int_equal(store_update(st, 7, "if-3", base + 10 * i, v, 2), 0);
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
    assert_int_equal(store_ensure(st, 3, "snmp", 10, ds, 2), 0); /* looks again: made anew */
    assert_int_equal(access(path, F_OK), 0);
    assert_int_equal(store_update(st, 3, "snmp", base + 20, v, 2), 0);
    store_free(st);
    free(dir);
}

static void test_direct(void **state)
{
    round_trip(NULL, "direct");
}

static void test_rrdcached(void **state)
{
    char *cmd, *pidfile = ww_asprintf("%s/rrdcached.pid", tmpdir);
    char *sock = ww_asprintf("unix:%s/rrdcached.sock", tmpdir);
    FILE *f;
    int pid = 0;

    if (system("command -v rrdcached >/dev/null 2>&1") != 0) {
        free(pidfile);
        free(sock);
        skip();
    }
    cmd = ww_asprintf("mkdir -p '%s/journal' && rrdcached -l '%s' -p '%s' -j '%s/journal' -F "
                      "-w 3600 -f 7200 -z 1 -B -b '%s'",
                      tmpdir, sock, pidfile, tmpdir, tmpdir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    for (int i = 0; i < 50 && access(sock + 5, F_OK) != 0; i++)
        usleep(100000);
    round_trip(sock, "cached");
    batch_trip(sock);

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
    f = fopen(pidfile, "r");
    assert_non_null(f);
    assert_int_equal(fscanf(f, "%d", &pid), 1);
    fclose(f);
    kill(pid, SIGTERM);
    free(pidfile);
    free(sock);
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
    };
    ww_log_init("test_storage", WW_LOG_ERR + 0);
    return cmocka_run_group_tests(tests, make_tmp, drop_tmp);
}

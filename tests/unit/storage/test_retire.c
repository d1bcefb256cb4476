/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_retire.c - a removed device's files: store_retire() moves rrd/<id>/ to
 * rrd/removed/<id>-<YYYYMMDD>/ with every sample in it (through rrdcached too: flushed and
 * forgotten first), store_device_dirs() still sees its id, and store_purge_retired() deletes
 * it only after the set number of days, with the clock in the test's hands.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rrd.h>

#include "storage/storage.h"
#include "../rrd_test.h"

#define DAY 86400
#define NOW (1741564800 + 12 * 3600) /* 2025-03-10 12:00 UTC */
#define BASE 1741500000              /* sample times, before NOW */

static char tmpdir[64];

static int make_tmp(void **state)
{
    return test_tmpdir_make(tmpdir, sizeof(tmpdir), "/tmp/wwretXXXXXX");
}

static int drop_tmp(void **state)
{
    return test_tmpdir_drop(tmpdir);
}

static const struct store_ds ds[] = {{"cpu_load", STORE_GAUGE, 0, 100}};

/* @n samples of device @id's host.rrd, 10 s apart from BASE */
static void write_some(struct store *st, long long id, int n)
{
    assert_int_equal(store_ensure(st, id, "host", 10, ds, 1), 0);
    for (int i = 1; i <= n; i++) {
        struct store_val v = {.kind = STORE_NUM, .num = 10 * i};
        assert_int_equal(store_update(st, id, "host", BASE + 10 * i, &v, 1), 0);
    }
}

static bool exists(const char *dir, const char *rel)
{
    char *p = ww_asprintf("%s/%s", dir, rel);
    bool ok = access(p, F_OK) == 0;
    free(p);
    return ok;
}

/* the last update time librrd reads from the file @rel under @dir */
static time_t last_of(const char *dir, const char *rel)
{
    char *p = ww_asprintf("%s/%s", dir, rel);
    time_t t = rrd_last_r(p);
    free(p);
    return t;
}

static void retire_trip(const char *rrdcached, const char *sub)
{
    struct store *st = NULL;
    char *dir = ww_asprintf("%s/%s", tmpdir, sub);
    long long *ids = NULL, max = 0;
    size_t n = 0, purged = 9;

    assert_int_equal(store_open(dir, rrdcached, &st), 0);
    write_some(st, 5, 3);
    write_some(st, 9, 1);
    assert_int_equal(store_retire(st, 5, NOW), 0);
    assert_false(exists(dir, "5"));
    /* every sample came along: with rrdcached they were flushed before the move */
    assert_int_equal(last_of(dir, "removed/5-20250310/host.rrd"), BASE + 30);
    /* the id stays taken: the retired folder names it */
    assert_int_equal(store_device_dirs(st, &ids, &n, &max), 0);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], 9);
    free(ids);
    assert_int_equal(store_retire(st, 9, NOW), 0);
    assert_int_equal(store_device_dirs(st, &ids, &n, &max), 0);
    assert_int_equal(n, 0);
    assert_int_equal(max, 9);
    free(ids);
    /* the same id again the same day (a late sample made its folder again): never onto the
     * first one */
    write_some(st, 5, 1);
    assert_int_equal(store_retire(st, 5, NOW + 60), 0);
    assert_true(exists(dir, "removed/5-20250310-2/host.rrd"));
    assert_int_equal(last_of(dir, "removed/5-20250310/host.rrd"), BASE + 30);
    /* no folder: nothing to do */
    assert_int_equal(store_retire(st, 77, NOW), 0);
    assert_int_equal(store_retire(st, 0, NOW), -EINVAL);
    /* kept 30 whole days, then deleted; what is not ours in removed/ stays */
    {
        char *other = ww_asprintf("%s/removed/notes", dir);
        assert_int_equal(mkdir(other, 0755), 0);
        free(other);
    }
    assert_int_equal(store_purge_retired(st, NOW + 30 * DAY, 30, &purged), 0);
    assert_int_equal(purged, 0);
    assert_true(exists(dir, "removed/5-20250310/host.rrd"));
    assert_int_equal(store_purge_retired(st, NOW + 31 * DAY - 12 * 3600, 30, &purged), 0);
    assert_int_equal(purged, 3);
    assert_false(exists(dir, "removed/5-20250310"));
    assert_false(exists(dir, "removed/5-20250310-2"));
    assert_false(exists(dir, "removed/9-20250310"));
    assert_true(exists(dir, "removed/notes"));
    /* 0 days: gone at the first pass after its day */
    write_some(st, 6, 1);
    assert_int_equal(store_retire(st, 6, NOW), 0);
    assert_int_equal(store_purge_retired(st, NOW + 3600, 0, &purged), 0);
    assert_int_equal(purged, 0);
    assert_int_equal(store_purge_retired(st, NOW + 12 * 3600, 0, &purged), 0);
    assert_int_equal(purged, 1);
    assert_false(exists(dir, "removed/6-20250310"));
    assert_int_equal(store_purge_retired(st, NOW, -1, NULL), -EINVAL);
    store_free(st);
    free(dir);
}

static void test_direct(void **state)
{
    retire_trip(NULL, "direct");
}

static void cached_all(const char *sock)
{
    retire_trip(sock, "cached");
}

static void test_rrdcached(void **state)
{
    test_rrdcached_run(tmpdir, cached_all);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_direct),
        cmocka_unit_test(test_rrdcached),
    };
    ww_log_init("test_retire", WW_LOG_ERR + 0);
    return cmocka_run_group_tests(tests, make_tmp, drop_tmp);
}

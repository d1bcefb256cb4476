/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_create.c - new metric files: made at their first sample and started just before it,
 * off the caller's thread after store_create_async() (the creator held at a gate while the
 * caller goes on), the samples given meanwhile written once the file exists, at most
 * STORE_PENDING_MAX of them kept; a file that cannot be made; the stop. Real librrd files,
 * once written directly and once through a real rrdcached on a unix socket.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rrd.h>

#include "storage/storage.h"
#include "../create_gate.h"
#include "../rrd_test.h"

#define STEP 10

static char tmpdir[64];

static int make_tmp(void **state)
{
    return test_tmpdir_make(tmpdir, sizeof(tmpdir), "/tmp/wwcreXXXXXX");
}

static int drop_tmp(void **state)
{
    return test_tmpdir_drop(tmpdir);
}

static const struct store_ds ds[] = {{"temp", STORE_GAUGE, NAN, NAN}};

/* a store in tmpdir/@sub, its creator thread held at @g */
static struct store *open_held(const char *sub, const char *rrdcached, struct test_gate *g)
{
    struct store *st = NULL;
    char *dir = ww_asprintf("%s/%s", tmpdir, sub);

    test_gate_init(g);
    assert_int_equal(store_open(dir, rrdcached, &st), 0);
    store_set_create_hook(st, test_gate_hook, g);
    assert_int_equal(store_create_async(st), 0);
    free(dir);
    return st;
}

static void update(struct store *st, long long dev, double when, double v)
{
    struct store_val val = {.kind = STORE_NUM, .num = v};
    assert_int_equal(store_update(st, dev, "temp", when, &val, 1), 0);
}

static bool exists(struct store *st, long long dev)
{
    char path[512];
    assert_int_equal(store_path(st, dev, "temp", path, sizeof(path)), 0);
    return access(path, F_OK) == 0;
}

/* the file's own last update, read from the file, not through rrdcached */
static time_t file_last(struct store *st, long long dev)
{
    char path[512];
    assert_int_equal(store_path(st, dev, "temp", path, sizeof(path)), 0);
    return rrd_last_r(path);
}

/* sample k (1..) of a series is at base + STEP * k with value k: each fetched row that ends
 * at a sample of @from..@to holds it, every other row in [base, base + STEP * @to] is
 * unknown */
static void check_rows(struct store *st, long long dev, time_t base, int from, int to)
{
    struct store_series *s = NULL;
    int seen = 0;

    assert_int_equal(store_fetch(st, dev, "temp", "AVERAGE", base, base + STEP * to, &s), 0);
    for (size_t r = 0; r < s->rows; r++) {
        time_t t = s->start + (time_t)((r + 1) * s->step);
        long k = (long)(t - base) / STEP;
        double v = s->values[r];
        if (t <= base || k > to)
            continue;
        if (k >= from) {
            if (v != (double)k)
                fail_msg("device %lld: row ending at sample %ld is %g", dev, k, v);
            seen++;
        } else if (!isnan(v)) {
            fail_msg("device %lld: row ending at sample %ld is %g, want unknown", dev, k, v);
        }
    }
    assert_int_equal(seen, to - from + 1);
    store_series_free(s);
}

/*
 * The creator is held making device 1's file: the caller's ensure and updates for it, and
 * for a second new file, return at once and nothing is on disk yet; when the gate opens
 * every sample given meanwhile is in the files, in order, and later ones follow.
 */
static void not_held(const char *rrdcached, const char *sub)
{
    struct test_gate g;
    struct store *st = open_held(sub, rrdcached, &g);
    struct store_create_stats cs;
    time_t base = (time(NULL) / STEP) * STEP - 40 * STEP;

    assert_int_equal(store_ensure(st, 1, "temp", STEP, ds, 1), 0);
    assert_int_equal(store_ensure(st, 2, "temp", STEP, ds, 1), 0);
    store_batch_begin(st);
    update(st, 1, base + STEP, 1);
    store_batch_end(st);
    test_gate_wait(&g, 1); /* the creator is in the middle of device 1's file */
    for (int k = 2; k <= 6; k++) { /* the writer's next batches go on */
        store_batch_begin(st);
        assert_int_equal(store_ensure(st, 1, "temp", STEP, ds, 1), 0);
        update(st, 1, base + STEP * k, k);
        assert_int_equal(store_ensure(st, 2, "temp", STEP, ds, 1), 0);
        update(st, 2, base + STEP * k, k);
        assert_int_equal(store_batch_end(st), 0);
    }
    assert_false(exists(st, 1));
    assert_false(exists(st, 2));
    assert_int_equal(test_gate_on_caller(&g), 0);
    store_create_stats(st, &cs);
    assert_int_equal(cs.on_the_way, 2);
    assert_int_equal(cs.made, 0);

    test_gate_open(&g);
    store_wait_created(st);
    store_create_stats(st, &cs);
    assert_int_equal(cs.on_the_way, 0);
    assert_int_equal(cs.made, 2);
    assert_int_equal(cs.kept, 6 + 5);
    assert_int_equal(cs.dropped, 0);
    for (int k = 7; k <= 9; k++) { /* the files exist: samples go straight on */
        store_batch_begin(st);
        update(st, 1, base + STEP * k, k);
        update(st, 2, base + STEP * k, k);
        assert_int_equal(store_batch_end(st), 0);
    }
    check_rows(st, 1, base, 2, 9); /* sample 1 starts the file: its row has no rate */
    check_rows(st, 2, base, 3, 9);
    store_create_stats(st, &cs);
    assert_int_equal(cs.made, 2);
    assert_int_equal(cs.on_the_way, 0);
    store_free(st);
    test_gate_release(&g);
}

/* more samples than the ring holds: the last STORE_PENDING_MAX are written, the older ones
 * are counted lost and their rows stay unknown */
static void bounded(const char *rrdcached, const char *sub)
{
    struct test_gate g;
    struct store *st = open_held(sub, rrdcached, &g);
    struct store_create_stats cs;
    int total = STORE_PENDING_MAX + 5;
    time_t base = (time(NULL) / STEP) * STEP - (total + 5) * STEP;

    assert_int_equal(store_ensure(st, 3, "temp", STEP, ds, 1), 0);
    for (int k = 1; k <= total; k++)
        update(st, 3, base + STEP * k, k);
    test_gate_wait(&g, 1);
    store_create_stats(st, &cs);
    assert_int_equal(cs.dropped, 5);
    test_gate_open(&g);
    store_wait_created(st);
    store_create_stats(st, &cs);
    assert_int_equal(cs.kept, STORE_PENDING_MAX);
    assert_int_equal(cs.dropped, 5);
    /* sample 6 is the first written, over a gap longer than the heartbeat: no rate */
    check_rows(st, 3, base, 7, total);
    store_free(st);
    test_gate_release(&g);
}

/*
 * A file starts just before its first sample, not a day back: its header's last update,
 * read from the file while rrdcached still holds the samples, is that second (the first
 * sample's time rounded up, less one). Made on the caller's thread and on the creator's.
 */
static void starts_at_first(const char *rrdcached)
{
    struct test_gate g;
    struct store *st = NULL;
    char *dir = ww_asprintf("%s/start", tmpdir);
    time_t base = (time(NULL) / STEP) * STEP - 100 * STEP;

    assert_int_equal(store_open(dir, rrdcached, &st), 0);
    assert_int_equal(store_ensure(st, 4, "temp", STEP, ds, 1), 0);
    update(st, 4, base + 0.25, 1);
    update(st, 4, base + STEP, 2);
    assert_int_equal(file_last(st, 4), base); /* not base - 86400 */
    store_free(st);

    st = open_held("start-async", rrdcached, &g);
    test_gate_open(&g);
    assert_int_equal(store_ensure(st, 5, "temp", STEP, ds, 1), 0);
    update(st, 5, base + STEP, 1);
    store_wait_created(st);
    assert_int_equal(test_gate_on_caller(&g), 0);
    assert_int_equal(file_last(st, 5), base + STEP - 1);
    update(st, 5, base + 2 * STEP, 2);
    check_rows(st, 5, base, 2, 2);
    store_free(st);
    test_gate_release(&g);
    free(dir);
}

/* without store_create_async() the caller makes the file at its first sample */
static void test_on_caller(void **state)
{
    struct test_gate g;
    struct store *st = NULL;
    char *dir = ww_asprintf("%s/caller", tmpdir);
    time_t base = (time(NULL) / STEP) * STEP - 10 * STEP;

    test_gate_init(&g);
    assert_int_equal(store_open(dir, NULL, &st), 0);
    store_set_create_hook(st, test_gate_hook, &g);
    assert_int_equal(store_ensure(st, 6, "temp", STEP, ds, 1), 0);
    assert_false(exists(st, 6));
    update(st, 6, base + STEP, 1);
    assert_true(exists(st, 6));
    assert_int_equal(test_gate_on_caller(&g), 1);
    update(st, 6, base + 2 * STEP, 2);
    check_rows(st, 6, base, 2, 2);
    store_free(st);
    test_gate_release(&g);
    free(dir);
}

/* a file that cannot be made (its folder's name is taken by a file): the failure is
 * counted, its samples dropped, and the next sample after store_ensure() tries again */
static void test_cannot_make(void **state)
{
    struct test_gate g;
    struct store *st = open_held("fail", NULL, &g);
    struct store_create_stats cs;
    char *blocker = ww_asprintf("%s/fail/7", tmpdir);
    time_t base = (time(NULL) / STEP) * STEP - 10 * STEP;
    FILE *f = fopen(blocker, "w");

    assert_non_null(f);
    fclose(f);
    test_gate_open(&g);
    assert_int_equal(store_ensure(st, 7, "temp", STEP, ds, 1), 0);
    update(st, 7, base + STEP, 1);
    update(st, 7, base + 2 * STEP, 2);
    store_wait_created(st);
    store_create_stats(st, &cs);
    assert_int_equal(cs.failed, 1);
    assert_int_equal(cs.dropped, 2);
    assert_int_equal(cs.on_the_way, 0);
    assert_int_equal(unlink(blocker), 0);
    base += 2 * STEP;
    assert_int_equal(store_ensure(st, 7, "temp", STEP, ds, 1), 0);
    update(st, 7, base + STEP, 1);
    update(st, 7, base + 2 * STEP, 2);
    store_wait_created(st);
    assert_true(exists(st, 7));
    check_rows(st, 7, base, 2, 2);
    store_free(st);
    test_gate_release(&g);
    free(blocker);
}

/*
 * The stop while a file is being made: store_free() lets the creator finish it and writes
 * its kept samples (the next process reads them); a file queued behind it is either made
 * with all its samples or not at all (abandoned: made at the next start).
 */
static void stop_midway(const char *rrdcached, const char *sub)
{
    struct test_gate g;
    struct store *st = open_held(sub, rrdcached, &g);
    char *dir = ww_asprintf("%s/%s", tmpdir, sub);
    time_t base = (time(NULL) / STEP) * STEP - 10 * STEP;

    assert_int_equal(store_ensure(st, 8, "temp", STEP, ds, 1), 0);
    assert_int_equal(store_ensure(st, 9, "temp", STEP, ds, 1), 0);
    for (int k = 1; k <= 3; k++) {
        update(st, 8, base + STEP * k, k);
        update(st, 9, base + STEP * k, k);
    }
    test_gate_wait(&g, 1);
    test_gate_open(&g);
    store_free(st);

    assert_int_equal(store_open(dir, rrdcached, &st), 0);
    check_rows(st, 8, base, 2, 3);
    if (exists(st, 9))
        check_rows(st, 9, base, 2, 3);
    store_free(st);
    test_gate_release(&g);
    free(dir);
}

static void test_direct(void **state)
{
    not_held(NULL, "held-direct");
    bounded(NULL, "bounded-direct");
    stop_midway(NULL, "stop-direct");
}

static void cached_all(const char *addr)
{
    not_held(addr, "held-cached");
    bounded(addr, "bounded-cached");
    starts_at_first(addr);
    stop_midway(addr, "stop-cached");
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
        cmocka_unit_test(test_on_caller),
        cmocka_unit_test(test_cannot_make),
    };
    ww_log_init("test_create", WW_LOG_ERR + 0);
    return cmocka_run_group_tests(tests, make_tmp, drop_tmp);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_newfiles.c - a device whose RRD files do not exist yet does not hold the write path:
 * polls of a new device go through coll_write_result() (a real database, real RRD files,
 * once with librrd and once through rrdcached) while storage's creator thread is held at a
 * gate before its first file. Every poll is recorded in the database at once (status,
 * interface rows and their rates), nothing is on disk yet; once the gate opens, the samples
 * of those polls are in the files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/collector_int.h"
#include "../create_gate.h"
#include "../rrd_test.h"

#define STEP 10  /* poll interval, s */
#define POLLS 6  /* polls written while the files are being made */
#define MBPS 8e6 /* the link carries 8 Mbit/s: 1,000,000 bytes/s */

static char tmpdir[64];

static int make_tmp(void **state)
{
    return test_tmpdir_make(tmpdir, sizeof(tmpdir), "/tmp/wwnfXXXXXX");
}

static int drop_tmp(void **state)
{
    return test_tmpdir_drop(tmpdir);
}

/* poll @k (0..) of the device: two interfaces whose in counters move 10^7 bytes a step */
static void write_poll(const struct ww_config *cfg, struct ww_db *db, struct store *st,
                       struct coll_wcache *cache, const struct inv_device *dev, int64_t m0,
                       int k)
{
    struct coll_if f[2] = {
        {.if_index = 1, .name = (char *)"eth0", .type = 6, .admin = 1, .oper = 1,
         .speed = 1000000000ULL},
        {.if_index = 2, .name = (char *)"eth1", .type = 6, .admin = 1, .oper = 1,
         .speed = 1000000000ULL},
    };
    int64_t mono = m0 + (int64_t)k * STEP * 1000;
    struct coll_result r = {.ok = true, .quick = k > 0, .poll_ms = 7, .done_mono_ms = mono,
                            .if_mono_ms = mono, .uptime_ticks = (100000 + k * STEP) * 100,
                            .ifs = f, .n_ifs = 2};

    r.if_number = r.if_last_change = r.hr_memory_kb = -1;
    r.ucd_total_kb = r.ucd_avail_kb = r.ucd_buffer_kb = r.ucd_cached_kb = -1;
    r.ups_battery_status = r.ups_minutes = r.ups_charge = r.ups_output_source = -1;
    for (size_t i = 0; i < 2; i++) {
        f[i].in_hc = 5000 + (uint64_t)k * (uint64_t)(MBPS / 8 * STEP);
        f[i].out_hc = 0;
        f[i].has_in_hc = f[i].has_out_hc = true;
    }
    /* as the writer thread writes a batch */
    store_batch_begin(st);
    assert_int_equal(ww_db_begin(db), 0);
    assert_int_equal(coll_write_result(cfg, db, st, cache, dev, &r, false,
                                       time(NULL) + k * STEP),
                     0);
    assert_int_equal(ww_db_commit(db), 0);
    store_batch_end(st);
}

static bool file_exists(struct store *st, long long dev, const char *metric)
{
    char path[512];
    assert_int_equal(store_path(st, dev, metric, path, sizeof(path)), 0);
    return access(path, F_OK) == 0;
}

static void run(const char *rrdcached, const char *sub)
{
    struct ww_config cfg = {.poll_interval = STEP, .down_after = 3, .up_after = 1};
    struct ww_db *db = NULL;
    struct store *st = NULL;
    struct coll_wcache *cache = coll_wcache_new();
    struct inv_device d, dev;
    struct inv_status status;
    struct inv_interface *rows = NULL;
    struct store_series *s = NULL;
    struct store_create_stats cs;
    struct test_gate g;
    char *path = ww_asprintf("%s/%s.db", tmpdir, sub);
    char *rrd = ww_asprintf("%s/%s-rrd", tmpdir, sub);
    char metric[32];
    int64_t m0 = ww_mono_ms();
    long long id = 0;
    size_t n = 0, known = 0;

    assert_int_equal(ww_db_open(path, true, &db), 0);
    assert_int_equal(inv_migrate(db), 0);
    assert_int_equal(store_open(rrd, rrdcached, &st), 0);
    test_gate_init(&g);
    store_set_create_hook(st, test_gate_hook, &g);
    assert_int_equal(store_create_async(st), 0);
    inv_device_init(&d);
    d.name = (char *)"new-switch";
    d.host = (char *)"192.0.2.7";
    d.kind = (char *)"switch";
    d.snmp_community = (char *)"public";
    assert_int_equal(inv_device_add(db, &d, &id), 0);
    assert_int_equal(inv_device_get(db, id, &dev), 0);

    write_poll(&cfg, db, st, cache, &dev, m0, 0);
    test_gate_wait(&g, 1); /* the creator is held in the middle of the first file */
    for (int k = 1; k < POLLS; k++) {
        write_poll(&cfg, db, st, cache, &dev, m0, k);
        /* recorded at once: the device is up, its rows carry this poll's rates */
        assert_int_equal(inv_status_get(db, id, &status), 0);
        assert_string_equal(status.state, "up");
        assert_int_equal(inv_interface_list(db, id, &rows, &n), 0);
        assert_int_equal(n, 2);
        for (size_t i = 0; i < n; i++)
            if (!(fabs(rows[i].in_bps - MBPS) < 1e-6 * MBPS))
                fail_msg("poll %d, %s: %g bit/s in the row", k, rows[i].name, rows[i].in_bps);
        inv_interface_list_free(rows, n);
    }
    assert_false(file_exists(st, id, "snmp"));
    assert_int_equal(test_gate_on_caller(&g), 0);
    store_create_stats(st, &cs);
    assert_int_equal(cs.on_the_way, 3); /* snmp.rrd and two if-N.rrd */
    assert_int_equal(cs.made, 0);

    test_gate_open(&g);
    store_wait_created(st);
    store_create_stats(st, &cs);
    assert_int_equal(cs.made, 3);
    assert_int_equal(cs.kept, 3 * POLLS);
    assert_int_equal(cs.dropped, 0);
    /* every poll's sample is in the files: each interface's rate from the second poll on */
    assert_int_equal(inv_interface_list(db, id, &rows, &n), 0);
    for (size_t i = 0; i < n; i++) {
        double at = rows[i].rate_at;
        snprintf(metric, sizeof(metric), "if-%lld", rows[i].id);
        assert_true(file_exists(st, id, metric));
        assert_int_equal(store_fetch(st, id, metric, "AVERAGE", (time_t)at - POLLS * STEP,
                                     (time_t)at, &s),
                         0);
        for (size_t r = 0; r < s->rows; r++)
            known += fabs(s->values[r * s->cols] * 8 - MBPS) < 1e-6 * MBPS;
        store_series_free(s);
    }
    inv_interface_list_free(rows, n);
    /* POLLS - 1 rates a link; a row straddling the first rate is partly unknown */
    if (known < 2 * (POLLS - 2))
        fail_msg("%zu rows hold the rate, want at least %d", known, 2 * (POLLS - 2));
    {
        char **last = NULL;
        size_t nlast = 0;
        time_t when = 0;
        assert_int_equal(store_last(st, id, "snmp", &when, &last, &nlast), 0);
        assert_int_equal(nlast, 2);
        assert_string_equal(last[1], "7"); /* poll_ms of the last poll */
        assert_true(fabs((double)when - coll_wall_of(m0 + (POLLS - 1) * STEP * 1000)) < 1.0);
        for (size_t i = 0; i < nlast; i++)
            free(last[i]);
        free(last);
    }
    store_free(st);
    test_gate_release(&g);
    inv_device_release(&dev);
    coll_wcache_free(cache);
    ww_db_close(db);
    free(path);
    free(rrd);
}

static void test_direct(void **state)
{
    run(NULL, "direct");
}

static void run_cached(const char *addr)
{
    run(addr, "cached");
}

static void test_rrdcached(void **state)
{
    test_rrdcached_run(tmpdir, run_cached);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_direct),
        cmocka_unit_test(test_rrdcached),
    };
    ww_log_init("test_newfiles", WW_LOG_ERR + 0);
    return cmocka_run_group_tests(tests, make_tmp, drop_tmp);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_clockstep.c - the wall clock stepped by +1 h and -1 h while the collector runs (issue
 * #14; the machine's own clock is never touched): polls go through the real write path
 * (coll_write_result(), a real database and real RRD files), their answers 10 s apart on the
 * monotonic clock, while the wall time the writer records with (`now`, coll_clock_now() for
 * real) jumps an hour forward, then back. Every link rate stays the real 1 Mbit/s in the
 * interface row and in the RRD file (no spike, no hole), and no reboot event appears; also
 * when the step falls on the 497-day sysUpTime wrap, which only elapsed time tells from a
 * reboot.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/collector_int.h"
#include "../rrd_test.h"

#define STEP 10 /* poll interval, s */
#define RATE 1000000.0 /* bit/s the link carries */

static char tmpdir[64];

static int make_tmp(void **state)
{
    return test_tmpdir_make(tmpdir, sizeof(tmpdir), "/tmp/wwcsXXXXXX");
}

static int drop_tmp(void **state)
{
    return test_tmpdir_drop(tmpdir);
}

struct bench {
    struct ww_config cfg;
    struct ww_db *db;
    struct store *st;
    struct coll_wcache *cache;
    struct inv_device dev;
};

static void bench_open(struct bench *b, const char *sub)
{
    char *path = ww_asprintf("%s/%s.db", tmpdir, sub);
    char *rrd = ww_asprintf("%s/%s-rrd", tmpdir, sub);
    struct inv_device d;
    long long id = 0;

    memset(b, 0, sizeof(*b));
    b->cfg.poll_interval = STEP;
    b->cfg.down_after = 1;
    b->cfg.up_after = 1;
    assert_int_equal(ww_db_open(path, true, &b->db), 0);
    assert_int_equal(inv_migrate(b->db), 0);
    assert_int_equal(store_open(rrd, NULL, &b->st), 0);
    b->cache = coll_wcache_new();
    inv_device_init(&d);
    d.name = (char *)"sw1";
    d.host = (char *)"192.0.2.1";
    d.kind = (char *)"switch";
    d.snmp_community = (char *)"public";
    assert_int_equal(inv_device_add(b->db, &d, &id), 0);
    assert_int_equal(inv_device_get(b->db, id, &b->dev), 0);
    free(path);
    free(rrd);
}

static void bench_close(struct bench *b)
{
    inv_device_release(&b->dev);
    coll_wcache_free(b->cache);
    store_free(b->st);
    ww_db_close(b->db);
}

/* one poll, answered at @mono_ms, written as the writer writes it with @now */
static void poll_once(struct bench *b, long long ticks, uint64_t in, int64_t mono_ms, time_t now)
{
    struct coll_if f = {.if_index = 1, .name = (char *)"eth0", .type = 6, .admin = 1,
                        .oper = 1, .speed = 1000000000ULL, .in_hc = in, .out_hc = in / 2,
                        .has_in_hc = true, .has_out_hc = true};
    struct coll_result r = {.ok = true, .quick = true, .poll_ms = 5, .done_mono_ms = mono_ms,
                            .if_mono_ms = mono_ms, .uptime_ticks = ticks, .ifs = &f,
                            .n_ifs = 1};

    r.if_number = r.if_last_change = r.hr_memory_kb = -1;
    r.ucd_total_kb = r.ucd_avail_kb = r.ucd_buffer_kb = r.ucd_cached_kb = -1;
    r.ups_battery_status = r.ups_minutes = r.ups_charge = r.ups_output_source = -1;
    store_batch_begin(b->st);
    assert_int_equal(ww_db_begin(b->db), 0);
    assert_int_equal(coll_write_result(&b->cfg, b->db, b->st, b->cache, &b->dev, &r, false, now),
                     0);
    assert_int_equal(ww_db_commit(b->db), 0);
    store_batch_end(b->st);
}

static size_t reboots(struct bench *b)
{
    struct inv_event *ev = NULL;
    size_t n = 0, k = 0;
    long long total = 0;

    assert_int_equal(inv_event_list(b->db, b->dev.id, 100, 0, &ev, &n, &total), 0);
    for (size_t i = 0; i < n; i++)
        k += strcmp(ev[i].type, "reboot") == 0;
    inv_event_list_free(ev, n);
    return k;
}

/*
 * Twelve polls 10 s apart (monotonic); the wall time `now` is the real one for three, an hour
 * ahead for three, an hour behind for three, then real again. @ticks0: sysUpTime at the first
 * poll (near 2^32: it wraps while the clock is stepped).
 */
static void play(const char *sub, long long ticks0)
{
    static const int step_s[12] = {0, 0, 0, 3600, 3600, 3600, -3600, -3600, -3600, 0, 0, 0};
    struct bench b;
    int64_t m0 = ww_mono_ms();
    time_t w0 = time(NULL);
    uint64_t in = 5000000000ULL;
    char metric[32];

    bench_open(&b, sub);
    for (int i = 0; i < 12; i++) {
        struct inv_interface *rows = NULL;
        size_t n = 0;
        char **last = NULL;
        size_t nlast = 0;
        time_t t = 0;
        long long ticks = (ticks0 + (long long)i * STEP * 100) % 4294967296LL;

        poll_once(&b, ticks, in, m0 + (int64_t)i * STEP * 1000, w0 + i * STEP + step_s[i]);
        in += (uint64_t)(RATE / 8 * STEP);
        assert_int_equal(inv_interface_list(b.db, b.dev.id, &rows, &n), 0);
        assert_int_equal(n, 1);
        snprintf(metric, sizeof(metric), "if-%lld", rows[0].id);
        if (i > 0 && !(fabs(rows[0].in_bps - RATE) < 1e-6 && fabs(rows[0].out_bps - RATE / 2) < 1e-6))
            fail_msg("%s poll %d (clock %+d s): row %.17g / %.17g bit/s, not %g / %g", sub, i,
                     step_s[i], rows[0].in_bps, rows[0].out_bps, RATE, RATE / 2);
        /* the RRD file holds the same figure, at the answer's time: no spike, no hole */
        assert_int_equal(store_last(b.st, b.dev.id, metric, &t, &last, &nlast), 0);
        assert_int_equal(nlast, 4);
        if (i > 0 && fabs(strtod(last[0], NULL) * 8 - RATE) > 1e-6)
            fail_msg("%s poll %d (clock %+d s): RRD in_octets %s B/s", sub, i, step_s[i],
                     last[0]);
        if (llabs((long long)t - (long long)(w0 + i * STEP)) > 2)
            fail_msg("%s poll %d (clock %+d s): RRD sample at %lld, the answer came at %lld",
                     sub, i, step_s[i], (long long)t, (long long)(w0 + i * STEP));
        for (size_t k = 0; k < nlast; k++)
            free(last[k]);
        free(last);
        inv_interface_list_free(rows, n);
        if (reboots(&b))
            fail_msg("%s poll %d (clock %+d s, sysUpTime %lld): a reboot event", sub, i,
                     step_s[i], ticks);
    }
    bench_close(&b);
}

static void test_step_rates(void **state)
{
    play("rates", 360000); /* up an hour */
}

static void test_step_on_uptime_wrap(void **state)
{
    /* sysUpTime wraps (2^32 ticks, 497 days) 5 s after poll 2, so between poll 2 (real
     * clock) and poll 3 (an hour ahead) */
    play("wrap-ahead", 4294967296LL - 2 * STEP * 100 - 500);
    /* between poll 5 (an hour ahead) and poll 6 (an hour behind) */
    play("wrap-behind", 4294967296LL - 5 * STEP * 100 - 500);
    /* between poll 8 (an hour behind) and poll 9 (real) */
    play("wrap-back", 4294967296LL - 8 * STEP * 100 - 500);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_step_rates),
        cmocka_unit_test(test_step_on_uptime_wrap),
    };
    ww_log_init("test_clockstep", WW_LOG_ERR + 0);
    return cmocka_run_group_tests(tests, make_tmp, drop_tmp);
}

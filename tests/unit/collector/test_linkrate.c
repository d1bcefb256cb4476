/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_linkrate.c - one rate per link per sample: polls go through the real write path
 * (coll_write_result(), a real database, real RRD files, once with librrd and once through
 * rrdcached), and each sample's rate is read back from both places: the interface row (what
 * the device table and the alerts show) and the RRD file (graphs, busiest links, the 95th
 * percentile). Both must hold the same figure at the same time, over wraps, resets, reboots,
 * a 32->64-bit switch, missed polls, and a port that got faster.
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

static char tmpdir[64];

struct round {
    int steps;        /* poll intervals since the previous round */
    long long uptime; /* sysUpTime, s */
    bool hc;          /* 64-bit counters */
    uint64_t in;      /* raw counter; out is in / 4 (it wraps on its own schedule) */
    uint64_t speed;   /* ifSpeed, bit/s */
    bool known;       /* the in rate is a number */
    const char *why;
};

#define G 1000000000ULL /* 1 Gbit/s */
static const struct round numbers[] = {
    {0, 100000, false, 4290000000ULL, G, false, "first sight: nothing to compare with"},
    {1, 100010, false, 4291250000ULL, G, true, "1 Mbit/s"},
    {1, 100020, false, 1282704, G, true, "the 32-bit counter wrapped: 4 Mbit/s"},
    {1, 5, false, 5000, G, false, "reboot: uptime went back, counters restarted"},
    {1, 15, false, 1255000, G, true, "the sample after a reboot has its rate"},
    {1, 25, true, 2505000, G, false, "32 -> 64-bit counters: no rate across the switch"},
    {1, 35, true, 65005000, G, true, "64-bit, 50 Mbit/s"},
    {1, 45, true, 1000, G, false, "the 64-bit counter went back: a reset, not a wrap"},
    {1, 55, true, 62501000, G, true, "50 Mbit/s again"},
    {3, 85, true, 250001000, G, false, "two polls missed: longer than the heartbeat"},
    {1, 95, true, 312501000, G, true, "back in rhythm"},
    {1, 105, true, 2312501000ULL, G, false, "1.6 Gbit/s on a 1 Gbit/s link: a hidden reset"},
    {1, 115, true, 3568751000ULL, G, true, "1.005 Gbit/s: within 1 % of the speed, a rate"},
};

/* a port made at 10 Mbit/s that reports 1 Gbit/s, then carries 50 Mbit/s */
static const struct round faster[] = {
    {0, 2000, true, 0, 10000000, false, "first sight at 10 Mbit/s"},
    {1, 2010, true, 6250000, 10000000, true, "5 Mbit/s"},
    {1, 2020, true, 12500000, 10000000, true, "5 Mbit/s"},
    {1, 2030, true, 75000000, G, true, "now 1 Gbit/s, 50 Mbit/s"},
    {1, 2040, true, 137500000, G, true, "50 Mbit/s"},
    {1, 2050, true, 200000000, G, true, "50 Mbit/s"},
    {1, 2060, true, 262500000, G, true, "50 Mbit/s"},
};

struct bench {
    struct ww_config cfg;
    struct ww_db *db;
    struct store *st;
    struct coll_wcache *cache;
    struct inv_device dev;
};

static int make_tmp(void **state)
{
    return test_tmpdir_make(tmpdir, sizeof(tmpdir), "/tmp/wwlrXXXXXX");
}

static int drop_tmp(void **state)
{
    return test_tmpdir_drop(tmpdir);
}

static void bench_open(struct bench *b, const char *sub, const char *rrdcached)
{
    char *path = ww_asprintf("%s/%s.db", tmpdir, sub);
    char *rrd = ww_asprintf("%s/%s-rrd", tmpdir, sub);
    struct inv_device d;
    long long id = 0;

    memset(b, 0, sizeof(*b));
    b->cfg.poll_interval = STEP;
    b->cfg.down_after = 3;
    b->cfg.up_after = 1;
    assert_int_equal(ww_db_open(path, true, &b->db), 0);
    assert_int_equal(inv_migrate(b->db), 0);
    assert_int_equal(store_open(rrd, rrdcached, &b->st), 0);
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

/* one poll of the device's one interface, written as the writer thread writes a batch */
static void poll_once(struct bench *b, const struct round *rd, int64_t mono_ms, time_t now)
{
    struct coll_if f = {.if_index = 1, .name = (char *)"eth0", .type = 6, .admin = 1,
                        .oper = 1, .speed = rd->speed};
    struct coll_result r = {.ok = true, .quick = true, .poll_ms = 5, .done_mono_ms = mono_ms,
                            .if_mono_ms = mono_ms, .uptime_ticks = rd->uptime * 100,
                            .ifs = &f, .n_ifs = 1};

    r.if_number = r.if_last_change = r.hr_memory_kb = -1;
    r.ucd_total_kb = r.ucd_avail_kb = r.ucd_buffer_kb = r.ucd_cached_kb = -1;
    r.ups_battery_status = r.ups_minutes = r.ups_charge = r.ups_output_source = -1;
    if (rd->hc) {
        f.in_hc = rd->in, f.out_hc = rd->in / 4;
        f.has_in_hc = f.has_out_hc = true;
    } else {
        f.in32 = rd->in, f.out32 = rd->in / 4;
        f.has_in32 = f.has_out32 = true;
    }
    store_batch_begin(b->st);
    assert_int_equal(ww_db_begin(b->db), 0);
    assert_int_equal(coll_write_result(&b->cfg, b->db, b->st, b->cache, &b->dev, &r, false, now),
                     0);
    assert_int_equal(ww_db_commit(b->db), 0);
    store_batch_end(b->st);
}

/* the interface row: its id, rates and their time */
static void row_of(struct bench *b, long long *id, double *in_bps, double *out_bps, double *at)
{
    struct inv_interface *rows = NULL;
    size_t n = 0;

    assert_int_equal(inv_interface_list(b->db, b->dev.id, &rows, &n), 0);
    assert_int_equal(n, 1);
    *id = rows[0].id;
    *in_bps = rows[0].in_bps;
    *out_bps = rows[0].out_bps;
    *at = rows[0].rate_at;
    inv_interface_list_free(rows, n);
}

/* the RRD's last value (bytes/s, "U" = unknown) is the row's rate (bit/s) exactly */
static bool same_last(const char *rrd_val, double bps)
{
    if (strcmp(rrd_val, "U") == 0)
        return isnan(bps);
    return !isnan(bps) && strtod(rrd_val, NULL) * 8.0 == bps;
}

/* the same figure up to librrd's own arithmetic (value x seconds / seconds) */
static bool same_fetched(double rrd_Bps, double bps)
{
    if (isnan(rrd_Bps) || isnan(bps))
        return isnan(rrd_Bps) && isnan(bps);
    return fabs(rrd_Bps * 8.0 - bps) <= fabs(bps) * 1e-9;
}

/*
 * Play @rounds through the write path. The first round's time is read back from the row;
 * the writer stamps samples from the monotonic clock through one anchor per process, so the
 * test places every later round exactly on a step boundary (to the millisecond the RRD
 * keeps), where a fetched row holds exactly one sample's value.
 */
static void play(const char *rrdcached, const char *sub, const struct round *rounds, size_t n)
{
    struct bench b;
    double in_bps[32], out_bps[32], at0, dummy;
    time_t when[32];
    int64_t m0 = ww_mono_ms();
    long long id = 0;
    char metric[32];
    struct store_series *s = NULL;
    size_t checked = 0;

    assert_true(n <= 32);
    bench_open(&b, sub, rrdcached);
    poll_once(&b, &rounds[0], m0, time(NULL));
    row_of(&b, &id, &in_bps[0], &dummy, &at0);
    assert_true(isnan(in_bps[0]) && !isnan(at0));
    snprintf(metric, sizeof(metric), "if-%lld", id);
    when[0] = (time_t)ceil(at0 / STEP) * STEP; /* round 1 comes one step after this */
    for (size_t i = 1; i < n; i++) {
        double ms0 = floor(at0 * 1000.0), frac = at0 * 1000.0 - ms0, at;
        char **last = NULL;
        size_t nlast = 0;
        time_t t = 0;

        when[i] = when[i - 1] + (time_t)rounds[i].steps * STEP;
        /* at = at0 + (m - m0) / 1000 lands within half a millisecond of when[i] */
        poll_once(&b, &rounds[i],
                  m0 + (int64_t)((double)when[i] * 1000.0 - ms0) - (frac >= 0.5 ? 1 : 0),
                  when[i]);
        row_of(&b, &id, &in_bps[i], &out_bps[i], &at);
        if (llround(at * 1000.0) != (long long)when[i] * 1000)
            fail_msg("round %zu: stamped %.4f, not %lld", i, at, (long long)when[i]);
        if (isnan(in_bps[i]) == rounds[i].known)
            fail_msg("round %zu (%s): rate %g", i, rounds[i].why, in_bps[i]);
        assert_int_equal(store_last(b.st, b.dev.id, metric, &t, &last, &nlast), 0);
        assert_int_equal(nlast, 4);
        if (t != when[i] || !same_last(last[0], in_bps[i]) || !same_last(last[1], out_bps[i]))
            fail_msg("round %zu (%s): row %.17g / %.17g bit/s at %.3f, RRD %s / %s B/s at %lld",
                     i, rounds[i].why, in_bps[i], out_bps[i], at, last[0], last[1],
                     (long long)t);
        for (size_t k = 0; k < nlast; k++)
            free(last[k]);
        free(last);
    }

    /* what a graph reads: each step's row is the sample that ends it. From round 2 on: the
     * first round's time has a fraction of a second, which librrd spreads into the next
     * step's row */
    assert_int_equal(store_fetch(b.st, b.dev.id, metric, "AVERAGE", when[2] - STEP,
                                 when[n - 1], &s),
                     0);
    assert_int_equal(s->step, STEP);
    for (size_t r = 0; r < s->rows; r++) {
        time_t t = s->start + (time_t)((r + 1) * s->step);
        double in = s->values[r * s->cols], out = s->values[r * s->cols + 1];
        size_t i = 1;
        while (i < n && when[i] < t)
            i++;
        if (i == n || t < when[2])
            continue;
        if (when[i] != t) /* a step no poll ended (missed polls): nothing invented */
            i = 0;
        if (i == 0 ? !(isnan(in) && isnan(out))
                   : !same_fetched(in, in_bps[i]) || !same_fetched(out, out_bps[i]))
            fail_msg("step ending %lld (round %zu, %s): RRD %.17g / %.17g B/s, row %.17g / "
                     "%.17g bit/s",
                     (long long)t, i, i ? rounds[i].why : "a gap", in, out, in_bps[i],
                     out_bps[i]);
        checked++;
    }
    assert_true(checked >= n - 2);
    store_series_free(s);
    bench_close(&b);
}

static void run_all(const char *rrdcached, const char *mode)
{
    char sub[32];

    snprintf(sub, sizeof(sub), "numbers-%s", mode);
    play(rrdcached, sub, numbers, WW_ARRAY_SIZE(numbers));
    snprintf(sub, sizeof(sub), "faster-%s", mode);
    play(rrdcached, sub, faster, WW_ARRAY_SIZE(faster));
}

static void test_direct(void **state)
{
    run_all(NULL, "direct");
}

static void run_cached(const char *addr)
{
    run_all(addr, "cached");
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
    ww_log_init("test_linkrate", WW_LOG_ERR + 0);
    return cmocka_run_group_tests(tests, make_tmp, drop_tmp);
}

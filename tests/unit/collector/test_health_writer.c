/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_health_writer.c - the writer fills the daily health roll-up and the per-disk rows
 * (issue 16 items 2 and 5): polls go through coll_write_result() (a real database, real RRD
 * files) at times the test names, in the office zone Asia/Ho_Chi_Minh (no sleeps, no wall
 * clock): the office time each poll stands for is split at the office-hour edges, lunch,
 * weekends and holidays count none, a down poll counts as office downtime unless a
 * maintenance window covers the device, a reboot is counted, the day is the office-local
 * one; each real disk gets a device_disk row and a file disk-<id>.rrd with its use, and a
 * disk that is no longer reported keeps its row with its last_seen where it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collector/collector_int.h"
#include "collector/snmp_int.h"
#include "../rrd_test.h"

#define STEP 600 /* poll interval, s: ten minutes */

static char tmpdir[64];

static int make_tmp(void **state)
{
    struct ww_office o;
    /* the collector runs in the office zone (main.c): so does this test */
    assert_int_equal(ww_office_init("Asia/Ho_Chi_Minh", "07:30-11:30,13:30-17:00", "mon-fri",
                                    &o),
                     0);
    assert_int_equal(ww_office_use_zone(&o), 0);
    return test_tmpdir_make(tmpdir, sizeof(tmpdir), "/tmp/wwhwXXXXXX");
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
};

static void bench_open(struct bench *b, const char *sub)
{
    char *path = ww_asprintf("%s/%s.db", tmpdir, sub);
    char *rrd = ww_asprintf("%s/%s-rrd", tmpdir, sub);

    memset(b, 0, sizeof(*b));
    b->cfg.poll_interval = STEP;
    b->cfg.down_after = 1;
    b->cfg.up_after = 1;
    b->cfg.timezone = (char *)"Asia/Ho_Chi_Minh";
    b->cfg.office_hours = (char *)"07:30-11:30,13:30-17:00";
    b->cfg.office_days = (char *)"mon-fri";
    assert_int_equal(ww_db_open(path, true, &b->db), 0);
    assert_int_equal(inv_migrate(b->db), 0);
    assert_int_equal(store_open(rrd, NULL, &b->st), 0);
    b->cache = coll_wcache_new();
    free(path);
    free(rrd);
}

static void bench_close(struct bench *b)
{
    coll_wcache_free(b->cache);
    store_free(b->st);
    ww_db_close(b->db);
}

static long long add_pc(struct bench *b, const char *name, struct inv_device *out)
{
    static int hosts;
    struct inv_device d;
    char host[32];
    long long id = 0;

    snprintf(host, sizeof(host), "192.0.2.%d", ++hosts); /* host:port names one device */
    inv_device_init(&d);
    d.name = (char *)name;
    d.host = host;
    d.kind = (char *)"pc";
    d.snmp_community = (char *)"public";
    assert_int_equal(inv_device_add(b->db, &d, &id), 0);
    assert_int_equal(inv_device_get(b->db, id, out), 0);
    return id;
}

/* the office-zone time of a local wall clock reading */
static time_t local_at(int y, int mo, int d, int h, int mi)
{
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h,
                    .tm_min = mi, .tm_isdst = -1};
    return mktime(&tm);
}

/* one poll of @dev at @now: answered (with @ticks of uptime, a CPU load and the disks
 * @disks of @ndisks) or not; the answer's monotonic stamp follows @now */
static void poll_at(struct bench *b, const struct inv_device *dev, time_t now, bool ok,
                    long long ticks, const struct coll_storage *disks, size_t ndisks)
{
    struct coll_result r;

    coll_result_init(&r);
    r.ok = ok;
    r.quick = true;
    r.poll_ms = 5;
    /* the answer's time on the process's one anchor: now, as the writer would see it */
    r.done_mono_ms = r.if_mono_ms =
        ww_mono_ms() + (int64_t)((double)now - coll_wall_of(ww_mono_ms())) * 1000;
    r.uptime_ticks = ok ? ticks : -1;
    if (!ok)
        ww_strlcpy(r.error, "timeout", sizeof(r.error));
    if (ok) {
        r.hrdev = ww_calloc(1, sizeof(*r.hrdev));
        r.n_hrdev = r.cap_hrdev = 1;
        r.hrdev[0] = (struct coll_hrdev){.index = 1, .type = 3, .descr = ww_strdup("Intel"),
                                         .load = 85, .has_load = true};
    }
    if (ok && ndisks) {
        r.storage = ww_calloc(ndisks, sizeof(*r.storage));
        r.n_storage = r.cap_storage = ndisks;
        for (size_t i = 0; i < ndisks; i++) {
            r.storage[i] = disks[i];
            r.storage[i].descr = disks[i].descr ? ww_strdup(disks[i].descr) : NULL;
        }
    }
    store_batch_begin(b->st);
    assert_int_equal(ww_db_begin(b->db), 0);
    assert_int_equal(coll_write_result(&b->cfg, b->db, b->st, b->cache, dev, &r, false, now), 0);
    assert_int_equal(ww_db_commit(b->db), 0);
    store_batch_end(b->st);
    coll_result_release(&r);
}

/* a poll sequence and what the day's row says after it */
struct office_case {
    const char *why;
    int y, mo, d, h, mi; /* the (last) poll, local time */
    bool ok;
    bool maintenance; /* a window covers the device at the poll */
    bool reboot;      /* an answer before it, then this one with a smaller uptime */
    const char *day;  /* the day the sample belongs to */
    long long office_s, office_down_s, reboots;
};

static void test_office_time(void **state)
{
    static const struct office_case cases[] = {
        {"a poll at 07:35 stands for 07:25-07:35: only the 5 minutes after 07:30 are office",
         2026, 3, 2, 7, 35, true, false, false, "2026-03-02", 300, 0, 0},
        {"mid-morning the whole interval is office time", 2026, 3, 2, 10, 0, true, false, false,
         "2026-03-02", 600, 0, 0},
        {"11:35 stands for 11:25-11:35: the office closed for lunch at 11:30", 2026, 3, 2, 11,
         35, true, false, false, "2026-03-02", 300, 0, 0},
        {"lunch is no office time", 2026, 3, 2, 12, 30, true, false, false, "2026-03-02", 0, 0,
         0},
        {"13:40 stands for 13:30-13:40: the afternoon's first ten minutes", 2026, 3, 2, 13, 40,
         true, false, false, "2026-03-02", 600, 0, 0},
        {"Saturday is no office day", 2026, 3, 7, 10, 0, true, false, false, "2026-03-07", 0, 0,
         0},
        {"a holiday (30/4) is no office day though a Thursday", 2026, 4, 30, 10, 0, false,
         false, false, "2026-04-30", 0, 0, 0},
        {"a poll the device did not answer in office hours is office downtime", 2026, 3, 3, 9,
         0, false, false, false, "2026-03-03", 600, 600, 0},
        {"a down poll in a maintenance window is office time but not downtime", 2026, 3, 4, 9,
         0, false, true, false, "2026-03-04", 600, 0, 0},
        {"the uptime went back between two answers: one reboot", 2026, 3, 5, 9, 10, true, false,
         true, "2026-03-05", 1200, 0, 1},
        {"06:00 in Hà Nội is still the day before in UTC: the office-local day counts", 2026, 3,
         6, 6, 0, true, false, false, "2026-03-06", 0, 0, 0},
    };
    struct bench b;

    bench_open(&b, "office");
    assert_int_equal(inv_holiday_set(b.db, "2026-04-30", "Ngày Giải phóng miền Nam"), 0);
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        const struct office_case *c = &cases[i];
        char name[32];
        struct inv_device dev;
        struct inv_health h;
        time_t at = local_at(c->y, c->mo, c->d, c->h, c->mi);
        long long id;

        snprintf(name, sizeof(name), "PC %zu", i);
        id = add_pc(&b, name, &dev);
        if (c->maintenance) {
            struct inv_maintenance m = {.name = (char *)"Thay ổ cứng", .device_id = id,
                                        .starts_at = at - 3600, .ends_at = at + 3600};
            long long mid;
            assert_int_equal(inv_maintenance_add(b.db, &m, &mid), 0);
        }
        if (c->reboot)
            poll_at(&b, &dev, at - STEP, true, 360000, NULL, 0);
        poll_at(&b, &dev, at, c->ok, c->reboot ? 6000 : 360000, NULL, 0);
        assert_int_equal(inv_health_get(b.db, id, c->day, c->day, &h), 0);
        if (h.days != 1 || h.office_s != c->office_s || h.office_down_s != c->office_down_s ||
            h.reboots != c->reboots)
            fail_msg("case %zu (%s): days %lld office %lld s down %lld s reboots %lld, want 1,"
                     " %lld, %lld, %lld",
                     i, c->why, h.days, h.office_s, h.office_down_s, h.reboots, c->office_s,
                     c->office_down_s, c->reboots);
        /* what was measured went with an answer only */
        if (c->ok && (h.cpu_days != 1 || h.cpu_high_days != 1))
            fail_msg("case %zu (%s): cpu days %lld high %lld, want 1 and 1 (85%% load)", i,
                     c->why, h.cpu_days, h.cpu_high_days);
        if (!c->ok && h.cpu_days != 0)
            fail_msg("case %zu (%s): a silent poll has no CPU sample", i, c->why);
        inv_device_release(&dev);
    }
    {
        /* a writer without a cache (the contract allows NULL) builds the day's calendar for
         * its one poll: the sample is the same */
        struct coll_wcache *keep = b.cache;
        struct inv_device dev;
        struct inv_health h;
        long long id = add_pc(&b, "PC no cache", &dev);

        b.cache = NULL;
        poll_at(&b, &dev, local_at(2026, 3, 2, 10, 0), false, 0, NULL, 0);
        b.cache = keep;
        assert_int_equal(inv_health_get(b.db, id, "2026-03-02", "2026-03-02", &h), 0);
        assert_int_equal(h.office_s, 600);
        assert_int_equal(h.office_down_s, 600);
        inv_device_release(&dev);
    }
    bench_close(&b);
}

static const struct inv_disk *disk_named(const struct inv_disk *k, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(k[i].disk_key, key) == 0)
            return &k[i];
    fail_msg("no disk '%s'", key);
    return NULL;
}

static double last_used_pct(struct bench *b, long long dev_id, long long disk_id)
{
    char metric[32], **vals = NULL;
    size_t n = 0;
    time_t when = 0;
    double v;

    snprintf(metric, sizeof(metric), "disk-%lld", disk_id);
    assert_int_equal(store_last(b->st, dev_id, metric, &when, &vals, &n), 0);
    assert_int_equal(n, 2);
    v = strtod(vals[0], NULL);
    for (size_t i = 0; i < n; i++)
        free(vals[i]);
    free(vals);
    return v;
}

static void test_disk_rows(void **state)
{
    /* a Windows PC: C:, D: and two volumes without a label whose agent text is the same,
     * RAM and a CD drive that are no disks, and a description with a byte that is no UTF-8 */
    const struct coll_storage disks[] = {
        {.index = 1, .type = 4, .descr = (char *)"C:\\ Label:  Serial Number 5c7e0a1b",
         .units = 4096, .size = 25600000, .used = 24320000, .has_used = true},
        {.index = 2, .type = 4, .descr = (char *)"D:\\ Label:Dữ liệu  Serial Number 9a",
         .units = 4096, .size = 100000000, .used = 25000000, .has_used = true},
        {.index = 3, .type = 4, .descr = (char *)"Volume", .units = 512, .size = 2000000,
         .used = 1000000, .has_used = true},
        {.index = 4, .type = 4, .descr = (char *)"Volume", .units = 512, .size = 4000000,
         .used = 1000000, .has_used = true},
        {.index = 5, .type = 2, .descr = (char *)"Physical Memory", .units = 65536,
         .size = 65536, .used = 30000, .has_used = true},
        {.index = 6, .type = 7, .descr = (char *)"E:\\", .units = 2048, .size = 300000,
         .used = 300000, .has_used = true},
        {.index = 7, .type = 4, .descr = (char *)"F:\\ \xff\xfe", .units = 4096, .size = 1000,
         .used = 0, .has_used = true},
    };
    struct bench b;
    struct inv_device dev;
    struct inv_disk *k = NULL;
    struct inv_health h;
    time_t t0 = local_at(2026, 3, 9, 9, 0);
    size_t n = 0;
    long long id, d_id, d_seen;

    bench_open(&b, "disks");
    id = add_pc(&b, "Máy văn thư", &dev);
    poll_at(&b, &dev, t0, true, 100000, disks, WW_ARRAY_SIZE(disks));
    assert_int_equal(inv_disk_list(b.db, id, &k, &n), 0);
    assert_int_equal(n, 5); /* C:, D:, two volumes, F: (not the RAM, not the CD) */
    {
        const struct inv_disk *c = disk_named(k, n, "C:\\ Label:  Serial Number 5c7e0a1b");
        const struct inv_disk *d = disk_named(k, n, "D:\\ Label:Dữ liệu  Serial Number 9a");
        disk_named(k, n, "Volume");
        disk_named(k, n, "Volume#4"); /* the second one of the same text: by its index */
        disk_named(k, n, "F:\\ \xef\xbf\xbd\xef\xbf\xbd"); /* invalid bytes as U+FFFD */
        assert_true(c->size_bytes == 4096.0 * 25600000);
        assert_true(c->used_bytes == 4096.0 * 24320000);
        assert_int_equal(c->first_seen, (long long)t0);
        /* each disk's own file, named by its row id, holds its use */
        assert_true(fabs(last_used_pct(&b, id, c->id) - 95.0) < 0.01);
        assert_true(fabs(last_used_pct(&b, id, d->id) - 25.0) < 0.01);
        d_id = d->id;
        d_seen = d->last_seen;
    }
    inv_disk_list_free(k, n);

    /* an hour later D: is gone (unplugged): its row and file stay, its last_seen stops */
    poll_at(&b, &dev, t0 + 3600, true, 460000, disks, 1);
    assert_int_equal(inv_disk_list(b.db, id, &k, &n), 0);
    assert_int_equal(n, 5);
    for (size_t i = 0; i < n; i++) {
        if (k[i].id == d_id)
            assert_int_equal(k[i].last_seen, d_seen);
        else if (strncmp(k[i].disk_key, "C:", 2) == 0)
            assert_int_equal(k[i].last_seen, (long long)(t0 + 3600));
    }
    inv_disk_list_free(k, n);
    /* the fullest disk went into the day's row: C: at 95% makes it a full-disk day */
    assert_int_equal(inv_health_get(b.db, id, "2026-03-09", "2026-03-09", &h), 0);
    assert_int_equal(h.disk_days, 1);
    assert_int_equal(h.disk_full_days, 1);
    inv_device_release(&dev);
    bench_close(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_office_time),
        cmocka_unit_test(test_disk_rows),
    };
    return cmocka_run_group_tests(tests, make_tmp, drop_tmp);
}

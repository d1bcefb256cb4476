/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_availability.c - availability from events against a timeline computed by hand,
 * maintenance and holiday CRUD, the outage log with its filters, the overview.
 *
 * THE TIMELINE. Zone Asia/Ho_Chi_Minh (UTC+7), office hours 07:30-11:30 and 13:30-17:00
 * (27000 s an office day), Monday to Friday; Wed 2026-11-25 is a holiday. "Now" is
 * Mon 2026-11-30 10:00 local = 1796007600. The 7-day period starts Mon 2026-11-23 10:00
 * = 1795402800 and lasts 604800 s. All times below are local; epoch = 1795402800 + hours.
 *
 * Device A (id 1, added long before, polled, state unreachable):
 *  o1 down  Mon 23 09:00 -> Mon 23 10:30  crosses the period start: 1800 s in (10:00-10:30),
 *                                         office 1800 (10:00-10:30)
 *  o2 down  Mon 23 16:00 -> Tue 24 08:30  crosses midnight: 16.5 h = 59400 s;
 *                                         office 16:00-17:00 + 07:30-08:30 = 7200
 *  o3 down  Wed 25 09:00 -> 10:00         holiday: 3600 s, office 0
 *  o4 down  Thu 26 11:00 -> 14:00         over lunch: 10800 s, office 1800 + 1800 = 3600
 *  o5 down  Fri 27 15:00 -> 16:30         maintenance window W1 Fri 14:00-16:00 on A:
 *                                         only 16:00-16:30 counts: 1800 s, office 1800
 *  o6 down  Sat 28 09:00 -> 12:00         weekend: 10800 s, office 0
 *  o7 unreachable Mon 30 09:00 -> (open)  runs to now: 3600 s, office 3600
 *  o8 down  Sat 21 10:00 -> Sun 22 10:00  before the 7 days; inside 30 days (weekend)
 *  i1 if_down Gi0/1 Tue 24 08:00 -> 09:00 the device was down until 08:30: own 1800 s
 *
 *  Office seconds of the 7 days: Mon 23 10:00-11:30 5400 + 13:30-17:00 12600 = 18000;
 *  Tue 27000; Wed 0 (holiday); Thu 27000; Fri 27000; Sat, Sun 0; Mon 30 07:30-10:00
 *  9000. Total 108000.
 *
 *  A, 7 d, 24/7: maintenance 7200 (W1); monitored 604800 - 7200 = 597600;
 *    down 1800 + 59400 + 3600 + 10800 + 1800 + 10800 = 88200; unreachable 3600;
 *    up 597600 - 88200 - 3600 = 505800; pct 505800 / (505800 + 88200) = 85.1515 %
 *  A, 7 d, office: maintenance 7200 (Fri 14-16 is office time); monitored 100800;
 *    down 1800 + 7200 + 0 + 3600 + 1800 + 0 = 14400; unreachable 3600;
 *    up 100800 - 14400 - 3600 = 82800; pct 82800 / 97200 = 85.1852 %
 *  A, day (Sun 29 10:00 ->): monitored 86400, unreachable 3600, up 82800, pct 100;
 *    office Mon 07:30-10:00 = 9000, unreachable 3600, up 5400, pct 100
 *  A, 30 d (Sat Oct 31 10:00 ->): 2592000 s; down o1..o6 whole = 5400 + 59400 + 3600 +
 *    10800 + 1800 + 10800 = 91800, + o8 86400 = 178200; unreachable 3600; maintenance
 *    7200; monitored 2584800; up 2403000; pct 2403000 / 2581200 = 93.0963 %.
 *    Office: 19 full office days (Nov 2-6, 9-13, 16-20, 23-27 less the holiday) * 27000
 *    = 513000 + Mon 30 9000 = 522000; maintenance 7200; monitored 514800; down 5400 +
 *    7200 + 3600 + 1800 = 18000 (o8 is a weekend); unreachable 3600; up 493200;
 *    pct 493200 / 511200 = 96.4789 %
 *  Interface Gi0/1 (seen since long before), 7 d: the device's down and unreachable time
 *    (88200 + 3600 = 91800, office 14400 + 3600 = 18000) is its unreachable time; its own
 *    down 08:30-09:00 = 1800 (office 1800); up 597600 - 1800 - 91800 = 504000,
 *    pct 504000 / 505800 = 99.6441 %; office up 100800 - 1800 - 18000 = 81000,
 *    pct 81000 / 82800 = 97.8261 %
 *  Interface Gi0/2 (first seen Sat 28 00:00): monitored to now 208800, unreachable o6 +
 *    o7 = 14400, up 194400, pct 100; office: Mon 07:30-10:00 9000, unreachable 3600,
 *    up 5400, pct 100
 *
 * Device B (id 2, parent A, added Thu 26 12:00, polled, up): windows W1 (on its parent A)
 *  and W2 (Sat 28 10:00-11:00 on B itself) cover it. 7 d: from Thu 12:00, 338400 s;
 *  maintenance 7200 + 3600 = 10800; monitored 327600 = up; pct 100. Office: Thu
 *  13:30-17:00 12600 + Fri 27000 + Mon 9000 = 48600; maintenance 7200 (W2 is Saturday);
 *  monitored 41400 = up. W2 on the child does not cover the parent A (o6 counts fully).
 * Device C (id 3, never polled): nothing monitored, pct null.
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

#include "inventory/inventory.h"
#include "inv_test.h"

#define NOW 1796007600LL
#define H(x) (1795402800LL + (long long)((x) * 3600)) /* hours after Mon 23 10:00 local */

static struct ww_office office;

static const char timeline_sql[] =
    "INSERT INTO org_unit (id, name) VALUES (1, 'Phường Bến Nghé'), (2, 'Phường Đa Kao');"
    "INSERT INTO location (id, unit_id, name) VALUES (1, 1, 'Trụ sở'), (2, 1, 'Điểm 2');"
    "INSERT INTO device (id, name, kind, host, unit_id, location_id, created_at)"
    "  VALUES (1, 'Router A', 'router', '192.0.2.1', 1, 1, 1792810800);"
    "INSERT INTO device (id, name, kind, host, unit_id, location_id, parent_id, created_at)"
    "  VALUES (2, 'Switch B', 'switch', '192.0.2.2', 1, 2, 1, 1795669200);"
    "INSERT INTO device (id, name, kind, host, unit_id, created_at)"
    "  VALUES (3, 'Máy in C', 'printer', '192.0.2.3', 2, 1795402800);"
    "INSERT INTO device_status (device_id, state, since, last_poll, first_ok)"
    "  VALUES (1, 'unreachable', 1796004000, 1796007540, 1792810800),"
    "         (2, 'up', 1795669200, 1796007540, 1795669200);"
    "INSERT INTO interface (id, device_id, if_key, name, first_seen, last_seen)"
    "  VALUES (1, 1, 'Gi0/1', 'Gi0/1', 1792810800, 1796007540),"
    "         (2, 1, 'Gi0/2', 'Gi0/2', 1795798800, 1796007540);"
    "INSERT INTO event (id, device_id, interface_id, type, started_at, ended_at) VALUES"
    "  (1, 1, NULL, 'down', 1795399200, 1795404600),"          /* o1 Mon 09:00-10:30 */
    "  (2, 1, NULL, 'up', 1795404600, NULL),"
    "  (3, 1, NULL, 'down', 1795424400, 1795483800),"          /* o2 Mon 16:00-Tue 08:30 */
    "  (4, 1, NULL, 'up', 1795483800, NULL),"
    "  (5, 1, NULL, 'down', 1795572000, 1795575600),"          /* o3 Wed 09-10 holiday */
    "  (6, 1, NULL, 'down', 1795665600, 1795676400),"          /* o4 Thu 11-14 */
    "  (7, 1, NULL, 'down', 1795766400, 1795771800),"          /* o5 Fri 15:00-16:30 */
    "  (8, 1, NULL, 'down', 1795831200, 1795842000),"          /* o6 Sat 09-12 */
    "  (9, 1, NULL, 'unreachable', 1796004000, NULL),"         /* o7 Mon 30 09:00, open */
    "  (10, 1, NULL, 'down', 1795230000, 1795316400),"         /* o8 Sat 21 10 - Sun 22 10 */
    "  (11, 1, 1, 'if_down', 1795482000, 1795485600),"         /* i1 Tue 08-09 */
    "  (12, 1, 1, 'if_up', 1795485600, NULL),"
    "  (13, 1, NULL, 'reboot', 1795485600, NULL);"
    "INSERT INTO maintenance (id, name, device_id, starts_at, ends_at, created_by) VALUES"
    "  (1, 'Thay UPS', 1, 1795762800, 1795770000, 'admin'),"   /* W1 Fri 14-16 on A */
    "  (2, 'Đổi cổng', 2, 1795834800, 1795838400, 'admin');"   /* W2 Sat 10-11 on B */
    "INSERT INTO holiday (day, name) VALUES ('2026-11-25', 'Ngày nghỉ thử');";

/* a migrated database with the timeline above, the office in Asia/Ho_Chi_Minh */
static int setup(void **state)
{
    inv_test_db_open(state);
    assert_int_equal(ww_db_exec(*state, timeline_sql), 0);
    assert_int_equal(ww_office_init("Asia/Ho_Chi_Minh", "07:30-11:30,13:30-17:00", "mon-fri",
                                    &office),
                     0);
    assert_int_equal(ww_office_use_zone(&office), 0);
    return 0;
}

struct want {
    long long up, down, unreach, maint, monitored;
    double pct; /* -1 null */
};

static void check(const char *what, const struct inv_avail *a, const struct want *w)
{
    if (a->up_s != w->up || a->down_s != w->down || a->unreachable_s != w->unreach ||
        a->maintenance_s != w->maint || a->monitored_s != w->monitored ||
        (w->pct < 0 ? a->pct >= 0 : fabs(a->pct - w->pct) > 0.00005))
        fail_msg("%s: up %lld down %lld unreach %lld maint %lld monitored %lld pct %.6f", what,
                 a->up_s, a->down_s, a->unreachable_s, a->maintenance_s, a->monitored_s,
                 a->pct);
}

static void test_device_figures(void **state)
{
    static const struct {
        long long device, period;
        struct want all, office;
    } cases[] = {
        {1, 7 * 86400, {505800, 88200, 3600, 7200, 597600, 85.151515},
         {82800, 14400, 3600, 7200, 100800, 85.185185}},
        {1, 86400, {82800, 0, 3600, 0, 86400, 100}, {5400, 0, 3600, 0, 9000, 100}},
        {1, 30 * 86400, {2403000, 178200, 3600, 7200, 2584800, 93.096234},
         {493200, 18000, 3600, 7200, 514800, 96.478873}},
        {2, 7 * 86400, {327600, 0, 0, 10800, 327600, 100}, {41400, 0, 0, 7200, 41400, 100}},
        {3, 7 * 86400, {0, 0, 0, 0, 0, -1}, {0, 0, 0, 0, 0, -1}},
    };
    struct ww_db *db = *state;

    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct inv_avail all, off;
        char what[64];
        assert_int_equal(inv_availability_device(db, &office, cases[i].device, cases[i].period,
                                                 NOW, &all, &off),
                         0);
        snprintf(what, sizeof(what), "device %lld, %llds, 24/7", cases[i].device,
                 cases[i].period);
        check(what, &all, &cases[i].all);
        snprintf(what, sizeof(what), "device %lld, %llds, office", cases[i].device,
                 cases[i].period);
        check(what, &off, &cases[i].office);
    }
    {
        struct inv_avail all, off;
        assert_int_equal(inv_availability_device(db, &office, 99, 86400, NOW, &all, &off),
                         -ENOENT);
    }
}

static void test_interface_figures(void **state)
{
    struct ww_db *db = *state;
    struct inv_if_avail *ifs = NULL;
    size_t n = 0;
    const struct want gi1 = {504000, 1800, 91800, 7200, 597600, 99.644128},
                      gi1o = {81000, 1800, 18000, 7200, 100800, 97.826087},
                      gi2 = {194400, 0, 14400, 0, 208800, 100}, gi2o = {5400, 0, 3600, 0, 9000, 100};

    assert_int_equal(inv_availability_interfaces(db, &office, 1, 7 * 86400, NOW, &ifs, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(ifs[0].name, "Gi0/1");
    assert_int_equal(ifs[0].interface_id, 1);
    check("Gi0/1 24/7", &ifs[0].all, &gi1);
    check("Gi0/1 office", &ifs[0].office, &gi1o);
    check("Gi0/2 24/7", &ifs[1].all, &gi2);
    check("Gi0/2 office", &ifs[1].office, &gi2o);
    inv_if_avail_free(ifs, n);
}

static void test_list(void **state)
{
    struct ww_db *db = *state;
    struct inv_avail_row *rows = NULL;
    size_t n = 0;
    long long total = 0, secs = 0;

    assert_int_equal(inv_period_parse("7d", &secs), 0);
    assert_int_equal(secs, 604800);
    assert_int_equal(inv_period_parse("week", &secs), -EINVAL);
    assert_int_equal(inv_availability_list(db, NULL, 7 * 86400, NOW, -1, 0, &rows, &n, &total),
                     0);
    assert_int_equal(total, 3);
    assert_int_equal(n, 3);
    /* lowest first, never-monitored last */
    assert_int_equal(rows[0].device_id, 1);
    assert_true(fabs(rows[0].a.pct - 85.151515) < 0.00005);
    assert_int_equal(rows[0].a.down_s, 88200);
    assert_int_equal(rows[0].outages, 7); /* o1-o7 overlap the 7 days; o8 does not */
    assert_string_equal(rows[0].kind, "router");
    assert_int_equal(rows[1].device_id, 2);
    assert_int_equal(rows[1].outages, 0);
    assert_int_equal(rows[2].device_id, 3);
    assert_true(rows[2].a.pct < 0);
    inv_avail_row_free(rows, n);

    /* office hours, paged: one row from offset 1 */
    assert_int_equal(inv_availability_list(db, &office, 7 * 86400, NOW, 1, 1, &rows, &n, &total),
                     0);
    assert_int_equal(total, 3);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].device_id, 2);
    assert_int_equal(rows[0].a.monitored_s, 41400);
    inv_avail_row_free(rows, n);
    assert_int_equal(inv_availability_list(db, &office, 7 * 86400, NOW, 10, 5, &rows, &n, &total),
                     0);
    assert_int_equal(n, 0);
    inv_avail_row_free(rows, n);
}

static void test_outages(void **state)
{
    static const struct {
        struct inv_outage_filter f;
        long long total;
        long long first_id;
    } cases[] = {
        {{.open = -1}, 9, 9},
        {{.device_id = 1, .open = -1}, 9, 9},
        {{.device_id = 2, .open = -1}, 0, 0},
        {{.type = "if_down", .open = -1}, 1, 11},
        {{.type = "unreachable", .open = -1}, 1, 9},
        {{.open = 1}, 1, 9},
        {{.open = 0}, 8, 8},
        {{.min_s = 10800, .open = -1}, 4, 8}, /* o8 86400, o2 59400, o4, o6 10800 */
        /* overlapping Fri 27 00:00 .. Sat 28 00:00: o5 only */
        {{.from = 1795712400, .to = 1795798800, .open = -1}, 1, 7},
        {{.from = 1796000000, .open = -1}, 1, 9},
        {{.to = 1795300000, .open = -1}, 1, 10},
    };
    struct ww_db *db = *state;

    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct inv_outage *o = NULL;
        size_t n = 0;
        long long total = -1;
        assert_int_equal(inv_outage_list(db, &cases[i].f, NOW, 100, 0, &o, &n, &total), 0);
        if (total != cases[i].total || (long long)n != total ||
            (n && o[0].id != cases[i].first_id))
            fail_msg("case %zu: total %lld n %zu first %lld", i, total, n, n ? o[0].id : 0);
        inv_outage_list_free(o, n);
    }
    /* newest first, durations, open to now, maintenance marks, names; page 2 of 3 */
    {
        static const long long order[] = {9, 8, 7, 6, 5, 11, 3, 1, 10};
        struct inv_outage_filter f = {.open = -1};
        struct inv_outage *o = NULL;
        size_t n = 0;
        long long total = 0;

        assert_int_equal(inv_outage_list(db, &f, NOW, 100, 0, &o, &n, &total), 0);
        assert_int_equal(n, 9);
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(o[i].id, order[i]);
            assert_int_equal(o[i].in_maintenance, o[i].id == 7);
        }
        assert_int_equal(o[0].ended_at, -1);
        assert_int_equal(o[0].duration_s, 3600);
        assert_string_equal(o[0].type, "unreachable");
        assert_string_equal(o[0].device_name, "Router A");
        assert_null(o[0].interface_name);
        assert_int_equal(o[2].duration_s, 5400);
        assert_int_equal(o[5].interface_id, 1);
        assert_string_equal(o[5].interface_name, "Gi0/1");
        assert_int_equal(o[6].duration_s, 59400);
        inv_outage_list_free(o, n);

        assert_int_equal(inv_outage_list(db, &f, NOW, 3, 3, &o, &n, &total), 0);
        assert_int_equal(total, 9);
        assert_int_equal(n, 3);
        assert_int_equal(o[0].id, 6);
        assert_int_equal(o[2].id, 11);
        inv_outage_list_free(o, n);
    }
}

static void test_overview(void **state)
{
    struct ww_db *db = *state;
    struct inv_overview ov;
    struct inv_maintenance m = {0};
    long long id = 0;

    assert_int_equal(inv_overview_get(db, &office, NOW, &ov), 0);
    assert_int_equal(ov.counts.total, 3);
    assert_int_equal(ov.counts.up, 1);
    assert_int_equal(ov.counts.down, 0);
    assert_int_equal(ov.counts.unreachable, 1);
    assert_int_equal(ov.counts.unknown, 1);
    assert_int_equal(ov.counts.maintenance, 0);
    assert_int_equal(ov.nunits, 2);
    assert_string_equal(ov.by_unit[0].name, "Phường Bến Nghé");
    assert_int_equal(ov.by_unit[0].c.total, 2);
    assert_int_equal(ov.by_unit[0].c.up, 1);
    assert_int_equal(ov.by_unit[0].c.unreachable, 1);
    assert_int_equal(ov.by_unit[1].id, 2);
    assert_int_equal(ov.by_unit[1].c.unknown, 1);
    assert_int_equal(ov.nsites, 3);
    assert_string_equal(ov.by_site[0].name, "Trụ sở");
    assert_string_equal(ov.by_site[1].name, "Điểm 2");
    assert_int_equal(ov.by_site[2].id, 0);
    assert_null(ov.by_site[2].name);
    assert_int_equal(ov.noutages, 1);
    assert_int_equal(ov.outages[0].id, 9);
    assert_int_equal(ov.nworst, 2);
    assert_int_equal(ov.worst[0].device_id, 1);
    assert_true(fabs(ov.worst[0].pct - 93.096234) < 0.00005);
    assert_true(fabs(ov.worst[0].office_pct - 96.478873) < 0.00005);
    assert_int_equal(ov.worst[1].device_id, 2);
    assert_true(ov.worst[1].pct == 100 && ov.worst[1].office_pct == 100);
    inv_overview_release(&ov);

    /* a window on A now: A and its child B are in maintenance */
    m.name = (char *)"Bảo trì";
    m.device_id = 1;
    m.starts_at = NOW - 60;
    m.ends_at = NOW + 3600;
    assert_int_equal(inv_maintenance_add(db, &m, &id), 0);
    assert_int_equal(inv_overview_get(db, &office, NOW, &ov), 0);
    assert_int_equal(ov.counts.maintenance, 2);
    assert_int_equal(ov.outages[0].in_maintenance, true);
    inv_overview_release(&ov);
    /* ... and its 60 s come off A's monitored time (and out of the open outage) */
    {
        struct inv_avail all, off;
        assert_int_equal(inv_availability_device(db, &office, 1, 86400, NOW, &all, &off), 0);
        assert_int_equal(all.maintenance_s, 60);
        assert_int_equal(all.unreachable_s, 3540);
        assert_int_equal(all.monitored_s, 86340);
    }
}

static void test_maintenance_crud(void **state)
{
    struct ww_db *db = *state;
    struct inv_maintenance m = {0}, got;
    struct inv_maintenance *items = NULL;
    size_t n = 0;
    long long id = 0;
    char *snap = NULL;

    m.name = (char *)"Cả mạng";
    m.starts_at = NOW - 10;
    m.ends_at = NOW - 20;
    assert_int_equal(inv_maintenance_add(db, &m, &id), -EINVAL); /* ends before it starts */
    m.ends_at = NOW + 10;
    m.device_id = 99;
    assert_int_equal(inv_maintenance_add(db, &m, &id), -EINVAL); /* no such device */
    m.device_id = 0;
    m.name = (char *)"";
    assert_int_equal(inv_maintenance_add(db, &m, &id), -EINVAL);
    m.name = (char *)"Cả mạng";
    m.note = (char *)"=cmd|' /C calc'!A0";
    m.created_by = (char *)"it1";
    assert_int_equal(inv_maintenance_add(db, &m, &id), 0);
    assert_int_equal(inv_maintenance_get(db, id, NOW, &got), 0);
    assert_int_equal(got.device_id, 0);
    assert_null(got.device_name);
    assert_true(got.active);
    assert_string_equal(got.created_by, "it1");
    inv_maintenance_release(&got);
    assert_int_equal(inv_maintenance_list(db, 1, NOW, &items, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(items[0].id, id);
    inv_maintenance_list_free(items, n);
    assert_int_equal(inv_maintenance_list(db, 0, NOW, &items, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(items[0].device_name, "Switch B"); /* W2, newest start first */
    inv_maintenance_list_free(items, n);
    assert_int_equal(inv_maintenance_list(db, -1, NOW, &items, &n), 0);
    assert_int_equal(n, 3);
    inv_maintenance_list_free(items, n);

    /* every device is in maintenance now */
    {
        struct inv_overview ov;
        assert_int_equal(inv_overview_get(db, &office, NOW, &ov), 0);
        assert_int_equal(ov.counts.maintenance, 3);
        inv_overview_release(&ov);
    }
    assert_int_equal(inv_maintenance_snapshot(db, id, &snap), 0);
    assert_non_null(strstr(snap, "\"device_id\":null"));
    assert_non_null(strstr(snap, "\"name\":\"Cả mạng\""));
    free(snap);

    m.id = id;
    m.device_id = 2;
    m.ends_at = NOW + 100;
    assert_int_equal(inv_maintenance_update(db, &m), 0);
    assert_int_equal(inv_maintenance_get(db, id, NOW, &got), 0);
    assert_int_equal(got.ends_at, NOW + 100);
    assert_string_equal(got.device_name, "Switch B");
    inv_maintenance_release(&got);
    m.id = 999;
    assert_int_equal(inv_maintenance_update(db, &m), -ENOENT);
    assert_int_equal(inv_maintenance_remove(db, id), 0);
    assert_int_equal(inv_maintenance_remove(db, id), -ENOENT);
    assert_int_equal(inv_maintenance_get(db, id, NOW, &got), -ENOENT);
    assert_int_equal(inv_maintenance_snapshot(db, id, &snap), 0);
    assert_null(snap);
}

static void test_holiday_crud(void **state)
{
    struct ww_db *db = *state;
    struct inv_holiday *h = NULL;
    size_t n = 0;
    char *snap = NULL;
    struct inv_avail all, off;

    assert_int_equal(inv_holiday_set(db, "2026-02-30", "x"), -EINVAL);
    assert_int_equal(inv_holiday_set(db, "2026-11-26", ""), -EINVAL);
    assert_int_equal(inv_holiday_set(db, "2026-11-26'; DROP TABLE holiday; --", "x"), -EINVAL);
    assert_int_equal(inv_holiday_set(db, "2026-11-26", "Nghỉ bù"), 0);
    assert_int_equal(inv_holiday_set(db, "2027-01-01", "Tết Dương lịch"), 0);
    assert_int_equal(inv_holiday_set(db, "2027-01-01", "Tết Dương lịch 2027"), 0); /* rename */
    assert_int_equal(inv_holiday_list(db, 2026, &h, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(h[0].day, "2026-11-25");
    assert_string_equal(h[1].name, "Nghỉ bù");
    inv_holiday_list_free(h, n);
    assert_int_equal(inv_holiday_list(db, 0, &h, &n), 0);
    assert_int_equal(n, 3);
    assert_string_equal(h[2].name, "Tết Dương lịch 2027");
    inv_holiday_list_free(h, n);
    assert_int_equal(inv_holiday_snapshot(db, "2026-11-26", &snap), 0);
    assert_string_equal(snap, "{\"day\":\"2026-11-26\",\"name\":\"Nghỉ bù\"}");
    free(snap);

    /* Thu 26 is now a holiday too: A loses Thu's 27000 office seconds and o4's 3600 */
    assert_int_equal(inv_availability_device(db, &office, 1, 7 * 86400, NOW, &all, &off), 0);
    assert_int_equal(off.monitored_s, 100800 - 27000);
    assert_int_equal(off.down_s, 14400 - 3600);
    assert_int_equal(all.down_s, 88200); /* 24/7 does not care */
    assert_int_equal(inv_holiday_remove(db, "2026-11-26"), 0);
    assert_int_equal(inv_holiday_remove(db, "2026-11-26"), -ENOENT);
    assert_int_equal(inv_availability_device(db, &office, 1, 7 * 86400, NOW, &all, &off), 0);
    assert_int_equal(off.monitored_s, 100800);
}

/* ---- "in maintenance": one rule for the device query, the alert mute and the overview ---- */

/* what the device page says of @id at @now (inv_device_get) */
static bool device_page_in(struct ww_db *db, long long id, time_t now)
{
    struct inv_device d;

    assert_int_equal(inv_device_get(db, id, &d), 0);
    assert_int_equal(inv_device_mark_maintenance(db, &d, 1, now), 0);
    bool in = d.in_maintenance;
    inv_device_release(&d);
    return in;
}

/* what the device list says of @id at @now (inv_device_list) */
static bool device_list_in(struct ww_db *db, long long id, time_t now)
{
    struct inv_device_list l;
    bool in = false, found = false;

    assert_int_equal(inv_device_list(db, false, -1, 0, &l), 0);
    assert_int_equal(inv_device_mark_maintenance(db, l.items, l.n, now), 0);
    for (size_t i = 0; i < l.n; i++)
        if (l.items[i].id == id) {
            in = l.items[i].in_maintenance;
            found = true;
        }
    assert_true(found);
    inv_device_list_release(&l);
    return in;
}

/* whether the alert evaluator mutes @id at @now */
static bool alert_mute_in(struct ww_db *db, long long id, time_t now)
{
    bool in = true;

    assert_int_equal(inv_maintenance_covers(db, id, now, &in), 0);
    return in;
}

/* the device page, the device list and the alert mute asked about @dev at @now: how many
 * disagree with @want (each printed, with @why) */
static int askers_wrong(struct ww_db *db, long long dev, time_t now, bool want, const char *why)
{
    const struct {
        const char *who;
        bool got;
    } asked[] = {
        {"device page", device_page_in(db, dev, now)},
        {"device list", device_list_in(db, dev, now)},
        {"alert mute", alert_mute_in(db, dev, now)},
    };
    int wrong = 0;

    for (size_t k = 0; k < WW_ARRAY_SIZE(asked); k++)
        if (asked[k].got != want) {
            print_error("%s: device %lld: %s says %d, want %d\n", why, dev, asked[k].who,
                        asked[k].got, want);
            wrong++;
        }
    return wrong;
}

/* the overview's count of devices in maintenance at @now against @want */
static int overview_wrong(struct ww_db *db, time_t now, long long want, const char *why)
{
    struct inv_overview ov;
    int wrong = 0;

    assert_int_equal(inv_overview_get(db, &office, now, &ov), 0);
    if (ov.counts.maintenance != want) {
        print_error("%s: overview counts %lld, want %lld\n", why, ov.counts.maintenance, want);
        wrong++;
    }
    inv_overview_release(&ov);
    return wrong;
}

/* Each case adds one window to the timeline (A router 1, B switch 2 behind A, C printer 3)
 * and asks at NOW, which is days before the wall clock: nothing may read the wall clock. */
static void test_maintenance_one_rule(void **state)
{
    struct ww_db *db = *state;
    time_t wall = time(NULL);
    int wrong = 0;
    const struct {
        long long device_id; /* 0 = every device */
        long long starts_at, ends_at;
        unsigned want; /* bit N-1: device N is in maintenance at NOW */
        const char *why;
    } cases[] = {
        {1, NOW - 60, NOW + 3600, 1u | 2u, "a window on the router covers the switch behind it"},
        {2, NOW - 60, NOW + 3600, 2u, "a window on the switch does not cover its parent"},
        {3, NOW - 60, NOW + 3600, 4u, "a window on the printer covers the printer only"},
        {0, NOW - 60, NOW + 3600, 1u | 2u | 4u, "a window for every device"},
        {1, NOW - 3600, NOW, 0, "a window that ended at now (ends_at is not covered)"},
        {0, NOW - 7200, NOW - 60, 0, "an every-device window that ended"},
        {1, NOW + 1, NOW + 3600, 0, "a window that has not begun"},
        {0, (long long)wall - 60, (long long)wall + 3600, 0,
         "a window open on the wall clock but not at now"},
        {1, (long long)wall - 60, (long long)wall + 3600, 0,
         "a router window open on the wall clock but not at now"},
    };

    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        char *sql;
        long long want_count = 0;

        assert_int_equal(ww_db_exec(db, "DELETE FROM maintenance"), 0);
        if (cases[i].device_id)
            sql = ww_asprintf("INSERT INTO maintenance (name, device_id, starts_at, ends_at)"
                              " VALUES ('w', %lld, %lld, %lld)",
                              cases[i].device_id, cases[i].starts_at, cases[i].ends_at);
        else
            sql = ww_asprintf("INSERT INTO maintenance (name, device_id, starts_at, ends_at)"
                              " VALUES ('w', NULL, %lld, %lld)",
                              cases[i].starts_at, cases[i].ends_at);
        assert_int_equal(ww_db_exec(db, sql), 0);
        free(sql);
        for (long long dev = 1; dev <= 3; dev++) {
            bool want = (cases[i].want >> (dev - 1)) & 1u;
            want_count += want;
            wrong += askers_wrong(db, dev, NOW, want, cases[i].why);
        }
        wrong += overview_wrong(db, NOW, want_count, cases[i].why);
    }
    assert_int_equal(wrong, 0);
}

/* the longest chain inv_device_set_parent() admits: a window on the top covers the bottom
 * device, INV_PARENT_DEPTH_MAX parents up, for every asker */
static void test_maintenance_deep_chain(void **state)
{
    struct ww_db *db = *state;
    long long ids[INV_PARENT_DEPTH_MAX + 1];
    long long bottom;
    char *sql;

    for (size_t i = 0; i < WW_ARRAY_SIZE(ids); i++) {
        struct inv_device d;
        char name[32], host[32];
        inv_device_init(&d);
        snprintf(name, sizeof(name), "chain %zu", i);
        snprintf(host, sizeof(host), "198.51.100.%zu", i + 1);
        d.name = name;
        d.host = host;
        assert_int_equal(inv_device_add(db, &d, &ids[i]), 0);
        if (i)
            assert_int_equal(inv_device_set_parent(db, ids[i], ids[i - 1]), 0);
    }
    bottom = ids[INV_PARENT_DEPTH_MAX];
    sql = ww_asprintf("DELETE FROM maintenance; INSERT INTO maintenance (name, device_id,"
                      " starts_at, ends_at) VALUES ('top', %lld, %lld, %lld)",
                      ids[0], NOW - 60, NOW + 60);
    assert_int_equal(ww_db_exec(db, sql), 0);
    free(sql);
    assert_int_equal(askers_wrong(db, bottom, NOW, true, "the bottom of the chain") +
                         overview_wrong(db, NOW, (long long)WW_ARRAY_SIZE(ids), "the chain"),
                     0);
}

/* ---- the office calendar: one for availability and the busiest links ---------------------- */

/* inv_office_calendar() is what the busiest links filter their rows with (ww_office_cal_
 * contains() of each row's middle): on a holiday it has no office time, and its office seconds
 * are availability's office seconds, before and after a day is made a holiday */
static void test_office_calendar_holiday(void **state)
{
    struct ww_db *db = *state;
    static const struct {
        long long t;
        bool want;
        const char *why;
    } cases[] = {
        {H(48), false, "Wed 25 10:00, the holiday of the timeline"},
        {H(48) + 4 * 3600 + 60, false, "Wed 25 14:01, the holiday's afternoon"},
        {H(24), true, "Tue 24 10:00, an office day"},
        {H(72), true, "Thu 26 10:00, an office day (a holiday below)"},
        {H(120), false, "Sat 28 10:00, weekend"},
    };

    for (int round = 0; round < 2; round++) {
        struct ww_office_cal cal;
        struct inv_avail all, off;

        if (round == 1)
            assert_int_equal(inv_holiday_set(db, "2026-11-26", "Nghỉ bù"), 0);
        assert_int_equal(inv_office_calendar(db, &office, H(0), NOW, &cal), 0);
        for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
            bool want = cases[i].want && !(round == 1 && cases[i].t == H(72));
            if (ww_office_cal_contains(&cal, (time_t)cases[i].t) != want)
                fail_msg("round %d, case %zu (%s): want %d", round, i, cases[i].why, want);
        }
        /* A is monitored the whole 7 days: its office monitored + maintenance time is every
         * office second of the calendar */
        assert_int_equal(inv_availability_device(db, &office, 1, 7 * 86400, NOW, &all, &off), 0);
        assert_int_equal(ww_office_cal_seconds(&cal, H(0), NOW),
                         off.monitored_s + off.maintenance_s);
        assert_int_equal(ww_office_cal_seconds(&cal, H(0), NOW), round ? 108000 - 27000 : 108000);
        ww_office_cal_release(&cal);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_device_figures, setup, inv_test_db_close),
        cmocka_unit_test_setup_teardown(test_interface_figures, setup, inv_test_db_close),
        cmocka_unit_test_setup_teardown(test_list, setup, inv_test_db_close),
        cmocka_unit_test_setup_teardown(test_outages, setup, inv_test_db_close),
        cmocka_unit_test_setup_teardown(test_overview, setup, inv_test_db_close),
        cmocka_unit_test_setup_teardown(test_maintenance_crud, setup, inv_test_db_close),
        cmocka_unit_test_setup_teardown(test_holiday_crud, setup, inv_test_db_close),
        cmocka_unit_test_setup_teardown(test_maintenance_one_rule, setup, inv_test_db_close),
        cmocka_unit_test_setup_teardown(test_maintenance_deep_chain, setup, inv_test_db_close),
        cmocka_unit_test_setup_teardown(test_office_calendar_holiday, setup, inv_test_db_close),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_status.c - device status with hysteresis, unreachable behind a parent, parents and
 * their loops, interface up/down events, the latest measured values. */
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

static long long add(struct ww_db *db, const char *name, long long parent)
{
    static int n;
    struct inv_device d;
    long long id = 0;
    char host[32];
    snprintf(host, sizeof(host), "127.0.3.%d", ++n);
    inv_device_init(&d);
    d.name = (char *)name;
    d.host = host;
    assert_int_equal(inv_device_add(db, &d, &id), 0);
    if (parent)
        assert_int_equal(inv_device_set_parent(db, id, parent), 0);
    return id;
}

static void poll(struct ww_db *db, long long id, bool ok, long long when, long long down_after,
                 long long up_after)
{
    struct inv_poll_outcome o = {.ok = ok, .when = when, .uptime_ticks = ok ? when * 100 : -1,
                                 .poll_ms = 5, .error = "no answer (timeout)"};
    assert_int_equal(inv_status_apply(db, id, &o, down_after, up_after, NULL), 0);
}

static const char *state_of(struct ww_db *db, long long id)
{
    static struct inv_status s;
    assert_int_equal(inv_status_get(db, id, &s), 0);
    return s.state;
}

/* events of a type: how many, and the start/end of the newest */
static long long events(struct ww_db *db, long long id, const char *type, long long *out_start,
                        long long *out_end)
{
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT count(*), max(started_at),"
                                         " (SELECT coalesce(ended_at, -1) FROM event WHERE"
                                         "  device_id=?1 AND type=?2 ORDER BY id DESC LIMIT 1)"
                                         " FROM event WHERE device_id=?1 AND type=?2");
    long long n;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    n = sqlite3_column_int64(st, 0);
    if (out_start)
        *out_start = sqlite3_column_int64(st, 1);
    if (out_end)
        *out_end = sqlite3_column_int64(st, 2);
    sqlite3_finalize(st);
    return n;
}

static void test_hysteresis(void **state)
{
    struct ww_db *db = *state;
    long long id = add(db, "router", 0), start = 0, end = 0;

    /* down_after 2, up_after 3, one poll a minute */
    poll(db, id, true, 1000, 2, 3);
    assert_string_equal(state_of(db, id), "up");
    /* a flapping link: fail, answer, fail, answer never makes two failures in a row */
    for (long long t = 1060; t < 1300; t += 120) {
        poll(db, id, false, t, 2, 3);
        poll(db, id, true, t + 60, 2, 3);
        assert_string_equal(state_of(db, id), "up");
    }
    assert_int_equal(events(db, id, "down", NULL, NULL), 0);

    poll(db, id, false, 1300, 2, 3);
    assert_string_equal(state_of(db, id), "up");
    poll(db, id, false, 1360, 2, 3);
    assert_string_equal(state_of(db, id), "down");
    assert_int_equal(events(db, id, "down", &start, &end), 1);
    assert_int_equal(start, 1300); /* the first failed poll */
    assert_int_equal(end, -1);
    /* two good polls are not enough; a failure in between starts the count again */
    poll(db, id, true, 1420, 2, 3);
    poll(db, id, true, 1480, 2, 3);
    poll(db, id, false, 1540, 2, 3);
    poll(db, id, true, 1600, 2, 3);
    poll(db, id, true, 1660, 2, 3);
    assert_string_equal(state_of(db, id), "down");
    poll(db, id, true, 1720, 2, 3);
    assert_string_equal(state_of(db, id), "up");
    /* one outage, ended by the first good poll of the run that held */
    assert_int_equal(events(db, id, "down", &start, &end), 1);
    assert_int_equal(start, 1300);
    assert_int_equal(end, 1600);
    assert_int_equal(events(db, id, "up", &start, NULL), 1);
    assert_int_equal(start, 1600);
    {
        struct inv_status s;
        assert_int_equal(inv_status_get(db, id, &s), 0);
        assert_int_equal(s.since, 1600);
        assert_int_equal(s.ok_count, 3);
    }
}

static void test_unreachable_chain(void **state)
{
    struct ww_db *db = *state;
    long long r = add(db, "router", 0), sw = add(db, "switch", r), pc = add(db, "pc", sw);
    long long lone = add(db, "lone pc", sw);
    size_t moved = 0;
    long long start = 0, end = 0;

    for (long long t = 1000; t <= 1060; t += 60) {
        poll(db, r, true, t, 1, 1);
        poll(db, sw, true, t, 1, 1);
        poll(db, pc, true, t, 1, 1);
        poll(db, lone, true, t, 1, 1);
    }
    /* the uplink fails: every device stops answering; written children first */
    poll(db, pc, false, 1120, 1, 1);
    poll(db, sw, false, 1120, 1, 1);
    poll(db, lone, false, 1120, 1, 1);
    /* nothing yet decided for the children: their parents were not polled since */
    assert_int_equal(inv_status_reconcile(db, 1, 1120, &moved), 0);
    assert_int_equal(moved, 0);
    assert_string_equal(state_of(db, pc), "up");
    poll(db, r, false, 1120, 1, 1);
    assert_string_equal(state_of(db, r), "down");
    assert_int_equal(inv_status_reconcile(db, 1, 1120, &moved), 0);
    assert_int_equal(moved, 3);
    assert_string_equal(state_of(db, sw), "unreachable");
    assert_string_equal(state_of(db, pc), "unreachable");
    assert_string_equal(state_of(db, lone), "unreachable");
    assert_int_equal(events(db, r, "down", NULL, NULL), 1);
    assert_int_equal(events(db, sw, "down", NULL, NULL), 0);
    assert_int_equal(events(db, pc, "unreachable", &start, &end), 1);
    assert_int_equal(start, 1120);
    assert_int_equal(end, -1);
    /* again: nothing moves, no second event */
    assert_int_equal(inv_status_reconcile(db, 1, 1120, &moved), 0);
    assert_int_equal(moved, 0);

    /* the router comes back, so does the switch and one pc; the other pc stays dark */
    poll(db, r, true, 1180, 1, 1);
    poll(db, sw, true, 1180, 1, 1);
    poll(db, pc, true, 1180, 1, 1);
    poll(db, lone, false, 1180, 1, 1);
    assert_int_equal(inv_status_reconcile(db, 1, 1180, &moved), 0);
    assert_string_equal(state_of(db, r), "up");
    assert_string_equal(state_of(db, sw), "up");
    assert_string_equal(state_of(db, pc), "up");
    assert_int_equal(events(db, pc, "unreachable", &start, &end), 1);
    assert_int_equal(end, 1180);
    /* its way is open and it still fails: now it is down itself */
    assert_string_equal(state_of(db, lone), "down");
    assert_int_equal(events(db, lone, "unreachable", NULL, &end), 1);
    assert_int_equal(end, 1180);
    assert_int_equal(events(db, lone, "down", &start, &end), 1);
    assert_int_equal(start, 1180);
    assert_int_equal(end, -1);
}

static void test_child_down_alone(void **state)
{
    struct ww_db *db = *state;
    long long sw = add(db, "switch", 0), pc = add(db, "pc", sw);
    size_t moved = 0;

    poll(db, sw, true, 1000, 2, 1);
    poll(db, pc, true, 1000, 2, 1);
    poll(db, pc, false, 1060, 2, 1);
    poll(db, pc, false, 1120, 2, 1);
    /* the switch has not been polled since the pc began failing: wait */
    assert_int_equal(inv_status_reconcile(db, 2, 1120, &moved), 0);
    assert_string_equal(state_of(db, pc), "up");
    poll(db, sw, true, 1125, 2, 1);
    assert_int_equal(inv_status_reconcile(db, 2, 1125, &moved), 0);
    assert_int_equal(moved, 1);
    assert_string_equal(state_of(db, pc), "down");
    assert_int_equal(events(db, pc, "down", NULL, NULL), 1);

    /* a disabled parent vouches for nothing and hides nothing */
    long long dark = add(db, "disabled uplink", 0), pc2 = add(db, "pc2", dark);
    assert_int_equal(ww_db_exec(db, "UPDATE device SET enabled=0 WHERE name='disabled uplink'"),
                     0);
    poll(db, pc2, true, 1000, 1, 1);
    poll(db, pc2, false, 1060, 1, 1);
    assert_int_equal(inv_status_reconcile(db, 1, 1060, &moved), 0);
    assert_string_equal(state_of(db, pc2), "down");
}

static void test_parent_rules(void **state)
{
    struct ww_db *db = *state;
    long long a = add(db, "a", 0), b = add(db, "b", a), c = add(db, "c", b);
    struct inv_device d;

    assert_int_equal(inv_device_set_parent(db, a, a), -EINVAL);
    assert_int_equal(inv_device_set_parent(db, a, c), -EINVAL); /* a loop */
    assert_int_equal(inv_device_set_parent(db, c, 999), -EINVAL);
    assert_int_equal(inv_device_set_parent(db, 999, a), -ENOENT);
    assert_int_equal(inv_device_get(db, c, &d), 0);
    assert_int_equal(d.parent_id, b);
    assert_string_equal(d.parent_name, "b");
    assert_false(d.in_maintenance);
    assert_true(isnan(d.metrics.cpu_pct));
    inv_device_release(&d);
    assert_int_equal(inv_device_set_parent(db, c, 0), 0);
    assert_int_equal(inv_device_get(db, c, &d), 0);
    assert_int_equal(d.parent_id, 0);
    assert_null(d.parent_name);
    inv_device_release(&d);
    /* removing a parent leaves its children without one */
    assert_int_equal(inv_device_remove(db, a), 0);
    assert_int_equal(inv_device_get(db, b, &d), 0);
    assert_int_equal(d.parent_id, 0);
    inv_device_release(&d);
}

static void test_interface_events(void **state)
{
    struct ww_db *db = *state;
    long long dev = add(db, "switch", 0), start = 0, end = 0;
    struct inv_interface row = {.device_id = dev, .if_key = (char *)"Gi0/1", .if_index = 1,
                                .admin_status = 1, .oper_status = 1, .in_bps = NAN,
                                .out_bps = NAN, .rate_at = NAN};
    long long ifid = 0;

    assert_int_equal(inv_interface_upsert(db, &row, 1000, &ifid), 0);
    /* first sight up records nothing */
    assert_int_equal(inv_interface_oper_change(db, dev, ifid, 1, 1, 0, 1, 1000, "Gi0/1"), 0);
    assert_int_equal(events(db, dev, "if_down", NULL, NULL), 0);
    /* up -> down (and lowerLayerDown counts as down) */
    assert_int_equal(inv_interface_oper_change(db, dev, ifid, 1, 1, 1, 2, 1060, "Gi0/1"), 0);
    assert_int_equal(inv_interface_oper_change(db, dev, ifid, 1, 1, 2, 7, 1120, "Gi0/1"), 0);
    assert_int_equal(events(db, dev, "if_down", &start, &end), 1);
    assert_int_equal(start, 1060);
    assert_int_equal(end, -1);
    assert_int_equal(inv_interface_oper_change(db, dev, ifid, 1, 1, 7, 1, 1180, "Gi0/1"), 0);
    assert_int_equal(events(db, dev, "if_down", &start, &end), 1);
    assert_int_equal(end, 1180);
    assert_int_equal(events(db, dev, "if_up", &start, NULL), 1);
    assert_int_equal(start, 1180);
    /* switched off on purpose: no outage */
    assert_int_equal(inv_interface_oper_change(db, dev, ifid, 2, 1, 1, 2, 1240, "Gi0/1"), 0);
    assert_int_equal(events(db, dev, "if_down", NULL, NULL), 1);
    /* down, then switched off: the outage ends there */
    assert_int_equal(inv_interface_oper_change(db, dev, ifid, 1, 2, 1, 2, 1300, "Gi0/1"), 0);
    assert_int_equal(inv_interface_oper_change(db, dev, ifid, 2, 1, 2, 2, 1360, "Gi0/1"), 0);
    assert_int_equal(events(db, dev, "if_down", NULL, &end), 2);
    assert_int_equal(end, 1360);
    assert_int_equal(events(db, dev, "if_up", NULL, NULL), 1); /* switched off is not "up" */
    /* left switched off and down: nothing more, round after round */
    for (int k = 1; k <= 3; k++)
        assert_int_equal(
            inv_interface_oper_change(db, dev, ifid, 2, 2, 2, 2, 1360 + 60 * k, "Gi0/1"), 0);
    assert_int_equal(events(db, dev, "if_down", NULL, NULL), 2);
    assert_int_equal(events(db, dev, "if_up", NULL, NULL), 1);
}

/* issue 15: a port down from the first poll is an outage when it is switched on */
static void test_interface_down_at_first_sight(void **state)
{
    struct ww_db *db = *state;
    long long dev = add(db, "sw", 0), start = 0, end = 0;
    static const struct {
        long long admin, oper;
        int want;
        const char *why;
    } cases[] = {
        {1, 2, 1, "switched on, down from the first poll: an outage from then"},
        {1, 7, 1, "lowerLayerDown counts as down"},
        {2, 2, 0, "switched off on purpose: no outage"},
        {1, 1, 0, "up: nothing"},
        {1, 5, 0, "dormant is not an outage"},
    };

    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        char key[16];
        struct inv_interface row = {.device_id = dev, .if_key = key, .if_index = (long long)i + 1,
                                    .name = key, .admin_status = cases[i].admin,
                                    .oper_status = cases[i].oper, .in_bps = NAN, .out_bps = NAN,
                                    .rate_at = NAN};
        long long ifid = 0, n;
        char sql[128];
        snprintf(key, sizeof(key), "Gi0/%zu", i + 1);
        assert_int_equal(inv_interface_upsert(db, &row, 2000, &ifid), 0);
        assert_int_equal(inv_interface_oper_change(db, dev, ifid, cases[i].admin, 0, 0,
                                                   cases[i].oper, 2000, key),
                         0);
        /* a second first sight (a restart without the port in memory) opens no second one */
        assert_int_equal(inv_interface_oper_change(db, dev, ifid, cases[i].admin, 0, 0,
                                                   cases[i].oper, 2060, key),
                         0);
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM event WHERE interface_id = %lld"
                                   " AND type = 'if_down'", ifid);
        n = inv_test_number(db, sql);
        if (n != cases[i].want)
            fail_msg("case %zu (%s): %lld outages", i, cases[i].why, n);
    }
    assert_int_equal(events(db, dev, "if_down", &start, &end), 2);
    assert_int_equal(start, 2000);
    assert_int_equal(end, -1);
}

static void test_metrics(void **state)
{
    struct ww_db *db = *state;
    long long id = add(db, "ups", 0);
    struct inv_metrics m = {12.5, 40, 91, 1, 17, 88, NAN};
    struct inv_device d;

    poll(db, id, true, 1000, 1, 1);
    assert_int_equal(inv_status_metrics(db, id, &m, 1000), 0);
    assert_int_equal(inv_device_get(db, id, &d), 0);
    assert_true(d.metrics.cpu_pct == 12.5);
    assert_true(d.metrics.disk_max_pct == 91);
    assert_int_equal(d.metrics.ups_on_battery, 1);
    assert_true(d.metrics.ups_runtime_min == 17);
    assert_true(isnan(d.metrics.supply_min_pct));
    inv_device_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        INV_TEST(test_hysteresis),
        INV_TEST(test_unreachable_chain),
        INV_TEST(test_child_down_alone),
        INV_TEST(test_parent_rules),
        INV_TEST(test_interface_events),
        INV_TEST(test_interface_down_at_first_sight),
        INV_TEST(test_metrics),
    };
    ww_log_init("test_status", WW_LOG_ERR);
    return cmocka_run_group_tests(tests, NULL, NULL);
}

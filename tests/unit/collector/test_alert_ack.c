/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_alert_ack.c - an acknowledged outage stops the evaluator's repeats (issue 15): the
 * real evaluator (coll_alert_evaluate) on a real database, the clock in the test's hands.
 * A device down with a device_down rule repeating every 60 s: firing, a repeat, then the
 * outage is acknowledged and no repeat follows; the recovery still goes out. An interface
 * outage's acknowledgement is its own: it does not silence the device's alert.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "collector/collector.h"
#include "../inventory/inv_test.h"

#define T0 1796000000LL

static const char fixture_sql[] =
    "INSERT INTO device (id, name, kind, host, created_at) VALUES"
    "  (1, 'Switch tầng 1', 'switch', '192.0.2.2', 1795990000);"
    "INSERT INTO interface (id, device_id, if_key, name, first_seen, last_seen, admin_status,"
    "  oper_status, oper_since) VALUES (1, 1, 'Gi0/1', 'Gi0/1', 1795990000, 1796000000, 1, 2,"
    "  1795999000);"
    "INSERT INTO device_status (device_id, state, since, last_poll, last_ok, first_ok,"
    "  fail_count) VALUES (1, 'down', 1795999900, 1796000000, 1795999800, 1795990000, 3);"
    "INSERT INTO event (id, device_id, interface_id, type, started_at, ended_at) VALUES"
    "  (1, 1, NULL, 'down', 1795999900, NULL),"
    "  (2, 1, 1, 'if_down', 1795999000, NULL);"
    "INSERT INTO alert_channel (id, name, kind, target, enabled)"
    "  VALUES (1, 'IT', 'email', 'it@example.org', 1);"
    "INSERT INTO alert_rule (id, name, kind, for_s, repeat_s, notify_recovery, enabled)"
    "  VALUES (1, 'Mất kết nối', 'device_down', 0, 60, 1, 1);"
    "INSERT INTO alert_rule_channel (rule_id, channel_id) VALUES (1, 1);";

static long long sent(struct ww_db *db, const char *kind)
{
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM notification WHERE kind = '%s'", kind);
    return inv_test_number(db, sql);
}

static void test_ack_stops_repeats(void **state)
{
    struct ww_db *db = *state;
    struct ww_config cfg = {.poll_interval = 60};

    assert_int_equal(ww_db_exec(db, fixture_sql), 0);
    assert_true(coll_alert_evaluate(db, &cfg, T0) >= 0);
    assert_int_equal(sent(db, "firing"), 1);
    assert_true(coll_alert_evaluate(db, &cfg, T0 + 61) >= 0);
    assert_int_equal(sent(db, "repeat"), 1);

    /* the interface's outage acknowledged: the device's alert still repeats */
    assert_int_equal(ww_db_exec(db, "UPDATE event SET acked_at = 1796000070, acked_by = 'x'"
                                    " WHERE id = 2"),
                     0);
    assert_true(coll_alert_evaluate(db, &cfg, T0 + 122) >= 0);
    assert_int_equal(sent(db, "repeat"), 2);

    /* the device's outage acknowledged: no more repeats */
    assert_int_equal(inv_outage_ack(db, 1, "admin", T0 + 130, "đang thay nguồn"), 0);
    for (long long t = T0 + 183; t < T0 + 600; t += 61)
        assert_true(coll_alert_evaluate(db, &cfg, t) >= 0);
    assert_int_equal(sent(db, "repeat"), 2);

    /* back up: the recovery goes out as before */
    assert_int_equal(ww_db_exec(db, "UPDATE device_status SET state = 'up', since = 1796000600,"
                                    " last_ok = 1796000600, last_poll = 1796000600,"
                                    " fail_count = 0 WHERE device_id = 1;"
                                    "UPDATE event SET ended_at = 1796000600 WHERE id = 1;"),
                     0);
    assert_true(coll_alert_evaluate(db, &cfg, T0 + 610) >= 0);
    assert_int_equal(sent(db, "recovery"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        INV_TEST(test_ack_stops_repeats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

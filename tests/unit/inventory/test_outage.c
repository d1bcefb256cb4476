/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_outage.c - what people do about an outage and what the figures say before a device
 * first answered (issue 15): acknowledgement once with its note, notes after, refusals as
 * data, the audit entry of each, the evaluator's question (inv_outage_acked_open); the
 * availability of a device that never answered (0 %, never "up" before its first answer); and
 * the cause of silence (inv_down_cause), each case with its why.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "inventory/inventory.h"
#include "inv_test.h"

#define T0 1796000000LL

static const char fixture_sql[] =
    "INSERT INTO device (id, name, kind, host, created_at) VALUES"
    "  (1, 'Máy in tầng 2', 'printer', '192.0.2.3', 1796000000),"
    "  (2, 'Switch tầng 1', 'switch', '192.0.2.2', 1796000000),"
    "  (3, 'Máy chủ', 'server', '192.0.2.4', 1796000000);"
    "INSERT INTO interface (id, device_id, if_key, name, first_seen, last_seen)"
    "  VALUES (1, 2, 'Gi0/1', 'Gi0/1', 1796000000, 1796007200);"
    /* 1: never answered, down from its first failed poll an hour after it was added */
    "INSERT INTO device_status (device_id, state, since, last_poll, last_reason)"
    "  VALUES (1, 'down', 1796003600, 1796007200, 'timeout');"
    /* 2: first answered two hours after it was added, up since */
    "INSERT INTO device_status (device_id, state, since, last_poll, last_ok, first_ok)"
    "  VALUES (2, 'up', 1796007200, 1796014400, 1796014400, 1796007200);"
    /* 3: added, not polled yet */
    "INSERT INTO event (id, device_id, interface_id, type, started_at, ended_at) VALUES"
    "  (1, 1, NULL, 'down', 1796003600, NULL),"
    "  (2, 2, 1, 'if_down', 1796010000, NULL),"
    "  (3, 2, NULL, 'reboot', 1796010000, 1796010000);";

static int setup(void **state)
{
    inv_test_db_open(state);
    assert_int_equal(ww_db_exec(*state, fixture_sql), 0);
    return 0;
}

static const struct inv_actor admin = {1, "admin", "api", "127.0.0.1"};

struct edit {
    bool ack;
    const char *note;
};

static int apply(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    const struct edit *e = ctx;
    return e->ack ? inv_outage_ack(db, ch->id, "admin", T0 + 7200, e->note)
                  : inv_outage_note_add(db, ch->id, "admin", T0 + 7300, e->note);
}

static int run(struct ww_db *db, long long id, bool ack, const char *note,
               struct inv_refusal *why)
{
    struct edit e = {ack, note};
    struct inv_change ch = {.actor = &admin, .action = ack ? "outage.ack" : "outage.note",
                            .object_type = "outage", .id = id, .apply = apply, .ctx = &e};
    int ret = inv_change_run(db, &ch);
    if (why)
        *why = ch.why;
    free(ch.after);
    return ret;
}

static void test_ack_and_notes(void **state)
{
    struct ww_db *db = *state;
    struct inv_refusal why;
    struct inv_outage o;
    struct inv_outage_note *notes = NULL;
    size_t n = 0;
    bool acked = true;
    char long_note[INV_OUTAGE_NOTE_MAX + 2];

    /* the evaluator's question before anyone acknowledged */
    assert_int_equal(inv_outage_acked_open(db, 1, 0, &acked), 0);
    assert_false(acked);

    /* refusals as data, nothing written */
    assert_int_equal(run(db, 3, true, NULL, NULL), -ENOENT); /* a reboot is no outage */
    assert_int_equal(run(db, 99, true, NULL, NULL), -ENOENT);
    assert_int_equal(run(db, 1, false, "", &why), -EINVAL); /* a note needs words */
    assert_string_equal(why.field, "note");
    assert_string_equal(why.reason, "required");
    assert_int_equal(run(db, 1, false, "a\x1b[31mb", &why), -EINVAL);
    assert_string_equal(why.reason, "control_char");
    memset(long_note, 'x', sizeof(long_note) - 1);
    long_note[sizeof(long_note) - 1] = '\0';
    assert_int_equal(run(db, 1, true, long_note, &why), -EINVAL);
    assert_string_equal(why.reason, "too_long");
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM outage_note"), 0);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log"
                                         " WHERE action LIKE 'outage.%'"),
                     0);

    /* acknowledged once, with its note; a second time is refused */
    assert_int_equal(run(db, 1, true, "Đã gọi điện cho phòng một cửa <b>", NULL), 0);
    assert_int_equal(run(db, 1, true, "lần hai", &why), -EEXIST);
    assert_string_equal(why.reason, "already_acked");
    assert_int_equal(run(db, 1, false, "Thay dây nguồn lúc 10:15", NULL), 0);
    assert_int_equal(inv_outage_acked_open(db, 1, 0, &acked), 0);
    assert_true(acked);
    /* the interface's open outage is another outage: not acknowledged */
    assert_int_equal(inv_outage_acked_open(db, 2, 1, &acked), 0);
    assert_false(acked);

    assert_int_equal(inv_outage_get(db, 1, T0 + 7400, &o), 0);
    assert_int_equal(o.acked_at, T0 + 7200);
    assert_string_equal(o.acked_by, "admin");
    assert_int_equal(o.nnotes, 2);
    assert_int_equal(o.ended_at, -1);
    inv_outage_release(&o);
    assert_int_equal(inv_outage_notes(db, 1, &notes, &n), 0);
    assert_int_equal(n, 2);
    assert_true(notes[0].ack);
    assert_string_equal(notes[0].text, "Đã gọi điện cho phòng một cửa <b>");
    assert_false(notes[1].ack);
    assert_int_equal(notes[1].created_at, T0 + 7300);
    inv_outage_notes_free(notes, n);

    /* each change has its audit entry, with the note in the after snapshot */
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log"
                                         " WHERE action IN ('outage.ack', 'outage.note')"
                                         " AND object_type = 'outage' AND object_id = '1'"),
                     2);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log WHERE"
                                         " action = 'outage.note' AND after_json LIKE"
                                         " '%Thay dây nguồn%'"),
                     1);

    /* the outage log filters on it */
    {
        struct inv_outage_filter f = {.open = -1, .acked = 1};
        struct inv_outage *items = NULL;
        long long total = 0;
        assert_int_equal(inv_outage_list(db, &f, T0 + 7400, 10, 0, &items, &n, &total), 0);
        assert_int_equal(total, 1);
        assert_int_equal(items[0].id, 1);
        inv_outage_list_free(items, n);
        f.acked = -1;
        assert_int_equal(inv_outage_list(db, &f, T0 + 7400, 10, 0, &items, &n, &total), 0);
        assert_int_equal(total, 1);
        assert_int_equal(items[0].id, 2);
        inv_outage_list_free(items, n);
    }
}

static void test_first_answer(void **state)
{
    struct ww_db *db = *state;
    const long long now = T0 + 4 * 3600;
    static const struct {
        long long device;
        long long up, down, unknown;
        double pct; /* -1 null */
        const char *why;
    } cases[] = {
        {1, 0, 3 * 3600, 3600, 0,
         "never answered: the hour before its first failed poll is unknown, not up: 0 %"},
        {2, 2 * 3600, 0, 2 * 3600, 100,
         "first answered two hours after it was added: those two hours count neither way"},
        {3, 0, 0, 0, -1, "never polled: nothing monitored"},
    };

    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct inv_avail all, off;
        assert_int_equal(inv_availability_device(db, NULL, cases[i].device, 86400, now, &all,
                                                 &off),
                         0);
        if (all.up_s != cases[i].up || all.down_s != cases[i].down ||
            all.unknown_s != cases[i].unknown ||
            (cases[i].pct < 0 ? all.pct >= 0 : fabs(all.pct - cases[i].pct) > 1e-9))
            fail_msg("case %zu (%s): up %lld down %lld unknown %lld pct %.4f", i, cases[i].why,
                     all.up_s, all.down_s, all.unknown_s, all.pct);
    }
    /* the list of all devices follows the same rule */
    {
        struct inv_avail_row *rows = NULL;
        size_t n = 0;
        long long total = 0;
        assert_int_equal(inv_availability_list(db, NULL, 86400, now, -1, 0, &rows, &n, &total),
                         0);
        assert_int_equal(n, 3);
        assert_int_equal(rows[0].device_id, 1); /* lowest first: 0 % */
        assert_true(fabs(rows[0].a.pct) < 1e-9);
        assert_int_equal(rows[0].a.unknown_s, 3600);
        inv_avail_row_free(rows, n);
    }
}

static void test_cause(void **state)
{
    static const struct {
        const char *state, *reason;
        int icmp;
        const char *want, *why;
    } cases[] = {
        {"up", NULL, -1, NULL, "an answering device has no cause"},
        {"unreachable", "timeout", 0, "parent_down", "behind a parent that is down"},
        {"down", "timeout", 1, "icmp_only", "the host answers ping but not SNMP"},
        {"down", "timeout", 0, "no_answer", "nothing answers: power, cable, uplink"},
        {"down", "timeout", -1, "no_answer", "no echo asked: only what SNMP says"},
        {"down", "v3_refused", 1, "auth_refused", "the agent refused our SNMPv3 user"},
        {"down", "v3_config", -1, "auth_refused", "our SNMPv3 settings are unusable"},
        {"down", "agent_error", -1, "agent_error", "the agent answered with an error"},
        {"down", NULL, -1, "no_answer", "an old row without a reason"},
        {"unknown", NULL, -1, NULL, "not polled yet: nothing to say"},
        {"unknown", "timeout", 1, "icmp_only", "never answered SNMP, but pings"},
    };

    (void)state;
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        const char *got = inv_down_cause(cases[i].state, cases[i].reason, cases[i].icmp);
        if ((got == NULL) != (cases[i].want == NULL) ||
            (got && strcmp(got, cases[i].want) != 0))
            fail_msg("case %zu (%s): got %s, want %s", i, cases[i].why, got ? got : "NULL",
                     cases[i].want ? cases[i].want : "NULL");
    }
}

/* v11 -> v12: a device that answered before keeps its old start (the day it was added); one
 * that never answered gets none, so its time before an answer is not up */
static void test_upgrade(void **state)
{
    struct ww_db *db = NULL;
    char dir[] = "/tmp/wwoutageXXXXXX", *path, *cmd;

    (void)state;
    assert_non_null(mkdtemp(dir));
    path = ww_asprintf("%s/w.db", dir);
    assert_int_equal(ww_db_open(path, true, &db), 0);
    assert_int_equal(inv_migrate_to(db, 11), 0);
    assert_int_equal(ww_db_exec(db, "INSERT INTO device (id, name, kind, host, created_at)"
                                    " VALUES (1, 'a', 'pc', '192.0.2.1', 1700000000),"
                                    " (2, 'b', 'pc', '192.0.2.2', 1700000000);"
                                    "INSERT INTO device_status (device_id, state, last_poll,"
                                    " last_ok) VALUES (1, 'up', 1796000000, 1796000000),"
                                    " (2, 'down', 1796000000, NULL);"
                                    "INSERT INTO event (id, device_id, type, started_at)"
                                    " VALUES (5, 2, 'down', 1795000000);"),
                     0);
    assert_int_equal(inv_migrate(db), 0);
    assert_int_equal(inv_test_number(db, "SELECT first_ok FROM device_status WHERE device_id = 1"),
                     1700000000);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM device_status"
                                         " WHERE device_id = 2 AND first_ok IS NULL"),
                     1);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM event"
                                         " WHERE id = 5 AND acked_at IS NULL"),
                     1);
    ww_db_close(db);
    cmd = ww_asprintf("rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ack_and_notes, setup, inv_test_db_close),
        cmocka_unit_test_setup_teardown(test_first_answer, setup, inv_test_db_close),
        cmocka_unit_test(test_cause),
        cmocka_unit_test(test_upgrade),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

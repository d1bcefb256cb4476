/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_inventory.c - schema, device validation and CRUD, status transitions and events. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inventory/inventory.h"
#include "inv_test.h"

static long long add(struct ww_db *db, const char *name, const char *host, int expect)
{
    struct inv_device d;
    long long id = 0;
    inv_device_init(&d);
    d.name = (char *)name;
    d.host = (char *)host;
    d.kind = (char *)"switch";
    d.snmp_community = (char *)"s3cret";
    assert_int_equal(inv_device_add(db, &d, &id), expect);
    return id;
}

static void test_migrate_idempotent(void **state)
{
    struct ww_db *db = *state;
    int v = 0;
    assert_int_equal(inv_migrate(db), 0);
    assert_int_equal(ww_db_user_version(db, &v), 0);
    assert_int_equal(v, inv_schema_version());
}

static void test_device_validation(void **state)
{
    static const struct {
        const char *field, *value;
    } bad[] = {
        {"name", ""},          {"name", "bad\x01name"},   {"name", "\xff\xfe"},
        {"host", ""},          {"host", "a b"},           {"host", "-oProxyCommand=x"},
        {"host", "x;rm -rf"},  {"kind", "toaster"},       {"version", "4"},
        {"community", "has space"}, {"community", ""},    {"date", "2024-13-01"},
        {"date", "yesterday"},
    };
    struct ww_db *db = *state;
    for (size_t i = 0; i < WW_ARRAY_SIZE(bad); i++) {
        struct inv_device d;
        long long id = 0;
        inv_device_init(&d);
        d.name = (char *)"ok";
        d.host = (char *)"127.0.0.1";
        if (!strcmp(bad[i].field, "name"))
            d.name = (char *)bad[i].value;
        else if (!strcmp(bad[i].field, "host"))
            d.host = (char *)bad[i].value;
        else if (!strcmp(bad[i].field, "kind"))
            d.kind = (char *)bad[i].value;
        else if (!strcmp(bad[i].field, "version"))
            d.snmp_version = (char *)bad[i].value;
        else if (!strcmp(bad[i].field, "community"))
            d.snmp_community = (char *)bad[i].value;
        else
            d.purchase_date = (char *)bad[i].value;
        assert_int_equal(inv_device_add(db, &d, &id), -EINVAL);
    }
    struct inv_device_list l;
    assert_int_equal(inv_device_list(db, false, -1, 0, &l), 0);
    assert_int_equal(l.total, 0); /* nothing half-added */
    inv_device_list_release(&l);
}

/* the kinds a device may be: inv_device_kinds[], which the UI lists too */
static void test_device_kinds(void **state)
{
    struct ww_db *db = *state;
    const struct {
        const char *kind;
        int ret;
        const char *why;
    } cases[] = {
        {"nas", 0, "network storage (Synology, QNAP) is a kind of its own"},
        {"ups", 0, "an older kind stays"},
        {"other", 0, "the catch-all"},
        {"NAS", -EINVAL, "kinds are codes in lower case, not words"},
        {"storage", -EINVAL, "not a kind"},
    };
    bool listed = false;

    for (size_t i = 0; inv_device_kinds[i]; i++)
        listed = listed || strcmp(inv_device_kinds[i], "nas") == 0;
    assert_true(listed);
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct inv_device d, got;
        char host[32];
        long long id = 0;
        int ret;

        inv_device_init(&d);
        snprintf(host, sizeof(host), "192.0.2.%zu", i + 1);
        d.name = (char *)cases[i].kind;
        d.host = host;
        d.kind = (char *)cases[i].kind;
        ret = inv_device_add(db, &d, &id);
        if (ret != cases[i].ret)
            fail_msg("case %zu (%s): %d, expected %d", i, cases[i].why, ret, cases[i].ret);
        if (ret < 0)
            continue;
        assert_int_equal(inv_device_get(db, id, &got), 0);
        assert_string_equal(got.kind, cases[i].kind);
        inv_device_release(&got);
    }
}

static void test_device_crud(void **state)
{
    struct ww_db *db = *state;
    struct inv_device d;
    struct inv_device_list l;
    long long c0, c1, c2, c3;
    assert_int_equal(inv_device_changes(db, &c0), 0);
    /* Vietnamese names, stored and read back byte for byte */
    long long a = add(db, "Switch tầng 2 – Phường Bến Nghé", "127.0.0.2", 0);
    long long b = add(db, "<script>alert(1)</script>", "127.0.0.3", 0);
    add(db, "dup", "127.0.0.2", -EEXIST); /* same host and port */
    /* the change number moved with each added device, not with the refused one */
    assert_int_equal(inv_device_changes(db, &c1), 0);
    assert_int_equal(c1, c0 + 2);

    assert_int_equal(inv_device_get(db, a, &d), 0);
    assert_string_equal(d.name, "Switch tầng 2 – Phường Bến Nghé");
    assert_string_equal(d.state, "unknown");
    assert_string_equal(d.snmp_community, "s3cret");
    assert_int_equal(d.snmp_port, 161);
    free(d.model);
    d.model = ww_strdup("DES-3028");
    free(d.snmp_community);
    d.snmp_community = NULL; /* NULL keeps the stored secret */
    assert_int_equal(inv_device_update(db, &d), 0);
    inv_device_release(&d);
    assert_int_equal(inv_device_get(db, a, &d), 0);
    assert_string_equal(d.model, "DES-3028");
    assert_string_equal(d.snmp_community, "s3cret");
    inv_device_release(&d);
    assert_int_equal(inv_device_changes(db, &c2), 0);
    assert_true(c2 > c1); /* an update moves it too */

    assert_int_equal(inv_device_list(db, false, 1, 1, &l), 0);
    assert_int_equal(l.total, 2);
    assert_int_equal(l.n, 1);
    inv_device_list_release(&l);

    assert_int_equal(inv_device_changes(db, &c3), 0);
    assert_int_equal(c3, c2); /* reading changes nothing */
    assert_int_equal(inv_device_remove(db, b), 0);
    assert_int_equal(inv_device_changes(db, &c3), 0);
    assert_true(c3 > c2); /* and so does a removal */
    assert_int_equal(inv_device_remove(db, b), -ENOENT);
    assert_int_equal(inv_device_get(db, b, &d), -ENOENT);
    assert_int_equal(inv_device_remove(db, a), 0);
}

static long long count_events(struct ww_db *db, long long dev, const char *type, bool open)
{
    sqlite3_stmt *st = ww_db_prepare(db, "SELECT count(*) FROM event WHERE device_id=?1 AND"
                                         " type=?2 AND (?3 = 0 OR ended_at IS NULL)");
    long long n;
    sqlite3_bind_int64(st, 1, dev);
    sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, open);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static void test_status_events(void **state)
{
    struct ww_db *db = *state;
    long long id = add(db, "router", "127.0.0.9", 0);
    struct inv_poll_outcome ok = {.ok = true, .when = 1000, .uptime_ticks = 5000, .poll_ms = 3};
    struct inv_poll_outcome bad = {.ok = false, .when = 1060, .uptime_ticks = -1,
                                   .error = "no answer (timeout)"};
    struct inv_status s;
    bool changed = false;

    assert_int_equal(inv_status_apply(db, id, &ok, 2, 1, &changed), 0);
    assert_true(changed);
    assert_int_equal(inv_status_get(db, id, &s), 0);
    assert_string_equal(s.state, "up");
    assert_int_equal(s.uptime_ticks, 5000);
    assert_int_equal(count_events(db, id, "up", false), 0); /* unknown -> up is no recovery */

    /* down_after = 2: one failure is not yet down */
    assert_int_equal(inv_status_apply(db, id, &bad, 2, 1, &changed), 0);
    assert_false(changed);
    assert_int_equal(inv_status_get(db, id, &s), 0);
    assert_string_equal(s.state, "up");
    assert_int_equal(s.fail_count, 1);
    bad.when = 1120;
    assert_int_equal(inv_status_apply(db, id, &bad, 2, 1, &changed), 0);
    assert_true(changed);
    assert_int_equal(inv_status_get(db, id, &s), 0);
    assert_string_equal(s.state, "down");
    assert_int_equal(s.since, 1060); /* the outage began with the first failed poll */
    assert_int_equal(s.uptime_ticks, 5000); /* kept from the last good poll */
    assert_int_equal(count_events(db, id, "down", true), 1);
    /* still down: no second event */
    bad.when = 1180;
    assert_int_equal(inv_status_apply(db, id, &bad, 2, 1, &changed), 0);
    assert_false(changed);
    assert_int_equal(count_events(db, id, "down", false), 1);

    ok.when = 1240;
    ok.rebooted = true;
    ok.uptime_ticks = 4000;
    assert_int_equal(inv_status_apply(db, id, &ok, 2, 1, &changed), 0);
    assert_true(changed);
    assert_int_equal(count_events(db, id, "down", true), 0); /* closed */
    assert_int_equal(count_events(db, id, "up", false), 1);
    assert_int_equal(count_events(db, id, "reboot", false), 1);

    struct inv_event *ev = NULL;
    size_t n = 0;
    long long total = 0;
    assert_int_equal(inv_event_list(db, id, 10, 0, &ev, &n, &total), 0);
    assert_int_equal(total, 3);
    /* newest first: up and the closed down (started 1060, ended 1240) */
    bool saw_down = false;
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(ev[i].type, "down")) {
            saw_down = true;
            assert_int_equal(ev[i].started_at, 1060);
            assert_int_equal(ev[i].ended_at, 1240);
            assert_string_equal(ev[i].message, "no answer (timeout)");
        }
        if (!strcmp(ev[i].type, "reboot"))
            assert_int_equal(ev[i].started_at, 1240 - 40);
    }
    assert_true(saw_down);
    inv_event_list_free(ev, n);
    /* removing the device removes its status, events and facts (foreign keys) */
    assert_int_equal(inv_fact_set(db, id, "sysName", "r1", 1), 0);
    assert_int_equal(inv_device_remove(db, id), 0);
    assert_int_equal(count_events(db, id, "up", false), 0);
}

static void test_facts_interfaces(void **state)
{
    struct ww_db *db = *state;
    long long id = add(db, "sw", "127.0.0.10", 0), if_id = 0, if_id2 = 0;
    char *v = NULL;
    struct inv_interface ifc = {.device_id = id, .if_key = (char *)"Gi0/1", .if_index = 3,
                                .name = (char *)"Gi0/1", .in_octets = (char *)"18446744073709551615"};
    struct inv_interface *items = NULL;
    size_t n = 0;

    assert_int_equal(inv_fact_set(db, id, "sysDescr", "first", 100), 0);
    assert_int_equal(inv_fact_set(db, id, "sysDescr", "second", 200), 0);
    assert_int_equal(inv_fact_get(db, id, "sysDescr", &v), 0);
    assert_string_equal(v, "second");
    free(v);
    assert_int_equal(inv_fact_get(db, id, "nothing", &v), 0);
    assert_null(v);

    assert_int_equal(inv_interface_upsert(db, &ifc, 100, &if_id), 0);
    ifc.if_index = 7; /* renumbered after a reboot: same row, by key */
    assert_int_equal(inv_interface_upsert(db, &ifc, 200, &if_id2), 0);
    assert_int_equal(if_id, if_id2);
    assert_int_equal(inv_interface_list(db, id, &items, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(items[0].if_index, 7);
    assert_string_equal(items[0].in_octets, "18446744073709551615"); /* exact 64-bit */
    inv_interface_list_free(items, n);
    assert_int_equal(inv_device_remove(db, id), 0);
}

static void test_accounts(void **state)
{
    struct ww_db *db = *state;
    struct inv_user u;
    struct inv_session se;
    long long id = 0, n = 0;

    assert_int_equal(inv_user_add(db, "Bad Login", NULL, "admin", "h", &id), -EINVAL);
    assert_int_equal(inv_user_add(db, "lan.nguyen", "Nguyễn Thị Lan", "root", "h", &id), -EINVAL);
    assert_int_equal(inv_user_add(db, "lan.nguyen", "Nguyễn Thị Lan", "hr", "$argon2id$x", &id), 0);
    assert_int_equal(inv_user_add(db, "LAN.NGUYEN", NULL, "hr", "h", NULL), -EEXIST);
    assert_int_equal(inv_user_get_login(db, "Lan.Nguyen", &u), 0); /* case-insensitive */
    assert_string_equal(u.full_name, "Nguyễn Thị Lan");
    assert_string_equal(u.role, "hr");
    assert_string_equal(u.lang, "vi");
    inv_user_release(&u);

    assert_int_equal(inv_session_create(db, "aa11", id, "csrf1", 1000, "127.0.0.1"), 0);
    assert_int_equal(inv_session_lookup(db, "aa11", 1100, 1800, 43200, &se), 0);
    assert_int_equal(se.user_id, id);
    assert_string_equal(se.csrf_token, "csrf1");
    /* idle too long: gone for good */
    assert_int_equal(inv_session_lookup(db, "aa11", 1100 + 1801, 1800, 43200, &se), -ENOENT);
    assert_int_equal(inv_session_lookup(db, "aa11", 1101, 1800, 43200, &se), -ENOENT);
    /* absolute lifetime */
    assert_int_equal(inv_session_create(db, "bb22", id, "csrf2", 1000, NULL), 0);
    for (long long t = 1000; t < 1000 + 43200; t += 1700)
        assert_int_equal(inv_session_lookup(db, "bb22", t, 1800, 43200, &se), 0);
    assert_int_equal(inv_session_lookup(db, "bb22", 1000 + 43201, 1800, 43200, &se), -ENOENT);
    /* a password change or disabling ends every session */
    assert_int_equal(inv_session_create(db, "cc33", id, "c", 5000, NULL), 0);
    assert_int_equal(inv_user_set_password(db, id, "$argon2id$y"), 0);
    assert_int_equal(inv_session_lookup(db, "cc33", 5001, 1800, 43200, &se), -ENOENT);
    assert_int_equal(inv_session_create(db, "dd44", id, "c", 5000, NULL), 0);
    assert_int_equal(inv_user_set_enabled(db, id, false), 0);
    assert_int_equal(inv_session_lookup(db, "dd44", 5001, 1800, 43200, &se), -ENOENT);

    /* failed password checks: per pair and per address, counted after a time; a success
     * (pair clear) keeps the address's count; an unlock clears every pair of the login */
    long long fid = 0, at = 0, addrs = 0, until = 0;
    for (int i = 0; i < 3; i++)
        assert_int_equal(inv_auth_failure_add(db, "Lan.Nguyen", "10.0.0.1", 100 + i, &fid), 0);
    assert_int_equal(inv_auth_failure_add(db, "other", "10.0.0.1", 110, NULL), 0);
    assert_int_equal(inv_auth_failure_add(db, "lan.nguyen", "10.0.0.2", 120, NULL), 0);
    assert_int_equal(inv_auth_nth_failure(db, "LAN.NGUYEN", "10.0.0.1", 0, 3, &at), 0);
    assert_int_equal(at, 100);
    assert_int_equal(inv_auth_nth_failure(db, "lan.nguyen", "10.0.0.1", 0, 4, &at), -ENOENT);
    assert_int_equal(inv_auth_nth_failure(db, "lan.nguyen", "10.0.0.1", 100, 3, &at), -ENOENT);
    assert_int_equal(inv_auth_nth_failure(db, NULL, "10.0.0.1", 0, 4, &at), 0);
    assert_int_equal(at, 100);
    assert_int_equal(inv_auth_locked(db, "lan.nguyen", 0, 3, 900, &addrs, &until), 0);
    assert_int_equal(addrs, 1);
    assert_int_equal(until, 1000);
    assert_int_equal(inv_auth_pair_clear(db, "lan.nguyen", "10.0.0.1"), 0);
    assert_int_equal(inv_auth_nth_failure(db, "lan.nguyen", "10.0.0.1", 0, 1, &at), -ENOENT);
    assert_int_equal(inv_auth_nth_failure(db, NULL, "10.0.0.1", 0, 4, &at), 0);
    assert_int_equal(inv_auth_nth_failure(db, "lan.nguyen", "10.0.0.2", 0, 1, &at), 0);
    assert_int_equal(inv_auth_pair_clear(db, "lan.nguyen", NULL), 0);
    assert_int_equal(inv_auth_nth_failure(db, "lan.nguyen", "10.0.0.2", 0, 1, &at), -ENOENT);
    assert_int_equal(inv_auth_failure_forget(db, fid), 0);
    assert_int_equal(inv_auth_nth_failure(db, NULL, "10.0.0.1", 0, 4, &at), -ENOENT);
    assert_int_equal(inv_auth_prune(db, 115), 0);
    assert_int_equal(inv_auth_nth_failure(db, NULL, "10.0.0.1", 0, 1, &at), -ENOENT);
    assert_int_equal(inv_auth_nth_failure(db, NULL, "10.0.0.2", 0, 1, &at), 0);

    /* at most N sessions: the oldest go */
    assert_int_equal(inv_user_set_enabled(db, id, true), 0);
    for (int i = 0; i < 5; i++) {
        char tok[16];
        snprintf(tok, sizeof(tok), "tr%d", i);
        assert_int_equal(inv_session_create(db, tok, id, "c", 7000 + i, NULL), 0);
    }
    assert_int_equal(inv_session_trim(db, id, 3, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(inv_session_count(db, id, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(inv_session_lookup(db, "tr0", 7010, 1800, 43200, &se), -ENOENT);
    assert_int_equal(inv_session_lookup(db, "tr4", 7010, 1800, 43200, &se), 0);
    /* why: a session whose last use cannot be written (the database busy or full) is still
     * valid; a failed refresh once logged an admin out in the middle of the kill -9 battery */
    assert_int_equal(sqlite3_exec(db->sql, "PRAGMA query_only=1", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(inv_session_lookup(db, "tr4", 7200, 1800, 43200, &se), 0);
    assert_int_equal(sqlite3_exec(db->sql, "PRAGMA query_only=0", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(inv_session_lookup(db, "tr4", 7200, 1800, 43200, &se), 0);
    assert_int_equal(inv_user_set_enabled(db, id, false), 0);

    /* audit: snapshots never carry secrets; entries cannot be changed or removed */
    long long dev = add(db, "sw-audit", "127.0.0.77", 0);
    char *snap = NULL;
    assert_int_equal(inv_device_snapshot(db, dev, &snap), 0);
    assert_non_null(strstr(snap, "\"snmp_community\":\"set\""));
    assert_null(strstr(snap, "s3cret"));
    struct inv_actor who = {.user_id = id, .name = "lan.nguyen", .source = "api",
                            .remote_addr = "127.0.0.1"};
    assert_int_equal(inv_audit_add(db, &who, "device.add", "device", "1", NULL, snap), 0);
    free(snap);
    assert_int_equal(inv_user_snapshot(db, id, &snap), 0);
    assert_null(strstr(snap, "argon2id"));
    free(snap);
    assert_int_equal(ww_db_exec(db, "UPDATE audit_log SET actor='x'"), -EIO);
    assert_int_equal(ww_db_exec(db, "DELETE FROM audit_log"), -EIO);
    struct inv_audit *a = NULL;
    size_t na = 0;
    long long total = 0;
    struct inv_audit_filter f = {.action = "device."};
    assert_int_equal(inv_audit_list(db, &f, 10, 0, &a, &na, &total), 0);
    assert_int_equal(total, 1);
    assert_string_equal(a[0].actor, "lan.nguyen");
    assert_string_equal(a[0].action, "device.add");
    inv_audit_list_free(a, na);
    f.action = "user.";
    assert_int_equal(inv_audit_list(db, &f, 10, 0, &a, &na, &total), 0);
    assert_int_equal(total, 0);
    inv_audit_list_free(a, na);
}

/* a version-2 database with devices, facts, interfaces and events upgrades in place */
static void test_upgrade_from_v2(void **state)
{
    struct ww_db *db = NULL;
    char *path = ww_asprintf("%s/old.db", inv_test_dir);
    struct inv_device d;
    long long n = 0;
    sqlite3_stmt *st;

    assert_int_equal(ww_db_open(path, true, &db), 0);
    assert_int_equal(inv_migrate_to(db, 2), 0);
    assert_int_equal(ww_db_exec(db, "INSERT INTO device (id, name, host, snmp_community)"
                                    " VALUES (7, 'Switch tầng 2', '10.0.0.2', 'c0mm');"
                                    "INSERT INTO device_fact VALUES (7, 'sysName', 'sw2', 1, 2);"
                                    "INSERT INTO interface (device_id, if_key, first_seen,"
                                    " last_seen) VALUES (7, 'Gi0/1', 1, 2);"
                                    "INSERT INTO event (device_id, type, started_at)"
                                    " VALUES (7, 'down', 100);"),
                     0);
    assert_int_equal(inv_migrate(db), 0);
    assert_int_equal(inv_device_get(db, 7, &d), 0);
    assert_string_equal(d.name, "Switch tầng 2");
    assert_string_equal(d.snmp_community, "c0mm");
    assert_string_equal(d.sys_name, "sw2");
    inv_device_release(&d);
    st = ww_db_prepare(db, "SELECT (SELECT count(*) FROM interface WHERE device_id=7) +"
                           " (SELECT count(*) FROM event WHERE device_id=7)");
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    assert_int_equal(n, 2);
    /* foreign keys are on again and still cascade */
    assert_int_equal(inv_device_remove(db, 7), 0);
    st = ww_db_prepare(db, "SELECT count(*) FROM interface");
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int64(st, 0), 0);
    sqlite3_finalize(st);
    ww_db_close(db);
    free(path);
}

/* v9 rebuilds the device table without its copy of the kind list: rows (twins by name
 * too), parents, children, indexes and the change-number triggers all come through */
static void test_upgrade_from_v8(void **state)
{
    struct ww_db *db = NULL;
    char *path = ww_asprintf("%s/v8.db", inv_test_dir);
    struct inv_device d;
    long long before = 0, after = 0, id = 0;

    assert_int_equal(ww_db_open(path, true, &db), 0);
    assert_int_equal(inv_migrate_to(db, 8), 0);
    assert_int_equal(ww_db_exec(db, "INSERT INTO device (id, name, kind, host, snmp_version,"
                                    " v3_user, v3_level, v3_auth_proto, v3_auth_key, cost_vnd)"
                                    " VALUES (7, 'Switch tầng 2', 'switch', '10.0.0.2', '3',"
                                    " 'ops', 'authNoPriv', 'SHA', 'k3y-k3y-k3y', 5000000);"
                                    "INSERT INTO device (id, name, kind, host, parent_id)"
                                    " VALUES (8, 'SWITCH TẦNG 2', 'ap', '10.0.0.3', 7);"
                                    "INSERT INTO interface (device_id, if_key, first_seen,"
                                    " last_seen) VALUES (7, 'Gi0/1', 1, 2);"),
                     0);
    assert_int_equal(inv_migrate(db), 0);
    assert_int_equal(inv_device_get(db, 8, &d), 0);
    assert_string_equal(d.name, "SWITCH TẦNG 2"); /* twins of old are kept as they were */
    assert_int_equal(d.parent_id, 7);
    inv_device_release(&d);
    assert_int_equal(inv_device_get(db, 7, &d), 0);
    assert_string_equal(d.v3_auth_key, "k3y-k3y-k3y");
    assert_int_equal(d.cost_vnd, 5000000);
    inv_device_release(&d);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM sqlite_master WHERE tbl_name ="
                                    " 'device' AND name IN ('device_parent', 'device_name',"
                                    " 'device_added', 'device_changed', 'device_removed')"),
                     5);
    /* a nas can be stored now, and the change number still moves */
    assert_int_equal(inv_device_changes(db, &before), 0);
    inv_device_init(&d);
    d.name = (char *)"NAS Synology";
    d.host = (char *)"10.0.0.4";
    d.kind = (char *)"nas";
    assert_int_equal(inv_device_add(db, &d, &id), 0);
    assert_int_equal(inv_device_changes(db, &after), 0);
    assert_true(after > before);
    /* foreign keys still cascade (interface) and set null (a parent removed) */
    assert_int_equal(inv_device_remove(db, 7), 0);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM interface"), 0);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM device WHERE id = 8 AND"
                                    " parent_id IS NULL"),
                     1);
    ww_db_close(db);
    free(path);
}

static void test_v3_settings(void **state)
{
    struct ww_db *db = *state;
    struct inv_device d, got;
    long long id = 0;

    inv_device_init(&d);
    d.name = (char *)"v3 router";
    d.host = (char *)"127.0.0.50";
    d.snmp_version = (char *)"3";
    d.v3_user = (char *)"wwuser";
    d.v3_level = (char *)"authPriv";
    d.v3_auth_proto = (char *)"SHA-256";
    d.v3_auth_key = (char *)"short";
    d.v3_priv_proto = (char *)"AES-256";
    d.v3_priv_key = (char *)"privpass123";
    assert_int_equal(inv_device_add(db, &d, &id), -EINVAL); /* auth key under 8 */
    d.v3_auth_key = (char *)"authpass123";
    d.v3_priv_proto = (char *)"ROT13";
    assert_int_equal(inv_device_add(db, &d, &id), -EINVAL);
    d.v3_priv_proto = (char *)"AES-256";
    assert_int_equal(inv_device_add(db, &d, &id), 0);
    assert_int_equal(inv_device_get(db, id, &got), 0);
    assert_string_equal(got.v3_auth_proto, "SHA-256");
    assert_string_equal(got.v3_priv_key, "privpass123");
    /* an update without keys keeps them */
    free(got.v3_auth_key);
    got.v3_auth_key = NULL;
    free(got.v3_priv_key);
    got.v3_priv_key = NULL;
    assert_int_equal(inv_device_update(db, &got), 0);
    inv_device_release(&got);
    assert_int_equal(inv_device_get(db, id, &got), 0);
    assert_string_equal(got.v3_auth_key, "authpass123");
    assert_string_equal(got.v3_priv_key, "privpass123");
    inv_device_release(&got);
    char *snap = NULL;
    assert_int_equal(inv_device_snapshot(db, id, &snap), 0);
    assert_null(strstr(snap, "authpass123"));
    assert_null(strstr(snap, "privpass123"));
    free(snap);
}

/* the device list by pages: name then id order, the same rows as the whole list, the
 * status, facts, parent and "in maintenance" of each (one window for a device, one for
 * every device, past and future ones that do not count) */
static void test_device_list_pages(void **state)
{
    static const char *const names[] = {"b", "a", "c", "a", "B", "b", "", "a"};
    struct ww_db *db = *state;
    struct inv_device_list all, page;
    long long ids[WW_ARRAY_SIZE(names)];
    char host[32];
    size_t k = 0;

    /* twins sort by id: a database from before names were unique may hold them, so they are
     * named here behind inventory's back */
    for (size_t i = 0; i < WW_ARRAY_SIZE(names); i++) {
        char *twin;
        snprintf(host, sizeof(host), "127.0.1.%zu", i + 1);
        ids[i] = add(db, host, host, 0);
        twin = ww_asprintf("UPDATE device SET name = '%s' WHERE id = %lld",
                           names[i][0] ? names[i] : "z", ids[i]);
        assert_int_equal(ww_db_exec(db, twin), 0);
        free(twin);
    }
    assert_int_equal(inv_device_set_parent(db, ids[1], ids[0]), 0);
    char *sql = ww_asprintf(
        "UPDATE device SET enabled = 0 WHERE id = %lld;"
        "INSERT INTO device_status (device_id, state, since, cpu_pct) VALUES (%lld, 'down', 5,"
        " 12.5);"
        "INSERT INTO device_fact (device_id, name, value, first_seen, last_seen)"
        " VALUES (%lld, 'sysName', 'sw-a', 1, 1);"
        "INSERT INTO maintenance (name, device_id, starts_at, ends_at) VALUES"
        " ('now', %lld, unixepoch() - 60, unixepoch() + 60),"
        " ('past', %lld, unixepoch() - 600, unixepoch() - 60),"
        " ('later', %lld, unixepoch() + 60, unixepoch() + 600),"
        " ('all, past', NULL, unixepoch() - 600, unixepoch() - 60);",
        ids[2], ids[1], ids[1], ids[3], ids[4], ids[5]);
    assert_int_equal(ww_db_exec(db, sql), 0);
    free(sql);

    assert_int_equal(inv_device_list(db, false, -1, 0, &all), 0);
    assert_int_equal(inv_device_mark_maintenance(db, all.items, all.n, time(NULL)), 0);
    assert_int_equal(all.total, (long long)WW_ARRAY_SIZE(names));
    assert_int_equal(all.n, WW_ARRAY_SIZE(names));
    for (size_t i = 1; i < all.n; i++) {
        int c = strcmp(all.items[i - 1].name, all.items[i].name);
        assert_true(c < 0 || (c == 0 && all.items[i - 1].id < all.items[i].id));
    }
    /* "B" sorts before "a" (binary); the three "a" by id */
    assert_string_equal(all.items[0].name, "B");
    assert_int_equal(all.items[1].id, ids[1]);
    assert_int_equal(all.items[2].id, ids[3]);
    assert_int_equal(all.items[3].id, ids[7]);
    for (size_t i = 0; i < all.n; i++) {
        const struct inv_device *d = &all.items[i];
        assert_int_equal(d->in_maintenance, d->id == ids[3]);
        assert_int_equal(d->enabled, d->id != ids[2]);
        if (d->id == ids[1]) {
            assert_string_equal(d->state, "down");
            assert_int_equal(d->state_since, 5);
            assert_true(d->metrics.cpu_pct == 12.5);
            assert_string_equal(d->sys_name, "sw-a");
            assert_int_equal(d->parent_id, ids[0]);
            assert_string_equal(d->parent_name, "b");
        } else {
            assert_string_equal(d->state, "unknown");
            assert_null(d->sys_name);
            assert_null(d->parent_name);
        }
    }
    /* pages of 3 put together are the whole list */
    for (long long off = 0; off < 10; off += 3) {
        assert_int_equal(inv_device_list(db, false, 3, off, &page), 0);
        assert_int_equal(inv_device_mark_maintenance(db, page.items, page.n, time(NULL)), 0);
        assert_int_equal(page.total, all.total);
        for (size_t i = 0; i < page.n; i++, k++) {
            assert_int_equal(page.items[i].id, all.items[k].id);
            assert_int_equal(page.items[i].in_maintenance, all.items[k].in_maintenance);
        }
        inv_device_list_release(&page);
    }
    assert_int_equal(k, all.n);
    inv_device_list_release(&all);

    /* enabled only: the disabled one is neither counted nor listed */
    assert_int_equal(inv_device_list(db, true, 2, 5, &page), 0);
    assert_int_equal(page.total, (long long)WW_ARRAY_SIZE(names) - 1);
    assert_int_equal(page.n, 2);
    for (size_t i = 0; i < page.n; i++)
        assert_int_not_equal(page.items[i].id, ids[2]);
    inv_device_list_release(&page);

    /* a window for every device open now: all of them, in the list and one by one */
    assert_int_equal(ww_db_exec(db, "INSERT INTO maintenance (name, device_id, starts_at,"
                                    " ends_at) VALUES ('all', NULL, unixepoch() - 60,"
                                    " unixepoch() + 60)"),
                     0);
    assert_int_equal(inv_device_list(db, false, -1, 0, &all), 0);
    assert_int_equal(inv_device_mark_maintenance(db, all.items, all.n, time(NULL)), 0);
    for (size_t i = 0; i < all.n; i++) {
        struct inv_device d;
        assert_true(all.items[i].in_maintenance);
        assert_int_equal(inv_device_get(db, all.items[i].id, &d), 0);
        assert_int_equal(inv_device_mark_maintenance(db, &d, 1, time(NULL)), 0);
        assert_true(d.in_maintenance);
        inv_device_release(&d);
    }
    inv_device_list_release(&all);
}

/* the busiest links' interfaces: a speed (> 0), an enabled device, by interface id */
static void test_link_list(void **state)
{
    struct ww_db *db = *state;
    struct inv_link *links = NULL;
    size_t n = 99;
    long long a = add(db, "Bộ định tuyến", "127.0.2.1", 0);
    long long b = add(db, "off", "127.0.2.2", 0);
    char *sql = ww_asprintf(
        "UPDATE device SET enabled = 0 WHERE id = %lld;"
        "INSERT INTO interface (id, device_id, if_key, name, speed_bps, first_seen, last_seen)"
        " VALUES (7, %lld, 'ge-0/0/1', 'wan0', 1000000, 1, 1),"
        " (3, %lld, 'ifIndex.3', NULL, 100000000, 1, 1),"
        " (5, %lld, 'lo', 'lo', 0, 1, 1),"
        " (6, %lld, 'x', 'x', NULL, 1, 1),"
        " (4, %lld, 'eth0', 'eth0', 1000, 1, 1);",
        b, a, a, a, a, b);
    assert_int_equal(inv_link_list(db, &links, &n), 0);
    assert_int_equal(n, 0);
    assert_null(links);
    assert_int_equal(ww_db_exec(db, sql), 0);
    free(sql);
    assert_int_equal(inv_link_list(db, &links, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(links[0].interface_id, 3);
    assert_int_equal(links[0].device_id, a);
    assert_string_equal(links[0].device_name, "Bộ định tuyến");
    assert_string_equal(links[0].name, "ifIndex.3"); /* no name: its key */
    assert_int_equal(links[0].speed_bps, 100000000);
    assert_int_equal(links[1].interface_id, 7);
    assert_string_equal(links[1].name, "wan0");
    assert_int_equal(links[1].speed_bps, 1000000);
    inv_link_list_free(links, n);
}

/* a device added after another was removed never gets its id (nor, so, its rrd/<id>/
 * files); ids some folder still names are reserved too */
static void test_ids_never_reused(void **state)
{
    struct ww_db *db = *state;
    struct inv_device d;
    long long a = 0, b = 0, c = 0, e = 0;

    inv_device_init(&d);
    d.name = (char *)"PC kế toán";
    d.host = (char *)"10.0.0.21";
    assert_int_equal(inv_device_add(db, &d, &a), 0);
    assert_int_equal(inv_device_remove(db, a), 0);
    d.name = (char *)"Máy in tầng 1";
    assert_int_equal(inv_device_add(db, &d, &b), 0);
    assert_true(b > a); /* the last one removed: before v10 its id came again */
    assert_int_equal(inv_device_exists(db, a), -ENOENT);
    assert_int_equal(inv_device_exists(db, b), 0);
    /* rrd/40/ on disk: the next id is above it; a lower floor changes nothing */
    assert_int_equal(inv_device_reserve_ids(db, 40), 0);
    assert_int_equal(inv_device_reserve_ids(db, 3), 0);
    d.name = (char *)"Switch";
    d.host = (char *)"10.0.0.22";
    assert_int_equal(inv_device_add(db, &d, &c), 0);
    assert_int_equal(c, 41);
    d.name = (char *)"AP";
    d.host = (char *)"10.0.0.23";
    assert_int_equal(inv_device_add(db, &d, &e), 0);
    assert_int_equal(e, 42);
}

/* v10 rebuilds the device table with AUTOINCREMENT: rows, ids, parents, indexes, triggers
 * and the tables that cascade from it come through; the sequence starts above the ids left
 * and above those the audit log names (devices removed before the upgrade) */
static void test_upgrade_from_v9(void **state)
{
    struct ww_db *db = NULL;
    char *path = ww_asprintf("%s/v9.db", inv_test_dir);
    struct inv_device d;
    long long id = 0, before = 0, after = 0;

    assert_int_equal(ww_db_open(path, true, &db), 0);
    assert_int_equal(inv_migrate_to(db, 9), 0);
    assert_int_equal(ww_db_exec(db, "INSERT INTO device (id, name, kind, host, cost_vnd)"
                                    " VALUES (3, 'Router', 'router', '10.0.0.1', 9000000);"
                                    "INSERT INTO device (id, name, kind, host, parent_id)"
                                    " VALUES (5, 'Switch', 'switch', '10.0.0.2', 3);"
                                    "INSERT INTO interface (device_id, if_key, first_seen,"
                                    " last_seen) VALUES (5, 'Gi0/1', 1, 2);"
                                    "INSERT INTO device_status (device_id, state)"
                                    " VALUES (5, 'up');"
                                    /* devices 6 to 12 were added and removed */
                                    "INSERT INTO audit_log (at, actor, source, action,"
                                    " object_type, object_id) VALUES (1, 'admin', 'api',"
                                    " 'device.remove', 'device', '12'), (1, 'admin', 'api',"
                                    " 'user.add', 'user', '99'), (1, 'admin', 'api',"
                                    " 'device.add', 'device', 'x7');"),
                     0);
    assert_int_equal(inv_migrate(db), 0);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM sqlite_master WHERE sql LIKE"
                                    " '%AUTOINCREMENT%' AND name = 'device'"),
                     1);
    assert_int_equal(inv_device_get(db, 5, &d), 0);
    assert_int_equal(d.parent_id, 3);
    inv_device_release(&d);
    assert_int_equal(inv_device_get(db, 3, &d), 0);
    assert_int_equal(d.cost_vnd, 9000000);
    inv_device_release(&d);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM sqlite_master WHERE tbl_name ="
                                    " 'device' AND name IN ('device_parent', 'device_name',"
                                    " 'device_added', 'device_changed', 'device_removed')"),
                     5);
    assert_int_equal(inv_device_changes(db, &before), 0);
    inv_device_init(&d);
    d.name = (char *)"Máy in";
    d.host = (char *)"10.0.0.9";
    assert_int_equal(inv_device_add(db, &d, &id), 0);
    assert_int_equal(id, 13); /* above 12, which the audit log names */
    assert_int_equal(inv_device_changes(db, &after), 0);
    assert_true(after > before);
    /* foreign keys still cascade from the rebuilt table */
    assert_int_equal(inv_device_remove(db, 5), 0);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM interface"), 0);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM device_status"), 0);
    assert_int_equal(inv_test_number(db, "PRAGMA foreign_key_check"), -1);
    ww_db_close(db);
    free(path);
}

/* an empty v9 database gets its sequence row too, so that inv_device_reserve_ids() works */
static void test_upgrade_empty_v9(void **state)
{
    struct ww_db *db = NULL;
    char *path = ww_asprintf("%s/v9e.db", inv_test_dir);
    struct inv_device d;
    long long id = 0;

    assert_int_equal(ww_db_open(path, true, &db), 0);
    assert_int_equal(inv_migrate_to(db, 9), 0);
    assert_int_equal(inv_migrate(db), 0);
    assert_int_equal(inv_device_reserve_ids(db, 7), 0);
    inv_device_init(&d);
    d.name = (char *)"PC";
    d.host = (char *)"10.0.0.9";
    assert_int_equal(inv_device_add(db, &d, &id), 0);
    assert_int_equal(id, 8);
    ww_db_close(db);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        INV_TEST(test_migrate_idempotent),
        INV_TEST(test_device_validation),
        INV_TEST(test_device_kinds),
        INV_TEST(test_device_crud),
        INV_TEST(test_status_events),
        INV_TEST(test_facts_interfaces),
        INV_TEST(test_accounts),
        INV_TEST(test_upgrade_from_v2),
        INV_TEST(test_upgrade_from_v8),
        INV_TEST(test_upgrade_from_v9),
        INV_TEST(test_upgrade_empty_v9),
        INV_TEST(test_ids_never_reused),
        INV_TEST(test_v3_settings),
        INV_TEST(test_device_list_pages),
        INV_TEST(test_link_list),
    };
    ww_log_init("test_inventory", WW_LOG_ERR + 0);
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_change.c - the one audited-change path (inv_change_run) and refusals as data: a change
 * without an actor is refused before anything happens; a refused or failed change leaves
 * neither the change nor an audit entry; a refusal names a field and a reason code (never a
 * sentence) and is not logged as an error; every change moves the mark caches watch; no two
 * devices share a name as people read it (case, composition, surrounding spaces do not count),
 * while twins from before the rule stay editable.
 */
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

static const struct inv_actor officer = {7, "lan.nguyen", "api", "192.0.2.7"};

static void device_of(struct inv_device *d, const char *name, const char *host)
{
    inv_device_init(d);
    d->name = (char *)name;
    d->host = (char *)host;
    d->kind = (char *)"switch";
}

/* a change without an actor (or with one that names nobody) does nothing at all */
static void test_no_actor_refused(void **state)
{
    struct ww_db *db = *state;
    static const struct inv_actor nameless = {0, "", "cli", NULL};
    static const struct inv_actor sourceless = {0, "root", NULL, NULL};
    const struct {
        const struct inv_actor *actor;
        const char *why;
    } cases[] = {
        {NULL, "no actor at all"},
        {&nameless, "an actor without a name cannot be told apart in the audit log"},
        {&sourceless, "an actor without a source (api, cli, system)"},
    };

    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct inv_device d;
        struct inv_change ch = {.actor = cases[i].actor, .action = "device.add",
                                .object_type = "device", .apply = inv_apply_device_add,
                                .ctx = &d};
        device_of(&d, "Switch tầng 2", "192.0.2.2");
        if (inv_change_run(db, &ch) != -EPERM)
            fail_msg("case %zu (%s): not refused", i, cases[i].why);
        assert_null(ch.after);
    }
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM device"), 0);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log"), 0);
}

/* an add, a change and a removal: each with its audit entry, before and after, one mark */
static void test_audited_add_change_remove(void **state)
{
    struct ww_db *db = *state;
    struct inv_change_mark m0, m1, m2;
    struct inv_device d, e;
    struct inv_change add = {.actor = &officer, .action = "device.add", .object_type = "device",
                             .apply = inv_apply_device_add, .ctx = &d};
    struct inv_change upd = {.actor = &officer, .action = "device.change",
                             .object_type = "device", .apply = inv_apply_device_update,
                             .ctx = &e};
    struct inv_change rm = {.actor = &officer, .action = "device.remove",
                            .object_type = "device", .apply = inv_apply_device_remove};

    assert_int_equal(inv_change_mark(db, &m0), 0);
    device_of(&d, "Router UBND", "192.0.2.1");
    assert_int_equal(inv_change_run(db, &add), 0);
    assert_true(add.id > 0);
    assert_non_null(add.after);
    assert_non_null(strstr(add.after, "Router UBND"));
    assert_int_equal(inv_change_mark(db, &m1), 0);
    assert_true(m1.changes > m0.changes);

    device_of(&e, "Router UBND (mới)", "192.0.2.1");
    e.id = add.id;
    upd.id = add.id;
    assert_int_equal(inv_change_run(db, &upd), 0);
    assert_int_equal(inv_change_mark(db, &m2), 0);
    assert_true(m2.changes > m1.changes);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log"
                                         " WHERE action='device.change'"
                                         " AND actor='lan.nguyen' AND source='api'"
                                         " AND before_json LIKE '%Router UBND\"%'"
                                         " AND after_json LIKE '%(mới)%'"),
                     1);

    rm.id = add.id;
    assert_int_equal(inv_change_run(db, &rm), 0);
    assert_null(rm.after);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log"
                                         " WHERE action='device.remove'"
                                         " AND after_json IS NULL AND before_json IS NOT NULL"),
                     1);
    /* a record that is gone: -ENOENT, and no audit entry for it */
    assert_int_equal(inv_change_run(db, &rm), -ENOENT);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log"), 3);
    free(add.after);
    free(upd.after);
}

/* refusals as data: the field and reason code, nothing written, nothing logged as an error */
static void test_refusals_are_data(void **state)
{
    struct ww_db *db = *state;
    const struct {
        const char *name, *host, *community;
        long long port;
        int ret;
        const char *field, *reason, *why;
    } cases[] = {
        {"", "192.0.2.9", NULL, 161, -EINVAL, "name", "required", "a name is required"},
        {"A", "bad host!", NULL, 161, -EINVAL, "host", "not_host",
         "a host with a space and '!' cannot be an address"},
        {"A", "192.0.2.9", NULL, 0, -EINVAL, "snmp_port", "out_of_range", "port 0"},
        {"A", "192.0.2.9", "có dấu", 161, -EINVAL, "snmp_community", "not_printable",
         "a community is printable ASCII"},
        {"A\x01", "192.0.2.9", NULL, 161, -EINVAL, "name", "control_char",
         "control characters in a name"},
        {"Dup", "192.0.2.10", NULL, 161, -EEXIST, "host", "exists",
         "host and port already taken by the first device"},
    };
    struct inv_device first;
    struct inv_change ch0 = {.actor = &officer, .action = "device.add", .object_type = "device",
                             .apply = inv_apply_device_add, .ctx = &first};
    long long audits;

    device_of(&first, "First", "192.0.2.10");
    assert_int_equal(inv_change_run(db, &ch0), 0);
    free(ch0.after);
    audits = inv_test_number(db, "SELECT count(*) FROM audit_log");
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct inv_device d;
        struct inv_change ch = {.actor = &officer, .action = "device.add",
                                .object_type = "device", .apply = inv_apply_device_add,
                                .ctx = &d};
        int ret;

        device_of(&d, cases[i].name, cases[i].host);
        d.snmp_community = (char *)cases[i].community;
        d.snmp_port = cases[i].port;
        ww_clear_error();
        ret = inv_change_run(db, &ch);
        if (ret != cases[i].ret || strcmp(ch.why.field, cases[i].field) != 0 ||
            strcmp(ch.why.reason, cases[i].reason) != 0)
            fail_msg("case %zu (%s): %d %s/%s, expected %d %s/%s", i, cases[i].why, ret,
                     ch.why.field, ch.why.reason, cases[i].ret, cases[i].field,
                     cases[i].reason);
        if (*ww_last_error())
            fail_msg("case %zu (%s): a user's mistake was logged as an error: %s", i,
                     cases[i].why, ww_last_error());
        assert_null(ch.after);
    }
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM device"), 1);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log"), audits);
}

/* one change of device @id (0: an add) to @name through the audited path */
static int change_name(struct ww_db *db, long long id, const char *name, const char *host,
                       struct inv_refusal *out_why)
{
    struct inv_device d;
    struct inv_change ch = {.actor = &officer, .action = id ? "device.change" : "device.add",
                            .object_type = "device",
                            .apply = id ? inv_apply_device_update : inv_apply_device_add,
                            .ctx = &d, .id = id};
    int ret;

    device_of(&d, name, host);
    d.id = id;
    ww_clear_error();
    ret = inv_change_run(db, &ch);
    if (*ww_last_error())
        fail_msg("'%s': logged as an error: %s", name, ww_last_error());
    *out_why = ch.why;
    free(ch.after);
    return ret;
}

/* two devices never share a name as people read it: added or renamed, from any caller */
static void test_name_taken(void **state)
{
    struct ww_db *db = *state;
    struct inv_refusal why;
    long long printer = 0, sw = 0, other_id = -1;
    const struct {
        long long *id; /* NULL: an add */
        const char *name;
        int ret;
        const char *param; /* of a refusal: the device that has the name */
        const char *why;
    } cases[] = {
        {NULL, "Máy in tầng 2", -EEXIST, "#1 Máy in tầng 2", "the same name again"},
        {NULL, "máy in tầng 2", -EEXIST, "#1 Máy in tầng 2", "only the first letter's case"},
        {NULL, "MÁY IN TẦNG 2", -EEXIST, "#1 Máy in tầng 2", "capitals with diacritics"},
        {NULL, "Ma\xcc\x81y in t\xc3\xa2\xcc\x80ng 2", -EEXIST, "#1 Máy in tầng 2",
         "combining marks typed on another keyboard"},
        {NULL, "  Máy in tầng 2 ", -EEXIST, "#1 Máy in tầng 2", "surrounding spaces"},
        {NULL, "CORE-SW", -EEXIST, "#2 core-sw", "an ASCII name in capitals"},
        {NULL, "Máy in tầng 3", 0, NULL, "another floor: another name"},
        {NULL, "May in tang 2", 0, NULL, "without diacritics it is another name"},
        {&sw, "máy in TẦNG 2", -EEXIST, "#1 Máy in tầng 2", "renamed to a taken name"},
        {&sw, "core-sw", 0, NULL, "renamed to its own name"},
        {&sw, "Core-SW", 0, NULL, "its own name in other capitals"},
        {&sw, "Switch lõi", 0, NULL, "renamed to a free name"},
        {NULL, "core-sw", 0, NULL, "the old name is free once renamed"},
        {&printer, "Máy in tầng 2 ", 0, NULL, "its own name with a trailing space"},
    };
    long long audits;

    assert_int_equal(change_name(db, 0, "Máy in tầng 2", "192.0.2.20", &why), 0);
    assert_int_equal(change_name(db, 0, "core-sw", "192.0.2.21", &why), 0);
    printer = 1;
    sw = 2;
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        char host[32];
        long long id = cases[i].id ? *cases[i].id : 0;
        int ret;

        snprintf(host, sizeof(host), "192.0.2.%zu", id ? 20 + (size_t)id - 1 : 100 + i);
        audits = inv_test_number(db, "SELECT count(*) FROM audit_log");
        ret = change_name(db, id, cases[i].name, host, &why);
        if (ret != cases[i].ret)
            fail_msg("case %zu (%s): %d %s/%s, expected %d", i, cases[i].why, ret, why.field,
                     why.reason, cases[i].ret);
        if (cases[i].ret == 0) {
            assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log"), audits + 1);
            continue;
        }
        if (strcmp(why.field, "name") != 0 || strcmp(why.reason, "name_taken") != 0 ||
            strcmp(why.param, cases[i].param) != 0)
            fail_msg("case %zu (%s): refused as %s/%s '%s', expected name/name_taken '%s'", i,
                     cases[i].why, why.field, why.reason, why.param, cases[i].param);
        /* no trace */
        assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log"), audits);
    }
    assert_int_equal(inv_device_name_taken(db, "SWITCH LÕI", 0, &other_id), -EEXIST);
    assert_int_equal(other_id, sw);
    assert_int_equal(inv_device_name_taken(db, "switch lõi", sw, &other_id), 0);
    assert_int_equal(other_id, 0);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM device"), 5);
}

/* twins from before the rule: the database opens and each stays editable; only a rename
 * onto their name is refused */
static void test_name_twins_kept(void **state)
{
    struct ww_db *db = *state;
    struct inv_refusal why;
    struct inv_device d;
    struct inv_change ch = {.actor = &officer, .action = "device.change",
                            .object_type = "device", .apply = inv_apply_device_update,
                            .ctx = &d, .id = 2};

    assert_int_equal(ww_db_exec(db, "INSERT INTO device (id, name, kind, host) VALUES"
                                    " (1, 'UPS phòng máy', 'ups', '192.0.2.31'),"
                                    " (2, 'ups PHÒNG MÁY', 'ups', '192.0.2.32'),"
                                    " (3, 'NAS tầng 1', 'nas', '192.0.2.33')"),
                     0);
    assert_int_equal(inv_migrate(db), 0);
    assert_int_equal(inv_device_get(db, 2, &d), 0);
    free(d.model);
    d.model = ww_strdup("Smart-UPS 750");
    assert_int_equal(inv_change_run(db, &ch), 0); /* not a rename: accepted */
    free(ch.after);
    inv_device_release(&d);
    assert_int_equal(
        inv_test_number(db, "SELECT count(*) FROM device WHERE model = 'Smart-UPS 750'"), 1);
    assert_int_equal(change_name(db, 3, "Ups Phòng Máy", "192.0.2.33", &why), -EEXIST);
    assert_string_equal(why.reason, "name_taken");
    assert_string_equal(why.param, "#1 UPS phòng máy");
}

/* @apply's own check (a request's JSON type) fills ch->why; inventory's does not overwrite */
static int apply_own_refusal(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    ww_strlcpy(ch->why.field, "enabled", sizeof(ch->why.field));
    ww_strlcpy(ch->why.reason, "not_boolean", sizeof(ch->why.reason));
    return -EINVAL;
}

static void test_apply_refusal_kept(void **state)
{
    struct ww_db *db = *state;
    struct inv_change ch = {.actor = &officer, .action = "device.add", .object_type = "device",
                            .apply = apply_own_refusal};

    assert_int_equal(inv_change_run(db, &ch), -EINVAL);
    assert_string_equal(ch.why.field, "enabled");
    assert_string_equal(ch.why.reason, "not_boolean");
}

/* the last enabled admin cannot be disabled or demoted, by any caller */
static void test_last_admin(void **state)
{
    struct ww_db *db = *state;
    struct inv_user_new u = {"admin", "Quản trị", "admin", "$argon2id$x"};
    struct inv_change add = {.actor = &officer, .action = "user.add", .object_type = "user",
                             .audit_id = "admin", .apply = inv_apply_user_add, .ctx = &u};
    struct inv_user_edit off = {.enabled = 0};
    struct inv_user_edit demote = {.enabled = -1, .role = "viewer"};
    struct inv_change ch = {.actor = &officer, .action = "user.change", .object_type = "user",
                            .apply = inv_apply_user_edit};

    assert_int_equal(inv_change_run(db, &add), 0);
    free(add.after);
    ch.id = add.id;
    ch.ctx = &off;
    assert_int_equal(inv_change_run(db, &ch), -EINVAL);
    assert_string_equal(ch.why.reason, "last_admin");
    ch.ctx = &demote;
    assert_int_equal(inv_change_run(db, &ch), -EINVAL);
    assert_string_equal(ch.why.reason, "last_admin");
    assert_int_equal(
        inv_test_number(db, "SELECT count(*) FROM user WHERE role='admin' AND enabled"), 1);
    assert_int_equal(
        inv_test_number(db, "SELECT count(*) FROM audit_log WHERE action='user.change'"), 0);
}

/* every reason and field the tables name is a plain code (the i18n keys are built from it) */
static void test_tables_are_codes(void **state)
{
    const char *const *lists[] = {inv_refusal_reasons, inv_fields};
    for (size_t l = 0; l < WW_ARRAY_SIZE(lists); l++)
        for (size_t i = 0; lists[l][i]; i++) {
            const char *s = lists[l][i];
            assert_true(*s && strlen(s) < 32);
            assert_int_equal(strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_"), strlen(s));
            for (size_t k = 0; k < i; k++)
                if (strcmp(lists[l][k], s) == 0)
                    fail_msg("'%s' listed twice", s);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        INV_TEST(test_no_actor_refused),
        INV_TEST(test_audited_add_change_remove),
        INV_TEST(test_refusals_are_data),
        INV_TEST(test_name_taken),
        INV_TEST(test_name_twins_kept),
        INV_TEST(test_apply_refusal_kept),
        INV_TEST(test_last_admin),
        cmocka_unit_test(test_tables_are_codes),
    };
    ww_log_init("test_change", WW_LOG_WARN);
    return cmocka_run_group_tests(tests, NULL, NULL);
}

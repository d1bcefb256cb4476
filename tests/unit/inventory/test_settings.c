/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_settings.c - the Settings page's records: inv_settings_overlay() (a value in the
 * database wins over the file's; no row keeps the file's; a stored value the config refuses
 * is skipped), and a change through inv_change_run() with inv_apply_settings(): refused by
 * field, stored, removed with null, and an audit entry that never holds the secret.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "inv_test.h"

#define SECRET "mật-khẩu-bí-mật-42"

static const struct inv_actor admin = {1, "admin", "api", "192.0.2.1"};

/* one change of settings @items through the audited path; its result */
static int change(struct ww_db *db, const struct inv_setting_edit *items, size_t n,
                  struct inv_refusal *out_why)
{
    struct inv_settings_edit e = {.items = items, .n = n};
    struct inv_change ch = {.actor = &admin, .action = "settings.change",
                            .object_type = "settings", .key = "all", .may_be_new = true,
                            .apply = inv_apply_settings, .ctx = &e};
    int ret = inv_change_run(db, &ch);

    if (out_why)
        *out_why = ch.why;
    free(ch.after);
    return ret;
}

static void test_overlay(void **state)
{
    struct ww_db *db = *state;
    struct ww_config file, eff;
    unsigned from_db = 99;

    assert_int_equal(ww_config_load(NULL, &file), 0);
    assert_int_equal(ww_config_set(&file, "alerts", "smtp_from", "file@ubnd.example"), 0);
    assert_int_equal(ww_config_set(&file, "alerts", "smtp_url", "smtp://file.example"), 0);

    static const struct {
        const char *key, *value; /* a row written straight into the table */
        const char *name, *want; /* then this field of the overlay */
        bool from_db;
        const char *why;
    } cases[] = {
        {NULL, NULL, "smtp_from", "file@ubnd.example", false, "no row: the file's value"},
        {"alerts.smtp_from", "db@ubnd.example", "smtp_from", "db@ubnd.example", true,
         "a row wins over the file"},
        {"alerts.smtp_url", "", "smtp_url", "", true,
         "an empty row wins too: no mail server although the file names one"},
        {"availability.office_hours", "25:00-26:00", "office_hours", "07:30-11:30,13:30-17:00",
         false, "a stored value the config refuses is skipped: the file's (default) stays"},
        {"general.data_dir", "/tmp/x", "office_days", "mon-fri", false,
         "a key the page does not own is never applied"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct ww_setting_key *k = ww_setting_find(cases[i].name);
        size_t idx = (size_t)(k - ww_setting_keys);
        const char *got;
        if (cases[i].key)
            assert_int_equal(inv_setting_set(db, cases[i].key, cases[i].value), 0);
        ww_config_copy(&file, &eff);
        assert_int_equal(inv_settings_overlay(db, &eff, &from_db), 0);
        got = strcmp(cases[i].name, "smtp_from") == 0  ? eff.smtp_from
              : strcmp(cases[i].name, "smtp_url") == 0 ? eff.smtp_url
              : strcmp(cases[i].name, "office_hours") == 0 ? eff.office_hours
                                                           : eff.office_days;
        if (strcmp(got, cases[i].want) != 0 || !!(from_db & (1u << idx)) != cases[i].from_db)
            fail_msg("%s: %s is '%s' (from the database: %d)", cases[i].why, cases[i].name, got,
                     !!(from_db & (1u << idx)));
        assert_string_equal(eff.data_dir, file.data_dir);
        ww_config_release(&eff);
    }
    ww_config_release(&file);
}

static void test_change_audited(void **state)
{
    struct ww_db *db = *state;
    struct inv_refusal why;
    char *v = NULL;

    /* refused by field, nothing stored, no audit entry */
    const struct inv_setting_edit bad[] = {
        {ww_setting_find("smtp_url"), "smtp://ok.example"},
        {ww_setting_find("office_days"), "thu-hai"},
    };
    assert_int_equal(change(db, bad, 2, &why), -EINVAL);
    assert_string_equal(why.field, "office_days");
    assert_string_equal(why.reason, "not_days");
    assert_int_equal(inv_setting_get(db, "alerts.smtp_url", &v), -ENOENT);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log"), 0);

    /* a refused secret's value never goes into the refusal */
    const struct inv_setting_edit bad_secret[] = {{ww_setting_find("smtp_password"), "a\nb"}};
    assert_int_equal(change(db, bad_secret, 1, &why), -EINVAL);
    assert_string_equal(why.field, "smtp_password");
    assert_string_equal(why.param, "");

    const struct inv_setting_edit good[] = {
        {ww_setting_find("smtp_url"), "smtp://mail.example:587"},
        {ww_setting_find("smtp_password"), SECRET},
    };
    assert_int_equal(change(db, good, 2, NULL), 0);
    assert_int_equal(inv_setting_get(db, "alerts.smtp_password", &v), 0);
    assert_string_equal(v, SECRET); /* stored for the delivery */
    free(v);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log WHERE action="
                                         "'settings.change' AND object_type='settings'"),
                     1);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log WHERE after_json LIKE "
                                         "'%\"smtp_password\":\"set\"%' AND after_json LIKE "
                                         "'%smtp://mail.example:587%'"),
                     1);

    /* null removes the row: the file's value is back; the audit says it was "set" before */
    const struct inv_setting_edit clear[] = {{ww_setting_find("smtp_password"), NULL}};
    assert_int_equal(change(db, clear, 1, NULL), 0);
    assert_int_equal(inv_setting_get(db, "alerts.smtp_password", &v), -ENOENT);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log WHERE before_json LIKE "
                                         "'%\"smtp_password\":\"set\"%' AND after_json NOT LIKE "
                                         "'%smtp_password%'"),
                     1);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log WHERE before_json LIKE "
                                         "'%" SECRET "%' OR after_json LIKE '%" SECRET "%'"),
                     0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        INV_TEST(test_overlay),
        INV_TEST(test_change_audited),
    };
    ww_log_init("test_settings", WW_LOG_ERR);
    return cmocka_run_group_tests(tests, NULL, NULL);
}

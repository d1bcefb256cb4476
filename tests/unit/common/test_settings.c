/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_settings.c - the settings the dashboard may change (common/config.c): the table of
 * keys, ww_setting_check() of every kind of value (office hours and days through
 * common/officehours.c), and ww_config_copy() giving a copy that owns its strings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "common/common.h"

static void test_check(void **state)
{
    static const struct {
        const char *name, *value, *want; /* want NULL: accepted */
        const char *why;
    } cases[] = {
        {"smtp_url", "smtp://mail.example:587", NULL, "plain SMTP with a port"},
        {"smtp_url", "smtps://mail.example", NULL, "SMTP over TLS"},
        {"smtp_url", "", NULL, "empty: no mail server (a value that overrides the file's)"},
        {"smtp_url", "http://mail.example", "not_smtp_url", "a web address is no mail server"},
        {"smtp_url", "smtp://", "not_smtp_url", "a scheme without a host"},
        {"smtp_url", "smtp:///x", "not_smtp_url", "an empty host"},
        {"smtp_url", "smtp://a b", "not_smtp_url", "a space inside"},
        {"smtp_url", "smtp://a\nb", "control_char", "a line break would reach libcurl"},
        {"smtp_from", "canh-bao@ubnd.example", NULL, "one plain address"},
        {"smtp_from", "a@b,c@d", "not_email", "two addresses: From takes one"},
        {"smtp_from", "Cảnh báo <a@b>", "not_email", "a display name is not a plain address"},
        {"smtp_from", "ab.example", "not_email", "no @"},
        {"smtp_from", "a@", "not_email", "no domain"},
        {"smtp_user", "cán bộ", NULL, "a user name may be any text"},
        {"smtp_password", "p@ss wörd;<>", NULL, "a password may be any text"},
        {"smtp_password", "x\ry", "control_char", "but no control characters"},
        {"office_hours", "07:30-11:30,13:30-17:00", NULL, "the default"},
        {"office_hours", "13:30-17:00,07:30-11:30", "not_hours", "spans must ascend"},
        {"office_hours", "7h30-17h", "not_hours", "not HH:MM"},
        {"office_hours", "", "not_hours", "office hours cannot be empty"},
        {"office_days", "mon-sat", NULL, "a range of days"},
        {"office_days", "mon,wed,fri", NULL, "a list of days"},
        {"office_days", "thu-hai", "not_days", "Vietnamese names are not read"},
        {"dashboard_url", "https://giamsat.example/", NULL, "an https address"},
        {"dashboard_url", "", NULL, "empty: no links in alert texts"},
        {"dashboard_url", "ftp://x", "not_url", "not http(s)"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct ww_setting_key *k = ww_setting_find(cases[i].name);
        const char *got;
        assert_non_null(k);
        got = ww_setting_check(k, cases[i].value);
        if (!cases[i].want ? got != NULL : !got || strcmp(got, cases[i].want) != 0)
            fail_msg("%s = '%s' (%s): got %s, want %s", cases[i].name, cases[i].value,
                     cases[i].why, got ? got : "accepted",
                     cases[i].want ? cases[i].want : "accepted");
    }
    assert_string_equal(ww_setting_check(ww_setting_find("smtp_url"), NULL), "required");
}

static void test_keys(void **state)
{
    size_t secrets = 0;

    (void)state;
    /* each key is "section.name" of a key the config file knows, so the file's checks and
     * ww_config_set() apply to it; only the password is a secret */
    for (size_t i = 0; i < ww_setting_nkeys; i++) {
        const struct ww_setting_key *k = &ww_setting_keys[i];
        char *want = ww_asprintf("%s.%s", k->section, k->name);
        struct ww_config cfg;
        assert_string_equal(k->key, want);
        assert_ptr_equal(ww_setting_find(k->key), k);
        assert_ptr_equal(ww_setting_find(k->name), k);
        assert_int_equal(ww_config_load(NULL, &cfg), 0);
        assert_int_equal(ww_config_set(&cfg, k->section, k->name,
                                       strcmp(k->name, "office_hours") == 0  ? "08:00-12:00"
                                       : strcmp(k->name, "office_days") == 0 ? "mon-fri"
                                                                             : ""),
                         0);
        ww_config_release(&cfg);
        secrets += k->secret;
        free(want);
    }
    assert_int_equal(secrets, 1);
    assert_true(ww_setting_find("smtp_password")->secret);
    assert_null(ww_setting_find("data_dir"));
    assert_null(ww_setting_find(NULL));
}

static void test_copy(void **state)
{
    struct ww_config a, b;

    (void)state;
    assert_int_equal(ww_config_load(NULL, &a), 0);
    assert_int_equal(ww_config_set(&a, "alerts", "smtp_url", "smtp://a.example"), 0);
    ww_config_copy(&a, &b);
    assert_string_equal(b.smtp_url, "smtp://a.example");
    assert_ptr_not_equal(b.smtp_url, a.smtp_url);
    assert_int_equal(b.poll_interval, a.poll_interval);
    /* the copy owns its strings: changing or releasing one leaves the other whole */
    assert_int_equal(ww_config_set(&b, "alerts", "smtp_url", "smtp://b.example"), 0);
    assert_string_equal(a.smtp_url, "smtp://a.example");
    ww_config_release(&b);
    assert_string_equal(a.office_days, "mon-fri");
    ww_config_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_copy),
    };
    ww_log_init("test_settings", WW_LOG_ERR);
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_check.c - active checks (schema v19, inventory/check.c): what a check may be (a table
 * of cases, each with its why: kinds, targets as a device's host, URLs only http/https and
 * without credentials, ports, expected text, intervals), the audited add/change/remove
 * through inv_change_run(), and the state row with its history of changes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inventory/inventory.h"
#include "inv_test.h"

#define OK_CHECK(kind, target, port) {0, "Cổng dịch vụ công", kind, target, port, NULL, 60, 2000, 0, true}

static void test_validate(void **state)
{
    (void)state;
    static char long_url[INV_CHECK_URL_MAX + 20];
    memset(long_url, 'a', sizeof(long_url) - 1);
    memcpy(long_url, "https://a/", 10);
    const struct {
        struct inv_check c;
        const char *field, *reason; /* NULL: accepted */
        const char *why;
    } cases[] = {
        {OK_CHECK("icmp", "192.168.1.1", 0), NULL, NULL, "an IPv4 gateway"},
        {OK_CHECK("icmp", "2001:db8::1", 0), NULL, NULL, "an IPv6 address"},
        {OK_CHECK("dns", "dichvucong.gov.vn", 0), NULL, NULL, "a name to resolve"},
        {OK_CHECK("tcp", "10.0.0.5", 443), NULL, NULL, "a TCP port"},
        {OK_CHECK("http", "https://dichvucong.gov.vn/p/home", 0), NULL, NULL, "a portal"},
        {OK_CHECK("http", "http://[2001:db8::1]:8080/x", 0), NULL, NULL, "an IPv6 URL"},
        {{0, "", "icmp", "1.2.3.4", 0, NULL, 60, 2000, 0, true}, "name", "required",
         "a check needs a name"},
        {OK_CHECK("ping", "1.2.3.4", 0), "kind", "not_one_of", "only the four kinds"},
        {OK_CHECK(NULL, "1.2.3.4", 0), "kind", "not_one_of", "no kind"},
        {OK_CHECK("icmp", "", 0), "target", "required", "no target"},
        {OK_CHECK("icmp", "-oProxy", 0), "target", "not_host", "an option is no host"},
        {OK_CHECK("icmp", "a b", 0), "target", "not_host", "a space is no host"},
        {OK_CHECK("dns", "x;rm -rf", 0), "target", "not_host", "shell text is no host"},
        {OK_CHECK("icmp", "http://x/", 0), "target", "not_host", "a URL is not a host"},
        {OK_CHECK("http", "ftp://x/", 0), "target", "not_url", "only http and https"},
        {OK_CHECK("http", "file:///etc/passwd", 0), "target", "not_url", "no local files"},
        {OK_CHECK("http", "gopher://x/", 0), "target", "not_url", "only http and https"},
        {OK_CHECK("http", "https://user:pw@x/", 0), "target", "url_credentials",
         "a password would be stored and shown"},
        {OK_CHECK("http", "https://tok@x/", 0), "target", "url_credentials",
         "a user part is credentials too"},
        {OK_CHECK("http", "https:///x", 0), "target", "not_url", "no host"},
        {OK_CHECK("http", "https://x/a b", 0), "target", "not_url", "a space in a URL"},
        {OK_CHECK("http", "https://-x/", 0), "target", "not_host", "the URL's host as a device's"},
        {OK_CHECK("http", long_url, 0), "target", "too_long", "a bounded URL"},
        {OK_CHECK("tcp", "10.0.0.5", 0), "port", "required", "TCP needs a port"},
        {OK_CHECK("tcp", "10.0.0.5", 65536), "port", "out_of_range", "ports end at 65535"},
        {OK_CHECK("icmp", "10.0.0.5", 80), "port", "not_allowed", "ICMP has no port"},
        {OK_CHECK("http", "https://x/", 443), "port", "not_allowed", "the URL has the port"},
        {{0, "n", "http", "https://x/", 0, "Đăng nhập", 60, 2000, 0, true}, NULL, NULL,
         "expected text in Vietnamese"},
        {{0, "n", "tcp", "x", 80, "OK", 60, 2000, 0, true}, "expect", "not_allowed",
         "only HTTP has a body"},
        {{0, "n", "http", "https://x/", 0, "a\nb", 60, 2000, 0, true}, "expect",
         "control_char", "text people type"},
        {{0, "n", "icmp", "x", 0, NULL, 5, 2000, 0, true}, "interval_s", "out_of_range",
         "not more often than every 10 s"},
        {{0, "n", "icmp", "x", 0, NULL, 60, 50, 0, true}, "timeout_ms", "out_of_range",
         "a time-out too short to mean anything"},
        {{0, "n", "icmp", "x", 0, NULL, 10, 10000, 0, true}, "timeout_ms", "out_of_range",
         "a time-out as long as the interval"},
        {{0, "n", "icmp", "x", 0, NULL, 60, 2000, -3, true}, "device_id", "not_id",
         "a negative device"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct inv_refusal why;
        int ret;

        inv_refusal_clear();
        ret = inv_check_validate(&cases[i].c);
        inv_refusal_last(&why);
        if (!cases[i].field) {
            if (ret != 0)
                fail_msg("case %zu (%s): refused %s %s", i, cases[i].why, why.field, why.reason);
            continue;
        }
        if (ret != -EINVAL || strcmp(why.field, cases[i].field) != 0 ||
            strcmp(why.reason, cases[i].reason) != 0)
            fail_msg("case %zu (%s): got %d %s %s, want %s %s", i, cases[i].why, ret, why.field,
                     why.reason, cases[i].field, cases[i].reason);
    }
}

static int run(struct ww_db *db, const char *action, long long id,
               int (*apply)(struct ww_db *, void *, struct inv_change *), void *ctx,
               long long *out_id)
{
    const struct inv_actor actor = {1, "admin", "cli", NULL};
    struct inv_change ch = {.actor = &actor, .action = action, .object_type = "check",
                            .id = id, .apply = apply, .ctx = ctx};
    int ret = inv_change_run(db, &ch);

    free(ch.after);
    if (out_id)
        *out_id = ch.id;
    return ret;
}

static void test_records_and_state(void **state)
{
    struct ww_db *db = *state;
    long long dev = inv_test_add_pc(db, "Máy chủ một cửa", "192.168.1.20");
    struct inv_check c = {0, "Máy chủ", "icmp", "192.168.1.20", 0, NULL, 60, 2000, dev, true};
    struct inv_check_row *rows = NULL;
    size_t n = 0;
    long long id = 0, id2 = 0;
    bool changed = true;

    assert_int_equal(run(db, "check.add", 0, inv_apply_check_add, &c, &id), 0);
    assert_true(id > 0);
    c.device_id = 9999;
    c.name = "Khác";
    assert_int_equal(run(db, "check.add", 0, inv_apply_check_add, &c, NULL), -EINVAL);
    c.device_id = 0;
    c.name = "Máy chủ";
    assert_int_equal(run(db, "check.add", 0, inv_apply_check_add, &c, NULL), -EEXIST);
    struct inv_check web = {0, "Cổng", "http", "https://x.example/", 0, "<b>OK</b>", 60, 5000,
                            0, true};
    assert_int_equal(run(db, "check.add", 0, inv_apply_check_add, &web, &id2), 0);
    web.enabled = false;
    assert_int_equal(run(db, "check.change", id2, inv_apply_check_update, &web, NULL), 0);
    assert_int_equal(inv_check_rows(db, false, &rows, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].c.target, "192.168.1.20");
    assert_int_equal(rows[0].c.device_id, dev);
    inv_check_rows_free(rows, n);
    assert_int_equal(inv_check_rows(db, true, &rows, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(rows[1].c.expect, "<b>OK</b>");
    inv_check_rows_free(rows, n);

    /* the state: unknown -> up is no change; up -> down and down -> up are */
    const struct {
        bool up;
        long long at;
        bool changed;
        const char *why;
    } steps[] = {
        {true, 1000, false, "a first good result is no news"},
        {true, 1060, false, "still up"},
        {false, 1120, true, "up to down"},
        {false, 1180, false, "still down"},
        {true, 1240, true, "down to up"},
    };
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        struct inv_check_result r = {id, steps[i].at, steps[i].up, 1.5, 0, NAN, 0, INT_MIN,
                                     steps[i].up ? NULL : "timeout"};
        assert_int_equal(inv_check_record(db, &r, &changed), 0);
        if (changed != steps[i].changed)
            fail_msg("step %zu (%s): changed %d", i, steps[i].why, changed);
    }
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM probe_check_history"), 2);
    /* the check has a device: its changes are device events, the outage closed */
    assert_int_equal(inv_test_number(db, "SELECT ended_at FROM event WHERE type = 'check_down'"),
                     1240);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM event WHERE type = 'check_up'"
                                         " AND started_at = 1240 AND reason = 'check_up'"), 1);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM event WHERE type = 'check_down'"
                                         " AND json_extract(params, '$.why') = 'timeout'"), 1);
    assert_int_equal(inv_test_number(db, "SELECT since FROM probe_check_state"
                                         " WHERE check_id = 1"), 1240);
    struct inv_check_result gone = {12345, 1, true, NAN, NAN, NAN, 0, INT_MIN, NULL};
    assert_int_equal(inv_check_record(db, &gone, NULL), -ENOENT);

    /* audited: three changes made, the refused ones not */
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM audit_log"
                                         " WHERE object_type = 'check'"), 2 + 1);

    /* a check that stops speaking for its device while down leaves no outage open for
     * ever: moved to another device, disabled, removed (each closes it, state unknown) */
    {
        long long dev2 = inv_test_add_pc(db, "Máy một cửa 2", "192.168.1.21");
        struct inv_check_result down = {id, 1300, false, NAN, 100, NAN, 0, INT_MIN, "timeout"};
        const char *open_sql = "SELECT count(*) FROM event WHERE type = 'check_down'"
                               " AND ended_at IS NULL";

        assert_int_equal(inv_check_record(db, &down, NULL), 0);
        assert_int_equal(inv_test_number(db, open_sql), 1);
        c.device_id = dev2;
        assert_int_equal(run(db, "check.change", id, inv_apply_check_update, &c, NULL), 0);
        assert_int_equal(inv_test_number(db, open_sql), 0); /* why: moved to dev2 */
        assert_int_equal(inv_test_number(db, "SELECT count(*) FROM probe_check_state"
                                             " WHERE check_id = 1 AND state = 'unknown'"), 1);
        down.at = 1400;
        assert_int_equal(inv_check_record(db, &down, NULL), 0);
        assert_int_equal(inv_test_number(db, open_sql), 1);
        c.enabled = false;
        assert_int_equal(run(db, "check.change", id, inv_apply_check_update, &c, NULL), 0);
        assert_int_equal(inv_test_number(db, open_sql), 0); /* why: disabled, never runs */
        c.enabled = true;
        assert_int_equal(run(db, "check.change", id, inv_apply_check_update, &c, NULL), 0);
        down.at = 1500;
        assert_int_equal(inv_check_record(db, &down, NULL), 0);
        assert_int_equal(inv_test_number(db, open_sql), 1);
    }
    assert_int_equal(run(db, "check.remove", id, inv_apply_check_remove, NULL, NULL), 0);
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM event WHERE type = 'check_down'"
                                         " AND ended_at IS NULL"), 0); /* why: removed */
    assert_int_equal(inv_test_number(db, "SELECT count(*) FROM probe_check_history"), 0);
    assert_int_equal(run(db, "check.remove", id, inv_apply_check_remove, NULL, NULL), -ENOENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_validate),
        cmocka_unit_test_setup_teardown(test_records_and_state, inv_test_db_open,
                                        inv_test_db_close),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_auth.c - the pieces of auth.c and csv.c that need no database: the permission table
 * against PERMISSIONS.md, tokens, their hash, constant-time comparison, the login throttle,
 * the password rules and hashing, and spreadsheet-formula neutralising in CSV cells.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "dashboard/dashboard_int.h"

#include "common/banned.h"

/* PERMISSIONS.md, row by row: admin it manager hr viewer */
static const struct {
    const char *perm;
    bool admin, it, manager, hr, viewer;
} perm_matrix[] = {
    {"overview.read", true, true, true, true, true},
    {"device.write", true, true, false, false, false},
    {"records.read", true, true, true, false, false},    /* a device's repairs */
    {"assignment.read", true, true, true, true, false}, /* assignments, handover records */
    {"reports.read", true, true, true, false, false},    /* the manager's reports */
    {"probe.read", true, true, false, false, false},     /* unknown devices (issue 18) */
    {"units.write", true, false, true, false, false},    /* org units, mergers, locations */
    {"user.admin", true, false, false, false, false},
    {"audit.read", true, false, false, false, false},
    {"self", true, true, true, true, true},
    /* staff training (issue 17): personal data, Decree 13/2023 */
    {"training.read", true, false, true, true, false},  /* names and unit summaries */
    {"staff.read", true, false, false, true, false},    /* a person's full record */
    {"training.write", true, false, false, true, false},
    {"plan.read", true, true, true, false, false},     /* the replacement plan */
    {"plan.write", true, false, true, false, false},   /* its prices, budgets, pins */
    /* later issues; nobody holds them yet */
    {"alert.write", false, false, false, false, false},
    {"", false, false, false, false, false},
    {"Overview.read", false, false, false, false, false},
};

static void test_role_has(void **state)
{
    static const char *const roles[] = {"admin", "it", "manager", "hr", "viewer"};

    for (size_t i = 0; i < WW_ARRAY_SIZE(perm_matrix); i++) {
        const bool want[] = {perm_matrix[i].admin, perm_matrix[i].it, perm_matrix[i].manager,
                             perm_matrix[i].hr, perm_matrix[i].viewer};
        for (size_t r = 0; r < WW_ARRAY_SIZE(roles); r++)
            if (dash_role_has(roles[r], perm_matrix[i].perm) != want[r])
                fail_msg("role %s, permission '%s': %d, expected %d", roles[r],
                         perm_matrix[i].perm, !want[r], want[r]);
    }
    /* no such role, or none at all, holds nothing */
    static const char *const nobody[] = {"root", "Admin", "ADMIN", "", "admin ", "it,admin"};
    for (size_t k = 0; k < WW_ARRAY_SIZE(nobody); k++)
        for (size_t i = 0; i < WW_ARRAY_SIZE(perm_matrix); i++)
            if (dash_role_has(nobody[k], perm_matrix[i].perm))
                fail_msg("role '%s' holds '%s'", nobody[k], perm_matrix[i].perm);
    assert_false(dash_role_has(NULL, "self"));
    assert_false(dash_role_has("admin", NULL));
}

static void test_role_perms(void **state)
{
    static const struct {
        const char *role, *want;
    } cases[] = {
        {"admin", "[\"overview.read\",\"device.write\",\"records.read\",\"assignment.read\",\"reports.read\",\"probe.read\",\"uptime.edit\",\"units.write\",\"user.admin\",\"audit.read\",\"settings.admin\",\"training.read\",\"training.write\",\"staff.read\",\"plan.read\",\"plan.write\",\"self\"]"},
        {"it", "[\"overview.read\",\"device.write\",\"records.read\",\"assignment.read\",\"reports.read\",\"probe.read\",\"uptime.edit\",\"plan.read\",\"self\"]"},
        {"manager", "[\"overview.read\",\"records.read\",\"assignment.read\",\"reports.read\",\"units.write\",\"training.read\",\"plan.read\",\"plan.write\",\"self\"]"},
        {"hr", "[\"overview.read\",\"assignment.read\",\"training.read\",\"training.write\",\"staff.read\",\"self\"]"},
        {"viewer", "[\"overview.read\",\"self\"]"},
        {"root", "[]"},
    };
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        json_t *a = dash_role_perms(cases[i].role);
        char *text = json_dumps(a, JSON_COMPACT);
        if (strcmp(text, cases[i].want) != 0)
            fail_msg("%s: %s, expected %s", cases[i].role, text, cases[i].want);
        free(text);
        json_decref(a);
    }
}

static void test_tokens(void **state)
{
    char a[DASH_TOKEN_LEN + 1], b[DASH_TOKEN_LEN + 1], small[10];

    assert_int_equal(dash_crypto_init(), 0);
    dash_token_new(a);
    dash_token_new(b);
    assert_int_equal(strlen(a), DASH_TOKEN_LEN);
    assert_true(dash_token_well_formed(a));
    assert_true(dash_token_well_formed(b));
    assert_string_not_equal(a, b);
    /* dash_token_random() truncates safely to the buffer */
    dash_token_random(small, sizeof(small));
    assert_int_equal(strlen(small), sizeof(small) - 1);
}

static void test_token_well_formed(void **state)
{
    static const struct {
        const char *token;
        bool ok;
    } cases[] = {
        {"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", true},
        {"abcdefghijklmnopqrstuvwxyz0123456789-_ABCD", false}, /* 42 */
        {"abcdefghijklmnopqrstuvwxyz0123456789-_ABCDE", true},
        {"abcdefghijklmnopqrstuvwxyz0123456789-_ABCDEF", false}, /* 44 */
        {"abcdefghijklmnopqrstuvwxyz0123456789+/ABCDE", false},  /* standard base64 */
        {"abcdefghijklmnopqrstuvwxyz0123456789-_ABCD=", false},
        {"abcdefghijklmnopqrstuvwxyz0123456789-_ABC E", false},
        {"abcdefghijklmnopqrstuvwxyz0123456789-_ABC;E", false},
        {"abcdefghijklmnopqrstuvwxyz0123456789-_ABC\xc3\xa9", false},
        {"", false},
        {NULL, false},
    };
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++)
        if (dash_token_well_formed(cases[i].token) != cases[i].ok)
            fail_msg("case %zu '%s': expected %d", i, cases[i].token ? cases[i].token : "(null)",
                     cases[i].ok);
}

static void test_token_hash(void **state)
{
    static const struct {
        const char *in, *hex; /* hashlib.blake2b(in, digest_size=32).hexdigest() */
    } cases[] = {
        {"abc", "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"},
        {"", "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"},
    };
    char out[65];

    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        memset(out, 'x', sizeof(out));
        dash_token_hash(cases[i].in, out);
        assert_string_equal(out, cases[i].hex);
    }
}

static void test_secret_equal(void **state)
{
    static const struct {
        const char *a, *b;
        bool equal;
    } cases[] = {
        {"same-token", "same-token", true},
        {"same-token", "same-tokeN", false},
        {"same-token", "same-token ", false},
        {"same-token", "same", false},
        {"", "", false}, /* an empty CSRF header never matches */
        {NULL, NULL, false},
        {NULL, "x", false},
        {"x", NULL, false},
        {"", "x", false},
    };
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++)
        if (dash_secret_equal(cases[i].a, cases[i].b) != cases[i].equal)
            fail_msg("case %zu: expected %d", i, cases[i].equal);
}

static void test_throttle(void **state)
{
    const long long now = 1795000000;
    static const struct {
        long long ago, wait; /* ago -1: no failure reached a limit */
    } cases[] = {
        {-1, 0}, {0, 900}, {1, 899}, {600, 300}, {899, 1}, {900, 0}, {5000, 0},
    };
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        long long at = cases[i].ago < 0 ? 0 : now - cases[i].ago;
        long long w = dash_throttle_wait(at, now);
        if (w != cases[i].wait)
            fail_msg("limit reached %lld s ago: wait %lld, expected %lld", cases[i].ago, w,
                     cases[i].wait);
    }
}

/* the hash gate: DASH_HASH_SLOTS run, DASH_HASH_WAITERS wait, the next is refused at once */
static void *gate_waiter(void *arg)
{
    int *ret = arg;
    *ret = dash_hash_enter();
    if (*ret == 0)
        dash_hash_leave();
    return NULL;
}

static void test_hash_gate(void **state)
{
    pthread_t th[DASH_HASH_WAITERS + 1];
    int rets[DASH_HASH_WAITERS + 1];
    struct timespec pause = {0, 200 * 1000000L};

    assert_int_equal(DASH_HASH_SLOTS, 1);
    assert_int_equal(dash_hash_enter(), 0);
    for (int i = 0; i < DASH_HASH_WAITERS; i++) {
        rets[i] = 1;
        assert_int_equal(pthread_create(&th[i], NULL, gate_waiter, &rets[i]), 0);
    }
    nanosleep(&pause, NULL); /* the waiters are waiting */
    assert_int_equal(dash_hash_enter(), -EBUSY);
    dash_hash_leave();
    for (int i = 0; i < DASH_HASH_WAITERS; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(rets[i], 0);
    }
    assert_int_equal(dash_hash_enter(), 0);
    dash_hash_leave();
}

static void test_password_policy(void **state)
{
    static const struct {
        const char *login, *password, *why; /* why NULL = accepted */
    } cases[] = {
        {"lan", "0123456789", NULL},
        {"lan", "012345678", "password_too_short"},
        {"lan", "", "password_too_short"},
        {"lan", NULL, "password_too_short"},
        {"nguyenvanlan", "nguyenvanlan", "password_is_login"},
        {"nguyenvanlan", "NguyenVanLan", "password_is_login"},
        {"lan", "mật khẩu dài đủ", NULL},
        {"lan", "0123456789\xff", "password_not_utf8"},
        {NULL, "0123456789", NULL},
    };
    char long_pw[DASH_PASSWORD_MAX + 2];
    const char *why = "unset";

    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        int ret = dash_password_policy(cases[i].login, cases[i].password, &why);
        if ((ret == 0) != (cases[i].why == NULL))
            fail_msg("case %zu: returned %d", i, ret);
        if (cases[i].why && (!why || strcmp(why, cases[i].why) != 0))
            fail_msg("case %zu: '%s', expected '%s'", i, why ? why : "(null)", cases[i].why);
        if (!cases[i].why)
            assert_null(why);
    }
    memset(long_pw, 'a', sizeof(long_pw));
    long_pw[DASH_PASSWORD_MAX] = '\0';
    assert_int_equal(dash_password_policy("lan", long_pw, &why), 0);
    long_pw[DASH_PASSWORD_MAX] = 'a';
    long_pw[DASH_PASSWORD_MAX + 1] = '\0';
    assert_int_equal(dash_password_policy("lan", long_pw, &why), -EINVAL);
    assert_string_equal(why, "password_too_long");
}

static void test_password_hash(void **state)
{
    char hash[DASH_PASSWORD_HASH_SIZE], hash2[DASH_PASSWORD_HASH_SIZE], small[16];

    assert_int_equal(dash_crypto_init(), 0);
    assert_int_equal(dash_password_hash("mật khẩu dài đủ", hash, sizeof(hash)), 0);
    assert_non_null(strstr(hash, "$argon2id$"));
    assert_null(strstr(hash, "mật khẩu"));
    assert_true(dash_password_verify(hash, "mật khẩu dài đủ"));
    assert_false(dash_password_verify(hash, "mật khẩu dài đủ "));
    assert_false(dash_password_verify(hash, ""));
    assert_false(dash_password_verify(hash, NULL));
    assert_false(dash_password_verify(NULL, "mật khẩu dài đủ"));
    assert_false(dash_password_verify("", "mật khẩu dài đủ"));
    assert_false(dash_password_verify("$argon2id$garbage", "x"));
    /* a fresh salt each time */
    assert_int_equal(dash_password_hash("mật khẩu dài đủ", hash2, sizeof(hash2)), 0);
    assert_string_not_equal(hash, hash2);
    /* too small an output buffer, or no password */
    assert_int_equal(dash_password_hash("0123456789", small, sizeof(small)), -EINVAL);
    assert_int_equal(dash_password_hash(NULL, hash, sizeof(hash)), -EINVAL);
}

static void test_csv_cell(void **state)
{
    static const struct {
        const char *in;
        bool last;
        const char *out;
    } cases[] = {
        {"plain", false, "\"plain\","},
        {"plain", true, "\"plain\"\r\n"},
        {NULL, false, "\"\","},
        {"", true, "\"\"\r\n"},
        {"=HYPERLINK(\"http://x\")", false, "\"'=HYPERLINK(\"\"http://x\"\")\","},
        {"+1+1", false, "\"'+1+1\","},
        {"-1+1", false, "\"'-1+1\","},
        {"@SUM(A1)", false, "\"'@SUM(A1)\","},
        {"\t=1", false, "\"'\t=1\","},
        {"\r=1", false, "\"'\r=1\","},
        {"a=1", false, "\"a=1\","},
        {"Máy in \"tầng 2\"", false, "\"Máy in \"\"tầng 2\"\"\","},
        {"line\nbreak", true, "\"line\nbreak\"\r\n"},
    };
    for (size_t i = 0; i < WW_ARRAY_SIZE(cases); i++) {
        struct ww_buf b;

        ww_buf_init(&b, 1024);
        assert_int_equal(dash_csv_cell(&b, cases[i].in, cases[i].last), 0);
        if (!b.data || strcmp(b.data, cases[i].out) != 0)
            fail_msg("case %zu: [%s], expected [%s]", i, b.data ? b.data : "", cases[i].out);
        ww_buf_release(&b);
    }
}

/* a cell that does not fit leaves the buffer as it was: all or nothing */
static void test_csv_cell_full(void **state)
{
    struct ww_buf b;

    ww_buf_init(&b, 16);
    assert_int_equal(dash_csv_cell(&b, "id", false), 0);
    assert_string_equal(b.data, "\"id\",");
    assert_int_not_equal(dash_csv_cell(&b, "=a cell far too long to fit", true), 0);
    assert_int_equal(b.len, 5);
    assert_string_equal(b.data, "\"id\",");
    ww_buf_release(&b);
    assert_null(b.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_role_has),
        cmocka_unit_test(test_role_perms),
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_token_well_formed),
        cmocka_unit_test(test_token_hash),
        cmocka_unit_test(test_secret_equal),
        cmocka_unit_test(test_throttle),
        cmocka_unit_test(test_hash_gate),
        cmocka_unit_test(test_password_policy),
        cmocka_unit_test(test_password_hash),
        cmocka_unit_test(test_csv_cell),
        cmocka_unit_test(test_csv_cell_full),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

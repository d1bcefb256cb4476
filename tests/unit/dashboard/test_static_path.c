/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_static_path.c - the whitelist for static file paths and the content types served. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dashboard/dashboard_int.h"

#include "common/banned.h"

struct path_case {
    const char *path;
    size_t len; /* 0 = strlen(path); set for cases with an embedded NUL */
    bool ok;
};

static const struct path_case path_cases[] = {
    /* good */
    {"/index.html", 0, true},
    {"/app.js", 0, true},
    {"/style.css", 0, true},
    {"/i18n/vi.json", 0, true},
    {"/img/logo-2_x.v1.png", 0, true},
    {"/a/b/c/d.svg", 0, true},
    {"/favicon.ico", 0, true},
    {"/README", 0, true}, /* passes the whitelist; dash_static_type() refuses it */
    /* traversal, plain and encoded */
    {"/..", 0, false},
    {"/../etc/passwd", 0, false},
    {"/i18n/../../etc/passwd", 0, false},
    {"/%2e%2e/etc/passwd", 0, false},
    {"/%2E%2E/etc/passwd", 0, false},
    {"/..%2fetc%2fpasswd", 0, false},
    {"/%252e%252e/etc/passwd", 0, false},
    {"/index.html%00.png", 0, false},
    {"/./index.html", 0, false},
    /* hidden files */
    {"/.git/config", 0, false},
    {"/.env", 0, false},
    {"/i18n/.hidden.json", 0, false},
    /* empty segments, separators, odd characters */
    {"", 0, false},
    {"/", 0, false},
    {"//etc/passwd", 0, false},
    {"/i18n//vi.json", 0, false},
    {"/i18n/", 0, false},
    {"/..\\..\\etc\\passwd", 0, false},
    {"/i18n\\vi.json", 0, false},
    {"index.html", 0, false},
    {"/index.html?x=1", 0, false},
    {"/index.html#top", 0, false},
    {"/in dex.html", 0, false},
    {"/index.html;jsessionid=1", 0, false},
    {"/tr\xe1\xba\xa1ng.html", 0, false}, /* non-ASCII */
    {"/a:b.html", 0, false},
    {"/index.html\0.png", 16, false}, /* embedded NUL */
    {"/\0", 2, false},
};

static void test_paths(void **state)
{
    for (size_t i = 0; i < WW_ARRAY_SIZE(path_cases); i++) {
        const struct path_case *c = &path_cases[i];
        size_t len = c->len ? c->len : strlen(c->path);
        bool got = dash_static_path_ok(c->path, len);

        if (got != c->ok)
            fail_msg("case %zu '%s': expected %s", i, c->path, c->ok ? "ok" : "rejected");
    }
}

static void test_length_limit(void **state)
{
    char path[DASH_STATIC_PATH_MAX + 2];

    /* "/" + 'a' x (max - 6) + ".html" is exactly the limit */
    memset(path, 'a', sizeof(path));
    path[0] = '/';
    memcpy(path + DASH_STATIC_PATH_MAX - 5, ".html", 5);
    path[DASH_STATIC_PATH_MAX] = '\0';
    assert_true(dash_static_path_ok(path, DASH_STATIC_PATH_MAX));
    /* one more byte is over */
    memcpy(path + DASH_STATIC_PATH_MAX - 4, ".html", 5);
    path[DASH_STATIC_PATH_MAX + 1] = '\0';
    assert_false(dash_static_path_ok(path, DASH_STATIC_PATH_MAX + 1));
    assert_false(dash_static_path_ok(NULL, 0));
}

static const struct {
    const char *path;
    const char *type; /* NULL = not served */
} type_cases[] = {
    {"/index.html", "text/html; charset=utf-8"},
    {"/app.js", "text/javascript; charset=utf-8"},
    {"/style.css", "text/css; charset=utf-8"},
    {"/i18n/vi.json", "application/json; charset=utf-8"},
    {"/logo.svg", "image/svg+xml"},
    {"/logo.png", "image/png"},
    {"/favicon.ico", "image/x-icon"},
    {"/README", NULL},
    {"/app.js.map", NULL},
    {"/x.htm", NULL},
    {"/v1.2/README", NULL},
    {"/backup.db", NULL},
    {"/index.HTML", NULL},
};

static void test_types(void **state)
{
    for (size_t i = 0; i < WW_ARRAY_SIZE(type_cases); i++) {
        const char *got = dash_static_type(type_cases[i].path);

        if (type_cases[i].type)
            assert_string_equal(got ? got : "(null)", type_cases[i].type);
        else if (got)
            fail_msg("case '%s': expected not served, got '%s'", type_cases[i].path, got);
    }
}

/* which Accept-Encoding values let the UI files go gzip-compressed */
static void test_accepts_gzip(void **state)
{
    static const struct {
        const char *value;
        bool want;
        const char *why;
    } cases[] = {
        {"gzip, deflate, br", true, "what browsers send"},
        {"br;q=1.0, gzip;q=0.8, *;q=0.1", true, "with weights"},
        {"GZIP", true, "tokens are case-blind"},
        {"*", true, "anything"},
        {"gzip;q=0", false, "explicitly refused"},
        {"gzip; q=0.000", false, "refused, with white space and decimals"},
        {"gzip;q=0.001", true, "a small weight is still a yes"},
        {"deflate, br", false, "not offered"},
        {"x-gzip", false, "another token"},
        {"gzipper", false, "a longer token"},
        {"", false, "empty"},
        {NULL, false, "no header"},
        {"identity;q=1, gzip ;q=0 , br", false, "refused, with spaces around the token"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        if (dash_accepts_gzip(cases[i].value) != cases[i].want)
            fail_msg("case %zu (%s): '%s'", i, cases[i].why, cases[i].value ? cases[i].value : "(null)");
}

/* which If-None-Match values name the file the browser already holds */
static void test_etag_matches(void **state)
{
    static const char tag[] = "\"1a-2b-3c.4d-gz\"";
    static const struct {
        const char *value;
        bool want;
        const char *why;
    } cases[] = {
        {"\"1a-2b-3c.4d-gz\"", true, "the tag the server sent"},
        {"W/\"1a-2b-3c.4d-gz\"", true, "a weak form of it: If-None-Match compares weakly"},
        {"\"x\", \"1a-2b-3c.4d-gz\"", true, "one of a list"},
        {"*", true, "any representation"},
        {"\"1a-2b-3c.4d\"", false, "the uncompressed form's tag: another representation"},
        {"\"1a-2b-3c.4d-gz", false, "cut short"},
        {"\"1a-2b-3c.4d-gz\"x", false, "with trailing bytes"},
        {"", false, "empty"},
        {NULL, false, "no header"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        if (dash_etag_matches(cases[i].value, tag) != cases[i].want)
            fail_msg("case %zu (%s): '%s'", i, cases[i].why,
                     cases[i].value ? cases[i].value : "(null)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_length_limit),
        cmocka_unit_test(test_types),
        cmocka_unit_test(test_accepts_gzip),
        cmocka_unit_test(test_etag_matches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_params.c - query and path numbers: limit/offset bounds, ids, and the router's methods. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dashboard/dashboard_int.h"

#include "common/banned.h"

struct page_case {
    const char *limit, *offset; /* NULL = absent */
    int ret;
    long long want_limit, want_offset;
    const char *bad; /* which parameter is named on failure */
};

static const struct page_case page_cases[] = {
    {NULL, NULL, 0, 100, 0, NULL},
    {"0", NULL, 0, 0, 0, NULL},
    {"1", "0", 0, 1, 0, NULL},
    {"1000", "5", 0, 1000, 5, NULL},
    {"20", "1000000000", 0, 20, 1000000000, NULL},
    {"007", NULL, 0, 7, 0, NULL},
    {"1001", NULL, -EINVAL, 0, 0, "limit"},
    {"100000", NULL, -EINVAL, 0, 0, "limit"},
    {"-1", NULL, -EINVAL, 0, 0, "limit"},
    {"+5", NULL, -EINVAL, 0, 0, "limit"},
    {" 5", NULL, -EINVAL, 0, 0, "limit"},
    {"5 ", NULL, -EINVAL, 0, 0, "limit"},
    {"", NULL, -EINVAL, 0, 0, "limit"},
    {"abc", NULL, -EINVAL, 0, 0, "limit"},
    {"1e3", NULL, -EINVAL, 0, 0, "limit"},
    {"0x10", NULL, -EINVAL, 0, 0, "limit"},
    {"99999999999999999999999", NULL, -EINVAL, 0, 0, "limit"},
    {"10", "-1", -EINVAL, 0, 0, "offset"},
    {"10", "1000000001", -EINVAL, 0, 0, "offset"},
    {"10", "9223372036854775808", -EINVAL, 0, 0, "offset"},
    {"10", "", -EINVAL, 0, 0, "offset"},
    {"10", "1.5", -EINVAL, 0, 0, "offset"},
};

static void test_page(void **state)
{
    for (size_t i = 0; i < WW_ARRAY_SIZE(page_cases); i++) {
        const struct page_case *c = &page_cases[i];
        long long limit = -42, offset = -42;
        const char *bad = NULL;
        int ret = dash_param_page(c->limit, c->offset, &limit, &offset, &bad);

        if (ret != c->ret)
            fail_msg("case %zu (limit '%s', offset '%s'): returned %d, expected %d", i,
                     c->limit ? c->limit : "(absent)", c->offset ? c->offset : "(absent)", ret,
                     c->ret);
        if (ret == 0) {
            assert_int_equal(limit, c->want_limit);
            assert_int_equal(offset, c->want_offset);
        } else {
            assert_non_null(bad);
            assert_string_equal(bad, c->bad);
        }
    }
}

static const struct {
    const char *value;
    int ret;
    long long want;
} id_cases[] = {
    {"1", 0, 1},
    {"42", 0, 42},
    {"9223372036854775807", 0, 9223372036854775807LL},
    {"9223372036854775808", -EINVAL, 0},
    {"0", -EINVAL, 0},
    {"-1", -EINVAL, 0},
    {"abc", -EINVAL, 0},
    {"12abc", -EINVAL, 0},
    {"", -EINVAL, 0},
    {" 1", -EINVAL, 0},
    {"1.0", -EINVAL, 0},
    {NULL, -EINVAL, 0},
};

static void test_id(void **state)
{
    for (size_t i = 0; i < WW_ARRAY_SIZE(id_cases); i++) {
        long long id = -42;
        int ret = dash_param_id(id_cases[i].value, &id);

        if (ret != id_cases[i].ret)
            fail_msg("case '%s': returned %d, expected %d",
                     id_cases[i].value ? id_cases[i].value : "(null)", ret, id_cases[i].ret);
        if (ret == 0)
            assert_int_equal(id, id_cases[i].want);
        else
            assert_int_equal(id, -42); /* untouched on failure */
    }
}

static void test_count_bounds(void **state)
{
    long long v = -42;

    assert_int_equal(dash_param_count(NULL, 7, 1, 10, &v), 0);
    assert_int_equal(v, 7);
    assert_int_equal(dash_param_count("1", 7, 1, 10, &v), 0);
    assert_int_equal(v, 1);
    assert_int_equal(dash_param_count("10", 7, 1, 10, &v), 0);
    assert_int_equal(v, 10);
    assert_int_equal(dash_param_count("0", 7, 1, 10, &v), -EINVAL);
    assert_int_equal(dash_param_count("11", 7, 1, 10, &v), -EINVAL);
    assert_int_equal(v, 10);
}

static const struct {
    const char *name;
    unsigned bit;
} method_cases[] = {
    {"GET", DASH_GET},   {"HEAD", DASH_HEAD},     {"POST", DASH_POST},
    {"PUT", DASH_PUT},   {"PATCH", DASH_PATCH},   {"DELETE", DASH_DELETE},
    {"get", DASH_OTHER}, {"OPTIONS", DASH_OTHER}, {"", DASH_OTHER},
};

static void test_methods(void **state)
{
    for (size_t i = 0; i < WW_ARRAY_SIZE(method_cases); i++)
        assert_int_equal(dash_method_parse(method_cases[i].name), method_cases[i].bit);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_page),
        cmocka_unit_test(test_id),
        cmocka_unit_test(test_count_bounds),
        cmocka_unit_test(test_methods),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_router.c - routing without a database: which status and Allow header a request gets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dashboard/dashboard_int.h"

#include "common/banned.h"

static const struct {
    const char *method, *path;
    unsigned status;
    const char *allow; /* "" = no Allow header */
    const char *code;  /* error.code, NULL for a success body */
} route_cases[] = {
    {"GET", "/api/v1/health", 200, "", NULL},
    {"HEAD", "/api/v1/health", 200, "", NULL},
    {"POST", "/api/v1/health", 405, "GET, HEAD", "method_not_allowed"},
    {"POST", "/api/v1/devices", 405, "GET, HEAD", "method_not_allowed"},
    {"DELETE", "/api/v1/devices/7", 405, "GET, HEAD", "method_not_allowed"},
    {"PUT", "/api/v1/events", 405, "GET, HEAD", "method_not_allowed"},
    {"GET", "/api/v1/nothing", 404, "", "not_found"},
    {"GET", "/api/v1/devices/", 404, "", "not_found"},
    {"GET", "/api/v1/devices/7/extra", 404, "", "not_found"},
    {"GET", "/api/v1//devices", 404, "", "not_found"},
    {"GET", "/api/v1/health/", 404, "", "not_found"},
    {"GET", "/api", 404, "", "not_found"},
    {"POST", "/api/v2/x", 404, "", "not_found"},
    {"POST", "/index.html", 405, "GET, HEAD", "method_not_allowed"},
    {"OPTIONS", "/", 405, "GET, HEAD", "method_not_allowed"},
    {"GET", "/../etc/passwd", 404, "", "not_found"},
    {"GET", "/%2e%2e/etc/passwd", 404, "", "not_found"},
    {"GET", "/.env", 404, "", "not_found"},
    {"GET", "/notes.txt", 404, "", "not_found"},
};

static void test_routes(void **state)
{
    for (size_t i = 0; i < WW_ARRAY_SIZE(route_cases); i++) {
        struct dash_req req = {0};
        struct dash_reply out = {0};
        json_t *code;

        req.method = dash_method_parse(route_cases[i].method);
        req.path = ww_strdup(route_cases[i].path);
        dash_route(&req, &out);
        if (out.status != route_cases[i].status)
            fail_msg("%s %s: status %u, expected %u", route_cases[i].method, route_cases[i].path,
                     out.status, route_cases[i].status);
        assert_string_equal(out.allow, route_cases[i].allow);
        assert_non_null(out.json);
        code = json_object_get(json_object_get(out.json, "error"), "code");
        if (route_cases[i].code)
            assert_string_equal(json_string_value(code), route_cases[i].code);
        else
            assert_null(code);
        dash_reply_release(&out);
        for (size_t k = 0; k < req.nparams; k++)
            free(req.params[k]);
        free(req.path);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_routes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_router.c - routing without a database or a connection: which status, error code and
 * Allow header a request gets. No request here carries a session cookie, so every route
 * with a permission must answer 401 before its handler runs (the handlers would need the
 * database, which does not exist here), and the public ones are exactly the two that
 * PERMISSIONS.md names.
 *
 * req.conn is NULL: libmicrohttpd's header lookup answers NULL for a NULL connection, which
 * is "no such header" (no Cookie, no Origin, no Content-Type).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
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
    /* public */
    {"GET", "/api/v1/health", 200, "", NULL},
    {"HEAD", "/api/v1/health", 200, "", NULL},
    {"POST", "/api/v1/health", 405, "GET, HEAD", "method_not_allowed"},
    /* log in: public, but a state change: no Content-Type is refused before the handler */
    {"POST", "/api/v1/session", 415, "", "unsupported_media_type"},
    {"PATCH", "/api/v1/session", 405, "GET, HEAD, POST, DELETE", "method_not_allowed"},
    {"PUT", "/api/v1/session", 405, "GET, HEAD, POST, DELETE", "method_not_allowed"},
    /* every protected route, without a session */
    {"GET", "/api/v1/devices", 401, "", "unauthenticated"},
    {"HEAD", "/api/v1/devices", 401, "", "unauthenticated"},
    {"POST", "/api/v1/devices", 401, "", "unauthenticated"},
    {"GET", "/api/v1/devices/7", 401, "", "unauthenticated"},
    {"PATCH", "/api/v1/devices/7", 401, "", "unauthenticated"},
    {"DELETE", "/api/v1/devices/7", 401, "", "unauthenticated"},
    {"DELETE", "/api/v1/devices/abc", 401, "", "unauthenticated"},
    {"GET", "/api/v1/devices.csv", 401, "", "unauthenticated"},
    {"POST", "/api/v1/devices/import", 401, "", "unauthenticated"},
    {"GET", "/api/v1/events", 401, "", "unauthenticated"},
    {"GET", "/api/v1/events.csv", 401, "", "unauthenticated"},
    {"GET", "/api/v1/users", 401, "", "unauthenticated"},
    {"POST", "/api/v1/users", 401, "", "unauthenticated"},
    {"PATCH", "/api/v1/users/1", 401, "", "unauthenticated"},
    {"GET", "/api/v1/audit", 401, "", "unauthenticated"},
    {"GET", "/api/v1/traffic", 401, "", "unauthenticated"},
    {"POST", "/api/v1/traffic", 405, "GET, HEAD", "method_not_allowed"},
    {"GET", "/api/v1/settings", 401, "", "unauthenticated"},
    {"PUT", "/api/v1/settings", 401, "", "unauthenticated"},
    {"POST", "/api/v1/settings", 405, "GET, HEAD, PUT", "method_not_allowed"},
    {"GET", "/api/v1/audit.csv", 401, "", "unauthenticated"},
    {"GET", "/api/v1/session", 401, "", "unauthenticated"},
    {"GET", "/api/v1/plan", 401, "", "unauthenticated"},
    {"PUT", "/api/v1/plan/budgets", 401, "", "unauthenticated"},
    {"POST", "/api/v1/plan/prices", 405, "GET, HEAD, PUT", "method_not_allowed"},
    {"DELETE", "/api/v1/session", 401, "", "unauthenticated"},
    {"PUT", "/api/v1/me/password", 401, "", "unauthenticated"},
    {"PUT", "/api/v1/me/lang", 401, "", "unauthenticated"},
    {"GET", "/api/v1/outages/7", 401, "", "unauthenticated"},
    {"POST", "/api/v1/outages/7/ack", 401, "", "unauthenticated"},
    {"POST", "/api/v1/outages/7/notes", 401, "", "unauthenticated"},
    {"GET", "/api/v1/units", 401, "", "unauthenticated"},
    {"POST", "/api/v1/units/import", 401, "", "unauthenticated"},
    {"POST", "/api/v1/units/7/merge", 401, "", "unauthenticated"},
    /* methods a path does not have: 405 with every method of every table it is in */
    {"PUT", "/api/v1/devices", 405, "GET, HEAD, POST", "method_not_allowed"},
    {"DELETE", "/api/v1/devices", 405, "GET, HEAD, POST", "method_not_allowed"},
    {"PUT", "/api/v1/devices/7", 405, "GET, HEAD, PATCH, DELETE", "method_not_allowed"},
    {"POST", "/api/v1/devices/7", 405, "GET, HEAD, PATCH, DELETE", "method_not_allowed"},
    {"POST", "/api/v1/units/7", 405, "GET, HEAD, PATCH, DELETE", "method_not_allowed"},
    {"PUT", "/api/v1/events", 405, "GET, HEAD", "method_not_allowed"},
    {"POST", "/api/v1/devices.csv", 405, "GET, HEAD", "method_not_allowed"},
    {"DELETE", "/api/v1/events.csv", 405, "GET, HEAD", "method_not_allowed"},
    {"GET", "/api/v1/users/1", 405, "PATCH", "method_not_allowed"},
    {"DELETE", "/api/v1/users/1", 405, "PATCH", "method_not_allowed"},
    {"PUT", "/api/v1/users", 405, "GET, HEAD, POST", "method_not_allowed"},
    {"GET", "/api/v1/me/password", 405, "PUT", "method_not_allowed"},
    {"POST", "/api/v1/me/lang", 405, "PUT", "method_not_allowed"},
    /* the audit log: no route changes it */
    {"POST", "/api/v1/audit", 405, "GET, HEAD", "method_not_allowed"},
    {"PUT", "/api/v1/audit", 405, "GET, HEAD", "method_not_allowed"},
    {"PATCH", "/api/v1/audit", 405, "GET, HEAD", "method_not_allowed"},
    {"DELETE", "/api/v1/audit", 405, "GET, HEAD", "method_not_allowed"},
    {"DELETE", "/api/v1/audit.csv", 405, "GET, HEAD", "method_not_allowed"},
    {"DELETE", "/api/v1/audit/1", 404, "", "not_found"},
    {"GET", "/api/v1/audit/1", 404, "", "not_found"},
    /* no such path */
    {"GET", "/api/v1/nothing", 404, "", "not_found"},
    {"GET", "/api/v1/devices/", 404, "", "not_found"},
    {"GET", "/api/v1/devices/7/extra", 404, "", "not_found"},
    {"GET", "/api/v1//devices", 404, "", "not_found"},
    {"GET", "/api/v1/health/", 404, "", "not_found"},
    {"GET", "/api/v1/session/", 404, "", "not_found"},
    {"GET", "/api/v1/users/1/../../audit", 404, "", "not_found"},
    {"GET", "/api", 404, "", "not_found"},
    {"POST", "/api/v2/x", 404, "", "not_found"},
    /* static files */
    {"POST", "/index.html", 405, "GET, HEAD", "method_not_allowed"},
    {"OPTIONS", "/", 405, "GET, HEAD", "method_not_allowed"},
    {"GET", "/../etc/passwd", 404, "", "not_found"},
    {"GET", "/%2e%2e/etc/passwd", 404, "", "not_found"},
    {"GET", "/.env", 404, "", "not_found"},
    {"GET", "/notes.txt", 404, "", "not_found"},
};

/* route one request the way server.c does, minus the connection; @srv is all zero */
static void route_one(struct dash_server *srv, const char *method, const char *path,
                      struct dash_reply *out)
{
    struct dash_req req = {0};

    req.srv = srv;
    req.method = dash_method_parse(method);
    req.path = ww_strdup(path);
    dash_route(&req, out);
    dash_reply_render(&req, out); /* the error body as it would be sent */
    for (size_t k = 0; k < req.nparams; k++)
        free(req.params[k]);
    free(req.path);
}

static const char *error_code(const struct dash_reply *out)
{
    return json_string_value(json_object_get(json_object_get(out->json, "error"), "code"));
}

static void test_routes(void **state)
{
    struct dash_server srv = {0};

    for (size_t i = 0; i < WW_ARRAY_SIZE(route_cases); i++) {
        struct dash_reply out = {0};
        const char *code;

        route_one(&srv, route_cases[i].method, route_cases[i].path, &out);
        if (out.status != route_cases[i].status)
            fail_msg("%s %s: status %u, expected %u", route_cases[i].method, route_cases[i].path,
                     out.status, route_cases[i].status);
        if (strcmp(out.allow, route_cases[i].allow) != 0)
            fail_msg("%s %s: Allow '%s', expected '%s'", route_cases[i].method,
                     route_cases[i].path, out.allow, route_cases[i].allow);
        assert_non_null(out.json);
        assert_null(out.set_cookie);
        code = error_code(&out);
        if (route_cases[i].code) {
            if (!code || strcmp(code, route_cases[i].code) != 0)
                fail_msg("%s %s: error code '%s', expected '%s'", route_cases[i].method,
                         route_cases[i].path, code ? code : "(none)", route_cases[i].code);
            assert_non_null(json_object_get(json_object_get(out.json, "error"), "message"));
        } else {
            assert_null(code);
        }
        dash_reply_release(&out);
    }
}

/* PERMISSIONS.md: "Public, no session: POST /api/v1/session, GET /api/v1/health" */
static const struct {
    const char *pattern;
    unsigned method;
} public_routes[] = {
    {"/api/v1/health", DASH_GET},
    {"/api/v1/session", DASH_POST},
    {"/metrics", DASH_GET}, /* its own bearer token, not a session */
};

static const char *const known_perms[] = {"overview.read", "device.write", "uptime.edit",
                                          "records.read", "assignment.read", "reports.read",
                                          "units.write",
                                          "user.admin", "audit.read", "settings.admin", "self",
                                          "training.read", "training.write", "staff.read",
                                          "probe.read", "plan.read", "plan.write"};

static bool is_public(const char *pattern, unsigned method)
{
    for (size_t i = 0; i < WW_ARRAY_SIZE(public_routes); i++)
        if (strcmp(public_routes[i].pattern, pattern) == 0 && public_routes[i].method == method)
            return true;
    return false;
}

static bool is_known_perm(const char *perm)
{
    for (size_t i = 0; i < WW_ARRAY_SIZE(known_perms); i++)
        if (strcmp(known_perms[i], perm) == 0)
            return true;
    return false;
}

/* "/api/v1/devices/{id}" -> "/api/v1/devices/7" */
static char *concrete_path(const char *pattern)
{
    struct ww_buf b;
    char *path;

    ww_buf_init(&b, 1024);
    for (const char *p = pattern; *p; p++) {
        if (*p == '{') {
            const char *end = strchr(p, '}');
            assert_non_null(end);
            assert_int_equal(ww_buf_addstr(&b, "7"), 0);
            p = end;
        } else {
            assert_int_equal(ww_buf_add(&b, p, 1), 0);
        }
    }
    path = ww_strdup(b.data);
    ww_buf_release(&b);
    return path;
}

/*
 * Every row of every route table: a route with a permission answers 401 unauthenticated
 * without a session, for each of its methods; a route without one is on the public list;
 * every permission is one PERMISSIONS.md names (so a typo cannot make a route unreachable
 * or, worse, reachable by everyone). Each public route is in the tables exactly once.
 */
static void test_every_route_needs_a_session(void **state)
{
    static const char *const method_names[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"};
    struct dash_server srv = {0};
    size_t public_seen = 0, protected_seen = 0;

    for (size_t t = 0; t < dash_route_ntables; t++) {
        for (size_t i = 0; i < *dash_route_tables[t].n; i++) {
            const struct dash_route *r = &dash_route_tables[t].routes[i];
            char *path = concrete_path(r->pattern);

            assert_non_null(r->handler);
            assert_int_not_equal(r->methods, 0);
            for (size_t m = 0; m < WW_ARRAY_SIZE(method_names); m++) {
                unsigned bit = dash_method_parse(method_names[m]);
                struct dash_reply out = {0};

                if (!(r->methods & bit))
                    continue;
                if (!r->perm) {
                    if (!is_public(r->pattern, bit))
                        fail_msg("%s %s has no permission but is not public in "
                                 "PERMISSIONS.md", method_names[m], r->pattern);
                    public_seen++;
                    continue;
                }
                if (!is_known_perm(r->perm) || !dash_role_has("admin", r->perm))
                    fail_msg("%s %s: permission '%s' is not in PERMISSIONS.md",
                             method_names[m], r->pattern, r->perm);
                route_one(&srv, method_names[m], path, &out);
                if (out.status != 401)
                    fail_msg("%s %s without a session: %u, expected 401", method_names[m], path,
                             out.status);
                assert_string_equal(error_code(&out), "unauthenticated");
                dash_reply_release(&out);
                protected_seen++;
            }
            free(path);
        }
    }
    assert_int_equal(public_seen, WW_ARRAY_SIZE(public_routes));
    /* the protected method+path pairs of PERMISSIONS.md */
    assert_int_equal(protected_seen, 151);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_routes),
        cmocka_unit_test(test_every_route_needs_a_session),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

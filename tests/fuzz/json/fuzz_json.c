/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_json.c - the request bodies that become records: the handlers of the dashboard's
 * POST/PATCH/PUT routes (devices, users, alert rules and channels, maintenance windows,
 * holidays, the user's language) called as the router calls them, by an authenticated
 * admin, on a real migrated database in a temp folder. Input: one byte that picks the
 * route, then the raw body bytes (dash_body_json() and the route's *_from_json() see them
 * as they would arrive). The reply must be an error code or a JSON body that serialises.
 *
 * Users' passwords are hashed with argon2id (tens of ms): bodies that set one are slow
 * but still run. The database is made anew every FUZZ_DB_RUNS inputs so that it stays
 * small (names taken by earlier inputs would otherwise refuse more and more).
 */
#include "tests/fuzz/fuzz_dash.h"

#define FUZZ_DB_RUNS 20000

static const struct {
    const char *method, *pattern, *param; /* param: the {id} or {day} of the path */
} fuzz_routes[] = {
    {"POST", "/api/v1/devices", NULL},
    {"PATCH", "/api/v1/devices/{id}", "1"},
    {"POST", "/api/v1/users", NULL},
    {"PATCH", "/api/v1/users/{id}", "2"},
    {"POST", "/api/v1/alert-rules", NULL},
    {"PATCH", "/api/v1/alert-rules/{id}", "1"},
    {"POST", "/api/v1/alert-channels", NULL},
    {"PATCH", "/api/v1/alert-channels/{id}", "1"},
    {"POST", "/api/v1/maintenance", NULL},
    {"PATCH", "/api/v1/maintenance/{id}", "1"},
    {"PUT", "/api/v1/holidays/{day}", "2026-09-02"},
    {"PUT", "/api/v1/me/lang", NULL},
};
#define FUZZ_NROUTES (sizeof(fuzz_routes) / sizeof(fuzz_routes[0]))

/* the records the PATCH routes change: made through the same handlers */
static const struct {
    size_t route;
    const char *body;
} fuzz_setup[] = {
    {0, "{\"name\":\"core-sw\",\"host\":\"192.0.2.1\",\"kind\":\"switch\",\"snmp_version\":\"2c\","
        "\"snmp_community\":\"public\"}"},
    {2, "{\"login\":\"hoa\",\"full_name\":\"Nguyễn Thị Hoa\",\"role\":\"it\","
        "\"password\":\"correct horse battery\"}"},
    {6, "{\"name\":\"IT mail\",\"kind\":\"email\",\"target\":\"it@example.org\"}"},
    {4, "{\"name\":\"down\",\"kind\":\"device_down\",\"for_s\":60,\"channel_ids\":[1]}"},
    {8, "{\"name\":\"UPS swap\",\"device_id\":1,\"starts_at\":\"2026-01-01T00:00:00Z\","
        "\"ends_at\":\"2026-01-01T02:00:00Z\"}"},
};

static const struct dash_route *routes[FUZZ_NROUTES];
static long long admin_id;
static unsigned long runs;

static const struct dash_route *find_route(const char *method, const char *pattern)
{
    unsigned m = dash_method_parse(method);

    for (size_t t = 0; t < dash_route_ntables; t++)
        for (size_t i = 0; i < *dash_route_tables[t].n; i++) {
            const struct dash_route *r = &dash_route_tables[t].routes[i];
            if ((r->methods & m) && strcmp(r->pattern, pattern) == 0)
                return r;
        }
    fprintf(stderr, "fuzz_json: no route %s %s\n", method, pattern);
    abort();
}

/* one request as the router hands it to a handler, minus the connection */
static unsigned call(size_t route, const uint8_t *body, size_t len)
{
    unsigned status;
    struct dash_req req = {0};
    struct dash_reply out = {0};

    req.srv = &fuzz_srv;
    req.method = dash_method_parse(fuzz_routes[route].method);
    req.path = (char *)fuzz_routes[route].pattern;
    req.auth.ok = true;
    req.auth.user_id = admin_id;
    ww_strlcpy(req.auth.login, "admin", sizeof(req.auth.login));
    ww_strlcpy(req.auth.role, "admin", sizeof(req.auth.role));
    ww_strlcpy(req.remote, "127.0.0.1", sizeof(req.remote));
    ww_buf_init(&req.body, DASH_BODY_MAX);
    if (len)
        FUZZ_CHECK(ww_buf_add(&req.body, body, len) == 0);
    if (fuzz_routes[route].param) {
        req.params[0] = ww_strdup(fuzz_routes[route].param);
        req.nparams = 1;
    }
    routes[route]->handler(&req, &out);
    dash_reply_render(&req, &out);
    status = out.status;
    FUZZ_CHECK(status >= 200 && status < 600);
    if (out.json) {
        char *text = json_dumps(out.json, JSON_COMPACT);
        FUZZ_CHECK(text && ww_utf8_valid(text, strlen(text)));
        free(text);
    }
    dash_reply_release(&out);
    for (size_t i = 0; i < req.nparams; i++)
        free(req.params[i]);
    ww_buf_release(&req.body);
    return status;
}

/* a new database with an admin (the actor) and the records the PATCH routes change */
static void db_new(void)
{
    char hash[256];

    fuzz_dash_db_new();
    if (dash_password_hash("fuzz admin password", hash, sizeof(hash)) < 0 ||
        inv_user_add(fuzz_srv.db, "admin", "Admin", "admin", hash, &admin_id) < 0)
        abort();
    for (size_t i = 0; i < sizeof(fuzz_setup) / sizeof(fuzz_setup[0]); i++)
        if (call(fuzz_setup[i].route, (const uint8_t *)fuzz_setup[i].body,
                 strlen(fuzz_setup[i].body)) != 201) {
            fprintf(stderr, "fuzz_json: set-up record %zu refused\n", i);
            abort();
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!fuzz_srv.db) {
        fuzz_dash_setup("fuzz_json");
        for (size_t i = 0; i < FUZZ_NROUTES; i++)
            routes[i] = find_route(fuzz_routes[i].method, fuzz_routes[i].pattern);
        db_new();
    }
    if (size < 1 || size - 1 > DASH_BODY_MAX)
        return 0;
    if (++runs % FUZZ_DB_RUNS == 0)
        db_new();
    call(data[0] % FUZZ_NROUTES, data + 1, size - 1);
    return 0;
}

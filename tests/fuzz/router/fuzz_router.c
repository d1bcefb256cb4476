/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_router.c - a request line's method and target through the router and the query
 * parsers: "METHOD /path?query" (the first space splits them) is routed by dash_route() as
 * server.c does, without a connection (so a route with a permission answers 401 before
 * its handler, as in tests/unit/dashboard/test_router.c) on an empty migrated database
 * (the public routes' handlers, /metrics included, run), its error reply
 * rendered; the captured {id} goes through dash_param_id(), the query's limit/offset
 * through dash_param_page(), the whole query through the graph routes' whitelist
 * (dash_query_whitelisted()), the raw path through dash_static_path_ok(). Properties: a
 * reply has a status, a capture is one non-empty segment, and an accepted id is >= 1.
 */
#include "tests/fuzz/fuzz_dash.h"

/* the raw value of @name in @query ("a=1&b=2"), a heap copy, or NULL */
static char *query_value(const char *query, const char *name)
{
    size_t n = strlen(name);

    for (const char *p = query; p && *p;) {
        const char *end = strchr(p, '&');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > n && strncmp(p, name, n) == 0 && p[n] == '=')
            return ww_strndup(p + n + 1, len - n - 1);
        p = end ? end + 1 : NULL;
    }
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct dash_req req = {0};
    struct dash_reply out = {0};
    char *line = fuzz_cstr(data, size), *sp, *q, *limit, *offset;
    long long id, lim, off;
    const char *bad = NULL;

    if (!fuzz_srv.db)
        fuzz_dash_setup("fuzz_router");
    sp = strchr(line, ' ');
    if (!sp || sp[1] != '/')
        goto out;
    *sp = '\0';
    req.srv = &fuzz_srv;
    req.method = dash_method_parse(line);
    req.target = sp + 1;
    q = strchr(req.target, '?');
    req.path = q ? ww_strndup(req.target, (size_t)(q - req.target)) : ww_strdup(req.target);

    dash_route(&req, &out);
    dash_reply_render(&req, &out);
    FUZZ_CHECK(out.status >= 200 && out.status < 600);
    FUZZ_CHECK(out.json || out.raw || out.no_body);
    FUZZ_CHECK(req.nparams <= DASH_PARAMS_MAX);
    for (size_t i = 0; i < req.nparams; i++) {
        FUZZ_CHECK(req.params[i][0] && !strchr(req.params[i], '/'));
        if (dash_param_id(req.params[i], &id) == 0)
            FUZZ_CHECK(id >= 1);
    }
    (void)dash_static_path_ok(req.path, strlen(req.path));
    {
        static const char *const graph_names[] = {"name", "interface", "range", "cf", "lang",
                                                  NULL};
        struct dash_reply bad_reply = {0};
        if (!dash_query_whitelisted(&req, graph_names, &bad_reply))
            FUZZ_CHECK(bad_reply.status == 400);
        dash_reply_release(&bad_reply);
    }
    limit = query_value(q ? q + 1 : NULL, "limit");
    offset = query_value(q ? q + 1 : NULL, "offset");
    if (dash_param_page(limit, offset, &lim, &off, &bad) == 0)
        FUZZ_CHECK(lim >= 0 && lim <= DASH_LIMIT_MAX && off >= 0 && off <= DASH_OFFSET_MAX);
    else
        FUZZ_CHECK(bad && (strcmp(bad, "limit") == 0 || strcmp(bad, "offset") == 0));
    free(limit);
    free(offset);
    dash_reply_release(&out);
    for (size_t i = 0; i < req.nparams; i++)
        free(req.params[i]);
    free(req.path);
out:
    free(line);
    return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * router.c - from a raw path and a method to a handler, and from a handler's reply to
 * bytes on the wire with the headers every response carries.
 *
 * Routes are a table of patterns ("/api/v1/devices/{id}") with the methods each allows.
 * A path that matches some pattern but not with this method is a 405 listing the allowed
 * ones; an unmatched path under /api/ is a JSON 404; anything else is a static file.
 * Later features (accounts, sessions, CSRF) add rows and a check before the handler call.
 */
#include "dashboard/dashboard_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/banned.h"

static const struct {
    const char *name;
    unsigned bit;
} dash_methods[] = {
    {"GET", DASH_GET}, {"HEAD", DASH_HEAD},   {"POST", DASH_POST},
    {"PUT", DASH_PUT}, {"PATCH", DASH_PATCH}, {"DELETE", DASH_DELETE},
};

unsigned dash_method_parse(const char *method)
{
    for (size_t i = 0; i < WW_ARRAY_SIZE(dash_methods); i++)
        if (strcmp(method, dash_methods[i].name) == 0)
            return dash_methods[i].bit;
    return DASH_OTHER;
}

static void allow_header(unsigned methods, char *buf, size_t size)
{
    size_t used = 0;

    buf[0] = '\0';
    if (methods & DASH_GET)
        methods |= DASH_HEAD;
    for (size_t i = 0; i < WW_ARRAY_SIZE(dash_methods); i++) {
        if (!(methods & dash_methods[i].bit))
            continue;
        int n = snprintf(buf + used, size - used, "%s%s", used ? ", " : "", dash_methods[i].name);
        if (n < 0 || (size_t)n >= size - used)
            break;
        used += (size_t)n;
    }
}

static void free_params(struct dash_req *req)
{
    for (size_t i = 0; i < req->nparams; i++) {
        free(req->params[i]);
        req->params[i] = NULL;
    }
    req->nparams = 0;
}

/* segment-by-segment match; captures go to req->params (released again on a miss) */
static bool route_match(const char *pattern, const char *path, struct dash_req *req)
{
    const char *p = pattern, *s = path;

    free_params(req);
    while (*p && *s) {
        const char *pe = strchr(p + 1, '/'), *se = strchr(s + 1, '/');
        size_t plen, slen;

        if (*p != '/' || *s != '/')
            goto miss;
        pe = pe ? pe : p + strlen(p);
        se = se ? se : s + strlen(s);
        plen = (size_t)(pe - p - 1);
        slen = (size_t)(se - s - 1);
        if (plen >= 2 && p[1] == '{' && p[plen] == '}') {
            if (slen == 0 || req->nparams == DASH_PARAMS_MAX)
                goto miss;
            req->params[req->nparams++] = ww_strndup(s + 1, slen);
        } else if (plen != slen || memcmp(p + 1, s + 1, plen) != 0) {
            goto miss;
        }
        p = pe;
        s = se;
    }
    if (!*p && !*s)
        return true;
miss:
    free_params(req);
    return false;
}

const struct dash_route_table dash_route_tables[] = {
    {dash_api_routes, &dash_api_nroutes},
    {dash_session_routes, &dash_session_nroutes},
    {dash_admin_routes, &dash_admin_nroutes},
    {dash_uptime_routes, &dash_uptime_nroutes},
    {dash_alert_routes, &dash_alert_nroutes},
    {dash_settings_routes, &dash_settings_nroutes},
    {dash_graph_routes, &dash_graph_nroutes},
    {dash_records_routes, &dash_records_nroutes},
    {dash_ready_routes, &dash_ready_nroutes},
    {dash_report_routes, &dash_report_nroutes},
    {dash_unit_routes, &dash_unit_nroutes},
    {dash_trainimport_routes, &dash_trainimport_nroutes}, /* before {id} of /staff */
    {dash_training_routes, &dash_training_nroutes},
    {dash_training_report_routes, &dash_training_report_nroutes},
    {dash_health_routes, &dash_health_nroutes},
    {dash_probe_routes, &dash_probe_nroutes},
    {dash_check_routes, &dash_check_nroutes},
    {dash_plan_routes, &dash_plan_nroutes},
};
const size_t dash_route_ntables = WW_ARRAY_SIZE(dash_route_tables);

static const char *header(struct dash_req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

/*
 * A cross-site request must not change anything. Browsers send Origin on every POST, PUT,
 * PATCH and DELETE (same-origin fetch included): it must name this very host. Without
 * Origin (curl, scripts) Sec-Fetch-Site, when present, must say same-origin or none.
 */
static bool origin_ok(struct dash_req *req)
{
    const char *origin = header(req, "Origin"), *host = header(req, MHD_HTTP_HEADER_HOST);
    const char *site = header(req, "Sec-Fetch-Site");
    const char *scheme = req->srv->tls ? "https://" : "http://";
    size_t sl = strlen(scheme);

    if (!origin)
        return !site || strcmp(site, "same-origin") == 0 || strcmp(site, "none") == 0;
    return host && strncmp(origin, scheme, sl) == 0 && strcmp(origin + sl, host) == 0;
}

static bool content_type_is(struct dash_req *req, const char *type)
{
    const char *ct = header(req, MHD_HTTP_HEADER_CONTENT_TYPE);
    size_t n = strlen(type);
    return ct && strncasecmp(ct, type, n) == 0 && (ct[n] == '\0' || ct[n] == ';');
}

/* the media type of a route's body: JSON, but a CSV import's file */
static const char *body_type(const struct dash_route *r)
{
    return dash_import_perm(r->pattern) ? "text/csv" : "application/json";
}

/* the checks every route goes through before its handler; false = @out holds the refusal */
static bool route_allowed(const struct dash_route *r, struct dash_req *req,
                          struct dash_reply *out)
{
    bool changes = req->method & (DASH_POST | DASH_PUT | DASH_PATCH | DASH_DELETE);

    if (r->perm) {
        if (!dash_authenticate(req)) {
            if (req->auth.unavailable)
                dash_reply_busy(out);
            else
                dash_reply_error(out, MHD_HTTP_UNAUTHORIZED, "unauthenticated", NULL);
            return false;
        }
        if (!dash_role_has(req->auth.role, r->perm)) {
            dash_reply_error(out, MHD_HTTP_FORBIDDEN, "forbidden", NULL);
            return false;
        }
    }
    if (!changes)
        return true;
    if (!origin_ok(req)) {
        dash_reply_error(out, MHD_HTTP_FORBIDDEN, "bad_origin", NULL);
        return false;
    }
    if (r->perm &&
        !dash_secret_equal(header(req, "X-CSRF-Token"), req->auth.csrf)) {
        dash_reply_error(out, MHD_HTTP_FORBIDDEN, "csrf", NULL);
        return false;
    }
    if ((req->body.len || !(req->method & DASH_DELETE)) &&         !content_type_is(req, body_type(r))) {
        dash_reply_error(out, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", NULL);
        return false;
    }
    return true;
}

void dash_route(struct dash_req *req, struct dash_reply *out)
{
    unsigned allowed = 0;

    for (size_t t = 0; t < dash_route_ntables; t++) {
        for (size_t i = 0; i < *dash_route_tables[t].n; i++) {
            const struct dash_route *r = &dash_route_tables[t].routes[i];
            unsigned methods = r->methods | ((r->methods & DASH_GET) ? DASH_HEAD : 0);

            if (!route_match(r->pattern, req->path, req))
                continue;
            if (methods & req->method) {
                if (route_allowed(r, req, out))
                    r->handler(req, out);
                return;
            }
            allowed |= methods;
        }
    }
    if (allowed) {
        allow_header(allowed, out->allow, sizeof(out->allow));
        dash_reply_error(out, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed", NULL);
        return;
    }
    if (strcmp(req->path, "/api") == 0 || strncmp(req->path, "/api/", 5) == 0) {
        dash_reply_error(out, MHD_HTTP_NOT_FOUND, "not_found", NULL);
        return;
    }
    if (!(req->method & (DASH_GET | DASH_HEAD))) {
        allow_header(DASH_GET, out->allow, sizeof(out->allow));
        dash_reply_error(out, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed", NULL);
        return;
    }
    dash_static_serve(req, out);
}

void dash_reply_release(struct dash_reply *out)
{
    memset(&out->err, 0, sizeof(out->err));
    json_decref(out->json);
    out->json = NULL;
    free(out->set_cookie);
    out->set_cookie = NULL;
    if (out->raw)
        MHD_destroy_response(out->raw);
    out->raw = NULL;
}

void dash_reply_json(struct dash_reply *out, unsigned status, json_t *json)
{
    char *cookie = out->set_cookie; /* a cookie set before the body stays */
    out->set_cookie = NULL;
    dash_reply_release(out);
    out->set_cookie = cookie;
    out->status = status;
    out->json = json;
    out->no_body = false;
}

void dash_reply_json_text(struct dash_reply *out, const char *text)
{
    size_t len = strlen(text);
    char *copy = ww_malloc(len + 2);

    memcpy(copy, text, len);
    copy[len++] = '\n';
    copy[len] = '\0';
    dash_reply_release(out);
    out->raw = MHD_create_response_from_buffer(len, copy, MHD_RESPMEM_MUST_FREE);
    if (!out->raw) {
        free(copy);
        dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
        return;
    }
    out->content_type = "application/json; charset=utf-8";
    out->status = MHD_HTTP_OK;
}

void dash_reply_empty(struct dash_reply *out, unsigned status)
{
    dash_reply_json(out, status, NULL);
    out->no_body = true;
}

void dash_reply_error(struct dash_reply *out, unsigned status, const char *code,
                      const char *field)
{
    dash_reply_json(out, status, NULL);
    out->err.code = code;
    ww_strlcpy(out->err.field, field ? field : "", sizeof(out->err.field));
}

void dash_reply_refused(struct dash_reply *out, int ret, const struct inv_refusal *why)
{
    if (ret == -EINVAL && why && strcmp(why->reason, "last_admin") == 0) {
        /* a state of the records, not a field typed wrong */
        dash_reply_error(out, MHD_HTTP_CONFLICT, "last_admin", NULL);
    } else if (ret == -EINVAL || ret == -EEXIST) {
        dash_reply_error(out, ret == -EEXIST ? MHD_HTTP_CONFLICT : MHD_HTTP_BAD_REQUEST,
                         ret == -EEXIST ? "exists" : "invalid", why ? why->field : NULL);
        if (why)
            out->err.why = *why;
    } else if (ret == -ENOENT) {
        dash_reply_error(out, MHD_HTTP_NOT_FOUND, "not_found", NULL);
    } else if (ret == -EPERM) {
        dash_reply_error(out, MHD_HTTP_FORBIDDEN, "forbidden", NULL);
    } else {
        dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
    }
}

int dash_refusal(struct inv_refusal *why, const char *field, const char *reason,
                 const char *param)
{
    memset(why, 0, sizeof(*why));
    ww_strlcpy(why->field, field, sizeof(why->field));
    ww_strlcpy(why->reason, reason, sizeof(why->reason));
    ww_utf8_copy(why->param, param, sizeof(why->param)); /* may echo a request's key */
    return -EINVAL;
}

char *dash_refusal_text(struct dash_req *req, const struct inv_refusal *why, const char *code,
                        const char *retry_s)
{
    const struct ww_i18n *words = req->srv ? req->srv->words : NULL;
    enum ww_lang lang = dash_req_lang(req);
    const char *field_words = NULL;
    char key[64], field_key[48];
    struct ww_param params[3];

    if (why->field[0]) {
        snprintf(field_key, sizeof(field_key), "field.%s", why->field);
        field_words = ww_i18n_text(words, lang, field_key);
    }
    params[0] = (struct ww_param){"field", field_words ? field_words : why->field};
    params[1] = (struct ww_param){"param", why->param};
    params[2] = (struct ww_param){"s", retry_s ? retry_s : ""};
    snprintf(key, sizeof(key), "%s.%s", why->reason[0] ? "reason" : "error",
             why->reason[0] ? why->reason : code);
    if (!ww_i18n_text(words, lang, key))
        snprintf(key, sizeof(key), "error.%s", code);
    return ww_i18n_printf(words, lang, key, params, WW_ARRAY_SIZE(params));
}

/* {"error":{...}} of out->err, its message in the request's language */
static json_t *error_json(struct dash_req *req, const struct dash_error *e)
{
    struct inv_refusal why = e->why;
    json_t *err;
    char *msg;

    ww_strlcpy(why.field, e->field, sizeof(why.field));
    msg = dash_refusal_text(req, &why, e->code, e->retry_s);
    err = json_pack("{s:s, s:o}", "code", e->code, "message", dash_json_text(msg));
    free(msg);
    if (e->field[0])
        json_object_set_new(err, "field", json_string(e->field));
    if (e->why.reason[0]) {
        json_object_set_new(err, "reason", json_string(e->why.reason));
        json_object_set_new(err, "params",
                            json_pack("{s:o}", "param", dash_json_text(e->why.param)));
    }
    return json_pack("{s:o}", "error", err);
}

static const char *const dash_security_headers[][2] = {
    {"Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "
                                "img-src 'self' data:; frame-ancestors 'none'; "
                                "base-uri 'none'; form-action 'self'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"X-Frame-Options", "DENY"},
};

void dash_security_headers_add(struct MHD_Response *resp, bool tls)
{
    for (size_t i = 0; i < WW_ARRAY_SIZE(dash_security_headers); i++)
        MHD_add_response_header(resp, dash_security_headers[i][0], dash_security_headers[i][1]);
    if (tls)
        MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
}

static struct MHD_Response *json_response(json_t *json)
{
    char *text = json ? json_dumps(json, JSON_COMPACT | JSON_REAL_PRECISION(12)) : NULL;
    size_t len;

    if (!text) /* only when the handler forgot a body: still answer valid JSON */
        text = ww_strdup("{\"error\":{\"code\":\"internal\",\"message\":\"no body\"}}");
    len = strlen(text);
    /* a newline helps people reading with curl; libmicrohttpd frees with free() */
    text = ww_reallocarray(text, len + 2, 1);
    text[len++] = '\n';
    text[len] = '\0';
    return MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
}

void dash_reply_render(struct dash_req *req, struct dash_reply *out)
{
    if (!out->err.code)
        return;
    if (out->retry_after) /* "wait {s} s" */
        snprintf(out->err.retry_s, sizeof(out->err.retry_s), "%u", out->retry_after);
    json_decref(out->json);
    out->json = error_json(req, &out->err);
    memset(&out->err, 0, sizeof(out->err));
}

enum MHD_Result dash_reply_send(struct dash_req *req, struct dash_reply *out)
{
    struct MHD_Response *resp = NULL;
    const char *type = out->content_type;
    bool is_file = out->raw != NULL;
    enum MHD_Result ret = MHD_NO;

    if (is_file) {
        resp = out->raw;
        out->raw = NULL;
    } else if (out->no_body) {
        resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    } else {
        dash_reply_render(req, out);
        resp = json_response(out->json);
        type = "application/json; charset=utf-8";
    }
    if (!resp) {
        ww_log(WW_LOG_ERR, "dashboard: %s: cannot create a response", req->path);
        goto out;
    }
    if (!out->status)
        out->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
    dash_security_headers_add(resp, req->srv->tls);
    if (type)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    /* API answers are live data: never stored; UI files: revalidated on every load */
    /* API answers and exports are live data: never stored; UI files: revalidated */
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
                            out->cache_control ? out->cache_control
                            : out->ui_file     ? "no-cache"
                                               : "no-store");
    if (out->allow[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, out->allow);
    if (out->set_cookie)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, out->set_cookie);
    if (out->retry_after) {
        char ra[24];
        snprintf(ra, sizeof(ra), "%u", out->retry_after);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, ra);
    }
    ret = MHD_queue_response(req->conn, out->status, resp);
    req->replied = true;
out:
    if (resp)
        MHD_destroy_response(resp); /* the queue holds its own reference */
    dash_reply_release(out);
    return ret;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * words.c - what the server itself says to people, in their language: event texts rendered
 * from a reason code and its parameters, and CSV column headers. The words come from the
 * same i18n files the UI uses (srv->words); nothing here is written in English or
 * Vietnamese.
 */
#include "dashboard/dashboard_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/banned.h"

#define EVENT_PARAMS_MAX 8

enum ww_lang dash_req_lang(struct dash_req *req)
{
    const char *al;

    if (req->auth.ok)
        return req->auth.lang;
    al = req->conn ? MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_ACCEPT_LANGUAGE)
                   : NULL;
    return al && strncasecmp(al, "en", 2) == 0 ? WW_LANG_EN : WW_LANG_VI;
}

char *dash_event_text(struct dash_req *req, const char *reason, const char *params_json,
                      const char *fallback)
{
    const struct ww_i18n *words = req->srv ? req->srv->words : NULL;
    struct ww_param p[EVENT_PARAMS_MAX];
    json_t *params = params_json ? json_loads(params_json, 0, NULL) : NULL;
    const char *name;
    json_t *v;
    size_t n = 0;
    char key[64];
    char *text;

    if (!reason || !*reason) /* recorded before events had codes */
        return ww_strdup(fallback ? fallback : "");
    snprintf(key, sizeof(key), "eventmsg.%s", reason);
    if (!ww_i18n_text(words, dash_req_lang(req), key)) { /* a code with no words (yet) */
        json_decref(params);
        return ww_strdup(fallback ? fallback : reason);
    }
    if (json_is_object(params)) {
        json_object_foreach(params, name, v) {
            if (n < EVENT_PARAMS_MAX && json_is_string(v))
                p[n++] = (struct ww_param){name, json_string_value(v)};
        }
    }
    text = ww_i18n_printf(words, dash_req_lang(req), key, p, n);
    json_decref(params);
    return text;
}

void dash_csv_head(struct dash_req *req, struct ww_buf *b, const char *const *keys, size_t n)
{
    const char *cells[DASH_CSV_COLS_MAX];
    char key[64];
    enum ww_lang lang = dash_req_lang(req);

    if (n > DASH_CSV_COLS_MAX)
        n = DASH_CSV_COLS_MAX;
    for (size_t i = 0; i < n; i++) {
        snprintf(key, sizeof(key), "csv.%s", keys[i]);
        cells[i] = ww_i18n_text(req->srv ? req->srv->words : NULL, lang, key);
        if (!cells[i])
            cells[i] = keys[i];
    }
    dash_csv_row(b, cells, n);
}

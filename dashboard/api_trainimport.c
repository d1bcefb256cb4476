/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * api_trainimport.c - the staff and training CSV imports (issue 17 item 6): POST
 * /api/v1/staff/import and POST /api/v1/training/import, training.write (hr, admin), the
 * body the CSV file (DASH_IMPORT_BODY_MAX, as the other imports). The checks, the matching
 * rule and the write are inventory's (staffimport.c); here the query and the answer. The
 * answer of a training import lists the rows to confirm with their candidates (id, code,
 * name, unit code: personal data, for the hr and admin this route admits) and the file's
 * digest; the confirming call sends them back in two headers (a query value may not hold a
 * digest or a list): X-WW-Digest: HEX and X-WW-Confirm: ROW:STAFFID,ROW:STAFFID...
 */
#include "dashboard/dashboard_int.h"
#include "inventory/inventory.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

#define CONFIRM_MAX INV_IMPORT_ERRORS_MAX /* as many as one answer lists */

/* POST /staff/import */
static void api_staff_import(struct dash_req *req, struct dash_reply *out)
{
    struct inv_import_opts o;
    struct inv_import_result r;
    struct inv_actor actor;
    int ret;

    if (!dash_import_opts(req, out, &o, &actor))
        return;
    dash_lock(req);
    ret = inv_import_staff(req->srv->db, req->body.data ? req->body.data : "", req->body.len,
                           &o, &r);
    dash_unlock(req);
    dash_import_reply(req, out, ret, &r);
    inv_import_result_release(&r);
}

#define DIGEST_HEADER "X-WW-Digest"
#define CONFIRM_HEADER "X-WW-Confirm"

static const char *header(struct dash_req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

/* X-WW-Confirm: ROW:ID,ROW:ID into a heap array; false = @out holds the 400 */
static bool confirmations(struct dash_req *req, struct dash_reply *out,
                          struct inv_confirm **out_conf, size_t *out_n)
{
    const char *v = header(req, CONFIRM_HEADER);
    char *copy, *save = NULL;
    bool ok = true;

    *out_conf = NULL;
    *out_n = 0;
    if (!v)
        return true;
    copy = ww_strdup(v);
    for (char *tok = strtok_r(copy, ",", &save); tok && ok; tok = strtok_r(NULL, ",", &save)) {
        char *colon = strchr(tok, ':');
        struct inv_confirm c;
        ok = colon && *out_n < CONFIRM_MAX;
        if (ok) {
            *colon = '\0';
            ok = ww_parse_ll(tok, 1, LLONG_MAX, &c.row) == 0 &&
                 ww_parse_ll(colon + 1, 1, LLONG_MAX, &c.staff_id) == 0;
        }
        if (ok) {
            *out_conf = ww_reallocarray(*out_conf, *out_n + 1, sizeof(**out_conf));
            (*out_conf)[(*out_n)++] = c;
        }
    }
    free(copy);
    ok = ok && (!*out_n || header(req, DIGEST_HEADER)); /* confirmations of a known file only */
    if (!ok) {
        free(*out_conf);
        *out_conf = NULL;
        *out_n = 0;
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "confirm");
    }
    return ok;
}

static const char *const match_states[] = {"proposed", "ambiguous", "none"};

/* the rows to confirm and the digest, added to the import's answer */
static json_t *matches_json(const struct inv_training_import *ti, int ret)
{
    json_t *list = json_array();

    for (size_t i = 0; i < ti->n_matches; i++) {
        const struct inv_match *m = &ti->matches[i];
        json_t *cand = json_array();
        for (size_t j = 0; j < m->n_cand && j < INV_MATCH_CANDIDATES_MAX; j++)
            json_array_append_new(cand, json_pack("{s:I, s:o, s:o, s:o}", "id",
                                                  (json_int_t)m->cand[j].id, "code",
                                                  dash_json_text(m->cand[j].code), "full_name",
                                                  dash_json_text(m->cand[j].full_name), "unit",
                                                  m->cand[j].unit_code
                                                      ? dash_json_text(m->cand[j].unit_code)
                                                      : json_null()));
        json_array_append_new(list, json_pack("{s:I, s:s, s:I, s:o}", "row", (json_int_t)m->row,
                                              "state", match_states[m->state], "candidates",
                                              (json_int_t)m->n_cand, "people", cand));
    }
    return json_pack("{s:s, s:s, s:I, s:o, s:I}", "status",
                     ret == 0 ? "done" : ret == -EAGAIN ? "confirm" : "refused", "digest",
                     ti->digest_out, "pending", (json_int_t)ti->pending, "matches", list,
                     "matches_more", (json_int_t)ti->matches_more);
}

/* POST /training/import[?dry_run=1], X-WW-Digest and X-WW-Confirm when confirming */
static void api_training_import(struct dash_req *req, struct dash_reply *out)
{
    struct inv_import_opts o;
    struct inv_import_result r = {0};
    struct inv_training_import ti = {0};
    struct inv_confirm *conf = NULL;
    struct inv_actor actor;
    size_t n_conf = 0;
    int ret;

    if (!dash_import_opts(req, out, &o, &actor) ||
        !confirmations(req, out, &conf, &n_conf))
        return;
    ti.confirm = conf;
    ti.n_confirm = n_conf;
    ti.digest = header(req, DIGEST_HEADER);
    dash_lock(req);
    ret = inv_import_training(req->srv->db, req->body.data ? req->body.data : "", req->body.len,
                              &o, &ti, &r);
    dash_unlock(req);
    dash_import_reply_more(req, out, ret, &r, matches_json(&ti, ret));
    inv_training_import_release(&ti);
    inv_import_result_release(&r);
    free(conf);
}

const struct dash_route dash_trainimport_routes[] = {
    {DASH_STAFF_IMPORT_PATH, DASH_POST, api_staff_import, "training.write"},
    {DASH_TRAINING_IMPORT_PATH, DASH_POST, api_training_import, "training.write"},
};
const size_t dash_trainimport_nroutes = WW_ARRAY_SIZE(dash_trainimport_routes);

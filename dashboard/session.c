/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * session.c - log in, who am I, log out, own password and language.
 *
 * DESIGN: a login verifies the password (argon2id, ~64 MiB, tens of ms) without holding
 * db_lock, through the hash gate (auth.c), so other requests go on meanwhile. Failures
 * count per (login, address) pair and per address for a window (auth.c: the throttle); a
 * throttled try gets 429 with Retry-After. The old password of a password change is
 * checked the same way. An unknown login costs the same time as a wrong password and gets
 * the same answer. Each login makes a new random token (no fixation); only its hash is
 * stored; a user holds at most sessions_per_user sessions, the oldest end first.
 */
#include "dashboard/dashboard_int.h"
#include "inventory/inventory.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "common/banned.h"

json_t *dash_body_json(struct dash_req *req, struct dash_reply *out)
{
    json_error_t err;
    json_t *j;

    if (!req->body.len) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_json", NULL);
        return NULL;
    }
    if (!ww_utf8_valid(req->body.data, req->body.len)) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_json", NULL);
        return NULL;
    }
    j = json_loadb(req->body.data, req->body.len, JSON_REJECT_DUPLICATES, &err);
    if (!j || !json_is_object(j)) {
        json_decref(j);
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_json", NULL);
        return NULL;
    }
    return j;
}

void dash_actor(struct dash_req *req, struct inv_actor *out_actor)
{
    out_actor->user_id = req->auth.user_id;
    out_actor->name = req->auth.ok ? req->auth.login : "?";
    out_actor->source = "api";
    out_actor->remote_addr = req->remote;
}

int dash_change(struct dash_req *req, struct dash_reply *out, struct inv_change *ch)
{
    struct inv_actor who;
    int ret;

    dash_actor(req, &who);
    ch->actor = &who;
    dash_lock(req);
    ret = inv_change_run(req->srv->db, ch);
    dash_unlock(req);
    ch->actor = NULL; /* @who ends here */
    if (ret < 0)
        dash_reply_refused(out, ret, &ch->why);
    return ret;
}

void dash_change_remove(struct dash_req *req, struct dash_reply *out, const char *action,
                        const char *object_type,
                        int (*apply)(struct ww_db *db, void *ctx, struct inv_change *ch))
{
    struct inv_change ch = {.action = action, .object_type = object_type, .apply = apply};

    if (dash_param_id(req->params[0], &ch.id) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "bad_request", "id");
        return;
    }
    if (dash_change(req, out, &ch) == 0)
        dash_reply_empty(out, MHD_HTTP_NO_CONTENT);
    free(ch.after);
}

static char *session_cookie(struct dash_req *req, const char *token, long long max_age)
{
    return ww_asprintf(DASH_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s",
                       token, max_age, req->srv->tls ? "; Secure" : "");
}

static json_t *user_json(const struct inv_user *u)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(u->id));
    json_object_set_new(o, "login", dash_json_text(u->login));
    json_object_set_new(o, "full_name", dash_json_text(u->full_name));
    json_object_set_new(o, "role", dash_json_text(u->role));
    json_object_set_new(o, "lang", dash_json_text(u->lang));
    json_object_set_new(o, "permissions", dash_role_perms(u->role));
    return o;
}

/* how the UI shows things to everyone: times in the office zone ([availability] timezone) */
static json_t *display_json(const struct dash_req *req)
{
    return json_pack("{s:s}", "timezone", req->srv->office.zone);
}

static void api_login(struct dash_req *req, struct dash_reply *out)
{
    json_t *body = dash_body_json(req, out);
    const char *login, *password;
    char token[DASH_TOKEN_LEN + 1] = "", csrf[DASH_TOKEN_LEN + 1], hash[65];
    long long attempt = 0, ended = 0;
    struct inv_user u = {0};
    struct inv_actor who;
    time_t now = time(NULL);
    bool found, good;
    int ret;

    if (!body)
        return;
    login = json_string_value(json_object_get(body, "login"));
    password = json_string_value(json_object_get(body, "password"));
    if (!login || !password || strlen(login) > 64 || strlen(password) > DASH_PASSWORD_MAX) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "invalid", "login");
        goto out;
    }
    dash_lock(req);
    found = inv_user_get_login(req->srv->db, login, &u) == 0;
    dash_unlock(req);
    if (dash_attempt_begin(req, out, login, &attempt) < 0)
        goto out;

    /* the slow part, outside db_lock; an unknown login costs the same */
    if (found)
        good = dash_password_verify(u.password_hash, password) && u.enabled;
    else {
        dash_password_burn(password);
        good = false;
    }
    dash_attempt_end(req, login, attempt, good);

    dash_lock(req);
    if (!good) {
        /* the typed text is not logged unless it is a real login: people type passwords
         * into the login field */
        who = (struct inv_actor){.user_id = found ? u.id : 0,
                                 .name = found ? u.login : "(unknown login)", .source = "api",
                                 .remote_addr = req->remote};
        inv_audit_add(req->srv->db, &who, "session.login_failed", "user", NULL, NULL, NULL);
        dash_unlock(req);
        dash_reply_error(out, MHD_HTTP_UNAUTHORIZED, "bad_credentials", NULL);
        goto out;
    }
    dash_token_new(token);
    dash_token_new(csrf);
    dash_token_hash(token, hash);
    ret = inv_session_create(req->srv->db, hash, u.id, csrf, now, req->remote);
    /* at most sessions_per_user: the oldest ones end */
    if (ret == 0)
        ret = inv_session_trim(req->srv->db, u.id, req->srv->sessions_max, &ended);
    if (ret == 0) {
        who = (struct inv_actor){.user_id = u.id, .name = u.login, .source = "api",
                                 .remote_addr = req->remote};
        inv_user_touch_login(req->srv->db, u.id, now);
        inv_audit_add(req->srv->db, &who, "session.login", "user", NULL, NULL, NULL);
    }
    dash_unlock(req);
    if (ret < 0) {
        dash_reply_db_failed(out);
        goto out;
    }
    if (ended)
        ww_log(WW_LOG_INFO, "dashboard: user '%s': %lld oldest session(s) ended (at most %lld)",
               u.login, ended, req->srv->sessions_max);
    out->set_cookie = session_cookie(req, token, req->srv->absolute_s);
    dash_reply_json(out, MHD_HTTP_OK,
                    json_pack("{s:o, s:s, s:o}", "user", user_json(&u), "csrf_token", csrf,
                              "display", display_json(req)));
out:
    sodium_memzero(token, sizeof(token));
    inv_user_release(&u);
    json_decref(body);
}

static void api_whoami(struct dash_req *req, struct dash_reply *out)
{
    struct inv_user u = {0};
    int ret;

    dash_lock(req);
    ret = inv_user_get(req->srv->db, req->auth.user_id, &u);
    dash_unlock(req);
    if (ret < 0) {
        dash_reply_db_failed(out);
        return;
    }
    dash_reply_json(out, MHD_HTTP_OK,
                    json_pack("{s:o, s:s, s:o}", "user", user_json(&u), "csrf_token",
                              req->auth.csrf, "display", display_json(req)));
    inv_user_release(&u);
}

static void api_logout(struct dash_req *req, struct dash_reply *out)
{
    struct inv_actor who;
    int ret;

    dash_actor(req, &who);
    dash_lock(req);
    ret = inv_session_delete(req->srv->db, req->auth.token_hash);
    if (ret == 0)
        inv_audit_add(req->srv->db, &who, "session.logout", "user", NULL, NULL, NULL);
    dash_unlock(req);
    if (ret < 0) {
        dash_reply_db_failed(out);
        return;
    }
    out->set_cookie = session_cookie(req, "", 0);
    dash_reply_empty(out, MHD_HTTP_NO_CONTENT);
}

struct own_password {
    const char *hash, *keep_token_hash;
};

static int apply_own_password(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    const struct own_password *pw = ctx;
    /* every other session ends; this one goes on as it was */
    return inv_user_change_own_password(db, ch->id, pw->hash, pw->keep_token_hash);
}

static void api_password(struct dash_req *req, struct dash_reply *out)
{
    json_t *body = dash_body_json(req, out);
    const char *old_pw, *new_pw, *why = NULL;
    char hash[DASH_PASSWORD_HASH_SIZE];
    struct own_password pw = {hash, req->auth.token_hash};
    struct inv_change ch = {.action = "user.password", .object_type = "user",
                            .apply = apply_own_password};
    struct inv_user u = {0};
    struct inv_actor who;
    long long attempt = 0;
    bool good;
    int ret;

    if (!body)
        return;
    old_pw = json_string_value(json_object_get(body, "old_password"));
    new_pw = json_string_value(json_object_get(body, "new_password"));
    if (!old_pw || !new_pw) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "invalid", "old_password");
        goto out;
    }
    if (dash_password_policy(req->auth.login, new_pw, &why) < 0) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, why, "password");
        goto out;
    }
    dash_lock(req);
    ret = inv_user_get(req->srv->db, req->auth.user_id, &u);
    dash_unlock(req);
    if (ret < 0) {
        dash_reply_db_failed(out);
        goto out;
    }
    /* the old password is a password check like a login's: the same throttle, the same
     * count for this login from this address, an audit entry for each failure */
    if (dash_attempt_begin(req, out, u.login, &attempt) < 0)
        goto out;
    good = dash_password_verify(u.password_hash, old_pw);
    if (good)
        ret = dash_password_hash(new_pw, hash, sizeof(hash));
    dash_attempt_end(req, u.login, attempt, good);
    if (!good) {
        dash_actor(req, &who);
        dash_lock(req);
        inv_audit_add(req->srv->db, &who, "user.password_failed", "user", u.login, NULL, NULL);
        dash_unlock(req);
        dash_reply_error(out, MHD_HTTP_FORBIDDEN, "bad_credentials", NULL);
        goto out;
    }
    if (ret < 0) {
        dash_reply_error(out, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL);
        goto out;
    }
    ch.id = u.id;
    ch.audit_id = u.login;
    ch.ctx = &pw;
    if (dash_change(req, out, &ch) == 0)
        dash_reply_empty(out, MHD_HTTP_NO_CONTENT);
    sodium_memzero(hash, sizeof(hash));
    free(ch.after);
out:
    inv_user_release(&u);
    json_decref(body);
}

static int apply_lang(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    return inv_user_set_lang(db, ch->id, ctx);
}

static void api_lang(struct dash_req *req, struct dash_reply *out)
{
    json_t *body = dash_body_json(req, out);
    const char *lang;
    struct inv_change ch = {.action = "user.lang", .object_type = "user",
                            .id = req->auth.user_id, .audit_id = req->auth.login,
                            .apply = apply_lang};

    if (!body)
        return;
    lang = json_string_value(json_object_get(body, "lang"));
    if (!lang || (strcmp(lang, "vi") != 0 && strcmp(lang, "en") != 0)) {
        dash_reply_error(out, MHD_HTTP_BAD_REQUEST, "invalid", "lang");
        json_decref(body);
        return;
    }
    ch.ctx = (void *)lang;
    if (dash_change(req, out, &ch) == 0)
        dash_reply_empty(out, MHD_HTTP_NO_CONTENT);
    free(ch.after);
    json_decref(body);
}

const struct dash_route dash_session_routes[] = {
    {"/api/v1/session", DASH_POST, api_login, NULL},
    {"/api/v1/session", DASH_GET, api_whoami, "self"},
    {"/api/v1/session", DASH_DELETE, api_logout, "self"},
    {"/api/v1/me/password", DASH_PUT, api_password, "self"},
    {"/api/v1/me/lang", DASH_PUT, api_lang, "self"},
};
const size_t dash_session_nroutes = WW_ARRAY_SIZE(dash_session_routes);

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * auth.c - passwords (argon2id through libsodium), session and CSRF tokens, and the login
 * throttle. Tokens are 256-bit random values; the server keeps only their BLAKE2b hash, so a
 * copy of the database logs nobody in. Every secret comparison is constant-time.
 */
#include "dashboard/dashboard_int.h"
#include "inventory/inventory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "common/banned.h"

int dash_crypto_init(void)
{
    if (sodium_init() < 0)
        return ww_error(-EIO, "dashboard: libsodium could not start");
    return 0;
}

int dash_password_policy(const char *login, const char *password, const char **out_why)
{
    size_t n = password ? strlen(password) : 0;
    *out_why = NULL;
    if (n < DASH_PASSWORD_MIN)
        *out_why = "password_too_short";
    else if (n > DASH_PASSWORD_MAX)
        *out_why = "password_too_long";
    else if (!ww_utf8_valid(password, n))
        *out_why = "password_not_utf8";
    else if (login && strcasecmp(login, password) == 0)
        *out_why = "password_is_login";
    return *out_why ? -EINVAL : 0;
}

int dash_password_hash(const char *password, char *out, size_t size)
{
    if (size < crypto_pwhash_STRBYTES || !password)
        return -EINVAL;
    /* argon2id, libsodium's interactive limits: 2 passes over 64 MiB */
    if (crypto_pwhash_str_alg(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return ww_error(-ENOMEM, "dashboard: password hashing ran out of memory");
    return 0;
}

bool dash_password_verify(const char *hash, const char *password)
{
    if (!hash || !password || strlen(hash) >= crypto_pwhash_STRBYTES)
        return false;
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

/* a fixed hash to verify against when the login does not exist, so the answer takes as long
 * as for a real account and does not tell which logins exist */
static char burn_hash[crypto_pwhash_STRBYTES];
static pthread_once_t burn_once = PTHREAD_ONCE_INIT;

static void burn_init(void)
{
    char pw[DASH_TOKEN_LEN + 1];
    dash_token_new(pw);
    if (dash_password_hash(pw, burn_hash, sizeof(burn_hash)) < 0)
        burn_hash[0] = '\0';
}

void dash_password_burn(const char *password)
{
    pthread_once(&burn_once, burn_init);
    if (crypto_pwhash_str_verify(burn_hash, password, strlen(password)) == 0)
        ww_log(WW_LOG_DEBUG, "dashboard: a random password matched a random hash");
}

void dash_token_new(char out[DASH_TOKEN_LEN + 1])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(out, DASH_TOKEN_LEN + 1, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
}

void dash_token_random(char *out, size_t size)
{
    char t[DASH_TOKEN_LEN + 1];
    dash_token_new(t);
    ww_strlcpy(out, t, size);
    sodium_memzero(t, sizeof(t));
}

bool dash_token_well_formed(const char *token)
{
    size_t n = token ? strlen(token) : 0;
    if (n != DASH_TOKEN_LEN)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = token[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    }
    return true;
}

void dash_token_hash(const char *token, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof(h));
}

bool dash_secret_equal(const char *a, const char *b)
{
    size_t na = a ? strlen(a) : 0, nb = b ? strlen(b) : 0;
    if (na == 0 || na != nb)
        return false;
    return sodium_memcmp(a, b, na) == 0;
}

/* PERMISSIONS.md, as code: the server's only source of who may do what */
static const struct {
    const char *perm;
    const char *roles[6];
} perm_table[] = {
    {"overview.read", {"admin", "it", "manager", "hr", "viewer", NULL}},
    {"device.write", {"admin", "it", NULL}},
    {"uptime.edit", {"admin", "it", NULL}},
    {"user.admin", {"admin", NULL}},
    {"audit.read", {"admin", NULL}},
    {"self", {"admin", "it", "manager", "hr", "viewer", NULL}},
};

bool dash_role_has(const char *role, const char *perm)
{
    for (size_t i = 0; role && perm && i < WW_ARRAY_SIZE(perm_table); i++) {
        if (strcmp(perm_table[i].perm, perm) != 0)
            continue;
        for (size_t k = 0; perm_table[i].roles[k]; k++)
            if (strcmp(perm_table[i].roles[k], role) == 0)
                return true;
        return false;
    }
    return false;
}

json_t *dash_role_perms(const char *role)
{
    json_t *a = json_array();
    for (size_t i = 0; i < WW_ARRAY_SIZE(perm_table); i++)
        if (dash_role_has(role, perm_table[i].perm))
            json_array_append_new(a, json_string(perm_table[i].perm));
    return a;
}

/* the value of cookie @name in a Cookie header, copied into @out; false when absent */
static bool cookie_value(const char *header, const char *name, char *out, size_t size)
{
    size_t nlen = strlen(name);
    const char *p = header;

    while (p && *p) {
        while (*p == ' ' || *p == ';')
            p++;
        if (strncmp(p, name, nlen) == 0 && p[nlen] == '=') {
            const char *v = p + nlen + 1, *end = strchr(v, ';');
            size_t n = end ? (size_t)(end - v) : strlen(v);
            if (n >= size)
                return false;
            memcpy(out, v, n);
            out[n] = '\0';
            return true;
        }
        p = strchr(p, ';');
    }
    return false;
}

bool dash_authenticate(struct dash_req *req)
{
    const char *header =
        MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_COOKIE);
    char token[DASH_TOKEN_LEN + 8];
    struct inv_session se;
    struct inv_user u = {0};
    int ret;

    memset(&req->auth, 0, sizeof(req->auth));
    if (!header || !cookie_value(header, DASH_COOKIE, token, sizeof(token)) ||
        !dash_token_well_formed(token))
        return false;
    dash_token_hash(token, req->auth.token_hash);
    sodium_memzero(token, sizeof(token));
    dash_lock(req);
    ret = inv_session_lookup(req->srv->db, req->auth.token_hash, time(NULL), req->srv->idle_s,
                             req->srv->absolute_s, &se);
    if (ret == 0)
        ret = inv_user_get(req->srv->db, se.user_id, &u);
    dash_unlock(req);
    if (ret < 0 || !u.enabled) {
        inv_user_release(&u);
        return false;
    }
    req->auth.ok = true;
    req->auth.user_id = u.id;
    ww_strlcpy(req->auth.login, u.login, sizeof(req->auth.login));
    ww_strlcpy(req->auth.role, u.role, sizeof(req->auth.role));
    req->auth.lang = ww_lang_parse(u.lang);
    ww_strlcpy(req->auth.csrf, se.csrf_token, sizeof(req->auth.csrf));
    inv_user_release(&u);
    return true;
}

long long dash_throttle_wait(long long failures, long long last_at, long long now)
{
    long long wait;
    if (failures < DASH_LOGIN_FREE_TRIES)
        return 0;
    /* 5 failures: 30 s, then doubling up to 15 minutes */
    wait = 30;
    for (long long i = DASH_LOGIN_FREE_TRIES; i < failures && wait < 900; i++)
        wait *= 2;
    if (wait > 900)
        wait = 900;
    return last_at + wait > now ? last_at + wait - now : 0;
}

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
#include <time.h>

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
    {"records.read", {"admin", "it", "manager", NULL}},
    {"assignment.read", {"admin", "it", "manager", "hr", NULL}},
    {"reports.read", {"admin", "it", "manager", NULL}},
    {"probe.read", {"admin", "it", NULL}},
    {"uptime.edit", {"admin", "it", NULL}},
    {"units.write", {"admin", "manager", NULL}},
    {"user.admin", {"admin", NULL}},
    {"audit.read", {"admin", NULL}},
    {"settings.admin", {"admin", NULL}},
    /* staff training (issue 17): staff records are personal data (Decree 13/2023) */
    {"training.read", {"admin", "manager", "hr", NULL}},
    {"training.write", {"admin", "hr", NULL}},
    {"staff.read", {"admin", "hr", NULL}},
    {"plan.read", {"admin", "it", "manager", NULL}},
    {"plan.write", {"admin", "manager", NULL}},
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
        req->auth.unavailable = ret < 0 && ret != -ENOENT;
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

long long dash_throttle_wait(long long nth_at, long long now)
{
    return nth_at > 0 && nth_at + DASH_FAIL_WINDOW_S > now ? nth_at + DASH_FAIL_WINDOW_S - now
                                                           : 0;
}

/* ---- the hash gate ----------------------------------------------------------------------
 * argon2id takes tens of ms and 64 MiB. A worker that hashes serves none of its other
 * connections meanwhile, and libmicrohttpd's pool has few workers (4): parallel logins used
 * to hold them all. At most DASH_HASH_SLOTS hashes run and DASH_HASH_WAITERS wait for a
 * slot (at most DASH_HASH_WAIT_MS); the rest are told at once to come back (503), so that
 * the other workers stay free for every other request. Process-wide, like the CPU. */
static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_free = PTHREAD_COND_INITIALIZER;
static int gate_active, gate_waiting;

int dash_hash_enter(void)
{
    struct timespec until;
    int ret = 0;

    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += DASH_HASH_WAIT_MS / 1000;
    until.tv_nsec += (long)(DASH_HASH_WAIT_MS % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&gate_lock);
    if (gate_active >= DASH_HASH_SLOTS && gate_waiting >= DASH_HASH_WAITERS) {
        ret = -EBUSY;
    } else {
        gate_waiting++;
        while (gate_active >= DASH_HASH_SLOTS)
            if (pthread_cond_timedwait(&gate_free, &gate_lock, &until) == ETIMEDOUT &&
                gate_active >= DASH_HASH_SLOTS) {
                ret = -EBUSY;
                break;
            }
        gate_waiting--;
        if (ret == 0)
            gate_active++;
    }
    pthread_mutex_unlock(&gate_lock);
    return ret;
}

void dash_hash_leave(void)
{
    pthread_mutex_lock(&gate_lock);
    if (gate_active > 0)
        gate_active--;
    pthread_cond_signal(&gate_free);
    pthread_mutex_unlock(&gate_lock);
}

void dash_reply_busy(struct dash_reply *out)
{
    dash_reply_error(out, MHD_HTTP_SERVICE_UNAVAILABLE, "busy", NULL);
    out->retry_after = 1;
}

/* ---- the password-check throttle ---------------------------------------------------------
 * A failure counts for DASH_FAIL_WINDOW_S against its (login, address) pair and against its
 * address. DASH_PAIR_TRIES failures of a pair stop that login from that address only, so
 * nobody can lock an account's owner out from elsewhere; DASH_ADDR_TRIES failures of an
 * address, on any logins, stop that address (spraying many accounts). A success clears its
 * pair, never its address; an unlock (user.unlock) clears every pair of the login. The
 * counts are rows in the database: a restart keeps them, and the CLI sees them. */

/* seconds @login must still wait from req->remote (0 = may try); -EIO under db_lock */
static long long attempt_wait(struct dash_req *req, const char *login, time_t now)
{
    long long at = 0, wait = 0, w;
    int ret;

    ret = inv_auth_nth_failure(req->srv->db, login, req->remote, now - DASH_FAIL_WINDOW_S,
                               DASH_PAIR_TRIES, &at);
    if (ret == 0)
        wait = dash_throttle_wait(at, now);
    else if (ret != -ENOENT)
        return ret;
    ret = inv_auth_nth_failure(req->srv->db, NULL, req->remote, now - DASH_FAIL_WINDOW_S,
                               DASH_ADDR_TRIES, &at);
    if (ret == 0) {
        w = dash_throttle_wait(at, now);
        wait = w > wait ? w : wait;
    } else if (ret != -ENOENT) {
        return ret;
    }
    return wait;
}

int dash_attempt_begin(struct dash_req *req, struct dash_reply *out, const char *login,
                       long long *out_attempt)
{
    time_t now = time(NULL);
    long long wait;
    int ret;

    *out_attempt = 0;
    /* the check and the row are one step under db_lock, so that requests sent together
     * cannot all pass: each counts as a failure until it is known to be good */
    dash_lock(req);
    wait = attempt_wait(req, login, now);
    if (wait == 0) {
        inv_auth_prune(req->srv->db, now - DASH_FAIL_WINDOW_S);
        ret = inv_auth_failure_add(req->srv->db, login, req->remote, now, out_attempt);
        wait = ret < 0 ? ret : 0;
    }
    dash_unlock(req);
    if (wait < 0) {
        dash_reply_db_failed(out);
        return -EIO;
    }
    if (wait > 0) {
        dash_reply_error(out, MHD_HTTP_TOO_MANY_REQUESTS, "too_many_attempts", NULL);
        out->retry_after = (unsigned)wait;
        return -EAGAIN;
    }
    if (dash_hash_enter() < 0) {
        /* not tried: it does not count */
        dash_lock(req);
        inv_auth_failure_forget(req->srv->db, *out_attempt);
        dash_unlock(req);
        *out_attempt = 0;
        dash_reply_busy(out);
        return -EBUSY;
    }
    return 0;
}

void dash_attempt_end(struct dash_req *req, const char *login, long long attempt, bool good)
{
    dash_hash_leave();
    if (!good)
        return; /* the row stays: a failure */
    dash_lock(req);
    inv_auth_failure_forget(req->srv->db, attempt);
    inv_auth_pair_clear(req->srv->db, login, req->remote);
    dash_unlock(req);
}

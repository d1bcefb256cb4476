/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * dashboard.h - the one public face of dashboard/: an HTTP server (libmicrohttpd) that serves
 * the JSON API under /api/v1/ and the static UI from a www folder.
 *
 * libmicrohttpd and jansson types stay inside dashboard/: callers see an opaque handle.
 */
#ifndef WW_DASHBOARD_H
#define WW_DASHBOARD_H

#include "common/common.h"

struct dash_server;

struct dash_options {
    const char *listen_address; /* IP literal or host name; borrowed */
    unsigned port;              /* 0 = any free port, see dash_server_port() */
    const char *www_dir;        /* folder with index.html; borrowed */
    unsigned threads;           /* worker threads; 0 = default (4) */
    const char *tls_cert;       /* PEM file; with tls_key: HTTPS. NULL/"" = plain HTTP */
    const char *tls_key;
    long long session_idle_s;   /* 0 = 30 min */
    long long session_absolute_s; /* 0 = 12 h */
    long long sessions_per_user;  /* 0 = 20; a login past it ends the user's oldest session */
    /* [availability] office hours; NULL = the defaults (Asia/Ho_Chi_Minh, 07:30-11:30 and
     * 13:30-17:00, mon-fri). The zone becomes the process's TZ (see ww_office_use_zone). */
    const char *office_zone, *office_hours, *office_days;
    /* graphs, series, /metrics (api_graph.c); all borrowed, copied by dash_server_new() */
    const char *rrd_dir;      /* $data_dir/rrd; NULL/"" = no graphs (404) */
    const char *rrdcached;    /* "" = read the files directly, else flushed through it */
    /* names Host may give besides IP literals, localhost and the machine's host name:
     * comma or space separated; NULL/"" = none more. Borrowed. */
    const char *hostnames;
    unsigned max_connections; /* 0 = 512 */
    unsigned max_per_address; /* connections from one address; 0 = 16 */
    /* the config file's values, borrowed for the server's life (the Settings page shows and
     * overrides them; its office hours are used over office_hours/office_days); NULL = none */
    const struct ww_config *file_cfg;
    /* readiness and age rules ([inventory] rules_dir, inventory/rules/README.md); NULL = the
     * compiled-in folder. A broken file stops the start; a missing folder is a warning and
     * the readiness route answers 503 rules_missing. Borrowed. */
    const char *rules_dir;
};

/*
 * dash_server_new() - open the www folder, bind and start serving.
 * @opt: borrowed; nothing in it is kept after the call.
 * @db:  borrowed; the server uses it (under its own mutex) from its worker threads until
 *       dash_server_free() returns, so the caller must not touch it meanwhile.
 * Context: main thread. SIGINT/SIGTERM should be blocked before the call so that the
 *       server's threads inherit the mask and the caller can sigwait() for them.
 * Returns: 0, -EINVAL (bad address or options), -ENOENT (no www folder),
 *       -EADDRINUSE / -EIO (could not listen).
 */
int dash_server_new(const struct dash_options *opt, struct ww_db *db, struct dash_server **out_srv);

/* dash_server_port() - the port actually bound (the real one when 0 was asked for). */
unsigned dash_server_port(const struct dash_server *srv);

/*
 * dash_server_free() - stop accepting, wait for every request in flight to finish (each
 * one's state is released by the request-completed callback), then free. NULL is fine.
 */
void dash_server_free(struct dash_server *srv);

/* dash_alert_allow() - [alerts] allow_private (ww_addr_list_parse()) for the save-time check
 * of webhook targets; main thread, before dash_server_new(). 0 or -EINVAL. */
int dash_alert_allow(const char *text);

/* ---- passwords, shared with the admin CLI ---------------------------------------------- */

#define DASH_PASSWORD_HASH_SIZE 128 /* crypto_pwhash_STRBYTES */
#define DASH_PASSWORD_MAX_INPUT 300  /* longest password line read, newline included */

/* dash_crypto_init() - start libsodium; once, before threads. 0 or -EIO. */
int dash_crypto_init(void);
/*
 * dash_password_policy() - at least 10 characters, at most 256, valid UTF-8, not the login.
 * Returns 0 or -EINVAL with *out_why a machine code ("password_too_short", ...).
 */
int dash_password_policy(const char *login, const char *password, const char **out_why);
/* dash_password_hash() - argon2id (libsodium interactive limits) into @out (>= 128 bytes). */
int dash_password_hash(const char *password, char *out, size_t size);
/* dash_token_random() - a random base64url string of 43 characters into @out (>= 44). */
void dash_token_random(char *out, size_t size);
/* dash_password_verify() - constant-time check against an encoded hash. */
bool dash_password_verify(const char *hash, const char *password);

/* ---- the Prometheus /metrics token, made by the admin CLI ------------------------------- */

struct inv_actor;
/*
 * dash_metrics_token_new() - a new random 256-bit token (43 base64url characters) into
 * @out (>= 44 bytes); only its BLAKE2b hash is kept (setting metrics_token_hash), with an
 * audit entry in the same transaction. Any older token stops working. 0 or -EIO.
 */
int dash_metrics_token_new(struct ww_db *db, const struct inv_actor *who, char *out, size_t size);

#endif

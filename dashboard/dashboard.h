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

#endif

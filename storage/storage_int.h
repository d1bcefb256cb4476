/* SPDX-License-Identifier: GPL-3.0-or-later */
/* storage_int.h - what the files of storage/ share; nothing outside storage/ includes it. */
#ifndef WW_STORAGE_INT_H
#define WW_STORAGE_INT_H

#include <pthread.h>

#include "storage/storage.h"

/* store_getopt_lock - held around every librrd call that parses arguments with getopt's
 * process-wide globals (rrd_graph_v() in graph.c, rrd_tune() in storage.c); a leaf lock */
extern pthread_mutex_t store_getopt_lock;

/* store_flush_cached() - have rrdcached write what it holds for @path (no-op when direct).
 * Returns 0 or -EAGAIN (rrdcached unreachable). */
int store_flush_cached(struct store *st, const char *path);
/*
 * struct store_batch - UPDATE lines waiting to go to rrdcached as one BATCH block, on our
 * own connection to its unix socket (librrd 1.7's client sends one command per call).
 * Embedded, zeroed, one owner; store_batch_release() closes the socket.
 */
struct store_batch {
    char *sock_path; /* unix socket; NULL: the daemon is not a unix socket, no batching */
    int fd;          /* -1 when not connected */
    struct ww_buf lines;
    size_t n;        /* UPDATE lines in @lines */
    unsigned long long sent, refused;
    struct ww_complain complain;
};

/* store_batch_init() - for the daemon address @daemon ("unix:/path" or "/path"). */
void store_batch_init(struct store_batch *b, const char *daemon);
void store_batch_release(struct store_batch *b);
/* store_batch_add() - queue "UPDATE @path @sample"; -E2BIG when the block is full (send
 * first), -EINVAL for a path or sample with a space or a line break. */
int store_batch_add(struct store_batch *b, const char *path, const char *sample);
/*
 * store_batch_send() - send the queued lines as one BATCH and read rrdcached's answer;
 * the lines are dropped either way (a sample is not worth more than a retry: the next poll
 * brings the next one). Each refused update is counted and the first few logged.
 * Returns 0, -EAGAIN (cannot reach rrdcached), -EIO (a refused update or a bad answer).
 */
int store_batch_send(struct store_batch *b);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* storage_int.h - what the files of storage/ share; nothing outside storage/ includes it. */
#ifndef WW_STORAGE_INT_H
#define WW_STORAGE_INT_H

#include <pthread.h>

#include "storage/storage.h"

/* store_getopt_lock - held around every librrd call that parses arguments with getopt's
 * process-wide globals (rrd_graph_v() in graph.c, rrd_tune() in storage.c); a leaf lock */
extern pthread_mutex_t store_getopt_lock;

/* store_rrd_err() - librrd's last error of this thread, never NULL or empty */
const char *store_rrd_err(void);

/* store_flush_cached() - have rrdcached write what it holds for @path (no-op when direct).
 * Returns 0 or -EAGAIN (rrdcached unreachable). */
int store_flush_cached(struct store *st, const char *path);
/* store_forget_cached() - flush @path, then have rrdcached drop it from its cache, so that
 * nothing it holds or is sent later for the path can write the file again. Returns 0 or
 * -EAGAIN (rrdcached unreachable). */
int store_forget_cached(struct store *st, const char *path);
/* store_dir_of() - the rrd/ folder of the store (absolute, as given to store_open()) */
const char *store_dir_of(const struct store *st);
/* store_known_forget() - forget which files exist: the next store_ensure() of each looks
 * at the disk again (after files were moved away) */
void store_known_forget(struct store *st);
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

/* ---- files on their way (create.c) -------------------------------------------------------- */

/*
 * struct store_newfile - one metric file asked for by store_ensure() that does not exist yet.
 * Owned by its maker's table (the store's thread), from store_nf_add() to store_nf_drop().
 * Once queued, the creator thread borrows it: it reads the fields marked read-only, and
 * sets @result before it hands it back on the done list; the store's thread reads @result
 * only after taking it from that list (under the lock), and frees it only then.
 */
struct store_newfile {
    struct store_newfile *hnext; /* in the maker's table: store thread */
    struct store_newfile *next;  /* on the queue or the done list: under the lock */
    uint64_t h, shape;           /* the hashes of its path and of its data sources */
    /* read-only once queued */
    char *path;
    char *argv[STORE_DS_MAX + 8]; /* "DS:..." and "RRA:..." definitions, owned */
    int argc;
    unsigned step;
    time_t start; /* just before its first sample */
    int result;   /* creator thread, then store thread: 0, -EIO, -ECANCELED (abandoned) */
    /* store thread only */
    bool queued;                        /* a first sample came: made or on the queue */
    char *ring[STORE_PENDING_MAX];      /* the samples kept meanwhile, oldest at @first */
    unsigned first, n;
};

/*
 * struct store_maker - the files of one store on their way, and its creator thread.
 * Embedded in struct store, zeroed then store_maker_init(). Lock: @lock is a leaf (nothing
 * else is taken under it, no I/O and no logging under it).
 */
struct store_maker {
    /* store thread only */
    struct store_newfile **tab; /* chained by hnext */
    size_t cap, n;
    bool async; /* the creator thread runs */
    unsigned long kept, dropped; /* samples written after their file came, and lost */
    struct ww_complain complain; /* samples dropped */
    /* set before the thread starts, read-only after */
    store_create_hook_fn *hook;
    void *hook_arg;
    pthread_t thread;
    /* under @lock */
    pthread_mutex_t lock;
    pthread_cond_t work; /* something queued, or stop */
    pthread_cond_t back; /* a file came back on the done list */
    struct store_newfile *qhead, *qtail, *done;
    size_t busy; /* queued or being made */
    bool stop;
    unsigned long made, failed, abandoned;
    long long make_ms_max;
};

void store_maker_init(struct store_maker *m);
/* store_maker_start() - start the creator thread; 0 or -EIO (pthread_create failed). */
int store_maker_start(struct store_maker *m);
/* store_maker_stop() - the creator finishes the file in hand, hands every queued one back
 * with -ECANCELED, and ends; no-op when it was never started. */
void store_maker_stop(struct store_maker *m);
/* store_maker_release() - free every file still in the table (after store_maker_stop()). */
void store_maker_release(struct store_maker *m);
/* store_nf_find() - the file on its way with path hash @h and @path, or NULL */
struct store_newfile *store_nf_find(const struct store_maker *m, uint64_t h, const char *path);
/* store_nf_add() - a new waiting file; takes @argc strings of @argv (heap) */
struct store_newfile *store_nf_add(struct store_maker *m, uint64_t h, uint64_t shape,
                                   const char *path, unsigned step, char **argv, int argc);
/* store_nf_keep() - keep a copy of @sample, pushing the oldest out when the ring is full;
 * true when one was pushed out */
bool store_nf_keep(struct store_newfile *nf, const char *sample);
/* store_nf_queue() - hand a waiting file to the creator thread, to start at @start */
void store_nf_queue(struct store_maker *m, struct store_newfile *nf, time_t start);
/* store_maker_take_done() - the files the creator handed back (a list by next), or NULL */
struct store_newfile *store_maker_take_done(struct store_maker *m);
/* store_maker_wait() - wait until nothing is queued or being made */
void store_maker_wait(struct store_maker *m);
/* store_nf_drop() - take @nf out of the table and free it with its kept samples */
void store_nf_drop(struct store_maker *m, struct store_newfile *nf);
/*
 * store_make_file() - create @path (and its folder) with librrd: step @step, last update
 * @start, definitions @argv, into a temp name renamed into place. Any thread: touches no
 * store. Returns 0 or -EIO (logged through @complain when given, else always).
 */
int store_make_file(const char *path, unsigned step, time_t start, int argc, char **argv,
                    struct ww_complain *complain);

#endif

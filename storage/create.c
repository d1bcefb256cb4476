/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * create.c - metric files on their way: the files store_ensure() was asked for that do not
 * exist yet, the samples given for them meanwhile, and the creator thread that makes them.
 *
 * DESIGN: making a file writes every row of every archive (48 h at 10 s is 1.16 MB), so a
 * first start with thousands of new devices used to hold the writer thread for seconds per
 * batch, and with it the polls. Here store_ensure() of a missing file only records it
 * (struct store_newfile, in the maker's table, owned by the store's thread). Its first
 * sample fixes its start (just before that sample: the first update fills no empty rows)
 * and queues it; the creator thread makes it (librrd, temp name, rename) and hands it back
 * on the done list with its result. Samples given meanwhile wait in the file's ring of
 * STORE_PENDING_MAX, the oldest pushed out (counted, logged with back-off): memory is at
 * most files on their way x STORE_PENDING_MAX samples. The store's thread takes the done
 * list at the next batch or update of such a file and writes the kept samples in order,
 * through rrdcached when used, before any later one. Without the creator thread
 * (store_create_async() not called) the store's thread makes the file itself at its first
 * sample, as before but started at that sample.
 * Lock: store_maker.lock, a leaf, guards the queue, the done list, the stop flag and the
 * counters; nothing else is taken under it and no I/O or logging happens under it. Stop:
 * the creator finishes the file in hand and hands the queued ones back abandoned
 * (-ECANCELED); the store logs how many and drops their samples.
 */
#include "storage/storage_int.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <rrd.h>

#include "common/banned.h"

void store_maker_init(struct store_maker *m)
{
    memset(m, 0, sizeof(*m));
    pthread_mutex_init(&m->lock, NULL);
    pthread_cond_init(&m->work, NULL);
    pthread_cond_init(&m->back, NULL);
}

/*
 * Why librrd failed when it says nothing: librrd 1.7 loses the error of its own writes (a
 * full disk: its write() gets ENOSPC, it unlinks its temp file and sets no message, and errno
 * is then its second unlink's ENOENT). The file's size is about 8 bytes per data source per
 * row: when the file system has less than that free, the disk is full.
 */
static const char *silent_cause(const char *dir, int argc, char **argv, char *buf, size_t size)
{
    unsigned long long rows = 0, nds = 0, need;
    struct statvfs vfs;

    for (int i = 0; i < argc; i++) {
        const char *colon = strrchr(argv[i], ':');
        if (strncmp(argv[i], "DS:", 3) == 0)
            nds++;
        else if (strncmp(argv[i], "RRA:", 4) == 0 && colon)
            rows += strtoull(colon + 1, NULL, 10);
    }
    need = rows * nds * 8 + 4096;
    if (statvfs(dir, &vfs) < 0)
        return "librrd gave no cause";
    if ((unsigned long long)vfs.f_bavail * vfs.f_frsize < need) {
        snprintf(buf, size, "No space left on device (ENOSPC): %llu KiB free, the file needs "
                 "about %llu KiB", (unsigned long long)vfs.f_bavail * vfs.f_frsize / 1024,
                 need / 1024);
        return buf;
    }
    return "librrd gave no cause (the disk has room)";
}

int store_make_file(const char *path, unsigned step, time_t start, int argc, char **argv,
                    struct ww_complain *complain)
{
    char tmp[PATH_MAX + 32], dir[PATH_MAX], cause[160];
    const char *slash = strrchr(path, '/');
    const char *why = NULL, *what = "create";

    if (!slash || (size_t)(slash - path) >= sizeof(dir) ||
        snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path, (long)getpid()) >= (int)sizeof(tmp))
        return ww_error(-EIO, "storage: create '%s': path too long", path);
    memcpy(dir, path, (size_t)(slash - path));
    dir[slash - path] = '\0';
    if (ww_mkdir_p(dir, 0755) < 0) {
        why = strerror(errno);
        what = "make folder of";
    } else {
        rrd_clear_error();
        if (rrd_create_r(tmp, step, start, argc, (const char **)argv) != 0) {
            /* a full disk leaves librrd's message empty: errno says it (ENOSPC), with its
             * code, so that the log tells a full disk from a bad definition */
            why = store_rrd_err();
            if (strcmp(why, "unknown librrd error") == 0)
                why = silent_cause(dir, argc, argv, cause, sizeof(cause));
        } else if (rename(tmp, path) < 0) {
            why = strerror(errno);
            what = "rename into";
        }
        if (why)
            unlink(tmp);
    }
    if (!why) {
        if (complain)
            ww_complain_release(complain, "storage: files are created again");
        return 0;
    }
    if (complain)
        ww_complain(complain, WW_LOG_ERR, "storage: %s '%s': %s", what, path, why);
    else
        ww_log(WW_LOG_ERR, "storage: %s '%s': %s", what, path, why);
    return -EIO;
}

static void *maker_main(void *arg)
{
    struct store_maker *m = arg;
    struct ww_complain complain = {0}; /* this thread's: failures to make a file */
    unsigned long burst = 0;           /* files made since the queue was last empty */
    long long burst_ms_max = 0;
    int64_t burst_t0 = 0;

    pthread_mutex_lock(&m->lock);
    for (;;) {
        struct store_newfile *nf;
        int64_t t0;
        long long ms;

        while (!m->qhead && !m->stop)
            pthread_cond_wait(&m->work, &m->lock);
        if (m->stop)
            break;
        nf = m->qhead;
        m->qhead = nf->next;
        if (!m->qhead)
            m->qtail = NULL;
        pthread_mutex_unlock(&m->lock);

        if (m->hook)
            m->hook(nf->path, m->hook_arg);
        t0 = ww_mono_ms();
        if (!burst++)
            burst_t0 = t0;
        nf->result = store_make_file(nf->path, nf->step, nf->start, nf->argc, nf->argv,
                                     &complain);
        ms = (long long)(ww_mono_ms() - t0);
        if (ms > burst_ms_max)
            burst_ms_max = ms;

        pthread_mutex_lock(&m->lock);
        nf->next = m->done;
        m->done = nf;
        m->busy--;
        if (nf->result == 0)
            m->made++;
        else
            m->failed++;
        if (ms > m->make_ms_max)
            m->make_ms_max = ms;
        pthread_cond_broadcast(&m->back);
        if (!m->busy) { /* a burst ends: one line for it, outside the lock */
            pthread_mutex_unlock(&m->lock);
            ww_log(burst > 100 ? WW_LOG_INFO : WW_LOG_DEBUG,
                   "storage: %lu file(s) created in %lld ms (longest %lld ms)", burst,
                   (long long)(ww_mono_ms() - burst_t0), burst_ms_max);
            burst = 0;
            burst_ms_max = 0;
            pthread_mutex_lock(&m->lock);
        }
    }
    /* stopping: what is still queued goes back unmade */
    while (m->qhead) {
        struct store_newfile *nf = m->qhead;
        m->qhead = nf->next;
        nf->result = -ECANCELED;
        nf->next = m->done;
        m->done = nf;
        m->busy--;
        m->abandoned++;
    }
    m->qtail = NULL;
    pthread_cond_broadcast(&m->back);
    pthread_mutex_unlock(&m->lock);
    return NULL;
}

int store_maker_start(struct store_maker *m)
{
    int rc;

    if (m->async)
        return 0;
    rc = pthread_create(&m->thread, NULL, maker_main, m);
    if (rc != 0)
        return ww_error(-EIO, "storage: creator thread: pthread_create: %s", strerror(rc));
    m->async = true;
    return 0;
}

void store_maker_stop(struct store_maker *m)
{
    if (!m->async)
        return;
    pthread_mutex_lock(&m->lock);
    m->stop = true;
    pthread_cond_signal(&m->work);
    pthread_mutex_unlock(&m->lock);
    pthread_join(m->thread, NULL);
    m->async = false;
}

static void nf_free(struct store_newfile *nf)
{
    for (int i = 0; i < nf->argc; i++)
        free(nf->argv[i]);
    for (unsigned i = 0; i < nf->n; i++)
        free(nf->ring[(nf->first + i) % STORE_PENDING_MAX]);
    free(nf->path);
    free(nf);
}

void store_maker_release(struct store_maker *m)
{
    for (size_t i = 0; i < m->cap; i++) {
        while (m->tab[i]) {
            struct store_newfile *nf = m->tab[i];
            m->tab[i] = nf->hnext;
            nf_free(nf);
        }
    }
    free(m->tab);
    m->tab = NULL;
    m->cap = m->n = 0;
    pthread_cond_destroy(&m->work);
    pthread_cond_destroy(&m->back);
    pthread_mutex_destroy(&m->lock);
}

struct store_newfile *store_nf_find(const struct store_maker *m, uint64_t h, const char *path)
{
    if (!m->n)
        return NULL;
    for (struct store_newfile *nf = m->tab[h & (m->cap - 1)]; nf; nf = nf->hnext)
        if (nf->h == h && strcmp(nf->path, path) == 0)
            return nf;
    return NULL;
}

struct store_newfile *store_nf_add(struct store_maker *m, uint64_t h, uint64_t shape,
                                   const char *path, unsigned step, char **argv, int argc)
{
    struct store_newfile *nf = ww_calloc(1, sizeof(*nf));

    if (m->n + 1 > m->cap) { /* at most one per chain on average */
        size_t cap = m->cap ? 2 * m->cap : 256;
        struct store_newfile **tab = ww_calloc(cap, sizeof(*tab));
        for (size_t i = 0; i < m->cap; i++) {
            while (m->tab[i]) {
                struct store_newfile *e = m->tab[i];
                m->tab[i] = e->hnext;
                e->hnext = tab[e->h & (cap - 1)];
                tab[e->h & (cap - 1)] = e;
            }
        }
        free(m->tab);
        m->tab = tab;
        m->cap = cap;
    }
    nf->h = h;
    nf->shape = shape;
    nf->path = ww_strdup(path);
    nf->step = step;
    for (int i = 0; i < argc; i++)
        nf->argv[i] = argv[i];
    nf->argc = argc;
    nf->hnext = m->tab[h & (m->cap - 1)];
    m->tab[h & (m->cap - 1)] = nf;
    m->n++;
    return nf;
}

bool store_nf_keep(struct store_newfile *nf, const char *sample)
{
    bool pushed = false;

    if (nf->n == STORE_PENDING_MAX) {
        free(nf->ring[nf->first]);
        nf->first = (nf->first + 1) % STORE_PENDING_MAX;
        nf->n--;
        pushed = true;
    }
    nf->ring[(nf->first + nf->n) % STORE_PENDING_MAX] = ww_strdup(sample);
    nf->n++;
    return pushed;
}

void store_nf_queue(struct store_maker *m, struct store_newfile *nf, time_t start)
{
    nf->start = start;
    nf->queued = true;
    pthread_mutex_lock(&m->lock);
    nf->next = NULL;
    if (m->qtail)
        m->qtail->next = nf;
    else
        m->qhead = nf;
    m->qtail = nf;
    m->busy++;
    pthread_cond_signal(&m->work);
    pthread_mutex_unlock(&m->lock);
}

struct store_newfile *store_maker_take_done(struct store_maker *m)
{
    struct store_newfile *list, *rev = NULL;

    pthread_mutex_lock(&m->lock);
    list = m->done;
    m->done = NULL;
    pthread_mutex_unlock(&m->lock);
    while (list) { /* the done list is newest first: hand them back in the order made */
        struct store_newfile *next = list->next;
        list->next = rev;
        rev = list;
        list = next;
    }
    return rev;
}

void store_maker_wait(struct store_maker *m)
{
    pthread_mutex_lock(&m->lock);
    while (m->busy)
        pthread_cond_wait(&m->back, &m->lock);
    pthread_mutex_unlock(&m->lock);
}

void store_nf_drop(struct store_maker *m, struct store_newfile *nf)
{
    struct store_newfile **p = &m->tab[nf->h & (m->cap - 1)];

    while (*p && *p != nf)
        p = &(*p)->hnext;
    if (*p) {
        *p = nf->hnext;
        m->n--;
    }
    nf_free(nf);
}

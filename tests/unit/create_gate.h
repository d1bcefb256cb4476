/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * create_gate.h - for unit tests of new RRD files made off the caller's thread: a gate the
 * store's creator thread stops at (store_set_create_hook()) before it makes each file, until
 * the test opens it. No sleeps: the test waits on a condition for the creator to arrive.
 * A creation on the test's own thread (the caller held) is recorded instead of blocking,
 * so a regression fails an assertion rather than hanging.
 */
#ifndef WW_TEST_CREATE_GATE_H
#define WW_TEST_CREATE_GATE_H

#include <pthread.h>

#include "storage/storage.h"

struct test_gate {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    pthread_t caller;  /* the test's thread */
    bool open;
    unsigned arrived;  /* creations that reached the gate on the creator thread */
    unsigned on_caller; /* creations made on the caller's thread: must stay 0 */
};

static inline void test_gate_init(struct test_gate *g)
{
    pthread_mutex_init(&g->lock, NULL);
    pthread_cond_init(&g->cond, NULL);
    g->caller = pthread_self();
    g->open = false;
    g->arrived = g->on_caller = 0;
}

static inline void test_gate_release(struct test_gate *g)
{
    pthread_cond_destroy(&g->cond);
    pthread_mutex_destroy(&g->lock);
}

/* the store_create_hook_fn: count, then wait for the gate (not on the caller's thread) */
static inline void test_gate_hook(const char *path, void *arg)
{
    struct test_gate *g = arg;

    pthread_mutex_lock(&g->lock);
    if (pthread_equal(pthread_self(), g->caller)) {
        g->on_caller++;
    } else {
        g->arrived++;
        pthread_cond_broadcast(&g->cond);
        while (!g->open)
            pthread_cond_wait(&g->cond, &g->lock);
    }
    pthread_mutex_unlock(&g->lock);
}

/* wait until @n creations have reached the gate; fails at once when one was made on the
 * caller's thread instead (it would never arrive) */
static inline void test_gate_wait(struct test_gate *g, unsigned n)
{
    unsigned on_caller;

    pthread_mutex_lock(&g->lock);
    while (g->arrived < n && !g->on_caller)
        pthread_cond_wait(&g->cond, &g->lock);
    on_caller = g->on_caller;
    pthread_mutex_unlock(&g->lock);
    if (on_caller)
        fail_msg("%u file(s) made on the caller's thread, which they held", on_caller);
}

static inline void test_gate_open(struct test_gate *g)
{
    pthread_mutex_lock(&g->lock);
    g->open = true;
    pthread_cond_broadcast(&g->cond);
    pthread_mutex_unlock(&g->lock);
}

static inline unsigned test_gate_on_caller(struct test_gate *g)
{
    unsigned n;
    pthread_mutex_lock(&g->lock);
    n = g->on_caller;
    pthread_mutex_unlock(&g->lock);
    return n;
}

#endif

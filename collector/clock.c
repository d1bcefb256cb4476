/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * clock.c - the collector's clock (struct coll_clock): the time the scheduler and the writer
 * go by, and the one wall-time anchor that every sample's time stamp is mapped through.
 * The real clock reads CLOCK_MONOTONIC and CLOCK_REALTIME; a bounded run (--intervals)
 * moves the scheduler's time forward instead of sleeping (sched.c, DESIGN); unit tests put
 * their own readings in.
 */
#include "collector/collector.h"
#include "collector/collector_int.h"

#include <errno.h>
#include <pthread.h>
#include <time.h>

#include "common/banned.h"

static pthread_once_t anchor_once = PTHREAD_ONCE_INIT;
static int64_t anchor_mono;
static double anchor_wall;

static void anchor_take(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    anchor_mono = ww_mono_ms();
    anchor_wall = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double coll_wall_of(int64_t mono_ms)
{
    pthread_once(&anchor_once, anchor_take);
    return anchor_wall + (double)(mono_ms - anchor_mono) / 1000.0;
}

static int64_t real_mono(void *arg)
{
    return ww_mono_ms();
}

static double real_wall(void *arg)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double real_wall_of(void *arg, int64_t mono_ms)
{
    return coll_wall_of(mono_ms);
}

static void real_sleep(void *arg, int64_t ms)
{
    /* a signal ends it early (no restart): the caller looks at its stop flag again */
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

void coll_clock_init_real(struct coll_clock *c)
{
    c->mono_ms = real_mono;
    c->wall = real_wall;
    c->wall_of = real_wall_of;
    c->sleep_ms = real_sleep;
    c->arg = NULL;
    atomic_store(&c->skip_ms, 0);
}

int64_t coll_clock_ms(struct coll_clock *c)
{
    return c->mono_ms(c->arg) + atomic_load(&c->skip_ms);
}

int64_t coll_clock_elapsed_ms(struct coll_clock *c)
{
    return c->mono_ms(c->arg);
}

time_t coll_clock_now(struct coll_clock *c)
{
    return (time_t)c->wall(c->arg);
}

void coll_clock_advance_to(struct coll_clock *c, int64_t t)
{
    int64_t now = coll_clock_ms(c);
    if (t > now)
        atomic_fetch_add(&c->skip_ms, t - now);
}

void coll_clock_sleep(struct coll_clock *c, int64_t ms)
{
    if (ms > 0)
        c->sleep_ms(c->arg, ms);
}

int64_t coll_clock_next_second_ms(struct coll_clock *c, int64_t mono_ms)
{
    double w = c->wall_of(c->arg, mono_ms);
    int64_t w_ms = (int64_t)(w * 1000.0);  /* epoch ms, truncated: the second w falls in */
    int64_t until = mono_ms + 1000 - w_ms % 1000 - c->mono_ms(c->arg);
    return until > 0 ? until : 0;
}
